//! Redaction parity: the same secret-laden Dockerfile, compose file, command, image config,
//! script and log (`fixtures/redact/parity/`) through every command and output format (text,
//! JSON, SARIF, stderr) of the CLI. No secret survives; digests, platforms, image references
//! and positions stay intact; `--no-redact` is the one switch that shows them.
//! (The Python and Node bindings run the same inputs in their own test suites.)

use std::process::Command;

const P: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/redact/parity/");

fn secrets() -> Vec<String> {
    std::fs::read_to_string(format!("{P}secrets.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Run archcompat; stdout and stderr together, and the exit code.
fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .output()
        .expect("run archcompat");
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), s)
}

fn p(name: &str) -> String {
    format!("{P}{name}")
}

/// Every command × format over the parity inputs, with what must stay in each output.
fn cases() -> Vec<(String, Vec<String>, Vec<&'static str>)> {
    let cmd = std::fs::read_to_string(p("command.txt")).unwrap();
    let cmd = cmd.trim().to_string();
    let mut v: Vec<(String, Vec<String>, Vec<&'static str>)> = Vec::new();
    let fmts: [&[&str]; 3] = [&[], &["--json"], &["--format", "sarif"]];
    for f in fmts {
        let mut a = vec![
            "lint".to_string(),
            p("Dockerfile"),
            "--fail-on".into(),
            "none".into(),
        ];
        a.extend(f.iter().map(|s| s.to_string()));
        v.push((format!("lint {f:?}"), a, vec!["GOARCH=amd64"]));
        let mut a = vec![
            "image".to_string(),
            p("config.json"),
            "--host".into(),
            "linux/amd64".into(),
        ];
        a.extend(f.iter().map(|s| s.to_string()));
        v.push((format!("image {f:?}"), a, vec![]));
        let mut a = vec![
            "inspect".to_string(),
            "--host".into(),
            "linux/amd64".into(),
            p("script.sh"),
        ];
        a.extend(f.iter().map(|s| s.to_string()));
        // SARIF lists problems only (this script has none on linux/amd64).
        let keep = if f.len() == 2 {
            vec![]
        } else {
            vec!["script.sh"]
        };
        v.push((format!("inspect {f:?}"), a, keep));
        let mut a = vec!["explain".to_string(), p("crash.log")];
        a.extend(f.iter().map(|s| s.to_string()));
        v.push((
            format!("explain {f:?}"),
            a,
            vec!["linux/amd64", "linux/arm64"],
        ));
    }
    for f in [&[][..], &["--json"][..]] {
        let mut a = vec![
            "fix".to_string(),
            "--from-command".into(),
            cmd.clone(),
            "--platform".into(),
            "linux/amd64,linux/arm64".into(),
        ];
        a.extend(f.iter().map(|s| s.to_string()));
        v.push((
            format!("fix --from-command {f:?}"),
            a,
            vec!["ghcr.io/acme/api:1.4", "linux/arm64"],
        ));
        for file in ["compose.yaml", "Dockerfile"] {
            let mut a = vec![
                "fix".to_string(),
                "--file".into(),
                p(file),
                "--platform".into(),
                "linux/arm64".into(),
            ];
            a.extend(f.iter().map(|s| s.to_string()));
            v.push((format!("fix --file {file} {f:?}"), a, vec![]));
        }
        let mut a = vec![
            "fix".to_string(),
            "--for".into(),
            "arch-mismatch".into(),
            "--host".into(),
            "linux/arm64".into(),
            "--platform".into(),
            "linux/amd64".into(),
            "--image".into(),
            "ghcr.io/acme/api:1.4".into(),
        ];
        a.extend(f.iter().map(|s| s.to_string()));
        v.push((format!("fix --for {f:?}"), a, vec!["ghcr.io/acme/api:1.4"]));
    }
    // Errors (stderr): inputs that fail, naming a secret-laden input.
    v.push((
        "image docker:// error".into(),
        vec![
            "image".into(),
            "docker://robot:ParityRobotPass@127.0.0.1:1/app:1".into(),
            "--host".into(),
            "linux/amd64".into(),
        ],
        vec![],
    ));
    v.push((
        "inspect missing file error".into(),
        vec![
            "inspect".into(),
            "docker login -u ci -p ParityLoginPass99 ghcr.io".into(),
        ],
        vec![],
    ));
    v.push((
        "fix --from-command error".into(),
        vec![
            "fix".into(),
            "--from-command".into(),
            "docker login -u ci -pParityLoginPass99 ghcr.io".into(),
            "--platform".into(),
            "linux/arm64".into(),
        ],
        vec![],
    ));
    v
}

#[test]
fn no_secret_survives_any_command_or_format() {
    let secrets = secrets();
    assert!(secrets.len() >= 15);
    for (label, args, keep) in cases() {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out) = run(&argv);
        assert!((0..=2).contains(&code), "{label}: exit {code}\n{out}");
        for s in &secrets {
            assert!(
                !out.contains(s.as_str()),
                "{label}: secret {s:?} survived:\n{out}"
            );
        }
        for k in keep {
            assert!(out.contains(k), "{label}: {k:?} was lost:\n{out}");
        }
    }
}

