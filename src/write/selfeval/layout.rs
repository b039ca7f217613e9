//! The layouts of the prefilled self-evaluation and monitoring forms, as data:
//! `templates/layout-selfeval-*.toml`, loaded once.
//!
//! A layout says where each part of the form goes — the identity rows, the funding block and
//! its columns, the goal, the indicator grid and its columns, the total, the grade — by column
//! span; a column of the funding block or the grid has a *role* (what it holds), and the code
//! knows only the roles. A province's form is a new file, not new code.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::write::layout::{Fonts, HeaderRow, Page, Span};

/// The national 项目支出绩效自评表, as shipped.
pub(crate) const NATIONAL_TOML: &str =
    include_str!("../../../templates/layout-selfeval-national.toml");
/// The 四川 项目支出绩效自评表, as shipped.
pub(crate) const SICHUAN_TOML: &str =
    include_str!("../../../templates/layout-selfeval-sichuan.toml");
/// The 湖北 项目支出绩效自评表, as shipped.
pub(crate) const HUBEI_TOML: &str = include_str!("../../../templates/layout-selfeval-hubei.toml");
/// The 部门整体支出绩效自评表, as shipped.
pub(crate) const DEPARTMENT_TOML: &str =
    include_str!("../../../templates/layout-selfeval-department.toml");
/// The central 项目支出绩效目标执行监控表, as shipped.
pub(crate) const MONITOR_TOML: &str =
    include_str!("../../../templates/layout-monitor-national.toml");

/// A layout of a self-evaluation or monitoring form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfEvalLayout {
    /// Its id (`selfeval-national`).
    pub id: String,
    /// What it is, in Chinese.
    pub description: String,
    /// The form profiles it writes.
    pub profiles: Vec<String>,
    /// The title line.
    pub title: String,
    /// The year line (`（{year}年度）`).
    pub year_line: String,
    /// Fonts by role.
    pub fonts: Fonts,
    /// Print set-up and row heights.
    pub page: Page,
    /// Column widths, from column A.
    pub columns: Vec<f64>,
    /// Where the title and year lines go.
    pub preamble: Preamble,
    /// The identity rows (项目名称, 主管部门 …), top to bottom.
    #[serde(rename = "row")]
    pub rows: Vec<HeaderRow>,
    /// The funding block.
    pub funding: FundingBlock,
    /// The goal block.
    pub goal: GoalBlock,
    /// The indicator grid.
    pub grid: GridBlock,
    /// The total row (a self-evaluation's 总分).
    #[serde(default)]
    pub total: Option<TotalRow>,
    /// The grade row.
    #[serde(default)]
    pub grade: Option<GradeRow>,
    /// Rows to write after the grid (评价结论, 存在问题, 改进措施).
    #[serde(default, rename = "narrative")]
    pub narratives: Vec<NarrativeRow>,
    /// The summary sheet of scores by 一级指标.
    #[serde(default)]
    pub levels: Option<LevelsBlock>,
}

/// Where the title and year lines go.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preamble {
    /// The title.
    pub title: Span,
    /// The year line.
    pub year: Span,
}

/// The funding block: a label merged down the block, a header row of columns, one row per
/// line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingBlock {
    /// The block's label (项目资金（万元）).
    pub label: String,
    /// Its columns, merged down the block.
    pub label_at: Span,
    /// The columns, left to right.
    pub columns: Vec<RoleColumn>,
    /// The lines, the first one the total of the others.
    pub lines: Vec<FundingLineSpec>,
}

/// One funding line of the form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingLineSpec {
    /// The canonical key of the line (`annual_total`, `fiscal`), as the profile's funding tree
    /// names it.
    #[serde(default)]
    pub key: String,
    /// Its label as printed.
    pub label: String,
    /// The amount of the targets table that fills its 年初预算数: a field path
    /// (`funding.own.fiscal`), or `lines.KEY` for its funding line of that key
    /// (`lines.basic`).
    #[serde(default)]
    pub from: Option<String>,
    /// Whether the first line (the total) sums it: a line of a second split of the total
    /// (部门整体's 基本支出 / 项目支出 beside the split by source) is not.
    #[serde(default = "yes")]
    pub in_total: bool,
}

