//! The record `convert` leaves on each form sheet it writes: how the table there was read from
//! its source, so that reading the converted file reads (and checking it checks) the table as
//! its source was, whatever layout printed it.
//!
//! The record is a pair of sheet-scoped defined names, each referring to the sheet's `A1`
//! (office suites keep such names with their sheet when it is renamed, copied or saved as xls
//! or ods; calamine lists them for xlsx, xlsb and xls, and `read::ods` finds them inside the
//! sheets of an ods, where LibreOffice and Gnumeric keep them):
//!
//! ```text
//!   '项目A'!jixiao_profile_national    = '项目A'!$A$1   the table was read with `national`
//!   '项目A'!jixiao_grid_no_levels      = '项目A'!$A$1   its grid printed no 一级 / 二级 columns
//!   '项目A'!jixiao_money_short__4e07_  = '项目A'!$A$1   it typed its money with `万` (`250万`)
//! ```
//!
//! A profile id (and a unit) is written with its ASCII letters and digits as they are and every other
//! character as `_<hex>_` (`central-monitoring` → `central_2d_monitoring`): names take
//! neither hyphens nor most punctuation.

use std::collections::HashMap;

/// The defined name of a recorded profile: this prefix, then the encoded id.
const PROFILE_PREFIX: &str = "jixiao_profile_";

/// The defined name saying the source's grid printed no level columns.
const NO_LEVELS: &str = "jixiao_grid_no_levels";

/// The defined name of the short money unit the source typed its money with: this prefix,
/// then the encoded unit.
const SHORT_MONEY_PREFIX: &str = "jixiao_money_short_";

/// How a form sheet's table was read from its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The id of the profile the source's table was read with.
    pub profile: Option<String>,
    /// The source's grid printed no level columns (`指标名称 | 指标值` only).
    pub no_levels: bool,
    /// The short money unit the source typed its funding with (`万` in `250万`), which a
    /// layout printing amounts as numbers no longer shows.
    pub short_money: Option<String>,
}

impl Record {
    /// The defined names that record `self` on the sheet `sheet`, as (name, formula) in the
    /// form rust_xlsxwriter's `Workbook::define_name` takes: sheet-scoped, referring to `A1`.
    pub fn defined_names(&self, sheet: &str) -> Vec<(String, String)> {
        let quoted = format!("'{}'", sheet.replace('\'', "''"));
        let target = format!("={quoted}!$A$1");
        let mut out = Vec::new();
        if let Some(id) = &self.profile {
            out.push((
                format!("{quoted}!{PROFILE_PREFIX}{}", encode(id)),
                target.clone(),
            ));
        }
        if let Some(unit) = &self.short_money {
            out.push((
                format!("{quoted}!{SHORT_MONEY_PREFIX}{}", encode(unit)),
                target.clone(),
            ));
        }
        if self.no_levels {
            out.push((format!("{quoted}!{NO_LEVELS}"), target));
        }
        out
    }
}

/// The records of a workbook's sheets, by sheet name, from its defined names as calamine lists
/// them (name, formula): the sheet is the one the formula refers to, whatever the name's scope.
pub fn from_defined_names(names: &[(String, String)]) -> HashMap<String, Record> {
    let mut out: HashMap<String, Record> = HashMap::new();
    for (name, formula) in names {
        let is_profile = name.starts_with(PROFILE_PREFIX);
        let is_short_money = name.starts_with(SHORT_MONEY_PREFIX);
        if !is_profile && !is_short_money && name != NO_LEVELS {
            continue;
        }
        let Some(sheet) = sheet_of(formula) else {
            continue;
        };
        let r = out.entry(sheet).or_default();
        if let Some(id) = name.strip_prefix(PROFILE_PREFIX).and_then(decode) {
            r.profile = Some(id);
        } else if let Some(unit) = name.strip_prefix(SHORT_MONEY_PREFIX).and_then(decode) {
            r.short_money = Some(unit);
        } else if name == NO_LEVELS {
            r.no_levels = true;
        }
    }
    out
}

