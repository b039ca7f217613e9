//! The model of the rest of the year: a self-evaluation (绩效自评表) and a monitoring table
//! (绩效运行监控表) are tables of the same shape as a targets table (绩效目标表), with more.
//!
//! Schema 3 adds, all additive to schema 2 (a schema-2 reader ignores them, a schema-2 document
//! reads with them absent):
//!
//! * [`Table::form`](crate::model::Table::form) — *which stage of the year* the table is
//!   (`targets`, `self-evaluation`, `monitoring`; absent = `targets`). It sits beside `kind`,
//!   which still says *whose* table it is (`project` or `department`), so a 部门整体 self-evaluation
//!   is `"kind": "department", "form": "self-evaluation"`.
//! * `execution` — the budget block with its columns (年初预算数, 全年预算数, 全年执行数 or 1-N月执行数,
//!   全年预计执行数, 执行率) per funding line, and the block's 分值 / 得分;
//! * `goal_actual` — 实际完成情况 beside 预期目标 (`goal`);
//! * per indicator (flattened beside today's keys, [`IndicatorResult`]): `actual`, `score`,
//!   `score_computed`, `reason`, and for monitoring `progress`, `forecast`, `causes`,
//!   `likelihood` (`weight` is schema 2's 权重 / 分值);
//! * `total` — 总分 and the grade, printed and computed.
//!
//! Everything printed keeps its raw text and cell; a key is `null` (absent) where the form has no
//! cell for it (a figure with neither value nor text: the form has the cell, left blank).
//! `*_computed` values are worked out when the table is read, from the profile's `[scoring]`
//! ([`mod@crate::selfeval::score`]); the checker compares them with the printed ones.
//!
//! ```text
//!  | 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |  → execution
//!  | 年度资金总额     | 90         | 90         | 89.97      | 10   | 99.97% | 9.99 |  → lines[0]
//!  | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
//!                         value        actual       weight score  reason
//! ```

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cell::CellRef;
use crate::model::Value;

/// Which stage of the year a table belongs to: the form, as opposed to whose table it is
/// ([`TableKind`](crate::model::TableKind)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FormKind {
    /// 绩效目标表: the targets set with the budget.
    #[default]
    Targets,
    /// 绩效自评表: the year's results scored against the targets.
    SelfEvaluation,
    /// 绩效运行监控表: mid-year progress and the forecast.
    Monitoring,
}

impl FormKind {
    /// The id used in JSON and profiles.
    pub fn id(self) -> &'static str {
        match self {
            FormKind::Targets => "targets",
            FormKind::SelfEvaluation => "self-evaluation",
            FormKind::Monitoring => "monitoring",
        }
    }

    /// The form's Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            FormKind::Targets => "绩效目标表",
            FormKind::SelfEvaluation => "绩效自评表",
            FormKind::Monitoring => "绩效运行监控表",
        }
    }

    /// True for the targets table (the default, not written in JSON).
    pub fn is_targets(&self) -> bool {
        *self == FormKind::Targets
    }
}

/// A number as printed: its value (when the text is a number), its text and its cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Figure {
    /// The number; `null` when the text is not one (`—`, `/`, a word).
    #[schemars(with = "Option<String>")]
    #[serde(default, with = "decimal_or_null")]
    pub value: Option<Decimal>,
    /// The text as typed (`98%`, `89.974`, `—`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub raw: String,
    /// The cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

impl Figure {
    /// A figure with a value and no source (a computed one, in tests).
    pub fn of(value: Decimal) -> Figure {
        Figure {
            value: Some(value),
            raw: value.to_string(),
            cell: None,
        }
    }
}

/// A text as printed, with its cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Note {
    /// The text as typed.
    pub text: String,
    /// The cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

/// The budget block of a self-evaluation or monitoring table (项目资金 with its columns).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Execution {
    /// One line per funding row, in table order.
    pub lines: Vec<ExecutionLine>,
    /// For a monitoring table, the month the executed figures run to (`1-7月执行数` → 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    /// The block's 分值 / 权重 (10, or 20 in the Hubei family), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Figure>,
    /// The block's 得分, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Figure>,
    /// The block's score as the profile's formula gives it.
    #[schemars(with = "Option<String>")]
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub score_computed: Option<Decimal>,
    /// Why the budget was adjusted or not spent (原因, 调整原因, 未完成原因), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Note>,
}

