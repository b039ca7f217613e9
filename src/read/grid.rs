//! Bytes → sheets of cells: format sniffing, safety limits, and one sparse grid per sheet.
//!
//! The format is decided from the bytes, never the extension: `D0 CF 11 E0` is an OLE
//! compound file (an encrypted xlsx when it holds `EncryptedPackage`, else xls); `PK` is a zip
//! (ods when it holds `mimetype`, xlsb with `xl/workbook.bin`, else xlsx/xlsm). Before calamine
//! sees a zip, every entry's declared size is checked (zip bombs); xlsx and xlsb sheets are
//! streamed cell by cell, so a stray cell at XFD1048576 costs one cell, not the bounding box.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, Xls, XlsOptions, Xlsb, Xlsx};

use crate::error::{Error, Result};
use crate::read::guard::{self, Budget};
use crate::read::values::{decimal_from_f64, excel_serial_to_date};

/// Largest input file accepted.
pub(crate) const MAX_FILE_BYTES: u64 = 256 << 20;
/// Largest decompressed size of one zip entry.
pub(crate) const MAX_ENTRY_BYTES: u64 = 256 << 20;
/// Largest decompressed size of all zip entries together.
pub(crate) const MAX_TOTAL_BYTES: u64 = 1 << 30;
/// Most non-empty cells read from one sheet.
pub(crate) const MAX_CELLS: usize = 2_000_000;
/// Largest row × column box for readers that materialise it (xls, ods).
pub(crate) const MAX_BOX: u64 = 50_000_000;

/// The container formats jixiao reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// BIFF5/BIFF8 (.xls).
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
}

/// One cell's value, as the reader needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Text (shared or inline strings, ods text).
    Text(String),
    /// A number shown without a percent format.
    Number(f64),
    /// A number shown with a percent format (`0.8` shown as `80%`).
    Percent(f64),
    /// A date (year, month, day).
    Date(i32, u32, u32),
    /// A boolean.
    Bool(bool),
}

impl CellValue {
    /// Bytes of text the value holds (0 for numbers, dates and booleans).
    pub(crate) fn text_len(&self) -> usize {
        match self {
            CellValue::Text(s) => s.len(),
            _ => 0,
        }
    }

    /// The value as a person sees it in the cell.
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(s) => s.clone(),
            CellValue::Number(f) => number_text(*f),
            CellValue::Percent(f) => format!("{}%", number_text(*f * 100.0)),
            CellValue::Date(y, m, d) => format!("{y}年{m}月{d}日"),
            CellValue::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }
}

/// A float as people write it (no binary noise, no trailing zeros).
pub(crate) fn number_text(f: f64) -> String {
    decimal_from_f64(f).map_or_else(|| f.to_string(), |d| d.normalize().to_string())
}

/// A non-empty cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Zero-based column.
    pub col: u32,
    /// Its value.
    pub value: CellValue,
}

/// A row with at least one non-empty cell, cells sorted by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Zero-based row.
    pub row: u32,
    /// The non-empty cells.
    pub cells: Vec<Cell>,
}

/// One sheet as a sparse grid in absolute coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Rows with content, in order.
    pub rows: Vec<Row>,
    /// The merged ranges the file records (xlsx, xls and ods; none for xlsb), as
    /// (top-left, bottom-right) in absolute coordinates.
    pub merges: Vec<(crate::cell::CellRef, crate::cell::CellRef)>,
    /// The alignment of the cells whose style records one (xlsx only: see
    /// [`super::align`]), by absolute cell.
    pub aligns: std::collections::BTreeMap<crate::cell::CellRef, super::align::Align>,
    /// How the table on this sheet was read from its source, when `convert` wrote the sheet
    /// (see [`super::record`]).
    pub record: super::record::Record,
}

impl Sheet {
    fn from_cells(name: String, mut cells: Vec<(u32, u32, CellValue)>) -> Sheet {
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        let mut rows: Vec<Row> = Vec::new();
        for (r, c, value) in cells {
            match rows.last_mut() {
                Some(last) if last.row == r => last.cells.push(Cell { col: c, value }),
                _ => rows.push(Row {
                    row: r,
                    cells: vec![Cell { col: c, value }],
                }),
            }
        }
        Sheet {
            name,
            rows,
            merges: Vec::new(),
            aligns: std::collections::BTreeMap::new(),
            record: super::record::Record::default(),
        }
    }
}

