//! The funding block's identities, and the cost indicators against 年度资金总额.
//!
//! ```text
//!  | 项目总额 P | 其中：年度资金总额 A                              |
//!  | 本级资金 | 资金总额 OT | 转移市县（区）资金 | 资金总额 TT |
//!  |          | 财政拨款 F  |                    | 中央资金 TC |
//!  |          | 其他资金 O  |                    | 自治区资金 TR |
//!  |          | 结余结转 C  |                                   |
//!  OT = F + O + C;  TT = TC + TR;  A = OT + TT;  P = A (1年) or P ≥ A;  A = Σ 成本指标
//! ```
//!
//! When an identity fails, the finding points at the amount that is most likely wrong: one
//! that takes part in every failing identity and in no identity that holds (an amount in a
//! holding identity is confirmed by it, and so is a cost row whose amount the goal text
//! names). Among several, a non-zero one, then one that would have to be zero. When that
//! leaves no single amount, the finding points at the identity's total.

mod blame;
mod block;

use rust_decimal::Decimal;

use super::{fmt_money, Ctx, Forms, Money, Rule};
use crate::model::{Finding, IndicatorClass, Severity};
use blame::{blame, multi_year, report, rounded};
use block::{legacy_block, tree_block, Block, Identity, Kind, Var};

/// 年度资金总额 not filled in.
pub(crate) const MISSING: Rule = Rule {
    id: "funding.missing",
    name: "年度资金未填写",
    severity: Severity::Error,
    checks: "年度资金总额未填写或不是数字",
    forms: Forms::Targets,
    example: "未填写“年度资金总额”，无法核对资金与成本指标",
};

/// 本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金.
pub(crate) const OWN_SUM: Rule = Rule {
    id: "funding.own-sum",
    name: "本级资金合计不符",
    severity: Severity::Error,
    checks: "本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金（无本级/转移之分的表：年度资金总额 = 财政拨款 + 上年结转资金 + 其他资金）",
    forms: Forms::Targets,
    example: "本级资金总额 45.00 万元，而 财政拨款 44.00 + 其他资金 0.00 + 结余结转资金 0.00 = 44.00 万元；财政拨款（C9）应为 45.00 万元",
};

/// 转移资金总额 = 中央资金 + 自治区资金.
pub(crate) const TRANSFER_SUM: Rule = Rule {
    id: "funding.transfer-sum",
    name: "转移资金合计不符",
    severity: Severity::Error,
    checks: "转移市县（区）资金总额 = 中央资金 + 自治区资金",
    forms: Forms::Targets,
    example: "转移资金总额 0.00 万元，而 中央资金 5.00 + 自治区资金 0.00 = 5.00 万元；中央资金（F9）应为 0.00 万元",
};

/// 年度资金总额 = 本级资金总额 + 转移资金总额.
pub(crate) const ANNUAL_SUM: Rule = Rule {
    id: "funding.annual-sum",
    name: "年度资金合计不符",
    severity: Severity::Error,
    checks: "年度资金总额 = 本级资金总额 + 转移市县（区）资金总额",
    forms: Forms::Targets,
    example: "年度资金总额 50.00 万元，而 本级资金总额 45.00 + 转移资金总额 0.00 = 45.00 万元；年度资金总额（D7）应为 45.00 万元",
};

/// 项目总额 ≥ 年度资金总额, = for a one-year project.
pub(crate) const TOTAL_ANNUAL: Rule = Rule {
    id: "funding.total-annual",
    name: "项目总额与年度资金不符",
    severity: Severity::Error,
    checks: "项目总额不小于年度资金总额；一年期项目（项目期 1年）两者相等",
    forms: Forms::Targets,
    example: "项目期为一年，项目总额 50.00 万元 应等于 年度资金总额 45.00 万元；项目总额（B7）应为 45.00 万元",
};

/// No negative amounts.
pub(crate) const NEGATIVE: Rule = Rule {
    id: "funding.negative",
    name: "金额为负数",
    severity: Severity::Error,
    checks: "资金和成本指标的金额不能为负数",
    forms: Forms::Targets,
    example: "财政拨款为 -45.00 万元，金额不能为负数",
};

/// The cost indicators add up to 年度资金总额.
pub(crate) const COST_SUM: Rule = Rule {
    id: "cost.sum",
    name: "成本指标合计与年度资金不符",
    severity: Severity::Warning,
    checks: "成本指标（经济成本指标）的金额合计等于年度资金总额（按各值所写单位换算为万元；上限“≤50万元”、单位成本“≤500元/人”、比率“节支率≥5%”不计入）；多年期项目的成本指标合计等于项目总额时，说明填的是实施期成本",
    forms: Forms::Targets,
    example: "成本指标合计 46.00 万元（2 项），年度资金总额 45.00 万元，相差 1.00 万元",
};

