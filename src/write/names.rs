//! Sheet names within Excel's rules, and the references that point into them.
//!
//! Excel allows at most 31 UTF-16 units, none of `[ ] : * ? / \`, no apostrophe at either end,
//! not `History`, and no two names equal ignoring case. Project names break every rule now and
//! then (`网络安全/信息化项目（一期）`), so the forbidden ASCII characters become their
//! full-width forms, which read the same to a Chinese reader and are allowed.

use std::collections::HashSet;

use super::measure::cut_utf16;

/// Longest sheet name, in UTF-16 units.
pub(crate) const MAX_SHEET_NAME: usize = 31;

/// Names that are never given to a form sheet.
pub(crate) const RESERVED: &[&str] = &["History"];

/// Makes one valid sheet name from free text (not yet unique). Empty results become `fallback`.
pub(crate) fn sanitize_sheet_name(text: &str, fallback: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '/' => '／',
            '\\' => '＼',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let collapsed = mapped.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    let (cut, _) = cut_utf16(trimmed, MAX_SHEET_NAME);
    let cut = cut.trim_end_matches(|c: char| c == '\'' || c.is_whitespace());
    if cut.is_empty() {
        fallback.to_string()
    } else {
        cut.to_string()
    }
}

/// Gives each wanted name a unique valid sheet name, in order, avoiding `taken` (names already
/// used in the workbook, such as 汇总). Duplicates get ` (2)`, ` (3)`, … within the length limit.
pub(crate) fn unique_sheet_names(wanted: &[String], taken: &[&str]) -> Vec<String> {
    let mut used: HashSet<String> = taken
        .iter()
        .chain(RESERVED)
        .map(|s| s.to_lowercase())
        .collect();
    let mut out = Vec::with_capacity(wanted.len());
    for (i, w) in wanted.iter().enumerate() {
        let base = sanitize_sheet_name(w, &format!("表{}", i + 1));
        let mut name = base.clone();
        let mut n = 2;
        while used.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let room = MAX_SHEET_NAME - suffix.encode_utf16().count();
            let (stem, _) = cut_utf16(&base, room);
            name = format!("{}{suffix}", stem.trim_end());
            n += 1;
        }
        used.insert(name.to_lowercase());
        out.push(name);
    }
    out
}

/// Free text for the 汇总 and 问题清单 sheets: a text that the reader would take for a form
/// label (a field named `项目名称`, a project called `项目全称`) is put in quotes, so that those
/// sheets never read as a table.
pub(crate) fn guard_label(text: &str) -> String {
    if crate::read::labels::Labels::builtin()
        .lookup(text)
        .is_some()
    {
        format!("“{text}”")
    } else {
        text.to_string()
    }
}

/// An internal hyperlink target: `internal:'sheet'!E20`.
pub(crate) fn internal_link(sheet: &str, cell: &str) -> String {
    format!("internal:{}", reference(sheet, cell))
}

/// A cell reference on another sheet, always quoted: `'sheet'!E20`.
pub fn reference(sheet: &str, cell: &str) -> String {
    format!("'{}'!{}", sheet.replace('\'', "''"), cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(name: &str) -> bool {
        rust_xlsxwriter::utility::check_sheet_name(name).is_ok()
    }

    #[test]
    fn forbidden_characters_become_full_width() {
        let n = sanitize_sheet_name("网络安全/信息化[一期]:*?\\", "x");
        assert_eq!(n, "网络安全／信息化［一期］：＊？＼");
        assert!(valid(&n));
    }

    #[test]
    fn apostrophes_blanks_and_control_characters() {
        assert_eq!(sanitize_sheet_name("'项目'", "x"), "项目");
        assert_eq!(sanitize_sheet_name("  甲\n乙\t丙  ", "x"), "甲 乙 丙");
        assert_eq!(sanitize_sheet_name("   ", "表3"), "表3");
        assert_eq!(sanitize_sheet_name("''", "表3"), "表3");
    }

    #[test]
    fn long_names_are_cut_to_31_utf16_units() {
        let long = "全区网信信息系统运维服务项目".repeat(3);
        let n = sanitize_sheet_name(&long, "x");
        assert_eq!(n.encode_utf16().count(), 31);
        assert!(valid(&n));
        // Characters outside the BMP count twice and are never split.
        let astral = "𠀀".repeat(20);
        let n = sanitize_sheet_name(&astral, "x");
        assert_eq!(n.encode_utf16().count(), 30);
        assert!(valid(&n));
    }

    #[test]
    fn names_are_unique_ignoring_case_and_avoid_reserved_ones() {
        let wanted: Vec<String> = ["甲", "甲", "Abc", "abc", "汇总", "history", ""]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        let names = unique_sheet_names(&wanted, &["汇总", "问题清单"]);
        assert_eq!(
            names,
            vec![
                "甲",
                "甲 (2)",
                "Abc",
                "abc (2)",
                "汇总 (2)",
                "history (2)",
                "表7"
            ]
        );
        for n in &names {
            assert!(valid(n), "{n}");
        }
    }

    #[test]
    fn suffixes_fit_within_the_limit() {
        let long = "很长的项目名称".repeat(6);
        let names = unique_sheet_names(&[long.clone(), long.clone(), long], &[]);
        assert_eq!(names.len(), 3);
        assert_ne!(names[0], names[1]);
        assert_ne!(names[1], names[2]);
        for n in &names {
            assert!(n.encode_utf16().count() <= 31);
            assert!(valid(n), "{n}");
        }
    }

    #[test]
    fn label_texts_are_quoted() {
        assert_eq!(guard_label("项目名称"), "“项目名称”");
        assert_eq!(guard_label("项 目 名 称"), "“项 目 名 称”");
        assert_eq!(guard_label("宁夏网络安全服务项目"), "宁夏网络安全服务项目");
        let labels = crate::read::labels::Labels::builtin();
        assert!(labels.lookup(&guard_label("项目名称")).is_none());
    }

    #[test]
    fn references_are_quoted() {
        assert_eq!(internal_link("网络安全", "E20"), "internal:'网络安全'!E20");
        assert_eq!(reference("O'Brien", "A1"), "'O''Brien'!A1");
    }
}
