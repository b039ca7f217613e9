//! Column groups side by side: one grid header printed twice under group headers that name
//! the grid each group is, a shared 一级 column left of them:
//!
//! ```text
//!  | A        | B        | C        | D      | E        | F        | G      |
//!  | 一级指标  | （长期）                      | （年度）                      |
//!  | (merged) | 二级指标  | 三级指标  | 指标值  | 二级指标  | 三级指标  | 指标值  |
//!  | 产出指标  | 数量指标  | …        | …      | 数量指标  | …        | …      |
//! ```
//!
//! or with no group row, each header cell naming its group itself (a group word in brackets
//! after it or before it):
//!
//! ```text
//!  | 一级指标  | 二级指标(长期) | 三级指标(长期) | 指标值(长期) | 二级指标(年度) | … |
//! ```
//!
//! or with no word naming either, by the goals printed above them (`中期滚动目标(…) | 年度目标`,
//! each over its group).
//!
//! Each group is read as a grid of its own (the shared columns with each): the 年度 group is
//! the table's `indicators`, the other one of its `other_grids`, whichever side it is on and
//! whichever is empty.

use super::indicators::{is_grid_header, GridStage};
use super::tokens::Tok;
use super::Draft;
use crate::read::labels::normalize_label;
use crate::read::values::collapse_spaces;

/// A group header: its first column, and the grid it names (key, label as printed).
#[derive(Debug, Clone)]
pub(super) struct GroupHead {
    col: u32,
    key: String,
    label: String,
}

/// The group header row: two or more cells naming different grids, beside the shared
/// columns' headers (`一级指标`); `None` when the row is not one.
pub(super) fn group_row(d: &mut Draft<'_>, toks: &[Tok<'_>]) -> Option<Vec<GroupHead>> {
    let mut heads: Vec<GroupHead> = Vec::new();
    for t in toks {
        match group_key(d, &t.text) {
            Some(key) => heads.push(GroupHead {
                col: t.cell.col,
                key,
                label: collapse_spaces(&t.text),
            }),
            None if t.field().is_some_and(|f| f.starts_with("grid.")) => {}
            None => return None,
        }
    }
    let distinct = heads.windows(2).any(|w| w[0].key != w[1].key);
    if heads.len() < 2 || !distinct {
        return None;
    }
    for t in toks {
        d.use_cell(t.cell);
    }
    Some(heads)
}

/// The groups of a grid header row whose cells name their group themselves, by the words a
/// group row prints: in brackets after the column's header (`二级指标(长期)`, `指标值（年度）`)
/// or before it (`年度指标值`). Cells naming none (`一级指标`) left of the groups are shared.
/// `None` unless two groups of different grids each head a grid of their own.
pub(super) fn named_in_header(d: &Draft<'_>, toks: &[Tok<'_>]) -> Option<Vec<GroupHead>> {
    if !is_grid_header(toks) {
        return None;
    }
    let mut heads: Vec<GroupHead> = Vec::new();
    for t in toks {
        let Some(field) = t.field().filter(|f| f.starts_with("grid.")) else {
            continue;
        };
        let Some((key, word)) = affix_key(d, field, &t.text) else {
            continue;
        };
        if heads.last().is_some_and(|h| h.key == key) {
            continue;
        }
        // The form prints no title over the group: the grid has no label of its own.
        let _ = word;
        heads.push(GroupHead {
            col: t.cell.col,
            key,
            label: String::new(),
        });
    }
    let distinct = heads.windows(2).any(|w| w[0].key != w[1].key);
    if heads.len() < 2 || !distinct {
        return None;
    }
    // Each group must head a grid of its own: indicator names or values in its columns.
    let heads_grid = heads.iter().enumerate().all(|(i, h)| {
        let end = heads.get(i + 1).map_or(u32::MAX, |n| n.col);
        toks.iter().any(|t| {
            t.cell.col >= h.col
                && t.cell.col < end
                && matches!(t.field(), Some("grid.name" | "grid.value"))
        })
    });
    heads_grid.then_some(heads)
}

/// The groups of a grid header row that prints the same columns twice with no word naming
/// either (`一级 | 二级 | 三级 | 指标值 | 二级 | 三级 | 指标值`), named by the goals above them: the
/// group under the year's goal (`年度目标`) is the 年度 grid, the one under the other goal
/// (`中期滚动目标(2019年--2021年)`) the long-term grid. `None` unless both goals were read, one
/// over each group.
pub(super) fn named_by_goals(d: &Draft<'_>, toks: &[Tok<'_>]) -> Option<Vec<GroupHead>> {
    if !is_grid_header(toks) {
        return None;
    }
    fn role<'t>(t: &'t Tok<'_>) -> Option<&'t str> {
        t.field()
            .filter(|f| f.starts_with("grid.") && !f.starts_with("grid.title."))
    }
    // The second group starts at the first column repeating one of the first's.
    let mut seen: Vec<&str> = Vec::new();
    let second = toks.iter().find_map(|t| {
        let f = role(t)?;
        if seen.contains(&f) {
            return Some(t.cell.col);
        }
        seen.push(f);
        None
    })?;
    let repeated: Vec<&str> = toks
        .iter()
        .filter(|t| t.cell.col >= second)
        .filter_map(|t| role(t))
        .collect();
    // The first starts at its first column the second repeats; those left of it are shared.
    let first = toks
        .iter()
        .filter(|t| t.cell.col < second && role(t).is_some_and(|f| repeated.contains(&f)))
        .map(|t| t.cell.col)
        .min()?;
    let goal = d.table.cells.get("goal")?;
    let long = d.table.cells.get("long_term_goal")?;
    let annual_second = goal.cell.col >= second;
    if annual_second == (long.cell.col >= second) {
        return None;
    }
    let head = |col: u32, annual: bool| GroupHead {
        col,
        key: if annual { "annual" } else { "long-term" }.to_string(),
        label: collapse_spaces(if annual { &goal.label } else { &long.label }),
    };
    Some(vec![
        head(first, !annual_second),
        head(second, annual_second),
    ])
}

