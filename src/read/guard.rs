//! Guards against hostile and damaged files, checked before calamine sees the bytes.
//!
//! calamine trusts what a file says about itself. Three readers materialise more than the
//! cells a file holds, and one can panic on damaged records, so each gets a cheap pre-scan
//! that mirrors what calamine will allocate:
//!
//! - **zip** (xlsx, xlsb, ods): declared sizes can lie. Every entry is inflated once, stopping
//!   just past its declared size; more data than declared, or a bad CRC, is refused.
//! - **ods**: `number-rows-repeated` and `number-columns-repeated` are expanded into cells
//!   (up to 16,384 × 1,048,576 of them), string values are cloned into every repeat, and
//!   `<text:s text:c="…"/>` inserts that many spaces. The scan of `content.xml` bounds all three,
//!   and refuses a table without its end tag (calamine loops forever at the end of the file).
//! - **xls**: every sheet's bounding box is allocated when the workbook is opened, and the
//!   `DIMENSIONS` record's box is reserved. A cell at column 65,535 asks for 137 GB; a
//!   `DIMENSIONS` with its last row before its first overflows. The scan of the BIFF records
//!   bounds the boxes and refuses the records calamine cannot survive.
//!
//! What is left — a panic inside calamine on some other malformed record — is caught by
//! [`catch_parser_panic`] and reported as a damaged file.

use std::io::{BufReader, Cursor, Read};
use std::mem::size_of;
use std::path::Path;

use calamine::Data;
use quick_xml::events::Event;

use crate::error::{Error, Result};

/// Most memory calamine may be asked to materialise for one workbook (bounding boxes, repeated
/// cells and their text), estimated before it is opened. An xls sheet of 10 M cells (40,000
/// rows of 256 columns) fits; one with a stray cell at IV65536 (537 MB, twice) does not.
pub(crate) const MAX_MATERIALISED_BYTES: u64 = 640 << 20;
/// Most text (bytes) the reader keeps from one workbook's cells.
pub(crate) const MAX_TEXT_BYTES: usize = 128 << 20;
/// Most non-empty cells the reader keeps from one workbook, all sheets together.
pub(crate) const MAX_WORKBOOK_CELLS: usize = 8_000_000;

const DATA: u64 = size_of::<Data>() as u64;
const FORMULA: u64 = size_of::<String>() as u64;
/// An xls cell before it is placed in its box: position and value.
const XLS_CELL: u64 = DATA + 8;
/// The last column of an xls sheet (IV).
const XLS_LAST_COLUMN: u32 = 255;

fn damaged(path: &Path, detail: impl Into<String>) -> Error {
    Error::Damaged {
        path: path.to_path_buf(),
        detail: detail.into(),
    }
}

fn too_large(path: &Path, detail: impl Into<String>) -> Error {
    Error::TooLarge {
        path: path.to_path_buf(),
        detail: detail.into(),
    }
}

fn mib(bytes: u64) -> u64 {
    bytes >> 20
}

/// Runs a parser on untrusted bytes, turning a panic inside it into a damaged-file error.
///
/// A panic raised in a dependency's code while `parse` runs is not printed (the error says
/// it); one raised in this crate's code still goes to the panic hook, for it is our bug.
///
/// # Errors
/// The parser's own error, or [`Error::Damaged`] when it panicked.
pub(crate) fn catch_parser_panic<T>(path: &Path, parse: impl FnOnce() -> Result<T>) -> Result<T> {
    install_quiet_hook();
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    QUIET.with(|q| q.set(was));
    // The panic's own text (`index out of bounds: …`) is the parser's internals, not a
    // sentence for the person who sent the file.
    result.unwrap_or_else(|_| {
        Err(damaged(
            path,
            "文件内部的记录互相矛盾（如引用了不存在的内容），无法解析；请用 Excel 或 WPS 打开后另存一份再试",
        ))
    })
}

