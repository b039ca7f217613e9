//! Stage 5: the indicator grids: the header row gives each column a role, and every row
//! below is read by vocabulary first (一级/二级 names are recognised wherever they sit), then
//! by those columns.

use super::tokens::Tok;
use super::{Draft, EXTRA_GROUP};
use crate::cell::CellRef;
use crate::model::{Grid, GridColumn, Indicator, IndicatorClass, Layout, Severity, Value};
use crate::read::grid::CellValue;
use crate::read::labels::{Framework, Level2Def};
use crate::read::text::is_ellipsis;
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
    weight: Option<u32>,
    /// Extra columns (备注, 绩效标准, 中期指标值, …) with their header text.
    extra: Vec<(u32, String)>,
    /// For each extra column: whether its header is a known grid header.
    known: Vec<bool>,
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
            (self.weight, Slot::Weight),
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
    Weight,
    Extra(usize),
}

/// The grid stage: starts at a grid's header row and reads the indicator rows below it (and
/// the headers of further grids: repeated on a new printed page, or 长期 / 年度).
#[derive(Debug, Default)]
pub(super) struct GridStage {
    /// The columns of the last header row read.
    grid: GridHeader,
    slots: Vec<(u32, Slot)>,
    /// The 一级 / 二级 in force (printed on a row above, merged down).
    pub(super) level1: String,
    pub(super) level2: String,
    /// The key of the grid being read (`annual` or `long-term`).
    grid_key: String,
    /// The weight column's header as printed (`权重`, `分值`).
    weight_header: String,
    /// A grid title seen (`长期绩效指标`): the key and label of the grid that follows.
    pub(super) next_grid: Option<(String, String)>,
    /// In a 其他 block (cells kept as `extra`, label | value per row).
    pub(super) in_extra_block: bool,
    /// Column groups side by side (`（长期）` | `（年度）`), each read by a stage of its own.
    pub(super) groups: Vec<super::groups::Group>,
    /// The last row read was a header row: the next may be its second row.
    after_header: bool,
    /// The sheet row of the last header row read: cells merged down from it or above are
    /// headers, never levels.
    header_row: u32,
}

/// A grid column heading that says the column holds units: `单位`, or a short word ending in
/// it (`指标单位`, `计量单位`), never a unit that is an organisation (`实施单位`).
fn is_unit_heading(norm: &str) -> bool {
    let n = norm.chars().count();
    norm.ends_with("单位")
        && n <= 4
        && !["实施", "执行", "责任", "主管", "承担", "预算"]
            .iter()
            .any(|w| norm.contains(w))
}

/// A row that heads an indicator grid.
pub(super) fn is_grid_header(toks: &[Tok<'_>]) -> bool {
    let has = |id: &str| toks.iter().any(|t| t.field() == Some(id));
    has("grid.level1") || (has("grid.name") && has("grid.value"))
}

/// A row that only names the grid below it (`长期绩效指标`, `年度绩效指标`): its key and label.
pub(super) fn grid_title(d: &mut Draft<'_>, toks: &[Tok<'_>]) -> Option<(String, String)> {
    let [t] = toks else {
        return None;
    };
    let key = t.field().and_then(|f| f.strip_prefix("grid.title."))?;
    d.use_cell(t.cell);
    Some((key.to_string(), collapse_spaces(&t.text)))
}

