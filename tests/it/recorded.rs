//! A converted file is read, and checked, as its source was (issue 20). `convert` records on
//! each form sheet the profile its table was read with and whether its grid printed levels
//! (`jixiao::read::record`), and the reader follows the record unless a profile is given; a
//! forced layout prints no blank funding rows the source never had, and a value apart from its
//! unit column as typed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jixiao::model::{Document, Layout};
use jixiao::read::grid::{self, Cell, CellValue};
use jixiao::read::record::Record;
use jixiao::read::{locate, ReadOptions};
use jixiao::write::{self, Options};

use crate::common;

/// `path` converted in `layout` (as `convert --layout` writes it).
fn converted(path: &Path, layout: Layout) -> (Document, Vec<u8>) {
    let doc = common::read(path);
    let findings = jixiao::check::check(&doc);
    let r = write::render(
        &doc,
        &findings,
        &Options {
            layout: Some(layout),
            date: None,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (doc, r.bytes)
}

/// The (table, rule) pairs a check of `doc` draws, the reader's notices left out.
fn rules(doc: &Document) -> BTreeSet<(Option<usize>, String)> {
    jixiao::check::check(doc)
        .into_iter()
        .filter(|f| !f.rule.starts_with("read."))
        .map(|f| (f.table, f.rule))
        .collect()
}

/// A national table forced into the classic layout is read back with the national profile
/// (the classic layout's labels would name the Ningxia one), so the Ningxia form's rules —
/// every 二级 printed, 无 kept for those that do not apply, a date under 时效指标 — are not
/// applied to a table whose form has none of them. A profile given still wins.
#[test]
fn a_converted_file_is_read_with_its_sources_profile() {
    let path = common::sample("national.xlsx");
    let (doc, bytes) = converted(&path, Layout::Classic);
    let back = jixiao::read_bytes(Path::new("转换.xlsx"), &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.tables.len(), doc.tables.len());
    for (a, b) in doc.tables.iter().zip(&back.tables) {
        assert_eq!(b.profile.id, a.profile.id, "{}", a.display_name());
    }
    let why = back
        .discrepancies
        .iter()
        .find(|f| f.rule == "read.profile")
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(why.contains("转换"), "{why}");
    let (before, after) = (rules(&doc), rules(&back));
    let new: Vec<_> = after.difference(&before).collect();
    assert!(new.is_empty(), "new findings: {new:?}");

    let ningxia = jixiao::read::profile::builtin("ningxia").expect("built in");
    let opts = ReadOptions {
        profile: Some(ningxia),
        ..ReadOptions::default()
    };
    let forced = jixiao::read::read_bytes_with(Path::new("转换.xlsx"), &bytes, &opts)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(forced.tables.iter().all(|t| t.profile.id == "ningxia"));
}

/// A `指标名称 | 指标值` grid (tongnan) written in a layout with level columns: while they are
/// left blank the table is checked as its source was (the framework cannot be checked, said
/// once); levels filled in since are read and checked.
#[test]
fn a_grid_without_levels_stays_without_them_until_they_are_filled_in() {
    let path = common::root().join("tests/fixtures/corpus/tongnan-2023.xlsx");
    for layout in [Layout::Classic, Layout::National] {
        let (doc, bytes) = converted(&path, layout);
        let back =
            jixiao::read_bytes(Path::new("转换.xlsx"), &bytes).unwrap_or_else(|e| panic!("{e}"));
        let framework = |d: &Document| -> BTreeSet<(Option<usize>, String)> {
            rules(d)
                .into_iter()
                .filter(|(_, r)| r.starts_with("framework."))
                .collect()
        };
        assert_eq!(framework(&back), framework(&doc), "{}", layout.id());
        let not_run = |d: &Document| {
            jixiao::check::check(d)
                .iter()
                .filter(|f| f.message.contains("没有一级、二级指标栏"))
                .count()
        };
        assert!(not_run(&doc) > 0);
        assert_eq!(not_run(&back), not_run(&doc), "{}", layout.id());

        // A department fills in the first indicator's levels on the converted form.
        let t = &back.tables[0];
        let row = t.indicators[0]
            .name_cell
            .or(t.indicators[0].cell)
            .expect("a cell")
            .row;
        let mut sheets = grid::load_sheets(Path::new("转换.xlsx"), &bytes, grid::Format::Xlsx)
            .unwrap_or_else(|e| panic!("{e}"));
        let sheet = sheets
            .iter_mut()
            .find(|s| s.name == t.source.sheet)
            .expect("the form sheet");
        assert!(sheet.record.no_levels);
        let r = sheet
            .rows
            .iter_mut()
            .find(|r| r.row == row)
            .expect("the row");
        for (col, text) in [(0, "产出指标"), (1, "数量指标")] {
            r.cells.retain(|c| c.col != col);
            r.cells.push(Cell {
                col,
                value: CellValue::Text(text.into()),
            });
        }
        r.cells.sort_by_key(|c| c.col);
        let filled = locate::locate_tables(sheet, "转换.xlsx");
        assert_eq!(filled.len(), 1);
        assert_eq!(filled[0].table.indicators[0].level1, "产出指标");
        let doc = Document {
            tables: vec![filled[0].table.clone()],
            ..Document::default()
        };
        assert_eq!(not_run(&doc), 0, "{}", layout.id());
        assert!(!framework(&doc).is_empty(), "{}", layout.id());
    }
}

/// A form with levels of its own (the 投资计划 form's 实施效果指标 / 满意度指标) forced into a
/// layout keeps them: read back with its profile it reads as written, and draws nothing new.
#[test]
fn a_form_with_its_own_levels_keeps_them_in_a_forced_layout() {
    let path = common::root().join("tests/fixtures/corpus/shucheng-2023.xlsx");
    for layout in [Layout::Classic, Layout::National] {
        let (doc, bytes) = converted(&path, layout);
        let back =
            jixiao::read_bytes(Path::new("转换.xlsx"), &bytes).unwrap_or_else(|e| panic!("{e}"));
        let levels = |d: &Document| -> Vec<(String, String, String)> {
            d.tables[0]
                .indicators
                .iter()
                .map(|i| (i.level1.clone(), i.level2.clone(), i.name.clone()))
                .collect()
        };
        assert_eq!(levels(&back), levels(&doc), "{}", layout.id());
        let (before, after) = (rules(&doc), rules(&back));
        let new: Vec<_> = after.difference(&before).collect();
        assert!(new.is_empty(), "{}: new findings: {new:?}", layout.id());
    }
}

/// A form that printed no funding at all (上海 2019's 申报表: no 资金 label, no amount) is
/// written in a forced layout without the layout's funding rows: blank, they would make the
/// converted file report the year's money missing (funding.missing) where the source's could
/// not be checked.
#[test]
fn a_form_without_funding_gets_no_blank_funding_rows() {
    let path = common::root().join("tests/fixtures/corpus/shanghai-2019.xlsx");
    for layout in [Layout::Classic, Layout::National] {
        let (doc, bytes) = converted(&path, layout);
        assert!(doc.tables[0].funding.annual_total.is_none());
        let sheets = grid::load_sheets(Path::new("转换.xlsx"), &bytes, grid::Format::Xlsx)
            .unwrap_or_else(|e| panic!("{e}"));
        let form = sheets
            .iter()
            .find(|s| s.record.profile.is_some())
            .expect("a form sheet");
        let texts: Vec<String> = form
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter_map(|c| match &c.value {
                CellValue::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("资金总额") || t == "项目总额"),
            "{}: {texts:?}",
            layout.id()
        );
        let back =
            jixiao::read_bytes(Path::new("转换.xlsx"), &bytes).unwrap_or_else(|e| panic!("{e}"));
        let (before, after) = (rules(&doc), rules(&back));
        let new: Vec<_> = after.difference(&before).collect();
        assert!(new.is_empty(), "{}: new findings: {new:?}", layout.id());
    }
}

/// A value whose own unit and its 度量单位 column disagree (`28.8万元` | `%`) is printed in a
/// layout with a unit column as the source printed it, not as `28.8` | `万元%`: the checks read
/// the value typed apart from its column (an amount, said to disagree with its unit), not a
/// cost with no amount.
#[test]
fn a_value_and_its_unit_column_are_printed_apart_as_typed() {
    let path = common::root().join("tests/fixtures/values.xlsx");
    let (doc, bytes) = converted(&path, Layout::National);
    let back = jixiao::read_bytes(Path::new("转换.xlsx"), &bytes).unwrap_or_else(|e| panic!("{e}"));
    let find = |d: &Document| {
        d.tables[0]
            .indicators
            .iter()
            .find(|i| i.unit_column.as_deref() == Some("%") && i.value.raw.contains("万元"))
            .cloned()
    };
    let (a, b) = (find(&doc).expect("the source's"), find(&back));
    let b = b.unwrap_or_else(|| panic!("read back without its unit column: {a:?}"));
    assert_eq!(b.value, a.value);
    let (before, after) = (rules(&doc), rules(&back));
    let new: Vec<_> = after.difference(&before).collect();
    assert!(new.is_empty(), "new findings: {new:?}");
}

/// The record of each sheet of a workbook that has one, by sheet name, as the grid reader
/// finds it.
fn records(bytes: &[u8], format: grid::Format) -> BTreeMap<String, Record> {
    grid::load_sheets(Path::new("转换"), bytes, format)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|s| s.record != Record::default())
        .map(|s| (s.name, s.record))
        .collect()
}

/// Converted forms whose record matters: a national table printed in the classic layout
/// (whose labels would name the Ningxia profile) and a `指标名称 | 指标值` grid (tongnan),
/// written into `dir` as `name.xlsx`, with what they were read from.
fn converted_into(dir: &Path) -> Vec<(PathBuf, Document, Vec<u8>)> {
    [
        common::sample("national.xlsx"),
        common::root().join("tests/fixtures/corpus/tongnan-2023.xlsx"),
    ]
    .iter()
    .map(|source| {
        let (doc, bytes) = converted(source, Layout::Classic);
        let name = source.file_name().expect("a file name");
        let path = dir.join(name);
        std::fs::write(&path, &bytes).expect("write the converted file");
        (path, doc, bytes)
    })
    .collect()
}

/// `resaved` (the converted `bytes` saved again by an office suite) keeps the record `convert`
/// wrote, and reads with its source's profile.
fn assert_keeps_record(resaved: &Path, format: grid::Format, doc: &Document, bytes: &[u8]) {
    let written = records(bytes, grid::Format::Xlsx);
    assert!(written.values().any(|r| r.profile.is_some()));
    let again = std::fs::read(resaved).unwrap_or_else(|e| panic!("{}: {e}", resaved.display()));
    assert_eq!(records(&again, format), written, "{}", resaved.display());
    let back = jixiao::read_bytes(resaved, &again).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.tables.len(), doc.tables.len());
    for (a, b) in doc.tables.iter().zip(&back.tables) {
        assert_eq!(b.profile.id, a.profile.id, "{}", a.display_name());
    }
}

