//! Dockerfile architecture hazards: parse with the maintained `parse-dockerfile` crate, then
//! lint with line and column numbers. Owns the rules, their findings, and the mechanical edits
//! that [`crate::fix::rewrite`] applies to produce a corrected Dockerfile.
//!
//! The rules follow the field guide's anti-pattern table: architecture literals in download
//! URLs and `GOARCH`/`GOARM`, defaults on automatic platform ARGs, platform ARGs used in a stage
//! that does not declare them, constant `FROM --platform` (hadolint DL3029 flags a *constant*
//! `--platform`, not a missing one), redundant `--platform=$TARGETPLATFORM`, a runtime stage on
//! `$BUILDPLATFORM`, build-platform binaries copied into the target stage, and BOM/CRLF/LFS/
//! shebang problems in the Dockerfile and in the scripts it copies from the build context.
//!
//! ```
//! use archcompat::dockerfile::{lint, LintOptions};
//! let findings = lint("FROM golang:1.23\nRUN GOARCH=amd64 go build -o /app .\n", &LintOptions::default()).unwrap();
//! assert_eq!(findings[0].code.as_str(), "hardcoded-arch");
//! assert_eq!(findings[0].location.as_ref().unwrap().line, Some(2));
//! ```

mod context;
mod rules;

use crate::finding::Finding;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

pub use rules::{Edit, PLATFORM_ARGS, apply_edits, unified_diff};

/// How to lint.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// The path shown in findings (`Dockerfile` when empty).
    pub path: String,
    /// The build context to read copied scripts from (none: context files are not checked).
    pub context: Option<PathBuf>,
    /// Echo the Dockerfile's text in evidence and fixes as it is (secrets are redacted by default).
    pub no_redact: bool,
}

/// The biggest Dockerfile we read (Dockerfiles are small; anything bigger is not one).
pub const MAX_DOCKERFILE_BYTES: u64 = 4 * 1024 * 1024;

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

/// Lint Dockerfile text, keeping each finding's mechanical edit (used by rewrites).
pub fn hazards(text: &str, opts: &LintOptions) -> Result<Vec<Hazard>> {
    let path = if opts.path.is_empty() {
        "Dockerfile"
    } else {
        opts.path.as_str()
    };
    let mut out = rules::text_hazards(text, path);
    // The parser does not understand a BOM; lint the rest so the other hazards still show.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - body.len();
    let df = parse_dockerfile::parse(body)
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
    let redaction = crate::redact::Redaction::from_no_redact(opts.no_redact);
    for h in &mut out {
        redaction.finding(&mut h.finding);
    }
    out.sort_by_key(|h| {
        h.finding
            .location
            .as_ref()
            .and_then(|l| l.line)
            .unwrap_or(0)
    });
    Ok(out)
}

/// Read and lint a Dockerfile. The build context defaults to the Dockerfile's directory.
pub fn lint_path(path: &Path, context: Option<&Path>) -> Result<Vec<Finding>> {
    lint_path_with(path, context, false)
}

/// [`lint_path`], choosing whether echoed text is redacted.
pub fn lint_path_with(
    path: &Path,
    context: Option<&Path>,
    no_redact: bool,
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
            no_redact,
        },
    )
}

/// Read a Dockerfile with a size cap, as UTF-8 (a UTF-16 file is reported as such).
pub fn read_dockerfile(path: &Path) -> Result<String> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = f.metadata().map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::malformed(
            path.display().to_string(),
            "is a directory, not a Dockerfile",
        ));
    }
    let mut bytes = Vec::new();
    f.take(MAX_DOCKERFILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_DOCKERFILE_BYTES {
        return Err(Error::LimitExceeded {
            input: path.display().to_string(),
            reason: format!("larger than {MAX_DOCKERFILE_BYTES} bytes; not a Dockerfile"),
        });
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Error::malformed(
            path.display().to_string(),
            "saved as UTF-16 (BuildKit reports `unknown instruction: ��F R O M`); re-save it as UTF-8 without BOM",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::malformed(
            path.display().to_string(),
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}
