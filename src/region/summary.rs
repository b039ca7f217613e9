//! The region's roll-up: one row per table, per department and per rule, the findings of every
//! file and what only shows across files, written as one workbook (`jixiao summary`).
//!
//! ```text
//!  汇总      the region in one line, one row per department (表数, money, findings) with the
//!            region's totals, a chart of money by department and one of findings by rule
//!  项目明细   one row per table: department, project, kind, attributes, every amount and every
//!            funding line as printed, indicators, findings by severity, grade, source
//!  问题清单   every finding of every file, with 部门, and the cross-file ones (region.*)
//!  按规则     findings counted by rule
//!  读取失败   the files that could not be read, and why (only when there are some)
//! ```
//!
//! The sheets with rows are real Excel tables (filters, a totals row whose formulas carry their
//! results, frozen header) and print on A4 landscape, one page wide. A [`Summary`] is fed one
//! file at a time ([`Summary::add_file`]) and keeps only these rows, never the models.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, Color, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, Table as XlTable, TableColumn, TableFunction, Workbook, Worksheet,
    XlsxError,
};

use crate::cell::CellRef;
use crate::model::{Document, Finding, Funding, Grade, Severity, Table, TableKind};
use crate::read::labels::normalize_label;
use crate::read::values::money_scale;
use crate::write::measure::{self, cut_utf16};
use crate::write::names::guard_label;
use crate::write::SeverityCounts;

/// The cross-file rule: the same project in two files.
pub const DUPLICATE_PROJECT: (&str, &str) = ("region.duplicate-project", "项目在多个文件中重复");
/// The cross-file rule: the same project's indicator with different values in two files.
pub const INDICATOR_DIFFERS: (&str, &str) =
    ("region.indicator-differs", "同一项目的同名指标取值不同");

/// Sheet names.
pub const SHEET_OVERVIEW: &str = "汇总";
/// One row per table.
pub const SHEET_TABLES: &str = "项目明细";
/// Every finding.
pub const SHEET_ISSUES: &str = "问题清单";
/// Findings by rule.
pub const SHEET_RULES: &str = "按规则";
/// Files that could not be read.
pub const SHEET_FAILED: &str = "读取失败";

/// Reads one amount of a funding block.
pub type AmountOf = fn(&Funding) -> Option<Decimal>;

/// The amount columns: header and the model field shown.
pub const AMOUNTS: &[(&str, AmountOf)] = &[
    ("项目总额/万元", |f| f.total),
    ("年度资金/万元", |f| f.annual_total),
    ("本级资金/万元", |f| f.own.total),
    ("财政拨款/万元", |f| f.own.fiscal),
    ("其他资金/万元", |f| f.own.other),
    ("结转资金/万元", |f| f.own.carryover),
    ("转移资金/万元", |f| f.transfer.total),
    ("中央资金/万元", |f| f.transfer.central),
    ("省级资金/万元", |f| f.transfer.regional),
];

/// Index of 年度资金 in [`AMOUNTS`].
const ANNUAL: usize = 1;
/// Index of 项目总额 in [`AMOUNTS`].
const TOTAL: usize = 0;

/// The label for a table without a department.
pub const NO_DEPARTMENT: &str = "（未填部门）";

/// One table, as the summary shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// 主管部门 (or [`NO_DEPARTMENT`]).
    pub department: String,
    /// The project's name.
    pub project: String,
    /// Project or department table.
    pub kind: TableKind,
    /// 项目属性.
    pub attribute: String,
    /// 项目类别, when printed.
    pub category: String,
    /// The budget year.
    pub year: Option<i32>,
    /// The amounts of [`AMOUNTS`], in 万元.
    pub amounts: Vec<Option<Decimal>>,
    /// Every funding line as printed: `label amount；…`.
    pub lines: String,
    /// Indicators in the annual grid.
    pub indicators: usize,
    /// Findings about the table, by severity (cross-file ones included).
    pub counts: SeverityCounts,
    /// The suggested grade, when the table was graded.
    pub grade: Option<Grade>,
    /// The input file.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The table's cells (`A1:F26`).
    pub range: String,
}

/// One department's figures (or the region's, for the totals).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DepartmentRow {
    /// The department.
    pub department: String,
    /// Tables.
    pub tables: usize,
    /// Sum of 项目总额.
    pub total: Decimal,
    /// Sum of 年度资金总额.
    pub annual: Decimal,
    /// Findings by severity.
    pub counts: SeverityCounts,
}

