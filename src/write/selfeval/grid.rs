//! The indicator grid of a form: headers (one row, or two when columns are grouped as in the
//! monitoring table's 偏差原因分析 and 完成目标可能性), 一级 and 二级 merged down their runs,
//! one row per 三级 with its target (locked), its actual, weight and reason (typed), and its
//! score: a formula for a quantitative row, typed within its band for a qualitative one.

use rust_decimal::Decimal;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, Formula};

use super::cells::{at, cached, Canvas, Kind, Value, R};
use super::formula;
use super::layout::{GridRole, SelfEvalLayout};
use super::sheet::header;
use super::{Actual, Form, Row, RowScoring, Settings};
use crate::cell::CellRef;
use crate::selfeval::Band;
use crate::write::layout::Span;

/// Greatest actual a cell accepts.
const BIG: f64 = 1e15;

/// The grid's cells, for the totals.
#[derive(Default)]
pub(super) struct GridCells {
    pub rows: Vec<RowCells>,
    /// The header rows, repeated on every printed page.
    pub header: (u32, u32),
}

/// One row's cells.
pub(super) struct RowCells {
    pub level1: String,
    pub weight: Option<CellRef>,
    pub score: Option<CellRef>,
}

/// Writes the grid from row `*r`, leaving `*r` on the row after it.
pub(super) fn grid(
    cv: &mut Canvas,
    form: &Form,
    layout: &SelfEvalLayout,
    settings: &Settings,
    r: &mut u32,
) -> R<GridCells> {
    let g = &layout.grid;
    let top = *r;
    let head_last = if layout.grid_has_groups() {
        top + 1
    } else {
        top
    };
    let first = head_last + 1;
    let n = u32::try_from(form.rows.len().max(1)).unwrap_or(1);
    cv.put(
        top,
        first + n - 1,
        g.label_at,
        Value::Text(&g.label),
        Kind::Label,
        false,
    )?;
    header_rows(cv, layout, settings, top, head_last)?;
    merged_levels(cv, form, layout, first)?;
    let mut cells = GridCells {
        header: (top, head_last),
        ..GridCells::default()
    };
    for (k, row) in form.rows.iter().enumerate() {
        let rr = first + u32::try_from(k).unwrap_or(0);
        cells.rows.push(row_cells(cv, row, rr, layout, settings)?);
    }
    if form.rows.is_empty() {
        for c in &g.columns {
            cv.put1(first, c.at, Value::Text(""), Kind::Text, false)?;
        }
    }
    *r = first + n;
    Ok(cells)
}

/// The header rows `top..=head_last`: each column's header, and over grouped columns the
/// group's header with each column's own below.
fn header_rows(
    cv: &mut Canvas,
    layout: &SelfEvalLayout,
    settings: &Settings,
    top: u32,
    head_last: u32,
) -> R<()> {
    let g = &layout.grid;
    let mut i = 0;
    while i < g.columns.len() {
        let c = &g.columns[i];
        let Some(group) = c.group.as_ref() else {
            cv.put(
                top,
                head_last,
                c.at,
                Value::Text(&header(&c.header, settings)),
                Kind::Label,
                false,
            )?;
            i += 1;
            continue;
        };
        let mut j = i;
        while g
            .columns
            .get(j + 1)
            .is_some_and(|n| n.group.as_ref() == Some(group))
        {
            j += 1;
        }
        let span = Span {
            first: c.at.first,
            last: Some(g.columns[j].at.last_in(cv.last)),
        };
        cv.put1(
            top,
            span,
            Value::Text(&header(group, settings)),
            Kind::Label,
            false,
        )?;
        for col in &g.columns[i..=j] {
            cv.put1(
                head_last,
                col.at,
                Value::Text(&header(&col.header, settings)),
                Kind::Label,
                false,
            )?;
        }
        i = j + 1;
    }
    for row in top..=head_last {
        cv.ws
            .set_row_height(row, layout.page.min_row_height * 1.5)?;
    }
    Ok(())
}

