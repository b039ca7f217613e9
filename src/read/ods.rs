//! OpenDocument spreadsheets that calamine refuses as they are but every office suite opens.
//!
//! Gnumeric's `ssconvert` indents `content.xml`: it puts whitespace text between the cells of a
//! row, the rows of a table and the tables of the body. The format allows it (it is not text
//! content: only the text inside `text:p` and its children is), LibreOffice and Gnumeric read
//! such files, and calamine 0.38 fails on them. [`normalise`] removes that indentation, leaving
//! every text paragraph as it was, and gives back an archive calamine reads. It is used only
//! after calamine has refused the file, so files it reads cost nothing more.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

use quick_xml::events::{BytesStart, Event};

use crate::cell::CellRef;

/// The `content.xml` of `bytes` without the whitespace between elements outside text
/// paragraphs, in a new archive (every other part copied as it was). `None` when the file is
/// not a zip with a `content.xml`, or when nothing needed removing.
pub fn normalise(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut content = Vec::new();
    zip.by_name("content.xml")
        .ok()?
        .read_to_end(&mut content)
        .ok()?;
    let cleaned = strip_indentation(&content)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).ok()?;
        let name = entry.name().ok()?.to_string();
        if entry.is_dir() {
            continue;
        }
        // `mimetype` stays first and stored, as the format asks.
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        out.start_file(name.as_str(), options).ok()?;
        if name == "content.xml" {
            out.write_all(&cleaned).ok()?;
        } else {
            let mut part = Vec::new();
            entry.read_to_end(&mut part).ok()?;
            out.write_all(&part).ok()?;
        }
    }
    Some(out.finish().ok()?.into_inner())
}

/// Removes whitespace-only text whose parent element is not a text element (`text:…`).
/// `None` when there is none, or the XML cannot be read.
fn strip_indentation(xml: &[u8]) -> Option<Vec<u8>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(xml.len()));
    // For each open element: is it a text element, inside which whitespace is content?
    let mut open: Vec<bool> = Vec::new();
    let mut removed = false;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => open.push(e.name().as_ref().starts_with("text:")),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t)
                if !open.last().copied().unwrap_or(false)
                    && t.as_ref().chars().all(|c| c.is_ascii_whitespace()) =>
            {
                removed = true;
                buf.clear();
                continue;
            }
            _ => {}
        }
        writer.write_event(event).ok()?;
        buf.clear();
    }
    removed.then(|| writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_between_cells_goes_text_stays() {
        let xml = "<table:table-row>\n  <table:table-cell><text:p>项目 名称</text:p></table:table-cell>\n  \
                   <table:table-cell><text:p> <text:span>甲</text:span></text:p></table:table-cell>\n</table:table-row>";
        let out = strip_indentation(xml.as_bytes()).expect("indentation found");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "<table:table-row><table:table-cell><text:p>项目 名称</text:p></table:table-cell>\
             <table:table-cell><text:p> <text:span>甲</text:span></text:p></table:table-cell></table:table-row>"
        );
        assert!(strip_indentation(b"<a><text:p>x</text:p></a>").is_none());
    }
}

#[cfg(test)]
mod calamine_refuses_indentation {
    //! The minimal reproduction kept in docs/upstream-calamine-ods-whitespace.md: if calamine
    //! ever reads the indented file itself, the first assertion says so.
    use std::io::{Cursor, Write};

    use calamine::{Data, Ods, Reader};

    /// An ods whose `content.xml` is indented as Gnumeric writes it.
    pub(super) fn indented_ods() -> Vec<u8> {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
  <office:body>
    <office:spreadsheet>
      <table:table table:name="Sheet1">
        <table:table-column/>
        <table:table-row>
          <table:table-cell office:value-type="string"><text:p>项目名称</text:p></table:table-cell>
          <table:table-cell office:value-type="float" office:value="45"><text:p>45</text:p></table:table-cell>
        </table:table-row>
      </table:table>
    </office:spreadsheet>
  </office:body>
</office:document-content>
"#;
        ods_with_content(content)
    }

