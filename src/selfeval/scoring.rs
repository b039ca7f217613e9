//! How a self-evaluation is scored, as data: a profile's `[scoring]` section, and the one
//! scoring function the checker and the prefill writer both use ([`Scoring::score`],
//! [`Scoring::budget_score`], and [`Scoring::excel_formula`] for the workbook's formulas).
//!
//! ```toml
//! [scoring]
//! budget_weight = 10            # 预算执行率 分值 (湖北: 20)
//! rate_base = "adjusted"        # 执行率 = 执行数 / 全年(调整后)预算数; "initial" = 年初预算数
//! levels = { "产出指标" = 50, "效益指标" = 30, "满意度指标" = 10 }
//! absent = "产出指标"           # where an absent level's weight goes ("proportional": to all)
//! reverse = "ratio"             # 反向: "ratio" = w·A/B; "linear" = w·(1-(B-A)/A), 0 at B ≥ 2A
//! qualitative = [80, 60]        # 定性 bands, % of the weight: 达成 ≥ 80, 部分达成 ≥ 60
//! decimals = 2                  # scores rounded half away from zero (Excel's ROUND)
//! tolerance = 0.01              # printed vs computed
//! over_achievement = 1.2        # B ≥ 1.2·A on a 正向/等于 row wants a word (0: off)
//! grades = [[90, "优"], [80, "良"], [60, "中"], [0, "差"]]
//! rate_reason_below = 90        # 执行率 under 90 % needs a reason (四川; 0: never)
//! adjust_reason = true          # 年初 ≠ 调整后 needs its reason (四川)
//! schedule_lag = 20             # monitoring: execution this many points behind the year
//! ```
//!
//! Formulas (A = 年度指标值, B = 实际完成值, w = 分值; a negative B counts as 0; never above w):
//!
//! * 正向 (≥ >): w if B ≥ A, else ρ(w·B/A);
//! * 等于 (=): as 正向 when A > 0; when A = 0, w if B ≤ 0 else 0;
//! * 反向 (≤ <): w if B ≤ A; else `ratio`: ρ(w·A/B), or `linear`: ρ(w·(1−(B−A)/A)), 0 from 2A;
//! * 定性: not computed; the printed score must sit in the band of the actual's word;
//! * budget: w_b · min(执行数 / 预算数, 1), ρ.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Which way an indicator is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// 正向 (≥, >): more is better.
    Positive,
    /// 等于 (=).
    Equal,
    /// 反向 (≤, <): less is better.
    Reverse,
    /// 定性: a band word, scored by judgement within the band.
    Qualitative,
}

impl Direction {
    /// The direction a target's comparator or 指标性质 word gives (`≥`, `＞`, `﹦`, `≤`, `正向`,
    /// `反向`, `定性`); `None` when it says nothing.
    pub fn from_sign(sign: &str) -> Option<Direction> {
        let s = sign.trim();
        Some(match s {
            "≥" | ">=" | ">" | "＞" | "≧" | "大于" | "大于等于" | "不低于" | "正向"
            | "正向指标" => Direction::Positive,
            "=" | "＝" | "﹦" | "等于" | "等于指标" => Direction::Equal,
            "≤" | "<=" | "<" | "＜" | "≦" | "小于" | "小于等于" | "不高于" | "不超过" | "反向"
            | "反向指标" => Direction::Reverse,
            "定性" | "定性指标" => Direction::Qualitative,
            _ => return None,
        })
    }

    /// The Chinese word (`正向`, `等于`, `反向`, `定性`).
    pub fn label(self) -> &'static str {
        match self {
            Direction::Positive => "正向",
            Direction::Equal => "等于",
            Direction::Reverse => "反向",
            Direction::Qualitative => "定性",
        }
    }
}

/// The two 反向 formulas in use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReverseRule {
    /// w·A/B (the form's own notes: 江西 2017, 湖北 2020).
    #[default]
    Ratio,
    /// w·(1 − (B−A)/A), zero at twice the target (the 一体化 systems' formula).
    Linear,
}

