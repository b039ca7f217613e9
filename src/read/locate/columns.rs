//! A row of headings no field answers to, over the values they head: each heading is a
//! metadata field with the value under it.
//!
//! ```text
//!  | 项目实施进度计划 | 项目实施内容 (B:D)         | 开始时间 | 完成时间 |
//!  |                  | 通过采购…使空气质量达到优良 | 20246    | 20251    |
//! ```
//!
//! The headings (three or more cells of words only, none a field's label) wait for the row
//! below: when each of its cells sits under a heading, the headings head columns, and every
//! row that fits gives one metadata field per heading (a first heading with nothing under it
//! names the block and stays as printed, in `extra`). When the row below does not fit, the
//! headings are read as they would have been: label and value pairs.

use super::header::{looks_like_label, read_unknown_pair};
use super::tokens::Tok;
use super::Draft;
use crate::cell::CellRef;
use crate::model::MetaField;
use crate::read::values::collapse_spaces;

/// The fewest headings that make a row of headings.
const MIN_HEADS: usize = 3;

/// A row of headings, and whether a row under it was read.
#[derive(Debug)]
pub(super) struct Heads {
    heads: Vec<(CellRef, String)>,
    rows: usize,
}

impl Heads {
    /// The row's headings, when it is a row of them.
    pub(super) fn of(toks: &[Tok<'_>]) -> Option<Heads> {
        let all_words = toks
            .iter()
            .all(|t| t.label.is_none() && t.inline_value.is_none() && looks_like_label(t));
        // One cell per column: a cell split into pairs is no heading.
        let distinct = toks.windows(2).all(|w| w[0].cell != w[1].cell);
        (toks.len() >= MIN_HEADS && all_words && distinct).then(|| Heads {
            heads: toks
                .iter()
                .map(|t| {
                    (
                        t.cell,
                        collapse_spaces(t.text.trim_end_matches(['：', ':'])),
                    )
                })
                .collect(),
            rows: 0,
        })
    }

    /// The heading over a column: the nearest at or left of it.
    fn over(&self, col: u32) -> Option<usize> {
        self.heads.iter().rposition(|(c, _)| c.col <= col)
    }

    /// Reads a row under the headings; false (nothing read) when the row does not fit: a
    /// label in it, a cell under no heading, two cells under one, or only words (a row of
    /// label and value pairs).
    pub(super) fn read_row(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        let mut under: Vec<Option<&Tok<'_>>> = vec![None; self.heads.len()];
        for t in toks {
            if t.label.is_some() {
                return false;
            }
            let Some(h) = self.over(t.cell.col) else {
                return false;
            };
            if under[h].replace(t).is_some() {
                return false;
            }
        }
        if toks.iter().all(looks_like_label) {
            return false;
        }
        let first_row = self.rows == 0;
        self.rows += 1;
        for (k, ((cell, label), value)) in self.heads.iter().zip(&under).enumerate() {
            match value {
                Some(v) => {
                    d.use_cell(*cell);
                    d.use_cell(v.cell);
                    d.extend(v.cell);
                    if first_row {
                        d.unknown_labels.push((*cell, label.clone()));
                    }
                    d.table.metadata.push(MetaField {
                        key: String::new(),
                        label: label.clone(),
                        value: collapse_spaces(&v.text),
                        cell: Some(v.cell),
                    });
                }
                // The first heading with nothing under it names the block.
                None if k == 0 => {}
                None if first_row => {
                    d.use_cell(*cell);
                    d.unknown_labels.push((*cell, label.clone()));
                    d.table.metadata.push(MetaField {
                        key: String::new(),
                        label: label.clone(),
                        value: String::new(),
                        cell: Some(*cell),
                    });
                }
                None => {}
            }
        }
        true
    }

    /// The headings when no row was read under them: label and value pairs, as any row of
    /// words no field answers to.
    pub(super) fn flush(self, d: &mut Draft<'_>) {
        if self.rows > 0 {
            return;
        }
        for pair in self.heads.chunks(2) {
            if let [(lc, l), (vc, v)] = pair {
                read_unknown_pair(d, *lc, l, *vc, v);
            }
        }
    }
}