/// 一级 and 二级 merged down their runs of rows, from row `first`.
fn merged_levels(cv: &mut Canvas, form: &Form, layout: &SelfEvalLayout, first: u32) -> R<()> {
    let row_of = |k: usize| first + u32::try_from(k).unwrap_or(0);
    for (role, deep) in [(GridRole::Level1, false), (GridRole::Level2, true)] {
        let Some(span) = layout.grid_col(role).map(|c| c.at) else {
            continue;
        };
        let key = |x: &Row| {
            (
                x.level1.clone(),
                if deep {
                    x.level2.clone()
                } else {
                    String::new()
                },
            )
        };
        let mut start = 0;
        for k in 1..=form.rows.len() {
            if k == form.rows.len() || key(&form.rows[k]) != key(&form.rows[start]) {
                let s = &form.rows[start];
                let text = if deep { &s.level2 } else { &s.level1 };
                cv.put(
                    row_of(start),
                    row_of(k - 1),
                    span,
                    Value::Text(text),
                    Kind::Text,
                    false,
                )?;
                start = k;
            }
        }
    }
    Ok(())
}

/// One indicator's row `rr`: every column but the merged levels.
fn row_cells(
    cv: &mut Canvas,
    row: &Row,
    rr: u32,
    layout: &SelfEvalLayout,
    settings: &Settings,
) -> R<RowCells> {
    let col = |role| layout.grid_col(role).map(|c| c.at);
    let weight = col(GridRole::Weight).map(|s| at(rr, s));
    let actual = col(GridRole::Actual).map(|s| at(rr, s));
    for c in &layout.grid.columns {
        let Some(role) = GridRole::parse(&c.role) else {
            continue;
        };
        let text = |t| Value::Text(t);
        match role {
            GridRole::Level1 | GridRole::Level2 => {}
            GridRole::Name => cv.put1(rr, c.at, text(&row.name), Kind::TextLeft, false)?,
            GridRole::Target => cv.put1(rr, c.at, text(&row.target), Kind::Text, false)?,
            GridRole::Nature => cv.put1(rr, c.at, text(&row.target_parts[0]), Kind::Text, false)?,
            GridRole::Value => cv.put1(rr, c.at, text(&row.target_parts[1]), Kind::Text, false)?,
            GridRole::Unit => cv.put1(rr, c.at, text(&row.target_parts[2]), Kind::Text, false)?,
            GridRole::Actual => actual_cell(cv, row, rr, c.at, settings)?,
            GridRole::Weight => {
                cv.put1(rr, c.at, Value::Number(row.weight), Kind::Score, true)?;
                let v = DataValidation::new()
                    .allow_decimal_number(DataValidationRule::Between(0.0, 100.0));
                let v = v
                    .clone()
                    .set_error_message("分值应为 0 到 100 之间的数")
                    .unwrap_or(v);
                cv.validate(rr, c.at, &v)?;
            }
            GridRole::Score => score_cell(cv, row, rr, c.at, settings, actual, weight)?,
            GridRole::Reason => cv.put1(rr, c.at, text(&row.reason), Kind::TextLeft, true)?,
            GridRole::Forecast => cv.put1(rr, c.at, text(&row.forecast), Kind::Text, true)?,
            GridRole::Remark => cv.put1(rr, c.at, text(&row.remark), Kind::TextLeft, true)?,
            GridRole::Cause | GridRole::Likelihood => {
                let ticked = if role == GridRole::Cause {
                    row.causes.contains(&c.header)
                } else {
                    row.likelihood.as_deref() == Some(c.header.as_str())
                };
                cv.put1(
                    rr,
                    c.at,
                    text(if ticked { "✔" } else { "" }),
                    Kind::Text,
                    true,
                )?;
                let v = DataValidation::new();
                let v = v.clone().allow_list_strings(&["✔"]).unwrap_or(v);
                cv.validate(rr, c.at, &v)?;
            }
        }
    }
    cv.ws.set_row_height(rr, layout.page.min_row_height * 1.5)?;
    Ok(RowCells {
        level1: row.level1.clone(),
        weight,
        score: col(GridRole::Score).map(|s| at(rr, s)),
    })
}

