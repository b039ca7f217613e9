//! `content.xml` → a stored (uncompressed) ods → the reader, so the fuzzer mutates the XML
//! (repeated rows and columns, nesting, values) rather than deflate streams.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

const MANIFEST: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" \
manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" \
manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";

fuzz_target!(init: jixiao_fuzz::tolerate_caught_dependency_panics(), |data: &[u8]| {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let ok = zip.start_file("mimetype", opts).is_ok()
        && zip
            .write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .is_ok()
        && zip.start_file("META-INF/manifest.xml", opts).is_ok()
        && zip.write_all(MANIFEST).is_ok()
        && zip.start_file("content.xml", opts).is_ok()
        && zip.write_all(data).is_ok();
    if !ok {
        return;
    }
    let Ok(cursor) = zip.finish() else { return };
    let bytes = cursor.into_inner();
    let path = std::path::Path::new("content.ods");
    if let Err(e) = jixiao::read_bytes(path, &bytes) {
        assert!(e.to_string().contains("content.ods"), "{e}");
    }
});
