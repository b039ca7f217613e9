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

/// Every workbook under `samples/` and `tests/fixtures/`, in every folder (self-evaluations,
/// monitoring tables, the check set, the forms of user profiles …).
fn every_workbook() -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if jixiao::read::is_workbook_name(&p) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("samples"), &mut out);
    walk(&root().join("tests/fixtures"), &mut out);
    out.sort();
    out
}

/// `explain` and `profile draft` on every workbook, as the commands run them (the
/// `jixiao-profiles` folder beside a form known): a workbook that reads has its map, which
/// reads back as a workbook of 读取说明, 图例 and a copy of each sheet; its draft parses as a
/// profile, and every table of the draft's form (the first table's profile) reads with the
/// draft forced as it read before. A workbook that does not read fails both the same way. No
/// panic anywhere.
#[test]
fn explain_and_draft_work_on_every_workbook() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut mapped, mut drafted, mut compared) = (0, 0, 0);
    let mut problems: Vec<String> = Vec::new();
    for path in every_workbook() {
        let name = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .display()
            .to_string();
        let bytes = std::fs::read(&path).expect("readable");
        let base = ReadOptions {
            profiles_beside_inputs: true,
            ..ReadOptions::default()
        };
        let options = base.for_input(&path).expect("its profiles").into_owned();
        let dir = dir.path();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut problems: Vec<String> = Vec::new();
            let read = jixiao::read::read_bytes_with(&path, &bytes, &options);
            let explained = explain(&path, &bytes, &options);
            let (doc, e) = match (read, explained) {
                (Ok(doc), Ok(e)) => (doc, e),
                (Err(a), Err(b)) => {
                    if a.to_string() != b.to_string() {
                        problems.push(format!("{name}: read “{a}”, explain “{b}”"));
                    }
                    return (problems, 0, 0, 0);
                }
                (a, b) => {
                    problems.push(format!(
                        "{name}: read {:?}, explain {:?}",
                        a.err().map(|e| e.to_string()),
                        b.err().map(|e| e.to_string())
                    ));
                    return (problems, 0, 0, 0);
                }
            };
            let map = jixiao::explain::render(&e).expect("the map renders");
            let sheets = jixiao::read::grid::load_sheets(
                std::path::Path::new("读取对照.xlsx"),
                &map,
                jixiao::read::grid::Format::Xlsx,
            )
            .expect("the map reads back");
            let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
            if names.len() != 2 + e.sheets.len() || names[..2] != ["读取说明", "图例"] {
                problems.push(format!("{name}: map sheets {names:?}"));
            }
            let Some(text) = jixiao::draft::draft(&doc, "draft") else {
                if !doc.tables.is_empty() {
                    problems.push(format!("{name}: no draft of {} tables", doc.tables.len()));
                }
                return (problems, 1, 0, 0);
            };
            let (p, compared) = reads_the_same_with(&text, &path, &bytes, &options, &doc, dir);
            problems.extend(p.into_iter().map(|p| format!("{name}: {p}")));
            (problems, 1, 1, compared)
        }));
        match run {
            Ok((p, m, d, c)) => {
                problems.extend(p);
                mapped += m;
                drafted += d;
                compared += c;
            }
            Err(_) => problems.push(format!("{name}: panicked")),
        }
    }
    assert!(mapped >= 120, "mapped {mapped}");
    assert!(drafted >= 100, "drafted {drafted}");
    assert!(compared >= 120, "tables compared {compared}");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The draft `text` of `doc` (read from `path` with `options`), written to `dir` and forced
/// the way `--profile FILE` forces it: what differs in the tables of the draft's form, and how
/// many were compared.
fn reads_the_same_with(
    text: &str,
    path: &std::path::Path,
    bytes: &[u8],
    options: &ReadOptions,
    doc: &jixiao::model::Document,
    dir: &std::path::Path,
) -> (Vec<String>, usize) {
    let file = dir.join("draft.toml");
    std::fs::write(&file, text).expect("write the draft");
    let mut forced = options.clone();
    let profile = match forced.profiles.add_file(&file) {
        Ok(p) => p,
        Err(e) => return (vec![format!("the draft is no profile: {e}\n{text}")], 0),
    };
    forced.profile = Some(profile);
    let again = match jixiao::read::read_bytes_with(path, bytes, &forced) {
        Ok(d) => d,
        Err(e) => return (vec![format!("does not read with its draft: {e}")], 0),
    };
    let form = doc.tables[0].profile;
    let mut out = Vec::new();
    let mut compared = 0;
    for (i, t) in doc
        .tables
        .iter()
        .enumerate()
        .filter(|(_, t)| t.profile == form)
    {
        let Some(g) = again
            .tables
            .iter()
            .find(|g| g.source.sheet == t.source.sheet && g.source.range == t.source.range)
        else {
            out.push(format!(
                "table {i} ({}) not read with the draft",
                t.source.range
            ));
            continue;
        };
        compared += 1;
        let lines = |t: &jixiao::model::Table| -> Vec<(String, Option<rust_decimal::Decimal>)> {
            t.funding
                .lines
                .iter()
                .map(|l| (l.label.clone(), l.amount))
                .collect()
        };
        for (what, same) in [
            ("kind", t.kind == g.kind),
            ("year", t.year == g.year),
            ("project", t.project == g.project),
            ("goal", t.goal == g.goal),
            ("indicators", t.indicators == g.indicators),
            ("funding lines", lines(t) == lines(g)),
            ("department", t.department == g.department),
            ("metadata", t.metadata == g.metadata),
        ] {
            if !same {
                out.push(format!("table {i} ({}): {what} differ", t.source.range));
            }
        }
    }
    (out, compared)
}
