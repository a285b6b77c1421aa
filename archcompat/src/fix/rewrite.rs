//! Rewrites of the user's own input — a docker/buildx/compose command line, a compose file or a
//! Dockerfile — into a corrected version plus a unified diff, keeping everything else exactly:
//! other arguments, their quoting and spacing, comments and indentation.
//!
//! ```
//! use archcompat::{rewrite_command, RewriteOptions};
//! let opts = RewriteOptions::for_platforms(&["linux/amd64", "linux/arm64"]).unwrap();
//! let r = rewrite_command("docker build -t 'my app:1' .", &opts).unwrap();
//! assert_eq!(r.rewritten, "docker buildx build --platform linux/amd64,linux/arm64 --push -t 'my app:1' .");
//! ```

use super::catalogue::RewriteWhy;
use crate::dockerfile::{LintOptions, hazards};
use crate::edits::{LineIndex, apply_edits, unified_diff};
use crate::finding::Fix;
use crate::platform::Platform;
use crate::{Error, Result};
use serde::Serialize;
use std::borrow::Cow;

/// What to change.
#[derive(Debug, Clone, Default)]
pub struct RewriteOptions {
    /// Target platforms. One: run/build for it. Several: a multi-platform buildx push.
    pub platforms: Vec<Platform>,
    /// Turn a build into a pushed buildx build even for one platform.
    pub push: bool,
    /// The image is for AWS Lambda: add `--provenance=false` (Lambda rejects attestation indexes).
    pub lambda: bool,
    /// The path shown in diffs (defaults per kind).
    pub path: Option<String>,
    /// Whether the user text in the result (original, rewritten, diff, argv, fix) is redacted.
    pub redaction: crate::redact::Redaction,
}

impl RewriteOptions {
    /// Options for these platform specifiers (aliases accepted).
    pub fn for_platforms(specs: &[&str]) -> Result<Self> {
        let platforms = specs
            .iter()
            .map(|s| s.parse::<Platform>())
            .collect::<Result<Vec<_>>>()?;
        Ok(RewriteOptions {
            platforms,
            ..Default::default()
        })
    }
    fn joined(&self) -> String {
        self.platforms
            .iter()
            .map(short)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// `linux/arm64` rather than `linux/arm64/v8`: what people write on command lines.
fn short(p: &Platform) -> String {
    let n = p.normalize();
    let mut s = format!("{}/{}", n.os, n.architecture);
    if !n.variant.is_empty() {
        s.push('/');
        s.push_str(&n.variant);
    }
    s
}

/// What kind of input was rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RewriteKind {
    /// A command line.
    Command,
    /// A compose file.
    Compose,
    /// A Dockerfile.
    Dockerfile,
}

impl RewriteKind {
    /// Every kind, in declaration order.
    pub const ALL: [RewriteKind; 3] = [
        RewriteKind::Command,
        RewriteKind::Compose,
        RewriteKind::Dockerfile,
    ];

    /// The id of the [`Fix`] a rewrite of this kind carries (`rewrite-command` …).
    pub fn fix_id(self) -> &'static str {
        match self {
            RewriteKind::Command => "rewrite-command",
            RewriteKind::Compose => "rewrite-compose",
            RewriteKind::Dockerfile => "rewrite-dockerfile",
        }
    }
}

/// A rewrite: the corrected input, a unified diff, and what changed.
#[derive(Debug, Clone, Serialize)]
pub struct Rewrite {
    /// What was rewritten.
    pub kind: RewriteKind,
    /// The input as given.
    pub original: String,
    /// The corrected input.
    pub rewritten: String,
    /// Unified diff from `original` to `rewritten` (empty when nothing changed).
    pub diff: String,
    /// For commands: the rewritten command split into argv as a POSIX shell would.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argv: Option<Vec<String>>,
    /// Each change, in words.
    pub changes: Vec<String>,
    /// The change as a contract `Fix` (snippet = the corrected input, diff included).
    pub fix: Fix,
}

