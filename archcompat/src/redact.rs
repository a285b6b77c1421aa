//! Redaction of secrets from any user text we echo: the core's policy. User text is scrubbed
//! where it enters a finding, evidence, fix, snippet, rewrite, report or error, on by default;
//! [`Redaction`] is the one switch every front door passes through (the CLI's `--no-redact`,
//! the `redact=` keyword in Python, the `redact` option in Node). Error messages are always
//! redacted (see [`crate::Error`]).
//!
//! What is scrubbed: private key blocks, AWS access key ids, secret keys and session tokens,
//! account ids in ARNs (configurable), bearer and basic credentials, passwords in URLs and
//! `curl -u user:pass`, connection strings, `-p`/`-pSECRET`/`--password`/`--token` values in every
//! spelling (quoted values with spaces, on a continuation line, in any command), secret-named
//! `ENV`/`ARG`/`--build-arg`/`KEY=value`/`key: value`, secret-named JSON values and Docker config
//! `auths`, well-known token formats (GitHub, GitLab, Slack, npm, PyPI, OpenAI-style `sk-`,
//! Google, JWTs), and generic high-entropy tokens. What is kept: digests (`sha256:…`),
//! platforms, image references, hex ids, UUIDs and `$VARIABLE` references.
//!
//! ```
//! use archcompat::{redact, RedactOptions};
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

/// Whether user text is redacted: the one switch every front door passes to the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Redaction {
    /// Secrets are replaced by `[REDACTED]` (the default).
    #[default]
    On,
    /// User text is echoed as written (`--no-redact`, `redact=False`, `{ redact: false }`).
    Off,
}

impl Redaction {
    /// `On` unless the caller asked for no redaction.
    pub fn from_no_redact(no_redact: bool) -> Self {
        if no_redact {
            Redaction::Off
        } else {
            Redaction::On
        }
    }

    /// `On` when `redact` is true (the bindings' keyword).
    pub fn from_flag(redact: bool) -> Self {
        Self::from_no_redact(!redact)
    }

    /// Whether secrets are scrubbed.
    pub fn is_on(self) -> bool {
        self == Redaction::On
    }

    /// Apply the policy to one piece of user text (default [`RedactOptions`]).
    pub fn apply(self, text: &str) -> Cow<'_, str> {
        match self {
            Redaction::On => redact(text, &RedactOptions::default()),
            Redaction::Off => Cow::Borrowed(text),
        }
    }

    /// The policy applied to `text` with what was replaced, by kind (nothing when off).
    pub fn report(self, text: &str) -> RedactReport {
        match self {
            Redaction::On => redact_report(text, &RedactOptions::default()),
            Redaction::Off => RedactReport {
                text: text.to_string(),
                counts: Default::default(),
                total: 0,
            },
        }
    }

    /// Apply the policy to an owned string in place.
    pub fn apply_in_place(self, text: &mut String) {
        if self.is_on()
            && let Cow::Owned(s) = redact(text, &RedactOptions::default())
        {
            *text = s;
        }
    }
}

impl Redaction {
    /// Apply the policy to every piece of user text a finding carries: message, evidence,
    /// and its fixes (title, why, snippet, diff). Codes, severities and locations are kept.
    pub fn finding(self, f: &mut crate::finding::Finding) {
        if !self.is_on() {
            return;
        }
        self.apply_in_place(&mut f.message);
        for e in &mut f.evidence {
            self.apply_in_place(&mut e.detail);
        }
        for fix in &mut f.fixes {
            self.fix(fix);
        }
    }

    /// [`Redaction::finding`] for each finding.
    pub fn findings(self, fs: &mut [crate::finding::Finding]) {
        for f in fs {
            self.finding(f);
        }
    }

    /// Apply the policy to a fix: title, why, snippet and diff.
    pub fn fix(self, fix: &mut crate::finding::Fix) {
        if !self.is_on() {
            return;
        }
        // Borrowed text is the fix catalogue's own: no user text, nothing to redact.
        for t in [&mut fix.title, &mut fix.why, &mut fix.snippet] {
            if let Cow::Owned(s) = t {
                self.apply_in_place(s);
            }
        }
        if let Some(d) = &mut fix.diff {
            self.apply_in_place(d);
        }
    }
}

/// Redact an argument vector (ENTRYPOINT/CMD, a `#!` line's arguments): each argument is
/// redacted in the context of the three before it, so `["docker", "login", "-p", "s3cret"]`
/// and `["--password", "s3cret"]` lose the secret while every other argument stays as written.
pub fn redact_argv(argv: &[String], r: Redaction) -> Vec<String> {
    if !r.is_on() {
        return argv.to_vec();
    }
    argv.iter()
        .enumerate()
        .map(|(i, cur)| {
            let ctx = argv[i.saturating_sub(3)..i].join(" ");
            if ctx.is_empty() {
                return r.apply(cur).into_owned();
            }
            let full = format!("{ctx} {cur}");
            let red_full = r.apply(&full);
            let red_ctx = r.apply(&ctx);
            match red_full.strip_prefix(&format!("{red_ctx} ")) {
                Some(rest) => rest.to_string(),
                None => r.apply(cur).into_owned(),
            }
        })
        .collect()
}

/// The marker that replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// The rules, each compiled on the first text that may need it. Every rule needs one of a few
/// literal strings in any match (`-----BEGIN`, `AKIA`, `://`, `password`…; derived from the
/// patterns' syntax, so they never drift from them): those of all rules are searched for in one
/// Aho-Corasick pass, and a rule runs only on a text that contains one of its literals. Most
/// texts (a file path, most log lines) contain none, and a process compiles only the rules its
/// texts may match (compiling them all cost more than explaining a 1 MB log).
struct Rules {
    /// The literals of [`RULE_PATTERNS`] (pattern `i` is bit `i`).
    pre: crate::prefilter::Prefilter,
    /// The compiled rules, in the order of [`RULE_PATTERNS`].
    re: [OnceLock<Regex>; RULE_COUNT],
    /// A long run of token characters: the high-entropy candidate (no literal to search for).
    candidate: OnceLock<Regex>,
}

