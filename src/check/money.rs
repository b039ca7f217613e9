//! Money in indicator values and messages: the amount a value states (`30万元`, `300000` in a
//! table written in 元, `≤50万元`, `500元/人`), and amounts as the tables print them.

use rust_decimal::Decimal;

use super::Vocab;
use crate::model::{Indicator, Value};
use crate::read::values::money_scale;

/// The value as typed in its cell, without the 度量单位 column's unit the reader appended
/// after a unit of its own (`15万元` + `%` → `15万元`): values.nature reports the mismatch,
/// the money rules read the amount that was typed.
pub(crate) fn typed_value(ind: &Indicator) -> Value {
    let column = ind.unit_column.as_deref().map(str::trim).unwrap_or("");
    let unit = ind.value.unit.as_deref().map(str::trim).unwrap_or("");
    match unit.strip_suffix(column) {
        Some(own) if !column.is_empty() && !own.is_empty() => {
            let raw = ind.value.raw.trim();
            let typed = raw.strip_suffix(column).unwrap_or(raw);
            let v = crate::read::values::parse_value(typed);
            if v.number.is_some() {
                v
            } else {
                ind.value.clone()
            }
        }
        _ => ind.value.clone(),
    }
}

/// Where a unit came from when an amount was read from an indicator value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UnitNote {
    /// A full money unit (`万元`).
    Full,
    /// A unit missing its 元 (`万`), and the full unit meant.
    Short(String),
    /// No unit at all: the table's unit was assumed.
    Missing(String),
}

/// The money an indicator value states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Money {
    /// An amount, in 万元.
    Amount(Decimal, UnitNote),
    /// A money rate (`500元/人`): money, but not part of the total.
    PerUnit,
    /// A cap (`≤50万元`), in 万元: money, but not an exact amount.
    Cap(Decimal, UnitNote),
    /// Not money.
    None,
}

/// Reads the money of an indicator value; a bare number is in the table's unit.
pub(crate) fn money_of(vocab: &Vocab, value: &Value, source_unit: Option<&str>) -> Money {
    let Some(number) = value.number else {
        return Money::None;
    };
    let table_unit = source_unit.unwrap_or("万元");
    match value.unit.as_deref().map(str::trim) {
        None | Some("") => match vocab.money_factor(table_unit) {
            Some(f) => in_range(number, f).map_or(Money::None, |d| {
                Money::Amount(d, UnitNote::Missing(table_unit.to_string()))
            }),
            None => Money::None,
        },
        Some(u) => {
            if let Some(f) = vocab.money_factor(u) {
                return in_range(number, f)
                    .map_or(Money::None, |d| Money::Amount(d, UnitNote::Full));
            }
            if let Some(full) = vocab.full_unit(u) {
                if let Some(f) = vocab.money_factor(full) {
                    return in_range(number, f).map_or(Money::None, |d| {
                        Money::Amount(d, UnitNote::Short(full.to_string()))
                    });
                }
            }
            let money_prefix = vocab
                .money
                .units
                .keys()
                .chain(vocab.money.short_units.keys())
                .any(|m| u.starts_with(m.as_str()) && u[m.len()..].starts_with(['/', '每']));
            if money_prefix {
                Money::PerUnit
            } else {
                Money::None
            }
        }
    }
}

/// Largest amount the checks compare: 10¹² 万元 (far above any budget, far below overflow).
pub(crate) const MAX_AMOUNT: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);

/// `number × factor` when it is an amount the checks can add up without overflow.
pub(crate) fn in_range(number: Decimal, factor: Decimal) -> Option<Decimal> {
    number.checked_mul(factor).filter(|d| d.abs() <= MAX_AMOUNT)
}

/// An amount as the tables print it (`0.78`, `45.00`).
pub(crate) fn fmt_money(d: Decimal) -> String {
    money_scale(d).to_string()
}
