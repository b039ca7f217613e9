//! End-to-end command-line tests: exit codes, stdout, stderr.

use assert_cmd::Command;

use crate::common::sample;

fn jixiao() -> Command {
    Command::cargo_bin("jixiao").expect("binary is built")
}

#[test]
fn import_json_has_the_public_shape() {
    let out = jixiao()
        .args(["import", "--json"])
        .arg(sample("seed-one-per-sheet.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let t = &v["tables"][0];
    assert_eq!(t["year"], 2026);
    assert_eq!(t["unit"], "万元");
    assert_eq!(t["project"]["name"], "宁夏网络安全服务项目");
    assert_eq!(t["project"]["department_code"], serde_json::Value::Null);
    assert_eq!(t["funding"]["total"], "45.00");
    assert_eq!(t["funding"]["own"]["fiscal"], "45.00");
    assert_eq!(t["funding"]["transfer"]["regional"], "0.00");
    assert_eq!(t["indicators"][0]["value"]["raw"], "1项");
    assert_eq!(t["indicators"][0]["value"]["comparator"], "=");
    assert_eq!(t["indicators"][0]["cell"], "E14");
    assert!(t["source"]["range"]
        .as_str()
        .is_some_and(|r| r.starts_with("A1:")));
    assert!(v["discrepancies"].is_array());
}

#[test]
fn import_summary_names_every_table() {
    let out = jixiao()
        .arg("import")
        .arg(sample("seed-publication.xls"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("10 张表"), "{text}");
    assert!(text.contains("920.53 万元"), "{text}");
    assert!(text.contains("升级改造项目尾款支付项目"), "{text}");
}

#[test]
fn broken_files_exit_2_with_one_line_each() {
    for name in [
        "broken/empty.xlsx",
        "broken/encrypted.xlsx",
        "broken/truncated.xlsx",
        "broken/not-a-workbook.xlsx",
        "broken/no-table.xlsx",
        "broken/zip-bomb.xlsx",
        "broken/html-disguised.xls",
    ] {
        let out = jixiao()
            .arg("import")
            .arg(sample(name))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(err.contains(name), "{name}: {err}");
    }
}

#[test]
fn a_mixed_directory_prints_the_good_and_names_the_broken() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "seed-one-per-sheet.xlsx",
        "broken/truncated.xlsx",
        "broken/empty.xlsx",
    ] {
        let from = sample(name);
        let to = dir.path().join(from.file_name().expect("name"));
        std::fs::copy(&from, &to).expect("copy");
    }
    std::fs::write(dir.path().join("说明.txt"), "not a workbook, not searched").expect("write");
    let out = jixiao()
        .args(["import", "--json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["tables"].as_array().map(Vec::len), Some(10));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("truncated.xlsx"), "{err}");
    assert!(err.contains("empty.xlsx"), "{err}");
    assert!(!err.contains("说明.txt"), "{err}");
}

#[test]
fn a_missing_input_is_a_usage_error() {
    let out = jixiao()
        .args(["import", "/nonexistent/部门.xlsx"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不存在"));
}
