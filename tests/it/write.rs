//! Writing: converted workbooks read back to the same model, in both layouts; the cells,
//! merges, 汇总 and 问题清单 as written; the convert command end to end; a LibreOffice render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use jixiao::model::{Document, Finding, IndicatorClass, Layout, Severity, Table};
use jixiao::write::layout::FormLayout;
use jixiao::write::{self, Options, Rendered, ISSUES_SHEET, SUMMARY_SHEET};

use crate::common::{self, sample};

/// Every readable sample.
const SAMPLES: &[&str] = &[
    "seed-one-per-sheet.xlsx",
    "seed-one-per-sheet.ods",
    "seed-publication.xlsx",
    "seed-publication.xls",
    "seed-publication.ods",
    "seed-publication.xlsb",
    "disguised-xlsx.xls",
    "messy.xlsx",
    "national.xlsx",
    "yuan.xlsx",
    "drift-values.xlsx",
];

const LAYOUTS: [Layout; 2] = [Layout::Classic, Layout::National];

fn render(doc: &Document, layout: Layout) -> Rendered {
    let findings = jixiao::check::check(doc);
    let opts = Options {
        layout: Some(layout),
        date: None,
    };
    write::render(doc, &findings, &opts).unwrap_or_else(|e| panic!("{e}"))
}

/// Reads rendered bytes back with our reader.
fn reread(r: &Rendered, name: &str) -> Document {
    jixiao::read_bytes(Path::new(name), &r.bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The (一级, 二级) a layout prints for an indicator: its own names for the class, else the
/// names it was read with.
fn expected_levels(layout: Layout, t: &Table, i: usize) -> (String, String) {
    let ind = &t.indicators[i];
    match FormLayout::builtin(layout).level_names(write::form::class_of(ind)) {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (ind.level1.clone(), ind.level2.clone()),
    }
}

/// Asserts that `got` (read back from the output) carries `want` (what was written): every
/// value, amount and indicator; only the source, the cells, the reader's unit notice and the
/// level wording of the target layout may differ.
fn assert_same_table(want: &Table, got: &Table, layout: Layout, ctx: &str) {
    assert_eq!(got.year, want.year, "{ctx}: year");
    assert_eq!(got.title, want.title, "{ctx}: title");
    assert_eq!(got.unit, "万元", "{ctx}: unit");
    assert_eq!(got.layout, layout, "{ctx}: layout");
    assert_eq!(got.project, want.project, "{ctx}: project");
    // Decimals compare by value: 45 == 45.00.
    assert_eq!(got.funding.views(), want.funding.views(), "{ctx}: funding");
    assert_eq!(got.goal, want.goal, "{ctx}: goal");
    assert_eq!(
        got.indicators.len(),
        want.indicators.len(),
        "{ctx}: indicator count"
    );
    for (i, (g, w)) in got.indicators.iter().zip(&want.indicators).enumerate() {
        let ctx = format!("{ctx}: indicator {i} {}", w.name);
        assert_eq!(g.name, w.name, "{ctx}: name");
        assert_eq!(g.value, w.value, "{ctx}: value");
        // A hand-made model (the seed truth) has no classes: the writer infers them.
        assert_eq!(g.class, write::form::class_of(w), "{ctx}: class");
        assert_eq!(
            (g.level1.clone(), g.level2.clone()),
            expected_levels(layout, want, i),
            "{ctx}: levels"
        );
        match layout {
            Layout::National => assert_eq!(g.extra, w.extra, "{ctx}: extra"),
            Layout::Classic => assert!(g.extra.is_empty(), "{ctx}: extra"),
        }
    }
}

fn assert_same_doc(want: &Document, got: &Document, layout: Layout, ctx: &str) {
    assert_eq!(
        got.tables.len(),
        want.tables.len(),
        "{ctx}: tables (汇总/问题清单 must not read as tables)"
    );
    for (k, (w, g)) in want.tables.iter().zip(&got.tables).enumerate() {
        assert_same_table(w, g, layout, &format!("{ctx} table {k}"));
    }
}

#[test]
fn every_sample_round_trips_in_both_layouts() {
    for name in SAMPLES {
        let doc = common::read(&sample(name));
        for layout in LAYOUTS {
            let r = render(&doc, layout);
            let back = reread(&r, &format!("{name}.{}.xlsx", layout.id()));
            assert_same_doc(&doc, &back, layout, &format!("{name} ({})", layout.id()));
            // And a second pass is stable: converting the converted gives the same tables.
            let again = reread(&render(&back, layout), "again.xlsx");
            assert_same_doc(&back, &again, layout, &format!("{name} twice"));
        }
    }
}

/// The fixture workbooks of the form family (tests/fixtures, made by openpyxl and LibreOffice):
/// whatever the reader makes of them today, converting in their own layout reads back to it.
#[test]
fn every_fixture_round_trips_in_its_own_layout() {
    let dir = common::root().join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ["xlsx", "xls", "ods"].contains(&e.to_string_lossy().as_ref()))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let doc = common::read(&path);
        let back = reread(&render_own(&doc), &format!("{name}.own.xlsx"));
        assert_eq!(back.tables.len(), doc.tables.len(), "{name}: tables");
        for (k, (w, g)) in doc.tables.iter().zip(&back.tables).enumerate() {
            let ctx = format!("{name} table {k}");
            assert_eq!(g.kind, w.kind, "{ctx}: kind");
            assert_eq!(g.project, w.project, "{ctx}: project");
            assert_eq!(
                g.funding.annual_total, w.funding.annual_total,
                "{ctx}: annual"
            );
            assert_eq!(g.goal, w.goal, "{ctx}: goal");
            assert_eq!(
                g.long_term_goal, w.long_term_goal,
                "{ctx}: 中期 / 实施期 goal"
            );
            let values = |t: &Table| -> Vec<(String, String)> {
                t.indicators
                    .iter()
                    .map(|i| (i.name.clone(), i.value.raw.clone()))
                    .collect()
            };
            assert_eq!(values(g), values(w), "{ctx}: indicators");
            let levels = |t: &Table| -> Vec<(String, String)> {
                t.indicators
                    .iter()
                    .map(|i| (i.level1.clone(), i.level2.clone()))
                    .collect()
            };
            assert_eq!(levels(g), levels(w), "{ctx}: the table's own level names");
            // Every funding line as printed, under the same parent, in the same span. A blank
            // row of the layout (项目总额 left empty) reads back as an unfilled line: not compared.
            let lines =
                |t: &Table| -> Vec<(String, String, Option<rust_decimal::Decimal>, String)> {
                    let l = &t.funding.lines;
                    let filled = |i: usize| l[i].amount.is_some() || !l[i].raw.trim().is_empty();
                    let parent = |mut at: Option<usize>| {
                        while let Some(p) = at.filter(|&p| !filled(p)) {
                            at = l[p].parent;
                        }
                        at.map(|p| l[p].label.clone()).unwrap_or_default()
                    };
                    (0..l.len())
                        .filter(|&i| filled(i))
                        .map(|i| {
                            let x = &l[i];
                            (
                                x.label.clone(),
                                format!("{:?}", x.scope),
                                x.amount,
                                parent(x.parent),
                            )
                        })
                        .collect()
                };
            // Side-by-side 中期 | 年度 columns (central.xlsx) come back as one block; the layout
            // may print lines in another order than the source: the tree counts.
            let sorted = |t| {
                let mut v = lines(t);
                v.sort_by(|a, b| a.0.cmp(&b.0));
                v
            };
            assert_eq!(sorted(g), sorted(w), "{ctx}: funding lines");
            assert_eq!(g.funding.views(), w.funding.views(), "{ctx}: funding");
            let extras = |t: &Table| -> Vec<(String, String)> {
                t.extra
                    .iter()
                    .map(|e| (e.label.clone(), e.value.clone()))
                    .collect()
            };
            assert_eq!(extras(g), extras(w), "{ctx}: cells nothing understood");
            let meta = |t: &Table| -> Vec<(String, String)> {
                t.metadata
                    .iter()
                    .map(|m| (m.label.clone(), m.value.clone()))
                    .collect()
            };
            assert_eq!(meta(g), meta(w), "{ctx}: metadata");
        }
    }
}

