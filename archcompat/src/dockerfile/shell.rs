//! Just enough of the shell text of a `RUN` to lint it without false alarms: where comments
//! are, which parts sit inside an architecture dispatch (`case "$(dpkg --print-architecture)"
//! in …`, `if [ "$arch" = … ]`), and which `case` labels can never match the command that
//! prints the architecture. Every scan is linear in the text.

/// Does this text (a `case` subject or an `if` condition) ask which architecture this is?
pub(super) fn mentions_arch(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.contains("arch")
        || l.contains("uname")
        || l.contains("platform")
        || l.contains("goarm")
        || l.contains("$machine")
        || l.contains("${machine")
}

/// Shell keywords and comments in one pass, honouring quotes and backslashes.
#[derive(Debug, Default)]
pub(super) struct ShellMap {
    /// `#` comments: byte ranges up to the end of their line.
    comments: Vec<(usize, usize)>,
    /// Ranges inside an architecture dispatch (`case`/`if` on the architecture).
    arch_regions: Vec<(usize, usize)>,
    /// `case` statements on the architecture: what prints it, and each label with its offset.
    pub(super) cases: Vec<ArchCase>,
}

/// A `case` on the architecture.
#[derive(Debug)]
pub(super) struct ArchCase {
    /// Which tool's vocabulary the subject uses.
    pub(super) vocab: Option<Vocab>,
    /// Literal labels (`arm64` in `arm64)`), with byte offsets.
    pub(super) labels: Vec<(usize, String)>,
}

/// The names a command or variable prints for architectures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vocab {
    /// `dpkg --print-architecture`
    Dpkg,
    /// `apk --print-arch`
    Apk,
    /// `uname -m`
    Uname,
    /// BuildKit's `TARGETARCH` / Go's `GOARCH`
    Go,
}

impl Vocab {
    pub(super) fn words(self) -> &'static [&'static str] {
        match self {
            Vocab::Dpkg => &[
                "amd64", "arm64", "armel", "armhf", "i386", "mips64el", "ppc64el", "riscv64",
                "s390x", "loong64",
            ],
            Vocab::Apk => &[
                "x86_64",
                "x86",
                "aarch64",
                "armhf",
                "armv7",
                "ppc64le",
                "riscv64",
                "s390x",
                "loongarch64",
            ],
            Vocab::Uname => &[
                "x86_64",
                "i386",
                "i686",
                "aarch64",
                "arm64",
                "armv5l",
                "armv5tel",
                "armv6l",
                "armv7l",
                "armv8l",
                "ppc64le",
                "s390x",
                "riscv64",
                "mips64",
                "loongarch64",
            ],
            Vocab::Go => &[
                "amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le",
                "mips64", "loong64",
            ],
        }
    }
    /// The command shown to the user.
    pub(super) fn command(self) -> &'static str {
        match self {
            Vocab::Dpkg => "dpkg --print-architecture",
            Vocab::Apk => "apk --print-arch",
            Vocab::Uname => "uname -m",
            Vocab::Go => "TARGETARCH",
        }
    }
    fn of_subject(s: &str) -> Option<Vocab> {
        let l = s.to_ascii_lowercase();
        if l.contains("dpkg --print-architecture") || l.contains("dpkgarch") {
            Some(Vocab::Dpkg)
        } else if l.contains("apk --print-arch") || l.contains("apkarch") {
            Some(Vocab::Apk)
        } else if l.contains("uname -m") {
            Some(Vocab::Uname)
        } else if l.contains("targetarch") || l.contains("goarch") {
            Some(Vocab::Go)
        } else {
            None
        }
    }
}