/// Decides the format from the bytes, and checks zip containers against the size limits.
///
/// # Errors
/// When the bytes are empty, not a workbook, encrypted, damaged or too large.
pub fn sniff(path: &Path, bytes: &[u8]) -> Result<Format> {
    if bytes.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return sniff_cfb(path, bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(path, bytes);
    }
    Err(Error::NotWorkbook {
        path: path.to_path_buf(),
        what: describe_non_workbook(bytes),
    })
}

fn describe_non_workbook(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<html")
        || trimmed.starts_with("<!doctype html")
        || trimmed.contains("<table")
    {
        "内容是网页（HTML），可能是系统导出的“伪 xls”，请用 Excel/WPS 另存为 xlsx".into()
    } else if trimmed.starts_with("<?xml") {
        "内容是 XML 文本，不是 Excel 工作簿".into()
    } else if bytes.starts_with(b"%PDF") {
        "内容是 PDF 文档".into()
    } else if head
        .iter()
        .all(|b| !b.is_ascii_control() || b"\r\n\t".contains(b))
    {
        if head.contains(&b',') || head.contains(&b'\t') {
            "内容是 CSV/文本表格，不是 Excel 工作簿".into()
        } else {
            "内容是纯文本".into()
        }
    } else {
        "无法识别的二进制内容".into()
    }
}

fn sniff_cfb(path: &Path, bytes: &[u8]) -> Result<Format> {
    let damaged = |_: std::io::Error| Error::Damaged {
        path: path.to_path_buf(),
        detail: "OLE 复合文件结构损坏或文件被截断".into(),
    };
    let file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let names: Vec<String> = file
        .read_root_storage()
        .map(|e| e.name().to_string())
        .collect();
    if names.iter().any(|n| n == "EncryptedPackage") {
        return Err(Error::Encrypted {
            path: path.to_path_buf(),
        });
    }
    // Stream names compare ignoring case (some writers spell it `WORKBOOK`).
    if names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book"))
    {
        return Ok(Format::Xls);
    }
    Err(Error::NotWorkbook {
        path: path.to_path_buf(),
        what: "OLE 复合文件，但不含 Excel 工作簿（可能是 Word 文档）".into(),
    })
}

fn sniff_zip(path: &Path, bytes: &[u8]) -> Result<Format> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Error::Damaged {
        path: path.to_path_buf(),
        detail: "压缩包结构损坏或文件被截断".into(),
    })?;
    let mut total: u64 = 0;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok())
        // Some writers separate folders with `\` (calamine's issue 530): compare as `/`.
        .map(|n| n.replace('\\', "/").to_ascii_lowercase())
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    let main_part = office_document(&mut zip);
    let format = if has("mimetype") || has("content.xml") {
        Format::Ods
    } else if has("xl/workbook.bin") {
        Format::Xlsb
    } else if has("xl/workbook.xml") {
        Format::Xlsx
    } else if let Some(part) = main_part {
        // The package names its workbook part elsewhere (`_rels/.rels`, as calamine follows).
        if part.to_ascii_lowercase().ends_with(".bin") {
            Format::Xlsb
        } else {
            Format::Xlsx
        }
    } else if zip
        .file_names()
        .any(|n| n.is_ok_and(|n| n.starts_with("xl/") || n.starts_with("xl\\")))
    {
        // An Excel package without its workbook part: damaged, not some other document.
        return Err(Error::Damaged {
            path: path.to_path_buf(),
            detail: "Excel 压缩包中缺少工作簿部件 xl/workbook.xml".into(),
        });
    } else {
        return Err(Error::NotWorkbook {
            path: path.to_path_buf(),
            what: "压缩包中没有工作簿（可能是 Word 文档或普通压缩包）".into(),
        });
    };
    if zip.len() > 100_000 {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            detail: format!("压缩包含 {} 个条目", zip.len()),
        });
    }
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| Error::Damaged {
            path: path.to_path_buf(),
            detail: "压缩包条目损坏".into(),
        })?;
        let size = entry.size();
        if size > MAX_ENTRY_BYTES {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                detail: format!(
                    "条目 {} 解压后 {} MiB，超过上限 {} MiB（疑似压缩炸弹）",
                    entry.name().unwrap_or_default(),
                    size >> 20,
                    MAX_ENTRY_BYTES >> 20
                ),
            });
        }
        total = total.saturating_add(size);
    }
    if total > MAX_TOTAL_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            detail: format!("解压后共 {} MiB（疑似压缩炸弹）", total >> 20),
        });
    }
    // An xlsx package's entries are checked by `load_sheets`, which keeps what it inflates
    // for calamine (one inflate instead of two).
    if format != Format::Xlsx {
        guard::check_zip_entries(path, &mut zip)?;
    }
    Ok(format)
}

