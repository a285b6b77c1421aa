//! Rewrites keep everything but the change: commands split back into the intended argv,
//! compose files still parse as YAML with comments kept, Dockerfiles lose their mechanical hazards.

use archcompat::{RewriteOptions, rewrite_command, rewrite_compose, rewrite_dockerfile};

fn opts(p: &[&str]) -> RewriteOptions {
    RewriteOptions::for_platforms(p).unwrap()
}

fn argv(s: &str) -> Vec<String> {
    shlex::split(s).unwrap_or_else(|| panic!("does not split: {s}"))
}

#[test]
fn commands_are_rewritten_keeping_every_other_argument() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "docker run --rm -it mysql:5.7",
            &["linux/amd64"],
            "docker run --platform linux/amd64 --rm -it mysql:5.7",
        ),
        (
            "docker run --platform=linux/arm64 -e 'A=b c' img",
            &["x86_64"],
            "docker run --platform=linux/amd64 -e 'A=b c' img",
        ),
        (
            "docker pull ghcr.io/o/img:1",
            &["linux/arm64/v8"],
            "docker pull --platform linux/arm64 ghcr.io/o/img:1",
        ),
        (
            "docker build -t \"my app\" --build-arg X='a b' .",
            &["linux/amd64"],
            "docker build --platform linux/amd64 -t \"my app\" --build-arg X='a b' .",
        ),
        (
            "docker build -t reg/img:1 .",
            &["linux/amd64", "linux/arm64"],
            "docker buildx build --platform linux/amd64,linux/arm64 --push -t reg/img:1 .",
        ),
        (
            "docker buildx build --load -t reg/img:1 .",
            &["linux/amd64", "linux/arm64"],
            "docker buildx build --platform linux/amd64,linux/arm64 --push -t reg/img:1 .",
        ),
        (
            "docker buildx build --platform linux/amd64 --push -t r/i .",
            &["linux/amd64", "aarch64"],
            "docker buildx build --platform linux/amd64,linux/arm64 --push -t r/i .",
        ),
        (
            "docker compose up -d",
            &["linux/amd64"],
            "DOCKER_DEFAULT_PLATFORM=linux/amd64 docker compose up -d",
        ),
        (
            "docker run img && echo done",
            &["linux/amd64"],
            "docker run --platform linux/amd64 img && echo done",
        ),
    ];
    for (input, plats, want) in cases {
        let r = rewrite_command(input, &opts(plats)).unwrap();
        assert_eq!(r.rewritten, *want, "{input}");
        // The argv we report is what a shell would run, and equals shlex's split.
        let first = want.split(" && ").next().unwrap();
        assert_eq!(
            r.argv.as_deref().unwrap(),
            argv(first).as_slice(),
            "{input}"
        );
        // Everything the user wrote is still there, in order.
        let orig = argv(input.split(" && ").next().unwrap());
        let new = argv(first);
        let mut it = new.iter();
        for a in orig.iter().filter(|a| {
            !a.starts_with("--platform")
                && !a.starts_with("linux/")
                && *a != "--load"
                && *a != "build"
        }) {
            assert!(it.any(|b| b == a), "{input}: lost {a}");
        }
        assert!(r.diff.starts_with("--- a/command"), "{}", r.diff);
        assert_eq!(r.fix.snippet, r.rewritten);
    }
}

#[test]
fn lambda_builds_get_provenance_false_and_bad_commands_are_refused() {
    let mut o = opts(&["linux/arm64"]);
    o.lambda = true;
    o.push = true;
    let r = rewrite_command(
        "docker build -t 123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn:1 .",
        &o,
    )
    .unwrap();
    assert_eq!(
        argv(&r.rewritten),
        [
            "docker",
            "buildx",
            "build",
            "--platform",
            "linux/arm64",
            "--push",
            "--provenance=false",
            "-t",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn:1",
            "."
        ]
    );
    assert!(rewrite_command("kubectl apply -f x.yaml", &opts(&["linux/amd64"])).is_err());
    assert!(rewrite_command("docker run 'unterminated", &opts(&["linux/amd64"])).is_err());
    assert!(rewrite_command("docker run img", &opts(&["linux/amd64", "linux/arm64"])).is_err());
}

#[test]
fn compose_gets_platform_per_service_with_comments_kept() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/rewrite/compose.yaml"
    ))
    .unwrap();
    let r = rewrite_compose(&text, &opts(&["linux/amd64"]), &[]).unwrap();
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with('#') || l.contains("# only"))
    {
        assert!(r.rewritten.contains(line), "comment lost: {line}");
    }
    let docs = yaml_rust2::YamlLoader::load_from_str(&r.rewritten).unwrap();
    let services = &docs[0]["services"];
    for svc in ["db", "cache", "app"] {
        assert_eq!(
            services[svc]["platform"].as_str(),
            Some("linux/amd64"),
            "{svc}\n{}",
            r.rewritten
        );
    }
    assert_eq!(services["db"]["image"].as_str(), Some("mysql:5.7"));
    assert_eq!(
        docs[0]["volumes"]["data"].as_hash().map(|h| h.len()),
        Some(0)
    );
    assert_eq!(r.changes.len(), 3, "{:?}", r.changes);
    // Only some services.
    let r = rewrite_compose(&text, &opts(&["linux/amd64"]), &["db".to_string()]).unwrap();
    assert_eq!(r.changes.len(), 1);
    assert!(rewrite_compose("version: '3'\n", &opts(&["linux/amd64"]), &[]).is_err());
}

#[test]
fn dockerfile_rewrite_removes_every_mechanical_hazard() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/dockerfiles/undeclared-arg/Dockerfile"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let r = rewrite_dockerfile(&text, &RewriteOptions::default()).unwrap();
    assert!(
        r.rewritten.contains("AS build\nARG TARGETARCH\n"),
        "{}",
        r.rewritten
    );
    assert!(
        archcompat::lint(&r.rewritten, &Default::default())
            .unwrap()
            .findings
            .is_empty()
    );
    let text = "FROM --platform=linux/amd64 golang:1.23 AS b\nARG TARGETARCH=amd64\nRUN GOARCH=amd64 GOARM=7 go build -o /a .\nFROM --platform=$BUILDPLATFORM alpine\nCOPY --from=b /a /a\n";
    let r = rewrite_dockerfile(text, &RewriteOptions::default()).unwrap();
    let after = archcompat::lint(&r.rewritten, &Default::default())
        .unwrap()
        .findings;
    assert!(after.is_empty(), "{}\n{after:?}", r.rewritten);
    assert!(
        r.diff.contains("+ARG TARGETARCH\n") && r.diff.contains("-ARG TARGETARCH=amd64"),
        "{}",
        r.diff
    );
}
