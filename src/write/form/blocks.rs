//! The blocks around the layout's rows: the 中期 goal, metadata (联系人, 财政部门审核意见 …)
//! as label | value rows, and the cells nothing understood (其他) as group | label | value rows.

use super::{own_words, Content, Planner, Role};

/// The metadata keys that belong to the header block (the rest go after the grid), for
/// fields that do not say where they were read.
pub(super) const HEADER_META: &[&str] = &["contact", "phone", "manager", "basis"];

impl<'a> Planner<'a> {
    /// The 中期 / 实施期 goal, where the layout has no cell for it: a label | value row from
    /// `row` (before the annual goal), under the table's own label when it reads back as that
    /// field. Returns the next free row.
    pub(super) fn long_term_goal(&mut self, row: u32) -> u32 {
        const FIELD: &str = "long_term_goal";
        let text = self.table.long_term_goal.clone();
        if text.trim().is_empty() || self.fields.contains_key(FIELD) {
            return row;
        }
        let labels = self.table.profile.labels();
        let label = own_words(self.table, FIELD)
            .filter(|l| labels.lookup(l).is_some_and(|(d, _)| d.id == FIELD))
            .or_else(|| labels.field(FIELD).map(|d| d.label.clone()))
            .unwrap_or_else(|| "实施期绩效目标".to_string());
        let blocks = self.layout.blocks.clone();
        let (a, b) = self.span(blocks.label, row);
        self.push(a, b, Content::Label(label), Role::Label);
        let (a, b) = self.span(blocks.value, row);
        let content = self.text(FIELD, &text, a);
        self.fields.insert(FIELD.into(), a);
        self.push(a, b, content, Role::TextLeft);
        self.min_heights.insert(row, 36.0);
        row + 1
    }

