//! The region's outputs as a finance office uses them (issue 21): the summary printed on A4,
//! opened in Gnumeric, a batch holding a revision beside its first submission, the findings
//! chart, and findings in the order a reviewer reads them.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};

use super::common::{root, sample, soffice_or_skip, ssconvert_or_skip};

fn jixiao() -> Command {
    let mut c = Command::cargo_bin("jixiao").expect("binary is built");
    c.current_dir(root());
    c
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

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

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| text(h) == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// `jixiao summary FILES -o OUT`, its stdout.
fn summary(files: &[PathBuf], out: &Path) -> String {
    let run = jixiao()
        .arg("summary")
        .args(files)
        .arg("-o")
        .arg(out)
        .output()
        .expect("summary runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// A copy of `from` in `dir` named `name`, modified at `when` seconds after the epoch.
fn copy_at(from: &Path, dir: &Path, name: &str, when: u64) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(from, &to).expect("copy");
    let f = std::fs::File::options()
        .write(true)
        .open(&to)
        .expect("open");
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(when))
        .expect("set time");
    to
}

/// `soffice --convert-to pdf` of `file` into `dir`: the PDF.
fn pdf_of(soffice: &str, file: &Path, dir: &Path) -> PathBuf {
    crate::common::soffice_convert(soffice, "pdf", &[file], dir, &dir.join("lo-profile"));
    let pdf = dir.join(file.with_extension("pdf").file_name().expect("name"));
    assert!(pdf.is_file(), "no PDF of {}", file.display());
    pdf
}

/// Every word `pdftotext -bbox` finds in a PDF: (text, height in pt).
fn words(pdf: &Path) -> Vec<(String, f64)> {
    let html = pdf.with_extension("html");
    let run = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg(&html)
        .output()
        .expect("pdftotext (poppler) runs");
    assert!(run.status.success(), "{run:?}");
    let body = std::fs::read_to_string(&html).expect("bbox html");
    let re = regex::Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#,
    )
    .expect("re");
    re.captures_iter(&body)
        .map(|c| {
            let y0: f64 = c[2].parse().expect("y");
            let y1: f64 = c[4].parse().expect("y");
            (c[5].to_string(), y1 - y0)
        })
        .collect()
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The heights `pdftotext -bbox` gives 9 pt text (宋体, as the outputs use), rendered the same
/// way: (CJK words, other words).
fn nine_point(soffice: &str, dir: &Path) -> (f64, f64) {
    let path = dir.join("ruler.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let f = rust_xlsxwriter::Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(9);
    ws.write_string_with_format(0, 0, "项目名称部门", &f)
        .expect("cell");
    ws.write_string_with_format(1, 0, "2026 120.00 E128 abc", &f)
        .expect("cell");
    wb.save(&path).expect("save");
    let w = words(&pdf_of(soffice, &path, dir));
    let least = |cjk: bool| {
        w.iter()
            .filter(|(t, _)| is_cjk(t) == cjk)
            .map(|(_, h)| *h)
            .fold(f64::INFINITY, f64::min)
    };
    let (c, o) = (least(true), least(false));
    assert!(c.is_finite() && o.is_finite(), "{w:?}");
    (c, o)
}

/// Printed on A4 landscape (rendered by LibreOffice), no text of the summary workbook is
/// smaller than 9 pt: measured in the PDF, against 9 pt text rendered the same way.
#[test]
fn the_summary_prints_at_9_pt_or_more() {
    let Some(soffice) = soffice_or_skip("the_summary_prints_at_9_pt_or_more") else {
        return;
    };
    let dir = tmp();
    let out = dir.path().join("summary.xlsx");
    let files: Vec<PathBuf> = ["seed-one-per-sheet.xlsx", "national.xlsx", "messy.xlsx"]
        .iter()
        .map(|n| sample(n))
        .collect();
    summary(&files, &out);
    let (cjk9, other9) = nine_point(soffice, dir.path());
    let w = words(&pdf_of(soffice, &out, dir.path()));
    assert!(w.len() > 500, "{} words", w.len());
    let small: Vec<&(String, f64)> = w
        .iter()
        .filter(|(t, h)| *h < if is_cjk(t) { cjk9 } else { other9 } - 0.05)
        .collect();
    assert!(
        small.is_empty(),
        "{} of {} words below 9 pt ({cjk9:.2}/{other9:.2} pt high), e.g. {:?}",
        small.len(),
        w.len(),
        &small[..small.len().min(10)]
    );
}

/// The diff workbook prints at 9 pt or more too.
#[test]
fn the_diff_prints_at_9_pt_or_more() {
    let Some(soffice) = soffice_or_skip("the_diff_prints_at_9_pt_or_more") else {
        return;
    };
    let dir = tmp();
    let out = dir.path().join("diff.xlsx");
    let run = jixiao()
        .arg("diff")
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg(sample("drift-values.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("diff runs");
    assert!(out.is_file(), "{run:?}");
    let (cjk9, other9) = nine_point(soffice, dir.path());
    let w = words(&pdf_of(soffice, &out, dir.path()));
    assert!(w.len() > 50, "{} words", w.len());
    let small: Vec<&(String, f64)> = w
        .iter()
        .filter(|(t, h)| *h < if is_cjk(t) { cjk9 } else { other9 } - 0.05)
        .collect();
    assert!(
        small.is_empty(),
        "{} of {} words below 9 pt, e.g. {:?}",
        small.len(),
        w.len(),
        &small[..small.len().min(10)]
    );
}

/// Gnumeric opens the summary and computes its totals rows: plain cell ranges, which every
/// client reads (not `SUBTOTAL(109,[表数])`).
#[test]
fn gnumeric_reads_the_summary_totals() {
    let Some(ssconvert) = ssconvert_or_skip("gnumeric_reads_the_summary_totals") else {
        return;
    };
    let dir = tmp();
    let out = dir.path().join("summary.xlsx");
    summary(
        &[sample("seed-one-per-sheet.xlsx"), sample("national.xlsx")],
        &out,
    );
    let csv = dir.path().join("sheet.csv");
    let run = std::process::Command::new(ssconvert)
        .args(["-S", "--export-type=Gnumeric_stf:stf_csv"])
        .arg(&out)
        .arg(&csv)
        .output()
        .expect("ssconvert runs");
    assert!(run.status.success(), "{run:?}");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        !err.contains("Invalid expression") && !err.contains("Unknown workbook"),
        "{err}"
    );
    // 项目明细 (the second sheet): the totals row adds up the rows above it.
    let body = std::fs::read_to_string(dir.path().join("sheet.csv.1")).expect("csv");
    let rows: Vec<Vec<String>> = body
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let annual = rows[0]
        .iter()
        .position(|h| h == "年度资金/万元")
        .expect("column");
    let total = rows.iter().find(|r| r[0] == "总计").expect("totals row");
    let sum: f64 = rows[1..]
        .iter()
        .filter(|r| r[0] != "总计")
        .filter_map(|r| r[annual].parse::<f64>().ok())
        .sum();
    assert!(sum > 0.0);
    let got: f64 = total[annual]
        .parse()
        .unwrap_or_else(|_| panic!("{total:?}"));
    assert!((got - sum).abs() < 1e-6, "{got} vs {sum}");
}

/// A batch holding a department's first submission and its revision counts the project once:
/// the newer file (by file time, the tables printing no 填报日期) stands, the headline says how
/// many were set aside, and `region.duplicate-project` lists them.
#[test]
fn a_revision_beside_its_first_submission_counts_once() {
    let dir = tmp();
    let seed = sample("seed-one-per-sheet.xlsx");
    let one = summary(std::slice::from_ref(&seed), &dir.path().join("one.xlsx"));
    for (first, second) in [(1_000, 2_000), (2_000, 1_000)] {
        let a = copy_at(&seed, dir.path(), "第一次报送.xlsx", first);
        let b = copy_at(&seed, dir.path(), "修改后报送.xlsx", second);
        let newer = if second > first { &b } else { &a };
        let older = if second > first { &a } else { &b };
        let out = dir.path().join("汇总.xlsx");
        let said = summary(&[a.clone(), b.clone()], &out);
        let rows = sheet(&out, "项目明细");
        let c_file = col(&rows[0], "文件");
        let tables: Vec<&Vec<Data>> = rows[1..].iter().filter(|r| text(&r[0]) != "总计").collect();
        assert_eq!(tables.len(), 10, "{said}");
        for r in &tables {
            assert_eq!(text(&r[c_file]), newer.display().to_string());
        }
        // The headline's money is one submission's.
        let money = |s: &str| {
            s.split("年度资金合计 ")
                .nth(1)
                .and_then(|t| t.split(' ').next())
                .map(str::to_string)
        };
        assert_eq!(money(&said), money(&one), "{said}");
        assert!(said.contains("另有 10 张重复表未计入"), "{said}");
        let issues = sheet(&out, "问题清单");
        let (i_rule, i_msg) = (col(&issues[0], "规则"), col(&issues[0], "问题"));
        let dups: Vec<String> = issues
            .iter()
            .filter(|r| text(&r[i_rule]) == "region.duplicate-project")
            .map(|r| text(&r[i_msg]))
            .collect();
        assert_eq!(dups.len(), 10);
        for m in &dups {
            assert!(
                m.contains(&older.display().to_string()) && m.contains("文件修改时间"),
                "{m}"
            );
        }
        // The set-aside copy's own findings are not counted twice.
        let over = sheet(&out, "汇总");
        let h = over
            .iter()
            .position(|r| r.first().is_some_and(|c| text(c) == "序号"))
            .expect("department table");
        let t = over
            .iter()
            .position(|r| r.iter().any(|c| text(c) == "全地区总计"))
            .expect("totals row");
        assert_eq!(text(&over[t][col(&over[h], "表数")]), "10");
    }
}

/// The findings chart names rules in Chinese and counts errors and warnings only.
#[test]
fn the_findings_chart_shows_errors_and_warnings_by_name() {
    let dir = tmp();
    let out = dir.path().join("summary.xlsx");
    summary(&[sample("messy.xlsx"), sample("national.xlsx")], &out);
    let rules = sheet(&out, "按规则");
    let (r_id, r_name, r_level) = (
        col(&rules[0], "规则"),
        col(&rules[0], "规则名称"),
        col(&rules[0], "级别"),
    );
    // The chart's categories: a range of 按规则.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut found = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        if !f.name().is_ok_and(|n| n.starts_with("xl/charts/chart")) {
            continue;
        }
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut f, &mut xml).expect("xml");
        if let Some(cat) = xml
            .split("<c:cat>")
            .nth(1)
            .and_then(|c| c.split("<c:f>").nth(1))
            .and_then(|c| c.split("</c:f>").next())
        {
            if cat.contains("按规则") {
                found.push(cat.to_string());
            }
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
    let re = regex::Regex::new(r"\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)").expect("re");
    let c = re.captures(&found[0]).expect("a range");
    let column = (c[1].as_bytes()[0] - b'A') as usize;
    let (first, last): (usize, usize) = (c[2].parse().expect("row"), c[4].parse().expect("row"));
    assert_eq!(
        column, r_name,
        "categories are the Chinese names: {}",
        found[0]
    );
    let problems = rules[1..]
        .iter()
        .filter(|r| matches!(text(&r[r_level]).as_str(), "错误" | "警告"))
        .count();
    assert!(problems > 0);
    assert_eq!(last - first + 1, problems.min(15));
    for r in &rules[first - 1..last] {
        assert!(
            matches!(text(&r[r_level]).as_str(), "错误" | "警告"),
            "{r:?}"
        );
        assert!(!text(&r[r_name]).contains('.'), "{r:?}");
        assert_ne!(text(&r[r_name]), text(&r[r_id]));
    }
}

/// 问题清单 of summary and of convert: errors, then warnings, then notices; `read.profile` is
/// no line of the summary's (the profile is a column of 项目明细); `check` lists each table's
/// findings worst first.
#[test]
fn findings_are_listed_worst_first() {
    let rank = |s: &str| match s {
        "错误" => 0,
        "警告" => 1,
        "提示" => 2,
        other => panic!("level {other}"),
    };
    let dir = tmp();
    let out = dir.path().join("summary.xlsx");
    summary(
        &[
            sample("messy.xlsx"),
            sample("national.xlsx"),
            sample("seed-one-per-sheet.xlsx"),
        ],
        &out,
    );
    let issues = sheet(&out, "问题清单");
    let (i_level, i_rule) = (col(&issues[0], "级别"), col(&issues[0], "规则"));
    let levels: Vec<i32> = issues[1..]
        .iter()
        .map(|r| rank(&text(&r[i_level])))
        .collect();
    assert!(levels.contains(&0) && levels.contains(&1), "{levels:?}");
    assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
    assert!(issues[1..]
        .iter()
        .all(|r| text(&r[i_rule]) != "read.profile"));
    let tables = sheet(&out, "项目明细");
    let p = col(&tables[0], "表样配置");
    assert!(tables[1..]
        .iter()
        .filter(|r| text(&r[0]) != "总计")
        .all(|r| !text(&r[p]).is_empty()));

    // convert: its 问题清单, the same order.
    let conv = dir.path().join("conv");
    let run = jixiao()
        .arg("convert")
        .arg(sample("messy.xlsx"))
        .arg("-o")
        .arg(&conv)
        .output()
        .expect("convert runs");
    assert!(run.status.code().is_some_and(|c| c <= 1), "{run:?}");
    let book = std::fs::read_dir(&conv)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .expect("a workbook");
    let issues = sheet(&book, "问题清单");
    let head = issues
        .iter()
        .position(|r| r.iter().any(|c| text(c) == "级别"))
        .expect("header");
    let l = col(&issues[head], "级别");
    let levels: Vec<i32> = issues[head + 1..]
        .iter()
        .filter(|r| !text(&r[l]).is_empty())
        .map(|r| rank(&text(&r[l])))
        .collect();
    assert!(levels.contains(&0) && levels.contains(&2), "{levels:?}");
    assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
    // Which profile read each table is said in 读取说明, not as a line of 问题清单.
    let r = col(&issues[head], "规则编号");
    assert!(
        issues[head + 1..]
            .iter()
            .all(|row| text(&row[r]) != "read.profile"),
        "read.profile in 问题清单"
    );
    let doc = jixiao::read_file(&sample("messy.xlsx")).expect("messy reads");
    let notes: Vec<String> = sheet(&book, "读取说明")
        .iter()
        .flatten()
        .map(text)
        .collect();
    for (i, t) in doc.tables.iter().enumerate() {
        let why = doc
            .discrepancies
            .iter()
            .find(|f| f.table == Some(i) && f.rule == "read.profile")
            .expect("a read.profile notice");
        assert!(notes.contains(&why.message), "{}: {notes:?}", why.message);
        assert!(
            notes.iter().any(|n| n.starts_with(t.display_name())),
            "{}: {notes:?}",
            t.display_name()
        );
        for x in &t.extra {
            assert!(
                notes.iter().any(|n| n.contains(&format!("{}：", x.cell))),
                "{}: {notes:?}",
                x.cell
            );
        }
    }

    // check, as a listing and as JSON: the same order over several files and tables.
    let inputs = [sample("seed-one-per-sheet.xlsx"), sample("messy.xlsx")];
    let listing = jixiao()
        .arg("check")
        .args(&inputs)
        .output()
        .expect("check runs");
    let levels: Vec<i32> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .filter_map(|l| l.split_whitespace().next())
        .map(rank)
        .collect();
    assert!(levels.contains(&0) && levels.contains(&2), "{levels:?}");
    assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
    let json = jixiao()
        .args(["check", "--json"])
        .args(&inputs)
        .output()
        .expect("check runs");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let key = |f: &serde_json::Value| -> (i32, String) {
        let level = match f["severity"].as_str() {
            Some("error") => "错误",
            Some("warning") => "警告",
            _ => "提示",
        };
        (
            rank(level),
            f["file"].as_str().unwrap_or_default().to_string(),
        )
    };
    let found: Vec<(i32, String)> = v["discrepancies"]
        .as_array()
        .expect("discrepancies")
        .iter()
        .map(key)
        .collect();
    assert!(found.windows(2).all(|w| w[0].0 <= w[1].0), "{found:?}");
    // Within a level, the first file's tables before the second's.
    let of_first = |f: &str| f.ends_with("seed-one-per-sheet.xlsx");
    assert!(
        found
            .windows(2)
            .all(|w| w[0].0 != w[1].0 || of_first(&w[0].1) || !of_first(&w[1].1)),
        "{found:?}"
    );
}

/// One word of a title (`申报表`) does not claim a form: 大庆's 申报表 is not read as Hunan's.
#[test]
fn one_title_word_does_not_claim_a_profile() {
    let out = jixiao()
        .args(["import", "--json"])
        .arg(root().join("tests/fixtures/daqing.xlsx"))
        .output()
        .expect("import runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for t in v["tables"].as_array().expect("tables") {
        assert_ne!(t["profile"], "hunan", "{}", t["title"]);
    }
}
