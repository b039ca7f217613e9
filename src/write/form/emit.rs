//! Emitting a plan: the planned cells written to a worksheet in the layout's fonts, the cells
//! with findings highlighted and annotated, widths, heights and the print set-up.

use std::collections::{HashMap, HashSet};

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Formula, Note, Worksheet, XlsxError,
};

use crate::cell::CellRef;
use crate::model::Severity;
use crate::read::align::{Align, Horizontal, Vertical};

use super::{Content, FormPlan, Role};
use crate::write::layout::FormLayout;
use crate::write::measure;

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
        Role::Subtitle | Role::Unit | Role::Line => &fonts.subtitle,
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
        Role::TextLeft | Role::Line => f.set_align(FormatAlign::Left),
    };
    if role == Role::Amount {
        f = f.set_num_format("0.00");
    }
    if role.indent() > 0 {
        f = f.set_indent(role.indent());
    }
    if !matches!(role, Role::Title | Role::Subtitle | Role::Unit | Role::Line) {
        f = f.set_border(FormatBorder::Thin);
    }
    if let Some(color) = mark.and_then(severity_fill) {
        f = f.set_background_color(color);
    }
    f
}

/// A format aligned as a source cell was: its horizontal and vertical alignment, its indent
/// and its wrapping replace the role's.
fn aligned(f: Format, a: Align) -> Format {
    let h = match a.horizontal {
        Horizontal::General => FormatAlign::General,
        Horizontal::Left => FormatAlign::Left,
        Horizontal::Center => FormatAlign::Center,
        Horizontal::CenterAcross => FormatAlign::CenterAcross,
        Horizontal::Right => FormatAlign::Right,
        Horizontal::Justify => FormatAlign::Justify,
        Horizontal::Distributed => FormatAlign::Distributed,
        Horizontal::Fill => FormatAlign::Fill,
    };
    let v = match a.vertical {
        Vertical::Top => FormatAlign::Top,
        Vertical::Center => FormatAlign::VerticalCenter,
        Vertical::Bottom => FormatAlign::Bottom,
        Vertical::Justify => FormatAlign::VerticalJustify,
        Vertical::Distributed => FormatAlign::VerticalDistributed,
    };
    let f = f.set_align(h).set_align(v);
    let f = f.set_indent(a.indent);
    if a.wrap {
        f.set_text_wrap()
    } else {
        f.unset_text_wrap()
    }
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
    type Key = (Role, Option<Severity>, bool, Option<Align>);
    let mut formats: HashMap<Key, Format> = HashMap::new();
    for c in &plan.cells {
        let mark = marks.get(&c.first);
        let sev = mark
            .and_then(|m| m.severity)
            .filter(|s| *s != Severity::Info);
        let unlocked = opts.unlocked.contains(&c.first);
        let align = plan.aligns.get(&c.first).copied();
        let fmt = formats
            .entry((c.role, sev, unlocked, align))
            .or_insert_with(|| {
                let f = format_for(layout, c.role, sev);
                let f = match align {
                    Some(a) => aligned(f, a),
                    None => f,
                };
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
                // Two decimals, or as many as the amount holds (123.4567 万元 converted from
                // 1234567 元 is shown whole, not as 123.46).
                let decimals = d.normalize().scale();
                let value = d.to_f64().unwrap_or(0.0);
                if decimals > 2 {
                    let code = format!("0.{}", "0".repeat(decimals.min(10) as usize));
                    ws.write_number_with_format(r, col, value, &fmt.clone().set_num_format(code))?;
                } else {
                    ws.write_number_with_format(r, col, value, fmt)?;
                }
            }
            Content::Number(s) => {
                ws.write_number_with_format(r, col, s.parse::<f64>().unwrap_or(0.0), fmt)?;
            }
            Content::Percent(f) => {
                // As many decimals as the value shows (`12.5%` → `0.0%`).
                let shown = crate::read::grid::CellValue::Percent(*f).display();
                let decimals = shown
                    .trim_end_matches('%')
                    .split_once('.')
                    .map_or(0, |(_, d)| d.len());
                let code = if decimals == 0 {
                    "0%".to_string()
                } else {
                    format!("0.{}%", "0".repeat(decimals))
                };
                let pct = fmt.clone().set_num_format(code);
                ws.write_number_with_format(r, col, *f, &pct)?;
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
    page.apply(ws);
    ws.set_repeat_rows(plan.grid_header_row, plan.grid_header_row)?;
    Ok(())
}
