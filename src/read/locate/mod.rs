//! Grid → tables: finds every table on a sheet by its labels and reads its fields.
//!
//! The reading runs in stages, one module each, in the order a table is met:
//! [`tokens`] (each row's non-empty cells, classified by label), [`blocks`] (where tables start
//! and end on a sheet, and their title, year and unit), [`header`] (the header fields),
//! [`funding`] (the funding block's amounts), [`indicators`] (the indicator grids) and
//! [`footer`] (sign-off rows under the grid). [`TableReader`] carries one table's state from
//! row to row.
//!
//! A table is anchored on its 项目名称 label; the title, `(2026年)` and `单位：万元` rows just
//! above it belong to it; it ends where the next table's preamble starts, or at a footer row.
//! Inside, each row is read as a sequence of non-empty cells (merges collapse to one cell
//! whatever the column count), and a value is the next non-label cell to the right of its
//! label. The classic layout:
//!
//! ```text
//!  | A               | B           | C    | D                    | E        | F   |
//!  | 项目名称         | (value, merged B:F)                                          |
//!  | 主管部门         | value       |      | 实施单位              | value          |
//!  | 其中：本级资金    | 资金总额     | 45   | 其中：转移市县（区）资金 | 资金总额  | 0   |
//!  |                 | 财政拨款     | 45   |                      | 中央资金  | 0   |
//!  | 一级指标         | 二级指标     | 三级指标 (C:D)               | 指标值 (E:F)   |
//!  | 产出指标 (merged)| 数量指标     | 网络安全宣传周项目             | 1项            |
//! ```
//!
//! Indicator rows are read by vocabulary first (一级/二级 names are recognised wherever they
//! sit, so a row pushed one column right still reads), then by the header's columns.

mod blocks;
mod footer;
mod funding;
mod header;
mod indicators;
#[cfg(test)]
mod tests;
mod tokens;

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::cell::{range_name, CellRef};
use crate::model::{FieldSource, Finding, Severity, Source, Table};
use crate::read::grid::Sheet;
use crate::read::values::{collapse_spaces, strip_markup, MoneyUnit};

pub use header::split_department_code;

use blocks::{is_preamble_row, year_re};
use indicators::{GridHeader, Slot};
use tokens::{tokens, Tok};

/// Rows above a 项目名称 label searched for the table's title, year and unit.
const PREAMBLE_ROWS: usize = 8;

/// Blank rows that end an indicator grid (a stray cell far below is not part of the table).
const MAX_GRID_GAP: u32 = 5;

/// A table read from a sheet, with the reader's notices about it.
#[derive(Debug, Clone)]
pub struct Located {
    /// The table.
    pub table: Table,
    /// Changes the reader made to what was typed (info) and values it could not read.
    pub notices: Vec<Finding>,
}

