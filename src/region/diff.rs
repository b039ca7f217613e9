//! Two versions of a batch, compared (`jixiao diff`).
//!
//! Projects are matched by name (normalised: width, blanks, `其中：`); what is left on both sides
//! is matched by the similarity of the names (character bigrams, Dice ≥ [`RENAME_SIMILARITY`]) and
//! reported as renamed; the rest is added or removed. For every matched pair each header field,
//! funding line and indicator is compared, and each difference is one [`Change`] with the cell
//! on each side.
//!
//! With [`Options::ignore_years`], the old side's years are moved by the difference of the
//! tables' years before comparing (`2026年12月前` in a 2026 table equals `2027年12月前` in a
//! 2027 one), and the year itself is not reported.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::Serialize;

use crate::cell::CellRef;
use crate::model::fields;
use crate::model::{FundingScope, Table};
use crate::read::labels::normalize_label;
use crate::read::values::money_scale;
use crate::template::guide::move_years;

/// Least name similarity for two unmatched projects to count as one renamed.
pub const RENAME_SIMILARITY: f64 = 0.5;

/// How to compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Ignore a shift of years (2026 → 2027) between the two sides.
    pub ignore_years: bool,
}

/// What happened to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Both sides have it, with different values.
    Changed,
    /// Only the new side has it.
    Added,
    /// Only the old side has it.
    Removed,
}

impl Kind {
    /// The Chinese word.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Changed => "修改",
            Kind::Added => "新增",
            Kind::Removed => "删除",
        }
    }
}

/// One difference inside a matched project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The project (its new name).
    pub project: String,
    /// The field, in words (`年度资金总额`, `资金：本级资金/财政拨款`, `指标：产出指标/数量指标/培训人次`).
    pub field: String,
    /// The old value (empty when added).
    pub old: String,
    /// The new value (empty when removed).
    pub new: String,
    /// Where the old value is: `sheet!C12` (empty when added or unknown).
    pub old_cell: String,
    /// Where the new value is.
    pub new_cell: String,
    /// Changed, added or removed.
    pub kind: Kind,
    /// The old file.
    pub old_file: String,
    /// The new file.
    pub new_file: String,
}

/// A project found on one side only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Only {
    /// The project.
    pub project: String,
    /// Its file.
    pub file: String,
    /// Its sheet.
    pub sheet: String,
    /// Its 年度资金总额, as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_total: Option<String>,
}

/// A project whose name changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Renamed {
    /// The old name.
    pub old: String,
    /// The new name.
    pub new: String,
    /// How alike the names are (0–1).
    pub similarity: f64,
    /// The old file and sheet.
    pub old_file: String,
    /// The new file and sheet.
    pub new_file: String,
}

/// Two matched tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// Old name.
    pub old: String,
    /// New name.
    pub new: String,
    /// Old `file「sheet」`.
    pub old_source: String,
    /// New `file「sheet」`.
    pub new_source: String,
    /// Changes found.
    pub changes: usize,
}

/// The comparison of two batches.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Every difference inside matched projects.
    pub changes: Vec<Change>,
    /// Projects only in the new batch.
    pub added: Vec<Only>,
    /// Projects only in the old batch.
    pub removed: Vec<Only>,
    /// Projects matched by similarity of their names.
    pub renamed: Vec<Renamed>,
    /// Every matched pair, in the new batch's order.
    #[serde(skip)]
    pub pairs: Vec<Pair>,
}

impl Diff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
    }
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v
}

