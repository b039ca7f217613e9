//! [`ProfileRef`]: the copyable handle a table holds to its profile.

use serde::{Deserialize, Serialize};

use super::{builtin, builtins, Profile, DEFAULT_PROFILE};

/// A profile shared by every table read with it: a copyable handle, compared by id, written
/// in JSON as its id (`"profile": "ningxia"`).
///
/// Profiles live for the rest of the process once loaded (the reader's label tables borrow
/// from them for as long as it runs): the built-ins are parsed once, and a user's profile file
/// once per [`Profiles`](super::Profiles) value and path, so the memory they take does not grow with the number
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