impl ReverseRule {
    /// How a finding names the setting.
    pub fn describe(self) -> &'static str {
        match self {
            ReverseRule::Ratio => "反向指标按 分值×指标值/实际值 计分（reverse = \"ratio\"）",
            ReverseRule::Linear => {
                "反向指标按超出比例线性扣分、达到指标值两倍记 0 分（reverse = \"linear\"）"
            }
        }
    }
}

/// The budget the 执行率 is measured against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateBase {
    /// 全年预算数 / 调整后预算数 (after adjustment).
    #[default]
    Adjusted,
    /// 年初预算数.
    Initial,
}

/// A qualitative band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Band {
    /// 达成年度指标: [hi·w, w].
    Achieved,
    /// 部分达成年度指标并具有一定效果: [lo·w, hi·w).
    Partly,
    /// 未达成年度指标且效果较差: [0, lo·w).
    Missed,
}

impl Band {
    /// The official wording.
    pub fn label(self) -> &'static str {
        match self {
            Band::Achieved => "达成年度指标",
            Band::Partly => "部分达成年度指标并具有一定效果",
            Band::Missed => "未达成年度指标且效果较差",
        }
    }
}

/// The words of a qualitative actual for each band (`[scoring.bands]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandWords {
    /// Words for 达成.
    #[serde(default)]
    pub achieved: Vec<String>,
    /// Words for 部分达成.
    #[serde(default)]
    pub partly: Vec<String>,
    /// Words for 未达成.
    #[serde(default)]
    pub missed: Vec<String>,
}

impl Default for BandWords {
    fn default() -> Self {
        let v = |w: &[&str]| w.iter().map(|s| (*s).to_string()).collect();
        BandWords {
            achieved: v(&[
                "达成年度指标",
                "达成预期指标",
                "达成",
                "完成",
                "已完成",
                "全部完成",
                "达标",
                "达到",
                "已达到",
                "达到预期",
                "实现",
                "优良",
                "良好",
                "好",
                "是",
                "合格",
                "效果明显",
            ]),
            partly: v(&[
                "部分达成年度指标并具有一定效果",
                "部分达成",
                "部分完成",
                "基本达成",
                "基本完成",
                "基本达到",
                "一般",
                "较好",
            ]),
            missed: v(&[
                "未达成年度指标且效果较差",
                "未达成",
                "未完成",
                "未达到",
                "未达标",
                "差",
                "较差",
                "否",
            ]),
        }
    }
}

/// A profile's `[scoring]` section as written (every key optional; a profile that `extends`
/// another takes the base's for the keys it does not set).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringFile {
    /// 预算执行率 分值.
    #[serde(default)]
    pub budget_weight: Option<Decimal>,
    /// The budget the rate is measured against.
    #[serde(default)]
    pub rate_base: Option<RateBase>,
    /// Default 一级 weights.
    #[serde(default)]
    pub levels: Option<BTreeMap<String, Decimal>>,
    /// Where an absent level's weight goes: a level's name, or `proportional`.
    #[serde(default)]
    pub absent: Option<String>,
    /// The 反向 formula.
    #[serde(default)]
    pub reverse: Option<ReverseRule>,
    /// The qualitative bands' lower bounds, in percent of the weight: `[achieved, partly]`.
    #[serde(default)]
    pub qualitative: Option<[Decimal; 2]>,
    /// Decimals scores are rounded to.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// Printed and computed scores that differ by at most this count as equal.
    #[serde(default)]
    pub tolerance: Option<Decimal>,
    /// B ≥ this × A on a 正向 / 等于 row wants an explanation (0: never).
    #[serde(default)]
    pub over_achievement: Option<Decimal>,
    /// The grades, highest first: `[[90, "优"], …]`, each from its score up.
    #[serde(default)]
    pub grades: Option<Vec<(Decimal, String)>>,
    /// 年度指标值 blank ⇒ the row is not scored (山西).
    #[serde(default)]
    pub blank_target_unscored: Option<bool>,
    /// Monitoring: execution behind the share of the year elapsed by more than this many
    /// percentage points is reported.
    #[serde(default)]
    pub schedule_lag: Option<Decimal>,
    /// 执行率 below this percentage needs a reason (四川: 90; 0: never).
    #[serde(default)]
    pub rate_reason_below: Option<Decimal>,
    /// A budget adjusted during the year (年初 ≠ 调整后) needs its reason (四川).
    #[serde(default)]
    pub adjust_reason: Option<bool>,
    /// The qualitative actual words of each band.
    #[serde(default)]
    pub bands: Option<BandWords>,
}

