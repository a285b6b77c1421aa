//! `archcompat platform parse|match` and `archcompat host`.

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{Host, PROFILES, ParseEntry, Platform, match_document, parse_all};
use clap::{Args, Subcommand};

/// Arguments of `archcompat platform`.
#[derive(Debug, Args)]
pub struct PlatformArgs {
    #[command(subcommand)]
    command: PlatformCommand,
}

#[derive(Debug, Subcommand)]
enum PlatformCommand {
    /// Parse and normalise platform specifiers (containerd's grammar plus common aliases).
    Parse {
        /// Exactly containerd's Parse: no user aliases (`armv7l`, Rust triples …).
        #[arg(long)]
        containerd: bool,
        /// Specifiers: `linux/arm64/v8`, `windows(10.0.17763)/amd64`, `aarch64`, `armhf` …
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<String>,
    },
    /// Which candidates can a host run, and which one would it pick (containerd ranking)?
    Match {
        /// The host: `local` (this machine, default), a platform, or a profile name.
        #[arg(long, value_name = "SPEC", default_value = "local")]
        host: String,
        /// OnlyStrict: no fallback to older variants or 32-bit modes.
        #[arg(long)]
        strict: bool,
        /// Candidate platforms (e.g. the entries of an image index).
        #[arg(required = true, value_name = "CANDIDATE")]
        candidates: Vec<String>,
    },
}

pub fn run_platform(args: PlatformArgs, out: &Output) -> Result<Outcome, CliError> {
    match args.command {
        PlatformCommand::Parse { containerd, specs } => run_parse(containerd, &specs, out),
        PlatformCommand::Match {
            host,
            strict,
            candidates,
        } => run_match(&host, strict, &candidates, out),
    }
}

fn run_parse(containerd: bool, specs: &[String], out: &Output) -> Result<Outcome, CliError> {
    let entries = parse_all(specs, containerd);
    match out.format {
        Format::Json => out.json(&entries)?,
        _ => {
            let mut text = String::new();
            for e in &entries {
                match e {
                    ParseEntry::Ok {
                        input, formatted, ..
                    } => text.push_str(&format!("{input}\t{formatted}\n")),
                    ParseEntry::Err { input, error } => {
                        text.push_str(&format!("{input}\terror: {error}\n"))
                    }
                }
            }
            out.text(&text)?;
        }
    }
    match entries.iter().find_map(|e| match e {
        ParseEntry::Err { error, .. } => Some(error.clone()),
        ParseEntry::Ok { .. } => None,
    }) {
        Some(e) => Err(CliError::Usage(e)),
        None => Ok(Outcome::Ok),
    }
}

fn run_match(
    host_spec: &str,
    strict: bool,
    candidates: &[String],
    out: &Output,
) -> Result<Outcome, CliError> {
    let json = match_document(host_spec, candidates, strict)?;
    match out.format {
        Format::Json => out.json(&json)?,
        _ => {
            let mut text = format!("host {} ({})\n", json.host, json.host_source);
            let width = candidates.iter().map(|c| c.len()).max().unwrap_or(0);
            for c in &json.candidates {
                text.push_str(&format!(
                    "  {:width$}  {:10}  {}\n",
                    c.input,
                    c.runs.as_str(),
                    c.reason
                ));
            }
            match (&json.best, &json.best_runnable) {
                (Some(b), Some(r)) if b == r => text.push_str(&format!("picks {b}\n")),
                (Some(b), Some(r)) => text.push_str(&format!(
                    "containerd picks {b}, but {r} is the one that runs on this host\n"
                )),
                (Some(b), None) => text.push_str(&format!(
                    "containerd picks {b}, but none of the candidates runs on this host\n"
                )),
                (None, Some(r)) => text.push_str(&format!(
                    "containerd picks none without --platform; {r} runs (emulated)\n"
                )),
                (None, None) => text.push_str("no candidate runs on this host\n"),
            }
            out.text(&text)?;
        }
    }
    Ok(if json.is_ok() {
        Outcome::Ok
    } else {
        Outcome::Problem
    })
}

