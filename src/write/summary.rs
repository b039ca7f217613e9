//! The 汇总 sheet: a title, the unit and date line, one row per table, a totals row with
//! formulas.
//!
//! ```text
//!  | 2026年项目支出绩效表汇总 (A:M)                                                         |
//!  | 金额单位：万元                                                 制表日期：2026年12月1日 |
//!  | 序号 | 项目 | 部门 | 属性 | 项目总额/万元 | 年度资金/万元 | 本级资金/万元 | 转移资金/万元 | 指标数 | 错误 | 警告 | 提示 | 建议等级 | 来源 | 工作表 |
//!  | 1   | 宁夏网络安全服务项目 | … | 经常性项目 | 45.00 | 45.00 | 45.00 | 0.00 | 13 | 0 | 0 | 3 | 优 95分 | 文件.xlsx 「网络安全服务」| → 网络安全服务 |
//!  |     | 总计 |   |   | =SUM(E4:E13) …                                                                 |
//! ```
//!
//! Printed on A4 landscape, one page wide at full size: the columns up to 来源 are printed
//! (the 工作表 links work on screen only), the header row repeats on every page. The totals
//! carry their computed results (`Formula::set_result`), so that readers that do not
//! calculate (calamine, previews, PDF export) show the right numbers. The headers avoid the
//! form's labels (`项目总额/万元`, not `项目总额（万元）`), so the reader never takes this sheet
//! for a table.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, FormatUnderline, Formula, Url, Worksheet, XlsxError,
};

use crate::cell::col_name;
use crate::model::Document;

use super::names::{guard_label, internal_link};
use super::{measure, Date, Located, SeverityCounts};

/// The columns: header and width.
pub(crate) const COLUMNS: &[(&str, f64)] = &[
    ("序号", 5.0),
    ("项目", 19.0),
    ("部门", 16.0),
    ("属性", 10.0),
    ("项目总额/万元", 10.0),
    ("年度资金/万元", 10.0),
    ("本级资金/万元", 10.0),
    ("转移资金/万元", 10.0),
    ("指标数", 6.0),
    ("错误", 5.0),
    ("警告", 5.0),
    ("提示", 5.0),
    ("建议等级", 10.0),
    ("来源", 18.0),
    ("工作表", 20.0),
];

/// Column of the suggested grade.
pub(crate) const GRADE_COL: u16 = 12;
/// Column of the source.
pub(crate) const SOURCE_COL: u16 = 13;
/// Column of the link to the form sheet (not printed).
pub(crate) const LINK_COL: u16 = 14;
/// The last printed column.
pub(crate) const LAST_PRINTED_COL: u16 = SOURCE_COL;

/// Rows above the header: the title and the unit/date line.
pub(crate) const HEADER_ROW: u32 = 2;

/// The label of the totals row.
pub(crate) const TOTAL_LABEL: &str = "总计";
/// The unit line.
pub(crate) const UNIT_LINE: &str = "金额单位：万元";

const FONT: &str = "宋体";
const SIZE: f64 = 10.0;

fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_charset(134)
        .set_font_size(SIZE)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
}

/// The sheet's title: with the tables' year when they share one.
pub fn title(doc: &Document) -> String {
    let mut years: Vec<i32> = doc.tables.iter().filter_map(|t| t.year).collect();
    years.sort_unstable();
    years.dedup();
    match years.as_slice() {
        [y] => format!("{y}年绩效表汇总"),
        _ => "绩效表汇总".to_string(),
    }
}

/// A file's name without its folders, whichever separator the path was written with
/// (`/home/u/甲.xlsx`, `C:\Users\u\甲.xlsx` → `甲.xlsx`).
pub fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\'])
        .find(|p| !p.is_empty())
        .unwrap_or(path)
        .to_string()
}

/// A source file and sheet as printed: the file's name, not its folders.
pub(crate) fn source_text(file: &str, sheet: &str) -> String {
    let name = file_name(file);
    if sheet.is_empty() {
        name
    } else {
        format!("{name}\n「{sheet}」")
    }
}

/// Writes the sheet: `sheets` are the form sheets' names in table order; `date` is printed
/// on the unit line when given.
///
/// # Errors
/// When rust_xlsxwriter rejects a cell.
pub fn write(
    ws: &mut Worksheet,
    doc: &Document,
    sheets: &[String],
    findings: &[Located],
    date: Option<Date>,
) -> Result<(), XlsxError> {
    let f = Formats::new();
    write_heading(ws, doc, date, &f)?;
    let mut totals = Totals::default();
    for (i, t) in doc.tables.iter().enumerate() {
        let sheet = sheets.get(i).map_or("", String::as_str);
        write_row(ws, i, t, sheet, findings, &f, &mut totals)?;
    }
    let n = doc.tables.len() as u32;
    // Totals: formulas with their results (none without tables: the sum would refer to itself).
    // File-level findings (not about one table) are counted in the 问题清单 only.
    if n > 0 {
        write_totals(ws, n, &totals, &f)?;
    }
    finish(ws, n)
}

