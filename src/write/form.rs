//! One table → one form sheet, in a [`FormLayout`].
//!
//! [`plan`] lays the table out as cells (text, amounts, merges, widths, heights) and records
//! which cell each model field went to, so that findings can point at the regenerated cells;
//! [`emit`] writes the plan to a worksheet, with the cells that carry an error or a warning
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

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Formula, Note, Worksheet, XlsxError,
};

use crate::cell::CellRef;
use crate::model::{FundingScope, Indicator, IndicatorClass, Severity, Table, Value};
use crate::read::labels::Framework;
use crate::read::values::{join_split_value, parse_value};

use super::layout::{Font, FormLayout, HeaderCell, Span};
use super::measure;

/// The metadata keys that belong to the header block (the rest go after the grid), for
/// fields that do not say where they were read.
const HEADER_META: &[&str] = &["contact", "phone", "manager", "basis"];

/// The funding line keys each amount field of the layouts shows (the first line with one of
/// them, in the annual scope except for 项目总额). Lines with other keys are written in rows of
/// their own, with their printed labels.
const FIELD_LINES: &[(&str, &[&str])] = &[
    ("funding.total", &["total", "project_total"]),
    ("funding.annual_total", &["annual_total"]),
    ("funding.own.total", &["own_total", "own"]),
    ("funding.own.fiscal", &["fiscal"]),
    ("funding.own.other", &["other"]),
    ("funding.own.carryover", &["carryover"]),
    ("funding.transfer.total", &["transfer_total", "transfer"]),
    ("funding.transfer.central", &["central"]),
    ("funding.transfer.regional", &["regional", "provincial"]),
];

/// The title of a table that has none: its profile's (a built-in one), else the layout's.
pub fn default_title(table: &Table, layout: &FormLayout) -> String {
    match table.year {
        Some(y) => table.profile.title_for(y),
        None => layout.default_title(table.year),
    }
}

