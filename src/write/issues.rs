//! The 问题清单 sheet: one row per finding, with a link to the regenerated cell.
//!
//! ```text
//!  | 序号 | 级别 | 规则 | 部门 | 项目 | 说明 | 新表位置 | 处理意见 | 整改情况 ‖ 规则编号 | 字段 | 发现 | 期望 | 来源文件 | 来源工作表 | 原单元格 |
//!  | 1   | 错误 | 目标与成本指标金额不符 | 网信办 | 升级改造… | … | E20 (a link) |  |  ‖ goal.cost-mismatch | … |
//! ```
//!
//! The columns up to 整改情况 are printed, on A4 landscape at full size with the header row
//! repeated: what a reviewer reads and writes on (处理意见, 整改情况 are left empty for them).
//! The rest is there on screen, for filtering: the rule's id, the field, what was found and
//! expected (the 说明 already says them in words), where the finding was in the input. The
//! header is frozen, the filter is on, the 级别 cell is coloured by severity. Info findings
//! (what the reader changed of what was typed) are listed too: the audit trail of the
//! conversion. No cell here is a form label (项目名称, 主管部门 …: such texts are quoted,
//! `“项目名称”`), so the reader never takes this sheet for a table.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Url, Worksheet, XlsxError};

use crate::model::{Document, Finding, Severity, Table};

use super::measure;
use super::names::{guard_label, internal_link};
use super::Located;

/// The columns: header and width.
pub(crate) const COLUMNS: &[(&str, f64)] = &[
    ("序号", 5.0),
    ("级别", 6.0),
    ("规则", 14.0),
    ("部门", 16.0),
    ("项目", 18.0),
    ("说明", 45.0),
    ("新表位置", 8.0),
    ("处理意见", 15.0),
    ("整改情况", 15.0),
    ("规则编号", 22.0),
    ("字段", 20.0),
    ("发现", 18.0),
    ("期望", 18.0),
    ("来源文件", 26.0),
    ("来源工作表", 16.0),
    ("原单元格", 9.0),
];

/// Column of the link to the regenerated cell.
pub(crate) const LINK_COL: u16 = 6;
/// The last printed column (整改情况).
pub(crate) const LAST_PRINTED_COL: u16 = 8;

const FONT: &str = "宋体";
const SIZE: f64 = 10.0;

/// How the sheet is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct IssuesOptions {
    /// Name source files by their file names only (for a workbook sent to departments).
    pub file_names_only: bool,
}

fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_charset(134)
        .set_font_size(SIZE)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
}

/// The rule's name as shown: its Chinese name, else its id.
pub(crate) fn rule_shown(f: &Finding) -> &str {
    if f.rule_name.trim().is_empty() {
        &f.rule
    } else {
        &f.rule_name
    }
}

/// The department a finding is about: its own, else its table's.
pub(crate) fn department_shown(f: &Finding, table: Option<&Table>) -> String {
    if !f.department.trim().is_empty() {
        return f.department.clone();
    }
    table
        .map(|t| t.project.department.clone())
        .unwrap_or_default()
}

/// The printed width of the sheet in pixels (96 dpi).
pub fn printed_px() -> f64 {
    COLUMNS[..=usize::from(LAST_PRINTED_COL)]
        .iter()
        .map(|(_, w)| measure::col_px(*w))
        .sum()
}

/// Fill and font colour of the 级别 cell.
pub(crate) fn severity_colors(s: Severity) -> (Color, Color) {
    match s {
        Severity::Error => (Color::RGB(0xFFC7CE), Color::RGB(0x9C0006)),
        Severity::Warning => (Color::RGB(0xFFEB9C), Color::RGB(0x9C5700)),
        Severity::Info => (Color::RGB(0xDDEBF7), Color::RGB(0x1F4E78)),
    }
}

