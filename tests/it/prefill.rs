//! `jixiao selfeval`: prefilled self-evaluation forms score themselves as the library does.
//!
//! Prefill from the samples and fixtures → fill actuals, executed amounts, band words and some
//! weights with openpyxl (tests/fixtures/fill_selfeval.py) → LibreOffice recalculates
//! (`soffice --convert-to xlsx`) → calamine reads the cells back → every score, the budget
//! score, the total and the grade equal what `jixiao::selfeval::Scoring` gives on the values
//! read back.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Range, Reader, Xlsx};
use jixiao::read::profile::ProfileRef;
use jixiao::selfeval::Scoring;
use jixiao::write::selfeval::layout::{FundingRole, GridRole};
use jixiao::write::selfeval::{self as se, prefill, RowScoring, SelfEvalLayout, Settings};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::common;

/// python3 with openpyxl, or a skip (a failure under CI=true).
fn openpyxl_or_skip(test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        assert!(
            !ci,
            "{test}: python3 with openpyxl is not installed, and CI needs it"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: python3 with openpyxl is not installed (in CI this fails)"
        );
    }
    ok
}

/// The targets tables the forms are prefilled from: samples and fixtures of several families.
fn inputs() -> Vec<PathBuf> {
    let root = common::root();
    [
        "samples/national.xlsx",
        "samples/seed-publication.xlsx",
        "tests/fixtures/national.xlsx",
        "tests/fixtures/chizhou.xlsx",
        "tests/fixtures/scores-types.xlsx",
        "tests/fixtures/daqing.xlsx",
        "tests/fixtures/values.xlsx",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect()
}

/// The targets tables a profile's forms are prefilled from: 部门整体 ones for a 部门整体 form.
fn inputs_for(profile: &str) -> Vec<PathBuf> {
    if profile != "department-selfeval" {
        return inputs();
    }
    let root = common::root();
    [
        "tests/fixtures/department.xlsx",
        "tests/fixtures/sichuan-department.xlsx",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect()
}

fn num(range: &Range<Data>, row: u32, col: u16) -> Option<Decimal> {
    match range.get_value((row, u32::from(col)))? {
        Data::Float(f) => Decimal::from_f64(*f),
        Data::Int(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

fn text(range: &Range<Data>, row: u32, col: u16) -> String {
    match range.get_value((row, u32::from(col))) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// The first row whose cells include `label` (absolute row numbers: the range starts at A1).
fn row_of(range: &Range<Data>, label: &str) -> u32 {
    let (rows, cols) = range.get_size();
    (0..rows as u32)
        .find(|&r| (0..cols as u16).any(|c| text(range, r, c) == label))
        .unwrap_or_else(|| panic!("no row with {label}"))
}

/// The settings a profile's forms are written with: its scoring and, on a monitoring form, the
/// month.
fn settings_of(profile: ProfileRef, month: Option<u32>) -> Settings {
    Settings {
        scoring: profile
            .selfeval
            .as_ref()
            .map(|s| s.scoring.clone())
            .unwrap_or_default(),
        month,
    }
}

/// The built-in profile `id`, its form's layout (a monitoring form's when `month` is given) and
/// settings.
fn form_setup(id: &str, month: Option<u32>) -> (ProfileRef, &'static SelfEvalLayout, Settings) {
    let profile = jixiao::read::profile::builtin(id).unwrap_or_else(|| panic!("{id}"));
    let layout = SelfEvalLayout::for_profile(&profile, month.is_some());
    (profile, layout, settings_of(profile, month))
}

/// The tables prefilled from `targets` in `layout`, and the form of each.
fn prefill_all(
    targets: &[jixiao::model::Table],
    profile: ProfileRef,
    layout: &SelfEvalLayout,
    settings: &Settings,
) -> (Vec<jixiao::model::Table>, Vec<se::Form>) {
    let tables: Vec<jixiao::model::Table> = targets
        .iter()
        .map(|t| prefill::prefill(t, profile, layout, settings.month))
        .collect();
    let forms = tables
        .iter()
        .map(|t| prefill::form_of(t, layout, settings))
        .collect();
    (tables, forms)
}

/// One workbook to prefill: a file of targets tables and the form its tables go into.
struct Job<'a> {
    input: PathBuf,
    profile: ProfileRef,
    layout: &'a SelfEvalLayout,
    settings: Settings,
}

/// A job's workbook as a department returns it: its forms, their sheets, and the file as
/// LibreOffice recalculated it.
struct Filled {
    forms: Vec<se::Form>,
    sheets: Vec<String>,
    recalculated: PathBuf,
}

/// Prefills and writes a workbook per job, fills each as a department would
/// (tests/fixtures/fill_selfeval.py), and recalculates them all in one LibreOffice run.
fn fill_and_recalculate(soffice: &str, dir: &Path, jobs: &[Job<'_>]) -> Vec<Filled> {
    let mut filled = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        let doc = jixiao::read_file(&job.input).unwrap_or_else(|e| panic!("{e}"));
        assert!(!doc.tables.is_empty(), "{}", job.input.display());
        let (_, forms) = prefill_all(&doc.tables, job.profile, job.layout, &job.settings);
        let book =
            se::write(&forms, job.layout, &job.settings, &[]).unwrap_or_else(|e| panic!("{e}"));
        let written = dir.join(format!("{i}.xlsx"));
        std::fs::write(&written, &book.bytes).unwrap_or_else(|e| panic!("{e}"));
        let out = dir.join(format!("filled{i}.xlsx"));
        let run = Command::new("python3")
            .arg(common::root().join("tests/fixtures/fill_selfeval.py"))
            .args([&written, &out])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        filled.push((out, forms, book.sheets));
    }
    let recalc = dir.join("recalc");
    let files: Vec<&Path> = filled.iter().map(|f| f.0.as_path()).collect();
    crate::common::soffice_convert(soffice, "xlsx", &files, &recalc, &dir.join("lo"));
    filled
        .into_iter()
        .map(|(out, forms, sheets)| Filled {
            recalculated: recalc.join(out.file_name().unwrap_or_default()),
            forms,
            sheets,
        })
        .collect()
}

/// What the recalculated sheets showed, for the coverage asserts.
#[derive(Default)]
struct Seen {
    quantitative: usize,
    partial: usize,
    qualitative: usize,
    budgets: usize,
    totals: usize,
    untotalled: usize,
    /// Budgets scored on a form that prints their weight in a label only (湖北).
    label_weighed: usize,
    /// Total lines summed beside a second split of the total (部门整体).
    split: usize,
}

/// Compares one recalculated form with the library; returns its total as read.
fn compare_sheet(
    range: &Range<Data>,
    form: &se::Form,
    layout: &SelfEvalLayout,
    sc: &Scoring,
    what: &str,
    seen: &mut Seen,
) -> Option<Decimal> {
    let col = |role| {
        layout
            .grid_col(role)
            .unwrap_or_else(|| panic!("no column"))
            .at
            .first
    };
    let (actual_c, weight_c, score_c) = (
        col(GridRole::Actual),
        col(GridRole::Weight),
        col(GridRole::Score),
    );
    let head = row_of(
        range,
        &layout
            .grid_col(GridRole::Actual)
            .map(|c| c.header.clone())
            .unwrap_or_default(),
    );
    let mut scores = Vec::new();
    for (k, row) in form.rows.iter().enumerate() {
        let r = head + 1 + k as u32;
        assert_eq!(
            text(range, r, col(GridRole::Name)),
            row.name,
            "{what}: row {}",
            r + 1
        );
        let weight = num(range, r, weight_c);
        let score = num(range, r, score_c);
        let expected = match &row.scoring {
            RowScoring::Quantitative {
                direction, target, ..
            } => {
                let actual = num(range, r, actual_c);
                let e = match (actual, weight) {
                    (Some(b), Some(w)) => sc.score(*direction, *target, b, w),
                    _ => None,
                };
                seen.quantitative += 1;
                if e.zip(weight)
                    .is_some_and(|(e, w)| e < w && e > Decimal::ZERO)
                {
                    seen.partial += 1;
                }
                e
            }
            // A qualitative score is typed: it reads back as typed, inside its band.
            _ => {
                if let (Some(s), Some(w)) = (score, weight) {
                    let word = text(range, r, actual_c);
                    let band = sc
                        .band_of(&word)
                        .unwrap_or_else(|| panic!("{what}: band {word}"));
                    assert!(sc.in_band(band, w, s), "{what}: {s} of {w} outside {word}");
                    seen.qualitative += 1;
                }
                score
            }
        };
        assert_eq!(
            score,
            expected,
            "{what}: {} (row {}) scored {score:?}, the library says {expected:?}",
            row.name,
            r + 1
        );
        scores.extend(score);
    }
    // The budget: its score from the total line's executed (the form's sum) and budget.
    let fcol = |role| {
        layout
            .funding_col(role)
            .unwrap_or_else(|| panic!("no column"))
            .at
            .first
    };
    let total_line = row_of(
        range,
        &layout
            .funding_col(FundingRole::Initial)
            .or(layout.funding_col(FundingRole::Adjusted))
            .map(|c| c.header.clone())
            .unwrap_or_default(),
    ) + 1;
    let executed = num(range, total_line, fcol(FundingRole::Executed));
    let base = num(range, total_line, fcol(FundingRole::Adjusted));
    // The total line sums the lines marked in its sum only (部门整体: the split by source, not
    // the one by use beside it).
    let lines = &layout.funding.lines;
    if lines.len() > 1 {
        for role in [FundingRole::Adjusted, FundingRole::Executed] {
            let c = fcol(role);
            let parts: Vec<Decimal> = (1..lines.len())
                .filter(|&i| lines[i].in_total)
                .filter_map(|i| num(range, total_line + i as u32, c))
                .collect();
            let want = (!parts.is_empty()).then(|| parts.iter().sum::<Decimal>());
            let got = num(range, total_line, c).map(|d| d.round_dp(6));
            assert_eq!(
                got,
                want.map(|d| d.round_dp(6)),
                "{what}: total line {role:?}"
            );
            seen.split += usize::from(lines.iter().any(|l| !l.in_total) && got.is_some());
        }
    }
    // The budget's weight in its 分值 cell, or (湖北) in the block's label only.
    let bw = match layout.funding_col(FundingRole::Weight) {
        Some(c) => num(range, total_line, c.at.first),
        None => {
            assert!(layout
                .funding
                .label
                .contains(&format!("{}分", sc.budget_weight)));
            form.budget_weight
        }
    };
    let budget = num(range, total_line, fcol(FundingRole::Score));
    let expected = match (executed, base, bw) {
        (Some(e), Some(b), Some(w)) => sc.budget_score(e, b, w),
        _ => None,
    };
    assert_eq!(budget, expected, "{what}: budget score");
    seen.budgets += usize::from(budget.is_some());
    if layout.funding_col(FundingRole::Weight).is_none() {
        seen.label_weighed += usize::from(budget.is_some());
    }
    // The total and the grade.
    let Some(total) = &layout.total else {
        seen.untotalled += 1;
        return None;
    };
    let tr = row_of(range, &total.label);
    let printed = num(range, tr, total.score_at.first);
    let sum = budget
        .into_iter()
        .chain(scores)
        .fold(None, |a: Option<Decimal>, s| {
            Some(a.unwrap_or_default() + s)
        });
    assert_eq!(printed, sum.map(|s| sc.round(s)), "{what}: total");
    if let (Some(g), Some(t)) = (&layout.grade, printed) {
        let gr = row_of(range, &g.label);
        assert_eq!(
            text(range, gr, g.at.first),
            sc.grade(t),
            "{what}: grade of {t}"
        );
        seen.totals += 1;
    }
    printed
}

#[test]
fn prefilled_forms_score_as_the_library_after_libreoffice_recalculates() {
    let test = "prefill::prefilled_forms_score_as_the_library_after_libreoffice_recalculates";
    let Some(soffice) = common::soffice_or_skip(test) else {
        return;
    };
    if !openpyxl_or_skip(test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // The national form, 四川's (split targets, 权重, no 总分) and 湖北's (20 for the budget, one
    // budget figure, the weight in a label) and the 部门整体 one (a budget split two ways, the
    // total summing one), each in its own layout.
    let setups: Vec<(ProfileRef, &SelfEvalLayout, Settings)> = [
        "national-selfeval",
        "sichuan-selfeval",
        "hubei-selfeval",
        "department-selfeval",
    ]
    .iter()
    .map(|id| form_setup(id, None))
    .collect();
    let ids: std::collections::BTreeSet<&str> = setups.iter().map(|s| s.1.id.as_str()).collect();
    assert_eq!(ids.len(), setups.len());
    let jobs: Vec<Job<'_>> = setups
        .iter()
        .flat_map(|(_, layout, settings)| {
            inputs_for(&layout.profiles[0])
                .into_iter()
                .map(move |input| Job {
                    input,
                    profile: jixiao::read::profile::builtin(&layout.profiles[0])
                        .unwrap_or_else(|| panic!("profile")),
                    layout,
                    settings: settings.clone(),
                })
        })
        .collect();
    let books = fill_and_recalculate(soffice, dir.path(), &jobs);
    let mut seen = Seen::default();
    for (job, filled) in jobs.iter().zip(&books) {
        let (input, layout, settings) = (&job.input, job.layout, &job.settings);
        let path: &Path = &filled.recalculated;
        let mut book: Xlsx<_> =
            calamine::open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut totals = Vec::new();
        for (form, sheet) in filled.forms.iter().zip(&filled.sheets) {
            let range = book
                .worksheet_range(sheet)
                .unwrap_or_else(|e| panic!("{e}"));
            let what = format!("{} «{sheet}»", common::rel(input));
            totals.push(compare_sheet(
                &range,
                form,
                layout,
                &settings.scoring,
                &what,
                &mut seen,
            ));
        }
        // The summary sheet's totals follow the forms' (formulas across sheets).
        let Some(levels) = layout.levels.as_ref() else {
            continue;
        };
        let summary = book
            .worksheet_range(&levels.sheet)
            .unwrap_or_else(|e| panic!("{e}"));
        let label = layout
            .total
            .as_ref()
            .map(|t| t.label.clone())
            .unwrap_or_default();
        let col = (0..summary.width() as u16)
            .find(|&c| text(&summary, 1, c) == label)
            .unwrap_or_else(|| panic!("no {label} column"));
        for (i, t) in totals.iter().enumerate() {
            assert_eq!(
                num(&summary, 2 + i as u32, col),
                *t,
                "{} summary row {}",
                common::rel(input),
                i + 1
            );
        }
    }
    // The fill reached every kind of row: scores short of the weight too, bands, budgets.
    assert!(
        seen.quantitative > 50 && seen.partial > 10,
        "{} / {}",
        seen.quantitative,
        seen.partial
    );
    assert!(seen.qualitative > 5, "{}", seen.qualitative);
    assert!(seen.untotalled > 10, "{}", seen.untotalled);
    assert!(seen.label_weighed > 10, "{}", seen.label_weighed);
    assert!(seen.split >= 4, "{}", seen.split);
    assert!(
        seen.budgets > 10 && seen.totals > 10,
        "{} / {}",
        seen.budgets,
        seen.totals
    );
}

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_commands_write_one_form_per_project_and_refuse_a_targets_profile() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sample = common::sample("national.xlsx");
    let out = dir.path().join("自评表.xlsx");
    let run = jixiao()
        .args(["selfeval", "--from"])
        .arg(&sample)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Every form read back as written (else `回读不一致` on stderr and exit 1).
    assert!(
        !String::from_utf8_lossy(&run.stderr).contains("回读不一致"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let targets = jixiao::read_file(&sample).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        stdout.contains(&format!("{} 张绩效自评表", targets.tables.len())),
        "{stdout}"
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
    // One sheet per project (named by it) and the guide.
    assert_eq!(book.sheet_names().len(), targets.tables.len() + 2);
    assert!(book.sheet_names().contains(&se::GUIDE_SHEET.to_string()));
    let first = book
        .worksheet_range(&book.sheet_names()[0])
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = first
        .cells()
        .filter_map(|(_, _, v)| match v {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(names.contains(&targets.tables[0].project.name), "{names:?}");
    assert!(targets.tables[0]
        .indicators
        .iter()
        .all(|i| names.contains(&i.name)));

    // A targets table's profile is no self-evaluation form; a monitoring table needs its month.
    let bad = jixiao()
        .args(["selfeval", "--profile", "national", "--from"])
        .arg(&sample)
        .arg("-o")
        .arg(dir.path().join("x.xlsx"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("不是绩效自评表"), "{err}");
    assert!(!dir.path().join("x.xlsx").exists());
    let month = jixiao()
        .args(["monitor", "--from"])
        .arg(&sample)
        .args(["--month", "13", "-o"])
        .arg(dir.path().join("m.xlsx"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(month.status.code(), Some(2));
    let ok = jixiao()
        .args(["monitor", "--month", "7", "--from"])
        .arg(&sample)
        .arg("-o")
        .arg(dir.path().join("m.xlsx"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok.status.code(), Some(0));
    let mut m: Xlsx<_> =
        calamine::open_workbook(dir.path().join("m.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    let r = m
        .worksheet_range(&m.sheet_names()[0])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r
        .cells()
        .any(|(_, _, v)| matches!(v, Data::String(s) if s == "1-7月执行数")));
}

/// The parts of a self-evaluation the prefill writes, without cells and raw texts: what a
/// reading of the form must give back.
fn essence(t: &jixiao::model::Table) -> serde_json::Value {
    let fig = |f: &Option<jixiao::model::Figure>| {
        f.as_ref()
            .and_then(|f| f.value)
            .map(|v| v.normalize().to_string())
    };
    let ex = t.execution.as_ref();
    serde_json::json!({
        "form": t.form.id(),
        "profile": t.profile.id,
        "year": t.year,
        "name": t.project.name,
        "department": t.project.department,
        "implementing_unit": t.project.implementing_unit,
        "goal": t.goal,
        "goal_actual": t.goal_actual.clone().filter(|g| !g.is_empty()),
        "lines": ex.map(|e| e.lines.iter().map(|l| serde_json::json!([
            l.key, l.label, l.parent, fig(&l.initial), fig(&l.adjusted), fig(&l.executed), fig(&l.forecast)
        ])).collect::<Vec<_>>()),
        "month": ex.and_then(|e| e.month),
        "budget_weight": ex.and_then(|e| fig(&e.weight)),
        "indicators": t.indicators.iter().map(|i| serde_json::json!([
            i.level1, i.level2, i.name, i.value.raw, i.weight.map(|w| w.normalize().to_string())
        ])).collect::<Vec<_>>(),
        "total_weight": t.total.as_ref().and_then(|x| fig(&x.weight)),
    })
}

/// Prefilled forms, written and read back by the self-evaluation reader (issue 22 point 1),
/// give the tables they were made from.
#[test]
fn prefilled_forms_read_back_as_prefilled() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (monitor, id) in [
        (None, "national-selfeval"),
        (None, "sichuan-selfeval"),
        (None, "hubei-selfeval"),
        (None, "department-selfeval"),
        (Some(7), "central-monitoring"),
    ] {
        let (profile, layout, settings) = form_setup(id, monitor);
        assert!(
            layout.profiles.iter().any(|p| p == id),
            "{id}: {}",
            layout.id
        );
        for input in inputs_for(id) {
            // Known gap: a split target whose value carries its own unit (`250万`, unit column
            // empty) reads back without it (`≥250`).
            if id == "sichuan-selfeval" && input.ends_with("values.xlsx") {
                continue;
            }
            let doc = jixiao::read_file(&input).unwrap_or_else(|e| panic!("{e}"));
            let (prefilled, forms) = prefill_all(&doc.tables, profile, layout, &settings);
            let book = se::write(&forms, layout, &settings, &[]).unwrap_or_else(|e| panic!("{e}"));
            let path = dir.path().join(format!("{id}.xlsx"));
            std::fs::write(&path, &book.bytes).unwrap_or_else(|e| panic!("{e}"));
            let back = jixiao::read_file(&path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                back.tables.len(),
                prefilled.len(),
                "{}",
                common::rel(&input)
            );
            for (p, b) in prefilled.iter().zip(&back.tables) {
                assert_eq!(
                    essence(b),
                    essence(p),
                    "{} «{}» read back otherwise ({id})",
                    common::rel(&input),
                    b.source.sheet
                );
            }
        }
    }
}

#[test]
fn export_writes_the_execution_lines_and_the_indicator_results() {
    use jixiao::region::export::{Rows, SqliteSink};
    let (profile, layout, _) = form_setup("national-selfeval", None);
    let targets =
        jixiao::read_file(&common::sample("national.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    let mut doc = jixiao::Document::default();
    for t in &targets.tables {
        let mut s = prefill::prefill(t, profile, layout, None);
        // A department's figures: 全年执行数 on the lines, an actual and a reason on a row.
        if let Some(e) = s.execution.as_mut() {
            for l in &mut e.lines {
                l.executed = l.initial.clone();
            }
        }
        s.indicators[0].result.actual = Some(jixiao::model::Observed {
            value: jixiao::read::values::parse_value("3项"),
            cell: None,
        });
        s.indicators[0].result.reason = Some(jixiao::model::Note {
            text: "受疫情影响".into(),
            cell: None,
        });
        doc.tables.push(s);
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("自评.sqlite");
    let mut sink = SqliteSink::create(&db).unwrap_or_else(|e| panic!("{e}"));
    Rows::default()
        .file(&mut sink, "自评表.xlsx", &doc, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    sink.finish().unwrap_or_else(|e| panic!("{e}"));
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let q = |sql: &str| -> String {
        conn.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .unwrap_or_default()
    };
    // One block of lines per table, the totals' 年初预算数 adding up to the targets'.
    let lines = q("SELECT CAST(COUNT(*) AS TEXT) FROM execution_lines");
    assert_eq!(
        lines,
        (doc.tables.len() * layout.funding.lines.len()).to_string()
    );
    let initial: Decimal = targets
        .tables
        .iter()
        .filter_map(|t| t.funding.annual_total)
        .sum();
    let total =
        q("SELECT CAST(SUM(initial) AS TEXT) FROM execution_lines WHERE key = 'annual_total'");
    assert_eq!(
        total.parse::<f64>().ok(),
        initial.to_string().parse::<f64>().ok(),
        "{total}"
    );
    assert_eq!(q("SELECT form FROM tables LIMIT 1"), "self-evaluation");
    assert_eq!(
        q("SELECT CAST(COUNT(*) AS TEXT) FROM indicators WHERE actual = '3项' AND actual_number = 3 AND reason = '受疫情影响'"),
        doc.tables.len().to_string()
    );
    assert_eq!(
        q("SELECT CAST(COUNT(*) AS TEXT) FROM tables WHERE budget_weight = 10"),
        doc.tables.len().to_string()
    );
}

#[test]
fn summary_lists_each_self_evaluation_with_its_rate_total_and_grade() {
    use jixiao::model::{Figure, Note, Total};
    use jixiao::region::summary::Summary;
    let (profile, layout, _) = form_setup("national-selfeval", None);
    let targets =
        jixiao::read_file(&common::sample("national.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    let d = |s: &str| -> Decimal { s.parse().unwrap_or_else(|e| panic!("{e}")) };
    let mut doc = jixiao::Document::default();
    for (i, t) in targets.tables.iter().enumerate() {
        let mut s = prefill::prefill(t, profile, layout, None);
        if let Some(l) = s.execution.as_mut().and_then(|e| e.lines.first_mut()) {
            l.rate = Some(Figure::of(d("95.5")));
        }
        s.total = Some(Total {
            score: Some(Figure::of(Decimal::from(80 + i as i64))),
            score_computed: Some(Decimal::from(81 + i as i64)),
            grade: Some(Note {
                text: "良".into(),
                cell: None,
            }),
            grade_computed: Some(if 81 + i >= 90 { "优" } else { "良" }.into()),
            ..Total::default()
        });
        doc.tables.push(s);
    }
    // A targets table beside them has no row in 自评结果.
    doc.tables.push(targets.tables[0].clone());
    let mut summary = Summary::new();
    summary.add_file("自评表.xlsx", &doc, &[]);
    let bytes = summary.render().unwrap_or_else(|e| panic!("{e}"));
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let r = book
        .worksheet_range("自评结果")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.height(), targets.tables.len() + 1);
    let header: Vec<String> = (0..r.width() as u16).map(|c| text(&r, 0, c)).collect();
    let col = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h}")) as u16
    };
    for (i, t) in targets.tables.iter().enumerate() {
        let row = 1 + i as u32;
        assert_eq!(text(&r, row, col("项目")), t.display_name());
        assert_eq!(text(&r, row, col("表种")), "绩效自评表");
        assert_eq!(num(&r, row, col("执行率(%)")), Some(d("95.5")));
        assert_eq!(
            num(&r, row, col("自评总分")),
            Some(Decimal::from(80 + i as i64))
        );
        assert_eq!(
            num(&r, row, col("重算总分")),
            Some(Decimal::from(81 + i as i64))
        );
        assert_eq!(text(&r, row, col("自评等级")), "良");
    }
    // A folder of targets tables only: no such sheet.
    let mut plain = Summary::new();
    plain.add_file("目标表.xlsx", &targets, &[]);
    let bytes = plain.render().unwrap_or_else(|e| panic!("{e}"));
    let book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!book.sheet_names().contains(&"自评结果".to_string()));
}

/// `selfeval` and `monitor` read each form back before the workbook is kept: a table that
/// differs from what the sheet says is caught field by field, as a `write.readback` error.
#[test]
fn a_form_that_does_not_read_back_as_written_is_caught() {
    use jixiao::write::selfeval::readback::{verify, Written};
    let targets =
        jixiao::read_file(&common::sample("national.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    for (monitor, id) in [(None, "national-selfeval"), (Some(7), "central-monitoring")] {
        let (profile, layout, settings) = form_setup(id, monitor);
        let (tables, forms) = prefill_all(&targets.tables, profile, layout, &settings);
        let book = se::write(&forms, layout, &settings, &[]).unwrap_or_else(|e| panic!("{e}"));
        let written: Vec<Written<'_>> = book
            .sheets
            .iter()
            .zip(&tables)
            .map(|(sheet, table)| Written { sheet, table })
            .collect();
        let clean = verify(&book.bytes, &written);
        assert!(
            clean.is_empty(),
            "{id}: {:?}",
            clean.first().map(|d| d.message())
        );
        // The second form's sheet against a table it was not written from: its name, its
        // first target, a line's 年初预算数 and the month differ from what the sheet says.
        let mut other = tables[1].clone();
        other.project.name.push_str("（改）");
        other.indicators[0].value.raw = "≥999次".into();
        if let Some(e) = other.execution.as_mut() {
            e.lines[1].initial = Some(jixiao::model::Figure::of(Decimal::from(12345)));
            e.month = monitor.map(|m| m + 1);
        }
        let forced = [Written {
            sheet: &book.sheets[1],
            table: &other,
        }];
        let diffs = verify(&book.bytes, &forced);
        let mut fields: Vec<&str> = diffs.iter().map(|d| d.field.as_str()).collect();
        fields.sort_unstable();
        let mut want = vec![
            "execution.lines[1].initial",
            "indicators[0].value",
            "project.name",
        ];
        if monitor.is_some() {
            want.push("execution.month");
        }
        want.sort_unstable();
        assert_eq!(fields, want, "{id}");
        for d in &diffs {
            let m = d.message();
            assert!(m.starts_with("回读不一致"), "{m}");
            let f = d.finding(&other);
            assert_eq!(f.rule, jixiao::write::readback::RULE, "{m}");
            assert_eq!(f.severity, jixiao::model::Severity::Error, "{m}");
        }
        let line = diffs
            .iter()
            .find(|d| d.field.ends_with("initial"))
            .map(|d| d.message())
            .unwrap_or_default();
        assert!(
            line.contains("12345") && line.contains("年初预算数"),
            "{line}"
        );
        // A sheet that is not in the workbook.
        let gone = verify(
            &book.bytes,
            &[Written {
                sheet: "没有这张表",
                table: &tables[0],
            }],
        );
        assert_eq!(gone.len(), 1, "{id}");
    }
}

/// A monitoring form's 时间进度 is the share of the year elapsed and its 进度偏差 the rate less
/// it, as LibreOffice recalculates them once the department types 1-N月执行数; the form's red
/// mark (进度偏差 below −schedule_lag) falls on exactly the tables `check` reports as
/// `selfeval.behind-schedule` when it reads the recalculated workbook.
#[test]
fn a_monitoring_form_marks_execution_behind_the_year_as_the_check_does() {
    let test = "prefill::a_monitoring_form_marks_execution_behind_the_year_as_the_check_does";
    let Some(soffice) = common::soffice_or_skip(test) else {
        return;
    };
    if !openpyxl_or_skip(test) {
        return;
    }
    let (profile, layout, Settings { scoring, .. }) = form_setup("central-monitoring", Some(1));
    let lag_limit = -(scoring.schedule_lag / Decimal::ONE_HUNDRED)
        .to_string()
        .parse::<f64>()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let jobs: Vec<Job<'_>> = [
        ("samples/national.xlsx", 7),
        ("tests/fixtures/national.xlsx", 10),
        ("tests/fixtures/chizhou.xlsx", 4),
    ]
    .iter()
    .map(|(input, month)| Job {
        input: common::root().join(input),
        profile,
        layout,
        settings: settings_of(profile, Some(*month)),
    })
    .collect();
    let filled = fill_and_recalculate(soffice, dir.path(), &jobs);
    let fcol = |role| {
        layout
            .funding_col(role)
            .unwrap_or_else(|| panic!("no column"))
            .at
            .first
    };
    let float = |r: &Range<Data>, row: u32, col: u16| match r.get_value((row, u32::from(col))) {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    };
    let (mut behind, mut on_time) = (0, 0);
    for (job, filled) in jobs.iter().zip(&filled) {
        let (path, sheets) = (&filled.recalculated, &filled.sheets);
        let month = job.settings.month.unwrap_or_default();
        let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap_or_else(|e| panic!("{e}"));
        let doc = jixiao::read_file(path).unwrap_or_else(|e| panic!("{e}"));
        let findings = jixiao::check(&doc);
        for sheet in sheets {
            let range = book
                .worksheet_range(sheet)
                .unwrap_or_else(|e| panic!("{e}"));
            let line = row_of(&range, "年初预算数") + 1;
            let elapsed = float(&range, line, fcol(FundingRole::Elapsed));
            let share = f64::from(month) / 12.0;
            assert!(
                elapsed.is_some_and(|e| (e - share).abs() < 1e-9),
                "{sheet}: 时间进度 {elapsed:?}, month {month}"
            );
            let rate = float(&range, line, fcol(FundingRole::Rate));
            let lag = float(&range, line, fcol(FundingRole::Lag));
            match rate {
                Some(r) => assert!(
                    lag.is_some_and(|l| (l - (r - share)).abs() < 1e-9),
                    "{sheet}: 进度偏差 {lag:?} for {r} − {share}"
                ),
                None => assert_eq!(lag, None, "{sheet}"),
            }
            let marked = lag.is_some_and(|l| l < lag_limit);
            let index = doc
                .tables
                .iter()
                .position(|t| t.source.sheet == *sheet)
                .unwrap_or_else(|| panic!("{sheet} not read"));
            let reported = findings
                .iter()
                .any(|f| f.table == Some(index) && f.rule == "selfeval.behind-schedule");
            assert_eq!(
                marked, reported,
                "{sheet}: 进度偏差 {lag:?} marked {marked}, check reports {reported}"
            );
            if marked {
                behind += 1;
            } else if rate.is_some() {
                on_time += 1;
            }
        }
    }
    assert!(
        behind >= 2 && on_time >= 2,
        "{behind} behind, {on_time} on time"
    );
}
