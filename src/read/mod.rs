//! Reading: bytes → sheets ([`grid`]) → labelled fields ([`labels`], [`locate`]) → model.
//!
//! [`read_file`] reads one workbook of any supported format into a [`Document`]: every table
//! on every sheet, and the reader's notices (what it changed of what was typed) as info
//! findings. Sheets that hold no table are skipped silently.

pub mod align;
pub mod grid;
pub(crate) mod guard;
pub mod labels;
pub mod locate;
pub mod ods;
pub mod profile;
pub mod record;
pub mod text;
pub mod values;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Document;

pub use grid::Format;
pub use profile::{Profile, ProfileRef, Profiles};

/// How to read: which form profiles are known and whether one is forced.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The profile to read every table with, instead of the detected one.
    pub profile: Option<ProfileRef>,
    /// The profiles detection chooses among: the built-ins and the user's.
    pub profiles: Profiles,
    /// Also use the profiles of a `jixiao-profiles` folder beside each input file.
    pub profiles_beside_inputs: bool,
}

impl ReadOptions {
    /// The options for one input: with the profiles of the `jixiao-profiles` folder beside
    /// it, when [`ReadOptions::profiles_beside_inputs`] is set and the folder exists.
    ///
    /// # Errors
    /// When a profile file of that folder cannot be read or is not a profile.
    pub fn for_input(&self, path: &Path) -> Result<std::borrow::Cow<'_, ReadOptions>> {
        if !self.profiles_beside_inputs {
            return Ok(std::borrow::Cow::Borrowed(self));
        }
        let dir = path
            .parent()
            .map(|d| d.join(profile::USER_FOLDER))
            .filter(|d| d.is_dir());
        match dir {
            None => Ok(std::borrow::Cow::Borrowed(self)),
            Some(dir) => {
                let mut options = self.clone();
                options.profiles.add_folder(&dir)?;
                Ok(std::borrow::Cow::Owned(options))
            }
        }
    }
}

/// Reads one workbook file.
///
/// # Errors
/// When the file cannot be read, is not a workbook, is encrypted, damaged, too large, or
/// holds no performance table.
pub fn read_file(path: &Path) -> Result<Document> {
    read_file_with(path, &ReadOptions::default())
}

/// Reads one workbook file with options (a forced profile).
///
/// # Errors
/// As [`read_file`].
pub fn read_file_with(path: &Path, options: &ReadOptions) -> Result<Document> {
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
    let options = options.for_input(path)?;
    read_bytes_with(path, &bytes, &options)
}

/// Reads a workbook from bytes; `path` names it in the model and in errors.
///
/// # Errors
/// As [`read_file`].
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<Document> {
    read_bytes_with(path, bytes, &ReadOptions::default())
}

