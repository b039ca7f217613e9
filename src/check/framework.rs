//! The indicator framework: the first- and second-level indicators a layout requires, each
//! second level holding at least one 三级 indicator or an explicit `无`, and level names that
//! are unknown or under the wrong first level.
//!
//! ```text
//!  | 一级指标   | 二级指标   | 三级指标          | 指标值 |
//!  | 产出指标   | 数量指标   | 网络安全宣传周项目 | 1项    |
//!  |            | …          |                   |        |
//!  | 效益指标   | 经济效益   | 无                | 无     |   ← explicit 无: fine
//!  | 满意度指标 | 服务对象满意度 | …满意率       | ≥80%   |
//! ```
//!
//! What each layout requires is `[layout.*]` in `templates/framework.toml`; which classes
//! must hold more than `无`, and which second levels may be left out, is `[framework]` in
//! `templates/rules.toml`. A profile adds its own 一级 / 二级 wordings (`[vocabulary]`, through
//! the framework [`crate::read::Profile::framework`] gives), may list the 二级 levels it
//! requires (`[thresholds] required_level2`), and says whether its blank form prints every 二级
//! row and whether a blank row means 不适用 (`[framework]`).

use std::collections::HashSet;

use super::{Ctx, Forms, Rule};
use crate::model::{Finding, IndicatorClass, Severity};
use crate::read::labels::{normalize_label, Required};

/// A required first-level indicator is missing.
pub(crate) const MISSING_LEVEL1: Rule = Rule {
    id: "framework.missing-level1",
    name: "缺少一级指标",
    severity: Severity::Error,
    checks: "模板要求的一级指标齐全（产出指标、效益指标、满意度指标；新式模板另有成本指标）",
    forms: Forms::Targets,
    example: "缺少一级指标“满意度指标”",
};

/// A required second-level indicator that must be filled is missing.
pub(crate) const MISSING_LEVEL2: Rule = Rule {
    id: "framework.missing-level2",
    name: "缺少二级指标",
    severity: Severity::Error,
    checks: "必须填写的二级指标齐全（数量、质量、时效、成本指标，服务对象满意度）",
    forms: Forms::Targets,
    example: "缺少二级指标“时效指标”（产出指标下），应至少填写一项三级指标",
};

/// A second-level indicator that may be 无 is left out instead of marked 无.
pub(crate) const MISSING_PLACEHOLDER: Rule = Rule {
    id: "framework.missing-placeholder",
    name: "不适用的二级指标被删去",
    severity: Severity::Warning,
    checks:
        "可以不适用的二级指标（经济效益、生态效益、可持续影响等）没有整行删去，而是保留并填“无”",
    forms: Forms::Targets,
    example: "缺少二级指标“生态效益”；不适用时应保留该行并填写“无”",
};

/// A second-level indicator with neither a 三级 indicator nor 无.
pub(crate) const EMPTY_LEVEL2: Rule = Rule {
    id: "framework.empty-level2",
    name: "二级指标下无三级指标",
    severity: Severity::Error,
    checks: "每个二级指标下至少有一项三级指标，或明确填写“无”",
    forms: Forms::Targets,
    example: "二级指标“生态效益”下没有三级指标；不适用时应填写“无”",
};

/// A level name outside the framework.
pub(crate) const UNKNOWN_LEVEL: Rule = Rule {
    id: "framework.unknown-level",
    name: "指标级次名称无法归类",
    severity: Severity::Warning,
    checks: "一级、二级指标名称属于指标体系（可用的写法见 templates/framework.toml）",
    forms: Forms::Targets,
    example: "二级指标“工作指标”不在指标体系中，无法归类",
};

/// A second level under the wrong first level.
pub(crate) const MISPLACED: Rule = Rule {
    id: "framework.misplaced",
    name: "二级指标所属一级不符",
    severity: Severity::Error,
    checks: "二级指标列在它所属的一级指标之下（如经济效益属于效益指标）",
    forms: Forms::Targets,
    example: "二级指标“经济效益”属于“效益指标”，却列在“产出指标”下",
};

/// Every 效益指标 row is 无.
pub(crate) const NO_BENEFIT: Rule = Rule {
    id: "framework.no-benefit",
    name: "效益指标全部为无",
    severity: Severity::Warning,
    checks: "效益指标不能全部为“无”：至少有一项经济、社会、生态效益或可持续影响指标",
    forms: Forms::Targets,
    example: "效益指标全部为“无”，项目没有说明任何效益",
};

