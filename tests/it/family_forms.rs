//! The generated family's forms of the second blind set (issue 19): a header block cut off
//! before its grid (it names its project, so it is a table with no indicators; a sheet naming
//! no project stays refused); a transfer payment's regional table (区域绩效目标表) with one
//! department row per level of government (the table is the lowest level's, the others
//! metadata), its grid header starting right of a title column that starts on the first
//! indicator row, and a 单位 column. Each recombines the content and wordings of `family.rs` from a
//! fixed seed; the truth comes from the generator.
//!
//! `JIXIAO_FORMS=N` generates N workbooks instead of the default; `JIXIAO_FAMILY_DUMP=dir`
//! writes the failing ones there to open.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, indicator_rows, Diffs};
use super::family::{generate, Ind, Rng, NAME_LABELS};

/// Workbooks per run (the shapes in turn).
const WORKBOOKS: u64 = 60;

fn text_format() -> Format {
    Format::new().set_text_wrap()
}

/// One table's truth (the fields these shapes are about).
#[derive(Debug, Default)]
struct Want {
    name: String,
    department: String,
    implementing_unit: String,
    category: String,
    indicators: usize,
    /// The indicator rows: 一级, 二级, name, value, unit column (regional tables).
    rows: Vec<[String; 5]>,
    /// Metadata labels the table must keep (the departments of the other levels).
    metadata: Vec<String>,
    annual: Option<u32>,
    goal: String,
}

/// A 申报表 cut off under its header block: the title, perhaps the unit typed with its label
/// in one cell under it (`申报单位名称:某中心`), the project's name and one to three more
/// fields, notes kept as metadata; no grid. `None` when the sheet names no project at all
/// (the notes only): it must be refused.
fn header_only(seed: u64, ws: &mut Worksheet) -> Option<Want> {
    let mut r = Rng::new(seed ^ 0x4EAD);
    let s = generate(seed);
    let f = text_format();
    let title = r.pick(&[
        "财政支出项目绩效目标申报表",
        "项目支出绩效目标申报表",
        "项目绩效目标表",
    ]);
    ws.merge_range(0, 0, 0, 3, title, &f).expect("merge");
    let mut row = 1;
    let named = !r.chance(15);
    let unit_above = r.chance(60);
    let category = r.chance(60) || !unit_above;
    if unit_above {
        let label = r.pick(&["申报单位名称", "实施单位", "项目实施单位"]);
        let colon = r.pick(&[":", "：", ": "]);
        ws.merge_range(
            row,
            0,
            row,
            3,
            &format!("{label}{colon}{}", s.implementing_unit),
            &f,
        )
        .expect("merge");
        row += 1;
    }
    let pair = |ws: &mut Worksheet, row: u32, label: &str, value: &str| {
        ws.write_string(row, 0, label).expect("write");
        ws.merge_range(row, 1, row, 3, value, &f).expect("merge");
    };
    if named {
        pair(ws, row, r.pick(NAME_LABELS), &s.name);
        row += 1;
    }
    let kind = r.pick(&["经常性专项业务费", "一次性项目", "延续项目"]);
    if category {
        pair(ws, row, r.pick(&["项目类型", "项目类别"]), kind);
        row += 1;
    }
    if r.chance(50) {
        ws.write_string(row, 0, "开始时间").expect("write");
        ws.write_string(row, 1, format!("{}/1/1", s.year))
            .expect("write");
        ws.write_string(row, 2, "结束时间").expect("write");
        ws.write_string(row, 3, format!("{}/12/31", s.year))
            .expect("write");
        row += 1;
    }
    pair(ws, row, "项目概况", &s.goal);
    row += 1;
    if r.chance(50) {
        pair(ws, row, "立项依据", "按照单位职能以及实际工作需要。");
    }
    named.then(|| Want {
        name: s.name.clone(),
        implementing_unit: if unit_above {
            s.implementing_unit.clone()
        } else {
            String::new()
        },
        category: if category { kind.into() } else { String::new() },
        ..Want::default()
    })
}

/// Levels of government as regional tables print them, highest first, with a department
/// and the finance department of each.
const LEVELS: &[(&str, &str, &str)] = &[
    ("中央", "财政部、农业农村部", "财政部"),
    ("省级", "某省农业农村厅", "某省财政厅"),
    ("市级", "某市农业农村局", "某市财政局"),
    ("区县", "某县农业农村委员会", "某县财政局"),
];

