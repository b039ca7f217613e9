//! The generated family's column groups (issue 19): one grid header printed twice side by side,
//! a 年度 group and a 长期 / 中期 / 实施期 one, with a shared 一级 column left of them; either group
//! on either side, the other one empty or filled. The groups are named
//! - by a word in brackets on each of their header cells (`二级指标(长期)`, `指标值（年度）`), or
//! - by nothing on the header row: the goal headings above them say which is which
//!   (`总体目标 | 中期滚动目标(2019年--2021年) | 年度目标`, each over its group's columns).
//!
//! The 年度 group is the table's `indicators`, the other its `other_grids` long-term grid. The
//! money is printed either as two spans side by side (`资金总额 | 300 | 当年资金总额: | 100`, each
//! span's lines below it) or as two amounts on the project's name row (`中期财政预算(万元) | 300 |
//! 本年度申请财政预算资金(万元) | 100`): the project's total and the year's, each with its lines.
//! Each recombines the content of `family.rs` from a fixed seed; the truth comes from the
//! generator.
//!
//! `JIXIAO_GROUPS=N` generates N workbooks instead of the default; `JIXIAO_FAMILY_DUMP=dir`
//! writes the failing ones there to open.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, indicator_rows, Diffs};
use super::family::{generate, Rng};

/// Workbooks per run (the two namings in turn).
const WORKBOOKS: u64 = 60;

type Row = (String, String, String, String);

/// One table's truth (the fields these shapes are about).
#[derive(Debug, Default)]
struct Want {
    name: String,
    year: i32,
    total: u32,
    annual: u32,
    /// The funding lines: (label, span), in any order.
    lines: Vec<String>,
    goal: String,
    long_term_goal: String,
    /// The 年度 group's rows: 一级, 二级, name, value.
    annual_rows: Vec<Row>,
    /// The other group's rows.
    long_rows: Vec<Row>,
}

fn write(ws: &mut Worksheet, row: u32, col: u16, text: &str) {
    ws.write_string(row, col, text).expect("write");
}

fn merge(ws: &mut Worksheet, row: u32, from: u16, to: u16, text: &str) {
    if to > from {
        ws.merge_range(row, from, row, to, text, &Format::new().set_text_wrap())
            .expect("merge");
    } else {
        write(ws, row, from, text);
    }
}

