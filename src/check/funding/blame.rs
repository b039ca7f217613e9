//! Reporting a failing identity: which amount to blame, and the finding's words.

use rust_decimal::Decimal;

use super::block::{Identity, Kind, Var};
use super::{COST_SUM, PERIOD_COSTS, ROUNDED, TOTAL_ANNUAL};
use crate::check::{fmt_money, Ctx};
use crate::model::Finding;

/// The number of decimals an amount was written with.
pub(super) fn decimals(d: Decimal) -> u32 {
    d.normalize().scale()
}

/// An identity that holds within the tolerance: say so, and which side is rounded.
pub(super) fn rounded(ctx: &Ctx<'_>, id: &Identity, vars: &[Var], tol: Decimal) -> Finding {
    let total = &vars[id.total];
    let sum = id.sum(vars);
    let parts_label = if id.rule.id == COST_SUM.id {
        format!("成本指标合计（{} 项）", id.parts.len())
    } else if id.parts.len() == 1 {
        vars[id.parts[0]].label.clone()
    } else {
        let names: Vec<&str> = id.parts.iter().map(|p| vars[*p].label.as_str()).collect();
        format!("{} 之和", names.join(" + "))
    };
    let total_places = decimals(total.value);
    let parts_places = id
        .parts
        .iter()
        .map(|p| decimals(vars[*p].value))
        .max()
        .unwrap_or(0);
    let which = match total_places.cmp(&parts_places) {
        std::cmp::Ordering::Greater => format!(
            "{parts_label}只写到 {} 位小数，是四舍五入后的金额",
            parts_places
        ),
        std::cmp::Ordering::Less => format!(
            "{}只写到 {} 位小数，是四舍五入后的金额",
            total.label, total_places
        ),
        std::cmp::Ordering::Equal => "两边小数位数相同，请核对是否有一边四舍五入".to_string(),
    };
    ctx.finding(
        &ROUNDED,
        total.cell,
        format!(
            "{}{} {} 万元，{parts_label} {} 万元，相差 {} 万元，在容差 {} 万元以内，视为相等；{which}",
            id.scope,
            total.label,
            total.value.normalize(),
            sum.normalize(),
            (total.value - sum).abs().normalize(),
            tol.normalize()
        ),
    )
    .field(total.field.clone())
    .found_expected(total.value.normalize().to_string(), sum.normalize().to_string())
}

/// Cost rows adding up to 项目总额 in a multi-year project: they are the period's costs.
pub(super) fn multi_year(
    ctx: &Ctx<'_>,
    id: &Identity,
    vars: &[Var],
    total: Option<usize>,
    cost_vars: &[(usize, usize)],
) -> Finding {
    let annual = &vars[id.total];
    let sum = id.sum(vars);
    let p = total.map_or(sum, |p| vars[p].value);
    let cell = cost_vars.first().and_then(|(v, _)| vars[*v].cell);
    ctx.finding(
        &PERIOD_COSTS,
        cell,
        format!(
            "成本指标合计 {} 万元（{} 项）等于{} {} 万元，而不是{} {} 万元：看来填的是整个实施期的成本；年度表的成本指标应按本年度的资金填写",
            fmt_money(sum),
            id.parts.len(),
            ctx.label("funding.total"),
            fmt_money(p),
            annual.label,
            fmt_money(annual.value)
        ),
    )
    .field(annual.field.clone())
    .found_expected(fmt_money(sum), fmt_money(annual.value))
}

