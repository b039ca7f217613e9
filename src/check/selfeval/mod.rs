//! Checks of self-evaluation and monitoring tables (`selfeval.*`): scores against the
//! profile's `[scoring]` (the same [`Scoring`] the prefill writer's formulas come from), the
//! budget block's sums and rate, weights and totals, the narrative cells, and for monitoring
//! the likelihood and the pace of spending. Every rule is in the registry (`check::catalogue`).
//!
//! ```text
//!  | 年度资金总额 | 0  | 0      | 0      | 10 | 0      | 0 |  ← line-sum (the parts add to 100), budget-score
//!  | 其中：财政拨款| 90 | 90     | 89.974 |    | 99.97% |   |
//!  | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 |
//!  | 工程处数 | ≥200处     | 200处      | 20   | 19.6 |          |  ← score-mismatch, no-reason
//! ```

pub mod link;
pub(crate) mod rules;

use rust_decimal::Decimal;

use super::Ctx;
use crate::cell::CellRef;
use crate::model::{Finding, FormKind, Indicator, LikelihoodLevel, Table};
use crate::selfeval::score::{budget_basis, direction, inputs};
use crate::selfeval::scoring::{Direction, Scoring};
use crate::selfeval::words::{points_in, Words};
use rules::*;

/// Amounts that differ by at most this many 万元 count as equal.
fn amount_tolerance() -> Decimal {
    Decimal::new(5, 3)
}

/// Runs every `selfeval.*` rule on a self-evaluation or monitoring table.
pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let t = ctx.table;
    let Some(spec) = t.profile.get().selfeval.as_ref() else {
        return Vec::new();
    };
    if t.form == FormKind::Targets {
        return Vec::new();
    }
    let s = &spec.scoring;
    let mut out = Vec::new();
    execution(ctx, s, &mut out);
    if t.form == FormKind::SelfEvaluation {
        for ind in t.indicators.iter().filter(|i| !i.name.trim().is_empty()) {
            indicator(ctx, s, ind, &mut out);
        }
        totals(ctx, s, &mut out);
        blocks(ctx, &mut out);
    } else {
        monitoring(ctx, s, &mut out);
    }
    prompts(ctx, &mut out);
    out
}

fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

fn money(d: Decimal) -> String {
    let mut d = d.round_dp(2);
    d.rescale(2);
    d.to_string()
}

/// True when a reason cell says something (not blank, not the form's prompt).
fn said(text: Option<&str>) -> bool {
    text.is_some_and(|t| {
        let t = t.trim();
        !t.is_empty() && !Words::get().is_prompt(t) && !matches!(t, "无" | "/" | "—" | "-")
    })
}

/// The cell of a grid column (by its role) on an indicator's row.
fn cell_in(t: &Table, ind: &Indicator, role: &str) -> Option<CellRef> {
    let row = ind.name_cell.or(ind.cell)?.row;
    let col = t.columns.iter().find(|c| c.role == role)?.cell?.col;
    Some(CellRef::new(row, col))
}

/// The table-level deviation narrative (forms without a reason column).
fn narrative(t: &Table, key: &str) -> Option<String> {
    t.metadata
        .iter()
        .find(|m| m.key == key)
        .map(|m| m.value.clone())
}

