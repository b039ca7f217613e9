//! Codes are never money: a label that names a class or a code (`财政资金预算分类`,
//! `财政资金科目代码`, `单位编码`) holds a name or a code whatever its value looks like, and a
//! number shaped like a code (`21305` typed as text, `0301`) is never read as a further amount.
//!
//! ```text
//!  | 项目总预算    | 65 | 财政资金预算分类  | 一般公共预算 |   ← a class's name, not a funding line
//!  | 其中:财政资金 | 65 | 财政资金科目代码  | 21305       |   ← a code, not 21305 万元
//! ```

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
