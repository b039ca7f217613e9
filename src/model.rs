//! The normalised model of a performance table, shared by every phase.
//!
//! Its JSON form (printed by `jixiao import --json`) is a public interface:
//!
//! ```text
//! {"tables": [Table …], "discrepancies": [Finding …]}
//! ```
//!
//! Amounts are exact decimals in 万元, serialised as strings (`"45.00"`). Every value read from
//! a sheet keeps where it came from: indicators carry their cells, header fields are listed in
//! [`Table::cells`] with the text that was typed.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cell::CellRef;
pub use crate::form::{FundingScope, IndicatorClass, Layout, TableKind};

pub mod fields;
pub mod geometry;
pub mod selfeval;

pub use selfeval::{
    Cause, Execution, ExecutionLine, Figure, FormKind, IndicatorResult, Likelihood,
    LikelihoodLevel, Note, Observed, Total,
};

/// The version of the model's JSON form: 2 added profiles, table kinds, the funding tree, other
/// grids, metadata and extras beside every key of version 1; 3 added the self-evaluation and
/// monitoring forms (`form`, `execution`, `goal_actual`, `total`, and the indicator's `actual`,
/// `score`, `reason`, … — see [`selfeval`]), all absent on a targets table.
pub const SCHEMA_VERSION: u32 = 3;

fn schema_version() -> u32 {
    SCHEMA_VERSION
}

/// Everything read from a set of inputs: the tables and the findings about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// The version of this model's JSON form ([`SCHEMA_VERSION`]).
    #[serde(default = "schema_version")]
    pub schema: u32,
    /// All tables, in input order.
    pub tables: Vec<Table>,
    /// Findings: the reader's notices and, after checking, the rules' findings.
    #[serde(default)]
    pub discrepancies: Vec<Finding>,
}

/// One project table (项目支出预算绩效表).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Table {
    /// What kind of table this is: a project's or a department's as a whole.
    #[serde(default)]
    pub kind: TableKind,
    /// Which stage of the year the table is: the targets (absent), a self-evaluation or a
    /// monitoring table. `kind` still says whose table it is.
    #[serde(default, skip_serializing_if = "FormKind::is_targets")]
    pub form: FormKind,
    /// The form profile the table was read with, written as its id (`ningxia`, `national`, …):
    /// every later stage (checker, writer, template, summary) uses this one.
    #[serde(default)]
    pub profile: crate::read::profile::ProfileRef,
    /// The budget year, from the title or the `(2026年)` line.
    pub year: Option<i32>,
    /// The title as printed.
    pub title: String,
    /// The unit amounts are given in: always 万元 in the model.
    pub unit: String,
    /// The unit the table was written in (`元` when it was converted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_unit: Option<String>,
    /// Which template generation the table follows.
    #[serde(default)]
    pub layout: Layout,
    /// The header block.
    pub project: Project,
    /// The funding block.
    pub funding: Funding,
    /// 年度总体绩效目标 (本年度绩效目标, 年度目标): the annual goal.
    pub goal: String,
    /// The goal over the whole period (实施期绩效目标, 中期目标, 长期目标), when the table has one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub long_term_goal: String,
    /// 实际完成情况 beside the goal (self-evaluation), or the goal's progress (monitoring);
    /// `null` where the form has no such cell (its cell is in [`Table::cells`] as `goal_actual`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_actual: Option<String>,
    /// The budget block of a self-evaluation or monitoring table, with its columns and score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<Execution>,
    /// 总分 and the grade of a self-evaluation, printed and computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Total>,
    /// The annual indicator grid, in table order: the one the checks use.
    pub indicators: Vec<Indicator>,
    /// The annual grid's columns, left to right, with the role each header gave them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<GridColumn>,
    /// Other grids of the same table (长期 / 实施期 / 中期 绩效指标), kept apart from the annual one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_grids: Vec<Grid>,
    /// The department-wide part of a 部门整体 table (部门职责, 年度履职目标).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentPart>,
    /// Header and footer fields that are not part of the project block: 联系人, 联系电话,
    /// 项目负责人, 立项依据, 财政部门审核意见, 填表人, 填报日期, 单位负责人签字, …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<MetaField>,
    /// Every non-empty cell of the table's range that nothing else understood.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<ExtraCell>,
    /// The suggested review grade, once checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Where the table was read from.
    #[serde(default)]
    pub source: Source,
    /// Field path (`project.name`, `funding.own.fiscal`, `goal`, …) → the cell it was read from
    /// and the text typed there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cells: BTreeMap<String, FieldSource>,
    /// The cells of the source range as printed (not serialised): what a form that fits no
    /// built-in layout is written from.
    #[serde(skip)]
    #[schemars(skip)]
    pub geometry: geometry::Geometry,
    /// The short money unit the source typed its funding with (`万` in `250万`), as `convert`
    /// recorded it on a form that prints the amounts as numbers (not serialised): the money
    /// rules take an indicator's `250万` as the form's way of writing money, as in the source.
    #[serde(skip)]
    #[schemars(skip)]
    pub recorded_short_money: Option<String>,
}

