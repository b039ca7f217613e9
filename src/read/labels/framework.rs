//! The indicator framework: 一级 and 二级 names, their wordings and classes, and what each
//! layout requires, loaded from `templates/framework.toml`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::{normalize_label, FastMap, FRAMEWORK_TOML};
use crate::form::{IndicatorClass, Layout};

/// A normalised level name with its remarks in brackets set aside, wherever they stand and
/// however bracketed: a score (`产出指标(50分)`, a range before 分: `成本指标(0-20)分`), a note
/// of the system that printed it (`时效指标(必填)`, `成本指标【选填】`) or of the form
/// (`数量指标(或建筑规模指标)`). The name itself when nothing is left outside brackets.
pub(crate) fn bare_level(n: &str) -> Cow<'_, str> {
    if !n.contains(['(', '[', '【']) {
        return Cow::Borrowed(n);
    }
    // The 分 of a score range printed after its bracket goes with it.
    let n = n
        .strip_suffix('分')
        .filter(|r| r.ends_with(')'))
        .unwrap_or(n);
    let mut out = String::with_capacity(n.len());
    let mut depth = 0usize;
    for c in n.chars() {
        match c {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.is_empty() {
        Cow::Borrowed(n)
    } else {
        Cow::Owned(out)
    }
}

#[derive(Debug, Deserialize)]
struct FrameworkFile {
    #[serde(default)]
    level_suffixes: Vec<String>,
    #[serde(default)]
    level_prefixes: Vec<String>,
    level1: Vec<Level1Def>,
    level2: Vec<Level2Def>,
    layout: HashMap<String, Required>,
}

/// What a level's name says once the endings a level's name may have are set aside
/// (`经济效益值` → `经济效益`, `数量指标` → `数量`), and a word it may open with that says
/// nothing (`项目效益指标` → `效益`); at least two characters are kept.
fn level_core<'n>(n: &'n str, affixes: &Affixes) -> &'n str {
    let (prefixes, suffixes) = (&affixes.0, &affixes.1);
    let mut core = n;
    if let Some(rest) = prefixes
        .iter()
        .find_map(|p| core.strip_prefix(p.as_str()))
        .filter(|r| r.chars().count() >= 2)
    {
        core = rest;
    }
    while let Some(rest) = suffixes
        .iter()
        .find_map(|s| core.strip_suffix(s.as_str()))
        .filter(|r| r.chars().count() >= 2)
    {
        core = rest;
    }
    core
}

/// The words a level's name may open with and end in besides what it names.
type Affixes = (Vec<String>, Vec<String>);

/// A first-level indicator of the framework.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level1Def {
    /// Its official name.
    pub name: String,
    /// Other wordings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A form's own indicator framework, in place of `templates/framework.toml`'s (a profile's
/// `[framework]` with `level1` / `level2`: the 中央预算内投资计划's 实施效果指标 / 过程管理指标 over
/// 产出指标 / 效益指标 / 满意度指标 …). Every level it names is required, for every layout,
/// unless the profile lists the 二级 it requires (`[thresholds] required_level2`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OwnLevels {
    /// Its first levels.
    #[serde(default)]
    pub level1: Vec<Level1Def>,
    /// Its second levels, each naming one of `level1` as its parent.
    #[serde(default)]
    pub level2: Vec<Level2Def>,
}

/// A second-level indicator of the framework.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level2Def {
    /// Its official name.
    pub name: String,
    /// Its canonical class.
    pub class: IndicatorClass,
    /// The first-level indicator it belongs to.
    pub parent: String,
    /// Other wordings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The indicators a layout requires.
#[derive(Debug, Clone, Deserialize)]
pub struct Required {
    /// Required first-level names.
    pub level1: Vec<String>,
    /// Required second-level names.
    pub level2: Vec<String>,
}

