//! `jixiao template`: next year's workbook, blank or prefilled from this year's tables.

use std::io::Write;
use std::path::PathBuf;

use jixiao::model::{Layout, TableKind};
use jixiao::template::write::{self as tw, Blank, Prefill};
use jixiao::template::{self, CarryOptions};

use super::convert::LayoutArg;
use super::{read_scanned, scan, HelpFlag, Options, EXIT_OK, SUB_TEMPLATE_NO_ARGS};

/// Arguments of `jixiao template`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE_NO_ARGS,
    override_usage = "jixiao template --year <年度> [选项] -o <文件.xlsx>\n       \
                      jixiao template --from <文件或目录>... [选项] -o <文件.xlsx>",
    after_help = "示例：\n  \
                  jixiao template --year 2027 -o 2027年绩效表模板.xlsx\n  \
                  jixiao template --year 2027 --layout national --tables 5 -o 模板.xlsx\n  \
                  jixiao template --year 2027 --kind department -o 部门整体模板.xlsx\n  \
                  jixiao template --from 2026年部门文件/ -o 2027年绩效表.xlsx\n  \
                  jixiao template --from 部门A.xlsx --all --clear-amounts -o 部门A-2027.xlsx\n\n\
                  空白模板：按官方版式生成空白绩效表，标签锁定、填写处解锁（工作表保护无密码），\
                  项目属性和一、二级指标有下拉列表，金额只能填不小于 0 的数字，\
                  本级资金总额、转移资金总额、年度资金总额由公式计算，并附“填报说明”。\n\n\
                  --from：读取今年的绩效表，经常性项目带入下一年度（一年期项目不带入，列在“说明”中；--all 全部带入），\
                  标题、目标和指标中的年份改为下一年，金额沿用（--clear-amounts 清空），\
                  今年检查发现的问题列在“上年问题清单”中。同一项目出现在多个文件中时只带入一份（较新年度的、或第一份），其余列在“说明”中。\n\n\
                  输出文件不会覆盖任何输入文件，也不能放在 --from 的输入目录中。\n\n\
                  退出码：0 成功；2 有输入文件无法读取（其余文件照常带入）或无法写入")]
pub struct Args {
    /// 输出文件（.xlsx）
    #[arg(short = 'o', long = "out", value_name = "文件.xlsx")]
    out: PathBuf,
    /// 模板年度（如 2027）；使用 --from 时默认为今年表格年度的下一年
    #[arg(long, value_name = "年度")]
    year: Option<i32>,
    /// 绩效表版式：classic（传统版式）或 national（国家版式）；空白模板默认 classic，--from 默认沿用各表原来的版式
    #[arg(long, value_enum, value_name = "版式", hide_possible_values = true)]
    layout: Option<LayoutArg>,
    /// 空白模板的表种：project（项目支出绩效目标表，默认）或 department（部门整体支出绩效目标表）
    #[arg(long, value_enum, value_name = "表种", default_value_t = KindArg::Project,
          hide_default_value = true, hide_possible_values = true, conflicts_with = "from")]
    kind: KindArg,
    /// 空白模板中的表数（每个项目一张；1–200，默认 1）
    #[arg(long, value_name = "表数", default_value_t = 1, hide_default_value = true,
          conflicts_with = "from", value_parser = parse_tables)]
    tables: u16,
    /// 由今年的绩效表预填：一个或多个工作簿文件或目录（--from A B，或 --from A --from B；目录中递归查找 xlsx、xlsm、xlsb、xls、ods）
    #[arg(long, value_name = "文件或目录", num_args = 1..)]
    from: Vec<PathBuf>,
    /// 一年期项目也带入（默认只带入经常性等延续的项目）
    #[arg(long, requires = "from")]
    all: bool,
    /// 清空金额（默认沿用今年的金额作为基数）
    #[arg(long, requires = "from")]
    clear_amounts: bool,
    #[command(flatten)]
    help: HelpFlag,
}

/// `--tables N`: 1 to 200.
fn parse_tables(s: &str) -> Result<u16, String> {
    match s.trim().parse::<u16>() {
        Ok(n) if (1..=200).contains(&n) => Ok(n),
        _ => Err("应为 1 到 200 之间的整数".to_string()),
    }
}

/// The kinds of blank tables on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum KindArg {
    /// 项目支出绩效目标表
    Project,
    /// 部门整体支出绩效目标表
    Department,
}

/// Runs `jixiao template`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    let is_xlsx = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        anyhow::bail!(
            "输出文件 {} 的扩展名应为 .xlsx（模板以 xlsx 格式写出）",
            args.out.display()
        );
    }
    if let Some(y) = args.year {
        template::check_year(y)?;
    }
    let layout = args.layout.map(Layout::from);
    if args.from.is_empty() {
        // A blank form in the profile's own layout unless one is asked for.
        let layout = layout
            .or(opts.profile().map(|p| p.layout))
            .unwrap_or_default();
        return blank(&args, layout, opts);
    }
    prefilled(&args, layout, opts)
}