/// LibreOffice saving a converted file as .ods moves each sheet-scoped name into its sheet
/// (`<table:named-expressions>` inside `<table:table>`), where calamine does not look: the
/// reader reads them there, so the file keeps its record (issue 20). Its .xlsx and .xls keep
/// the names where calamine lists them.
#[test]
fn a_converted_file_saved_again_by_libreoffice_keeps_its_record() {
    let test = "recorded::a_converted_file_saved_again_by_libreoffice_keeps_its_record";
    let Some(soffice) = common::soffice_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let forms = converted_into(dir.path());
    let files: Vec<&Path> = forms.iter().map(|(p, _, _)| p.as_path()).collect();
    for (ext, format) in [
        ("ods", grid::Format::Ods),
        ("xls", grid::Format::Xls),
        ("xlsx", grid::Format::Xlsx),
    ] {
        let out = dir.path().join(ext);
        common::soffice_convert(soffice, ext, &files, &out, &dir.path().join("lo"));
        for (path, doc, bytes) in &forms {
            let name = path.with_extension(ext);
            let resaved = out.join(name.file_name().expect("a file name"));
            assert_keeps_record(&resaved, format, doc, bytes);
        }
    }
}

/// Gnumeric's .ods keeps sheet-scoped names inside their sheets as LibreOffice's does (and
/// indents them); its .xls keeps them where calamine lists them.
#[test]
fn a_converted_file_saved_again_by_gnumeric_keeps_its_record() {
    let test = "recorded::a_converted_file_saved_again_by_gnumeric_keeps_its_record";
    let Some(ssconvert) = common::ssconvert_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, doc, bytes) in converted_into(dir.path()) {
        for (ext, format) in [("ods", grid::Format::Ods), ("xls", grid::Format::Xls)] {
            let resaved = path.with_extension(ext);
            let status = std::process::Command::new(ssconvert)
                .arg(&path)
                .arg(&resaved)
                .stderr(std::process::Stdio::null())
                .status()
                .expect("ssconvert runs");
            assert!(status.success(), "ssconvert wrote no {ext}");
            assert_keeps_record(&resaved, format, &doc, &bytes);
        }
    }
}

