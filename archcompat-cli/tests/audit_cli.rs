//! `archcompat audit` end to end against the 31-repository loopback registry: table, JSON,
//! SARIF, the HTML file, --merge of per-prefix JSON outputs, exit codes.

#[path = "../../archcompat/tests/audit_support/mod.rs"]
mod audit_support;

use audit_support::AuditRegistry;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .output()
        .expect("run archcompat")
}

#[test]
fn audit_outputs_and_merge() {
    let reg = AuditRegistry::start("cli");
    let dir = std::env::temp_dir().join(format!("archcompat-audit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("audit.html");
    let all = reg.url("");
    let o = run(&[
        "audit",
        &all,
        "--target",
        "linux/amd64,linux/arm64",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("31 repositories, 39 tags: 16 complete"),
        "{text}"
    );
    assert!(text.contains("multi/app-01:v1"), "{text}");
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>") && h.contains("class=\"missing\""));
    assert!(!h.contains("http://") && !h.contains("https://") && !h.contains("<script"));

    // Only complete tags: exit 0.
    let o = run(&[
        "audit",
        &reg.url("multi"),
        "--target",
        "linux/amd64,linux/arm64",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));

    let o = run(&["audit", &all, "--target", "amd64", "--format", "sarif"]);
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // arm/svc-01..07 and single/arm64-01..04 have no amd64 image.
    assert_eq!(s["runs"][0]["results"].as_array().unwrap().len(), 11);

    let mut parts = Vec::new();
    for p in ["arm", "broken", "mislabeled", "multi", "single"] {
        let o = run(&[
            "audit",
            &reg.url(p),
            "--target",
            "linux/amd64,linux/arm64",
            "--json",
        ]);
        let f = dir.join(format!("{p}.json"));
        std::fs::write(&f, &o.stdout).unwrap();
        parts.push(f.display().to_string());
    }
    let mut args = vec!["audit", "--merge"];
    args.extend(parts.iter().map(String::as_str));
    args.push("--json");
    let o = run(&args);
    assert_eq!(o.status.code(), Some(1));
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(m["summary"]["tags"], 39);
    assert_eq!(m["summary"]["complete"], 16);

    // Bad input: exit 2 naming it.
    let o = run(&["audit", "docker://127.0.0.1:1/x:tag", "--target", "amd64"]);
    assert_eq!(o.status.code(), Some(2));
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{\"not\": 1}").unwrap();
    let o = run(&["audit", "--merge", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("junk.json"));
    let _ = std::fs::remove_dir_all(&dir);
}
