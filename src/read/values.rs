//! Parsing values as people type them: amounts and indicator values.
//!
//! Amounts: numbers, numbers stored as text, `45万元`, ` 34 `, full-width digits, `1,234.50`,
//! float noise (`165.53000000000003` → `165.53`). Indicator values: `≥80%` → comparator `≥`,
//! number `80`, unit `%`; qualitative text (`良`, `2026年9-10月`) has no comparator.

use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::model::Value;
pub use crate::read::text::fold_width;

/// Decimals kept from a float cell: enough for 元 → 万元 and far below float noise.
const FLOAT_DIGITS: u32 = 6;

/// The money units an amount may carry, relative to 万元.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    /// 万元 (the model's unit).
    Wan,
    /// 元.
    Yuan,
    /// 亿元.
    Yi,
}

impl MoneyUnit {
    /// Converts an amount in this unit to 万元.
    pub fn to_wan(self, amount: Decimal) -> Decimal {
        match self {
            MoneyUnit::Wan => amount,
            MoneyUnit::Yuan => amount / Decimal::from(10_000),
            // Saturates rather than panics on amounts beyond any budget (over 7.9e24 亿元).
            MoneyUnit::Yi => amount.saturating_mul(Decimal::from(10_000)),
        }
    }
}

/// An amount read from a cell, with what the reader had to do to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// The value in the unit it was written in (or the unit it named).
    pub value: Decimal,
    /// A unit written after the number (`45万元`), if any.
    pub unit: Option<MoneyUnit>,
    /// True when the text needed cleaning (spaces, separators, full-width digits, a unit).
    pub cleaned: bool,
}

/// Rounds a float cell to exact decimals, dropping binary noise.
pub(crate) fn decimal_from_f64(v: f64) -> Option<Decimal> {
    // The shortest text that reads back as the same float holds no digit the float lacks;
    // `Decimal::from_f64` can invent some past the 15th significant one, which rounding to
    // six places keeps for large amounts (4341107210.4856 → 4341107210.485601).
    let d = v
        .to_string()
        .parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_f64(v))?;
    Some(d.round_dp(FLOAT_DIGITS).normalize())
}

/// Gives an amount at least two decimals (`45` → `45.00`), keeping any further digits.
pub fn money_scale(d: Decimal) -> Decimal {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// Parses an amount typed as text. Returns `None` when the text is not an amount.
pub fn parse_amount_text(text: &str) -> Option<Amount> {
    let folded = fold_width(text);
    let trimmed = folded.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Dashes and 无 stand for zero in many departments' files.
    if matches!(trimmed, "-" | "—" | "--" | "——" | "/" | "无" | "0.00") {
        return Some(Amount {
            value: Decimal::ZERO,
            unit: None,
            cleaned: trimmed != "0.00",
        });
    }
    // An amount with its breakdown in brackets after it (`854万(高标准农田建设400万元,…)`): the
    // amount is the part before the note.
    if let Some(at) = trimmed
        .find('(')
        .filter(|at| *at > 0 && trimmed.ends_with(')'))
    {
        if let Some(mut a) = parse_amount_text(&trimmed[..at]) {
            a.cleaned = true;
            return Some(a);
        }
    }
    if let Some(a) = amount_typed_twice(trimmed).or_else(|| amount_after_source(trimmed)) {
        return Some(a);
    }
    let (number, unit) = match trimmed
        .strip_suffix("万元")
        .map(|n| (n, Some(MoneyUnit::Wan)))
        .or_else(|| {
            trimmed
                .strip_suffix("亿元")
                .map(|n| (n, Some(MoneyUnit::Yi)))
        })
        .or_else(|| {
            trimmed
                .strip_suffix('万')
                .map(|n| (n, Some(MoneyUnit::Wan)))
        })
        .or_else(|| {
            trimmed
                .strip_suffix('元')
                .map(|n| (n, Some(MoneyUnit::Yuan)))
        }) {
        Some((n, u)) => (n.trim(), u),
        None => (trimmed, None),
    };
    let compact: String = number.chars().filter(|c| *c != ',' && *c != ' ').collect();
    if compact.is_empty()
        || !compact
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        || compact.matches('.').count() > 1
        || compact.rfind('-').is_some_and(|i| i > 0)
    {
        return None;
    }
    let value: Decimal = compact.parse().ok()?;
    Some(Amount {
        value,
        unit,
        cleaned: unit.is_some() || compact != text,
    })
}

/// The same amount typed twice in one cell (`854万854万`, `50 50`): that amount.
/// Without a space between them the first must end in its unit (`8585` is one number).
fn amount_typed_twice(text: &str) -> Option<Amount> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let half: String = match words[..] {
        [a, b] if a == b => a.to_string(),
        [_] => {
            let chars: Vec<char> = text.chars().collect();
            let (a, b) = chars.split_at(chars.len() / 2);
            let unit_ends = a.last().is_some_and(|c| matches!(c, '万' | '元'));
            if !chars.len().is_multiple_of(2) || a != b || !unit_ends {
                return None;
            }
            a.iter().collect()
        }
        _ => return None,
    };
    let mut amount = parse_amount_text(&half)?;
    amount.cleaned = true;
    Some(amount)
}

