//! The checker's vocabulary, loaded from `templates/rules.toml`: required fields, known kinds of
//! 项目属性, the words that mark rates, satisfaction measures and times, money units, and the
//! goal-text matcher's stop words. Code asks questions ([`Vocab::is_rate_name`], …); the words
//! live in the file.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::model::{IndicatorClass, Layout};
use crate::read::labels::normalize_label;

/// The vocabulary, as shipped in `templates/rules.toml`.
pub(crate) const RULES_TOML: &str = include_str!("../../templates/rules.toml");

/// The checker's vocabulary.
#[derive(Debug, Deserialize)]
pub struct Vocab {
    /// Header fields and project kinds.
    pub project: ProjectVocab,
    /// Which indicator classes must be filled, and which second levels may be left out.
    pub framework: FrameworkVocab,
    /// Words that classify indicator names and values.
    pub values: ValuesVocab,
    /// Money units.
    pub money: MoneyVocab,
    /// Goal text matching.
    pub goal: GoalVocab,
    /// Level names other forms print, mapped to the framework's.
    pub levels: LevelsVocab,
    /// Words of the rules added for reviewers: direction, vagueness, placeholders, inputs.
    pub review: ReviewVocab,
    /// Default thresholds (`[thresholds]`); a profile's own and the user's override them.
    #[serde(default)]
    pub thresholds: crate::form::Thresholds,
    /// How messages name header fields: `default`, and per profile where its form words them
    /// otherwise.
    pub field_labels: BTreeMap<String, BTreeMap<String, String>>,
}

/// `[levels]`.
#[derive(Debug, Deserialize)]
pub struct LevelsVocab {
    /// First-level wordings → the framework's first level.
    pub level1: BTreeMap<String, String>,
    /// Second-level wordings → the framework's second level.
    pub level2: BTreeMap<String, String>,
}

/// `[review]`.
#[derive(Debug, Deserialize)]
pub struct ReviewVocab {
    /// Words of a rate or measure where less is better (`发生率`, `投诉`).
    pub lower_is_better: Vec<String>,
    /// Words of a rate measuring a fall (`下降率`): more is better, whatever it falls.
    pub falling_words: Vec<String>,
    /// Words of a timeliness rate (`按期完成率`, `及时率`): a time measure in the libraries.
    pub timely_rate_words: Vec<String>,
    /// Words of a rate naming when it is measured (`及时率`, `当年下达率`): a time measure
    /// where the settings allow (`timely_rates`).
    #[serde(default)]
    pub time_rate_words: Vec<String>,
    /// Words of a cost indicator that is a rate, not money (`节支率`, `成本控制率`).
    pub cost_rate_words: Vec<String>,
    /// Words of a unit cost (`人均`, `单价`): never part of the total.
    pub unit_cost_words: Vec<String>,
    /// Vague wording where a number is expected (`进一步提高`).
    pub vague_words: Vec<String>,
    /// Text left from the template (`XX`, `待定`) anywhere in a value or name.
    pub placeholder_contains: Vec<String>,
    /// Whole values that are placeholders (`/`, `*`).
    pub placeholder_equals: Vec<String>,
    /// Words of an indicator name that make money under 经济效益 an input, not a benefit.
    pub input_words: Vec<String>,
    /// Count units named in goal texts and 数量指标 (`人次`, `场`).
    pub count_units: Vec<String>,
    /// Words of a goal clause about the whole implementation period (`累计`, `实施期内`):
    /// its counts are not the year's.
    #[serde(default)]
    pub period_words: Vec<String>,
    /// Units that mean the same (`%` and `百分比`).
    pub unit_synonyms: Vec<Vec<String>>,
}

