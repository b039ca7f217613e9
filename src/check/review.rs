//! What a reviewer sends back beyond the sums: signs pointing the wrong way, 满意度 that cannot
//! be, 指标性质 that disagrees with the value, weights that do not add up, template text left
//! in, money stated as a target, vague wording where a number is expected.
//!
//! ```text
//!  | 质量指标       | 验收合格率      | ≤95%      |  ← a rate with ≤: direction
//!  | 满意度         | 服务对象满意度  | ≥120%     |  ← above 100 %: implausible
//!  | 指标性质 定性  | 培训覆盖面      | 85        |  ← 定性 with a number: nature
//!  | 数量指标       | 培训人次        | XX人次    |  ← left from the template: placeholder
//!  | 数量指标       | 培训经费        | 30万元    |  ← money under 数量: input as target
//!  | 质量指标       | 培训质量        | 进一步提高 |  ← vague where a number is expected
//! ```
//!
//! The words are data (`[review]` in `templates/rules.toml`); the 满意度 floor and the weight
//! split come from the profile or the user's rule file.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Ctx, Forms, Money, Rule, UnitNote, Vocab};
use crate::cell::CellRef;
use crate::model::{Finding, Indicator, IndicatorClass, Severity};
use crate::read::labels::normalize_label;
use crate::read::values::{parse_nature, parse_value};

/// A rate written with ≤, a cost written with ≥.
pub(crate) const DIRECTION: Rule = Rule {
    id: "values.direction",
    name: "指标方向有误",
    severity: Severity::Error,
    checks: "比率、满意度（越高越好）用“≥”，成本和发生率、投诉等（越低越好）用“≤”",
    forms: Forms::Targets,
    example: "指标“验收合格率”的值为“≤95%”，比率越高越好，应为“≥95%”",
};

/// 满意度 above 100 %, not a percentage, or below the floor.
pub(crate) const SATISFACTION_PLAUSIBLE: Rule = Rule {
    id: "values.satisfaction-plausible",
    name: "满意度不合理",
    severity: Severity::Warning,
    checks: "满意度是不超过 100% 的百分比（超过 100% 为错误），且不低于模板或规则文件设定的下限（默认 80%；不是百分比或低于下限为警告）",
    forms: Forms::Targets,
    example: "满意度指标“服务对象满意度”的值为“≥120%”，满意度不能超过 100%",
};

/// 指标性质 disagrees with the value.
pub(crate) const NATURE: Rule = Rule {
    id: "values.nature",
    name: "指标性质与指标值不符",
    severity: Severity::Warning,
    checks: "指标性质与指标值一致：定性指标不填数值，≥ ≤ ＝（定量）指标填数值并有度量单位，度量单位与指标值相符",
    forms: Forms::Targets,
    example: "指标“宣传覆盖面”的指标性质为“定性”，指标值却是数值“85”",
};

/// Weights do not add up.
pub(crate) const WEIGHTS: Rule = Rule {
    id: "values.weights",
    name: "权重合计不符",
    severity: Severity::Error,
    checks: "有权重（分值）列时，全部指标的权重合计 100；模板或规则文件（或一级指标名称中的分值，如“产出指标(50分)”）规定了各一级指标的分值时，各一级指标下的权重合计等于该分值",
    forms: Forms::Targets,
    example: "指标权重合计 95 分，应为 100 分",
};

/// Template text left in.
pub(crate) const PLACEHOLDER: Rule = Rule {
    id: "values.placeholder",
    name: "模板占位符未替换",
    severity: Severity::Error,
    checks: "指标名称、指标值和年度目标中没有留下模板的占位符（XX项、**月**日前、待定、……、单独的“/”“*”）",
    forms: Forms::Targets,
    example: "指标“培训人次”的值为“XX人次”，是模板的占位符，应填写实际数值",
};

