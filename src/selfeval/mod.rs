//! Self-evaluation (绩效自评表) and monitoring (绩效运行监控表) forms: what a profile says about
//! them (its `form`, `[scoring]` and `[columns]`), resolved once when the profile is made.
//!
//! The model's types are [`crate::model::selfeval`]; the scoring function every stage uses is
//! [`scoring::Scoring::score`].

pub mod columns;
pub mod read;
pub mod score;
pub mod scoring;
pub mod words;

use serde::Deserialize;

pub use columns::{Block, Columns, ColumnsFile};
pub use scoring::{score, Band, Direction, ReverseRule, Scoring, ScoringFile};

use crate::model::FormKind;

/// What a profile file says about the self-evaluation or monitoring form it describes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SpecFile {
    /// `form = "self-evaluation"` or `"monitoring"` (absent: a targets table).
    #[serde(default)]
    pub form: Option<FormKind>,
    /// `[scoring]`.
    #[serde(default)]
    pub scoring: Option<ScoringFile>,
    /// `[columns]`.
    #[serde(default)]
    pub columns: Option<ColumnsFile>,
}

/// A profile's self-evaluation / monitoring part, resolved.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Which form the profile reads.
    pub form: FormKind,
    /// How it is scored (the national rules unless the profile says otherwise).
    pub scoring: Scoring,
    /// Its columns.
    pub columns: Columns,
    /// What the profile file wrote, kept for profiles that extend it.
    file: SpecFile,
}

impl Spec {
    /// The part of a profile made from its file and its base's part: `None` for a targets form
    /// (no `form`, no `[scoring]`, no `[columns]`, and a base without one).
    ///
    /// # Errors
    /// When `[scoring]` or `[columns]` is wrong (in Chinese).
    pub fn resolve(base: Option<&Spec>, file: SpecFile) -> Result<Option<Spec>, String> {
        let merged = match base {
            Some(b) => SpecFile {
                form: file.form.or(b.file.form),
                scoring: Some(
                    b.file
                        .scoring
                        .clone()
                        .unwrap_or_default()
                        .layered(&file.scoring.unwrap_or_default()),
                ),
                columns: Some(
                    b.file
                        .columns
                        .clone()
                        .unwrap_or_default()
                        .layered(&file.columns.unwrap_or_default()),
                ),
            },
            None => file,
        };
        let form = merged.form.unwrap_or_default();
        if form.is_targets() && merged.scoring.is_none() && merged.columns.is_none() {
            return Ok(None);
        }
        Ok(Some(Spec {
            form,
            scoring: merged.scoring.clone().unwrap_or_default().resolve()?,
            columns: Columns::resolve(&merged.columns.clone().unwrap_or_default())?,
            file: merged,
        }))
    }
}
