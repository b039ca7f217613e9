//! Writing: model + findings → one clean workbook per input.
//!
//! [`render`] turns a [`Document`] (the tables of one input file) and its findings into an xlsx
//! workbook, with rust_xlsxwriter:
//!
//! ```text
//!  汇总      one row per table: project, department, amounts, indicators, findings, link
//!  问题清单   one row per finding: severity, rule, project, field, source cell, a link to
//!            the regenerated cell, found, expected, message
//!  <项目名称> one form sheet per table, in its own layout by default (classic, national, or
//!            the department-wide one for a 部门整体 table: [`layout`]), or in its own
//!            geometry when no layout prints it cell for cell ([`form::own`]);
//!            cells with an error or a warning are highlighted and carry a note
//! ```
//!
//! The phases: [`form::plan`] lays a table out in its [`layout::FormLayout`] (loaded from
//! `templates/layout-*.toml`) and records where each model field went; findings are located
//! on those cells through their `field` (or, for reader notices, the source cell they name);
//! [`form::emit`], [`summary`] and [`issues`] write the sheets. [`batch`] converts files to
//! files: output names, refusing to clobber inputs, atomic saves, parallel work.
//!
//! The form sheets read back with [`crate::read`] to the same model (values, amounts,
//! indicators); the 汇总 and 问题清单 sheets hold no label the reader anchors on. The output
//! is byte-for-byte reproducible: the creation time is fixed.

#[cfg(feature = "native")]
pub mod batch;
pub mod form;
pub mod issues;
pub mod layout;
pub mod measure;
pub mod names;
pub mod readback;
pub mod reading;
pub mod selfeval;
pub mod summary;

use std::collections::HashMap;
use std::path::PathBuf;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::cell::CellRef;
use crate::error::{Error, Result};
use crate::model::{Document, Finding, Layout, Severity, Table};

use form::{FormPlan, Mark};
use layout::FormLayout;

/// Name of the summary sheet.
pub const SUMMARY_SHEET: &str = "汇总";
/// Name of the discrepancy sheet.
pub const ISSUES_SHEET: &str = "问题清单";

/// How to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The layout of the form sheets: `None` writes each table in its own layout (nothing
    /// lost), `Some` forces one on every table (what it cannot show is reported as a warning).
    pub layout: Option<Layout>,
    /// The date printed on 汇总 (制表日期), when given; without one the workbook does not
    /// depend on the day it was made.
    pub date: Option<Date>,
}

impl Options {
    /// The layout a project table is written in (a 部门整体 table always has its own).
    pub fn layout_for(&self, table: &Table) -> Layout {
        self.layout.unwrap_or(table.layout)
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl Date {
    /// The date of a moment given as seconds since 1970-01-01 UTC, in UTC+8 (China
    /// Standard Time, where the forms are filled).
    pub fn from_unix_cst(secs: i64) -> Date {
        let days = (secs + 8 * 3600).div_euclid(86_400);
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today, in China Standard Time.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_unix_cst(secs)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// What a layout cannot show of a table written in it: one sentence per loss (the extra
/// grid columns it has no place for, the 定性 marks of values), empty when nothing is lost.
pub fn layout_losses(table: &Table, layout: Layout) -> Vec<String> {
    form::plan(table, FormLayout::for_table(table, Some(layout)))
        .notices
        .into_iter()
        .filter(|n| n.rule == form::RULE_DROPPED || n.rule == form::RULE_REREAD)
        .map(|n| n.message)
        .collect()
}

/// The source cells of what `layout`, forced on `table`, lists as dropped (each item's cell,
/// a dropped grid column's cells): the numbers there are not looked for in the form.
pub fn dropped_cells(table: &Table, layout: Layout) -> std::collections::BTreeSet<CellRef> {
    let plan = form::plan(table, FormLayout::for_table(table, Some(layout)));
    readback::dropped_cells(table, &plan)
}

/// A finding with the place it points to in the regenerated workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The finding.
    pub finding: Finding,
    /// The form sheet and cell it points to, when it is about a table.
    pub target: Option<(String, CellRef)>,
}

/// A rendered workbook.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The xlsx bytes.
    pub bytes: Vec<u8>,
    /// The form sheets' names, one per table, in table order.
    pub sheets: Vec<String>,
    /// Everything listed in 问题清单, in its order: the given findings and the writer's own.
    pub findings: Vec<Located>,
}

impl Rendered {
    /// Findings counted by severity: (error, warning, info).
    pub fn counts(&self) -> SeverityCounts {
        SeverityCounts::of(self.findings.iter().map(|l| &l.finding))
    }
}

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
}

impl SeverityCounts {
    /// Counts the findings.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut c = SeverityCounts::default();
        for f in findings {
            c.add(f.severity);
        }
        c
    }

