//! Next year's workbook: blank or prefilled form sheets that are hard to fill wrongly.
//!
//! Each table is laid out by [`form::plan`] and written by [`form::emit_with`], exactly as
//! `convert` lays out and formats it; the template then adds:
//!
//! ```text
//!  | 项目名称 (locked) | input (unlocked)                                               |
//!  | 项目属性          | [dropdown ▾]  | 项目期  | input                                 |
//!  | 其中：本级资金     | 资金总额       | =IF(COUNT(C9,C10,C11)=0,"",SUM(C9,C10,C11)) (locked) |
//!  |                   | 财政拨款       | amount ≥ 0, input message “万元”                    |
//!  | 一级指标          | 二级指标       | 三级指标              | 指标值                      |
//!  | [产出指标 ▾]      | [数量指标 ▾]   | input                 | input                       |
//!  |  (merged down)    |  (merged down) | (spare row, empty)    |                             |
//! ```
//!
//! - labels, title and year locked, every input cell unlocked (empty ones as bordered blanks),
//!   the sheet protected without a password (rows may be inserted and deleted);
//! - dropdowns for 项目属性, 一级/二级指标 and (national) 指标性质, listed on a hidden sheet;
//! - the derived amounts (本级资金总额, 转移资金总额, 年度资金总额) as formulas with their
//!   results. A prefilled table whose amounts do not add up keeps its typed total instead (the
//!   mismatch is listed among last year's findings), so that it reads back as carried;
//! - empty rows after each 二级指标 for new indicators (a blank table: one row with the names
//!   and spare rows below). An empty row reads as nothing, so a prefilled table reads back to
//!   exactly the tables that were carried.
//!
//! Then a 填报说明 sheet ([`super::guide`]) and, for a prefilled workbook, a 说明 sheet (what
//! was and was not carried) and 上年问题清单 (this year's findings, in the 问题清单 format of
//! `convert`, linked to the cells of the new forms).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::cell::CellRef;
use crate::error::{Error, Result};
use crate::model::fields;
use crate::model::{Document, Finding, Funding, FundingLine, Indicator, Layout, Table, TableKind};
use crate::read::labels::Framework;
use crate::read::profile::FundingDef;
use crate::write::form::{self, EmitOptions, FormPlan};
use crate::write::layout::FormLayout;
use crate::write::names::unique_sheet_names;
use crate::write::{issues, Located};

use super::guide::{self, TemplateText, GUIDE_SHEET};
use super::input::{self, Lists};
use super::Carried;

/// Name of the sheet listing what was and was not carried over.
pub const NOTES_SHEET: &str = "说明";
/// Name of the sheet listing this year's findings.
pub const FINDINGS_SHEET: &str = "上年问题清单";
/// Name of the hidden sheet holding the dropdown lists.
pub const LISTS_SHEET: &str = "下拉选项";

/// The fill of the cells to fill in (a pale green), unlike the white labels.
pub(crate) const INPUT_FILL: Color = Color::RGB(0xE2EFDA);

/// Height of an empty goal row, in points: room for four or five lines.
const BLANK_GOAL_HEIGHT: f64 = 72.0;

/// A blank template.
#[derive(Debug, Clone, Copy)]
pub struct Blank {
    /// The year of the tables.
    pub year: i32,
    /// The layout of the forms (of project tables).
    pub layout: Layout,
    /// How many blank forms.
    pub tables: usize,
    /// Project tables or 部门整体 tables.
    pub kind: TableKind,
    /// The form profile (`--profile`): its title and wording; without one the national
    /// title, without a province.
    pub profile: Option<crate::read::profile::ProfileRef>,
}

/// A prefilled template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefill {
    /// The year of the new tables.
    pub year: i32,
    /// The layout of the forms; `None` keeps each table's own.
    pub layout: Option<Layout>,
    /// The files this year's tables were read from, for the 说明 sheet.
    pub sources: Vec<String>,
    /// How many tables were read, before duplicates and one-year projects were left out.
    pub tables_read: usize,
    /// The amounts were emptied (`--clear-amounts`).
    pub cleared_amounts: bool,
}

/// A template workbook.
#[derive(Debug, Clone)]
pub struct Book {
    /// The xlsx bytes.
    pub bytes: Vec<u8>,
    /// The form sheets' names, one per table.
    pub sheets: Vec<String>,
    /// All sheets, in workbook order (the last one hidden).
    pub all_sheets: Vec<String>,
    /// What a form sheet does not read back as the table it was written from
    /// ([`crate::write::readback`]); each difference's `table` indexes [`Book::sheets`].
    pub readback: Vec<crate::write::readback::Difference>,
}