impl Rewrite {
    /// The rewrite with the redaction policy applied to every piece of user text it carries.
    pub fn redacted(mut self, r: crate::redact::Redaction) -> Self {
        if !r.is_on() {
            return self;
        }
        r.apply_in_place(&mut self.original);
        r.apply_in_place(&mut self.rewritten);
        r.apply_in_place(&mut self.diff);
        if let Some(argv) = &mut self.argv {
            *argv = crate::redact::redact_argv(argv, r);
        }
        for c in &mut self.changes {
            r.apply_in_place(c);
        }
        r.fix(&mut self.fix);
        self
    }
}

fn finish(
    kind: RewriteKind,
    original: &str,
    rewritten: String,
    path: &str,
    changes: Vec<String>,
    argv: Option<Vec<String>>,
    why: RewriteWhy,
) -> Rewrite {
    finish_with_diff(kind, original, rewritten, path, changes, argv, why, None)
}

/// [`finish`] with a diff already made from the edits (linear in the lines they touch, where a
/// line diff of the whole text is quadratic when thousands of lines change).
#[allow(clippy::too_many_arguments)]
fn finish_with_diff(
    kind: RewriteKind,
    original: &str,
    rewritten: String,
    path: &str,
    changes: Vec<String>,
    argv: Option<Vec<String>>,
    why: RewriteWhy,
    made: Option<String>,
) -> Rewrite {
    let diff = if original == rewritten {
        String::new()
    } else if let Some(d) = made {
        d
    } else {
        unified_diff(&ensure_nl(original), &ensure_nl(&rewritten), path)
    };
    let title = if changes.is_empty() {
        "Nothing to change".to_string()
    } else {
        changes.join("; ")
    };
    Rewrite {
        kind,
        original: original.to_string(),
        fix: Fix {
            id: Cow::Borrowed(kind.fix_id()),
            title: Cow::Owned(title),
            why: Cow::Borrowed(why.why()),
            applies_to: why.target(),
            snippet: Cow::Owned(rewritten.clone()),
            diff: (!diff.is_empty()).then(|| diff.clone()),
        },
        rewritten,
        diff,
        argv,
        changes,
    }
}

fn ensure_nl(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

// ------------------------------------------------------------------ command lines

/// A shell word with its byte span in the command line and its unquoted value.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    value: String,
    /// An unquoted control operator (`;`, `&&`, `||`, `|`, `&`).
    operator: bool,
}

