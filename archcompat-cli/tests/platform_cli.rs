//! `archcompat platform parse|match` and `archcompat host`, run as a user runs them.

use serde_json::{Value, json};
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .output()
        .expect("run archcompat");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_of(args: &[&str]) -> (i32, Value) {
    let (code, stdout, stderr) = run(args);
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    (code, v)
}

#[test]
fn parse_json_shape() {
    let (code, v) = json_of(&[
        "platform",
        "parse",
        "--json",
        "linux/arm64/v8",
        "armv7l",
        "windows(10.0.17763+win32k)/amd64",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        v,
        json!([
            {"input": "linux/arm64/v8", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}, "formatted": "linux/arm64/v8"},
            {"input": "armv7l", "platform": {"os": "linux", "architecture": "arm"}, "formatted": "linux/arm"},
            {"input": "windows(10.0.17763+win32k)/amd64", "platform": {"os": "windows", "architecture": "amd64", "os.version": "10.0.17763", "os.features": ["win32k"]}, "formatted": "windows(10.0.17763+win32k)/amd64"}
        ])
    );
}

#[test]
fn parse_invalid_exits_2_naming_the_part() {
    let (code, stdout, stderr) = run(&["platform", "parse", "--json", "linux/amd64", "linux/&arm"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v[0]["formatted"], "linux/amd64");
    assert_eq!(v[1]["input"], "linux/&arm");
    assert!(v[1]["error"].as_str().unwrap().contains("&arm"));
    assert!(stderr.contains("&arm"), "{stderr}");
    // containerd-exact mode rejects aliases containerd does not know
    let (code, _, stderr) = run(&["platform", "parse", "--containerd", "armv7l"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("armv7l"));
    let (code, stdout, _) = run(&["platform", "parse", "Aarch64"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("/arm64"), "{stdout}");
}

#[test]
fn match_ranks_as_containerd() {
    let (code, v) = json_of(&[
        "platform",
        "match",
        "--host",
        "linux/arm64",
        "linux/amd64",
        "linux/arm/v7",
        "linux/arm64/v8",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["host"], json!({"os": "linux", "architecture": "arm64"}));
    let runs: Vec<&str> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["runs"].as_str().unwrap())
        .collect();
    assert_eq!(runs, ["no", "compatible", "native"]);
    for c in v["candidates"].as_array().unwrap() {
        assert!(!c["reason"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        v["best"],
        json!({"os": "linux", "architecture": "arm64", "variant": "v8"})
    );
    // without arm64, containerd falls back to arm/v7
    let (_, v) = json_of(&[
        "platform",
        "match",
        "--json",
        "--host",
        "linux/arm64",
        "linux/amd64",
        "linux/arm/v6",
        "linux/arm/v7",
    ]);
    assert_eq!(
        v["best"],
        json!({"os": "linux", "architecture": "arm", "variant": "v7"})
    );
    // --strict: OnlyStrict, no fallback
    let (code, v) = json_of(&[
        "platform",
        "match",
        "--json",
        "--strict",
        "--host",
        "linux/arm64",
        "linux/amd64",
        "linux/arm/v7",
    ]);
    assert_eq!(v["best"], Value::Null);
    assert_eq!(code, 1);
}

#[test]
fn match_says_when_containerds_assumption_fails() {
    let (code, v) = json_of(&[
        "platform",
        "match",
        "--json",
        "--host",
        "aws-graviton4",
        "linux/amd64",
        "linux/arm/v7",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["best"]["architecture"], "arm");
    assert_eq!(v["best_runnable"], Value::Null);
    assert_eq!(v["candidates"][1]["runs"], "no");
    assert!(
        v["candidates"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("assumes")
    );
    let (_, text, _) = run(&[
        "platform",
        "match",
        "--host",
        "aws-graviton4",
        "linux/amd64",
        "linux/arm/v7",
    ]);
    assert!(
        text.contains("containerd picks linux/arm/v7, but none"),
        "{text}"
    );
}

#[test]
fn match_bad_candidate_or_host_exits_2() {
    let (code, _, stderr) = run(&["platform", "match", "--host", "linux/arm64", "linux/arm/"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("linux/arm/"));
    let (code, _, stderr) = run(&[
        "platform",
        "match",
        "--host",
        "no-such-cloud",
        "linux/amd64",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no-such-cloud") && stderr.contains("--list-profiles"),
        "{stderr}"
    );
}

#[test]
fn host_json_reports_this_machine() {
    let (code, v) = json_of(&["host", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["source"], "detected");
    assert_eq!(v["platform"]["os"], std::env::consts::OS);
    assert!(v["page_size"].as_u64().unwrap() >= 4096);
    assert!(v["runs_natively"].as_array().is_some());
    assert!(v["emulated"].as_array().is_some());
    if cfg!(target_arch = "x86_64") {
        assert_eq!(
            v["platform"],
            json!({"os": "linux", "architecture": "amd64"})
        );
        let level = v["amd64_level"].as_u64().unwrap();
        assert!((1..=4).contains(&level));
    }
    let (code, text, _) = run(&["host"]);
    assert_eq!(code, 0);
    assert!(text.contains("page size"));
}

#[test]
fn host_profiles() {
    let (code, v) = json_of(&["host", "--list-profiles", "--json"]);
    assert_eq!(code, 0);
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for n in [
        "aws-graviton2",
        "aws-lambda-arm64",
        "cloud-run",
        "raspberry-pi-5",
        "apple-silicon-docker-desktop",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    let pi5 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "raspberry-pi-5")
        .unwrap();
    assert_eq!(pi5["page_size"], 16384);
    assert!(!pi5["source"].as_str().unwrap().is_empty());
    let (_, text, _) = run(&["host", "--list-profiles"]);
    assert!(text.contains("aws-graviton4") && text.contains("32-bit ARM: no"));
    let (code, v) = json_of(&["host", "--host", "apple-silicon-docker-desktop", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["aarch32"], false);
    assert!(
        v["emulated"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["architecture"] == "amd64")
    );
}