/// The sheet's cell formats.
struct Formats {
    head: Format,
    text: Format,
    center: Format,
    money: Format,
    count: Format,
    link: Format,
    /// Title and unit line: no borders.
    plain: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            head: base()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9D9D9)),
            text: base(),
            center: base().set_align(FormatAlign::Center),
            money: base().set_align(FormatAlign::Right).set_num_format("0.00"),
            count: base().set_align(FormatAlign::Center).set_num_format("0"),
            link: base()
                .set_font_color(Color::Blue)
                .set_underline(FormatUnderline::Single),
            plain: Format::new()
                .set_font_name(FONT)
                .set_font_charset(134)
                .set_font_size(SIZE)
                .set_align(FormatAlign::VerticalCenter),
        }
    }
}

/// What the total row sums: the four amounts (`None` while no table prints one: the 合计 cell
/// stays blank, never 0.00) and the four counts.
#[derive(Default)]
struct Totals {
    sums: [Option<Decimal>; 4],
    counts: [usize; 4],
}

/// The title, the unit line (with the date) and the header row.
fn write_heading(
    ws: &mut Worksheet,
    doc: &Document,
    date: Option<Date>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let last_printed = LAST_PRINTED_COL;
    ws.merge_range(
        0,
        0,
        0,
        last_printed,
        &title(doc),
        &f.plain
            .clone()
            .set_font_size(16)
            .set_bold()
            .set_align(FormatAlign::Center),
    )?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(1, 0, 1, 3, UNIT_LINE, &f.plain)?;
    if let Some(d) = date {
        ws.merge_range(
            1,
            4,
            1,
            last_printed,
            &format!("制表日期：{d}"),
            &f.plain.clone().set_align(FormatAlign::Right),
        )?;
    }
    ws.set_row_height(1, 20)?;
    let hr = HEADER_ROW;
    for (c, (h, w)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(hr, c as u16, *h, &f.head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let head_lines = COLUMNS
        .iter()
        .map(|(h, w)| measure::lines(h, SIZE, true, measure::col_px(*w)))
        .max()
        .unwrap_or(1);
    ws.set_row_height(hr, measure::height_for_lines(head_lines, SIZE).max(20.0))?;
    Ok(())
}

/// The table's grade once checked, else the grade of the findings listed for it; a
/// self-evaluation's own 总分 and 等级, a monitoring table none.
fn grade_text(t: &crate::model::Table, i: usize, findings: &[Located]) -> String {
    if t.form != crate::model::FormKind::Targets {
        return crate::check::selfeval_result(t).map_or_else(String::new, |r| format!("自评{r}"));
    }
    let g = t.grade.clone().unwrap_or_else(|| {
        crate::check::grade_of(
            findings
                .iter()
                .map(|l| &l.finding)
                .filter(|f| f.table == Some(i)),
        )
    });
    format!("{} {}分", g.grade, g.score)
}

/// Table `i`'s row, linked to its form sheet `sheet`; its amounts and counts added to `totals`.
fn write_row(
    ws: &mut Worksheet,
    i: usize,
    t: &crate::model::Table,
    sheet: &str,
    findings: &[Located],
    f: &Formats,
    totals: &mut Totals,
) -> Result<(), XlsxError> {
    let r = HEADER_ROW + 1 + i as u32;
    let c = SeverityCounts::of(
        findings
            .iter()
            .map(|l| &l.finding)
            .filter(|f| f.table == Some(i)),
    );
    ws.write_number_with_format(r, 0, (i + 1) as f64, &f.center)?;
    let texts = [
        (1, t.display_name().to_string(), &f.text),
        (2, t.project.department.clone(), &f.text),
        (3, t.project.attribute.clone(), &f.text),
        (GRADE_COL, grade_text(t, i, findings), &f.center),
        (
            SOURCE_COL,
            source_text(&t.source.file, &t.source.sheet),
            &f.text,
        ),
    ];
    let mut lines = 1;
    for (col, s, fmt) in &texts {
        let guarded = guard_label(s);
        let (cut, _) = measure::cut_utf16(&guarded, super::form::MAX_CELL_TEXT);
        ws.write_string_with_format(r, *col, cut, fmt)?;
        let px = measure::col_px(COLUMNS[usize::from(*col)].1);
        lines = lines.max(measure::lines(cut, SIZE, false, px));
    }
    let fu = &t.funding;
    for (k, amount) in [fu.total, fu.annual_total, fu.own.total, fu.transfer.total]
        .into_iter()
        .enumerate()
    {
        let col = 4 + k as u16;
        match amount {
            Some(d) => {
                totals.sums[k] = Some(totals.sums[k].unwrap_or_default() + d);
                ws.write_number_with_format(r, col, d.to_f64().unwrap_or(0.0), &f.money)?;
            }
            None => {
                ws.write_blank(r, col, &f.money)?;
            }
        }
    }
    let nums = [t.indicators.len(), c.error, c.warning, c.info];
    for (k, v) in nums.into_iter().enumerate() {
        totals.counts[k] += v;
        ws.write_number_with_format(r, 8 + k as u16, v as f64, &f.count)?;
    }
    let shown = guard_label(sheet);
    let url = Url::new(internal_link(sheet, "A1")).set_text(&shown);
    ws.write_url_with_format(r, LINK_COL, url, &f.link)?;
    lines = lines.max(measure::lines(
        &shown,
        SIZE,
        false,
        measure::col_px(COLUMNS[usize::from(LINK_COL)].1),
    ));
    ws.set_row_height(r, measure::height_for_lines(lines, SIZE).max(18.0))?;
    Ok(())
}

/// The 合计 row under `n` tables: sums as formulas with their results.
fn write_totals(ws: &mut Worksheet, n: u32, totals: &Totals, f: &Formats) -> Result<(), XlsxError> {
    let bold = |f: &Format| f.clone().set_bold();
    let tr = HEADER_ROW + 1 + n;
    ws.write_blank(tr, 0, &f.center)?;
    ws.write_string_with_format(tr, 1, TOTAL_LABEL, &bold(&f.center))?;
    for col in [2u16, 3, GRADE_COL, SOURCE_COL, LINK_COL] {
        ws.write_blank(tr, col, &f.text)?;
    }
    for (k, sum) in totals.sums.iter().enumerate() {
        let col = 4 + k as u16;
        let Some(sum) = sum else {
            ws.write_blank(tr, col, &bold(&f.money))?;
            continue;
        };
        let formula = sum_formula(col, n);
        let result = format!("{:.2}", sum.round_dp(2));
        ws.write_formula_with_format(
            tr,
            col,
            Formula::new(formula).set_result(result),
            &bold(&f.money),
        )?;
    }
    for (k, total) in totals.counts.iter().enumerate() {
        let col = 8 + k as u16;
        ws.write_formula_with_format(
            tr,
            col,
            Formula::new(sum_formula(col, n)).set_result(total.to_string()),
            &bold(&f.count),
        )?;
    }
    ws.set_row_height(tr, 20)?;
    Ok(())
}

fn finish(ws: &mut Worksheet, n: u32) -> Result<(), XlsxError> {
    let hr = HEADER_ROW;
    ws.set_freeze_panes(hr + 1, 2)?;
    if n > 0 {
        ws.autofilter(hr, 0, hr + n, (COLUMNS.len() - 1) as u16)?;
    }
    let last_row = hr + n + u32::from(n > 0);
    ws.set_print_area(0, 0, last_row, LAST_PRINTED_COL)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(hr, hr)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_tab_color(Color::RGB(0x2F5597));
    ws.set_active(true);
    Ok(())
}

/// `=SUM(E4:E13)` over the `rows` table rows of a column (at least one row).
pub(crate) fn sum_formula(col: u16, rows: u32) -> String {
    let c = col_name(u32::from(col));
    let first = HEADER_ROW + 2;
    format!("=SUM({c}{first}:{c}{})", first + rows.max(1) - 1)
}

/// The printed width of the sheet in pixels (96 dpi): the columns up to 来源.
pub fn printed_px() -> f64 {
    COLUMNS[..=usize::from(LAST_PRINTED_COL)]
        .iter()
        .map(|(_, w)| measure::col_px(*w))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::labels::Labels;

    #[test]
    fn headers_are_not_form_labels() {
        for (h, _) in COLUMNS {
            assert!(Labels::builtin().lookup(h).is_none(), "{h}");
        }
        for t in [TOTAL_LABEL, UNIT_LINE, "绩效表汇总", "2026年绩效表汇总"] {
            assert!(Labels::builtin().lookup(t).is_none(), "{t}");
        }
    }

    #[test]
    fn sums_span_the_table_rows() {
        assert_eq!(sum_formula(4, 10), "=SUM(E4:E13)");
        assert_eq!(sum_formula(8, 1), "=SUM(I4:I4)");
        assert_eq!(sum_formula(8, 0), "=SUM(I4:I4)");
    }

    #[test]
    fn sources_are_file_names() {
        assert_eq!(
            source_text("/home/u/部门/甲.xlsx", "表1"),
            "甲.xlsx\n「表1」"
        );
        assert_eq!(source_text(r"C:\Users\u\甲.xls", ""), "甲.xls");
    }

    #[test]
    fn it_prints_full_size_on_a4_landscape() {
        // A4 landscape less 0.4-inch margins: 10.89 inches at 96 dpi.
        let printable = (297.0 / 25.4 - 0.8) * 96.0;
        assert!(printed_px() <= printable, "{} px", printed_px());
    }
}