/// A transfer payment's regional table: 资金名称, one 主管部门 (and perhaps 财政部门) row per
/// level, the lowest last or first; 资金情况 with the year's amount and its parts; 年度目标;
/// the grid `一级指标 | 二级指标 | 三级指标 | 单位 | 指标值`, with or without a title column
/// `绩效指标` left of it that starts on the first indicator row.
fn regional(seed: u64, ws: &mut Worksheet) -> Option<Want> {
    let mut r = Rng::new(seed ^ 0x4E61);
    let s = generate(seed);
    let f = text_format();
    let fund = format!("{}补助资金", s.name.trim_end_matches("项目"));
    ws.merge_range(0, 0, 0, 5, &format!("{fund}区域绩效目标表"), &f)
        .expect("merge");
    let pair = |ws: &mut Worksheet, row: u32, label: &str, value: &str| {
        ws.write_string(row, 0, label).expect("write");
        ws.merge_range(row, 1, row, 5, value, &f).expect("merge");
    };
    pair(ws, 1, "资金名称", &fund);
    let mut row = 2;
    // Two to four levels, in order; the lowest printed last (or, now and then, first).
    let from = r.below(3);
    let levels: Vec<&(&str, &str, &str)> = LEVELS[from..].iter().collect();
    let mut order: Vec<usize> = (0..levels.len()).collect();
    if r.chance(25) {
        order.reverse();
    }
    let finance = r.chance(50);
    let mut metadata = Vec::new();
    for &k in &order {
        let (level, dept, fin) = levels[k];
        if finance && k > 0 {
            let label = format!("{level}财政部门");
            pair(ws, row, &label, fin);
            metadata.push(label);
            row += 1;
        }
        let label = format!("{level}主管部门");
        pair(ws, row, &label, dept);
        if k + 1 != levels.len() {
            metadata.push(label);
        }
        row += 1;
    }
    let lowest = levels[levels.len() - 1].1.to_string();
    // The money: the year's amount, and its parts (the local part left blank or not).
    let a = s.annual;
    let local = r.chance(50).then_some(a / 4);
    ws.merge_range(row, 0, row + 2, 0, "资金情况", &f)
        .expect("merge");
    ws.write_string(row, 1, "年度金额(万元):").expect("write");
    ws.merge_range(row, 2, row, 5, "", &f).expect("merge");
    ws.write_number(row, 2, f64::from(a)).expect("write");
    ws.write_string(row + 1, 1, "其中:中央补助(万元)")
        .expect("write");
    ws.merge_range(row + 1, 2, row + 1, 5, "", &f)
        .expect("merge");
    ws.write_number(row + 1, 2, f64::from(a - local.unwrap_or(0)))
        .expect("write");
    ws.write_string(row + 2, 1, "地方资金(万元)")
        .expect("write");
    if let Some(l) = local {
        ws.merge_range(row + 2, 2, row + 2, 5, "", &f)
            .expect("merge");
        ws.write_number(row + 2, 2, f64::from(l)).expect("write");
    }
    row += 3;
    // The goal, its label merged down over the grid's header row.
    ws.merge_range(row, 0, row + 1, 0, "年度目标", &f)
        .expect("merge");
    ws.merge_range(row, 1, row, 5, &s.goal, &f).expect("merge");
    row += 1;
    let titled = r.chance(60);
    let c0: u16 = 1;
    for (k, h) in ["一级指标", "二级指标", "三级指标", "单位", "指标值"]
        .iter()
        .enumerate()
    {
        ws.write_string(row, c0 + k as u16, *h).expect("write");
    }
    row += 1;
    let first = row;
    let inds: &[Ind] = &s.indicators;
    let mut rows = Vec::new();
    for (k, i) in inds.iter().enumerate() {
        let rr = first + k as u32;
        ws.write_string(rr, c0 + 2, i.name).expect("write");
        ws.write_string(rr, c0 + 3, i.unit).expect("write");
        ws.write_string(rr, c0 + 4, i.raw()).expect("write");
        rows.push([
            i.level1.to_string(),
            i.level2.to_string(),
            i.name.to_string(),
            i.raw(),
            i.unit.to_string(),
        ]);
    }
    let last = first + inds.len() as u32 - 1;
    // Level cells merged down their runs.
    for (col, level) in [(c0, 1u8), (c0 + 1, 2)] {
        let of = |i: &Ind| if level == 1 { i.level1 } else { i.level2 };
        let mut k = 0;
        while k < inds.len() {
            let mut j = k;
            while j + 1 < inds.len()
                && of(&inds[j + 1]) == of(&inds[k])
                && inds[j + 1].level1 == inds[k].level1
            {
                j += 1;
            }
            let (a, b) = (first + k as u32, first + j as u32);
            if b > a {
                ws.merge_range(a, col, b, col, of(&inds[k]), &f)
                    .expect("merge");
            } else {
                ws.write_string(a, col, of(&inds[k])).expect("write");
            }
            k = j + 1;
        }
    }
    if titled {
        if last > first {
            ws.merge_range(first, 0, last, 0, "绩效指标", &f)
                .expect("merge");
        } else {
            ws.write_string(first, 0, "绩效指标").expect("write");
        }
    }
    Some(Want {
        name: fund,
        department: lowest,
        indicators: inds.len(),
        rows,
        metadata,
        annual: Some(a),
        goal: s.goal.clone(),
        ..Want::default()
    })
}

