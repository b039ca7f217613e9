//! Self-evaluation (绩效自评表) and monitoring (绩效运行监控表) forms written as workbooks that
//! score themselves: `jixiao selfeval --from` and `jixiao monitor --from`.
//!
//! The phases:
//! 1. [`prefill`]: a targets table → the form's content ([`Form`]): identity, funding lines
//!    with their 年初预算数, the goal, every indicator with its target, how it is scored and a
//!    default weight; the scores the library computes for whatever is already typed;
//! 2. `sheet`: one form per sheet in a layout of `templates/layout-*.toml`
//!    ([`layout::SelfEvalLayout`]): labels locked, the cells to fill in shaded and unlocked,
//!    the sheet protected without a password; the scores, rates, sums and grade as Excel
//!    formulas ([`formula`]) written with the library's results as their cached values;
//! 3. [`readback`]: each form read again by the self-evaluation reader before the workbook is
//!    kept, any difference from the table written a `write.readback` error.

mod cells;
pub mod formula;
pub mod from_targets;
mod grid;
pub mod layout;
pub mod prefill;
pub mod readback;
mod sheet;
mod summary;

use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, Workbook};

use crate::error::{Error, Result};
use crate::write::names::unique_sheet_names;

pub use layout::SelfEvalLayout;

use crate::selfeval::{Direction, Scoring};

/// The content of one form, as the writer lays it out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    /// The sheet's name wanted (the project's name); made unique and valid.
    pub sheet: String,
    /// The year of the form.
    pub year: Option<i32>,
    /// The identity values by field path (`project.name` → 某项目), for the layout's rows.
    pub identity: Vec<(String, String)>,
    /// The funding lines, in the layout's order.
    pub lines: Vec<Line>,
    /// The budget's weight (分值 on the total line).
    pub budget_weight: Option<Decimal>,
    /// The budget's score, as computed (the formula's cached result).
    pub budget_score: Option<Decimal>,
    /// 预期目标.
    pub goal: String,
    /// 实际完成情况.
    pub goal_actual: String,
    /// The texts of the rows after the grid, by label (评价结论 …).
    pub narratives: Vec<(String, String)>,
    /// The indicator rows.
    pub rows: Vec<Row>,
    /// The total score, as computed.
    pub total: Option<Decimal>,
    /// The grade, as computed.
    pub grade: Option<String>,
}

/// One funding line of a form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    /// 年初预算数.
    pub initial: Option<Decimal>,
    /// 全年预算数 / 调整后预算数.
    pub adjusted: Option<Decimal>,
    /// 全年执行数 / 1-N月执行数.
    pub executed: Option<Decimal>,
    /// 全年预计执行数.
    pub forecast: Option<Decimal>,
    /// 执行率, as computed (a share: 0.95).
    pub rate: Option<Decimal>,
    /// 时间进度 of a monitoring form: the share of the year elapsed (7/12).
    pub elapsed: Option<Decimal>,
    /// 进度偏差: the rate less the share of the year elapsed.
    pub lag: Option<Decimal>,
    /// Why the budget was adjusted or the rate is low.
    pub reason: String,
}

/// One indicator row of a form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 年度指标值 as approved (`≥95%`).
    pub target: String,
    /// The target split as a three-column form prints it: 指标性质, 指标值, 度量单位.
    pub target_parts: [String; 3],
    /// How it is scored.
    pub scoring: RowScoring,
    /// 分值.
    pub weight: Option<Decimal>,
    /// 实际完成值 / 1-N月执行情况 as typed.
    pub actual: Option<Actual>,
    /// 得分, as computed (or typed, for a qualitative row).
    pub score: Option<Decimal>,
    /// 偏差原因分析及改进措施 (原因说明 of a monitoring table).
    pub reason: String,
    /// 全年预计完成 (monitoring).
    pub forecast: String,
    /// The causes ticked, by header (经费保障 …; monitoring).
    pub causes: Vec<String>,
    /// The likelihood ticked, by header (确定能 …; monitoring).
    pub likelihood: Option<String>,
    /// 备注.
    pub remark: String,
}

/// How an indicator row is scored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RowScoring {
    /// By its rule against its target's number; the actual is typed in `unit`.
    Quantitative {
        /// 正向, 等于 or 反向.
        direction: Direction,
        /// The target's number.
        target: Decimal,
        /// The target's unit, shown after a typed actual.
        unit: Option<String>,
    },
    /// By the band word typed as the actual; the score is typed within the band.
    Qualitative,
    /// Not scored by a formula (no target number): the score is typed.
    #[default]
    Typed,
}

/// An actual as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actual {
    /// A number.
    Number(Decimal),
    /// A text (a band word).
    Text(String),
}

/// What the formulas need besides the form: the profile's scoring, the month.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The profile's `[scoring]`.
    pub scoring: Scoring,
    /// The month of a monitoring form (the `{month}` of its headers).
    pub month: Option<u32>,
}

/// The names of the sheets other than the forms.
pub const GUIDE_SHEET: &str = "填报说明";

/// A written workbook.
#[derive(Debug, Clone)]
pub struct Book {
    /// The xlsx bytes.
    pub bytes: Vec<u8>,
    /// The form sheets' names, one per form.
    pub sheets: Vec<String>,
}

