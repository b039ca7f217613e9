//! The workbook's 得分汇总 sheet: one row per form — the budget's score, the score of each
//! 一级指标, the total and the grade — each a formula on the form's own cells, so that the
//! department sees where its points went while it fills the forms in.
//!
//! ```text
//!  | 序号 | 项目 | 预算执行率 | 产出指标 | 效益指标 | 满意度指标 | 总分 | 自评等级 |
//!  | 1    | 某项目 | ='某项目'!K7 | =IF(COUNT(…)=0,"",ROUND(SUM('某项目'!I13,…),2)) | … |
//! ```

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Worksheet};

use super::cells::{cached, R};
use super::layout::SelfEvalLayout;
use super::sheet::Sums;
use super::Settings;
use crate::cell::CellRef;
use crate::write::names::reference;

/// Writes the summary of `forms` (sheet name, sums) on `ws`.
pub(super) fn write(
    ws: &mut Worksheet,
    forms: &[(String, Sums)],
    layout: &SelfEvalLayout,
    settings: &Settings,
) -> R<()> {
    ws.set_formula_result_default("");
    let Some(levels) = &layout.levels else {
        return Ok(());
    };
    // The columns: the budget, then every 一级 in the order first met.
    let mut names: Vec<Option<String>> = vec![None];
    for (_, s) in forms {
        for l in &s.levels {
            if !names.contains(&l.name) {
                names.push(l.name.clone());
            }
        }
    }
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_font_name("宋体")
        .set_font_size(10.0);
    let head = border
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let score = border.clone().set_num_format("0.##");
    let mut headers = vec![levels.number.clone(), levels.project.clone()];
    headers.extend(
        names
            .iter()
            .map(|n| n.clone().unwrap_or_else(|| levels.budget.clone())),
    );
    if let Some(t) = &layout.total {
        headers.push(t.label.clone());
    }
    if let Some(g) = &layout.grade {
        headers.push(g.label.clone());
    }
    ws.merge_range(
        0,
        0,
        0,
        u16::try_from(headers.len() - 1).unwrap_or(0),
        &levels.title,
        &head,
    )?;
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(1, c, h, &head)?;
        ws.set_column_width(c, if c == 1 { 36.0 } else { 11.0 })?;
    }
    ws.set_column_width(0, 6.0)?;
    for (i, (sheet, sums)) in forms.iter().enumerate() {
        let r = u32::try_from(i).unwrap_or(0) + 2;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &border)?;
        ws.write_string_with_format(r, 1, sheet, &border)?;
        let mut c: u16 = 2;
        let cell = |at: CellRef| reference(sheet, &at.to_string());
        for name in &names {
            match sums.levels.iter().find(|l| &l.name == name) {
                Some(l) => {
                    let f = scores(
                        &l.scores.iter().map(|&x| cell(x)).collect::<Vec<_>>(),
                        settings,
                    );
                    ws.write_formula_with_format(
                        r,
                        c,
                        Formula::new(f).set_result(cached(l.score)),
                        &score,
                    )?;
                }
                None => {
                    ws.write_blank(r, c, &border)?;
                }
            }
            c += 1;
        }
        if layout.total.is_some() {
            write_link(
                ws,
                r,
                c,
                sums.total.as_ref().map(|(at, v)| (cell(*at), cached(*v))),
                &score,
            )?;
            c += 1;
        }
        if layout.grade.is_some() {
            let g = sums
                .grade
                .as_ref()
                .map(|(at, v)| (cell(*at), v.clone().unwrap_or_default()));
            write_link(ws, r, c, g, &border.clone().set_align(FormatAlign::Center))?;
        }
    }
    ws.set_freeze_panes(2, 2)?;
    Ok(())
}

fn write_link(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    target: Option<(String, String)>,
    fmt: &Format,
) -> R<()> {
    match target {
        Some((at, result)) => {
            ws.write_formula_with_format(
                r,
                c,
                Formula::new(format!("IF({at}=\"\",\"\",{at})")).set_result(result),
                fmt,
            )?;
        }
        None => {
            ws.write_blank(r, c, fmt)?;
        }
    }
    Ok(())
}

/// The sum of scores on another sheet, rounded as scores are, blank while none is there.
fn scores(cells: &[String], settings: &Settings) -> String {
    if cells.is_empty() {
        return "\"\"".to_string();
    }
    let list = cells.join(",");
    format!(
        "IF(COUNT({list})=0,\"\",ROUND(SUM({list}),{}))",
        settings.scoring.decimals
    )
}
