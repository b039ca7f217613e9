//! The generated family's forms of the second blind set (issue 19): a header block cut off
//! before its grid (it names its project, so it is a table with no indicators; a sheet naming
//! no project stays refused). Each recombines the content and wordings of `family.rs` from a
//! fixed seed; the truth comes from the generator.
//!
//! `JIXIAO_FORMS=N` generates N workbooks instead of the default; `JIXIAO_FAMILY_DUMP=dir`
//! writes the failing ones there to open.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, Diffs};
use super::family::{generate, Rng, NAME_LABELS};

/// Workbooks per run (the shapes in turn).
const WORKBOOKS: u64 = 60;

fn text_format() -> Format {
    Format::new().set_text_wrap()
}

/// One table's truth (the fields these shapes are about).
#[derive(Debug, Default)]
struct Want {
    name: String,
    implementing_unit: String,
    category: String,
    indicators: usize,
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
        indicators: 0,
    })
}

fn render(seed: u64) -> (&'static str, Vec<u8>, Option<Want>) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let want = header_only(seed, ws);
    for c in 0..6 {
        ws.set_column_width(c, 20).expect("width");
    }
    ("header-only", wb.save_to_buffer().expect("written"), want)
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
    d.0
}

#[test]
fn generated_forms_read_exactly() {
    let n = family_size("JIXIAO_FORMS", WORKBOOKS);
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut failures = Vec::new();
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
        let tally = by_kind.entry(kind).or_default();
        tally.0 += 1;
        tally.1 += usize::from(diffs.is_empty());
        if !diffs.is_empty() {
            if let Some(dir) = std::env::var_os("JIXIAO_FAMILY_DUMP").map(std::path::PathBuf::from)
            {
                std::fs::create_dir_all(&dir).expect("dump folder");
                std::fs::write(dir.join(&name), &bytes).expect("dump written");
            }
            failures.push(format!("{name}:\n  {}", diffs.join("\n  ")));
        }
    }
    let figures: Vec<String> = by_kind
        .iter()
        .map(|(k, (n, exact))| format!("{k}: {exact}/{n} read exactly"))
        .collect();
    assert!(
        failures.is_empty(),
        "{}\n{}",
        figures.join("; "),
        failures.join("\n")
    );
}
