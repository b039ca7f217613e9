//! From this year's targets table to its self-evaluation or monitoring form, and from such a
//! table to what the writer lays out.
//!
//! [`prefill`]: the model of the form the department will fill — identity, the funding lines
//! of the layout with 年初预算数 from the targets' amounts, the goal, every indicator with its target and the profile's default weight
//! ([`Scoring::default_weights`]), nothing typed yet. [`form_of`]: any self-evaluation or
//! monitoring table as the writer's [`Form`], each score, rate, sum and grade computed by the
//! profile's own function ([`Scoring::score`]) — the cached results of the formulas.

use rust_decimal::Decimal;

use super::layout::{FundingRole, GridRole, SelfEvalLayout};
use super::{Actual, Form, Line, Row, RowScoring, Settings};
use crate::model::{
    fields, Execution, ExecutionLine, Figure, FormKind, Indicator, IndicatorResult, Table, Total,
};
use crate::read::profile::ProfileRef;
use crate::selfeval::scoring::RateBase;
use crate::selfeval::{Direction, Scoring};

/// The identity fields a form prints (those its layout rows name).
fn identity_paths(layout: &SelfEvalLayout) -> Vec<&str> {
    layout
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().filter_map(|c| c.field.as_deref()))
        .collect()
}

/// The self-evaluation (or, with a `month`, monitoring) table to fill for one targets table,
/// in `profile`'s scoring and `layout`'s lines.
pub fn prefill(
    targets: &Table,
    profile: ProfileRef,
    layout: &SelfEvalLayout,
    month: Option<u32>,
) -> Table {
    let scoring = profile
        .selfeval
        .as_ref()
        .map(|s| s.scoring.clone())
        .unwrap_or_default();
    let form = profile
        .selfeval
        .as_ref()
        .map_or(FormKind::SelfEvaluation, |s| s.form);
    let mut t = Table {
        kind: targets.kind,
        form,
        profile,
        year: targets.year,
        title: layout.title.clone(),
        unit: targets.unit.clone(),
        goal: targets.goal.clone(),
        goal_actual: layout.goal.actual.as_ref().map(|_| String::new()),
        ..Table::default()
    };
    for path in identity_paths(layout) {
        if let Some(f) = fields::field(path) {
            if let (Some(v), fields::Access::Text { set, .. }) = (f.text(targets), f.access) {
                *set(&mut t) = v.to_string();
            }
        }
    }
    t.project.code = targets.project.code.clone();
    t.execution = Some(execution(targets, layout, &scoring, month));
    t.indicators = indicators(targets, &scoring, layout);
    if layout.total.is_some() {
        let weights = t
            .execution
            .as_ref()
            .and_then(|e| e.weight.as_ref())
            .and_then(|w| w.value)
            .into_iter()
            .chain(t.indicators.iter().filter_map(|i| i.weight));
        t.total = Some(Total {
            weight: Some(Figure::of(weights.sum())),
            ..Total::default()
        });
    }
    t
}

/// The funding lines of the layout, 年初预算数 from the targets' amounts.
fn execution(
    targets: &Table,
    layout: &SelfEvalLayout,
    scoring: &Scoring,
    month: Option<u32>,
) -> Execution {
    let has = |role| layout.funding_col(role).is_some();
    let views = targets.funding.views();
    // 全年预算数 (adjusted) is left blank: the targets table states 年初预算数 only, and whether
    // the budget was adjusted is the department's to say. The rate and the budget score stay
    // blank until it is typed (a form that printed 年初 there would claim "not adjusted").
    let lines: Vec<ExecutionLine> = layout
        .funding
        .lines
        .iter()
        .enumerate()
        .map(|(i, spec)| ExecutionLine {
            key: spec.key.clone(),
            label: spec.label.clone(),
            parent: (i > 0).then_some(0),
            // Only where the form has a 年初预算数 column: a form whose one budget column is the
            // adjusted one (湖北 预算数(A)) gets nothing the targets table said.
            initial: if has(FundingRole::Initial) {
                spec.from
                    .as_deref()
                    .and_then(|p| match p.strip_prefix("lines.") {
                        // A funding line of the targets table, by its key (部门整体's 基本支出).
                        Some(key) => targets
                            .funding
                            .lines
                            .iter()
                            .find(|l| l.key == key)
                            .and_then(|l| l.amount),
                        None => fields::amount(&views, p),
                    })
                    .map(Figure::of)
            } else {
                None
            },
            ..ExecutionLine::default()
        })
        .collect();
    Execution {
        lines,
        month,
        // The budget is weighed where the form scores it: in a 分值 column, or in its 得分's
        // header and the block's label (湖北 `预算执行情况（万元）（20分）`).
        weight: (has(FundingRole::Weight) || has(FundingRole::Score))
            .then(|| Figure::of(scoring.budget_weight)),
        ..Execution::default()
    }
}

