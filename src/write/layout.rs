//! The regenerated form's layouts, as data: `templates/layout-classic.toml` and
//! `templates/layout-national.toml`, loaded once.
//!
//! A layout says which label goes in which cell, which model field fills which cell, how the
//! indicator grid is split into columns, the level names printed for each indicator class, the
//! fonts, the column widths and the print set-up. [`super::form`] turns a table and a layout
//! into cells; nothing about positions lives in the code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::{IndicatorClass, Layout, Table, TableKind};

/// The classic layout, as shipped.
pub(crate) const CLASSIC_TOML: &str = include_str!("../../templates/layout-classic.toml");
/// The national layout, as shipped.
pub(crate) const NATIONAL_TOML: &str = include_str!("../../templates/layout-national.toml");
/// The department-wide layout (部门整体支出绩效目标表), as shipped.
pub(crate) const DEPARTMENT_TOML: &str = include_str!("../../templates/layout-department.toml");

/// A form layout.
#[derive(Debug, Clone, Deserialize)]
pub struct FormLayout {
    /// `classic` or `national`.
    pub id: String,
    /// What it is, in Chinese.
    pub description: String,
    /// The form profile whose fixed rows this layout prints (`ningxia` for the classic
    /// layout): a table read with another profile, in this layout, gets its funding lines as
    /// printed instead of these rows (see [`super::form`]).
    #[serde(default)]
    pub profile: String,
    /// The title when the table has none; `{year}` is replaced.
    pub title: String,
    /// The title when the table has neither title nor year.
    pub title_no_year: String,
    /// The year line under the title (`({year}年)`).
    pub year_line: String,
    /// The unit line (`单位：万元`).
    pub unit_line: String,
    /// Fonts by role.
    pub fonts: Fonts,
    /// Print set-up and row heights.
    pub page: Page,
    /// Column widths, from column A.
    #[serde(rename = "column")]
    pub columns: Vec<Column>,
    /// Where the title, year and unit lines go.
    pub preamble: Preamble,
    /// The header block, top to bottom.
    #[serde(rename = "row")]
    pub rows: Vec<HeaderRow>,
    /// The indicator grid.
    pub grid: Grid,
    /// (一级, 二级) printed for each indicator class.
    pub levels: BTreeMap<IndicatorClass, (String, String)>,
    /// Where the parts of a table that the rows above do not place go.
    #[serde(default)]
    pub blocks: Blocks,
    /// The department-wide blocks (年度预算安排, 年度履职目标), in that layout.
    #[serde(default)]
    pub department: Option<DepartmentBlocks>,
}

/// The blocks of the department-wide layout.
#[derive(Debug, Clone, Deserialize)]
pub struct DepartmentBlocks {
    /// The label of the funding block (年度预算安排（万元）), merged down its rows.
    pub funding_label: String,
    /// The label of a line on the left (what the money is for).
    pub left_label: Span,
    /// Its amount.
    pub left_amount: Span,
    /// The label of a line on the right (where it comes from).
    pub right_label: Span,
    /// Its amount.
    pub right_amount: Span,
    /// The left labels of a table without funding lines.
    pub left_lines: Vec<String>,
    /// The right labels of a table without funding lines.
    pub right_lines: Vec<String>,
    /// The label of the 年度履职目标 block, merged down its rows.
    pub tasks_label: String,
    /// Its headers: 部门职能, 年度目标任务, 支出项目名称, 预算金额.
    pub tasks_header: Vec<String>,
    /// Their columns.
    pub tasks_at: Vec<Span>,
    /// Empty rows of the block in a table without tasks.
    pub blank_tasks: usize,
}

/// Where the parts of a table that the layout's rows do not place go: metadata (联系人,
/// 财政部门审核意见 …) as label | value rows, funding lines the rows have no cell for, and the
/// cells nothing understood (其他), each as group | label | value rows.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Blocks {
    /// A metadata row's label.
    pub label: Span,
    /// A metadata row's value.
    pub value: Span,
    /// The group cell, merged down its rows (资金来源, 其他).
    pub group: Span,
    /// A grouped row's label.
    pub item_label: Span,
    /// A grouped row's value or amount.
    pub item_value: Span,
    /// The group label of further funding lines.
    pub lines_group: String,
    /// The group label of the cells nothing understood.
    pub extra_group: String,
    /// The title of a grid other than the annual one, when it has none.
    pub other_grid_title: String,
}