/// Findings of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRow {
    /// The rule id.
    pub rule: String,
    /// Its Chinese name, when known.
    pub name: String,
    /// Its severity.
    pub severity: Severity,
    /// How many findings.
    pub count: usize,
}

/// What was first seen of a project: where, and its indicators' values.
#[derive(Debug)]
struct Seen {
    file: usize,
    sheet: String,
    indicators: HashMap<String, (String, Option<CellRef>)>,
}

/// The roll-up of a batch, fed one file at a time.
#[derive(Debug, Default)]
pub struct Summary {
    /// One row per table, in input order.
    pub rows: Vec<TableRow>,
    /// Every finding, in input order; `table` is the index of its row in [`Summary::rows`].
    pub findings: Vec<Finding>,
    /// Files that could not be read: file and reason.
    pub failed: Vec<(String, String)>,
    /// The files read, in input order.
    pub files: Vec<String>,
    seen: HashMap<(String, Option<i32>), Seen>,
}

fn department_of(t: &Table) -> String {
    let d = t.project.department.trim();
    if d.is_empty() {
        NO_DEPARTMENT.to_string()
    } else {
        d.to_string()
    }
}

fn funding_lines(f: &Funding) -> String {
    f.lines
        .iter()
        .map(|l| {
            let amount = l
                .amount
                .map_or_else(|| "—".to_string(), |d| money_scale(d).to_string());
            format!("{} {amount}", l.label.trim())
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn same_value(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    squeeze(a) == squeeze(b)
}

impl Summary {
    /// An empty summary.
    pub fn new() -> Self {
        Summary::default()
    }

    /// Adds one file's document and its findings (those of [`crate::check::check`], which
    /// include the reader's notices; each finding's `table` indexes `doc.tables`). Adds the
    /// cross-file findings: a project already seen in another file, and its indicators whose
    /// values differ from that file's.
    pub fn add_file(&mut self, file: &str, doc: &Document, findings: &[Finding]) {
        let file_index = self.files.len();
        self.files.push(file.to_string());
        let offset = self.rows.len();
        for t in &doc.tables {
            self.rows.push(TableRow {
                department: department_of(t),
                project: t.display_name().to_string(),
                kind: t.kind,
                attribute: t.project.attribute.clone(),
                category: t.project.category.clone(),
                year: t.year,
                amounts: AMOUNTS.iter().map(|(_, get)| get(&t.funding)).collect(),
                lines: funding_lines(&t.funding),
                indicators: t.indicators.len(),
                counts: SeverityCounts::default(),
                grade: t.grade.clone(),
                file: t.source.file.clone(),
                sheet: t.source.sheet.clone(),
                range: t.source.range.clone(),
            });
        }
        for f in findings {
            let mut f = f.clone();
            if let Some(i) = f.table {
                if let Some(t) = doc.tables.get(i) {
                    if f.department.is_empty() {
                        f.department = t.project.department.clone();
                    }
                }
                f.table = Some(offset + i).filter(|&r| r < self.rows.len());
            }
            self.push_finding(f);
        }
        for (i, t) in doc.tables.iter().enumerate() {
            self.cross_file(file_index, offset + i, t);
        }
    }

    fn push_finding(&mut self, f: Finding) {
        if let Some(row) = f.table.and_then(|r| self.rows.get_mut(r)) {
            row.counts.add(f.severity);
        }
        self.findings.push(f);
    }

    fn cross_file(&mut self, file: usize, row: usize, t: &Table) {
        let name = normalize_label(&t.project.name);
        if name.is_empty() {
            return;
        }
        let key = (name, t.year);
        let Some(seen) = self.seen.get(&key) else {
            let indicators = t
                .indicators
                .iter()
                .map(|ind| {
                    (
                        normalize_label(&ind.name),
                        (ind.value.raw.clone(), ind.cell),
                    )
                })
                .collect();
            self.seen.insert(
                key,
                Seen {
                    file,
                    sheet: t.source.sheet.clone(),
                    indicators,
                },
            );
            return;
        };
        if seen.file == file {
            // Within one file, the checker's identity.duplicate-project already says so.
            return;
        }
        let first_file = self.files[seen.file].clone();
        let mut out = Vec::new();
        let mut base = Finding::new(
            DUPLICATE_PROJECT.0,
            Severity::Warning,
            t,
            t.cell_of("project.name"),
            format!(
                "项目“{}”也出现在 {}「{}」中：同一项目在两个文件中填报",
                t.display_name(),
                first_file,
                seen.sheet
            ),
        )
        .field("project.name")
        .found_expected(
            format!("{}「{}」", t.source.file, t.source.sheet),
            "每个项目只在一个文件中填报",
        );
        base.rule_name = DUPLICATE_PROJECT.1.to_string();
        base.table = Some(row);
        out.push(base);
        for (k, ind) in t.indicators.iter().enumerate() {
            let Some((value, cell)) = seen.indicators.get(&normalize_label(&ind.name)) else {
                continue;
            };
            if same_value(value, &ind.value.raw) {
                continue;
            }
            let at = cell.map_or_else(String::new, |c| format!("（{c}）"));
            let mut f = Finding::new(
                INDICATOR_DIFFERS.0,
                Severity::Warning,
                t,
                ind.cell,
                format!(
                    "指标“{}”的值为“{}”，而 {}「{}」中同一项目的同名指标{at}为“{}”",
                    ind.name.trim(),
                    ind.value.raw,
                    first_file,
                    seen.sheet,
                    value
                ),
            )
            .field(format!("indicators[{k}].value"))
            .found_expected(ind.value.raw.clone(), value.clone());
            f.rule_name = INDICATOR_DIFFERS.1.to_string();
            f.table = Some(row);
            out.push(f);
        }
        for f in out {
            self.push_finding(f);
        }
    }

    /// Notes a file that could not be read.
    pub fn add_failure(&mut self, file: &str, reason: &str) {
        self.failed.push((file.to_string(), reason.to_string()));
    }

    /// One row per department, by annual money (largest first), then name.
    pub fn departments(&self) -> Vec<DepartmentRow> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut out: Vec<DepartmentRow> = Vec::new();
        for r in &self.rows {
            let i = *index.entry(r.department.as_str()).or_insert_with(|| {
                out.push(DepartmentRow {
                    department: r.department.clone(),
                    ..DepartmentRow::default()
                });
                out.len() - 1
            });
            let d = &mut out[i];
            d.tables += 1;
            d.total += r.amounts[TOTAL].unwrap_or_default();
            d.annual += r.amounts[ANNUAL].unwrap_or_default();
            d.counts.merge(r.counts);
        }
        out.sort_by(|a, b| {
            b.annual
                .cmp(&a.annual)
                .then_with(|| a.department.cmp(&b.department))
        });
        out
    }

    /// The region's totals: every table and every finding (those about a file, not a table,
    /// included).
    pub fn totals(&self) -> DepartmentRow {
        DepartmentRow {
            department: "全部".to_string(),
            tables: self.rows.len(),
            total: self.rows.iter().filter_map(|r| r.amounts[TOTAL]).sum(),
            annual: self.rows.iter().filter_map(|r| r.amounts[ANNUAL]).sum(),
            counts: SeverityCounts::of(&self.findings),
        }
    }

    /// Findings by rule, most frequent first.
    pub fn by_rule(&self) -> Vec<RuleRow> {
        let mut map: BTreeMap<&str, RuleRow> = BTreeMap::new();
        for f in &self.findings {
            let e = map.entry(f.rule.as_str()).or_insert_with(|| RuleRow {
                rule: f.rule.clone(),
                name: String::new(),
                severity: f.severity,
                count: 0,
            });
            e.count += 1;
            e.severity = e.severity.min(f.severity);
            if e.name.is_empty() {
                e.name.clone_from(&f.rule_name);
            }
        }
        let mut out: Vec<RuleRow> = map.into_values().collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
        out
    }

    /// The workbook.
    ///
    /// # Errors
    /// When rust_xlsxwriter rejects it.
    pub fn render(&self) -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let props = DocProperties::new()
            .set_title("绩效表汇总（jixiao）")
            .set_author("jixiao")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?);
        wb.set_properties(&props);
        let departments = self.departments();
        let rules = self.by_rule();

        let ws = wb.add_worksheet();
        ws.set_name(SHEET_OVERVIEW)?;
        self.write_overview(ws, &departments, rules.len())?;
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_TABLES)?;
        self.write_tables(ws)?;
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_ISSUES)?;
        self.write_issues(ws)?;
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_RULES)?;
        write_rules(ws, &rules)?;
        if !self.failed.is_empty() {
            let ws = wb.add_worksheet();
            ws.set_name(SHEET_FAILED)?;
            self.write_failed(ws)?;
        }
        wb.save_to_buffer()
    }

    fn write_overview(
        &self,
        ws: &mut Worksheet,
        departments: &[DepartmentRow],
        rule_count: usize,
    ) -> Result<(), XlsxError> {
        let totals = self.totals();
        ws.write_string_with_format(0, 0, "绩效表汇总", &base().set_bold().set_font_size(16))?;
        let failed = if self.failed.is_empty() {
            String::new()
        } else {
            format!(
                "（另有 {} 个无法读取，见“{SHEET_FAILED}”）",
                self.failed.len()
            )
        };
        let line = format!(
            "读取 {} 个文件{failed}，{} 张表，{} 个部门；年度资金合计 {} 万元，项目总额合计 {} 万元；问题：错误 {}，警告 {}，提示 {}",
            self.files.len(),
            totals.tables,
            departments.len(),
            money_scale(totals.annual),
            money_scale(totals.total),
            totals.counts.error,
            totals.counts.warning,
            totals.counts.info
        );
        ws.write_string_with_format(1, 0, line, &base())?;
        const HEAD: &[(&str, f64)] = &[
            ("序号", 6.0),
            ("部门", 34.0),
            ("表数", 8.0),
            ("项目总额/万元", 14.0),
            ("年度资金/万元", 14.0),
            ("错误", 7.0),
            ("警告", 7.0),
            ("提示", 7.0),
        ];
        let first = 3u32;
        let n = departments.len().max(1) as u32;
        let money = money_format();
        let count = count_format();
        for (i, d) in departments.iter().enumerate() {
            let r = first + 1 + i as u32;
            ws.write_number(r, 0, (i + 1) as f64)?;
            ws.write_string(r, 1, cell_text(&d.department))?;
            ws.write_number(r, 2, d.tables as f64)?;
            ws.write_number(r, 3, to_f64(d.total))?;
            ws.write_number(r, 4, to_f64(d.annual))?;
            ws.write_number(r, 5, d.counts.error as f64)?;
            ws.write_number(r, 6, d.counts.warning as f64)?;
            ws.write_number(r, 7, d.counts.info as f64)?;
            fit_row(ws, r, [(d.department.as_str(), HEAD[1].1)])?;
        }
        let dept_sum =
            |f: &dyn Fn(&DepartmentRow) -> usize| -> usize { departments.iter().map(f).sum() };
        let results: [Option<String>; 8] = [
            None,
            None,
            Some(dept_sum(&|d| d.tables).to_string()),
            Some(money_text(totals.total)),
            Some(money_text(totals.annual)),
            Some(dept_sum(&|d| d.counts.error).to_string()),
            Some(dept_sum(&|d| d.counts.warning).to_string()),
            Some(dept_sum(&|d| d.counts.info).to_string()),
        ];
        let columns: Vec<TableColumn> = HEAD
            .iter()
            .zip(&results)
            .enumerate()
            .map(|(c, ((h, _), result))| {
                let col = TableColumn::new()
                    .set_header_format(head_format())
                    .set_header(*h);
                match (c, result) {
                    (0, _) => col.set_format(count.clone()),
                    (1, _) => col.set_total_label("全地区总计").set_format(text_format()),
                    (3 | 4, Some(r)) => col
                        .set_total_function(subtotal(h, r))
                        .set_format(money.clone()),
                    (_, Some(r)) => col
                        .set_total_function(subtotal(h, r))
                        .set_format(count.clone()),
                    _ => col,
                }
            })
            .collect();
        let table = XlTable::new()
            .set_name("部门汇总")
            .set_columns(&columns)
            .set_total_row(true);
        ws.add_table(first, 0, first + n + 1, (HEAD.len() - 1) as u16, &table)?;
        for (c, (_, w)) in HEAD.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }

        // Charts beside the table: money by department (the 20 largest), findings by rule.
        let shown = departments.len().min(20) as u32;
        let chart_font = ChartFont::new().set_name("宋体").clone();
        if shown > 0 {
            let mut chart = Chart::new(ChartType::Bar);
            chart
                .add_series()
                .set_categories((SHEET_OVERVIEW, first + 1, 1, first + shown, 1))
                .set_values((SHEET_OVERVIEW, first + 1, 4, first + shown, 4))
                .set_name("年度资金/万元");
            let title = if departments.len() > 20 {
                "年度资金最多的 20 个部门（万元）"
            } else {
                "各部门年度资金（万元）"
            };
            chart.title().set_name(title).set_font(&chart_font);
            chart.legend().set_hidden();
            chart.x_axis().set_font(&chart_font);
            chart.y_axis().set_font(&chart_font).set_reverse();
            chart.set_width(560).set_height(320 + 12 * shown);
            ws.insert_chart(first, 9, &chart)?;
        }
        let rules_shown = rule_count.min(15) as u32;
        if rules_shown > 0 {
            let mut chart = Chart::new(ChartType::Bar);
            chart
                .add_series()
                .set_categories((SHEET_RULES, 1, 1, rules_shown, 1))
                .set_values((SHEET_RULES, 1, 4, rules_shown, 4))
                .set_name("条数");
            chart
                .title()
                .set_name(if rule_count > 15 {
                    "问题最多的 15 条规则（条）"
                } else {
                    "问题条数（按规则）"
                })
                .set_font(&chart_font);
            chart.legend().set_hidden();
            chart.x_axis().set_font(&chart_font);
            chart.y_axis().set_font(&chart_font).set_reverse();
            chart.set_width(560).set_height(260 + 14 * rules_shown);
            // Below the first chart (rows of about 20 px; LibreOffice draws them a little lower).
            let below = first + (320 + 12 * shown).div_ceil(24) + 1;
            ws.insert_chart(if shown > 0 { below } else { first }, 9, &chart)?;
        }
        ws.set_freeze_panes(first + 1, 0)?;
        print_setup(ws, first)?;
        ws.set_active(true);
        Ok(())
    }

    fn write_tables(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let mut head: Vec<(String, f64)> = [
            ("序号", 6.0),
            ("部门", 24.0),
            ("项目", 28.0),
            ("类型", 8.0),
            ("属性", 11.0),
            ("类别", 10.0),
            ("年份", 7.0),
        ]
        .iter()
        .map(|(h, w)| ((*h).to_string(), *w))
        .collect();
        let first_amount = head.len();
        head.extend(AMOUNTS.iter().map(|(h, _)| ((*h).to_string(), 12.0)));
        let after_amounts = head.len();
        head.extend(
            [
                ("资金明细（原表各行）", 40.0),
                ("指标数", 7.0),
                ("错误", 6.0),
                ("警告", 6.0),
                ("提示", 6.0),
                ("建议等级", 8.0),
                ("得分", 6.0),
                ("文件", 30.0),
                ("工作表", 16.0),
                ("位置", 10.0),
            ]
            .iter()
            .map(|(h, w)| ((*h).to_string(), *w)),
        );
        let counts_at = after_amounts + 1;
        for (i, r) in self.rows.iter().enumerate() {
            let row = 1 + i as u32;
            ws.write_number(row, 0, (i + 1) as f64)?;
            let texts = [
                &r.department,
                &r.project,
                &kind_label(r.kind).to_string(),
                &r.attribute,
                &r.category,
            ];
            for (k, s) in texts.iter().enumerate() {
                ws.write_string(row, 1 + k as u16, cell_text(s))?;
            }
            if let Some(y) = r.year {
                ws.write_number(row, 6, f64::from(y))?;
            }
            for (k, a) in r.amounts.iter().enumerate() {
                if let Some(d) = a {
                    ws.write_number(row, (first_amount + k) as u16, to_f64(*d))?;
                }
            }
            ws.write_string(row, after_amounts as u16, cell_text(&r.lines))?;
            let nums = [
                r.indicators,
                r.counts.error,
                r.counts.warning,
                r.counts.info,
            ];
            for (k, v) in nums.iter().enumerate() {
                ws.write_number(row, (counts_at + k) as u16, *v as f64)?;
            }
            let g = counts_at + 4;
            if let Some(grade) = &r.grade {
                ws.write_string(row, g as u16, &grade.grade)?;
                ws.write_number(row, g as u16 + 1, f64::from(grade.score))?;
            }
            ws.write_string(row, g as u16 + 2, cell_text(&r.file))?;
            ws.write_string(row, g as u16 + 3, cell_text(&r.sheet))?;
            ws.write_string(row, g as u16 + 4, cell_text(&r.range))?;
            let texts: [(&str, usize); 8] = [
                (&r.department, 1),
                (&r.project, 2),
                (&r.attribute, 4),
                (&r.category, 5),
                (&r.lines, after_amounts),
                (&r.file, g + 2),
                (&r.sheet, g + 3),
                (&r.range, g + 4),
            ];
            fit_row(ws, row, texts.iter().map(|(t, c)| (*t, head[*c].1)))?;
        }
        let n = self.rows.len();
        let money = money_format();
        let count = count_format();
        let columns: Vec<TableColumn> = head
            .iter()
            .enumerate()
            .map(|(c, (h, _))| {
                let col = TableColumn::new()
                    .set_header_format(head_format())
                    .set_header(h.as_str());
                if c == 0 {
                    col.set_total_label("总计").set_format(count.clone())
                } else if (first_amount..after_amounts).contains(&c) {
                    let k = c - first_amount;
                    let sum: Decimal = self.rows.iter().filter_map(|r| r.amounts[k]).sum();
                    col.set_total_function(subtotal(h, &money_text(sum)))
                        .set_format(money.clone())
                } else if (counts_at..counts_at + 4).contains(&c) {
                    let k = c - counts_at;
                    let sum: usize = self
                        .rows
                        .iter()
                        .map(|r| {
                            [
                                r.indicators,
                                r.counts.error,
                                r.counts.warning,
                                r.counts.info,
                            ][k]
                        })
                        .sum();
                    col.set_total_function(subtotal(h, &sum.to_string()))
                        .set_format(count.clone())
                } else if c == 6 || c == counts_at + 5 {
                    col.set_format(count.clone())
                } else {
                    col.set_format(text_format())
                }
            })
            .collect();
        let table = XlTable::new()
            .set_name("项目明细")
            .set_columns(&columns)
            .set_total_row(true);
        let last = n.max(1) as u32 + 1;
        ws.add_table(0, 0, last, (head.len() - 1) as u16, &table)?;
        for (c, (_, w)) in head.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 3)?;
        print_setup(ws, 0)
    }

    fn write_issues(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        const HEAD: &[(&str, f64)] = &[
            ("序号", 6.0),
            ("级别", 6.0),
            ("规则", 24.0),
            ("规则名称", 16.0),
            ("部门", 22.0),
            ("项目", 24.0),
            ("文件", 26.0),
            ("工作表", 14.0),
            ("单元格", 7.0),
            ("问题", 60.0),
            ("发现", 18.0),
            ("应为", 18.0),
        ];
        let sev_formats: HashMap<Severity, Format> =
            [Severity::Error, Severity::Warning, Severity::Info]
                .into_iter()
                .map(|s| {
                    let (fill, font) = crate::write::issues::severity_colors(s);
                    (
                        s,
                        text_format()
                            .set_background_color(fill)
                            .set_font_color(font)
                            .set_align(FormatAlign::Center),
                    )
                })
                .collect();
        let mut order: Vec<&Finding> = self.findings.iter().collect();
        // By department, then file order (stable), worst first within a table.
        order.sort_by(|a, b| {
            dept_key(a)
                .cmp(dept_key(b))
                .then_with(|| a.table.cmp(&b.table))
                .then_with(|| a.severity.cmp(&b.severity))
        });
        for (i, f) in order.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_number(r, 0, (i + 1) as f64)?;
            if let Some(fmt) = sev_formats.get(&f.severity) {
                ws.write_string_with_format(r, 1, f.severity.label(), fmt)?;
            }
            let cells = [
                f.rule.clone(),
                f.rule_name.clone(),
                dept_key(f).to_string(),
                f.project.clone(),
                f.file.clone(),
                f.sheet.clone(),
                f.cell.map(|c| c.to_string()).unwrap_or_default(),
                f.message.clone(),
                f.found.clone().unwrap_or_default(),
                f.expected.clone().unwrap_or_default(),
            ];
            for (k, s) in cells.iter().enumerate() {
                if !s.is_empty() {
                    ws.write_string(r, 2 + k as u16, cell_text(s))?;
                }
            }
            fit_row(
                ws,
                r,
                cells
                    .iter()
                    .enumerate()
                    .map(|(k, s)| (s.as_str(), HEAD[2 + k].1)),
            )?;
        }
        let columns: Vec<TableColumn> = HEAD
            .iter()
            .enumerate()
            .map(|(c, (h, _))| {
                let col = TableColumn::new()
                    .set_header_format(head_format())
                    .set_header(*h);
                match c {
                    0 => col.set_format(count_format()),
                    1 => col,
                    _ => col.set_format(text_format()),
                }
            })
            .collect();
        let table = XlTable::new().set_name("问题清单").set_columns(&columns);
        let last = order.len().max(1) as u32;
        ws.add_table(0, 0, last, (HEAD.len() - 1) as u16, &table)?;
        for (c, (_, w)) in HEAD.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 2)?;
        print_setup(ws, 0)
    }

    fn write_failed(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let columns = [
            TableColumn::new()
                .set_header_format(head_format())
                .set_header("序号")
                .set_format(count_format()),
            TableColumn::new()
                .set_header_format(head_format())
                .set_header("文件")
                .set_format(text_format()),
            TableColumn::new()
                .set_header_format(head_format())
                .set_header("无法读取的原因")
                .set_format(text_format()),
        ];
        for (i, (file, reason)) in self.failed.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_number(r, 0, (i + 1) as f64)?;
            ws.write_string(r, 1, cell_text(file))?;
            ws.write_string(r, 2, cell_text(reason))?;
            fit_row(ws, r, [(file.as_str(), 40.0), (reason.as_str(), 80.0)])?;
        }
        let table = XlTable::new().set_name("读取失败").set_columns(&columns);
        ws.add_table(0, 0, self.failed.len().max(1) as u32, 2, &table)?;
        for (c, w) in [6.0, 40.0, 80.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_tab_color(Color::RGB(0xC00000));
        ws.set_freeze_panes(1, 0)?;
        print_setup(ws, 0)
    }
}

