//! Checking: model → findings.
//!
//! [`check`] runs every rule of the [`CATALOGUE`] on every table of a [`Document`] and returns
//! the findings, together with the reader's notices (at the level the settings give them). A finding
//! names its rule, severity, project, file, sheet and cell, says in Chinese what was found and
//! what was expected, and fills `field`, `found`, `expected` and `table`. Findings are data:
//! nothing here fails, and nothing prints.
//!
//! The rules, by the part of the form they look at:
//!
//! ```text
//!  | 项目名称 / 主管部门 / 实施单位 / 项目属性 | identity: filled, known kind, no duplicates
//!  | 项目总额 | 年度资金总额 | 本级 … | 转移 …   | funding: the identities between the amounts
//!  | 年度总体绩效目标                          | goal: amounts named agree with the cost rows
//!  | 一级 | 二级 | 三级 | 指标值                | framework, values, cost
//!  | title (2026年…) / (2026年)                | dates: years agree
//! ```
//!
//! The modules: `catalogue` (every rule and notice id, with its name, level and docs),
//! this one (orchestration and what the rules share about a table), `docs` (docs/rules.md),
//! `money` (the money an indicator value states), and one module per part of the form.
//!
//! The words the rules look for (known kinds, rate suffixes, units, stop words) are data, in
//! `templates/rules.toml` ([`vocab`]); the indicator framework is `templates/framework.toml`.

mod catalogue;
mod dates;
mod docs;
mod framework;
mod funding;
mod goal;
mod grade;
mod identity;
mod money;
mod review;
pub mod selfeval;
pub mod settings;
mod tasks;
mod values;
pub mod vocab;

use std::borrow::Cow;
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::cell::CellRef;
use crate::model::{
    Document, Finding, FormKind, IndicatorClass, Severity, Table, TableKind, Value,
};
use crate::read::labels::normalize_label;
use crate::read::labels::Framework;

pub(crate) use catalogue::READ_PROFILE;
use catalogue::{applies, is_check_finding};
pub use catalogue::{level_text, levels_by_profile, rule, settle, Forms, Rule, CATALOGUE};
pub use docs::rules_markdown;
pub use grade::{grade, grade_of, selfeval_grade, selfeval_result, GRADE_SCALE};
pub(crate) use money::{fmt_money, in_range, money_of, typed_value, Money, UnitNote, MAX_AMOUNT};
pub use settings::{profile_of, Config, ConfigError, Level, Settings};
pub(crate) use values::short_money_unit;
pub use vocab::Vocab;

/// Checks every table of a document with the built-in settings; see [`check_with`].
pub fn check(doc: &Document) -> Vec<Finding> {
    check_with(doc, &Config::default())
}

/// Checks every table of a document with the settings of each table's profile under the
/// user's `config`. Returns the reader's notices (at the level the settings give their rule,
/// left out when it is `off`) and the rules' findings, ordered by table, then severity, then
/// cell. Findings of an earlier check held in `doc.discrepancies` are replaced, not repeated.
/// Every finding names its rule's Chinese name and the table's department.
pub fn check_with(doc: &Document, config: &Config) -> Vec<Finding> {
    let mut cache = SettingsCache {
        config,
        map: HashMap::new(),
    };
    let table_of = |f: &Finding| f.table.and_then(|i| doc.tables.get(i));
    let mut out: Vec<Finding> = Vec::new();
    for f in doc.discrepancies.iter().filter(|f| !is_check_finding(f)) {
        out.extend(settle(f.clone(), cache.get(table_of(f))));
    }
    for (index, table) in doc.tables.iter().enumerate() {
        out.extend(check_table_with(table, index, cache.get(Some(table))));
    }
    for f in identity::check_batch(&doc.tables) {
        if table_of(&f).is_some_and(|t| !applies(&f, t.form)) {
            continue;
        }
        let s = cache.get(table_of(&f));
        out.extend(settle(f, s));
    }
    // The library's own order: by table, then severity and cell (what is reported is put in
    // `report_order` by its writer).
    out.sort_by_key(|f| (f.table, f.severity, f.cell.map(|c| (c.row, c.col))));
    out
}

/// The settings of each (profile, kind) met in a run, resolved once.
struct SettingsCache<'c> {
    config: &'c Config,
    map: HashMap<(String, TableKind), Settings>,
}

