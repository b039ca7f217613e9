//! `jixiao convert`: regenerate every input as a clean workbook with 汇总 and 问题清单.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jixiao::model::Layout;
use jixiao::write::batch::{self, FileReport};
use jixiao::write::{Options as WriteOptions, SeverityCounts};

use super::{print_error, HelpFlag, Options, EXIT_INPUT, EXIT_OK, SUB_TEMPLATE};

/// Arguments of `jixiao convert`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao convert [选项] <文件或目录>... -o <输出目录>",
    after_help = "示例：\n  jixiao convert 部门文件/ -o 整理后/\n  \
                  jixiao convert --layout national 部门A.xlsx 部门B.xls -o 整理后/\n\n\
                  每个输入文件生成 输出目录/<原文件名>.xlsx：汇总、问题清单，以及每个项目一张规范格式的绩效表；\
                  目录中的文件保留原来的子目录（部门A/绩效表.xlsx → 输出目录/部门A/绩效表.xlsx；\
                  给出多个输入时，目录名也保留）。\n\
                  原文件不会被修改；输出目录不能是输入目录、其子目录或输入文件所在的目录。\n\n\
                  退出码：0 全部转换成功；2 有文件无法读取或写入（其余文件照常转换）"
)]
pub struct Args {
    /// 输出目录（不存在则创建）
    #[arg(short = 'o', long = "out", value_name = "输出目录")]
    outdir: PathBuf,
    /// 绩效表版式：classic（传统版式）或 national（国家版式，指标值分列）；不指定时每张表按原来的版式写出
    #[arg(long, value_enum, value_name = "版式", hide_possible_values = true)]
    layout: Option<LayoutArg>,
    /// 工作簿文件或目录（目录中递归查找 xlsx、xlsm、xlsb、xls、ods、et 等）
    #[arg(required = true, value_name = "文件或目录")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// The layouts on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum LayoutArg {
    /// 传统版式（2026年宁夏回族自治区部门项目支出预算绩效表）
    #[value(alias = "传统")]
    Classic,
    /// 国家版式（成本指标为一级指标，指标性质/指标值/度量单位分列）
    #[value(alias = "国家")]
    National,
}

impl From<LayoutArg> for Layout {
    fn from(l: LayoutArg) -> Layout {
        match l {
            LayoutArg::Classic => Layout::Classic,
            LayoutArg::National => Layout::National,
        }
    }
}

/// Runs `jixiao convert`.
pub fn run(args: Args, options: &Options) -> anyhow::Result<u8> {
    let config = &options.config;
    let started = Instant::now();
    let (scanned, missing) = super::scan(&args.inputs)?;
    let files = scanned.files;
    // Decided before anything is created: a refused output folder is never left behind.
    let jobs = batch::plan_jobs(&args.inputs, &files, &args.outdir)?;
    std::fs::create_dir_all(&args.outdir).map_err(|e| {
        anyhow::anyhow!(
            "无法创建输出目录 {}：{}",
            args.outdir.display(),
            jixiao::error::write_reason(&e, false)
        )
    })?;
    // Marked, so that a later search of a folder holding it does not read it again.
    if let Err(e) = jixiao::read::mark_output_folder(&args.outdir) {
        super::print_warning(&format!(
            "无法在输出目录 {} 中写入标记文件：{}（以后搜索其上级文件夹时，请勿包含此目录）",
            args.outdir.display(),
            jixiao::error::write_reason(&e, false)
        ));
    }
    let opts = WriteOptions {
        layout: args.layout.map(Layout::from),
        date: Some(jixiao::write::Date::today()),
    };
    // A forced layout that cannot show part of a table: said on stderr, beside the warning
    // in the workbook's 问题清单.
    let losses: std::sync::Mutex<Vec<String>> = std::sync::Mutex::default();
    let findings = |doc: &jixiao::Document| {
        if let Some(layout) = opts.layout {
            // One line per file and kind of loss, naming how many tables it touches.
            let mut by_loss: Vec<(String, Vec<&str>)> = Vec::new();
            for t in &doc.tables {
                for loss in jixiao::write::layout_losses(t, layout) {
                    match by_loss.iter_mut().find(|(l, _)| *l == loss) {
                        Some((_, names)) => names.push(t.display_name()),
                        None => by_loss.push((loss, vec![t.display_name()])),
                    }
                }
            }
            let file = doc.tables.first().map_or("", |t| t.source.file.as_str());
            let lines: Vec<String> = by_loss
                .into_iter()
                .map(|(loss, names)| {
                    let which = match names.as_slice() {
                        [one] => format!("“{one}”"),
                        many => format!("{} 张表", many.len()),
                    };
                    format!("警告：{file}：{which}：{loss}")
                })
                .collect();
            if let Ok(mut all) = losses.lock() {
                all.extend(lines);
            }
        }
        jixiao::check::check_with(doc, config)
    };

    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} 转换 [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let done = |job: &batch::Job, _: &jixiao::Result<FileReport>| {
        bar.set_message(job.input.display().to_string());
        bar.inc(1);
    };
    let threads = options.threads(jobs.len());
    let results = batch::convert_many(&jobs, &options.read, &opts, threads, &findings, &done);
    bar.finish_and_clear();
    {
        let mut err = std::io::stderr().lock();
        for line in losses.lock().map(|l| l.clone()).unwrap_or_default() {
            let _ = writeln!(err, "{line}");
        }
        // What the written workbook does not say as the source did: never silent.
        for rep in results.iter().flatten() {
            for line in &rep.readback {
                let _ = writeln!(err, "错误：{}：{line}", rep.output.display());
            }
        }
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = missing.len();
    let mut tables = 0usize;
    let mut counts = SeverityCounts::default();
    for r in &results {
        match r {
            Ok(rep) => {
                tables += rep.tables;
                counts.merge(rep.findings);
                writeln!(
                    out,
                    "{} → {}：{} 张表，错误 {}，警告 {}，提示 {}",
                    rep.input.display(),
                    rep.output.display(),
                    rep.tables,
                    rep.findings.error,
                    rep.findings.warning,
                    rep.findings.info
                )?;
            }
            Err(e) => {
                failed += 1;
                out.flush()?;
                print_error(&format!("{e}（已跳过）"));
            }
        }
    }
    writeln!(
        out,
        "共 {} 个文件：转换 {} 个，失败 {} 个；{} 张表；错误 {}，警告 {}，提示 {}；用时 {:.1} 秒；输出目录 {}",
        results.len() + missing.len(),
        results.len() + missing.len() - failed,
        failed,
        tables,
        counts.error,
        counts.warning,
        counts.info,
        started.elapsed().as_secs_f64(),
        args.outdir.display()
    )?;
    out.flush()?;
    Ok(if failed == 0 { EXIT_OK } else { EXIT_INPUT })
}
