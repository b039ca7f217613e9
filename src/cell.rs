//! Cell references: absolute (row, col), zero-based, printed as `C12`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An absolute cell position on a sheet (zero-based row and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u32,
}

impl CellRef {
    /// A cell at zero-based `row`, `col`.
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }
}

/// The letters of a zero-based column (`0` → `A`, `26` → `AA`).
pub fn col_name(col: u32) -> String {
    let mut buf = [0; 7];
    col_letters(col, &mut buf).to_string()
}

/// The letters of a zero-based column, written into the end of `buf` (seven letters hold
/// any `u32`).
fn col_letters(col: u32, buf: &mut [u8; 7]) -> &str {
    let mut n = u64::from(col) + 1;
    let mut at = buf.len();
    while n > 0 {
        let rem = (n - 1) % 26;
        at -= 1;
        buf[at] = b'A' + rem as u8;
        n = (n - 1) / 26;
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

impl CellRef {
    /// The name (`C12`) written into `buf`, without allocating: the model prints thousands.
    fn name_in<'b>(&self, buf: &'b mut [u8; 18]) -> &'b str {
        let mut letters = [0; 7];
        let col = col_letters(self.col, &mut letters);
        let mut row = u64::from(self.row) + 1;
        let mut digits = [0u8; 11];
        let mut at = digits.len();
        while row > 0 {
            at -= 1;
            digits[at] = b'0' + (row % 10) as u8;
            row /= 10;
        }
        let (l, d) = (col.len(), digits.len() - at);
        buf[..l].copy_from_slice(col.as_bytes());
        buf[l..l + d].copy_from_slice(&digits[at..]);
        std::str::from_utf8(&buf[..l + d]).unwrap_or_default()
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_in(&mut [0; 18]))
    }
}

/// A cell reference that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCellRef(pub String);

impl fmt::Display for BadCellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "无效的单元格引用 `{}`", self.0)
    }
}

impl std::error::Error for BadCellRef {}

impl FromStr for CellRef {
    type Err = BadCellRef;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadCellRef(s.to_string());
        let split = s.find(|c: char| c.is_ascii_digit()).ok_or_else(bad)?;
        let (letters, digits) = s.split_at(split);
        if letters.is_empty() || letters.len() > 3 {
            return Err(bad());
        }
        let mut col: u32 = 0;
        for b in letters.bytes() {
            if !b.is_ascii_uppercase() {
                return Err(bad());
            }
            col = col * 26 + u32::from(b - b'A' + 1);
        }
        let row: u32 = digits.parse().map_err(|_| bad())?;
        if row == 0 {
            return Err(bad());
        }
        Ok(CellRef::new(row - 1, col - 1))
    }
}

impl schemars::JsonSchema for CellRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CellRef".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A cell as printed in a spreadsheet: column letters and 1-based row (`C12`).",
            "pattern": "^[A-Z]+[1-9][0-9]*$"
        })
    }
}

impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name_in(&mut [0; 18]))
    }
}

impl<'de> Deserialize<'de> for CellRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A range of cells, printed as `A1:F34`.
pub(crate) fn range_name(first: CellRef, last: CellRef) -> String {
    format!("{first}:{last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_and_parses() {
        for (r, c, s) in [
            (0, 0, "A1"),
            (11, 2, "C12"),
            (0, 25, "Z1"),
            (0, 26, "AA1"),
            (1_048_575, 16_383, "XFD1048576"),
        ] {
            let cell = CellRef::new(r, c);
            assert_eq!(cell.to_string(), s);
            assert_eq!(s.parse::<CellRef>(), Ok(cell));
        }
        let far = CellRef::new(u32::MAX - 1, u32::MAX);
        assert_eq!(
            far.to_string(),
            format!("{}{}", col_name(u32::MAX), u32::MAX)
        );
        assert_eq!(col_name(u32::MAX), "MWLQKWV");
        assert_eq!(
            serde_json::to_string(&CellRef::new(11, 2)).ok().as_deref(),
            Some("\"C12\"")
        );
        assert!("1A".parse::<CellRef>().is_err());
        assert!("A0".parse::<CellRef>().is_err());
        assert!("a1".parse::<CellRef>().is_err());
    }
}
