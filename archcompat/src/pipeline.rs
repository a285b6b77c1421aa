//! The front doors' pipelines, once: facts → findings → fixes for each user capability. The
//! CLI and both bindings call these (re-exported at the crate root) and only translate
//! arguments in and results out. Fixes are attached here, at the end, from the catalogue
//! ([`crate::fix::attach`]); the check modules produce findings only.
//!
//! Also here are the pieces every front door used to repeat: image limit overrides
//! ([`LimitOverrides`]), the lint document ([`LintReport`]) and choosing between a compose file
//! and a Dockerfile for a rewrite ([`rewrite_file`]).

use crate::check::binary::InspectEntry;
use crate::check::image::ImageReport;
use crate::error::{ErrorKind, FrontDoor, Limit};
use crate::finding::{CauseCode, Finding, Fix, FixContext};
use crate::fix::rewrite::{Rewrite, RewriteOptions};
use crate::image::{Limits, Options};
use crate::platform::Host;
use crate::{Error, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Read the image at `source` (OCI layout or archive, `docker save` archive, index/manifest/
/// config or inspect JSON, `docker://` reference) and judge it for `host`: the verdict, every
/// finding with its evidence, and the fixes that apply.
///
/// ```
/// use archcompat::{check_image, CauseCode, Host, Options, Verdict};
/// // The bundled example: its linux/amd64 entry holds an aarch64 program.
/// let amd64 = Host::from_platform("linux/amd64".parse().unwrap());
/// let r = check_image("../examples/hello-multiarch", &amd64, &Options::default()).unwrap();
/// assert_eq!(r.verdict, Verdict::WontRun);
/// let f = r.findings.iter().find(|f| f.code == CauseCode::ImageMislabeled).unwrap();
/// assert!(f.fixes.iter().any(|x| x.snippet.contains("docker buildx build --platform")));
/// ```
pub fn check_image(source: &str, host: &Host, opts: &Options) -> Result<ImageReport> {
    let mut r = crate::check::image::check_image(source, host, opts)?;
    crate::fix::attach(&mut r.findings, &r.fix_context);
    Ok(r)
}

/// [`check_image`] for a `docker save` or OCI archive read from any `Read + Seek` (the web
/// page's dropped file, read a slice at a time): `name` stands for the SOURCE in the report
/// and in messages, `tag` chooses an image when the archive holds several. Only the tar
/// headers and the blobs the image needs are read, so memory stays within [`Limits`].
///
/// ```no_run
/// use archcompat::{Host, Options, check_image_reader};
/// let tar = std::fs::File::open("app.tar").expect("app.tar");
/// let host = Host::resolve("aws-graviton2")?;
/// let r = check_image_reader(Box::new(tar), "app.tar", None, &host, &Options::default())?;
/// println!("{:?}", r.verdict);
/// # Ok::<(), archcompat::Error>(())
/// ```
pub fn check_image_reader(
    reader: Box<dyn crate::image::ArchiveReader>,
    name: &str,
    tag: Option<&str>,
    host: &Host,
    opts: &Options,
) -> Result<ImageReport> {
    let mut r = crate::check::image::check_image_reader(reader, name, tag, host, opts)?;
    crate::fix::attach(&mut r.findings, &r.fix_context);
    Ok(r)
}

fn attach_entry(e: InspectEntry, host: &Host) -> InspectEntry {
    attach_entry_with(e, host, crate::redact::Redaction::On)
}

fn attach_entry_with(
    mut e: InspectEntry,
    host: &Host,
    redaction: crate::redact::Redaction,
) -> InspectEntry {
    // Most files have nothing to fix: no context to build.
    if e.problems.is_empty() {
        return e;
    }
    let ctx = FixContext {
        host: Some(host.platform.clone()),
        targets: e.info.platform().cloned().into_iter().collect(),
        image: None,
        path: Some(e.path.clone()),
        interpreter: e.info.interpreter().map(str::to_string),
    };
    crate::fix::attach(&mut e.problems, &ctx);
    // The fixes echo the path and interpreter: the same policy as the rest of the entry (whose
    // own text the check already redacted).
    for f in &mut e.problems {
        for fix in &mut f.fixes {
            redaction.fix(fix);
        }
    }
    e
}

/// [`inspect_path`] with the redaction policy chosen (`Redaction::Off` echoes `#!` arguments,
/// paths and fixes as they are).
pub fn inspect_path_with(
    path: &Path,
    host: &Host,
    redaction: crate::redact::Redaction,
) -> Result<InspectEntry> {
    Ok(attach_entry_with(
        crate::check::binary::inspect_with(path, host, redaction)?,
        host,
        redaction,
    ))
}

/// [`fix`] with the redaction policy applied to the user text the fixes echo.
pub fn fix_with(
    code: CauseCode,
    ctx: &FixContext,
    redaction: crate::redact::Redaction,
) -> Vec<Fix> {
    crate::fix::fixes_for_with(code, ctx, redaction)
}

/// Classify the file at `path` from its bytes and say what would make exec fail on `host`,
/// with fixes.
///
/// ```
/// use archcompat::{inspect_path, Host};
/// let host = Host::from_platform("linux/amd64".parse().unwrap());
/// let e = inspect_path(std::path::Path::new("/nonexistent"), &host);
/// assert!(e.unwrap_err().to_string().contains("/nonexistent"));
/// ```
pub fn inspect_path(path: &Path, host: &Host) -> Result<InspectEntry> {
    Ok(attach_entry(
        crate::check::binary::inspect(path, host)?,
        host,
    ))
}

/// What a batch inspection says about one path: its entry, or why it could not be read.
/// Serialised untagged: an entry as `archcompat inspect --json` prints it, or
/// `{"path", "error": {"kind", "message", "errno"?, "limit"?}}`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum InspectOutcome {
    /// The path was read and classified.
    Entry(InspectEntry),
    /// The path could not be read (or was refused).
    Failed(InspectFailure),
}

/// A path a batch inspection could not classify.
#[derive(Debug, Clone, Serialize)]
pub struct InspectFailure {
    /// The path as given.
    pub path: String,
    /// What went wrong.
    pub error: ErrorReport,
}

/// An [`Error`] as data, for per-item failures inside a result (its message as one front door
/// shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    /// The stable kind.
    pub kind: ErrorKind,
    /// The message (names the input and what is wrong; redacted).
    pub message: String,
    /// The operating-system error number, for I/O failures that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errno: Option<i32>,
    /// The limit that tripped, when the caller can raise it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
}