/// Cost rows of a multi-year project adding up to 项目总额, not to 年度资金总额.
pub(crate) const PERIOD_COSTS: Rule = Rule {
    id: "cost.period-costs",
    name: "成本指标像是实施期成本",
    severity: Severity::Warning,
    checks: "多年期项目的成本指标合计不等于年度资金总额、却等于项目总额时，说明填的是整个实施期的成本（代替 cost.sum，不推算“应为”的金额）",
    forms: Forms::Targets,
    example: "成本指标合计 180.00 万元（2 项）等于项目总额 180.00 万元，而不是年度资金总额 60.00 万元：看来填的是整个实施期的成本",
};

/// A funding line whose children do not add up to it (the lines a table prints, as a tree).
pub(crate) const LINE_SUM: Rule = Rule {
    id: "funding.sum",
    name: "资金合计不符",
    severity: Severity::Error,
    checks: "每一项资金等于其下各分项之和（按表中实际印有的资金行，如 年度资金总额 = 一般公共预算 + 政府性基金预算 + 单位自有资金；中期资金另行核对）",
    forms: Forms::Targets,
    example: "年度资金总额 100.00 万元，而 一般公共预算 60.00 + 政府性基金预算 30.00 + 单位自有资金 5.00 = 95.00 万元；请逐项核对",
};

/// Two amounts equal within the tolerance, not exactly.
pub(crate) const ROUNDED: Rule = Rule {
    id: "funding.rounded",
    name: "金额按容差视为相等",
    severity: Severity::Info,
    checks: "两边金额相差不超过容差（默认 0.005 万元，即半分钱的万元），视为相等，并说明哪一边是四舍五入后的金额",
    forms: Forms::Targets,
    example: "年度资金总额 45.004 万元，成本指标合计 45.00 万元，相差 0.004 万元，在容差 0.005 万元以内，视为相等；成本指标合计是四舍五入到 0.01 万元的金额",
};

/// What the funding checks give the other rules.
pub(crate) struct FundingOutcome {
    /// The findings.
    pub findings: Vec<Finding>,
    /// Whether the cost indicators add up to 年度资金总额 (`None`: not checked).
    pub cost_sum_holds: Option<bool>,
    /// The cost indicator blamed for a failing cost sum, when one stands out.
    pub cost_blamed: Option<usize>,
}