/// Finds and reads every table on a sheet.
pub fn locate_tables(sheet: &Sheet, file: &str) -> Vec<Located> {
    let rows: Vec<Vec<Tok<'_>>> = sheet.rows.iter().map(tokens).collect();
    let starts = blocks::table_starts(&rows);
    let mut out = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(rows.len());
        let mut reader = TableReader::new(file, &sheet.name);
        for toks in &rows[start..end] {
            if reader.read_row(toks) == RowOutcome::End {
                break;
            }
        }
        if let Some(located) = reader.finish() {
            out.push(located);
        }
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum RowOutcome {
    More,
    End,
}

struct Notice {
    rule: &'static str,
    severity: Severity,
    cell: Option<CellRef>,
    field: Option<String>,
    message: String,
}

struct TableReader<'f> {
    file: &'f str,
    sheet: &'f str,
    table: Table,
    notices: Vec<Notice>,
    min: Option<CellRef>,
    max: Option<CellRef>,
    unit: MoneyUnit,
    unit_cell: Option<CellRef>,
    amounts: HashMap<&'static str, (Decimal, CellRef)>,
    transfer_col: Option<u32>,
    header_fields: usize,
    grid: Option<GridHeader>,
    slots: Vec<(u32, Slot)>,
    level1: String,
    level2: String,
    pending_below: Vec<(&'static str, u32, Option<MoneyUnit>)>,
    block_unit: Option<MoneyUnit>,
    saw_title: bool,
}

impl<'f> TableReader<'f> {
    fn new(file: &'f str, sheet: &'f str) -> Self {
        TableReader {
            file,
            sheet,
            table: Table {
                unit: "万元".into(),
                ..Table::default()
            },
            notices: Vec::new(),
            min: None,
            max: None,
            unit: MoneyUnit::Wan,
            unit_cell: None,
            amounts: HashMap::new(),
            transfer_col: None,
            header_fields: 0,
            grid: None,
            slots: Vec::new(),
            level1: String::new(),
            level2: String::new(),
            pending_below: Vec::new(),
            block_unit: None,
            saw_title: false,
        }
    }

    fn notice(
        &mut self,
        rule: &'static str,
        severity: Severity,
        cell: Option<CellRef>,
        field: Option<String>,
        message: String,
    ) {
        self.notices.push(Notice {
            rule,
            severity,
            cell,
            field,
            message,
        });
    }

    fn extend(&mut self, cell: CellRef) {
        let min = self.min.get_or_insert(cell);
        min.row = min.row.min(cell.row);
        min.col = min.col.min(cell.col);
        let max = self.max.get_or_insert(cell);
        max.row = max.row.max(cell.row);
        max.col = max.col.max(cell.col);
    }

    fn read_row(&mut self, toks: &[Tok<'_>]) -> RowOutcome {
        if toks.is_empty() {
            return RowOutcome::More;
        }
        if footer::is_footer_row(toks) {
            return RowOutcome::End;
        }
        if self.grid.is_some() {
            let row = toks[0].cell.row;
            let gap = self.max.map_or(0, |m| row.saturating_sub(m.row));
            if is_preamble_row(toks) || gap > MAX_GRID_GAP {
                return RowOutcome::End;
            }
            // The header again: repeated on a new printed page, or a second grid (长期/年度).
            if self.read_grid_header(toks) {
                for t in toks {
                    self.extend(t.cell);
                }
                self.level1.clear();
                self.level2.clear();
                return RowOutcome::More;
            }
            self.read_indicator_row(toks);
            return RowOutcome::More;
        }
        for t in toks {
            self.extend(t.cell);
        }
        if self.read_grid_header(toks) {
            return RowOutcome::More;
        }
        self.read_header_row(toks);
        RowOutcome::More
    }

    fn record(&mut self, field: &str, cell: CellRef, raw: &str) {
        self.table.cells.insert(
            field.to_string(),
            FieldSource {
                cell,
                raw: raw.to_string(),
            },
        );
    }

    fn clean_text(&mut self, field: &str, cell: CellRef, raw: &str) -> String {
        match strip_markup(raw) {
            Some(clean) => {
                self.notice(
                    "read.markup",
                    Severity::Info,
                    Some(cell),
                    Some(field.to_string()),
                    "单元格中的网页标记（如 <p>）已去除".into(),
                );
                clean
            }
            None => collapse_spaces(raw),
        }
    }

    fn finish(mut self) -> Option<Located> {
        let has_grid = self.grid.is_some();
        if !has_grid && self.header_fields < 3 {
            return None;
        }
        self.apply_amounts();
        if let Some(cell) = self.unit_cell.filter(|_| self.unit != MoneyUnit::Wan) {
            let unit = self.table.source_unit.clone().unwrap_or_default();
            self.notice(
                "read.unit-converted",
                Severity::Info,
                Some(cell),
                Some("unit".into()),
                format!("本表金额单位为{unit}，已换算为万元"),
            );
        }
        if self.table.year.is_none() {
            self.table.year = self
                .table
                .cells
                .get("year")
                .and_then(|f| year_re().captures(f.raw.trim()))
                .and_then(|c| c[1].parse().ok());
        }
        let (first, last) = (self.min?, self.max?);
        self.table.source = Source {
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            range: range_name(first, last),
        };
        let table = self.table;
        let notices = self
            .notices
            .into_iter()
            .map(|n| {
                let mut f = Finding::new(n.rule, n.severity, &table, n.cell, n.message);
                f.field = n.field;
                f
            })
            .collect();
        Some(Located { table, notices })
    }
}
