//! Who decides how strict a check is: the catalogue's defaults (and `templates/rules.toml`'s
//! `[thresholds]`), then the table's own profile — its `[rules]` and `[thresholds]`, inherited
//! through `extends` (`templates/profiles/*.toml`, or a user's profile file) — then the user's
//! rule file (`jixiao.toml` in the current folder, or `--config FILE`), top level first, then
//! its own `[profile.<id>]`. The profile is the table's [`ProfileRef`], never a built-in looked
//! up by id, so that a user's profile's settings apply.
//!
//! ```toml
//! # jixiao.toml
//! [rules]                      # a rule id → error | warning | info | off (错误 | 警告 | 提示 | 关闭)
//! "cost.sum" = "error"
//! "values.vague" = "off"
//!
//! [thresholds]
//! satisfaction_floor = 85      # 满意度 below this (%) is implausible
//! amount_tolerance = 0.01      # amounts this close (万元) count as equal
//! required_level2 = { "产出指标" = ["数量指标", "质量指标"] }
//! weight_split = { "产出指标" = 50, "效益指标" = 30, "满意度指标" = 10 }
//!
//! [profile.national.rules]     # only for tables read with the national profile
//! "values.weights" = "error"
//! ```
//!
//! Unknown keys and values are refused with a one-sentence Chinese error naming the file and
//! the key: a misspelt rule id must not pass silently.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::vocab::Vocab;
pub use crate::form::{Level, Thresholds};
use crate::model::{Severity, Table, TableKind};
use crate::read::profile::ProfileRef;

impl Level {
    /// The severity of findings, or none when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }

    /// The Chinese word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Level::Off => "关闭",
            other => other.severity().map_or("关闭", Severity::label),
        }
    }
}

impl From<Severity> for Level {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Info,
        }
    }
}

/// One layer of settings: rule levels and thresholds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Rule id → level.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Level>,
    /// Thresholds.
    #[serde(default)]
    pub thresholds: Thresholds,
}

/// A user's rule file (`jixiao.toml`): settings for every table, and per form profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Rule id → level, for every table.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Level>,
    /// Thresholds for every table.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Profile id → settings for the tables read with that profile.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profile: BTreeMap<String, Layer>,
    /// The file the settings were read from, for messages.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// A rule file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// What is wrong, in Chinese, with what is allowed there; in words any front end can show
    /// (no command to run).
    pub message: String,
    /// The key at fault as a dotted path (`rules.no-such-rule`, `thresholds.floor`), when the
    /// fault is a key.
    pub key: Option<String>,
    /// The fault is a rule id the catalogue does not have: a front end points to its list of
    /// rules ([`crate::check::CATALOGUE`]).
    pub unknown_rule: bool,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "规则文件 {} 有误：{}", self.file, self.message)?;
        if self.unknown_rule {
            f.write_str("（全部规则见 jixiao check --rules）")?;
        }
        Ok(())
    }
}

/// What the validation found wrong, before the file's name is put to it.
struct Fault {
    message: String,
    key: Option<String>,
    unknown_rule: bool,
}

impl Fault {
    fn at(key: impl Into<String>, message: String) -> Fault {
        Fault {
            message,
            key: Some(key.into()),
            unknown_rule: false,
        }
    }
}

impl std::error::Error for ConfigError {}

/// The name of the rule file looked for in the current folder.
pub(crate) const CONFIG_FILE: &str = "jixiao.toml";

const TOP_KEYS: &[&str] = &["rules", "thresholds", "profile"];
const LAYER_KEYS: &[&str] = &["rules", "thresholds"];
const THRESHOLD_KEYS: &[&str] = &[
    "satisfaction_floor",
    "amount_tolerance",
    "required_level2",
    "weight_split",
    "timely_rates",
];