/// `[project]`.
#[derive(Debug, Deserialize)]
pub struct ProjectVocab {
    /// Field paths that must not be empty.
    pub required: Vec<String>,
    /// Known kinds of 项目属性.
    pub kinds: Vec<String>,
    /// 项目期 texts meaning one year.
    pub one_year_periods: Vec<String>,
    /// 项目属性 kinds meaning one year.
    pub one_year_kinds: Vec<String>,
    /// Header fields a 部门整体 table must fill.
    pub department_required: Vec<String>,
    /// Required fields that only the forms printing their label have.
    pub required_if_printed: Vec<String>,
}

/// `[framework]`.
#[derive(Debug, Deserialize)]
pub struct FrameworkVocab {
    /// Classes that must hold a real indicator.
    pub filled: Vec<IndicatorClass>,
    /// The classes of 效益指标.
    pub benefit: Vec<IndicatorClass>,
    /// Layout id → second-level names that may be left out when a profile lists none.
    #[serde(default)]
    pub optional: BTreeMap<String, Vec<String>>,
}

/// `[values]`.
#[derive(Debug, Deserialize)]
pub struct ValuesVocab {
    /// Name endings of rates (`率`).
    pub rate_suffixes: Vec<String>,
    /// Words with those endings that are not rates.
    pub rate_exceptions: Vec<String>,
    /// Words ending in 度 that are rates (`满意度`, `参与度`); any other 度 (`长度`, `浓度`,
    /// `进度`) is not.
    #[serde(default)]
    pub rate_degrees: Vec<String>,
    /// Words a satisfaction measure names.
    pub satisfaction_words: Vec<String>,
    /// Units of time.
    pub time_units: Vec<String>,
    /// Words of time without a number.
    pub time_words: Vec<String>,
}

/// `[money]`.
#[derive(Debug, Deserialize)]
pub struct MoneyVocab {
    /// Full unit → factor to 万元 (a decimal string).
    pub units: BTreeMap<String, String>,
    /// Short unit → the full unit it stands for.
    pub short_units: BTreeMap<String, String>,
}

/// `[goal]`.
#[derive(Debug, Deserialize)]
pub struct GoalVocab {
    /// Words dropped before comparing names.
    pub stop_words: Vec<String>,
    /// Words that mark a total.
    pub total_words: Vec<String>,
    /// Least similarity for a clause and a cost indicator to be related.
    pub min_similarity: f64,
    /// Words that say an amount is what the project brings, not what it spends (`收入`).
    #[serde(default)]
    pub result_words: Vec<String>,
}

impl Vocab {
    /// Whether the measure `name` names is better lower (`投诉次数`, `预算调整率`), by
    /// `[review] lower_is_better`, unless it measures the fall itself or the handling of what is
    /// bad (`[review] falling_words`: `投诉处理率`).
    pub fn lower_is_better(&self, name: &str) -> bool {
        let name = name.trim();
        Vocab::mentions(&self.review.lower_is_better, name)
            && !Vocab::mentions(&self.review.falling_words, name)
    }

