//! The flat list: one sheet for all of a unit's projects, as budget-publication books and the
//! budget systems' exports print them — the project's columns left of an indicator grid, one
//! row per indicator, the project's cells merged down its rows (or repeated), and a unit's
//! subtotal on a row of its own:
//!
//! ```text
//!  | A            | B        | C         | D        | E        | F        | G        | …
//!  | 单位名称      | 项目名称  | 预算数     | 年度目标  | 一级指标  | 二级指标  | 三级指标  | …
//!  | 820-某镇部门  |          | 8827620.53 |          |          |          |          |
//!  | 820001-某镇   | 项目甲    | 3309840    | 目标甲    | 效益指标  | 社会效益… | 维护稳定  | …
//!  | (merged down) | (merged down …)                  | 产出指标  | 时效指标  | …
//! ```
//!
//! Each project becomes a table of its own: the unit is its implementing unit, the subtotal
//! row's unit its department (the subtotal amount kept in the `extra` of the unit's first project, never an indicator), the
//! amount a funding line in the sheet's money unit, converted to 万元 with the raw text kept.

use super::codes::split_department_code;
use super::footer;
use super::header::HeaderStage;
use super::indicators::{is_grid_header, GridStage};
use super::tokens::Tok;
use super::{Draft, Located};
use crate::cell::CellRef;
use crate::model::{ExtraCell, FundingScope, Severity};
use crate::read::grid::CellValue;
use crate::read::profile::ProfileRef;
use crate::read::values::collapse_spaces;

