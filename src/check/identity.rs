//! The project's identity: required header fields filled in, 项目属性 a known kind, no project
//! twice in a batch, no indicator row twice in a table.
//!
//! ```text
//!  | 项目名称 | 宁夏网络安全服务项目                              |
//!  | 主管部门 | 自治区党委网信办 | 实施单位 | 自治区党委网信办本级 |
//!  | 项目属性 | 经常性项目       | 项目期   | 1年                  |
//! ```

use std::collections::HashMap;

use super::{Ctx, Forms, Rule};
use crate::model::Severity;
use crate::model::{Finding, Table};
use crate::read::labels::normalize_label;

/// A required header field is empty.
pub(crate) const MISSING_FIELD: Rule = Rule {
    id: "identity.missing-field",
    name: "必填项未填写",
    severity: Severity::Error,
    checks: "必填的表头项已填写：项目名称、主管部门、实施单位、项目属性、年度总体绩效目标",
    forms: Forms::Any,
    example: "“实施单位”未填写",
};

/// 项目属性 is not a known kind.
pub(crate) const ATTRIBUTE_KIND: Rule = Rule {
    id: "identity.attribute-kind",
    name: "项目属性不是已知种类",
    // Information: the attribute may be a word of a province the defaults do not hold; a
    // warning where the table's profile lists its form's own words.
    severity: Severity::Info,
    checks: "项目属性是已知的种类（经常性项目、一次性项目、一年期项目、跨年度项目…，见 templates/rules.toml）；表样配置未列出本表样的项目属性用词（[vocabulary] attributes）时，不认识的属性可能是其他地区的用词，只作提示",
    forms: Forms::Targets,
    example: "项目属性“重点项目”不是已知的种类（经常性项目、一次性项目、一年期项目、跨年度项目…）",
};

/// The same project twice in a batch.
pub const DUPLICATE_PROJECT: Rule = Rule {
    id: "identity.duplicate-project",
    name: "项目重复填报",
    severity: Severity::Warning,
    checks: "同一批表格中同一主管部门的同一项目（同一年度）只出现一次",
    forms: Forms::Any,
    example: "项目“网信研究项目”在 部门A.xlsx「网信研究」中已出现，重复填报",
};

/// The same indicator twice in a table.
pub(crate) const DUPLICATE_INDICATOR: Rule = Rule {
    id: "identity.duplicate-indicator",
    name: "指标重复",
    severity: Severity::Warning,
    checks: "同一二级指标下没有名称相同的三级指标",
    forms: Forms::Any,
    example: "质量指标下的“培训合格率”与第 17 行重复",
};

/// The text of a required field.
fn field_text<'a>(t: &'a Table, field: &str) -> Option<&'a str> {
    Some(match field {
        "project.name" => &t.project.name,
        "project.department" => &t.project.department,
        "project.implementing_unit" => &t.project.implementing_unit,
        "project.attribute" => &t.project.attribute,
        "project.period" => &t.project.period,
        "goal" => &t.goal,
        _ => return None,
    })
}