/// Words that name a fund (its source or kind): the text before an amount that holds one of
/// them names where the money comes from.
const FUND_WORDS: &[&str] = &["资金", "拨款", "补助", "经费", "预算", "投资", "收入"];

/// An amount after the name of its source, in one cell
/// (`中央衔接推进乡村振兴补助资金(少数民族发展任务)50`): the amount at the end, when the text
/// before it names a fund and holds no other number (`第3批…` is not a source's name).
fn amount_after_source(text: &str) -> Option<Amount> {
    let units = ["万元", "亿元", "万", "元"];
    let body = units
        .iter()
        .find_map(|u| text.strip_suffix(u))
        .unwrap_or(text);
    let start = body
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | ','))
        .last()
        .map(|(i, _)| i)?;
    let (source, _) = text.split_at(start);
    let names_fund = FUND_WORDS.iter().any(|w| source.contains(w));
    if source.is_empty() || !names_fund || source.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut amount = parse_amount_text(&text[start..])?;
    amount.cleaned = true;
    Some(amount)
}

/// The comparators people write, folded to one of `≥ ≤ = > <`.
fn comparator_prefix(s: &str) -> Option<(&'static str, usize)> {
    const SIGNS: &[(&str, &str)] = &[
        (">=", "≥"),
        ("<=", "≤"),
        ("≥", "≥"),
        ("≧", "≥"),
        ("≤", "≤"),
        ("≦", "≤"),
        ("不低于", "≥"),
        ("不少于", "≥"),
        ("大于等于", "≥"),
        ("大于或等于", "≥"),
        ("不高于", "≤"),
        ("不超过", "≤"),
        ("不多于", "≤"),
        ("小于等于", "≤"),
        ("小于或等于", "≤"),
        ("=", "="),
        ("＝", "="),
        (">", ">"),
        ("＞", ">"),
        ("<", "<"),
        ("＜", "<"),
        ("大于", ">"),
        ("小于", "<"),
        ("低于", "<"),
        ("等于", "="),
    ];
    SIGNS
        .iter()
        .find(|(p, _)| s.starts_with(p))
        .map(|(p, sign)| (*sign, p.len()))
}

/// Folds a comparator written in a 指标性质 column (`≥`, `＝`, `定性`, `正向`…).
pub fn parse_nature(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.is_empty() || t.contains("定性") {
        return None;
    }
    comparator_prefix(t).map(|(s, _)| s)
}

/// A number (with optional thousands separators and decimals), then a short unit with no
/// digits in it: `(number, unit)`. Anything else (`2026年9-10月`, `70（人）*3天`) is qualitative
/// (`None`). The same split as `^([0-9][0-9,]*(?:\.[0-9]+)?)\s*([^0-9\s]{0,6})$`, without
/// running a regex on every value (a unit cannot hold a digit, so the number takes them all
/// and the split is unique).
fn split_number_unit(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut end = bytes
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b','))
        .unwrap_or(bytes.len());
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        end += bytes[end..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(bytes.len() - end);
    }
    let (number, rest) = text.split_at(end);
    let unit = rest.trim_start_matches(char::is_whitespace);
    let plain = |c: char| !(c.is_ascii_digit() || c.is_whitespace());
    (unit.chars().all(plain) && unit.chars().nth(6).is_none()).then_some((number, unit))
}

