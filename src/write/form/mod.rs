//! One table → one form sheet, in a [`FormLayout`].
//!
//! [`plan`] lays the table out as cells (text, amounts, merges, widths, heights) and records
//! which cell each model field went to, so that findings can point at the regenerated cells;
//! [`emit()`](fn@emit) writes the plan to a worksheet, with the cells that carry an error or a warning
//! highlighted and annotated. The classic layout (see `templates/layout-classic.toml`):
//!
//! ```text
//!  | A           | B          | C        | D             | E         | F      |
//!  | 2026年宁夏回族自治区部门项目支出预算绩效表                                  |
//!  | 项目名称     | 宁夏网络安全服务项目                                          |
//!  | …header and funding blocks, goal…                                       |
//!  | 一级指标     | 二级指标    | 三级指标 (C:D)            | 指标值 (E:F)      |
//!  | 产出指标     | 数量指标    | 网络安全宣传周项目         | 1项              |
//!  |  (merged    |  (merged   | 网络安全应急演练项目       | 1项              |
//!  |   down)     |   down)    |                          |                  |
//! ```
//!
//! Text is always written as text (never as a formula), cut at Excel's 32,767-character limit
//! with a notice; amounts are numbers shown with two decimals.
//!
//! The stages, one file each: `header` (the layout's rows), `funding` (funding lines as
//! printed, the cost block), `grid` (the indicator grids), the blocks around them (`blocks`,
//! `department`), `sizing` (widths, heights) and `emit`.

mod blocks;
mod department;
mod emit;
mod funding;
mod grid;
mod header;
pub mod own;
mod sizing;

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;

use crate::cell::CellRef;
use crate::model::{FundingScope, Severity, Table};

use super::layout::{FormLayout, Span};
use super::measure;

pub(crate) use department::money_block_extras;
pub use emit::{emit, emit_with, format_for, severity_fill, EmitOptions, Mark};
use funding::field_lines;
pub use grid::{as_number, class_of, is_weight_header, printed_levels, split_value};
pub use own::{misfits, plan_for};
use sizing::fill_blanks;

/// The title of a table that has none: its profile's (a built-in one), else the layout's.
pub(crate) fn default_title(table: &Table, layout: &FormLayout) -> String {
    match table.year {
        Some(y) => table.profile.title_for(y),
        None => layout.default_title(table.year),
    }
}

/// What the table calls a model field: the label it printed beside it, its funding line's
/// label for an amount field, else its profile's wording; `None` when it has none of them.
pub(crate) fn own_words(table: &Table, field: &str) -> Option<String> {
    let printed = table
        .cells
        .get(field)
        .map(|f| crate::read::values::collapse_spaces(&f.label))
        .filter(|l| !l.trim().is_empty());
    let line = field_lines()
        .find(|(f, _)| *f == field)
        .and_then(|(_, keys)| {
            let lines = &table.funding.lines;
            lines
                .iter()
                .find(|l| {
                    keys.contains(&l.key.as_str())
                        && (field == "funding.total" || l.scope == FundingScope::Annual)
                })
                .map(|l| l.label.clone())
        })
        .filter(|l| !l.trim().is_empty());
    let worded = table.profile.wording(field).map(str::to_string);
    printed.or(line).or(worded)
}

/// Excel's limit on the characters of one cell, in UTF-16 units.
pub(crate) const MAX_CELL_TEXT: usize = 32_767;

/// The notice of grid columns a layout has no place for.
pub const RULE_DROPPED: &str = "write.extra-dropped";
/// The notice of values whose 定性 mark a layout cannot keep.
pub(crate) const RULE_REREAD: &str = "write.value-reread";
/// The notice of text cut at Excel's limit.
pub(crate) const RULE_TRUNCATED: &str = "write.text-truncated";
/// The listing of a cell nothing understood, written in the 其他 block.
pub const RULE_EXTRA: &str = "write.extra-cell";