    /// Counts one finding.
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }

    /// Adds another count.
    pub fn merge(&mut self, o: SeverityCounts) {
        self.error += o.error;
        self.warning += o.warning;
        self.info += o.info;
    }

    /// The total.
    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }
}

/// How `table` was read, recorded on its form sheet so that the converted file reads and
/// checks as its source did ([`crate::read::record`]): its profile, whether its grid printed
/// no level columns, and the short money unit its funding was typed with (`250万`, printed
/// as a number by a built-in layout).
fn record_of(table: &crate::model::Table) -> crate::read::record::Record {
    let level_column = table
        .columns
        .iter()
        .any(|c| c.role == "level1" || c.role == "level2");
    let levelled = table
        .indicators
        .iter()
        .any(|i| !i.level1.trim().is_empty() || !i.level2.trim().is_empty());
    crate::read::record::Record {
        profile: Some(table.profile.id.clone()),
        no_levels: !table.columns.is_empty() && !level_column && !levelled,
        short_money: crate::check::short_money_unit(crate::check::Vocab::builtin(), table),
    }
}

/// The fixed creation time written into every workbook, for reproducible output.
fn creation_time() -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(2026, 1, 1)
}

/// Renders one input's tables and findings as a workbook.
///
/// `findings` are the findings to list (the reader's notices and the checker's findings);
/// each finding's `table` is the index of its table in `doc`. The writer adds its own notices
/// (text cut at Excel's limit, columns the layout cannot show).
///
/// # Errors
/// [`Error::Write`] (naming the input file) when rust_xlsxwriter rejects the workbook.
pub fn render(doc: &Document, findings: &[Finding], opts: &Options) -> Result<Rendered> {
    let name = doc
        .tables
        .first()
        .map_or_else(PathBuf::new, |t| PathBuf::from(&t.source.file));
    let werr = |e: XlsxError| Error::Write {
        path: name.clone(),
        detail: format!("生成工作簿失败：{e}"),
    };
    let (rendered, differences) = render_inner(doc, findings, opts).map_err(werr)?;
    if differences.is_empty() {
        return Ok(rendered);
    }
    // What did not read back is an error of the workbook itself: listed and marked.
    let mut all = findings.to_vec();
    all.extend(
        differences
            .iter()
            .filter_map(|d| Some(d.finding(doc.tables.get(d.table)?))),
    );
    render_with(doc, &all, opts).map_err(werr)
}

/// Renders with the findings as given, without reading the result back (a second pass that
/// lists the read-back differences of the first).
///
/// # Errors
/// [`Error::Write`] when rust_xlsxwriter rejects the workbook.
fn render_with(
    doc: &Document,
    findings: &[Finding],
    opts: &Options,
) -> std::result::Result<Rendered, XlsxError> {
    render_inner(doc, findings, opts).map(|(r, _)| r)
}

