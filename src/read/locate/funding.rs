//! Stage 4: the funding block's amounts, in 万元, as lines; the model's fixed fields are views
//! of them ([`crate::model::Funding::derive_views`]).

use rust_decimal::Decimal;

use super::money_cols::MoneyCol;
use super::Draft;
use crate::cell::CellRef;
use crate::model::{FundingLine, FundingScope, Severity};
use crate::read::grid::CellValue;
use crate::read::values::{money_scale, parse_amount_text, MoneyUnit};

/// The funding block's state while the header stage reads it, and what it hands on: the
/// table's money unit, the lines' state, and the columns of a
/// block printed in columns.
#[derive(Debug)]
pub(super) struct Funds {
    /// The table's money unit (`单位：万元`), and the cell that says it.
    pub(super) unit: MoneyUnit,
    pub(super) unit_cell: Option<CellRef>,
    /// A unit named by the block's label (`项目资金（万元）`).
    pub(super) block_unit: Option<MoneyUnit>,
    /// The column of the 转移 group's label, when the block has one.
    pub(super) transfer_col: Option<u32>,
    /// Amount columns of a funding block (`中期资金总额 | 年度资金总额`): column, the field
    /// its header reads as, its span of time.
    pub(super) scope_cols: Vec<(u32, &'static str, FundingScope)>,
    /// The cost block being read (`项目预算成本构成`): its amount columns and their spans, and
    /// the index of its first line.
    cost_cols: Option<(CostCols, usize)>,
    /// The money block's columns told by their headings (`当年金额 | 占比 | 近两年收支金额`).
    pub(super) money_cols: Vec<(u32, MoneyCol)>,
    /// Where the lines of the block being read begin: after the last row of bare totals
    /// (`合计`), and that row.
    block_start: usize,
    total_row: Option<u32>,
}

impl Default for Funds {
    fn default() -> Self {
        Funds {
            unit: MoneyUnit::Wan,
            unit_cell: None,
            block_unit: None,
            transfer_col: None,
            scope_cols: Vec::new(),
            cost_cols: None,
            money_cols: Vec::new(),
            block_start: 0,
            total_row: None,
        }
    }
}

/// A cost block's amount columns: column, span, and for other spans the printed header.
type CostCols = Vec<(u32, FundingScope, Option<String>)>;

impl Funds {
    /// One funding line: its amount parsed in 万元, its parent found by the profile's tree
    /// (`view`: a line of the block's own span, whose parent is looked for in any span when the
    /// block has no span columns).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add_line(
        &mut self,
        d: &mut Draft<'_>,
        field: &'static str,
        label: &str,
        cell: CellRef,
        raw: &str,
        value: Option<&CellValue>,
        label_unit: Option<MoneyUnit>,
        scope: FundingScope,
        view: bool,
    ) {
        let index = d.table.funding.lines.len();
        // The row after a row of bare totals opens a block of its own.
        if self.total_row.is_some_and(|r| r != cell.row) {
            self.block_start = index;
            self.total_row = None;
        }
        let def = d.profile.funding_by_field(field);
        let key = def.map(|d| d.key.clone()).unwrap_or_default();
        let role = def.and_then(|d| d.role.clone());
        let parent = self.parent_of(d, &key, scope, !view || !self.scope_cols.is_empty());
        d.table.funding.lines.push(FundingLine {
            key,
            label: label.to_string(),
            amount: None,
            raw: raw.trim().to_string(),
            cell: Some(cell),
            parent,
            scope,
            role,
        });
        // A total printed below its parts (申报资金合计 under 省财政资金 and 市县配套资金): the
        // parts read before it, still without a parent, are its children when the profile's
        // tree puts them under it.
        for j in 0..index {
            let l = &d.table.funding.lines[j];
            if l.parent.is_some() || l.key.is_empty() || l.scope != scope {
                continue;
            }
            // In a block whose columns are told by their headings, a total's parts are in
            // its column.
            if !self.money_cols.is_empty() && l.cell.map(|c| c.col) != Some(cell.col) {
                continue;
            }
            if self.parent_of(d, &l.key.clone(), scope, true) == Some(index) {
                d.table.funding.lines[j].parent = Some(index);
            }
        }
        if is_bare_total(label) {
            self.close_block(d, index);
        }
        if raw.trim().is_empty() && value.is_none() {
            return;
        }
        let amount = self.parse_amount(d, field, cell, raw, value, label_unit);
        d.table.funding.lines[index].amount = amount;
    }

