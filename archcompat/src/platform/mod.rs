//! OCI platforms: the `os/arch[/variant]` triple with `os.version` and `os.features`.
//!
//! Owns parsing, normalisation, matching and ranking — containerd-exact, following
//! `github.com/containerd/platforms` v1.0.0-rc.5 (rc.4 plus the Windows LTSC-floor fix of
//! PR #34, which is what containerd main vendors) — plus the aliases people actually type,
//! host detection and named deployment profiles. This module is a fact module: it depends
//! on nothing else in the crate but [`crate::error`].
//!
//! * [`parse`] — containerd `Parse` ([`Platform::parse_containerd`]) and `FormatAll`'s
//!   option encoding; [`Platform::format_all`] and `Display` (= `Format`).
//! * [`normalize`] — containerd `Normalize` and its name tables; [`Defaults`] stands for
//!   containerd's `runtime.GOOS` / `GOARCH` / `cpuVariant()` and can be injected.
//! * [`matcher`] — `NewMatcher`, `Only`, `OnlyStrict`, `OnlyOS`, `Ordered`, `Any`, `All`
//!   and the Windows comparer, each with `Match` and containerd's `Less`.
//! * [`alias`] — spellings from other ecosystems (`uname -m`, Debian, Go, Rust triples,
//!   Kubernetes, ECS, Lambda), both directions ([`Platform::alias`]).
//! * [`host`] — what a machine really runs: [`Host`], [`Runs`], [`RunVerdict`], built on the
//!   probes of [`detect`] and [`binfmt`]; [`profile`] — named deployment targets.
//! * [`doc`] — the `platform parse` / `platform match` JSON documents shared by the CLI and
//!   the bindings.
//!
//! Tests: containerd's own tables re-typed in `tests/platform_containerd.rs`, aliases in
//! `tests/platform_alias.rs`, host facts and verdicts in `tests/platform_host.rs`,
//! properties in `tests/platform_props.rs`.
//!
//! # Deliberate, tested differences from containerd
//!
//! 1. [`Platform::from_str`] accepts, on top of containerd's grammar, the user aliases of
//!    [`alias`]: specifiers containerd rejects (`armv7l`, `i686`, `x64`,
//!    `aarch64-unknown-linux-musl`, `GOARCH=arm GOARM=6`) and architectures containerd
//!    passes through unrecognised (`linux/armv7l`, `linux/ppc64el`) become the canonical
//!    platform. Everything else parses exactly as containerd parses it; use
//!    [`Platform::parse_containerd`] for the exact answer (`tests/platform_alias.rs`).
//! 2. A percent escape in `os.version` / `os.features` that decodes to invalid UTF-8 is an
//!    error (Go keeps the raw bytes); specifiers longer than [`parse::MAX_SPECIFIER_LEN`]
//!    are rejected.
//! 3. `Only` compatibility vectors are evaluated lazily: `amd64/v1000000000` does not
//!    allocate a billion entries (containerd would); the answers and the ranking are the
//!    same (`benches/benches/platform.rs` measures it).
//! 4. [`Host::runs`] goes beyond containerd's optimistic vectors: an arm64 host without
//!    AArch32, or an amd64 kernel without IA-32 emulation, answers `no` for the 32-bit
//!    images containerd would still select, and a known x86-64 level (or arm64 ISA level)
//!    is matched the way moby does with `go-archvariant` (`tests/platform_host.rs`).
//!    The plain matchers in [`matcher`] stay exactly containerd's.
//!
//! Not a difference but worth knowing: like containerd, `Format` path-cleans, so a
//! component `.` or `..` does not survive formatting (`linux/386/..` formats as `linux`).

