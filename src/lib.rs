//! jixiao (绩效): read, check, regenerate and template Chinese project budget performance
//! tables (项目支出预算绩效表 / 项目支出绩效目标表).
//!
//! The phases follow the data:
//! 1. [`read`]: any department's workbook (xlsx, xlsm, xlsb, xls, ods) → sheets → tables found
//!    by their labels → the normalised [`model`], with the reader's notices;
//! 2. [`check`]: model → findings (rule, severity, project, cell);
//! 3. [`write`]: model + findings → clean workbooks in the official layout, with 汇总 and 问题清单;
//! 4. `template`: model → next year's templates, blank or prefilled.
//!
//! Layouts, labels and the indicator framework are data under `templates/`. The library never
//! prints; errors stop work on one file, findings are data.

#![forbid(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cell;
pub mod check;
pub mod error;
pub mod model;
pub mod read;
pub mod region;
pub mod template;
pub mod write;

pub use cell::CellRef;
pub use error::{Error, Result};
pub use model::{Document, Finding, Indicator, Severity, Table, Value};
pub use read::{read_bytes, read_file};
