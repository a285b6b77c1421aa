//! Every cause code has fixes, and every snippet is valid in its language: YAML parses, JSON
//! parses, shell commands split into argv, Dockerfile fragments parse; real values are filled in.

use crate::finding::{CauseCode, FixTarget};
use crate::fix::{FixContext, attach, fixes_for};

fn contexts() -> Vec<FixContext> {
    let p = |s: &str| s.parse().unwrap();
    vec![
        FixContext::default(),
        FixContext {
            host: Some(p("linux/amd64")),
            targets: vec![p("linux/arm64/v8")],
            image: Some("ghcr.io/acme/api:1.4".into()),
            path: Some("/usr/local/bin/entrypoint.sh".into()),
            interpreter: Some("/bin/bash".into()),
        },
        FixContext {
            host: Some(p("aarch64")),
            targets: vec![p("linux/amd64")],
            image: Some("123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn:latest".into()),
            path: None,
            interpreter: Some("/lib64/ld-linux-x86-64.so.2".into()),
        },
        FixContext {
            host: Some(p("linux/arm/v7")),
            targets: vec![p("linux/amd64"), p("linux/arm64")],
            image: Some("mysql:8".into()),
            ..Default::default()
        },
    ]
}

fn yaml(s: &str, what: &str) {
    let docs = yaml_rust2::YamlLoader::load_from_str(s)
        .unwrap_or_else(|e| panic!("{what}: YAML does not parse: {e}\n{s}"));
    assert!(!docs.is_empty() && !docs[0].is_null(), "{what}: empty YAML");
}

fn shell(s: &str, what: &str) {
    // Join continuation lines, then every command line must split into words.
    for line in s
        .replace("\\\n", " ")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    {
        let argv = shlex::split(line).unwrap_or_else(|| panic!("{what}: does not split: {line}"));
        assert!(!argv.is_empty(), "{what}");
    }
}

fn dockerfile(s: &str, what: &str) {
    let text = if s.lines().any(|l| l.trim_start().starts_with("FROM")) {
        s.to_string()
    } else {
        format!("FROM scratch\n{s}")
    };
    parse_check(&text, what);
}

fn parse_check(text: &str, what: &str) {
    crate::dockerfile::lint(text, &Default::default())
        .unwrap_or_else(|e| panic!("{what}: Dockerfile does not parse: {e}\n{text}"));
}

#[test]
fn every_code_has_valid_fixes_in_every_context() {
    for ctx in contexts() {
        for &code in CauseCode::ALL {
            let fixes = fixes_for(code, &ctx);
            assert!(!fixes.is_empty(), "{code} has no fix");
            for f in &fixes {
                let what = format!("{code}/{}", f.id);
                assert!(
                    !f.title.is_empty() && !f.why.is_empty() && !f.snippet.is_empty(),
                    "{what}"
                );
                match f.applies_to {
                    FixTarget::Compose
                    | FixTarget::Kubernetes
                    | FixTarget::GithubActions
                    | FixTarget::GitlabCi => yaml(&f.snippet, &what),
                    FixTarget::Ecs => {
                        serde_json::from_str::<serde_json::Value>(&f.snippet)
                            .unwrap_or_else(|e| panic!("{what}: {e}"));
                    }
                    FixTarget::Lambda if f.id == "lambda-architectures" => yaml(&f.snippet, &what),
                    FixTarget::Dockerfile | FixTarget::Node => dockerfile(&f.snippet, &what),
                    FixTarget::Rust if f.snippet.contains("FROM") => dockerfile(&f.snippet, &what),
                    FixTarget::DockerCli if f.snippet.trim_start().starts_with('{') => {
                        serde_json::from_str::<serde_json::Value>(&f.snippet)
                            .unwrap_or_else(|e| panic!("{what}: {e}"));
                    }
                    FixTarget::File
                        if f.id == "libvirt-host-passthrough"
                            || f.id == "pi5-4k-kernel"
                            || f.id == "dockerignore-host-artefacts" => {}
                    _ => shell(&f.snippet, &what),
                }
            }
        }
    }
}

#[test]
fn fixes_carry_the_real_values() {
    let ctx = &contexts()[1];
    let arch = fixes_for(CauseCode::ArchMismatch, ctx);
    let get = |id: &str| {
        arch.iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .snippet
            .clone()
    };
    assert!(get("buildx-multiarch-push").contains(
        "docker buildx build --platform linux/amd64,linux/arm64 -t ghcr.io/acme/api:1.4 --push ."
    ));
    assert!(
        get("buildx-multiarch-push")
            .contains("docker buildx imagetools inspect ghcr.io/acme/api:1.4")
    );
    assert!(
        get("binfmt-run-emulated")
            .starts_with("docker run --privileged --rm tonistiigi/binfmt --install arm64\n"),
        "plain --platform needs binfmt first"
    );
    assert_eq!(
        get("kubernetes-node-selector"),
        "spec:\n  nodeSelector:\n    kubernetes.io/arch: arm64\n"
    );
    assert!(get("ecs-runtime-platform").contains("\"cpuArchitecture\": \"ARM64\""));
    assert!(get("lambda-architectures").contains("Architectures: [arm64]"));
    assert!(
        get("lambda-build-for-function").contains("--provenance=false"),
        "Lambda needs --provenance=false"
    );
    let cross = get("dockerfile-cross-compile-go");
    assert!(
        cross.contains("ARG TARGETARCH\n") && !cross.contains("ARG TARGETARCH="),
        "no default on TARGETARCH"
    );
    // Interpreter-specific advice.
    let bash = fixes_for(CauseCode::MissingInterpreter, ctx);
    assert!(bash.iter().any(|f| f.snippet.contains("#!/bin/sh")));
    let glibc = fixes_for(CauseCode::MissingInterpreter, &contexts()[2]);
    assert!(
        glibc.iter().any(|f| f.snippet.contains("CGO_ENABLED=0"))
            && glibc.iter().any(|f| f.why.contains("ld-linux-x86-64"))
    );
    // A 32-bit ARM userland is told the real fix.
    assert!(
        fixes_for(CauseCode::NoMatchingManifest, &contexts()[3])
            .iter()
            .any(|f| f.id == "arm32-userland")
    );
    // Hadolint DL3029 is described the right way round.
    let hc = fixes_for(CauseCode::HardcodedArch, ctx);
    assert!(
        hc.iter()
            .any(|f| f.why.contains("constant") && f.why.contains("do not flag a missing"))
    );
}

#[test]
fn attach_adds_fixes_once() {
    let mut f = vec![crate::finding::Finding::new(
        CauseCode::CrlfLineEndings,
        crate::finding::Severity::Error,
        "x",
    )];
    let ctx = FixContext::default();
    attach(&mut f, &ctx);
    let n = f[0].fixes.len();
    attach(&mut f, &ctx);
    assert_eq!(f[0].fixes.len(), n);
    assert!(n >= 2);
}
