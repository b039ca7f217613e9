//! `jixiao explain`: a map of how a form was read, cell by cell.

use std::io::Write;
use std::path::PathBuf;

use super::{HelpFlag, Options, EXIT_OK, SUB_TEMPLATE};

/// Arguments of `jixiao explain`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao explain [选项] <文件> [-o <读取对照.xlsx>]",
    after_help = "示例：\n  jixiao explain 部门A.xlsx\n  jixiao explain 部门A.xlsx -o 部门A读取对照.xlsx\n\n\
                  生成一个“读取对照”工作簿：每个工作表的副本，每个单元格按读取结果着色\
                  （表头字段、资金、一级/二级指标、指标名称、指标值、其他列、其他信息、表样文字、未识别、表外），\
                  批注写明读作哪个字段；“读取说明”页列出每张表选用的表样配置及原因、未识别的单元格；“图例”页说明颜色。\
                  某个地区的表样读错时，打开它即可看出读取与表样不一致之处，再据此编写表样配置（见 jixiao profiles）。\n\n\
                  退出码：0 已生成；2 文件无法读取或无法写入"
)]
pub struct Args {
    /// 输出的读取对照工作簿（.xlsx；默认：输入文件旁的“<文件名>-读取对照.xlsx”）
    #[arg(short = 'o', long = "out", value_name = "读取对照.xlsx")]
    out: Option<PathBuf>,
    /// 要查看读取结果的工作簿
    #[arg(value_name = "文件")]
    input: PathBuf,
    #[command(flatten)]
    help: HelpFlag,
}

/// Runs `jixiao explain`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = args
            .input
            .file_stem()
            .map_or_else(|| "工作簿".into(), |s| s.to_string_lossy().into_owned());
        args.input.with_file_name(format!("{stem}-读取对照.xlsx"))
    });
    jixiao::template::check_output(&out, std::slice::from_ref(&args.input))?;
    if args.input.is_dir() {
        anyhow::bail!(
            "{} 是文件夹：explain 一次查看一个工作簿，请指定其中的一个文件",
            args.input.display()
        );
    }
    let bytes = std::fs::read(&args.input).map_err(|source| jixiao::Error::Io {
        path: args.input.clone(),
        source,
    })?;
    let read = opts.read.for_input(&args.input)?;
    let explained = jixiao::explain::explain(&args.input, &bytes, &read)?;
    let book = jixiao::explain::render(&explained)?;
    jixiao::write::save_atomic(&out, &book)?;
    let counts = explained.counts();
    let said: Vec<String> = jixiao::explain::Role::ALL
        .iter()
        .filter_map(|r| counts.get(r).map(|n| format!("{} {n}", r.name())))
        .collect();
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "已生成 {}：{} 张表；{}",
        out.display(),
        explained.doc.tables.len(),
        said.join("，")
    )?;
    stdout.flush()?;
    Ok(EXIT_OK)
}