/// Tables of other forms converted in their own layout print their own wording: no 宁夏 /
/// 自治区 / 转移市县（区） label, no Ningxia level name, in the form, 汇总 or 问题清单 (issue 10:
/// 省级资金 stays 省级资金, 年度本级预算金额 stays as printed).
#[test]
fn other_forms_print_no_ningxia_wording() {
    let seed_words = [
        "宁夏",
        "自治区",
        "转移市县",
        "结余结转资金",
        "年度总体绩效目标",
    ];
    for (name, own) in [
        (
            "gansu.xlsx",
            &["其中：省级资金", "市县资金", "年度总体目标", "经济成本指标"][..],
        ),
        ("national.xlsx", &["年度总体目标", "上年结转资金"][..]),
        (
            "hunan.xlsx",
            &[
                "项目支出名称",
                "年度本级预算金额",
                "该项目支出上级资金",
                "本年度绩效目标",
            ][..],
        ),
        (
            "department.xlsx",
            &["部门（单位）名称", "年度预算安排（万元）"][..],
        ),
    ] {
        let doc = common::read(&common::root().join("tests/fixtures").join(name));
        let r = render_own(&doc);
        let mut xlsx = Xlsx::new(std::io::Cursor::new(r.bytes.clone())).expect("opens");
        let mut texts: Vec<String> = Vec::new();
        for sheet in xlsx.sheet_names() {
            let range = xlsx.worksheet_range(&sheet).expect("sheet");
            texts.extend(range.used_cells().filter_map(|(_, _, v)| match v {
                Data::String(s) => Some(s.clone()),
                _ => None,
            }));
        }
        for w in seed_words {
            let hits: Vec<&String> = texts.iter().filter(|t| t.contains(w)).collect();
            assert!(
                hits.is_empty(),
                "{name}: the seed's wording `{w}` in {hits:?}"
            );
        }
        for w in own {
            assert!(
                texts.iter().any(|t| t == w),
                "{name}: its own `{w}` is missing"
            );
        }
    }
}

#[test]
fn the_seed_truth_round_trips_in_both_layouts() {
    let truth = common::truth();
    for layout in LAYOUTS {
        let r = render(&truth, layout);
        let back = reread(&r, "truth.xlsx");
        assert_same_doc(&truth, &back, layout, &format!("truth ({})", layout.id()));
        assert_eq!(back.annual_total().to_string(), "920.53");
    }
}

#[test]
fn transfer_funds_survive_the_national_layout() {
    use rust_decimal::Decimal;
    let mut doc = common::truth();
    let d = |v: i64| Some(Decimal::new(v, 2));
    let f = &mut doc.tables[0].funding;
    f.annual_total = d(6500);
    f.total = d(6500);
    f.transfer.total = d(2000);
    f.transfer.central = d(1500);
    f.transfer.regional = d(500);
    doc.tables[1].funding.own.carryover = None;
    for layout in LAYOUTS {
        let back = reread(&render(&doc, layout), "transfer.xlsx");
        assert_same_doc(&doc, &back, layout, &format!("transfer ({})", layout.id()));
    }
}

#[test]
fn awkward_values_round_trip() {
    let mut doc = common::truth();
    let t = &mut doc.tables[0];
    t.project.name = "网络安全/信息化[一期]: *?".into();
    t.project.department_code = Some("812".into());
    t.goal = "=SUM(A1:A2) 不是公式；".repeat(3);
    t.project.period = String::new();
    t.indicators[0].name = "+1 以加号开头".into();
    t.indicators[1].value = jixiao::read::values::parse_value("不低于80%");
    t.indicators[2].value = jixiao::read::values::parse_value("1,000人");
    t.funding.own.other = None;
    for layout in LAYOUTS {
        let r = render(&doc, layout);
        assert_eq!(r.sheets[0], "网络安全／信息化［一期］： ＊？");
        let back = reread(&r, "awkward.xlsx");
        assert_same_doc(&doc, &back, layout, &format!("awkward ({})", layout.id()));
    }
}

#[test]
fn output_is_reproducible() {
    let doc = common::read(&sample("seed-one-per-sheet.xlsx"));
    for layout in LAYOUTS {
        assert_eq!(render(&doc, layout).bytes, render(&doc, layout).bytes);
    }
}

// ---- generated models ----

mod generated {
    use jixiao::model::{Document, Indicator, IndicatorClass, Layout, Table};
    use jixiao::read::labels::{Framework, Labels};
    use jixiao::read::values::{collapse_spaces, parse_value};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::{assert_same_doc, reread};

    /// Words from real tables; generated text is made of these.
    const WORDS: &[&str] = &[
        "网络",
        "安全",
        "宣传周",
        "应急",
        "演练",
        "培训",
        "运维",
        "平台",
        "数字",
        "素养",
        "提升",
        "服务",
        "系统",
        "自治区",
        "宁夏",
        "办公室",
        "本级",
        "信息化",
        "党建",
        "尾款",
        "支付",
        "监理",
        "设计",
        "项目",
        "资金",
        "指标",
        "总额",
        "目标",
        "A",
        "2",
        "-",
        "（",
        "）",
        "、",
        "，",
        "=",
        "+",
        "'",
        "\"",
        "<",
        "&",
        " ",
    ];

    /// Text the reader takes as it is: not a form label, not an indicator level, not a year line.
    fn plain(t: &str) -> bool {
        let fw = Framework::builtin();
        Labels::builtin().lookup(t).is_none()
            && fw.level1(t).is_none()
            && fw.level2(t).is_empty()
            && !t.trim().is_empty()
            && t.trim() == t
            && !t.contains("年")
    }

