//! A row of headings over the values they head: each heading is a metadata field with the
//! value under it, or, over amounts in a funding block, a funding line.
//!
//! ```text
//!  | 项目实施进度计划 | 项目实施内容 (B:D)         | 开始时间 | 完成时间 |
//!  |                  | 通过采购…使空气质量达到优良 | 20246    | 20251    |
//!
//!  | 专项资金情况 | 本年度预计投入(万元) | 财政资金(万元) (D:G)        | 其他 |
//!  |              |                      | 中央 | 省级 | 市级资金 | 本级 |      |
//!  |              | 7                    | 0    | 7    | 0        | 0    | 0    |
//! ```
//!
//! The headings (three or more cells of words only, at least one no field answers to; labels
//! only of funding lines) wait for the row below. Under headings that name a funding line, a
//! second row of words is a row of sub-headings, and a row of amounts gives one line per
//! amount, under the lowest heading over its column (a heading spread over sub-headings has no
//! amount of its own, so it is no line); the first amount's line, a total, is the parent of the
//! others. Otherwise, when each cell of the row below sits under a heading, every row that fits
//! gives one metadata field per heading. A first heading with nothing under it names the block
//! and stays as printed, in `extra`. When the rows below do not fit, the headings are read as
//! they would have been: label and value pairs.

use super::funding::Funds;
use super::label_shape::looks_like_label;
use super::lines::{heads_amounts, is_amount};
use super::meta::read_unknown_pair;
use super::tokens::Tok;
use super::Draft;
use crate::cell::CellRef;
use crate::model::{FundingScope, MetaField};
use crate::read::grid::CellValue;
use crate::read::values::{collapse_spaces, parse_amount_text};

/// The fewest headings that make a row of headings.
const MIN_HEADS: usize = 3;

