//! The grid of a self-evaluation or monitoring table: its result columns (实际完成值, 分值,
//! 得分, 偏差原因 …, 完成目标可能性 ticks), the total row it ends at, and the goal blocks its
//! rows are grouped in.

use std::collections::HashSet;

use crate::cell::CellRef;
use crate::model::{Cause, Likelihood, LikelihoodLevel, Note, Table, Total};
use crate::selfeval::columns::{Block, Columns};
use crate::selfeval::words::Words;

use super::{read_narrative, Cells};

/// One result column of the grid.
#[derive(Debug, Clone)]
enum ResultCol {
    Actual,
    Weight,
    Score,
    Reason,
    Progress,
    Forecast,
    Cause(String),
    Tick(LikelihoodLevel),
    LikelihoodWord,
}

/// The grid's result columns, the total row, the blocks and the narrative rows.
pub(super) fn read_grid(
    table: &mut Table,
    cells: &Cells<'_>,
    columns: &Columns,
    words: &Words,
    h: u32,
    used: &mut HashSet<(u32, u32)>,
) {
    let heads = ResultHeads::of(cells, columns, h, used);
    for col in table.columns.iter_mut() {
        if let Some((_, rc, _)) = col
            .cell
            .and_then(|c| heads.cols.iter().find(|(rc_col, _, _)| *rc_col == c.col))
        {
            col.role = rc.role().into();
        }
    }
    let (total_row, end) = grid_end(cells, words, h);
    let level1_col = table
        .columns
        .iter()
        .find(|c| c.role == "level1")
        .and_then(|c| c.cell)
        .map_or(cells.first.1, |c| c.col);
    let blocks = goal_blocks(cells, h, end, level1_col);
    // Rows of the grid that are not indicators: the sub-header, the total and what follows.
    table.indicators.retain(|i| {
        let row = i.name_cell.or(i.cell).map(|c| c.row);
        match row {
            Some(r) => heads.sub != Some(r) && r < end,
            None => false,
        }
    });
    let headers: HashSet<&String> = heads
        .cols
        .iter()
        .map(|(_, _, t)| t)
        .chain(heads.group.iter())
        .collect();
    for ind in &mut table.indicators {
        let Some(row) = ind.name_cell.or(ind.cell).map(|c| c.row) else {
            continue;
        };
        ind.extra.retain(|k, _| !headers.contains(k));
        for (c, rc, _) in &heads.cols {
            read_result(ind, cells, row, *c, rc);
        }
        ind.result.block = blocks
            .iter()
            .rev()
            .find(|(br, _)| *br <= row)
            .map(|(_, n)| n.clone());
    }
    let Some(t) = total_row else {
        read_narrative(table, cells, words, h, used);
        return;
    };
    let at = |want: fn(&ResultCol) -> bool| {
        heads
            .cols
            .iter()
            .find(|(_, rc, _)| want(rc))
            .and_then(|(c, _, _)| cells.figure(t, *c, false))
    };
    table.total = Some(Total {
        weight: at(|rc| matches!(rc, ResultCol::Weight)),
        score: at(|rc| matches!(rc, ResultCol::Score)),
        ..Total::default()
    });
    for (c, _) in cells.row_texts(t) {
        used.insert((t, c));
    }
    read_narrative(table, cells, words, t, used);
}

impl ResultCol {
    /// The role of the grid column it is (`GridColumn::role`).
    fn role(&self) -> &'static str {
        match self {
            ResultCol::Actual => "actual",
            ResultCol::Weight => "weight",
            ResultCol::Score => "score",
            ResultCol::Reason => "reason",
            ResultCol::Progress => "progress",
            ResultCol::Forecast => "forecast",
            ResultCol::Cause(_) => "cause",
            ResultCol::Tick(_) | ResultCol::LikelihoodWord => "likelihood",
        }
    }
}

/// The grid's result columns as its header rows name them.
struct ResultHeads {
    /// (column, what it holds, its header).
    cols: Vec<(u32, ResultCol, String)>,
    /// The second header row under grouped headers, when there is one.
    sub: Option<u32>,
    /// The texts of the header row.
    group: Vec<String>,
}

