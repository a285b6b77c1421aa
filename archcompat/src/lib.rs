//! # archcompat
//!
//! Answers, before a deploy or right after a crash, *"will this container run on that
//! machine, and if not, why, and exactly what do I change?"*
//!
//! ## What you need, at the crate root
//!
//! | question | call | answer |
//! |---|---|---|
//! | will this image run on that host? | [`check_image`] (with [`Options`], [`LimitOverrides`]) | [`ImageReport`]: [`Verdict`], findings with evidence and fixes |
//! | what is this file, will exec work? | [`inspect_path`], [`inspect_bytes`], [`classify()`]; many files on every core: [`inspect_paths`], [`inspect_outcomes_each`] (in order, as they are ready) | [`InspectEntry`], [`BinaryInfo`] |
//! | which platform, which host? | [`Platform`] (`"linux/arm64/v8".parse()`), [`Host::resolve`] / [`Host::detect`], [`Host::runs`] | [`RunVerdict`], [`Runs`] |
//! | why did it fail? (pasted logs) | [`explain()`] | [`Explanation`]: ranked [`Cause`]s, fixes |
//! | architecture hazards in a Dockerfile? | [`lint()`], [`lint_path`], [`lint_paths`] | [`LintReport`] |
//! | what do I change? | [`fix()`] for a [`CauseCode`] and a [`FixContext`]; [`rewrite_command`], [`rewrite_compose`], [`rewrite_dockerfile`], [`rewrite_file`] | [`Fix`], [`Rewrite`] |
//! | which tags of a registry cover my targets? | [`audit_report`] (with [`AuditOptions`]), [`audit_merge_files`] | [`AuditReport`] |
//! | may this pod be admitted? (Kubernetes) | [`admission_result`], [`Webhook`] | [`AdmissionDecision`] |
//! | does the entrypoint really start? (Unix) | [`verify_image`] (with [`VerifyOptions`]) | [`VerifiedImage`] |
//! | what does an image offer, without its layers? | [`offered`] | [`Offered`] |
//! | output | [`sarif`], [`audit_sarif`], [`code_quality`], [`redact()`] | SARIF 2.1.0, GitLab Code Quality, scrubbed text |
//!
//! Every result is plain data with serde (the JSON is the public contract) in the vocabulary
//! [`Finding`], [`CauseCode`], [`Severity`], [`Evidence`], [`Location`], [`Fix`],
//! [`FixTarget`]; every failure is an [`Error`] naming its input.
//!
//! ```
//! use archcompat::{Host, Platform, Runs};
//! let p: Platform = "linux/arm64/v8".parse()?;
//! assert_eq!(p.to_string(), "linux/arm64/v8");
//! // Can an AWS Graviton2 host run an amd64 image? Not without emulation.
//! let host = Host::resolve("aws-graviton2")?;
//! let verdict = host.runs(&"linux/amd64".parse::<Platform>()?);
//! assert_eq!(verdict.runs, Runs::No);
//! # Ok::<(), archcompat::Error>(())
//! ```
//!
//! ## Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `registry` | off | reading images straight from registries (`docker://HOST/REPO:TAG` in [`check_image`] and the image functions) with `oci-client`, `tokio` and `rustls` (ring); without it such references are answered with an [`Error`] that names the missing feature |
//!
//! Everything else (binaries, platforms, local image layouts and archives, logs, Dockerfiles,
//! fixes) needs no feature. docs.rs builds with every feature on.
//!
//! ## Layers
//!
//! Every module is private: the names above are the whole API (`tests/public_api.rs` keeps
//! it so). Data flows one way: **facts** (`platform`, `binary`, `manifest`, `image`) → **findings**
//! (`check`, `diagnose`, `dockerfile`) → **fixes** (`fix`, whose catalogue holds every fix
//! text). The pipelines behind the functions above attach fixes once, at the end. Facts never
//! depend on findings or fixes.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Every module is private: what `cargo doc` shows, and all the CLI, the bindings and the
// benches use, is the curated surface re-exported below. `tests/public_api.rs` fails when a
// module becomes `pub` or a promised name disappears.

// Facts.
mod binary;
mod image;
mod manifest;
mod platform;

// Vocabulary and errors.
mod error;
mod finding;
// Which lines or texts can match which regexes (literal search), for diagnose and redaction.
mod prefilter;

// Findings, fixes and rendering.
mod admission;
mod audit;
mod check;
mod diagnose;
mod dockerfile;
mod edits;
mod fix;
mod redact;
mod report;
// Starting an entrypoint in a sandbox needs Unix (bubblewrap, qemu-user).
#[cfg(unix)]
mod verify;

// The front doors' pipelines (facts → findings → fixes), once.
mod pipeline;

// The curated public API: what a user of the library needs, at the crate root. The CLI and
// the bindings use only these names.