impl ErrorReport {
    /// `e` as `door` would show it.
    pub fn new(e: &Error, door: FrontDoor) -> Self {
        ErrorReport {
            kind: e.kind(),
            message: e.message_for(door),
            errno: e.errno(),
            limit: e.limit(),
        }
    }
}

/// [`inspect_path_with`] over many paths, on up to one thread per core; the results are in the
/// order of `paths`, one per path, a failure where that path could not be read.
pub fn inspect_paths(
    paths: &[PathBuf],
    host: &Host,
    redaction: crate::redact::Redaction,
) -> Vec<Result<InspectEntry>> {
    in_parallel(paths, |p| inspect_path_with(p, host, redaction))
}

/// [`inspect_paths`] with each result handed to `finish` on the worker thread that produced
/// it (to render it there, in parallel, and drop the entry at once), and what `finish`
/// returns handed to `sink` on the calling thread in the order of `paths`, as soon as it and
/// every one before it are ready: the caller assembles its output while the workers read on,
/// and the workers' memory is reused instead of held until the end.
///
/// ```
/// use archcompat::{inspect_paths_then, Host, Redaction};
/// let host = Host::from_platform("linux/amd64".parse().unwrap());
/// let paths = vec!["../fixtures/bin/c-amd64-glibc-dyn".into(), "/nonexistent".into()];
/// let mut lines = Vec::new();
/// inspect_paths_then(
///     &paths,
///     &host,
///     Redaction::On,
///     |r| r.map(|e| e.info.format.to_string()),
///     |line| lines.push(line),
/// );
/// assert_eq!(lines[0].as_deref().unwrap(), "elf");
/// assert!(lines[1].is_err());
/// ```
pub fn inspect_paths_then<R: Send>(
    paths: &[PathBuf],
    host: &Host,
    redaction: crate::redact::Redaction,
    finish: impl Fn(Result<InspectEntry>) -> R + Sync,
    sink: impl FnMut(R),
) {
    in_parallel_each(
        paths,
        |p| finish(inspect_path_with(p, host, redaction)),
        sink,
    )
}