/// The package's main part as `_rels/.rels` names it (its `officeDocument` relationship), when
/// it is in the package.
fn office_document<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    let same = |a: &str, b: &str| a.replace('\\', "/").eq_ignore_ascii_case(b);
    let rels = names.iter().find(|n| same(n, "_rels/.rels"))?.clone();
    let mut xml = String::new();
    zip.by_name(&rels)
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut xml)
        .ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                        .map(|v| v.into_owned())
                };
                let is_main = attr("Type").is_some_and(|t| t.ends_with("/officeDocument"));
                if let (true, Some(target)) = (is_main, attr("Target")) {
                    let target = target.trim_start_matches('/').to_string();
                    let present = names.iter().any(|n| same(n, &target));
                    return present.then_some(target);
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// The names of a workbook's worksheets, in order: chart, dialog and macro sheets hold no
/// cells to read and are left out (calamine refuses to read them as worksheets).
fn worksheet_names<R: Read + Seek, W: Reader<R>>(wb: &W) -> Vec<String> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

/// Reads every sheet of a workbook into sparse grids.
///
/// # Errors
/// When the workbook cannot be parsed, is encrypted, or a sheet exceeds the limits.
pub fn load_sheets(path: &Path, bytes: &[u8], format: Format) -> Result<Vec<Sheet>> {
    let damaged = |detail: String| Error::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let cursor = Cursor::new(bytes);
    let mut budget = Budget::default();
    match format {
        Format::Xlsx => {
            // Every entry inflated and checked once (see `sniff`), kept stored for calamine.
            let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
                .map_err(|_| damaged("压缩包结构损坏或文件被截断".into()))?;
            let stored = guard::inflate_zip_entries(path, &mut zip)?;
            drop(zip);
            let cursor = Cursor::new(stored.as_deref().unwrap_or(bytes));
            let mut wb = Xlsx::new(cursor).map_err(|e| xlsx_error(path, e))?;
            let names = worksheet_names(&wb);
            let mut sheets = Vec::with_capacity(names.len());
            for name in names {
                let (cells, aligns) =
                    stream_xlsx(&mut wb, &name, path, &mut budget).map_err(|e| match e {
                        StreamError::TooMany => too_many(path, &name),
                        StreamError::Parse(e) => xlsx_error(path, e),
                        StreamError::Limit(e) => e,
                    })?;
                let mut sheet = Sheet::from_cells(name, cells);
                sheet.aligns = aligns;
                // Merges only shape a form written in its own geometry: unreadable ones are
                // left out, never an error.
                if let Ok(m) = wb.merge_cells_by_sheet_name(&sheet.name) {
                    sheet.merges = merges_of(&m);
                }
                sheets.push(sheet);
            }
            attach_records(&mut sheets, wb.defined_names());
            Ok(sheets)
        }
        Format::Xlsb => {
            let mut wb = Xlsb::new(cursor).map_err(|e| xlsb_error(path, e))?;
            let names = worksheet_names(&wb);
            let mut sheets = Vec::with_capacity(names.len());
            for name in names {
                let mut reader = wb
                    .worksheet_cells_reader(&name)
                    .map_err(|e| xlsb_error(path, e))?;
                let mut cells = Vec::new();
                while let Some(cell) = reader.next_cell().map_err(|e| xlsb_error(path, e))? {
                    if cells.len() >= MAX_CELLS {
                        return Err(too_many(path, &name));
                    }
                    let (r, c) = cell.get_position();
                    if let Some(v) = from_data_ref(cell.get_value(), false) {
                        budget.add(path, v.text_len())?;
                        cells.push((r, c, v));
                    }
                }
                drop(reader);
                sheets.push(Sheet::from_cells(name, cells));
            }
            attach_records(&mut sheets, wb.defined_names());
            Ok(sheets)
        }
        Format::Xls => {
            let scan = guard::check_xls(path, bytes)?;
            let mut options = XlsOptions::default();
            if scan.biff8 {
                // BIFF8 text is Unicode; calamine would decode it with the CODEPAGE record's
                // code page, which some writers get wrong (936 in a BIFF8 file: mojibake).
                options.force_codepage = Some(1200);
            }
            let mut wb = Xls::new_with_options(cursor, options).map_err(|e| match e {
                calamine::XlsError::Password => Error::Encrypted {
                    path: path.to_path_buf(),
                },
                _ => damaged("xls 文件的记录损坏，无法解析".into()),
            })?;
            let names = worksheet_names(&wb);
            let mut sheets = Vec::with_capacity(names.len());
            for name in names {
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|_| damaged(format!("工作表“{name}”的记录损坏，无法解析")))?;
                let mut sheet = sheet_from_range(path, name, &range, &mut budget)?;
                if let Ok(m) = wb.merge_cells_by_sheet_name(&sheet.name) {
                    sheet.merges = merges_of(&m);
                }
                sheets.push(sheet);
            }
            attach_records(&mut sheets, wb.defined_names());
            Ok(sheets)
        }
        Format::Ods => {
            guard::check_ods(path, bytes)?;
            let mut parts = super::ods::sheet_parts(bytes);
            let local_names = std::mem::take(&mut parts.local_names);
            let sheets = match Ods::new(cursor) {
                Ok(wb) => ods_sheets(path, wb, &local_names, &mut budget),
                Err(calamine::OdsError::Password) => Err(Error::Encrypted {
                    path: path.to_path_buf(),
                }),
                // Gnumeric's indented content.xml: read again without the indentation.
                Err(_) => match super::ods::normalise(bytes)
                    .and_then(|fixed| Ods::new(Cursor::new(fixed)).ok())
                {
                    Some(wb) => ods_sheets(path, wb, &local_names, &mut budget),
                    None => Err(damaged(
                        "ods 文件的内容（content.xml）损坏，无法解析".into(),
                    )),
                },
            };
            sheets.map(|mut sheets| {
                for s in &mut sheets {
                    s.merges = merges_of_cells(parts.merges.remove(&s.name).unwrap_or_default());
                }
                sheets
            })
        }
    }
}

