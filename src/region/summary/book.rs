//! The 汇总 workbook: 汇总 (the region in one line, departments, charts), 项目明细 (one row per
//! table), 问题清单, 按规则 and 读取失败, as real Excel tables printed on A4 landscape.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, Color, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, Table as XlTable, TableColumn, TableFunction, Workbook, Worksheet,
    XlsxError,
};

use crate::model::{Finding, TableKind};
use crate::write::measure::{self, cut_utf16};
use crate::write::names::guard_label;

use super::*;

impl Summary {
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
        self.write_overview(ws, &departments, &rules)?;
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_TABLES)?;
        self.write_tables(ws)?;
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_ISSUES)?;
        self.write_issues(ws)?;
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_RULES)?;
        write_rules(ws, &rules)?;
        if self.has_results() {
            let ws = wb.add_worksheet();
            ws.set_name(selfeval::SHEET_RESULTS)?;
            self.write_results(ws)?;
        }
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
        rules: &[RuleRow],
    ) -> Result<(), XlsxError> {
        let totals = self.totals();
        self.write_headline(ws, departments, &totals)?;
        // The department table's header row; its rows, then a total row.
        let first = 3u32;
        let n = write_departments(ws, departments, &totals, first)?;
        write_charts(ws, departments, rules, first, first + n + 3)?;
        ws.set_freeze_panes(first + 1, 0)?;
        print_setup(ws, first)?;
        ws.set_active(true);
        Ok(())
    }

    /// The title and the region in one line.
    fn write_headline(
        &self,
        ws: &mut Worksheet,
        departments: &[DepartmentRow],
        totals: &DepartmentRow,
    ) -> Result<(), XlsxError> {
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
            "读取 {} 个文件{failed}，{} 张表{}，{} 个部门；年度资金合计 {}，项目总额合计 {}；问题：错误 {}，警告 {}，提示 {}",
            self.files.len(),
            totals.tables,
            self.set_aside_text(),
            departments.len(),
            DepartmentRow::sum_text(totals.annual, totals.annual_missing),
            DepartmentRow::sum_text(totals.total, totals.total_missing),
            totals.counts.error,
            totals.counts.warning,
            totals.counts.info
        );
        // Across the table's width, wrapped: it prints within the page.
        let wrap = base().set_text_wrap().set_align(FormatAlign::Top);
        ws.merge_range(1, 0, 1, 7, &line, &wrap)?;
        let width: f64 = HEAD.iter().map(|(_, w)| w).sum();
        fit_row(ws, 1, [(line.as_str(), width)])?;
        Ok(())
    }

    fn write_tables(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        /// What a column holds.
        #[derive(Clone, Copy)]
        enum Col {
            Index,
            Text(fn(&TableRow) -> &str),
            Year,
            Amount(usize),
            Count(fn(&TableRow) -> usize),
            Grade,
            Score,
        }
        let kind = |r: &TableRow| kind_label(r.kind);
        // The columns a reviewer reads come first and are the print area (one A4 landscape
        // page wide at full size); the rest are on screen only.
        let mut cols: Vec<(&str, f64, Col)> = vec![
            ("序号", 5.0, Col::Index),
            ("部门", 16.0, Col::Text(|r| &r.department)),
            ("项目", 22.0, Col::Text(|r| &r.project)),
            ("年份", 6.0, Col::Year),
            (AMOUNTS[TOTAL].0, 12.0, Col::Amount(TOTAL)),
            (AMOUNTS[ANNUAL].0, 12.0, Col::Amount(ANNUAL)),
            ("指标数", 6.0, Col::Count(|r| r.indicators)),
            ("错误", 5.0, Col::Count(|r| r.counts.error)),
            ("警告", 5.0, Col::Count(|r| r.counts.warning)),
            ("提示", 5.0, Col::Count(|r| r.counts.info)),
            ("建议等级", 6.0, Col::Grade),
        ];
        let printed = cols.len();
        cols.extend([
            ("文件", 30.0, Col::Text(|r| &r.file)),
            ("工作表", 16.0, Col::Text(|r| &r.sheet)),
            ("类型", 8.0, Col::Text(kind)),
            ("属性", 11.0, Col::Text(|r| &r.attribute)),
            ("类别", 10.0, Col::Text(|r| &r.category)),
        ]);
        for (k, (h, _)) in AMOUNTS.iter().enumerate() {
            if k != TOTAL && k != ANNUAL {
                cols.push((h, 12.0, Col::Amount(k)));
            }
        }
        cols.extend([
            ("资金明细（原表各行）", 40.0, Col::Text(|r| &r.lines)),
            ("得分", 6.0, Col::Score),
            ("表样配置", 24.0, Col::Text(|r| &r.profile)),
            ("位置", 10.0, Col::Text(|r| &r.range)),
        ]);
        let rows: Vec<&TableRow> = self.counted().collect();
        for (i, r) in rows.iter().enumerate() {
            let row = 1 + i as u32;
            let mut texts: Vec<(&str, f64)> = Vec::new();
            for (c, (_, w, col)) in cols.iter().enumerate() {
                let c = c as u16;
                match *col {
                    Col::Index => {
                        ws.write_number(row, c, (i + 1) as f64)?;
                    }
                    Col::Text(get) => {
                        let t = get(r);
                        ws.write_string(row, c, cell_text(t))?;
                        // Rows are sized for what prints.
                        if usize::from(c) < printed {
                            texts.push((t, *w));
                        }
                    }
                    Col::Year => {
                        if let Some(y) = r.year {
                            ws.write_number(row, c, f64::from(y))?;
                        }
                    }
                    Col::Amount(k) => {
                        match r.amounts[k] {
                            Some(d) => ws.write_number(row, c, to_f64(d))?,
                            None => ws.write_blank(row, c, &money_format())?,
                        };
                    }
                    Col::Count(get) => {
                        ws.write_number(row, c, get(r) as f64)?;
                    }
                    Col::Grade => {
                        if let Some(g) = &r.grade {
                            ws.write_string(row, c, &g.grade)?;
                        }
                    }
                    Col::Score => {
                        if let Some(g) = &r.grade {
                            ws.write_number(row, c, f64::from(g.score))?;
                        }
                    }
                }
            }
            fit_row(ws, row, texts)?;
        }
        let n = rows.len().max(1) as u32;
        let money = money_format();
        let count = count_format();
        let columns: Vec<TableColumn> = cols
            .iter()
            .enumerate()
            .map(|(c, (h, _, col))| {
                let tc = TableColumn::new()
                    .set_header_format(head_format())
                    .set_header(*h);
                let at = c as u16;
                match *col {
                    Col::Index => tc.set_total_label("总计").set_format(count.clone()),
                    Col::Amount(k) => {
                        let sum: Decimal = rows.iter().filter_map(|r| r.amounts[k]).sum();
                        tc.set_total_function(subtotal(at, 1, n, &money_text(sum)))
                            .set_format(money.clone())
                    }
                    Col::Count(get) => {
                        let sum: usize = rows.iter().map(|r| get(r)).sum();
                        tc.set_total_function(subtotal(at, 1, n, &sum.to_string()))
                            .set_format(count.clone())
                    }
                    Col::Year | Col::Score => tc.set_format(count.clone()),
                    Col::Grade => tc.set_format(count.clone()),
                    Col::Text(_) => tc.set_format(text_format()),
                }
            })
            .collect();
        let table = XlTable::new()
            .set_name("项目明细")
            .set_columns(&columns)
            .set_total_row(true);
        ws.add_table(0, 0, n + 1, (cols.len() - 1) as u16, &table)?;
        for (c, (_, w, _)) in cols.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 3)?;
        print_setup(ws, 0)?;
        ws.set_print_area(0, 0, n + 1, (printed - 1) as u16)?;
        Ok(())
    }

    fn write_issues(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        // The columns a reviewer reads first (the print area, one A4 landscape page wide at
        // full size); the rule id, file, sheet, found and expected on screen only.
        const HEAD: &[(&str, f64)] = &[
            ("序号", 5.0),
            ("级别", 5.0),
            ("规则名称", 14.0),
            ("部门", 14.0),
            ("项目", 16.0),
            ("单元格", 6.0),
            ("问题", 40.0),
            ("规则", 24.0),
            ("文件", 26.0),
            ("工作表", 14.0),
            ("发现", 18.0),
            ("应为", 18.0),
        ];
        const PRINTED: usize = 7;
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
        let order = self.issues_in_order();
        for (i, f) in order.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_number(r, 0, (i + 1) as f64)?;
            if let Some(fmt) = sev_formats.get(&f.severity) {
                ws.write_string_with_format(r, 1, f.severity.label(), fmt)?;
            }
            let name = if f.rule_name.is_empty() {
                f.rule.clone()
            } else {
                f.rule_name.clone()
            };
            let cells = [
                name,
                dept_key(f).to_string(),
                f.project.clone(),
                f.cell.map(|c| c.to_string()).unwrap_or_default(),
                f.message.clone(),
                f.rule.clone(),
                f.file.clone(),
                f.sheet.clone(),
                f.found.clone().unwrap_or_default(),
                f.expected.clone().unwrap_or_default(),
            ];
            for (k, s) in cells.iter().enumerate() {
                if !s.is_empty() {
                    ws.write_string(r, 2 + k as u16, cell_text(s))?;
                }
            }
            // Rows are sized for what prints.
            fit_row(
                ws,
                r,
                cells
                    .iter()
                    .enumerate()
                    .take(PRINTED - 2)
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
        print_setup(ws, 0)?;
        ws.set_print_area(0, 0, last, (PRINTED - 1) as u16)?;
        Ok(())
    }

    /// The findings as 问题清单 lists them: errors, then warnings, then notices; within each,
    /// by table (in input order; findings about a file, not a table, after) and cell.
    pub(crate) fn issues_in_order(&self) -> Vec<&Finding> {
        let mut order: Vec<&Finding> = self.findings.iter().collect();
        order.sort_by_key(|f| crate::check::report_order(f));
        order
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

pub(super) fn write_rules(ws: &mut Worksheet, rules: &[RuleRow]) -> Result<(), XlsxError> {
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
                    .set_total_function(subtotal(
                        4,
                        1,
                        rules.len().max(1) as u32,
                        &total.to_string(),
                    ))
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

pub(super) fn dept_key(f: &Finding) -> &str {
    if f.department.trim().is_empty() {
        NO_DEPARTMENT
    } else {
        f.department.trim()
    }
}

pub(super) fn kind_label(k: TableKind) -> &'static str {
    match k {
        TableKind::Project => "项目",
        TableKind::Department => "部门整体",
    }
}

/// Free text for a cell: quoted when the reader would take it for a form label, cut at
/// Excel's limit.
pub(super) fn cell_text(s: &str) -> String {
    let guarded = guard_label(s);
    cut_utf16(&guarded, crate::write::form::MAX_CELL_TEXT)
        .0
        .to_string()
}

/// Sets a row's height to fit its wrapped texts, each with its column's width.
pub(super) fn fit_row<'a>(
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

pub(super) fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

pub(super) fn money_text(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// A totals-row formula over column `col`'s data rows (`first..=last`), with its result, so
/// that readers that do not calculate show it. A plain cell range, not a structured reference
/// (`[表数]`), which Gnumeric cannot parse.
pub(super) fn subtotal(col: u16, first: u32, last: u32, result: &str) -> TableFunction {
    let range = rust_xlsxwriter::utility::cell_range(first, col, last.max(first), col);
    TableFunction::Custom(Formula::new(format!("SUBTOTAL(109,{range})")).set_result(result))
}

pub(super) const SIZE: f64 = 10.0;

/// The width of each overview chart, in px: two side by side fit an A4 landscape page.
const CHART_WIDTH: u32 = 400;

pub(super) fn base() -> Format {
    Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(SIZE)
        .set_align(FormatAlign::VerticalCenter)
}

pub(super) fn head_format() -> Format {
    base()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xD9E1F2))
}

pub(super) fn text_format() -> Format {
    base().set_text_wrap().set_border(FormatBorder::Thin)
}

pub(super) fn money_format() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.00")
}

