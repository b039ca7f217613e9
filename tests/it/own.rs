//! Own geometry: a form that no built-in layout prints cell for cell (a cost block, columns a
//! layout lacks, labels worded otherwise) is converted as the source printed it — every cell
//! at its own place, merges kept, no label added — while `--layout` still forces a layout.

use std::path::Path;

use jixiao::cell::CellRef;
use jixiao::model::Layout;
use jixiao::read::grid::{self, CellValue, Sheet};
use jixiao::write::{self, Options};
use rust_decimal::Decimal;

use crate::common;

fn sheets(path: &Path, bytes: &[u8]) -> Vec<Sheet> {
    let format = grid::sniff(path, bytes).unwrap_or_else(|e| panic!("{e}"));
    grid::load_sheets(path, bytes, format).unwrap_or_else(|e| panic!("{e}"))
}

/// A cell's value as a person compares it: numbers by value, text without its spacing.
fn shown(v: &CellValue) -> String {
    match v {
        CellValue::Number(f) => Decimal::try_from(*f)
            .map(|d| d.round_dp(6).normalize().to_string())
            .unwrap_or_default(),
        CellValue::Text(s) => s.split_whitespace().collect(),
        other => other.display(),
    }
}

/// The non-empty cells of `first..=last` of a sheet, relative to `first`.
fn cells(sheet: &Sheet, first: CellRef, last: CellRef) -> Vec<(CellRef, String)> {
    let mut out = Vec::new();
    for r in sheet
        .rows
        .iter()
        .filter(|r| (first.row..=last.row).contains(&r.row))
    {
        for c in r
            .cells
            .iter()
            .filter(|c| (first.col..=last.col).contains(&c.col))
        {
            let v = shown(&c.value);
            if !v.is_empty() {
                out.push((CellRef::new(r.row - first.row, c.col - first.col), v));
            }
        }
    }
    out
}

fn merges(sheet: &Sheet, first: CellRef) -> Vec<(CellRef, CellRef)> {
    let rel = |c: CellRef| CellRef::new(c.row - first.row, c.col - first.col);
    let mut m: Vec<_> = sheet
        .merges
        .iter()
        .map(|(a, b)| (rel(*a), rel(*b)))
        .collect();
    m.sort_by_key(|(a, b)| (a.row, a.col, b.row, b.col));
    m
}

fn range(r: &str) -> (CellRef, CellRef) {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    (a.parse().expect("a cell"), b.parse().expect("a cell"))
}

/// A fixture converted as `convert` writes it: the document read, the source's sheets, the
/// rendered workbook and its sheets read again.
struct Converted {
    doc: jixiao::model::Document,
    src: Vec<Sheet>,
    r: write::Rendered,
    out: Vec<Sheet>,
}

impl Converted {
    /// `file` (relative to the repository) read, checked when `check`, and rendered with `opts`.
    fn of(file: &str, check: bool, opts: &Options) -> Converted {
        let path = common::root().join(file);
        let doc = common::read(&path);
        let src = sheets(&path, &std::fs::read(&path).expect("the source"));
        let findings = if check {
            jixiao::check::check(&doc)
        } else {
            Vec::new()
        };
        let r = write::render(&doc, &findings, opts).unwrap_or_else(|e| panic!("{e}"));
        let out = sheets(Path::new("out.xlsx"), &r.bytes);
        Converted { doc, src, r, out }
    }

    /// The source sheet of table `i`.
    fn source(&self, i: usize) -> &Sheet {
        let t = &self.doc.tables[i];
        self.src
            .iter()
            .find(|s| s.name == t.source.sheet)
            .expect("its sheet")
    }

    /// The form table `i` was written to.
    fn form(&self, i: usize) -> &Sheet {
        self.out
            .iter()
            .find(|s| s.name == self.r.sheets[i])
            .expect("its form")
    }
}

/// Converts `file` (its tables in their own layout, or `forced`) and returns, per table, the
/// source's cells and the converted form's, both relative to their top-left cell, and the
/// merges of each.
#[allow(clippy::type_complexity)]
fn convert(
    file: &str,
    forced: Option<Layout>,
) -> Vec<(
    Vec<(CellRef, String)>,
    Vec<(CellRef, String)>,
    Vec<(CellRef, CellRef)>,
    Vec<(CellRef, CellRef)>,
)> {
    let opts = Options {
        layout: forced,
        date: None,
    };
    let c = Converted::of(file, true, &opts);
    c.doc
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (s, o) = (c.source(i), c.form(i));
            let (first, last) = range(&t.source.range);
            let big = CellRef::new(10_000, 500);
            (
                cells(s, first, last),
                cells(o, CellRef::new(0, 0), big),
                merges(s, first),
                merges(o, CellRef::new(0, 0)),
            )
        })
        .collect()
}

