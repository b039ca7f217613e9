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
use super::{fmt_money, Ctx, Money, Rule};
use crate::cell::CellRef;
use crate::model::fields;
use crate::model::{Finding, FundingLine, FundingScope, IndicatorClass, Severity};

/// 年度资金总额 not filled in.
pub const MISSING: Rule = Rule {
    id: "funding.missing",
    name: "年度资金未填写",
    severity: Severity::Error,
    checks: "年度资金总额未填写或不是数字",
    example: "未填写“年度资金总额”，无法核对资金与成本指标",
};

/// 本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金.
pub const OWN_SUM: Rule = Rule {
    id: "funding.own-sum",
    name: "本级资金合计不符",
    severity: Severity::Error,
    checks: "本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金（无本级/转移之分的表：年度资金总额 = 财政拨款 + 上年结转资金 + 其他资金）",
    example: "本级资金总额 45.00 万元，而 财政拨款 44.00 + 其他资金 0.00 + 结余结转资金 0.00 = 44.00 万元；财政拨款（C9）应为 45.00 万元",
};

/// 转移资金总额 = 中央资金 + 自治区资金.
pub const TRANSFER_SUM: Rule = Rule {
    id: "funding.transfer-sum",
    name: "转移资金合计不符",
    severity: Severity::Error,
    checks: "转移市县（区）资金总额 = 中央资金 + 自治区资金",
    example: "转移资金总额 0.00 万元，而 中央资金 5.00 + 自治区资金 0.00 = 5.00 万元；中央资金（F9）应为 0.00 万元",
};

/// 年度资金总额 = 本级资金总额 + 转移资金总额.
pub const ANNUAL_SUM: Rule = Rule {
    id: "funding.annual-sum",
    name: "年度资金合计不符",
    severity: Severity::Error,
    checks: "年度资金总额 = 本级资金总额 + 转移市县（区）资金总额",
    example: "年度资金总额 50.00 万元，而 本级资金总额 45.00 + 转移资金总额 0.00 = 45.00 万元；年度资金总额（D7）应为 45.00 万元",
};

/// 项目总额 ≥ 年度资金总额, = for a one-year project.
pub const TOTAL_ANNUAL: Rule = Rule {
    id: "funding.total-annual",
    name: "项目总额与年度资金不符",
    severity: Severity::Error,
    checks: "项目总额不小于年度资金总额；一年期项目（项目期 1年）两者相等",
    example: "项目期为一年，项目总额 50.00 万元 应等于 年度资金总额 45.00 万元；项目总额（B7）应为 45.00 万元",
};

/// No negative amounts.
pub const NEGATIVE: Rule = Rule {
    id: "funding.negative",
    name: "金额为负数",
    severity: Severity::Error,
    checks: "资金和成本指标的金额不能为负数",
    example: "财政拨款为 -45.00 万元，金额不能为负数",
};

/// The cost indicators add up to 年度资金总额.
pub const COST_SUM: Rule = Rule {
    id: "cost.sum",
    name: "成本指标合计与年度资金不符",
    severity: Severity::Warning,
    checks: "成本指标（经济成本指标）的金额合计等于年度资金总额（按各值所写单位换算为万元；上限“≤50万元”、单位成本“≤500元/人”、比率“节支率≥5%”不计入）；多年期项目的成本指标合计等于项目总额时，说明填的是实施期成本",
    example: "成本指标合计 46.00 万元（2 项），年度资金总额 45.00 万元，相差 1.00 万元",
};

/// Cost rows of a multi-year project adding up to 项目总额, not to 年度资金总额.
pub const PERIOD_COSTS: Rule = Rule {
    id: "cost.period-costs",
    name: "成本指标像是实施期成本",
    severity: Severity::Warning,
    checks: "多年期项目的成本指标合计不等于年度资金总额、却等于项目总额时，说明填的是整个实施期的成本（代替 cost.sum，不推算“应为”的金额）",
    example: "成本指标合计 180.00 万元（2 项）等于项目总额 180.00 万元，而不是年度资金总额 60.00 万元：看来填的是整个实施期的成本",
};

