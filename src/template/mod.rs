//! Next year's tables: this year's model moved on one year (the `template --from` phase).
//!
//! Recurring projects (经常性项目) are carried over, one-year projects (一年期项目) left out
//! unless asked for; every mention of this year in the title, goal and indicators becomes next
//! year (`2026年9-10月` → `2027年9-10月`), while period figures like `1年` stay; amounts are
//! kept as last year's baseline unless cleared. What was left out, and this year's findings,
//! travel along so the template can list them.
//!
//! The phases of `jixiao template`:
//! 1. (`--from`) [`dedupe`]: one table per project when the same project was read from several
//!    files; [`crate::check::check`] for this year's findings; [`carry_over`] to next year;
//! 2. [`write`](mod@write): the tables (or blank ones) as form sheets, laid out and formatted by
//!    [`crate::write::form`] exactly as `convert` does, with input cells unlocked, dropdowns,
//!    formulas for the derived amounts and sheet protection; a 填报说明 sheet ([`guide`]) from
//!    the rule catalogue; for `--from`, a 说明 sheet of what was left out and a list of this
//!    year's findings.

pub mod guide;
mod input;
mod notes;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Document, Finding, Funding, Table};
use crate::read::labels::normalize_label;

/// How to carry this year's tables into next year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarryOptions {
    /// The year of the new tables.
    pub year: i32,
    /// Keep one-year projects too.
    pub keep_all: bool,
    /// Empty every amount instead of keeping last year's.
    pub clear_amounts: bool,
}

/// The years a template can be made for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The year a template is made for, as [`target_year`] settled it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetYear {
    /// The year of the new tables.
    pub year: i32,
    /// The year asked for is the year of the tables read: nothing in them moves (a warning
    /// for the user, not an error).
    pub same_as_tables: bool,
}

/// Refuses a year that is not a four-digit budget year (`27`, `20277`), in the words the
/// program and the page both show.
///
/// # Errors
/// [`Error::Usage`] naming the year and the years allowed.
pub fn check_year(year: i32) -> Result<()> {
    if YEARS.contains(&year) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "年度 {year} 无效：请写四位数的年份（{} 至 {} 之间），如 2027",
        YEARS.start(),
        YEARS.end()
    )))
}

/// The year of a template: the one `asked` for (checked by [`check_year`], never before the
/// `latest` year of the tables read), else the year after `latest`.
///
/// # Errors
/// [`Error::Usage`]: a year that is not a four-digit year, a year before the tables', or no
/// year at all (none asked for and none in the tables).
pub fn target_year(asked: Option<i32>, latest: Option<i32>) -> Result<TargetYear> {
    if let Some(y) = asked {
        check_year(y)?;
    }
    let year = match (asked, latest) {
        (Some(y), Some(l)) if y < l => {
            return Err(Error::Usage(format!(
                "模板年度 {y} 早于读到的表格年度 {l}：模板只能向后一年或多年（如 {}），不能倒回",
                l + 1
            )))
        }
        (Some(y), _) => y,
        (None, Some(l)) => l + 1,
        (None, None) => {
            return Err(Error::Usage(
                "表格中没有年度，请指定模板年度（如 2027）".into(),
            ))
        }
    };
    Ok(TargetYear {
        year,
        same_as_tables: latest == Some(year),
    })
}

/// A table that was not carried over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The project.
    pub project: String,
    /// Its 项目属性.
    pub attribute: String,
    /// Where it came from.
    pub file: String,
    /// Why it was left out, in Chinese.
    pub reason: String,
    /// Left out as a second copy of a project carried from elsewhere (else: a one-year project).
    pub duplicate: bool,
}

/// Next year's tables, with what was left out and this year's findings.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    /// The tables, moved on.
    pub doc: Document,
    /// Tables not carried over.
    pub left_out: Vec<LeftOut>,
    /// This year's findings about the carried tables, to be fixed in next year's version.
    /// Their `table` is the index of the carried table in `doc`; reader notices (info) are not
    /// carried.
    pub last_year_findings: Vec<Finding>,
    /// From which year each carried table was moved, in `doc`'s order.
    pub moved: Vec<Moved>,
    /// The labels of last year's sign-off metadata left blank (`填报日期`, `财政部门审核意见`,
    /// …: `sign_off` in templates/template.toml), each once, in the order first met.
    pub blanked: Vec<String>,
}

