//! The outline: a budget system's export that tells its levels apart by indentation only, in
//! one column — the unit, its projects, each project's 一级 and 二级 and its indicators, each
//! level indented one step more (leading spaces, full-width spaces or the cell's indent), the
//! indicators' values and the projects' amounts in columns beside it:
//!
//! ```text
//!  | A (项目)                    | B (指标值) | C (绩效金额) |
//!  |  某中心                     |           |             |
//!  |   项目甲                    |           | 3000000     |
//!  |    产出指标                 |           |             |
//!  |     数量指标                |           |             |
//!  |      疫苗使用率             | 100%      |             |
//! ```
//!
//! Each project becomes a table of its own. Which line is which level is read from the tree,
//! whatever its depth or its step: a line with no lines under it is an indicator; among the
//! lines above it, the innermost that the vocabulary knows as a 一级 (and not as a 二级 too,
//! unless no other is) is its 一级 (the line between them its 二级), the line above that its project, and the lines above the project
//! its units (the outermost the department, the innermost the implementing unit). An outline
//! that prints no 一级 line gets it from the vocabulary, by the 二级; one whose lines the
//! vocabulary does not know is read by depth alone (二级 right above the indicator).

use super::flat::{amount_field, is_amount_column, preamble_draft};
use super::footer;
use super::indicators::cell_value;
use super::tokens::Tok;
use super::Located;
use crate::cell::CellRef;
use crate::model::{FundingScope, GridColumn, Indicator, Layout};
use crate::read::align::Align;
use crate::read::grid::CellValue;
use crate::read::profile::ProfileRef;
use crate::read::values::collapse_spaces;
use std::collections::BTreeMap;

/// The fewest distinct indentations that make a column an outline (unit, project, levels).
const MIN_DEPTHS: usize = 3;

/// The columns of an outline: the outline itself, the indicators' values, the amounts.
struct Columns {
    /// The header row's index.
    header: usize,
    outline: u32,
    value: u32,
    /// The amount column, its header and the funding field it reads as.
    amount: Option<(u32, String, &'static str)>,
}

/// One line of the outline: its row, its indentation, its parent line.
struct Line {
    row: usize,
    indent: (u8, usize),
    parent: Option<usize>,
    has_children: bool,
}

/// What a line is, once the tree is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Unit,
    Project,
    Level1,
    Level2,
    Indicator,
}

/// The indentation of a text cell: its indent attribute, then its leading blanks (a full-width
/// space counts two, a tab four).
fn indentation(t: &Tok<'_>, aligns: &BTreeMap<CellRef, Align>) -> (u8, usize) {
    let attr = aligns.get(&t.cell).map_or(0, |a| a.indent);
    let blanks = match t.value {
        CellValue::Text(s) => s
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| match c {
                '\u{3000}' => 2,
                '\t' => 4,
                _ => 1,
            })
            .sum(),
        _ => 0,
    };
    (attr, blanks)
}

