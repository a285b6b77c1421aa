//! `archcompat image SOURCE [--host SPEC]`: translation only. Parses the arguments, calls
//! `archcompat::check_image`, prints text, JSON or SARIF, and maps the verdict to the exit
//! code (1 on `wont-run`).

use crate::output::{CliError, Format, Outcome, Output};
use archcompat::{Host, ImageReport, LimitOverrides, Options, Progress, Verdict, check_image};
use clap::Args;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// Arguments of `archcompat image`.
#[derive(Debug, Args)]
pub struct ImageArgs {
    /// OCI layout dir (`oci:DIR[:TAG]` or a bare dir), OCI or docker-save tarball
    /// (`oci-archive:`/`docker-archive:` prefixes optional), an index/manifest/config or
    /// docker/skopeo inspect JSON file, or `docker://HOST/REPO:TAG` / `@sha256:…`; `-`: a
    /// `docker save` or OCI archive on standard input (spooled to a temporary file of at most
    /// `--max-bytes`).
    pub source: String,
    /// The host to judge for: a platform (`linux/arm64`), an alias (`aarch64`), a profile
    /// (`aws-graviton2`), or `local` for this machine.
    #[arg(long, default_value = "local")]
    pub host: String,
    /// Reach a non-loopback registry over plain HTTP / without certificate checks.
    #[arg(long)]
    pub insecure: bool,
    /// Most bytes decompressed across the image's layers.
    #[arg(long, value_name = "BYTES")]
    pub max_bytes: Option<u64>,
    /// Most tar entries across the image's layers.
    #[arg(long, value_name = "N")]
    pub max_entries: Option<u64>,
    /// Largest JSON document (index, manifest, config) accepted.
    #[arg(long, value_name = "BYTES")]
    pub max_json_bytes: Option<u64>,
    /// Most bytes of one file read for classification.
    #[arg(long, value_name = "BYTES")]
    pub max_file_read: Option<u64>,
    /// Most symbolic links followed while resolving one path.
    #[arg(long, value_name = "N")]
    pub max_link_hops: Option<u32>,
    /// Layers read in parallel (0: one per core, at most 4).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Registry sources: seconds for the whole image, every request and blob together.
    #[arg(long, value_name = "SECS")]
    pub registry_timeout: Option<u64>,
    /// Registry sources: slowest average transfer accepted (bytes per second), once the grace
    /// period has passed; a response silent for the grace period is a stall.
    #[arg(long, value_name = "BYTES")]
    pub registry_min_rate: Option<u64>,
    /// Registry sources: seconds before the minimum rate applies and the longest silence.
    #[arg(long, value_name = "SECS")]
    pub registry_grace: Option<u64>,
    #[command(flatten)]
    pub verify: crate::cmd::verify::VerifyArgs,
}

fn progress_bar(out: &Output) -> Option<Arc<dyn Fn(Progress) + Send + Sync>> {
    if out.quiet || !out.stderr_tty {
        return None;
    }
    let bar: Arc<Mutex<Option<indicatif::ProgressBar>>> = Arc::new(Mutex::new(None));
    Some(Arc::new(move |p: Progress| {
        let Ok(mut slot) = bar.lock() else { return };
        match p {
            Progress::Start { layers, bytes } => {
                let pb = indicatif::ProgressBar::with_draw_target(
                    Some(bytes),
                    indicatif::ProgressDrawTarget::stderr(),
                );
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
                ) {
                    pb.set_style(style.progress_chars("=> "));
                }
                pb.set_message(format!("reading {layers} layer(s)"));
                *slot = Some(pb);
            }
            Progress::Layer { index, digest } => {
                if let Some(pb) = slot.as_ref() {
                    let short: String = digest.chars().take(19).collect();
                    pb.set_message(format!("layer {} {short}", index + 1));
                }
            }
            Progress::Read(n) => {
                if let Some(pb) = slot.as_ref() {
                    pb.set_position(n);
                }
            }
            Progress::Done => {
                if let Some(pb) = slot.take() {
                    pb.finish_and_clear();
                }
            }
        }
    }))
}

pub fn run_image(args: ImageArgs, out: &Output) -> Result<Outcome, CliError> {
    let host = Host::resolve(&args.host)?;
    let limits = LimitOverrides {
        max_bytes: args.max_bytes,
        max_entries: args.max_entries,
        max_json_bytes: args.max_json_bytes,
        max_file_read: args.max_file_read,
        max_link_hops: args.max_link_hops,
        registry_timeout: args.registry_timeout,
        registry_min_rate: args.registry_min_rate,
        registry_grace: args.registry_grace,
    }
    .limits();
    let opts = Options {
        limits,
        insecure: args.insecure,
        progress: progress_bar(out),
        threads: args.threads,
        redaction: out.redaction(),
    };
    if args.verify.verify {
        if args.source == "-" {
            return Err(CliError::Usage(
                "--verify runs the image from a file or reference; save the archive from standard input to a file first".into(),
            ));
        }
        return crate::cmd::verify::run(&args.source, &host, &opts, &args.verify, out, render);
    }
    let report = if args.source == "-" {
        let archive = spool_stdin(opts.limits.max_bytes)?;
        archcompat::check_image_reader(Box::new(archive), "-", None, &host, &opts)?
    } else {
        check_image(&args.source, &host, &opts)?
    };
    match out.format {
        Format::Json => out.json(&report)?,
        Format::Sarif => out.json(&archcompat::sarif(archcompat::VERSION, &report.findings))?,
        Format::Text => out.text(&render(&report))?,
    }
    Ok(if report.verdict == Verdict::WontRun {
        Outcome::Problem
    } else {
        Outcome::Ok
    })
}

