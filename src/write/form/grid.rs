//! The grid stage: the indicator grid (一级 | 二级 | 三级 | 指标值, runs of equal levels merged
//! down, the value split over 指标性质 | 指标值 | 度量单位 where the layout has them, extra
//! columns such as 权重) and the grids other than the annual one.

use crate::cell::CellRef;
use crate::model::{Indicator, IndicatorClass, Severity, Value};
use crate::read::labels::Framework;
use crate::read::values::{join_split_value, parse_value};

use super::{Content, Planner, Role, WriteNotice, RULE_REREAD};
use crate::write::layout::Span;

impl<'a> Planner<'a> {
    /// Writes the indicator grid from its header row; returns the last row written.
    pub(super) fn grid(
        &mut self,
        header_row: u32,
        indicators: &'a [Indicator],
        prefix: &str,
    ) -> u32 {
        let g = &self.layout.grid;
        let mut heads: Vec<(Span, String)> = vec![
            (g.level1, self.grid_header("grid.level1", &g.header.level1)),
            (g.level2, self.grid_header("grid.level2", &g.header.level2)),
            (g.name, self.grid_header("grid.name", &g.header.name)),
            (g.value, self.grid_header("grid.value", &g.header.value)),
        ];
        if let (Some(s), Some(h)) = (g.nature, &g.header.nature) {
            heads.push((s, self.grid_header("grid.nature", h)));
        }
        if let (Some(s), Some(h)) = (g.unit, &g.header.unit) {
            heads.push((s, self.grid_header("grid.unit", h)));
        }
        for (h, col) in &self.extras {
            heads.push((
                Span {
                    first: *col,
                    last: Some(*col),
                },
                h.clone(),
            ));
        }
        for (s, h) in heads {
            let (a, b) = self.span(s, header_row);
            self.push(a, b, Content::Label(h), Role::Label);
        }
        if let (Some(label), Some(at)) = (&g.group, g.group_at) {
            let (a, mut b) = self.span(at, header_row);
            b.row = header_row + indicators.len() as u32;
            self.push(a, b, Content::Label(label.clone()), Role::Label);
        }
        let table = self.table;
        let n = indicators.len() as u32;
        // In the table's own layout the levels keep the table's wording (经济成本指标 under
        // 成本指标); a layout forced on it prints its own names, unless the form has levels of
        // its own.
        let own = self.layout.keeps_levels(table);
        let levels = printed_levels(self.layout, own, indicators);
        // Runs of equal 一级 and, within them, equal 二级, merged down.
        let mut i = 0usize;
        while i < levels.len() {
            let mut j = i + 1;
            while j < levels.len() && levels[j].0 == levels[i].0 {
                j += 1;
            }
            self.level_run(header_row, i, j, &levels, true, prefix);
            let mut k = i;
            while k < j {
                let mut m = k + 1;
                while m < j && levels[m].1 == levels[k].1 {
                    m += 1;
                }
                self.level_run(header_row, k, m, &levels, false, prefix);
                k = m;
            }
            i = j;
        }
        for (idx, ind) in indicators.iter().enumerate() {
            let row = header_row + 1 + idx as u32;
            let key = format!("{prefix}[{idx}]");
            let (a, b) = self.span(g.name, row);
            let content = self.text(&format!("{key}.name"), &ind.name, a);
            self.push(a, b, content, Role::TextLeft);
            self.fields.insert(key.clone(), a);
            self.fields.insert(format!("{key}.name"), a);
            if g.split() {
                let (mut nature, value, unit) = split_indicator(ind, &g.qualitative);
                // A plain number's `＝` is the split's, not the form's: printed only where the
                // source said it (a 指标性质 column, or the sign typed), else it would make the
                // value 定量 on a form that never said so (values.nature then wants a unit).
                let typed = ind.value.raw.trim_start().starts_with(['=', '＝']);
                let said = ind.nature.as_deref().is_some_and(|n| !n.trim().is_empty());
                if nature == "＝" && !typed && !said {
                    nature.clear();
                }
                if let Some(word) = own_nature_word(ind, &value, &unit) {
                    nature = word;
                }
                for (span, text, name) in [
                    (g.nature, nature, "nature"),
                    (Some(g.value), value, "value"),
                    (g.unit, unit, "unit"),
                ] {
                    let Some(span) = span else { continue };
                    let (a, b) = self.span(span, row);
                    let content = match (name, as_number(&text)) {
                        ("value", Some(n)) => n,
                        _ => self.text(&format!("{key}.value"), &text, a),
                    };
                    self.push(a, b, content, Role::Text);
                    self.fields.insert(format!("{key}.{name}"), a);
                }
            } else {
                let (a, b) = self.span(g.value, row);
                let content = self.text(&format!("{key}.value"), &ind.value.raw, a);
                self.push(a, b, content, Role::Text);
                self.fields.insert(format!("{key}.value"), a);
                if parse_value(&ind.value.raw) != ind.value {
                    let own = self.layout.is_own(table);
                    self.notices.push(WriteNotice {
                        rule: RULE_REREAD,
                        severity: if own { Severity::Info } else { Severity::Warning },
                        field: Some(format!("{key}.value")),
                        cell: Some(a),
                        source: ind.cell,
                        message: format!(
                            "指标值“{}”原表标为定性，本版式没有“指标性质”列，重新读取时会按定量值理解",
                            ind.value.raw
                        ),
                    });
                }
            }
            for (h, col) in self.extras.clone() {
                let cell = CellRef::new(row, u32::from(col));
                let text = match ind.extra.get(&h) {
                    Some(t) => t.clone(),
                    None if self.nature_column.as_ref() == Some(&h) => {
                        ind.nature.clone().unwrap_or_default()
                    }
                    None => String::new(),
                };
                let content = match as_number(&text) {
                    Some(n) if is_weight_header(&h) => n,
                    _ => self.text(&format!("{key}.extra"), &text, cell),
                };
                self.push(cell, cell, content, Role::Text);
            }
        }
        header_row + n
    }

