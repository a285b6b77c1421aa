//! `archcompat lint [DOCKERFILE…]`: Dockerfile architecture hazards as rustc-style snippets,
//! JSON (`{"findings": [...]}`, one document for every file, each finding naming its file) or
//! SARIF; exit 1 when a finding reaches `--fail-on`.

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{Finding, Severity};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Arguments of `archcompat lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The Dockerfiles to lint (`-` alone for standard input).
    #[arg(default_value = "Dockerfile")]
    pub dockerfiles: Vec<PathBuf>,
    /// Build context to check copied scripts in (default: the Dockerfile's directory).
    #[arg(long)]
    pub context: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
}

/// Severity threshold for a failing exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail only on errors.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    None,
}

pub fn run_lint(args: LintArgs, out: &Output) -> Result<Outcome, CliError> {
    let stdin = args.dockerfiles.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.dockerfiles.len() > 1 {
        return Err(archcompat::Error::Unsupported {
            input: "-".into(),
            reason: "standard input is linted alone; give it without other files".into(),
        }
        .into());
    }
    let (report, displays) = if stdin {
        // The same size cap and checks as a file (no unbounded read of standard input).
        let text = archcompat::read_dockerfile_from(std::io::stdin().lock(), "-")?;
        let report = archcompat::lint_input(
            Some(&text),
            Some(std::path::Path::new("-")),
            args.context.clone(),
            out.redaction(),
        )?;
        (report, vec!["-".to_string()])
    } else {
        let report =
            archcompat::lint_paths(&args.dockerfiles, args.context.as_deref(), out.redaction())?;
        let displays = args
            .dockerfiles
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        (report, displays)
    };
    let findings = &report.findings;
    match out.format {
        Format::Json => out.json(&report)?,
        Format::Sarif => out.json(&archcompat::sarif(archcompat::VERSION, findings))?,
        Format::Text => {
            // One block per file, in the order given, each with its own summary line.
            let mut s = String::new();
            for d in &displays {
                let mine: Vec<Finding> = findings
                    .iter()
                    .filter(|f| {
                        displays.len() == 1 || f.location.as_ref().is_some_and(|l| &l.path == d)
                    })
                    .cloned()
                    .collect();
                s.push_str(&render(d, &mine));
            }
            out.text(&s)?
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::None => None,
    };
    let failed = threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t));
    Ok(if failed {
        Outcome::Problem
    } else {
        Outcome::Ok
    })
}

/// rustc-style snippets: `warning[code]: message`, the line with carets, then the fixes. Only
/// the findings' own (redacted, bounded) evidence is echoed, never the raw Dockerfile.
fn render(path: &str, findings: &[Finding]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let _ = writeln!(s, "{level}[{}]: {}", f.code, f.message);
        let line = f.location.as_ref().and_then(|l| l.line);
        if let Some(n) = line {
            let width = n.to_string().len();
            let col = f.location.as_ref().and_then(|l| l.column);
            let _ = writeln!(
                s,
                "{:width$}--> {path}:{n}{}",
                "",
                col.map(|c| format!(":{c}")).unwrap_or_default()
            );
            let _ = writeln!(s, "{:width$} |", "");
            let src = f.evidence.first().map(|e| e.detail.as_str()).unwrap_or("");
            let src = src.trim_start_matches('\u{feff}');
            let _ = writeln!(s, "{n} | {src}");
            // Carets only under a whole echoed line (a long line is echoed as a window).
            let whole = !src.starts_with('…');
            let width_chars = src.chars().count() as u32 + 1;
            if let (Some(c), Some(loc), true) = (col, f.location.as_ref(), whole)
                && c <= width_chars
            {
                let end = loc
                    .end_column
                    .unwrap_or(c + 1)
                    .max(c + 1)
                    .min(width_chars.max(c + 1));
                let _ = writeln!(
                    s,
                    "{:width$} | {}{}",
                    "",
                    " ".repeat(c as usize - 1),
                    "^".repeat((end - c) as usize)
                );
            }
        }
        for e in f.evidence.iter().skip(1) {
            let _ = writeln!(
                s,
                "  = note: {}{}",
                e.path
                    .as_deref()
                    .map(|p| format!("{p}: "))
                    .unwrap_or_default(),
                e.detail
            );
        }
        for fix in &f.fixes {
            let _ = writeln!(s, "  = help: {}", fix.title);
            for l in fix.snippet.lines() {
                let _ = writeln!(s, "          {l}");
            }
        }
        s.push('\n');
    }
    let count = |sev| findings.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "{path}: {} error(s), {} warning(s), {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    s
}