impl Config {
    /// Reads a rule file.
    ///
    /// # Errors
    /// When the file cannot be read, is not TOML, or has a key or value the checker does not
    /// know; the error names the file and the key.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            message: format!("无法读取（{e}）"),
            key: None,
            unknown_rule: false,
        })?;
        let mut config = Config::from_toml(&text, &file)?;
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses the text of a rule file; `file` names it in errors.
    ///
    /// # Errors
    /// As [`Config::from_file`].
    pub fn from_toml(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |fault: Fault| ConfigError {
            file: file.to_string(),
            message: fault.message,
            key: fault.key,
            unknown_rule: fault.unknown_rule,
        };
        let plain = |message: String| Fault {
            message,
            key: None,
            unknown_rule: false,
        };
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let what = e.message().lines().next().unwrap_or("").trim().to_string();
            err(plain(match line {
                Some(l) => format!("第 {l} 行不是有效的 TOML（{what}）"),
                None => format!("不是有效的 TOML（{what}）"),
            }))
        })?;
        validate_keys(&table, TOP_KEYS, "").map_err(err)?;
        if let Some(rules) = table.get("rules") {
            validate_rules(rules, "rules").map_err(err)?;
        }
        if let Some(t) = table.get("thresholds") {
            validate_thresholds(t, "thresholds").map_err(err)?;
        }
        if let Some(p) = table.get("profile") {
            let Some(p) = p.as_table() else {
                return Err(err(Fault::at(
                    "profile",
                    "“profile”应为表（[profile.<模板>]）".into(),
                )));
            };
            for (id, layer) in p {
                let at = format!("profile.{id}");
                let Some(layer) = layer.as_table() else {
                    return Err(err(Fault::at(&at, format!("“{at}”应为表"))));
                };
                validate_keys(layer, LAYER_KEYS, &at).map_err(err)?;
                if let Some(rules) = layer.get("rules") {
                    validate_rules(rules, &format!("{at}.rules")).map_err(err)?;
                }
                if let Some(t) = layer.get("thresholds") {
                    validate_thresholds(t, &format!("{at}.thresholds")).map_err(err)?;
                }
            }
        }
        let normalised = normalise(toml::Value::Table(table));
        normalised
            .try_into()
            .map_err(|e: toml::de::Error| err(plain(e.message().to_string())))
    }

    /// The rule file to use: `explicit` when given, else `jixiao.toml` in `dir` when there is
    /// one, else the defaults.
    ///
    /// # Errors
    /// As [`Config::from_file`]; a missing explicit file is an error too.
    pub fn discover(explicit: Option<&Path>, dir: &Path) -> Result<Config, ConfigError> {
        match explicit {
            Some(p) => Config::from_file(p),
            None => {
                let p = dir.join(CONFIG_FILE);
                if p.is_file() {
                    Config::from_file(&p)
                } else {
                    Ok(Config::default())
                }
            }
        }
    }
}

fn validate_keys(table: &toml::Table, known: &[&str], at: &str) -> Result<(), Fault> {
    for key in table.keys() {
        if !known.contains(&key.as_str()) {
            let path = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            let message = format!("未知的键“{path}”（此处可用：{}）", known.join("、"));
            return Err(Fault::at(path, message));
        }
    }
    Ok(())
}

fn validate_rules(rules: &toml::Value, at: &str) -> Result<(), Fault> {
    let Some(rules) = rules.as_table() else {
        return Err(Fault::at(at, format!("“{at}”应为表（规则号 = 级别）")));
    };
    for (id, level) in rules {
        if super::rule(id).is_none() {
            return Err(Fault {
                message: format!(
                    "未知的规则“{id}”（“{at}”中；应为规则目录中的规则号，如 goal.cost-mismatch）"
                ),
                key: Some(format!("{at}.{id}")),
                unknown_rule: true,
            });
        }
        if level.as_str().and_then(Level::parse).is_none() {
            let shown = level
                .as_str()
                .map_or_else(|| level.to_string(), str::to_string);
            return Err(Fault::at(
                format!("{at}.{id}"),
                format!("规则“{id}”的级别“{shown}”无效（应为 error、warning、info 或 off）"),
            ));
        }
    }
    Ok(())
}

fn validate_thresholds(t: &toml::Value, at: &str) -> Result<(), Fault> {
    let Some(t) = t.as_table() else {
        return Err(Fault::at(at, format!("“{at}”应为表")));
    };
    validate_keys(t, THRESHOLD_KEYS, at)?;
    for key in ["satisfaction_floor", "amount_tolerance"] {
        if let Some(v) = t.get(key) {
            if decimal_of(v).is_none_or(|d| d < Decimal::ZERO) {
                return Err(Fault::at(
                    format!("{at}.{key}"),
                    format!("“{at}.{key}”应为不小于 0 的数（而不是 {v}）"),
                ));
            }
        }
    }
    if let Some(v) = t.get("required_level2") {
        let ok = v.as_table().is_some_and(|m| {
            m.values().all(|names| {
                names
                    .as_array()
                    .is_some_and(|a| a.iter().all(toml::Value::is_str))
            })
        });
        if !ok {
            return Err(Fault::at(
                format!("{at}.required_level2"),
                format!("“{at}.required_level2”应为 一级指标 = [二级指标, …] 的表"),
            ));
        }
    }
    if let Some(v) = t.get("timely_rates") {
        if !v.is_bool() {
            return Err(Fault::at(
                format!("{at}.timely_rates"),
                format!("“{at}.timely_rates”应为 true 或 false（而不是 {v}）"),
            ));
        }
    }
    if let Some(v) = t.get("weight_split") {
        let ok = v
            .as_table()
            .is_some_and(|m| m.values().all(|w| decimal_of(w).is_some()));
        if !ok {
            return Err(Fault::at(
                format!("{at}.weight_split"),
                format!("“{at}.weight_split”应为 一级指标 = 分值 的表"),
            ));
        }
    }
    Ok(())
}