/// The framework's entry a printed 二级 stands for: by its own name, else by the common
/// wording it is (`满意度` → 服务对象满意度).
fn level2_def<'f>(ctx: &Ctx<'f>, text: &str) -> Option<&'f crate::read::labels::Level2Def> {
    let layout = ctx.table.layout;
    ctx.fw
        .level2_in(text, layout)
        .or_else(|| ctx.fw.level2_in(&ctx.vocab.level2_name(text), layout))
}

/// Checks the framework of one table.
pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let t = ctx.table;
    let mut out = Vec::new();
    if t.indicators.is_empty() {
        out.push(
            ctx.finding(&MISSING_LEVEL1, None, "表中没有绩效指标")
                .field("indicators")
                .found_expected("（无指标）", "产出、效益、满意度指标"),
        );
        return out;
    }
    let first_cell = t.indicators.first().and_then(|i| i.name_cell.or(i.cell));
    // A grid that prints no level columns (`指标名称 | 指标值` only): the levels it lacks are
    // ones the form does not print, so the framework cannot be checked — said once.
    let level_column = t
        .columns
        .iter()
        .any(|c| c.role == "level1" || c.role == "level2");
    let levelled = t
        .indicators
        .iter()
        .any(|i| !i.level1.trim().is_empty() || !i.level2.trim().is_empty());
    if !t.columns.is_empty() && !level_column && !levelled {
        out.push(
            ctx.finding(
                &super::catalogue::NOT_RUN,
                first_cell,
                "指标表没有一级、二级指标栏，无法按指标体系核对",
            )
            .field("indicators")
            .found_expected("（表样无此栏）", "一级指标、二级指标"),
        );
        return out;
    }
    level_names(ctx, &mut out);
    required_levels(ctx, first_cell, &mut out);
    empty_level2(ctx, &mut out);
    no_benefit(ctx, &mut out);
    out
}

/// Unknown and misplaced level names, once each.
fn level_names(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let fw = ctx.fw;
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for (i, ind) in t.indicators.iter().enumerate() {
        let cell = ind.name_cell.or(ind.cell);
        let l1 = ctx.vocab.level1(fw, &ind.level1);
        let defs = fw.level2(&ctx.vocab.level2_name(&ind.level2));
        // A second level printed without its first is placed by its name.
        let placed = ind.level1.trim().is_empty() && !defs.is_empty();
        // Under a first level whose second levels are the table's own words (the evaluation
        // framework's 投入指标 / 过程指标), any second level is known and in its place.
        let own_words = l1.is_some_and(|l1| fw.any_level2(l1));
        if l1.is_none() && !placed && seen.insert(("1".into(), ind.level1.clone())) {
            let msg = if ind.level1.trim().is_empty() {
                format!(
                    "第 {} 项指标“{}”没有一级指标",
                    i + 1,
                    super::clip(&ind.name, 20)
                )
            } else {
                format!("一级指标“{}”不在指标体系中，无法归类", ind.level1)
            };
            out.push(
                ctx.finding(&UNKNOWN_LEVEL, cell, msg)
                    .field(format!("indicators[{i}].level1"))
                    .found_expected(
                        ind.level1.clone(),
                        "产出指标、效益指标、满意度指标或成本指标",
                    ),
            );
        }
        if defs.is_empty() && !own_words && seen.insert(("2".into(), ind.level2.clone())) {
            let msg = if ind.level2.trim().is_empty() {
                format!(
                    "第 {} 项指标“{}”没有二级指标",
                    i + 1,
                    super::clip(&ind.name, 20)
                )
            } else {
                format!("二级指标“{}”不在指标体系中，无法归类", ind.level2)
            };
            out.push(
                ctx.finding(&UNKNOWN_LEVEL, cell, msg)
                    .field(format!("indicators[{i}].level2"))
                    .found_expected(ind.level2.clone(), "指标体系中的二级指标"),
            );
        }
        if let Some(l1) = l1.filter(|_| !own_words) {
            if !defs.is_empty()
                && !defs.iter().any(|d| d.parent == l1)
                && seen.insert((ind.level1.clone(), ind.level2.clone()))
            {
                let parents: Vec<&str> = defs.iter().map(|d| d.parent.as_str()).collect();
                let parent = parents.join("”或“");
                out.push(
                    ctx.finding(
                        &MISPLACED,
                        cell,
                        format!(
                            "二级指标“{}”属于“{parent}”，却列在“{}”下",
                            ind.level2, ind.level1
                        ),
                    )
                    .field(format!("indicators[{i}].level1"))
                    .found_expected(ind.level1.clone(), parents.join("、")),
                );
            }
        }
    }
}

