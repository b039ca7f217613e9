//! Form profiles: one family of forms each, as data (`templates/profiles/*.toml`).
//!
//! A profile says how one form of the family labels its header fields, which funding lines it
//! has and how they nest, which sums must hold, what words name it, its title and the wording
//! outputs print. The reader picks the profile whose labels it finds on a sheet ([`detect`]);
//! `--profile NAME|FILE` forces one. Every profile reads the common vocabulary of
//! `templates/labels.toml` too, so a table in a neighbour's wording still reads; a profile's own
//! wordings come first.
//!
//! A user's own profile is a TOML file of the same shape, read at run time; `extends = "national"`
//! starts it from a built-in one (see README, 表样配置).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::form::{FundingScope, Layout, Level, TableKind, Thresholds};
use crate::read::labels::{normalize_label, FieldDef, Framework, LabelFile, Labels, LABELS_TOML};

/// The built-in profiles, in the order ties are broken.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (
        "national",
        include_str!("../../templates/profiles/national.toml"),
    ),
    (
        "ningxia",
        include_str!("../../templates/profiles/ningxia.toml"),
    ),
    ("hunan", include_str!("../../templates/profiles/hunan.toml")),
    (
        "central",
        include_str!("../../templates/profiles/central.toml"),
    ),
    (
        "department",
        include_str!("../../templates/profiles/department.toml"),
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

/// How the form prints its indicator grid (`[framework]`).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GridFile {
    #[serde(default)]
    every_level2: Option<bool>,
    #[serde(default)]
    blank_is_none: Option<bool>,
}

/// How the form prints its indicator grid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GridRows {
    /// The blank form prints a row for every 二级 of its layout, filled or not: a 二级 missing
    /// altogether was deleted (`framework.missing-placeholder` runs only for such forms).
    pub every_level2: bool,
    /// A 二级 row left blank means 不适用, as `无` does: `framework.empty-level2` reports it
    /// only for the classes that must be filled.
    pub blank_is_none: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    id: String,
    #[serde(default)]
    extends: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<TableKind>,
    #[serde(default)]
    layout: Option<Layout>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    anchor: Option<String>,
    #[serde(default)]
    detect: Option<Detect>,
    #[serde(default)]
    field: Vec<FieldDef>,
    #[serde(default)]
    funding: Vec<FundingDef>,
    #[serde(default)]
    sum: Vec<SumDef>,
    #[serde(default)]
    tasks: Option<TaskColumns>,
    #[serde(default)]
    wording: BTreeMap<String, String>,
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    #[serde(default)]
    thresholds: Thresholds,
    #[serde(default)]
    vocabulary: Vocabulary,
    #[serde(default)]
    framework: GridFile,
}

#[derive(Debug, Clone, Deserialize)]
struct CommonFile {
    #[serde(default)]
    funding: Vec<FundingDef>,
}

