//! The generated family's other shapes (issue 19, "Shapes"): the flat list of a unit's
//! projects, tables stacked under a row naming them with grids of no level columns,
//! title-only 评价指标表, and 长期 / 年度 column groups side by side. Each recombines the
//! content, titles and wordings of `family.rs` from a fixed seed; the truth comes from the
//! generator. Every table must read exactly and, being correct, draw no error and no warning.
//!
//! `JIXIAO_SHAPES=N` generates N workbooks instead of the default; `JIXIAO_FAMILY_DUMP=dir`
//! writes the failing ones there to open.

use jixiao::model::IndicatorClass;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, Tally};
use super::family::{draw_header, generate, printed_unit, shape, Ind, Rng, Spec, GOAL_LABELS};

/// Workbooks per run (the four shapes in turn).
const WORKBOOKS: u64 = 100;

/// One indicator as a person reads it off the printed table.
#[derive(Debug, Clone, Default)]
struct WantInd {
    level1: String,
    level2: String,
    name: String,
    value: String,
    class: IndicatorClass,
}

/// One table's truth.
#[derive(Debug, Default)]
struct Want {
    year: Option<i32>,
    name: String,
    department: String,
    department_code: String,
    implementing_unit: String,
    annual: Option<Decimal>,
    goal: String,
    indicators: Vec<WantInd>,
    /// The 长期 group: its key, and its rows (`None`: printed empty, levels only).
    long_term: Option<Option<Vec<WantInd>>>,
}

fn want_ind(i: &Ind) -> WantInd {
    WantInd {
        level1: i.level1.into(),
        level2: i.level2.into(),
        name: i.name.into(),
        value: i.raw(),
        class: i.class,
    }
}

/// Projects for one sheet: `n` specs of year `year` and distinct names.
fn projects(seed: u64, n: usize, year: i32, avoid: &[String]) -> Vec<Spec> {
    let mut out: Vec<Spec> = Vec::new();
    let mut k = 0;
    while out.len() < n {
        let s = generate(seed + 10_000 * k);
        k += 1;
        if s.year == year
            && out
                .iter()
                .map(|o| &o.name)
                .chain(avoid)
                .all(|o| *o != s.name)
        {
            out.push(s);
        }
    }
    out
}

fn text_format() -> Format {
    Format::new().set_text_wrap()
}

/// A value merged down `a..=b` of a column, or repeated on every row.
fn down(ws: &mut Worksheet, a: u32, b: u32, col: u16, text: &str, merge: bool) {
    if merge && b > a {
        ws.merge_range(a, col, b, col, text, &text_format())
            .expect("merge");
    } else {
        for r in a..=b {
            ws.write_string(r, col, text).expect("write");
        }
    }
}

