//! Subcommands, one module each, and what they share: the help layout, the options of every
//! command ([`options`]), the batch of inputs.
//!
//! Adding a subcommand: a module with `Args` (a `clap::Args` struct that flattens [`HelpFlag`]
//! and carries `#[command(help_template = …, override_usage = …)]`) and
//! `run(args, &Options)`, one variant in [`Command`], one arm in [`run`]; the tests in
//! [`usage`] and tests/it/cli.rs go through clap's own list of commands, so its help and the
//! unknown-command message follow. Adding an option to every command: a field in
//! [`options::GlobalArgs`], resolved in [`Options::from_args`].

pub mod check;
pub mod console;
pub mod convert;
pub mod diff;
pub mod drop;
pub mod explain;
pub mod export;
pub mod import;
pub mod options;
pub mod profile;
pub mod profiles;
pub mod selfeval;
pub mod summary;
pub mod template;
pub mod usage;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use options::{GlobalArgs, Options};

/// Help layout of the top level.
pub const MAIN_TEMPLATE: &str = "\
{about}

用法：{usage}

命令：
{subcommands}

选项：
{options}{after-help}";

/// Help layout of a subcommand with positional inputs.
pub const SUB_TEMPLATE: &str = "\
{about}

用法：{usage}

参数：
{positionals}

选项：
{options}{after-help}";

/// Help layout of a command made of commands (`jixiao profile draft`).
pub const GROUP_TEMPLATE: &str = MAIN_TEMPLATE;

/// Help layout of a subcommand without positional arguments.
pub const SUB_TEMPLATE_NO_ARGS: &str = "\
{about}

用法：{usage}

选项：
{options}{after-help}";

/// jixiao（绩效）：读取、检查、重新生成项目支出预算绩效表，并生成下一年度模板。
#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    version,
    about = "jixiao（绩效）：读取、检查、重新生成项目支出预算绩效表，并生成下一年度模板。",
    long_about = None,
    help_template = MAIN_TEMPLATE,
    override_usage = "jixiao <命令> [选项] <文件或目录>...",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "查看某个命令的用法：jixiao <命令> --help（如 jixiao check --help）"
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
    /// 显示本帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, display_order = 999)]
    help: Option<bool>,
    /// 显示版本号
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, display_order = 1000)]
    version: Option<bool>,
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
    /// 比较两个版本（两个工作簿或两个目录）：项目配对，逐项列出改动及两边的单元格
    Diff(diff::Args),
    /// 导出为 SQLite 数据库（或 CSV 文件）：文件、绩效表、资金各行、指标、问题
    Export(export::Args),
    /// 列出全部表样配置（内置的和用户的）：名称、来源、继承自哪个、识别词
    Profiles(profiles::Args),
    /// 读取对照：每个单元格按读作什么着色并加批注，附读取说明（某地表样读错时查看）
    Explain(explain::Args),
    /// 起草表样配置：profile draft 根据一个工作簿写出表样配置草稿
    Profile(profile::Args),
    /// 由今年的绩效目标表生成绩效自评表：每个项目一张，填入实际值后公式自动计分
    Selfeval(selfeval::Args),
    /// 由今年的绩效目标表生成绩效运行监控表（--month 月份）：每个项目一张
    Monitor(selfeval::MonitorArgs),
}

/// The `-h/--help` flag, in Chinese; every subcommand flattens it.
#[derive(Debug, clap::Args)]
pub struct HelpFlag {
    /// 显示本帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, display_order = 999)]
    help: Option<bool>,
}

/// Exit code when every input was handled and nothing is wrong.
pub const EXIT_OK: u8 = 0;
/// Exit code when a check found errors.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code when an input could not be read (or the command line is wrong).
pub const EXIT_INPUT: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    // A bad rule file or profile stops every command before it reads anything (exit 2).
    let opts = Options::from_args(cli.global)?;
    match cli.command {
        Command::Import(a) => import::run(a, &opts),
        Command::Check(a) => check::run(a, &opts),
        Command::Convert(a) => convert::run(a, &opts),
        Command::Template(a) => template::run(a, &opts),
        Command::Summary(a) => summary::run(a, &opts),
        Command::Diff(a) => diff::run(a, &opts),
        Command::Export(a) => export::run(a, &opts),
        Command::Profiles(a) => profiles::run(a, &opts),
        Command::Explain(a) => explain::run(a, &opts),
        Command::Profile(a) => profile::run(a, &opts),
        Command::Selfeval(a) => selfeval::run(a, &opts),
        Command::Monitor(a) => selfeval::run_monitor(a, &opts),
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

/// The error line's text: each cause once (a cause already said by the message before it is
/// left out), no English from the OS.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let piece = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => jixiao::error::io_reason(io),
            None => cause.to_string(),
        };
        if text.contains(&piece) {
            continue;
        }
        if !text.is_empty() {
            text.push('：');
        }
        text.push_str(&piece);
    }
    text
}

