//! Reads what a self-evaluation or monitoring table adds to a targets table, after the common
//! reader has read the header, the funding lines and the grid (`crate::read::locate`): the
//! budget block with its columns, the goal beside what was achieved, the result columns of the
//! grid, the total row, the grade and the narrative rows. It reads the sheet by cell, with the
//! profile's `[columns]` words, and takes back from `extra`, `metadata` and the notices what it
//! has understood.
//!
//! ```text
//!  | 项目资金（万元） |              | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |  header row
//!  |                 | 年度资金总额  | 120        | 120        | 114        | 10   | 95%    | 9.5  |  lines …
//!  | 年度总体目标     | 预期目标 (B:F)                        | 实际完成情况 (G:K)              |
//!  |                 | text                                  | text                            |
//!  | 绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
//!  | 总分 (A:G)                                           | 100  | 92.35 |
//! ```

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use crate::cell::CellRef;
use crate::model::{
    Execution, ExecutionLine, FieldSource, Figure, Finding, FormKind, MetaField, Note, Observed,
    Table, Total,
};
use crate::read::grid::{CellValue, Sheet};
use crate::read::labels::normalize_label;
use crate::read::values::{decimal_from_f64, parse_value};
use crate::selfeval::columns::{Block, Columns};
use crate::selfeval::words::{points_in, Words};

mod grid;

use grid::read_grid;

/// The sheet's cells inside a table's range.
struct Cells<'s> {
    at: HashMap<(u32, u32), &'s CellValue>,
    rows: Vec<u32>,
    first: (u32, u32),
    last: (u32, u32),
}

impl<'s> Cells<'s> {
    fn new(sheet: &'s Sheet, range: &str) -> Option<Cells<'s>> {
        let (a, b) = range.split_once(':')?;
        let a: CellRef = a.parse().ok()?;
        let b: CellRef = b.parse().ok()?;
        let mut at = HashMap::new();
        let mut rows = Vec::new();
        for r in &sheet.rows {
            if r.row < a.row || r.row > b.row {
                continue;
            }
            rows.push(r.row);
            for c in &r.cells {
                at.insert((r.row, c.col), &c.value);
            }
        }
        Some(Cells {
            at,
            rows,
            first: (a.row, a.col),
            last: (b.row, b.col),
        })
    }

    fn value(&self, row: u32, col: u32) -> Option<&'s CellValue> {
        self.at.get(&(row, col)).copied()
    }

    /// The cell's text as a person sees it, trimmed; empty when blank.
    fn text(&self, row: u32, col: u32) -> String {
        self.value(row, col)
            .map(|v| v.display().trim().to_string())
            .unwrap_or_default()
    }

    /// The non-empty text cells of a row, left to right.
    fn row_texts(&self, row: u32) -> Vec<(u32, String)> {
        (self.first.1..=self.last.1)
            .filter_map(|c| {
                let t = self.text(row, c);
                (!t.is_empty()).then_some((c, t))
            })
            .collect()
    }

    /// A figure from a cell; `percent` reads a percentage-formatted cell in percent.
    fn figure(&self, row: u32, col: u32, percent: bool) -> Option<Figure> {
        let v = self.value(row, col)?;
        let raw = v.display().trim().to_string();
        if raw.is_empty() {
            return None;
        }
        let value = match v {
            CellValue::Number(f) => decimal_from_f64(*f),
            CellValue::Percent(f) => decimal_from_f64(if percent { *f * 100.0 } else { *f }),
            _ => number_in(&raw),
        };
        Some(Figure {
            value,
            raw,
            cell: Some(CellRef::new(row, col)),
        })
    }

    fn observed(&self, row: u32, col: u32) -> Option<Observed> {
        let raw = self.text(row, col);
        (!raw.is_empty()).then(|| Observed {
            value: parse_value(&raw),
            cell: Some(CellRef::new(row, col)),
        })
    }

    fn note(&self, row: u32, col: u32) -> Option<Note> {
        let text = self.text(row, col);
        (!text.is_empty()).then(|| Note {
            text,
            cell: Some(CellRef::new(row, col)),
        })
    }
}

