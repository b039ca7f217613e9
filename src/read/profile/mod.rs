//! Form profiles: one family of forms each, as data (`templates/profiles/*.toml`).
//!
//! A profile says how one form of the family labels its header fields, which funding lines it
//! has and how they nest, which sums must hold, what words name it, its title and the wording
//! outputs print. The reader picks the profile whose labels it finds on a sheet ([`detect()`]);
//! `--profile NAME|FILE` forces one. Every profile reads the common vocabulary of
//! `templates/labels.toml` too, so a table in a neighbour's wording still reads; a profile's own
//! wordings come first.
//!
//! A user's own profile is a TOML file of the same shape, read at run time; `extends = "national"`
//! starts it from a built-in one (see README, 表样配置).
//!
//! - this module: the profile value ([`Profile`]) and its parts;
//! - `parse`: reading a profile file, layered on the one it extends;
//! - `registry`: the profiles a run knows ([`Profiles`]);
//! - `detect`: which profile a sheet's words name ([`Profiles::detect`]);
//! - `handle`: [`ProfileRef`], the handle a table holds.

mod detect;
mod handle;
mod parse;
mod registry;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::form::{FundingScope, Layout, Level, TableKind, Thresholds};
use crate::read::labels::{normalize_label, FieldDef, Framework, Labels};

pub use detect::{detect, Detection};
pub use handle::ProfileRef;
pub(crate) use registry::builtins;
pub use registry::{builtin, Profiles, USER_FOLDER};

/// The built-in profiles, in the order ties are broken.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (
        "national",
        include_str!("../../../templates/profiles/national.toml"),
    ),
    (
        "ningxia",
        include_str!("../../../templates/profiles/ningxia.toml"),
    ),
    (
        "hunan",
        include_str!("../../../templates/profiles/hunan.toml"),
    ),
    (
        "central",
        include_str!("../../../templates/profiles/central.toml"),
    ),
    (
        "department",
        include_str!("../../../templates/profiles/department.toml"),
    ),
    (
        "investment",
        include_str!("../../../templates/profiles/investment.toml"),
    ),
    (
        "national-selfeval",
        include_str!("../../../templates/profiles/national-selfeval.toml"),
    ),
    (
        "sichuan-selfeval",
        include_str!("../../../templates/profiles/sichuan-selfeval.toml"),
    ),
    (
        "hubei-selfeval",
        include_str!("../../../templates/profiles/hubei-selfeval.toml"),
    ),
    (
        "central-monitoring",
        include_str!("../../../templates/profiles/central-monitoring.toml"),
    ),
    (
        "department-selfeval",
        include_str!("../../../templates/profiles/department-selfeval.toml"),
    ),
    (
        "chongqing-department-selfeval",
        include_str!("../../../templates/profiles/chongqing-department-selfeval.toml"),
    ),
];

/// The id of the profile used when no profile's words are found.
pub(crate) const DEFAULT_PROFILE: &str = "national";

/// One funding line a form may have.
#[derive(Debug, Clone, Deserialize)]
pub struct FundingDef {
    /// The canonical key (`annual_total`, `fiscal`, `general_budget`, …).
    pub key: String,
    /// The vocabulary field its labels are read as; `funding.<key>` when not given.
    #[serde(default)]
    pub field: Option<String>,
    /// Wordings of its label (added to the vocabulary under [`FundingDef::field_id`]).
    #[serde(default)]
    pub labels: Vec<String>,
    /// The key of the line it is part of.
    #[serde(default)]
    pub parent: Option<String>,
    /// What the line is (`fiscal`, `carryover`, `own`, `transfer`, …).
    #[serde(default)]
    pub role: Option<String>,
    /// The span of time it covers (`annual` unless given).
    #[serde(default)]
    pub scope: Option<FundingScope>,
}

impl FundingDef {
    /// The vocabulary field id its labels are read as.
    pub fn field_id(&self) -> String {
        self.field
            .clone()
            .unwrap_or_else(|| format!("funding.{}", self.key))
    }
}

/// A sum that must hold: `total` equals the sum of `parts` (those the table prints).
#[derive(Debug, Clone, Deserialize)]
pub struct SumDef {
    /// The total line's key.
    pub total: String,
    /// The part lines' keys.
    pub parts: Vec<String>,
}

/// The words that name a form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Detect {
    /// Labels whose presence on a sheet votes for the profile (one point each).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Words inside a title that vote for it (two points each).
    #[serde(default)]
    pub title: Vec<String>,
}