fn yes() -> bool {
    true
}

/// A column of the funding block or the grid: what it holds, its header, where.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleColumn {
    /// What it holds (see [`FundingRole`] and [`GridRole`]).
    pub role: String,
    /// Its header.
    pub header: String,
    /// A header printed above this one and the columns beside it of the same group
    /// (`偏差原因分析` over 经费保障 … 原因说明); the grid then has two header rows.
    #[serde(default)]
    pub group: Option<String>,
    /// The columns.
    pub at: Span,
}

/// What a column of the funding block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingRole {
    /// The line's label.
    Label,
    /// 年初预算数 (from the targets table).
    Initial,
    /// 全年预算数 / 调整后预算数 (typed).
    Adjusted,
    /// 全年执行数 / 1-N月执行数 (typed).
    Executed,
    /// 全年预计执行数 (typed; monitoring).
    Forecast,
    /// 分值 of the budget (on the total line).
    Weight,
    /// 执行率 (a formula).
    Rate,
    /// 得分 (a formula, on the total line).
    Score,
    /// 原因 of an adjustment or a low rate (typed).
    Reason,
    /// 时间进度: the share of the year elapsed by the month of a monitoring form (a formula).
    Elapsed,
    /// 进度偏差: the rate less the share of the year elapsed (a formula, marked when it lags
    /// by more than the profile's `schedule_lag`, as the check `selfeval.behind-schedule`).
    Lag,
}

impl FundingRole {
    /// The role named in a layout file.
    pub fn parse(s: &str) -> Option<FundingRole> {
        Some(match s {
            "label" => FundingRole::Label,
            "initial" => FundingRole::Initial,
            "adjusted" => FundingRole::Adjusted,
            "executed" => FundingRole::Executed,
            "forecast" => FundingRole::Forecast,
            "weight" => FundingRole::Weight,
            "rate" => FundingRole::Rate,
            "score" => FundingRole::Score,
            "reason" => FundingRole::Reason,
            "elapsed" => FundingRole::Elapsed,
            "lag" => FundingRole::Lag,
            _ => return None,
        })
    }
}

/// What a column of the indicator grid holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridRole {
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Name,
    /// 年度指标值 as printed in the targets table.
    Target,
    /// 指标性质 of a target split over three columns (`≥`, `正向`).
    Nature,
    /// 指标值: the target's number (or its text when it has none).
    Value,
    /// 度量单位: the target's unit.
    Unit,
    /// 实际完成值 / 1-N月执行情况 (typed).
    Actual,
    /// 分值 (prefilled with a default, may be changed).
    Weight,
    /// 得分 (a formula; typed for a qualitative row).
    Score,
    /// 偏差原因分析及改进措施 (typed).
    Reason,
    /// 全年预计完成 (typed; monitoring).
    Forecast,
    /// A cause of deviation ticked (经费保障 … 其他; monitoring).
    Cause,
    /// A likelihood of reaching the target ticked (确定能 / 有可能 / 完全不可能; monitoring).
    Likelihood,
    /// 备注 (typed).
    Remark,
}

impl GridRole {
    /// The role named in a layout file.
    pub fn parse(s: &str) -> Option<GridRole> {
        Some(match s {
            "level1" => GridRole::Level1,
            "level2" => GridRole::Level2,
            "name" => GridRole::Name,
            "target" => GridRole::Target,
            "nature" => GridRole::Nature,
            "value" => GridRole::Value,
            "unit" => GridRole::Unit,
            "actual" => GridRole::Actual,
            "weight" => GridRole::Weight,
            "score" => GridRole::Score,
            "reason" => GridRole::Reason,
            "forecast" => GridRole::Forecast,
            "cause" => GridRole::Cause,
            "likelihood" => GridRole::Likelihood,
            "remark" => GridRole::Remark,
            _ => return None,
        })
    }

    /// True for the cells the department fills in.
    pub fn is_input(self) -> bool {
        matches!(
            self,
            GridRole::Actual
                | GridRole::Weight
                | GridRole::Reason
                | GridRole::Forecast
                | GridRole::Cause
                | GridRole::Likelihood
                | GridRole::Remark
        )
    }
}

