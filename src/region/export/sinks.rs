//! Where the rows go: an SQLite database or a folder of CSV files, each written beside its
//! target and renamed over it at the end (whole or not at all).

use std::path::{Path, PathBuf};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::error::{Error, Result};

use super::{Cell, Sink, SCHEMA, SQL_SCHEMA};

fn werr(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// An SQLite database being written: a temporary file beside the target until [`finish`].
///
/// [`finish`]: SqliteSink::finish
pub struct SqliteSink {
    target: PathBuf,
    tmp: tempfile::TempPath,
    conn: rusqlite::Connection,
    inserts: Vec<String>,
}

impl SqliteSink {
    /// Starts a database that will replace `target`.
    ///
    /// # Errors
    /// When the temporary file or the schema cannot be made.
    pub fn create(target: &Path) -> Result<Self> {
        let tmp = tempfile::Builder::new()
            .prefix(".jixiao-")
            .suffix(".sqlite.tmp")
            .tempfile_in(parent_dir(target))
            .map_err(|e| werr(target, e))?
            .into_temp_path();
        let conn = rusqlite::Connection::open(&tmp).map_err(|e| werr(target, e))?;
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;")
            .map_err(|e| werr(target, e))?;
        conn.execute_batch(SQL_SCHEMA)
            .map_err(|e| werr(target, e))?;
        let inserts = SCHEMA
            .iter()
            .map(|(name, cols)| {
                let marks = vec!["?"; cols.len()].join(", ");
                format!("INSERT INTO {name} ({}) VALUES ({marks})", cols.join(", "))
            })
            .collect();
        Ok(SqliteSink {
            target: target.to_path_buf(),
            tmp,
            conn,
            inserts,
        })
    }

    /// Commits and renames the database over the target.
    ///
    /// # Errors
    /// When the commit or the rename fails (the target is then untouched).
    pub fn finish(self) -> Result<()> {
        let target = self.target;
        self.conn
            .execute_batch("COMMIT;")
            .map_err(|e| werr(&target, e))?;
        self.conn.close().map_err(|(_, e)| werr(&target, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.tmp, std::fs::Permissions::from_mode(0o644));
        }
        self.tmp
            .persist(&target)
            .map_err(|e| werr(&target, e.error))?;
        Ok(())
    }
}

impl Sink for SqliteSink {
    fn row(&mut self, table: usize, row: &[Cell]) -> Result<()> {
        use rusqlite::types::Value;
        let values = row.iter().map(|c| match c {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::Integer(*i),
            Cell::Money(d) => Value::Real(d.to_f64().unwrap_or(f64::NAN)),
            Cell::Text(s) => Value::Text(s.clone()),
        });
        let mut stmt = self
            .conn
            .prepare_cached(&self.inserts[table])
            .map_err(|e| werr(&self.target, e))?;
        stmt.execute(rusqlite::params_from_iter(values))
            .map_err(|e| werr(&self.target, e))?;
        Ok(())
    }
}

/// CSV files being written: a temporary folder beside the target until [`finish`].
///
/// [`finish`]: CsvSink::finish
pub struct CsvSink {
    target: PathBuf,
    dir: tempfile::TempDir,
    writers: Vec<csv::Writer<std::io::BufWriter<std::fs::File>>>,
}

impl CsvSink {
    /// Starts a folder of CSV files that will replace `target`. An existing `target` must be
    /// a folder holding only such files (a previous export), never anything else.
    ///
    /// # Errors
    /// When `target` is something else, or the files cannot be made.
    pub fn create(target: &Path) -> Result<Self> {
        if target.exists() && !is_previous_export(target) {
            return Err(Error::Usage(format!(
                "{} 已存在，且不是此前导出的 CSV 目录（只应含 files.csv、tables.csv 等）：不会覆盖它，请另给一个目录名",
                target.display()
            )));
        }
        let dir = tempfile::Builder::new()
            .prefix(".jixiao-")
            .suffix(".csv.tmp")
            .tempdir_in(parent_dir(target))
            .map_err(|e| werr(target, e))?;
        let mut writers = Vec::new();
        for (name, cols) in SCHEMA {
            let path = dir.path().join(format!("{name}.csv"));
            let file = std::fs::File::create(&path).map_err(|e| werr(&path, e))?;
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
            w.write_record(*cols).map_err(|e| werr(&path, e))?;
            writers.push(w);
        }
        Ok(CsvSink {
            target: target.to_path_buf(),
            dir,
            writers,
        })
    }

    /// Flushes the files and renames the folder over the target (a previous export there is
    /// removed first).
    ///
    /// # Errors
    /// When a file cannot be flushed or the folder renamed.
    pub fn finish(self) -> Result<()> {
        let target = self.target;
        for w in self.writers {
            let inner = w.into_inner().map_err(|e| werr(&target, e))?;
            let file = inner.into_inner().map_err(|e| werr(&target, e))?;
            file.sync_all().map_err(|e| werr(&target, e))?;
        }
        let dir = self.dir.keep();
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| werr(&target, e))?;
        }
        std::fs::rename(&dir, &target).map_err(|e| {
            let _ = std::fs::remove_dir_all(&dir);
            werr(&target, e)
        })?;
        Ok(())
    }
}

/// Text as a spreadsheet will not run it (CSV injection, as OWASP describes it): text that Excel
/// or WPS would take for a formula — starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return — gets a leading `'`, which they show as text. A plain number (`-5.00`) is left as
/// it is. Only CSV does this; SQLite and JSON keep the text as typed.
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.parse::<Decimal>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// True for a folder holding nothing but the CSV files of an export.
fn is_previous_export(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let names: Vec<String> = SCHEMA.iter().map(|(n, _)| format!("{n}.csv")).collect();
    entries.into_iter().all(|e| {
        e.is_ok_and(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && names.iter().any(|n| *n == e.file_name().to_string_lossy())
        })
    })
}

impl Sink for CsvSink {
    fn row(&mut self, table: usize, row: &[Cell]) -> Result<()> {
        let fields = row.iter().map(|c| match c {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Money(d) => d.to_string(),
            Cell::Text(s) => csv_safe(s).into_owned(),
        });
        self.writers[table]
            .write_record(fields)
            .map_err(|e| werr(&self.target, e))
    }
}
