//! One matched pair compared: header fields, funding lines and indicators, each difference one
//! [`Change`] with the cell on each side.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Change, Kind, Options};
use crate::cell::CellRef;
use crate::model::fields;
use crate::model::{FundingScope, Table};
use crate::read::labels::normalize_label;
use crate::read::values::money_scale;
use crate::template::guide::move_years;

/// Compares two matched tables field by field.
struct Cmp<'a> {
    old: &'a Table,
    new: &'a Table,
    delta: i32,
    out: &'a mut Vec<Change>,
}

fn at(t: &Table, cell: Option<CellRef>) -> String {
    cell.map_or_else(String::new, |c| format!("{}!{c}", t.source.sheet))
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when two indicator values say the same, each with its unit column: the same text
/// (spacing aside), or the same comparison of the same quantity as a person reads it — width
/// and spaces aside (`≥80%` = `≥ 80 %`), money in any unit (`60万元` = `600000元`, or `60` in a
/// `万元` column).
pub(super) fn same_value(
    old: &str,
    old_unit: Option<&str>,
    new: &str,
    new_unit: Option<&str>,
) -> bool {
    if squeeze(old) == squeeze(new) && old_unit.map(str::trim) == new_unit.map(str::trim) {
        return true;
    }
    let quantity = |raw: &str, column: Option<&str>| {
        let v = crate::read::values::parse_value(raw);
        let unit = v
            .unit
            .or_else(|| column.map(str::to_string))
            .map(|u| crate::read::values::fold_width(u.trim()))
            .unwrap_or_default();
        let number = v.number?;
        // Money in 万元, whatever it was written in.
        let per_wan = match unit.as_str() {
            "元" => Some(Decimal::new(1, 4)),
            "千元" => Some(Decimal::new(1, 1)),
            "万元" | "万" => Some(Decimal::ONE),
            "亿元" => Some(Decimal::from(10_000)),
            _ => None,
        };
        Some(match per_wan {
            Some(f) => (v.comparator, (number * f).normalize(), "万元".to_string()),
            None => (v.comparator, number.normalize(), unit),
        })
    };
    match (quantity(old, old_unit), quantity(new, new_unit)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn amount_text(d: Option<Decimal>) -> String {
    d.map_or_else(String::new, |d| money_scale(d).to_string())
}

impl Cmp<'_> {
    fn push(
        &mut self,
        kind: Kind,
        field: String,
        old: String,
        new: String,
        cells: (Option<CellRef>, Option<CellRef>),
    ) {
        self.out.push(Change {
            project: self.new.display_name().to_string(),
            field,
            old,
            new,
            old_cell: at(self.old, cells.0),
            new_cell: at(self.new, cells.1),
            kind,
            old_file: self.old.source.file.clone(),
            new_file: self.new.source.file.clone(),
        });
    }

    /// A text field: compared after squeezing blanks and moving the old side's years.
    fn text(&mut self, label: &str, path: &str, old: &str, new: &str) {
        let moved = move_years(old, self.delta);
        if squeeze(&moved) == squeeze(new) {
            return;
        }
        let kind = match (old.trim().is_empty(), new.trim().is_empty()) {
            (true, false) => Kind::Added,
            (false, true) => Kind::Removed,
            _ => Kind::Changed,
        };
        let cells = (self.old.cell_of(path), self.new.cell_of(path));
        self.push(
            kind,
            label.to_string(),
            old.to_string(),
            new.to_string(),
            cells,
        );
    }

    fn amount(
        &mut self,
        label: String,
        old: (Option<Decimal>, Option<CellRef>),
        new: (Option<Decimal>, Option<CellRef>),
    ) {
        if old.0 == new.0 {
            return;
        }
        let kind = match (old.0, new.0) {
            (None, Some(_)) => Kind::Added,
            (Some(_), None) => Kind::Removed,
            _ => Kind::Changed,
        };
        self.push(
            kind,
            label,
            amount_text(old.0),
            amount_text(new.0),
            (old.1, new.1),
        );
    }
}

/// The text fields compared, in the order changes are listed (names and values from the one
/// table of field paths, [`fields`]).
const TEXT_FIELDS: &[&str] = &[
    "project.name",
    "project.department",
    "project.implementing_unit",
    "project.attribute",
    "project.period",
    "project.category",
    "title",
    "goal",
    "long_term_goal",
];

/// A field's name in a change: its group before it where groups share names
/// (`本级资金/财政拨款`).
fn field_label(f: &fields::Field) -> String {
    if f.group.is_empty() || f.name.starts_with(f.group) {
        f.name.to_string()
    } else {
        format!("{}/{}", f.group, f.name)
    }
}

/// The funding lines of a table by their place: parent label / label, scope, and occurrence.
fn line_keys(t: &Table) -> Vec<(String, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    t.funding
        .lines
        .iter()
        .map(|l| {
            let parent = l
                .parent
                .and_then(|p| t.funding.lines.get(p))
                .map(|p| format!("{}/", p.label.trim()))
                .unwrap_or_default();
            let scope = match l.scope {
                FundingScope::Annual => "",
                FundingScope::MidTerm => "（中期）",
                FundingScope::Other => "（其他）",
            };
            let words = format!("{parent}{}{scope}", l.label.trim());
            let key = normalize_label(&words);
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            (format!("{key}#{n}"), words)
        })
        .collect()
}

/// The indicators of a table by their place in the grid: levels and name, and occurrence.
fn indicator_keys(t: &Table, delta: i32) -> Vec<(String, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    t.indicators
        .iter()
        .map(|ind| {
            let words = format!(
                "{}/{}/{}",
                ind.level1.trim(),
                ind.level2.trim(),
                ind.name.trim()
            );
            let key = normalize_label(&move_years(&words, delta));
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            (format!("{key}#{n}"), words)
        })
        .collect()
}

pub(super) fn compare(
    o: &Table,
    n: &Table,
    opts: Options,
    batch_delta: i32,
    out: &mut Vec<Change>,
) {
    let delta = if opts.ignore_years {
        match (o.year, n.year) {
            (Some(a), Some(b)) => b - a,
            _ => batch_delta,
        }
    } else {
        0
    };
    let mut c = Cmp {
        old: o,
        new: n,
        delta,
        out,
    };
    for f in TEXT_FIELDS.iter().filter_map(|p| fields::field(p)) {
        let (a, b) = (f.text(o).unwrap_or(""), f.text(n).unwrap_or(""));
        c.text(&field_label(f), f.path, a, b);
    }
    if o.year.map(|y| y + delta) != n.year {
        let y = |t: &Table| t.year.map(|y| y.to_string()).unwrap_or_default();
        c.push(
            Kind::Changed,
            "年度".to_string(),
            y(o),
            y(n),
            (o.cell_of("year"), n.cell_of("year")),
        );
    }
    if o.funding.lines.is_empty() && n.funding.lines.is_empty() {
        for f in fields::amounts() {
            c.amount(
                field_label(f),
                (f.amount(&o.funding), o.cell_of(f.path)),
                (f.amount(&n.funding), n.cell_of(f.path)),
            );
        }
    } else {
        // The lines as printed are the amounts: each one compared once.
        let (ok, nk) = (line_keys(o), line_keys(n));
        let old_at: HashMap<&str, usize> = ok
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.as_str(), i))
            .collect();
        let mut old_seen = vec![false; ok.len()];
        for (j, (key, words)) in nk.iter().enumerate() {
            let nl = &n.funding.lines[j];
            match old_at.get(key.as_str()) {
                Some(&i) => {
                    old_seen[i] = true;
                    let ol = &o.funding.lines[i];
                    c.amount(
                        format!("资金：{words}"),
                        (ol.amount, ol.cell),
                        (nl.amount, nl.cell),
                    );
                }
                None => c.push(
                    Kind::Added,
                    format!("资金：{words}"),
                    String::new(),
                    amount_text(nl.amount),
                    (None, nl.cell),
                ),
            }
        }
        for (i, (_, words)) in ok.iter().enumerate() {
            if !old_seen[i] {
                let ol = &o.funding.lines[i];
                c.push(
                    Kind::Removed,
                    format!("资金：{words}"),
                    amount_text(ol.amount),
                    String::new(),
                    (ol.cell, None),
                );
            }
        }
    }
    let (ok, nk) = (indicator_keys(o, delta), indicator_keys(n, 0));
    let old_at: HashMap<&str, usize> = ok
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    let mut old_seen = vec![false; ok.len()];
    for (j, (key, words)) in nk.iter().enumerate() {
        let ni = &n.indicators[j];
        match old_at.get(key.as_str()) {
            Some(&i) => {
                old_seen[i] = true;
                let oi = &o.indicators[i];
                let field = format!("指标：{words}");
                let moved = move_years(&oi.value.raw, delta);
                let same = same_value(
                    &moved,
                    oi.unit_column.as_deref(),
                    &ni.value.raw,
                    ni.unit_column.as_deref(),
                );
                if !same {
                    c.push(
                        Kind::Changed,
                        field.clone(),
                        oi.value.raw.clone(),
                        ni.value.raw.clone(),
                        (oi.cell, ni.cell),
                    );
                }
                let unit = |x: &Option<String>| x.as_deref().unwrap_or("").trim().to_string();
                if !same && unit(&oi.unit_column) != unit(&ni.unit_column) {
                    c.push(
                        Kind::Changed,
                        format!("{field}（度量单位）"),
                        unit(&oi.unit_column),
                        unit(&ni.unit_column),
                        (oi.cell, ni.cell),
                    );
                }
                if oi.weight != ni.weight {
                    c.push(
                        Kind::Changed,
                        format!("{field}（权重）"),
                        amount_text(oi.weight),
                        amount_text(ni.weight),
                        (oi.cell, ni.cell),
                    );
                }
            }
            None => c.push(
                Kind::Added,
                format!("指标：{words}"),
                String::new(),
                ni.value.raw.clone(),
                (None, ni.cell.or(ni.name_cell)),
            ),
        }
    }
    for (i, (_, words)) in ok.iter().enumerate() {
        if !old_seen[i] {
            let oi = &o.indicators[i];
            c.push(
                Kind::Removed,
                format!("指标：{words}"),
                oi.value.raw.clone(),
                String::new(),
                (oi.cell.or(oi.name_cell), None),
            );
        }
    }
}