/// Every sheet of an opened ods workbook; `local_names` are the names defined inside its
/// sheets, which calamine does not list (see [`super::ods::SheetParts`]).
fn ods_sheets<R: Read + Seek>(
    path: &Path,
    mut wb: Ods<R>,
    local_names: &[(String, String)],
    budget: &mut Budget,
) -> Result<Vec<Sheet>> {
    let names = wb.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = wb.worksheet_range(&name).map_err(|_| Error::Damaged {
            path: path.to_path_buf(),
            detail: format!("工作表“{name}”的内容损坏，无法解析"),
        })?;
        sheets.push(sheet_from_range(path, name, &range, budget)?);
    }
    let names: Vec<(String, String)> = wb
        .defined_names()
        .iter()
        .chain(local_names)
        .cloned()
        .collect();
    attach_records(&mut sheets, &names);
    Ok(sheets)
}

/// Gives each sheet the record `convert` left on it in the workbook's defined names.
fn attach_records(sheets: &mut [Sheet], names: &[(String, String)]) {
    let mut records = super::record::from_defined_names(names);
    for s in sheets {
        if let Some(r) = records.remove(&s.name) {
            s.record = r;
        }
    }
}

/// calamine's merged ranges (absolute, inclusive) as cell pairs, each once, larger than a cell.
fn merges_of(dims: &[calamine::Dimensions]) -> Vec<(crate::cell::CellRef, crate::cell::CellRef)> {
    use crate::cell::CellRef;
    let mut out: Vec<(CellRef, CellRef)> = dims
        .iter()
        .filter(|d| d.start != d.end && d.start.0 <= d.end.0 && d.start.1 <= d.end.1)
        .map(|d| {
            (
                CellRef::new(d.start.0, d.start.1),
                CellRef::new(d.end.0, d.end.1),
            )
        })
        .collect();
    out.sort_by_key(|(a, b)| (a.row, a.col, b.row, b.col));
    out.dedup();
    out
}

