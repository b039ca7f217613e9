//! Own geometry: a table that its built-in layout cannot print cell for cell is written as
//! the source printed it.
//!
//! ```text
//!  source range B3:H40 ──▶ form A1:G37   every cell at its own row and column (relative),
//!                                          merges as the file records them, the title and
//!                                          every label as printed, values normalised in place
//! ```
//!
//! [`misfits`] says why a table does not fit its built-in layout: a cell nothing understood
//! (a cost block, a column the layout lacks), a text or number of the source that the built-in
//! plan does not print, or a label the plan prints that the source does not. [`plan_for`]
//! chooses: the built-in plan when it fits (or a layout is forced), else [`own_plan`], laid
//! out in the built-in layout's fonts, borders and print set-up. Amounts are numbers in 万元:
//! a table whose unit line names 元 or 亿元 has its amounts scaled by that one factor and its
//! unit line saying 万元 — when [`unit_factor`] proves every amount of the range is one the
//! model converted; else the whole table keeps its source unit and its unit line as printed
//! (never a mix). Percentages keep their percent format. Each cell is aligned (horizontally,
//! vertically, wrapped) as its source cell, where the file records it (xlsx).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rust_decimal::Decimal;

use crate::cell::CellRef;
use crate::model::geometry::SourceGrid;
use crate::model::Table;
use crate::read::grid::CellValue;
use crate::read::values::decimal_from_f64;

use super::{
    fill_blanks, Content, FormPlan, PlannedCell, Planner, Role, RULE_DROPPED, RULE_REREAD,
};
use crate::write::layout::FormLayout;
use crate::write::measure;
use crate::write::readback::{numbers_of, whole_number};

/// The plan of a table: in its layout when that prints it cell for cell or when the layout
/// is `forced`, else in its own geometry.
pub fn plan_for(table: &Table, layout: &FormLayout, forced: bool) -> FormPlan {
    let built = super::plan(table, layout);
    if forced {
        return built;
    }
    match crate::model::geometry::Geometry::grid_of(table) {
        Some(grid) if !misfits(table, grid, &built).is_empty() => own_plan(table, layout, grid),
        _ => built,
    }
}