#[test]
fn positions_digests_and_references_stay() {
    let (_, out) = run(&["lint", &p("Dockerfile"), "--json", "--fail-on", "none"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lines: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["line"].as_u64())
        .collect();
    assert!(lines.contains(&5), "GOARCH finding on line 5: {lines:?}");
    let digest =
        "ghcr.io/acme/api@sha256:3f1c3e0a2b9d8c7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";
    let (_, out) = run(&[
        "fix",
        "--from-command",
        &format!("docker run --platform linux/amd64 {digest}"),
        "--platform",
        "linux/arm64",
    ]);
    assert!(out.contains(digest), "{out}");
}

#[test]
fn no_redact_is_the_one_switch() {
    let (_, out) = run(&[
        "--no-redact",
        "image",
        &p("config.json"),
        "--host",
        "linux/amd64",
    ]);
    assert!(out.contains("ParityEntrypointPw"), "{out}");
    let (_, out) = run(&[
        "--no-redact",
        "inspect",
        "--host",
        "linux/amd64",
        &p("script.sh"),
    ]);
    assert!(out.contains("ParityShebangPass"), "{out}");
    let (_, out) = run(&[
        "lint",
        "--no-redact",
        &p("Dockerfile"),
        "--json",
        "--fail-on",
        "none",
    ]);
    assert!(
        out.contains("ghp_ParityA1b2C3d4E5f6G7h8I9j0K1l2M3n4"),
        "{out}"
    );
    // The private keys and Docker config `auths` of the inputs reach each output unredacted,
    // so the redacted runs above really are protected by redaction.
    for s in ["ParityKeyTail", "cGFyaXR5OkF1dGhaOQ"] {
        assert!(out.contains(s), "lint: {s}\n{out}");
    }
    let (_, out) = run(&["--no-redact", "explain", &p("crash.log"), "--json"]);
    for s in ["ParityKeyTail", "cGFyaXR5OkF1dGhaOQ", "Y2k6RXNjQXV0aDc"] {
        assert!(out.contains(s), "explain: {s}\n{out}");
    }
    let cmd = std::fs::read_to_string(p("command.txt")).unwrap();
    let (_, out) = run(&[
        "--no-redact",
        "fix",
        "--from-command",
        cmd.trim(),
        "--platform",
        "linux/amd64,linux/arm64",
    ]);
    for s in ["ParityKeyTail", "cGFyaXR5OkF1dGhaOQ"] {
        assert!(out.contains(s), "fix --from-command: {s}\n{out}");
    }
    let (_, out) = run(&[
        "--no-redact",
        "image",
        &p("config.json"),
        "--host",
        "linux/amd64",
        "--json",
    ]);
    for s in ["ParityKeyTail", "cGFyaXR5OkF1dGhaOQ"] {
        assert!(out.contains(s), "image: {s}\n{out}");
    }
}
