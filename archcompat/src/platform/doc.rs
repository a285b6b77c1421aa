//! The contract's JSON documents for platforms, built once here so that the CLI and both
//! bindings print exactly the same shapes: `platform parse` entries and the
//! `platform match` document. (`host` is [`super::HostReport`].)

use super::{Host, Platform, Runs};
use serde::Serialize;

/// One `platform parse` entry: `{input, platform, formatted}` or `{input, error}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ParseEntry {
    /// The specifier parsed.
    Ok {
        /// What was given.
        input: String,
        /// The platform.
        platform: Platform,
        /// containerd `FormatAll` of it.
        formatted: String,
    },
    /// The specifier is invalid.
    Err {
        /// What was given.
        input: String,
        /// Which part is wrong and why.
        error: String,
    },
}

impl ParseEntry {
    /// Whether this entry is an error.
    pub fn is_err(&self) -> bool {
        matches!(self, ParseEntry::Err { .. })
    }
}

/// Parse each specifier (with user aliases, or exactly as containerd when `containerd`).
///
/// ```
/// use archcompat::parse_all;
/// let e = parse_all(&["linux/arm64/v8", "linux/&arm"], false);
/// assert!(!e[0].is_err() && e[1].is_err());
/// ```
pub fn parse_all<S: AsRef<str>>(specs: &[S], containerd: bool) -> Vec<ParseEntry> {
    specs
        .iter()
        .map(|s| {
            let s = s.as_ref();
            let parsed = if containerd {
                Platform::parse_containerd(s)
            } else {
                s.parse::<Platform>()
            };
            match parsed {
                Ok(p) => ParseEntry::Ok {
                    input: s.to_string(),
                    formatted: p.format_all(),
                    platform: p,
                },
                Err(e) => ParseEntry::Err {
                    input: s.to_string(),
                    error: e.to_string(),
                },
            }
        })
        .collect()
}

/// The `platform match` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchDocument {
    /// The platform matched against (amd64 level / arm64 ISA level as variant when known).
    pub host: Platform,
    /// `detected`, `platform` or `profile:<name>`.
    pub host_source: String,
    /// Whether OnlyStrict semantics were used.
    pub strict: bool,
    /// Every candidate, in input order.
    pub candidates: Vec<MatchCandidate>,
    /// The candidate containerd would select (or null).
    pub best: Option<Platform>,
    /// The candidate that really runs best on this host (or null).
    pub best_runnable: Option<Platform>,
}

/// One candidate of a [`MatchDocument`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchCandidate {
    /// The specifier as given.
    pub input: String,
    /// The platform parsed from it.
    pub platform: Platform,
    /// How the host runs it.
    pub runs: Runs,
    /// Why.
    pub reason: String,
}

impl MatchDocument {
    /// Whether containerd's pick is also what really runs best (nothing to report).
    pub fn is_ok(&self) -> bool {
        self.best_runnable.is_some() && self.best == self.best_runnable
    }
}

/// Resolve the host, parse the candidates and match them.
///
/// ```
/// use archcompat::match_document;
/// let d = match_document("linux/arm64", &["linux/amd64", "linux/arm/v7", "linux/arm64/v8"], false).unwrap();
/// assert_eq!(d.best.unwrap().to_string(), "linux/arm64/v8");
/// ```
pub fn match_document<S: AsRef<str>>(
    host: &str,
    candidates: &[S],
    strict: bool,
) -> crate::Result<MatchDocument> {
    let host = Host::resolve(host)?;
    let parsed = candidates
        .iter()
        .map(|c| c.as_ref().parse::<Platform>())
        .collect::<crate::Result<Vec<_>>>()?;
    Ok(document(&host, candidates, &parsed, strict))
}

/// Match already-parsed candidates against a resolved host.
pub fn document<S: AsRef<str>>(
    host: &Host,
    inputs: &[S],
    parsed: &[Platform],
    strict: bool,
) -> MatchDocument {
    let r = host.match_candidates(parsed, strict);
    MatchDocument {
        host: r.host,
        host_source: host.source.clone(),
        strict,
        candidates: r
            .candidates
            .into_iter()
            .zip(inputs)
            .map(|(c, input)| MatchCandidate {
                input: input.as_ref().to_string(),
                platform: c.platform,
                runs: c.runs,
                reason: c.reason,
            })
            .collect(),
        best: r.best.map(|i| parsed[i].clone()),
        best_runnable: r.best_runnable.map(|i| parsed[i].clone()),
    }
}
