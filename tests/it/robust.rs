//! Damaged and hostile inputs: each is an `Error` that names the file and says what is wrong,
//! in bounded time and memory — never a panic, a hang or an abort.
//!
//! The hostile files are made here from the good samples (zip rewrites, raw byte edits, BIFF
//! record edits), into a temporary directory, so the repository holds no zip bomb. Inputs
//! that could blow up memory are also read by the `jixiao` binary under an address-space
//! limit (`prlimit --as`), where an over-allocation aborts instead of swapping.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jixiao::{Document, Error};

use crate::common::sample;

/// Wall-clock bound for reading one hostile file (debug build, shared machine).
const TIME_LIMIT: Duration = Duration::from_secs(20);
/// Address-space bound for the binary reading one hostile file.
const MEMORY_LIMIT: u64 = 2 << 30;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn bytes_of(name: &str) -> Vec<u8> {
    std::fs::read(sample(name)).expect("sample is readable")
}

/// Writes `bytes` as `dir/name` and reads it, within the time limit.
fn read_as(dir: &Path, name: &str, bytes: &[u8]) -> (PathBuf, Result<Document, Error>) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file is writable");
    let start = Instant::now();
    let result = jixiao::read_file(&path);
    let took = start.elapsed();
    assert!(took < TIME_LIMIT, "{name}: took {took:?}");
    (path, result)
}

/// Reads a hostile file that must fail; returns the error text (the temp dir replaced by `…`),
/// after checking that it names the file, and snapshots it.
fn must_fail(name: &str, bytes: &[u8]) -> (Error, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, result) = read_as(dir.path(), name, bytes);
    let err = match result {
        Ok(doc) => panic!(
            "{name}: read {} tables, expected an error",
            doc.tables.len()
        ),
        Err(e) => e,
    };
    let text = err.to_string();
    assert!(
        text.starts_with(&path.display().to_string()),
        "{name}: error does not name the file: {text}"
    );
    assert_eq!(err.path(), Some(path.as_path()));
    // `…/名.xlsx` on every platform (Windows joins with `\`).
    let shown = text.replace(&path.display().to_string(), &format!("…/{name}"));
    // Every hostile file's error text is snapshotted, under the file's (unique) name.
    insta::assert_snapshot!(name, shown);
    (err, shown)
}

/// Reads a file that may be readable or not, but must not panic, hang or lose the file name.
fn must_not_crash(dir: &Path, name: &str, bytes: &[u8]) -> Result<Document, String> {
    let (path, result) = read_as(dir, name, bytes);
    result.map_err(|e| {
        let text = e.to_string();
        assert!(
            text.starts_with(&path.display().to_string()),
            "{name}: error does not name the file: {text}"
        );
        text
    })
}

/// Runs `jixiao import FILE` under an address-space limit; returns (exit code, stderr).
/// `None` when `prlimit` is not installed.
fn import_bounded(path: &Path) -> Option<(i32, String)> {
    let out = std::process::Command::new("prlimit")
        .arg(format!("--as={MEMORY_LIMIT}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_jixiao"))
        .arg("import")
        .arg(path)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or_else(|| {
        panic!(
            "{}: killed by a signal under a {} MiB address-space limit: {stderr}",
            path.display(),
            MEMORY_LIMIT >> 20
        )
    });
    Some((code, stderr))
}

/// Writes `bytes` to a temp file and checks that the binary fails cleanly (exit 2, the file
/// named on stderr) within the memory limit and the time limit.
fn must_fail_bounded(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("temp file is writable");
    let start = Instant::now();
    let Some((code, stderr)) = import_bounded(&path) else {
        // prlimit (util-linux) missing: the in-process test still bounds the time.
        return;
    };
    assert!(
        start.elapsed() < TIME_LIMIT,
        "{name}: took {:?}",
        start.elapsed()
    );
    assert_eq!(code, 2, "{name}: {stderr}");
    assert!(
        stderr.contains(&path.display().to_string()),
        "{name}: {stderr}"
    );
}

/// The entries of a zip, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("sample is a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut body = Vec::new();
            f.read_to_end(&mut body).expect("entry reads");
            (f.name().expect("UTF-8 entry name").to_string(), body)
        })
        .collect()
}

/// Builds a zip (deflated) from entries.
fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in entries {
        w.start_file(name.as_str(), opts).expect("entry starts");
        w.write_all(body).expect("entry writes");
    }
    w.finish().expect("zip finishes").into_inner()
}

/// Rewrites a sample's zip: `edit` may change an entry's body or drop it (returning false).
fn rezip(sample_name: &str, mut edit: impl FnMut(&str, &mut Vec<u8>) -> bool) -> Vec<u8> {
    let mut entries = unzip(&bytes_of(sample_name));
    entries.retain_mut(|(name, body)| edit(name, body));
    zip_of(&entries)
}

/// Replaces `from` by `to` in an XML part (which must contain it).
fn replace(body: &mut Vec<u8>, from: &str, to: &str) {
    let text = String::from_utf8(std::mem::take(body)).expect("XML part is UTF-8");
    assert!(text.contains(from), "part lacks {from:?}");
    *body = text.replacen(from, to, 1).into_bytes();
}

/// The tables of a document with the parts that name the file removed, for comparisons.
fn tables_json(doc: &Document) -> String {
    let mut doc = doc.clone();
    for t in &mut doc.tables {
        t.source.file = String::new();
    }
    serde_json::to_string_pretty(&doc.tables).expect("model serialises")
}

/// A little-endian u16 / u32 at `at`.
fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

// ---------------------------------------------------------------------------------------------
// Zips: truncated, flipped, missing parts
// ---------------------------------------------------------------------------------------------

