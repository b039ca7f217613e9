//! Label matching: the alias table and the indicator framework, loaded from `templates/`.
//!
//! A label is compared after [`normalize_label`]: NFKC, all whitespace removed, a leading
//! `其中:` and trailing `:` dropped. So `项 目 名 称`, `年度总体\n绩效目标`, `转移市县（区） 资金`
//! and `转移市县 (区)资金` all find their field.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::form::{IndicatorClass, Layout};
use crate::read::text::{fold_simple, fold_width};

/// The alias table, as shipped in `templates/labels.toml`.
pub(crate) const LABELS_TOML: &str = include_str!("../../templates/labels.toml");
/// Labels by meaning, as shipped in `templates/meaning.toml`.
pub(crate) const MEANING_TOML: &str = include_str!("../../templates/meaning.toml");
/// The indicator framework, as shipped in `templates/framework.toml`.
pub(crate) const FRAMEWORK_TOML: &str = include_str!("../../templates/framework.toml");

/// Shortest label prefix accepted as a truncated label (`自治区资`).
const MIN_TRUNCATED: usize = 3;

/// A hash map keyed by the reader's own words and cells: hashed with [`FxHasher`], not the
/// standard SipHash, whose cost per short key was a fifth of the label lookups.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A hash set with [`FxHasher`] (see [`FastMap`]).
pub(crate) type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