    /// The vocabulary shipped with the crate.
    pub fn builtin() -> &'static Vocab {
        static VOCAB: OnceLock<Vocab> = OnceLock::new();
        VOCAB.get_or_init(|| {
            // The file is part of the crate and checked by tests; a broken one is a build bug.
            #[allow(clippy::expect_used)]
            Vocab::from_toml(RULES_TOML).expect("templates/rules.toml is valid")
        })
    }

    /// Parses a vocabulary file.
    ///
    /// # Errors
    /// When the TOML does not have the shape of `templates/rules.toml`.
    pub fn from_toml(text: &str) -> Result<Vocab, toml::de::Error> {
        toml::from_str(text)
    }

    /// True when `attribute` is a known kind of 项目属性.
    pub(crate) fn is_known_kind(&self, attribute: &str) -> bool {
        let a = normalize_label(attribute);
        self.project.kinds.iter().any(|k| normalize_label(k) == a)
    }

    /// True when the period or the kind says the project runs one year.
    pub(crate) fn is_one_year(&self, period: &str, attribute: &str) -> bool {
        let p = normalize_label(period);
        let a = normalize_label(attribute);
        self.project
            .one_year_periods
            .iter()
            .any(|x| normalize_label(x) == p)
            || self
                .project
                .one_year_kinds
                .iter()
                .any(|x| normalize_label(x) == a)
    }

    /// True when the second-level `name` may be left out of a table in `layout`.
    pub(crate) fn is_optional_level2(&self, layout: Layout, name: &str) -> bool {
        self.framework
            .optional
            .get(layout.id())
            .is_some_and(|v| v.iter().any(|x| x == name))
    }

    /// True when an indicator name reads as a rate (`…覆盖率`) or a degree that is one
    /// (`…参与度`), not a length or a concentration (`新建堤防长度`, `细颗粒物年均浓度`).
    pub fn is_rate_name(&self, name: &str) -> bool {
        // A remark in brackets at the end (`（%）`, `(抽样)`) is set aside.
        let mut n = normalize_label(name);
        loop {
            let t = n.trim_end_matches(|c: char| !is_word_char(c) && c != ')');
            match t
                .strip_suffix(')')
                .and_then(|t| t.rfind('(').map(|at| &t[..at]))
            {
                Some(before) if !before.is_empty() => n = before.to_string(),
                _ => {
                    n = t.trim_end_matches(')').to_string();
                    break;
                }
            }
        }
        let ends = |words: &[String]| words.iter().any(|w| n.ends_with(w.as_str()));
        (ends(&self.values.rate_suffixes) && !ends(&self.values.rate_exceptions))
            || ends(&self.values.rate_degrees)
    }

    /// True when an indicator name measures satisfaction.
    pub(crate) fn is_satisfaction_name(&self, name: &str) -> bool {
        let n = normalize_label(name);
        self.values
            .satisfaction_words
            .iter()
            .any(|w| n.contains(w.as_str()))
    }

    /// True when a value is a time, a date, a period or a duration.
    pub(crate) fn is_time_value(&self, raw: &str) -> bool {
        let n = normalize_label(raw);
        if self
            .values
            .time_words
            .iter()
            .any(|w| n.contains(w.as_str()))
        {
            return true;
        }
        // A number followed by a unit of time, anywhere (`2026年9-10月`, `≤48小时`).
        let chars: Vec<char> = n.chars().collect();
        if is_dotted_date(&chars) || self.is_frequency(&n) {
            return true;
        }
        for (i, c) in chars.iter().enumerate() {
            if !c.is_ascii_digit() {
                continue;
            }
            let rest: String = chars[i + 1..].iter().collect();
            if self
                .values
                .time_units
                .iter()
                .any(|u| rest.starts_with(u.as_str()))
            {
                return true;
            }
        }
        false
    }

    /// A frequency (`1次/月`, `每季度1次`, `2次/年`, `按月安排`): how often, a time measure.
    /// A unit of time after `/`, `每` or `按`.
    fn is_frequency(&self, n: &str) -> bool {
        n.match_indices(['/', '每', '按']).any(|(i, sep)| {
            let rest = &n[i + sep.len()..];
            let rest = rest.strip_prefix('个').unwrap_or(rest);
            self.values
                .time_units
                .iter()
                .any(|u| rest.starts_with(u.as_str()))
        })
    }

    /// The factor to 万元 of a full money unit.
    pub(crate) fn money_factor(&self, unit: &str) -> Option<Decimal> {
        self.money
            .units
            .get(unit)
            .and_then(|f| Decimal::from_str(f).ok())
    }

    /// The full unit a short money unit (`万`) stands for.
    pub(crate) fn full_unit(&self, short: &str) -> Option<&str> {
        self.money.short_units.get(short).map(String::as_str)
    }

    /// The goal text with stop words removed, for name comparison.
    pub(crate) fn strip_stop_words(&self, text: &str) -> String {
        let mut s = normalize_label(text);
        for w in &self.goal.stop_words {
            s = s.replace(w.as_str(), "");
        }
        s
    }

    /// True when a goal clause names a total (`总预算`, `合计`).
    pub(crate) fn names_total(&self, clause: &str) -> bool {
        let n = normalize_label(clause);
        self.goal.total_words.iter().any(|w| n.contains(w.as_str()))
    }
}

