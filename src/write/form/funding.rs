//! The funding stage: which funding line each amount field of a layout shows, the lines
//! written as printed (label | amount rows, the cost block 项目预算成本构成, 中期 | 年度 columns)
//! and the lines no field shows (其他资金来源 rows).

use std::collections::HashSet;

use crate::cell::CellRef;
use crate::model::fields::{self, Access};
use crate::model::FundingScope;

use super::{Content, Planner, Role};
use crate::write::layout::Span;

/// The amount fields of the model with the keys of the funding lines each shows (the first
/// line with one of them, in the annual scope except for 项目总额), from the one table of
/// field paths ([`crate::model::fields`]). Lines with other keys are written in rows of their
/// own, with their printed labels.
pub(super) fn field_lines() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    fields::amounts().filter_map(|f| match f.access {
        Access::Amount { keys, .. } => Some((f.path, keys)),
        _ => None,
    })
}

/// True when funding lines are a blank form's (a template's, from its profile): none read from
/// a cell, none filled.
fn blank_form(lines: &[crate::model::FundingLine]) -> bool {
    !lines.is_empty()
        && lines
            .iter()
            .all(|l| l.cell.is_none() && l.amount.is_none() && l.raw.trim().is_empty())
}

/// True when line `i` is a part its profile has no label for, printed in columns beside
/// another part of the same total (`中央 | 省级 | 市级资金` on one row under 本年度预计投入):
/// a label | amount row of its own reads back as metadata, not as a funding line.
fn in_columns(lines: &[crate::model::FundingLine], i: usize) -> bool {
    let l = &lines[i];
    let row = l.cell.map(|c| c.row);
    l.key.is_empty()
        && l.role.is_none()
        && l.parent.is_some()
        && row.is_some()
        && lines
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o.parent == l.parent && o.cell.map(|c| c.row) == row)
}

/// A funding line's amount as a person reads it (`7`, `7.00`), else its text.
pub(super) fn line_text(l: &crate::model::FundingLine) -> String {
    match l.amount {
        Some(d) => d.normalize().to_string(),
        None => l.raw.trim().to_string(),
    }
}

/// The keys of funding lines printed as a group label over their own 资金总额 row.
pub(super) const GROUP_KEYS: &[&str] = &["own_total", "own", "transfer_total", "transfer"];

/// The cost block's group label when the table does not print its own.
const COST_GROUP: &str = "项目预算成本构成";

/// The group label of funding printed in columns by span, when the table has none.
const FUNDING_GROUP: &str = "项目资金（万元）";

/// The lines of a cost block (项目预算成本构成): its items (lines the profile has no key
/// for, with the column they were read in as their role) and the totals they belong to.
pub(super) fn cost_lines(lines: &[crate::model::FundingLine]) -> Vec<usize> {
    let items: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].key.is_empty() && lines[i].role.is_some())
        .collect();
    let mut all: Vec<usize> = items
        .iter()
        .flat_map(|&i| std::iter::once(i).chain(lines[i].parent))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// True when funding lines outside a cost block share a label (`资金总额` under both
/// `中期资金总额` and `年度资金总额` columns): lines of one label per row would not read back.
pub(super) fn side_by_side(lines: &[crate::model::FundingLine]) -> bool {
    let cost = cost_lines(lines);
    let mut seen = HashSet::new();
    (0..lines.len())
        .filter(|i| !cost.contains(i))
        .any(|i| !seen.insert(lines[i].label.as_str()))
}

