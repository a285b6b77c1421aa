//! Hazards in the files a Dockerfile copies from the build context: scripts with a BOM, CRLF
//! on the `#!` line or no `#!` at all, and Git LFS pointers where a binary was expected.

use super::Hazard;
use super::rules::{Lines, echo};
use crate::finding::{CauseCode, Evidence, Finding, FixRequest, Severity};
use parse_dockerfile::{Dockerfile, Instruction, Source};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// At most this many context files are examined per Dockerfile.
const MAX_FILES: usize = 2000;
/// Bytes read from each file (enough for a `#!` line and an LFS pointer).
const PEEK: usize = 512;
const LFS: &[u8] = b"version https://git-lfs.github.com/spec/v1";

/// Resolve a COPY source inside the context, refusing anything that escapes it.
fn inside(ctx: &Path, src: &str) -> Option<PathBuf> {
    let mut out = ctx.to_path_buf();
    for c in Path::new(src.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn peek(path: &Path) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(PEEK);
    std::fs::File::open(path)
        .ok()?
        .take(PEEK as u64)
        .read_to_end(&mut buf)
        .ok()?;
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

pub(super) fn context_hazards(
    df: &Dockerfile<'_>,
    text: &str,
    path: &str,
    ctx: &Path,
) -> Vec<Hazard> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    let mut budget = MAX_FILES;
    let mut seen: Vec<PathBuf> = Vec::new();
    for ins in &df.instructions {
        let (keyword, options, srcs) = match ins {
            Instruction::Copy(c) => (&c.copy, &c.options, &c.src),
            Instruction::Add(a) => (&a.add, &a.options, &a.src),
            _ => continue,
        };
        if options.iter().any(|f| f.name.value == "from") {
            continue;
        }
        for s in srcs.iter() {
            let Source::Path(p) = s else { continue };
            let src = p.value.as_ref();
            if src.contains("://") || src.contains('$') || src.contains(['*', '?', '[']) {
                continue;
            }
            let Some(full) = inside(ctx, src) else {
                continue;
            };
            let mut files = Vec::new();
            files_under(&full, &mut budget, &mut files);
            for f in files {
                if seen.contains(&f) {
                    continue;
                }
                seen.push(f.clone());
                let Some(bytes) = peek(&f) else { continue };
                let rel = f.strip_prefix(ctx).unwrap_or(&f).display().to_string();
                if let Some((code, severity, what, fix)) = problem(&bytes, &rel) {
                    let mut finding = Finding::new(
                        code,
                        severity,
                        format!("{rel} (copied by this line) {what}"),
                    );
                    let loc = lines.location(path, keyword.span.start, p.span.end);
                    finding.evidence.push(Evidence {
                        detail: echo(lines.line_text(keyword.span.start)),
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
                        detail: format!("first line: {:?}", echo(&first)),
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