/// Splits an indicator value into comparator, number and unit.
///
/// `raw` is kept as given; the split works on a width-folded copy.
pub fn parse_value(raw: &str) -> Value {
    let raw = raw.trim();
    let mut value = Value {
        raw: raw.to_string(),
        ..Value::default()
    };
    if raw.is_empty() {
        return value;
    }
    let folded = fold_width(raw);
    let mut rest = folded.trim();
    let mut comparator = None;
    if let Some((sign, len)) = comparator_prefix(rest) {
        comparator = Some(sign);
        rest = rest[len..].trim_start();
    }
    if let Some((number, unit)) = split_number_unit(rest) {
        let digits: String = number.chars().filter(|c| *c != ',').collect();
        let unit = unit.trim();
        // A year followed by 年 is a date, not a quantity.
        let is_date = unit.starts_with('年') && digits.len() == 4;
        if let (Ok(number), false) = (digits.parse::<Decimal>(), is_date) {
            value.comparator = Some(comparator.unwrap_or("=").to_string());
            value.number = Some(number);
            value.unit = (!unit.is_empty()).then(|| unit.to_string());
        }
    }
    value
}

/// Joins the split columns of the newer layout into one value, as a person reads it:
/// the sign (none for `＝` and 定性), then the value, then the unit.
pub fn join_split_value(nature: &str, value: &str, unit: &str) -> Value {
    let sign = parse_nature(nature);
    let value_text = value.trim();
    // A unit the value cell already states (`100%` beside `%`, 重庆 2021) is not said twice; a
    // unit beside a blank value is no value.
    let unit_text = match unit.trim() {
        u if value_text.is_empty() || value_text.ends_with(u) => "",
        u => u,
    };
    let prefix = match sign {
        Some("=") | None => "",
        Some(s) => s,
    };
    let raw = format!("{prefix}{value_text}{unit_text}");
    let mut parsed = parse_value(&raw);
    if parsed.number.is_none() && long_unit(unit_text) {
        // A long unit in its own column (`0.6` | `元/平方米·月`): the number is the value
        // cell's, the unit the column's.
        let alone = parse_value(&format!("{prefix}{value_text}"));
        if alone.number.is_some() && alone.unit.as_deref().is_none_or(str::is_empty) {
            parsed = Value {
                raw,
                unit: Some(unit_text.to_string()),
                ..alone
            };
        }
    }
    if sign.is_none() && nature.contains("定性") {
        // Declared qualitative (定性): keep it so, whatever the text looks like. A column
        // that says only 定量 (大庆's 指标值类型) leaves the value to be read as typed.
        parsed.comparator = None;
        parsed.number = None;
        parsed.unit = None;
    }
    parsed
}

/// A unit column's text that reads as a unit too long to follow a number in one cell
/// (`元/平方米·月`): no digits, no spaces, at most twelve characters.
pub fn long_unit(unit: &str) -> bool {
    let n = unit.chars().count();
    (1..=12).contains(&n)
        && !unit
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_whitespace())
}

/// Removes HTML markup (`<p>`, `<br/>`, entities) that web systems leave in exported cells.
/// Returns `None` when there was none.
pub fn strip_markup(text: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let re = RE.get_or_init(|| Regex::new(r"(?i)</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>").unwrap());
    // A tag starts with `<`: text without one (most cells) skips the regex.
    let tagged = text.contains('<') && re.is_match(text);
    if !tagged && !text.contains("&nbsp;") {
        return None;
    }
    let stripped = re.replace_all(text, " ");
    // Each entity by quick_xml (XML's five, character references, and HTML's `&nbsp;`); a
    // stray `&` or an entity it does not know stays as typed.
    static ENTITY: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    let entity = ENTITY.get_or_init(|| Regex::new(r"&#?[A-Za-z0-9]+;").unwrap());
    let decoded = entity.replace_all(&stripped, |c: &regex::Captures<'_>| {
        let text = &c[0];
        quick_xml::escape::unescape_with(text, |e| match e {
            "nbsp" => Some(" "),
            e => quick_xml::escape::resolve_predefined_entity(e),
        })
        .map_or_else(|_| text.to_string(), std::borrow::Cow::into_owned)
    });
    Some(collapse_spaces(&decoded))
}

