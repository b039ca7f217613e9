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

use rust_decimal::Decimal;

use super::goal::GoalAnalysis;
use super::{field_label, fmt_money, Ctx, Money, Rule};
use crate::cell::CellRef;
use crate::model::{Finding, IndicatorClass, Severity};

/// 年度资金总额 not filled in.
pub const MISSING: Rule = Rule {
    id: "funding.missing",
    severity: Severity::Error,
    checks: "年度资金总额未填写或不是数字",
    example: "未填写“年度资金总额”，无法核对资金与成本指标",
};

/// 本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金.
pub const OWN_SUM: Rule = Rule {
    id: "funding.own-sum",
    severity: Severity::Error,
    checks: "本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金（无本级/转移之分的表：年度资金总额 = 财政拨款 + 上年结转资金 + 其他资金）",
    example: "本级资金总额 45.00 万元，而 财政拨款 44.00 + 其他资金 0.00 + 结余结转资金 0.00 = 44.00 万元；财政拨款（C9）应为 45.00 万元",
};

/// 转移资金总额 = 中央资金 + 自治区资金.
pub const TRANSFER_SUM: Rule = Rule {
    id: "funding.transfer-sum",
    severity: Severity::Error,
    checks: "转移市县（区）资金总额 = 中央资金 + 自治区资金",
    example: "转移资金总额 0.00 万元，而 中央资金 5.00 + 自治区资金 0.00 = 5.00 万元；中央资金（F9）应为 0.00 万元",
};

/// 年度资金总额 = 本级资金总额 + 转移资金总额.
pub const ANNUAL_SUM: Rule = Rule {
    id: "funding.annual-sum",
    severity: Severity::Error,
    checks: "年度资金总额 = 本级资金总额 + 转移市县（区）资金总额",
    example: "年度资金总额 50.00 万元，而 本级资金总额 45.00 + 转移资金总额 0.00 = 45.00 万元；年度资金总额（D7）应为 45.00 万元",
};

/// 项目总额 ≥ 年度资金总额, = for a one-year project.
pub const TOTAL_ANNUAL: Rule = Rule {
    id: "funding.total-annual",
    severity: Severity::Error,
    checks: "项目总额不小于年度资金总额；一年期项目（项目期 1年）两者相等",
    example: "项目期为一年，项目总额 50.00 万元 应等于 年度资金总额 45.00 万元；项目总额（B7）应为 45.00 万元",
};

/// No negative amounts.
pub const NEGATIVE: Rule = Rule {
    id: "funding.negative",
    severity: Severity::Error,
    checks: "资金和成本指标的金额不能为负数",
    example: "财政拨款为 -45.00 万元，金额不能为负数",
};

