//! The lint rules over the parsed Dockerfile and its raw text. Every rule is linear in the
//! text: offsets are mapped to lines through one index, echoed lines are bounded excerpts and a
//! finding's diff is built from the lines it touches (see [`crate::edits::local_diff`]).

use super::Hazard;
use super::shell::{ShellMap, family};
use crate::edits::{Edit, LineIndex, local_diff};
use crate::finding::{CauseCode, Evidence, Finding, FixRequest, Location, Severity};
use parse_dockerfile::{ArgInstruction, Command, Dockerfile, Instruction, Source, UnescapedString};

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
    "x86_64", "x86-64", "amd64", "aarch64", "arm64", "armhf", "armel", "armv7l", "armv7", "armv6l",
    "armv6", "arm6", "arm7", "i386", "i686", "x64", "ppc64le", "ppc64el", "s390x", "riscv64",
    "mips64le", "loong64",
];

/// Release assets published for one architecture under a name that says none (tini's default
/// asset is x86-64 only; the other platforms are `tini-<arch>`).
const SINGLE_ARCH_ASSETS: &[&str] = &["tini", "tini-static", "tini-muslc", "tini-static-muslc"];

/// Longest line echoed whole in evidence; a longer line is shown as a window of about this many
/// bytes around the finding.
pub const MAX_ECHO_BYTES: usize = 240;
/// A finding's fix shows its corrected lines and diff only while they stay below this size.
const MAX_FIX_BYTES: usize = 16 * 1024;

/// Byte offset → (1-based line, 1-based column in characters), in O(log lines).
pub(super) struct Lines<'a> {
    pub(super) text: &'a str,
    pub(super) idx: LineIndex,
    ascii: Vec<bool>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let idx = LineIndex::new(text);
        let ascii = (0..idx.count())
            .map(|i| text[idx.start(i)..idx.end(i)].is_ascii())
            .collect();
        Lines { text, idx, ascii }
    }
    /// 1-based line and column of a byte offset.
    pub(super) fn pos(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let i = self.idx.line_of(offset);
        let start = self.idx.start(i);
        let col = if self.ascii[i] {
            offset - start
        } else {
            self.text[start..offset].chars().count()
        } + 1;
        (i as u32 + 1, col as u32)
    }
    /// The whole line holding `offset`, without its line ending.
    fn line_bounds(&self, offset: usize) -> (usize, usize) {
        let i = self.idx.line_of(offset.min(self.text.len()));
        let start = self.idx.start(i);
        let line = self.text[start..self.idx.end(i)].trim_end_matches(['\n', '\r']);
        (start, start + line.len())
    }
    /// The line holding `start..end` for echoing: whole when short, else a bounded window
    /// around the range that never shows part of a word cut by the window (so a secret cut by
    /// the window cannot leak its head).
    pub(super) fn excerpt(&self, start: usize, end: usize) -> String {
        let (ls, le) = self.line_bounds(start);
        if le - ls <= MAX_ECHO_BYTES {
            return self.text[ls..le].to_string();
        }
        let t = self.text;
        // Both ends on character boundaries: a span may end inside a multi-byte character once
        // it is cut to half the echo (found by the `lint` fuzz target).
        let mut start = start.clamp(ls, le);
        while !t.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = end.clamp(start, le).min(start + MAX_ECHO_BYTES / 2);
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        let mut from = start.saturating_sub(MAX_ECHO_BYTES / 3).max(ls);
        let mut to = (end + MAX_ECHO_BYTES / 3).min(le);
        while !t.is_char_boundary(from) {
            from += 1;
        }
        while !t.is_char_boundary(to) {
            to -= 1;
        }
        let b = t.as_bytes();
        if from > ls && !b[from - 1].is_ascii_whitespace() {
            // Drop the partial word at the left edge.
            from += t[from..start]
                .find(char::is_whitespace)
                .unwrap_or(start - from);
        }
        if to < le && !b[to].is_ascii_whitespace() {
            to = t[end..to]
                .rfind(char::is_whitespace)
                .map_or(end, |j| end + j);
        }
        let mut out = String::with_capacity(to - from + 8);
        if from > ls {
            out.push('…');
        }
        out.push_str(&t[from..to]);
        if to < le {
            out.push('…');
        }
        out
    }
    /// Byte offset of the start of the line after the one holding `offset`.
    pub(super) fn next_line_start(&self, offset: usize) -> usize {
        self.idx.end(self.idx.line_of(offset.min(self.text.len())))
    }
    /// Byte offset of the start of the line holding `offset`.
    fn line_start(&self, offset: usize) -> usize {
        self.idx
            .start(self.idx.line_of(offset.min(self.text.len())))
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

/// User text cut to `max` bytes for a message (a value from the Dockerfile can be huge).
pub(super) fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
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
        detail: lines.excerpt(span.0, span.1),
        path: Some(path.to_string()),
        layer: None,
        line: loc.line,
    });
    f.location = Some(loc);
    f
}