/// A run of token characters long enough to be a generated secret.
const CANDIDATE: &str = r"[A-Za-z0-9_\-+/]{32,}={0,2}";

/// Every rule's pattern source, in the order of [`RULE_PATTERNS`].
pub(crate) fn pattern_sources() -> [&'static str; RULE_COUNT] {
    RULE_PATTERNS.map(|(_, p)| p)
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules {
        pre: crate::prefilter::Prefilter::with_table(
            &pattern_sources(),
            crate::prefilter::literals::REDACT,
        ),
        re: [const { OnceLock::new() }; RULE_COUNT],
        candidate: OnceLock::new(),
    })
}

impl Rules {
    /// Rule `i` of [`RULE_PATTERNS`], compiled now if this is its first use.
    fn re(&self, i: usize) -> &Regex {
        self.re[i]
            .get_or_init(|| Regex::new(RULE_PATTERNS[i].1).expect("redaction patterns are valid"))
    }

    fn candidate(&self) -> &Regex {
        self.candidate
            .get_or_init(|| Regex::new(CANDIDATE).expect("redaction patterns are valid"))
    }

    /// The rules that may match somewhere in `text` (bit `i` for rule `i`).
    fn present(&self, text: &str) -> u64 {
        self.pre.present(text)[0]
    }
}

const RULE_COUNT: usize = 17;

// The index of each rule in [`RULE_PATTERNS`] (a test checks them against the names).
const PRIVATE_KEY: usize = 0;
const AWS_KEY_ID: usize = 1;
const AWS_SECRET: usize = 2;
const ARN_ACCOUNT: usize = 3;
const BEARER: usize = 4;
const BASIC: usize = 5;
const URL_PASSWORD: usize = 6;
const CONN_PASSWORD: usize = 7;
const DOCKER_LOGIN: usize = 8;
const ATTACHED_P: usize = 9;
const SECRET_FLAG: usize = 10;
const CURL_USER: usize = 11;
const ENV_SPACE: usize = 12;
const SECRET_KEY: usize = 13;
const DOCKER_AUTH: usize = 14;
const KNOWN_TOKENS: usize = 15;
const SLACK_HOOK: usize = 16;

/// The rules by name, in the order of the index constants above.
const RULE_PATTERNS: [(&str, &str); RULE_COUNT] = [
    (
        "private_key",
        r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\z)",
    ),
    (
        "aws_key_id",
        r"(?-u:\b)(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}(?-u:\b)",
    ),
    (
        "aws_secret",
        r#"(?i)(aws_?secret_?access_?key|secret_?access_?key|aws_?secret|SecretAccessKey)(["']?\s*[=:]\s*["']?)([A-Za-z0-9/+=]{40})"#,
    ),
    (
        "arn_account",
        r"(arn:aws[a-zA-Z-]*:[a-z0-9-]*:[a-z0-9-]*:)(\d{12})(:)",
    ),
    (
        "bearer",
        r"(?i)(?-u:\b)(bearer)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)",
    ),
    (
        "basic",
        r"(?i)(authorization:\s*basic|(?-u:\b)basic)(\s+)([A-Za-z0-9+/]{8,}={0,2})",
    ),
    (
        "url_password",
        r"([a-zA-Z][a-zA-Z0-9+.\-]*://)([^/\s:@]+):([^@\s/]+)@",
    ),
    (
        "conn_password",
        r#"(?i)(?-u:\b)(password|passwd|pwd|pass|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;,&"']+)"#,
    ),
    // `login … -p VALUE` (docker/podman/helm/oras login, mysql), across `\` continuations.
    (
        "docker_login",
        r#"((?-u:\b)(?:login|mysql|mysqldump|mysqladmin)(?-u:\b)(?:[^\n]|\\\r?\n)*?\s-p(?:[ \t]+|[ \t]*\\\r?\n[ \t]*))("[^"]*"|'[^']*'|[^\s"'\\]+)"#,
    ),
    // `-pSECRET` (attached) after such a command.
    (
        "attached_p",
        r#"((?-u:\b)(?:login|mysql|mysqldump|mysqladmin)(?-u:\b)(?:[^\n]|\\\r?\n)*?\s-p)("[^"]*"|'[^']*'|[^\s"'\\]+)"#,
    ),
    // `--password VALUE`, `--password=VALUE`, `--token …` in any command, quoted or not,
    // the value on the same line or the next (after `\`).
    (
        "secret_flag",
        r#"(?i)((?:^|[\s"'])--(?:password|passwd|pass|token|secret|api-key|apikey|client-secret|access-token|auth-token|registry-password|docker-password|sas-token)(?:=|[ \t]+|[ \t]*\\\r?\n[ \t]*|"[ \t]*,[ \t]*"))("[^"]*"|'[^']*'|[^\s"'\\]+)"#,
    ),
    (
        "curl_user",
        r#"((?:^|\s)(?:-u|--user)(?:[ \t]+|=)?["']?[^\s:"'@/]+:)([^\s"'@]+)"#,
    ),
    // `ENV DB_PASSWORD s3cret` / `ARG NPM_TOKEN abc` (the space form).
    (
        "env_space",
        r#"(?im)^([ \t]*(?:ENV|ARG)[ \t]+(?:[A-Za-z0-9]+[_.-])*(?:password|passwd|pwd|pass|secret|token|apikey|api[_-]?key|credentials?|private[_-]?key|access[_-]?key)(?:[_.-][A-Za-z0-9]+)*[ \t]+)("[^"]*"|'[^']*'|[^\s"']+)"#,
    ),
    // `DB_PASSWORD=…`, `--build-arg NPM_TOKEN=…`, `client_secret: …`, `Password=…;`.
    (
        "secret_key",
        r#"(?i)((?:^|[^A-Za-z0-9_.\-])(?:[A-Za-z0-9]+[_.-])*(?:password|passwd|pwd|pass|secret|token|apikey|api[_-]?key|credentials?|private[_-]?key|access[_-]?key|session)(?:[_.-][A-Za-z0-9]+)*["']?\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s;,&"'}]+)"#,
    ),
    // Docker config `auths` (`"auth":"base64"`) and secret-named JSON keys, also as
    // JSON inside a JSON string (`{\"auth\":\"…\"}`, as logs and env dumps print it).
    (
        "docker_auth",
        r#"(?i)(\\*"(?:auth|identitytoken|registrytoken|[A-Za-z0-9_.-]*(?:password|secret|token|api_?key)[A-Za-z0-9_.-]*)\\*"\s*:\s*\\*")([^"\\]+)(\\*")"#,
    ),
    (
        "known_tokens",
        r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|gl(?:pat|dt|rt|cbt|ptt|ft|imt|agent|soat)-[A-Za-z0-9_\-]{20,}|xox[abeoprs]-[A-Za-z0-9\-]{10,}|xapp-[A-Za-z0-9\-]{10,}|sk-[A-Za-z0-9_\-]{20,}|AIza[0-9A-Za-z_\-]{35}|npm_[A-Za-z0-9]{36}|pypi-[A-Za-z0-9_\-]{50,}|eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}|(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{20,})",
    ),
    (
        "slack_hook",
        r"(hooks\.slack\.com/services/)[A-Za-z0-9/]{20,}",
    ),
];

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

