//! Self-evaluation and monitoring fixtures (`tests/fixtures/selfeval/`, issue 22): each read
//! through the library and compared field by field with its hand-written truth, then checked:
//! the `selfeval.*` findings must be exactly the truth's (rule and cell), the correct tables
//! quiet. One test per workbook; `measure_every_fixture` prints how much of the truths is read.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use jixiao::model::{Document, Figure, Indicator, Table};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::common::root;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Truth {
    profile: String,
    tables: Vec<TableTruth>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableTruth {
    sheet: String,
    form: String,
    year: Option<i32>,
    #[serde(default)]
    project: BTreeMap<String, String>,
    #[serde(default)]
    goal: Option<String>,
    #[serde(default)]
    goal_actual: Option<String>,
    #[serde(default)]
    execution: Option<ExecutionTruth>,
    #[serde(default)]
    indicators: Vec<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    total: Option<BTreeMap<String, String>>,
    #[serde(default)]
    narrative: BTreeMap<String, String>,
    findings: Vec<FindingTruth>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExecutionTruth {
    #[serde(default)]
    month: Option<u32>,
    #[serde(default)]
    weight: Option<String>,
    #[serde(default)]
    score: Option<String>,
    lines: Vec<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Clone)]
#[serde(deny_unknown_fields)]
struct FindingTruth {
    rule: String,
    cell: String,
}

fn dir() -> PathBuf {
    root().join("tests/fixtures/selfeval")
}

