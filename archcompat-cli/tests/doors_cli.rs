//! `archcompat redact`, `archcompat detect` and `archcompat image -`: the web page's operations
//! from the command line, on real inputs (the collected real logs, the bundled Dockerfiles,
//! the redaction parity inputs, and an OCI archive of the bundled multi-arch example). The JSON
//! equals what the core returns for the same text; the text modes, exit codes and refusals
//! follow the contract.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run archcompat");
    if let Some(bytes) = stdin {
        let mut i = child.stdin.take().unwrap();
        // The command may stop reading early (a refused input); a broken pipe is fine.
        let _ = i.write_all(bytes);
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The real logs, the parity inputs and every bundled Dockerfile.
fn real_texts() -> Vec<PathBuf> {
    // Every 10th collected real log (a process per input; the debug build's redaction is slow).
    let mut v: Vec<PathBuf> = Vec::new();
    let mut real: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/logs/real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    real.sort();
    v.extend(real.into_iter().step_by(10));
    for e in std::fs::read_dir(root().join("fixtures/redact/parity")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            v.push(p);
        }
    }
    for e in std::fs::read_dir(root().join("fixtures/dockerfiles")).unwrap() {
        let p = e.unwrap().path().join("Dockerfile");
        if p.is_file() {
            v.push(p);
        }
    }
    v.sort();
    assert!(v.len() > 20, "{v:?}");
    v
}

