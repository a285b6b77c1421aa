//! Byte-range edits of a user's text and the unified diffs that show them: the one leaf module
//! that both the Dockerfile lint (a fix per finding) and the rewrites of commands, compose files
//! and Dockerfiles use. It depends on nothing else in the crate.
//!
//! [`local_diff`] shows a few edits of a large text in time proportional to the lines the edits
//! touch (not to the whole text), so that a fix can be attached to every finding of a long file
//! without quadratic work.
//!
//! (Example: the test `doc_examples::module_example` in this file.)

/// A byte-range replacement in a text (an insertion when `start == end`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Replacement text.
    pub replacement: String,
}

/// Edits sorted by position, without the overlapping or out-of-range ones.
fn valid_sorted<'e>(text: &str, edits: &'e [Edit]) -> Vec<&'e Edit> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = Vec::with_capacity(sorted.len());
    let mut pos = 0;
    for e in sorted {
        if e.start < pos
            || e.end > text.len()
            || e.start > e.end
            || !text.is_char_boundary(e.start)
            || !text.is_char_boundary(e.end)
        {
            continue; // overlapping or out of range: skip rather than corrupt the text
        }
        pos = e.end;
        out.push(e);
    }
    out
}

/// Apply non-overlapping edits (insertions at the same offset keep their order; an edit that
/// overlaps an earlier one or lies outside the text is skipped).
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in valid_sorted(text, edits) {
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

/// Line starts of a text, built once: byte offset → line in O(log lines).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Index the lines of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }
    /// The 0-based line holding byte `offset` (offsets past the end are on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset.min(self.len)) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }
    /// Byte offset where 0-based line `i` starts.
    pub fn start(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(self.len)
    }
    /// Byte offset just after 0-based line `i` (after its `\n`, or the end of the text).
    pub fn end(&self, i: usize) -> usize {
        self.starts.get(i + 1).copied().unwrap_or(self.len)
    }
    /// Number of lines (a text ending in `\n` has an empty last line).
    pub fn count(&self) -> usize {
        self.starts.len()
    }
}

