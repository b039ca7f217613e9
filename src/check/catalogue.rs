//! The rule registry: every finding the program can emit, with its id, Chinese name, default
//! level, what it checks and an example — the checker's rules, the reader's notices (`read.*`),
//! the writer's (`write.*`) and the cross-file checks of `summary` (`region.*`).
//!
//! `docs/rules.md` and `jixiao check --rules` are made from [`CATALOGUE`]; a rule file
//! (`jixiao.toml`) or a profile may set the level of any id listed here, `off` included.

use serde::Serialize;

use super::settings::{Config, Level, Settings};
use super::vocab::Vocab;
use super::{dates, framework, funding, goal, identity, review, selfeval, tasks, values};
use crate::model::{Finding, FormKind, Severity};
use crate::read::profile::Profiles;

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
    /// The forms it applies to: what it needs from a table.
    pub forms: Forms,
}

/// The forms a rule applies to, by what the rule needs from a table. A self-evaluation or a
/// monitoring table copies its targets, funding plan and goal from the approved targets table:
/// how those were set is judged on the targets table, not again on every later form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Forms {
    /// Every form: a reader's notice, a field every form prints, an indicator listed twice.
    Any,
    /// The targets form (绩效目标表): how targets, the funding plan and the goal were set.
    Targets,
    /// Self-evaluation and monitoring (绩效自评表、绩效运行监控表): actuals, scores, execution.
    Results,
}

impl Forms {
    /// True when a rule of these forms applies to a table of `form`.
    pub fn includes(self, form: FormKind) -> bool {
        match self {
            Forms::Any => true,
            Forms::Targets => form == FormKind::Targets,
            Forms::Results => form != FormKind::Targets,
        }
    }

    /// The forms in Chinese, for docs/rules.md.
    pub fn label(self) -> &'static str {
        match self {
            Forms::Any => "各类表",
            Forms::Targets => "绩效目标表",
            Forms::Results => "绩效自评表、绩效运行监控表",
        }
    }
}

impl Rule {
    /// The stage that emits it: `read`, `write`, `region`, or `check` for the checker's rules.
    pub fn stage(&self) -> &'static str {
        match self.id.split('.').next() {
            Some("read") => "read",
            Some("write") => "write",
            Some("region") => "region",
            _ => "check",
        }
    }

    /// True for one of the checker's own rules (not a notice of the reader or the writer, nor a
    /// cross-file check).
    pub(crate) fn is_check(&self) -> bool {
        self.stage() == "check"
    }
}

macro_rules! notice {
    ($konst:ident, $id:literal, $name:literal, $sev:ident, $checks:literal, $example:literal) => {
        #[doc = concat!("`", $id, "`: ", $name, ".")]
        pub const $konst: Rule = Rule {
            id: $id,
            name: $name,
            severity: Severity::$sev,
            checks: $checks,
            example: $example,
            forms: Forms::Any,
        };
    };
}