/// The column headers of a 部门整体 table's 年度履职目标 block.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskColumns {
    /// 部门职能.
    #[serde(default)]
    pub function: Vec<String>,
    /// 年度目标任务.
    #[serde(default)]
    pub task: Vec<String>,
    /// 支出项目名称.
    #[serde(default)]
    pub project: Vec<String>,
    /// 预算金额.
    #[serde(default)]
    pub amount: Vec<String>,
}

impl TaskColumns {
    /// The role a header gives its column (`function`, `task`, `project`, `amount`), a unit
    /// in brackets after it allowed (`预算金额（万元）`).
    pub fn role_of(&self, header: &str) -> Option<&'static str> {
        let n = crate::read::labels::normalize_label(header);
        let n = ["(万元)", "(元)"]
            .iter()
            .find_map(|u| n.strip_suffix(u))
            .unwrap_or(&n);
        let is = |words: &[String]| {
            words
                .iter()
                .any(|w| crate::read::labels::normalize_label(w) == n)
        };
        [
            (&self.function, "function"),
            (&self.task, "task"),
            (&self.project, "project"),
            (&self.amount, "amount"),
        ]
        .into_iter()
        .find(|(words, _)| is(words))
        .map(|(_, role)| role)
    }
}

/// A form's own words for the indicator framework and the project (`[vocabulary]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// 一级 wordings → the framework's 一级 they stand for (`"产出目标" = "产出指标"`).
    #[serde(default)]
    pub level1: BTreeMap<String, String>,
    /// 二级 wordings → the framework's 二级 they stand for (`"数量产出" = "数量指标"`).
    #[serde(default)]
    pub level2: BTreeMap<String, String>,
    /// Kinds of 项目属性 the form prints (`基础建设、修缮类`), known besides the common ones.
    #[serde(default)]
    pub attributes: Vec<String>,
}

impl Vocabulary {
    /// `self`, with what `over` adds: its wordings override by key, its kinds are added.
    fn layered(&self, over: Vocabulary) -> Vocabulary {
        let mut v = self.clone();
        v.level1.extend(over.level1);
        v.level2.extend(over.level2);
        for a in over.attributes {
            if !v.attributes.contains(&a) {
                v.attributes.push(a);
            }
        }
        v
    }
}

/// How the form prints its indicator grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridRows {
    /// The blank form prints a row for every 二级 of its layout, filled or not: a 二级 missing
    /// altogether was deleted (`framework.missing-placeholder` runs only for such forms).
    pub every_level2: bool,
    /// A 二级 row left blank means 不适用, as `无` does: `framework.empty-level2` reports it
    /// only for the classes that must be filled.
    pub blank_is_none: bool,
}

impl Default for GridRows {
    /// What holds across provinces: a blank form prints the 二级 rows a department fills, and
    /// a 二级 row left blank (Hunan's, Chongqing's unused 效益 / 成本 rows) means 不适用. A
    /// form that wants `无 | 无` there says `blank_is_none = false` (Ningxia's).
    fn default() -> GridRows {
        GridRows {
            every_level2: false,
            blank_is_none: true,
        }
    }
}

/// Where a profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    /// Built into the program (`templates/profiles/`).
    Builtin,
    /// A user's profile file.
    File(PathBuf),
}