/// A model field path in words (`funding.own.total` → 本级资金总额).
pub(crate) fn field_words(field: &str, table: Option<&Table>) -> String {
    // The table's own wording first (年度总体目标, 其中：省级资金), never another form's.
    if let Some(own) = table.and_then(|t| super::form::own_words(t, field)) {
        return own;
    }
    // Else the family's common name, from the one table of field paths.
    if let Some(f) = crate::model::fields::field(field) {
        return f.qualified_name();
    }
    let fixed = match field {
        "project.department_name" => "部门（单位）名称",
        "indicator.name" => "三级指标",
        "indicator.value" => "指标值",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    let index = |rest: &str| -> Option<usize> { rest.split(']').next()?.parse().ok() };
    if let Some(rest) = field.strip_prefix("metadata[") {
        let label = index(rest)
            .and_then(|i| table?.metadata.get(i))
            .map(|m| m.label.clone());
        return label.map_or_else(|| "表中的其他栏目".into(), |l| format!("“{l}”"));
    }
    if let Some(rest) = field.strip_prefix("extra[") {
        let e = index(rest).and_then(|i| table?.extra.get(i));
        return match e {
            Some(e) if !e.label.is_empty() => format!("未归类的内容（“{}”旁）", e.label),
            _ => "未归类的内容".into(),
        };
    }
    if let Some(rest) = field.strip_prefix("funding.lines[") {
        let label = index(rest)
            .and_then(|i| table?.funding.lines.get(i))
            .map(|l| l.label.clone());
        return label.map_or_else(|| "资金".into(), |l| format!("“{l}”"));
    }
    if let Some(rest) = field.strip_prefix("other_grids[") {
        let (k, tail) = rest.split_once("].").unwrap_or((rest, ""));
        let grid = k
            .parse::<usize>()
            .ok()
            .and_then(|k| table?.other_grids.get(k));
        let title = grid.map_or("其他指标表".to_string(), |g| g.label.clone());
        let sub = grid.map(|g| Table {
            indicators: g.indicators.clone(),
            ..Table::default()
        });
        let inner = if tail.is_empty() {
            String::new()
        } else {
            field_words(tail, sub.as_ref())
        };
        return format!("{title}{inner}");
    }
    if let Some(rest) = field.strip_prefix("indicators[") {
        let (idx, part) = rest.split_once(']').unwrap_or((rest, ""));
        let what = match part.trim_start_matches('.') {
            "value" => "指标值",
            "name" => "三级指标",
            "level1" => "一级指标",
            "level2" => "二级指标",
            "extra" => "附加列",
            _ => "",
        };
        let name = idx
            .parse::<usize>()
            .ok()
            .and_then(|i| table?.indicators.get(i))
            .map(|ind| ind.name.as_str())
            .filter(|n| !n.is_empty());
        return match (name, what) {
            (Some(n), "") => format!("指标“{n}”"),
            (Some(n), w) => format!("指标“{n}”的{w}"),
            (None, "") => format!("第 {} 项指标", idx.parse::<usize>().map_or(0, |i| i + 1)),
            (None, w) => format!(
                "第 {} 项指标的{w}",
                idx.parse::<usize>().map_or(0, |i| i + 1)
            ),
        };
    }
    field.to_string()
}

/// Writes the sheet.
///
/// # Errors
/// When rust_xlsxwriter rejects a cell.
pub fn write(ws: &mut Worksheet, doc: &Document, rows: &[Located]) -> Result<(), XlsxError> {
    write_with(ws, doc, rows, IssuesOptions::default())
}

/// [`write`](fn@write) with options.
///
/// # Errors
/// When rust_xlsxwriter rejects a cell.
pub(crate) fn write_with(
    ws: &mut Worksheet,
    doc: &Document,
    rows: &[Located],
    opts: IssuesOptions,
) -> Result<(), XlsxError> {
    let head = base()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9D9D9));
    let text = base();
    let center = base().set_align(FormatAlign::Center);
    let link = base()
        .set_font_color(Color::Blue)
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    for (c, (h, w)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(0, 22)?;
    let sev_formats: Vec<(Severity, Format)> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|s| {
            let (fill, font) = severity_colors(s);
            (
                s,
                center
                    .clone()
                    .set_background_color(fill)
                    .set_font_color(font)
                    .set_bold(),
            )
        })
        .collect();
    for (i, l) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let f = &l.finding;
        let table = f.table.and_then(|t| doc.tables.get(t));
        let sev = sev_formats
            .iter()
            .find(|(s, _)| *s == f.severity)
            .map_or(&center, |(_, fmt)| fmt);
        let field = f
            .field
            .as_deref()
            .map(|p| field_words(p, table))
            .unwrap_or_default();
        let file = if opts.file_names_only {
            super::summary::file_name(&f.file)
        } else {
            f.file.clone()
        };
        let cells: [(u16, String, &Format); 14] = [
            (1, f.severity.label().to_string(), sev),
            (2, rule_shown(f).to_string(), &text),
            (3, department_shown(f, table), &text),
            (4, f.project.clone(), &text),
            (5, f.message.clone(), &text),
            (7, String::new(), &text),
            (8, String::new(), &text),
            (9, f.rule.clone(), &text),
            (10, field, &text),
            (11, f.found.clone().unwrap_or_default(), &text),
            (12, f.expected.clone().unwrap_or_default(), &text),
            (13, file, &text),
            (14, f.sheet.clone(), &text),
            (
                15,
                f.cell.map(|c| c.to_string()).unwrap_or_default(),
                &center,
            ),
        ];
        ws.write_number_with_format(r, 0, f64::from(r), &center)?;
        // Rows are as tall as the printed columns need; the others wrap within that.
        let mut height = 1;
        for (c, s, fmt) in &cells {
            if s.is_empty() {
                ws.write_blank(r, *c, fmt)?;
                continue;
            }
            let guarded = guard_label(s);
            let (cut, _) = measure::cut_utf16(&guarded, super::form::MAX_CELL_TEXT);
            ws.write_string_with_format(r, *c, cut, fmt)?;
            if *c <= LAST_PRINTED_COL {
                let px = measure::col_px(COLUMNS[usize::from(*c)].1);
                height = height.max(measure::lines(cut, SIZE, false, px));
            }
        }
        match &l.target {
            Some((sheet, cell)) => {
                // The cell, linked to its sheet: the 项目 column says which table it is.
                let shown = cell.to_string();
                let url = Url::new(internal_link(sheet, &cell.to_string())).set_text(&shown);
                ws.write_url_with_format(r, LINK_COL, url, &link)?;
                let px = measure::col_px(COLUMNS[usize::from(LINK_COL)].1);
                height = height.max(measure::lines(&shown, SIZE, false, px));
            }
            None => {
                ws.write_blank(r, LINK_COL, &text)?;
            }
        }
        ws.set_row_height(r, measure::height_for_lines(height, SIZE).max(18.0))?;
    }
    let last_row = rows.len() as u32;
    let last_col = (COLUMNS.len() - 1) as u16;
    if rows.is_empty() {
        ws.merge_range(1, 0, 1, LAST_PRINTED_COL, "未发现问题", &center)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row.max(1), last_col)?;
    ws.set_print_area(0, 0, last_row.max(1), LAST_PRINTED_COL)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_tab_color(Color::RGB(0xC00000));
    Ok(())
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
        assert!(Labels::builtin().lookup("未发现问题").is_none());
    }

    #[test]
    fn it_prints_full_size_on_a4_landscape() {
        let printable = (297.0 / 25.4 - 0.8) * 96.0;
        assert!(printed_px() <= printable, "{} px", printed_px());
    }

    #[test]
    fn rule_names_fall_back_to_ids() {
        let mut f = Finding {
            rule: "funding.own-sum".into(),
            ..Finding::default()
        };
        assert_eq!(rule_shown(&f), "funding.own-sum");
        f.rule_name = "本级资金合计不符".into();
        assert_eq!(rule_shown(&f), "本级资金合计不符");
        let mut t = Table::default();
        t.project.department = "甲厅".into();
        assert_eq!(department_shown(&f, Some(&t)), "甲厅");
        f.department = "乙厅".into();
        assert_eq!(department_shown(&f, Some(&t)), "乙厅");
    }

    #[test]
    fn fields_in_words() {
        assert_eq!(field_words("funding.own.total", None), "本级资金总额");
        assert_eq!(
            field_words("indicators[2].value", None),
            "第 3 项指标的指标值"
        );
        let mut t = Table::default();
        t.indicators.push(crate::model::Indicator {
            name: "宣传周".into(),
            ..Default::default()
        });
        assert_eq!(
            field_words("indicators[0].value", Some(&t)),
            "指标“宣传周”的指标值"
        );
        assert_eq!(field_words("indicators[0]", Some(&t)), "指标“宣传周”");
        assert_eq!(field_words("something.else", None), "something.else");
    }
}
