//! `jixiao selfeval` and `jixiao monitor`: this year's targets tables → the self-evaluation
//! (绩效自评表) or monitoring (绩效运行监控表) forms to fill, one per project, that score
//! themselves as the department types.

use std::io::Write;
use std::path::{Path, PathBuf};

use jixiao::model::{FormKind, Table};
use jixiao::read::ProfileRef;
use jixiao::selfeval::Scoring;
use jixiao::write::selfeval::{self as se, prefill, SelfEvalLayout, Settings};

use super::{read_scanned, scan, HelpFlag, Options, SUB_TEMPLATE_NO_ARGS};

/// Arguments of `jixiao selfeval`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE_NO_ARGS,
    override_usage = "jixiao selfeval --from <文件或目录>... [选项] -o <文件.xlsx>",
    after_help = "示例：\n  \
                  jixiao selfeval --from 2026年绩效目标表/ -o 2026年绩效自评表.xlsx\n  \
                  jixiao selfeval --from 部门A.xlsx --profile national-selfeval -o 部门A自评表.xlsx\n\n\
                  读取今年的绩效目标表（文件或目录），每个项目生成一张绩效自评表：项目名称、主管部门、实施单位，\
                  资金各行的年初预算数（全年预算数由部门填写：绩效目标表只有年初预算数，预算是否调整只有部门知道；填写前执行率和预算执行得分空白），预期目标，\
                  全部绩效指标及其年度指标值和默认分值（预算执行率 10 分，产出 50、效益 30、满意度 10 分，\
                  按表样配置的计分规则；某一级指标缺少时其分值移给产出指标；同一级指标内平均分配）。\n\n\
                  浅绿色单元格由部门填写：全年预算数、全年执行数、实际完成情况、各指标的实际完成值、分值和偏差原因；\
                  其余单元格锁定（工作表保护，无密码）。填入实际完成值后，得分、执行率、预算执行得分、总分和自评等级\
                  由公式按表样配置的计分规则自动计算（不超过分值）；定性指标选择完成情况后在相应分档内打分。\n\n\
                  --profile：自评表的表样配置（默认 national-selfeval，见 jixiao profiles），决定版式和计分规则；\
                  今年的绩效目标表按表中标签自动识别。\n\n\
                  输出文件不会覆盖任何输入文件，也不能放在 --from 的输入目录中。\n\n\
                  退出码：0 成功；1 写出的表回读与绩效目标表不一致（stderr 列出）；2 有输入文件无法读取（其余文件照常生成）或无法写入"
)]
pub struct Args {
    /// 输出文件（.xlsx）
    #[arg(short = 'o', long = "out", value_name = "文件.xlsx")]
    out: PathBuf,
    /// 今年的绩效目标表：一个或多个工作簿文件或目录（--from A B，或 --from A --from B；目录中递归查找 xlsx、xlsm、xlsb、xls、ods）
    #[arg(long, value_name = "文件或目录", num_args = 1.., required = true)]
    from: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// Arguments of `jixiao monitor`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE_NO_ARGS,
    override_usage = "jixiao monitor --from <文件或目录>... --month <月份> [选项] -o <文件.xlsx>",
    after_help = "示例：\n  \
                  jixiao monitor --from 2026年绩效目标表/ --month 7 -o 2026年1-7月绩效监控表.xlsx\n\n\
                  读取今年的绩效目标表（文件或目录），每个项目生成一张绩效运行监控表：项目名称、主管部门、实施单位，\
                  资金各行的年初预算数，年度总体目标，全部绩效指标及其年度指标值。\
                  浅绿色单元格由部门填写：1-N月执行数、全年预计执行数、各指标的执行情况、全年预计完成、\
                  偏差原因（在相应原因下打 ✔ 并说明）和完成目标可能性（打 ✔）；执行率由公式计算。\n\n\
                  --profile：监控表的表样配置（默认 central-monitoring）。\n\n\
                  退出码：0 成功；1 写出的表回读与绩效目标表不一致（stderr 列出）；2 有输入文件无法读取（其余文件照常生成）或无法写入"
)]
pub struct MonitorArgs {
    /// 输出文件（.xlsx）
    #[arg(short = 'o', long = "out", value_name = "文件.xlsx")]
    out: PathBuf,
    /// 今年的绩效目标表：一个或多个工作簿文件或目录
    #[arg(long, value_name = "文件或目录", num_args = 1.., required = true)]
    from: Vec<PathBuf>,
    /// 监控截至的月份（1–12），表头写作“1-N月执行数”
    #[arg(long, value_name = "月份", value_parser = clap::value_parser!(u32).range(1..=12))]
    month: u32,
    #[command(flatten)]
    help: HelpFlag,
}

/// Runs `jixiao selfeval`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    make(&args.out, &args.from, None, opts)
}

/// Runs `jixiao monitor`.
pub fn run_monitor(args: MonitorArgs, opts: &Options) -> anyhow::Result<u8> {
    make(&args.out, &args.from, Some(args.month), opts)
}