/// Errors: one type, every variant names its input; its stable kind, the limit it names, and
/// the front door (CLI or binding) whose wording a message uses.
pub use error::{Error, ErrorKind, FrontDoor, Limit, Result};

/// The `platform parse` / `platform match` documents and the named deployment profiles.
pub use platform::doc::{MatchCandidate, MatchDocument, ParseEntry, match_document, parse_all};
pub use platform::profile::{PROFILES, Profile};
/// Platforms: the OCI platform, hosts (this machine, a platform, or a named profile), and how
/// a host runs a platform.
pub use platform::{
    AliasKind, CandidateVerdict, Emulator, Host, HostReport, MatchReport, Matcher, Platform,
    RunVerdict, Runs,
};

/// Binaries: what a file is and needs, from its bytes.
pub use binary::{BinaryInfo, Details, Format, Libc, classify};

/// Images: reading options and limits, and the verdict report.
pub use check::image::{ImageReport, SelectedReport, Verdict};
pub use image::{
    ArchiveReader, BinarySummary, CommandForm, Compression, Entrypoint, ExecFailure, FileFacts,
    InterpreterFacts, LayerSummary, Limits, Options, Progress, is_tar_head,
};
pub use manifest::{EntryReport, EntryStatus};

/// Inspecting files.
pub use check::binary::InspectEntry;

/// Error logs: ranked causes with evidence and fixes.
pub use diagnose::{Cause, ExplainOptions, Explanation, MAX_INPUT_BYTES as MAX_EXPLAIN_BYTES};

/// Dockerfile lint options, and reading a Dockerfile (size-capped, UTF-8 checked).
pub use dockerfile::{LintOptions, MAX_DOCKERFILE_BYTES, read_dockerfile, read_dockerfile_from};

/// The result vocabulary: cause codes, findings, evidence, locations and fixes.
pub use finding::{CauseCode, Evidence, Finding, Fix, FixContext, FixTarget, Location, Severity};

/// Rewrites of the user's own commands, compose files and Dockerfiles.
pub use fix::rewrite::{
    Rewrite, RewriteKind, RewriteOptions, rewrite_command, rewrite_compose, rewrite_dockerfile,
};

/// Redaction of echoed user text, SARIF output, and GitLab Code Quality from SARIF.
pub use redact::{RedactOptions, RedactReport, SecretKind, redact, redact_report};
pub use report::{code_quality, sarif};

/// What an image offers (its index entries or its one platform), read without its layers.
pub use image::offered::{Coverage, Offered, Pulled, offered};

/// Kubernetes admission: the decision on an AdmissionReview, and the webhook's state (cache,
/// deadline, failure policy, metrics) that `archcompat webhook` serves.
pub use admission::webhook::{
    Config as WebhookConfig, DEFAULT_DEADLINE as WEBHOOK_DEADLINE,
    DEFAULT_MAX_BODY as WEBHOOK_MAX_BODY, DEFAULT_TTL as WEBHOOK_TTL, Reply as WebhookReply,
    Webhook, review_once as admission_review,
};
pub use admission::{Decision as AdmissionDecision, FailurePolicy};

/// Registry audits and sandboxed runs, as the bindings call them.
pub use audit::{
    AuditOptions, AuditProgress, AuditReport, AuditSource, AuditSummary, TagRecord, TargetResult,
    TargetStatus, parse_targets as parse_audit_targets, sarif as audit_sarif,
};
pub use pipeline::{AdmissionResult, admission_result, audit_merge_files, audit_report};
/// Batches and per-item failures, for the front doors (bindings): one result per path.
pub use pipeline::{
    ErrorReport, InspectFailure, InspectOutcome, inspect_outcomes, inspect_outcomes_each,
    inspect_paths, inspect_paths_then,
};
/// The pipelines: judge an image, inspect a file, lint a Dockerfile, fixes for a cause.
pub use pipeline::{
    InputKind, LimitOverrides, LintReport, check_image, check_image_reader, detect_input, explain,
    fix, fix_with, inspect_bytes, inspect_bytes_with, inspect_path, inspect_path_with, is_compose,
    lint, lint_input, lint_path, lint_paths, rewrite_file,
};
#[cfg(unix)]
pub use verify::{
    Outcome as VerifyOutcome, Verification, VerifiedImage, VerifyOptions, verify_image,
};

/// The one redaction switch every front door passes through (on by default).
pub use redact::Redaction;

/// The internal parsers that the fuzz targets (`fuzz/`, outside the workspace, built with
/// nightly) call, and nothing else: not part of the API, no stability promise, hidden from the
/// documentation. `tests/public_api.rs` checks that no other code uses it.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::dockerfile::hazards;
    pub use crate::image::entrypoint::command as entrypoint_command;
    pub use crate::image::{Analysis, analyze_reader};
    pub use crate::manifest::{
        JsonLimits, parse_config, parse_document, parse_index, parse_manifest, select,
    };
    pub use crate::platform::parse::parse as parse_platform;
}

/// The version of this library, as published.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
