//! The zip guard (xlsx, xlsb, ods): every entry inflated once, stopping just past its declared
//! size; more data than declared, or a bad CRC, is refused.

use std::io::Read;
use std::path::Path;

use super::{damaged, too_large};
use crate::error::Result;

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