impl Execution {
    /// The total line (the first line without a parent), when there is one.
    pub fn total_line(&self) -> Option<&ExecutionLine> {
        self.lines
            .iter()
            .find(|l| l.key == "annual_total")
            .or_else(|| self.lines.iter().find(|l| l.parent.is_none()))
    }
}

/// One funding row of the budget block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExecutionLine {
    /// The canonical key (`annual_total`, `fiscal`, `carryover`, `other`, …, from the profile),
    /// or empty when the label is not one the profile knows.
    pub key: String,
    /// The label as printed (`其中：当年财政拨款`).
    pub label: String,
    /// The label's cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
    /// Index of the line it is part of, in [`Execution::lines`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// 年初预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<Figure>,
    /// 全年预算数 / 调整后预算数 / 预算数(A).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<Figure>,
    /// 全年执行数 / 预算执行数; for a monitoring table the 1-N月执行数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed: Option<Figure>,
    /// 全年预计执行数 (monitoring).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<Figure>,
    /// 执行率 as printed; its value is in percent (`98.5` for `98.5%` and for a cell holding
    /// 0.985 formatted as a percentage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Figure>,
}

/// What a self-evaluation or monitoring table adds to an indicator row (flattened into the
/// row's JSON beside its schema-2 keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorResult {
    /// 实际完成值 / 完成值 / 全年实际值: the value reached, or the band word of a qualitative row
    /// (`达成预期指标`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Observed>,
    /// 得分 as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Figure>,
    /// The score the profile's formula gives; `null` for a qualitative row (its score
    /// within the band is the filler's judgement) and where nothing can be computed.
    #[schemars(with = "Option<String>")]
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub score_computed: Option<Decimal>,
    /// The cell of 分值 / 权重 (the number is schema 2's `weight`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_cell: Option<CellRef>,
    /// 偏差原因分析及改进措施 / 未完成原因分析 / 原因说明.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Note>,
    /// The goal block the row is printed in, when the form groups its rows by goal
    /// (湖北: `年度绩效目标1（40分）`), as printed with its cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Note>,
    /// Monitoring: 1-N月执行情况 (半年度指标执行情况).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Observed>,
    /// Monitoring: 全年预计完成 (全年预计执行数).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<Observed>,
    /// Monitoring: the deviation causes marked or written (经费保障, 制度保障, 人员保障, 硬件条件保障,
    /// 其他, 原因说明), one per non-empty cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<Cause>,
    /// Monitoring: 完成目标可能性.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<Likelihood>,
}

impl IndicatorResult {
    /// True when the row carries nothing of a self-evaluation or monitoring table.
    pub fn is_empty(&self) -> bool {
        *self == IndicatorResult::default()
    }
}

/// A value observed against a target: the parts of [`Value`] and the cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Observed {
    /// The value split as a target value is (`raw`, `comparator`, `number`, `unit`).
    #[serde(flatten)]
    pub value: Value,
    /// The cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

/// One deviation cause of a monitored indicator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Cause {
    /// The column's header (`经费保障`, `原因说明`).
    pub category: String,
    /// What the cell holds (`✔`, or the explanation).
    pub text: String,
    /// The cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

/// 完成目标可能性 of a monitored indicator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LikelihoodLevel {
    /// 确定能.
    #[default]
    Certain,
    /// 有可能.
    Possible,
    /// 完全不可能 / 不可能.
    Impossible,
}

impl LikelihoodLevel {
    /// The Chinese words printed on the form.
    pub fn label(self) -> &'static str {
        match self {
            LikelihoodLevel::Certain => "确定能",
            LikelihoodLevel::Possible => "有可能",
            LikelihoodLevel::Impossible => "完全不可能",
        }
    }

    /// The level a word or column header names (`确定能`, `有可能`, `不可能`, `完全不可能`).
    pub fn parse(word: &str) -> Option<LikelihoodLevel> {
        let w: String = word.chars().filter(|c| !c.is_whitespace()).collect();
        Some(match w.as_str() {
            "确定能" | "能" | "确定" | "能完成" | "确定能完成" => {
                LikelihoodLevel::Certain
            }
            "有可能" | "可能" | "有可能完成" => LikelihoodLevel::Possible,
            "完全不可能" | "不可能" | "不能" | "无法完成" => {
                LikelihoodLevel::Impossible
            }
            _ => return None,
        })
    }
}