impl Table {
    /// The project name, or a placeholder for tables without one.
    pub fn display_name(&self) -> &str {
        if !self.project.name.is_empty() {
            &self.project.name
        } else if self.kind == TableKind::Department && !self.project.department.is_empty() {
            // A 部门整体 table has no 项目名称: it is named by its department.
            &self.project.department
        } else {
            "（未命名项目）"
        }
    }

    /// The cell a field was read from, as `C12`.
    pub fn cell_of(&self, field: &str) -> Option<CellRef> {
        self.cells.get(field).map(|f| f.cell)
    }
}

/// Where a header value came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldSource {
    /// The cell holding the value.
    pub cell: CellRef,
    /// The value as typed (after removing markup).
    pub raw: String,
    /// The label printed beside the value (`省级资金`, `项目支出名称`), when there is one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// The header block of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Project {
    /// 项目名称.
    pub name: String,
    /// 主管部门, without its code.
    pub department: String,
    /// The code of 主管部门及代码 (`[812]…` → `812`).
    pub department_code: Option<String>,
    /// 实施单位.
    pub implementing_unit: String,
    /// 项目属性 (经常性项目, 一年期项目, …).
    pub attribute: String,
    /// 项目期 (`1年`, `2023.07-2024.01`, 实施周期, 项目起止时间).
    pub period: String,
    /// 项目类别 / 项目性质 / 项目类型, as printed, when the table has one beside or instead of
    /// 项目属性.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    /// The code printed before the project's name, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The code printed before 实施单位, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementing_unit_code: Option<String>,
}

/// The funding block, in 万元.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Funding {
    /// 项目总额.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    /// 年度资金总额.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub annual_total: Option<Decimal>,
    /// 本级资金.
    pub own: OwnFunds,
    /// 转移市县（区）资金.
    pub transfer: TransferFunds,
    /// Every funding line the table has, in table order, with its printed label, amount, cell
    /// and parent: the one source of the block, the tree the sums are checked on. The fields
    /// above are views of it ([`Funding::derive_views`]), `null` where the table prints no such
    /// line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<FundingLine>,
}

impl Funding {
    /// The fixed fields only (version 1's view), without the lines: what two readings of the
    /// same amounts in different layouts have in common.
    pub fn views(&self) -> Funding {
        Funding {
            lines: Vec::new(),
            ..self.clone()
        }
    }

    /// The line with this key, in this scope.
    pub fn line(&self, key: &str, scope: FundingScope) -> Option<&FundingLine> {
        self.lines.iter().find(|l| l.key == key && l.scope == scope)
    }

    /// The children of line `index`, in table order.
    pub fn children(&self, index: usize) -> impl Iterator<Item = (usize, &FundingLine)> {
        self.lines
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.parent == Some(index))
    }
}

