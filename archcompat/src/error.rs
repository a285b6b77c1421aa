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
    /// A registry could not be reached or refused a request (connection, TLS, authentication,
    /// an HTTP error status).
    #[error("{}: {}", shown(.input), shown(.reason))]
    Registry {
        /// The `docker://` reference or registry host.
        input: String,
        /// What failed.
        reason: String,
    },
}

/// The stable kind of an [`Error`], one per variant: what the bindings map to their exception
/// classes (Python) and `err.code` strings (Node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Io`]: a file or directory could not be read.
    Io,
    /// [`Error::InvalidPlatform`].
    InvalidPlatform,
    /// [`Error::Malformed`].
    Malformed,
    /// [`Error::LimitExceeded`].
    LimitExceeded,
    /// [`Error::Unsupported`].
    Unsupported,
    /// [`Error::Registry`].
    Registry,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Io,
        ErrorKind::InvalidPlatform,
        ErrorKind::Malformed,
        ErrorKind::LimitExceeded,
        ErrorKind::Unsupported,
        ErrorKind::Registry,
    ];

    /// The stable slug (`"io"`, `"invalid-platform"`, `"malformed"`, `"limit-exceeded"`,
    /// `"unsupported"`, `"registry"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::InvalidPlatform => "invalid-platform",
            ErrorKind::Malformed => "malformed",
            ErrorKind::LimitExceeded => "limit-exceeded",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Registry => "registry",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Which front door shows an error: the CLI speaks of its flags (`--max-bytes`), a binding of
/// its own parameters (`max_bytes=` in Python, `maxBytes` in Node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrontDoor {
    /// The `archcompat` command.
    Cli,
    /// The Python package (snake_case keyword arguments).
    Python,
    /// The Node package (camelCase option keys).
    Node,
}

/// A resource limit a caller can raise, named in a [`Error::LimitExceeded`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Limit {
    /// Bytes decompressed across an image's layers.
    MaxBytes,
    /// Tar entries across an image's layers.
    MaxEntries,
    /// Size of one JSON document.
    MaxJsonBytes,
    /// Symbolic links followed resolving one path.
    MaxLinkHops,
    /// Seconds a whole image may take to read from a registry.
    RegistryTimeout,
}

impl Limit {
    /// Every limit a message can name.
    pub const ALL: [Limit; 5] = [
        Limit::MaxBytes,
        Limit::MaxEntries,
        Limit::MaxJsonBytes,
        Limit::MaxLinkHops,
        Limit::RegistryTimeout,
    ];

    /// How `door` spells the setting: `--max-bytes`, `max_bytes`, `maxBytes`.
    pub fn name(self, door: FrontDoor) -> &'static str {
        let (cli, py, node) = match self {
            Limit::MaxBytes => ("--max-bytes", "max_bytes", "maxBytes"),
            Limit::MaxEntries => ("--max-entries", "max_entries", "maxEntries"),
            Limit::MaxJsonBytes => ("--max-json-bytes", "max_json_bytes", "maxJsonBytes"),
            Limit::MaxLinkHops => ("--max-link-hops", "max_link_hops", "maxLinkHops"),
            Limit::RegistryTimeout => ("--registry-timeout", "registry_timeout", "registryTimeout"),
        };
        match door {
            FrontDoor::Cli => cli,
            FrontDoor::Python => py,
            FrontDoor::Node => node,
        }
    }
}

