//! Read-back proof: every form the writer makes is read again, in memory, before it is kept,
//! and compared with the model it was written from.
//!
//! ```text
//!  model ──plan/emit──▶ xlsx bytes ──read──▶ model'      compare(model, model') → differences
//!  source sheet (range A1:F40) ─ numbers typed ─▶ each found in the written form sheet
//! ```
//!
//! [`verify`] reads the form sheets of a rendered workbook back with the reader (the table's
//! own profile known to it) and [`compare`]s each with the table written there: the header
//! fields, the funding lines and amounts, the indicators with their levels and other columns,
//! the other grids, the 部门整体 part, metadata and the cells nothing understood. What a
//! forced layout cannot show (the notices `write.extra-dropped`, `write.value-reread`) is not
//! compared; everything else must come back as written. [`missing_numbers`] checks that every
//! number typed in the source table's range appears in the written form.
//!
//! Any difference is an error finding [`RULE`] naming the field and the written cell. The
//! writers of `convert` and `template` (and any other writer of forms) call these before the
//! file is renamed into place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rust_decimal::Decimal;

use crate::cell::CellRef;
use crate::model::fields::{self, Access};
use crate::model::{Finding, Indicator, Severity, Table};
use crate::read::grid::{self, CellValue, Sheet};
use crate::read::Profiles;

use super::form::{self, FormPlan};
use super::layout::FormLayout;

/// The rule id of a difference between a written form and what reads back from it.
pub const RULE: &str = "write.readback";
/// Its Chinese name.
pub const RULE_NAME: &str = "写出后回读不一致";

/// A form as written: the sheet, the table, and how it was laid out.
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    /// The form sheet's name.
    pub sheet: &'a str,
    /// The table written there (as given to the planner).
    pub table: &'a Table,
    /// Its plan: where each field went.
    pub plan: &'a FormPlan,
    /// The layout it was written in.
    pub layout: &'a FormLayout,
}

/// One difference between what was written and what reads back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Index of the table among the written ones.
    pub table: usize,
    /// The model field (`project.name`, `funding.lines[2]`, `indicators[4].value`), or the
    /// source cell of a missing number (`原表 C12`).
    pub field: String,
    /// Its Chinese name (`项目名称`, `资金行“财政拨款”`).
    pub name: String,
    /// The cell of the written form it concerns, when known.
    pub cell: Option<CellRef>,
    /// The cell of the source it came from, when known.
    pub source_cell: Option<CellRef>,
    /// What was written.
    pub written: String,
    /// What was read back.
    pub read: String,
}

impl Difference {
    /// A difference about a whole workbook or sheet (`field` "table"): it could not be read,
    /// a sheet is missing, or a sheet reads as no table or as several.
    fn whole(table: usize, written: String, read: String) -> Difference {
        Difference {
            table,
            field: "table".into(),
            name: "表".into(),
            cell: None,
            source_cell: None,
            written,
            read,
        }
    }

    /// The sentence listed in 问题清单 and on stderr.
    pub fn message(&self) -> String {
        let at = self
            .cell
            .map(|c| format!("（单元格 {c}）"))
            .unwrap_or_default();
        if self.field.starts_with("原表") {
            return format!(
                "回读不一致：原表 {} 中的数字“{}”在转换后的表中找不到",
                self.source_cell.map(|c| c.to_string()).unwrap_or_default(),
                self.written
            );
        }
        format!(
            "回读不一致：“{}”写出为“{}”，重新读取为“{}”{at}",
            self.name, self.written, self.read
        )
    }

    /// The error finding about `table` (the table written, with its source).
    pub fn finding(&self, table: &Table) -> Finding {
        let mut f = Finding::new(
            RULE,
            Severity::Error,
            table,
            self.source_cell,
            self.message(),
        )
        .found_expected(self.read.clone(), self.written.clone());
        if !self.field.starts_with("原表") {
            f.field = Some(self.field.clone());
        }
        f.rule_name = RULE_NAME.to_string();
        f.table = Some(self.table);
        f
    }
}

