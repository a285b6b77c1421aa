//! The crate's error type: every failure names the input it concerns and what is wrong.
//! Messages never echo secrets: every field that can hold user text (a path, a `docker://`
//! reference with `user:pass@`, a command line with `-p …`) is redacted when displayed,
//! whatever the redaction switch says, since an error message never needs the secret.

use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in archcompat. Each variant names the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{}: {source}", shown(&.path.display().to_string()))]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A platform specifier is invalid.
    #[error("invalid platform {:?}: {}", shown(.input), shown(.reason))]
    InvalidPlatform {
        /// What the user gave.
        input: String,
        /// Which part is wrong and why.
        reason: String,
    },
    /// An input is malformed (truncated, corrupt, wrong kind of document).
    #[error("{}: {}", shown(.input), shown(.reason))]
    Malformed {
        /// Which input (path, digest, or description).
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A configured resource limit tripped (decompression bomb, oversized JSON, link loop).
    #[error("{}: limit exceeded: {}", shown(.input), shown(.reason))]
    LimitExceeded {
        /// Which input (blob digest, path, document).
        input: String,
        /// Which limit and by how much.
        reason: String,
    },
    /// The input is well-formed but not what the command needs.
    #[error("{}: {}", shown(.input), shown(.reason))]
    Unsupported {
        /// Which input.
        input: String,
        /// Why it is not supported.
        reason: String,
    },
}

/// User text as an error message shows it: secrets redacted by every structural rule
/// (credentials in URLs, flags, keys, known token formats); the entropy guess is left out so
/// that paths and names in messages stay readable.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let opts = crate::redact::RedactOptions {
        account_ids: true,
        high_entropy: false,
    };
    crate::redact::redact(text, &opts)
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

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn messages_do_not_echo_secrets() {
        let e = Error::malformed(
            "docker://robot:robotPassw0rd@registry.example.com/app:1",
            "cannot reach the registry",
        );
        let m = e.to_string();
        assert!(!m.contains("robotPassw0rd"), "{m}");
        assert!(
            m.contains("docker://robot:[REDACTED]@registry.example.com/app:1"),
            "{m}"
        );
        let e = Error::io(
            "docker login -u ci -p s3cretvalue ghcr.io",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert!(!e.to_string().contains("s3cretvalue"));
        let e = Error::InvalidPlatform {
            input: "--password=hunter2pass".into(),
            reason: "unknown".into(),
        };
        assert!(!e.to_string().contains("hunter2pass"));
    }
}
