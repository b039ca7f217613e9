//! What a header cell looks like, whatever field it names: a label (short, words only, a
//! note in brackets allowed), a list item's number, a label and its value typed in one cell.

use std::sync::OnceLock;

use regex::Regex;

use super::tokens::Tok;
use crate::read::grid::CellValue;
use crate::read::values::collapse_spaces;

/// A label without the number of its place in a list (`一、预算资金` → `预算资金`, `(二)其他`,
/// `3.自有资金`).
pub(super) fn strip_numbering(label: &str) -> &str {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十0-9]+\s*[)）]|[0-9]{1,2}\s*[、.．])\s*")
            .unwrap()
    });
    match re.find(label) {
        // `1.5`: a number, not a place in a list.
        Some(m) if label[m.end()..].starts_with(|c: char| c.is_ascii_digit()) => label,
        Some(m) => &label[m.end()..],
        None => label,
    }
}

/// The longest label no field answers to read first on a row of just it and its value.
pub(super) const LONG_LABEL_CHARS: usize = 20;

/// A cell that reads as a label though no field answers to it: a short text of words only
/// (Chinese characters, brackets, a colon; no digit, no symbol), of two to twelve characters.
pub(super) fn looks_like_label(t: &Tok<'_>) -> bool {
    words_only(t, 12)
}

/// A text of words only (Chinese characters, brackets, a colon) of two to `max` characters.
pub(super) fn words_only(t: &Tok<'_>, max: usize) -> bool {
    if !matches!(t.value, CellValue::Text(_)) {
        return false;
    }
    // A note in brackets is part of the label (`单位职能概述(450字内)`, `(如20190101)`).
    let bare: Vec<char> = without_notes(&t.text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let words = bare
        .iter()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(*c))
        .count();
    (2..=max).contains(&words)
        && bare
            .iter()
            .all(|c| ('\u{4e00}'..='\u{9fff}').contains(c) || "()（）:：、/".contains(*c))
}

/// A text with its bracketed notes (brackets holding a Chinese word: `(450字内)`, `(万元)`)
/// left out; a bracket of digits only (`(2021)`) stays.
fn without_notes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['(', '（']) {
        let after = &rest[open..];
        let close = after.find([')', '）']);
        let inner = close.map(|c| &after[after.chars().next().map_or(1, char::len_utf8)..c]);
        match (close, inner) {
            (Some(c), Some(inner))
                if inner
                    .chars()
                    .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)) =>
            {
                out.push_str(&rest[..open]);
                rest = &after[c + after[c..].chars().next().map_or(1, char::len_utf8)..];
            }
            _ => {
                let step = open + after.chars().next().map_or(1, char::len_utf8);
                out.push_str(&rest[..step]);
                rest = &rest[step..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A cell ending in a colon (`政府性基金预算拨款:`): a label waiting for its value, never one.
pub(super) fn ends_label(t: &Tok<'_>) -> bool {
    matches!(t.value, CellValue::Text(_)) && t.text.trim_end().ends_with([':', '：'])
}

/// A cell of a label no field answers to and its value, typed together
/// (`起始日期:2019年 1 月 1日`): the label (two to eight characters of words) and the value.
pub(super) fn unknown_inline_pair<'t>(t: &'t Tok<'_>) -> Option<(&'t str, &'t str)> {
    let CellValue::Text(text) = t.value else {
        return None;
    };
    if t.label.is_some() || t.inline_value.is_some() {
        return None;
    }
    let at = text.find([':', '：'])?;
    let (l, v) = text.split_at(at);
    let (l, v) = (l.trim(), v.trim_start_matches([':', '：']).trim());
    let n = l.chars().count();
    let words = (2..=8).contains(&n) && l.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    (words && !v.is_empty()).then_some((l, v))
}

/// A label typed with its value in one cell (`预算单位:某局`): the part before the colon.
pub(super) fn label_before_colon(t: &Tok<'_>) -> String {
    match t.text.find(['：', ':']) {
        Some(at) => collapse_spaces(&t.text[..at]),
        None => collapse_spaces(&t.text),
    }
}
