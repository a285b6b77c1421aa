//! Diagnosis of pasted text (runtime errors, build logs, kubectl/ECS/Lambda output, compose and
//! CI logs): ranked causes with cause codes, the platforms the text names, the evidence lines,
//! the check that would decide when the text alone cannot, and what the fixes for the likely
//! causes are filled from (the [`FixContext`]; the pipeline attaches the fixes themselves).
//!
//! The rules encode the field guide's triage table and its disambiguation rules: an `exec
//! format error` on `/bin/sh` or another distro binary is the architecture (or missing
//! emulation in a build), never a script problem; on a `*.sh` entrypoint it is the architecture
//! or the script (no `#!`, BOM) and a preceding platform WARNING tips it to the architecture;
//! `no such file or directory` for a file that exists is never the architecture. A bare error
//! the text cannot decide keeps every candidate, ranked, each with the check that decides it.
//! Confidences are calibrated on the tuning part of the real-report corpus
//! (`fixtures/logs/real/`): causes given about X% are right about X% of the time.
//!
//! ```
//! use archcompat::{explain, ExplainOptions};
//! let log = "WARNING: The requested image's platform (linux/amd64) does not match the detected host platform (linux/arm64/v8) and no specific platform was requested\nexec /usr/local/bin/docker-entrypoint.sh: exec format error\n";
//! let e = explain(log, &ExplainOptions::default()).unwrap();
//! assert_eq!(e.causes[0].code.as_str(), "arch-mismatch");
//! assert_eq!(e.causes[0].platforms.host.as_deref(), Some("linux/arm64/v8"));
//! assert_eq!(e.causes[0].platforms.image.as_deref(), Some("linux/amd64"));
//! ```

mod rules;
#[cfg(test)]
pub(crate) use rules::pattern_sources;

use crate::finding::{CauseCode, Evidence, Finding, Fix, FixContext, Location, Severity};
use crate::platform::Platform;
use crate::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// The largest text accepted (logs beyond this are not pasted text).
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// The longest evidence line echoed (characters, after redaction).
pub const EVIDENCE_CHARS: usize = 400;

/// How to explain.
#[derive(Debug, Clone, Default)]
pub struct ExplainOptions {
    /// Name of the input for error messages (`-` for stdin).
    pub source: String,
    /// Whether evidence lines are redacted: on by default;
    /// [`Redaction::Off`](crate::redact::Redaction::Off) echoes them as they are.
    pub redaction: crate::redact::Redaction,
}

/// Platforms a log names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NamedPlatforms {
    /// The machine that ran (or refused) the container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The image's (or binary's) platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The platform that was asked for (`--platform`, pull target).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested: Option<String>,
}

/// One candidate cause.
#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    /// The cause code.
    pub code: CauseCode,
    /// 0..1, how sure the text makes us.
    pub confidence: f64,
    /// Why this cause, in words.
    pub why: String,
    /// The lines that point to it (redacted), with line numbers.
    pub evidence: Vec<Evidence>,
    /// Platforms the text names.
    pub platforms: NamedPlatforms,
    /// The command that would decide between candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

/// The explanation of a text: causes ranked most likely first, and the fixes that apply.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Ranked causes (empty: nothing recognisable).
    pub causes: Vec<Cause>,
    /// Fixes for the likely causes, filled with the platforms and image the text names.
    pub fixes: Vec<Fix>,
    /// The image reference the text names, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl Explanation {
    /// The causes as contract findings (for SARIF and other finding-based renderers).
    pub fn findings(&self, path: &str) -> Vec<Finding> {
        self.causes
            .iter()
            .map(|c| {
                let mut f = Finding::new(
                    c.code,
                    if c.confidence >= 0.5 {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    format!("{} (confidence {:.0}%)", c.why, c.confidence * 100.0),
                );
                f.evidence = c.evidence.clone();
                f.location = c
                    .evidence
                    .first()
                    .and_then(|e| e.line)
                    .map(|l| Location::line(path, l));
                f
            })
            .collect()
    }
}