/// One form to write: the table with its spare rows, and where its indicators went.
pub(super) struct Form {
    pub(super) table: Table,
    pub(super) layout: Layout,
    sheet: String,
    /// Index of each of the table's own indicators among the padded ones.
    moved: Vec<usize>,
}

/// Renders a blank template.
///
/// # Errors
/// [`Error::Usage`] for a year that is not a four-digit budget year
/// ([`super::check_year`]); [`Error::Write`] when rust_xlsxwriter rejects the workbook (a bug).
pub fn blank(opts: &Blank) -> Result<Book> {
    super::check_year(opts.year)?;
    let text = TemplateText::builtin();
    let n = opts.tables.max(1);
    let wanted: Vec<String> = (1..=n)
        .map(|i| {
            if n == 1 {
                "绩效表".to_string()
            } else {
                format!("绩效表{i}")
            }
        })
        .collect();
    let names = unique_sheet_names(&wanted, &reserved());
    let forms: Vec<Form> = names
        .into_iter()
        .map(|sheet| {
            let mut t = match opts.kind {
                TableKind::Project => blank_table(opts.year, opts.layout),
                TableKind::Department => blank_department_table(opts.year),
            };
            // The profile's own title and wording, for a table of its kind.
            if let Some(p) = opts.profile.filter(|p| p.kind == opts.kind) {
                t.title = p.title_for(opts.year);
                t.profile = p;
                // A form whose own funding lines its layout's rows do not print: its lines, in
                // its words, to be filled.
                let layout = match opts.kind {
                    TableKind::Project => FormLayout::builtin(opts.layout),
                    TableKind::Department => FormLayout::department(),
                };
                if p.id != layout.profile {
                    t.funding.lines = blank_lines(p.own_funding());
                }
            }
            let (table, moved) = pad(&t, text.rows_per_level2.saturating_sub(1));
            Form {
                table,
                layout: opts.layout,
                sheet,
                moved,
            }
        })
        .collect();
    render(&forms, opts.year, None).map_err(|e| write_error(opts.year, &e))
}

/// Renders next year's workbook from carried tables.
///
/// # Errors
/// [`Error::Usage`] for a year that is not a four-digit budget year
/// ([`super::check_year`]); [`Error::Write`] when rust_xlsxwriter rejects the workbook (a bug).
pub fn prefilled(carried: &Carried, opts: &Prefill) -> Result<Book> {
    super::check_year(opts.year)?;
    let text = TemplateText::builtin();
    let wanted: Vec<String> = carried
        .doc
        .tables
        .iter()
        .map(|t| t.display_name().to_string())
        .collect();
    let names = unique_sheet_names(&wanted, &reserved());
    let forms: Vec<Form> = carried
        .doc
        .tables
        .iter()
        .zip(names)
        .map(|(t, sheet)| {
            let layout = opts.layout.unwrap_or(t.layout);
            let (table, moved) = pad(t, text.spare_rows);
            Form {
                table,
                layout,
                sheet,
                moved,
            }
        })
        .collect();
    render(&forms, opts.year, Some((carried, opts))).map_err(|e| write_error(opts.year, &e))
}

fn write_error(year: i32, e: &XlsxError) -> Error {
    Error::Write {
        path: PathBuf::from(format!("{year}年模板")),
        detail: format!("生成工作簿失败：{e}"),
    }
}

fn reserved() -> [&'static str; 4] {
    [GUIDE_SHEET, NOTES_SHEET, FINDINGS_SHEET, LISTS_SHEET]
}

/// A form's own funding lines, none filled: each with its first wording, its role and span,
/// under the line its profile names as its parent.
fn blank_lines(defs: &[FundingDef]) -> Vec<FundingLine> {
    let defs: Vec<&FundingDef> = defs.iter().filter(|d| !d.labels.is_empty()).collect();
    defs.iter()
        .map(|d| FundingLine {
            key: d.key.clone(),
            label: d.labels[0].clone(),
            parent: d
                .parent
                .as_ref()
                .and_then(|p| defs.iter().position(|x| &x.key == p)),
            scope: d.scope.unwrap_or_default(),
            role: d.role.clone(),
            ..FundingLine::default()
        })
        .collect()
}

/// A table with no values: the title and year, and one row per required 二级指标.
pub fn blank_table(year: i32, layout: Layout) -> Table {
    let fw = Framework::builtin();
    let mut t = Table {
        year: Some(year),
        title: guide::fill_year(&TemplateText::builtin().title, year),
        unit: "万元".into(),
        layout,
        ..Table::default()
    };
    if let Some(req) = fw.required(layout) {
        for l2 in &req.level2 {
            if let Some(def) = fw.level2_in(l2, layout) {
                t.indicators.push(Indicator {
                    level1: def.parent.clone(),
                    level2: l2.clone(),
                    class: def.class,
                    ..Indicator::default()
                });
            }
        }
    }
    t
}

