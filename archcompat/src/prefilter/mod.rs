//! The literal prefilter of the diagnose scan and of redaction: which lines of a text (or which
//! texts) can match which pattern.
//!
//! Every pattern is run once per line, so a 1 MB log costs tens of thousands of lines times
//! some eighty regex searches. Most of them cannot match: each pattern needs one of a few
//! literal strings somewhere in its match (`exec format error`, `qemu`, `linux/`…). Those
//! literals are derived from the patterns themselves (their syntax tree, so they never drift
//! from the regexes), all of them are searched for in one Aho-Corasick pass over the text
//! (ASCII case-insensitive), and a pattern is run only on the lines where one of its literals
//! occurs. A pattern with no usable literal runs on every line. The answer is a superset of the
//! matching lines, so the regexes still decide and the scan's results are unchanged.
//!
//! The text is handled in line-aligned chunks of about [`CHUNK_BYTES`], so the per-line masks
//! take bounded memory whatever the input.
//!
//! Redaction (`crate::redact`) uses the same prefilter over its rules on whole texts
//! ([`Prefilter::present`]): a rule whose literals a text lacks is neither run nor compiled.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// How many bytes of text one chunk of candidate masks covers (whole lines; a longer line is
/// one chunk on its own).
pub(crate) const CHUNK_BYTES: usize = 64 * 1024;

/// The most strings a literal set may grow to by expanding character classes (case variants
/// included) before the run of literal text is cut there.
const MAX_SET: usize = 64;

/// The largest character class expanded into literal strings.
const MAX_CLASS: usize = 8;

/// Shortest literal worth prefiltering on: a pattern whose best literal set has a shorter
/// member runs on every line (a one-byte literal would select most lines anyway).
const MIN_LITERAL: usize = 2;

/// The literals of a set of patterns, searched for together.
pub(crate) struct Prefilter {
    /// The literals (ASCII case-insensitive); `None` when no pattern has any.
    ac: Option<AhoCorasick>,
    /// For each literal, the patterns that need it.
    owners: Vec<Vec<u16>>,
    /// Patterns with no usable literal: candidates on every line.
    always: Vec<u64>,
    /// Every pattern's bit.
    full: Vec<u64>,
    words: usize,
}

/// What literal analysis knows of a sub-expression.
struct Info {
    /// Every string it can match, when that set is small and free of newlines.
    exact: Option<Vec<Vec<u8>>>,
    /// Strings one of which every match contains (`None`: nothing known).
    required: Option<Vec<Vec<u8>>>,
}

fn lower(mut s: Vec<u8>) -> Vec<u8> {
    s.make_ascii_lowercase();
    s
}

fn dedup(mut v: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    v.sort();
    v.dedup();
    v
}

/// A better required set: its shortest member is longer, then it has fewer members.
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let min = |s: &[Vec<u8>]| s.iter().map(Vec::len).min().unwrap_or(0);
    (min(a), std::cmp::Reverse(a.len())) > (min(b), std::cmp::Reverse(b.len()))
}

fn keep_best(best: &mut Option<Vec<Vec<u8>>>, cand: Option<Vec<Vec<u8>>>) {
    let Some(c) = cand else { return };
    if c.is_empty() || c.iter().any(Vec::is_empty) {
        return;
    }
    match best {
        Some(b) if !better(&c, b) => {}
        _ => *best = Some(c),
    }
}

/// The members of a small character class (ASCII lowercased, deduplicated), or `None` for a
/// large class or one that can match a newline.
fn class_strings(c: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    match c {
        Class::Unicode(u) => {
            for r in u.ranges() {
                for ch in r.start()..=r.end() {
                    if ch == '\n' || out.len() >= 2 * MAX_CLASS {
                        return None;
                    }
                    out.push(lower(ch.to_string().into_bytes()));
                }
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                for byte in r.start()..=r.end() {
                    // Bytes above ASCII could split a UTF-8 sequence: no literal from those.
                    if byte == b'\n' || !byte.is_ascii() || out.len() >= 2 * MAX_CLASS {
                        return None;
                    }
                    out.push(vec![byte.to_ascii_lowercase()]);
                }
            }
        }
    }
    let out = dedup(out);
    (!out.is_empty() && out.len() <= MAX_CLASS).then_some(out)
}