/// How many causes get fixes: the most likely, and up to two more nearly as likely.
const MAX_FIXED_CAUSES: usize = 3;

impl Explanation {
    /// The causes fixes are offered for: the most likely, and those nearly as likely (at
    /// least 60% of its confidence and 0.3), at most [`MAX_FIXED_CAUSES`].
    pub(crate) fn likely_codes(&self) -> Vec<CauseCode> {
        let top = self.causes.first().map(|c| c.confidence).unwrap_or(0.0);
        self.causes
            .iter()
            .enumerate()
            .filter(|(i, c)| *i == 0 || (c.confidence >= 0.6 * top && c.confidence >= 0.3))
            .map(|(_, c)| c.code)
            .take(MAX_FIXED_CAUSES)
            .collect()
    }
}

/// Explain a pasted text: the ranked causes (with no fixes yet), and the context the fixes
/// for them are filled from (host and image platforms, image, path, interpreter the text
/// names). `archcompat::explain` attaches the fixes.
pub(crate) fn causes(text: &str, opts: &ExplainOptions) -> Result<(Explanation, FixContext)> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::LimitExceeded {
            input: if opts.source.is_empty() {
                "text".into()
            } else {
                opts.source.clone()
            },
            reason: format!(
                "{} bytes; explain reads at most {MAX_INPUT_BYTES} bytes of log",
                text.len()
            ),
        });
    }
    let facts = rules::scan(text);
    let mut by_code: BTreeMap<CauseCode, Cause> = BTreeMap::new();
    let mut redacted: BTreeMap<u32, String> = BTreeMap::new();
    // The text's lines, split once when the first evidence line is quoted.
    let mut lines: Option<Vec<&str>> = None;
    for hit in &facts.hits {
        let e = by_code.entry(hit.code).or_insert_with(|| Cause {
            code: hit.code,
            confidence: 0.0,
            why: hit.why.to_string(),
            evidence: Vec::new(),
            platforms: facts.platforms.clone(),
            check: None,
        });
        // Independent signals add up without ever reaching certainty.
        e.confidence = 1.0 - (1.0 - e.confidence) * (1.0 - hit.weight);
        if hit.weight > 0.0
            && e.evidence.len() < 6
            && !e.evidence.iter().any(|x| x.line == Some(hit.line))
        {
            // Redact the whole line first, then cut: a secret straddling the cut must not leak
            // its head. Each line is redacted once however many causes cite it.
            let detail = redacted
                .entry(hit.line)
                .or_insert_with(|| {
                    let line = lines
                        .get_or_insert_with(|| text.lines().collect())
                        .get(hit.line as usize - 1)
                        .map_or("", |l| l.trim());
                    opts.redaction.apply(line).into_owned()
                })
                .chars()
                .take(EVIDENCE_CHARS)
                .collect();
            e.evidence.push(Evidence {
                detail,
                path: None,
                layer: None,
                line: Some(hit.line),
            });
        }
    }
    let mut causes: Vec<Cause> = by_code
        .into_values()
        .filter(|c| c.confidence > 0.05)
        .collect();
    rules::adjust(&mut causes, &facts);
    causes.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.code.cmp(&b.code))
    });
    for c in &mut causes {
        c.confidence = (rules::calibrate(c.confidence) * 100.0).round() / 100.0;
        c.check = rules::check_for(c.code, &facts);
    }
    let ctx = FixContext {
        host: facts
            .platforms
            .host
            .as_deref()
            .and_then(|h| h.parse::<Platform>().ok()),
        targets: facts
            .platforms
            .image
            .iter()
            .chain(facts.platforms.requested.iter())
            .filter_map(|p| p.parse::<Platform>().ok())
            .collect(),
        image: facts.image.clone(),
        path: facts.exec_path.clone(),
        interpreter: facts.interpreter.clone(),
    };
    Ok((
        Explanation {
            causes,
            fixes: Vec::new(),
            image: facts.image,
        },
        ctx,
    ))
}

// The tests of this module against real files and corpora (`tests/`).
#[cfg(test)]
mod tests {
    mod real_logs;
}
