//! Field paths ↔ the model, in one table.
//!
//! Findings, the cell map ([`Table::cells`](super::Table::cells)), the writer's plans and the
//! diff name a value of the model by a path (`project.name`, `funding.own.fiscal`, `goal`).
//! [`FIELDS`] lists every such path once: its Chinese name (the family's common wording; a
//! profile's `[wording]` may print another) and how to get or set the value. Nothing else maps
//! a path to a struct field by hand.
//!
//! The amount fields are views of the funding lines ([`Funding::lines`]): [`Funding::derive_views`]
//! fills them from the lines, in one place.

use rust_decimal::Decimal;

use super::{Funding, Table};
use crate::form::FundingScope;
use crate::read::profile::Profile;

/// How a field's value is reached.
#[derive(Clone, Copy)]
pub enum Access {
    /// A text of the table.
    Text {
        /// Reads it.
        get: fn(&Table) -> &str,
        /// Writes it.
        set: fn(&mut Table) -> &mut String,
    },
    /// An amount of the funding block in 万元: a view of the funding lines.
    Amount {
        /// Reads it.
        get: fn(&Funding) -> Option<Decimal>,
        /// Writes it.
        set: fn(&mut Funding) -> &mut Option<Decimal>,
        /// The keys of the funding lines it shows, first the canonical one (the profile's
        /// `field` of a line, when given, wins over these).
        keys: &'static [&'static str],
    },
    /// A value that is not a single string or amount of the model (`year`, `unit`, a code).
    Other,
}

/// One field of the model.
#[derive(Clone, Copy)]
pub struct Field {
    /// The path (`funding.own.fiscal`).
    pub path: &'static str,
    /// Its Chinese name, the family's common wording (`财政拨款`).
    pub name: &'static str,
    /// The group an amount belongs to, said before its name where several groups share names
    /// (`本级资金` for `funding.own.fiscal`); empty otherwise.
    pub group: &'static str,
    /// How the value is reached.
    pub access: Access,
}

impl Field {
    /// The name with its group (`本级资金·财政拨款`), for lists that mix groups.
    pub(crate) fn qualified_name(&self) -> String {
        if self.group.is_empty() || self.name.starts_with(self.group) {
            self.name.to_string()
        } else {
            format!("{}·{}", self.group, self.name)
        }
    }

    /// True for an amount of the funding block.
    pub(crate) fn is_amount(&self) -> bool {
        matches!(self.access, Access::Amount { .. })
    }

    /// The text value of a text field (`None` for other fields).
    pub fn text<'t>(&self, table: &'t Table) -> Option<&'t str> {
        match self.access {
            Access::Text { get, .. } => Some(get(table)),
            _ => None,
        }
    }

    /// The amount of an amount field (`None` for other fields and for an amount not given).
    pub fn amount(&self, funding: &Funding) -> Option<Decimal> {
        match self.access {
            Access::Amount { get, .. } => get(funding),
            _ => None,
        }
    }
}

macro_rules! text {
    ($path:literal, $name:literal, $($f:ident).+) => {
        Field {
            path: $path,
            name: $name,
            group: "",
            access: Access::Text {
                get: |t| &t.$($f).+,
                set: |t| &mut t.$($f).+,
            },
        }
    };
}

macro_rules! amount {
    ($path:literal, $name:literal, $group:literal, [$($key:literal),+], $($f:ident).+) => {
        Field {
            path: $path,
            name: $name,
            group: $group,
            access: Access::Amount {
                get: |f| f.$($f).+,
                set: |f| &mut f.$($f).+,
                keys: &[$($key),+],
            },
        }
    };
}

/// Every field path of the model that findings, cells and plans name, with its Chinese name.
pub const FIELDS: &[Field] = &[
    Field {
        path: "title",
        name: "标题",
        group: "",
        access: Access::Text {
            get: |t| &t.title,
            set: |t| &mut t.title,
        },
    },
    Field {
        path: "year",
        name: "年度",
        group: "",
        access: Access::Other,
    },
    Field {
        path: "unit",
        name: "金额单位",
        group: "",
        access: Access::Other,
    },
    text!("project.name", "项目名称", project.name),
    text!("project.department", "主管部门", project.department),
    Field {
        path: "project.department_code",
        name: "部门预算编码",
        group: "",
        access: Access::Other,
    },
    text!(
        "project.implementing_unit",
        "实施单位",
        project.implementing_unit
    ),
    text!("project.attribute", "项目属性", project.attribute),
    text!("project.period", "项目期", project.period),
    text!("project.category", "项目类别", project.category),
    text!("goal", "年度总体目标", goal),
    text!("long_term_goal", "长期绩效目标", long_term_goal),
    Field {
        path: "department.duties",
        name: "部门职责",
        group: "",
        access: Access::Other,
    },
    amount!(
        "funding.total",
        "项目总额",
        "",
        ["total", "project_total"],
        total
    ),
    amount!(
        "funding.annual_total",
        "年度资金总额",
        "",
        ["annual_total"],
        annual_total
    ),
    amount!(
        "funding.own.total",
        "本级资金总额",
        "本级资金",
        ["own_total", "own"],
        own.total
    ),
    amount!(
        "funding.own.fiscal",
        "财政拨款",
        "本级资金",
        ["fiscal"],
        own.fiscal
    ),
    amount!(
        "funding.own.other",
        "其他资金",
        "本级资金",
        ["other"],
        own.other
    ),
    amount!(
        "funding.own.carryover",
        "上年结转资金",
        "本级资金",
        ["carryover"],
        own.carryover
    ),
    amount!(
        "funding.transfer.total",
        "转移支付资金总额",
        "转移资金",
        ["transfer_total", "transfer"],
        transfer.total
    ),
    amount!(
        "funding.transfer.central",
        "中央资金",
        "转移资金",
        ["central"],
        transfer.central
    ),
    amount!(
        "funding.transfer.regional",
        "省级资金",
        "转移资金",
        ["regional", "provincial"],
        transfer.regional
    ),
];

