//! This year's targets tables → the workbook of self-evaluation or monitoring forms to fill, one
//! per project: what `jixiao selfeval --from` and `jixiao monitor --from` write, and the page's
//! 生成自评表 / 生成监控表 (the same bytes but the file's timestamp).

use crate::error::{Error, Result};
use crate::form::TableKind;
use crate::model::{Document, FormKind, Table};
use crate::read::{ProfileRef, Profiles};
use crate::selfeval::scoring::RateBase;
use crate::selfeval::Scoring;

use crate::write::readback::Difference;

use super::{prefill, readback, Book, Form, SelfEvalLayout, Settings};

/// The form asked for: a self-evaluation (`None`) or a monitoring form of month `Some(m)`.
fn form_of(month: Option<u32>) -> FormKind {
    if month.is_some() {
        FormKind::Monitoring
    } else {
        FormKind::SelfEvaluation
    }
}

/// The form's name: 绩效自评表, or 绩效运行监控表 for a month.
pub fn form_name(month: Option<u32>) -> &'static str {
    if month.is_some() {
        "绩效运行监控表"
    } else {
        "绩效自评表"
    }
}

/// The built-in profile a `form` of tables of `kind` is written in when none is asked; `None`
/// where no built-in form exists (a 部门整体 monitoring form).
fn default_id(form: FormKind, kind: TableKind) -> Option<&'static str> {
    match (form, kind) {
        (FormKind::Monitoring, TableKind::Project) => Some("central-monitoring"),
        (FormKind::SelfEvaluation, TableKind::Project) => Some("national-selfeval"),
        (FormKind::SelfEvaluation, TableKind::Department) => Some("department-selfeval"),
        _ => None,
    }
}

/// The kind most of `doc`'s targets tables are (项目 on a tie or when there are none): the
/// kind of form [`form_profile`] picks when none is asked.
pub fn kind_of(doc: &Document) -> TableKind {
    let targets = doc.tables.iter().filter(|t| t.form == FormKind::Targets);
    let departments = targets
        .clone()
        .filter(|t| t.kind == TableKind::Department)
        .count();
    if departments * 2 > targets.count() {
        TableKind::Department
    } else {
        TableKind::Project
    }
}

/// The profile of the form to write: `asked` (which must describe that form), else the
/// built-in one for tables of `kind` (`national-selfeval` or `department-selfeval`;
/// `central-monitoring` for a month; the project one where `kind` has none).
///
/// # Errors
/// When `asked` describes another form, or the built-in one is missing (in Chinese).
pub fn form_profile(
    profiles: &Profiles,
    asked: Option<ProfileRef>,
    month: Option<u32>,
    kind: TableKind,
) -> Result<ProfileRef> {
    let want = form_of(month);
    let profile = match asked {
        Some(p) => p,
        None => {
            let id = default_id(want, kind)
                .or_else(|| default_id(want, TableKind::Project))
                .unwrap_or("national-selfeval");
            profiles
                .get(id)
                .ok_or_else(|| Error::Usage(format!("找不到内置表样配置 {id}")))?
        }
    };
    let form = profile
        .selfeval
        .as_ref()
        .map(|s| s.form)
        .unwrap_or_default();
    if form != want {
        return Err(Error::Usage(format!(
            "表样配置 {} 描述的是{}，不是{}：请用 --profile 指定{}的配置（见 jixiao profiles）",
            profile.id,
            form.label(),
            want.label(),
            want.label()
        )));
    }
    Ok(profile)
}

/// A table read but not made into a form, and why (in Chinese).
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The table's name (its project, or its department).
    pub name: String,
    /// The file it was read from.
    pub file: String,
    /// Why no form was made of it: `这是绩效自评表，不是绩效目标表`, or a 部门整体 targets table
    /// met while writing project forms.
    pub why: String,
}

