//! `jixiao selfeval` and `jixiao monitor`: this year's targets tables → the self-evaluation
//! (绩效自评表) or monitoring (绩效运行监控表) forms to fill, one per project, that score
//! themselves as the department types.

use std::io::Write;
use std::path::{Path, PathBuf};

use jixiao::form::TableKind;
use jixiao::write::selfeval::{self as se, from_targets as ft};

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
    let asked = opts.profile().copied();
    // A profile asked for is checked before any file is read.
    ft::form_profile(&opts.read.profiles, asked, month, TableKind::Project)?;
    jixiao::template::check_output(out_path, from)?;
    let (scanned, missing) = scan(from)?;
    jixiao::template::check_output(out_path, &scanned.files)?;
    // `--profile` names the form to write; the targets tables are read by their own labels.
    let mut read_opts = opts.clone();
    read_opts.read.profile = None;
    let outcome = read_scanned(scanned.files, missing, &read_opts);
    // None asked: the form of the kind most tables are (部门整体 targets → 部门整体 self-evaluation).
    let profile = ft::form_profile(&opts.read.profiles, asked, month, ft::kind_of(&outcome.doc))?;
    let made = ft::from_targets(&outcome.doc, profile, month)?;
    jixiao::write::save_atomic(out_path, &made.book.bytes)?;
    {
        // What the written workbook does not say as the targets did: never silent.
        let mut err = std::io::stderr().lock();
        for d in &made.differences {
            let sheet = made.book.sheets.get(d.table).map_or("", String::as_str);
            writeln!(
                err,
                "错误：{}「{sheet}」：{}",
                out_path.display(),
                d.message()
            )?;
        }
    }

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "已生成 {}：{} 张{}（{}；读取 {} 个文件中的 {} 张表），指标 {} 个，附“{}”",
        out_path.display(),
        made.book.sheets.len(),
        ft::form_name(month),
        profile.name,
        outcome.per_file.len(),
        outcome.doc.tables.len(),
        made.indicators,
        se::GUIDE_SHEET,
    )?;
    if made.duplicates > 0 {
        writeln!(
            out,
            "  另有 {} 张表与已生成的项目重复（同一项目出现在多个文件中），只生成一份（较新年度的、或第一份）",
            made.duplicates
        )?;
    }
    for o in &made.others {
        writeln!(out, "  未生成：{}（{}：{}）", o.name, o.file, o.why)?;
    }
    if !made.differences.is_empty() {
        writeln!(
            out,
            "  回读不一致 {} 处（写出后重新读取与绩效目标表不符，见上）",
            made.differences.len()
        )?;
    }
    out.flush()?;
    drop(out);
    // A form that does not read back as written is an error finding (exit 1), as in convert.
    Ok(outcome.finish().max(u8::from(!made.differences.is_empty())))
}
