//! How the command writes: one buffered document, a closed stdout ends it quietly, and
//! `inspect`'s parallel reads keep the order of the arguments. Run on the committed fixtures
//! and on real files of this machine (/usr/bin).

use serde_json::Value;
use std::io::Read;
use std::process::{Command, Stdio};

const FX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/bin/");

/// The fixtures (every kind of file) followed by up to 400 real files from /usr/bin, in a
/// shuffled but deterministic order, each fixture several times.
fn many_paths() -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    let mut fixtures: Vec<String> = std::fs::read_dir(FX)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path().display().to_string())
        .collect();
    fixtures.sort();
    for round in 0..3 {
        for (i, f) in fixtures.iter().enumerate() {
            if (i + round) % 2 == 0 {
                paths.push(f.clone());
            }
        }
    }
    let mut usr: Vec<String> = std::fs::read_dir("/usr/bin")
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path().display().to_string())
                .collect()
        })
        .unwrap_or_default();
    usr.sort();
    usr.truncate(400);
    // Interleave: a file of /usr/bin after every fixture, reversed, so order is not sorted.
    usr.reverse();
    let mut out = Vec::new();
    let mut u = usr.into_iter();
    for p in paths {
        out.push(p);
        if let Some(x) = u.next() {
            out.push(x);
        }
    }
    out.extend(u);
    out
}

fn run(args: &[String]) -> (i32, String, String) {
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

#[test]
fn inspect_keeps_argument_order_in_json_and_text() {
    let paths = many_paths();
    assert!(paths.len() > 100, "{}", paths.len());
    let mut args: Vec<String> = vec!["inspect".into(), "--json".into(), "--host".into()];
    args.push("linux/amd64".into());
    args.extend(paths.iter().cloned());
    let (code, out, err) = run(&args);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let v: Value = serde_json::from_str(&out).expect("exactly one JSON document");
    let got: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(got, paths.iter().map(String::as_str).collect::<Vec<_>>());
    // Each entry is what inspecting that file alone gives.
    for i in [0, 1, paths.len() / 2, paths.len() - 1] {
        let (_, one, _) = run(&[
            "inspect".into(),
            "--json".into(),
            "--host".into(),
            "linux/amd64".into(),
            paths[i].clone(),
        ]);
        let one: Value = serde_json::from_str(&one).unwrap();
        assert_eq!(one[0], v[i], "{}", paths[i]);
    }

    args.remove(1);
    let (code, text, err) = run(&args);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let rows: Vec<&str> = text
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split("  ").next().unwrap())
        .take(paths.len())
        .collect();
    for (row, p) in rows.iter().zip(&paths) {
        // Long paths are not padded; the row starts with the path either way.
        assert!(p.starts_with(row.trim_end()), "{row:?} vs {p:?}");
    }
}

#[test]
fn the_first_failing_path_in_argument_order_is_reported() {
    let mut paths = many_paths();
    let mid = paths.len() / 2;
    paths.insert(mid, "/nonexistent/first-missing".into());
    paths.push("/nonexistent/second-missing".into());
    let mut args: Vec<String> = vec!["inspect".into(), "--json".into()];
    args.extend(paths);
    let (code, out, err) = run(&args);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("/nonexistent/first-missing"), "{err}");
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut args: Vec<String> = vec!["inspect".into(), "--json".into()];
    // Enough output to fill a pipe's buffer many times over.
    for _ in 0..20 {
        args.extend(many_paths());
    }
    for fmt in [None, Some("--json")] {
        let mut a = args.clone();
        if fmt.is_none() {
            a.remove(1);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_archcompat"))
            .args(&a)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take()); // the reader goes away, as `| head -c 16` does
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.code() == Some(0),
            "{:?}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
