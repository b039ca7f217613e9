//! Scores a self-evaluation read from a sheet as its profile's `[scoring]` says: each
//! quantitative indicator (`score_computed`), the budget block and the total, and the grade.
//! The reader calls it, so `jixiao import --json` shows the recomputed scores beside the
//! printed ones; the checker compares them.

use rust_decimal::Decimal;

use crate::model::{Execution, FormKind, Indicator, Table, Total};
use crate::selfeval::scoring::{Direction, RateBase, Scoring};

/// The direction an indicator is scored in: its comparator, else its 指标性质 word; qualitative
/// when the target has no number.
pub fn direction(ind: &Indicator) -> Direction {
    let nature = ind.nature.as_deref().and_then(Direction::from_sign);
    if nature == Some(Direction::Qualitative) || ind.value.number.is_none() {
        return Direction::Qualitative;
    }
    ind.value
        .comparator
        .as_deref()
        .and_then(Direction::from_sign)
        .or(nature)
        .unwrap_or(Direction::Equal)
}

/// The target, actual and weight of a quantitative row whose actual is a number.
pub fn inputs(ind: &Indicator) -> Option<(Decimal, Decimal, Decimal)> {
    let a = ind.value.number?;
    let b = ind.result.actual.as_ref()?.value.number?;
    let w = ind.weight?;
    Some((a, b, w))
}

/// The budget and executed amounts the budget score is measured with: the total line's, or,
/// when the total line prints nothing (or zero) but its parts do, the parts' sums.
pub fn budget_basis(ex: &Execution, scoring: &Scoring) -> Option<(Decimal, Decimal)> {
    let pick = |l: &crate::model::ExecutionLine| -> (Option<Decimal>, Option<Decimal>) {
        let budget = match scoring.rate_base {
            RateBase::Adjusted => l.adjusted.as_ref().or(l.initial.as_ref()),
            RateBase::Initial => l.initial.as_ref().or(l.adjusted.as_ref()),
        }
        .and_then(|f| f.value);
        (budget, l.executed.as_ref().and_then(|f| f.value))
    };
    let total = ex.lines.first()?;
    match pick(total) {
        (Some(p), Some(e)) if p > Decimal::ZERO => Some((p, e)),
        _ => {
            let (mut p, mut e, mut any) = (Decimal::ZERO, Decimal::ZERO, false);
            for l in ex.lines.iter().skip(1).filter(|l| l.parent == Some(0)) {
                let (lp, le) = pick(l);
                if let Some(lp) = lp {
                    p += lp;
                    any = true;
                }
                e += le.unwrap_or_default();
            }
            (any && p > Decimal::ZERO).then_some((p, e))
        }
    }
}

/// Fills `score_computed` of each indicator, of the budget block and of the total, and the
/// computed grade.
pub fn recompute(table: &mut Table) {
    let Some(spec) = table.profile.get().selfeval.as_ref() else {
        return;
    };
    if table.form != FormKind::SelfEvaluation {
        return;
    }
    let scoring = &spec.scoring;
    for ind in &mut table.indicators {
        ind.result.score_computed = match (direction(ind), inputs(ind)) {
            (Direction::Qualitative, _) | (_, None) => None,
            (dir, Some((a, b, w))) => scoring.score(dir, a, b, w),
        };
    }
    let mut total = Decimal::ZERO;
    if let Some(ex) = table.execution.as_mut() {
        let weight = ex
            .weight
            .as_ref()
            .and_then(|f| f.value)
            .unwrap_or(scoring.budget_weight);
        ex.score_computed =
            budget_basis(ex, scoring).and_then(|(p, e)| scoring.budget_score(e, p, weight));
        total += ex
            .score_computed
            .or_else(|| ex.score.as_ref().and_then(|f| f.value))
            .unwrap_or_default();
    }
    for ind in &table.indicators {
        total += ind
            .result
            .score_computed
            .or_else(|| ind.result.score.as_ref().and_then(|f| f.value))
            .unwrap_or_default();
    }
    let t = table.total.get_or_insert_with(Total::default);
    t.score_computed = Some(total);
    let basis = t.score.as_ref().and_then(|f| f.value).unwrap_or(total);
    t.grade_computed = Some(scoring.grade(basis).to_string());
}
