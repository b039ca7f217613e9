//! The funding block as amounts and the identities between them: the printed lines as a tree
//! (with the profile's sums), or the fixed fields of a model without lines.

use rust_decimal::Decimal;

use super::{ANNUAL_SUM, LINE_SUM, OWN_SUM, TRANSFER_SUM};
use crate::cell::CellRef;
use crate::check::{Ctx, Rule, MAX_AMOUNT};
use crate::model::fields;
use crate::model::{FundingLine, FundingScope};

/// An amount taking part in the identities.
#[derive(Debug, Clone)]
pub(super) struct Var {
    pub(super) field: String,
    pub(super) label: String,
    pub(super) value: Decimal,
    pub(super) cell: Option<CellRef>,
    /// Filled in by the reader, not typed: never the one to blame.
    pub(super) derived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// total = Σ parts.
    Equal,
    /// total ≥ Σ parts.
    AtLeast,
}

#[derive(Debug)]
pub(super) struct Identity {
    pub(super) rule: &'static Rule,
    pub(super) total: usize,
    pub(super) parts: Vec<usize>,
    pub(super) kind: Kind,
    /// Said before the message: `中期：` for the multi-year column.
    pub(super) scope: &'static str,
}

impl Identity {
    pub(super) fn vars(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }

    pub(super) fn sum(&self, vars: &[Var]) -> Decimal {
        self.parts.iter().map(|p| vars[*p].value).sum()
    }

    pub(super) fn holds(&self, vars: &[Var], tolerance: Decimal) -> bool {
        let (t, s) = (vars[self.total].value, self.sum(vars));
        match self.kind {
            Kind::Equal => (t - s).abs() <= tolerance,
            Kind::AtLeast => t >= s - tolerance,
        }
    }

    /// Holds within the tolerance but not exactly.
    pub(super) fn rounded(&self, vars: &[Var], tolerance: Decimal) -> bool {
        self.kind == Kind::Equal
            && self.holds(vars, tolerance)
            && vars[self.total].value != self.sum(vars)
    }

    /// The value `v` would need for the identity to hold.
    pub(super) fn solve(&self, vars: &[Var], v: usize) -> Decimal {
        let (t, s) = (vars[self.total].value, self.sum(vars));
        if v == self.total {
            s
        } else {
            t - (s - vars[v].value)
        }
    }
}

/// The amounts and identities of a funding block.
pub(super) struct Block {
    pub(super) vars: Vec<Var>,
    pub(super) ids: Vec<Identity>,
    pub(super) total: Option<usize>,
    pub(super) annual: Option<usize>,
}

/// The model field a funding line is also a view of, found by its cell.
pub(super) fn legacy_field(ctx: &Ctx<'_>, line: &FundingLine) -> Option<String> {
    let cell = line.cell?;
    ctx.table
        .cells
        .iter()
        .find(|(k, v)| k.starts_with("funding.") && v.cell == cell)
        .map(|(k, _)| k.clone())
}

/// A line's label as printed, without the `其中：` that introduces a part.
pub(super) fn printed_label(line: &FundingLine) -> String {
    let l = line.label.trim();
    let l = l
        .strip_prefix("其中：")
        .or_else(|| l.strip_prefix("其中:"))
        .unwrap_or(l);
    l.trim().to_string()
}

/// The rule a tree sum is reported under: the old ids where the lines are the old fields
/// (rule files and reports name them), `funding.sum` otherwise.
pub(super) fn rule_for(parent: &str, children: &[&str]) -> &'static Rule {
    let is = |names: &[&str], x: &str| names.contains(&x);
    let any_child = |names: &[&str]| children.iter().any(|c| is(names, c));
    let all_children = |names: &[&str]| children.iter().all(|c| is(names, c));
    match parent {
        "funding.own.total" | "own_total" => &OWN_SUM,
        "funding.transfer.total" | "transfer_total" => &TRANSFER_SUM,
        "funding.annual_total" | "annual_total"
            if any_child(&[
                "funding.own.total",
                "funding.transfer.total",
                "own_total",
                "transfer_total",
            ]) =>
        {
            &ANNUAL_SUM
        }
        "funding.annual_total" | "annual_total"
            if all_children(&[
                "funding.own.fiscal",
                "funding.own.other",
                "funding.own.carryover",
                "fiscal",
                "other",
                "carryover",
            ]) =>
        {
            &OWN_SUM
        }
        _ => &LINE_SUM,
    }
}

