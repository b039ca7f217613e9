//! A map of how a form was read (`jixiao explain`): a copy of each sheet with every cell
//! coloured by what the reader took it for, a note naming the field, a legend, and a 读取说明
//! sheet with the profile chosen for each table and why, and every cell it did not understand.
//!
//! This is what a finance office's IT person opens when a form of their province reads wrong:
//! it shows, cell by cell, where the reader's idea of the form and the form part ways. The map
//! is built from the model the reader produced (every value keeps its cell) and the sheets as
//! loaded, so it shows exactly what `import` reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note, Workbook, XlsxError};

use crate::cell::CellRef;
use crate::error::{Error, Result};
use crate::model::{Document, Table};
use crate::read::grid::{CellValue, Sheet};
use crate::read::ReadOptions;
use crate::write::measure;

/// What the reader took a cell for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The table's title.
    Title,
    /// The value of a header field (项目名称, 主管部门, 年度总体目标, …).
    Field,
    /// The amount of a funding line.
    Funding,
    /// An indicator's 一级 / 二级 level.
    Level,
    /// An indicator's name (三级指标).
    Name,
    /// An indicator's value (指标值).
    Value,
    /// Another column of the grid (指标性质, 度量单位, 权重, 指标解释, …).
    Column,
    /// A header or footer field kept as metadata (联系人, 填报日期, 审核意见, …).
    Meta,
    /// Printed wording of the form: a label or a column header.
    Label,
    /// A cell of the table that the reader did not understand (kept as `extra`).
    Unknown,
    /// A cell outside every table the reader found.
    Outside,
}

impl Role {
    /// Every role, in the legend's order.
    pub const ALL: [Role; 11] = [
        Role::Title,
        Role::Field,
        Role::Funding,
        Role::Level,
        Role::Name,
        Role::Value,
        Role::Column,
        Role::Meta,
        Role::Label,
        Role::Unknown,
        Role::Outside,
    ];

    /// The role's name in the legend.
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "标题",
            Role::Field => "表头字段（值）",
            Role::Funding => "资金（金额）",
            Role::Level => "一级 / 二级指标",
            Role::Name => "三级指标（名称）",
            Role::Value => "指标值",
            Role::Column => "指标表的其他列",
            Role::Meta => "其他信息（联系人、日期、意见等）",
            Role::Label => "表样文字（标签、列名）",
            Role::Unknown => "未识别（已保留，见读取说明）",
            Role::Outside => "表外（未读取）",
        }
    }

    fn fill(self) -> u32 {
        match self {
            Role::Title => 0xD9E1F2,
            Role::Field => 0xBDD7EE,
            Role::Funding => 0xC6EFCE,
            Role::Level => 0xFFF2CC,
            Role::Name => 0xFCE4D6,
            Role::Value => 0xF8CBAD,
            Role::Column => 0xE4DFEC,
            Role::Meta => 0xDDEBF7,
            Role::Label => 0xF2F2F2,
            Role::Unknown => 0xFF7C80,
            Role::Outside => 0xBFBFBF,
        }
    }
}

/// One cell of the map: its role and what the note says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// What the reader took it for.
    pub role: Role,
    /// The note: the field it was read as (`project.department 主管部门`), or why not.
    pub note: String,
}

/// The map of one workbook: the sheets as loaded, the model read from them, and the mark of
/// every non-empty cell.
#[derive(Debug)]
pub struct Explained {
    /// The file.
    pub path: PathBuf,
    /// Its sheets.
    pub sheets: Vec<Sheet>,
    /// What was read.
    pub doc: Document,
    /// Sheet name → cell → mark.
    pub marks: BTreeMap<String, BTreeMap<CellRef, Mark>>,
}

impl Explained {
    /// How many cells have each role.
    pub fn counts(&self) -> BTreeMap<Role, usize> {
        let mut out = BTreeMap::new();
        for m in self.marks.values().flat_map(BTreeMap::values) {
            *out.entry(m.role).or_insert(0) += 1;
        }
        out
    }
}

