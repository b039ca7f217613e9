//! Two versions of a batch, compared (`jixiao diff`).
//!
//! Projects are matched by name (normalised: width, blanks, `其中：`); what is left on both sides
//! is matched by the similarity of the names (character bigrams, Dice ≥ [`RENAME_SIMILARITY`]) and
//! reported as renamed; the rest is added or removed. For every matched pair each header field,
//! funding line and indicator is compared, and each difference is one [`Change`] with the cell
//! on each side.
//!
//! With [`Options::ignore_years`], the old side's years are moved by the difference of the
//! tables' years before comparing (`2026年12月前` in a 2026 table equals `2027年12月前` in a
//! 2027 one), and the year itself is not reported.
//!
//! Matching is here; comparing a matched pair is in `compare`, the workbook in `workbook`.

mod compare;
mod workbook;

use std::collections::HashMap;

use serde::Serialize;

use crate::model::Table;
use crate::read::labels::normalize_label;
use crate::read::values::money_scale;
use crate::template::guide::move_years;

use compare::compare;
pub use workbook::render;

/// Least name similarity for two unmatched projects to count as one renamed.
pub const RENAME_SIMILARITY: f64 = 0.5;

/// How to compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Ignore a shift of years (2026 → 2027) between the two sides.
    pub ignore_years: bool,
}

/// What happened to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Both sides have it, with different values.
    Changed,
    /// Only the new side has it.
    Added,
    /// Only the old side has it.
    Removed,
}

impl Kind {
    /// The Chinese word.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Changed => "修改",
            Kind::Added => "新增",
            Kind::Removed => "删除",
        }
    }
}

/// One difference inside a matched project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The project (its new name).
    pub project: String,
    /// The field, in words (`年度资金总额`, `资金：本级资金/财政拨款`, `指标：产出指标/数量指标/培训人次`).
    pub field: String,
    /// The old value (empty when added).
    pub old: String,
    /// The new value (empty when removed).
    pub new: String,
    /// Where the old value is: `sheet!C12` (empty when added or unknown).
    pub old_cell: String,
    /// Where the new value is.
    pub new_cell: String,
    /// Changed, added or removed.
    pub kind: Kind,
    /// The old file.
    pub old_file: String,
    /// The new file.
    pub new_file: String,
}

/// A project found on one side only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Only {
    /// The project.
    pub project: String,
    /// Its file.
    pub file: String,
    /// Its sheet.
    pub sheet: String,
    /// Its 年度资金总额, as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_total: Option<String>,
}

/// A project whose name changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Renamed {
    /// The old name.
    pub old: String,
    /// The new name.
    pub new: String,
    /// How alike the names are (0–1).
    pub similarity: f64,
    /// The old file and sheet.
    pub old_file: String,
    /// The new file and sheet.
    pub new_file: String,
}

/// Two matched tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// Old name.
    pub old: String,
    /// New name.
    pub new: String,
    /// Old `file「sheet」`.
    pub old_source: String,
    /// New `file「sheet」`.
    pub new_source: String,
    /// Changes found.
    pub changes: usize,
}

/// The comparison of two batches.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Every difference inside matched projects.
    pub changes: Vec<Change>,
    /// Projects only in the new batch.
    pub added: Vec<Only>,
    /// Projects only in the old batch.
    pub removed: Vec<Only>,
    /// Projects matched by similarity of their names.
    pub renamed: Vec<Renamed>,
    /// Every matched pair, in the new batch's order.
    #[serde(skip)]
    pub pairs: Vec<Pair>,
}

impl Diff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
    }
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v
}

