//! Registry sources against Debian's docker-registry on 127.0.0.1 (started and stopped here),
//! filled with `skopeo copy --all`: anonymous, and htpasswd (basic) auth with credentials from
//! podman's auth.json (`REGISTRY_AUTH_FILE`) and from the Docker config (`DOCKER_CONFIG`).
#![cfg(feature = "registry")]

mod image_support;

use archcompat::{CauseCode, EntryStatus, Host, Options, Platform, Verdict, check_image};
use image_support::{Registry, fixtures};
use std::sync::Mutex;

/// Environment variables are process-wide; the auth tests take turns.
static ENV: Mutex<()> = Mutex::new(());

fn host(spec: &str) -> Host {
    Host::from_platform(spec.parse::<Platform>().unwrap())
}

#[test]
fn multi_arch_index_in_a_local_registry() {
    fixtures();
    let reg = Registry::start("anon", None);
    reg.push("multi", None);
    reg.push("liar", None);
    let src = format!("docker://{}/demo/busybox:multi", reg.host());
    for (h, want) in [
        ("linux/amd64", "amd64"),
        ("linux/arm64", "arm64"),
        ("linux/arm/v7", "arm"),
    ] {
        let r = check_image(&src, &host(h), &Options::default()).unwrap();
        assert_eq!(r.verdict, Verdict::Runs, "{h}: {:?}", r.findings);
        let sel = r.selected.as_ref().unwrap();
        assert_eq!(sel.platform.architecture, want);
        assert_eq!(sel.actual_platform.as_ref().unwrap().architecture, want);
        assert!(
            r.platforms
                .iter()
                .any(|e| e.status == EntryStatus::Attestation)
        );
        assert!(
            r.findings
                .iter()
                .any(|f| f.code == CauseCode::AttestationUnsupported)
        );
    }
    // By digest, as `@sha256:`.
    let by_tag = check_image(&src, &host("linux/arm64"), &Options::default()).unwrap();
    let digest = by_tag.selected.unwrap().digest;
    let by_digest = format!("docker://{}/demo/busybox@{digest}", reg.host());
    let r = check_image(&by_digest, &host("linux/arm64"), &Options::default()).unwrap();
    assert_eq!(r.selected.unwrap().digest, digest);

    let r = check_image(
        &format!("docker://{}/demo/busybox:liar", reg.host()),
        &host("linux/amd64"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(r.verdict, Verdict::WontRun);
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == CauseCode::ImageMislabeled)
    );

    let e = check_image(
        &format!("docker://{}/demo/busybox:missing", reg.host()),
        &host("linux/amd64"),
        &Options::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("demo/busybox:missing"), "{e}");
}

#[test]
fn htpasswd_registry_with_credentials_from_auth_files() {
    let _g = ENV.lock().unwrap_or_else(|e| e.into_inner());
    fixtures();
    let reg = Registry::start("auth", Some("tester:s3cret"));
    reg.push("arm64", Some("tester:s3cret"));
    let src = format!("docker://{}/demo/busybox:arm64", reg.host());

    // SAFETY of the environment: this test holds ENV; no other test in this binary reads these.
    let empty = reg.dir.join("empty-docker");
    std::fs::create_dir_all(&empty).unwrap();
    unsafe_env::set("DOCKER_CONFIG", empty.to_str().unwrap());
    unsafe_env::remove("REGISTRY_AUTH_FILE");
    unsafe_env::remove("XDG_RUNTIME_DIR");
    let e = check_image(&src, &host("linux/arm64"), &Options::default()).unwrap_err();
    assert!(e.to_string().contains(&reg.host()), "{e}");

    // podman's auth.json.
    let auth = reg.dir.join("auth.json");
    let b64 = base64("tester:s3cret");
    std::fs::write(
        &auth,
        format!(r#"{{"auths":{{"{}":{{"auth":"{b64}"}}}}}}"#, reg.host()),
    )
    .unwrap();
    unsafe_env::set("REGISTRY_AUTH_FILE", auth.to_str().unwrap());
    let r = check_image(&src, &host("linux/arm64"), &Options::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Runs);
    unsafe_env::remove("REGISTRY_AUTH_FILE");

    // Docker's config.json.
    let dc = reg.dir.join("docker");
    std::fs::create_dir_all(&dc).unwrap();
    std::fs::write(
        dc.join("config.json"),
        format!(r#"{{"auths":{{"{}":{{"auth":"{b64}"}}}}}}"#, reg.host()),
    )
    .unwrap();
    unsafe_env::set("DOCKER_CONFIG", dc.to_str().unwrap());
    let r = check_image(&src, &host("linux/amd64"), &Options::default()).unwrap();
    assert_eq!(r.verdict, Verdict::WontRun);
    unsafe_env::remove("DOCKER_CONFIG");
}

fn base64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

mod unsafe_env {
    //! Edition 2024 makes env mutation `unsafe`; the test crate is not `forbid(unsafe_code)`.
    //! Callers hold the ENV mutex, and the library reads these variables only from this thread.
    pub fn set(k: &str, v: &str) {
        // SAFETY: serialised by the ENV mutex in this test binary.
        unsafe { std::env::set_var(k, v) }
    }
    pub fn remove(k: &str) {
        // SAFETY: as above.
        unsafe { std::env::remove_var(k) }
    }
}