/// The form profile: `--profile` (which must describe the form asked for), else the national
/// one of the form.
fn form_profile(opts: &Options, month: Option<u32>) -> anyhow::Result<ProfileRef> {
    let want = if month.is_some() {
        FormKind::Monitoring
    } else {
        FormKind::SelfEvaluation
    };
    let default = if month.is_some() {
        "central-monitoring"
    } else {
        "national-selfeval"
    };
    let profile = match opts.profile() {
        Some(p) => *p,
        None => opts
            .read
            .profiles
            .get(default)
            .ok_or_else(|| anyhow::anyhow!("找不到内置表样配置 {default}"))?,
    };
    let form = profile
        .selfeval
        .as_ref()
        .map(|s| s.form)
        .unwrap_or_default();
    if form != want {
        anyhow::bail!(
            "表样配置 {} 描述的是{}，不是{}：请用 --profile 指定{}的配置（见 jixiao profiles）",
            profile.id,
            form.label(),
            want.label(),
            want.label()
        );
    }
    Ok(profile)
}

fn make(
    out_path: &Path,
    from: &[PathBuf],
    month: Option<u32>,
    opts: &Options,
) -> anyhow::Result<u8> {
    let is_xlsx = out_path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        anyhow::bail!("输出文件 {} 的扩展名应为 .xlsx", out_path.display());
    }
    let profile = form_profile(opts, month)?;
    jixiao::template::check_output(out_path, from)?;
    let (scanned, missing) = scan(from)?;
    jixiao::template::check_output(out_path, &scanned.files)?;
    // `--profile` names the form to write; the targets tables are read by their own labels.
    let mut read_opts = opts.clone();
    read_opts.read.profile = None;
    let outcome = read_scanned(scanned.files, missing, &read_opts);
    let (doc, duplicates) = jixiao::template::dedupe(&outcome.doc);
    let (targets, others): (Vec<&Table>, Vec<&Table>) =
        doc.tables.iter().partition(|t| t.form == FormKind::Targets);
    if targets.is_empty() {
        anyhow::bail!("没有读到任何绩效目标表，无法生成{}", form_name(month));
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
    let forms: Vec<se::Form> = tables
        .iter()
        .map(|t| prefill::form_of(t, layout, &settings))
        .collect();
    let guide = guide(&profile, layout, &settings, month);
    let book = se::write(&forms, layout, &settings, &guide)?;
    // Each form read back before the workbook is kept: it must say what the table said.
    let written: Vec<se::readback::Written<'_>> = book
        .sheets
        .iter()
        .zip(&tables)
        .map(|(sheet, table)| se::readback::Written { sheet, table })
        .collect();
    let differences = se::readback::verify(&book.bytes, &written);
    jixiao::write::save_atomic(out_path, &book.bytes)?;
    {
        // What the written workbook does not say as the targets did: never silent.
        let mut err = std::io::stderr().lock();
        for d in &differences {
            let sheet = book.sheets.get(d.table).map_or("", String::as_str);
            writeln!(
                err,
                "错误：{}「{sheet}」：{}",
                out_path.display(),
                d.message()
            )?;
        }
    }

    let mut out = std::io::stdout().lock();
    let indicators: usize = forms.iter().map(|f| f.rows.len()).sum();
    writeln!(
        out,
        "已生成 {}：{} 张{}（{}；读取 {} 个文件中的 {} 张表），指标 {indicators} 个，附“{}”",
        out_path.display(),
        book.sheets.len(),
        form_name(month),
        profile.name,
        outcome.per_file.len(),
        outcome.doc.tables.len(),
        se::GUIDE_SHEET,
    )?;
    if !duplicates.is_empty() {
        writeln!(
            out,
            "  另有 {} 张表与已生成的项目重复（同一项目出现在多个文件中），只生成一份（较新年度的、或第一份）",
            duplicates.len()
        )?;
    }
    for t in &others {
        writeln!(
            out,
            "  未生成：{}（{}：这是{}，不是绩效目标表）",
            t.display_name(),
            t.source.file,
            t.form.label()
        )?;
    }
    if !differences.is_empty() {
        writeln!(
            out,
            "  回读不一致 {} 处（写出后重新读取与绩效目标表不符，见上）",
            differences.len()
        )?;
    }
    out.flush()?;
    drop(out);
    // A form that does not read back as written is an error finding (exit 1), as in convert.
    Ok(outcome.finish().max(u8::from(!differences.is_empty())))
}

fn form_name(month: Option<u32>) -> &'static str {
    if month.is_some() {
        "绩效运行监控表"
    } else {
        "绩效自评表"
    }
}

/// The 填报说明 lines: what to fill and how the form scores itself, from the profile.
fn guide(
    profile: &ProfileRef,
    layout: &SelfEvalLayout,
    settings: &Settings,
    month: Option<u32>,
) -> Vec<String> {
    use jixiao::write::selfeval::layout::{FundingRole, GridRole};
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
                jixiao::selfeval::scoring::RateBase::Adjusted => budget,
                jixiao::selfeval::scoring::RateBase::Initial => "年初预算数",
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