/// Reads the form sheets of `bytes` (an xlsx workbook) back and compares each with the table
/// written there. A sheet that cannot be read back, or reads as no table or as several, is a
/// difference too.
pub fn verify(bytes: &[u8], written: &[Written<'_>]) -> Vec<Difference> {
    reread_each(
        bytes,
        written.iter().map(|w| (w.sheet, w.table)),
        |i, got| {
            let w = &written[i];
            compare(w.table, got, w.layout, w.plan)
        },
    )
}

/// The read-back loop every form writer shares: loads `bytes` (an xlsx workbook) and reads each
/// written `(sheet, table)`'s sheet again as `read_bytes` reads (the built-in profiles plus the
/// table's own, a self-evaluation's budget block and results completed), then calls
/// `compare(i, read back)` with the one table found there and numbers its differences `i`. A
/// workbook that cannot be loaded, a missing sheet, or a sheet that reads as no table or as
/// several is a difference of its own.
pub(crate) fn reread_each<'t>(
    bytes: &[u8],
    written: impl IntoIterator<Item = (&'t str, &'t Table)>,
    mut compare: impl FnMut(usize, &Table) -> Vec<Difference>,
) -> Vec<Difference> {
    let file = "回读.xlsx";
    let sheets = match grid::load_sheets(Path::new(file), bytes, grid::Format::Xlsx) {
        Ok(s) => s,
        Err(e) => {
            return vec![Difference {
                field: "workbook".into(),
                name: "工作簿".into(),
                ..Difference::whole(0, "可读取的工作簿".into(), e.to_string())
            }]
        }
    };
    let mut out = Vec::new();
    for (i, (name, table)) in written.into_iter().enumerate() {
        let Some(sheet) = sheets.iter().find(|s| s.name == name) else {
            out.push(Difference::whole(
                i,
                format!("工作表“{name}”"),
                "无此工作表".into(),
            ));
            continue;
        };
        let mut profiles = Profiles::builtin();
        if profiles.get(&table.profile.id).is_none() {
            profiles.add(table.profile);
        }
        let mut located = crate::read::locate::locate_tables_with(sheet, file, None, &profiles);
        for l in &mut located {
            crate::selfeval::read::complete(&mut l.table, &mut l.notices, sheet);
        }
        match located.as_slice() {
            [one] => out.extend(compare(i, &one.table).into_iter().map(|mut d| {
                d.table = i;
                d
            })),
            many => out.push(Difference::whole(
                i,
                "1 张表".into(),
                format!("{} 张表", many.len()),
            )),
        }
    }
    out
}

/// The differences between `want` (written in `layout` as `plan`) and `got` (read back).
/// Each difference's `table` is 0.
pub fn compare(want: &Table, got: &Table, layout: &FormLayout, plan: &FormPlan) -> Vec<Difference> {
    // What the layout listed as dropped (`write.extra-dropped`, item by item) is left out of
    // what must come back; everything else must.
    let kept = without_dropped(want, plan);
    let want = &kept;
    let mut c = Comparer {
        out: Vec::new(),
        want,
        plan,
    };
    let own = layout.is_own(want);
    c.same(
        "kind",
        "表的种类",
        &format!("{:?}", want.kind),
        &format!("{:?}", got.kind),
    );
    c.same("year", "年度", &opt(want.year), &opt(got.year));
    if !want.title.trim().is_empty() {
        c.same_text("title", "标题", &want.title, &got.title);
    }
    for f in fields::FIELDS {
        if let Access::Text { get, .. } = f.access {
            if f.path != "title" {
                c.same_text(f.path, f.name, get(want), get(got));
            }
        }
    }
    // The amounts: every view, and in the table's own layout every line as printed.
    let (wv, gv) = (&want.funding, &got.funding);
    for f in fields::amounts() {
        c.same(f.path, f.name, &money(f.amount(wv)), &money(f.amount(gv)));
    }
    if own {
        c.lines(want, got);
    }
    c.indicators("indicators", &want.indicators, &got.indicators, layout, own);
    let (wg, gg) = (&want.other_grids, &got.other_grids);
    c.same(
        "other_grids",
        "其他指标表",
        &format!("{} 张", wg.len()),
        &format!("{} 张", gg.len()),
    );
    for (k, (w, g)) in wg.iter().zip(gg).enumerate() {
        let key = format!("other_grids[{k}].indicators");
        // The other grids' levels are written as the annual grid's are.
        c.indicators(&key, &w.indicators, &g.indicators, layout, own);
    }
    match (&want.department, &got.department) {
        (None, None) => {}
        (w, g) => {
            let duties = |d: &Option<crate::model::DepartmentPart>| {
                d.as_ref().map(|d| d.duties.clone()).unwrap_or_default()
            };
            c.same_text("department.duties", "部门职责", &duties(w), &duties(g));
            let tasks = |d: &Option<crate::model::DepartmentPart>| -> Vec<String> {
                d.iter()
                    .flat_map(|d| &d.tasks)
                    .map(|t| {
                        format!(
                            "{}｜{}｜{}｜{}",
                            squash(&t.function),
                            squash(&t.task),
                            squash(&t.project),
                            money(t.amount)
                        )
                    })
                    .collect()
            };
            c.lists("department.tasks", "年度履职目标", &tasks(w), &tasks(g));
        }
    }
    let meta = |t: &Table| -> Vec<String> {
        t.metadata
            .iter()
            .map(|m| format!("{}：{}", squash(&m.label), squash(&m.value)))
            .collect()
    };
    c.lists("metadata", "附加信息", &meta(want), &meta(got));
    let extra = |t: &Table| -> Vec<String> {
        t.extra
            .iter()
            .map(|e| format!("{}：{}", squash(&e.label), squash(&e.value)))
            .collect()
    };
    c.lists("extra", "未归类的内容", &extra(want), &extra(got));
    c.out
}