/// `templates/labels.toml` as every profile reads it (fields, funding lines), parsed once for
/// all the profiles a run makes.
fn common_vocabulary() -> std::result::Result<(LabelFile, CommonFile), String> {
    static COMMON: OnceLock<std::result::Result<(LabelFile, CommonFile), String>> = OnceLock::new();
    COMMON
        .get_or_init(|| {
            let parse = || -> std::result::Result<_, toml::de::Error> {
                Ok((toml::from_str(LABELS_TOML)?, toml::from_str(LABELS_TOML)?))
            };
            parse().map_err(|e| format!("templates/labels.toml 格式不对：{e}"))
        })
        .clone()
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
    labels: Labels,
    /// The indicator framework with the vocabulary's wordings, when it adds any.
    framework: Option<Framework>,
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
    /// Parses a profile file. `extends` names a built-in profile it starts from.
    ///
    /// # Errors
    /// When the TOML is not a profile (the message says what is wrong, in Chinese).
    pub fn from_toml(text: &str) -> std::result::Result<Profile, String> {
        Profile::from_toml_in(text, &Profiles::builtin())
    }

    /// Parses a profile file whose `extends` may name any profile of `known` (built-in or a
    /// user's loaded before it).
    ///
    /// # Errors
    /// When the TOML is not a profile or extends an unknown one (in Chinese).
    pub(crate) fn from_toml_in(
        text: &str,
        known: &Profiles,
    ) -> std::result::Result<Profile, String> {
        // One line, as a rule file's error (toml's own text spans several, with a source excerpt).
        let file: ProfileFile = toml::from_str(text).map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let what = e.message().lines().next().unwrap_or("").trim().to_string();
            match line {
                Some(l) => format!("表样配置格式不对：第 {l} 行（{what}）"),
                None => format!("表样配置格式不对（{what}）"),
            }
        })?;
        let base_ref = match &file.extends {
            Some(id) => Some(
                known
                    .get(id)
                    .ok_or_else(|| format!("extends = \"{id}\"：没有这个表样配置"))?,
            ),
            None => None,
        };
        let base = base_ref.as_deref();
        let (common_labels, common) = common_vocabulary()?;
        // Funding lines: the profile's own, then its base's, then the common ones, by key.
        let mut funding: Vec<FundingDef> = Vec::new();
        let mut seen = HashSet::new();
        let inherited = base.map(|b| b.funding.clone()).unwrap_or_default();
        for f in file
            .funding
            .into_iter()
            .chain(inherited)
            .chain(common.funding)
        {
            if seen.insert(f.key.clone()) {
                funding.push(f);
            }
        }
        // Vocabulary: the profile's fields, its funding wordings, every other profile's funding
        // wordings (so `项目支出` is never taken for a cut `项目支出名称`), then the common table.
        let mut own = file.field;
        if let Some(b) = base {
            own.extend(b.own.iter().cloned());
        }
        let mut fields: Vec<FieldDef> = own.clone();
        for f in &funding {
            if let Some((first, rest)) = f.labels.split_first() {
                fields.push(FieldDef {
                    id: f.field_id(),
                    label: first.clone(),
                    aliases: rest.to_vec(),
                });
            }
        }
        fields.extend(common_labels.field);
        let mut wording = base.map(|b| b.wording.clone()).unwrap_or_default();
        wording.extend(file.wording);
        // Checker settings and vocabulary: the base's, overridden key by key.
        let mut rules = base.map(|b| b.rules.clone()).unwrap_or_default();
        rules.extend(file.rules);
        let thresholds = base
            .map(|b| b.thresholds.clone())
            .unwrap_or_default()
            .layered(&file.thresholds);
        let vocabulary = base
            .map(|b| b.vocabulary.clone())
            .unwrap_or_default()
            .layered(file.vocabulary);
        let framework = if vocabulary.level1.is_empty() && vocabulary.level2.is_empty() {
            None
        } else {
            Some(Framework::builtin().with_words(&vocabulary.level1, &vocabulary.level2)?)
        };
        let base_grid = base.map(|b| b.grid).unwrap_or_default();
        let grid = GridRows {
            every_level2: file
                .framework
                .every_level2
                .unwrap_or(base_grid.every_level2),
            blank_is_none: file
                .framework
                .blank_is_none
                .unwrap_or(base_grid.blank_is_none),
        };
        let detect = file
            .detect
            .or_else(|| base.map(|b| b.detect.clone()))
            .unwrap_or_default();
        let norm = NormWords::new(&detect, &wording, &funding);
        Ok(Profile {
            source: ProfileSource::Builtin,
            extends: file.extends.clone(),
            name: file
                .name
                .or_else(|| base.map(|b| b.name.clone()))
                .unwrap_or_else(|| file.id.clone()),
            id: file.id,
            kind: file.kind.or(base.map(|b| b.kind)).unwrap_or_default(),
            layout: file.layout.or(base.map(|b| b.layout)).unwrap_or_default(),
            title: file
                .title
                .or_else(|| base.map(|b| b.title.clone()))
                .unwrap_or_else(|| "{year}年度项目支出绩效目标表".into()),
            anchor: file
                .anchor
                .or_else(|| base.map(|b| b.anchor.clone()))
                .unwrap_or_else(|| "project.name".into()),
            detect,
            funding,
            sums: if file.sum.is_empty() {
                base.map(|b| b.sums.clone()).unwrap_or_default()
            } else {
                file.sum
            },
            tasks: file
                .tasks
                .or_else(|| base.map(|b| b.tasks.clone()))
                .unwrap_or_default(),
            wording,
            rules,
            thresholds,
            vocabulary,
            grid,
            labels: Labels::from_fields(fields),
            framework,
            own,
            norm,
        })
    }

    /// Reads a user's profile file.
    ///
    /// # Errors
    /// When the file cannot be read or is not a profile.
    pub fn from_file(path: &Path) -> Result<Profile> {
        Profile::from_file_in(path, &Profiles::builtin())
    }

    /// Reads a user's profile file whose `extends` may name any profile of `known`.
    ///
    /// # Errors
    /// When the file cannot be read or is not a profile.
    pub(crate) fn from_file_in(path: &Path, known: &Profiles) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut p = Profile::from_toml_in(&text, known).map_err(|detail| Error::Profile {
            path: path.to_path_buf(),
            detail,
        })?;
        p.source = ProfileSource::File(path.to_path_buf());
        Ok(p)
    }

    /// The vocabulary this profile reads labels with.
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// The indicator framework tables of this form are read and checked with: the built-in
    /// one, with the wordings of the profile's `[vocabulary]`.
    pub fn framework(&self) -> &Framework {
        self.framework
            .as_ref()
            .unwrap_or_else(|| Framework::builtin())
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

/// A profile shared by every table read with it: a copyable handle, compared by id, written
/// in JSON as its id (`"profile": "ningxia"`).
///
/// Profiles live for the rest of the process once loaded (the reader's label tables borrow
/// from them for as long as it runs): the built-ins are parsed once, and a user's profile file
/// once per [`Profiles`] value and path, so the memory they take does not grow with the number
/// of inputs.
#[derive(Clone, Copy)]
pub struct ProfileRef(&'static Profile);

impl ProfileRef {
    /// Shares a profile for the rest of the process.
    pub fn new(profile: Profile) -> ProfileRef {
        ProfileRef(Box::leak(Box::new(profile)))
    }

    /// The profile, for as long as the process runs.
    pub fn get(self) -> &'static Profile {
        self.0
    }

    /// The default profile ([`DEFAULT_PROFILE`]).
    pub(crate) fn default_profile() -> ProfileRef {
        builtins()
            .iter()
            .find(|p| p.id == DEFAULT_PROFILE)
            .or_else(|| builtins().first())
            .cloned()
            .unwrap_or_else(|| ProfileRef::new(Profile::empty(DEFAULT_PROFILE)))
    }
}

impl std::ops::Deref for ProfileRef {
    type Target = Profile;
    fn deref(&self) -> &Profile {
        self.0
    }
}

impl std::fmt::Debug for ProfileRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProfileRef({})", self.0.id)
    }
}

