//! `archcompat lint` end to end: exit codes, JSON shape, rustc-style text, bad input.

use std::process::Command;

fn lint(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../fixtures/dockerfiles/{name}/Dockerfile",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn json_follows_the_contract_and_fail_on_sets_the_exit_code() {
    let (code, out, _) = lint(&[&fixture("download-url"), "--json"]);
    assert_eq!(code, 0, "warnings only, default --fail-on error");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "hardcoded-arch");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["location"]["line"], 4);
    assert!(
        f["fixes"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("TARGETARCH")
    );
    let (code, _, _) = lint(&[&fixture("download-url"), "--json", "--fail-on", "warning"]);
    assert_eq!(code, 1);
    let (code, out, _) = lint(&[&fixture("go-cross-ok"), "--json", "--fail-on", "info"]);
    assert_eq!((code, out.contains("\"findings\": []")), (0, true));
}

#[test]
fn text_is_rustc_style_with_carets_and_help() {
    let (code, out, _) = lint(&[&fixture("arg-default")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[hardcoded-arch]: ARG TARGETARCH=amd64 overrides"),
        "{out}"
    );
    assert!(
        out.contains("2 | ARG TARGETARCH=amd64\n  |     ^^^^^^^^^^^^^^^^"),
        "{out}"
    );
    assert!(
        out.contains("= help: Declare TARGETARCH without a default"),
        "{out}"
    );
}

#[test]
fn context_scripts_are_checked_and_stdin_works() {
    let (code, out, _) = lint(&[&fixture("context-scripts"), "--json"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("lfs-pointer") && out.contains("crlf-line-endings"),
        "{out}"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(["lint", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM --platform=linux/arm64 alpine\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["location"]["path"], "-");
}

#[test]
fn unreadable_input_exits_2_naming_it() {
    let (code, _, err) = lint(&["/nonexistent/Dockerfile"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/Dockerfile"), "{err}");
}

fn lint_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .arg("lint")
        .args(args)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // The reader may stop early (at the cap): a broken pipe here is expected.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn stdin_is_capped_like_a_file() {
    let big = vec![b'#'; 5 * 1024 * 1024];
    let (code, _, err) = lint_stdin(&[], &big);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("4194304") && err.contains('-'), "{err}");
}

#[test]
fn every_output_format_is_redacted_unless_no_redact() {
    let secret = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    let df = format!("FROM golang\nRUN GITHUB_TOKEN={secret} GOARCH=amd64 go build -o /app .\n");
    for fmt in ["text", "json", "sarif"] {
        let (code, out, err) = lint_stdin(&["--format", fmt], df.as_bytes());
        assert_eq!(code, 1, "{fmt}: {err}");
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "{fmt}: {out}"
        );
        assert!(out.contains("GOARCH"), "{fmt}: {out}");
    }
    let (_, out, _) = lint_stdin(&["--no-redact", "--format", "json"], df.as_bytes());
    assert!(out.contains(secret));
}

#[test]
fn several_files_in_one_call_one_document() {
    let bad = fixture("go-hardcoded");
    let good = fixture("go-cross-ok");
    assert!(std::path::Path::new(&good).exists(), "{good}");
    let (code, out, err) = lint(&[&good, &bad, "--json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert!(
        !paths.is_empty() && paths.iter().all(|p| *p == bad),
        "{paths:?}"
    );
    // Text: one block per file, in the order given, each with its summary line.
    let (code, out, _) = lint(&[&good, &bad]);
    assert_eq!(code, 1);
    let g = out.find(&format!("{good}: 0 error(s)")).expect(&out);
    let b = out.find(&format!("{bad}: ")).expect(&out);
    assert!(g < b, "{out}");
    // SARIF: every file's results in one log.
    let (_, out, _) = lint(&[&bad, &good, "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
    // A missing file among them is an error naming it; stdin goes alone.
    let (code, _, err) = lint(&[&good, "/nonexistent/Dockerfile"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/Dockerfile"), "{err}");
    let (code, _, err) = lint(&["-", &good]);
    assert_eq!(code, 2);
    assert!(err.contains("standard input"), "{err}");
}
