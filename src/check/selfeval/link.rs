//! A self-evaluation against its targets table (`check --targets`): each self-evaluation is
//! matched to the targets table of the same project — year and project code, else year, name
//! and 主管部门 — and its indicators, their target values and its 年初预算数 compared with what was
//! approved.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::rules::*;
use crate::check::settings::{Config, Settings};
use crate::check::settle;
use crate::check::vocab::Vocab;
use crate::model::{Document, Finding, FormKind, Indicator, Table};
use crate::read::labels::normalize_label;

/// The project code a table carries: its `code`, or the code before the name
/// (`51000021R000000019951-工资性支出`).
fn code_of(t: &Table) -> Option<String> {
    if let Some(c) = &t.project.code {
        return Some(c.clone());
    }
    let (head, _) = t.project.name.split_once(['-', '－', '—'])?;
    let head = head.trim();
    (head.len() >= 8 && head.chars().all(|c| c.is_ascii_alphanumeric())).then(|| head.to_string())
}

/// The project's name without a code before it, normalised.
fn bare_name(t: &Table) -> String {
    let name = match code_of(t) {
        Some(code) if t.project.name.starts_with(&code) => t.project.name[code.len()..]
            .trim_start_matches(['-', '－', '—'])
            .to_string(),
        _ => t.project.name.clone(),
    };
    normalize_label(&name)
}

/// The targets table of a self-evaluation, when one matches.
pub fn targets_of<'a>(t: &Table, targets: &'a [Table]) -> Option<&'a Table> {
    let year_ok = |x: &Table| t.year.is_none() || x.year.is_none() || x.year == t.year;
    if let Some(code) = code_of(t) {
        if let Some(x) = targets
            .iter()
            .find(|x| year_ok(x) && code_of(x).as_deref() == Some(code.as_str()))
        {
            return Some(x);
        }
    }
    let name = bare_name(t);
    let dept = normalize_label(&t.project.department);
    targets.iter().find(|x| {
        year_ok(x)
            && bare_name(x) == name
            && (dept.is_empty() || normalize_label(&x.project.department) == dept)
    })
}

fn value_text(i: &Indicator) -> String {
    normalize_label(&i.value.raw)
}

/// The findings of every self-evaluation of `doc` against the targets tables of `targets`,
/// at the levels `config` and each table's profile give.
pub fn check_links(doc: &Document, targets: &Document, config: &Config) -> Vec<Finding> {
    let pool: Vec<Table> = targets
        .tables
        .iter()
        .filter(|t| t.form == FormKind::Targets)
        .cloned()
        .collect();
    let mut out = Vec::new();
    for (index, t) in doc.tables.iter().enumerate() {
        if t.form == FormKind::Targets {
            continue;
        }
        let settings = Settings::for_profile(Vocab::builtin(), config, t.profile, t.kind);
        let mut found = Vec::new();
        let make = |rule: &crate::check::Rule, cell, msg: String| {
            let mut f = Finding::new(rule.id, rule.severity, t, cell, msg);
            f.table = Some(index);
            f
        };
        let Some(x) = targets_of(t, &pool) else {
            found.push(make(
                &LINK_NONE,
                t.cell_of("project.name"),
                format!(
                    "没有找到“{}”（{}，{}）的绩效目标表",
                    t.display_name(),
                    t.year
                        .map_or_else(|| "年度不详".to_string(), |y| format!("{y}年")),
                    t.project.department
                ),
            ));
            out.extend(found.into_iter().filter_map(|f| settle(f, &settings)));
            continue;
        };
        let src = format!("{}「{}」", x.source.file, x.source.sheet);
        let key = |i: &Indicator| normalize_label(&i.name);
        let approved: HashMap<String, &Indicator> = x
            .indicators
            .iter()
            .filter(|i| !i.name.trim().is_empty())
            .map(|i| (key(i), i))
            .collect();
        let reported: HashMap<String, &Indicator> = t
            .indicators
            .iter()
            .filter(|i| !i.name.trim().is_empty())
            .map(|i| (key(i), i))
            .collect();
        let mut dropped: Vec<&Indicator> = x
            .indicators
            .iter()
            .filter(|i| !i.name.trim().is_empty() && !reported.contains_key(&key(i)))
            .collect();
        let mut added: Vec<&Indicator> = t
            .indicators
            .iter()
            .filter(|i| !i.name.trim().is_empty() && !approved.contains_key(&key(i)))
            .collect();
        // One dropped and one added under the same 二级: a rename.
        let mut renamed = Vec::new();
        dropped.retain(|d| {
            let at = added
                .iter()
                .position(|a| normalize_label(&a.level2) == normalize_label(&d.level2));
            match at {
                Some(k) => {
                    renamed.push((*d, added.remove(k)));
                    false
                }
                None => true,
            }
        });
        for d in dropped {
            found.push(make(
                &INDICATOR_DROPPED,
                t.indicators.first().and_then(|i| i.name_cell),
                format!(
                    "目标表（{src}）中的指标“{}”（{}）不在自评表中",
                    d.name, d.value.raw
                ),
            ));
        }
        for a in added {
            found.push(make(
                &INDICATOR_ADDED,
                a.name_cell,
                format!("自评表中的指标“{}”不在目标表（{src}）中", a.name),
            ));
        }
        for (d, a) in renamed {
            found.push(make(
                &INDICATOR_RENAMED,
                a.name_cell,
                format!("目标表（{src}）中的“{}”在自评表中写作“{}”", d.name, a.name),
            ));
        }
        for (k, i) in &reported {
            if let Some(a) = approved.get(k) {
                if value_text(a) != value_text(i) {
                    found.push(make(
                        &TARGET_CHANGED,
                        i.cell,
                        format!(
                            "指标“{}”目标表（{src}）为 {}，自评表为 {}",
                            i.name, a.value.raw, i.value.raw
                        ),
                    ));
                }
            }
        }
        let initial = t
            .execution
            .as_ref()
            .and_then(|e| e.lines.first())
            .and_then(|l| l.initial.as_ref());
        if let (Some(f), Some(approved)) = (initial, x.funding.annual_total) {
            if let Some(v) = f.value {
                if (v - approved).abs() > Decimal::new(5, 3) {
                    found.push(make(
                        &BUDGET_DIFFERS,
                        f.cell,
                        format!(
                            "年初预算数 {} 万元，目标表（{src}）的年度资金总额为 {} 万元",
                            v.round_dp(2),
                            approved.round_dp(2)
                        ),
                    ));
                }
            }
        }
        found.sort_by_key(|f| f.cell.map(|c| (c.row, c.col)));
        out.extend(found.into_iter().filter_map(|f| settle(f, &settings)));
    }
    out
}
