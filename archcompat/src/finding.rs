//! The shared vocabulary of results: cause codes, findings and fixes.
//!
//! These are plain data types. Fact modules ([`crate::platform`], [`crate::binary`],
//! [`crate::manifest`], [`crate::image`]) never produce them; the findings layer
//! ([`crate::check`], [`crate::diagnose`], [`crate::dockerfile`]) does, possibly naming the
//! fixes it wants in [`FixRequest`]s, and the fix module fills in [`Fix`]es from its
//! catalogue. The serde form is the public JSON contract (`shared/docs/contract.md`).

use crate::platform::Platform;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A stable, documented slug for what is wrong. Serialised in kebab-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum CauseCode {
    /// Image or binary built for another CPU than the host, no emulation in place.
    ArchMismatch,
    /// The image index has no entry for the requested platform.
    NoMatchingManifest,
    /// Same architecture, incompatible variant (arm/v7 vs v6, amd64 level).
    VariantMismatch,
    /// The engine picked an image whose platform differs from the host.
    PlatformWarning,
    /// Windows image on a Linux engine or the reverse.
    OsMismatch,
    /// A Mach-O, PE or host-built native module inside a Linux image.
    WrongOsBinary,
    /// The image's declared platform disagrees with the binaries inside it.
    ImageMislabeled,
    /// The build hard-codes one architecture.
    HardcodedArch,
    /// No binfmt/QEMU handler for a foreign platform.
    EmulationMissing,
    /// The emulator itself fails.
    EmulationCrash,
    /// The ELF interpreter or the script's `#!` interpreter does not exist in the image.
    MissingInterpreter,
    /// Binary or libc needs a newer CPU level or extension than the host has.
    IsaLevelTooHigh,
    /// Built for 4 KiB pages, kernel uses 16/64 KiB.
    PageSizeMismatch,
    /// A script with no `#!` on its first line.
    MissingShebang,
    /// `#!` line ends in CR (Windows line endings).
    CrlfLineEndings,
    /// A BOM before `#!` or before a Dockerfile instruction.
    ByteOrderMark,
    /// A Git LFS pointer file where a binary was expected.
    LfsPointer,
    /// HTML/XML error page, truncated download, archive or other data where a program was expected.
    NotExecutableContent,
    /// The buildx driver/exporter cannot do what was asked.
    BuilderUnsupported,
    /// A consumer rejects an index because of attestation manifests.
    AttestationUnsupported,
    /// (Added by archcompat.) A platform ARG (`$TARGETARCH`, `$BUILDPLATFORM`, …) is used in a
    /// Dockerfile stage that does not declare it, so it expands to nothing there.
    PlatformArgUndeclared,
    /// (Added by archcompat.) A `--platform` that changes nothing (`FROM --platform=$TARGETPLATFORM`).
    RedundantPlatform,
    /// (Added by archcompat.) The image's ENTRYPOINT/CMD program does not exist in the image or
    /// cannot be resolved (a dangling link, a symbolic-link loop or too long a chain): exec fails
    /// with ENOENT or ELOOP.
    EntrypointNotFound,
}