/// How a form scores a self-evaluation: a profile's `[scoring]`, every key resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scoring {
    /// 预算执行率 分值 (10; 湖北 20).
    pub budget_weight: Decimal,
    /// The budget the rate is measured against.
    pub rate_base: RateBase,
    /// Default 一级 weights, in the framework's order (产出, 效益, 满意度).
    pub levels: Vec<(String, Decimal)>,
    /// Where an absent level's weight goes: a level's name, or `proportional`.
    pub absent: String,
    /// The 反向 formula.
    pub reverse: ReverseRule,
    /// The qualitative bands' lower bounds in percent: `[achieved, partly]` (80 / 60; 80 / 50).
    pub qualitative: [Decimal; 2],
    /// Decimals scores are rounded to.
    pub decimals: u32,
    /// Printed and computed scores that differ by at most this count as equal.
    pub tolerance: Decimal,
    /// B ≥ this × A on a 正向 / 等于 row wants an explanation (0: never).
    pub over_achievement: Decimal,
    /// The grades, highest first, each from its score up.
    pub grades: Vec<(Decimal, String)>,
    /// 年度指标值 blank ⇒ the row is not scored.
    pub blank_target_unscored: bool,
    /// Monitoring: allowed lag behind the share of the year elapsed, in percentage points.
    pub schedule_lag: Decimal,
    /// 执行率 below this percentage needs a reason (0: never).
    pub rate_reason_below: Decimal,
    /// A budget adjusted during the year needs its reason.
    pub adjust_reason: bool,
    /// The qualitative actual words of each band.
    pub bands: BandWords,
}

/// The framework's order of the 一级 levels.
const LEVEL_ORDER: [&str; 4] = ["产出指标", "效益指标", "满意度指标", "成本指标"];

impl Default for Scoring {
    /// The national 10号 rules.
    fn default() -> Self {
        Scoring {
            budget_weight: Decimal::from(10),
            rate_base: RateBase::Adjusted,
            levels: vec![
                ("产出指标".into(), Decimal::from(50)),
                ("效益指标".into(), Decimal::from(30)),
                ("满意度指标".into(), Decimal::from(10)),
            ],
            absent: "产出指标".into(),
            reverse: ReverseRule::Ratio,
            qualitative: [Decimal::from(80), Decimal::from(60)],
            decimals: 2,
            tolerance: Decimal::new(1, 2),
            over_achievement: Decimal::new(12, 1),
            grades: vec![
                (Decimal::from(90), "优".into()),
                (Decimal::from(80), "良".into()),
                (Decimal::from(60), "中".into()),
                (Decimal::ZERO, "差".into()),
            ],
            blank_target_unscored: false,
            schedule_lag: Decimal::from(20),
            rate_reason_below: Decimal::ZERO,
            adjust_reason: false,
            bands: BandWords::default(),
        }
    }
}

impl ScoringFile {
    /// `self`, with what `over` sets taking precedence, key by key.
    pub fn layered(&self, over: &ScoringFile) -> ScoringFile {
        let o = over.clone();
        let s = self.clone();
        ScoringFile {
            budget_weight: o.budget_weight.or(s.budget_weight),
            rate_base: o.rate_base.or(s.rate_base),
            levels: o.levels.or(s.levels),
            absent: o.absent.or(s.absent),
            reverse: o.reverse.or(s.reverse),
            qualitative: o.qualitative.or(s.qualitative),
            decimals: o.decimals.or(s.decimals),
            tolerance: o.tolerance.or(s.tolerance),
            over_achievement: o.over_achievement.or(s.over_achievement),
            grades: o.grades.or(s.grades),
            blank_target_unscored: o.blank_target_unscored.or(s.blank_target_unscored),
            schedule_lag: o.schedule_lag.or(s.schedule_lag),
            rate_reason_below: o.rate_reason_below.or(s.rate_reason_below),
            adjust_reason: o.adjust_reason.or(s.adjust_reason),
            bands: o.bands.or(s.bands),
        }
    }

