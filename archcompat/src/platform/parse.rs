//! containerd's `Parse` (specifier → [`Platform`]) and `FormatAll`'s option encoding.
//!
//! Grammar: `<os>[(<version>[+<feature>]*)]` | `<arch>` | `<os>[(…)]/<arch>[/<variant>]`.
//! Errors name the offending component. [`parse_with`] takes the host defaults explicitly so
//! that containerd's host-dependent answers (`"linux"` alone, `"arm"` alone) can be tested
//! for any host.

use super::Platform;
use super::normalize::{Defaults, is_known_arch, is_known_os, normalize_arch, normalize_os};
use crate::{Error, Result};

/// Longest specifier accepted. containerd has no limit; this one only guards against
/// unbounded input (a specifier is a command-line word or a short JSON value).
pub const MAX_SPECIFIER_LEN: usize = 64 * 1024;

fn invalid(input: &str, reason: impl Into<String>) -> Error {
    Error::InvalidPlatform {
        input: input.to_string(),
        reason: reason.into(),
    }
}

fn is_component_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'
}

fn is_os_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_option_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '%' || c == '-'
}

/// Parse with containerd's exact semantics on this machine's defaults.
pub fn parse(specifier: &str) -> Result<Platform> {
    parse_with(specifier, Defaults::current())
}

/// containerd `Parse`, with the host defaults given explicitly.
///
/// (Example: the test `doc_examples::parse_with_example` in this file.)
pub fn parse_with(specifier: &str, defaults: &Defaults) -> Result<Platform> {
    if specifier.len() > MAX_SPECIFIER_LEN {
        return Err(invalid(
            &specifier.chars().take(64).collect::<String>(),
            format!(
                "specifier is {} bytes long; at most {MAX_SPECIFIER_LEN} are accepted",
                specifier.len()
            ),
        ));
    }
    if specifier.contains('*') {
        return Err(invalid(specifier, "wildcards (`*`) are not supported"));
    }
    let parts: Vec<&str> = specifier.splitn(4, '/').collect();
    let mut p = Platform::default();
    let (os_name, version, features) = split_os(parts[0]).ok_or_else(|| {
        invalid(
            specifier,
            format!(
                "{:?} is an invalid OS component: it must be a name of letters, digits, `_` and `-`, optionally followed by `(version+feature+…)`",
                parts[0]
            ),
        )
    })?;
    p.os = normalize_os(os_name, defaults);
    p.os_version = Some(
        decode_option(version)
            .map_err(|e| invalid(specifier, format!("invalid OS version {version:?}: {e}")))?,
    )
    .filter(|v| !v.is_empty());
    if !features.is_empty() {
        p.os_features = parse_features(&features[1..])
            .map_err(|e| invalid(specifier, format!("invalid OS features: {e}")))?;
    }
    for part in &parts[1..] {
        if part.is_empty() || !part.chars().all(is_component_char) {
            return Err(invalid(
                specifier,
                format!(
                    "{part:?} is an invalid component: it must be non-empty and use only letters, digits, `_`, `.` and `-`"
                ),
            ));
        }
    }
    match parts.len() {
        1 => {
            if is_known_os(&p.os) {
                p.architecture = defaults.arch.clone();
                if p.architecture == "arm" && defaults.cpu_variant != "v7" {
                    p.variant = defaults.cpu_variant.clone();
                }
                return Ok(p);
            }
            let (arch, mut variant) = normalize_arch(parts[0], "");
            if arch == "arm" && variant == "v7" {
                variant.clear();
            }
            if is_known_arch(&arch) {
                return Ok(Platform {
                    os: defaults.os.clone(),
                    architecture: arch,
                    variant,
                    os_version: p.os_version,
                    os_features: p.os_features,
                });
            }
            Err(invalid(
                specifier,
                format!(
                    "{:?} is neither a known operating system nor a known architecture",
                    parts[0]
                ),
            ))
        }
        2 => {
            let (arch, mut variant) = normalize_arch(parts[1], "");
            if arch == "arm" && variant == "v7" {
                variant.clear();
            }
            p.architecture = arch;
            p.variant = variant;
            Ok(p)
        }
        3 => {
            let (arch, mut variant) = normalize_arch(parts[1], parts[2]);
            if arch == "arm64" && variant.is_empty() {
                variant = "v8".into();
            }
            p.architecture = arch;
            p.variant = variant;
            Ok(p)
        }
        _ => Err(invalid(
            specifier,
            format!(
                "too many components: expected os/arch[/variant], found extra {:?}",
                parts[3]
            ),
        )),
    }
}

/// Split `os(version+f1+f2)` into (`os`, `version`, `+f1+f2`), as containerd's OS regex does.
fn split_os(part: &str) -> Option<(&str, &str, &str)> {
    let name_end = part
        .find(|c: char| !is_os_name_char(c))
        .unwrap_or(part.len());
    if name_end == 0 {
        return None;
    }
    let (name, rest) = part.split_at(name_end);
    if rest.is_empty() {
        return Some((name, "", ""));
    }
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    let version_end = inner
        .find(|c: char| !is_option_char(c))
        .unwrap_or(inner.len());
    let (version, features) = inner.split_at(version_end);
    // features: zero or more "+<one or more option chars>"
    let mut rest = features;
    while !rest.is_empty() {
        let after = rest.strip_prefix('+')?;
        let n = after
            .find(|c: char| !is_option_char(c))
            .unwrap_or(after.len());
        if n == 0 {
            return None;
        }
        rest = &after[n..];
    }
    Some((name, version, features))
}

fn parse_features(s: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    for raw in s.split('+') {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("empty OS feature".into());
        }
        let f = decode_option(raw).map_err(|e| format!("invalid OS feature {raw:?}: {e}"))?;
        if !f.is_empty() {
            out.push(f);
        }
    }
    Ok(out)
}

/// Percent-decode an OS option when it contains `%` (Go `url.PathUnescape`).
pub fn decode_option(v: &str) -> std::result::Result<String, String> {
    if !v.contains('%') {
        return Ok(v.to_string());
    }
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    let end = (i + 3).min(b.len());
                    return Err(format!(
                        "invalid URL escape {:?}",
                        String::from_utf8_lossy(&b[i..end])
                    ));
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "escape decodes to invalid UTF-8".to_string())
}

/// Percent-encode `% + ( ) /` in an OS option, as `FormatAll` does.
pub fn encode_option(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '%' => out.push_str("%25"),
            '+' => out.push_str("%2B"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '/' => out.push_str("%2F"),
            c => out.push(c),
        }
    }
    out
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn parse_with_example() {
        use crate::platform::{Defaults, parse::parse_with};
        let amd = Defaults::new("linux", "amd64", "");
        assert_eq!(
            parse_with("Aarch64", &amd).unwrap().to_string(),
            "linux/arm64"
        );
        assert_eq!(
            parse_with("linux/arm/v7", &amd).unwrap().to_string(),
            "linux/arm/v7"
        );
        assert!(parse_with("linux/arm/", &amd).is_err());
    }
}