impl CauseCode {
    /// Every cause code, in contract order.
    pub const ALL: &'static [CauseCode] = &[
        CauseCode::ArchMismatch,
        CauseCode::NoMatchingManifest,
        CauseCode::VariantMismatch,
        CauseCode::PlatformWarning,
        CauseCode::OsMismatch,
        CauseCode::WrongOsBinary,
        CauseCode::ImageMislabeled,
        CauseCode::HardcodedArch,
        CauseCode::EmulationMissing,
        CauseCode::EmulationCrash,
        CauseCode::MissingInterpreter,
        CauseCode::IsaLevelTooHigh,
        CauseCode::PageSizeMismatch,
        CauseCode::MissingShebang,
        CauseCode::CrlfLineEndings,
        CauseCode::ByteOrderMark,
        CauseCode::LfsPointer,
        CauseCode::NotExecutableContent,
        CauseCode::BuilderUnsupported,
        CauseCode::AttestationUnsupported,
        CauseCode::PlatformArgUndeclared,
        CauseCode::RedundantPlatform,
        CauseCode::EntrypointNotFound,
    ];

    /// What is wrong, in one sentence (the contract's table).
    pub fn description(self) -> &'static str {
        match self {
            CauseCode::ArchMismatch => {
                "Image or binary built for another CPU than the host, no emulation in place."
            }
            CauseCode::NoMatchingManifest => {
                "The image index has no entry for the requested platform."
            }
            CauseCode::VariantMismatch => {
                "Same architecture, incompatible variant (arm/v7 vs v6, amd64 level)."
            }
            CauseCode::PlatformWarning => {
                "The engine picked an image whose platform differs from the host."
            }
            CauseCode::OsMismatch => "Windows image on a Linux engine or the reverse.",
            CauseCode::WrongOsBinary => {
                "A Mach-O, PE or host-built native module inside a Linux image."
            }
            CauseCode::ImageMislabeled => {
                "The image's declared platform disagrees with the binaries inside it."
            }
            CauseCode::HardcodedArch => "The build hard-codes one architecture.",
            CauseCode::EmulationMissing => "No binfmt/QEMU handler for a foreign platform.",
            CauseCode::EmulationCrash => {
                "The emulator itself fails (QEMU/Rosetta crashes, old Go runtimes under QEMU)."
            }
            CauseCode::MissingInterpreter => {
                "The ELF interpreter or the script's #! interpreter does not exist in the image."
            }
            CauseCode::IsaLevelTooHigh => {
                "Binary or libc needs a newer CPU level or extension than the host has."
            }
            CauseCode::PageSizeMismatch => "Built for 4 KiB pages, kernel uses 16/64 KiB.",
            CauseCode::MissingShebang => "A script with no #! on its first line.",
            CauseCode::CrlfLineEndings => "The #! line ends in CR (Windows line endings).",
            CauseCode::ByteOrderMark => "A BOM before #! or before a Dockerfile instruction.",
            CauseCode::LfsPointer => "A Git LFS pointer file where a binary was expected.",
            CauseCode::NotExecutableContent => {
                "HTML/XML error page, truncated download, archive or other data where a program was expected."
            }
            CauseCode::BuilderUnsupported => "The buildx driver/exporter cannot do what was asked.",
            CauseCode::AttestationUnsupported => {
                "A consumer rejects an index because of attestation manifests."
            }
            CauseCode::PlatformArgUndeclared => {
                "A platform ARG is used in a Dockerfile stage that does not declare it."
            }
            CauseCode::RedundantPlatform => {
                "A --platform that changes nothing (FROM --platform=$TARGETPLATFORM)."
            }
            CauseCode::EntrypointNotFound => {
                "The ENTRYPOINT/CMD program does not exist in the image or cannot be resolved (ENOENT, ELOOP)."
            }
        }
    }

    /// The kebab-case slug, as in the contract.
    pub fn as_str(self) -> &'static str {
        match self {
            CauseCode::ArchMismatch => "arch-mismatch",
            CauseCode::NoMatchingManifest => "no-matching-manifest",
            CauseCode::VariantMismatch => "variant-mismatch",
            CauseCode::PlatformWarning => "platform-warning",
            CauseCode::OsMismatch => "os-mismatch",
            CauseCode::WrongOsBinary => "wrong-os-binary",
            CauseCode::ImageMislabeled => "image-mislabeled",
            CauseCode::HardcodedArch => "hardcoded-arch",
            CauseCode::EmulationMissing => "emulation-missing",
            CauseCode::EmulationCrash => "emulation-crash",
            CauseCode::MissingInterpreter => "missing-interpreter",
            CauseCode::IsaLevelTooHigh => "isa-level-too-high",
            CauseCode::PageSizeMismatch => "page-size-mismatch",
            CauseCode::MissingShebang => "missing-shebang",
            CauseCode::CrlfLineEndings => "crlf-line-endings",
            CauseCode::ByteOrderMark => "byte-order-mark",
            CauseCode::LfsPointer => "lfs-pointer",
            CauseCode::NotExecutableContent => "not-executable-content",
            CauseCode::BuilderUnsupported => "builder-unsupported",
            CauseCode::AttestationUnsupported => "attestation-unsupported",
            CauseCode::PlatformArgUndeclared => "platform-arg-undeclared",
            CauseCode::RedundantPlatform => "redundant-platform",
            CauseCode::EntrypointNotFound => "entrypoint-not-found",
        }
    }
}

impl fmt::Display for CauseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for CauseCode {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        CauseCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| crate::Error::Unsupported {
                input: s.to_string(),
                reason: "not a known cause code (see `archcompat fix --list`)".into(),
            })
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Informational.
    Info,
    /// Probably a problem, or a problem on some hosts.
    Warning,
    /// Will fail.
    Error,
}

/// Where a finding points in the user's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// File path (or image path, or `-` for stdin).
    pub path: String,
    /// 1-based line number, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (in characters) where the finding starts on `line`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// 1-based column just past the end of the finding on `line`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
}

impl Location {
    /// A location at a line of a file.
    pub fn line(path: impl Into<String>, line: u32) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            column: None,
            end_column: None,
        }
    }
}

/// One piece of evidence behind a finding: what was read, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What was read or observed, in words (already redacted when it echoes user text).
    pub detail: String,
    /// The file path the evidence comes from (inside an image, or on disk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The image layer (blob digest) the file came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// 1-based line number in a log or file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Evidence {
    /// Evidence with only a detail.
    pub fn detail(detail: impl Into<String>) -> Self {
        Evidence {
            detail: detail.into(),
            path: None,
            layer: None,
            line: None,
        }
    }
}

/// Which ecosystem a fix applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixTarget {
    /// The `docker` command line.
    DockerCli,
    /// `docker buildx`.
    Buildx,
    /// A Dockerfile.
    Dockerfile,
    /// A compose file.
    Compose,
    /// Kubernetes manifests.
    Kubernetes,
    /// ECS task definitions.
    Ecs,
    /// AWS Lambda.
    Lambda,
    /// GitHub Actions workflows.
    GithubActions,
    /// GitLab CI.
    GitlabCi,
    /// binfmt_misc / QEMU registration.
    Binfmt,
    /// Go builds.
    Go,
    /// Rust builds.
    Rust,
    /// Node builds.
    Node,
    /// A file's content (line endings, BOM, LFS).
    File,
}

