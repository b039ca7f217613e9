//! The header stage: the layout's header rows (项目名称, 主管部门, the funding rows, 绩效目标)
//! with the table's values, each label in the table's own wording where it reads back.

use crate::cell::CellRef;
use crate::model::fields;

use super::{Content, Planner, Role};
use crate::write::layout::{HeaderCell, HeaderRow, When};

impl<'a> Planner<'a> {
    pub(super) fn field_content(&mut self, field: &str, cell: CellRef) -> Content {
        let t = self.table;
        let p = &t.project;
        let f = &t.funding;
        match field {
            "project.name" => {
                let text = match p.code.as_deref() {
                    Some(code) if !code.is_empty() => format!("{code}-{}", p.name),
                    _ => p.name.clone(),
                };
                self.text(field, &text, cell)
            }
            "project.department" => {
                let text = match p.department_code.as_deref() {
                    Some(code) if !code.is_empty() => format!("[{code}]{}", p.department),
                    _ => p.department.clone(),
                };
                self.text(field, &text, cell)
            }
            "project.department_name" => self.text(field, &p.department, cell),
            "project.department_code" => {
                let code = p.department_code.clone().unwrap_or_default();
                self.text(field, &code, cell)
            }
            "department.duties" => {
                let duties = t
                    .department
                    .as_ref()
                    .map(|d| d.duties.clone())
                    .unwrap_or_default();
                self.text(field, &duties, cell)
            }
            "project.implementing_unit" => {
                let text = match p.implementing_unit_code.as_deref() {
                    Some(code) if !code.is_empty() => format!("{code}-{}", p.implementing_unit),
                    _ => p.implementing_unit.clone(),
                };
                self.text(field, &text, cell)
            }
            // Every other field as the one table of field paths reaches it.
            _ => match fields::field(field) {
                Some(def) if def.is_amount() => {
                    def.amount(f).map_or(Content::Blank, Content::Amount)
                }
                Some(def) => match def.text(t) {
                    Some(text) => self.text(field, text, cell),
                    None => Content::Blank,
                },
                None => Content::Blank,
            },
        }
    }

