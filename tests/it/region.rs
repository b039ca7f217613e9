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
    // One row per table, in input order, then the totals row.
    assert_eq!(rows.len(), 1 + tables.len() + 1);
    let mut annual_sum = Decimal::ZERO;
    for (r, t) in rows[1..=tables.len()].iter().zip(tables) {
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
    let totals = &rows[tables.len() + 1];
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
    assert_eq!(counted as usize, tables.len());
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
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&out)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
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