#[test]
fn truncated_zips_are_damaged() {
    let good = bytes_of("seed-publication.xlsx");
    let n = good.len();
    let mut texts = Vec::new();
    for (i, cut) in [4, 30, 100, n / 10, n / 2, n * 9 / 10, n - 23, n - 1]
        .into_iter()
        .enumerate()
    {
        let (err, text) = must_fail(&format!("截断-{i}.xlsx"), &good[..cut]);
        assert!(
            matches!(err, Error::Damaged { .. }),
            "cut at {cut} of {n}: {text}"
        );
        texts.push(format!("{cut}: {text}"));
    }
    // Every error says the file is damaged or incomplete.
    assert!(
        texts.iter().all(|t| t.contains("文件已损坏或不完整")),
        "{texts:#?}"
    );
}

#[test]
fn truncated_ods_and_xlsb_are_damaged() {
    for name in ["seed-publication.xlsb", "seed-one-per-sheet.ods"] {
        let good = bytes_of(name);
        for (i, cut) in [good.len() / 3, good.len() - 10].into_iter().enumerate() {
            let (err, text) = must_fail(&format!("截断-{i}-{name}"), &good[..cut]);
            assert!(
                matches!(err, Error::Damaged { .. }),
                "{name} cut at {cut}: {text}"
            );
        }
    }
}

#[test]
fn flipped_bytes_in_a_sheet_are_damaged() {
    // Corrupt the deflate stream of the sheet itself: the inflater or the XML parser fails.
    let good = bytes_of("seed-publication.xlsx");
    let mut zip = zip::ZipArchive::new(Cursor::new(&good)).expect("zip");
    let (start, size) = {
        let f = zip.by_name("xl/worksheets/sheet1.xml").expect("sheet");
        (
            f.data_start().expect("data start") as usize,
            f.compressed_size() as usize,
        )
    };
    for (i, at) in [start + 10, start + size / 2, start + size - 5]
        .into_iter()
        .enumerate()
    {
        let mut bad = good.clone();
        bad[at] ^= 0xFF;
        bad[at + 1] ^= 0x5A;
        let (err, text) = must_fail(&format!("翻转-{i}.xlsx"), &bad);
        assert!(matches!(err, Error::Damaged { .. }), "flip at {at}: {text}");
    }
}

#[test]
fn flipped_bytes_anywhere_never_crash() {
    // One flipped byte at many places in every format: read or refuse, never panic or hang.
    let dir = tempfile::tempdir().expect("temp dir");
    for name in [
        "seed-publication.xlsx",
        "seed-publication.xls",
        "seed-publication.xlsb",
        "drift-values.xlsx",
    ] {
        let good = bytes_of(name);
        let step = (good.len() / 60).max(1);
        for at in (0..good.len()).step_by(step) {
            let mut bad = good.clone();
            bad[at] = bad[at].wrapping_add(0x41) ^ 0x10;
            let _ = must_not_crash(dir.path(), name, &bad);
        }
    }
}

#[test]
fn missing_workbook_part_is_a_clear_error() {
    let bytes = rezip("drift-values.xlsx", |name, _| name != "xl/workbook.xml");
    let (err, text) = must_fail("无工作簿.xlsx", &bytes);
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
    assert!(text.contains("xl/workbook.xml"), "{text}");
}

#[test]
fn missing_sheet_part_is_a_clear_error() {
    let bytes = rezip("drift-values.xlsx", |name, _| {
        name != "xl/worksheets/sheet1.xml"
    });
    let (err, text) = must_fail("无工作表.xlsx", &bytes);
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
    assert!(text.contains("网络安全服务"), "names the sheet: {text}");
}

/// `drift-values.xlsx` with its inline strings moved to a shared-string table.
fn with_shared_strings() -> Vec<(String, Vec<u8>)> {
    let mut entries = unzip(&bytes_of("drift-values.xlsx"));
    let mut strings: Vec<String> = Vec::new();
    for (name, body) in &mut entries {
        match name.as_str() {
            "xl/worksheets/sheet1.xml" => {
                let text = String::from_utf8(std::mem::take(body)).expect("UTF-8");
                let mut out = String::new();
                let mut rest = text.as_str();
                let open = " t=\"inlineStr\"><is><t>";
                while let Some(i) = rest.find(open) {
                    let after = &rest[i + open.len()..];
                    let end = after.find("</t></is>").expect("closed inline string");
                    out.push_str(&rest[..i]);
                    out.push_str(&format!(" t=\"s\"><v>{}</v>", strings.len()));
                    strings.push(after[..end].to_string());
                    rest = &after[end + "</t></is>".len()..];
                }
                out.push_str(rest);
                *body = out.into_bytes();
            }
            "xl/_rels/workbook.xml.rels" => replace(
                body,
                "</Relationships>",
                "<Relationship Type=\"http://schemas.openxmlformats.org/officeDocument/2006/\
                 relationships/sharedStrings\" Target=\"sharedStrings.xml\" Id=\"rIdSst\"/>\
                 </Relationships>",
            ),
            _ => {}
        }
    }
    let sst: String = strings
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    entries.push((
        "xl/sharedStrings.xml".into(),
        format!(
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             count=\"{n}\" uniqueCount=\"{n}\">{sst}</sst>",
            n = strings.len()
        )
        .into_bytes(),
    ));
    entries
}

#[test]
fn shared_strings_variant_reads_like_the_original() {
    // The fixture the next test breaks must itself be good.
    let dir = tempfile::tempdir().expect("temp dir");
    let original = must_not_crash(dir.path(), "a.xlsx", &bytes_of("drift-values.xlsx"))
        .expect("original reads");
    let sst = must_not_crash(dir.path(), "b.xlsx", &zip_of(&with_shared_strings()))
        .expect("shared-string variant reads");
    assert_eq!(tables_json(&sst), tables_json(&original));
}

