//! Counts named in 年度总体绩效目标 (`培训500人次`, `举办3场`), against the 数量指标.

use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::{similarity, tail};
use crate::check::vocab::is_word_char;
use crate::check::{Ctx, Forms, Rule, Vocab};
use crate::model::{Finding, IndicatorClass, Severity};
use crate::read::values::fold_width;

pub(crate) const COUNT_MISMATCH: Rule = Rule {
    id: "goal.count-mismatch",
    name: "目标数量与数量指标不符",
    severity: Severity::Warning,
    checks:
        "年度总体目标中写明的数量（培训500人次、举办3场）在数量指标中有相同单位、相同数值的指标",
    forms: Forms::Targets,
    example: "年度总体目标写“培训500人次”，而数量指标“培训人次”为“≥300人次”",
};

/// A count a goal text names (`培训500人次`).
pub(crate) struct Count {
    pub n: Decimal,
    pub unit: String,
    /// The words before it, in its clause.
    pub before: String,
    /// The noun right after it (`10个红枣主产镇` → `红枣主产镇`), empty at a clause's end.
    pub after: String,
    /// As written (`500人次`).
    pub written: String,
}

/// The counts a goal text names.
pub(crate) fn counts(ctx: &Ctx<'_>, goal: &str) -> Vec<Count> {
    let folded = fold_width(goal);
    let mut units: Vec<&str> = ctx
        .vocab
        .review
        .count_units
        .iter()
        .map(String::as_str)
        .collect();
    units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        if !c.is_ascii_digit()
            || prev.is_some_and(|p| {
                p.is_ascii_digit() || matches!(p, '.' | '-' | '~' | '第' | '至' | '/')
            })
        {
            k += 1;
            continue;
        }
        let mut end = k;
        while end < chars.len() && (chars[end].1.is_ascii_digit() || chars[end].1 == '.') {
            end += 1;
        }
        let num_end = chars.get(end).map_or(folded.len(), |x| x.0);
        let rest = &folded[num_end..];
        let rest_trim = rest.trim_start();
        let unit = units.iter().find(|u| rest_trim.starts_with(**u));
        // A range (`1-2个`) or a rate is not a count.
        let is_range = rest_trim.starts_with(['-', '~', '至']);
        if let (Some(u), false) = (unit, is_range) {
            if let Ok(n) = folded[start..num_end].parse::<Decimal>() {
                let before: String = folded[..start]
                    .rsplit([',', '，', ';', '；', '、', '。', ':'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                // What the count qualifies, when a noun follows it (`10个红枣主产镇`).
                let after: String = rest_trim[u.len()..]
                    .chars()
                    .take_while(|c| is_word_char(*c) && !c.is_ascii_digit())
                    .collect();
                out.push(Count {
                    n,
                    unit: (*u).to_string(),
                    before,
                    after,
                    written: format!("{}{u}", &folded[start..num_end]),
                });
            }
        }
        k = end.max(k + 1);
    }
    out
}

/// Names sharing this share of their word pairs are about the same thing.
const RELATED: f64 = 0.3;

/// True when a goal clause speaks of the whole implementation period (`2026—2028年`,
/// `累计`, `实施期内`).
fn whole_period(ctx: &Ctx<'_>, clause: &str) -> bool {
    static RANGE: OnceLock<Option<Regex>> = OnceLock::new();
    let range = RANGE.get_or_init(|| Regex::new(r"\d{4}\s*年?\s*[—–\-－~～至到]\s*\d{4}").ok());
    range.as_ref().is_some_and(|r| r.is_match(clause))
        || Vocab::mentions(&ctx.vocab.review.period_words, clause)
}

/// The goal's counts against the 数量指标.
pub(crate) fn count_findings(ctx: &Ctx<'_>) -> Vec<Finding> {
    let t = ctx.table;
    let quantity: Vec<usize> = ctx.of_class(IndicatorClass::Quantity).collect();
    if t.goal.trim().is_empty() || quantity.is_empty() {
        return Vec::new();
    }
    let unit_of = |i: usize| -> Option<String> {
        let ind = &t.indicators[i];
        ind.value
            .unit
            .clone()
            .or_else(|| ind.unit_column.clone())
            .filter(|u| !u.trim().is_empty())
    };
    let mut out = Vec::new();
    for Count {
        n,
        unit,
        before,
        after,
        written,
    } in counts(ctx, &t.goal)
    {
        // A count over the whole period (`2026—2028年建设…12个`) is not the year's.
        if whole_period(ctx, &before) {
            continue;
        }
        // The number stated by a 数量指标 in another measure word (`18个乡镇` ↔ `18座`), or
        // with no unit at all (values.nature reports the missing unit), is the one meant.
        if quantity
            .iter()
            .any(|i| t.indicators[*i].value.number == Some(n))
        {
            continue;
        }
        let same_unit: Vec<usize> = quantity
            .iter()
            .copied()
            .filter(|i| {
                t.indicators[*i].value.number.is_some()
                    && unit_of(*i).is_some_and(|u| ctx.vocab.same_unit(&u, &unit))
            })
            .collect();
        // A count that qualifies a noun (`在全县10个红枣主产镇开展…`) sets the scope; it is
        // compared only with a 数量指标 about the same thing. A count ending its clause
        // (`培训500人次`) is an output the 数量指标 should state.
        let about = if after.is_empty() { &before } else { &after };
        let best = same_unit
            .iter()
            .copied()
            .map(|i| (i, similarity(ctx, about, &t.indicators[i].name)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if !after.is_empty() && best.is_none_or(|(_, s)| s < RELATED) {
            continue;
        }
        let said = format!("{}{written}", tail(&before, 16));
        let (msg, expected) = match best.filter(|(_, s)| *s >= RELATED).map(|(i, _)| i) {
            Some(i) => {
                let ind = &t.indicators[i];
                (
                    format!(
                        "{}写“{said}”，而数量指标“{}”（{}）为“{}”，两者不一致",
                        ctx.label("goal"),
                        crate::check::clip(&ind.name, 24),
                        crate::check::cell_text(ind.cell),
                        ind.value.raw.trim()
                    ),
                    ind.value.raw.trim().to_string(),
                )
            }
            None => (
                format!(
                    "{}写“{said}”，数量指标中却没有以“{unit}”计的指标；请在数量指标中写明",
                    ctx.label("goal")
                ),
                format!("数量指标（{unit}）"),
            ),
        };
        out.push(
            ctx.finding(&COUNT_MISMATCH, ctx.cell_of("goal"), msg)
                .field("goal")
                .found_expected(written, expected),
        );
    }
    out
}