/// A 部门整体 table with no values: the title and year, and one row per required 二级指标,
/// named as the department-wide layout prints them.
pub(crate) fn blank_department_table(year: i32) -> Table {
    let mut t = blank_table(year, Layout::Classic);
    t.kind = TableKind::Department;
    t.title = guide::fill_year(&TemplateText::builtin().department_title, year);
    let fl = FormLayout::department();
    for ind in &mut t.indicators {
        if let Some((l1, l2)) = fl.level_names(ind.class) {
            ind.level1 = l1.to_string();
            ind.level2 = l2.to_string();
        }
    }
    t
}

/// Adds `spare` empty indicators after each run of indicators under the same 一级/二级.
/// Returns the padded table and, for each of the table's indicators, its index in it.
fn pad(table: &Table, spare: usize) -> (Table, Vec<usize>) {
    let mut out = table.clone();
    out.indicators.clear();
    let mut moved = Vec::with_capacity(table.indicators.len());
    let key = |ind: &Indicator| (form::class_of(ind), ind.level1.clone(), ind.level2.clone());
    for (i, ind) in table.indicators.iter().enumerate() {
        moved.push(out.indicators.len());
        out.indicators.push(ind.clone());
        let run_ends = table
            .indicators
            .get(i + 1)
            .is_none_or(|next| key(next) != key(ind));
        if run_ends {
            for _ in 0..spare {
                out.indicators.push(Indicator {
                    level1: ind.level1.clone(),
                    level2: ind.level2.clone(),
                    class: ind.class,
                    ..Indicator::default()
                });
            }
        }
    }
    (out, moved)
}

/// The formulas of a form's derived amounts, each with its result. A derived amount whose
/// parts do not add up to it keeps its typed value (no formula): the template carries what
/// was written, and last year's findings say what is wrong. The sums are the model's own
/// ([`fields::VIEW_SUMS`]), first match wins: the layout decides which cells exist (the
/// national block without the 本级/转移 split adds up the own funds' parts).
fn formulas(plan: &FormPlan, funding: &Funding) -> HashMap<CellRef, Formula> {
    let mut out = HashMap::new();
    let mut done: HashSet<&str> = HashSet::new();
    for sum in fields::VIEW_SUMS {
        let (field, parts) = (&sum.total, sum.parts);
        if done.contains(field) {
            continue;
        }
        let Some(cell) = plan.fields.get(*field) else {
            continue;
        };
        let cells: Option<Vec<String>> = parts
            .iter()
            .map(|p| plan.fields.get(*p).map(CellRef::to_string))
            .collect();
        let Some(cells) = cells else {
            continue;
        };
        done.insert(field);
        let values: Vec<Decimal> = parts
            .iter()
            .filter_map(|p| fields::amount(funding, p))
            .collect();
        let result = (!values.is_empty()).then(|| values.iter().copied().sum::<Decimal>());
        if result != fields::amount(funding, field) {
            continue;
        }
        let list = cells.join(",");
        let formula = Formula::new(format!("IF(COUNT({list})=0,\"\",SUM({list}))"))
            .set_result(result.map(|d| d.to_string()).unwrap_or_default());
        out.insert(*cell, formula);
    }
    out
}

/// The cells a department fills in, left unlocked: every field's value but the derived
/// amounts (formulas) and the labels of metadata, and every cell of the annual grid's rows.
fn input_cells(
    plan: &FormPlan,
    table: &Table,
    formulas: &HashMap<CellRef, Formula>,
) -> HashSet<CellRef> {
    let is_input = |field: &str| {
        field.starts_with("project.")
            || field.starts_with("funding.")
            || field == "goal"
            || field.starts_with("department.")
            || (field.starts_with("metadata[") && !field.ends_with(".label"))
    };
    // The annual grid's rows; what follows it (other grids, metadata) has labels of its own.
    let grid_last = plan.grid_header_row + table.indicators.len() as u32;
    let mut unlocked: HashSet<CellRef> = plan
        .fields
        .iter()
        .filter(|(f, c)| is_input(f) && !formulas.contains_key(c))
        .map(|(_, c)| *c)
        .collect();
    unlocked.extend(
        plan.cells
            .iter()
            .filter(|c| c.first.row > plan.grid_header_row && c.first.row <= grid_last)
            .map(|c| c.first),
    );
    unlocked
}