impl Vocab {
    /// The framework's first level a printed first level stands for: its own name, an alias of
    /// another form, with any score in brackets dropped (`产出指标(50分)`).
    pub fn level1<'f>(
        &'f self,
        fw: &'f crate::read::labels::Framework,
        text: &str,
    ) -> Option<&'f str> {
        let bare = strip_score(text);
        fw.level1(&bare).or_else(|| {
            self.levels
                .level1
                .get(&normalize_label(&bare))
                .and_then(|name| fw.level1(name))
        })
    }

    /// The framework's second-level wording a printed second level stands for.
    pub(crate) fn level2_name(&self, text: &str) -> String {
        let bare = strip_score(text);
        self.levels
            .level2
            .get(&normalize_label(&bare))
            .cloned()
            .unwrap_or(bare)
    }

    /// True when any of `words` occurs in `text` (after normalisation).
    pub(crate) fn mentions(words: &[String], text: &str) -> bool {
        let n = normalize_label(text);
        words
            .iter()
            .any(|w| n.contains(normalize_label(w).as_str()))
    }

    /// True when two units mean the same.
    pub(crate) fn same_unit(&self, a: &str, b: &str) -> bool {
        let (a, b) = (normalize_label(a), normalize_label(b));
        a == b
            || self.review.unit_synonyms.iter().any(|set| {
                set.iter().any(|x| normalize_label(x) == a)
                    && set.iter().any(|x| normalize_label(x) == b)
            })
    }

    /// True for a unit the vocabulary names: one of [`Self::same_unit`]'s sets, or a unit of
    /// time.
    pub(crate) fn is_unit(&self, unit: &str) -> bool {
        let u = normalize_label(unit);
        !u.is_empty()
            && (self
                .review
                .unit_synonyms
                .iter()
                .flatten()
                .any(|x| normalize_label(x) == u)
                || self
                    .values
                    .time_units
                    .iter()
                    .any(|x| normalize_label(x) == u))
    }

    /// The label messages use for a header field in tables of `profile`.
    pub(crate) fn field_label(&self, profile: &str, field: &str) -> Option<&str> {
        self.field_labels
            .get(profile)
            .and_then(|m| m.get(field))
            .or_else(|| self.field_labels.get("default").and_then(|m| m.get(field)))
            .map(String::as_str)
    }
}

/// A level name without the score or the remark some forms print in it (`产出指标（50分）`,
/// `时效指标(必填)` → `产出指标`, `时效指标`): the reader's own reading of level names.
pub(crate) fn strip_score(text: &str) -> String {
    crate::read::labels::bare_level(&normalize_label(text)).into_owned()
}

/// The score printed in a level name (`产出指标(50分)` → 50); a range (`成本指标(0-20)分`)
/// fixes no score.
pub(crate) fn score_in(text: &str) -> Option<Decimal> {
    let n = normalize_label(text);
    let i = n.find(['(', '（'])?;
    let digits: String = n[i..]
        .chars()
        .skip(1)
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let after = n[i..].chars().nth(1 + digits.chars().count());
    if matches!(after, Some('-' | '－' | '—' | '~' | '～' | '至')) {
        return None;
    }
    Decimal::from_str(&digits).ok()
}

