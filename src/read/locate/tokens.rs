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

/// A row's tokens; `norms` is the row's [`normalized`].
pub(super) fn tokens<'a>(
    row: &'a Row,
    norms: &'a [Option<String>],
    labels: &'static Labels,
) -> Vec<Tok<'a>> {
    row.cells
        .iter()
        .zip(norms)
        .map(|(c, norm)| {
            let text = c.value.display();
            let norm = norm.as_deref();
            let mut label = match (&c.value, norm) {
                (CellValue::Text(t), Some(n)) => labels.lookup_known(t, n),
                _ => None,
            };
            let is_label = norm.map(|_| label.is_some());
            let mut inline_value = None;
            if label.is_none() {
                if let CellValue::Text(t) = &c.value {
                    if let Some((l, v)) = split_inline(t) {
                        // A grid column's header with text after it (`备注：本表由…`) is a
                        // note on the table, not a column.
                        let hit = labels.lookup(l).and_then(|hit| {
                            if hit.0.id.starts_with("grid.") {
                                labels.field("meta.note").map(|f| (f, hit.1))
                            } else {
                                Some(hit)
                            }
                        });
                        if let Some(hit) = hit {
                            let inline_field =
                                ["project.", "funding.", "goal", "long_term_goal", "meta."]
                                    .iter()
                                    .any(|p| hit.0.id.starts_with(p));
                            if inline_field
                                && hit.1 != LabelMatch::Truncated
                                && !v.trim().is_empty()
                            {
                                label = Some(hit);
                                inline_value = Some(v.trim().to_string());
                            }
                        }
                    }
                }
            }
            Tok {
                cell: CellRef::new(row.row, c.col),
                value: &c.value,
                text,
                label,
                inline_value,
                norm,
                is_label,
            }
        })
        .collect()
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
