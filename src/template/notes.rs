//! The 说明 sheet of a prefilled workbook: where the tables came from, what was done to them
//! (years moved, amounts kept or emptied) and what was left out, and why.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::write::measure;
use crate::write::names::guard_label;

use super::guide;
use super::write::{Prefill, FINDINGS_SHEET};
use super::{Carried, LeftOut};

/// The 说明 sheet: where the tables came from, what was done to them, and what was left out.
pub(super) fn write_notes(
    ws: &mut Worksheet,
    carried: &Carried,
    opts: &Prefill,
) -> std::result::Result<(), XlsxError> {
    const COLUMNS: [(&str, f64); 5] = [
        ("序号", 6.0),
        ("项目", 30.0),
        ("属性", 14.0),
        ("来源文件", 34.0),
        ("原因", 46.0),
    ];
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(10)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let title = base
        .clone()
        .set_font_size(14)
        .set_bold()
        .set_align(FormatAlign::Center);
    let cell = base.clone().set_border(FormatBorder::Thin);
    let head = cell
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9D9D9));
    let center = cell.clone().set_align(FormatAlign::Center);
    let last_col = (COLUMNS.len() - 1) as u16;
    let full_px: f64 = COLUMNS.iter().map(|(_, w)| measure::col_px(*w)).sum();
    for (c, (_, w)) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("{}年模板生成说明", opts.year),
        &title,
    )?;
    ws.set_row_height(0, 28)?;

    let n = carried.doc.tables.len();
    let amounts = if opts.cleared_amounts {
        "金额已清空，请按本年度预算重新填写".to_string()
    } else {
        "金额沿用上年数据作为基数，请按本年度预算核实修改".to_string()
    };
    let names: Vec<String> = opts
        .sources
        .iter()
        .map(|s| crate::write::summary::file_name(s))
        .collect();
    let files = if names.len() <= 3 {
        names.join("、")
    } else {
        format!("{} 等 {} 个文件", names[..3].join("、"), names.len())
    };
    let mut paras = vec![
        format!(
            "本工作簿根据上年的 {} 张绩效表（{files}）生成，带入 {n} 个项目，每个项目一张表。",
            opts.tables_read
        ),
        format!(
            "标题、年度、年度总体绩效目标和指标中的年份已改为 {} 年（如“{}年12月前”），项目期等期限未改动；{amounts}。",
            opts.year, opts.year
        ),
        format!(
            "上年检查发现的 {} 个问题列在“{FINDINGS_SHEET}”中，每条都链接到新表中的单元格，请在新表中逐条改正。",
            carried.last_year_findings.len()
        ),
    ];
    if !carried.blanked.is_empty() {
        paras.push(format!(
            "上年的{}记录的是上年填报和审核的情况，未带入，新表中已留空，请填报时重新填写。",
            carried
                .blanked
                .iter()
                .map(|l| format!("“{l}”"))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if carried.mixed_years() {
        // Tables of several years: each moved by its own difference, said table by table.
        let each: Vec<String> = carried
            .moved
            .iter()
            .map(|m| match m.from {
                Some(y) => format!("{}由 {y} 年改为 {} 年", m.project, y + m.by),
                None => format!(
                    "{}（原表未注明年度，按 {} 年处理）改为 {} 年",
                    m.project,
                    opts.year - m.by,
                    opts.year
                ),
            })
            .collect();
        paras.push(format!(
            "读入的表格年度不同，各表中的年份按各自的年度顺延（日期区间整体顺延，先后不变）：{}。",
            each.join("；")
        ));
    }
    if carried.left_out.is_empty() {
        paras.push("所有项目均已带入。".into());
    } else {
        paras.push(format!(
            "以下 {} 张表未带入；需要保留的，请告知财政部门或按原表格式另行填报：",
            carried.left_out.len()
        ));
    }
    let mut r = 1u32;
    for p in &paras {
        ws.merge_range(r, 0, r, last_col, p, &base)?;
        let lines = measure::lines(p, 10.0, false, full_px);
        ws.set_row_height(r, measure::height_for_lines(lines, 10.0).max(18.0))?;
        r += 1;
    }
    if carried.left_out.is_empty() {
        return finish_notes(ws);
    }
    for (c, (h, _)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &head)?;
    }
    r += 1;
    for (
        i,
        LeftOut {
            project,
            attribute,
            file,
            reason,
            ..
        },
    ) in carried.left_out.iter().enumerate()
    {
        ws.write_number_with_format(r, 0, (i + 1) as f64, &center)?;
        let mut lines = 1;
        let file = crate::write::summary::file_name(file);
        let reason = guide::for_department(reason);
        for (c, s) in [(1u16, project), (2, attribute), (3, &file), (4, &reason)] {
            let s = guard_label(s);
            ws.write_string_with_format(r, c, &*s, &cell)?;
            let px = measure::col_px(COLUMNS[usize::from(c)].1);
            lines = lines.max(measure::lines(&s, 10.0, false, px));
        }
        ws.set_row_height(r, measure::height_for_lines(lines, 10.0).max(18.0))?;
        r += 1;
    }
    finish_notes(ws)
}

fn finish_notes(ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