/// One form of the family, ready for reading.
#[derive(Debug)]
pub struct Profile {
    /// Its id (`national`, `ningxia`, `hunan`, `central`, `department`, or a user's).
    pub id: String,
    /// Where it came from.
    pub source: ProfileSource,
    /// The id of the profile it extends, if any.
    pub extends: Option<String>,
    /// Its name, as printed in notices.
    pub name: String,
    /// Its short name, where profiles are listed side by side (`宁夏`, in `jixiao check
    /// --rules`); its id when the file gives none. Not inherited through `extends`.
    pub short: String,
    /// What kind of table it is.
    pub kind: TableKind,
    /// Which template generation its grid follows.
    pub layout: Layout,
    /// The blank template's title; `{year}` stands for the budget year.
    pub title: String,
    /// The field whose label starts a table (`project.name`; `project.department` for 部门整体).
    pub anchor: String,
    /// The words that name it.
    pub detect: Detect,
    /// Its funding lines (its own first, then the common ones it does not override).
    pub funding: Vec<FundingDef>,
    /// How many of [`Profile::funding`] come first from profile files (its own and those of the
    /// profiles it extends), not from the common vocabulary.
    own_funding: usize,
    /// The sums that must hold.
    pub sums: Vec<SumDef>,
    /// The 年度履职目标 block's headers (部门整体 tables).
    pub tasks: TaskColumns,
    /// Field id → the label outputs print when the table has none of its own.
    pub wording: BTreeMap<String, String>,
    /// Rule id → level for tables of this form (`[rules]`; a user's `jixiao.toml` overrides).
    pub rules: BTreeMap<String, Level>,
    /// The checker's thresholds for tables of this form (`[thresholds]`).
    pub thresholds: Thresholds,
    /// The form's own 一级 / 二级 wordings and kinds of 项目属性 (`[vocabulary]`).
    pub vocabulary: Vocabulary,
    /// How the form prints its indicator grid (`[framework]`).
    pub grid: GridRows,
    /// For a self-evaluation or monitoring form: its `form`, `[scoring]` and `[columns]`.
    pub selfeval: Option<crate::selfeval::Spec>,
    /// Every wording the profile reads header labels in (its own, its funding lines', the
    /// common vocabulary's): [`Profile::labels`] is built from them when first needed, so that
    /// a run parses every profile for detection but builds the tables of the ones it reads.
    fields: Vec<FieldDef>,
    labels: OnceLock<Labels>,
    /// The indicator framework with the vocabulary's wordings, when it adds any, or the
    /// form's own levels (`[framework] level1 / level2`).
    framework: Option<Framework>,
    /// The form's own levels, when it has another framework (kept for profiles extending it).
    own_levels: Option<crate::read::labels::OwnLevels>,
    /// The fields the profile file itself defines (kept for profiles that extend it).
    own: Vec<FieldDef>,
    /// Its words normalised once ([`normalize_label`]), for [`detect`] and the reader.
    norm: NormWords,
}

/// A profile's words, normalised when it is made: cell text is compared with them on every
/// sheet read.
#[derive(Debug, Clone, Default)]
struct NormWords {
    /// [`Detect::labels`], in order.
    detect_labels: Vec<String>,
    /// [`Detect::title`], in order.
    detect_titles: Vec<String>,
    /// [`Detect::labels`] and the [`Profile::wording`] values.
    own: HashSet<String>,
    /// Each funding line's labels, in the order of [`Profile::funding`].
    funding: Vec<HashSet<String>>,
}

impl NormWords {
    fn new(detect: &Detect, wording: &BTreeMap<String, String>, funding: &[FundingDef]) -> Self {
        let norm = |words: &[String]| words.iter().map(|w| normalize_label(w)).collect();
        NormWords {
            detect_labels: norm(&detect.labels),
            detect_titles: norm(&detect.title),
            own: detect
                .labels
                .iter()
                .chain(wording.values())
                .map(|w| normalize_label(w))
                .collect(),
            funding: funding
                .iter()
                .map(|f| f.labels.iter().map(|l| normalize_label(l)).collect())
                .collect(),
        }
    }
}

impl Profile {
    /// Which stage of the year the profile's form is (targets, self-evaluation, monitoring).
    pub fn form(&self) -> crate::model::FormKind {
        self.selfeval.as_ref().map(|s| s.form).unwrap_or_default()
    }

    /// The vocabulary this profile reads labels with.
    pub fn labels(&self) -> &Labels {
        self.labels
            .get_or_init(|| Labels::from_fields(self.fields.clone()))
    }

    /// The indicator framework tables of this form are read and checked with: the built-in
    /// one, or the form's own (`[framework] level1 / level2`), with the wordings of the
    /// profile's `[vocabulary]`.
    pub fn framework(&self) -> &Framework {
        self.framework
            .as_ref()
            .unwrap_or_else(|| Framework::builtin())
    }

    /// True when the form has levels of its own (`[framework] level1 / level2`), another
    /// framework than the built-in one.
    pub fn has_own_levels(&self) -> bool {
        self.own_levels.is_some()
    }

    /// True when `attribute` is a kind of 项目属性 the profile's `[vocabulary]` names.
    pub(crate) fn knows_attribute(&self, attribute: &str) -> bool {
        let a = normalize_label(attribute);
        self.vocabulary
            .attributes
            .iter()
            .any(|k| normalize_label(k) == a)
    }

    /// True when a label, normalised ([`normalize_label`]), is the profile's own wording for
    /// `field`: one of its detect labels or printed wordings, or a label of the field's funding
    /// line.
    pub(crate) fn is_own_wording(&self, field: &str, normalized: &str) -> bool {
        self.norm.own.contains(normalized)
            || self
                .funding_by_field(field)
                .and_then(|f| {
                    let at = self.funding.iter().position(|g| std::ptr::eq(f, g))?;
                    self.norm.funding.get(at)
                })
                .is_some_and(|words| words.contains(normalized))
    }