/// Money as a target.
pub(crate) const INPUT_AS_TARGET: Rule = Rule {
    id: "values.input-as-target",
    name: "以投入代替产出",
    severity: Severity::Warning,
    checks: "数量、质量、效益指标写的是产出和效果，而不是投入的资金（金额只属于成本指标）",
    forms: Forms::Targets,
    example: "数量指标“培训经费”的值为“30万元”，是投入的资金，应写培训的数量（如“培训500人次”）",
};

/// Vague wording where a number is expected.
pub(crate) const VAGUE: Rule = Rule {
    id: "values.vague",
    name: "指标值表述含糊",
    severity: Severity::Warning,
    checks: "数量、质量、时效、满意度指标和定量指标给出可衡量的数值，而不是“进一步提高”“有效促进”“明显改善”“有所提升”等",
    forms: Forms::Targets,
    example: "质量指标“培训质量”的值为“进一步提高”，应给出可衡量的数值（如“考核合格率≥95%”）",
};

/// Runs the reviewer's rules on one table.
pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, ind) in ctx.table.indicators.iter().enumerate() {
        let name = ind.name.trim();
        let raw = ind.value.raw.trim();
        if name.is_empty() && raw.is_empty() {
            continue;
        }
        if placeholder(ctx, i, ind, &mut out) {
            continue;
        }
        if name == "无" || ind.value.is_none_marker() {
            continue;
        }
        direction(ctx, i, ind, &mut out);
        satisfaction(ctx, i, ind, &mut out);
        nature(ctx, i, ind, &mut out);
        input_as_target(ctx, i, ind, &mut out);
        vague(ctx, i, ind, &mut out);
    }
    goal_placeholder(ctx, &mut out);
    weights(ctx, &mut out);
    out
}

fn value_cell(ind: &Indicator) -> Option<CellRef> {
    ind.cell.or(ind.name_cell)
}

/// The comparator the row states: its value's, else its 指标性质 column's.
fn comparator(ind: &Indicator) -> Option<String> {
    match ind.value.comparator.as_deref() {
        Some(c) if c != "=" => Some(c.to_string()),
        other => ind
            .nature
            .as_deref()
            .and_then(parse_nature)
            .map(str::to_string)
            .or_else(|| other.map(str::to_string)),
    }
}

/// The unit of a row: after its number, else its 度量单位 column.
fn unit(ind: &Indicator) -> Option<String> {
    ind.value
        .unit
        .clone()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| ind.unit_column.clone().filter(|u| !u.trim().is_empty()))
}

fn is_percent(ctx: &Ctx<'_>, unit: Option<&str>) -> bool {
    unit.is_some_and(|u| ctx.vocab.same_unit(u, "%"))
}

fn direction(ctx: &Ctx<'_>, i: usize, ind: &Indicator, out: &mut Vec<Finding>) {
    let Some(c) = comparator(ind) else { return };
    let v = ctx.vocab;
    let class = ctx.classes[i];
    let name = ind.name.trim();
    let lower = v.lower_is_better(name);
    let money_cost = class == IndicatorClass::Cost && !ctx.is_cost_rate(i);
    let rate = !money_cost
        && (class == IndicatorClass::Satisfaction
            || v.is_rate_name(name)
            || is_percent(ctx, unit(ind).as_deref()));
    let short = super::clip(name, 30);
    let raw = ind.value.raw.trim();
    let (what, want) = match c.as_str() {
        "≤" | "<" if rate && !lower => ("比率、满意度越高越好", "≥"),
        "≥" | ">" if money_cost => ("成本越低越好", "≤"),
        // A count of complaints or accidents (`有效投诉次数 ≥3次`) points the wrong way too.
        "≥" | ">"
            if lower && (rate || class == IndicatorClass::Cost || ind.value.number.is_some()) =>
        {
            ("该指标越低越好", "≤")
        }
        _ => return,
    };
    out.push(
        ctx.finding(
            &DIRECTION,
            value_cell(ind),
            format!("指标“{short}”的值为“{raw}”（{c}），{what}，应为“{want}”"),
        )
        .field(format!("indicators[{i}].value"))
        .found_expected(c, want),
    );
}

