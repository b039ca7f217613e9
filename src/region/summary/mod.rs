//! The region's roll-up: one row per table, per department and per rule, the findings of every
//! file and what only shows across files, written as one workbook (`jixiao summary`).
//!
//! ```text
//!  汇总      the region in one line, one row per department (表数, money, findings) with the
//!            region's totals, a chart of money by department and one of findings by rule
//!  项目明细   one row per table: department, project, kind, attributes, every amount and every
//!            funding line as printed, indicators, findings by severity, grade, source
//!  问题清单   every finding of every file, with 部门, and the cross-file ones (region.*)
//!  按规则     findings counted by rule
//!  自评结果   one row per self-evaluation or monitoring table: 执行率, budget score, total and
//!            grade as printed and as computed, findings (only when there are some)
//!  读取失败   the files that could not be read, and why (only when there are some)
//! ```
//!
//! The sheets with rows are real Excel tables (filters, a totals row whose formulas carry their
//! results, frozen header) and print on A4 landscape, one page wide. A [`Summary`] is fed one
//! file at a time ([`Summary::add_file`]) and keeps only these rows, never the models.

//!
//! The roll-up is here; `cross` finds what only shows across files, `book` writes the
//! workbook.

mod book;
mod cross;
mod selfeval;

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use crate::model::{Document, Finding, Funding, Grade, Severity, Table, TableKind};
use crate::read::values::money_scale;
use crate::write::SeverityCounts;

use cross::Seen;
pub use cross::{DUPLICATE_PROJECT, INDICATOR_DIFFERS};
pub use selfeval::Results;

/// Sheet names.
pub(crate) const SHEET_OVERVIEW: &str = "汇总";
/// One row per table.
pub(crate) const SHEET_TABLES: &str = "项目明细";
/// Every finding.
pub(crate) const SHEET_ISSUES: &str = "问题清单";
/// Findings by rule.
pub(crate) const SHEET_RULES: &str = "按规则";
/// Files that could not be read.
pub(crate) const SHEET_FAILED: &str = "读取失败";

/// Reads one amount of a funding block.
pub(crate) type AmountOf = fn(&Funding) -> Option<Decimal>;

/// The amount columns: header and the model field shown.
pub const AMOUNTS: &[(&str, AmountOf)] = &[
    ("项目总额/万元", |f| f.total),
    ("年度资金/万元", |f| f.annual_total),
    ("本级资金/万元", |f| f.own.total),
    ("财政拨款/万元", |f| f.own.fiscal),
    ("其他资金/万元", |f| f.own.other),
    ("结转资金/万元", |f| f.own.carryover),
    ("转移资金/万元", |f| f.transfer.total),
    ("中央资金/万元", |f| f.transfer.central),
    ("省级资金/万元", |f| f.transfer.regional),
];

/// Index of 年度资金 in [`AMOUNTS`].
const ANNUAL: usize = 1;
/// Index of 项目总额 in [`AMOUNTS`].
const TOTAL: usize = 0;

/// The reader's notice naming the profile a table was read with.
const READ_PROFILE: &str = "read.profile";

/// The label for a table without a department.
pub const NO_DEPARTMENT: &str = "（未填部门）";

/// One table, as the summary shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// 主管部门 (or [`NO_DEPARTMENT`]).
    pub department: String,
    /// The project's name.
    pub project: String,
    /// Project or department table.
    pub kind: TableKind,
    /// 项目属性.
    pub attribute: String,
    /// 项目类别, when printed.
    pub category: String,
    /// The budget year.
    pub year: Option<i32>,
    /// The amounts of [`AMOUNTS`], in 万元.
    pub amounts: Vec<Option<Decimal>>,
    /// Every funding line as printed: `label amount；…`.
    pub lines: String,
    /// Indicators in the annual grid.
    pub indicators: usize,
    /// Findings about the table, by severity (cross-file ones included).
    pub counts: SeverityCounts,
    /// The suggested grade, when the table was graded.
    pub grade: Option<Grade>,
    /// The input file.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The table's cells (`A1:F26`).
    pub range: String,
    /// A self-evaluation's or monitoring table's results (`None` for a targets table).
    pub results: Option<Results>,
    /// The form profile it was read with (`名称（id）`): what the reader's `read.profile`
    /// notice says, shown here rather than as a line of every 问题清单.
    pub profile: String,
    /// Why it is left out of every count and sum: the same project from a newer file stands
    /// (`region.duplicate-project` says which and by what).
    pub set_aside: Option<String>,
}