/// A value that is not a secret itself: a variable reference, `stdin`, empty, or already redacted.
fn kept_value(v: &str) -> bool {
    let inner = v.trim_matches(['"', '\'']);
    inner.is_empty()
        || inner.contains(REDACTED)
        || inner.starts_with('$')
        || inner.eq_ignore_ascii_case("stdin")
        || inner.starts_with("[REDACTED")
}

/// What kind of secret a replacement removed: the counts a redaction report gives.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    /// A PEM private key block.
    PrivateKey,
    /// An AWS secret access key.
    AwsSecretKey,
    /// An AWS access key id (`AKIA…`).
    AwsAccessKeyId,
    /// A 12-digit account id inside an ARN.
    AccountId,
    /// A bearer token.
    BearerToken,
    /// HTTP basic credentials.
    BasicAuth,
    /// A password inside a URL (`scheme://user:pass@`).
    UrlPassword,
    /// A Docker config `auths` entry or a secret-named JSON value.
    RegistryAuth,
    /// `login … -p VALUE` (docker, podman, helm, mysql).
    LoginPassword,
    /// `--password`, `--token` and similar flag values.
    PasswordFlag,
    /// `curl -u user:pass`.
    CurlPassword,
    /// A secret-named `ENV`/`ARG`/`KEY=value`/`key: value`.
    SecretVariable,
    /// `password=…` in a connection string.
    ConnectionString,
    /// A well-known token format (GitHub, GitLab, Slack, npm, PyPI, `sk-`, Google, JWT).
    KnownToken,
    /// A Slack incoming-webhook URL.
    SlackWebhook,
    /// A long random-looking token of no known format.
    HighEntropy,
}

/// Redacted text and what was replaced, by kind (see [`redact_report`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RedactReport {
    /// The text with every secret replaced.
    pub text: String,
    /// How many secrets of each kind were replaced (kinds with none are absent).
    pub counts: std::collections::BTreeMap<SecretKind, usize>,
    /// All replacements.
    pub total: usize,
}

/// One pass of the rules over a text: which rules may still match it, and the counts.
struct Pass<'c> {
    r: &'static Rules,
    present: u64,
    counts: &'c mut std::collections::BTreeMap<SecretKind, usize>,
}

impl Pass<'_> {
    /// Apply rule `i` to `text` (when its literals occur in it), replacing each match by `f`.
    fn rule<'a>(
        &mut self,
        text: Cow<'a, str>,
        i: usize,
        kind: SecretKind,
        f: impl Fn(&Captures) -> String,
    ) -> Cow<'a, str> {
        if (self.present >> i) & 1 == 0 {
            return text;
        }
        let (out, changed) = apply(text, self.r.re(i), kind, self.counts, f);
        if changed {
            // A replacement may bring a later rule's literal together: look again.
            self.present = self.r.present(&out);
        }
        out
    }
}

/// Replace each match of `re` in `text` by `f`; also says whether anything changed.
fn apply<'a>(
    text: Cow<'a, str>,
    re: &Regex,
    kind: SecretKind,
    counts: &mut std::collections::BTreeMap<SecretKind, usize>,
    f: impl Fn(&Captures) -> String,
) -> (Cow<'a, str>, bool) {
    if !re.is_match(&text) {
        return (text, false);
    }
    let mut n = 0usize;
    let out = re
        .replace_all(&text, |c: &Captures| {
            let s = f(c);
            if s != c[0] {
                n += 1;
            }
            s
        })
        .into_owned();
    if n == 0 {
        // Every match was kept as written (a path, a `$VAR`): the text as it came, with no copy.
        return (text, false);
    }
    *counts.entry(kind).or_insert(0) += n;
    (Cow::Owned(out), true)
}

