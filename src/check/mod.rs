//! Checking: model → findings.
//!
//! [`check`] runs every rule of the [`CATALOGUE`] on every table of a [`Document`] and returns
//! the findings, together with the reader's notices (which pass through unchanged). A finding
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
//! The words the rules look for (known kinds, rate suffixes, units, stop words) are data, in
//! `templates/rules.toml` ([`vocab`]); the indicator framework is `templates/framework.toml`.

mod dates;
mod framework;
mod funding;
mod goal;
mod grade;
mod identity;
mod review;
pub mod settings;
mod values;
pub mod vocab;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::cell::CellRef;
use crate::model::{
    Document, Finding, Indicator, IndicatorClass, Severity, Table, TableKind, Value,
};
use crate::read::labels::Framework;
use crate::read::values::money_scale;

pub use grade::{grade, grade_of, GRADE_SCALE};
pub use settings::{profile_of, Config, ConfigError, Level, Settings};
pub use vocab::Vocab;

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The stable id (`funding.own-sum`).
    pub id: &'static str,
    /// Its Chinese name (`本级资金合计不符`), shown beside the id.
    pub name: &'static str,
    /// How bad its findings are, unless a profile or the user's rule file says otherwise.
    pub severity: Severity,
    /// What it checks, in Chinese, in one line.
    pub checks: &'static str,
    /// An example of a finding, in Chinese.
    pub example: &'static str,
}

/// The reader's notices, passed through as they are.
pub const READ_NOTICES: Rule = Rule {
    id: "read.*",
    name: "读取提示",
    severity: Severity::Info,
    checks: "读取时对原表所做的更改（同义标签、以文本填写的金额、元换算为万元、去除网页标记、错位的指标名称等），原样列出，便于核对；级别由读取时决定（多为提示，读不出的金额为警告）",
    example: "同义标签“主管部门及代码”按“主管部门”读取",
};

/// Every rule, in the order they are documented.
pub const CATALOGUE: &[Rule] = &[
    funding::MISSING,
    funding::OWN_SUM,
    funding::TRANSFER_SUM,
    funding::ANNUAL_SUM,
    funding::LINE_SUM,
    funding::TOTAL_ANNUAL,
    funding::NEGATIVE,
    funding::ROUNDED,
    funding::COST_SUM,
    funding::PERIOD_COSTS,
    values::COST_NO_AMOUNT,
    goal::COST_MISMATCH,
    goal::TOTAL_MISMATCH,
    goal::UNMATCHED,
    goal::COUNT_MISMATCH,
    framework::MISSING_LEVEL1,
    framework::MISSING_LEVEL2,
    framework::MISSING_PLACEHOLDER,
    framework::EMPTY_LEVEL2,
    framework::UNKNOWN_LEVEL,
    framework::MISPLACED,
    framework::NO_BENEFIT,
    values::EMPTY,
    values::NONE_REQUIRED,
    values::SATISFACTION_NONE,
    values::TIMELINESS,
    values::RATE_QUALITATIVE,
    values::SATISFACTION,
    values::MONEY_UNIT,
    review::DIRECTION,
    review::SATISFACTION_PLAUSIBLE,
    review::NATURE,
    review::WEIGHTS,
    review::PLACEHOLDER,
    review::INPUT_AS_TARGET,
    review::VAGUE,
    dates::OUTSIDE_YEAR,
    dates::TITLE_YEAR,
    identity::MISSING_FIELD,
    identity::ATTRIBUTE_KIND,
    identity::DUPLICATE_PROJECT,
    identity::DUPLICATE_INDICATOR,
    READ_NOTICES,
];

/// The catalogue entry of a rule id (`read.alias` finds [`READ_NOTICES`]).
pub fn rule(id: &str) -> Option<&'static Rule> {
    CATALOGUE
        .iter()
        .find(|r| r.id == id)
        .or_else(|| id.starts_with("read.").then_some(&READ_NOTICES))
}

/// True for a finding made by one of the checker's own rules (not a reader notice).
fn is_check_finding(f: &Finding) -> bool {
    CATALOGUE
        .iter()
        .any(|r| r.id == f.rule && r.id != READ_NOTICES.id)
}

/// Checks every table of a document with the built-in settings; see [`check_with`].
pub fn check(doc: &Document) -> Vec<Finding> {
    check_with(doc, &Config::default())
}