fn analyse(h: &Hir) -> Info {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(vec![Vec::new()]),
            required: None,
        },
        HirKind::Literal(l) => {
            if l.0.contains(&b'\n') {
                // Never inside one line: no line can match through it.
                return Info {
                    exact: None,
                    required: None,
                };
            }
            let s = lower(l.0.to_vec());
            Info {
                exact: Some(vec![s.clone()]),
                required: Some(vec![s]),
            }
        }
        HirKind::Class(c) => {
            let s = class_strings(c);
            Info {
                exact: s.clone(),
                required: s,
            }
        }
        HirKind::Capture(c) => analyse(&c.sub),
        HirKind::Repetition(r) => {
            let sub = analyse(&r.sub);
            match (r.min, r.max) {
                (1, Some(1)) => sub,
                (0, _) => Info {
                    exact: None,
                    required: None,
                },
                _ => Info {
                    exact: None,
                    required: sub.required.or(sub.exact),
                },
            }
        }
        HirKind::Alternation(subs) => {
            let infos: Vec<Info> = subs.iter().map(analyse).collect();
            let exact = infos
                .iter()
                .map(|i| i.exact.clone())
                .collect::<Option<Vec<_>>>()
                .map(|v| dedup(v.concat()))
                .filter(|v| v.len() <= MAX_SET);
            let required = infos
                .iter()
                .map(|i| {
                    // A branch's exact strings are what it requires when it has no better.
                    let mut best = None;
                    keep_best(&mut best, i.exact.clone());
                    keep_best(&mut best, i.required.clone());
                    best
                })
                .collect::<Option<Vec<_>>>()
                .map(|v| dedup(v.concat()));
            Info { exact, required }
        }
        HirKind::Concat(subs) => {
            let mut best = None;
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            let mut whole = true;
            for sub in subs {
                let i = analyse(sub);
                match i.exact {
                    Some(e) if run.len() * e.len() <= MAX_SET => {
                        run = run
                            .iter()
                            .flat_map(|a| e.iter().map(move |b| [a.as_slice(), b].concat()))
                            .collect();
                        run = dedup(run);
                    }
                    e => {
                        whole = false;
                        keep_best(&mut best, Some(std::mem::take(&mut run)));
                        keep_best(&mut best, i.required);
                        // A set too large to extend the run starts the next one.
                        run = e
                            .filter(|e| e.len() <= MAX_SET)
                            .unwrap_or_else(|| vec![Vec::new()]);
                    }
                }
            }
            let exact = whole.then(|| run.clone());
            keep_best(&mut best, Some(run));
            Info {
                exact,
                required: best,
            }
        }
    }
}

/// The literal strings one of which every match of `pattern` contains within one line
/// (ASCII lowercased), or `None` when the pattern has none worth searching for.
pub(crate) fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let i = analyse(&hir);
    let mut best = None;
    keep_best(&mut best, i.exact);
    keep_best(&mut best, i.required);
    best.filter(|s| s.iter().all(|l| l.len() >= MIN_LITERAL))
}

impl Prefilter {
    /// The prefilter of `patterns` (pattern `i` is bit `i` of a line's mask).
    pub(crate) fn new(patterns: &[&str]) -> Prefilter {
        let words = patterns.len().div_ceil(64).max(1);
        let mut always = vec![0u64; words];
        let mut lits: Vec<(Vec<u8>, u16)> = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            match required_literals(p) {
                Some(set) => lits.extend(set.into_iter().map(|l| (l, id as u16))),
                None => always[id / 64] |= 1 << (id % 64),
            }
        }
        lits.sort();
        let mut strings: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<u16>> = Vec::new();
        for (l, id) in lits {
            if strings.last() != Some(&l) {
                strings.push(l);
                owners.push(Vec::new());
            }
            if let Some(o) = owners.last_mut()
                && !o.contains(&id)
            {
                o.push(id);
            }
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&strings)
            .ok();
        if ac.is_none() {
            // Could not build (never expected): every pattern runs on every line.
            for (id, _) in patterns.iter().enumerate() {
                always[id / 64] |= 1 << (id % 64);
            }
        }
        let mut full = vec![0u64; words];
        for id in 0..patterns.len() {
            full[id / 64] |= 1 << (id % 64);
        }
        Prefilter {
            ac,
            owners,
            always,
            full,
            words,
        }
    }

    /// Which patterns may match somewhere in `text` taken whole (a match may span lines):
    /// bit `i % 64` of word `i / 64` for pattern `i`; a clear bit is certain. One pass, which
    /// stops as soon as every pattern is a candidate.
    pub(crate) fn present(&self, text: &str) -> Vec<u64> {
        let mut mask = self.always.clone();
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(text) {
                for &id in &self.owners[m.pattern().as_usize()] {
                    let id = id as usize;
                    mask[id / 64] |= 1 << (id % 64);
                }
                if mask == self.full {
                    break;
                }
            }
        }
        mask
    }

    /// A fresh cursor over `text`'s lines.
    pub(crate) fn lines<'t>(&'t self, text: &'t str) -> Candidates<'t> {
        Candidates {
            pre: self,
            text,
            start: 0,
            end: 0,
            line_starts: Vec::new(),
            masks: Vec::new(),
            seen: self.always.clone(),
        }
    }
}

