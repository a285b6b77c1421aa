//! The lint rules over the parsed Dockerfile and its raw text.

use super::Hazard;
use crate::finding::{CauseCode, Evidence, Finding, FixRequest, Location, Severity};
use parse_dockerfile::{Command, Dockerfile, Instruction, Source, UnescapedString};
use std::borrow::Cow;

/// A byte-range replacement in the Dockerfile text (an insertion when `start == end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Replacement text.
    pub replacement: String,
}

/// The automatic platform ARGs BuildKit injects.
pub const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Architecture words that, inside a URL, pin a download to one platform.
const ARCH_WORDS: &[&str] = &[
    "x86_64", "x86-64", "amd64", "aarch64", "arm64", "armhf", "armv7l", "armv7", "armv6l", "armv6",
    "i386", "i686", "x64", "ppc64le", "s390x", "riscv64",
];

/// Byte offset → (1-based line, 1-based column in characters).
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }
    fn line_index(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }
    /// 1-based line and column of a byte offset.
    pub(super) fn pos(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let i = self.line_index(offset);
        let col = self.text[self.starts[i]..offset].chars().count() + 1;
        (i as u32 + 1, col as u32)
    }
    /// The text of the line holding `offset`, without its line ending.
    pub(super) fn line_text(&self, offset: usize) -> &'a str {
        let i = self.line_index(offset.min(self.text.len()));
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text[self.starts[i]..end].trim_end_matches(['\n', '\r'])
    }
    /// Byte offset of the start of the line after the one holding `offset`.
    pub(super) fn next_line_start(&self, offset: usize) -> usize {
        let i = self.line_index(offset.min(self.text.len()));
        self.starts.get(i + 1).copied().unwrap_or(self.text.len())
    }
    /// A location for the byte range `start..end` (columns only when it stays on one line).
    pub(super) fn location(&self, path: &str, start: usize, end: usize) -> Location {
        let (line, column) = self.pos(start);
        let (end_line, end_column) = self.pos(end);
        Location {
            path: path.to_string(),
            line: Some(line),
            column: Some(column),
            end_column: (end_line == line && end > start).then_some(end_column),
        }
    }
}

/// User text as it may be echoed in evidence (redacted afterwards, see `hazards`).
pub(super) fn echo(s: &str) -> String {
    s.to_string()
}

pub(super) fn finding(
    code: CauseCode,
    severity: Severity,
    message: String,
    lines: &Lines<'_>,
    path: &str,
    span: (usize, usize),
) -> Finding {
    let mut f = Finding::new(code, severity, message);
    let loc = lines.location(path, span.0, span.1);
    f.evidence.push(Evidence {
        detail: echo(lines.line_text(span.0)),
        path: Some(path.to_string()),
        layer: None,
        line: loc.line,
    });
    f.location = Some(loc);
    f
}

/// Attach a Dockerfile fix built from `edits`: the corrected line(s) and a unified diff.
pub(super) fn with_edit_fix(mut h: Hazard, text: &str, path: &str, request: FixRequest) -> Hazard {
    if h.edits.is_empty() {
        return h;
    }
    let fixed = apply_edits(text, &h.edits);
    let diff = unified_diff(text, &fixed, path);
    let lines = Lines::new(&fixed);
    // The snippet is the corrected text of every line the edits touch.
    let mut snippet = String::new();
    let mut shift: isize = 0;
    let mut sorted = h.edits.clone();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut seen = Vec::new();
    for e in &sorted {
        let at = (e.start as isize + shift).max(0) as usize;
        let (line, _) = lines.pos(at);
        if !seen.contains(&line) {
            seen.push(line);
            let lt = lines.line_text(at);
            if !lt.is_empty() || e.replacement.contains('\n') {
                // An insertion of whole lines shows the inserted lines themselves.
                let shown = if e.start == e.end && e.replacement.ends_with('\n') {
                    e.replacement.trim_end_matches('\n').to_string()
                } else {
                    lt.to_string()
                };
                snippet.push_str(&shown);
                snippet.push('\n');
            }
        }
        shift += e.replacement.len() as isize - (e.end - e.start) as isize;
    }
    h.finding.requests.push(FixRequest {
        snippet: Some(snippet),
        diff: Some(diff),
        ..request
    });
    h
}