/// Checks every table of a document with the settings of each table's profile under the
/// user's `config`. Returns the reader's notices and the rules' findings, ordered by table,
/// then severity, then cell. Findings of an earlier check held in `doc.discrepancies` are
/// replaced, not repeated. Every finding names its rule's Chinese name and the table's
/// department.
pub fn check_with(doc: &Document, config: &Config) -> Vec<Finding> {
    let mut out: Vec<Finding> = doc
        .discrepancies
        .iter()
        .filter(|f| !is_check_finding(f))
        .cloned()
        .map(|mut f| {
            if f.rule_name.is_empty() {
                f.rule_name = rule(&f.rule).map_or("", |r| r.name).to_string();
            }
            f
        })
        .collect();
    let mut cache: HashMap<(String, TableKind), Settings> = HashMap::new();
    for (index, table) in doc.tables.iter().enumerate() {
        let key = (profile_of(table).to_string(), table.kind);
        let settings = cache.entry(key).or_insert_with(|| {
            Settings::for_profile(Vocab::builtin(), config, table.profile, table.kind)
        });
        out.extend(check_table_with(table, index, settings));
    }
    let batch = identity::check_batch(&doc.tables);
    out.extend(batch.into_iter().filter_map(|f| {
        let t = &doc.tables[f.table?];
        let s = Settings::for_profile(Vocab::builtin(), config, t.profile, t.kind);
        settle(f, &s)
    }));
    sort_findings(&mut out);
    out
}

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

/// Checks one table with the given settings.
pub fn check_table_with(table: &Table, index: usize, settings: &Settings) -> Vec<Finding> {
    let ctx = Ctx::with_settings(table, index, Cow::Borrowed(settings));
    let goal = goal::analyse(&ctx);
    let funds = funding::check(&ctx, &goal);
    let mut out = goal::findings(&ctx, &goal, &funds);
    out.splice(0..0, funds.findings);
    out.extend(goal::count_findings(&ctx));
    out.extend(framework::check(&ctx));
    out.extend(values::check(&ctx));
    out.extend(review::check(&ctx));
    out.extend(dates::check(&ctx));
    out.extend(identity::check_table(&ctx));
    out.into_iter()
        .filter_map(|f| settle(f, settings))
        .collect()
}

/// Gives a finding the level its settings set, or drops it when its rule is off.
fn settle(mut f: Finding, settings: &Settings) -> Option<Finding> {
    let r = rule(&f.rule)?;
    if r.id != READ_NOTICES.id {
        // A rule's own default may differ per finding (a rounding note is info); a setting
        // overrides it.
        match settings.level_of(r.id) {
            Some(l) => f.severity = l.severity()?,
            None if f.severity != r.severity => {}
            None => f.severity = r.severity,
        }
    }
    f.rule_name = r.name.to_string();
    Some(f)
}

/// Orders findings by table, severity and cell, keeping the rules' order otherwise.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (f.table, f.severity, f.cell.map(|c| (c.row, c.col))));
}

/// The form profiles with built-in settings, in the order the catalogue shows them.
pub const PROFILES: &[(&str, &str)] = &[
    ("ningxia", "宁夏"),
    ("national", "全国"),
    ("hunan", "湖南"),
    ("central", "中央"),
    ("department", "部门整体"),
];

/// A rule's level in each built-in profile under `config`, grouped: (level, profile names).
pub fn levels_by_profile(r: &Rule, config: &Config) -> Vec<(Level, Vec<&'static str>)> {
    let mut out: Vec<(Level, Vec<&'static str>)> = Vec::new();
    for (id, name) in PROFILES {
        let kind = if *id == "department" {
            TableKind::Department
        } else {
            TableKind::Project
        };
        let l = Settings::resolve(Vocab::builtin(), config, id, kind).level(r);
        match out.iter_mut().find(|(x, _)| *x == l) {
            Some((_, names)) => names.push(name),
            None => out.push((l, vec![name])),
        }
    }
    out
}

/// A rule's level as one short text: `错误` or `错误（宁夏）／警告（全国、湖南…）`.
pub fn level_text(r: &Rule, config: &Config) -> String {
    let levels = levels_by_profile(r, config);
    if levels.len() == 1 {
        return levels[0].0.label().to_string();
    }
    levels
        .iter()
        .map(|(l, names)| format!("{}（{}）", l.label(), names.join("、")))
        .collect::<Vec<_>>()
        .join("／")
}

/// The catalogue as Markdown (the text of `docs/rules.md`).
pub fn rules_markdown() -> String {
    let config = Config::default();
    let mut s = String::new();
    s.push_str("# 检查规则（`jixiao check`）\n\n");
    s.push_str(
        "本文件由 `jixiao::check::rules_markdown()` 生成，测试会核对它与代码一致；\
         修改规则后运行 `JIXIAO_UPDATE_DOCS=1 cargo test rules_doc` 重新生成。\
         命令行中可用 `jixiao check --rules` 列出同一份目录。\n\n",
    );
    s.push_str(
        "级别：**错误**（error）＝肯定有误，须改正；**警告**（warning）＝可能有误或写得不好，\
         请审核确认；**提示**（info）＝读取时对原表所做的更改，或说明性的提示。\
         有错误时 `jixiao check` 的退出码为 1，有文件无法读取时为 2，否则为 0。\n\n",
    );
    s.push_str(
        "级别因模板（读取时识别的表式：宁夏、全国、湖南、中央、部门整体）而异时，按模板分别列出；\
         各模板的默认级别和阈值在其表样配置 `templates/profiles/<模板>.toml` 的 `[rules]` 和 `[thresholds]` 中\
         （用户自己的表样配置同样可写，并经 `extends` 继承），通用阈值在 `templates/rules.toml` 的 `[thresholds]` 中。\
         用户可在当前目录放一个 `jixiao.toml`（或在任一命令后加 `--config 文件`）关闭规则、改变级别、\
         设定阈值，见下文“规则文件”。\n\n",
    );
    s.push_str(
        "规则用到的词表（项目属性的种类、表示比率或满意度的词、时间单位、金额单位、目标文字比对时忽略的词、\
         其他表式的指标级次名称、方向、含糊表述、占位符等）在 `templates/rules.toml` 中，\
         指标体系在 `templates/framework.toml` 中。\n",
    );
    let mut section = "";
    for r in CATALOGUE {
        let prefix = r.id.split('.').next().unwrap_or("");
        if prefix != section {
            section = prefix;
            let _ = write!(s, "\n## {}\n\n", section_title(prefix));
            s.push_str("| 规则 | 名称 | 级别 | 检查内容 | 示例 |\n|---|---|---|---|---|\n");
        }
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            r.id,
            r.name,
            level_text(r, &config),
            r.checks.replace('|', "\\|"),
            r.example.replace('|', "\\|")
        );
    }
    s.push_str(grade::GRADE_DOC);
    s.push_str(RULE_FILE_DOC);
    s
}