/// The budget year of a title above or at the top of the table (`2021年度河湖水质监测项目绩效自评表`,
/// `(2019年度)`): the first four-digit year followed by 年 in the rows up to `last_row`.
fn year_in_title(sheet: &Sheet, last_row: u32) -> Option<(i32, CellRef, String)> {
    for r in sheet.rows.iter().take_while(|r| r.row <= last_row) {
        for c in &r.cells {
            let t = c.value.display();
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len().saturating_sub(4) {
                let digits: String = chars[i..i + 4].iter().collect();
                let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
                if before_ok && chars[i + 4] == '年' && digits.chars().all(|d| d.is_ascii_digit())
                {
                    if let Ok(y) = digits.parse::<i32>() {
                        if (1990..=2100).contains(&y) {
                            return Some((y, CellRef::new(r.row, c.col), t));
                        }
                    }
                }
            }
        }
    }
    None
}

/// A rate typed as a plain number where the form shows a percentage (a re-saved workbook may
/// lose the cell's percent format): `0.95` is 95 % when the line's own figures say so.
fn rate_in_percent(line: &mut ExecutionLine) {
    let Some(rate) = line.rate.as_mut() else {
        return;
    };
    let Some(v) = rate.value else {
        return;
    };
    if rate.raw.contains('%') || rate.raw.contains('％') || v.abs() > Decimal::TWO {
        return;
    }
    let budget = line
        .adjusted
        .as_ref()
        .or(line.initial.as_ref())
        .and_then(|f| f.value);
    let executed = line.executed.as_ref().and_then(|f| f.value);
    if let (Some(p), Some(e)) = (budget, executed) {
        if p > Decimal::ZERO {
            let computed = e * Decimal::ONE_HUNDRED / p;
            if (v * Decimal::ONE_HUNDRED - computed).abs() < (v - computed).abs() {
                rate.value = Some(v * Decimal::ONE_HUNDRED);
            }
        }
    }
}

/// A number typed as text (`89.974`, `100.00%`, `1,200.5`); `None` for words and dashes.
fn number_in(raw: &str) -> Option<Decimal> {
    let t: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    let t = t.trim_end_matches(['%', '％']);
    t.parse::<Decimal>().ok()
}

/// Completes a table read with a self-evaluation or monitoring profile. `notices` are the
/// reader's notices about this table: those about cells now understood are dropped.
pub fn complete(table: &mut Table, notices: &mut Vec<Finding>, sheet: &Sheet) {
    let Some(spec) = table.profile.get().selfeval.as_ref() else {
        return;
    };
    if table.form == FormKind::Targets {
        return;
    }
    let Some(cells) = Cells::new(sheet, &table.source.range) else {
        return;
    };
    let words = Words::get();
    if table.year.is_none() {
        if let Some((year, cell, raw)) = year_in_title(sheet, cells.first.0 + 3) {
            table.year = Some(year);
            // Where the year was read: a title above the range is part of the form.
            table.cells.entry("year".into()).or_insert(FieldSource {
                cell,
                raw,
                label: String::new(),
            });
        }
    }
    let mut used: HashSet<(u32, u32)> = HashSet::new();
    let grid_row = table.columns.first().and_then(|c| c.cell).map(|c| c.row);
    read_execution(table, &cells, &spec.columns, grid_row, &mut used);
    let mut keep = Vec::new();
    read_goal(table, &cells, words, &mut used, &mut keep);
    if let Some(h) = grid_row {
        read_grid(table, &cells, &spec.columns, words, h, &mut used);
    }
    read_grade(table, &cells, words, &mut used);
    // What is understood now is no longer extra, metadata without a key, or a notice.
    let is_used = |c: &Option<CellRef>| c.is_some_and(|c| used.contains(&(c.row, c.col)));
    table
        .extra
        .retain(|e| !used.contains(&(e.cell.row, e.cell.col)));
    table
        .metadata
        .retain(|m| !is_used(&m.cell) || is_narrative(m));
    table.metadata.extend(keep);
    // The notices about cells now understood: unread text, and amounts the common reader took
    // for funding (a `—` under 分值 is no amount).
    notices.retain(|f| {
        !(matches!(
            f.rule.as_str(),
            "read.unrecognised"
                | "read.unknown-label"
                | "read.amount-text"
                | "read.amount-invalid"
                | "read.percent-cell"
        ) && is_used(&f.cell))
    });
    drop_block_lines(table, &used);
    crate::selfeval::score::recompute(table);
}

