//! `archcompat image` end to end on the bundled example (a committed multi-arch OCI layout whose
//! linux/amd64 entry holds an aarch64 program): verdicts, the contract's JSON shape, SARIF and
//! exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn example() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/hello-multiarch")
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .output()
        .expect("run archcompat")
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let o = run(args);
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code().unwrap(), v)
}

#[test]
fn mislabeled_amd64_entry_wont_run_on_amd64() {
    let ex = example();
    let (code, v) = json(&["image", &ex, "--host", "linux/amd64", "--json"]);
    assert_eq!(code, 1);
    for k in [
        "source",
        "selected",
        "platforms",
        "entrypoint",
        "binaries",
        "verdict",
        "findings",
    ] {
        assert!(v.get(k).is_some(), "missing {k} in {v}");
    }
    assert_eq!(v["verdict"], "wont-run");
    assert_eq!(v["selected"]["platform"]["architecture"], "amd64");
    assert_eq!(v["binaries"]["by_platform"]["linux/arm64"], 1);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"arch-mismatch"), "{codes:?}");
    assert!(codes.contains(&"image-mislabeled"), "{codes:?}");
    assert!(codes.contains(&"attestation-unsupported"), "{codes:?}");
    let ev = &v["findings"][0]["evidence"][0];
    assert_eq!(ev["path"], "/usr/local/bin/hello");
    assert!(ev["layer"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(v["entrypoint"]["file"]["path"], "/usr/local/bin/hello");
    // The arch mismatch comes with a rebuild fix for both platforms.
    let fixes = v["findings"][0]["fixes"].as_array().unwrap();
    assert!(
        fixes.iter().any(|f| f["snippet"]
            .as_str()
            .unwrap()
            .contains("--platform linux/amd64,linux/arm64")),
        "{fixes:?}"
    );
}

#[test]
fn arm64_host_runs_it_and_text_output_reads_well() {
    let ex = example();
    let (code, v) = json(&["image", &ex, "--host", "linux/arm64", "--json"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "runs");
    let o = run(&["image", &ex, "--host", "linux/amd64"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("verdict: wont-run"), "{text}");
    assert!(text.contains("/usr/local/bin/hello"), "{text}");
    assert!(
        o.stderr.is_empty(),
        "no progress bar when stderr is not a terminal"
    );
}

#[test]
fn usage_errors_exit_2() {
    let ex = example();
    let o = run(&["image", "/no/such/thing", "--host", "linux/amd64"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/no/such/thing"));
    let o = run(&["image", &ex, "--host", "linux/amd64", "--max-bytes", "10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("limit"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn hostile_sources_exit_2_naming_the_input_and_the_limit() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("image-cli-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // A FIFO is refused at once, not opened and waited on.
    let fifo = dir.join("pipe.tar");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = run(&["image", fifo.to_str().unwrap(), "--host", "linux/amd64"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("pipe.tar") && err.contains("FIFO"), "{err}");
    // A tiny JSON limit names the document and the limit.
    let o = run(&[
        "image",
        &example(),
        "--host",
        "linux/amd64",
        "--max-json-bytes",
        "16",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        err.contains("index.json") && err.contains("16 bytes"),
        "{err}"
    );
}

#[test]
fn an_unreachable_registry_keeps_the_cause() {
    // A port nothing listens on (bound, then closed): "connection refused" reaches the user.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let src = format!("docker://127.0.0.1:{port}/demo/app:1");
    let o = run(&[
        "image",
        &src,
        "--host",
        "linux/amd64",
        "--registry-timeout",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_lowercase();
    assert!(err.contains("refused") && err.contains(&src), "{err}");
}
