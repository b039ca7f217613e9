//! The sizing stage: column widths and row heights measured from the planned cells (see
//! [`super::super::measure`]), and bordered blanks where the form has no cell.

use std::collections::BTreeMap;

use crate::cell::CellRef;

use super::{Content, PlannedCell, Planner, Role};
use crate::write::layout::Font;
use crate::write::measure;

impl<'a> Planner<'a> {
    pub(super) fn font(&self, role: Role) -> &Font {
        let f = &self.layout.fonts;
        match role {
            Role::Title => &f.title,
            Role::Subtitle | Role::Unit | Role::Line => &f.subtitle,
            Role::Label | Role::Level => &f.label,
            Role::Text | Role::TextLeft | Role::Amount => &f.text,
        }
    }

    pub(super) fn widths(&self, cells: &[PlannedCell]) -> Vec<f64> {
        let mut widths: Vec<f64> = self.layout.columns.iter().map(|c| c.width).collect();
        let mut max: Vec<f64> = self.layout.columns.iter().map(|c| c.max).collect();
        while widths.len() <= usize::from(self.last_col) {
            widths.push(self.layout.grid.extra_width);
            max.push(self.layout.grid.extra_width * 1.5);
        }
        for c in cells {
            if c.first.col != c.last.col || matches!(c.role, Role::Title | Role::Unit | Role::Line)
            {
                continue;
            }
            let font = self.font(c.role);
            let text_px = measure::text_px(&c.content.shown(), font.size, font.bold);
            let want = measure::width_for_px(text_px * measure::SLACK + c.role.indent_px());
            let col = c.first.col as usize;
            if want > widths[col] {
                widths[col] = want.min(max[col]);
            }
        }
        widths
    }

    pub(super) fn heights(
        &self,
        cells: &[PlannedCell],
        widths: &[f64],
        first_row: u32,
        last_row: u32,
    ) -> BTreeMap<u32, f64> {
        let page = &self.layout.page;
        let mut h: BTreeMap<u32, f64> = BTreeMap::new();
        for r in first_row..=last_row {
            h.insert(r, page.min_row_height);
        }
        for (r, m) in &self.min_heights {
            let e = h.entry(*r).or_insert(0.0);
            *e = e.max(*m);
        }
        let need = |c: &PlannedCell| -> f64 {
            let text = c.content.shown();
            if text.is_empty() {
                return 0.0;
            }
            let font = self.font(c.role);
            let px: f64 = (c.first.col..=c.last.col)
                .map(|col| measure::col_px(widths.get(col as usize).copied().unwrap_or(8.0)))
                .sum();
            let lines = measure::lines(&text, font.size, font.bold, px - c.role.indent_px());
            measure::height_for_lines(lines, font.size)
        };
        for c in cells.iter().filter(|c| c.first.row == c.last.row) {
            let n = need(c);
            let e = h.entry(c.first.row).or_insert(0.0);
            *e = e.max(n);
        }
        if let Some(t) = h.get_mut(&0) {
            *t = t.max(page.title_row_height);
        } else {
            h.insert(0, page.title_row_height);
        }
        // Cells merged down: share out what the rows lack.
        for c in cells.iter().filter(|c| c.first.row != c.last.row) {
            let n = need(c);
            let rows = c.first.row..=c.last.row;
            let have: f64 = rows
                .clone()
                .map(|r| h.get(&r).copied().unwrap_or(15.0))
                .sum();
            if n > have {
                let k = f64::from(c.last.row - c.first.row + 1);
                let add = ((n - have) / k * 4.0).ceil() / 4.0;
                for r in rows {
                    *h.entry(r).or_insert(15.0) += add;
                }
            }
        }
        h
    }
}

/// Adds bordered blanks where the form's region has no planned cell.
pub(super) fn fill_blanks(
    cells: &mut Vec<PlannedCell>,
    first_row: u32,
    last_row: u32,
    last_col: u16,
) {
    let mut covered: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    for c in cells.iter() {
        for r in c.first.row..=c.last.row {
            for col in c.first.col..=c.last.col {
                covered.insert((r, col));
            }
        }
    }
    for r in first_row..=last_row {
        for col in 0..=u32::from(last_col) {
            if !covered.contains(&(r, col)) {
                let cell = CellRef::new(r, col);
                cells.push(PlannedCell {
                    first: cell,
                    last: cell,
                    content: Content::Blank,
                    role: Role::Text,
                });
            }
        }
    }
}