/// The Fx hash (as in rustc): eight bytes at a time, a rotate, a xor and a multiply. Not
/// randomised: the maps it keys hold vocabulary and cell positions, and crafted text can at
/// worst make one lookup compare a few hundred words.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Normalises a label for comparison. Idempotent: a normalised label normalises to itself.
pub fn normalize_label(text: &str) -> String {
    let squeeze = |s: &str| -> String {
        fold_width(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    // Text whose characters NFKC maps one by one (most labels) needs one pass that also drops
    // the whitespace; a second would change nothing.
    // NFKC turns some characters into a space and a combining mark (`¨` → ` ̈`); once the
    // space is gone the mark composes with the character before it, so other text is folded
    // a second time.
    let mut folded = squeeze_simple(text).unwrap_or_else(|| squeeze(&squeeze(text)));
    let mut s = folded.as_str();
    loop {
        let before = s;
        s = s.strip_prefix("其中:").unwrap_or(s);
        s = s.strip_prefix("其中").unwrap_or(s);
        s = s.trim_end_matches([':', '*']);
        s = s.trim_start_matches('*');
        if s == before {
            break;
        }
    }
    // `s` is a slice of `folded`: cut it down in place instead of copying it.
    let start = s.as_ptr() as usize - folded.as_ptr() as usize;
    let end = start + s.len();
    folded.truncate(end);
    folded.drain(..start);
    folded
}

/// [`fold_simple`] of every character with the whitespace dropped, or `None` when a character
/// needs NFKC. Runs of characters that fold to themselves are copied as they are (most of a
/// label: CJK ideographs and ASCII), not pushed one by one.
fn squeeze_simple(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let f = fold_simple(c)?;
        if f == c && !c.is_whitespace() {
            continue;
        }
        out.push_str(&text[run..i]);
        run = i + c.len_utf8();
        if !f.is_whitespace() {
            out.push(f);
        }
    }
    out.push_str(&text[run..]);
    Some(out)
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LabelFile {
    pub(crate) field: Vec<FieldDef>,
    #[serde(default)]
    pub(crate) meaning: Option<Meaning>,
}

/// Labels by meaning (`[meaning]` of `templates/labels.toml`): how a label no wording lists is
/// read from the words it is made of.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Meaning {
    /// Words that may follow a field's head word without changing the field (`名称`, `数`).
    #[serde(default)]
    tail: Vec<String>,
    /// Words that say nothing about which field a label is (`项目`, `申请`).
    #[serde(default)]
    filler: Vec<String>,
    /// Words that join a second thing the value holds (`及`: `主管部门及编码`); the label is
    /// read from the part before them.
    #[serde(default)]
    cut: Vec<String>,
    /// The longest label read by meaning, in characters (after brackets and a cut part are
    /// set aside).
    #[serde(default = "default_max_chars")]
    max_chars: usize,
    /// How much of a label a rule's words must cover, in percent.
    #[serde(default = "default_min_cover")]
    min_cover: usize,
    /// One rule per field.
    #[serde(default)]
    rule: Vec<MeaningRule>,
    /// The last character of every head and tail word: a label ending in none of them is
    /// no label by meaning (most cells are turned away by this one look).
    #[serde(skip)]
    last_chars: Vec<char>,
}

fn default_max_chars() -> usize {
    10
}

fn default_min_cover() -> usize {
    50
}

/// The words that name one field: a label ends with one of `head` (a tail word may follow),
/// holds one of `with` when there are any, and none of `not`.
#[derive(Debug, Clone, Deserialize)]
pub struct MeaningRule {
    /// The field id.
    pub field: String,
    /// The field's head words.
    pub head: Vec<String>,
    /// Words one of which must qualify the head.
    #[serde(default)]
    pub with: Vec<String>,
    /// Words that rule the field out.
    #[serde(default)]
    pub not: Vec<String>,
    /// How much of a label this rule's words must cover, in percent, when it asks more than
    /// the file's `min_cover` (a short head such as `一级` must be the whole label).
    #[serde(default)]
    pub min_cover: Option<usize>,
}

impl Meaning {
    /// The rules as shipped in `templates/meaning.toml`, their words normalised.
    pub fn builtin() -> &'static Meaning {
        static MEANING: OnceLock<Meaning> = OnceLock::new();
        MEANING.get_or_init(|| {
            // The file is part of the crate and checked by tests; a broken one is a build bug.
            #[allow(clippy::expect_used)]
            let m: Meaning = toml::from_str(MEANING_TOML).expect("templates/meaning.toml is valid");
            m.normalized()
        })
    }

    fn normalized(mut self) -> Meaning {
        let norm = |v: &mut Vec<String>| {
            for w in v.iter_mut() {
                *w = normalize_label(w);
            }
            v.retain(|w| !w.is_empty());
            // Longer words first: `业务主管` is tried before `主管`.
            v.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        };
        norm(&mut self.tail);
        norm(&mut self.filler);
        norm(&mut self.cut);
        for r in &mut self.rule {
            norm(&mut r.head);
            norm(&mut r.with);
            norm(&mut r.not);
        }
        let mut last: Vec<char> = self
            .rule
            .iter()
            .flat_map(|r| &r.head)
            .chain(&self.tail)
            .filter_map(|w| w.chars().last())
            .collect();
        last.sort_unstable();
        last.dedup();
        self.last_chars = last;
        self
    }

    /// What a normalised label says, with brackets (`(单位)`, `(万元)`) and the part after a
    /// joining word set aside; `None` when it is too long, empty or holds a digit (a value).
    fn core(&self, norm: &str) -> Option<String> {
        if norm.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        // Without brackets and joining words the core is the label itself: one look at its
        // last character turns most cells away.
        let plain =
            !norm.contains(['(', '[', '【']) && !self.cut.iter().any(|w| norm.contains(w.as_str()));
        let head_end = norm
            .chars()
            .last()
            .is_some_and(|c| self.last_chars.binary_search(&c).is_ok());
        if plain && (norm.chars().count() > self.max_chars || !head_end) {
            return None;
        }
        let mut core = String::with_capacity(norm.len());
        let mut depth = 0usize;
        for c in norm.chars() {
            match c {
                '(' | '[' | '【' => depth += 1,
                ')' | ']' | '】' => depth = depth.saturating_sub(1),
                _ if depth == 0 => core.push(c),
                _ => {}
            }
        }
        // A joining word at the start is part of a word (`和`…), not a join.
        if let Some(at) = self
            .cut
            .iter()
            .filter_map(|w| core.find(w.as_str()).filter(|&at| at > 0))
            .min()
        {
            core.truncate(at);
        }
        let core = core.trim_end_matches([':', '*']).to_string();
        let n = core.chars().count();
        if n == 0 || n > self.max_chars || core.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(core)
    }

    /// The field a label's core names, with its score: (how much of the label the rule's
    /// words cover, in percent; the length of the head word). `None` when no rule fits, or
    /// two fields fit equally well.
    fn field<'a>(&'a self, core: &str) -> Option<&'a str> {
        let chars: Vec<char> = core.chars().collect();
        let mut best: Option<((usize, usize), &str)> = None;
        let mut tie = false;
        for r in &self.rule {
            let Some(score) = self.score(r, core, &chars) else {
                continue;
            };
            match best {
                Some((b, f)) if score == b && f != r.field => tie = true,
                Some((b, _)) if score <= b => {}
                _ => {
                    best = Some((score, &r.field));
                    tie = false;
                }
            }
        }
        best.filter(|_| !tie).map(|(_, f)| f)
    }

    fn score(&self, r: &MeaningRule, core: &str, chars: &[char]) -> Option<(usize, usize)> {
        if r.not.iter().any(|w| core.contains(w.as_str())) {
            return None;
        }
        // The head at the end, perhaps with a tail word after it.
        let bare = self
            .tail
            .iter()
            .find_map(|t| core.strip_suffix(t.as_str()))
            .filter(|b| !b.is_empty());
        let head = r.head.iter().find_map(|h| {
            if core.ends_with(h.as_str()) {
                Some((h, core.len() - h.len()))
            } else {
                bare.filter(|b| b.ends_with(h.as_str()))
                    .map(|b| (h, b.len() - h.len()))
            }
        });
        let (head, at) = head?;
        let mut covered = vec![false; chars.len()];
        let mut mark = |byte_at: usize, word: &str| {
            let from = core[..byte_at].chars().count();
            for c in covered.iter_mut().skip(from).take(word.chars().count()) {
                *c = true;
            }
        };
        mark(at, head);
        // The tail after the head.
        let tail_at = at + head.len();
        if tail_at < core.len() {
            mark(tail_at, &core[tail_at..]);
        }
        let before = &core[..at];
        let mut qualified = r.with.is_empty();
        for w in &r.with {
            for (i, _) in before.match_indices(w.as_str()) {
                mark(i, w);
                qualified = true;
            }
        }
        if !qualified {
            return None;
        }
        for w in &self.filler {
            for (i, _) in before.match_indices(w.as_str()) {
                mark(i, w);
            }
        }
        let cover = covered.iter().filter(|c| **c).count() * 100 / chars.len().max(1);
        let min = r.min_cover.unwrap_or(0).max(self.min_cover);
        (cover >= min).then_some((cover, head.chars().count()))
    }
}