fn satisfaction(ctx: &Ctx<'_>, i: usize, ind: &Indicator, out: &mut Vec<Finding>) {
    if ctx.classes[i] != IndicatorClass::Satisfaction {
        return;
    }
    let v = ctx.vocab;
    let name = ind.name.trim();
    if !v.is_satisfaction_name(name) {
        // values.satisfaction-measure says it is not a satisfaction measure at all.
        return;
    }
    let raw = ind.value.raw.trim();
    let short = super::clip(name, 30);
    let u = unit(ind);
    let problem = match ind.value.number {
        None => Some(("不是百分比", "百分比（如“≥90%”）".to_string())),
        Some(n) => {
            let pct = if is_percent(ctx, u.as_deref()) {
                Some(n)
            } else if u.is_none() && n <= Decimal::ONE {
                Some(n * Decimal::from(100))
            } else if u.is_none() && n <= Decimal::from(100) {
                Some(n)
            } else {
                None
            };
            let floor = ctx.settings.satisfaction_floor;
            match pct {
                None => Some(("不是百分比", "百分比（如“≥90%”）".to_string())),
                Some(p) if p > Decimal::from(100) => Some(("超过 100%", "不超过 100%".to_string())),
                Some(p) if p < floor && !matches!(comparator(ind).as_deref(), Some("≤" | "<")) => {
                    Some(("低于下限", format!("≥{}%", floor.normalize())))
                }
                Some(_) => None,
            }
        }
    };
    if let Some((what, want)) = problem {
        let over = what == "超过 100%";
        let why = if what == "低于下限" {
            format!(
                "低于满意度下限 {}%（模板或规则文件设定）",
                ctx.settings.satisfaction_floor.normalize()
            )
        } else {
            what.to_string()
        };
        let mut f = ctx
            .finding(
                &SATISFACTION_PLAUSIBLE,
                value_cell(ind),
                format!("满意度指标“{short}”的值为“{raw}”，{why}；应为 {want}"),
            )
            .field(format!("indicators[{i}].value"))
            .found_expected(raw, want);
        if over {
            // Above 100 % cannot be; the other cases may be a form's own scale.
            f.severity = Severity::Error;
        }
        out.push(f);
    }
}

fn nature(ctx: &Ctx<'_>, i: usize, ind: &Indicator, out: &mut Vec<Finding>) {
    let v = ctx.vocab;
    let raw = ind.value.raw.trim();
    let short = super::clip(ind.name.trim(), 30);
    let field = format!("indicators[{i}].value");
    let nat = ind.nature.as_deref().map(str::trim).unwrap_or("");
    let mut push = |msg: String, found: String, expected: &str| {
        out.push(
            ctx.finding(&NATURE, value_cell(ind), msg)
                .field(field.clone())
                .found_expected(found, expected),
        );
    };
    if nat.contains("定性") {
        if parse_value(raw).number.is_some() && !v.is_time_value(raw) {
            push(
                format!("指标“{short}”的指标性质为“定性”，指标值却是数值“{raw}”"),
                raw.to_string(),
                "定性描述，或将指标性质改为 ≥ ≤ ＝",
            );
        }
        return;
    }
    let quantitative = parse_nature(nat).is_some() || nat.contains("定量");
    if quantitative && ind.value.number.is_none() {
        // A deadline under ≤ or ＝ reads "no later than" (`≤ | 2026年10月底前`); under ≥ it
        // points the wrong way, and is text where a number is due.
        let sign = parse_nature(nat);
        if ctx.classes[i] == IndicatorClass::Timeliness
            && v.is_time_value(raw)
            && !matches!(sign, Some("≥" | ">"))
        {
            return;
        }
        push(
            format!("指标“{short}”的指标性质为“{nat}”（定量），指标值却是文字“{raw}”"),
            raw.to_string(),
            "数值，或将指标性质改为定性",
        );
        return;
    }
    let typed = ind.value.unit.as_deref().map(str::trim).unwrap_or("");
    let no_column = ind
        .unit_column
        .as_deref()
        .is_none_or(|c| c.trim().is_empty());
    if let (true, Some(_), Some((money, other))) = (
        no_column,
        ind.value.number,
        super::money::glued_units(v, typed),
    ) {
        // Two units in one cell (`28.8万元%`): the money rules read the amount.
        push(
            format!("指标“{short}”的值“{raw}”写了两个单位：“{money}”和“{other}”"),
            typed.to_string(),
            "一个度量单位",
        );
        return;
    }
    let Some(column) = ind.unit_column.as_deref().map(str::trim) else {
        return;
    };
    if ind.value.number.is_none() {
        return;
    }
    if column.is_empty() {
        if typed.is_empty() && quantitative {
            push(
                format!("定量指标“{short}”的值“{raw}”没有度量单位"),
                raw.to_string(),
                "填写度量单位",
            );
        }
        return;
    }
    // The value may carry its own unit beside the column's (`28.8万元` + `%`).
    let own = match typed.strip_suffix(column) {
        Some(rest) if !rest.is_empty() => rest,
        Some(_) => return,
        None => typed,
    };
    if !own.is_empty() && !v.same_unit(own, column) {
        push(
            format!("指标“{short}”的值“{raw}”的单位“{own}”与度量单位“{column}”不符"),
            own.to_string(),
            column,
        );
    }
}