pub mod alias;
// Host probing has no caller in the wasm build (the page has no host to probe).
#[cfg_attr(target_family = "wasm", allow(dead_code, unused_imports))]
pub mod binfmt;
// Host probing has no caller in the wasm build (the page has no host to probe).
#[cfg_attr(target_family = "wasm", allow(dead_code, unused_imports))]
pub mod detect;
pub mod doc;
// Host probing has no caller in the wasm build (the page has no host to probe).
#[cfg_attr(target_family = "wasm", allow(dead_code, unused_imports))]
pub mod host;
pub mod matcher;
pub mod normalize;
pub mod parse;
pub mod profile;

pub use alias::AliasKind;
pub use host::{CandidateVerdict, Emulator, Host, HostReport, MatchReport, RunVerdict, Runs};
pub use matcher::Matcher;
pub use normalize::Defaults;

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

    /// containerd `Parse`, exactly: no user aliases (see `parse_with` to choose
    /// the host defaults).
    ///
    /// ```
    /// use archcompat::Platform;
    /// assert!(Platform::parse_containerd("armv7l").is_err());
    /// assert_eq!(Platform::parse_containerd("linux/armv7l").unwrap().architecture, "armv7l");
    /// ```
    pub fn parse_containerd(specifier: &str) -> crate::Result<Platform> {
        parse::parse(specifier)
    }

    /// containerd `Normalize`: lower-cased OS (`macos` → `darwin`, empty → this host's OS),
    /// architecture aliases and variant defaults, features sorted and de-duplicated.
    ///
    /// ```
    /// use archcompat::Platform;
    /// let p = Platform::new("Linux", "aarch64", "v8").normalize();
    /// assert_eq!(p, Platform::new("linux", "arm64", ""));
    /// assert_eq!(Platform::new("linux", "arm", "").normalize().variant, "v7");
    /// ```
    pub fn normalize(&self) -> Platform {
        self.normalize_with(Defaults::current())
    }

    /// [`Platform::normalize`] with explicit host defaults (used for an empty OS only).
    pub fn normalize_with(&self, defaults: &Defaults) -> Platform {
        let (architecture, variant) = normalize::normalize_arch(&self.architecture, &self.variant);
        let mut os_features = self.os_features.clone();
        os_features.sort();
        os_features.dedup();
        Platform {
            os: normalize::normalize_os(&self.os, defaults),
            architecture,
            variant,
            os_version: self.os_version.clone(),
            os_features,
        }
    }

    /// containerd `FormatAll`: like [`Display`](fmt::Display) but with
    /// `os(<version>+<feature>…)` when `os.version` or `os.features` are set (percent-encoded,
    /// features sorted, empty and duplicate features skipped).
    ///
    /// ```
    /// use archcompat::Platform;
    /// let p: Platform = "windows(10.0.17763+win32k)/amd64".parse().unwrap();
    /// assert_eq!(p.to_string(), "windows/amd64");
    /// assert_eq!(p.format_all(), "windows(10.0.17763+win32k)/amd64");
    /// ```
    pub fn format_all(&self) -> String {
        if self.os.is_empty() {
            return "unknown".into();
        }
        let version = self.os_version.as_deref().unwrap_or("");
        if version.is_empty() && self.os_features.is_empty() {
            return go_path_join(&[&self.os, &self.architecture, &self.variant]);
        }
        let mut os = self.os.clone();
        let osv = parse::encode_option(version);
        let mut features: Vec<&str> = self.os_features.iter().map(String::as_str).collect();
        features.sort_unstable();
        features.dedup();
        let formatted: Vec<String> = features
            .iter()
            .filter(|f| !f.is_empty())
            .map(|f| parse::encode_option(f))
            .collect();
        if !osv.is_empty() || !formatted.is_empty() {
            os.push('(');
            os.push_str(&osv);
            if !formatted.is_empty() {
                os.push('+');
                os.push_str(&formatted.join("+"));
            }
            os.push(')');
        }
        go_path_join(&[&os, &self.architecture, &self.variant])
    }

    /// This platform spelled for another ecosystem (`uname -m`, Debian, Rust triple, …);
    /// `None` when that ecosystem has no name for it.
    ///
    /// ```
    /// use archcompat::{AliasKind, Platform};
    /// let p: Platform = "linux/arm/v7".parse().unwrap();
    /// assert_eq!(p.alias(AliasKind::Debian).as_deref(), Some("armhf"));
    /// assert_eq!(p.alias(AliasKind::RustTriple).as_deref(), Some("armv7-unknown-linux-gnueabihf"));
    /// assert_eq!(p.alias(AliasKind::LambdaArchitecture), None);
    /// ```
    pub fn alias(&self, kind: AliasKind) -> Option<String> {
        alias::format_as(self, kind)
    }

    /// Convert to oci-spec's descriptor platform (unknown names kept verbatim).
    pub fn to_oci(&self) -> oci_spec::image::Platform {
        let mut p = oci_spec::image::Platform::default();
        // oci-spec maps some names to the wrong variant (`armbe` → `arm64be`): keep the
        // exact string whenever its enum would not print it back.
        let os = oci_spec::image::Os::from(self.os.as_str());
        let os = if os.to_string() == self.os {
            os
        } else {
            oci_spec::image::Os::Other(self.os.clone())
        };
        let arch = oci_spec::image::Arch::from(self.architecture.as_str());
        let arch = if arch.to_string() == self.architecture {
            arch
        } else {
            oci_spec::image::Arch::Other(self.architecture.clone())
        };
        p.set_os(os);
        p.set_architecture(arch);
        p.set_variant(Some(self.variant.clone()).filter(|v| !v.is_empty()));
        p.set_os_version(self.os_version.clone());
        p.set_os_features(Some(self.os_features.clone()).filter(|f| !f.is_empty()));
        p
    }
}

