//! The `archcompat` command: the front door for people and CI.
//!
//! Translation only: parse arguments, call the core library, render its results as text,
//! JSON or SARIF, and map outcomes to the contract's exit codes (0 ok, 1 problem found,
//! 2 bad usage or unreadable input). No domain logic lives here.

mod cmd;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Will this container run on that machine? If not, why, and exactly what do I change?
#[derive(Debug, Parser)]
#[command(name = "archcompat", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: output::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the stable cause codes of the contract.
    Codes,
    /// Parse, normalise and match OCI platforms (containerd semantics).
    Platform(cmd::platform::PlatformArgs),
    /// What this machine (or a named deployment target) can run.
    Host(cmd::platform::HostArgs),
    /// Classify files: what each is, what it needs to run, and why exec would fail.
    Inspect(cmd::inspect::InspectArgs),
    /// Will this image run on that host? Reads indexes, manifests and the layers themselves.
    Image(cmd::image::ImageArgs),
    /// Explain an error log or pasted text: ranked causes, evidence and fixes.
    Explain(cmd::explain::ExplainArgs),
    /// Concrete, ready-to-paste fixes for a cause, or a rewrite of your command/file.
    Fix(cmd::fix::FixArgs),
    /// Lint a Dockerfile for architecture hazards.
    Lint(cmd::lint::LintArgs),
    /// Convert reports between formats (SARIF to GitLab Code Quality).
    Report(cmd::report::ReportArgs),
    /// Serve a Kubernetes ValidatingAdmissionWebhook that denies pods whose images cannot run on their nodes.
    #[cfg(feature = "webhook")]
    Webhook(cmd::webhook::WebhookArgs),
    /// Redact secrets from a text (log, command, Dockerfile): the text, and counts by kind.
    Redact(cmd::text::RedactArgs),
    /// Say what a text is: a Dockerfile, a docker command, a compose file or a log.
    Detect(cmd::text::DetectArgs),
    /// Audit a registry (or reference list, or folder of OCI layouts) against target platforms.
    Audit(cmd::audit::AuditArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with exit 0; usage errors exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let out = output::Output::new(&cli.global);
    let result = match cli.command {
        Command::Codes => cmd::codes::run(&out),
        Command::Platform(a) => cmd::platform::run_platform(a, &out),
        Command::Host(a) => cmd::platform::run_host(a, &out),
        Command::Inspect(a) => cmd::inspect::run_inspect(a, &out),
        Command::Image(a) => cmd::image::run_image(a, &out),
        Command::Explain(a) => cmd::explain::run_explain(a, &out),
        Command::Fix(a) => cmd::fix::run_fix(a, &out),
        Command::Lint(a) => cmd::lint::run_lint(a, &out),
        Command::Report(a) => cmd::report::run_report(a, &out),
        #[cfg(feature = "webhook")]
        Command::Webhook(a) => cmd::webhook::run_webhook(a, &out),
        Command::Audit(a) => cmd::audit::run_audit(a, &out),
        Command::Redact(a) => cmd::text::run_redact(a, &out),
        Command::Detect(a) => cmd::text::run_detect(a, &out),
    };
    output::finish(result)
}
