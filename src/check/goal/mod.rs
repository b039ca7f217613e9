//! Amounts named in 年度总体绩效目标, against the cost indicators and the total.
//!
//! The goal text is cut into clauses at `；。` and line breaks; every amount with a money
//! unit (`预算90万元`, `尾款资金162.75万元`, `0.73万元`) is read with the words before it
//! (after it, when nothing descriptive comes before). An amount agrees with the table when
//! - a set of cost indicators whose names resemble the clause adds up to it (the seed's
//!   `网络法治宣传及网信业务法务服务，预算90万元` is the 86 + 4 of two cost rows), or
//! - one cost indicator has exactly that amount, or
//! - it is 年度资金总额 or 项目总额 (or the clause says 合计/总预算 and it is).
//!
//! Names are compared by the character pairs they share, after dropping words that say
//! nothing about which cost is meant (`项目`, `经费`, `支付` …, in `templates/rules.toml`).
//! An amount that agrees with nothing but resembles a cost indicator is a mismatch, reported
//! with both figures: the goal's and the indicator's.
//!
//! Counts named in the goal, against the 数量指标, are in `count`.

mod count;

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::funding::FundingOutcome;
use super::{fmt_money, Ctx, Forms, Money, Rule, Vocab};

use crate::model::{Finding, IndicatorClass, Severity};
use crate::read::values::fold_width;
pub(crate) use count::{count_findings, COUNT_MISMATCH};

/// A goal amount that disagrees with the cost indicator it describes.
pub(crate) const COST_MISMATCH: Rule = Rule {
    id: "goal.cost-mismatch",
    name: "目标金额与成本指标不符",
    severity: Severity::Error,
    checks: "年度总体绩效目标中写明的金额与所说的成本指标（按名称相近、金额比对）不一致；名称相近的几项成本指标之和与目标金额相等也算一致",
    forms: Forms::Targets,
    example: "年度总体绩效目标写“支付升级改造项目监理及项目设计尾款0.73万元”，而成本指标“升级改造项目监理及设计尾款”（E19）为 0.78万元",
};

/// A goal total that disagrees with 年度资金总额.
pub(crate) const TOTAL_MISMATCH: Rule = Rule {
    id: "goal.total-mismatch",
    name: "目标总额与年度资金不符",
    severity: Severity::Error,
    checks: "年度总体绩效目标中写明的总额（合计、总预算…）与年度资金总额、项目总额都不相等",
    forms: Forms::Targets,
    example: "年度总体绩效目标写“项目总预算100万元”，而年度资金总额为 120.00 万元",
};

/// A goal amount that matches nothing.
pub(crate) const UNMATCHED: Rule = Rule {
    id: "goal.amount-unmatched",
    name: "目标金额无对应成本指标",
    severity: Severity::Warning,
    checks: "年度总体绩效目标中的金额找不到对应的成本指标，也不等于年度资金总额",
    forms: Forms::Targets,
    example: "年度总体绩效目标中的“培训费用12万元”找不到对应的成本指标",
};

/// A count the goal names that the 数量指标 do not state.

#[derive(Debug, Clone)]
pub(crate) struct GoalAmount {
    /// The amount as written (`0.73万元`).
    pub raw: String,
    /// In 万元.
    pub wan: Decimal,
    /// The words that say what it is for.
    pub context: String,
    /// The words before it in its clause.
    pub before: String,
    /// The clause says it is a total.
    pub is_total: bool,
    /// Not money the project spends: a result it brings (`村集体收入达6万元`) or a rate per
    /// head or unit (`补助标准为每生1500元`, `300元/亩`).
    pub not_spent: bool,
}

/// How a goal amount fits the table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// It is the total.
    Total,
    /// These cost indicators add up to it.
    Rows(Vec<usize>),
    /// It describes this cost indicator, which says otherwise.
    Mismatch(usize),
    /// It says it is the total, and is not.
    TotalMismatch,
    /// Nothing fits.
    Unmatched,
    /// No cost indicator need state it: not money spent, or one of the parts the goal
    /// breaks the year's money into (`…结算532万元，…尾款结算387万元` of 919 万元).
    Accounted,
}

/// The goal's amounts and how each fits.
#[derive(Debug, Default)]
pub(crate) struct GoalAnalysis {
    pub amounts: Vec<(GoalAmount, Outcome)>,
}