/// A funding line whose children do not add up to it (the lines a table prints, as a tree).
pub const LINE_SUM: Rule = Rule {
    id: "funding.sum",
    name: "资金合计不符",
    severity: Severity::Error,
    checks: "每一项资金等于其下各分项之和（按表中实际印有的资金行，如 年度资金总额 = 一般公共预算 + 政府性基金预算 + 单位自有资金；中期资金另行核对）",
    example: "年度资金总额 100.00 万元，而 一般公共预算 60.00 + 政府性基金预算 30.00 + 单位自有资金 5.00 = 95.00 万元；请逐项核对",
};

/// Two amounts equal within the tolerance, not exactly.
pub const ROUNDED: Rule = Rule {
    id: "funding.rounded",
    name: "金额按容差视为相等",
    severity: Severity::Info,
    checks: "两边金额相差不超过容差（默认 0.005 万元，即半分钱的万元），视为相等，并说明哪一边是四舍五入后的金额",
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
    /// Said before the message: `中期：` for the multi-year column.
    scope: &'static str,
}

impl Identity {
    fn vars(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }

    fn sum(&self, vars: &[Var]) -> Decimal {
        self.parts.iter().map(|p| vars[*p].value).sum()
    }

    fn holds(&self, vars: &[Var], tolerance: Decimal) -> bool {
        let (t, s) = (vars[self.total].value, self.sum(vars));
        match self.kind {
            Kind::Equal => (t - s).abs() <= tolerance,
            Kind::AtLeast => t >= s - tolerance,
        }
    }

