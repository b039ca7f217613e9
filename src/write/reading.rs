//! The 读取说明 sheet: how each table of an input was read — the form profile chosen and why,
//! the cells nothing understood, the reader's other notices. `jixiao explain` opens its map
//! with it; `convert` adds it to every workbook, so that which profile read a table is said
//! once here rather than as a line of 问题清单.
//!
//! ```text
//!  | 读取说明       | 甲.xlsx：2 张表。……                                         |
//!  | 第 1 张表      | 某项目（Sheet1!A1:H30）           (a link to its form sheet) |
//!  | 表样配置       | 项目支出绩效目标表（national）：找到其特有标签……             |
//!  | 未识别的单元格 | 2 个：B6：金额；C6：测算依据                                 |
//!  | 读取提示       | D4：同义标签“项目性质”按“项目属性”读取                       |
//! ```
//!
//! No cell holds a bare form label (they are quoted), so the reader never takes the sheet
//! for a table.

use rust_xlsxwriter::{Format, FormatAlign, Url, Worksheet, XlsxError};

use crate::check::READ_PROFILE;
use crate::model::Document;
use crate::read::values::collapse_spaces;

use super::names::{guard_label, internal_link};

/// The sheet's name.
pub const SHEET: &str = "读取说明";

/// Writes the sheet: `heading` and `intro` on its first row, then one block per table of
/// `doc` (its notices are `doc.discrepancies`). `forms`, when given, are the names of the form
/// sheets written for the tables, in table order: each table's heading links to its form.
///
/// # Errors
/// When rust_xlsxwriter rejects a cell.
pub fn write(
    ws: &mut Worksheet,
    doc: &Document,
    heading: &str,
    intro: &str,
    forms: Option<&[String]>,
) -> Result<(), XlsxError> {
    let font = |f: Format| f.set_font_name("宋体").set_font_size(10);
    let text = font(Format::new())
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let bold = font(Format::new()).set_bold().set_align(FormatAlign::Top);
    let title = Format::new()
        .set_font_name("宋体")
        .set_font_size(12)
        .set_bold();
    let link = text
        .clone()
        .set_font_color("0563C1")
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 100)?;
    let mut r = 0u32;
    ws.write_string_with_format(r, 0, heading, &title)?;
    ws.write_string_with_format(r, 1, fit(intro), &text)?;
    r += 2;
    for (i, t) in doc.tables.iter().enumerate() {
        ws.write_string_with_format(r, 0, format!("第 {} 张表", i + 1), &bold)?;
        let name = format!(
            "{}（{}!{}）",
            t.display_name(),
            t.source.sheet,
            t.source.range
        );
        match forms.and_then(|f| f.get(i)) {
            Some(sheet) => {
                let url = Url::new(internal_link(sheet, "A1")).set_text(fit(guard_label(&name)));
                ws.write_url_with_format(r, 1, url, &link)?;
            }
            None => {
                ws.write_string_with_format(r, 1, fit(guard_label(&name)), &bold)?;
            }
        }
        r += 1;
        // The reader's notice names the profile and why it was chosen.
        let why = doc
            .discrepancies
            .iter()
            .find(|f| f.table == Some(i) && f.rule == READ_PROFILE.id)
            .map_or_else(
                || format!("{}（{}）", t.profile.name, t.profile.id),
                |f| f.message.clone(),
            );
        ws.write_string_with_format(r, 0, "表样配置", &bold)?;
        ws.write_string_with_format(r, 1, fit(why), &text)?;
        r += 1;
        let unknown: Vec<String> = t
            .extra
            .iter()
            .map(|x| format!("{}：{}", x.cell, collapse_spaces(&x.value)))
            .collect();
        ws.write_string_with_format(r, 0, "未识别的单元格", &bold)?;
        let unknown = if unknown.is_empty() {
            "无".to_string()
        } else {
            format!("{} 个：{}", unknown.len(), unknown.join("；"))
        };
        ws.write_string_with_format(r, 1, fit(guard_label(&unknown)), &text)?;
        r += 1;
        for f in doc
            .discrepancies
            .iter()
            .filter(|f| f.table == Some(i) && f.rule != READ_PROFILE.id)
        {
            ws.write_string_with_format(r, 0, "读取提示", &bold)?;
            let at = f.cell.map(|c| format!("{c}：")).unwrap_or_default();
            ws.write_string_with_format(r, 1, fit(format!("{at}{}", f.message)), &text)?;
            r += 1;
        }
        r += 1;
    }
    Ok(())
}

/// A text cut to what one cell holds (Excel's limit), marked where cut.
fn fit(s: impl Into<String>) -> String {
    const MARK: &str = "…（已截断）";
    let s = s.into();
    let room = super::form::MAX_CELL_TEXT - MARK.encode_utf16().count();
    match super::measure::cut_utf16(&s, room) {
        (_, false) => s,
        (cut, true) => format!("{cut}{MARK}"),
    }
}
