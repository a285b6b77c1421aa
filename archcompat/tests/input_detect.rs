//! `detect_input` and `redact_report` over the real corpora: every Dockerfile in
//! `fixtures/dockerfiles` and `fixtures/dockerfiles-corpus`, every log in `fixtures/logs` and
//! `fixtures/logs/real`, the compose fixture, and command lines from the rewrite cases.

use archcompat::{InputKind, RedactOptions, SecretKind, detect_input, redact, redact_report};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, keep, out);
        } else if keep(&p) {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}

#[test]
fn every_fixture_dockerfile_is_a_dockerfile() {
    let mut v = Vec::new();
    let is_df = |p: &Path| {
        let n = p.file_name().unwrap().to_string_lossy();
        n == "Dockerfile" || n.ends_with(".Dockerfile")
    };
    files(&root().join("dockerfiles"), &is_df, &mut v);
    files(&root().join("dockerfiles-corpus"), &is_df, &mut v);
    assert!(v.len() > 20, "{v:?}");
    for p in v {
        assert_eq!(
            detect_input(&read(&p)),
            InputKind::Dockerfile,
            "{}",
            p.display()
        );
    }
}

#[test]
fn every_fixture_log_is_a_log() {
    let mut v = Vec::new();
    files(
        &root().join("logs"),
        &|p: &Path| p.extension().is_some_and(|e| e == "log"),
        &mut v,
    );
    assert!(v.len() > 60, "{}", v.len());
    for p in v {
        assert_eq!(detect_input(&read(&p)), InputKind::Log, "{}", p.display());
    }
}

#[test]
fn compose_files_and_commands() {
    let compose = read(&root().join("rewrite/compose.yaml"));
    assert_eq!(detect_input(&compose), InputKind::Compose);
    for cmd in [
        "docker run --rm -it mysql:5.7",
        "$ docker buildx build --platform linux/amd64 \\\n  -t reg/img:1 \\\n  --push .",
        "sudo docker pull ghcr.io/o/img:1\n",
        "docker compose up -d",
        "docker-compose build",
    ] {
        assert_eq!(detect_input(cmd), InputKind::Command, "{cmd}");
    }
    // Two commands are a log (a pasted terminal session), not one command to rewrite.
    assert_eq!(
        detect_input("docker build -t a .\ndocker push a\n"),
        InputKind::Log
    );
    assert_eq!(detect_input(""), InputKind::Log);
}

#[test]
fn redaction_counts_by_kind_and_the_text_is_redact() {
    let text = "docker login -u ci -p hunter2pass ghcr.io\n\
                curl -u admin:S3cretPass https://example.com\n\
                export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n\
                git clone https://bob:tok3nValue@github.com/x/y\n\
                RUN --mount=type=secret,id=npm npm ci\n";
    let r = redact_report(text, &RedactOptions::default());
    assert_eq!(r.text, redact(text, &RedactOptions::default()));
    for gone in [
        "hunter2pass",
        "S3cretPass",
        "AKIAIOSFODNN7EXAMPLE",
        "tok3nValue",
    ] {
        assert!(!r.text.contains(gone), "{gone}: {}", r.text);
    }
    assert_eq!(r.counts.get(&SecretKind::LoginPassword), Some(&1));
    assert_eq!(r.counts.get(&SecretKind::CurlPassword), Some(&1));
    assert_eq!(r.counts.get(&SecretKind::AwsAccessKeyId), Some(&1));
    assert_eq!(r.counts.get(&SecretKind::UrlPassword), Some(&1));
    assert_eq!(r.total, 4, "{:?}", r.counts);
    let clean = redact_report("FROM alpine\nRUN apk add curl\n", &RedactOptions::default());
    assert_eq!(clean.total, 0);
    assert!(clean.counts.is_empty());
    // The JSON spells kinds in kebab-case.
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["counts"]["login-password"], 1);
}
