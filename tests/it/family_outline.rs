//! The generated outline family (issue 19, "Shapes"; shizuishan-2020): a budget system's export
//! that tells its levels apart by indentation only, in one column — a department (or not),
//! its units, their projects, each project's 一级 (or none: the 二级 right under the project)
//! and 二级 and indicators, each level indented one step more, by spaces (one or two a level),
//! full-width spaces or the cell's indent; the values in a column beside it, the projects'
//! amounts in another, in 元. The content is `family.rs`'s; the truth comes from the
//! generator. Every project must read as a table of its own, exactly; the checker may only say
//! what is true of such a table (it prints no goal), nothing else.
//!
//! `JIXIAO_OUTLINES=N` generates N workbooks instead of the default;
//! `JIXIAO_FAMILY_DUMP=dir` writes the failing ones there to open.

use jixiao::model::IndicatorClass;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{alarms, family_size, Diffs};
use super::family::{generate, Ind, Rng, Spec};

/// Workbooks per run.
const WORKBOOKS: u64 = 60;

/// How a level is indented.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// This many spaces a level.
    Spaces(usize),
    /// A full-width space a level.
    FullWidth,
    /// The cell's indent attribute.
    Attribute,
}

/// One table's truth.
#[derive(Debug)]
struct Want {
    year: i32,
    name: String,
    department: String,
    implementing_unit: String,
    annual: Decimal,
    /// Level 1, level 2, name, value, class.
    indicators: Vec<(String, String, String, String, IndicatorClass)>,
}

/// Projects of one year with distinct names.
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

/// Writes one outline line at `depth`.
fn line(ws: &mut Worksheet, row: u32, depth: u8, text: &str, style: Style) {
    let (text, format) = match style {
        Style::Spaces(n) => (
            format!("{}{text}", " ".repeat(n * usize::from(depth))),
            Format::new(),
        ),
        Style::FullWidth => (
            format!("{}{text}", "\u{3000}".repeat(usize::from(depth))),
            Format::new(),
        ),
        Style::Attribute => (text.to_string(), Format::new().set_indent(depth)),
    };
    ws.write_string_with_format(row, 0, &text, &format)
        .expect("write");
}

fn draw(seed: u64, ws: &mut Worksheet) -> Vec<Want> {
    let mut r = Rng::new(seed ^ 0x0071_1E00);
    let year = generate(seed).year;
    let style = match r.below(4) {
        0 => Style::Spaces(1),
        1 => Style::Spaces(2),
        2 => Style::FullWidth,
        _ => Style::Attribute,
    };
    let department = r.chance(40).then(|| generate(seed).department);
    let units = 1 + usize::from(r.chance(40));
    let no_level1 = r.chance(25);
    let base = u8::from(r.chance(50));
    let f = Format::new().set_text_wrap();
    let title = match r.below(2) {
        0 => format!("{year}年项目绩效目标批复表"),
        _ => format!("{year}年度部门预算项目绩效目标表"),
    };
    ws.merge_range(0, 0, 0, 2, &title, &f).expect("merge");
    ws.merge_range(
        1,
        0,
        1,
        2,
        r.pick(&["单位:元", "单位：元", "金额单位：元"]),
        &f,
    )
    .expect("merge");
    ws.write_string(2, 0, r.pick(&["项目", "项目名称"]))
        .expect("write");
    ws.write_string(2, 1, r.pick(&["指标值", "目标值", "年度指标值"]))
        .expect("write");
    ws.write_string(2, 2, r.pick(&["绩效金额", "金额"]))
        .expect("write");
    let mut row = 3;
    let mut depth = base;
    if let Some(d) = &department {
        line(ws, row, depth, d, style);
        row += 1;
        depth += 1;
    }
    let mut wants = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for u in 0..units {
        let specs = projects(seed + 1_000 * u as u64, 1 + r.below(3), year, &names);
        names.extend(specs.iter().map(|s| s.name.clone()));
        // Each unit its own name: the department's units are told apart by a suffix.
        let unit = format!("{}第{}所", specs[0].implementing_unit, u + 1);
        line(ws, row, depth, &unit, style);
        row += 1;
        for s in &specs {
            line(ws, row, depth + 1, &s.name, style);
            let yuan = Decimal::from(s.annual) * Decimal::from(10_000)
                + Decimal::new(r.below(1_000_000) as i64, 2);
            ws.write_number(row, 2, f64::try_from(yuan).expect("f64"))
                .expect("write");
            row += 1;
            let (mut last1, mut last2) = ("", "");
            let levels = depth + 2;
            for i in &s.indicators {
                if !no_level1 && i.level1 != last1 {
                    line(ws, row, levels, i.level1, style);
                    row += 1;
                    last2 = "";
                }
                if i.level2 != last2 || i.level1 != last1 {
                    let at = if no_level1 { levels } else { levels + 1 };
                    line(ws, row, at, i.level2, style);
                    row += 1;
                }
                (last1, last2) = (i.level1, i.level2);
                let at = if no_level1 { levels + 1 } else { levels + 2 };
                line(ws, row, at, i.name, style);
                ws.write_string(row, 1, i.raw()).expect("write");
                row += 1;
            }
            wants.push(Want {
                year,
                name: s.name.clone(),
                department: department.clone().unwrap_or_default(),
                implementing_unit: unit.clone(),
                annual: yuan / Decimal::from(10_000),
                indicators: s.indicators.iter().map(row_of).collect(),
            });
        }
    }
    wants
}