impl ResultHeads {
    /// The header row's columns, and a second header row under grouped headers (偏差原因分析
    /// over 经费保障 … 原因说明, 完成目标可能性 over 确定能 | 有可能 | 完全不可能), whose cells are
    /// marked used.
    fn of(cells: &Cells<'_>, columns: &Columns, h: u32, used: &mut HashSet<(u32, u32)>) -> Self {
        let role_col = |header: &str| -> Option<ResultCol> {
            let (role, _) = columns.role_of(Block::Grid, header)?;
            Some(match role {
                "actual" => ResultCol::Actual,
                "weight" => ResultCol::Weight,
                "score" => ResultCol::Score,
                "reason" => ResultCol::Reason,
                "progress" => ResultCol::Progress,
                "forecast" => ResultCol::Forecast,
                "cause" => ResultCol::Cause(header.trim().to_string()),
                "likelihood" => ResultCol::LikelihoodWord,
                _ => return None,
            })
        };
        let mut result: Vec<(u32, ResultCol, String)> = Vec::new();
        for (c, t) in cells.row_texts(h) {
            if let Some(rc) = role_col(&t) {
                result.push((c, rc, t));
            }
        }
        let sub = h + 1;
        let sub_texts = cells.row_texts(sub);
        let sub_roles: Vec<(u32, ResultCol, String)> = sub_texts
            .iter()
            .filter_map(|(c, t)| {
                if let Some(level) = LikelihoodLevel::parse(t) {
                    return Some((*c, ResultCol::Tick(level), t.clone()));
                }
                match role_col(t)? {
                    r @ (ResultCol::Cause(_) | ResultCol::Reason) => Some((*c, r, t.clone())),
                    _ => None,
                }
            })
            .collect();
        let has_sub = sub_roles.len() >= 2 && sub_roles.len() == sub_texts.len();
        if has_sub {
            // The group headers' own columns give way to the sub-headers.
            let sub_cols: HashSet<u32> = sub_roles.iter().map(|(c, _, _)| *c).collect();
            result.retain(|(c, rc, _)| {
                !sub_cols.contains(c)
                    && !matches!(rc, ResultCol::LikelihoodWord | ResultCol::Reason)
                    || matches!(rc, ResultCol::Actual | ResultCol::Score | ResultCol::Weight)
            });
            result.extend(sub_roles.iter().cloned());
            for (c, _) in &sub_texts {
                used.insert((sub, *c));
            }
        }
        ResultHeads {
            cols: result,
            sub: has_sub.then_some(sub),
            group: cells.row_texts(h).into_iter().map(|(_, t)| t).collect(),
        }
    }
}

/// The grid's total row, when it has one, and the row the grid ends before: the total, or
/// without one the first narrative row or note (注：…).
fn grid_end(cells: &Cells<'_>, words: &Words, h: u32) -> (Option<u32>, u32) {
    let total_row = cells.rows.iter().copied().filter(|&r| r > h).find(|&r| {
        cells
            .row_texts(r)
            .first()
            .is_some_and(|(_, first)| words.is_total(first))
    });
    let end = total_row.unwrap_or_else(|| {
        cells
            .rows
            .iter()
            .copied()
            .filter(|&r| r > h)
            .find(|&r| {
                cells.row_texts(r).first().is_some_and(|(_, t)| {
                    words.narrative_key(t).is_some()
                        || t.starts_with("注:")
                        || t.starts_with("注：")
                })
            })
            .unwrap_or(u32::MAX)
    });
    (total_row, end)
}

/// Blocks: a label left of 一级 that names a goal (`年度绩效目标1（40分）`), with its row.
fn goal_blocks(cells: &Cells<'_>, h: u32, end: u32, level1_col: u32) -> Vec<(u32, Note)> {
    let mut blocks = Vec::new();
    for &r in cells.rows.iter().filter(|&&r| r >= h && r < end) {
        for (c, t) in cells.row_texts(r) {
            if c < level1_col && t.contains("目标") {
                blocks.push((
                    r,
                    Note {
                        text: t,
                        cell: Some(CellRef::new(r, c)),
                    },
                ));
            }
        }
    }
    blocks
}

/// An indicator's result in column `c` of its row.
fn read_result(
    ind: &mut crate::model::Indicator,
    cells: &Cells<'_>,
    row: u32,
    c: u32,
    rc: &ResultCol,
) {
    let r = &mut ind.result;
    match rc {
        ResultCol::Actual => r.actual = cells.observed(row, c),
        ResultCol::Weight => {
            if let Some(f) = cells.figure(row, c, false) {
                ind.weight = f.value;
                r.weight_cell = f.cell;
            }
        }
        ResultCol::Score => r.score = cells.figure(row, c, false),
        ResultCol::Reason => r.reason = cells.note(row, c),
        ResultCol::Progress => r.progress = cells.observed(row, c),
        ResultCol::Forecast => r.forecast = cells.observed(row, c),
        ResultCol::Cause(category) => {
            if let Some(n) = cells.note(row, c) {
                r.causes.push(Cause {
                    category: category.clone(),
                    text: n.text,
                    cell: n.cell,
                });
            }
        }
        ResultCol::Tick(level) => {
            let t = cells.text(row, c);
            if Words::get().is_tick(&t) {
                r.likelihood = Some(Likelihood {
                    level: *level,
                    raw: t,
                    cell: Some(CellRef::new(row, c)),
                });
            }
        }
        ResultCol::LikelihoodWord => {
            let t = cells.text(row, c);
            if let Some(level) = LikelihoodLevel::parse(&t) {
                r.likelihood = Some(Likelihood {
                    level,
                    raw: t,
                    cell: Some(CellRef::new(row, c)),
                });
            }
        }
    }
}
