//! The columns of a self-evaluation or monitoring form, as data: what each header means (its
//! role) in the budget block and in the indicator grid, and the order a form prints them in.
//!
//! The words every form reads are `templates/selfeval.toml`; a profile adds its own and gives
//! its order in `[columns]`:
//!
//! ```toml
//! [columns]
//! execution = ["label", "initial", "adjusted", "executed", "weight", "rate", "score"]
//! grid = ["level1", "level2", "name", "value", "actual", "weight", "score", "reason"]
//! [columns.words.grid]
//! actual = ["全年完成数"]
//! ```
//!
//! The first word of a role is the header a writer prints for it.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::read::labels::normalize_label;

/// The common words (`templates/selfeval.toml`).
pub const SELFEVAL_TOML: &str = include_str!("../../templates/selfeval.toml");

/// Which block a header is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// The budget block (项目资金 with its columns).
    Execution,
    /// The indicator grid.
    Grid,
}

/// A profile's `[columns]` as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnsFile {
    /// The budget block's roles, left to right.
    #[serde(default)]
    pub execution: Option<Vec<String>>,
    /// The grid's roles, left to right.
    #[serde(default)]
    pub grid: Option<Vec<String>>,
    /// Extra header words, by block and role.
    #[serde(default)]
    pub words: Option<WordsFile>,
}

/// Header words by block and role.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordsFile {
    /// The budget block's words.
    #[serde(default)]
    pub execution: BTreeMap<String, Vec<String>>,
    /// The grid's words.
    #[serde(default)]
    pub grid: BTreeMap<String, Vec<String>>,
}

impl ColumnsFile {
    /// `self`, with what `over` sets taking precedence (orders replaced, words added first).
    pub fn layered(&self, over: &ColumnsFile) -> ColumnsFile {
        let mut words = self.words.clone().unwrap_or_default();
        if let Some(w) = &over.words {
            for (map, add) in [
                (&mut words.execution, &w.execution),
                (&mut words.grid, &w.grid),
            ] {
                for (role, list) in add {
                    let entry = map.entry(role.clone()).or_default();
                    let mut merged = list.clone();
                    merged.append(entry);
                    *entry = merged;
                }
            }
        }
        ColumnsFile {
            execution: over.execution.clone().or_else(|| self.execution.clone()),
            grid: over.grid.clone().or_else(|| self.grid.clone()),
            words: Some(words),
        }
    }
}

/// The columns of a form, resolved: header words by role (the profile's, then the common ones)
/// and the printed order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    /// The budget block's roles, left to right (empty: any order).
    pub execution_order: Vec<String>,
    /// The grid's roles, left to right (empty: any order).
    pub grid_order: Vec<String>,
    /// Budget block: role → words, normalised, the profile's first.
    execution: Vec<(String, Vec<String>)>,
    /// Grid: role → words, normalised.
    grid: Vec<(String, Vec<String>)>,
    /// Printed words (not normalised), for writers: (block, role) → first word.
    printed: BTreeMap<(bool, String), String>,
}

#[derive(Debug, Deserialize)]
struct CommonFile {
    execution: BTreeMap<String, Vec<String>>,
    grid: BTreeMap<String, Vec<String>>,
}

/// A header normalised for comparison, with the month it names (`1-7月执行数` → `1-N月执行数`, 7).
pub fn normalize_header(header: &str) -> (String, Option<u32>) {
    let mut n = normalize_label(header);
    for unit in ["(万元)", "(元)", "(%)", "(分)"] {
        if n.len() > unit.len() {
            if let Some(s) = n.strip_suffix(unit) {
                n = s.to_string();
            }
        }
    }
    // `1-7月`, `1—7月`, `1~7月`, `1至7月`, `截至7月`, `截止7月` → the month N.
    let chars: Vec<char> = n.chars().collect();
    let mut out = String::new();
    let mut month = None;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'月') {
                if let Ok(m) = digits.parse::<u32>() {
                    if (1..=12).contains(&m) {
                        // `1-7月`: the 1 before the dash stays, the 7 is N.
                        month = Some(m);
                        out.push('N');
                        continue;
                    }
                }
            }
            out.push_str(&digits);
            continue;
        }
        let c = match chars[i] {
            '—' | '–' | '~' | '～' | '至' | '－' => '-',
            c => c,
        };
        out.push(c);
        i += 1;
    }
    let out = out.replace("截止", "截至");
    (out, month)
}