fn row_of(i: &Ind) -> (String, String, String, String, IndicatorClass) {
    (
        i.level1.to_string(),
        i.level2.to_string(),
        i.name.to_string(),
        i.raw(),
        i.class,
    )
}

fn differences(w: &Want, t: &jixiao::Table) -> Vec<String> {
    let mut x = Diffs::default();
    x.same("year", t.year, Some(w.year));
    x.same("name", &t.project.name, &w.name);
    x.same("department", &t.project.department, &w.department);
    x.same(
        "implementing_unit",
        &t.project.implementing_unit,
        &w.implementing_unit,
    );
    x.same(
        "annual_total",
        t.funding.annual_total.map(|a| a.normalize()),
        Some(w.annual.normalize()),
    );
    let got: Vec<(String, String, String, String, IndicatorClass)> = t
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.clone(),
                i.level2.clone(),
                i.name.clone(),
                i.value.raw.clone(),
                i.class,
            )
        })
        .collect();
    x.same("indicators", got, &w.indicators);
    x.0
}

#[test]
fn generated_outlines_read_as_one_table_per_project() {
    let n = family_size("JIXIAO_OUTLINES", WORKBOOKS);
    let (mut exact, mut quiet) = (0, 0);
    let mut failures = Vec::new();
    for seed in 0..n {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_column_width(0, 60).expect("width");
        let wants = draw(seed, ws);
        let bytes = wb.save_to_buffer().expect("written");
        let name = format!("outline-{seed}.xlsx");
        let (diffs, alarms) = match jixiao::read_bytes(std::path::Path::new(&name), &bytes) {
            Err(e) => (vec![format!("refused: {e}")], Vec::new()),
            Ok(doc) if doc.tables.len() != wants.len() => (
                vec![format!(
                    "{} tables read, want {}",
                    doc.tables.len(),
                    wants.len()
                )],
                Vec::new(),
            ),
            Ok(doc) => (
                wants
                    .iter()
                    .zip(&doc.tables)
                    .enumerate()
                    .flat_map(|(k, (w, t))| {
                        differences(w, t)
                            .into_iter()
                            .map(move |d| format!("table {}: {d}", k + 1))
                    })
                    .collect(),
                // The outline prints no goal: that finding is true, any other is not.
                alarms(&doc)
                    .into_iter()
                    .filter(|a| !(a.contains("identity.missing-field") && a.contains("目标")))
                    .collect::<Vec<_>>(),
            ),
        };
        exact += usize::from(diffs.is_empty());
        quiet += usize::from(alarms.is_empty());
        if !diffs.is_empty() || !alarms.is_empty() {
            if let Some(dir) = std::env::var_os("JIXIAO_FAMILY_DUMP").map(std::path::PathBuf::from)
            {
                std::fs::create_dir_all(&dir).expect("dump folder");
                std::fs::write(dir.join(&name), &bytes).expect("dump written");
            }
            failures.push(format!(
                "{name}:\n  {}",
                [diffs, alarms].concat().join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{exact}/{n} read exactly, {quiet}/{n} without a false alarm:\n{}",
        failures.join("\n")
    );
}
