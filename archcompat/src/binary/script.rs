//! Scripts (`#!` line as binfmt_script parses it: CR is part of the name, 256-byte buffer,
//! BOMs) and the text/data fallback.

use super::{BinaryInfo, DataDetails, Details, Format};
use serde::Serialize;

/// The kernel's exec buffer (BINPRM_BUF_SIZE).
const BINPRM_BUF_SIZE: usize = 256;

/// Line endings of the first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineEndings {
    /// `\n`.
    Lf,
    /// `\r\n`.
    Crlf,
    /// `\r` only.
    Cr,
    /// No line ending in the prefix.
    None,
}

/// `#!` script facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScriptDetails {
    /// The interpreter the kernel would execute (`/bin/sh`; a trailing CR is removed here and
    /// reported through `line_endings`). `None` when the `#!` line names none.
    pub interpreter: Option<String>,
    /// The single optional argument (everything after the interpreter on the line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
    /// For `#!/usr/bin/env PROG`: the program env looks up on `PATH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_program: Option<String>,
    /// Line endings of the `#!` line.
    pub line_endings: LineEndings,
    /// A UTF-8 byte-order mark precedes `#!` (the kernel then does not see a script).
    pub bom: bool,
    /// The `#!` line does not end within the kernel's 256-byte buffer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub line_too_long: bool,
}

/// Text (no `#!`) facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextDetails {
    /// Line endings of the first line.
    pub line_endings: LineEndings,
    /// Byte-order mark: `utf-8`, `utf-16le`, `utf-16be`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bom: Option<String>,
    /// The first line looks like shell commands.
    pub looks_like_shell: bool,
}

fn line_endings(d: &[u8]) -> LineEndings {
    match d.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(i) if d[i] == b'\n' => LineEndings::Lf,
        Some(i) if d.get(i + 1) == Some(&b'\n') => LineEndings::Crlf,
        Some(_) => LineEndings::Cr,
        None => LineEndings::None,
    }
}

pub(super) fn classify(d: &[u8], file_len: u64) -> BinaryInfo {
    let (body, bom) = match d.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, true),
        None => (d, false),
    };
    if body.starts_with(b"#!") {
        return BinaryInfo {
            format: Format::Script,
            platform: None,
            details: Details::Script(shebang(body, bom, file_len)),
        };
    }
    let utf16 = if d.starts_with(b"\xff\xfe") {
        Some("utf-16le")
    } else if d.starts_with(b"\xfe\xff") {
        Some("utf-16be")
    } else {
        None
    };
    let sample = &body[..body.len().min(4096)];
    let is_text = utf16.is_some() || (!has_control(sample) && utf8_cut(sample));
    if !is_text {
        return BinaryInfo {
            format: Format::Data,
            platform: None,
            details: Details::Data(DataDetails { kind: None }),
        };
    }
    let first = sample.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let first = String::from_utf8_lossy(first);
    let word = first.split_whitespace().next().unwrap_or("");
    let looks_like_shell = matches!(
        word,
        "set" | "echo" | "exec" | "export" | "cd" | "if" | "for" | "while" | "." | "source" | "#"
    ) || first.trim_start().starts_with('#')
        || first.contains("=$")
        || first.contains("$(");
    BinaryInfo {
        format: Format::Text,
        platform: None,
        details: Details::Text(TextDetails {
            line_endings: line_endings(sample),
            bom: if bom {
                Some("utf-8".into())
            } else {
                utf16.map(str::to_string)
            },
            looks_like_shell,
        }),
    }
}

/// A C0 control byte other than tab, newline, form feed, carriage return and escape: what
/// text does not hold. Checked 64 bytes at a time without a branch per byte (the compiler
/// vectorises the block), stopping after the first block with one: most data files have one
/// in their first bytes.
fn has_control(s: &[u8]) -> bool {
    s.chunks(64).any(|block| {
        block.iter().fold(false, |bad, &b| {
            bad | ((b < 0x20)
                & (b != b'\t')
                & (b != b'\n')
                & (b != b'\r')
                & (b != 0x0c)
                & (b != 0x1b))
        })
    })
}

/// A prefix cut in the middle of a multi-byte UTF-8 sequence is still text.
fn utf8_cut(s: &[u8]) -> bool {
    match std::str::from_utf8(s) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > s.len(),
    }
}

fn shebang(body: &[u8], bom: bool, file_len: u64) -> ScriptDetails {
    // The kernel sees at most 256 bytes from the start of the file (BOM included).
    let budget = BINPRM_BUF_SIZE.saturating_sub(if bom { 3 } else { 0 });
    let buf = &body[2..body.len().min(budget)];
    let nl = buf.iter().position(|&b| b == b'\n');
    let total = file_len.saturating_sub(if bom { 3 } else { 0 });
    let line_too_long = nl.is_none() && total > budget as u64;
    let line = &buf[..nl.unwrap_or(buf.len())];
    let le = match nl {
        Some(i) if i > 0 && line[i - 1] == b'\r' => LineEndings::Crlf,
        Some(_) => LineEndings::Lf,
        None if line.contains(&b'\r') => LineEndings::Cr,
        None => LineEndings::None,
    };
    // binfmt_script: skip spaces/tabs; interpreter ends at space, tab or NUL; CR is kept.
    let line = line.split(|&b| b == 0).next().unwrap_or(&[]);
    let s = String::from_utf8_lossy(line);
    let s = s.trim_start_matches([' ', '\t']);
    let (interp, rest) = match s.find([' ', '\t']) {
        Some(i) => (&s[..i], s[i..].trim_matches([' ', '\t'])),
        None => (s, ""),
    };
    let strip_cr = |x: &str| x.trim_end_matches('\r').to_string();
    let interpreter = (!strip_cr(interp).is_empty()).then(|| strip_cr(interp));
    let argument = (!strip_cr(rest).is_empty()).then(|| strip_cr(rest));
    let env_program = match (&interpreter, &argument) {
        (Some(i), Some(a)) if i.ends_with("/env") => a
            .split_whitespace()
            .find(|w| !w.starts_with('-') && !w.contains('='))
            .map(str::to_string),
        _ => None,
    };
    ScriptDetails {
        interpreter,
        argument,
        env_program,
        line_endings: le,
        bom,
        line_too_long,
    }
}
