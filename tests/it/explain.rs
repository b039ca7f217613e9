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
            // A label no field answers to: its value, kept as metadata without a key.
            for m in t.metadata.iter().filter(|m| m.key.is_empty()) {
                let cell = m.cell.expect("a cell");
                assert_eq!(marks[&cell].role, Role::Unknown, "{name} {cell}");
                extra += 1;
            }
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
        assert_eq!(
            unknown, extra,
            "{name}: unknown marks are the extra cells and the values of unknown labels"
        );
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

/// `jixiao profile draft` end to end (issue 20 point 5): a form whose header labels no profile
/// knows reads with those fields empty (the cells kept as extras); its draft names each of them
/// in a TODO; with the TODOs filled in as a user would, the profile in a `jixiao-profiles`
/// folder beside the form, and no flag, it reads exactly (truth by hand).
#[test]
fn a_drafted_profile_filled_in_reads_the_form_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let form = dir.path().join("某市样表.xlsx");
    std::fs::copy(
        root().join("tests/fixtures/draft/unknown-labels.xlsx"),
        &form,
    )
    .expect("copy");
    let jixiao = || assert_cmd::Command::cargo_bin("jixiao").expect("binary");
    let import = || -> serde_json::Value {
        let out = jixiao()
            .current_dir(dir.path())
            .args(["import", "--json", "某市样表.xlsx"])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json")
    };
    // Blind: the fields stay empty.
    let before = import();
    assert_eq!(before["tables"][0]["project"]["department"], "");
    assert!(before["tables"][0]["funding"]["annual_total"].is_null());
    // The draft, into the folder the reader looks in.
    let profile = dir.path().join("jixiao-profiles").join("myform.toml");
    let out = jixiao()
        .current_dir(dir.path())
        .args([
            "profile",
            "draft",
            "某市样表.xlsx",
            "--name",
            "myform 某市",
            "-o",
        ])
        .arg(&profile)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&profile).expect("draft written");
    // Each unknown label is a TODO with its value's cell.
    for (label, cell) in [
        ("业务归口处室", "B4"),
        ("资金使用单位", "D4"),
        ("申请额度（万元）", "B5"),
        ("绩效愿景", "B6"),
    ] {
        assert!(
            text.lines().any(|l| l.starts_with("# TODO")
                && l.contains(&format!("!{cell}"))
                && l.contains(label)),
            "no TODO for {label} at {cell}:\n{text}"
        );
    }
    // What a user writes for them.
    let filled = format!(
        "{text}\n[[field]]\nid = \"project.department\"\nlabel = \"业务归口处室\"\n\
         [[field]]\nid = \"project.implementing_unit\"\nlabel = \"资金使用单位\"\n\
         [[field]]\nid = \"goal\"\nlabel = \"绩效愿景\"\n\
         [[funding]]\nkey = \"annual_total\"\nfield = \"funding.annual_total\"\n\
         labels = [\"申请额度（万元）\"]\nrole = \"total\"\n"
    );
    // `[wording]` is the last table of the draft: the entries go before it.
    let filled = match text.find("\n[wording]") {
        Some(at) => format!("{}{}{}", &text[..at], &filled[text.len()..], &text[at..]),
        None => filled,
    };
    std::fs::write(&profile, filled).expect("write");
    let after = import();
    let t = &after["tables"][0];
    assert_eq!(t["profile"], "myform");
    assert_eq!(t["project"]["name"], "城区绿地养护项目");
    assert_eq!(t["project"]["department"], "市园林局");
    assert_eq!(t["project"]["implementing_unit"], "市园林养护中心");
    assert_eq!(t["funding"]["annual_total"], "85.00");
    assert_eq!(
        t["goal"],
        "全年完成城区绿地养护120万平方米，绿地完好率不低于95%，市民满意度不低于90%。"
    );
    let values: Vec<&str> = t["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|i| i["value"]["raw"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        values,
        [
            "≥120万平方米",
            "≥95%",
            "2026年12月底前",
            "≤85万元",
            "明显改善",
            "≥90%"
        ]
    );
    assert!(
        t.get("extra")
            .is_none_or(|x| x.as_array().is_some_and(Vec::is_empty)),
        "{t:#}"
    );
}

/// A draft of every fixture is a valid profile, and the fixture read with its own draft
/// (forced) holds the same values as read with the profile it was detected with: the draft
/// names the form's wording without changing what it reads.
#[test]
fn the_draft_of_every_fixture_reads_it_the_same() {
    let mut drafted = 0;
    let mut differ = Vec::new();
    for path in workbooks() {
        let bytes = std::fs::read(&path).expect("readable");
        let Ok(doc) = jixiao::read::read_bytes(&path, &bytes) else {
            continue;
        };
        let text = jixiao::draft::draft(&doc, "draft").expect("a table");
        let profile = jixiao::read::Profile::from_toml(&text)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
        drafted += 1;
        let options = ReadOptions {
            profile: Some(jixiao::read::ProfileRef::new(profile)),
            ..ReadOptions::default()
        };
        let again = jixiao::read::read_bytes_with(&path, &bytes, &options).expect("reads");
        let first = &doc.tables[0];
        let t = &again.tables[0];
        let same = t.project == first.project
            && t.goal == first.goal
            && t.indicators == first.indicators
            && t.funding
                .lines
                .iter()
                .map(|l| (&l.label, l.amount))
                .collect::<Vec<_>>()
                == first
                    .funding
                    .lines
                    .iter()
                    .map(|l| (&l.label, l.amount))
                    .collect::<Vec<_>>();
        if !same {
            differ.push(path.display().to_string());
        }
    }
    assert!(drafted >= 40, "drafted {drafted}");
    assert!(
        differ.is_empty(),
        "read differently with their own draft: {differ:#?}"
    );
}