fn indicator(ctx: &Ctx<'_>, s: &Scoring, ind: &Indicator, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let r = &ind.result;
    let name = &ind.name;
    let score = r.score.as_ref().and_then(|f| f.value);
    let score_cell = r
        .score
        .as_ref()
        .and_then(|f| f.cell)
        .or_else(|| cell_in(t, ind, "score"));
    let actual_cell = r
        .actual
        .as_ref()
        .and_then(|a| a.cell)
        .or_else(|| cell_in(t, ind, "actual"));
    let has_actual = r.actual.as_ref().is_some_and(|a| !a.value.is_empty());
    let dir = direction(ind);
    if !ind.value.is_empty() && !has_actual && actual_cell.is_some() {
        out.push(
            ctx.finding(
                &ACTUAL_BLANK,
                actual_cell,
                format!("指标“{name}”（指标值 {}）未填写实际完成值", ind.value.raw),
            )
            .field(format!("indicators[{name}].actual")),
        );
    }
    if score.is_none() && score_cell.is_some() {
        out.push(ctx.finding(&SCORE_BLANK, score_cell, format!("指标“{name}”未填写得分")));
    }
    if dir != Direction::Qualitative
        && has_actual
        && r.actual.as_ref().is_some_and(|a| a.value.number.is_none())
    {
        let raw = r.actual.as_ref().map_or("", |a| a.value.raw.as_str());
        out.push(ctx.finding(
            &ACTUAL_NOT_NUMBER,
            actual_cell,
            format!(
                "指标“{name}”的指标值为 {}，实际完成值却为“{raw}”，无法按计分规则计分",
                ind.value.raw
            ),
        ));
    }
    let (Some(score), Some(weight)) = (score, ind.weight) else {
        return;
    };
    if score > weight {
        out.push(
            ctx.finding(
                &SCORE_OVER_WEIGHT,
                score_cell,
                format!("指标“{name}”得分 {}，超过分值 {}", n(score), n(weight)),
            )
            .found_expected(n(score), format!("≤ {}", n(weight))),
        );
    } else if let Some(computed) = r.score_computed {
        if (score - computed).abs() > s.tolerance {
            let (a, b, _) = inputs(ind).unwrap_or_default();
            let how = match dir {
                Direction::Reverse => s.reverse.describe().to_string(),
                _ => format!(
                    "{}指标按 实际值/指标值×分值 计分，达到指标值记满分",
                    dir.label()
                ),
            };
            out.push(
                ctx.finding(
                    &SCORE_MISMATCH,
                    score_cell,
                    format!(
                        "指标“{name}”指标值 {}，实际完成 {}，应得 {}（分值 {}；{how}），表中得分 {}",
                        ind.value.raw,
                        r.actual.as_ref().map_or(n(b), |x| x.value.raw.clone()),
                        n(computed),
                        n(weight),
                        n(score)
                    ),
                )
                .found_expected(n(score), n(computed)),
            );
            let _ = a;
        }
    }
    if score < weight {
        let has_column = t.columns.iter().any(|c| c.role == "reason");
        let reason = if has_column {
            r.reason.as_ref().map(|x| x.text.clone())
        } else {
            narrative(t, "deviation")
        };
        if !said(reason.as_deref()) {
            out.push(ctx.finding(
                &NO_REASON,
                score_cell,
                format!(
                    "指标“{name}”得分 {}（分值 {}），未填写偏差原因分析及改进措施",
                    n(score),
                    n(weight)
                ),
            ));
        }
    }
    if dir == Direction::Qualitative {
        let band = r.actual.as_ref().and_then(|a| s.band_of(&a.value.raw));
        if let Some(band) = band {
            if !s.in_band(band, weight, score) {
                let (lo, hi, _) = s.band_range(band, weight);
                out.push(ctx.finding(
                    &BAND,
                    score_cell,
                    format!(
                        "指标“{name}”为“{}”{}，得分应在 {}–{} 之间，表中为 {}",
                        r.actual.as_ref().map_or("", |a| a.value.raw.as_str()),
                        match r.actual.as_ref() {
                            Some(a) if a.value.raw.trim() != band.label() =>
                                format!("（{}）", band.label()),
                            _ => String::new(),
                        },
                        n(lo),
                        n(hi),
                        n(score)
                    ),
                ));
            }
        }
    }
    if let (Direction::Positive | Direction::Equal, Some((a, b, _))) = (dir, inputs(ind)) {
        if s.over_achievement > Decimal::ZERO
            && a > Decimal::ZERO
            && b >= a * s.over_achievement
            && !said(r.reason.as_ref().map(|x| x.text.as_str()))
        {
            out.push(ctx.finding(
                &OVER_ACHIEVEMENT,
                actual_cell,
                format!(
                    "指标“{name}”实际完成 {}，是指标值 {} 的 {} 倍（超过 {} 倍），未说明原因：指标值是否定得偏低？",
                    r.actual.as_ref().map_or("", |x| x.value.raw.as_str()),
                    ind.value.raw,
                    n((b / a).round_dp(2)),
                    n(s.over_achievement)
                ),
            ));
        }
    }
}

