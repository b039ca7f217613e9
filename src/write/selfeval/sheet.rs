//! One self-evaluation or monitoring form on one sheet, top to bottom, in its layout.
//!
//! Locked: labels, the identity, 年初预算数, the goal, the indicators and their targets, the
//! formulas. Shaded and unlocked: what the department types — 全年预算数 and 执行数 of the
//! lines, 实际完成情况, each row's actual, weight and reason (and the score of a row no
//! formula can score). The sheet is protected without a password.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, DataValidation, DataValidationRule, Format, ProtectionOptions,
    Worksheet,
};

use super::cells::{at, cached, Canvas, Kind, Value, R};
use super::formula;
use super::grid::{self, GridCells};
use super::layout::{FundingRole, SelfEvalLayout};
use super::{Form, Line, Settings};
use crate::cell::CellRef;
use crate::selfeval::scoring::RateBase;

/// Greatest amount a cell accepts.
const BIG: f64 = 1e15;

/// Replaces `{month}` in a header (`1-{month}月执行数`).
pub(super) fn header(text: &str, settings: &Settings) -> String {
    match settings.month {
        Some(m) => text.replace("{month}", &m.to_string()),
        None => text.replace("{month}", "N"),
    }
}

/// Writes one form on `ws`; returns its sums for the summary sheet.
pub(super) fn write(
    ws: &mut Worksheet,
    form: &Form,
    layout: &SelfEvalLayout,
    settings: &Settings,
) -> R<Sums> {
    // A formula with nothing typed yet is blank, not 0.
    ws.set_formula_result_default("");
    let mut cv = Canvas::new(ws, layout);
    let page = &layout.page;
    let year = form
        .year
        .map(|y| layout.year_line.replace("{year}", &y.to_string()));
    cv.line(0, layout.preamble.title, &layout.title, &layout.fonts.title)?;
    cv.line(
        1,
        layout.preamble.year,
        year.as_deref().unwrap_or(""),
        &layout.fonts.subtitle,
    )?;
    cv.ws.set_row_height(0, page.title_row_height)?;
    let mut r: u32 = 2;
    for row in &layout.rows {
        for c in &row.cells {
            match (&c.label, &c.field) {
                (Some(l), _) => cv.put1(r, c.at, Value::Text(l), Kind::Label, false)?,
                (None, Some(path)) => {
                    let v = form
                        .identity
                        .iter()
                        .find(|(p, _)| p == path)
                        .map_or("", |(_, v)| v.as_str());
                    cv.put1(r, c.at, Value::Text(v), Kind::TextLeft, false)?;
                }
                (None, None) => {}
            }
        }
        cv.ws.set_row_height(r, page.min_row_height)?;
        r += 1;
    }
    let budget = funding(&mut cv, form, layout, settings, &mut r)?;
    goal(&mut cv, form, layout, &mut r)?;
    let cells = grid::grid(&mut cv, form, layout, settings, &mut r)?;
    let mut sums = Sums::default();
    // The total and grade rows, then the rows to write (湖北's deviation and measures under
    // its 总分, as the form prints them).
    let end = totals(
        &mut cv, form, layout, settings, &budget, &cells, r, &mut sums,
    )?;
    let end = narratives(&mut cv, form, layout, end + 1)? - 1;
    let last = cv.last;
    let ws = cv.ws;
    for (i, w) in layout.columns.iter().enumerate() {
        ws.set_column_width(u16::try_from(i).unwrap_or(0), *w)?;
    }
    ws.set_print_area(0, 0, end, last)?;
    ws.set_repeat_rows(cells.header.0, cells.header.1)?;
    page.apply(ws);
    let mut protection = ProtectionOptions::new();
    protection.format_columns = true;
    protection.format_rows = true;
    ws.protect_with_options(&protection);
    Ok(sums)
}

/// The budget's cells, for the totals.
#[derive(Default)]
struct Budget {
    weight: Option<CellRef>,
    score: Option<CellRef>,
}

fn money_rule(message: &str) -> DataValidation {
    let v = DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, BIG));
    let v = v.clone().set_input_message(message).unwrap_or(v);
    v.clone()
        .set_error_message("请填写不小于 0 的金额（万元）")
        .unwrap_or(v)
}