/// The field a dropped grid column's notice names: `indicators.extra.<header>`.
pub fn dropped_column(header: &str) -> String {
    format!("indicators.extra.{header}")
}

/// The Chinese name of a writer's notice.
pub fn notice_name(rule: &str) -> &'static str {
    match rule {
        RULE_DROPPED => "版式中没有位置的列",
        RULE_REREAD => "定性标记未能保留",
        RULE_TRUNCATED => "文本超出单元格上限",
        RULE_EXTRA => "未归类的内容",
        _ => "",
    }
}

/// What a planned cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A fixed label of the layout.
    Label(String),
    /// A value written as text.
    Text(String),
    /// An amount in 万元, written as a number.
    Amount(Decimal),
    /// A value that is a plain number (`80`, `12.5`), written as a number; the text is what
    /// the reader gives back for the number.
    Number(String),
    /// A number shown as a percentage (`0.8` shown as `80%`), as the source typed it.
    Percent(f64),
    /// Nothing (a bordered blank).
    Blank,
}

impl Content {
    /// The text a person sees, for measuring.
    fn shown(&self) -> String {
        match self {
            Content::Label(s) | Content::Text(s) | Content::Number(s) => s.clone(),
            Content::Amount(d) => format!("{:.2}", d.round_dp(2)),
            Content::Percent(f) => crate::read::grid::CellValue::Percent(*f).display(),
            Content::Blank => String::new(),
        }
    }
}

/// How a planned cell looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The title line.
    Title,
    /// The year line.
    Subtitle,
    /// The unit line, right-aligned.
    Unit,
    /// A line above the header block (`预算单位：某局`), left-aligned, unbordered.
    Line,
    /// A label (bold, centred).
    Label,
    /// A first- or second-level indicator name (bold, centred).
    Level,
    /// A short value, centred.
    Text,
    /// A longer value, left-aligned.
    TextLeft,
    /// An amount (`0.00`, right-aligned).
    Amount,
}

impl Role {
    /// Text aligned to one side is indented one level from the border.
    fn indent(self) -> u8 {
        match self {
            Role::TextLeft | Role::Amount => 1,
            _ => 0,
        }
    }

    /// The room the indent takes, in pixels.
    fn indent_px(self) -> f64 {
        f64::from(self.indent()) * 9.0
    }
}

/// One planned cell or merged range.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCell {
    /// Top-left cell.
    pub first: CellRef,
    /// Bottom-right cell (equal to `first` when not merged).
    pub last: CellRef,
    /// What it holds.
    pub content: Content,
    /// How it looks.
    pub role: Role,
}

/// Something the writer had to do to a table, reported as a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteNotice {
    /// Rule id (`write.text-truncated`, …).
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The model field.
    pub field: Option<String>,
    /// The cell in the regenerated sheet.
    pub cell: Option<CellRef>,
    /// The source cell of what it concerns (a dropped item's, a dropped column's header).
    pub source: Option<CellRef>,
    /// What happened, in Chinese.
    pub message: String,
}

/// A table laid out as cells.
#[derive(Debug, Clone)]
pub struct FormPlan {
    /// The cells, in writing order.
    pub cells: Vec<PlannedCell>,
    /// Column widths, in characters, from column A.
    pub widths: Vec<f64>,
    /// Row heights, in points.
    pub heights: BTreeMap<u32, f64>,
    /// Model field path → the cell it was written to (`project.name` → `B4`,
    /// `indicators[3].value` → `E17`).
    pub fields: BTreeMap<String, CellRef>,
    /// First bordered row (the first header row).
    pub first_row: u32,
    /// Last row of the form.
    pub last_row: u32,
    /// Last column of the form.
    pub last_col: u16,
    /// The indicator grid's header row, repeated on every printed page.
    pub grid_header_row: u32,
    /// Funding line index → the layout field that shows it.
    pub line_fields: BTreeMap<usize, String>,
    /// Funding line index → the layout's label printed for it, where the line's own wording
    /// would not read back as that field (a flat list's column header 预算数 for 年度资金总额).
    pub line_labels: BTreeMap<usize, String>,
    /// What the writer changed or could not show.
    pub notices: Vec<WriteNotice>,
    /// The group label of the cells nothing understood (其他).
    pub extra_group: String,
    /// Cells aligned as their source aligned them (own geometry), overriding their role's
    /// alignment.
    pub aligns: BTreeMap<CellRef, crate::read::align::Align>,
    /// True when the form is the table's own geometry (every cell of its range where the
    /// source had it), not a built-in layout's rows.
    pub own_geometry: bool,
}