fn input_as_target(ctx: &Ctx<'_>, i: usize, ind: &Indicator, out: &mut Vec<Finding>) {
    let class = ctx.classes[i];
    let name = ind.name.trim();
    let applies = match class {
        IndicatorClass::Quantity
        | IndicatorClass::Quality
        | IndicatorClass::Social
        | IndicatorClass::Ecological
        | IndicatorClass::Sustainable => true,
        IndicatorClass::Economic => Vocab::mentions(&ctx.vocab.review.input_words, name),
        _ => false,
    };
    // Only a full money unit: `≥200万` under 质量 is a count of people.
    let full = |n: &UnitNote| *n == UnitNote::Full;
    let money = match ctx.money(&ind.value) {
        Money::Amount(_, n) | Money::Cap(_, n) => full(&n),
        _ => false,
    };
    if !applies || !money {
        return;
    }
    let raw = ind.value.raw.trim();
    let level = if ind.level2.trim().is_empty() {
        "该"
    } else {
        ind.level2.trim()
    };
    out.push(
        ctx.finding(
            &INPUT_AS_TARGET,
            value_cell(ind),
            format!(
                "{level}指标“{}”的值为“{raw}”，是投入的资金，不是产出或效果；金额应列在成本指标中，此处写完成的数量、质量或效果",
                super::clip(name, 30)
            ),
        )
        .field(format!("indicators[{i}].value"))
        .found_expected(raw, "产出或效果（数量、比率、时间）"),
    );
}

fn vague(ctx: &Ctx<'_>, i: usize, ind: &Indicator, out: &mut Vec<Finding>) {
    let v = ctx.vocab;
    let raw = ind.value.raw.trim();
    if ind.value.number.is_some() || !Vocab::mentions(&v.review.vague_words, raw) {
        return;
    }
    let class = ctx.classes[i];
    let name = ind.name.trim();
    let nat = ind.nature.as_deref().unwrap_or("");
    let expects_number = matches!(
        class,
        IndicatorClass::Quantity
            | IndicatorClass::Quality
            | IndicatorClass::Timeliness
            | IndicatorClass::Satisfaction
            | IndicatorClass::Cost
    ) || parse_nature(nat).is_some()
        || nat.contains("定量")
        || v.is_rate_name(name);
    if !expects_number {
        return;
    }
    out.push(
        ctx.finding(
            &VAGUE,
            value_cell(ind),
            format!(
                "指标“{}”的值为“{raw}”，表述含糊，无法衡量；应给出数值（如“≥95%”“500人次”）",
                super::clip(name, 30)
            ),
        )
        .field(format!("indicators[{i}].value"))
        .found_expected(raw, "可衡量的数值"),
    );
}

