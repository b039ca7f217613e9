//! A suggested review grade per table (优 / 良 / 中 / 差), from its findings.
//!
//! The finance side grades every table it reviews; 中 and 差 go back for correction. The
//! suggestion follows the findings: an error (something definitely wrong) sends a table back,
//! warnings lower the score. The scoring is written in `docs/rules.md` ([`GRADE_DOC`]).

use std::collections::HashMap;

use crate::model::{Document, Finding, FormKind, Grade, Severity, Table};

/// Points off per error.
const ERROR_POINTS: u32 = 15;
/// Points off per warning.
const WARNING_POINTS: u32 = 3;
/// Warnings of one rule counted at most this many times: one habit of wording repeated
/// through a table is one problem to correct.
const WARNINGS_PER_RULE: u32 = 3;

/// The grades, from the best: (grade, least score, whether an error allows it).
pub const GRADE_SCALE: &[(&str, u32, bool)] = &[
    ("优", 90, false),
    ("良", 80, false),
    ("中", 60, true),
    ("差", 0, true),
];

/// The scoring, as `docs/rules.md` states it.
pub(crate) const GRADE_DOC: &str = "
## 建议评级（优／良／中／差）

`check`、`convert` 按每张表的检查结果给出建议评级（JSON 中为表的 `grade`：`{\"grade\": \"良\", \"score\": 88}`），
供审核参考，最终评级由审核人决定：

- 从 100 分起算：每条**错误**扣 15 分；每条**警告**扣 3 分，同一规则的警告最多计 3 条
  （同一写法在表中反复出现算一个问题）；**提示**不扣分；最低 0 分。
- 90 分及以上且没有错误为**优**；80 分及以上且没有错误为**良**；有错误、或不足 80 分而不低于 60 分为**中**；
  不足 60 分为**差**。有错误的表至多为中，即须退回修改。
- 被规则文件关闭的规则不计；级别被改变的规则按改变后的级别计。
- 建议评级只给绩效目标表。绩效自评表有自己的总分和等级（表中所填的，及按计分规则算出的），
  `check` 列出的是这两项；绩效运行监控表不评级。
";

/// The grade of a table with these findings.
pub fn grade_of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Grade {
    let mut errors = 0u32;
    let mut warnings: HashMap<&str, u32> = HashMap::new();
    for f in findings {
        match f.severity {
            Severity::Error => errors += 1,
            Severity::Warning => *warnings.entry(f.rule.as_str()).or_default() += 1,
            Severity::Info => {}
        }
    }
    let warned: u32 = warnings.values().map(|n| (*n).min(WARNINGS_PER_RULE)).sum();
    let lost = errors
        .saturating_mul(ERROR_POINTS)
        .saturating_add(warned.saturating_mul(WARNING_POINTS));
    let score = 100u32.saturating_sub(lost);
    let grade = GRADE_SCALE
        .iter()
        .find(|(_, least, with_errors)| score >= *least && (errors == 0 || *with_errors))
        .map_or("差", |(g, _, _)| *g);
    Grade {
        grade: grade.to_string(),
        score,
    }
}

/// Sets every targets table's suggested grade from `findings` (those of
/// [`super::check_with`]). A self-evaluation or monitoring table gets none: a self-evaluation
/// carries its own 总分 and 等级 ([`selfeval_result`]).
pub fn grade(doc: &mut Document, findings: &[Finding]) {
    let mut per_table: Vec<Vec<&Finding>> = vec![Vec::new(); doc.tables.len()];
    for f in findings {
        if let Some(list) = f.table.and_then(|i| per_table.get_mut(i)) {
            list.push(f);
        }
    }
    for (t, list) in doc.tables.iter_mut().zip(per_table) {
        t.grade = (t.form == FormKind::Targets).then(|| grade_of(list));
    }
}