    /// The funding line whose labels read as `field_id`.
    pub(crate) fn funding_by_field(&self, field_id: &str) -> Option<&FundingDef> {
        // As `f.field_id() == field_id`, without making the id of every line on every call.
        self.funding.iter().find(|f| match &f.field {
            Some(id) => id == field_id,
            None => field_id.strip_prefix("funding.") == Some(f.key.as_str()),
        })
    }

    /// The funding lines a profile file defines (this profile's or one it extends), without
    /// the common vocabulary's: the lines its form prints in its own words.
    pub fn own_funding(&self) -> &[FundingDef] {
        &self.funding[..self.own_funding]
    }

    /// The funding line with this key.
    pub(crate) fn funding_by_key(&self, key: &str) -> Option<&FundingDef> {
        self.funding.iter().find(|f| f.key == key)
    }

    /// The label outputs print for a field, when the profile has its own wording for it.
    pub fn wording(&self, field: &str) -> Option<&str> {
        self.wording.get(field).map(String::as_str)
    }

    /// The blank template's title for a year.
    pub(crate) fn title_for(&self, year: i32) -> String {
        self.title.replace("{year}", &year.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_parses() {
        let ids: Vec<&str> = builtins().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "national",
                "ningxia",
                "hunan",
                "central",
                "department",
                "investment",
                "national-selfeval",
                "sichuan-selfeval",
                "hubei-selfeval",
                "central-monitoring",
                "department-selfeval",
                "chongqing-department-selfeval"
            ]
        );
        for p in builtins() {
            for f in &p.funding {
                if let Some(parent) = &f.parent {
                    assert!(
                        p.funding_by_key(parent).is_some(),
                        "{}: {} has unknown parent {parent}",
                        p.id,
                        f.key
                    );
                }
            }
            for s in &p.sums {
                for k in std::iter::once(&s.total).chain(&s.parts) {
                    assert!(p.funding_by_key(k).is_some(), "{}: sum key {k}", p.id);
                }
            }
        }
    }

    #[test]
    fn labels_pick_the_profile() {
        let d = detect([
            "项目支出名称",
            "年度本级预算金额",
            "绩效标准",
            "项目支出绩效目标申报表",
        ]);
        assert_eq!(d.profile.id, "hunan");
        let d = detect(["部门（单位）名称", "部门预算编码", "部门整体支出绩效目标表"]);
        assert_eq!(d.profile.id, "department");
        let d = detect(["其中：本级资金", "自治区资金", "项目总额"]);
        assert_eq!(d.profile.id, "ningxia");
        assert_eq!(detect(["随便"]).profile.id, "national");
    }

    #[test]
    fn a_user_profile_extends_a_builtin_one() {
        let p = Profile::from_toml(
            r#"
id = "gansu"
extends = "national"
title = "{year}年甘肃省省级部门项目支出绩效目标表"
[[funding]]
key = "regional"
field = "funding.transfer.regional"
labels = ["省级资金"]
parent = "annual_total"
role = "regional"
[wording]
"funding.transfer.regional" = "省级资金"
"#,
        )
        .expect("parses");
        assert_eq!(p.layout, Layout::National);
        assert_eq!(p.title_for(2026), "2026年甘肃省省级部门项目支出绩效目标表");
        assert_eq!(
            p.funding_by_key("regional")
                .and_then(|f| f.parent.as_deref()),
            Some("annual_total")
        );
        assert_eq!(
            p.labels().lookup("省级资金").map(|(f, _)| f.id.as_str()),
            Some("funding.transfer.regional")
        );
        assert!(Profile::from_toml("id = 1").is_err());
        assert!(Profile::from_toml("id = \"x\"\nextends = \"nowhere\"").is_err());
    }