/// Apply non-overlapping edits (insertions at the same offset keep their order).
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in sorted {
        if e.start < pos || e.end > text.len() || e.start > e.end {
            continue; // overlapping or out of range: skip rather than corrupt the file
        }
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// A unified diff of two texts, with `a/PATH` and `b/PATH` headers.
pub fn unified_diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Hazards visible in the raw text: BOM and CRLF line endings.
pub(super) fn text_hazards(text: &str, path: &str) -> Vec<Hazard> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    if text.starts_with('\u{feff}') {
        let f = finding(
            CauseCode::ByteOrderMark,
            Severity::Error,
            "the Dockerfile starts with a UTF-8 byte-order mark; older builders fail with \
             `unknown instruction` on the first line and parser directives are ignored"
                .into(),
            &lines,
            path,
            (0, 3),
        );
        let h = Hazard {
            finding: f,
            edits: vec![Edit {
                start: 0,
                end: 3,
                replacement: String::new(),
            }],
        };
        out.push(with_edit_fix(
            h,
            text,
            path,
            FixRequest::id("dockerfile-remove-bom"),
        ));
    }
    if let Some(i) = text.find("\r\n") {
        let count = text.matches("\r\n").count();
        let f = finding(
            CauseCode::CrlfLineEndings,
            Severity::Warning,
            format!(
                "the Dockerfile has Windows (CRLF) line endings on {count} line(s); a `\\` continuation \
                 followed by CR breaks RUN commands and heredoc scripts keep the CR"
            ),
            &lines,
            path,
            (i, i + 2),
        );
        let edits = text
            .match_indices("\r\n")
            .map(|(j, _)| Edit {
                start: j,
                end: j + 1,
                replacement: String::new(),
            })
            .collect();
        let h = Hazard { finding: f, edits };
        out.push(with_edit_fix(
            h,
            text,
            path,
            FixRequest::id("dockerfile-crlf-to-lf"),
        ));
    }
    out
}

/// A string from the parser with a reliable byte offset for each character (only when the
/// parser kept it borrowed, i.e. nothing was unescaped).
fn exact<'s>(s: &'s UnescapedString<'_>) -> Option<(usize, &'s str)> {
    match &s.value {
        Cow::Borrowed(v) => Some((s.span.start, v)),
        Cow::Owned(_) => None,
    }
}

