//! The CI glue end to end: `action.yml` and the GitLab template validated against the GitHub
//! Action and GitLab CI schemas (check-jsonschema's vendored copies), the Action's steps' commands
//! and the template's script run here on the bundled example and real Dockerfiles, the
//! pre-commit hook run by the real `pre-commit` on a throw-away git repository, and the
//! Kubernetes deploy manifest's webhook arguments accepted by the real command.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

fn venv_tool(name: &str) -> PathBuf {
    let p = repo().join(".venv/bin").join(name);
    assert!(
        p.exists(),
        "{} is missing: run scripts/setup.sh",
        p.display()
    );
    p
}

/// PATH with the archcompat under test first.
fn path_with_archcompat() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_archcompat"))
        .parent()
        .unwrap()
        .to_path_buf();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ci-glue-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn yaml(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn action_and_gitlab_template_match_their_schemas() {
    for (schema, file) in [
        ("vendor.github-actions", "action.yml"),
        ("vendor.gitlab-ci", "templates/archcompat.gitlab-ci.yml"),
    ] {
        let o = Command::new(venv_tool("check-jsonschema"))
            .args(["--builtin-schema", schema])
            .arg(repo().join(file))
            .output()
            .unwrap();
        assert!(o.status.success(), "{file}: {}", text(&o));
    }
}

/// Runs the composite Action's `run` steps as the runner would: `${{ inputs.X }}` in `env`
/// replaced by the inputs (or their defaults), GITHUB_ACTION_PATH at the repository,
/// GITHUB_OUTPUT a file. Returns the exit code of the first failing step (or 0) and the outputs.
fn run_action(inputs: &[(&str, &str)], work: &Path) -> (i32, HashMap<String, String>, String) {
    let action = yaml(&repo().join("action.yml"));
    let mut values: HashMap<String, String> = HashMap::new();
    for (k, v) in action["inputs"].as_hash().unwrap() {
        values.insert(
            k.as_str().unwrap().into(),
            v["default"].as_str().unwrap_or("").into(),
        );
    }
    for (k, v) in inputs {
        assert!(values.contains_key(*k), "unknown input {k}");
        values.insert(k.to_string(), v.to_string());
    }
    let subst = |s: &str| -> String {
        let mut out = s.to_string();
        for (k, v) in &values {
            out = out.replace(&format!("${{{{ inputs.{k} }}}}"), v);
        }
        out
    };
    let gh_output = work.join("github-output");
    std::fs::write(&gh_output, "").unwrap();
    let mut log = String::new();
    let mut code = 0;
    let steps = action["runs"]["steps"].as_vec().unwrap();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for step in steps {
        if let Some(uses) = step["uses"].as_str() {
            // The upload step: GitHub's own action, fed by the check step's output.
            assert!(
                uses.starts_with("github/codeql-action/upload-sarif@"),
                "{uses}"
            );
            assert!(
                step["with"]["sarif_file"]
                    .as_str()
                    .unwrap()
                    .contains("steps.check.outputs.sarif-dir")
            );
            continue;
        }
        if code != 0 {
            break;
        }
        let run = step["run"].as_str().unwrap();
        assert_eq!(step["shell"].as_str(), Some("bash"));
        let mut c = Command::new("bash");
        c.args(["-e", "-c", run])
            .current_dir(work)
            .env("PATH", path_with_archcompat())
            .env("GITHUB_ACTION_PATH", repo())
            .env("GITHUB_OUTPUT", &gh_output);
        if let Some(env) = step["env"].as_hash() {
            for (k, v) in env {
                let v = v.as_str().map(|s| s.to_string()).unwrap_or_default();
                assert!(
                    !run.contains("${{"),
                    "inputs must reach scripts through env, not the script"
                );
                c.env(k.as_str().unwrap(), subst(&v));
            }
        }
        let o = c.output().unwrap();
        log.push_str(&text(&o));
        code = o.status.code().unwrap_or(-1);
    }
    let outputs = std::fs::read_to_string(&gh_output)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (code, outputs, log)
}

fn sarif(path: &Path) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(v["version"], "2.1.0");
    v
}