/// One line of the funding block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FundingLine {
    /// The canonical key (`annual_total`, `fiscal`, `general_budget`, `own_income`, …, from the
    /// profile), or empty when the label is not one the profile knows.
    pub key: String,
    /// The label as printed (`省级资金`, `其中：本年财政拨款`).
    pub label: String,
    /// The amount in 万元, when one was written.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub amount: Option<Decimal>,
    /// The amount as typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub raw: String,
    /// The cell of the amount (or of the label when no amount was written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
    /// Index of the parent line in [`Funding::lines`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// Which span of time the amount covers.
    #[serde(default)]
    pub scope: FundingScope,
    /// What the line is, where the label says (`fiscal`, `carryover`, `transfer`, `own`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One column of an indicator grid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GridColumn {
    /// The header as printed.
    pub header: String,
    /// The role the header gives the column: `level1`, `level2`, `name`, `value`, `nature`,
    /// `unit`, `weight`, `extra` (kept per row under the header), or `outline` (one column
    /// holding units, projects, levels and names, told apart by indentation).
    pub role: String,
    /// The header's cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

/// An indicator grid other than the annual one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Grid {
    /// What the grid covers: `long-term` (长期 / 实施期 / 中期) or another key.
    pub key: String,
    /// Its title as printed (`长期绩效指标`).
    pub label: String,
    /// Its columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<GridColumn>,
    /// Its rows.
    pub indicators: Vec<Indicator>,
}

/// The department-wide part of a 部门整体支出绩效目标表.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DepartmentPart {
    /// 部门职责, as printed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub duties: String,
    /// The 年度履职目标 block, row by row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<DutyTask>,
}

/// One row of the 年度履职目标 block (部门职能 | 年度目标任务 | 支出项目名称 | 预算金额).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DutyTask {
    /// 部门职能.
    pub function: String,
    /// 年度目标任务.
    pub task: String,
    /// 支出项目名称.
    pub project: String,
    /// 预算金额 in 万元.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub amount: Option<Decimal>,
    /// 预算金额 as typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub raw: String,
    /// The first cell of the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

/// A labelled field kept as metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MetaField {
    /// The canonical key (`contact`, `phone`, `manager`, `finance_opinion`, `filled_by`,
    /// `filled_on`, `signature`, `seal`, `basis`, …), or empty when only the label is known.
    pub key: String,
    /// The label as printed.
    pub label: String,
    /// The value as typed (may be empty: a footer left blank).
    pub value: String,
    /// The value's cell (or the label's when empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

/// A non-empty cell nothing understood, kept with the label it seemed to belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExtraCell {
    /// The nearest label to its left or above, when there is one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The text as typed.
    pub value: String,
    /// The cell.
    pub cell: CellRef,
}

/// A suggested review grade (优 / 良 / 中 / 差) with its score.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Grade {
    /// `优`, `良`, `中` or `差`.
    pub grade: String,
    /// The score out of 100 it comes from (see docs/rules.md).
    pub score: u32,
}

/// 本级资金: the department's own funds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OwnFunds {
    /// 资金总额.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    /// 财政拨款.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub fiscal: Option<Decimal>,
    /// 其他资金.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub other: Option<Decimal>,
    /// 结余结转资金 / 上年结转资金.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub carryover: Option<Decimal>,
}

/// 转移市县（区）资金: funds passed on to cities and counties.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TransferFunds {
    /// 资金总额.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    /// 中央资金.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub central: Option<Decimal>,
    /// 自治区资金.
    #[schemars(with = "Option<String>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub regional: Option<Decimal>,
}

/// One row of the indicator grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    /// 一级指标, as printed.
    pub level1: String,
    /// 二级指标, as printed.
    pub level2: String,
    /// 三级指标 (the indicator's name), as printed.
    pub name: String,
    /// 指标值.
    pub value: Value,
    /// The cell of the value (the 指标值 cell).
    #[serde(default)]
    pub cell: Option<CellRef>,
    /// The cell of the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_cell: Option<CellRef>,
    /// Where the indicator sits in the framework, whatever the wording.
    #[serde(default)]
    pub class: IndicatorClass,
    /// Extra columns of the newer layout (权重, 备注, 指标解释, …): header → text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// 指标性质 / 指标值类型 / 计算符号 as printed (`≥`, `定性`, `定量`), when the grid has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature: Option<String>,
    /// 度量单位 / 计量单位 as printed, when the grid has the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_column: Option<String>,
    /// 权重 / 分值, when the grid has the column and a number was written.
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub weight: Option<Decimal>,
    /// What a self-evaluation or monitoring table adds to the row (`actual`, `score`,
    /// `score_computed`, `reason`, `progress`, `forecast`, `causes`, `likelihood`), beside the
    /// keys above; nothing on a targets table.
    #[serde(default, flatten)]
    pub result: IndicatorResult,
}

