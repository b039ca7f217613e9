//! The Excel formulas of a prefilled self-evaluation: the text of the scoring rules of a
//! profile, cell by cell, so that a row scores itself as the department types its actual.
//!
//! Each formula is blank (`""`) until its inputs are typed, never above its weight, and never
//! below zero; the target of an indicator is written into its formula as a constant (the form
//! prints it as text: `≥95%`), so that the printed target stays exactly as approved.
//!
//! ```text
//!  正向 (≥ >), 等于 (＝, A > 0):  IF(B="","",MAX(0,MIN(W,ROUND(IF(B>=A,W,W*B/A),2))))
//!  等于, A = 0:                  IF(B="","",IF(B<=0,W,0))
//!  反向 (≤ <), w·A/B:            IF(B="","",MAX(0,MIN(W,ROUND(IF(B<=A,W,W*A/B),2))))
//!  反向, linear to 0 at 2A:      IF(B="","",MAX(0,MIN(W,ROUND(IF(B<=A,W,IF(B>=2*A,0,W*(1-(B-A)/A))),2))))
//!  定性 band (data validation):  AND(S>=ROUND(W*lo,2), S<=W) … by the band word in the actual's cell
//!  budget rate:                  IF(OR(P="",E=""),"",E/P);  score: IF(R="","",ROUND(w·MIN(R,1),2))
//!  grade:                        IF(T="","",IF(T>=90,"优",IF(T>=80,"良",IF(T>=60,"中","差"))))
//! ```

use rust_decimal::Decimal;

use crate::cell::CellRef;

/// How a quantitative indicator is scored (the sign of its target, and for 反向 the profile's
/// formula).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// 正向 (≥ >): full marks at or above the target, else w·B/A.
    Positive,
    /// 等于 (＝): as 正向 when the target is above zero; a zero target: full marks at or below 0.
    Equal,
    /// 反向 (≤ <), w·A/B above the target.
    ReverseRatio,
    /// 反向 (≤ <), linear from full marks at the target to zero at twice the target.
    ReverseLinear,
}

/// The number of decimals scores are rounded to (`None`: not rounded).
pub type Rounding = Option<u32>;

fn round(expr: &str, rounding: Rounding) -> String {
    match rounding {
        Some(d) => format!("ROUND({expr},{d})"),
        None => expr.to_string(),
    }
}

/// A decimal as Excel formula text (`95`, `0.5`, `-3`).
fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The score of a quantitative indicator: `actual` and `weight` are cells, `target` the
/// approved target value.
pub fn indicator_score(
    rule: Rule,
    target: Decimal,
    actual: CellRef,
    weight: CellRef,
    rounding: Rounding,
) -> String {
    let (b, w, a) = (actual.to_string(), weight.to_string(), num(target));
    let capped = |inner: &str| {
        format!(
            "IF({b}=\"\",\"\",MAX(0,MIN({w},{})))",
            round(inner, rounding)
        )
    };
    match rule {
        Rule::Equal if target.is_zero() => format!("IF({b}=\"\",\"\",IF({b}<=0,{w},0))"),
        // A target of zero or below cannot be a denominator: at or above it, full marks; below
        // it, nothing.
        Rule::Positive | Rule::Equal if target <= Decimal::ZERO => {
            format!("IF({b}=\"\",\"\",IF({b}>={a},{w},0))")
        }
        Rule::Positive | Rule::Equal => capped(&format!("IF({b}>={a},{w},{w}*{b}/{a})")),
        Rule::ReverseRatio if target <= Decimal::ZERO => {
            format!("IF({b}=\"\",\"\",IF({b}<={a},{w},0))")
        }
        Rule::ReverseRatio => capped(&format!("IF({b}<={a},{w},{w}*{a}/{b})")),
        Rule::ReverseLinear if target <= Decimal::ZERO => {
            format!("IF({b}=\"\",\"\",IF({b}<={a},{w},0))")
        }
        Rule::ReverseLinear => capped(&format!(
            "IF({b}<={a},{w},IF({b}>=2*{a},0,{w}*(1-({b}-{a})/{a})))"
        )),
    }
}

/// One band of a qualitative indicator: the word typed as the actual, and the share of the
/// weight its score lies in (`low` included; `high` included only for the top band).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// The band word (达成年度指标).
    pub word: String,
    /// Lowest share of the weight.
    pub low: Decimal,
    /// Highest share of the weight.
    pub high: Decimal,
}