/// The gate in front of the rules: `false` when no rule, nor the high-entropy candidate, can
/// change `text`, decided in one pass over its bytes without touching a regex or the literal
/// prefilter. A `true` says nothing (the rules then decide). Most texts we echo (a file path,
/// a finding's message, an errno line) are cheap to prove inert this way.
///
/// Each condition is necessary for a match of the rules named with it (on ASCII text; any
/// other byte goes to the rules, as Unicode `\s` and case folding reach beyond ASCII):
/// - `=` or `:` and one of the words `pass`, `pwd`, `secret`, `session`, `token`, `api`,
///   `credential`, `key` (any case): aws_secret, conn_password, secret_key (a secret-named key
///   then `[=:]`); `:` and `"`: docker_auth; `://`: url_password; `arn:aws`: arn_account;
///   `-u` at the start or after whitespace, or `--user` (any case): curl_user;
/// - `---`: private_key (`-----BEGIN`); `--` then (any case) `pass`, `token`, `secret`, `api`,
///   `client`, `access`, `auth`, `registry`, `docker` or `sas`: secret_flag (`--password`…);
///   `-p` after whitespace: docker_login and attached_p (`\s-p`);
/// - a run of 20 `[A-Z0-9]`: aws_key_id (`AKIA` + 16);
/// - `bearer` or `basic` (any case) followed by whitespace: bearer, basic;
/// - a line starting with `[ \t]*` then `env`/`arg` (any case) and a blank: env_space;
/// - a known token prefix at a word boundary (`ghp_`, `sk-`, `eyJ`, `AIza`…, as written in the
///   pattern, which is case-sensitive and has `\b` there): known_tokens;
///   `hooks.slack.com/services/`: slack_hook;
/// - a maximal run of 32 or more `[A-Za-z0-9_\-+/]` that does not start with `/` and has a
///   digit, an upper- and a lower-case letter: the high-entropy candidate (its matches are
///   exactly such runs, and [`looks_secret`] needs all three).
///
/// The test `gate_never_skips_a_change` runs every rule on the fixture corpora and on generated
/// hostile texts and checks that no text the gate passes over is matched by any rule.
#[cfg(test)]
fn may_change(text: &str, opts: &RedactOptions) -> bool {
    let g = gate(text);
    g.rules || (opts.high_entropy && g.entropy)
}

/// What [`gate`] found possible in a text.
struct Gate {
    /// Some rule may match.
    rules: bool,
    /// The high-entropy candidate may replace a token of the text as it is.
    entropy: bool,
}

/// The scan behind [`may_change`]: it goes on until both answers are known.
fn gate(text: &str) -> Gate {
    let b = text.as_bytes();
    let at = |i: usize, lit: &[u8]| b.len() - i >= lit.len() && &b[i..i + lit.len()] == lit;
    let at_ci = |i: usize, lit: &[u8]| {
        b.len() - i >= lit.len() && b[i..i + lit.len()].eq_ignore_ascii_case(lit)
    };
    let blank = |i: usize| matches!(b.get(i), Some(b' ' | b'\t'));
    let space = |i: usize| matches!(b.get(i), Some(b'\t'..=b'\r' | b' '));
    // A `(?-u:\b)` may stand before position `i` (the byte before is no word byte).
    let boundary = |i: usize| i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    // The run of `[A-Z0-9]` ending here, and the high-entropy candidate's run: its length,
    // first byte, and which of digit (1), upper (2), lower (4) it holds.
    let mut upper_run = 0usize;
    let (mut run, mut first, mut mix) = (0usize, 0u8, 0u8);
    let mut line_start = true;
    let (mut rules, mut entropy) = (false, false);
    let (mut eq_colon, mut colon, mut quote) = (false, false, false);
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii() {
            return Gate {
                rules: true,
                entropy: true,
            };
        }
        if !rules {
            if line_start {
                let mut j = i;
                while blank(j) {
                    j += 1;
                }
                rules = (at_ci(j, b"env") || at_ci(j, b"arg")) && blank(j + 3);
                line_start = false;
            }
            rules |= match c {
                b'=' => {
                    eq_colon = true;
                    false
                }
                b':' => {
                    eq_colon = true;
                    colon = true;
                    at(i, b"://") || (i >= 3 && &b[i - 3..i] == b"arn" && at(i + 1, b"aws"))
                }
                b'"' => {
                    quote = true;
                    false
                }
                b'.' => i >= 5 && &b[i - 5..i] == b"hooks" && at(i, b".slack.com/services/"),
                b'-' => match b.get(i + 1) {
                    // `-----BEGIN`, or a flag secret_flag or curl_user names (`--version`
                    // and the like are not).
                    Some(b'-') => {
                        at(i + 2, b"-")
                            || [
                                &b"pass"[..],
                                b"token",
                                b"secret",
                                b"api",
                                b"client",
                                b"access",
                                b"auth",
                                b"registry",
                                b"docker",
                                b"sas",
                                b"user",
                            ]
                            .iter()
                            .any(|w| at_ci(i + 2, w))
                    }
                    Some(b'p') => i > 0 && space(i - 1),
                    Some(b'u') => i == 0 || space(i - 1),
                    _ => false,
                },
                b'\n' => {
                    line_start = true;
                    false
                }
                // The rest start at a word boundary in their patterns.
                _ if !boundary(i) => false,
                b'b' | b'B' => {
                    (at_ci(i, b"bearer") && space(i + 6)) || (at_ci(i, b"basic") && space(i + 5))
                }
                b'g' => {
                    (at(i, b"gh")
                        && matches!(b.get(i + 2), Some(b'p' | b'o' | b'u' | b's' | b'r'))
                        && b.get(i + 3) == Some(&b'_'))
                        || at(i, b"github_pat_")
                        || (at(i, b"gl")
                            && [
                                &b"pat"[..],
                                b"dt",
                                b"rt",
                                b"cbt",
                                b"ptt",
                                b"ft",
                                b"imt",
                                b"agent",
                                b"soat",
                            ]
                            .iter()
                            .any(|k| at(i + 2, k) && b.get(i + 2 + k.len()) == Some(&b'-')))
                }
                b'x' => {
                    (at(i, b"xox")
                        && matches!(
                            b.get(i + 3),
                            Some(b'a' | b'b' | b'e' | b'o' | b'p' | b'r' | b's')
                        )
                        && b.get(i + 4) == Some(&b'-'))
                        || at(i, b"xapp-")
                }
                b's' => at(i, b"sk-"),
                b'A' => at(i, b"AIza"),
                b'n' => at(i, b"npm_"),
                b'p' => at(i, b"pypi-"),
                b'e' => at(i, b"eyJ"),
                b'F' => at(i, b"FwoGZXIvYXdz"),
                b'I' => at(i, b"IQoJb3JpZ2lu"),
                _ => false,
            };
        }
        let t = TOKEN_CLASS[c as usize];
        if t & 3 != 0 {
            upper_run += 1;
            rules |= upper_run >= 20;
        } else {
            upper_run = 0;
        }
        if t != 0 {
            if run == 0 {
                first = c;
                mix = 0;
            }
            run += 1;
            mix |= t;
        } else {
            entropy |= run >= 32 && first != b'/' && mix & 7 == 7;
            run = 0;
        }
        if rules && entropy {
            break;
        }
    }
    entropy |= run >= 32 && first != b'/' && mix & 7 == 7;
    // The words one of which precedes `=`/`:` in aws_secret, conn_password and secret_key
    // (looked for only in a text with `=` or `:`), and docker_auth's `"` and `:`.
    if !rules && eq_colon {
        rules = (colon && quote)
            || (0..b.len()).any(|i| match b[i].to_ascii_lowercase() {
                b'p' => at_ci(i, b"pass") || at_ci(i, b"pwd"),
                b's' => at_ci(i, b"secret") || at_ci(i, b"session"),
                b't' => at_ci(i, b"token"),
                b'a' => at_ci(i, b"api"),
                b'c' => at_ci(i, b"credential"),
                b'k' => at_ci(i, b"key"),
                _ => false,
            });
    }
    Gate { rules, entropy }
}