/// One field of the alias table.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDef {
    /// The field id (`project.name`, `grid.value`, …).
    pub id: String,
    /// The official label.
    pub label: String,
    /// Other wordings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// How a label matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelMatch {
    /// The official wording.
    Exact,
    /// Another wording from the alias table.
    Alias,
    /// A cut-off label, completed.
    Truncated,
    /// A wording no list holds, read from the words it is made of (`项目主管部门`).
    Meaning,
}

/// The alias table, ready for lookups.
#[derive(Debug)]
pub struct Labels {
    fields: Vec<FieldDef>,
    /// Labels by meaning.
    meaning: &'static Meaning,
    by_norm: FastMap<String, (usize, LabelMatch)>,
    /// Every proper prefix of a wording (at least [`MIN_TRUNCATED`] characters), with the one
    /// field whose wordings it starts, or `None` when it starts two fields' wordings. One hash
    /// lookup per cell instead of a scan of every wording.
    prefixes: FastMap<String, Option<usize>>,
}

impl Labels {
    /// The alias table shipped with the crate.
    pub fn builtin() -> &'static Labels {
        static LABELS: OnceLock<Labels> = OnceLock::new();
        LABELS.get_or_init(|| {
            // The file is part of the crate and checked by tests; a broken one is a build bug.
            #[allow(clippy::expect_used)]
            Labels::from_toml(LABELS_TOML).expect("templates/labels.toml is valid")
        })
    }

    /// Parses an alias table.
    ///
    /// # Errors
    /// When the TOML does not have the shape of `templates/labels.toml`.
    pub fn from_toml(text: &str) -> Result<Labels, toml::de::Error> {
        let file: LabelFile = toml::from_str(text)?;
        let mut labels = Labels::from_fields(file.field);
        if let Some(m) = file.meaning {
            labels.meaning = Box::leak(Box::new(m.normalized()));
        }
        Ok(labels)
    }

    /// An alias table from field definitions, read by the built-in meaning rules; the first
    /// definition of a wording wins.
    pub(crate) fn from_fields(fields: Vec<FieldDef>) -> Labels {
        let mut by_norm = FastMap::default();
        let mut norms = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let official = normalize_label(&f.label);
            norms.push((official.clone(), i));
            by_norm.entry(official).or_insert((i, LabelMatch::Exact));
            for a in &f.aliases {
                let n = normalize_label(a);
                norms.push((n.clone(), i));
                by_norm.entry(n).or_insert((i, LabelMatch::Alias));
            }
        }
        let mut prefixes: FastMap<String, Option<usize>> = FastMap::default();
        for (n, i) in &norms {
            for (at, _) in n.char_indices().skip(MIN_TRUNCATED) {
                prefixes
                    .entry(n[..at].to_string())
                    .and_modify(|hit| {
                        if *hit != Some(*i) {
                            *hit = None;
                        }
                    })
                    .or_insert(Some(*i));
            }
        }
        Labels {
            fields,
            meaning: Meaning::builtin(),
            by_norm,
            prefixes,
        }
    }

    /// Every field definition, in table order.
    pub fn fields(&self) -> &[FieldDef] {
        &self.fields
    }

    /// The field with this id.
    pub fn field(&self, id: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// Finds the field a cell's text labels, if any.
    pub fn lookup(&self, text: &str) -> Option<(&FieldDef, LabelMatch)> {
        if text.chars().count() > 24 {
            return None;
        }
        self.lookup_normalized(&normalize_label(text))
    }

    /// [`Labels::lookup`] of a text whose [`normalize_label`] is known (`norm`): the reader
    /// normalises each cell once per sheet.
    pub(crate) fn lookup_known(&self, text: &str, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        if text.chars().count() > 24 {
            return None;
        }
        self.lookup_normalized(norm)
    }

    fn lookup_normalized(&self, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        if norm.is_empty() {
            return None;
        }
        self.listed(norm).or_else(|| self.by_meaning(norm))
    }

    /// A normalised label read by what it says: the listed wording its core is (`主管部门及其
    /// 编码` → `主管部门`), or the field the meaning rules give it.
    fn by_meaning(&self, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        let core = self.meaning.core(norm)?;
        if core != norm {
            if let Some((f, _)) = self.listed(&core) {
                return Some((f, LabelMatch::Meaning));
            }
        }
        let id = self.meaning.field(&core)?;
        self.field(id).map(|f| (f, LabelMatch::Meaning))
    }

    /// A normalised label that one of the wordings lists.
    fn listed(&self, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        if let Some((i, how)) = self.by_norm.get(norm) {
            return Some((&self.fields[*i], how.clone()));
        }
        // A unit in brackets after the label (`项目总额(万元)`): the reader reads the unit itself.
        for unit in ["(万元)", "(元)"] {
            if let Some(bare) = norm.strip_suffix(unit) {
                if let Some((i, how)) = self.by_norm.get(bare) {
                    return Some((&self.fields[*i], how.clone()));
                }
            }
        }
        // A note in brackets after the label (`中期目标（2026年－2028年）`).
        if let Some(at) = norm.find('(').filter(|_| norm.ends_with(')')) {
            if let Some((i, how)) = self.by_norm.get(&norm[..at]) {
                return Some((&self.fields[*i], how.clone()));
            }
        }
        // A truncated label: a prefix of exactly one field's wordings.
        let i = (*self.prefixes.get(norm)?)?;
        Some((&self.fields[i], LabelMatch::Truncated))
    }
}

