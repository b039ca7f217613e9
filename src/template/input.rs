//! The template's input aids: the hidden sheet of dropdown choices and, on each form, the
//! dropdowns and input messages of its cells (项目属性, amounts, 一级/二级指标, 指标性质, 指标值).

use std::collections::HashMap;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Formula, Worksheet, XlsxError,
};

use crate::cell::CellRef;
use crate::model::{Layout, TableKind};
use crate::read::labels::Framework;
use crate::write::form::{FormPlan, PlannedCell, Role};
use crate::write::layout::FormLayout;
use crate::write::names::reference;

use super::guide::{self, TemplateText};
use super::write::{Form, LISTS_SHEET};

/// The list ranges on the hidden sheet.
pub(super) struct Lists {
    pub(super) attribute: String,
    pub(super) level1: HashMap<Layout, String>,
    pub(super) nature: String,
    /// The defined names of the 二级 lists, one per (layout, 一级): `传统版式_产出指标`.
    pub(super) level2_names: Vec<(String, String)>,
}

/// The prefix of the defined names of a layout's 二级 lists.
fn level2_prefix(layout: Layout) -> &'static str {
    match layout {
        Layout::Classic => "传统版式_",
        Layout::National => "国家版式_",
    }
}

/// Writes the hidden sheet of dropdown choices: one column per list, a header on top. The
/// 二级 choices are listed per 一级, each under a defined name the 二级 dropdown looks up
/// with INDIRECT, so that its list follows the 一级 chosen.
pub(super) fn write_lists(ws: &mut Worksheet) -> Result<Lists, XlsxError> {
    let fw = Framework::builtin();
    let text = TemplateText::builtin();
    // (header, items, defined name of the range)
    let mut columns: Vec<(String, Vec<String>, Option<String>)> =
        vec![("项目属性的可选值".into(), text.attributes.clone(), None)];
    for layout in [Layout::Classic, Layout::National] {
        let Some(req) = fw.required(layout) else {
            continue;
        };
        let name = guide::layout_name(layout)
            .split('（')
            .next()
            .unwrap_or_default()
            .to_string();
        columns.push((format!("{name}的一级指标名称"), req.level1.clone(), None));
        for l1 in &req.level1 {
            let under: Vec<String> = req
                .level2
                .iter()
                .filter(|l2| fw.level2_in(l2, layout).is_some_and(|d| d.parent == *l1))
                .cloned()
                .collect();
            columns.push((
                format!("{name}中“{l1}”下的二级指标"),
                under,
                Some(format!("{}{l1}", level2_prefix(layout))),
            ));
        }
    }
    columns.push(("指标性质的可选值".into(), text.natures.clone(), None));
    let mut ranges = Vec::new();
    let mut level2_names = Vec::new();
    for (c, (head, items, name)) in columns.iter().enumerate() {
        let col = c as u16;
        ws.write_string(0, col, head)?;
        for (r, item) in items.iter().enumerate() {
            ws.write_string(r as u32 + 1, col, item)?;
        }
        ws.set_column_width(col, 22)?;
        let letter = rust_xlsxwriter::utility::column_number_to_name(col);
        let last = items.len().max(1) + 1;
        let range = format!(
            "={}",
            reference(LISTS_SHEET, &format!("${letter}$2:${letter}${last}"))
        );
        if let Some(name) = name {
            level2_names.push((name.clone(), range.clone()));
        }
        ranges.push(range);
    }
    ws.set_hidden(true);
    ws.protect();
    let mut level1 = HashMap::new();
    for (c, (head, _, _)) in columns.iter().enumerate() {
        for layout in [Layout::Classic, Layout::National] {
            let name = guide::layout_name(layout)
                .split('（')
                .next()
                .unwrap_or_default()
                .to_string();
            if *head == format!("{name}的一级指标名称") {
                level1.insert(layout, ranges[c].clone());
            }
        }
    }
    Ok(Lists {
        attribute: ranges[0].clone(),
        level1,
        nature: ranges[ranges.len() - 1].clone(),
        level2_names,
    })
}

