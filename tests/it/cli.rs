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
    std::fs::write(dir.path().join("说明.txt"), "not a workbook, not read").expect("write");
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
    // The text file is not read, and said so (a warning, not an error).
    assert!(
        err.lines()
            .any(|l| l.starts_with("警告：") && l.contains("说明.txt") && l.contains("不是工作簿")),
        "{err}"
    );
    let failed = v["failed"].as_array().expect("failed listed");
    assert_eq!(failed.len(), 2, "{v:#}");
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

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    jixiao().args(args).output().expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// English that clap or the OS would print.
const ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "Print version",
    "Possible values",
    "possible values",
    "[default",
    "error:",
    "os error",
    "For more information",
];

fn assert_no_english(what: &str, s: &str) {
    for word in ENGLISH {
        assert!(!s.contains(word), "{what}: {word:?} in\n{s}");
    }
}

#[test]
fn help_is_in_chinese_everywhere() {
    let cases: &[&[&str]] = &[
        &["--help"],
        &["-h"],
        &["help"],
        &["import", "--help"],
        &["check", "-h"],
        &["convert", "--help"],
        &["template", "--help"],
        &["help", "check"],
    ];
    for args in cases {
        let out = jixiao().args(*args).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = text(&out.stdout);
        assert!(help.contains("用法："), "{args:?}: {help}");
        assert!(help.contains("显示本帮助"), "{args:?}: {help}");
        assert_no_english(&format!("{args:?}"), &help);
    }
    let out = jixiao().arg("--version").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("jixiao "));
}

