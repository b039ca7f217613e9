//! The cells of a table's source range as the file printed them: what a form without a
//! built-in layout is written from (its own geometry, see `write::form::own`).
//!
//! Not part of the model's JSON form, nor of its equality: a table read back from JSON has
//! none, and two tables that say the same are equal wherever they were printed.

use std::sync::Arc;

use crate::cell::CellRef;
use crate::read::grid::{CellValue, Sheet};

/// The cells of a table's range, relative to its top-left cell.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceGrid {
    /// The source cell of the range's top-left corner.
    pub origin: CellRef,
    /// Rows of the range.
    pub rows: u32,
    /// Columns of the range.
    pub cols: u32,
    /// The non-empty cells, row by row: (relative cell, value).
    pub cells: Vec<(CellRef, CellValue)>,
    /// The merged ranges inside the range the file records, relative (none for xlsb).
    pub merges: Vec<(CellRef, CellRef)>,
    /// The alignment of the cells whose file records one (xlsx), relative.
    pub aligns: std::collections::BTreeMap<CellRef, crate::read::align::Align>,
    /// The fingerprint of the table as read from these cells ([`fingerprint`]): a table
    /// changed since (years moved, a column added) no longer says what the cells say.
    pub model: u64,
}

/// A hash of everything a table says (its JSON form, streamed into the hasher), but the grade
/// the checker suggests.
pub fn fingerprint(table: &crate::model::Table) -> u64 {
    use std::hash::Hasher;
    /// JSON text written straight into a hasher: no value tree, no string.
    struct HashWriter(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for HashWriter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = HashWriter(std::collections::hash_map::DefaultHasher::new());
    // Serialising a model cannot fail (no map has keys that are not strings); were it to, the
    // fingerprint of what was written still differs from a table that says otherwise.
    let _ = match table.grade {
        None => serde_json::to_writer(&mut w, table),
        Some(_) => serde_json::to_writer(
            &mut w,
            &crate::model::Table {
                grade: None,
                ..table.clone()
            },
        ),
    };
    w.0.finish()
}

impl SourceGrid {
    /// The cells of `sheet` in `first..=last` (absolute, inclusive).
    pub fn of(sheet: &Sheet, first: CellRef, last: CellRef) -> SourceGrid {
        let inside = |c: CellRef| {
            (first.row..=last.row).contains(&c.row) && (first.col..=last.col).contains(&c.col)
        };
        let rel = |c: CellRef| CellRef::new(c.row - first.row, c.col - first.col);
        let cells = sheet
            .rows
            .iter()
            .filter(|r| (first.row..=last.row).contains(&r.row))
            .flat_map(|r| r.cells.iter().map(move |c| (CellRef::new(r.row, c.col), c)))
            .filter(|(at, _)| inside(*at))
            .map(|(at, c)| (rel(at), c.value.clone()))
            .collect();
        let merges = sheet
            .merges
            .iter()
            .filter(|(a, b)| inside(*a) && inside(*b))
            .map(|(a, b)| (rel(*a), rel(*b)))
            .collect();
        let aligns = sheet
            .aligns
            .range(first..)
            .filter(|(at, _)| inside(**at))
            .map(|(at, a)| (rel(*at), *a))
            .collect();
        SourceGrid {
            origin: first,
            rows: last.row - first.row + 1,
            cols: last.col - first.col + 1,
            cells,
            merges,
            aligns,
            model: 0,
        }
    }

    /// The relative cell of a source cell, when it is inside the range.
    pub fn relative(&self, c: CellRef) -> Option<CellRef> {
        let (r, col) = (
            c.row.checked_sub(self.origin.row)?,
            c.col.checked_sub(self.origin.col)?,
        );
        (r < self.rows && col < self.cols).then(|| CellRef::new(r, col))
    }
}

/// A table's source grid, when it was read from a sheet. Always equal to another (see the
/// module's note).
#[derive(Debug, Clone, Default)]
pub struct Geometry(pub Option<Arc<SourceGrid>>);

impl PartialEq for Geometry {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Geometry {
    /// The grid, when known.
    pub fn grid(&self) -> Option<&SourceGrid> {
        self.0.as_deref()
    }

    /// The grid, when the table still says what it said when read from it.
    pub fn grid_of(table: &crate::model::Table) -> Option<&SourceGrid> {
        table
            .geometry
            .grid()
            .filter(|g| g.model == fingerprint(table))
    }
}
