//! The generated family's funding blocks of the third blind set (issue 19): a heading row
//! with no amount over numbered lines in two levels (昭化 2021: `年度资金总额 | 金额(万元)` over
//! `(一)财政拨款小计 | 4`, `1、一般公共预算 | 4`, …); a block's heading whose value is the label
//! of its first line (陈仓 2024: `资金金额(万元) | 年底金额(万元) | 120`, `其中:省级补助 | 120`);
//! and sources as headings over their amounts with the year's total printed on the row above
//! (芜湖 2019: `项目总预算 | 75 | 项目当年预算 | 25`, then `项目资金来源情况 | 其中:上级… |
//! 其中:同级… | 其他` over `0 | 25 | 0`); lines typed with their amounts, the first with a
//! breakdown in brackets and no number (宁乡 2021: `财政拨款:6923万元(其中:上级财政资金:…)`,
//! `二、自有资金:0万元`); a form left blank (gxglmes 2021: lines by budget type each beside a
//! blank box, `项目起止时间 | | 到 |`, a label of its own beside a blank box); and, in half the
//! tables, a group's name merged down over label | value rows (`项目立项情况`). Each recombines the content of `family.rs` and
//! wordings of published forms from a fixed seed; the truth comes from the generator. Every
//! table must read exactly (its lines: label, amount, parent, span) and draw no funding error
//! or warning.
//!
//! `JIXIAO_FUNDING=N` generates N workbooks instead of the default; `JIXIAO_FAMILY_DUMP=dir`
//! writes the failing ones there to open.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, indicator_rows, Diffs};
use super::family::{generate, Rng};

/// Workbooks per run (the shapes in turn).
const WORKBOOKS: u64 = 60;