/// The amount to blame for a failing identity, if one stands out.
pub(super) fn blame(
    id: &Identity,
    failing: &[&Identity],
    k: usize,
    vars: &[Var],
    confirmed: &[bool],
    claims: &[Option<Decimal>],
) -> Option<usize> {
    let mut cands: Vec<usize> = id
        .vars()
        .filter(|v| !confirmed[*v] && !vars[*v].derived)
        .collect();
    if cands.len() > 1 {
        let shared: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|v| {
                failing
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != k && other.vars().any(|x| x == *v))
            })
            .collect();
        if !shared.is_empty() {
            cands = shared;
        }
    }
    if cands.len() > 1 {
        // The goal text names the very amount the identity needs.
        let claimed: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|v| claims[*v] == Some(id.solve(vars, *v)))
            .collect();
        if claimed.len() == 1 {
            cands = claimed;
        }
    }
    if cands.len() > 1 {
        let nonzero: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|v| !vars[*v].value.is_zero())
            .collect();
        if !nonzero.is_empty() {
            cands = nonzero;
        }
    }
    if cands.len() > 1 {
        let to_zero: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|v| id.solve(vars, *v).is_zero())
            .collect();
        if to_zero.len() == 1 {
            cands = to_zero;
        }
    }
    (cands.len() == 1).then(|| cands[0])
}

pub(super) fn report(
    ctx: &Ctx<'_>,
    id: &Identity,
    vars: &[Var],
    suspect: Option<usize>,
    total_confirmed: bool,
) -> Finding {
    let total = &vars[id.total];
    let sum = id.sum(vars);
    let mut msg = if id.rule.id == COST_SUM.id {
        let diff = sum - total.value;
        format!(
            "成本指标合计 {} 万元（{} 项），{} {} 万元，相差 {} 万元",
            fmt_money(sum),
            id.parts.len(),
            total.label,
            fmt_money(total.value),
            fmt_money(diff.abs())
        )
    } else if id.rule.id == TOTAL_ANNUAL.id {
        let annual = &vars[id.parts[0]];
        if id.kind == Kind::Equal {
            format!(
                "项目期为一年，{} {} 万元 应等于 {} {} 万元",
                total.label,
                fmt_money(total.value),
                annual.label,
                fmt_money(annual.value)
            )
        } else {
            format!(
                "{} {} 万元 小于 {} {} 万元",
                total.label,
                fmt_money(total.value),
                annual.label,
                fmt_money(annual.value)
            )
        }
    } else {
        let expr: Vec<String> = id
            .parts
            .iter()
            .map(|p| format!("{} {}", vars[*p].label, fmt_money(vars[*p].value)))
            .collect();
        format!(
            "{}{} {} 万元，而 {} = {} 万元",
            id.scope,
            total.label,
            fmt_money(total.value),
            expr.join(" + "),
            fmt_money(sum)
        )
    };
    // Amounts ten thousand times the others: 元 typed where the table counts in 万元.
    let yuan = yuan_hint(ctx, id, vars);
    let suspect = match &yuan {
        Some(Yuan::Fixes(v)) if v.len() == 1 => Some(v[0]),
        // Which side is in 元 is the question, not which amount to mend.
        Some(Yuan::Magnitude(_)) => None,
        _ => suspect,
    };
    let (blamed, expected) = match suspect {
        Some(s) => {
            let want = id.solve(vars, s);
            let want_text = if id.kind == Kind::AtLeast && s == id.total {
                format!("≥ {}", fmt_money(want))
            } else if id.kind == Kind::AtLeast {
                format!("≤ {}", fmt_money(want))
            } else {
                fmt_money(want)
            };
            let at = vars[s]
                .cell
                .map_or_else(String::new, |c| format!("（{c}）"));
            if let Some(Yuan::Fixes(_)) = &yuan {
                let wan = vars[s].value / Decimal::from(10_000);
                msg.push_str(&format!(
                    "；{}{at}{} 是其他金额的约一万倍，像是按元填写的：折合 {} 万元，合计即相符",
                    vars[s].label,
                    fmt_money(vars[s].value),
                    wan.normalize()
                ));
            } else if want < Decimal::ZERO {
                msg.push_str(&format!("；请核对{}{at}", vars[s].label));
            } else {
                msg.push_str(&format!(
                    "；按其他金额推算，{}{at}应为 {want_text} 万元",
                    vars[s].label
                ));
            }
            (&vars[s], want_text)
        }
        None => {
            msg.push_str(&if id.rule.id == COST_SUM.id && total_confirmed {
                format!("；{}与各项资金一致，请逐项核对成本指标的金额", total.label)
            } else if id.rule.id == COST_SUM.id {
                format!("；请核对各项成本指标的金额和{}", total.label)
            } else {
                match &yuan {
                    Some(Yuan::Fixes(v)) => {
                        let named: Vec<String> = v
                            .iter()
                            .map(|i| format!("{} {}", vars[*i].label, fmt_money(vars[*i].value)))
                            .collect();
                        format!(
                            "；{} 是其他金额的约一万倍，像是按元填写的：折合为万元后合计即相符",
                            named.join("、")
                        )
                    }
                    Some(Yuan::Magnitude(v)) => {
                        let named: Vec<String> = v
                            .iter()
                            .map(|i| format!("{} {}", vars[*i].label, fmt_money(vars[*i].value)))
                            .collect();
                        format!(
                            "；两边相差约一万倍，{} 可能是按元填写的（本表金额单位为万元），请逐项核对",
                            named.join("、")
                        )
                    }
                    None => "；无法判断哪一项有误，请逐项核对".to_string(),
                }
            });
            let want = if id.kind == Kind::AtLeast {
                format!("≥ {}", fmt_money(sum))
            } else {
                fmt_money(sum)
            };
            (total, want)
        }
    };
    ctx.finding(id.rule, blamed.cell, msg)
        .field(blamed.field.clone())
        .found_expected(fmt_money(blamed.value), expected)
}

