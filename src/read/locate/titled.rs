//! Title-only tables: no header block, the project named only in the title, an indicator grid
//! right under it and a 总分 row closing it (the 评价指标表 of an evaluation):
//!
//! ```text
//!  | A        | B        | C        | D        | E      | F    |
//!  | 2023年度某某项目绩效评价指标表 (merged A:F)                    |
//!  | 评价指标  | 评价内容  | 指标名称  | 指标说明  | 目标值  | 分值  |
//!  | 产出指标  | 数量指标  | …        | …        | …      | 20   |
//!  | 总分 (merged A:E)                                    | 100  |
//! ```

use std::sync::OnceLock;

use regex::Regex;

use super::blocks::is_preamble_row;
use super::indicators::is_grid_header;
use super::tokens::Tok;
use super::{Draft, Located};
use crate::model::MetaField;
use crate::read::values::collapse_spaces;

/// Rows of title, year and unit looked at above a grid header.
const TITLE_ROWS: usize = 3;

/// The first row of each table that has no anchor: a grid header with title rows right above
/// it and no table started between them and the previous one. `anchored` are the other
/// tables' starts, sorted.
pub(super) fn starts(rows: &[Vec<Tok<'_>>], anchored: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, toks) in rows.iter().enumerate() {
        if toks.is_empty() || !is_grid_header(toks) {
            continue;
        }
        // Non-empty rows right above: title, year, unit.
        let (mut top, mut seen, mut j) = (i, 0, i);
        while j > 0 && seen < TITLE_ROWS {
            j -= 1;
            if rows[j].is_empty() {
                continue;
            }
            if !is_preamble_row(&rows[j]) {
                break;
            }
            top = j;
            seen += 1;
        }
        if top < i && !anchored.iter().any(|a| (top..=i).contains(a)) {
            out.push(top);
        }
    }
    out
}

fn title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:(?:19|20)\d\d\s*年度?)?\s*(.+?)\s*(?:绩效评价指标表|绩效评价表|绩效指标表|绩效目标表)$",
        )
        .unwrap()
    })
}

/// A title-only table's project name: the title without its year and its form's name
/// (`2023年度某某项目绩效评价指标表` → `某某项目`), when what is left names a project rather than
/// a kind of table (`项目支出`, `部门整体`).
pub(super) fn name_from_title(located: &mut Located) {
    let t = &mut located.table;
    if !t.project.name.is_empty() {
        return;
    }
    let title = collapse_spaces(&t.title);
    let Some(c) = title_re().captures(&title) else {
        return;
    };
    let stem = c[1].trim();
    let generic = [
        "项目",
        "项目支出",
        "部门整体",
        "专项资金",
        "部门",
        "整体支出",
        "项目支出绩效",
    ];
    if stem.chars().count() < 4 || generic.contains(&stem) {
        return;
    }
    t.project.name = stem.to_string();
    if let Some(f) = t.cells.get("title").cloned() {
        t.cells.insert("project.name".into(), f);
    }
}

/// A row closing a grid with its total (`总分 | 100`, `合计 | 100`): the label and numbers
/// only. Kept as metadata, never an indicator; false when the row is not one.
pub(super) fn read_total_row(d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
    let [label, rest @ ..] = toks else {
        return false;
    };
    let word = collapse_spaces(&label.text).replace(' ', "");
    let total = ["总分", "合计", "总计", "分值合计", "权重合计"].contains(&word.as_str());
    let numbers = !rest.is_empty() && rest.iter().all(|t| t.text.trim().parse::<f64>().is_ok());
    if !total || !numbers {
        return false;
    }
    for t in toks {
        d.use_cell(t.cell);
    }
    let value: Vec<String> = rest.iter().map(|t| t.text.trim().to_string()).collect();
    d.table.metadata.push(MetaField {
        key: "total".into(),
        label: word,
        value: value.join(" "),
        cell: rest.first().map(|t| t.cell),
    });
    true
}
