//! The department-wide blocks (部门整体支出绩效目标表): 年度预算安排 (what the money is for on
//! the left, where it comes from on the right) and 年度履职目标 (one row per task).

use rust_decimal::Decimal;

use super::{Content, Planner, Role};
use crate::model::{ExtraCell, FundingScope, Table};
use crate::read::locate::{column_kind, MoneyCol};
use crate::write::layout::Span;

impl<'a> Planner<'a> {
    /// The department-wide funding block from `row`: the label merged down, what the money
    /// is for on the left, where it comes from on the right, each line as printed. Returns the
    /// next free row.
    pub(super) fn department_funding(&mut self, row: u32) -> u32 {
        let Some(d) = self.layout.department.clone() else {
            return row;
        };
        let lines = &self.table.funding.lines;
        // (field, label, amount)
        let mut left: Vec<(String, String, Content)> = Vec::new();
        let mut right: Vec<(String, String, Content)> = Vec::new();
        let amount = |a: Option<Decimal>| a.map_or(Content::Blank, Content::Amount);
        if lines.is_empty() {
            for (k, l) in d.left_lines.iter().enumerate() {
                let (field, content) = if k == 0 {
                    (
                        "funding.annual_total".to_string(),
                        amount(self.table.funding.annual_total),
                    )
                } else {
                    (format!("funding.default.left[{k}]"), Content::Blank)
                };
                left.push((field, l.clone(), content));
            }
            for (k, l) in d.right_lines.iter().enumerate() {
                right.push((
                    format!("funding.default.right[{k}]"),
                    l.clone(),
                    Content::Blank,
                ));
            }
        } else {
            for (i, l) in lines.iter().enumerate() {
                // A line of another span than the year's (scope `other`: 近两年收支金额 |
                // 2021年 | 2022年) has no place in this block (the layout forced on a table,
                // or a template's): beside the year's lines it would read back as this
                // year's. Listed as dropped.
                if l.scope == FundingScope::Other {
                    let what = format!("资金行“{}”（{}）", l.label, super::funding::line_text(l));
                    self.drop_item(format!("funding.lines[{i}]"), l.cell, &what);
                    continue;
                }
                let content = match l.amount {
                    Some(a) => Content::Amount(a),
                    None if !l.raw.trim().is_empty() => Content::Text(l.raw.clone()),
                    None => Content::Blank,
                };
                let item = (format!("funding.lines[{i}]"), l.label.clone(), content);
                // The total and the kinds of spending (基本支出, 项目支出) on the left.
                let is_kind = l.parent.is_none()
                    || l.key == "annual_total"
                    || l.label.contains("支出")
                    || l.role.as_deref().is_some_and(|r| r.contains("expenditure"));
                if is_kind {
                    left.push(item);
                } else {
                    right.push(item);
                }
            }
            if totals_of_parts(lines) > 1 {
                // Two blocks, each closed by its total (收入构成 then 支出构成, a 合计 each):
                // beside each other the second total's parts would read back as the first's
                // and the first's as the second's. Down the left pair, in the order printed,
                // each total after its parts, they read back as the form's.
                left.append(&mut right);
                let order = |field: &str| {
                    let i: Option<usize> = field
                        .strip_prefix("funding.lines[")
                        .and_then(|f| f.strip_suffix(']'))
                        .and_then(|k| k.parse().ok());
                    i.and_then(|i| lines[i].cell).map(|c| (c.row, c.col))
                };
                left.sort_by_key(|(field, _, _)| order(field));
            }
        }
        self.drop_block_extras();
        let n = left.len().max(right.len()).max(1) as u32;
        let (a, mut b) = self.span(
            Span {
                first: 0,
                last: Some(0),
            },
            row,
        );
        b.row = row + n - 1;
        self.push(a, b, Content::Label(d.funding_label.clone()), Role::Label);
        for (side, (label_at, amount_at)) in [
            (left, (d.left_label, d.left_amount)),
            (right, (d.right_label, d.right_amount)),
        ] {
            for (k, (field, label, content)) in side.into_iter().enumerate() {
                let r = row + k as u32;
                let (a, b) = self.span(label_at, r);
                let label = self.text(&format!("{field}.label"), &label, a);
                self.push(a, b, label, Role::Label);
                let (a, b) = self.span(amount_at, r);
                let content = match content {
                    Content::Text(t) => self.text(&field, &t, a),
                    other => other,
                };
                self.fields.insert(field, a);
                self.push(a, b, content, Role::Amount);
            }
        }
        // The annual total is the first line on the left when the table has lines.
        if !self.fields.contains_key("funding.annual_total") {
            let first = (0..lines.len())
                .find(|i| lines[*i].key == "annual_total")
                .or((0..lines.len()).find(|i| lines[*i].parent.is_none()));
            if let Some(c) =
                first.and_then(|i| self.fields.get(&format!("funding.lines[{i}]")).copied())
            {
                self.fields.insert("funding.annual_total".into(), c);
            }
        }
        row + n
    }