/// The flat list: one sheet for a unit's projects (or two units'), one row per indicator,
/// the unit's subtotal on a row of its own, amounts in 元.
fn flat_list(seed: u64, ws: &mut Worksheet) -> Vec<Want> {
    let mut r = Rng::new(seed ^ 0xF1A7);
    let units = 1 + usize::from(r.chance(30));
    let year = generate(seed).year;
    let f = text_format();
    let title = match r.below(3) {
        0 => format!("部门预算项目绩效目标申报表({year}年度)"),
        1 => format!("{year}年部门预算项目绩效目标申报表"),
        _ => format!("{year}年度项目支出绩效目标表"),
    };
    ws.merge_range(0, 0, 0, 10, &title, &f).expect("merge");
    ws.merge_range(1, 0, 1, 10, r.pick(&["金额单位:元", "单位：元"]), &f)
        .expect("merge");
    let header = [
        r.pick(&["单位名称", "预算单位"]),
        "项目名称",
        r.pick(&["预算数", "预算金额", "项目金额"]),
        r.pick(&["年度目标", "年度绩效目标", "年度总体目标"]),
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "权重",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).expect("write");
    }
    let merge = r.chance(60);
    let mut row = 3;
    let mut wants = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for u in 0..units {
        let specs = projects(seed + 1_000 * u as u64, 2 + r.below(2), year, &names);
        names.extend(specs.iter().map(|s| s.name.clone()));
        let code = 800 + r.below(100);
        let department = specs[0].department.clone();
        let unit = specs[0].implementing_unit.clone();
        // Amounts in 元 with fen: 万元 × 10 000 + a remainder.
        let yuan: Vec<Decimal> = specs
            .iter()
            .map(|s| {
                Decimal::from(s.annual) * Decimal::from(10_000)
                    + Decimal::new(r.below(1_000_000) as i64, 2)
            })
            .collect();
        let subtotal: Decimal = yuan.iter().sum::<Decimal>() + Decimal::from(r.below(500_000));
        ws.write_string(row, 0, format!("{code}-{department}"))
            .expect("write");
        ws.write_number(row, 2, f64::try_from(subtotal).expect("f64"))
            .expect("write");
        row += 1;
        let unit_first = row;
        for (s, amount) in specs.iter().zip(&yuan) {
            // The rows of a project in the order the system exports them: shuffled or not.
            let mut inds = s.indicators.clone();
            if r.chance(50) {
                for i in (1..inds.len()).rev() {
                    inds.swap(i, r.below(i + 1));
                }
            }
            let (a, b) = (row, row + inds.len() as u32 - 1);
            down(ws, a, b, 1, &s.name, merge);
            if merge && b > a {
                ws.merge_range(a, 2, b, 2, "", &f).expect("merge");
            }
            for rr in a..=if merge { a } else { b } {
                ws.write_number(rr, 2, f64::try_from(*amount).expect("f64"))
                    .expect("write");
            }
            down(ws, a, b, 3, &s.goal, merge);
            for (k, i) in inds.iter().enumerate() {
                let rr = a + k as u32;
                ws.write_string(rr, 4, i.level1).expect("write");
                ws.write_string(rr, 5, i.level2).expect("write");
                ws.write_string(rr, 6, i.name).expect("write");
                ws.write_string(rr, 7, i.nature).expect("write");
                match i.value.parse::<f64>() {
                    Ok(n) if i.nature != "定性" => ws.write_number(rr, 8, n),
                    _ => ws.write_string(rr, 8, &i.value),
                }
                .expect("write");
                ws.write_string(rr, 9, i.unit).expect("write");
                ws.write_number(rr, 10, f64::from(i.weight)).expect("write");
            }
            row = b + 1;
            wants.push(Want {
                year: Some(year),
                name: s.name.clone(),
                department: department.clone(),
                department_code: code.to_string(),
                implementing_unit: unit.clone(),
                annual: Some(amount / Decimal::from(10_000)),
                goal: s.goal.clone(),
                indicators: inds.iter().map(want_ind).collect(),
                long_term: None,
            });
        }
        down(
            ws,
            unit_first,
            row - 1,
            0,
            &format!("{code}001-{unit}"),
            merge,
        );
    }
    wants
}