/// A self-evaluation's own result in words — `总分 90（按计分规则 100），等级 优` — the printed
/// 总分 and 等级 where the form has them, else the computed ones, with the computed total beside
/// a printed one that differs. `None` for another form, or a self-evaluation with neither.
pub fn selfeval_result(t: &Table) -> Option<String> {
    if t.form != FormKind::SelfEvaluation {
        return None;
    }
    let total = t.total.as_ref()?;
    let printed = total.score.as_ref().and_then(|f| f.value);
    let computed = total.score_computed;
    let n = |d: rust_decimal::Decimal| d.round_dp(2).normalize().to_string();
    let score = match (printed, computed) {
        (Some(p), Some(c)) if p.round_dp(2) != c.round_dp(2) => {
            format!("总分 {}（按计分规则 {}）", n(p), n(c))
        }
        (Some(p), _) => format!("总分 {}", n(p)),
        (None, Some(c)) => format!("总分 {}（按计分规则；表中未填）", n(c)),
        (None, None) => String::new(),
    };
    let grade = total
        .grade
        .as_ref()
        .map(|g| g.text.trim().to_string())
        .filter(|g| !g.is_empty())
        .or_else(|| total.grade_computed.clone())
        .map(|g| format!("等级 {g}"));
    let parts: Vec<String> = [Some(score), grade]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("，"))
}

/// A self-evaluation's own grade (printed, else computed) for counting: `None` for another
/// form or without one.
pub fn selfeval_grade(t: &Table) -> Option<&str> {
    if t.form != FormKind::SelfEvaluation {
        return None;
    }
    let total = t.total.as_ref()?;
    total
        .grade
        .as_ref()
        .map(|g| g.text.trim())
        .filter(|g| !g.is_empty())
        .or(total.grade_computed.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(rule: &str, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            table: Some(0),
            ..Finding::default()
        }
    }

    #[test]
    fn scores_and_grades() {
        let g = grade_of(&[]);
        assert_eq!((g.grade.as_str(), g.score), ("优", 100));
        let g = grade_of(&[f("a", Severity::Warning), f("b", Severity::Warning)]);
        assert_eq!((g.grade.as_str(), g.score), ("优", 94));
        let many: Vec<Finding> = (0..6).map(|_| f("a", Severity::Warning)).collect();
        assert_eq!(
            grade_of(&many).score,
            91,
            "one rule counts three times at most"
        );
        let g = grade_of(&[f("x", Severity::Error)]);
        assert_eq!((g.grade.as_str(), g.score), ("中", 85));
        let g = grade_of(&[
            f("x", Severity::Error),
            f("y", Severity::Error),
            f("z", Severity::Error),
        ]);
        assert_eq!((g.grade.as_str(), g.score), ("差", 55));
        let w: Vec<Finding> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|r| f(r, Severity::Warning))
            .collect();
        assert_eq!(grade_of(&w).grade, "良");
        assert_eq!(grade_of(&[f("i", Severity::Info)]).score, 100);
    }

    #[test]
    fn grade_sets_every_table() {
        let mut doc = Document {
            tables: vec![Default::default(), Default::default()],
            ..Document::default()
        };
        let mut e = f("x", Severity::Error);
        e.table = Some(1);
        grade(&mut doc, &[e]);
        assert_eq!(doc.tables[0].grade.as_ref().map(|g| g.score), Some(100));
        assert_eq!(
            doc.tables[1].grade.as_ref().map(|g| g.grade.as_str()),
            Some("中")
        );
    }

    #[test]
    fn a_self_evaluation_keeps_its_own_grade() {
        use crate::model::{Figure, Note, Total};
        use rust_decimal::Decimal;
        let mut t = Table {
            form: FormKind::SelfEvaluation,
            ..Table::default()
        };
        t.total = Some(Total {
            score: Some(Figure::of(Decimal::from(90))),
            score_computed: Some(Decimal::from(100)),
            grade_computed: Some("优".into()),
            ..Total::default()
        });
        let mut doc = Document {
            tables: vec![t, Table::default()],
            ..Document::default()
        };
        grade(&mut doc, &[f("x", Severity::Error)]);
        assert!(doc.tables[0].grade.is_none(), "no suggested grade");
        assert!(doc.tables[1].grade.is_some(), "a targets table keeps one");
        let t = &mut doc.tables[0];
        assert_eq!(
            selfeval_result(t).as_deref(),
            Some("总分 90（按计分规则 100），等级 优")
        );
        if let Some(x) = t.total.as_mut() {
            x.grade = Some(Note {
                text: "良".into(),
                cell: None,
            });
        }
        assert_eq!(selfeval_grade(t), Some("良"));
        assert_eq!(selfeval_result(&doc.tables[1]), None);
    }
}