/// Draws one workbook from a seed: (the naming, the truth).
fn draw(seed: u64, ws: &mut Worksheet) -> (&'static str, Want) {
    let mut r = Rng::new(seed ^ 0x6A0F);
    let s = generate(seed);
    let suffix = seed.is_multiple_of(2);
    let long_left = r.chance(50);
    let long_empty = r.chance(50);
    let titled = !suffix && r.chance(50);
    // Columns: [title] | 一级 | left group (二级, 三级, 指标值) | right group.
    let c1: u16 = u16::from(titled);
    let left = c1 + 1;
    let right = left + 3;
    let last = right + 2;
    let total = s.annual * (1 + r.below(3) as u32);
    let mut want = Want {
        name: s.name.clone(),
        year: s.year,
        total,
        annual: s.annual,
        goal: s.goal.clone(),
        long_term_goal: s.long_term_goal.clone(),
        ..Want::default()
    };
    merge(
        ws,
        0,
        0,
        last,
        r.pick(&["项目支出绩效目标表", "财政项目支出绩效目标批复表"]),
    );
    write(ws, 1, 0, &format!("( {} 年度)", s.year));
    let on_name_row = r.chance(50);
    write(ws, 2, 0, "项目名称");
    let mut row = 3;
    if on_name_row {
        let mid = r.pick(&[
            "中期市财政预算(万元)",
            "中期财政预算(万元)",
            "中期资金总额(万元)",
        ]);
        let year = r.pick(&[
            "本年度申请市财政预算资金(万元)",
            "本年度申请财政预算资金(万元)",
            "本年度资金总额(万元)",
        ]);
        merge(ws, 2, 1, left, &s.name);
        write(ws, 2, left + 1, mid);
        ws.write_number(2, left + 2, f64::from(total))
            .expect("write");
        merge(ws, 2, right, right + 1, year);
        ws.write_number(2, last, f64::from(s.annual))
            .expect("write");
        want.lines = vec![format!("{mid} MidTerm"), format!("{year} Annual")];
        write(ws, row, 0, "主管部门");
        merge(ws, row, 1, last, &s.department);
        row += 1;
    } else {
        merge(ws, 2, 1, last, &s.name);
        write(ws, row, 0, "主管部门");
        merge(ws, row, 1, left + 1, &s.department);
        write(ws, row, right, "实施单位");
        merge(ws, row, right + 1, last, &s.implementing_unit);
        row += 1;
        // Two spans side by side, each with its lines below it.
        let year = r.pick(&["当年资金总额:", "年度资金总额", "本年度资金总额"]);
        let rows = [
            ("资金总额", Some(total), year, Some(s.annual)),
            (
                "其中:财政拨款",
                Some(total),
                "其中:当年财政拨款",
                Some(s.annual),
            ),
            ("其他资金", None, "当年其他资金", None),
        ];
        ws.merge_range(row, 0, row + 2, 0, "项目资金", &Format::new())
            .expect("merge");
        for (k, (l, a, y, b)) in rows.iter().enumerate() {
            let rr = row + k as u32;
            merge(ws, rr, 1, left, l);
            if let Some(a) = a {
                write(ws, rr, left + 1, &format!("{a}万元"));
            }
            merge(ws, rr, right, right + 1, y);
            if let Some(b) = b {
                write(ws, rr, last, &format!("{b}万元"));
            }
            want.lines.push(format!("{l} MidTerm"));
            want.lines.push(format!("{y} Annual"));
        }
        row += 3;
    }
    want.lines.sort();
    // The goals, each heading over its group's columns.
    let mid_head = if suffix {
        r.pick(&["中期目标", "长期目标", "实施期目标"]).to_string()
    } else {
        let y = s.year;
        let heads = [
            format!("中期滚动目标({y}年--{}年)", y + 2),
            "中期目标".to_string(),
            "长期目标".to_string(),
        ];
        heads[r.below(heads.len())].clone()
    };
    let year_head = r.pick(&["年度目标", "本年度目标"]);
    write(ws, row, 0, "总体目标");
    // Under a title column, the left goal spans the shared 一级 column too.
    let from = if titled { c1 } else { c1 + 1 };
    let (lg, rg) = if long_left {
        ((mid_head.as_str(), &s.long_term_goal), (year_head, &s.goal))
    } else {
        ((year_head, &s.goal), (mid_head.as_str(), &s.long_term_goal))
    };
    merge(ws, row, from, right - 1, lg.0);
    merge(ws, row, right, last, rg.0);
    merge(ws, row + 1, from, right - 1, lg.1);
    merge(ws, row + 1, right, last, rg.1);
    row += 2;
    // The grid header.
    let (lw, rw) = {
        let long = r.pick(&["长期", "中期", "实施期"]);
        if long_left {
            (long, "年度")
        } else {
            ("年度", long)
        }
    };
    let (open, close) = r.pick(&[("(", ")"), ("（", "）")]);
    let header = |w: &str, h: &str| {
        if suffix {
            format!("{h}{open}{w}{close}")
        } else {
            h.to_string()
        }
    };
    write(ws, row, c1, "一级指标");
    for (start, w) in [(left, lw), (right, rw)] {
        for (k, h) in ["二级指标", "三级指标", "指标值"].iter().enumerate() {
            write(ws, row, start + k as u16, &header(w, h));
        }
    }
    row += 1;
    let (long_col, year_col) = if long_left {
        (left, right)
    } else {
        (right, left)
    };
    let merged_l1 = r.chance(50);
    let first = row;
    for (k, i) in s.indicators.iter().enumerate() {
        let rr = first + k as u32;
        let same_above = k > 0 && s.indicators[k - 1].level1 == i.level1;
        if !merged_l1 || !same_above {
            write(ws, rr, c1, i.level1);
        }
        for col in [left, right] {
            write(ws, rr, col, i.level2);
        }
        write(ws, rr, year_col + 1, i.name);
        write(ws, rr, year_col + 2, &i.raw());
        want.annual_rows
            .push((i.level1.into(), i.level2.into(), i.name.into(), i.raw()));
        let (name, value) = if long_empty {
            (String::new(), String::new())
        } else {
            write(ws, rr, long_col + 1, i.name);
            write(ws, rr, long_col + 2, "长期保持");
            (i.name.to_string(), "长期保持".to_string())
        };
        want.long_rows
            .push((i.level1.into(), i.level2.into(), name, value));
    }
    if merged_l1 {
        // The 一级 cells merged down their runs.
        let inds = &s.indicators;
        let mut k = 0;
        while k < inds.len() {
            let mut j = k;
            while j + 1 < inds.len() && inds[j + 1].level1 == inds[k].level1 {
                j += 1;
            }
            if j > k {
                ws.merge_range(
                    first + k as u32,
                    c1,
                    first + j as u32,
                    c1,
                    inds[k].level1,
                    &Format::new(),
                )
                .expect("merge");
            }
            k = j + 1;
        }
    }
    if titled {
        // The title column, merged down from the header row over the grid.
        let end = first + s.indicators.len() as u32 - 1;
        ws.merge_range(first - 1, 0, end, 0, "绩效指标", &Format::new())
            .expect("merge");
    }
    (if suffix { "suffix" } else { "heading" }, want)
}