fn execution(ctx: &Ctx<'_>, s: &Scoring, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let Some(ex) = t.execution.as_ref() else {
        return;
    };
    let Some(total) = ex.lines.first() else {
        return;
    };
    // The total line against its parts, column by column.
    type Get = fn(&crate::model::ExecutionLine) -> Option<&crate::model::Figure>;
    let columns: [(&str, Get); 4] = [
        ("年初预算数", |l| l.initial.as_ref()),
        ("全年预算数", |l| l.adjusted.as_ref()),
        ("执行数", |l| l.executed.as_ref()),
        ("全年预计执行数", |l| l.forecast.as_ref()),
    ];
    let parts: Vec<_> = ex.lines.iter().filter(|l| l.parent == Some(0)).collect();
    for (what, get) in columns {
        let Some(tf) = get(total) else { continue };
        let values: Vec<Decimal> = parts.iter().filter_map(|l| get(l)?.value).collect();
        if values.is_empty() {
            continue;
        }
        let sum: Decimal = values.iter().sum();
        let tv = tf.value.unwrap_or_default();
        if (tv - sum).abs() > amount_tolerance() {
            out.push(
                ctx.finding(
                    &LINE_SUM,
                    tf.cell,
                    format!(
                        "{}的{what}为 {}，而各分项之和为 {}",
                        total.label.trim_end_matches([':', '：']),
                        money(tv),
                        money(sum)
                    ),
                )
                .found_expected(money(tv), money(sum)),
            );
        }
    }
    // Each line's rate, and spending over the budget.
    for l in &ex.lines {
        let budget = l
            .adjusted
            .as_ref()
            .or(l.initial.as_ref())
            .and_then(|f| f.value);
        let executed = l.executed.as_ref().and_then(|f| f.value);
        let (Some(p), Some(e)) = (budget, executed) else {
            continue;
        };
        if p <= Decimal::ZERO {
            continue;
        }
        let rate = e * Decimal::ONE_HUNDRED / p;
        if e > p + amount_tolerance() && t.form == FormKind::SelfEvaluation {
            out.push(
                ctx.finding(
                    &RATE_OVER,
                    l.rate
                        .as_ref()
                        .and_then(|f| f.cell)
                        .or(l.executed.as_ref().and_then(|f| f.cell)),
                    format!(
                        "“{}”执行数 {} 超过预算数 {}（执行率 {}%）",
                        l.label,
                        money(e),
                        money(p),
                        money(rate)
                    ),
                ),
            );
        }
        if let Some(printed) = l.rate.as_ref().and_then(|f| f.value.map(|v| (v, f.cell))) {
            if (printed.0 - rate).abs() > Decimal::new(5, 1) {
                out.push(ctx.finding(
                    &RATE_MISMATCH,
                    printed.1,
                    format!(
                        "“{}”执行率印为 {}%，而 {} / {} = {}%",
                        l.label,
                        n(printed.0),
                        money(e),
                        money(p),
                        money(rate)
                    ),
                ));
            }
        }
    }
    let reason = ex.reason.as_ref().map(|r| r.text.as_str());
    if t.form == FormKind::SelfEvaluation {
        let weight = ex
            .weight
            .as_ref()
            .and_then(|f| f.value)
            .unwrap_or(s.budget_weight);
        let score_cell = ex.score.as_ref().and_then(|f| f.cell);
        match (ex.score.as_ref().and_then(|f| f.value), ex.score_computed) {
            (None, _) if score_cell.is_some() => {
                out.push(ctx.finding(&SCORE_BLANK, score_cell, "预算执行未填写得分"));
            }
            (Some(printed), Some(computed)) if (printed - computed).abs() > s.tolerance => {
                let (p, e) = budget_basis(ex, s).unwrap_or_default();
                out.push(
                    ctx.finding(
                        &BUDGET_SCORE,
                        score_cell,
                        format!(
                            "执行率 {}%（{} / {}），预算执行得分应为 {}（分值 {}），表中为 {}",
                            money(e * Decimal::ONE_HUNDRED / p),
                            money(e),
                            money(p),
                            money(computed),
                            n(weight),
                            n(printed)
                        ),
                    )
                    .found_expected(n(printed), money(computed)),
                );
            }
            _ => {}
        }
        if let Some((p, e)) = budget_basis(ex, s) {
            let rate = e * Decimal::ONE_HUNDRED / p;
            if s.rate_reason_below > Decimal::ZERO && rate < s.rate_reason_below && !said(reason) {
                out.push(ctx.finding(
                    &RATE_REASON,
                    total.rate.as_ref().and_then(|f| f.cell),
                    format!(
                        "预算执行率 {}%，低于 {}%，未说明原因",
                        money(rate),
                        n(s.rate_reason_below)
                    ),
                ));
            }
        }
        let initial = total.initial.as_ref().and_then(|f| f.value);
        let adjusted = total.adjusted.as_ref().and_then(|f| f.value);
        if let (true, Some(i), Some(a)) = (s.adjust_reason, initial, adjusted) {
            if (i - a).abs() > amount_tolerance() && !said(reason) {
                out.push(ctx.finding(
                    &ADJUST_REASON,
                    total.adjusted.as_ref().and_then(|f| f.cell),
                    format!(
                        "年初预算 {}，调整后预算数 {}，未说明调整理由",
                        money(i),
                        money(a)
                    ),
                ));
            }
        }
    }
}

