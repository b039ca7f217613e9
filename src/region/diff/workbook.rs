//! The diff workbook: 差异, 项目对照, 新增与删除.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::{Diff, Kind};

/// The workbook: 差异 (old and new side by side, highlighted), 项目对照 (every matched pair),
/// 新增与删除.
///
/// # Errors
/// When rust_xlsxwriter rejects it.
pub fn render(d: &Diff) -> Result<Vec<u8>, XlsxError> {
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(10)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let head = base
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9E1F2));
    let fill = |k: Kind| {
        base.clone().set_background_color(match k {
            Kind::Changed => Color::RGB(0xFFEB9C),
            Kind::Added => Color::RGB(0xC6EFCE),
            Kind::Removed => Color::RGB(0xFFC7CE),
        })
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title("绩效表差异（jixiao）")
            .set_author("jixiao")
            .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    let ws = wb.add_worksheet();
    ws.set_name("差异")?;
    let cols: &[(&str, f64)] = &[
        ("序号", 5.0),
        ("类型", 5.0),
        ("项目", 16.0),
        ("字段", 18.0),
        ("原值", 20.0),
        ("原位置", 7.0),
        ("新值", 20.0),
        ("新位置", 7.0),
        ("原文件", 30.0),
        ("新文件", 30.0),
    ];
    // The columns before the files print (one A4 landscape page wide at full size); the
    // files are on screen only.
    const PRINTED: usize = 8;
    for (c, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, ch) in d.changes.iter().enumerate() {
        let r = 1 + i as u32;
        let hl = fill(ch.kind);
        ws.write_number_with_format(r, 0, (i + 1) as f64, &base)?;
        ws.write_string_with_format(r, 1, ch.kind.label(), &hl)?;
        let texts = [
            (2, &ch.project, &base),
            (3, &ch.field, &base),
            (4, &ch.old, &hl),
            (5, &ch.old_cell, &base),
            (6, &ch.new, &hl),
            (7, &ch.new_cell, &base),
            (8, &ch.old_file, &base),
            (9, &ch.new_file, &base),
        ];
        for (c, s, f) in texts {
            ws.write_string_with_format(r, c, crate::write::names::guard_label(s), f)?;
        }
        fit(
            ws,
            r,
            texts
                .iter()
                .filter(|(c, _, _)| usize::from(*c) < PRINTED)
                .map(|(c, s, _)| (s.as_str(), cols[usize::from(*c)].1)),
        )?;
    }
    let last = d.changes.len().max(1) as u32;
    ws.autofilter(0, 0, last, (cols.len() - 1) as u16)?;
    ws.set_freeze_panes(1, 3)?;
    page(ws)?;
    ws.set_print_area(0, 0, last, (PRINTED - 1) as u16)?;

    let ws = wb.add_worksheet();
    ws.set_name("项目对照")?;
    let cols: &[(&str, f64)] = &[
        ("原项目", 22.0),
        ("原文件与工作表", 24.0),
        ("新项目", 22.0),
        ("新文件与工作表", 24.0),
        ("变化数", 6.0),
    ];
    for (c, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let mut r = 1u32;
    for p in &d.pairs {
        let f = if p.changes > 0 {
            fill(Kind::Changed)
        } else {
            base.clone()
        };
        let name_fill = if p.old == p.new { &base } else { &f };
        ws.write_string_with_format(r, 0, crate::write::names::guard_label(&p.old), name_fill)?;
        ws.write_string_with_format(r, 1, &p.old_source, &base)?;
        ws.write_string_with_format(r, 2, crate::write::names::guard_label(&p.new), name_fill)?;
        ws.write_string_with_format(r, 3, &p.new_source, &base)?;
        ws.write_number_with_format(r, 4, p.changes as f64, &f)?;
        fit(
            ws,
            r,
            [
                (p.old.as_str(), cols[0].1),
                (p.old_source.as_str(), cols[1].1),
                (p.new.as_str(), cols[2].1),
                (p.new_source.as_str(), cols[3].1),
            ],
        )?;
        r += 1;
    }
    for (o, kind) in d
        .removed
        .iter()
        .map(|o| (o, Kind::Removed))
        .chain(d.added.iter().map(|o| (o, Kind::Added)))
    {
        let f = fill(kind);
        let src = format!("{}「{}」", o.file, o.sheet);
        let name = crate::write::names::guard_label(&o.project);
        let (a, b) = if kind == Kind::Removed {
            ((name, src), (kind.label().to_string(), String::new()))
        } else {
            ((kind.label().to_string(), String::new()), (name, src))
        };
        ws.write_string_with_format(r, 0, &a.0, &f)?;
        ws.write_string_with_format(r, 1, &a.1, &base)?;
        ws.write_string_with_format(r, 2, &b.0, &f)?;
        ws.write_string_with_format(r, 3, &b.1, &base)?;
        ws.write_blank(r, 4, &base)?;
        fit(
            ws,
            r,
            [
                (a.0.as_str(), cols[0].1),
                (a.1.as_str(), cols[1].1),
                (b.0.as_str(), cols[2].1),
                (b.1.as_str(), cols[3].1),
            ],
        )?;
        r += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    page(ws)?;
    wb.save_to_buffer()
}

/// Sets a row's height to fit its wrapped texts (10 pt), each with its column's width, so that
/// wrapped cells never overlap the next row.
fn fit<'a>(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    texts: impl IntoIterator<Item = (&'a str, f64)>,
) -> Result<(), XlsxError> {
    use crate::write::measure;
    let lines = texts
        .into_iter()
        .map(|(t, w)| measure::lines(t, 10.0, false, measure::col_px(w)))
        .max()
        .unwrap_or(1)
        .max(1);
    ws.set_row_height(row, measure::height_for_lines(lines, 10.0).max(15.0))?;
    Ok(())
}

fn page(ws: &mut rust_xlsxwriter::Worksheet) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
