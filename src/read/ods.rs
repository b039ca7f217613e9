//! OpenDocument spreadsheets that calamine refuses as they are but every office suite opens.
//!
//! Gnumeric's `ssconvert` indents `content.xml`: it puts whitespace text between the cells of a
//! row, the rows of a table and the tables of the body. The format allows it (it is not text
//! content: only the text inside `text:p` and its children is), LibreOffice and Gnumeric read
//! such files, and calamine 0.38 fails on them. [`normalise`] removes that indentation, leaving
//! every text paragraph as it was, and gives back an archive calamine reads. It is used only
//! after calamine has refused the file, so files it reads cost nothing more.

use std::io::{Cursor, Read, Write};

use quick_xml::events::Event;

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

/// The merged ranges of each sheet of an ods file (cells spanning columns or rows), by sheet
/// name, as (top-left, bottom-right) in absolute coordinates. Empty when the file has no
/// readable `content.xml`; repeated rows and columns are counted, never expanded.
pub fn merges(
    bytes: &[u8],
) -> std::collections::HashMap<String, Vec<(crate::cell::CellRef, crate::cell::CellRef)>> {
    use crate::cell::CellRef;
    let mut out: std::collections::HashMap<String, Vec<(CellRef, CellRef)>> =
        std::collections::HashMap::new();
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
    let (mut sheet, mut row, mut col, mut row_repeat) = (String::new(), 0u64, 0u64, 1u64);
    let attr = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
            .map(|v| v.into_owned())
    };
    let num = |v: Option<String>| v.and_then(|v| v.parse::<u64>().ok()).unwrap_or(1).max(1);
    loop {
        let ev = reader.read_event_into(&mut buf);
        let (e, empty) = match &ev {
            Ok(Event::Start(e)) => (e.clone(), false),
            Ok(Event::Empty(e)) => (e.clone(), true),
            Ok(Event::End(e)) => {
                if e.name().as_ref() == "table:table-row" {
                    row += row_repeat;
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
                    out.entry(sheet.clone()).or_default().push((
                        CellRef::new(row as u32, col as u32),
                        CellRef::new((row + rows - 1) as u32, (col + cols - 1) as u32),
                    ));
                }
                col += num(attr(&e, "table:number-columns-repeated"));
            }
            _ => {}
        }
        buf.clear();
    }
    out
}
