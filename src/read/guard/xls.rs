//! The xls guard: a scan of the BIFF records that bounds the sheets' boxes calamine allocates
//! and refuses the records it cannot survive.

use std::io::{Cursor, Read};
use std::path::Path;

use super::{damaged, mib, too_large, DATA, FORMULA, MAX_MATERIALISED_BYTES};
use crate::error::{Error, Result};

/// An xls cell before it is placed in its box: position and value.
const XLS_CELL: u64 = DATA + 8;
/// The last column of an xls sheet (IV).
const XLS_LAST_COLUMN: u32 = 255;

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
pub(super) fn xls_dimensions(path: &Path, data: &[u8]) -> Result<u64> {
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
