//! `archcompat webhook` end to end: the real process on 127.0.0.1 with a certificate made here by
//! openssl, driven over TLS by curl with AdmissionReview documents in the shape the API server
//! sends, against Debian's docker-registry on loopback holding images pushed by skopeo
//! (multi-arch with an attestation entry, single-arch amd64 and arm64, arm-only).

#[path = "../../archcompat/tests/image_support/mod.rs"]
mod image_support;

use image_support::Registry;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

struct Env {
    registry: Registry,
    certs: PathBuf,
    amd64_digest: String,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let registry = Registry::start("webhook", None);
        for tag in ["multi", "amd64", "arm64", "armonly"] {
            registry.push(tag, None);
        }
        let out = Command::new("skopeo")
            .args(["inspect", "--tls-verify=false", "--format", "{{.Digest}}"])
            .arg(format!("docker://{}/demo/busybox:amd64", registry.host()))
            .output()
            .unwrap();
        assert!(out.status.success());
        let amd64_digest = String::from_utf8(out.stdout).unwrap().trim().to_string();
        let certs = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("webhook-certs-{}", std::process::id()));
        std::fs::create_dir_all(&certs).unwrap();
        let st = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ])
            .args([
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=archcompat-webhook.test",
            ])
            .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            .arg("-keyout")
            .arg(certs.join("tls.key"))
            .arg("-out")
            .arg(certs.join("tls.crt"))
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "openssl could not make a certificate");
        Env {
            registry,
            certs,
            amd64_digest,
        }
    })
}

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let e = env();
        let mut child = Command::new(env!("CARGO_BIN_EXE_archcompat"))
            .args(["webhook", "--listen", "127.0.0.1:0", "--print-address"])
            .arg("--tls-cert")
            .arg(e.certs.join("tls.crt"))
            .arg("--tls-key")
            .arg(e.certs.join("tls.key"))
            .args(["--cluster-platforms", "linux/amd64,linux/arm64"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(!line.trim().is_empty(), "the webhook printed no address");
        Server {
            child,
            addr: line.trim().to_string(),
        }
    }

    /// (HTTP status, body) of one request through curl, verifying the certificate.
    fn curl(&self, method: &str, path: &str, body: Option<&[u8]>) -> (u16, Vec<u8>) {
        let mut c = Command::new("curl");
        c.args([
            "-sS",
            "--max-time",
            "20",
            "-X",
            method,
            "-o",
            "-",
            "-w",
            "\n%{http_code}",
        ])
        .arg("--cacert")
        .arg(env().certs.join("tls.crt"))
        .arg(format!("https://{}{path}", self.addr));
        if body.is_some() {
            c.args([
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                "@-",
            ]);
        }
        let mut child = c
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        {
            let mut stdin = child.stdin.take().unwrap();
            if let Some(b) = body {
                let _ = stdin.write_all(b);
            }
        }
        let out = child.wait_with_output().unwrap();
        let text = out.stdout;
        let cut = text.iter().rposition(|&b| b == b'\n').unwrap();
        let code = String::from_utf8_lossy(&text[cut + 1..])
            .trim()
            .parse()
            .unwrap_or(0);
        (code, text[..cut].to_vec())
    }

    fn review(&self, review: &Value) -> Value {
        let (code, body) = self.curl(
            "POST",
            "/validate",
            Some(&serde_json::to_vec(review).unwrap()),
        );
        assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["apiVersion"], "admission.k8s.io/v1");
        assert_eq!(v["kind"], "AdmissionReview");
        assert_eq!(
            v["response"]["uid"], review["request"]["uid"],
            "the uid is echoed"
        );
        v["response"].clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn image(tag: &str) -> String {
    format!("{}/demo/busybox:{tag}", env().registry.host())
}

/// An AdmissionReview exactly as the API server sends it for a CREATE.
fn admission(uid: &str, group: &str, kind: &str, resource: &str, object: Value) -> Value {
    let version = "v1";
    json!({
        "kind": "AdmissionReview",
        "apiVersion": "admission.k8s.io/v1",
        "request": {
            "uid": uid,
            "kind": {"group": group, "version": version, "kind": kind},
            "resource": {"group": group, "version": version, "resource": resource},
            "requestKind": {"group": group, "version": version, "kind": kind},
            "requestResource": {"group": group, "version": version, "resource": resource},
            "name": object["metadata"]["name"],
            "namespace": "shop",
            "operation": "CREATE",
            "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
            "object": object,
            "oldObject": null,
            "dryRun": false,
            "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1", "fieldManager": "kubectl-client-side-apply"}
        }
    })
}

