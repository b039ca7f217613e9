//! `jixiao import`: read workbooks into the normalised model.

use std::io::Write;
use std::path::PathBuf;

use super::{read_inputs, EXIT_INPUT, EXIT_OK};

/// Arguments of `jixiao import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "示例：\n  jixiao import samples/\n  jixiao import --json 部门A.xlsx 部门B.xls > 模型.json"
)]
pub struct Args {
    /// 输出 JSON 模型（全部表格与读取提示）
    #[arg(long)]
    json: bool,
    /// 并行读取的线程数（0 = 每个 CPU 核一个）
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// 工作簿文件或目录（递归查找 xlsx、xlsm、xlsb、xls、ods）
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

/// Runs `jixiao import`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let outcome = read_inputs(&args.inputs, args.jobs)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &outcome.doc)?;
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
        if !outcome.failed.is_empty() {
            writeln!(
                out,
                "{} 个文件无法读取（原因见上方错误信息）",
                outcome.failed.len()
            )?;
        }
    }
    out.flush()?;
    Ok(if outcome.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT
    })
}