/// A diff of a few edits, made from the touched lines only.
#[derive(Debug, Clone, Default)]
pub struct LocalDiff {
    /// Unified diff with `a/PATH`/`b/PATH` headers (empty when the edits change nothing).
    pub diff: String,
    /// The new text of every changed line, in order, without line endings.
    pub new_lines: Vec<String>,
    /// Bytes of old text the changed lines span (callers bound what they echo with it).
    pub old_bytes: usize,
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// The unified diff of `edits` applied to `text` (indexed by `idx`), with `context` lines
/// around each change, built from the lines the edits touch: the work is proportional to
/// those lines and the number of edits, not to the size of `text`.
pub fn local_diff(
    text: &str,
    idx: &LineIndex,
    edits: &[Edit],
    path: &str,
    context: usize,
) -> LocalDiff {
    // Groups of edits over overlapping line ranges [l0, l1].
    let mut groups: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for e in valid_sorted(text, edits) {
        let l0 = idx.line_of(e.start);
        let l1 = if e.end > e.start {
            idx.line_of(e.end - 1)
        } else {
            l0
        };
        match groups.last_mut() {
            Some(g) if l0 <= g.1 => {
                g.1 = g.1.max(l1);
                g.2.push(e);
            }
            _ => groups.push((l0, l1, vec![e])),
        }
    }
    let line = |i: usize| &text[idx.start(i)..idx.end(i)];
    let last_line = if text.ends_with('\n') || text.is_empty() {
        idx.count() - 1
    } else {
        idx.count()
    };
    let mut out = LocalDiff::default();
    let mut body = String::new();
    let mut delta: isize = 0;
    let mut g = 0;
    while g < groups.len() {
        // A hunk: groups whose unchanged gaps are at most 2 × context lines.
        let mut h_end = g;
        while h_end + 1 < groups.len() && groups[h_end + 1].0 <= groups[h_end].1 + 2 * context + 1 {
            h_end += 1;
        }
        let mut lines_out: Vec<(char, String)> = Vec::new();
        let first = groups[g].0;
        let from = first.saturating_sub(context);
        for i in from..first {
            lines_out.push((' ', line(i).to_string()));
        }
        for k in g..=h_end {
            let (l0, l1, es) = &groups[k];
            if k > g {
                for i in groups[k - 1].1 + 1..*l0 {
                    lines_out.push((' ', line(i).to_string()));
                }
            }
            let (seg_start, seg_end) = (idx.start(*l0), idx.end(*l1));
            let mut new_seg = String::with_capacity(seg_end - seg_start + 32);
            let mut pos = seg_start;
            for e in es {
                new_seg.push_str(&text[pos..e.start]);
                new_seg.push_str(&e.replacement);
                pos = e.end;
            }
            new_seg.push_str(&text[pos..seg_end]);
            let old_lines: Vec<&str> = text[seg_start..seg_end].split_inclusive('\n').collect();
            let new_lines: Vec<&str> = new_seg.split_inclusive('\n').collect();
            let head = old_lines
                .iter()
                .zip(&new_lines)
                .take_while(|(a, b)| a == b)
                .count();
            let max_tail = old_lines.len().min(new_lines.len()) - head;
            let tail = old_lines
                .iter()
                .rev()
                .zip(new_lines.iter().rev())
                .take(max_tail)
                .take_while(|(a, b)| a == b)
                .count();
            for l in &old_lines[..head] {
                lines_out.push((' ', l.to_string()));
            }
            for l in &old_lines[head..old_lines.len() - tail] {
                out.old_bytes += l.len();
                lines_out.push(('-', l.to_string()));
            }
            for l in &new_lines[head..new_lines.len() - tail] {
                out.new_lines
                    .push(l.trim_end_matches(['\n', '\r']).to_string());
                lines_out.push(('+', l.to_string()));
            }
            for l in &old_lines[old_lines.len() - tail..] {
                lines_out.push((' ', l.to_string()));
            }
        }
        let after_from = groups[h_end].1 + 1;
        for i in after_from..(after_from + context).min(last_line) {
            lines_out.push((' ', line(i).to_string()));
        }
        g = h_end + 1;
        if !lines_out.iter().any(|(m, _)| *m != ' ') {
            continue;
        }
        let old_count = lines_out.iter().filter(|(m, _)| *m != '+').count();
        let new_count = lines_out.iter().filter(|(m, _)| *m != '-').count();
        let added = new_count as isize - old_count as isize;
        let old_start = from + 1;
        let new_start = (old_start as isize + delta).max(0) as usize;
        let shown = |start: usize, count: usize| {
            if count == 0 {
                format!("{},0", start.saturating_sub(1))
            } else if count == 1 {
                start.to_string()
            } else {
                format!("{start},{count}")
            }
        };
        body.push_str(&format!(
            "@@ -{} +{} @@\n",
            shown(old_start, old_count),
            shown(new_start, new_count)
        ));
        for (m, l) in &lines_out {
            push_line(&mut body, *m, l);
        }
        delta += added;
    }
    if !body.is_empty() {
        out.diff = format!("--- a/{path}\n+++ b/{path}\n{body}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(start: usize, end: usize, r: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: r.into(),
        }
    }

    /// The local diff applies (with `patch`'s semantics) to give the same text as apply_edits:
    /// checked here by rebuilding the new text from the old one and the hunks.
    fn patched(old: &str, diff: &str) -> String {
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut at = 0usize;
        let mut lines = diff.lines().skip(2).peekable();
        while let Some(h) = lines.next() {
            assert!(h.starts_with("@@ -"), "{h}");
            let start: usize = h[4..].split([',', ' ']).next().unwrap().parse().unwrap();
            let begin = if h[4..].split(' ').next().unwrap().ends_with(",0") {
                start
            } else {
                start - 1
            };
            while at < begin {
                out.push_str(old_lines[at]);
                at += 1;
            }
            while let Some(l) = lines.peek() {
                if l.starts_with("@@") {
                    break;
                }
                let l = lines.next().unwrap();
                match l.as_bytes().first() {
                    Some(b' ') => {
                        out.push_str(old_lines[at]);
                        at += 1;
                    }
                    Some(b'-') => at += 1,
                    Some(b'+') => {
                        out.push_str(&l[1..]);
                        out.push('\n');
                    }
                    Some(b'\\') => {}
                    _ => panic!("bad diff line {l:?}"),
                }
            }
        }
        while at < old_lines.len() {
            out.push_str(old_lines[at]);
            at += 1;
        }
        out
    }

    #[test]
    fn local_diff_matches_apply_edits() {
        let text: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let idx = LineIndex::new(&text);
        let l = |n: usize| idx.start(n - 1);
        let cases = vec![
            vec![e(l(1), l(1), "ARG X\n")],
            vec![e(l(1), l(1), "ARG X\n"), e(l(20) + 5, l(20) + 7, "XX")],
            vec![e(l(3), l(4), ""), e(l(5), l(5) + 4, "LINE")],
            vec![e(l(30), l(30) + 7, "last")],
            vec![e(l(10), l(12), "joined\n")],
        ];
        for edits in cases {
            let want = apply_edits(&text, &edits);
            let d = local_diff(&text, &idx, &edits, "f", 2);
            assert_eq!(patched(&text, &d.diff), want, "{}", d.diff);
        }
    }

    #[test]
    fn local_diff_agrees_with_similar_on_a_small_change() {
        let text = "a\nb\nc\nd\ne\nf\n";
        let edits = [e(4, 5, "C")];
        let local = local_diff(text, &LineIndex::new(text), &edits, "x", 2);
        let full = unified_diff(text, &apply_edits(text, &edits), "x");
        assert_eq!(local.diff, full);
        assert_eq!(local.new_lines, ["C"]);
    }

    #[test]
    fn overlapping_and_out_of_range_edits_are_skipped() {
        let text = "abcdef";
        let edits = [e(1, 3, "X"), e(2, 4, "Y"), e(5, 99, "Z")];
        assert_eq!(apply_edits(text, &edits), "aXdef");
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn module_example() {
        use crate::edits::{Edit, LineIndex, apply_edits, local_diff};
        let text = "FROM golang\nRUN GOARCH=amd64 go build\n";
        let e = vec![Edit {
            start: 23,
            end: 28,
            replacement: "$TARGETARCH".into(),
        }];
        assert_eq!(
            apply_edits(text, &e),
            "FROM golang\nRUN GOARCH=$TARGETARCH go build\n"
        );
        let d = local_diff(text, &LineIndex::new(text), &e, "Dockerfile", 2);
        assert!(
            d.diff
                .contains("-RUN GOARCH=amd64 go build\n+RUN GOARCH=$TARGETARCH go build\n")
        );
    }
}