/// The 一级 a row's default weight is counted under: its own when the profile weighs it, else
/// the level an absent level's weight goes to (产出指标 for the national rules: a 2021-style
/// 成本指标 is part of the output, as in the 10号 form).
fn weighed_level<'a>(level1: &'a str, scoring: &'a Scoring) -> &'a str {
    if scoring.levels.iter().any(|(l, _)| l == level1) {
        return level1;
    }
    scoring
        .levels
        .iter()
        .find(|(l, _)| *l == scoring.absent)
        .or(scoring.levels.first())
        .map_or(level1, |(l, _)| l.as_str())
}

fn indicators(targets: &Table, scoring: &Scoring, layout: &SelfEvalLayout) -> Vec<Indicator> {
    let levels: Vec<&str> = targets
        .indicators
        .iter()
        .map(|i| weighed_level(&i.level1, scoring))
        .collect();
    let weighed = layout.grid_col(GridRole::Weight).is_some();
    let weights = scoring.default_weights(&levels);
    targets
        .indicators
        .iter()
        .zip(weights)
        .map(|(i, w)| Indicator {
            level1: i.level1.clone(),
            level2: i.level2.clone(),
            name: i.name.clone(),
            value: i.value.clone(),
            class: i.class,
            nature: i.nature.clone(),
            unit_column: i.unit_column.clone(),
            weight: if weighed { w } else { None },
            result: IndicatorResult::default(),
            ..Indicator::default()
        })
        .collect()
}

/// How a row is scored: in the direction the reader scores it (`selfeval::score::direction`:
/// its sign, its 指标性质, else what its name measures), on its target's number; a row without
/// a number, or marked 定性, by its band word; a row with no target at all is typed.
pub fn row_scoring(ind: &Indicator) -> RowScoring {
    let direction = crate::selfeval::score::direction(ind);
    match (direction, ind.value.number) {
        (Direction::Qualitative, _)
            if ind.value.raw.trim().is_empty() && !marked_qualitative(ind) =>
        {
            RowScoring::Typed
        }
        (Direction::Qualitative, _) | (_, None) => RowScoring::Qualitative,
        (d, Some(target)) => RowScoring::Quantitative {
            direction: d,
            target,
            unit: ind.value.unit.clone(),
        },
    }
}

/// Whether the row's sign or 指标性质 says 定性.
fn marked_qualitative(ind: &Indicator) -> bool {
    [ind.value.comparator.as_deref(), ind.nature.as_deref()]
        .into_iter()
        .flatten()
        .any(|s| Direction::from_sign(s) == Some(Direction::Qualitative))
}

/// The 指标值 of a target split over three columns: its text without the sign before it and
/// the unit after it, as typed (`2.00万元` → `2.00`), so that the columns read back to it.
fn value_text(v: &crate::model::Value) -> String {
    let mut t = v.raw.trim();
    if let Some(c) = v.comparator.as_deref() {
        t = t.strip_prefix(c).unwrap_or(t).trim_start();
    }
    if let Some(u) = v.unit.as_deref().filter(|u| !u.is_empty()) {
        t = t.strip_suffix(u).unwrap_or(t).trim_end();
    }
    t.to_string()
}

fn value(f: &Option<Figure>) -> Option<Decimal> {
    f.as_ref().and_then(|f| f.value)
}