fn is_narrative(m: &MetaField) -> bool {
    Words::get().narrative_key(&m.label).is_some() && m.key == narrative_key_of(&m.label)
}

fn narrative_key_of(label: &str) -> String {
    Words::get()
        .narrative_key(label)
        .unwrap_or_default()
        .to_string()
}

/// The funding lines the common reader made of the budget block's other columns (scope
/// `other`) are the execution block's: they go, the parents renumbered.
fn drop_block_lines(table: &mut Table, used: &HashSet<(u32, u32)>) {
    let lines = std::mem::take(&mut table.funding.lines);
    let keep: Vec<bool> = lines
        .iter()
        .map(|l| {
            !(l.scope == crate::model::FundingScope::Other
                && l.cell.is_some_and(|c| used.contains(&(c.row, c.col))))
        })
        .collect();
    let mut new_index = vec![None; lines.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            new_index[i] = Some(n);
            n += 1;
        }
    }
    table.funding.lines = lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep[*i])
        .map(|(_, mut l)| {
            l.parent = l.parent.and_then(|p| new_index.get(p).copied().flatten());
            l
        })
        .collect();
}

const MONEY_ROLES: [&str; 4] = ["initial", "adjusted", "executed", "forecast"];

/// The budget block: the first row with at least two money columns (年初预算数, 全年预算数,
/// 执行数, 预计执行数) and a third execution column, above the grid.
fn read_execution(
    table: &mut Table,
    cells: &Cells<'_>,
    columns: &Columns,
    grid_row: Option<u32>,
    used: &mut HashSet<(u32, u32)>,
) {
    let mut found = None;
    for &r in &cells.rows {
        if grid_row.is_some_and(|g| r >= g) {
            break;
        }
        let mut roles: Vec<(u32, &str, Option<u32>)> = Vec::new();
        for (c, t) in cells.row_texts(r) {
            if let Some((role, month)) = columns.role_of(Block::Execution, &t) {
                if role != "label" && !roles.iter().any(|(_, x, _)| *x == role) {
                    roles.push((c, role, month));
                }
            }
        }
        let money = roles
            .iter()
            .filter(|(_, x, _)| MONEY_ROLES.contains(x))
            .count();
        if money >= 2 && roles.len() >= 3 {
            found = Some((r, roles));
            break;
        }
    }
    let Some((h, roles)) = found else {
        return;
    };
    let first_col = roles.iter().map(|(c, _, _)| *c).min().unwrap_or(0);
    let month = roles.iter().find_map(|(_, _, m)| *m);
    // The block's own label (项目资金（万元）, 预算执行情况（万元）（20分）): the header row's leftmost
    // text left of the columns; its points are the budget's weight when no 分值 column has one.
    let block_label_cell = cells.row_texts(h).into_iter().find(|(c, _)| *c < first_col);
    let block_label = block_label_cell.as_ref().map(|(_, t)| t.clone());
    for (c, _) in cells.row_texts(h) {
        used.insert((h, c));
    }
    let col = |role: &str| {
        roles
            .iter()
            .find(|(_, x, _)| *x == role)
            .map(|(c, _, _)| *c)
    };
    let profile = table.profile.get();
    let mut ex = Execution {
        month,
        ..Execution::default()
    };
    let rows: Vec<u32> = cells.rows.iter().copied().filter(|&r| r > h).collect();
    for r in rows {
        if grid_row.is_some_and(|g| r >= g) {
            break;
        }
        let texts = cells.row_texts(r);
        let own = texts.iter().rev().find(|(c, _)| *c < first_col).cloned();
        let (label_cell, label) = match (own, &block_label_cell) {
            (Some((lc, label)), _) => {
                if !funding_like(profile, &label) {
                    break;
                }
                (CellRef::new(r, lc), label)
            }
            // A block of one line: its figures right under the header, the block's label
            // merged down over both (重庆 部门整体: 部门预算执行情况(万元) | 76% | 10 | 7.6).
            (None, Some((bc, bl))) if ex.lines.is_empty() && !texts.is_empty() => {
                (CellRef::new(h, *bc), bl.clone())
            }
            // A row with nothing left of the columns: a merged label going on, or the end.
            (None, _) => {
                if texts.is_empty() {
                    continue;
                }
                break;
            }
        };
        let key = profile
            .labels()
            .lookup(&label)
            .and_then(|(f, _)| profile.funding_by_field(&f.id))
            .map(|f| f.key.clone())
            .unwrap_or_default();
        let get = |role: &str, pct: bool| col(role).and_then(|c| cells.figure(r, c, pct));
        let index = ex.lines.len();
        ex.lines.push(ExecutionLine {
            key,
            label: label.clone(),
            cell: Some(label_cell),
            parent: (index > 0).then_some(0),
            initial: get("initial", false),
            adjusted: get("adjusted", false),
            executed: get("executed", false),
            forecast: get("forecast", false),
            rate: get("rate", true),
        });
        if index == 0 {
            ex.weight = get("weight", false);
            // A score cell left blank is a figure without value (the form has the cell).
            ex.score = get("score", false).or_else(|| {
                col("score").map(|c| Figure {
                    value: None,
                    raw: String::new(),
                    cell: Some(CellRef::new(r, c)),
                })
            });
            ex.reason = col("reason").and_then(|c| cells.note(r, c));
        }
        for (c, _) in &texts {
            used.insert((r, *c));
        }
    }
    if ex.lines.is_empty() {
        return;
    }
    ex.lines.iter_mut().for_each(rate_in_percent);
    if ex.weight.as_ref().and_then(|w| w.value).is_none() {
        if let Some(points) = block_label.as_deref().and_then(points_in) {
            ex.weight = Some(Figure {
                value: Some(points),
                raw: block_label.clone().unwrap_or_default(),
                cell: cells
                    .row_texts(h)
                    .into_iter()
                    .find(|(c, _)| *c < first_col)
                    .map(|(c, _)| CellRef::new(h, c)),
            });
        }
    }
    table.execution = Some(ex);
}