fn pod_spec(containers: Value, extra: Value) -> Value {
    let mut spec =
        json!({"containers": containers, "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"});
    for (k, v) in extra.as_object().unwrap() {
        spec[k] = v.clone();
    }
    spec
}

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "shop", "labels": {"app": name}})
}

fn wrap(kind: &str, name: &str, spec: Value) -> (String, String, Value) {
    let template = json!({"metadata": {"labels": {"app": name}}, "spec": spec});
    let (group, resource, object) = match kind {
        "Pod" => (
            "",
            "pods",
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta(name), "spec": spec}),
        ),
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => (
            "apps",
            match kind {
                "Deployment" => "deployments",
                "ReplicaSet" => "replicasets",
                "StatefulSet" => "statefulsets",
                _ => "daemonsets",
            },
            json!({"apiVersion": "apps/v1", "kind": kind, "metadata": meta(name),
                   "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}}, "template": template}}),
        ),
        "Job" => (
            "batch",
            "jobs",
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta(name),
                   "spec": {"backoffLimit": 1, "template": template}}),
        ),
        "CronJob" => (
            "batch",
            "cronjobs",
            json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta(name),
                   "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": template}}}}),
        ),
        other => panic!("{other}"),
    };
    (group.to_string(), resource.to_string(), object)
}

#[test]
fn multi_arch_images_are_admitted_with_a_warning_for_attestations() {
    let s = Server::start(&[]);
    let spec = pod_spec(json!([{"name": "web", "image": image("multi")}]), json!({}));
    let (g, r, obj) = wrap("Pod", "web", spec);
    let resp = s.review(&admission("u-multi", &g, "Pod", &r, obj));
    assert_eq!(resp["allowed"], true, "{resp}");
    let warnings = resp["warnings"].to_string();
    assert!(warnings.contains("attestation"), "{warnings}");
}

#[test]
fn a_single_arch_image_is_denied_where_pods_may_land_on_other_nodes_in_every_workload_kind() {
    let s = Server::start(&[]);
    for kind in [
        "Pod",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
    ] {
        let spec = pod_spec(json!([{"name": "api", "image": image("amd64")}]), json!({}));
        let (g, r, obj) = wrap(kind, "api", spec);
        let resp = s.review(&admission(&format!("u-{kind}"), &g, kind, &r, obj));
        assert_eq!(resp["allowed"], false, "{kind}: {resp}");
        assert_eq!(resp["status"]["code"], 403);
        let msg = resp["status"]["message"].as_str().unwrap();
        for want in [
            "container \"api\"",
            &image("amd64"),
            "offers linux/amd64",
            "no entry runs on linux/arm64",
            "Fix:",
            "buildx build --platform linux/arm64,linux/amd64",
            "kubernetes.io/arch: amd64",
        ] {
            assert!(msg.contains(want), "{kind}: {want:?} not in {msg}");
        }
        assert!(msg.contains(kind), "{kind}: {msg}");
    }
}

#[test]
fn node_selectors_and_affinity_narrow_the_platforms() {
    let s = Server::start(&[]);
    // Pinned to amd64 nodes: the amd64-only image is fine.
    let spec = pod_spec(
        json!([{"name": "api", "image": image("amd64")}]),
        json!({"nodeSelector": {"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}}),
    );
    let (g, r, obj) = wrap("Deployment", "pinned", spec);
    assert_eq!(
        s.review(&admission("u-pinned", &g, "Deployment", &r, obj))["allowed"],
        true
    );
    // Required affinity to amd64, but the init container is arm-only.
    let affinity = json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}]}]}}},
        "initContainers": [{"name": "migrate", "image": image("armonly")}]});
    let spec = pod_spec(json!([{"name": "api", "image": image("multi")}]), affinity);
    let (g, r, obj) = wrap("StatefulSet", "db", spec);
    let resp = s.review(&admission("u-init", &g, "StatefulSet", &r, obj));
    assert_eq!(resp["allowed"], false, "{resp}");
    let msg = resp["status"]["message"].as_str().unwrap();
    assert!(msg.contains("init container \"migrate\""), "{msg}");
    assert!(
        !msg.contains("container \"api\""),
        "the multi-arch container is fine: {msg}"
    );
    // An arm64-only pod with an arm64 image, on a cluster list that also has amd64.
    let spec = pod_spec(
        json!([{"name": "edge", "image": image("arm64")}]),
        json!({"nodeSelector": {"kubernetes.io/arch": "arm64"}}),
    );
    let (g, r, obj) = wrap("DaemonSet", "edge", spec);
    assert_eq!(
        s.review(&admission("u-arm", &g, "DaemonSet", &r, obj))["allowed"],
        true
    );
}

