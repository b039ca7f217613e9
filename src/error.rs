//! Errors: what stops work on one file. Findings about a table's content are not errors.

use std::path::PathBuf;

/// An input or output that could not be handled. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{path}: 无法读取文件：{}", read_reason(path, source))]
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
    /// A form profile (`--profile`) could not be used.
    #[error("{path}: 表样配置无法使用：{detail}")]
    Profile {
        /// The profile file or name.
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
            | Error::Write { path, .. }
            | Error::Profile { path, .. } => Some(path),
            Error::Usage(_) => None,
        }
    }
}

/// [`io_reason`] for reading `path`: Windows refuses to open a folder as a file with "access
/// denied", which is said as what it is.
fn read_reason(path: &std::path::Path, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::PermissionDenied && path.is_dir() {
        return "这是一个目录，不是文件".into();
    }
    io_reason(e)
}

/// Why an I/O operation failed, in Chinese, without the OS's English text.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // Windows: ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33), what opening a
    // workbook that Excel or WPS holds open gives.
    if matches!(e.raw_os_error(), Some(32 | 33)) && cfg!(windows) {
        return "文件正被其他程序（如 Excel、WPS）打开，请关闭后重试".into();
    }
    let text = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有访问权限",
        K::AlreadyExists => "同名的文件或目录已存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中的某一级不是目录",
        K::DirectoryNotEmpty => "目录不为空",
        K::ReadOnlyFilesystem => "所在磁盘只读",
        K::StorageFull => "磁盘空间不足",
        K::FileTooLarge => "文件过大",
        K::InvalidFilename => "文件名无效（过长或含有不允许的字符）",
        K::CrossesDevices => "不能跨磁盘移动文件",
        K::UnexpectedEof => "文件意外结束（不完整）",
        K::Interrupted | K::TimedOut | K::WouldBlock => "操作被中断，请重试",
        K::OutOfMemory => "内存不足",
        K::InvalidData => "内容无效",
        _ => "",
    };
    if !text.is_empty() {
        return text.into();
    }
    match e.raw_os_error() {
        Some(code) => format!("系统错误（代码 {code}）"),
        None => "系统错误".into(),
    }
}

/// Why writing `path` failed, in Chinese: an existing output that cannot be replaced is most
/// often open in Excel or WPS (Windows locks open workbooks).
pub fn write_reason(e: &std::io::Error, target_exists: bool) -> String {
    let locked = matches!(e.raw_os_error(), Some(32 | 33)) && cfg!(windows);
    if locked || (target_exists && e.kind() == std::io::ErrorKind::PermissionDenied) {
        return "文件无法替换：可能正在 Excel 或 WPS 中打开（请关闭后重试），或没有写入权限".into();
    }
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有写入权限（所在目录不允许写入）".into(),
        std::io::ErrorKind::NotFound => "所在目录不存在".into(),
        _ => io_reason(e),
    }
}

impl Error {
    /// A write error for `path` from an I/O error, with the reason in Chinese.
    pub fn write_io(path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::Write {
            path: path.to_path_buf(),
            detail: write_reason(e, path.exists()),
        }
    }
}

/// A result with the crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error as IoError, ErrorKind};

    #[test]
    fn io_reasons_are_chinese_without_os_text() {
        let e = IoError::from(ErrorKind::NotFound);
        assert_eq!(io_reason(&e), "文件或目录不存在");
        let e = IoError::from_raw_os_error(13);
        let text = io_reason(&e);
        assert!(
            !text.contains("os error") && !text.contains("denied"),
            "{text}"
        );
        let err = Error::Io {
            path: "甲.xlsx".into(),
            source: IoError::new(ErrorKind::NotFound, "文件或目录不存在"),
        };
        // The reason is said once.
        assert_eq!(err.to_string(), "甲.xlsx: 无法读取文件：文件或目录不存在");
    }

    #[test]
    fn a_folder_opened_as_a_file_is_said_to_be_a_folder_on_windows_too() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = Error::Io {
            path: dir.path().to_path_buf(),
            source: IoError::from(ErrorKind::PermissionDenied),
        };
        assert!(
            err.to_string()
                .ends_with("无法读取文件：这是一个目录，不是文件"),
            "{err}"
        );
        let err = Error::Io {
            path: dir.path().join("甲.xlsx"),
            source: IoError::from(ErrorKind::PermissionDenied),
        };
        assert!(err.to_string().ends_with("没有访问权限"), "{err}");
    }

    #[test]
    fn a_locked_existing_output_is_said_to_be_open_elsewhere() {
        let e = IoError::from(ErrorKind::PermissionDenied);
        assert!(write_reason(&e, true).contains("Excel 或 WPS"));
        assert!(!write_reason(&e, false).contains("Excel"));
        assert_eq!(
            write_reason(&IoError::from(ErrorKind::NotFound), false),
            "所在目录不存在"
        );
    }
}
