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
//! Each group is read as a grid of its own (the shared columns with each): the 年度 group is
//! the table's `indicators`, the other one of its `other_grids`, whichever side it is on and
//! whichever is empty.

use super::indicators::GridStage;
use super::tokens::Tok;
use super::Draft;
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
    for (i, h) in heads.iter().enumerate() {
        let end = heads.get(i + 1).map_or(u32::MAX, |n| n.col);
        let header: Vec<Tok<'_>> = toks
            .iter()
            .filter(|t| t.cell.col >= h.col && t.cell.col < end)
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