    /// A grid column's header: in the table's own layout, its profile's wording for the column
    /// (`绩效指标名称` for 三级指标) when that reads back as the same column; else the layout's.
    fn grid_header(&self, field: &str, layout_word: &str) -> String {
        self.worded_label(field)
            .unwrap_or_else(|| layout_word.to_string())
    }

    pub(super) fn level_run(
        &mut self,
        header_row: u32,
        from: usize,
        to: usize,
        levels: &[(String, String)],
        first_level: bool,
        prefix: &str,
    ) {
        let g = &self.layout.grid;
        let span = if first_level { g.level1 } else { g.level2 };
        let r1 = header_row + 1 + from as u32;
        let r2 = header_row + to as u32;
        let (a, mut b) = self.span(span, r1);
        b.row = r2;
        let name = if first_level {
            &levels[from].0
        } else {
            &levels[from].1
        };
        let which = if first_level { "level1" } else { "level2" };
        let content = self.text(&format!("{prefix}[{from}].{which}"), name, a);
        self.push(a, b, content, Role::Level);
        for idx in from..to {
            self.fields.insert(format!("{prefix}[{idx}].{which}"), a);
        }
    }

    /// A grid other than the annual one, from `row`: its title across the sheet, then its
    /// header and rows as the annual grid's. Returns the last row written.
    pub(super) fn other_grid(&mut self, row: u32, k: usize, grid: &'a crate::model::Grid) -> u32 {
        let (a, b) = self.span(
            Span {
                first: 0,
                last: None,
            },
            row,
        );
        // Its title as printed when that reads as the title of a grid of its kind; else the
        // vocabulary's title of that kind (dongguan's long-term grid is titled by the column
        // heading `中期滚动目标(2019年--2021年)` above it, which on a row of its own reads as no
        // grid's title: the grid would read back as rows of the annual one).
        let labels = self.table.profile.get().labels();
        let field = format!("grid.title.{}", grid.key);
        let titles = |text: &str| labels.lookup(text).is_some_and(|(f, _)| f.id == field);
        let title = if !grid.label.trim().is_empty() && titles(&grid.label) {
            grid.label.clone()
        } else {
            labels
                .field(&field)
                .map(|f| f.label.clone())
                .filter(|l| titles(l))
                .unwrap_or_else(|| self.layout.blocks.other_grid_title.clone())
        };
        let content = self.text(&format!("other_grids[{k}].label"), &title, a);
        self.push(a, b, content, Role::Label);
        self.fields.insert(format!("other_grids[{k}]"), a);
        self.grid(
            row + 1,
            &grid.indicators,
            &format!("other_grids[{k}].indicators"),
        )
    }
}