    /// The rules, every key not set taken from the national default.
    ///
    /// # Errors
    /// When a value makes no sense (in Chinese).
    pub fn resolve(&self) -> Result<Scoring, String> {
        let d = Scoring::default();
        let mut levels: Vec<(String, Decimal)> = match &self.levels {
            Some(map) => map.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            None => d.levels.clone(),
        };
        // A TOML table has no order: the framework's order, then the rest by name.
        levels.sort_by_key(|(k, _)| LEVEL_ORDER.iter().position(|l| l == k).unwrap_or(99));
        let mut grades = self.grades.clone().unwrap_or(d.grades);
        grades.sort_by_key(|g| std::cmp::Reverse(g.0));
        let qualitative = self.qualitative.unwrap_or(d.qualitative);
        if qualitative[1] > qualitative[0] || qualitative[0] > Decimal::from(100) {
            return Err(format!(
                "[scoring] qualitative = [{}, {}]：应为从高到低、不超过 100 的两个百分数",
                qualitative[0], qualitative[1]
            ));
        }
        let absent = self.absent.clone().unwrap_or(d.absent);
        if absent != "proportional" && !levels.iter().any(|(k, _)| *k == absent) {
            return Err(format!(
                "[scoring] absent = \"{absent}\"：不是 levels 中的一级指标，也不是 proportional"
            ));
        }
        Ok(Scoring {
            budget_weight: self.budget_weight.unwrap_or(d.budget_weight),
            rate_base: self.rate_base.unwrap_or(d.rate_base),
            levels,
            absent,
            reverse: self.reverse.unwrap_or(d.reverse),
            qualitative,
            decimals: self.decimals.unwrap_or(d.decimals).min(6),
            tolerance: self.tolerance.unwrap_or(d.tolerance),
            over_achievement: self.over_achievement.unwrap_or(d.over_achievement),
            grades,
            blank_target_unscored: self
                .blank_target_unscored
                .unwrap_or(d.blank_target_unscored),
            schedule_lag: self.schedule_lag.unwrap_or(d.schedule_lag),
            rate_reason_below: self.rate_reason_below.unwrap_or(d.rate_reason_below),
            adjust_reason: self.adjust_reason.unwrap_or(d.adjust_reason),
            bands: self.bands.clone().unwrap_or(d.bands),
        })
    }
}

/// The score of one indicator under `scoring` (the free-function form of [`Scoring::score`]).
pub fn score(
    scoring: &Scoring,
    direction: Direction,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
) -> Option<Decimal> {
    scoring.score(direction, target, actual, weight)
}

impl Scoring {
    /// Rounds a score as the profile says (half away from zero, as Excel's ROUND).
    pub fn round(&self, x: Decimal) -> Decimal {
        x.round_dp_with_strategy(self.decimals, RoundingStrategy::MidpointAwayFromZero)
    }

    /// The score of a quantitative indicator: target A, actual B, weight w. `None` for a
    /// qualitative row (not computable).
    pub fn score(
        &self,
        direction: Direction,
        target: Decimal,
        actual: Decimal,
        weight: Decimal,
    ) -> Option<Decimal> {
        let a = target;
        let b = actual.max(Decimal::ZERO);
        let w = weight;
        let s = match direction {
            Direction::Qualitative => return None,
            Direction::Equal if a.is_zero() => {
                if b <= Decimal::ZERO {
                    w
                } else {
                    Decimal::ZERO
                }
            }
            Direction::Positive | Direction::Equal => {
                if b >= a || a <= Decimal::ZERO {
                    w
                } else {
                    w * b / a
                }
            }
            Direction::Reverse => {
                if b <= a {
                    w
                } else if a <= Decimal::ZERO {
                    Decimal::ZERO
                } else {
                    match self.reverse {
                        ReverseRule::Ratio => w * a / b,
                        ReverseRule::Linear => {
                            if b >= a * Decimal::TWO {
                                Decimal::ZERO
                            } else {
                                w * (Decimal::ONE - (b - a) / a)
                            }
                        }
                    }
                }
            }
        };
        Some(self.round(s.min(w).max(Decimal::ZERO)))
    }