    /// An ods archive holding `content` as its `content.xml`.
    pub(super) fn ods_with_content(content: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).expect("zip entry");
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("zip write");
        zip.start_file("META-INF/manifest.xml", stored)
            .expect("zip entry");
        zip.write_all(
            br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#,
        )
        .expect("zip write");
        zip.start_file("content.xml", stored).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
        zip.finish().expect("zip").into_inner()
    }

    fn first_row(bytes: Vec<u8>) -> Result<Vec<Data>, String> {
        let mut wb = Ods::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let range = wb.worksheet_range("Sheet1").map_err(|e| e.to_string())?;
        Ok(range
            .rows()
            .next()
            .map(<[Data]>::to_vec)
            .unwrap_or_default())
    }

    #[test]
    fn calamine_refuses_it_and_reads_it_normalised() {
        let bytes = indented_ods();
        assert!(
            first_row(bytes.clone()).is_err(),
            "calamine now reads indented ods itself: the workaround in read/ods.rs can go"
        );
        let fixed = super::normalise(&bytes).expect("indentation removed");
        assert_eq!(
            first_row(fixed).expect("calamine reads the normalised file"),
            vec![Data::String("项目名称".into()), Data::Float(45.0)]
        );
    }
}

/// What an ods file's `content.xml` says of its sheets beyond the cells calamine reads.
#[derive(Debug, Default)]
pub struct SheetParts {
    /// The merged ranges of each sheet (cells spanning columns or rows), by sheet name, as
    /// (top-left, bottom-right) in absolute coordinates.
    pub merges: HashMap<String, Vec<(CellRef, CellRef)>>,
    /// The names defined inside a sheet, as (name, reference or expression) like calamine's
    /// `defined_names`. LibreOffice and Gnumeric keep a sheet-scoped name in its sheet's
    /// `<table:table>`, where calamine does not look (it lists the workbook's names only); a
    /// reference without a sheet (`.$A$1`) is given the sheet it is defined in.
    pub local_names: Vec<(String, String)>,
}

