//! Hazards in the files a Dockerfile copies from the build context: scripts with a BOM, CRLF
//! on the `#!` line or no `#!` at all, and Git LFS pointers where a binary was expected.
//!
//! The context is read the way BuildKit sends it: paths and symbolic links resolve inside the
//! context root (a link to `/etc` or `../..` stays in the context, never escapes it), files the
//! `.dockerignore` excludes are not there, and only regular files are opened. A directory copy
//! (`COPY . .`) reports only the files the Dockerfile runs (named in RUN/CMD/ENTRYPOINT), or all of them when it goes into a `bin` directory.

use super::Hazard;
use super::ignore::DockerIgnore;
use super::rules::{Lines, clip};
use crate::finding::{CauseCode, Evidence, Finding, FixRequest, Severity};
use parse_dockerfile::{Dockerfile, Instruction, Source};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Symbolic links followed while resolving one path (as Linux's MAXSYMLINKS).
const MAX_LINK_HOPS: usize = 40;

/// At most this many context files are examined per Dockerfile.
const MAX_FILES: usize = 2000;
/// Bytes read from each file (enough for a `#!` line and an LFS pointer).
const PEEK: usize = 512;
const LFS: &[u8] = b"version https://git-lfs.github.com/spec/v1";

/// Resolve a COPY source inside the context root as BuildKit does: every symbolic link on the
/// way (the last one too) is followed with the context as `/`, and `..` stops at the root.
/// Returns the context-relative components of a path that holds no link, or `None` for a
/// missing path or a link loop.
fn inside(ctx: &Path, src: &str) -> Option<Vec<String>> {
    let mut todo: Vec<String> = Path::new(src)
        .components()
        .rev()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    let mut done: Vec<String> = Vec::new();
    let mut hops = 0;
    while let Some(c) = todo.pop() {
        if c == ".." {
            done.pop();
            continue;
        }
        let mut here = ctx.to_path_buf();
        here.extend(&done);
        here.push(&c);
        let meta = std::fs::symlink_metadata(&here).ok()?;
        if !meta.file_type().is_symlink() {
            done.push(c);
            continue;
        }
        hops += 1;
        if hops > MAX_LINK_HOPS {
            return None;
        }
        let target = std::fs::read_link(&here).ok()?;
        if target.is_absolute() {
            done.clear();
        }
        for t in target.components().rev() {
            match t {
                Component::Normal(p) => todo.push(p.to_string_lossy().into_owned()),
                Component::ParentDir => todo.push("..".into()),
                _ => {}
            }
        }
    }
    Some(done)
}

fn peek(path: &Path) -> Option<Vec<u8>> {
    // Only regular files (looked at before opening: a FIFO would block, a device never end).
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let f = std::fs::File::open(path).ok()?;
    let mut buf = Vec::with_capacity(PEEK);
    f.take(PEEK as u64).read_to_end(&mut buf).ok()?;
    Some(buf)
}

fn files_under(root: &Path, budget: &mut usize, out: &mut Vec<PathBuf>) {
    let Ok(meta) = std::fs::symlink_metadata(root) else {
        return;
    };
    if meta.is_file() {
        if *budget > 0 {
            *budget -= 1;
            out.push(root.to_path_buf());
        }
        return;
    }
    if !meta.is_dir() {
        return;
    }
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        if *budget == 0 {
            return;
        }
        let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, ".git" | "node_modules" | "target") {
            continue;
        }
        files_under(&e, budget, out);
    }
}

fn problem(bytes: &[u8], name: &str) -> Option<(CauseCode, Severity, String, FixRequest)> {
    if bytes.starts_with(LFS) {
        return Some((CauseCode::LfsPointer, Severity::Error,
            "is a Git LFS pointer, not the file it stands for; in the image it fails with exec format error or `Invalid or corrupt jarfile`".into(),
            FixRequest::id("context-git-lfs-pull")));
    }
    if bytes.starts_with(b"\xef\xbb\xbf#!") {
        return Some((CauseCode::ByteOrderMark, Severity::Error,
            "starts with a UTF-8 byte-order mark before `#!`; exec fails with exec format error (ENOEXEC)".into(),
            FixRequest::id("strip-bom").with("path", name)));
    }
    if bytes.starts_with(b"#!") {
        let line_end = bytes
            .iter()
            .position(|b| *b == b'\n')
            .unwrap_or(bytes.len());
        if line_end > 0 && bytes[line_end - 1] == b'\r' {
            return Some((CauseCode::CrlfLineEndings, Severity::Error,
                "has Windows (CRLF) line endings: the kernel looks for an interpreter named `…\\r` and exec fails with no such file or directory (ENOENT)".into(),
                FixRequest::id("context-crlf-to-lf").with("path", name)));
        }
        return None;
    }
    let looks_script = name.ends_with(".sh") || name.ends_with(".bash");
    if looks_script && !bytes.is_empty() && std::str::from_utf8(bytes).is_ok() {
        return Some((CauseCode::MissingShebang, Severity::Warning,
            "is a shell script without `#!` on its first line; run as ENTRYPOINT/CMD in exec form it fails with exec format error (ENOEXEC)".into(),
            FixRequest::id("add-shebang").with("path", name)));
    }
    None
}