/// The cost indicators add up to 年度资金总额.
pub const COST_SUM: Rule = Rule {
    id: "cost.sum",
    severity: Severity::Error,
    checks: "成本指标（经济成本指标）的金额合计等于年度资金总额（按各值所写单位换算为万元）",
    example: "成本指标合计 46.00 万元（2 项），年度资金总额 45.00 万元，相差 1.00 万元",
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

/// An amount taking part in the identities.
#[derive(Debug, Clone)]
struct Var {
    field: String,
    label: String,
    value: Decimal,
    cell: Option<CellRef>,
    /// Filled in by the reader, not typed: never the one to blame.
    derived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// total = Σ parts.
    Equal,
    /// total ≥ Σ parts.
    AtLeast,
}

#[derive(Debug)]
struct Identity {
    rule: &'static Rule,
    total: usize,
    parts: Vec<usize>,
    kind: Kind,
}

impl Identity {
    fn vars(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }

    fn sum(&self, vars: &[Var]) -> Decimal {
        self.parts.iter().map(|p| vars[*p].value).sum()
    }

    fn holds(&self, vars: &[Var]) -> bool {
        let (t, s) = (vars[self.total].value, self.sum(vars));
        match self.kind {
            Kind::Equal => t == s,
            Kind::AtLeast => t >= s,
        }
    }

    /// The value `v` would need for the identity to hold.
    fn solve(&self, vars: &[Var], v: usize) -> Decimal {
        let (t, s) = (vars[self.total].value, self.sum(vars));
        if v == self.total {
            s
        } else {
            t - (s - vars[v].value)
        }
    }
}

/// Checks the funding identities and the cost sum. The goal text is evidence about the cost
/// indicators: a row whose amount it names is confirmed; a row it gives another amount for is
/// to blame when that amount is the one the sum needs.
pub(crate) fn check(ctx: &Ctx<'_>, goal: &GoalAnalysis) -> FundingOutcome {
    let confirmed_rows = goal.corroborated_rows();
    let t = ctx.table;
    let f = &t.funding;
    let mut out = Vec::new();
    let mut vars: Vec<Var> = Vec::new();
    // Without 本级/转移 cells the reader filled those amounts in from 年度资金总额.
    let has_cells = !t.cells.is_empty();
    let no_split = has_cells
        && [
            "funding.own.total",
            "funding.transfer.total",
            "funding.transfer.central",
            "funding.transfer.regional",
        ]
        .iter()
        .all(|k| !t.cells.contains_key(*k));
    let mut add = |field: &str, value: Option<Decimal>| -> Option<usize> {
        // Absurd amounts (beyond any budget) are left out rather than overflow a sum.
        let value = value.filter(|v| v.abs() <= super::MAX_AMOUNT)?;
        vars.push(Var {
            field: field.to_string(),
            label: field_label(field).to_string(),
            value,
            cell: ctx.cell_of(field),
            derived: has_cells && !t.cells.contains_key(field),
        });
        Some(vars.len() - 1)
    };
    let total = add("funding.total", f.total);
    let annual = add("funding.annual_total", f.annual_total);
    let fiscal = add("funding.own.fiscal", f.own.fiscal);
    let other = add("funding.own.other", f.own.other);
    let carry = add("funding.own.carryover", f.own.carryover);
    let (own, tr_total, central, regional) = if no_split {
        (None, None, None, None)
    } else {
        (
            add("funding.own.total", f.own.total),
            add("funding.transfer.total", f.transfer.total),
            add("funding.transfer.central", f.transfer.central),
            add("funding.transfer.regional", f.transfer.regional),
        )
    };
    if no_split {
        if let Some(v) = vars.iter_mut().find(|v| v.field == "funding.own.carryover") {
            v.label = "上年结转资金".into();
        }
    }
    // Cost rows with an amount.
    let mut cost_vars = Vec::new();
    let mut cost_unreadable = false;
    for i in ctx.of_class(IndicatorClass::Cost) {
        let ind = &t.indicators[i];
        match ctx.money(&ind.value) {
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
            Money::None => cost_unreadable = true,
        }
    }

    if annual.is_none() {
        out.push(
            ctx.finding(
                &MISSING,
                ctx.cell_of("funding.annual_total"),
                "未填写“年度资金总额”（或所填不是数字），无法核对资金与成本指标",
            )
            .field("funding.annual_total")
            .found_expected("（空）", "年度资金总额（万元）"),
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

    let mut ids: Vec<Identity> = Vec::new();
    let parts = |xs: &[Option<usize>]| -> Vec<usize> { xs.iter().flatten().copied().collect() };
    if no_split {
        if let Some(a) = annual {
            let p = parts(&[fiscal, carry, other]);
            if !p.is_empty() {
                ids.push(Identity {
                    rule: &OWN_SUM,
                    total: a,
                    parts: p,
                    kind: Kind::Equal,
                });
            }
        }
    } else {
        if let Some(o) = own {
            let p = parts(&[fiscal, other, carry]);
            if !p.is_empty() {
                ids.push(Identity {
                    rule: &OWN_SUM,
                    total: o,
                    parts: p,
                    kind: Kind::Equal,
                });
            }
        }
        if let Some(tt) = tr_total {
            let p = parts(&[central, regional]);
            if !p.is_empty() {
                ids.push(Identity {
                    rule: &TRANSFER_SUM,
                    total: tt,
                    parts: p,
                    kind: Kind::Equal,
                });
            }
        }
        if let Some(a) = annual {
            let p = parts(&[own, tr_total]);
            if !p.is_empty() {
                ids.push(Identity {
                    rule: &ANNUAL_SUM,
                    total: a,
                    parts: p,
                    kind: Kind::Equal,
                });
            }
        }
    }
    let one_year = ctx
        .vocab
        .is_one_year(&t.project.period, &t.project.attribute);
    if let (Some(p), Some(a)) = (total, annual) {
        ids.push(Identity {
            rule: &TOTAL_ANNUAL,
            total: p,
            parts: vec![a],
            kind: if one_year { Kind::Equal } else { Kind::AtLeast },
        });
    }
    let mut cost_sum_holds = None;
    if let (Some(a), false) = (annual, cost_vars.is_empty()) {
        let id = Identity {
            rule: &COST_SUM,
            total: a,
            parts: cost_vars.iter().map(|(v, _)| *v).collect(),
            kind: Kind::Equal,
        };
        let holds = id.holds(&vars);
        // With a cost row that states no amount, a sum below the total is explained by it
        // (reported by cost.no-amount); a sum above the total is wrong in any case.
        if holds || !cost_unreadable || id.sum(&vars) > vars[a].value {
            cost_sum_holds = Some(holds);
            ids.push(id);
        }
    }

    // Which amounts are confirmed: those in a holding equality, and goal-confirmed cost rows.
    let mut confirmed = vec![false; vars.len()];
    for id in ids
        .iter()
        .filter(|id| id.kind == Kind::Equal && id.holds(&vars))
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
    for (row, amount) in goal.claims() {
        if let Some((v, _)) = cost_vars.iter().find(|(_, i)| *i == row) {
            claims[*v] = Some(amount);
        }
    }
    let failing: Vec<&Identity> = ids.iter().filter(|id| !id.holds(&vars)).collect();
    let mut cost_blamed = None;
    for (k, id) in failing.iter().enumerate() {
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

/// The amount to blame for a failing identity, if one stands out.
fn blame(
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

fn report(
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
            "成本指标合计 {} 万元（{} 项），年度资金总额 {} 万元，相差 {} 万元",
            fmt_money(sum),
            id.parts.len(),
            fmt_money(total.value),
            fmt_money(diff.abs())
        )
    } else if id.rule.id == TOTAL_ANNUAL.id {
        let annual = &vars[id.parts[0]];
        if id.kind == Kind::Equal {
            format!(
                "项目期为一年，项目总额 {} 万元 应等于 年度资金总额 {} 万元",
                fmt_money(total.value),
                fmt_money(annual.value)
            )
        } else {
            format!(
                "项目总额 {} 万元 小于 年度资金总额 {} 万元",
                fmt_money(total.value),
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
            "{} {} 万元，而 {} = {} 万元",
            total.label,
            fmt_money(total.value),
            expr.join(" + "),
            fmt_money(sum)
        )
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
            if want < Decimal::ZERO {
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
            msg.push_str(if id.rule.id == COST_SUM.id && total_confirmed {
                "；年度资金总额与各项资金一致，请逐项核对成本指标的金额"
            } else if id.rule.id == COST_SUM.id {
                "；请核对各项成本指标的金额和年度资金总额"
            } else {
                "；无法判断哪一项有误，请逐项核对"
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

#[cfg(test)]
mod tests {
    use crate::check::testutil::*;
    use crate::read::values::parse_value;

    fn one(t: &crate::model::Table, rule: &str) -> crate::model::Finding {
        let f = fired(t, rule);
        assert_eq!(f.len(), 1, "{rule}: {f:#?}");
        f.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn own_sum_blames_the_changed_part() {
        let mut t = table();
        assert!(fired(&t, "funding.own-sum").is_empty());
        t.funding.own.fiscal = d("44");
        let f = one(&t, "funding.own-sum");
        assert_eq!(f.cell, Some(cell("C9")));
        assert_eq!(f.field.as_deref(), Some("funding.own.fiscal"));
        assert_eq!(f.expected.as_deref(), Some("45.00"));
        assert!(f.message.contains("财政拨款"), "{}", f.message);
        // A stray amount in a part that is usually empty.
        let mut t = table();
        t.funding.own.other = d("3");
        assert_eq!(one(&t, "funding.own-sum").cell, Some(cell("C10")));
    }

    #[test]
    fn own_total_breaks_two_identities_at_one_cell() {
        let mut t = table();
        t.funding.own.total = d("50");
        assert_eq!(one(&t, "funding.own-sum").cell, Some(cell("C8")));
        assert_eq!(one(&t, "funding.annual-sum").cell, Some(cell("C8")));
    }

    #[test]
    fn transfer_sum() {
        let mut t = table();
        assert!(fired(&t, "funding.transfer-sum").is_empty());
        t.funding.transfer.central = d("5");
        let f = one(&t, "funding.transfer-sum");
        assert_eq!(f.cell, Some(cell("F9")));
        assert_eq!(f.expected.as_deref(), Some("0.00"));
        let mut t = table();
        t.funding.transfer.total = d("5");
        assert_eq!(one(&t, "funding.transfer-sum").cell, Some(cell("F8")));
        assert_eq!(one(&t, "funding.annual-sum").cell, Some(cell("F8")));
    }

    #[test]
    fn annual_sum_and_total() {
        let mut t = table();
        assert!(fired(&t, "funding.annual-sum").is_empty());
        t.funding.annual_total = d("50");
        assert_eq!(one(&t, "funding.annual-sum").cell, Some(cell("D7")));
        assert_eq!(one(&t, "funding.total-annual").cell, Some(cell("D7")));
        assert_eq!(one(&t, "cost.sum").cell, Some(cell("D7")));
    }

    #[test]
    fn total_equals_annual_for_one_year_only() {
        let mut t = table();
        t.funding.total = d("90");
        let f = one(&t, "funding.total-annual");
        assert_eq!(f.cell, Some(cell("B7")));
        assert!(f.message.contains("一年"));
        t.project.period = "3年".into();
        assert!(fired(&t, "funding.total-annual").is_empty());
        t.funding.total = d("40");
        let f = one(&t, "funding.total-annual");
        assert!(f.message.contains("小于"), "{}", f.message);
        assert_eq!(f.expected.as_deref(), Some("≥ 45.00"));
    }

    #[test]
    fn negative_amounts() {
        let mut t = table();
        assert!(fired(&t, "funding.negative").is_empty());
        t.funding.own.other = d("-1");
        t.funding.own.fiscal = d("46");
        let f = one(&t, "funding.negative");
        assert_eq!(f.cell, Some(cell("C10")));
    }

    #[test]
    fn missing_annual_total() {
        let mut t = table();
        assert!(fired(&t, "funding.missing").is_empty());
        t.funding.annual_total = None;
        one(&t, "funding.missing");
    }

    #[test]
    fn cost_sum() {
        let mut t = table();
        assert!(fired(&t, "cost.sum").is_empty());
        // 30 is named in the goal, so the other row is to blame.
        t.indicators[7].value = parse_value("16万元");
        let f = one(&t, "cost.sum");
        assert_eq!(f.cell, Some(cell("E21")));
        assert_eq!(f.field.as_deref(), Some("indicators[7].value"));
        assert_eq!(f.expected.as_deref(), Some("15.00"));
        // In a table written in 元, a bare number is in 元.
        let mut t = table();
        t.source_unit = Some("元".into());
        t.indicators[6].value = parse_value("300000");
        t.indicators[7].value = parse_value("150000");
        assert!(fired(&t, "cost.sum").is_empty());
        t.indicators[7].value = parse_value("150001");
        assert_eq!(one(&t, "cost.sum").cell, Some(cell("E21")));
    }

    #[test]
    fn cost_sum_waits_for_unreadable_rows() {
        let mut t = table();
        t.indicators[7].value = parse_value("1项");
        assert!(fired(&t, "cost.sum").is_empty());
        t.indicators[6].value = parse_value("50万元");
        assert_eq!(fired(&t, "cost.sum").len(), 1);
    }

    #[test]
    fn a_table_without_split_checks_the_annual_total() {
        let mut t = table();
        for k in [
            "funding.own.total",
            "funding.transfer.total",
            "funding.transfer.central",
            "funding.transfer.regional",
        ] {
            t.cells.remove(k);
        }
        assert!(fired(&t, "funding.own-sum").is_empty());
        t.funding.own.fiscal = d("40");
        let f = one(&t, "funding.own-sum");
        assert_eq!(f.cell, Some(cell("C9")));
        assert!(f.message.starts_with("年度资金总额"), "{}", f.message);
        assert!(fired(&t, "funding.annual-sum").is_empty());
    }
}