/// What the table calls a model field: the label it printed beside it, its funding line's
/// label for an amount field, else its profile's wording; `None` when it has none of them.
pub fn own_words(table: &Table, field: &str) -> Option<String> {
    let printed = table
        .cells
        .get(field)
        .map(|f| crate::read::values::collapse_spaces(&f.label))
        .filter(|l| !l.trim().is_empty());
    let line = FIELD_LINES
        .iter()
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

/// The keys of funding lines printed as a group label over their own 资金总额 row.
const GROUP_KEYS: &[&str] = &["own_total", "own", "transfer_total", "transfer"];

/// The cost block's group label when the table does not print its own.
const COST_GROUP: &str = "项目预算成本构成";
/// The group label of funding printed in columns by span, when the table has none.
const FUNDING_GROUP: &str = "项目资金（万元）";

/// The lines of a cost block (项目预算成本构成): its items (lines the profile has no key
/// for, with the column they were read in as their role) and the totals they belong to.
fn cost_lines(lines: &[crate::model::FundingLine]) -> Vec<usize> {
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
fn side_by_side(lines: &[crate::model::FundingLine]) -> bool {
    let cost = cost_lines(lines);
    let mut seen = HashSet::new();
    (0..lines.len())
        .filter(|i| !cost.contains(i))
        .any(|i| !seen.insert(lines[i].label.as_str()))
}

/// Excel's limit on the characters of one cell, in UTF-16 units.
pub const MAX_CELL_TEXT: usize = 32_767;

/// The notice of grid columns a layout has no place for.
pub const RULE_DROPPED: &str = "write.extra-dropped";
/// The notice of values whose 定性 mark a layout cannot keep.
pub const RULE_REREAD: &str = "write.value-reread";
/// The notice of text cut at Excel's limit.
pub const RULE_TRUNCATED: &str = "write.text-truncated";
/// The listing of a cell nothing understood, written in the 其他 block.
pub const RULE_EXTRA: &str = "write.extra-cell";

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
    /// Nothing (a bordered blank).
    Blank,
}

impl Content {
    /// The text a person sees, for measuring.
    fn shown(&self) -> String {
        match self {
            Content::Label(s) | Content::Text(s) | Content::Number(s) => s.clone(),
            Content::Amount(d) => format!("{:.2}", d.round_dp(2)),
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
    /// What the writer changed or could not show.
    pub notices: Vec<WriteNotice>,
    /// The group label of the cells nothing understood (其他).
    pub extra_group: String,
}

impl FormPlan {
    /// The cell showing funding line `i`: its own row, or the layout's field for it.
    pub fn line_cell(&self, i: usize) -> Option<CellRef> {
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
    cells: Vec<PlannedCell>,
    fields: BTreeMap<String, CellRef>,
    notices: Vec<WriteNotice>,
    min_heights: BTreeMap<u32, f64>,
    /// Cells of `extra` written in a block of their own row (the cost block's 测算依据).
    placed_extras: HashSet<usize>,
}

impl<'a> Planner<'a> {
    fn new(table: &'a Table, layout: &'a FormLayout) -> Self {
        let mut extras: Vec<(String, u16)> = Vec::new();
        let mut notices = Vec::new();
        let mut last_col = layout.last_col();
        // A layout without extra columns drops them only when it is forced on a table of
        // another layout; in the table's own layout they are added after the last column.
        let own = layout.is_own(table);
        if layout.grid.extra.is_empty() && !own {
            let mut dropped: Vec<&str> = Vec::new();
            for ind in &table.indicators {
                for (h, v) in &ind.extra {
                    if !v.trim().is_empty() && !dropped.contains(&h.as_str()) {
                        dropped.push(h);
                    }
                }
            }
            if !dropped.is_empty() {
                let names: Vec<String> = dropped.iter().map(|h| format!("“{h}”")).collect();
                notices.push(WriteNotice {
                    rule: RULE_DROPPED,
                    severity: Severity::Warning,
                    field: None,
                    cell: None,
                    message: format!(
                        "原表指标的{}列在{}中没有位置，未写出（按原表版式转换可保留）",
                        names.join("、"),
                        layout.description
                    ),
                });
            }
        } else {
            for e in &layout.grid.extra {
                extras.push((e.header.clone(), e.at.first));
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
            cells: Vec::new(),
            fields: BTreeMap::new(),
            notices,
            min_heights: BTreeMap::new(),
            placed_extras: HashSet::new(),
        }
    }

    fn span(&self, s: Span, row: u32) -> (CellRef, CellRef) {
        (
            CellRef::new(row, u32::from(s.first)),
            CellRef::new(row, u32::from(s.last_in(self.last_col))),
        )
    }

    /// Text for a cell, cut at Excel's limit with a notice.
    fn text(&mut self, field: &str, text: &str, cell: CellRef) -> Content {
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
                message: format!(
                    "文本长 {} 个字符，超过 Excel 单元格上限 {MAX_CELL_TEXT}，已截断",
                    text.encode_utf16().count()
                ),
            });
        }
        Content::Text(cut.to_string())
    }

    fn push(&mut self, first: CellRef, last: CellRef, content: Content, role: Role) {
        self.cells.push(PlannedCell {
            first,
            last,
            content,
            role,
        });
    }

    fn field_content(&mut self, field: &str, cell: CellRef) -> Content {
        let t = self.table;
        let p = &t.project;
        let f = &t.funding;
        let amount = |d: Option<Decimal>| d.map_or(Content::Blank, Content::Amount);
        match field {
            "project.name" => {
                let text = match p.code.as_deref() {
                    Some(code) if !code.is_empty() => format!("{code}-{}", p.name),
                    _ => p.name.clone(),
                };
                self.text(field, &text, cell)
            }
            "project.department" => {
                let text = match p.department_code.as_deref() {
                    Some(code) if !code.is_empty() => format!("[{code}]{}", p.department),
                    _ => p.department.clone(),
                };
                self.text(field, &text, cell)
            }
            "project.department_name" => self.text(field, &p.department, cell),
            "project.department_code" => {
                let code = p.department_code.clone().unwrap_or_default();
                self.text(field, &code, cell)
            }
            "department.duties" => {
                let duties = t
                    .department
                    .as_ref()
                    .map(|d| d.duties.clone())
                    .unwrap_or_default();
                self.text(field, &duties, cell)
            }
            "project.implementing_unit" => {
                let text = match p.implementing_unit_code.as_deref() {
                    Some(code) if !code.is_empty() => format!("{code}-{}", p.implementing_unit),
                    _ => p.implementing_unit.clone(),
                };
                self.text(field, &text, cell)
            }
            "project.attribute" => self.text(field, &p.attribute, cell),
            "project.period" => self.text(field, &p.period, cell),
            "goal" => self.text(field, &t.goal, cell),
            "funding.total" => amount(f.total),
            "funding.annual_total" => amount(f.annual_total),
            "funding.own.total" => amount(f.own.total),
            "funding.own.fiscal" => amount(f.own.fiscal),
            "funding.own.other" => amount(f.own.other),
            "funding.own.carryover" => amount(f.own.carryover),
            "funding.transfer.total" => amount(f.transfer.total),
            "funding.transfer.central" => amount(f.transfer.central),
            "funding.transfer.regional" => amount(f.transfer.regional),
            _ => Content::Blank,
        }
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
        if let Some(y) = self.table.year {
            let (a, b) = self.span(layout.preamble.year, 1);
            let line = layout.year_line.replace("{year}", &y.to_string());
            self.push(a, b, Content::Text(line), Role::Subtitle);
            self.fields.insert("year".into(), a);
        }
        let (a, b) = self.span(layout.preamble.unit, 2);
        self.push(a, b, Content::Text(layout.unit_line.clone()), Role::Unit);
        self.fields.insert("unit".into(), a);

        let first_row = 3;
        let row = self.header_block(first_row);
        let grid_header_row = row;
        let indicators = &self.table.indicators;
        let mut last_row = self.grid(row, indicators, "indicators");
        for (k, g) in self.table.other_grids.iter().enumerate() {
            last_row = self.other_grid(last_row + 1, k, g);
        }
        last_row = self.extras(last_row + 1) - 1;
        last_row = self.metadata(last_row + 1, false) - 1;

        let line_fields: BTreeMap<usize, String> = FIELD_LINES
            .iter()
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
            notices: self.notices,
            extra_group: layout.blocks.extra_group.clone(),
        }
    }

    /// True when the national block must show the 本级/转移 split for the funds to read back.
    fn needs_split(&self) -> bool {
        let f = &self.table.funding;
        let zero = Some(Decimal::ZERO);
        let derivable = match f.annual_total {
            // Without a split the reader takes everything as the department's own funds.
            Some(_) => {
                f.own.total == f.annual_total
                    && f.transfer.total == zero
                    && f.transfer.central == zero
                    && f.transfer.regional == zero
                    && f.own.fiscal.is_some()
                    && f.own.other.is_some()
                    && f.own.carryover.is_some()
            }
            None => {
                f.own.total.is_none()
                    && f.transfer.total.is_none()
                    && f.transfer.central.is_none()
                    && f.transfer.regional.is_none()
            }
        };
        !derivable
    }

    /// Writes the header block from `start`; returns the next free row.
    fn header_block(&mut self, start: u32) -> u32 {
        let layout = self.layout;
        let split = self.needs_split();
        let included: Vec<bool> = layout
            .rows
            .iter()
            .map(|r| match r.when.as_deref() {
                Some("split") => split,
                _ => true,
            })
            .collect();
        let mut row = start;
        // A table of another form in this layout: its funding lines as printed, where the
        // layout's own funding rows would be (once), instead of them.
        let own_lines = self.prints_own_lines();
        let mut lines_written = false;
        for (i, tr) in layout.rows.iter().enumerate() {
            if !included[i] {
                continue;
            }
            let funding_row = tr.cells.iter().any(|c| {
                c.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("funding."))
            });
            if own_lines && funding_row {
                if !lines_written {
                    row = self.own_funding(row);
                    lines_written = true;
                }
                continue;
            }
            match tr.block.as_deref() {
                Some("funding") => {
                    row = self.department_funding(row);
                    continue;
                }
                Some("tasks") => {
                    row = self.tasks(row);
                    continue;
                }
                _ => {}
            }
            if tr.cells.iter().any(|c| c.field.as_deref() == Some("goal")) {
                // Before the goal: the funding lines the rows have no cell for, and the
                // header's metadata (联系人, 联系电话 …).
                row = self.funding_lines(row);
                row = self.metadata(row, true);
                row = self.long_term_goal(row);
            }
            if let Some(h) = tr.min_height {
                self.min_heights.insert(row, h);
            }
            for (k, cell) in tr.cells.iter().enumerate() {
                // Merged down over the next `down` template rows that are written.
                let down = included[i..]
                    .iter()
                    .take(cell.down.max(1))
                    .filter(|x| **x)
                    .count() as u32;
                // A label right before an amount field takes the printed label of its line.
                let text_field = match (&cell.label, tr.cells.get(k + 1)) {
                    (Some(_), Some(next)) if cell.down <= 1 => {
                        next.field.as_deref().filter(|f| !f.starts_with("funding."))
                    }
                    _ => None,
                };
                let label_of = match (&cell.label, tr.cells.get(k + 1)) {
                    // A layout forced on the table prints its own wording for text fields.
                    _ if text_field.is_some() => text_field
                        .filter(|_| self.layout.is_own(self.table))
                        .and_then(|f| self.own_label(f)),
                    (Some(_), Some(next)) if cell.down <= 1 => next
                        .field
                        .as_deref()
                        .and_then(|f| Some((f, self.line_of(f)?)))
                        .map(|(f, i)| (f, self.table.funding.lines[i].label.clone()))
                        .filter(|(f, l)| {
                            // Only a wording that reads back as the same field (省级资金 for
                            // 自治区资金); a shared one (资金总额 in two columns) would not.
                            !l.trim().is_empty()
                                && crate::read::labels::Labels::builtin()
                                    .lookup(l)
                                    .is_none_or(|(d, _)| d.id == *f)
                        })
                        .map(|(_, l)| l)
                        // A line printed under its group's own label (其中：本级资金 | 45)
                        // keeps the layout's label: the group label is on the row already.
                        .filter(|l| {
                            !tr.cells.iter().enumerate().any(|(j, c)| {
                                j != k
                                    && c.label.as_deref().is_some_and(|g| {
                                        crate::read::labels::normalize_label(g)
                                            == crate::read::labels::normalize_label(l)
                                    })
                            })
                        }),
                    _ => None,
                };
                self.header_cell(cell, row, row + down.max(1) - 1, label_of.as_deref());
            }
            row += 1;
        }
        row
    }

    fn header_cell(&mut self, cell: &HeaderCell, row: u32, last_row: u32, label_of: Option<&str>) {
        let (first, mut last) = self.span(cell.at, row);
        last.row = last_row;
        if let Some(label) = &cell.label {
            // The table's own wording of the line this label names (省级资金, not 自治区资金).
            let label = label_of.unwrap_or(label);
            self.push(first, last, Content::Label(label.to_string()), Role::Label);
        } else if let Some(field) = &cell.field {
            let content = self.field_content(field, first);
            let role = if matches!(content, Content::Amount(_)) || field.starts_with("funding.") {
                Role::Amount
            } else if cell.align.as_deref() == Some("left") {
                Role::TextLeft
            } else {
                Role::Text
            };
            self.fields.insert(field.clone(), first);
            self.push(first, last, content, role);
        }
    }

    /// Writes the indicator grid from its header row; returns the last row written.
    fn grid(&mut self, header_row: u32, indicators: &'a [Indicator], prefix: &str) -> u32 {
        let g = &self.layout.grid;
        let mut heads: Vec<(Span, String)> = vec![
            (g.level1, g.header.level1.clone()),
            (g.level2, g.header.level2.clone()),
            (g.name, g.header.name.clone()),
            (g.value, g.header.value.clone()),
        ];
        if let (Some(s), Some(h)) = (g.nature, &g.header.nature) {
            heads.push((s, h.clone()));
        }
        if let (Some(s), Some(h)) = (g.unit, &g.header.unit) {
            heads.push((s, h.clone()));
        }
        for (h, col) in &self.extras {
            heads.push((
                Span {
                    first: *col,
                    last: Some(*col),
                },
                h.clone(),
            ));
        }
        for (s, h) in heads {
            let (a, b) = self.span(s, header_row);
            self.push(a, b, Content::Label(h), Role::Label);
        }
        if let (Some(label), Some(at)) = (&g.group, g.group_at) {
            let (a, mut b) = self.span(at, header_row);
            b.row = header_row + indicators.len() as u32;
            self.push(a, b, Content::Label(label.clone()), Role::Label);
        }
        let table = self.table;
        let n = indicators.len() as u32;
        // In the table's own layout the levels keep the table's wording (经济成本指标 under
        // 成本指标); a layout forced on it prints its own names.
        let own = self.layout.is_own(table);
        let levels: Vec<(String, String)> = indicators
            .iter()
            .map(|ind| {
                let as_read = (ind.level1.clone(), ind.level2.clone());
                match self.layout.level_names(class_of(ind)) {
                    Some(_) if own && !ind.level1.trim().is_empty() => as_read,
                    Some((a, b)) => (a.to_string(), b.to_string()),
                    None => as_read,
                }
            })
            .collect();
        // Runs of equal 一级 and, within them, equal 二级, merged down.
        let mut i = 0usize;
        while i < levels.len() {
            let mut j = i + 1;
            while j < levels.len() && levels[j].0 == levels[i].0 {
                j += 1;
            }
            self.level_run(header_row, i, j, &levels, true, prefix);
            let mut k = i;
            while k < j {
                let mut m = k + 1;
                while m < j && levels[m].1 == levels[k].1 {
                    m += 1;
                }
                self.level_run(header_row, k, m, &levels, false, prefix);
                k = m;
            }
            i = j;
        }
        for (idx, ind) in indicators.iter().enumerate() {
            let row = header_row + 1 + idx as u32;
            let key = format!("{prefix}[{idx}]");
            let (a, b) = self.span(g.name, row);
            let content = self.text(&format!("{key}.name"), &ind.name, a);
            self.push(a, b, content, Role::TextLeft);
            self.fields.insert(key.clone(), a);
            self.fields.insert(format!("{key}.name"), a);
            if g.split() {
                let (nature, value, unit) = split_value(&ind.value, &g.qualitative);
                for (span, text, name) in [
                    (g.nature, nature, "nature"),
                    (Some(g.value), value, "value"),
                    (g.unit, unit, "unit"),
                ] {
                    let Some(span) = span else { continue };
                    let (a, b) = self.span(span, row);
                    let content = match (name, as_number(&text)) {
                        ("value", Some(n)) => n,
                        _ => self.text(&format!("{key}.value"), &text, a),
                    };
                    self.push(a, b, content, Role::Text);
                    self.fields.insert(format!("{key}.{name}"), a);
                }
            } else {
                let (a, b) = self.span(g.value, row);
                let content = self.text(&format!("{key}.value"), &ind.value.raw, a);
                self.push(a, b, content, Role::Text);
                self.fields.insert(format!("{key}.value"), a);
                if parse_value(&ind.value.raw) != ind.value {
                    let own = self.layout.is_own(table);
                    self.notices.push(WriteNotice {
                        rule: RULE_REREAD,
                        severity: if own { Severity::Info } else { Severity::Warning },
                        field: Some(format!("{key}.value")),
                        cell: Some(a),
                        message: format!(
                            "指标值“{}”原表标为定性，本版式没有“指标性质”列，重新读取时会按定量值理解",
                            ind.value.raw
                        ),
                    });
                }
            }
            for (h, col) in self.extras.clone() {
                let cell = CellRef::new(row, u32::from(col));
                let text = ind.extra.get(&h).cloned().unwrap_or_default();
                let content = match as_number(&text) {
                    Some(n) if is_weight_header(&h) => n,
                    _ => self.text(&format!("{key}.extra"), &text, cell),
                };
                self.push(cell, cell, content, Role::Text);
            }
        }
        header_row + n
    }

    fn level_run(
        &mut self,
        header_row: u32,
        from: usize,
        to: usize,
        levels: &[(String, String)],
        first_level: bool,
        prefix: &str,
    ) {
        let g = &self.layout.grid;
        let span = if first_level { g.level1 } else { g.level2 };
        let r1 = header_row + 1 + from as u32;
        let r2 = header_row + to as u32;
        let (a, mut b) = self.span(span, r1);
        b.row = r2;
        let name = if first_level {
            &levels[from].0
        } else {
            &levels[from].1
        };
        let which = if first_level { "level1" } else { "level2" };
        let content = self.text(&format!("{prefix}[{from}].{which}"), name, a);
        self.push(a, b, content, Role::Level);
        for idx in from..to {
            self.fields.insert(format!("{prefix}[{idx}].{which}"), a);
        }
    }

    /// The department-wide funding block from `row`: the label merged down, what the money
    /// is for on the left, where it comes from on the right, each line as printed. Returns the
    /// next free row.
    fn department_funding(&mut self, row: u32) -> u32 {
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
        }
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

    /// The 年度履职目标 block from `row`: the label merged down, a header, one row per task
    /// (empty rows in a table without tasks). Returns the next free row.
    fn tasks(&mut self, row: u32) -> u32 {
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

    /// A grid other than the annual one, from `row`: its title across the sheet, then its
    /// header and rows as the annual grid's. Returns the last row written.
    fn other_grid(&mut self, row: u32, k: usize, grid: &'a crate::model::Grid) -> u32 {
        let (a, b) = self.span(
            Span {
                first: 0,
                last: None,
            },
            row,
        );
        let title = if grid.label.trim().is_empty() {
            self.layout.blocks.other_grid_title.clone()
        } else {
            grid.label.clone()
        };
        let content = self.text(&format!("other_grids[{k}].label"), &title, a);
        self.push(a, b, content, Role::Label);
        self.fields.insert(format!("other_grids[{k}]"), a);
        self.grid(
            row + 1,
            &grid.indicators,
            &format!("other_grids[{k}].indicators"),
        )
    }

    /// The label the table printed for a text field (项目支出名称, 本年度绩效目标), else its
    /// profile's wording for it, when that reads back as the same field; `None` keeps the
    /// layout's label.
    fn own_label(&self, field: &str) -> Option<String> {
        let profile = &self.table.profile;
        let labels = profile.labels();
        let printed = self
            .table
            .cells
            .get(field)
            .map(|f| crate::read::values::collapse_spaces(&f.label))
            .filter(|l| !l.trim().is_empty());
        let worded = profile.wording(field).map(str::to_string);
        printed
            .into_iter()
            .chain(worded)
            .find(|l| labels.lookup(l).is_some_and(|(d, _)| d.id == field))
    }

    /// The 中期 / 实施期 goal, where the layout has no cell for it: a label | value row from
    /// `row` (before the annual goal), under the table's own label when it reads back as that
    /// field. Returns the next free row.
    fn long_term_goal(&mut self, row: u32) -> u32 {
        const FIELD: &str = "long_term_goal";
        let text = self.table.long_term_goal.clone();
        if text.trim().is_empty() || self.fields.contains_key(FIELD) {
            return row;
        }
        let labels = self.table.profile.labels();
        let label = own_words(self.table, FIELD)
            .filter(|l| labels.lookup(l).is_some_and(|(d, _)| d.id == FIELD))
            .or_else(|| labels.field(FIELD).map(|d| d.label.clone()))
            .unwrap_or_else(|| "实施期绩效目标".to_string());
        let blocks = self.layout.blocks.clone();
        let (a, b) = self.span(blocks.label, row);
        self.push(a, b, Content::Label(label), Role::Label);
        let (a, b) = self.span(blocks.value, row);
        let content = self.text(FIELD, &text, a);
        self.fields.insert(FIELD.into(), a);
        self.push(a, b, content, Role::TextLeft);
        self.min_heights.insert(row, 36.0);
        row + 1
    }

    /// True when the table's funding lines are written as printed instead of the layout's
    /// funding rows: a project table read with another profile than the one whose rows the
    /// layout prints (Gansu's 省级资金 / 市县资金, Hunan's 年度本级预算金额, Ezhou's
    /// 项目预算成本构成, Central 中期 | 年度 columns), written in its own layout, with lines
    /// read from cells.
    fn prints_own_lines(&self) -> bool {
        let t = self.table;
        let lines = &t.funding.lines;
        let other_form = t.profile.id != self.layout.profile;
        // 本级 / 转移 group lines (其中：本级资金 over 资金总额) read back only in the layout's
        // own rows.
        let grouped = lines.iter().any(|l| GROUP_KEYS.contains(&l.key.as_str()));
        self.layout.department.is_none()
            && self.layout.is_own(t)
            && !grouped
            && lines.iter().any(|l| l.cell.is_some())
            && (other_form || self.unshown_lines().next().is_some())
    }

    /// The funding lines no amount field of the layout's rows shows.
    fn unshown_lines(&self) -> impl Iterator<Item = usize> + '_ {
        let shown: Vec<usize> = FIELD_LINES
            .iter()
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
    fn own_funding(&mut self, mut row: u32) -> u32 {
        let blocks = self.layout.blocks.clone();
        let lines = &self.table.funding.lines;
        if side_by_side(lines) {
            // 中期 | 年度 columns: one block, a column per span, a row per label.
            let all: Vec<usize> = (0..lines.len()).collect();
            return self.cost_block(row, &all, false);
        }
        let cost = cost_lines(lines);
        for (i, l) in lines.iter().enumerate() {
            if cost.contains(&i) {
                continue;
            }
            let (a, b) = self.span(blocks.label, row);
            let label = self.text(&format!("funding.lines[{i}].label"), &l.label, a);
            self.push(a, b, label, Role::Label);
            let (a, b) = self.span(blocks.value, row);
            let content = self.line_content(i, a);
            self.push(a, b, content, Role::Amount);
            self.show_line(i, a);
            row += 1;
        }
        if cost.is_empty() {
            row
        } else {
            self.cost_block(row, &cost, true)
        }
    }

    /// What a funding line's amount cell holds: the amount, else the text as typed.
    fn line_content(&mut self, i: usize, cell: CellRef) -> Content {
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
    fn show_line(&mut self, i: usize, cell: CellRef) {
        let l = &self.table.funding.lines[i];
        self.fields.insert(format!("funding.lines[{i}]"), cell);
        for (field, keys) in FIELD_LINES {
            let annual = *field == "funding.total" || l.scope == FundingScope::Annual;
            if annual && keys.contains(&l.key.as_str()) && !self.fields.contains_key(*field) {
                self.fields.insert((*field).to_string(), cell);
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
    fn cost_block(&mut self, row: u32, cost: &[usize], is_cost: bool) -> u32 {
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
    fn line_of(&self, field: &str) -> Option<usize> {
        let keys = FIELD_LINES.iter().find(|(f, _)| *f == field)?.1;
        let lines = &self.table.funding.lines;
        let annual =
            |i: &usize| field == "funding.total" || lines[*i].scope == FundingScope::Annual;
        (0..lines.len()).find(|i| keys.contains(&lines[*i].key.as_str()) && annual(i))
    }

    /// The funding lines no field of the layout shows, as group | label | amount rows from
    /// `row`; returns the next free row.
    fn funding_lines(&mut self, row: u32) -> u32 {
        if self.layout.department.is_some() || self.prints_own_lines() {
            // The department-wide funding block, or the lines as printed, show every line.
            return row;
        }
        let rest: Vec<usize> = self.unshown_lines().collect();
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
        let group = self.layout.blocks.lines_group.clone();
        self.grouped(row, &group, items)
    }

    /// The cells nothing understood, as group (其他) | label | value rows from `row`; returns
    /// the next free row.
    fn extras(&mut self, row: u32) -> u32 {
        let items: Vec<(String, String, Content)> = self
            .table
            .extra
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.placed_extras.contains(i))
            .map(|(i, e)| {
                (
                    format!("extra[{i}]"),
                    e.label.clone(),
                    Content::Text(e.value.clone()),
                )
            })
            .collect();
        let group = self.layout.blocks.extra_group.clone();
        self.grouped(row, &group, items)
    }

    /// Rows of `group` | label | value from `row`, the group merged down; returns the next
    /// free row.
    fn grouped(&mut self, row: u32, group: &str, items: Vec<(String, String, Content)>) -> u32 {
        if items.is_empty() {
            return row;
        }
        let blocks = self.layout.blocks.clone();
        let n = items.len() as u32;
        let (a, mut b) = self.span(blocks.group, row);
        b.row = row + n - 1;
        self.push(a, b, Content::Label(group.to_string()), Role::Label);
        for (k, (field, label, content)) in items.into_iter().enumerate() {
            let r = row + k as u32;
            let (a, b) = self.span(blocks.item_label, r);
            let label = self.text(&format!("{field}.label"), &label, a);
            self.push(a, b, label, Role::Label);
            let (a, b) = self.span(blocks.item_value, r);
            let content = match content {
                Content::Text(t) => self.text(&field, &t, a),
                other => other,
            };
            let role = if matches!(content, Content::Amount(_)) {
                Role::Amount
            } else {
                Role::TextLeft
            };
            self.fields.insert(field, a);
            self.push(a, b, content, role);
        }
        row + n
    }

    /// The metadata fields of the header (`header`: 联系人, 联系电话, 项目负责人 …) or of the
    /// footer (财政部门审核意见, 填表人 …) as label | value rows from `row`; returns the next
    /// free row.
    fn metadata(&mut self, row: u32, header: bool) -> u32 {
        let first_grid_row = self
            .table
            .indicators
            .iter()
            .filter_map(|i| i.name_cell.or(i.cell).map(|c| c.row))
            .min();
        let blocks = self.layout.blocks.clone();
        let mut r = row;
        // 项目类别 / 项目性质 where the layout has no cell for it: a label | value row with the
        // table's own label.
        let category = self.table.project.category.clone();
        if header && !category.is_empty() && !self.fields.contains_key("project.category") {
            let printed = self
                .table
                .cells
                .get("project.category")
                .map(|f| f.label.clone())
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| "项目类别".to_string());
            let (a, b) = self.span(blocks.label, r);
            self.push(a, b, Content::Label(printed), Role::Label);
            let (a, b) = self.span(blocks.value, r);
            let value = self.text("project.category", &category, a);
            self.fields.insert("project.category".into(), a);
            self.push(a, b, value, Role::TextLeft);
            r += 1;
        }
        for (i, m) in self.table.metadata.iter().enumerate() {
            let in_header = match (m.cell, first_grid_row) {
                (Some(c), Some(g)) => c.row < g,
                _ => HEADER_META.contains(&m.key.as_str()),
            };
            if in_header != header {
                continue;
            }
            let (a, b) = self.span(blocks.label, r);
            let label = self.text(&format!("metadata[{i}].label"), &m.label, a);
            self.push(a, b, label, Role::Label);
            let (a, b) = self.span(blocks.value, r);
            let value = self.text(&format!("metadata[{i}]"), &m.value, a);
            self.fields.insert(format!("metadata[{i}]"), a);
            self.push(a, b, value, Role::TextLeft);
            r += 1;
        }
        r
    }

    fn font(&self, role: Role) -> &Font {
        let f = &self.layout.fonts;
        match role {
            Role::Title => &f.title,
            Role::Subtitle | Role::Unit => &f.subtitle,
            Role::Label | Role::Level => &f.label,
            Role::Text | Role::TextLeft | Role::Amount => &f.text,
        }
    }

    fn widths(&self, cells: &[PlannedCell]) -> Vec<f64> {
        let mut widths: Vec<f64> = self.layout.columns.iter().map(|c| c.width).collect();
        let mut max: Vec<f64> = self.layout.columns.iter().map(|c| c.max).collect();
        while widths.len() <= usize::from(self.last_col) {
            widths.push(self.layout.grid.extra_width);
            max.push(self.layout.grid.extra_width * 1.5);
        }
        for c in cells {
            if c.first.col != c.last.col || matches!(c.role, Role::Title | Role::Unit) {
                continue;
            }
            let font = self.font(c.role);
            let text_px = measure::text_px(&c.content.shown(), font.size, font.bold);
            let want = measure::width_for_px(text_px * measure::SLACK + c.role.indent_px());
            let col = c.first.col as usize;
            if want > widths[col] {
                widths[col] = want.min(max[col]);
            }
        }
        widths
    }

    fn heights(
        &self,
        cells: &[PlannedCell],
        widths: &[f64],
        first_row: u32,
        last_row: u32,
    ) -> BTreeMap<u32, f64> {
        let page = &self.layout.page;
        let mut h: BTreeMap<u32, f64> = BTreeMap::new();
        for r in first_row..=last_row {
            h.insert(r, page.min_row_height);
        }
        for (r, m) in &self.min_heights {
            let e = h.entry(*r).or_insert(0.0);
            *e = e.max(*m);
        }
        let need = |c: &PlannedCell| -> f64 {
            let text = c.content.shown();
            if text.is_empty() {
                return 0.0;
            }
            let font = self.font(c.role);
            let px: f64 = (c.first.col..=c.last.col)
                .map(|col| measure::col_px(widths.get(col as usize).copied().unwrap_or(8.0)))
                .sum();
            let lines = measure::lines(&text, font.size, font.bold, px - c.role.indent_px());
            measure::height_for_lines(lines, font.size)
        };
        for c in cells.iter().filter(|c| c.first.row == c.last.row) {
            let n = need(c);
            let e = h.entry(c.first.row).or_insert(0.0);
            *e = e.max(n);
        }
        if let Some(t) = h.get_mut(&0) {
            *t = t.max(page.title_row_height);
        } else {
            h.insert(0, page.title_row_height);
        }
        // Cells merged down: share out what the rows lack.
        for c in cells.iter().filter(|c| c.first.row != c.last.row) {
            let n = need(c);
            let rows = c.first.row..=c.last.row;
            let have: f64 = rows
                .clone()
                .map(|r| h.get(&r).copied().unwrap_or(15.0))
                .sum();
            if n > have {
                let k = f64::from(c.last.row - c.first.row + 1);
                let add = ((n - have) / k * 4.0).ceil() / 4.0;
                for r in rows {
                    *h.entry(r).or_insert(15.0) += add;
                }
            }
        }
        h
    }
}

/// The indicator's class; for a model built by hand (class unknown), the class its printed
/// 一级/二级 names stand for in the framework.
pub fn class_of(ind: &Indicator) -> IndicatorClass {
    if ind.class != IndicatorClass::Unknown {
        return ind.class;
    }
    let fw = Framework::builtin();
    let Some(parent) = fw.level1(&ind.level1) else {
        return IndicatorClass::Unknown;
    };
    fw.level2(&ind.level2)
        .iter()
        .find(|d| d.parent == parent)
        .map_or(IndicatorClass::Unknown, |d| d.class)
}

/// A text that is a plain number, as the number the reader reads back to the same text
/// (`80`, `12.5`; not `080`, `2.00`, `1e3` or `+5`).
pub fn as_number(text: &str) -> Option<Content> {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    if !plain {
        return None;
    }
    let f: f64 = text.parse().ok()?;
    (f.is_finite() && crate::read::grid::number_text(f) == text)
        .then(|| Content::Number(text.to_string()))
}

/// True for the header of a weight column (权重, 分值, 权重（%）).
pub fn is_weight_header(header: &str) -> bool {
    header.contains("权重") || header.contains("分值")
}

/// Adds bordered blanks where the form's region has no planned cell.
fn fill_blanks(cells: &mut Vec<PlannedCell>, first_row: u32, last_row: u32, last_col: u16) {
    let mut covered: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    for c in cells.iter() {
        for r in c.first.row..=c.last.row {
            for col in c.first.col..=c.last.col {
                covered.insert((r, col));
            }
        }
    }
    for r in first_row..=last_row {
        for col in 0..=u32::from(last_col) {
            if !covered.contains(&(r, col)) {
                let cell = CellRef::new(r, col);
                cells.push(PlannedCell {
                    first: cell,
                    last: cell,
                    content: Content::Blank,
                    role: Role::Text,
                });
            }
        }
    }
}

/// Splits a value over 指标性质 | 指标值 | 度量单位 so that the reader joins it back to the same
/// value. Tries the natural split, then the value as qualitative, then the text as typed.
pub fn split_value(v: &Value, qualitative: &str) -> (String, String, String) {
    let mut candidates: Vec<(String, String, String)> = Vec::new();
    if let (Some(cmp), Some(num)) = (&v.comparator, &v.number) {
        let sign = match cmp.as_str() {
            "=" => "＝",
            other => other,
        };
        candidates.push((
            sign.to_string(),
            num.to_string(),
            v.unit.clone().unwrap_or_default(),
        ));
    }
    if !v.raw.is_empty() {
        candidates.push((qualitative.to_string(), v.raw.clone(), String::new()));
    }
    candidates.push((String::new(), v.raw.clone(), String::new()));
    let fallback = candidates[candidates.len() - 1].clone();
    candidates
        .into_iter()
        .find(|(n, val, u)| join_split_value(n, val, u) == *v)
        .unwrap_or(fallback)
}

/// How a cell is marked for its findings.
#[derive(Debug, Clone, Default)]
pub struct Mark {
    /// The worst severity among the findings on the cell.
    pub severity: Option<Severity>,
    /// The note text: one line per finding.
    pub lines: Vec<String>,
}

/// The fill of a highlighted cell.
pub fn severity_fill(s: Severity) -> Option<Color> {
    match s {
        Severity::Error => Some(Color::RGB(0xFFC7CE)),
        Severity::Warning => Some(Color::RGB(0xFFEB9C)),
        Severity::Info => None,
    }
}

/// A format for a role, in a layout's fonts, with a highlight when marked.
pub fn format_for(layout: &FormLayout, role: Role, mark: Option<Severity>) -> Format {
    let fonts = &layout.fonts;
    let font = match role {
        Role::Title => &fonts.title,
        Role::Subtitle | Role::Unit => &fonts.subtitle,
        Role::Label | Role::Level => &fonts.label,
        Role::Text | Role::TextLeft | Role::Amount => &fonts.text,
    };
    let mut f = Format::new()
        .set_font_name(font.name.as_str())
        .set_font_charset(134)
        .set_font_size(font.size)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    if font.bold {
        f = f.set_bold();
    }
    f = match role {
        Role::Title | Role::Subtitle | Role::Label | Role::Level | Role::Text => {
            f.set_align(FormatAlign::Center)
        }
        Role::Unit | Role::Amount => f.set_align(FormatAlign::Right),
        Role::TextLeft => f.set_align(FormatAlign::Left),
    };
    if role == Role::Amount {
        f = f.set_num_format("0.00");
    }
    if role.indent() > 0 {
        f = f.set_indent(role.indent());
    }
    if !matches!(role, Role::Title | Role::Subtitle | Role::Unit) {
        f = f.set_border(FormatBorder::Thin);
    }
    if let Some(color) = mark.and_then(severity_fill) {
        f = f.set_background_color(color);
    }
    f
}

/// What a caller other than `convert` adds when emitting a plan (the template writer: input
/// cells unlocked for a protected sheet, derived amounts as formulas).
#[derive(Clone, Default)]
pub struct EmitOptions {
    /// Cells (top-left of their range) written with an unlocked format.
    pub unlocked: HashSet<CellRef>,
    /// The fill of unlocked cells, so that the cells to fill in look different from labels.
    pub input_fill: Option<Color>,
    /// Cells (top-left of their range) written as these formulas instead of their content.
    pub formulas: HashMap<CellRef, Formula>,
}

/// Writes a plan to a worksheet, highlighting and annotating the marked cells.
///
/// # Errors
/// When rust_xlsxwriter rejects a cell (a bug in the plan: overlapping merges).
pub fn emit(
    ws: &mut Worksheet,
    plan: &FormPlan,
    layout: &FormLayout,
    marks: &HashMap<CellRef, Mark>,
) -> Result<(), XlsxError> {
    emit_with(ws, plan, layout, marks, &EmitOptions::default())
}

/// [`emit`] with unlocked cells and formulas.
///
/// # Errors
/// As [`emit`].
pub fn emit_with(
    ws: &mut Worksheet,
    plan: &FormPlan,
    layout: &FormLayout,
    marks: &HashMap<CellRef, Mark>,
    opts: &EmitOptions,
) -> Result<(), XlsxError> {
    let mut formats: HashMap<(Role, Option<Severity>, bool), Format> = HashMap::new();
    for c in &plan.cells {
        let mark = marks.get(&c.first);
        let sev = mark
            .and_then(|m| m.severity)
            .filter(|s| *s != Severity::Info);
        let unlocked = opts.unlocked.contains(&c.first);
        let fmt = formats.entry((c.role, sev, unlocked)).or_insert_with(|| {
            let f = format_for(layout, c.role, sev);
            if unlocked {
                match (opts.input_fill, sev) {
                    (Some(fill), None) => f.set_unlocked().set_background_color(fill),
                    _ => f.set_unlocked(),
                }
            } else {
                f
            }
        });
        let (r, col) = (c.first.row, c.first.col as u16);
        if c.first != c.last {
            ws.merge_range(r, col, c.last.row, c.last.col as u16, "", fmt)?;
        }
        if let Some(formula) = opts.formulas.get(&c.first) {
            ws.write_formula_with_format(r, col, formula.clone(), fmt)?;
            continue;
        }
        match &c.content {
            Content::Label(s) | Content::Text(s) => {
                ws.write_string_with_format(r, col, s, fmt)?;
            }
            Content::Amount(d) => {
                ws.write_number_with_format(r, col, d.to_f64().unwrap_or(0.0), fmt)?;
            }
            Content::Number(s) => {
                ws.write_number_with_format(r, col, s.parse::<f64>().unwrap_or(0.0), fmt)?;
            }
            Content::Blank => {
                if c.first == c.last {
                    ws.write_blank(r, col, fmt)?;
                }
            }
        }
    }
    for (cell, mark) in marks {
        if mark.lines.is_empty()
            || !matches!(mark.severity, Some(Severity::Error | Severity::Warning))
        {
            continue;
        }
        let text = mark.lines.join("\n");
        let (text, _) = measure::cut_utf16(&text, 30_000);
        let lines = measure::lines(text, 9.0, false, 300.0);
        let height = (lines * 16 + 20).clamp(60, 400);
        let note = Note::new(text)
            .add_author_prefix(false)
            .set_author("jixiao")
            .set_width(320)
            .set_height(height);
        ws.insert_note(cell.row, cell.col as u16, &note)?;
    }
    for (i, w) in plan.widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    for (r, h) in &plan.heights {
        ws.set_row_height(*r, *h)?;
    }
    let page = &layout.page;
    ws.set_paper_size(page.paper);
    if page.portrait {
        ws.set_portrait();
    } else {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    let m = page.margins;
    ws.set_margins(m.left, m.right, m.top, m.bottom, m.header, m.footer);
    ws.set_print_center_horizontally(true);
    ws.set_footer(page.footer.as_str());
    ws.set_repeat_rows(plan.grid_header_row, plan.grid_header_row)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Layout;

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
        let mut t = table();
        t.funding.own.total = t.funding.annual_total;
        t.funding.own.fiscal = t.funding.annual_total;
        t.funding.own.other = Some(Decimal::ZERO);
        t.funding.own.carryover = Some(Decimal::ZERO);
        t.funding.transfer.total = Some(Decimal::ZERO);
        t.funding.transfer.central = Some(Decimal::ZERO);
        t.funding.transfer.regional = Some(Decimal::ZERO);
        let p = plan(&t, FormLayout::builtin(Layout::National));
        assert!(!p.fields.contains_key("funding.transfer.total"));
        assert_eq!(p.grid_header_row, 12);
        let row = p.fields["indicators[0].value"];
        assert_eq!(row.to_string(), "E14");
        assert_eq!(at(&p, "D14").content, Content::Text("＝".into()));
        assert_eq!(at(&p, "F14").content, Content::Text("项".into()));
        assert_eq!(at(&p, "A16").content, Content::Text("成本指标".into()));
        // With transfer funds the split rows come in.
        t.funding.transfer.total = Some(Decimal::ONE);
        let p = plan(&t, FormLayout::builtin(Layout::National));
        assert!(p.fields.contains_key("funding.transfer.total"));
        assert_eq!(p.grid_header_row, 16);
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