fn list(range: &str) -> Result<DataValidation, XlsxError> {
    let text = TemplateText::builtin();
    DataValidation::new()
        .allow_list_formula(Formula::new(range))
        .set_error_title("输入有误")?
        .set_error_message(&text.input.list_error)
}

/// Adds a form's dropdowns and input messages: 项目属性 from its list, amounts as numbers
/// ≥ 0 (where no formula derives them), 一级 from the layout's list and 二级 from the list of
/// the 一级 chosen, 指标性质 from its list, and the year's hint on 指标值.
pub(super) fn add_dropdowns(
    ws: &mut Worksheet,
    form: &Form,
    plan: &FormPlan,
    layout: &FormLayout,
    lists: &Lists,
    year: i32,
    formulas: &HashMap<CellRef, Formula>,
) -> Result<(), XlsxError> {
    let text = TemplateText::builtin();
    let department = form.table.kind == TableKind::Department;
    let add = |ws: &mut Worksheet, c: &PlannedCell, dv: &DataValidation| -> Result<(), XlsxError> {
        ws.add_data_validation(
            c.first.row,
            c.first.col as u16,
            c.last.row,
            c.last.col as u16,
            dv,
        )?;
        Ok(())
    };
    if let Some(c) = plan
        .fields
        .get("project.attribute")
        .and_then(|c| planned(plan, *c))
    {
        // One entry per kind; a department's own kind is allowed after a warning.
        let dv = list(&lists.attribute)?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message(&text.input.attribute_error)?;
        add(ws, c, &dv)?;
    }
    let money = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_input_title(&text.input.amount_title)?
        .set_input_message(&text.input.amount)?
        .set_error_title("金额有误")?
        .set_error_message(&text.input.amount_error)?
        .set_error_style(DataValidationErrorStyle::Stop);
    for (field, cell) in &plan.fields {
        if field.starts_with("funding.") && !formulas.contains_key(cell) {
            if let Some(c) = planned(plan, *cell) {
                add(ws, c, &money)?;
            }
        }
    }
    let g = &layout.grid;
    // The lists hold the project layouts' level names; a 部门整体 form names them its own way.
    let level1 = match lists.level1.get(&form.layout) {
        Some(range) if !department => Some(list(range)?),
        _ => None,
    };
    // The 一级 cell of each 二级 cell: the top of the 一级 run its indicator is in.
    let level1_of: HashMap<CellRef, CellRef> = (0..form.table.indicators.len())
        .filter_map(|i| {
            let l2 = plan.fields.get(&format!("indicators[{i}].level2"))?;
            let l1 = plan.fields.get(&format!("indicators[{i}].level1"))?;
            Some((*l2, *l1))
        })
        .collect();
    for c in plan
        .cells
        .iter()
        .filter(|c| c.role == Role::Level && c.first.row > plan.grid_header_row)
    {
        if c.first.col == u32::from(g.level1.first) {
            if let Some(dv) = &level1 {
                add(ws, c, dv)?;
            }
        } else if c.first.col == u32::from(g.level2.first) && !department {
            let Some(l1) = level1_of.get(&c.first) else {
                continue;
            };
            let formula = format!(
                "=INDIRECT(\"{}\"&${}${})",
                level2_prefix(form.layout),
                crate::cell::col_name(l1.col),
                l1.row + 1
            );
            add(ws, c, &list(&formula)?)?;
        }
    }
    let nature = list(&lists.nature)?;
    let value_message = if g.split() {
        &text.input.split_value
    } else {
        &text.input.value
    };
    let value = DataValidation::new()
        .allow_any_value()
        .set_input_title(&text.input.value_title)?
        .set_input_message(guide::fill_year(value_message, year))?;
    for (field, cell) in &plan.fields {
        let Some(c) = planned(plan, *cell) else {
            continue;
        };
        if !field.starts_with("indicators[") {
            continue;
        }
        if field.ends_with("].nature") {
            add(ws, c, &nature)?;
        } else if field.ends_with("].value") {
            add(ws, c, &value)?;
        }
    }
    Ok(())
}

/// The planned cell (or merged range) starting at `cell`.
fn planned(plan: &FormPlan, cell: CellRef) -> Option<&PlannedCell> {
    plan.cells.iter().find(|c| c.first == cell)
}
