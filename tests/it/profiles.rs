//! Forms that only a user's profile file knows (issue 18), through the command line as a user
//! runs it: the workbook in a folder with a `jixiao-profiles/` folder beside it, no flags.
//!
//! The forms are `tests/fixtures/profiles/*/` (made by `make_profile_fixtures.py`), each with a
//! hand-written profile and a hand-written truth (`X.truth.json`: the part of `import --json`'s
//! table that a person reads off the form; funding lines matched by label, their parent named by
//! its label).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::root;

fn jixiao() -> Command {
    Command::cargo_bin("jixiao").expect("binary is built")
}

fn form(name: &str) -> PathBuf {
    root()
        .join("tests/fixtures/profiles")
        .join(name)
        .join(format!("{name}.xlsx"))
}

fn truth(name: &str) -> Value {
    let path = root()
        .join("tests/fixtures/profiles")
        .join(name)
        .join(format!("{name}.truth.json"));
    let text = std::fs::read_to_string(&path).expect("truth is readable");
    serde_json::from_str(&text).expect("truth is JSON")
}

/// `jixiao import --json FILE` run in `dir`: the one table it reads.
fn import(dir: &Path, file: &Path) -> Value {
    let out = jixiao()
        .current_dir(dir)
        .args(["import", "--json"])
        .arg(file)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let tables = v["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 1, "{v:#}");
    tables[0].clone()
}

/// `jixiao check --json FILE` run in `dir`: (exit code, findings).
fn check(dir: &Path, file: &Path) -> (Option<i32>, Vec<Value>) {
    let out = jixiao()
        .current_dir(dir)
        .args(["check", "--json"])
        .arg(file)
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let findings = v["discrepancies"].as_array().cloned().unwrap_or_default();
    (out.status.code(), findings)
}

/// A folder holding nothing: what the current folder is for a user who keeps no profiles there.
fn elsewhere() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Amounts compare as decimals (`80` is `80.00`), everything else as it is.
fn same(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::String(w), Value::String(g)) => {
            w == g
                || matches!((Decimal::from_str(w), Decimal::from_str(g)), (Ok(a), Ok(b)) if a == b)
        }
        _ => want == got,
    }
}

/// Every key of the truth as the table has it; arrays element by element, of the same length.
/// `lines` (funding lines) are matched by label, their `parent` compared as the parent's label
/// (only when `parents`).
fn compare(path: &str, want: &Value, got: &Value, parents: bool, diffs: &mut Vec<String>) {
    match want {
        Value::Object(w) => {
            for (k, wv) in w {
                let at = format!("{path}.{k}");
                let gv = got.get(k).unwrap_or(&Value::Null);
                if k == "lines" {
                    compare_lines(&at, wv, gv, parents, diffs);
                } else {
                    compare(&at, wv, gv, parents, diffs);
                }
            }
        }
        Value::Array(w) => {
            let g = got.as_array().cloned().unwrap_or_default();
            if g.len() != w.len() {
                diffs.push(format!("{path}: {} items, want {}", g.len(), w.len()));
            }
            for (i, (wv, gv)) in w.iter().zip(&g).enumerate() {
                compare(&format!("{path}[{i}]"), wv, gv, parents, diffs);
            }
        }
        _ => {
            if !same(want, got) {
                diffs.push(format!("{path}: {got}, want {want}"));
            }
        }
    }
}

fn compare_lines(path: &str, want: &Value, got: &Value, parents: bool, diffs: &mut Vec<String>) {
    let w = want.as_array().cloned().unwrap_or_default();
    let g = got.as_array().cloned().unwrap_or_default();
    if g.len() != w.len() {
        diffs.push(format!(
            "{path}: {} lines, want {}: {got}",
            g.len(),
            w.len()
        ));
    }
    let label_of = |i: &Value| {
        i.as_u64()
            .and_then(|i| g.get(usize::try_from(i).ok()?))
            .map_or(Value::Null, |l| l["label"].clone())
    };
    for wl in &w {
        let label = &wl["label"];
        let Some(gl) = g.iter().find(|l| &l["label"] == label) else {
            diffs.push(format!("{path}: no line {label}"));
            continue;
        };
        for (k, wv) in wl.as_object().into_iter().flatten() {
            let at = format!("{path}[{label}].{k}");
            if k == "parent" {
                let got_parent = label_of(gl.get("parent").unwrap_or(&Value::Null));
                if parents && got_parent != *wv {
                    diffs.push(format!("{at}: {got_parent}, want {wv}"));
                }
            } else {
                compare(&at, wv, gl.get(k).unwrap_or(&Value::Null), parents, diffs);
            }
        }
    }
}

fn assert_reads_exactly(name: &str, table: &Value, parents: bool) {
    let mut diffs = Vec::new();
    compare(name, &truth(name), table, parents, &mut diffs);
    assert!(diffs.is_empty(), "{name}:\n{}", diffs.join("\n"));
}

