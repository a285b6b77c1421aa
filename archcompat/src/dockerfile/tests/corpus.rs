//! Precision and recall of `lint` over the project's own Dockerfile corpus
//! (fixtures/dockerfiles-corpus): correct multi-architecture Dockerfiles must give no error or
//! warning, and the broken ones must give exactly their expected findings. Every mechanical fix
//! of a broken file, pasted, gives a Dockerfile that still parses, loses that finding and gains
//! no new error or warning.

use crate::dockerfile::{LintOptions, hazards, lint};
use crate::edits::apply_edits;
use crate::finding::Severity;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dockerfiles-corpus")
}

fn files(dir: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(corpus().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn loud(text: &str, name: &str) -> Vec<(String, u32)> {
    let opts = LintOptions {
        path: format!("{name}.Dockerfile"),
        ..LintOptions::default()
    };
    lint(text, &opts)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| (f.code.to_string(), f.location.unwrap().line.unwrap()))
        .collect()
}

#[test]
fn precision_and_recall_on_the_corpus() {
    let expected: BTreeMap<String, Vec<(String, u32)>> =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("expected.json")).unwrap())
            .unwrap();
    let (mut true_pos, mut false_pos, mut wanted) = (0usize, 0usize, 0usize);
    let mut report = Vec::new();
    let good = files("good");
    let bad = files("bad");
    assert!(good.len() >= 15 && bad.len() >= 20);
    for (name, text) in &good {
        for f in loud(text, name) {
            false_pos += 1;
            report.push(format!("false alarm: good/{name} {f:?}"));
        }
    }
    for (name, text) in &bad {
        let want = expected
            .get(name)
            .unwrap_or_else(|| panic!("bad/{name} has no expectation"));
        wanted += want.len();
        let got = loud(text, name);
        for f in &got {
            if want.contains(f) {
                true_pos += 1;
            } else {
                false_pos += 1;
                report.push(format!("unexpected: bad/{name} {f:?}"));
            }
        }
        for w in want {
            if !got.contains(w) {
                report.push(format!("missed: bad/{name} {w:?}"));
            }
        }
    }
    let precision = true_pos as f64 / (true_pos + false_pos).max(1) as f64;
    let recall = true_pos as f64 / wanted.max(1) as f64;
    println!(
        "corpus: {} good, {} bad files; precision {:.1}% ({true_pos}/{}), recall {:.1}% ({true_pos}/{wanted})",
        good.len(),
        bad.len(),
        precision * 100.0,
        true_pos + false_pos,
        recall * 100.0
    );
    for r in &report {
        println!("{r}");
    }
    assert!(precision >= 0.98, "precision {precision:.3}: {report:#?}");
    assert!(recall >= 0.90, "recall {recall:.3}: {report:#?}");
}

#[test]
fn every_pasted_fix_parses_and_removes_its_finding() {
    for (name, text) in files("bad") {
        let opts = LintOptions::default();
        let before = loud(&text, &name);
        for h in hazards(&text, &opts).unwrap() {
            if h.edits.is_empty() || h.finding.severity < Severity::Warning {
                continue;
            }
            let fixed = apply_edits(&text, &h.edits);
            let line = h.finding.location.as_ref().unwrap().line.unwrap();
            let after = lint(&fixed, &opts)
                .unwrap_or_else(|e| panic!("{name}: the fixed file does not parse: {e}\n{fixed}"));
            let loud_after: Vec<_> = after
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .collect();
            assert!(
                loud_after.len() < before.len(),
                "{name}: fixing line {line} left {loud_after:#?}\n{fixed}"
            );
            // A fix never leaves a platform variable in single quotes, where the shell keeps it
            // literal, and every RUN of the fixed file is still valid shell (`sh -n`).
            assert!(
                !fixed.contains("'$TARGET") && !fixed.contains("'${TARGET"),
                "{name}: {fixed}"
            );
            shell_syntax_ok(&name, &fixed);
        }
    }
}

/// Every shell-form RUN of a Dockerfile parses with `sh -n` (continuations joined as BuildKit
/// joins them).
fn shell_syntax_ok(name: &str, text: &str) {
    let df = parse_dockerfile::parse(text).unwrap();
    for ins in &df.instructions {
        let parse_dockerfile::Instruction::Run(r) = ins else {
            continue;
        };
        let parse_dockerfile::Command::Shell(s) = &r.arguments else {
            continue;
        };
        let script = s.value.replace("\\\n", " ");
        let out = std::process::Command::new("sh")
            .args(["-n", "-c", &script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: `sh -n` refuses {script:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
