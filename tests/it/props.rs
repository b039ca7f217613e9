//! Property tests of the reader's text parsers: whatever is typed in a cell, parsing never
//! panics, keeps what was typed, and normalising a label twice changes nothing.

use jixiao::read::labels::{normalize_label, Labels};
use jixiao::read::values::{
    collapse_spaces, fold_width, join_split_value, money_scale, parse_amount_text, parse_nature,
    parse_value, strip_markup, MoneyUnit,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Cases per property (the issue asks for at least 1,000).
const CASES: u32 = 2_000;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        // Failures are reported with their minimal input; no regression files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
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
    fn split_columns_never_panic(a in cell_text(), b in cell_text(), c in cell_text()) {
        let v = join_split_value(&a, &b, &c);
        if parse_nature(&a).is_none() && !a.trim().is_empty() {
            prop_assert!(v.number.is_none());
        }
    }

    #[test]
    fn parse_amount_never_panics_and_converts(s in cell_text()) {
        if let Some(a) = parse_amount_text(&s) {
            // What the reader does with an amount: convert to 万元, give it two decimals.
            let wan = a.unit.map_or(a.value, |u| u.to_wan(a.value));
            let scaled = money_scale(wan);
            prop_assert!(scaled.scale() >= 2 || scaled.is_zero() || scaled.scale() == 0);
        }
    }

    #[test]
    fn huge_amounts_never_overflow(digits in "[1-9][0-9]{20,40}", unit in prop::sample::select(vec!["", "万元", "元", "亿元"])) {
        let text = format!("{digits}{unit}");
        if let Some(a) = parse_amount_text(&text) {
            for u in [MoneyUnit::Wan, MoneyUnit::Yuan, MoneyUnit::Yi] {
                let _ = money_scale(u.to_wan(a.value));
            }
        }
        let _ = parse_value(&text);
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
