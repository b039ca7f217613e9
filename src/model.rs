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
use serde::{Deserialize, Serialize};

use crate::cell::CellRef;

/// Everything read from a set of inputs: the tables and the findings about them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// All tables, in input order.
    pub tables: Vec<Table>,
    /// Findings: the reader's notices and, after checking, the rules' findings.
    #[serde(default)]
    pub discrepancies: Vec<Finding>,
}

/// Which generation of the template a table follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// One project table (项目支出预算绩效表).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
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
    /// 年度总体绩效目标.
    pub goal: String,
    /// The indicator grid, in table order.
    pub indicators: Vec<Indicator>,
    /// Where the table was read from.
    #[serde(default)]
    pub source: Source,
    /// Field path (`project.name`, `funding.own.fiscal`, `goal`, …) → the cell it was read from
    /// and the text typed there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cells: BTreeMap<String, FieldSource>,
}

impl Table {
    /// The project name, or a placeholder for tables without one.
    pub fn display_name(&self) -> &str {
        if self.project.name.is_empty() {
            "（未命名项目）"
        } else {
            &self.project.name
        }
    }

    /// The cell a field was read from, as `C12`.
    pub fn cell_of(&self, field: &str) -> Option<CellRef> {
        self.cells.get(field).map(|f| f.cell)
    }
}

/// Where a header value came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSource {
    /// The cell holding the value.
    pub cell: CellRef,
    /// The value as typed (after removing markup).
    pub raw: String,
}

/// The header block of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// 项目期 (`1年`).
    pub period: String,
}

/// The funding block, in 万元.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Funding {
    /// 项目总额.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    /// 年度资金总额.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub annual_total: Option<Decimal>,
    /// 本级资金.
    pub own: OwnFunds,
    /// 转移市县（区）资金.
    pub transfer: TransferFunds,
}

/// 本级资金: the department's own funds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OwnFunds {
    /// 资金总额.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    /// 财政拨款.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub fiscal: Option<Decimal>,
    /// 其他资金.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub other: Option<Decimal>,
    /// 结余结转资金 / 上年结转资金.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub carryover: Option<Decimal>,
}

/// 转移市县（区）资金: funds passed on to cities and counties.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TransferFunds {
    /// 资金总额.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    /// 中央资金.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub central: Option<Decimal>,
    /// 自治区资金.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub regional: Option<Decimal>,
}

/// One row of the indicator grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
}

/// An indicator value, split into its parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Value {
    /// The value as a person reads it (`≥80%`, `2026年12月20日前`).
    pub raw: String,
    /// `≥ ≤ = > <`, or none for a qualitative value.
    pub comparator: Option<String>,
    /// The number, exactly as written (`2.00`).
    #[serde(with = "rust_decimal::serde::str_option")]
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
    pub fn is_none_marker(&self) -> bool {
        self.raw.trim() == "无"
    }
}

/// The canonical place of an indicator in the framework, independent of template wording.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
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

/// Where a table was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    pub fn found_expected(mut self, found: impl Into<String>, expected: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self.expected = Some(expected.into());
        self
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
