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
