//! `archcompat report codequality SARIF…`: turns SARIF logs (archcompat's or any tool's) into one
//! GitLab Code Quality report on stdout, for the `codequality` artifact of a GitLab CI job.

use crate::output::{CliError, Outcome, Output};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// Arguments of `archcompat report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub to: ReportTo,
}

/// Target formats.
#[derive(Debug, Subcommand)]
pub enum ReportTo {
    /// GitLab Code Quality JSON (an array of issues) from SARIF 2.1.0 logs.
    Codequality {
        /// SARIF files to convert (their issues are concatenated).
        #[arg(required = true)]
        sarif: Vec<PathBuf>,
    },
}

/// Largest SARIF log read.
const MAX_SARIF: u64 = 64 << 20;

pub fn run_report(args: ReportArgs, out: &Output) -> Result<Outcome, CliError> {
    let ReportTo::Codequality { sarif } = args.to;
    let mut issues = Vec::new();
    for path in &sarif {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| archcompat::Error::io(path, e))?;
        if !meta.is_file() {
            return Err(archcompat::Error::malformed(&name, "not a regular file").into());
        }
        if meta.len() > MAX_SARIF {
            return Err(archcompat::Error::LimitExceeded {
                input: name,
                reason: format!("a SARIF log over {MAX_SARIF} bytes"),
            }
            .into());
        }
        let bytes = std::fs::read(path).map_err(|e| archcompat::Error::io(path, e))?;
        let log: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| archcompat::Error::malformed(&name, format!("not JSON: {e}")))?;
        match archcompat::code_quality(&log, &name)? {
            serde_json::Value::Array(a) => issues.extend(a),
            other => issues.push(other),
        }
    }
    out.json(&serde_json::Value::Array(issues))?;
    Ok(Outcome::Ok)
}