/// The levels the framework requires (一级, and 二级 under each), each missing one reported.
fn required_levels(
    ctx: &Ctx<'_>,
    first_cell: Option<crate::cell::CellRef>,
    out: &mut Vec<Finding>,
) {
    let t = ctx.table;
    let fw = ctx.fw;
    // Required levels — unless the grid prints first levels the framework does not know
    // (another framework, 实施效果指标 / 过程管理指标): then which levels it lacks cannot be
    // told, and the check says so instead of reporting the framework's levels missing.
    let unknown_level1 = t.indicators.iter().find(|i| {
        !i.level1.trim().is_empty()
            && ctx.vocab.level1(fw, &i.level1).is_none()
            && fw
                .level2_in(&ctx.vocab.level2_name(&i.level1), t.layout)
                .is_none()
    });
    if let Some(ind) = unknown_level1 {
        out.push(
            ctx.finding(
                &super::catalogue::NOT_RUN,
                ind.name_cell.or(ind.cell).or(first_cell),
                format!(
                    "一级指标“{}”不在指标体系中，无法核对是否缺少一级、二级指标",
                    ind.level1
                ),
            )
            .field("indicators")
            .found_expected(ind.level1.clone(), "指标体系中的一级指标"),
        );
    } else if let Some(req) = fw.required(t.layout) {
        missing_level1(ctx, req, first_cell, out);
        missing_level2(ctx, req, first_cell, out);
    }
}

/// The first levels the framework requires that the grid does not list.
fn missing_level1(
    ctx: &Ctx<'_>,
    req: &Required,
    first_cell: Option<crate::cell::CellRef>,
    out: &mut Vec<Finding>,
) {
    let t = ctx.table;
    let fw = ctx.fw;
    let mut present1: HashSet<&str> = t
        .indicators
        .iter()
        .filter_map(|i| {
            ctx.vocab.level1(fw, &i.level1).or_else(|| {
                fw.level2_in(&ctx.vocab.level2_name(&i.level2), t.layout)
                    .filter(|_| i.level1.trim().is_empty())
                    .map(|d| d.parent.as_str())
            })
        })
        .collect();
    // A first level the form prints as a second one (成本指标 under 产出指标, as the
    // classic generation and 大庆's 产出成本指标 do) is there; so is one whose second level
    // a generation lists under the first level printed (the 2015 template's 满意度 under
    // 效益指标).
    for i in &t.indicators {
        let Some(printed) = ctx.vocab.level1(fw, &i.level1) else {
            continue;
        };
        let l2 = ctx.vocab.level2_name(&i.level2);
        let own = fw.level2_in(&l2, t.layout).map(|d| d.parent.as_str());
        let listed = fw.level2(&l2).iter().any(|d| d.parent == printed);
        if let Some(own) = own.filter(|own| *own != printed && listed) {
            if let Some(l1) = req.level1.iter().find(|l| *l == own) {
                present1.insert(l1.as_str());
            }
        }
    }
    for i in &t.indicators {
        let name = ctx.vocab.level2_name(&i.level2);
        if let Some(l1) = req.level1.iter().find(|l| **l == *name) {
            present1.insert(l1.as_str());
        }
    }
    for name in &req.level1 {
        if !present1.contains(name.as_str()) {
            out.push(
                ctx.finding(&MISSING_LEVEL1, first_cell, format!("缺少一级指标“{name}”"))
                    .field("indicators")
                    .found_expected("（缺）", name.clone()),
            );
        }
    }
}

