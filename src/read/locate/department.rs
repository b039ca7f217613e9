//! Stage 3b: the 年度履职目标 block of a 部门整体 table (部门职能 | 年度目标任务 | 支出项目名称 |
//! 预算金额), its headers from the profile.

use super::header::HeaderStage;
use super::tokens::Tok;
use super::Draft;
use crate::model::{DutyTask, MetaField};
use crate::read::values::collapse_spaces;

impl HeaderStage {
    /// A row of the 年度履职目标 block (its header or one task); false when it is not one.
    pub(super) fn read_task_row(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        let starts = toks.iter().any(|t| t.field() == Some("department.tasks"));
        if starts {
            self.in_tasks = Some(Vec::new());
        }
        let Some(cols) = self.in_tasks.clone() else {
            return false;
        };
        if cols.is_empty() {
            // The header: in the row of the block's label or the row after it.
            let mut found = Vec::new();
            for t in toks {
                let Some(role) = d.profile.tasks.role_of(&t.text) else {
                    continue;
                };
                found.push((t.cell.col, role));
            }
            if found.is_empty() {
                if starts {
                    for t in toks {
                        d.use_cell(t.cell);
                    }
                    return true;
                }
                self.in_tasks = None;
                return false;
            }
            for t in toks {
                d.use_cell(t.cell);
            }
            self.in_tasks = Some(found);
            return true;
        }
        // The block's total (`合计 | 446`): the sum of the tasks above, kept as metadata
        // (`tasks_total`), never a task of its own nor a funding line; it closes the block.
        if let Some(first) = toks.first().filter(|t| t.field() == Some("funding.sum")) {
            for t in toks {
                d.use_cell(t.cell);
            }
            let last = toks.last().filter(|t| t.label.is_none());
            d.table.metadata.push(MetaField {
                key: "tasks_total".into(),
                label: collapse_spaces(&first.text),
                value: last.map(|t| collapse_spaces(&t.text)).unwrap_or_default(),
                cell: Some(last.unwrap_or(first).cell),
            });
            self.in_tasks = None;
            return true;
        }
        // A label ends the block where a new part starts: in or left of the block's first
        // column, or a grid's header. Right of it, a label's words are a task's (`基本支出` as
        // the project of a task is no funding line: the tasks are never the money).
        let first_col = cols.iter().map(|(c, _)| *c).min().unwrap_or(0);
        let ends = toks.iter().any(|t| {
            t.label.is_some()
                && (t.cell.col <= first_col
                    || t.field().is_some_and(|f| {
                        f.starts_with("grid.") || f.starts_with("group.") || f == "goal"
                    }))
        });
        if ends {
            self.in_tasks = None;
            return false;
        }
        let mut task = DutyTask {
            cell: toks.first().map(|t| t.cell),
            ..DutyTask::default()
        };
        for t in toks {
            let role = cols
                .iter()
                .rev()
                .find(|(c, _)| *c <= t.cell.col)
                .map_or("function", |(_, r)| *r);
            d.use_cell(t.cell);
            let text = collapse_spaces(&t.text);
            match role {
                "function" => task.function = text,
                "task" => task.task = text,
                "project" => task.project = text,
                _ => {
                    task.raw = text;
                    task.amount = self.funds.task_amount(d, t);
                }
            }
        }
        d.table
            .department
            .get_or_insert_with(Default::default)
            .tasks
            .push(task);
        true
    }
}