impl SettingsCache<'_> {
    /// The settings a table is checked with (the default profile's for a finding about no
    /// table).
    fn get(&mut self, table: Option<&Table>) -> &Settings {
        let (profile, kind) = match table {
            Some(t) => (t.profile, t.kind),
            None => {
                let p = crate::read::profile::ProfileRef::default_profile();
                (p, p.kind)
            }
        };
        let config = self.config;
        self.map
            .entry((profile.id.clone(), kind))
            .or_insert_with(|| Settings::for_profile(Vocab::builtin(), config, profile, kind))
    }
}

/// What makes two tables the same project's same form, for `identity.duplicate-project` within
/// a batch and `region.duplicate-project` across the files of a summary: the 主管部门, the
/// project's name (both compared without spacing and width differences), the budget year and
/// the form (a project's targets table and its self-evaluation are two forms, not a
/// duplicate). `None` for a table without a project name.
pub(crate) fn project_identity(t: &Table) -> Option<ProjectIdentity> {
    let name = normalize_label(&t.project.name);
    if name.is_empty() {
        return None;
    }
    Some((normalize_label(&t.project.department), name, t.year, t.form))
}

/// 主管部门, project name, year and form: see [`project_identity`].
pub(crate) type ProjectIdentity = (String, String, Option<i32>, FormKind);

/// Checks one table with the built-in settings of its profile; `index` is its place in its
/// document (set as each finding's `table`).
pub fn check_table(table: &Table, index: usize) -> Vec<Finding> {
    let s = Settings::for_profile(
        Vocab::builtin(),
        &Config::default(),
        table.profile,
        table.kind,
    );
    check_table_with(table, index, &s)
}

/// Checks one table with the given settings: the rules that apply to its form
/// ([`Rule::forms`]).
pub(crate) fn check_table_with(table: &Table, index: usize, settings: &Settings) -> Vec<Finding> {
    let ctx = Ctx::with_settings(table, index, Cow::Borrowed(settings));
    let goal = goal::analyse(&ctx);
    let funds = funding::check(&ctx, &goal.corroborated_rows(), &goal.claims());
    let mut out = goal::findings(&ctx, &goal, &funds);
    out.splice(0..0, funds.findings);
    out.extend(goal::count_findings(&ctx));
    out.extend(tasks::check(&ctx));
    out.extend(framework::check(&ctx));
    out.extend(values::check(&ctx));
    out.extend(review::check(&ctx));
    out.extend(dates::check(&ctx));
    out.extend(identity::check_table(&ctx));
    out.extend(selfeval::check(&ctx));
    out.into_iter()
        .filter(|f| applies(f, table.form))
        .filter_map(|f| settle(f, settings))
        .collect()
}

/// The order findings are reported in, everywhere (`check`'s listing and JSON, the 问题清单
/// of `convert` and `summary`): errors, then warnings, then notices; within each, by table
/// (findings about a file rather than a table after them) and cell. Sorting by it is stable:
/// the rules' order stays within a cell.
pub fn report_order(f: &Finding) -> (Severity, usize, Option<(u32, u32)>) {
    (
        f.severity,
        f.table.unwrap_or(usize::MAX),
        f.cell.map(|c| (c.row, c.col)),
    )
}

/// Sorts findings in [`report_order`].
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(report_order);
}

/// What the rules share about one table.
pub(crate) struct Ctx<'a> {
    /// The table.
    pub table: &'a Table,
    /// Its index in the document.
    pub index: usize,
    /// The vocabulary.
    pub vocab: &'static Vocab,
    /// The framework.
    pub fw: &'static Framework,
    /// Each indicator's class, worked out from its levels when the model leaves it unknown.
    pub classes: Vec<IndicatorClass>,
    /// The settings in force.
    pub settings: Cow<'a, Settings>,
}

impl<'a> Ctx<'a> {
    /// A context with the built-in settings of the table's profile.
    pub fn new(table: &'a Table, index: usize) -> Self {
        let s = Settings::for_profile(
            Vocab::builtin(),
            &Config::default(),
            table.profile,
            table.kind,
        );
        Ctx::with_settings(table, index, Cow::Owned(s))
    }