/// The [`SheetParts`] of an ods file, read in one pass over its `content.xml`. Empty when the
/// file has no readable `content.xml`; repeated rows and columns are counted, never expanded;
/// XML that cannot be read ends the pass, with what came before it kept.
pub fn sheet_parts(bytes: &[u8]) -> SheetParts {
    let mut out = SheetParts::default();
    let mut content = Vec::new();
    let read = zip::ZipArchive::new(Cursor::new(bytes))
        .ok()
        .and_then(|mut z| {
            let entry = z.by_name("content.xml").ok()?;
            entry
                .take(super::grid::MAX_ENTRY_BYTES)
                .read_to_end(&mut content)
                .ok()
        });
    if read.is_none() {
        return out;
    }
    let mut reader = quick_xml::Reader::from_reader(content.as_slice());
    let mut buf = Vec::new();
    // `sheet` is empty outside a `<table:table>`.
    let (mut sheet, mut row, mut col, mut row_repeat) = (String::new(), 0u64, 0u64, 1u64);
    let num = |v: Option<String>| v.and_then(|v| v.parse::<u64>().ok()).unwrap_or(1).max(1);
    loop {
        let ev = reader.read_event_into(&mut buf);
        let (e, empty) = match &ev {
            Ok(Event::Start(e)) => (e.clone(), false),
            Ok(Event::Empty(e)) => (e.clone(), true),
            Ok(Event::End(e)) => {
                match e.name().as_ref() {
                    "table:table-row" => row += row_repeat,
                    "table:table" => sheet.clear(),
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            "table:table" => {
                sheet = attr(&e, "table:name").unwrap_or_default();
                row = 0;
            }
            "table:table-row" => {
                col = 0;
                row_repeat = num(attr(&e, "table:number-rows-repeated"));
                if empty {
                    row += row_repeat;
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let cols = num(attr(&e, "table:number-columns-spanned"));
                let rows = num(attr(&e, "table:number-rows-spanned"));
                let limit = u64::from(u32::MAX);
                if (cols > 1 || rows > 1) && row + rows < limit && col + cols < limit {
                    out.merges.entry(sheet.clone()).or_default().push((
                        CellRef::new(row as u32, col as u32),
                        CellRef::new((row + rows - 1) as u32, (col + cols - 1) as u32),
                    ));
                }
                col += num(attr(&e, "table:number-columns-repeated"));
            }
            "table:named-range" | "table:named-expression" if !sheet.is_empty() => {
                if let Some(name) = local_name(&e, &sheet) {
                    out.local_names.push(name);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    out
}

/// A name defined in the sheet `sheet`, as (name, reference or expression); `None` when it
/// has neither a name nor what it refers to.
fn local_name(e: &BytesStart<'_>, sheet: &str) -> Option<(String, String)> {
    let name = attr(e, "table:name").filter(|n| !n.is_empty())?;
    let refers_to = attr(e, "table:cell-range-address")
        .or_else(|| attr(e, "table:expression"))
        .filter(|r| !r.is_empty())?;
    // `.$A$1` is a cell of the sheet the name is defined in.
    let refers_to = match refers_to.strip_prefix('.') {
        Some(cell) => format!("$'{}'.{cell}", sheet.replace('\'', "''")),
        None => refers_to,
    };
    Some((name, refers_to))
}

/// The value of the attribute `key` of `e`, unescaped; `None` when it is absent or unreadable.
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

#[cfg(test)]
mod names_inside_sheets {
    use super::calamine_refuses_indentation::ods_with_content;
    use super::sheet_parts;
    use crate::read::record::{from_defined_names, Record};

    /// A `content.xml` with `names` inside the sheet `项目 A` and a workbook-level name.
    fn content(names: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="项目 A"><table:table-row><table:table-cell table:number-columns-spanned="2"/></table:table-row><table:named-expressions>{names}</table:named-expressions></table:table><table:named-expressions><table:named-range table:name="whole_book" table:base-cell-address="$'项目 A'.$A$1" table:cell-range-address="$'项目 A'.$B$2"/></table:named-expressions></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn names_in_a_sheet_are_read_in_every_address_form() {
        // LibreOffice: the sheet unquoted, the base cell on another sheet; Gnumeric: quoted,
        // indented; a reference without a sheet; an expression.
        for (names, sheet) in [
            (
                r#"<table:named-range table:name="jixiao_profile_national" table:base-cell-address="$汇总.$A$1" table:cell-range-address="$项目 A.$A$1"/>"#,
                "项目 A",
            ),
            (
                "\n  <table:named-range table:name=\"jixiao_profile_national\" table:cell-range-address=\"$'It''s'.$A$1\" table:base-cell-address=\"$'It''s'.$A$1\"/>\n",
                "It's",
            ),
            (
                r#"<table:named-range table:name="jixiao_profile_national" table:cell-range-address=".$A$1"/>"#,
                "项目 A",
            ),
            (
                r#"<table:named-expression table:name="jixiao_profile_national" table:expression="of:=[$'项目 A'.$A$1]"/>"#,
                "项目 A",
            ),
        ] {
            let parts = sheet_parts(&ods_with_content(&content(names)));
            assert_eq!(parts.local_names.len(), 1, "{names}");
            let records = from_defined_names(&parts.local_names);
            let want = Record {
                profile: Some("national".into()),
                no_levels: false,
                short_money: None,
            };
            assert_eq!(records.get(sheet), Some(&want), "{names}: {records:?}");
            assert_eq!(parts.merges.get("项目 A").map(Vec::len), Some(1));
        }
    }

    #[test]
    fn a_broken_or_missing_content_gives_no_names() {
        let whole = content(
            r#"<table:named-range table:name="jixiao_grid_no_levels" table:cell-range-address="$'项目 A'.$A$1"/><table:named-range table:name="x"/>"#,
        );
        // A name without what it refers to is left out.
        assert_eq!(sheet_parts(&ods_with_content(&whole)).local_names.len(), 1);
        let cut = &whole[..whole.find("<table:named-range").expect("a name") + 30];
        assert!(sheet_parts(&ods_with_content(cut)).local_names.is_empty());
        assert!(sheet_parts(&ods_with_content("<a></b>"))
            .local_names
            .is_empty());
        assert!(sheet_parts(b"not a zip").local_names.is_empty());
    }
}