thread_local! {
    /// True while this thread runs a parser under [`catch_parser_panic`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the panic hook once, so that a dependency's panic caught by [`catch_parser_panic`]
/// prints nothing; every other panic reaches the hook as before.
fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // This crate's source directory, as the compiler names it (`src/` when built
            // as the package itself, an absolute path when built as a dependency).
            let here = file!();
            let src = &here[..here.len() - "read/guard.rs".len()];
            let ours = info.location().is_some_and(|l| l.file().starts_with(src));
            if ours || !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
}

// ---------------------------------------------------------------------------------------------
// Cell budget
// ---------------------------------------------------------------------------------------------

/// What a workbook's cells cost the reader so far, so that a hostile workbook is refused
/// before it is read whole (one shared string referenced by a million cells is copied into
/// each of them).
#[derive(Debug, Default)]
pub(crate) struct Budget {
    cells: usize,
    text: usize,
}

impl Budget {
    /// Accounts for one more kept cell holding `text_len` bytes of text.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when the workbook goes over [`MAX_WORKBOOK_CELLS`] or
    /// [`MAX_TEXT_BYTES`].
    pub fn add(&mut self, path: &Path, text_len: usize) -> Result<()> {
        self.cells += 1;
        self.text = self.text.saturating_add(text_len);
        if self.cells > MAX_WORKBOOK_CELLS {
            return Err(too_large(
                path,
                format!("工作簿超过 {MAX_WORKBOOK_CELLS} 个非空单元格"),
            ));
        }
        if self.text > MAX_TEXT_BYTES {
            return Err(too_large(
                path,
                format!("单元格文字合计超过 {} MiB", MAX_TEXT_BYTES >> 20),
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Zip
// ---------------------------------------------------------------------------------------------

/// Inflates every entry once, stopping just past its declared size: refuses an entry that
/// holds more than it declares (a zip bomb with lying headers) or fails its CRC (a damaged
/// entry calamine might read as silently different text).
///
/// # Errors
/// [`Error::TooLarge`] or [`Error::Damaged`].
pub(crate) fn check_zip_entries<R: Read + std::io::Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
) -> Result<()> {
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|_| damaged(path, "压缩包条目损坏"))?;
        inflate_entry(path, &mut entry, &mut std::io::sink())?;
    }
    Ok(())
}

/// Inflates one entry into `out`, reading at most one byte past its declared size: more is
/// a zip bomb, less a damaged entry.
fn inflate_entry<R: Read>(
    path: &Path,
    entry: &mut zip::read::ZipFile<'_, R>,
    out: &mut impl std::io::Write,
) -> Result<()> {
    let name = entry.name().unwrap_or_default().to_string();
    let declared = entry.size();
    let inflated =
        std::io::copy(&mut entry.take(declared.saturating_add(1)), out).map_err(|e| {
            damaged(
                path,
                format!("压缩包条目 {name} 损坏：{}", zip_entry_problem(&e)),
            )
        })?;
    if inflated > declared {
        return Err(too_large(
            path,
            format!("条目 {name} 解压后超过其声明的 {declared} 字节（疑似压缩炸弹）"),
        ));
    }
    if inflated < declared {
        return Err(damaged(
            path,
            format!("压缩包条目 {name} 不完整（应为 {declared} 字节，实为 {inflated} 字节）"),
        ));
    }
    Ok(())
}

/// The largest package (entries' declared sizes together) [`inflate_zip_entries`] keeps in
/// memory; a larger one is checked by [`check_zip_entries`] and inflated again by calamine.
const STORED_MAX_BYTES: u64 = 64 << 20;

/// [`check_zip_entries`], keeping what it inflates: the same checks and errors, and the package
/// rewritten with every entry stored (not compressed), for calamine to parse without inflating
/// every part a second time (a sixth of reading a workbook). `None` (the entries checked all the
/// same) when the package is larger than [`STORED_MAX_BYTES`], has more entries than a plain zip
/// holds, or names an entry in anything but ASCII (written back as is, it could read as another
/// name).
///
/// # Errors
/// As [`check_zip_entries`].
pub(crate) fn inflate_zip_entries<R: Read + std::io::Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
) -> Result<Option<Vec<u8>>> {
    let mut total: u64 = 0;
    let mut storable = zip.len() < 0xFFFF;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            storable = false;
            break;
        };
        total = total.saturating_add(entry.size());
        storable &= entry.name_raw().is_ascii() && entry.name_raw().len() < 0xFFFF;
    }
    if !storable || total > STORED_MAX_BYTES {
        check_zip_entries(path, zip)?;
        return Ok(None);
    }
    let mut stored = StoredZip::with_capacity(total, zip.len());
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|_| damaged(path, "压缩包条目损坏"))?;
        stored.begin(entry.name_raw(), entry.crc32(), entry.size());
        inflate_entry(path, &mut entry, &mut stored.out)?;
    }
    Ok(Some(stored.finish()))
}