/// Tables stacked under a row naming each (`专项资金名称 | …`), each with its money, goal and a
/// grid of `指标名称 | 指标值` only: no level columns.
fn stacked(seed: u64, ws: &mut Worksheet) -> Vec<Want> {
    let mut r = Rng::new(seed ^ 0x57AC);
    let specs = projects(seed, 2 + r.below(2), generate(seed).year, &[]);
    let year = specs[0].year;
    let f = text_format();
    ws.merge_range(
        0,
        0,
        0,
        3,
        &match r.below(2) {
            0 => format!("{year}年专项资金绩效目标表"),
            _ => format!("{year}年度项目支出绩效目标表"),
        },
        &f,
    )
    .expect("merge");
    ws.merge_range(1, 0, 1, 3, "单位：万元", &f).expect("merge");
    let name_label = r.pick(&["专项资金名称", "项目名称"]);
    let inline = r.chance(40);
    let value_header = r.pick(&["指标值", "目标值"]);
    let mut row = 2;
    let mut wants = Vec::new();
    for s in &specs {
        if inline {
            ws.merge_range(row, 0, row, 3, &format!("{name_label}：{}", s.name), &f)
                .expect("merge");
        } else {
            ws.write_string(row, 0, name_label).expect("write");
            ws.merge_range(row, 1, row, 3, &s.name, &f).expect("merge");
        }
        row += 1;
        ws.write_string(row, 0, "年度资金总额").expect("write");
        ws.write_number(row, 1, f64::from(s.annual)).expect("write");
        row += 1;
        ws.write_string(row, 0, r.pick(GOAL_LABELS)).expect("write");
        ws.merge_range(row, 1, row, 3, &s.goal, &f).expect("merge");
        row += 1;
        ws.merge_range(row, 0, row, 2, "指标名称", &f)
            .expect("merge");
        ws.write_string(row, 3, value_header).expect("write");
        row += 1;
        for i in &s.indicators {
            ws.merge_range(row, 0, row, 2, i.name, &f).expect("merge");
            ws.write_string(row, 3, i.raw()).expect("write");
            row += 1;
        }
        row += 1;
        wants.push(Want {
            year: Some(year),
            name: s.name.clone(),
            annual: Some(Decimal::from(s.annual)),
            goal: s.goal.clone(),
            // No levels printed: a class only where the name says it (满意度).
            indicators: s
                .indicators
                .iter()
                .map(|i| WantInd {
                    name: i.name.into(),
                    value: i.raw(),
                    class: if i.name.ends_with("满意度") {
                        IndicatorClass::Satisfaction
                    } else {
                        IndicatorClass::Unknown
                    },
                    ..WantInd::default()
                })
                .collect(),
            ..Want::default()
        });
    }
    wants
}

/// A 评价指标表 with no header block: the project named in the title only, a 总分 row.
fn title_only(seed: u64, ws: &mut Worksheet) -> Vec<Want> {
    let mut r = Rng::new(seed ^ 0x717E);
    let s = generate(seed);
    let y = s.year;
    let f = text_format();
    let name = if s.name.ends_with("项目") {
        s.name.clone()
    } else {
        format!("{}项目", s.name)
    };
    let mut row = 0;
    match r.below(3) {
        0 => ws.merge_range(0, 0, 0, 5, &format!("{y}年度{name}绩效评价指标表"), &f),
        1 => ws.merge_range(0, 0, 0, 5, &format!("{y}年{name}绩效评价指标表"), &f),
        _ => {
            ws.merge_range(0, 0, 0, 5, &format!("{name}绩效评价指标表"), &f)
                .expect("merge");
            row += 1;
            ws.merge_range(1, 0, 1, 5, &format!("（{y}年度）"), &f)
        }
    }
    .expect("merge");
    row += 1;
    for (c, h) in [
        "评价指标",
        "评价内容",
        "指标名称",
        "指标说明",
        "目标值",
        "分值",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(row, c as u16, *h).expect("write");
    }
    row += 1;
    let first = row;
    let merge = r.chance(60);
    for (k, i) in s.indicators.iter().enumerate() {
        let rr = first + k as u32;
        ws.write_string(rr, 2, i.name).expect("write");
        ws.write_string(rr, 3, format!("反映{}情况", i.name))
            .expect("write");
        ws.write_string(rr, 4, i.raw()).expect("write");
        ws.write_number(rr, 5, f64::from(i.weight)).expect("write");
    }
    level_columns(ws, &s.indicators, first, &[(0, 1), (1, 2)], merge);
    row = first + s.indicators.len() as u32;
    ws.merge_range(row, 0, row, 4, "总分", &f).expect("merge");
    ws.write_number(row, 5, 100.0).expect("write");
    vec![Want {
        year: Some(y),
        name,
        indicators: s.indicators.iter().map(want_ind).collect(),
        ..Want::default()
    }]
}

/// Level columns (column, 1 or 2): merged down their runs or repeated.
fn level_columns(ws: &mut Worksheet, inds: &[Ind], first: u32, cols: &[(u16, u8)], merge: bool) {
    for &(c, level) in cols {
        let of = |i: usize| {
            if level == 1 {
                inds[i].level1
            } else {
                inds[i].level2
            }
        };
        let mut i = 0;
        while i < inds.len() {
            let mut j = i;
            while j + 1 < inds.len()
                && of(j + 1) == of(i)
                && (level == 1 || inds[j + 1].level1 == inds[i].level1)
            {
                j += 1;
            }
            down(ws, first + i as u32, first + j as u32, c, of(i), merge);
            i = j + 1;
        }
    }
}