/// [`inspect_paths`] as data: a failure becomes an [`InspectFailure`] whose message is worded
/// for `door`.
pub fn inspect_outcomes(
    paths: &[PathBuf],
    host: &Host,
    redaction: crate::redact::Redaction,
    door: FrontDoor,
) -> Vec<InspectOutcome> {
    in_parallel(paths, |p| {
        outcome(p, inspect_path_with(p, host, redaction), door)
    })
}

/// [`inspect_outcomes`] handed to `sink` on the calling thread, in the order of `paths`, each
/// as soon as it and every one before it are ready, while the workers go on reading: a caller
/// that converts results (a binding building its own objects) does so alongside the reads
/// instead of after them, and need not hold them all.
///
/// ```
/// use archcompat::{inspect_outcomes_each, FrontDoor, Host, InspectOutcome, Redaction};
/// let host = Host::from_platform("linux/amd64".parse().unwrap());
/// let paths = vec!["../fixtures/bin/c-amd64-glibc-dyn".into(), "/nonexistent".into()];
/// let mut seen = Vec::new();
/// inspect_outcomes_each(&paths, &host, Redaction::On, FrontDoor::Cli, |o| seen.push(o));
/// assert!(matches!(&seen[0], InspectOutcome::Entry(e) if e.problems.is_empty()));
/// assert!(matches!(&seen[1], InspectOutcome::Failed(f) if f.path == "/nonexistent"));
/// ```
pub fn inspect_outcomes_each(
    paths: &[PathBuf],
    host: &Host,
    redaction: crate::redact::Redaction,
    door: FrontDoor,
    sink: impl FnMut(InspectOutcome),
) {
    in_parallel_each(
        paths,
        |p| outcome(p, inspect_path_with(p, host, redaction), door),
        sink,
    )
}

fn outcome(path: &Path, r: Result<InspectEntry>, door: FrontDoor) -> InspectOutcome {
    match r {
        Ok(e) => InspectOutcome::Entry(e),
        Err(e) => InspectOutcome::Failed(InspectFailure {
            path: path.display().to_string(),
            error: ErrorReport::new(&e, door),
        }),
    }
}

/// `f` over `items` on up to one thread per core, results in the order of `items`.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut out = Vec::with_capacity(items.len());
    in_parallel_each(items, f, |r| out.push(r));
    out
}