/// A zip written in memory with every entry stored: local headers and data, then the central
/// directory (no zip64: under 4 GiB and 65,535 entries, as [`inflate_zip_entries`] checks).
struct StoredZip {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl StoredZip {
    fn with_capacity(bytes: u64, entries: usize) -> Self {
        let headers = entries * 128;
        StoredZip {
            out: Vec::with_capacity(usize::try_from(bytes).unwrap_or(0) + headers),
            central: Vec::with_capacity(headers),
            entries: 0,
        }
    }

    /// Writes an entry's local header (its data follows in `out`: `size` bytes whose CRC is
    /// `crc`) and its central directory record.
    fn begin(&mut self, name: &[u8], crc: u32, size: u64) {
        // Sizes and counts fit their fields: checked by the caller.
        #[allow(clippy::cast_possible_truncation)]
        let (size, name_len, offset) = (size as u32, name.len() as u16, self.out.len() as u32);
        // version 2.0, no flags, stored, 1980-01-01 00:00
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0x21u16.to_le_bytes());
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&name_len.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
        };
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut self.out);
        self.out.extend_from_slice(name);
        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes()); // made by
        common(&mut self.central);
        self.central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        self.central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name);
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        #[allow(clippy::cast_possible_truncation)]
        let (offset, size) = (self.out.len() as u32, self.central.len() as u32);
        self.out.append(&mut self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]); // disk numbers
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&size.to_le_bytes());
        self.out.extend_from_slice(&offset.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes()); // comment
        self.out
    }
}

/// What is wrong with a zip entry that fails to inflate, in Chinese (the zip crate's English
/// messages, recognised).
fn zip_entry_problem(e: &std::io::Error) -> &'static str {
    let text = e.to_string().to_ascii_lowercase();
    if text.contains("checksum") || text.contains("crc") {
        "校验和不符，内容已改变"
    } else if text.contains("larger than") {
        "解压后的内容多于其声明的大小（疑似压缩炸弹或文件损坏）"
    } else {
        "压缩数据损坏，无法解压"
    }
}

// ---------------------------------------------------------------------------------------------
// ods
// ---------------------------------------------------------------------------------------------

/// calamine's caps on one ods table.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

/// The attributes that make calamine keep a cell (a value, a type or a formula).
const ODS_VALUE_ATTRS: &[&str] = &[
    "office:value-type",
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "table:formula",
];

/// One table's running estimate.
#[derive(Debug, Default)]
struct OdsTable {
    rows: u64,
    /// Rows (with repeats) from the first row holding a value to the last one so far.
    span: u64,
    /// Rows (with repeats) since the last row holding a value.
    pending_rows: u64,
    /// The widest row holding a value (0: none yet).
    width: u64,
}

/// One row's running estimate, mirroring calamine's `read_row`.
#[derive(Debug, Default)]
struct OdsRow {
    repeats: u64,
    pushed: u64,
    pending_empty: u64,
    has_value: bool,
}

/// One cell's running estimate.
#[derive(Debug, Default)]
struct OdsCell {
    repeats: u64,
    has_value: bool,
    text: u64,
}

