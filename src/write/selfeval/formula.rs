//! The Excel formulas of a prefilled self-evaluation: the text of the scoring rules of a
//! profile, cell by cell, so that a row scores itself as the department types its actual.
//!
//! Each formula is blank (`""`) until its inputs are typed; the scores are the profile's
//! formulas, never above the weight. The target of an indicator is written into its formula as
//! a constant (the form prints it as text: `≥95%`), so that the printed target stays exactly
//! as approved.
//!
//! ```text
//!  正向 / 等于 / 反向:   the profile's own formula (crate::selfeval::Scoring::excel_formula), the
//!                       target's number in place of its cell: IF(ISNUMBER(G12),MIN(H12,…),"")
//!  budget score:        crate::selfeval::Scoring::excel_budget_formula
//!  定性 band (data validation on the typed score):
//!                       IF(G12="达成年度指标",AND(I12>=ROUND(H12*0.8,2),I12<=H12),IF(…))
//!  rate:                IF(OR(G7="",F7="",F7=0),"",G7/F7)
//!  grade:               IF(I30="","",IF(I30>=90,"优",IF(I30>=80,"良",IF(I30>=60,"中","差"))))
//! ```

use rust_decimal::Decimal;

use crate::cell::CellRef;

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