/// The form of issue 18: 申报项目名称, 资金来源：省财政资金, 申报资金合计 below its parts,
/// 绩效指标名称 / 预期目标值, a 二级 printed 数量产出 — read with its profile found beside it.
#[test]
fn a_form_only_its_profile_knows_reads_exactly_with_no_flags() {
    let cwd = elsewhere();
    let t = import(cwd.path(), &form("shenbao"));
    assert_eq!(t["profile"], "shenbao");
    // 数量产出 is a 数量指标 through the profile's [vocabulary], kept as printed.
    assert_eq!(t["indicators"][0]["level2"], "数量产出");
    assert_eq!(t["indicators"][0]["class"], "quantity");
    // The parts' parent (a total printed below them) is the funding stage's:
    // see the ignored test below.
    assert_reads_exactly("shenbao", &t, false);
    let t = import(cwd.path(), &form("county"));
    assert_eq!(t["profile"], "county");
    assert_reads_exactly("county", &t, true);
}

/// The funding lines of a total printed below its parts hang from it.
#[test]
fn a_total_printed_below_its_parts_is_their_parent() {
    let t = import(elsewhere().path(), &form("shenbao"));
    assert_reads_exactly("shenbao", &t, true);
}

/// Without its profile the same form is found (its labels are read by what they say:
/// 申报项目名称 is the project's name, 申报单位 its unit, 申报资金合计 the year's total) but its
/// money's parts are not: the funding labels only the profile knows are named in one
/// `read.unknown-label` notice and kept, never read as another field.
#[test]
fn without_its_profile_the_form_reads_by_meaning_but_not_its_money() {
    let tmp = elsewhere();
    let alone = tmp.path().join("shenbao.xlsx");
    std::fs::copy(form("shenbao"), &alone).expect("copy");
    let out = jixiao()
        .current_dir(tmp.path())
        .args(["import", "--json"])
        .arg(&alone)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let t = &doc["tables"][0];
    assert_eq!(t["project"]["name"], "基层农技推广体系建设");
    // The total by meaning (a label ending in 合计 after 资金), and no part of it.
    assert_eq!(t["funding"]["annual_total"], "100.00", "{}", t["funding"]);
    let lines = t["funding"]["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1, "{}", t["funding"]);
    assert_eq!(lines[0]["label"], "申报资金合计");
    let unknown: Vec<&Value> = doc["discrepancies"]
        .as_array()
        .expect("discrepancies")
        .iter()
        .filter(|f| f["rule"] == "read.unknown-label")
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:#?}");
    let message = unknown[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("资金来源：省财政资金"), "{message}");
}

/// `check` draws no false finding on either form: no error, no warning, exit 0.
#[test]
fn a_correct_form_of_a_users_profile_draws_no_finding() {
    let cwd = elsewhere();
    for name in ["shenbao", "county"] {
        let (code, findings) = check(cwd.path(), &form(name));
        let bad: Vec<&Value> = findings
            .iter()
            .filter(|f| f["severity"] != "info")
            .collect();
        assert!(bad.is_empty(), "{name}: {bad:#?}");
        assert_eq!(code, Some(0), "{name}");
    }
}

/// The profile's [rules] apply (`cost.sum` is an error for this form, a warning by default),
/// and the office's jixiao.toml still overrides them, `[profile.shenbao]` included.
#[test]
fn the_profiles_rules_apply_and_jixiao_toml_overrides_them() {
    let wrong = root().join("tests/fixtures/profiles/shenbao/shenbao-wrong-total.xlsx");
    let cwd = elsewhere();
    let (code, findings) = check(cwd.path(), &wrong);
    let cost: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "cost.sum")
        .collect();
    assert_eq!(cost.len(), 1, "{findings:#?}");
    assert_eq!(cost[0]["severity"], "error");
    assert_eq!(code, Some(1));
    std::fs::write(
        cwd.path().join("jixiao.toml"),
        "[profile.shenbao.rules]\n\"cost.sum\" = \"warning\"\n",
    )
    .expect("write");
    let (_, findings) = check(cwd.path(), &wrong);
    let cost: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "cost.sum")
        .collect();
    assert_eq!(cost.len(), 1, "{findings:#?}");
    assert_eq!(cost[0]["severity"], "warning");
}

/// 110 printed as the total of 80 + 20: the profile's [[sum]] is checked whether the total is
/// printed above or below its parts.
#[test]
fn a_wrong_total_below_its_parts_draws_funding_sum() {
    let wrong = root().join("tests/fixtures/profiles/shenbao/shenbao-wrong-total.xlsx");
    let (_, findings) = check(elsewhere().path(), &wrong);
    assert!(
        findings.iter().any(|f| f["rule"] == "funding.sum"
            && f["severity"] == "error"
            && f["message"].as_str().is_some_and(|m| m.contains("110"))),
        "{findings:#?}"
    );
}