impl FormPlan {
    /// The cell showing funding line `i`: its own row, or the layout's field for it.
    pub(crate) fn line_cell(&self, i: usize) -> Option<CellRef> {
        self.fields
            .get(&format!("funding.lines[{i}]"))
            .or_else(|| {
                let field = self.line_fields.get(&i)?;
                self.fields.get(field)
            })
            .copied()
    }
}

/// Lays out one table in a layout.
pub fn plan(table: &Table, layout: &FormLayout) -> FormPlan {
    Planner::new(table, layout).run()
}

struct Planner<'a> {
    table: &'a Table,
    layout: &'a FormLayout,
    last_col: u16,
    /// Extra columns of the grid: header → column.
    extras: Vec<(String, u16)>,
    /// The header of the nature column written among `extras` (see [`Planner::new`]).
    nature_column: Option<String>,
    cells: Vec<PlannedCell>,
    fields: BTreeMap<String, CellRef>,
    notices: Vec<WriteNotice>,
    min_heights: BTreeMap<u32, f64>,
    /// Cells of `extra` written in a block of their own row (the cost block's 测算依据).
    placed_extras: HashSet<usize>,
    /// See [`FormPlan::line_labels`].
    line_labels: BTreeMap<usize, String>,
}

impl<'a> Planner<'a> {
    /// True when the table was read from a form (it records where its fields were printed):
    /// written in its own layout it prints only the labels that form printed.
    pub(super) fn read_from_a_form(&self) -> bool {
        !self.table.cells.is_empty() && self.layout.is_own(self.table)
    }

    /// The year line under the title: as the form printed it, or the layout's when the table
    /// was not read from a form (a template) or its title does not say the year; `None`
    /// when the form printed none (the year is in its title).
    fn year_line(&self) -> Option<String> {
        let y = self.table.year?.to_string();
        let printed = self.table.cells.get("year");
        if let Some(raw) = printed
            .map(|f| crate::read::values::collapse_spaces(&f.raw))
            .filter(|raw| raw.contains(&y))
        {
            return Some(raw);
        }
        let title_says = self.table.title.contains(&y);
        if self.read_from_a_form() && printed.is_none() && title_says {
            return None;
        }
        Some(self.layout.year_line.replace("{year}", &y))
    }

