//! Stage 1: each row's non-empty cells, classified by the label they hold.

use crate::cell::CellRef;
use crate::read::grid::{CellValue, Row};
use crate::read::labels::{FieldDef, LabelMatch, Labels};

/// One non-empty cell of a row, classified.
#[derive(Debug)]
pub(super) struct Tok<'a> {
    pub(super) cell: CellRef,
    pub(super) value: &'a CellValue,
    pub(super) text: String,
    pub(super) label: Option<(&'static FieldDef, LabelMatch)>,
    /// For `项目名称：甲` in one cell: the value part.
    pub(super) inline_value: Option<String>,
}

impl Tok<'_> {
    pub(super) fn field(&self) -> Option<&str> {
        self.label.as_ref().map(|(f, _)| f.id.as_str())
    }
}

pub(super) fn tokens<'a>(row: &'a Row, labels: &'static Labels) -> Vec<Tok<'a>> {
    row.cells
        .iter()
        .map(|c| {
            let text = c.value.display();
            let mut label = match &c.value {
                CellValue::Text(t) => labels.lookup(t),
                _ => None,
            };
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