/// Totals over the document.
#[derive(Debug, Default)]
struct OdsTotals {
    /// Cells pushed while parsing rows (a value and a formula string each).
    pushed: u64,
    /// Bounding boxes of the tables.
    boxes: u64,
    /// Text bytes, with every clone a repeat makes.
    text: u64,
}

impl OdsTotals {
    fn bytes(&self) -> u64 {
        self.pushed
            .saturating_mul(DATA + FORMULA)
            .saturating_add(self.boxes.saturating_mul(DATA + FORMULA))
            .saturating_add(self.text)
    }
}

fn attr_number(e: &quick_xml::events::BytesStart<'_>, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

/// Scans an ods `content.xml` for what calamine would materialise.
///
/// # Errors
/// [`Error::TooLarge`] when the estimate goes over [`MAX_MATERIALISED_BYTES`].
pub(crate) fn check_ods(path: &Path, bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine reports it
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;

    let mut totals = OdsTotals::default();
    let mut table: Option<OdsTable> = None;
    let mut row: Option<OdsRow> = None;
    let mut cell: Option<OdsCell> = None;
    // Depth of elements inside the current cell (nested cells are skipped by calamine).
    let mut cell_depth = 0u32;
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            // calamine reads a table until its end tag and takes the end of the file for any
            // other event: a table left open loops forever.
            Ok(Event::Eof) if table.is_some() => {
                return Err(damaged(
                    path,
                    "content.xml 中的工作表没有结束标记（</table:table>），文件不完整",
                ));
            }
            Ok(Event::Eof) => break,
            Ok(e) => e,
            Err(_) => break, // calamine reports malformed XML
        };
        match event {
            Event::Start(e) if cell.is_some() => {
                cell_depth += 1;
                if e.name().as_ref() == "text:s" {
                    let spaces = attr_number(&e, "text:c");
                    if let Some(c) = cell.as_mut() {
                        c.text = c.text.saturating_add(spaces);
                    }
                }
            }
            Event::End(_) if cell.is_some() && cell_depth > 0 => cell_depth -= 1,
            Event::Text(t) if cell.is_some() => {
                if let Some(c) = cell.as_mut() {
                    c.text = c.text.saturating_add(t.len() as u64);
                }
            }
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => table = Some(OdsTable::default()),
                "table:table-row" if table.is_some() => {
                    row = Some(OdsRow {
                        repeats: attr_number(&e, "table:number-rows-repeated"),
                        ..OdsRow::default()
                    });
                }
                "table:table-cell" | "table:covered-table-cell" if row.is_some() => {
                    let mut c = OdsCell {
                        repeats: attr_number(&e, "table:number-columns-repeated"),
                        ..OdsCell::default()
                    };
                    for a in e.attributes().flatten() {
                        let key = a.key.as_ref();
                        if ODS_VALUE_ATTRS.contains(&key) {
                            c.has_value = true;
                        }
                        if key == "office:string-value" {
                            c.text = c.text.saturating_add(a.value.len() as u64);
                        }
                    }
                    cell = Some(c);
                    cell_depth = 0;
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                        // calamine: pending empty cells are pushed before every cell, a
                        // value cell is pushed `repeats` times, all capped at 16,384.
                        let empty = r.pending_empty.min(ODS_MAX_COLUMNS - r.pushed);
                        r.pushed += empty;
                        r.pending_empty = 0;
                        let repeats = c.repeats.min(ODS_MAX_COLUMNS - r.pushed);
                        if c.has_value {
                            r.pushed += repeats;
                            r.has_value = true;
                            totals.text = totals
                                .text
                                .saturating_add(c.text.saturating_mul(repeats))
                                .saturating_add(
                                    c.text.saturating_mul(repeats).saturating_mul(r.repeats),
                                );
                        } else {
                            r.pending_empty = repeats;
                        }
                    }
                }
                "table:table-row" => {
                    if let (Some(r), Some(t)) = (row.take(), table.as_mut()) {
                        let repeats = r.repeats.min(ODS_MAX_ROWS.saturating_sub(t.rows));
                        t.rows += repeats;
                        totals.pushed = totals.pushed.saturating_add(r.pushed);
                        // The box runs from the first row holding a value to the last one,
                        // empty rows between them included.
                        let started = t.width > 0;
                        if r.has_value {
                            t.span = t
                                .span
                                .saturating_add(t.pending_rows)
                                .saturating_add(repeats);
                            t.pending_rows = 0;
                            t.width = t.width.max(r.pushed);
                        } else if started {
                            t.pending_rows = t.pending_rows.saturating_add(repeats);
                        }
                    }
                }
                // Inside a cell calamine skips the cell's content, end tags included.
                "table:table" if cell.is_none() => {
                    if let Some(t) = table.take() {
                        totals.boxes = totals.boxes.saturating_add(t.span.saturating_mul(t.width));
                    }
                    row = None;
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
        if totals.bytes() > MAX_MATERIALISED_BYTES {
            return Err(too_large(
                path,
                format!(
                    "content.xml 中重复的行、列（number-rows/columns-repeated）和空格\
                     （text:s）展开后超过 {} MiB",
                    mib(MAX_MATERIALISED_BYTES)
                ),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// xls
// ---------------------------------------------------------------------------------------------

/// What the scan of an xls learnt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct XlsScan {
    /// BIFF8 (Excel 97 and later): text is Unicode whatever the `CODEPAGE` record says.
    pub biff8: bool,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// BIFF records from `at`: (type, data). Stops at the end or a record cut short.
fn biff_records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// A sheet's bounding box, as calamine's `Range::from_sparse` computes it.
#[derive(Debug, Default)]
struct XlsBox(Option<(u32, u32, u32, u32)>);

impl XlsBox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn name(&self) -> String {
        self.0.map_or_else(String::new, |(r0, r1, c0, c1)| {
            crate::cell::range_name(
                crate::cell::CellRef::new(r0, c0),
                crate::cell::CellRef::new(r1, c1),
            )
        })
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1).saturating_mul(u64::from(c1 - c0) + 1)
        })
    }
}

/// Scans an xls Workbook stream for the boxes calamine will allocate and the records it
/// cannot survive.
///
/// # Errors
/// [`Error::TooLarge`] or [`Error::Damaged`].
pub(crate) fn check_xls(path: &Path, bytes: &[u8]) -> Result<XlsScan> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|_| damaged(path, "OLE 复合文件结构损坏或文件被截断"))?;
    // Stream names compare ignoring case (`WORKBOOK` is read as calamine reads it).
    let name = file
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .find(|n| n.eq_ignore_ascii_case("Workbook"))
        .or_else(|| {
            file.read_root_storage()
                .filter(|e| e.is_stream())
                .map(|e| e.name().to_string())
                .find(|n| n.eq_ignore_ascii_case("Book"))
        })
        .ok_or_else(|| damaged(path, "OLE 复合文件中没有 Workbook 数据流"))?;
    let mut stream = Vec::new();
    file.open_stream(format!("/{name}"))
        .and_then(|s| s.take(bytes.len() as u64).read_to_end(&mut stream))
        .map_err(|_| damaged(path, "Workbook 数据流不完整，无法读取"))?;

    // Globals: the BIFF version and where each sheet's records start.
    let mut biff8 = false;
    let mut sheets = Vec::new();
    for (i, (typ, data)) in biff_records(&stream, 0).enumerate() {
        match typ {
            0x0809 if i == 0 => biff8 = u16_at(data, 0) == Some(0x0600),
            // FILEPASS: the rest of the stream is encrypted (an open password).
            0x002F => {
                return Err(Error::Encrypted {
                    path: path.to_path_buf(),
                })
            }
            0x0085 => {
                let pos = u32_at(data, 0)
                    .filter(|_| data.len() >= 6)
                    .ok_or_else(|| damaged(path, "工作表目录记录（BoundSheet）过短"))?;
                if pos as usize > stream.len() {
                    return Err(damaged(
                        path,
                        format!(
                            "工作表目录指向数据流之外（位置 {pos}，数据流 {} 字节）",
                            stream.len()
                        ),
                    ));
                }
                sheets.push(pos as usize);
            }
            0x000A => break,
            _ => {}
        }
    }

    // Each sheet: its declared DIMENSIONS (reserved) and the box of its cells (allocated, for
    // values and for formulas), all kept until the workbook is closed.
    let (mut kept, mut largest): (u64, u64) = (0, 0);
    let mut scanned: usize = 0;
    for pos in sheets {
        let (mut values, mut formulas) = (XlsBox::default(), XlsBox::default());
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (typ, data) in biff_records(&stream, pos) {
            scanned += 4 + data.len();
            // Sheets that share records make calamine read them again, and again.
            if scanned > stream.len().saturating_mul(2) + (1 << 20) {
                return Err(damaged(path, "多个工作表指向同一段数据（工作表目录异常）"));
            }
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let row = u32::from(u16_at(data, 0).unwrap_or(0));
            let col = u32::from(u16_at(data, 2).unwrap_or(0));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    // Reserved, not written: address space rather than memory, hence the
                    // larger allowance (a whole 65,536 × 256 sheet declared is 671 MB).
                    let reserve = xls_dimensions(path, data)?;
                    if reserve.saturating_mul(XLS_CELL) > MAX_MATERIALISED_BYTES * 3 / 2 {
                        return Err(too_large(
                            path,
                            format!("工作表声明的范围（DIMENSIONS）过大：{reserve} 个单元格"),
                        ));
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00BD
                    if data.len() >= 4 =>
                {
                    let last = match typ {
                        0x00BD if data.len() >= 6 => {
                            u32::from(u16_at(data, data.len() - 2).unwrap_or(0))
                        }
                        _ => col,
                    };
                    if last < col {
                        return Err(damaged(path, "MulRk 记录的列范围颠倒"));
                    }
                    // An xls sheet has 256 columns; calamine takes any u16 and allocates the
                    // box out to it.
                    if last > XLS_LAST_COLUMN {
                        return Err(damaged(
                            path,
                            format!(
                                "单元格 {} 超出 xls 工作表的 256 列",
                                crate::cell::CellRef::new(row, last)
                            ),
                        ));
                    }
                    values.add(row, col);
                    values.add(row, last);
                    if typ == 0x0006 {
                        formulas.add(row, col);
                    }
                }
                _ => {}
            }
        }
        // calamine keeps every sheet's box, and clones the one being read.
        let bytes = values
            .cells()
            .saturating_mul(DATA)
            .saturating_add(formulas.cells().saturating_mul(FORMULA));
        kept = kept.saturating_add(bytes);
        largest = largest.max(bytes);
        if kept.saturating_add(largest) > MAX_MATERIALISED_BYTES {
            return Err(too_large(
                path,
                format!(
                    "单元格分布范围 {} 展开后超过 {} MiB（可能有远离表格的孤立单元格，删除后重新保存即可）",
                    values.name(),
                    mib(MAX_MATERIALISED_BYTES)
                ),
            ));
        }
    }
    Ok(XlsScan { biff8 })
}

