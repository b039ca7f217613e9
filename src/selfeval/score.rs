//! Scores a self-evaluation read from a sheet as its profile's `[scoring]` says: each
//! quantitative indicator (`score_computed`), the budget block and the total, and the grade.
//! The reader calls it, so `jixiao import --json` shows the recomputed scores beside the
//! printed ones; the checker compares them.

use rust_decimal::Decimal;

use crate::model::{Execution, FormKind, Indicator, Table, Total};
use crate::selfeval::scoring::{Direction, RateBase, Scoring};

/// The direction an indicator is scored in: its comparator, else its 指标性质 word, else, for a
/// target printed without a sign, what its name measures (`预算调整率 3%`, `公用经费控制率 100%`:
/// less is better, by the vocabulary's `[review] lower_is_better`; otherwise 等于); qualitative
/// when the target has no number.
pub fn direction(ind: &Indicator) -> Direction {
    let nature = ind.nature.as_deref().and_then(Direction::from_sign);
    if nature == Some(Direction::Qualitative) || ind.value.number.is_none() {
        return Direction::Qualitative;
    }
    // The reader gives an unsigned target the comparator `=`: only a typed one says 等于.
    let typed_equal = ["=", "＝", "﹦", "等于"]
        .iter()
        .any(|w| ind.value.raw.contains(w));
    ind.value
        .comparator
        .as_deref()
        .filter(|c| *c != "=" || typed_equal)
        .and_then(Direction::from_sign)
        .or(nature)
        .unwrap_or_else(|| {
            if crate::check::Vocab::builtin().lower_is_better(&ind.name) {
                Direction::Reverse
            } else {
                Direction::Equal
            }
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::values::parse_value;

    fn ind(name: &str, value: &str, nature: Option<&str>) -> Indicator {
        Indicator {
            name: name.to_string(),
            value: parse_value(value),
            nature: nature.map(str::to_string),
            ..Indicator::default()
        }
    }

    #[test]
    fn an_unsigned_target_is_scored_by_what_its_name_measures() {
        // No sign: less is better where the name says so, else a level to reach (等于).
        assert_eq!(
            direction(&ind("预算调整率", "3%", None)),
            Direction::Reverse
        );
        assert_eq!(
            direction(&ind("公用经费控制率", "100%", None)),
            Direction::Reverse
        );
        assert_eq!(
            direction(&ind("有效投诉次数", "2次", None)),
            Direction::Reverse
        );
        assert_eq!(direction(&ind("投诉处理率", "95%", None)), Direction::Equal);
        assert_eq!(
            direction(&ind("政府采购执行率", "100%", None)),
            Direction::Equal
        );
        // A typed sign or 指标性质 word is what the department said, whatever the name.
        assert_eq!(direction(&ind("预算调整率", "=3%", None)), Direction::Equal);
        assert_eq!(
            direction(&ind("预算调整率", "≥3%", None)),
            Direction::Positive
        );
        assert_eq!(
            direction(&ind("预算调整率", "3%", Some("正向"))),
            Direction::Positive
        );
        assert_eq!(
            direction(&ind("预算调整率", "低", None)),
            Direction::Qualitative
        );
    }
}
