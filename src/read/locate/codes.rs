//! Codes are never money: a label that names a class or a code (`财政资金预算分类`,
//! `财政资金科目代码`, `单位编码`) holds a name or a code whatever its value looks like, and a
//! number shaped like a code (`21305` typed as text, `0301`) is never read as a further amount.
//!
//! ```text
//!  | 项目总预算    | 65 | 财政资金预算分类  | 一般公共预算 |   ← a class's name, not a funding line
//!  | 其中:财政资金 | 65 | 财政资金科目代码  | 21305       |   ← a code, not 21305 万元
//! ```

use std::sync::OnceLock;

use regex::Regex;

use super::tokens::Tok;
use crate::read::grid::CellValue;
use crate::read::labels::normalize_label;

/// The head words of a label whose value is a class's name or a code, never an amount.
const CODE_HEADS: &[&str] = &[
    "分类", "类别", "类型", "代码", "编码", "编号", "代号", "科目",
];

/// True for a label that names a class or a code (its head word, the end of the label once
/// brackets are set aside, is one of [`CODE_HEADS`]): `财政资金预算分类`, `支出功能科目`,
/// `主管部门编码`.
pub(super) fn names_code(label: &str) -> bool {
    let n = normalize_label(label);
    let bare = n
        .split(['(', '（'])
        .next()
        .unwrap_or(&n)
        .trim_end_matches([':', '：']);
    CODE_HEADS.iter().any(|h| bare.ends_with(h))
}

/// A cell shaped like a code rather than an amount: digits typed as text, with a leading
/// zero (`0301`) or five digits and more with no separator or decimal point (`21305`,
/// `2130501`, `308001`). An amount that large typed as text in a block of 万元 is not read as a
/// further amount of a line.
pub(super) fn looks_like_code(t: &Tok<'_>) -> bool {
    let CellValue::Text(text) = t.value else {
        return false;
    };
    let s = text.trim();
    let digits = s.chars().all(|c| c.is_ascii_digit());
    digits && ((s.len() >= 2 && s.starts_with('0')) || s.len() >= 5)
}

/// `[812]自治区教育厅` → (`812`, `自治区教育厅`); a bracket of fewer than three characters (`（2）`) is a
/// list number of the name, not a code.
pub fn split_department_code(text: &str) -> (Option<String>, String) {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*(?:[\[【(（]\s*([0-9A-Za-z]{3,})\s*[\]】)）]|([0-9]{3,})\s+|([0-9]{3,})[-—－_])\s*(.+?)\s*$")
            .unwrap()
    });
    match re.captures(text) {
        Some(c) => {
            let code = c
                .get(1)
                .or_else(|| c.get(2))
                .or_else(|| c.get(3))
                .map(|m| m.as_str().to_string());
            (code, c[4].to_string())
        }
        None => (None, text.to_string()),
    }
}

/// A department's or unit's code split off wherever it sits: before the name
/// ([`split_department_code`]) or after it, apart or in brackets (`某局 301001`,
/// `某局（301001）`). A year is never a code (`某局(2024)`).
pub(super) fn split_unit_code(text: &str) -> (Option<String>, String) {
    let (code, name) = split_department_code(text);
    if code.is_some() {
        return (code, name);
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^\s*(.*?[^\s0-9].*?)(?:\s+([0-9]{3,})|\s*[\[【(（]\s*([0-9]{3,})\s*[\]】)）])\s*$",
        )
        .unwrap()
    });
    let Some(c) = re.captures(text) else {
        return (None, name);
    };
    let code = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
    let year = code.len() == 4 && (code.starts_with("19") || code.starts_with("20"));
    if year {
        return (None, name);
    }
    (Some(code.to_string()), c[1].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_naming_a_code() {
        assert!(names_code("财政资金预算分类"));
        assert!(names_code("财政资金科目代码"));
        assert!(names_code("部门预算编码："));
        assert!(names_code("支出功能分类科目（类款项）"));
        assert!(!names_code("项目总预算"));
        assert!(!names_code("其中：财政资金"));
    }
}