    fn text(max_words: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(WORDS), 1..=max_words)
            // As the reader gives text: spaces collapsed, none between two Han characters.
            .prop_map(|w| collapse_spaces(&w.concat()))
            .prop_filter("plain text", |t| plain(t))
    }

    fn amount() -> impl Strategy<Value = Option<Decimal>> {
        proptest::option::weighted(0.9, (0i64..100_000_000).prop_map(|c| Decimal::new(c, 2)))
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            (1u32..1000).prop_map(|n| format!("{n}项")),
            (1u32..100).prop_map(|n| format!("≥{n}%")),
            (1u32..100).prop_map(|n| format!("≤{n}小时")),
            (1u32..10000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b:02}万元")),
            (1u32..13).prop_map(|m| format!("2026年{m}月前")),
            Just("有所提升".to_string()),
            Just("无".to_string()),
            Just(String::new()),
            text(4),
        ]
    }

    const CLASSES: &[IndicatorClass] = &[
        IndicatorClass::Quantity,
        IndicatorClass::Quality,
        IndicatorClass::Timeliness,
        IndicatorClass::Cost,
        IndicatorClass::Economic,
        IndicatorClass::Social,
        IndicatorClass::Ecological,
        IndicatorClass::Sustainable,
        IndicatorClass::Satisfaction,
    ];

    fn indicator() -> impl Strategy<Value = Indicator> {
        (0..CLASSES.len(), text(6), value()).prop_map(|(c, name, raw)| {
            let class = CLASSES[c];
            let (l1, l2) = jixiao::write::layout::FormLayout::builtin(Layout::Classic)
                .level_names(class)
                .unwrap_or(("", ""));
            Indicator {
                level1: l1.into(),
                level2: l2.into(),
                name,
                value: parse_value(&raw),
                class,
                ..Indicator::default()
            }
        })
    }

    prop_compose! {
        fn table()(
            name in text(8),
            department in text(6),
            unit in text(6),
            attribute in text(3),
            goal in text(60),
            amounts in proptest::collection::vec(amount(), 9),
            mut indicators in proptest::collection::vec(indicator(), 1..20),
        ) -> Table {
            // The framework's order, as forms print it.
            indicators.sort_by_key(|i| i.class);
            let mut t = Table {
                year: Some(2026),
                title: "2026年宁夏回族自治区部门项目支出预算绩效表".into(),
                unit: "万元".into(),
                goal,
                indicators,
                ..Table::default()
            };
            t.project.name = name;
            t.project.department = department;
            t.project.implementing_unit = unit;
            t.project.attribute = attribute;
            t.project.period = "1年".into();
            let f = &mut t.funding;
            f.total = amounts[0];
            f.annual_total = amounts[1];
            f.own.total = amounts[2];
            f.own.fiscal = amounts[3];
            f.own.other = amounts[4];
            f.own.carryover = amounts[5];
            f.transfer.total = amounts[6];
            f.transfer.central = amounts[7];
            f.transfer.regional = amounts[8];
            t
        }
    }

    proptest! {
        // Failures are reported with their minimal input; no regression files in the tree.
        #![proptest_config(ProptestConfig {
            cases: 48,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn generated_tables_round_trip(tables in proptest::collection::vec(table(), 1..4)) {
            let doc = Document { tables, ..Document::default() };
            for layout in [Layout::Classic, Layout::National] {
                let r = jixiao::write::render(&doc, &[], &jixiao::write::Options { layout: Some(layout), date: None })
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let back = reread(&r, "generated.xlsx");
                assert_same_doc(&doc, &back, layout, &format!("generated ({})", layout.id()));
            }
        }
    }
}

/// A written workbook opened with calamine.
struct Book {
    xlsx: Xlsx<std::io::Cursor<Vec<u8>>>,
}

impl Book {
    fn open(r: &Rendered) -> Book {
        let xlsx = Xlsx::new(std::io::Cursor::new(r.bytes.clone())).expect("opens");
        Book { xlsx }
    }

    fn cells(&mut self, sheet: &str) -> HashMap<String, Data> {
        let range = self.xlsx.worksheet_range(sheet).expect("sheet exists");
        let mut out = HashMap::new();
        for (r, c, v) in range.used_cells() {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let cell = jixiao::CellRef::new(r0 + r as u32, c0 + c as u32);
            out.insert(cell.to_string(), v.clone());
        }
        out
    }

    fn merges(&mut self, sheet: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .xlsx
            .merge_cells_by_sheet_name(sheet)
            .expect("merges")
            .into_iter()
            .map(|d| {
                format!(
                    "{}:{}",
                    jixiao::CellRef::new(d.start.0, d.start.1),
                    jixiao::CellRef::new(d.end.0, d.end.1)
                )
            })
            .collect();
        v.sort();
        v
    }

    /// Number format codes by cell (absolute positions).
    fn formats(&mut self, sheet: &str) -> HashMap<String, String> {
        let styles = self.xlsx.worksheet_style(sheet).expect("styles");
        styles
            .cells()
            .filter_map(|(r, c, s)| {
                let nf = s.number_format.as_ref()?;
                Some((
                    jixiao::CellRef::new(r, c).to_string(),
                    nf.format_code.clone(),
                ))
            })
            .collect()
    }
}

#[test]
fn form_cells_merges_and_number_formats() {
    let doc = common::read(&sample("seed-one-per-sheet.xlsx"));
    let r = render(&doc, Layout::Classic);
    assert_eq!(r.sheets[0], "宁夏网络安全服务项目");
    let mut book = Book::open(&r);
    assert_eq!(
        book.xlsx.sheet_names()[..3],
        [SUMMARY_SHEET, ISSUES_SHEET, "宁夏网络安全服务项目"]
    );
    let cells = book.cells("宁夏网络安全服务项目");
    let text = |k: &str| match cells.get(k) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("{k}: {other:?}"),
    };
    assert_eq!(text("A1"), "2026年宁夏回族自治区部门项目支出预算绩效表");
    assert_eq!(text("A2"), "(2026年)");
    assert_eq!(text("A3"), "单位：万元");
    assert_eq!(text("A4"), "项目名称");
    assert_eq!(text("B4"), "宁夏网络安全服务项目");
    assert_eq!(text("A13"), "一级指标");
    assert_eq!(text("E14"), "1项");
    assert_eq!(text("A14"), "产出指标");
    // Amounts are numbers with a two-decimal format.
    let formats = book.formats("宁夏网络安全服务项目");
    for k in ["B7", "D7", "C8", "C9", "C10", "C11", "F8", "F9", "F10"] {
        assert!(
            matches!(cells.get(k), Some(Data::Float(_))),
            "{k}: {:?}",
            cells.get(k)
        );
        assert_eq!(formats.get(k).map(String::as_str), Some("0.00"), "{k}");
    }
    assert_eq!(cells.get("B7"), Some(&Data::Float(45.0)));
    // Merges: header spans, 一级/二级 down their rows, 三级 and 指标值 across two columns.
    let merges = book.merges("宁夏网络安全服务项目");
    for m in [
        "A1:F1", "B4:F4", "D5:F5", "A8:A11", "D8:D11", "B12:F12", "C13:D13", "E13:F13", "A14:A21",
        "B14:B15", "B20:B21", "A22:A25", "C14:D14", "E26:F26",
    ] {
        assert!(merges.contains(&m.to_string()), "{m} not in {merges:?}");
    }
    // National: split value columns, 成本指标 its own first level. The seed prints its
    // 本级 / 转移 lines, so the national block prints them too (rows 12–15) and the grid
    // starts four rows lower than on a national table without them.
    let r = render(&doc, Layout::National);
    let mut book = Book::open(&r);
    let cells = book.cells("宁夏网络安全服务项目");
    let text = |k: &str| match cells.get(k) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("{k}: {other:?}"),
    };
    assert_eq!(text("A5"), "主管部门及代码");
    assert_eq!(text("D17"), "指标性质");
    assert_eq!(text("F17"), "度量单位");
    // The seed's `1项` says no sign: no ＝ is added in 指标性质.
    assert!(!cells.contains_key("D18"), "{:?}", cells.get("D18"));
    // Values that are numbers are written as numbers (`1`, not the text '1').
    assert_eq!(cells.get("E18"), Some(&Data::Float(1.0)));
    assert_eq!(text("F18"), "项");
    assert_eq!(text("A24"), "成本指标");
    assert_eq!(text("B24"), "经济成本指标");
    let merges = book.merges("宁夏网络安全服务项目");
    for m in ["A7:A15", "A18:A23", "A24:A25", "B24:B25", "E7:H7"] {
        assert!(merges.contains(&m.to_string()), "{m} not in {merges:?}");
    }
}