notice!(
    READ_PROFILE,
    "read.profile",
    "按表样配置读取",
    Info,
    "读取时识别出的表样配置（按其特有标签，或未找到时的默认表样），以及识别的依据",
    "按表样配置“宁夏回族自治区部门项目支出预算绩效表”（ningxia）读取：找到其特有标签“本级资金”“自治区资金”"
);
notice!(
    READ_ALIAS,
    "read.alias",
    "同义或不完整的标签",
    Info,
    "表中的标签是某个栏目的同义写法或被截断的写法，已按该栏目读取",
    "同义标签“主管部门及代码”按“主管部门”读取"
);
notice!(
    READ_MARKUP,
    "read.markup",
    "去除网页标记",
    Info,
    "单元格中复制来的网页标记（如 <p>、&nbsp;）已去除",
    "单元格中的网页标记（如 <p>）已去除"
);
notice!(
    READ_AMOUNT_TEXT,
    "read.amount-text",
    "以文本填写的金额",
    Info,
    "金额以文本填写（带单位、千位分隔符或空格），已按数字读取",
    "金额以文本“45,000.00元”填写，按 4.50 万元读取"
);
notice!(
    READ_AMOUNT_INVALID,
    "read.amount-invalid",
    "金额不是数字",
    Warning,
    "资金栏目中填写的内容读不出金额",
    "金额“待定”不是数字，无法读取"
);
notice!(
    READ_UNIT_CONVERTED,
    "read.unit-converted",
    "金额单位换算",
    Info,
    "表或单元格以元（或亿元）为单位，金额已换算为万元",
    "本表金额单位为元，已换算为万元"
);
notice!(
    READ_LAYOUT_REPAIRED,
    "read.layout-repaired",
    "错位的指标已归位",
    Info,
    "指标名称、级次或指标值填错了列（如三级指标写在二级指标列），已按指标体系归位",
    "指标名称“培训人次”不在一级/二级指标列，已按指标体系识别"
);
notice!(
    READ_PERCENT_CELL,
    "read.percent-cell",
    "百分比格式的数字",
    Info,
    "指标值单元格是百分比格式的数字，已按表中显示的文字读取",
    "百分比格式的数字按“95%”读取"
);
notice!(
    READ_DATE_CELL,
    "read.date-cell",
    "日期单元格",
    Info,
    "指标值单元格是日期格式，已按表中显示的日期读取",
    "日期单元格按“2026-12-31”读取"
);
notice!(
    READ_DATE_SERIAL,
    "read.date-serial",
    "日期序号",
    Info,
    "时效类指标的值是 Excel 日期序号（计量单位列重复了它），已按它表示的日期读取；其他数字不会被当作日期",
    "时效指标的值“44561”是日期序号，按“2021年12月31日”读取"
);
notice!(
    READ_UNRECOGNISED,
    "read.unrecognised",
    "未识别的内容",
    Info,
    "表格范围内没有任何栏目认领的单元格，原样保留在“其他”中（转换时写在“其他”块）",
    "单元格 H5 的内容“备注：已上会”未能识别，已原样保留在“其他”中"
);
notice!(
    READ_UNKNOWN_LABEL,
    "read.unknown-label",
    "未能对应字段的标签",
    Info,
    "表头中看起来是标签（短的文字，右侧有内容）却没有任何栏目认领的单元格：连同其右侧的内容按原标签保留为其他信息，每张表一条提示列出全部这样的标签",
    "2 个标签未能对应到任何字段，已按原标签连同其内容保留为其他信息：“项目审批”“项目总体概况”"
);
notice!(
    WRITE_EXTRA_DROPPED,
    "write.extra-dropped",
    "版式中没有位置的列",
    Warning,
    "转换为另一版式时，原表指标的某些列（如 权重、指标解释）在该版式中没有位置，未写出",
    "原表指标的“指标解释”列在宁夏版式中没有位置，未写出（按原表版式转换可保留）"
);
notice!(
    WRITE_VALUE_REREAD,
    "write.value-reread",
    "定性标记未能保留",
    Warning,
    "原表标为定性的指标值写入没有“指标性质”列的版式后，重新读取时会按定量值理解",
    "指标值“≥95%”原表标为定性，本版式没有“指标性质”列，重新读取时会按定量值理解"
);
notice!(
    WRITE_TEXT_TRUNCATED,
    "write.text-truncated",
    "文本超出单元格上限",
    Warning,
    "文本超过 Excel 单元格上限（32767 个字符），写出时已截断",
    "文本长 40000 个字符，超过 Excel 单元格上限 32767，已截断"
);
notice!(
    WRITE_EXTRA_CELL,
    "write.extra-cell",
    "未归类的内容",
    Info,
    "原表中不属于任何栏目的内容，转换时写在“其他”块中，并说明原来的位置",
    "原表 H5 单元格的内容“备注：已上会”不属于任何栏目，已写在“其他”中"
);
notice!(
    WRITE_READBACK,
    "write.readback",
    "写出后回读不一致",
    Error,
    "每张写出的绩效表在保存前重新读取，与写出时的内容逐项比较（字段、资金行、指标及其各列、附加信息、未归类内容），并核对原表区域中填写的每个数字都出现在转换后的表中；任何不一致都是错误，指明字段和单元格",
    "回读不一致：“项目名称”写出为“甲项目”，重新读取为“”（单元格 B4）"
);
notice!(
    REGION_DUPLICATE_PROJECT,
    "region.duplicate-project",
    "项目在多个文件中重复",
    Warning,
    "汇总多个文件时，同一主管部门的同一项目（同一年度）出现在两个文件中（与 identity.duplicate-project 判断同一项目的方法相同）",
    "项目“网信研究项目”也出现在 部门A.xlsx「网信研究」中：同一项目在两个文件中填报"
);
notice!(
    REGION_INDICATOR_DIFFERS,
    "region.indicator-differs",
    "同一项目的同名指标取值不同",
    Warning,
    "同一项目出现在两个文件中时，同名指标的指标值不同",
    "指标“培训人次”的值为“≥100人次”，而 部门A.xlsx「网信研究」中同一项目的同名指标（E14）为“≥120人次”"
);

