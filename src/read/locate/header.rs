//! Stage 3: the header fields (项目名称, 主管部门, …, 年度总体绩效目标), each read from the
//! next non-label cell to its right, inline (`项目名称：甲`), or from the row below.

use std::sync::OnceLock;

use regex::Regex;

use super::funding::label_unit;
use super::tokens::Tok;
use super::TableReader;
use crate::cell::CellRef;
use crate::model::{FieldSource, Severity};
use crate::read::grid::CellValue;
use crate::read::labels::LabelMatch;
use crate::read::values::{collapse_spaces, MoneyUnit};

impl TableReader<'_> {
    pub(super) fn read_header_row(&mut self, toks: &[Tok<'_>]) {
        let mut i = 0;
        let mut transfer_in_row = false;
        // Labels left without a value on the previous row take theirs from this row, below
        // them (column-header style: `年度资金总额 | 财政拨款 | 上年结转资金` over the amounts).
        let pending = std::mem::take(&mut self.pending_below);
        if !pending.is_empty() && toks.iter().all(|t| t.label.is_none()) {
            let mut used = false;
            for (field, col, unit) in &pending {
                let hit = if pending.len() == 1 {
                    toks.iter().find(|t| t.cell.col >= *col).or(toks.first())
                } else {
                    toks.iter().find(|t| t.cell.col == *col)
                };
                if let Some(t) = hit {
                    self.header_fields += 1;
                    self.set_field(field, t.cell, &t.text, Some(t.value), *unit);
                    used = true;
                }
            }
            if used {
                return;
            }
        }
        while i < toks.len() {
            let t = &toks[i];
            let Some((def, how)) = t.label.as_ref().map(|(d, h)| (*d, h)) else {
                self.read_preamble(t);
                i += 1;
                continue;
            };
            let id = def.id.as_str();
            match id {
                "group.transfer" => {
                    self.transfer_col.get_or_insert(t.cell.col);
                    transfer_in_row = true;
                    i += 1;
                    continue;
                }
                "group.funds" => {
                    self.block_unit = label_unit(&t.text).or(self.block_unit);
                    i += 1;
                    continue;
                }
                "group.own" | "footer" => {
                    i += 1;
                    continue;
                }
                _ if id.starts_with("grid.") => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let field: &'static str = match id {
                "funding.sum" => {
                    let transfer =
                        transfer_in_row || self.transfer_col.is_some_and(|c| t.cell.col >= c);
                    if transfer {
                        "funding.transfer.total"
                    } else {
                        "funding.own.total"
                    }
                }
                // Labels are 'static (the built-in table), so are their ids.
                _ => def.id.as_str(),
            };
            if *how != LabelMatch::Exact {
                let kind = if *how == LabelMatch::Truncated {
                    "不完整的标签"
                } else {
                    "其他模板的标签"
                };
                self.notice(
                    "read.alias",
                    Severity::Info,
                    Some(t.cell),
                    Some(field.to_string()),
                    format!("{kind}“{}”按“{}”读取", collapse_spaces(&t.text), def.label),
                );
            }
            // Another template's wording (项目类别 beside 项目属性) never overrides the
            // official label's value.
            let taken = self
                .table
                .cells
                .get(field)
                .is_some_and(|f| !f.raw.trim().is_empty());
            if *how != LabelMatch::Exact && taken {
                i += if t.inline_value.is_none()
                    && toks.get(i + 1).is_some_and(|n| n.label.is_none())
                {
                    2
                } else {
                    1
                };
                continue;
            }
            let unit = label_unit(&t.text);
            // The value: inline (`项目名称：甲`) or the next non-label cell to the right.
            let (cell, text, value) = if let Some(v) = &t.inline_value {
                (t.cell, v.clone(), None)
            } else {
                match toks.get(i + 1) {
                    Some(next) if next.label.is_none() => {
                        i += 1;
                        (next.cell, next.text.clone(), Some(next.value))
                    }
                    _ => {
                        // Empty so far: point at the label until a value turns up below it.
                        self.table
                            .cells
                            .entry(field.to_string())
                            .or_insert(FieldSource {
                                cell: t.cell,
                                raw: String::new(),
                            });
                        self.pending_below.push((field, t.cell.col, unit));
                        i += 1;
                        continue;
                    }
                }
            };
            self.header_fields += 1;
            self.set_field(field, cell, &text, value, unit);
            i += 1;
        }
    }

    fn set_goal(&mut self, cell: CellRef, raw: &str) {
        self.extend(cell);
        let text = self.clean_text("goal", cell, raw);
        self.record("goal", cell, raw);
        self.table.goal = text;
    }

    fn set_field(
        &mut self,
        field: &'static str,
        cell: CellRef,
        raw: &str,
        value: Option<&CellValue>,
        unit: Option<MoneyUnit>,
    ) {
        self.extend(cell);
        if field.starts_with("funding.") {
            self.record(field, cell, raw);
            self.set_amount(field, cell, raw, value, unit);
            return;
        }
        if field == "goal" {
            self.set_goal(cell, raw);
            return;
        }
        let text = self.clean_text(field, cell, raw);
        self.record(field, cell, raw);
        let p = &mut self.table.project;
        match field {
            "project.name" => p.name = text,
            "project.department" => {
                let (code, name) = split_department_code(&text);
                if let Some(code) = code {
                    p.department_code = Some(code);
                    p.department = name;
                } else {
                    p.department = text;
                }
            }
            "project.implementing_unit" => p.implementing_unit = text,
            "project.attribute" => p.attribute = text,
            "project.period" => p.period = text,
            _ => {}
        }
    }
}

/// `[812]自治区教育厅` → (`812`, `自治区教育厅`).
pub fn split_department_code(text: &str) -> (Option<String>, String) {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*(?:[\[【(（]\s*([0-9A-Za-z]+)\s*[\]】)）]|([0-9]{3,})\s+|([0-9]{3,})[-—－_])\s*(.+?)\s*$")
            .unwrap()
    });
    match re.captures(text) {
        Some(c) => {
            let code = c
                .get(1)
                .or_else(|| c.get(2))
                .or_else(|| c.get(3))
                .map(|m| m.as_str().to_string());
            (code, c[4].to_string())
        }
        None => (None, text.to_string()),
    }
}