/// The cells calamine reserves for a `DIMENSIONS` record, refusing the ones whose
/// arithmetic overflows (last row before first).
fn xls_dimensions(path: &Path, data: &[u8]) -> Result<u64> {
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0).unwrap_or(0)),
            u32::from(u16_at(data, 2).unwrap_or(0)),
            u32::from(u16_at(data, 4).unwrap_or(0)),
            u32::from(u16_at(data, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u32_at(data, 0).unwrap_or(0),
            u32_at(data, 4).unwrap_or(0),
            u32::from(u16_at(data, 8).unwrap_or(0)),
            u32::from(u16_at(data, 10).unwrap_or(0)),
        ),
        _ => return Ok(0), // calamine refuses the record itself
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return Ok(1);
    }
    if rl - 1 < rf || cl - 1 < cf {
        return Err(damaged(
            path,
            format!("工作表范围记录（DIMENSIONS）无效：行 {rf}..{rl}，列 {cf}..{cl}"),
        ));
    }
    Ok(u64::from(rl - rf).saturating_mul(u64::from(cl - cf)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("x.xlsx")
    }

    #[test]
    fn a_stored_copy_holds_every_entry_as_inflated() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/seed-one-per-sheet.xlsx"
        ))
        .expect("the sample");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).expect("a zip");
        let stored = inflate_zip_entries(p(), &mut zip)
            .expect("checks pass")
            .expect("small enough to store");
        let mut copy = zip::ZipArchive::new(std::io::Cursor::new(&stored[..])).expect("a zip");
        assert_eq!(copy.len(), zip.len());
        for i in 0..zip.len() {
            let mut want = Vec::new();
            let mut a = zip.by_index(i).expect("entry");
            a.read_to_end(&mut want).expect("inflates");
            let name = a.name().expect("a name").to_string();
            drop(a);
            let mut got = Vec::new();
            let mut b = copy.by_index(i).expect("entry");
            assert_eq!(b.name().expect("a name"), name);
            assert_eq!(b.compression(), zip::CompressionMethod::Stored);
            b.read_to_end(&mut got).expect("reads, CRC checked");
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn a_parser_panic_is_a_damaged_file() {
        let r: Result<()> = catch_parser_panic(p(), || panic!("index out of bounds"));
        assert!(
            matches!(&r, Err(Error::Damaged { detail, .. }) if !detail.contains("index")),
            "{r:?}"
        );
        assert_eq!(catch_parser_panic(p(), || Ok(7)).ok(), Some(7));
    }

    #[test]
    fn the_budget_counts_cells_and_text() {
        let mut b = Budget::default();
        assert!(b.add(p(), MAX_TEXT_BYTES).is_ok());
        assert!(matches!(b.add(p(), 1), Err(Error::TooLarge { .. })));
    }

    #[test]
    fn xls_dimensions_as_calamine_reserves_them() {
        let dims = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut d = Vec::new();
            d.extend_from_slice(&rf.to_le_bytes());
            d.extend_from_slice(&rl.to_le_bytes());
            d.extend_from_slice(&cf.to_le_bytes());
            d.extend_from_slice(&cl.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            xls_dimensions(p(), &d)
        };
        assert_eq!(dims(0, 30, 0, 6).ok(), Some(180));
        assert_eq!(dims(0, 0, 0, 0).ok(), Some(1));
        assert!(matches!(dims(100, 2, 0, 10), Err(Error::Damaged { .. })));
        assert_eq!(
            dims(0, u32::MAX, 0, 0xFF).ok(),
            Some(u64::from(u32::MAX) * 255)
        );
    }

    fn ods(rows: &str) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let content = format!(
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"a\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        );
        w.start_file("content.xml", o).expect("entry");
        w.write_all(content.as_bytes()).expect("write");
        w.finish().expect("zip").into_inner()
    }

    #[test]
    fn ods_repeats_are_bounded_and_trailing_empties_free() {
        let trailing = "<table:table-row><table:table-cell office:value-type=\"float\" \
                        office:value=\"1\"/></table:table-row>\
                        <table:table-row table:number-rows-repeated=\"1048575\">\
                        <table:table-cell table:number-columns-repeated=\"16384\"/>\
                        </table:table-row>";
        assert!(check_ods(p(), &ods(trailing)).is_ok());
        let full = "<table:table-row table:number-rows-repeated=\"1048576\">\
                    <table:table-cell office:value-type=\"float\" office:value=\"1\" \
                    table:number-columns-repeated=\"16384\"/></table:table-row>";
        assert!(matches!(
            check_ods(p(), &ods(full)),
            Err(Error::TooLarge { .. })
        ));
        let spaces = "<table:table-row><table:table-cell office:value-type=\"string\">\
                      <text:p><text:s text:c=\"4000000000\"/></text:p></table:table-cell>\
                      </table:table-row>";
        assert!(matches!(
            check_ods(p(), &ods(spaces)),
            Err(Error::TooLarge { .. })
        ));
    }
}