/// The indicator vocabulary.
#[derive(Debug, Clone)]
pub struct Framework {
    level1: FastMap<String, String>,
    level2: FastMap<String, Vec<Level2Def>>,
    /// The openings and endings a level's name may have besides what it names
    /// (`level_prefixes`, `level_suffixes`).
    affixes: Affixes,
    /// [`level_core`] of every 一级 wording → the 一级; of every 二级 wording → its entries.
    core1: FastMap<String, String>,
    core2: FastMap<String, Vec<Level2Def>>,
    all_level2: Vec<Level2Def>,
    required: HashMap<String, Required>,
}

impl Framework {
    /// The framework shipped with the crate.
    pub fn builtin() -> &'static Framework {
        static FW: OnceLock<Framework> = OnceLock::new();
        FW.get_or_init(|| {
            #[allow(clippy::expect_used)]
            Framework::from_toml(FRAMEWORK_TOML).expect("templates/framework.toml is valid")
        })
    }

    /// Parses a framework file.
    ///
    /// # Errors
    /// When the TOML does not have the shape of `templates/framework.toml`.
    pub fn from_toml(text: &str) -> Result<Framework, toml::de::Error> {
        let file: FrameworkFile = toml::from_str(text)?;
        Ok(Framework::from_file(file))
    }

    /// A form's own framework (a profile's `[framework]` levels): every level it names is
    /// required, whatever the layout.
    ///
    /// # Errors
    /// When a second level's parent is not one of its first levels, or it names no first
    /// level (in Chinese).
    pub(crate) fn from_own(own: &OwnLevels) -> Result<Framework, String> {
        if own.level1.is_empty() {
            return Err("framework.level1：表样自己的指标体系至少要有一个一级指标".into());
        }
        for l in &own.level2 {
            if !own.level1.iter().any(|p| p.name == l.parent) {
                return Err(format!(
                    "framework.level2：二级指标“{}”的 parent“{}”不是本表样的一级指标",
                    l.name, l.parent
                ));
            }
        }
        let required = Required {
            level1: own.level1.iter().map(|l| l.name.clone()).collect(),
            level2: own.level2.iter().map(|l| l.name.clone()).collect(),
        };
        let layout = [Layout::Classic, Layout::National]
            .into_iter()
            .map(|l| (l.id().to_string(), required.clone()))
            .collect();
        Ok(Framework::from_file(FrameworkFile {
            level_prefixes: Framework::builtin().affixes.0.clone(),
            level_suffixes: Framework::builtin().affixes.1.clone(),
            level1: own.level1.clone(),
            level2: own.level2.clone(),
            layout,
        }))
    }

    fn from_file(file: FrameworkFile) -> Framework {
        let mut level1 = FastMap::default();
        for l in &file.level1 {
            level1.insert(normalize_label(&l.name), l.name.clone());
            for a in &l.aliases {
                level1.insert(normalize_label(a), l.name.clone());
            }
        }
        let mut level2: FastMap<String, Vec<Level2Def>> = FastMap::default();
        for l in &file.level2 {
            for n in std::iter::once(&l.name).chain(&l.aliases) {
                level2
                    .entry(normalize_label(n))
                    .or_default()
                    .push(l.clone());
            }
        }
        let mut fw = Framework {
            level1,
            level2,
            affixes: (file.level_prefixes, file.level_suffixes),
            core1: FastMap::default(),
            core2: FastMap::default(),
            all_level2: file.level2,
            required: file.layout,
        };
        fw.index_cores();
        fw
    }

    /// Fills the core maps from the wordings (again after [`Framework::with_words`]). A core
    /// two levels share stands for neither.
    fn index_cores(&mut self) {
        let mut core1: FastMap<String, Option<String>> = FastMap::default();
        for (n, name) in &self.level1 {
            let c = level_core(n, &self.affixes).to_string();
            let e = core1.entry(c).or_insert_with(|| Some(name.clone()));
            if e.as_deref() != Some(name.as_str()) {
                *e = None;
            }
        }
        self.core1 = core1
            .into_iter()
            .filter_map(|(c, n)| n.map(|n| (c, n)))
            .collect();
        let mut core2: FastMap<String, Vec<Level2Def>> = FastMap::default();
        for (n, defs) in &self.level2 {
            let entry = core2
                .entry(level_core(n, &self.affixes).to_string())
                .or_default();
            for d in defs {
                if !entry
                    .iter()
                    .any(|e| e.name == d.name && e.parent == d.parent)
                {
                    entry.push(d.clone());
                }
            }
        }
        self.core2 = core2;
    }

    /// The official first-level name a text stands for (a score after it, `产出指标(50分)`,
    /// is not part of the name).
    pub fn level1(&self, text: &str) -> Option<&str> {
        self.level1_known(&normalize_label(text))
    }

    /// [`Framework::level1`] of a text already normalised ([`normalize_label`]).
    pub(crate) fn level1_known(&self, n: &str) -> Option<&str> {
        let bare = bare_level(n);
        self.level1
            .get(n)
            .or_else(|| self.level1.get(bare.as_ref()))
            .or_else(|| self.core1.get(level_core(&bare, &self.affixes)))
            .map(String::as_str)
    }

    /// The second-level entries a text stands for (成本指标 has one per generation).
    pub fn level2(&self, text: &str) -> &[Level2Def] {
        self.level2_known(&normalize_label(text))
    }

    /// [`Framework::level2`] of a text already normalised ([`normalize_label`]).
    pub(crate) fn level2_known(&self, n: &str) -> &[Level2Def] {
        let bare = bare_level(n);
        self.level2
            .get(n)
            .or_else(|| self.level2.get(bare.as_ref()))
            .or_else(|| self.core2.get(level_core(&bare, &self.affixes)))
            .map_or(&[], Vec::as_slice)
    }

    /// The second-level entry for a text under a given layout.
    pub(crate) fn level2_in(&self, text: &str, layout: Layout) -> Option<&Level2Def> {
        self.level2_in_known(&normalize_label(text), layout)
    }

    /// [`Framework::level2_in`] of a text already normalised ([`normalize_label`]).
    pub(crate) fn level2_in_known(&self, n: &str, layout: Layout) -> Option<&Level2Def> {
        let defs = self.level2_known(n);
        let national_parent = |d: &&Level2Def| d.parent == "成本指标";
        match layout {
            Layout::National => defs
                .iter()
                .find(|d| d.name != "成本指标")
                .or_else(|| defs.first()),
            Layout::Classic => defs
                .iter()
                .find(|d| !national_parent(d))
                .or_else(|| defs.first()),
        }
    }

    /// This framework with a form's own wordings (a profile's `[vocabulary]`): `level1` maps a
    /// 一级 wording to the 一级 it stands for, `level2` a 二级 wording to the 二级 (each named
    /// by any wording the framework knows).
    ///
    /// # Errors
    /// When a wording stands for a level the framework does not have (in Chinese).
    pub(crate) fn with_words(
        &self,
        level1: &BTreeMap<String, String>,
        level2: &BTreeMap<String, String>,
    ) -> Result<Framework, String> {
        let mut fw = self.clone();
        for (word, target) in level1 {
            let name = self.level1(target).ok_or_else(|| {
                format!("vocabulary.level1：“{word}”对应的“{target}”不是指标体系中的一级指标")
            })?;
            fw.level1.insert(normalize_label(word), name.to_string());
        }
        for (word, target) in level2 {
            let defs = self.level2(target);
            if defs.is_empty() {
                return Err(format!(
                    "vocabulary.level2：“{word}”对应的“{target}”不是指标体系中的二级指标"
                ));
            }
            fw.level2.insert(normalize_label(word), defs.to_vec());
        }
        fw.index_cores();
        Ok(fw)
    }

    /// Every second-level entry.
    pub fn all_level2(&self) -> &[Level2Def] {
        &self.all_level2
    }

    /// What a layout requires.
    pub fn required(&self, layout: Layout) -> Option<&Required> {
        self.required.get(layout.id())
    }
}