    fn new(table: &'a Table, layout: &'a FormLayout) -> Self {
        let mut extras: Vec<(String, u16)> = Vec::new();
        let mut nature_column: Option<String> = None;
        let mut notices = Vec::new();
        let mut last_col = layout.last_col();
        // A layout without extra columns drops them only when it is forced on a table of
        // another layout; in the table's own layout they are added after the last column.
        let own = layout.is_own(table);
        if layout.grid.extra.is_empty() && !own {
            // One notice per column dropped, naming its header cell: the read-back leaves
            // out exactly these columns, and their numbers are not looked for.
            let mut dropped: Vec<&str> = Vec::new();
            for ind in &table.indicators {
                for (h, v) in &ind.extra {
                    if !v.trim().is_empty() && !dropped.contains(&h.as_str()) {
                        dropped.push(h);
                    }
                }
            }
            for h in dropped {
                let source = table
                    .columns
                    .iter()
                    .find(|c| c.header == *h || c.header.trim() == h.trim())
                    .and_then(|c| c.cell);
                let at = source.map(|c| format!("（原表 {c}）")).unwrap_or_default();
                notices.push(WriteNotice {
                    rule: RULE_DROPPED,
                    severity: Severity::Warning,
                    field: Some(dropped_column(h)),
                    cell: None,
                    source,
                    message: format!(
                        "原表指标的“{h}”列{at}在{}中没有位置，未写出（按原表版式转换可保留）",
                        layout.description
                    ),
                });
            }
        } else {
            for e in &layout.grid.extra {
                extras.push((e.header.clone(), e.at.first));
            }
            // A grid with two columns of the nature's words (指标性质 | 指标方向): the first is
            // the nature, the second kept per row. Written in a layout without a nature
            // column, the second alone would read back as the nature: the first is written
            // too, under its own header, before it.
            let labels = table.profile.labels();
            let second = table
                .indicators
                .iter()
                .flat_map(|i| i.extra.keys())
                .any(|h| labels.lookup(h).is_some_and(|(d, _)| d.id == "grid.nature"));
            let first = table.columns.iter().find(|c| c.role == "nature");
            if let (None, true, Some(first)) = (layout.grid.nature, second, first) {
                last_col += 1;
                extras.push((first.header.clone(), last_col));
                nature_column = Some(first.header.clone());
            }
            for ind in &table.indicators {
                for h in ind.extra.keys() {
                    if !extras.iter().any(|(x, _)| x == h) {
                        last_col += 1;
                        extras.push((h.clone(), last_col));
                    }
                }
            }
        }
        Planner {
            table,
            layout,
            last_col,
            extras,
            nature_column,
            cells: Vec::new(),
            fields: BTreeMap::new(),
            notices,
            min_heights: BTreeMap::new(),
            placed_extras: HashSet::new(),
            line_labels: BTreeMap::new(),
        }
    }

    pub(super) fn span(&self, s: Span, row: u32) -> (CellRef, CellRef) {
        (
            CellRef::new(row, u32::from(s.first)),
            CellRef::new(row, u32::from(s.last_in(self.last_col))),
        )
    }

    /// Text for a cell, cut at Excel's limit with a notice.
    pub(super) fn text(&mut self, field: &str, text: &str, cell: CellRef) -> Content {
        if text.is_empty() {
            return Content::Blank;
        }
        let (cut, was_cut) = measure::cut_utf16(text, MAX_CELL_TEXT);
        if was_cut {
            self.notices.push(WriteNotice {
                rule: RULE_TRUNCATED,
                severity: Severity::Warning,
                field: Some(field.to_string()),
                cell: Some(cell),
                source: None,
                message: format!(
                    "文本长 {} 个字符，超过 Excel 单元格上限 {MAX_CELL_TEXT}，已截断",
                    text.encode_utf16().count()
                ),
            });
        }
        Content::Text(cut.to_string())
    }

    /// Lists an item the layout has no place for (`metadata[3]`, `funding.lines[2]`): it is
    /// not written, 问题清单 names it with its source cell, and the read-back leaves out
    /// exactly this item.
    pub(super) fn drop_item(&mut self, field: String, source: Option<CellRef>, what: &str) {
        let at = source.map(|c| format!("原表 {c} 的")).unwrap_or_default();
        self.notices.push(WriteNotice {
            rule: RULE_DROPPED,
            severity: Severity::Warning,
            field: Some(field),
            cell: None,
            source,
            message: format!(
                "{at}{what}在{}中没有位置，未写出（按原表版式转换可保留）",
                self.layout.description
            ),
        });
    }

    pub(super) fn push(&mut self, first: CellRef, last: CellRef, content: Content, role: Role) {
        self.cells.push(PlannedCell {
            first,
            last,
            content,
            role,
        });
    }

