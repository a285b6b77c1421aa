//! Every Dockerfile in fixtures/dockerfiles/ gives exactly the expected findings (code, line),
//! clean ones give none, and every mechanical fix removes its finding when applied.

use crate::dockerfile::{LintOptions, hazards, lint_path_with};
use crate::finding::Finding;
use crate::redact::Redaction;

/// Read and lint a Dockerfile, echoes redacted.
fn lint_path(
    path: &std::path::Path,
    context: Option<&std::path::Path>,
) -> crate::Result<Vec<Finding>> {
    lint_path_with(path, context, Redaction::On)
}
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dockerfiles")
}

#[test]
fn fixtures_give_the_expected_findings() {
    let expected: BTreeMap<String, Vec<(String, u32)>> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("expected.json")).unwrap())
            .unwrap();
    let dirs: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .collect();
    assert_eq!(
        dirs.len(),
        expected.len(),
        "every fixture directory has an expectation"
    );
    for (name, want) in &expected {
        let got: Vec<(String, u32)> = lint_path(&fixtures().join(name).join("Dockerfile"), None)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .iter()
            .map(|f| {
                (
                    f.code.to_string(),
                    f.location.as_ref().unwrap().line.unwrap(),
                )
            })
            .collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        let mut want_sorted = want.clone();
        want_sorted.sort();
        assert_eq!(got_sorted, want_sorted, "{name}");
    }
}

#[test]
fn findings_carry_evidence_locations_and_fixes() {
    // Fixes are attached by the pipeline (crate::lint_path), not by the rules.
    let r = crate::lint_path(
        &fixtures().join("go-hardcoded/Dockerfile"),
        None,
        crate::Redaction::On,
    )
    .unwrap();
    let f = &r.findings[0];
    assert_eq!(
        f.evidence[0].detail,
        "RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app ./cmd/app"
    );
    let loc = f.location.as_ref().unwrap();
    assert_eq!(
        (loc.column, loc.end_column),
        (Some(30), Some(42)),
        "span covers GOARCH=amd64"
    );
    let fix = &f.fixes[0];
    assert!(
        fix.snippet.contains("GOARCH=$TARGETARCH"),
        "{}",
        fix.snippet
    );
    assert!(fix.snippet.contains("ARG TARGETARCH"));
    let diff = fix.diff.as_deref().unwrap();
    assert!(
        diff.contains("-RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64")
            && diff.contains("+ARG TARGETARCH"),
        "{diff}"
    );
}

#[test]
fn applying_each_mechanical_fix_removes_its_finding() {
    for name in [
        "arg-default",
        "bom",
        "constant-platform",
        "crlf",
        "go-hardcoded",
        "redundant-target",
        "runtime-buildplatform",
        "undeclared-arg",
    ] {
        let text = std::fs::read_to_string(fixtures().join(name).join("Dockerfile")).unwrap();
        let opts = LintOptions::default();
        let before = hazards(&text, &opts).unwrap();
        assert!(!before.is_empty(), "{name}");
        for h in before.iter().filter(|h| !h.edits.is_empty()) {
            let fixed = crate::edits::apply_edits(&text, &h.edits);
            let after = hazards(&fixed, &opts).unwrap();
            let same = |a: &crate::dockerfile::Hazard| {
                a.finding.code == h.finding.code
                    && a.finding.message == h.finding.message
                    && a.finding.location == h.finding.location
            };
            assert!(
                !after.iter().any(same),
                "{name}: fix for {:?} did not remove it:\n{fixed}",
                h.finding.message
            );
        }
    }
}

#[test]
fn bad_inputs_give_errors_naming_them() {
    let scratch = super::scratch();
    let dir = scratch.path();
    let utf16 = dir.join("Dockerfile.utf16");
    std::fs::write(&utf16, b"\xff\xfeF\0R\0O\0M\0").unwrap();
    let e = lint_path(&utf16, None).unwrap_err().to_string();
    assert!(
        e.contains("Dockerfile.utf16") && e.contains("UTF-16"),
        "{e}"
    );
    let e = lint_path(&dir.join("missing"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing"), "{e}");
    let e = lint_path(dir, None).unwrap_err().to_string();
    assert!(e.contains("directory"), "{e}");
    // Hostile input never panics.
    for text in [
        "FROM",
        "FROM --platform= x",
        "RUN GOARCH=",
        "ARG TARGETARCH=",
        "FROM a\nRUN $",
        "FROM a\nRUN ${TARGETARCH",
        "\u{feff}",
        "FROM a\r\nRUN x \\\r\n",
    ] {
        let _ = crate::dockerfile::lint(text, &LintOptions::default());
    }
}