/// The goal block: a label merged down two rows, the expected goal beside the actual.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalBlock {
    /// 年度总体目标.
    pub label: String,
    /// Its columns.
    pub label_at: Span,
    /// 预期目标: its header and columns.
    pub expected: Labelled,
    /// 实际完成情况: its header and columns (none on a form without it).
    #[serde(default)]
    pub actual: Option<Labelled>,
    /// Height of the text row, in points.
    pub height: f64,
}

/// A header with the columns of its value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    /// The header.
    pub header: String,
    /// The columns.
    pub at: Span,
}

/// The indicator grid.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridBlock {
    /// The label merged down the grid (绩效指标).
    pub label: String,
    /// Its columns.
    pub label_at: Span,
    /// The columns.
    pub columns: Vec<RoleColumn>,
}

/// The total row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotalRow {
    /// 总分.
    pub label: String,
    /// Its columns.
    pub label_at: Span,
    /// Where the weights' sum goes.
    pub weight_at: Span,
    /// Where the scores' sum goes.
    pub score_at: Span,
    /// The rest of the row, left empty and bordered.
    #[serde(default)]
    pub rest_at: Option<Span>,
}

/// The grade row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRow {
    /// 自评等级.
    pub label: String,
    /// Its columns.
    pub label_at: Span,
    /// Where the grade goes.
    pub at: Span,
}

/// A row to write after the grid: a label and an unlocked text cell.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NarrativeRow {
    /// The label (评价结论).
    pub label: String,
    /// Its columns.
    pub label_at: Span,
    /// The text's columns.
    pub at: Span,
    /// The row's height, in points.
    pub height: f64,
}

/// The workbook's summary sheet: the scores of every form by 一级指标.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelsBlock {
    /// The sheet's name.
    pub sheet: String,
    /// Its title line.
    pub title: String,
    /// The header of the row number.
    pub number: String,
    /// The header of the project column.
    pub project: String,
    /// The header of the budget's score.
    pub budget: String,
}

impl SelfEvalLayout {
    /// Parses a layout file, and checks every role it names.
    ///
    /// # Errors
    /// A Chinese sentence when the TOML does not have the shape of
    /// `templates/layout-selfeval-national.toml` or names an unknown role.
    pub fn from_toml(text: &str) -> Result<SelfEvalLayout, String> {
        let layout: SelfEvalLayout = toml::from_str(text).map_err(|e| e.to_string())?;
        for c in &layout.funding.columns {
            if FundingRole::parse(&c.role).is_none() {
                return Err(format!("资金栏的列角色 `{}` 未知", c.role));
            }
        }
        for c in &layout.grid.columns {
            if GridRole::parse(&c.role).is_none() {
                return Err(format!("指标栏的列角色 `{}` 未知", c.role));
            }
        }
        Ok(layout)
    }

