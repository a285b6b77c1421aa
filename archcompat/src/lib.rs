//! # archcompat
//!
//! Answers, before a deploy or right after a crash, *"will this container run on that
//! machine, and if not, why, and exactly what do I change?"*
//!
//! The crate is layered so that data flows one way:
//!
//! * **facts** — [`platform`] (OCI platforms, containerd-exact matching, host detection),
//!   [`binary`] (what an executable is and needs, from its bytes), [`manifest`] and
//!   [`image`] (indexes, manifests, configs and layers);
//! * **findings** — [`check`] (binary problems for a host, image verdicts), [`diagnose`]
//!   (error logs), [`dockerfile`] (lint), all expressed in the vocabulary of [`finding`];
//! * **fixes** — [`fix`] (ready-to-paste changes and rewrites of the user's own input).
//!
//! [`redact`] scrubs secrets from any user text before it is echoed, and [`report`] renders
//! findings to exchange formats (SARIF). Facts never depend on findings or fixes.
//!
//! ```
//! use archcompat::platform::{Host, Platform, Runs};
//! let p: Platform = "linux/arm64/v8".parse()?;
//! assert_eq!(p.to_string(), "linux/arm64/v8");
//! // Can an AWS Graviton2 host run an amd64 image? Not without emulation.
//! let host = Host::resolve("aws-graviton2")?;
//! let verdict = host.runs(&"linux/amd64".parse::<Platform>()?);
//! assert_eq!(verdict.runs, Runs::No);
//! # Ok::<(), archcompat::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Facts.
pub mod binary;
pub mod image;
pub mod manifest;
pub mod platform;

// Vocabulary and errors.
pub mod error;
pub mod finding;

// Findings, fixes and rendering.
pub mod check;
pub mod diagnose;
pub mod dockerfile;
pub mod fix;
pub mod redact;
pub mod report;

// The front doors' pipelines (facts → findings → fixes), once.
mod pipeline;

// The curated public API: what a user of the library needs, at the crate root. The CLI and
// the bindings use only these names.

/// Errors: one type, every variant names its input.
pub use error::{Error, Result};

/// Platforms: the OCI platform, hosts (this machine, a platform, or a named profile), and how
/// a host runs a platform.
pub use platform::{AliasKind, Emulator, Host, HostReport, Matcher, Platform, RunVerdict, Runs};

/// Binaries: what a file is and needs, from its bytes.
pub use binary::{BinaryInfo, Details, Format, classify};

/// Images: reading options and limits, and the verdict report.
pub use check::image::{ImageReport, SelectedReport, Verdict};
pub use image::{Limits, Options, Progress};

/// Inspecting files.
pub use check::binary::InspectEntry;

/// Error logs: ranked causes with evidence and fixes.
pub use diagnose::{Cause, ExplainOptions, Explanation, explain};

/// Dockerfile lint options.
pub use dockerfile::LintOptions;

/// The result vocabulary: cause codes, findings, evidence, locations and fixes.
pub use finding::{CauseCode, Evidence, Finding, Fix, FixContext, FixTarget, Location, Severity};

/// Rewrites of the user's own commands, compose files and Dockerfiles.
pub use fix::rewrite::{
    Rewrite, RewriteKind, RewriteOptions, rewrite_command, rewrite_compose, rewrite_dockerfile,
};

/// Redaction of echoed user text, and SARIF output.
pub use redact::{RedactOptions, redact};
pub use report::sarif;

/// The pipelines: judge an image, inspect a file, lint a Dockerfile, fixes for a cause.
pub use pipeline::{
    LimitOverrides, LintReport, check_image, fix, inspect_bytes, inspect_path, is_compose, lint,
    lint_input, lint_path, rewrite_file,
};

/// The version of this library, as published.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