/// Reads a workbook from bytes with options (a forced profile).
///
/// # Errors
/// As [`read_file`].
pub fn read_bytes_with(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Document> {
    let format = grid::sniff(path, bytes)?;
    let sheets = guard::catch_parser_panic(path, || grid::load_sheets(path, bytes, format))?;
    let file = path.display().to_string();
    let mut doc = Document::default();
    for sheet in &sheets {
        for mut located in
            locate::locate_tables_with(sheet, &file, options.profile.as_ref(), &options.profiles)
        {
            // A self-evaluation or monitoring table: its budget block, results and total.
            crate::selfeval::read::complete(&mut located.table, &mut located.notices, sheet);
            if located.own_geometry {
                attach_geometry(&mut located.table, sheet);
            }
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

/// Keeps the cells of the table's range with the table (for a form written in its own
/// geometry).
fn attach_geometry(table: &mut crate::model::Table, sheet: &grid::Sheet) {
    let range = &table.source.range;
    let (a, b) = range.split_once(':').unwrap_or((range, range));
    if let (Ok(first), Ok(last)) = (
        a.trim().parse::<crate::cell::CellRef>(),
        b.trim().parse::<crate::cell::CellRef>(),
    ) {
        // The lines a reader takes from above its table's range (a title, the year, the unit)
        // belong to the form: its own geometry starts at the first of them.
        let mut first = first;
        for field in ["title", "year", "unit"] {
            if let Some(c) = table.cell_of(field) {
                if c.row < first.row && c.col <= last.col {
                    first.row = c.row;
                    first.col = first.col.min(c.col);
                }
            }
        }
        let mut grid = crate::model::geometry::SourceGrid::of(sheet, first, last);
        grid.model = crate::model::geometry::fingerprint(table);
        table.geometry = crate::model::geometry::Geometry(Some(std::sync::Arc::new(grid)));
    }
}

/// The file extensions searched for in directories: Excel's and WPS's workbooks and templates,
/// and OpenDocument (the bytes decide the format, not the extension).
pub const EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xlsb", "xls", "ods", "et", "ett", "xlt", "xltx", "xltm",
];

/// A file of a searched directory that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: std::path::PathBuf,
    /// Why it is not read.
    pub reason: String,
}

/// What the command-line inputs expand to.
#[derive(Debug, Default)]
pub struct Inputs {
    /// The workbooks to read, in a stable order, each file once.
    pub files: Vec<std::path::PathBuf>,
    /// Files in searched directories that are not read (not workbooks, lock files, …).
    pub skipped: Vec<Skipped>,
    /// Inputs that could not be found or searched, with the error.
    pub missing: Vec<Error>,
}

/// Expands files and directories into the workbook files to read. Directories are searched
/// recursively for [`EXTENSIONS`]; every other file in them is listed in
/// [`Inputs::skipped`] with the reason. Files given by name are kept whatever their extension
/// (the format is decided from the content). A path that does not exist goes to
/// [`Inputs::missing`] and the others are still expanded; a file named twice (or named and
/// found in a directory) is kept once.
///
/// Folders the program wrote ([`is_output_folder`]) found inside a searched directory are not
/// searched: each is listed once in [`Inputs::skipped`]. A folder given by name is searched
/// whatever it is.
#[cfg(feature = "native")]
pub fn scan_inputs(paths: &[std::path::PathBuf]) -> Inputs {
    use std::path::PathBuf;
    let mut out = Inputs::default();
    let mut seen = std::collections::HashSet::new();
    let mut push = |out: &mut Inputs, path: PathBuf| {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            out.files.push(path);
        }
    };
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            let mut outputs = Vec::new();
            let walk = walkdir::WalkDir::new(p)
                .follow_links(true)
                .into_iter()
                .filter_entry(|e| {
                    let ours =
                        e.depth() > 0 && e.file_type().is_dir() && is_output_folder(e.path());
                    if ours {
                        outputs.push(e.path().to_path_buf());
                    }
                    !ours
                });
            for entry in walk {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let path = e.path().map_or_else(|| p.clone(), Path::to_path_buf);
                        let source = e
                            .into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("目录中有循环的链接"));
                        out.missing.push(Error::Io { path, source });
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                if entry.file_name() == OUTPUT_MARKER {
                    continue; // the program's own marker, nothing to say
                }
                let path = entry.into_path();
                match skip_reason(&path) {
                    None => found.push(path),
                    Some(reason) => out.skipped.push(Skipped { path, reason }),
                }
            }
            found.sort();
            for f in found {
                push(&mut out, f);
            }
            out.skipped.extend(outputs.into_iter().map(|path| Skipped {
                path,
                reason: "jixiao 生成的输出文件夹，不再读取（需要时可单独指定该文件夹）".into(),
            }));
        } else if p.exists() {
            push(&mut out, p.clone());
        } else {
            out.missing.push(Error::Io {
                path: p.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "文件或目录不存在"),
            });
        }
    }
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The folder a drop onto `jixiao.exe` converts into, beside what was dropped.
pub const DROP_FOLDER: &str = "jixiao输出";

/// The file that marks a folder the program wrote its outputs into (`convert -o DIR`).
pub const OUTPUT_MARKER: &str = ".jixiao输出";

/// True for a folder the program wrote: named [`DROP_FOLDER`], or holding [`OUTPUT_MARKER`].
/// Searching a directory skips such folders, so that converting a folder again never reads
/// the converted copies of its own files.
pub fn is_output_folder(dir: &Path) -> bool {
    is_output(
        dir.file_name().and_then(|n| n.to_str()).unwrap_or(""),
        dir.join(OUTPUT_MARKER).is_file(),
    )
}

