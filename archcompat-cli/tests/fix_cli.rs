//! `archcompat fix` end to end: fixes by cause code, command and file rewrites, bad input.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fix_for_a_code_gives_contract_json_with_real_values() {
    let (code, out, _) = run(&[
        "fix",
        "--for",
        "no-matching-manifest",
        "--host",
        "raspberry-pi-32bit",
        "--platform",
        "linux/amd64,linux/arm64",
        "--image",
        "mariadb:11",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fixes = v["fixes"].as_array().unwrap();
    assert!(fixes.iter().any(|f| f["id"] == "arm32-userland"), "{out}");
    assert!(
        fixes
            .iter()
            .all(|f| f["applies_to"].is_string() && f["snippet"].is_string())
    );
    assert!(out.contains("docker buildx imagetools inspect mariadb:11"));
}

#[test]
fn rewrites_show_a_diff_and_keep_arguments() {
    let (code, out, _) = run(&[
        "fix",
        "--from-command",
        "docker run --rm -e 'A=b c' mysql:5.7",
        "--platform",
        "linux/amd64",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["rewrite"]["rewritten"],
        "docker run --platform linux/amd64 --rm -e 'A=b c' mysql:5.7"
    );
    assert_eq!(v["rewrite"]["argv"][6], "A=b c");
    let compose = format!(
        "{}/../fixtures/rewrite/compose.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, out, _) = run(&[
        "fix",
        "--file",
        &compose,
        "--platform",
        "linux/amd64",
        "--service",
        "db",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("+    platform: linux/amd64"), "{out}");
    let df = format!(
        "{}/../fixtures/dockerfiles/arg-default/Dockerfile",
        env!("CARGO_MANIFEST_DIR")
    );
    let (_, out, _) = run(&["fix", "--file", &df]);
    assert!(out.is_empty() || out.contains("+ARG TARGETARCH"));
}

#[test]
fn secrets_in_commands_are_redacted_unless_asked() {
    let cmd = "docker run -e AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY app";
    let (_, out, _) = run(&[
        "fix",
        "--from-command",
        cmd,
        "--platform",
        "linux/amd64",
        "--json",
    ]);
    assert!(
        !out.contains("wJalrXUtnFEMI") && out.contains("[REDACTED]"),
        "{out}"
    );
    let (_, out, _) = run(&[
        "--no-redact",
        "fix",
        "--from-command",
        cmd,
        "--platform",
        "linux/amd64",
        "--json",
    ]);
    assert!(out.contains("wJalrXUtnFEMI"));
}

#[test]
fn bad_input_exits_2() {
    assert_eq!(run(&["fix", "--for", "exec-format"]).0, 2);
    assert_eq!(
        run(&["fix", "--from-command", "docker run x"]).0,
        2,
        "no platform given"
    );
    assert_eq!(
        run(&[
            "fix",
            "--from-command",
            "kubectl apply -f x",
            "--platform",
            "linux/amd64"
        ])
        .0,
        2
    );
    let (code, _, err) = run(&[
        "fix",
        "--file",
        "/nonexistent/compose.yaml",
        "--platform",
        "linux/amd64",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/compose.yaml"));
}
