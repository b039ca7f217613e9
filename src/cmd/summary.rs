//! `jixiao summary`: one roll-up workbook for a whole batch.

use std::io::Write;
use std::path::PathBuf;

use jixiao::region::summary::{DepartmentRow, Summary};

use super::{print_error, scan, HelpFlag, Options, EXIT_INPUT, EXIT_OK, SUB_TEMPLATE};

/// Arguments of `jixiao summary`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao summary [选项] <文件或目录>... -o <汇总.xlsx>",
    after_help = "示例：\n  jixiao summary 各部门/ -o 汇总.xlsx\n  \
                  jixiao summary 部门A.xlsx 部门B.xls -o 汇总.xlsx\n\n\
                  生成一个汇总工作簿：汇总（按部门，附全地区合计和图表）、项目明细（每张表一行）、\
                  问题清单（全部文件，含跨文件才看得出的问题：同一项目出现在两个文件中、其同名指标取值不同）、\
                  按规则、读取失败。\n\n\
                  退出码：0 全部读取成功；2 有文件无法读取（其余文件照常汇总）或无法写入"
)]
pub struct Args {
    /// 输出的汇总工作簿（.xlsx）
    #[arg(short = 'o', long = "out", value_name = "汇总.xlsx")]
    out: PathBuf,
    /// 工作簿文件或目录（目录中递归查找 xlsx、xlsm、xlsb、xls、ods、et 等）
    #[arg(required = true, value_name = "文件或目录")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// Runs `jixiao summary`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    let config = &opts.config;
    jixiao::template::check_output(&args.out, &args.inputs)?;
    let (scanned, missing) = scan(&args.inputs)?;
    let files = scanned.files;
    let mut summary = Summary::new();
    for m in &missing {
        summary.add_failure(&m.file, &m.reason);
    }
    opts.read_streaming(&files, |file, result| {
        let name = file.display().to_string();
        match result {
            Ok(mut doc) => {
                let findings = jixiao::check::check_with(&doc, config);
                jixiao::check::grade(&mut doc, &findings);
                let modified = std::fs::metadata(file).and_then(|m| m.modified()).ok();
                summary.add_file_at(&name, modified, &doc, &findings);
            }
            Err(e) => {
                print_error(&format!("{e}（已跳过）"));
                summary.add_failure(&name, &e.to_string());
            }
        }
        Ok::<(), anyhow::Error>(())
    })?;
    let bytes = summary
        .render()
        .map_err(|e| anyhow::anyhow!("{}：生成汇总工作簿失败：{e}", args.out.display()))?;
    jixiao::write::save_atomic(&args.out, &bytes)?;
    let totals = summary.totals();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "已生成 {}：{} 个文件（无法读取 {} 个），{} 张表{}，{} 个部门；年度资金合计 {}；错误 {}，警告 {}，提示 {}",
        args.out.display(),
        summary.files.len(),
        summary.failed.len(),
        totals.tables,
        summary.set_aside_text(),
        summary.departments().len(),
        DepartmentRow::sum_text(totals.annual, totals.annual_missing),
        totals.counts.error,
        totals.counts.warning,
        totals.counts.info
    )?;
    Ok(if summary.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT
    })
}