/// For each ASCII byte: 1 a digit, 2 an upper-case letter, 4 a lower-case letter, 8 another
/// character of a high-entropy token (`_-+/`), 0 none of them.
const TOKEN_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_digit() {
            1
        } else if b.is_ascii_uppercase() {
            2
        } else if b.is_ascii_lowercase() {
            4
        } else if matches!(b, b'_' | b'-' | b'+' | b'/') {
            8
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Redact secrets in `text`. Returns the text unchanged (borrowed) when nothing matched.
pub fn redact<'a>(text: &'a str, opts: &RedactOptions) -> Cow<'a, str> {
    redact_counting(text, opts, &mut Default::default())
}

/// Redact `text` and say what was replaced, by kind: what the web page shows next to the
/// redacted input.
///
/// ```
/// use archcompat::{redact_report, RedactOptions, SecretKind};
/// let r = redact_report("docker login -p hunter2pass ghcr.io\nexport GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345", &RedactOptions::default());
/// assert!(!r.text.contains("hunter2pass"));
/// assert_eq!(r.counts[&SecretKind::LoginPassword], 1);
/// assert_eq!(r.total, r.counts.values().sum::<usize>());
/// ```
pub fn redact_report(text: &str, opts: &RedactOptions) -> RedactReport {
    let mut counts = std::collections::BTreeMap::new();
    let out = redact_counting(text, opts, &mut counts).into_owned();
    RedactReport {
        text: out,
        total: counts.values().sum(),
        counts,
    }
}

fn redact_counting<'a>(
    text: &'a str,
    opts: &RedactOptions,
    counts: &mut std::collections::BTreeMap<SecretKind, usize>,
) -> Cow<'a, str> {
    let g = gate(text);
    if !(g.rules || (opts.high_entropy && g.entropy)) {
        return Cow::Borrowed(text);
    }
    redact_rules(text, opts, counts, g.entropy)
}

