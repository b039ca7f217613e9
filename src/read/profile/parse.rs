//! Parsing a profile file: the TOML's shape, and how a profile is layered on the one it
//! `extends` and on the common vocabulary of `templates/labels.toml`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{
    Detect, FundingDef, GridRows, NormWords, Profile, ProfileRef, ProfileSource, Profiles, SumDef,
    TaskColumns, Vocabulary,
};
use crate::error::{Error, Result};
use crate::form::{Layout, Level, TableKind, Thresholds};
use crate::read::labels::{FieldDef, Framework, LabelFile, OwnLevels, LABELS_TOML};

/// How the form prints its indicator grid (`[framework]`), and its own levels when it has
/// another framework than `templates/framework.toml`'s.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GridFile {
    #[serde(default)]
    every_level2: Option<bool>,
    #[serde(default)]
    blank_is_none: Option<bool>,
    #[serde(default)]
    level1: Vec<crate::read::labels::Level1Def>,
    #[serde(default)]
    level2: Vec<crate::read::labels::Level2Def>,
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
    short: Option<String>,
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
    #[serde(default)]
    form: Option<crate::model::FormKind>,
    #[serde(default)]
    scoring: Option<crate::selfeval::ScoringFile>,
    #[serde(default)]
    columns: Option<crate::selfeval::ColumnsFile>,
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
        // The lines a profile file defines (this one's, then its base's own) come first.
        let base_own = base.map_or(0, |b| b.own_funding);
        let file_lines = file.funding.len();
        let mut own_funding = 0;
        for (i, f) in file
            .funding
            .into_iter()
            .chain(inherited)
            .chain(common.funding)
            .enumerate()
        {
            if seen.insert(f.key.clone()) {
                funding.push(f);
                if i < file_lines + base_own {
                    own_funding = funding.len();
                }
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
        // The form's own levels (its file's, else its base's), else the built-in framework;
        // then the vocabulary's wordings of them.
        let own_levels = if file.framework.level1.is_empty() && file.framework.level2.is_empty() {
            base.and_then(|b| b.own_levels.clone())
        } else {
            Some(OwnLevels {
                level1: file.framework.level1.clone(),
                level2: file.framework.level2.clone(),
            })
        };
        let own_framework = own_levels.as_ref().map(Framework::from_own).transpose()?;
        let framework = if vocabulary.level1.is_empty() && vocabulary.level2.is_empty() {
            own_framework
        } else {
            let fw = own_framework
                .as_ref()
                .unwrap_or_else(|| Framework::builtin());
            Some(fw.with_words(&vocabulary.level1, &vocabulary.level2)?)
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
        let selfeval = crate::selfeval::Spec::resolve(
            base.and_then(|b| b.selfeval.as_ref()),
            crate::selfeval::SpecFile {
                form: file.form,
                scoring: file.scoring,
                columns: file.columns,
            },
        )?;
        Ok(Profile {
            source: ProfileSource::Builtin,
            extends: file.extends.clone(),
            name: file
                .name
                .or_else(|| base.map(|b| b.name.clone()))
                .unwrap_or_else(|| file.id.clone()),
            // Not inherited: a form extending `national` is not 全国.
            short: file.short.unwrap_or_else(|| file.id.clone()),
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
            own_funding,
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
            selfeval,
            fields,
            labels: OnceLock::new(),
            framework,
            own_levels,
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
}

impl Profile {
    /// A profile with nothing of its own: the common vocabulary only.
    pub(super) fn empty(id: &str) -> Profile {
        #[allow(clippy::expect_used)]
        let mut p = Profile::from_toml_in(&format!("id = \"{id}\""), &Profiles::none())
            .expect("an id alone is a profile");
        p.source = ProfileSource::Builtin;
        p
    }

    /// The default profile's content under another id (a table read elsewhere with a user
    /// profile this process does not have).
    pub(super) fn stand_in(id: &str) -> Profile {
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
