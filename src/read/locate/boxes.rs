//! The boxes a form prints around its header labels, read from the sheet's merged cells: a
//! section heading merged down over rows that each hold a label and its value, and a value
//! box merged across a row that the department left blank.
//!
//! ```text
//!  | A (merged A17:A19) | B-C                     | D-F (merged)       |
//!  | 项目立项情况         | 项目立项的依据(450字内)  | (blank value box)  |   <- a heading, a label
//!  |                    | 项目申报的可行性          | 已申报项目可行性评估 |      left blank, a pair
//!  | 单位职能概述(450字内) | (blank value box merged B:F)                |   <- a label left blank
//!  | 项目起止时间         | (blank box)             | 到 | (blank box)    |   <- `到` joins no dates
//! ```

use std::collections::HashMap;

use super::label_shape::looks_like_label;
use super::tokens::Tok;
use super::Draft;
use crate::cell::CellRef;
use crate::read::grid::CellValue;

/// The sheet's merged ranges, top-left cell → bottom-right cell.
pub(super) type Merges = HashMap<CellRef, CellRef>;

/// The last cell a token's own box covers (itself when it is not merged).
fn end_of(d: &Draft<'_>, cell: CellRef) -> CellRef {
    d.merges.and_then(|m| m.get(&cell)).copied().unwrap_or(cell)
}

/// A blank box printed right after `t` on its row: the next cell is the top of a range merged
/// across two columns or more that holds no token of the row (`toks`). A label with one
/// beside it is a label the department left blank, not a heading.
pub(super) fn blank_box_after(d: &Draft<'_>, toks: &[Tok<'_>], t: &Tok<'_>) -> bool {
    let end = end_of(d, t.cell);
    let next = CellRef::new(t.cell.row, end.col + 1);
    let boxed = d
        .merges
        .and_then(|m| m.get(&next))
        .is_some_and(|b| b.col > next.col);
    boxed && !toks.iter().any(|n| n.cell == next)
}

/// A label no field answers to, merged down over rows of its own, with a label and a value (or
/// a blank value box) beside it (`项目立项情况` over `项目立项的依据 | …`, `项目申报的可行性 |
/// …`): the name of a group of fields, not a label whose value is the first field's label.
/// The last row it covers when it is one.
pub(super) fn section_heading(d: &Draft<'_>, toks: &[Tok<'_>], i: usize) -> Option<u32> {
    let t = &toks[i];
    let end = end_of(d, t.cell);
    if t.label.is_some() || t.inline_value.is_some() || end.row <= t.cell.row {
        return None;
    }
    let n = toks.get(i + 1)?;
    let label = n.label.is_none() && n.inline_value.is_none() && looks_like_label(n);
    // One pair beside it: more cells on the row are headings over columns (`项目实施进度计划 |
    // 项目实施内容 | 开始时间 | 完成时间`), read as such.
    let valued = i + 3 == toks.len() && toks[i + 2].label.is_none();
    let heading = label && (valued || (i + 2 == toks.len() && blank_box_after(d, toks, n)));
    heading.then_some(end.row)
}

/// A cell `n` holding only the word that joins the two ends of a span (`到`, `至`, `~`),
/// printed apart from its label `t` with a blank cell between (`项目起止时间 | | 到 | `): it
/// states no value. (Right beside its label, `~` is the value typed.)
pub(super) fn is_joining_word(d: &Draft<'_>, t: &Tok<'_>, n: &Tok<'_>) -> bool {
    let apart = n.cell.col > end_of(d, t.cell).col + 1;
    apart
        && matches!(n.value, CellValue::Text(_))
        && matches!(n.text.trim(), "到" | "至" | "~" | "～")
}