/// The sheet a one-cell reference names: `'项目 A'!$A$1` (xlsx), `项目A!$A$1` (xls),
/// `$'项目 A'.$A$1` or `$项目 A.$A$1` (ods) or `of:=[$'项目 A'.$A$1]` (an ods expression).
fn sheet_of(formula: &str) -> Option<String> {
    let f = formula.trim();
    let f = f
        .strip_prefix("of:")
        .unwrap_or(f)
        .trim_start_matches('=')
        .trim_start_matches('[')
        .trim_start_matches('$');
    let sheet = if let Some(rest) = f.strip_prefix('\'') {
        // A quoted name: up to the quote not doubled.
        let mut name = String::new();
        let mut chars = rest.chars().peekable();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    name.push('\'');
                }
                '\'' => break,
                c => name.push(c),
            }
        }
        name
    } else {
        let end = f.rfind(['!', '.'])?;
        f[..end].to_string()
    };
    (!sheet.is_empty()).then_some(sheet)
}

/// A profile id as the tail of a defined name.
fn encode(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", u32::from(c)));
        }
    }
    out
}

/// The id [`encode`] wrote, or `None` for a tail it could not have written.
fn decode(tail: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = tail;
    while let Some(c) = rest.chars().next() {
        if c == '_' {
            let end = rest[1..].find('_')? + 1;
            let code = u32::from_str_radix(&rest[1..end], 16).ok()?;
            out.push(char::from_u32(code)?);
            rest = &rest[end + 1..];
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            rest = &rest[1..];
        } else {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_goes_into_a_name_and_back() {
        for id in [
            "national",
            "central-monitoring",
            "my_profile",
            "我省",
            "a.b",
        ] {
            let e = encode(id);
            assert!(
                e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{e}"
            );
            assert_eq!(decode(&e).as_deref(), Some(id));
        }
        assert_eq!(decode("bad_zz_"), None);
        assert_eq!(decode("open_2d"), None);
    }

    #[test]
    fn the_sheet_is_the_one_the_reference_names() {
        assert_eq!(sheet_of("'项目 A'!$A$1").as_deref(), Some("项目 A"));
        assert_eq!(sheet_of("='It''s'!$A$1").as_deref(), Some("It's"));
        assert_eq!(sheet_of("项目A!$A$1").as_deref(), Some("项目A"));
        assert_eq!(sheet_of("$'项目 A'.$A$1").as_deref(), Some("项目 A"));
        assert_eq!(sheet_of("$项目 A.$A$1").as_deref(), Some("项目 A"));
        assert_eq!(sheet_of("of:=[$'项目 A'.$A$1]").as_deref(), Some("项目 A"));
        assert_eq!(sheet_of("of:=[$项目A.$A$1]").as_deref(), Some("项目A"));
        assert_eq!(sheet_of("$A$1"), None);
    }

    #[test]
    fn records_come_back_by_sheet() {
        let r = Record {
            profile: Some("central-monitoring".into()),
            no_levels: true,
            short_money: Some("万".into()),
        };
        // As calamine lists a local name: without its scope, the formula as written.
        let names: Vec<(String, String)> = r
            .defined_names("It's")
            .into_iter()
            .map(|(n, f)| {
                let bare = n.rsplit('!').next().unwrap_or_default().to_string();
                (bare, f.trim_start_matches('=').to_string())
            })
            .chain([("Print_Area".to_string(), "'x'!$A$1:$B$2".to_string())])
            .collect();
        let got = from_defined_names(&names);
        assert_eq!(got.len(), 1);
        assert_eq!(got.get("It's"), Some(&r));
        assert!(r
            .defined_names("x")
            .iter()
            .any(|(n, _)| n.ends_with("jixiao_money_short__4e07_")));
    }
}