fn differences(w: &Want, t: &jixiao::Table) -> Vec<String> {
    let mut d = Diffs::default();
    let amount = |a: Option<rust_decimal::Decimal>| a.map(|a| a.normalize().to_string());
    d.same("name", &t.project.name, &w.name);
    d.same("year", t.year, Some(w.year));
    d.same("total", amount(t.funding.total), Some(w.total.to_string()));
    d.same(
        "annual_total",
        amount(t.funding.annual_total),
        Some(w.annual.to_string()),
    );
    let mut lines: Vec<String> = t
        .funding
        .lines
        .iter()
        .map(|l| format!("{} {:?}", l.label, l.scope))
        .collect();
    lines.sort();
    d.same("funding lines", lines, &w.lines);
    d.same("goal", &t.goal, &w.goal);
    d.same("long_term_goal", &t.long_term_goal, &w.long_term_goal);
    d.same("indicators", indicator_rows(t), &w.annual_rows);
    let others: Vec<(&str, Vec<Row>)> = t
        .other_grids
        .iter()
        .map(|g| {
            let rows = g
                .indicators
                .iter()
                .map(|i| {
                    (
                        i.level1.clone(),
                        i.level2.clone(),
                        i.name.clone(),
                        i.value.raw.clone(),
                    )
                })
                .collect();
            (g.key.as_str(), rows)
        })
        .collect();
    d.same(
        "other grids",
        others,
        vec![("long-term", w.long_rows.clone())],
    );
    d.0
}

#[test]
fn generated_column_groups_read_exactly() {
    let n = family_size("JIXIAO_GROUPS", WORKBOOKS);
    let mut tally = crate::common::FamilyTally::default();
    for seed in 0..n {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let (kind, want) = draw(seed, ws);
        for c in 0..9 {
            ws.set_column_width(c, 18).expect("width");
        }
        let bytes = wb.save_to_buffer().expect("written");
        let name = format!("groups-{seed}-{kind}.xlsx");
        let diffs = match jixiao::read_bytes(Path::new(&name), &bytes) {
            Err(e) => vec![format!("refused: {e}")],
            Ok(doc) => match doc.tables.as_slice() {
                [t] => differences(&want, t),
                ts => vec![format!("{} tables read, want 1", ts.len())],
            },
        };
        tally.record(kind, &name, &bytes, diffs);
    }
    tally.assert_all_exact();
}
