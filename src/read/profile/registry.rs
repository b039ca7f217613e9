//! The profiles a run knows ([`Profiles`]): the built-ins, parsed once, and the user's, read
//! from files and `jixiao-profiles` folders.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::{Profile, ProfileRef, BUILTIN};
use crate::error::{Error, Result};

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
    pub(super) fn none() -> Profiles {
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
}
