//! The ods guard: a scan of `content.xml` that bounds the repeated rows, columns and spaces
//! calamine expands, and refuses a table without its end tag.

use std::io::{BufReader, Cursor};
use std::path::Path;

use quick_xml::events::Event;

use super::{damaged, mib, too_large, DATA, FORMULA, MAX_MATERIALISED_BYTES};
use crate::error::Result;

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