    /// The budget block's score: `weight · min(executed / budget, 1)`; `None` without a budget.
    pub fn budget_score(
        &self,
        executed: Decimal,
        budget: Decimal,
        weight: Decimal,
    ) -> Option<Decimal> {
        if budget <= Decimal::ZERO {
            return None;
        }
        let r = (executed.max(Decimal::ZERO) / budget).min(Decimal::ONE);
        Some(self.round(weight * r))
    }

    /// The 执行率 in percent, rounded as scores are.
    pub fn rate_percent(&self, executed: Decimal, budget: Decimal) -> Option<Decimal> {
        (budget > Decimal::ZERO).then(|| self.round(executed * Decimal::ONE_HUNDRED / budget))
    }

    /// The band a qualitative actual's word names.
    pub fn band_of(&self, word: &str) -> Option<Band> {
        let w: String = word
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '.' | '，' | ','))
            .collect();
        if w.is_empty() {
            return None;
        }
        let is = |words: &[String]| words.contains(&w);
        if is(&self.bands.achieved) {
            Some(Band::Achieved)
        } else if is(&self.bands.partly) {
            Some(Band::Partly)
        } else if is(&self.bands.missed) {
            Some(Band::Missed)
        } else {
            None
        }
    }

    /// The scores a band allows for `weight`: `(low, high, high included)`.
    pub fn band_range(&self, band: Band, weight: Decimal) -> (Decimal, Decimal, bool) {
        let pct = |p: Decimal| self.round(weight * p / Decimal::ONE_HUNDRED);
        let hi = pct(self.qualitative[0]);
        let lo = pct(self.qualitative[1]);
        match band {
            Band::Achieved => (hi, weight, true),
            Band::Partly => (lo, hi, false),
            Band::Missed => (Decimal::ZERO, lo, false),
        }
    }

    /// True when `score` is inside the band for `weight`.
    pub fn in_band(&self, band: Band, weight: Decimal, score: Decimal) -> bool {
        let (lo, hi, hi_in) = self.band_range(band, weight);
        score >= lo && (score < hi || (hi_in && score <= hi))
    }

    /// The grade a total earns.
    pub fn grade(&self, total: Decimal) -> &str {
        self.grades
            .iter()
            .find(|(min, _)| total >= *min)
            .or(self.grades.last())
            .map_or("", |(_, g)| g.as_str())
    }

    /// The weight of each 一级 level when only `present` levels have indicators: an absent
    /// level's weight goes to [`Scoring::absent`] (or, when that one is absent too or the
    /// setting is `proportional`, to the present levels in proportion). Levels not in the
    /// profile get nothing.
    pub fn level_weights(&self, present: &[&str]) -> Vec<(String, Decimal)> {
        let here: Vec<&(String, Decimal)> = self
            .levels
            .iter()
            .filter(|(k, _)| present.contains(&k.as_str()))
            .collect();
        let total: Decimal = self.levels.iter().map(|(_, w)| *w).sum();
        let kept: Decimal = here.iter().map(|(_, w)| *w).sum();
        let moved = total - kept;
        let receiver = here
            .iter()
            .find(|(k, _)| *k == self.absent)
            .map(|(k, _)| k.clone());
        here.iter()
            .map(|(k, w)| {
                let extra = match &receiver {
                    Some(r) if r == k => moved,
                    Some(_) => Decimal::ZERO,
                    None if kept.is_zero() => Decimal::ZERO,
                    None => self.round(moved * *w / kept),
                };
                (k.clone(), *w + extra)
            })
            .collect()
    }

    /// Default weights for rows in order, each row named by its 一级: its level's weight
    /// ([`Scoring::level_weights`]) split evenly over the level's rows, rounded, the rounding
    /// left on the level's last row so each level adds up exactly.
    pub fn default_weights(&self, level1_of_rows: &[&str]) -> Vec<Option<Decimal>> {
        let mut present: Vec<&str> = Vec::new();
        for l in level1_of_rows {
            if !present.contains(l) {
                present.push(l);
            }
        }
        let weights = self.level_weights(&present);
        let mut out = vec![None; level1_of_rows.len()];
        for (level, w) in weights {
            let rows: Vec<usize> = (0..level1_of_rows.len())
                .filter(|&i| level1_of_rows[i] == level)
                .collect();
            let n = Decimal::from(rows.len() as u64);
            if rows.is_empty() {
                continue;
            }
            let each = self.round(w / n);
            let last = w - each * (n - Decimal::ONE);
            for (j, &i) in rows.iter().enumerate() {
                out[i] = Some(if j + 1 == rows.len() { last } else { each });
            }
        }
        out
    }

    /// The Excel formula that scores a row as [`Scoring::score`] does, given the cells of
    /// target, actual and weight (`F10`, `G10`, `H10`): blank while the actual is not a number.
    /// Without the leading `=`.
    pub fn excel_formula(
        &self,
        direction: Direction,
        target: &str,
        actual: &str,
        weight: &str,
    ) -> Option<String> {
        let d = self.decimals;
        let (a, w) = (target, weight);
        let b = format!("MAX({actual},0)");
        let body = match direction {
            Direction::Qualitative => return None,
            Direction::Positive => {
                format!("IF({b}>={a},{w},ROUND({b}/{a}*{w},{d}))")
            }
            Direction::Equal => {
                format!("IF({a}=0,IF({b}<=0,{w},0),IF({b}>={a},{w},ROUND({b}/{a}*{w},{d})))")
            }
            Direction::Reverse => match self.reverse {
                ReverseRule::Ratio => format!("IF({b}<={a},{w},ROUND({a}/{b}*{w},{d}))"),
                ReverseRule::Linear => {
                    format!("IF({b}<={a},{w},IF({b}>=2*{a},0,ROUND((1-({b}-{a})/{a})*{w},{d})))")
                }
            },
        };
        Some(format!("IF(ISNUMBER({actual}),MIN({w},{body}),\"\")"))
    }

    /// The Excel formula of the budget score, given the executed, budget and weight cells.
    pub fn excel_budget_formula(&self, executed: &str, budget: &str, weight: &str) -> String {
        format!(
            "IF(AND(ISNUMBER({executed}),N({budget})>0),ROUND({weight}*MIN(MAX({executed},0)/{budget},1),{d}),\"\")",
            d = self.decimals
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("valid")
    }

    #[test]
    fn positive_scores_the_share_reached_and_caps_at_the_weight() {
        let s = Scoring::default();
        let p = Direction::Positive;
        assert_eq!(s.score(p, d("50"), d("50"), d("8")), Some(d("8")));
        assert_eq!(s.score(p, d("50"), d("80"), d("8")), Some(d("8")));
        assert_eq!(s.score(p, d("100"), d("95"), d("10")), Some(d("9.50")));
        assert_eq!(s.score(p, d("3"), d("1"), d("10")), Some(d("3.33")));
        // A negative actual counts as nothing.
        assert_eq!(s.score(p, d("3"), d("-1"), d("10")), Some(d("0")));
        // 98 % reached against a 98 % target is full marks (the published 19.6 of 20).
        assert_eq!(s.score(p, d("98"), d("98"), d("20")), Some(d("20")));
    }

    #[test]
    fn the_two_reverse_formulas_differ_as_documented() {
        let ratio = Scoring::default();
        let linear = Scoring {
            reverse: ReverseRule::Linear,
            ..Scoring::default()
        };
        let r = Direction::Reverse;
        assert_eq!(ratio.score(r, d("10"), d("15"), d("10")), Some(d("6.67")));
        assert_eq!(linear.score(r, d("10"), d("15"), d("10")), Some(d("5.00")));
        assert_eq!(linear.score(r, d("10"), d("20"), d("10")), Some(d("0")));
        assert_eq!(linear.score(r, d("10"), d("8"), d("10")), Some(d("10")));
        assert_eq!(ratio.score(r, d("0"), d("1"), d("10")), Some(d("0")));
    }

    #[test]
    fn equal_to_zero_is_all_or_nothing() {
        let s = Scoring::default();
        let e = Direction::Equal;
        assert_eq!(s.score(e, d("0"), d("0"), d("5")), Some(d("5")));
        assert_eq!(s.score(e, d("0"), d("1"), d("5")), Some(d("0")));
        assert_eq!(s.score(e, d("4"), d("2"), d("5")), Some(d("2.50")));
        assert_eq!(
            s.score(Direction::Qualitative, d("1"), d("1"), d("5")),
            None
        );
    }

    #[test]
    fn budget_and_grade() {
        let s = Scoring::default();
        assert_eq!(
            s.budget_score(d("89.974"), d("90"), d("10")),
            Some(d("10.00"))
        );
        assert_eq!(s.budget_score(d("45"), d("90"), d("20")), Some(d("10")));
        assert_eq!(s.budget_score(d("120"), d("100"), d("10")), Some(d("10")));
        assert_eq!(s.budget_score(d("1"), d("0"), d("10")), None);
        assert_eq!(s.rate_percent(d("89.974"), d("90")), Some(d("99.97")));
        assert_eq!(s.grade(d("99.6")), "优");
        assert_eq!(s.grade(d("89.99")), "良");
        assert_eq!(s.grade(d("12")), "差");
    }

    #[test]
    fn bands_follow_the_profile() {
        let s = Scoring::default();
        assert_eq!(s.band_of("达成预期指标"), Some(Band::Achieved));
        assert_eq!(s.band_of("部分达成"), Some(Band::Partly));
        assert_eq!(s.band_of("效果很好，群众认可"), None);
        assert!(s.in_band(Band::Achieved, d("10"), d("8")));
        assert!(s.in_band(Band::Achieved, d("10"), d("10")));
        assert!(!s.in_band(Band::Partly, d("10"), d("8")));
        assert!(s.in_band(Band::Partly, d("10"), d("6")));
        assert!(!s.in_band(Band::Missed, d("10"), d("6")));
        let older = ScoringFile {
            qualitative: Some([d("80"), d("50")]),
            ..ScoringFile::default()
        }
        .resolve()
        .expect("valid");
        assert!(older.in_band(Band::Partly, d("10"), d("5")));
        assert!(!s.in_band(Band::Partly, d("10"), d("5")));
    }

    #[test]
    fn an_absent_level_moves_its_weight() {
        let s = Scoring::default();
        let w = s.level_weights(&["产出指标", "效益指标"]);
        assert_eq!(
            w,
            vec![("产出指标".into(), d("60")), ("效益指标".into(), d("30"))]
        );
        let prop = ScoringFile {
            absent: Some("proportional".into()),
            ..ScoringFile::default()
        }
        .resolve()
        .expect("valid");
        let w = prop.level_weights(&["产出指标", "效益指标"]);
        assert_eq!(
            w,
            vec![
                ("产出指标".into(), d("56.25")),
                ("效益指标".into(), d("33.75"))
            ]
        );
        let rows = ["产出指标", "产出指标", "产出指标", "效益指标", "满意度指标"];
        let dw = s.default_weights(&rows);
        assert_eq!(dw[0], Some(d("16.67")));
        assert_eq!(dw[2], Some(d("16.66")));
        let sum: Decimal = dw.iter().flatten().sum();
        assert_eq!(sum, d("90"));
    }

    #[test]
    fn layering_and_bad_values() {
        let base = ScoringFile {
            budget_weight: Some(d("20")),
            ..ScoringFile::default()
        };
        let over = ScoringFile {
            reverse: Some(ReverseRule::Linear),
            ..ScoringFile::default()
        };
        let s = base.layered(&over).resolve().expect("valid");
        assert_eq!(s.budget_weight, d("20"));
        assert_eq!(s.reverse, ReverseRule::Linear);
        let bad = ScoringFile {
            absent: Some("不存在".into()),
            ..ScoringFile::default()
        };
        assert!(bad.resolve().expect_err("an error").contains("absent"));
    }

    #[test]
    fn formulas_name_their_cells() {
        let s = Scoring::default();
        let f = s
            .excel_formula(Direction::Positive, "F10", "G10", "H10")
            .expect("valid");
        assert_eq!(
            f,
            "IF(ISNUMBER(G10),MIN(H10,IF(MAX(G10,0)>=F10,H10,ROUND(MAX(G10,0)/F10*H10,2))),\"\")"
        );
        assert!(s
            .excel_formula(Direction::Qualitative, "F10", "G10", "H10")
            .is_none());
    }
}