/// Draws one shape's workbook from a seed; its table's truth (`None`: to be refused).
type Draw = fn(u64, &mut Worksheet) -> Option<Want>;

/// The shapes in turn, by seed.
const SHAPES: [(&str, Draw); 2] = [("header-only", header_only), ("regional", regional)];

fn render(seed: u64) -> (&'static str, Vec<u8>, Option<Want>) {
    let (kind, draw) = SHAPES[(seed % SHAPES.len() as u64) as usize];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let want = draw(seed, ws);
    for c in 0..6 {
        ws.set_column_width(c, 20).expect("width");
    }
    (kind, wb.save_to_buffer().expect("written"), want)
}

fn differences(w: &Want, t: &jixiao::Table) -> Vec<String> {
    let mut d = Diffs::default();
    d.same("name", &t.project.name, &w.name);
    d.same(
        "implementing_unit",
        &t.project.implementing_unit,
        &w.implementing_unit,
    );
    d.same("category", &t.project.category, &w.category);
    d.same("indicators", t.indicators.len(), w.indicators);
    if !w.rows.is_empty() {
        d.same("department", &t.project.department, &w.department);
        d.same(
            "annual_total",
            t.funding.annual_total.map(|a| a.normalize().to_string()),
            w.annual.map(|a| a.to_string()),
        );
        d.same("goal", &t.goal, &w.goal);
        let units = t
            .indicators
            .iter()
            .map(|i| i.unit_column.clone().unwrap_or_default());
        let got: Vec<[String; 5]> = indicator_rows(t)
            .into_iter()
            .zip(units)
            .map(|((l1, l2, name, value), unit)| [l1, l2, name, value, unit])
            .collect();
        d.same("indicator rows", got, &w.rows);
        let labels: Vec<&str> = t.metadata.iter().map(|m| m.label.as_str()).collect();
        for m in &w.metadata {
            if !labels.contains(&m.as_str()) {
                d.0.push(format!("metadata: no {m:?} (got {labels:?})"));
            }
        }
        // 年度金额, 中央补助 and 地方资金 are the year's lines.
        let lines: Vec<&str> = t.funding.lines.iter().map(|l| l.label.as_str()).collect();
        d.same(
            "funding lines",
            &lines,
            ["年度金额(万元):", "其中:中央补助(万元)", "地方资金(万元)"],
        );
    }
    d.0
}

#[test]
fn generated_forms_read_exactly() {
    let n = family_size("JIXIAO_FORMS", WORKBOOKS);
    let mut tally = crate::common::FamilyTally::default();
    for seed in 0..n {
        let (kind, bytes, want) = render(seed);
        let name = format!("forms-{seed}-{kind}.xlsx");
        let diffs = match (jixiao::read_bytes(Path::new(&name), &bytes), &want) {
            (Err(_), None) => Vec::new(),
            (Err(e), Some(_)) => vec![format!("refused: {e}")],
            (Ok(doc), None) => vec![format!(
                "{} tables read from a sheet naming no project, want it refused",
                doc.tables.len()
            )],
            (Ok(doc), Some(w)) => match doc.tables.as_slice() {
                [t] => {
                    let mut diffs = differences(w, t);
                    // With no grid, the checker says the indicators are missing (an error).
                    // (A regional table's grid holds a part of the framework: not judged.)
                    if w.indicators == 0
                        && !jixiao::check(&doc).iter().any(|f| {
                            f.severity == jixiao::model::Severity::Error
                                && f.rule.starts_with("framework.")
                        })
                    {
                        diffs.push("no error for the missing indicators".into());
                    }
                    diffs
                }
                ts => vec![format!("{} tables read, want 1", ts.len())],
            },
        };
        tally.record(kind, &name, &bytes, diffs);
    }
    tally.assert_all_exact();
}
