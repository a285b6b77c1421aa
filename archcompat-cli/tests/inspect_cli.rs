//! `archcompat inspect`, run as a user runs it, on the committed fixtures.

use serde_json::Value;
use std::process::Command;

const FX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/bin/");

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

fn fx(name: &str) -> String {
    format!("{FX}{name}")
}

#[test]
fn json_entries_follow_the_contract() {
    let (code, out, err) = run(&[
        "inspect",
        "--json",
        "--host",
        "linux/arm64",
        &fx("c-arm64-glibc-dyn"),
        &fx("c-armhf-glibc-dyn"),
        &fx("script-crlf.sh"),
    ]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 3);
    for e in a {
        for k in ["path", "format", "details", "problems"] {
            assert!(e.get(k).is_some(), "{k} missing in {e}");
        }
    }
    assert_eq!(a[0]["format"], "elf");
    assert_eq!(a[0]["platform"]["architecture"], "arm64");
    assert_eq!(a[0]["details"]["libc"], "glibc");
    assert_eq!(a[0]["problems"].as_array().unwrap().len(), 0);
    assert_eq!(a[1]["platform"]["variant"], "v7");
    assert_eq!(a[1]["details"]["float_abi"], "hard");
    assert!(
        a[1]["problems"].as_array().unwrap().is_empty(),
        "arm64 runs arm/v7 by containerd's rules"
    );
    assert_eq!(a[2]["format"], "script");
    assert_eq!(a[2]["details"]["line_endings"], "crlf");
    assert_eq!(a[2]["problems"][0]["code"], "crlf-line-endings");
    assert!(a[2].get("platform").is_none());
}

#[test]
fn exit_0_when_everything_runs_and_a_readable_table() {
    let (code, out, err) = run(&[
        "inspect",
        "--host",
        "linux/amd64",
        &fx("c-amd64-glibc-dyn"),
        &fx("script-sh.sh"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("PLATFORM"), "{out}");
    assert!(out.contains("linux/amd64"), "{out}");
    assert!(out.contains("/lib64/ld-linux-x86-64.so.2"), "{out}");
}

#[test]
fn problems_give_exit_1_and_name_the_errno() {
    let (code, out, _) = run(&["inspect", "--host", "linux/amd64", &fx("c-s390x-glibc-dyn")]);
    assert_eq!(code, 1);
    assert!(out.contains("arch-mismatch"), "{out}");
    assert!(out.contains("ENOEXEC"), "{out}");
}

#[test]
fn unreadable_path_is_exit_2_naming_it() {
    let (code, _, err) = run(&["inspect", "/nonexistent/archcompat-inspect-x"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/archcompat-inspect-x"), "{err}");
    let (code, _, err) = run(&["inspect", "--host", "nonsense/what/ever/x", &fx("empty")]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn sarif_has_one_result_per_problem_located_at_the_file() {
    let dir = format!("{}/../fixtures/bin", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(["inspect", "--host", "linux/amd64", "--format", "sarif"])
        .arg(format!("{dir}/script-crlf.sh"))
        .arg(format!("{dir}/c-s390x-glibc-dyn"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["crlf-line-endings", "arch-mismatch"]);
    assert!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("script-crlf.sh")
    );
}

#[test]
fn a_fifo_is_exit_2_naming_it_and_never_waited_on() {
    let dir = std::env::temp_dir().join(format!("archcompat-cli-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("pipe");
    let ok = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo");
    // Nothing ever writes to the FIFO: a blocking open would hang here.
    let (code, out, err) = run(&["inspect", fifo.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("pipe") && err.contains("FIFO"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_freebsd_program_is_named_for_its_os() {
    let (code, out, err) = run(&[
        "inspect",
        "--json",
        "--host",
        "linux/amd64",
        &fx("elf/freebsd-amd64-static"),
    ]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["platform"]["os"], "freebsd", "{out}");
    assert_eq!(v[0]["details"]["os"], "freebsd", "{out}");
    assert_eq!(v[0]["problems"][0]["code"], "wrong-os-binary", "{out}");
}
