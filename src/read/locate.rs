//! Grid → tables: finds every table on a sheet by its labels and reads its fields.
//!
//! A table is anchored on its 项目名称 label; the title, `(2026年)` and `单位：万元` rows just
//! above it belong to it; it ends where the next table's preamble starts, or at a footer row.
//! Inside, each row is read as a sequence of non-empty cells (merges collapse to one cell
//! whatever the column count), and a value is the next non-label cell to the right of its
//! label. The classic layout:
//!
//! ```text
//!  | A               | B           | C    | D                    | E        | F   |
//!  | 项目名称         | (value, merged B:F)                                          |
//!  | 主管部门         | value       |      | 实施单位              | value          |
//!  | 其中：本级资金    | 资金总额     | 45   | 其中：转移市县（区）资金 | 资金总额  | 0   |
//!  |                 | 财政拨款     | 45   |                      | 中央资金  | 0   |
//!  | 一级指标         | 二级指标     | 三级指标 (C:D)               | 指标值 (E:F)   |
//!  | 产出指标 (merged)| 数量指标     | 网络安全宣传周项目             | 1项            |
//! ```
//!
//! Indicator rows are read by vocabulary first (一级/二级 names are recognised wherever they
//! sit, so a row pushed one column right still reads), then by the header's columns.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::cell::{range_name, CellRef};
use crate::model::{
    FieldSource, Finding, Indicator, IndicatorClass, Layout, Severity, Source, Table, Value,
};
use crate::read::grid::{CellValue, Row, Sheet};
use crate::read::labels::{FieldDef, Framework, LabelMatch, Labels};
use crate::read::values::{
    collapse_spaces, join_split_value, money_scale, parse_amount_text, parse_value, strip_markup,
    MoneyUnit,
};

/// Rows above a 项目名称 label searched for the table's title, year and unit.
const PREAMBLE_ROWS: usize = 8;

/// Blank rows that end an indicator grid (a stray cell far below is not part of the table).
const MAX_GRID_GAP: u32 = 5;

/// A table read from a sheet, with the reader's notices about it.
#[derive(Debug, Clone)]
pub struct Located {
    /// The table.
    pub table: Table,
    /// Changes the reader made to what was typed (info) and values it could not read.
    pub notices: Vec<Finding>,
}

/// One non-empty cell of a row, classified.
#[derive(Debug)]
struct Tok<'a> {
    cell: CellRef,
    value: &'a CellValue,
    text: String,
    label: Option<(&'static FieldDef, LabelMatch)>,
    /// For `项目名称：甲` in one cell: the value part.
    inline_value: Option<String>,
}

impl Tok<'_> {
    fn field(&self) -> Option<&str> {
        self.label.as_ref().map(|(f, _)| f.id.as_str())
    }
}

fn tokens(row: &Row) -> Vec<Tok<'_>> {
    let labels = Labels::builtin();
    row.cells
        .iter()
        .map(|c| {
            let text = c.value.display();
            let mut label = match &c.value {
                CellValue::Text(t) => labels.lookup(t),
                _ => None,
            };
            let mut inline_value = None;
            if label.is_none() {
                if let CellValue::Text(t) = &c.value {
                    if let Some((l, v)) = split_inline(t) {
                        if let Some(hit) = labels.lookup(l) {
                            let inline_field = ["project.", "funding.", "goal"]
                                .iter()
                                .any(|p| hit.0.id.starts_with(p));
                            if inline_field
                                && hit.1 != LabelMatch::Truncated
                                && !v.trim().is_empty()
                            {
                                label = Some(hit);
                                inline_value = Some(v.trim().to_string());
                            }
                        }
                    }
                }
            }
            Tok {
                cell: CellRef::new(row.row, c.col),
                value: &c.value,
                text,
                label,
                inline_value,
            }
        })
        .collect()
}

fn split_inline(t: &str) -> Option<(&str, &str)> {
    if t.chars().count() > 80 {
        return None;
    }
    let i = t.find(['：', ':'])?;
    let sep = if t[i..].starts_with('：') {
        '：'.len_utf8()
    } else {
        1
    };
    Some((&t[..i], &t[i + sep..]))
}

fn title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| Regex::new(r"(?:项目|支出).*(?:绩效|目标).*表").unwrap())
}

fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| Regex::new(r"^[(（]?\s*((?:19|20)\d\d)\s*年?度?\s*[)）]?$").unwrap())
}

fn title_year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| Regex::new(r"((?:19|20)\d\d)\s*年").unwrap())
}

fn unit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| Regex::new(r"^(?:金额)?单位\s*[:：]\s*(万元|元|亿元)\s*$").unwrap())
}

/// What a preamble cell says.
enum Preamble {
    Title(i32),
    TitleNoYear,
    Year(i32),
    Unit(MoneyUnit),
}

