//! What only shows across files: the same project in two files (`region.duplicate-project`)
//! and its indicators whose values differ between them (`region.indicator-differs`).

use std::collections::HashMap;

use crate::cell::CellRef;
use crate::model::{Finding, Severity, Table};
use crate::read::labels::normalize_label;

use super::Summary;

/// The cross-file rule: the same project in two files.
pub const DUPLICATE_PROJECT: (&str, &str) = ("region.duplicate-project", "项目在多个文件中重复");
/// The cross-file rule: the same project's indicator with different values in two files.
pub const INDICATOR_DIFFERS: (&str, &str) =
    ("region.indicator-differs", "同一项目的同名指标取值不同");

/// The copy of a project that stands so far: where, when, and its indicators' values.
#[derive(Debug)]
pub(super) struct Seen {
    file: usize,
    row: usize,
    sheet: String,
    /// Its 填报日期 as (year, month, day), when the table prints one that reads as a date.
    filled_on: Option<(i32, u32, u32)>,
    indicators: HashMap<String, (String, Option<CellRef>)>,
}

impl Seen {
    fn of(file: usize, row: usize, t: &Table) -> Seen {
        Seen {
            file,
            row,
            sheet: t.source.sheet.clone(),
            filled_on: filled_on(t),
            indicators: t
                .indicators
                .iter()
                .map(|ind| {
                    (
                        normalize_label(&ind.name),
                        (ind.value.raw.clone(), ind.cell),
                    )
                })
                .collect(),
        }
    }
}

/// A table's 填报日期 (`meta.filled_on`) as (year, month, day): the first three numbers of
/// its text, a four-digit year first (`2026年3月5日`, `2026-03-05`, `2026.3.5`).
fn filled_on(t: &Table) -> Option<(i32, u32, u32)> {
    let m = t.metadata.iter().find(|m| m.key == "filled_on")?;
    let nums: Vec<u32> = m
        .value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .take(3)
        .collect();
    match nums[..] {
        [y, mo, d]
            if (1900..=2999).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d) =>
        {
            Some((y as i32, mo, d))
        }
        _ => None,
    }
}

fn same_value(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    squeeze(a) == squeeze(b)
}

impl Summary {
    pub(super) fn cross_file(&mut self, file: usize, row: usize, t: &Table) {
        // The same project as the per-file check says (`check DIR` and `summary DIR` agree).
        let Some(key) = crate::check::project_identity(t) else {
            return;
        };
        let Some(seen) = self.seen.get(&key) else {
            self.seen.insert(key, Seen::of(file, row, t));
            return;
        };
        if seen.file == file {
            // Within one file, the checker's identity.duplicate-project already says so.
            return;
        }
        // Which copy stands: the later 填报日期, else the later file time, else the later input.
        let new_date = filled_on(t);
        let (new_stands, by) = match (seen.filled_on, new_date) {
            (Some(a), Some(b)) if a != b => (b > a, "表中填报日期较新"),
            _ => match (self.times[seen.file], self.times[file]) {
                (Some(a), Some(b)) if a != b => (b > a, "文件修改时间较新"),
                _ => (true, "无日期可比，按输入顺序取后一个"),
            },
        };
        let first_file = self.files[seen.file].clone();
        let first_sheet = seen.sheet.clone();
        let old_row = seen.row;
        let aside = if new_stands { old_row } else { row };
        let place = |f: &str, s: &str| format!("{f}「{s}」");
        let (stand_at, aside_at) = if new_stands {
            (
                place(&t.source.file, &t.source.sheet),
                place(&first_file, &first_sheet),
            )
        } else {
            (
                place(&first_file, &first_sheet),
                place(&t.source.file, &t.source.sheet),
            )
        };
        let mut out = Vec::new();
        let mut base = Finding::new(
            DUPLICATE_PROJECT.0,
            Severity::Warning,
            t,
            t.cell_of("project.name"),
            format!(
                "项目“{}”在两个文件中填报：以 {stand_at} 为准（{by}），{aside_at} 中的这张表未计入汇总",
                t.display_name(),
            ),
        )
        .field("project.name")
        .found_expected(aside_at.clone(), format!("每个项目只在一个文件中填报（计入 {stand_at}）"));
        base.rule_name = DUPLICATE_PROJECT.1.to_string();
        base.table = Some(row);
        out.push(base);
        for (k, ind) in t.indicators.iter().enumerate() {
            let Some((value, cell)) = seen.indicators.get(&normalize_label(&ind.name)) else {
                continue;
            };
            if same_value(value, &ind.value.raw) {
                continue;
            }
            let at = cell.map_or_else(String::new, |c| format!("（{c}）"));
            let mut f = Finding::new(
                INDICATOR_DIFFERS.0,
                Severity::Warning,
                t,
                ind.cell,
                format!(
                    "指标“{}”的值为“{}”，而 {}「{}」中同一项目的同名指标{at}为“{}”",
                    ind.name.trim(),
                    ind.value.raw,
                    first_file,
                    first_sheet,
                    value
                ),
            )
            .field(format!("indicators[{k}].value"))
            .found_expected(ind.value.raw.clone(), value.clone());
            f.rule_name = INDICATOR_DIFFERS.1.to_string();
            f.table = Some(row);
            out.push(f);
        }
        // The copy set aside counts nowhere: its own findings go with it (the cross-file ones
        // above stay, they name both files).
        self.findings
            .retain(|f| f.table != Some(aside) || f.rule.starts_with("region."));
        if let Some(r) = self.rows.get_mut(aside) {
            r.set_aside = Some(format!("与 {stand_at} 重复，未计入（{by}）"));
            r.counts = crate::write::SeverityCounts::default();
        }
        if new_stands {
            if let Some(s) = self.seen.get_mut(&key) {
                *s = Seen::of(file, row, t);
            }
        }
        for f in out {
            self.push_finding(f);
        }
    }
}