/// The funding block: the first line is the sum of the others (a formula), the others typed.
fn funding(
    cv: &mut Canvas,
    form: &Form,
    layout: &SelfEvalLayout,
    settings: &Settings,
    r: &mut u32,
) -> R<Budget> {
    let block = &layout.funding;
    let n = u32::try_from(block.lines.len()).unwrap_or(0);
    let top = *r;
    cv.put(
        top,
        top + n,
        block.label_at,
        Value::Text(&block.label),
        Kind::Label,
        false,
    )?;
    for c in &block.columns {
        cv.put1(
            top,
            c.at,
            Value::Text(&header(&c.header, settings)),
            Kind::Label,
            false,
        )?;
    }
    cv.ws
        .set_row_height(top, layout.page.min_row_height * 1.5)?;
    let first = top + 1;
    let col = |role| layout.funding_col(role).map(|c| c.at);
    // The lines the total sums (not those of a second split of it).
    let parts = |role: FundingRole| -> Vec<CellRef> {
        col(role).map_or_else(Vec::new, |s| {
            (1..n)
                .filter(|&i| block.lines.get(i as usize).is_some_and(|l| l.in_total))
                .map(|i| at(first + i, s))
                .collect()
        })
    };
    // The budget the rate is measured against, as the profile says.
    let base_col = || match settings.scoring.rate_base {
        RateBase::Adjusted => col(FundingRole::Adjusted).or(col(FundingRole::Initial)),
        RateBase::Initial => col(FundingRole::Initial),
    };
    let mut budget = Budget::default();
    let empty = Line::default();
    for (i, spec) in block.lines.iter().enumerate() {
        let row = first + u32::try_from(i).unwrap_or(0);
        let line = form.lines.get(i).unwrap_or(&empty);
        let is_total = i == 0 && n > 1;
        for c in &block.columns {
            let Some(role) = FundingRole::parse(&c.role) else {
                continue;
            };
            match role {
                FundingRole::Label => {
                    cv.put1(row, c.at, Value::Text(&spec.label), Kind::TextLeft, false)?
                }
                FundingRole::Initial => {
                    cv.put1(row, c.at, Value::Number(line.initial), Kind::Money, false)?
                }
                FundingRole::Adjusted | FundingRole::Executed | FundingRole::Forecast => {
                    let v = match role {
                        FundingRole::Adjusted => line.adjusted,
                        FundingRole::Executed => line.executed,
                        _ => line.forecast,
                    };
                    if is_total {
                        let f = Value::Formula(formula::sum_of(&parts(role)), cached(v));
                        cv.put1(row, c.at, f, Kind::Money, false)?;
                    } else {
                        cv.put1(row, c.at, Value::Number(v), Kind::Money, true)?;
                        let what = match role {
                            FundingRole::Adjusted => "全年（调整后）预算数：预算未调整的填年初预算数；填写后才计算执行率和预算执行得分。第一行由下面各行相加",
                            _ => "万元；第一行（合计）由下面各行相加",
                        };
                        cv.validate(row, c.at, &money_rule(what))?;
                    }
                }
                FundingRole::Rate => {
                    let executed = col(FundingRole::Executed).map(|s| at(row, s));
                    let base = col(FundingRole::Adjusted)
                        .or(col(FundingRole::Initial))
                        .map(|s| at(row, s));
                    let v = match (executed, base) {
                        (Some(e), Some(b)) => {
                            Value::Formula(formula::rate(e, b), cached(line.rate))
                        }
                        _ => Value::Number(None),
                    };
                    cv.put1(row, c.at, v, Kind::Rate, false)?;
                }
                FundingRole::Weight if i == 0 => {
                    cv.put1(
                        row,
                        c.at,
                        Value::Number(form.budget_weight),
                        Kind::Score,
                        false,
                    )?;
                    budget.weight = Some(at(row, c.at));
                }
                FundingRole::Score if i == 0 => {
                    // The weight's cell, or the weight itself on a form without a 分值 column.
                    let w = col(FundingRole::Weight)
                        .map(|s| at(row, s).to_string())
                        .or_else(|| form.budget_weight.map(|w| w.normalize().to_string()));
                    let executed = col(FundingRole::Executed).map(|s| at(row, s));
                    let v = match (executed, base_col().map(|s| at(row, s)), w) {
                        (Some(e), Some(b), Some(w)) => Value::Formula(
                            settings.scoring.excel_budget_formula(
                                &e.to_string(),
                                &b.to_string(),
                                &w,
                            ),
                            cached(form.budget_score),
                        ),
                        _ => Value::Number(None),
                    };
                    cv.put1(row, c.at, v, Kind::Score, false)?;
                    budget.score = Some(at(row, c.at));
                }
                FundingRole::Weight | FundingRole::Score => {
                    cv.put1(row, c.at, Value::Text(""), Kind::Text, false)?
                }
                FundingRole::Reason => {
                    cv.put1(row, c.at, Value::Text(&line.reason), Kind::TextLeft, true)?
                }
                FundingRole::Elapsed => {
                    let v = match settings.month {
                        Some(m) => Value::Formula(format!("{m}/12"), cached(line.elapsed)),
                        None => Value::Number(None),
                    };
                    cv.put1(row, c.at, v, Kind::Rate, false)?;
                }
                FundingRole::Lag => {
                    let rate = col(FundingRole::Rate).map(|s| at(row, s));
                    let elapsed = col(FundingRole::Elapsed).map(|s| at(row, s));
                    let (Some(rate), Some(elapsed)) = (rate, elapsed) else {
                        cv.put1(row, c.at, Value::Number(None), Kind::Rate, false)?;
                        continue;
                    };
                    let f = format!("IF(OR({rate}=\"\",{elapsed}=\"\"),\"\",{rate}-{elapsed})");
                    cv.put1(
                        row,
                        c.at,
                        Value::Formula(f, cached(line.lag)),
                        Kind::Rate,
                        false,
                    )?;
                    behind(cv, at(row, c.at), settings)?;
                }
            }
        }
        cv.ws.set_row_height(row, layout.page.min_row_height)?;
    }
    *r = first + n;
    Ok(budget)
}

