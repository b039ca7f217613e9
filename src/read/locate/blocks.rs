//! Stage 2: where tables start on a sheet, and the title, year and unit rows above them.

use std::sync::OnceLock;

use regex::Regex;

use super::header::HeaderStage;
use super::label_shape::looks_like_label;
use super::tokens::Tok;
use super::{Draft, PREAMBLE_ROWS};
use crate::read::values::{collapse_spaces, MoneyUnit};

fn title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| Regex::new(
            r"^[^，。；,;]*(?:项目|支出|专项|资金|整体|绩效)[^，。；,;]*(?:绩效|目标)[^，。；,;]*表[^，。；,;]{0,16}$",
        )
        .unwrap())
}

pub(super) fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    // `(2026年度)`, `2026年度)`, and the bracket closed before 年度: `(2026)年度`.
    RE.get_or_init(|| {
        Regex::new(r"^[(（]?\s*((?:19|20)\d\d)\s*(?:[)）]\s*)?年?度?\s*[)）]?$").unwrap()
    })
}

pub(super) fn title_year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| Regex::new(r"((?:19|20)\d\d)\s*年").unwrap())
}

/// A table's number printed on a line of its own above its title (`表十二`, `附表3`, `表 2-1`).
fn number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| {
        Regex::new(r"^附?表\s*[一二三四五六七八九十百零〇\d]+(?:\s*[-－—.]\s*\d+)?\s*[:：]?$")
            .unwrap()
    })
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
    /// A table's number (`表十二`): it opens a table, and says nothing the model holds.
    Number,
}

fn preamble(text: &str) -> Option<Preamble> {
    let t = text.trim();
    // Each pattern is tried only on text that could match it: a year or a unit has at most
    // eight characters besides spaces (`（2026年度）`, `金额单位：万元`), holding a year's
    // 19 or 20 or the word 单位; a title has 表. Most cells fail the look, which costs less
    // than the regexes.
    let short = t.chars().filter(|c| !c.is_whitespace()).nth(8).is_none();
    let holds = |word: &[u8]| t.as_bytes().windows(word.len()).any(|w| w == word);
    let year = (short && (holds(b"19") || holds(b"20")))
        .then(|| year_re().captures(t))
        .flatten();
    if let Some(c) = year {
        return c[1].parse().ok().map(Preamble::Year);
    }
    let unit = (short && holds("单位".as_bytes()))
        .then(|| unit_re().captures(t))
        .flatten();
    if let Some(c) = unit {
        return Some(Preamble::Unit(match &c[1] {
            "元" => MoneyUnit::Yuan,
            "亿元" => MoneyUnit::Yi,
            _ => MoneyUnit::Wan,
        }));
    }
    if short && t.contains('表') && number_re().is_match(t) {
        return Some(Preamble::Number);
    }
    if t.contains('表') && t.chars().count() <= 60 && title_re().is_match(t) {
        return Some(match title_year_re().captures(t) {
            Some(c) => c[1].parse().map_or(Preamble::TitleNoYear, Preamble::Title),
            None => Preamble::TitleNoYear,
        });
    }
    None
}

/// The year a short cell states as a year line does (`2021年`, `(2026年度)`), if it does.
pub(super) fn year_heading(text: &str) -> Option<i32> {
    match preamble(text) {
        Some(Preamble::Year(y)) => Some(y),
        _ => None,
    }
}

/// A cell that states the table's money unit (`单位:万元`).
pub(super) fn is_unit_line(text: &str) -> bool {
    matches!(preamble(text), Some(Preamble::Unit(_)))
}