/// `f` over `items` on up to one thread per core, the calling thread among them (work taken
/// in small chunks from a shared counter); each result goes to `sink` on the calling thread,
/// in the order of `items`, once it and all before it are done. The calling thread hands on
/// what the others finished between chunks of its own, so nobody waits on a hand-off until
/// the work runs out. A worker's panic is resumed on the calling thread.
fn in_parallel_each<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R),
) {
    const CHUNK: usize = 16;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len().div_ceil(CHUNK));
    if threads <= 1 {
        items.iter().map(f).for_each(sink);
        return;
    }
    let next = AtomicUsize::new(0);
    // The next chunk of work done, with where it starts; `None` when the work has run out.
    let take = || {
        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
        let end = start.checked_add(CHUNK)?.min(items.len());
        (start < end).then(|| (start, items[start..end].iter().map(&f).collect::<Vec<R>>()))
    };
    std::thread::scope(|sc| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<R>)>();
        let workers: Vec<_> = (1..threads)
            .map(|_| {
                let (tx, take) = (tx.clone(), &take);
                sc.spawn(move || {
                    while let Some(done) = take() {
                        // The receiver is gone only when the calling thread is unwinding.
                        if tx.send(done).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        // Chunks are done in any order; a chunk is handed on once every one before it has been.
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        let mut hand_on = |waiting: &mut std::collections::BTreeMap<usize, Vec<R>>| {
            while let Some(done) = waiting.remove(&due) {
                due += CHUNK;
                done.into_iter().for_each(&mut sink);
            }
        };
        while let Some((start, done)) = take() {
            waiting.insert(start, done);
            waiting.extend(rx.try_iter());
            hand_on(&mut waiting);
        }
        for (start, done) in rx {
            waiting.insert(start, done);
            hand_on(&mut waiting);
        }
        for w in workers {
            w.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
    });
}

/// [`inspect_path`] for in-memory bytes (a prefix of a `file_len`-byte file).
pub fn inspect_bytes(data: &[u8], file_len: u64, host: &Host) -> InspectEntry {
    attach_entry(
        crate::check::binary::inspect_bytes(data, file_len, host),
        host,
    )
}

/// [`inspect_bytes`] for the bytes of a file called `name` (the whole file, or a prefix of a
/// `file_len`-byte one), with the redaction policy chosen: the entry `archcompat inspect`
/// prints for that file.
pub fn inspect_bytes_with(
    data: &[u8],
    file_len: u64,
    name: &str,
    host: &Host,
    redaction: crate::redact::Redaction,
) -> InspectEntry {
    attach_entry_with(
        crate::check::binary::inspect_bytes_named(data, file_len, name, host, redaction),
        host,
        redaction,
    )
}

/// The lint document: what `archcompat lint --json` prints and the bindings return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintReport {
    /// Findings, ordered by line, each with its fixes.
    pub findings: Vec<Finding>,
}

fn lint_fixes(mut findings: Vec<Finding>) -> LintReport {
    crate::fix::attach(&mut findings, &FixContext::default());
    LintReport { findings }
}

/// Lint Dockerfile text for architecture hazards.
///
/// ```
/// use archcompat::{lint, LintOptions};
/// let r = lint("FROM golang:1.23\nRUN GOARCH=amd64 go build -o /app .\n", &LintOptions::default()).unwrap();
/// assert_eq!(r.findings[0].code.as_str(), "hardcoded-arch");
/// assert!(r.findings[0].fixes[0].diff.is_some());
/// ```
pub fn lint(text: &str, opts: &crate::dockerfile::LintOptions) -> Result<LintReport> {
    Ok(lint_fixes(crate::dockerfile::lint(text, opts)?))
}

/// Read and lint a Dockerfile; the build context (for copied scripts) defaults to its
/// directory. Echoed text is redacted unless `redaction` is off.
pub fn lint_path(
    path: &Path,
    context: Option<&Path>,
    redaction: crate::redact::Redaction,
) -> Result<LintReport> {
    Ok(lint_fixes(crate::dockerfile::lint_path_with(
        path, context, redaction,
    )?))
}

/// Explain a pasted text (runtime errors, build logs, kubectl/ECS/Lambda output, compose and CI
/// logs): causes ranked most likely first, with the fixes for the likely ones attached here,
/// filled with the platforms and image the text names.
///
/// ```
/// use archcompat::{explain, ExplainOptions};
/// let log = "WARNING: The requested image's platform (linux/amd64) does not match the detected host platform (linux/arm64/v8) and no specific platform was requested\nexec /usr/local/bin/docker-entrypoint.sh: exec format error\n";
/// let e = explain(log, &ExplainOptions::default()).unwrap();
/// assert_eq!(e.causes[0].code.as_str(), "arch-mismatch");
/// assert!(e.fixes[0].snippet.contains("linux/arm64"));
/// ```
pub fn explain(
    text: &str,
    opts: &crate::diagnose::ExplainOptions,
) -> Result<crate::diagnose::Explanation> {
    let (mut e, ctx) = crate::diagnose::causes(text, opts)?;
    for code in e.likely_codes() {
        for f in crate::fix::fixes_for(code, &ctx) {
            if !e.fixes.iter().any(|x| x.id == f.id) {
                e.fixes.push(f);
            }
        }
    }
    Ok(e)
}

/// Read and lint several Dockerfiles into one report: findings in the order of `paths`, each
/// naming its file in its location (as `archcompat lint A B …` and a pre-commit hook want).
/// The first file that cannot be read or linted ends the run with its error. `context`, when
/// given, is the build context of every file; otherwise each file's directory.
///
/// ```
/// use archcompat::{Redaction, lint_paths};
/// let dir = std::env::temp_dir().join(format!("archcompat-doc-lint-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("a.Dockerfile"), "FROM golang:1.23\nRUN GOARCH=amd64 go build -o /app .\n")?;
/// std::fs::write(dir.join("b.Dockerfile"), "FROM alpine:3.20\n")?;
/// let r = lint_paths(&[dir.join("a.Dockerfile"), dir.join("b.Dockerfile")], None, Redaction::On)?;
/// assert_eq!(r.findings.len(), 1);
/// assert!(r.findings[0].location.as_ref().unwrap().path.ends_with("a.Dockerfile"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint_paths(
    paths: &[impl AsRef<Path>],
    context: Option<&Path>,
    redaction: crate::redact::Redaction,
) -> Result<LintReport> {
    let mut findings = Vec::new();
    for p in paths {
        findings.extend(crate::dockerfile::lint_path_with(
            p.as_ref(),
            context,
            redaction,
        )?);
    }
    Ok(lint_fixes(findings))
}

/// Lint what a front door was given: `text` (shown as `path`, `-` or `Dockerfile`) or the file
/// at `path`.
pub fn lint_input(
    text: Option<&str>,
    path: Option<&Path>,
    context: Option<PathBuf>,
    redaction: crate::redact::Redaction,
) -> Result<LintReport> {
    match (text, path) {
        (Some(t), p) => lint(
            t,
            &crate::dockerfile::LintOptions {
                path: p.map(|p| p.display().to_string()).unwrap_or_default(),
                context,
                redaction,
            },
        ),
        (None, Some(p)) => lint_path(p, context.as_deref(), redaction),
        (None, None) => Err(Error::Unsupported {
            input: "lint".into(),
            reason: "give the Dockerfile text or a path".into(),
        }),
    }
}

/// Ready-to-paste fixes for a cause code, filled from `ctx` (the catalogue's offers).
///
/// ```
/// use archcompat::{fix, CauseCode, FixContext};
/// let ctx = FixContext::from_specs(Some("linux/amd64"), &["linux/arm64".into()], Some("ghcr.io/acme/api:1.4".into()), None, None).unwrap();
/// let fixes = fix(CauseCode::ArchMismatch, &ctx);
/// assert!(fixes[0].snippet.contains("--platform linux/amd64,linux/arm64 -t ghcr.io/acme/api:1.4 --push ."));
/// ```
pub fn fix(code: CauseCode, ctx: &FixContext) -> Vec<Fix> {
    crate::fix::fixes_for(code, ctx)
}

/// Is this text (named `name`) a compose file rather than a Dockerfile?
pub fn is_compose(name: &str, text: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".yml")
        || name.ends_with(".yaml")
        || text.lines().any(|l| l.starts_with("services:"))
}

