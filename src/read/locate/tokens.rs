//! Stage 1: each row's non-empty cells, classified by the label they hold.

use std::borrow::Cow;

use crate::cell::CellRef;
use crate::read::grid::{CellValue, Row};
use crate::read::labels::{normalize_label, FieldDef, LabelMatch, Labels};

/// One non-empty cell of a row, classified.
#[derive(Debug, Clone)]
pub(super) struct Tok<'a> {
    pub(super) cell: CellRef,
    pub(super) value: &'a CellValue,
    pub(super) text: String,
    pub(super) label: Option<(&'static FieldDef, LabelMatch)>,
    /// For `项目名称：甲` in one cell: the value part.
    pub(super) inline_value: Option<String>,
    /// A text cell's [`normalize_label`], made once per sheet (`None` for other values).
    pub(super) norm: Option<&'a str>,
    /// For a text cell: whether its whole text is a label ([`Labels::lookup`]); `None` for
    /// other values.
    pub(super) is_label: Option<bool>,
}

impl Tok<'_> {
    pub(super) fn field(&self) -> Option<&str> {
        self.label.as_ref().map(|(f, _)| f.id.as_str())
    }

    /// [`normalize_label`] of the cell's text.
    pub(super) fn normalized(&self) -> Cow<'_, str> {
        match self.norm {
            Some(n) => Cow::Borrowed(n),
            None => Cow::Owned(normalize_label(&self.text)),
        }
    }
}

/// [`normalize_label`] of every text cell of a row, in the row's order (`None` for other
/// values): what the profile is detected from and labels are looked up by.
pub(super) fn normalized(row: &Row) -> Vec<Option<String>> {
    row.cells
        .iter()
        .map(|c| match &c.value {
            CellValue::Text(t) => Some(normalize_label(t)),
            _ => None,
        })
        .collect()
}

/// A row's tokens; `norms` is the row's [`normalized`]. A cell holding several `label:value`
/// pairs (`填表人: 王五 联系电话:0571 填报日期:`) gives one token per pair, each at the cell.
pub(super) fn tokens<'a>(
    row: &'a Row,
    norms: &'a [Option<String>],
    labels: &'static Labels,
) -> Vec<Tok<'a>> {
    let mut out = Vec::with_capacity(row.cells.len());
    for (c, norm) in row.cells.iter().zip(norms) {
        let cell = CellRef::new(row.row, c.col);
        if let CellValue::Text(t) = &c.value {
            if let Some(pairs) = split_pairs(t, labels) {
                for (l, v) in pairs {
                    let text = format!("{l}:{v}");
                    let (label, inline_value) = match inline_label(&l, &v, labels) {
                        Some((hit, inline)) => (Some(hit), inline),
                        None => (None, None),
                    };
                    out.push(Tok {
                        cell,
                        value: &c.value,
                        text,
                        is_label: Some(label.is_some()),
                        label,
                        inline_value,
                        norm: None,
                    });
                }
                continue;
            }
        }
        let mut text = c.value.display();
        let norm = norm.as_deref();
        let mut label = match (&c.value, norm) {
            (CellValue::Text(t), Some(n)) => labels.lookup_known(t, n),
            _ => None,
        };
        let mut inline_value = None;
        if let CellValue::Text(t) = &c.value {
            match split_inline(t) {
                // A stamp placeholder after the colon (`填报单位:(盖章)`) is part of the label
                // as printed, not a value.
                Some((l, v)) if is_placeholder(v) => {
                    if let Some((hit, _)) = inline_label(l, v, labels) {
                        text = format!("{}{}:", l.trim(), v.trim());
                        // Where a unit stamps (`申报单位名称:(盖章)`) is the filling unit's line
                        // of the form, never the field its words name.
                        let stamp = (!hit.0.id.starts_with("meta."))
                            .then(|| labels.field("meta.filling_unit"))
                            .flatten();
                        label = Some(stamp.map_or(hit.clone(), |f| (f, hit.1.clone())));
                    }
                }
                Some((l, v)) if label.is_none() => {
                    if let Some((hit, inline)) = inline_label(l, v, labels) {
                        if inline.is_some() {
                            label = Some(hit);
                            inline_value = inline;
                        }
                    }
                }
                _ => {}
            }
        }
        let is_label = norm.map(|_| label.is_some());
        out.push(Tok {
            cell,
            value: &c.value,
            text,
            label,
            inline_value,
            norm,
            is_label,
        });
    }
    out
}