/// `产出指标(50分)` → `产出指标` (a normalised name with a score in brackets after it).
fn strip_score(n: &str) -> &str {
    match n.find('(') {
        Some(at) if n.ends_with("分)") && at > 0 => &n[..at],
        _ => n,
    }
}

#[derive(Debug, Deserialize)]
struct FrameworkFile {
    level1: Vec<Level1Def>,
    level2: Vec<Level2Def>,
    layout: HashMap<String, Required>,
}

#[derive(Debug, Deserialize)]
struct Level1Def {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

/// A second-level indicator of the framework.
#[derive(Debug, Clone, Deserialize)]
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
        Ok(Framework {
            level1,
            level2,
            all_level2: file.level2,
            required: file.layout,
        })
    }

    /// The official first-level name a text stands for (a score after it, `产出指标(50分)`,
    /// is not part of the name).
    pub fn level1(&self, text: &str) -> Option<&str> {
        self.level1_known(&normalize_label(text))
    }

    /// [`Framework::level1`] of a text already normalised ([`normalize_label`]).
    pub(crate) fn level1_known(&self, n: &str) -> Option<&str> {
        self.level1
            .get(n)
            .or_else(|| self.level1.get(strip_score(n)))
            .map(String::as_str)
    }

    /// The second-level entries a text stands for (成本指标 has one per generation).
    pub fn level2(&self, text: &str) -> &[Level2Def] {
        self.level2_known(&normalize_label(text))
    }

    /// [`Framework::level2`] of a text already normalised ([`normalize_label`]).
    pub(crate) fn level2_known(&self, n: &str) -> &[Level2Def] {
        self.level2
            .get(n)
            .or_else(|| self.level2.get(strip_score(n)))
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

    fn id(text: &str) -> Option<(String, LabelMatch)> {
        Labels::builtin()
            .lookup(text)
            .map(|(f, m)| (f.id.clone(), m))
    }

    #[test]
    fn labels_with_drift() {
        let exact = |s: &str, want: &str| {
            assert_eq!(id(s).map(|x| x.0).as_deref(), Some(want), "{s}");
        };
        exact("项 目 名 称", "project.name");
        exact("项目名称：", "project.name");
        exact("项目支出名称", "project.name");
        exact("年度总体\n绩效目标", "goal");
        exact("年度总体 绩效目标", "goal");
        exact("其中： 转移市县 (区)资金", "group.transfer");
        exact("其中： 转移市县（区） 资金", "group.transfer");
        exact("其中：年度资金总额", "funding.annual_total");
        exact("主管部门及代码", "project.department");
        exact("项目资金（万元）", "group.funds");
        exact("上年结转资金", "funding.own.carryover");
        exact("年度总体目标", "goal");
        assert_eq!(
            id("自治区资"),
            Some(("funding.transfer.regional".into(), LabelMatch::Truncated))
        );
        assert_eq!(id("项目名称").map(|x| x.1), Some(LabelMatch::Exact));
        assert_eq!(id("项目支出名称").map(|x| x.1), Some(LabelMatch::Alias));
        // Values are not labels.
        assert_eq!(id("宁夏网络安全服务项目"), None);
        assert_eq!(id("经常性项目"), None);
        assert_eq!(id("45"), None);
        assert_eq!(id("项目"), None);
    }

    /// [`normalize_label`] as it was written first (whole-string folds, then a copy).
    fn normalize_label_by_char(text: &str) -> String {
        let squeeze = |s: &str| -> String {
            fold_width(s)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let simple: Option<String> = text
            .chars()
            .map(fold_simple)
            .filter(|c| !c.is_some_and(char::is_whitespace))
            .collect();
        let folded = simple.unwrap_or_else(|| squeeze(&squeeze(text)));
        let mut s = folded.as_str();
        loop {
            let before = s;
            s = s.strip_prefix("其中:").unwrap_or(s);
            s = s.strip_prefix("其中").unwrap_or(s);
            s = s.trim_end_matches([':', '*']);
            s = s.trim_start_matches('*');
            if s == before {
                break;
            }
        }
        s.to_string()
    }

    proptest::proptest! {
        #[test]
        fn normalize_label_copies_runs_as_one_char_at_a_time_would(
            text in r"([ \t\n\u{3000}*:：]|其中|[a-zA-Z0-9]|[项目（）资金、]|[\u{ff01}-\u{ff5e}]|\PC){0,24}"
        ) {
            proptest::prop_assert_eq!(normalize_label(&text), normalize_label_by_char(&text));
        }
    }

    #[test]
    fn labels_by_meaning() {
        let meaning = |s: &str, want: Option<&str>| {
            let got = id(s);
            assert_eq!(got.as_ref().map(|x| x.0.as_str()), want, "{s}");
            if want.is_some() {
                assert_eq!(got.map(|x| x.1), Some(LabelMatch::Meaning), "{s}");
            }
        };
        // Wordings no list holds land on their field.
        meaning("主管预算部门", Some("project.department"));
        meaning("项目主管部门", Some("project.department"));
        meaning("业务主管部门", Some("project.department"));
        meaning("主管部门\n及编码", Some("project.department"));
        meaning("主管部门（单位）名称", Some("project.department"));
        meaning("项目执行单位", Some("project.implementing_unit"));
        meaning("项目承担单位", Some("project.implementing_unit"));
        meaning("申报项目名称", Some("project.name"));
        meaning("专项资金名称", Some("project.name"));
        meaning("建设周期", Some("project.period"));
        meaning("项目实施年限", Some("project.period"));
        meaning("项目预算金额（万元）", Some("funding.total"));
        meaning("项目总预算", Some("funding.total"));
        meaning("当年年度预算", Some("funding.annual_total"));
        meaning("年度资金申请总额", Some("funding.annual_total"));
        meaning("年度预算资金总额", Some("funding.annual_total"));
        meaning("中期预算资金总额", Some("funding.total"));
        meaning("年度主要目标和成果", Some("goal"));
        meaning("当年绩效目标", Some("goal"));
        meaning("项目中期目标", Some("long_term_goal"));
        meaning("其中：财政拨款数", Some("funding.own.fiscal"));
        meaning("项目负责人及联系电话", Some("meta.manager"));
        // Two fields are never confused, and what names no field is no label.
        assert_ne!(id("项目支出").map(|x| x.0).as_deref(), Some("project.name"));
        let listed = |s: &str| id(s).map(|x| x.0);
        assert_eq!(
            listed("部门预算编码").as_deref(),
            Some("project.department_code")
        );
        assert_eq!(
            listed("主管部门审核意见").as_deref(),
            Some("meta.department_opinion")
        );
        meaning("业务主管部门意见", None);
        meaning("绩效编制单位", None);
        meaning("市财政资金", None);
        meaning("服务对象满意度", None);
        meaning("道路硬化里程", None);
        meaning("2023年度预算", None);
        meaning("年度预算执行率", None);
        meaning("社会效益指标", None);
    }

    #[test]
    fn framework_vocabulary() {
        let fw = Framework::builtin();
        assert_eq!(fw.level1("产出指标"), Some("产出指标"));
        assert_eq!(fw.level1("效 益 指 标"), Some("效益指标"));
        assert_eq!(
            fw.level2_in("社会效益", Layout::Classic).map(|d| d.class),
            Some(IndicatorClass::Social)
        );
        assert_eq!(
            fw.level2_in("经济效益指标", Layout::National)
                .map(|d| d.parent.as_str()),
            Some("效益指标")
        );
        assert_eq!(
            fw.level2_in("成本指标", Layout::Classic)
                .map(|d| d.parent.as_str()),
            Some("产出指标")
        );
        assert!(fw.level2("网络安全宣传周项目").is_empty());
        assert_eq!(
            fw.required(Layout::National).map(|r| r.level1.len()),
            Some(4)
        );
    }
}