/// One funding line as the truth has it: label, amount, parent's label, span.
type Line = (String, Option<u32>, Option<String>, &'static str);

/// One table's truth (the fields these shapes are about).
#[derive(Debug, Default)]
struct Want {
    year: Option<i32>,
    name: String,
    goal: String,
    total: Option<u32>,
    annual: Option<u32>,
    lines: Vec<Line>,
    rows: Vec<(String, String, String, String)>,
    /// Metadata the table must keep: label, value (spaces aside).
    metadata: Vec<(String, String)>,
    /// The project's period, when the block prints one.
    period: Option<String>,
}

fn line(label: &str, amount: Option<u32>, parent: Option<&str>, scope: &'static str) -> Line {
    (label.to_string(), amount, parent.map(str::to_string), scope)
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

fn number(ws: &mut Worksheet, row: u32, col: u16, n: u32) {
    ws.write_number(row, col, f64::from(n)).expect("write");
}

/// `年度资金总额 | 金额(万元)` over numbered lines in two levels, no total printed.
fn heading_row(r: &mut Rng, a: u32, ws: &mut Worksheet, row: u32) -> (u32, Want) {
    let top = r.pick(&[
        ["(一)", "(二)", "(三)"],
        ["一、", "二、", "三、"],
        ["（一）", "（二）", "（三）"],
    ]);
    let sub = r.pick(&[
        ["1、", "2、", "3、"],
        ["1.", "2.", "3."],
        ["(1)", "(2)", "(3)"],
    ]);
    let fiscal = r.pick(&["财政拨款小计", "财政拨款"]);
    let own = r.pick(&["自有资金小计", "单位自有资金"]);
    let other = r.pick(&["其他收入", "其他资金"]);
    let gov = r.below(2) as u32 * (a / 4);
    let other_amount = if r.chance(30) { 1 } else { 0 };
    let fiscal_amount = a - other_amount;
    let parts = 1 + r.below(3);
    let gov = if parts > 1 { gov } else { 0 };
    let fiscal_parts = [
        ("一般公共预算", fiscal_amount - gov),
        ("政府性基金", gov),
        ("国有资本经营预算", 0),
    ];
    let own_parts = [("事业收入", 0), ("经营性收入", 0)];
    let indent = r.chance(50);
    let mut printed: Vec<(String, u32, Option<usize>)> = Vec::new();
    let mut push_group = |label: String, amount: u32, parts: &[(&str, u32)]| {
        let at = printed.len();
        printed.push((label, amount, None));
        for (k, (p, n)) in parts.iter().enumerate() {
            printed.push((format!("{}{p}", sub[k]), *n, Some(at)));
        }
    };
    push_group(
        format!("{}{fiscal}", top[0]),
        fiscal_amount,
        &fiscal_parts[..parts],
    );
    push_group(format!("{}{own}", top[1]), 0, &own_parts[..r.below(3)]);
    push_group(format!("{}{other}", top[2]), other_amount, &[]);
    let n = printed.len() as u32 + 1;
    down(
        ws,
        row,
        row + n - 1,
        0,
        r.pick(&["项目资金(万元)", "资金情况（万元）"]),
    );
    across(
        ws,
        row,
        1,
        2,
        r.pick(&["年度资金总额", "本年度资金总额", "年度资金"]),
    );
    ws.write_string(
        row,
        3,
        r.pick(&["金额(万元)", "金额（万元）", "预算数（万元）"]),
    )
    .expect("write");
    let mut lines = Vec::new();
    for (k, (label, amount, parent)) in printed.iter().enumerate() {
        let pad = match (indent, parent) {
            (false, _) => "",
            (true, None) => "   ",
            (true, Some(_)) => "       ",
        };
        across(ws, row + 1 + k as u32, 1, 2, &format!("{pad}{label}"));
        number(ws, row + 1 + k as u32, 3, *amount);
        let parent = parent.map(|p| printed[p].0.as_str());
        lines.push(line(label, Some(*amount), parent, "annual"));
    }
    let want = Want {
        lines,
        ..Want::default()
    };
    (row + n, want)
}

/// `资金金额(万元) | 年底金额(万元) | 120` over `其中:省级补助 | 120` and `其他`.
fn block_heading(r: &mut Rng, a: u32, ws: &mut Worksheet, row: u32) -> (u32, Want) {
    let first = r.pick(&[
        "年底金额(万元)",
        "下达金额（万元）",
        "补助金额(万元)",
        "安排金额",
    ]);
    let part = r.pick(&["其中:省级补助", "其中：省级补助资金", "其中:市级配套"]);
    let other = r.chance(50);
    let other_amount = r.chance(40).then_some(0);
    let n = 2 + u32::from(other);
    down(
        ws,
        row,
        row + n - 1,
        0,
        r.pick(&["资金金额(万元)", "资金金额（万元）", "补助资金(万元)"]),
    );
    ws.write_string(row, 1, first).expect("write");
    across(ws, row, 2, 3, "");
    number(ws, row, 2, a);
    ws.write_string(row + 1, 1, part).expect("write");
    across(ws, row + 1, 2, 3, "");
    number(ws, row + 1, 2, a);
    let mut lines = vec![
        line(first, Some(a), None, "annual"),
        line(part, Some(a), Some(first), "annual"),
    ];
    if other {
        ws.write_string(row + 2, 1, "其他").expect("write");
        across(ws, row + 2, 2, 3, "");
        if let Some(o) = other_amount {
            number(ws, row + 2, 2, o);
        }
        lines.push(line("其他", other_amount, Some(first), "annual"));
    }
    let want = Want {
        annual: Some(a),
        lines,
        ..Want::default()
    };
    (row + n, want)
}

/// `项目总预算(万元) | 75 | 项目当年预算(万元) | 25`, then the sources as headings over their
/// amounts (`项目资金来源情况(万元) | 其中:上级财政补助资金 | 其中:同级财政资金 | 其他`).
fn sources_as_headings(r: &mut Rng, a: u32, ws: &mut Worksheet, row: u32) -> (u32, Want) {
    let years = 1 + r.below(3) as u32;
    let total = a * years;
    let total_label = r.pick(&["项目总预算(万元)", "项目总预算（万元）"]);
    let annual_label = r.pick(&["项目当年预算(万元)", "项目当年预算（万元）"]);
    ws.write_string(row, 0, total_label).expect("write");
    number(ws, row, 1, total);
    ws.write_string(row, 2, annual_label).expect("write");
    number(ws, row, 3, a);
    let upper = r.below(2) as u32 * (a / 3);
    let heads = [
        (
            r.pick(&["其中:上级财政补助资金", "其中：上级补助资金"]),
            upper,
        ),
        (
            r.pick(&["其中:同级财政资金", "其中：本级财政资金"]),
            a - upper,
        ),
        ("其他", 0),
    ];
    down(
        ws,
        row + 1,
        row + 2,
        0,
        r.pick(&["项目资金来源情况(万元)", "资金来源情况（万元）"]),
    );
    let mut lines = vec![
        line(total_label, Some(total), None, "mid-term"),
        line(annual_label, Some(a), None, "annual"),
    ];
    for (k, (h, n)) in heads.iter().enumerate() {
        ws.write_string(row + 1, 1 + k as u16, *h).expect("write");
        number(ws, row + 2, 1 + k as u16, *n);
        lines.push(line(h, Some(*n), Some(annual_label), "annual"));
    }
    // Last year's figures printed as labels left blank (`同名项目上年预算额 | | 同名项目上年预算
    // 执行数 |`): lines of another span, without an amount.
    let mut end = row + 3;
    if r.chance(50) {
        for (k, label) in ["同名项目上年预算额", "同名项目上年预算执行数"]
            .iter()
            .enumerate()
        {
            ws.write_string(end, 2 * k as u16, *label).expect("write");
            lines.push(line(label, None, None, "other"));
        }
        end += 1;
    }
    let want = Want {
        total: Some(total),
        annual: Some(a),
        lines,
        ..Want::default()
    };
    (end, want)
}

/// `资金总额及构成 | 总额 | 100万元` over lines typed with their amounts in one cell, the first
/// with its breakdown in brackets after the amount and no number of its own (宁乡 2021:
/// `财政拨款:6923.3552万元(其中:上级财政资金:6923.3552万元;本级财政:0万元)`, `二、自有资金:0万元`,
/// `三、其他:3683.397万元`): three lines under the total, the breakdown no line.
fn inline_breakdown(r: &mut Rng, a: u32, ws: &mut Worksheet, row: u32) -> (u32, Want) {
    let colon = r.pick(&[":", "："]);
    let (open, close) = r.pick(&[("(", ")"), ("（", "）")]);
    let sep = r.pick(&[";", "；", "，"]);
    let unit = r.pick(&["万元", "万"]);
    let fiscal_label = r.pick(&["财政拨款", "财政资金"]);
    let upper = r.below(2) as u32 * (a / 2);
    let other_amount = r.below(2) as u32;
    let fiscal = a - other_amount;
    let numbered_first = r.chance(25);
    let (own, other) = r.pick(&[
        ("二、自有资金", "三、其他"),
        ("二、单位自有资金", "三、其他资金"),
    ]);
    let first = if numbered_first {
        format!("一、{fiscal_label}")
    } else {
        fiscal_label.to_string()
    };
    let lines_text = [
        format!(
            "{first}{colon}{fiscal}{unit}{open}其中{colon}上级财政资金{colon}{upper}{unit}{sep}本级财政{colon}{}{unit}{close}",
            fiscal - upper
        ),
        format!("{own}{colon}0{unit}"),
        format!("{other}{colon}{other_amount}{unit}"),
    ];
    down(
        ws,
        row,
        row + 3,
        0,
        r.pick(&["资金总额及构成", "资金来源及构成"]),
    );
    ws.write_string(row, 1, "总额").expect("write");
    across(ws, row, 2, 3, &format!("{a}{unit}"));
    for (k, t) in lines_text.iter().enumerate() {
        across(ws, row + 1 + k as u32, 1, 3, t);
    }
    let lines = vec![
        line("总额", Some(a), None, "annual"),
        line(&first, Some(fiscal), Some("总额"), "annual"),
        line(own, Some(0), Some("总额"), "annual"),
        line(other, Some(other_amount), Some("总额"), "annual"),
    ];
    let want = Want {
        annual: Some(a),
        lines,
        ..Want::default()
    };
    (row + 4, want)
}

/// A form left blank (gxglmes 2021): `项目起止时间 | (blank box) | 到 | (blank box)`, then
/// `项目资金申请(万元)` merged down over `资金总额:` and the lines by budget type, each with
/// a blank box after it, then a label of its own left blank (`单位职能概述(450字内) | (blank
/// box)`): the period empty, lines without an amount (the others under the first), the label
/// kept with an empty value.
fn blank_by_type(r: &mut Rng, _a: u32, ws: &mut Worksheet, row: u32) -> (u32, Want) {
    let note = r.pick(&["(450字内)", "（300字以内）", ""]);
    ws.write_string(
        row,
        0,
        r.pick(&["项目起止时间(如20190101)", "项目起止时间"]),
    )
    .expect("write");
    ws.write_string(row, 2, r.pick(&["到", "至"]))
        .expect("write");
    let colon = r.pick(&[":", "：", ""]);
    let mut types = vec![
        "一般公共预算拨款",
        "政府性基金预算拨款",
        "国有资本经营预算拨款",
        "纳入财政专户管理的收入",
        "未纳入财政专户管理的收入",
        "上年结余收入",
    ];
    types.truncate(3 + r.below(4));
    let total = r.pick(&["资金总额", "年度资金总额"]);
    let labels: Vec<String> = std::iter::once(total)
        .chain(types.iter().copied())
        .map(|l| format!("{l}{colon}"))
        .collect();
    let first = row + 1;
    let last = first + labels.len() as u32 - 1;
    down(
        ws,
        first,
        last,
        0,
        r.pick(&["项目资金申请(万元)", "项目资金申请（万元）"]),
    );
    let mut lines = Vec::new();
    for (k, l) in labels.iter().enumerate() {
        ws.write_string(first + k as u32, 1, l).expect("write");
        across(ws, first + k as u32, 2, 3, "");
        let parent = (k > 0).then(|| labels[0].as_str());
        lines.push(line(l, None, parent, "annual"));
    }
    let own = format!("单位职能概述{note}");
    ws.write_string(last + 1, 0, &own).expect("write");
    across(ws, last + 1, 1, 3, "");
    let want = Want {
        period: Some(String::new()),
        lines,
        metadata: vec![(own, String::new())],
        ..Want::default()
    };
    (last + 2, want)
}

/// Draws a funding block from `row` on: the row after it and the block's truth.
type Block = fn(&mut Rng, u32, &mut Worksheet, u32) -> (u32, Want);

/// The blocks in turn, by seed.
const BLOCKS: [(&str, Block); 5] = [
    ("heading-row", heading_row),
    ("block-heading", block_heading),
    ("sources-as-headings", sources_as_headings),
    ("inline-breakdown", inline_breakdown),
    ("blank-by-type", blank_by_type),
];

fn render(seed: u64) -> (&'static str, Vec<u8>, Want) {
    let (kind, block) = BLOCKS[(seed % BLOCKS.len() as u64) as usize];
    let mut r = Rng::new(seed ^ 0xF0D5);
    let s = generate(seed);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for c in 0..4 {
        ws.set_column_width(c, 24).expect("width");
    }
    let y = s.year;
    let mut metadata = Vec::new();
    // The title, or (芜湖 2019) only a year line and the line where the unit stamps.
    let mut row = if r.chance(30) {
        across(ws, 0, 0, 3, &format!("({y}年度)"));
        across(ws, 1, 0, 3, "申报单位名称:(盖章)");
        metadata.push(("申报单位名称(盖章)".to_string(), String::new()));
        2
    } else {
        across(ws, 0, 0, 3, &format!("{y}年度项目支出绩效目标表"));
        1
    };
    let pair = |ws: &mut Worksheet, row: u32, label: &str, value: &str| {
        ws.write_string(row, 0, label).expect("write");
        across(ws, row, 1, 3, value);
    };
    pair(ws, row, "项目名称", &s.name);
    pair(ws, row + 1, "主管部门", &s.department);
    pair(ws, row + 2, "实施单位", &s.implementing_unit);
    row += 3;
    // Labels no field answers to typed with their values (`起始日期:2019年 1 月 1日`).
    if r.chance(40) {
        let dates = [
            ("起始日期", format!("{y}年  1 月 1日")),
            ("结束日期", format!(" {y} 年 12  月31日")),
        ];
        for (k, (l, v)) in dates.iter().enumerate() {
            across(ws, row, 2 * k as u16, 2 * k as u16 + 1, &format!("{l}:{v}"));
            metadata.push((l.to_string(), v.trim().to_string()));
        }
        row += 1;
    }
    let (mut row, mut want) = block(&mut r, s.annual.max(4), ws, row);
    want.year = Some(y);
    metadata.append(&mut want.metadata);
    want.metadata = metadata;
    // A group's name merged down over rows of a label and its value each (宁乡 2021:
    // `项目立项情况` over `项目立项的依据 | …`), some values left blank in their boxes
    // (gxglmes 2021): each pair is metadata, the group's name no label.
    if r.chance(50) {
        let note = r.pick(&["", "(450字内)"]);
        let pairs = [
            ("项目立项的依据", "按发改部门批复立项"),
            ("项目申报的可行性", "已完成项目可行性评估"),
            ("项目申报的必要性", "为改善基础设施、振兴乡村"),
        ];
        let n = 2 + r.below(2) as u32;
        down(
            ws,
            row,
            row + n - 1,
            0,
            r.pick(&["项目立项情况", "立项情况"]),
        );
        let blank = r.chance(30);
        for (k, (l, v)) in pairs.iter().take(n as usize).enumerate() {
            let label = format!("{l}{note}");
            let value = if blank { "" } else { *v };
            ws.write_string(row + k as u32, 1, &label).expect("write");
            across(ws, row + k as u32, 2, 3, value);
            want.metadata.push((label, value.to_string()));
        }
        row += n;
    }
    // The goal's label with a note in brackets, longer than any label (芜湖 2019).
    let goal_label = if r.chance(40) {
        "项目绩效目标(含项目概况、设立依据、必要性及预期目标)"
    } else {
        "年度目标"
    };
    pair(ws, row, goal_label, &s.goal);
    row += 1;
    for (k, h) in ["一级指标", "二级指标", "三级指标", "指标值"]
        .iter()
        .enumerate()
    {
        ws.write_string(row, k as u16, *h).expect("write");
    }
    for i in &s.indicators {
        row += 1;
        for (k, v) in [i.level1, i.level2, i.name, &i.raw()].iter().enumerate() {
            ws.write_string(row, k as u16, *v).expect("write");
        }
        want.rows.push((
            i.level1.to_string(),
            i.level2.to_string(),
            i.name.to_string(),
            i.raw(),
        ));
    }
    want.name = s.name.clone();
    want.goal = s.goal.clone();
    (kind, wb.save_to_buffer().expect("written"), want)
}

fn differences(w: &Want, t: &jixiao::Table) -> Vec<String> {
    let mut d = Diffs::default();
    d.same("year", t.year, w.year);
    d.same("name", &t.project.name, &w.name);
    let bare = |s: &str| s.split_whitespace().collect::<String>();
    for (label, value) in &w.metadata {
        let got = t
            .metadata
            .iter()
            .find(|m| &m.label == label)
            .map(|m| bare(&m.value));
        d.same(&format!("metadata {label}"), got, Some(bare(value)));
    }
    d.same("goal", &t.goal, &w.goal);
    if let Some(p) = &w.period {
        d.same("period", &t.project.period, p);
    }
    // The group's name over label|value rows is no label of its own.
    for m in &t.metadata {
        if m.label.ends_with("立项情况") {
            d.0.push(format!(
                "metadata: a group's name read as a label: {} = {}",
                m.label, m.value
            ));
        }
    }
    let money = |a: Option<rust_decimal::Decimal>| a.map(|a| a.normalize().to_string());
    d.same(
        "total",
        money(t.funding.total),
        w.total.map(|a| a.to_string()),
    );
    d.same(
        "annual_total",
        money(t.funding.annual_total),
        w.annual.map(|a| a.to_string()),
    );
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
                l.label.clone(),
                l.amount
                    .map(|a| a.normalize().to_string().parse().unwrap_or(u32::MAX)),
                l.parent.and_then(|p| lines.get(p)).map(|p| p.label.clone()),
                scope,
            )
        })
        .collect();
    d.same("funding lines", got, &w.lines);
    d.same("indicator rows", indicator_rows(t), &w.rows);
    d.0
}

#[test]
fn generated_funding_blocks_read_exactly_without_false_alarms() {
    let n = family_size("JIXIAO_FUNDING", WORKBOOKS);
    let mut tally = crate::common::FamilyTally::default();
    for seed in 0..n {
        let (kind, bytes, want) = render(seed);
        let name = format!("funding-{seed}-{kind}.xlsx");
        let diffs = match jixiao::read_bytes(Path::new(&name), &bytes) {
            Err(e) => vec![format!("refused: {e}")],
            Ok(doc) => match doc.tables.as_slice() {
                [t] => {
                    let mut diffs = differences(&want, t);
                    // Correct money draws no funding error or warning (a form left blank
                    // is missing its money).
                    for f in jixiao::check(&doc) {
                        let blank = kind == "blank-by-type" && f.rule == "funding.missing";
                        if f.rule.starts_with("funding.")
                            && f.severity != jixiao::model::Severity::Info
                            && !blank
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
