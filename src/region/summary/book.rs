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
            "读取 {} 个文件{failed}，{} 张表，{} 个部门；年度资金合计 {}，项目总额合计 {}；问题：错误 {}，警告 {}，提示 {}",
            self.files.len(),
            totals.tables,
            departments.len(),
            DepartmentRow::sum_text(totals.annual, totals.annual_missing),
            DepartmentRow::sum_text(totals.total, totals.total_missing),
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
            // A department none of whose tables prints the amount: blank, never 0.00.
            for (c, sum) in [(3, d.total), (4, d.annual)] {
                if let Some(sum) = sum {
                    ws.write_number(r, c, to_f64(sum))?;
                }
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

/// A totals-row formula with its result, so that readers that do not calculate show it.
pub(super) fn subtotal(header: &str, result: &str) -> TableFunction {
    TableFunction::Custom(Formula::new(format!("SUBTOTAL(109,[{header}])")).set_result(result))
}

pub(super) const SIZE: f64 = 10.0;

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