/// The one rule of [`is_output_folder`]: a folder's name, and whether it holds the marker.
fn is_output(name: &str, holds_marker: bool) -> bool {
    name == DROP_FOLDER || holds_marker
}

/// The output folders ([`is_output_folder`]) among the files of folders given as a list of
/// paths (`/`-separated, each starting with the folder given, as a browser lists a dropped
/// folder): the outermost folders below a folder given that are named [`DROP_FOLDER`] or hold
/// [`OUTPUT_MARKER`], in path order. As when searching a directory, a folder given is searched
/// whatever it is.
pub fn output_folders_among<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let paths: Vec<&str> = paths.into_iter().collect();
    let markers: std::collections::HashSet<&str> = paths
        .iter()
        .filter_map(|p| p.strip_suffix(OUTPUT_MARKER)?.strip_suffix('/'))
        .collect();
    let mut found = std::collections::BTreeSet::new();
    for path in &paths {
        let parts: Vec<&str> = path.split('/').collect();
        // The folders of `path` below the one given: parts[..=i] for i in 1..len-1.
        let mut end = parts.first().map_or(0, |p| p.len());
        for part in parts.iter().take(parts.len().saturating_sub(1)).skip(1) {
            end += 1 + part.len();
            let dir = &path[..end];
            if is_output(part, markers.contains(dir)) {
                found.insert(dir.to_string());
                break;
            }
        }
    }
    found.into_iter().collect()
}

/// Marks `dir` as an output folder ([`is_output_folder`]).
///
/// # Errors
/// When the marker cannot be written.
pub fn mark_output_folder(dir: &Path) -> std::io::Result<()> {
    let marker = dir.join(OUTPUT_MARKER);
    if marker.is_file() {
        return Ok(());
    }
    std::fs::write(
        marker,
        "此文件夹由 jixiao 生成（整理后的工作簿）。搜索上级文件夹时不再读取此文件夹，以免重复计入。\n",
    )
}

/// Why a file found in a directory is not read (`None`: it is read).
#[cfg(feature = "native")]
fn skip_reason(path: &Path) -> Option<String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with(".~lock") {
        return Some("Excel/WPS 打开文件时生成的临时锁定文件".into());
    }
    if name.starts_with('.') {
        return Some("隐藏文件".into());
    }
    if is_workbook_name(path) {
        return None;
    }
    Some(match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("扩展名 .{ext} 不是工作簿"),
        None => "没有扩展名，不是工作簿".into(),
    })
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
    read_many_with(paths, jobs, &ReadOptions::default())
}

/// [`read_many`] with options (a forced profile).
#[cfg(feature = "native")]
pub fn read_many_with(
    paths: &[std::path::PathBuf],
    jobs: usize,
    options: &ReadOptions,
) -> Vec<Result<Document>> {
    use rayon::prelude::*;
    let run = || {
        paths
            .par_iter()
            .map(|p| read_file_with(p, options))
            .collect::<Vec<_>>()
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(run),
        Err(_) => paths.iter().map(|p| read_file_with(p, options)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_folders_among_a_listing_follow_the_folder_rule() {
        let marker = format!("报表/旧/{OUTPUT_MARKER}");
        let paths = [
            "报表/a.xlsx",
            "报表/jixiao输出/a.xlsx",
            "报表/jixiao输出/jixiao输出/a.xlsx",
            "报表/部门/jixiao输出/b.xlsx",
            "报表/旧/c.xlsx",
            marker.as_str(),
            "报表/旧的/d.xlsx",
            "jixiao输出/e.xlsx",
            "报表/部门/jixiao输出.xlsx",
        ];
        assert_eq!(
            output_folders_among(paths),
            ["报表/jixiao输出", "报表/旧", "报表/部门/jixiao输出"]
        );
        // A folder given is searched whatever it is, as `scan_inputs` does.
        assert!(output_folders_among([format!("报表/{OUTPUT_MARKER}").as_str()]).is_empty());
    }
}