#[test]
fn ephemeral_containers_and_digest_pinned_images_are_checked() {
    let s = Server::start(&[]);
    let pinned = format!(
        "{}/demo/busybox@{}",
        env().registry.host(),
        env().amd64_digest
    );
    let mut spec = pod_spec(json!([{"name": "app", "image": image("multi")}]), json!({}));
    spec["ephemeralContainers"] =
        json!([{"name": "debugger", "image": pinned, "targetContainerName": "app"}]);
    let (g, r, obj) = wrap("Pod", "dbg", spec);
    let resp = s.review(&admission("u-eph", &g, "Pod", &r, obj));
    assert_eq!(resp["allowed"], false, "{resp}");
    let msg = resp["status"]["message"].as_str().unwrap();
    assert!(msg.contains("ephemeral container \"debugger\""), "{msg}");
    assert!(msg.contains(&env().amd64_digest), "{msg}");
}

#[test]
fn an_unreachable_registry_follows_the_failure_policy_and_says_so() {
    let down = "127.0.0.1:9/nothing/here:1";
    let spec = pod_spec(json!([{"name": "app", "image": down}]), json!({}));
    let (g, r, obj) = wrap("Pod", "down", spec);
    let review = admission("u-down", &g, "Pod", &r, obj);
    let closed = Server::start(&["--failure-policy", "fail", "--deadline", "3"]);
    let resp = closed.review(&review);
    assert_eq!(resp["allowed"], false, "{resp}");
    let msg = resp["status"]["message"].as_str().unwrap();
    assert!(
        msg.contains("could not be checked") && msg.contains("failurePolicy Fail"),
        "{msg}"
    );
    let open = Server::start(&["--failure-policy", "ignore", "--deadline", "3"]);
    let resp = open.review(&review);
    assert_eq!(resp["allowed"], true, "{resp}");
    assert!(
        resp["warnings"]
            .to_string()
            .contains("failurePolicy Ignore"),
        "{resp}"
    );
}

#[test]
fn health_metrics_and_the_cache() {
    let s = Server::start(&[]);
    assert_eq!(s.curl("GET", "/healthz", None).0, 200);
    let spec = pod_spec(json!([{"name": "web", "image": image("multi")}]), json!({}));
    let (g, r, obj) = wrap("Pod", "web", spec);
    for i in 0..3 {
        s.review(&admission(&format!("u-c{i}"), &g, "Pod", &r, obj.clone()));
    }
    let (code, body) = s.curl("GET", "/metrics", None);
    assert_eq!(code, 200);
    let m = String::from_utf8(body).unwrap();
    let value = |name: &str| -> f64 {
        m.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing in\n{m}"))
    };
    assert_eq!(
        value("archcompat_webhook_reviews_total{decision=\"allowed\"}"),
        3.0
    );
    assert_eq!(value("archcompat_webhook_cache_misses_total"), 1.0);
    assert_eq!(value("archcompat_webhook_cache_hits_total"), 2.0);
    assert_eq!(
        value("archcompat_webhook_registry_latency_seconds_count"),
        1.0
    );
}

#[test]
fn bad_input_gets_http_errors_and_never_blocks_the_server() {
    let s = Server::start(&[]);
    let (code, body) = s.curl("POST", "/validate", Some(b"this is not json"));
    assert_eq!(code, 400, "{}", String::from_utf8_lossy(&body));
    let old = json!({"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "x"}});
    let (code, body) = s.curl(
        "POST",
        "/validate",
        Some(&serde_json::to_vec(&old).unwrap()),
    );
    assert_eq!(code, 400);
    assert!(String::from_utf8_lossy(&body).contains("v1beta1"));
    let big = vec![b' '; 10 << 20];
    assert_eq!(s.curl("POST", "/validate", Some(&big)).0, 413);
    assert_eq!(s.curl("GET", "/nope", None).0, 404);
    assert_eq!(s.curl("GET", "/validate", None).0, 405);
    // Slow clients: connections that send nothing, and one that sends a byte a second, do not
    // keep others from being served.
    let idle: Vec<_> = (0..8)
        .map(|_| std::net::TcpStream::connect(&s.addr).unwrap())
        .collect();
    let addr = s.addr.clone();
    let dripper = std::thread::spawn(move || {
        let mut c = std::net::TcpStream::connect(&addr).unwrap();
        for _ in 0..4 {
            if c.write_all(&[0x16]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    let t0 = Instant::now();
    assert_eq!(s.curl("GET", "/healthz", None).0, 200);
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "a slow client blocked the server"
    );
    drop(idle);
    dripper.join().unwrap();
    // Still serving after all of that.
    assert_eq!(s.curl("GET", "/healthz", None).0, 200);
}
