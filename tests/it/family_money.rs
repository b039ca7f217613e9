//! The generated money blocks of the fourth blind set (issue 19): a 部门整体 form's block whose
//! columns are told by their headings (广水 2023: `部门总体资金情况 | 单位:万元 | 当年金额 | 占比
//! | 近两年收支金额` over `2021年 | 2022年`, then `收入构成` and `支出构成`, each closed by its
//! `合计`), and a project form's heading row over the amounts (陈仓 2020: `资金来源 | 资金总额`
//! over `其中:财政拨款 | 500`). The wordings of the headings, their order, whether a share column
//! or earlier years' columns are printed, their years printed or left blank (广水 2021: `年 |
//! 年`), 其他资金 with or without an amount, how the shares are typed, the unit line and the year
//! line are drawn from a fixed seed; the truth comes from the generator. Every table must read
//! exactly (year, the year's total, every line: label, amount, parent, span; never a share as
//! money, never a heading as a line, never a column's year as the table's) and draw no funding
//! error or warning.
//!
//! `JIXIAO_MONEY=N` generates N workbooks instead of the default; `JIXIAO_FAMILY_DUMP=dir`
//! writes the failing ones there to open.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, Diffs, FamilyTally};
use super::family::{generate, Rng};

/// Workbooks per run (the shapes in turn).
const WORKBOOKS: u64 = 60;