/// [`redact_counting`] without the gate: every rule whose literals occur in `text` is run.
/// `entropy: false` says the high-entropy candidate cannot change `text` as it is ([`gate`]):
/// then it runs only if a rule changed the text.
fn redact_rules<'a>(
    text: &'a str,
    opts: &RedactOptions,
    counts: &mut std::collections::BTreeMap<SecretKind, usize>,
    entropy: bool,
) -> Cow<'a, str> {
    let r = rules();
    let mut t = Cow::Borrowed(text);
    // Nothing to replace when no rule's literal occurs in the text (each rule only changes
    // text it matches, so none of them can start matching after another).
    let present = r.present(text);
    if present != 0 {
        let mut p = Pass { r, present, counts };
        t = p.rule(t, PRIVATE_KEY, SecretKind::PrivateKey, |_| {
            "[REDACTED PRIVATE KEY]".into()
        });
        t = p.rule(t, AWS_SECRET, SecretKind::AwsSecretKey, |c| {
            format!("{}{}{REDACTED}", &c[1], &c[2])
        });
        t = p.rule(t, AWS_KEY_ID, SecretKind::AwsAccessKeyId, |_| {
            REDACTED.into()
        });
        if opts.account_ids {
            t = p.rule(t, ARN_ACCOUNT, SecretKind::AccountId, |c| {
                format!("{}************{}", &c[1], &c[3])
            });
        }
        t = p.rule(t, BEARER, SecretKind::BearerToken, |c| {
            format!("{}{}{REDACTED}", &c[1], &c[2])
        });
        t = p.rule(t, BASIC, SecretKind::BasicAuth, |c| {
            format!("{}{}{REDACTED}", &c[1], &c[2])
        });
        t = p.rule(t, URL_PASSWORD, SecretKind::UrlPassword, |c| {
            format!("{}{}:{REDACTED}@", &c[1], &c[2])
        });
        t = p.rule(t, DOCKER_AUTH, SecretKind::RegistryAuth, |c| {
            format!("{}{REDACTED}{}", &c[1], &c[3])
        });
        // Flag values: keep `$VAR` references, `stdin`, and what is already redacted.
        let keep_or = |prefix: &str, v: &str, whole: &str| {
            if kept_value(v) {
                whole.to_string()
            } else {
                format!("{prefix}{REDACTED}")
            }
        };
        t = p.rule(t, DOCKER_LOGIN, SecretKind::LoginPassword, |c| {
            keep_or(&c[1], &c[2], &c[0])
        });
        t = p.rule(t, ATTACHED_P, SecretKind::LoginPassword, |c| {
            keep_or(&c[1], &c[2], &c[0])
        });
        t = p.rule(t, SECRET_FLAG, SecretKind::PasswordFlag, |c| {
            keep_or(&c[1], &c[2], &c[0])
        });
        t = p.rule(t, CURL_USER, SecretKind::CurlPassword, |c| {
            keep_or(&c[1], &c[2], &c[0])
        });
        t = p.rule(t, ENV_SPACE, SecretKind::SecretVariable, |c| {
            keep_or(&c[1], &c[2], &c[0])
        });
        t = p.rule(t, SECRET_KEY, SecretKind::SecretVariable, |c| {
            keep_or(&c[1], &c[2], &c[0])
        });
        t = p.rule(t, CONN_PASSWORD, SecretKind::ConnectionString, |c| {
            let v = &c[3];
            if kept_value(v) {
                c[0].to_string()
            } else {
                format!("{}{}{REDACTED}", &c[1], &c[2])
            }
        });
        t = p.rule(t, KNOWN_TOKENS, SecretKind::KnownToken, |_| REDACTED.into());
        t = p.rule(t, SLACK_HOOK, SecretKind::SlackWebhook, |c| {
            format!("{}{REDACTED}", &c[1])
        });
    }
    if opts.high_entropy && (entropy || matches!(t, Cow::Owned(_))) {
        (t, _) = apply(t, r.candidate(), SecretKind::HighEntropy, counts, |c| {
            let tok = &c[0];
            // An absolute path (`/tmp/build-1a2B3c/Dockerfile`) is not a token.
            if !tok.starts_with('/') && looks_secret(tok) {
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
    use proptest::prelude::Strategy as _;

    #[test]
    fn flag_values_in_every_spelling() {
        let d = RedactOptions::default();
        let cont = "helm registry login ghcr.io --username ci \\\n  --password NextLinePassw0rd\n";
        assert_eq!(
            redact(cont, &d),
            "helm registry login ghcr.io --username ci \\\n  --password [REDACTED]\n"
        );
        let cont_p = "docker login -u ci \\\n  -p hunter2hunter \\\n  ghcr.io";
        assert!(!redact(cont_p, &d).contains("hunter2hunter"));
        let exec_form = r#"ENTRYPOINT ["/app", "--password", "ExecFormPw1"]"#;
        assert_eq!(
            redact(exec_form, &d),
            r#"ENTRYPOINT ["/app", "--password", "[REDACTED]"]"#
        );
        let db = "docker run --rm flyway migrate --password=dbpass123 -url=jdbc:x";
        assert!(!redact(db, &d).contains("dbpass123"));
        // What is not a secret stays.
        for keep in [
            "docker login --password-stdin -u ci registry.example.com",
            "docker run -p 8080:80 nginx",
            "docker login -u ci -p \"$CI_REGISTRY_PASSWORD\" $CI_REGISTRY",
            "ARG NPM_TOKEN",
            "RUN --mount=type=secret,id=npm_token npm ci",
        ] {
            assert_eq!(redact(keep, &d), keep);
        }
    }

    #[test]
    fn private_keys_and_docker_config_auths() {
        let d = RedactOptions::default();
        let pem = "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nTail==\n-----END OPENSSH PRIVATE KEY-----\nafter";
        assert_eq!(redact(pem, &d), "key:\n[REDACTED PRIVATE KEY]\nafter");
        // On one line with `\n` escapes, and cut before its end.
        let escaped = r#"loading "-----BEGIN PRIVATE KEY-----\nMIIEvQIB\nTail==\n-----END PRIVATE KEY-----\n" done"#;
        assert_eq!(
            redact(escaped, &d),
            r#"loading "[REDACTED PRIVATE KEY]\n" done"#
        );
        let cut = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3V";
        assert_eq!(redact(cut, &d), "[REDACTED PRIVATE KEY]");
        let auths = r#"{"auths":{"ghcr.io":{"auth":"cGFyaXR5OkF1dGhaOQ=="}}}"#;
        assert_eq!(
            redact(auths, &d),
            r#"{"auths":{"ghcr.io":{"auth":"[REDACTED]"}}}"#
        );
        let nested =
            r#"{"DOCKER_AUTH_CONFIG":"{\"auths\":{\"r\":{\"auth\":\"Y2k6RXNjQXV0aDc=\"}}}"}"#;
        assert_eq!(
            redact(nested, &d),
            r#"{"DOCKER_AUTH_CONFIG":"{\"auths\":{\"r\":{\"auth\":\"[REDACTED]\"}}}"}"#
        );
        // A public key and the registry names stay.
        let public = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQ\n-----END PUBLIC KEY-----";
        assert_eq!(redact(public, &d), public);
    }

    #[test]
    fn argument_vectors() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let argv = v(&["/app", "--password", "hunter2pass", "--port", "8080"]);
        assert_eq!(
            redact_argv(&argv, Redaction::On),
            v(&["/app", "--password", "[REDACTED]", "--port", "8080"])
        );
        let login = v(&["docker", "login", "-p", "s3cretpw", "ghcr.io"]);
        assert_eq!(
            redact_argv(&login, Redaction::On),
            v(&["docker", "login", "-p", "[REDACTED]", "ghcr.io"])
        );
        assert_eq!(redact_argv(&login, Redaction::Off), login);
    }

    #[test]
    fn the_switch() {
        let t = "docker login -p s3cr3tpass ghcr.io";
        assert_eq!(Redaction::default(), Redaction::On);
        assert_eq!(Redaction::On.apply(t), "docker login -p [REDACTED] ghcr.io");
        assert_eq!(Redaction::Off.apply(t), t);
        assert_eq!(Redaction::from_no_redact(true), Redaction::Off);
        assert_eq!(Redaction::from_flag(true), Redaction::On);
        let mut s = t.to_string();
        Redaction::On.apply_in_place(&mut s);
        assert_eq!(s, "docker login -p [REDACTED] ghcr.io");
    }

    #[test]
    fn rule_indices_name_their_patterns() {
        let named = [
            (PRIVATE_KEY, "private_key"),
            (AWS_KEY_ID, "aws_key_id"),
            (AWS_SECRET, "aws_secret"),
            (ARN_ACCOUNT, "arn_account"),
            (BEARER, "bearer"),
            (BASIC, "basic"),
            (URL_PASSWORD, "url_password"),
            (CONN_PASSWORD, "conn_password"),
            (DOCKER_LOGIN, "docker_login"),
            (ATTACHED_P, "attached_p"),
            (SECRET_FLAG, "secret_flag"),
            (CURL_USER, "curl_user"),
            (ENV_SPACE, "env_space"),
            (SECRET_KEY, "secret_key"),
            (DOCKER_AUTH, "docker_auth"),
            (KNOWN_TOKENS, "known_tokens"),
            (SLACK_HOOK, "slack_hook"),
        ];
        for (i, name) in named {
            assert_eq!(RULE_PATTERNS[i].0, name);
        }
    }

    /// The literal prefilter only ever skips a rule on a text it cannot match: every rule is run
    /// on every fixture text (logs, Dockerfiles, compose files) whole and line by line, and each
    /// match must be in a text the prefilter lets the rule run on.
    #[test]
    fn prefilter_never_hides_a_secret() {
        let r = rules();
        // Every rule has literals (none runs on every text).
        assert_eq!(r.present(""), 0);
        let texts = fixture_files();
        assert!(texts.len() > 400, "the fixtures are there: {}", texts.len());
        let (mut matched, mut skipped) = (0, 0);
        for whole in &texts {
            for t in std::iter::once(whole.as_str()).chain(whole.lines()) {
                let present = r.present(t);
                for (i, (name, _)) in RULE_PATTERNS.iter().enumerate() {
                    let hit = r.re(i).is_match(t);
                    let may = (present >> i) & 1 == 1;
                    assert!(!hit || may, "rule {name} matches {t:?} but was skipped");
                    matched += usize::from(hit);
                    skipped += usize::from(!may);
                }
            }
        }
        assert!(matched > 50, "{matched} matches");
        assert!(skipped > matched * 10, "{skipped} skipped");
    }

    /// The fixture texts (logs, Dockerfiles, compose files, scripts…), whole and line by line,
    /// and the secret lines of `fixtures/redact` with their markers removed.
    fn fixture_texts() -> Vec<String> {
        let mut texts: Vec<String> = vec![];
        for f in fixture_files() {
            let whole = f.replace(['⟪', '⟫'], "");
            texts.extend(whole.lines().map(str::to_string));
            texts.push(whole);
        }
        texts
    }

    /// Every text file under `fixtures/` (no NUL byte, under 1 MiB), whole.
    fn fixture_files() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let mut texts: Vec<String> = vec![];
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if let Ok(b) = std::fs::read(&p)
                    && b.len() < 1 << 20
                    && !b.contains(&0)
                {
                    texts.push(String::from_utf8_lossy(&b).into_owned());
                }
            }
        }
        texts
    }

    /// Redaction with the gate equals redaction without it; and what the gate skips is matched
    /// by no rule and holds no high-entropy candidate that would be replaced, so the rules give
    /// it back unchanged. Returns whether the gate skipped it.
    fn gate_is_exact(t: &str) -> bool {
        let d = RedactOptions::default();
        // Gated (the candidate skipped when the gate saw no token it could replace) and
        // ungated give the same text and counts.
        let (mut gated, mut ungated) = (Default::default(), Default::default());
        assert_eq!(
            redact_counting(t, &d, &mut gated),
            redact_rules(t, &d, &mut ungated, true),
            "gated and ungated differ on {t:?}"
        );
        assert_eq!(gated, ungated, "counts differ on {t:?}");
        if may_change(t, &d) {
            return false;
        }
        let r = rules();
        for (i, (name, _)) in RULE_PATTERNS.iter().enumerate() {
            assert!(
                !r.re(i).is_match(t),
                "the gate skips {t:?}, which rule {name} matches"
            );
        }
        for m in r.candidate().find_iter(t) {
            let tok = m.as_str();
            assert!(
                tok.starts_with('/') || !looks_secret(tok),
                "the gate skips {t:?}, whose token {tok:?} is high-entropy"
            );
        }
        let mut counts = Default::default();
        assert_eq!(
            redact_rules(t, &d, &mut counts, true),
            t,
            "the rules change {t:?}"
        );
        assert!(counts.is_empty());
        true
    }

    /// The gate never skips a text some rule would change: every rule is run on every text the
    /// gate passes over (the fixture corpora; every secret line cut at each position and with
    /// each byte dropped; the kinds of text `inspect` echoes), and none matches. The gate does
    /// skip most of the plain texts.
    #[test]
    fn gate_never_skips_a_change() {
        let texts = fixture_texts();
        assert!(
            texts.len() > 2000,
            "the fixtures are there: {}",
            texts.len()
        );
        let skipped = texts.iter().filter(|t| gate_is_exact(t)).count();
        assert!(
            skipped * 3 > texts.len(),
            "{skipped} of {} skipped",
            texts.len()
        );
        // The secret lines, mutated: every prefix, suffix, and one byte dropped.
        let secrets = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/redact/secrets.txt"),
        )
        .unwrap()
        .replace(['⟪', '⟫'], "");
        let mut mutated = 0;
        for line in secrets.lines() {
            for (i, _) in line.char_indices() {
                let mut drop = line.to_string();
                drop.remove(i);
                for t in [&line[..i], &line[i..], drop.as_str()] {
                    mutated += usize::from(gate_is_exact(t));
                }
            }
        }
        assert!(mutated > 100, "{mutated} mutated texts skipped");
        // What inspect echoes: paths, messages, errno lines.
        for t in [
            "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1",
            "/usr/share/perl5/Debconf/Element/Gnome/Multiselect.pm",
            "/usr/lib/python3/dist-packages/pkg_resources/_vendor/packaging/requirements.py",
            "unrecognised data, not a program",
            "errno: ENOEXEC (exec format error)",
            "shell commands without a #! line: a shell runs them, exec does not",
            // A rule's replacement cuts a path's run: the rest is a token of its own.
            "/a/sk-AAAAAAAAAAAAAAAAAAAAAAA+Zq9xT4mLw8Rb2Nc7Vd1Hf6Jk3Gs5Pa0Ye",
            "--platform=linux/amd64 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1",
        ] {
            gate_is_exact(t);
        }
        assert!(gate_is_exact("/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1"));
        assert!(gate_is_exact("unrecognised data, not a program"));
        // And what it must not skip.
        for t in [
            "ENV DB_PASSWORD s3cretValue",
            "  arg NPM_TOKEN abcdefgh",
            "Authorization: Bearer abcdefgh12345678",
            "curl -H basic\tdGVzdGVyOnMzY3JldA",
            "docker login -p hunter2 ghcr.io",
            "mysql -uroot -pSecretPw1",
            "x --password hunter2",
            "ghp_0123456789abcdefghijABCDEFGHIJ012345",
            "AKIAIOSFODNN7EXAMPLE",
            "Zq9xT4mLw8Rb2Nc7Vd1Hf6Jk3Gs5Pa0Ye",
            "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "caf\u{e9} bearer x",
        ] {
            assert!(may_change(t, &RedactOptions::default()), "{t:?}");
            assert!(!gate_is_exact(t));
        }
    }

    /// Pieces of the rules' syntax that hostile texts are built from.
    const FRAGMENTS: &[&str] = &[
        "=",
        ":",
        "-",
        "--",
        "-p",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\\\n",
        "\"",
        "'",
        "@",
        "/",
        ".",
        "_",
        "+",
        ";",
        ",",
        "{",
        "}",
        "\\\"",
        "$",
        "ENV",
        "env",
        "ARG",
        "aRg",
        "Bearer",
        "BEARER",
        "basic",
        "BaSiC",
        "authorization",
        "password",
        "PASS",
        "pwd",
        "token",
        "secret",
        "api_key",
        "credentials",
        "session",
        "auth",
        "login",
        "mysql",
        "curl",
        "-u",
        "--user",
        "--",
        "--password",
        "--Token",
        "--PASSWD",
        "--api-key",
        "--client-secret",
        "--access-token",
        "--auth-token",
        "--registry-password",
        "--docker-password",
        "--sas-token",
        "--version",
        " \\\n  ",
        "AKIA",
        "ASIA",
        "ABCDEFGHIJKLMNOP0123",
        "ghp_",
        "gho_",
        "github_pat_",
        "glpat-",
        "glagent-",
        "gldt-",
        "xoxb-",
        "xoxs-",
        "xapp-",
        "sk-",
        "AIza",
        "npm_",
        "pypi-",
        "eyJ",
        "FwoGZXIvYXdz",
        "IQoJb3JpZ2lu",
        "hooks.slack.com/services/",
        "arn:aws:iam::",
        "123456789012",
        "https://",
        "user",
        "aB3",
        "Zq9x",
        "0123456789abcdef",
        "-----BEGIN ",
        "RSA ",
        "PRIVATE KEY",
        "-----",
        "-----END ",
        "\u{e9}",
        "\u{17f}",
        "\u{212a}",
        "\u{a0}",
        "\u{2003}",
        "\u{85}",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Hostile texts: rule syntax, random runs of token characters and random printable
        /// bytes, concatenated: the gate skips none that a rule would change.
        #[test]
        fn gate_is_exact_on_generated_texts(parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
                "[A-Za-z0-9_+/-]{1,48}",
                "[ -~]{1,6}",
            ],
            0..24,
        )) {
            let _ = gate_is_exact(&parts.concat());
        }
    }

    #[test]
    fn entropy_separates_hex_from_random_tokens() {
        assert!(entropy("3f1c3e0a2b9d8c7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39") <= 4.0);
        assert!(looks_secret(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9aBcD1234XyZ"
        ));
        assert!(!looks_secret("docker_buildx_imagetools_inspect_raw_output"));
    }
}