/// The header row of an outline: a value column (`指标值`) right of a column of text whose
/// lines below are indented to at least [`MIN_DEPTHS`] depths, and no level or name column.
fn find(rows: &[Vec<Tok<'_>>], aligns: &BTreeMap<CellRef, Align>) -> Option<Columns> {
    rows.iter().enumerate().find_map(|(i, toks)| {
        let is_grid =
            |f: &str| f.starts_with("grid.") && f != "grid.value" && !f.starts_with("grid.title.");
        if toks.iter().any(|t| t.field().is_some_and(is_grid)) {
            return None;
        }
        let v = toks.iter().position(|t| t.field() == Some("grid.value"))?;
        let outline = toks[..v].last()?.cell.col;
        let value = toks[v].cell.col;
        let mut depths: Vec<(u8, usize)> = rows[i + 1..]
            .iter()
            .take_while(|r| !footer::is_footer_row(r))
            .filter_map(|r| r.iter().find(|t| t.cell.col == outline))
            .filter(|t| matches!(t.value, CellValue::Text(_)))
            .map(|t| indentation(t, aligns))
            .collect();
        depths.sort_unstable();
        depths.dedup();
        if depths.len() < MIN_DEPTHS {
            return None;
        }
        let amount = toks[v + 1..].iter().find_map(|t| {
            let col = t.cell.col;
            let is_funding = t.field().is_some_and(|f| f.starts_with("funding."));
            (is_funding || is_amount_column(rows, i, col))
                .then(|| (col, collapse_spaces(&t.text), amount_field(t)))
        });
        Some(Columns {
            header: i,
            outline,
            value,
            amount,
        })
    })
}

/// The lines of the outline under its header, each with its parent (the nearest line above
/// indented less), up to a footer or a row with nothing in the outline column.
fn lines(rows: &[Vec<Tok<'_>>], cols: &Columns, aligns: &BTreeMap<CellRef, Align>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for (i, toks) in rows.iter().enumerate().skip(cols.header + 1) {
        if toks.is_empty() {
            continue;
        }
        if footer::is_footer_row(toks) {
            break;
        }
        let Some(t) = toks.iter().find(|t| t.cell.col == cols.outline) else {
            break;
        };
        let indent = indentation(t, aligns);
        let mut parent = out.len().checked_sub(1);
        while let Some(p) = parent {
            if out[p].indent < indent {
                break;
            }
            parent = out[p].parent;
        }
        if let Some(p) = parent {
            out[p].has_children = true;
        }
        out.push(Line {
            row: i,
            indent,
            parent,
            has_children: false,
        });
    }
    out
}

/// What each line is (see the module doc); `None` for a line no indicator hangs from.
fn roles(
    rows: &[Vec<Tok<'_>>],
    cols: &Columns,
    lines: &[Line],
    profile: ProfileRef,
) -> Vec<Option<Role>> {
    let fw = profile.get().framework();
    let text = |k: usize| {
        rows[lines[k].row]
            .iter()
            .find(|t| t.cell.col == cols.outline)
            .map(|t| t.normalized().into_owned())
            .unwrap_or_default()
    };
    let mut out = vec![None; lines.len()];
    for (k, line) in lines.iter().enumerate() {
        if line.has_children {
            continue;
        }
        // The lines above the indicator, innermost first.
        let mut chain = Vec::new();
        let mut p = line.parent;
        while let Some(q) = p {
            chain.push(q);
            p = lines[q].parent;
        }
        out[k] = Some(Role::Indicator);
        // A word that is also a 二级 (成本指标, a 一级 of one generation and a 二级 of the
        // other) is the 一级 only when no other 一级 line is above it and a 二级 line is
        // under it.
        let is_level1 = |q: usize| fw.level1_known(&text(q)).is_some();
        let level1 = chain
            .iter()
            .position(|&q| is_level1(q) && fw.level2_known(&text(q)).is_empty())
            .or_else(|| chain.iter().position(|&q| is_level1(q)).filter(|&j| j > 0));
        let project_at = match level1 {
            Some(j) => {
                if j > 0 {
                    out[chain[0]] = Some(Role::Level2);
                }
                out[chain[j]] = Some(Role::Level1);
                j + 1
            }
            // No 一级 line: a 二级 the vocabulary knows, or the two lines above by depth.
            None if chain
                .first()
                .is_some_and(|&q| !fw.level2_known(&text(q)).is_empty()) =>
            {
                out[chain[0]] = Some(Role::Level2);
                1
            }
            None => {
                for (n, role) in [Role::Level2, Role::Level1].into_iter().enumerate() {
                    if let Some(&q) = chain.get(n) {
                        out[q] = Some(role);
                    }
                }
                2
            }
        };
        if let Some(&q) = chain.get(project_at) {
            out[q] = Some(Role::Project);
        }
        for &q in chain.iter().skip(project_at + 1) {
            out[q] = Some(Role::Unit);
        }
    }
    out
}

/// The tables of an outline, when the sheet is one (`None` otherwise).
pub(super) fn read(
    rows: &[Vec<Tok<'_>>],
    aligns: &BTreeMap<CellRef, Align>,
    file: &str,
    sheet: &str,
    profile: ProfileRef,
    why: &str,
) -> Option<Vec<Located>> {
    let cols = find(rows, aligns)?;
    let lines = lines(rows, &cols, aligns);
    let roles = roles(rows, &cols, &lines, profile);
    // Each project with the lines under it, and the units above it (by depth).
    let mut units: Vec<usize> = Vec::new();
    let mut projects: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (k, role) in roles.iter().enumerate() {
        match role {
            Some(Role::Unit) => {
                units.retain(|&u| lines[u].indent < lines[k].indent);
                units.push(k);
            }
            Some(Role::Project) => {
                units.retain(|&u| lines[u].indent < lines[k].indent);
                projects.push((units.clone(), vec![k]));
            }
            _ => match projects.last_mut() {
                Some((_, ks)) => ks.push(k),
                // Levels and indicators before any project: a table with no project line.
                None => projects.push((units.clone(), vec![k])),
            },
        }
    }
    if projects.is_empty() || !roles.contains(&Some(Role::Indicator)) {
        return None;
    }
    let mut seen_units: Vec<usize> = Vec::new();
    let tables = projects
        .iter()
        .enumerate()
        .filter_map(|(n, (units, ks))| {
            let new_units: Vec<usize> = units
                .iter()
                .copied()
                .filter(|u| !seen_units.contains(u))
                .collect();
            seen_units.extend(&new_units);
            let p = Project {
                units,
                new_units: &new_units,
                lines: ks,
                first: n == 0,
            };
            read_project(rows, &cols, &lines, &roles, &p, file, sheet, profile, why)
        })
        .map(|mut l| {
            l.own_geometry = false;
            l
        })
        .collect();
    Some(tables)
}

/// One project of an outline: the units above it (those first met with it), its own lines.
struct Project<'p> {
    units: &'p [usize],
    new_units: &'p [usize],
    lines: &'p [usize],
    /// The sheet's first project: its range holds the title and the header row.
    first: bool,
}

#[allow(clippy::too_many_arguments)]
fn read_project(
    rows: &[Vec<Tok<'_>>],
    cols: &Columns,
    lines: &[Line],
    roles: &[Option<Role>],
    p: &Project<'_>,
    file: &str,
    sheet: &str,
    profile: ProfileRef,
    why: &str,
) -> Option<Located> {
    let (mut d, h) = preamble_draft(&rows[..cols.header], p.first, file, sheet, profile, why);
    let mut part = h.finish(&mut d);
    let header = &rows[cols.header];
    if p.first {
        d.see(header);
    }
    for t in header {
        d.use_cell(t.cell);
        let role = if t.cell.col == cols.outline {
            "outline"
        } else if t.cell.col == cols.value {
            "value"
        } else {
            "extra"
        };
        d.table.columns.push(GridColumn {
            header: collapse_spaces(&t.text),
            role: role.into(),
            cell: Some(t.cell),
        });
    }
    let outline = |k: usize| {
        rows[lines[k].row]
            .iter()
            .find(|t| t.cell.col == cols.outline)
    };
    for &u in p.new_units {
        d.see(&rows[lines[u].row]);
    }
    // The units: the outermost the department, the innermost the implementing unit.
    let (outer, inner) = (p.units.first(), p.units.last());
    if let Some(t) = inner.and_then(|&u| outline(u)) {
        d.table.project.implementing_unit =
            d.clean_text("project.implementing_unit", t.cell, &t.text);
        d.record("project.implementing_unit", t.cell, &t.text);
    }
    if let Some(t) = outer
        .filter(|_| p.units.len() > 1)
        .and_then(|&u| outline(u))
    {
        d.table.project.department = d.clean_text("project.department", t.cell, &t.text);
        d.record("project.department", t.cell, &t.text);
    }
    let fw = profile.get().framework();
    let (mut level1, mut level2) = (String::new(), String::new());
    for &k in p.lines {
        let toks = &rows[lines[k].row];
        d.see(toks);
        let Some(t) = outline(k) else { continue };
        match roles[k] {
            Some(Role::Project) => {
                d.table.project.name = d.clean_text("project.name", t.cell, &t.text);
                d.record("project.name", t.cell, &t.text);
                let amount = cols.amount.as_ref().and_then(|(c, label, field)| {
                    Some((toks.iter().find(|t| t.cell.col == *c)?, label, *field))
                });
                if let Some((a, label, field)) = amount {
                    d.use_cell(a.cell);
                    part.funds.add_line(
                        &mut d,
                        field,
                        label,
                        a.cell,
                        &a.text,
                        Some(a.value),
                        None,
                        FundingScope::Annual,
                        true,
                    );
                }
            }
            Some(Role::Level1) => {
                level1 = t.text.chars().filter(|c| !c.is_whitespace()).collect();
                level2.clear();
                d.use_cell(t.cell);
            }
            Some(Role::Level2) => {
                level2 = t.text.chars().filter(|c| !c.is_whitespace()).collect();
                d.use_cell(t.cell);
            }
            Some(Role::Indicator) => {
                let layout = d.table.layout;
                let def = fw.level2_in(&level2, layout);
                // No 一级 line above: the one the vocabulary gives its 二级.
                let l1 = if level1.is_empty() {
                    def.map(|d| d.parent.clone()).unwrap_or_default()
                } else {
                    level1.clone()
                };
                if def.is_some_and(|d| d.name == "成本指标") && fw.level1(&l1) == Some("产出指标")
                {
                    d.table.layout = Layout::Classic;
                }
                let mut ind = Indicator {
                    level1: l1,
                    level2: level2.clone(),
                    class: def.map(|d| d.class).unwrap_or_default(),
                    name: d.clean_text("indicator.name", t.cell, &t.text),
                    name_cell: Some(t.cell),
                    cell: Some(CellRef::new(t.cell.row, cols.value)),
                    ..Indicator::default()
                };
                d.use_cell(t.cell);
                if let Some(v) = toks.iter().find(|t| t.cell.col == cols.value) {
                    ind.value = cell_value(&mut d, v);
                    d.use_cell(v.cell);
                }
                d.table.indicators.push(ind);
            }
            Some(Role::Unit) | None => {}
        }
    }
    d.finish(part.funds)
}

#[cfg(test)]
mod tests {
    use crate::cell::CellRef;
    use crate::read::align::{Align, Horizontal, Vertical};
    use crate::read::locate::locate_tables;
    use crate::read::locate::tests::tests_support::sheet;

    #[test]
    fn an_outline_in_full_width_spaces_reads_one_table_per_project() {
        let s = sheet(&[
            &[(0, "2020年项目绩效目标批复表")],
            &[(0, "单位：万元")],
            &[(0, "项目"), (1, "指标值"), (2, "绩效金额")],
            &[(0, "某局")],
            &[(0, "\u{3000}某中心")],
            &[(0, "\u{3000}\u{3000}甲项目"), (2, "12")],
            &[(0, "\u{3000}\u{3000}\u{3000}数量指标")],
            &[
                (0, "\u{3000}\u{3000}\u{3000}\u{3000}培训人次"),
                (1, "≥500人次"),
            ],
            &[(0, "\u{3000}\u{3000}乙项目"), (2, "3")],
            &[(0, "\u{3000}\u{3000}\u{3000}产出指标")],
            &[(0, "\u{3000}\u{3000}\u{3000}\u{3000}质量指标")],
            &[
                (0, "\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}合格率"),
                (1, "≥95%"),
            ],
        ]);
        let tables = locate_tables(&s, "t.xlsx");
        assert_eq!(tables.len(), 2);
        let (a, b) = (&tables[0].table, &tables[1].table);
        assert_eq!(a.project.name, "甲项目");
        assert_eq!(a.project.department, "某局");
        assert_eq!(a.project.implementing_unit, "某中心");
        assert_eq!(
            a.funding.annual_total.map(|d| d.normalize().to_string()),
            Some("12".into())
        );
        // No 一级 line: the vocabulary's, by the 二级.
        assert_eq!(a.indicators[0].level1, "产出指标");
        assert_eq!(a.indicators[0].level2, "数量指标");
        assert_eq!(a.indicators[0].value.raw, "≥500人次");
        assert_eq!(b.project.name, "乙项目");
        assert_eq!(b.project.implementing_unit, "某中心");
        assert_eq!(b.indicators[0].level1, "产出指标");
        assert_eq!(b.indicators[0].level2, "质量指标");
        assert_eq!(b.indicators[0].name, "合格率");
    }

    #[test]
    fn an_outline_told_by_the_indent_attribute_reads() {
        let mut s = sheet(&[
            &[(0, "项目"), (1, "指标值")],
            &[(0, "某中心")],
            &[(0, "甲项目")],
            &[(0, "产出指标")],
            &[(0, "数量指标")],
            &[(0, "培训人次"), (1, "500人次")],
        ]);
        for (row, indent) in [(2, 1), (3, 2), (4, 3), (5, 4)] {
            let align = Align {
                horizontal: Horizontal::Left,
                vertical: Vertical::Bottom,
                wrap: false,
                indent,
            };
            s.aligns.insert(CellRef::new(row, 0), align);
        }
        let tables = locate_tables(&s, "t.xlsx");
        assert_eq!(tables.len(), 1);
        let t = &tables[0].table;
        assert_eq!(t.project.name, "甲项目");
        assert_eq!(t.project.implementing_unit, "某中心");
        assert_eq!(
            (
                t.indicators[0].level1.as_str(),
                t.indicators[0].name.as_str()
            ),
            ("产出指标", "培训人次")
        );
    }

    #[test]
    fn a_column_without_indentation_is_no_outline() {
        use crate::read::locate::tokens::{normalized, tokens};
        let s = sheet(&[
            &[(0, "项目"), (1, "指标值")],
            &[(0, "甲项目")],
            &[(0, " 产出指标")],
            &[(0, " 培训人次"), (1, "500人次")],
        ]);
        let norms: Vec<Vec<Option<String>>> = s.rows.iter().map(normalized).collect();
        let labels = crate::read::profile::ProfileRef::default_profile()
            .get()
            .labels();
        let rows: Vec<_> = s
            .rows
            .iter()
            .zip(&norms)
            .map(|(r, n)| tokens(r, n, labels))
            .collect();
        // Two depths are no outline of a unit, its projects and their levels.
        assert!(super::find(&rows, &s.aligns).is_none());
    }
}
