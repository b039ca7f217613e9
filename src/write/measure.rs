//! Text measurement for CJK forms: column widths and row heights.
//!
//! `autofit` in rust_xlsxwriter assumes Calibri and ignores merges, so the form sizes itself:
//! a Han character (and full-width punctuation, `≥`, `“”`) is one em wide, an ASCII character
//! a little over half an em. Wrapped Chinese text breaks between any two characters, so the
//! number of lines is the text's width over the cell's width. The estimates lean generous: a
//! row a little too tall prints fine, a row too short cuts text off.

/// Pixels per point (96 dpi).
const PX_PER_PT: f64 = 96.0 / 72.0;
/// Inner padding of a cell, both sides together, in pixels.
const CELL_PADDING_PX: f64 = 8.0;
/// Line height as a multiple of the font size (CJK fonts in LibreOffice run to ~1.45).
const LINE_FACTOR: f64 = 1.45;
/// Room above and below the text, in points.
const ROW_PADDING_PT: f64 = 5.0;
/// Estimated widths are stretched by this much: Latin words do not break mid-word, and glyphs
/// differ between fonts.
pub(crate) const SLACK: f64 = 1.04;

/// True for characters drawn one em wide in Chinese fonts.
pub(crate) fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2010..=0x2BFF   // dashes, quotes, ≥ ≤, arrows, symbols: full width in 宋体
        | 0x2E80..=0xA4CF   // CJK radicals, punctuation, kana, Han
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60   // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Width of one line of text, in pixels.
pub(crate) fn line_px(text: &str, size_pt: f64, bold: bool) -> f64 {
    let em = size_pt * PX_PER_PT;
    let w: f64 = text
        .chars()
        .map(|c| if is_wide(c) { em } else { em * 0.56 })
        .sum();
    if bold {
        w * 1.05
    } else {
        w
    }
}

/// Width of the widest line, in pixels.
pub(crate) fn text_px(text: &str, size_pt: f64, bold: bool) -> f64 {
    text.lines()
        .map(|l| line_px(l, size_pt, bold))
        .fold(0.0, f64::max)
}

/// Pixels of a column `width` characters wide (Excel's default font: 7 px a character + 5).
pub(crate) fn col_px(width: f64) -> f64 {
    (width * 7.0 + 5.0).floor()
}

/// The column width (characters) whose cell shows `px` pixels of text on one line
/// (the inverse of [`col_px`] less the padding, rounded up past its flooring).
pub(crate) fn width_for_px(px: f64) -> f64 {
    ((px + CELL_PADDING_PX - 5.0) / 7.0 + 0.15).max(1.0)
}

/// Lines the text needs when wrapped into a cell `cell_px` wide.
pub fn lines(text: &str, size_pt: f64, bold: bool, cell_px: f64) -> u32 {
    let avail = (cell_px - CELL_PADDING_PX).max(8.0);
    let mut n = 0u32;
    for line in text.split('\n') {
        let w = line_px(line, size_pt, bold);
        let k = ((w * SLACK) / avail).ceil().max(1.0);
        n = n.saturating_add(k as u32);
    }
    n.max(1)
}

/// Row height in points for `lines` lines of text at `size_pt`.
pub(crate) fn height_for_lines(lines: u32, size_pt: f64) -> f64 {
    let h = f64::from(lines) * size_pt * LINE_FACTOR + ROW_PADDING_PT;
    // Excel stores heights in quarter points; keep the estimate on that grid.
    (h * 4.0).ceil() / 4.0
}

/// Cuts `text` to at most `max` UTF-16 code units, on a character boundary.
/// Returns the text and whether it was cut.
pub(crate) fn cut_utf16(text: &str, max: usize) -> (&str, bool) {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return (&text[..i], true);
        }
    }
    (text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_is_wider_than_ascii() {
        assert!(is_wide('项'));
        assert!(is_wide('（'));
        assert!(is_wide('≥'));
        assert!(!is_wide('a'));
        assert!(!is_wide('8'));
        let han = line_px("项目名称", 10.0, false);
        let ascii = line_px("abcd", 10.0, false);
        assert!(han > 1.7 * ascii);
    }

    #[test]
    fn long_text_needs_more_lines() {
        let px = col_px(60.0);
        let short = "开展网络安全宣传周";
        let long = short.repeat(12);
        assert_eq!(lines(short, 10.0, false, px), 1);
        assert!(lines(&long, 10.0, false, px) >= 3);
        assert!(height_for_lines(3, 10.0) > height_for_lines(1, 10.0));
        assert_eq!(lines("甲\n乙", 10.0, false, px), 2);
    }

    #[test]
    fn a_width_made_for_a_text_holds_it_on_one_line() {
        for text in [
            "2026年9-10月",
            "其中：转移市县（区）资金",
            "165.53",
            "自治区党委网络安全和信息化委员会办公室",
        ] {
            let px = line_px(text, 10.0, false) * SLACK;
            let w = width_for_px(px);
            assert_eq!(lines(text, 10.0, false, col_px(w)), 1, "{text}");
        }
    }

    #[test]
    fn cuts_on_utf16_units() {
        assert_eq!(cut_utf16("abc", 5), ("abc", false));
        assert_eq!(cut_utf16("abcdef", 3), ("abc", true));
        // 𠀀 is two UTF-16 units: never split in half.
        assert_eq!(cut_utf16("a𠀀b", 2), ("a", true));
        assert_eq!(cut_utf16("a𠀀b", 3), ("a𠀀", true));
    }
}
