//! Stage 6: the rows under the grid (sign-offs, opinions, contacts): the table's metadata.

use super::tokens::Tok;
use super::TableReader;

/// True for a row that starts with a metadata label (财政部门审核意见, 填表人, 联系电话, …).
/// A row holding just a grid column's header word and a text (`备注 | 本表由…`) is a note
/// under the grid too.
pub(super) fn is_footer_row(toks: &[Tok<'_>]) -> bool {
    let first = toks.first().and_then(Tok::field);
    first.is_some_and(|f| f.starts_with("meta."))
        || (first == Some("grid.extra") && toks.len() == 2 && toks[1].label.is_none())
}

/// True for a row of sign-off words only (`（盖章）`, `年 月 日`).
pub(super) fn is_note_row(toks: &[Tok<'_>]) -> bool {
    toks.iter().all(|t| {
        let bare: String = t.text.chars().filter(|c| !c.is_whitespace()).collect();
        t.field().is_some_and(|f| f.starts_with("meta.")) || bare == "年月日"
    })
}

impl TableReader<'_> {
    /// A sign-off row: each metadata label with the value after it.
    pub(super) fn read_footer_row(&mut self, toks: &[Tok<'_>]) {
        let mut i = 0;
        while i < toks.len() {
            if toks[i]
                .field()
                .is_some_and(|f| f.starts_with("meta.") || (i == 0 && f == "grid.extra"))
            {
                i += self.read_meta(toks, i);
            } else {
                i += 1;
            }
        }
    }
}
