//! Reading: bytes → sheets ([`grid`]) → labelled fields ([`labels`], [`locate`]) → model.
//!
//! [`read_file`] reads one workbook of any supported format into a [`Document`]: every table
//! on every sheet, and the reader's notices (what it changed of what was typed) as info
//! findings. Sheets that hold no table are skipped silently.

pub mod grid;
pub mod guard;
pub mod labels;
pub mod locate;
pub mod values;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Document;

pub use grid::Format;

/// Reads one workbook file.
///
/// # Errors
/// When the file cannot be read, is not a workbook, is encrypted, damaged, too large, or
/// holds no performance table.
pub fn read_file(path: &Path) -> Result<Document> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() > grid::MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            detail: format!(
                "文件 {} MiB，超过上限 {} MiB",
                meta.len() >> 20,
                grid::MAX_FILE_BYTES >> 20
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_bytes(path, &bytes)
}

/// Reads a workbook from bytes; `path` names it in the model and in errors.
///
/// # Errors
/// As [`read_file`].
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<Document> {
    let format = grid::sniff(path, bytes)?;
    let sheets = guard::catch_parser_panic(path, || grid::load_sheets(path, bytes, format))?;
    let file = path.display().to_string();
    let mut doc = Document::default();
    for sheet in &sheets {
        for located in locate::locate_tables(sheet, &file) {
            let index = doc.tables.len();
            doc.discrepancies
                .extend(located.notices.into_iter().map(|mut f| {
                    f.table = Some(index);
                    f
                }));
            doc.tables.push(located.table);
        }
    }
    if doc.tables.is_empty() {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::NoTable {
            path: path.to_path_buf(),
            sheets: if names.is_empty() {
                "无".into()
            } else {
                names.join("、")
            },
        });
    }
    Ok(doc)
}

/// The file extensions searched for in directories.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods"];

#[cfg(feature = "native")]
/// Expands files and directories into the workbook files to read, in a stable order.
/// Directories are searched recursively for the supported extensions; files given by name are
/// kept whatever their extension (the format is decided from the content).
///
/// # Errors
/// When a named path does not exist.
pub fn collect_inputs(paths: &[std::path::PathBuf]) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<_> = walkdir::WalkDir::new(p)
                .follow_links(true)
                .into_iter()
                .filter_map(std::result::Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .filter(|f| is_workbook_name(f))
                .collect();
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(Error::Io {
                path: p.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "文件或目录不存在"),
            });
        }
    }
    Ok(out)
}

/// True for a file name with a workbook extension (lock files `~$…` excluded).
pub fn is_workbook_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with(".~lock") {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

#[cfg(feature = "native")]
/// Reads many files in parallel (`jobs` threads; 0 = one per core), keeping input order.
/// One file's error never stops the others.
pub fn read_many(paths: &[std::path::PathBuf], jobs: usize) -> Vec<Result<Document>> {
    use rayon::prelude::*;
    let run = || paths.par_iter().map(|p| read_file(p)).collect::<Vec<_>>();
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(run),
        Err(_) => paths.iter().map(|p| read_file(p)).collect(),
    }
}