    /// Writes the header block from `start`; returns the next free row.
    pub(super) fn header_block(&mut self, start: u32) -> u32 {
        let layout = self.layout;
        let split = self.needs_split();
        let included: Vec<bool> = layout
            .rows
            .iter()
            .map(|r| match r.when {
                Some(When::Split) => split,
                Some(When::Whole) => !split,
                None => true,
            })
            .zip(&layout.rows)
            .map(|(by_when, r)| by_when && !self.omitted_funding_row(r))
            .collect();
        // Group labels of rows left out (项目资金（万元）, 本级资金), merged down from the next
        // row written in their range: (template row, cell).
        let mut carried: Vec<(usize, &HeaderCell)> = Vec::new();
        let mut row = start;
        // A table of another form in this layout: its funding lines as printed, where the
        // layout's own funding rows would be (once), instead of them.
        let own_lines = self.prints_own_lines();
        let no_funding = self.prints_no_funding();
        let mut lines_written = false;
        for (i, tr) in layout.rows.iter().enumerate() {
            if !included[i] {
                carried.extend(tr.cells.iter().filter(|c| c.down > 1).map(|c| (i, c)));
                continue;
            }
            let funding_row = tr.cells.iter().any(|c| {
                c.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("funding."))
            });
            if no_funding && funding_row {
                continue;
            }
            if own_lines && funding_row {
                if !lines_written {
                    row = self.own_funding(row);
                    lines_written = true;
                }
                continue;
            }
            match tr.block.as_deref() {
                Some("funding") => {
                    row = self.department_funding(row);
                    continue;
                }
                Some("tasks") => {
                    row = self.tasks(row);
                    continue;
                }
                _ => {}
            }
            if tr.cells.iter().any(|c| c.field.as_deref() == Some("goal")) {
                // Before the goal: the funding lines the rows have no cell for, and the
                // header's metadata (联系人, 联系电话 …).
                row = self.funding_lines(row);
                row = self.metadata(row, true);
                row = self.long_term_goal(row);
            }
            // A label and its empty value the form did not print (实施单位 on a form
            // without one) are left out; the value before them takes their columns.
            let skip: Vec<bool> = (0..tr.cells.len())
                .map(|k| {
                    let pair = |l: usize| {
                        let (Some(label), Some(value)) = (tr.cells.get(l), tr.cells.get(l + 1))
                        else {
                            return false;
                        };
                        label.label.is_some()
                            && label.down <= 1
                            && value.down <= 1
                            && value.field.as_deref().is_some_and(|f| self.unprinted(f))
                    };
                    pair(k) || (k > 0 && pair(k - 1))
                })
                .collect();
            if !skip.is_empty() && skip.iter().all(|s| *s) {
                continue;
            }
            if let Some(h) = tr.min_height {
                self.min_heights.insert(row, h);
            }
            for (from, cell) in std::mem::take(&mut carried) {
                if i >= from + cell.down {
                    continue;
                }
                if self.group_has_members(from, cell, i, &included) {
                    let down = included[from..]
                        .iter()
                        .take(cell.down)
                        .filter(|x| **x)
                        .count();
                    self.header_cell(cell, row, row + down as u32 - 1, None);
                } else {
                    carried.push((from, cell));
                }
            }
            for (k, cell) in tr.cells.iter().enumerate() {
                if skip[k] {
                    // The value written before on this row spans the freed columns.
                    let (_, last) = self.span(cell.at, row);
                    if let Some(prev) = self
                        .cells
                        .last_mut()
                        .filter(|c| c.first.row == row && !matches!(c.role, Role::Label))
                    {
                        prev.last.col = prev.last.col.max(last.col);
                    }
                    continue;
                }
                // Merged down over the next `down` template rows that are written.
                let down = included[i..]
                    .iter()
                    .take(cell.down.max(1))
                    .filter(|x| **x)
                    .count() as u32;
                // A label right before an amount field takes the printed label of its line.
                let text_field = match (&cell.label, tr.cells.get(k + 1)) {
                    (Some(_), Some(next)) if cell.down <= 1 => {
                        next.field.as_deref().filter(|f| !f.starts_with("funding."))
                    }
                    _ => None,
                };
                let label_of = match (&cell.label, tr.cells.get(k + 1)) {
                    // A layout forced on the table prints its own wording for text fields.
                    _ if text_field.is_some() => text_field
                        .filter(|_| self.layout.is_own(self.table))
                        .and_then(|f| self.own_label(f)),
                    (Some(_), Some(next)) if cell.down <= 1 => next
                        .field
                        .as_deref()
                        .and_then(|f| match self.line_of(f) {
                            Some(i) => Some((f, self.table.funding.lines[i].label.clone()))
                                .filter(|(f, l)| {
                                    // Only a wording that reads back as the same field under
                                    // the table's profile (省级资金 for 自治区资金); a shared
                                    // one (资金总额 in two columns) would not.
                                    !l.trim().is_empty()
                                        && self.reads_as(&self.table.profile, l, f)
                                        // Forced on the table, the layout's form is read
                                        // with its own profile: the wording must read back
                                        // as the field there too (下达中央预算内投资 does
                                        // not, under the national profile).
                                        && (self.layout.is_own(self.table)
                                            || crate::read::profile::builtin(
                                                &self.layout.profile,
                                            )
                                            .is_some_and(|p| self.reads_as(&p, l, f)))
                                })
                                .map(|(_, l)| l),
                            // No line for it (a blank template): the profile's wording.
                            None => self.worded_label(f),
                        })
                        // A line printed under its group's own label (其中：本级资金 | 45)
                        // keeps the layout's label: the group label is on the row already.
                        .filter(|l| {
                            !tr.cells.iter().enumerate().any(|(j, c)| {
                                j != k
                                    && c.label.as_deref().is_some_and(|g| {
                                        crate::read::labels::normalize_label(g)
                                            == crate::read::labels::normalize_label(l)
                                    })
                            })
                        }),
                    _ => None,
                };
                // A line whose wording would not read back is printed under the layout's
                // label: the read-back expects that label.
                if let (Some(layout_label), Some(next), None) =
                    (&cell.label, tr.cells.get(k + 1), &label_of)
                {
                    let line = next
                        .field
                        .as_deref()
                        .filter(|f| cell.down <= 1 && f.starts_with("funding."))
                        .and_then(|f| self.line_of(f));
                    if let Some(i) = line {
                        let own = &self.table.funding.lines[i].label;
                        let norm = crate::read::labels::normalize_label;
                        // (Not a line printed under its group's label, on the row already.)
                        let grouped = tr.cells.iter().enumerate().any(|(j, c)| {
                            j != k && c.label.as_deref().is_some_and(|g| norm(g) == norm(own))
                        });
                        let unread = self.table.profile.labels().lookup(own).is_none();
                        if !own.trim().is_empty() && unread && !grouped {
                            self.line_labels.insert(i, layout_label.clone());
                        }
                    }
                }
                self.header_cell(cell, row, row + down.max(1) - 1, label_of.as_deref());
            }
            row += 1;
        }
        row
    }

    /// True when a funding row of the layout is left out: the layout is forced on a table
    /// read from a form, and the form printed none of the row's amounts (no label, no amount,
    /// no line: 项目总额 on a form with only the year's money). A blank row of the layout's own
    /// would be a total the department never wrote, reported missing by `check` of the
    /// converted file, or a group (其中：财政拨款) whose parts the form's own lines then read as.
    fn omitted_funding_row(&self, row: &HeaderRow) -> bool {
        let forced = !self.layout.is_own(self.table) && !self.table.cells.is_empty();
        let mut amounts = row
            .cells
            .iter()
            .filter_map(|c| c.field.as_deref())
            .filter(|f| f.starts_with("funding."))
            .peekable();
        forced && amounts.peek().is_some() && amounts.all(|f| self.unprinted_amount(f))
    }

    /// True for an amount field the form did not print: no label for it, no amount, no line.
    fn unprinted_amount(&self, field: &str) -> bool {
        !self.table.cells.contains_key(field)
            && fields::amount(&self.table.funding, field).is_none()
            && self.line_of(field).is_none()
    }

    /// True when the group label `cell` of template row `from` (merged down over `cell.down`
    /// rows) has a field of its own on a row written from `at` on: a field to its right,
    /// left of the next group label of its row (本级资金 | 转移市县（区）资金 side by side).
    fn group_has_members(
        &self,
        from: usize,
        cell: &HeaderCell,
        at: usize,
        included: &[bool],
    ) -> bool {
        let rows = &self.layout.rows;
        let col = cell.at.first;
        let next_group = rows[from]
            .cells
            .iter()
            .filter(|c| c.down > 1 && c.at.first > col)
            .map(|c| c.at.first)
            .min()
            .unwrap_or(u16::MAX);
        (at..(from + cell.down).min(rows.len()))
            .filter(|&j| included[j])
            .flat_map(|j| &rows[j].cells)
            .any(|c| c.field.is_some() && c.at.first > col && c.at.first < next_group)
    }

    pub(super) fn header_cell(
        &mut self,
        cell: &HeaderCell,
        row: u32,
        last_row: u32,
        label_of: Option<&str>,
    ) {
        let (first, mut last) = self.span(cell.at, row);
        last.row = last_row;
        if let Some(label) = &cell.label {
            // The table's own wording of the line this label names (省级资金, not 自治区资金).
            let label = label_of.unwrap_or(label);
            self.push(first, last, Content::Label(label.to_string()), Role::Label);
        } else if let Some(field) = &cell.field {
            let content = self.field_content(field, first);
            let role = if matches!(content, Content::Amount(_)) || field.starts_with("funding.") {
                Role::Amount
            } else if cell.align.as_deref() == Some("left") {
                Role::TextLeft
            } else {
                Role::Text
            };
            self.fields.insert(field.clone(), first);
            self.push(first, last, content, role);
        }
    }

    /// True for a text field the form the table was read from did not print (no label for
    /// it, no value): every layout leaves its label out. Forced on the table, a built-in
    /// layout normalises what the form said, in its order and wording; an empty 实施单位 or
    /// 项目期 box the department never had would be a blank on the signed form, and checking
    /// it would report the field missing where the source was complete.
    fn unprinted(&self, field: &str) -> bool {
        let from_a_form = !self.table.cells.is_empty();
        if !from_a_form || field.starts_with("funding.") || field == "project.name" {
            return false;
        }
        let (t, p) = (self.table, &self.table.project);
        let printed = self.table.cells.contains_key(field)
            || (field == "project.department_name"
                && self.table.cells.contains_key("project.department"));
        let blank = |s: Option<&str>| s.is_none_or(|s| s.trim().is_empty());
        let empty = match field {
            "project.department" | "project.department_name" => {
                blank(Some(&p.department)) && blank(p.department_code.as_deref())
            }
            "project.department_code" => blank(p.department_code.as_deref()),
            "project.implementing_unit" => {
                blank(Some(&p.implementing_unit)) && blank(p.implementing_unit_code.as_deref())
            }
            "department.duties" => blank(t.department.as_ref().map(|d| d.duties.as_str())),
            _ => fields::field(field).is_some_and(|d| !d.is_amount() && blank(d.text(t))),
        };
        !printed && empty
    }

    /// True when `label` reads as `field` under `profile`.
    fn reads_as(&self, profile: &crate::read::profile::Profile, label: &str, field: &str) -> bool {
        profile
            .labels()
            .lookup(label)
            .is_some_and(|(d, _)| d.id == field)
    }

    /// The profile's wording for a field, in the table's own layout, when it reads back as that
    /// field under the profile (`申报资金合计` for 年度资金总额); `None` keeps the layout's label.
    pub(super) fn worded_label(&self, field: &str) -> Option<String> {
        let profile = &self.table.profile;
        profile
            .wording(field)
            .filter(|_| self.layout.is_own(self.table))
            .filter(|w| {
                profile
                    .labels()
                    .lookup(w)
                    .is_some_and(|(d, _)| d.id == field)
            })
            .map(str::to_string)
    }

    /// The label the table printed for a text field (项目支出名称, 本年度绩效目标), else its
    /// profile's wording for it, when that reads back as the same field; `None` keeps the
    /// layout's label.
    pub(super) fn own_label(&self, field: &str) -> Option<String> {
        let profile = &self.table.profile;
        let labels = profile.labels();
        let printed = self
            .table
            .cells
            .get(field)
            .map(|f| crate::read::values::collapse_spaces(&f.label))
            .filter(|l| !l.trim().is_empty());
        let worded = profile.wording(field).map(str::to_string);
        printed
            .into_iter()
            .chain(worded)
            .find(|l| labels.lookup(l).is_some_and(|(d, _)| d.id == field))
    }
}