#[test]
fn missing_shared_strings_is_a_clear_error() {
    let mut entries = with_shared_strings();
    entries.retain(|(name, _)| name != "xl/sharedStrings.xml");
    let (_, text) = must_fail("无共享字符串.xlsx", &zip_of(&entries));
    assert!(
        text.contains("sharedStrings") || text.contains("共享字符串"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// Far cells and huge dimensions
// ---------------------------------------------------------------------------------------------

#[test]
fn cell_at_xfd1048576_is_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = must_not_crash(dir.path(), "a.xlsx", &bytes_of("seed-publication.xlsx"))
        .expect("original reads");
    let bytes = rezip("seed-publication.xlsx", |name, body| {
        if name == "xl/worksheets/sheet1.xml" {
            replace(
                body,
                "</sheetData>",
                "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>远处</t></is>\
                 </c></row></sheetData>",
            );
        }
        true
    });
    let stray = must_not_crash(dir.path(), "远处.xlsx", &bytes).expect("stray cell reads");
    assert_eq!(tables_json(&stray), tables_json(&original));
    // And the binary stays within the memory limit while doing it.
    if let Some((code, stderr)) = import_bounded(&dir.path().join("远处.xlsx")) {
        assert_eq!(code, 0, "{stderr}");
    }
}

#[test]
fn huge_declared_dimension_reads_fine() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = must_not_crash(dir.path(), "a.xlsx", &bytes_of("seed-publication.xlsx"))
        .expect("original reads");
    let bytes = rezip("seed-publication.xlsx", |name, body| {
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(std::mem::take(body)).expect("UTF-8");
            let text = match (text.find("<dimension "), text.find("<sheetViews")) {
                (Some(a), _) => {
                    let b = a + text[a..].find("/>").expect("closed") + 2;
                    format!(
                        "{}<dimension ref=\"A1:XFD1048576\"/>{}",
                        &text[..a],
                        &text[b..]
                    )
                }
                (None, Some(a)) => format!(
                    "{}<dimension ref=\"A1:XFD1048576\"/>{}",
                    &text[..a],
                    &text[a..]
                ),
                (None, None) => panic!("sheet has neither dimension nor sheetViews"),
            };
            *body = text.into_bytes();
        }
        true
    });
    let doc = must_not_crash(dir.path(), "巨大范围.xlsx", &bytes).expect("reads");
    assert_eq!(tables_json(&doc), tables_json(&original));
    if let Some((code, stderr)) = import_bounded(&dir.path().join("巨大范围.xlsx")) {
        assert_eq!(code, 0, "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// Zip bombs
// ---------------------------------------------------------------------------------------------

/// Offsets of the local and central headers of `entry` in a zip written by `zip_of`.
fn header_offsets(zip: &[u8], entry: &str) -> (usize, usize) {
    let find = |sig: &[u8], name_at: usize| {
        (0..zip.len() - name_at)
            .find(|&i| {
                zip[i..].starts_with(sig) && {
                    let name_len = u16_at(zip, i + name_at - 4) as usize;
                    let extra = if sig == b"PK\x01\x02" { 46 } else { 30 };
                    zip.get(i + extra..i + extra + name_len) == Some(entry.as_bytes())
                }
            })
            .expect("header found")
    };
    (find(b"PK\x03\x04", 30), find(b"PK\x01\x02", 32))
}

#[test]
fn zip_bomb_with_declared_size_is_refused() {
    let mut bytes = rezip("drift-values.xlsx", |_, _| true);
    let (local, central) = header_offsets(&bytes, "xl/worksheets/sheet1.xml");
    // Declare 3 GiB uncompressed in both headers.
    put_u32(&mut bytes, local + 22, 3 << 30);
    put_u32(&mut bytes, central + 24, 3 << 30);
    let (err, text) = must_fail("炸弹.xlsx", &bytes);
    assert!(matches!(err, Error::TooLarge { .. }), "{text}");
    assert!(text.contains("压缩炸弹"), "{text}");
}

/// A raw deflate stream of `prefix`, then `count` × 258 copies of its last byte, then
/// `suffix`: ~1,000:1, so hundreds of MiB from a few hundred KiB, made in milliseconds.
fn deflate_bomb(prefix: &[u8], count: usize, suffix: &[u8]) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, len: u32) {
            self.acc |= u64::from(value) << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code: sent most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            let rev = code.reverse_bits() >> (32 - len);
            self.put(rev, len);
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + u32::from(b), 8);
            } else {
                self.code(0x190 + u32::from(b) - 144, 9);
            }
        }
    }
    let mut w = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    w.put(1, 1); // final block
    w.put(1, 2); // fixed Huffman codes
    for &b in prefix {
        w.literal(b);
    }
    for _ in 0..count {
        w.code(0b1100_0101, 8); // length 258 (code 285)
        w.code(0, 5); // distance 1
    }
    for &b in suffix {
        w.literal(b);
    }
    w.code(0, 7); // end of block
    w.put(0, 7);
    w.out
}

