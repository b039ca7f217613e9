//! A region's work: many departments' files at once.
//!
//! ```text
//!  stream   files → results in input order, in parallel, a bounded window in flight (native)
//!  summary  one row per table, per department, per rule; findings across files; the 汇总 workbook
//!  diff     two versions of a batch: projects matched by name (renames by similarity), every
//!           changed field, funding line and indicator with the cell on each side
//!  export   the model as an SQLite database or CSV files (native)
//! ```
//!
//! Nothing here keeps a whole batch's models: a [`summary::Summary`] keeps one small row per
//! table, the exports write each file's tables as they come.

pub mod diff;
#[cfg(feature = "native")]
pub mod export;
#[cfg(feature = "native")]
pub mod stream;
pub mod summary;