fn totals(ctx: &Ctx<'_>, s: &Scoring, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let named: Vec<&Indicator> = t
        .indicators
        .iter()
        .filter(|i| !i.name.trim().is_empty())
        .collect();
    let budget_weight = t
        .execution
        .as_ref()
        .and_then(|e| e.weight.as_ref()?.value)
        .unwrap_or(s.budget_weight);
    let total = t.total.as_ref();
    // Weights: only when every row has one.
    if !named.is_empty() && named.iter().all(|i| i.weight.is_some()) {
        let sum: Decimal = named.iter().filter_map(|i| i.weight).sum();
        let all = sum + budget_weight;
        let printed = total.and_then(|x| x.weight.as_ref());
        let hundred = Decimal::ONE_HUNDRED;
        let wrong_print = printed
            .and_then(|f| f.value)
            .is_some_and(|p| (p - all).abs() > s.tolerance);
        if (all - hundred).abs() > s.tolerance || wrong_print {
            out.push(
                ctx.finding(
                    &WEIGHT_SUM,
                    printed.and_then(|f| f.cell).or(named[0].result.weight_cell),
                    format!(
                        "预算执行分值 {} + 各指标分值 {} = {}{}",
                        n(budget_weight),
                        n(sum),
                        n(all),
                        match printed.and_then(|f| f.value) {
                            Some(p) if (p - all).abs() > s.tolerance =>
                                format!("，总分行印的分值合计为 {}", n(p)),
                            _ => "，不是 100".to_string(),
                        }
                    ),
                )
                .found_expected(n(all), "100"),
            );
        }
        // 一级 labels that carry points: `产出指标(50分)`.
        let mut seen: Vec<&str> = Vec::new();
        for i in &named {
            if seen.contains(&i.level1.as_str()) {
                continue;
            }
            seen.push(&i.level1);
            let Some(points) = points_in(&i.level1) else {
                continue;
            };
            let level_sum: Decimal = named
                .iter()
                .filter(|j| j.level1 == i.level1)
                .filter_map(|j| j.weight)
                .sum();
            if (level_sum - points).abs() > s.tolerance {
                out.push(ctx.finding(
                    &LEVEL_WEIGHT,
                    i.result.weight_cell,
                    format!("“{}”下各指标分值之和为 {}", i.level1, n(level_sum)),
                ));
            }
        }
    }
    let Some(total) = total else { return };
    if let Some(printed) = total
        .score
        .as_ref()
        .and_then(|f| f.value.map(|v| (v, f.cell)))
    {
        let budget = t
            .execution
            .as_ref()
            .and_then(|e| e.score.as_ref()?.value)
            .unwrap_or_default();
        let scores: Decimal = named
            .iter()
            .filter_map(|i| i.result.score.as_ref()?.value)
            .sum();
        if (printed.0 - budget - scores).abs() > s.tolerance {
            out.push(
                ctx.finding(
                    &TOTAL_SUM,
                    printed.1,
                    format!(
                        "总分 {}，而预算执行得分 {} + 各指标得分 {} = {}",
                        n(printed.0),
                        n(budget),
                        n(scores),
                        n(budget + scores)
                    ),
                )
                .found_expected(n(printed.0), n(budget + scores)),
            );
        }
        if let Some(g) = total.grade.as_ref() {
            let want = s.grade(printed.0);
            if g.text.trim() != want {
                out.push(ctx.finding(
                    &GRADE,
                    g.cell,
                    format!("总分 {} 应评为“{want}”，表中为“{}”", n(printed.0), g.text),
                ));
            }
        }
    }
}