fn write_rules(ws: &mut Worksheet, rules: &[RuleRow]) -> Result<(), XlsxError> {
    const HEAD: &[(&str, f64)] = &[
        ("序号", 6.0),
        ("规则", 30.0),
        ("规则名称", 24.0),
        ("级别", 7.0),
        ("条数", 8.0),
    ];
    for (i, r) in rules.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string(row, 1, cell_text(&r.rule))?;
        ws.write_string(row, 2, cell_text(&r.name))?;
        ws.write_string(row, 3, r.severity.label())?;
        ws.write_number(row, 4, r.count as f64)?;
    }
    let total: usize = rules.iter().map(|r| r.count).sum();
    let columns: Vec<TableColumn> = HEAD
        .iter()
        .enumerate()
        .map(|(c, (h, _))| {
            let col = TableColumn::new()
                .set_header_format(head_format())
                .set_header(*h);
            match c {
                0 => col.set_total_label("总计").set_format(count_format()),
                4 => col
                    .set_total_function(subtotal(h, &total.to_string()))
                    .set_format(count_format()),
                _ => col.set_format(text_format()),
            }
        })
        .collect();
    let table = XlTable::new()
        .set_name("按规则")
        .set_columns(&columns)
        .set_total_row(true);
    ws.add_table(0, 0, rules.len().max(1) as u32 + 1, 4, &table)?;
    for (c, (_, w)) in HEAD.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, 0)
}