/// Every rule, in the order they are documented: the checker's, then the reader's, the
/// writer's and the cross-file notices.
/// A check that needs a header field the reader did not find, on a table holding labels the
/// reader did not understand (one of them may be that field), or a field or level column the
/// form does not print at all.
pub(crate) const NOT_RUN: Rule = Rule {
    id: "check.not-run",
    name: "无法核对",
    severity: Severity::Info,
    checks: "需要某个表头项的检查，在表中找不到该项、却有未能识别的标签（read.unknown-label）时，不报“未填写”，而说明无法核对并指出那些标签所在的单元格；指标表的一级指标不在指标体系中时，不报缺少一级、二级指标，而说明无法核对；表样本身不印的栏目（只有标题和指标的评价指标表没有表头信息栏，只有“指标名称 | 指标值”的指标表没有一级、二级指标栏）也不报缺少，而说明无法核对：读取器没看懂的表、表样没有的栏目都不扣分",
    example: "未找到“年度资金总额”，无法核对；表中未能识别的标签“本次下达中央预算内投资(万元)”（C4）可能就是该项",
    forms: Forms::Any,
};

pub const CATALOGUE: &[Rule] = &[
    funding::MISSING,
    funding::OWN_SUM,
    funding::TRANSFER_SUM,
    funding::ANNUAL_SUM,
    funding::LINE_SUM,
    tasks::TASKS_SUM,
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
    NOT_RUN,
    selfeval::rules::SCORE_OVER_WEIGHT,
    selfeval::rules::SCORE_MISMATCH,
    selfeval::rules::NO_REASON,
    selfeval::rules::ACTUAL_BLANK,
    selfeval::rules::SCORE_BLANK,
    selfeval::rules::ACTUAL_NOT_NUMBER,
    selfeval::rules::BAND,
    selfeval::rules::OVER_ACHIEVEMENT,
    selfeval::rules::BUDGET_SCORE,
    selfeval::rules::RATE_MISMATCH,
    selfeval::rules::RATE_OVER,
    selfeval::rules::LINE_SUM,
    selfeval::rules::LEVEL_WEIGHT,
    selfeval::rules::WEIGHT_SUM,
    selfeval::rules::TOTAL_SUM,
    selfeval::rules::GRADE,
    selfeval::rules::BLOCK_FULL,
    selfeval::rules::PROMPT,
    selfeval::rules::RATE_REASON,
    selfeval::rules::ADJUST_REASON,
    selfeval::rules::LIKELIHOOD_NO_CAUSE,
    selfeval::rules::BEHIND_SCHEDULE,
    selfeval::rules::LINK_NONE,
    selfeval::rules::INDICATOR_DROPPED,
    selfeval::rules::INDICATOR_ADDED,
    selfeval::rules::INDICATOR_RENAMED,
    selfeval::rules::TARGET_CHANGED,
    selfeval::rules::BUDGET_DIFFERS,
    READ_PROFILE,
    READ_ALIAS,
    READ_MARKUP,
    READ_AMOUNT_TEXT,
    READ_AMOUNT_INVALID,
    READ_UNIT_CONVERTED,
    READ_LAYOUT_REPAIRED,
    READ_PERCENT_CELL,
    READ_DATE_CELL,
    READ_DATE_SERIAL,
    READ_UNRECOGNISED,
    READ_UNKNOWN_LABEL,
    WRITE_EXTRA_DROPPED,
    WRITE_VALUE_REREAD,
    WRITE_TEXT_TRUNCATED,
    WRITE_EXTRA_CELL,
    WRITE_READBACK,
    REGION_DUPLICATE_PROJECT,
    REGION_INDICATOR_DIFFERS,
];