/// 完成目标可能性 as read: the level, with the text or tick and the cell it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Likelihood {
    /// The level.
    pub level: LikelihoodLevel,
    /// The cell's text (`✔` in a tick column, or the word).
    pub raw: String,
    /// The cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

/// 总分 and the grade of a self-evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Total {
    /// The 分值 total as printed (100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Figure>,
    /// 总分 / 自评得分 as printed; `null` where the form has no total cell (四川).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Figure>,
    /// The budget score plus every indicator's score, each as the profile's formula gives it
    /// (a qualitative row counts with its printed score when it is inside its band).
    #[schemars(with = "Option<String>")]
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub score_computed: Option<Decimal>,
    /// The grade as printed (优 / 良 / 中 / 差, 自评等级).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Note>,
    /// The grade the printed total (or, without one, the computed total) earns under the
    /// profile's bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade_computed: Option<String>,
}

/// `Option<Decimal>` as a string or `null`, as `rust_decimal::serde::str_option` writes it, read
/// back also where serde buffers the value first (inside a `#[serde(flatten)]` struct, where
/// `null` reaches the field as a unit, which `str_option` refuses): a self-evaluation's indicator
/// results are flattened into the row, so a document read back from its JSON (the page keeps
/// documents as JSON) needs it.
pub(crate) mod decimal_or_null {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// As `rust_decimal::serde::str_option`.
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::str_option::serialize(v, s)
    }

    /// A string or a number, or `null` however it arrives.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct Number(#[serde(with = "rust_decimal::serde::str")] Decimal);
        Ok(Option::<Number>::deserialize(d)?.map(|v| v.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_results_with_blank_figures_read_back_from_json() {
        // Flattened into the row: `null`s inside arrive buffered (the page's documents).
        let row = crate::model::Indicator {
            result: IndicatorResult {
                score: Some(Figure {
                    value: None,
                    raw: "—".into(),
                    cell: None,
                }),
                actual: Some(Observed {
                    value: Value {
                        raw: "明显提升".into(),
                        ..Value::default()
                    },
                    cell: None,
                }),
                ..IndicatorResult::default()
            },
            ..crate::model::Indicator::default()
        };
        let json = serde_json::to_string(&row).expect("valid");
        assert!(
            json.contains(r#""value":null"#) && json.contains(r#""number":null"#),
            "{json}"
        );
        let back: crate::model::Indicator = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, row);
    }

    #[test]
    fn form_kind_round_trips_in_kebab_case() {
        let json = serde_json::to_string(&FormKind::SelfEvaluation).expect("valid");
        assert_eq!(json, "\"self-evaluation\"");
        let back: FormKind = serde_json::from_str("\"monitoring\"").expect("valid");
        assert_eq!(back, FormKind::Monitoring);
    }

    #[test]
    fn observed_flattens_the_value() {
        let o = Observed {
            value: Value {
                raw: "≥50个".into(),
                comparator: Some("≥".into()),
                number: Some(Decimal::from(50)),
                unit: Some("个".into()),
            },
            cell: Some(CellRef::new(9, 6)),
        };
        let json = serde_json::to_value(&o).expect("valid");
        assert_eq!(json["raw"], "≥50个");
        assert_eq!(json["number"], "50");
        assert_eq!(json["cell"], "G10");
        let back: Observed = serde_json::from_value(json).expect("valid");
        assert_eq!(back, o);
    }

    #[test]
    fn likelihood_words() {
        assert_eq!(
            LikelihoodLevel::parse("完全 不可能"),
            Some(LikelihoodLevel::Impossible)
        );
        assert_eq!(
            LikelihoodLevel::parse("有可能"),
            Some(LikelihoodLevel::Possible)
        );
        assert_eq!(LikelihoodLevel::parse("✔"), None);
    }
}
