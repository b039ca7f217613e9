//! jixiao (绩效): read, check, regenerate and template Chinese project budget performance
//! tables (项目支出预算绩效表 / 项目支出绩效目标表).
//!
//! The phases follow the data, and each has one entry point here:
//! 1. **read** — any department's workbook (xlsx, xlsm, xlsb, xls, ods, WPS's et) → sheets →
//!    tables found by their labels → the normalised model ([`Document`] of [`Table`]s), with the
//!    reader's notices: [`read_file`], [`read_bytes`], and [`read_file_with`] /
//!    [`read_bytes_with`] given [`ReadOptions`] (the form [`Profiles`] known — built-in and a
//!    user's — and a forced one);
//! 2. **check** — model → [`Finding`]s (rule, severity, project, cell): [`check`](fn@check), or
//!    [`check_with`] under a user's rule file ([`Config`]);
//! 3. **write** — model + findings → a clean workbook in the official layout, with 汇总 and
//!    问题清单: [`render`] with [`WriteOptions`];
//! 4. **template** — model → next year's tables ([`next_year`]), written by
//!    [`prefilled_template`]; or a blank template ([`blank_template`]).
//!
//! Layouts, labels and the indicator framework are data under `templates/`. The library never
//! prints; an [`Error`] stops work on one file (it names the file, in Chinese), findings are
//! data.
//!
//! ```
//! use std::path::Path;
//!
//! let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/seed-one-per-sheet.xlsx");
//! let doc = jixiao::read_file(&path)?;
//! assert_eq!(doc.tables.len(), 10);
//! assert_eq!(doc.tables[0].project.name, "宁夏网络安全服务项目");
//!
//! let findings = jixiao::check(&doc);
//! let errors = findings.iter().filter(|f| f.severity == jixiao::Severity::Error);
//! assert_eq!(errors.count(), 1);
//!
//! // The regenerated workbook reads back to the same tables.
//! let book = jixiao::render(&doc, &findings, &jixiao::WriteOptions::default())?;
//! let again = jixiao::read_bytes(Path::new("整理后.xlsx"), &book.bytes)?;
//! assert_eq!(again.tables.len(), 10);
//! # Ok::<(), jixiao::Error>(())
//! ```
//!
//! Next year's workbook, prefilled from this year's tables, and a blank template:
//!
//! ```
//! use std::path::Path;
//! use jixiao::{CarryOptions, Layout, Prefill, TableKind};
//!
//! let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/seed-one-per-sheet.xlsx");
//! let this_year = jixiao::read_file(&path)?;
//! let carried = jixiao::next_year(
//!     &this_year,
//!     CarryOptions { year: 2027, keep_all: false, clear_amounts: false },
//! );
//! // One-year projects are not carried over; each is listed with the reason.
//! assert_eq!(carried.doc.tables.len() + carried.left_out.len(), 10);
//! assert_eq!(carried.doc.tables[0].year, Some(2027));
//! let book = jixiao::prefilled_template(
//!     &carried,
//!     &Prefill { year: 2027, tables_read: 10, ..Prefill::default() },
//! )?;
//! assert_eq!(book.sheets.len(), carried.doc.tables.len());
//!
//! let blank = jixiao::blank_template(&jixiao::Blank {
//!     year: 2027,
//!     layout: Layout::National,
//!     tables: 3,
//!     kind: TableKind::Project,
//!     profile: None,
//! })?;
//! assert_eq!(blank.sheets.len(), 3);
//! # Ok::<(), jixiao::Error>(())
//! ```
//!
//! Reading with a user's form profile — a TOML file that extends a built-in one — or forcing one:
//!
//! ```
//! use std::path::Path;
//!
//! let dir = std::env::temp_dir().join(format!("jixiao-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let file = dir.join("gansu.toml");
//! std::fs::write(&file, "id = \"gansu\"\nextends = \"national\"\nname = \"甘肃省项目支出绩效目标表\"\n")?;
//!
//! let mut profiles = jixiao::Profiles::builtin();
//! profiles.add_file(&file)?;
//! let gansu = profiles.resolve("gansu")?;
//! assert_eq!(gansu.extends.as_deref(), Some("national"));
//!
//! let options = jixiao::ReadOptions { profile: Some(gansu), profiles, ..Default::default() };
//! let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/national.xlsx");
//! let doc = jixiao::read_file_with(&path, &options)?;
//! assert!(doc.tables.iter().all(|t| t.profile.id == "gansu"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Checking under an office's rule file (the `jixiao.toml` of the command line):
//!
//! ```
//! use std::path::Path;
//!
//! let rules = "[rules]\n\"goal.cost-mismatch\" = \"off\"\n";
//! let config = jixiao::Config::from_toml(rules, "jixiao.toml")
//!     .expect("a valid rule file");
//! let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/seed-one-per-sheet.xlsx");
//! let doc = jixiao::read_file(&path)?;
//! let findings = jixiao::check_with(&doc, &config);
//! assert!(findings.iter().all(|f| f.rule != "goal.cost-mismatch"));
//! # Ok::<(), jixiao::Error>(())
//! ```
//!
//! Features: `native` (parallel batches, directory walks, temporary files, SQLite and CSV
//! export; everything but a browser) and `cli` (the `jixiao` program: clap, anyhow, progress
//! bars), both on by default. A library user needs only `native`
//! (`default-features = false, features = ["native"]`); the offline web page builds with
//! neither.

#![forbid(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

// The documented API: the model and the entry points re-exported below.
pub mod cell;
pub mod draft;
pub mod error;
pub mod explain;
pub mod form;
pub mod model;
pub mod selfeval;

// The stages themselves. Public for the `jixiao` program (a separate crate on top of this one)
// and the integration tests, which test stages on their own; not the documented API, which is
// what this file re-exports.
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod read;
#[doc(hidden)]
pub mod region;
#[doc(hidden)]
pub mod template;
#[doc(hidden)]
pub mod write;

pub use cell::CellRef;
pub use check::{check, check_with, rule, Config, ConfigError, Level, Rule, CATALOGUE};
pub use error::{Error, Result};
pub use model::{Document, Finding, Indicator, Layout, Severity, Table, TableKind, Value};
pub use read::{
    read_bytes, read_bytes_with, read_file, read_file_with, Profile, ProfileRef, Profiles,
    ReadOptions,
};
#[cfg(feature = "native")]
pub use read::{read_many, read_many_with, scan_inputs};
#[cfg(feature = "native")]
pub use write::save_atomic;
pub use write::{render, Date, Located, Options as WriteOptions, Rendered, SeverityCounts};

pub use template::write::{
    blank as blank_template, prefilled as prefilled_template, Blank, Book, Prefill,
};
pub use template::{next_year, Carried, CarryOptions, LeftOut};