fn render_inner(
    doc: &Document,
    findings: &[Finding],
    opts: &Options,
) -> std::result::Result<(Rendered, Vec<readback::Difference>), XlsxError> {
    let layouts: Vec<&FormLayout> = doc
        .tables
        .iter()
        .map(|t| FormLayout::for_table(t, opts.layout))
        .collect();
    let plans: Vec<FormPlan> = doc
        .tables
        .iter()
        .zip(&layouts)
        .map(|(t, l)| form::plan_for(t, l, opts.layout.is_some()))
        .collect();
    let wanted: Vec<String> = doc
        .tables
        .iter()
        .map(|t| t.display_name().to_string())
        .collect();
    let sheets = names::unique_sheet_names(&wanted, &[SUMMARY_SHEET, ISSUES_SHEET, reading::SHEET]);

    // Everything to list: the given findings (which profile read a table is said in 读取说明,
    // not as a line here), then the writer's own notices per table.
    let mut all: Vec<Located> = findings
        .iter()
        .filter(|f| f.rule != crate::check::READ_PROFILE.id)
        .map(|f| {
            let target = f.table.and_then(|i| {
                let (t, p) = (doc.tables.get(i)?, plans.get(i)?);
                locate(f, t, p).map(|c| (sheets[i].clone(), c))
            });
            Located {
                finding: f.clone(),
                target,
            }
        })
        .collect();
    for (i, (t, p)) in doc.tables.iter().zip(&plans).enumerate() {
        for n in &p.notices {
            let mut f = Finding::new(n.rule, n.severity, t, None, n.message.clone());
            f.rule_name = form::notice_name(n.rule).to_string();
            f.field = n.field.clone();
            f.table = Some(i);
            if let Some(field) = &n.field {
                f.cell = t.cell_of(field);
            }
            if n.source.is_some() {
                f.cell = n.source;
            }
            all.push(Located {
                finding: f,
                target: n.cell.map(|c| (sheets[i].clone(), c)),
            });
        }
    }
    // Every cell nothing understood is listed, pointing at the 其他 block, unless a finding
    // (the reader's `read.unrecognised`) already names it.
    for (i, (t, p)) in doc.tables.iter().zip(&plans).enumerate() {
        for (k, e) in t.extra.iter().enumerate() {
            let named = findings
                .iter()
                .any(|f| f.table == Some(i) && f.cell == Some(e.cell));
            if named {
                continue;
            }
            let label = if e.label.is_empty() {
                String::new()
            } else {
                format!("（在“{}”旁）", e.label)
            };
            let mut f = Finding::new(
                form::RULE_EXTRA,
                Severity::Info,
                t,
                Some(e.cell),
                format!(
                    "原表 {} 单元格的内容“{}”{label}不属于任何栏目，已写在“{}”中",
                    e.cell, e.value, p.extra_group
                ),
            );
            f.rule_name = form::notice_name(form::RULE_EXTRA).to_string();
            f.field = Some(format!("extra[{k}]"));
            f.table = Some(i);
            all.push(Located {
                target: p
                    .fields
                    .get(&format!("extra[{k}]"))
                    .map(|c| (sheets[i].clone(), *c)),
                finding: f,
            });
        }
    }
    // Errors, then warnings, then notices; within each, by table and cell.
    all.sort_by_key(|l| crate::check::report_order(&l.finding));

    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title("项目支出预算绩效表（jixiao 重新生成）")
        .set_author("jixiao")
        .set_creation_datetime(&creation_time()?);
    wb.set_properties(&props);

    let ws = wb.add_worksheet();
    ws.set_name(SUMMARY_SHEET)?;
    summary::write(ws, doc, &sheets, &all, opts.date)?;
    let ws = wb.add_worksheet();
    ws.set_name(ISSUES_SHEET)?;
    issues::write(ws, doc, &all)?;

    for (i, (plan, name)) in plans.iter().zip(&sheets).enumerate() {
        let mut marks: HashMap<CellRef, Mark> = HashMap::new();
        for l in &all {
            let Some((sheet, cell)) = &l.target else {
                continue;
            };
            if l.finding.table != Some(i) || sheet != name {
                continue;
            }
            let m = marks.entry(*cell).or_default();
            m.severity = Some(match m.severity {
                Some(s) => s.min(l.finding.severity),
                None => l.finding.severity,
            });
            if l.finding.severity != Severity::Info {
                m.lines.push(format!(
                    "【{}】{}",
                    l.finding.severity.label(),
                    l.finding.message
                ));
            }
        }
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        form::emit(ws, plan, layouts[i], &marks)?;
        for (n, f) in record_of(&doc.tables[i]).defined_names(name) {
            wb.define_name(n, &f)?;
        }
    }
    // Last: how each table was read.
    let ws = wb.add_worksheet();
    ws.set_name(reading::SHEET)?;
    let file = doc.tables.first().map_or_else(String::new, |t| {
        let p = std::path::Path::new(&t.source.file);
        p.file_name()
            .unwrap_or(p.as_os_str())
            .to_string_lossy()
            .into_owned()
    });
    reading::write(
        ws,
        doc,
        reading::SHEET,
        &format!(
            "{file}：{} 张表。每张表按哪个表样配置读取、为何这样选，哪些单元格未能识别（已原样保留在表的“其他”中），读取时的其他提示。",
            doc.tables.len()
        ),
        Some(&sheets),
    )?;
    let bytes = wb.save_to_buffer()?;
    let written: Vec<readback::Written<'_>> = doc
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| readback::Written {
            sheet: &sheets[i],
            table: t,
            plan: &plans[i],
            layout: layouts[i],
        })
        .collect();
    let differences = readback::verify(&bytes, &written);
    Ok((
        Rendered {
            bytes,
            sheets,
            findings: all,
        },
        differences,
    ))
}