/// What a pasted text is: the web page's type chooser, detected from the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A Dockerfile (linted, and rewritten for the target).
    Dockerfile,
    /// One `docker build`/`buildx build`/`run`/`pull`/`compose` command line (rewritten).
    Command,
    /// A compose file (rewritten: `platform:` per service).
    Compose,
    /// An error log or anything else (explained).
    Log,
}

/// The instructions a Dockerfile line may start with.
const DOCKERFILE_INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// The programs a pasted command line may start with (after a `$ ` prompt or `sudo`).
fn is_command_start(line: &str) -> bool {
    let l = line.trim_start();
    let l = l.strip_prefix("$ ").unwrap_or(l).trim_start();
    let l = l.strip_prefix("sudo ").unwrap_or(l).trim_start();
    ["docker ", "docker-compose ", "podman ", "nerdctl "]
        .iter()
        .any(|p| l.starts_with(p))
}

/// Whether every line of `text` could belong to a YAML mapping: indented, a list item, a
/// document marker, or a top-level `key:` (a log quoting a compose file is not one).
fn looks_like_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim_end();
        if l.is_empty() || l.starts_with([' ', '\t', '#', '-']) || l == "..." {
            return true;
        }
        let key = l.split_once(':').map(|(k, _)| k).unwrap_or("");
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.\"'".contains(c))
    })
}