/// A sum between amount fields: `total` = Σ `parts`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ViewSum {
    /// The total's path.
    pub total: &'static str,
    /// The parts' paths, in the order messages name them.
    pub parts: &'static [&'static str],
    /// True for a sum of the forms that split 本级 from 转移 funds, false for one of the forms
    /// without the split (where 年度资金总额 is made of its sources directly).
    pub split: bool,
}

/// The sums the amount fields obey, in one place: the checker's identities on a model without
/// lines and the writer's formulas both come from here.
pub(crate) const VIEW_SUMS: &[ViewSum] = &[
    ViewSum {
        total: "funding.own.total",
        parts: &[
            "funding.own.fiscal",
            "funding.own.other",
            "funding.own.carryover",
        ],
        split: true,
    },
    ViewSum {
        total: "funding.transfer.total",
        parts: &["funding.transfer.central", "funding.transfer.regional"],
        split: true,
    },
    ViewSum {
        total: "funding.annual_total",
        parts: &["funding.own.total", "funding.transfer.total"],
        split: true,
    },
    ViewSum {
        total: "funding.annual_total",
        parts: &[
            "funding.own.fiscal",
            "funding.own.carryover",
            "funding.own.other",
        ],
        split: false,
    },
];

/// The field with this path.
pub fn field(path: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.path == path)
}

/// The Chinese name of a field path (`字段` for a path the table does not list).
pub fn name(path: &str) -> &'static str {
    field(path).map_or("字段", |f| f.name)
}

/// The amount fields (the funding views), in table order.
pub fn amounts() -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(|f| f.is_amount())
}

/// The amount at a field path (`None` for a path that is not an amount, or not given).
pub fn amount(funding: &Funding, path: &str) -> Option<Decimal> {
    field(path).and_then(|f| f.amount(funding))
}

/// The amount field a funding line is a view of: the one its profile reads its key as (the
/// line's `field`), or — for a key the profile does not define — the field whose keys name it.
pub(crate) fn view_of_line(key: &str, profile: &Profile) -> Option<&'static Field> {
    if key.is_empty() {
        return None;
    }
    match profile.funding_by_key(key) {
        Some(def) => field(&def.field_id()).filter(|f| f.is_amount()),
        None => amounts()
            .find(|f| matches!(f.access, Access::Amount { keys, .. } if keys.contains(&key))),
    }
}

