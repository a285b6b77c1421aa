//! Regression tests for lint under hostile or unusual input (issue 14) and for the Dockerfile
//! patterns of issue 10: bounded work per finding, bounded echo, capped input streams, the build
//! context read as BuildKit reads it (links resolved inside the root, `.dockerignore`, only the
//! scripts something runs), and redaction of everything lint echoes.

use crate::Redaction;
use crate::dockerfile::rules::MAX_ECHO_BYTES;
use crate::dockerfile::{
    Hazard, LintOptions, MAX_DOCKERFILE_BYTES, lint_path_with, read_dockerfile_from,
};
use crate::finding::Finding;
use std::path::Path;

fn opts() -> LintOptions {
    LintOptions::default()
}

/// The hazards with their fixes attached from the catalogue, as the lint pipeline does.
fn hazards(text: &str, opts: &LintOptions) -> crate::Result<Vec<Hazard>> {
    let mut hz = crate::dockerfile::hazards(text, opts)?;
    for h in &mut hz {
        crate::fix::attach(std::slice::from_mut(&mut h.finding), &Default::default());
    }
    Ok(hz)
}

/// Lint with the catalogue's fixes attached.
fn lint(text: &str, opts: &LintOptions) -> crate::Result<Vec<Finding>> {
    crate::lint(text, opts).map(|r| r.findings)
}

#[test]
fn work_per_finding_does_not_grow_with_the_file() {
    // 3,000 findings (8,000 in the report took 4.7 s): each fix's diff covers the lines it touches, not the whole file (the old
    // code diffed the whole file per finding: 4.7 s here, quadratic in the line count).
    let mut text = String::from("FROM golang:1.23\n");
    for i in 0..3000 {
        text.push_str(&format!("RUN GOARCH=amd64 go build -o /out/app{i} .\n"));
    }
    let hz = hazards(&text, &opts()).unwrap();
    assert_eq!(hz.len(), 3000);
    for h in &hz {
        let fix = &h.finding.fixes[0];
        let diff = fix.diff.as_deref().unwrap();
        assert!(diff.len() < 600, "{diff}");
        assert!(fix.snippet.len() < 200, "{}", fix.snippet);
    }
    // The last one's diff is located at the right line.
    let last = &hz[2999].finding.fixes[0];
    assert!(
        last.diff
            .as_deref()
            .unwrap()
            .contains("@@ -2999,3 +3000,3 @@"),
        "{:?}",
        last.diff
    );
}

#[test]
fn a_giant_run_line_is_echoed_in_bounded_windows() {
    // One RUN line of ~1.3 MB with 40,000 URLs: one finding, its evidence a bounded window.
    let mut text = String::from("FROM alpine\nRUN true");
    for i in 0..40000 {
        text.push_str(&format!(
            " && wget https://example.org/v{i}/tool-linux-amd64.tgz"
        ));
    }
    text.push('\n');
    let f = lint(&text, &opts()).unwrap();
    assert_eq!(
        f.len(),
        1,
        "{:?}",
        f.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    assert!(f[0].message.contains("39999 more"), "{}", f[0].message);
    let ev = &f[0].evidence[0].detail;
    assert!(ev.len() <= MAX_ECHO_BYTES + 8, "{} bytes", ev.len());
    assert!(ev.contains("amd64"));
    let total: usize = serde_json::to_string(&f).unwrap().len();
    assert!(total < 8192, "{total} bytes of JSON for one finding");
}

#[test]
fn a_giant_line_fix_is_bounded_too() {
    let mut text = String::from("FROM golang\nRUN GOARCH=amd64 go build");
    text.push_str(&" -ldflags=-X=main.v=1".repeat(20000));
    text.push('\n');
    let hz = hazards(&text, &opts()).unwrap();
    let fix = &hz[0].finding.fixes[0];
    assert!(fix.diff.is_none());
    assert!(fix.snippet.len() < 2048, "{}", fix.snippet.len());
    // The edit itself is intact for rewrites.
    assert!(hz[0].edits.iter().any(|e| e.replacement == "$TARGETARCH"));
}

#[test]
fn an_endless_stream_is_cut_at_the_cap() {
    let err = read_dockerfile_from(std::io::repeat(b'#'), "-").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&MAX_DOCKERFILE_BYTES.to_string()) && msg.contains('-'),
        "{msg}"
    );
    // Text given directly is held to the same limit.
    let big = "#".repeat(MAX_DOCKERFILE_BYTES as usize + 1);
    assert!(lint(&big, &opts()).is_err());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let scratch = super::scratch();
    let d = scratch.path();
    let fifo = d.join("Dockerfile");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(st.success());
    let err = crate::dockerfile::read_dockerfile(&fifo).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
    // A FIFO in the build context is skipped, not opened.
    std::fs::remove_file(&fifo).unwrap();
    std::fs::write(
        d.join("Dockerfile"),
        "FROM alpine\nCOPY run.sh /\nCMD [\"/run.sh\"]\n",
    )
    .unwrap();
    std::process::Command::new("mkfifo")
        .arg(d.join("run.sh"))
        .status()
        .unwrap();
    let f = lint_path_with(&d.join("Dockerfile"), None, Redaction::On).unwrap();
    assert!(f.is_empty(), "{f:?}");
}

