//! `jixiao summary`, `diff` and `export`: the region's commands, checked against `import --json`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};
use rust_decimal::Decimal;
use serde_json::Value as Json;

use super::common::{root, sample};

fn jixiao() -> Command {
    let mut c = Command::cargo_bin("jixiao").expect("binary is built");
    c.current_dir(root());
    c
}

/// `jixiao import --json` of these files, parsed.
fn import_json(files: &[&Path]) -> Json {
    let out = jixiao()
        .arg("import")
        .arg("--json")
        .args(files)
        .output()
        .expect("import runs");
    serde_json::from_slice(&out.stdout).expect("import prints JSON")
}

/// A sheet's cells, as text (numbers as calamine gives them).
fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{e}"));
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| text(h) == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn dec(v: &Json) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("amount {v}"))
        .parse()
        .unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn money(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn summary_rows_and_totals_equal_the_import_json() {
    let dir = tmp();
    let out = dir.path().join("汇总.xlsx");
    let good = [
        sample("seed-one-per-sheet.xlsx"),
        sample("national.xlsx"),
        sample("seed-one-per-sheet.ods"),
    ];
    let broken = sample("broken/empty.xlsx");
    let run = jixiao()
        .arg("summary")
        .args(&good)
        .arg(&broken)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("summary runs");
    // One unreadable file: named on stderr, the others summarised, exit 2.
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("empty.xlsx"), "{stderr}");

    let model = import_json(&good.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let tables = model["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 30);

    let rows = sheet(&out, "项目明细");
    let head = &rows[0];
    let (c_project, c_dept, c_annual, c_total, c_file, c_sheet, c_ind) = (
        col(head, "项目"),
        col(head, "部门"),
        col(head, "年度资金/万元"),
        col(head, "项目总额/万元"),
        col(head, "文件"),
        col(head, "工作表"),
        col(head, "指标数"),
    );
    // One row per table counted, in input order, then the totals row: of a project in two
    // files (the seed's ten, in xlsx and ods), one copy stands (issue 21: counted once).
    let listed: Vec<&Json> = tables
        .iter()
        .filter(|t| {
            rows[1..].iter().any(|r| {
                text(&r[c_file]) == t["source"]["file"].as_str().unwrap_or("")
                    && text(&r[c_sheet]) == t["source"]["sheet"].as_str().unwrap_or("")
            })
        })
        .collect();
    let projects: std::collections::HashSet<(&str, &str, i64)> = tables
        .iter()
        .map(|t| {
            (
                t["project"]["department"].as_str().unwrap_or(""),
                t["project"]["name"].as_str().unwrap_or(""),
                t["year"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(listed.len(), projects.len());
    assert_eq!(rows.len(), 1 + listed.len() + 1);
    let mut annual_sum = Decimal::ZERO;
    for (r, t) in rows[1..=listed.len()].iter().zip(&listed) {
        assert_eq!(
            text(&r[c_project]),
            t["project"]["name"].as_str().unwrap_or("")
        );
        assert_eq!(
            text(&r[c_dept]),
            t["project"]["department"].as_str().unwrap_or("")
        );
        assert_eq!(text(&r[c_file]), t["source"]["file"].as_str().unwrap_or(""));
        assert_eq!(
            text(&r[c_sheet]),
            t["source"]["sheet"].as_str().unwrap_or("")
        );
        let annual = dec(&t["funding"]["annual_total"]);
        annual_sum += annual;
        assert_eq!(num(&r[c_annual]), money(annual));
        assert_eq!(num(&r[c_total]), money(dec(&t["funding"]["total"])));
        assert_eq!(
            num(&r[c_ind]) as usize,
            t["indicators"].as_array().map_or(0, Vec::len)
        );
    }
    let totals = &rows[listed.len() + 1];
    assert_eq!(text(&totals[0]), "总计");
    assert!((num(&totals[c_annual]) - money(annual_sum)).abs() < 1e-6);

    // The department sheet: every table counted once, money adding up to the region's total.
    let over = sheet(&out, "汇总");
    let h = over
        .iter()
        .position(|r| r.first().is_some_and(|c| text(c) == "序号"))
        .expect("department table");
    let (d_tables, d_annual) = (col(&over[h], "表数"), col(&over[h], "年度资金/万元"));
    let total_row = over
        .iter()
        .position(|r| r.iter().any(|c| text(c) == "全地区总计"))
        .expect("totals row");
    let depts = &over[h + 1..total_row];
    let counted: f64 = depts.iter().map(|r| num(&r[d_tables])).sum();
    assert_eq!(counted as usize, listed.len());
    let money_sum: f64 = depts.iter().map(|r| num(&r[d_annual])).sum();
    assert!((money_sum - money(annual_sum)).abs() < 1e-6);
    assert!((num(&over[total_row][d_annual]) - money(annual_sum)).abs() < 1e-6);

    // The seed's ten projects come twice (xlsx and ods): found across files, with 部门.
    let issues = sheet(&out, "问题清单");
    let (i_rule, i_dept, i_file) = (
        col(&issues[0], "规则"),
        col(&issues[0], "部门"),
        col(&issues[0], "文件"),
    );
    let dups: Vec<&Vec<Data>> = issues
        .iter()
        .filter(|r| text(&r[i_rule]) == "region.duplicate-project")
        .collect();
    let mut first_file: std::collections::HashMap<(&str, i64), &str> = Default::default();
    let mut expected = Vec::new();
    for t in tables {
        let key = (
            t["project"]["name"].as_str().unwrap_or(""),
            t["year"].as_i64().unwrap_or(0),
        );
        let file = t["source"]["file"].as_str().unwrap_or("");
        match first_file.get(&key) {
            Some(f) if *f != file => expected.push(file),
            Some(_) => {}
            None => {
                first_file.insert(key, file);
            }
        }
    }
    assert!(expected.len() >= 10, "{expected:?}");
    assert_eq!(
        dups.iter().map(|r| text(&r[i_file])).collect::<Vec<_>>(),
        expected
    );
    for r in &dups {
        assert!(!text(&r[i_dept]).is_empty());
    }
    let failed = sheet(&out, "读取失败");
    assert_eq!(failed.len(), 2);
    assert!(text(&failed[1][1]).ends_with("empty.xlsx"));
    assert!(text(&failed[1][2]).contains("文件为空"));
}

#[test]
fn libreoffice_renders_the_summary() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("LibreOffice (soffice) is not installed: this test needs it (see .ci/run)");
    }
    let dir = tmp();
    let out = dir.path().join("summary.xlsx");
    jixiao()
        .args(["summary", "samples/", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    let profile = dir.path().join("profile");
    crate::common::soffice_convert("soffice", "pdf", &[&out], dir.path(), &profile);
    let pdf = dir.path().join("summary.pdf");
    assert!(std::fs::read(&pdf)
        .expect("a PDF was written")
        .starts_with(b"%PDF"));
    // Every page rendered (poppler): the overview, the table rows, the findings, the rules.
    let png = std::process::Command::new("pdftoppm")
        .args(["-r", "20", "-png"])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (poppler) is installed");
    assert!(png.success());
    let pages = std::fs::read_dir(dir.path())
        .expect("temp dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("page"))
        })
        .count();
    assert!(pages >= 4, "{pages} pages");
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/data/region").join(name)
}

fn diff_json(old: &Path, new: &Path, extra: &[&str]) -> (Option<i32>, Json) {
    let out = jixiao()
        .arg("diff")
        .arg(old)
        .arg(new)
        .arg("--json")
        .args(extra)
        .output()
        .expect("diff runs");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), json)
}

#[test]
fn a_changed_amount_is_one_change_at_the_right_cells() {
    let seed = sample("seed-one-per-sheet.xlsx");
    let dir = tmp();
    let book = dir.path().join("差异.xlsx");
    let (code, j) = diff_json(
        &seed,
        &fixture("changed-amount.xlsx"),
        &["-o", book.to_str().unwrap_or("")],
    );
    assert_eq!(code, Some(1));
    let changes = j["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert_eq!(c["project"], "宁夏网络安全服务项目");
    assert!(
        c["field"].as_str().unwrap_or("").contains("财政拨款"),
        "{c}"
    );
    assert_eq!(c["old"], "45.00");
    assert_eq!(c["new"], "50.00");
    assert_eq!(c["old_cell"], "网络安全服务!C9");
    assert_eq!(c["new_cell"], "网络安全服务!C9");
    for k in ["added", "removed", "renamed"] {
        assert_eq!(j[k].as_array().map(Vec::len), Some(0), "{k}");
    }
    // The workbook: the change side by side, old and new in their columns.
    let rows = sheet(&book, "差异");
    assert_eq!(rows.len(), 2);
    let (o, n) = (col(&rows[0], "原值"), col(&rows[0], "新值"));
    assert_eq!(
        (text(&rows[1][o]), text(&rows[1][n])),
        ("45.00".into(), "50.00".into())
    );
    assert_eq!(text(&rows[1][col(&rows[0], "原位置")]), "网络安全服务!C9");

    // A workbook against itself (and against its LibreOffice-made .ods copy): no change.
    let (code, j) = diff_json(&seed, &seed, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(j["changes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn renames_removals_and_indicator_changes() {
    let (code, j) = diff_json(
        &sample("seed-one-per-sheet.xlsx"),
        &fixture("renamed-and-more.xlsx"),
        &[],
    );
    assert_eq!(code, Some(1));
    let renamed = j["renamed"].as_array().expect("renamed");
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0]["old"], "网信研究项目");
    assert_eq!(renamed[0]["new"], "网信研究课题项目");
    let removed = j["removed"].as_array().expect("removed");
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["project"], "升级改造项目尾款支付项目");
    assert_eq!(j["added"].as_array().map(Vec::len), Some(0));
    let changes = j["changes"].as_array().expect("changes");
    let ind: Vec<&Json> = changes
        .iter()
        .filter(|c| c["field"].as_str().is_some_and(|f| f.starts_with("指标")))
        .collect();
    assert_eq!(ind.len(), 1, "{changes:#?}");
    assert_eq!(ind[0]["old"], "1项");
    assert_eq!(ind[0]["new"], "2项");
    assert_eq!(ind[0]["new_cell"], "网络安全服务!E14");
    // The rename's name change, and nothing else.
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert!(changes
        .iter()
        .any(|c| c["old"] == "网信研究项目" && c["new_cell"] == "网信研究!B4"));
}

#[test]
fn diff_of_an_unreadable_file_exits_2() {
    let out = jixiao()
        .arg("diff")
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg(sample("broken/truncated.xlsx"))
        .output()
        .expect("diff runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("truncated.xlsx"));
}

#[test]
fn the_sqlite_rows_equal_the_json_model() {
    let dir = tmp();
    let db = dir.path().join("数据.sqlite");
    let good = [sample("seed-one-per-sheet.xlsx"), sample("national.xlsx")];
    let export = || {
        jixiao()
            .arg("export")
            .args(&good)
            .arg(sample("broken/empty.xlsx"))
            .arg("-o")
            .arg(&db)
            .output()
            .expect("export runs")
    };
    let run = export();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("empty.xlsx"));
    // Exporting again replaces the database (nothing doubled).
    assert_eq!(export().status.code(), Some(2));

    let model = import_json(&good.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let tables = model["tables"].as_array().expect("tables");
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let count = |sql: &str| -> i64 {
        conn.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(count("SELECT count(*) FROM files"), 3);
    assert_eq!(
        count("SELECT count(*) FROM files WHERE status = 'failed'"),
        1
    );
    let error: String = conn
        .query_row("SELECT error FROM files WHERE status = 'failed'", [], |r| {
            r.get(0)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(error.contains("文件为空"), "{error}");
    assert_eq!(count("SELECT count(*) FROM tables") as usize, tables.len());
    let indicators: usize = tables
        .iter()
        .map(|t| {
            t["indicators"].as_array().map_or(0, Vec::len)
                + t["other_grids"].as_array().map_or(0, |g| {
                    g.iter()
                        .map(|g| g["indicators"].as_array().map_or(0, Vec::len))
                        .sum()
                })
        })
        .sum();
    assert_eq!(
        count("SELECT count(*) FROM indicators") as usize,
        indicators
    );
    let lines: usize = tables
        .iter()
        .map(|t| t["funding"]["lines"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(count("SELECT count(*) FROM funding_lines") as usize, lines);
    // Keys hold: every indicator and finding points at a table of its file.
    assert_eq!(
        count(
            "SELECT count(*) FROM indicators i LEFT JOIN tables t ON t.id = i.table_id \
             WHERE t.id IS NULL"
        ),
        0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM findings f JOIN tables t ON t.id = f.table_id \
             WHERE t.file_id <> f.file_id"
        ),
        0
    );

    let mut stmt = conn
        .prepare(
            "SELECT t.project, t.department, t.annual_total, t.total, t.indicators, f.path, t.sheet \
             FROM tables t JOIN files f ON f.id = t.file_id ORDER BY t.id",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    type Row = (
        String,
        String,
        Option<f64>,
        Option<f64>,
        i64,
        String,
        String,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), tables.len());
    let mut sum = Decimal::ZERO;
    for (r, t) in rows.iter().zip(tables) {
        assert_eq!(r.0, t["project"]["name"].as_str().unwrap_or(""));
        assert_eq!(r.1, t["project"]["department"].as_str().unwrap_or(""));
        let annual = dec(&t["funding"]["annual_total"]);
        sum += annual;
        assert_eq!(r.2, Some(money(annual)));
        assert_eq!(r.3, Some(money(dec(&t["funding"]["total"]))));
        assert_eq!(r.4 as usize, t["indicators"].as_array().map_or(0, Vec::len));
        assert_eq!(r.5, t["source"]["file"].as_str().unwrap_or(""));
        assert_eq!(r.6, t["source"]["sheet"].as_str().unwrap_or(""));
    }
    let total: f64 = conn
        .query_row("SELECT sum(annual_total) FROM tables", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!((total - money(sum)).abs() < 1e-6);

    // The findings are check's, file by file: the same count as `jixiao check --json` of each.
    let per_file: usize = good
        .iter()
        .map(|f| {
            let out = jixiao()
                .arg("check")
                .arg("--json")
                .arg(f)
                .output()
                .expect("check runs");
            let j: Json = serde_json::from_slice(&out.stdout).expect("check JSON");
            j["discrepancies"].as_array().map_or(0, Vec::len)
        })
        .sum();
    assert!(per_file > 0);
    assert_eq!(count("SELECT count(*) FROM findings") as usize, per_file);
}

#[test]
fn csv_export_holds_the_same_tables_with_exact_amounts() {
    let dir = tmp();
    let out = dir.path().join("数据");
    let seed = sample("seed-one-per-sheet.xlsx");
    for _ in 0..2 {
        jixiao()
            .args(["export", "--format", "csv", "-o"])
            .arg(&out)
            .arg(&seed)
            .assert()
            .success();
    }
    let model = import_json(&[seed.as_path()]);
    let tables = model["tables"].as_array().expect("tables");
    let text = std::fs::read_to_string(out.join("tables.csv")).expect("tables.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let head = rdr.headers().expect("header").clone();
    let at = |name: &str| head.iter().position(|h| h == name).expect("column");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), tables.len());
    for (r, t) in rows.iter().zip(tables) {
        assert_eq!(
            &r[at("project")],
            t["project"]["name"].as_str().unwrap_or("")
        );
        assert_eq!(
            &r[at("annual_total")],
            t["funding"]["annual_total"].as_str().unwrap_or("")
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "execution_lines.csv",
            "files.csv",
            "findings.csv",
            "funding_lines.csv",
            "indicators.csv",
            "tables.csv"
        ]
    );
    // Never over a folder that is not an export.
    let other = dir.path().join("别的");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("笔记.txt"), "x").expect("write");
    jixiao()
        .args(["export", "--format", "csv", "-o"])
        .arg(&other)
        .arg(&seed)
        .assert()
        .code(2);
    assert!(other.join("笔记.txt").exists());
}

#[test]
fn import_streams_json_and_json_lines_in_input_order() {
    let files = [
        sample("seed-one-per-sheet.xlsx"),
        sample("broken/empty.xlsx"),
        sample("messy.xlsx"),
    ];
    let json = jixiao()
        .args(["import", "--json", "--jobs", "2"])
        .args(&files)
        .output()
        .expect("import runs");
    assert_eq!(json.status.code(), Some(2));
    let model: Json = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(model["schema"], jixiao::model::SCHEMA_VERSION);
    let tables = model["tables"].as_array().expect("tables");
    assert_eq!(model["failed"].as_array().map(Vec::len), Some(1));
    assert!(model["failed"][0]["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("empty.xlsx")));
    // Table indices of the findings point at the right tables across files.
    for f in model["discrepancies"].as_array().expect("discrepancies") {
        if let Some(i) = f["table"].as_u64() {
            assert_eq!(f["project"], tables[i as usize]["project"]["name"], "{f}");
        }
    }
    let lines = jixiao()
        .args(["import", "--jsonl", "--jobs", "2"])
        .args(&files)
        .output()
        .expect("import runs");
    assert_eq!(lines.status.code(), Some(2));
    let lines: Vec<Json> = String::from_utf8_lossy(&lines.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let line_tables: Vec<&Json> = lines.iter().filter_map(|l| l.get("table")).collect();
    assert_eq!(line_tables, tables.iter().collect::<Vec<_>>());
    // The failed file's line comes in input order: after the first file's ten tables.
    assert!(lines[10].get("failed").is_some(), "{}", lines[10]);
    let findings: usize = lines
        .iter()
        .map(|l| l["discrepancies"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        findings,
        model["discrepancies"].as_array().map_or(0, Vec::len)
    );
}

/// CSV injection (issue 21 point 8): text a department typed that Excel or WPS would run as a
/// formula is neutralised in CSV with a leading `'`, in every column; SQLite and JSON keep it
/// as typed.
#[test]
fn csv_export_never_carries_a_live_formula() {
    let dir = tmp();
    let fixture = crate::common::root().join("tests/fixtures/injection/injection.xlsx");
    let risky = |s: &str| s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let out = dir.path().join("数据");
    jixiao()
        .args(["export", "--format", "csv", "-o"])
        .arg(&out)
        .arg(&fixture)
        .assert()
        .success();
    let mut neutralised = Vec::new();
    for entry in std::fs::read_dir(&out).expect("csv folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("csv");
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        for record in rdr.records() {
            for field in record.expect("row").iter() {
                assert!(
                    !risky(field) || field.parse::<rust_decimal::Decimal>().is_ok(),
                    "{}: a live formula: {field:?}",
                    path.display()
                );
                if let Some(rest) = field.strip_prefix('\'') {
                    neutralised.push(rest.to_string());
                }
            }
        }
    }
    // Every kind of prefix that survives reading was met and kept after the quote (the reader
    // trims a leading tab or carriage return; `csv_safe`'s unit test covers them).
    for typed in [
        "=HYPERLINK(\"http://example.invalid/\",\"点击\")",
        "+[812]省农业农村厅",
        "-省耕地质量监测保护中心",
        "@完成全省120个高标准农田建设项目区耕地质量监测点布设",
        "=1+2 耕地质量监测点布设数量",
        "=TODAY()",
    ] {
        assert!(
            neutralised.iter().any(|n| n == typed),
            "{typed:?} not among {neutralised:?}"
        );
    }
    // SQLite and JSON keep what was typed.
    let db = dir.path().join("数据.sqlite");
    jixiao()
        .args(["export", "-o"])
        .arg(&db)
        .arg(&fixture)
        .assert()
        .success();
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let project: String = conn
        .query_row("SELECT project FROM tables", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(project, "=HYPERLINK(\"http://example.invalid/\",\"点击\")");
    let model = import_json(&[fixture.as_path()]);
    assert_eq!(
        model["tables"][0]["project"]["name"],
        "=HYPERLINK(\"http://example.invalid/\",\"点击\")"
    );
}

/// A drop never re-reads its own output (issue 21 point 14): dropping files of `报表` writes
/// `报表/jixiao输出`; dropping the folder `报表` later converts the two originals only, and a
/// folder searched later skips any `convert -o` output folder (marked) as well.
#[test]
fn folder_walks_skip_the_programs_own_outputs() {
    let dir = tmp();
    let reports = dir.path().join("报表");
    std::fs::create_dir(&reports).expect("mkdir");
    for name in ["national.xlsx", "yuan.xlsx"] {
        std::fs::copy(sample(name), reports.join(name)).expect("copy");
    }
    // The drop of two files (the program started with paths only, as Explorer does).
    jixiao()
        .current_dir(dir.path())
        .args(["报表/national.xlsx", "报表/yuan.xlsx"])
        .assert()
        .success();
    let first = reports.join("jixiao输出");
    assert!(first.join("national.xlsx").is_file() && first.join("yuan.xlsx").is_file());
    // The drop of the folder: two files converted, the output folder named once on stderr.
    let out = jixiao()
        .current_dir(dir.path())
        .arg("报表")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("jixiao输出").count(), 1, "{stderr}");
    let second = dir.path().join("jixiao输出");
    let mut written: Vec<String> = std::fs::read_dir(&second)
        .expect("output folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    written.sort();
    assert_eq!(written, ["national.xlsx", "yuan.xlsx"]);
    // An output folder of another name is skipped by its marker; import counts 13 tables
    // (10 + 3), not the converted copies too.
    jixiao()
        .args(["convert", "-o"])
        .arg(reports.join("整理后"))
        .arg(reports.join("national.xlsx"))
        .assert()
        .success();
    let model = import_json(&[reports.as_path()]);
    assert_eq!(model["tables"].as_array().map(Vec::len), Some(13));
    // Named on its own, an output folder is read.
    let model = import_json(&[reports.join("整理后").as_path()]);
    assert_eq!(model["tables"].as_array().map(Vec::len), Some(10));
}

/// diff compares amounts as money and indicator values as values (issue 21 point 6): the
/// revised file writes a cost of 48 万元 as 480000 元 and 120 in full-width digits — no change —
/// and changes one target, 2400 → 2500: the one change reported.
#[test]
fn diff_compares_values_as_values() {
    let root = crate::common::root().join("tests/fixtures");
    let out = jixiao()
        .arg("diff")
        .arg(root.join("national.xlsx"))
        .arg(root.join("diff/revised.xlsx"))
        .arg("--json")
        .output()
        .expect("diff runs");
    assert_eq!(out.status.code(), Some(1), "a change found: exit 1");
    let json: Json = serde_json::from_slice(&out.stdout).expect("json");
    let changes = json["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["old"], "≥2400份");
    assert_eq!(changes[0]["new"], "≥2500份");
    assert_eq!(changes[0]["new_cell"], "项目支出绩效目标表!E12");
}

/// Issue "the office's daily use" point 3: an amount a table does not print (the national
/// form has no 本级 / 转移 line, and the national sample no 项目总额 on some tables) is blank
/// in `summary`, `export` and `import --json` alike — never an invented `0.00`.
#[test]
fn amounts_the_form_does_not_print_are_blank_everywhere() {
    let national = sample("national.xlsx");
    let model = import_json(&[national.as_path()]);
    let tables = model["tables"].as_array().expect("tables");
    assert!(!tables.is_empty());
    for t in tables {
        let f = &t["funding"];
        assert!(f["annual_total"].is_string(), "{f}");
        for v in [
            &f["own"]["total"],
            &f["transfer"]["total"],
            &f["transfer"]["central"],
            &f["transfer"]["regional"],
        ] {
            assert!(v.is_null(), "{f}");
        }
    }

    let dir = tmp();
    let book = dir.path().join("汇总.xlsx");
    jixiao()
        .arg("summary")
        .arg(&national)
        .arg("-o")
        .arg(&book)
        .assert()
        .success();
    let rows = sheet(&book, "项目明细");
    let head = rows
        .iter()
        .position(|r| r.iter().any(|c| text(c) == "本级资金/万元"))
        .expect("the header row");
    let (own, transfer, annual) = (
        col(&rows[head], "本级资金/万元"),
        col(&rows[head], "转移资金/万元"),
        col(&rows[head], "年度资金/万元"),
    );
    let body: Vec<&Vec<Data>> = rows[head + 1..]
        .iter()
        .filter(|r| !text(&r[annual]).is_empty() && r.iter().any(|c| text(c).contains("项目")))
        .collect();
    assert_eq!(body.len(), tables.len());
    for r in body {
        assert_eq!(r[own], Data::Empty, "{r:?}");
        assert_eq!(r[transfer], Data::Empty, "{r:?}");
        assert!(num(&r[annual]) > 0.0);
    }

    let out = dir.path().join("数据");
    jixiao()
        .args(["export", "--format", "csv", "-o"])
        .arg(&out)
        .arg(&national)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("tables.csv")).expect("tables.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let head = rdr.headers().expect("header").clone();
    let at = |name: &str| head.iter().position(|h| h == name).expect(name);
    for r in rdr.records().map(|r| r.expect("row")) {
        assert_eq!(&r[at("own_total")], "", "{r:?}");
        assert_eq!(&r[at("transfer_total")], "", "{r:?}");
        assert!(!r[at("annual_total")].is_empty());
    }
}