/// Dice coefficient of the character bigrams of two names (1 = same).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize_label(a), normalize_label(b));
    if a == b {
        return 1.0;
    }
    let (x, y) = (bigrams(&a), bigrams(&b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

fn source(t: &Table) -> String {
    format!("{}「{}」", t.source.file, t.source.sheet)
}

fn only(t: &Table) -> Only {
    Only {
        project: t.display_name().to_string(),
        file: t.source.file.clone(),
        sheet: t.source.sheet.clone(),
        annual_total: t.funding.annual_total.map(|d| money_scale(d).to_string()),
    }
}

fn name_key(t: &Table, delta: i32) -> String {
    normalize_label(&move_years(&t.project.name, delta))
}

/// Compares two batches of tables (each in input order).
pub fn diff(old: &[Table], new: &[Table], opts: Options) -> Diff {
    // A batch-wide year shift for names (tables without a year take the batches' shift).
    let batch_delta = if opts.ignore_years {
        let year = |ts: &[Table]| ts.iter().find_map(|t| t.year);
        match (year(old), year(new)) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        }
    } else {
        0
    };
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in old.iter().enumerate() {
        by_name.entry(name_key(t, batch_delta)).or_default().push(i);
    }
    let mut old_used = vec![false; old.len()];
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    for (j, t) in new.iter().enumerate() {
        let key = normalize_label(&t.project.name);
        if let Some(list) = by_name.get_mut(&key) {
            if !list.is_empty() {
                let i = list.remove(0);
                old_used[i] = true;
                matched[j] = Some(i);
            }
        }
    }
    // Renames: the most similar unmatched names first.
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (j, t) in new
        .iter()
        .enumerate()
        .filter(|(j, _)| matched[*j].is_none())
    {
        for (i, o) in old.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
            let s = similarity(&move_years(&o.project.name, batch_delta), &t.project.name);
            if s >= RENAME_SIMILARITY {
                candidates.push((s, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = Diff::default();
    let mut renamed_pairs: HashMap<usize, f64> = HashMap::new();
    for (s, i, j) in candidates {
        if old_used[i] || matched[j].is_some() {
            continue;
        }
        old_used[i] = true;
        matched[j] = Some(i);
        renamed_pairs.insert(j, s);
    }
    for (j, t) in new.iter().enumerate() {
        let Some(i) = matched[j] else {
            out.added.push(only(t));
            continue;
        };
        let o = &old[i];
        if let Some(s) = renamed_pairs.get(&j) {
            out.renamed.push(Renamed {
                old: o.display_name().to_string(),
                new: t.display_name().to_string(),
                similarity: (s * 100.0).round() / 100.0,
                old_file: source(o),
                new_file: source(t),
            });
        }
        let before = out.changes.len();
        compare(o, t, opts, batch_delta, &mut out.changes);
        out.pairs.push(Pair {
            old: o.display_name().to_string(),
            new: t.display_name().to_string(),
            old_source: source(o),
            new_source: source(t),
            changes: out.changes.len() - before,
        });
    }
    for (i, o) in old.iter().enumerate() {
        if !old_used[i] {
            out.removed.push(only(o));
        }
    }
    out
}

/// Compares two matched tables field by field.
struct Cmp<'a> {
    old: &'a Table,
    new: &'a Table,
    delta: i32,
    out: &'a mut Vec<Change>,
}

fn at(t: &Table, cell: Option<CellRef>) -> String {
    cell.map_or_else(String::new, |c| format!("{}!{c}", t.source.sheet))
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when two indicator values say the same, each with its unit column: the same text
/// (spacing aside), or the same comparison of the same quantity as a person reads it — width
/// and spaces aside (`≥80%` = `≥ 80 %`), money in any unit (`60万元` = `600000元`, or `60` in a
/// `万元` column).
fn same_value(old: &str, old_unit: Option<&str>, new: &str, new_unit: Option<&str>) -> bool {
    if squeeze(old) == squeeze(new) && old_unit.map(str::trim) == new_unit.map(str::trim) {
        return true;
    }
    let quantity = |raw: &str, column: Option<&str>| {
        let v = crate::read::values::parse_value(raw);
        let unit = v
            .unit
            .or_else(|| column.map(str::to_string))
            .map(|u| crate::read::values::fold_width(u.trim()))
            .unwrap_or_default();
        let number = v.number?;
        // Money in 万元, whatever it was written in.
        let per_wan = match unit.as_str() {
            "元" => Some(Decimal::new(1, 4)),
            "千元" => Some(Decimal::new(1, 1)),
            "万元" | "万" => Some(Decimal::ONE),
            "亿元" => Some(Decimal::from(10_000)),
            _ => None,
        };
        Some(match per_wan {
            Some(f) => (v.comparator, (number * f).normalize(), "万元".to_string()),
            None => (v.comparator, number.normalize(), unit),
        })
    };
    match (quantity(old, old_unit), quantity(new, new_unit)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn amount_text(d: Option<Decimal>) -> String {
    d.map_or_else(String::new, |d| money_scale(d).to_string())
}

impl Cmp<'_> {
    fn push(
        &mut self,
        kind: Kind,
        field: String,
        old: String,
        new: String,
        cells: (Option<CellRef>, Option<CellRef>),
    ) {
        self.out.push(Change {
            project: self.new.display_name().to_string(),
            field,
            old,
            new,
            old_cell: at(self.old, cells.0),
            new_cell: at(self.new, cells.1),
            kind,
            old_file: self.old.source.file.clone(),
            new_file: self.new.source.file.clone(),
        });
    }

    /// A text field: compared after squeezing blanks and moving the old side's years.
    fn text(&mut self, label: &str, path: &str, old: &str, new: &str) {
        let moved = move_years(old, self.delta);
        if squeeze(&moved) == squeeze(new) {
            return;
        }
        let kind = match (old.trim().is_empty(), new.trim().is_empty()) {
            (true, false) => Kind::Added,
            (false, true) => Kind::Removed,
            _ => Kind::Changed,
        };
        let cells = (self.old.cell_of(path), self.new.cell_of(path));
        self.push(
            kind,
            label.to_string(),
            old.to_string(),
            new.to_string(),
            cells,
        );
    }

    fn amount(
        &mut self,
        label: String,
        old: (Option<Decimal>, Option<CellRef>),
        new: (Option<Decimal>, Option<CellRef>),
    ) {
        if old.0 == new.0 {
            return;
        }
        let kind = match (old.0, new.0) {
            (None, Some(_)) => Kind::Added,
            (Some(_), None) => Kind::Removed,
            _ => Kind::Changed,
        };
        self.push(
            kind,
            label,
            amount_text(old.0),
            amount_text(new.0),
            (old.1, new.1),
        );
    }
}

/// The text fields compared, in the order changes are listed (names and values from the one
/// table of field paths, [`fields`]).
const TEXT_FIELDS: &[&str] = &[
    "project.name",
    "project.department",
    "project.implementing_unit",
    "project.attribute",
    "project.period",
    "project.category",
    "title",
    "goal",
    "long_term_goal",
];

/// A field's name in a change: its group before it where groups share names
/// (`本级资金/财政拨款`).
fn field_label(f: &fields::Field) -> String {
    if f.group.is_empty() || f.name.starts_with(f.group) {
        f.name.to_string()
    } else {
        format!("{}/{}", f.group, f.name)
    }
}

/// The funding lines of a table by their place: parent label / label, scope, and occurrence.
fn line_keys(t: &Table) -> Vec<(String, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    t.funding
        .lines
        .iter()
        .map(|l| {
            let parent = l
                .parent
                .and_then(|p| t.funding.lines.get(p))
                .map(|p| format!("{}/", p.label.trim()))
                .unwrap_or_default();
            let scope = match l.scope {
                FundingScope::Annual => "",
                FundingScope::MidTerm => "（中期）",
                FundingScope::Other => "（其他）",
            };
            let words = format!("{parent}{}{scope}", l.label.trim());
            let key = normalize_label(&words);
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            (format!("{key}#{n}"), words)
        })
        .collect()
}

/// The indicators of a table by their place in the grid: levels and name, and occurrence.
fn indicator_keys(t: &Table, delta: i32) -> Vec<(String, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    t.indicators
        .iter()
        .map(|ind| {
            let words = format!(
                "{}/{}/{}",
                ind.level1.trim(),
                ind.level2.trim(),
                ind.name.trim()
            );
            let key = normalize_label(&move_years(&words, delta));
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            (format!("{key}#{n}"), words)
        })
        .collect()
}

fn compare(o: &Table, n: &Table, opts: Options, batch_delta: i32, out: &mut Vec<Change>) {
    let delta = if opts.ignore_years {
        match (o.year, n.year) {
            (Some(a), Some(b)) => b - a,
            _ => batch_delta,
        }
    } else {
        0
    };
    let mut c = Cmp {
        old: o,
        new: n,
        delta,
        out,
    };
    for f in TEXT_FIELDS.iter().filter_map(|p| fields::field(p)) {
        let (a, b) = (f.text(o).unwrap_or(""), f.text(n).unwrap_or(""));
        c.text(&field_label(f), f.path, a, b);
    }
    if o.year.map(|y| y + delta) != n.year {
        let y = |t: &Table| t.year.map(|y| y.to_string()).unwrap_or_default();
        c.push(
            Kind::Changed,
            "年度".to_string(),
            y(o),
            y(n),
            (o.cell_of("year"), n.cell_of("year")),
        );
    }
    if o.funding.lines.is_empty() && n.funding.lines.is_empty() {
        for f in fields::amounts() {
            c.amount(
                field_label(f),
                (f.amount(&o.funding), o.cell_of(f.path)),
                (f.amount(&n.funding), n.cell_of(f.path)),
            );
        }
    } else {
        // The lines as printed are the amounts: each one compared once.
        let (ok, nk) = (line_keys(o), line_keys(n));
        let old_at: HashMap<&str, usize> = ok
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.as_str(), i))
            .collect();
        let mut old_seen = vec![false; ok.len()];
        for (j, (key, words)) in nk.iter().enumerate() {
            let nl = &n.funding.lines[j];
            match old_at.get(key.as_str()) {
                Some(&i) => {
                    old_seen[i] = true;
                    let ol = &o.funding.lines[i];
                    c.amount(
                        format!("资金：{words}"),
                        (ol.amount, ol.cell),
                        (nl.amount, nl.cell),
                    );
                }
                None => c.push(
                    Kind::Added,
                    format!("资金：{words}"),
                    String::new(),
                    amount_text(nl.amount),
                    (None, nl.cell),
                ),
            }
        }
        for (i, (_, words)) in ok.iter().enumerate() {
            if !old_seen[i] {
                let ol = &o.funding.lines[i];
                c.push(
                    Kind::Removed,
                    format!("资金：{words}"),
                    amount_text(ol.amount),
                    String::new(),
                    (ol.cell, None),
                );
            }
        }
    }
    let (ok, nk) = (indicator_keys(o, delta), indicator_keys(n, 0));
    let old_at: HashMap<&str, usize> = ok
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    let mut old_seen = vec![false; ok.len()];
    for (j, (key, words)) in nk.iter().enumerate() {
        let ni = &n.indicators[j];
        match old_at.get(key.as_str()) {
            Some(&i) => {
                old_seen[i] = true;
                let oi = &o.indicators[i];
                let field = format!("指标：{words}");
                let moved = move_years(&oi.value.raw, delta);
                let same = same_value(
                    &moved,
                    oi.unit_column.as_deref(),
                    &ni.value.raw,
                    ni.unit_column.as_deref(),
                );
                if !same {
                    c.push(
                        Kind::Changed,
                        field.clone(),
                        oi.value.raw.clone(),
                        ni.value.raw.clone(),
                        (oi.cell, ni.cell),
                    );
                }
                let unit = |x: &Option<String>| x.as_deref().unwrap_or("").trim().to_string();
                if !same && unit(&oi.unit_column) != unit(&ni.unit_column) {
                    c.push(
                        Kind::Changed,
                        format!("{field}（度量单位）"),
                        unit(&oi.unit_column),
                        unit(&ni.unit_column),
                        (oi.cell, ni.cell),
                    );
                }
                if oi.weight != ni.weight {
                    c.push(
                        Kind::Changed,
                        format!("{field}（权重）"),
                        amount_text(oi.weight),
                        amount_text(ni.weight),
                        (oi.cell, ni.cell),
                    );
                }
            }
            None => c.push(
                Kind::Added,
                format!("指标：{words}"),
                String::new(),
                ni.value.raw.clone(),
                (None, ni.cell.or(ni.name_cell)),
            ),
        }
    }
    for (i, (_, words)) in ok.iter().enumerate() {
        if !old_seen[i] {
            let oi = &o.indicators[i];
            c.push(
                Kind::Removed,
                format!("指标：{words}"),
                oi.value.raw.clone(),
                String::new(),
                (oi.cell.or(oi.name_cell), None),
            );
        }
    }
}

/// The workbook: 差异 (old and new side by side, highlighted), 项目对照 (every matched pair),
/// 新增与删除.
///
/// # Errors
/// When rust_xlsxwriter rejects it.
pub fn render(d: &Diff) -> Result<Vec<u8>, XlsxError> {
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(10)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let head = base
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9E1F2));
    let fill = |k: Kind| {
        base.clone().set_background_color(match k {
            Kind::Changed => Color::RGB(0xFFEB9C),
            Kind::Added => Color::RGB(0xC6EFCE),
            Kind::Removed => Color::RGB(0xFFC7CE),
        })
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title("绩效表差异（jixiao）")
            .set_author("jixiao")
            .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    let ws = wb.add_worksheet();
    ws.set_name("差异")?;
    let cols: &[(&str, f64)] = &[
        ("序号", 6.0),
        ("类型", 6.0),
        ("项目", 26.0),
        ("字段", 30.0),
        ("原值", 36.0),
        ("原位置", 14.0),
        ("新值", 36.0),
        ("新位置", 14.0),
        ("原文件", 24.0),
        ("新文件", 24.0),
    ];
    for (c, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, ch) in d.changes.iter().enumerate() {
        let r = 1 + i as u32;
        let hl = fill(ch.kind);
        ws.write_number_with_format(r, 0, (i + 1) as f64, &base)?;
        ws.write_string_with_format(r, 1, ch.kind.label(), &hl)?;
        let texts = [
            (2, &ch.project, &base),
            (3, &ch.field, &base),
            (4, &ch.old, &hl),
            (5, &ch.old_cell, &base),
            (6, &ch.new, &hl),
            (7, &ch.new_cell, &base),
            (8, &ch.old_file, &base),
            (9, &ch.new_file, &base),
        ];
        for (c, s, f) in texts {
            ws.write_string_with_format(r, c, crate::write::names::guard_label(s), f)?;
        }
    }
    ws.autofilter(0, 0, d.changes.len().max(1) as u32, (cols.len() - 1) as u16)?;
    ws.set_freeze_panes(1, 3)?;
    page(ws)?;

    let ws = wb.add_worksheet();
    ws.set_name("项目对照")?;
    let cols: &[(&str, f64)] = &[
        ("原项目", 30.0),
        ("原文件与工作表", 34.0),
        ("新项目", 30.0),
        ("新文件与工作表", 34.0),
        ("变化数", 8.0),
    ];
    for (c, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let mut r = 1u32;
    for p in &d.pairs {
        let f = if p.changes > 0 {
            fill(Kind::Changed)
        } else {
            base.clone()
        };
        let name_fill = if p.old == p.new { &base } else { &f };
        ws.write_string_with_format(r, 0, crate::write::names::guard_label(&p.old), name_fill)?;
        ws.write_string_with_format(r, 1, &p.old_source, &base)?;
        ws.write_string_with_format(r, 2, crate::write::names::guard_label(&p.new), name_fill)?;
        ws.write_string_with_format(r, 3, &p.new_source, &base)?;
        ws.write_number_with_format(r, 4, p.changes as f64, &f)?;
        r += 1;
    }
    for (o, kind) in d
        .removed
        .iter()
        .map(|o| (o, Kind::Removed))
        .chain(d.added.iter().map(|o| (o, Kind::Added)))
    {
        let f = fill(kind);
        let src = format!("{}「{}」", o.file, o.sheet);
        let name = crate::write::names::guard_label(&o.project);
        let (a, b) = if kind == Kind::Removed {
            ((name, src), (kind.label().to_string(), String::new()))
        } else {
            ((kind.label().to_string(), String::new()), (name, src))
        };
        ws.write_string_with_format(r, 0, a.0, &f)?;
        ws.write_string_with_format(r, 1, a.1, &base)?;
        ws.write_string_with_format(r, 2, b.0, &f)?;
        ws.write_string_with_format(r, 3, b.1, &base)?;
        ws.write_blank(r, 4, &base)?;
        r += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    page(ws)?;
    wb.save_to_buffer()
}

fn page(ws: &mut rust_xlsxwriter::Worksheet) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, Value};

    fn table(name: &str, year: i32, annual: i64, value: &str) -> Table {
        let mut t = Table::default();
        t.project.name = name.into();
        t.year = Some(year);
        t.title = format!("{year}年项目支出绩效目标表");
        t.goal = format!("{year}年12月前完成");
        t.funding.annual_total = Some(Decimal::new(annual, 2));
        t.source.sheet = "表1".into();
        t.cells.insert(
            "funding.annual_total".into(),
            crate::model::FieldSource {
                cell: CellRef::new(6, 2),
                raw: String::new(),
                label: String::new(),
            },
        );
        t.indicators.push(Indicator {
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            name: "培训人次".into(),
            value: Value {
                raw: value.into(),
                ..Value::default()
            },
            cell: Some(CellRef::new(11, 4)),
            ..Indicator::default()
        });
        t
    }

    #[test]
    fn one_changed_amount_is_one_change_at_its_cells() {
        let old = vec![table("甲项目", 2026, 4500, "≥100人次")];
        let mut new = old.clone();
        new[0].funding.annual_total = Some(Decimal::new(5000, 2));
        let d = diff(&old, &new, Options::default());
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
        let c = &d.changes[0];
        assert_eq!((c.old.as_str(), c.new.as_str()), ("45.00", "50.00"));
        assert_eq!(
            (c.old_cell.as_str(), c.new_cell.as_str()),
            ("表1!C7", "表1!C7")
        );
        assert!(diff(&old, &old, Options::default()).is_empty());
    }

    #[test]
    fn renames_added_removed_and_indicators() {
        let old = vec![
            table("全区网络安全培训项目", 2026, 100, "≥100人次"),
            table("旧项目", 2026, 100, "1项"),
        ];
        let mut new = vec![
            table("全区网络安全培训服务项目", 2026, 100, "≥120人次"),
            table("全新的别的工作", 2026, 100, "1项"),
        ];
        new[0].indicators[0].name = "培训人次".into();
        let d = diff(&old, &new, Options::default());
        assert_eq!(d.renamed.len(), 1);
        assert_eq!(d.renamed[0].old, "全区网络安全培训项目");
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.removed.len(), 1);
        let fields: Vec<&str> = d.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["项目名称", "指标：产出指标/数量指标/培训人次"]);
    }

    #[test]
    fn values_compare_as_values() {
        assert!(same_value("≤60万元", None, "≤600000元", None));
        assert!(same_value("60", Some("万元"), "600000", Some("元")));
        assert!(same_value("≥80%", None, "≥ 80 %", None));
        assert!(same_value("≥８０％", None, "≥80%", None));
        assert!(!same_value("≤60万元", None, "≤61万元", None));
        assert!(!same_value("≥80%", None, "≤80%", None));
        assert!(!same_value("≥80%", None, "≥80个", None));
        assert!(!same_value("效果明显", None, "效果显著", None));
    }

    #[test]
    fn year_shifts_can_be_ignored() {
        let old = vec![table("2026年培训项目", 2026, 100, "2026年6月前")];
        let new = vec![table("2027年培训项目", 2027, 100, "2027年6月前")];
        let d = diff(&old, &new, Options { ignore_years: true });
        assert!(d.is_empty(), "{:?}", d);
        let d = diff(&old, &new, Options::default());
        assert!(!d.is_empty());
        let mut changed = new.clone();
        changed[0].indicators[0].value.raw = "2027年9月前".into();
        let d = diff(&old, &changed, Options { ignore_years: true });
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
    }
}