/// Reads a workbook and marks every non-empty cell with what the reader took it for.
///
/// # Errors
/// As [`crate::read::read_file`].
pub fn explain(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Explained> {
    let doc = crate::read::read_bytes_with(path, bytes, options)?;
    let format = crate::read::grid::sniff(path, bytes)?;
    let sheets = crate::read::guard::catch_parser_panic(path, || {
        crate::read::grid::load_sheets(path, bytes, format)
    })?;
    let mut marks: BTreeMap<String, BTreeMap<CellRef, Mark>> = BTreeMap::new();
    for t in &doc.tables {
        let sheet = marks.entry(t.source.sheet.clone()).or_default();
        mark_table(t, sheet);
    }
    for sheet in &sheets {
        // Each table's title: the cell of its range holding the title as printed.
        for t in doc.tables.iter().filter(|t| t.source.sheet == sheet.name) {
            let Some((a, b)) = range_of(&t.source.range) else {
                continue;
            };
            let title = crate::read::values::collapse_spaces(&t.title);
            if title.trim().is_empty() {
                continue;
            }
            let at = sheet
                .rows
                .iter()
                .filter(|r| (a.row..=b.row).contains(&r.row))
                .flat_map(|r| r.cells.iter().map(move |c| (r.row, c)))
                .find(|(_, c)| {
                    (a.col..=b.col).contains(&c.col)
                        && crate::read::values::collapse_spaces(&c.value.display()) == title
                });
            if let Some((row, c)) = at {
                marks
                    .entry(sheet.name.clone())
                    .or_default()
                    .entry(CellRef::new(row, c.col))
                    .or_insert(Mark {
                        role: Role::Title,
                        note: format!("title 标题（{}）", t.display_name()),
                    });
            }
        }
        let ranges: Vec<(CellRef, CellRef)> = doc
            .tables
            .iter()
            .filter(|t| t.source.sheet == sheet.name)
            .filter_map(|t| range_of(&t.source.range))
            .collect();
        let marked = marks.entry(sheet.name.clone()).or_default();
        let mut non_empty = std::collections::HashSet::new();
        for row in &sheet.rows {
            for c in &row.cells {
                if c.value.display().trim().is_empty() {
                    continue;
                }
                let at = CellRef::new(row.row, c.col);
                non_empty.insert(at);
                let inside = ranges.iter().any(|(a, b)| {
                    (a.row..=b.row).contains(&at.row) && (a.col..=b.col).contains(&at.col)
                });
                marked.entry(at).or_insert_with(|| {
                    if inside {
                        Mark {
                            role: Role::Label,
                            note: String::new(),
                        }
                    } else {
                        Mark {
                            role: Role::Outside,
                            note: "不在读到的任何绩效表范围内，未读取".into(),
                        }
                    }
                });
            }
        }
        // Only cells that hold something: a model cell left empty has nothing to colour.
        marked.retain(|at, _| non_empty.contains(at));
    }
    Ok(Explained {
        path: path.to_path_buf(),
        sheets,
        doc,
        marks,
    })
}

fn range_of(range: &str) -> Option<(CellRef, CellRef)> {
    let (a, b) = range.split_once(':')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The name of a field for a note: its path, and the words the table printed for it (else the
/// profile's label for it).
fn field_note(t: &Table, field: &str) -> String {
    let printed = t
        .cells
        .get(field)
        .map(|f| f.label.trim().to_string())
        .filter(|l| !l.is_empty());
    let known = t.profile.labels().field(field).map(|d| d.label.clone());
    match printed.or(known) {
        Some(words) => format!("{field} {words}"),
        None => field.to_string(),
    }
}

fn mark_table(t: &Table, out: &mut BTreeMap<CellRef, Mark>) {
    let mut put = |at: CellRef, role: Role, note: String| {
        out.entry(at).or_insert(Mark { role, note });
    };
    if let Some(title) = t.cells.get("title") {
        put(
            title.cell,
            Role::Title,
            format!("title 标题（{}）", t.display_name()),
        );
    }
    for (field, source) in &t.cells {
        if field == "title" || field.starts_with("funding.") {
            continue;
        }
        put(source.cell, Role::Field, field_note(t, field));
    }
    for line in &t.funding.lines {
        if let Some(cell) = line.cell {
            let key = if line.key.is_empty() {
                "（表样未定义的资金行）".to_string()
            } else {
                format!("funding.{}", line.key)
            };
            let role = line
                .role
                .as_deref()
                .map(|r| format!("，{r}"))
                .unwrap_or_default();
            put(
                cell,
                Role::Funding,
                format!("{key} {}（{:?}{role}）", line.label.trim(), line.scope),
            );
        }
    }
    for (field, source) in &t.cells {
        if field.starts_with("funding.") {
            put(source.cell, Role::Funding, field_note(t, field));
        }
    }
    let grids = std::iter::once(("annual", &t.columns, &t.indicators)).chain(
        t.other_grids
            .iter()
            .map(|g| (g.key.as_str(), &g.columns, &g.indicators)),
    );
    for (grid, columns, indicators) in grids {
        for col in columns {
            if let Some(cell) = col.cell {
                put(
                    cell,
                    Role::Label,
                    format!("指标表列名：{}（{}）", col.header, col.role),
                );
            }
        }
        for (i, ind) in indicators.iter().enumerate() {
            let what = format!("{grid} 第 {} 项指标", i + 1);
            if let Some(cell) = ind.cell {
                put(
                    cell,
                    Role::Value,
                    format!("{what}：指标值 {}", ind.value.raw),
                );
            }
            if let Some(cell) = ind.name_cell {
                put(
                    cell,
                    Role::Name,
                    format!("{what}：{}（{:?}）", ind.name, ind.class),
                );
                for col in columns {
                    let Some(head) = col.cell else { continue };
                    let at = CellRef::new(cell.row, head.col);
                    let role = match col.role.as_str() {
                        "level1" | "level2" => Role::Level,
                        "name" => Role::Name,
                        "value" => Role::Value,
                        _ => Role::Column,
                    };
                    put(at, role, format!("{what}：{}", col.header));
                }
            }
        }
    }
    for m in &t.metadata {
        let Some(cell) = m.cell else { continue };
        if m.key.is_empty() {
            // A label no field answers to: its value kept under the printed label.
            put(
                cell,
                Role::Unknown,
                format!(
                    "未识别的标签“{}”的值：已作为其他信息保留，没有读入任何字段",
                    m.label.trim()
                ),
            );
        } else {
            put(cell, Role::Meta, format!("metadata.{} {}", m.key, m.label));
        }
    }
    for x in &t.extra {
        let label = if x.label.is_empty() {
            String::new()
        } else {
            format!("（在“{}”下）", x.label)
        };
        put(
            x.cell,
            Role::Unknown,
            format!("未识别{label}：已作为 extra 保留，没有读入任何字段"),
        );
    }
}

/// The map as an xlsx workbook: a copy of each sheet coloured by role with notes, 图例, and
/// 读取说明.
///
/// # Errors
/// When the workbook cannot be generated.
pub fn render(e: &Explained) -> Result<Vec<u8>> {
    render_inner(e).map_err(|err| Error::Write {
        path: e.path.clone(),
        detail: format!("生成读取对照工作簿失败：{err}"),
    })
}

fn render_inner(e: &Explained) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xA6A6A6));
    let bold = Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_bold();
    // 读取说明 first: what was read, with what, and what was not understood.
    let ws = wb.add_worksheet();
    ws.set_name(crate::write::reading::SHEET)?;
    crate::write::reading::write(
        ws,
        &e.doc,
        "读取对照",
        &format!(
            "{}：{} 张表。各工作表的副本按读取结果着色，单元格批注写明读作哪个字段；颜色含义见“图例”。",
            e.path.display(),
            e.doc.tables.len()
        ),
        None,
    )?;
    // 图例.
    let ws = wb.add_worksheet();
    ws.set_name("图例")?;
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 12)?;
    ws.write_string_with_format(0, 0, "颜色", &bold)?;
    ws.write_string_with_format(0, 1, "单元格数", &bold)?;
    let counts = e.counts();
    for (k, role) in Role::ALL.iter().enumerate() {
        let row = k as u32 + 1;
        let f = base.clone().set_background_color(Color::RGB(role.fill()));
        ws.write_string_with_format(row, 0, role.name(), &f)?;
        ws.write_number(row, 1, counts.get(role).copied().unwrap_or(0) as f64)?;
    }
    // The sheets, cell for cell.
    let mut used_names: Vec<String> = vec![crate::write::reading::SHEET.into(), "图例".into()];
    for sheet in &e.sheets {
        let marks = e.marks.get(&sheet.name);
        let mut name: String = sheet.name.chars().take(31).collect();
        while used_names.contains(&name) {
            name = format!("{}_", name.chars().take(30).collect::<String>());
        }
        used_names.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        page(ws)?;
        let widths = map_widths(sheet);
        for row in &sheet.rows {
            let lines = row
                .cells
                .iter()
                .map(|c| {
                    let col = u16::try_from(c.col).unwrap_or(u16::MAX);
                    let width = widths.get(&col).copied().unwrap_or(MAP_MIN_WIDTH);
                    measure::lines(&c.value.display(), 10.0, false, measure::col_px(width))
                })
                .max()
                .unwrap_or(1);
            if lines > 1 {
                ws.set_row_height(row.row, measure::height_for_lines(lines, 10.0))?;
            }
            for c in &row.cells {
                let at = CellRef::new(row.row, c.col);
                let mark = marks.and_then(|m| m.get(&at));
                let f = match mark {
                    Some(m) => base.clone().set_background_color(Color::RGB(m.role.fill())),
                    None => base.clone(),
                };
                let col = u16::try_from(c.col).unwrap_or(u16::MAX);
                match &c.value {
                    CellValue::Number(n) => {
                        ws.write_number_with_format(row.row, col, *n, &f)?;
                    }
                    v => {
                        ws.write_string_with_format(row.row, col, v.display(), &f)?;
                    }
                }
                if let Some(m) = mark.filter(|m| !m.note.is_empty()) {
                    let note = Note::new(format!("{}：{}", m.role.name(), m.note))
                        .add_author_prefix(false)
                        .set_author("jixiao")
                        .set_width(300)
                        .set_height(80);
                    ws.insert_note(row.row, col, &note)?;
                }
            }
        }
        for (col, w) in widths {
            ws.set_column_width(col, w)?;
        }
    }
    wb.save_to_buffer()
}