/// The long-term value of an indicator (what the period as a whole aims at).
fn long_term_value(i: &Ind) -> String {
    match i.value.parse::<u32>() {
        Ok(n) if i.nature != "定性" && i.unit != "%" => {
            let v = (n * 3).to_string();
            Ind {
                value: v,
                ..i.clone()
            }
            .raw()
        }
        _ if i.nature == "定性" => format!("实施期内{}", i.value),
        _ => i.raw(),
    }
}

/// A classic header block over a grid printed as two column groups, `（长期）` and `（年度）`,
/// each `二级指标 | 三级指标 | 指标值` beside a shared 一级 column; either side first, the
/// long-term side filled or printed with its levels only.
fn column_groups(seed: u64, ws: &mut Worksheet) -> Vec<Want> {
    let mut r = Rng::new(seed ^ 0xC011);
    let spec = generate(seed);
    let mut sh = shape(seed);
    sh.goal_heading = 0;
    sh.every_level2 = false;
    let f = text_format();
    let mut row = draw_header(ws, &spec, &sh, 0, 6);
    let annual_left = r.chance(50);
    let long_filled = r.chance(50);
    let (annual_col, long_col): (u16, u16) = if annual_left { (1, 4) } else { (4, 1) };
    let (ya, yl) = (
        r.pick(&["（年度）", "(年度)", "年度"]),
        r.pick(&["（长期）", "(长期)", "长期"]),
    );
    ws.merge_range(row, 0, row + 1, 0, "一级指标", &f)
        .expect("merge");
    ws.merge_range(row, annual_col, row, annual_col + 2, ya, &f)
        .expect("merge");
    ws.merge_range(row, long_col, row, long_col + 2, yl, &f)
        .expect("merge");
    row += 1;
    for c in [1, 4] {
        for (k, h) in ["二级指标", "三级指标", "指标值"].iter().enumerate() {
            ws.write_string(row, c + k as u16, *h).expect("write");
        }
    }
    row += 1;
    let first = row;
    let merge = r.chance(60);
    let inds = &spec.indicators;
    for (k, i) in inds.iter().enumerate() {
        let rr = first + k as u32;
        ws.write_string(rr, annual_col + 1, i.name).expect("write");
        ws.write_string(rr, annual_col + 2, i.raw()).expect("write");
        if long_filled {
            ws.write_string(rr, long_col + 1, i.name).expect("write");
            ws.write_string(rr, long_col + 2, long_term_value(i))
                .expect("write");
        }
    }
    // 一级 on column A; each group's 二级 in its own column.
    level_columns(ws, inds, first, &[(0, 1), (1, 2), (4, 2)], merge);
    let long = long_filled.then(|| {
        inds.iter()
            .map(|i| WantInd {
                value: long_term_value(i),
                ..want_ind(i)
            })
            .collect()
    });
    vec![Want {
        year: Some(spec.year),
        name: spec.name.clone(),
        department: spec.department.clone(),
        implementing_unit: printed_unit(&spec, &sh),
        annual: Some(Decimal::from(spec.annual)),
        goal: spec.goal.clone(),
        indicators: inds.iter().map(want_ind).collect(),
        long_term: Some(long),
        ..Want::default()
    }]
}

/// The shapes the reader takes whole: the test holds these to reading exactly without a false
/// alarm (the others are generated and counted, not yet asserted).
const READ: &[&str] = &["flat", "groups", "stacked", "title-only"];

/// Draws one shape's workbook from a seed; its tables' truths.
type Draw = fn(u64, &mut Worksheet) -> Vec<Want>;

/// The shapes in turn, by seed.
const SHAPES: [(&str, Draw); 4] = [
    ("flat", flat_list),
    ("stacked", stacked),
    ("title-only", title_only),
    ("groups", column_groups),
];