/// The 一级 | 二级 names a built-in layout prints for each indicator: in the table's own layout
/// the levels as read; forced on it, the layout's names for the indicator's class where the
/// source printed none. Unless a row would then print no level under a row that prints one:
/// an empty level cell reads as the level above it, so a grid whose levels the layout cannot
/// name for every row is printed with its levels as read (tongnan's `指标 | 指标权重` grid,
/// where one name in five tells its class).
pub fn printed_levels(
    layout: &crate::write::layout::FormLayout,
    own: bool,
    indicators: &[Indicator],
) -> Vec<(String, String)> {
    let as_read = |ind: &Indicator| (ind.level1.clone(), ind.level2.clone());
    let named: Vec<(String, String)> = indicators
        .iter()
        .map(|ind| match layout.level_names(class_of(ind)) {
            Some(_) if own && !ind.level1.trim().is_empty() => as_read(ind),
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => as_read(ind),
        })
        .collect();
    let blank_under_named = named
        .iter()
        .skip_while(|(a, _)| a.trim().is_empty())
        .any(|(a, _)| a.trim().is_empty());
    if blank_under_named {
        indicators.iter().map(as_read).collect()
    } else {
        named
    }
}

/// The indicator's class; for a model built by hand (class unknown), the class its printed
/// 一级/二级 names stand for in the framework.
pub fn class_of(ind: &Indicator) -> IndicatorClass {
    if ind.class != IndicatorClass::Unknown {
        return ind.class;
    }
    let fw = Framework::builtin();
    let Some(parent) = fw.level1(&ind.level1) else {
        return IndicatorClass::Unknown;
    };
    fw.level2(&ind.level2)
        .iter()
        .find(|d| d.parent == parent)
        .map_or(IndicatorClass::Unknown, |d| d.class)
}

/// A text that is a plain number, as the number the reader reads back to the same text
/// (`80`, `12.5`; not `080`, `2.00`, `1e3` or `+5`).
pub fn as_number(text: &str) -> Option<Content> {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    if !plain {
        return None;
    }
    let f: f64 = text.parse().ok()?;
    (f.is_finite() && crate::read::grid::number_text(f) == text)
        .then(|| Content::Number(text.to_string()))
}

/// True for the header of a weight column (权重, 分值, 权重（%）).
pub fn is_weight_header(header: &str) -> bool {
    header.contains("权重") || header.contains("分值")
}

/// Splits an indicator's value over 指标性质 | 指标值 | 度量单位 as its source printed it where
/// that reads back the same: the unit column's text in the unit column, the rest in the value
/// cell (`28.8万元` | `%`, where the value's own unit and the column's disagree: the checks
/// read the value typed apart from the column), else as [`split_value`] splits it.
pub fn split_indicator(ind: &Indicator, qualitative: &str) -> (String, String, String) {
    let v = &ind.value;
    let column = ind.unit_column.as_deref().map(str::trim).unwrap_or("");
    let unit = v.unit.as_deref().map(str::trim).unwrap_or("");
    if let (Some(own), Some(cmp), Some(num)) = (unit.strip_suffix(column), &v.comparator, &v.number)
    {
        if !column.is_empty() && !own.is_empty() {
            let sign = if cmp == "=" { "＝" } else { cmp.as_str() };
            let typed = format!("{num}{own}");
            if join_split_value(sign, &typed, column) == *v {
                return (sign.to_string(), typed, column.to_string());
            }
        }
    }
    split_value(v, qualitative)
}

/// The word the source printed under 指标性质 when it is no sign (`正向`, `反向`: which way is
/// better, as some provinces' forms fill the column), printed as said in place of the sign of
/// the split (a `＝` there would make the row 定量, wanting a unit the source never asked
/// for); `None` when the word is a sign, 定性, or would not read back as the same value.
fn own_nature_word(ind: &Indicator, value: &str, unit: &str) -> Option<String> {
    let word = ind
        .nature
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())?;
    let is_sign = crate::read::values::parse_nature(word).is_some();
    if is_sign || word.contains("定性") {
        return None;
    }
    (join_split_value(word, value, unit) == ind.value).then(|| word.to_string())
}

/// Splits a value over 指标性质 | 指标值 | 度量单位 so that the reader joins it back to the same
/// value. Tries the natural split, then the value as qualitative, then the text as typed.
pub fn split_value(v: &Value, qualitative: &str) -> (String, String, String) {
    let mut candidates: Vec<(String, String, String)> = Vec::new();
    if let (Some(cmp), Some(num)) = (&v.comparator, &v.number) {
        let sign = match cmp.as_str() {
            "=" => "＝",
            other => other,
        };
        candidates.push((
            sign.to_string(),
            num.to_string(),
            v.unit.clone().unwrap_or_default(),
        ));
    }
    if !v.raw.is_empty() {
        candidates.push((qualitative.to_string(), v.raw.clone(), String::new()));
    }
    candidates.push((String::new(), v.raw.clone(), String::new()));
    let fallback = candidates[candidates.len() - 1].clone();
    candidates
        .into_iter()
        .find(|(n, val, u)| join_split_value(n, val, u) == *v)
        .unwrap_or(fallback)
}