pub(super) fn count_format() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_num_format("0")
}

pub(super) fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// 汇总's department table: its columns and their widths.
const HEAD: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("部门", 26.0),
    ("表数", 8.0),
    ("项目总额/万元", 13.0),
    ("年度资金/万元", 13.0),
    ("错误", 6.0),
    ("警告", 6.0),
    ("提示", 6.0),
];

/// One row per department from row `first + 1`, as an Excel table with a total row; the rows
/// it takes (at least one).
fn write_departments(
    ws: &mut Worksheet,
    departments: &[DepartmentRow],
    totals: &DepartmentRow,
    first: u32,
) -> Result<u32, XlsxError> {
    let n = departments.len().max(1) as u32;
    let money = money_format();
    let count = count_format();
    for (i, d) in departments.iter().enumerate() {
        let r = first + 1 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, cell_text(&d.department))?;
        ws.write_number(r, 2, d.tables as f64)?;
        // A department none of whose tables prints the amount: blank, never 0.00.
        for (c, sum) in [(3, d.total), (4, d.annual)] {
            match sum {
                Some(sum) => ws.write_number(r, c, to_f64(sum))?,
                None => ws.write_blank(r, c, &money)?,
            };
        }
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
        Some(money_text(totals.total.unwrap_or_default())),
        Some(money_text(totals.annual.unwrap_or_default())),
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
                    .set_total_function(subtotal(c as u16, first + 1, first + n, r))
                    .set_format(money.clone()),
                (_, Some(r)) => col
                    .set_total_function(subtotal(c as u16, first + 1, first + n, r))
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

    Ok(n)
}

