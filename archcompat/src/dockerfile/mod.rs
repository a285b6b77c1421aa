//! Dockerfile architecture hazards: parse with the maintained `parse-dockerfile` crate, then
//! lint with line and column numbers. Owns the rules, their findings, and the mechanical edits
//! (see [`crate::edits`]) that [`crate::fix::rewrite`] applies to produce a corrected Dockerfile.
//!
//! Bounds: input is capped at [`MAX_DOCKERFILE_BYTES`] (files and streams alike), work is linear
//! in the text, long lines are echoed as windows of about [`MAX_ECHO_BYTES`], and at most
//! [`MAX_FINDINGS`] findings are produced. Everything echoed (messages, evidence, fix snippets
//! and diffs) is redacted by [`crate::redact`] unless [`LintOptions::redaction`] is off. Shell text is
//! read just enough (`shell`) to stay quiet inside architecture dispatches, comments and build
//! matrices; the build context is read as BuildKit sends it (`context`, `ignore`).
//!
//! The rules follow the field guide's anti-pattern table: architecture literals in download
//! URLs and `GOARCH`/`GOARM`, defaults on automatic platform ARGs, platform ARGs used in a stage
//! that does not declare them, constant `FROM --platform` (hadolint DL3029 flags a *constant*
//! `--platform`, not a missing one), redundant `--platform=$TARGETPLATFORM`, a runtime stage on
//! `$BUILDPLATFORM`, build-platform binaries copied into the target stage, and BOM/CRLF/LFS/
//! shebang problems in the Dockerfile and in the scripts it copies from the build context.
//!
//! (Example: the test `doc_examples::module_example` in this file.)

mod context;
mod ignore;
mod rules;
mod shell;

use crate::finding::Finding;

use crate::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

pub use crate::edits::Edit;

/// How to lint.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// The path shown in findings (`Dockerfile` when empty).
    pub path: String,
    /// The build context to read copied scripts from (none: context files are not checked).
    pub context: Option<PathBuf>,
    /// Whether echoed Dockerfile text (evidence, messages, fixes) is redacted: on by default;
    /// [`Redaction::Off`](crate::redact::Redaction::Off) echoes it as it is.
    pub redaction: crate::redact::Redaction,
}

/// The biggest Dockerfile we read (Dockerfiles are small; anything bigger is not one).
pub const MAX_DOCKERFILE_BYTES: u64 = 4 * 1024 * 1024;

/// The most findings one Dockerfile may give; more ends in [`Error::LimitExceeded`].
pub const MAX_FINDINGS: usize = 20_000;

/// A finding together with the mechanical edit that fixes it, when there is one.
#[derive(Debug, Clone)]
pub struct Hazard {
    /// The finding (code, severity, message, evidence, location, fixes).
    pub finding: Finding,
    /// Byte-range replacements in the Dockerfile text that fix it (empty: no mechanical fix).
    pub edits: Vec<Edit>,
}

/// Lint Dockerfile text. Findings are ordered by line.
pub fn lint(text: &str, opts: &LintOptions) -> Result<Vec<Finding>> {
    Ok(hazards(text, opts)?
        .into_iter()
        .map(|h| h.finding)
        .collect())
}

/// Lint Dockerfile text, keeping each finding's mechanical edit (used by rewrites). Echoed text
/// (messages, evidence, fix snippets and diffs) is redacted unless `opts.redaction` is off; the edits
/// are not (they apply to the user's own file).
pub fn hazards(text: &str, opts: &LintOptions) -> Result<Vec<Hazard>> {
    let path = if opts.path.is_empty() {
        "Dockerfile"
    } else {
        opts.path.as_str()
    };
    if text.len() as u64 > MAX_DOCKERFILE_BYTES {
        return Err(Error::LimitExceeded {
            input: path.to_string(),
            reason: format!("larger than {MAX_DOCKERFILE_BYTES} bytes; not a Dockerfile"),
        });
    }
    let mut out = rules::text_hazards(text, path);
    // The parser does not understand a BOM; lint the rest so the other hazards still show.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - body.len();
    let parsable = mask_bare_healthcheck(body);
    let df = parse_dockerfile::parse(&parsable)
        .map_err(|e| Error::malformed(path, format!("not a parsable Dockerfile: {e}")))?;
    let mut structural = rules::structural_hazards(&df, body, path);
    for h in &mut structural {
        for e in &mut h.edits {
            e.start += offset;
            e.end += offset;
        }
    }
    out.extend(structural);
    if let Some(ctx) = &opts.context {
        out.extend(context::context_hazards(&df, body, path, ctx));
    }
    if out.len() > MAX_FINDINGS {
        return Err(Error::LimitExceeded {
            input: path.to_string(),
            reason: format!(
                "more than {MAX_FINDINGS} findings ({}); lint a smaller file",
                out.len()
            ),
        });
    }
    out.sort_by_key(|h| {
        h.finding
            .location
            .as_ref()
            .and_then(|l| l.line)
            .unwrap_or(0)
    });
    let redaction = opts.redaction;
    if redaction.is_on() {
        for h in &mut out {
            redaction.finding(&mut h.finding);
            // Mechanical fixes travel as requests until the catalogue fills them in.
            for req in &mut h.finding.requests {
                for t in req.snippet.iter_mut().chain(req.diff.iter_mut()) {
                    redaction.apply_in_place(t);
                }
            }
        }
    }
    Ok(out)
}