/// The data validation formula of a qualitative row's score (typed by the department): the
/// score lies in the band of the word in the actual's cell, and not above the weight.
pub fn band_check(
    bands: &[Band],
    actual: CellRef,
    weight: CellRef,
    score: CellRef,
    rounding: Rounding,
) -> String {
    let (b, w, s) = (actual.to_string(), weight.to_string(), score.to_string());
    let mut expr = format!("AND({s}>=0,{s}<={w})");
    for (i, band) in bands.iter().enumerate().rev() {
        let lo = round(&format!("{w}*{}", num(band.low)), rounding);
        let hi = round(&format!("{w}*{}", num(band.high)), rounding);
        // The top band includes its upper end (full marks); the others stop below it.
        let upper = if i == 0 {
            format!("{s}<={hi}")
        } else {
            format!("{s}<{hi}")
        };
        expr = format!("IF({b}=\"{}\",AND({s}>={lo},{upper}),{expr})", band.word);
    }
    expr
}

/// The execution rate: executed / budget, blank until both are typed (a budget of zero: blank).
pub fn rate(executed: CellRef, budget: CellRef) -> String {
    format!("IF(OR({executed}=\"\",{budget}=\"\",{budget}=0),\"\",{executed}/{budget})")
}

/// The budget's score: its weight times the rate, capped at 100 %.
pub fn budget_score(rate: CellRef, weight: CellRef, rounding: Rounding) -> String {
    format!(
        "IF({rate}=\"\",\"\",MAX(0,{}))",
        round(&format!("{weight}*MIN({rate},1)"), rounding)
    )
}

/// A line's total: the sum of its parts, blank while none is typed.
pub fn sum_of(cells: &[CellRef]) -> String {
    let list = cells
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    format!("IF(COUNT({list})=0,\"\",SUM({list}))")
}

/// The grade of a total, by the profile's thresholds (highest first: `(90, "优")`), the last
/// grade below them all.
pub fn grade(total: CellRef, thresholds: &[(Decimal, String)], lowest: &str) -> String {
    let mut expr = format!("\"{lowest}\"");
    for (at, name) in thresholds.iter().rev() {
        expr = format!("IF({total}>={},\"{name}\",{expr})", num(*at));
    }
    format!("IF({total}=\"\",\"\",{expr})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> CellRef {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn quantitative_formulas_read_as_the_rules() {
        let f = indicator_score(
            Rule::Positive,
            Decimal::new(95, 0),
            c("G12"),
            c("H12"),
            Some(2),
        );
        assert_eq!(
            f,
            "IF(G12=\"\",\"\",MAX(0,MIN(H12,ROUND(IF(G12>=95,H12,H12*G12/95),2))))"
        );
        let f = indicator_score(
            Rule::ReverseLinear,
            Decimal::new(5, 1),
            c("G12"),
            c("H12"),
            None,
        );
        assert_eq!(
            f,
            "IF(G12=\"\",\"\",MAX(0,MIN(H12,IF(G12<=0.5,H12,IF(G12>=2*0.5,0,H12*(1-(G12-0.5)/0.5))))))"
        );
        let f = indicator_score(Rule::Equal, Decimal::ZERO, c("G12"), c("H12"), Some(2));
        assert_eq!(f, "IF(G12=\"\",\"\",IF(G12<=0,H12,0))");
        // A zero target never divides.
        let f = indicator_score(
            Rule::ReverseRatio,
            Decimal::ZERO,
            c("G12"),
            c("H12"),
            Some(2),
        );
        assert!(!f.contains('/'), "{f}");
    }

    #[test]
    fn bands_and_grades_nest_in_order() {
        let bands = [
            Band {
                word: "达成".into(),
                low: Decimal::new(8, 1),
                high: Decimal::ONE,
            },
            Band {
                word: "部分达成".into(),
                low: Decimal::new(6, 1),
                high: Decimal::new(8, 1),
            },
            Band {
                word: "未达成".into(),
                low: Decimal::ZERO,
                high: Decimal::new(6, 1),
            },
        ];
        let f = band_check(&bands, c("G1"), c("H1"), c("I1"), Some(2));
        assert!(
            f.starts_with("IF(G1=\"达成\",AND(I1>=ROUND(H1*0.8,2),I1<=ROUND(H1*1,2))"),
            "{f}"
        );
        assert!(
            f.contains(
                "IF(G1=\"未达成\",AND(I1>=ROUND(H1*0,2),I1<ROUND(H1*0.6,2)),AND(I1>=0,I1<=H1))"
            ),
            "{f}"
        );
        let g = grade(
            c("I30"),
            &[
                (Decimal::new(90, 0), "优".into()),
                (Decimal::new(80, 0), "良".into()),
            ],
            "差",
        );
        assert_eq!(
            g,
            "IF(I30=\"\",\"\",IF(I30>=90,\"优\",IF(I30>=80,\"良\",\"差\")))"
        );
    }
}