/// What the amounts of a failing identity say about 元 typed in a table of 万元.
enum Yuan {
    /// Read as 元, these amounts make the identity hold.
    Fixes(Vec<usize>),
    /// The two sides differ by about ten thousand times; these amounts are on the larger one.
    Magnitude(Vec<usize>),
}

/// Amounts of a failing identity that look typed in 元 where the table counts in 万元: the
/// ones that, divided by 10000, make it hold (all of them at once, else one alone), or, when
/// no such division does, the amounts of the side a thousand times or more the other.
fn yuan_hint(ctx: &Ctx<'_>, id: &Identity, vars: &[Var]) -> Option<Yuan> {
    let unit = ctx.table.unit.trim();
    if !(unit.is_empty() || unit.contains('万')) {
        return None;
    }
    let wan = Decimal::from(10_000);
    let big: Vec<usize> = id.vars().filter(|v| vars[*v].value.abs() >= wan).collect();
    if big.is_empty() {
        return None;
    }
    let tolerance = Decimal::new(1, 2);
    let holds_with = |scaled: &[usize]| {
        let v = |i: usize| {
            if scaled.contains(&i) {
                vars[i].value / wan
            } else {
                vars[i].value
            }
        };
        let sum: Decimal = id.parts.iter().map(|p| v(*p)).sum();
        let total = v(id.total);
        match id.kind {
            Kind::Equal => (total - sum).abs() <= tolerance,
            Kind::AtLeast => total >= sum - tolerance,
        }
    };
    if holds_with(&big) {
        return Some(Yuan::Fixes(big));
    }
    let alone: Vec<usize> = big.iter().copied().filter(|b| holds_with(&[*b])).collect();
    if alone.len() == 1 {
        return Some(Yuan::Fixes(alone));
    }
    let (total, sum) = (vars[id.total].value.abs(), id.sum(vars).abs());
    let thousand = Decimal::from(1_000);
    if total > Decimal::ZERO && sum >= total * thousand {
        let parts: Vec<usize> = id
            .parts
            .iter()
            .copied()
            .filter(|p| big.contains(p))
            .collect();
        return Some(Yuan::Magnitude(parts));
    }
    if sum > Decimal::ZERO && total >= sum * thousand {
        return Some(Yuan::Magnitude(vec![id.total]));
    }
    None
}