/// Arguments of `archcompat host`.
#[derive(Debug, Args)]
pub struct HostArgs {
    /// Describe this target instead of the local machine: a platform or a profile name.
    #[arg(long, value_name = "SPEC", default_value = "local")]
    host: String,
    /// List the named deployment profiles `--host` accepts.
    #[arg(long)]
    list_profiles: bool,
}

pub fn run_host(args: HostArgs, out: &Output) -> Result<Outcome, CliError> {
    if args.list_profiles {
        match out.format {
            Format::Json => out.json(&PROFILES)?,
            _ => {
                let mut text = String::new();
                for p in PROFILES {
                    let bits = match (p.aarch32, p.ia32) {
                        (Some(true), _) => "32-bit ARM: yes",
                        (Some(false), _) => "32-bit ARM: no",
                        (_, Some(true)) => "32-bit x86: yes",
                        (_, Some(false)) => "32-bit x86: no",
                        _ => "32-bit: unknown",
                    };
                    let level = p
                        .amd64_level
                        .map(|l| format!(", x86-64-v{l}"))
                        .unwrap_or_default();
                    let emu = if p.emulated.is_empty() {
                        String::new()
                    } else {
                        format!(", emulates {}", p.emulated.join(" "))
                    };
                    text.push_str(&format!(
                        "{:30} {:16} {} KiB pages, {bits}{level}{emu}\n{:30} {} — {}\n",
                        p.name,
                        p.platform,
                        p.page_size / 1024,
                        "",
                        p.description,
                        p.cpu
                    ));
                }
                out.text(&text)?;
            }
        }
        return Ok(Outcome::Ok);
    }
    let host = Host::resolve(&args.host)?;
    let report = host.report();
    match out.format {
        Format::Json => out.json(&report)?,
        _ => out.text(&host_text(&report))?,
    }
    Ok(Outcome::Ok)
}

fn host_text(r: &archcompat::HostReport) -> String {
    let h = &r.host;
    let list = |v: &[Platform]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let tri = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    let mut t = format!("platform        {}\n", h.platform);
    t.push_str(&format!("source          {}\n", h.source));
    if let Some(m) = &h.machine {
        t.push_str(&format!("machine         {m}\n"));
    }
    if let Some(k) = &h.kernel {
        t.push_str(&format!("kernel          {k}\n"));
    }
    if let Some(c) = &h.cpu {
        t.push_str(&format!("cpu             {c}\n"));
    }
    if let Some(l) = h.amd64_level {
        t.push_str(&format!("x86-64 level    v{l}\n"));
    }
    t.push_str(&format!("page size       {} bytes\n", h.page_size));
    let arch = h.platform.normalize().architecture;
    if arch == "arm64" || arch == "arm" {
        t.push_str(&format!("32-bit ARM      {}\n", tri(h.aarch32)));
    }
    if arch == "amd64" {
        t.push_str(&format!("32-bit x86      {}\n", tri(h.ia32)));
    }
    if let Some(l) = &h.libc {
        t.push_str(&format!(
            "libc            {} {}\n",
            l.family,
            l.version.as_deref().unwrap_or("")
        ));
    }
    t.push_str(&format!("runs natively   {}\n", list(&r.runs_natively)));
    t.push_str(&format!("emulated        {}\n", list(&r.emulated)));
    match h.binfmt_misc {
        Some(false) => t.push_str("binfmt_misc     not mounted, so no emulators are registered\n"),
        Some(true) => {
            for e in &h.emulators {
                t.push_str(&format!(
                    "  {} {} → {} [{}]{}\n",
                    e.name,
                    e.platform
                        .as_ref()
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "?".into()),
                    e.interpreter,
                    e.flags,
                    if e.enabled { "" } else { " (disabled)" }
                ));
            }
        }
        None => {}
    }
    t
}