    /// A column holding shares of the total (`占比`), no money.
    pub(super) fn is_share_col(&self, col: u32) -> bool {
        self.money_cols
            .iter()
            .any(|(c, k)| *c == col && *k == MoneyCol::Share)
    }

    /// A bare total (`合计`) closes the lines above it. After an earlier row of totals it
    /// closes a block of its own (a 部门整体 form's 收入构成 then 支出构成, each with its
    /// 合计): the block's lines, whatever total of the block above the profile's tree put
    /// them under, are its parts, and it is no part of anything. In a block whose columns
    /// are told by their headings, a total's parts are in its column (or have no amount).
    fn close_block(&mut self, d: &mut Draft<'_>, index: usize) {
        let start = self.block_start;
        self.total_row = d.table.funding.lines[index].cell.map(|c| c.row);
        let by_col = !self.money_cols.is_empty();
        // The first block's lines have their parents from the profile's tree; in a block
        // whose columns are told by their headings, those left without one are the total's.
        if start == 0 && !by_col {
            return;
        }
        let lines = &mut d.table.funding.lines;
        let (scope, col) = (lines[index].scope, lines[index].cell.map(|c| c.col));
        lines[index].parent = None;
        for l in &mut lines[start..index] {
            // A line printed without an amount (its cell is its label's) is in every column.
            let in_col = !by_col || l.amount.is_none() || l.cell.map(|c| c.col) == col;
            if l.scope == scope && in_col && l.parent.is_none_or(|p| p < start) {
                l.parent = Some(index);
            }
        }
    }

    /// The nearest printed line up the profile's tree from `key` (in the same span of time
    /// when `same_scope`).
    fn parent_of(
        &self,
        d: &Draft<'_>,
        key: &str,
        scope: FundingScope,
        same_scope: bool,
    ) -> Option<usize> {
        let mut at = d.profile.funding_by_key(key)?.parent.clone();
        let mut guard = 0;
        while let Some(k) = at {
            guard += 1;
            if guard > 16 {
                return None;
            }
            let hit = d
                .table
                .funding
                .lines
                .iter()
                .rposition(|l| l.key == k && (!same_scope || l.scope == scope));
            if hit.is_some() {
                return hit;
            }
            at = d.profile.funding_by_key(&k)?.parent.clone();
        }
        None
    }

