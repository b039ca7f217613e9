//! Indicator values: filled in, quantified where the name asks for a number, a time where a
//! time is asked for, a satisfaction measure under 服务对象满意度, money with its full unit
//! under 成本指标.
//!
//! ```text
//!  | 时效指标       | 资金拨付及时率        | ≥80%     |  ← a rate, not a time: warning
//!  | 质量指标       | …活动覆盖率           | 较好      |  ← a rate without a number: warning
//!  | 成本指标       | …活动经费             | 8.00万   |  ← 万 without 元: warning
//!  | 服务对象满意度 | …投诉次数             | ≤2次     |  ← not a satisfaction measure: warning
//! ```

use super::{Ctx, Forms, Money, Rule, UnitNote, Vocab};
use crate::model::{Finding, IndicatorClass, Severity};
use crate::read::values::parse_value;

/// A name or a value left empty.
pub(crate) const EMPTY: Rule = Rule {
    id: "values.empty",
    name: "指标未填写完整",
    severity: Severity::Error,
    checks: "三级指标的名称和指标值都已填写",
    forms: Forms::Targets,
    example: "指标“培训合格率”没有填写指标值",
};

/// 无 where an indicator is required.
pub(crate) const NONE_REQUIRED: Rule = Rule {
    id: "values.none-required",
    name: "必填指标填为无",
    severity: Severity::Error,
    checks: "数量、质量、时效、成本指标不能填“无”（“无”只用于不适用的效益指标；满意度填“无”见 values.satisfaction-none）",
    forms: Forms::Targets,
    example: "时效指标填写为“无”；该类指标必须填写",
};

/// 满意度 left as 无.
pub(crate) const SATISFACTION_NONE: Rule = Rule {
    id: "values.satisfaction-none",
    name: "满意度填为无",
    severity: Severity::Warning,
    checks: "满意度指标不填“无”；内部运转项目没有外部服务对象时，可由模板或规则文件定为警告或关闭",
    forms: Forms::Targets,
    example: "服务对象满意度填写为“无”；有服务对象的项目应填写满意度（如“≥90%”）",
};

/// A 时效指标 that is not a time.
pub(crate) const TIMELINESS: Rule = Rule {
    id: "values.timeliness-not-time",
    name: "时效指标不是时间",
    severity: Severity::Warning,
    checks: "时效指标的值是时间、期限、时长或频次（2026年12月前、2023.07-2024.01、≤48小时、1次/月），而不是定性描述；按期完成的比率（…按期完成率）可以，写明何时的比率（…及时率、当年下达率）也可以，除非表样要求写明时间（timely_rates = false，如宁夏）",
    forms: Forms::Targets,
    example: "时效指标“项目实施进度”的值为“较快”，应写明完成时间或期限（如“2026年12月前”）",
};

/// A rate-type name with a qualitative value.
pub(crate) const RATE_QUALITATIVE: Rule = Rule {
    id: "values.rate-qualitative",
    name: "比率指标未量化",
    severity: Severity::Warning,
    checks: "名称是比率（…率，或满意度、参与度、知晓度等表示比例的…度）的指标应给出数值（≥80%），而不是定性描述；长度、浓度、进度等不是比率",
    forms: Forms::Targets,
    example: "指标“数字素养与技能提升月活动覆盖率”的值为“较好”，应给出数值（如“≥80%”）",
};

/// A satisfaction row that does not measure satisfaction.
pub(crate) const SATISFACTION: Rule = Rule {
    id: "values.satisfaction-measure",
    name: "满意度指标不是满意度",
    severity: Severity::Warning,
    checks: "服务对象满意度下的指标衡量满意度（名称含“满意”），而不是投诉次数等",
    forms: Forms::Targets,
    example: "服务对象满意度指标“基层党支部向上级组织部门投诉次数”（≤2次）不是满意度；应改为满意度（如“服务对象满意度 ≥90%”）",
};

/// A money amount without its full unit.
pub(crate) const MONEY_UNIT: Rule = Rule {
    id: "values.money-unit",
    name: "金额单位不完整",
    severity: Severity::Warning,
    checks: "成本指标的金额写全单位（万元、元），不写成“8.00万”或不带单位的数字",
    forms: Forms::Targets,
    example: "成本指标的金额“8.00万”缺少“元”，应写作“8.00万元”",
};

