//! The log corpus: every file's top cause, and the platforms and image the log names.

use archcompat::{ExplainOptions, explain};
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Expect {
    top: Option<String>,
    host: Option<String>,
    image: Option<String>,
    requested: Option<String>,
    image_ref: Option<String>,
}

#[test]
fn every_log_gets_the_expected_top_cause() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/logs");
    let expected: BTreeMap<String, Expect> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    assert!(expected.len() >= 60);
    let mut codes = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for (name, want) in &expected {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let e = explain(&text, &ExplainOptions::default()).unwrap();
        let top = e.causes.first().map(|c| c.code.to_string());
        if top != want.top {
            failures.push(format!(
                "{name}: top {top:?}, want {:?}; ranked {:?}",
                want.top,
                e.causes
                    .iter()
                    .map(|c| (c.code.as_str(), c.confidence))
                    .collect::<Vec<_>>()
            ));
            continue;
        }
        if let Some(c) = e.causes.first() {
            codes.insert(c.code);
            assert!(!c.evidence.is_empty(), "{name}: no evidence");
            assert!(!e.fixes.is_empty(), "{name}: no fixes");
            for (field, got, want) in [
                ("host", &c.platforms.host, &want.host),
                ("image", &c.platforms.image, &want.image),
                ("requested", &c.platforms.requested, &want.requested),
            ] {
                if want.is_some() {
                    assert_eq!(got, want, "{name}: {field}");
                }
            }
        }
        if want.image_ref.is_some() {
            assert_eq!(e.image, want.image_ref, "{name}: image reference");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} logs misclassified:\n{}",
        failures.len(),
        expected.len(),
        failures.join("\n")
    );
    // Every contract code is the top cause of at least one log.
    for code in archcompat::CauseCode::ALL.iter().take(20) {
        assert!(codes.contains(code), "no log covers {code}");
    }
}

#[test]
fn ambiguous_script_exec_error_ranks_candidates_and_names_the_check() {
    let e = explain(
        "exec /usr/local/bin/docker-entrypoint.sh: exec format error\n",
        &ExplainOptions::default(),
    )
    .unwrap();
    let codes: Vec<&str> = e.causes.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        &codes[..2],
        ["arch-mismatch", "missing-shebang"],
        "{codes:?}"
    );
    assert_eq!(
        e.causes[1].check.as_deref(),
        Some("archcompat inspect /usr/local/bin/docker-entrypoint.sh")
    );
    // ENOENT for an existing file is never the architecture.
    let e = explain(
        "exec /app/run: no such file or directory\n",
        &ExplainOptions::default(),
    )
    .unwrap();
    assert!(
        e.causes
            .iter()
            .all(|c| c.code.as_str() != "arch-mismatch" || c.confidence < 0.3),
        "{:?}",
        e.causes
    );
}

#[test]
fn evidence_is_redacted_and_input_is_bounded() {
    let log = "docker login -u ci -p glpat-Ab3dE5gH7jK9mN1pQ3rS registry.gitlab.com\nexec /bin/sh: exec format error\n";
    let e = explain(log, &ExplainOptions::default()).unwrap();
    let all = serde_json::to_string(&e).unwrap();
    assert!(!all.contains("glpat-Ab3"), "{all}");
    let huge = "x".repeat(archcompat::MAX_EXPLAIN_BYTES + 1);
    let err = explain(
        &huge,
        &ExplainOptions {
            source: "big.log".into(),
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("big.log"), "{err}");
    assert!(
        explain("", &ExplainOptions::default())
            .unwrap()
            .causes
            .is_empty()
    );
}
