//! `archcompat fix`: concrete, ready-to-paste fixes for a cause (`--for CODE`), or a rewrite of
//! the user's own command line (`--from-command`) or file (`--file` compose/Dockerfile).

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{
    CauseCode, Fix, FixContext, Platform, Rewrite, RewriteOptions, fix_with, rewrite_command,
};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `archcompat fix`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["for_code", "from_command", "file", "list"])))]
pub struct FixArgs {
    /// The cause code to fix (see `archcompat codes`).
    #[arg(long = "for", value_name = "CODE")]
    pub for_code: Option<String>,
    /// A docker build/buildx build/run/pull/compose command line to rewrite.
    #[arg(long, value_name = "COMMAND")]
    pub from_command: Option<String>,
    /// A compose file or Dockerfile to rewrite (shown as a unified diff).
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// List the cause codes with what each means.
    #[arg(long)]
    pub list: bool,
    /// Where it must run (platform, alias or profile name).
    #[arg(long, value_name = "SPEC")]
    pub host: Option<String>,
    /// Target platform(s) of the image (repeat or comma-separate).
    #[arg(long = "platform", value_name = "SPEC", value_delimiter = ',')]
    pub platforms: Vec<String>,
    /// The image reference to fill into the snippets.
    #[arg(long)]
    pub image: Option<String>,
    /// The file involved (script or binary path).
    #[arg(long)]
    pub path: Option<String>,
    /// The missing interpreter (`/bin/bash`, `/lib64/ld-linux-x86-64.so.2`).
    #[arg(long)]
    pub interpreter: Option<String>,
    /// Rewrites: push a buildx build even for one platform.
    #[arg(long)]
    pub push: bool,
    /// Rewrites: the image is for AWS Lambda (adds --provenance=false).
    #[arg(long)]
    pub lambda: bool,
    /// Compose rewrites: only these services (repeatable).
    #[arg(long = "service")]
    pub services: Vec<String>,
}

fn platforms(specs: &[String]) -> Result<Vec<Platform>, CliError> {
    specs
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Platform>().map_err(CliError::from))
        .collect()
}

pub fn run_fix(args: FixArgs, out: &Output) -> Result<Outcome, CliError> {
    if args.list {
        let list: Vec<_> = CauseCode::ALL
            .iter()
            .map(|c| serde_json::json!({"code": c, "description": c.description()}))
            .collect();
        match out.format {
            Format::Text => out.text(
                &CauseCode::ALL
                    .iter()
                    .map(|c| format!("{:<26}{}\n", c.as_str(), c.description()))
                    .collect::<String>(),
            )?,
            _ => out.json(&list)?,
        }
        return Ok(Outcome::Ok);
    }
    let targets = platforms(&args.platforms)?;
    if let Some(code) = &args.for_code {
        let code: CauseCode = code.parse()?;
        let ctx = FixContext::from_specs(
            args.host.as_deref(),
            &args.platforms,
            args.image.clone(),
            args.path.clone(),
            args.interpreter.clone(),
        )?;
        let fixes = fix_with(code, &ctx, out.redaction());
        render(out, &fixes, None)?;
        return Ok(Outcome::Ok);
    }
    let mut opts = RewriteOptions {
        platforms: targets,
        push: args.push,
        lambda: args.lambda,
        path: None,
        redaction: out.redaction(),
    };
    if opts.platforms.is_empty() {
        if let Some(h) = &args.host {
            opts.platforms.push(archcompat::Host::resolve(h)?.platform);
        } else {
            return Err(CliError::Usage(
                "a rewrite needs the target: --platform SPEC[,SPEC…] (or --host SPEC)".into(),
            ));
        }
    }
    let rw = if let Some(cmd) = &args.from_command {
        rewrite_command(cmd, &opts)?
    } else {
        let path = args
            .file
            .as_ref()
            .expect("clap group guarantees one of the inputs");
        archcompat::rewrite_file(path, &opts, &args.services)?
    };
    let fixes = vec![rw.fix.clone()];
    render(out, &fixes, Some(&rw))?;
    Ok(Outcome::Ok)
}

fn render(out: &Output, fixes: &[Fix], rw: Option<&Rewrite>) -> Result<(), CliError> {
    match out.format {
        Format::Json | Format::Sarif => {
            let mut doc = serde_json::json!({ "fixes": fixes });
            if let Some(r) = rw {
                let mut r =
                    serde_json::to_value(r).map_err(|e| CliError::Internal(e.to_string()))?;
                r["fix"] = serde_json::to_value(&fixes[0])
                    .map_err(|e| CliError::Internal(e.to_string()))?;
                r["rewritten"] = serde_json::Value::String(fixes[0].snippet.to_string());
                if let Some(d) = &fixes[0].diff {
                    r["diff"] = serde_json::Value::String(d.clone());
                }
                doc["rewrite"] = r;
            }
            out.json(&doc)
        }
        Format::Text => {
            let mut s = String::new();
            if let (Some(r), Some(f)) = (rw, fixes.first()) {
                if r.changes.is_empty() {
                    s.push_str("nothing to change\n");
                } else {
                    for c in &r.changes {
                        s.push_str(&format!("- {c}\n"));
                    }
                    s.push('\n');
                    s.push_str(f.diff.as_deref().unwrap_or(&f.snippet));
                }
                return out.text(&s);
            }
            for f in fixes {
                s.push_str(&format!(
                    "[{}] {}\n",
                    serde_json::to_value(f.applies_to)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    f.title
                ));
                s.push_str(&format!("  why: {}\n", f.why));
                for l in f.snippet.lines() {
                    s.push_str(&format!("    {l}\n"));
                }
                s.push('\n');
            }
            out.text(&s)
        }
    }
}