/// How one carried table's years were moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The project.
    pub project: String,
    /// Where it came from.
    pub file: String,
    /// The table's own year (`None`: it prints none, and was taken as the year before).
    pub from: Option<i32>,
    /// How many years every year in its texts moved.
    pub by: i32,
}

impl Carried {
    /// True when the carried tables came from more than one year (each moved by its own
    /// difference, which the notes then list table by table).
    pub fn mixed_years(&self) -> bool {
        self.moved.iter().any(|m| m.by != self.moved[0].by)
    }
}

/// The 项目属性 of projects that end with their year.
const ONE_YEAR_KINDS: &[&str] = &["一年期项目", "一次性项目"];

/// True when a project's attribute says it ends with its year.
pub(crate) fn is_one_year(attribute: &str) -> bool {
    let a: String = attribute.chars().filter(|c| !c.is_whitespace()).collect();
    ONE_YEAR_KINDS.iter().any(|k| a == *k)
}

/// This year's tables, as read, to next year's: [`dedupe`], [`crate::check::check`] (this
/// year's findings, listed in the template), [`carry_over`]. Duplicates come first in
/// `left_out`, then the one-year projects.
pub fn next_year(this_year: &Document, opts: CarryOptions) -> Carried {
    let (mut doc, duplicates) = dedupe(this_year);
    doc.discrepancies = crate::check::check(&doc);
    let mut carried = carry_over(&doc, opts);
    carried.left_out.splice(0..0, duplicates);
    carried
}

/// Moves this year's tables on to `opts.year`.
pub fn carry_over(this_year: &Document, opts: CarryOptions) -> Carried {
    let mut out = Carried::default();
    for (index, table) in this_year.tables.iter().enumerate() {
        if !opts.keep_all && is_one_year(&table.project.attribute) {
            out.left_out.push(LeftOut {
                project: table.display_name().to_string(),
                attribute: table.project.attribute.clone(),
                file: table.source.file.clone(),
                reason: format!(
                    "{}在本年度结束，未带入{}年",
                    table.project.attribute, opts.year
                ),
                duplicate: false,
            });
            continue;
        }
        let new_index = out.doc.tables.len();
        out.last_year_findings.extend(
            this_year
                .discrepancies
                .iter()
                .filter(|f| f.table == Some(index) && f.severity != crate::Severity::Info)
                .map(|f| Finding {
                    table: Some(new_index),
                    ..f.clone()
                }),
        );
        let from = table.year.unwrap_or(opts.year - 1);
        out.moved.push(Moved {
            project: table.display_name().to_string(),
            file: table.source.file.clone(),
            from: table.year,
            by: opts.year - from,
        });
        let mut moved = move_table(table, opts);
        for label in blank_sign_off(&mut moved) {
            if !out.blanked.contains(&label) {
                out.blanked.push(label);
            }
        }
        out.doc.tables.push(moved);
    }
    out
}

/// Leaves blank the metadata that records last year's filling and approval (the keys in
/// `sign_off`, templates/template.toml): a date, an opinion or a signature of last year says
/// nothing about the new table. The labels stay, so the new form asks for them again. Returns
/// the labels whose values were emptied.
fn blank_sign_off(t: &mut Table) -> Vec<String> {
    let sign_off = &guide::TemplateText::builtin().sign_off;
    let mut blanked = Vec::new();
    for m in &mut t.metadata {
        if sign_off.contains(&m.key) && !m.value.trim().is_empty() {
            m.value.clear();
            blanked.push(m.label.clone());
        }
    }
    blanked
}

