//! The per-thread redaction memo of inspected entries (`redact_findings`) gives exactly what
//! `Redaction::findings` gives: on first sight and when remembered, for texts that are
//! redacted and texts that are not, across the memo's emptying, and nothing when off.

use crate::check::binary::redact_findings;
use crate::finding::{CauseCode, Evidence, Finding, Fix, FixTarget, Severity};
use crate::redact::Redaction;

fn finding(path: &str, secret: &str) -> Finding {
    let mut f = Finding::new(
        CauseCode::MissingShebang,
        Severity::Error,
        format!("run it with --password {secret}"),
    );
    f.evidence
        .push(Evidence::detail("errno: ENOEXEC (exec format error)"));
    f.evidence
        .push(Evidence::detail(format!("export GITHUB_TOKEN={secret}")));
    f.fixes.push(Fix {
        id: "add-shebang".into(),
        title: "Start the script with #!".into(),
        why: format!("curl -u ci:{secret} https://example.com"),
        applies_to: FixTarget::File,
        snippet: format!("sed -i '1i #!/bin/sh' {path}"),
        diff: Some(format!("+docker login -p {secret} ghcr.io\n")),
    });
    f
}

fn both(path: &str, secret: &str, r: Redaction) -> (Vec<Finding>, Vec<Finding>) {
    let mut plain = vec![finding(path, secret), finding(path, "nothing")];
    let mut memo = plain.clone();
    r.findings(&mut plain);
    redact_findings(r, &mut memo, path);
    (plain, memo)
}

#[test]
fn remembered_redaction_equals_redaction() {
    let secret = "hunter2hunter2Secret";
    for round in 0..3 {
        let path = format!("/srv/app/run-{round}.sh");
        let (plain, memo) = both(&path, secret, Redaction::On);
        assert_eq!(plain, memo, "round {round}");
        let text = serde_json::to_string(&memo).unwrap();
        assert!(!text.contains(secret), "round {round}: {text}");
        assert!(text.contains(&path), "round {round}: {text}");
    }
}

#[test]
fn off_leaves_everything() {
    let (plain, memo) = both("/x", "hunter2hunter2Secret", Redaction::Off);
    assert_eq!(plain, memo);
    assert_eq!(memo[0], finding("/x", "hunter2hunter2Secret"));
}

#[test]
fn the_memo_stays_right_when_it_is_emptied() {
    // More distinct texts than the memo holds: every answer is still the direct one.
    for i in 0..800 {
        let secret = format!("s3cretValue{i:05}xyz");
        let (plain, memo) = both("/p", &secret, Redaction::On);
        assert_eq!(plain, memo, "text {i}");
    }
}