/// Text of the instructions that run something (RUN, CMD, ENTRYPOINT, HEALTHCHECK, ONBUILD).
fn run_text(df: &Dockerfile<'_>, text: &str) -> String {
    let start = |i: &Instruction<'_>| match i {
        Instruction::Run(r) => Some(r.run.span.start),
        Instruction::Cmd(c) => Some(c.cmd.span.start),
        Instruction::Entrypoint(e) => Some(e.entrypoint.span.start),
        Instruction::Healthcheck(h) => Some(h.healthcheck.span.start),
        Instruction::Onbuild(o) => Some(o.onbuild.span.start),
        _ => None,
    };
    let starts: Vec<usize> = df
        .instructions
        .iter()
        .map(|i| match i {
            Instruction::From(f) => f.from.span.start,
            Instruction::Copy(c) => c.copy.span.start,
            Instruction::Add(a) => a.add.span.start,
            other => start(other).unwrap_or(usize::MAX),
        })
        .collect();
    let mut out = String::new();
    for (k, ins) in df.instructions.iter().enumerate() {
        let Some(s) = start(ins) else { continue };
        // Up to the next instruction we know the start of (or the end of the text).
        let end = starts[k + 1..]
            .iter()
            .copied()
            .find(|e| *e != usize::MAX && *e > s)
            .unwrap_or(text.len())
            .min(text.len());
        if s < end && text.is_char_boundary(s) && text.is_char_boundary(end) {
            out.push_str(&text[s..end]);
            out.push('\n');
        }
    }
    out
}

pub(super) fn context_hazards(
    df: &Dockerfile<'_>,
    text: &str,
    path: &str,
    ctx: &Path,
) -> Vec<Hazard> {
    let lines = Lines::new(text);
    let ignore = DockerIgnore::load(Path::new(path), ctx);
    let runs = run_text(df, text);
    let mut out = Vec::new();
    let mut budget = MAX_FILES;
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for ins in &df.instructions {
        let (keyword, options, srcs, dest) = match ins {
            Instruction::Copy(c) => (&c.copy, &c.options, &c.src, &c.dest),
            Instruction::Add(a) => (&a.add, &a.options, &a.src, &a.dest),
            _ => continue,
        };
        // A directory copied into a `bin` directory is a set of commands: all are run.
        let into_bin = dest.value.split('/').any(|p| p == "bin" || p == "sbin");
        if options.iter().any(|f| f.name.value == "from") {
            continue;
        }
        for s in srcs.iter() {
            let Source::Path(p) = s else { continue };
            let src = p.value.as_ref();
            if src.contains("://") || src.contains('$') || src.contains(['*', '?', '[']) {
                continue;
            }
            let Some(rel_parts) = inside(ctx, src) else {
                continue;
            };
            let mut full = ctx.to_path_buf();
            full.extend(&rel_parts);
            let is_dir = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir());
            let mut files = Vec::new();
            files_under(&full, &mut budget, &mut files);
            for f in files {
                if !seen.insert(f.clone()) {
                    continue;
                }
                let rel_path = f.strip_prefix(ctx).unwrap_or(&f);
                let rel: String = rel_path
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if ignore.excluded(&rel) {
                    continue; // not sent to the builder
                }
                if is_dir && !into_bin {
                    // A whole directory is copied: only the files something runs matter.
                    let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if name.is_empty() || !runs.contains(name) {
                        continue;
                    }
                }
                let Some(bytes) = peek(&f) else { continue };
                if let Some((code, severity, what, fix)) = problem(&bytes, &rel) {
                    let mut finding = Finding::new(
                        code,
                        severity,
                        format!("{} (copied by this line) {what}", clip(&rel, 200)),
                    );
                    let loc = lines.location(path, keyword.span.start, p.span.end);
                    finding.evidence.push(Evidence {
                        detail: lines.excerpt(keyword.span.start, p.span.end),
                        path: Some(path.to_string()),
                        layer: None,
                        line: loc.line,
                    });
                    let first = String::from_utf8_lossy(
                        &bytes[..bytes
                            .iter()
                            .position(|b| *b == b'\n')
                            .unwrap_or(bytes.len())
                            .min(120)],
                    )
                    .into_owned();
                    finding.evidence.push(Evidence {
                        detail: format!("first line: {first:?}"),
                        path: Some(rel.clone()),
                        layer: None,
                        line: Some(1),
                    });
                    finding.location = Some(loc);
                    finding.requests.push(fix);
                    out.push(Hazard {
                        finding,
                        edits: Vec::new(),
                    });
                }
            }
        }
    }
    out
}