    /// The shipped national self-evaluation layout.
    pub fn national() -> &'static SelfEvalLayout {
        static L: OnceLock<SelfEvalLayout> = OnceLock::new();
        // The files are part of the crate and parsed by the tests: a broken one is a build bug.
        #[allow(clippy::expect_used)]
        L.get_or_init(|| {
            SelfEvalLayout::from_toml(NATIONAL_TOML).expect("layout-selfeval-national")
        })
    }

    /// The shipped central monitoring layout.
    pub fn monitor() -> &'static SelfEvalLayout {
        static L: OnceLock<SelfEvalLayout> = OnceLock::new();
        #[allow(clippy::expect_used)]
        L.get_or_init(|| SelfEvalLayout::from_toml(MONITOR_TOML).expect("layout-monitor-national"))
    }

    /// Every shipped layout.
    pub fn builtins() -> [&'static SelfEvalLayout; 5] {
        [
            SelfEvalLayout::national(),
            SelfEvalLayout::sichuan(),
            SelfEvalLayout::hubei(),
            SelfEvalLayout::department(),
            SelfEvalLayout::monitor(),
        ]
    }

    /// The shipped 部门整体 self-evaluation layout.
    pub fn department() -> &'static SelfEvalLayout {
        static L: OnceLock<SelfEvalLayout> = OnceLock::new();
        #[allow(clippy::expect_used)]
        L.get_or_init(|| {
            SelfEvalLayout::from_toml(DEPARTMENT_TOML).expect("layout-selfeval-department")
        })
    }

    /// The shipped 湖北 self-evaluation layout.
    pub fn hubei() -> &'static SelfEvalLayout {
        static L: OnceLock<SelfEvalLayout> = OnceLock::new();
        #[allow(clippy::expect_used)]
        L.get_or_init(|| SelfEvalLayout::from_toml(HUBEI_TOML).expect("layout-selfeval-hubei"))
    }

    /// The shipped 四川 self-evaluation layout.
    pub fn sichuan() -> &'static SelfEvalLayout {
        static L: OnceLock<SelfEvalLayout> = OnceLock::new();
        #[allow(clippy::expect_used)]
        L.get_or_init(|| SelfEvalLayout::from_toml(SICHUAN_TOML).expect("layout-selfeval-sichuan"))
    }

    /// The shipped layout of a profile: the one that names it or a profile it extends, else
    /// the national one of its form (`monitoring`: the central monitoring table).
    pub fn for_profile(
        profile: &crate::read::profile::Profile,
        monitoring: bool,
    ) -> &'static SelfEvalLayout {
        let named = |id: &str| {
            SelfEvalLayout::builtins()
                .into_iter()
                .find(|l| l.profiles.iter().any(|p| p == id))
        };
        if let Some(l) = named(&profile.id) {
            return l;
        }
        let mut next = profile.extends.clone();
        for _ in 0..8 {
            let Some(id) = next else { break };
            if let Some(l) = named(&id) {
                return l;
            }
            next = crate::read::profile::builtin(&id).and_then(|b| b.extends.clone());
        }
        if monitoring {
            SelfEvalLayout::monitor()
        } else {
            SelfEvalLayout::national()
        }
    }

    /// The last column of the form (zero-based).
    pub fn last_col(&self) -> u16 {
        u16::try_from(self.columns.len().saturating_sub(1)).unwrap_or(0)
    }

    /// The funding column of a role.
    pub fn funding_col(&self, role: FundingRole) -> Option<&RoleColumn> {
        self.funding
            .columns
            .iter()
            .find(|c| FundingRole::parse(&c.role) == Some(role))
    }

    /// The grid column of a role (the first one, for roles with several columns).
    pub fn grid_col(&self, role: GridRole) -> Option<&RoleColumn> {
        self.grid
            .columns
            .iter()
            .find(|c| GridRole::parse(&c.role) == Some(role))
    }

    /// True when the grid has a second header row (a column with a group).
    pub fn grid_has_groups(&self) -> bool {
        self.grid.columns.iter().any(|c| c.group.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_layouts_load_with_known_roles() {
        for (text, name) in [
            (NATIONAL_TOML, "national"),
            (SICHUAN_TOML, "sichuan"),
            (HUBEI_TOML, "hubei"),
            (DEPARTMENT_TOML, "department"),
            (MONITOR_TOML, "monitor"),
        ] {
            let l = SelfEvalLayout::from_toml(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(l.grid_col(GridRole::Name).is_some(), "{name}");
            assert!(
                l.funding_col(FundingRole::Initial)
                    .or(l.funding_col(FundingRole::Adjusted))
                    .is_some(),
                "{name}"
            );
            // Every span lies inside the form's columns.
            let last = l.last_col();
            for c in l.grid.columns.iter().chain(&l.funding.columns) {
                assert!(c.at.last_in(last) <= last, "{name}: {}", c.role);
            }
        }
        assert!(SelfEvalLayout::national().total.is_some());
        assert!(SelfEvalLayout::monitor().total.is_none());
    }

    #[test]
    fn unknown_roles_are_refused() {
        let bad = NATIONAL_TOML.replace("role = \"actual\"", "role = \"actuals\"");
        let e = SelfEvalLayout::from_toml(&bad).err().unwrap_or_default();
        assert!(e.contains("actuals"), "{e}");
    }
}
