//! Reading the samples: every field against the seed truth, in every format and layout.

use jixiao::model::{Document, Layout, Table};

use crate::common::{canonical_levels, read, rel, sample, truth};

/// Samples that hold all ten seed tables in the classic layout.
const CLASSIC_SAMPLES: &[&str] = &[
    "seed-one-per-sheet.xlsx",
    "seed-one-per-sheet.ods",
    "seed-publication.xlsx",
    "seed-publication.xls",
    "seed-publication.ods",
    "seed-publication.xlsb",
    "disguised-xlsx.xls",
    "messy.xlsx",
];

/// Compares one read table with its truth, field by field; returns the differences.
fn diff(got: &Table, want: &Table, canonical: bool) -> Vec<String> {
    let mut d = Vec::new();
    let mut eq = |what: &str, a: String, b: String| {
        if a != b {
            d.push(format!(
                "{}: {what}: got {a:?}, want {b:?}",
                want.project.name
            ));
        }
    };
    eq(
        "year",
        format!("{:?}", got.year),
        format!("{:?}", want.year),
    );
    eq("unit", got.unit.clone(), want.unit.clone());
    eq("name", got.project.name.clone(), want.project.name.clone());
    eq(
        "department",
        got.project.department.clone(),
        want.project.department.clone(),
    );
    eq(
        "implementing_unit",
        got.project.implementing_unit.clone(),
        want.project.implementing_unit.clone(),
    );
    eq(
        "attribute",
        got.project.attribute.clone(),
        want.project.attribute.clone(),
    );
    eq(
        "period",
        got.project.period.clone(),
        want.project.period.clone(),
    );
    // The views of version 1 (the truth predates the funding tree, which has its own tests).
    let views = |f: &jixiao::model::Funding| {
        let mut f = f.clone();
        f.lines.clear();
        f
    };
    let mut want_funding = views(&want.funding);
    if canonical {
        // The national form prints no 本级 / 转移 line, so neither view is read (never an
        // invented 0.00): the rest is the same money.
        want_funding.own.total = None;
        want_funding.transfer = Default::default();
    }
    eq(
        "funding",
        serde_json::to_string(&views(&got.funding)).unwrap_or_default(),
        serde_json::to_string(&want_funding).unwrap_or_default(),
    );
    eq("goal", got.goal.clone(), want.goal.clone());
    eq(
        "indicator count",
        got.indicators.len().to_string(),
        want.indicators.len().to_string(),
    );
    for (i, (g, w)) in got.indicators.iter().zip(&want.indicators).enumerate() {
        let levels = if canonical {
            canonical_levels(got, i)
        } else {
            (g.level1.clone(), g.level2.clone())
        };
        eq(&format!("indicator {i} level1"), levels.0, w.level1.clone());
        eq(&format!("indicator {i} level2"), levels.1, w.level2.clone());
        eq(
            &format!("indicator {i} name"),
            g.name.clone(),
            w.name.clone(),
        );
        eq(
            &format!("indicator {i} raw"),
            g.value.raw.clone(),
            w.value.raw.clone(),
        );
        eq(
            &format!("indicator {i} split"),
            format!(
                "{:?} {:?} {:?}",
                g.value.comparator, g.value.number, g.value.unit
            ),
            format!(
                "{:?} {:?} {:?}",
                w.value.comparator, w.value.number, w.value.unit
            ),
        );
        eq(
            &format!("indicator {i} has a cell"),
            g.cell.is_some().to_string(),
            "true".into(),
        );
    }
    d
}

fn find<'a>(doc: &'a Document, name: &str) -> &'a Table {
    doc.tables
        .iter()
        .find(|t| t.project.name == name)
        .unwrap_or_else(|| panic!("table {name} not found"))
}

#[test]
fn classic_samples_equal_the_seed() {
    let truth = truth();
    for name in CLASSIC_SAMPLES {
        let doc = read(&sample(name));
        assert_eq!(doc.tables.len(), 10, "{name}");
        let indicators: usize = doc.tables.iter().map(|t| t.indicators.len()).sum();
        assert_eq!(indicators, 131, "{name}");
        assert_eq!(doc.annual_total().to_string(), "920.53", "{name}");
        let mut diffs = Vec::new();
        for want in &truth.tables {
            let got = find(&doc, &want.project.name);
            assert_eq!(got.title, want.title, "{name}");
            assert_eq!(got.layout, Layout::Classic, "{name}");
            diffs.extend(diff(got, want, false));
        }
        assert!(diffs.is_empty(), "{name}:\n{}", diffs.join("\n"));
    }
}

