//! A choice printed as boxes (`新增项目□ 延续项目R`, `☑一次性项目 □经常性项目`): the value is
//! the option whose box is ticked, never the list of options.
//!
//! A box is empty (`□ ☐ ○`) or ticked (`☑ ✓ ✔ √ ■ ☒ ● ◉`); a workbook that lost its
//! Wingdings font shows a ticked box as the letter `R` or `þ`, which counts as one only right
//! against an option's words, with a space, a box or the text's edge on its other side. The
//! boxes stand all before their options or all after them, as the first mark says.

/// Empty boxes.
const EMPTY: &[char] = &['□', '☐', '○', '◯'];
/// Ticked boxes.
const TICKED: &[char] = &['☑', '✓', '✔', '√', '■', '☒', '●', '◉', '▣'];
/// Wingdings letters of a ticked box, shown when the font is lost.
const WINGDINGS: &[char] = &['R', 'þ'];
/// What separates options besides spaces.
const SEPARATORS: &str = "、,，;；/:：";

fn cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The ticked options of a choice printed as boxes (joined by `、` when several), or `None`
/// when the text is not such a choice (fewer than two boxes, none empty or none ticked).
pub(super) fn ticked(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let edge = |c: Option<&char>| {
        c.is_none_or(|c| c.is_whitespace() || EMPTY.contains(c) || SEPARATORS.contains(*c))
    };
    let mark = |k: usize| -> Option<bool> {
        let c = chars[k];
        if EMPTY.contains(&c) {
            return Some(false);
        }
        if TICKED.contains(&c) {
            return Some(true);
        }
        if WINGDINGS.contains(&c) {
            let before = k.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(k + 1);
            let against = (before.is_some_and(|c| cjk(*c)) && edge(after))
                || (after.is_some_and(|c| cjk(*c)) && edge(before));
            return against.then_some(true);
        }
        None
    };
    let marks: Vec<(usize, bool)> = (0..chars.len())
        .filter_map(|k| mark(k).map(|t| (k, t)))
        .collect();
    let some_empty = marks.iter().any(|m| !m.1);
    let some_ticked = marks.iter().any(|m| m.1);
    if marks.len() < 2 || !some_empty || !some_ticked {
        return None;
    }
    let start = chars.iter().position(|c| !c.is_whitespace())?;
    let before = marks[0].0 == start;
    let mut picked = Vec::new();
    for (n, &(k, is_ticked)) in marks.iter().enumerate() {
        let (from, to) = if before {
            (k + 1, marks.get(n + 1).map_or(chars.len(), |m| m.0))
        } else {
            (n.checked_sub(1).map_or(0, |p| marks[p].0 + 1), k)
        };
        let option: String = chars[from..to].iter().collect();
        let option = option
            .trim_matches(|c: char| c.is_whitespace() || SEPARATORS.contains(c))
            .to_string();
        if option.is_empty() {
            return None;
        }
        if is_ticked {
            picked.push(option);
        }
    }
    Some(picked.join("、"))
}

#[cfg(test)]
mod tests {
    use super::ticked;

    #[test]
    fn the_ticked_option_is_the_value() {
        let t = |s: &str| ticked(s);
        // Boxes after their options, the ticked one a lost Wingdings letter.
        assert_eq!(t("新增项目□ 延续项目R").as_deref(), Some("延续项目"));
        assert_eq!(t("一次性项目þ 经常性项目□").as_deref(), Some("一次性项目"));
        // Boxes before their options.
        assert_eq!(t("☑经常性项目 □一次性项目").as_deref(), Some("经常性项目"));
        assert_eq!(t("□新建 √续建 □改扩建").as_deref(), Some("续建"));
        assert_eq!(t("是■ 否□").as_deref(), Some("是"));
        assert_eq!(t("○是 ●否").as_deref(), Some("否"));
        // Two ticked.
        assert_eq!(
            t("☑中央资金、☐省级资金、☑县级资金").as_deref(),
            Some("中央资金、县级资金")
        );
        // Not a choice: no box, no tick, one box, a letter inside words.
        assert_eq!(t("经常性项目"), None);
        assert_eq!(t("□新增 □延续"), None);
        assert_eq!(t("√"), None);
        assert_eq!(t("QR码推广□ 其他"), None);
        assert_eq!(t("≥95%"), None);
    }
}