/// Merged ranges as cell pairs, each once, in order.
fn merges_of_cells(
    mut m: Vec<(crate::cell::CellRef, crate::cell::CellRef)>,
) -> Vec<(crate::cell::CellRef, crate::cell::CellRef)> {
    m.sort_by_key(|(a, b)| (a.row, a.col, b.row, b.col));
    m.dedup();
    m
}

fn too_many(path: &Path, sheet: &str) -> Error {
    Error::TooLarge {
        path: path.to_path_buf(),
        detail: format!("工作表“{sheet}”超过 {MAX_CELLS} 个非空单元格"),
    }
}

enum StreamError {
    TooMany,
    Parse(calamine::XlsxError),
    Limit(Error),
}

impl From<calamine::XlsxError> for StreamError {
    fn from(e: calamine::XlsxError) -> Self {
        StreamError::Parse(e)
    }
}

/// The non-empty cells of an xlsx sheet, and the alignment of those whose style records one.
type XlsxCells = (
    Vec<(u32, u32, CellValue)>,
    std::collections::BTreeMap<crate::cell::CellRef, super::align::Align>,
);

fn stream_xlsx<R: Read + Seek>(
    wb: &mut Xlsx<R>,
    name: &str,
    path: &Path,
    budget: &mut Budget,
) -> std::result::Result<XlsxCells, StreamError> {
    let mut reader = wb.worksheet_cells_reader(name)?;
    let style_aligns: Vec<Option<super::align::Align>> = reader
        .styles()
        .iter()
        .map(super::align::Align::of)
        .collect();
    let mut aligns = std::collections::BTreeMap::new();
    let percent_styles: Vec<bool> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .is_some_and(|f| is_percent_format(&f.format_code))
        })
        .collect();
    let mut cells = Vec::new();
    while let Some((cell, style)) = reader.next_cell_with_style_id()? {
        if cells.len() >= MAX_CELLS {
            return Err(StreamError::TooMany);
        }
        let (r, c) = cell.get_position();
        let percent = percent_styles.get(style).copied().unwrap_or(false);
        if let Some(v) = from_data_ref(cell.get_value(), percent) {
            budget.add(path, v.text_len()).map_err(StreamError::Limit)?;
            cells.push((r, c, v));
            if let Some(Some(a)) = style_aligns.get(style) {
                aligns.insert(crate::cell::CellRef::new(r, c), *a);
            }
        }
    }
    Ok((cells, aligns))
}

/// A number format that shows a percentage (a `%` outside quotes and escapes).
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

fn from_data_ref(d: &DataRef<'_>, percent: bool) -> Option<CellValue> {
    Some(match d {
        DataRef::Empty | DataRef::Error(_) => return None,
        DataRef::String(s) => non_blank(s)?,
        DataRef::SharedString(s) => non_blank(s)?,
        DataRef::Int(i) => number(*i as f64, percent),
        DataRef::Float(f) => number(*f, percent),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => date_or_number(dt.as_f64(), dt.is_datetime()),
        DataRef::DateTimeIso(s) => iso_date(s)?,
        DataRef::DurationIso(s) => non_blank(s)?,
    })
}

fn from_data(d: &Data) -> Option<CellValue> {
    Some(match d {
        Data::Empty | Data::Error(_) => return None,
        Data::String(s) => non_blank(s)?,
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => date_or_number(dt.as_f64(), dt.is_datetime()),
        Data::DateTimeIso(s) => iso_date(s)?,
        Data::DurationIso(s) => non_blank(s)?,
    })
}