fn write(p: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn all_text(f: &[Finding]) -> String {
    serde_json::to_string(f).unwrap()
}

#[cfg(unix)]
#[test]
fn links_in_the_context_resolve_inside_it() {
    let scratch = super::scratch();
    let d = scratch.path();
    let outside = d.join("outside");
    write(
        &outside.join("evil.sh"),
        b"\xef\xbb\xbf#!/bin/sh OUTSIDE-SECRET-LINE\n",
    );
    let ctx = d.join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::os::unix::fs::symlink("../outside", ctx.join("rel")).unwrap();
    std::os::unix::fs::symlink(&outside, ctx.join("abs")).unwrap();
    std::os::unix::fs::symlink("loop", ctx.join("loop")).unwrap();
    write(
        &ctx.join("Dockerfile"),
        b"FROM alpine\nCOPY rel/evil.sh /a.sh\nCOPY abs/evil.sh /b.sh\nCOPY abs /c\nCOPY loop /d\nCMD [\"/a.sh\"]\n",
    );
    let f = lint_path_with(&ctx.join("Dockerfile"), None, Redaction::Off).unwrap();
    assert!(!all_text(&f).contains("OUTSIDE-SECRET"), "{f:#?}");
    assert!(f.is_empty(), "{f:#?}");
    // A link that stays inside the context is followed, as BuildKit does.
    write(&ctx.join("real/evil.sh"), b"\xef\xbb\xbf#!/bin/sh inside\n");
    std::fs::remove_file(ctx.join("rel")).ok();
    std::os::unix::fs::symlink("real", ctx.join("rel")).unwrap();
    let f = lint_path_with(&ctx.join("Dockerfile"), None, Redaction::Off).unwrap();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].code.as_str(), "byte-order-mark");
}

#[test]
fn dockerignore_and_unexecuted_scripts_are_not_flagged() {
    let scratch = super::scratch();
    let ctx = scratch.path();
    write(&ctx.join("run.sh"), b"#!/bin/sh\r\necho run\r\n");
    write(
        &ctx.join("tools/unused.sh"),
        b"#!/bin/sh\r\necho never run\r\n",
    );
    write(
        &ctx.join("ignored/start.sh"),
        b"#!/bin/sh\r\necho start\r\n",
    );
    let df = ctx.join("Dockerfile");
    write(
        &df,
        b"FROM alpine\nCOPY . /app\nRUN /app/ignored/start.sh\nCMD [\"/app/run.sh\"]\n",
    );
    let codes = |f: &[Finding]| -> Vec<String> {
        f.iter()
            .map(|f| format!("{} {}", f.code, f.message.split(' ').next().unwrap()))
            .collect()
    };
    let f = lint_path_with(&df, None, Redaction::Off).unwrap();
    assert_eq!(
        codes(&f),
        [
            "crlf-line-endings ignored/start.sh",
            "crlf-line-endings run.sh"
        ]
    );
    write(&ctx.join(".dockerignore"), b"# not sent\nignored\n*.md\n");
    let f = lint_path_with(&df, None, Redaction::Off).unwrap();
    assert_eq!(codes(&f), ["crlf-line-endings run.sh"]);
    // `<Dockerfile>.dockerignore` next to the Dockerfile wins over the context's.
    write(&ctx.join("Dockerfile.dockerignore"), b"run.sh\n");
    let f = lint_path_with(&df, None, Redaction::Off).unwrap();
    assert_eq!(codes(&f), ["crlf-line-endings ignored/start.sh"]);
}

