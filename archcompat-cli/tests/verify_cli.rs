//! `archcompat image --verify` end to end: text and JSON, exit codes (0 when it runs, 1 when
//! the run contradicts a `runs` verdict, 2 for a missing emulator naming the Debian package).

#[path = "../../archcompat/tests/verify_support/mod.rs"]
mod verify_support;

use std::process::{Command, Output};
use verify_support::image;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .output()
        .expect("run archcompat")
}

#[test]
fn arm64_busybox_runs_under_qemu_and_agrees() {
    let src = image("busybox-arm64");
    let o = run(&["image", &src, "--host", "linux/arm64", "--verify", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "runs");
    assert_eq!(v["verify"]["started"], true);
    assert_eq!(v["verify"]["agrees_with_verdict"], true);
    assert_eq!(
        v["verify"]["emulator"],
        "qemu-aarch64-static -cpu cortex-a57"
    );
    assert_eq!(v["verify"]["stdout_tail"], "aarch64\n");
    // --verify-cmd replaces CMD and keeps ENTRYPOINT (/bin/busybox).
    let o = run(&[
        "image",
        &src,
        "--host",
        "linux/arm64",
        "--verify",
        "--verify-cmd",
        "echo 'hi  there'",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["verify"]["argv"],
        serde_json::json!(["/bin/busybox", "echo", "hi  there"])
    );
    assert_eq!(v["verify"]["stdout_tail"], "hi  there\n");
}

#[test]
fn a_crash_behind_a_runs_verdict_is_loud_and_exits_1() {
    let o = run(&[
        "image",
        &image("crash"),
        "--host",
        "linux/amd64",
        "--verify",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("verdict: runs"), "{text}");
    assert!(
        text.contains("!!! CONTRADICTS the static verdict `runs`"),
        "{text}"
    );
    assert!(text.contains("SIGSEGV"), "{text}");
}

#[test]
fn missing_emulator_exits_2_naming_the_package() {
    let empty = std::env::temp_dir().join(format!("archcompat-cli-noemu-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(&[
        "image",
        &image("busybox-s390x"),
        "--host",
        "linux/s390x",
        "--verify",
        "--emulator-dir",
        empty.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_dir(&empty);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("qemu-s390x-static") && e.contains("qemu-user-static"),
        "{e}"
    );
    // Flags of --verify need --verify.
    let o = run(&["image", &image("crash"), "--verify-cmd", "x"]);
    assert_eq!(o.status.code(), Some(2));
}