#[test]
fn redact_json_is_the_core_report_for_every_real_input() {
    for p in real_texts() {
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        let want =
            serde_json::to_value(archcompat::redact_report(&text, &Default::default())).unwrap();
        let out = run(&["redact", "--json", p.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{}", p.display());
        assert_eq!(json(&out), want, "{}", p.display());
    }
}

#[test]
fn redact_text_is_a_filter_and_no_listed_secret_survives() {
    let parity = root().join("fixtures/redact/parity");
    let secrets: Vec<String> = std::fs::read_to_string(parity.join("secrets.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect();
    for name in ["crash.log", "command.txt", "Dockerfile", "compose.yaml"] {
        let bytes = std::fs::read(parity.join(name)).unwrap();
        let out = run(&["redact", "-"], Some(&bytes));
        assert_eq!(out.status.code(), Some(0));
        let report = archcompat::redact_report(
            &String::from_utf8_lossy(&bytes),
            &archcompat::RedactOptions::default(),
        );
        // Standard output is the redacted text, byte for byte (no newline added).
        assert_eq!(String::from_utf8_lossy(&out.stdout), report.text, "{name}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        for s in &secrets {
            assert!(!stdout.contains(s.as_str()), "{name}: {s} survived");
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("redacted {} secret(s)", report.total)),
            "{name}: {err}"
        );
        let quiet = run(&["redact", "-q", "-"], Some(&bytes));
        assert!(quiet.stderr.is_empty());
        assert_eq!(quiet.stdout, out.stdout);
    }
    // The options reach the core: an ARN's account id is kept with --no-account-ids.
    let arn = b"role arn:aws:iam::123456789012:role/deploy\n";
    let on = run(&["redact", "--json", "-"], Some(arn));
    assert_eq!(json(&on)["counts"]["account-id"], 1);
    let off = run(&["redact", "--json", "--no-account-ids", "-"], Some(arn));
    assert_eq!(json(&off)["total"], 0);
    assert!(
        json(&off)["text"]
            .as_str()
            .unwrap()
            .contains("123456789012")
    );
    // --no-redact: the text as given, nothing counted.
    let none = run(
        &["redact", "--json", "--no-redact", "-"],
        Some(b"-p hunter2pass"),
    );
    assert_eq!(json(&none)["text"], "-p hunter2pass");
    assert_eq!(json(&none)["total"], 0);
}

#[test]
fn detect_names_every_real_input_as_the_core_does() {
    let mut seen = std::collections::BTreeSet::new();
    for p in real_texts() {
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        let want = serde_json::to_value(archcompat::detect_input(&text)).unwrap();
        let out = run(&["detect", "--json", p.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{}", p.display());
        assert_eq!(json(&out), want, "{}", p.display());
        let text_out = run(&["detect", p.to_str().unwrap()], None);
        assert_eq!(
            String::from_utf8_lossy(&text_out.stdout).trim(),
            want.as_str().unwrap()
        );
        if p.file_name().unwrap() == "Dockerfile" {
            assert_eq!(want, "dockerfile", "{}", p.display());
        }
        if p.parent().unwrap().ends_with("real") {
            assert_eq!(want, "log", "{}", p.display());
        }
        seen.insert(want.as_str().unwrap().to_string());
    }
    // Every kind occurs among the real inputs (the parity command and compose file).
    assert_eq!(seen.len(), 4, "{seen:?}");
    let out = run(
        &["detect", "-"],
        Some(b"$ docker buildx build \\\n  -t app .\n"),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "command\n");
}

/// An OCI archive of the bundled example (`tar` of its layout), made with the system's tar.
fn example_archive() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("doors-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let tar = dir.join("hello-multiarch.oci.tar");
    let st = Command::new("tar")
        .arg("-C")
        .arg(root().join("examples/hello-multiarch"))
        .arg("-cf")
        .arg(&tar)
        .arg(".")
        .status()
        .unwrap();
    assert!(st.success());
    tar
}

#[test]
fn image_from_stdin_equals_image_from_the_file() {
    let tar = example_archive();
    let bytes = std::fs::read(&tar).unwrap();
    for (host, code) in [("linux/amd64", 1), ("aws-graviton2", 0)] {
        let by_file = run(
            &["image", tar.to_str().unwrap(), "--host", host, "--json"],
            None,
        );
        let by_stdin = run(&["image", "-", "--host", host, "--json"], Some(&bytes));
        assert_eq!(by_stdin.status.code(), Some(code), "{host}");
        assert_eq!(by_file.status.code(), Some(code), "{host}");
        let (mut a, mut b) = (json(&by_file), json(&by_stdin));
        assert_eq!(b["source"], "-");
        a.as_object_mut().unwrap().remove("source");
        b.as_object_mut().unwrap().remove("source");
        assert_eq!(a, b, "{host}");
    }
    let text = run(&["image", "-", "--host", "linux/amd64"], Some(&bytes));
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(
        s.contains("image   -") && s.contains("verdict: wont-run"),
        "{s}"
    );
}

#[test]
fn image_from_stdin_refuses_what_it_cannot_read_with_exit_2() {
    let bytes = std::fs::read(example_archive()).unwrap();
    let err = |out: &Output| String::from_utf8_lossy(&out.stderr).into_owned();
    let small = run(&["image", "-", "--max-bytes", "4096"], Some(&bytes));
    assert_eq!(small.status.code(), Some(2));
    assert!(
        err(&small).contains("-: limit exceeded: more than 4096 bytes on standard input")
            && err(&small).contains("--max-bytes"),
        "{}",
        err(&small)
    );
    let gz = Command::new("gzip")
        .arg("-c")
        .arg(example_archive())
        .output()
        .unwrap()
        .stdout;
    let out = run(&["image", "-"], Some(&gz));
    assert_eq!(out.status.code(), Some(2));
    assert!(err(&out).contains("gzip"), "{}", err(&out));
    let index = std::fs::read(root().join("examples/hello-multiarch/index.json")).unwrap();
    let out = run(&["image", "-"], Some(&index));
    assert_eq!(out.status.code(), Some(2));
    assert!(err(&out).contains("pass JSON as a file"), "{}", err(&out));
    let out = run(&["image", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(2));
    assert!(err(&out).contains("empty"), "{}", err(&out));
    // A truncated archive is the core's malformed-input error, not a panic.
    let out = run(
        &["image", "-", "--host", "linux/amd64"],
        Some(&bytes[..3000]),
    );
    assert_eq!(out.status.code(), Some(2), "{}", err(&out));
    let out = run(&["image", "-", "--verify"], Some(&bytes));
    assert_eq!(out.status.code(), Some(2));
}