/// The second levels required (by the profile, the rule file or the framework) that the grid
/// does not list: an error where the level must be filled, else a missing placeholder row.
fn missing_level2(
    ctx: &Ctx<'_>,
    req: &Required,
    first_cell: Option<crate::cell::CellRef>,
    out: &mut Vec<Finding>,
) {
    let t = ctx.table;
    let fw = ctx.fw;
    // A second level counts as present wherever it is listed (misplacement is its own rule),
    // by its class, or by its name when it has none (the levels of a form's own framework).
    // A second level naming several at once (`社会、经济、生态效益指标`) lists each of them.
    let listed2: Vec<&crate::read::labels::Level2Def> = t
        .indicators
        .iter()
        .flat_map(|i| {
            let parts = fw.level2_parts(&ctx.vocab.level2_name(&i.level2));
            if parts.is_empty() {
                level2_def(ctx, &i.level2).into_iter().collect()
            } else {
                parts
            }
        })
        .collect();
    let present2: HashSet<IndicatorClass> = listed2
        .iter()
        .map(|d| d.class)
        .chain(ctx.classes.iter().copied())
        .filter(|c| *c != IndicatorClass::Unknown)
        .collect();
    // The profile or the user's rule file may say which second levels each first level
    // must list; otherwise the framework's list for the layout.
    let required: Vec<String> = match &ctx.settings.required_level2 {
        Some(map) => map.values().flatten().cloned().collect(),
        None => req.level2.clone(),
    };
    for name in &required {
        let Some(def) = level2_def(ctx, name) else {
            continue;
        };
        let listed = ctx.settings.required_level2.is_some();
        if present2.contains(&def.class)
            || listed2.iter().any(|d| d.name == def.name)
            || (!listed && ctx.vocab.is_optional_level2(t.layout, name))
        {
            continue;
        }
        // A level that need not be filled is missing (framework.missing-placeholder) only
        // from a form that prints every 二级 row: the rule is off for the others (the
        // profile's `[framework] every_level2`, see Settings).
        let f = if listed || ctx.vocab.framework.filled.contains(&def.class) {
            ctx.finding(
                &MISSING_LEVEL2,
                first_cell,
                format!(
                    "缺少二级指标“{name}”（{}下），应至少填写一项三级指标",
                    def.parent
                ),
            )
        } else {
            ctx.finding(
                &MISSING_PLACEHOLDER,
                first_cell,
                format!(
                    "缺少二级指标“{name}”（{}下）；不适用时应保留该行并填写“无”",
                    def.parent
                ),
            )
        };
        out.push(f.field("indicators").found_expected("（缺）", name.clone()));
    }
}

/// Second levels listed without any 三级 indicator or 无.
fn empty_level2(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let mut k = 0;
    while k < t.indicators.len() {
        let key = (
            normalize_label(&t.indicators[k].level1),
            normalize_label(&t.indicators[k].level2),
        );
        let mut end = k + 1;
        while end < t.indicators.len()
            && (
                normalize_label(&t.indicators[end].level1),
                normalize_label(&t.indicators[end].level2),
            ) == key
        {
            end += 1;
        }
        let group = &t.indicators[k..end];
        // A blank row means 不适用 on a form that says so (`[framework] blank_is_none`), unless
        // its class must be filled.
        let blank_is_none = ctx.table.profile.grid.blank_is_none
            && !ctx.vocab.framework.filled.contains(&ctx.classes[k]);
        if !blank_is_none
            && group
                .iter()
                .all(|i| i.name.trim().is_empty() && i.value.is_empty())
        {
            let first = &group[0];
            out.push(
                ctx.finding(
                    &EMPTY_LEVEL2,
                    first.name_cell.or(first.cell),
                    format!(
                        "二级指标“{}”下没有三级指标；不适用时应填写“无”",
                        first.level2
                    ),
                )
                .field(format!("indicators[{k}].name"))
                .found_expected("（空）", "三级指标或“无”"),
            );
        }
        k = end;
    }
}