/// Standard input is not seekable and an archive's index and layers are read out of order, so
/// it is copied to an unnamed temporary file (gone when the command ends), at most `max`
/// bytes. Only a tar archive is accepted there: a gzip stream or a JSON document is refused
/// with what to do instead.
fn spool_stdin(max: u64) -> Result<std::fs::File, CliError> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |e| archcompat::Error::io("-", e);
    let mut file = tempfile::tempfile().map_err(|e| {
        CliError::Internal(format!(
            "cannot create a temporary file for standard input in {}: {e}",
            std::env::temp_dir().display()
        ))
    })?;
    let copied =
        std::io::copy(&mut std::io::stdin().lock().take(max + 1), &mut file).map_err(io)?;
    if copied > max {
        return Err(archcompat::Error::LimitExceeded {
            input: "-".into(),
            reason: format!("more than {max} bytes on standard input (raise --max-bytes)"),
        }
        .into());
    }
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut head = Vec::with_capacity(512);
    (&mut file).take(512).read_to_end(&mut head).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    if archcompat::is_tar_head(&head) {
        return Ok(file);
    }
    let reason = if head.starts_with(&[0x1f, 0x8b]) {
        "a gzip stream; decompress it first (`gunzip -c FILE | archcompat image -`)"
    } else if head.trim_ascii_start().starts_with(b"{") || head.trim_ascii_start().starts_with(b"[")
    {
        "a JSON document; standard input takes a `docker save` or OCI archive, pass JSON as a file"
    } else if head.is_empty() {
        "empty; expected a `docker save` or OCI archive (`docker save IMAGE | archcompat image -`)"
    } else {
        "not a tar archive; expected a `docker save` or OCI archive"
    };
    Err(archcompat::Error::Unsupported {
        input: "-".into(),
        reason: reason.into(),
    }
    .into())
}

fn render(r: &ImageReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "image   {}", r.source);
    let _ = writeln!(s, "host    {}", r.host);
    if !r.platforms.is_empty() {
        let _ = writeln!(s, "index entries:");
        for e in &r.platforms {
            let p = e
                .platform
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_else(|| "(no platform)".into());
            let status = serde_json::to_value(e.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let short: String = e.digest.chars().take(19).collect();
            let _ = writeln!(s, "  {status:<11} {p:<18} {short}  {}", e.reason);
        }
    }
    match &r.selected {
        Some(sel) => {
            let _ = write!(s, "selected {} ({})", sel.platform, sel.digest);
            if let Some(a) = &sel.actual_platform {
                let _ = write!(s, ", binaries are {a}");
            }
            s.push('\n');
        }
        None => s.push_str("selected nothing\n"),
    }
    if let Some(ep) = &r.entrypoint {
        let _ = write!(s, "entrypoint {:?}", ep.argv);
        if let Some(f) = &ep.file {
            let _ = write!(s, " -> {}", f.path);
            if let Some(b) = &f.binary {
                let _ = write!(s, " ({}", b.format());
                if let Some(p) = b.platform() {
                    let _ = write!(s, ", {p}");
                }
                s.push(')');
            }
        }
        if let Some(i) = &ep.interpreter {
            let _ = write!(
                s,
                "; interpreter {} {}",
                i.requested,
                if i.found { "present" } else { "MISSING" }
            );
        }
        s.push('\n');
    }
    if r.binaries.scanned > 0 {
        let by: Vec<String> = r
            .binaries
            .by_platform
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let _ = writeln!(
            s,
            "binaries {} classified in {} layer(s) ({})",
            r.binaries.scanned,
            r.layers.len(),
            by.join(", ")
        );
    }
    for n in &r.notes {
        let _ = writeln!(s, "note    {n}");
    }
    let _ = writeln!(s, "\nverdict: {}", r.verdict.as_str());
    for f in &r.findings {
        let sev = serde_json::to_value(f.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(s, "\n{sev}[{}]: {}", f.code, f.message);
        for e in &f.evidence {
            let mut line = format!("  evidence: {}", e.detail);
            if let Some(p) = &e.path {
                let _ = write!(line, " [path {p}]");
            }
            if let Some(l) = &e.layer {
                let short: String = l.chars().take(19).collect();
                let _ = write!(line, " [layer {short}]");
            }
            let _ = writeln!(s, "{line}");
        }
        for fx in &f.fixes {
            let target = serde_json::to_value(fx.applies_to)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(s, "  fix [{target}]: {}", fx.title);
            for l in fx.snippet.lines() {
                let _ = writeln!(s, "      {l}");
            }
        }
    }
    s
}
