//! The words of `templates/selfeval.toml` besides the column headers: the goal block's headers,
//! the total row's and the grade's labels, the narrative rows, the form's printed prompts and
//! the tick marks, parsed once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::read::labels::normalize_label;
use crate::selfeval::columns::SELFEVAL_TOML;

#[derive(Debug, Deserialize)]
struct File {
    goal: GoalFile,
    total: TotalFile,
    narrative: BTreeMap<String, Vec<String>>,
    prompts: PromptsFile,
    ticks: TicksFile,
}

#[derive(Debug, Deserialize)]
struct GoalFile {
    expected: Vec<String>,
    actual: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct TotalFile {
    label: Vec<String>,
    grade: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct PromptsFile {
    fragments: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct TicksFile {
    marks: Vec<String>,
}

/// The words, normalised ([`normalize_label`]) where they are compared with labels.
#[derive(Debug, Default)]
pub struct Words {
    goal_expected: Vec<String>,
    goal_actual: Vec<String>,
    total: Vec<String>,
    grade: Vec<String>,
    narrative: Vec<(String, Vec<String>)>,
    prompts: Vec<String>,
    ticks: Vec<String>,
}

/// A label with `（40分）` / `(90分)` / `(20分*执行率)` at its end cut off, normalised.
pub fn bare_label(text: &str) -> String {
    let n = normalize_label(text);
    match n.rfind('(') {
        Some(at) if n.ends_with(')') && n[at..].contains('分') && at > 0 => n[..at].to_string(),
        _ => n,
    }
}

/// The points a label carries (`年度绩效目标1（40分）` → 40, `预算执行情况(10分)` → 10).
pub fn points_in(text: &str) -> Option<rust_decimal::Decimal> {
    let n = normalize_label(text);
    let end = n.rfind("分)")?;
    let start = n[..end].rfind('(')? + 1;
    n[start..end].trim().parse().ok()
}

impl Words {
    /// The built-in words.
    pub fn get() -> &'static Words {
        static W: OnceLock<Words> = OnceLock::new();
        W.get_or_init(|| {
            // The file is part of the crate and checked by a test; a broken one reads no words.
            let Ok(f) = toml::from_str::<File>(SELFEVAL_TOML) else {
                return Words::default();
            };
            let norm = |v: &[String]| v.iter().map(|w| normalize_label(w)).collect();
            Words {
                goal_expected: norm(&f.goal.expected),
                goal_actual: norm(&f.goal.actual),
                total: norm(&f.total.label),
                grade: norm(&f.total.grade),
                narrative: f
                    .narrative
                    .iter()
                    .map(|(k, v)| (k.clone(), norm(v)))
                    .collect(),
                prompts: f.prompts.fragments.iter().map(|w| fold(w)).collect(),
                ticks: f.ticks.marks,
            }
        })
    }

    /// True when `text` heads the expected goal (预期目标, 项目年度目标).
    pub fn is_goal_expected(&self, text: &str) -> bool {
        self.goal_expected.contains(&normalize_label(text))
    }

    /// True when `text` heads what was achieved (实际完成情况, 年度目标完成情况).
    pub fn is_goal_actual(&self, text: &str) -> bool {
        self.goal_actual.contains(&normalize_label(text))
    }

    /// True for the total row's label (总分, 合计), its points cut off.
    pub fn is_total(&self, text: &str) -> bool {
        self.total.contains(&bare_label(text))
    }

    /// True for the grade's label (自评等级).
    pub fn is_grade(&self, text: &str) -> bool {
        self.grade.contains(&normalize_label(text))
    }

    /// The key of a narrative row's label (`conclusion` for 评价结论).
    pub fn narrative_key(&self, text: &str) -> Option<&str> {
        let n = bare_label(text);
        self.narrative
            .iter()
            .find(|(_, words)| words.contains(&n))
            .map(|(k, _)| k.as_str())
    }

    /// True when a narrative cell still holds the form's printed prompt.
    pub fn is_prompt(&self, text: &str) -> bool {
        let t = fold(text);
        !t.is_empty() && self.prompts.iter().any(|p| t.contains(p.as_str()))
    }

    /// True when a tick column's cell is ticked.
    pub fn is_tick(&self, text: &str) -> bool {
        let t = text.trim();
        self.ticks.iter().any(|m| m == t)
    }
}

/// Text folded for prompt matching: full-width punctuation as ASCII, no spaces.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '：' => ':',
            '；' => ';',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_parse_and_answer() {
        let w = Words::get();
        assert!(w.is_total("总分"));
        assert!(w.is_total("合计"));
        assert!(w.is_goal_expected("项目年度目标"));
        assert!(w.is_goal_actual("实际完成情况"));
        assert_eq!(w.narrative_key("评价结论"), Some("conclusion"));
        assert!(w.is_prompt("结合自评情况,分析存在的问题及原因。(200字以内)"));
        assert!(!w.is_prompt("个别学校辅导教师兼职较多。"));
        assert!(w.is_tick("✔"));
        assert_eq!(
            points_in("年度绩效目标1（40分）"),
            Some(rust_decimal::Decimal::from(40))
        );
        assert_eq!(
            points_in("预算执行情况（万元）（20分）"),
            Some(rust_decimal::Decimal::from(20))
        );
        assert_eq!(bare_label("产出指标(50分)"), "产出指标");
    }
}
