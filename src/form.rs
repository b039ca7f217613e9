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