/// A self-evaluation or monitoring table as the writer lays it out, every formula's result
/// computed by the profile's scoring.
pub fn form_of(table: &Table, layout: &SelfEvalLayout, settings: &Settings) -> Form {
    let sc = &settings.scoring;
    let identity = identity_paths(layout)
        .into_iter()
        .filter_map(|p| {
            let v = fields::field(p)?.text(table)?;
            Some((p.to_string(), v.to_string()))
        })
        .collect();
    let empty = Execution::default();
    let ex = table.execution.as_ref().unwrap_or(&empty);
    let base = |l: &ExecutionLine| match sc.rate_base {
        RateBase::Adjusted if layout.funding_col(FundingRole::Adjusted).is_some() => {
            value(&l.adjusted)
        }
        _ => value(&l.initial),
    };
    let lines: Vec<Line> = layout
        .funding
        .lines
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let found = ex
                .lines
                .iter()
                .find(|l| !spec.key.is_empty() && l.key == spec.key)
                .or_else(|| ex.lines.iter().find(|l| l.label == spec.label))
                .or_else(|| ex.lines.get(i));
            let elapsed = settings.month.map(|m| Decimal::from(m) / Decimal::from(12));
            found.map_or_else(
                || Line {
                    elapsed,
                    ..Line::default()
                },
                |l| {
                    let rate = match (value(&l.executed), base(l)) {
                        (Some(e), Some(b)) if !b.is_zero() => Some(e / b),
                        _ => None,
                    };
                    Line {
                        initial: value(&l.initial),
                        adjusted: value(&l.adjusted),
                        executed: value(&l.executed),
                        forecast: value(&l.forecast),
                        rate,
                        elapsed,
                        lag: rate.zip(elapsed).map(|(r, e)| r - e),
                        reason: String::new(),
                    }
                },
            )
        })
        .collect();
    let budget_weight = value(&ex.weight);
    let budget_score = match (lines.first(), budget_weight) {
        (Some(l), Some(w)) => {
            let b = match sc.rate_base {
                RateBase::Adjusted if layout.funding_col(FundingRole::Adjusted).is_some() => {
                    l.adjusted
                }
                _ => l.initial,
            };
            l.executed
                .zip(b)
                .and_then(|(e, b)| sc.budget_score(e, b, w))
        }
        _ => None,
    };
    let rows: Vec<Row> = table.indicators.iter().map(|i| row_of(i, sc)).collect();
    let scores: Vec<Decimal> = budget_score
        .into_iter()
        .chain(rows.iter().filter_map(|r| r.score))
        .collect();
    let total = (!scores.is_empty()).then(|| sc.round(scores.iter().sum()));
    Form {
        sheet: table.display_name().to_string(),
        year: table.year,
        identity,
        lines,
        budget_weight,
        budget_score,
        goal: table.goal.clone(),
        goal_actual: table.goal_actual.clone().unwrap_or_default(),
        narratives: layout
            .narratives
            .iter()
            .filter_map(|n| {
                let m = table.metadata.iter().find(|m| m.label == n.label)?;
                Some((n.label.clone(), m.value.clone()))
            })
            .collect(),
        rows,
        total,
        grade: total.map(|t| sc.grade(t).to_string()),
    }
}