impl Default for ProfileRef {
    fn default() -> ProfileRef {
        ProfileRef::default_profile()
    }
}

impl PartialEq for ProfileRef {
    fn eq(&self, other: &ProfileRef) -> bool {
        std::ptr::eq(self.0, other.0) || self.0.id == other.0.id
    }
}

impl Serialize for ProfileRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.id)
    }
}

impl<'de> Deserialize<'de> for ProfileRef {
    /// A built-in id gives that profile; any other id (a user's profile, read elsewhere) gives
    /// the default profile's reading under that id; an empty one (version 1) the default.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Ok(ProfileRef::from(id.as_str()))
    }
}

impl From<&str> for ProfileRef {
    /// The built-in profile with this id; any other id (a user's profile, read elsewhere) gives
    /// the default profile's reading under that id; an empty one the default.
    fn from(id: &str) -> ProfileRef {
        builtin(id).unwrap_or_else(|| {
            if id.is_empty() {
                ProfileRef::default_profile()
            } else {
                ProfileRef::new(Profile::stand_in(id))
            }
        })
    }
}

impl schemars::JsonSchema for ProfileRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ProfileId".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl Profile {
    /// A profile with nothing of its own: the common vocabulary only.
    fn empty(id: &str) -> Profile {
        #[allow(clippy::expect_used)]
        let mut p = Profile::from_toml_in(&format!("id = \"{id}\""), &Profiles::none())
            .expect("an id alone is a profile");
        p.source = ProfileSource::Builtin;
        p
    }

    /// The default profile's content under another id (a table read elsewhere with a user
    /// profile this process does not have).
    fn stand_in(id: &str) -> Profile {
        let base = ProfileRef::default_profile();
        #[allow(clippy::expect_used)]
        let mut p = Profile::from_toml_in(
            &format!("id = \"{id}\"\nextends = \"{}\"", base.id),
            &Profiles::builtin(),
        )
        .expect("extending the default profile is a profile");
        p.name = id.to_string();
        p
    }
}