/// A cost indicator without a money amount.
pub(crate) const COST_NO_AMOUNT: Rule = Rule {
    id: "cost.no-amount",
    name: "成本指标没有金额",
    severity: Severity::Error,
    checks: "成本指标（经济成本指标）的值是金额（30万元），而不是数量或定性描述；名称或单位表明是比率的成本指标（政府采购节支率 ≥5%、成本控制率 ≤98%）不需要金额；其他成本指标已写明金额时，定性描述的成本指标（单项业务成本 符合相关规定）为警告",
    forms: Forms::Targets,
    example: "成本指标“培训费”的值为“≥90%”，不是金额",
};

/// Checks the values of one table.
pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let t = ctx.table;
    let v = ctx.vocab;
    let mut out = Vec::new();
    for (i, ind) in t.indicators.iter().enumerate() {
        let name = ind.name.trim();
        let raw = ind.value.raw.trim();
        let class = ctx.classes[i];
        let name_cell = ind.name_cell.or(ind.cell);
        let value_cell = ind.cell.or(ind.name_cell);
        let value_field = format!("indicators[{i}].value");
        if name.is_empty() && raw.is_empty() {
            // A blank row: framework.empty-level2 reports a second level left blank.
            continue;
        }
        if name.is_empty() || raw.is_empty() {
            let (cell, field, msg) = if raw.is_empty() {
                (
                    value_cell,
                    value_field.clone(),
                    format!("指标“{}”没有填写指标值", super::clip(name, 30)),
                )
            } else {
                (
                    name_cell,
                    format!("indicators[{i}].name"),
                    format!("指标值“{raw}”没有对应的指标名称（{}）", ind.level2),
                )
            };
            out.push(
                ctx.finding(&EMPTY, cell, msg)
                    .field(field)
                    .found_expected("（空）", "已填写"),
            );
            continue;
        }
        let is_none = name == "无" || ind.value.is_none_marker();
        if is_none {
            if class == IndicatorClass::Satisfaction {
                out.push(
                    ctx.finding(
                        &SATISFACTION_NONE,
                        if name == "无" { name_cell } else { value_cell },
                        format!(
                            "{}填写为“无”；有服务对象的项目应填写满意度（如“≥90%”）",
                            ind.level2
                        ),
                    )
                    .field(if name == "无" {
                        format!("indicators[{i}].name")
                    } else {
                        value_field.clone()
                    })
                    .found_expected("无", "满意度指标及指标值"),
                );
            } else if v.framework.filled.contains(&class) {
                out.push(
                    ctx.finding(
                        &NONE_REQUIRED,
                        if name == "无" { name_cell } else { value_cell },
                        format!("{}填写为“无”；该类指标必须填写", ind.level2),
                    )
                    .field(if name == "无" {
                        format!("indicators[{i}].name")
                    } else {
                        value_field.clone()
                    })
                    .found_expected("无", format!("{}的三级指标及指标值", ind.level2)),
                );
            }
            continue;
        }
        if ctx.is_placeholder(i) {
            // values.placeholder: template text left in, whatever the class asks for.
            continue;
        }
        let short = super::clip(name, 30);
        let example_year = t.year.unwrap_or(2026);
        match class {
            IndicatorClass::Timeliness
                if !(v.is_time_value(raw)
                    || v.is_rate_name(name)
                        && (Vocab::mentions(&v.review.timely_rate_words, name)
                            || ctx.settings.timely_rates
                                && Vocab::mentions(&v.review.time_rate_words, name))) =>
            {
                out.push(
                ctx.finding(
                    &TIMELINESS,
                    value_cell,
                    format!(
                        "时效指标“{short}”的值为“{raw}”，不是时间或期限；应写明完成时间或时限（如“{example_year}年12月前”“≤48小时”）"
                    ),
                )
                .field(value_field.clone())
                .found_expected(raw, "完成时间或时限"),
            )
            }
            IndicatorClass::Satisfaction if !v.is_satisfaction_name(name) => out.push(
                ctx.finding(
                    &SATISFACTION,
                    name_cell,
                    format!(
                        "服务对象满意度指标“{short}”（{raw}）不是满意度；应衡量服务对象的满意程度（如“…满意度 ≥90%”）"
                    ),
                )
                .field(format!("indicators[{i}].name"))
                .found_expected(name, "服务对象满意度"),
            ),
            IndicatorClass::Cost => match ctx.cost_money(i) {
                // A form that prints its own money with the short unit (Hunan's
                // `年度本级预算金额 | 250万`) writes money that way: not a unit left out.
                Money::Amount(_, UnitNote::Short(_)) | Money::Cap(_, UnitNote::Short(_))
                    if writes_short_money(t, ind.value.unit.as_deref()) => {}
                Money::Amount(_, UnitNote::Short(full)) | Money::Cap(_, UnitNote::Short(full)) => {
                    let unit = ind.value.unit.clone().unwrap_or_default();
                    let fixed = format!("{}{full}", raw.strip_suffix(unit.as_str()).unwrap_or(raw));
                    out.push(
                        ctx.finding(
                            &MONEY_UNIT,
                            value_cell,
                            format!("成本指标“{short}”的金额“{raw}”单位不完整，应写作“{fixed}”"),
                        )
                        .field(value_field.clone())
                        .found_expected(raw, fixed),
                    );
                }
                Money::Amount(_, UnitNote::Missing(unit)) | Money::Cap(_, UnitNote::Missing(unit)) => out.push(
                    ctx.finding(
                        &MONEY_UNIT,
                        value_cell,
                        format!(
                            "成本指标“{short}”的金额“{raw}”没有单位，已按本表单位（{unit}）核对；应写作“{raw}{unit}”"
                        ),
                    )
                    .field(value_field.clone())
                    .found_expected(raw, format!("{raw}{unit}")),
                ),
                Money::None if ctx.is_cost_rate(i) => {}
                Money::None => {
                    let mut f = ctx
                        .finding(
                            &COST_NO_AMOUNT,
                            value_cell,
                            format!("成本指标“{short}”的值为“{raw}”，不是金额；成本指标应写明金额（如“30万元”）"),
                        )
                        .field(value_field.clone())
                        .found_expected(raw, "金额（万元）");
                    // Beside rows that state the money (`项目总成本 ≤90万元` | `单项业务成本 符合相关
                    // 规定`, as Anhui's tables do), a described cost is wording to improve, not
                    // an amount missing.
                    let money_stated = ctx.of_class(IndicatorClass::Cost).any(|k| {
                        k != i && matches!(ctx.cost_money(k), Money::Amount(..) | Money::Cap(..))
                    });
                    if money_stated {
                        f.severity = Severity::Warning;
                    }
                    out.push(f);
                }
                Money::Amount(_, UnitNote::Full) | Money::Cap(_, UnitNote::Full) | Money::PerUnit => {}
            },
            _ => {}
        }
        // Vague wording (values.vague) and 满意度 (values.satisfaction-plausible) are said by
        // their own rules.
        // A number the reader kept as text (`90%` on a 定性 row) is values.nature's finding.
        // A number anywhere in the value (`±3%以内`, `3%左右`) quantifies the rate.
        if v.is_rate_name(name)
            && ind.value.number.is_none()
            && parse_value(raw).number.is_none()
            && !raw.chars().any(|c| c.is_ascii_digit())
            && !matches!(class, IndicatorClass::Cost | IndicatorClass::Satisfaction)
            && !Vocab::mentions(&v.review.vague_words, raw)
        {
            out.push(
                ctx.finding(
                    &RATE_QUALITATIVE,
                    value_cell,
                    format!("指标“{short}”是比率或程度，值却为“{raw}”；应给出数值（如“≥80%”）"),
                )
                .field(value_field.clone())
                .found_expected(raw, "数值（如 ≥80%）"),
            );
        }
    }
    out
}