/// Writes one form: cells by the writer, then protection, dropdowns and input messages.
fn write_form(
    ws: &mut Worksheet,
    form: &Form,
    year: i32,
    lists: &Lists,
) -> std::result::Result<FormPlan, XlsxError> {
    let layout = FormLayout::for_table(&form.table, Some(form.layout));
    let plan = form::plan(&form.table, layout);
    let formulas = formulas(&plan, &form.table.funding);
    // An empty formula result shows as blank, not as 0.
    ws.set_formula_result_default("");
    let opts = EmitOptions {
        unlocked: input_cells(&plan, &form.table, &formulas),
        formulas,
        input_fill: Some(INPUT_FILL),
    };
    form::emit_with(ws, &plan, layout, &HashMap::new(), &opts)?;
    if form.table.goal.is_empty() {
        // Room to write the goal in: a few lines.
        if let Some(goal) = plan.fields.get("goal") {
            let h = plan.heights.get(&goal.row).copied().unwrap_or(0.0);
            ws.set_row_height(goal.row, h.max(BLANK_GOAL_HEIGHT))?;
        }
    }
    input::add_dropdowns(ws, form, &plan, layout, lists, year, &opts.formulas)?;
    let mut protection = ProtectionOptions::new();
    protection.format_columns = true;
    protection.format_rows = true;
    protection.insert_rows = true;
    protection.delete_rows = true;
    ws.protect_with_options(&protection);
    Ok(plan)
}

fn render(
    forms: &[Form],
    year: i32,
    from: Option<(&Carried, &Prefill)>,
) -> std::result::Result<Book, XlsxError> {
    let mut wb = Workbook::new();
    let title = match from {
        Some(_) => format!("{year}年项目支出预算绩效表（由上年绩效表生成）"),
        None => format!("{year}年项目支出预算绩效表（空白模板）"),
    };
    let props = DocProperties::new()
        .set_title(&title)
        .set_author("jixiao")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?);
    wb.set_properties(&props);

    // The lists sheet is written first (its ranges are needed) but placed last.
    let mut lists_ws = Worksheet::new();
    lists_ws.set_name(LISTS_SHEET)?;
    let lists = input::write_lists(&mut lists_ws)?;
    for (name, range) in &lists.level2_names {
        wb.define_name(name, range)?;
    }

    let mut plans = Vec::with_capacity(forms.len());
    for form in forms {
        let ws = wb.add_worksheet();
        ws.set_name(&form.sheet)?;
        plans.push(write_form(ws, form, year, &lists)?);
    }
    let mut layouts: Vec<Layout> = Vec::new();
    for f in forms.iter().filter(|f| f.table.kind == TableKind::Project) {
        if !layouts.contains(&f.layout) {
            layouts.push(f.layout);
        }
    }
    let department = forms.iter().any(|f| f.table.kind == TableKind::Department);
    if layouts.is_empty() && !department {
        layouts.push(Layout::Classic);
    }
    let ws = wb.add_worksheet();
    ws.set_name(GUIDE_SHEET)?;
    guide::write(ws, &guide::lines_with(year, &layouts, department))?;
    let mut all_sheets: Vec<String> = forms.iter().map(|f| f.sheet.clone()).collect();
    all_sheets.push(GUIDE_SHEET.into());

    if let Some((carried, opts)) = from {
        write_carried_sheets(&mut wb, forms, &plans, carried, opts)?;
        all_sheets.push(NOTES_SHEET.into());
        all_sheets.push(FINDINGS_SHEET.into());
    }
    wb.push_worksheet(lists_ws);
    all_sheets.push(LISTS_SHEET.into());
    let bytes = wb.save_to_buffer()?;
    // Each form read back before the workbook is kept: it must say what the table said.
    let written: Vec<crate::write::readback::Written<'_>> = forms
        .iter()
        .zip(&plans)
        .map(|(f, plan)| crate::write::readback::Written {
            sheet: &f.sheet,
            table: &f.table,
            plan,
            layout: FormLayout::for_table(&f.table, Some(f.layout)),
        })
        .collect();
    let readback = crate::write::readback::verify(&bytes, &written);
    Ok(Book {
        bytes,
        sheets: forms.iter().map(|f| f.sheet.clone()).collect(),
        all_sheets,
        readback,
    })
}