/// Checks the identity of one table.
pub(crate) fn check_table(ctx: &Ctx<'_>) -> Vec<Finding> {
    let t = ctx.table;
    let mut out = Vec::new();
    let required = if ctx.is_department() {
        &ctx.vocab.project.department_required
    } else {
        &ctx.vocab.project.required
    };
    for field in required {
        // A form without the label (the national form has no 项目属性; the Hubei
        // self-evaluation has goal blocks, no 年度总体目标) has nothing to fill. A targets form
        // must print its required fields; a later form prints what its profile lays out.
        let not_printed = !t.cells.is_empty()
            && ctx.cell_of(field).is_none()
            && (ctx.vocab.project.required_if_printed.contains(field)
                || t.form != crate::model::FormKind::Targets);
        if not_printed {
            continue;
        }
        if field_text(t, field).is_some_and(|s| s.trim().is_empty()) {
            if let Some(f) = ctx.not_run(&MISSING_FIELD, field) {
                out.push(f);
                continue;
            }
            let label = ctx.label(field);
            out.push(
                ctx.finding(
                    &MISSING_FIELD,
                    ctx.cell_of(field),
                    format!("“{label}”未填写"),
                )
                .field(field.clone())
                .found_expected("（空）", label.clone()),
            );
        }
    }
    let attr = t.project.attribute.trim();
    if !attr.is_empty() && !ctx.is_known_kind(attr) {
        let own = &ctx.table.profile.get().vocabulary.attributes;
        let kinds: Vec<&str> = own
            .iter()
            .chain(&ctx.vocab.project.kinds)
            .take(4)
            .map(String::as_str)
            .collect();
        // The form's own words are known only when its profile lists them: otherwise the
        // attribute may be a word of a province the defaults do not hold (基础建设、修缮类), and
        // the checker says it could not tell, as information (the rule's level).
        let (severity, message) = if own.is_empty() {
            (
                ATTRIBUTE_KIND.severity,
                format!(
                    "项目属性“{attr}”不在已知的种类中（{}…），本表样未列出其项目属性用词，无法确认",
                    kinds.join("、")
                ),
            )
        } else {
            (
                Severity::Warning,
                format!("项目属性“{attr}”不是已知的种类（{}…）", kinds.join("、")),
            )
        };
        let mut f = ctx
            .finding(&ATTRIBUTE_KIND, ctx.cell_of("project.attribute"), message)
            .field("project.attribute")
            .found_expected(attr, "已知的项目属性");
        f.severity = severity;
        out.push(f);
    }
    // The same indicator twice under one second level.
    let mut first: HashMap<(String, String), usize> = HashMap::new();
    for (i, ind) in t.indicators.iter().enumerate() {
        let name = normalize_label(&ind.name);
        if name.is_empty() || name == "无" {
            continue;
        }
        let level = match ctx.classes[i] {
            crate::model::IndicatorClass::Unknown => normalize_label(&ind.level2),
            c => format!("{c:?}"),
        };
        match first.get(&(level.clone(), name.clone())) {
            Some(&j) => {
                let other = &t.indicators[j];
                let at = other.name_cell.map_or_else(
                    || format!("第 {} 项", j + 1),
                    |c| format!("第 {} 行", c.row + 1),
                );
                let same = other.value.raw.trim() == ind.value.raw.trim();
                let what = if same {
                    "重复"
                } else {
                    "重名，指标值却不同"
                };
                out.push(
                    ctx.finding(
                        &DUPLICATE_INDICATOR,
                        ind.name_cell.or(ind.cell),
                        format!(
                            "{}下的“{}”与{at}{what}（{} / {}）",
                            ind.level2,
                            super::clip(&ind.name, 30),
                            other.value.raw.trim(),
                            ind.value.raw.trim()
                        ),
                    )
                    .field(format!("indicators[{i}].name"))
                    .found_expected(ind.name.clone(), "不重复的指标"),
                );
            }
            None => {
                first.insert((level, name), i);
            }
        }
    }
    out
}

