//! Dates and years: the title's year and the `(2026年)` line agree, and the years named in
//! the goal and the indicators are the table's year (a 2025 in a 2026 table usually means
//! last year's table was copied and not updated).
//!
//! ```text
//!  | 2026年宁夏回族自治区部门项目支出预算绩效表 |   ← title year
//!  | (2026年)                                  |   ← header year
//!  | 单位：万元                                 |
//! ```

use std::sync::OnceLock;

use regex::Regex;

use super::{Ctx, Forms, Rule};
use crate::cell::CellRef;
use crate::model::{Finding, Severity};
use crate::read::values::fold_width;

/// A year outside the table's year.
pub(crate) const OUTSIDE_YEAR: Rule = Rule {
    id: "dates.outside-year",
    name: "年份不是本年度",
    severity: Severity::Warning,
    checks: "年度总体绩效目标和指标中出现的年份是本表年度（跨年的写法如“2025-2027年”包含本年度即可）",
    forms: Forms::Targets,
    example: "时效指标“项目完成时间”的值“2025年12月20日前”不在本表年度 2026 年内（是否沿用了上年的表格？）",
};

/// Title year and header year disagree.
pub(crate) const TITLE_YEAR: Rule = Rule {
    id: "dates.title-year",
    name: "标题年度不一致",
    severity: Severity::Error,
    checks: "标题中的年度与标题下“（2026年）”行的年度一致",
    forms: Forms::Any,
    example: "标题为 2026 年，而年度行为“（2025年）”",
};

/// Words before a year that name it as a reference, not as the table's year.
const REFERENCE_BEFORE: &[&str] = &[
    "较", "比", "截至", "截止", "自", "从", "同比", "对比", "相比",
];
/// Words after a year that make it the start of a span reaching the table's year.
const SINCE_AFTER: &[&str] = &["以来", "起", "至今", "以后", "开始"];

fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::unwrap_used)]
    RE.get_or_init(|| {
        Regex::new(r"((?:19|20)\d\d)\s*(?:[-—~～至到]\s*((?:19|20)\d\d)\s*)?年").unwrap()
    })
}

/// The years a text names: single years and ranges (first, last).
pub(crate) fn years(text: &str) -> Vec<(i32, i32, String)> {
    let folded = fold_width(text);
    let mut out = Vec::new();
    for c in year_re().captures_iter(&folded) {
        let Some(m) = c.get(0) else { continue };
        if folded[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_ascii_digit())
        {
            continue;
        }
        // A year named as a reference (`较2025年提高`, `截至2025年底`) is not the table's.
        let before: String = folded[..m.start()]
            .trim_end()
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if REFERENCE_BEFORE.iter().any(|w| before.ends_with(w)) {
            continue;
        }
        let Ok(first) = c[1].parse::<i32>() else {
            continue;
        };
        // `1990年以来`, `2025年起`: from that year on.
        let after = folded[m.end()..].trim_start();
        let open = SINCE_AFTER.iter().any(|w| after.starts_with(w));
        let last = c
            .get(2)
            .and_then(|l| l.as_str().parse::<i32>().ok())
            .unwrap_or(if open { i32::MAX } else { first });
        out.push((first.min(last), first.max(last), m.as_str().to_string()));
    }
    out
}

/// Checks dates and years of one table.
pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let t = ctx.table;
    let mut out = Vec::new();
    let title = t.cells.get("title");
    let header = t.cells.get("year");
    if let (Some(title), Some(header)) = (title, header) {
        let ty = years(&title.raw).first().map(|y| y.0);
        let hy = years(&header.raw).first().map(|y| y.0).or_else(|| {
            // `(2026)` without 年.
            header
                .raw
                .trim_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        });
        if let (Some(ty), Some(hy)) = (ty, hy) {
            if ty != hy {
                out.push(
                    ctx.finding(
                        &TITLE_YEAR,
                        Some(header.cell),
                        format!(
                            "标题“{}”为 {ty} 年，而年度行“{}”为 {hy} 年",
                            super::clip(&title.raw, 30),
                            header.raw.trim()
                        ),
                    )
                    .field("year")
                    .found_expected(hy.to_string(), ty.to_string()),
                );
            }
        }
    }
    let Some(year) = t.year else {
        return out;
    };
    let mut flag = |what: String, cell: Option<CellRef>, field: String, text: &str| {
        let bad: Vec<String> = years(text)
            .into_iter()
            .filter(|(a, b, _)| !(*a <= year && year <= *b))
            .map(|(_, _, s)| s)
            .collect();
        if let Some(first) = bad.first() {
            out.push(
                ctx.finding(
                    &OUTSIDE_YEAR,
                    cell,
                    format!(
                        "{what}出现“{first}”，不在本表年度 {year} 年内（是否沿用了上年的表格？）"
                    ),
                )
                .field(field)
                .found_expected(first.clone(), format!("{year}年")),
            );
        }
    };
    flag(
        format!("{}中", ctx.label("goal")),
        ctx.cell_of("goal"),
        "goal".into(),
        &t.goal,
    );
    for (i, ind) in t.indicators.iter().enumerate() {
        let short = super::clip(&ind.name, 24);
        flag(
            format!("指标“{short}”的名称中"),
            ind.name_cell,
            format!("indicators[{i}].name"),
            &ind.name,
        );
        flag(
            format!("指标“{short}”的值“{}”中", ind.value.raw.trim()),
            ind.cell,
            format!("indicators[{i}].value"),
            &ind.value.raw,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use crate::read::values::parse_value;

    #[test]
    fn years_in_text() {
        let y: Vec<(i32, i32)> = years("2026年9-10月；2025-2027年；12026年；２０２４年")
            .into_iter()
            .map(|(a, b, _)| (a, b))
            .collect();
        assert_eq!(y, [(2026, 2026), (2025, 2027), (2024, 2024)]);
        assert!(years("支持1-2个地市，1年").is_empty());
    }

    #[test]
    fn outside_year() {
        let mut t = table();
        assert!(fired(&t, "dates.outside-year").is_empty());
        t.indicators[5].value = parse_value("2025年11月前");
        t.goal = "开展2025年度宁夏网络安全宣传周".into();
        let f = fired(&t, "dates.outside-year");
        assert_eq!(f.len(), 2);
        let cells: Vec<_> = f.iter().map(|f| f.cell).collect();
        assert!(cells.contains(&Some(cell("B12"))));
        assert!(cells.contains(&Some(cell("E19"))));
        t.goal = "巩固2025-2027年三年行动成果".into();
        assert_eq!(fired(&t, "dates.outside-year").len(), 1);
        // Years named as a start or a reference are not the table's year.
        for goal in [
            "完成1990年以来文书档案数字化加工12万页",
            "较2025年提高5个百分点",
            "截至2025年底已建成的站点持续运行",
        ] {
            t.goal = goal.into();
            assert_eq!(fired(&t, "dates.outside-year").len(), 1, "{goal}");
        }
    }

    #[test]
    fn title_year() {
        let mut t = table();
        assert!(fired(&t, "dates.title-year").is_empty());
        if let Some(y) = t.cells.get_mut("year") {
            y.raw = "（2025年）".into();
        }
        let f = fired(&t, "dates.title-year");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cell, Some(cell("A2")));
        assert_eq!(f[0].found.as_deref(), Some("2025"));
    }
}