/// Prints one error line on stderr, with the one prefix every error line has.
pub fn print_error(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "错误：{text}");
}

/// Prints one warning line on stderr.
pub fn print_warning(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "警告：{text}");
}

/// A file that could not be read, as `--json` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failed {
    /// The file (or directory) as given or found.
    pub file: String,
    /// Why, in Chinese (the error line without the file name).
    pub reason: String,
}

impl Failed {
    fn new(path: &std::path::Path, e: &jixiao::Error) -> Failed {
        let file = path.display().to_string();
        let text = e.to_string();
        let reason = text
            .strip_prefix(&file)
            .map(|r| r.trim_start_matches([':', '：', ' ']).to_string())
            .unwrap_or(text);
        Failed { file, reason }
    }
}

/// Expands the inputs, reporting missing inputs (as errors) and skipped files of searched
/// directories (as warnings) on stderr. Errors when nothing is left to read.
pub fn scan(inputs: &[PathBuf]) -> anyhow::Result<(jixiao::read::Inputs, Vec<Failed>)> {
    let scanned = jixiao::read::scan_inputs(inputs);
    let mut failed = Vec::new();
    for e in &scanned.missing {
        print_error(&e.to_string());
        if let Some(p) = e.path() {
            failed.push(Failed::new(p, e));
        }
    }
    for s in &scanned.skipped {
        print_warning(&format!("{}: 未读取：{}", s.path.display(), s.reason));
    }
    if scanned.files.is_empty() {
        anyhow::bail!(
            "没有找到可读取的工作簿（读取的扩展名：{}）",
            jixiao::read::EXTENSIONS.join("、")
        );
    }
    Ok((scanned, failed))
}

/// Reads every input (files and directories), reporting unreadable ones on stderr.
/// Returns the merged document, the per-file outcomes, and the files that failed.
pub fn read_inputs(inputs: &[PathBuf], opts: &Options) -> anyhow::Result<ReadOutcome> {
    let (scanned, failed) = scan(inputs)?;
    Ok(read_scanned(scanned.files, failed, opts))
}

/// Reads the files [`scan`] found; `failed` holds the inputs it could not find.
pub fn read_scanned(files: Vec<PathBuf>, failed: Vec<Failed>, opts: &Options) -> ReadOutcome {
    let results = opts.read_many(&files);
    let mut out = ReadOutcome {
        failed,
        ..ReadOutcome::default()
    };
    for (file, result) in files.into_iter().zip(results) {
        match result {
            Ok(doc) => {
                out.per_file.push((file, doc.tables.len()));
                out.doc.append(doc);
            }
            Err(e) => {
                print_error(&e.to_string());
                out.failed.push(Failed::new(&file, &e));
            }
        }
    }
    out
}

/// What reading a batch gave.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    /// All tables and reader notices.
    pub doc: jixiao::Document,
    /// Files read, with their table counts.
    pub per_file: Vec<(PathBuf, usize)>,
    /// Inputs that could not be read (missing ones included), with the reason.
    pub failed: Vec<Failed>,
}

impl ReadOutcome {
    /// The closing stderr line when some inputs could not be read.
    pub fn report_failed(&self) {
        // One input: its own error line says it all.
        if !self.failed.is_empty() && self.per_file.len() + self.failed.len() > 1 {
            print_error(&format!(
                "{} 个文件无法读取（原因见上），其余文件已处理",
                self.failed.len()
            ));
        }
    }

    /// [`ReadOutcome::report_failed`], then the exit code of a command whose only failure is an
    /// input it could not read.
    pub fn finish(&self) -> u8 {
        self.report_failed();
        if self.failed.is_empty() {
            EXIT_OK
        } else {
            EXIT_INPUT
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_said_once_in_chinese() {
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = anyhow::Error::new(io).context("无法创建输出目录 甲");
        assert_eq!(error_text(&e), "无法创建输出目录 甲：没有访问权限");
        let e = anyhow::Error::new(jixiao::Error::Io {
            path: "甲.xlsx".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "文件或目录不存在"),
        });
        assert_eq!(error_text(&e), "甲.xlsx: 无法读取文件：文件或目录不存在");
    }
}