/// The cell of the regenerated form a finding points at: through its field path, else through
/// the source cell it names (reader notices), else the indicator row it sits on.
pub fn locate(f: &Finding, table: &Table, plan: &FormPlan) -> Option<CellRef> {
    if let Some(field) = &f.field {
        if let Some(c) = plan.fields.get(field) {
            return Some(*c);
        }
        if let Some(rest) = field.strip_prefix("indicators[") {
            let idx = rest.split(']').next().unwrap_or("");
            if let Some(c) = plan.fields.get(&format!("indicators[{idx}]")) {
                return Some(*c);
            }
        }
    }
    let src = f.cell?;
    for (field, fs) in &table.cells {
        if fs.cell == src {
            if let Some(c) = plan.fields.get(field) {
                return Some(*c);
            }
        }
    }
    for (i, ind) in table.indicators.iter().enumerate() {
        if ind.cell == Some(src) {
            return plan.fields.get(&format!("indicators[{i}].value")).copied();
        }
        if ind.name_cell == Some(src) {
            return plan.fields.get(&format!("indicators[{i}].name")).copied();
        }
    }
    // The parts placed in blocks: other grids, metadata, funding lines, cells nothing
    // understood.
    for (k, g) in table.other_grids.iter().enumerate() {
        for (i, ind) in g.indicators.iter().enumerate() {
            let part = if ind.cell == Some(src) {
                "value"
            } else if ind.name_cell == Some(src) {
                "name"
            } else {
                continue;
            };
            return plan
                .fields
                .get(&format!("other_grids[{k}].indicators[{i}].{part}"))
                .copied();
        }
    }
    let by_cell = |field: String, cell: Option<CellRef>| {
        (cell == Some(src))
            .then(|| plan.fields.get(&field).copied())
            .flatten()
    };
    let found = table
        .metadata
        .iter()
        .enumerate()
        .find_map(|(i, m)| by_cell(format!("metadata[{i}]"), m.cell))
        .or_else(|| {
            table
                .extra
                .iter()
                .enumerate()
                .find_map(|(i, e)| by_cell(format!("extra[{i}]"), Some(e.cell)))
        })
        .or_else(|| {
            table
                .funding
                .lines
                .iter()
                .enumerate()
                .find_map(|(i, l)| (l.cell == Some(src)).then(|| plan.line_cell(i)).flatten())
        });
    if found.is_some() {
        return found;
    }
    // A cell elsewhere on an indicator's row (a level name moved sideways).
    let row = table.indicators.iter().position(|ind| {
        ind.cell.map(|c| c.row) == Some(src.row) || ind.name_cell.map(|c| c.row) == Some(src.row)
    })?;
    plan.fields.get(&format!("indicators[{row}]")).copied()
}

#[cfg(feature = "native")]
/// Writes bytes to `path` atomically: a temporary file in the same directory, flushed, then
/// renamed over `path`. On any error nothing is left behind and `path` is untouched.
///
/// # Errors
/// [`Error::Write`] naming `path`.
pub fn save_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    // The reason in Chinese, without the temporary file's path or the OS's English.
    let werr = |e: std::io::Error| Error::write_io(path, &e);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".jixiao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(werr)?;
    tmp.write_all(bytes).map_err(werr)?;
    tmp.as_file().sync_all().map_err(werr)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; a converted workbook is an ordinary document.
        let perms = std::fs::Permissions::from_mode(0o644);
        tmp.as_file().set_permissions(perms).map_err(werr)?;
    }
    tmp.persist(path).map_err(|e| werr(e.error))?;
    Ok(())
}