    /// The cells of a money block this block has no column for (see [`money_block_extras`]):
    /// listed as dropped with the lines of other spans.
    fn drop_block_extras(&mut self) {
        for i in money_block_extras(self.table) {
            if self.placed_extras.contains(&i) {
                continue;
            }
            let e = &self.table.extra[i];
            let what = match e.label.trim() {
                "" => format!("“{}”", e.value.trim()),
                l => format!("“{l}”的“{}”", e.value.trim()),
            };
            self.drop_item(format!("extra[{i}]"), Some(e.cell), &what);
            self.placed_extras.insert(i);
        }
    }

    /// The 年度履职目标 block from `row`: the label merged down, a header, one row per task
    /// (empty rows in a table without tasks). Returns the next free row.
    pub(super) fn tasks(&mut self, row: u32) -> u32 {
        let Some(d) = self.layout.department.clone() else {
            return row;
        };
        let tasks = self
            .table
            .department
            .as_ref()
            .map(|p| p.tasks.clone())
            .unwrap_or_default();
        let rows = if tasks.is_empty() {
            d.blank_tasks.max(1)
        } else {
            tasks.len()
        } as u32;
        let (a, mut b) = self.span(
            Span {
                first: 0,
                last: Some(0),
            },
            row,
        );
        b.row = row + rows;
        self.push(a, b, Content::Label(d.tasks_label.clone()), Role::Label);
        for (h, at) in d.tasks_header.iter().zip(&d.tasks_at) {
            let (a, b) = self.span(*at, row);
            self.push(a, b, Content::Label(h.clone()), Role::Label);
        }
        for k in 0..rows {
            let r = row + 1 + k;
            let task = tasks.get(k as usize);
            let key = format!("department.tasks[{k}]");
            let texts = [
                task.map(|t| t.function.clone()),
                task.map(|t| t.task.clone()),
                task.map(|t| t.project.clone()),
            ];
            for (j, at) in d.tasks_at.iter().enumerate() {
                let (a, b) = self.span(*at, r);
                if j == 3 {
                    let content = match task {
                        Some(t) => match t.amount {
                            Some(x) => Content::Amount(x),
                            None => self.text(&format!("{key}.amount"), &t.raw, a),
                        },
                        None => Content::Blank,
                    };
                    self.fields.insert(format!("{key}.amount"), a);
                    self.push(a, b, content, Role::Amount);
                    continue;
                }
                let text = texts.get(j).cloned().flatten().unwrap_or_default();
                let content = self.text(&key, &text, a);
                let field = match j {
                    0 => key.clone(),
                    1 => format!("{key}.task"),
                    _ => format!("{key}.project"),
                };
                self.fields.insert(field, a);
                self.push(a, b, content, Role::TextLeft);
            }
        }
        row + 1 + rows
    }
}

/// How many of the year's lines are totals with parts of the year printed under them.
fn totals_of_parts(lines: &[crate::model::FundingLine]) -> usize {
    let year = |i: usize| lines[i].scope != FundingScope::Other;
    (0..lines.len())
        .filter(|&p| year(p) && (0..lines.len()).any(|i| year(i) && lines[i].parent == Some(p)))
        .count()
}

/// The extras (indices) of a money block printed with columns the built-in blocks have none
/// for (近两年收支金额 | 2021年 | 2022年: lines of scope `other`; 占比): its headings (当年金额 |
/// 占比) and the shares beside the year's amounts, cells nothing understood on its rows. Under
/// a layout's 其他 label they would read as another block. The block's rows: those of its
/// lines, and the rows of such cells right above its first line (its heading rows). A block
/// whose other columns were left empty (the years printed as `年 | 年`, no amount under them)
/// is told by its headings, as the reader tells its columns. None for any other table.
pub(crate) fn money_block_extras(table: &Table) -> Vec<usize> {
    let lines = &table.funding.lines;
    let rows = || lines.iter().filter_map(|l| l.cell.map(|c| c.row));
    let (Some(first), Some(last)) = (rows().min(), rows().max()) else {
        return Vec::new();
    };
    let extra = &table.extra;
    let mut top = first;
    while top > 0 && extra.iter().any(|e| e.cell.row == top - 1) {
        top -= 1;
    }
    let other_heading = |e: &ExtraCell| {
        (top..first).contains(&e.cell.row)
            && e.label.trim().is_empty()
            && matches!(
                column_kind(&e.value),
                Some(MoneyCol::Other | MoneyCol::Share)
            )
    };
    if !lines.iter().any(|l| l.scope == FundingScope::Other) && !extra.iter().any(other_heading) {
        return Vec::new();
    }
    (0..extra.len())
        .filter(|&i| (top..=last).contains(&extra[i].cell.row))
        .collect()
}