/// The block as a tree: every printed line, every parent against its children (annual and
/// multi-year columns apart).
pub(super) fn tree_block(ctx: &Ctx<'_>) -> Block {
    let f = &ctx.table.funding;
    let mut vars = Vec::new();
    let mut var_of: Vec<Option<usize>> = vec![None; f.lines.len()];
    let mut names: Vec<String> = vec![String::new(); f.lines.len()];
    for (i, line) in f.lines.iter().enumerate() {
        let legacy = legacy_field(ctx, line);
        names[i] = legacy.clone().unwrap_or_else(|| line.key.clone());
        if line.scope == FundingScope::Other {
            continue;
        }
        let Some(value) = line.amount.filter(|v| v.abs() <= MAX_AMOUNT) else {
            continue;
        };
        let mut label = printed_label(line);
        if label.is_empty() {
            label = legacy
                .as_deref()
                .map_or_else(|| line.key.clone(), |l| ctx.label(l));
        }
        if line.scope == FundingScope::MidTerm && !label.contains("中期") && !label.contains("总额")
        {
            label = format!("{label}（中期）");
        }
        vars.push(Var {
            field: legacy.unwrap_or_else(|| format!("funding.lines[{i}]")),
            label,
            value,
            cell: line.cell,
            derived: false,
        });
        var_of[i] = Some(vars.len() - 1);
    }
    // Line `p` (variable `total`) equals the sum of the lines of `group` that have amounts.
    let equal = |p: usize, total: usize, group: &[usize]| -> Option<Identity> {
        let parts: Vec<usize> = group.iter().filter_map(|c| var_of[*c]).collect();
        if parts.is_empty() {
            return None;
        }
        let child_names: Vec<&str> = group.iter().map(|c| names[*c].as_str()).collect();
        Some(Identity {
            rule: rule_for(&names[p], &child_names),
            total,
            parts,
            kind: Kind::Equal,
            scope: if f.lines[p].scope == FundingScope::MidTerm {
                "中期："
            } else {
                ""
            },
        })
    };
    let profile = ctx.table.profile.get();
    let mut ids = Vec::new();
    for (p, line) in f.lines.iter().enumerate() {
        let Some(total) = var_of[p] else { continue };
        let kids: Vec<usize> = f
            .children(p)
            .filter(|(_, c)| c.scope == line.scope)
            .map(|(c, _)| c)
            .collect();
        // The profile's sums split a line's children when it has several decompositions (a
        // department's 资金总额 by use, 基本支出 + 项目支出, and by source); without one, all
        // children add up to the line.
        let groups: Vec<Vec<usize>> =
            match profile.sums.iter().filter(|s| s.total == line.key).count() {
                2.. => profile
                    .sums
                    .iter()
                    .filter(|s| s.total == line.key)
                    .map(|s| {
                        kids.iter()
                            .copied()
                            .filter(|c| s.parts.contains(&f.lines[*c].key))
                            .collect()
                    })
                    .collect(),
                _ => vec![kids],
            };
        ids.extend(groups.iter().filter_map(|g| equal(p, total, g)));
    }
    // The profile's sums whose total the tree gives no parts: a total printed below its parts
    // (`申报资金合计` under its sources) or apart from them is checked all the same.
    for (p, line) in f.lines.iter().enumerate() {
        let Some(total) = var_of[p] else { continue };
        if f.children(p).any(|(_, c)| c.scope == line.scope) {
            continue;
        }
        for sum in profile.sums.iter().filter(|s| s.total == line.key) {
            let group: Vec<usize> = f
                .lines
                .iter()
                .enumerate()
                .filter(|(c, l)| *c != p && l.scope == line.scope && sum.parts.contains(&l.key))
                .map(|(c, _)| c)
                .collect();
            ids.extend(equal(p, total, &group));
        }
    }
    let find = |keys: &[&str], scope: Option<FundingScope>| {
        f.lines.iter().enumerate().find_map(|(i, l)| {
            let named = keys.contains(&l.key.as_str()) || keys.contains(&names[i].as_str());
            (named && scope.is_none_or(|s| l.scope == s))
                .then_some(var_of[i])
                .flatten()
        })
    };
    let annual = find(
        &["annual_total", "funding.annual_total"],
        Some(FundingScope::Annual),
    );
    let total = find(&["total", "funding.total"], None);
    Block {
        vars,
        ids,
        total,
        annual,
    }
}

/// The block as the fixed fields (a model without `funding.lines`), with the sums they obey
/// ([`fields::VIEW_SUMS`]).
pub(super) fn legacy_block(ctx: &Ctx<'_>) -> Block {
    let t = ctx.table;
    let f = &t.funding;
    let mut vars: Vec<Var> = Vec::new();
    // Without 本级/转移 cells the amounts of the split are not the table's.
    let has_cells = !t.cells.is_empty();
    let split_only =
        |path: &str| path == "funding.own.total" || path.starts_with("funding.transfer.");
    let no_split = has_cells
        && fields::amounts()
            .filter(|a| split_only(a.path))
            .all(|a| !t.cells.contains_key(a.path));
    let mut var_of = std::collections::HashMap::new();
    for a in fields::amounts() {
        if no_split && split_only(a.path) {
            continue;
        }
        // Absurd amounts (beyond any budget) are left out rather than overflow a sum.
        let Some(value) = a.amount(f).filter(|v| v.abs() <= MAX_AMOUNT) else {
            continue;
        };
        let mut label = ctx.label(a.path);
        if no_split && a.path == "funding.own.carryover" {
            label = "上年结转资金".into();
        }
        vars.push(Var {
            field: a.path.to_string(),
            label,
            value,
            cell: ctx.cell_of(a.path),
            derived: has_cells && !t.cells.contains_key(a.path),
        });
        var_of.insert(a.path, vars.len() - 1);
    }
    let mut ids: Vec<Identity> = Vec::new();
    for sum in fields::VIEW_SUMS.iter().filter(|s| s.split != no_split) {
        let Some(&total) = var_of.get(sum.total) else {
            continue;
        };
        let parts: Vec<usize> = sum
            .parts
            .iter()
            .filter_map(|p| var_of.get(p).copied())
            .collect();
        if parts.is_empty() {
            continue;
        }
        ids.push(Identity {
            rule: rule_for(sum.total, sum.parts),
            total,
            parts,
            kind: Kind::Equal,
            scope: "",
        });
    }
    Block {
        total: var_of.get("funding.total").copied(),
        annual: var_of.get("funding.annual_total").copied(),
        vars,
        ids,
    }
}