fn non_blank(s: &str) -> Option<CellValue> {
    (!s.trim().is_empty()).then(|| CellValue::Text(s.to_string()))
}

fn number(f: f64, percent: bool) -> CellValue {
    if percent {
        CellValue::Percent(f)
    } else {
        CellValue::Number(f)
    }
}

fn date_or_number(serial: f64, is_date: bool) -> CellValue {
    match excel_serial_to_date(serial, false) {
        Some((y, m, d)) if is_date => CellValue::Date(y, m, d),
        _ => CellValue::Number(serial),
    }
}

fn iso_date(s: &str) -> Option<CellValue> {
    let date = s.get(..10).unwrap_or(s);
    let mut parts = date.split('-');
    let parsed = (|| {
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        Some(CellValue::Date(y, m, d))
    })();
    parsed.or_else(|| non_blank(s))
}

fn sheet_from_range(
    path: &Path,
    name: String,
    range: &calamine::Range<Data>,
    budget: &mut Budget,
) -> Result<Sheet> {
    let (h, w) = range.get_size();
    if (h as u64).saturating_mul(w as u64) > MAX_BOX {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            detail: format!("工作表“{name}”范围过大（{h} 行 × {w} 列）"),
        });
    }
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (r, c, d) in range.used_cells() {
        let (r, c) = (r0 + r as u32, c0 + c as u32);
        if let Some(v) = from_data(d) {
            if cells.len() >= MAX_CELLS {
                return Err(too_many(path, &name));
            }
            budget.add(path, v.text_len())?;
            cells.push((r, c, v));
        }
    }
    Ok(Sheet::from_cells(name, cells))
}

fn xlsx_error(path: &Path, e: calamine::XlsxError) -> Error {
    use calamine::XlsxError as E;
    let path = path.to_path_buf();
    let detail = match e {
        E::Password => return Error::Encrypted { path },
        E::Zip(_) | E::Io(_) => "压缩包损坏或文件被截断".to_string(),
        E::WorksheetNotFound(name) => format!("工作表“{name}”的部件缺失"),
        E::Unexpected(what) if what.contains("shared strings") => {
            "单元格引用了共享字符串表中不存在的文字".to_string()
        }
        E::Xml(_) | E::XmlAttr(_) | E::XmlEof(_) => "xlsx 中的 XML 内容损坏".to_string(),
        E::RelationshipNotFound | E::FileNotFound(_) => {
            "xlsx 中的部件或其关联（relationships）缺失".to_string()
        }
        _ => "xlsx 内容不符合格式，无法解析".to_string(),
    };
    Error::Damaged { path, detail }
}

fn xlsb_error(path: &Path, e: calamine::XlsbError) -> Error {
    let path = path.to_path_buf();
    match e {
        calamine::XlsbError::Password => Error::Encrypted { path },
        calamine::XlsbError::Zip(_) | calamine::XlsbError::Io(_) => Error::Damaged {
            path,
            detail: "压缩包损坏或文件被截断".into(),
        },
        _ => Error::Damaged {
            path,
            detail: "xlsb 的记录损坏，无法解析".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(!is_percent_format("0.00\"%\""));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("General"));
    }

    #[test]
    fn sniffs_by_content() {
        let p = Path::new("x.xlsx");
        assert!(matches!(sniff(p, b""), Err(Error::Empty { .. })));
        let e = sniff(p, "项目名称,金额\n甲,1\n".as_bytes());
        assert!(matches!(e, Err(Error::NotWorkbook { what, .. }) if what.contains("CSV")));
        let e = sniff(p, b"<html><table><tr><td>1</td></tr></table></html>");
        assert!(matches!(e, Err(Error::NotWorkbook { what, .. }) if what.contains("HTML")));
        let e = sniff(p, b"PK\x03\x04 truncated");
        assert!(matches!(e, Err(Error::Damaged { .. })));
    }

    #[test]
    fn displays_values() {
        assert_eq!(
            CellValue::Number(165.530_000_000_000_03).display(),
            "165.53"
        );
        assert_eq!(CellValue::Percent(0.8).display(), "80%");
        assert_eq!(CellValue::Date(2026, 12, 20).display(), "2026年12月20日");
    }
}