/// Forms scored by goal blocks (`年度绩效目标1（40分）`): every target of a block met ⇒ full points.
fn blocks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let mut labels: Vec<&crate::model::Note> = Vec::new();
    for i in &t.indicators {
        if let Some(b) = &i.result.block {
            if !labels.iter().any(|l| l.cell == b.cell) {
                labels.push(b);
            }
        }
    }
    for b in labels {
        let Some(points) = points_in(&b.text) else {
            continue;
        };
        let rows: Vec<&Indicator> = t
            .indicators
            .iter()
            .filter(|i| i.result.block.as_ref().is_some_and(|x| x.cell == b.cell))
            .collect();
        let met = rows.iter().all(|i| target_met(i));
        let sum: Decimal = rows
            .iter()
            .filter_map(|i| i.result.score.as_ref()?.value)
            .sum();
        if met && sum < points {
            let why = if said(narrative(t, "deviation").as_deref()) {
                ""
            } else {
                "，也未说明偏差原因"
            };
            out.push(ctx.finding(
                &BLOCK_FULL,
                b.cell,
                format!(
                    "“{}”各指标都已达到指标值，得分合计却为 {}{why}",
                    b.text,
                    n(sum)
                ),
            ));
        }
    }
}

/// True when a row's actual reaches its target (as the direction reads), or is the 达成 band.
fn target_met(i: &Indicator) -> bool {
    let Some(actual) = i.result.actual.as_ref() else {
        return false;
    };
    match (direction(i), i.value.number, actual.value.number) {
        (Direction::Reverse, Some(a), Some(b)) => b <= a,
        (Direction::Positive | Direction::Equal, Some(a), Some(b)) => b >= a,
        _ => actual.value.raw.trim() == i.value.raw.trim(),
    }
}

fn monitoring(ctx: &Ctx<'_>, s: &Scoring, out: &mut Vec<Finding>) {
    let t = ctx.table;
    for ind in t.indicators.iter().filter(|i| !i.name.trim().is_empty()) {
        let Some(l) = ind.result.likelihood.as_ref() else {
            continue;
        };
        if l.level == LikelihoodLevel::Certain {
            continue;
        }
        let reason = ind.result.reason.as_ref().map(|r| r.text.as_str());
        let has_text = said(reason) || ind.result.causes.iter().any(|c| c.text.chars().count() > 2);
        if !has_text {
            out.push(ctx.finding(
                &LIKELIHOOD_NO_CAUSE,
                l.cell,
                format!(
                    "指标“{}”完成目标可能性为“{}”，未说明偏差原因和拟采取的措施",
                    ind.name,
                    l.level.label()
                ),
            ));
        }
    }
    let Some(ex) = t.execution.as_ref() else {
        return;
    };
    let (Some(month), Some(total)) = (ex.month, ex.lines.first()) else {
        return;
    };
    let budget = total
        .initial
        .as_ref()
        .or(total.adjusted.as_ref())
        .and_then(|f| f.value);
    let executed = total.executed.as_ref().and_then(|f| f.value);
    let (Some(p), Some(e)) = (budget, executed) else {
        return;
    };
    if p <= Decimal::ZERO {
        return;
    }
    let rate = e * Decimal::ONE_HUNDRED / p;
    let elapsed = Decimal::from(month) * Decimal::ONE_HUNDRED / Decimal::from(12);
    if elapsed - rate > s.schedule_lag {
        out.push(ctx.finding(
            &BEHIND_SCHEDULE,
            total.executed.as_ref().and_then(|f| f.cell),
            format!(
                "1-{month}月执行 {} / {} = {}%，时间进度 {}%，落后 {} 个百分点",
                money(e),
                money(p),
                money(rate),
                money(elapsed),
                money(elapsed - rate)
            ),
        ));
    }
}

/// Narrative cells still holding the form's printed prompt.
fn prompts(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let words = Words::get();
    if let Some(text) = t.goal_actual.as_deref() {
        if words.is_prompt(text) {
            out.push(ctx.finding(
                &PROMPT,
                t.cell_of("goal_actual"),
                format!("“实际完成情况”仍为表样提示语“{text}”"),
            ));
        }
    }
    for m in &t.metadata {
        if words.narrative_key(&m.label).is_some() && words.is_prompt(&m.value) {
            out.push(ctx.finding(
                &PROMPT,
                m.cell,
                format!("“{}”仍为表样提示语“{}”", m.label, m.value),
            ));
        }
    }
}