/// The rule file section of `docs/rules.md`.
const RULE_FILE_DOC: &str = "
## 规则文件（`jixiao.toml`）

各地财政部门的惯例不同。在运行命令的目录中放一个 `jixiao.toml`，或在 `import`、`check`、`convert`、
`template` 后加 `--config 文件`，即可关闭规则、改变级别、设定阈值；其余规则沿用所读表式（模板）的默认设置。
级别可写 `error`／`warning`／`info`／`off`，也可写 `错误`／`警告`／`提示`／`关闭`。

```toml
[rules]
\"cost.sum\" = \"error\"          # 成本指标合计必须等于年度资金总额
\"values.vague\" = \"off\"        # 不检查含糊表述

[thresholds]
satisfaction_floor = 85          # 满意度低于 85% 视为偏低（默认 80）
amount_tolerance = 0.01          # 金额相差不超过 0.01 万元视为相等（默认 0.005）
required_level2 = { \"产出指标\" = [\"数量指标\", \"质量指标\", \"时效指标\"], \"满意度指标\" = [\"服务对象满意度\"] }
weight_split = { \"产出指标\" = 50, \"效益指标\" = 30, \"满意度指标\" = 10 }

[profile.national.rules]         # 只对按全国表式读取的表
\"values.weights\" = \"error\"
```

规则文件中出现未知的键、未知的规则号或无效的级别时，命令以一句中文说明（指出文件和键）退出，退出码 2。
";

fn section_title(prefix: &str) -> &'static str {
    match prefix {
        "funding" => "资金（funding）",
        "cost" => "成本指标（cost）",
        "goal" => "年度总体绩效目标（goal）",
        "framework" => "指标体系（framework）",
        "values" => "指标值（values）",
        "dates" => "日期与年度（dates）",
        "identity" => "项目信息（identity）",
        "read" => "读取提示（read）",
        _ => "其他",
    }
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

    pub fn with_settings(table: &'a Table, index: usize, settings: Cow<'a, Settings>) -> Self {
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
    pub fn is_department(&self) -> bool {
        self.table.kind == TableKind::Department
    }

    /// True when `attribute` is a kind of 项目属性 the checker knows: a common one
    /// (`templates/rules.toml`) or one of the table's profile (`[vocabulary] attributes`).
    pub fn is_known_kind(&self, attribute: &str) -> bool {
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

    /// The indices of the indicators of a class.
    pub fn of_class(&self, class: IndicatorClass) -> impl Iterator<Item = usize> + '_ {
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
    pub fn cost_money(&self, i: usize) -> Money {
        let ind = &self.table.indicators[i];
        let m = self.money(&typed_value(ind));
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
    pub fn is_placeholder(&self, i: usize) -> bool {
        let ind = &self.table.indicators[i];
        review::placeholder_in(self.vocab, &ind.value.raw, true).is_some()
            || review::placeholder_in(self.vocab, &ind.name, true).is_some()
    }

    /// True for a cost indicator that is a rate (`政府采购节支率`, a `%` value).
    pub fn is_cost_rate(&self, i: usize) -> bool {
        let ind = &self.table.indicators[i];
        Vocab::mentions(&self.vocab.review.cost_rate_words, &ind.name)
            || (self.vocab.is_rate_name(&ind.name)
                && !matches!(self.money(&ind.value), Money::Amount(..)))
    }
}

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
        assert_eq!(rule("read.alias").map(|r| r.id), Some("read.*"));
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
            let r = rule(&f.rule).unwrap_or(&READ_NOTICES);
            assert_eq!(r.id, f.rule);
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
        want.rule_name = "读取提示".into();
        assert_eq!(check(&doc), vec![want]);
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
