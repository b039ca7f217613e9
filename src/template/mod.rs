//! Next year's tables: this year's model moved on one year (the `template --from` phase).
//!
//! Recurring projects (经常性项目) are carried over, one-year projects (一年期项目) left out
//! unless asked for; every mention of this year in the title, goal and indicators becomes next
//! year (`2026年9-10月` → `2027年9-10月`), while period figures like `1年` stay; amounts are
//! kept as last year's baseline unless cleared. What was left out, and this year's findings,
//! travel along so the template can list them.

use crate::model::{Document, Finding, Funding, Table};

/// How to carry this year's tables into next year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarryOptions {
    /// The year of the new tables.
    pub year: i32,
    /// Keep one-year projects too.
    pub keep_all: bool,
    /// Empty every amount instead of keeping last year's.
    pub clear_amounts: bool,
}

/// A table that was not carried over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The project.
    pub project: String,
    /// Its 项目属性.
    pub attribute: String,
    /// Where it came from.
    pub file: String,
    /// Why it was left out, in Chinese.
    pub reason: String,
}

/// Next year's tables, with what was left out and this year's findings.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    /// The tables, moved on.
    pub doc: Document,
    /// Tables not carried over.
    pub left_out: Vec<LeftOut>,
    /// This year's findings about the carried tables, to be fixed in next year's version.
    pub last_year_findings: Vec<Finding>,
}

/// The 项目属性 of projects that end with their year.
const ONE_YEAR_KINDS: &[&str] = &["一年期项目", "一次性项目"];

/// True when a project's attribute says it ends with its year.
pub fn is_one_year(attribute: &str) -> bool {
    let a: String = attribute.chars().filter(|c| !c.is_whitespace()).collect();
    ONE_YEAR_KINDS.iter().any(|k| a == *k)
}

/// Moves this year's tables on to `opts.year`.
pub fn carry_over(this_year: &Document, opts: CarryOptions) -> Carried {
    let mut out = Carried::default();
    for (index, table) in this_year.tables.iter().enumerate() {
        if !opts.keep_all && is_one_year(&table.project.attribute) {
            out.left_out.push(LeftOut {
                project: table.display_name().to_string(),
                attribute: table.project.attribute.clone(),
                file: table.source.file.clone(),
                reason: format!(
                    "{}在本年度结束，未带入{}年（使用 --all 可保留）",
                    table.project.attribute, opts.year
                ),
            });
            continue;
        }
        out.last_year_findings.extend(
            this_year
                .discrepancies
                .iter()
                .filter(|f| f.table == Some(index) && f.severity != crate::Severity::Info)
                .cloned(),
        );
        out.doc.tables.push(move_table(table, opts));
    }
    out
}

fn move_table(t: &Table, opts: CarryOptions) -> Table {
    let from = t.year.unwrap_or(opts.year - 1);
    let shift = |s: &str| shift_year(s, from, opts.year);
    let mut n = t.clone();
    n.year = Some(opts.year);
    n.title = shift(&t.title);
    n.goal = shift(&t.goal);
    n.project.name = shift(&t.project.name);
    n.project.period = t.project.period.clone();
    for ind in &mut n.indicators {
        ind.name = shift(&ind.name);
        let raw = shift(&ind.value.raw);
        if raw != ind.value.raw {
            ind.value = crate::read::values::parse_value(&raw);
        }
    }
    if opts.clear_amounts {
        n.funding = Funding::default();
    }
    // The cells say where last year's values were; the new tables have not been written yet.
    n.cells.clear();
    n.source = crate::model::Source::default();
    n
}

/// Replaces the year `from` with `to` wherever it stands alone as a four-digit number
/// (`2026年`, `2026-2027`, `开展2026年度`), leaving longer numbers (`120260`) alone.
pub fn shift_year(text: &str, from: i32, to: i32) -> String {
    let needle = from.to_string();
    let replacement = to.to_string();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in text.match_indices(&needle) {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + needle.len()).copied();
        let standalone = !before.is_some_and(|b| b.is_ascii_digit())
            && !after.is_some_and(|b| b.is_ascii_digit());
        if standalone {
            out.push_str(&text[last..i]);
            out.push_str(&replacement);
            last = i + needle.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, Project};

    #[test]
    fn years_move_on() {
        assert_eq!(shift_year("2026年9-10月", 2026, 2027), "2027年9-10月");
        assert_eq!(
            shift_year("开展2026年度宁夏", 2026, 2027),
            "开展2027年度宁夏"
        );
        assert_eq!(
            shift_year("2026年12月20日前", 2026, 2027),
            "2027年12月20日前"
        );
        assert_eq!(shift_year("1年", 2026, 2027), "1年");
        assert_eq!(shift_year("120260元", 2026, 2027), "120260元");
        assert_eq!(shift_year("2025-2026年", 2026, 2027), "2025-2027年");
        assert_eq!(shift_year("", 2026, 2027), "");
    }

    fn table(name: &str, attribute: &str) -> Table {
        Table {
            year: Some(2026),
            title: "2026年宁夏回族自治区部门项目支出预算绩效表".into(),
            project: Project {
                name: name.into(),
                attribute: attribute.into(),
                period: "1年".into(),
                ..Project::default()
            },
            goal: "开展2026年度工作".into(),
            indicators: vec![Indicator {
                name: "实施时间".into(),
                value: crate::read::values::parse_value("2026年11月前"),
                ..Indicator::default()
            }],
            funding: Funding {
                total: Some(rust_decimal::Decimal::new(4500, 2)),
                ..Funding::default()
            },
            ..Table::default()
        }
    }

    #[test]
    fn recurring_projects_carry_over() {
        let doc = Document {
            tables: vec![table("甲", "经常性项目"), table("乙", "一年期项目")],
            discrepancies: vec![],
        };
        let opts = CarryOptions {
            year: 2027,
            keep_all: false,
            clear_amounts: false,
        };
        let c = carry_over(&doc, opts);
        assert_eq!(c.doc.tables.len(), 1);
        let t = &c.doc.tables[0];
        assert_eq!(t.year, Some(2027));
        assert_eq!(t.title, "2027年宁夏回族自治区部门项目支出预算绩效表");
        assert_eq!(t.goal, "开展2027年度工作");
        assert_eq!(t.indicators[0].value.raw, "2027年11月前");
        assert_eq!(t.project.period, "1年");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("45.00")
        );
        assert_eq!(c.left_out.len(), 1);
        assert_eq!(c.left_out[0].project, "乙");

        let all = carry_over(
            &doc,
            CarryOptions {
                keep_all: true,
                clear_amounts: true,
                ..opts
            },
        );
        assert_eq!(all.doc.tables.len(), 2);
        assert!(all.left_out.is_empty());
        assert_eq!(all.doc.tables[0].funding.total, None);
    }
}
