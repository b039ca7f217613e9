//! Stage 5: the indicator grids: the header row gives each column a role, and every row
//! below is read by vocabulary first (一级/二级 names are recognised wherever they sit), then
//! by those columns.

use super::tokens::Tok;
use super::TableReader;
use crate::cell::CellRef;
use crate::model::{Indicator, IndicatorClass, Layout, Severity, Value};
use crate::read::grid::CellValue;
use crate::read::labels::Framework;
use crate::read::values::{collapse_spaces, join_split_value, parse_value};

/// The columns of the indicator grid's header row.
#[derive(Debug, Default)]
pub(super) struct GridHeader {
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
pub(super) enum Slot {
    Level1,
    Level2,
    Name,
    Value,
    Nature,
    Unit,
    Extra(usize),
}

impl TableReader<'_> {
    pub(super) fn read_grid_header(&mut self, toks: &[Tok<'_>]) -> bool {
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

    pub(super) fn read_indicator_row(&mut self, toks: &[Tok<'_>]) {
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
}

/// Level names as printed, without stray spaces.
fn clean_level(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
