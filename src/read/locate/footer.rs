//! Stage 6: the rows under the grid that end a table (sign-offs, contacts).

use super::tokens::Tok;

/// True for a row that starts with a footer label (填表人, 联系电话, …): the table ends there.
pub(super) fn is_footer_row(toks: &[Tok<'_>]) -> bool {
    toks.first().and_then(Tok::field) == Some("footer")
}
