//! Text folding: the width and punctuation forms people type, made one (a leaf module: the
//! vocabulary and the value parser both use it).

use unicode_normalization::UnicodeNormalization;

/// NFKC plus the few characters NFKC leaves alone that people use as punctuation.
pub fn fold_width(s: &str) -> String {
    // Most cell text is ASCII, CJK ideographs and full-width punctuation, each of which NFKC
    // maps on its own: skip the decomposition and recomposition of every character (a third
    // of the reader's time).
    if let Some(folded) = s.chars().map(fold_simple).collect::<Option<String>>() {
        return folded;
    }
    s.nfkc().map(fold_punctuation).collect()
}

fn fold_punctuation(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '．' => '.',
        '，' => ',',
        _ => c,
    }
}

/// What [`fold_width`] makes of a character that NFKC maps on its own, composing with nothing:
/// ASCII, CJK unified ideographs and common CJK punctuation stay as they are, full-width forms
/// (U+FF01–U+FF5E: `（`, `：`, `％`, `１`) become ASCII, the ideographic space a space.
/// `None` for any other character.
pub(crate) fn fold_simple(c: char) -> Option<char> {
    match c {
        _ if c.is_ascii() => Some(c),
        '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '、' | '。' | '〈'..='】' // U+3001, U+3002, U+3008..U+3011
        | '‘'..='”' // U+2018..U+201D
        | '≤' | '≥' | '—' => Some(c),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// A template's mark for "more rows here" (`…`, `……`, `...`, `⋯`): dots and nothing else.
pub(crate) fn is_ellipsis(s: &str) -> bool {
    let t: String = fold_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    t.chars().all(|c| matches!(c, '.' | '⋯')) && (t.contains('⋯') || t.chars().count() >= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_width_fast_path_is_nfkc() {
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            if let Some(fast) = fold_simple(c) {
                let slow: String = c.to_string().nfkc().map(fold_punctuation).collect();
                assert_eq!(fast.to_string(), slow, "U+{:04X}", c as u32);
            }
        }
        assert_eq!(fold_width("项目名称（万元）"), "项目名称(万元)");
        assert_eq!(fold_width("１２３．５，６"), "123.5,6");
        assert_eq!(fold_width("≥80%\u{3000}"), "≥80% ");
        assert_eq!(fold_width("ﬁ①"), "fi1");
    }

    #[test]
    fn an_ellipsis_is_dots_alone() {
        for s in ["…", "……", " … ", "...", "．．．", "⋯"] {
            assert!(is_ellipsis(s), "{s:?}");
        }
        for s in ["", ".", "..", "1…", "…等", "0.5"] {
            assert!(!is_ellipsis(s), "{s:?}");
        }
    }
}