/// Writes the forms, one per sheet, and a 填报说明 sheet of `guide` lines.
///
/// # Errors
/// [`Error::Write`] when rust_xlsxwriter rejects the workbook (a bug).
pub fn write(
    forms: &[Form],
    layout: &SelfEvalLayout,
    settings: &Settings,
    guide: &[String],
) -> Result<Book> {
    let wanted: Vec<String> = forms.iter().map(|f| f.sheet.clone()).collect();
    let summary = layout.levels.as_ref().map(|l| l.sheet.as_str());
    let reserved: Vec<&str> = std::iter::once(GUIDE_SHEET).chain(summary).collect();
    let names = unique_sheet_names(&wanted, &reserved);
    let err = |e: rust_xlsxwriter::XlsxError| Error::Write {
        path: layout.title.clone().into(),
        detail: format!("生成工作簿失败：{e}"),
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(&layout.title)
            .set_author("jixiao"),
    );
    let mut sums = Vec::new();
    for (form, name) in forms.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(err)?;
        sums.push((
            name.clone(),
            sheet::write(ws, form, layout, settings).map_err(err)?,
        ));
    }
    if let Some(sheet) = summary {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).map_err(err)?;
        summary::write(ws, &sums, layout, settings).map_err(err)?;
    }
    if !guide.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(GUIDE_SHEET).map_err(err)?;
        sheet::guide(ws, guide).map_err(err)?;
    }
    let bytes = wb.save_to_buffer().map_err(err)?;
    Ok(Book {
        bytes,
        sheets: names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    pub(crate) fn sample() -> (Form, Settings) {
        let row =
            |l1: &str, l2: &str, name: &str, target: &str, scoring: RowScoring, w: &str| Row {
                level1: l1.into(),
                level2: l2.into(),
                name: name.into(),
                target: target.into(),
                scoring,
                weight: Some(d(w)),
                ..Row::default()
            };
        let q = |direction, t: &str, u: &str| RowScoring::Quantitative {
            direction,
            target: d(t),
            unit: Some(u.into()),
        };
        let form = Form {
            sheet: "某项目".into(),
            year: Some(2026),
            identity: vec![
                ("project.name".into(), "某项目".into()),
                ("project.department".into(), "某厅".into()),
                ("project.implementing_unit".into(), "某中心".into()),
            ],
            lines: vec![
                Line {
                    initial: Some(d("90")),
                    ..Line::default()
                },
                Line {
                    initial: Some(d("80")),
                    adjusted: Some(d("80")),
                    ..Line::default()
                },
                Line {
                    initial: Some(d("10")),
                    adjusted: Some(d("10")),
                    ..Line::default()
                },
                Line::default(),
            ],
            budget_weight: Some(d("10")),
            goal: "完成某项工作".into(),
            rows: vec![
                row(
                    "产出指标",
                    "数量指标",
                    "培训人数",
                    "≥500人",
                    q(Direction::Positive, "500", "人"),
                    "25",
                ),
                row(
                    "产出指标",
                    "质量指标",
                    "合格率",
                    "≥95%",
                    q(Direction::Positive, "95", "%"),
                    "25",
                ),
                row(
                    "效益指标",
                    "社会效益指标",
                    "投诉率",
                    "≤5%",
                    q(Direction::Reverse, "5", "%"),
                    "15",
                ),
                row(
                    "效益指标",
                    "社会效益指标",
                    "群众知晓度",
                    "明显提高",
                    RowScoring::Qualitative,
                    "15",
                ),
                row(
                    "满意度指标",
                    "服务对象满意度指标",
                    "满意度",
                    "≥90%",
                    q(Direction::Positive, "90", "%"),
                    "10",
                ),
            ],
            ..Form::default()
        };
        let settings = Settings {
            scoring: Scoring::default(),
            month: None,
        };
        (form, settings)
    }

    #[test]
    fn a_form_is_written_with_its_formulas_and_protection() {
        let (form, settings) = sample();
        let book = write(
            &[form],
            SelfEvalLayout::national(),
            &settings,
            &["说明".into()],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        if let Ok(p) = std::env::var("JIXIAO_SELFEVAL_OUT") {
            std::fs::write(p, &book.bytes).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut x: Xlsx<_> =
            Xlsx::new(std::io::Cursor::new(book.bytes)).unwrap_or_else(|e| panic!("{e}"));
        let range = x
            .worksheet_range("某项目")
            .unwrap_or_else(|e| panic!("{e}"));
        let formulas = x
            .worksheet_formula("某项目")
            .unwrap_or_else(|e| panic!("{e}"));
        let find = |text: &str| {
            range
                .cells()
                .find(|(_, _, v)| matches!(v, Data::String(s) if s == text))
                .map(|(r, c, _)| (r, c))
        };
        assert!(find("项目支出绩效自评表").is_some());
        let (r, c) = find("培训人数").unwrap_or_else(|| panic!("no row"));
        // The score of the row is a formula on its own actual and weight.
        let f = formulas
            .get((
                r - formulas.start().map_or(0, |s| s.0 as usize),
                8 - formulas.start().map_or(0, |s| s.1 as usize),
            ))
            .cloned()
            .unwrap_or_default();
        assert!(
            f.contains(&format!("G{}", r + 1)) && f.contains(">=500"),
            "{f} at {r},{c}"
        );
        assert!(find("总分").is_some() && find("自评等级").is_some());
    }
}