/// One indicator as a row of the form, its score computed (a quantitative row) or as typed.
fn row_of(i: &Indicator, sc: &Scoring) -> Row {
    let r = &i.result;
    let scoring = row_scoring(i);
    let actual = r.actual.as_ref().map(|a| match a.value.number {
        Some(n) if matches!(scoring, RowScoring::Quantitative { .. }) => Actual::Number(n),
        _ => Actual::Text(a.value.raw.clone()),
    });
    let printed = value(&r.score);
    let score = match (&scoring, &actual, i.weight) {
        (
            RowScoring::Quantitative {
                direction, target, ..
            },
            Some(Actual::Number(b)),
            Some(w),
        ) => sc.score(*direction, *target, *b, w),
        (RowScoring::Quantitative { .. }, _, _) => None,
        _ => printed,
    };
    Row {
        level1: i.level1.clone(),
        level2: i.level2.clone(),
        name: i.name.clone(),
        target: i.value.raw.clone(),
        target_parts: [
            // The sign when the target has one (`≥`), else its 指标性质 word (`定性`).
            i.value
                .comparator
                .clone()
                .or_else(|| i.nature.clone())
                .unwrap_or_default(),
            value_text(&i.value),
            i.unit_column
                .clone()
                .or_else(|| i.value.unit.clone())
                .unwrap_or_default(),
        ],
        scoring,
        weight: i.weight,
        actual,
        score,
        reason: r
            .reason
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default(),
        forecast: r
            .forecast
            .as_ref()
            .map(|f| f.value.raw.clone())
            .unwrap_or_default(),
        causes: r.causes.iter().map(|c| c.category.clone()).collect(),
        likelihood: r.likelihood.as_ref().map(|l| l.level.label().to_string()),
        remark: i.extra.get("备注").cloned().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Funding, Value};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn targets() -> Table {
        let ind = |l1: &str, name: &str, raw: &str| Indicator {
            level1: l1.into(),
            level2: "数量指标".into(),
            name: name.into(),
            value: crate::read::values::parse_value(raw),
            ..Indicator::default()
        };
        let mut t = Table {
            year: Some(2026),
            goal: "完成培训".into(),
            indicators: vec![
                ind("产出指标", "培训人数", "≥500人"),
                ind("产出指标", "合格率", "≥95%"),
                ind("成本指标", "人均成本", "≤300元"),
                ind("效益指标", "知晓度", "明显提高"),
            ],
            funding: Funding {
                annual_total: Some(d("90")),
                ..Funding::default()
            },
            ..Table::default()
        };
        t.project.name = "培训项目".into();
        t.project.department = "某厅".into();
        t.funding.own.fiscal = Some(d("80"));
        t.funding.own.carryover = Some(d("10"));
        t
    }

    fn profile() -> ProfileRef {
        crate::read::profile::builtin("national-selfeval").unwrap_or_else(|| panic!("profile"))
    }

    #[test]
    fn a_targets_table_prefills_its_self_evaluation() {
        let layout = SelfEvalLayout::national();
        let t = prefill(&targets(), profile(), layout, None);
        assert_eq!(t.form, FormKind::SelfEvaluation);
        assert_eq!(t.project.name, "培训项目");
        let ex = t.execution.as_ref().unwrap_or_else(|| panic!("execution"));
        assert_eq!(value(&ex.lines[0].initial), Some(d("90")));
        assert_eq!(value(&ex.lines[1].initial), Some(d("80")));
        // 全年预算数 is the department's to type: the targets table does not say it.
        assert!(ex.lines.iter().all(|l| l.adjusted.is_none()));
        assert_eq!(value(&ex.weight), Some(d("10")));
        // 产出 50 (with 成本) over three rows, 效益 30 (满意度's 10 moves to 产出: 60).
        let w: Vec<Option<Decimal>> = t.indicators.iter().map(|i| i.weight).collect();
        assert_eq!(
            w,
            [Some(d("20")), Some(d("20")), Some(d("20")), Some(d("30"))]
        );
        assert_eq!(
            t.total.as_ref().and_then(|x| value(&x.weight)),
            Some(d("100"))
        );
    }

    #[test]
    fn typed_actuals_are_scored_by_the_profile() {
        let settings = Settings {
            scoring: Scoring::default(),
            month: None,
        };
        let layout = SelfEvalLayout::national();
        let mut t = prefill(&targets(), profile(), layout, None);
        let typed = |raw: &str| {
            Some(crate::model::Observed {
                value: crate::read::values::parse_value(raw),
                cell: None,
            })
        };
        t.indicators[0].result.actual = typed("450");
        t.indicators[2].result.actual = typed("330");
        if let Some(ex) = t.execution.as_mut() {
            ex.lines[1].executed = Some(Figure::of(d("72")));
            ex.lines[0].executed = Some(Figure::of(d("72")));
        }
        // Nothing scores the budget until 全年预算数 is typed.
        let f = form_of(&t, layout, &settings);
        assert_eq!((f.budget_score, f.lines[0].rate), (None, None));
        if let Some(ex) = t.execution.as_mut() {
            ex.lines[1].adjusted = Some(Figure::of(d("90")));
            ex.lines[0].adjusted = Some(Figure::of(d("90")));
        }
        let f = form_of(&t, layout, &settings);
        let sc = Scoring::default();
        assert_eq!(
            f.rows[0].score,
            sc.score(Direction::Positive, d("500"), d("450"), d("20"))
        );
        assert_eq!(f.rows[0].score, Some(d("18")));
        assert_eq!(
            f.rows[2].score,
            sc.score(Direction::Reverse, d("300"), d("330"), d("20"))
        );
        assert_eq!(f.budget_score, Some(d("8")));
        assert_eq!(f.lines[0].rate, Some(d("0.8")));
        assert_eq!(
            f.total,
            Some(sc.round(d("8") + d("18") + f.rows[2].score.unwrap_or_default()))
        );
        assert!(matches!(
            row_scoring(&t.indicators[3]),
            RowScoring::Qualitative
        ));
        let v = Value::default();
        assert!(matches!(
            row_scoring(&Indicator {
                value: v,
                ..Indicator::default()
            }),
            RowScoring::Typed
        ));
    }
}