/// The placeholder a text holds, if any.
pub(crate) fn placeholder_in<'v>(vocab: &'v Vocab, text: &str, whole: bool) -> Option<&'v str> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if whole {
        if let Some(p) = vocab
            .review
            .placeholder_equals
            .iter()
            .find(|p| p.as_str() == t)
        {
            return Some(p);
        }
    }
    vocab
        .review
        .placeholder_contains
        .iter()
        .find(|p| t.contains(p.as_str()))
        .map(String::as_str)
}

fn placeholder(ctx: &Ctx<'_>, i: usize, ind: &Indicator, out: &mut Vec<Finding>) -> bool {
    let v = ctx.vocab;
    let raw = ind.value.raw.trim();
    let name = ind.name.trim();
    let (cell, field, text, p) = if let Some(p) = placeholder_in(v, raw, true) {
        (value_cell(ind), format!("indicators[{i}].value"), raw, p)
    } else if let Some(p) = placeholder_in(v, name, true) {
        (
            ind.name_cell.or(ind.cell),
            format!("indicators[{i}].name"),
            name,
            p,
        )
    } else {
        return false;
    };
    out.push(
        ctx.finding(
            &PLACEHOLDER,
            cell,
            format!(
                "指标“{}”中的“{text}”含模板占位符“{p}”，应填写实际内容",
                super::clip(name, 30)
            ),
        )
        .field(field)
        .found_expected(text, "实际内容"),
    );
    true
}

fn goal_placeholder(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = ctx.table;
    for (field, text) in [
        ("goal", t.goal.as_str()),
        ("project.name", t.project.name.as_str()),
        ("project.period", t.project.period.as_str()),
    ] {
        let Some(p) = placeholder_in(ctx.vocab, text, field != "goal") else {
            continue;
        };
        let label = ctx.label(field);
        out.push(
            ctx.finding(
                &PLACEHOLDER,
                ctx.cell_of(field),
                format!("“{label}”中含模板占位符“{p}”，应填写实际内容"),
            )
            .field(field)
            .found_expected(super::clip(text, 30), "实际内容"),
        );
    }
}

/// The cell of a row's weight: the row of its name, the column of the 权重 header.
fn weight_cell(ctx: &Ctx<'_>, ind: &Indicator) -> Option<CellRef> {
    let row = ind.name_cell.or(ind.cell)?.row;
    let col = ctx
        .table
        .columns
        .iter()
        .find(|c| c.role == "weight")
        .and_then(|c| c.cell)
        .map(|c| c.col);
    Some(col.map_or_else(
        || ind.name_cell.or(ind.cell).unwrap_or(CellRef::new(row, 0)),
        |c| CellRef::new(row, c),
    ))
}