/// The field a `label:value` cell's label names, and the value kept inline (none when the
/// value is empty or a stamp placeholder); `None` when the label names no field that takes an
/// inline value.
fn inline_label(
    l: &str,
    v: &str,
    labels: &'static Labels,
) -> Option<((&'static FieldDef, LabelMatch), Option<String>)> {
    // A grid column's header with text after it (`备注：本表由…`) is a note on the table, not
    // a column.
    let hit = labels.lookup(l).and_then(|hit| {
        if hit.0.id.starts_with("grid.") {
            labels.field("meta.note").map(|f| (f, hit.1))
        } else {
            Some(hit)
        }
    })?;
    let inline_field = ["project.", "funding.", "goal", "long_term_goal", "meta."]
        .iter()
        .any(|p| hit.0.id.starts_with(p));
    if !inline_field || hit.1 == LabelMatch::Truncated {
        return None;
    }
    if v.trim().is_empty() || is_placeholder(v) {
        // The label alone: its value, if any, is elsewhere (or blank).
        return Some((hit, None));
    }
    Some((hit, Some(v.trim().to_string())))
}

/// Whether a `label：value` cell is read as that label's field with the value inline (`预算单位：
/// 某局`, `填报单位：(盖章)`): the label names a field that takes an inline value.
pub(crate) fn reads_inline(label: &str, labels: &'static Labels) -> bool {
    inline_label(label, "", labels).is_some()
}

/// A stamp or signature placeholder printed where a value would go (`(盖章)`, `（公章）`,
/// `(签字)`): part of the label, never a value.
pub(crate) fn is_placeholder(v: &str) -> bool {
    let n = normalize_label(v);
    let Some(inner) = n.strip_prefix('(').and_then(|x| x.strip_suffix(')')) else {
        return false;
    };
    let chars = inner.chars().count();
    (2..=4).contains(&chars)
        && ["章", "签字", "签名"].iter().any(|w| inner.ends_with(w))
        && !inner.chars().any(|c| c.is_ascii_digit())
}

/// A cell holding two or more `label:value` pairs, split into (label, value): each pair starts
/// at the cell's start or after a space, with a word before a colon that reads as a label
/// (by the alias table or by meaning) or as a unit line (`单位:万元`); the first must be one.
/// A stamp placeholder after a label (`填报单位:(盖章) 单位:万元`) joins the label.
fn split_pairs(text: &str, labels: &Labels) -> Option<Vec<(String, String)>> {
    if text.chars().count() > 120 || text.matches([':', '：']).count() < 2 {
        return None;
    }
    let t = text.trim();
    // Every colon with the word before it (back to a space or the previous colon).
    let mut starts: Vec<(usize, usize, usize)> = Vec::new(); // (label start, colon, after colon)
    let mut floor = 0;
    // A colon inside brackets belongs to the value before them, a breakdown or a note
    // (`财政拨款:6923万元(其中:上级财政资金:6923万元;本级财政:0万元)`): it starts no pair.
    let mut depth = 0usize;
    let colons = t.char_indices().filter(|&(_, c)| {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ => {}
        }
        matches!(c, ':' | '：') && depth == 0
    });
    for (at, ch) in colons {
        let before = &t[floor..at];
        let word_at = before
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map(|(i, c)| floor + i + c.len_utf8())
            .unwrap_or(floor);
        let word = t[word_at..at].trim();
        let after = at + ch.len_utf8();
        floor = after;
        let first = starts.is_empty();
        if first && word_at != 0 {
            return None;
        }
        let known = !word.is_empty()
            && (labels
                .lookup(word)
                .is_some_and(|(_, how)| how != LabelMatch::Truncated)
                || (!first && is_unit_word(word)));
        if known {
            starts.push((word_at, at, after));
        } else if first {
            return None;
        }
    }
    if starts.len() < 2 {
        return None;
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &(from, colon, after)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(t.len(), |s| s.0);
        let mut label = t[from..colon].trim().to_string();
        let mut value = t[after..end].trim().to_string();
        // `(盖章) 单位:万元` after the label: the placeholder is the label's, the rest the next
        // pair's.
        let placeholder = value
            .split_whitespace()
            .next()
            .filter(|w| is_placeholder(w))
            .map(str::to_string);
        if let Some(p) = placeholder {
            label.push_str(&p);
            value = value[p.len()..].trim().to_string();
        }
        out.push((label, value));
    }
    Some(out)
}

/// The word of a unit line (`单位：万元`, `金额单位：元`).
fn is_unit_word(word: &str) -> bool {
    matches!(normalize_label(word).as_str(), "单位" | "金额单位")
}

fn split_inline(t: &str) -> Option<(&str, &str)> {
    if t.chars().count() > 80 {
        return None;
    }
    let i = t.find(['：', ':'])?;
    let sep = if t[i..].starts_with('：') {
        '：'.len_utf8()
    } else {
        1
    };
    Some((&t[..i], &t[i + sep..]))
}