/// The columns of a flat list left of its grid.
#[derive(Debug)]
struct Columns {
    /// The header row's index.
    header: usize,
    /// The first column of the indicator grid.
    grid: u32,
    name: u32,
    unit: Option<u32>,
    /// The amount column, its header and the funding field it reads as.
    amount: Option<(u32, String, &'static str)>,
    goal: Option<u32>,
}

/// The header row of a flat list: the anchor label (项目名称) left of an indicator grid's
/// header on the same row.
fn find(rows: &[Vec<Tok<'_>>], anchor: &str) -> Option<Columns> {
    rows.iter().enumerate().find_map(|(i, toks)| {
        let name = toks
            .iter()
            .find(|t| t.field() == Some(anchor) && t.inline_value.is_none())?;
        let k = toks.iter().position(|t| {
            t.field()
                .is_some_and(|f| f.starts_with("grid.") && !f.starts_with("grid.title."))
        })?;
        let grid = toks[k].cell.col;
        if name.cell.col >= grid || !is_grid_header(&toks[k..]) {
            return None;
        }
        let mut cols = Columns {
            header: i,
            grid,
            name: name.cell.col,
            unit: None,
            amount: None,
            goal: None,
        };
        for t in &toks[..k] {
            let col = t.cell.col;
            if col == cols.name {
                continue;
            }
            match t.label.as_ref().map(|(f, _)| f.id.as_str()) {
                Some(f) if f.starts_with("goal") && cols.goal.is_none() => cols.goal = Some(col),
                Some(f) if f.starts_with("funding.") && cols.amount.is_none() => {
                    cols.amount = Some((col, collapse_spaces(&t.text), amount_field(t)));
                }
                _ if is_amount_column(rows, i, col) && cols.amount.is_none() => {
                    cols.amount = Some((col, collapse_spaces(&t.text), amount_field(t)));
                }
                _ if cols.unit.is_none() && col < cols.name => cols.unit = Some(col),
                _ => {}
            }
        }
        Some(cols)
    })
}

/// The funding field an amount column's header reads as: a budget book's list prints one
/// amount per project, the year's (`预算数`, `预算金额`), unless its header names another line.
pub(super) fn amount_field(t: &Tok<'_>) -> &'static str {
    match t.label {
        Some((def, _)) if def.id.starts_with("funding.") && def.id != "funding.total" => {
            def.id.as_str()
        }
        _ => "funding.annual_total",
    }
}

/// A column whose filled cells below the header are numbers (an amount column whatever its
/// header says).
pub(super) fn is_amount_column(rows: &[Vec<Tok<'_>>], header: usize, col: u32) -> bool {
    let cells: Vec<&Tok<'_>> = rows[header + 1..]
        .iter()
        .filter_map(|r| r.iter().find(|t| t.cell.col == col))
        .take(20)
        .collect();
    !cells.is_empty()
        && cells
            .iter()
            .all(|t| matches!(t.value, CellValue::Number(_)))
}

/// The unit a run of projects belongs to: the subtotal row's unit (the department) and the
/// unit cell beside the projects (the implementing unit).
#[derive(Debug, Clone, Default)]
struct Unit {
    department: Option<(CellRef, String)>,
    subtotal: Option<(CellRef, String)>,
    unit: Option<(CellRef, String)>,
}

/// One project: its rows, and the unit it belongs to.
struct Project {
    rows: Vec<usize>,
    unit: Unit,
    /// The first project of its unit (the subtotal row above it is in its range).
    first_of_unit: bool,
}

/// The tables of a flat list, when the sheet is one (`None` otherwise).
/// `merged`: each row's cells merged down onto it ([`super::merged::down`]).
pub(super) fn read<'a>(
    rows: &[Vec<Tok<'a>>],
    merged: &[Vec<Tok<'a>>],
    file: &str,
    sheet: &str,
    profile: ProfileRef,
    why: &str,
) -> Option<Vec<Located>> {
    let cols = find(rows, &profile.anchor)?;
    let mut projects: Vec<Project> = Vec::new();
    let mut unit = Unit::default();
    let mut current: Option<String> = None;
    for (i, toks) in rows.iter().enumerate().skip(cols.header + 1) {
        if toks.is_empty() {
            continue;
        }
        if footer::is_footer_row(toks) {
            break;
        }
        let k = toks.partition_point(|t| t.cell.col < cols.grid);
        let (left, grid) = toks.split_at(k);
        let name = left.iter().find(|t| t.cell.col == cols.name);
        let unit_cell = cols
            .unit
            .and_then(|c| left.iter().find(|t| t.cell.col == c));
        if grid.is_empty() && name.is_none() {
            // A unit's subtotal row: the unit (with its code) and its amount.
            if let Some(t) = unit_cell.or(left.first()) {
                unit.department = Some((t.cell, collapse_spaces(&t.text)));
                unit.subtotal = cols
                    .amount
                    .as_ref()
                    .and_then(|(c, _, _)| left.iter().find(|t| t.cell.col == *c))
                    .map(|t| (t.cell, t.text.trim().to_string()));
                unit.unit = None;
            }
            current = None;
            continue;
        }
        if let Some(t) = unit_cell {
            unit.unit = Some((t.cell, collapse_spaces(&t.text)));
        }
        match name {
            Some(t) if current.as_deref() != Some(collapse_spaces(&t.text).as_str()) => {
                current = Some(collapse_spaces(&t.text));
                let first_of_unit = projects.last().is_none_or(|p| {
                    p.unit.department.as_ref().map(|d| d.0) != unit.department.as_ref().map(|d| d.0)
                });
                projects.push(Project {
                    rows: vec![i],
                    unit: unit.clone(),
                    first_of_unit,
                });
            }
            _ => match projects.last_mut() {
                Some(p) => p.rows.push(i),
                None => continue,
            },
        }
    }
    if projects.is_empty() {
        return None;
    }
    Some(
        projects
            .iter()
            .enumerate()
            .filter_map(|(k, p)| {
                read_project(rows, merged, &cols, p, k == 0, file, sheet, profile, why)
            })
            .map(|mut l| {
                l.own_geometry = false;
                l
            })
            .collect(),
    )
}

/// A table's draft, begun with the profile notice and the title, year and money unit of the
/// rows above its header row (`above`); `first` for the sheet's first table, whose range holds
/// them.
pub(super) fn preamble_draft<'f>(
    above: &[Vec<Tok<'_>>],
    first: bool,
    file: &'f str,
    sheet: &'f str,
    profile: ProfileRef,
    why: &str,
) -> (Draft<'f>, HeaderStage) {
    let mut d = Draft::new(file, sheet, profile);
    d.notice("read.profile", Severity::Info, None, None, why.to_string());
    let mut h = HeaderStage::default();
    for toks in above {
        for t in toks {
            if h.read_preamble(&mut d, t) && first {
                d.see(std::slice::from_ref(t));
            }
        }
    }
    (d, h)
}

/// One project's table; `first` for the sheet's first, whose range holds the title and the
/// header row (each other table's range is its own rows, so that no range holds another
/// project's cells).
#[allow(clippy::too_many_arguments)]
fn read_project<'a>(
    rows: &[Vec<Tok<'a>>],
    merged: &[Vec<Tok<'a>>],
    cols: &Columns,
    p: &Project,
    first: bool,
    file: &str,
    sheet: &str,
    profile: ProfileRef,
    why: &str,
) -> Option<Located> {
    let (mut d, h) = preamble_draft(&rows[..cols.header], first, file, sheet, profile, why);
    let header = &rows[cols.header];
    let k = header.partition_point(|t| t.cell.col < cols.grid);
    let mut part = h.finish(&mut d);
    if first {
        d.see(header);
    }
    for t in &header[..k] {
        d.use_cell(t.cell);
    }
    let mut g = GridStage::start(&mut d, &header[k..], &mut None)?;
    if let Some((cell, text)) = &p.unit.department {
        let (code, name) = split_department_code(text);
        d.table.project.department = name;
        d.table.project.department_code = code;
        d.record("project.department", *cell, text);
        if p.first_of_unit {
            d.extend(*cell);
        }
    }
    // The unit's subtotal: kept once, by the unit's first project.
    let subtotal = p.unit.subtotal.as_ref().filter(|_| p.first_of_unit);
    if let (Some((cell, amount)), Some((_, unit))) = (subtotal, &p.unit.department) {
        d.use_cell(*cell);
        d.extend(*cell);
        d.table.extra.push(ExtraCell {
            label: unit.clone(),
            value: amount.clone(),
            cell: *cell,
        });
    }
    if let Some((cell, text)) = &p.unit.unit {
        let (code, name) = split_department_code(text);
        d.table.project.implementing_unit = name;
        d.table.project.implementing_unit_code = code;
        d.record("project.implementing_unit", *cell, text);
    }
    for &i in &p.rows {
        let toks = &rows[i];
        d.see(toks);
        let k = toks.partition_point(|t| t.cell.col < cols.grid);
        for t in &toks[..k] {
            let col = t.cell.col;
            if col == cols.name && d.table.project.name.is_empty() {
                d.table.project.name = d.clean_text("project.name", t.cell, &t.text);
                d.record("project.name", t.cell, &t.text);
            } else if cols.goal == Some(col) && d.table.goal.is_empty() {
                d.table.goal = d.clean_text("goal", t.cell, &t.text);
                d.record("goal", t.cell, &t.text);
            } else if let Some((c, label, field)) = &cols.amount {
                if *c == col && d.table.funding.lines.is_empty() {
                    part.funds.add_line(
                        &mut d,
                        field,
                        label,
                        t.cell,
                        &t.text,
                        Some(t.value),
                        None,
                        FundingScope::Annual,
                        true,
                    );
                }
            }
            // The unit and repeated project cells are the model's (read above).
            d.use_cell(t.cell);
        }
        if k < toks.len() {
            g.read_merged_row(&mut d, &toks[k..], &merged[i]);
        }
    }
    d.finish(part.funds)
}