    pub(crate) fn with_settings(
        table: &'a Table,
        index: usize,
        settings: Cow<'a, Settings>,
    ) -> Self {
        // The framework with the wordings of the table's own profile (`[vocabulary]`).
        let fw = table.profile.get().framework();
        let vocab = Vocab::builtin();
        let classes = table
            .indicators
            .iter()
            .map(|ind| {
                if ind.class != IndicatorClass::Unknown {
                    return ind.class;
                }
                let l2 = vocab.level2_name(&ind.level2);
                let Some(def) = fw.level2_in(&l2, table.layout) else {
                    return IndicatorClass::Unknown;
                };
                match vocab.level1(fw, &ind.level1) {
                    Some(l1) if l1 == def.parent => def.class,
                    // A second level printed without its first (the Hunan 满意度 row).
                    None if ind.level1.trim().is_empty() => def.class,
                    _ => fw
                        .level2(&l2)
                        .iter()
                        .find(|d| vocab.level1(fw, &ind.level1) == Some(d.parent.as_str()))
                        .map_or(IndicatorClass::Unknown, |d| d.class),
                }
            })
            .collect();
        Ctx {
            table,
            index,
            vocab,
            fw,
            classes,
            settings,
        }
    }

    /// The profile the table is checked with.
    pub fn profile(&self) -> &str {
        &self.settings.profile
    }

    /// True for a 部门整体 table.
    pub(crate) fn is_department(&self) -> bool {
        self.table.kind == TableKind::Department
    }

    /// True when `attribute` is a kind of 项目属性 the checker knows: a common one
    /// (`templates/rules.toml`) or one of the table's profile (`[vocabulary] attributes`).
    pub(crate) fn is_known_kind(&self, attribute: &str) -> bool {
        self.vocab.is_known_kind(attribute) || self.table.profile.knows_attribute(attribute)
    }

    /// The label messages use for a header field of this table: its profile's wording, the
    /// rule vocabulary's, else the field's common name ([`crate::model::fields`]).
    pub fn label(&self, field: &str) -> String {
        self.table
            .profile
            .wording(field)
            .or_else(|| self.vocab.field_label(self.profile(), field))
            .unwrap_or_else(|| crate::model::fields::name(field))
            .to_string()
    }

    /// True when two amounts are equal within the tolerance.
    pub fn equal(&self, a: Decimal, b: Decimal) -> bool {
        (a - b).abs() <= self.settings.tolerance
    }

    /// A finding of `rule` about this table.
    pub fn finding(
        &self,
        rule: &Rule,
        cell: Option<CellRef>,
        message: impl Into<String>,
    ) -> Finding {
        let mut f = Finding::new(rule.id, rule.severity, self.table, cell, message);
        f.table = Some(self.index);
        f.rule_name = rule.name.to_string();
        f
    }

    /// The cell a header field was read from.
    pub fn cell_of(&self, field: &str) -> Option<CellRef> {
        self.table.cell_of(field)
    }

    /// Where `field` was never found (no label of it printed) on a table holding labels the
    /// reader did not understand (`read.unknown-label`): the check that needs it could not
    /// run, said as information naming those cells, instead of the field reported missing.
    /// A table with no header block at all (an indicator table named by its title only, a
    /// 评价指标表): the fields it does not print are not missing either. `None` too where the
    /// rule standing down (`instead`) does not apply to the table's form.
    pub(crate) fn not_run(&self, instead: &Rule, field: &str) -> Option<Finding> {
        if self.cell_of(field).is_some() || !instead.forms.includes(self.table.form) {
            return None;
        }
        if !self.header_block_printed() {
            let label = self.label(field);
            return Some(
                self.finding(
                    &catalogue::NOT_RUN,
                    self.cell_of("title"),
                    format!("本表只有标题和指标，没有填写“{label}”等表头信息的栏目，无法核对"),
                )
                .field(field.to_string())
                .found_expected("（表样无此栏）", label),
            );
        }
        let unread: Vec<&crate::model::MetaField> = self
            .table
            .metadata
            .iter()
            .filter(|m| m.key.is_empty())
            .collect();
        let first = unread.first()?;
        let named: Vec<String> = unread
            .iter()
            .take(3)
            .map(|m| match m.cell {
                Some(c) => format!("“{}”（{c}）", m.label),
                None => format!("“{}”", m.label),
            })
            .collect();
        let label = self.label(field);
        Some(
            self.finding(
                &catalogue::NOT_RUN,
                first.cell,
                format!(
                    "未找到“{label}”，无法核对；表中未能识别的标签{}可能就是该项",
                    named.join("")
                ),
            )
            .field(field.to_string())
            .found_expected("（未识别）", label),
        )
    }

    /// Whether the table prints a header block: any header field read from a label (a name
    /// taken from the title does not count).
    fn header_block_printed(&self) -> bool {
        let title = self.cell_of("title");
        self.table.cells.iter().any(|(k, f)| {
            let header = [
                "project.",
                "funding.",
                "goal",
                "long_term_goal",
                "department.",
            ]
            .iter()
            .any(|p| k.starts_with(p));
            header && Some(f.cell) != title
        }) || !self.table.funding.lines.is_empty()
    }

