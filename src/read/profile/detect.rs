//! Detection: which profile a sheet's words name ([`Profiles::detect`]).

use std::collections::HashSet;

use super::{ProfileRef, Profiles, DEFAULT_PROFILE};
use crate::read::labels::normalize_label;

/// The fewest of a profile's own words a sheet must hold for the profile to be picked.
const MIN_WORDS: usize = 2;

/// The fewest characters of a title phrase that picks a profile alone.
const MIN_PHRASE: usize = 6;

impl Profiles {
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
        self.detect_among(texts, |_| true)
    }

    /// [`Profiles::detect_normalized`] among the profiles `keep` accepts (the default
    /// profile when none of them is named).
    pub(crate) fn detect_among<'t>(
        &self,
        texts: impl IntoIterator<Item = &'t str>,
        keep: impl Fn(&super::Profile) -> bool,
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
        for p in self.iter().filter(|p| keep(p.get())) {
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
            // One short word is no evidence of a form (`申报表` is in many provinces' titles):
            // a profile is claimed from two of its words at least, or from one phrase of its
            // title long enough to name the form (`县级部门预算项目绩效目标表`).
            let phrase = |w: &String| w.chars().count() >= MIN_PHRASE;
            if found.len() < MIN_WORDS && !found.iter().any(phrase) {
                continue;
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
