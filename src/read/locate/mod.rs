//! Grid → tables: finds every table on a sheet by its labels and reads its fields.
//!
//! The reading runs in stages, one module each, in the order a table is met:
//! `tokens` (each row's non-empty cells, classified by label), `blocks` (where tables start
//! and end on a sheet, and their title, year and unit), `header` (the header fields),
//! `funding` (the funding block's amounts), `indicators` (the indicator grids) and
//! `footer` (sign-off rows under the grid).
//!
//! Each stage keeps its own state and hands a typed value to the next: the header stage
//! (`HeaderStage`, with the funding block's `Funds`) reads the rows above
//! the grid and ends, at the grid's header row, as a `HeaderPart` (how many fields it
//! read and the funding block's amounts); the grid stage (`GridStage`) starts from
//! that header row and the grid title the header stage saw; the footer stage takes the
//! sign-off rows. All of them write into one `Draft`: the table being built, the reader's
//! notices and the bookkeeping of which cells the model holds (for `extra`).
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
mod boxes;
mod checkbox;
mod codes;
mod columns;
mod department;
mod flat;
mod footer;
mod funding;
mod groups;
mod header;
mod headings;
mod indicators;
mod label_shape;
mod lines;
mod merged;
mod meta;
mod money_cols;
mod outline;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cells;
#[cfg(test)]
mod tests_kind;
mod titled;
mod tokens;
mod unlevelled;

use std::collections::HashMap;

use crate::cell::{range_name, CellRef};
use crate::model::{ExtraCell, FieldSource, Finding, Severity, Source, Table, TableKind};
use crate::read::grid::Sheet;
use crate::read::labels::FastSet;
use crate::read::profile::{Profile, ProfileRef, Profiles};
use crate::read::values::{collapse_spaces, strip_markup, MoneyUnit};

pub use codes::split_department_code;
pub(crate) use money_cols::{column_kind, MoneyCol};
pub(crate) use tokens::{is_placeholder, reads_inline};

use blocks::{is_preamble_row, year_re};
use funding::Funds;
use header::{HeaderPart, HeaderStage};
use indicators::GridStage;
use tokens::{tokens, Tok};

/// Rows above a 项目名称 label searched for the table's title, year and unit.
const PREAMBLE_ROWS: usize = 8;

/// The group label of a block of cells nothing understood, under the grid (what `convert`
/// writes for a table's `extra`).
const EXTRA_GROUP: &str = "其他";

/// Blank rows that end an indicator grid (a stray cell far below is not part of the table).
const MAX_GRID_GAP: u32 = 5;

/// A table read from a sheet, with the reader's notices about it.
#[derive(Debug, Clone)]
pub struct Located {
    /// The table.
    pub table: Table,
    /// Changes the reader made to what was typed (info) and values it could not read.
    pub notices: Vec<Finding>,
    /// False for a table whose range does not hold the whole form (the projects of a flat
    /// list share its header rows): it has no geometry of its own to be written in.
    pub own_geometry: bool,
}

/// Finds and reads every table on a sheet, with the profile its labels name.
pub fn locate_tables(sheet: &Sheet, file: &str) -> Vec<Located> {
    locate_tables_with(sheet, file, None, &Profiles::builtin())
}