    /// The indices of the indicators of a class.
    pub(crate) fn of_class(&self, class: IndicatorClass) -> impl Iterator<Item = usize> + '_ {
        self.classes
            .iter()
            .enumerate()
            .filter(move |(_, c)| **c == class)
            .map(|(i, _)| i)
    }

    /// The money an indicator value states.
    pub fn money(&self, value: &Value) -> Money {
        money_of(self.vocab, value, self.table.source_unit.as_deref())
    }

    /// The money a cost indicator states, as the cost sum sees it: a cap (`≤50万元`) or a unit
    /// cost (`人均…≤500元`, `500元/人`) is not part of the total; a rate (`节支率 ≥5%`) is no
    /// money at all.
    pub(crate) fn cost_money(&self, i: usize) -> Money {
        let ind = &self.table.indicators[i];
        let m = self.money(&typed_value(self.vocab, ind));
        if let Money::Amount(d, note) = m {
            if Vocab::mentions(&self.vocab.review.unit_cost_words, &ind.name) {
                return Money::PerUnit;
            }
            if matches!(ind.value.comparator.as_deref(), Some("≤" | "<")) {
                return Money::Cap(d, note);
            }
            return Money::Amount(d, note);
        }
        m
    }

    /// True when an indicator's value or name is template text left in (`XX项`, `待定`):
    /// values.placeholder reports it, the other value rules leave it alone.
    pub(crate) fn is_placeholder(&self, i: usize) -> bool {
        let ind = &self.table.indicators[i];
        review::placeholder_in(self.vocab, &ind.value.raw, true).is_some()
            || review::placeholder_in(self.vocab, &ind.name, true).is_some()
    }

    /// True for a cost indicator that is a rate (`政府采购节支率`, a `%` value).
    pub(crate) fn is_cost_rate(&self, i: usize) -> bool {
        let ind = &self.table.indicators[i];
        Vocab::mentions(&self.vocab.review.cost_rate_words, &ind.name)
            || (self.vocab.is_rate_name(&ind.name)
                && !matches!(self.money(&ind.value), Money::Amount(..)))
    }
}

/// `C12` or `—` for messages.
pub(crate) fn cell_text(cell: Option<CellRef>) -> String {
    cell.map_or_else(|| "—".to_string(), |c| c.to_string())
}