/// Attach a Dockerfile fix built from the hazard's edits: the corrected line(s) and a unified
/// diff of the touched lines (work proportional to those lines, not to the file).
pub(super) fn with_edit_fix(
    mut h: Hazard,
    lines: &Lines<'_>,
    path: &str,
    request: FixRequest,
) -> Hazard {
    if h.edits.is_empty() {
        return h;
    }
    let d = local_diff(lines.text, &lines.idx, &h.edits, path, 2);
    let new_bytes: usize = d.new_lines.iter().map(String::len).sum();
    let (snippet, diff) = if d.old_bytes + new_bytes <= MAX_FIX_BYTES {
        let mut snippet = d.new_lines.join("\n");
        snippet.push('\n');
        (snippet, Some(d.diff))
    } else {
        // A giant line: show the corrected text around each edit, not the whole line.
        let mut snippet = String::new();
        for e in h.edits.iter().take(8) {
            let (ls, _) = lines.line_bounds(e.start);
            let before = lines.excerpt(e.start, e.end);
            let _ = ls;
            snippet.push_str(&format!(
                "line {}: replace `{}` with `{}` in: {before}\n",
                lines.pos(e.start).0,
                clip(&lines.text[e.start..e.end], 80),
                clip(&e.replacement, 80)
            ));
        }
        (snippet, None)
    };
    h.finding.requests.push(FixRequest {
        snippet: Some(snippet),
        diff,
        ..request
    });
    h
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
            &lines,
            path,
            FixRequest::id("dockerfile-remove-bom"),
        ));
    }
    if let Some(i) = text.find("\r\n") {
        let count = text.matches("\r\n").count();
        // BuildKit's line reader drops the CR of each line, so only heredocs (whose bodies are
        // written as scripts) and older tools are affected.
        let heredoc = text.contains("<<");
        let f = finding(
            CauseCode::CrlfLineEndings,
            if heredoc {
                Severity::Warning
            } else {
                Severity::Info
            },
            format!(
                "the Dockerfile has Windows (CRLF) line endings on {count} line(s); BuildKit reads them, \
                 but heredoc scripts keep the CR and older tools break `\\` continuations"
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
            &lines,
            path,
            FixRequest::id("dockerfile-crlf-to-lf"),
        ));
    }
    out
}

