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
//!
//! The zip guard is in `archive`, the ods scan in `ods`, the xls scan in `xls`; this module holds
//! the limits, the cell budget and the panic catcher they share.

mod archive;
mod ods;
mod xls;

use std::mem::size_of;
use std::path::Path;

use calamine::Data;

use crate::error::{Error, Result};

pub(crate) use archive::{check_zip_entries, inflate_zip_entries};
pub(crate) use ods::check_ods;
pub(crate) use xls::check_xls;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};
    use xls::xls_dimensions;

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