/// Short text for messages: at most `max` characters, with `…`.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let t = text.trim();
    if t.chars().count() <= max {
        t.to_string()
    } else {
        let mut s: String = t.chars().take(max).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! A table built in memory: the seed's 宁夏网络安全服务项目, with its cells.

    use std::str::FromStr;

    use rust_decimal::Decimal;

    use crate::cell::CellRef;
    use crate::model::{
        FieldSource, Funding, Indicator, IndicatorClass, OwnFunds, Project, Source, Table,
        TransferFunds,
    };
    use crate::read::values::parse_value;

    pub fn d(s: &str) -> Option<Decimal> {
        Decimal::from_str(s).ok()
    }

    pub fn cell(s: &str) -> CellRef {
        s.parse().unwrap_or(CellRef::new(0, 0))
    }

    pub fn ind(l1: &str, l2: &str, name: &str, value: &str, row: u32) -> Indicator {
        Indicator {
            level1: l1.into(),
            level2: l2.into(),
            name: name.into(),
            value: parse_value(value),
            cell: Some(CellRef::new(row - 1, 4)),
            name_cell: Some(CellRef::new(row - 1, 2)),
            class: IndicatorClass::Unknown,
            ..Default::default()
        }
    }

    /// A correct classic table: every rule is quiet on it.
    pub fn table() -> Table {
        let mut t = Table {
            profile: "ningxia".into(),
            year: Some(2026),
            title: "2026年宁夏回族自治区部门项目支出预算绩效表".into(),
            unit: "万元".into(),
            project: Project {
                name: "宁夏网络安全服务项目".into(),
                department: "自治区党委网络安全和信息化委员会办公室".into(),
                department_code: None,
                implementing_unit: "自治区党委网络安全和信息化委员会办公室本级".into(),
                attribute: "经常性项目".into(),
                period: "1年".into(),
                ..Default::default()
            },
            funding: Funding {
                total: d("45.00"),
                annual_total: d("45.00"),
                own: OwnFunds {
                    total: d("45.00"),
                    fiscal: d("45.00"),
                    other: d("0.00"),
                    carryover: d("0.00"),
                },
                transfer: TransferFunds {
                    total: d("0.00"),
                    central: d("0.00"),
                    regional: d("0.00"),
                },
                lines: Vec::new(),
            },
            goal: "开展2026年度宁夏网络安全宣传周及全区网络安全应急演练，其中宣传周预算30万元。"
                .into(),
            indicators: vec![
                ind("产出指标", "数量指标", "网络安全宣传周项目", "1项", 14),
                ind("产出指标", "数量指标", "网络安全应急演练项目", "1项", 15),
                ind("产出指标", "质量指标", "全区网民覆盖量", "≥200万", 16),
                ind("产出指标", "质量指标", "应急演练覆盖率", "≥80%", 17),
                ind(
                    "产出指标",
                    "时效指标",
                    "网络安全宣传周项目实施时间",
                    "2026年9-10月",
                    18,
                ),
                ind(
                    "产出指标",
                    "时效指标",
                    "网络安全应急演练实施时间",
                    "2026年11月前",
                    19,
                ),
                ind("产出指标", "成本指标", "网络安全宣传周项目", "30万元", 20),
                ind("产出指标", "成本指标", "网络安全应急演练项目", "15万元", 21),
                ind("效益指标", "经济效益", "无", "无", 22),
                ind("效益指标", "社会效益", "网络安全事件发生率", "≤20%", 23),
                ind("效益指标", "生态效益", "无", "无", 24),
                ind(
                    "效益指标",
                    "可持续影响",
                    "网络安全应急处置能力提升",
                    "长效",
                    25,
                ),
                ind("满意度指标", "服务对象满意度", "参与单位满意率", "≥80%", 26),
            ],
            source: Source {
                file: "mem.xlsx".into(),
                sheet: "Sheet1".into(),
                range: "A1:F26".into(),
            },
            ..Table::default()
        };
        for (field, c, raw) in [
            ("title", "A1", "2026年宁夏回族自治区部门项目支出预算绩效表"),
            ("year", "A2", "(2026年)"),
            ("project.name", "B4", "宁夏网络安全服务项目"),
            ("project.department", "B5", "x"),
            ("project.implementing_unit", "D5", "x"),
            ("project.attribute", "B6", "经常性项目"),
            ("project.period", "D6", "1年"),
            ("funding.total", "B7", "45"),
            ("funding.annual_total", "D7", "45"),
            ("funding.own.total", "C8", "45"),
            ("funding.own.fiscal", "C9", "45"),
            ("funding.own.other", "C10", "0"),
            ("funding.own.carryover", "C11", "0"),
            ("funding.transfer.total", "F8", "0"),
            ("funding.transfer.central", "F9", "0"),
            ("funding.transfer.regional", "F10", "0"),
            ("goal", "B12", "…"),
        ] {
            t.cells.insert(
                field.into(),
                FieldSource {
                    cell: cell(c),
                    raw: raw.into(),
                    label: String::new(),
                },
            );
        }
        t
    }

    /// The findings of one rule on a table.
    pub fn fired(t: &Table, rule: &str) -> Vec<crate::model::Finding> {
        super::check_table(t, 0)
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::model::Severity;

    #[test]
    fn catalogue_ids_are_unique_and_documented() {
        let mut ids: Vec<&str> = CATALOGUE.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule ids");
        for r in CATALOGUE {
            assert!(!r.checks.is_empty() && !r.example.is_empty(), "{}", r.id);
        }
        assert_eq!(rule("read.alias").map(|r| r.id), Some("read.alias"));
        assert!(rule("read.*").is_none());
        assert_eq!(
            rule("cost.sum").map(|r| r.severity),
            Some(Severity::Warning)
        );
        for r in CATALOGUE {
            assert!(!r.name.is_empty(), "{}", r.id);
        }
    }

    #[test]
    fn a_correct_table_has_no_finding() {
        let t = table();
        let found = check_table(&t, 0);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn every_finding_comes_from_the_catalogue_and_names_its_table() {
        let mut t = table();
        t.funding.own.fiscal = d("40");
        t.indicators[6].value = crate::read::values::parse_value("30万");
        t.project.attribute = "重要项目".into();
        let found = check_table(&t, 3);
        assert!(!found.is_empty());
        for f in &found {
            let r = rule(&f.rule).expect("a catalogue rule");
            assert!(r.is_check(), "{}", r.id);
            assert_eq!(r.severity, f.severity);
            assert_eq!(f.table, Some(3));
            assert_eq!(f.project, "宁夏网络安全服务项目");
            assert!(f.found.is_some() || f.expected.is_some() || f.field.is_some());
        }
    }

    #[test]
    fn reader_notices_pass_through() {
        let t = table();
        let notice = Finding::new(
            "read.alias",
            Severity::Info,
            &t,
            Some(cell("A5")),
            "同义标签“主管部门及代码”按“主管部门”读取",
        );
        let doc = Document {
            schema: crate::model::SCHEMA_VERSION,
            tables: vec![t],
            discrepancies: vec![notice.clone()],
        };
        let mut want = notice;
        want.rule_name = "同义或不完整的标签".into();
        assert_eq!(check(&doc), vec![want.clone()]);
        // A rule file may re-level a notice, or turn it off.
        let config = Config::from_toml("[rules]\n\"read.alias\" = \"warning\"\n", "jixiao.toml")
            .expect("config");
        let found = check_with(&doc, &config);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        let config = Config::from_toml("[rules]\n\"read.alias\" = \"off\"\n", "jixiao.toml")
            .expect("config");
        assert!(check_with(&doc, &config).is_empty());
    }

    #[test]
    fn checking_twice_does_not_repeat() {
        let mut doc = Document {
            schema: crate::model::SCHEMA_VERSION,
            tables: vec![table()],
            discrepancies: Vec::new(),
        };
        doc.tables[0].funding.own.fiscal = d("40");
        let first = check(&doc);
        doc.discrepancies = first.clone();
        assert_eq!(check(&doc), first);
    }

    proptest::proptest! {
        /// Whatever a department types, checking never panics and only catalogue rules fire.
        #[test]
        fn any_table_checks_without_panic(
            values in proptest::collection::vec("\\PC{0,12}|[≥≤]?[0-9]{1,30}(\\.[0-9]{1,6})?(万元|万|元|亿元|%|项)?", 13),
            names in proptest::collection::vec("\\PC{0,8}|无|", 13),
            goal in "\\PC{0,40}|(预算|合计|共计)?[0-9]{1,29}(\\.[0-9]{1,4})?(万元|元|亿元)",
            amounts in proptest::collection::vec(proptest::option::of(-1_000_000_000_000_000_i64..1_000_000_000_000_000_i64), 9),
            period in "1年|3年|\\PC{0,4}",
        ) {
            let mut t = table();
            for (i, ind) in t.indicators.iter_mut().enumerate() {
                ind.value = crate::read::values::parse_value(&values[i]);
                ind.name = names[i].clone();
            }
            t.goal = goal;
            t.project.period = period;
            let f = &mut t.funding;
            let slots = [
                &mut f.total, &mut f.annual_total, &mut f.own.total, &mut f.own.fiscal,
                &mut f.own.other, &mut f.own.carryover, &mut f.transfer.total,
                &mut f.transfer.central, &mut f.transfer.regional,
            ];
            for (slot, a) in slots.into_iter().zip(&amounts) {
                *slot = a.map(|v| Decimal::new(v, 2));
            }
            let doc = Document { schema: crate::model::SCHEMA_VERSION, tables: vec![t.clone(), t], discrepancies: Vec::new() };
            for finding in check(&doc) {
                proptest::prop_assert!(rule(&finding.rule).is_some(), "{}", finding.rule);
            }
        }
    }

    #[test]
    fn money_of_values() {
        let v = Vocab::builtin();
        let m =
            |s: &str, unit: Option<&str>| money_of(v, &crate::read::values::parse_value(s), unit);
        assert_eq!(
            m("30万元", None),
            Money::Amount(Decimal::new(30, 0), UnitNote::Full)
        );
        assert_eq!(
            m("8.00万", None),
            Money::Amount(Decimal::new(800, 2), UnitNote::Short("万元".into()))
        );
        assert_eq!(
            m("300000元", None),
            Money::Amount(Decimal::new(30, 0), UnitNote::Full)
        );
        match m("300000", Some("元")) {
            Money::Amount(d, UnitNote::Missing(u)) => {
                assert_eq!(d, Decimal::new(30, 0));
                assert_eq!(u, "元");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(m("≤500元/人", None), Money::PerUnit);
        assert_eq!(m("1项", None), Money::None);
        assert_eq!(m("有所提升", None), Money::None);
    }
}