/// A number of a rule file: an integer, a float (read through its text) or a string.
fn decimal_of(v: &toml::Value) -> Option<Decimal> {
    match v {
        toml::Value::Integer(i) => Some(Decimal::from(*i)),
        toml::Value::Float(f) => Decimal::from_str(&f.to_string()).ok(),
        toml::Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

/// Numbers as strings (how `Decimal` deserialises) and level words in English, so that serde
/// can take the validated table as it is.
fn normalise(v: toml::Value) -> toml::Value {
    match v {
        toml::Value::Table(t) => toml::Value::Table(
            t.into_iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("rules", toml::Value::Table(r)) => toml::Value::Table(
                            r.into_iter()
                                .map(|(id, l)| {
                                    let word =
                                        l.as_str().and_then(Level::parse).map_or("off", level_word);
                                    (id, toml::Value::String(word.into()))
                                })
                                .collect(),
                        ),
                        ("satisfaction_floor" | "amount_tolerance", v) => decimal_of(&v)
                            .map_or(v, |d| toml::Value::String(d.normalize().to_string())),
                        ("weight_split", toml::Value::Table(w)) => toml::Value::Table(
                            w.into_iter()
                                .map(|(l1, v)| {
                                    let v = decimal_of(&v).map_or(v, |d| {
                                        toml::Value::String(d.normalize().to_string())
                                    });
                                    (l1, v)
                                })
                                .collect(),
                        ),
                        (_, v) => normalise(v),
                    };
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "info",
        Level::Off => "off",
    }
}

/// The settings in force for one table: its profile's, under the user's.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The profile id the settings are for.
    pub profile: String,
    levels: BTreeMap<String, Level>,
    /// Amounts this close count as equal (万元).
    pub tolerance: Decimal,
    /// 满意度 below this (%) is implausible.
    pub satisfaction_floor: Decimal,
    /// The second levels each first level must list, when set (else the framework's).
    pub required_level2: Option<BTreeMap<String, Vec<String>>>,
    /// The weight each first level should carry, when set.
    pub weight_split: Option<BTreeMap<String, Decimal>>,
    /// A rate naming when it is measured (`…及时率`) counts as a time under 时效指标.
    pub timely_rates: bool,
}

impl Settings {
    /// The settings for tables read with `profile` (and of `kind`) under `config`: the
    /// catalogue's levels, `templates/rules.toml`'s default thresholds, the profile's own
    /// `[rules]` and `[thresholds]` (inherited through `extends`), then the user's rule file,
    /// its top level first, then its `[profile.<id>]`.
    pub fn for_profile(
        vocab: &Vocab,
        config: &Config,
        profile: ProfileRef,
        kind: TableKind,
    ) -> Settings {
        let mut layers: Vec<(&BTreeMap<String, Level>, &Thresholds)> = Vec::new();
        // A department-wide table gets the department profile's settings whatever it was read
        // with: the project-only checks are off there.
        if kind == TableKind::Department && profile.kind != TableKind::Department {
            if let Some(d) = crate::read::profile::builtins()
                .iter()
                .find(|p| p.kind == TableKind::Department)
            {
                let d = d.get();
                layers.push((&d.rules, &d.thresholds));
            }
        }
        let p = profile.get();
        // A form whose blank prints only the 二级 rows a department fills has no deleted rows
        // to report (`[framework] every_level2`); its own `[rules]` and the user's may still
        // turn the rule on.
        let printed_only: BTreeMap<String, Level> = (!p.grid.every_level2)
            .then(|| {
                (
                    super::framework::MISSING_PLACEHOLDER.id.to_string(),
                    Level::Off,
                )
            })
            .into_iter()
            .collect();
        let no_thresholds = Thresholds::default();
        layers.push((&printed_only, &no_thresholds));
        layers.push((&p.rules, &p.thresholds));
        let empty = Layer::default();
        let user_profile = config.profile.get(&p.id).unwrap_or(&empty);
        layers.push((&config.rules, &config.thresholds));
        layers.push((&user_profile.rules, &user_profile.thresholds));
        let mut levels = BTreeMap::new();
        let mut thresholds = vocab.thresholds.clone();
        for (rules, t) in layers {
            for (id, l) in rules {
                levels.insert(id.clone(), *l);
            }
            thresholds = thresholds.layered(t);
        }
        Settings {
            profile: p.id.clone(),
            levels,
            tolerance: thresholds
                .amount_tolerance
                .unwrap_or(Decimal::new(5, 3))
                .abs(),
            satisfaction_floor: thresholds.satisfaction_floor.unwrap_or(Decimal::from(80)),
            required_level2: thresholds.required_level2,
            weight_split: thresholds.weight_split,
            timely_rates: thresholds.timely_rates.unwrap_or(true),
        }
    }

    /// The settings for tables of the built-in profile `id` (the catalogue lists its levels
    /// per built-in profile); an id no built-in has gets the default profile's.
    pub fn resolve(vocab: &Vocab, config: &Config, id: &str, kind: TableKind) -> Settings {
        let profile = crate::read::profile::builtin(id).unwrap_or_default();
        Settings::for_profile(vocab, config, profile, kind)
    }

    /// The level of a rule in these settings.
    pub fn level(&self, rule: &super::Rule) -> Level {
        self.levels
            .get(rule.id)
            .copied()
            .unwrap_or(Level::from(rule.severity))
    }

    /// The level a rule id is set to, when a layer sets it.
    pub(crate) fn level_of(&self, id: &str) -> Option<Level> {
        self.levels.get(id).copied()
    }
}

/// Checks a profile's `[rules]` against the catalogue: a misspelt rule id must not pass
/// silently. The reader loads profiles without knowing the checker's rules; the program calls
/// this for every profile it loads.
///
/// # Errors
/// The first rule id the catalogue does not have, as [`crate::Error::Profile`] naming the
/// profile's file.
pub fn check_profile(profile: &crate::read::Profile) -> crate::Result<()> {
    for id in profile.rules.keys() {
        if super::rule(id).is_none() {
            let path = match &profile.source {
                crate::read::profile::ProfileSource::File(p) => p.clone(),
                crate::read::profile::ProfileSource::Builtin => {
                    PathBuf::from(format!("templates/profiles/{}.toml", profile.id))
                }
            };
            return Err(crate::Error::Profile {
                path,
                detail: format!("未知的规则“{id}”（“rules”中；全部规则见 jixiao check --rules）"),
            });
        }
    }
    Ok(())
}

/// The profile whose settings a table is checked with: its own (for tables read before
/// profiles existed (read back from JSON without one), the default profile.
pub fn profile_of(table: &Table) -> &str {
    &table.profile.id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_file_parses_and_layers() {
        let c = Config::from_toml(
            "[rules]\n\"cost.sum\" = \"错误\"\n\"values.direction\" = \"off\"\n\
             [thresholds]\nsatisfaction_floor = 85\namount_tolerance = 0.01\n\
             [profile.national.rules]\n\"funding.own-sum\" = \"warning\"\n",
            "jixiao.toml",
        )
        .unwrap_or_default();
        assert_eq!(c.rules.get("cost.sum"), Some(&Level::Error));
        assert_eq!(c.thresholds.satisfaction_floor, Some(Decimal::from(85)));
        let v = Vocab::builtin();
        let s = Settings::resolve(v, &c, "national", TableKind::Project);
        assert_eq!(s.tolerance, Decimal::new(1, 2));
        assert_eq!(s.satisfaction_floor, Decimal::from(85));
        assert_eq!(s.level(&super::super::funding::COST_SUM), Level::Error);
        assert_eq!(s.level(&super::super::funding::OWN_SUM), Level::Warning);
        let s = Settings::resolve(v, &c, "ningxia", TableKind::Project);
        assert_eq!(s.level(&super::super::funding::OWN_SUM), Level::Error);
    }

    #[test]
    fn profiles_carry_their_defaults() {
        let v = Vocab::builtin();
        let c = Config::default();
        let nx = Settings::resolve(v, &c, "ningxia", TableKind::Project);
        let nat = Settings::resolve(v, &c, "national", TableKind::Project);
        assert_eq!(nx.level(&super::super::funding::COST_SUM), Level::Error);
        assert_eq!(nat.level(&super::super::funding::COST_SUM), Level::Warning);
        assert_eq!(nat.tolerance, Decimal::new(5, 3));
        assert_eq!(nat.satisfaction_floor, Decimal::from(80));
        let dept = Settings::resolve(v, &c, "national", TableKind::Department);
        assert_eq!(dept.level(&super::super::goal::COST_MISMATCH), Level::Off);
    }

    #[test]
    fn bad_rule_files_are_one_chinese_sentence() {
        let bad = |text: &str| {
            Config::from_toml(text, "jixiao.toml")
                .err()
                .unwrap_or_else(|| ConfigError {
                    file: String::new(),
                    message: String::new(),
                    key: None,
                    unknown_rule: false,
                })
        };
        let e = bad("[rulez]\n");
        assert!(e.to_string().contains("jixiao.toml"), "{e}");
        assert!(e.to_string().contains("rulez"), "{e}");
        let e = bad("[rules]\n\"cost.summ\" = \"error\"\n");
        assert!(e.message.contains("cost.summ"), "{e}");
        // The key and the kind of fault, for a front end that is not the command line.
        assert_eq!(e.key.as_deref(), Some("rules.cost.summ"));
        assert!(e.unknown_rule);
        assert!(!e.message.contains("jixiao"), "{e}");
        assert!(e.to_string().contains("jixiao check --rules"), "{e}");
        let e = bad("[rules]\n\"cost.sum\" = \"fatal\"\n");
        assert!(e.message.contains("fatal"), "{e}");
        let e = bad("[thresholds]\nfloor = 3\n");
        assert!(e.message.contains("thresholds.floor"), "{e}");
        assert_eq!(e.key.as_deref(), Some("thresholds.floor"));
        assert!(!e.unknown_rule);
        let e = bad("[thresholds]\nsatisfaction_floor = \"abc\"\n");
        assert!(e.message.contains("satisfaction_floor"), "{e}");
        let e = bad("[profile.national]\nrule = {}\n");
        assert!(e.message.contains("profile.national.rule"), "{e}");
        let e = bad("[rules\n");
        assert!(e.message.contains("第 1 行"), "{e}");
        assert!(!e.to_string().contains('\n'), "{e}");
    }

    #[test]
    fn every_builtin_profile_names_known_rules() {
        for p in crate::read::profile::builtins() {
            assert!(check_profile(p).is_ok(), "{}", p.id);
        }
        let p = crate::read::Profile::from_toml("id = \"x\"\n[rules]\n\"cost.summ\" = \"off\"\n")
            .expect("parses");
        let e = check_profile(&p)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("cost.summ"), "{e}");
    }

    #[test]
    fn a_users_profile_carries_its_settings_under_the_rule_file() {
        use crate::read::{Profile, ProfileRef};
        let p = ProfileRef::new(
            Profile::from_toml(
                "id = \"sheng\"\nextends = \"national\"\n[rules]\n\"cost.sum\" = \"error\"\n\
                 \"values.vague\" = \"off\"\n[thresholds]\nsatisfaction_floor = 85\n",
            )
            .expect("parses"),
        );
        let v = Vocab::builtin();
        let s = Settings::for_profile(v, &Config::default(), p, TableKind::Project);
        assert_eq!(s.profile, "sheng");
        assert_eq!(s.level(&super::super::funding::COST_SUM), Level::Error);
        assert_eq!(s.level_of("values.vague"), Some(Level::Off));
        assert_eq!(s.satisfaction_floor, Decimal::from(85));
        assert_eq!(s.tolerance, Decimal::new(5, 3));
        // jixiao.toml: its top level over the profile, its [profile.sheng] over both.
        let c = Config::from_toml(
            "[rules]\n\"cost.sum\" = \"warning\"\n[thresholds]\nsatisfaction_floor = 70\n\
             [profile.sheng.rules]\n\"values.vague\" = \"info\"\n",
            "jixiao.toml",
        )
        .unwrap_or_default();
        let s = Settings::for_profile(v, &c, p, TableKind::Project);
        assert_eq!(s.level(&super::super::funding::COST_SUM), Level::Warning);
        assert_eq!(s.level_of("values.vague"), Some(Level::Info));
        assert_eq!(s.satisfaction_floor, Decimal::from(70));
        // The same id resolved among the built-ins knows nothing of the user's file.
        let s = Settings::resolve(v, &Config::default(), "sheng", TableKind::Project);
        assert_eq!(s.level(&super::super::funding::COST_SUM), Level::Warning);
    }
}
