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
pub mod audit;
pub mod check;
pub mod diagnose;
pub mod dockerfile;
pub mod fix;
pub mod redact;
pub mod report;
pub mod verify;

pub use error::{Error, Result};

/// The version of this library, as published.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
