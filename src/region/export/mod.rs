//! The model as a database (`jixiao export`): SQLite through rusqlite, or the same tables as
//! CSV files in a folder.
//!
//! ```text
//!  files          id, path, status (ok / failed), error, tables
//!  tables         id, file_id → files, seq, sheet, range, kind, profile, layout, year, title,
//!                 project, department, department_code, implementing_unit, attribute, period,
//!                 category, goal, long_term_goal, total, annual_total, own_total, own_fiscal,
//!                 own_other, own_carryover, transfer_total, transfer_central, transfer_regional,
//!                 indicators, grade, score, and for a self-evaluation or monitoring table form,
//!                 goal_actual, execution_rate, budget_weight, budget_score(_computed),
//!                 total_score(_computed), total_grade(_computed)
//!  funding_lines  id, table_id → tables, seq, parent_seq, key, label, scope, role, amount,
//!                 amount_text, raw, cell
//!  indicators     id, table_id → tables, seq, grid, level1, level2, name, class, value,
//!                 comparator, number, number_text, unit, unit_column, nature, weight, cell,
//!                 name_cell, actual, actual_number, score, score_computed, reason, progress,
//!                 forecast, likelihood, causes
//!  findings       id, file_id → files, table_id → tables (NULL for a file), rule, rule_name,
//!                 severity, project, department, sheet, cell, field, message, found, expected
//!  execution_lines id, table_id → tables, seq, parent_seq, key, label, initial, adjusted,
//!                 executed, forecast, rate, rate_text, month, cell (the budget block of a
//!                 self-evaluation or monitoring table; rate in percent)
//! ```
//!
//! Amounts are in 万元. In SQLite they are REAL (to add up); the exact decimals as typed are
//! kept as text (`amount_text`, `number_text`); in CSV every amount is the exact decimal.
//! The output is written whole or not at all: a temporary file (or folder) beside the target,
//! renamed over it at the end; exporting again replaces it.

use rust_decimal::Decimal;

use crate::error::Result;
use crate::model::{Document, Finding, FundingScope, Indicator, Table, TableKind};

mod sinks;

pub use sinks::{csv_safe, CsvSink, SqliteSink};

/// A value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Null,
    /// An integer (ids, counts, years).
    Int(i64),
    /// An amount in 万元 (REAL in SQLite, the exact decimal in CSV).
    Money(Decimal),
    /// Text.
    Text(String),
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, text)
}

fn money(d: Option<Decimal>) -> Cell {
    d.map_or(Cell::Null, Cell::Money)
}

fn exact(d: Option<Decimal>) -> Cell {
    d.map_or(Cell::Null, |d| Cell::Text(d.to_string()))
}

/// A printed figure's number.
fn fig(f: &Option<crate::model::Figure>) -> Option<Decimal> {
    f.as_ref().and_then(|f| f.value)
}

fn int(i: usize) -> Cell {
    Cell::Int(i64::try_from(i).unwrap_or(i64::MAX))
}

fn cell_ref(c: Option<crate::CellRef>) -> Cell {
    c.map_or(Cell::Null, |c| Cell::Text(c.to_string()))
}

/// The tables and their columns (the first is the primary key `id`).
pub const SCHEMA: &[(&str, &[&str])] = &[
    ("files", &["id", "path", "status", "error", "tables"]),
    (
        "tables",
        &[
            "id",
            "file_id",
            "seq",
            "sheet",
            "range",
            "kind",
            "profile",
            "layout",
            "year",
            "title",
            "project",
            "department",
            "department_code",
            "implementing_unit",
            "attribute",
            "period",
            "category",
            "goal",
            "long_term_goal",
            "total",
            "annual_total",
            "own_total",
            "own_fiscal",
            "own_other",
            "own_carryover",
            "transfer_total",
            "transfer_central",
            "transfer_regional",
            "indicators",
            "grade",
            "score",
            "form",
            "goal_actual",
            "execution_rate",
            "budget_weight",
            "budget_score",
            "budget_score_computed",
            "total_score",
            "total_score_computed",
            "total_grade",
            "total_grade_computed",
        ],
    ),
    (
        "funding_lines",
        &[
            "id",
            "table_id",
            "seq",
            "parent_seq",
            "key",
            "label",
            "scope",
            "role",
            "amount",
            "amount_text",
            "raw",
            "cell",
        ],
    ),
    (
        "indicators",
        &[
            "id",
            "table_id",
            "seq",
            "grid",
            "level1",
            "level2",
            "name",
            "class",
            "value",
            "comparator",
            "number",
            "number_text",
            "unit",
            "unit_column",
            "nature",
            "weight",
            "cell",
            "name_cell",
            "actual",
            "actual_number",
            "score",
            "score_computed",
            "reason",
            "progress",
            "forecast",
            "likelihood",
            "causes",
        ],
    ),
    (
        "findings",
        &[
            "id",
            "file_id",
            "table_id",
            "rule",
            "rule_name",
            "severity",
            "project",
            "department",
            "sheet",
            "cell",
            "field",
            "message",
            "found",
            "expected",
        ],
    ),
    (
        "execution_lines",
        &[
            "id",
            "table_id",
            "seq",
            "parent_seq",
            "key",
            "label",
            "initial",
            "adjusted",
            "executed",
            "forecast",
            "rate",
            "rate_text",
            "month",
            "cell",
        ],
    ),
];

