//! `jixiao import`: read workbooks into the normalised model.

use std::io::Write;
use std::path::PathBuf;

use jixiao::region::stream;

use super::{
    print_error, read_inputs, scan, Failed, HelpFlag, Options, EXIT_INPUT, EXIT_OK, SUB_TEMPLATE,
};

/// Arguments of `jixiao import`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao import [选项] <文件或目录>...",
    after_help = "示例：\n  jixiao import samples/\n  jixiao import --json 部门A.xlsx 部门B.xls > 模型.json\n\n\
                  --json 的输出：{\"schema\", \"tables\": [...], \"discrepancies\": [...], \
                  \"failed\": [{\"file\", \"reason\"}]}（failed 列出无法读取的文件）\n\n\
                  退出码：0 全部读取；2 有文件无法读取（其余文件照常读取）"
)]
pub struct Args {
    /// 输出 JSON 模型（全部表格、读取提示和无法读取的文件），边读边写
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,
    /// 输出 JSON Lines：每张表一行 {"file", "table", "discrepancies"}，无法读取的文件一行 {"file", "failed"}
    #[arg(long)]
    jsonl: bool,
    /// 工作簿文件或目录（目录中递归查找 xlsx、xlsm、xlsb、xls、ods、et 等）
    #[arg(required = true, value_name = "文件或目录")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// `--json` and `--jsonl`: results streamed in input order, written as they come; only a
/// window of documents is in memory at once.
fn run_streaming(args: &Args, opts: &Options) -> anyhow::Result<u8> {
    let (scanned, mut failed) = scan(&args.inputs)?;
    let files = scanned.files;
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let mut note = |file: &std::path::Path, e: &jixiao::Error| {
        print_error(&e.to_string());
        failed.push(Failed::new(file, e));
    };
    if args.jsonl {
        let mut lines = stream::JsonLines::new(out);
        opts.read_streaming(&files, |file, r| match r {
            Ok(doc) => lines.add(&file.display().to_string(), &doc),
            Err(e) => {
                note(file, &e);
                lines.failed(&file.display().to_string(), &e.to_string())
            }
        })?;
        lines.into_inner().flush()?;
    } else {
        let mut json = stream::JsonStream::new(out)?;
        opts.read_streaming(&files, |file, r| match r {
            Ok(doc) => json.add(&doc),
            Err(e) => {
                note(file, &e);
                Ok(())
            }
        })?;
        let mut out = json.finish(&failed)?;
        writeln!(out)?;
        out.flush()?;
    }
    Ok(if failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT
    })
}

/// Runs `jixiao import`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    if args.json || args.jsonl {
        return run_streaming(&args, opts);
    }
    let outcome = read_inputs(&args.inputs, opts)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    {
        let mut next = 0;
        for (file, count) in &outcome.per_file {
            let tables = &outcome.doc.tables[next..next + count];
            next += count;
            let total = jixiao::read::values::money_scale(
                tables.iter().filter_map(|t| t.funding.annual_total).sum(),
            );
            let indicators: usize = tables.iter().map(|t| t.indicators.len()).sum();
            writeln!(
                out,
                "{}：{} 张表，{} 项指标，年度资金合计 {} 万元",
                file.display(),
                tables.len(),
                indicators,
                total
            )?;
            for t in tables {
                let amount = t
                    .funding
                    .annual_total
                    .map_or_else(|| "—".to_string(), |d| d.to_string());
                writeln!(
                    out,
                    "  {}  {} 万元  {} 项指标  [{}!{}]",
                    t.display_name(),
                    amount,
                    t.indicators.len(),
                    t.source.sheet,
                    t.source.range
                )?;
            }
        }
    }
    out.flush()?;
    drop(out);
    Ok(outcome.finish())
}