/// The table prints an amount of its funding with `short` as its unit (`250万`), or did so in
/// the source `convert` wrote it from (a layout printing the amounts as numbers).
fn writes_short_money(t: &crate::model::Table, short: Option<&str>) -> bool {
    let Some(short) = short.filter(|s| !s.is_empty()) else {
        return false;
    };
    t.recorded_short_money.as_deref() == Some(short)
        || t.funding
            .lines
            .iter()
            .any(|l| l.amount.is_some() && typed_with(&l.raw, short))
}

/// `raw` is a number followed by `unit` (`250万`).
fn typed_with(raw: &str, unit: &str) -> bool {
    raw.trim()
        .strip_suffix(unit)
        .is_some_and(|n| n.ends_with(|c: char| c.is_ascii_digit()))
}

/// The short money unit (`万`) an amount of `t`'s funding is typed with (`250万`): what
/// `convert` records for a layout that prints the amounts as numbers.
pub(crate) fn short_money_unit(vocab: &Vocab, t: &crate::model::Table) -> Option<String> {
    vocab.money.short_units.keys().find_map(|short| {
        t.funding
            .lines
            .iter()
            .any(|l| l.amount.is_some() && typed_with(&l.raw, short))
            .then(|| short.clone())
    })
}

#[cfg(test)]
mod tests {
    use crate::check::testutil::*;
    use crate::read::values::parse_value;

