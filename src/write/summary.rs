//! The 汇总 sheet: one row per table, a totals row with formulas.
//!
//! ```text
//!  | 序号 | 项目 | 部门 | 属性 | 项目总额/万元 | 年度资金/万元 | 本级资金/万元 | 转移资金/万元 | 指标数 | 错误 | 警告 | 提示 | 工作表 | 来源 |
//!  | 1   | 宁夏网络安全服务项目 | … | 经常性项目 | 45.00 | 45.00 | 45.00 | 0.00 | 13 | 0 | 0 | 3 | → 网络安全服务 | … |
//!  |     | 总计 |   |   | =SUM(E2:E11) …                                                          |
//! ```
//!
//! The totals carry their computed results (`Formula::set_result`), so that readers that do
//! not calculate (calamine, previews, PDF export) show the right numbers. The headers avoid
//! the form's labels (`项目总额/万元`, not `项目总额（万元）`), so the reader never takes this
//! sheet for a table.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, FormatUnderline, Formula, Url, Worksheet, XlsxError,
};

use crate::cell::col_name;
use crate::model::Document;

use super::names::{guard_label, internal_link};
use super::{measure, Located, SeverityCounts};

/// The columns: header and width.
pub const COLUMNS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("项目", 28.0),
    ("部门", 24.0),
    ("属性", 12.0),
    ("项目总额/万元", 13.0),
    ("年度资金/万元", 13.0),
    ("本级资金/万元", 13.0),
    ("转移资金/万元", 13.0),
    ("指标数", 8.0),
    ("错误", 7.0),
    ("警告", 7.0),
    ("提示", 7.0),
    ("工作表", 24.0),
    ("来源", 36.0),
];

/// The label of the totals row.
pub const TOTAL_LABEL: &str = "总计";

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

/// Writes the sheet: `sheets` are the form sheets' names in table order.
///
/// # Errors
/// When rust_xlsxwriter rejects a cell.
pub fn write(
    ws: &mut Worksheet,
    doc: &Document,
    sheets: &[String],
    findings: &[Located],
) -> Result<(), XlsxError> {
    let head = base()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9D9D9));
    let text = base();
    let center = base().set_align(FormatAlign::Center);
    let money = base().set_align(FormatAlign::Right).set_num_format("0.00");
    let count = base().set_align(FormatAlign::Center).set_num_format("0");
    let link = base()
        .set_font_color(Color::Blue)
        .set_underline(FormatUnderline::Single);
    let bold = |f: &Format| f.clone().set_bold();

    for (c, (h, w)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(0, 30)?;

    let n = doc.tables.len() as u32;
    let mut sums = [Decimal::ZERO; 4];
    let mut counts_total = [0usize; 4];
    for (i, t) in doc.tables.iter().enumerate() {
        let r = i as u32 + 1;
        let c = SeverityCounts::of(
            findings
                .iter()
                .map(|l| &l.finding)
                .filter(|f| f.table == Some(i)),
        );
        ws.write_number_with_format(r, 0, f64::from(r), &center)?;
        let texts = [
            (1, t.display_name().to_string()),
            (2, t.project.department.clone()),
            (3, t.project.attribute.clone()),
        ];
        let mut lines = 1;
        for (col, s) in &texts {
            let guarded = guard_label(s);
            let (cut, _) = measure::cut_utf16(&guarded, super::form::MAX_CELL_TEXT);
            ws.write_string_with_format(r, *col, cut, &text)?;
            let px = measure::col_px(COLUMNS[usize::from(*col)].1);
            lines = lines.max(measure::lines(cut, SIZE, false, px));
        }
        let f = &t.funding;
        for (k, amount) in [f.total, f.annual_total, f.own.total, f.transfer.total]
            .into_iter()
            .enumerate()
        {
            let col = 4 + k as u16;
            match amount {
                Some(d) => {
                    sums[k] += d;
                    ws.write_number_with_format(r, col, d.to_f64().unwrap_or(0.0), &money)?;
                }
                None => {
                    ws.write_blank(r, col, &money)?;
                }
            }
        }
        let nums = [t.indicators.len(), c.error, c.warning, c.info];
        for (k, v) in nums.into_iter().enumerate() {
            counts_total[k] += v;
            ws.write_number_with_format(r, 8 + k as u16, v as f64, &count)?;
        }
        let sheet = sheets.get(i).cloned().unwrap_or_default();
        let url = Url::new(internal_link(&sheet, "A1")).set_text(guard_label(&sheet));
        ws.write_url_with_format(r, 12, url, &link)?;
        let source = format!("{}!{}", t.source.file, t.source.sheet);
        let (cut, _) = measure::cut_utf16(&source, super::form::MAX_CELL_TEXT);
        ws.write_string_with_format(r, 13, cut, &text)?;
        lines = lines.max(measure::lines(
            cut,
            SIZE,
            false,
            measure::col_px(COLUMNS[13].1),
        ));
        ws.set_row_height(r, measure::height_for_lines(lines, SIZE).max(18.0))?;
    }

    // Totals: formulas with their results (none without tables: the sum would refer to itself).
    // File-level findings (not about one table) are counted in the 问题清单 only.
    let tr = n + 1;
    if n == 0 {
        return finish(ws, n);
    }
    ws.write_blank(tr, 0, &center)?;
    ws.write_string_with_format(tr, 1, TOTAL_LABEL, &bold(&center))?;
    for col in [2u16, 3, 12, 13] {
        ws.write_blank(tr, col, &text)?;
    }
    for (k, sum) in sums.iter().enumerate() {
        let col = 4 + k as u16;
        let formula = sum_formula(col, n);
        let result = format!("{:.2}", sum.round_dp(2));
        ws.write_formula_with_format(
            tr,
            col,
            Formula::new(formula).set_result(result),
            &bold(&money),
        )?;
    }
    for (k, total) in counts_total.iter().enumerate() {
        let col = 8 + k as u16;
        ws.write_formula_with_format(
            tr,
            col,
            Formula::new(sum_formula(col, n)).set_result(total.to_string()),
            &bold(&count),
        )?;
    }
    ws.set_row_height(tr, 20)?;
    finish(ws, n)
}

fn finish(ws: &mut Worksheet, n: u32) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 2)?;
    if n > 0 {
        ws.autofilter(0, 0, n, (COLUMNS.len() - 1) as u16)?;
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_tab_color(Color::RGB(0x2F5597));
    ws.set_active(true);
    Ok(())
}

/// `=SUM(E2:E11)` over the `rows` table rows of a column (at least one row).
pub fn sum_formula(col: u16, rows: u32) -> String {
    let c = col_name(u32::from(col));
    format!("=SUM({c}2:{c}{})", rows.max(1) + 1)
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
        assert!(Labels::builtin().lookup(TOTAL_LABEL).is_none());
    }

    #[test]
    fn sums_span_the_table_rows() {
        assert_eq!(sum_formula(4, 10), "=SUM(E2:E11)");
        assert_eq!(sum_formula(8, 1), "=SUM(I2:I2)");
        assert_eq!(sum_formula(8, 0), "=SUM(I2:I2)");
    }
}
