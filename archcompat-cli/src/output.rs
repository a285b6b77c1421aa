//! Rendering and exit codes: the only place where results become text. Every human text
//! written to the terminal (stdout and the error line on stderr) passes [`escape_controls`], so
//! control characters from the input (an image's ENTRYPOINT, file names in layers, log lines)
//! cannot move the cursor, clear the screen, set the title or fake a verdict.
#![allow(dead_code)] // shared plumbing; not every command uses every part

use clap::{Args, ValueEnum};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable text (default).
    Text,
    /// Exactly one JSON document on stdout.
    Json,
    /// SARIF 2.1.0 for code-scanning UIs.
    Sarif,
}

/// Flags every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print exactly one JSON document on stdout (same as `--format json`).
    #[arg(long, global = true)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, global = true)]
    pub format: Option<Format>,
    /// No progress output on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Echo user text without redacting secrets (redaction is on by default).
    #[arg(long, global = true)]
    pub no_redact: bool,
}

/// Where and how a command prints.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub quiet: bool,
    pub redact: bool,
    /// Whether stderr is a terminal (progress bars only then).
    pub stderr_tty: bool,
}

impl Output {
    pub fn new(g: &GlobalArgs) -> Self {
        let format = g
            .format
            .unwrap_or(if g.json { Format::Json } else { Format::Text });
        Output {
            format,
            quiet: g.quiet,
            redact: !g.no_redact,
            stderr_tty: std::io::stderr().is_terminal(),
        }
    }

    /// The redaction switch to pass to the core (`--no-redact` turns it off).
    pub fn redaction(&self) -> archcompat::Redaction {
        archcompat::Redaction::from_flag(self.redact)
    }

    /// Print a value as pretty JSON on stdout: rendered in memory, written with one
    /// `write_all` (stdout is line-buffered, so writing through it directly would cost a
    /// system call per line).
    pub fn json<T: Serialize>(&self, value: &T) -> Result<(), CliError> {
        let mut doc = serde_json::to_vec_pretty(value)
            .map_err(|e| CliError::Internal(format!("cannot render JSON: {e}")))?;
        doc.push(b'\n');
        write_stdout(&doc)
    }

    /// Write bytes to stdout exactly as given (a filter's output to a file or pipe; text for
    /// a terminal goes through [`Output::text`]).
    pub fn raw(&self, bytes: &[u8]) -> Result<(), CliError> {
        write_stdout(bytes)
    }

    /// Print a JSON array assembled by [`JsonArray`] on stdout, in one write.
    pub fn json_array(&self, doc: JsonArray) -> Result<(), CliError> {
        write_stdout(&doc.finish())
    }

    /// Print text on stdout (a final newline is added when missing), in one write, control
    /// characters escaped (see [`escape_controls`]).
    pub fn text(&self, text: &str) -> Result<(), CliError> {
        let text = escape_controls(text);
        if text.ends_with('\n') {
            write_stdout(text.as_bytes())
        } else {
            let mut doc = Vec::with_capacity(text.len() + 1);
            doc.extend_from_slice(text.as_bytes());
            doc.push(b'\n');
            write_stdout(&doc)
        }
    }
}

/// A top-level JSON array assembled from [`json_array_element`] pieces in order (as workers
/// hand them over): byte for byte what [`Output::json`] prints for the array of those values.
/// Each piece is copied in and can be dropped at once, so the threads that rendered the pieces
/// reuse their memory instead of growing it until the end.
pub struct JsonArray {
    doc: Vec<u8>,
    len: usize,
}

impl JsonArray {
    /// An empty array with room for `bytes` of elements (reserved, touched only when used).
    pub fn with_capacity(bytes: usize) -> Self {
        JsonArray {
            doc: Vec::with_capacity(bytes),
            len: 0,
        }
    }

    /// Append one element.
    pub fn push(&mut self, element: &JsonElement) {
        self.doc
            .extend_from_slice(if self.len == 0 { b"[\n" } else { b",\n" });
        self.doc.extend_from_slice(element.body());
        self.len += 1;
    }

    /// The whole document, with its final newline.
    fn finish(mut self) -> Vec<u8> {
        if self.len == 0 {
            return b"[]\n".to_vec();
        }
        self.doc.extend_from_slice(b"\n]\n");
        self.doc
    }
}

/// One value rendered as pretty JSON indented as an element of a top-level array (two spaces
/// before every line), by [`json_array_element`].
pub struct JsonElement {
    /// The value rendered as the array `[value]`: `[\n`, the element, `\n]`.
    rendered: Vec<u8>,
}