/// CLI advice that error messages carry, and how each binding says the same thing.
const ADVICE: &[(&str, &str, &str)] = &[
    (
        "`archcompat host --list-profiles`",
        "`archcompat.host_profiles()`",
        "`hostProfiles()`",
    ),
    (
        "pass --verify-cmd",
        "pass command=[...]",
        "pass { command: [...] }",
    ),
];

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

    /// The stable, machine-readable kind (compares equal to its slug: `e.kind() == "io"`).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::InvalidPlatform { .. } => ErrorKind::InvalidPlatform,
            Error::Malformed { .. } => ErrorKind::Malformed,
            Error::LimitExceeded { .. } => ErrorKind::LimitExceeded,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Registry { .. } => ErrorKind::Registry,
        }
    }

    /// The input the error concerns (path, reference, digest or value), redacted as in the
    /// message.
    pub fn input(&self) -> String {
        match self {
            Error::Io { path, .. } => shown(&path.display().to_string()).into_owned(),
            Error::InvalidPlatform { input, .. }
            | Error::Malformed { input, .. }
            | Error::LimitExceeded { input, .. }
            | Error::Unsupported { input, .. }
            | Error::Registry { input, .. } => shown(input).into_owned(),
        }
    }

    /// The operating-system error number of an [`Error::Io`] (`ENOENT` for a missing file …),
    /// when the failure has one.
    pub fn errno(&self) -> Option<i32> {
        let Error::Io { source, .. } = self else {
            return None;
        };
        source.raw_os_error().or(match source.kind() {
            std::io::ErrorKind::NotFound => Some(2),
            std::io::ErrorKind::PermissionDenied => Some(13),
            _ => None,
        })
    }

    /// The setting that tripped, for an [`Error::LimitExceeded`] whose limit the caller can
    /// raise.
    pub fn limit(&self) -> Option<Limit> {
        let Error::LimitExceeded { reason, .. } = self else {
            return None;
        };
        Limit::ALL
            .into_iter()
            .find(|l| mentions(reason, l.name(FrontDoor::Cli)))
    }

    /// The message as `door` shows it: the same text as [`std::fmt::Display`], with the CLI's
    /// flags and commands replaced by the binding's parameter names and functions.
    pub fn message_for(&self, door: FrontDoor) -> String {
        let mut m = self.to_string();
        if door == FrontDoor::Cli {
            return m;
        }
        for l in Limit::ALL {
            let flag = l.name(FrontDoor::Cli);
            if mentions(&m, flag) {
                let option = match door {
                    FrontDoor::Python => format!("{}=", l.name(door)),
                    _ => format!("the {} option", l.name(door)),
                };
                m = replace_word(&m, flag, &option);
            }
        }
        for (cli, py, node) in ADVICE {
            m = m.replace(cli, if door == FrontDoor::Python { py } else { node });
        }
        m
    }
}

/// Does `text` name `flag` as a whole word (`--max-bytes`, not `--max-bytes-per-layer`)?
fn mentions(text: &str, flag: &str) -> bool {
    text.match_indices(flag).any(|(i, _)| {
        !text[i + flag.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '-')
    })
}

fn replace_word(text: &str, flag: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(flag) {
        let after = &rest[i + flag.len()..];
        let whole = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '-');
        out.push_str(&rest[..i]);
        out.push_str(if whole { with } else { flag });
        rest = after;
    }
    out.push_str(rest);
    out
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

    #[test]
    fn kinds_limits_and_front_door_messages() {
        use super::{ErrorKind, FrontDoor, Limit};
        let e = Error::LimitExceeded {
            input: "sha256:abc".into(),
            reason: "more than 10 bytes decompressed in this image (raise --max-bytes)".into(),
        };
        assert_eq!(e.kind(), ErrorKind::LimitExceeded);
        assert_eq!(e.kind(), "limit-exceeded");
        assert_eq!(e.limit(), Some(Limit::MaxBytes));
        assert!(
            e.message_for(FrontDoor::Cli)
                .contains("(raise --max-bytes)")
        );
        let py = e.message_for(FrontDoor::Python);
        assert!(
            py.contains("(raise max_bytes=)") && !py.contains("--"),
            "{py}"
        );
        let node = e.message_for(FrontDoor::Node);
        assert!(node.contains("the maxBytes option"), "{node}");
        // A longer flag sharing a prefix is neither detected nor rewritten.
        let e = Error::LimitExceeded {
            input: "x".into(),
            reason: "JSON document is 9 bytes, the limit is 8 (raise --max-json-bytes)".into(),
        };
        assert_eq!(e.limit(), Some(Limit::MaxJsonBytes));
        assert!(
            e.message_for(FrontDoor::Node)
                .contains("the maxJsonBytes option")
        );
        let e = Error::io("/nonexistent", std::io::Error::from_raw_os_error(2));
        assert_eq!((e.kind(), e.errno()), (ErrorKind::Io, Some(2)));
        assert_eq!(e.input(), "/nonexistent");
        assert_eq!(e.limit(), None);
        let e = Error::InvalidPlatform {
            input: "nope".into(),
            reason: "unknown (see `archcompat host --list-profiles`)".into(),
        };
        assert!(
            e.message_for(FrontDoor::Python)
                .contains("archcompat.host_profiles()")
        );
        assert!(e.message_for(FrontDoor::Node).contains("hostProfiles()"));
        let slugs: Vec<_> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(slugs.len(), 6);
        assert!(slugs.contains(&"registry"));
    }
}