/// A concrete, ready-to-paste change.
///
/// Text that is the fix catalogue's own (an id, a title or explanation without placeholders)
/// is borrowed from it ([`Cow::Borrowed`]); text filled with or taken from the user's input
/// is owned. Only owned text can carry a secret, so redaction looks at owned text alone (the
/// test `fix::catalogue::tests::static_texts_are_clean` proves the catalogue's own text
/// unchanged by redaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Stable identifier of this fix kind (e.g. `buildx-multiarch-push`).
    pub id: Cow<'static, str>,
    /// One-line title.
    pub title: Cow<'static, str>,
    /// Why this fixes the cause.
    pub why: Cow<'static, str>,
    /// The ecosystem it applies to.
    pub applies_to: FixTarget,
    /// Exact text to paste.
    pub snippet: Cow<'static, str>,
    /// Unified diff against the user's own input, when we rewrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// What is known about the situation a fix must fit: the values the fix catalogue fills its
/// templates with (checks describe the situation; `fix::attach` writes the fixes).
#[derive(Debug, Clone, Default)]
pub struct FixContext {
    /// Where the image or binary must run.
    pub host: Option<Platform>,
    /// The platforms the image (or binary) is built for / available in the index.
    pub targets: Vec<Platform>,
    /// The image reference, when known.
    pub image: Option<String>,
    /// The file involved (script, binary, Dockerfile), when known.
    pub path: Option<String>,
    /// The missing or wrong interpreter (`/lib64/ld-linux-x86-64.so.2`, `/bin/bash`).
    pub interpreter: Option<String>,
}

impl FixContext {
    /// A context from what a user types: a host (platform, alias or profile name), the image's
    /// platforms (specifiers or aliases), the image reference, the file and the interpreter.
    pub fn from_specs(
        host: Option<&str>,
        platforms: &[String],
        image: Option<String>,
        path: Option<String>,
        interpreter: Option<String>,
    ) -> crate::Result<FixContext> {
        let host = match host {
            Some(h) => Some(crate::platform::Host::resolve(h)?.platform),
            None => None,
        };
        let targets = platforms
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<Platform>())
            .collect::<crate::Result<Vec<_>>>()?;
        Ok(FixContext {
            host,
            targets,
            image,
            path,
            interpreter,
        })
    }
}

/// One problem found, with its evidence and the fixes that apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The cause code.
    pub code: CauseCode,
    /// How bad it is.
    pub severity: Severity,
    /// Human-readable message.
    pub message: String,
    /// What was read that shows it.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Where in the user's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Fixes that apply.
    #[serde(default)]
    pub fixes: Vec<Fix>,
    /// The fixes the check that made this finding asks for (filled from the fix catalogue at
    /// the end of the pipeline, then cleared; empty: the catalogue's offers for the code).
    #[serde(skip)]
    pub requests: Vec<FixRequest>,
}

/// A fix a check asks the catalogue (`fix::catalogue`) for, with what only the check knows.
/// Checks never write fix text; they name an entry and pass values for its placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FixRequest {
    /// The catalogue entry (`None`: every entry offered for the finding's cause code).
    pub id: Option<&'static str>,
    /// Values for the entry's placeholders that only the check knows (`path`, `name`, …).
    pub values: Vec<(&'static str, String)>,
    /// The corrected text, for mechanical fixes (replaces the entry's snippet).
    pub snippet: Option<String>,
    /// A unified diff against the user's input, for mechanical fixes.
    pub diff: Option<String>,
}

impl FixRequest {
    /// Ask for the entry `id`.
    pub fn id(id: &'static str) -> Self {
        FixRequest {
            id: Some(id),
            ..FixRequest::default()
        }
    }

    /// Ask for every entry offered for the finding's code.
    pub fn offers() -> Self {
        FixRequest::default()
    }

    /// With a value for a placeholder.
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.values.push((key, value.into()));
        self
    }
}

impl Finding {
    /// A finding with no evidence, location or fixes yet.
    pub fn new(code: CauseCode, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity,
            message: message.into(),
            evidence: Vec::new(),
            location: None,
            fixes: Vec::new(),
            requests: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_codes_round_trip_through_serde_and_from_str() {
        for code in CauseCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: CauseCode = serde_json::from_str(&json).unwrap();
            assert_eq!(back, *code);
            assert_eq!(code.as_str().parse::<CauseCode>().unwrap(), *code);
        }
        assert!("exec-format".parse::<CauseCode>().is_err());
    }

    #[test]
    fn finding_json_shape_follows_contract() {
        let mut f = Finding::new(
            CauseCode::ArchMismatch,
            Severity::Error,
            "arm64 binary on amd64",
        );
        f.location = Some(Location::line("Dockerfile", 3));
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["code"], "arch-mismatch");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["location"]["line"], 3);
        assert!(v["evidence"].as_array().unwrap().is_empty());
        assert!(v["fixes"].as_array().unwrap().is_empty());
    }
}