/// Split a command line into words the way a POSIX shell does (quotes, backslashes, line
/// continuations), keeping each word's span so edits leave everything else untouched.
fn words(cmd: &str) -> Result<Vec<Word>> {
    let b = cmd.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && b.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if matches!(c, b';' | b'&' | b'|') {
            let len = if b.get(i + 1) == Some(&c) && c != b';' {
                2
            } else {
                1
            };
            out.push(Word {
                start: i,
                end: i + len,
                value: cmd[i..i + len].to_string(),
                operator: true,
            });
            i += len;
            continue;
        }
        let start = i;
        let mut value = String::new();
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b';' | b'&' | b'|') {
            match b[i] {
                b'\'' => {
                    let close = cmd[i + 1..]
                        .find('\'')
                        .ok_or_else(|| Error::malformed("command", "unterminated single quote"))?;
                    value.push_str(&cmd[i + 1..i + 1 + close]);
                    i += close + 2;
                }
                b'"' => {
                    i += 1;
                    loop {
                        match b.get(i) {
                            None => {
                                return Err(Error::malformed(
                                    "command",
                                    "unterminated double quote",
                                ));
                            }
                            Some(b'"') => {
                                i += 1;
                                break;
                            }
                            Some(b'\\')
                                if matches!(b.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`')) =>
                            {
                                value.push(b[i + 1] as char);
                                i += 2;
                            }
                            Some(b'\\') if b.get(i + 1) == Some(&b'\n') => i += 2,
                            Some(_) => {
                                let ch = cmd[i..].chars().next().unwrap_or('\u{fffd}');
                                value.push(ch);
                                i += ch.len_utf8();
                            }
                        }
                    }
                }
                b'\\' => {
                    if b.get(i + 1) == Some(&b'\n') {
                        i += 2;
                        continue;
                    }
                    if let Some(ch) = cmd.get(i + 1..).and_then(|r| r.chars().next()) {
                        value.push(ch);
                        i += 1 + ch.len_utf8();
                    } else {
                        i += 1;
                    }
                }
                _ => {
                    let ch = cmd[i..].chars().next().unwrap_or('\u{fffd}');
                    value.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        out.push(Word {
            start,
            end: i,
            value,
            operator: false,
        });
    }
    Ok(out)
}

/// Quote a value for a POSIX shell only when it needs it.
fn quote(v: &str) -> String {
    if !v.is_empty()
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_./,:=@%+".contains(&c))
    {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}

struct Edits(Vec<crate::edits::Edit>);
impl Edits {
    fn insert(&mut self, at: usize, text: String) {
        self.0.push(crate::edits::Edit {
            start: at,
            end: at,
            replacement: text,
        });
    }
    fn replace(&mut self, start: usize, end: usize, text: String) {
        self.0.push(crate::edits::Edit {
            start,
            end,
            replacement: text,
        });
    }
}

/// Find an option (`--name value` or `--name=value`) among `args`; returns (option word index,
/// value span start, value span end, value).
fn find_option(args: &[Word], cmd: &str, names: &[&str]) -> Option<(usize, usize, usize, String)> {
    for (i, w) in args.iter().enumerate() {
        for n in names {
            if w.value == *n {
                let v = args.get(i + 1)?;
                return Some((i, v.start, v.end, v.value.clone()));
            }
            if let Some(rest) = w.value.strip_prefix(&format!("{n}=")) {
                let raw = &cmd[w.start..w.end];
                let eq = raw.find('=').map(|j| w.start + j + 1).unwrap_or(w.end);
                return Some((i, eq, w.end, rest.to_string()));
            }
        }
    }
    None
}

/// Rewrite a `docker build|run|create|pull`, `docker buildx build` or `docker compose …` command
/// line for the target platforms.
pub fn rewrite_command(cmd: &str, opts: &RewriteOptions) -> Result<Rewrite> {
    rewrite_command_raw(cmd, opts).map(|r| r.redacted(opts.redaction))
}

fn rewrite_command_raw(cmd: &str, opts: &RewriteOptions) -> Result<Rewrite> {
    if opts.platforms.is_empty() {
        return Err(Error::Unsupported {
            input: "rewrite".into(),
            reason: "no target platform given".into(),
        });
    }
    if cmd.len() > 64 * 1024 {
        return Err(Error::LimitExceeded {
            input: "command".into(),
            reason: "longer than 64 KiB".into(),
        });
    }
    let all = words(cmd)?;
    // The first `docker` invocation, after any leading VAR=value assignments.
    let seg_end = all.iter().position(|w| w.operator).unwrap_or(all.len());
    let seg = &all[..seg_end];
    let d = seg
        .iter()
        .position(|w| w.value == "docker" || w.value.ends_with("/docker"))
        .ok_or_else(|| Error::Unsupported { input: cmd.to_string(), reason: "not a docker command (expected `docker build|buildx build|run|create|pull|compose …`)".into() })?;
    let rest = &seg[d + 1..];
    // Skip global docker options such as `--context X`, `-H X`, `--debug`.
    let mut k = 0;
    while k < rest.len() && rest[k].value.starts_with('-') {
        let takes_value = matches!(
            rest[k].value.as_str(),
            "--context" | "-c" | "-H" | "--host" | "--config" | "--log-level" | "-l"
        );
        k += if takes_value { 2 } else { 1 };
    }
    let sub = rest.get(k).ok_or_else(|| Error::Unsupported {
        input: cmd.to_string(),
        reason: "docker with no subcommand".into(),
    })?;
    let mut edits = Edits(Vec::new());
    let mut changes = Vec::new();
    let plat = opts.joined();
    let multi = opts.platforms.len() > 1;
    let why = match sub.value.as_str() {
        "run" | "create" | "pull" | "container" | "image" => {
            // `docker container run`, `docker image pull`.
            let (verb_idx, verb) = if matches!(sub.value.as_str(), "container" | "image") {
                let v = rest.get(k + 1).ok_or_else(|| Error::Unsupported {
                    input: cmd.to_string(),
                    reason: "incomplete docker command".into(),
                })?;
                (k + 1, v)
            } else {
                (k, sub)
            };
            if !matches!(verb.value.as_str(), "run" | "create" | "pull") {
                return Err(Error::Unsupported {
                    input: cmd.to_string(),
                    reason: format!("cannot add a platform to `docker {}`", verb.value),
                });
            }
            if multi {
                return Err(Error::Unsupported {
                    input: cmd.to_string(),
                    reason: format!("`docker {}` takes one platform, not {plat}", verb.value),
                });
            }
            let args = &rest[verb_idx + 1..];
            set_platform(&mut edits, &mut changes, args, cmd, verb.end, &plat);
            RewriteWhy::RunPlatform
        }
        "build" | "buildx" | "builder" => {
            let (build_word, args_from) = if sub.value == "build" {
                (sub, k + 1)
            } else {
                let b = rest
                    .get(k + 1)
                    .filter(|w| w.value == "build" || w.value == "b")
                    .ok_or_else(|| Error::Unsupported {
                        input: cmd.to_string(),
                        reason: "only `docker buildx build` can be rewritten".into(),
                    })?;
                (b, k + 2)
            };
            let args = &rest[args_from..];
            let to_buildx = sub.value == "build" && (multi || opts.push);
            if to_buildx {
                edits.replace(sub.start, sub.end, "buildx build".into());
                changes.push("use `docker buildx build` (multi-platform builds need buildx with a docker-container builder or the containerd image store)".into());
            }
            let is_buildx = sub.value != "build" || to_buildx;
            set_platform(&mut edits, &mut changes, args, cmd, build_word.end, &plat);
            if is_buildx && (multi || opts.push) {
                let has_output = args.iter().any(|w| {
                    w.value == "--push"
                        || w.value == "-o"
                        || w.value.starts_with("--output")
                        || w.value.starts_with("-o=")
                });
                if let Some(load) = args.iter().find(|w| w.value == "--load") {
                    edits.replace(load.start, load.end, "--push".into());
                    changes.push("replace `--load` with `--push` (the classic image store cannot load a multi-platform list)".into());
                } else if !has_output {
                    edits.insert(build_word.end, " --push".into());
                    changes.push(
                        "add `--push` so the multi-platform index reaches the registry".into(),
                    );
                }
            }
            if opts.lambda && !args.iter().any(|w| w.value.starts_with("--provenance")) {
                edits.insert(build_word.end, " --provenance=false".into());
                changes.push("add `--provenance=false` (Lambda rejects image indexes with attestation manifests)".into());
            }
            RewriteWhy::BuildxPlatforms
        }
        "compose" => {
            if multi {
                return Err(Error::Unsupported {
                    input: cmd.to_string(),
                    reason: "compose runs one platform per service; give one platform".into(),
                });
            }
            let first = &seg[0];
            if let Some(w) = seg[..d]
                .iter()
                .find(|w| w.value.starts_with("DOCKER_DEFAULT_PLATFORM="))
            {
                if w.value != format!("DOCKER_DEFAULT_PLATFORM={plat}") {
                    edits.replace(w.start, w.end, format!("DOCKER_DEFAULT_PLATFORM={plat}"));
                    changes.push(format!("set DOCKER_DEFAULT_PLATFORM={plat}"));
                }
            } else {
                edits.insert(first.start, format!("DOCKER_DEFAULT_PLATFORM={plat} "));
                changes.push(format!("prefix DOCKER_DEFAULT_PLATFORM={plat} (applies to services without their own `platform:`)"));
            }
            RewriteWhy::ComposeDefaultPlatform
        }
        other => {
            return Err(Error::Unsupported {
                input: cmd.to_string(),
                reason: format!("cannot rewrite `docker {other}` for a platform"),
            });
        }
    };
    let rewritten = apply_edits(cmd, &edits.0);
    let seg_text_end = all.get(seg_end).map(|w| w.start).unwrap_or(cmd.len());
    let shift = rewritten.len() as isize - cmd.len() as isize;
    let new_seg = &rewritten[..(seg_text_end as isize + shift).max(0) as usize];
    let argv = words(new_seg)?
        .into_iter()
        .filter(|w| !w.operator)
        .map(|w| w.value)
        .collect();
    let path = opts.path.clone().unwrap_or_else(|| "command".into());
    Ok(finish(
        RewriteKind::Command,
        cmd,
        rewritten,
        &path,
        changes,
        Some(argv),
        why,
    ))
}

fn set_platform(
    edits: &mut Edits,
    changes: &mut Vec<String>,
    args: &[Word],
    cmd: &str,
    after: usize,
    plat: &str,
) {
    if let Some((_, vs, ve, old)) = find_option(args, cmd, &["--platform"]) {
        if old != plat {
            edits.replace(vs, ve, quote(plat));
            changes.push(format!("change --platform {old} to {plat}"));
        }
    } else {
        edits.insert(after, format!(" --platform {}", quote(plat)));
        changes.push(format!("add --platform {plat}"));
    }
}

// ------------------------------------------------------------------ compose files

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Add (or correct) `platform:` on every service of a compose file, editing the text so that
/// comments, quoting and indentation stay as they are. Services listed in `only` (when not
/// empty) are the only ones touched.
pub fn rewrite_compose(text: &str, opts: &RewriteOptions, only: &[String]) -> Result<Rewrite> {
    rewrite_compose_raw(text, opts, only).map(|r| r.redacted(opts.redaction))
}

fn rewrite_compose_raw(text: &str, opts: &RewriteOptions, only: &[String]) -> Result<Rewrite> {
    let path = opts.path.clone().unwrap_or_else(|| "compose.yaml".into());
    if opts.platforms.len() != 1 {
        return Err(Error::Unsupported {
            input: path,
            reason: "a compose service runs one platform; give exactly one".into(),
        });
    }
    if text.len() > 4 * 1024 * 1024 {
        return Err(Error::LimitExceeded {
            input: path,
            reason: "compose file larger than 4 MiB".into(),
        });
    }
    let plat = opts.joined();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let services_at = lines
        .iter()
        .position(|l| l.starts_with("services:"))
        .ok_or_else(|| Error::malformed(path.clone(), "no top-level `services:` key"))?;
    if lines[services_at]
        .trim_start_matches("services:")
        .trim_start()
        .starts_with('{')
    {
        return Err(Error::Unsupported {
            input: path,
            reason: "flow-style `services: {…}` is not rewritten; use block style".into(),
        });
    }
    // The block under services: lines until the next top-level key.
    let mut end = lines.len();
    for (i, l) in lines.iter().enumerate().skip(services_at + 1) {
        if !is_blank_or_comment(l) && indent_of(l) == 0 {
            end = i;
            break;
        }
    }
    let svc_indent = lines[services_at + 1..end]
        .iter()
        .find(|l| !is_blank_or_comment(l))
        .map(|l| indent_of(l));
    let Some(svc_indent) = svc_indent else {
        return Err(Error::malformed(path, "`services:` has no services"));
    };
    let mut edits = Edits(Vec::new());
    let mut changes = Vec::new();
    let mut offsets = Vec::with_capacity(lines.len());
    let mut acc = 0;
    for l in &lines {
        offsets.push(acc);
        acc += l.len();
    }
    let mut i = services_at + 1;
    while i < end {
        let l = lines[i];
        if is_blank_or_comment(l) || indent_of(l) != svc_indent {
            i += 1;
            continue;
        }
        let key = l
            .trim()
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\''])
            .to_string();
        let mut j = i + 1;
        while j < end && (is_blank_or_comment(lines[j]) || indent_of(lines[j]) > svc_indent) {
            j += 1;
        }
        if only.is_empty() || only.contains(&key) {
            let after_colon = l
                .trim()
                .split_once(':')
                .map(|(_, r)| r.trim())
                .unwrap_or("");
            if after_colon.starts_with('{') {
                changes.push(format!("skipped service `{key}`: flow style"));
            } else {
                let body = &lines[i + 1..j];
                let child_indent = body
                    .iter()
                    .find(|b| !is_blank_or_comment(b))
                    .map(|b| indent_of(b))
                    .unwrap_or(svc_indent + 2);
                let existing = body.iter().enumerate().find(|(_, b)| {
                    indent_of(b) == child_indent && b.trim_start().starts_with("platform:")
                });
                if let Some((bi, b)) = existing {
                    let line_no = i + 1 + bi;
                    let vstart = offsets[line_no] + child_indent + "platform:".len();
                    let rest = &b[child_indent + "platform:".len()..];
                    let value_part = rest
                        .split('#')
                        .next()
                        .unwrap_or("")
                        .trim_end_matches(['\r', '\n']);
                    let old = value_part.trim().trim_matches(['"', '\'']);
                    if old != plat {
                        let lead = value_part.len() - value_part.trim_start().len();
                        let vlen = value_part.trim().len();
                        edits.replace(vstart + lead, vstart + lead + vlen, plat.clone());
                        changes.push(format!("service `{key}`: platform {old} → {plat}"));
                    }
                } else {
                    let at = offsets[i] + l.len();
                    let prefix = if l.ends_with('\n') { "" } else { eol };
                    edits.insert(
                        at,
                        format!("{prefix}{}platform: {plat}{eol}", " ".repeat(child_indent)),
                    );
                    changes.push(format!("service `{key}`: add platform: {plat}"));
                }
            }
        }
        i = j;
    }
    let rewritten = apply_edits(text, &edits.0);
    Ok(finish(
        RewriteKind::Compose,
        text,
        rewritten,
        &path,
        changes,
        None,
        RewriteWhy::ComposeServicePlatform,
    ))
}

// ------------------------------------------------------------------ Dockerfiles

/// Apply every mechanical fix the Dockerfile lint knows (constant `--platform`, defaults on
/// platform ARGs, undeclared platform ARGs, literal `GOARCH`/`GOARM`, BOM, CRLF).
pub fn rewrite_dockerfile(text: &str, opts: &RewriteOptions) -> Result<Rewrite> {
    rewrite_dockerfile_raw(text, opts).map(|r| r.redacted(opts.redaction))
}

fn rewrite_dockerfile_raw(text: &str, opts: &RewriteOptions) -> Result<Rewrite> {
    let path = opts.path.clone().unwrap_or_else(|| "Dockerfile".into());
    let hz = hazards(
        text,
        &LintOptions {
            path: path.clone(),
            context: None,
            redaction: crate::redact::Redaction::Off,
        },
    )?;
    let mut edits = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut changes = Vec::new();
    for mut h in hz {
        crate::fix::attach(std::slice::from_mut(&mut h.finding), &Default::default());
        if h.edits.is_empty() {
            continue;
        }
        let line = h
            .finding
            .location
            .as_ref()
            .and_then(|l| l.line)
            .unwrap_or(0);
        let title = h
            .finding
            .fixes
            .first()
            .map(|f| f.title.to_string())
            .unwrap_or_else(|| h.finding.message.clone());
        // Two hazards may insert the same `ARG X` line; keep one.
        for e in h.edits {
            if seen.insert(e.clone()) {
                edits.push(e);
            }
        }
        changes.push(format!("line {line}: {title}"));
    }
    let rewritten = apply_edits(text, &edits);
    let diff = crate::edits::local_diff(text, &LineIndex::new(text), &edits, &path, 2).diff;
    Ok(finish_with_diff(
        RewriteKind::Dockerfile,
        text,
        rewritten,
        &path,
        changes,
        None,
        RewriteWhy::DockerfileHazards,
        Some(diff),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_posix_quoting() {
        let w = words(r#"docker run -e "A=b c" 'x y' z\ w && echo"#).unwrap();
        let v: Vec<&str> = w.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(
            v,
            ["docker", "run", "-e", "A=b c", "x y", "z w", "&&", "echo"]
        );
        assert!(words("docker run 'oops").is_err());
    }
}
