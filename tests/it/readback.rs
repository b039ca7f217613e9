//! The read-back proof over every sample and fixture, in every layout: converting writes
//! forms that read back to the model they were written from (no `write.readback`), every
//! number typed in a source table appears in its form, and checking a converted file draws
//! no finding its source did not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jixiao::model::Layout;
use jixiao::read::grid;
use jixiao::write::{self, readback, Options};

use crate::common;

/// Every workbook the tests hold as a form: the samples, the fixtures and the corpus.
fn workbooks() -> Vec<PathBuf> {
    let root = common::root();
    let mut files = Vec::new();
    for dir in ["samples", "tests/fixtures", "tests/fixtures/corpus"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if ["xlsx", "xls", "ods", "et", "xlsb"].contains(&ext.as_str()) {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// The layouts a document can be written in: its own, and each built-in one forced.
fn layouts() -> [Option<Layout>; 3] {
    [None, Some(Layout::Classic), Some(Layout::National)]
}

fn source_sheets(path: &Path) -> Vec<grid::Sheet> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = grid::sniff(path, &bytes).unwrap_or_else(|e| panic!("{e}"));
    grid::load_sheets(path, &bytes, format).unwrap_or_else(|e| panic!("{e}"))
}

/// What failed, by kind (field family), with examples: the figures the test reports.
#[derive(Default)]
struct Tally {
    tables: usize,
    failed_tables: usize,
    failed: Vec<String>,
    by_kind: BTreeMap<String, (usize, Vec<String>)>,
}

impl Tally {
    fn add(&mut self, kind: String, example: String) {
        let e = self.by_kind.entry(kind).or_default();
        e.0 += 1;
        if e.1.len() < 3 {
            e.1.push(example);
        }
    }

    fn report(&self) -> String {
        let mut s = format!(
            "{} of {} tables differ on read-back\n",
            self.failed_tables, self.tables
        );
        s.push_str(&format!("  {}\n", self.failed.join("\n  ")));
        for (k, (n, ex)) in &self.by_kind {
            s.push_str(&format!("  {k}: {n}\n"));
            for e in ex {
                s.push_str(&format!("      {e}\n"));
            }
        }
        s
    }
}

fn kind_of(field: &str) -> String {
    let head: String = field
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    head.split(".extra.").next().unwrap_or(&head).to_string()
}

#[test]
#[allow(clippy::print_stderr)] // the tally, seen with --nocapture
fn every_form_reads_back_and_keeps_every_number() {
    let mut tally = Tally::default();
    for path in workbooks() {
        let name = common::rel(&path);
        let Ok(doc) = jixiao::read_file(&path) else {
            continue; // broken samples are tested elsewhere
        };
        let sources = source_sheets(&path);
        for layout in layouts() {
            let opts = Options { layout, date: None };
            let findings = jixiao::check::check(&doc);
            let r = write::render(&doc, &findings, &opts).unwrap_or_else(|e| panic!("{e}"));
            let lay = layout.map_or("own", Layout::id);
            let written = grid::load_sheets(Path::new("out.xlsx"), &r.bytes, grid::Format::Xlsx)
                .unwrap_or_else(|e| panic!("{e}"));
            for (i, t) in doc.tables.iter().enumerate() {
                tally.tables += 1;
                let mut bad = false;
                for f in r
                    .findings
                    .iter()
                    .map(|l| &l.finding)
                    .filter(|f| f.rule == readback::RULE && f.table == Some(i))
                {
                    bad = true;
                    let field = f.field.clone().unwrap_or_default();
                    tally.add(
                        format!("{lay} {}", kind_of(&field)),
                        format!("{name}#{i} {field}: {}", f.message),
                    );
                }
                let src = sources.iter().find(|s| s.name == t.source.sheet);
                let out = written.iter().find(|s| s.name == r.sheets[i]);
                // A forced layout lists what it drops, item by item (`write.extra-dropped`):
                // exactly those source cells are not looked for.
                let dropped = layout
                    .map(|l| write::dropped_cells(t, l))
                    .unwrap_or_default();
                if let (Some(src), Some(out)) = (src, out) {
                    for (cell, text) in readback::missing_numbers_except(src, t, out, &dropped) {
                        bad = true;
                        tally.add(
                            format!("{lay} missing number"),
                            format!("{name}#{i} {cell}: {text}"),
                        );
                    }
                }
                if bad {
                    tally.failed_tables += 1;
                    tally.failed.push(format!("{lay} {name}#{i}"));
                }
            }
        }
    }
    let report = tally.report();
    eprintln!("{report}");
    let known: Vec<String> = KNOWN.iter().map(|s| (*s).to_string()).collect();
    let new: Vec<&String> = tally.failed.iter().filter(|f| !known.contains(f)).collect();
    assert!(
        new.is_empty(),
        "new read-back differences: {new:?}\n{report}"
    );
    let fixed: Vec<&String> = known.iter().filter(|k| !tally.failed.contains(k)).collect();
    assert!(
        fixed.is_empty(),
        "these now read back: take them off KNOWN: {fixed:?}"
    );
}

/// Tables whose forms the read-back proves wrong today (writer and reader bugs it found, to
/// be fixed; each fix takes its lines off): `layout file#table`.
const KNOWN: &[&str] = &[
    // (The second and third blind sets, issue 19: dongguan's `预算单位:东莞市交通运输局` and
    // wuhu's `申报单位名称:(盖章)` read back since what the source printed above its header
    // block is printed above it, a `label：value` line each (the layouts' [preamble] lines);
    // wuhu's two totals side by side since a part is written in its parent's pair, and its
    // lines without an amount (同名项目上年预算额 | | 同名项目上年预算执行数 |) as the one row
    // they were printed on.)
    // (The fourth blind set, issue 19: 广水's 部门整体 money block with 占比 and 近两年 columns
    // reads back since the department block drops the earlier years' lines and the block's
    // headings and shares, listed as dropped; 陈仓 2020's tier rows and 蒙城 since a label-like
    // row under a line without an amount is a row of its own; the fifth set's 广水 2021, its
    // 近两年 columns left empty under blank `年` headings, since the block is told by its
    // headings as the reader tells its columns.)
];

/// A time indicator's date that the reader took from its day number (`44561`, shown as a
/// number: `read.date-serial`) is written as that date in every layout, never as the bare
/// number (which says nothing to whoever signs the form).
#[test]
fn a_date_read_from_its_day_number_is_written_as_that_date() {
    let mut seen = 0;
    for path in workbooks() {
        let name = common::rel(&path);
        let Ok(doc) = jixiao::read_file(&path) else {
            continue;
        };
        let findings = jixiao::check::check(&doc);
        let sources = source_sheets(&path);
        let serials: Vec<(usize, String)> = findings
            .iter()
            .filter(|f| f.rule == "read.date-serial")
            .filter_map(|f| {
                let (i, cell) = (f.table?, f.cell?);
                let t = &doc.tables[i];
                let src = sources.iter().find(|s| s.name == t.source.sheet)?;
                let v = src
                    .rows
                    .iter()
                    .filter(|r| r.row == cell.row)
                    .flat_map(|r| &r.cells)
                    .find(|c| c.col == cell.col)?;
                Some((i, v.value.display()))
            })
            .collect();
        for layout in layouts() {
            let r = write::render(&doc, &findings, &Options { layout, date: None })
                .unwrap_or_else(|e| panic!("{e}"));
            let written = grid::load_sheets(Path::new("o.xlsx"), &r.bytes, grid::Format::Xlsx)
                .unwrap_or_else(|e| panic!("{e}"));
            for (i, serial) in &serials {
                seen += 1;
                let out = written
                    .iter()
                    .find(|s| s.name == r.sheets[*i])
                    .unwrap_or_else(|| panic!("{name}#{i}: no form sheet"));
                let bare: Vec<String> = out
                    .rows
                    .iter()
                    .flat_map(|row| row.cells.iter().map(move |c| (row.row, c)))
                    .filter(|(_, c)| c.value.display() == *serial)
                    .map(|(row, c)| format!("row {} col {}", row + 1, c.col + 1))
                    .collect();
                assert!(
                    bare.is_empty(),
                    "{name}#{i} {}: the day number {serial} printed bare at {bare:?}",
                    layout.map_or("own", Layout::id)
                );
            }
        }
    }
    assert!(seen > 0, "no table reads a date from its day number");
}

/// Checking a converted workbook draws no finding its source did not (by table and rule), in
/// every layout: the form prints nothing the source did not say.
#[test]
#[allow(clippy::print_stderr)] // the new findings, with JIXIAO_NEW_FINDINGS and --nocapture
fn a_converted_form_draws_no_new_finding() {
    let mut new: Vec<String> = Vec::new();
    for path in workbooks() {
        let name = common::rel(&path);
        let Ok(doc) = jixiao::read_file(&path) else {
            continue;
        };
        let before = jixiao::check::check(&doc);
        for layout in layouts() {
            let lay = layout.map_or("own", Layout::id);
            let r = write::render(&doc, &before, &Options { layout, date: None })
                .unwrap_or_else(|e| panic!("{e}"));
            let back = jixiao::read_bytes(Path::new("converted.xlsx"), &r.bytes)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let after = jixiao::check::check(&back);
            for f in &after {
                let had = before
                    .iter()
                    .any(|b| b.table == f.table && b.rule == f.rule);
                if !had && !f.rule.starts_with("read.") {
                    new.push(format!(
                        "{lay} {name}#{:?} {}: {}",
                        f.table, f.rule, f.message
                    ));
                }
            }
        }
    }
    // Every new finding, with JIXIAO_NEW_FINDINGS set (and --nocapture).
    if std::env::var_os("JIXIAO_NEW_FINDINGS").is_some() {
        eprintln!("{}", new.join("\n"));
    }
    // In every layout, the table's own and each built-in one forced on it. How the forced
    // layouts got there: the forced layouts once drew 136 (classic) and 163 (national) such
    // findings — labels the source did not print, the layout's own level names, funding rows
    // the source had none of, values whose unit the layout has no column for. The lists that
    // counted them down, with each cause, are in this file's git history
    // (KNOWN_FORCED_NEW_FINDINGS, KNOWN_NEW_FINDINGS, emptied in session 25).
    assert!(
        new.is_empty(),
        "{} new findings:\n{}",
        new.len(),
        new.join("\n")
    );
}

/// A form written in its own layout prints only the labels its source printed: no year line
/// under a title that says the year, no empty 实施单位 or 项目期 (issue 21 point 16); the
/// seed, which prints `(2026年)` and both labels, keeps them. A built-in layout forced on the
/// table leaves out the same empty labels (its own year line and wording stay): checking the
/// converted file would report them missing where the source was complete (issue 20).
#[test]
fn own_layout_prints_only_the_labels_of_the_source() {
    let texts = |path: &Path, layout: Option<Layout>| -> Vec<String> {
        let doc = common::read(path);
        let r = write::render(&doc, &[], &Options { layout, date: None })
            .unwrap_or_else(|e| panic!("{e}"));
        let sheets = grid::load_sheets(Path::new("o.xlsx"), &r.bytes, grid::Format::Xlsx)
            .unwrap_or_else(|e| panic!("{e}"));
        let form = sheets
            .iter()
            .find(|s| s.name == r.sheets[0])
            .unwrap_or_else(|| panic!("no form sheet"));
        form.rows
            .iter()
            .flat_map(|r| &r.cells)
            .map(|c| c.value.display())
            .collect()
    };
    let ezhou = texts(&common::root().join("tests/fixtures/ezhou.xlsx"), None);
    for absent in ["(2026年)", "实施单位", "项目期", "主管部门"] {
        assert!(!ezhou.iter().any(|t| t == absent), "{absent}: {ezhou:?}");
    }
    assert!(ezhou.iter().any(|t| t == "项目性质"), "{ezhou:?}");
    let seed = texts(&common::sample("seed-one-per-sheet.xlsx"), None);
    for present in ["(2026年)", "实施单位", "项目期", "主管部门"] {
        assert!(seed.iter().any(|t| t == present), "{present}: {seed:?}");
    }
    for layout in [Layout::Classic, Layout::National] {
        let forced = Some(layout);
        let ezhou = texts(&common::root().join("tests/fixtures/ezhou.xlsx"), forced);
        for absent in ["实施单位", "项目期", "主管部门", "主管部门及代码"] {
            assert!(
                !ezhou.iter().any(|t| t == absent),
                "{} {absent}: {ezhou:?}",
                layout.id()
            );
        }
        // The attribute the form printed (项目性质) stays.
        assert!(ezhou.iter().any(|t| t == "持续性项目"), "{ezhou:?}");
        let seed = texts(&common::sample("seed-one-per-sheet.xlsx"), forced);
        assert!(
            seed.iter().any(|t| t == "实施单位") && seed.iter().any(|t| t == "项目期"),
            "{}: {seed:?}",
            layout.id()
        );
    }
}

/// The national layout's 指标性质 cell says `＝` only where the source said it (a 指标性质 column
/// or a typed sign): a plain `1` from a form without one is not made 定量 (checking the
/// converted file then wanted a unit, values.nature); samples/national.xlsx's own `＝` stay.
#[test]
fn a_sign_the_source_did_not_print_is_not_added() {
    let signs = |path: &Path, layout: Option<Layout>| -> usize {
        let doc = common::read(path);
        let r = write::render(&doc, &[], &Options { layout, date: None })
            .unwrap_or_else(|e| panic!("{e}"));
        let sheets = grid::load_sheets(Path::new("o.xlsx"), &r.bytes, grid::Format::Xlsx)
            .unwrap_or_else(|e| panic!("{e}"));
        sheets
            .iter()
            .filter(|s| r.sheets.contains(&s.name))
            .flat_map(|s| &s.rows)
            .flat_map(|r| &r.cells)
            .filter(|c| matches!(c.value.display().trim(), "＝" | "="))
            .count()
    };
    let anxi = common::root().join("tests/fixtures/corpus/anxi-2022.xlsx");
    assert_eq!(signs(&anxi, Some(Layout::National)), 0);
    let national = common::sample("national.xlsx");
    assert!(signs(&national, Some(Layout::National)) >= 40);
}

/// Every template form reads back as the table it was written from: blank ones of every
/// layout and kind, and next year's prefilled from every sample and fixture, in every layout.
#[test]
fn every_template_form_reads_back() {
    use jixiao::model::TableKind;
    use jixiao::template::write::{self as tw, Blank, Prefill};
    let mut bad: Vec<String> = Vec::new();
    for layout in [Layout::Classic, Layout::National] {
        for kind in [TableKind::Project, TableKind::Department] {
            let book = tw::blank(&Blank {
                year: 2027,
                layout,
                tables: 2,
                kind,
                profile: None,
            })
            .unwrap_or_else(|e| panic!("{e}"));
            for d in &book.readback {
                bad.push(format!("blank {} {kind:?}: {}", layout.id(), d.message()));
            }
        }
    }
    for path in workbooks() {
        let name = common::rel(&path);
        let Ok(doc) = jixiao::read_file(&path) else {
            continue;
        };
        let year = doc
            .tables
            .iter()
            .filter_map(|t| t.year)
            .max()
            .unwrap_or(2026)
            + 1;
        let carried = jixiao::template::carry_over(
            &doc,
            jixiao::template::CarryOptions {
                year,
                keep_all: true,
                clear_amounts: false,
            },
        );
        let sources = source_sheets(&path);
        for (layout, clear_amounts) in layouts()
            .into_iter()
            .map(|l| (l, false))
            .chain([(None, true)])
        {
            let carried = if clear_amounts {
                jixiao::template::carry_over(
                    &doc,
                    jixiao::template::CarryOptions {
                        year,
                        keep_all: true,
                        clear_amounts,
                    },
                )
            } else {
                carried.clone()
            };
            let book = tw::prefilled(
                &carried,
                &Prefill {
                    year,
                    layout,
                    cleared_amounts: clear_amounts,
                    ..Prefill::default()
                },
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            let lay = layout.map_or("own", Layout::id);
            for d in &book.readback {
                bad.push(format!("{lay} {name}#{}: {}", d.table, d.message()));
            }
            // Every number typed in the source that the template carries over (all but the
            // years moved on and, with --clear-amounts, the amounts) is in its form.
            let written = grid::load_sheets(Path::new("t.xlsx"), &book.bytes, grid::Format::Xlsx)
                .unwrap_or_else(|e| panic!("{e}"));
            for (i, (read, moved)) in doc.tables.iter().zip(&carried.doc.tables).enumerate() {
                // A template is written in a built-in layout, its own (`None`) too: what that
                // layout has no place for is listed as dropped there as well.
                let dropped = write::dropped_cells(moved, layout.unwrap_or(moved.layout));
                let src = sources.iter().find(|s| s.name == read.source.sheet);
                let out = book
                    .sheets
                    .get(i)
                    .and_then(|n| written.iter().find(|s| &s.name == n));
                let (Some(src), Some(out)) = (src, out) else {
                    bad.push(format!("{lay} {name}#{i}: no source or form sheet"));
                    continue;
                };
                for (cell, text) in
                    readback::missing_carried_numbers(src, read, moved, out, &dropped)
                {
                    let cleared = if clear_amounts { " (clear)" } else { "" };
                    bad.push(format!(
                        "{lay} {name}#{i}: missing number{cleared} {cell}: {text}"
                    ));
                }
            }
        }
    }
    let known = |b: &str, k: &str| b.starts_with(&format!("{k}:"));
    let new: Vec<&String> = bad
        .iter()
        .filter(|b| !KNOWN_TEMPLATE.iter().any(|k| known(b, k)))
        .collect();
    assert!(
        new.is_empty(),
        "{} differences not in KNOWN_TEMPLATE:\n{}",
        new.len(),
        new.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let fixed: Vec<&&str> = KNOWN_TEMPLATE
        .iter()
        .filter(|k| !bad.iter().any(|b| known(b, k)))
        .collect();
    assert!(
        fixed.is_empty(),
        "these now read back: take them off KNOWN_TEMPLATE: {fixed:?}"
    );
}

/// Template forms that do not read back today (to be fixed): `layout file#table`, where
/// `own` is the table's own built-in layout (a template is written in a built-in layout, never
/// in the source's geometry). Every entry names a table that still differs: the list can only
/// shrink. (73 entries before the carried tables kept their indicators' cells, which say
/// which metadata the form printed above its grid: fengjie, linyi and 16 stale entries off;
/// its metadata value that reads as a label is printed after its label in one cell (nanyue-2023
/// 填报单位(盖章)); shengdengshan#0 and wuhai in the national layout read back; jingyan with
/// FormPlan::line_labels; nanyue-2023, guangshui-2023 and guangshui-2021 in their own layout
/// since what the own layout lists as dropped is counted as in the forced ones, and a money
/// block's shares and headings go with its amounts under --clear-amounts.)
const KNOWN_TEMPLATE: &[&str] = &[
    // (dongguan and wuhu, the second and third blind sets, read back: see KNOWN.)
];

/// Self-evaluations and monitoring tables read back through the self-evaluation reader too,
/// as `read_file` reads them (before, the targets reader alone re-read them: 119 differences
/// for `selfeval/national.xlsx`). Each difference left is listed; the list can only shrink.
#[test]
fn self_evaluations_read_back() {
    let dir = common::root().join("tests/fixtures/selfeval");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ["xlsx", "xls", "ods"].contains(&e.to_string_lossy().as_ref()))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the self-evaluation fixtures: {files:?}");
    let mut failed: Vec<String> = Vec::new();
    for path in &files {
        let doc = jixiao::read_file(path).unwrap_or_else(|e| panic!("{e}"));
        let findings = jixiao::check::check(&doc);
        let opts = Options {
            layout: None,
            date: None,
        };
        let r = write::render(&doc, &findings, &opts).unwrap_or_else(|e| panic!("{e}"));
        for f in r.findings.iter().map(|l| &l.finding) {
            if f.rule == readback::RULE {
                failed.push(format!(
                    "{}#{} {}",
                    common::rel(path),
                    f.table.unwrap_or(0),
                    f.field.clone().unwrap_or_default()
                ));
            }
        }
    }
    failed.sort();
    failed.dedup();
    assert_eq!(
        failed, KNOWN_SELFEVAL,
        "read-back differences of self-evaluations"
    );
}

/// Self-evaluation tables whose forms do not read back today (none: 重庆's 部门整体
/// self-evaluation, a page cut off mid-grid with no level columns, read back without levels as
/// its own geometry prints them; the comparison once expected the layout's level names).
const KNOWN_SELFEVAL: &[&str] = &[];
