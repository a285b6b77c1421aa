//! OCI platforms: the `os/arch[/variant]` triple with `os.version` and `os.features`.
//!
//! Owns parsing, normalisation and matching (containerd-exact), plus host detection.
//! This module is a fact module: it depends on nothing else in the crate but [`crate::error`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An OCI platform. JSON form follows the OCI image index (`os.version`, `os.features`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Platform {
    /// Operating system (`linux`, `windows`, …).
    pub os: String,
    /// CPU architecture, GOARCH spelling (`amd64`, `arm64`, `arm`, …).
    pub architecture: String,
    /// Variant (`v7`, `v8`, `v3`), empty when none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
    /// `os.version` (Windows build numbers).
    #[serde(
        rename = "os.version",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
    /// `os.features` (e.g. `win32k`).
    #[serde(rename = "os.features", default, skip_serializing_if = "Vec::is_empty")]
    pub os_features: Vec<String>,
}

impl Platform {
    /// A platform from its three main parts.
    pub fn new(os: &str, architecture: &str, variant: &str) -> Self {
        Platform {
            os: os.to_string(),
            architecture: architecture.to_string(),
            variant: variant.to_string(),
            os_version: None,
            os_features: Vec::new(),
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.os.is_empty() {
            return f.write_str("unknown");
        }
        write!(f, "{}/{}", self.os, self.architecture)?;
        if !self.variant.is_empty() {
            write!(f, "/{}", self.variant)?;
        }
        Ok(())
    }
}

impl FromStr for Platform {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        let parts: Vec<&str> = s.split('/').collect();
        let bad = |reason: &str| crate::Error::InvalidPlatform {
            input: s.to_string(),
            reason: reason.into(),
        };
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform::new(os, arch, "")),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() && !variant.is_empty() => {
                Ok(Platform::new(os, arch, variant))
            }
            _ => Err(bad("expected os/arch[/variant]")),
        }
    }
}