/// The rows of funding lines of two spans printed side by side, each with its own label (a
/// project's `资金总额 | 10000` beside `当年资金总额: | 10000`, each span's parts below them):
/// the lines outside a cost block by source row, each row's as (pair, line) in the order
/// printed, a part in its parent's pair when its parent is on a row above (`其中:同级财政资金`
/// under `项目当年预算`, the second pair: under the first it would read as a part of the
/// project's total, and the year's total with it). `None` when no row holds lines of two
/// spans, a line has no cell, or a row needs more label | amount pairs than `last_col` has.
pub(super) fn paired_rows(
    lines: &[crate::model::FundingLine],
    last_col: u16,
) -> Option<Vec<Vec<(usize, usize)>>> {
    let cost = cost_lines(lines);
    let mut rows: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    // Parts printed in columns under their total have no label | amount place here (they are
    // dropped, listed, by the caller).
    for i in (0..lines.len()).filter(|&i| !cost.contains(&i) && !in_columns(lines, i)) {
        rows.entry(lines[i].cell?.row).or_default().push(i);
    }
    let two_spans = |v: &Vec<usize>| v.iter().any(|&i| lines[i].scope != lines[v[0]].scope);
    if !rows.values().any(two_spans) {
        return None;
    }
    let mut slot_of: std::collections::HashMap<usize, usize> = Default::default();
    let mut out: Vec<Vec<(usize, usize)>> = Vec::new();
    for mut v in rows.into_values() {
        v.sort_by_key(|&i| (lines[i].cell.map_or(0, |c| c.col), i));
        let mut placed: Vec<(usize, usize)> = Vec::new();
        for &i in &v {
            let taken = |k: usize| placed.iter().any(|(s, _)| *s == k);
            let under_parent = lines[i]
                .parent
                .and_then(|p| slot_of.get(&p).copied())
                .filter(|&k| !taken(k));
            let next = placed.last().map_or(0, |(s, _)| s + 1);
            let k = under_parent.filter(|&k| k >= next).unwrap_or(next);
            placed.push((k, i));
        }
        for &(k, i) in &placed {
            slot_of.insert(i, k);
        }
        out.push(placed);
    }
    let pairs = out
        .iter()
        .filter_map(|v| v.last().map(|(k, _)| k + 1))
        .max()
        .unwrap_or(0);
    (2 * pairs <= usize::from(last_col)).then_some(out)
}

impl<'a> Planner<'a> {
    /// True when the national block must show the 本级/转移 split for the funds to read back.
    pub(super) fn needs_split(&self) -> bool {
        // Without a split the reader leaves every 本级 / 转移 view empty: the block reads back
        // the same without those rows exactly when the table has none of them.
        let f = &self.table.funding;
        // (财政拨款 / 其他资金 / 上年结转 are rows of both blocks.)
        [
            f.own.total,
            f.transfer.total,
            f.transfer.central,
            f.transfer.regional,
        ]
        .iter()
        .any(Option::is_some)
    }

    /// True when the table's funding lines are written as printed instead of the layout's
    /// funding rows: a project table read with another profile than the one whose rows the
    /// layout prints (Gansu's 省级资金 / 市县资金, Hunan's 年度本级预算金额, Ezhou's
    /// 项目预算成本构成, Central 中期 | 年度 columns), written in its own layout, with lines
    /// read from cells.
    pub(super) fn prints_own_lines(&self) -> bool {
        let t = self.table;
        let lines = &t.funding.lines;
        let other_form = t.profile.id != self.layout.profile;
        // 本级 / 转移 group lines (其中：本级资金 over 资金总额) read back only in the layout's
        // own rows.
        let grouped = lines.iter().any(|l| GROUP_KEYS.contains(&l.key.as_str()));
        self.layout.department.is_none()
            && self.layout.is_own(t)
            && !grouped
            && (lines.iter().any(|l| l.cell.is_some()) || (other_form && blank_form(lines)))
            && (other_form || self.unshown_lines().next().is_some())
    }

    /// True when the form the table was read from printed no funding at all (no label, no
    /// line, no amount: 上海 2019's 申报表, a 指标 sheet): a layout's funding rows would be
    /// blanks the department never had, and checking the converted file would report the
    /// year's money missing where the source's could not be checked.
    pub(super) fn prints_no_funding(&self) -> bool {
        let t = self.table;
        !t.cells.is_empty()
            && !t.cells.keys().any(|k| k.starts_with("funding."))
            && t.funding.lines.is_empty()
            && field_lines().all(|(f, _)| fields::amount(&t.funding, f).is_none())
    }