    #[test]
    fn empty_values() {
        let mut t = table();
        assert!(fired(&t, "values.empty").is_empty());
        t.indicators[3].value = parse_value("");
        t.indicators[2].name = String::new();
        let f = fired(&t, "values.empty");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].cell, Some(cell("C16")));
        assert_eq!(f[1].cell, Some(cell("E17")));
    }

    #[test]
    fn none_where_required() {
        let mut t = table();
        assert!(fired(&t, "values.none-required").is_empty());
        t.indicators[4] = ind("产出指标", "时效指标", "无", "无", 18);
        let f = fired(&t, "values.none-required");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("C18")));
    }

    #[test]
    fn timeliness_wants_a_time() {
        let mut t = table();
        assert!(fired(&t, "values.timeliness-not-time").is_empty());
        t.indicators[4] = ind("产出指标", "时效指标", "资金拨付及时率", "≥80%", 18);
        let f = fired(&t, "values.timeliness-not-time");
        assert_eq!(f.len(), 1);
        // The libraries' own timeliness rates are times.
        for name in ["培训计划按期完成率", "项目按时完成率"] {
            let mut t = table();
            t.indicators[4] = ind("产出指标", "时效指标", name, "≥95%", 18);
            assert!(fired(&t, "values.timeliness-not-time").is_empty(), "{name}");
        }
        assert_eq!(f[0].cell, Some(cell("E18")));
        t.indicators[4].value = parse_value("≤48小时");
        assert!(fired(&t, "values.timeliness-not-time").is_empty());
        // Frequencies and dotted periods are times on every form.
        for value in ["1次/月", "2023.07-2024.01", "按月安排", "按季度调度"] {
            t.indicators[4].value = parse_value(value);
            assert!(
                fired(&t, "values.timeliness-not-time").is_empty(),
                "{value}"
            );
        }
    }

    /// A rate naming when it is measured is the 时效 indicator of the national templates: a time
    /// there, while the form whose reviewers want a date (`timely_rates = false`) still asks.
    #[test]
    fn timely_rates_follow_the_form() {
        for (name, value) in [("资金拨付及时率", "≥80%"), ("预算资金当年下达率", "100%")]
        {
            let mut t = table();
            t.indicators[4] = ind("产出指标", "时效指标", name, value, 18);
            assert_eq!(fired(&t, "values.timeliness-not-time").len(), 1, "{name}");
            t.profile = "national".into();
            assert!(fired(&t, "values.timeliness-not-time").is_empty(), "{name}");
            // Not a rate of when: still wants a time on any form.
            t.indicators[4] = ind("产出指标", "时效指标", "工作完成情况", "良好", 18);
            assert_eq!(fired(&t, "values.timeliness-not-time").len(), 1);
        }
    }

    #[test]
    fn rates_want_numbers() {
        let mut t = table();
        assert!(fired(&t, "values.rate-qualitative").is_empty());
        t.indicators[3].value = parse_value("较好");
        let f = fired(&t, "values.rate-qualitative");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("E17")));
        // Vague wording on a rate is said once, by values.vague.
        t.indicators[3].value = parse_value("有所提升");
        assert!(fired(&t, "values.rate-qualitative").is_empty());
        assert_eq!(fired(&t, "values.vague").len(), 1);
        t.indicators[3].name = "我区网民法治素养".into();
        t.indicators[3].value = parse_value("较好");
        assert!(fired(&t, "values.rate-qualitative").is_empty());
        // A tolerance is a number (`±3%以内`); a placeholder with only its unit is none.
        t.indicators[3].name = "补助款结算误差率".into();
        t.indicators[3].value = parse_value("±3%以内");
        assert!(fired(&t, "values.rate-qualitative").is_empty());
        t.indicators[3].value = parse_value("≧ %");
        assert_eq!(fired(&t, "values.rate-qualitative").len(), 1);
        // A length is no rate: neither a rate without a number nor a rate pointing down.
        t.indicators[3].name = "新建堤防、护岸长度".into();
        t.indicators[3].value = parse_value("较长");
        assert!(fired(&t, "values.rate-qualitative").is_empty());
        t.indicators[3].value = parse_value("≤5公里");
        assert!(fired(&t, "values.direction").is_empty());
        // A degree that is a share of people still is one.
        t.indicators[3].name = "培训对象参与度".into();
        t.indicators[3].value = parse_value("较好");
        assert_eq!(fired(&t, "values.rate-qualitative").len(), 1);
    }

    #[test]
    fn satisfaction_measures_satisfaction() {
        let mut t = table();
        assert!(fired(&t, "values.satisfaction-measure").is_empty());
        t.indicators[12] = ind(
            "满意度指标",
            "服务对象满意度",
            "基层党支部向上级组织部门投诉次数",
            "≤2次",
            26,
        );
        let f = fired(&t, "values.satisfaction-measure");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("C26")));
    }

    #[test]
    fn satisfaction_wordings_and_none() {
        for name in ["服务对象认可度", "群众好评率"] {
            let mut t = table();
            t.indicators[12] = ind("满意度指标", "服务对象满意度", name, "≥90%", 26);
            assert!(
                fired(&t, "values.satisfaction-measure").is_empty(),
                "{name}"
            );
        }
        let mut t = table();
        t.indicators[12] = ind("满意度指标", "服务对象满意度", "无", "无", 26);
        assert!(fired(&t, "values.none-required").is_empty());
        let f = fired(&t, "values.satisfaction-none");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, crate::model::Severity::Warning);
        assert_eq!(f[0].cell, Some(cell("C26")));
    }

    #[test]
    fn money_units() {
        let mut t = table();
        assert!(fired(&t, "values.money-unit").is_empty());
        t.indicators[6].value = parse_value("30万");
        let f = fired(&t, "values.money-unit");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].expected.as_deref(), Some("30万元"));
        assert_eq!(f[0].cell, Some(cell("E20")));
        // Still counted: the sum holds.
        assert!(fired(&t, "cost.sum").is_empty());
        t.indicators[6].value = parse_value("30");
        assert_eq!(
            fired(&t, "values.money-unit")[0].expected.as_deref(),
            Some("30万元")
        );
        // A table that prints its own money as `250万` writes money that way.
        t.indicators[6].value = parse_value("30万");
        t.funding.lines.push(crate::model::FundingLine {
            key: "annual_total".into(),
            label: "年度资金总额".into(),
            amount: t.funding.annual_total,
            raw: "45万".into(),
            ..Default::default()
        });
        assert!(fired(&t, "values.money-unit").is_empty());
        assert_eq!(
            super::short_money_unit(crate::check::Vocab::builtin(), &t).as_deref(),
            Some("万")
        );
        // Or did so in the source a converted form records (its amounts printed as numbers).
        t.funding.lines.clear();
        assert_eq!(fired(&t, "values.money-unit").len(), 1);
        t.recorded_short_money = Some("万".into());
        assert!(fired(&t, "values.money-unit").is_empty());
        t.recorded_short_money = Some("亿".into());
        assert_eq!(fired(&t, "values.money-unit").len(), 1);
    }

    #[test]
    fn cost_without_amount() {
        let mut t = table();
        assert!(fired(&t, "cost.no-amount").is_empty());
        t.indicators[7].value = parse_value("≥90%");
        let f = fired(&t, "cost.no-amount");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("E21")));
        t.indicators[7].value = parse_value("≤500元/人");
        assert!(fired(&t, "cost.no-amount").is_empty());
        // A money rate whose unit is longer than the value reader takes after a number, typed
        // in one cell (or printed so by a layout without a unit column), is money too.
        for rate in [
            "≤0.6元/平方米·月",
            "1.2万元/公里·年",
            "≤35元每平方米·月",
            "0.35元/千瓦时·户",
            "≤80元/人·工作日",
        ] {
            t.indicators[7].value = parse_value(rate);
            assert!(t.indicators[7].value.number.is_none(), "{rate}");
            assert!(fired(&t, "cost.no-amount").is_empty(), "{rate}");
        }
        // Not money: no money unit, or words after the unit.
        for other in [
            "≤0.6平方米/人·月",
            "0.6元/平方米 每月",
            "约0.6元/平方米·月起",
        ] {
            t.indicators[7].value = parse_value(other);
            assert_eq!(fired(&t, "cost.no-amount").len(), 1, "{other}");
        }
        // Rates the libraries list as cost indicators need no amount.
        for (name, value) in [("政府采购节支率", "≥5%"), ("项目成本控制率", "≤98%")]
        {
            let mut t = table();
            t.indicators
                .push(ind("产出指标", "成本指标", name, value, 27));
            assert!(fired(&t, "cost.no-amount").is_empty(), "{name}");
            assert!(
                fired(&t, "cost.sum").is_empty(),
                "{name}: the money rows add up"
            );
            t.indicators[7].value = parse_value("16万元");
            assert_eq!(
                fired(&t, "cost.sum").len(),
                1,
                "{name}: the money rows are still summed"
            );
        }
    }
}