/// The 鄂州 form (a 项目预算成本构成 block), a 部门整体 form of its own wording and a form with
/// 指标值类型 | 指标值 | 计量单位 | 评(扣)分标准 columns convert cell for cell: every cell of the
/// source at its own place with its own text, nothing added, the merges of the file kept.
#[test]
fn a_form_without_a_layout_is_converted_cell_for_cell() {
    for file in [
        "tests/fixtures/ezhou.xlsx",
        "tests/fixtures/sichuan-department.xlsx",
        "tests/fixtures/scores-types.xlsx",
        "tests/fixtures/corpus/longyan-2023.xlsx",
        "tests/fixtures/corpus/shucheng-2023.ods",
    ] {
        for (src, out, src_merges, out_merges) in convert(file, None) {
            assert!(src.len() > 20, "{file}: {} cells", src.len());
            let missing: Vec<_> = src.iter().filter(|c| !out.contains(c)).collect();
            assert!(
                missing.is_empty(),
                "{file}: not at their place: {missing:?}"
            );
            let added: Vec<_> = out.iter().filter(|c| !src.contains(c)).collect();
            assert!(added.is_empty(), "{file}: not in the source: {added:?}");
            // Every one of these files records merges (ods too): they are compared, not absent.
            assert!(src_merges.len() > 5, "{file}: {src_merges:?}");
            assert_eq!(src_merges, out_merges, "{file}: merges");
        }
    }
}

/// The cost block of the 鄂州 form keeps its columns: 金额 under 金额, the 2025 actuals under
/// their header, 合计 837 (the budget), not 801.55 (the actuals).
#[test]
fn the_cost_block_keeps_its_columns() {
    let (_, out, _, _) = convert("tests/fixtures/ezhou.xlsx", None).remove(0);
    let at = |text: &str| {
        out.iter()
            .find(|(_, v)| v == text)
            .map(|(c, _)| *c)
            .unwrap_or_else(|| panic!("no “{text}” in {out:?}"))
    };
    let (amount, actual, total) = (at("金额"), at("2025年实际执行数"), at("合计"));
    assert_eq!(at("837"), CellRef::new(total.row, amount.col));
    assert_eq!(at("801.55"), CellRef::new(total.row, actual.col));
    assert_eq!(at("205").col, amount.col);
}

/// `--layout` still forces a built-in layout: the form is then re-flowed into its slots.
#[test]
fn a_forced_layout_is_still_the_built_in_one() {
    let (src, out, _, _) = convert("tests/fixtures/ezhou.xlsx", Some(Layout::Classic)).remove(0);
    let moved = src.iter().filter(|c| !out.contains(c)).count();
    assert!(moved > 10, "only {moved} cells moved in the forced layout");
}

/// The seed form fits its built-in layout: it is written there, not from its cells.
#[test]
fn the_seed_form_fits_its_layout() {
    let doc = common::read(&common::root().join("tests/fixtures/ningxia.xlsx"));
    let t = &doc.tables[0];
    let layout = write::layout::FormLayout::builtin(t.layout);
    let plan = write::form::plan(t, layout);
    let grid = t
        .geometry
        .grid()
        .expect("a table read from a sheet keeps its cells");
    let misfits = write::form::misfits(t, grid, &plan);
    assert!(misfits.is_empty(), "{misfits:?}");
    let doc = common::read(&common::root().join("tests/fixtures/ezhou.xlsx"));
    let t = &doc.tables[0];
    let plan = write::form::plan(t, write::layout::FormLayout::builtin(t.layout));
    let misfits = write::form::misfits(t, t.geometry.grid().expect("its cells"), &plan);
    assert!(
        misfits.iter().any(|m| m.contains("不属于任何栏目")),
        "{misfits:?}"
    );
}

/// A finding on a form written in its own geometry marks the cell it names, at its own place.
#[test]
fn findings_mark_the_cells_they_name() {
    let path = common::root().join("tests/fixtures/corpus/longyan-2023.xlsx");
    let doc = common::read(&path);
    let findings = jixiao::check::check(&doc);
    let r = write::render(&doc, &findings, &Options::default()).expect("rendered");
    let (first, _) = range(&doc.tables[0].source.range);
    let mut marked = 0;
    for l in &r.findings {
        let (Some((_, at)), Some(src)) = (&l.target, l.finding.cell) else {
            continue;
        };
        if l.finding.field.is_none() {
            assert_eq!(
                *at,
                CellRef::new(src.row - first.row, src.col - first.col),
                "{}",
                l.finding.message
            );
        }
        marked += 1;
    }
    assert!(marked > 0);
}