/// Gnumeric indents its ods `content.xml` (whitespace between cells), which calamine refuses
/// as it is; LibreOffice and Gnumeric open such files, and so must the reader (issue 21).
#[test]
fn an_ods_written_by_gnumeric_reads_as_the_seed() {
    let test = "read::an_ods_written_by_gnumeric_reads_as_the_seed";
    let Some(ssconvert) = crate::common::ssconvert_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let ods = dir.path().join("gnumeric.ods");
    let status = std::process::Command::new(ssconvert)
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg(&ods)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("ssconvert runs");
    assert!(status.success() && ods.is_file(), "ssconvert wrote no ods");
    // The file is the kind this is about: indentation between the cells of a row.
    let bytes = std::fs::read(&ods).expect("ods written");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("a zip");
    let mut content = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("content.xml").expect("content.xml"),
        &mut content,
    )
    .expect("utf-8");
    assert!(
        content.contains("</table:table-cell>\n "),
        "Gnumeric no longer indents its cells: this test no longer covers the case"
    );
    let doc = read(&ods);
    assert_eq!(doc.tables.len(), 10);
    let indicators: usize = doc.tables.iter().map(|t| t.indicators.len()).sum();
    assert_eq!(indicators, 131);
    assert_eq!(doc.annual_total().to_string(), "920.53");
    let truth = truth();
    let mut diffs = Vec::new();
    for want in &truth.tables {
        diffs.extend(diff(find(&doc, &want.project.name), want, false));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn national_layout_reads_into_the_same_model() {
    let truth = truth();
    let doc = read(&sample("national.xlsx"));
    assert_eq!(doc.tables.len(), 10);
    let mut diffs = Vec::new();
    for want in &truth.tables {
        let got = find(&doc, &want.project.name);
        assert_eq!(got.layout, Layout::National);
        assert_eq!(got.project.department_code.as_deref(), Some("812"));
        diffs.extend(diff(got, want, true));
        // The cost rows sit under the first-level 成本指标 as printed.
        for ind in got.indicators.iter().filter(|i| i.level2 == "经济成本指标") {
            assert_eq!(ind.level1, "成本指标");
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn tables_in_yuan_are_converted_exactly() {
    let truth = truth();
    let doc = read(&sample("yuan.xlsx"));
    assert_eq!(doc.tables.len(), 3);
    for got in &doc.tables {
        let want = find(&truth, &got.project.name);
        assert_eq!(got.unit, "万元");
        assert_eq!(got.source_unit.as_deref(), Some("元"));
        let d = diff(got, want, false);
        assert!(d.is_empty(), "{}", d.join("\n"));
    }
    let notices = doc
        .discrepancies
        .iter()
        .filter(|f| f.rule == "read.unit-converted")
        .count();
    assert_eq!(notices, 3, "one unit notice per table");
}

#[test]
fn value_edge_cases_read_as_people_see_them() {
    let doc = read(&sample("drift-values.xlsx"));
    assert_eq!(doc.tables.len(), 1);
    let t = &doc.tables[0];
    // The stray cell at XFD1048576 is neither an indicator nor part of the range.
    assert_eq!(t.indicators.len(), 13);
    assert_eq!(t.source.range, "A1:F26");
    let by_name = |n: &str| {
        t.indicators
            .iter()
            .find(|i| i.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    let pct = by_name("自治区级涉及网络安全单位应急演练覆盖率");
    assert_eq!(pct.value.raw, "80%");
    assert_eq!(
        pct.value.number.map(|n| n.to_string()).as_deref(),
        Some("80")
    );
    assert_eq!(pct.value.unit.as_deref(), Some("%"));
    let date = by_name("网络安全应急演练实施时间");
    assert_eq!(date.value.raw, "2026年12月20日");
    assert_eq!(date.value.comparator, None);
    let rules: Vec<(&str, String)> = doc
        .discrepancies
        .iter()
        .map(|f| {
            (
                f.rule.as_str(),
                f.cell.map(|c| c.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        rules.contains(&("read.percent-cell", "E17".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("read.date-cell", "E19".into())),
        "{rules:?}"
    );
}

#[test]
fn the_seed_drift_is_recorded_as_notices() {
    let doc = read(&sample("seed-publication.xlsx"));
    let count = |rule: &str| doc.discrepancies.iter().filter(|f| f.rule == rule).count();
    assert_eq!(count("read.alias"), 1, "自治区资");
    assert_eq!(count("read.markup"), 1, "<p> tags in one goal");
    // Two tables with 效益指标 rows pushed sideways: 4 shifted names each.
    assert_eq!(count("read.layout-repaired"), 8);
    let truncated = doc
        .discrepancies
        .iter()
        .find(|f| f.rule == "read.alias")
        .map(|f| (f.project.as_str(), f.message.as_str()));
    assert_eq!(
        truncated,
        Some((
            "宁夏网信系统综合业务培训项目",
            "不完整的标签“自治区资”按“自治区资金”读取"
        ))
    );
    for f in &doc.discrepancies {
        assert_eq!(f.severity, jixiao::Severity::Info, "{f:?}");
        assert!(f.cell.is_some(), "{f:?}");
    }
}

#[test]
fn snapshot_every_sample() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../samples", "*.{xlsx,xls,xlsb,ods}", |path| {
            let mut doc = read(path);
            let file = rel(path);
            for t in &mut doc.tables {
                t.source.file = file.clone();
            }
            for f in &mut doc.discrepancies {
                f.file = file.clone();
            }
            insta::assert_json_snapshot!(doc);
        });
    });
}

#[test]
fn broken_samples_get_clear_errors() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../samples/broken", "*", |path| {
            let err = jixiao::read_file(path).expect_err("broken sample must not read");
            // The file as `samples/broken/…` whatever the platform's separator.
            let text = err
                .to_string()
                .replace(&path.display().to_string(), &crate::common::rel(path));
            insta::assert_snapshot!(text);
        });
    });
}