#[test]
fn issues_sheet_lists_every_finding_with_working_links() {
    let doc = common::read(&sample("seed-one-per-sheet.xlsx"));
    let r = render(&doc, Layout::Classic);
    let mut book = Book::open(&r);
    let issues = book.cells(ISSUES_SHEET);
    assert_eq!(
        issues.get("B1"),
        Some(&Data::String("级别".into())),
        "header row"
    );
    let rows = r.findings.len();
    assert!(rows > 0);
    assert!(issues.contains_key(&format!("C{}", rows + 1)));
    assert!(!issues.contains_key(&format!("C{}", rows + 2)));
    // The 0.73 / 0.78 mismatch is listed as an error with a link to the goal cell.
    let k = r
        .findings
        .iter()
        .position(|l| {
            l.finding.severity == Severity::Error && l.finding.message.contains("0.73万元")
        })
        .expect("the seed's 0.73/0.78 mismatch is found");
    let row = k + 2;
    assert_eq!(
        issues.get(&format!("B{row}")),
        Some(&Data::String("错误".into()))
    );
    let (sheet, cell) = r.findings[k].target.clone().expect("it has a target");
    assert_eq!(sheet, "升级改造项目尾款支付项目");
    let form = book.cells(&sheet);
    match form.get(&cell.to_string()) {
        Some(Data::String(s)) => assert!(s.contains("0.73万元"), "{s}"),
        other => panic!("{cell}: {other:?}"),
    }
    assert_eq!(
        issues.get(&format!("G{row}")),
        Some(&Data::String(cell.to_string()))
    );
    // The hyperlink itself, in the sheet XML.
    let xml = sheet_xml(&r.bytes, 2);
    assert!(
        xml.contains(&format!("location=\"'{sheet}'!{cell}\"")),
        "no internal link to {sheet}!{cell}"
    );
    // Every finding that names a field or a cell of a table points into its form.
    for l in &r.findings {
        if l.finding.table.is_some() && (l.finding.field.is_some() || l.finding.cell.is_some()) {
            assert!(l.target.is_some(), "no target for {:?}", l.finding);
        }
    }
}

#[test]
fn reader_notices_point_at_the_regenerated_cells() {
    // A national table read as such has no alias notices any more (its wording is its
    // profile's); a Ningxia table in the national layout keeps its goal notice target.
    let doc = common::read(&sample("national.xlsx"));
    let mut with_alias = doc.clone();
    with_alias.discrepancies.push(
        jixiao::Finding::new(
            "read.alias",
            Severity::Info,
            &doc.tables[0],
            doc.tables[0].cell_of("goal"),
            "同义标签“年度总体目标”按“年度总体绩效目标”读取",
        )
        .field("goal"),
    );
    if let Some(f) = with_alias.discrepancies.last_mut() {
        f.table = Some(0);
    }
    let r = render(&with_alias, Layout::Classic);
    let alias = r
        .findings
        .iter()
        .find(|l| l.finding.rule == "read.alias" && l.finding.field.as_deref() == Some("goal"))
        .expect("the 年度总体目标 alias is listed");
    let (sheet, cell) = alias.target.clone().expect("located");
    // The goal's cell in the written form, where the reader finds it (the classic layout
    // prints no funding row the national table did not fill, so no fixed address).
    let back = reread(&r, "classic.xlsx");
    assert_eq!(sheet, r.sheets[0]);
    assert_eq!(Some(cell), back.tables[0].cell_of("goal"));
    // Info findings are listed but not highlighted: no note in a clean-looking table.
    let r = render(&with_alias, Layout::National);
    assert!(r
        .findings
        .iter()
        .any(|l| l.finding.severity == Severity::Info));
}

/// The XML of the n-th worksheet (1-based, in workbook order).
fn sheet_xml(bytes: &[u8], n: usize) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut f = zip
        .by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .expect("sheet xml");
    let mut s = String::new();
    f.read_to_string(&mut s).expect("utf-8");
    s
}

#[test]
fn marked_cells_carry_a_highlight_and_a_note() {
    let doc = common::read(&sample("seed-one-per-sheet.xlsx"));
    let r = render(&doc, Layout::Classic);
    // 升级改造项目尾款支付项目 is the 4th table: sheet 2 + 4.
    let xml = sheet_xml(&r.bytes, 6);
    assert!(xml.contains("<legacyDrawing"), "notes are attached");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&r.bytes)).expect("zip");
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_string())
        .collect();
    let comments = names
        .iter()
        .filter(|n| n.starts_with("xl/comments"))
        .count();
    assert!(comments >= 1, "{names:?}");
    let mut s = String::new();
    use std::io::Read;
    zip.by_name("xl/styles.xml")
        .expect("styles")
        .read_to_string(&mut s)
        .expect("utf-8");
    assert!(s.contains("FFC7CE"), "error fill is defined");
    assert!(s.contains("charset val=\"134\""), "CJK charset on fonts");
}

#[test]
fn summary_has_a_row_per_table_and_totals_with_results() {
    let doc = common::read(&sample("seed-one-per-sheet.xlsx"));
    let r = render(&doc, Layout::Classic);
    let mut book = Book::open(&r);
    let s = book.cells(SUMMARY_SHEET);
    assert_eq!(s.get("A1"), Some(&Data::String("2026年绩效表汇总".into())));
    assert_eq!(s.get("A2"), Some(&Data::String("金额单位：万元".into())));
    assert_eq!(
        s.get("B4"),
        Some(&Data::String("宁夏网络安全服务项目".into()))
    );
    assert_eq!(s.get("B14"), Some(&Data::String("总计".into())));
    // Formula cells read as their cached results.
    assert_eq!(s.get("F14"), Some(&Data::Float(920.53)));
    assert_eq!(s.get("I14"), Some(&Data::Float(131.0)));
    let formulas = book
        .xlsx
        .worksheet_formula(SUMMARY_SHEET)
        .expect("formulas");
    let f: Vec<String> = formulas.used_cells().map(|(_, _, f)| f.clone()).collect();
    assert!(f.iter().any(|x| x == "SUM(F4:F13)"), "{f:?}");
    assert_eq!(
        s.get("O4"),
        Some(&Data::String("宁夏网络安全服务项目".into()))
    );
    // The suggested grade of each table; the one with the seed's error scores lowest.
    let score = |row: u32| match s.get(&format!("M{row}")) {
        Some(Data::String(g)) => {
            assert!(
                ["优", "良", "中", "差"].iter().any(|x| g.starts_with(x)),
                "{g}"
            );
            g.trim_end_matches('分')
                .rsplit(' ')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or_else(|| panic!("{g}"))
        }
        other => panic!("M{row}: {other:?}"),
    };
    let lowest = (4..=13).min_by_key(|r| score(*r)).unwrap_or(0);
    assert_eq!(
        s.get(&format!("B{lowest}")),
        Some(&Data::String("升级改造项目尾款支付项目".into()))
    );
    // The source is named by its file name, with the sheet.
    assert_eq!(
        s.get("N4"),
        Some(&Data::String(
            "seed-one-per-sheet.xlsx\n「网络安全服务」".into()
        ))
    );
}

#[test]
fn writer_notices_are_listed() {
    let doc = common::read(&sample("national.xlsx"));
    let r = render(&doc, Layout::Classic);
    let dropped: Vec<&Finding> = r
        .findings
        .iter()
        .map(|l| &l.finding)
        .filter(|f| f.rule == "write.extra-dropped")
        .collect();
    assert_eq!(dropped.len(), doc.tables.len());
    assert!(dropped[0].message.contains("权重"));
    // A forced layout that drops data warns, under a Chinese rule name.
    assert_eq!(dropped[0].severity, Severity::Warning);
    assert_eq!(dropped[0].rule_name, "版式中没有位置的列");
    let mut doc = doc;
    doc.tables[0].goal = "长".repeat(40_000);
    let r = render(&doc, Layout::National);
    let cut = r
        .findings
        .iter()
        .find(|l| l.finding.rule == "write.text-truncated")
        .expect("the cut is reported");
    assert_eq!(cut.finding.severity, Severity::Warning);
    assert!(cut.target.is_some());
}