fn weights(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let weighted: Vec<(usize, Decimal)> = t
        .indicators
        .iter()
        .enumerate()
        .filter_map(|(i, ind)| ind.weight.map(|w| (i, w)))
        .collect();
    if weighted.is_empty() {
        return;
    }
    // The scores the first levels print (`产出指标(50分)`): where every weighted row's first
    // level has one, they are the grid's share of the 100 (a 自评表 gives the rest to
    // 资金执行率, outside the grid).
    let mut printed: BTreeMap<String, Decimal> = BTreeMap::new();
    let all_printed = weighted.iter().all(|(i, _)| {
        let l1 = &t.indicators[*i].level1;
        match super::vocab::score_in(l1) {
            Some(score) => {
                printed.insert(
                    ctx.vocab.level1(ctx.fw, l1).unwrap_or(l1).to_string(),
                    score,
                );
                true
            }
            None => false,
        }
    });
    let hundred = if all_printed {
        printed.values().copied().sum()
    } else {
        Decimal::from(100)
    };
    let total: Decimal = weighted.iter().map(|(_, w)| *w).sum();
    let tol = Decimal::new(1, 2);
    // Many provinces score 预算执行率 outside the grid (10 of the 100): a table that prints
    // one has 90 for its indicators.
    let rate_outside = !all_printed
        && t.metadata
            .iter()
            .any(|m| normalize_label(&m.label).contains("预算执行率"));
    let ninety = rate_outside && (total - Decimal::from(90)).abs() <= tol;
    if (total - hundred).abs() > tol && !ninety {
        let first = &t.indicators[weighted[0].0];
        out.push(
            ctx.finding(
                &WEIGHTS,
                weight_cell(ctx, first),
                format!(
                    "指标权重合计 {} 分（{} 项），应为 {} 分{}",
                    total.normalize(),
                    weighted.len(),
                    hundred.normalize(),
                    if all_printed {
                        "（各一级指标名称中的分值合计）"
                    } else {
                        ""
                    }
                ),
            )
            .field("indicators[].weight")
            .found_expected(
                total.normalize().to_string(),
                hundred.normalize().to_string(),
            ),
        );
    }
    // Per first level: the profile's or the rule file's split, else the scores the level
    // names carry (`产出指标(50分)`).
    let mut split: BTreeMap<String, Decimal> = BTreeMap::new();
    if let Some(s) = &ctx.settings.weight_split {
        for (l1, w) in s {
            let name = ctx.vocab.level1(ctx.fw, l1).unwrap_or(l1).to_string();
            split.insert(name, *w);
        }
    }
    for ind in &t.indicators {
        if let (Some(score), Some(l1)) = (
            super::vocab::score_in(&ind.level1),
            ctx.vocab.level1(ctx.fw, &ind.level1),
        ) {
            split.entry(l1.to_string()).or_insert(score);
        }
    }
    for (l1, want) in &split {
        let rows: Vec<(usize, Decimal)> = weighted
            .iter()
            .copied()
            .filter(|(i, _)| {
                ctx.vocab.level1(ctx.fw, &t.indicators[*i].level1) == Some(l1.as_str())
            })
            .collect();
        let Some((first, _)) = rows.first() else {
            continue;
        };
        let sum: Decimal = rows.iter().map(|(_, w)| *w).sum();
        if (sum - *want).abs() > tol {
            out.push(
                ctx.finding(
                    &WEIGHTS,
                    weight_cell(ctx, &t.indicators[*first]),
                    format!(
                        "一级指标“{l1}”下的权重合计 {} 分，应为 {} 分",
                        sum.normalize(),
                        want.normalize()
                    ),
                )
                .field(format!("indicators[{first}].weight"))
                .found_expected(sum.normalize().to_string(), want.normalize().to_string()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testutil::*;
    use crate::model::Severity;
    use crate::read::values::parse_value;

    fn one(t: &crate::model::Table, rule: &str) -> crate::model::Finding {
        let f = fired(t, rule);
        assert_eq!(f.len(), 1, "{rule}: {f:#?}");
        f.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn direction() {
        let mut t = table();
        assert!(fired(&t, "values.direction").is_empty());
        t.indicators[3].value = parse_value("≤80%");
        let f = one(&t, "values.direction");
        assert_eq!(f.cell, Some(cell("E17")));
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.expected.as_deref(), Some("≥"));
        // 发生率 is lower-better: ≤ is right, ≥ is wrong.
        let mut t = table();
        t.indicators[9].value = parse_value("≥20%");
        assert_eq!(one(&t, "values.direction").cell, Some(cell("E23")));
        // A cost written with ≥.
        let mut t = table();
        t.indicators[7].value = parse_value("≥15万元");
        assert_eq!(one(&t, "values.direction").cell, Some(cell("E21")));
        // A fall of something lower-better is itself higher-better.
        let mut t = table();
        t.indicators[9] = ind("效益指标", "社会效益", "交通事故死亡人数下降率", "≥10%", 23);
        assert!(fired(&t, "values.direction").is_empty());
        // The whole name says the direction: a loss recovered is higher-better, a harm
        // suffered or a concentration lower-better.
        for (name, value, fires) in [
            ("挽回粮食损失", "≥3000吨", false),
            ("森林草原火灾受害率", "≤0.9‰", false),
            ("细颗粒物年均浓度", "≤45微克/立方米", false),
            ("审计、督查、巡视等指出问题项目比例", "≤1%", false),
            ("森林草原火灾受害率", "≥0.9‰", true),
        ] {
            let mut t = table();
            t.indicators[9] = ind("效益指标", "社会效益", name, value, 23);
            assert_eq!(!fired(&t, "values.direction").is_empty(), fires, "{name}");
        }
        // 节支率 ≥5% is a rate where more is better.
        let mut t = table();
        t.indicators
            .push(ind("产出指标", "成本指标", "政府采购节支率", "≥5%", 27));
        assert!(fired(&t, "values.direction").is_empty());
    }

    #[test]
    fn satisfaction_plausible() {
        let mut t = table();
        assert!(fired(&t, "values.satisfaction-plausible").is_empty());
        t.indicators[12].value = parse_value("≥120%");
        assert_eq!(
            one(&t, "values.satisfaction-plausible").cell,
            Some(cell("E26"))
        );
        t.indicators[12].value = parse_value("≥60%");
        let f = one(&t, "values.satisfaction-plausible");
        assert!(f.message.contains("80%"), "{}", f.message);
        t.indicators[12].value = parse_value("≥4.5分");
        assert_eq!(fired(&t, "values.satisfaction-plausible").len(), 1);
        t.indicators[12].value = parse_value("≥0.9");
        assert!(fired(&t, "values.satisfaction-plausible").is_empty());
        t.indicators[12].name = "服务对象满意情况".into();
        t.indicators[12].value = parse_value("较高");
        assert_eq!(fired(&t, "values.satisfaction-plausible").len(), 1);
    }

    #[test]
    fn nature_agrees_with_the_value() {
        let mut t = table();
        t.indicators[2].nature = Some("定性".into());
        t.indicators[2].value = parse_value("85");
        assert_eq!(one(&t, "values.nature").cell, Some(cell("E16")));
        t.indicators[2].value = parse_value("良好");
        assert!(fired(&t, "values.nature").is_empty());
        t.indicators[2].nature = Some("≥".into());
        assert_eq!(one(&t, "values.nature").cell, Some(cell("E16")));
        // A money unit in a % column.
        let mut t = table();
        t.indicators[3].nature = Some("≥".into());
        t.indicators[3].unit_column = Some("%".into());
        t.indicators[3].value = parse_value("28.8万元");
        let f = one(&t, "values.nature");
        assert!(f.message.contains("万元"), "{}", f.message);
        t.indicators[3].value = parse_value("≥80%");
        assert!(fired(&t, "values.nature").is_empty());
        t.indicators[3].unit_column = Some(String::new());
        t.indicators[3].value = parse_value("≥80");
        assert_eq!(one(&t, "values.nature").cell, Some(cell("E17")));
        // A deadline under ≤ reads "no later than"; under ≥ it is text where a number is due.
        let mut t = table();
        t.indicators[5].nature = Some("≤".into());
        assert!(fired(&t, "values.nature").is_empty());
        t.indicators[5].nature = Some("≥".into());
        assert_eq!(one(&t, "values.nature").cell, Some(cell("E19")));
    }

    #[test]
    fn a_unit_column_appended_after_a_money_unit_leaves_the_amount_to_the_cost_rules() {
        let mut t = table();
        // The reader writes `15万元` + `%` as `15万元%`.
        t.indicators[7].nature = Some("＝".into());
        t.indicators[7].unit_column = Some("%".into());
        t.indicators[7].value = parse_value("15万元%");
        assert_eq!(one(&t, "values.nature").cell, Some(cell("E21")));
        assert!(fired(&t, "cost.no-amount").is_empty());
        assert!(fired(&t, "cost.sum").is_empty());
    }

    /// A form without a unit column whose value carries two units in one cell (`28.8万元%`:
    /// a money unit, then a percent): the amount is money, the second unit a mismatch.
    #[test]
    fn two_units_in_one_cell_are_a_mismatch_and_the_amount_still_money() {
        for (value, column) in [
            ("28.8万元%", None),
            ("15万元％", Some("")),
            ("3000元天", None),
            ("8万%", None),
        ] {
            let mut t = table();
            t.indicators[7].unit_column = column.map(str::to_string);
            t.indicators[7].value = parse_value(value);
            let f = one(&t, "values.nature");
            assert_eq!(f.cell, Some(cell("E21")), "{value}");
            assert!(f.message.contains("两个单位"), "{}", f.message);
            assert!(fired(&t, "cost.no-amount").is_empty(), "{value}");
        }
        // One unit: a money rate, a money unit, a percent.
        for value in ["30万元/年", "30万元", "≥80%", "500元每人"] {
            let mut t = table();
            t.indicators[7].value = parse_value(value);
            assert!(fired(&t, "values.nature").is_empty(), "{value}");
        }
        // The amount is summed with the other cost rows.
        let mut t = table();
        let amount = t.indicators[7].value.raw.clone();
        t.indicators[7].value = parse_value(&format!("{amount}%"));
        assert!(fired(&t, "cost.sum").is_empty(), "{amount}%");
    }

    #[test]
    fn weights_add_up() {
        let mut t = table();
        assert!(fired(&t, "values.weights").is_empty());
        for (k, ind) in t.indicators.iter_mut().enumerate() {
            ind.weight = Some(rust_decimal::Decimal::from(if k < 12 { 7 } else { 16 }));
        }
        assert!(fired(&t, "values.weights").is_empty(), "7 × 12 + 16 = 100");
        t.indicators[0].weight = Some(rust_decimal::Decimal::from(2));
        let f = one(&t, "values.weights");
        assert_eq!(f.found.as_deref(), Some("95"));
        // A split printed in the first level's name.
        let mut t = table();
        for (k, ind) in t.indicators.iter_mut().enumerate() {
            ind.weight = Some(rust_decimal::Decimal::from(if k < 12 { 7 } else { 16 }));
            if ind.level1 == "产出指标" {
                ind.level1 = "产出指标(50分)".into();
            }
        }
        let f = one(&t, "values.weights");
        assert!(f.message.contains("产出指标"), "{}", f.message);
        assert_eq!(f.found.as_deref(), Some("56"));
        // 90 for the grid where the table scores 预算执行率 outside it; a range in a level
        // name (`(0-20)分`) fixes no total.
        let mut t = table();
        for (k, ind) in t.indicators.iter_mut().enumerate() {
            ind.weight = Some(rust_decimal::Decimal::from(if k < 12 { 7 } else { 6 }));
            ind.level1 = format!("{}(0-20)分", ind.level1);
        }
        assert_eq!(one(&t, "values.weights").found.as_deref(), Some("90"));
        t.metadata.push(crate::model::MetaField {
            key: String::new(),
            label: "年度预算执行率".into(),
            value: "100%".into(),
            ..Default::default()
        });
        assert!(fired(&t, "values.weights").is_empty());
    }

    #[test]
    fn placeholders_inputs_and_vague_values() {
        let mut t = table();
        for r in [
            "values.placeholder",
            "values.input-as-target",
            "values.vague",
        ] {
            assert!(fired(&t, r).is_empty(), "{r}");
        }
        t.indicators[0].value = parse_value("XX项");
        t.indicators[5].value = parse_value("2026年**月**日前");
        t.indicators[1].value = parse_value("/");
        let f = fired(&t, "values.placeholder");
        let cells: Vec<_> = f.iter().map(|f| f.cell).collect();
        assert_eq!(
            cells,
            [Some(cell("E14")), Some(cell("E15")), Some(cell("E19"))]
        );
        let mut t = table();
        t.indicators[0].value = parse_value("30万元");
        assert_eq!(one(&t, "values.input-as-target").cell, Some(cell("E14")));
        let mut t = table();
        t.indicators[2].value = parse_value("进一步提高");
        assert_eq!(one(&t, "values.vague").cell, Some(cell("E16")));
        // Under 可持续影响 a qualitative value is fine.
        let mut t = table();
        t.indicators[11].value = parse_value("有所提升");
        assert!(fired(&t, "values.vague").is_empty());
    }
}