/// Moves one table to `opts.year` by its own difference: every year written in its texts moves
/// by the same number of years, so a range (`2023.07-2024.01`, `2023年7月至2024年1月`,
/// `2023-2025年`) moves as a whole and stays in order. The 项目期 is left as it was (a period,
/// not a date of this year); a 部门整体 table's tasks move with its goal.
fn move_table(t: &Table, opts: CarryOptions) -> Table {
    let from = t.year.unwrap_or(opts.year - 1);
    let shift = |s: &str| shift_year(s, from, opts.year);
    let mut n = t.clone();
    n.year = Some(opts.year);
    n.title = shift(&t.title);
    n.goal = shift(&t.goal);
    n.long_term_goal = shift(&t.long_term_goal);
    n.project.name = shift(&t.project.name);
    n.project.period = t.project.period.clone();
    if let Some(d) = n.department.as_mut() {
        d.duties = shift(&d.duties);
        for task in &mut d.tasks {
            task.function = shift(&task.function);
            task.task = shift(&task.task);
            task.project = shift(&task.project);
        }
    }
    for ind in &mut n.indicators {
        ind.name = shift(&ind.name);
        let raw = shift(&ind.value.raw);
        if raw != ind.value.raw {
            ind.value = crate::read::values::parse_value(&raw);
        }
        for text in ind.extra.values_mut() {
            *text = shift(text);
        }
    }
    if opts.clear_amounts {
        // A money block's cells beside its amounts (shares, the headings of columns no
        // layout has) go with the amounts: the block is written anew, without lines.
        let block = crate::write::form::money_block_extras(t);
        let mut i = 0;
        n.extra.retain(|_| {
            i += 1;
            !block.contains(&(i - 1))
        });
        n.funding = Funding::default();
    }
    // The labels' cells say where last year's values were; the new tables have not been
    // written yet. The indicators' and metadata's cells are kept: they say which metadata
    // the form printed above its grid and which below, and the new form keeps that order
    // (as `convert` does), so that it reads back as the table carried.
    n.cells.clear();
    n.source = crate::model::Source::default();
    // Amounts are in 万元 in the model and in the new tables, whatever the old unit was.
    n.source_unit = None;
    n
}

/// One table per project: when the same project (same 主管部门 and 项目名称) was read more than
/// once — the same department's file in two folders, a file and its re-saved copy — the newest
/// year's table is kept (the first of them on a tie) and the others are listed as left out.
/// Findings of the dropped tables are dropped; the others are renumbered. Tables without a
/// name are all kept.
pub fn dedupe(doc: &Document) -> (Document, Vec<LeftOut>) {
    let key = |t: &Table| {
        let name = normalize_label(&t.project.name);
        (!name.is_empty()).then(|| (normalize_label(&t.project.department), name))
    };
    let mut keep: HashMap<(String, String), usize> = HashMap::new();
    for (i, t) in doc.tables.iter().enumerate() {
        let Some(k) = key(t) else { continue };
        match keep.get(&k) {
            Some(&j) if doc.tables[j].year >= t.year => {}
            _ => {
                keep.insert(k, i);
            }
        }
    }
    let mut out = Document::default();
    let mut left_out = Vec::new();
    let mut new_index: Vec<Option<usize>> = Vec::with_capacity(doc.tables.len());
    for (i, t) in doc.tables.iter().enumerate() {
        let kept = key(t).and_then(|k| keep.get(&k).copied());
        match kept {
            Some(j) if j != i => {
                let o = &doc.tables[j];
                let year = o.year.map(|y| format!("{y}年")).unwrap_or_default();
                left_out.push(LeftOut {
                    project: t.display_name().to_string(),
                    attribute: t.project.attribute.clone(),
                    file: t.source.file.clone(),
                    reason: format!(
                        "同一项目重复，已采用 {}「{}」中的{year}版本",
                        o.source.file, o.source.sheet
                    ),
                    duplicate: true,
                });
                new_index.push(None);
            }
            _ => {
                new_index.push(Some(out.tables.len()));
                out.tables.push(t.clone());
            }
        }
    }
    out.discrepancies = doc
        .discrepancies
        .iter()
        .filter_map(|f| match f.table {
            None => Some(f.clone()),
            Some(t) => new_index.get(t).copied().flatten().map(|n| Finding {
                table: Some(n),
                ..f.clone()
            }),
        })
        .collect();
    (out, left_out)
}