    #[test]
    fn rules_thresholds_and_vocabulary_are_inherited_key_by_key() {
        let mut known = Profiles::builtin();
        let base = Profile::from_toml(
            r#"
id = "sheng"
extends = "ningxia"
[rules]
"values.vague" = "off"
[thresholds]
satisfaction_floor = 85
amount_tolerance = 0.01
[vocabulary]
level1 = { "产出目标" = "产出指标" }
level2 = { "数量产出" = "数量指标", "社会效果" = "社会效益" }
attributes = ["基础建设、修缮类"]
"#,
        )
        .expect("parses");
        // What ningxia says, and what this file adds.
        assert_eq!(base.rules.get("cost.sum"), Some(&Level::Error));
        assert_eq!(base.rules.get("values.vague"), Some(&Level::Off));
        assert!(base.grid.every_level2);
        assert_eq!(
            base.thresholds.satisfaction_floor,
            Some(rust_decimal::Decimal::from(85))
        );
        known.add(ProfileRef::new(base));
        let child = Profile::from_toml_in(
            r#"
id = "xian"
extends = "sheng"
[rules]
"values.vague" = "警告"
[thresholds]
satisfaction_floor = 90
[vocabulary]
level2 = { "数量产出" = "质量指标" }
attributes = ["民生实事类"]
[framework]
every_level2 = false
"#,
            &known,
        )
        .expect("parses");
        assert_eq!(child.rules.get("cost.sum"), Some(&Level::Error));
        assert_eq!(child.rules.get("values.vague"), Some(&Level::Warning));
        assert_eq!(
            child.thresholds.satisfaction_floor,
            Some(rust_decimal::Decimal::from(90))
        );
        assert_eq!(
            child.thresholds.amount_tolerance,
            Some(rust_decimal::Decimal::new(1, 2))
        );
        assert!(!child.grid.every_level2);
        assert!(child.knows_attribute("基础建设、修缮类"));
        assert!(child.knows_attribute(" 民生实事类 "));
        assert!(!child.knows_attribute("随便什么类"));
        let fw = child.framework();
        assert_eq!(fw.level1("产出目标（50分）"), Some("产出指标"));
        assert_eq!(
            fw.level2_in("数量产出", Layout::Classic).map(|d| d.class),
            Some(crate::form::IndicatorClass::Quality)
        );
        assert_eq!(
            fw.level2_in("社会效果", Layout::Classic).map(|d| d.class),
            Some(crate::form::IndicatorClass::Social)
        );
        // The built-in framework is untouched.
        assert!(Framework::builtin().level2("数量产出").is_empty());
        assert!(builtin("national").is_some_and(|p| p.framework().level2("数量产出").is_empty()));
    }

    #[test]
    fn a_form_with_its_own_framework_reads_and_requires_its_own_levels() {
        let p = builtin("investment").expect("built in");
        let fw = p.framework();
        assert_eq!(fw.level1("实施效果指标"), Some("实施效果指标"));
        // 效益指标 / 满意度指标 are 二级 of this form, never 一级.
        assert_eq!(fw.level1("效益指标"), None);
        let d = fw.level2_in("满意度指标", Layout::Classic).expect("known");
        assert_eq!(
            (d.parent.as_str(), d.class),
            ("实施效果指标", crate::form::IndicatorClass::Satisfaction)
        );
        assert_eq!(
            fw.required(Layout::National).map(|r| r.level1.clone()),
            Some(vec!["实施效果指标".to_string(), "过程管理指标".to_string()])
        );
        // The built-in framework is untouched.
        assert_eq!(Framework::builtin().level1("效益指标"), Some("效益指标"));
        // A profile extending it keeps the levels, and its vocabulary words them.
        let mut known = Profiles::builtin();
        known.add(ProfileRef::new(
            Profile::from_toml("id = \"a\"\nextends = \"investment\"\n[vocabulary]\nlevel2 = { \"产出目标\" = \"产出指标\" }\n")
                .expect("parses"),
        ));
        let a = known.get("a").expect("added");
        assert_eq!(
            a.framework()
                .level2_in("产出目标", Layout::Classic)
                .map(|d| d.parent.as_str()),
            Some("实施效果指标")
        );
        let e = Profile::from_toml(
            "id = \"x\"\n[framework]\nlevel1 = [{ name = \"甲\" }]\nlevel2 = [{ name = \"乙\", class = \"unknown\", parent = \"丙\" }]\n",
        )
        .err()
        .unwrap_or_default();
        assert!(e.contains("丙"), "{e}");
    }

    #[test]
    fn a_vocabulary_word_for_no_level_is_refused() {
        let e = Profile::from_toml(
            "id = \"x\"\n[vocabulary]\nlevel2 = { \"数量产出\" = \"工作指标\" }\n",
        )
        .err()
        .unwrap_or_default();
        assert!(e.contains("工作指标"), "{e}");
        let e = Profile::from_toml("id = \"x\"\n[rules]\n\"cost.sum\" = \"fatal\"\n")
            .err()
            .unwrap_or_default();
        assert!(e.contains("fatal"), "{e}");
        assert!(Profile::from_toml("id = \"x\"\n[thresholds]\nfloor = 1\n").is_err());
    }
}