    /// Holds within the tolerance but not exactly.
    fn rounded(&self, vars: &[Var], tolerance: Decimal) -> bool {
        self.kind == Kind::Equal
            && self.holds(vars, tolerance)
            && vars[self.total].value != self.sum(vars)
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

/// The amounts and identities of a funding block.
struct Block {
    vars: Vec<Var>,
    ids: Vec<Identity>,
    total: Option<usize>,
    annual: Option<usize>,
}

/// The model field a funding line is also a view of, found by its cell.
fn legacy_field(ctx: &Ctx<'_>, line: &FundingLine) -> Option<String> {
    let cell = line.cell?;
    ctx.table
        .cells
        .iter()
        .find(|(k, v)| k.starts_with("funding.") && v.cell == cell)
        .map(|(k, _)| k.clone())
}

/// A line's label as printed, without the `其中：` that introduces a part.
fn printed_label(line: &FundingLine) -> String {
    let l = line.label.trim();
    let l = l
        .strip_prefix("其中：")
        .or_else(|| l.strip_prefix("其中:"))
        .unwrap_or(l);
    l.trim().to_string()
}

/// The rule a tree sum is reported under: the old ids where the lines are the old fields
/// (rule files and reports name them), `funding.sum` otherwise.
fn rule_for(parent: &str, children: &[&str]) -> &'static Rule {
    let is = |names: &[&str], x: &str| names.contains(&x);
    let any_child = |names: &[&str]| children.iter().any(|c| is(names, c));
    let all_children = |names: &[&str]| children.iter().all(|c| is(names, c));
    match parent {
        "funding.own.total" | "own_total" => &OWN_SUM,
        "funding.transfer.total" | "transfer_total" => &TRANSFER_SUM,
        "funding.annual_total" | "annual_total"
            if any_child(&[
                "funding.own.total",
                "funding.transfer.total",
                "own_total",
                "transfer_total",
            ]) =>
        {
            &ANNUAL_SUM
        }
        "funding.annual_total" | "annual_total"
            if all_children(&[
                "funding.own.fiscal",
                "funding.own.other",
                "funding.own.carryover",
                "fiscal",
                "other",
                "carryover",
            ]) =>
        {
            &OWN_SUM
        }
        _ => &LINE_SUM,
    }
}

/// The block as a tree: every printed line, every parent against its children (annual and
/// multi-year columns apart).
fn tree_block(ctx: &Ctx<'_>) -> Block {
    let f = &ctx.table.funding;
    let mut vars = Vec::new();
    let mut var_of: Vec<Option<usize>> = vec![None; f.lines.len()];
    let mut names: Vec<String> = vec![String::new(); f.lines.len()];
    for (i, line) in f.lines.iter().enumerate() {
        let legacy = legacy_field(ctx, line);
        names[i] = legacy.clone().unwrap_or_else(|| line.key.clone());
        if line.scope == FundingScope::Other {
            continue;
        }
        let Some(value) = line.amount.filter(|v| v.abs() <= super::MAX_AMOUNT) else {
            continue;
        };
        let mut label = printed_label(line);
        if label.is_empty() {
            label = legacy
                .as_deref()
                .map_or_else(|| line.key.clone(), |l| ctx.label(l));
        }
        if line.scope == FundingScope::MidTerm && !label.contains("中期") && !label.contains("总额")
        {
            label = format!("{label}（中期）");
        }
        vars.push(Var {
            field: legacy.unwrap_or_else(|| format!("funding.lines[{i}]")),
            label,
            value,
            cell: line.cell,
            derived: false,
        });
        var_of[i] = Some(vars.len() - 1);
    }
    let mut ids = Vec::new();
    for (p, line) in f.lines.iter().enumerate() {
        let Some(total) = var_of[p] else { continue };
        let kids: Vec<usize> = f
            .children(p)
            .filter(|(_, c)| c.scope == line.scope)
            .map(|(c, _)| c)
            .collect();
        // The profile's sums split a line's children when it has several decompositions (a
        // department's 资金总额 by use, 基本支出 + 项目支出, and by source); without one, all
        // children add up to the line.
        let groups: Vec<Vec<usize>> = match Some(&ctx.table.profile) {
            Some(profile) if profile.sums.iter().filter(|s| s.total == line.key).count() > 1 => {
                profile
                    .sums
                    .iter()
                    .filter(|s| s.total == line.key)
                    .map(|s| {
                        kids.iter()
                            .copied()
                            .filter(|c| s.parts.contains(&f.lines[*c].key))
                            .collect()
                    })
                    .collect()
            }
            _ => vec![kids],
        };
        for group in groups {
            let parts: Vec<usize> = group.iter().filter_map(|c| var_of[*c]).collect();
            if parts.is_empty() {
                continue;
            }
            let child_names: Vec<&str> = group.iter().map(|c| names[*c].as_str()).collect();
            ids.push(Identity {
                rule: rule_for(&names[p], &child_names),
                total,
                parts,
                kind: Kind::Equal,
                scope: if line.scope == FundingScope::MidTerm {
                    "中期："
                } else {
                    ""
                },
            });
        }
    }
    let find = |keys: &[&str], scope: Option<FundingScope>| {
        f.lines.iter().enumerate().find_map(|(i, l)| {
            let named = keys.contains(&l.key.as_str()) || keys.contains(&names[i].as_str());
            (named && scope.is_none_or(|s| l.scope == s))
                .then_some(var_of[i])
                .flatten()
        })
    };
    let annual = find(
        &["annual_total", "funding.annual_total"],
        Some(FundingScope::Annual),
    );
    let total = find(&["total", "funding.total"], None);
    Block {
        vars,
        ids,
        total,
        annual,
    }
}

/// The block as the fixed fields (a model without `funding.lines`), with the sums they obey
/// ([`fields::VIEW_SUMS`]).
fn legacy_block(ctx: &Ctx<'_>) -> Block {
    let t = ctx.table;
    let f = &t.funding;
    let mut vars: Vec<Var> = Vec::new();
    // Without 本级/转移 cells the amounts of the split are not the table's.
    let has_cells = !t.cells.is_empty();
    let split_only =
        |path: &str| path == "funding.own.total" || path.starts_with("funding.transfer.");
    let no_split = has_cells
        && fields::amounts()
            .filter(|a| split_only(a.path))
            .all(|a| !t.cells.contains_key(a.path));
    let mut var_of = std::collections::HashMap::new();
    for a in fields::amounts() {
        if no_split && split_only(a.path) {
            continue;
        }
        // Absurd amounts (beyond any budget) are left out rather than overflow a sum.
        let Some(value) = a.amount(f).filter(|v| v.abs() <= super::MAX_AMOUNT) else {
            continue;
        };
        let mut label = ctx.label(a.path);
        if no_split && a.path == "funding.own.carryover" {
            label = "上年结转资金".into();
        }
        vars.push(Var {
            field: a.path.to_string(),
            label,
            value,
            cell: ctx.cell_of(a.path),
            derived: has_cells && !t.cells.contains_key(a.path),
        });
        var_of.insert(a.path, vars.len() - 1);
    }
    let mut ids: Vec<Identity> = Vec::new();
    for sum in fields::VIEW_SUMS.iter().filter(|s| s.split != no_split) {
        let Some(&total) = var_of.get(sum.total) else {
            continue;
        };
        let parts: Vec<usize> = sum
            .parts
            .iter()
            .filter_map(|p| var_of.get(p).copied())
            .collect();
        if parts.is_empty() {
            continue;
        }
        ids.push(Identity {
            rule: rule_for(sum.total, sum.parts),
            total,
            parts,
            kind: Kind::Equal,
            scope: "",
        });
    }
    Block {
        total: var_of.get("funding.total").copied(),
        annual: var_of.get("funding.annual_total").copied(),
        vars,
        ids,
    }
}

/// Checks the funding identities and the cost sum. The goal text is evidence about the cost
/// indicators: a row whose amount it names is confirmed; a row it gives another amount for is
/// to blame when that amount is the one the sum needs.
pub(crate) fn check(ctx: &Ctx<'_>, goal: &GoalAnalysis) -> FundingOutcome {
    let confirmed_rows = goal.corroborated_rows();
    let tol = ctx.settings.tolerance;
    let t = ctx.table;
    let f = &t.funding;
    let mut out = Vec::new();
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

    if annual.is_none() {
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
    for (row, amount) in goal.claims() {
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

/// The number of decimals an amount was written with.
fn decimals(d: Decimal) -> u32 {
    d.normalize().scale()
}

/// An identity that holds within the tolerance: say so, and which side is rounded.
fn rounded(ctx: &Ctx<'_>, id: &Identity, vars: &[Var], tol: Decimal) -> Finding {
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
fn multi_year(
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
            msg.push_str(&if id.rule.id == COST_SUM.id && total_confirmed {
                format!("；{}与各项资金一致，请逐项核对成本指标的金额", total.label)
            } else if id.rule.id == COST_SUM.id {
                format!("；请核对各项成本指标的金额和{}", total.label)
            } else {
                "；无法判断哪一项有误，请逐项核对".to_string()
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
    use rust_decimal::Decimal;

    use crate::check::testutil::*;
    use crate::model::Severity;
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
        t.indicators[7].value = parse_value("151000");
        assert_eq!(one(&t, "cost.sum").cell, Some(cell("E21")));
        // One 元 off is within half a cent of 万元: equal, with a note.
        t.indicators[7].value = parse_value("150001");
        assert!(fired(&t, "cost.sum").is_empty());
        assert_eq!(one(&t, "funding.rounded").severity, Severity::Info);
    }

    #[test]
    fn six_decimals_of_wan_are_equal_within_the_tolerance() {
        let mut t = table();
        for a in [
            &mut t.funding.total,
            &mut t.funding.annual_total,
            &mut t.funding.own.total,
            &mut t.funding.own.fiscal,
        ] {
            *a = d("45.004");
        }
        assert!(fired(&t, "cost.sum").is_empty());
        let f = fired(&t, "funding.rounded");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Info);
        assert_eq!(f[0].cell, Some(cell("D7")));
        assert!(f[0].message.contains("成本指标合计"), "{}", f[0].message);
        assert!(f[0].message.contains("四舍五入"), "{}", f[0].message);
        // Beyond the tolerance it is a finding again.
        t.funding.annual_total = d("45.006");
        assert_eq!(fired(&t, "cost.sum").len(), 1);
    }

    #[test]
    fn multi_year_costs_are_named_as_such() {
        let mut t = table();
        t.project.period = "3年".into();
        t.funding.total = d("135");
        t.indicators[6].value = parse_value("90万元");
        t.indicators[7].value = parse_value("45万元");
        t.goal = "开展网络安全宣传周及应急演练。".into();
        assert!(fired(&t, "cost.sum").is_empty());
        let f = one(&t, "cost.period-costs");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("实施期"), "{}", f.message);
        assert!(!f.message.contains("应为 0.00"), "{}", f.message);
        assert_eq!(f.cell, Some(cell("E20")));
    }

    #[test]
    fn caps_and_unit_costs_are_not_summed() {
        let mut t = table();
        t.indicators
            .push(ind("产出指标", "成本指标", "项目总成本", "≤50万元", 27));
        t.indicators
            .push(ind("产出指标", "成本指标", "人均培训费", "≤500元", 28));
        t.indicators
            .push(ind("产出指标", "成本指标", "培训费标准", "500元/人", 29));
        assert!(fired(&t, "cost.sum").is_empty());
        assert!(fired(&t, "cost.no-amount").is_empty());
    }

    #[test]
    fn cost_sum_level_comes_from_the_profile() {
        let mut t = table();
        t.indicators[7].value = parse_value("16万元");
        assert_eq!(one(&t, "cost.sum").severity, Severity::Error);
        t.profile = "national".into();
        assert_eq!(one(&t, "cost.sum").severity, Severity::Warning);
        t.profile = "ningxia".into();
        assert_eq!(one(&t, "cost.sum").severity, Severity::Error);
    }

    /// A Gansu-style block typed as a tree: 省级资金 stays 省级资金 in messages.
    fn tree_table() -> crate::model::Table {
        use crate::model::{FundingLine, FundingScope};
        let mut t = table();
        t.profile = "national".into();
        t.cells.retain(|k, _| !k.starts_with("funding."));
        let line =
            |key: &str, label: &str, amount: &str, c: &str, parent: Option<usize>| FundingLine {
                key: key.into(),
                label: label.into(),
                amount: d(amount),
                raw: amount.into(),
                cell: Some(cell(c)),
                parent,
                scope: FundingScope::Annual,
                role: None,
            };
        t.funding.lines = vec![
            line("annual_total", "年度资金总额", "45", "D7", None),
            line("general_budget", "其中：一般公共预算", "30", "D8", Some(0)),
            line("fund_budget", "政府性基金预算", "10", "D9", Some(0)),
            line("transfer", "上级补助资金", "5", "D10", Some(0)),
            line("central", "中央资金", "2", "D11", Some(3)),
            line("provincial", "省级资金", "3", "D12", Some(3)),
        ];
        t
    }

    #[test]
    fn funding_sums_come_from_the_tree() {
        let mut t = tree_table();
        assert!(
            fired(&t, "funding.sum").is_empty(),
            "{:#?}",
            fired(&t, "funding.sum")
        );
        t.funding.lines[5].amount = d("4");
        let f = one(&t, "funding.sum");
        assert!(f.message.contains("省级资金"), "{}", f.message);
        assert!(f.message.contains("上级补助资金"), "{}", f.message);
        assert!(!f.message.contains("自治区"), "{}", f.message);
        assert_eq!(f.severity, Severity::Error);
        // The wrong line is the one in both failing sums… here only one sum fails, so the
        // parent of two amounts is pointed at when nothing stands out.
        assert!(f.cell.is_some());
        // A new kind of line needs no code: add one under 年度资金总额.
        let mut t = tree_table();
        t.funding.lines.push(crate::model::FundingLine {
            key: "own_income".into(),
            label: "单位自有资金".into(),
            amount: d("1"),
            cell: Some(cell("D13")),
            parent: Some(0),
            ..Default::default()
        });
        let f = one(&t, "funding.sum");
        assert!(f.message.contains("单位自有资金"), "{}", f.message);
        assert_eq!(f.cell, Some(cell("D13")), "{}", f.message);
    }

    #[test]
    fn mid_term_lines_are_summed_apart() {
        use crate::model::FundingScope;
        let mut t = tree_table();
        let mut mid = t.funding.lines.clone();
        let base = mid.len();
        for l in &mut mid {
            l.scope = FundingScope::MidTerm;
            l.parent = l.parent.map(|p| p + base);
            l.amount = l.amount.map(|a| a * Decimal::from(3));
        }
        t.funding.lines.extend(mid);
        assert!(fired(&t, "funding.sum").is_empty());
        t.funding.lines[base + 1].amount = d("91");
        let f = one(&t, "funding.sum");
        assert!(f.message.starts_with("中期"), "{}", f.message);
    }

    #[test]
    fn messages_use_the_tables_wording() {
        let mut t = table();
        t.profile = "national".into();
        t.funding.transfer.regional = d("2");
        let f = one(&t, "funding.transfer-sum");
        assert!(!f.message.contains("自治区"), "{}", f.message);
        assert!(f.message.contains("省级资金"), "{}", f.message);
        t.profile = "ningxia".into();
        let f = one(&t, "funding.transfer-sum");
        assert!(f.message.contains("自治区资金"), "{}", f.message);
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