/// Finds and reads every table on a sheet with `profile`, or the one its labels name.
pub(crate) fn locate_tables_with(
    sheet: &Sheet,
    file: &str,
    profile_arg: Option<&ProfileRef>,
    profiles: &Profiles,
) -> Vec<Located> {
    // Every text cell normalised once, for the profile's detection and the label lookups.
    let norms: Vec<Vec<Option<String>>> = sheet.rows.iter().map(tokens::normalized).collect();
    // A sheet `convert` wrote records the profile its source was read with: the table is
    // read (and checked) as its source was, whatever layout printed it.
    let recorded = sheet.record.profile.as_deref();
    let (profile, why) = match (profile_arg, recorded.and_then(|id| profiles.get(id))) {
        (Some(p), _) => (*p, format!("按指定的表样配置“{}”（{}）读取", p.name, p.id)),
        (None, Some(p)) => (
            p,
            format!(
                "按表样配置“{}”（{}）读取：本表由 jixiao 转换写出，原表按此配置读取（记录在本工作表的名称 jixiao_profile_* 中）",
                p.name, p.id
            ),
        ),
        (None, None) => {
            let texts = norms.iter().flatten().flatten().map(String::as_str);
            let d = profiles.detect_normalized(texts);
            let unknown = recorded.map_or_else(String::new, |id| {
                format!("（原表按表样配置“{id}”读取，此处没有该配置）")
            });
            let why = if d.found.is_empty() {
                format!(
                    "未找到任何表样的特有标签，按默认表样配置“{}”（{}）读取",
                    d.profile.name, d.profile.id
                )
            } else {
                format!(
                    "按表样配置“{}”（{}）读取：找到其特有标签“{}”",
                    d.profile.name,
                    d.profile.id,
                    d.found.join("”“")
                )
            };
            (d.profile, why + &unknown)
        }
    };
    let mut out = read_sheet(sheet, file, &norms, profile, &why);
    // A 部门整体 profile picked from a department's name and code (a transfer-payment form's
    // 部门(单位)名称 / 部门预算编码 above its 项目名称) for a table that turns out to be a
    // project's (a project named, no 部门职责 or 年度履职目标): the table is a project's, of the
    // project profile the sheet's words name, its funding lines keyed as that profile keys them.
    let flipped = |l: &Located| l.table.kind == TableKind::Project;
    let chosen = profile_arg.is_some() || recorded.is_some_and(|id| id == profile.id);
    if !chosen && profile.kind == TableKind::Department && out.iter().any(flipped) {
        let texts = norms.iter().flatten().flatten().map(String::as_str);
        let form = profile.get().form();
        let d = profiles.detect_among(texts, |p| p.kind == TableKind::Project && p.form() == form);
        if d.profile.kind == TableKind::Project {
            for l in out.iter_mut().filter(|l| flipped(l)) {
                reprofile(l, d.profile);
            }
        }
    }
    if sheet.record.no_levels {
        for l in &mut out {
            levels_not_printed(&mut l.table);
        }
    }
    if let Some(unit) = &sheet.record.short_money {
        for l in &mut out {
            l.table.recorded_short_money = Some(unit.clone());
        }
    }
    out
}

/// A table whose source's grid printed no level columns (`指标名称 | 指标值`), written in a
/// layout that prints them: while they are left blank they are not the table's columns, so
/// the table is checked as its source was (the framework cannot be checked). Levels filled in
/// since are read as any.
fn levels_not_printed(t: &mut Table) {
    let blank = t
        .indicators
        .iter()
        .all(|i| i.level1.trim().is_empty() && i.level2.trim().is_empty());
    if blank {
        t.columns
            .retain(|c| c.role != "level1" && c.role != "level2");
    }
}

/// A table read with a 部门整体 profile that turned out to be a project's: of `profile` from
/// now on, each funding line keyed (and its cell recorded) as `profile` reads its label, the
/// fixed amounts derived again, the reason told in the table's `read.profile` notice.
fn reprofile(l: &mut Located, profile: ProfileRef) {
    let p = profile.get();
    let t = &mut l.table;
    t.profile = profile;
    for line in &mut t.funding.lines {
        let Some((field, _)) = p.labels().lookup(&line.label) else {
            continue;
        };
        let Some(def) = p.funding_by_field(&field.id) else {
            continue;
        };
        let id = def.field_id();
        let old = t
            .cells
            .iter()
            .find(|(k, f)| k.starts_with("funding.") && Some(f.cell) == line.cell)
            .map(|(k, _)| k.clone());
        if let Some(src) = old.and_then(|k| t.cells.remove(&k)) {
            t.cells.insert(id, src);
        }
        line.key = def.key.clone();
        line.role = def.role.clone();
    }
    t.funding.derive_views(p);
    for n in l.notices.iter_mut().filter(|n| n.rule == "read.profile") {
        n.message = format!(
            "{}；表中填的是项目（有项目名称，无部门职责、年度履职目标），按项目表的表样配置“{}”（{}）读取",
            n.message, p.name, p.id
        );
    }
}