    /// The cells nothing understood, as group (其他) | label | value rows from `row`; returns
    /// the next free row.
    pub(super) fn extras(&mut self, row: u32) -> u32 {
        let items: Vec<(String, String, Content)> = self
            .table
            .extra
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.placed_extras.contains(i))
            .map(|(i, e)| {
                (
                    format!("extra[{i}]"),
                    e.label.clone(),
                    Content::Text(e.value.clone()),
                )
            })
            .collect();
        let group = self.layout.blocks.extra_group.clone();
        self.grouped(row, &group, items)
    }

    /// Rows of `group` | label | value from `row`, the group merged down; returns the next
    /// free row.
    pub(super) fn grouped(
        &mut self,
        row: u32,
        group: &str,
        items: Vec<(String, String, Content)>,
    ) -> u32 {
        if items.is_empty() {
            return row;
        }
        let n = items.len() as u32;
        let (a, mut b) = self.span(self.layout.blocks.group, row);
        b.row = row + n - 1;
        self.push(a, b, Content::Label(group.to_string()), Role::Label);
        self.item_rows(row, items)
    }

    /// Rows of label | value from `row` (in the columns of a group's items); returns the
    /// next free row.
    pub(super) fn item_rows(&mut self, row: u32, items: Vec<(String, String, Content)>) -> u32 {
        let blocks = self.layout.blocks.clone();
        let n = items.len() as u32;
        for (k, (field, label, content)) in items.into_iter().enumerate() {
            let r = row + k as u32;
            let (a, b) = self.span(blocks.item_label, r);
            let label = self.text(&format!("{field}.label"), &label, a);
            self.push(a, b, label, Role::Label);
            let (a, b) = self.span(blocks.item_value, r);
            let content = match content {
                Content::Text(t) => self.text(&field, &t, a),
                other => other,
            };
            let role = if matches!(content, Content::Amount(_)) {
                Role::Amount
            } else {
                Role::TextLeft
            };
            self.fields.insert(field, a);
            self.push(a, b, content, role);
        }
        row + n
    }

    /// The metadata the source printed above its header block (`预算单位:某局` under the title,
    /// `申报单位名称:(盖章)`): lines at the table's left edge, under a label the reader takes
    /// with its value in one cell, on a row above everything else the table was read from
    /// (its header fields, funding lines, indicators, the cells nothing understood, its other
    /// metadata). A label no field answers to (`归口科室`) is read as metadata only in the
    /// block, label | value, and stays there; so does a pair printed in two cells (its cell is
    /// its value's, right of the edge). Empty for a table not read from a form. (A template's
    /// carried table has no field cells: its lines, indicators and metadata still say where
    /// the block was.)
    pub(super) fn above_block(&self) -> Vec<usize> {
        let t = self.table;
        let labels = t.profile.get().labels();
        let fields = t
            .cells
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "title" | "year" | "unit"))
            .map(|(_, f)| f.cell);
        let lines = t.funding.lines.iter().filter_map(|l| l.cell);
        let grid = t
            .indicators
            .iter()
            .chain(t.other_grids.iter().flat_map(|g| &g.indicators))
            .flat_map(|i| [i.name_cell, i.cell])
            .flatten();
        let extra = t.extra.iter().map(|e| e.cell);
        // The table's left edge: its range's first column (a template's carried table has no
        // range: its form started in column A). A label | value pair's cell is its value's,
        // right of that edge; a line's is the label's, at it.
        let left = t
            .source
            .range
            .split(':')
            .next()
            .and_then(|c| c.parse::<crate::cell::CellRef>().ok())
            .map_or(0, |c| c.col);
        let is_line = |m: &crate::model::MetaField| {
            m.cell.is_some_and(|c| c.col == left)
                && crate::read::locate::reads_inline(&m.label, labels)
        };
        let (lines_above, others): (Vec<usize>, Vec<usize>) =
            (0..t.metadata.len()).partition(|&i| is_line(&t.metadata[i]));
        let others = others.into_iter().filter_map(|i| t.metadata[i].cell);
        let Some(top) = fields
            .chain(lines)
            .chain(grid)
            .chain(extra)
            .chain(others)
            .map(|c| c.row)
            .min()
        else {
            return Vec::new();
        };
        lines_above
            .into_iter()
            .filter(|&i| t.metadata[i].cell.is_some_and(|c| c.row < top))
            .collect()
    }

    /// What the source printed above its header block, a `label：value` line each from `row`,
    /// where it reads back as it was read (a label typed with its value above the block is
    /// that line of the form, not a field of the block: `预算单位` there is no implementing
    /// unit); returns the next free row.
    pub(super) fn preamble_lines(&mut self, row: u32) -> u32 {
        let span = self
            .layout
            .preamble
            .lines
            .unwrap_or(self.layout.preamble.unit);
        let mut r = row;
        for i in self.above_block() {
            let m = &self.table.metadata[i];
            let text = preamble_line(&m.label, &m.value);
            let (a, b) = self.span(span, r);
            let field = format!("metadata[{i}]");
            let content = self.text(&field, &text, a);
            self.fields.insert(field, a);
            self.push(a, b, content, super::Role::Line);
            r += 1;
        }
        r
    }

    /// The metadata fields of the header (`header`: 联系人, 联系电话, 项目负责人 …) or of the
    /// footer (财政部门审核意见, 填表人 …) as label | value rows from `row`; returns the next
    /// free row.
    pub(super) fn metadata(&mut self, row: u32, header: bool) -> u32 {
        let first_grid_row = self
            .table
            .indicators
            .iter()
            .filter_map(|i| i.name_cell.or(i.cell).map(|c| c.row))
            .min()
            // A table with no grid (it ends at its goal): what was printed above the goal
            // belongs to the header; after an empty grid header it would read as indicators.
            .or_else(|| self.table.cell_of("goal").map(|c| c.row))
            // No grid and no goal (a header block cut off before them): all of it is header.
            .or_else(|| self.table.indicators.is_empty().then_some(u32::MAX));
        let blocks = self.layout.blocks.clone();
        let mut r = row;
        // 项目类别 / 项目性质 where the layout has no cell for it: a label | value row with the
        // table's own label.
        let category = self.table.project.category.clone();
        if header && !category.is_empty() && !self.fields.contains_key("project.category") {
            let printed = self
                .table
                .cells
                .get("project.category")
                .map(|f| f.label.clone())
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| "项目类别".to_string());
            let (a, b) = self.span(blocks.label, r);
            self.push(a, b, Content::Label(printed), Role::Label);
            let (a, b) = self.span(blocks.value, r);
            let value = self.text("project.category", &category, a);
            self.fields.insert("project.category".into(), a);
            self.push(a, b, value, Role::TextLeft);
            r += 1;
        }
        let above = self.above_block();
        for (i, m) in self.table.metadata.iter().enumerate() {
            if above.contains(&i) {
                continue; // printed above the block (see `preamble_lines`)
            }
            let in_header = match (m.cell, first_grid_row) {
                (Some(c), Some(g)) => c.row < g,
                _ => HEADER_META.contains(&m.key.as_str()),
            };
            if in_header != header {
                continue;
            }
            // A label the profile does not know, with nothing typed beside it (a second goal
            // heading, 年度总体目标完成情况): a label | blank row reads back as a cell nothing
            // understood, not as this field. Listed as dropped.
            if m.key.is_empty() && m.value.trim().is_empty() {
                let what = format!("“{}”（未填写）", m.label.trim());
                self.drop_item(format!("metadata[{i}]"), m.cell, &what);
                continue;
            }
            // A value that reads as a label of its own (`单位负责人:谭呈祥` under 填报单位(盖章))
            // is printed as its source printed it, after its label in one cell: in a cell of
            // its own it would read back as a second field.
            if reads_as_label(self.table, &m.value) {
                let (a, _) = self.span(blocks.label, r);
                let (_, b) = self.span(blocks.value, r);
                let text = format!("{}：{}", m.label, m.value);
                let content = self.text(&format!("metadata[{i}]"), &text, a);
                self.fields.insert(format!("metadata[{i}]"), a);
                self.push(a, b, content, Role::TextLeft);
                r += 1;
                continue;
            }
            let (a, b) = self.span(blocks.label, r);
            let label = self.text(&format!("metadata[{i}].label"), &m.label, a);
            self.push(a, b, label, Role::Label);
            let (a, b) = self.span(blocks.value, r);
            let value = self.text(&format!("metadata[{i}]"), &m.value, a);
            self.fields.insert(format!("metadata[{i}]"), a);
            self.push(a, b, value, Role::TextLeft);
            r += 1;
        }
        r
    }
}

/// A text that starts with a label the table's profile knows, then a colon (`单位负责人:谭呈祥`):
/// a reader takes it for that label and its value.
fn reads_as_label(table: &crate::model::Table, text: &str) -> bool {
    text.split_once(['：', ':'])
        .is_some_and(|(l, _)| !l.trim().is_empty() && table.profile.labels().lookup(l).is_some())
}

/// A line above the block as `label：value`; a label ending in a stamp placeholder with
/// nothing typed (`申报单位名称(盖章)`) keeps the placeholder after the colon, where the form
/// printed it (`申报单位名称：(盖章)`): the place to stamp, not a label waiting for a value.
fn preamble_line(label: &str, value: &str) -> String {
    let label = label.trim();
    let value = value.trim();
    if value.is_empty() {
        if let Some(at) = label.rfind(['(', '（']) {
            let (head, stamp) = label.split_at(at);
            if !head.trim().is_empty() && crate::read::locate::is_placeholder(stamp) {
                return format!("{}：{stamp}", head.trim());
            }
        }
    }
    format!("{label}：{value}")
}
