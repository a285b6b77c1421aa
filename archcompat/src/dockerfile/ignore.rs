//! `.dockerignore` as BuildKit reads it (moby's patternmatcher): one pattern a line, `#`
//! comments, `!` exceptions, `*`/`?`/`[…]` within a path segment, `**` across segments, a
//! pattern that matches a directory excludes everything under it, and the last matching line
//! wins.

use regex::Regex;
use std::io::Read;
use std::path::Path;

/// The biggest `.dockerignore` read (bigger ones are ignored as not being one).
const MAX_IGNORE_BYTES: u64 = 1024 * 1024;
/// At most this many patterns are used.
const MAX_PATTERNS: usize = 4096;

/// The parsed patterns of a `.dockerignore`.
#[derive(Debug, Default)]
pub(super) struct DockerIgnore {
    patterns: Vec<(bool, Regex)>,
}

fn glob_to_regex(p: &str) -> Option<Regex> {
    let mut re = String::from("^");
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    re.push_str("(?:.*/)?");
                    i += 3;
                } else {
                    re.push_str(".*");
                    i += 2;
                }
                continue;
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' => {
                let close = chars[i + 1..].iter().position(|c| *c == ']')?;
                let mut class: String = chars[i + 1..i + 1 + close].iter().collect();
                if let Some(rest) = class.strip_prefix('!') {
                    class = format!("^{rest}");
                }
                re.push('[');
                re.push_str(&class.replace('\\', "\\\\").replace('[', "\\["));
                re.push(']');
                i += close + 2;
                continue;
            }
            '\\' if i + 1 < chars.len() => {
                re.push_str(&regex::escape(&chars[i + 1].to_string()));
                i += 2;
                continue;
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    re.push('$');
    Regex::new(&re).ok()
}

/// `filepath.Clean` for a pattern, relative to the context root.
fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

impl DockerIgnore {
    /// Parse `.dockerignore` text.
    pub(super) fn parse(text: &str) -> DockerIgnore {
        let mut patterns = Vec::new();
        for line in text.lines().take(MAX_PATTERNS) {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exception, pat) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let pat = clean(pat);
            if pat.is_empty() {
                continue;
            }
            if let Some(re) = glob_to_regex(&pat) {
                patterns.push((exception, re));
            }
        }
        DockerIgnore { patterns }
    }

    /// Read `<Dockerfile>.dockerignore` next to the Dockerfile, else `.dockerignore` at the
    /// context root (as BuildKit does); none, unreadable or oversized: nothing is ignored.
    pub(super) fn load(dockerfile: &Path, ctx: &Path) -> DockerIgnore {
        let mut beside = dockerfile.as_os_str().to_owned();
        beside.push(".dockerignore");
        for p in [Path::new(&beside), &ctx.join(".dockerignore")] {
            let Ok(meta) = std::fs::metadata(p) else {
                continue;
            };
            if !meta.is_file() || meta.len() > MAX_IGNORE_BYTES {
                continue;
            }
            let mut text = String::new();
            if std::fs::File::open(p)
                .and_then(|f| f.take(MAX_IGNORE_BYTES).read_to_string(&mut text))
                .is_ok()
            {
                return DockerIgnore::parse(&text);
            }
        }
        DockerIgnore::default()
    }

    /// Is the context-relative path `rel` (slash-separated) excluded from the build context?
    pub(super) fn excluded(&self, rel: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let rel = clean(rel);
        // The path itself and each parent directory: a match on a parent excludes the child.
        let mut prefixes: Vec<&str> = rel.match_indices('/').map(|(i, _)| &rel[..i]).collect();
        prefixes.push(&rel);
        let mut excluded = false;
        for (exception, re) in &self.patterns {
            if prefixes.iter().any(|p| re.is_match(p)) {
                excluded = !exception;
            }
        }
        excluded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_follow_moby() {
        let d = DockerIgnore::parse(
            "# comment\n*.md\n!README.md\nscripts/**/*.sh\n/build\n**/tmp\n!build/keep.sh\n",
        );
        assert!(d.excluded("CHANGES.md"));
        assert!(!d.excluded("README.md"));
        assert!(!d.excluded("docs/CHANGES.md"), "* does not cross /");
        assert!(d.excluded("scripts/a.sh"));
        assert!(d.excluded("scripts/x/y/a.sh"));
        assert!(
            d.excluded("build/out.sh"),
            "a directory match excludes what is under it"
        );
        assert!(!d.excluded("build/keep.sh"));
        assert!(d.excluded("a/b/tmp/c.sh"));
        assert!(!d.excluded("entrypoint.sh"));
    }
}