/// Reads every table on a sheet with `profile` (`why`: how it was chosen, a notice of each
/// table). `norms`: every text cell normalised.
fn read_sheet(
    sheet: &Sheet,
    file: &str,
    norms: &[Vec<Option<String>>],
    profile: ProfileRef,
    why: &str,
) -> Vec<Located> {
    let labels = profile.get().labels();
    let rows: Vec<Vec<Tok<'_>>> = sheet
        .rows
        .iter()
        .zip(norms)
        .map(|(r, n)| tokens(r, n, labels))
        .collect();
    let merged = merged::down(sheet, &rows);
    if let Some(tables) = flat::read(&rows, &merged, file, &sheet.name, profile, why) {
        return tables;
    }
    if let Some(tables) = outline::read(&rows, &sheet.aligns, file, &sheet.name, profile, why) {
        return tables;
    }
    let mut starts = blocks::table_starts(&rows, &profile.anchor);
    let titled = titled::starts(&rows, &starts);
    starts.extend(&titled);
    starts.sort_unstable();
    let mut out = Vec::new();
    let merges: boxes::Merges = sheet.merges.iter().copied().collect();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(rows.len());
        let mut draft = Draft::new(file, &sheet.name, profile);
        draft.wide = sheet
            .merges
            .iter()
            .filter(|(a, b)| b.col >= a.col + 2)
            .map(|(a, _)| *a)
            .collect();
        draft.merges = Some(&merges);
        draft.notice("read.profile", Severity::Info, None, None, why.to_string());
        let mut stage = Stage::Header(HeaderStage::default());
        for (toks, merged) in rows[start..end].iter().zip(&merged[start..end]) {
            let (next, outcome) = stage.read_row(&mut draft, toks, merged);
            stage = next;
            if outcome == RowOutcome::End {
                break;
            }
        }
        if let Some(mut located) = stage.finish(draft) {
            if titled.contains(&start) {
                titled::name_from_title(&mut located);
            }
            out.push(located);
        }
    }
    // Tables stacked under one title (each introduced by a row naming it): one with no title
    // of its own is of the year of the table above it.
    for k in 1..out.len() {
        let (above, rest) = out.split_at_mut(k);
        let t = &mut rest[0].table;
        if t.year.is_none() && t.title.is_empty() {
            t.year = above[k - 1].table.year;
        }
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum RowOutcome {
    More,
    End,
}

/// Where a table's reading is: each stage with its own state, and what the stages before it
/// handed on.
enum Stage {
    /// Above the grid: header fields, funding block, tasks, costs.
    Header(HeaderStage),
    /// In an indicator grid, with what the header stage read.
    Grid(HeaderPart, GridStage),
    /// Sign-off rows under the grid.
    Footer(HeaderPart),
}

impl Stage {
    /// Reads one row; the stage it leaves the table in, and whether the table goes on.
    /// `merged`: the cells merged down onto the row from above ([`merged::down`]).
    fn read_row<'a>(
        self,
        d: &mut Draft<'_>,
        toks: &[Tok<'a>],
        merged: &[Tok<'a>],
    ) -> (Stage, RowOutcome) {
        if toks.is_empty() {
            return (self, RowOutcome::More);
        }
        match self {
            Stage::Header(mut h) => {
                d.see(toks);
                if let Some(title) = indicators::grid_title(d, toks) {
                    h.next_grid = Some(title);
                    return (Stage::Header(h), RowOutcome::More);
                }
                if let Some(heads) = groups::group_row(d, toks) {
                    h.groups = heads;
                    return (Stage::Header(h), RowOutcome::More);
                }
                let grouped = if h.groups.is_empty() {
                    groups::named_in_header(d, toks)
                        .or_else(|| groups::named_by_goals(d, toks))
                        .and_then(|heads| groups::start(d, toks, &heads))
                } else {
                    groups::start(d, toks, &h.groups)
                };
                if let Some(groups) = grouped {
                    let part = h.finish(d);
                    let mut g = GridStage::default();
                    g.groups = groups;
                    return (Stage::Grid(part, g), RowOutcome::More);
                }
                if let Some(g) = GridStage::start(d, toks, &mut h.next_grid) {
                    let part = h.finish(d);
                    return (Stage::Grid(part, g), RowOutcome::More);
                }
                if h.read_task_row(d, toks) || h.funds.read_cost_row(d, toks) {
                    return (Stage::Header(h), RowOutcome::More);
                }
                h.read_header_row(d, toks);
                h.end_spans();
                (Stage::Header(h), RowOutcome::More)
            }
            Stage::Grid(part, mut g) => {
                if ends_grid(d, toks) {
                    return (Stage::Grid(part, g), RowOutcome::End);
                }
                // Sign-off rows: metadata, and the grid is over.
                if footer::is_footer_row(toks)
                    || footer::label_value_cell(toks).is_some()
                    || (footer::is_review_row(toks)
                        && (g.starts_left_of_grid(toks) || footer::is_sealed(toks)))
                {
                    return Stage::Footer(part).read_row(d, toks, merged);
                }
                d.see(toks);
                if !g.groups.is_empty() {
                    groups::read_row(d, &mut g.groups, toks, merged);
                    return (Stage::Grid(part, g), RowOutcome::More);
                }
                if let Some(title) = indicators::grid_title(d, toks) {
                    g.next_grid = Some(title);
                    g.in_extra_block = false;
                    return (Stage::Grid(part, g), RowOutcome::More);
                }
                // The header again: repeated on a new printed page, or a second grid (长期/年度).
                if g.read_header(d, toks) {
                    g.in_extra_block = false;
                    g.level1.clear();
                    g.level2.clear();
                    return (Stage::Grid(part, g), RowOutcome::More);
                }
                if g.read_subheader_row(d, toks) {
                    return (Stage::Grid(part, g), RowOutcome::More);
                }
                if !g.read_extra_row(d, toks) && !titled::read_total_row(d, toks) {
                    g.read_merged_row(d, toks, merged);
                }
                (Stage::Grid(part, g), RowOutcome::More)
            }
            Stage::Footer(part) => {
                let footer = footer::is_footer_row(toks)
                    || footer::is_note_row(toks)
                    || footer::is_review_row(toks)
                    || footer::label_value_cell(toks).is_some();
                if ends_grid(d, toks) || !footer {
                    return (Stage::Footer(part), RowOutcome::End);
                }
                d.see(toks);
                footer::read_footer_row(d, toks);
                (Stage::Footer(part), RowOutcome::More)
            }
        }
    }

    /// The table read, or `None` when what was read is not one.
    fn finish(self, mut d: Draft<'_>) -> Option<Located> {
        let part = match self {
            Stage::Header(h) => {
                let part = h.finish(&mut d);
                // A header block with no grid under it (a form cut off, or one that prints its
                // indicators elsewhere) is still a table when it names its project and says
                // more of it (who, what kind, when, what for): read with no indicators, the
                // checker says what is missing. (A 项目名称 heading a column of a list names
                // nothing else.) Anything else needs three fields to be a table at all.
                let p = &d.table.project;
                let names_project = !p.name.trim().is_empty()
                    && [
                        &p.department,
                        &p.implementing_unit,
                        &p.attribute,
                        &p.period,
                        &p.category,
                        &d.table.goal,
                    ]
                    .iter()
                    .any(|v| !v.trim().is_empty());
                if part.fields < 3 && !(names_project && part.fields >= 2) {
                    return None;
                }
                part
            }
            Stage::Grid(part, _) | Stage::Footer(part) => part,
        };
        d.finish(part.funds)
    }
}

/// Under a grid: a row that starts the next table, or one far below the last (a stray cell).
fn ends_grid(d: &Draft<'_>, toks: &[Tok<'_>]) -> bool {
    let row = toks[0].cell.row;
    let gap = d.max.map_or(0, |m| row.saturating_sub(m.row));
    is_preamble_row(toks) || gap > MAX_GRID_GAP
}

struct Notice {
    rule: &'static str,
    severity: Severity,
    cell: Option<CellRef>,
    field: Option<String>,
    message: String,
}

/// What every stage writes to: the table as read so far, the reader's notices, and which
/// cells the model holds (the others go to `extra`).
struct Draft<'f> {
    file: &'f str,
    sheet: &'f str,
    profile: &'static Profile,
    table: Table,
    notices: Vec<Notice>,
    min: Option<CellRef>,
    max: Option<CellRef>,
    /// The labels the 其他 block gives its cells.
    extra_labels: HashMap<CellRef, String>,
    /// Cells the model holds (as a value, label, level or header).
    used: FastSet<CellRef>,
    /// Every non-empty cell of the rows read, with its text (and, for a text cell, whether it
    /// is a label).
    seen: Vec<(CellRef, String, Option<bool>)>,
    /// Labels no field answers to, kept as metadata: named in one notice.
    unknown_labels: Vec<(CellRef, String)>,
    /// Cells merged across three columns or more: a heading there is no label left blank.
    wide: FastSet<CellRef>,
    /// The sheet's merged ranges ([`boxes`]), when read from a sheet.
    merges: Option<&'f boxes::Merges>,
}