/// Trims and collapses runs of whitespace (line breaks included) to one space, dropping it
/// altogether between two CJK characters, where a space is never meant.
pub fn collapse_spaces(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len());
    // Text between whitespace runs is copied as it is, not pushed character by character.
    let mut copied = 0;
    let mut gap: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            gap.get_or_insert(i);
            continue;
        }
        if let Some(start) = gap.take() {
            out.push_str(&text[copied..start]);
            let prev_cjk = text[..start].chars().next_back().is_some_and(is_cjk);
            if !(prev_cjk && is_cjk(c)) {
                out.push(' ');
            }
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Han characters and CJK punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{F900}'..='\u{FAFF}')
        && c != '\u{3000}'
}

/// The date a cell holding a whole day number of the years a budget table speaks of
/// (1990–2099) stands for, typed as a number or as text with a thousands comma (`44,561`).
/// Only a caller that knows the cell is meant as a date (a time indicator whose unit column
/// repeats it) may use it: any other number stays a number.
pub fn plausible_date_serial(value: &crate::read::grid::CellValue) -> Option<(i32, u32, u32)> {
    use crate::read::grid::CellValue;
    let n: f64 = match value {
        CellValue::Number(f) => *f,
        CellValue::Text(t) => {
            let t: String = t
                .trim()
                .chars()
                .filter(|c| *c != ',' && *c != '，')
                .collect();
            if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()?
        }
        _ => return None,
    };
    // 1990-01-01 is 32874, 2100-01-01 is 73051.
    if n.fract() != 0.0 || !(32874.0..73051.0).contains(&n) {
        return None;
    }
    excel_serial_to_date(n, false)
}