impl Default for Blocks {
    fn default() -> Self {
        let span = |first: u16, last: Option<u16>| Span { first, last };
        Blocks {
            label: span(0, Some(0)),
            value: span(1, None),
            group: span(0, Some(0)),
            item_label: span(1, Some(2)),
            item_value: span(3, None),
            lines_group: "其他资金来源".into(),
            extra_group: "其他".into(),
            other_grid_title: "长期绩效指标".into(),
        }
    }
}

/// A font.
#[derive(Debug, Clone, Deserialize)]
pub struct Font {
    /// Font name (宋体, 仿宋).
    pub name: String,
    /// Size in points.
    pub size: f64,
    /// Bold.
    #[serde(default)]
    pub bold: bool,
}

/// The fonts of a layout, by role.
#[derive(Debug, Clone, Deserialize)]
pub struct Fonts {
    /// The title line.
    pub title: Font,
    /// The year and unit lines.
    pub subtitle: Font,
    /// Labels and grid headers.
    pub label: Font,
    /// Values.
    pub text: Font,
}

/// Page margins, in inches.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Margins {
    /// Left.
    pub left: f64,
    /// Right.
    pub right: f64,
    /// Top.
    pub top: f64,
    /// Bottom.
    pub bottom: f64,
    /// Header.
    pub header: f64,
    /// Footer.
    pub footer: f64,
}

/// Print set-up.
#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    /// Excel paper code (9 = A4).
    pub paper: u8,
    /// Portrait (else landscape).
    pub portrait: bool,
    /// Margins.
    pub margins: Margins,
    /// Footer (Excel header/footer codes).
    pub footer: String,
    /// Smallest height of a bordered row, in points.
    pub min_row_height: f64,
    /// Height of the title row, in points.
    pub title_row_height: f64,
}

impl Page {
    /// Sets up a sheet to print this way: paper, orientation, one page wide, margins, centred,
    /// the footer.
    pub(crate) fn apply(&self, ws: &mut rust_xlsxwriter::Worksheet) {
        ws.set_paper_size(self.paper);
        if self.portrait {
            ws.set_portrait();
        } else {
            ws.set_landscape();
        }
        ws.set_print_fit_to_pages(1, 0);
        let m = self.margins;
        ws.set_margins(m.left, m.right, m.top, m.bottom, m.header, m.footer);
        ws.set_print_center_horizontally(true);
        ws.set_footer(self.footer.as_str());
    }
}

/// One column's width, in Excel character units.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Column {
    /// Width as laid out.
    pub width: f64,
    /// Widest it may grow to fit a single-column cell.
    pub max: f64,
}

/// Where the preamble lines go.
#[derive(Debug, Clone, Deserialize)]
pub struct Preamble {
    /// The title.
    pub title: Span,
    /// The year line.
    pub year: Span,
    /// The unit line.
    pub unit: Span,
    /// A line of what the source printed above its header block (`预算单位：某局`,
    /// `填报单位：(盖章)`), one `label：value` line each, between the year and the unit lines;
    /// where the unit line goes when the layout does not say.
    #[serde(default)]
    pub lines: Option<Span>,
}

/// Which funding block a header row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// Written only when the funds need the 本级/转移 rows (`needs_split`).
    Split,
    /// Written only when they do not.
    Whole,
}

/// One row of the header block.
#[derive(Debug, Clone, Deserialize)]
pub struct HeaderRow {
    /// Its cells.
    pub cells: Vec<HeaderCell>,
    /// When the row is written: always (none), or only with or without the 本级/转移 rows.
    #[serde(default)]
    pub when: Option<When>,
    /// A block the code writes here instead of cells (`funding`, `tasks`).
    #[serde(default)]
    pub block: Option<String>,
    /// Smallest height, in points.
    #[serde(default)]
    pub min_height: Option<f64>,
}

/// One cell of the header block: a fixed label or a model field.
#[derive(Debug, Clone, Deserialize)]
pub struct HeaderCell {
    /// A label printed as is.
    #[serde(default)]
    pub label: Option<String>,
    /// A model field path (`project.name`, `funding.own.total`, `goal`).
    #[serde(default)]
    pub field: Option<String>,
    /// The columns it spans.
    pub at: Span,
    /// How many header rows it spans (merged down), counting only rows written.
    #[serde(default = "one")]
    pub down: usize,
    /// `left` to align the text left (long text such as the goal).
    #[serde(default)]
    pub align: Option<String>,
}