impl JsonElement {
    fn body(&self) -> &[u8] {
        &self.rendered[2..self.rendered.len() - 2]
    }
}

/// `value` as an element of a top-level array: the pieces [`JsonArray`] joins. Rendered in
/// one pass as the array `[value]` (`[\n  …\n]`), whose brackets and their line breaks are
/// left out when it is joined.
pub fn json_array_element<T: Serialize>(value: &T) -> Result<JsonElement, CliError> {
    // Sized for a typical inspect entry (about 1 KiB), so it is rarely grown.
    let mut rendered = Vec::with_capacity(2048);
    serde_json::to_writer_pretty(&mut rendered, std::slice::from_ref(value))
        .map_err(|e| CliError::Internal(format!("cannot render JSON: {e}")))?;
    if rendered.starts_with(b"[\n") && rendered.ends_with(b"\n]") {
        Ok(JsonElement { rendered })
    } else {
        Err(CliError::Internal(
            "cannot render JSON: unexpected array layout".into(),
        ))
    }
}

/// Write a whole document to stdout and flush it. The bytes go straight to the file
/// descriptor in as few `write` calls as the kernel accepts (`LineWriter` passes a large
/// write through without splitting it at newlines when its buffer is empty).
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|_| stdout.flush())
        .map_err(write_error)
}

/// Escape what a terminal would act on instead of print: C0 controls other than newline and
/// tab (ESC, BEL, BS, CR, …), DEL, C1 controls (U+0080–U+009F, CSI as one character) and the
/// Unicode bidirectional overrides and isolates (which reorder what is shown). Each becomes a
/// visible `\x1b` / `\u{202e}`-style escape; everything else, including non-ASCII text, stays.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    }
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// A closed stdout (`archcompat … | head`) ends the command quietly, as Unix tools do.
fn write_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    CliError::Internal(format!("cannot write output: {e}"))
}

/// What a command reports back to `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: success, compatible, nothing found.
    Ok,
    /// Exit 1: the check found a problem.
    Problem,
}

/// A failure that ends the command with exit 2.
#[derive(Debug)]
pub enum CliError {
    /// Bad usage (message explains).
    Usage(String),
    /// A core error (names its input).
    Core(archcompat::Error),
    /// Output failed, etc.
    Internal(String),
}

impl From<archcompat::Error> for CliError {
    fn from(e: archcompat::Error) -> Self {
        CliError::Core(e)
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Internal(m) => f.write_str(m),
            CliError::Core(e) => write!(f, "{e}"),
        }
    }
}

/// Map a command result to the contract's exit code, printing errors on stderr.
pub fn finish(result: Result<Outcome, CliError>) -> ExitCode {
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Problem) => ExitCode::from(1),
        Err(e) => {
            // A closed stdout (e.g. `| head`) is not worth a message.
            eprintln!("archcompat: error: {}", escape_controls(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{JsonArray, escape_controls, json_array_element};

    #[test]
    fn array_pieces_join_to_the_pretty_array_byte_for_byte() {
        let values = [
            serde_json::json!({
                "path": "/usr/bin/a b",
                "problems": [],
                "details": {},
                "nested": [1, {"y": [true, null, "x\ny"]}, []],
                "text": "line\nbreak \"quoted\" ✗",
            }),
            serde_json::json!([]),
            serde_json::json!("plain"),
            serde_json::json!({"one": {"two": {"three": [0.5]}}}),
        ];
        for n in 0..=values.len() {
            let mut doc = JsonArray::with_capacity(0);
            for v in &values[..n] {
                doc.push(&json_array_element(v).unwrap());
            }
            let got = doc.finish();
            let mut want = serde_json::to_vec_pretty(&values[..n]).unwrap();
            want.push(b'\n');
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

    #[test]
    fn controls_are_escaped_and_text_kept() {
        let hostile = "\u{1b}[2J\u{1b}[31mverdict: runs\u{1b}]2;pwned\u{7}";
        assert_eq!(
            escape_controls(hostile),
            "\\x1b[2J\\x1b[31mverdict: runs\\x1b]2;pwned\\x07"
        );
        assert_eq!(escape_controls("a\rb\u{9b}c\u{7f}"), "a\\x0db\\x9bc\\x7f");
        assert_eq!(escape_controls("evil\u{202e}txt.sh"), "evil\\u{202e}txt.sh");
        let plain = "línea 1\tcol\n  ✗ arch-mismatch [ENOEXEC]\n";
        assert!(matches!(
            escape_controls(plain),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