/// A row label of the budget block: a funding line the profile knows, or words of one.
fn funding_like(profile: &crate::read::profile::Profile, label: &str) -> bool {
    if profile
        .labels()
        .lookup(label)
        .is_some_and(|(f, _)| f.id.starts_with("funding."))
    {
        return true;
    }
    let n = normalize_label(label);
    ["资金", "拨款", "总额", "合计", "收入", "预算"]
        .iter()
        .any(|w| n.contains(w))
        && n.chars().count() <= 20
}

/// The goal block: a row with 预期目标 and 实际完成情况 headers; the texts below them.
fn read_goal(
    table: &mut Table,
    cells: &Cells<'_>,
    words: &Words,
    used: &mut HashSet<(u32, u32)>,
    keep: &mut Vec<MetaField>,
) {
    for &r in &cells.rows {
        let texts = cells.row_texts(r);
        let expected = texts.iter().find(|(_, t)| words.is_goal_expected(t));
        let actual = texts.iter().find(|(_, t)| words.is_goal_actual(t));
        let (Some((ec, _)), Some((ac, _))) = (expected, actual) else {
            continue;
        };
        let below = r + 1;
        let goal = cells.text(below, *ec);
        let done = cells.text(below, *ac);
        table.goal = goal.clone();
        table.cells.insert(
            "goal".into(),
            crate::model::FieldSource {
                cell: CellRef::new(below, *ec),
                raw: goal,
                label: cells.text(r, *ec),
            },
        );
        table.goal_actual = Some(done.clone());
        table.cells.insert(
            "goal_actual".into(),
            crate::model::FieldSource {
                cell: CellRef::new(below, *ac),
                raw: done,
                label: cells.text(r, *ac),
            },
        );
        for (c, _) in &texts {
            used.insert((r, *c));
        }
        // Another goal beside the two (全年(调整)绩效目标 between 年初 and 实际, 重庆 部门整体):
        // kept under its header.
        for (c, text) in cells.row_texts(below) {
            used.insert((below, c));
            let header = texts.iter().rev().find(|(hc, _)| *hc <= c);
            if let Some((hc, label)) = header.filter(|(hc, _)| *hc != *ec && *hc != *ac) {
                if cells.text(below, *hc) == text {
                    keep.push(MetaField {
                        key: String::new(),
                        label: label.clone(),
                        value: text,
                        cell: Some(CellRef::new(below, c)),
                    });
                }
            }
        }
        return;
    }
}

