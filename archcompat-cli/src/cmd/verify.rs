//! `archcompat image SOURCE --verify [--verify-cmd ARGS]`: translation only. The flags are
//! flattened into `image`'s arguments; the run itself is `archcompat::verify_image`.
//! Text appends a "verify" section to the image report (loud when the run contradicts the
//! verdict); JSON is the image document plus `"verify"`.

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{Host, ImageReport, Options, Verdict, VerifyOptions, verify_image};
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// The `--verify` flags of `archcompat image`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// After the static verdict, unpack the image and start its entrypoint in a bwrap sandbox
    /// (under qemu-user-static when the image is not for this machine).
    #[arg(long)]
    pub verify: bool,
    /// Arguments replacing the image's CMD for the run (ENTRYPOINT is kept), split as a shell
    /// would: `--verify-cmd --version`, `--verify-cmd "sh -c 'uname -m'"`.
    #[arg(
        long,
        value_name = "ARGS",
        requires = "verify",
        allow_hyphen_values = true
    )]
    pub verify_cmd: Option<String>,
    /// Time limit of the run in seconds; a program still running then counts as started.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 5.0,
        requires = "verify"
    )]
    pub verify_timeout: f64,
    /// Directory holding the `qemu-ARCH-static` emulators (default: PATH).
    #[arg(long, value_name = "DIR", requires = "verify")]
    pub emulator_dir: Option<PathBuf>,
}

/// Run the verification and print it; `render` is the image report's text form.
pub fn run(
    source: &str,
    host: &Host,
    opts: &Options,
    args: &VerifyArgs,
    out: &Output,
    render: fn(&ImageReport) -> String,
) -> Result<Outcome, CliError> {
    if !(args.verify_timeout.is_finite() && args.verify_timeout > 0.0) {
        return Err(archcompat::Error::Unsupported {
            input: format!("--verify-timeout {}", args.verify_timeout),
            reason: "the time limit must be a positive number of seconds".into(),
        }
        .into());
    }
    let command = match &args.verify_cmd {
        None => None,
        Some(c) => Some(
            shlex::split(c).ok_or_else(|| archcompat::Error::Unsupported {
                input: format!("--verify-cmd {c}"),
                reason: "unbalanced quotes".into(),
            })?,
        ),
    };
    let vopts = VerifyOptions {
        timeout: Duration::from_secs_f64(args.verify_timeout.min(3600.0)),
        command,
        emulator_dir: args.emulator_dir.clone(),
        bwrap: None,
    };
    let v = verify_image(source, host, opts, &vopts)?;
    match out.format {
        Format::Json => out.json(&v)?,
        Format::Sarif => out.json(&archcompat::sarif(archcompat::VERSION, &v.report.findings))?,
        Format::Text => {
            let mut s = render(&v.report);
            let r = &v.verify;
            let _ = writeln!(s, "\nverify: {}", r.outcome.as_str());
            let _ = writeln!(s, "  ran      {:?} as {}", r.argv, r.platform);
            if let Some(e) = &r.emulator {
                let _ = writeln!(s, "  emulator {e}");
            }
            let _ = writeln!(s, "  started  {}", r.started);
            if let Some(c) = r.exit_code {
                let _ = writeln!(s, "  exit     {c}");
            }
            if let Some(sig) = r.signal {
                let _ = writeln!(s, "  signal   {sig}");
            }
            if r.timed_out {
                let _ = writeln!(
                    s,
                    "  timed out (still running at the limit: counts as started)"
                );
            }
            for (name, t) in [("stdout", &r.stdout_tail), ("stderr", &r.stderr_tail)] {
                let lines: Vec<&str> = t.lines().collect();
                for l in &lines[lines.len().saturating_sub(5)..] {
                    let _ = writeln!(s, "  {name}   {l}");
                }
            }
            if r.agrees_with_verdict {
                let _ = writeln!(
                    s,
                    "  agrees with the static verdict `{}`: {}",
                    v.report.verdict.as_str(),
                    r.message
                );
            } else {
                let _ = writeln!(s, "\n!!! {}", r.message);
            }
            out.text(&s)?;
        }
    }
    Ok(
        if v.report.verdict == Verdict::WontRun || !v.verify.outcome.runs() {
            Outcome::Problem
        } else {
            Outcome::Ok
        },
    )
}
