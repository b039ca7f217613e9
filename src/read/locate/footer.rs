//! Stage 6: the rows under the grid (sign-offs, opinions, contacts): the table's metadata.

use super::label_shape::words_only;
use super::meta::{read_meta, read_unknown_label, read_unknown_pair};
use super::tokens::Tok;
use super::Draft;
use crate::read::grid::CellValue;

/// True for a row that starts with a metadata label (财政部门审核意见, 填表人, 联系电话, …), or
/// for a note written under a grid column's header word (`备注 | 本表由…`).
pub(super) fn is_footer_row(toks: &[Tok<'_>]) -> bool {
    toks.first()
        .and_then(Tok::field)
        .is_some_and(|f| f.starts_with("meta."))
        || is_note_under_header_word(toks)
}

/// A row of just a grid column's header word and a text (`备注 | 本表由项目单位填报`).
fn is_note_under_header_word(toks: &[Tok<'_>]) -> bool {
    matches!(toks, [word, text] if word.field() == Some("grid.extra") && text.label.is_none())
}

/// True for a row of sign-off words only (`（盖章）`, `年 月 日`).
pub(super) fn is_note_row(toks: &[Tok<'_>]) -> bool {
    toks.iter().all(|t| {
        let bare: String = t.text.chars().filter(|c| !c.is_whitespace()).collect();
        t.field().is_some_and(|f| f.starts_with("meta.")) || bare == "年月日"
    })
}

/// A review row (`财政部门绩效评价股审核意见 | (盖章)`): a cell of words only that no field
/// answers to (a reviewer's name for itself may be long), and the one cell after it,
/// whatever that says.
/// A number after the words is a total or a score (`总分 | 99.6`), never a review.
pub(super) fn is_review_row(toks: &[Tok<'_>]) -> bool {
    matches!(toks, [label, value] if label.label.is_none()
        && words_only(label, REVIEW_LABEL_CHARS)
        && matches!(value.value, CellValue::Text(_)))
}

/// A review row whose value is a sign-off word (`区扶贫办审核意见 | (盖章)`): under a grid
/// wherever it starts.
pub(super) fn is_sealed(toks: &[Tok<'_>]) -> bool {
    matches!(toks, [_, seal] if seal.field().is_some_and(|f| f.starts_with("meta.")))
}

/// A row of one cell typed `label：value` (`上报时间:  2021 年10  月 26日`), its label words only
/// and no field's: under a grid, a sign-off line of its own. The label and the value; `None`
/// when the row is not one.
pub(super) fn label_value_cell<'t>(toks: &'t [Tok<'_>]) -> Option<(&'t str, &'t str)> {
    let [t] = toks else {
        return None;
    };
    if t.label.is_some() || !matches!(t.value, CellValue::Text(_)) {
        return None;
    }
    let at = t.text.find(['：', ':'])?;
    let (label, rest) = t.text.split_at(at);
    let value = rest.trim_start_matches(['：', ':']).trim();
    let words = label.chars().filter(|c| !c.is_whitespace()).count();
    let wordy = label
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || "()（）、/".contains(c));
    ((2..=REVIEW_LABEL_CHARS).contains(&words) && wordy && !value.is_empty())
        .then_some((label, value))
}

/// The longest review label read under a grid, in characters.
const REVIEW_LABEL_CHARS: usize = 20;

/// A sign-off row: each metadata label with the value after it.
pub(super) fn read_footer_row(d: &mut Draft<'_>, toks: &[Tok<'_>]) {
    if is_note_under_header_word(toks) {
        read_meta(d, toks, 0);
        return;
    }
    if let [label, value] = toks {
        if is_review_row(toks) {
            read_unknown_label(d, label, value);
            return;
        }
    }
    if let (Some((label, value)), [t]) = (label_value_cell(toks), toks) {
        read_unknown_pair(d, t.cell, label, t.cell, value);
        return;
    }
    let mut i = 0;
    while i < toks.len() {
        if toks[i].field().is_some_and(|f| f.starts_with("meta.")) {
            i += read_meta(d, toks, i);
        } else {
            i += 1;
        }
    }
}
