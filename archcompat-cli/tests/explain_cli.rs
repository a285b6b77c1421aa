//! `archcompat explain` end to end.

use std::io::Write;
use std::process::{Command, Stdio};

fn explain(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .arg("explain")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let o = c.wait_with_output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_log_file_gives_contract_json_and_exit_1() {
    let log = format!("{}/../fixtures/logs/nmm-pi.log", env!("CARGO_MANIFEST_DIR"));
    let (code, out, _) = explain(&[&log, "--json"], "");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["causes"][0]["code"], "no-matching-manifest");
    assert_eq!(v["causes"][0]["platforms"]["requested"], "linux/arm/v7");
    assert!(v["causes"][0]["evidence"][0]["line"].as_u64().unwrap() > 0);
    assert!(
        v["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "arm32-userland")
    );
}

#[test]
fn stdin_text_and_sarif_and_nothing_found() {
    let (code, out, _) = explain(&[], "exec /bin/sh: exec format error\n");
    assert_eq!(code, 1);
    assert!(out.starts_with("1. arch-mismatch"), "{out}");
    let (_, out, _) = explain(
        &["-", "--format", "sarif"],
        "exec /bin/sh: exec format error\n",
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "arch-mismatch");
    let (code, out, _) = explain(&[], "all good\n");
    assert_eq!(code, 0);
    assert!(out.contains("no known"));
    let (code, _, err) = explain(&["/nonexistent/build.log"], "");
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/build.log"));
}

/// The CLI's JSON is the core's answer, and its SARIF lists the same causes in the same order,
/// on real reports of `fixtures/logs/real/` (every 10th, to keep the process count small).
#[test]
fn cli_json_and_sarif_match_the_core_on_real_reports() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/logs/real");
    let index: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    assert!(index.len() >= 300);
    for entry in index.iter().step_by(10) {
        let file = dir.join(entry["file"].as_str().unwrap());
        let path = file.to_str().unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let core = archcompat::explain(
            &text,
            &archcompat::ExplainOptions {
                source: path.into(),
                redaction: archcompat::Redaction::On,
            },
        )
        .unwrap();
        let want = serde_json::to_value(&core).unwrap();
        let (code, out, err) = explain(&[path, "--json"], "");
        assert_eq!(
            code,
            if core.causes.is_empty() { 0 } else { 1 },
            "{path}: {err}"
        );
        let got: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(got, want, "{path}");
        let (_, out, _) = explain(&[path, "--format", "sarif"], "");
        let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
        let rules: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ruleId"].as_str().unwrap())
            .collect();
        let codes: Vec<&str> = core.causes.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(rules, codes, "{path}");
    }
}
