//! `jixiao profile draft`: a form profile drafted from one workbook of the form.

use std::io::Write;
use std::path::PathBuf;

use super::{HelpFlag, Options, EXIT_OK, GROUP_TEMPLATE, SUB_TEMPLATE};

/// Arguments of `jixiao profile`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = GROUP_TEMPLATE,
    override_usage = "jixiao profile draft [选项] <文件> [-o <我省.toml>]",
    subcommand_required = true,
    after_help = "示例：\n  jixiao profile draft 甘肃样表.xlsx -o jixiao-profiles/gansu.toml\n  \
                  jixiao profile draft --help\n\n\
                  列出已有的表样配置：jixiao profiles\n\n\
                  退出码：0 已生成；2 文件无法读取或无法写入"
)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    #[command(flatten)]
    help: HelpFlag,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// 根据一个工作簿起草表样配置：继承最接近的内置表样，写入表中的标签，未识别的标签列为 TODO
    Draft(DraftArgs),
}

/// Arguments of `jixiao profile draft`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao profile draft [选项] <文件> [-o <我省.toml>]",
    after_help = "示例：\n  jixiao profile draft 甘肃样表.xlsx -o jixiao-profiles/gansu.toml --name \"gansu 甘肃省\"\n\n\
                  起草的表样配置继承读取时最接近的内置表样（extends），识别词取自表的标题和标签，\
                  读到的每个标签按表中原样写成 [[field]] / [[funding]]（转换后的表也按这些文字打印），\
                  未识别的单元格逐个写成 TODO 注释（工作表、单元格、文字）。处理完 TODO 后，\
                  把文件放进表格旁的 jixiao-profiles 文件夹，以后读取这种表时自动使用。\
                  查看每个单元格读作什么：jixiao explain。\n\n\
                  退出码：0 已生成；2 文件无法读取或无法写入"
)]
pub struct DraftArgs {
    /// 输出的表样配置文件（默认：输入文件旁的“<文件名>.toml”）
    #[arg(short = 'o', long = "out", value_name = "我省.toml")]
    out: Option<PathBuf>,
    /// 表样配置的名称（其中的英文字母和数字作为 id，如 "gansu 甘肃省项目支出绩效目标表"；默认用文件名）
    #[arg(long, value_name = "名称")]
    name: Option<String>,
    /// 该表样的一个工作簿
    #[arg(value_name = "文件")]
    input: PathBuf,
    #[command(flatten)]
    help: HelpFlag,
}

/// Runs `jixiao profile`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    match args.command {
        Sub::Draft(a) => draft(a, opts),
    }
}

fn draft(args: DraftArgs, opts: &Options) -> anyhow::Result<u8> {
    let stem = args
        .input
        .file_stem()
        .map_or_else(|| "表样".into(), |s| s.to_string_lossy().into_owned());
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.input.with_file_name(format!("{stem}.toml")));
    if args.input.is_dir() {
        anyhow::bail!(
            "{} 是文件夹：profile draft 依据一个工作簿起草，请指定其中的一个文件",
            args.input.display()
        );
    }
    if out.exists() {
        anyhow::bail!(
            "{} 已存在：不会覆盖已有的表样配置，请用 -o 另给一个文件名",
            out.display()
        );
    }
    let doc = opts.read_file(&args.input)?;
    let name = args.name.unwrap_or(stem);
    let Some(text) = jixiao::draft::draft(&doc, &name) else {
        anyhow::bail!("{}：没有读到绩效表，无法起草表样配置", args.input.display());
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            anyhow::anyhow!(
                "无法创建目录 {}：{}",
                dir.display(),
                jixiao::error::write_reason(&e, false)
            )
        })?;
    }
    jixiao::write::save_atomic(&out, text.as_bytes())?;
    let todo = text.lines().filter(|l| l.starts_with("# TODO")).count();
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "已生成 {}：继承“{}”，{} 处 TODO（未识别的单元格）",
        out.display(),
        doc.tables[0].profile.id,
        todo
    )?;
    stdout.flush()?;
    Ok(EXIT_OK)
}
