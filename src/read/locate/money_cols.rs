//! A money block's columns told by their headings: the year's amounts, a share of the total
//! (`占比`), earlier years' actuals (`近两年收支金额`, `2021年`). Only the amounts are the
//! year's money; the earlier years' are lines of another span, the shares no money at all
//! (kept as printed, in `extra`).
//!
//! ```text
//!  | 部门总体资金情况 | 单位:万元 | 当年金额 | 占比  | 近两年收支金额     |  <- headings: no line
//!  |                  |           |          |       | 2021年  | 2022年   |  <- no year of the table
//!  | 收入构成         | 财政拨款  | 108292.73| 88.3% | 90147   | 98577.39 |
//!  |                  | 合计      | 122641.5 | 100%  | 95966   | 109175.04|  <- closes its block
//!  | 支出构成         | 基本支出  | 93199.91 | 76%   | 81781   | 99611.05 |
//!  |                  | 合计      | 122641.5 | 100%  | 95966   | 109175.04|  <- a block of its own
//! ```
//!
//! The form's blank year (`年 | 年`, the digits left for the filler to write: `  年`,
//! `____年`, `20  年`) heads a column of another span as a year does.
//!
//! A funding label left without a value whose column holds the amounts of the rows below,
//! each led by a line label of its own (`资金来源 | 资金总额` over `其中:财政拨款 | 500`), is
//! the heading of that column: no line either.

use super::blocks::year_heading;
use super::header::{HeaderStage, Pending};
use super::label_shape::looks_like_label;
use super::lines::is_amount;
use super::tokens::Tok;
use super::Draft;
use crate::read::grid::CellValue;
use crate::read::labels::normalize_label;

/// What a column of a money block holds, told by its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MoneyCol {
    /// A share of the total (`占比`, `比重`): no money.
    Share,
    /// Earlier years' or another span's amounts (`近两年收支金额`, `2021年`, `上年决算数`).
    Other,
    /// The year's amounts (`金额`, `预算数`).
    Amount,
}

/// Words of a heading over shares of the total.
const SHARE_WORDS: &[&str] = &["占比", "比例", "比重", "百分比", "构成比", "%"];
/// Words of a heading over earlier years' or another span's amounts.
const OTHER_WORDS: &[&str] = &[
    "上年",
    "上一年",
    "前年",
    "近两年",
    "近三年",
    "前两年",
    "前三年",
    "以前年度",
    "往年",
    "决算",
    "执行数",
    "实际",
];
/// Words of a heading over amounts.
const AMOUNT_WORDS: &[&str] = &["金额", "资金", "预算", "经费", "数额", "收入", "支出"];

/// A year heading, or one whose digits were left blank for the filler (`年`, `  年`,
/// `____年`, `20__年`): a column of another span either way.
pub(super) fn is_year_heading(text: &str) -> bool {
    year_heading(text).is_some() || is_blank_year(text)
}

/// A year with its digits left blank: `年` (or `年度`) after blanks, underscores and at most
/// the century's digits (`20  年`).
fn is_blank_year(text: &str) -> bool {
    let t = text.trim();
    let Some(head) = t.strip_suffix("年度").or_else(|| t.strip_suffix('年')) else {
        return false;
    };
    let blank = |c: char| c.is_whitespace() || matches!(c, '_' | '＿');
    let rest = head.trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = head.len() - rest.len();
    // `20  年` keeps the century and blanks the rest; `20年` is no year heading.
    rest.chars().all(blank) && digits <= 2 && (digits == 0 || !rest.is_empty())
}

/// What the column under a heading holds, when the heading says (none for other words).
pub(crate) fn column_kind(text: &str) -> Option<MoneyCol> {
    let n = normalize_label(text);
    if SHARE_WORDS.iter().any(|w| n.contains(w)) {
        Some(MoneyCol::Share)
    } else if OTHER_WORDS.iter().any(|w| n.contains(w)) || is_year_heading(text) {
        Some(MoneyCol::Other)
    } else if AMOUNT_WORDS.iter().any(|w| n.contains(w)) {
        Some(MoneyCol::Amount)
    } else {
        None
    }
}