/// `convert` writes the table so that it reads back the same, with the same profile and the
/// same funding lines (the profile beside the output, as the office keeps it).
#[test]
fn a_converted_form_reads_back_the_same() {
    for name in ["shenbao", "county"] {
        let tmp = elsewhere();
        let profiles = tmp.path().join("jixiao-profiles");
        std::fs::create_dir(&profiles).expect("mkdir");
        let src = root()
            .join("tests/fixtures/profiles")
            .join(name)
            .join("jixiao-profiles")
            .join(format!("{name}.toml"));
        std::fs::copy(&src, profiles.join(format!("{name}.toml"))).expect("copy");
        let out = jixiao()
            .current_dir(tmp.path())
            .arg("convert")
            .arg(form(name))
            .args(["-o", "out"])
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let back = tmp.path().join("out").join(format!("{name}.xlsx"));
        let t = import(tmp.path(), &back);
        assert_eq!(t["profile"], name);
        assert_reads_exactly(name, &t, name != "shenbao");
    }
}

/// The words of the county form's grid and its 项目属性 are known through its profile's
/// [vocabulary] alone: the same profile without it draws the framework and attribute findings.
#[test]
fn the_vocabulary_is_what_makes_the_grid_known() {
    let tmp = elsewhere();
    let profiles = tmp.path().join("jixiao-profiles");
    std::fs::create_dir(&profiles).expect("mkdir");
    let full = std::fs::read_to_string(
        root().join("tests/fixtures/profiles/county/jixiao-profiles/county.toml"),
    )
    .expect("profile");
    let without: String = full
        .lines()
        .filter(|l| {
            !["level1", "level2", "attributes"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, full);
    std::fs::write(profiles.join("county.toml"), without).expect("write");
    let copy = tmp.path().join("county.xlsx");
    std::fs::copy(form("county"), &copy).expect("copy");
    let (code, findings) = check(tmp.path(), &copy);
    let rules: Vec<&str> = findings.iter().filter_map(|f| f["rule"].as_str()).collect();
    // The levels it does not know are warned about, and which levels the grid lacks cannot be
    // told (check.not-run, information): no error for the checker's own ignorance (issue 19).
    for rule in [
        "framework.unknown-level",
        "identity.attribute-kind",
        "check.not-run",
    ] {
        assert!(rules.contains(&rule), "{rule}: {rules:?}");
    }
    assert!(!rules.contains(&"framework.missing-level1"), "{rules:?}");
    assert_eq!(code, Some(0), "{rules:?}");
    let t = import(tmp.path(), &copy);
    // 社会效果 is this form's own word: unknown without its vocabulary. 产出数量 is 产出数量指标
    // with its ending set aside, a wording the framework knows: read by meaning either way.
    assert_eq!(t["indicators"][4]["level2"], "社会效果");
    assert_eq!(t["indicators"][4]["class"], "unknown");
    assert_eq!(t["indicators"][0]["class"], "quantity");
}

/// A profile that names a rule the checker does not have, or a word for no level of the
/// framework, stops the run with one Chinese sentence naming the file (exit 2).
#[test]
fn a_misspelt_profile_is_one_sentence_and_exit_2() {
    for (body, word) in [
        ("[rules]\n\"cost.summ\" = \"off\"\n", "cost.summ"),
        ("[rules]\n\"cost.sum\" = \"fatal\"\n", "fatal"),
        (
            "[vocabulary]\nlevel2 = { \"数量产出\" = \"工作指标\" }\n",
            "工作指标",
        ),
    ] {
        let tmp = elsewhere();
        let profiles = tmp.path().join("jixiao-profiles");
        std::fs::create_dir(&profiles).expect("mkdir");
        std::fs::write(
            profiles.join("x.toml"),
            format!("id = \"x\"\nextends = \"national\"\n{body}"),
        )
        .expect("write");
        let out = jixiao()
            .current_dir(tmp.path())
            .arg("check")
            .arg(root().join("tests/fixtures/national.xlsx"))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{body}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(word) && err.contains("x.toml"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        // The same folder beside the input, the current folder elsewhere: that input fails.
        let beside = elsewhere();
        let input = beside.path().join("national.xlsx");
        std::fs::copy(root().join("tests/fixtures/national.xlsx"), &input).expect("copy");
        let folder = beside.path().join("jixiao-profiles");
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::copy(profiles.join("x.toml"), folder.join("x.toml")).expect("copy");
        let out = jixiao()
            .current_dir(elsewhere().path())
            .arg("check")
            .arg(&input)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{body}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(word) && err.contains("x.toml"), "{err}");
    }
}

/// The level `jixiao check --rules` prints for a rule and a profile's short name: the group
/// (`错误（shenbao、宁夏）`) that names it, or the one level when all profiles agree.
fn printed_level(listing: &str, rule: &str, short: &str) -> String {
    let line = listing
        .lines()
        .find(|l| l.split_whitespace().next() == Some(rule))
        .unwrap_or_else(|| panic!("{rule} is listed:\n{listing}"));
    let levels = line
        .rsplit_once('[')
        .and_then(|(_, rest)| rest.strip_suffix(']'))
        .unwrap_or_else(|| panic!("levels in brackets: {line}"));
    if !levels.contains('（') {
        return levels.to_string();
    }
    levels
        .split('／')
        .find_map(|group| {
            let (level, names) = group.split_once('（')?;
            let names = names.strip_suffix('）')?;
            names
                .split('、')
                .any(|n| n == short)
                .then(|| level.to_string())
        })
        .unwrap_or_else(|| panic!("{short} is in a group of {line}"))
}

/// `jixiao check --rules` (the human list) shows what each profile's `[rules]` sets, for the
/// user's profiles (from `--profiles` and a `jixiao-profiles/` folder) as for the built-ins,
/// by their short names.
#[test]
fn the_rule_list_shows_the_levels_each_users_profile_sets() {
    let here = root().join("tests/fixtures/profiles/shenbao");
    let county = root().join("tests/fixtures/profiles/county/jixiao-profiles");
    let out = jixiao()
        .current_dir(&here)
        .args(["check", "--rules", "--profiles"])
        .arg(&county)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut profiles = jixiao::read::profile::Profiles::builtin();
    let mut seen = 0;
    for file in [
        here.join("jixiao-profiles/shenbao.toml"),
        county.join("county.toml"),
    ] {
        let p = profiles.add_file(&file).expect("the profile reads");
        let base = profiles.get("national").expect("national");
        for (rule, level) in &p.rules {
            let want = level.label();
            assert_eq!(printed_level(&listing, rule, &p.short), want, "{rule}");
            if base.rules.get(rule) != Some(level) {
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "the profiles set levels of their own");
    // The built-ins by their short names, each with its own level.
    for p in jixiao::read::profile::Profiles::builtin().iter() {
        let r = jixiao::check::rule("cost.sum").expect("cost.sum");
        let s = jixiao::check::Settings::for_profile(
            jixiao::check::Vocab::builtin(),
            &jixiao::check::Config::default(),
            *p,
            p.kind,
        );
        assert_eq!(
            printed_level(&listing, "cost.sum", &p.short),
            s.level(r).label(),
            "{}",
            p.id
        );
    }
}

/// A blank `jixiao template --profile NAME` of a form with its own funding lines prints those
/// lines in the form's words (not the layout's 财政拨款 / 上年结转资金 rows), and reads back as
/// that form with the same lines, none filled.
#[test]
fn a_blank_template_of_a_users_form_prints_its_own_funding_lines() {
    for name in ["shenbao", "county"] {
        let tmp = elsewhere();
        let profiles = tmp.path().join("jixiao-profiles");
        std::fs::create_dir(&profiles).expect("mkdir");
        let src = root()
            .join("tests/fixtures/profiles")
            .join(name)
            .join("jixiao-profiles")
            .join(format!("{name}.toml"));
        std::fs::copy(&src, profiles.join(format!("{name}.toml"))).expect("copy");
        let out = jixiao()
            .current_dir(tmp.path())
            .args([
                "template",
                "--year",
                "2027",
                "--profile",
                name,
                "-o",
                "blank.xlsx",
            ])
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let t = import(tmp.path(), &tmp.path().join("blank.xlsx"));
        assert_eq!(t["profile"], name);
        // The lines as the form prints them: label and the label of the line they are part of
        // (compared as the reader compares labels: `其中：` and blanks aside).
        let norm = |v: Value| v.as_str().map(jixiao::read::labels::normalize_label);
        let shape = |lines: &Value, parent_label: &dyn Fn(&Value) -> Value| {
            let mut v: Vec<(Option<String>, Option<String>)> = lines
                .as_array()
                .expect("lines")
                .iter()
                .map(|l| (norm(l["label"].clone()), norm(parent_label(l))))
                .collect();
            v.sort();
            v
        };
        let got_lines = &t["funding"]["lines"];
        let got = shape(got_lines, &|l| match l["parent"].as_u64() {
            Some(i) => got_lines[i as usize]["label"].clone(),
            None => Value::Null,
        });
        let want = shape(&truth(name)["funding"]["lines"], &|l| l["parent"].clone());
        assert_eq!(got, want, "{name}: {got_lines:#}");
        for l in got_lines.as_array().expect("lines") {
            assert!(
                l["amount"].is_null(),
                "{name}: a blank line is not filled: {l}"
            );
        }
    }
}