/// Every `$NAME` / `${NAME…}` use of a platform ARG in `s` (at byte offset `base`).
fn platform_arg_uses(base: usize, s: &str) -> Vec<(usize, usize, &'static str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let (braced, start) = if b.get(i + 1) == Some(&b'{') {
                (true, i + 2)
            } else {
                (false, i + 1)
            };
            let end = start
                + s[start..]
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
            let name = &s[start..end];
            if let Some(known) = PLATFORM_ARGS.iter().find(|a| **a == name) {
                let close = if braced {
                    s[end..].find('}').map(|j| end + j + 1).unwrap_or(end)
                } else {
                    end
                };
                out.push((base + i, base + close, *known));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Text pieces of an instruction that BuildKit expands ARGs in, with their byte offsets.
fn expanded_texts<'t>(ins: &'t Instruction<'_>) -> Vec<(usize, &'t str)> {
    let mut out = Vec::new();
    let mut push = |s: &'t UnescapedString<'_>| {
        out.push(exact(s).unwrap_or((s.span.start, s.value.as_ref())));
    };
    match ins {
        Instruction::Run(r) => {
            match &r.arguments {
                Command::Shell(s) => out.push((s.span.start, s.value)),
                Command::Exec(v) => v.value.iter().for_each(&mut push),
                _ => {}
            }
            for hd in &r.here_docs {
                out.push((hd.span.start, hd.value.as_ref()));
            }
        }
        Instruction::Env(e) => push(&e.arguments),
        Instruction::Workdir(w) => push(&w.arguments),
        Instruction::Label(l) => push(&l.arguments),
        Instruction::User(u) => push(&u.arguments),
        Instruction::Copy(c) => {
            c.options
                .iter()
                .filter_map(|f| f.value.as_ref())
                .for_each(&mut push);
            for s in &c.src {
                if let Source::Path(p) = s {
                    push(p);
                }
            }
            push(&c.dest);
        }
        Instruction::Add(a) => {
            a.options
                .iter()
                .filter_map(|f| f.value.as_ref())
                .for_each(&mut push);
            for s in &a.src {
                if let Source::Path(p) = s {
                    push(p);
                }
            }
            push(&a.dest);
        }
        _ => {}
    }
    out
}

/// Shell text of a RUN instruction (shell form, exec form joined, heredocs), with offsets.
fn run_texts<'t>(ins: &'t Instruction<'_>) -> Vec<(usize, &'t str)> {
    match ins {
        Instruction::Run(_) | Instruction::Env(_) => expanded_texts(ins),
        Instruction::Add(a) => a
            .src
            .iter()
            .filter_map(|s| match s {
                Source::Path(p) => Some(exact(p).unwrap_or((p.span.start, p.value.as_ref()))),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn declared_names(args: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    args.split_whitespace().map(|a| match a.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (a, None),
    })
}

fn is_word_boundary(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    let ok = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    ok(before) && ok(after)
}

/// `KEY=literal` assignments in shell text (`GOARCH=amd64`), skipping `$…` values.
fn literal_assignments<'s>(s: &'s str, key: &str) -> Vec<(usize, usize, &'s str)> {
    let pat = format!("{key}=");
    let mut out = Vec::new();
    for (i, _) in s.match_indices(&pat) {
        if i > 0 && (s.as_bytes()[i - 1].is_ascii_alphanumeric() || s.as_bytes()[i - 1] == b'_') {
            continue;
        }
        let vstart = i + pat.len();
        let rest = &s[vstart..];
        let rest_trim = rest.trim_start_matches(['"', '\'']);
        let quote = rest.len() - rest_trim.len();
        let vlen = rest_trim
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
            .count();
        if vlen == 0 {
            continue; // `$…`, empty or something we do not understand
        }
        out.push((
            vstart + quote,
            vstart + quote + vlen,
            &s[vstart + quote..vstart + quote + vlen],
        ));
    }
    out
}

/// Offset of `cmd` where it starts a command word (not inside another word like `cargo`).
fn find_command(s: &str, cmd: &str) -> Option<usize> {
    s.match_indices(cmd).map(|(i, _)| i).find(|&i| {
        i == 0
            || matches!(
                s.as_bytes()[i - 1],
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'('
            )
    })
}

/// URLs in text, with their offsets.
fn urls(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for scheme in ["https://", "http://", "ftp://"] {
        for (i, _) in s.match_indices(scheme) {
            let len = s[i..]
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '`' | ';' | '|')
                })
                .unwrap_or(s.len() - i);
            out.push((i, &s[i..i + len]));
        }
    }
    out.sort_by_key(|u| u.0);
    out
}