/// Checks a batch of tables for projects given twice.
pub(crate) fn check_batch(tables: &[Table]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut first: HashMap<super::ProjectIdentity, usize> = HashMap::new();
    for (i, t) in tables.iter().enumerate() {
        let Some(key) = super::project_identity(t) else {
            continue;
        };
        match first.get(&key) {
            Some(&j) => {
                let o = &tables[j];
                let ctx = Ctx::new(t, i);
                let same = o.funding == t.funding && o.indicators.len() == t.indicators.len();
                let note = if same {
                    ""
                } else {
                    "，且两份的金额或指标不同"
                };
                out.push(
                    ctx.finding(
                        &DUPLICATE_PROJECT,
                        ctx.cell_of("project.name"),
                        format!(
                            "项目“{}”在 {}「{}」中已出现，重复填报{note}",
                            t.project.name, o.source.file, o.source.sheet
                        ),
                    )
                    .field("project.name")
                    .found_expected(
                        format!("{}「{}」", t.source.file, t.source.sheet),
                        "每个项目只填报一次",
                    ),
                );
            }
            None => {
                first.insert(key, i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;

    #[test]
    fn missing_fields() {
        let mut t = table();
        assert!(fired(&t, "identity.missing-field").is_empty());
        t.project.implementing_unit = " ".into();
        t.goal = String::new();
        let f = fired(&t, "identity.missing-field");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].cell, Some(cell("D5")));
        assert_eq!(f[1].field.as_deref(), Some("goal"));
        // No goal label found, but a label the reader did not understand: the check could not
        // run, said as information naming that cell.
        t.cells.remove("goal");
        t.metadata.push(crate::model::MetaField {
            key: String::new(),
            label: "年度工作要点".into(),
            value: "完成宣传周".into(),
            cell: Some(cell("B9")),
        });
        let f = fired(&t, "identity.missing-field");
        assert_eq!(f.len(), 1, "{f:?}");
        let n = fired(&t, "check.not-run");
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].severity, crate::model::Severity::Info);
        assert_eq!(n[0].cell, Some(cell("B9")));
        assert!(n[0].message.contains("年度工作要点"), "{}", n[0].message);
    }

    #[test]
    fn attribute_kind() {
        let mut t = table();
        assert!(fired(&t, "identity.attribute-kind").is_empty());
        t.project.attribute = "重点项目".into();
        let f = fired(&t, "identity.attribute-kind");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("B6")));
        // The built-in profile lists no attribute words of its own: an unknown one may be
        // another province's, said as information.
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].message.contains("无法确认"), "{}", f[0].message);
    }

    /// A profile listing its form's attribute words knows them: another word is a warning.
    #[test]
    fn attribute_kind_under_a_profile_listing_its_words() {
        let p = crate::read::profile::Profile::from_toml(
            "id = \"own-words\"\nextends = \"ningxia\"\n[vocabulary]\nattributes = [\"民生实事类\"]\n",
        )
        .expect("parses");
        let mut t = table();
        t.profile = crate::read::profile::ProfileRef::new(p);
        t.project.attribute = "民生实事类".into();
        assert!(fired(&t, "identity.attribute-kind").is_empty());
        t.project.attribute = "重点项目".into();
        let f = fired(&t, "identity.attribute-kind");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn attribute_kinds_of_other_provinces() {
        for kind in ["事业发展类", "机构运行保障类", "上年延续性项目"] {
            let mut t = table();
            t.project.attribute = kind.into();
            assert!(fired(&t, "identity.attribute-kind").is_empty(), "{kind}");
        }
    }

    #[test]
    fn department_tables_skip_project_checks() {
        let mut t = table();
        t.kind = crate::model::TableKind::Department;
        t.profile = "department".into();
        t.project.name = String::new();
        t.project.implementing_unit = String::new();
        t.project.attribute = "部门".into();
        t.goal = "履行网信职责，宣传周预算31万元。".into();
        t.indicators[7].value = crate::read::values::parse_value("16万元");
        let found = crate::check::check_table(&t, 0);
        for rule in [
            "identity.missing-field",
            "identity.attribute-kind",
            "cost.sum",
            "goal.cost-mismatch",
            "goal.amount-unmatched",
        ] {
            assert!(found.iter().all(|f| f.rule != rule), "{rule}: {found:#?}");
        }
        t.goal = String::new();
        let f = fired(&t, "identity.missing-field");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.contains("年度总体（绩效）目标"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn duplicate_indicator() {
        let mut t = table();
        assert!(fired(&t, "identity.duplicate-indicator").is_empty());
        // Same name under 数量 and 成本 is fine; twice under 数量 is not.
        t.indicators[1].name = "网络安全宣传周项目".into();
        let f = fired(&t, "identity.duplicate-indicator");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("C15")));
        assert!(f[0].message.contains("第 14 行"), "{}", f[0].message);
    }

    #[test]
    fn duplicate_project() {
        let a = table();
        let mut b = table();
        assert!(check_batch(std::slice::from_ref(&a)).is_empty());
        b.source.sheet = "Sheet2".into();
        let f = check_batch(&[a.clone(), b.clone()]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].table, Some(1));
        assert!(f[0].message.contains("Sheet1"));
        b.project.name = "网信研究项目".into();
        assert!(check_batch(&[a, b]).is_empty());
    }
}