struct Comparer<'a> {
    out: Vec<Difference>,
    want: &'a Table,
    plan: &'a FormPlan,
}

impl Comparer<'_> {
    fn push(&mut self, field: &str, name: &str, written: String, read: String) {
        let cell = self.plan.fields.get(field).copied().or_else(|| {
            // `indicators[3].extra.权重` → the indicator's row.
            let head = field.split(".extra").next()?;
            self.plan.fields.get(head).copied()
        });
        self.out.push(Difference {
            table: 0,
            field: field.to_string(),
            name: name.to_string(),
            cell,
            source_cell: self.want.cell_of(field),
            written,
            read,
        });
    }

    fn same(&mut self, field: &str, name: &str, written: &str, read: &str) {
        if written != read {
            self.push(field, name, written.to_string(), read.to_string());
        }
    }

    fn same_text(&mut self, field: &str, name: &str, written: &str, read: &str) {
        if squash(written) != squash(read) {
            self.push(field, name, written.to_string(), read.to_string());
        }
    }

    /// Two lists of items compared as sets with repeats (a block may print them in another
    /// order): an item written and not read back, or read back and not written, is a
    /// difference.
    fn lists(&mut self, field: &str, name: &str, written: &[String], read: &[String]) {
        let mut left: Vec<&String> = read.iter().collect();
        for (i, w) in written.iter().enumerate() {
            match left.iter().position(|r| *r == w) {
                Some(at) => {
                    left.remove(at);
                }
                None => self.push(&format!("{field}[{i}]"), name, w.clone(), "（无）".into()),
            }
        }
        for r in left {
            self.push(field, name, "（无）".into(), r.clone());
        }
    }

    /// The funding lines with an amount or a text, as a set of (label, span, amount, parent):
    /// a layout may print them in another order than the source.
    fn lines(&mut self, want: &Table, got: &Table) {
        // A line the layout printed under its own label reads back with that label.
        let none = BTreeMap::new();
        let set = |t: &Table, printed: &BTreeMap<usize, String>| -> BTreeMap<String, usize> {
            let l = &t.funding.lines;
            let label = |i: usize| printed.get(&i).unwrap_or(&l[i].label);
            let filled = |i: usize| l[i].amount.is_some() || !l[i].raw.trim().is_empty();
            let parent = |mut at: Option<usize>| {
                while let Some(p) = at.filter(|&p| !filled(p)) {
                    at = l[p].parent;
                }
                at.map(|p| squash(label(p))).unwrap_or_default()
            };
            (0..l.len())
                .filter(|&i| filled(i))
                .map(|i| {
                    let x = &l[i];
                    let under = parent(x.parent);
                    let under = if under.is_empty() {
                        String::new()
                    } else {
                        format!("（属于“{under}”）")
                    };
                    (
                        format!(
                            "{}〔{:?}〕{}{}",
                            squash(label(i)),
                            x.scope,
                            line_amount(x),
                            under
                        ),
                        i,
                    )
                })
                .collect()
        };
        let (w, g) = (set(want, &self.plan.line_labels), set(got, &none));
        for (text, &i) in &w {
            if !g.contains_key(text) {
                let name = format!("资金行“{}”", want.funding.lines[i].label);
                let cell = self.plan.line_cell(i);
                self.out.push(Difference {
                    table: 0,
                    field: format!("funding.lines[{i}]"),
                    name,
                    cell,
                    source_cell: want.funding.lines[i].cell,
                    written: text.clone(),
                    read: "（无）".into(),
                });
            }
        }
        for text in g.keys().filter(|t| !w.contains_key(*t)) {
            self.push("funding.lines", "资金行", "（无）".into(), text.clone());
        }
    }

    fn indicators(
        &mut self,
        key: &str,
        want: &[Indicator],
        got: &[Indicator],
        layout: &FormLayout,
        own: bool,
    ) {
        // Rows with nothing but level names (a template's rows to fill) are not compared, on
        // either side: under a level merged down over several rows, such a row holds no cell
        // at all, and the grid as loaded (no merges) has nothing to read there.
        let filled = |i: &&Indicator| {
            !i.name.trim().is_empty()
                || !i.value.raw.trim().is_empty()
                || i.extra.values().any(|v| !v.trim().is_empty())
        };
        // The levels the layout printed (its own names where the source printed none).
        let printed = form::printed_levels(layout, own || layout.keeps_levels(self.want), want);
        let want: Vec<(usize, &Indicator)> =
            want.iter().enumerate().filter(|(_, i)| filled(i)).collect();
        let got: Vec<&Indicator> = got.iter().filter(filled).collect();
        if want.len() != got.len() {
            self.push(
                key,
                "指标个数",
                format!("{} 个", want.len()),
                format!("{} 个", got.len()),
            );
        }
        // The grid columns the layout dropped, each listed: not compared.
        let dropped: BTreeSet<String> = self
            .plan
            .notices
            .iter()
            .filter(|n| n.rule == form::RULE_DROPPED)
            .filter_map(|n| n.field.as_deref()?.strip_prefix("indicators.extra."))
            .map(squash)
            .collect();
        for ((k, w), g) in want.iter().zip(got) {
            let at = format!("{key}[{k}]");
            self.same_text(&format!("{at}.name"), "指标名称", &w.name, &g.name);
            if !same_value(w, g) {
                let field = format!("{at}.value");
                let reread = self
                    .plan
                    .notices
                    .iter()
                    .any(|n| n.rule == form::RULE_REREAD && n.field.as_deref() == Some(&field));
                if !reread {
                    self.push(&field, "指标值", w.value.raw.clone(), g.value.raw.clone());
                }
            }
            // The own geometry prints the levels as the source did (none, where it had none);
            // a built-in layout prints its own names where the source printed none.
            let levels = if self.plan.own_geometry {
                (w.level1.clone(), w.level2.clone())
            } else {
                printed[*k].clone()
            };
            self.same_text(&format!("{at}.level1"), "一级指标", &levels.0, &g.level1);
            self.same_text(&format!("{at}.level2"), "二级指标", &levels.1, &g.level2);
            {
                let filled = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
                    m.iter()
                        .filter(|(h, v)| !v.trim().is_empty() && !dropped.contains(&squash(h)))
                        .map(|(h, v)| (squash(h), squash(v)))
                        .collect()
                };
                let (we, ge) = (filled(&w.extra), filled(&g.extra));
                for h in we.keys().chain(ge.keys()).collect::<BTreeSet<_>>() {
                    let (a, b) = (we.get(h), ge.get(h));
                    if a != b {
                        self.push(
                            &format!("{at}.extra.{h}"),
                            &format!("指标的“{h}”列"),
                            a.cloned().unwrap_or_default(),
                            b.cloned().unwrap_or_default(),
                        );
                    }
                }
            }
        }
    }
}