/// Text compared without spacing, full-width ASCII folded, without a closing colon.
fn key(s: &str) -> String {
    let k: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match u32::from(c) {
            0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    k.trim_end_matches(':').to_string()
}

/// Why a table is not printed cell for cell by `plan` (its built-in layout's plan): one
/// sentence per reason, in Chinese; empty when it fits.
pub fn misfits(table: &Table, grid: &SourceGrid, plan: &FormPlan) -> Vec<String> {
    let mut out = Vec::new();
    if !table.extra.is_empty() {
        out.push(format!(
            "原表有 {} 个单元格不属于任何栏目（如“{}”）",
            table.extra.len(),
            table.extra[0].value
        ));
    }
    if plan
        .notices
        .iter()
        .any(|n| n.rule == RULE_DROPPED || n.rule == RULE_REREAD)
    {
        out.push("版式中没有原表某些列的位置".into());
    }
    let unit_cell = table.cell_of("unit").and_then(|c| grid.relative(c));
    let mut written_text: HashSet<String> = HashSet::new();
    let mut written_numbers: BTreeSet<Decimal> = BTreeSet::new();
    for c in &plan.cells {
        let shown = c.content.shown();
        written_numbers.extend(numbers_of(&shown));
        if !shown.trim().is_empty() {
            written_text.insert(key(&shown));
        }
    }
    let scale = match table.source_unit.as_deref() {
        Some("元") => Some(Decimal::new(1, 4)),
        Some("亿元") => Some(Decimal::new(10_000, 0)),
        _ => None,
    };
    let mut source_text: HashSet<String> = HashSet::new();
    let mut missing: Vec<String> = Vec::new();
    for (at, v) in &grid.cells {
        if Some(*at) == unit_cell {
            continue;
        }
        if let Some(n) = whole_number(v) {
            let found = written_numbers.contains(&n)
                || scale.is_some_and(|s| written_numbers.contains(&(n * s).normalize()));
            if !found {
                missing.push(v.display());
            }
            continue;
        }
        let k = key(&v.display());
        if k.is_empty() {
            continue;
        }
        if !written_text.contains(&k) {
            missing.push(v.display());
        }
        source_text.insert(k);
    }
    if let Some(first) = missing.first() {
        out.push(format!(
            "原表有 {} 处文字或数字版式中没有按原样印出（如“{first}”）",
            missing.len()
        ));
    }
    let added: Vec<String> = plan
        .cells
        .iter()
        .filter(|c| matches!(c.content, Content::Label(_)) && c.role != Role::Unit)
        .map(|c| c.content.shown())
        .filter(|s| !s.trim().is_empty() && !source_text.contains(&key(s)))
        .collect();
    if let Some(first) = added.first() {
        out.push(format!(
            "版式会印出原表没有的 {} 个标签（如“{first}”）",
            added.len()
        ));
    }
    out
}

/// The cells of the source that hold values (not labels), by the model's record of them, and
/// those of them that are amounts.
fn value_cells(table: &Table, grid: &SourceGrid) -> (HashSet<CellRef>, HashSet<CellRef>) {
    let mut values: HashSet<CellRef> = HashSet::new();
    let mut amounts: HashSet<CellRef> = HashSet::new();
    let mut add = |c: Option<CellRef>, amount: bool| {
        if let Some(r) = c.and_then(|c| grid.relative(c)) {
            values.insert(r);
            if amount {
                amounts.insert(r);
            }
        }
    };
    for (field, f) in &table.cells {
        if !matches!(field.as_str(), "title" | "year" | "unit") {
            add(Some(f.cell), field.starts_with("funding."));
        }
    }
    for l in &table.funding.lines {
        add(l.cell, l.amount.is_some());
    }
    let grids =
        std::iter::once(&table.indicators).chain(table.other_grids.iter().map(|g| &g.indicators));
    // An indicator's row: its name, its value and the cells right of its name (its other
    // columns) are values; the level names left of it are labels.
    let mut rows: Vec<(u32, u32)> = Vec::new();
    for ind in grids.flatten() {
        add(ind.cell, false);
        add(ind.name_cell, false);
        if let Some(n) = ind.name_cell.and_then(|c| grid.relative(c)) {
            rows.push((n.row, n.col));
        }
    }

    for m in &table.metadata {
        add(m.cell, false);
    }
    // A task's row: its cells from the first one recorded are values (its amount an amount).
    let mut task_rows: Vec<(u32, u32)> = Vec::new();
    if let Some(d) = &table.department {
        for t in &d.tasks {
            add(t.cell, t.amount.is_some());
            if let Some(c) = t.cell.and_then(|c| grid.relative(c)) {
                task_rows.push((c.row, c.col));
            }
        }
    }
    for (at, v) in &grid.cells {
        let Some((_, first)) = task_rows.iter().find(|(r, _)| *r == at.row) else {
            continue;
        };
        let first = task_rows
            .iter()
            .filter(|(r, _)| *r == at.row)
            .map(|(_, c)| *c)
            .fold(*first, u32::min);
        if at.col >= first {
            values.insert(*at);
            if numeric(v) {
                amounts.insert(*at);
            }
        }
    }
    for (at, _) in &grid.cells {
        if rows.iter().any(|(r, c)| at.row == *r && at.col > *c) {
            values.insert(*at);
        }
    }
    // A cell nothing understood is a value on a row of values (a cost line's 测算依据), a
    // label on a row of none (the cost block's 金额 | 测算依据 header).
    let value_rows: HashSet<u32> = values.iter().map(|c| c.row).collect();
    for e in &table.extra {
        if let Some(r) = grid.relative(e.cell) {
            let number = e
                .value
                .trim()
                .replace([',', '，'], "")
                .parse::<Decimal>()
                .is_ok();
            if number || value_rows.contains(&r.row) {
                values.insert(r);
            }
        }
    }
    (values, amounts)
}

/// An amount of the source in 万元: scaled by the table's factor when it has one.
fn scaled(d: Decimal, factor: Option<Decimal>) -> Decimal {
    factor.map_or(d, |f| (d * f).normalize())
}

/// The unit line as printed with its unit (`元`, `亿元`, the last word of the line) said as
/// 万元: `金额单位：元` → `金额单位：万元`.
fn in_wan(line: &str, unit: &str) -> String {
    match line.rfind(unit).filter(|_| !unit.is_empty()) {
        Some(at) => format!("{}万元{}", &line[..at], &line[at + unit.len()..]),
        None => line.to_string(),
    }
}

/// The factor that brings the table's amounts to 万元 (`元` → 0.0001, `亿元` → 10000), when
/// it is proven that scaling the `amounts` cells by it leaves no amount of the range in the
/// source's unit: every number the model holds as an amount is its source number times the
/// factor (no line had a unit of its own); no number lies in a cell nothing understood (a
/// cost block's 金额) or under a label nothing answers to; no label names 元 or 亿元 as its
/// unit (`金额（元）`); a 年度履职目标 row holds one number, its amount. `None` otherwise, or
/// when the table is in 万元: then every number is written as typed.
pub fn unit_factor(
    table: &Table,
    grid: &SourceGrid,
    values: &HashSet<CellRef>,
    amounts: &HashSet<CellRef>,
) -> Option<Decimal> {
    let factor = match table.source_unit.as_deref() {
        Some("元") => Decimal::new(1, 4),
        Some("亿元") => Decimal::new(10_000, 0),
        _ => return None,
    };
    let rel = |c: Option<CellRef>| c.and_then(|c| grid.relative(c));
    // What the model holds at each amount cell.
    let mut model: HashMap<CellRef, Decimal> = HashMap::new();
    for l in &table.funding.lines {
        if let (Some(at), Some(a)) = (rel(l.cell), l.amount) {
            model.insert(at, a);
        }
    }
    for f in crate::model::fields::amounts() {
        if let (Some(at), Some(a)) = (rel(table.cell_of(f.path)), f.amount(&table.funding)) {
            model.entry(at).or_insert(a);
        }
    }
    let numbers: Vec<(CellRef, Decimal)> = grid
        .cells
        .iter()
        .filter_map(|(at, v)| whole_number(v).map(|n| (*at, n)))
        .collect();
    for t in table.department.iter().flat_map(|d| &d.tasks) {
        let Some(row) = rel(t.cell).map(|c| c.row) else {
            continue;
        };
        let on_row: Vec<&(CellRef, Decimal)> = numbers
            .iter()
            .filter(|(at, _)| at.row == row && amounts.contains(at))
            .collect();
        match (on_row.as_slice(), t.amount) {
            ([], None) => {}
            ([(at, _)], Some(a)) => {
                model.insert(*at, a);
            }
            _ => return None,
        }
    }
    let unknown: HashSet<CellRef> = table
        .extra
        .iter()
        .map(|e| e.cell)
        .chain(
            table
                .metadata
                .iter()
                .filter(|m| m.key.is_empty())
                .filter_map(|m| m.cell),
        )
        .filter_map(|c| grid.relative(c))
        .collect();
    for (at, n) in &numbers {
        if unknown.contains(at) {
            return None;
        }
        if amounts.contains(at) && model.get(at) != Some(&(*n * factor)) {
            return None;
        }
    }
    let unit_cell = rel(table.cell_of("unit"));
    let names_unit = grid.cells.iter().any(|(at, v)| {
        let k = key(&v.display());
        Some(*at) != unit_cell
            && !values.contains(at)
            && (k.contains("(元)") || k.contains("(亿元)") || k.contains("单位:元"))
    });
    (!names_unit).then_some(factor)
}

/// The cells (relative) holding a day number that an indicator's value reads as the date it
/// stands for (`44561` shown as a number, read as 2021年12月31日: `read.date-serial`), with
/// that date: its value cell and the cells of its row right of it repeating the number (a
/// unit column). The bare number would say nothing to whoever signs the form.
fn serial_dates(table: &Table, grid: &SourceGrid) -> HashMap<CellRef, String> {
    let mut out = HashMap::new();
    let grids =
        std::iter::once(&table.indicators).chain(table.other_grids.iter().map(|g| &g.indicators));
    for ind in grids.flatten() {
        let Some(at) = ind.cell.and_then(|c| grid.relative(c)) else {
            continue;
        };
        let Some((_, v)) = grid.cells.iter().find(|(c, _)| *c == at) else {
            continue;
        };
        if !matches!(v, CellValue::Number(_)) {
            continue;
        }
        let Some((y, m, d)) = crate::read::values::plausible_date_serial(v) else {
            continue;
        };
        let date = format!("{y}年{m}月{d}日");
        if !ind.value.raw.contains(&date) {
            continue;
        }
        for (c, w) in &grid.cells {
            if c.row == at.row && c.col >= at.col && w == v {
                out.insert(*c, date.clone());
            }
        }
    }
    out
}

/// A cell holding nothing but a number (typed as one, or as text).
fn numeric(v: &CellValue) -> bool {
    matches!(v, CellValue::Number(_))
        || matches!(v, CellValue::Text(_)) && whole_number(v).is_some()
}

/// The table written in its own geometry: see the module's note.
pub fn own_plan(table: &Table, layout: &FormLayout, grid: &SourceGrid) -> FormPlan {
    let (values, amounts) = value_cells(table, grid);
    let rel = |field: &str| table.cell_of(field).and_then(|c| grid.relative(c));
    let (title, year, unit) = (rel("title"), rel("year"), rel("unit"));
    let factor = unit_factor(table, grid, &values, &amounts);
    let dates = serial_dates(table, grid);
    let last_col = grid.cols.saturating_sub(1);
    let merge_of: HashMap<CellRef, CellRef> = grid.merges.iter().copied().collect();
    let mut covered: HashSet<CellRef> = HashSet::new();
    for (a, b) in &grid.merges {
        for r in a.row..=b.row {
            for c in a.col..=b.col {
                covered.insert(CellRef::new(r, c));
            }
        }
    }
    let alone: BTreeMap<u32, usize> = grid.cells.iter().fold(BTreeMap::new(), |mut m, (at, _)| {
        *m.entry(at.row).or_insert(0) += 1;
        m
    });
    let mut cells: Vec<PlannedCell> = Vec::new();
    let mut placed: HashSet<CellRef> = HashSet::new();
    for (at, v) in &grid.cells {
        let role = if Some(*at) == title {
            Role::Title
        } else if Some(*at) == year {
            Role::Subtitle
        } else if Some(*at) == unit {
            Role::Unit
        } else if amounts.contains(at) && numeric(v) {
            Role::Amount
        } else if values.contains(at) {
            let long = v.display().chars().count() > 24 || v.display().contains('\n');
            if long {
                Role::TextLeft
            } else {
                Role::Text
            }
        } else {
            Role::Label
        };
        let content = match v {
            _ if dates.contains_key(at) => Content::Text(dates[at].clone()),
            CellValue::Number(f) if role == Role::Amount => decimal_from_f64(*f)
                .map_or(Content::Number(v.display()), |d| {
                    Content::Amount(scaled(d, factor))
                }),
            CellValue::Number(_) => Content::Number(v.display()),
            CellValue::Percent(f) => Content::Percent(*f),
            CellValue::Text(s) if role == Role::Amount => {
                let t = s.trim().replace([',', '，'], "");
                match t.parse::<Decimal>() {
                    Ok(d) => Content::Amount(scaled(d, factor)),
                    Err(_) => Content::Text(s.clone()),
                }
            }
            CellValue::Text(s) if role == Role::Unit && factor.is_some() => {
                Content::Text(in_wan(s, table.source_unit.as_deref().unwrap_or_default()))
            }
            CellValue::Text(s) if role == Role::Label => Content::Label(s.clone()),
            _ => Content::Text(v.display()),
        };
        // A line of its own (title, year, unit) spans the range when the file records no merge
        // for it (xlsb): it is not wrapped into one column.
        let last = match merge_of.get(at) {
            Some(b) => *b,
            None if matches!(role, Role::Title | Role::Subtitle | Role::Unit)
                && alone.get(&at.row) == Some(&1)
                && !covered.contains(at) =>
            {
                let b = CellRef::new(at.row, last_col);
                let free = (at.col..=last_col).all(|c| !covered.contains(&CellRef::new(at.row, c)));
                if free && at.col == 0 {
                    for c in 0..=last_col {
                        covered.insert(CellRef::new(at.row, c));
                    }
                    b
                } else {
                    *at
                }
            }
            None => *at,
        };
        placed.insert(*at);
        cells.push(PlannedCell {
            first: *at,
            last,
            content,
            role,
        });
    }
    // Merges whose top-left cell is empty: bordered blanks over the whole range.
    for (a, b) in &grid.merges {
        if !placed.contains(a) {
            cells.push(PlannedCell {
                first: *a,
                last: *b,
                content: Content::Blank,
                role: Role::Text,
            });
        }
    }
    // The bordered body: from the first row that is not a title, year or unit line.
    let preamble = |r: u32| {
        cells
            .iter()
            .filter(|c| c.first.row == r)
            .all(|c| matches!(c.role, Role::Title | Role::Subtitle | Role::Unit))
    };
    let first_row = (0..grid.rows).find(|r| !preamble(*r)).unwrap_or(0);
    let last_row = grid.rows.saturating_sub(1);
    let last_col = u16::try_from(last_col).unwrap_or(u16::MAX);
    fill_blanks(&mut cells, first_row, last_row, last_col);
    // The blanks of merged ranges' covered cells are not cells of their own.
    cells.retain(|c| {
        !(c.content == Content::Blank
            && c.first == c.last
            && covered.contains(&c.first)
            && !merge_of.contains_key(&c.first))
    });

    let mut fields: BTreeMap<String, CellRef> = BTreeMap::new();
    for (field, f) in &table.cells {
        if let Some(r) = grid.relative(f.cell) {
            fields.insert(field.clone(), r);
        }
    }
    let mut put = |field: String, c: Option<CellRef>| {
        if let Some(r) = c.and_then(|c| grid.relative(c)) {
            fields.entry(field).or_insert(r);
        }
    };
    for (i, ind) in table.indicators.iter().enumerate() {
        put(format!("indicators[{i}].value"), ind.cell);
        put(format!("indicators[{i}].name"), ind.name_cell);
        put(format!("indicators[{i}]"), ind.name_cell.or(ind.cell));
    }
    for (k, g) in table.other_grids.iter().enumerate() {
        for (i, ind) in g.indicators.iter().enumerate() {
            put(format!("other_grids[{k}].indicators[{i}].value"), ind.cell);
            put(
                format!("other_grids[{k}].indicators[{i}].name"),
                ind.name_cell,
            );
        }
    }
    for (i, l) in table.funding.lines.iter().enumerate() {
        put(format!("funding.lines[{i}]"), l.cell);
    }
    for (i, m) in table.metadata.iter().enumerate() {
        put(format!("metadata[{i}]"), m.cell);
    }
    for (i, e) in table.extra.iter().enumerate() {
        put(format!("extra[{i}]"), Some(e.cell));
    }
    let grid_header_row = table
        .columns
        .iter()
        .find_map(|c| c.cell.and_then(|c| grid.relative(c)))
        .map_or(first_row, |c| c.row);

    let mut planner = Planner::new(table, layout);
    planner.last_col = last_col;
    let widths = own_widths(&planner, &cells, last_col);
    let heights = planner.heights(&cells, &widths, first_row, last_row);
    FormPlan {
        cells,
        widths,
        heights,
        fields,
        first_row,
        last_row,
        last_col,
        grid_header_row,
        line_fields: BTreeMap::new(),
        line_labels: BTreeMap::new(),
        notices: Vec::new(),
        extra_group: layout.blocks.extra_group.clone(),
        aligns: grid.aligns.clone(),
        own_geometry: true,
    }
}

/// Column widths measured from the cells of one column, between a narrow and a wide bound.
fn own_widths(planner: &Planner<'_>, cells: &[PlannedCell], last_col: u16) -> Vec<f64> {
    const NARROW: f64 = 6.0;
    const WIDE: f64 = 36.0;
    let mut widths = vec![NARROW; usize::from(last_col) + 1];
    for c in cells {
        if c.first.col != c.last.col || matches!(c.role, Role::Title | Role::Unit) {
            continue;
        }
        let font = planner.font(c.role);
        let px = measure::text_px(&c.content.shown(), font.size, font.bold);
        let want = measure::width_for_px(px * measure::SLACK + c.role.indent_px()).min(WIDE);
        if let Some(w) = widths.get_mut(c.first.col as usize) {
            *w = w.max(want);
        }
    }
    widths
}