/// Detect what `text` is: one command line (a `docker …` line, possibly continued with `\`),
/// a compose file (a top-level `services:`, and YAML throughout), a Dockerfile (its first instruction is `FROM` or
/// `ARG` and most lines start with an instruction), or else a log.
///
/// ```
/// use archcompat::{InputKind, detect_input};
/// assert_eq!(detect_input("docker build -t app \\\n  ."), InputKind::Command);
/// assert_eq!(detect_input("services:\n  web:\n    image: nginx\n"), InputKind::Compose);
/// assert_eq!(detect_input("# syntax=docker/dockerfile:1\nFROM alpine\nRUN apk add curl\n"), InputKind::Dockerfile);
/// assert_eq!(detect_input("exec /app: exec format error\n"), InputKind::Log);
/// ```
pub fn detect_input(text: &str) -> InputKind {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Logical lines: `\` continuations joined, blank lines and `#` comments left out.
    let mut logical: Vec<String> = Vec::new();
    let mut continued = false;
    for raw in text.lines() {
        let line = raw.trim_end_matches('\r');
        let t = line.trim();
        let next_continued = t.ends_with('\\');
        if continued {
            if let Some(last) = logical.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        } else if !t.is_empty() && !t.starts_with('#') {
            logical.push(t.to_string());
        }
        continued = next_continued;
    }
    let Some(first) = logical.first() else {
        return InputKind::Log;
    };
    if logical.len() == 1 && is_command_start(first) {
        return InputKind::Command;
    }
    if is_compose("", text) && looks_like_yaml(text) {
        return InputKind::Compose;
    }
    let keyword = |l: &str| {
        let w = l.split_whitespace().next().unwrap_or("");
        DOCKERFILE_INSTRUCTIONS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(w))
    };
    let first_word = first.split_whitespace().next().unwrap_or("");
    if first_word.eq_ignore_ascii_case("FROM") || first_word.eq_ignore_ascii_case("ARG") {
        let instructions = logical.iter().filter(|l| keyword(l)).count();
        // Heredoc bodies (`RUN <<EOF … EOF`) are lines without an instruction; logs that
        // happen to start with `FROM` are mostly other lines.
        if instructions * 2 >= logical.len() {
            return InputKind::Dockerfile;
        }
    }
    InputKind::Log
}

/// Rewrite the compose file or Dockerfile at `path` for `opts.platforms` (compose: only
/// `services`, or all when empty).
pub fn rewrite_file(path: &Path, opts: &RewriteOptions, services: &[String]) -> Result<Rewrite> {
    let text = crate::dockerfile::read_dockerfile(path)?;
    let mut opts = opts.clone();
    opts.path = Some(path.display().to_string());
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_compose(name, &text) {
        crate::fix::rewrite::rewrite_compose(&text, &opts, services)
    } else {
        crate::fix::rewrite::rewrite_dockerfile(&text, &opts)
    }
}

/// Audit `source` (`docker://HOST[/PREFIX]`, a file of references or a folder of OCI layouts)
/// for `opts.targets`; with `html`, also write the self-contained HTML report there.
pub fn audit_report(
    source: &str,
    opts: &crate::audit::AuditOptions,
    html: Option<&Path>,
) -> Result<crate::audit::AuditReport> {
    let r = crate::audit::audit(source, opts)?;
    write_audit_html(&r, html)?;
    Ok(r)
}

