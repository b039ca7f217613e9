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

/// The longest name tried as several 二级 at once (`社会效益、经济效益、生态效益、可持续影响指标`
/// has 22 characters).
const MAX_COMBINED_CHARS: usize = 40;

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
    /// Its second levels are the table's own words, not the framework's (the evaluation
    /// framework's 投入指标 / 过程指标, whose 二级 column holds 资金到位率, 预算支出进度): any 二级
    /// under it is known, with no class.
    #[serde(default)]
    pub any_level2: bool,
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
    /// The cores a longer name may end in (its head), longest first: of the 一级's official
    /// names, and of every 二级 wording.
    heads1: Vec<(String, String)>,
    heads2: Vec<String>,
    /// One entry per 一级 standing for a 二级 that names several of its classes at once
    /// (`社会、经济、生态效益指标`): that parent, no class.
    combined: FastMap<String, Level2Def>,
    /// The 一级 whose 二级 are the table's own words (`any_level2`).
    open1: Vec<String>,
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
        let affixes = (file.level_prefixes, file.level_suffixes);
        let heads1 = file
            .level1
            .iter()
            .map(|l| {
                let n = normalize_label(&l.name);
                (level_core(&n, &affixes).to_string(), l.name.clone())
            })
            .collect();
        let combined = file
            .level1
            .iter()
            .map(|l| {
                let def = Level2Def {
                    name: format!("{}（多类合并）", l.name),
                    class: IndicatorClass::Unknown,
                    parent: l.name.clone(),
                    aliases: Vec::new(),
                };
                (l.name.clone(), def)
            })
            .collect();
        let open1 = file
            .level1
            .iter()
            .filter(|l| l.any_level2)
            .map(|l| l.name.clone())
            .collect();
        let mut fw = Framework {
            level1,
            level2,
            affixes,
            core1: FastMap::default(),
            core2: FastMap::default(),
            heads1,
            heads2: Vec::new(),
            combined,
            open1,
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
        let mut heads2: Vec<String> = core2.keys().cloned().collect();
        heads2.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        self.heads2 = heads2;
        self.heads1
            .sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
        self.core2 = core2;
    }

    /// True when a bare name ends in one of the endings a level's name has (`指标`, `目标`…):
    /// it calls itself a level, so what it ends in may be read as its head.
    fn says_level(&self, bare: &str) -> bool {
        self.affixes
            .1
            .iter()
            .any(|s| bare.len() > s.len() && bare.ends_with(s.as_str()))
    }

    /// The core of a name that calls itself a level, when it ends in a level's core after
    /// words that qualify it (`预期产出指标` → 产出, `工程质量指标` → 质量): the longest such core.
    fn head<'h>(&self, bare: &str, heads: impl Iterator<Item = &'h str>) -> Option<&'h str> {
        if !self.says_level(bare) {
            return None;
        }
        let core = level_core(bare, &self.affixes);
        heads
            .into_iter()
            .find(|h| h.chars().count() >= 2 && core.len() > h.len() && core.ends_with(*h))
    }

    /// The 二级 entries a part of a name stands for by its own wording (no head, no parts).
    fn level2_word(&self, n: &str) -> Option<&Vec<Level2Def>> {
        self.level2
            .get(n)
            .or_else(|| self.core2.get(level_core(n, &self.affixes)))
            .filter(|d| !d.is_empty())
    }

    /// The 二级 a name naming several at once stands for, one per part, all under one 一级
    /// (`社会、经济、生态效益指标`: 社会效益, 经济效益, 生态效益 under 效益指标; `数量、质量指标`). A part
    /// that is no level alone takes the ending of a later one (`社会` + `效益`). `None` when
    /// the name has one part, or a part is no level, or they have no 一级 in common.
    fn parts<'s>(&'s self, bare: &str) -> Option<(&'s str, Vec<&'s Level2Def>)> {
        let mut core = bare;
        while let Some(rest) = self
            .affixes
            .1
            .iter()
            .find_map(|s| core.strip_suffix(s.as_str()))
            .filter(|r| !r.is_empty())
        {
            core = rest;
        }
        // A level's name is short: a long text (a 三级's sentence, hostile input) is no level,
        // and is not tried part by part.
        if core.chars().count() > MAX_COMBINED_CHARS {
            return None;
        }
        let parts: Vec<&str> = core
            .split(['、', ',', ';', '/', '和', '及', '与', '&', '+'])
            .collect();
        if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let mut found: Vec<&Vec<Level2Def>> = Vec::with_capacity(parts.len());
        for (i, p) in parts.iter().enumerate() {
            let defs = self.level2_word(p).or_else(|| {
                parts[i + 1..].iter().find_map(|q| {
                    q.char_indices()
                        .skip(1)
                        .find_map(|(k, _)| self.level2_word(&format!("{p}{}", &q[k..])))
                })
            })?;
            found.push(defs);
        }
        let parent = found[0].iter().map(|d| d.parent.as_str()).find(|parent| {
            found
                .iter()
                .all(|defs| defs.iter().any(|d| d.parent == *parent))
        })?;
        let defs = found
            .iter()
            .filter_map(|defs| defs.iter().find(|d| d.parent == parent))
            .collect();
        Some((parent, defs))
    }

    /// The 二级 entries a name naming several 二级 at once stands for, one per part
    /// (`社会、经济、生态效益指标`); empty for any other name.
    pub fn level2_parts(&self, text: &str) -> Vec<&Level2Def> {
        let n = normalize_label(text);
        let bare = bare_level(&n);
        self.parts(&bare).map(|(_, d)| d).unwrap_or_default()
    }

    /// True when the 二级 under this 一级 are the table's own words (the evaluation
    /// framework's 投入指标, 过程指标): any 二级 is known there, with no class.
    pub fn any_level2(&self, level1: &str) -> bool {
        self.open1.iter().any(|l| l == level1)
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
            .or_else(|| {
                // By its head (`预期产出指标`), unless it is a 二级's own wording (社会成本指标
                // ends in 成本 but is a 二级).
                if self.level2_word(&bare).is_some() {
                    return None;
                }
                let head = self.head(&bare, self.heads1.iter().map(|(c, _)| c.as_str()))?;
                self.heads1
                    .iter()
                    .find(|(c, _)| c == head)
                    .map(|(_, name)| name.as_str())
            })
    }

    /// The second-level entries a text stands for (成本指标 has one per generation).
    pub fn level2(&self, text: &str) -> &[Level2Def] {
        self.level2_known(&normalize_label(text))
    }

    /// [`Framework::level2`] of a text already normalised ([`normalize_label`]).
    pub(crate) fn level2_known(&self, n: &str) -> &[Level2Def] {
        let bare = bare_level(n);
        if let Some(defs) = self
            .level2
            .get(n)
            .or_else(|| self.level2.get(bare.as_ref()))
            .or_else(|| self.core2.get(level_core(&bare, &self.affixes)))
        {
            return defs;
        }
        let parts = self.parts(&bare);
        if parts.is_none() {
            if let Some(head) = self.head(&bare, self.heads2.iter().map(String::as_str)) {
                return self.core2.get(head).map_or(&[], Vec::as_slice);
            }
        }
        match parts {
            // Parts of one class are that class (`生态、环境效益指标`).
            Some((_, defs)) if defs.iter().all(|d| d.class == defs[0].class) => self
                .level2
                .get(&normalize_label(&defs[0].name))
                .map_or(&[], Vec::as_slice),
            Some((parent, _)) => self.combined.get(parent).map_or(&[], std::slice::from_ref),
            None => &[],
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Words that qualify a level and form no level's word with what follows them.
    const QUALIFIERS: &str = "预期年度项目绩效主要核心总体中期工程部门单位专项重点计划实际本";

    fn qualifier() -> impl Strategy<Value = String> {
        let chars: Vec<char> = QUALIFIERS.chars().collect();
        proptest::collection::vec(proptest::sample::select(chars), 1..5)
            .prop_map(|v| v.into_iter().collect())
    }

    /// A remark a form prints after a level's name, or none.
    fn remark() -> impl Strategy<Value = String> {
        proptest::sample::select(vec!["", "(50分)", "（必填）", "【选填】", "(0-20)分", " "])
            .prop_map(str::to_string)
    }

    fn ending() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec!["指标", "目标", "类指标"])
    }

    fn stem(w: &str) -> String {
        let n = normalize_label(w);
        n.strip_suffix("指标").map(str::to_string).unwrap_or(n)
    }

    proptest! {
        /// A first level's official name after any qualifier, with a level's ending and any
        /// remark, is that level: what stands before the head says nothing.
        #[test]
        fn a_qualified_first_level_is_its_head(
            q in qualifier(),
            end in ending(),
            r in remark(),
            k in 0usize..16,
        ) {
            let fw = Framework::builtin();
            let names = ["产出指标", "效益指标", "满意度指标", "成本指标"];
            let name = names[k % names.len()];
            let text = format!("{q}{}{end}{r}", stem(name));
            prop_assert_eq!(fw.level1(&text), Some(name), "{}", text);
        }

        /// A second level's wording after any qualifier, with a level's ending, is its class.
        #[test]
        fn a_qualified_second_level_is_its_class(
            q in qualifier(),
            end in ending(),
            r in remark(),
            k in 0usize..64,
        ) {
            let fw = Framework::builtin();
            let words: Vec<(String, IndicatorClass)> = fw
                .all_level2()
                .iter()
                .flat_map(|d| {
                    std::iter::once(&d.name)
                        .chain(&d.aliases)
                        .map(|w| (stem(w), d.class))
                })
                .collect();
            let (word, class) = &words[k % words.len()];
            let text = format!("{q}{word}{end}{r}");
            let found: Vec<IndicatorClass> = fw.level2(&text).iter().map(|d| d.class).collect();
            prop_assert!(!found.is_empty() && found.iter().all(|c| c == class), "{} → {:?}", text, found);
        }

        /// A second level naming several classes of one first level at once is known, under
        /// that first level, of no one class, and stands for each of the classes it names.
        #[test]
        fn a_combined_second_level_is_never_unknown(
            picks in proptest::sample::subsequence(vec![0usize, 1, 2, 3], 2..=4),
            sep in proptest::sample::select(vec!["、", "，", "/", "和", "及", "与"]),
            shared in any::<bool>(),
            output in any::<bool>(),
            end in ending(),
            r in remark(),
        ) {
            let fw = Framework::builtin();
            let (parent, words, head): (&str, [&str; 4], &str) = if output {
                ("产出指标", ["数量", "质量", "时效", "成本"], "")
            } else {
                ("效益指标", ["经济", "社会", "生态", "环境"], "效益")
            };
            // `社会、经济效益` (the head once, at the end) or `社会效益、经济效益`.
            let parts: Vec<String> = picks
                .iter()
                .enumerate()
                .map(|(i, &p)| {
                    if shared && i + 1 < picks.len() {
                        words[p].to_string()
                    } else {
                        format!("{}{head}", words[p])
                    }
                })
                .collect();
            let text = format!("{}{end}{r}", parts.join(sep));
            let defs = fw.level2(&text);
            prop_assert!(!defs.is_empty(), "{}", text);
            prop_assert!(defs.iter().all(|d| d.parent == parent), "{} → {:?}", text, defs);
            let mut want: Vec<IndicatorClass> = picks
                .iter()
                .map(|&p| fw.level2(&format!("{}{head}", words[p]))[0].class)
                .collect();
            want.dedup();
            let mut got: Vec<IndicatorClass> =
                fw.level2_parts(&text).iter().map(|d| d.class).collect();
            got.dedup();
            if want.len() > 1 {
                prop_assert_eq!(defs[0].class, IndicatorClass::Unknown, "{}", text);
                prop_assert_eq!(got, want, "{}", text);
            } else {
                prop_assert_eq!(defs[0].class, want[0], "{}", text);
            }
        }

        /// Words that name no level stay unknown, with a level's ending or without; a name
        /// ending in a level's word without calling itself a level (`游客满意度`, a 三级) is
        /// not a level.
        #[test]
        fn other_words_stay_unknown(q in qualifier(), end in ending(), k in 0usize..16) {
            let fw = Framework::builtin();
            let others = ["工作", "资金到位率", "网络安全宣传周项目", "管理", "过程管理", "实施效果"];
            let other = others[k % others.len()];
            for text in [format!("{q}{other}{end}"), format!("{q}{other}")] {
                prop_assert!(fw.level2(&text).is_empty(), "{}", text);
                prop_assert_eq!(fw.level1(&text), None, "{}", text);
            }
            let levels = ["满意度", "数量", "质量", "产出", "社会效益"];
            let third = format!("受益{q}{}", levels[k % levels.len()]);
            prop_assert!(fw.level2(&third).is_empty(), "{}", third);
            prop_assert_eq!(fw.level1(&third), None, "{}", third);
        }
    }

    /// A long text full of separators is not tried part by part (it would take the square of
    /// its length): it is no level, at once.
    #[test]
    fn a_long_text_is_no_combined_level() {
        let fw = Framework::builtin();
        let text = format!("{}效益指标", "社会、".repeat(20_000));
        assert!(fw.level2(&text).is_empty());
        assert!(fw.level2_parts(&text).is_empty());
    }

    /// The evaluation framework's first levels are known, and any second level under them.
    #[test]
    fn evaluation_levels_take_any_second_level() {
        let fw = Framework::builtin();
        for (text, name) in [
            ("投入指标", "投入指标"),
            ("过程指标(20分)", "过程指标"),
            ("项目决策指标", "决策指标"),
        ] {
            let l1 = fw.level1(text);
            assert_eq!(l1, Some(name), "{text}");
            assert!(fw.any_level2(name));
        }
        assert!(!fw.any_level2("产出指标"));
        // A 二级 the framework has keeps its own first level: 社会成本指标 ends in 成本.
        assert_eq!(fw.level1("社会成本指标"), None);
        assert_eq!(fw.level1("预期产出指标"), Some("产出指标"));
        assert_eq!(
            fw.level2("预算(或投资规模)控制指标")
                .first()
                .map(|d| d.class),
            Some(IndicatorClass::Cost)
        );
    }
}