/// Dice coefficient of the character bigrams of two names (1 = same).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize_label(a), normalize_label(b));
    if a == b {
        return 1.0;
    }
    let (x, y) = (bigrams(&a), bigrams(&b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

fn source(t: &Table) -> String {
    format!("{}「{}」", t.source.file, t.source.sheet)
}

fn only(t: &Table) -> Only {
    Only {
        project: t.display_name().to_string(),
        file: t.source.file.clone(),
        sheet: t.source.sheet.clone(),
        annual_total: t.funding.annual_total.map(|d| money_scale(d).to_string()),
    }
}

fn name_key(t: &Table, delta: i32) -> String {
    normalize_label(&move_years(&t.project.name, delta))
}

/// Compares two batches of tables (each in input order).
pub fn diff(old: &[Table], new: &[Table], opts: Options) -> Diff {
    // A batch-wide year shift for names (tables without a year take the batches' shift).
    let batch_delta = if opts.ignore_years {
        let year = |ts: &[Table]| ts.iter().find_map(|t| t.year);
        match (year(old), year(new)) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        }
    } else {
        0
    };
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in old.iter().enumerate() {
        by_name.entry(name_key(t, batch_delta)).or_default().push(i);
    }
    let mut old_used = vec![false; old.len()];
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    for (j, t) in new.iter().enumerate() {
        let key = normalize_label(&t.project.name);
        if let Some(list) = by_name.get_mut(&key) {
            if !list.is_empty() {
                let i = list.remove(0);
                old_used[i] = true;
                matched[j] = Some(i);
            }
        }
    }
    // Renames: the most similar unmatched names first.
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (j, t) in new
        .iter()
        .enumerate()
        .filter(|(j, _)| matched[*j].is_none())
    {
        for (i, o) in old.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
            let s = similarity(&move_years(&o.project.name, batch_delta), &t.project.name);
            if s >= RENAME_SIMILARITY {
                candidates.push((s, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = Diff::default();
    let mut renamed_pairs: HashMap<usize, f64> = HashMap::new();
    for (s, i, j) in candidates {
        if old_used[i] || matched[j].is_some() {
            continue;
        }
        old_used[i] = true;
        matched[j] = Some(i);
        renamed_pairs.insert(j, s);
    }
    for (j, t) in new.iter().enumerate() {
        let Some(i) = matched[j] else {
            out.added.push(only(t));
            continue;
        };
        let o = &old[i];
        if let Some(s) = renamed_pairs.get(&j) {
            out.renamed.push(Renamed {
                old: o.display_name().to_string(),
                new: t.display_name().to_string(),
                similarity: (s * 100.0).round() / 100.0,
                old_file: source(o),
                new_file: source(t),
            });
        }
        let before = out.changes.len();
        compare(o, t, opts, batch_delta, &mut out.changes);
        out.pairs.push(Pair {
            old: o.display_name().to_string(),
            new: t.display_name().to_string(),
            old_source: source(o),
            new_source: source(t),
            changes: out.changes.len() - before,
        });
    }
    for (i, o) in old.iter().enumerate() {
        if !old_used[i] {
            out.removed.push(only(o));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::CellRef;
    use crate::model::{Indicator, Value};
    use compare::same_value;
    use rust_decimal::Decimal;

    fn table(name: &str, year: i32, annual: i64, value: &str) -> Table {
        let mut t = Table::default();
        t.project.name = name.into();
        t.year = Some(year);
        t.title = format!("{year}年项目支出绩效目标表");
        t.goal = format!("{year}年12月前完成");
        t.funding.annual_total = Some(Decimal::new(annual, 2));
        t.source.sheet = "表1".into();
        t.cells.insert(
            "funding.annual_total".into(),
            crate::model::FieldSource {
                cell: CellRef::new(6, 2),
                raw: String::new(),
                label: String::new(),
            },
        );
        t.indicators.push(Indicator {
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            name: "培训人次".into(),
            value: Value {
                raw: value.into(),
                ..Value::default()
            },
            cell: Some(CellRef::new(11, 4)),
            ..Indicator::default()
        });
        t
    }

    #[test]
    fn one_changed_amount_is_one_change_at_its_cells() {
        let old = vec![table("甲项目", 2026, 4500, "≥100人次")];
        let mut new = old.clone();
        new[0].funding.annual_total = Some(Decimal::new(5000, 2));
        let d = diff(&old, &new, Options::default());
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
        let c = &d.changes[0];
        assert_eq!((c.old.as_str(), c.new.as_str()), ("45.00", "50.00"));
        assert_eq!(
            (c.old_cell.as_str(), c.new_cell.as_str()),
            ("表1!C7", "表1!C7")
        );
        assert!(diff(&old, &old, Options::default()).is_empty());
    }

    #[test]
    fn renames_added_removed_and_indicators() {
        let old = vec![
            table("全区网络安全培训项目", 2026, 100, "≥100人次"),
            table("旧项目", 2026, 100, "1项"),
        ];
        let mut new = vec![
            table("全区网络安全培训服务项目", 2026, 100, "≥120人次"),
            table("全新的别的工作", 2026, 100, "1项"),
        ];
        new[0].indicators[0].name = "培训人次".into();
        let d = diff(&old, &new, Options::default());
        assert_eq!(d.renamed.len(), 1);
        assert_eq!(d.renamed[0].old, "全区网络安全培训项目");
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.removed.len(), 1);
        let fields: Vec<&str> = d.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["项目名称", "指标：产出指标/数量指标/培训人次"]);
    }

    #[test]
    fn values_compare_as_values() {
        assert!(same_value("≤60万元", None, "≤600000元", None));
        assert!(same_value("60", Some("万元"), "600000", Some("元")));
        assert!(same_value("≥80%", None, "≥ 80 %", None));
        assert!(same_value("≥８０％", None, "≥80%", None));
        assert!(!same_value("≤60万元", None, "≤61万元", None));
        assert!(!same_value("≥80%", None, "≤80%", None));
        assert!(!same_value("≥80%", None, "≥80个", None));
        assert!(!same_value("效果明显", None, "效果显著", None));
    }

    #[test]
    fn year_shifts_can_be_ignored() {
        let old = vec![table("2026年培训项目", 2026, 100, "2026年6月前")];
        let new = vec![table("2027年培训项目", 2027, 100, "2027年6月前")];
        let d = diff(&old, &new, Options { ignore_years: true });
        assert!(d.is_empty(), "{:?}", d);
        let d = diff(&old, &new, Options::default());
        assert!(!d.is_empty());
        let mut changed = new.clone();
        changed[0].indicators[0].value.raw = "2027年9月前".into();
        let d = diff(&old, &changed, Options { ignore_years: true });
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
    }
}
