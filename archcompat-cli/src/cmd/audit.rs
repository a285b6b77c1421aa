//! `archcompat audit SOURCE --target SPEC[,SPEC…] [--deep] [--state FILE] [--html FILE]` and
//! `archcompat audit --merge FILE…`: translation only. Parses the arguments, calls
//! `archcompat::audit_report`, prints a table, JSON or SARIF (and writes the HTML report when asked),
//! exit 1 when a tag misses a target or has an error-level finding.

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{
    AuditOptions, AuditProgress, AuditReport, Limits, Options, TargetStatus, audit_merge_files,
    audit_report, audit_sarif, parse_audit_targets,
};
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Arguments of `archcompat audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// `docker://HOST[/PREFIX]` (every repository under PREFIX and all their tags), a file with
    /// one image reference per line, or a folder of OCI layouts.
    #[arg(required_unless_present = "merge")]
    pub source: Option<String>,
    /// Target platforms, aliases or profiles (repeat or separate with commas).
    #[arg(long, value_name = "SPEC[,SPEC…]", required_unless_present = "merge")]
    pub target: Vec<String>,
    /// Also read each target's layers: mislabeled binaries and entrypoint problems.
    #[arg(long)]
    pub deep: bool,
    /// Parallel connections at most.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub jobs: usize,
    /// Names asked for per catalog / tag-list page.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub page_size: usize,
    /// Resume from and record progress to FILE (JSON lines): an interrupted audit continues
    /// where it stopped.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Join the JSON outputs of partial audits (`--json` of each) instead of auditing.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["source", "state", "deep"])]
    pub merge: Vec<PathBuf>,
    /// Also write the self-contained HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Reach a non-loopback registry over plain HTTP / without certificate checks.
    #[arg(long)]
    pub insecure: bool,
}

fn progress(out: &Output) -> Option<Arc<dyn Fn(AuditProgress) + Send + Sync>> {
    if out.quiet || !out.stderr_tty {
        return None;
    }
    let bar: Arc<Mutex<Option<indicatif::ProgressBar>>> = Arc::new(Mutex::new(None));
    Some(Arc::new(move |p: AuditProgress| {
        let Ok(mut slot) = bar.lock() else { return };
        match p {
            AuditProgress::Listed { tags } => {
                let pb = indicatif::ProgressBar::with_draw_target(
                    Some(tags as u64),
                    indicatif::ProgressDrawTarget::stderr(),
                );
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {pos}/{len} tags {msg}",
                ) {
                    pb.set_style(style.progress_chars("=> "));
                }
                *slot = Some(pb);
            }
            AuditProgress::Tag {
                done,
                repository,
                tag,
            } => {
                if let Some(pb) = slot.as_ref() {
                    pb.set_position(done as u64);
                    pb.set_message(format!("{repository}:{tag}"));
                    if Some(done as u64) >= pb.length() {
                        pb.finish_and_clear();
                    }
                }
            }
        }
    }))
}

pub fn run_audit(args: AuditArgs, out: &Output) -> Result<Outcome, CliError> {
    let report = if !args.merge.is_empty() {
        audit_merge_files(&args.merge, args.html.as_deref())?
    } else {
        let source = args.source.clone().unwrap_or_default();
        let opts = AuditOptions {
            targets: parse_audit_targets(&args.target)?,
            deep: args.deep,
            jobs: args.jobs.max(1),
            page_size: args.page_size.max(1),
            state: args.state.clone(),
            image: Options {
                limits: Limits::default(),
                insecure: args.insecure,
                progress: None,
                threads: 1,
                redaction: out.redaction(),
            },
            progress: progress(out),
        };
        audit_report(&source, &opts, args.html.as_deref())?
    };
    match out.format {
        Format::Json => out.json(&report)?,
        Format::Sarif => out.json(&audit_sarif(&report))?,
        Format::Text => out.text(&render(&report))?,
    }
    Ok(if report.all_complete() {
        Outcome::Ok
    } else {
        Outcome::Problem
    })
}

fn render(r: &AuditReport) -> String {
    let mut s = String::new();
    let targets: Vec<String> = r.targets.iter().map(|t| t.to_string()).collect();
    let _ = writeln!(s, "audit   {}", r.source);
    let _ = writeln!(
        s,
        "targets {}{}",
        targets.join(", "),
        if r.deep { " (deep)" } else { "" }
    );
    let name_w = r
        .records
        .iter()
        .map(|x| x.repository.len() + x.tag.len() + 1)
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = write!(s, "\n{:<name_w$}  ", "REPOSITORY:TAG");
    for t in &targets {
        let _ = write!(s, "{t:<w$}  ", w = t.len().max(3));
    }
    let _ = writeln!(s, "PLATFORMS");
    for rec in &r.records {
        let _ = write!(
            s,
            "{:<name_w$}  ",
            format!("{}:{}", rec.repository, rec.tag)
        );
        for (i, t) in targets.iter().enumerate() {
            let mark = match (&rec.error, rec.targets.get(i)) {
                (None, Some(x)) => match x.status {
                    TargetStatus::Present => "✓",
                    TargetStatus::Compatible => "≈",
                    TargetStatus::Missing => "✗",
                },
                _ => "?",
            };
            let _ = write!(s, "{mark:<w$}  ", w = t.len().max(3));
        }
        let mut plats: Vec<String> = rec.platforms.iter().map(|p| p.to_string()).collect();
        if rec.attestations > 0 {
            plats.push(format!("+{} attestation", rec.attestations));
        }
        match &rec.error {
            Some(e) => {
                let _ = writeln!(s, "unreadable: {e}");
            }
            None => {
                let _ = writeln!(s, "{}", plats.join(", "));
            }
        }
        for f in rec
            .findings
            .iter()
            .filter(|f| f.code != archcompat::CauseCode::NoMatchingManifest)
        {
            let _ = writeln!(s, "    {}: {}", f.code, f.message);
        }
    }
    let m = &r.summary;
    let _ = writeln!(
        s,
        "\n{} repositories, {} tags: {} complete, {} incomplete, {} unreadable; {} documents fetched, {} reused by digest{}",
        m.repositories,
        m.tags,
        m.complete,
        m.incomplete,
        m.errors,
        m.fetched,
        m.reused,
        if m.resumed > 0 {
            format!(", {} tags resumed from the state file", m.resumed)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        s,
        "✓ present  ≈ only a compatible platform  ✗ missing  ? unreadable"
    );
    s
}
