//! `jixiao explain`: the map of how a form was read (issue 20 point 4).

use std::collections::BTreeMap;
use std::path::PathBuf;

use jixiao::explain::{explain, Role};
use jixiao::read::ReadOptions;

use crate::common::root;

/// Every workbook of the samples and fixtures (the corpus of real tables too).
fn workbooks() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["samples", "tests/fixtures", "tests/fixtures/corpus"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for e in entries {
            let p = e.expect("entry").path();
            if p.is_file() && jixiao::read::is_workbook_name(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// On every workbook that reads: each non-empty cell has exactly one mark; the unknown ones are
/// the model's `extra` cells and nothing else; model cells are marked with their role; nothing
/// inside a table's range is called outside.
#[test]
fn every_cell_of_every_fixture_is_marked_as_the_model_says() {
    let mut maps = 0;
    for path in workbooks() {
        let bytes = std::fs::read(&path).expect("readable");
        let Ok(e) = explain(&path, &bytes, &ReadOptions::default()) else {
            continue; // broken samples: their errors are tested elsewhere
        };
        maps += 1;
        let name = path.display();
        for sheet in &e.sheets {
            let non_empty = sheet
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .filter(|c| !c.value.display().trim().is_empty())
                .count();
            let marks = e.marks.get(&sheet.name).map_or(0, BTreeMap::len);
            assert_eq!(marks, non_empty, "{name} {}", sheet.name);
        }
        let mut extra = 0;
        for t in &e.doc.tables {
            let marks = &e.marks[&t.source.sheet];
            for x in &t.extra {
                assert_eq!(marks[&x.cell].role, Role::Unknown, "{name} {}", x.cell);
            }
            extra += t.extra.len();
            for i in &t.indicators {
                if let Some(c) = i.cell.filter(|c| marks.contains_key(c)) {
                    assert_eq!(marks[&c].role, Role::Value, "{name} {c}");
                }
            }
            for (field, source) in &t.cells {
                if let Some(m) = marks.get(&source.cell) {
                    assert!(
                        matches!(m.role, Role::Field | Role::Funding | Role::Title),
                        "{name} {field} at {}: {:?}",
                        source.cell,
                        m.role
                    );
                }
            }
        }
        let unknown = e.counts().get(&Role::Unknown).copied().unwrap_or(0);
        assert_eq!(unknown, extra, "{name}: unknown marks are the extra cells");
    }
    assert!(maps >= 40, "workbooks mapped: {maps}");
}

/// Through the CLI: the map is written beside the input by default, reads back as a workbook
/// with 读取说明, 图例 and a copy of each sheet, and a missing file is one Chinese line, exit 2.
#[test]
fn explain_writes_the_map_beside_the_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("鄂州.xlsx");
    std::fs::copy(root().join("tests/fixtures/ezhou.xlsx"), &input).expect("copy");
    let out = assert_cmd::Command::cargo_bin("jixiao")
        .expect("binary")
        .arg("explain")
        .arg(&input)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("未识别（已保留，见读取说明） 5"),
        "{stdout}"
    );
    let map = dir.path().join("鄂州-读取对照.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&map).expect("a workbook");
    use calamine::Reader;
    assert_eq!(
        wb.sheet_names(),
        ["读取说明", "图例", "绩效目标表"].map(String::from)
    );
    let guide = wb.worksheet_range("读取说明").expect("sheet");
    let text: Vec<String> = guide.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(text.iter().any(|t| t.contains("表样配置")), "{text:?}");
    let missing = assert_cmd::Command::cargo_bin("jixiao")
        .expect("binary")
        .args(["explain", "没有这个文件.xlsx"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.starts_with("错误：") && err.lines().count() == 1,
        "{err}"
    );
}