/// One department's figures (or the region's, for the totals).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DepartmentRow {
    /// The department.
    pub department: String,
    /// Tables.
    pub tables: usize,
    /// Sum of 项目总额 over the tables that print it (`None` when none does).
    pub total: Option<Decimal>,
    /// Sum of 年度资金总额 over the tables that print it (`None` when none does).
    pub annual: Option<Decimal>,
    /// Tables that print no 项目总额: left out of [`DepartmentRow::total`], never counted as 0.
    pub total_missing: usize,
    /// Tables that print no 年度资金总额: left out of [`DepartmentRow::annual`].
    pub annual_missing: usize,
    /// Findings by severity.
    pub counts: SeverityCounts,
}

impl DepartmentRow {
    /// Counts one table in: its amounts where it prints them, a missing one counted apart.
    fn add(&mut self, r: &TableRow) {
        fn sum(into: &mut Option<Decimal>, missing: &mut usize, amount: Option<Decimal>) {
            match amount {
                Some(a) => *into = Some(into.unwrap_or_default() + a),
                None => *missing += 1,
            }
        }
        self.tables += 1;
        sum(&mut self.total, &mut self.total_missing, r.amounts[TOTAL]);
        sum(
            &mut self.annual,
            &mut self.annual_missing,
            r.amounts[ANNUAL],
        );
        self.counts.merge(r.counts);
    }

    /// A sum in words for a headline: `1,234.00 万元`, with the tables left out named
    /// (`（2 张表未填）`), or `未填` when no table prints it.
    pub fn sum_text(sum: Option<Decimal>, missing: usize) -> String {
        match sum {
            None => "未填".to_string(),
            Some(s) if missing == 0 => format!("{} 万元", money_scale(s)),
            Some(s) => format!("{} 万元（{missing} 张表未填，未计入）", money_scale(s)),
        }
    }
}

/// Findings of one rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RuleRow {
    /// The rule id.
    pub rule: String,
    /// Its Chinese name, when known.
    pub name: String,
    /// Its severity.
    pub severity: Severity,
    /// How many findings.
    pub count: usize,
}

/// The roll-up of a batch, fed one file at a time.
#[derive(Debug, Default)]
pub struct Summary {
    /// One row per table, in input order.
    pub rows: Vec<TableRow>,
    /// Every finding, in input order; `table` is the index of its row in [`Summary::rows`].
    pub findings: Vec<Finding>,
    /// Files that could not be read: file and reason.
    pub failed: Vec<(String, String)>,
    /// The files read, in input order.
    pub files: Vec<String>,
    /// Each file's modification time, when known (in the order of [`Summary::files`]).
    times: Vec<Option<std::time::SystemTime>>,
    seen: HashMap<crate::check::ProjectIdentity, Seen>,
}

fn department_of(t: &Table) -> String {
    let d = t.project.department.trim();
    if d.is_empty() {
        NO_DEPARTMENT.to_string()
    } else {
        d.to_string()
    }
}

fn funding_lines(f: &Funding) -> String {
    f.lines
        .iter()
        .map(|l| {
            let amount = l
                .amount
                .map_or_else(|| "—".to_string(), |d| money_scale(d).to_string());
            format!("{} {amount}", l.label.trim())
        })
        .collect::<Vec<_>>()
        .join("；")
}

impl Summary {
    /// An empty summary.
    pub fn new() -> Self {
        Summary::default()
    }

    /// Adds one file's document and its findings (those of [`crate::check::check`], which
    /// include the reader's notices; each finding's `table` indexes `doc.tables`). Adds the
    /// cross-file findings: a project already seen in another file, and its indicators whose
    /// values differ from that file's.
    pub fn add_file(&mut self, file: &str, doc: &Document, findings: &[Finding]) {
        self.add_file_at(file, None, doc, findings);
    }

    /// [`Summary::add_file`] of a file modified at `modified`: of the same project in two
    /// files, the one with the later 填报日期, else the later file time, stands; the other is
    /// set aside ([`TableRow::set_aside`]).
    pub fn add_file_at(
        &mut self,
        file: &str,
        modified: Option<std::time::SystemTime>,
        doc: &Document,
        findings: &[Finding],
    ) {
        let file_index = self.files.len();
        self.files.push(file.to_string());
        self.times.push(modified);
        let offset = self.rows.len();
        for t in &doc.tables {
            self.rows.push(TableRow {
                department: department_of(t),
                project: t.display_name().to_string(),
                kind: t.kind,
                attribute: t.project.attribute.clone(),
                category: t.project.category.clone(),
                year: t.year,
                amounts: AMOUNTS.iter().map(|(_, get)| get(&t.funding)).collect(),
                lines: funding_lines(&t.funding),
                indicators: t.indicators.len(),
                counts: SeverityCounts::default(),
                grade: t.grade.clone(),
                file: t.source.file.clone(),
                sheet: t.source.sheet.clone(),
                range: t.source.range.clone(),
                results: Results::of(t),
                profile: format!("{}（{}）", t.profile.name, t.profile.id),
                set_aside: None,
            });
        }
        for f in findings {
            // Which profile read the table is a column of 项目明细, not a finding.
            if f.rule == READ_PROFILE {
                continue;
            }
            let mut f = f.clone();
            if let Some(i) = f.table {
                if let Some(t) = doc.tables.get(i) {
                    if f.department.is_empty() {
                        f.department = t.project.department.clone();
                    }
                }
                f.table = Some(offset + i).filter(|&r| r < self.rows.len());
            }
            self.push_finding(f);
        }
        for (i, t) in doc.tables.iter().enumerate() {
            self.cross_file(file_index, offset + i, t);
        }
    }