impl<'f> Draft<'f> {
    fn new(file: &'f str, sheet: &'f str, profile: ProfileRef) -> Self {
        let profile_ref = profile;
        let profile = profile_ref.get();
        Draft {
            file,
            sheet,
            table: Table {
                unit: "万元".into(),
                kind: profile.kind,
                form: profile.form(),
                profile: profile_ref,
                ..Table::default()
            },
            profile,
            extra_labels: HashMap::new(),
            used: FastSet::default(),
            seen: Vec::new(),
            unknown_labels: Vec::new(),
            wide: FastSet::default(),
            merges: None,
            notices: Vec::new(),
            min: None,
            max: None,
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

    /// Notes every cell of a row as part of the table.
    fn see(&mut self, toks: &[Tok<'_>]) {
        for t in toks {
            self.extend(t.cell);
            self.seen.push((t.cell, t.text.clone(), t.is_label));
        }
    }

    /// Marks a cell as held by the model.
    /// A field whose label stands at `cell` with no value yet: it points at its label until a
    /// value turns up below it (kept if the field already has a source).
    fn await_value(&mut self, field: &str, cell: CellRef, label: &str) {
        self.table
            .cells
            .entry(field.to_string())
            .or_insert(FieldSource {
                cell,
                raw: String::new(),
                label: label.to_string(),
            });
    }

    fn use_cell(&mut self, cell: CellRef) {
        self.used.insert(cell);
    }

    /// A cell found to hold nothing the model keeps after all: kept as printed, in `extra`.
    fn unuse_cell(&mut self, cell: CellRef) {
        self.used.remove(&cell);
    }

    /// Keeps the printed label of a field (when it has one).
    fn label_field(&mut self, field: &str, label: &str) {
        if let Some(f) = self.table.cells.get_mut(field) {
            f.label = label.to_string();
        }
    }

    fn record(&mut self, field: &str, cell: CellRef, raw: &str) {
        self.used.insert(cell);
        let label = self
            .table
            .cells
            .get(field)
            .map(|f| f.label.clone())
            .unwrap_or_default();
        self.table.cells.insert(
            field.to_string(),
            FieldSource {
                cell,
                raw: raw.to_string(),
                label,
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

    /// A table that prints one 项目总体目标 and no 年度 goal: that is its goal (a table with
    /// both keeps the 总体 one as its long-term goal).
    fn goal_from_overall(&mut self) {
        let overall = self
            .table
            .cells
            .get("long_term_goal")
            .is_some_and(|f| f.label.contains("总体"));
        if !self.table.goal.is_empty() || !overall {
            return;
        }
        self.table.goal = std::mem::take(&mut self.table.long_term_goal);
        if let Some(f) = self.table.cells.remove("long_term_goal") {
            self.table.cells.insert("goal".into(), f);
        }
    }

    /// The table, with the funding block's amounts in its views, its year, its `extra`.
    fn finish(mut self, funds: Funds) -> Option<Located> {
        // The model's fixed fields are views of the lines.
        self.table.funding.derive_views(self.profile);
        self.goal_from_overall();
        // A 部门整体 table names no project: one whose header names one, with no 部门职责 or
        // 年度履职目标, is a project's table that prints its department's name and budget code
        // (a transfer-payment form's 部门(单位)名称 / 部门预算编码 above its 项目名称).
        let names_project = self
            .table
            .cells
            .get("project.name")
            .is_some_and(|f| !f.raw.trim().is_empty());
        let department_part = self
            .table
            .department
            .as_ref()
            .is_some_and(|p| !p.duties.is_empty() || !p.tasks.is_empty());
        if self.table.kind == TableKind::Department && names_project && !department_part {
            self.table.kind = TableKind::Project;
        }
        if let Some(cell) = funds.unit_cell.filter(|_| funds.unit != MoneyUnit::Wan) {
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
        // A table that prints no year line has the year its project name states
        // (`2018年南岳镇资产收益扶贫项目`).
        if self.table.year.is_none() {
            self.table.year = blocks::title_year_re()
                .captures(&self.table.project.name)
                .and_then(|c| c[1].parse().ok());
        }
        if let Some((cell, _)) = self.unknown_labels.first() {
            let names: Vec<&str> = self
                .unknown_labels
                .iter()
                .map(|(_, l)| l.as_str())
                .collect();
            let message = format!(
                "{} 个标签未能对应到任何字段，已按原标签连同其内容保留为其他信息：“{}”",
                names.len(),
                names.join("”“")
            );
            let cell = *cell;
            self.notice(
                "read.unknown-label",
                Severity::Info,
                Some(cell),
                None,
                message,
            );
        }
        self.collect_extras();
        let (first, last) = (self.min?, self.max?);
        self.table.source = Source {
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            range: range_name(first, last),
        };
        for n in &mut self.notices {
            if n.rule == "read.profile" {
                n.cell = Some(first);
            }
        }
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
        Some(Located {
            table,
            notices,
            own_geometry: true,
        })
    }

    /// Every cell seen that the model does not hold: kept in `extra`, with a notice.
    fn collect_extras(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        let mut last_label: HashMap<u32, String> = HashMap::new();
        for (cell, text, is_label) in seen {
            if self.used.contains(&cell) {
                let is_label =
                    is_label.unwrap_or_else(|| self.profile.labels().lookup(&text).is_some());
                if is_label {
                    last_label.insert(cell.row, collapse_spaces(&text));
                }
                continue;
            }
            if text.trim().is_empty() {
                continue;
            }
            let label = match self.extra_labels.get(&cell) {
                Some(l) => l.clone(),
                None => last_label.get(&cell.row).cloned().unwrap_or_default(),
            };
            self.notice(
                "read.unrecognised",
                Severity::Info,
                Some(cell),
                None,
                format!(
                    "单元格 {cell} 的内容“{}”未能识别，已原样保留在“其他”中",
                    collapse_spaces(&text)
                ),
            );
            self.table.extra.push(ExtraCell {
                label,
                value: collapse_spaces(&text),
                cell,
            });
        }
    }
}
