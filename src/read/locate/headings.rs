//! A goal heading with a second heading beside it: the goal is the text below the first,
//! never the second heading.
//!
//! ```text
//!  | 总体目标 | 年度目标 (B:D)                 | 年度总体目标完成情况 (E:F) |
//!  |          | (the goal, B:D)                | (empty: a self-evaluation column) |
//! ```
//!
//! Read a row at a time, `年度目标` first takes the cell beside it as its value. When that
//! cell reads as a label (words only) and the next row puts a text under the goal's label
//! and left of that cell, the cell was a heading: the goal is the text below, and the heading
//! is kept as metadata with the text under it (empty here).

use super::header::HeaderStage;
use super::label_shape::looks_like_label;
use super::tokens::Tok;
use super::Draft;
use crate::cell::CellRef;
use crate::model::MetaField;
use crate::read::values::collapse_spaces;

/// A goal read from the cell beside its label, when that cell may be a second heading.
#[derive(Debug)]
pub(super) struct Beside {
    /// The goal's field and printed label, and the label's column.
    field: &'static str,
    label: String,
    label_col: u32,
    /// The cell read as the goal, and its text.
    cell: CellRef,
    text: String,
}

impl Beside {
    /// The goal just read from `value`, beside the label `t`, when `value` reads as a label.
    pub(super) fn of(
        field: &'static str,
        label: &str,
        t: &Tok<'_>,
        value: &Tok<'_>,
    ) -> Option<Beside> {
        let goal = matches!(field, "goal" | "long_term_goal");
        (goal && looks_like_label(value)).then(|| Beside {
            field,
            label: label.to_string(),
            label_col: t.cell.col,
            cell: value.cell,
            text: collapse_spaces(&value.text),
        })
    }
}

impl HeaderStage {
    /// The row after a goal read beside its label: when it holds no label and a text under
    /// the goal's label, left of the cell read as the goal, that text is the goal and the cell
    /// a second heading (metadata, with the text under it). True when the row was read so.
    pub(super) fn read_below_heading(
        &mut self,
        d: &mut Draft<'_>,
        toks: &[Tok<'_>],
        beside: Beside,
    ) -> bool {
        if toks.iter().any(|t| t.label.is_some()) {
            return false;
        }
        let below = |t: &&Tok<'_>| t.cell.col >= beside.label_col && t.cell.col < beside.cell.col;
        let Some(goal) = toks.iter().find(below) else {
            return false;
        };
        for t in toks {
            d.use_cell(t.cell);
        }
        self.set_field(
            d,
            beside.field,
            &beside.label,
            goal.cell,
            &goal.text,
            Some(goal.value),
            None,
        );
        let under = toks.iter().find(|t| t.cell.col >= beside.cell.col);
        d.unknown_labels.push((beside.cell, beside.text.clone()));
        d.table.metadata.push(MetaField {
            key: String::new(),
            label: beside.text,
            value: under.map(|t| collapse_spaces(&t.text)).unwrap_or_default(),
            cell: Some(under.map_or(beside.cell, |t| t.cell)),
        });
        true
    }
}
