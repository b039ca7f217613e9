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

/// What was first seen of a project: where, and its indicators' values.
#[derive(Debug)]
pub(super) struct Seen {
    file: usize,
    sheet: String,
    indicators: HashMap<String, (String, Option<CellRef>)>,
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
            let indicators = t
                .indicators
                .iter()
                .map(|ind| {
                    (
                        normalize_label(&ind.name),
                        (ind.value.raw.clone(), ind.cell),
                    )
                })
                .collect();
            self.seen.insert(
                key,
                Seen {
                    file,
                    sheet: t.source.sheet.clone(),
                    indicators,
                },
            );
            return;
        };
        if seen.file == file {
            // Within one file, the checker's identity.duplicate-project already says so.
            return;
        }
        let first_file = self.files[seen.file].clone();
        let mut out = Vec::new();
        let mut base = Finding::new(
            DUPLICATE_PROJECT.0,
            Severity::Warning,
            t,
            t.cell_of("project.name"),
            format!(
                "项目“{}”也出现在 {}「{}」中：同一项目在两个文件中填报",
                t.display_name(),
                first_file,
                seen.sheet
            ),
        )
        .field("project.name")
        .found_expected(
            format!("{}「{}」", t.source.file, t.source.sheet),
            "每个项目只在一个文件中填报",
        );
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
                    seen.sheet,
                    value
                ),
            )
            .field(format!("indicators[{k}].value"))
            .found_expected(ind.value.raw.clone(), value.clone());
            f.rule_name = INDICATOR_DIFFERS.1.to_string();
            f.table = Some(row);
            out.push(f);
        }
        for f in out {
            self.push_finding(f);
        }
    }
}