/// Hazards that need the parsed structure: stages, ARG scopes, FROM flags, data flow.
pub(super) fn structural_hazards(df: &Dockerfile<'_>, text: &str, path: &str) -> Vec<Hazard> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    let stages: Vec<_> = df.stages().collect();
    let last = stages.len().saturating_sub(1);
    // Names (and indexes) of stages built on $BUILDPLATFORM, and which compile natively.
    let mut native_builders: Vec<(Vec<String>, usize, String)> = Vec::new();

    for (si, stage) in stages.iter().enumerate() {
        let from = stage.from;
        let stage_name = from.as_.as_ref().map(|(_, n)| n.value.to_string());
        let is_final = si == last;
        let mut on_build_platform = false;
        for flag in &from.options {
            if flag.name.value != "platform" {
                continue;
            }
            let Some(v) = &flag.value else { continue };
            let value = v.value.as_ref();
            let span = flag.span();
            // Remove the flag and the whitespace after it.
            let after =
                text[span.end..].len() - text[span.end..].trim_start_matches([' ', '\t']).len();
            let remove = Edit {
                start: span.start,
                end: span.end + after,
                replacement: String::new(),
            };
            if value.contains("BUILDPLATFORM") {
                on_build_platform = true;
                if is_final {
                    let f = finding(CauseCode::ArchMismatch, Severity::Error,
                        "the final (runtime) stage is built on $BUILDPLATFORM, so the whole image is the builder's architecture whatever --platform asks for".into(),
                        &lines, path, (span.start, span.end));
                    let h = Hazard {
                        finding: f,
                        edits: vec![remove],
                    };
                    out.push(with_edit_fix(
                        h,
                        text,
                        path,
                        FixRequest::id("dockerfile-runtime-stage-follows-target"),
                    ));
                }
            } else if value.contains("TARGETPLATFORM") {
                let f = finding(CauseCode::RedundantPlatform, Severity::Info,
                    "--platform=$TARGETPLATFORM is the default already (BuildKit RedundantTargetPlatform, hadolint DL3065)".into(),
                    &lines, path, (span.start, span.end));
                let h = Hazard {
                    finding: f,
                    edits: vec![remove],
                };
                out.push(with_edit_fix(
                    h,
                    text,
                    path,
                    FixRequest::id("dockerfile-drop-redundant-platform"),
                ));
            } else if !value.contains('$') {
                // Removing the constant is always safe: the stage then follows the target.
                // ($BUILDPLATFORM is better only for stages that cross-compile; said in `why`.)
                let edit = remove;
                let f = finding(
                    CauseCode::HardcodedArch,
                    Severity::Warning,
                    format!(
                        "FROM --platform={value} pins one platform (hadolint DL3029 / BuildKit FromPlatformFlagConstDisallowed); builds for other platforms get this architecture or fail with no matching manifest"
                    ),
                    &lines,
                    path,
                    (span.start, span.end),
                );
                out.push(with_edit_fix(
                    Hazard {
                        finding: f,
                        edits: vec![edit],
                    },
                    text,
                    path,
                    FixRequest::id("dockerfile-drop-constant-platform"),
                ));
            }
        }

        let from_line_end = lines.next_line_start(
            from.from
                .span
                .start
                .max(from.image.span.end.saturating_sub(1)),
        );
        let mut declared: Vec<String> = Vec::new();
        let mut reported_undeclared: Vec<&str> = Vec::new();
        let mut compiles_natively: Option<(usize, usize)> = None;
        for ins in stage.instructions {
            if let Instruction::Arg(a) = ins {
                let base = a.arguments.span.start;
                let raw = exact(&a.arguments)
                    .map(|(_, s)| s)
                    .unwrap_or(a.arguments.value.as_ref());
                let mut offset = 0;
                for (name, default) in declared_names(raw) {
                    let at = raw[offset..]
                        .find(name)
                        .map(|j| offset + j)
                        .unwrap_or(offset);
                    offset = at + name.len();
                    if let (Some(d), true) = (default, PLATFORM_ARGS.contains(&name)) {
                        let (s, e) = (base + at, base + at + name.len() + 1 + d.len());
                        let f = finding(
                            CauseCode::HardcodedArch,
                            Severity::Error,
                            format!(
                                "ARG {name}={d} overrides the value BuildKit injects, so every platform builds as {d}"
                            ),
                            &lines,
                            path,
                            (s, e),
                        );
                        let edit = Edit {
                            start: base + at + name.len(),
                            end: e,
                            replacement: String::new(),
                        };
                        out.push(with_edit_fix(
                            Hazard {
                                finding: f,
                                edits: vec![edit],
                            },
                            text,
                            path,
                            FixRequest::id("dockerfile-arg-without-default").with("name", name),
                        ));
                        offset = at + name.len() + 1 + d.len();
                    }
                    declared.push(name.to_string());
                }
                continue;
            }
            for (base, s) in expanded_texts(ins) {
                for (st, en, name) in platform_arg_uses(base, s) {
                    if !declared.iter().any(|d| d == name) && !reported_undeclared.contains(&name) {
                        reported_undeclared.push(name);
                        let f = finding(
                            CauseCode::PlatformArgUndeclared,
                            Severity::Error,
                            format!(
                                "${name} is used but this stage does not declare `ARG {name}`, so it expands to an empty string here (a global ARG before FROM is visible only in FROM lines)"
                            ),
                            &lines,
                            path,
                            (st, en),
                        );
                        let edit = Edit {
                            start: from_line_end,
                            end: from_line_end,
                            replacement: format!("ARG {name}\n"),
                        };
                        out.push(with_edit_fix(
                            Hazard {
                                finding: f,
                                edits: vec![edit],
                            },
                            text,
                            path,
                            FixRequest::id("dockerfile-declare-arg").with("name", name),
                        ));
                    }
                }
            }
            for (base, s) in run_texts(ins) {
                for (key, var, sev) in [
                    ("GOARCH", "TARGETARCH", Severity::Error),
                    ("GOARM", "TARGETVARIANT", Severity::Warning),
                ] {
                    for (vs, ve, val) in literal_assignments(s, key) {
                        let mut edits = vec![Edit {
                            start: base + vs,
                            end: base + ve,
                            replacement: if key == "GOARM" {
                                "${TARGETVARIANT#v}".into()
                            } else {
                                "$TARGETARCH".into()
                            },
                        }];
                        if !declared.iter().any(|d| d == var) {
                            edits.push(Edit {
                                start: from_line_end,
                                end: from_line_end,
                                replacement: format!("ARG {var}\n"),
                            });
                        }
                        let f = finding(
                            CauseCode::HardcodedArch,
                            sev,
                            format!(
                                "{key}={val} hard-codes the Go target; every platform of a multi-platform build gets the {val} binary"
                            ),
                            &lines,
                            path,
                            (base + vs - key.len() - 1, base + ve),
                        );
                        out.push(with_edit_fix(
                            Hazard { finding: f, edits },
                            text,
                            path,
                            FixRequest::id("dockerfile-go-env-from-target")
                                .with("key", key)
                                .with("var", var),
                        ));
                    }
                }
                for (ui, url) in urls(s) {
                    let lower = url.to_ascii_lowercase();
                    let hit = ARCH_WORDS.iter().find_map(|w| {
                        lower
                            .match_indices(w)
                            .find(|(j, _)| is_word_boundary(&lower, *j, j + w.len()))
                            .map(|(j, _)| (j, *w))
                    });
                    if let Some((j, word)) = hit {
                        let s0 = base + ui + j;
                        let mut f = finding(
                            CauseCode::HardcodedArch,
                            Severity::Warning,
                            format!(
                                "download URL hard-codes `{word}`; on other platforms this installs a foreign binary (exec format error) — map ${{TARGETARCH}} to the vendor's name instead"
                            ),
                            &lines,
                            path,
                            (s0, s0 + word.len()),
                        );
                        f.requests
                            .push(FixRequest::id("dockerfile-download-from-targetarch"));
                        out.push(Hazard {
                            finding: f,
                            edits: Vec::new(),
                        });
                    }
                }
                if on_build_platform && compiles_natively.is_none() {
                    let go = find_command(s, "go build")
                        .filter(|_| !s.contains("GOARCH") && !s.contains("xx-go"));
                    let cargo = find_command(s, "cargo build")
                        .filter(|_| !s.contains("--target") && !s.contains("xx-cargo"));
                    if let Some(k) = go {
                        compiles_natively = Some((base + k, base + k + 8));
                    } else if let Some(k) = cargo {
                        compiles_natively = Some((base + k, base + k + 11));
                    }
                }
            }
        }
        if let Some(span) = compiles_natively {
            let mut names = vec![si.to_string()];
            names.extend(stage_name.clone());
            let tool = if text[span.0..span.1].starts_with("go") {
                "go"
            } else {
                "cargo"
            };
            native_builders.push((names, span.0, tool.to_string()));
            let _ = span.1;
        }
    }

    // Build-platform binaries copied into the target stage.
    if let Some(final_stage) = stages.last() {
        for ins in final_stage.instructions {
            let Instruction::Copy(c) = ins else { continue };
            let Some(from) = c
                .options
                .iter()
                .find(|f| f.name.value == "from")
                .and_then(|f| f.value.as_ref())
            else {
                continue;
            };
            if let Some((_, at, tool)) = native_builders
                .iter()
                .find(|(names, _, _)| names.iter().any(|n| *n == from.value.as_ref()))
            {
                let end = at + if tool == "go" { 8 } else { 11 };
                let mut f = finding(
                    CauseCode::ImageMislabeled,
                    Severity::Error,
                    format!(
                        "this stage runs on $BUILDPLATFORM and `{tool} build` has no cross-compilation target, but its output is copied into the final stage (line {}): non-native platforms get a binary for the builder's architecture",
                        lines.pos(c.copy.span.start).0
                    ),
                    &lines,
                    path,
                    (*at, end),
                );
                f.requests.push(FixRequest::id(if tool == "go" {
                    "go-cross-compile-targetarch"
                } else {
                    "cargo-cross-compile-targetarch"
                }));
                out.push(Hazard {
                    finding: f,
                    edits: Vec::new(),
                });
            }
        }
    }
    out
}