/// The actual: a number in the target's unit, a band word from a list, or free text.
fn actual_cell(cv: &mut Canvas, row: &Row, rr: u32, span: Span, settings: &Settings) -> R<()> {
    let value = match &row.actual {
        Some(Actual::Number(d)) => Value::Number(Some(*d)),
        Some(Actual::Text(t)) => Value::Text(t),
        None => Value::Text(""),
    };
    match &row.scoring {
        RowScoring::Quantitative { unit, .. } => {
            let fmt = cv.actual_format(unit.as_deref());
            cv.put_with(rr, rr, span, value, &fmt)?;
            let message = match unit.as_deref() {
                Some(u) if !u.is_empty() => {
                    format!(
                        "填数字，单位：{u}（与年度指标值相同），如 {}",
                        example(&row.target)
                    )
                }
                _ => "填数字（单位与年度指标值相同）".to_string(),
            };
            let v =
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(-BIG, BIG));
            let v = v.clone().set_input_message(&message).unwrap_or(v);
            let v = v
                .clone()
                .set_error_message("实际完成值应为数字（单位与年度指标值相同）")
                .unwrap_or(v);
            cv.validate(rr, span, &v)?;
        }
        RowScoring::Qualitative => {
            cv.put1(rr, span, value, Kind::Text, true)?;
            let bands = bands(settings);
            let words: Vec<&str> = bands.iter().map(|b| b.word.as_str()).collect();
            let v = DataValidation::new();
            let v = v.clone().allow_list_strings(&words).unwrap_or(v);
            cv.validate(
                rr,
                span,
                &v.set_error_style(DataValidationErrorStyle::Warning),
            )?;
        }
        RowScoring::Typed => cv.put1(rr, span, value, Kind::Text, true)?,
    }
    Ok(())
}

/// The number of a target, for the input message (`≥95%` → `95`).
fn example(target: &str) -> String {
    let digits: String = target
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if digits.is_empty() {
        "100".to_string()
    } else {
        digits
    }
}

/// The score: the profile's formula for a quantitative row (locked); typed within the band of
/// the chosen word for a qualitative row; typed, not above the weight, for any other.
fn score_cell(
    cv: &mut Canvas,
    row: &Row,
    rr: u32,
    span: Span,
    settings: &Settings,
    actual: Option<CellRef>,
    weight: Option<CellRef>,
) -> R<()> {
    let here = at(rr, span);
    let sc = &settings.scoring;
    let check = match (&row.scoring, actual, weight) {
        (
            RowScoring::Quantitative {
                direction, target, ..
            },
            Some(a),
            Some(w),
        ) => {
            let f = sc.excel_formula(*direction, &num(*target), &a.to_string(), &w.to_string());
            if let Some(f) = f {
                return cv.put1(
                    rr,
                    span,
                    Value::Formula(f, cached(row.score)),
                    Kind::Score,
                    false,
                );
            }
            typed_rule(here, Some(w))
        }
        (RowScoring::Qualitative, Some(a), Some(w)) => {
            let bands = bands(settings);
            let words: Vec<String> = bands
                .iter()
                .map(|b| format!("{}：分值×{}–{}", b.word, pct(b.low), pct(b.high)))
                .collect();
            let rule = formula::band_check(&bands, a, w, here, Some(sc.decimals));
            let v = DataValidation::new().allow_custom(Formula::new(rule));
            let v = v
                .clone()
                .set_input_title("定性指标按完成情况分档打分")
                .unwrap_or(v);
            let v = v.clone().set_input_message(words.join("；")).unwrap_or(v);
            v.clone()
                .set_error_message("得分不在所选完成情况的分档内，或超过分值")
                .unwrap_or(v)
        }
        (_, _, w) => typed_rule(here, w),
    };
    cv.put1(rr, span, Value::Number(row.score), Kind::Score, true)?;
    cv.validate(rr, span, &check)
}

/// A typed score: not below 0, not above the weight.
fn typed_rule(here: CellRef, weight: Option<CellRef>) -> DataValidation {
    let rule = match weight {
        Some(w) => format!("AND({here}>=0,{here}<={w})"),
        None => format!("{here}>=0"),
    };
    let v = DataValidation::new().allow_custom(Formula::new(rule));
    v.clone().set_error_message("得分不能超过分值").unwrap_or(v)
}

/// The profile's qualitative bands, highest first, with their official words.
pub(super) fn bands(settings: &Settings) -> Vec<formula::Band> {
    let q = settings.scoring.qualitative;
    let share = |p: Decimal| p / Decimal::ONE_HUNDRED;
    [
        (Band::Achieved, share(q[0]), Decimal::ONE),
        (Band::Partly, share(q[1]), share(q[0])),
        (Band::Missed, Decimal::ZERO, share(q[1])),
    ]
    .into_iter()
    .map(|(b, low, high)| formula::Band {
        word: b.label().to_string(),
        low,
        high,
    })
    .collect()
}

/// A decimal as formula text.
fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

fn pct(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}