/// A zip with one deflated entry whose headers say `declared` bytes.
fn zip_with_raw_entry(
    others: &[(String, Vec<u8>)],
    name: &str,
    deflated: &[u8],
    declared: u32,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut count = 0u16;
    let mut add = |out: &mut Vec<u8>, name: &str, method: u16, data: &[u8], size: u32, crc| {
        let offset = out.len() as u32;
        let mut local = Vec::new();
        local.extend_from_slice(b"PK\x03\x04");
        local.extend_from_slice(&[20, 0, 0, 0]);
        local.extend_from_slice(&method.to_le_bytes());
        local.extend_from_slice(&[0, 0, 0x21, 0]);
        local.extend_from_slice(&u32::to_le_bytes(crc));
        local.extend_from_slice(&(data.len() as u32).to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&(name.len() as u16).to_le_bytes());
        local.extend_from_slice(&[0, 0]);
        local.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&local);
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&[20, 0]);
        central.extend_from_slice(&local[4..30]);
        // Comment length, disk, internal and external attributes.
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
        count += 1;
    };
    for (n, body) in others {
        add(&mut out, n, 0, body, body.len() as u32, crc32(body));
    }
    add(&mut out, name, 8, deflated, declared, 0);
    let cd_offset = out.len() as u32;
    let cd_len = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The parts of `drift-values.xlsx` other than its sheet.
fn parts_but_sheet() -> Vec<(String, Vec<u8>)> {
    let mut entries = unzip(&bytes_of("drift-values.xlsx"));
    entries.retain(|(n, _)| n != "xl/worksheets/sheet1.xml");
    entries
}

#[test]
fn zip_bomb_with_lying_size_is_refused() {
    // The headers say 2 KB; the stream inflates to ~600 MiB of one cell's text.
    let prefix = b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
        <sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a";
    let suffix = b"</t></is></c></row></sheetData></worksheet>";
    let bomb = deflate_bomb(prefix, 600 << 20 >> 8, suffix);
    let bytes = zip_with_raw_entry(&parts_but_sheet(), "xl/worksheets/sheet1.xml", &bomb, 2048);
    must_fail_bounded("谎报炸弹.xlsx", &bytes);
    let (err, text) = must_fail("谎报炸弹.xlsx", &bytes);
    assert!(
        matches!(err, Error::TooLarge { .. } | Error::Damaged { .. }),
        "{text}"
    );
}

#[test]
fn shared_string_amplification_is_bounded() {
    // One 1 MiB shared string, referenced by 200,000 cells: 200 GB if every cell copied it.
    let mut entries = with_shared_strings();
    for (name, body) in &mut entries {
        match name.as_str() {
            "xl/sharedStrings.xml" => replace(
                body,
                "<si>",
                &format!("<si><t>{}</t></si><si>", "长".repeat(350_000)),
            ),
            "xl/worksheets/sheet1.xml" => {
                // Shift every existing index by one and add the far rows.
                let text = String::from_utf8(std::mem::take(body)).expect("UTF-8");
                let mut out = String::new();
                let mut rest = text.as_str();
                while let Some(i) = rest.find(" t=\"s\"><v>") {
                    let after = &rest[i + 10..];
                    let end = after.find('<').expect("closed");
                    let n: usize = after[..end].parse().expect("index");
                    out.push_str(&rest[..i + 10]);
                    out.push_str(&(n + 1).to_string());
                    rest = &after[end..];
                }
                out.push_str(rest);
                let rows: String = (0..2_000)
                    .map(|r| {
                        let cells: String = (0..100)
                            .map(|c| format!("<c r=\"{}\" t=\"s\"><v>0</v></c>", cell(r + 200, c)))
                            .collect();
                        format!("<row r=\"{}\">{cells}</row>", r + 201)
                    })
                    .collect();
                out = out.replacen("</sheetData>", &format!("{rows}</sheetData>"), 1);
                *body = out.into_bytes();
            }
            _ => {}
        }
    }
    let bytes = zip_of(&entries);
    must_fail_bounded("放大.xlsx", &bytes);
    let (err, text) = must_fail("放大.xlsx", &bytes);
    assert!(matches!(err, Error::TooLarge { .. }), "{text}");
}

fn cell(row: u32, col: u32) -> String {
    format!("{}{}", jixiao::cell::col_name(col), row + 1)
}

// ---------------------------------------------------------------------------------------------
// Deeply nested XML
// ---------------------------------------------------------------------------------------------

#[test]
fn deeply_nested_xml_in_a_sheet() {
    let depth = 200_000;
    let nest = format!("{}{}", "<x>".repeat(depth), "</x>".repeat(depth));
    let bytes = rezip("drift-values.xlsx", |name, body| {
        if name == "xl/worksheets/sheet1.xml" {
            replace(body, "<sheetData>", &format!("{nest}<sheetData>"));
        }
        true
    });
    let dir = tempfile::tempdir().expect("temp dir");
    // Unknown elements may be skipped (the table still reads) or refused; never a stack
    // overflow.
    let _ = must_not_crash(dir.path(), "嵌套.xlsx", &bytes);
    let unclosed = rezip("drift-values.xlsx", |name, body| {
        if name == "xl/worksheets/sheet1.xml" {
            replace(
                body,
                "<sheetData>",
                &format!("{}<sheetData>", "<x>".repeat(depth)),
            );
        }
        true
    });
    let _ = must_not_crash(dir.path(), "未闭合.xlsx", &unclosed);
}

#[test]
fn deeply_nested_xml_in_shared_strings_and_ods() {
    let depth = 200_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut entries = with_shared_strings();
    for (name, body) in &mut entries {
        if name == "xl/sharedStrings.xml" {
            replace(
                body,
                "<si>",
                &format!(
                    "<si>{}{}</si><si>",
                    "<r>".repeat(depth),
                    "</r>".repeat(depth)
                ),
            );
        }
    }
    let _ = must_not_crash(dir.path(), "嵌套共享.xlsx", &zip_of(&entries));

    let mut ods = unzip(&bytes_of("seed-one-per-sheet.ods"));
    for (name, body) in &mut ods {
        if name == "content.xml" {
            replace(
                body,
                "<text:p>",
                &format!(
                    "<text:p>{}深{}",
                    "<text:span>".repeat(depth),
                    "</text:span>".repeat(depth)
                ),
            );
        }
    }
    let _ = must_not_crash(dir.path(), "嵌套.ods", &zip_of(&ods));
}