fn blank(args: &Args, layout: Layout, opts: &Options) -> anyhow::Result<u8> {
    let Some(year) = args.year else {
        anyhow::bail!("生成空白模板需要用 --year 指定年度，如 --year 2027");
    };
    template::check_output(&args.out, &[])?;
    let profile = opts.profile();
    let kind = match args.kind {
        // `--profile department` makes 部门整体 tables without `--kind`.
        _ if profile.is_some_and(|p| p.kind == TableKind::Department) => TableKind::Department,
        KindArg::Project => TableKind::Project,
        KindArg::Department => TableKind::Department,
    };
    let book = tw::blank(&Blank {
        year,
        layout,
        tables: usize::from(args.tables),
        kind,
        profile: profile.cloned(),
    })?;
    jixiao::write::save_atomic(&args.out, &book.bytes)?;
    print_readback(&args.out, &book);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "已生成 {}：{year}年空白模板，{} 张表（{}），附“{}”",
        args.out.display(),
        book.sheets.len(),
        match kind {
            TableKind::Project => template::guide::layout_name(layout),
            TableKind::Department => template::guide::DEPARTMENT_NAME,
        },
        template::guide::GUIDE_SHEET
    )?;
    out.flush()?;
    Ok(EXIT_OK)
}

fn prefilled(args: &Args, layout: Option<Layout>, opts: &Options) -> anyhow::Result<u8> {
    template::check_output(&args.out, &args.from)?;
    let (scanned, missing) = scan(&args.from)?;
    template::check_output(&args.out, &scanned.files)?;
    let outcome = read_scanned(scanned.files, missing, opts);
    if outcome.doc.tables.is_empty() {
        anyhow::bail!("没有读到任何绩效表，无法生成模板");
    }
    let latest = outcome.doc.tables.iter().filter_map(|t| t.year).max();
    if args.year.is_none() && latest.is_none() {
        anyhow::bail!("表格中没有年度，请用 --year 指定模板年度");
    }
    let target = template::target_year(args.year, latest)?;
    let year = target.year;
    if target.same_as_tables {
        let _ = writeln!(
            std::io::stderr().lock(),
            "警告：模板年度 {year} 与读到的表格年度相同，表中的年份不会改动；下一年度的模板请用 {}",
            year + 1
        );
    }
    let tables_read = outcome.doc.tables.len();
    // template::next_year, with this year's findings checked under the user's rule file.
    let (mut this_year, duplicates) = template::dedupe(&outcome.doc);
    this_year.discrepancies = jixiao::check::check_with(&this_year, &opts.config);
    let mut carried = template::carry_over(
        &this_year,
        CarryOptions {
            year,
            keep_all: args.all,
            clear_amounts: args.clear_amounts,
        },
    );
    carried.left_out.splice(0..0, duplicates);
    if carried.doc.tables.is_empty() {
        anyhow::bail!(
            "读到的 {tables_read} 张表都没有带入（一年期项目需用 --all 保留），未生成模板"
        );
    }
    let book = tw::prefilled(
        &carried,
        &Prefill {
            year,
            layout,
            sources: outcome
                .per_file
                .iter()
                .map(|(f, _)| f.display().to_string())
                .collect(),
            tables_read,
            cleared_amounts: args.clear_amounts,
        },
    )?;
    jixiao::write::save_atomic(&args.out, &book.bytes)?;
    print_readback(&args.out, &book);

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "已生成 {}：{year}年绩效表，{} 张表（读取 {} 个文件中的 {tables_read} 张表）",
        args.out.display(),
        book.sheets.len(),
        outcome.per_file.len(),
    )?;
    if carried.mixed_years() {
        for m in &carried.moved {
            let from = m.from.map_or_else(
                || format!("未注明年度（按 {} 年）", year - m.by),
                |y| format!("{y} 年"),
            );
            writeln!(
                out,
                "  年份：{} 由 {from}改为 {year} 年（顺延 {} 年）",
                m.project, m.by
            )?;
        }
    }
    let duplicates = carried.left_out.iter().filter(|l| l.duplicate).count();
    for l in carried.left_out.iter().filter(|l| !l.duplicate) {
        writeln!(
            out,
            "  未带入：{}（{}，{}）",
            l.project, l.attribute, l.file
        )?;
    }
    if duplicates > 0 {
        writeln!(
            out,
            "  另有 {duplicates} 张表与已带入的项目重复（同一项目出现在多个文件中），只带入一份，明细见“{}”",
            tw::NOTES_SHEET
        )?;
    }
    writeln!(
        out,
        "  带入 {} 个项目；金额{}；今年检查发现的问题 {} 条，见“{}”",
        book.sheets.len(),
        if args.clear_amounts {
            "已清空"
        } else {
            "沿用今年"
        },
        carried.last_year_findings.len(),
        tw::FINDINGS_SHEET
    )?;
    out.flush()?;
    drop(out);
    Ok(outcome.finish())
}

/// The read-back differences of the forms written, on stderr: never silent.
fn print_readback(out: &std::path::Path, book: &tw::Book) {
    let mut err = std::io::stderr().lock();
    for d in &book.readback {
        let sheet = book.sheets.get(d.table).map_or("", String::as_str);
        let _ = writeln!(err, "错误：{}「{sheet}」：{}", out.display(), d.message());
    }
}
