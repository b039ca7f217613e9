//! The kinds of forms and the framework's classes: small value types that the model, the form
//! profiles and the vocabulary share (a leaf module, so that none of them depends on another
//! through it).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which generation of the template a table follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The seed's layout: 成本指标 under 产出指标, sign and unit inside one 指标值 cell.
    #[default]
    Classic,
    /// The newer national style: 成本指标 a first-level indicator, split value columns.
    National,
}

impl Layout {
    /// The identifier used on the command line and in `templates/`.
    pub fn id(self) -> &'static str {
        match self {
            Layout::Classic => "classic",
            Layout::National => "national",
        }
    }
}

/// The span of time a funding amount covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FundingScope {
    /// This budget year (年度).
    #[default]
    Annual,
    /// The whole project (项目总额) or the multi-year period (中期, 实施期).
    MidTerm,
    /// Any other column (上年实际执行数, 全年执行数, …): its header is in the line's role.
    Other,
}

/// What kind of table a table is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    /// 项目支出绩效目标表: one project.
    #[default]
    Project,
    /// 部门整体支出绩效目标表: a department as a whole.
    Department,
}

/// The canonical place of an indicator in the framework, independent of template wording.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorClass {
    /// 产出指标 / 数量指标.
    Quantity,
    /// 产出指标 / 质量指标.
    Quality,
    /// 产出指标 / 时效指标.
    Timeliness,
    /// 成本指标 (under 产出指标, or 经济成本指标 in the newer layout).
    Cost,
    /// 社会成本指标.
    SocialCost,
    /// 生态环境成本指标.
    EcoCost,
    /// 效益指标 / 经济效益.
    Economic,
    /// 效益指标 / 社会效益.
    Social,
    /// 效益指标 / 生态效益.
    Ecological,
    /// 效益指标 / 可持续影响.
    Sustainable,
    /// 满意度指标 / 服务对象满意度.
    Satisfaction,
    /// Not recognised.
    #[default]
    Unknown,
}

/// What a profile or a rule file sets a rule to (`error`, `warning`, `info`, `off`, or the
/// Chinese words `错误`, `警告`, `提示`, `关闭`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Findings are errors.
    Error,
    /// Findings are warnings.
    Warning,
    /// Findings are notices.
    Info,
    /// The rule does not run.
    Off,
}

impl Level {
    /// The level a word of a rule file stands for (English or Chinese).
    pub fn parse(word: &str) -> Option<Level> {
        Some(match word.trim() {
            "error" | "错误" | "deny" => Level::Error,
            "warning" | "warn" | "警告" => Level::Warning,
            "info" | "提示" => Level::Info,
            "off" | "allow" | "关闭" | "不检查" => Level::Off,
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
        let word = String::deserialize(d)?;
        Level::parse(&word).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "级别“{word}”无效（应为 error、warning、info 或 off）"
            ))
        })
    }
}

/// Thresholds a profile or a rule file may set; unset ones fall through to the next layer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// 满意度 below this percentage is implausible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction_floor: Option<rust_decimal::Decimal>,
    /// Amounts that differ by at most this many 万元 count as equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_tolerance: Option<rust_decimal::Decimal>,
    /// The second levels each first level must list (一级 → 二级 names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_level2: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// The weight each first level should carry (一级 → 分值), where weights are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_split: Option<std::collections::BTreeMap<String, rust_decimal::Decimal>>,
    /// Under 时效指标, a rate whose name says when it is measured (`资金拨付及时率`,
    /// `预算资金当年下达率`) is a timeliness measure; a form whose reviewers want a date or a
    /// deadline there says `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timely_rates: Option<bool>,
}

impl Thresholds {
    /// `self`, with what `over` sets taking precedence, key by key.
    pub(crate) fn layered(&self, over: &Thresholds) -> Thresholds {
        Thresholds {
            satisfaction_floor: over.satisfaction_floor.or(self.satisfaction_floor),
            amount_tolerance: over.amount_tolerance.or(self.amount_tolerance),
            required_level2: over
                .required_level2
                .clone()
                .or_else(|| self.required_level2.clone()),
            weight_split: over
                .weight_split
                .clone()
                .or_else(|| self.weight_split.clone()),
            timely_rates: over.timely_rates.or(self.timely_rates),
        }
    }
}