/// 效益指标 all 无: the project states no benefit.
fn no_benefit(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let t = ctx.table;
    let benefit: Vec<usize> = (0..t.indicators.len())
        .filter(|i| ctx.vocab.framework.benefit.contains(&ctx.classes[*i]))
        .collect();
    let is_none = |i: usize| {
        let ind = &t.indicators[i];
        ind.name.trim() == "无" || ind.value.is_none_marker()
    };
    if !benefit.is_empty() && benefit.iter().all(|i| is_none(*i)) {
        let cell = t.indicators[benefit[0]].name_cell;
        out.push(
            ctx.finding(
                &NO_BENEFIT,
                cell,
                "效益指标全部为“无”，项目没有说明任何效益",
            )
            .field(format!("indicators[{}].name", benefit[0]))
            .found_expected("无", "至少一项效益指标"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testutil::*;
    use crate::model::Layout;

    #[test]
    fn missing_levels() {
        let t = table();
        for rule in [
            "framework.missing-level1",
            "framework.missing-level2",
            "framework.missing-placeholder",
        ] {
            assert!(fired(&t, rule).is_empty(), "{rule}");
        }
        let mut t = table();
        t.indicators.retain(|i| i.level1 != "满意度指标");
        let f = fired(&t, "framework.missing-level1");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("满意度指标"));
        let mut t = table();
        t.indicators.retain(|i| i.level2 != "时效指标");
        let f = fired(&t, "framework.missing-level2");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("时效指标"));
        let mut t = table();
        t.indicators.retain(|i| i.level2 != "生态效益");
        assert_eq!(fired(&t, "framework.missing-placeholder").len(), 1);
        assert!(fired(&t, "framework.missing-level2").is_empty());
        // A grid printing first levels of another framework (实施效果指标): which levels it
        // lacks cannot be told — one notice that the check could not run, no error.
        let mut t = table();
        t.indicators.retain(|i| i.level1 != "满意度指标");
        t.indicators[0].level1 = "实施效果指标".into();
        assert!(fired(&t, "framework.missing-level1").is_empty());
        assert!(fired(&t, "framework.missing-level2").is_empty());
        let n = fired(&t, "check.not-run");
        assert_eq!(n.len(), 1);
        assert!(n[0].message.contains("实施效果指标"), "{}", n[0].message);
    }

    #[test]
    fn national_layout_lets_social_and_eco_cost_out() {
        let mut t = table();
        t.layout = Layout::National;
        for i in &mut t.indicators {
            if i.level2 == "成本指标" {
                i.level1 = "成本指标".into();
                i.level2 = "经济成本指标".into();
            }
        }
        assert!(fired(&t, "framework.missing-level2").is_empty());
        assert!(fired(&t, "framework.missing-placeholder").is_empty());
        assert!(fired(&t, "framework.missing-level1").is_empty());
        t.indicators.retain(|i| i.level1 != "成本指标");
        assert_eq!(fired(&t, "framework.missing-level1").len(), 1);
    }

    #[test]
    fn empty_level2() {
        let mut t = table();
        assert!(fired(&t, "framework.empty-level2").is_empty());
        t.indicators[10] = ind("效益指标", "生态效益", "", "", 24);
        let f = fired(&t, "framework.empty-level2");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("C24")));
        assert!(fired(&t, "values.empty").is_empty());
    }

    #[test]
    fn unknown_and_misplaced() {
        let mut t = table();
        assert!(fired(&t, "framework.unknown-level").is_empty());
        assert!(fired(&t, "framework.misplaced").is_empty());
        t.indicators[0].level2 = "工作指标".into();
        t.indicators[1].level2 = "工作指标".into();
        let f = fired(&t, "framework.unknown-level");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].cell, Some(cell("C14")));
        let mut t = table();
        t.indicators[8].level1 = "产出指标".into();
        let f = fired(&t, "framework.misplaced");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("经济效益"), "{}", f[0].message);
        assert!(fired(&t, "framework.missing-placeholder").is_empty());
    }

    #[test]
    fn level_wordings_of_other_forms_are_known() {
        let mut t = table();
        t.profile = "hunan".into();
        for i in &mut t.indicators {
            match i.level2.as_str() {
                "时效指标" => i.level2 = "进度指标".into(),
                "生态效益" => i.level2 = "环境效益指标".into(),
                "服务对象满意度" => i.level2 = "社会公众或服务对象满意度指标".into(),
                _ => {}
            }
            match i.level1.as_str() {
                "效益指标" => i.level1 = "效果指标".into(),
                "产出指标" => i.level1 = "产出指标(50分)".into(),
                _ => {}
            }
        }
        let all = crate::check::check_table(&t, 0);
        let framework: Vec<_> = all
            .iter()
            .filter(|f| f.rule.starts_with("framework."))
            .collect();
        assert!(framework.is_empty(), "{framework:#?}");
        // 满意度指标 as a second level under 满意度指标, and a 二级 without its 一级.
        let mut t = table();
        t.indicators[12].level2 = "满意度指标".into();
        assert!(fired(&t, "framework.unknown-level").is_empty());
        assert!(fired(&t, "framework.missing-level2").is_empty());
        t.indicators[12].level1 = String::new();
        t.indicators[12].level2 = "社会公众或服务对象满意度指标".into();
        let all = crate::check::check_table(&t, 0);
        assert!(
            all.iter().all(|f| !f.rule.starts_with("framework.")),
            "{all:#?}"
        );
        assert!(fired(&t, "values.satisfaction-measure").is_empty());
    }

    /// Level names of other provinces' frameworks: a qualified 一级 (`预期产出指标`), another
    /// wording of the cost level (`预算(或投资规模)控制指标`), a 二级 naming several benefit
    /// classes at once — known, in place, and the classes it names are not missing.
    #[test]
    fn other_provinces_level_names() {
        let mut t = table();
        for i in &mut t.indicators {
            if i.level1 == "产出指标" {
                i.level1 = "预期产出指标".into();
            }
            if i.level2 == "成本指标" {
                i.level2 = "预算(或投资规模)控制指标".into();
            }
        }
        // 经济效益 / 社会效益 / 生态效益 printed as one row.
        t.indicators
            .retain(|i| !matches!(i.level2.as_str(), "经济效益" | "生态效益"));
        for i in &mut t.indicators {
            if i.level2 == "社会效益" {
                i.level2 = "社会、经济、生态效益 指标".into();
            }
        }
        let found = crate::check::check_table(&t, 0);
        let framework: Vec<_> = found
            .iter()
            .filter(|f| f.rule.starts_with("framework.") || f.rule == "check.not-run")
            .collect();
        assert!(framework.is_empty(), "{framework:#?}");
        // Its cost rows are still cost rows.
        assert!(fired(&t, "cost.sum").is_empty());
        // A name the framework does not have is still reported.
        t.indicators[0].level2 = "工作指标".into();
        assert_eq!(fired(&t, "framework.unknown-level").len(), 1);
    }

    /// The evaluation framework's 投入指标 / 过程指标 hold the indicators' own names in the 二级
    /// column: no unknown level, no misplaced one; the target levels are still required.
    #[test]
    fn evaluation_levels_hold_their_own_second_levels() {
        let mut t = table();
        t.indicators
            .insert(0, ind("投入指标", "资金到位率", "资金到位率", "100%", 12));
        t.indicators.insert(
            1,
            ind("过程指标", "质量指标", "资金专项核算", "专项核算", 13),
        );
        for rule in [
            "framework.unknown-level",
            "framework.misplaced",
            "framework.missing-level1",
            "check.not-run",
        ] {
            assert!(fired(&t, rule).is_empty(), "{rule}");
        }
        t.indicators.retain(|i| i.level1 != "满意度指标");
        assert_eq!(fired(&t, "framework.missing-level1").len(), 1);
    }

    #[test]
    fn required_second_levels_from_the_rule_file() {
        use crate::check::{Config, Settings, Vocab};
        let mut t = table();
        t.indicators.retain(|i| i.level2 != "生态效益");
        let config = Config::from_toml(
            "[thresholds]\nrequired_level2 = { \"产出指标\" = [\"数量指标\", \"质量指标\"] }\n",
            "jixiao.toml",
        )
        .unwrap_or_default();
        let s = Settings::resolve(Vocab::builtin(), &config, "ningxia", t.kind);
        let found = crate::check::check_table_with(&t, 0, &s);
        assert!(
            found
                .iter()
                .all(|f| !f.rule.starts_with("framework.missing")),
            "{found:#?}"
        );
        t.indicators.retain(|i| i.level2 != "质量指标");
        let found = crate::check::check_table_with(&t, 0, &s);
        let missing: Vec<_> = found
            .iter()
            .filter(|f| f.rule == "framework.missing-level2")
            .collect();
        assert_eq!(missing.len(), 1, "{found:#?}");
        assert!(missing[0].message.contains("质量指标"));
    }

    #[test]
    fn no_benefit() {
        let mut t = table();
        assert!(fired(&t, "framework.no-benefit").is_empty());
        t.indicators[9] = ind("效益指标", "社会效益", "无", "无", 23);
        t.indicators[11] = ind("效益指标", "可持续影响", "无", "无", 25);
        assert_eq!(fired(&t, "framework.no-benefit").len(), 1);
    }

    #[test]
    fn the_profile_says_whether_every_level2_row_is_printed() {
        // ningxia prints every 二级 row: a deleted one is reported, a blank one is an error.
        let mut t = table();
        t.indicators.retain(|i| i.level2 != "生态效益");
        assert_eq!(fired(&t, "framework.missing-placeholder").len(), 1);
        // national prints only the rows a department fills.
        t.profile = "national".into();
        assert!(fired(&t, "framework.missing-placeholder").is_empty());
        // hunan leaves the 效益 rows that do not apply blank.
        let mut t = table();
        t.profile = "hunan".into();
        t.indicators[10] = ind("效益指标", "生态效益", "", "", 24);
        assert!(fired(&t, "framework.empty-level2").is_empty());
        // …but a class that must be filled is still reported.
        t.indicators[0] = ind("产出指标", "数量指标", "", "", 14);
        t.indicators
            .retain(|i| i.level2 != "数量指标" || i.name.is_empty());
        assert_eq!(fired(&t, "framework.empty-level2").len(), 1);
    }
}