/// The sheets of a prefilled workbook: 说明 (what was and was not carried) and 上年问题清单
/// (last year's findings pointed at the new forms' cells, and what each form's layout has no
/// place for, item by item).
fn write_carried_sheets(
    wb: &mut Workbook,
    forms: &[Form],
    plans: &[FormPlan],
    carried: &Carried,
    opts: &Prefill,
) -> std::result::Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(NOTES_SHEET)?;
    super::notes::write_notes(ws, carried, opts)?;

    // Last year's findings, pointed at the new forms' cells.
    let padded = Document {
        schema: crate::model::SCHEMA_VERSION,
        tables: forms.iter().map(|f| f.table.clone()).collect(),
        discrepancies: Vec::new(),
    };
    let mut located: Vec<Located> = carried
        .last_year_findings
        .iter()
        .map(|f| {
            let mut moved = moved_finding(f, forms);
            moved.message = guide::for_department(&moved.message);
            moved.file = crate::write::summary::file_name(&moved.file);
            let target = moved.table.and_then(|i| {
                let (form, plan) = (forms.get(i)?, plans.get(i)?);
                crate::write::locate(&moved, &form.table, plan).map(|c| (form.sheet.clone(), c))
            });
            Located {
                finding: moved,
                target,
            }
        })
        .collect();
    // What a form's layout has no place for is listed, item by item, with its cell in
    // last year's table (the read-back leaves out exactly these items).
    for (i, (form, plan)) in forms.iter().zip(plans).enumerate() {
        for n in plan.notices.iter().filter(|n| n.rule == form::RULE_DROPPED) {
            let mut f = Finding::new(n.rule, n.severity, &form.table, n.source, n.message.clone());
            f.rule_name = form::notice_name(n.rule).to_string();
            f.field = n.field.clone();
            f.table = Some(i);
            f.file = crate::write::summary::file_name(&f.file);
            located.push(Located {
                finding: f,
                target: None,
            });
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(FINDINGS_SHEET)?;
    let opts = issues::IssuesOptions {
        file_names_only: true,
    };
    issues::write_with(ws, &padded, &located, opts)?;
    Ok(())
}

/// A finding about a carried table, its indicator index moved to the padded table's; the
/// cell it names is last year's, and no longer matches anything in the new form.
fn moved_finding(f: &Finding, forms: &[Form]) -> Finding {
    let mut out = f.clone();
    if let (Some(field), Some(form)) = (&f.field, f.table.and_then(|t| forms.get(t))) {
        if let Some(rest) = field.strip_prefix("indicators[") {
            if let Some((idx, tail)) = rest.split_once(']') {
                if let Some(new) = idx.parse::<usize>().ok().and_then(|i| form.moved.get(i)) {
                    out.field = Some(format!("indicators[{new}]{tail}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_tables_have_every_required_level2() {
        for layout in [Layout::Classic, Layout::National] {
            let t = blank_table(2027, layout);
            let req = Framework::builtin()
                .required(layout)
                .map(|r| r.level2.len());
            assert_eq!(Some(t.indicators.len()), req);
            assert_eq!(t.year, Some(2027));
            assert!(t.title.starts_with("2027年"));
        }
    }

    #[test]
    fn spare_rows_follow_each_run() {
        let t = blank_table(2027, Layout::Classic);
        let (p, moved) = pad(&t, 1);
        assert_eq!(p.indicators.len(), 2 * t.indicators.len());
        assert_eq!(moved[1], 2);
        assert_eq!(p.indicators[1].class, t.indicators[0].class);
        assert!(p.indicators[1].name.is_empty());
    }

    #[test]
    fn formulas_only_where_the_amounts_add_up() {
        let layout = FormLayout::builtin(Layout::Classic);
        let mut t = blank_table(2027, Layout::Classic);
        let plan = form::plan(&t, layout);
        let f = formulas(&plan, &t.funding);
        assert_eq!(f.len(), 3);
        let own = plan.fields["funding.own.total"];
        assert!(f.contains_key(&own));

        let d = |n: i64| Some(Decimal::new(n, 0));
        t.funding.own.fiscal = d(45);
        t.funding.own.other = d(0);
        t.funding.own.carryover = d(0);
        t.funding.own.total = d(45);
        t.funding.transfer.total = d(0);
        t.funding.transfer.central = d(0);
        t.funding.transfer.regional = d(0);
        t.funding.annual_total = d(50);
        let f = formulas(&plan, &t.funding);
        assert!(f.contains_key(&own));
        assert!(!f.contains_key(&plan.fields["funding.annual_total"]));

        // National without the split (no 本级 / 转移 line): the annual total from its parts.
        let n = FormLayout::builtin(Layout::National);
        t.funding.annual_total = d(45);
        t.funding.own.total = None;
        t.funding.transfer = Default::default();
        let plan = form::plan(&t, n);
        let f = formulas(&plan, &t.funding);
        assert_eq!(f.len(), 1);
        assert!(f.contains_key(&plan.fields["funding.annual_total"]));
    }
}