/// Charts below the department table (header row `first`) at row `charts_at` (so that the page
/// prints at full size): money by department (the 20 largest), errors and warnings by rule.
fn write_charts(
    ws: &mut Worksheet,
    departments: &[DepartmentRow],
    rules: &[RuleRow],
    first: u32,
    charts_at: u32,
) -> Result<(), XlsxError> {
    // The charts start a page of their own when they would not fit below the table (rows
    // of about 22 px; an A4 landscape page holds about 690 px at full size).
    let chart_px =
        (320 + 12 * departments.len().min(20) as u32).max(260 + 14 * rules.len().min(15) as u32);
    if charts_at * 22 + chart_px > 690 {
        ws.set_page_breaks(&[charts_at - 1])?;
    }
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
        chart.set_width(CHART_WIDTH).set_height(320 + 12 * shown);
        ws.insert_chart(charts_at, 0, &chart)?;
    }
    // 按规则 lists errors, then warnings, then notices: the chart takes the first rows, by
    // the rules' Chinese names, notices left out.
    let rules_shown = rules
        .iter()
        .filter(|r| r.severity <= Severity::Warning)
        .count()
        .min(15) as u32;
    let problem_rules = rules
        .iter()
        .filter(|r| r.severity <= Severity::Warning)
        .count();
    if rules_shown > 0 {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories((SHEET_RULES, 1, 2, rules_shown, 2))
            .set_values((SHEET_RULES, 1, 4, rules_shown, 4))
            .set_name("条数");
        chart
            .title()
            .set_name(if problem_rules > 15 {
                "错误和警告最多的 15 条规则（条）"
            } else {
                "错误和警告（按规则，条）"
            })
            .set_font(&chart_font);
        chart.legend().set_hidden();
        chart.x_axis().set_font(&chart_font);
        chart.y_axis().set_font(&chart_font).set_reverse();
        chart
            .set_width(CHART_WIDTH)
            .set_height(260 + 14 * rules_shown);
        // Beside the first chart: both print side by side on one page width.
        let x = if shown > 0 { CHART_WIDTH + 10 } else { 0 };
        ws.insert_chart_with_offset(charts_at, 0, &chart, x, 0)?;
    }
    Ok(())
}