#[test]
fn the_action_checks_an_image_per_host_and_lints_a_dockerfile() {
    let work = tmp("action");
    let example = repo().join("examples/hello-multiarch");
    let bad = repo().join("fixtures/dockerfiles/go-hardcoded/Dockerfile");
    let (code, outputs, log) = run_action(
        &[
            ("image", example.to_str().unwrap()),
            ("hosts", "linux/amd64, linux/arm64"),
            ("dockerfile", bad.to_str().unwrap()),
        ],
        &work,
    );
    assert_eq!(
        code, 1,
        "the mislabeled amd64 entry and GOARCH=amd64 fail the step:\n{log}"
    );
    assert!(log.contains("verdict: wont-run"), "{log}");
    let dir = work.join(&outputs["sarif-dir"]);
    let amd = sarif(&dir.join("image-linux_amd64.sarif"));
    assert!(amd.to_string().contains("arch-mismatch"));
    let arm = sarif(&dir.join("image-linux_arm64.sarif"));
    assert!(
        !arm.to_string().contains("\"level\":\"error\""),
        "arm64 runs: {arm}"
    );
    let lint = sarif(&dir.join("lint.sarif"));
    assert!(lint.to_string().contains("hardcoded-arch"));
    assert_eq!(outputs["verdict-linux_amd64"], "wont-run");
    assert_eq!(outputs["verdict-linux_arm64"], "runs");

    // On arm64 only, with a Dockerfile that cross-compiles correctly: the step passes.
    let work = tmp("action-ok");
    let good = repo().join("fixtures/dockerfiles/go-cross-ok/Dockerfile");
    let (code, _, log) = run_action(
        &[
            ("image", example.to_str().unwrap()),
            ("hosts", "aws-graviton2"),
            ("dockerfile", good.to_str().unwrap()),
        ],
        &work,
    );
    assert_eq!(code, 0, "{log}");
    // fail-on none never fails; a bad fail-on is a usage error.
    let (code, _, log) = run_action(
        &[("dockerfile", bad.to_str().unwrap()), ("fail-on", "none")],
        &tmp("none"),
    );
    assert_eq!(code, 0, "{log}");
    let (code, _, _) = run_action(
        &[
            ("dockerfile", bad.to_str().unwrap()),
            ("fail-on", "sometimes"),
        ],
        &tmp("usage"),
    );
    assert_eq!(code, 2);
}

#[test]
fn the_gitlab_template_writes_a_code_quality_report() {
    let t = yaml(&repo().join("templates/archcompat.gitlab-ci.yml"));
    let job = &t["archcompat"];
    assert_eq!(
        job["artifacts"]["reports"]["codequality"].as_str(),
        Some("gl-code-quality-report.json")
    );
    let script: Vec<&str> = job["script"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let work = tmp("gitlab");
    std::fs::copy(
        repo().join("fixtures/dockerfiles/go-hardcoded/Dockerfile"),
        work.join("Dockerfile"),
    )
    .unwrap();
    let mut c = Command::new("bash");
    c.args(["-e", "-c", &script.join("\n")])
        .current_dir(&work)
        .env("PATH", path_with_archcompat())
        .env("CI_PROJECT_DIR", &work)
        .env("CARGO_HOME", work.join(".cargo"));
    for (k, v) in t["variables"].as_hash().unwrap() {
        c.env(k.as_str().unwrap(), v.as_str().unwrap());
    }
    c.env("ARCHCOMPAT_IMAGE", repo().join("examples/hello-multiarch"));
    c.env("ARCHCOMPAT_HOSTS", "linux/amd64");
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(work.join("gl-code-quality-report.json")).unwrap())
            .unwrap();
    let issues = report.as_array().unwrap();
    let lint = issues
        .iter()
        .find(|i| i["check_name"] == "hardcoded-arch")
        .expect("lint issue");
    assert_eq!(lint["location"]["path"], "Dockerfile");
    assert_eq!(lint["location"]["lines"]["begin"], 5);
    assert!(
        issues
            .iter()
            .any(|i| i["check_name"] == "arch-mismatch" && i["severity"] == "critical")
    );
    let prints: Vec<_> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = prints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(prints.len(), unique.len(), "fingerprints are unique");
}