/// The fields of the items `plan` lists as dropped (`write.extra-dropped`).
fn dropped_fields(plan: &FormPlan) -> BTreeSet<&str> {
    plan.notices
        .iter()
        .filter(|n| n.rule == form::RULE_DROPPED)
        .filter_map(|n| n.field.as_deref())
        .collect()
}

/// `table` without the items `plan` lists as dropped: metadata and cells nothing understood
/// taken out, funding lines emptied (their places kept, for the lines' parents).
fn without_dropped(table: &Table, plan: &FormPlan) -> Table {
    let dropped = dropped_fields(plan);
    let mut t = table.clone();
    if dropped.is_empty() {
        return t;
    }
    let gone = |what: &str, i: usize| dropped.contains(format!("{what}[{i}]").as_str());
    let mut i = 0;
    t.metadata.retain(|_| {
        i += 1;
        !gone("metadata", i - 1)
    });
    let mut i = 0;
    t.extra.retain(|_| {
        i += 1;
        !gone("extra", i - 1)
    });
    for (i, l) in t.funding.lines.iter_mut().enumerate() {
        if gone("funding.lines", i) {
            l.amount = None;
            l.raw.clear();
        }
    }
    t
}

/// The source cells whose content `plan` lists as dropped: each dropped item's cell, and the
/// cells of a dropped grid column (its header and its value on every indicator row).
pub fn dropped_cells(table: &Table, plan: &FormPlan) -> BTreeSet<CellRef> {
    let mut out = BTreeSet::new();
    for n in plan.notices.iter().filter(|n| n.rule == form::RULE_DROPPED) {
        out.extend(n.source);
        let Some(h) = n
            .field
            .as_deref()
            .and_then(|f| f.strip_prefix("indicators.extra."))
        else {
            continue;
        };
        let Some(col) = n.source.map(|c| c.col) else {
            continue;
        };
        let rows = table
            .indicators
            .iter()
            .chain(table.other_grids.iter().flat_map(|g| &g.indicators))
            .filter(|i| i.extra.get(h).is_some_and(|v| !v.trim().is_empty()))
            .filter_map(|i| i.cell.or(i.name_cell).map(|c| c.row));
        out.extend(rows.map(|r| CellRef::new(r, col)));
    }
    out
}