/// Published tables of the corpus whose shape the reader does not take whole yet (issue 19).
/// Every other corpus workbook is held to "nothing lost". (The fourth blind set's 广水 left it
/// when its money block's columns were told by their headings.)
const CORPUS_SHAPES_NOT_YET_READ: &[&str] = &[];

/// Every workbook a "nothing lost" test reads: the samples, the fixtures when present, and
/// the published tables of the corpus.
fn every_workbook() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in ["samples", "tests/fixtures", "tests/fixtures/corpus"] {
        let Ok(entries) = std::fs::read_dir(crate::common::root().join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            // Every name the reader takes, WPS's .et included.
            let not_yet = p
                .file_name()
                .is_some_and(|n| CORPUS_SHAPES_NOT_YET_READ.iter().any(|x| n == *x));
            if jixiao::read::is_workbook_name(&p) && !not_yet {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every string in a JSON value (keys and leaves), normalised as labels are.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(jixiao::read::labels::normalize_label(s)),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                out.push(jixiao::read::labels::normalize_label(k));
                strings(x, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_non_empty_cell_is_in_the_model() {
    use jixiao::read::grid::{load_sheets, sniff, CellValue};
    let mut cells = 0;
    let mut lost = Vec::new();
    let files = every_workbook();
    assert!(files.len() >= 10, "samples found: {}", files.len());
    for path in &files {
        let bytes = std::fs::read(path).expect("readable");
        let doc = read(path);
        let sheets = load_sheets(path, &bytes, sniff(path, &bytes).expect("a workbook"))
            .expect("sheets load");
        for (ti, t) in doc.tables.iter().enumerate() {
            let profile = t.profile.get();
            let json = serde_json::to_value(t).expect("serialises");
            let mut held = Vec::new();
            strings(&json, &mut held);
            let (first, last) = t.source.range.split_once(':').expect("a range");
            let (first, last): (jixiao::CellRef, jixiao::CellRef) =
                (first.parse().expect("cell"), last.parse().expect("cell"));
            let sheet = sheets
                .iter()
                .find(|s| s.name == t.source.sheet)
                .expect("sheet");
            for row in &sheet.rows {
                for c in &row.cells {
                    let at = jixiao::CellRef::new(row.row, c.col);
                    if at.row < first.row
                        || at.row > last.row
                        || at.col < first.col
                        || at.col > last.col
                    {
                        continue;
                    }
                    let text = c.value.display();
                    let norm = jixiao::read::labels::normalize_label(&text);
                    if norm.is_empty() {
                        continue;
                    }
                    cells += 1;
                    let by_cell = held.contains(&at.to_string());
                    let by_text = held.iter().any(|h| h.contains(&norm));
                    let as_number = matches!(c.value, CellValue::Number(_) | CellValue::Percent(_))
                        && held.iter().any(|h| h.starts_with(&norm));
                    // A day number read as the date it stands for (a time indicator's
                    // serial, its unit cell repeating it) is held as that date.
                    let as_date = jixiao::read::values::plausible_date_serial(&c.value)
                        .is_some_and(|(y, m, d)| {
                            let date =
                                jixiao::read::labels::normalize_label(&format!("{y}年{m}月{d}日"));
                            held.iter().any(|h| h.contains(&date))
                        });
                    let as_label = profile.labels().lookup(&text).is_some()
                        || profile.tasks.role_of(&text).is_some();
                    if !(by_cell || by_text || as_number || as_date || as_label) {
                        lost.push(format!("{} 表{ti} {at}: {text}", rel(path)));
                    }
                }
            }
        }
    }
    assert!(cells > 1000, "cells checked: {cells}");
    assert!(
        lost.is_empty(),
        "{} of {cells} cells not in the model:\n{}",
        lost.len(),
        lost.join("\n")
    );
}