/// Narrative rows (评价结论, 存在问题, 改进措施, 偏差原因分析, …) anywhere in the table: label, then
/// the text to its right; kept as metadata under the key.
fn read_narrative(
    table: &mut Table,
    cells: &Cells<'_>,
    words: &Words,
    _after: u32,
    used: &mut HashSet<(u32, u32)>,
) {
    for &r in &cells.rows {
        let texts = cells.row_texts(r);
        // The label is the row's first or second text (a block label may stand before it).
        let Some((i, key)) = texts
            .iter()
            .take(2)
            .enumerate()
            .find_map(|(i, (_, t))| words.narrative_key(t).map(|k| (i, k)))
        else {
            continue;
        };
        let (lc, label) = texts[i].clone();
        // The value: the next cell to the right (blank when the row has none).
        let vc = cells
            .at
            .keys()
            .filter(|(rr, c)| *rr == r && *c > lc)
            .map(|(_, c)| *c)
            .min();
        let value = vc.map(|c| cells.text(r, c)).unwrap_or_default();
        let cell = vc.map_or(CellRef::new(r, lc), |c| CellRef::new(r, c));
        table.metadata.retain(|m| m.cell.map(|c| c.row) != Some(r));
        table.metadata.push(MetaField {
            key: key.to_string(),
            label,
            value,
            cell: Some(cell),
        });
        for (c, _) in &texts {
            used.insert((r, *c));
        }
    }
    table
        .metadata
        .sort_by_key(|m| m.cell.map(|c| (c.row, c.col)));
}

/// 自评等级: a grade label anywhere in the range, its value the next text to the right. And a
/// total printed as a header field (重庆 部门整体: `自评总分(分) | 97.6` beside 主管部门) where no
/// total row gave the score.
fn read_grade(table: &mut Table, cells: &Cells<'_>, words: &Words, used: &mut HashSet<(u32, u32)>) {
    let scored = table.total.as_ref().is_some_and(|t| t.score.is_some());
    if !scored {
        'rows: for &r in &cells.rows {
            let texts = cells.row_texts(r);
            for (k, (c, t)) in texts.iter().enumerate() {
                if used.contains(&(r, *c)) || !words.is_total(t) {
                    continue;
                }
                let Some((vc, _)) = texts.get(k + 1) else {
                    continue;
                };
                let Some(f) = cells.figure(r, *vc, false).filter(|f| f.value.is_some()) else {
                    continue;
                };
                table.total.get_or_insert_with(Total::default).score = Some(f);
                used.insert((r, *c));
                used.insert((r, *vc));
                break 'rows;
            }
        }
    }
    for &r in &cells.rows {
        let texts = cells.row_texts(r);
        let Some(pos) = texts.iter().position(|(_, t)| words.is_grade(t)) else {
            continue;
        };
        if let Some((c, g)) = texts.get(pos + 1) {
            let total = table.total.get_or_insert_with(Total::default);
            total.grade = Some(Note {
                text: g.clone(),
                cell: Some(CellRef::new(r, *c)),
            });
            used.insert((r, *c));
        }
        used.insert((r, texts[pos].0));
        return;
    }
}
