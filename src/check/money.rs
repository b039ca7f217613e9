//! Money in indicator values and messages: the amount a value states (`30万元`, `300000` in a
//! table written in 元, `≤50万元`, `500元/人`), and amounts as the tables print them.

use rust_decimal::Decimal;

use super::Vocab;
use crate::model::{Indicator, Value};
use crate::read::values::{money_scale, parse_value};

/// The value as typed in its cell, without the 度量单位 column's unit the reader appended
/// after a unit of its own (`15万元` + `%` → `15万元`): values.nature reports the mismatch,
/// the money rules read the amount that was typed.
///
/// Where no unit column is printed, a unit glued after the money unit (`28.8万元%`, the value and
/// its 度量单位 of a form printed in one cell) is left to values.nature in the same way: the
/// money rules read `28.8万元`.
pub(crate) fn typed_value(vocab: &Vocab, ind: &Indicator) -> Value {
    let column = ind.unit_column.as_deref().map(str::trim).unwrap_or("");
    let unit = ind.value.unit.as_deref().map(str::trim).unwrap_or("");
    if column.is_empty() {
        if let Some((money, _)) = glued_units(vocab, unit) {
            return Value {
                unit: Some(money.to_string()),
                ..ind.value.clone()
            };
        }
    }
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

/// A money unit with another unit the vocabulary knows glued after it (`万元%`, `元天`):
/// (the money unit, the other unit). The longest money unit is taken (`万元`, not `万`); a
/// money rate (`万元/公里`, `元每人`) is one unit, not two.
pub(crate) fn glued_units<'u>(vocab: &Vocab, unit: &'u str) -> Option<(&'u str, &'u str)> {
    let money = vocab
        .money
        .units
        .keys()
        .chain(vocab.money.short_units.keys())
        .filter(|m| unit.starts_with(m.as_str()))
        .max_by_key(|m| m.len())?;
    let (money, other) = unit.split_at(money.len());
    let other = other.trim();
    (vocab.is_unit(other) && !is_money_unit(vocab, other)).then_some((money, other))
}

/// A full or short money unit (`万元`, `元`, `万`).
fn is_money_unit(vocab: &Vocab, unit: &str) -> bool {
    vocab.money_factor(unit).is_some() || vocab.full_unit(unit).is_some()
}

/// A money rate typed in one cell with a unit longer than the value reader takes after a
/// number (`≤0.6元/平方米·月`, `1.2万元/公里·年`): a number, then a money unit, then `/` or `每`
/// and the rest of the unit, with no digits or spaces.
fn is_long_money_rate(vocab: &Vocab, raw: &str) -> bool {
    let raw = raw.trim();
    vocab
        .money
        .units
        .keys()
        .chain(vocab.money.short_units.keys())
        .flat_map(|m| {
            raw.match_indices(m.as_str())
                .map(move |(at, _)| (at, at + m.len()))
        })
        .any(|(at, end)| {
            let (number, unit) = (&raw[..at], &raw[at..]);
            let per = raw[end..].starts_with(['/', '每']);
            let read = parse_value(number);
            per && read.number.is_some()
                && read.unit.is_none()
                && unit.chars().count() <= 12
                && !unit
                    .chars()
                    .any(|c| c.is_ascii_digit() || c.is_whitespace())
        })
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
        return if is_long_money_rate(vocab, &value.raw) {
            Money::PerUnit
        } else {
            Money::None
        };
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