fn dept_key(f: &Finding) -> &str {
    if f.department.trim().is_empty() {
        NO_DEPARTMENT
    } else {
        f.department.trim()
    }
}

fn kind_label(k: TableKind) -> &'static str {
    match k {
        TableKind::Project => "项目",
        TableKind::Department => "部门整体",
    }
}

/// Free text for a cell: quoted when the reader would take it for a form label, cut at
/// Excel's limit.
fn cell_text(s: &str) -> String {
    let guarded = guard_label(s);
    cut_utf16(&guarded, crate::write::form::MAX_CELL_TEXT)
        .0
        .to_string()
}

/// Sets a row's height to fit its wrapped texts, each with its column's width.
fn fit_row<'a>(
    ws: &mut Worksheet,
    row: u32,
    texts: impl IntoIterator<Item = (&'a str, f64)>,
) -> Result<(), XlsxError> {
    let lines = texts
        .into_iter()
        .map(|(t, w)| measure::lines(t, SIZE, false, measure::col_px(w)))
        .max()
        .unwrap_or(1)
        .max(1);
    ws.set_row_height(row, measure::height_for_lines(lines, SIZE).max(15.0))?;
    Ok(())
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn money_text(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// A totals-row formula with its result, so that readers that do not calculate show it.
fn subtotal(header: &str, result: &str) -> TableFunction {
    TableFunction::Custom(Formula::new(format!("SUBTOTAL(109,[{header}])")).set_result(result))
}

const SIZE: f64 = 10.0;

fn base() -> Format {
    Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(SIZE)
        .set_align(FormatAlign::VerticalCenter)
}

fn head_format() -> Format {
    base()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xD9E1F2))
}