impl Funding {
    /// Fills the fixed fields (`total`, `annual_total`, `own`, `transfer`) from the lines, the
    /// one source: each is the amount of the line the profile reads as that field (the annual
    /// one; 项目总额 of any span but another column's), and `None` where the table prints no
    /// such line. A table without lines (a model of version 1) keeps its fields as they are.
    pub fn derive_views(&mut self, profile: &Profile) {
        if self.lines.is_empty() {
            return;
        }
        for f in amounts() {
            if let Access::Amount { set, .. } = f.access {
                *set(self) = None;
            }
        }
        for i in 0..self.lines.len() {
            let line = &self.lines[i];
            let Some(amount) = line.amount else { continue };
            let Some(view) = view_of_line(&line.key, profile) else {
                continue;
            };
            let in_span = match line.scope {
                FundingScope::Annual => true,
                FundingScope::MidTerm => view.path == "funding.total",
                FundingScope::Other => false,
            };
            if let (true, Access::Amount { set, .. }) = (in_span, view.access) {
                // The last line read wins, as a later cell of the same field does.
                *set(self) = Some(amount);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FundingLine;
    use crate::read::profile::ProfileRef;

    fn line(key: &str, amount: i64, scope: FundingScope) -> FundingLine {
        FundingLine {
            key: key.into(),
            label: key.into(),
            amount: Some(Decimal::new(amount, 0)),
            scope,
            ..FundingLine::default()
        }
    }

    #[test]
    fn every_path_is_listed_once_and_reaches_its_value() {
        let mut paths: Vec<&str> = FIELDS.iter().map(|f| f.path).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        assert_eq!(n, paths.len(), "a path listed twice");
        let mut t = Table::default();
        for (k, f) in FIELDS.iter().enumerate() {
            assert!(!f.name.is_empty(), "{}", f.path);
            match f.access {
                Access::Text { get, set } => {
                    *set(&mut t) = format!("v{k}");
                    assert_eq!(get(&t), format!("v{k}"), "{}", f.path);
                }
                Access::Amount { get, set, keys } => {
                    assert!(!keys.is_empty(), "{}", f.path);
                    *set(&mut t.funding) = Some(Decimal::new(k as i64, 0));
                    assert_eq!(get(&t.funding), Some(Decimal::new(k as i64, 0)));
                }
                Access::Other => {}
            }
        }
        // Each amount reaches its own slot: all nine are different after the loop.
        let mut seen: Vec<Decimal> = amounts().filter_map(|f| f.amount(&t.funding)).collect();
        seen.dedup();
        assert_eq!(seen.len(), amounts().count());
        assert_eq!(name("funding.own.fiscal"), "财政拨款");
        assert_eq!(
            field("funding.transfer.central").map(Field::qualified_name),
            Some("转移资金·中央资金".to_string())
        );
    }

    #[test]
    fn views_come_from_the_lines_and_stay_empty_where_none_is_printed() {
        let ningxia = ProfileRef::from("ningxia");
        let mut f = Funding {
            lines: vec![
                line("annual_total", 100, FundingScope::Annual),
                line("own_total", 100, FundingScope::Annual),
                line("fiscal", 80, FundingScope::Annual),
                line("carryover", 20, FundingScope::Annual),
                line("transfer_total", 0, FundingScope::Annual),
                line("fiscal", 999, FundingScope::Other),
            ],
            ..Funding::default()
        };
        f.own.other = Some(Decimal::ONE);
        f.derive_views(&ningxia);
        assert_eq!(f.annual_total, Some(Decimal::new(100, 0)));
        assert_eq!(f.own.total, Some(Decimal::new(100, 0)));
        assert_eq!(f.own.fiscal, Some(Decimal::new(80, 0)));
        assert_eq!(f.own.carryover, Some(Decimal::new(20, 0)));
        assert_eq!(f.transfer.total, Some(Decimal::ZERO));
        // Not printed: no view.
        assert_eq!(f.own.other, None);
        assert_eq!(f.transfer.central, None);
        assert_eq!(f.total, None);
    }

    #[test]
    fn a_provincial_source_is_not_fiscal_money() {
        let profile = crate::read::profile::Profile::from_toml(
            "id = \"p\"\nextends = \"national\"\n\
             [[funding]]\nkey = \"provincial\"\nparent = \"annual_total\"\nrole = \"regional\"\n",
        )
        .expect("a profile");
        let mut f = Funding {
            lines: vec![
                line("provincial", 80, FundingScope::Annual),
                line("annual_total", 110, FundingScope::Annual),
            ],
            ..Funding::default()
        };
        f.lines[0].role = Some("regional".into());
        f.derive_views(&profile);
        assert_eq!(f.annual_total, Some(Decimal::new(110, 0)));
        // Neither 财政拨款 0.00 nor all of it the department's own.
        assert_eq!(f.own.fiscal, None);
        assert_eq!(f.own.total, None);
        assert_eq!(f.transfer.regional, None);
        // Without that line the form still prints no 本级 / 转移 line: nothing is invented.
        f.lines.remove(0);
        f.derive_views(&profile);
        assert_eq!(f.annual_total, Some(Decimal::new(110, 0)));
        assert_eq!(f.own.total, None);
        assert_eq!(f.own.fiscal, None);
        assert_eq!(f.transfer.total, None);
    }

    #[test]
    fn the_multi_year_total_is_a_view_the_other_amounts_are_not() {
        let national = ProfileRef::from("national");
        let mut f = Funding {
            lines: vec![
                line("total", 300, FundingScope::MidTerm),
                line("fiscal", 250, FundingScope::MidTerm),
                line("annual_total", 100, FundingScope::Annual),
            ],
            ..Funding::default()
        };
        f.derive_views(&national);
        assert_eq!(f.total, Some(Decimal::new(300, 0)));
        assert_ne!(f.own.fiscal, Some(Decimal::new(250, 0)));
        assert_eq!(f.annual_total, Some(Decimal::new(100, 0)));
    }

    #[test]
    fn a_model_without_lines_keeps_its_fields() {
        let mut f = Funding {
            annual_total: Some(Decimal::new(45, 0)),
            ..Funding::default()
        };
        f.derive_views(&ProfileRef::from("national"));
        assert_eq!(f.annual_total, Some(Decimal::new(45, 0)));
    }
}