    fn run(mut self) -> FormPlan {
        let layout = self.layout;
        // Preamble: title, year, unit.
        let title = if self.table.title.trim().is_empty() {
            default_title(self.table, layout)
        } else {
            self.table.title.clone()
        };
        let (a, b) = self.span(layout.preamble.title, 0);
        let content = self.text("title", &title, a);
        self.push(a, b, content, Role::Title);
        self.fields.insert("title".into(), a);
        if let Some(line) = self.year_line() {
            let (a, b) = self.span(layout.preamble.year, 1);
            self.push(a, b, Content::Text(line), Role::Subtitle);
            self.fields.insert("year".into(), a);
        }
        // What the source printed above its header block, a line each, then the unit line.
        let unit_row = self.preamble_lines(2);
        let (a, b) = self.span(layout.preamble.unit, unit_row);
        self.push(a, b, Content::Text(layout.unit_line.clone()), Role::Unit);
        self.fields.insert("unit".into(), a);

        let first_row = unit_row + 1;
        let row = self.header_block(first_row);
        let grid_header_row = row;
        let indicators = &self.table.indicators;
        let mut last_row = self.grid(row, indicators, "indicators");
        for (k, g) in self.table.other_grids.iter().enumerate() {
            last_row = self.other_grid(last_row + 1, k, g);
        }
        last_row = self.extras(last_row + 1) - 1;
        last_row = self.metadata(last_row + 1, false) - 1;

        let line_fields: BTreeMap<usize, String> = field_lines()
            .filter_map(|(f, _)| Some((self.line_of(f)?, f.to_string())))
            .filter(|(_, f)| self.fields.contains_key(f))
            .collect();
        let cells = std::mem::take(&mut self.cells);
        let mut cells = cells;
        fill_blanks(&mut cells, first_row, last_row, self.last_col);
        let widths = self.widths(&cells);
        let heights = self.heights(&cells, &widths, first_row, last_row);
        FormPlan {
            cells,
            widths,
            heights,
            fields: self.fields,
            first_row,
            last_row,
            last_col: self.last_col,
            grid_header_row,
            line_fields,
            line_labels: self.line_labels,
            notices: self.notices,
            extra_group: layout.blocks.extra_group.clone(),
            aligns: BTreeMap::new(),
            own_geometry: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, IndicatorClass, Layout};
    use crate::read::values::{join_split_value, parse_value};

    fn table() -> Table {
        let mut t = Table {
            year: Some(2026),
            title: "2026年宁夏回族自治区部门项目支出预算绩效表".into(),
            unit: "万元".into(),
            goal: "开展工作".into(),
            ..Table::default()
        };
        t.project.name = "甲项目".into();
        t.funding.annual_total = Some(Decimal::new(4500, 2));
        for (class, name, raw) in [
            (IndicatorClass::Quantity, "宣传周", "1项"),
            (IndicatorClass::Quantity, "演练", "1项"),
            (IndicatorClass::Cost, "宣传周", "30万元"),
            (IndicatorClass::Social, "发生率", "≤20%"),
        ] {
            t.indicators.push(Indicator {
                name: name.into(),
                value: parse_value(raw),
                class,
                ..Indicator::default()
            });
        }
        t
    }

    /// A forced layout names the levels the source did not print, unless a row would print
    /// none under one that does (it would read back as the level above it).
    #[test]
    fn levels_are_named_only_when_no_blank_row_follows_a_named_one() {
        let layout = FormLayout::builtin(Layout::Classic);
        let grid = |classes: &[IndicatorClass]| -> Vec<Indicator> {
            classes
                .iter()
                .map(|c| Indicator {
                    name: "某指标".into(),
                    class: *c,
                    ..Indicator::default()
                })
                .collect()
        };
        let (u, s) = (IndicatorClass::Unknown, IndicatorClass::Satisfaction);
        let firsts = |classes: &[IndicatorClass]| -> Vec<String> {
            printed_levels(layout, false, &grid(classes))
                .into_iter()
                .map(|l| l.0)
                .collect()
        };
        let sat = layout
            .level_names(s)
            .map(|l| l.0.to_string())
            .unwrap_or_default();
        assert!(!sat.is_empty());
        assert_eq!(firsts(&[s, s]), [sat.clone(), sat.clone()]);
        assert_eq!(firsts(&[u, s]), [String::new(), sat]);
        assert_eq!(
            firsts(&[u, s, u]),
            [String::new(), String::new(), String::new()]
        );
    }

    fn at<'p>(p: &'p FormPlan, cell: &str) -> &'p PlannedCell {
        let c: CellRef = cell.parse().unwrap_or(CellRef::new(0, 0));
        p.cells
            .iter()
            .find(|x| x.first == c)
            .unwrap_or_else(|| panic!("no cell at {cell}"))
    }

    #[test]
    fn classic_cells_sit_where_the_seed_has_them() {
        let p = plan(&table(), FormLayout::builtin(Layout::Classic));
        assert_eq!(at(&p, "A4").content, Content::Label("项目名称".into()));
        assert_eq!(at(&p, "B4").content, Content::Text("甲项目".into()));
        assert_eq!(
            at(&p, "B4").last,
            "F4".parse().unwrap_or(CellRef::new(0, 0))
        );
        assert_eq!(p.fields["funding.annual_total"].to_string(), "D7");
        assert_eq!(p.fields["goal"].to_string(), "B12");
        assert_eq!(p.grid_header_row, 12);
        assert_eq!(p.fields["indicators[0].value"].to_string(), "E14");
        assert_eq!(p.fields["indicators[2].name"].to_string(), "C16");
        // 产出指标 merged down its three rows, 数量指标 down two.
        let l1 = at(&p, "A14");
        assert_eq!((l1.first.row, l1.last.row), (13, 15));
        let l2 = at(&p, "B14");
        assert_eq!((l2.first.row, l2.last.row), (13, 14));
        assert_eq!(p.fields["indicators[1].level1"].to_string(), "A14");
        assert_eq!(p.last_row, 16);
    }

    #[test]
    fn national_splits_values_and_adds_no_funding_rows_when_not_needed() {
        // A national table prints its 年度资金总额 and no 本级 / 转移 line.
        let mut t = table();
        t.funding.own = Default::default();
        t.funding.transfer = Default::default();
        assert!(t.funding.annual_total.is_some());
        let p = plan(&t, FormLayout::builtin(Layout::National));
        assert!(!p.fields.contains_key("funding.transfer.total"));
        assert_eq!(p.grid_header_row, 12);
        let row = p.fields["indicators[0].value"];
        assert_eq!(row.to_string(), "E14");
        // `1项` says no sign: the 指标性质 cell stays blank (no ＝ the source did not print).
        assert_eq!(at(&p, "D14").content, Content::Blank);
        assert_eq!(at(&p, "F14").content, Content::Text("项".into()));
        assert_eq!(at(&p, "A16").content, Content::Text("成本指标".into()));
        // With transfer funds the split rows come in.
        t.funding.transfer.total = Some(Decimal::ONE);
        let p = plan(&t, FormLayout::builtin(Layout::National));
        assert!(p.fields.contains_key("funding.transfer.total"));
        assert_eq!(p.grid_header_row, 16);
    }

    /// A 指标性质 column the source filled with which way is better (`正向`, `反向`, as
    /// Inner Mongolia's tables do) is printed with the source's word, not a sign the source
    /// did not print there (a `＝` makes the row 定量, and its blank unit a finding); a word
    /// that would not read back as the same value (`正向` before `≥80%`) gives way to the sign.
    #[test]
    fn national_prints_the_sources_own_nature_word() {
        let mut t = table();
        t.indicators[0].value = parse_value("8");
        t.indicators[0].nature = Some("正向".into());
        t.indicators[2].nature = Some("反向".into());
        t.indicators[3].nature = Some("正向".into());
        let p = plan(&t, FormLayout::builtin(Layout::National));
        let cell = |i: usize, part: &str| {
            at(
                &p,
                &p.fields[&format!("indicators[{i}].{part}")].to_string(),
            )
            .content
            .clone()
        };
        assert_eq!(cell(0, "nature"), Content::Text("正向".into()));
        assert_eq!(cell(0, "value"), Content::Number("8".into()));
        assert_eq!(cell(2, "nature"), Content::Text("反向".into()));
        assert_eq!(cell(2, "unit"), Content::Text("万元".into()));
        assert_eq!(cell(3, "nature"), Content::Text("≤".into()));
        // A sign or 定性 the source printed stays as the split writes it.
        t.indicators[0].nature = Some("定性".into());
        t.indicators[0].value = parse_value("良好");
        let p = plan(&t, FormLayout::builtin(Layout::National));
        let cell = |i: usize, part: &str| {
            at(
                &p,
                &p.fields[&format!("indicators[{i}].{part}")].to_string(),
            )
            .content
            .clone()
        };
        assert_eq!(cell(0, "nature"), Content::Text("定性".into()));
    }

    #[test]
    fn plain_numbers_only_become_numbers() {
        for yes in ["1", "80", "12.5", "0.05", "-3"] {
            assert_eq!(as_number(yes), Some(Content::Number(yes.into())), "{yes}");
        }
        for no in [
            "", "2.00", "080", "1e3", "+5", "1,000", "80%", "1项", ".5", "定性",
        ] {
            assert_eq!(as_number(no), None, "{no}");
        }
    }

    #[test]
    fn split_values_join_back() {
        for raw in [
            "1项",
            "≥80%",
            "2026年9-10月",
            "无",
            "不低于80%",
            "1,000人",
            "≤2次",
            "",
        ] {
            let v = parse_value(raw);
            let (n, val, u) = split_value(&v, "定性");
            assert_eq!(join_split_value(&n, &val, &u), v, "{raw}");
        }
        assert_eq!(
            split_value(&parse_value("≥80%"), "定性"),
            ("≥".into(), "80".into(), "%".into())
        );
        assert_eq!(
            split_value(&parse_value("良"), "定性"),
            ("定性".into(), "良".into(), String::new())
        );
    }

    #[test]
    fn long_text_is_cut_with_a_notice_and_makes_tall_rows() {
        let mut t = table();
        t.goal = "开展网络安全宣传周，".repeat(40);
        let p = plan(&t, FormLayout::builtin(Layout::Classic));
        assert!(p.heights[&11] > 60.0, "{}", p.heights[&11]);
        t.goal = "长".repeat(MAX_CELL_TEXT + 10);
        let p = plan(&t, FormLayout::builtin(Layout::Classic));
        assert_eq!(p.notices[0].rule, "write.text-truncated");
        assert_eq!(
            p.notices[0].cell.map(|c| c.to_string()).as_deref(),
            Some("B12")
        );
        match &at(&p, "B12").content {
            Content::Text(s) => assert_eq!(s.encode_utf16().count(), MAX_CELL_TEXT),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn classic_reports_dropped_extra_columns() {
        let mut t = table();
        t.indicators[0].extra.insert("权重".into(), "10".into());
        // In its own layout a classic table keeps the column, after the last one.
        let own = plan(&t, FormLayout::builtin(Layout::Classic));
        assert!(own.notices.is_empty());
        assert_eq!(own.last_col, 6);
        // Forced on a national table, the classic layout drops it, with a warning.
        t.layout = Layout::National;
        let p = plan(&t, FormLayout::builtin(Layout::Classic));
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].rule, "write.extra-dropped");
        assert_eq!(p.notices[0].severity, Severity::Warning);
        let n = plan(&t, FormLayout::builtin(Layout::National));
        assert!(n.notices.is_empty());
        let row = n.fields["indicators[0].value"].row;
        let g = CellRef::new(row, 6).to_string();
        assert_eq!(at(&n, &g).content, Content::Number("10".into()));
    }
}