fn one() -> usize {
    1
}

/// The indicator grid.
#[derive(Debug, Clone, Deserialize)]
pub struct Grid {
    /// 一级指标 column.
    pub level1: Span,
    /// 二级指标 column.
    pub level2: Span,
    /// 三级指标 column(s).
    pub name: Span,
    /// 指标值 column(s).
    pub value: Span,
    /// A label beside the whole grid (年度绩效指标), merged down it.
    #[serde(default)]
    pub group: Option<String>,
    /// Its column.
    #[serde(default)]
    pub group_at: Option<Span>,
    /// 指标性质 column, in the split layout.
    #[serde(default)]
    pub nature: Option<Span>,
    /// 度量单位 column, in the split layout.
    #[serde(default)]
    pub unit: Option<Span>,
    /// The word written in 指标性质 for a qualitative value.
    pub qualitative: String,
    /// Width of extra columns added for extra headers the layout does not name.
    pub extra_width: f64,
    /// Header texts.
    pub header: GridHeader,
    /// Extra columns (权重, 备注) the layout always has.
    #[serde(default)]
    pub extra: Vec<ExtraColumn>,
}

impl Grid {
    /// True when the value is split over 指标性质 | 指标值 | 度量单位.
    pub fn split(&self) -> bool {
        self.nature.is_some() && self.unit.is_some()
    }
}

/// The grid's header texts.
#[derive(Debug, Clone, Deserialize)]
pub struct GridHeader {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 指标值.
    pub value: String,
    /// 指标性质.
    #[serde(default)]
    pub nature: Option<String>,
    /// 度量单位.
    #[serde(default)]
    pub unit: Option<String>,
}

/// An extra column of the grid.
#[derive(Debug, Clone, Deserialize)]
pub struct ExtraColumn {
    /// Its header, which is also the key in [`crate::model::Indicator::extra`].
    pub header: String,
    /// Its column.
    pub at: Span,
}

/// A column or a span of columns: `A`, `B:F`, `B:$` (`$` = the sheet's last column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First column, zero-based.
    pub first: u16,
    /// Last column, zero-based; `None` for the sheet's last column.
    pub last: Option<u16>,
}

impl Span {
    /// The last column, given the sheet's last column.
    pub(crate) fn last_in(self, sheet_last: u16) -> u16 {
        self.last.unwrap_or(sheet_last).max(self.first)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_span(&s).ok_or_else(|| serde::de::Error::custom(format!("无效的列范围 `{s}`")))
    }
}

fn parse_col(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let n = s
        .bytes()
        .fold(0u16, |n, b| n * 26 + u16::from(b - b'A' + 1));
    Some(n - 1)
}

/// Parses `A`, `B:F` or `B:$`.
pub(crate) fn parse_span(s: &str) -> Option<Span> {
    match s.split_once(':') {
        None => parse_col(s).map(|c| Span {
            first: c,
            last: Some(c),
        }),
        Some((a, "$")) => parse_col(a).map(|c| Span {
            first: c,
            last: None,
        }),
        Some((a, b)) => {
            let (a, b) = (parse_col(a)?, parse_col(b)?);
            (a <= b).then_some(Span {
                first: a,
                last: Some(b),
            })
        }
    }
}

impl FormLayout {
    /// Parses a layout file.
    ///
    /// # Errors
    /// When the TOML does not have the shape of `templates/layout-classic.toml`.
    pub fn from_toml(text: &str) -> Result<FormLayout, toml::de::Error> {
        toml::from_str(text)
    }