/// One funding line as the truth has it: label, amount in cents, parent's label, span.
type Line = (String, Option<u64>, Option<String>, &'static str);

/// One table's truth (the fields these shapes are about).
#[derive(Debug, Default)]
struct Want {
    year: Option<i32>,
    annual: Option<u64>,
    lines: Vec<Line>,
    department: String,
    name: String,
}

fn line(label: &str, cents: Option<u64>, parent: Option<&str>, scope: &'static str) -> Line {
    (label.to_string(), cents, parent.map(str::to_string), scope)
}

/// Writes `text` over columns `a..=b` of `row` (merged when wider than one).
fn across(ws: &mut Worksheet, row: u32, a: u16, b: u16, text: &str) {
    let f = Format::new().set_text_wrap();
    if b > a {
        ws.merge_range(row, a, row, b, text, &f).expect("merge");
    } else {
        ws.write_string(row, a, text).expect("write");
    }
}

/// Writes `text` down column `col` over rows `a..=b`.
fn down(ws: &mut Worksheet, a: u32, b: u32, col: u16, text: &str) {
    let f = Format::new().set_text_wrap();
    if b > a {
        ws.merge_range(a, col, b, col, text, &f).expect("merge");
    } else {
        ws.write_string(a, col, text).expect("write");
    }
}

/// An amount in cents written as the number of 万元 it is.
fn money(ws: &mut Worksheet, row: u32, col: u16, cents: u64) {
    ws.write_number(row, col, cents as f64 / 100.0)
        .expect("write");
}

/// What a column right of the year's amounts holds.
#[derive(Clone, Copy, PartialEq)]
enum Col {
    Share,
    /// Earlier years: under one heading spread over a year per column, or one heading each.
    Years,
}

/// A 部门整体 form with its money block in columns (广水 2023).
fn department_block(seed: u64) -> (Vec<u8>, Want) {
    let mut r = Rng::new(seed ^ 0x6A45);
    let s = generate(seed);
    let y = s.year;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for c in 0..8 {
        ws.set_column_width(c, 14).expect("width");
    }
    across(ws, 0, 0, 7, "部门整体支出绩效目标申报表");
    // The year line, or only the date the form was filled in (then no year).
    let year = r.chance(60).then_some(y);
    match year {
        Some(y) => across(ws, 1, 0, 7, &format!("（{y}年度）")),
        None => across(ws, 1, 0, 7, &format!("填报日期:{} 年 12 月 18 日", y - 1)),
    }
    across(ws, 2, 0, 1, "部门(单位)名称");
    across(ws, 2, 2, 7, &s.department);
    // The columns right of the year's amounts, in either order.
    let share = r.chance(70);
    let years = !share || r.chance(70);
    let mut cols: Vec<Col> = Vec::new();
    if share {
        cols.push(Col::Share);
    }
    if years {
        cols.push(Col::Years);
    }
    if r.chance(40) {
        cols.reverse();
    }
    let spread = r.chance(60);
    let n_years: u16 = if spread { 2 } else { 1 };
    let head_row = 3;
    let block_label = r.pick(&["部门总体资金情况", "部门资金情况", "部门预算情况"]);
    let unit = r.pick(&["单位:万元", "单位：万元", "金额单位:万元", ""]);
    let amount_head = r.pick(&["当年金额", "本年金额", "年度预算金额", "当年预算数"]);
    let share_head = r.pick(&["占比", "比重", "占比(%)", "所占比例"]);
    let years_head = if spread {
        r.pick(&["近两年收支金额", "近两年决算数", "前两年实际收支"])
    } else {
        r.pick(&["上年决算数", "上年实际收支", "上年执行数"])
    };
    // 收入构成 and 支出构成, each a block with its 合计.
    let fiscal = 50_000 + 100 * r.below(900_000) as u64;
    // 其他资金 printed without an amount now and then (广水 2021): a line of the block all
    // the same, under its 合计.
    let other_blank = r.chance(25);
    let other = if other_blank {
        0
    } else {
        100 * r.below(90_000) as u64
    };
    // The form's year headings with the digits left blank (广水 2021: `年 | 年`).
    let blank_year = (spread && r.chance(35)).then(|| r.pick(&["年", "  年", "____年", "20  年"]));
    let basic = fiscal * 3 / 5;
    let blocks: [(&str, [(&str, u64); 2]); 2] = [
        (
            r.pick(&["收入构成", "收入预算"]),
            [
                (r.pick(&["财政拨款", "一般公共预算"]), fiscal),
                ("其他资金", other),
            ],
        ),
        (
            r.pick(&["支出构成", "支出预算"]),
            [("基本支出", basic), ("项目支出", fiscal + other - basic)],
        ),
    ];
    let total_label = r.pick(&["合计", "合 计", "小计"]);
    // Earlier years: each line at a percentage of this year's, the total their sum.
    let earlier: Vec<(i32, u64)> = (0..n_years)
        .map(|k| (y - i32::from(n_years - k), 80 + r.below(40) as u64))
        .collect();
    let rows_down = 1 + u32::from(spread) + 6;
    down(ws, head_row, head_row + rows_down - 1, 0, block_label);
    if unit.is_empty() {
        across(ws, head_row, 1, 2, "");
    } else {
        across(ws, head_row, 1, 2, unit);
    }
    // The headings: the year's amounts in column D, then the others in order.
    let sub = u32::from(spread);
    let head = |ws: &mut Worksheet, col: u16, text: &str| {
        if sub == 1 {
            down(ws, head_row, head_row + 1, col, text);
        } else {
            ws.write_string(head_row, col, text).expect("write");
        }
    };
    head(ws, 3, amount_head);
    let mut col = 4u16;
    let mut share_col = None;
    let mut year_cols = Vec::new();
    for c in &cols {
        match c {
            Col::Share => {
                head(ws, col, share_head);
                share_col = Some(col);
                col += 1;
            }
            Col::Years => {
                across(ws, head_row, col, col + n_years - 1, years_head);
                for k in 0..n_years {
                    if spread {
                        let text = match blank_year {
                            Some(b) => b.to_string(),
                            None => format!("{}年", earlier[k as usize].0),
                        };
                        ws.write_string(head_row + 1, col + k, &text)
                            .expect("write");
                    }
                    year_cols.push(col + k);
                }
                col += n_years;
            }
        }
    }
    let percent = Format::new().set_num_format("0.0%");
    let typed_share = r.chance(40);
    let mut row = head_row + 1 + sub;
    let mut lines: Vec<Line> = Vec::new();
    let mut annual = None;
    for (label, parts) in blocks {
        let total: u64 = parts.iter().map(|p| p.1).sum();
        let then = |k: usize, cents: u64| cents * earlier[k].1 / 100;
        let then_total = |k: usize| parts.iter().map(|p| then(k, p.1)).sum::<u64>();
        down(ws, row, row + 2, 1, label);
        let print = |ws: &mut Worksheet, row: u32, text: &str, cents: u64, earlier: Vec<u64>| {
            ws.write_string(row, 2, text).expect("write");
            if text == "其他资金" && other_blank {
                return;
            }
            money(ws, row, 3, cents);
            if let Some(c) = share_col {
                let share = cents as f64 / total as f64;
                if typed_share {
                    let text = format!("{:.1}%", share * 100.0);
                    ws.write_string(row, c, &text).expect("write");
                } else {
                    ws.write_number_with_format(row, c, share, &percent)
                        .expect("write");
                }
            }
            for (c, then) in year_cols.iter().zip(earlier) {
                money(ws, row, *c, then);
            }
        };
        let cols = year_cols.len();
        for (k, (part, cents)) in parts.iter().enumerate() {
            let earlier = (0..cols).map(|j| then(j, *cents)).collect();
            print(ws, row + k as u32, part, *cents, earlier);
        }
        print(
            ws,
            row + 2,
            total_label,
            total,
            (0..cols).map(then_total).collect(),
        );
        let parent = Some(total_label);
        for (part, cents) in parts {
            if part == "其他资金" && other_blank {
                lines.push(line(part, None, parent, "annual"));
                continue;
            }
            lines.push(line(part, Some(cents), parent, "annual"));
            for k in 0..cols {
                lines.push(line(part, Some(then(k, cents)), parent, "other"));
            }
        }
        lines.push(line(total_label, Some(total), None, "annual"));
        for k in 0..cols {
            lines.push(line(total_label, Some(then_total(k)), None, "other"));
        }
        annual.get_or_insert(total);
        row += 3;
    }
    across(ws, row, 0, 1, "部门职责");
    across(
        ws,
        row,
        2,
        7,
        &format!("负责{}职责范围内的各项工作。", s.department),
    );
    let want = Want {
        year,
        annual,
        lines,
        department: s.department.clone(),
        name: String::new(),
    };
    (wb.save_to_buffer().expect("written"), want)
}

/// A project form with a heading row over the amounts (陈仓 2020): `资金情况(万元) | 资金来源 |
/// 资金总额` over `其中:财政拨款 | 500` and `其他资金 | (blank)`.
fn heading_over_amounts(seed: u64) -> (Vec<u8>, Want) {
    let mut r = Rng::new(seed ^ 0xC4E1);
    let s = generate(seed);
    let y = s.year;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for c in 0..5 {
        ws.set_column_width(c, 18).expect("width");
    }
    across(ws, 0, 0, 4, &format!("{y}年项目支出绩效目标表"));
    let second = r.pick(&["({y})年度", "（{y}年度）", "单位:万元"]);
    across(ws, 1, 0, 4, &second.replace("{y}", &y.to_string()));
    across(ws, 2, 0, 0, r.pick(&["专项(项目)名称", "项目名称"]));
    across(ws, 2, 1, 4, &s.name);
    across(ws, 3, 0, 0, "主管部门");
    across(ws, 3, 1, 4, &s.department);
    let block = r.pick(&["资金情况(万元)", "项目资金(万元)", "资金情况（万元）"]);
    let source_head = r.pick(&["资金来源", "资金来源渠道", "来源"]);
    let amount_head = r.pick(&["资金总额", "年度资金总额", "资金总额(万元)"]);
    let fiscal_label = r.pick(&["其中:财政拨款", "其中：财政拨款", "财政拨款"]);
    let cents = 100 * (10 + r.below(2000) as u64);
    let other = r.chance(50).then(|| 100 * r.below(50) as u64);
    down(ws, 4, 6, 0, block);
    across(ws, 4, 1, 2, source_head);
    across(ws, 4, 3, 4, amount_head);
    across(ws, 5, 1, 2, fiscal_label);
    across(ws, 5, 3, 4, "");
    money(ws, 5, 3, cents);
    across(ws, 6, 1, 2, "其他资金");
    across(ws, 6, 3, 4, "");
    if let Some(o) = other {
        money(ws, 6, 3, o);
    }
    across(ws, 7, 0, 0, "总体目标");
    across(ws, 7, 1, 4, &s.goal);
    let want = Want {
        year: Some(y),
        annual: None,
        lines: vec![
            line(fiscal_label, Some(cents), None, "annual"),
            line("其他资金", other, None, "annual"),
        ],
        department: s.department.clone(),
        name: s.name.clone(),
    };
    (wb.save_to_buffer().expect("written"), want)
}

fn differences(w: &Want, t: &jixiao::Table) -> Vec<String> {
    let mut d = Diffs::default();
    let bare = |s: &str| s.split_whitespace().collect::<String>();
    d.same("year", t.year, w.year);
    d.same("department", &t.project.department, &w.department);
    d.same("name", &t.project.name, &w.name);
    let cents = |a: rust_decimal::Decimal| {
        (a * rust_decimal::Decimal::from(100))
            .normalize()
            .to_string()
            .parse::<u64>()
            .unwrap_or(u64::MAX)
    };
    d.same("annual_total", t.funding.annual_total.map(cents), w.annual);
    let lines = &t.funding.lines;
    let got: Vec<Line> = lines
        .iter()
        .map(|l| {
            let scope = match l.scope {
                jixiao::model::FundingScope::Annual => "annual",
                jixiao::model::FundingScope::MidTerm => "mid-term",
                jixiao::model::FundingScope::Other => "other",
            };
            (
                bare(&l.label),
                l.amount.map(cents),
                l.parent.and_then(|p| lines.get(p)).map(|p| bare(&p.label)),
                scope,
            )
        })
        .collect();
    let mut got = got;
    let mut want: Vec<Line> = w
        .lines
        .iter()
        .map(|(l, a, p, s)| (bare(l), *a, p.as_deref().map(bare), *s))
        .collect();
    // The lines' order is the reader's (row by row); compared as sets.
    got.sort();
    want.sort();
    d.same("funding lines", got, want);
    d.0
}

/// Draws one workbook of a shape from a seed: its bytes and its truth.
type Shape = fn(u64) -> (Vec<u8>, Want);

/// The shapes in turn, by seed.
const SHAPES: [(&str, Shape); 2] = [
    ("department-columns", department_block),
    ("heading-over-amounts", heading_over_amounts),
];

#[test]
fn generated_money_blocks_read_exactly_without_false_alarms() {
    let n = family_size("JIXIAO_MONEY", WORKBOOKS);
    let mut tally = FamilyTally::default();
    for seed in 0..n {
        let (kind, shape) = SHAPES[(seed % SHAPES.len() as u64) as usize];
        let (bytes, want) = shape(seed);
        let name = format!("money-{seed}-{kind}.xlsx");
        let diffs = match jixiao::read_bytes(Path::new(&name), &bytes) {
            Err(e) => vec![format!("refused: {e}")],
            Ok(doc) => match doc.tables.as_slice() {
                [t] => {
                    let mut diffs = differences(&want, t);
                    // Correct money draws no funding error or warning.
                    for f in jixiao::check(&doc) {
                        if f.rule.starts_with("funding.")
                            && f.severity != jixiao::model::Severity::Info
                        {
                            diffs.push(format!("false alarm {}: {}", f.rule, f.message));
                        }
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