/// Values a forced layout prints otherwise than their source are checked as the source's were
/// (issue 20 point 2): xiangtan 2023 types its money `250万`, its cost indicator too, and the
/// layouts print the amount as a number under 单位：万元 (the record keeps how the source
/// wrote its money); the classic layout, without a unit column, prints funding-sources'
/// `≤0.6` | `元/平方米·月` and values.xlsx's `28.8万元` | `%` in one cell; wuhai 2021 fills its
/// 指标性质 column with `正向`.
#[test]
fn values_printed_otherwise_draw_no_new_finding() {
    let root = common::root();
    let both = [Layout::Classic, Layout::National];
    for (file, layouts) in [
        ("tests/fixtures/corpus/xiangtan-2023.xlsx", &both[..]),
        ("tests/fixtures/corpus/xiangtan-2023.xls", &both[..]),
        ("tests/fixtures/funding-sources.xlsx", &both[..1]),
        ("tests/fixtures/values.xlsx", &both[..1]),
        ("tests/fixtures/corpus/wuhai-2021.xlsx", &both[1..]),
    ] {
        for layout in layouts {
            let (doc, bytes) = converted(&root.join(file), *layout);
            let back = jixiao::read_bytes(Path::new("转换.xlsx"), &bytes)
                .unwrap_or_else(|e| panic!("{e}"));
            let (before, after) = (rules(&doc), rules(&back));
            let new: Vec<_> = after.difference(&before).collect();
            assert!(
                new.is_empty(),
                "{file} {}: new findings: {new:?}",
                layout.id()
            );
        }
    }
}