// ---------------------------------------------------------------------------------------------
// .ods repeats
// ---------------------------------------------------------------------------------------------

/// An ods whose only sheet has `rows` (the content of `<table:table>`).
fn ods_with(rows: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"表1\">{rows}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    w.start_file("mimetype", stored).expect("entry");
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    w.start_file("META-INF/manifest.xml", deflated)
        .expect("entry");
    w.write_all(ODS_MANIFEST.as_bytes()).expect("write");
    w.start_file("content.xml", deflated).expect("entry");
    w.write_all(content.as_bytes()).expect("write");
    w.finish().expect("zip").into_inner()
}

const ODS_MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
    <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" \
    manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" \
    manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
    <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
    </manifest:manifest>";

const ODS_TEXT: &str = "<table:table-cell office:value-type=\"string\"><text:p>项目名称</text:p>\
                        </table:table-cell>";

#[test]
fn ods_trailing_empty_repeats_are_cheap() {
    // What LibreOffice writes at the end of every sheet: a million empty rows of 1,024 cells.
    let rows = format!(
        "<table:table-row>{ODS_TEXT}</table:table-row>\
         <table:table-row table:number-rows-repeated=\"1048575\">\
         <table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
    );
    let (err, text) = must_fail("尾部空行.ods", &ods_with(&rows));
    // Read fine: the only complaint is that there is no table.
    assert!(matches!(err, Error::NoTable { .. }), "{text}");
}

#[test]
fn ods_huge_repeats_of_a_value_are_refused() {
    // One text cell repeated across every column of a million rows: calamine would expand it.
    let rows = "<table:table-row table:number-rows-repeated=\"1048576\">\
        <table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"16384\">\
        <text:p>项目名称</text:p></table:table-cell></table:table-row>";
    must_fail_bounded("重复.ods", &ods_with(rows));
    let (err, text) = must_fail("重复.ods", &ods_with(rows));
    assert!(matches!(err, Error::TooLarge { .. }), "{text}");
}

#[test]
fn ods_many_full_width_rows_are_refused() {
    // 3,000 distinct rows, each one value repeated across all 16,384 columns: 49 M cells
    // materialised while parsing, ~3 GB.
    let row = "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\" \
               table:number-columns-repeated=\"16384\"/></table:table-row>";
    let rows = format!(
        "<table:table-row>{ODS_TEXT}</table:table-row>{}",
        row.repeat(3_000)
    );
    must_fail_bounded("宽行.ods", &ods_with(&rows));
    let (err, text) = must_fail("宽行.ods", &ods_with(&rows));
    assert!(matches!(err, Error::TooLarge { .. }), "{text}");
}

#[test]
fn ods_value_after_huge_empty_gap_is_refused() {
    // A value far down and far right, after repeated empty rows and columns: the bounding box
    // is what calamine materialises.
    let rows = format!(
        "<table:table-row>{ODS_TEXT}</table:table-row>\
         <table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell/>\
         </table:table-row><table:table-row>\
         <table:table-cell table:number-columns-repeated=\"16000\"/>{ODS_TEXT}</table:table-row>"
    );
    must_fail_bounded("远处.ods", &ods_with(&rows));
    let (err, text) = must_fail("远处.ods", &ods_with(&rows));
    assert!(matches!(err, Error::TooLarge { .. }), "{text}");
}

// ---------------------------------------------------------------------------------------------
// .xls (CFB / BIFF)
// ---------------------------------------------------------------------------------------------

#[test]
fn truncated_xls_is_damaged() {
    let good = bytes_of("seed-publication.xls");
    let n = good.len();
    for (i, cut) in [8, 512, 1024, n / 2, n - 512, n - 1]
        .into_iter()
        .enumerate()
    {
        let (err, text) = must_fail(&format!("截断-{i}.xls"), &good[..cut]);
        assert!(matches!(err, Error::Damaged { .. }), "cut at {cut}: {text}");
    }
}

/// The Workbook stream of an xls.
fn workbook_stream(xls: &[u8]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(xls)).expect("cfb");
    let mut stream = Vec::new();
    cfb.open_stream("/Workbook")
        .expect("Workbook stream")
        .read_to_end(&mut stream)
        .expect("reads");
    stream
}

/// A new xls holding just this Workbook stream.
fn xls_of(stream: &[u8]) -> Vec<u8> {
    // Version 3 (512-byte sectors), as Excel writes: calamine reads only that.
    let mut cfb = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .expect("cfb");
    cfb.create_stream("/Workbook")
        .expect("stream")
        .write_all(stream)
        .expect("writes");
    cfb.flush().expect("flush");
    cfb.into_inner().into_inner()
}

/// The BIFF records of a stream: (offset, type, length).
fn records(stream: &[u8]) -> Vec<(usize, u16, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 4 <= stream.len() {
        let typ = u16_at(stream, at);
        let len = u16_at(stream, at + 2) as usize;
        out.push((at, typ, len));
        at += 4 + len;
    }
    out
}

#[test]
fn xls_rebuilt_stream_reads_like_the_original() {
    // The fixture the next tests edit must itself be good.
    let dir = tempfile::tempdir().expect("temp dir");
    let good = bytes_of("seed-publication.xls");
    let original = must_not_crash(dir.path(), "a.xls", &good).expect("original reads");
    let rebuilt = must_not_crash(dir.path(), "b.xls", &xls_of(&workbook_stream(&good)))
        .expect("rebuilt reads");
    assert_eq!(tables_json(&rebuilt), tables_json(&original));
}