/// Every built-in profile, parsed once.
pub(crate) fn builtins() -> &'static [ProfileRef] {
    static ALL: OnceLock<Vec<ProfileRef>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut known = Profiles::none();
        for (id, text) in BUILTIN {
            // The files are part of the crate and checked by tests; a broken one is a bug.
            #[allow(clippy::expect_used)]
            let p = Profile::from_toml_in(text, &known)
                .map_err(|e| format!("templates/profiles/{id}.toml: {e}"))
                .expect("built-in profiles are valid");
            known.user.push(ProfileRef::new(p));
        }
        known.user
    })
}

/// The built-in profile with this id.
pub fn builtin(id: &str) -> Option<ProfileRef> {
    builtins().iter().find(|p| p.id == id).cloned()
}

/// The profiles a run knows: the user's (from files and folders, in the order given) and the
/// built-in ones. A user profile with a built-in's id replaces it.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    user: Vec<ProfileRef>,
    no_builtins: bool,
    /// Profile files already read, by path (shared by the clones of one value).
    loaded: Arc<Mutex<HashMap<PathBuf, ProfileRef>>>,
    /// What else a profile file must pass to be used (the checker's rule ids, set by the
    /// program: the reader does not know the checker's rules).
    validate: Option<Validate>,
}

/// A check a user's profile file must pass before it is used ([`Profiles::validate_with`]).
pub(crate) type Validate = fn(&Profile) -> Result<()>;

/// The folder of user profiles looked for in the current folder and beside each input.
pub const USER_FOLDER: &str = "jixiao-profiles";

impl Profiles {
    /// The built-in profiles only.
    pub fn builtin() -> Profiles {
        Profiles::default()
    }

    /// No profile at all (while the built-ins themselves are parsed).
    fn none() -> Profiles {
        Profiles {
            no_builtins: true,
            ..Profiles::default()
        }
    }

    /// Checks every profile file read from now on with `validate` as well (the program passes
    /// the checker's check of a profile's `[rules]`, `jixiao::check::settings::check_profile`).
    pub fn validate_with(&mut self, validate: Validate) {
        self.validate = Some(validate);
    }

    /// Adds a user's profile (it comes before every profile added earlier and the built-ins).
    pub fn add(&mut self, profile: ProfileRef) {
        self.user.retain(|p| p.id != profile.id);
        self.user.insert(0, profile);
    }