fn render(seed: u64) -> (&'static str, Vec<u8>, Vec<Want>) {
    let (kind, draw) = SHAPES[(seed % SHAPES.len() as u64) as usize];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("绩效目标表").expect("sheet name");
    let wants = draw(seed, ws);
    for c in 0..11 {
        ws.set_column_width(c, 18).expect("width");
    }
    (kind, wb.save_to_buffer().expect("written"), wants)
}

fn grid_differences(
    out: &mut Vec<String>,
    what: &str,
    got: &[jixiao::model::Indicator],
    want: &[WantInd],
) {
    if got.len() != want.len() {
        out.push(format!(
            "{what}: {} rows read, want {} ({})",
            got.len(),
            want.len(),
            got.iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(" / ")
        ));
    }
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        for (field, a, b) in [
            ("level1", g.level1.as_str(), w.level1.as_str()),
            ("level2", &g.level2, &w.level2),
            ("name", &g.name, &w.name),
            ("value", &g.value.raw, &w.value),
        ] {
            if a != b {
                out.push(format!(
                    "{what}[{k}] ({}).{field}: got {a:?}, want {b:?}",
                    w.name
                ));
            }
        }
        if g.class != w.class {
            out.push(format!(
                "{what}[{k}] ({}).class: got {:?}, want {:?}",
                w.name, g.class, w.class
            ));
        }
    }
}

fn differences(w: &Want, t: &jixiao::Table) -> Vec<String> {
    let mut out = Vec::new();
    let mut same = |what: &str, got: String, want: String| {
        if got != want {
            out.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    };
    same("year", format!("{:?}", t.year), format!("{:?}", w.year));
    same("name", t.project.name.clone(), w.name.clone());
    same(
        "department",
        t.project.department.clone(),
        w.department.clone(),
    );
    same(
        "department_code",
        t.project.department_code.clone().unwrap_or_default(),
        w.department_code.clone(),
    );
    same(
        "implementing_unit",
        t.project.implementing_unit.clone(),
        w.implementing_unit.clone(),
    );
    same(
        "annual_total",
        format!("{:?}", t.funding.annual_total.map(|d| d.normalize())),
        format!("{:?}", w.annual.map(|d| d.normalize())),
    );
    same("goal", t.goal.clone(), w.goal.clone());
    grid_differences(&mut out, "indicators", &t.indicators, &w.indicators);
    match &w.long_term {
        None if !t.other_grids.is_empty() => out.push(format!(
            "other_grids: got {}, want none",
            t.other_grids.len()
        )),
        None => {}
        Some(long) => match t.other_grids.as_slice() {
            [g] if g.key == "long-term" => match long {
                Some(rows) => grid_differences(&mut out, "long-term", &g.indicators, rows),
                None => {
                    if g.indicators
                        .iter()
                        .any(|i| !i.name.is_empty() || !i.value.raw.is_empty())
                    {
                        out.push("long-term: an empty group read with names or values".into());
                    }
                }
            },
            gs => out.push(format!(
                "other_grids: got [{}], want one long-term grid",
                gs.iter()
                    .map(|g| g.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
    }
    out
}

#[test]
fn generated_shapes_read_exactly_without_false_alarms() {
    let n = family_size("JIXIAO_SHAPES", WORKBOOKS);
    let mut by_kind: std::collections::BTreeMap<&str, Tally> = Default::default();
    for seed in 0..n {
        let (kind, bytes, wants) = render(seed);
        by_kind.entry(kind).or_default().judge(
            &format!("shapes-{seed}-{kind}.xlsx"),
            &bytes,
            &wants,
            READ.contains(&kind),
            differences,
        );
    }
    let figures: Vec<String> = by_kind
        .iter()
        .map(|(k, t)| format!("{k}: {}", t.figures()))
        .collect();
    let failures: Vec<&String> = by_kind.values().flat_map(|t| &t.failures).collect();
    assert!(
        failures.is_empty(),
        "{}\n{}",
        figures.join("; "),
        failures
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