fn truth_of(file: &str) -> Truth {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let path = dir().join(format!("{stem}.truth.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("truth {s:?} is not a decimal: {e}"))
}

/// Field-by-field comparison: (fields compared, differences).
struct Tally {
    fields: usize,
    diffs: Vec<String>,
}

impl Tally {
    fn eq(&mut self, what: String, got: &str, want: &str) {
        self.fields += 1;
        if got != want {
            self.diffs
                .push(format!("{what}: read {got:?}, truth {want:?}"));
        }
    }

    fn num(&mut self, what: String, got: Option<Decimal>, want: Option<&String>) {
        self.fields += 1;
        let want = want.map(|w| dec(w));
        let same = match (got, want) {
            (Some(a), Some(b)) => a == b,
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.diffs
                .push(format!("{what}: read {got:?}, truth {want:?}"));
        }
    }
}

fn fig(f: &Option<Figure>) -> Option<Decimal> {
    f.as_ref().and_then(|f| f.value)
}

fn text_opt(t: Option<&str>) -> String {
    t.unwrap_or("").to_string()
}

fn compare_indicator(
    t: &mut Tally,
    at: &str,
    got: &Indicator,
    want: &BTreeMap<String, serde_json::Value>,
) {
    let s = |k: &str| want.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let r = &got.result;
    t.eq(
        format!("{at}.level1"),
        &got.level1,
        &s("level1").unwrap_or_default(),
    );
    t.eq(
        format!("{at}.level2"),
        &got.level2,
        &s("level2").unwrap_or_default(),
    );
    t.eq(
        format!("{at}.name"),
        &got.name,
        &s("name").unwrap_or_default(),
    );
    t.eq(
        format!("{at}.value"),
        &got.value.raw,
        &s("value").unwrap_or_default(),
    );
    t.eq(
        format!("{at}.actual"),
        &text_opt(r.actual.as_ref().map(|a| a.value.raw.as_str())),
        &s("actual").unwrap_or_default(),
    );
    t.num(format!("{at}.weight"), got.weight, s("weight").as_ref());
    t.num(format!("{at}.score"), fig(&r.score), s("score").as_ref());
    t.eq(
        format!("{at}.reason"),
        &text_opt(r.reason.as_ref().map(|n| n.text.as_str())),
        &s("reason").unwrap_or_default(),
    );
    t.eq(
        format!("{at}.block"),
        &text_opt(r.block.as_ref().map(|n| n.text.as_str())),
        &s("block").unwrap_or_default(),
    );
    t.eq(
        format!("{at}.progress"),
        &text_opt(r.progress.as_ref().map(|a| a.value.raw.as_str())),
        &s("progress").unwrap_or_default(),
    );
    t.eq(
        format!("{at}.forecast"),
        &text_opt(r.forecast.as_ref().map(|a| a.value.raw.as_str())),
        &s("forecast").unwrap_or_default(),
    );
    let likely = r.likelihood.as_ref().map(|l| {
        serde_json::to_value(l.level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    t.eq(
        format!("{at}.likelihood"),
        &likely.unwrap_or_default(),
        &s("likelihood").unwrap_or_default(),
    );
    let causes: Vec<String> = r.causes.iter().map(|c| c.category.clone()).collect();
    let want_causes: Vec<String> = want
        .get("causes")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    t.eq(
        format!("{at}.causes"),
        &causes.join("、"),
        &want_causes.join("、"),
    );
}

fn compare_table(t: &mut Tally, got: &Table, want: &TableTruth) {
    let at = format!("[{}]", want.sheet);
    t.eq(format!("{at}.sheet"), &got.source.sheet, &want.sheet);
    t.eq(format!("{at}.form"), got.form.id(), &want.form);
    t.fields += 1;
    if got.year != want.year {
        t.diffs.push(format!(
            "{at}.year: read {:?}, truth {:?}",
            got.year, want.year
        ));
    }
    let p = &got.project;
    for (k, v) in &want.project {
        let read = match k.as_str() {
            "name" => p.name.clone(),
            "department" => p.department.clone(),
            "department_code" => p.department_code.clone().unwrap_or_default(),
            "implementing_unit" => p.implementing_unit.clone(),
            "implementing_unit_code" => p.implementing_unit_code.clone().unwrap_or_default(),
            other => panic!("truth project key {other}"),
        };
        t.eq(format!("{at}.project.{k}"), &read, v);
    }
    if let Some(g) = &want.goal {
        t.eq(format!("{at}.goal"), &got.goal, g);
    }
    t.eq(
        format!("{at}.goal_actual"),
        &text_opt(got.goal_actual.as_deref()),
        &text_opt(want.goal_actual.as_deref()),
    );
    match (&got.execution, &want.execution) {
        (Some(e), Some(w)) => {
            t.fields += 1;
            if e.month != w.month {
                t.diffs.push(format!(
                    "{at}.execution.month: read {:?}, truth {:?}",
                    e.month, w.month
                ));
            }
            t.num(
                format!("{at}.execution.weight"),
                fig(&e.weight),
                w.weight.as_ref(),
            );
            t.num(
                format!("{at}.execution.score"),
                fig(&e.score),
                w.score.as_ref(),
            );
            t.fields += 1;
            if e.lines.len() != w.lines.len() {
                t.diffs.push(format!(
                    "{at}.execution: {} lines read, truth {}",
                    e.lines.len(),
                    w.lines.len()
                ));
            }
            for (i, (l, wl)) in e.lines.iter().zip(&w.lines).enumerate() {
                let la = format!("{at}.execution.lines[{i}]");
                t.eq(
                    format!("{la}.label"),
                    &l.label,
                    wl.get("label").map_or("", |s| s.as_str()),
                );
                t.num(format!("{la}.initial"), fig(&l.initial), wl.get("initial"));
                t.num(
                    format!("{la}.adjusted"),
                    fig(&l.adjusted),
                    wl.get("adjusted"),
                );
                t.num(
                    format!("{la}.executed"),
                    fig(&l.executed),
                    wl.get("executed"),
                );
                t.num(
                    format!("{la}.forecast"),
                    fig(&l.forecast),
                    wl.get("forecast"),
                );
                t.num(format!("{la}.rate"), fig(&l.rate), wl.get("rate"));
            }
        }
        (None, Some(_)) => {
            t.fields += 1;
            t.diffs.push(format!("{at}.execution: not read"));
        }
        (Some(_), None) => {
            t.fields += 1;
            t.diffs
                .push(format!("{at}.execution: read, the truth has none"));
        }
        (None, None) => {}
    }
    t.fields += 1;
    if got.indicators.len() != want.indicators.len() {
        t.diffs.push(format!(
            "{at}: {} indicators read, truth {}: {:?}",
            got.indicators.len(),
            want.indicators.len(),
            got.indicators
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
        ));
    }
    for (i, (g, w)) in got.indicators.iter().zip(&want.indicators).enumerate() {
        compare_indicator(t, &format!("{at}.indicators[{i}]"), g, w);
    }
    match (&got.total, &want.total) {
        (Some(tot), Some(w)) => {
            t.num(
                format!("{at}.total.weight"),
                fig(&tot.weight),
                w.get("weight"),
            );
            t.num(format!("{at}.total.score"), fig(&tot.score), w.get("score"));
            t.eq(
                format!("{at}.total.grade"),
                &text_opt(tot.grade.as_ref().map(|g| g.text.as_str())),
                w.get("grade").map_or("", |s| s.as_str()),
            );
        }
        (Some(tot), None) => {
            // Computed scores only: the form prints no total row.
            t.num(format!("{at}.total.weight"), fig(&tot.weight), None);
            t.num(format!("{at}.total.score"), fig(&tot.score), None);
        }
        (None, None) => {}
        (None, Some(w)) => {
            t.fields += 1;
            t.diffs.push(format!("{at}.total: not read, truth {w:?}"));
        }
    }
    for (k, v) in &want.narrative {
        let read = got
            .metadata
            .iter()
            .find(|m| m.key == *k)
            .map(|m| m.value.clone());
        t.fields += 1;
        if read.as_deref() != Some(v.as_str()) {
            t.diffs
                .push(format!("{at}.narrative.{k}: read {read:?}, truth {v:?}"));
        }
    }
}

fn read(file: &str) -> Document {
    jixiao::read_file(&dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Reads `file`, compares with its truth; returns the tally and the findings' differences.
fn run(file: &str) -> (Tally, Vec<String>) {
    let truth = truth_of(file);
    let doc = read(file);
    let mut t = Tally {
        fields: 1,
        diffs: Vec::new(),
    };
    if doc.tables.len() != truth.tables.len() {
        t.diffs.push(format!(
            "{} tables read, truth {}",
            doc.tables.len(),
            truth.tables.len()
        ));
    }
    for (g, w) in doc.tables.iter().zip(&truth.tables) {
        t.eq(
            format!("[{}].profile", w.sheet),
            &g.profile.id,
            &truth.profile,
        );
        compare_table(&mut t, g, w);
    }
    let findings = jixiao::check(&doc);
    let mut finding_diffs = Vec::new();
    for (i, w) in truth.tables.iter().enumerate() {
        let mut got: Vec<FindingTruth> = findings
            .iter()
            .filter(|f| f.table == Some(i) && f.rule.starts_with("selfeval."))
            .map(|f| FindingTruth {
                rule: f.rule.clone(),
                cell: f.cell.map(|c| c.to_string()).unwrap_or_default(),
            })
            .collect();
        got.sort();
        let mut want = w.findings.clone();
        want.sort();
        if got != want {
            let show = |v: &[FindingTruth]| {
                v.iter()
                    .map(|f| format!("{}@{}", f.rule, f.cell))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let all: Vec<String> = findings
                .iter()
                .filter(|f| f.table == Some(i) && f.rule.starts_with("selfeval."))
                .map(|f| {
                    format!(
                        "{} {:?}: {}",
                        f.rule,
                        f.cell.map(|c| c.to_string()),
                        f.message
                    )
                })
                .collect();
            finding_diffs.push(format!(
                "[{}] findings:\n  read  {}\n  truth {}\n  {}",
                w.sheet,
                show(&got),
                show(&want),
                all.join("\n  ")
            ));
        }
    }
    (t, finding_diffs)
}

fn assert_fixture(file: &str) {
    let (t, f) = run(file);
    assert!(
        t.diffs.is_empty() && f.is_empty(),
        "{file}: {} of {} fields differ:\n{}\n{}",
        t.diffs.len(),
        t.fields,
        t.diffs.join("\n"),
        f.join("\n")
    );
}

macro_rules! fixtures {
    ($($(#[$attr:meta])* $name:ident => $file:expr;)*) => {
        $($(#[$attr])* #[test] fn $name() { assert_fixture($file); })*
        const ALL: &[&str] = &[$($file),*];
    };
}

fixtures! {
    national => "national.xlsx";
    national_resaved_by_libreoffice => "national.ods";
    sichuan => "sichuan.xlsx";
    sichuan_resaved_by_libreoffice => "sichuan.xls";
    hubei => "hubei.xlsx";
    monitoring => "monitoring.xlsx";
    real_chizhou_2022 => "real-chizhou-2022.xlsx";
    real_qingshen_2023 => "real-qingshen-2023.xlsx";
    real_daying_2023 => "real-daying-2023.xlsx";
    real_huanggang_2020 => "real-huanggang-2020.xlsx";
    real_huangshi_2019 => "real-huangshi-2019.xlsx";
    real_chongqing_department_2021 => "real-chongqing-department-2021.xlsx";
}

/// How much of every truth is read, fixture by fixture (`-- --nocapture` prints it).
#[test]
#[allow(clippy::print_stdout)] // the figures are the test's report
fn measure_every_fixture() {
    let mut all = (0, 0);
    for file in ALL {
        let (t, f) = run(file);
        let right = t.fields - t.diffs.len();
        all.0 += right;
        all.1 += t.fields;
        println!(
            "{file}: {right}/{} fields, {} tables' findings differ",
            t.fields,
            f.len()
        );
    }
    println!("all: {}/{} fields", all.0, all.1);
    // Everything reads.
    assert_eq!(all.0, all.1, "{}/{} fields", all.0, all.1);
}

#[test]
fn every_workbook_of_the_folder_has_a_test() {
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .expect("the folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.ends_with(".json") && !n.ends_with(".md"))
        .collect();
    files.sort();
    for f in files {
        assert!(ALL.contains(&f.as_str()), "{f} has no test");
    }
}

/// `check --targets`: the national self-evaluation against the targets table it was made from
/// (a target changed after approval, an indicator dropped, 年初预算数 ≠ 年度资金总额), and a
/// self-evaluation without a targets table.
#[test]
fn check_targets_links_each_self_evaluation_to_its_targets_table() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["check", "--json", "--targets"])
        .arg(dir().join("targets"))
        .arg(dir().join("national.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut got: Vec<(u64, String, String)> = v["discrepancies"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            let r = f["rule"].as_str().unwrap_or("");
            r.starts_with("selfeval.link")
                || r.starts_with("selfeval.indicator")
                || r == "selfeval.target-changed"
                || r == "selfeval.budget-differs"
        })
        .map(|f| {
            (
                f["table"].as_u64().unwrap_or(99),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["cell"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(u64, String, String)> = [
        (0, "selfeval.budget-differs", "E7"),
        (0, "selfeval.indicator-dropped", "D14"),
        (0, "selfeval.target-changed", "F16"),
        (1, "selfeval.link-none", "C4"),
    ]
    .iter()
    .map(|(t, r, c)| (*t, r.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, want);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("培训教材编印册数"),
        "the dropped indicator is named"
    );
    assert!(text.contains("≥95%"), "the approved target is named");
}

/// A self-evaluation or monitoring table draws only the rules that apply to its form: none of
/// the targets table's (how targets, funding plan and goal were set — the 池州 goal's 30万元
/// parts, the Hubei form without a 年度总体目标 cell), and no suggested review grade: a
/// self-evaluation's grade is its own 总分 and 等级.
#[test]
fn self_evaluations_draw_only_the_rules_of_their_form() {
    let mut seen_targets_rule = Vec::new();
    for file in ALL {
        let mut doc = read(file);
        let findings = jixiao::check(&doc);
        for f in &findings {
            let Some(t) = f.table.and_then(|i| doc.tables.get(i)) else {
                continue;
            };
            let r = jixiao::check::rule(&f.rule).expect("a catalogue rule");
            if !r.forms.includes(t.form) || r.forms == jixiao::check::Forms::Targets {
                seen_targets_rule.push(format!("{file} {} {:?}: {}", f.rule, f.cell, f.message));
            }
        }
        jixiao::check::grade(&mut doc, &findings);
        for t in &doc.tables {
            assert!(t.grade.is_none(), "{file}: {} graded", t.source.sheet);
        }
    }
    assert!(
        seen_targets_rule.is_empty(),
        "{}",
        seen_targets_rule.join("\n")
    );
    // The CLI names a self-evaluation's own result, not a suggested grade.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("check")
        .arg(dir().join("real-chizhou-2022.xlsx"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("自评总分 100，等级 优"), "{text}");
    assert!(!text.contains("建议评级"), "{text}");
    assert!(text.contains("自评等级：优 1，良 0，中 0，差 0"), "{text}");
}

/// `selfeval --from` picks the form of the tables' kind when no profile is asked: 部门整体
/// targets tables get the 部门整体 self-evaluation, projects the project one; a table of the
/// other kind is named as not made (never written into a form of the wrong kind), and a
/// monitoring form of a 部门整体 table, which no built-in profile describes, is refused saying so.
#[test]
fn selfeval_picks_the_form_of_the_tables_kind() {
    use jixiao::form::TableKind;
    use jixiao::model::FormKind;

    let run = |args: &[&str], from: &[PathBuf], out: &std::path::Path| {
        assert_cmd::Command::cargo_bin("jixiao")
            .unwrap_or_else(|e| panic!("{e}"))
            .args(args)
            .arg("--from")
            .args(from)
            .arg("-o")
            .arg(out)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let department = root().join("tests/fixtures/department.xlsx");
    let projects = root().join("tests/fixtures/national.xlsx");
    let dept = jixiao::read_file(&department).unwrap_or_else(|e| panic!("{e}"));
    assert!(dept.tables.iter().all(|t| t.kind == TableKind::Department));
    let profiles = jixiao::read::Profiles::builtin();
    let name_of = |id: &str| {
        profiles
            .get(id)
            .unwrap_or_else(|| panic!("no profile {id}"))
            .name
            .clone()
    };

    // 部门整体 only: the 部门整体 form, which reads back as a 部门整体 self-evaluation.
    let out = dir.path().join("部门自评.xlsx");
    let done = run(&["selfeval"], std::slice::from_ref(&department), &out);
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert_eq!(
        done.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(stdout.contains(&name_of("department-selfeval")), "{stdout}");
    let back = jixiao::read_file(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.tables.len(), dept.tables.len());
    for (b, d) in back.tables.iter().zip(&dept.tables) {
        assert_eq!(b.form, FormKind::SelfEvaluation);
        assert_eq!(b.kind, TableKind::Department, "{}", b.display_name());
        assert_eq!(b.project.department, d.project.department);
    }

    // Mostly projects: the project form; the 部门整体 table is named as not made.
    let out = dir.path().join("自评.xlsx");
    let done = run(&["selfeval"], &[department.clone(), projects.clone()], &out);
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert_eq!(done.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(&name_of("national-selfeval")), "{stdout}");
    let skipped = format!("未生成：{}", dept.tables[0].display_name());
    assert!(stdout.contains(&skipped), "{stdout}");
    assert!(stdout.contains("--profile department-selfeval"), "{stdout}");
    let back = jixiao::read_file(&out).unwrap_or_else(|e| panic!("{e}"));
    let made = jixiao::read_file(&projects).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.tables.len(), made.tables.len());
    assert!(back.tables.iter().all(|t| t.kind == TableKind::Project));

    // No built-in 部门整体 monitoring form: refused, saying why, nothing written.
    let out = dir.path().join("监控.xlsx");
    let done = run(&["monitor", "--month", "6"], &[department], &out);
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("部门整体支出绩效目标表"), "{stderr}");
    assert!(stderr.lines().count() == 1, "{stderr}");
    assert!(!out.exists());
}