/// The narrowest and widest column of a map (characters).
const MAP_MIN_WIDTH: f64 = 8.0;
const MAP_MAX_WIDTH: f64 = 40.0;

/// Each column's width: its longest line of text, between [`MAP_MIN_WIDTH`] and
/// [`MAP_MAX_WIDTH`] (longer text wraps, and its row is made tall enough for it).
fn map_widths(sheet: &Sheet) -> BTreeMap<u16, f64> {
    let mut widths: BTreeMap<u16, f64> = BTreeMap::new();
    for c in sheet.rows.iter().flat_map(|r| &r.cells) {
        let col = u16::try_from(c.col).unwrap_or(u16::MAX);
        let px = measure::text_px(&c.value.display(), 10.0, false) * measure::SLACK;
        let want = measure::width_for_px(px);
        let w = widths.entry(col).or_insert(MAP_MIN_WIDTH);
        *w = w.max(want.min(MAP_MAX_WIDTH));
    }
    widths
}

/// A4 landscape, one page wide.
fn page(ws: &mut rust_xlsxwriter::Worksheet) -> std::result::Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_gridlines(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_non_empty_cell_of_the_seed_has_a_mark_and_none_is_outside() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/seed-one-per-sheet.xlsx");
        let bytes = std::fs::read(&path).expect("sample");
        let e = explain(&path, &bytes, &ReadOptions::default()).expect("reads");
        let sheet = e
            .sheets
            .iter()
            .find(|s| s.name == "网络安全服务")
            .expect("sheet");
        let marks = &e.marks["网络安全服务"];
        let non_empty = sheet
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| !c.value.display().trim().is_empty())
            .count();
        assert_eq!(marks.len(), non_empty);
        let t = &e.doc.tables[0];
        // The project name's value cell is a field, named in its note.
        let name = t.cells["project.name"].cell;
        assert_eq!(marks[&name].role, Role::Field);
        assert!(
            marks[&name].note.starts_with("project.name"),
            "{:?}",
            marks[&name]
        );
        // Each indicator's value cell is a value.
        for i in &t.indicators {
            assert_eq!(marks[&i.cell.expect("cell")].role, Role::Value);
        }
        let counts = e.counts();
        assert_eq!(counts.get(&Role::Unknown), None);
        assert!(counts[&Role::Funding] >= 5);
        let bytes = render(&e).expect("renders");
        assert!(bytes.starts_with(b"PK"));
        // The copy's row of the long goal is tall enough for it to wrap (it overlapped the
        // rows below when left at the default height); a row of short labels is not.
        let index = e.sheets.iter().position(|s| s.name == "网络安全服务");
        let xml = sheet_xml(&bytes, index.expect("copied") + 3);
        let goal = t.cells["goal"].cell.row + 1;
        let name = t.cells["project.name"].cell.row + 1;
        let height = |row: u32| -> Option<f64> {
            let at = xml.find(&format!("<row r=\"{row}\""))?;
            let tag = &xml[at..at + xml[at..].find('>')?];
            let ht = tag.split("ht=\"").nth(1)?;
            ht[..ht.find('"')?].parse().ok()
        };
        assert!(
            height(goal).is_some_and(|h| h >= 30.0),
            "{:?}",
            height(goal)
        );
        assert_eq!(height(name), None);
    }

    fn sheet_xml(book: &[u8], n: usize) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("zip");
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
            .expect("sheet")
            .read_to_string(&mut xml)
            .expect("utf-8");
        xml
    }
}