/// The source text of a parsed string (before unescaping) with its byte offset: offsets into
/// it are offsets into the Dockerfile, also across `\` line continuations.
fn raw<'t>(text: &'t str, s: &UnescapedString<'_>) -> (usize, &'t str) {
    let (a, b) = (s.span.start.min(text.len()), s.span.end.min(text.len()));
    if a <= b && text.is_char_boundary(a) && text.is_char_boundary(b) {
        (a, &text[a..b])
    } else {
        (a, "")
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
                    // `}` is near; bound the search so a stray `${` cannot make this quadratic.
                    let window = &b[end..(end + 256).min(b.len())];
                    window
                        .iter()
                        .position(|c| *c == b'}')
                        .map(|j| end + j + 1)
                        .unwrap_or(end)
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
fn expanded_texts<'t>(text: &'t str, ins: &Instruction<'_>) -> Vec<(usize, &'t str)> {
    let mut out = Vec::new();
    let mut push = |s: &UnescapedString<'_>| out.push(raw(text, s));
    match ins {
        Instruction::Run(r) => {
            match &r.arguments {
                Command::Shell(s) => {
                    let (a, b) = (s.span.start.min(text.len()), s.span.end.min(text.len()));
                    if a <= b && text.is_char_boundary(a) && text.is_char_boundary(b) {
                        out.push((a, &text[a..b]));
                    }
                }
                Command::Exec(v) => v.value.iter().for_each(&mut push),
                _ => {}
            }
            for hd in &r.here_docs {
                let (a, b) = (hd.span.start.min(text.len()), hd.span.end.min(text.len()));
                if text.is_char_boundary(a) && text.is_char_boundary(b) && a <= b {
                    out.push((a, &text[a..b]));
                }
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

/// Text that runs or configures a build: RUN (shell form, exec form, heredocs), ENV values
/// and ADD sources, with offsets.
fn run_texts<'t>(text: &'t str, ins: &Instruction<'_>) -> Vec<(usize, &'t str)> {
    match ins {
        Instruction::Run(_) | Instruction::Env(_) => expanded_texts(text, ins),
        Instruction::Add(a) => a
            .src
            .iter()
            .filter_map(|s| match s {
                Source::Path(p) => Some(raw(text, p)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `NAME[=default]` declarations of an ARG, each with its offset in `args`.
fn declared_names(args: &str) -> Vec<(usize, &str, Option<&str>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for word in args.split(|c: char| c.is_whitespace() || c == '\\') {
        let at = pos + args[pos..].find(word).unwrap_or(0);
        pos = at + word.len();
        if word.is_empty() {
            continue;
        }
        out.push(match word.split_once('=') {
            Some((n, v)) => (at, n, Some(v)),
            None => (at, word, None),
        });
    }
    out
}

fn is_word_boundary(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    let ok = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    ok(before) && ok(after)
}

/// A `KEY=literal` assignment in shell text.
struct Assignment<'s> {
    /// Offset of the key.
    key_start: usize,
    /// The value's range, quotes included.
    quoted: (usize, usize),
    /// The value's range, without quotes.
    value: (usize, usize),
    single_quoted: bool,
    text: &'s str,
}

/// `KEY=literal` assignments in shell text (`GOARCH=amd64`, `GOARCH='amd64'`), skipping `$…`.
fn literal_assignments<'s>(s: &'s str, key: &str) -> Vec<Assignment<'s>> {
    let pat = format!("{key}=");
    let mut out = Vec::new();
    for (i, _) in s.match_indices(&pat) {
        if i > 0 && (s.as_bytes()[i - 1].is_ascii_alphanumeric() || s.as_bytes()[i - 1] == b'_') {
            continue;
        }
        let vstart = i + pat.len();
        let rest = &s[vstart..];
        let quote = rest
            .as_bytes()
            .first()
            .copied()
            .filter(|c| matches!(c, b'"' | b'\''));
        let q = usize::from(quote.is_some());
        let vlen = rest[q..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
            .count();
        if vlen == 0 {
            continue; // `$…`, empty or something we do not understand
        }
        let vend = vstart + q + vlen;
        let closes = quote.is_none_or(|qc| s.as_bytes().get(vend) == Some(&qc));
        if !closes {
            continue; // `"amd64$X"`: not a plain literal
        }
        out.push(Assignment {
            key_start: i,
            quoted: (vstart, vend + q),
            value: (vstart + q, vend),
            single_quoted: quote == Some(b'\''),
            text: &s[vstart + q..vend],
        });
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

/// The architecture word or single-architecture asset a URL pins, with its offset in the URL.
fn url_hit(url: &str) -> Option<(usize, &str)> {
    let lower = url.to_ascii_lowercase();
    let word = ARCH_WORDS.iter().find_map(|w| {
        lower
            .match_indices(w)
            .find(|(j, _)| is_word_boundary(&lower, *j, j + w.len()))
            .map(|(j, _)| (j, &url[j..j + w.len()]))
    });
    if word.is_some() {
        return word;
    }
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or("");
    SINGLE_ARCH_ASSETS
        .contains(&last)
        .then(|| (path.len() - last.len(), last))
}

/// Rust target triples with an architecture, given to cargo or `CARGO_BUILD_TARGET`.
fn rust_triples(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for pat in ["--target", "CARGO_BUILD_TARGET="] {
        for (i, _) in s.match_indices(pat) {
            let rest = &s[i + pat.len()..];
            let trimmed = rest.trim_start_matches(['=', ' ', '"', '\'']);
            if pat == "--target" && trimmed.len() == rest.len() {
                continue; // `--target-dir`
            }
            let at = i + pat.len() + (rest.len() - trimmed.len());
            let len = trimmed
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
                .count();
            let triple = &s[at..at + len];
            let arch = triple.split('-').next().unwrap_or("");
            let known = family(arch).is_some()
                || matches!(
                    arch,
                    "armv7" | "i586" | "powerpc64le" | "riscv64gc" | "thumbv7neon"
                );
            if known && triple.contains("-linux-") {
                out.push((at, triple));
            }
        }
    }
    out
}

/// Paths that exist for one architecture only (`/usr/lib/x86_64-linux-gnu`,
/// `/usr/lib/jvm/java-17-openjdk-amd64`).
fn arch_paths(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (i, _) in s.match_indices("-linux-gnu") {
        let head = &s[..i];
        let start = head
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |j| j + 1);
        let arch = &s[start..i];
        if (family(arch).is_some() || arch == "arm" || arch == "powerpc64le")
            && head[..start].ends_with("lib/")
        {
            out.push((start, &s[start..i]));
        }
    }
    for (i, _) in s.match_indices("/jvm/") {
        let rest = &s[i + 5..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        if let Some(arch) = name.rsplit('-').next()
            && family(arch).is_some()
            && name.len() > arch.len()
        {
            let at = i + 5 + name_len - arch.len();
            out.push((at, &s[at..at + arch.len()]));
        }
    }
    out
}

/// Does any RUN of this stage build Go code (so an ARG/ENV GOARCH reaches a compiler)?
fn stage_runs_go(text: &str, instructions: &[Instruction<'_>]) -> bool {
    instructions.iter().any(|ins| {
        matches!(ins, Instruction::Run(_))
            && run_texts(text, ins).iter().any(|(_, s)| {
                find_command(s, "go build").is_some()
                    || find_command(s, "go install").is_some()
                    || find_command(s, "make").is_some()
                    || s.contains("$GOARCH")
                    || s.contains("${GOARCH")
            })
    })
}

/// Lint one ARG instruction: defaults on automatic platform ARGs, and a literal `GOARCH`
/// default that feeds a Go build.
fn lint_arg(
    a: &ArgInstruction<'_>,
    text: &str,
    lines: &Lines<'_>,
    path: &str,
    declared: &mut Vec<String>,
    feeds_go: bool,
    out: &mut Vec<Hazard>,
) {
    let (base, raw_args) = raw(text, &a.arguments);
    for (at, name, default) in declared_names(raw_args) {
        match (default, PLATFORM_ARGS.contains(&name)) {
            (Some(d), true) => {
                let (s, e) = (base + at, base + at + name.len() + 1 + d.len());
                let f = finding(
                    CauseCode::HardcodedArch,
                    Severity::Error,
                    format!(
                        "ARG {name}={} overrides the value BuildKit injects, so every platform builds as {}",
                        clip(d, 80),
                        clip(d, 80)
                    ),
                    lines,
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
                    lines,
                    path,
                    FixRequest::id("dockerfile-arg-without-default").with("name", name),
                ));
            }
            (Some(d), false) if name == "GOARCH" && feeds_go => {
                let v = d.trim_matches(['"', '\'']);
                if family(v).is_some() {
                    let (s, e) = (base + at, base + at + name.len() + 1 + d.len());
                    let f = finding(
                        CauseCode::HardcodedArch,
                        Severity::Warning,
                        format!(
                            "ARG GOARCH={v} is the Go target of every platform unless each build passes --build-arg; a multi-platform build gets {v} binaries everywhere"
                        ),
                        lines,
                        path,
                        (s, e),
                    );
                    let mut edits = vec![Edit {
                        start: base + at + name.len() + 1,
                        end: e,
                        replacement: "$TARGETARCH".into(),
                    }];
                    if !declared.iter().any(|d| d == "TARGETARCH") {
                        edits.push(Edit {
                            start: lines.line_start(a.arg.span.start),
                            end: lines.line_start(a.arg.span.start),
                            replacement: "ARG TARGETARCH\n".into(),
                        });
                        declared.push("TARGETARCH".into());
                    }
                    out.push(with_edit_fix(
                        Hazard { finding: f, edits },
                        lines,
                        path,
                        FixRequest::id("dockerfile-goarch-default-targetarch"),
                    ));
                }
            }
            _ => {}
        }
        declared.push(name.to_string());
    }
}

/// A candidate finding in a RUN/ENV text, collected per stage before deciding (a deliberate
/// per-architecture build matrix is not a hazard).
struct GoSite {
    key: &'static str,
    base: usize,
    key_start: usize,
    quoted: (usize, usize),
    value: (usize, usize),
    single_quoted: bool,
    val: String,
}

/// Hazards that need the parsed structure: stages, ARG scopes, FROM flags, data flow.
pub(super) fn structural_hazards(df: &Dockerfile<'_>, text: &str, path: &str) -> Vec<Hazard> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    let stages: Vec<_> = df.stages().collect();
    let last = stages.len().saturating_sub(1);
    // Names (and indexes) of stages built on $BUILDPLATFORM, and which compile natively.
    let mut native_builders: Vec<(Vec<String>, usize, String)> = Vec::new();
    // ARGs each stage declares (a stage built FROM another stage inherits them).
    let mut stage_args: Vec<(Vec<String>, Vec<String>)> = Vec::new();

    // Global ARGs (before the first FROM): a default on an automatic platform ARG pins it for
    // every FROM line; a literal GOARCH default reaches every stage that redeclares GOARCH.
    {
        let mut global = Vec::new();
        let redeclared_go = stages.iter().any(|st| {
            st.instructions.iter().any(|i| {
                matches!(i, Instruction::Arg(a) if declared_names(raw(text, &a.arguments).1)
                    .iter()
                    .any(|(_, n, d)| *n == "GOARCH" && d.is_none()))
            }) && stage_runs_go(text, st.instructions)
        });
        for a in df.global_args() {
            lint_arg(a, text, &lines, path, &mut global, redeclared_go, &mut out);
        }
    }

    // The chain of stages the final image is built FROM (a constant platform there is the
    // image's platform; elsewhere it only supplies files).
    let stage_index = |image: &str, before: usize| -> Option<usize> {
        stages[..before]
            .iter()
            .rposition(|st| {
                st.from
                    .as_
                    .as_ref()
                    .is_some_and(|(_, n)| n.value.eq_ignore_ascii_case(image))
            })
            .or_else(|| image.parse::<usize>().ok().filter(|i| *i < before))
    };
    let mut final_chain = vec![false; stages.len()];
    if !stages.is_empty() {
        let mut at = Some(last);
        while let Some(i) = at {
            if final_chain[i] {
                break;
            }
            final_chain[i] = true;
            at = stage_index(stages[i].from.image.value.as_ref(), i);
        }
    }

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
                        &lines,
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
                    &lines,
                    path,
                    FixRequest::id("dockerfile-drop-redundant-platform"),
                ));
            } else if !value.contains('$') {
                let value = clip(value, 80);
                let (severity, message) = if final_chain[si] {
                    (
                        Severity::Warning,
                        format!(
                            "FROM --platform={value} pins one platform (hadolint DL3029 / BuildKit FromPlatformFlagConstDisallowed); builds for other platforms get this architecture or fail with no matching manifest"
                        ),
                    )
                } else {
                    (
                        Severity::Info,
                        format!(
                            "FROM --platform={value} pins this stage, which only supplies files to other stages: fine for architecture-independent files (sources, certificates, assets); programs copied from it are {value} builds"
                        ),
                    )
                };
                let f = finding(
                    CauseCode::HardcodedArch,
                    severity,
                    message,
                    &lines,
                    path,
                    (span.start, span.end),
                );
                out.push(with_edit_fix(
                    Hazard {
                        finding: f,
                        edits: vec![remove],
                    },
                    &lines,
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
        // A stage built FROM an earlier stage inherits the ARGs that stage declares.
        let mut declared: Vec<String> = stage_index(from.image.value.as_ref(), si)
            .and_then(|p| stage_args.get(p))
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
        let mut reported_undeclared: Vec<&str> = Vec::new();
        let mut compiles_natively: Option<(usize, usize)> = None;
        let feeds_go = stage_runs_go(text, stage.instructions);
        // Windows container images exist for amd64 only: an amd64 download there is right.
        let windows = {
            let image = from.image.value.to_ascii_lowercase();
            image.contains("mcr.microsoft.com/windows")
                || image.contains("servercore")
                || image.contains("nanoserver")
        };
        let mut go_sites: Vec<GoSite> = Vec::new();
        let mut triple_sites: Vec<(usize, String)> = Vec::new();
        for ins in stage.instructions {
            if let Instruction::Arg(a) = ins {
                lint_arg(a, text, &lines, path, &mut declared, feeds_go, &mut out);
                continue;
            }
            for (base, s) in expanded_texts(text, ins) {
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
                            &lines,
                            path,
                            FixRequest::id("dockerfile-declare-arg").with("name", name),
                        ));
                    }
                }
                if !matches!(
                    ins,
                    Instruction::Run(_) | Instruction::Env(_) | Instruction::Add(_)
                ) {
                    arch_path_hazard(&lines, path, base, s, None, &mut out);
                }
            }
            for (base, s) in run_texts(text, ins) {
                let map = ShellMap::new(s);
                let quiet = |at: usize| map.in_comment(at) || map.in_arch_dispatch(at);
                for key in ["GOARCH", "GOARM"] {
                    for a in literal_assignments(s, key) {
                        let known = if key == "GOARM" {
                            a.text.bytes().all(|c| c.is_ascii_digit())
                        } else {
                            family(a.text).is_some()
                        };
                        if known && !quiet(a.key_start) && !windows {
                            go_sites.push(GoSite {
                                key,
                                base,
                                key_start: a.key_start,
                                quoted: a.quoted,
                                value: a.value,
                                single_quoted: a.single_quoted,
                                val: a.text.to_string(),
                            });
                        }
                    }
                }
                for (at, triple) in rust_triples(s) {
                    if !quiet(at) {
                        triple_sites.push((base + at, triple.to_string()));
                    }
                }
                if !windows {
                    url_hazard(&lines, path, base, s, &map, &mut out);
                }
                arch_path_hazard(&lines, path, base, s, Some(&map), &mut out);
                case_label_hazards(&lines, path, base, &map, &mut out);
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
        go_hazards(&lines, path, &go_sites, &declared, from_line_end, &mut out);
        triple_hazards(&lines, path, &triple_sites, &mut out);
        if let Some(span) = compiles_natively {
            let mut names = vec![si.to_string()];
            names.extend(stage_name.clone());
            let tool = if text[span.0..span.1].starts_with("go") {
                "go"
            } else {
                "cargo"
            };
            native_builders.push((names, span.0, tool.to_string()));
        }
        stage_args.push((stage_name.into_iter().collect(), declared));
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

/// Literal `GOARCH`/`GOARM` assignments of one stage, unless the stage builds a deliberate
/// matrix (the same key set to several architectures).
fn go_hazards(
    lines: &Lines<'_>,
    path: &str,
    sites: &[GoSite],
    declared: &[String],
    from_line_end: usize,
    out: &mut Vec<Hazard>,
) {
    for key in ["GOARCH", "GOARM"] {
        let mine: Vec<&GoSite> = sites.iter().filter(|s| s.key == key).collect();
        let first = mine.first().map(|s| s.val.as_str());
        if mine.iter().any(|s| Some(s.val.as_str()) != first) {
            continue; // a matrix: one build per architecture, on purpose
        }
        let (var, sev) = if key == "GOARCH" {
            ("TARGETARCH", Severity::Error)
        } else {
            ("TARGETVARIANT", Severity::Warning)
        };
        for site in mine {
            let value = if key == "GOARM" {
                "${TARGETVARIANT#v}"
            } else {
                "$TARGETARCH"
            };
            // A single-quoted value stays literal in the shell: drop the quotes
            // (TARGETARCH/TARGETVARIANT never contain spaces or glob characters).
            let (start, end) = if site.single_quoted {
                site.quoted
            } else {
                site.value
            };
            let mut edits = vec![Edit {
                start: site.base + start,
                end: site.base + end,
                replacement: value.into(),
            }];
            if !declared.iter().any(|d| d == var) {
                edits.push(Edit {
                    start: from_line_end,
                    end: from_line_end,
                    replacement: format!("ARG {var}\n"),
                });
            }
            let val = &site.val;
            let f = finding(
                CauseCode::HardcodedArch,
                sev,
                format!(
                    "{key}={val} hard-codes the Go target; every platform of a multi-platform build gets the {val} binary"
                ),
                lines,
                path,
                (site.base + site.key_start, site.base + site.value.1),
            );
            out.push(with_edit_fix(
                Hazard { finding: f, edits },
                lines,
                path,
                FixRequest::id("dockerfile-go-env-from-target")
                    .with("key", key)
                    .with("var", var),
            ));
        }
    }
}

/// Rust target triples with a fixed architecture, unless several are built on purpose.
fn triple_hazards(lines: &Lines<'_>, path: &str, sites: &[(usize, String)], out: &mut Vec<Hazard>) {
    let first = sites.first().map(|s| s.1.as_str());
    if sites.iter().any(|s| Some(s.1.as_str()) != first) {
        return;
    }
    for (at, triple) in sites {
        let mut f = finding(
            CauseCode::HardcodedArch,
            Severity::Warning,
            format!(
                "the Rust target `{}` is fixed; every platform of a multi-platform build gets this architecture's binary",
                clip(triple, 80)
            ),
            lines,
            path,
            (*at, at + triple.len()),
        );
        f.requests
            .push(FixRequest::id("cargo-cross-compile-targetarch"));
        out.push(Hazard {
            finding: f,
            edits: Vec::new(),
        });
    }
}

/// The first download URL of a text piece that pins an architecture (one finding per piece,
/// counting the others), outside comments and architecture dispatches.
fn url_hazard(
    lines: &Lines<'_>,
    path: &str,
    base: usize,
    s: &str,
    map: &ShellMap,
    out: &mut Vec<Hazard>,
) {
    let mut hits = urls(s)
        .into_iter()
        .filter(|(ui, _)| !map.in_comment(*ui) && !map.in_arch_dispatch(*ui))
        .filter_map(|(ui, url)| url_hit(url).map(|(j, w)| (ui + j, w)));
    let Some((at, word)) = hits.next() else {
        return;
    };
    let more = hits.count();
    let s0 = base + at;
    let also = if more > 0 {
        format!(" ({more} more such URL(s) in this instruction)")
    } else {
        String::new()
    };
    let what = if SINGLE_ARCH_ASSETS.contains(&word) {
        format!(
            "download URL fetches `{word}`, an asset published for x86-64 only under that name; other platforms get an x86-64 binary (exec format error) — pick `{word}-${{TARGETARCH}}` instead"
        )
    } else {
        format!(
            "download URL hard-codes `{}`; on other platforms this installs a foreign binary (exec format error) — map ${{TARGETARCH}} to the vendor's name instead",
            clip(word, 40)
        )
    };
    let mut f = finding(
        CauseCode::HardcodedArch,
        Severity::Warning,
        format!("{what}{also}"),
        lines,
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

/// A path that exists for one architecture only, outside comments and dispatches (one finding
/// per text piece).
fn arch_path_hazard(
    lines: &Lines<'_>,
    path: &str,
    base: usize,
    s: &str,
    map: Option<&ShellMap>,
    out: &mut Vec<Hazard>,
) {
    let Some((at, arch)) = arch_paths(s)
        .into_iter()
        .find(|(at, _)| map.is_none_or(|m| !m.in_comment(*at) && !m.in_arch_dispatch(*at)))
    else {
        return;
    };
    let mut f = finding(
        CauseCode::HardcodedArch,
        Severity::Warning,
        format!(
            "the path names the `{arch}` architecture; on other platforms it does not exist (the directory is named after their architecture)"
        ),
        lines,
        path,
        (base + at, base + at + arch.len()),
    );
    f.requests.push(FixRequest::id("dockerfile-arch-path"));
    out.push(Hazard {
        finding: f,
        edits: Vec::new(),
    });
}

/// `case` labels that the command printing the architecture never prints (`arm64)` on Alpine,
/// where `apk --print-arch` says `aarch64`): that branch never runs.
fn case_label_hazards(
    lines: &Lines<'_>,
    path: &str,
    base: usize,
    map: &ShellMap,
    out: &mut Vec<Hazard>,
) {
    for case in &map.cases {
        let Some(vocab) = case.vocab else { continue };
        let words = vocab.words();
        for (at, label) in &case.labels {
            let Some(fam) = family(label) else { continue };
            if words.contains(&label.as_str()) {
                continue;
            }
            let covered = case
                .labels
                .iter()
                .any(|(_, l)| words.contains(&l.as_str()) && family(l) == Some(fam));
            if covered {
                continue;
            }
            let Some(right) = words.iter().find(|w| family(w) == Some(fam)) else {
                continue;
            };
            let s0 = base + at;
            let f = finding(
                CauseCode::HardcodedArch,
                Severity::Error,
                format!(
                    "the case label `{label})` never matches: `{}` prints `{right}` for this architecture, so that platform falls through to the default branch",
                    vocab.command()
                ),
                lines,
                path,
                (s0, s0 + label.len()),
            );
            out.push(with_edit_fix(
                Hazard {
                    finding: f,
                    edits: vec![Edit {
                        start: s0,
                        end: s0 + label.len(),
                        replacement: (*right).to_string(),
                    }],
                },
                lines,
                path,
                FixRequest::id("dockerfile-case-label")
                    .with("right", *right)
                    .with("command", vocab.command()),
            ));
        }
    }
}