impl GridStage {
    /// The stage, when `toks` is a grid's header row; `next_grid` is the title the header
    /// stage saw above it.
    pub(super) fn start(
        d: &mut Draft<'_>,
        toks: &[Tok<'_>],
        next_grid: &mut Option<(String, String)>,
    ) -> Option<GridStage> {
        if !is_grid_header(toks) {
            return None;
        }
        let mut g = GridStage {
            next_grid: next_grid.take(),
            ..GridStage::default()
        };
        g.take_header(d, toks);
        Some(g)
    }

    /// A further header row (a new page, a second grid); false when the row is not one.
    pub(super) fn read_header(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        if !is_grid_header(toks) {
            return false;
        }
        self.take_header(d, toks);
        true
    }

    fn take_header(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) {
        let mut h = GridHeader::default();
        let mut columns = Vec::new();
        let first_col = toks
            .iter()
            .find(|t| t.field() == Some("grid.level1"))
            .map_or(0, |t| t.cell.col);
        let mut title: Option<(String, String)> = self.next_grid.take();
        for t in toks {
            let col = t.cell.col;
            // A title column left of the grid (`本年度绩效指标`, `绩效指标`). One in words no
            // label holds (`专项年度绩效指标`) still titles the annual grid, and its cell is kept
            // as printed among the cells nothing else understood.
            if col < first_col {
                let key = t.field().and_then(|f| f.strip_prefix("grid.title."));
                if key.is_some() {
                    d.use_cell(t.cell);
                }
                title = Some((
                    key.unwrap_or("annual").to_string(),
                    collapse_spaces(&t.text),
                ));
                continue;
            }
            d.use_cell(t.cell);
            let role = match t.field() {
                Some("grid.level1") if h.level1.is_none() => {
                    h.level1 = Some(col);
                    "level1"
                }
                Some("grid.level2") if h.level2.is_none() => {
                    h.level2 = Some(col);
                    "level2"
                }
                Some("grid.name") if h.name.is_none() => {
                    h.name = Some(col);
                    "name"
                }
                Some("grid.value") if h.value.is_none() => {
                    h.value = Some(col);
                    "value"
                }
                Some("grid.nature") if h.nature.is_none() => {
                    h.nature = Some(col);
                    "nature"
                }
                Some("grid.unit") if h.unit.is_none() => {
                    h.unit = Some(col);
                    "unit"
                }
                Some("grid.weight") if h.weight.is_none() => {
                    h.weight = Some(col);
                    self.weight_header = collapse_spaces(&t.text);
                    "weight"
                }
                // A column headed only by a word for unit (`单位`, `指标单位`) in the grid's
                // header row: the indicators' unit (a bare 单位 is no label elsewhere).
                None if h.unit.is_none() && is_unit_heading(&t.normalized()) => {
                    h.unit = Some(col);
                    "unit"
                }
                _ => {
                    h.extra.push((col, collapse_spaces(&t.text)));
                    h.known
                        .push(t.field().is_some_and(|f| f.starts_with("grid.")));
                    "extra"
                }
            };
            columns.push(GridColumn {
                header: collapse_spaces(&t.text),
                role: role.into(),
                cell: Some(t.cell),
            });
        }
        if h.split() {
            d.table.layout = Layout::National;
        }
        self.slots = h.slots();
        self.grid = h;
        let (key, label) = title.unwrap_or_else(|| {
            let key = if self.grid_key.is_empty() {
                "annual".to_string()
            } else {
                self.grid_key.clone()
            };
            (key, String::new())
        });
        if key == "annual" {
            if d.table.columns.is_empty() {
                d.table.columns = columns;
            }
        } else if self.grid_key != key || !label.is_empty() {
            d.table.other_grids.push(Grid {
                key: key.clone(),
                label,
                columns,
                indicators: Vec::new(),
            });
        }
        self.grid_key = key;
        self.after_header = true;
        self.header_row = toks.iter().map(|t| t.cell.row).max().unwrap_or(0);
    }

    /// The second row of a two-row header: names printed under the value column's header,
    /// merged over them (`区域目标值` over `新罗区 | 永定区 | …`, one value column per region).
    /// The first stays the value column; each other is a column of its own, kept in `extra`
    /// under its name. False when the row is not one.
    pub(super) fn read_subheader_row(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        if !std::mem::take(&mut self.after_header) {
            return false;
        }
        let Some(value_col) = self.grid.value else {
            return false;
        };
        let under_value = toks.len() >= 2
            && toks.iter().all(|t| {
                t.label.is_none()
                    && matches!(t.value, CellValue::Text(_))
                    && t.cell.col >= value_col
                    && GridHeader::slot_of(&self.slots, t.cell.col) == Slot::Value
            });
        if !under_value {
            return false;
        }
        let mut columns = Vec::new();
        for (k, t) in toks.iter().enumerate() {
            d.use_cell(t.cell);
            if k == 0 {
                self.grid.value = Some(t.cell.col);
                continue;
            }
            let header = collapse_spaces(&t.text);
            self.grid.extra.push((t.cell.col, header.clone()));
            self.grid.known.push(true);
            columns.push(GridColumn {
                header,
                role: "extra".into(),
                cell: Some(t.cell),
            });
        }
        self.slots = self.grid.slots();
        self.header_row = toks
            .iter()
            .map(|t| t.cell.row)
            .max()
            .unwrap_or(self.header_row);
        if self.grid_key.is_empty() || self.grid_key == "annual" {
            d.table.columns.extend(columns);
        } else if let Some(g) = d.table.other_grids.last_mut() {
            g.columns.extend(columns);
        }
        true
    }

    /// A row under the grid that starts left of its first column, under the title column
    /// (`绩效指标`, merged down the grid's rows and no further): a review or sign-off row
    /// (`财政部门支出股室初审意见 | (盖章)`), never an indicator. The title repeated in every
    /// row it covers is not one.
    pub(super) fn starts_left_of_grid(&self, toks: &[Tok<'_>]) -> bool {
        let Some(first) = self.grid.level1 else {
            return false;
        };
        toks.first().is_some_and(|t| {
            t.cell.col < first && !t.field().is_some_and(|f| f.starts_with("grid."))
        })
    }

    /// A row of a 其他 block under the grid (`其他 | label | value`, the group label merged
    /// down its rows, as `convert` writes the cells nothing understood): the value stays in
    /// `extra` with that label, never an indicator. False when the row is not one.
    pub(super) fn read_extra_row(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        let starts = toks.len() >= 2
            && toks[0].label.is_none()
            && collapse_spaces(&toks[0].text) == EXTRA_GROUP;
        if starts {
            self.in_extra_block = true;
            d.use_cell(toks[0].cell);
        }
        if !self.in_extra_block {
            return false;
        }
        let body = if starts { &toks[1..] } else { toks };
        if let Some((value, labels)) = body.split_last() {
            let label: Vec<String> = labels.iter().map(|t| collapse_spaces(&t.text)).collect();
            for t in labels {
                d.use_cell(t.cell);
            }
            d.extra_labels.insert(value.cell, label.join(" "));
        }
        true
    }

    /// A cell merged down onto an indicator row that the row reads as printed on it: from a
    /// row under the header, in a level column (一级 / 二级; a title column left of the grid
    /// stays its title).
    pub(super) fn takes_merged(&self, t: &Tok<'_>) -> bool {
        self.below_header(t) && self.is_level_column(t.cell.col)
    }

    /// A cell from a row under the last header row read.
    pub(super) fn below_header(&self, t: &Tok<'_>) -> bool {
        t.cell.row > self.header_row
    }

    fn is_level_column(&self, col: u32) -> bool {
        let Some(first) = [self.grid.level1, self.grid.level2]
            .into_iter()
            .flatten()
            .min()
        else {
            return false;
        };
        col >= first
            && matches!(
                GridHeader::slot_of(&self.slots, col),
                Slot::Level1 | Slot::Level2
            )
    }

    /// An indicator row with the levels merged down onto it (`merged`, see
    /// [`super::merged::down`]) read where they apply.
    pub(super) fn read_merged_row<'a>(
        &mut self,
        d: &mut Draft<'_>,
        toks: &[Tok<'a>],
        merged: &[Tok<'a>],
    ) {
        let row = super::merged::with(toks, merged, |t| self.takes_merged(t));
        self.read_indicator_row(d, &row);
    }

    pub(super) fn read_indicator_row(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) {
        let untitled = self.without_grid_title(d, toks);
        let toks = untitled.as_deref().unwrap_or(toks);
        // The template's mark for more rows (`…` alone under the levels, 宁乡 2021): no
        // indicator (its cell stays among those nothing else took, as printed).
        let row = toks.iter().map(|t| t.cell.row).max();
        let own = || toks.iter().filter(|t| Some(t.cell.row) == row);
        if own().any(|t| is_ellipsis(&t.text))
            && own().all(|t| is_ellipsis(&t.text) || self.is_level_column(t.cell.col))
        {
            return;
        }
        // The framework with the profile's own 一级 / 二级 wordings (`[vocabulary]`).
        let fw = d.table.profile.get().framework();
        let layout = d.table.layout;
        let unlevelled = self.grid.level1.is_none() && self.grid.level2.is_none();
        let peeled = self.peel_levels(toks, fw, layout);
        let class = self.take_levels(d, toks, &peeled, fw);
        if peeled.rest.is_empty()
            && peeled.level2.is_none()
            && toks.iter().all(|t| t.label.is_some())
        {
            return;
        }
        let slots = self.slots.clone();
        note_shifted(d, toks, &peeled.peeled, &slots);
        let mut ind = Indicator {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            class,
            ..Indicator::default()
        };
        for t in toks {
            d.use_cell(t.cell);
        }
        let kept = self.set_aside_columns(peeled.rest, &mut ind);
        if self.grid.split() {
            self.split_value_row(d, &kept, &slots, &mut ind);
        } else {
            self.single_value_row(d, &kept, &mut ind);
        }
        if unlevelled && ind.level1.is_empty() && ind.level2.is_empty() {
            ind.class = super::unlevelled::class_from_name(fw, &ind.name);
        }
        if self.grid_key.is_empty() || self.grid_key == "annual" {
            d.table.indicators.push(ind);
        } else if let Some(g) = d.table.other_grids.last_mut() {
            g.indicators.push(ind);
        }
    }

    /// The row without its first cell when that cell is a title column left of the grid whose
    /// title starts on the first indicator row (`绩效指标` merged down the rows under a header
    /// that starts right of it): the grid's title, never a level. `None`: the row as it is.
    fn without_grid_title<'t>(&self, d: &mut Draft<'_>, toks: &[Tok<'t>]) -> Option<Vec<Tok<'t>>> {
        let first_level = [self.grid.level1, self.grid.level2]
            .into_iter()
            .flatten()
            .min()?;
        let t = toks.first()?;
        if t.cell.col < first_level && t.field().is_some_and(|f| f.starts_with("grid.title.")) {
            d.use_cell(t.cell);
            Some(toks[1..].to_vec())
        } else {
            None
        }
    }

    /// Reads the levels printed at the start of a row: the vocabulary's 一级 and 二级 names
    /// (wherever they stand), then cells left in the level columns that it does not know.
    fn peel_levels<'a, 't>(
        &self,
        toks: &'a [Tok<'t>],
        fw: &'static Framework,
        layout: Layout,
    ) -> Peeled<'a, 't> {
        let mut rest: Vec<&Tok<'_>> = Vec::with_capacity(toks.len());
        let mut new_level1: Option<String> = None;
        let mut new_level2: Option<(String, Option<&'static Level2Def>)> = None;
        let mut peeling = true;
        let mut peeled: Vec<(&Tok<'_>, Slot)> = Vec::new();
        // A grid that prints no level columns: a level's word in the name column is a name.
        let unlevelled = self.grid.level1.is_none() && self.grid.level2.is_none();
        let name_from = self.grid.name.unwrap_or(u32::MAX);
        for (k, t) in toks.iter().enumerate() {
            if unlevelled && t.cell.col >= name_from {
                peeling = false;
            }
            if peeling && new_level2.is_none() {
                let is_text = matches!(t.value, CellValue::Text(_));
                let next_is_cost2 = toks.get(k + 1).is_some_and(|n| {
                    fw.level2_known(&n.normalized())
                        .iter()
                        .any(|d| d.parent == "成本指标")
                });
                let l1 = if is_text {
                    fw.level1_known(&t.normalized())
                } else {
                    None
                };
                // A 成本指标 printed in the 二级 column, right of a 一级 column, is the classic
                // 二级 under 产出指标, whatever the value columns look like.
                let in_level2_column = self.grid.level1.is_some_and(|c| c < t.cell.col)
                    && GridHeader::slot_of(&self.slots, t.cell.col) == Slot::Level2;
                let as_level1 = match l1 {
                    Some("成本指标") => {
                        new_level1.is_none()
                            && (next_is_cost2 || (layout == Layout::National && !in_level2_column))
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
                    fw.level2_in_known(&t.normalized(), layout)
                } else {
                    None
                };
                // A 二级 heading needs a level column: a 二级 word in the name column is the
                // name a department typed (黄石's 质量 | 时效 | 社会效益 under 指标名称, in a grid
                // without a 二级 column), unless the row was pushed sideways (a level word
                // already found right of its own column).
                let slot = GridHeader::slot_of(&self.slots, t.cell.col);
                let shifted = peeled
                    .iter()
                    .any(|(p, want)| GridHeader::slot_of(&self.slots, p.cell.col) != *want);
                let heading = matches!(slot, Slot::Level1 | Slot::Level2)
                    || shifted
                    || self.grid.name.is_none();
                if let Some(def) = l2.filter(|_| heading) {
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
        let slots = &self.slots;
        let name_col = self.grid.name.unwrap_or(0);
        while rest.len() > 2 && rest[0].cell.col < name_col {
            let t = rest.remove(0);
            match GridHeader::slot_of(slots, t.cell.col) {
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
        Peeled {
            level1: new_level1,
            level2: new_level2,
            peeled,
            rest,
        }
    }

    /// Takes the row's printed levels as the current ones (a new 一级 clears the 二级; a
    /// 二级 the framework places elsewhere recovers its 一级, with a notice) and returns the
    /// class of the current 二级.
    fn take_levels(
        &mut self,
        d: &mut Draft<'_>,
        toks: &[Tok<'_>],
        peeled: &Peeled<'_, '_>,
        fw: &'static Framework,
    ) -> IndicatorClass {
        let layout = d.table.layout;
        let printed_level1 = peeled.level1.is_some();
        if let Some(l1) = peeled.level1.clone() {
            if l1 != self.level1 {
                self.level2.clear();
            }
            self.level1 = l1;
        }
        let mut class = IndicatorClass::Unknown;
        if let Some((l2, def)) = &peeled.level2 {
            self.level2 = l2.clone();
            if let Some(def) = def {
                // No 一级 printed above it at all: recover it from the vocabulary. A 二级
                // printed under another 一级 stays as printed, for the checker to report.
                // A 一级 carried down from rows above (none printed on this row) yields to
                // the vocabulary when the 二级 belongs elsewhere: Hunan's 满意度 row prints only
                // its 二级 (社会公众或服务对象满意度指标) below the 效益 rows.
                let carried_elsewhere = !printed_level1
                    && !self.level1.is_empty()
                    && fw.level1(&self.level1) != fw.level1(&def.parent);
                if self.level1.is_empty() || carried_elsewhere {
                    // The notice names the empty 一级 cell of this row (where the grid has a
                    // 一级 column), else the row's first cell.
                    let level1_col = self.grid.level1;
                    let cell = toks.first().map(|t| match level1_col {
                        Some(col) if col < t.cell.col => CellRef::new(t.cell.row, col),
                        _ => t.cell,
                    });
                    d.notice(
                        "read.layout-repaired",
                        Severity::Info,
                        cell,
                        None,
                        format!(
                            "二级指标“{l2}”所在行的一级指标单元格为空，一级指标按指标体系补为“{}”",
                            def.parent
                        ),
                    );
                    self.level1 = def.parent.clone();
                }
            }
        }
        if let Some(def) = fw.level2_in(&self.level2, layout) {
            class = def.class;
            // 成本指标 as a 二级 of 产出指标 is the classic generation, even in a grid with
            // split value columns (指标值类型 | 计量单位).
            if def.name == "成本指标" && fw.level1(&self.level1) == Some("产出指标") {
                d.table.layout = Layout::Classic;
            }
        }
        class
    }

    /// Sets aside the cells of columns whose header gave them a role of their own (never the
    /// name or the value): other columns into `extra`, 权重 into `weight`. Returns the rest.
    fn set_aside_columns<'a, 't>(
        &self,
        rest: Vec<&'a Tok<'t>>,
        ind: &mut Indicator,
    ) -> Vec<&'a Tok<'t>> {
        let headers: Vec<String> = self.grid.extra.iter().map(|(_, h)| h.clone()).collect();
        let value_col = self.grid.value;
        let known: Vec<bool> = self.grid.known.clone();
        let mut kept: Vec<&Tok<'_>> = Vec::with_capacity(rest.len());
        for t in rest {
            match GridHeader::slot_of(&self.slots, t.cell.col) {
                // A column whose header is a known one (绩效标准, 中期指标值) wherever it is; an
                // unknown header's column only right of the value or after a name and a value.
                Slot::Extra(i)
                    if known.get(i).copied().unwrap_or(false)
                        || value_col.is_some_and(|v| t.cell.col > v)
                        || kept.len() >= 2 =>
                {
                    let h = headers.get(i).cloned().unwrap_or_default();
                    ind.extra.insert(h, collapse_spaces(&t.text));
                }
                Slot::Weight => {
                    // The number in `weight`; the text as printed stays under its header too
                    // (outputs that have the column write it from there).
                    ind.weight = match t.value {
                        CellValue::Number(f) => crate::read::values::decimal_from_f64(*f),
                        _ => t.text.trim().parse().ok(),
                    };
                    let h = self.weight_header.clone();
                    ind.extra.insert(h, collapse_spaces(&t.text));
                }
                _ => kept.push(t),
            }
        }
        kept
    }

    fn single_value_row(&mut self, d: &mut Draft<'_>, rest: &[&Tok<'_>], ind: &mut Indicator) {
        let value_col = self.grid.value.unwrap_or(u32::MAX);
        let (name_toks, value_tok): (&[&Tok<'_>], Option<&Tok<'_>>) = match rest {
            [] => (&[], None),
            [only] if only.cell.col >= value_col => (&[], Some(only)),
            [_] => (rest, None),
            [names @ .., last] => (names, Some(last)),
        };
        set_name(d, name_toks, ind);
        if let Some(t) = value_tok {
            ind.cell = Some(t.cell);
            ind.value = cell_value(d, t);
        } else {
            ind.cell = self
                .grid
                .value
                .and_then(|c| rest.first().map(|t| CellRef::new(t.cell.row, c)));
        }
    }

    fn split_value_row(
        &mut self,
        d: &mut Draft<'_>,
        rest: &[&Tok<'_>],
        slots: &[(u32, Slot)],
        ind: &mut Indicator,
    ) {
        let mut names = Vec::new();
        let (mut nature, mut value, mut unit) = (String::new(), None, String::new());
        let mut unit_tok: Option<&Tok<'_>> = None;
        let headers: Vec<String> = self.grid.extra.iter().map(|(_, h)| h.clone()).collect();
        for t in rest {
            match GridHeader::slot_of(slots, t.cell.col) {
                Slot::Level1 | Slot::Level2 | Slot::Name => names.push(*t),
                Slot::Nature => nature = t.text.clone(),
                Slot::Value => value = Some(*t),
                Slot::Unit => {
                    unit = t.text.trim().to_string();
                    unit_tok = Some(*t);
                }
                Slot::Weight => {}
                Slot::Extra(i) => {
                    let h = headers.get(i).cloned().unwrap_or_default();
                    ind.extra.insert(h, collapse_spaces(&t.text));
                }
            }
        }
        set_name(d, &names, ind);
        let row = rest.first().map(|t| t.cell.row);
        ind.cell = value.map(|t| t.cell).or_else(|| {
            let col = self.grid.value?;
            row.map(|r| CellRef::new(r, col))
        });
        // A unit column repeating the value (`2023.07 | 2023.07`, a date beside its serial
        // `45107`) says no unit.
        let mut date = None;
        if let (Some(v), Some(u)) = (value, unit_tok) {
            if repeats(v.value, u.value) {
                unit.clear();
                // A day number repeated in the unit column of a time indicator is the date
                // Excel showed (the form's date cell pasted as its number).
                if is_time_indicator(ind) {
                    date = crate::read::values::plausible_date_serial(v.value);
                }
            }
        }
        let value_text = match (value, date) {
            (Some(t), Some((y, m, day))) => {
                let shown = format!("{y}年{m}月{day}日");
                d.notice(
                    "read.date-serial",
                    Severity::Info,
                    Some(t.cell),
                    None,
                    format!("时效指标的值“{}”是日期序号，按“{shown}”读取", t.text.trim()),
                );
                shown
            }
            (Some(t), None) => cell_value(d, t).raw,
            (None, _) => String::new(),
        };
        ind.value = join_split_value(&nature, &value_text, &unit);
        if self.grid.nature.is_some() {
            ind.nature = Some(nature.trim().to_string());
        }
        if self.grid.unit.is_some() {
            ind.unit_column = Some(unit);
        }
    }
}

/// True when an indicator measures a time: classed 时效, or its name says 时间 / 日期 / 时限.
fn is_time_indicator(ind: &Indicator) -> bool {
    ind.class == IndicatorClass::Timeliness
        || ["时间", "日期", "时限", "期限"]
            .iter()
            .any(|w| ind.name.contains(w) || ind.level2.contains(w))
}

/// True when a unit cell holds the value cell's value again: the same text or number, or a
/// date and its serial day number.
fn repeats(value: &CellValue, unit: &CellValue) -> bool {
    use crate::read::values::excel_serial_to_date;
    let serial_of = |v: &CellValue| match v {
        CellValue::Number(f) if f.fract() == 0.0 => excel_serial_to_date(*f, false),
        _ => None,
    };
    match (value, unit) {
        (CellValue::Date(y, m, d), n) | (n, CellValue::Date(y, m, d)) => {
            *n == CellValue::Date(*y, *m, *d) || serial_of(n) == Some((*y, *m, *d))
        }
        (CellValue::Text(a), CellValue::Text(b)) => !a.trim().is_empty() && a.trim() == b.trim(),
        (a, b) => a == b && !matches!(a, CellValue::Text(_)),
    }
}

fn set_name(d: &mut Draft<'_>, toks: &[&Tok<'_>], ind: &mut Indicator) {
    if let Some(first) = toks.first() {
        ind.name_cell = Some(first.cell);
        let joined: String = toks.iter().map(|t| t.text.as_str()).collect();
        ind.name = d.clean_text("indicator.name", first.cell, &joined);
    }
}

pub(super) fn cell_value(d: &mut Draft<'_>, t: &Tok<'_>) -> Value {
    match t.value {
        CellValue::Percent(_) => {
            d.notice(
                "read.percent-cell",
                Severity::Info,
                Some(t.cell),
                None,
                format!("百分比格式的数字按“{}”读取", t.text),
            );
            parse_value(&t.text)
        }
        CellValue::Date(..) => {
            d.notice(
                "read.date-cell",
                Severity::Info,
                Some(t.cell),
                None,
                format!("日期单元格按“{}”读取", t.text),
            );
            parse_value(&t.text)
        }
        _ => {
            let text = d.clean_text("indicator.value", t.cell, &t.text);
            parse_value(&text)
        }
    }
}

/// Level names as printed, without stray spaces.
fn clean_level(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The levels printed at the start of an indicator row, and the row's other cells.
struct Peeled<'a, 't> {
    /// A 一级 printed on the row.
    level1: Option<String>,
    /// A 二级 printed on the row, with its definition when the framework knows it.
    level2: Option<(String, Option<&'static Level2Def>)>,
    /// The cells the vocabulary named a level, with the column each was read for.
    peeled: Vec<(&'a Tok<'t>, Slot)>,
    /// The row's other cells (a merged cell's repeats left out).
    rest: Vec<&'a Tok<'t>>,
}

/// A vocabulary name found outside its own column: the row was pushed sideways (a notice).
fn note_shifted(
    d: &mut Draft<'_>,
    toks: &[Tok<'_>],
    peeled: &[(&Tok<'_>, Slot)],
    slots: &[(u32, Slot)],
) {
    let shifted = peeled
        .iter()
        .find(|(t, want)| GridHeader::slot_of(slots, t.cell.col) != *want);
    let shifted = shifted.map(|(t, _)| t.cell);
    if let Some(cell) = shifted {
        let text = toks
            .iter()
            .find(|t| t.cell == cell)
            .map(|t| collapse_spaces(&t.text))
            .unwrap_or_default();
        d.notice(
            "read.layout-repaired",
            Severity::Info,
            Some(cell),
            None,
            format!("指标名称“{text}”不在一级/二级指标列，已按指标体系识别"),
        );
    }
}