    /// Reads a user's profile file and adds it.
    ///
    /// # Errors
    /// When the file cannot be read or is not a profile.
    pub fn add_file(&mut self, path: &Path) -> Result<ProfileRef> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let cached = self.loaded.lock().ok().and_then(|m| m.get(&key).copied());
        let p = match cached {
            Some(p) => p,
            None => {
                let p = Profile::from_file_in(path, self)?;
                if let Some(validate) = self.validate {
                    validate(&p)?;
                }
                let p = ProfileRef::new(p);
                if let Ok(mut m) = self.loaded.lock() {
                    m.insert(key, p);
                }
                p
            }
        };
        self.add(p);
        Ok(p)
    }

    /// Adds every `*.toml` of a folder, in name order (a profile may extend one whose file
    /// name sorts before it, or a built-in). A missing folder adds nothing.
    ///
    /// # Errors
    /// When a file cannot be read or is not a profile.
    pub fn add_folder(&mut self, dir: &Path) -> Result<Vec<ProfileRef>> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(Vec::new());
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("toml"))
            })
            .collect();
        files.sort();
        // Files may extend each other in any order: a pass adds those whose base is known;
        // a pass that adds none reports the first failure.
        let mut added = Vec::new();
        let mut pending = files;
        while !pending.is_empty() {
            let before = pending.len();
            let mut failed = Vec::new();
            let mut first_error = None;
            for f in std::mem::take(&mut pending) {
                match self.add_file(&f) {
                    Ok(p) => added.push(p),
                    Err(e) => {
                        first_error.get_or_insert(e);
                        failed.push(f);
                    }
                }
            }
            if let Some(e) = first_error {
                if failed.len() == before {
                    return Err(e);
                }
            }
            pending = failed;
        }
        Ok(added)
    }

    /// The profile with this id (a user's first, then a built-in).
    pub fn get(&self, id: &str) -> Option<ProfileRef> {
        self.iter().find(|p| p.id == id).cloned()
    }

    /// A profile by id or by file path (a file is added to the run's profiles).
    ///
    /// # Errors
    /// When `name` is neither a known id nor a readable profile file.
    pub fn resolve(&mut self, name: &str) -> Result<ProfileRef> {
        if let Some(p) = self.get(name) {
            return Ok(p);
        }
        let path = Path::new(name);
        if !path.is_file() {
            let ids: Vec<&str> = self.iter().map(|p| p.id.as_str()).collect();
            return Err(Error::Profile {
                path: path.to_path_buf(),
                detail: format!(
                    "既不是已知的表样配置（{}），也不是存在的文件",
                    ids.join("、")
                ),
            });
        }
        self.add_file(path)
    }

    /// Every profile: the user's (latest added first), then the built-ins they do not replace.
    pub fn iter(&self) -> impl Iterator<Item = &ProfileRef> {
        let builtins: &[ProfileRef] = if self.no_builtins { &[] } else { builtins() };
        self.user.iter().chain(
            builtins
                .iter()
                .filter(|b| !self.user.iter().any(|u| u.id == b.id)),
        )
    }

    /// The user's profiles only.
    pub fn user(&self) -> &[ProfileRef] {
        &self.user
    }

    /// Picks the profile whose words the texts hold most. Ties go to the profile met first: a
    /// user's before a built-in, built-ins in their own order. None found: the default.
    pub fn detect<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Detection {
        let norms: Vec<String> = texts.into_iter().map(normalize_label).collect();
        self.detect_normalized(norms.iter().map(String::as_str))
    }

    /// [`Profiles::detect`] of texts already normalised ([`normalize_label`]).
    pub(crate) fn detect_normalized<'t>(
        &self,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> Detection {
        // The profiles' words were normalised when the profiles were made; of the texts, only
        // the titles and those short enough to be one of the words are kept.
        let longest = self
            .iter()
            .flat_map(|p| &p.norm.detect_labels)
            .map(String::len)
            .max()
            .unwrap_or(0);
        let mut labels = HashSet::new();
        let mut titles = Vec::new();
        for n in texts {
            if n.contains('表') && n.chars().count() <= 60 {
                titles.push(n);
            }
            if n.len() <= longest {
                labels.insert(n);
            }
        }
        let mut best: Option<Detection> = None;
        for p in self.iter() {
            let mut score = 0;
            let mut found = Vec::new();
            for (l, n) in p.detect.labels.iter().zip(&p.norm.detect_labels) {
                if labels.contains(n.as_str()) {
                    score += 1;
                    found.push(l.clone());
                }
            }
            for w in &p.norm.detect_titles {
                if titles.iter().any(|t| t.contains(w.as_str())) {
                    score += 2;
                    found.push(w.clone());
                }
            }
            if best.as_ref().is_none_or(|b| score > b.score) {
                best = Some(Detection {
                    profile: *p,
                    score,
                    found,
                });
            }
        }
        match best {
            Some(b) if b.score > 0 => b,
            _ => Detection {
                profile: self
                    .get(DEFAULT_PROFILE)
                    .unwrap_or_else(ProfileRef::default_profile),
                score: 0,
                found: Vec::new(),
            },
        }
    }
}

/// Why a profile was picked.
#[derive(Debug, Clone)]
pub struct Detection {
    /// The profile.
    pub profile: ProfileRef,
    /// Its score.
    pub score: usize,
    /// The words found that voted for it.
    pub found: Vec<String>,
}

/// Picks among the built-in profiles ([`Profiles::detect`]).
pub fn detect<'t>(texts: impl IntoIterator<Item = &'t str>) -> Detection {
    Profiles::builtin().detect(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_parses() {
        let ids: Vec<&str> = builtins().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["national", "ningxia", "hunan", "central", "department"]
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
