//! Subcommands, one module each.

pub mod check;
pub mod convert;
pub mod import;
pub mod summary;
pub mod template;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// jixiao（绩效）：读取、检查、重新生成项目支出预算绩效表，并生成下一年度模板。
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
pub struct Cli {
    /// 规则文件（默认：当前目录下的 jixiao.toml，若有）：关闭规则、改变级别、设定阈值
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 读取工作簿中的全部绩效表，输出统一模型（--json）或摘要
    Import(import::Args),
    /// 检查绩效表：金额是否一致、指标是否齐全规范，列出问题及所在单元格
    Check(check::Args),
    /// 转换为规范格式的工作簿：每个项目一张绩效表，附汇总和问题清单
    Convert(convert::Args),
    /// 生成下一年度的绩效表模板：空白模板，或由今年的绩效表预填（--from）
    Template(template::Args),
    /// 汇总一批文件：按部门、按项目、按规则汇总，跨文件的问题清单，附图表
    Summary(summary::Args),
}

/// Exit code when every input was handled and nothing is wrong.
pub const EXIT_OK: u8 = 0;
/// Exit code when a check found errors.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code when an input could not be read.
pub const EXIT_INPUT: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    // A bad rule file stops every command before it reads anything (exit 2).
    let config = jixiao::check::Config::discover(cli.config.as_deref(), std::path::Path::new("."))?;
    match cli.command {
        Command::Import(a) => import::run(a),
        Command::Check(a) => check::run(a, &config),
        Command::Convert(a) => convert::run(a, &config),
        Command::Template(a) => template::run(a, &config),
        Command::Summary(a) => summary::run(a, &config),
    }
}

/// True when the error is a closed stdout (`jixiao import | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// Reads every input (files and directories), reporting unreadable ones on stderr.
/// Returns the merged document, the per-file outcomes, and whether any input failed.
pub fn read_inputs(inputs: &[PathBuf], jobs: usize) -> anyhow::Result<ReadOutcome> {
    let files = jixiao::read::collect_inputs(inputs)?;
    if files.is_empty() {
        anyhow::bail!("没有找到可读取的工作簿（支持 xlsx、xlsm、xlsb、xls、ods）");
    }
    let results = jixiao::read::read_many(&files, jobs);
    let mut out = ReadOutcome::default();
    let stderr = std::io::stderr();
    for (file, result) in files.into_iter().zip(results) {
        match result {
            Ok(doc) => {
                out.per_file.push((file, doc.tables.len()));
                out.doc.append(doc);
            }
            Err(e) => {
                let _ = writeln!(stderr.lock(), "错误：{e}");
                out.failed.push((file, e.to_string()));
            }
        }
    }
    Ok(out)
}

/// What reading a batch gave.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    /// All tables and reader notices.
    pub doc: jixiao::Document,
    /// Files read, with their table counts.
    pub per_file: Vec<(PathBuf, usize)>,
    /// Files that could not be read, with the reason.
    pub failed: Vec<(PathBuf, String)>,
}
