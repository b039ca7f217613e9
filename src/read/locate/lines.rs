//! Funding lines read by what they say, where no field answers to their labels: a part
//! under a line (`其中:省级补助 | 120`), a block's heading whose value is its first line's
//! label (`资金金额(万元) | 年底金额(万元) | 120`), the numbering that nests lines
//! (`(一)财政拨款小计` over `1、一般公共预算`), and the cell heading a column of amounts
//! (`金额(万元)`).
//!
//! ```text
//!  | 项目资金(万元) | 年度资金总额          | 金额(万元) |   <- a heading row: no line
//!  |                |   (一)财政拨款小计    | 4.00       |
//!  |                |       1、一般公共预算 | 4.00       |   <- under (一)
//!  | 资金金额(万元) | 年底金额(万元)        | 120        |   <- the year's total
//!  |                | 其中:省级补助         | 120        |   <- under it
//! ```

use std::sync::OnceLock;

use regex::Regex;

use super::funding::label_unit;
use super::header::HeaderStage;
use super::label_shape::{looks_like_label, strip_numbering};
use super::tokens::Tok;
use super::Draft;
use crate::model::FundingScope;
use crate::read::grid::CellValue;
use crate::read::labels::normalize_label;
use crate::read::values::collapse_spaces;

impl HeaderStage {
    /// A part printed under funding lines with its amount (`其中:省级补助 | 120`), its label no
    /// field answers to: a line under the nearest line above that is not a part, in that
    /// line's span. Returns how many cells it took (none when `toks[i]` is not one).
    pub(super) fn read_part_line(
        &mut self,
        d: &mut Draft<'_>,
        toks: &[Tok<'_>],
        i: usize,
    ) -> usize {
        let t = &toks[i];
        let label = collapse_spaces(&t.text);
        let Some(n) = toks
            .get(i + 1)
            .filter(|n| n.label.is_none() && n.cell != t.cell && is_amount(n))
        else {
            return 0;
        };
        if !label.starts_with("其中") || t.inline_value.is_some() {
            return 0;
        }
        let lines = &d.table.funding.lines;
        let Some(parent) = lines.iter().rposition(|l| !l.label.starts_with("其中")) else {
            return 0;
        };
        let scope = lines[parent].scope;
        d.use_cell(t.cell);
        d.use_cell(n.cell);
        d.extend(n.cell);
        self.fields += 1;
        let index = d.table.funding.lines.len();
        self.funds.add_line(
            d,
            "funding.line",
            &label,
            n.cell,
            &n.text,
            Some(n.value),
            label_unit(&label),
            scope,
            false,
        );
        if let Some(l) = d.table.funding.lines.get_mut(index) {
            l.parent = Some(parent);
        }
        2
    }

    /// A row of labels naming money and nothing else (`同名项目上年预算额 | (blank) |
    /// 同名项目上年预算执行数 | (blank)`): lines the form leaves without an amount, of the
    /// year unless they name another span (`上年`, `执行数`). Returns how many cells it took
    /// (none when the row is not one).
    pub(super) fn read_blank_lines(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> usize {
        let money_label = |t: &Tok<'_>| {
            t.label.is_none()
                && t.inline_value.is_none()
                && looks_like_label(t)
                && names_money(&t.text)
        };
        if toks.len() < 2 || !toks.iter().all(money_label) {
            return 0;
        }
        for t in toks {
            let label = collapse_spaces(&t.text);
            let scope = if ["上年", "执行数"].iter().any(|w| label.contains(w)) {
                FundingScope::Other
            } else {
                FundingScope::Annual
            };
            self.add_line_without_amount(d, t, &label, scope);
        }
        toks.len()
    }

    /// A line's label under funding lines with no amount beside it (`政府性基金预算拨款: |
    /// (blank)`, the form's lines by budget type left blank): a line without an amount, a
    /// sibling of the line above it (a part of it when that one is a part of nothing), in its
    /// span.
    pub(super) fn read_line_without_amount(&mut self, d: &mut Draft<'_>, t: &Tok<'_>) {
        let lines = &d.table.funding.lines;
        let above = lines.len().checked_sub(1);
        let parent = above.and_then(|a| lines[a].parent.or(Some(a)));
        let scope = above.map(|a| lines[a].scope).unwrap_or_default();
        let label = collapse_spaces(&t.text);
        self.fields += 1;
        let index = self.add_line_without_amount(d, t, &label, scope);
        if let Some(l) = d.table.funding.lines.get_mut(index) {
            l.parent = parent;
        }
    }

    /// A funding line of `label` in `t`'s cell with no amount, in `scope`; its index.
    fn add_line_without_amount(
        &mut self,
        d: &mut Draft<'_>,
        t: &Tok<'_>,
        label: &str,
        scope: FundingScope,
    ) -> usize {
        d.use_cell(t.cell);
        d.extend(t.cell);
        let index = d.table.funding.lines.len();
        self.funds.add_line(
            d,
            "funding.line",
            label,
            t.cell,
            "",
            None,
            label_unit(label),
            scope,
            false,
        );
        index
    }

    /// A line naming a money unit, its label no field answers to, with its amount after it
    /// (`年底金额(万元) | 120`), perhaps after the block's heading whose value it would
    /// otherwise be (`资金金额(万元) | 年底金额(万元) | 120`): a funding line, and a line
    /// that names the block's amount rather than a source (`…金额`, `…总额`) is the year's
    /// total when none was read. Returns how many cells it took (none when `toks[i]` is not
    /// one); the caller marks the row a funding row.
    pub(super) fn read_money_line(
        &mut self,
        d: &mut Draft<'_>,
        toks: &[Tok<'_>],
        i: usize,
        saw_group: bool,
    ) -> usize {
        let t = &toks[i];
        let line_label =
            |n: &Tok<'_>| n.label.is_none() && n.inline_value.is_none() && looks_like_label(n);
        let amount = |k: usize| toks.get(k).filter(|a| a.label.is_none() && is_amount(a));
        let (heading, n, a) = match (toks.get(i + 1), amount(i + 2)) {
            (Some(n), Some(a)) if line_label(n) && names_money(&t.text) => (Some(t), n, a),
            _ => match amount(i + 1) {
                // A line naming an amount without a unit of its own (`绩效金额 | 300`) is
                // money in the unit the table's unit line says.
                Some(a) if line_label(t) && amount_line_label(d, t) => (None, t, a),
                _ => return 0,
            },
        };
        // The heading stays as printed, in `extra` (it names the block, nothing the model holds).
        if let Some(h) = heading {
            self.funds.block_unit = label_unit(&h.text).or(self.funds.block_unit);
        }
        d.use_cell(n.cell);
        d.use_cell(a.cell);
        let label = collapse_spaces(&n.text);
        let total = names_amount(&label)
            && !saw_group
            && !d.table.cells.contains_key("funding.annual_total");
        self.fields += 1;
        if total {
            let unit = label_unit(&label);
            self.set_field(
                d,
                "funding.annual_total",
                &label,
                a.cell,
                &a.text,
                Some(a.value),
                unit,
            );
        } else {
            d.extend(a.cell);
            self.funds.add_line(
                d,
                "funding.line",
                &label,
                a.cell,
                &a.text,
                Some(a.value),
                label_unit(&label),
                FundingScope::Annual,
                false,
            );
        }
        2 + usize::from(heading.is_some())
    }
}

/// How deep a list's numbering puts a label: 0 for none, then `一、`, `(一)`, `1、` / `1.`,
/// `(1)`, outermost first (the order Chinese documents number their outlines in).
pub(super) fn numbering_rank(label: &str) -> u8 {
    static RE: OnceLock<[Regex; 4]> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let res = RE.get_or_init(|| {
        [
            Regex::new(r"^\s*[一二三四五六七八九十]+\s*[、.．]").unwrap(),
            Regex::new(r"^\s*[(（]\s*[一二三四五六七八九十]+\s*[)）]").unwrap(),
            Regex::new(r"^\s*[0-9]{1,2}\s*[、.．]").unwrap(),
            Regex::new(r"^\s*[(（]\s*[0-9]{1,2}\s*[)）]").unwrap(),
        ]
    });
    if strip_numbering(label).len() == label.len() {
        return 0;
    }
    res.iter()
        .position(|re| re.is_match(label))
        .map_or(0, |k| k as u8 + 1)
}

/// Which item of its list a numbered label is (`二、` → 2, `(3)` → 3); 0 when it is not
/// numbered.
pub(super) fn numbering_ordinal(label: &str) -> u32 {
    let bare = strip_numbering(label);
    let mark = &label[..label.len() - bare.len()];
    let digits: String = mark.chars().filter(char::is_ascii_digit).collect();
    if let Ok(n) = digits.parse() {
        return n;
    }
    let value = |c: char| {
        "一二三四五六七八九十"
            .chars()
            .position(|d| d == c)
            .map(|k| k as u32 + 1)
    };
    let numerals: Vec<u32> = mark.chars().filter_map(value).collect();
    match numerals[..] {
        [] => 0,
        [n] => n,
        // 十一 … 十九, 二十 …
        [10, n] => 10 + n,
        [n, 10] => n * 10,
        [a, 10, b] => a * 10 + b,
        _ => 0,
    }
}

/// What a line naming a block's own amount ends in (`年度金额`, `资金总额`), as against a
/// source's name (`省级补助`).
const BLOCK_AMOUNT_WORDS: &[&str] = &["金额", "总额", "资金额"];

/// A label that names the block's amount rather than a source (`年底金额(万元)`, `资金总额`).
fn names_amount(label: &str) -> bool {
    let norm = normalize_label(label);
    let core = norm.split('(').next().unwrap_or_default();
    BLOCK_AMOUNT_WORDS.iter().any(|w| core.ends_with(w))
}

/// A line's label standing alone before its amount: it names an amount in a money unit
/// (`年底金额(万元)`), so it is money without a block heading over it.
pub(super) fn money_line_label(t: &Tok<'_>) -> bool {
    heads_amounts(t) && names_amount(&t.text)
}

/// A line's label standing alone before its amount: one in a money unit
/// ([`money_line_label`]), or one naming an amount without a unit of its own (`绩效金额`) in a
/// table whose unit line says the unit.
pub(super) fn amount_line_label(d: &Draft<'_>, t: &Tok<'_>) -> bool {
    money_line_label(t) || (names_amount(&t.text) && d.table.cells.contains_key("unit"))
}

/// An amount: a number, or a text that reads as one.
pub(super) fn is_amount(t: &Tok<'_>) -> bool {
    matches!(t.value, CellValue::Number(_))
        || crate::read::values::parse_amount_text(&t.text).is_some()
}

/// A label that names money: a money unit in brackets (`(万元)`) or a word for funds.
pub(super) fn names_money(text: &str) -> bool {
    label_unit(text).is_some()
        || ["资金", "金额", "预算", "经费"]
            .iter()
            .any(|w| text.contains(w))
}

/// A cell that heads a column of amounts rather than holding one: words naming a money unit
/// in brackets (`金额(万元)`, `年底金额（万元）`).
pub(super) fn heads_amounts(t: &Tok<'_>) -> bool {
    looks_like_label(t) && label_unit(&t.text).is_some()
}