    /// A row of the cost block (`项目预算成本构成 | 金额 | … | 2025年实际执行数`, then one row per
    /// item and a 合计 row): its header, or an item, or the total. False when it is not one.
    pub(super) fn read_cost_row(
        &mut self,
        d: &mut Draft<'_>,
        toks: &[super::tokens::Tok<'_>],
    ) -> bool {
        let collapse = crate::read::values::collapse_spaces;
        let Some(first) = toks.first() else {
            return false;
        };
        if first.field() == Some("group.cost") {
            // Other columns' headers (测算依据) and cells stay in `extra`, as printed.
            let mut cols = Vec::new();
            d.use_cell(first.cell);
            for t in &toks[1..] {
                let h = crate::read::labels::normalize_label(&t.text);
                if h.contains("执行数") || h.contains("上年") {
                    // The header is the lines' role in that column.
                    d.use_cell(t.cell);
                    cols.push((t.cell.col, FundingScope::Other, Some(collapse(&t.text))));
                } else if matches!(h.as_str(), "金额" | "预算金额" | "预算数" | "金额(万元)")
                {
                    cols.push((t.cell.col, FundingScope::Annual, None));
                }
            }
            let start = d.table.funding.lines.len();
            self.cost_cols = Some((cols, start));
            return true;
        }
        let Some((cols, start)) = self.cost_cols.clone() else {
            return false;
        };
        // A label of another field ends the block.
        let total = first.field() == Some("funding.sum");
        if first.label.is_some() && !total {
            self.cost_cols = None;
            return false;
        }
        d.use_cell(first.cell);
        let label = crate::read::values::collapse_spaces(&first.text);
        for t in &toks[1..] {
            let Some((_, scope, header)) = cols.iter().find(|(c, _, _)| *c == t.cell.col) else {
                continue;
            };
            d.use_cell(t.cell);
            let annual = *scope == FundingScope::Annual;
            if total {
                let at = d.table.funding.lines.len();
                if annual {
                    d.record("funding.annual_total", t.cell, &t.text);
                }
                self.add_line(
                    d,
                    "funding.annual_total",
                    &label,
                    t.cell,
                    &t.text,
                    Some(t.value),
                    None,
                    *scope,
                    annual,
                );
                if let (Some(h), Some(l)) = (header, d.table.funding.lines.last_mut()) {
                    l.role = Some(h.clone());
                }
                // The items above are parts of this total.
                for l in &mut d.table.funding.lines[start..at] {
                    if l.scope == *scope && l.parent.is_none() {
                        l.parent = Some(at);
                    }
                }
            } else {
                self.add_line(
                    d,
                    "funding.cost_item",
                    &label,
                    t.cell,
                    &t.text,
                    Some(t.value),
                    None,
                    *scope,
                    false,
                );
                if let Some(l) = d.table.funding.lines.last_mut() {
                    l.role = Some(header.clone().unwrap_or_else(|| "cost".into()));
                }
            }
        }
        if total {
            self.cost_cols = None;
        }
        true
    }

    /// A 预算金额 cell of the 年度履职目标 block, in 万元.
    pub(super) fn task_amount(
        &mut self,
        d: &mut Draft<'_>,
        t: &super::tokens::Tok<'_>,
    ) -> Option<Decimal> {
        self.parse_amount(
            d,
            "department.tasks",
            t.cell,
            &t.text,
            Some(t.value),
            self.block_unit,
        )
    }

    fn parse_amount(
        &mut self,
        d: &mut Draft<'_>,
        field: &'static str,
        cell: CellRef,
        raw: &str,
        value: Option<&CellValue>,
        label_unit: Option<MoneyUnit>,
    ) -> Option<Decimal> {
        let parsed = match value {
            Some(CellValue::Number(f)) | Some(CellValue::Percent(f)) => {
                crate::read::values::decimal_from_f64(*f).map(|d| (d, None, false))
            }
            _ => parse_amount_text(raw).map(|a| (a.value, a.unit, a.cleaned)),
        };
        let Some((mut amount, unit, cleaned)) = parsed else {
            d.notice(
                "read.amount-invalid",
                Severity::Warning,
                Some(cell),
                Some(field.to_string()),
                format!("金额“{}”不是数字，无法读取", raw.trim()),
            );
            return None;
        };
        // A unit typed in the cell wins over one in the label, the block's, and the table's.
        let local_unit = unit.or(label_unit).or(self.block_unit);
        let unit = local_unit.unwrap_or(self.unit);
        if unit != MoneyUnit::Wan {
            amount = unit.to_wan(amount);
        }
        let amount = money_scale(amount);
        if let Some(from) = local_unit.filter(|u| *u != MoneyUnit::Wan) {
            let from = if from == MoneyUnit::Yi {
                "亿元"
            } else {
                "元"
            };
            d.notice(
                "read.unit-converted",
                Severity::Info,
                Some(cell),
                Some(field.to_string()),
                format!("金额“{}”以{from}为单位，已换算为 {amount} 万元", raw.trim()),
            );
        }
        if cleaned {
            d.notice(
                "read.amount-text",
                Severity::Info,
                Some(cell),
                Some(field.to_string()),
                format!("金额以文本“{}”填写，按 {amount} 万元读取", raw.trim()),
            );
        }
        Some(amount)
    }
}

/// A total printed bare (`合计`, `总计`, `小计`): it closes the lines above it.
fn is_bare_total(label: &str) -> bool {
    let n = crate::read::labels::normalize_label(label);
    matches!(n.trim_end_matches([':', '：']), "合计" | "总计" | "小计")
}

/// A money unit named in a label (`项目总额（元）`, `项目资金（万元）`).
pub(super) fn label_unit(text: &str) -> Option<MoneyUnit> {
    let n = crate::read::labels::normalize_label(text);
    if n.ends_with("(元)") {
        Some(MoneyUnit::Yuan)
    } else if n.ends_with("(万元)") {
        Some(MoneyUnit::Wan)
    } else {
        None
    }
}
