//! Errors: what stops work on one file. Findings about a table's content are not errors.

use std::path::PathBuf;

/// An input or output that could not be handled. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{path}: 无法读取文件：{source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is empty (0 bytes).
    #[error("{path}: 文件为空（0 字节）")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The bytes are not a spreadsheet of any supported kind.
    #[error("{path}: 不是电子表格文件（{what}）")]
    NotWorkbook {
        /// The file.
        path: PathBuf,
        /// What it looks like instead.
        what: String,
    },
    /// The workbook is protected with a password.
    #[error("{path}: 工作簿已加密（设有打开密码），请去掉密码后重新提交")]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// The file is cut short or damaged.
    #[error("{path}: 文件已损坏或不完整（{detail}）")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        detail: String,
    },
    /// The file is larger than it is safe to read.
    #[error("{path}: 文件内容过大，拒绝读取（{detail}）")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Which limit was hit.
        detail: String,
    },
    /// The workbook holds no performance table.
    #[error("{path}: 未找到项目支出绩效表（工作表：{sheets}；没有“项目名称”及绩效指标表头）")]
    NoTable {
        /// The file.
        path: PathBuf,
        /// The sheets that were searched.
        sheets: String,
    },
    /// An output could not be written.
    #[error("{path}: 无法写入：{detail}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// An option is not usable.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The file the error is about, if any.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::Io { path, .. }
            | Error::Empty { path }
            | Error::NotWorkbook { path, .. }
            | Error::Encrypted { path }
            | Error::Damaged { path, .. }
            | Error::TooLarge { path, .. }
            | Error::NoTable { path, .. }
            | Error::Write { path, .. } => Some(path),
            Error::Usage(_) => None,
        }
    }
}

/// A result with the crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