fn text_format() -> Format {
    base().set_text_wrap().set_border(FormatBorder::Thin)
}

fn money_format() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.00")
}

fn count_format() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_num_format("0")
}

fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::labels::Labels;

    #[test]
    fn headers_are_not_form_labels() {
        let words = [
            "序号",
            "部门",
            "项目",
            "类型",
            "属性",
            "类别",
            "年份",
            "资金明细（原表各行）",
            "指标数",
            "建议等级",
            "得分",
            "文件",
            "工作表",
            "位置",
            "级别",
            "规则",
            "规则名称",
            "单元格",
            "问题",
            "发现",
            "应为",
            "表数",
            "条数",
            "总计",
            "全地区总计",
            "无法读取的原因",
            "绩效表汇总",
        ];
        for h in words.iter().chain(AMOUNTS.iter().map(|(h, _)| h)) {
            assert!(Labels::builtin().lookup(h).is_none(), "{h}");
        }
    }

    fn table(name: &str, dept: &str, file: &str, annual: i64, value: &str) -> Table {
        let mut t = Table::default();
        t.project.name = name.into();
        t.project.department = dept.into();
        t.year = Some(2026);
        t.funding.annual_total = Some(Decimal::new(annual, 2));
        t.source.file = file.into();
        t.source.sheet = "Sheet1".into();
        t.indicators.push(crate::model::Indicator {
            name: "完成率".into(),
            value: crate::model::Value {
                raw: value.into(),
                ..Default::default()
            },
            cell: Some(CellRef::new(11, 4)),
            ..Default::default()
        });
        t
    }

    fn doc(tables: Vec<Table>) -> Document {
        Document {
            tables,
            ..Document::default()
        }
    }

    #[test]
    fn departments_and_totals_add_up() {
        let mut s = Summary::new();
        s.add_file(
            "a.xlsx",
            &doc(vec![
                table("甲", "一厅", "a.xlsx", 1000, "≥90%"),
                table("乙", "二厅", "a.xlsx", 250, "≥90%"),
            ]),
            &[],
        );
        s.add_file(
            "b.xlsx",
            &doc(vec![table("丙", "一厅", "b.xlsx", 125, "≥90%")]),
            &[],
        );
        let d = s.departments();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].department, "一厅");
        assert_eq!(d[0].tables, 2);
        assert_eq!(d[0].annual, Decimal::new(1125, 2));
        assert_eq!(s.totals().annual, Decimal::new(1375, 2));
        assert!(s.findings.is_empty());
    }

    #[test]
    fn the_same_project_in_two_files_and_its_differing_indicator() {
        let mut s = Summary::new();
        s.add_file(
            "a.xlsx",
            &doc(vec![table("甲项目", "一厅", "a.xlsx", 1000, "≥90%")]),
            &[],
        );
        // Same file twice: the checker's own rule covers it, nothing here.
        s.add_file(
            "b.xlsx",
            &doc(vec![table("甲 项目", "一厅", "b.xlsx", 1000, "≥95%")]),
            &[],
        );
        let rules: Vec<&str> = s.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, [DUPLICATE_PROJECT.0, INDICATOR_DIFFERS.0]);
        let f = &s.findings[1];
        assert_eq!(f.table, Some(1));
        assert_eq!(f.file, "b.xlsx");
        assert_eq!(f.expected.as_deref(), Some("≥90%"));
        assert!(f.message.contains("a.xlsx"), "{}", f.message);
        assert_eq!(s.rows[1].counts.warning, 2);
        assert_eq!(s.rows[0].counts.warning, 0);
    }

    #[test]
    fn the_workbook_is_not_read_as_tables() {
        let mut s = Summary::new();
        let mut t = table("项目名称", "主管部门", "a.xlsx", 100, "≥90%");
        t.project.attribute = "项目属性".into();
        s.add_file("a.xlsx", &doc(vec![t]), &[]);
        s.add_failure("坏.xlsx", "不是电子表格文件");
        let bytes = s.render().unwrap_or_else(|e| panic!("{e}"));
        let r = crate::read::read_bytes(std::path::Path::new("汇总.xlsx"), &bytes);
        assert!(
            matches!(r, Err(crate::Error::NoTable { .. })),
            "{:?}",
            r.map(|d| d.tables.len())
        );
    }
}