/// The catalogue entry of a rule id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    CATALOGUE.iter().find(|r| r.id == id)
}

/// True when a finding's rule applies to a table of `form` (an id the catalogue does not list
/// applies everywhere).
pub(crate) fn applies(f: &Finding, form: FormKind) -> bool {
    rule(&f.rule).is_none_or(|r| r.forms.includes(form))
}

/// True for a finding made by one of the checker's own rules (not a notice of another stage).
pub(crate) fn is_check_finding(f: &Finding) -> bool {
    rule(&f.rule).is_some_and(Rule::is_check)
}

/// Gives a finding the level its settings set, or drops it when its rule is off; names its
/// rule. A finding of an id the catalogue does not list keeps its level.
pub fn settle(mut f: Finding, settings: &Settings) -> Option<Finding> {
    let Some(r) = rule(&f.rule) else {
        return Some(f);
    };
    // A rule's own default may differ per finding (a rounding note is info, an unreadable
    // amount a warning); a setting overrides it.
    match settings.level_of(r.id) {
        Some(l) => f.severity = l.severity()?,
        None if f.severity != r.severity => {}
        None => f.severity = r.severity,
    }
    f.rule_name = r.name.to_string();
    Some(f)
}

/// A rule's level in each profile a run knows (the user's first, then the built-ins, as
/// [`Profiles::iter`] gives them) under `config`, grouped: (level, the profiles' short names).
pub fn levels_by_profile(
    r: &Rule,
    config: &Config,
    profiles: &Profiles,
) -> Vec<(Level, Vec<String>)> {
    let mut out: Vec<(Level, Vec<String>)> = Vec::new();
    for p in profiles.iter() {
        let l = Settings::for_profile(Vocab::builtin(), config, *p, p.kind).level(r);
        match out.iter_mut().find(|(x, _)| *x == l) {
            Some((_, names)) => names.push(p.short.clone()),
            None => out.push((l, vec![p.short.clone()])),
        }
    }
    out
}

/// A rule's level as one short text: `错误` or `警告（全国、湖南…）／错误（宁夏）`, over the
/// profiles a run knows.
pub fn level_text(r: &Rule, config: &Config, profiles: &Profiles) -> String {
    let levels = levels_by_profile(r, config, profiles);
    if levels.len() == 1 {
        return levels[0].0.label().to_string();
    }
    levels
        .iter()
        .map(|(l, names)| format!("{}（{}）", l.label(), names.join("、")))
        .collect::<Vec<_>>()
        .join("／")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `read.*`, `write.*` and `region.*` id written in the sources is in the catalogue,
    /// so a notice added to a stage cannot be left out of docs/rules.md and the rule files.
    #[test]
    fn every_notice_id_in_the_sources_is_catalogued() {
        let re = regex::Regex::new(r#""((?:read|write|region)\.[a-z][a-z0-9-]*)""#).expect("re");
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut found = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/ lists") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("a source file");
                for c in re.captures_iter(&text) {
                    let id = &c[1];
                    if id.ends_with(".rs") {
                        continue;
                    }
                    found += 1;
                    assert!(
                        rule(id).is_some(),
                        "{id} ({}) is not catalogued",
                        path.display()
                    );
                }
            }
        }
        assert!(found > 10, "the scan found the notices");
    }

    #[test]
    fn ids_are_unique_and_every_stage_is_there() {
        let mut ids: Vec<&str> = CATALOGUE.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule ids");
        for stage in ["check", "read", "write", "region"] {
            assert!(CATALOGUE.iter().any(|r| r.stage() == stage), "{stage}");
        }
        assert_eq!(
            rule("read.amount-invalid").map(|r| r.severity),
            Some(Severity::Warning)
        );
        assert!(rule("region.duplicate-project").is_some_and(|r| !r.is_check()));
    }
}
