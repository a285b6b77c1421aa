//! `archcompat explain [FILE|-]`: ranked causes of a pasted error log, with evidence, the check
//! that decides, and fixes. Exit 1 when a cause was found, 0 when nothing is recognisable.

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{ExplainOptions, explain};
use clap::Args;
use std::io::Read;
use std::path::PathBuf;

/// Arguments of `archcompat explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The log file (`-` or nothing: standard input).
    pub file: Option<PathBuf>,
}

pub fn run_explain(args: ExplainArgs, out: &Output) -> Result<Outcome, CliError> {
    let (source, bytes) = match &args.file {
        Some(p) if p.as_os_str() != "-" => {
            let f = std::fs::File::open(p).map_err(|e| archcompat::Error::io(p, e))?;
            let mut b = Vec::new();
            f.take(archcompat::MAX_EXPLAIN_BYTES as u64 + 1)
                .read_to_end(&mut b)
                .map_err(|e| archcompat::Error::io(p, e))?;
            (p.display().to_string(), b)
        }
        _ => {
            let mut b = Vec::new();
            std::io::stdin()
                .take(archcompat::MAX_EXPLAIN_BYTES as u64 + 1)
                .read_to_end(&mut b)
                .map_err(|e| archcompat::Error::io("-", e))?;
            ("-".to_string(), b)
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let opts = ExplainOptions {
        source: source.clone(),
        redaction: out.redaction(),
    };
    let e = explain(&text, &opts)?;
    match out.format {
        Format::Json => out.json(&e)?,
        Format::Sarif => out.json(&archcompat::sarif(
            archcompat::VERSION,
            &e.findings(&source),
        ))?,
        Format::Text => {
            let mut s = String::new();
            if e.causes.is_empty() {
                s.push_str("no known architecture or exec problem recognised in this text\n");
            }
            for (i, c) in e.causes.iter().enumerate() {
                s.push_str(&format!(
                    "{}. {} ({:.0}%): {}\n",
                    i + 1,
                    c.code,
                    c.confidence * 100.0,
                    c.why
                ));
                let p = &c.platforms;
                let named: Vec<String> = [
                    ("host", &p.host),
                    ("image", &p.image),
                    ("requested", &p.requested),
                ]
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
                .collect();
                if i == 0 && !named.is_empty() {
                    s.push_str(&format!("   platforms: {}\n", named.join(", ")));
                }
                for ev in &c.evidence {
                    s.push_str(&format!(
                        "   line {}: {}\n",
                        ev.line.unwrap_or(0),
                        ev.detail
                    ));
                }
                if let Some(check) = &c.check {
                    s.push_str(&format!("   check: {check}\n"));
                }
            }
            if !e.fixes.is_empty() {
                s.push_str("\nfixes:\n");
                for f in &e.fixes {
                    let target = serde_json::to_value(f.applies_to)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    s.push_str(&format!("  [{target}] {}\n", f.title));
                    for l in f.snippet.lines() {
                        s.push_str(&format!("      {l}\n"));
                    }
                }
            }
            out.text(&s)?
        }
    }
    Ok(if e.causes.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Problem
    })
}