/// A date written with dots, dashes or slashes (`2023.07-2024.01`, `2024/6/30前`): a year of
/// four digits, a separator, a month, then the end, another date or a word of a deadline —
/// not `2023.5万元`.
fn is_dotted_date(chars: &[char]) -> bool {
    (0..chars.len()).any(|i| {
        let Some(w) = chars.get(i..i + 5) else {
            return false;
        };
        let year = (i == 0 || !chars[i - 1].is_ascii_digit())
            && w[..4].iter().all(char::is_ascii_digit)
            && matches!((w[0], w[1]), ('1', '9') | ('2', '0'))
            && matches!(w[4], '.' | '-' | '/');
        let month: String = chars[i + 5..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let after = chars.get(i + 5 + month.len());
        year && month.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
            && after.is_none_or(|c| "-—–~～至到前底末/.日月止".contains(*c))
    })
}

/// Letters, digits and Han characters: what a name is made of.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_loads_and_answers() {
        let v = Vocab::builtin();
        assert!(v.is_known_kind("经常性项目"));
        assert!(v.is_known_kind(" 一年期项目 "));
        assert!(!v.is_known_kind("重要项目"));
        assert!(v.is_one_year("1年", "经常性项目"));
        assert!(v.is_one_year("", "一年期项目"));
        assert!(!v.is_one_year("3年", "跨年度项目"));
        assert!(v.is_rate_name("数字素养与技能提升月活动覆盖率"));
        assert!(v.is_rate_name("培训参与度"));
        assert!(v.is_rate_name("满意率。"));
        assert!(!v.is_rate_name("项目进度"));
        assert!(!v.is_rate_name("2026年度"));
        assert!(!v.is_rate_name("我区网民法治素养"));
        assert!(!v.is_rate_name("检查频率"));
    }

    /// Generated names of measures: a 度 that measures a length, a mass per volume, a pace or a
    /// time is no rate, however the name opens and whatever follows it; a 率 and a 度 naming a
    /// share of people or things is one.
    #[test]
    fn a_rate_is_what_its_name_says() {
        let v = Vocab::builtin();
        let openings = [
            "",
            "新建堤防、护岸",
            "中小河流治理河道",
            "年均",
            "项目区",
            "2026年",
        ];
        let endings = ["", "。", "（%）", "(公里)", " "];
        let measures = [
            "长度", "宽度", "高度", "深度", "厚度", "浓度", "密度", "温度", "湿度", "速度", "坡度",
            "硬度", "亮度", "强度", "进度", "年度", "季度", "制度", "力度", "程度",
        ];
        let rates = [
            "覆盖率",
            "合格率",
            "达标率",
            "及时率",
            "执行率",
            "满意度",
            "参与度",
            "知晓度",
            "完成度",
            "认可度",
        ];
        for o in openings {
            for e in endings {
                for m in measures {
                    let name = format!("{o}{m}{e}");
                    assert!(!v.is_rate_name(&name), "{name} is no rate");
                }
                for r in rates {
                    let name = format!("{o}{r}{e}");
                    assert!(v.is_rate_name(&name), "{name} is a rate");
                }
            }
        }
        assert!(v.is_satisfaction_name("培训学员满意度"));
        assert!(!v.is_satisfaction_name("基层党支部向上级组织部门投诉次数"));
        for t in [
            "2026年9-10月",
            "2026年11月前",
            "≤48小时",
            "≤6小时",
            "年底前",
            "3个工作日",
            "2023.07-2024.01",
            "2024/6/30前",
            "1次/月",
            "每季度1次",
            "≥2次/年",
        ] {
            assert!(v.is_time_value(t), "{t}");
        }
        for t in [
            "≥80%",
            "良",
            "100%",
            "1项",
            "及时",
            "2023.5万元",
            "3次/人",
            "≥95.5%",
        ] {
            assert!(!v.is_time_value(t), "{t}");
        }
        assert_eq!(score_in("产出指标(50分)"), Some(Decimal::from(50)));
        assert_eq!(score_in("成本指标(0-20)分"), None);
        assert_eq!(v.money_factor("元"), Some(Decimal::new(1, 4)));
        assert_eq!(v.full_unit("万"), Some("万元"));
        assert!(v.is_optional_level2(Layout::National, "社会成本指标"));
        assert!(!v.is_optional_level2(Layout::Classic, "经济效益"));
        assert_eq!(
            v.strip_stop_words("支付升级改造项目监理及项目设计尾款"),
            "升级改造监理及设计尾款"
        );
        assert!(v.names_total("项目总预算"));
    }
}
