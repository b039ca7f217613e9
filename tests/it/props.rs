//! Property tests of the reader's text parsers: whatever is typed in a cell, parsing never
//! panics, keeps what was typed, and normalising a label twice changes nothing.

use jixiao::read::labels::{normalize_label, Labels};
use jixiao::read::values::{
    collapse_spaces, fold_width, join_split_value, money_scale, parse_amount_text, parse_nature,
    parse_value, strip_markup, MoneyUnit,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Cases per property (the issue asks for at least 1,000); `PROPTEST_CASES` overrides.
const CASES: u32 = 2_000;

fn config_with(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        // Failures are reported with their minimal input; no regression files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn config() -> ProptestConfig {
    config_with(CASES)
}

/// Text as it turns up in department files: digits (ASCII and full-width), separators,
/// comparators, units, CJK, odd spaces, combining marks, markup — and anything at all.
fn cell_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[0-9]{1,30}",
        "[０-９]{1,6}",
        Just(",".to_string()),
        Just("，".to_string()),
        Just(".".to_string()),
        Just("．".to_string()),
        Just("-".to_string()),
        Just("—".to_string()),
        Just("%".to_string()),
        Just("％".to_string()),
        prop::sample::select(vec![
            "≥",
            "≤",
            ">=",
            "<=",
            "＞",
            "＜",
            "=",
            "＝",
            "≧",
            "≦",
            "不低于",
            "不超过",
            "大于",
            "小于",
            "定性",
            "正向",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "万元", "元", "亿元", "万", "项", "个", "次", "人", "天", "小时", "年", "月", "日",
            "万次", "无", "良",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            " ", "\u{3000}", "\t", "\n", "\r\n", "\u{a0}", "\u{2002}", "\u{200b}", "\u{feff}",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "其中",
            "其中:",
            "其中：",
            ":",
            "：",
            "*",
            "(",
            ")",
            "（",
            "）",
            "项目名称",
            "资金",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "\u{301}",
            "\u{308}",
            "\u{a8}",
            "\u{2126}",
            "\u{fb01}",
            "\u{2460}",
            "\u{3251}",
            "\u{ff61}",
            "\u{1100}\u{1161}",
            "e",
            "ﾞ",
            "ｶ",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec!["<p>", "</p>", "<br/>", "&nbsp;", "&lt;", "&amp;"])
            .prop_map(str::to_string),
        "\\PC{1,4}",
        any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_value_never_panics_and_keeps_raw(s in cell_text()) {
        let v = parse_value(&s);
        prop_assert_eq!(&v.raw, s.trim());
        if v.number.is_some() {
            prop_assert!(v.comparator.is_some());
        }
        // Parsing what was kept gives the same split.
        let again = parse_value(&v.raw);
        prop_assert_eq!(again, v);
    }

    #[test]
    fn split_columns_join_as_a_person_reads_them(a in cell_text(), b in cell_text(), c in cell_text()) {
        let v = join_split_value(&a, &b, &c);
        // The sign (none for ＝ and 定性), then the value, then the unit, as typed.
        let sign = match parse_nature(&a) {
            Some("=") | None => "",
            Some(s) => s,
        };
        // A unit the value already states is not said twice, and a unit beside a blank value
        // is no value.
        let unit = if b.trim().is_empty() || b.trim().ends_with(c.trim()) { "" } else { c.trim() };
        let joined = format!("{sign}{}{unit}", b.trim());
        prop_assert_eq!(&v.raw, joined.trim());
        let one = parse_value(&v.raw);
        let alone = parse_value(&format!("{sign}{}", b.trim()));
        if parse_nature(&a).is_none() && a.contains("定性") {
            // Declared qualitative: never split into a number.
            prop_assert!(v.number.is_none() && v.comparator.is_none() && v.unit.is_none());
        } else if one.number.is_none()
            && alone.number.is_some()
            && alone.unit.as_deref().is_none_or(str::is_empty)
            && jixiao::read::values::long_unit(unit)
        {
            // A number beside a unit too long for one cell (`0.6` | `元/平方米·月`).
            prop_assert_eq!(v.number, alone.number);
            prop_assert_eq!(v.comparator, alone.comparator);
            prop_assert_eq!(v.unit.as_deref(), Some(unit));
        } else {
            // Otherwise (a sign, 定量, or nothing) read exactly as the joined text typed in
            // one cell.
            prop_assert_eq!(v.number, one.number);
            prop_assert_eq!(v.comparator, one.comparator);
            prop_assert_eq!(v.unit, one.unit);
        }
    }

    #[test]
    fn parse_amount_never_panics_and_converts(s in cell_text()) {
        if let Some(a) = parse_amount_text(&s) {
            // What the reader does with an amount: convert to 万元, give it two decimals.
            let wan = a.unit.map_or(a.value, |u| u.to_wan(a.value));
            let scaled = money_scale(wan);
            // The value never changes; it shows two decimals at least, wherever the 28 digits
            // of a decimal leave room for them.
            prop_assert_eq!(scaled, wan);
            let text = scaled.to_string();
            let decimals = text.split('.').nth(1).map_or(0, str::len);
            let room = wan.abs() < Decimal::from_i128_with_scale(10_i128.pow(26), 0);
            prop_assert!(decimals >= 2 || !room, "{} shown as {}", wan, text);
            if a.unit == Some(MoneyUnit::Yi) && a.value.abs() < Decimal::from(1_000_000_000_000_i64) {
                prop_assert_eq!(wan, a.value * Decimal::from(10_000));
            }
        }
    }

    #[test]
    fn huge_amounts_are_exact_or_refused(digits in "[1-9][0-9]{20,40}", unit in prop::sample::select(vec!["", "万元", "元", "亿元"])) {
        let text = format!("{digits}{unit}");
        let exact = digits.parse::<Decimal>().ok();
        match parse_amount_text(&text) {
            // A number that fits is read digit for digit, never rounded.
            Some(a) => {
                prop_assert_eq!(Some(a.value), exact, "{}", text);
                for u in [MoneyUnit::Wan, MoneyUnit::Yuan, MoneyUnit::Yi] {
                    // Converting never wraps: 亿元 grows (saturating), 元 shrinks.
                    let wan = u.to_wan(a.value);
                    prop_assert!(wan > Decimal::ZERO);
                    match u {
                        MoneyUnit::Yi => prop_assert!(wan >= a.value),
                        MoneyUnit::Yuan => prop_assert!(wan < a.value),
                        MoneyUnit::Wan => prop_assert_eq!(wan, a.value),
                    }
                    prop_assert_eq!(money_scale(wan), wan);
                }
            }
            // One past the decimal's 28 digits is refused, not read as something else.
            None => prop_assert!(exact.is_none(), "{} fits but was refused", text),
        }
        prop_assert_eq!(parse_value(&text).raw, text);
    }

    #[test]
    fn label_normalisation_is_idempotent(s in cell_text()) {
        let once = normalize_label(&s);
        prop_assert_eq!(normalize_label(&once), once.clone(), "input {:?}", s);
        let _ = Labels::builtin().lookup(&s);
    }

    #[test]
    fn spacing_and_markup_never_panic(s in cell_text()) {
        let once = collapse_spaces(&s);
        prop_assert_eq!(collapse_spaces(&once), once.clone());
        if let Some(stripped) = strip_markup(&s) {
            prop_assert_eq!(collapse_spaces(&stripped), stripped);
        }
        let _ = fold_width(&s);
    }
}

#[test]
fn amounts_at_the_decimal_limit() {
    // The largest decimal, in 亿元: converting to 万元 must not panic.
    let max = Decimal::MAX.to_string();
    for text in [
        format!("{max}亿元"),
        format!("-{max}亿元"),
        format!("{max}万元"),
    ] {
        if let Some(a) = parse_amount_text(&text) {
            let _ = money_scale(a.unit.map_or(a.value, |u| u.to_wan(a.value)));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writer: generated models round trip; text stays text; over-long text is cut with a finding
// ---------------------------------------------------------------------------------------------

mod written {
    use std::io::{Cursor, Read};
    use std::path::Path;

    use jixiao::model::{Document, Indicator, IndicatorClass, Layout, Table};
    use jixiao::read::labels::{Framework, Labels};
    use jixiao::read::locate::split_department_code;
    use jixiao::read::values::{collapse_spaces, parse_value, strip_markup};
    use jixiao::write::{self, Options, Rendered};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// Cases per writer property: each checks, renders and reads back a workbook.
    const CASES: u32 = 1_000;

    fn config() -> ProptestConfig {
        super::config_with(CASES)
    }

    /// Pieces of hostile text: formula starters, Excel's own `_xHHHH_` escapes, control and
    /// invisible characters, astral planes, markup-like punctuation, real words.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::sample::select(vec![
                "网络", "安全", "应急", "演练", "培训", "运维", "平台", "服务", "系统", "宁夏",
                "办公室", "尾款", "监理", "A", "b", "2", "（", "）", "、", "，", "。", "；",
            ])
            .prop_map(str::to_string),
            2 => prop::sample::select(vec!["=", "+", "-", "@", "=SUM(A1:A9)", "=1+1", "@A1",
                "-1", "+86", "=HYPERLINK(\"http://x\")", "'", "\"", "\t"])
            .prop_map(str::to_string),
            1 => "_x[0-9A-F]{4}_",
            1 => prop::sample::select(vec!["&", "&amp;", "<", ">", "]]>", "<![CDATA[", "\\"])
                .prop_map(str::to_string),
            1 => prop::sample::select(vec![
                "\u{1}", "\u{8}", "\u{b}", "\u{1f}", "\u{7f}", "\u{85}", "\u{200b}", "\u{200d}",
                "\u{202e}", "\u{feff}", "\u{fffd}", "\u{fffe}", "\u{e000}", "\u{d7ff}",
            ])
            .prop_map(str::to_string),
            1 => prop::sample::select(vec!["𠀀", "𪚥", "😀", "👨‍👩‍👧", "🇨🇳", "\u{1d11e}", "é", "e\u{301}"])
                .prop_map(str::to_string),
            1 => "\\PC{1,3}",
        ]
    }

    /// Text as the reader gives it back (spaces collapsed, no markup), and that the reader
    /// takes as a value, not as a label, a level or a year line.
    fn text(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 1..=max)
            .prop_map(|v| collapse_spaces(&v.concat()))
            .prop_filter("a plain value", |t| plain(t))
    }

    fn plain(t: &str) -> bool {
        let fw = Framework::builtin();
        !t.is_empty()
            && strip_markup(t).is_none()
            && Labels::builtin().lookup(t).is_none()
            && fw.level1(t).is_none()
            && fw.level2(t).is_empty()
            && !t.contains('年')
            && split_department_code(t).0.is_none()
    }

    fn amount() -> impl Strategy<Value = Option<Decimal>> {
        prop::option::weighted(
            0.9,
            prop_oneof![
                (0i64..10_000_000_000_000).prop_map(|c| Decimal::new(c, 2)),
                (0i64..100_000_000_000_000).prop_map(|c| Decimal::new(c, 4)),
            ],
        )
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            (1u32..1000).prop_map(|n| format!("{n}项")),
            (1u32..100).prop_map(|n| format!("≥{n}%")),
            (1u32..100).prop_map(|n| format!("=≤{n}小时")),
            (1u32..10000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b:02}万元")),
            text(5),
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
            let (l1, l2) = write::layout::FormLayout::builtin(Layout::Classic)
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
            goal in text(40),
            amounts in prop::collection::vec(amount(), 9),
            mut indicators in prop::collection::vec(indicator(), 1..12),
        ) -> Table {
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

    /// Renders with the checker's findings, as `jixiao convert` does.
    fn render(doc: &Document, layout: Layout) -> Result<Rendered, TestCaseError> {
        let findings = jixiao::check::check(doc);
        write::render(
            doc,
            &findings,
            &Options {
                layout: Some(layout),
                date: None,
            },
        )
        .map_err(|e| TestCaseError::fail(format!("render: {e}")))
    }

    fn reread(r: &Rendered) -> Result<Document, TestCaseError> {
        jixiao::read_bytes(Path::new("generated.xlsx"), &r.bytes)
            .map_err(|e| TestCaseError::fail(format!("read back: {e}")))
    }

    /// Every worksheet's XML, by name in workbook order.
    fn sheet_xml(bytes: &[u8]) -> Vec<String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("output is a zip");
        let mut names: Vec<String> = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.to_string()))
            .filter(|n| n.starts_with("xl/worksheets/sheet"))
            .collect();
        names.sort_by_key(|n| {
            n.trim_start_matches("xl/worksheets/sheet")
                .trim_end_matches(".xml")
                .parse::<u32>()
                .unwrap_or(0)
        });
        names
            .iter()
            .map(|n| {
                let mut s = String::new();
                zip.by_name(n)
                    .expect("sheet")
                    .read_to_string(&mut s)
                    .expect("UTF-8");
                s
            })
            .collect()
    }

    /// The formulas (`<f>…</f>`) in a sheet's XML.
    fn formulas(xml: &str) -> Vec<&str> {
        xml.match_indices("<f>")
            .filter_map(|(i, _)| {
                let rest = &xml[i + 3..];
                rest.find("</f>").map(|j| &rest[..j])
            })
            .chain(xml.match_indices("<f ").map(|_| "<f with attributes>"))
            .collect()
    }

    /// Text is written as text: the form sheets and 问题清单 hold no formula, 汇总 only its
    /// totals (`SUM(…)`).
    fn assert_no_formula_but_totals(r: &Rendered) -> Result<(), TestCaseError> {
        let sheets = sheet_xml(&r.bytes);
        for (i, xml) in sheets.iter().enumerate() {
            for f in formulas(xml) {
                let total = i == 0
                    && f.starts_with("SUM(")
                    && f[4..].trim_end_matches(')').chars().all(|c| {
                        c.is_ascii_uppercase() || c.is_ascii_digit() || c == ':' || c == '$'
                    });
                prop_assert!(total, "sheet {} holds a formula {:?}", i + 1, f);
            }
        }
        Ok(())
    }

    fn assert_same(want: &Document, got: &Document) -> Result<(), TestCaseError> {
        prop_assert_eq!(got.tables.len(), want.tables.len(), "table count");
        for (w, g) in want.tables.iter().zip(&got.tables) {
            prop_assert_eq!(&g.project, &w.project);
            prop_assert_eq!(&g.funding.views(), &w.funding.views());
            prop_assert_eq!(&g.goal, &w.goal);
            prop_assert_eq!(g.indicators.len(), w.indicators.len(), "indicator count");
            for (gi, wi) in g.indicators.iter().zip(&w.indicators) {
                prop_assert_eq!(&gi.name, &wi.name);
                prop_assert_eq!(&gi.value, &wi.value);
                prop_assert_eq!(gi.class, wi.class);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn hostile_text_round_trips_as_text(
            tables in prop::collection::vec(table(), 1..3),
            national in any::<bool>(),
        ) {
            let doc = Document { tables, ..Document::default() };
            let layout = if national { Layout::National } else { Layout::Classic };
            let r = render(&doc, layout)?;
            assert_no_formula_but_totals(&r)?;
            let back = reread(&r)?;
            assert_same(&doc, &back)?;
        }

        #[test]
        fn text_over_the_cell_limit_is_cut_with_a_finding(
            t in table(),
            len in 32_760usize..40_000,
            wide in any::<bool>(),
            field in 0usize..4,
        ) {
            // Han characters are one UTF-16 unit; astral ones two.
            let unit = if wide { "𠀀" } else { "长" };
            let long: String = unit.repeat(len / unit.encode_utf16().count());
            let units = long.encode_utf16().count();
            let mut t = t;
            match field {
                0 => t.goal = long.clone(),
                1 => t.project.name = long.clone(),
                2 => t.indicators[0].name = long.clone(),
                _ => t.indicators[0].value = parse_value(&long),
            }
            let doc = Document { tables: vec![t], ..Document::default() };
            let r = render(&doc, Layout::Classic)?;
            assert_no_formula_but_totals(&r)?;
            let back = reread(&r)?;
            let got = &back.tables[0];
            let kept = match field {
                0 => got.goal.clone(),
                1 => got.project.name.clone(),
                2 => got.indicators[0].name.clone(),
                _ => got.indicators[0].value.raw.clone(),
            };
            prop_assert!(kept.encode_utf16().count() <= 32_767);
            prop_assert!(long.starts_with(&kept), "kept text is a prefix of the original");
            if units > 32_767 {
                prop_assert!(
                    r.findings.iter().any(|l| l.finding.rule == "write.text-truncated"),
                    "no write.text-truncated finding for {} units", units
                );
            } else {
                prop_assert_eq!(kept, long);
            }
        }
    }
}

mod year_shift {
    //! `template --from` moves each table by its own year difference (issue 20 point 3): for any
    //! table and any shift, every year in its texts moves by the same amount, so every date
    //! range stays ordered.
    use jixiao::model::{DepartmentPart, DutyTask, Indicator, Project, Table};
    use jixiao::template::{carry_over, CarryOptions};
    use jixiao::Document;
    use proptest::prelude::*;

    use super::config_with;

    /// A date range as departments write it, with its two years (start ≤ end).
    fn range() -> impl Strategy<Value = (String, i32, i32)> {
        (2000..2080i32, 0..4i32, 1..13u32, 1..13u32, 0..4usize).prop_map(
            |(a, len, m1, m2, form)| {
                let b = a + len;
                let text = match form {
                    0 => format!("{a}.{m1:02}-{b}.{m2:02}"),
                    1 => format!("{a}年{m1}月至{b}年{m2}月"),
                    2 => format!("{a}-{b}年"),
                    _ => format!("{a}年{m1}月—{b}年{m2}月"),
                };
                (text, a, b)
            },
        )
    }

    /// Every standalone four-digit year in a text, in order.
    fn years(text: &str) -> Vec<i32> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
                let run: String = chars[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                if run.len() == 4 {
                    out.push(run.parse().unwrap_or_default());
                }
                i += run.chars().count();
            } else {
                i += 1;
            }
        }
        out
    }

    proptest! {
        #![proptest_config(config_with(500))]

        #[test]
        fn every_year_moves_by_the_same_amount_and_ranges_stay_ordered(
            tables in proptest::collection::vec(
                (2015..2030i32, proptest::collection::vec(range(), 1..5)), 1..4),
            target_ahead in 1..6i32,
        ) {
            let latest = tables.iter().map(|(y, _)| *y).max().unwrap_or(2026);
            let target = latest + target_ahead;
            let doc = Document {
                tables: tables
                    .iter()
                    .enumerate()
                    .map(|(i, (year, ranges))| {
                        let text = |k: usize| ranges[k % ranges.len()].0.clone();
                        Table {
                            year: Some(*year),
                            title: format!("{year}年项目支出绩效目标表"),
                            project: Project {
                                name: format!("项目{i}"),
                                attribute: "经常性项目".into(),
                                ..Project::default()
                            },
                            goal: format!("服务周期{}", text(0)),
                            indicators: vec![Indicator {
                                name: format!("实施期间{}", text(1)),
                                value: jixiao::read::values::parse_value(&text(2)),
                                ..Indicator::default()
                            }],
                            department: Some(DepartmentPart {
                                duties: String::new(),
                                tasks: vec![DutyTask {
                                    task: format!("{}完成", text(3)),
                                    ..DutyTask::default()
                                }],
                            }),
                            ..Table::default()
                        }
                    })
                    .collect(),
                ..Document::default()
            };
            let carried = carry_over(
                &doc,
                CarryOptions { year: target, keep_all: false, clear_amounts: false },
            );
            prop_assert_eq!(carried.doc.tables.len(), doc.tables.len());
            prop_assert_eq!(carried.mixed_years(), tables.iter().any(|(y, _)| *y != tables[0].0));
            for ((old, new), moved) in doc.tables.iter().zip(&carried.doc.tables).zip(&carried.moved) {
                let by = target - old.year.unwrap_or(target - 1);
                prop_assert_eq!(moved.by, by);
                prop_assert_eq!(new.year, Some(target));
                let task = |t: &Table| t.department.as_ref().map(|d| d.tasks[0].task.clone()).unwrap_or_default();
                let pairs = [
                    (old.title.clone(), new.title.clone()),
                    (old.goal.clone(), new.goal.clone()),
                    (old.indicators[0].name.clone(), new.indicators[0].name.clone()),
                    (old.indicators[0].value.raw.clone(), new.indicators[0].value.raw.clone()),
                    (task(old), task(new)),
                ];
                for (before, after) in pairs {
                    let was = years(&before);
                    let now = years(&after);
                    prop_assert_eq!(now.len(), was.len(), "{} → {}", before, after);
                    for (w, n) in was.iter().zip(&now) {
                        prop_assert_eq!(*n, w + by, "{} → {}", before, after);
                    }
                    prop_assert!(now.windows(2).all(|p| p[0] <= p[1]), "out of order: {}", after);
                }
            }
        }
    }
}
