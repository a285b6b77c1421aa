//! The crate's error type: every failure names the input it concerns and what is wrong.

use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in archcompat. Each variant names the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A platform specifier is invalid.
    #[error("invalid platform {input:?}: {reason}")]
    InvalidPlatform {
        /// What the user gave.
        input: String,
        /// Which part is wrong and why.
        reason: String,
    },
    /// An input is malformed (truncated, corrupt, wrong kind of document).
    #[error("{input}: {reason}")]
    Malformed {
        /// Which input (path, digest, or description).
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A configured resource limit tripped (decompression bomb, oversized JSON, link loop).
    #[error("{input}: limit exceeded: {reason}")]
    LimitExceeded {
        /// Which input (blob digest, path, document).
        input: String,
        /// Which limit and by how much.
        reason: String,
    },
    /// The input is well-formed but not what the command needs.
    #[error("{input}: {reason}")]
    Unsupported {
        /// Which input.
        input: String,
        /// Why it is not supported.
        reason: String,
    },
}

impl Error {
    /// Build an [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Build an [`Error::Malformed`] for `input`.
    pub fn malformed(input: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Malformed {
            input: input.into(),
            reason: reason.into(),
        }
    }

    /// A stable, machine-readable kind for bindings (`"io"`, `"invalid-platform"`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::InvalidPlatform { .. } => "invalid-platform",
            Error::Malformed { .. } => "malformed",
            Error::LimitExceeded { .. } => "limit-exceeded",
            Error::Unsupported { .. } => "unsupported",
        }
    }
}