/// Architecture family of a word any tool prints (for comparing vocabularies).
pub(super) fn family(word: &str) -> Option<&'static str> {
    Some(match word {
        "amd64" | "x86_64" | "x64" => "amd64",
        "arm64" | "aarch64" | "armv8l" => "arm64",
        "armhf" | "armv7" | "armv7l" | "arm" => "arm",
        "armel" | "armv5l" | "armv5tel" | "armv6l" => "armel",
        "i386" | "i686" | "386" | "x86" => "386",
        "ppc64el" | "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        "mips64el" | "mips64le" | "mips64" => "mips64le",
        "loong64" | "loongarch64" => "loong64",
        _ => return None,
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Positions of the shell word `w` in `s` that are whole words outside quotes and comments.
fn keyword_at(b: &[u8], i: usize, w: &[u8]) -> bool {
    b[i..].starts_with(w)
        && (i == 0 || !is_word_byte(b[i - 1]) && b[i - 1] != b'$' && b[i - 1] != b'{')
        && b.get(i + w.len()).is_none_or(|c| !is_word_byte(*c))
}

impl ShellMap {
    /// Scan shell text.
    pub(super) fn new(s: &str) -> ShellMap {
        let b = s.as_bytes();
        let mut map = ShellMap::default();
        // Keyword tokens outside quotes and comments: (offset, keyword).
        let mut tokens: Vec<(usize, &'static str)> = Vec::new();
        let mut i = 0;
        let (mut sq, mut dq) = (false, false);
        while i < b.len() {
            let c = b[i];
            if sq {
                if c == b'\'' {
                    sq = false;
                }
                i += 1;
                continue;
            }
            if c == b'\\' {
                i += 2;
                continue;
            }
            if dq {
                if c == b'"' {
                    dq = false;
                }
                i += 1;
                continue;
            }
            match c {
                b'\'' => sq = true,
                b'"' => dq = true,
                b'#' if i == 0 || b[i - 1].is_ascii_whitespace() || b[i - 1] == b';' => {
                    let end = s[i..].find('\n').map(|j| i + j).unwrap_or(b.len());
                    map.comments.push((i, end));
                    i = end;
                    continue;
                }
                _ => {
                    let hit = ["case", "esac", "if", "fi", "in", "then", ";;"]
                        .into_iter()
                        .find(|k| {
                            if *k == ";;" {
                                b[i..].starts_with(b";;")
                            } else {
                                keyword_at(b, i, k.as_bytes())
                            }
                        });
                    if let Some(k) = hit {
                        tokens.push((i, k));
                        i += k.len();
                        continue;
                    }
                }
            }
            i += 1;
        }
        map.match_blocks(s, &tokens);
        map
    }

    fn match_blocks(&mut self, s: &str, tokens: &[(usize, &'static str)]) {
        // Stack of open blocks: (token index, keyword).
        let mut stack: Vec<(usize, &'static str)> = Vec::new();
        for (ti, &(_, k)) in tokens.iter().enumerate() {
            match k {
                "case" | "if" => stack.push((ti, k)),
                "esac" | "fi" => {
                    let open = if k == "esac" { "case" } else { "if" };
                    // Pop to the matching opener (tolerates unbalanced text).
                    while let Some((oi, ok)) = stack.pop() {
                        if ok == open {
                            self.block(s, tokens, oi, ti);
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn block(&mut self, s: &str, tokens: &[(usize, &'static str)], open: usize, close: usize) {
        let (start, kw) = tokens[open];
        let end = tokens[close].0 + tokens[close].1.len();
        let stop = if kw == "case" { "in" } else { "then" };
        let Some(&(head_end, _)) = tokens[open + 1..close].iter().find(|t| t.1 == stop) else {
            return;
        };
        let head = &s[start + kw.len()..head_end];
        if !mentions_arch(head) {
            return;
        }
        self.arch_regions.push((start, end));
        if kw != "case" {
            return;
        }
        // Labels follow `in` and each `;;`, up to the `)`.
        let mut case = ArchCase {
            vocab: Vocab::of_subject(head),
            labels: Vec::new(),
        };
        let mut depth = 0;
        let starts = std::iter::once(head_end + 2).chain(
            tokens[open + 1..close]
                .iter()
                .filter(|t| {
                    // Only this case's own `;;`: skip those of nested cases.
                    match t.1 {
                        "case" => depth += 1,
                        "esac" => depth -= 1,
                        _ => {}
                    }
                    depth == 0 && t.1 == ";;"
                })
                .map(|t| t.0 + 2)
                .collect::<Vec<_>>(),
        );
        for at in starts {
            let mut stop = end.min(at + 256);
            while !s.is_char_boundary(stop) {
                stop -= 1;
            }
            let rest = &s[at..stop];
            let Some(close_paren) = rest.find(')') else {
                continue;
            };
            let pat = &rest[..close_paren];
            let trimmed = pat.trim_start_matches([' ', '\t', '\\', '\n', '\r', '(']);
            if trimmed.contains(['\n', ';', '=', '`']) {
                continue;
            }
            let pat_start = at + (pat.len() - trimmed.len());
            for piece in trimmed.split('|') {
                let word = piece.trim_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '\\' | '(' | '"' | '\'')
                });
                if word.is_empty() || word.contains(['*', '?', '[', '$']) {
                    continue;
                }
                let off = pat_start + trimmed.find(word).unwrap_or(0);
                case.labels.push((off, word.to_string()));
            }
        }
        self.cases.push(case);
    }

    /// Is byte `at` inside a `#` comment?
    pub(super) fn in_comment(&self, at: usize) -> bool {
        inside(&self.comments, at)
    }

    /// Is byte `at` inside an architecture `case`/`if`?
    pub(super) fn in_arch_dispatch(&self, at: usize) -> bool {
        inside(&self.arch_regions, at)
    }
}

fn inside(ranges: &[(usize, usize)], at: usize) -> bool {
    ranges.iter().any(|&(s, e)| s <= at && at < e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch_regions_comments_and_labels() {
        let s = "set -eux; \\\n  apkArch=\"$(apk --print-arch)\"; \\\n  case \"$apkArch\" in \\\n    x86_64) url='https://x/amd64/tool' ;; \\\n    arm64) url='https://x/arm64/tool' ;; \\\n    *) exit 1 ;; \\\n  esac; \\\n  # see https://x/amd64/notes\n  curl -o t https://y/amd64/t";
        let m = ShellMap::new(s);
        let at = |w: &str| s.find(w).unwrap();
        assert!(m.in_arch_dispatch(at("https://x/amd64/tool")));
        assert!(!m.in_arch_dispatch(at("https://y")));
        assert!(m.in_comment(at("https://x/amd64/notes")));
        assert!(!m.in_comment(at("https://y")));
        let c = &m.cases[0];
        assert_eq!(c.vocab, Some(Vocab::Apk));
        let labels: Vec<&str> = c.labels.iter().map(|l| l.1.as_str()).collect();
        assert_eq!(labels, ["x86_64", "arm64"]);
    }

    #[test]
    fn if_on_the_architecture_is_a_dispatch() {
        let s = "if [ \"$(uname -m)\" = x86_64 ]; then GOARCH=amd64 make; else make; fi; GOARCH=amd64 make";
        let m = ShellMap::new(s);
        assert!(m.in_arch_dispatch(s.find("GOARCH").unwrap()));
        assert!(!m.in_arch_dispatch(s.rfind("GOARCH").unwrap()));
        let t = "if [ -f x ]; then curl https://a/amd64; fi";
        assert!(!ShellMap::new(t).in_arch_dispatch(t.find("https").unwrap()));
    }
}