/// Renders as `convert` does without `--layout`: each table in its own layout.
fn render_own(doc: &Document) -> Rendered {
    let findings = jixiao::check::check(doc);
    write::render(doc, &findings, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn by_default_each_table_keeps_its_own_layout_and_nothing_is_dropped() {
    let national = common::read(&sample("national.xlsx"));
    let seed = common::read(&sample("seed-one-per-sheet.xlsx"));
    let mut doc = national.clone();
    doc.append(seed.clone());
    let r = render_own(&doc);
    assert!(
        !r.findings
            .iter()
            .any(|l| l.finding.rule.starts_with("write.")),
        "nothing dropped: {:?}",
        r.findings
            .iter()
            .filter(|l| l.finding.rule.starts_with("write."))
            .map(|l| &l.finding.message)
            .collect::<Vec<_>>()
    );
    let back = reread(&r, "own.xlsx");
    assert_eq!(back.tables.len(), 20);
    for (w, g) in doc.tables.iter().zip(&back.tables) {
        assert_same_table(w, g, w.layout, &format!("own layout: {}", w.project.name));
    }
    assert_eq!(back.tables[0].layout, Layout::National);
    assert_eq!(back.tables[10].layout, Layout::Classic);
    assert_eq!(back.tables[0].indicators[0].extra["权重"], "10");
    // 权重 and 指标值 are numbers in the national form.
    let mut book = Book::open(&r);
    let cells = book.cells(&r.sheets[0]);
    assert_eq!(cells.get("E14"), Some(&Data::Float(1.0)), "指标值");
    assert_eq!(cells.get("E16"), Some(&Data::Float(200.0)), "指标值");
    assert_eq!(cells.get("G14"), Some(&Data::Float(10.0)), "权重");
    // Text that only looks like a number stays text.
    assert_eq!(cells.get("E19"), Some(&Data::String("2026年11月前".into())));
}

#[test]
fn a_classic_table_with_extra_columns_keeps_them_in_its_own_layout() {
    let mut doc = common::read(&sample("seed-one-per-sheet.xlsx"));
    doc.tables.truncate(1);
    doc.tables[0].indicators[0]
        .extra
        .insert("备注".into(), "宣传周".into());
    let r = render_own(&doc);
    assert!(!r
        .findings
        .iter()
        .any(|l| l.finding.rule == write::form::RULE_DROPPED));
    let back = reread(&r, "classic-extra.xlsx");
    assert_eq!(back.tables[0].layout, Layout::Classic);
    assert_eq!(back.tables[0].indicators[0].extra["备注"], "宣传周");
}

#[test]
fn a_forced_layout_names_what_it_drops() {
    let national = common::read(&sample("national.xlsx"));
    let losses = write::layout_losses(&national.tables[0], Layout::Classic);
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert!(losses[0].contains("“权重”"), "{}", losses[0]);
    assert!(write::layout_losses(&national.tables[0], Layout::National).is_empty());
    let seed = common::read(&sample("seed-one-per-sheet.xlsx"));
    assert!(write::layout_losses(&seed.tables[0], Layout::National).is_empty());
}

/// A table as the reader fills it once it reads every province's form (issue 10): funding
/// lines with their printed labels, metadata, a 长期 grid, cells nothing understood. Built
/// by hand: the truth is written here.
fn v2_table() -> Table {
    use jixiao::model::{ExtraCell, FundingLine, Grid, MetaField};
    use rust_decimal::Decimal;
    let mut doc = common::read(&sample("seed-one-per-sheet.xlsx"));
    let mut t = doc.tables.swap_remove(0);
    let d = |v: i64| Some(Decimal::new(v, 0));
    t.funding.transfer.total = d(10);
    t.funding.transfer.regional = d(10);
    t.funding.transfer.central = d(0);
    t.funding.annual_total = d(55);
    t.funding.total = d(55);
    let line = |key: &str, label: &str, amount: Option<Decimal>| FundingLine {
        key: key.into(),
        label: label.into(),
        amount,
        ..FundingLine::default()
    };
    t.funding.lines = vec![
        line("annual_total", "年度资金总额", d(55)),
        line("regional", "省级资金", d(10)),
        line("general_budget", "一般公共预算", d(40)),
        line("own_income", "单位自有资金", d(5)),
    ];
    t.metadata = vec![
        MetaField {
            key: "contact".into(),
            label: "联系人".into(),
            value: "张三".into(),
            cell: None,
        },
        MetaField {
            key: "finance_opinion".into(),
            label: "财政部门审核意见".into(),
            value: "同意".into(),
            cell: None,
        },
    ];
    t.extra = vec![ExtraCell {
        label: "补充说明".into(),
        value: "分两期实施".into(),
        cell: "H30".parse().expect("a cell"),
    }];
    let mut long = t.indicators[..2].to_vec();
    long[0].name = "三年累计宣传周".into();
    long[0].value = jixiao::read::values::parse_value("3项");
    t.other_grids = vec![Grid {
        key: "long-term".into(),
        label: "长期绩效指标".into(),
        columns: Vec::new(),
        indicators: long,
    }];
    t
}

#[test]
fn the_v2_parts_are_written_in_the_form() {
    let t = v2_table();
    let doc = Document {
        tables: vec![t.clone()],
        ..Document::default()
    };
    for layout in LAYOUTS {
        let r = render(&doc, layout);
        let mut book = Book::open(&r);
        let cells = book.cells(&r.sheets[0]);
        let texts: Vec<&str> = cells
            .values()
            .filter_map(|v| match v {
                Data::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let ctx = layout.id();
        // The table's own wording of its funding lines, never another province's.
        assert!(texts.contains(&"省级资金"), "{ctx}: {texts:?}");
        assert!(!texts.contains(&"自治区资金"), "{ctx}: the seed's wording");
        // Lines the layout has no cell for get rows of their own, with their amounts.
        // The first row holding the text.
        let row_of = |text: &str| {
            cells
                .iter()
                .filter(|(_, v)| **v == Data::String(text.into()))
                .map(|(k, _)| k.trim_start_matches(char::is_alphabetic).to_string())
                .min_by_key(|r| r.parse::<u32>().unwrap_or(0))
                .unwrap_or_else(|| panic!("{ctx}: no {text}"))
        };
        let amount_in_row = |row: &str, want: f64| {
            cells.iter().any(|(k, v)| {
                k.trim_start_matches(char::is_alphabetic) == row && *v == Data::Float(want)
            })
        };
        assert!(amount_in_row(&row_of("一般公共预算"), 40.0), "{ctx}");
        assert!(amount_in_row(&row_of("单位自有资金"), 5.0), "{ctx}");
        // Metadata: 联系人 in the header (above the goal), the opinion below the grid.
        let n = |s: String| s.parse::<u32>().unwrap_or(0);
        let goal_label = match layout {
            Layout::National => "年度总体目标",
            Layout::Classic => "年度总体绩效目标",
        };
        let goal = n(row_of(goal_label));
        assert!(n(row_of("联系人")) < goal, "{ctx}");
        assert!(texts.contains(&"张三"));
        let grid = n(row_of("一级指标"));
        assert!(n(row_of("财政部门审核意见")) > grid, "{ctx}");
        assert!(texts.contains(&"同意"));
        // The 长期 grid below the annual one, under its title and a header of its own.
        let long = n(row_of("长期绩效指标"));
        assert!(long > grid + t.indicators.len() as u32, "{ctx}");
        assert!(texts.contains(&"三年累计宣传周"), "{ctx}");
        assert_eq!(
            texts.iter().filter(|s| **s == "一级指标").count(),
            2,
            "{ctx}"
        );
        // The cell nothing understood, in the 其他 block, and listed in 问题清单.
        assert!(
            texts.contains(&"其他") && texts.contains(&"分两期实施"),
            "{ctx}"
        );
        let listed = r
            .findings
            .iter()
            .find(|l| l.finding.rule == write::form::RULE_EXTRA)
            .expect("the extra cell is listed");
        assert_eq!(
            listed.finding.cell.map(|c| c.to_string()).as_deref(),
            Some("H30")
        );
        assert!(listed.target.is_some());
    }
}

#[test]
fn the_v2_parts_round_trip() {
    let t = v2_table();
    let doc = Document {
        tables: vec![t.clone()],
        ..Document::default()
    };
    for layout in LAYOUTS {
        let back = reread(&render(&doc, layout), "v2.xlsx");
        assert_eq!(back.tables.len(), 1);
        let g = &back.tables[0];
        assert_eq!(
            g.indicators.len(),
            t.indicators.len(),
            "the 长期 grid kept apart"
        );
        assert_eq!(g.other_grids.len(), 1);
        assert_eq!(g.other_grids[0].indicators.len(), 2);
        let labels: Vec<&str> = g.funding.lines.iter().map(|l| l.label.as_str()).collect();
        for want in ["省级资金", "一般公共预算", "单位自有资金"] {
            assert!(labels.contains(&want), "{labels:?}");
        }
        let meta: Vec<(&str, &str)> = g
            .metadata
            .iter()
            .map(|m| (m.label.as_str(), m.value.as_str()))
            .collect();
        assert!(meta.contains(&("联系人", "张三")), "{meta:?}");
        assert!(meta.contains(&("财政部门审核意见", "同意")), "{meta:?}");
        // The cell nothing understood comes back as such, under its label, not as an
        // indicator of the grid above it.
        let extras: Vec<(&str, &str)> = g
            .extra
            .iter()
            .map(|e| (e.label.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(extras, vec![("补充说明", "分两期实施")], "{}", layout.id());
    }
}

/// The fixture's 部门整体 table (tests/fixtures/department.xlsx), built by hand from its truth.
fn department_table() -> Table {
    use jixiao::model::{DepartmentPart, DutyTask, FundingLine, TableKind};
    use jixiao::read::values::parse_value;
    let dec = |s: &str| s.parse::<rust_decimal::Decimal>().ok();
    let mut t = Table {
        kind: TableKind::Department,
        profile: "department".into(),
        year: Some(2026),
        title: "部门整体支出绩效目标表".into(),
        unit: "万元".into(),
        goal: "完成年度国土变更调查和5个乡镇国土空间规划编制。".into(),
        ..Table::default()
    };
    t.project.department = "平江县自然资源局".into();
    t.project.department_code = Some("305001".into());
    t.funding.annual_total = dec("386.8");
    for (label, amount, parent) in [
        ("资金总额", "386.8", None),
        ("其中：基本支出", "326", Some(0)),
        ("项目支出", "60.8", Some(0)),
        ("其中：一般公共预算", "350.8", Some(0)),
        ("政府性基金预算", "30", Some(0)),
        ("其他资金", "6", Some(0)),
    ] {
        t.funding.lines.push(FundingLine {
            key: if parent.is_none() {
                "annual_total".into()
            } else {
                String::new()
            },
            label: label.into(),
            amount: dec(amount),
            parent,
            ..FundingLine::default()
        });
    }
    t.department = Some(DepartmentPart {
        duties: "负责全县自然资源调查监测评价。".into(),
        tasks: vec![
            DutyTask {
                function: "自然资源调查监测".into(),
                task: "完成年度国土变更调查".into(),
                project: "国土变更调查项目".into(),
                amount: dec("22"),
                ..DutyTask::default()
            },
            DutyTask {
                function: "国土空间规划".into(),
                task: "完成5个乡镇国土空间规划编制".into(),
                project: "乡镇国土空间规划编制项目".into(),
                amount: dec("18.5"),
                ..DutyTask::default()
            },
        ],
    });
    for (l1, l2, name, value) in [
        ("产出指标", "数量指标", "乡镇国土空间规划编制数量", "5个"),
        (
            "产出指标",
            "成本指标",
            "部门项目支出预算控制数",
            "≤60.8万元",
        ),
        ("效益指标", "社会效益指标", "全县耕地保有量", "≥48.6万亩"),
        ("满意度指标", "服务对象满意度指标", "办事群众满意度", "≥95%"),
    ] {
        t.indicators.push(jixiao::Indicator {
            level1: l1.into(),
            level2: l2.into(),
            name: name.into(),
            value: parse_value(value),
            ..jixiao::Indicator::default()
        });
    }
    t
}

#[test]
fn a_department_table_is_written_in_the_department_layout() {
    let doc = Document {
        tables: vec![department_table()],
        ..Document::default()
    };
    // Whatever layout is forced on project tables.
    for forced in [None, Some(Layout::Classic), Some(Layout::National)] {
        let findings = jixiao::check::check(&doc);
        let r = write::render(
            &doc,
            &findings,
            &Options {
                layout: forced,
                date: None,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut book = Book::open(&r);
        let cells = book.cells(&r.sheets[0]);
        let text = |k: &str| match cells.get(k) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("{k}: {other:?}"),
        };
        assert_eq!(text("A1"), "部门整体支出绩效目标表");
        assert_eq!(text("A4"), "部门（单位）名称");
        assert_eq!(text("B4"), "平江县自然资源局");
        assert_eq!(text("D4"), "部门预算编码");
        assert_eq!(text("E4"), "305001");
        assert_eq!(text("A5"), "部门职责");
        assert_eq!(text("A6"), "年度预算安排（万元）");
        assert_eq!(text("B6"), "资金总额");
        assert_eq!(cells.get("C6"), Some(&Data::Float(386.8)));
        assert_eq!(text("B7"), "其中：基本支出");
        assert_eq!(text("B8"), "项目支出");
        assert_eq!(cells.get("C8"), Some(&Data::Float(60.8)));
        assert_eq!(text("D6"), "其中：一般公共预算");
        assert_eq!(cells.get("E6"), Some(&Data::Float(350.8)));
        assert_eq!(text("D8"), "其他资金");
        assert_eq!(text("A9"), "年度总体（绩效）目标");
        assert_eq!(text("A10"), "年度履职目标");
        assert_eq!(text("B10"), "部门职能");
        assert_eq!(text("E10"), "支出项目名称");
        assert_eq!(text("B11"), "自然资源调查监测");
        assert_eq!(text("E12"), "乡镇国土空间规划编制项目");
        assert_eq!(cells.get("F12"), Some(&Data::Float(18.5)));
        assert_eq!(text("A13"), "年度绩效指标");
        assert_eq!(text("B13"), "一级指标");
        assert_eq!(text("D13"), "三级指标");
        assert_eq!(text("F13"), "指标值");
        assert_eq!(text("B14"), "产出指标");
        assert_eq!(text("D14"), "乡镇国土空间规划编制数量");
        assert_eq!(text("F17"), "≥95%");
        let merges = book.merges(&r.sheets[0]);
        for m in ["A6:A8", "A10:A12", "A13:A17", "B14:B15", "D14:E14"] {
            assert!(merges.contains(&m.to_string()), "{m} not in {merges:?}");
        }
    }
}

#[test]
fn a_department_table_round_trips() {
    let doc = Document {
        tables: vec![department_table()],
        ..Document::default()
    };
    let back = reread(&render_own(&doc), "department.xlsx");
    let (w, g) = (&doc.tables[0], &back.tables[0]);
    assert_eq!(g.kind, w.kind);
    assert_eq!(g.project.department, w.project.department);
    // The tasks as written; the reader adds where it read them (raw text and cell), which a
    // hand-built model has not: those must be there and agree with the amount.
    let (wd, gd) = (w.department.as_ref(), g.department.as_ref());
    let (wd, gd) = (wd.expect("written part"), gd.expect("read-back part"));
    assert_eq!(gd.duties, wd.duties);
    assert_eq!(gd.tasks.len(), wd.tasks.len());
    for (gt, wt) in gd.tasks.iter().zip(&wd.tasks) {
        let ctx = &wt.project;
        assert_eq!(
            (&gt.function, &gt.task, &gt.project),
            (&wt.function, &wt.task, &wt.project),
            "{ctx}"
        );
        // Decimals compare by value: 22.00 == 22.
        assert_eq!(gt.amount, wt.amount, "{ctx}");
        assert!(gt.cell.is_some(), "{ctx}: the reader keeps the cell");
        assert_eq!(
            gt.raw.parse::<rust_decimal::Decimal>().ok(),
            wt.amount,
            "{ctx}: raw"
        );
    }
    // The lines with their parents; the block prints uses on the left and sources on the
    // right, so the reader meets them row by row: the order is not compared.
    let lines = |t: &Table| -> Vec<(String, Option<rust_decimal::Decimal>, String)> {
        let l = &t.funding.lines;
        let mut v: Vec<_> = l
            .iter()
            .map(|x| {
                let parent = x.parent.map(|p| l[p].label.clone()).unwrap_or_default();
                (x.label.clone(), x.amount, parent)
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(lines(g), lines(w), "funding lines");
    let values = |t: &Table| -> Vec<(String, String, String, String)> {
        let i = &t.indicators;
        i.iter()
            .map(|x| {
                (
                    x.level1.clone(),
                    x.level2.clone(),
                    x.name.clone(),
                    x.value.raw.clone(),
                )
            })
            .collect()
    };
    assert_eq!(values(g), values(w), "indicators");
    assert_eq!(g.goal, w.goal);
    assert_eq!(g.funding.annual_total, w.funding.annual_total);
    assert_eq!(g.indicators.len(), w.indicators.len());
}

#[test]
fn level_names_follow_the_layout() {
    let doc = common::read(&sample("national.xlsx"));
    let back = reread(&render(&doc, Layout::Classic), "c.xlsx");
    let t = &back.tables[0];
    let cost = t
        .indicators
        .iter()
        .find(|i| i.class == IndicatorClass::Cost)
        .expect("cost rows");
    assert_eq!(
        (cost.level1.as_str(), cost.level2.as_str()),
        ("产出指标", "成本指标")
    );
    for i in 0..t.indicators.len() {
        assert_eq!(
            (
                t.indicators[i].level1.clone(),
                t.indicators[i].level2.clone()
            ),
            common::canonical_levels(t, i)
        );
    }
}

// ---- the command line ----

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").expect("binary is built")
}

/// The names in a folder, sorted, without the output folder's marker (`.jixiao输出`,
/// which tells folder walks not to read it back).
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The output folder's marker (a later search of a folder holding it skips it).
        .filter(|n| n != jixiao::read::OUTPUT_MARKER)
        .collect();
    v.sort();
    v
}

#[test]
fn convert_folder_with_broken_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("部门文件");
    std::fs::create_dir_all(input.join("子目录")).expect("mkdir");
    for (from, to) in [
        ("seed-one-per-sheet.xlsx", "甲.xlsx"),
        ("national.xlsx", "子目录/乙.xlsx"),
        ("seed-publication.xls", "甲.xls"),
        ("broken/truncated.xlsx", "坏.xlsx"),
        ("broken/not-a-workbook.xlsx", "子目录/假.xlsx"),
    ] {
        std::fs::copy(sample(from), input.join(to)).expect("copy");
    }
    let before: Vec<(PathBuf, Vec<u8>)> = walk(&input);
    let out = tmp.path().join("输出");
    let run = jixiao()
        .arg("convert")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--jobs", "2"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("坏.xlsx"), "{stderr}");
    assert!(stderr.contains("假.xlsx"), "{stderr}");
    assert!(stdout.contains("转换 3 个，失败 2 个"), "{stdout}");
    assert!(stdout.contains("30 张表"), "{stdout}");
    // Inputs sharing a stem get their extension, subfolders are kept; no temp files are left.
    assert_eq!(listing(&out), vec!["子目录", "甲-xls.xlsx", "甲-xlsx.xlsx"]);
    assert_eq!(listing(&out.join("子目录")), vec!["乙.xlsx"]);
    // Inputs untouched.
    assert_eq!(walk(&input), before);
    // Outputs read back.
    let doc = common::read(&out.join("甲-xlsx.xlsx"));
    assert_eq!(doc.tables.len(), 10);
    // The progress bar stays off a pipe.
    assert!(!stderr.contains('['), "{stderr}");
}

fn walk(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn convert_all_good_exits_0_and_layout_national() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let run = jixiao()
        .arg("convert")
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg(sample("yuan.xlsx"))
        .args(["--layout", "national", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{:?}", run);
    assert_eq!(listing(&out), vec!["seed-one-per-sheet.xlsx", "yuan.xlsx"]);
    let doc = common::read(&out.join("yuan.xlsx"));
    assert_eq!(doc.tables[0].layout, Layout::National);
    assert_eq!(doc.annual_total().to_string(), "242.53");
}

#[test]
fn convert_keeps_each_layout_and_warns_when_a_forced_one_drops_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let run = jixiao()
        .arg("convert")
        .arg(sample("national.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!stderr.contains("警告"), "{stderr}");
    let doc = common::read(&out.join("national.xlsx"));
    assert_eq!(doc.tables[0].layout, Layout::National);
    assert_eq!(doc.tables[0].indicators[0].extra["权重"], "10");

    let out = tmp.path().join("forced");
    let run = jixiao()
        .arg("convert")
        .arg(sample("national.xlsx"))
        .args(["--layout", "classic", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("警告") && stderr.contains("“权重”") && stderr.contains("10 张表"),
        "{stderr}"
    );
    let doc = common::read(&out.join("national.xlsx"));
    assert_eq!(doc.tables[0].layout, Layout::Classic);
}

#[test]
fn convert_refuses_to_write_into_an_input_dir() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::copy(sample("seed-one-per-sheet.xlsx"), input.join("a.xlsx")).expect("copy");
    let before = walk(&input);
    for out in [input.clone(), input.join("out")] {
        let run = jixiao()
            .arg("convert")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("输出目录"), "{stderr}");
    }
    // Naming the file, with OUTDIR its directory.
    let run = jixiao()
        .arg("convert")
        .arg(input.join("a.xlsx"))
        .arg("-o")
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    let mut after = walk(&input);
    after.retain(|(p, _)| !p.starts_with(input.join("out")));
    assert_eq!(after, before);
}

#[test]
fn atomic_save_leaves_nothing_on_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // The target is a directory: the rename fails, the temp file must go.
    let target = tmp.path().join("占用.xlsx");
    std::fs::create_dir_all(&target).expect("mkdir");
    let e = write::save_atomic(&target, b"data");
    assert!(e.is_err());
    assert_eq!(listing(tmp.path()), vec!["占用.xlsx"]);
    let ok = tmp.path().join("好.xlsx");
    write::save_atomic(&ok, b"data").expect("saves");
    assert_eq!(std::fs::read(&ok).expect("reads"), b"data");
    assert_eq!(listing(tmp.path()), vec!["占用.xlsx", "好.xlsx"]);
}

// ---- LibreOffice ----

/// Renders converted samples to PDF with LibreOffice, when it is installed: it must open them
/// (no repair), and every form must print on pages one sheet wide.
#[test]
fn libreoffice_renders_the_converted_samples() {
    let Some(soffice) = crate::common::soffice_or_skip("libreoffice_renders_the_converted_samples")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let profile = tmp.path().join("profile");
    let mut files = Vec::new();
    for (name, layout) in [
        ("seed-one-per-sheet.xlsx", Layout::Classic),
        ("national.xlsx", Layout::National),
    ] {
        let doc = common::read(&sample(name));
        let r = render(&doc, layout);
        let path = tmp
            .path()
            .join(format!("{}-{}.xlsx", layout.id(), doc.tables.len()));
        std::fs::write(&path, &r.bytes).expect("write");
        files.push((path, r.sheets.len()));
    }
    for (path, forms) in &files {
        crate::common::soffice_convert(soffice, "pdf", &[path], tmp.path(), &profile);
        let pdf = path.with_extension("pdf");
        let bytes = std::fs::read(&pdf).expect("a PDF was written");
        let pages = count_pdf_pages(&bytes);
        // 汇总 and 问题清单 take a page or two each; each form fits one page.
        assert!(pages >= forms + 2, "{pages} pages for {forms} forms");
        assert!(pages <= forms + 6, "{pages} pages for {forms} forms");
    }
}

/// Page objects in a PDF (`/Type/Page`, not `/Type/Pages`).
pub(crate) fn count_pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let compact: String = text.replace("/Type /Page", "/Type/Page");
    compact.matches("/Type/Page").count() - compact.matches("/Type/Pages").count()
}

/// A form only a user's profile knows (tests/fixtures/user-profile/: 申报项目名称, 申报单位,
/// `资金来源：省财政资金` 80 and `资金来源：市县配套资金` 20 over `申报资金合计` 100, grid headers
/// 绩效指标名称 / 预期目标值), with the profile in `jixiao-profiles/` beside it and no flag:
/// `convert` writes it in its own wording and it reads back as the same profile with the same
/// funding lines and fields; `template --from` and a blank `template --profile` keep the
/// profile's title and wording.
mod user_profile {
    use std::path::Path;

    use assert_cmd::Command;
    use calamine::{Data, Reader, Xlsx};
    use jixiao::model::Table;

    /// The hand-written truth of the form's funding: key, label, amount, role.
    const LINES: &[(&str, &str, &str, &str)] = &[
        ("provincial", "资金来源：省财政资金", "80.00", "regional"),
        ("county", "资金来源：市县配套资金", "20.00", "local"),
        ("annual_total", "申报资金合计", "100.00", "total"),
    ];

    /// The fixture folder copied into a fresh folder, which is also the working directory.
    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let src = crate::common::root().join("tests/fixtures/user-profile");
        std::fs::copy(src.join("申报表.xlsx"), dir.path().join("申报表.xlsx"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(dir.path().join("jixiao-profiles")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(
            src.join("jixiao-profiles/shenbao.toml"),
            dir.path().join("jixiao-profiles/shenbao.toml"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    fn jixiao(dir: &Path) -> Command {
        let mut c = Command::cargo_bin("jixiao").unwrap_or_else(|e| panic!("{e}"));
        c.current_dir(dir).env_remove("JIXIAO_PROFILE");
        c
    }

    /// `jixiao import --json FILE` in `dir`: the tables.
    fn import(dir: &Path, file: &str) -> Vec<Table> {
        let out = jixiao(dir).args(["import", "--json", file]).output();
        let out = out.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: jixiao::model::Document =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{file}: {e}"));
        doc.tables
    }

    fn lines(t: &Table) -> Vec<(String, String, String, String)> {
        t.funding
            .lines
            .iter()
            .map(|l| {
                (
                    l.key.clone(),
                    l.label.clone(),
                    l.amount.map(|a| format!("{a:.2}")).unwrap_or_default(),
                    l.role.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    fn truth_lines() -> Vec<(String, String, String, String)> {
        LINES
            .iter()
            .map(|(k, l, a, r)| (k.to_string(), l.to_string(), a.to_string(), r.to_string()))
            .collect()
    }

    /// The texts of a sheet's cells.
    fn texts(path: &Path, sheet: &str) -> Vec<String> {
        let mut wb: Xlsx<_> =
            calamine::open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let range = wb
            .worksheet_range(sheet)
            .unwrap_or_else(|e| panic!("{sheet}: {e}"));
        range
            .cells()
            .filter_map(|(_, _, d)| match d {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    fn same_fields(a: &Table, b: &Table, ctx: &str) {
        let (p, q) = (&a.project, &b.project);
        assert_eq!(p.name, q.name, "{ctx}: name");
        assert_eq!(p.department, q.department, "{ctx}: department");
        assert_eq!(p.implementing_unit, q.implementing_unit, "{ctx}: unit");
        assert_eq!(p.attribute, q.attribute, "{ctx}: attribute");
        assert_eq!(p.period, q.period, "{ctx}: period");
        assert_eq!(a.goal, b.goal, "{ctx}: goal");
        assert_eq!(
            crate::common::indicator_rows(a),
            crate::common::indicator_rows(b),
            "{ctx}: indicators"
        );
    }

    #[test]
    fn a_user_profile_form_converts_in_its_own_wording_and_reads_back_the_same() {
        let dir = folder();
        let source = import(dir.path(), "申报表.xlsx");
        assert_eq!(source.len(), 1);
        let t = &source[0];
        // The hand-written truth of the source.
        assert_eq!(t.profile.id, "shenbao");
        assert_eq!(t.project.name, "农村公路养护工程");
        assert_eq!(t.project.department, "某县交通运输局");
        assert_eq!(t.indicators.len(), 9);
        assert_eq!(lines(t), truth_lines());
        // A correct table of the form draws no error and no warning.
        let out = jixiao(dir.path())
            .args(["check", "--json", "申报表.xlsx"])
            .output();
        let out = out.unwrap_or_else(|e| panic!("{e}"));
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        let loud: Vec<&serde_json::Value> = report["discrepancies"]
            .as_array()
            .map(|a| a.iter().filter(|f| f["severity"] != "info").collect())
            .unwrap_or_default();
        assert!(loud.is_empty(), "{loud:?}");

        jixiao(dir.path())
            .args(["convert", "申报表.xlsx", "-o", "整理后"])
            .assert()
            .success();
        let out = dir.path().join("整理后/申报表.xlsx");
        let back = import(dir.path(), "整理后/申报表.xlsx");
        assert_eq!(back.len(), 1);
        let b = &back[0];
        assert_eq!(b.profile.id, "shenbao", "read back as another profile");
        assert_eq!(lines(b), truth_lines());
        same_fields(t, b, "convert");
        assert_eq!(b.title, "2027年度某省项目支出绩效目标申报表");
        // In the form's own wording: its labels and its grid headers, none of the layout's.
        let words = texts(&out, "农村公路养护工程");
        for w in [
            "申报项目名称",
            "申报单位",
            "资金来源：省财政资金",
            "资金来源：市县配套资金",
            "申报资金合计",
            "绩效指标名称",
            "预期目标值",
        ] {
            assert!(words.iter().any(|x| x == w), "{w} not written: {words:?}");
        }
        for w in ["项目名称", "三级指标", "指标值", "年度资金总额"] {
            assert!(!words.iter().any(|x| x == w), "{w} written: {words:?}");
        }
    }

    #[test]
    fn templates_of_a_user_profile_keep_its_title_wording_and_funding() {
        let dir = folder();
        jixiao(dir.path())
            .args([
                "template",
                "--from",
                "申报表.xlsx",
                "--all",
                "-o",
                "2028.xlsx",
            ])
            .assert()
            .success();
        let next = import(dir.path(), "2028.xlsx");
        assert_eq!(next.len(), 1);
        let t = &next[0];
        assert_eq!(t.profile.id, "shenbao");
        assert_eq!(t.title, "2028年度某省项目支出绩效目标申报表");
        assert_eq!(lines(t), truth_lines());
        let words = texts(&dir.path().join("2028.xlsx"), "农村公路养护工程");
        for w in ["申报项目名称", "申报单位", "绩效指标名称", "预期目标值"] {
            assert!(words.iter().any(|x| x == w), "{w} not written: {words:?}");
        }

        jixiao(dir.path())
            .args([
                "template",
                "--year",
                "2028",
                "--profile",
                "shenbao",
                "-o",
                "blank.xlsx",
            ])
            .assert()
            .success();
        let words = texts(&dir.path().join("blank.xlsx"), "绩效表");
        for w in [
            "2028年度某省项目支出绩效目标申报表",
            "申报项目名称",
            "申报单位",
            "申报资金合计",
        ] {
            assert!(words.iter().any(|x| x == w), "{w} not written: {words:?}");
        }
    }
}