/// Join partial audits (files written by `archcompat audit --json`); with `html`, also write
/// the HTML report of the whole.
pub fn audit_merge_files(
    paths: &[PathBuf],
    html: Option<&Path>,
) -> Result<crate::audit::AuditReport> {
    let parts = paths
        .iter()
        .map(|p| crate::audit::read_report(p))
        .collect::<Result<Vec<_>>>()?;
    let r = crate::audit::merge(parts)?;
    write_audit_html(&r, html)?;
    Ok(r)
}

fn write_audit_html(r: &crate::audit::AuditReport, html: Option<&Path>) -> Result<()> {
    if let Some(h) = html {
        std::fs::write(h, crate::audit::html(r)).map_err(|e| Error::io(h, e))?;
    }
    Ok(())
}

/// What the bindings' `admission_review` returns: the AdmissionReview response the API server
/// expects, and the decision with its findings and fixes.
#[derive(Debug, Clone, Serialize)]
pub struct AdmissionResult {
    /// The AdmissionReview response (`apiVersion`, `kind`, `response`).
    pub review: serde_json::Value,
    /// The decision: allowed or not, why, findings with fixes.
    pub decision: crate::admission::Decision,
}

/// Decide on one AdmissionReview (the request's JSON) as `archcompat webhook` would.
pub fn admission_result(
    config: crate::admission::webhook::Config,
    body: &[u8],
) -> Result<AdmissionResult> {
    let decision = crate::admission::webhook::review_once(config, body)?;
    Ok(AdmissionResult {
        review: decision.to_review(),
        decision,
    })
}

/// Overrides of the default image-reading limits, as CLI flags and binding options give them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitOverrides {
    /// Most bytes decompressed across the image's layers.
    pub max_bytes: Option<u64>,
    /// Most tar entries across the image's layers.
    pub max_entries: Option<u64>,
    /// Largest JSON document (index, manifest, config) accepted.
    pub max_json_bytes: Option<u64>,
    /// Most bytes of one file read for classification (at least 64).
    pub max_file_read: Option<u64>,
    /// Most symbolic links followed while resolving one path.
    pub max_link_hops: Option<u32>,
    /// Seconds a whole image may take to read from a registry.
    pub registry_timeout: Option<u64>,
    /// Slowest accepted registry transfer, in bytes per second.
    pub registry_min_rate: Option<u64>,
    /// Seconds a registry transfer may run below the minimum rate before it is cut.
    pub registry_grace: Option<u64>,
}

