//! Redaction of secrets from any user text we echo (evidence, diffs, snippets). On by default
//! everywhere; the CLI's `--no-redact` opts out.
//!
//! What is scrubbed: private key blocks, AWS access key ids and secret keys, account ids in
//! ARNs (configurable), bearer and basic credentials, passwords in URLs, connection strings
//! and `docker login -p`, `auth`/`identitytoken` values in Docker config JSON, well-known token
//! formats (GitHub, GitLab, Slack, OpenAI-style `sk-`), and generic high-entropy tokens. What is
//! kept: digests (`sha256:…`), platforms, image references, hex ids and UUIDs.
//!
//! ```
//! use archcompat::redact::{redact, RedactOptions};
//! let s = redact("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", &RedactOptions::default());
//! assert_eq!(s, "export AWS_SECRET_ACCESS_KEY=[REDACTED]");
//! let kept = "pull ghcr.io/acme/app@sha256:3f1c3e0a2b9d8c7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 for linux/arm64/v8";
//! assert_eq!(redact(kept, &RedactOptions::default()), kept);
//! ```

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::OnceLock;

/// What to redact.
#[derive(Debug, Clone)]
pub struct RedactOptions {
    /// Replace 12-digit account ids inside ARNs (`arn:aws:iam::123456789012:role/x`).
    pub account_ids: bool,
    /// Replace long random-looking tokens that match no known format.
    pub high_entropy: bool,
}

impl Default for RedactOptions {
    fn default() -> Self {
        RedactOptions {
            account_ids: true,
            high_entropy: true,
        }
    }
}

/// The marker that replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

struct Rules {
    private_key: Regex,
    aws_key_id: Regex,
    aws_secret: Regex,
    arn_account: Regex,
    bearer: Regex,
    basic: Regex,
    url_password: Regex,
    conn_password: Regex,
    docker_login: Regex,
    docker_auth: Regex,
    known_tokens: Regex,
    candidate: Regex,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect("redaction patterns are valid");
        Rules {
            private_key: r(r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\z)"),
            aws_key_id: r(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b"),
            aws_secret: r(r#"(?i)(aws_?secret_?access_?key|secret_?access_?key|aws_?secret|SecretAccessKey)(["']?\s*[=:]\s*["']?)([A-Za-z0-9/+=]{40})"#),
            arn_account: r(r"(arn:aws[a-zA-Z-]*:[a-z0-9-]*:[a-z0-9-]*:)(\d{12})(:)"),
            bearer: r(r"(?i)\b(bearer)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)"),
            basic: r(r"(?i)(authorization:\s*basic|\bbasic)(\s+)([A-Za-z0-9+/]{8,}={0,2})"),
            url_password: r(r"([a-zA-Z][a-zA-Z0-9+.\-]*://)([^/\s:@]+):([^@\s/]+)@"),
            conn_password: r(r#"(?i)\b(password|passwd|pwd|pass|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;,&"']+)"#),
            docker_login: r(r"(\blogin\b[^\n]*?\s(?:-p|--password)(?:\s+|=))(\S+)"),
            docker_auth: r(r#"("(?:auth|identitytoken|registrytoken|password)"\s*:\s*")([^"]+)(")"#),
            known_tokens: r(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{20,}|xox[abprs]-[A-Za-z0-9\-]{10,}|sk-[A-Za-z0-9_\-]{20,}|AIza[0-9A-Za-z_\-]{35}|npm_[A-Za-z0-9]{36})\b"),
            candidate: r(r"[A-Za-z0-9_\-+/]{32,}={0,2}"),
        }
    })
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

fn looks_secret(tok: &str) -> bool {
    let has_digit = tok.bytes().any(|b| b.is_ascii_digit());
    let has_upper = tok.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = tok.bytes().any(|b| b.is_ascii_lowercase());
    // Hex (digests, git ids) tops out at 4 bits/char; identifiers are rarely mixed-case + digits.
    has_digit && has_upper && has_lower && entropy(tok) >= 4.3
}

fn apply<'a>(text: Cow<'a, str>, re: &Regex, f: impl Fn(&Captures) -> String) -> Cow<'a, str> {
    if !re.is_match(&text) {
        return text;
    }
    Cow::Owned(re.replace_all(&text, |c: &Captures| f(c)).into_owned())
}

/// Redact secrets in `text`. Returns the text unchanged (borrowed) when nothing matched.
pub fn redact<'a>(text: &'a str, opts: &RedactOptions) -> Cow<'a, str> {
    let r = rules();
    let mut t = Cow::Borrowed(text);
    t = apply(t, &r.private_key, |_| "[REDACTED PRIVATE KEY]".into());
    t = apply(t, &r.aws_secret, |c| {
        format!("{}{}{REDACTED}", &c[1], &c[2])
    });
    t = apply(t, &r.aws_key_id, |_| REDACTED.into());
    if opts.account_ids {
        t = apply(t, &r.arn_account, |c| {
            format!("{}************{}", &c[1], &c[3])
        });
    }
    t = apply(t, &r.bearer, |c| format!("{}{}{REDACTED}", &c[1], &c[2]));
    t = apply(t, &r.basic, |c| format!("{}{}{REDACTED}", &c[1], &c[2]));
    t = apply(t, &r.url_password, |c| {
        format!("{}{}:{REDACTED}@", &c[1], &c[2])
    });
    t = apply(t, &r.docker_login, |c| format!("{}{REDACTED}", &c[1]));
    t = apply(t, &r.docker_auth, |c| {
        format!("{}{REDACTED}{}", &c[1], &c[3])
    });
    t = apply(t, &r.conn_password, |c| {
        let v = &c[3];
        if v.contains(REDACTED) || v.starts_with('$') || v.eq_ignore_ascii_case("stdin") {
            c[0].to_string()
        } else {
            format!("{}{}{REDACTED}", &c[1], &c[2])
        }
    });
    t = apply(t, &r.known_tokens, |_| REDACTED.into());
    if opts.high_entropy {
        t = apply(t, &r.candidate, |c| {
            let tok = &c[0];
            if looks_secret(tok) {
                REDACTED.into()
            } else {
                tok.to_string()
            }
        });
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_separates_hex_from_random_tokens() {
        assert!(entropy("3f1c3e0a2b9d8c7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39") <= 4.0);
        assert!(looks_secret(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9aBcD1234XyZ"
        ));
        assert!(!looks_secret("docker_buildx_imagetools_inspect_raw_output"));
    }
}
