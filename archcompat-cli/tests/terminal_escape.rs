//! Terminal injection: text from the input (an image config's ENTRYPOINT, a file name, a log
//! line, a Dockerfile, a script's shebang) never reaches the terminal with raw control
//! characters; it is shown escaped (`\x1b[2J`), in every text output and on stderr.

use std::path::PathBuf;
use std::process::Command;

const HOSTILE: &str = "\u{1b}[2J\u{1b}[31mverdict: runs\u{1b}]2;pwned\u{7}";

fn run(args: &[&str], stdin: Option<&str>) -> (i32, Vec<u8>, Vec<u8>) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run archcompat");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(pipe);
    let out = child.wait_with_output().expect("wait");
    (out.status.code().unwrap_or(-1), out.stdout, out.stderr)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("archcompat-term-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// No byte a terminal acts on (C0 except \n and \t, DEL, ESC) in the output.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        assert!(
            !(c.is_control() && c != '\n' && c != '\t'),
            "{what}: raw control character {c:?} in {text:?}"
        );
    }
}

#[test]
fn image_entrypoint_with_escape_sequences_is_shown_escaped() {
    let d = scratch("image");
    let cfg = d.join("config.json");
    let doc = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Entrypoint": [HOSTILE], "Cmd": ["--title", "\u{1b}]0;x\u{7}"]},
        "rootfs": {"type": "layers", "diff_ids": []}
    });
    std::fs::write(&cfg, doc.to_string()).unwrap();
    let (code, out, err) = run(
        &["image", cfg.to_str().unwrap(), "--host", "linux/amd64"],
        None,
    );
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&err)
    );
    assert_clean("image stdout", &out);
    assert_clean("image stderr", &err);
    let text = String::from_utf8_lossy(&out);
    // Shown, visibly escaped (`\x1b[2J` or `\u{1b}[2J`), not acted on.
    assert!(
        text.contains("\\x1b[2J") || text.contains("\\u{1b}[2J"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn file_names_scripts_logs_and_dockerfiles_are_escaped() {
    let d = scratch("files");
    // A file name with escapes, holding a script whose shebang carries more.
    let name = d.join("run\u{1b}[2Jme.sh");
    std::fs::write(&name, format!("#!/bin/sh -e{HOSTILE}\r\necho hi\r\n")).unwrap();
    let (code, out, err) = run(
        &["inspect", "--host", "linux/amd64", name.to_str().unwrap()],
        None,
    );
    assert!(code == 0 || code == 1, "exit {code}");
    assert_clean("inspect stdout", &out);
    assert_clean("inspect stderr", &err);
    assert!(String::from_utf8_lossy(&out).contains("run\\x1b[2Jme.sh"));

    // A missing file with escapes in its name: the error line on stderr is escaped too.
    let missing = d.join(format!("nope{HOSTILE}"));
    let (code, out, err) = run(&["inspect", missing.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert_clean("inspect error stdout", &out);
    assert_clean("inspect error stderr", &err);
    assert!(String::from_utf8_lossy(&err).contains("nope\\x1b[2J"));

    // A log line.
    let log = format!("exec /usr/local/bin/app{HOSTILE}: exec format error\n");
    let (code, out, err) = run(&["explain", "-"], Some(&log));
    assert!(code == 0 || code == 1, "exit {code}");
    assert_clean("explain stdout", &out);
    assert_clean("explain stderr", &err);

    // A Dockerfile line that a rule echoes.
    let df = format!("FROM golang:1.22\nRUN GOARCH=amd64 go build -o /app{HOSTILE} .\n");
    let (code, out, err) = run(&["lint", "-"], Some(&df));
    assert!(code == 0 || code == 1, "exit {code}");
    assert_clean("lint stdout", &out);
    assert_clean("lint stderr", &err);
    let _ = std::fs::remove_dir_all(d);
}
