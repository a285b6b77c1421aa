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
// TEMP SHIM (never committed)
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runs {
    Native,
    Compatible,
    Emulated,
    No,
}
#[allow(missing_docs)]
#[derive(Debug, Clone)]
pub struct RunVerdict {
    pub runs: Runs,
    pub reason: String,
}
#[allow(missing_docs)]
#[derive(Debug, Clone)]
pub struct Host {
    pub platform: Platform,
    pub page_size: u64,
}
#[allow(missing_docs)]
impl Host {
    pub fn from_platform(p: Platform) -> Host {
        Host {
            platform: p,
            page_size: 4096,
        }
    }
    pub fn resolve(s: &str) -> crate::Result<Host> {
        Ok(Host::from_platform(s.parse()?))
    }
    pub fn detect() -> crate::Result<Host> {
        Host::resolve("linux/amd64")
    }
    pub fn runs(&self, p: &Platform) -> RunVerdict {
        let a = self.platform.normalize();
        let b = p.normalize();
        if a.os == b.os && a.architecture == b.architecture {
            RunVerdict {
                runs: Runs::Native,
                reason: "same".into(),
            }
        } else {
            RunVerdict {
                runs: Runs::No,
                reason: format!("{} cannot run {}", a, b),
            }
        }
    }
}
#[allow(missing_docs)]
impl Platform {
    pub fn normalize(&self) -> Platform {
        let mut p = self.clone();
        p.architecture = match p.architecture.as_str() {
            "aarch64" => "arm64".into(),
            "x86_64" => "amd64".into(),
            a => a.into(),
        };
        if p.architecture == "arm64" && p.variant == "v8" {
            p.variant.clear();
        }
        p
    }
}
#[allow(missing_docs)]
pub mod matcher {
    use super::Platform;
    #[derive(Debug)]
    pub struct Matcher(Platform);
    pub fn only(p: &Platform) -> Matcher {
        Matcher(p.normalize())
    }
    impl Matcher {
        pub fn matches(&self, p: &Platform) -> bool {
            let q = p.normalize();
            q.os == self.0.os && q.architecture == self.0.architecture
        }
        pub fn less(&self, a: &Platform, b: &Platform) -> bool {
            self.matches(a) && !self.matches(b)
        }
    }
}