/// The candidate masks of one chunk of a text, refilled as the scan moves on.
pub(crate) struct Candidates<'t> {
    pre: &'t Prefilter,
    text: &'t str,
    /// The byte range of the text the masks cover.
    start: usize,
    end: usize,
    /// Offsets (from `start`) at which the chunk's lines begin.
    line_starts: Vec<usize>,
    masks: Vec<u64>,
    /// The union of the masks of every chunk filled so far.
    seen: Vec<u64>,
}

impl Candidates<'_> {
    /// The candidate mask of the line that begins at byte `offset` of the text (lines are
    /// asked for in order).
    pub(crate) fn mask(&mut self, offset: usize) -> Mask<'_> {
        if offset < self.start || offset >= self.end || self.end == 0 {
            self.fill(offset);
        }
        let w = self.pre.words;
        let local = offset - self.start;
        let i = self.line_starts.partition_point(|&s| s <= local) - 1;
        Mask(&self.masks[i * w..(i + 1) * w])
    }

    /// Which patterns have a literal somewhere in the lines asked for so far: once every line
    /// was asked for, which patterns may match the text taken whole (a clear bit is certain,
    /// since no literal holds a newline).
    pub(crate) fn anywhere(&self) -> Mask<'_> {
        Mask(&self.seen)
    }

    /// Compute the masks of the whole lines from `offset` on, about [`CHUNK_BYTES`] of them.
    fn fill(&mut self, offset: usize) {
        let bytes = self.text.as_bytes();
        let soft_end = (offset + CHUNK_BYTES).min(bytes.len());
        let end = match bytes[soft_end..].iter().position(|&b| b == b'\n') {
            Some(p) => soft_end + p + 1,
            None => bytes.len(),
        };
        // An empty last line (offset == len) still needs one mask.
        self.start = offset;
        self.end = end.max(offset + 1);
        let chunk = &bytes[offset..end];
        self.line_starts.clear();
        self.line_starts.push(0);
        self.line_starts.extend(
            chunk
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1)
                .filter(|&i| i < chunk.len()),
        );
        let w = self.pre.words;
        self.masks.clear();
        for _ in 0..self.line_starts.len() {
            self.masks.extend_from_slice(&self.pre.always);
        }
        if let Some(ac) = &self.pre.ac {
            for m in ac.find_overlapping_iter(chunk) {
                let line = self.line_starts.partition_point(|&s| s <= m.start()) - 1;
                for &id in &self.pre.owners[m.pattern().as_usize()] {
                    let id = id as usize;
                    self.masks[line * w + id / 64] |= 1 << (id % 64);
                    self.seen[id / 64] |= 1 << (id % 64);
                }
            }
        }
    }
}

/// Which patterns may match one line.
pub(crate) struct Mask<'a>(&'a [u64]);

impl Mask<'_> {
    /// Whether pattern `id` may match the line (a `false` is certain).
    pub(crate) fn may(&self, id: usize) -> bool {
        (self.0[id / 64] >> (id % 64)) & 1 == 1
    }

    /// Whether any pattern may match the line (`false`: none can).
    pub(crate) fn any(&self) -> bool {
        self.0.iter().any(|&w| w != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Vec<String> {
        required_literals(p)
            .unwrap_or_default()
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    #[test]
    fn literals_come_from_the_pattern() {
        assert_eq!(lits(r"(?i)exec format error"), ["exec format error"]);
        assert_eq!(lits(r"crash ?loop|qemu"), ["crash", "qemu"]);
        assert_eq!(
            lits(r"(?i)(?-u:\b)M[1-4](?-u:\b)|graviton"),
            ["graviton", "m1", "m2", "m3", "m4"]
        );
        // Unicode case folding: `k` also matches the Kelvin sign, so both are literals.
        assert_eq!(lits(r"(?i)ok"), ["ok", "o\u{212a}"]);
        // Nothing required: runs everywhere.
        assert!(required_literals(r"^\s*\S+$").is_none());
        assert!(required_literals(r"a?b?").is_none());
        assert!(required_literals(r"(?i)x|.*").is_none());
    }

    #[test]
    fn masks_select_the_lines_that_can_match() {
        let p = Prefilter::new(&[r"(?i)exec format error", r"qemu", r"^\s*$"]);
        let text = "hello\nEXEC FORMAT ERROR here\nqemu: x\n\nlast exec format error";
        let mut c = p.lines(text);
        let mut got = Vec::new();
        for line in text.lines() {
            let off = line.as_ptr() as usize - text.as_ptr() as usize;
            let m = c.mask(off);
            got.push((m.may(0), m.may(1), m.may(2)));
        }
        assert_eq!(
            got,
            [
                (false, false, true),
                (true, false, true),
                (false, true, true),
                (false, false, true),
                (true, false, true),
            ]
        );
    }
}