/// The forms made from the tables read.
#[derive(Debug, Clone)]
pub struct Made {
    /// The workbook.
    pub book: Book,
    /// Indicator rows over all forms.
    pub indicators: usize,
    /// Tables left out as second copies of a project (same 主管部门 and 项目名称).
    pub duplicates: usize,
    /// Tables no form was made of: not targets tables, or targets tables of another kind
    /// than the profile's (a 部门整体 table among projects).
    pub others: Vec<Skipped>,
    /// Where a form read back from the workbook does not say what its targets table said
    /// (`table`: the form's index in [`Book::sheets`]); each is an error.
    pub differences: Vec<Difference>,
}

/// One form per targets table of `doc` (a project read twice once: the newest year's, or the
/// first), in the layout of `profile` (see [`form_profile`]) with its scoring, and the
/// 填报说明 sheet; `month` makes monitoring forms. Each form is read back from the workbook
/// ([`readback::verify`]) and what differs is returned.
///
/// # Errors
/// When `doc` holds no targets table (in Chinese), or the workbook cannot be written.
pub fn from_targets(doc: &Document, profile: ProfileRef, month: Option<u32>) -> Result<Made> {
    let (doc, duplicates) = crate::template::dedupe(doc);
    // A form describes one kind of table: a 部门整体 table is never written into a project's
    // form (nor a project into a department's), it is named as not made.
    let (targets, others): (Vec<&Table>, Vec<&Table>) = doc
        .tables
        .iter()
        .partition(|t| t.form == FormKind::Targets && t.kind == profile.kind);
    if targets.is_empty() {
        let why = match others.iter().find(|t| t.form == FormKind::Targets) {
            Some(t) => format!(
                "读到的 {} 张绩效目标表未生成：{}",
                others
                    .iter()
                    .filter(|t| t.form == FormKind::Targets)
                    .count(),
                skipped_why(t, &profile, month)
            ),
            None => format!("没有读到任何绩效目标表，无法生成{}", form_name(month)),
        };
        return Err(Error::Usage(why));
    }
    let layout = SelfEvalLayout::for_profile(&profile, month.is_some());
    let scoring: Scoring = profile
        .selfeval
        .as_ref()
        .map(|s| s.scoring.clone())
        .unwrap_or_default();
    let settings = Settings { scoring, month };
    let tables: Vec<Table> = targets
        .iter()
        .map(|t| prefill::prefill(t, profile, layout, month))
        .collect();
    let forms: Vec<Form> = tables
        .iter()
        .map(|t| prefill::form_of(t, layout, &settings))
        .collect();
    let book = super::write(
        &forms,
        layout,
        &settings,
        &guide(&profile, layout, &settings),
    )?;
    // Each form read back before the workbook is kept: it must say what the table said.
    let written: Vec<readback::Written<'_>> = book
        .sheets
        .iter()
        .zip(&tables)
        .map(|(sheet, table)| readback::Written { sheet, table })
        .collect();
    let differences = readback::verify(&book.bytes, &written);
    Ok(Made {
        differences,
        book,
        indicators: forms.iter().map(|f| f.rows.len()).sum(),
        duplicates: duplicates.len(),
        others: others
            .iter()
            .map(|t| Skipped {
                name: t.display_name().to_string(),
                file: t.source.file.clone(),
                why: skipped_why(t, &profile, month),
            })
            .collect(),
    })
}

/// Why `t` is not made into a form of `profile`.
fn skipped_why(t: &Table, profile: &ProfileRef, month: Option<u32>) -> String {
    if t.form != FormKind::Targets {
        return format!("这是{}，不是绩效目标表", t.form.label());
    }
    let kind = |k: TableKind| match k {
        TableKind::Project => "项目支出",
        TableKind::Department => "部门整体支出",
    };
    let hint = default_id(form_of(month), t.kind).map_or_else(
        || format!("没有{}的内置{}配置", kind(t.kind), form_name(month)),
        |id| format!("请用 --profile {id} 另行生成"),
    );
    format!(
        "这是{}绩效目标表，本次生成的是{}（{}）：{hint}",
        kind(t.kind),
        form_name(month),
        profile.name
    )
}