/// A value reads back the same when its text does, or when its parts do (a split layout
/// joins `≥`, `80`, `%` back as `≥80%`).
fn same_value(w: &Indicator, g: &Indicator) -> bool {
    let (a, b) = (&w.value, &g.value);
    squash(&a.raw) == squash(&b.raw)
        || (a.number.is_some()
            && a.number == b.number
            && a.comparator == b.comparator
            && a.unit == b.unit)
}

fn line_amount(l: &crate::model::FundingLine) -> String {
    match l.amount {
        Some(d) => money(Some(d)),
        None => squash(&l.raw),
    }
}

fn opt(y: Option<i32>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

fn money(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// Text compared without its spacing (a cell's wrapping and padding are not its content) and
/// with full-width ASCII folded to half-width (`：` = `:`, `（` = `(`).
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match u32::from(c) {
            0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The numbers typed in the source table's range (cells whose whole content is a number)
/// that appear nowhere in the written form sheet, with their source cells. An amount in 元
/// or 亿元 counts as found in 万元.
pub fn missing_numbers(source: &Sheet, table: &Table, written: &Sheet) -> Vec<(CellRef, String)> {
    missing_numbers_except(source, table, written, &BTreeSet::new())
}

/// [`missing_numbers`], leaving out the source cells in `dropped` (what a forced layout lists
/// as dropped, [`dropped_cells`]).
pub fn missing_numbers_except(
    source: &Sheet,
    table: &Table,
    written: &Sheet,
    dropped: &BTreeSet<CellRef>,
) -> Vec<(CellRef, String)> {
    let Some((first, last)) = range(&table.source.range) else {
        return Vec::new();
    };
    let mut present: BTreeSet<Decimal> = BTreeSet::new();
    let mut shown: Vec<String> = Vec::new();
    for c in written.rows.iter().flat_map(|r| &r.cells) {
        present.extend(numbers_in(&c.value));
        shown.push(c.value.display());
    }
    // A day number the reader took for the date it stands for (a time indicator's serial)
    // is kept when the written form shows that date.
    let date_shown = |v: &crate::read::grid::CellValue| {
        crate::read::values::plausible_date_serial(v).is_some_and(|(y, m, d)| {
            let date = format!("{y}年{m}月{d}日");
            shown.iter().any(|s| s.contains(&date))
        })
    };
    let scale = match table.source_unit.as_deref() {
        Some("元") => Some(Decimal::new(1, 4)),
        Some("亿元") => Some(Decimal::new(10_000, 0)),
        _ => None,
    };
    let mut out = Vec::new();
    for r in source
        .rows
        .iter()
        .filter(|r| r.row >= first.row && r.row <= last.row)
    {
        for c in r
            .cells
            .iter()
            .filter(|c| c.col >= first.col && c.col <= last.col)
        {
            let Some(n) = whole_number(&c.value) else {
                continue;
            };
            if dropped.contains(&CellRef::new(r.row, c.col)) {
                continue;
            }
            let found = present.contains(&n)
                || scale.is_some_and(|s| present.contains(&(n * s).normalize()))
                || date_shown(&c.value);
            if !found {
                out.push((CellRef::new(r.row, c.col), c.value.display()));
            }
        }
    }
    out
}

/// The numbers typed in `read`'s source range that the table made from it (`carried`: next
/// year's, by `template --from`) still holds, and that appear nowhere in `written`, the form
/// the carried table was written to. A number the carrying changed on purpose (a year moved
/// on, an amount cleared) is no longer held, and not looked for.
pub fn missing_carried_numbers(
    source: &Sheet,
    read: &Table,
    carried: &Table,
    written: &Sheet,
    dropped: &BTreeSet<CellRef>,
) -> Vec<(CellRef, String)> {
    let held = model_numbers(carried);
    missing_numbers_except(source, read, written, dropped)
        .into_iter()
        .filter(|(_, text)| numbers_of(text).iter().any(|n| held.contains(n)))
        .collect()
}

/// Every number in the values a table holds (texts, amounts, raw texts, indicator values and
/// columns, metadata, extras, tasks), found through its serialised form so that no part is
/// left out; cells, ranges and indices are places, not values.
fn model_numbers(t: &Table) -> BTreeSet<Decimal> {
    const PLACES: &[&str] = &[
        "cell",
        "name_cell",
        "cells",
        "source",
        "parent",
        "range",
        "sheet",
        "file",
        "columns",
    ];
    fn walk(v: &serde_json::Value, out: &mut BTreeSet<Decimal>) {
        match v {
            serde_json::Value::String(s) => out.extend(numbers_of(s)),
            serde_json::Value::Number(n) => out.extend(numbers_of(&n.to_string())),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o
                .iter()
                .filter(|(k, _)| !PLACES.contains(&k.as_str()))
                .for_each(|(_, x)| walk(x, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(t) {
        walk(&v, &mut out);
    }
    out
}

/// The differences of numbers missing from a written form, for table `index`.
pub fn missing_number_differences(
    index: usize,
    source: &Sheet,
    table: &Table,
    written: &Sheet,
    dropped: &BTreeSet<CellRef>,
) -> Vec<Difference> {
    missing_numbers_except(source, table, written, dropped)
        .into_iter()
        .map(|(cell, text)| Difference {
            table: index,
            field: format!("原表 {cell}"),
            name: "数字".into(),
            cell: None,
            source_cell: Some(cell),
            written: text,
            read: String::new(),
        })
        .collect()
}

fn range(r: &str) -> Option<(CellRef, CellRef)> {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

/// The number a cell holds when it is nothing but a number (typed as one, or as text).
pub(crate) fn whole_number(v: &CellValue) -> Option<Decimal> {
    match v {
        CellValue::Number(_) | CellValue::Percent(_) => numbers_of(&v.display()).into_iter().next(),
        CellValue::Text(s) => {
            let t = s.trim().replace([',', '，'], "");
            if !t.is_empty() && t.parse::<Decimal>().is_ok() {
                t.parse::<Decimal>().ok().map(|d| d.normalize())
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Every number a written cell shows (a number cell's value, the numbers inside a text).
fn numbers_in(v: &CellValue) -> Vec<Decimal> {
    numbers_of(&v.display())
}

pub(crate) fn numbers_of(s: &str) -> Vec<Decimal> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<Decimal>| {
        let t = cur.trim_end_matches('.');
        if let Ok(d) = t.parse::<Decimal>() {
            out.push(d.normalize());
        }
        cur.clear();
    };
    for ch in s.chars() {
        let digit = ch.is_ascii_digit() || (ch == '.' && !cur.is_empty());
        if digit || (ch == '-' && cur.is_empty()) {
            cur.push(ch);
        } else if ch == ',' && !cur.is_empty() {
            // 1,000 is one number.
        } else {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    // `-` alone or a leading minus of a range (`2023-2024`) also counts as the bare number.
    let abs: Vec<Decimal> = out
        .iter()
        .filter(|d| d.is_sign_negative())
        .map(|d| d.abs())
        .collect();
    out.extend(abs);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_inside_text() {
        assert_eq!(
            numbers_of("≥1,000人，30.50万元，2023.07-2024.01"),
            vec![
                Decimal::new(1000, 0),
                Decimal::new(305, 1),
                Decimal::new(202307, 2),
                Decimal::new(202401, 2),
            ]
        );
    }

    fn sheet(cells: &[(u32, u32, CellValue)]) -> Sheet {
        let mut rows: Vec<grid::Row> = Vec::new();
        for (r, c, v) in cells {
            let cell = grid::Cell {
                col: *c,
                value: v.clone(),
            };
            match rows.iter_mut().find(|x| x.row == *r) {
                Some(row) => row.cells.push(cell),
                None => rows.push(grid::Row {
                    row: *r,
                    cells: vec![cell],
                }),
            }
        }
        Sheet {
            name: "表".into(),
            rows,
            merges: Vec::new(),
            aligns: Default::default(),
            record: Default::default(),
        }
    }

    #[test]
    fn a_carried_number_missing_from_its_form_is_found_and_a_moved_one_is_not() {
        // The source: a year (2025) the template moves on, an amount and a target it keeps.
        let source = sheet(&[
            (0, 0, CellValue::Text("2025".into())),
            (1, 1, CellValue::Number(45.0)),
            (2, 2, CellValue::Text("1500".into())),
        ]);
        let mut read = Table::default();
        read.source.range = "A1:C3".into();
        let mut carried = read.clone();
        carried.title = "2026年绩效表".into();
        carried.goal = "全年完成 1500 人次，预算 45 万元".into();
        // The form keeps the amount only.
        let written = sheet(&[
            (0, 0, CellValue::Text("2026年绩效表".into())),
            (3, 1, CellValue::Number(45.0)),
        ]);
        let missing = missing_carried_numbers(&source, &read, &carried, &written, &BTreeSet::new());
        assert_eq!(missing, vec![(CellRef::new(2, 2), "1500".to_string())]);
        // Once the form prints it, nothing is missing.
        let written = sheet(&[
            (3, 1, CellValue::Number(45.0)),
            (4, 1, CellValue::Text("≥1500人次".into())),
        ]);
        assert!(
            missing_carried_numbers(&source, &read, &carried, &written, &BTreeSet::new())
                .is_empty()
        );
    }

    #[test]
    fn a_whole_number_is_a_cell_of_nothing_else() {
        assert_eq!(
            whole_number(&CellValue::Text(" 45.00 ".into())),
            Some(Decimal::new(45, 0))
        );
        assert_eq!(whole_number(&CellValue::Text("45万元".into())), None);
        assert_eq!(
            whole_number(&CellValue::Percent(0.8)),
            Some(Decimal::new(80, 0))
        );
    }
}
