//! `jixiao diff`: what changed between two versions of a workbook or of a folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use jixiao::model::Table;
use jixiao::region::diff::{self, Kind};

use super::{HelpFlag, Options, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, SUB_TEMPLATE};

/// Arguments of `jixiao diff`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao diff [选项] <原版本> <新版本>",
    after_help = "示例：\n  jixiao diff 部门A-初报.xlsx 部门A-修改稿.xlsx\n  \
                  jixiao diff 2026年/ 2027年/ --ignore-years -o 差异.xlsx\n  \
                  jixiao diff 旧.xlsx 新.xlsx --json > 差异.json\n\n\
                  按项目名称配对（名称改动的按相似度配对并列为“更名”），逐项比较项目信息、资金各行和每项指标，\
                  列出原值、新值及两边所在的单元格。\n\n\
                  退出码：0 两边相同；1 有差异；2 有文件无法读取"
)]
pub struct Args {
    /// 原版本：工作簿文件或目录
    #[arg(value_name = "原版本")]
    old: PathBuf,
    /// 新版本：工作簿文件或目录
    #[arg(value_name = "新版本")]
    new: PathBuf,
    /// 另存差异工作簿（.xlsx）：原值与新值并排，改动处标色
    #[arg(short = 'o', long = "out", value_name = "差异.xlsx")]
    out: Option<PathBuf>,
    /// 输出 JSON：{"changes": [...], "added": [...], "removed": [...], "renamed": [...]}
    #[arg(long)]
    json: bool,
    /// 忽略年份的整体变化（如 2026 → 2027），只列出真正的改动
    #[arg(long)]
    ignore_years: bool,
    #[command(flatten)]
    help: HelpFlag,
}

/// Reads every table under `path`; `Err` after naming each unreadable file on stderr.
fn read_side(path: &Path, opts: &Options) -> anyhow::Result<Option<Vec<Table>>> {
    let (scanned, missing) = super::scan(&[path.to_path_buf()])?;
    if !missing.is_empty() {
        return Ok(None);
    }
    let files = scanned.files;
    let mut tables = Vec::new();
    let mut ok = true;
    let stderr = std::io::stderr();
    opts.read_streaming(&files, |_, r| {
        match r {
            Ok(doc) => tables.extend(doc.tables),
            Err(e) => {
                ok = false;
                let _ = writeln!(stderr.lock(), "错误：{e}");
            }
        }
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(ok.then_some(tables))
}

/// What `--json` prints.
#[derive(serde::Serialize)]
struct Report<'a> {
    changes: Vec<JsonChange<'a>>,
    added: &'a [diff::Only],
    removed: &'a [diff::Only],
    renamed: &'a [diff::Renamed],
}

#[derive(serde::Serialize)]
struct JsonChange<'a> {
    project: &'a str,
    field: &'a str,
    old: &'a str,
    new: &'a str,
    old_cell: &'a str,
    new_cell: &'a str,
    kind: Kind,
    old_file: &'a str,
    new_file: &'a str,
}

/// Runs `jixiao diff`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    if let Some(out) = &args.out {
        jixiao::template::check_output(out, &[args.old.clone(), args.new.clone()])?;
    }
    let old = read_side(&args.old, opts)?;
    let new = read_side(&args.new, opts)?;
    let (Some(old), Some(new)) = (old, new) else {
        return Ok(EXIT_INPUT);
    };
    let d = diff::diff(
        &old,
        &new,
        diff::Options {
            ignore_years: args.ignore_years,
        },
    );
    if let Some(out) = &args.out {
        let bytes = diff::render(&d)
            .map_err(|e| anyhow::anyhow!("{}：生成差异工作簿失败：{e}", out.display()))?;
        jixiao::write::save_atomic(out, &bytes)?;
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let report = Report {
            changes: d
                .changes
                .iter()
                .map(|c| JsonChange {
                    project: &c.project,
                    field: &c.field,
                    old: &c.old,
                    new: &c.new,
                    old_cell: &c.old_cell,
                    new_cell: &c.new_cell,
                    kind: c.kind,
                    old_file: &c.old_file,
                    new_file: &c.new_file,
                })
                .collect(),
            added: &d.added,
            removed: &d.removed,
            renamed: &d.renamed,
        };
        serde_json::to_writer_pretty(&mut w, &report)?;
        writeln!(w)?;
    } else {
        for r in &d.renamed {
            writeln!(
                w,
                "更名：{} → {}（名称相似度 {:.2}；{} → {}）",
                r.old, r.new, r.similarity, r.old_file, r.new_file
            )?;
        }
        for o in &d.removed {
            writeln!(w, "删除项目：{}（{}「{}」）", o.project, o.file, o.sheet)?;
        }
        for o in &d.added {
            writeln!(w, "新增项目：{}（{}「{}」）", o.project, o.file, o.sheet)?;
        }
        let mut project = "";
        for c in &d.changes {
            if c.project != project {
                writeln!(w, "{}", c.project)?;
                project = &c.project;
            }
            let cell = |s: &str| {
                if s.is_empty() {
                    "—".to_string()
                } else {
                    s.to_string()
                }
            };
            writeln!(
                w,
                "  {}  {}：“{}”（{}）→“{}”（{}）",
                c.kind.label(),
                c.field,
                clip(&c.old),
                cell(&c.old_cell),
                clip(&c.new),
                cell(&c.new_cell)
            )?;
        }
        writeln!(
            w,
            "比较了 {} 张表与 {} 张表：配对 {} 个项目（更名 {} 个），新增 {} 个，删除 {} 个；改动 {} 处{}",
            old.len(),
            new.len(),
            d.pairs.len(),
            d.renamed.len(),
            d.added.len(),
            d.removed.len(),
            d.changes.len(),
            args.out
                .as_ref()
                .map(|o| format!("；差异工作簿 {}", o.display()))
                .unwrap_or_default()
        )?;
    }
    w.flush()?;
    Ok(if d.is_empty() { EXIT_OK } else { EXIT_FINDINGS })
}

fn clip(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() <= 60 {
        t.to_string()
    } else {
        let mut c: String = t.chars().take(60).collect();
        c.push('…');
        c
    }
}