fn preamble(text: &str) -> Option<Preamble> {
    let t = text.trim();
    if let Some(c) = year_re().captures(t) {
        return c[1].parse().ok().map(Preamble::Year);
    }
    if let Some(c) = unit_re().captures(t) {
        return Some(Preamble::Unit(match &c[1] {
            "元" => MoneyUnit::Yuan,
            "亿元" => MoneyUnit::Yi,
            _ => MoneyUnit::Wan,
        }));
    }
    if t.chars().count() <= 60 && title_re().is_match(t) {
        return Some(match title_year_re().captures(t) {
            Some(c) => c[1].parse().map_or(Preamble::TitleNoYear, Preamble::Title),
            None => Preamble::TitleNoYear,
        });
    }
    None
}

fn is_preamble_row(toks: &[Tok<'_>]) -> bool {
    !toks.is_empty()
        && toks
            .iter()
            .all(|t| t.label.is_none() && preamble(&t.text).is_some())
}

/// A row above a table that holds its title, year or unit, perhaps beside other notes
/// (`填报单位：某厅 | 单位：万元`).
fn is_loose_preamble_row(toks: &[Tok<'_>]) -> bool {
    toks.iter().all(|t| t.label.is_none()) && toks.iter().any(|t| preamble(&t.text).is_some())
}

/// Finds and reads every table on a sheet.
pub fn locate_tables(sheet: &Sheet, file: &str) -> Vec<Located> {
    let rows: Vec<Vec<Tok<'_>>> = sheet.rows.iter().map(tokens).collect();
    let anchors: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, toks)| {
            toks.iter().any(|t| {
                t.field() == Some("project.name") && t.inline_value.is_none()
                    || t.field() == Some("project.name") && t.cell.col <= 2
            })
        })
        .map(|(i, _)| i)
        .collect();
    let mut starts = Vec::with_capacity(anchors.len());
    let mut floor = 0;
    for &a in &anchors {
        let mut s = a;
        while s > floor && a - (s - 1) <= PREAMBLE_ROWS && is_loose_preamble_row(&rows[s - 1]) {
            s -= 1;
        }
        starts.push(s);
        floor = a + 1;
    }
    let mut out = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(rows.len());
        let mut reader = TableReader::new(file, &sheet.name);
        for toks in &rows[start..end] {
            if reader.read_row(toks) == RowOutcome::End {
                break;
            }
        }
        if let Some(located) = reader.finish() {
            out.push(located);
        }
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum RowOutcome {
    More,
    End,
}

/// The columns of the indicator grid's header row.
#[derive(Debug, Default)]
struct GridHeader {
    level1: Option<u32>,
    level2: Option<u32>,
    name: Option<u32>,
    value: Option<u32>,
    nature: Option<u32>,
    unit: Option<u32>,
    /// Extra columns (权重, 备注, …) with their header text.
    extra: Vec<(u32, String)>,
}

impl GridHeader {
    fn split(&self) -> bool {
        self.nature.is_some() || self.unit.is_some()
    }

    /// Column starts, sorted, with what they hold.
    fn slots(&self) -> Vec<(u32, Slot)> {
        let mut v: Vec<(u32, Slot)> = [
            (self.level1, Slot::Level1),
            (self.level2, Slot::Level2),
            (self.name, Slot::Name),
            (self.value, Slot::Value),
            (self.nature, Slot::Nature),
            (self.unit, Slot::Unit),
        ]
        .into_iter()
        .filter_map(|(c, s)| c.map(|c| (c, s)))
        .collect();
        for (i, (c, _)) in self.extra.iter().enumerate() {
            v.push((*c, Slot::Extra(i)));
        }
        v.sort_by_key(|(c, _)| *c);
        v
    }

    fn slot_of(slots: &[(u32, Slot)], col: u32) -> Slot {
        slots
            .iter()
            .rev()
            .find(|(c, _)| *c <= col)
            .map_or(Slot::Level1, |(_, s)| *s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Level1,
    Level2,
    Name,
    Value,
    Nature,
    Unit,
    Extra(usize),
}

struct Notice {
    rule: &'static str,
    severity: Severity,
    cell: Option<CellRef>,
    field: Option<String>,
    message: String,
}

struct TableReader<'f> {
    file: &'f str,
    sheet: &'f str,
    table: Table,
    notices: Vec<Notice>,
    min: Option<CellRef>,
    max: Option<CellRef>,
    unit: MoneyUnit,
    unit_cell: Option<CellRef>,
    amounts: HashMap<&'static str, (Decimal, CellRef)>,
    transfer_col: Option<u32>,
    header_fields: usize,
    grid: Option<GridHeader>,
    slots: Vec<(u32, Slot)>,
    level1: String,
    level2: String,
    pending_below: Vec<(&'static str, u32, Option<MoneyUnit>)>,
    block_unit: Option<MoneyUnit>,
    saw_title: bool,
}

impl<'f> TableReader<'f> {
    fn new(file: &'f str, sheet: &'f str) -> Self {
        TableReader {
            file,
            sheet,
            table: Table {
                unit: "万元".into(),
                ..Table::default()
            },
            notices: Vec::new(),
            min: None,
            max: None,
            unit: MoneyUnit::Wan,
            unit_cell: None,
            amounts: HashMap::new(),
            transfer_col: None,
            header_fields: 0,
            grid: None,
            slots: Vec::new(),
            level1: String::new(),
            level2: String::new(),
            pending_below: Vec::new(),
            block_unit: None,
            saw_title: false,
        }
    }

    fn notice(
        &mut self,
        rule: &'static str,
        severity: Severity,
        cell: Option<CellRef>,
        field: Option<String>,
        message: String,
    ) {
        self.notices.push(Notice {
            rule,
            severity,
            cell,
            field,
            message,
        });
    }

    fn extend(&mut self, cell: CellRef) {
        let min = self.min.get_or_insert(cell);
        min.row = min.row.min(cell.row);
        min.col = min.col.min(cell.col);
        let max = self.max.get_or_insert(cell);
        max.row = max.row.max(cell.row);
        max.col = max.col.max(cell.col);
    }

    fn read_row(&mut self, toks: &[Tok<'_>]) -> RowOutcome {
        if toks.is_empty() {
            return RowOutcome::More;
        }
        if toks.first().and_then(Tok::field) == Some("footer") {
            return RowOutcome::End;
        }
        if self.grid.is_some() {
            let row = toks[0].cell.row;
            let gap = self.max.map_or(0, |m| row.saturating_sub(m.row));
            if is_preamble_row(toks) || gap > MAX_GRID_GAP {
                return RowOutcome::End;
            }
            // The header again: repeated on a new printed page, or a second grid (长期/年度).
            if self.read_grid_header(toks) {
                for t in toks {
                    self.extend(t.cell);
                }
                self.level1.clear();
                self.level2.clear();
                return RowOutcome::More;
            }
            self.read_indicator_row(toks);
            return RowOutcome::More;
        }
        for t in toks {
            self.extend(t.cell);
        }
        if self.read_grid_header(toks) {
            return RowOutcome::More;
        }
        self.read_header_row(toks);
        RowOutcome::More
    }

    fn read_grid_header(&mut self, toks: &[Tok<'_>]) -> bool {
        let has = |id: &str| toks.iter().any(|t| t.field() == Some(id));
        if !(has("grid.level1") || (has("grid.name") && has("grid.value"))) {
            return false;
        }
        let mut h = GridHeader::default();
        for t in toks {
            let col = t.cell.col;
            match t.field() {
                Some("grid.level1") => h.level1 = h.level1.or(Some(col)),
                Some("grid.level2") => h.level2 = h.level2.or(Some(col)),
                Some("grid.name") => h.name = h.name.or(Some(col)),
                Some("grid.value") => h.value = h.value.or(Some(col)),
                Some("grid.nature") => h.nature = h.nature.or(Some(col)),
                Some("grid.unit") => h.unit = h.unit.or(Some(col)),
                _ => h.extra.push((col, collapse_spaces(&t.text))),
            }
        }
        if h.split() {
            self.table.layout = Layout::National;
        }
        self.slots = h.slots();
        self.grid = Some(h);
        true
    }

    fn read_header_row(&mut self, toks: &[Tok<'_>]) {
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

    fn read_preamble(&mut self, t: &Tok<'_>) {
        match preamble(&t.text) {
            Some(Preamble::Title(y)) => {
                self.set_title(t);
                self.table.year = Some(y);
            }
            Some(Preamble::TitleNoYear) => self.set_title(t),
            Some(Preamble::Year(y)) => {
                self.table.year.get_or_insert(y);
                self.record("year", t.cell, &t.text);
            }
            Some(Preamble::Unit(u)) => {
                self.unit = u;
                self.unit_cell = Some(t.cell);
                if u != MoneyUnit::Wan {
                    self.table.source_unit = Some(
                        match u {
                            MoneyUnit::Yuan => "元",
                            MoneyUnit::Yi => "亿元",
                            MoneyUnit::Wan => "万元",
                        }
                        .into(),
                    );
                }
            }
            None => {}
        }
    }

    fn set_title(&mut self, t: &Tok<'_>) {
        if self.saw_title {
            return;
        }
        self.saw_title = true;
        self.table.title = collapse_spaces(&t.text);
        self.record("title", t.cell, &t.text);
    }

    fn record(&mut self, field: &str, cell: CellRef, raw: &str) {
        self.table.cells.insert(
            field.to_string(),
            FieldSource {
                cell,
                raw: raw.to_string(),
            },
        );
    }

    fn clean_text(&mut self, field: &str, cell: CellRef, raw: &str) -> String {
        match strip_markup(raw) {
            Some(clean) => {
                self.notice(
                    "read.markup",
                    Severity::Info,
                    Some(cell),
                    Some(field.to_string()),
                    "单元格中的网页标记（如 <p>）已去除".into(),
                );
                clean
            }
            None => collapse_spaces(raw),
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

    fn set_amount(
        &mut self,
        field: &'static str,
        cell: CellRef,
        raw: &str,
        value: Option<&CellValue>,
        label_unit: Option<MoneyUnit>,
    ) {
        let parsed = match value {
            Some(CellValue::Number(f)) | Some(CellValue::Percent(f)) => {
                crate::read::values::decimal_from_f64(*f).map(|d| (d, None, false))
            }
            _ => parse_amount_text(raw).map(|a| (a.value, a.unit, a.cleaned)),
        };
        let Some((mut amount, unit, cleaned)) = parsed else {
            self.notice(
                "read.amount-invalid",
                Severity::Warning,
                Some(cell),
                Some(field.to_string()),
                format!("金额“{}”不是数字，无法读取", raw.trim()),
            );
            return;
        };
        // A unit typed in the cell wins over one in the label, the block's, and the table's.
        let local_unit = unit.or(label_unit).or(self.block_unit);
        let unit = local_unit.unwrap_or(self.unit);
        if unit != MoneyUnit::Wan {
            amount = unit.to_wan(amount);
        }
        let amount = money_scale(amount);
        if local_unit.is_some_and(|u| u != MoneyUnit::Wan) {
            self.notice(
                "read.unit-converted",
                Severity::Info,
                Some(cell),
                Some(field.to_string()),
                format!("金额“{}”以元为单位，已换算为 {amount} 万元", raw.trim()),
            );
        }
        if cleaned {
            self.notice(
                "read.amount-text",
                Severity::Info,
                Some(cell),
                Some(field.to_string()),
                format!("金额以文本“{}”填写，按 {amount} 万元读取", raw.trim()),
            );
        }
        self.amounts.insert(field, (amount, cell));
    }

    fn read_indicator_row(&mut self, toks: &[Tok<'_>]) {
        let fw = Framework::builtin();
        let layout = self.table.layout;
        let mut rest: Vec<&Tok<'_>> = Vec::with_capacity(toks.len());
        let mut new_level1: Option<String> = None;
        let mut new_level2: Option<(String, Option<&crate::read::labels::Level2Def>)> = None;
        let mut peeling = true;
        let mut peeled: Vec<(&Tok<'_>, Slot)> = Vec::new();
        for (k, t) in toks.iter().enumerate() {
            if peeling && new_level2.is_none() {
                let is_text = matches!(t.value, CellValue::Text(_));
                let next_is_cost2 = toks
                    .get(k + 1)
                    .is_some_and(|n| fw.level2(&n.text).iter().any(|d| d.parent == "成本指标"));
                let l1 = if is_text { fw.level1(&t.text) } else { None };
                let as_level1 = match l1 {
                    Some("成本指标") => {
                        new_level1.is_none() && (layout == Layout::National || next_is_cost2)
                    }
                    Some(_) => new_level1.is_none(),
                    None => false,
                };
                if as_level1 {
                    new_level1 = Some(clean_level(&t.text));
                    peeled.push((t, Slot::Level1));
                    continue;
                }
                let l2 = if is_text {
                    fw.level2_in(&t.text, layout)
                } else {
                    None
                };
                if let Some(def) = l2 {
                    new_level2 = Some((clean_level(&t.text), Some(def)));
                    peeled.push((t, Slot::Level2));
                    continue;
                }
            }
            peeling = false;
            // Some programs repeat a merged cell's value in every cell it covers.
            let repeated = rest.last().is_some_and(|p: &&Tok<'_>| {
                p.text == t.text
                    && GridHeader::slot_of(&self.slots, p.cell.col)
                        == GridHeader::slot_of(&self.slots, t.cell.col)
            });
            if !repeated {
                rest.push(t);
            }
        }
        // Cells left in the 一级/二级 columns that are not in the vocabulary.
        let slots = self.slots.clone();
        let name_col = self.grid.as_ref().and_then(|g| g.name).unwrap_or(0);
        while rest.len() > 2 && rest[0].cell.col < name_col {
            let t = rest.remove(0);
            match GridHeader::slot_of(&slots, t.cell.col) {
                Slot::Level1 if new_level1.is_none() && new_level2.is_none() => {
                    new_level1 = Some(clean_level(&t.text));
                }
                _ if new_level2.is_none() => new_level2 = Some((clean_level(&t.text), None)),
                _ => {
                    rest.insert(0, t);
                    break;
                }
            }
        }
        if let Some(l1) = new_level1 {
            if l1 != self.level1 {
                self.level2.clear();
            }
            self.level1 = l1;
        }
        let mut class = IndicatorClass::Unknown;
        if let Some((l2, def)) = &new_level2 {
            self.level2 = l2.clone();
            if let Some(def) = def {
                // No 一级 printed above it at all: recover it from the vocabulary. A 二级
                // printed under another 一级 stays as printed, for the checker to report.
                if self.level1.is_empty() {
                    self.notice(
                        "read.layout-repaired",
                        Severity::Info,
                        toks.first().map(|t| t.cell),
                        None,
                        format!(
                            "二级指标“{l2}”所在行没有一级指标，按指标体系归入“{}”",
                            def.parent
                        ),
                    );
                    self.level1 = def.parent.clone();
                }
            }
        }
        if let Some(def) = fw.level2_in(&self.level2, layout) {
            class = def.class;
        }
        if rest.is_empty() && new_level2.is_none() && toks.iter().all(|t| t.label.is_some()) {
            return;
        }
        // A vocabulary name found outside its own column: the row was pushed sideways.
        let shifted = peeled
            .iter()
            .find(|(t, want)| GridHeader::slot_of(&slots, t.cell.col) != *want);
        let shifted = shifted.map(|(t, _)| t.cell);
        if let Some(cell) = shifted {
            let text = toks
                .iter()
                .find(|t| t.cell == cell)
                .map(|t| collapse_spaces(&t.text))
                .unwrap_or_default();
            self.notice(
                "read.layout-repaired",
                Severity::Info,
                Some(cell),
                None,
                format!("指标名称“{text}”不在一级/二级指标列，已按指标体系识别"),
            );
        }
        let mut ind = Indicator {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            class,
            ..Indicator::default()
        };
        let split = self.grid.as_ref().is_some_and(GridHeader::split);
        if split {
            self.split_value_row(&rest, &slots, &mut ind);
        } else {
            self.single_value_row(&rest, &mut ind);
        }
        for t in toks {
            self.extend(t.cell);
        }
        self.table.indicators.push(ind);
    }

    fn single_value_row(&mut self, rest: &[&Tok<'_>], ind: &mut Indicator) {
        let value_col = self.grid.as_ref().and_then(|g| g.value).unwrap_or(u32::MAX);
        let (name_toks, value_tok): (&[&Tok<'_>], Option<&Tok<'_>>) = match rest {
            [] => (&[], None),
            [only] if only.cell.col >= value_col => (&[], Some(only)),
            [_] => (rest, None),
            [names @ .., last] => (names, Some(last)),
        };
        self.set_name(name_toks, ind);
        if let Some(t) = value_tok {
            ind.cell = Some(t.cell);
            ind.value = self.cell_value(t);
        } else {
            ind.cell = self
                .grid
                .as_ref()
                .and_then(|g| g.value)
                .and_then(|c| rest.first().map(|t| CellRef::new(t.cell.row, c)));
        }
    }

    fn split_value_row(&mut self, rest: &[&Tok<'_>], slots: &[(u32, Slot)], ind: &mut Indicator) {
        let mut names = Vec::new();
        let (mut nature, mut value, mut unit) = (String::new(), None, String::new());
        let headers: Vec<String> = self
            .grid
            .as_ref()
            .map(|g| g.extra.iter().map(|(_, h)| h.clone()).collect())
            .unwrap_or_default();
        for t in rest {
            match GridHeader::slot_of(slots, t.cell.col) {
                Slot::Level1 | Slot::Level2 | Slot::Name => names.push(*t),
                Slot::Nature => nature = t.text.clone(),
                Slot::Value => value = Some(*t),
                Slot::Unit => unit = t.text.trim().to_string(),
                Slot::Extra(i) => {
                    let h = headers.get(i).cloned().unwrap_or_default();
                    ind.extra.insert(h, collapse_spaces(&t.text));
                }
            }
        }
        self.set_name(&names, ind);
        let row = rest.first().map(|t| t.cell.row);
        ind.cell = value.map(|t| t.cell).or_else(|| {
            let col = self.grid.as_ref().and_then(|g| g.value)?;
            row.map(|r| CellRef::new(r, col))
        });
        let value_text = match value {
            Some(t) => self.cell_value(t).raw,
            None => String::new(),
        };
        ind.value = join_split_value(&nature, &value_text, &unit);
    }

    fn set_name(&mut self, toks: &[&Tok<'_>], ind: &mut Indicator) {
        if let Some(first) = toks.first() {
            ind.name_cell = Some(first.cell);
            let joined: String = toks.iter().map(|t| t.text.as_str()).collect();
            ind.name = self.clean_text("indicator.name", first.cell, &joined);
        }
    }

    fn cell_value(&mut self, t: &Tok<'_>) -> Value {
        match t.value {
            CellValue::Percent(_) => {
                self.notice(
                    "read.percent-cell",
                    Severity::Info,
                    Some(t.cell),
                    None,
                    format!("百分比格式的数字按“{}”读取", t.text),
                );
                parse_value(&t.text)
            }
            CellValue::Date(..) => {
                self.notice(
                    "read.date-cell",
                    Severity::Info,
                    Some(t.cell),
                    None,
                    format!("日期单元格按“{}”读取", t.text),
                );
                parse_value(&t.text)
            }
            _ => {
                let text = self.clean_text("indicator.value", t.cell, &t.text);
                parse_value(&text)
            }
        }
    }

    fn finish(mut self) -> Option<Located> {
        let has_grid = self.grid.is_some();
        if !has_grid && self.header_fields < 3 {
            return None;
        }
        self.apply_amounts();
        if let Some(cell) = self.unit_cell.filter(|_| self.unit != MoneyUnit::Wan) {
            let unit = self.table.source_unit.clone().unwrap_or_default();
            self.notice(
                "read.unit-converted",
                Severity::Info,
                Some(cell),
                Some("unit".into()),
                format!("本表金额单位为{unit}，已换算为万元"),
            );
        }
        if self.table.year.is_none() {
            self.table.year = self
                .table
                .cells
                .get("year")
                .and_then(|f| year_re().captures(f.raw.trim()))
                .and_then(|c| c[1].parse().ok());
        }
        let (first, last) = (self.min?, self.max?);
        self.table.source = Source {
            file: self.file.to_string(),
            sheet: self.sheet.to_string(),
            range: range_name(first, last),
        };
        let table = self.table;
        let notices = self
            .notices
            .into_iter()
            .map(|n| {
                let mut f = Finding::new(n.rule, n.severity, &table, n.cell, n.message);
                f.field = n.field;
                f
            })
            .collect();
        Some(Located { table, notices })
    }

    fn apply_amounts(&mut self) {
        let get = |k: &str| self.amounts.get(k).map(|(d, _)| *d);
        let f = &mut self.table.funding;
        f.total = get("funding.total");
        f.annual_total = get("funding.annual_total");
        f.own.total = get("funding.own.total");
        f.own.fiscal = get("funding.own.fiscal");
        f.own.other = get("funding.own.other");
        f.own.carryover = get("funding.own.carryover");
        f.transfer.total = get("funding.transfer.total");
        f.transfer.central = get("funding.transfer.central");
        f.transfer.regional = get("funding.transfer.regional");
        let has_split = self.transfer_col.is_some()
            || f.own.total.is_some()
            || f.transfer.total.is_some()
            || f.transfer.central.is_some()
            || f.transfer.regional.is_some();
        if !has_split && f.annual_total.is_some() {
            // No 本级/转移 split in this template: all funds are the department's own.
            let zero = money_scale(Decimal::ZERO);
            f.own.total = f.annual_total;
            f.transfer.total = Some(zero);
            f.transfer.central = Some(zero);
            f.transfer.regional = Some(zero);
            for part in [&mut f.own.fiscal, &mut f.own.other, &mut f.own.carryover] {
                part.get_or_insert(zero);
            }
        }
    }
}

/// A money unit named in a label (`项目总额（元）`, `项目资金（万元）`).
fn label_unit(text: &str) -> Option<MoneyUnit> {
    let n = crate::read::labels::normalize_label(text);
    if n.ends_with("(元)") {
        Some(MoneyUnit::Yuan)
    } else if n.ends_with("(万元)") {
        Some(MoneyUnit::Wan)
    } else {
        None
    }
}

/// Level names as printed, without stray spaces.
fn clean_level(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
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

#[cfg(test)]
mod tests_support {
    use super::*;
    use crate::read::grid::Cell;

    /// A sheet from rows of (column, text); texts that parse as numbers become numbers.
    pub fn sheet(rows: &[&[(u32, &str)]]) -> Sheet {
        Sheet {
            name: "表1".into(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(r, cells)| Row {
                    row: r as u32,
                    cells: cells
                        .iter()
                        .map(|(c, t)| Cell {
                            col: *c,
                            value: match t.parse::<f64>() {
                                Ok(f) => CellValue::Number(f),
                                Err(_) => CellValue::Text((*t).to_string()),
                            },
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::sheet;
    use super::*;

    fn classic() -> Sheet {
        sheet(&[
            &[(0, "2026年宁夏回族自治区部门项目支出预算绩效表")],
            &[(0, "(2026年)")],
            &[(5, "单位：万元")],
            &[(0, "项目名称"), (1, "甲项目")],
            &[
                (0, "主管部门"),
                (1, "[812]某厅"),
                (3, "实施单位"),
                (4, "某厅本级"),
            ],
            &[
                (0, "项目属性"),
                (1, "经常性项目"),
                (3, "项目期"),
                (4, "1年"),
            ],
            &[
                (0, "项目总额"),
                (1, "45"),
                (3, "其中：年度资金总额"),
                (4, "45"),
            ],
            &[
                (0, "其中： 本级资金"),
                (1, "资金总额"),
                (2, "45"),
                (3, "其中： 转移市县 (区)资金"),
                (4, "资金总额"),
                (5, "0"),
            ],
            &[(1, "财政拨款"), (2, "45"), (4, "中央资金"), (5, "0")],
            &[(1, "其他资金"), (2, "0"), (4, "自治区资"), (5, "0")],
            &[(1, "结余结转资金"), (2, "0")],
            &[(0, "年度总体\n绩效目标"), (1, "<p>开展2026年度工作</p>")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[(0, "产出指标"), (1, "数量指标"), (2, "宣传周"), (4, "1项")],
            &[(2, "演练"), (4, "1项")],
            &[(1, "成本指标"), (2, "宣传周"), (4, "30万元")],
            &[(1, "效益指标"), (2, "经济效益"), (3, "无"), (5, "无")],
            &[(0, "社会效益"), (2, "发生率"), (4, "≤20%")],
            &[
                (0, "满意度指标"),
                (1, "服务对象满意度"),
                (2, "满意率"),
                (4, "≥80%"),
            ],
        ])
    }

    #[test]
    fn reads_a_classic_table() {
        let found = locate_tables(&classic(), "a.xlsx");
        assert_eq!(found.len(), 1);
        let t = &found[0].table;
        assert_eq!(t.year, Some(2026));
        assert_eq!(t.project.name, "甲项目");
        assert_eq!(t.project.department, "某厅");
        assert_eq!(t.project.department_code.as_deref(), Some("812"));
        assert_eq!(t.project.implementing_unit, "某厅本级");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("45.00")
        );
        assert_eq!(
            t.funding.own.fiscal.map(|d| d.to_string()).as_deref(),
            Some("45.00")
        );
        assert_eq!(
            t.funding.transfer.total.map(|d| d.to_string()).as_deref(),
            Some("0.00")
        );
        assert_eq!(
            t.funding
                .transfer
                .regional
                .map(|d| d.to_string())
                .as_deref(),
            Some("0.00")
        );
        assert_eq!(t.goal, "开展2026年度工作");
        assert_eq!(t.source.range, "A1:F19");
        let rows: Vec<(&str, &str, &str, &str)> = t
            .indicators
            .iter()
            .map(|i| {
                (
                    i.level1.as_str(),
                    i.level2.as_str(),
                    i.name.as_str(),
                    i.value.raw.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("产出指标", "数量指标", "宣传周", "1项"),
                ("产出指标", "数量指标", "演练", "1项"),
                ("产出指标", "成本指标", "宣传周", "30万元"),
                ("效益指标", "经济效益", "无", "无"),
                ("效益指标", "社会效益", "发生率", "≤20%"),
                ("满意度指标", "服务对象满意度", "满意率", "≥80%"),
            ]
        );
        assert_eq!(t.indicators[2].class, IndicatorClass::Cost);
        assert_eq!(t.indicators[4].cell, Some(CellRef::new(17, 4)));
        let rules: Vec<&str> = found[0].notices.iter().map(|n| n.rule.as_str()).collect();
        assert!(rules.contains(&"read.alias"), "{rules:?}");
        assert!(rules.contains(&"read.markup"), "{rules:?}");
        assert!(rules.contains(&"read.layout-repaired"), "{rules:?}");
    }

    #[test]
    fn stacked_tables_split_at_their_titles() {
        let mut s = classic();
        let mut second = classic();
        let offset = s.rows.len() as u32 + 2;
        for r in &mut second.rows {
            r.row += offset;
        }
        s.rows.extend(second.rows);
        let found = locate_tables(&s, "a.xlsx");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].table.indicators.len(), 6);
        assert_eq!(found[1].table.indicators.len(), 6);
        assert_eq!(
            found[1].table.title,
            "2026年宁夏回族自治区部门项目支出预算绩效表"
        );
        assert_eq!(found[1].table.source.range, "A22:F40");
    }

    #[test]
    fn non_tables_are_skipped() {
        let s = sheet(&[
            &[(0, "填报说明")],
            &[(0, "1. 请如实填写")],
            &[(0, "经常性项目")],
        ]);
        assert!(locate_tables(&s, "a.xlsx").is_empty());
    }

    #[test]
    fn department_codes() {
        assert_eq!(
            split_department_code("[812]自治区教育厅"),
            (Some("812".into()), "自治区教育厅".into())
        );
        assert_eq!(
            split_department_code("【812】 自治区教育厅"),
            (Some("812".into()), "自治区教育厅".into())
        );
        assert_eq!(
            split_department_code("自治区教育厅"),
            (None, "自治区教育厅".into())
        );
    }
}

#[cfg(test)]
mod drift_tests {
    use super::tests_support::sheet;
    use super::*;

    #[test]
    fn amounts_under_their_labels() {
        // The newer layout's funding block as column headers with the amounts below, in 元.
        let s = sheet(&[
            &[(0, "2026年项目支出绩效目标表")],
            &[(0, "项目名称"), (1, "乙项目")],
            &[
                (0, "主管部门及代码"),
                (1, "[812]某厅"),
                (2, "实施单位"),
                (3, "某厅本级"),
            ],
            &[
                (0, "项目资金（元）"),
                (1, "年度资金总额"),
                (2, "其中：财政拨款"),
                (3, "上年结转资金"),
                (4, "其他资金"),
            ],
            &[(1, "1000000"), (2, "800000"), (3, "150000"), (4, "50000")],
            &[(0, "年度总体目标")],
            &[(0, "完成乙工作")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (3, "指标性质"),
                (4, "指标值"),
                (5, "度量单位"),
            ],
            &[
                (0, "产出指标"),
                (1, "数量指标"),
                (2, "培训"),
                (3, "≥"),
                (4, "3"),
                (5, "次"),
            ],
        ]);
        let found = locate_tables(&s, "b.xlsx");
        assert_eq!(found.len(), 1);
        let t = &found[0].table;
        let f = &t.funding;
        let s = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
        assert_eq!(s(f.annual_total), "100.00");
        assert_eq!(s(f.own.total), "100.00");
        assert_eq!(s(f.own.fiscal), "80.00");
        assert_eq!(s(f.own.carryover), "15.00");
        assert_eq!(s(f.own.other), "5.00");
        assert_eq!(s(f.transfer.total), "0.00");
        assert_eq!(t.goal, "完成乙工作");
        assert_eq!(t.layout, Layout::National);
        assert_eq!(t.indicators[0].value.raw, "≥3次");
        assert_eq!(t.cell_of("funding.own.fiscal"), Some(CellRef::new(4, 2)));
        assert!(found[0]
            .notices
            .iter()
            .any(|n| n.rule == "read.unit-converted"));
    }

    #[test]
    fn merged_values_repeated_in_every_cell() {
        let s = sheet(&[
            &[(0, "项目名称"), (1, "丙项目"), (2, "丙项目"), (3, "丙项目")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[
                (0, "产出指标"),
                (1, "数量指标"),
                (2, "培训"),
                (3, "培训"),
                (4, "1次"),
                (5, "1次"),
            ],
            &[
                (0, "效益指标"),
                (1, "经济效益"),
                (2, "无"),
                (3, "无"),
                (4, "无"),
                (5, "无"),
            ],
        ]);
        let t = &locate_tables(&s, "c.xlsx")[0].table;
        assert_eq!(t.project.name, "丙项目");
        let rows: Vec<(&str, &str)> = t
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.value.raw.as_str()))
            .collect();
        assert_eq!(rows, vec![("培训", "1次"), ("无", "无")]);
    }

    #[test]
    fn rows_pushed_left_keep_their_level() {
        // The seed text's page-break rows: the name lands in column A, the value in C.
        let s = sheet(&[
            &[(0, "项目名称"), (1, "戊项目")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[
                (0, "产出指标"),
                (1, "成本指标"),
                (2, "宣传经费"),
                (4, "10万元"),
            ],
            &[(0, "网络法治宣传项目经费"), (2, "86万元")],
            &[(0, "效益指标"), (1, "经济效益"), (2, "无"), (4, "无")],
        ]);
        let t = &locate_tables(&s, "e.xlsx")[0].table;
        let rows: Vec<(&str, &str, &str)> = t
            .indicators
            .iter()
            .map(|i| (i.level2.as_str(), i.name.as_str(), i.value.raw.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("成本指标", "宣传经费", "10万元"),
                ("成本指标", "网络法治宣传项目经费", "86万元"),
                ("经济效益", "无", "无"),
            ]
        );
    }

    #[test]
    fn a_misplaced_second_level_stays_as_printed() {
        let s = sheet(&[
            &[(0, "项目名称"), (1, "己项目")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[(0, "产出指标"), (1, "数量指标"), (2, "培训"), (4, "1次")],
            &[(1, "经济效益"), (2, "增收"), (4, "≥5%")],
        ]);
        let found = &locate_tables(&s, "f.xlsx")[0];
        let ind = &found.table.indicators[1];
        assert_eq!(
            (ind.level1.as_str(), ind.level2.as_str()),
            ("产出指标", "经济效益")
        );
        assert_eq!(ind.class, IndicatorClass::Economic);
        assert!(found.notices.is_empty(), "{:?}", found.notices);
    }

    #[test]
    fn repeated_headers_and_extra_wordings() {
        let s = sheet(&[
            &[
                (0, "项目名称"),
                (1, "庚项目"),
                (2, "项目属性"),
                (3, "经常性项目"),
                (4, "项目类别"),
                (5, "其他"),
            ],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[(0, "产出指标"), (1, "数量指标"), (2, "培训"), (4, "1次")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[
                (0, "满意度指标"),
                (1, "服务对象满意度"),
                (2, "学员满意度"),
                (4, "≥90%"),
            ],
        ]);
        let t = &locate_tables(&s, "g.xlsx")[0].table;
        assert_eq!(t.project.attribute, "经常性项目");
        let names: Vec<&str> = t.indicators.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["培训", "学员满意度"]);
    }

    #[test]
    fn unit_beside_other_notes_above_the_table() {
        let s = sheet(&[
            &[(0, "2026年项目支出绩效目标表")],
            &[(0, "填报单位（盖章）：某厅"), (4, "单位：元")],
            &[(0, "项目名称"), (1, "辛项目")],
            &[(0, "项目总额"), (1, "50000")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
        ]);
        let t = &locate_tables(&s, "h.xlsx")[0].table;
        assert_eq!(t.title, "2026年项目支出绩效目标表");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("5.00")
        );
    }

    #[test]
    fn label_and_value_in_one_cell() {
        let s = sheet(&[
            &[(0, "项目名称：丁项目"), (3, "项目属性：经常性项目")],
            &[(0, "项目总额（万元）"), (1, "12.5")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (3, "指标值"),
            ],
            &[
                (0, "产出指标"),
                (1, "时效指标"),
                (2, "完成时间"),
                (3, "2026年6月前"),
            ],
        ]);
        let t = &locate_tables(&s, "d.xlsx")[0].table;
        assert_eq!(t.project.name, "丁项目");
        assert_eq!(t.project.attribute, "经常性项目");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("12.50")
        );
        assert_eq!(t.indicators[0].class, IndicatorClass::Timeliness);
    }
}
