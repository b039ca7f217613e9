//! `jixiao export`: the model of a batch as an SQLite database or CSV files.

use std::io::Write;
use std::path::PathBuf;

use jixiao::region::export::{CsvSink, Rows, Sink, SqliteSink};
use jixiao::region::stream;

use super::{HelpFlag, Options, EXIT_INPUT, EXIT_OK, SUB_TEMPLATE};

/// Arguments of `jixiao export`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao export [选项] <文件或目录>... -o <数据.sqlite>\n       \
                      jixiao export [选项] <文件或目录>... --format csv -o <输出目录>",
    after_help = "示例：\n  jixiao export 各部门/ -o 数据.sqlite\n  \
                  jixiao export 各部门/ --format csv -o 数据/\n\n\
                  表：files（文件）、tables（绩效表）、funding_lines（资金各行）、indicators（指标）、\
                  findings（问题）、execution_lines（自评表、监控表的预算执行各行），以 id 相互关联；金额单位为万元。结构与示例查询见 README。\n\
                  数据库整体写入：先写临时文件再改名，中途失败不留半个文件；再次导出会替换原文件。\n\n\
                  退出码：0 全部读取成功；2 有文件无法读取（其余照常导出，files 表中记为 failed）或无法写入")]
pub struct Args {
    /// 输出：SQLite 数据库文件，或 --format csv 时的目录
    #[arg(short = 'o', long = "out", value_name = "输出")]
    out: PathBuf,
    /// 输出格式：sqlite（SQLite 数据库，默认）或 csv（每张表一个 CSV 文件，UTF-8）
    #[arg(long, value_enum, value_name = "格式", default_value_t = Format::Sqlite,
          hide_default_value = true, hide_possible_values = true)]
    format: Format,
    /// 工作簿文件或目录（目录中递归查找 xlsx、xlsm、xlsb、xls、ods、et 等）
    #[arg(required = true, value_name = "文件或目录")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// SQLite 数据库
    Sqlite,
    /// CSV 文件（UTF-8）
    Csv,
}

/// Runs `jixiao export`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    for input in &args.inputs {
        let (Ok(i), Ok(o)) = (
            std::fs::canonicalize(input),
            std::fs::canonicalize(
                args.out
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(std::path::Path::new(".")),
            ),
        ) else {
            continue;
        };
        let target = o.join(args.out.file_name().unwrap_or_default());
        if target == i || (i.is_dir() && target.starts_with(&i)) {
            anyhow::bail!(
                "输出 {} 是输入 {} 或位于其中：导出不会写进输入目录，也不会覆盖输入",
                args.out.display(),
                input.display()
            );
        }
    }
    if args.format == Format::Sqlite && args.out.is_dir() {
        anyhow::bail!(
            "输出 {} 是一个目录，请给出数据库文件名（如 数据.sqlite）",
            args.out.display()
        );
    }
    let (scanned, missing) = super::scan(&args.inputs)?;
    let files = scanned.files;
    let (failed, counts) = match args.format {
        Format::Sqlite => {
            let mut sink = SqliteSink::create(&args.out)?;
            let r = export(&files, opts, &mut sink)?;
            sink.finish()?;
            r
        }
        Format::Csv => {
            let mut sink = CsvSink::create(&args.out)?;
            let r = export(&files, opts, &mut sink)?;
            sink.finish()?;
            r
        }
    };
    let stdout = std::io::stdout();
    writeln!(
        stdout.lock(),
        "已导出 {}：{} 个文件（无法读取 {} 个），{} 张表，{} 项指标，{} 条问题",
        args.out.display(),
        files.len(),
        failed,
        counts.0,
        counts.1,
        counts.2
    )?;
    Ok(if failed == 0 && missing.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT
    })
}

/// Streams every file into the sink; returns the failures and (tables, indicators, findings).
fn export(
    files: &[PathBuf],
    opts: &Options,
    sink: &mut dyn Sink,
) -> anyhow::Result<(usize, (usize, usize, usize))> {
    let mut rows = Rows::default();
    let mut failed = 0;
    let mut counts = (0, 0, 0);
    let stderr = std::io::stderr();
    stream::ordered(
        files,
        opts.threads(files.len()),
        |f| {
            opts.read_file(f).map(|mut doc| {
                let findings = jixiao::check::check_with(&doc, &opts.config);
                jixiao::check::grade(&mut doc, &findings);
                (doc, findings)
            })
        },
        |i, r| {
            let name = files[i].display().to_string();
            match r {
                Ok((doc, findings)) => {
                    counts.0 += doc.tables.len();
                    counts.1 += doc.tables.iter().map(|t| t.indicators.len()).sum::<usize>();
                    counts.2 += findings.len();
                    rows.file(sink, &name, &doc, &findings)
                }
                Err(e) => {
                    failed += 1;
                    let _ = writeln!(stderr.lock(), "错误：{e}（已记入 files 表）");
                    rows.failed(sink, &name, &e.to_string())
                }
            }
        },
    )?;
    Ok((failed, counts))
}
