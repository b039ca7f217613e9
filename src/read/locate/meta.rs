//! Metadata: the labels of the header no field answers to, and the fields a form prints
//! besides its model's (联系电话, 填报日期, a label nobody listed), kept with their values.

use std::sync::OnceLock;

use regex::Regex;

use super::tokens::Tok;
use super::Draft;
use crate::cell::CellRef;
use crate::model::MetaField;
use crate::read::values::collapse_spaces;

/// A metadata label at `toks[i]` and its value; returns how many cells it took.
pub(super) fn read_meta(d: &mut Draft<'_>, toks: &[Tok<'_>], i: usize) -> usize {
    let t = &toks[i];
    let key = t
        .field()
        .map(|f| f.strip_prefix("meta.").unwrap_or("note"))
        .unwrap_or("")
        .to_string();
    d.use_cell(t.cell);
    let label = match (&t.inline_value, t.text.find(['：', ':'])) {
        (Some(_), Some(at)) => collapse_spaces(&t.text[..at]),
        _ => collapse_spaces(t.text.trim_end_matches(['：', ':'])),
    };
    let (value, cell, took) = match (&t.inline_value, toks.get(i + 1)) {
        (Some(v), _) => (v.clone(), t.cell, 1),
        // Never another pair of the same cell (`填报单位:(盖章) 单位:万元`).
        (None, Some(n)) if n.label.is_none() && n.cell != t.cell => {
            d.use_cell(n.cell);
            (collapse_spaces(&n.text), n.cell, 2)
        }
        _ => (String::new(), t.cell, 1),
    };
    // Several labels in one cell (`填表人：王五    联系电话：…    填报日期：…`): one field each.
    let split = split_meta_run(&value, d.profile.labels());
    let many = split.len() > 1;
    let mut parts = split.into_iter();
    let first = parts
        .next()
        .filter(|_| many)
        .map_or(value.clone(), |(_, _, v)| v);
    d.table.metadata.push(MetaField {
        key,
        label,
        value: first,
        cell: Some(cell),
    });
    for (key, label, value) in parts {
        d.table.metadata.push(MetaField {
            key,
            label,
            value,
            cell: Some(cell),
        });
    }
    took
}

/// The value a field holds under another printed label, kept as metadata before the field
/// is read again.
pub(super) fn keep_as_metadata(d: &mut Draft<'_>, field: &str) {
    let Some(f) = d.table.cells.get(field) else {
        return;
    };
    if f.label.is_empty() {
        return;
    }
    let meta = MetaField {
        key: String::new(),
        label: f.label.clone(),
        value: collapse_spaces(&f.raw),
        cell: Some(f.cell),
    };
    d.table.metadata.push(meta);
}

/// A label no field answers to and the cell after it: metadata under the printed label,
/// named in the table's `read.unknown-label` notice.
pub(super) fn read_unknown_label(d: &mut Draft<'_>, t: &Tok<'_>, n: &Tok<'_>) {
    read_unknown_pair(d, t.cell, &t.text, n.cell, &n.text);
}

/// [`read_unknown_label`] of a label's and a value's cells and texts.
pub(super) fn read_unknown_pair(
    d: &mut Draft<'_>,
    label_cell: CellRef,
    label: &str,
    cell: CellRef,
    value: &str,
) {
    d.use_cell(label_cell);
    d.use_cell(cell);
    let label = collapse_spaces(label.trim_end_matches(['：', ':']));
    d.unknown_labels.push((label_cell, label.clone()));
    d.table.metadata.push(MetaField {
        key: String::new(),
        label,
        value: collapse_spaces(value),
        cell: Some(cell),
    });
}

/// Splits a metadata value holding further `label：value` pairs, each after a run of spaces
/// (`王五    联系电话：0571-1234    填报日期：2026年11月20日`), into (key, label, value); the
/// first part has no label of its own (empty when the value opens with a label). A part whose label is not a metadata label stays with
/// the part before it.
fn split_meta_run(
    value: &str,
    labels: &crate::read::labels::Labels,
) -> Vec<(String, String, String)> {
    static RUN: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let run = RUN.get_or_init(|| Regex::new(r"\s{2,}|\u{3000}+").unwrap());
    let mut out: Vec<(String, String, String)> =
        vec![(String::new(), String::new(), String::new())];
    for part in run.split(value.trim()) {
        let meta = part.find(['：', ':']).and_then(|at| {
            let (l, rest) = part.split_at(at);
            let v = rest.trim_start_matches(['：', ':']).trim();
            labels
                .lookup(l)
                .and_then(|(f, _)| f.id.strip_prefix("meta."))
                .map(|k| (k.to_string(), collapse_spaces(l), v.to_string()))
        });
        match meta {
            // A value that opens with a label of its own (`填报单位(盖章)：单位负责人：谭呈祥`)
            // leaves the first label without a value.
            Some(m) => out.push(m),
            _ => {
                let last = out.last_mut().map(|p| &mut p.2);
                if let Some(v) = last {
                    if !v.is_empty() {
                        v.push(' ');
                    }
                    v.push_str(part.trim());
                }
            }
        }
    }
    out
}