/// BuildKit accepts `HEALTHCHECK` with no arguments (it inherits the base image's check); the
/// parser does not. Such a line becomes a comment of the same length, so offsets stay valid.
fn mask_bare_healthcheck(text: &str) -> std::borrow::Cow<'_, str> {
    let bare = |l: &str| l.trim().eq_ignore_ascii_case("healthcheck");
    if !text.lines().any(bare) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for l in text.split_inclusive('\n') {
        if bare(l) {
            let lead = l.len() - l.trim_start().len();
            out.push_str(&l[..lead]);
            out.push('#');
            out.push_str(&l[lead + 1..]);
        } else {
            out.push_str(l);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Read and lint a Dockerfile, choosing whether echoed text is redacted. The build context
/// defaults to the Dockerfile's directory.
pub fn lint_path_with(
    path: &Path,
    context: Option<&Path>,
    redaction: crate::redact::Redaction,
) -> Result<Vec<Finding>> {
    let text = read_dockerfile(path)?;
    let ctx = context.map(Path::to_path_buf).or_else(|| {
        path.parent().map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        })
    });
    lint(
        &text,
        &LintOptions {
            path: path.display().to_string(),
            context: ctx,
            redaction,
        },
    )
}

/// Read a Dockerfile with a size cap, as UTF-8 (a UTF-16 file is reported as such). Only
/// regular files are read (a FIFO or device would block or never end).
pub fn read_dockerfile(path: &Path) -> Result<String> {
    // Look before opening: opening a FIFO for reading blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::malformed(
            path.display().to_string(),
            "is a directory, not a Dockerfile",
        ));
    }
    if !meta.is_file() {
        return Err(Error::malformed(
            path.display().to_string(),
            "is not a regular file (a FIFO, socket or device), not a Dockerfile",
        ));
    }
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_dockerfile_from(f, &path.display().to_string())
}

/// Read a Dockerfile from a stream (standard input) with the same cap and checks as
/// [`read_dockerfile`]; `name` names the input in errors.
pub fn read_dockerfile_from(reader: impl Read, name: &str) -> Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOCKERFILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(name, e))?;
    if bytes.len() as u64 > MAX_DOCKERFILE_BYTES {
        return Err(Error::LimitExceeded {
            input: name.to_string(),
            reason: format!("larger than {MAX_DOCKERFILE_BYTES} bytes; not a Dockerfile"),
        });
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Error::malformed(
            name,
            "saved as UTF-16 (BuildKit reports `unknown instruction: ��F R O M`); re-save it as UTF-8 without BOM",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::malformed(
            name,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

// The tests of this module against real files and corpora (`tests/`).
#[cfg(test)]
mod tests {
    mod corpus;
    mod dockerfiles;
    mod hostile;

    /// A scratch directory, removed when the test ends (pass or fail).
    pub(super) fn scratch() -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix("archcompat-lint-")
            .tempdir()
            .unwrap()
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn module_example() {
        use crate::dockerfile::{LintOptions, lint};
        let findings = lint(
            "FROM golang:1.23\nRUN GOARCH=amd64 go build -o /app .\n",
            &LintOptions::default(),
        )
        .unwrap();
        assert_eq!(findings[0].code.as_str(), "hardcoded-arch");
        assert_eq!(findings[0].location.as_ref().unwrap().line, Some(2));
    }
}