/// The grid a header cell's group word names, and that word: `二级指标(长期)` → long-term,
/// `年度指标值` → annual; the rest of the cell must still be the column's header (`field`).
fn affix_key(d: &Draft<'_>, field: &str, text: &str) -> Option<(String, String)> {
    let norm = normalize_label(text);
    let labels = d.profile.labels();
    let is_field = |rest: &str| {
        labels
            .lookup(rest)
            .is_some_and(|(f, _)| f.id.as_str() == field)
    };
    if let Some(inner) = norm.strip_suffix(')') {
        let open = inner.rfind('(')?;
        let (rest, word) = (&inner[..open], &inner[open + 1..]);
        return group_key(d, word)
            .filter(|_| is_field(rest))
            .map(|k| (k, word.to_string()));
    }
    let chars: Vec<char> = norm.chars().collect();
    (2..=3.min(chars.len().saturating_sub(2))).find_map(|k| {
        let word: String = chars[..k].iter().collect();
        let rest: String = chars[k..].iter().collect();
        group_key(d, &word)
            .filter(|_| is_field(&rest))
            .map(|key| (key, word))
    })
}

/// The grid a group header names: its words read as a grid's title (`（长期）` as 长期绩效指标,
/// `年度` as 年度绩效指标), by the profile's labels.
fn group_key(d: &Draft<'_>, text: &str) -> Option<String> {
    let bare: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）[]【】".contains(*c))
        .collect();
    if bare.is_empty() || bare.chars().count() > 8 {
        return None;
    }
    let labels = d.profile.labels();
    [bare.clone(), format!("{bare}绩效指标")]
        .iter()
        .find_map(|s| {
            labels
                .lookup(s)
                .and_then(|(f, _)| f.id.strip_prefix("grid.title.").map(str::to_string))
        })
}

/// One group of columns and the grid stage reading it.
#[derive(Debug)]
pub(super) struct Group {
    start: u32,
    end: u32,
    stage: GridStage,
}

/// The groups under `heads`, when `toks` is the grid header row below them. The shared
/// columns left of the groups (their header on the group row, merged down) are read as the
/// levels they hold.
pub(super) fn start(
    d: &mut Draft<'_>,
    toks: &[Tok<'_>],
    heads: &[GroupHead],
) -> Option<Vec<Group>> {
    let mut groups = Vec::new();
    let first = heads.iter().map(|h| h.col).min().unwrap_or(0);
    // The shared columns' headers when the header row prints them (`一级指标`), never a
    // grid's title column left of them.
    let is_shared = |t: &Tok<'_>| {
        t.cell.col < first
            && t.field()
                .is_some_and(|f| f.starts_with("grid.") && !f.starts_with("grid.title."))
    };
    for (i, h) in heads.iter().enumerate() {
        let end = heads.get(i + 1).map_or(u32::MAX, |n| n.col);
        let header: Vec<Tok<'_>> = toks
            .iter()
            .filter(|t| is_shared(t) || (t.cell.col >= h.col && t.cell.col < end))
            .cloned()
            .collect();
        let mut title = Some((h.key.clone(), h.label.clone()));
        let stage = GridStage::start(d, &header, &mut title)?;
        groups.push(Group {
            start: h.col,
            end,
            stage,
        });
    }
    Some(groups)
}

/// One row of the grid: each group reads its own columns with the shared ones.
/// The shared columns' levels merged down onto the row (`merged`) are read where they apply.
pub(super) fn read_row<'a>(
    d: &mut Draft<'_>,
    groups: &mut [Group],
    toks: &[Tok<'a>],
    merged: &[Tok<'a>],
) {
    let first = groups.iter().map(|g| g.start).min().unwrap_or(0);
    for g in groups.iter_mut() {
        let own = toks
            .iter()
            .any(|t| t.cell.col >= g.start && t.cell.col < g.end);
        if !own {
            continue;
        }
        let stage = &g.stage;
        let all = super::merged::with(toks, merged, |t| {
            (t.cell.col < first && stage.below_header(t)) || stage.takes_merged(t)
        });
        let row: Vec<Tok<'_>> = all
            .iter()
            .filter(|t| t.cell.col < first || (t.cell.col >= g.start && t.cell.col < g.end))
            .cloned()
            .collect();
        g.stage.read_indicator_row(d, &row);
    }
}