impl LimitOverrides {
    /// The default limits with these overrides applied.
    pub fn limits(&self) -> Limits {
        let mut l = Limits::default();
        if let Some(v) = self.max_bytes {
            l.max_bytes = v;
        }
        if let Some(v) = self.max_entries {
            l.max_entries = v;
        }
        if let Some(v) = self.max_json_bytes {
            l.json.max_bytes = v;
        }
        if let Some(v) = self.max_file_read {
            l.max_file_read = v.max(64);
        }
        if let Some(v) = self.max_link_hops {
            l.max_link_hops = v;
        }
        if let Some(v) = self.registry_timeout {
            l.registry_deadline_secs = v;
        }
        if let Some(v) = self.registry_min_rate {
            l.registry_min_rate = v;
        }
        if let Some(v) = self.registry_grace {
            l.registry_grace_secs = v;
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_overrides_apply_and_clamp() {
        let d = Limits::default();
        assert_eq!(LimitOverrides::default().limits().max_bytes, d.max_bytes);
        let l = LimitOverrides {
            max_bytes: Some(10),
            max_file_read: Some(1),
            max_link_hops: Some(3),
            ..Default::default()
        }
        .limits();
        assert_eq!((l.max_bytes, l.max_file_read, l.max_link_hops), (10, 64, 3));
        assert_eq!(l.max_entries, d.max_entries);
    }

    #[test]
    fn batch_inspection_reports_each_path() {
        let host = Host::from_platform("linux/amd64".parse().unwrap());
        let dir = std::env::temp_dir().join(format!("archcompat-batch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("run.sh");
        std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
        // 40 paths: enough for several chunks on several threads, order kept.
        let paths: Vec<PathBuf> = (0..40)
            .map(|i| {
                if i % 3 == 0 {
                    dir.join(format!("missing-{i}"))
                } else {
                    script.clone()
                }
            })
            .collect();
        let out = inspect_outcomes(
            &paths,
            &host,
            crate::redact::Redaction::On,
            FrontDoor::Python,
        );
        assert_eq!(out.len(), 40);
        for (i, o) in out.iter().enumerate() {
            match o {
                InspectOutcome::Failed(f) => {
                    assert_eq!(i % 3, 0);
                    assert_eq!(f.path, paths[i].display().to_string());
                    assert_eq!((f.error.kind, f.error.errno), (ErrorKind::Io, Some(2)));
                    assert!(f.error.message.contains(&format!("missing-{i}")));
                }
                InspectOutcome::Entry(e) => {
                    assert_ne!(i % 3, 0);
                    assert_eq!(e.info.format.as_str(), "script");
                }
            }
        }
        let v = serde_json::to_value(&out[0]).unwrap();
        assert_eq!(v["error"]["kind"], "io");
        assert_eq!(v["error"]["errno"], 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Results reach the sink in the order of the items whatever order the workers finish
    /// their chunks in (uneven work: the later chunks finish first), each exactly once; a
    /// worker's panic reaches the caller.
    #[test]
    fn parallel_results_keep_their_order() {
        let items: Vec<usize> = (0..500).collect();
        let mut seen = Vec::new();
        in_parallel_each(
            &items,
            |&i| {
                if i % 97 < 16 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                i * 2
            },
            |r| seen.push(r),
        );
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(in_parallel(&items, |&i| i + 1)[499], 500);
        let caught = std::panic::catch_unwind(|| {
            in_parallel_each(&items, |&i| assert!(i != 300, "item 300"), |_| {})
        });
        if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
            let p = caught.unwrap_err();
            let msg = p
                .downcast_ref::<&str>()
                .copied()
                .or(p.downcast_ref::<String>().map(String::as_str));
            assert_eq!(msg, Some("item 300"));
        } else {
            assert!(caught.is_err());
        }
    }

    #[test]
    fn outcomes_each_equal_the_collected_outcomes() {
        let host = Host::from_platform("linux/amd64".parse().unwrap());
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/bin");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&bin)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths.push(bin.join("missing"));
        let all = inspect_outcomes(&paths, &host, crate::redact::Redaction::On, FrontDoor::Node);
        let mut each = Vec::new();
        inspect_outcomes_each(
            &paths,
            &host,
            crate::redact::Redaction::On,
            FrontDoor::Node,
            |o| each.push(o),
        );
        assert!(all.len() > 20, "{}", all.len());
        assert_eq!(
            serde_json::to_value(&all).unwrap(),
            serde_json::to_value(&each).unwrap()
        );
    }

    #[test]
    fn compose_is_told_from_a_dockerfile() {
        assert!(is_compose("compose.YAML", "x"));
        assert!(is_compose("stack", "version: '3'\nservices:\n  a: {}\n"));
        assert!(!is_compose("Dockerfile", "FROM alpine\n"));
    }

    #[test]
    fn lint_fixes_come_from_the_catalogue_once() {
        let r = lint(
            "FROM --platform=linux/amd64 alpine\nARG TARGETARCH=amd64\nRUN echo $TARGETARCH\n",
            &Default::default(),
        )
        .unwrap();
        assert!(!r.findings.is_empty());
        for f in &r.findings {
            assert!(f.requests.is_empty());
            assert!(!f.fixes.is_empty(), "{f:?}");
            for x in &f.fixes {
                assert!(crate::fix::catalogue::entry(&x.id).is_some(), "{}", x.id);
            }
        }
    }
}