const SECRETS: &[&str] = &[
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "hunter2hunter2",
    "AKIAIOSFODNN7EXAMPLE",
];

fn secret_dockerfile() -> String {
    format!(
        "FROM golang:1.23\n\
         ENV AWS_SECRET_ACCESS_KEY={} GOARCH=amd64\n\
         RUN curl -H 'Authorization: Bearer {}' https://user:{}@example.org/x/tool-linux-amd64 -o /t\n\
         RUN GOARCH=amd64 GITHUB_TOKEN={} go build -o /app . # {}\n",
        SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[1], SECRETS[3]
    )
}

#[test]
fn everything_lint_echoes_is_redacted_unless_asked_not_to() {
    let text = secret_dockerfile();
    let f = lint(&text, &opts()).unwrap();
    assert!(f.len() >= 3, "{f:#?}");
    let json = all_text(&f);
    let sarif = serde_json::to_string(&crate::report::sarif("test", &f)).unwrap();
    for s in SECRETS {
        assert!(!json.contains(s), "{s} in {json}");
        assert!(!sarif.contains(s), "{s} in SARIF");
    }
    assert!(json.contains("[REDACTED]"));
    // Positions and the architecture words survive.
    assert!(json.contains("GOARCH=$TARGETARCH") && json.contains("amd64"));
    // The switch is real: --no-redact shows the text as written.
    let raw = all_text(
        &lint(
            &text,
            &LintOptions {
                redaction: Redaction::Off,
                ..opts()
            },
        )
        .unwrap(),
    );
    assert!(raw.contains(SECRETS[1]));
}

#[test]
fn issue_10_patterns() {
    let codes = |t: &str| -> Vec<(String, u32)> {
        lint(t, &opts())
            .unwrap()
            .iter()
            .filter(|f| f.severity >= crate::finding::Severity::Warning)
            .map(|f| {
                (
                    f.code.to_string(),
                    f.location.as_ref().unwrap().line.unwrap(),
                )
            })
            .collect()
    };
    // A stage FROM another stage inherits its ARG declarations.
    assert!(
        codes("FROM alpine AS base\nARG TARGETARCH\nFROM base\nRUN echo $TARGETARCH\n").is_empty()
    );
    // A bare HEALTHCHECK (accepted by BuildKit) is not refused.
    assert!(codes("FROM alpine\nHEALTHCHECK\nCMD [\"sh\"]\n").is_empty());
    // The line of a value inside a multi-line ENV is its own line, and the fix lands on it.
    let t = "FROM golang\nENV CGO_ENABLED=0 \\\n    GOARCH=amd64\nRUN go build\n";
    assert_eq!(codes(t), [("hardcoded-arch".into(), 3)]);
    let h = hazards(t, &opts()).unwrap();
    let fixed = crate::edits::apply_edits(t, &h[0].edits);
    assert_eq!(
        fixed,
        "FROM golang\nARG TARGETARCH\nENV CGO_ENABLED=0 \\\n    GOARCH=$TARGETARCH\nRUN go build\n"
    );
    // Single quotes would keep $TARGETARCH literal: the fix drops them.
    let t = "FROM golang\nARG TARGETARCH\nRUN GOARCH='amd64' go build\n";
    let h = hazards(t, &opts()).unwrap();
    assert_eq!(
        crate::edits::apply_edits(t, &h[0].edits),
        "FROM golang\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build\n"
    );
    // A URL in a comment line inside RUN is not a download.
    assert!(
        codes("FROM alpine\nRUN set -e; \\\n  # from https://x.org/tool-amd64\n  apk add tool\n")
            .is_empty()
    );
}

#[test]
fn a_dockerfile_rewrite_of_thousands_of_lines_is_a_diff_that_patch_applies() {
    use crate::fix::rewrite::{RewriteOptions, rewrite_dockerfile};
    let mut text = String::from("FROM golang:1.23\n");
    for i in 0..3000 {
        text.push_str(&format!("RUN GOARCH=amd64 go build -o /out/app{i} .\n"));
    }
    let rw = rewrite_dockerfile(&text, &RewriteOptions::default()).unwrap();
    assert!(rw.rewritten.contains("ARG TARGETARCH\n"));
    assert!(!rw.rewritten.contains("GOARCH=amd64"));
    // `patch` (or git apply) turns the original into the rewritten text with this diff.
    let scratch = super::scratch();
    let d = scratch.path();
    std::fs::write(d.join("Dockerfile"), &text).unwrap();
    std::fs::write(d.join("fix.diff"), &rw.diff).unwrap();
    let st = std::process::Command::new("git")
        .current_dir(d)
        .args(["apply", "fix.diff"])
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        rw.rewritten
    );
}