impl From<&oci_spec::image::Platform> for Platform {
    fn from(p: &oci_spec::image::Platform) -> Self {
        Platform {
            os: p.os().to_string(),
            architecture: p.architecture().to_string(),
            variant: p.variant().clone().unwrap_or_default(),
            os_version: p.os_version().clone().filter(|v| !v.is_empty()),
            os_features: p.os_features().clone().unwrap_or_default(),
        }
    }
}

impl From<oci_spec::image::Platform> for Platform {
    fn from(p: oci_spec::image::Platform) -> Self {
        Platform::from(&p)
    }
}

impl From<&Platform> for oci_spec::image::Platform {
    fn from(p: &Platform) -> Self {
        p.to_oci()
    }
}

/// Go `path.Join`: join the non-empty elements with `/` and clean the result.
fn go_path_join(elems: &[&str]) -> String {
    let joined: Vec<&str> = elems.iter().copied().filter(|e| !e.is_empty()).collect();
    if joined.is_empty() {
        return String::new();
    }
    go_path_clean(&joined.join("/"))
}

/// Go `path.Clean`.
fn go_path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

impl fmt::Display for Platform {
    /// containerd `Format`: `os/arch[/variant]` (empty parts skipped, path-cleaned), or
    /// `unknown` when the OS is empty. Not normalised.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.os.is_empty() {
            return f.write_str("unknown");
        }
        f.write_str(&go_path_join(&[
            &self.os,
            &self.architecture,
            &self.variant,
        ]))
    }
}

impl FromStr for Platform {
    type Err = crate::Error;
    /// containerd `Parse`, plus the user aliases (see [`AliasKind`](crate::AliasKind)).
    fn from_str(s: &str) -> crate::Result<Self> {
        alias::parse_lenient(s, Defaults::current())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The suites against containerd's cases, aliases, the host probe and properties (`tests/`).
    mod alias;
    mod containerd;
    mod host;
    mod props;

    #[test]
    fn path_clean_like_go() {
        assert_eq!(go_path_join(&["linux", "..", ""]), ".");
        assert_eq!(go_path_join(&["linux", "arm", "."]), "linux/arm");
        assert_eq!(go_path_join(&["linux", "", ""]), "linux");
        assert_eq!(go_path_clean("a/../../b"), "../b");
    }
}