/// The headings right of an amount column's heading (`当年金额 | 占比 | 近两年收支金额`): each
/// column's kind, when every cell is a heading no field answers to and one of them heads
/// something other than the year's amounts.
fn heads_right(rest: &[Tok<'_>]) -> Option<Vec<(u32, MoneyCol)>> {
    if rest.is_empty() || rest.windows(2).any(|w| w[0].cell == w[1].cell) {
        return None;
    }
    let cols = rest
        .iter()
        .map(|t| {
            // Words, perhaps with a percent sign (`占比(%)`), or a year.
            let words = t.label.is_none()
                && t.inline_value.is_none()
                && matches!(t.value, CellValue::Text(_))
                && !is_amount(t)
                && (looks_like_label(t)
                    || is_year_heading(&t.text)
                    || (t.text.chars().count() <= 12 && t.text.contains(['%', '％'])));
            words
                .then(|| column_kind(&t.text))
                .flatten()
                .map(|k| (t.cell.col, k))
        })
        .collect::<Option<Vec<_>>>()?;
    cols.iter()
        .any(|(_, k)| *k != MoneyCol::Amount)
        .then_some(cols)
}

/// A row holding an amount column's heading with the headings right of it (see
/// [`HeaderStage::read_money_heads`]): no row of headings over values.
pub(super) fn opens_money_heads(toks: &[Tok<'_>]) -> bool {
    toks.iter().enumerate().any(|(k, t)| {
        t.field().is_some_and(|f| f.starts_with("funding."))
            && t.inline_value.is_none()
            && heads_right(&toks[k + 1..]).is_some()
    })
}

impl HeaderStage {
    /// A funding label with headings right of it and no amount (`当年金额 | 占比 |
    /// 近两年收支金额`): it heads the column of the year's amounts below (waiting for them, as
    /// a label without a value does), the others say what their columns hold. Returns how
    /// many cells it took (none when the row is not one).
    pub(super) fn read_money_heads(
        &mut self,
        d: &mut Draft<'_>,
        toks: &[Tok<'_>],
        i: usize,
        field: &'static str,
        label: &str,
    ) -> usize {
        let t = &toks[i];
        if !field.starts_with("funding.") || t.inline_value.is_some() {
            return 0;
        }
        let Some(cols) = heads_right(&toks[i + 1..]) else {
            return 0;
        };
        d.await_value(field, t.cell, label);
        self.pending_below
            .push(Pending::new(field, t.cell.col, label));
        // The other headings stay as printed, in `extra`.
        self.funds.money_cols = cols;
        self.funding_row = true;
        toks.len() - i
    }

    /// A row of years only under a heading of earlier years (`近两年收支金额` over `2021年 |
    /// 2022年`, or the blank `年 | 年`), or two years or more side by side: column headings, never the table's year.
    /// Each year heads a column of another span. Returns whether the row was one.
    pub(super) fn read_year_heads(&mut self, toks: &[Tok<'_>]) -> bool {
        if toks.is_empty() || !toks.iter().all(|t| is_year_heading(&t.text)) {
            return false;
        }
        let under_other = toks.iter().all(|t| {
            self.funds
                .money_cols
                .iter()
                .rev()
                .find(|(c, _)| *c <= t.cell.col)
                .is_some_and(|(_, k)| *k == MoneyCol::Other)
        });
        if toks.len() < 2 && !under_other {
            return false;
        }
        if under_other {
            for t in toks {
                let col = t.cell.col;
                match self.funds.money_cols.iter().position(|(c, _)| *c == col) {
                    Some(k) => self.funds.money_cols[k].1 = MoneyCol::Other,
                    None => self.funds.money_cols.push((col, MoneyCol::Other)),
                }
            }
            self.funds.money_cols.sort_by_key(|(c, _)| *c);
        }
        // The cells stay as printed, in `extra`.
        true
    }

    /// Ends the money block's columns at a row with no funding label and no amount.
    pub(super) fn end_money_cols(&mut self, toks: &[Tok<'_>]) {
        let money = toks
            .iter()
            .any(|t| t.field().is_some_and(|f| f.starts_with("funding.")) || is_amount(t));
        if !money {
            self.funds.money_cols.clear();
        }
    }

    /// Funding labels left without a value whose column holds this row's amount, the row led
    /// by a line label of its own: headings of the amounts' column, no lines. Returns the
    /// labels still waiting.
    pub(super) fn drop_column_heads(
        &mut self,
        d: &mut Draft<'_>,
        pending: Vec<Pending>,
        toks: &[Tok<'_>],
    ) -> Vec<Pending> {
        pending
            .into_iter()
            .filter(|p| {
                let heads = p.field.starts_with("funding.")
                    && toks
                        .iter()
                        .any(|t| t.cell.col == p.col && t.label.is_none() && is_amount(t));
                if !heads {
                    return true;
                }
                // The heading stays as printed, in `extra`; the field waits for a line.
                let empty = d
                    .table
                    .cells
                    .get(p.field)
                    .filter(|f| f.raw.trim().is_empty())
                    .map(|f| f.cell);
                if let Some(cell) = empty {
                    d.table.cells.remove(p.field);
                    d.unuse_cell(cell);
                }
                false
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_with_its_digits_blank_is_a_year_heading() {
        for text in [
            "年",
            "  年",
            "____年",
            "＿＿年",
            "20  年",
            "20__年",
            " 年度",
        ] {
            assert!(is_year_heading(text), "{text}");
            assert_eq!(column_kind(text), Some(MoneyCol::Other), "{text}");
        }
        for text in ["20年", "年份", "当年", "全年金额", "2 0 2 1", "x年"] {
            assert!(!is_blank_year(text), "{text}");
        }
        assert!(is_year_heading("2021年"));
    }
}
