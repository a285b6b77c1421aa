//! `image --verify` for real: Debian busybox-static (amd64, arm64, armhf, s390x) and a Go
//! riscv64 program started in a bwrap sandbox, the foreign ones under Debian's
//! qemu-user-static; a program without its libc and one that crashes (static verdict `runs`,
//! caught by the run); a mislabeled image; a missing emulator and a missing bwrap.

mod verify_support;

use archcompat::{
    Host, Options, Platform, Verdict, VerifiedImage, VerifyOptions, VerifyOutcome as Outcome,
    verify_image,
};
use std::time::Duration;
use verify_support::image;

fn host(spec: &str) -> Host {
    Host::from_platform(spec.parse::<Platform>().unwrap())
}

fn run(tag: &str, h: &str, v: &VerifyOptions) -> VerifiedImage {
    verify_image(&image(tag), &host(h), &Options::default(), v).unwrap()
}

#[test]
fn foreign_busybox_and_go_run_under_qemu() {
    let v = VerifyOptions::default();
    for (tag, h, emu, out) in [
        (
            "busybox-arm64",
            "linux/arm64",
            "qemu-aarch64-static",
            "aarch64",
        ),
        ("busybox-armhf", "linux/arm/v7", "qemu-arm-static", "armv7l"),
        ("busybox-s390x", "linux/s390x", "qemu-s390x-static", "s390x"),
        ("riscv64", "linux/riscv64", "qemu-riscv64-static", "hello"),
    ] {
        let r = run(tag, h, &v);
        let x = &r.verify;
        assert_eq!(r.report.verdict, Verdict::Runs, "{tag}");
        assert_eq!(x.outcome, Outcome::Ran, "{tag}: {x:?}");
        assert!(x.started && x.agrees_with_verdict && !x.timed_out, "{tag}");
        assert_eq!(x.exit_code, Some(0), "{tag}");
        assert!(
            x.emulator.as_deref().unwrap().starts_with(emu),
            "{tag}: {x:?}"
        );
        let printed = format!("{}{}", x.stdout_tail, x.stderr_tail);
        assert_eq!(printed.trim(), out, "{tag}");
    }
}

#[test]
fn native_run_has_the_images_env_workdir_and_a_closed_sandbox() {
    let v = VerifyOptions {
        command: Some(vec![
            "sh".into(),
            "-c".into(),
            "echo $GREETING; pwd; touch /x 2>/dev/null && echo rw || echo ro; touch /tmp/y && echo tmp-ok; grep -c : /proc/net/dev".into(),
        ]),
        ..VerifyOptions::default()
    };
    let r = run("busybox-amd64", "linux/amd64", &v);
    let x = &r.verify;
    assert_eq!(x.outcome, Outcome::Ran, "{x:?}");
    assert!(x.emulator.is_none());
    // Only the loopback interface: no network.
    assert_eq!(
        x.stdout_tail, "hello-from-env\n/tmp\nro\ntmp-ok\n1\n",
        "{x:?}"
    );
    assert_eq!(x.argv[0], "/bin/busybox");
}

#[test]
fn static_runs_but_the_program_fails() {
    let v = VerifyOptions::default();
    let r = run("nolibs", "linux/amd64", &v);
    assert_eq!(r.report.verdict, Verdict::Runs);
    assert_eq!(r.verify.outcome, Outcome::MissingLibrary);
    assert!(!r.verify.started && !r.verify.agrees_with_verdict);
    assert_eq!(r.verify.exit_code, Some(127));
    assert!(r.verify.stderr_tail.contains("libc.so.6"));
    assert!(r.verify.message.starts_with("CONTRADICTS"));

    let r = run("crash", "linux/amd64", &v);
    assert_eq!(r.report.verdict, Verdict::Runs);
    assert_eq!(r.verify.outcome, Outcome::Crashed);
    assert_eq!(r.verify.signal, Some(11));
    assert!(r.verify.started && !r.verify.agrees_with_verdict);
}

#[test]
fn foreign_programs_fail_as_they_would_on_the_host() {
    let v = VerifyOptions::default();
    // Mislabeled: the config says amd64, the program is arm64: run natively, exec fails.
    let r = run("liar", "linux/amd64", &v);
    assert_eq!(r.report.verdict, Verdict::WontRun);
    assert_eq!(r.verify.outcome, Outcome::ExecFormatError, "{:?}", r.verify);
    assert!(!r.verify.started && r.verify.agrees_with_verdict);
    // An arm64 host has no riscv64 emulator: its CPU (emulated) rejects the program.
    let r = run("riscv64", "linux/arm64", &v);
    assert_eq!(r.verify.outcome, Outcome::ExecFormatError, "{:?}", r.verify);
    assert!(r.verify.agrees_with_verdict);
    // A static riscv64 program on this amd64 machine without emulation.
    let r = run("riscv64", "linux/amd64", &v);
    assert_eq!(r.verify.outcome, Outcome::ExecFormatError, "{:?}", r.verify);
    // An armv7 busybox on an ARMv6 CPU model: SIGILL.
    let r = run("busybox-armhf", "linux/arm/v6", &v);
    assert_eq!(
        r.verify.outcome,
        Outcome::IllegalInstruction,
        "{:?}",
        r.verify
    );
    assert_eq!(r.verify.signal, Some(4));
    assert!(r.verify.emulator.as_deref().unwrap().contains("arm1176"));
}

#[test]
fn a_program_still_running_at_the_limit_counts_as_started() {
    let v = VerifyOptions {
        timeout: Duration::from_millis(300),
        ..VerifyOptions::default()
    };
    let r = run("sleeper", "linux/amd64", &v);
    assert_eq!(r.verify.outcome, Outcome::TimedOut);
    assert!(r.verify.started && r.verify.timed_out && r.verify.agrees_with_verdict);
}

#[test]
fn missing_emulator_or_sandbox_is_a_clear_error() {
    let empty = std::env::temp_dir().join(format!("archcompat-noemu-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let v = VerifyOptions {
        emulator_dir: Some(empty.clone()),
        ..VerifyOptions::default()
    };
    let e = verify_image(
        &image("busybox-arm64"),
        &host("linux/arm64"),
        &Options::default(),
        &v,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("qemu-aarch64-static") && e.contains("qemu-user-static"),
        "{e}"
    );
    let _ = std::fs::remove_dir(&empty);
    let v = VerifyOptions {
        bwrap: Some("/nonexistent/bwrap".into()),
        ..VerifyOptions::default()
    };
    let e = verify_image(
        &image("busybox-amd64"),
        &host("linux/amd64"),
        &Options::default(),
        &v,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("bubblewrap"), "{e}");
}

#[test]
fn json_has_the_contract_shape() {
    let r = run("busybox-arm64", "linux/arm64", &VerifyOptions::default());
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["verdict"], "runs");
    let v = &j["verify"];
    for k in [
        "started",
        "timed_out",
        "emulator",
        "stderr_tail",
        "agrees_with_verdict",
        "exit_code",
    ] {
        assert!(v.get(k).is_some(), "{k} missing in {v}");
    }
    assert!(v.get("signal").is_none());
}