#[test]
fn garbled_xls_never_crashes() {
    // Flip bytes all over the Workbook stream (record headers, string tables, cells).
    let dir = tempfile::tempdir().expect("temp dir");
    let stream = workbook_stream(&bytes_of("seed-publication.xls"));
    let step = (stream.len() / 150).max(1);
    let mut refused = 0;
    for at in (0..stream.len()).step_by(step) {
        let mut bad = stream.clone();
        bad[at] ^= 0xA5;
        if must_not_crash(dir.path(), "乱码.xls", &xls_of(&bad)).is_err() {
            refused += 1;
        }
    }
    assert!(refused > 0);
    // Garbage in place of the whole stream.
    let noise: Vec<u8> = (0..stream.len()).map(|i| (i * 7919 % 251) as u8).collect();
    let (err, text) = must_fail("噪声.xls", &xls_of(&noise));
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
}

#[test]
fn xls_huge_dimensions_record_is_refused_or_ignored() {
    // DIMENSIONS with the largest rows and columns, and with its first row after its last
    // (calamine computes last - first + 1 and reserves that many cells).
    let good = workbook_stream(&bytes_of("seed-publication.xls"));
    let dims: Vec<usize> = records(&good)
        .into_iter()
        .filter(|&(_, typ, len)| typ == 0x0200 && len >= 14)
        .map(|(at, _, _)| at + 4)
        .collect();
    assert!(!dims.is_empty(), "sample has a DIMENSIONS record");
    for (rf, rl, cf, cl) in [
        (0, u32::MAX, 0, 0xFF),
        (0, 0x0010_0000, 0, 0x4000),
        (100, 2, 0, 10),
        (0, u32::MAX, 0, 0xFFFF),
    ] {
        let mut s = good.clone();
        for &at in &dims {
            put_u32(&mut s, at, rf);
            put_u32(&mut s, at + 4, rl);
            put_u16(&mut s, at + 8, cf);
            put_u16(&mut s, at + 10, cl);
        }
        let bytes = xls_of(&s);
        let dir = tempfile::tempdir().expect("temp dir");
        match must_not_crash(dir.path(), "巨大范围.xls", &bytes) {
            Ok(doc) => assert_eq!(doc.tables.len(), 10),
            Err(text) => assert!(text.contains("范围"), "{text}"),
        }
        let path = dir.path().join("巨大范围.xls");
        if let Some((code, stderr)) = import_bounded(&path) {
            assert!(code == 0 || code == 2, "{stderr}");
        }
    }
}

/// The seed xls with one more NUMBER record at (row, col) in its last sheet.
fn xls_with_far_cell(row: u16, col: u16) -> Vec<u8> {
    let stream = workbook_stream(&bytes_of("seed-publication.xls"));
    let (last_eof, _, _) = *records(&stream)
        .iter()
        .rev()
        .find(|r| r.1 == 0x000A)
        .expect("EOF record");
    let mut number = vec![0x03, 0x02, 14, 0];
    number.extend_from_slice(&row.to_le_bytes());
    number.extend_from_slice(&col.to_le_bytes());
    number.extend_from_slice(&[15, 0]);
    number.extend_from_slice(&1.0f64.to_le_bytes());
    let mut s = stream[..last_eof].to_vec();
    s.extend_from_slice(&number);
    s.extend_from_slice(&stream[last_eof..]);
    xls_of(&s)
}

#[test]
fn xls_cell_at_the_last_row_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A stray cell some way off reads, the stray cell ignored.
    let doc = must_not_crash(dir.path(), "稍远.xls", &xls_with_far_cell(5_000, 0xFF))
        .expect("far cell reads");
    assert_eq!(doc.tables.len(), 10);
    // IV65536, the last cell of an xls sheet: calamine would allocate the whole sheet (537 MB)
    // and clone it; refused with the range named.
    let bytes = xls_with_far_cell(0xFFFF, 0xFF);
    must_fail_bounded("远处.xls", &bytes);
    let (err, text) = must_fail("远处.xls", &bytes);
    assert!(matches!(err, Error::TooLarge { .. }), "{text}");
    assert!(
        text.contains(":IV65536") && text.contains("孤立单元格"),
        "{text}"
    );
    // A column no xls can have (65535): refused, not a 137 GB allocation.
    let bytes = xls_with_far_cell(0xFFFF, 0xFFFF);
    must_fail_bounded("越界.xls", &bytes);
    let (err, text) = must_fail("越界.xls", &bytes);
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
    assert!(text.contains("256 列"), "{text}");
}

#[test]
fn fuzz_xls_cell_beyond_column_iv() {
    // Found by fuzzing (slow unit, 11 s, 1.1 GB): a cell at column 65,534 in row 279 of a
    // real table made calamine allocate a 279 × 65,535 box. Now refused at once.
    let bytes = xls_with_far_cell(278, 65_534);
    let (err, text) = must_fail("远列.xls", &bytes);
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
    assert!(text.contains("256 列"), "{text}");
}

#[test]
fn xls_wrong_code_page() {
    let good = workbook_stream(&bytes_of("seed-publication.xls"));
    let cp = records(&good)
        .into_iter()
        .find(|&(_, typ, len)| typ == 0x0042 && len == 2)
        .map(|(at, _, _)| at + 4)
        .expect("CODEPAGE record");
    let dir = tempfile::tempdir().expect("temp dir");
    // GBK (936) instead of UTF-16 (1200): BIFF8 strings are Unicode, so the text still reads.
    let mut s = good.clone();
    put_u16(&mut s, cp, 936);
    let doc = must_not_crash(dir.path(), "gbk.xls", &xls_of(&s)).expect("GBK code page reads");
    assert_eq!(doc.tables.len(), 10);
    // A code page that does not exist: read or refused with a clear error.
    for bogus in [0x7777u16, 0, 0xFFFF] {
        let mut s = good.clone();
        put_u16(&mut s, cp, bogus);
        if let Err(text) = must_not_crash(dir.path(), "代码页.xls", &xls_of(&s)) {
            assert!(
                text.contains("代码页") || text.contains("code page"),
                "{text}"
            );
        }
    }
}

