//! XML parts → a stored (uncompressed) xlsx → the reader. Mutating compressed bytes rarely
//! reaches the XML parsers; this target mutates the XML itself.
//!
//! Input: the parts separated by `\n@@@@\n`, in the order of `PARTS`. Missing parts are
//! left out of the zip, so the fuzzer also explores workbooks with parts missing. The package
//! relationships (`_rels/.rels`) are always there: without them calamine stops at once.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

const PARTS: &[&str] = &[
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
];

const ROOT_RELS: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" \
Target=\"xl/workbook.xml\"/></Relationships>";

fuzz_target!(init: jixiao_fuzz::tolerate_caught_dependency_panics(), |data: &[u8]| {
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = data;
    let sep: &[u8] = b"\n@@@@\n";
    while let Some(i) = rest.windows(sep.len()).position(|w| w == sep) {
        parts.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    parts.push(rest);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    if zip.start_file("_rels/.rels", opts).is_err() || zip.write_all(ROOT_RELS).is_err() {
        return;
    }
    for (name, body) in PARTS.iter().zip(parts) {
        if body.is_empty() {
            continue;
        }
        if zip.start_file(*name, opts).is_err() || zip.write_all(body).is_err() {
            return;
        }
    }
    let Ok(cursor) = zip.finish() else { return };
    let bytes = cursor.into_inner();
    let path = std::path::Path::new("parts.xlsx");
    if let Err(e) = jixiao::read_bytes(path, &bytes) {
        assert!(e.to_string().contains("parts.xlsx"), "{e}");
    }
});