/// Checks the funding identities and the cost sum. The goal text is evidence about the cost
/// indicators: a row whose amount it names is confirmed (`confirmed_rows`); a row it gives
/// another amount for (`claims`: row, amount) is to blame when that amount is the one the sum
/// needs.
pub(crate) fn check(
    ctx: &Ctx<'_>,
    confirmed_rows: &[usize],
    claims_of_goal: &[(usize, Decimal)],
) -> FundingOutcome {
    let tol = ctx.settings.tolerance;
    let t = ctx.table;
    let f = &t.funding;
    let mut out: Vec<Finding> = Vec::new();
    let Block {
        mut vars,
        mut ids,
        total,
        annual,
    } = if f.lines.is_empty() {
        legacy_block(ctx)
    } else {
        tree_block(ctx)
    };
    let (total, annual) = {
        let mut add = |field: &str, have: Option<usize>, value: Option<Decimal>| {
            have.or_else(|| {
                let value = value.filter(|v| v.abs() <= super::MAX_AMOUNT)?;
                vars.push(Var {
                    field: field.to_string(),
                    label: ctx.label(field),
                    value,
                    cell: ctx.cell_of(field),
                    derived: false,
                });
                Some(vars.len() - 1)
            })
        };
        (
            add("funding.total", total, f.total),
            add("funding.annual_total", annual, f.annual_total),
        )
    };
    // Cost rows with an amount; caps, unit costs and rates are not part of the total.
    let mut cost_vars = Vec::new();
    let mut cost_unreadable = false;
    for i in ctx.of_class(IndicatorClass::Cost) {
        let ind = &t.indicators[i];
        match ctx.cost_money(i) {
            Money::Amount(amount, _) => {
                vars.push(Var {
                    field: format!("indicators[{i}].value"),
                    label: format!("成本指标“{}”", super::clip(&ind.name, 24)),
                    value: amount,
                    cell: ind.cell,
                    derived: false,
                });
                cost_vars.push((vars.len() - 1, i));
            }
            Money::PerUnit => {}
            Money::Cap(..) => cost_unreadable = true,
            Money::None => {
                if !ctx.is_cost_rate(i) {
                    cost_unreadable = true;
                }
            }
        }
    }

    // A block that prints the year's money only in its lines, under a heading with no amount
    // (`年度资金总额 | 金额(万元)` over `(一)财政拨款小计 | 4.00`, …): no total to check
    // against, and none left blank.
    let lines_only = t.funding.lines.iter().find(|l| {
        l.scope == crate::model::FundingScope::Annual
            && l.parent.is_none()
            && l.amount.is_some()
            && l.role.as_deref() != Some("total")
    });
    if let (None, Some(f)) = (annual, ctx.not_run(&MISSING, "funding.annual_total")) {
        out.push(f);
    } else if let (None, Some(l)) = (annual, lines_only) {
        out.push(
            ctx.finding(
                &crate::check::catalogue::NOT_RUN,
                l.cell,
                format!(
                    "本表没有单列“{}”的金额，年度资金只在各资金行（如“{}”）中列出，无法核对年度资金",
                    ctx.label("funding.annual_total"),
                    l.label
                ),
            )
            .field("funding.annual_total")
            .found_expected("（表样无此栏）", ctx.label("funding.annual_total")),
        );
    } else if annual.is_none() {
        let label = ctx.label("funding.annual_total");
        out.push(
            ctx.finding(
                &MISSING,
                ctx.cell_of("funding.annual_total"),
                format!("未填写“{label}”（或所填不是数字），无法核对资金与成本指标"),
            )
            .field("funding.annual_total")
            .found_expected("（空）", format!("{label}（万元）")),
        );
    }
    for v in &vars {
        if v.value < Decimal::ZERO {
            out.push(
                ctx.finding(
                    &NEGATIVE,
                    v.cell,
                    format!("{}为 {} 万元，金额不能为负数", v.label, fmt_money(v.value)),
                )
                .field(v.field.clone())
                .found_expected(fmt_money(v.value), "≥ 0"),
            );
        }
    }

    let one_year = ctx
        .vocab
        .is_one_year(&t.project.period, &t.project.attribute);
    if let (Some(p), Some(a)) = (total, annual) {
        if p != a {
            ids.push(Identity {
                rule: &TOTAL_ANNUAL,
                total: p,
                parts: vec![a],
                kind: if one_year { Kind::Equal } else { Kind::AtLeast },
                scope: "",
            });
        }
    }
    let mut cost_sum_holds = None;
    let mut multi_year_costs = false;
    if let (Some(a), false) = (annual, cost_vars.is_empty()) {
        let id = Identity {
            rule: &COST_SUM,
            total: a,
            parts: cost_vars.iter().map(|(v, _)| *v).collect(),
            kind: Kind::Equal,
            scope: "",
        };
        let holds = id.holds(&vars, tol);
        let sum = id.sum(&vars);
        // Cost rows of the whole period in a multi-year project's annual table.
        multi_year_costs = !holds
            && total.is_some_and(|p| {
                vars[p].value > vars[a].value + tol && ctx.equal(sum, vars[p].value)
            });
        // With a cost row that states no amount, a sum below the total is explained by it
        // (reported by cost.no-amount); a sum above the total is wrong in any case.
        if holds || !cost_unreadable || sum > vars[a].value {
            cost_sum_holds = Some(holds);
            ids.push(id);
        }
    }

    // Which amounts are confirmed: those in a holding equality, and goal-confirmed cost rows.
    let mut confirmed = vec![false; vars.len()];
    for id in ids
        .iter()
        .filter(|id| id.kind == Kind::Equal && id.holds(&vars, tol))
    {
        for v in id.vars() {
            confirmed[v] = true;
        }
    }
    for (v, i) in &cost_vars {
        if confirmed_rows.contains(i) {
            confirmed[*v] = true;
        }
    }
    // What the goal says a cost row should be.
    let mut claims: Vec<Option<Decimal>> = vec![None; vars.len()];
    for &(row, amount) in claims_of_goal {
        if let Some((v, _)) = cost_vars.iter().find(|(_, i)| *i == row) {
            claims[*v] = Some(amount);
        }
    }
    for id in ids.iter().filter(|id| id.rounded(&vars, tol)) {
        out.push(rounded(ctx, id, &vars, tol));
    }
    let failing: Vec<&Identity> = ids.iter().filter(|id| !id.holds(&vars, tol)).collect();
    let mut cost_blamed = None;
    for (k, id) in failing.iter().enumerate() {
        if id.rule.id == COST_SUM.id && multi_year_costs {
            out.push(multi_year(ctx, id, &vars, total, &cost_vars));
            continue;
        }
        let suspect = blame(id, &failing, k, &vars, &confirmed, &claims);
        if id.rule.id == COST_SUM.id {
            cost_blamed =
                suspect.and_then(|s| cost_vars.iter().find(|(v, _)| *v == s).map(|(_, i)| *i));
        }
        out.push(report(ctx, id, &vars, suspect, confirmed[id.total]));
    }
    FundingOutcome {
        findings: out,
        cost_sum_holds,
        cost_blamed,
    }
}

#[cfg(test)]
mod tests;
