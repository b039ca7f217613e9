//! `jixiao import`: read workbooks into the normalised model.

use std::io::Write;
use std::path::PathBuf;

use super::{read_inputs, Failed, HelpFlag, ReadOpts, EXIT_INPUT, EXIT_OK, SUB_TEMPLATE};

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
    /// 输出 JSON 模型（全部表格、读取提示和无法读取的文件）
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    read: ReadOpts,
    /// 工作簿文件或目录（目录中递归查找 xlsx、xlsm、xlsb、xls、ods、et 等）
    #[arg(required = true, value_name = "文件或目录")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// What `--json` prints: the model, and the files that could not be read.
#[derive(serde::Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    doc: &'a jixiao::Document,
    failed: &'a [Failed],
}

/// Runs `jixiao import`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let outcome = read_inputs(&args.inputs, &args.read)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let output = Output {
            doc: &outcome.doc,
            failed: &outcome.failed,
        };
        serde_json::to_writer_pretty(&mut out, &output)?;
        writeln!(out)?;
    } else {
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
    outcome.report_failed();
    Ok(if outcome.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT
    })
}