/// Marks a 进度偏差 cell in red when execution lags the share of the year elapsed by more
/// than the profile's `schedule_lag` points: the condition of `selfeval.behind-schedule`.
fn behind(cv: &mut Canvas, cell: CellRef, settings: &Settings) -> R<()> {
    let lag = settings.scoring.schedule_lag / Decimal::ONE_HUNDRED;
    let rule = format!("AND(ISNUMBER({cell}),{cell}<-{})", lag.normalize());
    let red = Format::new()
        .set_font_color(Color::RGB(0x9C0006))
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_bold();
    let cf = ConditionalFormatFormula::new()
        .set_rule(rule.as_str())
        .set_format(red);
    let (r, c) = (cell.row, u16::try_from(cell.col).unwrap_or(0));
    cv.ws.add_conditional_format(r, c, r, c, &cf)?;
    Ok(())
}

/// The goal block: 预期目标 (locked) beside 实际完成情况 (typed), under their headers.
fn goal(cv: &mut Canvas, form: &Form, layout: &SelfEvalLayout, r: &mut u32) -> R<()> {
    let g = &layout.goal;
    let headed = !g.expected.header.is_empty() || g.actual.is_some();
    let top = *r;
    let text_row = if headed { top + 1 } else { top };
    cv.put(
        top,
        text_row,
        g.label_at,
        Value::Text(&g.label),
        Kind::Label,
        false,
    )?;
    if headed {
        cv.put1(
            top,
            g.expected.at,
            Value::Text(&g.expected.header),
            Kind::Label,
            false,
        )?;
        if let Some(a) = &g.actual {
            cv.put1(top, a.at, Value::Text(&a.header), Kind::Label, false)?;
        }
        cv.ws.set_row_height(top, layout.page.min_row_height)?;
    }
    cv.put1(
        text_row,
        g.expected.at,
        Value::Text(&form.goal),
        Kind::TextLeft,
        false,
    )?;
    if let Some(a) = &g.actual {
        cv.put1(
            text_row,
            a.at,
            Value::Text(&form.goal_actual),
            Kind::TextLeft,
            true,
        )?;
    }
    cv.ws.set_row_height(text_row, g.height)?;
    *r = text_row + 1;
    Ok(())
}

/// The rows after the grid (评价结论, 存在问题, 改进措施): a label and a text to write.
fn narratives(cv: &mut Canvas, form: &Form, layout: &SelfEvalLayout, mut r: u32) -> R<u32> {
    for n in &layout.narratives {
        let text = form
            .narratives
            .iter()
            .find(|(l, _)| *l == n.label)
            .map_or("", |(_, t)| t.as_str());
        cv.put1(r, n.label_at, Value::Text(&n.label), Kind::Label, false)?;
        cv.put1(r, n.at, Value::Text(text), Kind::TextLeft, true)?;
        cv.ws.set_row_height(r, n.height)?;
        r += 1;
    }
    Ok(r)
}