/// The 填报说明 lines: what to fill and how the form scores itself, from the profile.
pub fn guide(profile: &ProfileRef, layout: &SelfEvalLayout, settings: &Settings) -> Vec<String> {
    use super::layout::{FundingRole, GridRole};
    let month = settings.month;
    let sc = &settings.scoring;
    // The form's own words for what is typed (湖北: 预算数(A), 执行数(B)).
    let budget = layout
        .funding_col(FundingRole::Adjusted)
        .map_or("全年预算数", |c| c.header.as_str());
    let executed = layout
        .funding_col(FundingRole::Executed)
        .map_or("全年执行数", |c| c.header.as_str());
    let reason = layout
        .grid_col(GridRole::Reason)
        .map(|c| c.header.as_str())
        .or(layout.narratives.first().map(|n| n.label.as_str()))
        .unwrap_or("偏差原因分析及改进措施");
    let summed = if layout.funding.lines.len() > 1 {
        "，第一行（年度资金总额）由下面各行相加"
    } else {
        ""
    };
    let mut lines = vec![
        format!(
            "{}填报说明（表样配置：{} {}）",
            form_name(month),
            profile.id,
            profile.name
        ),
        "1. 浅绿色单元格由部门填写，其余单元格锁定（工作表保护，无密码）；灰色单元格由公式计算。"
            .to_string(),
    ];
    if let Some(m) = month {
        lines.push(format!(
            "2. 资金：填写各行的 1-{m}月执行数和全年预计执行数，第一行（年度资金总额）由下面各行相加；执行率 = 执行数 ÷ 年初预算数；时间进度 = {m} ÷ 12；进度偏差 = 执行率 − 时间进度，落后超过 {} 个百分点的标红（与 jixiao check 的“执行进度明显滞后”相同）。",
            settings.scoring.schedule_lag
        ));
        lines.push("3. 指标：填写 1-N月执行数和全年预计完成；偏离目标的，在相应原因下打 ✔ 并写明原因说明；在完成目标可能性中打 ✔（有可能、完全不可能的须说明原因和措施）。".to_string());
        return lines;
    }
    let levels: Vec<String> = sc
        .levels
        .iter()
        .map(|(l, w)| format!("{l} {w} 分"))
        .collect();
    lines.extend([
        format!(
            "2. 资金：填写各行的{budget}（全年预算，预算未调整的，填年初预算数；不填则不计算执行率和预算执行得分）和{executed}{summed}。执行率 = {executed} ÷ {}；预算执行得分 = {} 分 × 执行率（不超过 {} 分）。",
            match sc.rate_base {
                RateBase::Adjusted => budget,
                RateBase::Initial => "年初预算数",
            },
            sc.budget_weight,
            sc.budget_weight
        ),
        format!(
            "3. 分值：默认 {}，同一级指标内平均分配；某一级指标缺少时其分值移给{}。可按项目实际调整，总分值应为 100。",
            levels.join("、"),
            sc.absent
        ),
        "4. 定量指标：填写实际完成值（数字，单位与年度指标值相同），得分由公式计算：正向指标（≥）达到指标值得满分，未达到按 实际值 ÷ 指标值 × 分值；等于指标同正向（指标值为 0 时，不超过 0 得满分，否则 0 分）。".to_string(),
        format!("5. {}；得分不超过分值，保留 {} 位小数（四舍五入）。", sc.reverse.describe(), sc.decimals),
        format!(
            "6. 定性指标：在实际完成值中选择完成情况，并在相应分档内填写得分：达成年度指标 {}%–100%，部分达成年度指标并具有一定效果 {}%–{}%，未达成年度指标且效果较差 0–{}%（均为占分值的比例）。",
            sc.qualitative[0], sc.qualitative[1], sc.qualitative[0], sc.qualitative[1]
        ),
        format!("7. 未得满分的指标须在“{reason}”中写明原因和措施。"),
        format!(
            "8. 总分 = 预算执行得分 + 各指标得分{}。",
            if layout.grade.is_some() {
                let grades = sc
                    .grades
                    .iter()
                    .map(|(at, g)| if at.is_zero() { format!("{g}（其余）") } else { format!("{g}（≥{at}）") })
                    .collect::<Vec<_>>()
                    .join("、");
                format!("；自评等级：{grades}")
            } else {
                String::new()
            }
        ),
    ]);
    lines
}