/// Refuses an output file that is a directory, would replace one of the `inputs` (files or
/// directories as given), or would land inside an input directory, where the next `--from`
/// would read the template as one of this year's tables.
///
/// # Errors
/// [`Error::Usage`] saying which input is in the way; [`Error::Io`] when the output's
/// directory does not exist.
pub fn check_output(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    if out.is_dir() {
        return Err(Error::Usage(format!(
            "输出 {} 是一个目录，请给出文件名（如 模板.xlsx）",
            out.display()
        )));
    }
    let target = match std::fs::canonicalize(out) {
        Ok(p) => p,
        Err(_) => {
            let dir = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or_else(|| Path::new("."));
            let dir = std::fs::canonicalize(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            dir.join(out.file_name().unwrap_or_default())
        }
    };
    for input in inputs {
        let Ok(canon) = std::fs::canonicalize(input) else {
            continue;
        };
        if canon == target {
            return Err(Error::Usage(format!(
                "输出文件 {} 就是输入文件 {}：模板不会覆盖输入，请另给一个文件名",
                out.display(),
                input.display()
            )));
        }
        if canon.is_dir() && target.starts_with(&canon) {
            return Err(Error::Usage(format!(
                "输出文件 {} 位于输入目录 {} 之中：下次读取该目录时模板会被当作今年的表格。请写到输入目录以外",
                out.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Moves a table's texts from its year `from` to `to`: every year standing alone as a
/// four-digit number (`2026年`, `2025-2026`, `开展2026年度`, `2023.07`) moves by `to - from`, so
/// that ranges stay in order; longer numbers (`120260`) are left alone.
pub(crate) fn shift_year(text: &str, from: i32, to: i32) -> String {
    guide::move_years(text, to - from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, Project};

    #[test]
    fn years_move_on() {
        assert_eq!(shift_year("2026年9-10月", 2026, 2027), "2027年9-10月");
        assert_eq!(
            shift_year("开展2026年度宁夏", 2026, 2027),
            "开展2027年度宁夏"
        );
        assert_eq!(
            shift_year("2026年12月20日前", 2026, 2027),
            "2027年12月20日前"
        );
        assert_eq!(shift_year("1年", 2026, 2027), "1年");
        assert_eq!(shift_year("120260元", 2026, 2027), "120260元");
        // A range moves as a whole: its ends stay in order.
        assert_eq!(shift_year("2025-2026年", 2026, 2027), "2026-2027年");
        assert_eq!(
            shift_year("服务周期2023.07-2024.01", 2023, 2024),
            "服务周期2024.07-2025.01"
        );
        assert_eq!(
            shift_year("2023年7月至2024年1月", 2023, 2027),
            "2027年7月至2028年1月"
        );
        assert_eq!(shift_year("", 2026, 2027), "");
    }

    fn table(name: &str, attribute: &str) -> Table {
        Table {
            year: Some(2026),
            title: "2026年宁夏回族自治区部门项目支出预算绩效表".into(),
            project: Project {
                name: name.into(),
                attribute: attribute.into(),
                period: "1年".into(),
                ..Project::default()
            },
            goal: "开展2026年度工作".into(),
            indicators: vec![Indicator {
                name: "实施时间".into(),
                value: crate::read::values::parse_value("2026年11月前"),
                ..Indicator::default()
            }],
            funding: Funding {
                total: Some(rust_decimal::Decimal::new(4500, 2)),
                ..Funding::default()
            },
            ..Table::default()
        }
    }

    #[test]
    fn recurring_projects_carry_over() {
        let doc = Document {
            schema: crate::model::SCHEMA_VERSION,
            tables: vec![table("甲", "经常性项目"), table("乙", "一年期项目")],
            discrepancies: vec![],
        };
        let opts = CarryOptions {
            year: 2027,
            keep_all: false,
            clear_amounts: false,
        };
        let c = carry_over(&doc, opts);
        assert_eq!(c.doc.tables.len(), 1);
        let t = &c.doc.tables[0];
        assert_eq!(t.year, Some(2027));
        assert_eq!(t.title, "2027年宁夏回族自治区部门项目支出预算绩效表");
        assert_eq!(t.goal, "开展2027年度工作");
        assert_eq!(t.indicators[0].value.raw, "2027年11月前");
        assert_eq!(t.project.period, "1年");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("45.00")
        );
        assert_eq!(c.left_out.len(), 1);
        assert_eq!(c.left_out[0].project, "乙");

        let all = carry_over(
            &doc,
            CarryOptions {
                keep_all: true,
                clear_amounts: true,
                ..opts
            },
        );
        assert_eq!(all.doc.tables.len(), 2);
        assert!(all.left_out.is_empty());
        assert_eq!(all.doc.tables[0].funding.total, None);
    }

    #[test]
    fn findings_follow_their_table_and_years_move() {
        let mut a = table("甲", "一年期项目");
        let mut b = table("乙", "经常性项目");
        b.indicators[0].cell = Some(crate::CellRef::new(13, 4));
        b.indicators[0]
            .extra
            .insert("备注".into(), "2026年完成".into());
        a.source.file = "a.xlsx".into();
        let finding = |t: usize, s: crate::Severity| Finding {
            rule: "values.empty".into(),
            severity: s,
            table: Some(t),
            ..Finding::default()
        };
        let doc = Document {
            schema: crate::model::SCHEMA_VERSION,
            tables: vec![a, b],
            discrepancies: vec![
                finding(0, crate::Severity::Error),
                finding(1, crate::Severity::Warning),
                finding(1, crate::Severity::Info),
            ],
        };
        let c = carry_over(
            &doc,
            CarryOptions {
                year: 2027,
                keep_all: false,
                clear_amounts: false,
            },
        );
        assert_eq!(c.doc.tables.len(), 1);
        assert_eq!(c.last_year_findings.len(), 1);
        assert_eq!(c.last_year_findings[0].table, Some(0));
        assert_eq!(c.last_year_findings[0].severity, crate::Severity::Warning);
        let ind = &c.doc.tables[0].indicators[0];
        assert_eq!(ind.extra["备注"], "2027年完成");
    }

    #[test]
    fn duplicates_keep_the_newest_then_the_first() {
        let mut old = table("甲", "经常性项目");
        old.year = Some(2025);
        old.source.file = "旧.xlsx".into();
        let mut first = table("甲", "经常性项目");
        first.source.file = "一.xlsx".into();
        let mut second = table(" 甲 ", "经常性项目");
        second.source.file = "二.xlsx".into();
        let other = table("乙", "经常性项目");
        let unnamed = table("", "经常性项目");
        let doc = Document {
            schema: crate::model::SCHEMA_VERSION,
            tables: vec![old, first, second, other, unnamed.clone(), unnamed],
            discrepancies: vec![
                Finding {
                    table: Some(2),
                    ..Finding::default()
                },
                Finding {
                    table: Some(3),
                    ..Finding::default()
                },
                Finding::default(),
            ],
        };
        let (d, left) = dedupe(&doc);
        let files: Vec<&str> = d.tables.iter().map(|t| t.source.file.as_str()).collect();
        assert_eq!(files, ["一.xlsx", "", "", ""]);
        assert_eq!(d.tables[1].project.name, "乙");
        assert_eq!(left.len(), 2);
        assert_eq!(left[0].file, "旧.xlsx");
        assert_eq!(left[1].file, "二.xlsx");
        assert!(left[1].reason.contains("一.xlsx"), "{}", left[1].reason);
        // The finding of the dropped copy goes; the others are renumbered.
        let tables: Vec<Option<usize>> = d.discrepancies.iter().map(|f| f.table).collect();
        assert_eq!(tables, [Some(1), None]);
    }

    #[test]
    fn outputs_never_replace_inputs() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().join("今年");
        std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let input = dir.join("甲.xlsx");
        std::fs::write(&input, b"x").unwrap_or_else(|e| panic!("{e}"));
        let inputs = vec![dir.clone()];
        let usage = |r: Result<()>| matches!(r, Err(Error::Usage(_)));
        assert!(usage(check_output(&input, std::slice::from_ref(&input))));
        assert!(usage(check_output(&dir.join("新.xlsx"), &inputs)));
        assert!(usage(check_output(&dir, &[])));
        assert!(check_output(&tmp.path().join("明年.xlsx"), &inputs).is_ok());
        assert!(matches!(
            check_output(&tmp.path().join("无/明年.xlsx"), &inputs),
            Err(Error::Io { .. })
        ));
    }
}
