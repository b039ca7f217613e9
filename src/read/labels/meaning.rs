//! Labels by meaning: a wording no list holds, read from the words it is made of
//! (`项目主管部门` → the department field).

use std::sync::OnceLock;

use serde::Deserialize;

use super::{normalize_label, MEANING_TOML};

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
    /// Words a form prints in place of another (`专项` for `项目`): a label holding the first
    /// is read as the same label with the second.
    #[serde(default)]
    alike: Vec<[String; 2]>,
    /// The longest label read by meaning, in characters (after brackets and a cut part are
    /// set aside).
    #[serde(default = "default_max_chars")]
    max_chars: usize,
    /// How much of a label a rule's words must cover, in percent.
    #[serde(default = "default_min_cover")]
    min_cover: usize,
    /// The levels of government a label may open with (`中央主管部门`, `省级主管部门`,
    /// `区县主管部门`), highest first, each with its words: a regional table prints one
    /// department per level, and the table is the lowest level's.
    #[serde(default)]
    tiers: Vec<Vec<String>>,
    /// Words naming the span of time a line is of (`当年`, `本年度`), printed before a line's
    /// listed wording (`当年其他资金`): the label is that line of that span, unless a rule
    /// reads the whole label.
    #[serde(default)]
    span: Vec<String>,
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

    pub(super) fn normalized(mut self) -> Meaning {
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
        norm(&mut self.span);
        for pair in &mut self.alike {
            for w in pair.iter_mut() {
                *w = normalize_label(w);
            }
        }
        self.alike.retain(|[a, b]| !a.is_empty() && a != b);
        for t in &mut self.tiers {
            norm(t);
        }
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

    /// The level of government a normalised label opens with (0 the highest, see `tiers`):
    /// the longest word that starts it decides (`区县` before `区`).
    pub(super) fn tier(&self, norm: &str) -> Option<usize> {
        self.tiers
            .iter()
            .enumerate()
            .flat_map(|(k, words)| words.iter().map(move |w| (k, w)))
            .filter(|(_, w)| norm.starts_with(w.as_str()))
            .max_by_key(|(_, w)| w.len())
            .map(|(k, _)| k)
    }

    /// The label read with each word a form prints in place of another replaced by that other
    /// (`专项立项依据` → `项目立项依据`).
    pub(super) fn alike<'a>(&'a self, norm: &'a str) -> impl Iterator<Item = String> + 'a {
        self.alike
            .iter()
            .filter(move |[a, _]| norm.contains(a.as_str()))
            .map(move |[a, b]| norm.replacen(a.as_str(), b, 1))
    }

    /// The longest label read by what it says (`max_chars`).
    pub(super) fn max_chars(&self) -> usize {
        self.max_chars
    }

    /// What a normalised label says, with brackets (`(单位)`, `(万元)`, `(2019年--2021年)`) and
    /// the part after a joining word set aside; `None` when it is too long, empty or holds a
    /// digit outside brackets (a value).
    pub(super) fn core(&self, norm: &str) -> Option<String> {
        if norm.bytes().any(|b| b.is_ascii_digit()) && !norm.contains(['(', '[', '【']) {
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
    pub(super) fn field<'a>(&'a self, core: &str) -> Option<&'a str> {
        self.field_cover(core).map(|(f, _)| f)
    }

    /// [`Meaning::field`] with how much of the label its rule's words cover, in percent.
    pub(super) fn field_cover<'a>(&'a self, core: &str) -> Option<(&'a str, usize)> {
        let chars: Vec<char> = core.chars().collect();
        // The label without a tail word after its head (`主管部门名称` → `主管部门`), the same
        // for every rule.
        let bare = self
            .tail
            .iter()
            .find_map(|t| core.strip_suffix(t.as_str()))
            .filter(|b| !b.is_empty());
        let mut best: Option<((usize, usize), &str)> = None;
        let mut tie = false;
        for r in &self.rule {
            let Some(score) = self.score(r, core, bare, &chars) else {
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
        best.filter(|_| !tie).map(|((cover, _), f)| (f, cover))
    }

    /// The label after a word naming the span of time it is of, at its start (`当年其他资金`
    /// → `其他资金`), when it opens with one (`span`).
    pub(super) fn after_span<'a>(&self, core: &'a str) -> Option<&'a str> {
        self.span
            .iter()
            .find_map(|w| core.strip_prefix(w.as_str()))
            .filter(|rest| !rest.is_empty())
    }

    fn score(
        &self,
        r: &MeaningRule,
        core: &str,
        bare: Option<&str>,
        chars: &[char],
    ) -> Option<(usize, usize)> {
        if r.not.iter().any(|w| core.contains(w.as_str())) {
            return None;
        }
        // The head at the end, perhaps with a tail word after it.
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