/// The SQLite schema: the tables of [`SCHEMA`] with their types and keys.
pub(crate) const SQL_SCHEMA: &str = "
CREATE TABLE files (
  id INTEGER PRIMARY KEY, path TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
  tables INTEGER NOT NULL);
CREATE TABLE tables (
  id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id), seq INTEGER NOT NULL,
  sheet TEXT, range TEXT, kind TEXT, profile TEXT, layout TEXT, year INTEGER, title TEXT,
  project TEXT, department TEXT, department_code TEXT, implementing_unit TEXT, attribute TEXT,
  period TEXT, category TEXT, goal TEXT, long_term_goal TEXT,
  total REAL, annual_total REAL, own_total REAL, own_fiscal REAL, own_other REAL,
  own_carryover REAL, transfer_total REAL, transfer_central REAL, transfer_regional REAL,
  indicators INTEGER NOT NULL, grade TEXT, score INTEGER, form TEXT, goal_actual TEXT,
  execution_rate REAL, budget_weight REAL, budget_score REAL, budget_score_computed REAL,
  total_score REAL, total_score_computed REAL, total_grade TEXT, total_grade_computed TEXT);
CREATE TABLE funding_lines (
  id INTEGER PRIMARY KEY, table_id INTEGER NOT NULL REFERENCES tables(id), seq INTEGER NOT NULL,
  parent_seq INTEGER, key TEXT, label TEXT, scope TEXT, role TEXT, amount REAL,
  amount_text TEXT, raw TEXT, cell TEXT);
CREATE TABLE indicators (
  id INTEGER PRIMARY KEY, table_id INTEGER NOT NULL REFERENCES tables(id), seq INTEGER NOT NULL,
  grid TEXT NOT NULL, level1 TEXT, level2 TEXT, name TEXT, class TEXT, value TEXT,
  comparator TEXT, number REAL, number_text TEXT, unit TEXT, unit_column TEXT, nature TEXT,
  weight REAL, cell TEXT, name_cell TEXT, actual TEXT, actual_number REAL, score REAL,
  score_computed REAL, reason TEXT, progress TEXT, forecast TEXT, likelihood TEXT, causes TEXT);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id),
  table_id INTEGER REFERENCES tables(id), rule TEXT NOT NULL, rule_name TEXT,
  severity TEXT NOT NULL, project TEXT, department TEXT, sheet TEXT, cell TEXT, field TEXT,
  message TEXT, found TEXT, expected TEXT);
CREATE TABLE execution_lines (
  id INTEGER PRIMARY KEY, table_id INTEGER NOT NULL REFERENCES tables(id), seq INTEGER NOT NULL,
  parent_seq INTEGER, key TEXT, label TEXT, initial REAL, adjusted REAL, executed REAL,
  forecast REAL, rate REAL, rate_text TEXT, month INTEGER, cell TEXT);
CREATE INDEX tables_file ON tables(file_id);
CREATE INDEX execution_table ON execution_lines(table_id);
CREATE INDEX lines_table ON funding_lines(table_id);
CREATE INDEX indicators_table ON indicators(table_id);
CREATE INDEX findings_table ON findings(table_id);
";

/// Where rows go: a database or CSV files.
pub trait Sink {
    /// Appends one row to a table of [`SCHEMA`].
    ///
    /// # Errors
    /// When the row cannot be written.
    fn row(&mut self, table: usize, row: &[Cell]) -> Result<()>;
}

/// Turns documents into rows, numbering the keys.
#[derive(Debug, Default)]
pub struct Rows {
    files: i64,
    tables: i64,
    lines: i64,
    indicators: i64,
    findings: i64,
    execution: i64,
}

fn kind_id(k: TableKind) -> &'static str {
    match k {
        TableKind::Project => "project",
        TableKind::Department => "department",
    }
}