/// A date as `2026年12月20日` from an Excel serial day number.
pub(crate) fn excel_serial_to_date(serial: f64, is_1904: bool) -> Option<(i32, u32, u32)> {
    if !serial.is_finite() || !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01: 1900 system epoch 1899-12-30 (Excel's leap-year bug included).
    let days = serial.floor() as i64 + if is_1904 { 24107 - 1462 } else { -25569 };
    Some(civil_from_days(days))
}

/// Howard Hinnant's days → civil date.
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// Formats a date the way the tables write it.
pub fn format_date((y, m, d): (i32, u32, u32)) -> String {
    format!("{y}年{m}月{d}日")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> Option<String> {
        parse_amount_text(s).map(|a| a.value.to_string())
    }

    #[test]
    fn amounts_as_typed() {
        assert_eq!(amount("45"), Some("45".into()));
        assert_eq!(amount(" 34 "), Some("34".into()));
        assert_eq!(amount("45万元"), Some("45".into()));
        assert_eq!(amount("１２０"), Some("120".into()));
        assert_eq!(amount("1,234.50"), Some("1234.50".into()));
        assert_eq!(amount("１，２３４．５０"), Some("1234.50".into()));
        assert_eq!(amount("-"), Some("0".into()));
        assert_eq!(amount("abc"), None);
        assert_eq!(amount("1.2.3"), None);
        assert_eq!(amount("12-3"), None);
        assert_eq!(amount(""), None);
        let a = parse_amount_text("450000元").expect("amount");
        assert_eq!(a.unit, Some(MoneyUnit::Yuan));
        assert_eq!(
            money_scale(MoneyUnit::Yuan.to_wan(a.value)).to_string(),
            "45.00"
        );
        assert!(!parse_amount_text("45").expect("amount").cleaned);
        assert!(parse_amount_text(" 45").expect("amount").cleaned);
        // The breakdown in brackets after the amount is a note on it.
        let a =
            parse_amount_text("854万（高标准农田建设400万元,示范建设295万元）").expect("amount");
        assert_eq!(
            (a.value, a.unit, a.cleaned),
            (Decimal::from(854), Some(MoneyUnit::Wan), true)
        );
        assert_eq!(amount("(1)"), None);
        // A fund's source named before its amount; the same amount typed twice.
        assert_eq!(amount("中央资金(少数民族)50"), Some("50".into()));
        assert_eq!(
            amount("中央衔接推进乡村振兴补助资金(少数民族发展任务)50"),
            Some("50".into())
        );
        assert_eq!(amount("第3批资金50"), None);
        assert_eq!(amount("见附件3"), None);
        assert_eq!(amount("854万854万"), Some("854".into()));
        let a =
            parse_amount_text("854万854万(高标准农田建设400万元,示范建设295万元)").expect("amount");
        assert_eq!(
            (a.value, a.unit),
            (Decimal::from(854), Some(MoneyUnit::Wan))
        );
        assert_eq!(amount("8585"), Some("8585".into()));
        assert_eq!(amount("12"), Some("12".into()));
        assert_eq!(amount("50 50"), Some("50".into()));
    }

    #[test]
    fn float_noise_is_dropped() {
        let d = decimal_from_f64(165.530_000_000_000_03).expect("finite");
        assert_eq!(money_scale(d).to_string(), "165.53");
        assert_eq!(
            money_scale(decimal_from_f64(45.0).expect("finite")).to_string(),
            "45.00"
        );
        assert!(decimal_from_f64(f64::NAN).is_none());
        assert_eq!(
            decimal_from_f64(4_341_107_210.485_6).map(|d| d.to_string()),
            Some("4341107210.4856".into())
        );
        assert_eq!(
            decimal_from_f64(-0.0).map(|d| d.to_string()),
            Some("0".into())
        );
        assert_eq!(
            decimal_from_f64(1e-9).map(|d| d.to_string()),
            Some("0".into())
        );
        assert!(decimal_from_f64(1e30).is_none());
    }

    fn split(s: &str) -> (Option<String>, Option<String>, Option<String>) {
        let v = parse_value(s);
        assert_eq!(v.raw, s.trim());
        (v.comparator, v.number.map(|n| n.to_string()), v.unit)
    }

    fn some(a: &str, b: &str, c: Option<&str>) -> (Option<String>, Option<String>, Option<String>) {
        (Some(a.into()), Some(b.into()), c.map(Into::into))
    }

    #[test]
    fn indicator_values() {
        assert_eq!(split("≥80%"), some("≥", "80", Some("%")));
        assert_eq!(split("1项"), some("=", "1", Some("项")));
        assert_eq!(split("≤48小时"), some("≤", "48", Some("小时")));
        assert_eq!(split("8.00万"), some("=", "8.00", Some("万")));
        assert_eq!(split("2.00万元"), some("=", "2.00", Some("万元")));
        assert_eq!(split("≥6000万次"), some("≥", "6000", Some("万次")));
        assert_eq!(split("100%"), some("=", "100", Some("%")));
        assert_eq!(split(">=80 %"), some("≥", "80", Some("%")));
        assert_eq!(split("不低于90%"), some("≥", "90", Some("%")));
        assert_eq!(split("5"), some("=", "5", None));
        for qualitative in [
            "良",
            "有所提升",
            "2026年9-10月",
            "2026年11月前",
            "2026年12月20日前",
            "70（人）*3天",
            "1场主场活动+2场平行活动",
            "无",
            "",
            "2026年",
        ] {
            assert_eq!(split(qualitative), (None, None, None), "{qualitative}");
        }
    }

    #[test]
    fn split_columns_join() {
        let v = join_split_value("≥", "80", "%");
        assert_eq!(v.raw, "≥80%");
        assert_eq!(v.comparator.as_deref(), Some("≥"));
        let v = join_split_value("＝", "1", "项");
        assert_eq!(v.raw, "1项");
        assert_eq!(v.comparator.as_deref(), Some("="));
        let v = join_split_value("定性", "良", "");
        assert_eq!(v.raw, "良");
        assert_eq!(v.comparator, None);
        let v = join_split_value("定性", "100", "%");
        assert_eq!(v.number, None);
        // 指标值类型 定量 (大庆) says only that the value is a number: it is read as typed.
        let v = join_split_value("定量", "≥32", "公里");
        assert_eq!(v.comparator.as_deref(), Some("≥"));
        assert_eq!(v.number, Some(Decimal::from(32)));
        assert_eq!(v.unit.as_deref(), Some("公里"));
        // A unit column longer than a typed unit may be.
        let v = join_split_value("≤", "0.6", "元/平方米·月");
        assert_eq!(v.raw, "≤0.6元/平方米·月");
        assert_eq!(v.number, Decimal::from_str_exact("0.6").ok());
        assert_eq!(v.unit.as_deref(), Some("元/平方米·月"));
        // 重庆 2021: the value cell states its unit beside the 计量单位 column; a blank value
        // with only the unit beside it is blank.
        let v = join_split_value("定量指标", "100%", "%");
        assert_eq!(v.raw, "100%");
        assert_eq!(v.unit.as_deref(), Some("%"));
        assert_eq!(join_split_value("", "", "%").raw, "");
    }

    #[test]
    fn markup_and_spaces() {
        assert_eq!(
            strip_markup("<p>1. 甲；</p> <p>2. 乙</p>").as_deref(),
            Some("1. 甲； 2. 乙")
        );
        assert_eq!(strip_markup("a < b > c"), None);
        assert_eq!(strip_markup("无标签"), None);
        assert_eq!(
            strip_markup("<p>&lt;5&gt; &amp; &quot;甲&quot;&#65288;乙&#x FF09;&nbsp;丙</p>")
                .as_deref(),
            Some("<5> & \"甲\"（乙&#x FF09; 丙")
        );
        assert_eq!(
            strip_markup("<p>&lt;5&gt; &amp; &quot;甲&quot;&#65288;乙&#xFF09;&nbsp;丙</p>")
                .as_deref(),
            Some("<5> & \"甲\"（乙）丙")
        );
        assert_eq!(strip_markup("<p>A&B</p>").as_deref(), Some("A&B"));
        assert_eq!(collapse_spaces(" 项 目\n名称 "), "项目名称");
        assert_eq!(collapse_spaces("H5 活动"), "H5 活动");
        assert_eq!(collapse_spaces("引领；\n2. 开展"), "引领； 2. 开展");
    }

    /// [`collapse_spaces`] as it was written first, one character at a time.
    fn collapse_spaces_by_char(text: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for c in text.trim().chars() {
            if c.is_whitespace() {
                pending_space = true;
                continue;
            }
            if pending_space {
                let prev_cjk = out.chars().next_back().is_some_and(is_cjk);
                if !(prev_cjk && is_cjk(c)) {
                    out.push(' ');
                }
                pending_space = false;
            }
            out.push(c);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn number_and_unit_split_as_the_regex_does(
            text in r"([0-9]|[,.]|[ \t\u{3000}]|[万元%项个年]|\PC){0,12}"
        ) {
            #[allow(clippy::unwrap_used)]
            let re = Regex::new(r"^([0-9][0-9,]*(?:\.[0-9]+)?)\s*([^0-9\s]{0,6})$").unwrap();
            let by_re = re
                .captures(&text)
                .map(|c| (c.get(1).map_or("", |m| m.as_str()), c.get(2).map_or("", |m| m.as_str())));
            proptest::prop_assert_eq!(split_number_unit(&text), by_re);
        }

        #[test]
        fn collapse_spaces_copies_runs_as_one_char_at_a_time_would(
            text in r"([ \t\n\u{3000}\u{a0}]|[a-z0-9]|[项目资金（）：；、]|\PC){0,24}"
        ) {
            proptest::prop_assert_eq!(collapse_spaces(&text), collapse_spaces_by_char(&text));
        }
    }

    #[test]
    fn dates_from_serials() {
        use crate::read::grid::CellValue;
        assert_eq!(
            plausible_date_serial(&CellValue::Number(44561.0)),
            Some((2021, 12, 31))
        );
        assert_eq!(
            plausible_date_serial(&CellValue::Text("44,561".into())),
            Some((2021, 12, 31))
        );
        // Counts, amounts and years are no dates.
        assert_eq!(plausible_date_serial(&CellValue::Number(2021.0)), None);
        assert_eq!(plausible_date_serial(&CellValue::Number(44561.5)), None);
        assert_eq!(
            plausible_date_serial(&CellValue::Text("44561人".into())),
            None
        );
        assert_eq!(excel_serial_to_date(46011.0, false), Some((2025, 12, 20)));
        assert_eq!(excel_serial_to_date(46376.0, false), Some((2026, 12, 20)));
        assert_eq!(format_date((2026, 12, 20)), "2026年12月20日");
        assert_eq!(excel_serial_to_date(f64::INFINITY, false), None);
    }
}