/// An indicator value, split into its parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Value {
    /// The value as a person reads it (`≥80%`, `2026年12月20日前`).
    pub raw: String,
    /// `≥ ≤ = > <`, or none for a qualitative value.
    pub comparator: Option<String>,
    /// The number, exactly as written (`2.00`).
    #[schemars(with = "Option<String>")]
    #[serde(with = "selfeval::decimal_or_null")]
    pub number: Option<Decimal>,
    /// The unit after the number (`%`, `项`, `万元`).
    pub unit: Option<String>,
}

impl Value {
    /// True when nothing was written.
    pub fn is_empty(&self) -> bool {
        self.raw.trim().is_empty()
    }

    /// True for the placeholder `无`.
    pub(crate) fn is_none_marker(&self) -> bool {
        self.raw.trim() == "无"
    }
}

/// Where a table was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// The input file as given on the command line.
    pub file: String,
    /// The sheet name.
    pub sheet: String,
    /// The cells the table occupies (`A1:F34`).
    pub range: String,
}

/// How bad a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Definitely wrong.
    Error,
    /// Probably wrong, or weak.
    Warning,
    /// A change the reader made to what was typed.
    #[default]
    Info,
}

impl Severity {
    /// The Chinese word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    /// The id used on the command line and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One discrepancy: a rule's finding or a change the reader made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The rule id (`funding.own-sum`, `read.alias`, …).
    pub rule: String,
    /// How bad it is.
    pub severity: Severity,
    /// The project name (empty when the finding is about a file).
    pub project: String,
    /// The input file.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The cell it is about, when there is one.
    pub cell: Option<CellRef>,
    /// What is wrong, and what was expected, in Chinese.
    pub message: String,
    /// The model field it is about (`funding.own.total`, `indicators[3].value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// What was expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Index of the table in its document, when the finding is about a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<usize>,
    /// The rule's Chinese name (`资金合计不符`), from the catalogue.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule_name: String,
    /// The table's 主管部门 (or 部门名称), when the finding is about a table.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub department: String,
}

impl Finding {
    /// A finding about `table`, located at `cell`.
    pub fn new(
        rule: &str,
        severity: Severity,
        table: &Table,
        cell: Option<CellRef>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule: rule.to_string(),
            severity,
            project: table.project.name.clone(),
            department: table.project.department.clone(),
            file: table.source.file.clone(),
            sheet: table.source.sheet.clone(),
            cell,
            message: message.into(),
            ..Finding::default()
        }
    }

    /// Sets the field path.
    #[must_use]
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Sets what was found and what was expected.
    #[must_use]
    pub(crate) fn found_expected(
        mut self,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        self.found = Some(found.into());
        self.expected = Some(expected.into());
        self
    }
}

impl Default for Document {
    fn default() -> Self {
        Document {
            schema: SCHEMA_VERSION,
            tables: Vec::new(),
            discrepancies: Vec::new(),
        }
    }
}

impl Document {
    /// Appends another document's tables and findings, renumbering table indices.
    pub fn append(&mut self, other: Document) {
        let offset = self.tables.len();
        self.tables.extend(other.tables);
        self.discrepancies
            .extend(other.discrepancies.into_iter().map(|mut f| {
                f.table = f.table.map(|t| t + offset);
                f
            }));
    }

    /// Total of the tables' 年度资金总额.
    pub fn annual_total(&self) -> rust_decimal::Decimal {
        self.tables
            .iter()
            .filter_map(|t| t.funding.annual_total)
            .sum()
    }
}