    fn push_finding(&mut self, f: Finding) {
        if let Some(row) = f.table.and_then(|r| self.rows.get_mut(r)) {
            row.counts.add(f.severity);
        }
        self.findings.push(f);
    }

    /// Notes a file that could not be read.
    pub fn add_failure(&mut self, file: &str, reason: &str) {
        self.failed.push((file.to_string(), reason.to_string()));
    }

    /// One row per department, by annual money (largest first), then name.
    pub fn departments(&self) -> Vec<DepartmentRow> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut out: Vec<DepartmentRow> = Vec::new();
        for r in self.counted() {
            let i = *index.entry(r.department.as_str()).or_insert_with(|| {
                out.push(DepartmentRow {
                    department: r.department.clone(),
                    ..DepartmentRow::default()
                });
                out.len() - 1
            });
            out[i].add(r);
        }
        out.sort_by(|a, b| {
            b.annual
                .cmp(&a.annual)
                .then_with(|| a.department.cmp(&b.department))
        });
        out
    }

    /// The region's totals: every table and every finding (those about a file, not a table,
    /// included).
    pub fn totals(&self) -> DepartmentRow {
        let mut all = DepartmentRow {
            department: "全部".to_string(),
            ..DepartmentRow::default()
        };
        for r in self.counted() {
            all.add(r);
        }
        all.counts = SeverityCounts::of(&self.findings);
        all
    }

    /// The rows counted: every table but those set aside as older copies of a project.
    pub fn counted(&self) -> impl Iterator<Item = &TableRow> {
        self.rows.iter().filter(|r| r.set_aside.is_none())
    }

    /// `（另有 2 张重复表未计入…）` for a headline, or nothing when none was set aside.
    pub fn set_aside_text(&self) -> String {
        match self.set_aside() {
            0 => String::new(),
            k => format!(
                "（另有 {k} 张重复表未计入：同一项目在多个文件中时以较新的为准，见问题清单 {}）",
                DUPLICATE_PROJECT.0
            ),
        }
    }

    /// How many tables were set aside as older copies of a project found in a newer file.
    pub fn set_aside(&self) -> usize {
        self.rows.iter().filter(|r| r.set_aside.is_some()).count()
    }

    /// Findings by rule: errors first, then warnings, then notices, each most frequent first.
    pub(crate) fn by_rule(&self) -> Vec<RuleRow> {
        let mut map: BTreeMap<&str, RuleRow> = BTreeMap::new();
        for f in &self.findings {
            let e = map.entry(f.rule.as_str()).or_insert_with(|| RuleRow {
                rule: f.rule.clone(),
                name: String::new(),
                severity: f.severity,
                count: 0,
            });
            e.count += 1;
            e.severity = e.severity.min(f.severity);
            if e.name.is_empty() {
                e.name.clone_from(&f.rule_name);
            }
        }
        let mut out: Vec<RuleRow> = map.into_values().collect();
        // Errors, then warnings, then notices; the most frequent first within each.
        out.sort_by(|a, b| {
            a.severity
                .cmp(&b.severity)
                .then_with(|| b.count.cmp(&a.count))
                .then_with(|| a.rule.cmp(&b.rule))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::CellRef;
    use crate::read::labels::Labels;

    #[test]
    fn headers_are_not_form_labels() {
        let words = [
            "序号",
            "部门",
            "项目",
            "类型",
            "属性",
            "类别",
            "年份",
            "资金明细（原表各行）",
            "指标数",
            "建议等级",
            "得分",
            "文件",
            "工作表",
            "位置",
            "级别",
            "规则",
            "规则名称",
            "单元格",
            "问题",
            "发现",
            "应为",
            "表数",
            "条数",
            "总计",
            "全地区总计",
            "无法读取的原因",
            "绩效表汇总",
        ];
        for h in words.iter().chain(AMOUNTS.iter().map(|(h, _)| h)) {
            assert!(Labels::builtin().lookup(h).is_none(), "{h}");
        }
    }

    fn table(name: &str, dept: &str, file: &str, annual: i64, value: &str) -> Table {
        let mut t = Table::default();
        t.project.name = name.into();
        t.project.department = dept.into();
        t.year = Some(2026);
        t.funding.annual_total = Some(Decimal::new(annual, 2));
        t.source.file = file.into();
        t.source.sheet = "Sheet1".into();
        t.indicators.push(crate::model::Indicator {
            name: "完成率".into(),
            value: crate::model::Value {
                raw: value.into(),
                ..Default::default()
            },
            cell: Some(CellRef::new(11, 4)),
            ..Default::default()
        });
        t
    }

    fn doc(tables: Vec<Table>) -> Document {
        Document {
            tables,
            ..Document::default()
        }
    }

    #[test]
    fn departments_and_totals_add_up() {
        let mut s = Summary::new();
        s.add_file(
            "a.xlsx",
            &doc(vec![
                table("甲", "一厅", "a.xlsx", 1000, "≥90%"),
                table("乙", "二厅", "a.xlsx", 250, "≥90%"),
            ]),
            &[],
        );
        s.add_file(
            "b.xlsx",
            &doc(vec![table("丙", "一厅", "b.xlsx", 125, "≥90%")]),
            &[],
        );
        let d = s.departments();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].department, "一厅");
        assert_eq!(d[0].tables, 2);
        assert_eq!(d[0].annual, Some(Decimal::new(1125, 2)));
        assert_eq!(s.totals().annual, Some(Decimal::new(1375, 2)));
        // No table prints a 项目总额: the sum is not 0.00 but unknown.
        assert_eq!(s.totals().total, None);
        assert_eq!(s.totals().total_missing, 3);
        assert!(s.findings.is_empty());
    }

    #[test]
    fn a_table_without_an_amount_is_left_out_and_counted() {
        let mut s = Summary::new();
        let mut blank = table("乙", "一厅", "a.xlsx", 0, "≥90%");
        blank.funding.annual_total = None;
        s.add_file(
            "a.xlsx",
            &doc(vec![table("甲", "一厅", "a.xlsx", 1000, "≥90%"), blank]),
            &[],
        );
        let t = s.totals();
        assert_eq!(
            (t.annual, t.annual_missing),
            (Some(Decimal::new(1000, 2)), 1)
        );
        let text = DepartmentRow::sum_text(t.annual, t.annual_missing);
        assert!(
            text.contains("10.00 万元") && text.contains("1 张表未填"),
            "{text}"
        );
        assert_eq!(DepartmentRow::sum_text(None, 2), "未填");
    }

    #[test]
    fn the_same_project_in_two_files_and_its_differing_indicator() {
        let mut s = Summary::new();
        s.add_file(
            "a.xlsx",
            &doc(vec![table("甲项目", "一厅", "a.xlsx", 1000, "≥90%")]),
            &[],
        );
        // Same file twice: the checker's own rule covers it, nothing here.
        s.add_file(
            "b.xlsx",
            &doc(vec![table("甲 项目", "一厅", "b.xlsx", 1000, "≥95%")]),
            &[],
        );
        let rules: Vec<&str> = s.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, [DUPLICATE_PROJECT.0, INDICATOR_DIFFERS.0]);
        let f = &s.findings[1];
        assert_eq!(f.table, Some(1));
        assert_eq!(f.file, "b.xlsx");
        assert_eq!(f.expected.as_deref(), Some("≥90%"));
        assert!(f.message.contains("a.xlsx"), "{}", f.message);
        assert_eq!(s.rows[1].counts.warning, 2);
        assert_eq!(s.rows[0].counts.warning, 0);
    }

    #[test]
    fn the_workbook_is_not_read_as_tables() {
        let mut s = Summary::new();
        let mut t = table("项目名称", "主管部门", "a.xlsx", 100, "≥90%");
        t.project.attribute = "项目属性".into();
        s.add_file("a.xlsx", &doc(vec![t]), &[]);
        s.add_failure("坏.xlsx", "不是电子表格文件");
        let bytes = s.render().unwrap_or_else(|e| panic!("{e}"));
        let r = crate::read::read_bytes(std::path::Path::new("汇总.xlsx"), &bytes);
        assert!(
            matches!(r, Err(crate::Error::NoTable { .. })),
            "{:?}",
            r.map(|d| d.tables.len())
        );
    }
}