impl Columns {
    /// The columns of a profile's `[columns]` over the common words.
    ///
    /// # Errors
    /// When the common file or a role name is wrong (in Chinese).
    pub fn resolve(file: &ColumnsFile) -> Result<Columns, String> {
        let common: CommonFile = toml::from_str(SELFEVAL_TOML)
            .map_err(|e| format!("templates/selfeval.toml 格式不对：{e}"))?;
        let own = file.words.clone().unwrap_or_default();
        let mut printed = BTreeMap::new();
        let mut build = |is_exec: bool,
                         common: &BTreeMap<String, Vec<String>>,
                         own: &BTreeMap<String, Vec<String>>|
         -> Vec<(String, Vec<String>)> {
            let mut roles: Vec<String> = common.keys().cloned().collect();
            for r in own.keys() {
                if !roles.contains(r) {
                    roles.push(r.clone());
                }
            }
            roles
                .into_iter()
                .map(|role| {
                    let words: Vec<&String> = own
                        .get(&role)
                        .into_iter()
                        .flatten()
                        .chain(common.get(&role).into_iter().flatten())
                        .collect();
                    if let Some(first) = words.first() {
                        printed.insert((is_exec, role.clone()), (*first).clone());
                    }
                    let norm = words.iter().map(|w| normalize_header(w).0).collect();
                    (role, norm)
                })
                .collect()
        };
        let execution = build(true, &common.execution, &own.execution);
        let grid = build(false, &common.grid, &own.grid);
        let known_grid = [
            "level1", "level2", "name", "value", "nature", "unit", "remark",
        ];
        for role in file.grid.iter().flatten() {
            if !grid.iter().any(|(r, _)| r == role) && !known_grid.contains(&role.as_str()) {
                return Err(format!("[columns] grid：不认识的列“{role}”"));
            }
        }
        for role in file.execution.iter().flatten() {
            if !execution.iter().any(|(r, _)| r == role) {
                return Err(format!("[columns] execution：不认识的列“{role}”"));
            }
        }
        Ok(Columns {
            execution_order: file.execution.clone().unwrap_or_default(),
            grid_order: file.grid.clone().unwrap_or_default(),
            execution,
            grid,
            printed,
        })
    }

    /// The role a header gives its column in `block`, and the month it names.
    pub fn role_of(&self, block: Block, header: &str) -> Option<(&str, Option<u32>)> {
        let (n, month) = normalize_header(header);
        if n.is_empty() {
            return None;
        }
        let table = match block {
            Block::Execution => &self.execution,
            Block::Grid => &self.grid,
        };
        table
            .iter()
            .find(|(_, words)| words.contains(&n))
            .map(|(role, _)| (role.as_str(), month))
    }

    /// The header a writer prints for a role (the profile's first word, else the common one);
    /// `1-N月` stands for the month.
    pub fn printed(&self, block: Block, role: &str) -> Option<&str> {
        self.printed
            .get(&(block == Block::Execution, role.to_string()))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_find_their_roles() {
        let c = Columns::resolve(&ColumnsFile::default()).expect("valid");
        assert_eq!(
            c.role_of(Block::Execution, "全年预算数"),
            Some(("adjusted", None))
        );
        assert_eq!(
            c.role_of(Block::Execution, "1-7月执行数"),
            Some(("executed", Some(7)))
        );
        assert_eq!(
            c.role_of(Block::Grid, "1—6月执行数"),
            Some(("progress", Some(6)))
        );
        assert_eq!(
            c.role_of(Block::Grid, "偏差原因分析及改进措施"),
            Some(("reason", None))
        );
        assert_eq!(
            c.role_of(Block::Execution, "执行率（%）"),
            Some(("rate", None))
        );
        assert_eq!(c.role_of(Block::Grid, "三级指标"), None);
        assert_eq!(c.printed(Block::Grid, "actual"), Some("实际完成值"));
    }

    #[test]
    fn a_profile_adds_words_and_order() {
        let file: ColumnsFile = toml::from_str(
            "grid = [\"name\", \"actual\"]\n[words.grid]\nactual = [\"全年完成数\"]\n",
        )
        .expect("valid");
        let c = Columns::resolve(&file).expect("valid");
        assert_eq!(c.role_of(Block::Grid, "全年完成数"), Some(("actual", None)));
        assert_eq!(c.printed(Block::Grid, "actual"), Some("全年完成数"));
        assert_eq!(c.grid_order, vec!["name", "actual"]);
        let bad: ColumnsFile = toml::from_str("grid = [\"nonsense\"]").expect("valid");
        assert!(Columns::resolve(&bad)
            .expect_err("an error")
            .contains("nonsense"));
    }
}