#[test]
fn rewrites_are_redacted_by_the_core_unless_no_redact() {
    use crate::fix::rewrite::{RewriteOptions, rewrite_command, rewrite_dockerfile};
    let token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    let mut o = RewriteOptions::for_platforms(&["linux/amd64", "linux/arm64"]).unwrap();
    let cmd = format!("docker build --build-arg GITHUB_TOKEN={token} -t app .");
    let rw = rewrite_command(&cmd, &o).unwrap();
    let all = serde_json::to_string(&rw).unwrap();
    assert!(!all.contains(token), "{all}");
    assert!(rw.rewritten.contains("--platform linux/amd64,linux/arm64"));
    o.redaction = crate::Redaction::Off;
    assert!(rewrite_command(&cmd, &o).unwrap().rewritten.contains(token));
    let df = format!("FROM golang\nRUN GITHUB_TOKEN={token} GOARCH=amd64 go build\n");
    let rw = rewrite_dockerfile(&df, &RewriteOptions::default()).unwrap();
    assert!(!serde_json::to_string(&rw).unwrap().contains(token));
    assert!(rw.rewritten.contains("GOARCH=$TARGETARCH"));
}

/// A long line whose finding is cut to half the echo inside a multi-byte character: the
/// excerpt stays on character boundaries (the `lint` fuzz target's crash of 2026-12-02 panicked
/// slicing the line there). Every width of the filler before the character is tried, so the cut
/// falls inside it for one of them whatever MAX_ECHO_BYTES is.
#[test]
fn an_excerpt_cut_inside_a_multibyte_character_does_not_panic() {
    for pad in 0..8 {
        for ch in ["ϓ", "€", "𝄞"] {
            let default = format!(
                "{}{ch}{}",
                "s".repeat(MAX_ECHO_BYTES / 2 - 4 + pad),
                "x".repeat(MAX_ECHO_BYTES)
            );
            let text = format!("FROM alpine:3.20\nARG TARGETARCH={default} \n");
            for redaction in [Redaction::On, Redaction::Off] {
                let o = LintOptions {
                    redaction,
                    ..opts()
                };
                let hz = hazards(&text, &o).unwrap();
                let f = hz
                    .iter()
                    .find(|h| h.finding.code == crate::CauseCode::HardcodedArch)
                    .expect("the ARG default is found");
                let detail = &f.finding.evidence[0].detail;
                assert!(detail.len() <= MAX_ECHO_BYTES + 8, "{detail}");
            }
        }
    }
    // The fuzzer's own input.
    let crash = "FROM ine:s.20\nARG T TARGETACdHR=(64\nARG VERpine:3.20\nARG TARGETARCJ=sr\u{3d3}fiocA$G TARGETARCH=amd64 -qG TARGETARCH=amd64 -u FFFFFFFFF\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00FFFFF\x00\x00FFFFFFFFFFFF:1=akkkkkkk://s:ambin@\x10\x00\x00\x00in@-q -ORGETARCH=amd64 ocA$G TARGETARCH=\x00\x00\x00\x00=amd64 ocA$G TARGETARCH=\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00RGETARCH=\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00RGE'TARCH\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00RGETARCH=\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00RGE'TARCHF=sr\u{3d3}fiocA$G TARGETARCH=\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00kk TARGETARCH=amd64 -u FFFFFFFFFFFFFFFFFFFFFFFFFF:1=akkkkkkH=amd64 -qG TARGETARCH=amd64 -u \x00\x00\x00\x00\x00\x00\x04nFFakkkkkkk://s:ambin@\x10\x00\x00\x00in@-q -ORGETARCH=amd64 ocA$G TARGETARCH= FFFFFFFFFFFFFFFFFFFFFFFFFF:1=akkkkkkH=amd64 -qG TARG -FROM apine:1.2 TARGETARGH=amGE'TARin@\x10\x00\x00\x00in@\x10\x00\x00\x00\x00\x00";
    for redaction in [Redaction::On, Redaction::Off] {
        let o = LintOptions {
            redaction,
            ..opts()
        };
        let _ = crate::dockerfile::hazards(crash, &o);
    }
}