    /// The shipped layout for `layout`.
    pub fn builtin(layout: Layout) -> &'static FormLayout {
        static CLASSIC: OnceLock<FormLayout> = OnceLock::new();
        static NATIONAL: OnceLock<FormLayout> = OnceLock::new();
        // The files are part of the crate and parsed by the tests: a broken one is a build bug.
        #[allow(clippy::expect_used)]
        match layout {
            Layout::Classic => CLASSIC.get_or_init(|| {
                FormLayout::from_toml(CLASSIC_TOML).expect("templates/layout-classic.toml")
            }),
            Layout::National => NATIONAL.get_or_init(|| {
                FormLayout::from_toml(NATIONAL_TOML).expect("templates/layout-national.toml")
            }),
        }
    }

    /// The shipped department-wide layout.
    pub fn department() -> &'static FormLayout {
        static DEPARTMENT: OnceLock<FormLayout> = OnceLock::new();
        // Part of the crate and parsed by the tests: a broken file is a build bug.
        #[allow(clippy::expect_used)]
        DEPARTMENT.get_or_init(|| {
            FormLayout::from_toml(DEPARTMENT_TOML).expect("templates/layout-department.toml")
        })
    }

    /// The layout a table is written in: the department-wide one for a 部门整体 table, else
    /// `forced` or the table's own.
    pub fn for_table(table: &Table, forced: Option<Layout>) -> &'static FormLayout {
        match table.kind {
            TableKind::Department => FormLayout::department(),
            TableKind::Project => FormLayout::builtin(forced.unwrap_or(table.layout)),
        }
    }

    /// True when this is the layout the table was read in (nothing is to be dropped).
    pub(crate) fn is_own(&self, table: &Table) -> bool {
        match table.kind {
            TableKind::Department => self.id == "department",
            TableKind::Project => self.id == table.layout.id(),
        }
    }

    /// True when the table's grid is printed with its levels as read where it printed them:
    /// in its own layout, and in any layout for a form with levels of its own (its converted
    /// file is read and checked with its profile, which knows its levels, not the layout's).
    pub(crate) fn keeps_levels(&self, table: &Table) -> bool {
        self.is_own(table) || table.profile.has_own_levels()
    }

    /// The (一级, 二级) names printed for a class, if the layout has it.
    pub fn level_names(&self, class: IndicatorClass) -> Option<(&str, &str)> {
        self.levels
            .get(&class)
            .map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// The title for a table without one.
    pub(crate) fn default_title(&self, year: Option<i32>) -> String {
        match year {
            Some(y) => self.title.replace("{year}", &y.to_string()),
            None => self.title_no_year.clone(),
        }
    }

    /// The last column of the template (before extra columns are added).
    pub(crate) fn last_col(&self) -> u16 {
        u16::try_from(self.columns.len().saturating_sub(1)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_parse() {
        assert_eq!(
            parse_span("A"),
            Some(Span {
                first: 0,
                last: Some(0)
            })
        );
        assert_eq!(
            parse_span("B:F"),
            Some(Span {
                first: 1,
                last: Some(5)
            })
        );
        assert_eq!(
            parse_span("B:$"),
            Some(Span {
                first: 1,
                last: None
            })
        );
        assert_eq!(parse_span("F:B"), None);
        assert_eq!(parse_span("b"), None);
        assert_eq!(parse_span(""), None);
    }

    #[test]
    fn the_department_layout_loads() {
        let d = FormLayout::department();
        assert_eq!(d.id, "department");
        let blocks = d.department.as_ref().expect("department blocks");
        assert_eq!(blocks.tasks_header.len(), blocks.tasks_at.len());
        assert!(d.grid.group.is_some() && d.grid.group_at.is_some());
        let t = Table {
            kind: TableKind::Department,
            ..Table::default()
        };
        assert!(FormLayout::for_table(&t, Some(Layout::National)).is_own(&t));
    }

    #[test]
    fn shipped_layouts_load() {
        for layout in [Layout::Classic, Layout::National] {
            let l = FormLayout::builtin(layout);
            assert_eq!(l.id, layout.id());
            assert!(!l.rows.is_empty());
            assert!(l.level_names(IndicatorClass::Quantity).is_some());
            assert!(l.level_names(IndicatorClass::Unknown).is_none());
        }
        assert!(FormLayout::builtin(Layout::National).grid.split());
        // The 其他 block's label is no field label the reader would take; the further funding
        // lines' group reads as the funding group (not as an unrecognised cell).
        for layout in [Layout::Classic, Layout::National] {
            let b = &FormLayout::builtin(layout).blocks;
            let labels = crate::read::labels::Labels::builtin();
            assert!(labels.lookup(&b.extra_group).is_none(), "{}", b.extra_group);
            let group = labels.lookup(&b.lines_group).map(|(d, _)| d.id.as_str());
            assert_eq!(group, Some("group.funds"), "{}", b.lines_group);
        }
        assert!(!FormLayout::builtin(Layout::Classic).grid.split());
    }
}