#[test]
fn the_pre_commit_hook_runs_under_pre_commit() {
    let work = tmp("pre-commit");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&work)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", text(&o));
    };
    git(&["init", "-q"]);
    std::fs::copy(
        repo().join("fixtures/dockerfiles/go-hardcoded/Dockerfile"),
        work.join("Dockerfile"),
    )
    .unwrap();
    std::fs::create_dir_all(work.join("ok")).unwrap();
    std::fs::copy(
        repo().join("fixtures/dockerfiles/go-cross-ok/Dockerfile"),
        work.join("ok/Dockerfile"),
    )
    .unwrap();
    std::fs::write(work.join("README.md"), "not a Dockerfile\n").unwrap();
    git(&["add", "."]);
    let run = |files: &[&str]| {
        Command::new(venv_tool("pre-commit"))
            .args([
                "try-repo",
                repo().to_str().unwrap(),
                "archcompat-lint",
                "--files",
            ])
            .args(files)
            .current_dir(&work)
            .env("PATH", path_with_archcompat())
            .env("PRE_COMMIT_HOME", work.join(".pre-commit-home"))
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let bad = run(&["Dockerfile", "README.md"]);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("hardcoded-arch"), "{}", text(&bad));
    let good = run(&["ok/Dockerfile", "README.md"]);
    assert_eq!(good.status.code(), Some(0), "{}", text(&good));
}

#[test]
fn the_deploy_manifest_arguments_start_the_real_webhook() {
    let docs = YamlLoader::load_from_str(
        &std::fs::read_to_string(repo().join("deploy/kubernetes/webhook.yaml")).unwrap(),
    )
    .unwrap();
    let by_kind = |k: &str| {
        docs.iter()
            .find(|d| d["kind"].as_str() == Some(k))
            .unwrap_or_else(|| panic!("{k} missing"))
    };
    let cfg = by_kind("ValidatingWebhookConfiguration");
    let hook = &cfg["webhooks"][0];
    assert_eq!(hook["admissionReviewVersions"][0].as_str(), Some("v1"));
    assert_eq!(
        hook["clientConfig"]["service"]["path"].as_str(),
        Some("/validate")
    );
    let timeout = hook["timeoutSeconds"].as_i64().unwrap();
    assert!(timeout <= 10);
    let skipped: Vec<_> = hook["namespaceSelector"]["matchExpressions"][0]["values"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(skipped.contains(&"kube-system"));
    let dep = by_kind("Deployment");
    let args: Vec<String> = dep["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let deadline: f64 = args
        .iter()
        .find_map(|a| a.strip_prefix("--deadline="))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        deadline < timeout as f64,
        "the review deadline is below timeoutSeconds"
    );
    let policy = args
        .iter()
        .find_map(|a| a.strip_prefix("--failure-policy="))
        .unwrap();
    assert_eq!(
        policy.to_ascii_lowercase(),
        hook["failurePolicy"].as_str().unwrap().to_ascii_lowercase()
    );
    // The manifest's arguments, with a local address and a certificate made here.
    let certs = tmp("deploy-certs");
    let manifest = certs.join("webhook.yaml");
    std::fs::copy(repo().join("deploy/kubernetes/webhook.yaml"), &manifest).unwrap();
    let st = Command::new("bash")
        .arg(repo().join("deploy/kubernetes/make-certs.sh"))
        .arg(&certs)
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", text(&st));
    let patched = YamlLoader::load_from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let bundle = patched
        .iter()
        .find(|d| d["kind"].as_str() == Some("ValidatingWebhookConfiguration"))
        .unwrap()["webhooks"][0]["clientConfig"]["caBundle"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(bundle.len() > 100, "caBundle filled: {bundle}");
    let args: Vec<String> = args
        .into_iter()
        .map(|a| match a.split_once('=') {
            Some(("--listen", _)) => "--listen=127.0.0.1:0".into(),
            Some(("--tls-cert", _)) => format!("--tls-cert={}", certs.join("tls.crt").display()),
            Some(("--tls-key", _)) => format!("--tls-key={}", certs.join("tls.key").display()),
            _ => a,
        })
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_archcompat"))
        .args(&args)
        .arg("--print-address")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line.trim().to_string();
    let port = addr.rsplit(':').next().unwrap();
    // The CA that make-certs.sh made verifies the serving certificate for the Service's name.
    let o = Command::new("curl")
        .args(["-sS", "--max-time", "10", "--cacert"])
        .arg(certs.join("ca.crt"))
        .args([
            "--resolve",
            &format!("archcompat-webhook.archcompat-system.svc:{port}:127.0.0.1"),
        ])
        .arg(format!(
            "https://archcompat-webhook.archcompat-system.svc:{port}/healthz"
        ))
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "ok",
        "{}",
        text(&o)
    );
}