#[test]
fn argument_errors_are_one_chinese_line() {
    let cases: &[&[&str]] = &[
        &["check", "--severity", "严重", "x.xlsx"],
        &["import", "--bogus", "x.xlsx"],
        &["chek", "x.xlsx"],
        &["convert", "x.xlsx"],
        &["import"],
        &["import", "--jobs", "很多", "x.xlsx"],
        &[
            "template", "--tables", "0", "-o", "t.xlsx", "--year", "2027",
        ],
    ];
    for args in cases {
        let out = jixiao().args(*args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert_no_english(&format!("{args:?}"), &err);
    }
    let err = text(
        &jixiao()
            .args(["check", "--severity", "严重", "x.xlsx"])
            .output()
            .expect("runs")
            .stderr,
    );
    assert!(err.contains("warning（警告）"), "{err}");
}

#[test]
fn severity_accepts_chinese_names() {
    let file = sample("messy.xlsx");
    for (zh, en) in [("错误", "error"), ("警告", "warning"), ("提示", "info")] {
        let a = run(&[
            "check".as_ref(),
            "--severity".as_ref(),
            zh.as_ref(),
            file.as_os_str(),
        ]);
        let b = run(&[
            "check".as_ref(),
            "--severity".as_ref(),
            en.as_ref(),
            file.as_os_str(),
        ]);
        assert_eq!(a.status.code(), b.status.code(), "{zh}");
        assert_eq!(text(&a.stdout), text(&b.stdout), "{zh}");
        assert!(!a.stdout.is_empty());
    }
    let errors = text(
        &run(&[
            "check".as_ref(),
            "--severity".as_ref(),
            "错误".as_ref(),
            file.as_os_str(),
        ])
        .stdout,
    );
    assert!(!errors.contains("  警告  "), "{errors}");
}

#[test]
fn rules_with_a_file_is_refused_not_ignored() {
    let out = jixiao()
        .args(["check", "--rules"])
        .arg(sample("messy.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(
        err.starts_with("错误：--rules") && err.contains("messy.xlsx"),
        "{err}"
    );
    let out = jixiao().args(["check", "--rules"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("条规则"));
}

#[test]
fn a_missing_input_is_named_and_the_rest_converted() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = jixiao()
        .args(["convert", "没有这个文件.xlsx"])
        .arg(sample("messy.xlsx"))
        .arg("-o")
        .arg(out_dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.matches("不存在").count(), 1, "{err}");
    assert!(err.starts_with("错误：没有这个文件.xlsx"), "{err}");
    assert!(out_dir.path().join("messy.xlsx").is_file());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("转换 1 个，失败 1 个"), "{stdout}");
}

#[test]
fn json_lists_the_files_that_could_not_be_read() {
    for cmd in ["import", "check"] {
        let out = jixiao()
            .args([cmd, "--json", "没有这个文件.xlsx"])
            .arg(sample("seed-one-per-sheet.xlsx"))
            .arg(sample("broken/truncated.xlsx"))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let failed = v["failed"].as_array().expect("failed is a list");
        let files: Vec<&str> = failed.iter().filter_map(|f| f["file"].as_str()).collect();
        assert_eq!(files.len(), 2, "{cmd}: {failed:?}");
        assert_eq!(files[0], "没有这个文件.xlsx");
        assert!(files[1].ends_with("truncated.xlsx"), "{files:?}");
        for f in failed {
            let reason = f["reason"].as_str().expect("reason");
            assert!(!reason.is_empty() && !reason.contains("xlsx:"), "{reason}");
        }
        assert!(v["discrepancies"].is_array());
    }
}

#[test]
fn import_keeps_reasons_off_stdout() {
    let out = jixiao()
        .arg("import")
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg(sample("broken/truncated.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("10 张表"), "{stdout}");
    assert!(
        !stdout.contains("无法读取") && !stdout.contains("原因"),
        "{stdout}"
    );
    let err = text(&out.stderr);
    assert!(err.lines().all(|l| l.starts_with("错误：")), "{err}");
    assert!(
        err.contains("truncated.xlsx") && err.contains("1 个文件无法读取"),
        "{err}"
    );
}

#[test]
fn many_jobs_are_fine() {
    let out = jixiao()
        .args(["import", "--jobs", "1000"])
        .arg(sample("seed-one-per-sheet.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
}

/// A folder of department files: 部门A/绩效表.xlsx, 部门B/绩效表.xlsx, WPS and template
/// extensions, a text file and a lock file.
fn department_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = sample("seed-one-per-sheet.xlsx");
    let xls = sample("seed-publication.xls");
    for (from, to) in [
        (&seed, "部门A/绩效表.xlsx"),
        (&seed, "部门B/绩效表.xlsx"),
        (&seed, "部门B/WPS表格.et"),
        (&xls, "部门B/旧版.ett"),
        (&xls, "部门C/模板.xlt"),
        (&seed, "部门C/模板2.xltx"),
        (&seed, "部门C/模板3.xltm"),
    ] {
        let to = dir.path().join(to);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, &to).expect("copy");
    }
    std::fs::write(dir.path().join("部门A/说明.docx"), "not a workbook").expect("write");
    std::fs::write(dir.path().join("部门A/~$绩效表.xlsx"), "lock").expect("write");
    dir
}

#[test]
fn folders_read_wps_and_template_extensions_and_name_what_they_skip() {
    let dir = department_folder();
    let out = jixiao()
        .args(["import", "--json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["tables"].as_array().map(Vec::len), Some(70));
    assert_eq!(v["failed"].as_array().map(Vec::len), Some(0));
    let err = text(&out.stderr);
    let skipped: Vec<&str> = err.lines().filter(|l| l.starts_with("警告：")).collect();
    assert_eq!(skipped.len(), 2, "{err}");
    assert!(
        skipped
            .iter()
            .any(|l| l.contains("说明.docx") && l.contains(".docx")),
        "{err}"
    );
    assert!(
        skipped
            .iter()
            .any(|l| l.contains("~$绩效表.xlsx") && l.contains("锁定")),
        "{err}"
    );
}

#[test]
fn outputs_mirror_the_input_folders_and_each_file_is_converted_once() {
    let dir = department_folder();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("部门A/绩效表.xlsx");
    let out = jixiao()
        .arg("convert")
        .arg(dir.path())
        .arg(&a)
        .arg(&a)
        .arg("-o")
        .arg(out_dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("共 7 个文件：转换 7 个"), "{stdout}");
    let name = dir.path().file_name().expect("name");
    let root = out_dir.path().join(name);
    for f in [
        "部门A/绩效表.xlsx",
        "部门B/绩效表.xlsx",
        "部门B/WPS表格.xlsx",
        "部门B/旧版.xlsx",
        "部门C/模板.xlsx",
        "部门C/模板2.xlsx",
        "部门C/模板3.xlsx",
    ] {
        assert!(root.join(f).is_file(), "{f}: {stdout}");
    }
    // One folder given: its subfolders directly under the output folder.
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = jixiao()
        .arg("convert")
        .arg(dir.path())
        .arg("-o")
        .arg(out_dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out_dir.path().join("部门A/绩效表.xlsx").is_file());
    assert!(out_dir.path().join("部门B/绩效表.xlsx").is_file());
}

#[test]
fn an_output_that_is_a_file_is_one_sentence_and_creates_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let existing = tmp.path().join("已有.xlsx");
    std::fs::write(&existing, "x").expect("write");
    for o in [tmp.path().join("out.xlsx"), existing.clone()] {
        let out = jixiao()
            .arg("convert")
            .arg(sample("messy.xlsx"))
            .arg("-o")
            .arg(&o)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("错误：-o ") && err.contains("输出目录"),
            "{err}"
        );
        assert_no_english("-o file", &err);
    }
    assert!(!tmp.path().join("out.xlsx").exists());
    assert_eq!(std::fs::read(&existing).expect("read"), b"x");
}

#[test]
fn an_output_folder_inside_an_input_folder_is_refused_before_it_is_made() {
    let dir = department_folder();
    let o = dir.path().join("整理后/2026");
    let out = jixiao()
        .arg("convert")
        .arg(dir.path())
        .arg("-o")
        .arg(&o)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("位于输入目录"), "{err}");
    assert!(!dir.path().join("整理后").exists());
}

#[test]
fn an_output_folder_that_cannot_be_made_is_said_in_chinese() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("文件");
    std::fs::write(&file, "x").expect("write");
    let out = jixiao()
        .arg("convert")
        .arg(sample("messy.xlsx"))
        .arg("-o")
        .arg(file.join("子目录"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("错误：") && err.contains("子目录"), "{err}");
    assert_no_english("unmakeable folder", &err);
}

#[test]
fn a_failed_write_is_said_in_chinese_without_internals() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    // A folder where the output file should go: the final rename fails.
    std::fs::create_dir(out_dir.path().join("messy.xlsx")).expect("mkdir");
    let out = jixiao()
        .arg("convert")
        .arg(sample("messy.xlsx"))
        .arg("-o")
        .arg(out_dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("错误：") && err.contains("messy.xlsx: 无法写入"),
        "{err}"
    );
    // No temporary file's name (the temp dir itself is named .tmpXXXX).
    assert!(!err.contains(".jixiao-"), "{err}");
    assert_no_english("failed write", &err);
    // Nothing left behind but the folder that was in the way (and the output folder's marker).
    let left: Vec<_> = std::fs::read_dir(out_dir.path())
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .filter(|n| n != jixiao::read::OUTPUT_MARKER)
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn damaged_files_get_a_sentence_not_parser_internals() {
    let out = jixiao()
        .arg("import")
        .arg(sample("broken/truncated.xlsx"))
        .output()
        .expect("runs");
    let err = text(&out.stderr);
    assert!(err.contains("压缩包结构损坏或文件被截断"), "{err}");
    for internal in ["EOCD", "invalid Zip", "Zip32", "index out of bounds"] {
        assert!(!err.contains(internal), "{internal}: {err}");
    }
}

/// The commands `jixiao --help` lists (clap writes that list from its own commands, so a new
/// command is in it without anyone remembering to add it).
fn commands() -> Vec<String> {
    let out = jixiao().arg("--help").output().expect("runs");
    let help = text(&out.stdout);
    let list = help
        .split("命令：\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("a 命令 section");
    let names: Vec<String> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(names.len() > 1, "{help}");
    names
}

#[test]
fn every_command_has_help_in_the_same_chinese_layout() {
    for name in commands() {
        for flag in ["--help", "-h"] {
            let out = jixiao().args([name.as_str(), flag]).output().expect("runs");
            assert_eq!(out.status.code(), Some(0), "{name} {flag}: {out:?}");
            assert!(out.stderr.is_empty(), "{name} {flag}");
            let help = text(&out.stdout);
            assert_no_english(&format!("{name} {flag}"), &help);
            let usage = help.find("用法：jixiao ").expect("用法 first");
            let options = help.find("\n选项：\n").expect("选项");
            let examples = help.find("\n示例：\n").expect("示例");
            assert!(usage < options && options < examples, "{name}: {help}");
            assert!(help.contains(&format!("jixiao {name} ")), "{name}: {help}");
            // The shared options, in one order, before --help.
            let at = |s: &str| {
                help.find(s)
                    .unwrap_or_else(|| panic!("{name}: {s} in {help}"))
            };
            assert!(at("--profile <") < at("--config <"), "{name}");
            assert!(at("--config <") < at("--jobs <"), "{name}");
            assert!(at("--jobs <") < at("显示本帮助"), "{name}");
        }
        let out = jixiao()
            .args(["help", name.as_str()])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "help {name}");
        assert!(text(&out.stdout).contains(&format!("jixiao {name} ")));
    }
}

#[test]
fn an_unknown_command_names_every_command() {
    let out = jixiao().args(["汇总", "x.xlsx"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("错误：不认识的命令“汇总”"), "{err}");
    for name in commands() {
        assert!(err.contains(&name), "{name} missing: {err}");
    }
    let out = jixiao().arg("--jobs=2").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for name in commands() {
        assert!(err.contains(&name), "{name} missing: {err}");
    }
}

/// Every command that reads, with what it needs besides its inputs; `{out}` is a fresh path.
fn reading_commands(
    input: &std::path::Path,
    out: &std::path::Path,
) -> Vec<Vec<std::ffi::OsString>> {
    let i = input.as_os_str();
    let o = |name: &str| out.join(name).into_os_string();
    let line = |parts: &[&std::ffi::OsStr]| parts.iter().map(|p| p.to_os_string()).collect();
    vec![
        line(&["import".as_ref(), i]),
        line(&["import".as_ref(), "--json".as_ref(), i]),
        line(&["import".as_ref(), "--jsonl".as_ref(), i]),
        line(&["check".as_ref(), i]),
        line(&["check".as_ref(), "--json".as_ref(), i]),
        line(&["convert".as_ref(), i, "-o".as_ref(), &o("convert")]),
        line(&[
            "template".as_ref(),
            "--from".as_ref(),
            i,
            "-o".as_ref(),
            &o("t.xlsx"),
        ]),
        line(&["summary".as_ref(), i, "-o".as_ref(), &o("s.xlsx")]),
        line(&["diff".as_ref(), i, i]),
        line(&["export".as_ref(), i, "-o".as_ref(), &o("e.sqlite")]),
    ]
}

#[test]
fn profile_config_and_jobs_mean_the_same_in_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = sample("seed-one-per-sheet.xlsx");
    let bad_rules = dir.path().join("规则.toml");
    std::fs::write(&bad_rules, "[rules]\n\"no.such-rule\" = \"error\"\n").expect("write");
    let users = dir.path().join("表样");
    std::fs::create_dir(&users).expect("mkdir");
    std::fs::write(users.join("gansu.toml"), GANSU).expect("write");
    for line in reading_commands(&input, dir.path()) {
        let what = format!("{line:?}");
        // Before or after the command's name.
        for (before, after) in [
            (vec!["--profile", "没有这个表样"], vec![]),
            (vec![], vec!["--profile", "没有这个表样"]),
        ] {
            let out = jixiao()
                .args(&before)
                .args(&line)
                .args(&after)
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(2), "{what}: {out:?}");
            let err = text(&out.stderr);
            assert_eq!(err.lines().count(), 1, "{what}: {err}");
            assert!(
                err.starts_with("错误：") && err.contains("没有这个表样"),
                "{what}: {err}"
            );
            assert!(out.stdout.is_empty(), "{what}");
        }
        let out = jixiao()
            .args(&line)
            .arg("--config")
            .arg(&bad_rules)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{what}: {out:?}");
        assert!(text(&out.stderr).contains("no.such-rule"), "{what}");
        let out = jixiao()
            .args(&line)
            .args(["--profiles", "没有这个目录"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{what}: {out:?}");
        assert!(text(&out.stderr).contains("没有这个目录"), "{what}");
        let out = jixiao()
            .args(&line)
            .args(["--jobs", "很多"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{what}: {out:?}");
        assert!(text(&out.stderr).contains("--jobs"), "{what}");
        let out = jixiao()
            .args(&line)
            .args(["--jobs", "1", "--profile", "hunan"])
            .output()
            .expect("runs");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{what}: {out:?}");
        // A user's profile, by its id, from a --profiles folder.
        let out = jixiao()
            .args(&line)
            .args(["--profile", "gansu", "--profiles"])
            .arg(&users)
            .output()
            .expect("runs");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{what}: {out:?}");
    }
}

#[test]
fn a_forced_profile_reaches_every_output() {
    let input = sample("seed-one-per-sheet.xlsx");
    let profiles = |args: &[&str]| -> Vec<String> {
        let out = jixiao().args(args).arg(&input).output().expect("runs");
        let stdout = text(&out.stdout);
        let values: Vec<serde_json::Value> = if args.contains(&"--jsonl") {
            stdout
                .lines()
                .map(|l| serde_json::from_str(l).expect("a JSON line"))
                .map(|v: serde_json::Value| v["table"].clone())
                .collect()
        } else {
            let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
            v["tables"].as_array().expect("tables").clone()
        };
        values
            .iter()
            .map(|t| t["profile"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    for args in [
        &["import", "--json", "--profile", "hunan"][..],
        &["import", "--jsonl", "--profile", "hunan"],
        &["--profile", "hunan", "import", "--json"],
        &["check", "--json", "--profile", "hunan"],
    ] {
        let found = profiles(args);
        assert_eq!(found.len(), 10, "{args:?}");
        assert!(found.iter().all(|p| p == "hunan"), "{args:?}: {found:?}");
    }
    // Detected without the option: not hunan.
    assert!(profiles(&["import", "--json"]).iter().all(|p| p != "hunan"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = jixiao()
        .args(["export", "--format", "csv", "--profile", "hunan", "-o"])
        .arg(dir.path().join("csv"))
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let tables = std::fs::read_to_string(dir.path().join("csv/tables.csv")).expect("tables.csv");
    assert_eq!(tables.matches(",hunan,").count(), 10, "{tables}");
}

/// A user's profile file (the README's worked example, cut down).
const GANSU: &str = r#"id = "gansu"
extends = "national"
name = "甘肃省省级部门项目支出绩效目标表"
title = "{year}年甘肃省省级部门项目支出绩效目标表"

[detect]
labels = ["省级资金"]
"#;

#[test]
fn profiles_lists_the_builtin_ones() {
    let out = jixiao().arg("profiles").output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = text(&out.stdout);
    for id in ["national", "ningxia", "hunan", "central", "department"] {
        let line = stdout
            .lines()
            .position(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} in {stdout}"));
        let origin = stdout.lines().nth(line + 1).unwrap_or_default();
        assert!(origin.contains("来源：内置"), "{id}: {origin}");
    }
    let builtins = jixiao::Profiles::builtin().iter().count();
    assert!(builtins >= 9, "the targets and self-evaluation profiles");
    assert!(
        stdout.contains(&format!(
            "共 {builtins} 个表样配置：内置 {builtins}，用户的 0"
        )),
        "{stdout}"
    );
    assert_no_english("profiles", &stdout);
    let out = jixiao()
        .args(["profiles", "--json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let all = v["profiles"].as_array().expect("profiles");
    assert_eq!(all.len(), builtins);
    assert!(all
        .iter()
        .all(|p| p["source"] == "builtin" && p["file"].is_null()));
    assert!(all
        .iter()
        .any(|p| p["id"] == "department" && p["kind"] == "department"));
    assert!(v["forced"].is_null());
}

#[test]
fn profiles_lists_the_users_with_where_they_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let here = dir.path().join("jixiao-profiles");
    std::fs::create_dir(&here).expect("mkdir");
    std::fs::write(here.join("gansu.toml"), GANSU).expect("write");
    let other = dir.path().join("其他表样");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(
        other.join("qinghai.toml"),
        "id = \"qinghai\"\nextends = \"gansu\"\nname = \"青海省项目支出绩效目标表\"\n",
    )
    .expect("write");
    let forced = dir.path().join("xizang.toml");
    std::fs::write(
        &forced,
        "id = \"xizang\"\nextends = \"ningxia\"\nname = \"西藏\"\n",
    )
    .expect("write");
    let out = jixiao()
        .current_dir(dir.path())
        .args([
            "profiles",
            "--profiles",
            "其他表样",
            "--profile",
            "xizang.toml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = text(&out.stdout);
    let builtins = jixiao::Profiles::builtin().iter().count();
    assert!(
        stdout.contains(&format!(
            "共 {} 个表样配置：内置 {builtins}，用户的 3",
            builtins + 3
        )),
        "{stdout}"
    );
    let block = |id: &str| -> String {
        let lines: Vec<&str> = stdout.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id} in {stdout}"));
        lines[at..at + 2].join("\n")
    };
    let gansu = block("gansu");
    assert!(
        gansu.contains("甘肃省省级部门项目支出绩效目标表"),
        "{gansu}"
    );
    assert!(
        gansu.contains("jixiao-profiles") && gansu.contains("gansu.toml"),
        "{gansu}"
    );
    assert!(gansu.contains("继承 national"), "{gansu}");
    let qinghai = block("qinghai");
    assert!(
        qinghai.contains("qinghai.toml") && qinghai.contains("继承 gansu"),
        "{qinghai}"
    );
    let xizang = block("xizang");
    assert!(
        xizang.contains("--profile 指定") && xizang.contains("继承 ningxia"),
        "{xizang}"
    );
    // The user's come first: they win a tie in detection.
    assert!(stdout.find("gansu ").expect("gansu") < stdout.find("national ").expect("national"));

    let out = jixiao()
        .current_dir(dir.path())
        .args([
            "profiles",
            "--json",
            "--profiles",
            "其他表样",
            "--profile",
            "xizang.toml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["forced"], "xizang");
    let find = |id: &str| {
        v["profiles"]
            .as_array()
            .and_then(|a| a.iter().find(|p| p["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("{id}: {v}"))
    };
    assert_eq!(find("gansu")["source"], "file");
    assert_eq!(find("gansu")["extends"], "national");
    assert_eq!(find("gansu")["detect"]["labels"][0], "省级资金");
    assert!(find("qinghai")["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("qinghai.toml")));
    assert_eq!(find("national")["source"], "builtin");
}

#[test]
fn profiles_beside_an_input_are_listed_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dept = dir.path().join("部门");
    std::fs::create_dir_all(dept.join("jixiao-profiles")).expect("mkdir");
    std::fs::write(dept.join("jixiao-profiles/gansu.toml"), GANSU).expect("write");
    let book = dept.join("表.xlsx");
    std::fs::copy(sample("national.xlsx"), &book).expect("copy");
    let out = jixiao().arg("profiles").output().expect("runs");
    assert!(!text(&out.stdout).contains("gansu"));
    for input in [&book, &dept] {
        let out = jixiao().arg("profiles").arg(input).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("gansu") && stdout.contains("继承 national"),
            "{stdout}"
        );
    }
}

#[test]
fn a_user_profile_is_named_by_its_id_in_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("表样");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("gansu.toml"), GANSU).expect("write");
    let out = jixiao()
        .args(["import", "--json", "--profile", "gansu", "--profiles"])
        .arg(&folder)
        .arg(sample("national.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let tables = v["tables"].as_array().expect("tables");
    assert!(!tables.is_empty());
    assert!(tables.iter().all(|t| t["profile"] == "gansu"), "{v}");
    // Without --profiles the id is unknown: one sentence, exit 2.
    let out = jixiao()
        .args(["import", "--json", "--profile", "gansu"])
        .arg(sample("national.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.starts_with("错误：") && err.contains("gansu"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_bad_profiles_folder_is_one_sentence_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("坏.toml"), "id = \n").expect("write");
    for args in [
        vec![
            "profiles".into(),
            "--profiles".into(),
            dir.path().as_os_str().to_owned(),
        ],
        vec![
            "profiles".into(),
            "--profiles".into(),
            "没有这个目录".into(),
        ],
        vec![
            std::ffi::OsString::from("import"),
            "--profiles".into(),
            dir.path().as_os_str().to_owned(),
            sample("national.xlsx").into_os_string(),
        ],
    ] {
        let out = jixiao().args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("错误："), "{err}");
        assert_no_english(&format!("{args:?}"), &err);
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn the_rule_list_gives_the_levels_of_the_users_profiles_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("jixiao-profiles");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(
        folder.join("gansu.toml"),
        format!("{GANSU}\n[rules]\n\"cost.sum\" = \"off\"\n"),
    )
    .expect("write");
    let out = jixiao()
        .current_dir(dir.path())
        .args(["check", "--rules", "--json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let cost = v
        .as_array()
        .and_then(|rules| rules.iter().find(|r| r["id"] == "cost.sum"))
        .expect("cost.sum");
    assert_eq!(cost["levels"]["gansu"], "off", "{cost}");
    assert_eq!(cost["levels"]["ningxia"], "error", "{cost}");
}