#[test]
fn word_document_in_cfb_is_not_a_workbook() {
    let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
    cfb.create_stream("/WordDocument")
        .expect("stream")
        .write_all(&[0u8; 600])
        .expect("writes");
    cfb.flush().expect("flush");
    let bytes = cfb.into_inner().into_inner();
    let (err, text) = must_fail("文档.xls", &bytes);
    assert!(matches!(err, Error::NotWorkbook { .. }), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Crashes found by fuzzing (fuzz/), each rebuilt from a good sample with a valid CRC
// ---------------------------------------------------------------------------------------------

/// The records of an xlsb part: (type, offset of the data, data length).
fn xlsb_records(part: &[u8]) -> Vec<(u32, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < part.len() {
        let mut typ = u32::from(part[at] & 0x7F);
        if part[at] & 0x80 != 0 {
            typ |= u32::from(part[at + 1] & 0x7F) << 7;
            at += 1;
        }
        at += 1;
        let mut len = 0usize;
        for i in 0..4 {
            let b = part[at];
            at += 1;
            len |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        out.push((typ, at, len));
        at += len;
    }
    out
}

#[test]
fn fuzz_xlsb_shared_string_index_out_of_range() {
    // calamine indexes the shared strings with the cell's isst unchecked
    // (xlsb/cells_reader.rs:151): a panic, now a damaged-file error.
    let bytes = rezip("seed-publication.xlsb", |name, body| {
        if name == "xl/worksheets/sheet1.bin" {
            let (_, at, _) = *xlsb_records(body)
                .iter()
                .find(|r| r.0 == 7 && r.2 == 12)
                .expect("a BrtCellIsst record");
            put_u32(body, at + 8, 0x00FF_FFFF);
        }
        true
    });
    let (err, text) = must_fail("共享字符串越界.xlsb", &bytes);
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
    assert!(
        text.contains("记录互相矛盾") && !text.contains("index"),
        "{text}"
    );
}

#[test]
fn prop_huge_amount_in_yi_table_does_not_overflow() {
    // Found by the property tests: 亿元 → 万元 multiplied without a bound, and a decimal
    // overflow panics. A table in 亿元 with an absurd amount now reads (saturated).
    let bytes = rezip("drift-values.xlsx", |name, body| {
        if name == "xl/worksheets/sheet1.xml" {
            replace(body, "单位：万元", "单位：亿元");
            replace(
                body,
                "<c r=\"D7\" s=\"8\" t=\"n\"><v>45</v></c>",
                "<c r=\"D7\" s=\"8\" t=\"n\"><v>7E+28</v></c>",
            );
            replace(body, "<v>45</v>", "<v>79228162514264337593543950335</v>");
        }
        true
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let doc = must_not_crash(dir.path(), "亿元.xlsx", &bytes).expect("reads");
    assert_eq!(doc.tables.len(), 1);
}

/// The seed xls's Workbook stream, with `edit` applied to its records in place.
fn xls_edited(edit: impl FnOnce(&mut Vec<u8>, &[(usize, u16, usize)])) -> Vec<u8> {
    let mut stream = workbook_stream(&bytes_of("seed-publication.xls"));
    let recs = records(&stream);
    edit(&mut stream, &recs);
    xls_of(&stream)
}

#[test]
fn fuzz_xls_short_defined_name_record() {
    // Found by fuzzing: calamine reads a defined name (Lbl) record's fields unchecked
    // (xls.rs:838, index out of bounds). Here the 2-byte CODEPAGE record is retyped as Lbl.
    let bytes = xls_edited(|s, recs| {
        let (at, _, _) = *recs
            .iter()
            .find(|r| r.1 == 0x0042 && r.2 == 2)
            .expect("CODEPAGE record");
        put_u16(s, at, 0x0018);
    });
    let (err, text) = must_fail("短名称记录.xls", &bytes);
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
    assert!(
        text.contains("记录互相矛盾") && !text.contains("index"),
        "{text}"
    );
}

#[test]
fn fuzz_xls_formula_longer_than_its_record() {
    // Found by fuzzing: a FORMULA record whose token length runs past the record end
    // (xls.rs:1531, slice out of range). Appended to the last sheet.
    let bytes = {
        let stream = workbook_stream(&bytes_of("seed-publication.xls"));
        let (last_eof, _, _) = *records(&stream)
            .iter()
            .rev()
            .find(|r| r.1 == 0x000A)
            .expect("EOF record");
        let mut data = Vec::new();
        data.extend_from_slice(&3u16.to_le_bytes()); // row
        data.extend_from_slice(&1u16.to_le_bytes()); // column
        data.extend_from_slice(&15u16.to_le_bytes()); // XF
        data.extend_from_slice(&1.0f64.to_le_bytes()); // cached value
        data.extend_from_slice(&[0; 6]); // flags, chn
        data.extend_from_slice(&0xFFFFu16.to_le_bytes()); // cce: far more than follows
        data.extend_from_slice(&[0x1E, 0x01, 0x00]); // PtgInt 1
        let mut rec = vec![0x06, 0x00];
        rec.extend_from_slice(&(data.len() as u16).to_le_bytes());
        rec.extend_from_slice(&data);
        let mut s = stream[..last_eof].to_vec();
        s.extend_from_slice(&rec);
        s.extend_from_slice(&stream[last_eof..]);
        xls_of(&s)
    };
    let (err, text) = must_fail("公式越界.xls", &bytes);
    assert!(matches!(err, Error::Damaged { .. }), "{text}");
    assert!(
        text.contains("记录互相矛盾") && !text.contains("range"),
        "{text}"
    );
}

#[test]
fn fuzz_xlsx_cell_reference_overflows() {
    // Found by fuzzing: calamine accumulates a cell reference's column and row in a u32
    // unchecked (xlsx/mod.rs:3096, overflow): a panic in debug builds, a wrapped position in
    // release. Either way: read or refused, never a crash.
    let dir = tempfile::tempdir().expect("temp dir");
    for r in ["ZZZZZZZZZZZZZZ1", "A99999999999999", "ZZZZZZZZ4294967296"] {
        let bytes = rezip("drift-values.xlsx", |name, body| {
            if name == "xl/worksheets/sheet1.xml" {
                replace(
                    body,
                    "</sheetData>",
                    &format!(
                        "<row r=\"300\"><c r=\"{r}\" t=\"inlineStr\"><is><t>远</t></is></c>\
                         </row></sheetData>"
                    ),
                );
            }
            true
        });
        let _ = must_not_crash(dir.path(), "引用溢出.xlsx", &bytes);
    }
}

#[test]
fn fuzz_ods_table_without_end_tag() {
    // Found by fuzzing (timeout): calamine reads an ods table until `</table:table>` and treats
    // the end of the file as just another event, so a table left open loops forever. The
    // fuzzer garbled the end tag; a file cut inside content.xml (re-zipped) does the same.
    for (i, end) in ["</table:tab       e:named-expressions/>", ""]
        .into_iter()
        .enumerate()
    {
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <office:document-content \
             xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
             <office:body><office:spreadsheet><table:table table:name=\"表1\">\
             <table:table-row>{ODS_TEXT}</table:table-row>{end}\
             </office:spreadsheet></office:body></office:document-content>"
        );
        let mut ods = unzip(&ods_with(""));
        for (name, body) in &mut ods {
            if name == "content.xml" {
                *body = content.clone().into_bytes();
            }
        }
        let (err, text) = must_fail(&format!("未结束-{i}.ods"), &zip_of(&ods));
        assert!(matches!(err, Error::Damaged { .. }), "{text}");
        assert!(text.contains("table:table"), "{text}");
    }
}

#[test]
fn ods_space_run_is_refused() {
    // `<text:s text:c="N"/>` stands for N spaces; calamine writes them all out (4 GB here).
    let rows = format!(
        "<table:table-row>{ODS_TEXT}<table:table-cell office:value-type=\"string\"><text:p>甲\
         <text:s text:c=\"4000000000\"/>乙</text:p></table:table-cell></table:table-row>"
    );
    must_fail_bounded("空格.ods", &ods_with(&rows));
    let (err, text) = must_fail("空格.ods", &ods_with(&rows));
    assert!(matches!(err, Error::TooLarge { .. }), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Files other tools make (tests/data/other-tools): what calamine reads, jixiao reads
// ---------------------------------------------------------------------------------------------

fn other_tool(name: &str) -> PathBuf {
    crate::common::root()
        .join("tests/data/other-tools")
        .join(name)
}

#[test]
fn other_tools_chart_sheets_are_skipped_and_the_tables_read() {
    let doc = crate::common::read(&other_tool("chartsheet.xlsx"));
    assert_eq!(doc.tables.len(), 10);
    assert!(doc.tables.iter().all(|t| t.source.sheet != "资金图表"));
}

#[test]
fn other_tools_workbooks_are_read_whatever_their_packaging() {
    for (name, worksheets) in [
        ("calamine-any_sheets.xlsx", "Visible、Hidden、VeryHidden"),
        ("calamine-any_sheets.xlsb", "Visible、Hidden、VeryHidden"),
        ("calamine-any_sheets.xls", "Visible、Hidden、VeryHidden"),
        ("calamine-issue438.xlsx", "Sheet1"),
        ("calamine-capitalized_wbook_stream.xls", "Sheet1"),
        ("calamine-minimal_package.xlsx", "Sheet1"),
        ("calamine-issue_530.xlsx", "出勤分类组织汇总表"),
    ] {
        // Read through: no performance table in them, and the error lists the worksheets
        // searched (chart sheets left out).
        match jixiao::read_file(&other_tool(name)) {
            Err(Error::NoTable { sheets, .. }) => assert_eq!(sheets, worksheets, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn other_tools_password_protected_files_are_encrypted() {
    for name in ["calamine-issue_385.xls", "calamine-pass_protected.ods"] {
        let e = jixiao::read_file(&other_tool(name));
        assert!(matches!(e, Err(Error::Encrypted { .. })), "{name}: {e:?}");
        let text = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("加密"), "{text}");
    }
}

/// Every fixture calamine opens and reads every worksheet of, jixiao reads too (a table or
/// "no table", never damaged or refused).
#[test]
fn other_tools_nothing_calamine_reads_is_refused() {
    use calamine::Reader;
    let dir = crate::common::root().join("tests/data/other-tools");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["xlsx", "xlsb", "xls", "ods"].contains(&ext) {
            continue;
        }
        let Ok(mut wb) = calamine::open_workbook_auto(&path) else {
            continue;
        };
        let worksheets: Vec<String> = wb
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| s.name.clone())
            .collect();
        if worksheets.iter().any(|n| wb.worksheet_range(n).is_err()) {
            continue;
        }
        checked += 1;
        match jixiao::read_file(&path) {
            Ok(_) | Err(Error::NoTable { .. }) => {}
            Err(e) => panic!("calamine reads {}, jixiao refuses it: {e}", path.display()),
        }
    }
    assert!(checked >= 7, "only {checked} fixtures checked");
}