/// A 元 table converted in its own geometry, with the source cells, the form's cells, the
/// read-back differences and missing numbers, and the form read again.
#[allow(clippy::type_complexity)]
fn convert_yuan(
    file: &str,
) -> (
    Vec<(CellRef, String)>,
    Vec<(CellRef, String)>,
    Vec<String>,
    jixiao::model::Table,
) {
    let c = Converted::of(file, false, &Options::default());
    let (doc, r) = (&c.doc, &c.r);
    assert_eq!(doc.tables[0].source_unit.as_deref(), Some("元"), "{file}");
    let t = &doc.tables[0];
    let (s, o) = (c.source(0), c.form(0));
    let (first, last) = range(&t.source.range);
    let mut problems: Vec<String> = r
        .findings
        .iter()
        .filter(|l| l.finding.rule == jixiao::write::readback::RULE)
        .map(|l| l.finding.message.clone())
        .collect();
    problems.extend(
        jixiao::write::readback::missing_numbers(s, t, o)
            .into_iter()
            .map(|(c, v)| format!("{c} {v}")),
    );
    let again = jixiao::read::read_bytes(Path::new("out.xlsx"), &r.bytes).expect("reads");
    let form = again
        .tables
        .into_iter()
        .find(|x| x.source.sheet == r.sheets[0])
        .expect("the form reads as a table");
    (
        cells(s, first, last),
        cells(o, CellRef::new(0, 0), CellRef::new(10_000, 500)),
        problems,
        form,
    )
}

/// Amounts in 元 that the model holds, every one (资金总额 and the cost block's lines, as typed
/// `1,234,567`, `34,567` as text, `842,500.50`): the form says 万元 on its unit line and holds each
/// source number divided by 10,000 at its own place; every other cell is as typed. It reads back
/// in 万元 with the amounts the source read as, with no read-back difference and no number lost.
#[test]
fn amounts_in_yuan_are_written_in_wan_when_all_are_known() {
    for file in [
        "tests/fixtures/yuan.xlsx",
        "tests/fixtures/own/ezhou-yuan.xlsx",
    ] {
        let (src, out, problems, form) = convert_yuan(file);
        assert!(problems.is_empty(), "{file}: {problems:#?}");
        let doc = common::read(&common::root().join(file));
        let t = &doc.tables[0];
        let mut scaled = 0;
        for (at, text) in &src {
            let got = out
                .iter()
                .find(|(c, _)| c == at)
                .map(|(_, v)| v.as_str())
                .unwrap_or_else(|| panic!("{file}: {at} {text} not written"));
            let number = Decimal::from_str_exact(&text.replace(',', "")).ok();
            if t.cell_of("unit").is_some_and(|c| {
                let (first, _) = range(&t.source.range);
                CellRef::new(c.row - first.row, c.col - first.col) == *at
            }) {
                assert!(text.contains('元') && !text.contains("万元"), "{text}");
                assert_eq!(got, text.replace('元', "万元"), "{file}: the unit line");
            } else if let Some(n) = number {
                let want = (n / Decimal::from(10_000)).normalize().to_string();
                assert_eq!(got, want, "{file}: {at} {text}");
                scaled += 1;
            } else {
                assert_eq!(got, text, "{file}: {at}");
            }
        }
        let lines = t
            .funding
            .lines
            .iter()
            .filter(|l| l.amount.is_some())
            .count();
        assert!(
            scaled >= 4 && scaled == lines,
            "{file}: {scaled} of {lines}"
        );
        assert_eq!(form.source_unit, None, "{file}: read back in 万元");
        let amounts = |t: &jixiao::model::Table| -> Vec<Option<Decimal>> {
            t.funding.lines.iter().map(|l| l.amount).collect()
        };
        assert_eq!(amounts(&form), amounts(t), "{file}");
    }
}

/// A number nothing understood (`物业管理面积 | 36,000`) may be an amount in 元: the whole
/// table keeps 元, its unit line and every number as typed, and still reads back the same.
#[test]
fn a_number_nothing_understood_keeps_the_source_unit() {
    let (src, out, problems, form) = convert_yuan("tests/fixtures/own/ezhou-yuan-unknown.xlsx");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(src.iter().any(|(_, v)| v == "36000"), "{src:?}");
    assert!(src.iter().any(|(_, v)| v == "单位：元"), "{src:?}");
    let moved: Vec<_> = src.iter().filter(|c| !out.contains(c)).collect();
    assert!(moved.is_empty(), "changed: {moved:?}");
    assert_eq!(form.source_unit.as_deref(), Some("元"));
}

/// The source's alignment (horizontal, vertical, wrap) is copied cell for cell (xlsx: the
/// only format whose styles calamine gives).
#[test]
fn the_source_alignment_is_copied() {
    for file in [
        "tests/fixtures/ezhou.xlsx",
        "tests/fixtures/scores-types.xlsx",
    ] {
        let c = Converted::of(file, false, &Options::default());
        let t = &c.doc.tables[0];
        let (s, o) = (c.source(0), c.form(0));
        let (first, _) = range(&t.source.range);
        let kinds: std::collections::BTreeSet<_> = s.aligns.values().collect();
        assert!(kinds.len() >= 3, "{file}: {kinds:?}");
        let mut compared = 0;
        for (at, a) in &s.aligns {
            let Some(rel) = at
                .row
                .checked_sub(first.row)
                .zip(at.col.checked_sub(first.col))
                .map(|(r, c)| CellRef::new(r, c))
            else {
                continue;
            };
            assert_eq!(o.aligns.get(&rel), Some(a), "{file}: {at}");
            compared += 1;
        }
        assert!(compared > 40, "{file}: {compared}");
    }
}