    /// The funding lines no amount field of the layout's rows shows.
    pub(super) fn unshown_lines(&self) -> impl Iterator<Item = usize> + '_ {
        let shown: Vec<usize> = field_lines()
            .filter(|(f, _)| {
                self.layout
                    .rows
                    .iter()
                    .any(|r| r.cells.iter().any(|c| c.field.as_deref() == Some(*f)))
            })
            .filter_map(|(f, _)| self.line_of(f))
            .collect();
        (0..self.table.funding.lines.len()).filter(move |i| !shown.contains(i))
    }

    /// The table's funding lines as printed from `row`: one label | amount row per line,
    /// then the cost block (项目预算成本构成) when the table has one. Returns the next free row.
    pub(super) fn own_funding(&mut self, mut row: u32) -> u32 {
        let blocks = self.layout.blocks.clone();
        let lines = &self.table.funding.lines;
        if side_by_side(lines) {
            // 中期 | 年度 columns: one block, a column per span, a row per label.
            let all: Vec<usize> = (0..lines.len()).collect();
            return self.cost_block(row, &all, false);
        }
        if let Some(rows) = paired_rows(lines, self.last_col) {
            return self.paired_block(row, &rows);
        }
        let cost = cost_lines(lines);
        // Lines no field answers to (昭化's numbered `(一)财政拨款小计 | 4`, `1、一般公共预算 |
        // 4`) read as funding lines only inside a funding block: written under its group label
        // (`项目资金（万元）`, down the label column), each label beside it; standing alone in
        // the label column they read back as metadata.
        let keyless = (0..lines.len())
            .any(|i| !cost.contains(&i) && !in_columns(lines, i) && lines[i].key.is_empty());
        let (label_span, value_span) = if keyless {
            (blocks.item_label, blocks.item_value)
        } else {
            (blocks.label, blocks.value)
        };
        let first = row;
        for (i, l) in lines.iter().enumerate() {
            if cost.contains(&i) {
                continue;
            }
            // A part the profile has no label for (`中央 | 省级 | 市级资金`, printed in columns
            // under their total): in a label | amount row of its own it would read back as
            // metadata. Listed as dropped.
            if in_columns(lines, i) {
                let what = format!("资金行“{}”（{}）", l.label, line_text(l));
                self.drop_item(format!("funding.lines[{i}]"), l.cell, &what);
                continue;
            }
            let (a, b) = self.span(label_span, row);
            let label = self.text(&format!("funding.lines[{i}].label"), &l.label, a);
            self.push(a, b, label, Role::Label);
            let (a, b) = self.span(value_span, row);
            let content = self.line_content(i, a);
            self.push(a, b, content, Role::Amount);
            self.show_line(i, a);
            row += 1;
        }
        if keyless && row > first {
            let (a, mut b) = self.span(blocks.group, first);
            b.row = row - 1;
            self.push(a, b, Content::Label(FUNDING_GROUP.to_string()), Role::Label);
        }
        if cost.is_empty() {
            row
        } else {
            self.cost_block(row, &cost, true)
        }
    }

    /// Funding lines of two spans side by side ([`paired_rows`]) written as printed: under the
    /// group label, a label | amount pair per line, row by row (stacked in one column, the
    /// project's bare 资金总额 above the year's would read back as the year's):
    ///
    /// ```text
    ///  | 项目资金（万元） | 资金总额       | 10000 | 当年资金总额:     | 10000 |
    ///  |   (A, down)     | 其中:财政拨款  | 10000 | 其中:当年财政拨款 | 10000 |
    /// ```
    ///
    /// Returns the next free row.
    fn paired_block(&mut self, row: u32, rows: &[Vec<(usize, usize)>]) -> u32 {
        let lines = &self.table.funding.lines;
        let gone: Vec<usize> = (0..lines.len()).filter(|&i| in_columns(lines, i)).collect();
        for i in gone {
            let l = &self.table.funding.lines[i];
            let what = format!("资金行“{}”（{}）", l.label, line_text(l));
            self.drop_item(format!("funding.lines[{i}]"), l.cell, &what);
        }
        let end = row + rows.len() as u32;
        let group = Content::Label(FUNDING_GROUP.to_string());
        self.push(
            CellRef::new(row, 0),
            CellRef::new(end - 1, 0),
            group,
            Role::Label,
        );
        for (r, members) in rows.iter().enumerate() {
            let at = row + r as u32;
            for (n, &(k, i)) in members.iter().enumerate() {
                let (cell, last) = self.line_label_beside(i, at, k, n + 1 == members.len());
                let content = self.line_content(i, cell);
                self.push(cell, last, content, Role::Amount);
                self.show_line(i, cell);
            }
        }
        end
    }

    /// Line `i`'s label as the `k`-th label | amount pair of row `at`, from column B; the
    /// amount's first and last cell (the row's last amount runs to the form's last column).
    fn line_label_beside(
        &mut self,
        i: usize,
        at: u32,
        k: usize,
        last_pair: bool,
    ) -> (CellRef, CellRef) {
        let col = 1 + 2 * k as u32;
        let cell = CellRef::new(at, col);
        let label = self.table.funding.lines[i].label.clone();
        let label = self.text(&format!("funding.lines[{i}].label"), &label, cell);
        self.push(cell, cell, label, Role::Label);
        let cell = CellRef::new(at, col + 1);
        let last = if last_pair {
            CellRef::new(at, u32::from(self.last_col))
        } else {
            cell
        };
        (cell, last)
    }

    /// What a funding line's amount cell holds: the amount, else the text as typed.
    pub(super) fn line_content(&mut self, i: usize, cell: CellRef) -> Content {
        let l = &self.table.funding.lines[i];
        match l.amount {
            Some(d) => Content::Amount(d),
            None if !l.raw.trim().is_empty() => {
                let raw = l.raw.clone();
                self.text(&format!("funding.lines[{i}]"), &raw, cell)
            }
            None => Content::Blank,
        }
    }

    /// Records that line `i` is shown at `cell`, and the amount fields it carries.
    pub(super) fn show_line(&mut self, i: usize, cell: CellRef) {
        let l = &self.table.funding.lines[i];
        self.fields.insert(format!("funding.lines[{i}]"), cell);
        for (field, keys) in field_lines() {
            let annual = field == "funding.total" || l.scope == FundingScope::Annual;
            if annual && keys.contains(&l.key.as_str()) && !self.fields.contains_key(field) {
                self.fields.insert(field.to_string(), cell);
            }
        }
    }

    /// The cost block from `row`, laid out as the reader reads one:
    ///
    /// ```text
    ///  | 项目预算成本构成 | 金额 | 测算依据 (a cell kept in `extra`) | 2025年实际执行数 |
    ///  | 保安服务费       | 205  | 依据招标文件                      | 198              |
    ///  | 合计             | 837  |                                   | 801.55           |
    /// ```
    ///
    /// One row per printed label (items, then their 合计), one column per span of time (the
    /// annual 金额, each other column under its header), and the cells nothing understood
    /// that sat on the block's rows in their columns, in the order the source had them.
    /// The same block, without items (`is_cost` false), shows funding printed in columns by
    /// span (`项目资金（万元） | 中期资金总额 | 年度资金总额`). Returns the next free row.
    pub(super) fn cost_block(&mut self, row: u32, cost: &[usize], is_cost: bool) -> u32 {
        let lines = &self.table.funding.lines;
        // Rows: the labels, in order.
        let mut rows: Vec<(String, Vec<usize>)> = Vec::new();
        for &i in cost {
            let label = lines[i].label.clone();
            match rows.iter_mut().find(|(l, _)| *l == label) {
                Some((_, v)) => v.push(i),
                None => rows.push((label, vec![i])),
            }
        }
        let src_rows: Vec<Option<u32>> = rows
            .iter()
            .map(|(_, v)| v.iter().find_map(|&i| lines[i].cell.map(|c| c.row)))
            .collect();
        let header_src = src_rows.iter().flatten().min().map(|r| r.saturating_sub(1));
        // Columns: each span of time, then the cells of `extra` on those rows.
        #[derive(PartialEq)]
        enum Col {
            Amount(FundingScope, Option<String>),
            Extra(u32),
        }
        let column_of = |l: &crate::model::FundingLine| match l.scope {
            FundingScope::Other => Col::Amount(FundingScope::Other, l.role.clone()),
            s => Col::Amount(s, None),
        };
        let mut cols: Vec<(Col, u32)> = Vec::new();
        for &i in cost {
            let c = column_of(&lines[i]);
            let src = lines[i].cell.map_or(u32::MAX, |c| c.col);
            match cols.iter_mut().find(|(x, _)| *x == c) {
                Some((_, at)) => *at = (*at).min(src),
                None => cols.push((c, src)),
            }
        }
        let block_rows: Vec<u32> = header_src
            .into_iter()
            .chain(src_rows.iter().flatten().copied())
            .collect();
        let amount_cols: Vec<u32> = cols.iter().map(|(_, c)| *c).collect();
        let placed: Vec<usize> = self
            .table
            .extra
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                // The header row's cells over the amounts are their headers (金额).
                (Some(e.cell.row) == header_src && amount_cols.contains(&e.cell.col))
                    || (block_rows.contains(&e.cell.row) && !amount_cols.contains(&e.cell.col))
            })
            .map(|(k, _)| k)
            .collect();
        for &k in &placed {
            let c = self.table.extra[k].cell.col;
            if !amount_cols.contains(&c) && !cols.iter().any(|(x, _)| *x == Col::Extra(c)) {
                cols.push((Col::Extra(c), c));
            }
        }
        if cols.len() > usize::from(self.last_col) {
            // No room for the extra columns: they stay in the 其他 block.
            cols.retain(|(c, _)| matches!(c, Col::Amount(..)));
        } else {
            self.placed_extras.extend(placed);
        }
        cols.sort_by_key(|(_, src)| *src);
        let extra_at = |planner: &Self, src_row: Option<u32>, src_col: u32| {
            planner
                .table
                .extra
                .iter()
                .enumerate()
                .find(|(k, e)| {
                    planner.placed_extras.contains(k)
                        && Some(e.cell.row) == src_row
                        && e.cell.col == src_col
                })
                .map(|(k, e)| (k, e.value.clone(), e.label.clone()))
        };
        let n = cols.len() as u16;
        let span_of = |j: usize| {
            let first = 1 + j as u16;
            Span {
                first,
                last: (first != n).then_some(first),
            }
        };
        // The header row: the group label as printed (the label the reader gave the cells
        // kept beside it), each column's header.
        let src_col = |c: &Col, at: u32| match c {
            Col::Extra(c) => *c,
            Col::Amount(..) => at,
        };
        let group = cols
            .iter()
            .filter_map(|(c, at)| extra_at(self, header_src, src_col(c, *at)))
            .map(|(_, _, l)| l)
            .find(|l| !l.is_empty())
            .unwrap_or_else(|| if is_cost { COST_GROUP } else { FUNDING_GROUP }.to_string());
        // A span's header as the table printed it (中期资金总额), else the canonical one.
        let printed = |field: &str, default: &str| {
            self.table
                .cells
                .get(field)
                .map(|f| f.label.clone())
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        let mid_header = printed("funding.total", "中期资金总额");
        let annual_header = if is_cost {
            "金额".to_string()
        } else {
            printed("funding.annual_total", "年度资金总额")
        };
        let (a, b) = self.span(self.layout.blocks.label, row);
        self.push(a, b, Content::Label(group), Role::Label);
        for (j, (c, at)) in cols.iter().enumerate() {
            let (a, b) = self.span(span_of(j), row);
            let header = match (extra_at(self, header_src, src_col(c, *at)), c) {
                (Some((k, text, _)), _) => {
                    self.fields.insert(format!("extra[{k}]"), a);
                    text
                }
                (None, Col::Amount(_, Some(h))) => h.clone(),
                (None, Col::Amount(FundingScope::MidTerm, _)) => mid_header.clone(),
                (None, _) => annual_header.clone(),
            };
            let content = self.text("funding.cost.header", &header, a);
            self.push(a, b, content, Role::Label);
        }
        // One row per label.
        for (r, ((label, members), src_row)) in rows.iter().zip(&src_rows).enumerate() {
            let at = row + 1 + r as u32;
            let (a, b) = self.span(self.layout.blocks.label, at);
            let content = self.text("funding.cost.label", label, a);
            self.push(a, b, content, Role::Label);
            for (j, (c, src)) in cols.iter().enumerate() {
                let (a, b) = self.span(span_of(j), at);
                match c {
                    Col::Amount(..) => {
                        let line = members
                            .iter()
                            .copied()
                            .find(|&i| column_of(&self.table.funding.lines[i]) == *c);
                        let content = match line {
                            Some(i) => {
                                self.show_line(i, a);
                                self.line_content(i, a)
                            }
                            None => Content::Blank,
                        };
                        self.push(a, b, content, Role::Amount);
                    }
                    Col::Extra(_) => {
                        let content = match extra_at(self, *src_row, *src) {
                            Some((k, text, _)) => {
                                self.fields.insert(format!("extra[{k}]"), a);
                                self.text(&format!("extra[{k}]"), &text, a)
                            }
                            None => Content::Blank,
                        };
                        self.push(a, b, content, Role::TextLeft);
                    }
                }
            }
        }
        row + 1 + rows.len() as u32
    }

    /// The funding line an amount field shows, by the line's key.
    pub(super) fn line_of(&self, field: &str) -> Option<usize> {
        let (_, keys) = field_lines().find(|(f, _)| *f == field)?;
        let lines = &self.table.funding.lines;
        let annual =
            |i: &usize| field == "funding.total" || lines[*i].scope == FundingScope::Annual;
        (0..lines.len()).find(|i| keys.contains(&lines[*i].key.as_str()) && annual(i))
    }

    /// The funding lines no field of the layout shows, as group | label | amount rows from
    /// `row`; returns the next free row.
    pub(super) fn funding_lines(&mut self, row: u32) -> u32 {
        if self.layout.department.is_some() || self.prints_own_lines() {
            // The department-wide funding block, or the lines as printed, show every line.
            return row;
        }
        let mut rest: Vec<usize> = self.unshown_lines().collect();
        // A cost block (项目预算成本构成) the layout has no rows for is printed as one, under
        // the layout's funding rows, the way the reader reads one: its items are no funding
        // line a label of the layout names.
        let cost = cost_lines(&self.table.funding.lines);
        let mut row = row;
        if rest.iter().any(|i| cost.contains(i)) {
            row = self.cost_block(row, &cost, true);
            rest.retain(|i| !cost.contains(i));
        }
        // Parts printed in columns (`中央 | 省级 | 市级资金` under 本年度预计投入), forced into
        // another layout, have no place there: in label | amount rows they would read back as
        // metadata. They are listed as dropped.
        if !self.layout.is_own(self.table) {
            let lines = &self.table.funding.lines;
            let (gone, keep): (Vec<usize>, Vec<usize>) =
                rest.iter().partition(|&&i| in_columns(lines, i));
            for i in gone {
                let l = &self.table.funding.lines[i];
                let what = format!("资金行“{}”（{}）", l.label, line_text(l));
                let cell = l.cell;
                self.drop_item(format!("funding.lines[{i}]"), cell, &what);
            }
            rest = keep;
        }
        let start = row;
        row = self.blank_line_rows(row, &mut rest);
        let lines = &self.table.funding.lines;
        let items: Vec<(String, String, Content)> = rest
            .iter()
            .map(|&i| {
                let l = &lines[i];
                let label = match (l.scope, l.role.as_deref()) {
                    (FundingScope::MidTerm, _)
                        if !l.label.contains("中期") && !l.label.contains("实施期") =>
                    {
                        format!("{}（中期）", l.label)
                    }
                    (FundingScope::Other, Some(r)) if !r.is_empty() && !l.label.contains(r) => {
                        format!("{}（{r}）", l.label)
                    }
                    _ => l.label.clone(),
                };
                let content = match l.amount {
                    Some(d) => Content::Amount(d),
                    None if !l.raw.trim().is_empty() => Content::Text(l.raw.clone()),
                    None => Content::Blank,
                };
                (format!("funding.lines[{i}]"), label, content)
            })
            .collect();
        // Forced on a table of another form, the layout prints the form's lines inside its
        // funding block, under its label (项目资金（万元）), as the form printed them inside its
        // own: under a group label of their own (其他资金来源) they open another block, and
        // the total they were printed under no longer reads as theirs (宁乡's `二、自有资金`,
        // `三、其他` under 总额).
        // (Lines without an amount written in a row, above them, are inside it too.)
        if let Some(k) = self.block_label_above(start) {
            let end = self.item_rows(row, items);
            self.cells[k].last.row = end - 1;
            return end;
        }
        let group = self.layout.blocks.lines_group.clone();
        self.grouped(row, &group, items)
    }

    /// The planned cell of the layout's label over its whole funding block (项目资金（万元）,
    /// merged down all its funding rows) when it ends right above `row` and the layout is
    /// forced on the table: its index among the planned cells.
    fn block_label_above(&self, row: u32) -> Option<usize> {
        if self.layout.is_own(self.table) {
            return None;
        }
        let rows = &self.layout.rows;
        let funding_row = |r: &&crate::write::layout::HeaderRow| {
            r.cells.iter().any(|c| {
                c.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("funding."))
            })
        };
        let first = rows.iter().position(|r| funding_row(&r))?;
        let count = rows[first..].iter().take_while(funding_row).count();
        let label = rows[first]
            .cells
            .iter()
            .find(|c| c.down >= count && c.down > 1)?;
        let text = label.label.clone()?;
        let col = u32::from(label.at.first);
        self.cells.iter().rposition(|c| {
            c.role == Role::Label
                && c.first.col == col
                && c.last.row + 1 == row
                && c.content == Content::Label(text.clone())
        })
    }

    /// Lines the form printed without an amount, two or more on one row (`同名项目上年预算额 |
    /// (blank) | 同名项目上年预算执行数 | (blank)`), taken out of `rest` and written as that
    /// row from `row`, a label | blank pair each: a row of labels naming money reads back as
    /// those lines; one by one under a group label (`其他资金来源 | 同名项目上年预算额 |`) it
    /// reads as cells nothing understood. Returns the next free row.
    fn blank_line_rows(&mut self, row: u32, rest: &mut Vec<usize>) -> u32 {
        let lines = &self.table.funding.lines;
        let blank = |i: usize| lines[i].amount.is_none() && lines[i].raw.trim().is_empty();
        let mut by_row: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for &i in rest.iter().filter(|&&i| blank(i)) {
            if let Some(c) = lines[i].cell {
                by_row.entry(c.row).or_default().push(i);
            }
        }
        let fits = |v: &Vec<usize>| v.len() >= 2 && 2 * v.len() <= usize::from(self.last_col);
        let rows: Vec<Vec<usize>> = by_row.into_values().filter(fits).collect();
        let mut at = row;
        for mut members in rows {
            members.sort_by_key(|&i| (self.table.funding.lines[i].cell.map_or(0, |c| c.col), i));
            rest.retain(|i| !members.contains(i));
            for (k, &i) in members.iter().enumerate() {
                let (cell, last) = self.line_label_beside(i, at, k, k + 1 == members.len());
                self.push(cell, last, Content::Blank, Role::Amount);
                self.show_line(i, cell);
            }
            at += 1;
        }
        at
    }
}