/// One heading: its cell, its printed text, the field its label names (if any).
type Head = (CellRef, String, Option<&'static str>);

/// A row of headings, its sub-headings, and how many rows under them were read.
#[derive(Debug)]
pub(super) struct Heads {
    heads: Vec<Head>,
    sub: Vec<Head>,
    rows: usize,
}

/// A heading's field, when it may stand in a row of headings: none, or a funding line's or
/// group's.
fn head_field(t: &Tok<'_>) -> Result<Option<&'static str>, ()> {
    match t.label.as_ref().map(|(d, _)| d.id.as_str()) {
        None => Ok(None),
        Some(f) if f.starts_with("funding.") || f.starts_with("group.") => Ok(Some(f)),
        Some(_) => Err(()),
    }
}

fn heads_of(toks: &[Tok<'_>]) -> Option<Vec<Head>> {
    // One cell per column: a cell split into pairs is no heading.
    let distinct = toks.windows(2).all(|w| w[0].cell != w[1].cell);
    if !distinct {
        return None;
    }
    toks.iter()
        .map(|t| {
            // A cell stating the table's unit (`部门资金总体情况 | 单位：万元 | 本年金额`) heads
            // nothing: the row is no row of headings.
            let words = t.inline_value.is_none()
                && (looks_like_label(t) || t.label.is_some())
                && !super::blocks::is_unit_line(&t.text);
            let field = head_field(t).ok()?;
            words.then(|| {
                (
                    t.cell,
                    collapse_spaces(t.text.trim_end_matches(['：', ':'])),
                    field,
                )
            })
        })
        .collect()
}

impl Heads {
    /// The row's headings, when it is a row of them.
    pub(super) fn of(toks: &[Tok<'_>]) -> Option<Heads> {
        if toks.len() < MIN_HEADS {
            return None;
        }
        // A funding label with the heading of its amounts' column last on the row
        // (`项目资金(万元) | 年度资金总额 | 金额(万元)`): the heading of a block of line and
        // amount rows, which the header stage reads, not headings over values.
        if let [.., l, u] = toks {
            if l.field().is_some_and(|f| f.starts_with("funding.")) && heads_amounts(u) {
                return None;
            }
        }
        // An amount column's heading with the headings of shares and earlier years right of
        // it (`当年金额 | 占比 | 近两年收支金额`): the money block's columns.
        if super::money_cols::opens_money_heads(toks) {
            return None;
        }
        let heads = heads_of(toks)?;
        heads.iter().any(|h| h.2.is_none()).then_some(Heads {
            heads,
            sub: Vec::new(),
            rows: 0,
        })
    }

    /// Headings that name a funding line.
    fn over_funding(&self) -> bool {
        self.heads
            .iter()
            .any(|h| h.2.is_some_and(|f| f.starts_with("funding.")))
    }

    /// The heading over a column: the nearest at or left of it.
    fn over(&self, col: u32) -> Option<usize> {
        self.heads.iter().rposition(|(c, _, _)| c.col <= col)
    }

    /// Reads a row under the headings; false (nothing read) when the row does not fit.
    pub(super) fn read_row(
        &mut self,
        d: &mut Draft<'_>,
        funds: &mut Funds,
        toks: &[Tok<'_>],
    ) -> bool {
        if self.over_funding() {
            if self.rows == 0 && self.sub.is_empty() {
                if let Some(sub) = heads_of(toks).filter(|s| self.fits(s)) {
                    self.sub = sub;
                    return true;
                }
            }
            return self.rows == 0 && self.read_amounts(d, funds, toks);
        }
        self.sub.is_empty() && self.read_values(d, toks)
    }

    /// Every sub-heading under a heading.
    fn fits(&self, sub: &[Head]) -> bool {
        sub.iter().all(|s| self.over(s.0.col).is_some())
    }

    /// A row of amounts under headings of funding lines.
    fn read_amounts(&mut self, d: &mut Draft<'_>, funds: &mut Funds, toks: &[Tok<'_>]) -> bool {
        let amount = |t: &Tok<'_>| {
            t.label.is_none()
                && (matches!(t.value, CellValue::Number(_)) || parse_amount_text(&t.text).is_some())
        };
        if !toks.iter().all(amount) {
            return false;
        }
        // The lowest heading over each amount: a sub-heading in its column, else the heading
        // in its column, else the heading spread over it.
        let mut leaves = Vec::with_capacity(toks.len());
        for t in toks {
            let col = t.cell.col;
            let leaf = self
                .sub
                .iter()
                .find(|s| s.0.col == col)
                .or_else(|| self.heads.iter().find(|h| h.0.col == col))
                .or_else(|| self.over(col).map(|k| &self.heads[k]));
            match leaf {
                Some(l) => leaves.push(l.clone()),
                None => return false,
            }
        }
        if leaves.is_empty() {
            return false;
        }
        self.rows += 1;
        for h in self.heads.iter().chain(&self.sub) {
            if leaves.iter().any(|l| l.0 == h.0)
                || self
                    .sub
                    .iter()
                    .any(|s| self.over(s.0.col).is_some_and(|k| self.heads[k].0 == h.0))
            {
                d.use_cell(h.0);
            }
        }
        let first = &leaves[0];
        let scope = first
            .2
            .and_then(|f| d.profile.funding_by_field(f))
            .and_then(|f| f.scope)
            .unwrap_or_else(|| {
                if ["年度", "本年", "当年"].iter().any(|w| first.1.contains(w)) {
                    FundingScope::Annual
                } else {
                    FundingScope::default()
                }
            });
        // The first amount's line is the total of the others, unless its heading says it is
        // a part (`其中:上级财政补助资金 | 其中:同级财政资金 | 其他`): then every amount is a part
        // of the total printed above (`项目当年预算 | 25`), in its span.
        let parts_only = collapse_spaces(&first.1).starts_with("其中");
        let lines = &d.table.funding.lines;
        let above = parts_only
            .then(|| {
                lines
                    .iter()
                    .rposition(|l| l.scope == scope && l.role.as_deref() == Some("total"))
            })
            .flatten();
        // That total printed beside the project's on one row (`项目总预算 | 75 | 项目当年预算 |
        // 25`), its own parts below it: a span of its own, no part of the project's.
        if let Some(k) = above {
            let lines = &mut d.table.funding.lines;
            let beside = lines[k].parent.and_then(|p| lines.get(p)).is_some_and(|p| {
                p.scope != lines[k].scope
                    && p.cell
                        .zip(lines[k].cell)
                        .is_some_and(|(a, b)| a.row == b.row)
            });
            if beside {
                lines[k].parent = None;
            }
        }
        let parent = d.table.funding.lines.len();
        for (k, (t, leaf)) in toks.iter().zip(&leaves).enumerate() {
            let field: &'static str = match leaf.2 {
                Some(f) if f.starts_with("funding.") => f,
                _ => "funding.line",
            };
            d.use_cell(t.cell);
            d.extend(t.cell);
            if k == 0 && field != "funding.line" {
                d.record(field, t.cell, &t.text);
            }
            let index = d.table.funding.lines.len();
            let unit = super::funding::label_unit(&leaf.1);
            funds.add_line(
                d,
                field,
                &leaf.1,
                t.cell,
                &t.text,
                Some(t.value),
                unit,
                scope,
                false,
            );
            if let Some(l) = d.table.funding.lines.get_mut(index) {
                l.parent = if parts_only {
                    above
                } else {
                    (k > 0).then_some(parent)
                };
            }
        }
        true
    }

    /// A row of values under headings no field answers to: metadata.
    fn read_values(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        let mut under: Vec<Option<&Tok<'_>>> = vec![None; self.heads.len()];
        for t in toks {
            if t.label.is_some() {
                return false;
            }
            let Some(h) = self.over(t.cell.col) else {
                return false;
            };
            if under[h].replace(t).is_some() {
                return false;
            }
        }
        // A short text of words is a label (`申请额度（万元） | 85` under `业务归口处室 | 市园林局 |
        // 资金使用单位 | …`: rows of label and value pairs), never a value under a heading.
        if toks.iter().any(looks_like_label) {
            return false;
        }
        let first_row = self.rows == 0;
        self.rows += 1;
        for (k, ((cell, label, _), value)) in self.heads.iter().zip(&under).enumerate() {
            match value {
                Some(v) => {
                    d.use_cell(*cell);
                    d.use_cell(v.cell);
                    d.extend(v.cell);
                    if first_row {
                        d.unknown_labels.push((*cell, label.clone()));
                    }
                    d.table.metadata.push(MetaField {
                        key: String::new(),
                        label: label.clone(),
                        value: collapse_spaces(&v.text),
                        cell: Some(v.cell),
                    });
                }
                // The first heading with nothing under it names the block.
                None if k == 0 => {}
                None if first_row => {
                    d.use_cell(*cell);
                    d.unknown_labels.push((*cell, label.clone()));
                    d.table.metadata.push(MetaField {
                        key: String::new(),
                        label: label.clone(),
                        value: String::new(),
                        cell: Some(*cell),
                    });
                }
                None => {}
            }
        }
        true
    }

    /// The headings when no row was read under them: label and value pairs, as any row of
    /// words no field answers to.
    /// Headings of funding lines with no amount under them are lines without one, unless the
    /// row `below` them, led by a line label of its own, holds an amount in their column
    /// (`资金情况(万元) | 资金来源渠道 | 资金总额` over `其中:财政拨款 | 500`): then they head
    /// the column of amounts, no line (kept as printed, in `extra`).
    pub(super) fn flush(self, d: &mut Draft<'_>, funds: &mut Funds, below: &[Tok<'_>]) {
        if self.rows > 0 {
            return;
        }
        let heads_column = |cell: &CellRef| {
            below.first().is_some_and(|f| {
                (f.label.is_some() || looks_like_label(f)) && f.cell.col < cell.col
            }) && below
                .iter()
                .any(|t| t.cell.col == cell.col && t.label.is_none() && is_amount(t))
        };
        for row in [&self.heads, &self.sub] {
            for pair in row.chunks(2) {
                if let [(lc, l, None), (vc, v, None)] = pair {
                    read_unknown_pair(d, *lc, l, *vc, v);
                }
            }
            for (cell, label, field) in row {
                if let Some(f) = field.filter(|f| f.starts_with("funding.")) {
                    if heads_column(cell) {
                        continue;
                    }
                    d.use_cell(*cell);
                    let scope = d
                        .profile
                        .funding_by_field(f)
                        .and_then(|f| f.scope)
                        .unwrap_or_default();
                    let unit = super::funding::label_unit(label);
                    funds.add_line(d, f, label, *cell, "", None, unit, scope, true);
                }
            }
        }
    }
}