/// The total row and the grade row; the scores by 一级指标 into `sums`. Returns the last row of
/// the form (the grade's, else the total's).
// The parts written before it, each its own type: bundling them would only rename them.
#[allow(clippy::too_many_arguments)]
fn totals(
    cv: &mut Canvas,
    form: &Form,
    layout: &SelfEvalLayout,
    settings: &Settings,
    budget: &Budget,
    grid: &GridCells,
    mut r: u32,
    sums: &mut Sums,
) -> R<u32> {
    let Some(total) = &layout.total else {
        return Ok(r.saturating_sub(1));
    };
    let weights: Vec<CellRef> = budget
        .weight
        .into_iter()
        .chain(grid.rows.iter().filter_map(|x| x.weight))
        .collect();
    let scores: Vec<CellRef> = budget
        .score
        .into_iter()
        .chain(grid.rows.iter().filter_map(|x| x.score))
        .collect();
    let weight_sum =
        sum(std::iter::once(form.budget_weight).chain(form.rows.iter().map(|x| x.weight)));
    cv.put1(
        r,
        total.label_at,
        Value::Text(&total.label),
        Kind::Label,
        false,
    )?;
    let mut sum_f = formula::sum_of(&weights);
    if let (None, Some(w)) = (budget.weight, form.budget_weight) {
        // A form without a 分值 cell for the budget (its weight in a label): the weight itself.
        sum_f = format!("SUM({},{})", w.normalize(), join(&weights));
    }
    let f = Value::Formula(sum_f, cached(weight_sum));
    cv.put1(r, total.weight_at, f, Kind::Score, false)?;
    let f = Value::Formula(round_sum(&scores, settings), cached(form.total));
    cv.put1(r, total.score_at, f, Kind::Score, false)?;
    if let Some(rest) = total.rest_at {
        cv.put1(r, rest, Value::Text(""), Kind::Text, false)?;
    }
    cv.ws.set_row_height(r, layout.page.min_row_height)?;
    let total_cell = at(r, total.score_at);
    sums.total = Some((total_cell, form.total));
    r += 1;
    if let Some(g) = &layout.grade {
        cv.put1(r, g.label_at, Value::Text(&g.label), Kind::Label, false)?;
        let grades = &settings.scoring.grades;
        let (lowest, above) = grades
            .split_last()
            .map_or(("", &grades[..]), |(l, a)| (l.1.as_str(), a));
        let f = formula::grade(total_cell, above, lowest);
        cv.put1(
            r,
            g.at,
            Value::Formula(f, form.grade.clone().unwrap_or_default()),
            Kind::Text,
            false,
        )?;
        sums.grade = Some((at(r, g.at), form.grade.clone()));
        cv.ws.set_row_height(r, layout.page.min_row_height)?;
        r += 1;
    }
    let end = r - 1;
    // The scores by 一级指标, for the workbook's summary sheet.
    let mut levels = vec![Level {
        name: None,
        scores: budget.score.into_iter().collect(),
        score: form.budget_score,
    }];
    for x in &grid.rows {
        if levels
            .iter()
            .any(|l| l.name.as_deref() == Some(x.level1.as_str()))
        {
            continue;
        }
        let picked: Vec<usize> = (0..grid.rows.len())
            .filter(|&k| grid.rows[k].level1 == x.level1)
            .collect();
        levels.push(Level {
            name: Some(x.level1.clone()),
            scores: picked.iter().filter_map(|&k| grid.rows[k].score).collect(),
            score: sum(picked.iter().map(|&k| form.rows[k].score)),
        });
    }
    sums.levels = levels;
    Ok(end)
}

/// A form's sums, for the workbook's summary sheet.
#[derive(Default)]
pub(super) struct Sums {
    /// The budget (no name) and each 一级指标, with the cells of their scores.
    pub levels: Vec<Level>,
    /// The total's cell and value.
    pub total: Option<(CellRef, Option<Decimal>)>,
    /// The grade's cell and value.
    pub grade: Option<(CellRef, Option<String>)>,
}

/// The scores of one level of a form.
pub(super) struct Level {
    /// The 一级指标 (`None`: the budget).
    pub name: Option<String>,
    /// The cells of its scores.
    pub scores: Vec<CellRef>,
    /// Their sum, as computed.
    pub score: Option<Decimal>,
}

/// The sum of the values given, `None` when none is.
fn sum(values: impl Iterator<Item = Option<Decimal>>) -> Option<Decimal> {
    values
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or_default() + v))
}

fn join(cells: &[CellRef]) -> String {
    cells
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The sum of scores, rounded as the scores are, blank while none is there.
fn round_sum(cells: &[CellRef], settings: &Settings) -> String {
    let list = cells
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    if list.is_empty() {
        return "\"\"".to_string();
    }
    let sum = format!("SUM({list})");
    let sum = format!("ROUND({sum},{})", settings.scoring.decimals);
    format!("IF(COUNT({list})=0,\"\",{sum})")
}

/// The 填报说明 sheet: one line per row.
pub(super) fn guide(ws: &mut Worksheet, lines: &[String]) -> R<()> {
    let wrap = Format::new()
        .set_text_wrap()
        .set_font_name("宋体")
        .set_font_size(10.0);
    ws.set_column_width(0, 100.0)?;
    for (i, l) in lines.iter().enumerate() {
        ws.write_string_with_format(u32::try_from(i).unwrap_or(0), 0, l, &wrap)?;
    }
    Ok(())
}