impl GoalAnalysis {
    /// Cost indicators whose amounts the goal confirms.
    pub(crate) fn corroborated_rows(&self) -> Vec<usize> {
        self.amounts
            .iter()
            .filter_map(|(_, o)| match o {
                Outcome::Rows(r) => Some(r.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Cost indicators the goal gives another amount for: (indicator, the goal's amount).
    pub(crate) fn claims(&self) -> Vec<(usize, Decimal)> {
        self.amounts
            .iter()
            .filter_map(|(a, o)| match o {
                Outcome::Mismatch(i) => Some((*i, a.wan)),
                _ => None,
            })
            .collect()
    }
}

fn amount_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| {
        Regex::new(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(亿元|万元|元|万|亿)").unwrap()
    })
}

/// The amounts of a goal text, with their context.
pub(crate) fn extract(ctx: &Ctx<'_>, goal: &str) -> Vec<GoalAmount> {
    let folded = fold_width(goal);
    let mut out = Vec::new();
    for seg in folded.split([';', '。', '\n', '!', '?']) {
        // (start, end, amount in 万元) of every money amount in the clause.
        let mut found: Vec<(usize, usize, Decimal)> = Vec::new();
        for c in amount_re().captures_iter(seg) {
            let Some(m) = c.get(0) else { continue };
            // Not the tail of a longer number or a code.
            if seg[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_ascii_alphanumeric() || p == '.')
            {
                continue;
            }
            // `90万` is money when nothing follows and its sentence speaks of money
            // (`预算30万，演练15万`); `200万人次` and `覆盖服务人群250万` are counts.
            let unit = &c[3];
            let unit = match ctx.vocab.full_unit(unit) {
                Some(full) => {
                    let about_money =
                        Vocab::mentions(&ctx.vocab.review.input_words, seg) || seg.contains('费');
                    if !about_money
                        || seg[m.end()..]
                            .chars()
                            .next()
                            .is_some_and(super::vocab::is_word_char)
                    {
                        continue;
                    }
                    full
                }
                None => unit,
            };
            let digits: String =
                format!("{}{}", &c[1], c.get(2).map_or("", |g| g.as_str())).replace(',', "");
            let Some(wan) = digits.parse::<Decimal>().ok().and_then(|n| {
                ctx.vocab
                    .money_factor(unit)
                    .and_then(|f| super::in_range(n, f))
            }) else {
                continue;
            };
            found.push((m.start(), m.end(), wan));
        }
        for (k, &(start, end, wan)) in found.iter().enumerate() {
            let prev_end = if k == 0 { 0 } else { found[k - 1].1 };
            let next_start = found.get(k + 1).map_or(seg.len(), |n| n.0);
            let pre = &seg[prev_end..start];
            let mut context = pre.to_string();
            let descriptive: usize = ctx
                .vocab
                .strip_stop_words(pre)
                .chars()
                .filter(|c| super::vocab::is_word_char(*c))
                .count();
            if descriptive < 4 {
                context.push_str(&seg[end..next_start]);
            }
            let last_piece = pre.rsplit([',', '、', ':']).next().unwrap_or(pre);
            // A rate says `每` before its amount (`每生`, `每人每月`) or `/` after it (`元/亩`).
            let clause = pre.rsplit([',', '、']).next().unwrap_or(pre);
            let rate = clause.contains('每') || seg[end..].trim_start().starts_with('/');
            let result = Vocab::mentions(&ctx.vocab.goal.result_words, last_piece);
            out.push(GoalAmount {
                raw: seg[start..end].trim().to_string(),
                wan,
                context,
                before: pre.to_string(),
                is_total: ctx.vocab.names_total(last_piece),
                not_spent: rate || result,
            });
        }
    }
    out
}

/// Character pairs of the words of a text (pairs never span punctuation).
fn bigrams(text: &str) -> HashSet<(char, char)> {
    let mut out = HashSet::new();
    for run in text.split(|c: char| !super::vocab::is_word_char(c)) {
        let chars: Vec<char> = run.chars().collect();
        for w in chars.windows(2) {
            out.insert((w[0], w[1]));
        }
    }
    out
}

/// How alike a clause and an indicator name are: shared pairs over the smaller set.
pub(crate) fn similarity(ctx: &Ctx<'_>, clause: &str, name: &str) -> f64 {
    let a = bigrams(&ctx.vocab.strip_stop_words(clause));
    let b = bigrams(&ctx.vocab.strip_stop_words(name));
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    let shared = a.intersection(&b).count();
    shared as f64 / smaller as f64
}

/// Most related rows tried in combination.
const MAX_RELATED: usize = 12;
/// Most rows in one combination.
const MAX_COMBINATION: usize = 4;

/// Reads the goal's amounts and fits each to the table.
pub(crate) fn analyse(ctx: &Ctx<'_>) -> GoalAnalysis {
    let t = ctx.table;
    if t.goal.trim().is_empty() {
        return GoalAnalysis::default();
    }
    let rows: Vec<(usize, Decimal)> = ctx
        .of_class(IndicatorClass::Cost)
        .filter_map(
            |i| match ctx.money(&super::typed_value(ctx.vocab, &t.indicators[i])) {
                Money::Amount(d, _) => Some((i, d)),
                _ => None,
            },
        )
        .collect();
    let row_sum: Decimal = rows.iter().map(|(_, d)| *d).sum();
    let totals: Vec<Decimal> = [t.funding.annual_total, t.funding.total]
        .into_iter()
        .flatten()
        .chain((!rows.is_empty()).then_some(row_sum))
        .collect();
    let mut out = GoalAnalysis::default();
    for amount in extract(ctx, &t.goal) {
        let mut related: Vec<(usize, Decimal, f64)> = rows
            .iter()
            .map(|(i, d)| {
                (
                    *i,
                    *d,
                    similarity(ctx, &amount.context, &t.indicators[*i].name),
                )
            })
            .filter(|(_, _, s)| *s >= ctx.vocab.goal.min_similarity)
            .collect();
        related.sort_by(|a, b| b.2.total_cmp(&a.2));
        related.truncate(MAX_RELATED);
        let is_total = totals.contains(&amount.wan);
        let outcome = if amount.is_total {
            if is_total {
                Outcome::Total
            } else {
                Outcome::TotalMismatch
            }
        } else if let Some(set) = combination(&related, amount.wan) {
            Outcome::Rows(set)
        } else if let Some((i, _)) = best_equal(ctx, &rows, &amount) {
            Outcome::Rows(vec![i])
        } else if is_total {
            Outcome::Total
        } else if amount.not_spent {
            Outcome::Accounted
        } else if let Some((i, _, _)) = related.first() {
            Outcome::Mismatch(*i)
        } else {
            Outcome::Unmatched
        };
        out.amounts.push((amount, outcome));
    }
    // In a table whose cost indicators state no amount (the Guangdong form's 预算控制指标 is
    // `年度预算执行率 ≥90%`), amounts that together make up the year's money (or the
    // project's) are the goal's own account of where it goes: none wants a cost row.
    let spent: Vec<Decimal> = out
        .amounts
        .iter()
        .filter(|(a, _)| !a.is_total && !a.not_spent)
        .map(|(a, _)| a.wan)
        .collect();
    let spent_sum: Decimal = spent.iter().copied().sum();
    let whole = [t.funding.annual_total, t.funding.total]
        .into_iter()
        .flatten()
        .any(|d| d == spent_sum);
    if rows.is_empty() && spent.len() >= 2 && whole {
        for (a, o) in &mut out.amounts {
            if *o == Outcome::Unmatched && !a.is_total {
                *o = Outcome::Accounted;
            }
        }
    }
    out
}

/// The smallest combination of related rows adding up to `want`, most similar first.
fn combination(related: &[(usize, Decimal, f64)], want: Decimal) -> Option<Vec<usize>> {
    fn search(
        related: &[(usize, Decimal, f64)],
        start: usize,
        size: usize,
        want: Decimal,
        picked: &mut Vec<usize>,
    ) -> bool {
        if size == 0 {
            return want.is_zero();
        }
        for k in start..related.len() {
            picked.push(related[k].0);
            if search(related, k + 1, size - 1, want - related[k].1, picked) {
                return true;
            }
            picked.pop();
        }
        false
    }
    (1..=MAX_COMBINATION.min(related.len())).find_map(|size| {
        let mut picked = Vec::new();
        search(related, 0, size, want, &mut picked).then_some(picked)
    })
}

/// A cost row with exactly the amount, the most similar one if several.
fn best_equal(
    ctx: &Ctx<'_>,
    rows: &[(usize, Decimal)],
    amount: &GoalAmount,
) -> Option<(usize, f64)> {
    rows.iter()
        .filter(|(_, d)| *d == amount.wan)
        .map(|(i, _)| {
            (
                *i,
                similarity(ctx, &amount.context, &ctx.table.indicators[*i].name),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// The last `max` characters of a clause, for messages.
fn tail(text: &str, max: usize) -> String {
    let t = text.trim().trim_start_matches([',', '、', ':', ' ']);
    let n = t.chars().count();
    if n <= max {
        t.to_string()
    } else {
        let s: String = t.chars().skip(n - max).collect();
        format!("…{s}")
    }
}

/// Puts back the full-width punctuation that folding turned into ASCII, where the goal text
/// has it, so a quoted clause reads as written.
fn unfold_punctuation(goal: &str, text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ',' if goal.contains('，') && !goal.contains(',') => '，',
            ':' if goal.contains('：') && !goal.contains(':') => '：',
            '(' if goal.contains('（') && !goal.contains('(') => '（',
            ')' if goal.contains('）') && !goal.contains(')') => '）',
            _ => c,
        })
        .collect()
}

/// The findings about the goal's amounts. When the cost indicators add up to 年度资金总额 (or
/// will once another indicator, blamed for the difference, is corrected), a goal amount that
/// disagrees with one of them is the one to blame; otherwise the indicator is.
pub(crate) fn findings(ctx: &Ctx<'_>, goal: &GoalAnalysis, funds: &FundingOutcome) -> Vec<Finding> {
    let t = ctx.table;
    let goal_cell = ctx.cell_of("goal");
    let mut out = Vec::new();
    // The sum of the amounts the goal lists, when it lists several parts.
    let parts: Vec<&GoalAmount> = goal
        .amounts
        .iter()
        .filter(|(a, _)| !a.is_total)
        .map(|(a, _)| a)
        .collect();
    let parts_sum: Decimal = parts.iter().map(|a| a.wan).sum();
    let sum_note = match t.funding.annual_total {
        Some(annual) if parts.len() >= 2 && parts_sum != annual => format!(
            "（目标中各项金额合计 {} 万元，年度资金总额 {} 万元）",
            fmt_money(parts_sum),
            fmt_money(annual)
        ),
        _ => String::new(),
    };
    let mut unmatched: Vec<(&GoalAmount, String)> = Vec::new();
    for (amount, outcome) in &goal.amounts {
        let said = unfold_punctuation(
            &t.goal,
            &format!("{}{}", tail(&amount.before, 24), amount.raw),
        );
        match outcome {
            Outcome::Mismatch(i) => {
                let ind = &t.indicators[*i];
                let row_wan = match ctx.money(&super::typed_value(ctx.vocab, ind)) {
                    Money::Amount(d, _) => d,
                    _ => Decimal::ZERO,
                };
                let row_cell = super::cell_text(ind.cell);
                let goal_wrong = match funds.cost_sum_holds {
                    Some(true) => true,
                    Some(false) => funds.cost_blamed.is_some_and(|b| b != *i),
                    None => false,
                };
                let mut msg = format!(
                    "{}写“{said}”，而成本指标“{}”（{row_cell}）为 {}，两者不符",
                    ctx.label("goal"),
                    super::clip(&ind.name, 30),
                    ind.value.raw.trim(),
                );
                if goal_wrong && funds.cost_sum_holds == Some(true) {
                    msg.push_str("；成本指标合计与年度资金总额一致，应是目标中的金额有误");
                } else if goal_wrong {
                    msg.push_str("；成本指标的差额另有原因（见 cost.sum），应是目标中的金额有误");
                } else {
                    msg.push_str("；请核对成本指标和目标中的金额");
                }
                msg.push_str(&sum_note);
                let goal_raw = amount.raw.clone();
                let row_raw = format!("{}万元", fmt_money(row_wan));
                let goal_text = format!("{}万元", fmt_money(amount.wan));
                let f = if goal_wrong {
                    ctx.finding(&COST_MISMATCH, goal_cell, msg)
                        .field("goal")
                        .found_expected(goal_raw, row_raw)
                } else {
                    ctx.finding(&COST_MISMATCH, ind.cell, msg)
                        .field(format!("indicators[{i}].value"))
                        .found_expected(row_raw, goal_text)
                };
                out.push(f);
            }
            Outcome::TotalMismatch => {
                let annual = t.funding.annual_total.map_or_else(
                    || "（未填写）".to_string(),
                    |d| format!("{} 万元", fmt_money(d)),
                );
                out.push(
                    ctx.finding(
                        &TOTAL_MISMATCH,
                        goal_cell,
                        format!(
                            "{}写“{said}”，而{}为 {annual}",
                            ctx.label("goal"),
                            ctx.label("funding.annual_total")
                        ),
                    )
                    .field("goal")
                    .found_expected(amount.raw.clone(), annual),
                );
            }
            Outcome::Unmatched => unmatched.push((amount, said)),
            Outcome::Total | Outcome::Rows(_) | Outcome::Accounted => {}
        }
    }
    // The amounts nothing fits are one fact about the goal (its parts have no cost rows, as
    // `其中:30万元用于…;30万元用于…`): one finding naming each with what it is for.
    if let Some((first, _)) = unmatched.first() {
        let quoted: String = unmatched
            .iter()
            .map(|(a, said)| {
                let after = a.context.get(a.before.len()..).unwrap_or("");
                let after = unfold_punctuation(&t.goal, &super::clip(after, 16));
                format!("“{said}{after}”")
            })
            .collect();
        let found = unmatched
            .iter()
            .map(|(a, _)| a.raw.as_str())
            .collect::<Vec<_>>()
            .join("、");
        let each = if unmatched.len() > 1 {
            "各金额都"
        } else {
            ""
        };
        out.push(
            ctx.finding(
                &UNMATCHED,
                goal_cell,
                format!(
                    "{}中的{quoted}{each}找不到对应的成本指标，也不等于{}；请核对是否与成本指标一致",
                    ctx.label("goal"),
                    ctx.label("funding.annual_total")
                ),
            )
            .field("goal")
            .found_expected(
                if unmatched.len() > 1 {
                    found
                } else {
                    first.raw.clone()
                },
                "与某项成本指标或年度资金总额一致",
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::count::counts;
    use super::*;
    use crate::check::testutil::*;
    use crate::check::Ctx;
    use crate::read::values::parse_value;

    /// The seed's 升级改造项目尾款支付项目, cost rows and goal.
    fn upgrade() -> crate::model::Table {
        let mut t = table();
        t.project.name = "升级改造项目尾款支付项目".into();
        for amount in [
            &mut t.funding.total,
            &mut t.funding.annual_total,
            &mut t.funding.own.total,
            &mut t.funding.own.fiscal,
        ] {
            *amount = d("165.53");
        }
        t.goal = "支付升级改造项目建设主体尾款资金162.75万元；支付升级改造项目监理及项目设计尾款0.73万元；支付升级改造项目竣工决算审计费用2万元。旨在维护项目合作双方的合法权益，保障项目合作的完整闭环。".into();
        t.indicators.retain(|i| i.level2 != "成本指标");
        t.indicators.insert(
            6,
            ind(
                "产出指标",
                "成本指标",
                "升级改造项目监理及设计尾款",
                "0.78万元",
                20,
            ),
        );
        t.indicators.insert(
            7,
            ind(
                "产出指标",
                "成本指标",
                "升级改造项目主体建设项目尾款",
                "162.75万元",
                21,
            ),
        );
        t.indicators.insert(
            8,
            ind(
                "产出指标",
                "成本指标",
                "项目财务竣工决算审计费用",
                "2.00万元",
                22,
            ),
        );
        t
    }

    #[test]
    fn amounts_and_their_clauses() {
        let t = upgrade();
        let ctx = Ctx::new(&t, 0);
        let a = extract(&ctx, &t.goal);
        let raws: Vec<&str> = a.iter().map(|x| x.raw.as_str()).collect();
        assert_eq!(raws, ["162.75万元", "0.73万元", "2万元"]);
        assert!(a[1].context.contains("监理及项目设计尾款"));
        assert!(!a.iter().any(|x| x.is_total));
        let a = extract(&ctx, "项目总预算1,200,000元，其中培训30万元");
        assert_eq!(a[0].wan, Decimal::new(120, 0));
        assert!(a[0].is_total);
        assert!(!a[1].is_total);
        assert!(extract(&ctx, "开展2026年度宣传，支持1-2个地市").is_empty());
        assert!(extract(&ctx, "覆盖网民200万人次，阅读量≥500万次").is_empty());
        let a = extract(&ctx, "宣传周预算30万，演练15万。");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].wan, Decimal::new(30, 0));
        assert_eq!(a[1].raw, "15万");
        assert!(extract(
            &ctx,
            "接入单位带宽不低于80M，覆盖服务人群250万，6月前完成割接"
        )
        .is_empty());
    }

    #[test]
    fn the_seed_mismatch_is_an_error_at_the_goal() {
        let t = upgrade();
        let f = fired(&t, "goal.cost-mismatch");
        assert_eq!(f.len(), 1, "{f:#?}");
        let f = &f[0];
        assert_eq!(f.cell, Some(cell("B12")));
        assert_eq!(f.found.as_deref(), Some("0.73万元"));
        assert_eq!(f.expected.as_deref(), Some("0.78万元"));
        assert!(f.message.contains("0.73万元"), "{}", f.message);
        assert!(f.message.contains("0.78万元"), "{}", f.message);
        assert!(f.message.contains("E20"), "{}", f.message);
        assert!(f.message.contains("165.48"), "{}", f.message);
        assert!(fired(&t, "cost.sum").is_empty());
    }

    #[test]
    fn a_wrong_cost_row_is_blamed_when_the_sum_fails() {
        let mut t = upgrade();
        t.goal = t.goal.replace("0.73", "0.78");
        assert!(fired(&t, "goal.cost-mismatch").is_empty());
        t.indicators[6].value = parse_value("0.88万元");
        let f = fired(&t, "goal.cost-mismatch");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].cell, Some(cell("E20")));
        assert_eq!(fired(&t, "cost.sum")[0].cell, Some(cell("E20")));
    }

    #[test]
    fn a_clause_may_cover_several_rows() {
        let mut t = table();
        for amount in [
            &mut t.funding.total,
            &mut t.funding.annual_total,
            &mut t.funding.own.total,
            &mut t.funding.own.fiscal,
        ] {
            *amount = d("120");
        }
        t.goal = "1. 开展网络法治宣传及网信业务法务服务，预算90万元，旨在推动我区网民法治素养稳步提升； 2. 开展宁夏辟谣平台及两微账号运营维护项目，预算10万元，旨在保障账号正常运营； 3. 牵头举办全民数字素养与技能提升月启动仪式，预算20万元。".into();
        t.indicators.retain(|i| i.level2 != "成本指标");
        for (k, (name, v)) in [
            ("宁夏辟谣平台及两微账号运营维护项目", "10万元"),
            ("全民数字素养与技能提升月活动项目", "20万元"),
            ("网络法治宣传项目经费", "86万元"),
            ("网信业务法务服务经费", "4万元"),
        ]
        .into_iter()
        .enumerate()
        {
            t.indicators
                .insert(6 + k, ind("产出指标", "成本指标", name, v, 20 + k as u32));
        }
        let ctx = Ctx::new(&t, 0);
        let g = analyse(&ctx);
        assert_eq!(g.amounts.len(), 3);
        assert!(
            matches!(&g.amounts[0].1, Outcome::Rows(r) if r.len() == 2),
            "{g:?}"
        );
        assert!(fired(&t, "goal.cost-mismatch").is_empty());
        assert!(fired(&t, "goal.amount-unmatched").is_empty());
        // 86 → 85: the clause no longer adds up.
        t.indicators[8].value = parse_value("85万元");
        t.indicators[9].value = parse_value("5万元");
        assert!(fired(&t, "goal.cost-mismatch").is_empty());
        t.indicators[9].value = parse_value("4万元");
        assert_eq!(fired(&t, "goal.cost-mismatch").len(), 1);
    }

    #[test]
    fn the_goal_tells_which_cost_row_changed() {
        let mut t = upgrade();
        t.indicators[7].value = parse_value("160.00万元");
        let sum = fired(&t, "cost.sum");
        assert_eq!(sum.len(), 1);
        assert_eq!(sum[0].cell, Some(cell("E21")));
        assert_eq!(sum[0].expected.as_deref(), Some("162.75"));
        let f = fired(&t, "goal.cost-mismatch");
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f.iter().any(|f| f.cell == Some(cell("E21"))));
    }

    #[test]
    fn totals_and_unmatched_amounts() {
        let mut t = table();
        t.goal = "项目总预算45万元。".into();
        assert!(fired(&t, "goal.total-mismatch").is_empty());
        t.goal = "项目总预算50万元。".into();
        let f = fired(&t, "goal.total-mismatch");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("B12")));
        t.goal = "购置办公设备12万元。".into();
        assert_eq!(fired(&t, "goal.amount-unmatched").len(), 1);
        // Three parts of one goal that no cost row states (池州 2022): one finding naming
        // what each is for, not three alike.
        t.goal = "本项目共申请预算资金45万元。其中:12万元用于基建工程项目预算编制;12万元用于基建工程项目审计;12万元用于测绘。".into();
        let f = fired(&t, "goal.amount-unmatched");
        assert_eq!(f.len(), 1, "{f:#?}");
        for part in [
            "其中:12万元用于基建工程项目预算编制",
            "12万元用于基建工程项目审计",
            "12万元用于测绘",
        ] {
            assert!(f[0].message.contains(part), "{part}: {}", f[0].message);
        }
        assert_eq!(f[0].found.as_deref(), Some("12万元、12万元、12万元"));
        t.goal = "开展网络安全宣传周等工作。".into();
        assert!(fired(&t, "goal.amount-unmatched").is_empty());
    }

    /// Amounts a goal names that are no spending (a result the project brings, a rate per
    /// head or unit), and a goal laying out the year's money where the cost rows state no
    /// amount, want no cost row; anything else does.
    #[test]
    fn amounts_that_want_no_cost_row() {
        let mut t = table();
        for goal in [
            "发展乡村旅游，村集体收入达6万元。",
            "带动农户增收20万元。",
            "补助标准为:每生1500 元。",
            "按300元/亩发放补贴。",
        ] {
            t.goal = goal.into();
            let f = fired(&t, "goal.amount-unmatched");
            assert!(f.is_empty(), "{goal}: {f:#?}");
        }
        t.goal = "购置办公设备12万元。".into();
        assert_eq!(fired(&t, "goal.amount-unmatched").len(), 1);
        // The year's 45 万元 laid out in the goal, cost rows stating a rate (广东's 预算控制指标).
        t.goal = "完成设计费结算20万元，以及3个项目补助尾款结算25万元。".into();
        assert_eq!(fired(&t, "goal.amount-unmatched").len(), 1);
        for i in &mut t.indicators {
            if i.level2 == "成本指标" {
                i.name = "年度预算执行率".into();
                i.value = parse_value("≥90%");
            }
        }
        assert!(fired(&t, "goal.amount-unmatched").is_empty());
        // Parts that do not make up the year's money are still reported.
        t.goal = "完成设计费结算20万元，以及3个项目补助尾款结算20万元。".into();
        assert_eq!(fired(&t, "goal.amount-unmatched").len(), 1);
    }

    #[test]
    fn goal_counts_against_the_grid() {
        let mut t = table();
        assert!(fired(&t, "goal.count-mismatch").is_empty());
        t.goal = "开展网络安全宣传周1项、应急演练1项，培训500人次。".into();
        let f = fired(&t, "goal.count-mismatch");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].cell, Some(cell("B12")));
        assert!(f[0].message.contains("人次"), "{}", f[0].message);
        t.indicators[0] = ind("产出指标", "数量指标", "培训人次", "≥300人次", 14);
        let f = fired(&t, "goal.count-mismatch");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].expected.as_deref(), Some("≥300人次"));
        t.indicators[0].value = parse_value("≥500人次");
        assert!(fired(&t, "goal.count-mismatch").is_empty());
        let ctx = Ctx::new(&t, 0);
        assert!(counts(&ctx, "支持1-2个地市，2026年完成，覆盖率95%").is_empty());
    }

    #[test]
    fn similarity_prefers_the_right_row() {
        let t = upgrade();
        let ctx = Ctx::new(&t, 0);
        let clause = "支付升级改造项目监理及项目设计尾款";
        let right = similarity(&ctx, clause, "升级改造项目监理及设计尾款");
        let wrong = similarity(&ctx, clause, "升级改造项目主体建设项目尾款");
        assert!(right > 0.9 && wrong < 0.5, "{right} {wrong}");
    }
}
