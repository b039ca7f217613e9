//! Cells merged down: a level printed once and merged down its rows applies to every row it
//! covers. For each row, the merged ranges that cover it from a row above (the rows below
//! their top cell carry nothing in their columns) give that top cell; a grid reads it where
//! its level columns are, as if printed on the row. The value stays one source cell: the
//! token keeps the top cell's reference, so it is seen and used once.

use std::borrow::Cow;

use super::tokens::Tok;
use crate::read::grid::Sheet;

/// For each row of `rows` (the sheet's rows' tokens, in order), the top cells of the ranges
/// merged down onto it, by column; empty where none is.
pub(super) fn down<'a>(sheet: &Sheet, rows: &[Vec<Tok<'a>>]) -> Vec<Vec<Tok<'a>>> {
    let mut out: Vec<Vec<Tok<'a>>> = vec![Vec::new(); rows.len()];
    let index = |row: u32| sheet.rows.binary_search_by_key(&row, |r| r.row).ok();
    for (a, b) in &sheet.merges {
        if b.row <= a.row {
            continue;
        }
        let Some(top) = index(a.row) else {
            continue;
        };
        let Some(tok) = rows[top].iter().find(|t| t.cell.col == a.col) else {
            continue;
        };
        for (j, r) in sheet.rows.iter().enumerate().skip(top + 1) {
            if r.row > b.row {
                break;
            }
            let own = rows[j]
                .iter()
                .any(|t| t.cell.col >= a.col && t.cell.col <= b.col);
            if !own {
                out[j].push(tok.clone());
            }
        }
    }
    for v in &mut out {
        v.sort_by_key(|t| t.cell.col);
    }
    out
}

/// The row's tokens with the merged-down cells `keep` accepts, in column order (borrowed
/// when there is none).
pub(super) fn with<'t, 'a>(
    toks: &'t [Tok<'a>],
    merged: &[Tok<'a>],
    keep: impl Fn(&Tok<'a>) -> bool,
) -> Cow<'t, [Tok<'a>]> {
    let add: Vec<&Tok<'a>> = merged.iter().filter(|t| keep(t)).collect();
    if add.is_empty() {
        return Cow::Borrowed(toks);
    }
    let mut v: Vec<Tok<'a>> = toks.to_vec();
    v.extend(add.into_iter().cloned());
    v.sort_by_key(|t| t.cell.col);
    Cow::Owned(v)
}