fn scope_id(s: FundingScope) -> &'static str {
    match s {
        FundingScope::Annual => "annual",
        FundingScope::MidTerm => "mid-term",
        FundingScope::Other => "other",
    }
}

fn json_id<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl Rows {
    /// Writes one file that was read: its row, its tables with their lines and indicators,
    /// and its findings (each finding's `table` indexes `doc.tables`).
    ///
    /// # Errors
    /// When the sink fails.
    pub fn file(
        &mut self,
        sink: &mut dyn Sink,
        path: &str,
        doc: &Document,
        findings: &[Finding],
    ) -> Result<()> {
        self.files += 1;
        let file_id = self.files;
        sink.row(
            0,
            &[
                Cell::Int(file_id),
                text(path),
                text("ok"),
                Cell::Null,
                int(doc.tables.len()),
            ],
        )?;
        let first_table = self.tables + 1;
        for (seq, t) in doc.tables.iter().enumerate() {
            self.table(sink, file_id, seq, t)?;
        }
        for f in findings {
            self.findings += 1;
            let table_id = f
                .table
                .filter(|&i| i < doc.tables.len())
                .map_or(Cell::Null, |i| Cell::Int(first_table + i as i64));
            sink.row(
                4,
                &[
                    Cell::Int(self.findings),
                    Cell::Int(file_id),
                    table_id,
                    text(&f.rule),
                    text(&f.rule_name),
                    text(f.severity.id()),
                    text(&f.project),
                    text(&f.department),
                    text(&f.sheet),
                    cell_ref(f.cell),
                    opt_text(f.field.as_deref()),
                    text(&f.message),
                    opt_text(f.found.as_deref()),
                    opt_text(f.expected.as_deref()),
                ],
            )?;
        }
        Ok(())
    }

    /// Writes a file that could not be read.
    ///
    /// # Errors
    /// When the sink fails.
    pub fn failed(&mut self, sink: &mut dyn Sink, path: &str, error: &str) -> Result<()> {
        self.files += 1;
        sink.row(
            0,
            &[
                Cell::Int(self.files),
                text(path),
                text("failed"),
                text(error),
                Cell::Int(0),
            ],
        )
    }

    fn table(&mut self, sink: &mut dyn Sink, file_id: i64, seq: usize, t: &Table) -> Result<()> {
        self.tables += 1;
        let id = self.tables;
        let ex = t.execution.as_ref();
        let total = t.total.as_ref();
        let f = &t.funding;
        let p = &t.project;
        sink.row(
            1,
            &[
                Cell::Int(id),
                Cell::Int(file_id),
                int(seq + 1),
                text(&t.source.sheet),
                text(&t.source.range),
                text(kind_id(t.kind)),
                text(&t.profile.id),
                text(t.layout.id()),
                t.year.map_or(Cell::Null, |y| Cell::Int(i64::from(y))),
                text(&t.title),
                text(&p.name),
                text(&p.department),
                opt_text(p.department_code.as_deref()),
                text(&p.implementing_unit),
                text(&p.attribute),
                text(&p.period),
                text(&p.category),
                text(&t.goal),
                text(&t.long_term_goal),
                money(f.total),
                money(f.annual_total),
                money(f.own.total),
                money(f.own.fiscal),
                money(f.own.other),
                money(f.own.carryover),
                money(f.transfer.total),
                money(f.transfer.central),
                money(f.transfer.regional),
                int(t.indicators.len()),
                opt_text(t.grade.as_ref().map(|g| g.grade.as_str())),
                t.grade
                    .as_ref()
                    .map_or(Cell::Null, |g| Cell::Int(i64::from(g.score))),
                if t.form.is_targets() {
                    Cell::Null
                } else {
                    text(t.form.id())
                },
                opt_text(t.goal_actual.as_deref()),
                money(ex.and_then(|e| e.total_line()).and_then(|l| fig(&l.rate))),
                money(ex.and_then(|e| fig(&e.weight))),
                money(ex.and_then(|e| fig(&e.score))),
                money(ex.and_then(|e| e.score_computed)),
                money(total.and_then(|x| fig(&x.score))),
                money(total.and_then(|x| x.score_computed)),
                opt_text(
                    total
                        .and_then(|x| x.grade.as_ref())
                        .map(|g| g.text.as_str()),
                ),
                opt_text(total.and_then(|x| x.grade_computed.as_deref())),
            ],
        )?;
        if let Some(e) = ex {
            for (k, l) in e.lines.iter().enumerate() {
                self.execution += 1;
                sink.row(
                    5,
                    &[
                        Cell::Int(self.execution),
                        Cell::Int(id),
                        int(k + 1),
                        l.parent.map_or(Cell::Null, |p| int(p + 1)),
                        text(&l.key),
                        text(&l.label),
                        money(fig(&l.initial)),
                        money(fig(&l.adjusted)),
                        money(fig(&l.executed)),
                        money(fig(&l.forecast)),
                        money(fig(&l.rate)),
                        opt_text(l.rate.as_ref().map(|r| r.raw.as_str())),
                        e.month.map_or(Cell::Null, |m| Cell::Int(i64::from(m))),
                        cell_ref(l.cell),
                    ],
                )?;
            }
        }
        for (k, l) in f.lines.iter().enumerate() {
            self.lines += 1;
            sink.row(
                2,
                &[
                    Cell::Int(self.lines),
                    Cell::Int(id),
                    int(k + 1),
                    l.parent.map_or(Cell::Null, |p| int(p + 1)),
                    text(&l.key),
                    text(&l.label),
                    text(scope_id(l.scope)),
                    opt_text(l.role.as_deref()),
                    money(l.amount),
                    exact(l.amount),
                    text(&l.raw),
                    cell_ref(l.cell),
                ],
            )?;
        }
        let grids = std::iter::once(("annual", &t.indicators)).chain(
            t.other_grids
                .iter()
                .map(|g| (g.key.as_str(), &g.indicators)),
        );
        for (grid, inds) in grids {
            for (k, ind) in inds.iter().enumerate() {
                self.indicator(sink, id, k, grid, ind)?;
            }
        }
        Ok(())
    }

    fn indicator(
        &mut self,
        sink: &mut dyn Sink,
        table_id: i64,
        seq: usize,
        grid: &str,
        ind: &Indicator,
    ) -> Result<()> {
        self.indicators += 1;
        let r = &ind.result;
        sink.row(
            3,
            &[
                Cell::Int(self.indicators),
                Cell::Int(table_id),
                int(seq + 1),
                text(grid),
                text(&ind.level1),
                text(&ind.level2),
                text(&ind.name),
                text(&json_id(&ind.class)),
                text(&ind.value.raw),
                opt_text(ind.value.comparator.as_deref()),
                money(ind.value.number),
                exact(ind.value.number),
                opt_text(ind.value.unit.as_deref()),
                opt_text(ind.unit_column.as_deref()),
                opt_text(ind.nature.as_deref()),
                money(ind.weight),
                cell_ref(ind.cell),
                cell_ref(ind.name_cell),
                opt_text(r.actual.as_ref().map(|a| a.value.raw.as_str())),
                money(r.actual.as_ref().and_then(|a| a.value.number)),
                money(fig(&r.score)),
                money(r.score_computed),
                opt_text(r.reason.as_ref().map(|n| n.text.as_str())),
                opt_text(r.progress.as_ref().map(|a| a.value.raw.as_str())),
                opt_text(r.forecast.as_ref().map(|a| a.value.raw.as_str())),
                opt_text(r.likelihood.as_ref().map(|l| l.level.label())),
                if r.causes.is_empty() {
                    Cell::Null
                } else {
                    Cell::Text(
                        r.causes
                            .iter()
                            .map(|c| c.category.as_str())
                            .collect::<Vec<_>>()
                            .join("、"),
                    )
                },
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_and_sql_agree() {
        for (name, cols) in SCHEMA {
            let start = SQL_SCHEMA
                .find(&format!("CREATE TABLE {name} ("))
                .unwrap_or_else(|| panic!("{name}"));
            let body = &SQL_SCHEMA[start..];
            let body = &body[..body.find(");").unwrap_or(body.len())];
            let declared: Vec<&str> = body
                .split_once('(')
                .map_or("", |(_, b)| b)
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .collect();
            assert_eq!(&declared, cols, "{name}");
        }
    }

    #[test]
    fn csv_text_that_would_run_gets_a_quote() {
        for risky in ["=1+1", "+86 951", "-项目", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_safe(risky), format!("'{risky}"));
        }
        for plain in ["-5.00", "+3", "项目=1", "甲", ""] {
            assert_eq!(csv_safe(plain), plain);
        }
    }

    #[test]
    fn a_failed_export_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("数据.sqlite");
        let mut sink = SqliteSink::create(&target).unwrap_or_else(|e| panic!("{e}"));
        let mut rows = Rows::default();
        rows.failed(&mut sink, "a.xlsx", "坏了")
            .unwrap_or_else(|e| panic!("{e}"));
        drop(sink);
        assert_eq!(
            std::fs::read_dir(dir.path()).map(Iterator::count).ok(),
            Some(0)
        );
    }
}
