//! `archcompat redact [FILE|-]` and `archcompat detect [FILE|-]`: the web page's redaction
//! report and input-kind detection from the command line. Translation only: read the text
//! (capped like `explain`), call `archcompat::redact_report` / `archcompat::detect_input`,
//! print. Both exit 0 on any readable input (they transform or name, they do not check).

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{RedactOptions, RedactReport, Redaction, detect_input, redact_report};
use clap::Args;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;

/// Arguments of `archcompat redact`.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// The text to redact (`-` or nothing: standard input).
    pub file: Option<PathBuf>,
    /// Keep 12-digit account ids inside ARNs.
    #[arg(long)]
    pub no_account_ids: bool,
    /// Keep long random-looking tokens that match no known secret format.
    #[arg(long)]
    pub no_high_entropy: bool,
}

/// Arguments of `archcompat detect`.
#[derive(Debug, Args)]
pub struct DetectArgs {
    /// The text to look at (`-` or nothing: standard input).
    pub file: Option<PathBuf>,
}

/// Read `file` (or standard input for `-`/nothing) as text, at most
/// [`archcompat::MAX_EXPLAIN_BYTES`]: `(name, text)`. Invalid UTF-8 becomes U+FFFD, as in
/// `explain`.
fn read_text(file: Option<&PathBuf>, command: &str) -> Result<(String, String), CliError> {
    let cap = archcompat::MAX_EXPLAIN_BYTES as u64;
    let mut bytes = Vec::new();
    let name = match file {
        Some(p) if p.as_os_str() != "-" => {
            let f = std::fs::File::open(p).map_err(|e| archcompat::Error::io(p, e))?;
            f.take(cap + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| archcompat::Error::io(p, e))?;
            p.display().to_string()
        }
        _ => {
            std::io::stdin()
                .take(cap + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| archcompat::Error::io("-", e))?;
            "-".to_string()
        }
    };
    if bytes.len() as u64 > cap {
        return Err(archcompat::Error::LimitExceeded {
            input: name,
            reason: format!("more than {cap} bytes; {command} reads at most {cap} bytes of text"),
        }
        .into());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok((name, text))
}

pub fn run_redact(args: RedactArgs, out: &Output) -> Result<Outcome, CliError> {
    let (_, text) = read_text(args.file.as_ref(), "redact")?;
    let report: RedactReport = match out.redaction() {
        Redaction::Off => Redaction::Off.report(&text),
        Redaction::On => redact_report(
            &text,
            &RedactOptions {
                account_ids: !args.no_account_ids,
                high_entropy: !args.no_high_entropy,
            },
        ),
    };
    match out.format {
        Format::Json => out.json(&report)?,
        Format::Sarif => {
            return Err(CliError::Usage(
                "redact prints text or JSON (--json); SARIF is for findings".into(),
            ));
        }
        Format::Text => {
            // A filter: the text goes out as it came in, except for the secrets. Control
            // characters are escaped only when stdout is a terminal (a file or pipe gets the
            // log's own bytes, colour codes and CRs included).
            if std::io::stdout().is_terminal() {
                out.text(&report.text)?;
            } else {
                out.raw(report.text.as_bytes())?;
            }
            if !out.quiet {
                eprintln!("archcompat: {}", summary(&report));
            }
        }
    }
    Ok(Outcome::Ok)
}

/// `redacted 3 secret(s): login-password 1, known-token 2`, or `nothing redacted`.
fn summary(r: &RedactReport) -> String {
    if r.total == 0 {
        return "nothing redacted".into();
    }
    let kinds: Vec<String> = r
        .counts
        .iter()
        .map(|(k, n)| {
            let k = serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            format!("{k} {n}")
        })
        .collect();
    format!("redacted {} secret(s): {}", r.total, kinds.join(", "))
}

pub fn run_detect(args: DetectArgs, out: &Output) -> Result<Outcome, CliError> {
    let (_, text) = read_text(args.file.as_ref(), "detect")?;
    let kind = detect_input(&text);
    match out.format {
        Format::Json => out.json(&kind)?,
        Format::Sarif => {
            return Err(CliError::Usage(
                "detect prints text or JSON (--json); SARIF is for findings".into(),
            ));
        }
        Format::Text => {
            let name = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.text(&name)?
        }
    }
    Ok(Outcome::Ok)
}
