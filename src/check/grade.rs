//! A suggested review grade per table (优 / 良 / 中 / 差), from its findings.
//!
//! The finance side grades every table it reviews; 中 and 差 go back for correction. The
//! suggestion follows the findings: an error (something definitely wrong) sends a table back,
//! warnings lower the score. The scoring is written in `docs/rules.md` ([`GRADE_DOC`]).

use std::collections::HashMap;

use crate::model::{Document, Finding, Grade, Severity};

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

/// Sets every table's suggested grade from `findings` (those of [`super::check_with`]).
pub fn grade(doc: &mut Document, findings: &[Finding]) {
    let mut per_table: Vec<Vec<&Finding>> = vec![Vec::new(); doc.tables.len()];
    for f in findings {
        if let Some(list) = f.table.and_then(|i| per_table.get_mut(i)) {
            list.push(f);
        }
    }
    for (t, list) in doc.tables.iter_mut().zip(per_table) {
        t.grade = Some(grade_of(list));
    }
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
}