pub(super) fn is_preamble_row(toks: &[Tok<'_>]) -> bool {
    !toks.is_empty()
        && toks
            .iter()
            .all(|t| t.label.is_none() && preamble(&t.text).is_some())
}

/// A row above a table that holds its title, year or unit, perhaps beside other notes
/// (`填报单位：某厅 | 单位：万元`).
/// A label with its value in the same cell (`部门（单位）名称：[126]某厅`) may stand there too.
fn is_loose_preamble_row(toks: &[Tok<'_>]) -> bool {
    toks.iter().all(|t| {
        t.label.is_none()
            || t.inline_value.is_some()
            || t.field().is_some_and(|f| f.starts_with("meta."))
    }) && toks.iter().any(|t| preamble(&t.text).is_some())
}

/// A row of metadata labels and their values only (or of a label no field answers to,
/// `绩效编制单位 | 某镇`, which is kept as metadata).
fn is_meta_row(toks: &[Tok<'_>]) -> bool {
    toks.first().is_some_and(|t| {
        t.field().is_some_and(|f| f.starts_with("meta."))
            || (t.label.is_none() && toks.len() >= 2 && looks_like_label(t))
    }) && toks
        .iter()
        .all(|t| t.label.is_none() || t.field().is_some_and(|f| f.starts_with("meta.")))
}

/// A row of header labels each typed with its value in its cell (`申报单位名称:某中心` under
/// the title): part of the table below, as its header fields.
fn is_inline_pairs_row(toks: &[Tok<'_>]) -> bool {
    !toks.is_empty()
        && toks
            .iter()
            .all(|t| t.label.is_some() && t.inline_value.is_some())
}

/// A row under a title that only notes, in brackets, what the table is of
/// (`（某区畜禽粪污资源化利用整区推进项目）`): the title above it still belongs to the table.
fn is_subtitle_row(toks: &[Tok<'_>]) -> bool {
    let [t] = toks else {
        return false;
    };
    let text = t.text.trim();
    t.label.is_none()
        && (text.starts_with('(') || text.starts_with('（'))
        && (text.ends_with(')') || text.ends_with('）'))
}

/// A row of the project's header fields and their values (`部门(单位)名称 | 某局 | 部门预算编码 |
/// 230001` between the year line and 项目名称): part of the table below when a preamble row
/// is above it.
fn is_project_fields_row(toks: &[Tok<'_>]) -> bool {
    let project = |t: &Tok<'_>| t.field().is_some_and(|f| f.starts_with("project."));
    toks.iter().any(project) && toks.iter().all(|t| t.label.is_none() || project(t))
}

/// The first row of every table on a sheet: each 项目名称 label anchors one, and the preamble
/// rows just above it (title, year, unit) belong to it.
pub(super) fn table_starts(rows: &[Vec<Tok<'_>>], anchor: &str) -> Vec<usize> {
    let anchors: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, toks)| {
            toks.iter()
                .any(|t| t.field() == Some(anchor) && (t.inline_value.is_none() || t.cell.col <= 2))
        })
        .map(|(i, _)| i)
        .collect();
    let mut starts = Vec::with_capacity(anchors.len());
    let mut floor = 0;
    for &a in &anchors {
        let mut s = a;
        // Metadata rows above the table (`填报单位（盖章）：某镇`) are part of it too, when
        // a preamble row is above them.
        let mut top = s;
        while top > floor
            && a - (top - 1) <= PREAMBLE_ROWS
            && (is_loose_preamble_row(&rows[top - 1])
                || is_meta_row(&rows[top - 1])
                || is_inline_pairs_row(&rows[top - 1])
                || is_subtitle_row(&rows[top - 1])
                || is_project_fields_row(&rows[top - 1]))
        {
            top -= 1;
            if is_loose_preamble_row(&rows[top]) {
                s = top;
            }
        }
        starts.push(s);
        floor = a + 1;
    }
    starts
}

impl HeaderStage {
    /// Reads a title, year or unit cell; false when the cell is none of them.
    pub(super) fn read_preamble(&mut self, d: &mut Draft<'_>, t: &Tok<'_>) -> bool {
        match preamble(&t.text) {
            Some(Preamble::Title(y)) => {
                self.set_title(d, t);
                d.table.year = Some(y);
            }
            Some(Preamble::TitleNoYear) => self.set_title(d, t),
            Some(Preamble::Year(y)) => {
                d.table.year.get_or_insert(y);
                d.record("year", t.cell, &t.text);
            }
            Some(Preamble::Unit(u)) => {
                d.record("unit", t.cell, &t.text);
                self.funds.unit = u;
                self.funds.unit_cell = Some(t.cell);
                if u != MoneyUnit::Wan {
                    d.table.source_unit = Some(
                        match u {
                            MoneyUnit::Yuan => "元",
                            MoneyUnit::Yi => "亿元",
                            MoneyUnit::Wan => "万元",
                        }
                        .into(),
                    );
                }
            }
            // Kept where every cell no field holds goes (`extra`).
            Some(Preamble::Number) | None => return false,
        }
        true
    }

    fn set_title(&mut self, d: &mut Draft<'_>, t: &Tok<'_>) {
        if self.saw_title {
            return;
        }
        self.saw_title = true;
        d.table.title = collapse_spaces(&t.text);
        d.record("title", t.cell, &t.text);
    }
}
