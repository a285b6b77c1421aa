//! Findings only the executable classifier can make reach `archcompat image`: an image whose
//! entrypoint script has CRLF line endings, and one whose program needs x86-64-v3.

use archcompat::{CauseCode, Host, Options, Platform, Verdict, check_image};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn bin(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/bin")
            .join(name),
    )
    .unwrap()
}

fn put(dir: &Path, bytes: &[u8]) -> String {
    let hex = format!("{:x}", Sha256::digest(bytes));
    std::fs::write(dir.join("blobs/sha256").join(&hex), bytes).unwrap();
    format!("sha256:{hex}")
}

/// A one-layer OCI layout (written here, byte for byte) with `files` and `entrypoint`.
fn layout(name: &str, files: &[(&str, Vec<u8>)], entrypoint: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("archcompat-img-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    let mut tar = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o755);
        h.set_mtime(0);
        h.set_cksum();
        tar.append_data(&mut h, path, data.as_slice()).unwrap();
    }
    let layer = tar.into_inner().unwrap();
    let layer_digest = put(&dir, &layer);
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": { "Entrypoint": [entrypoint], "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"] },
        "rootfs": { "type": "layers", "diff_ids": [layer_digest] }
    });
    let config = serde_json::to_vec(&config).unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": { "mediaType": "application/vnd.oci.image.config.v1+json", "digest": put(&dir, &config), "size": config.len() },
        "layers": [{ "mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer_digest, "size": layer.len() }]
    }))
    .unwrap();
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{ "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": put(&dir, &manifest), "size": manifest.len(),
                        "platform": { "architecture": "amd64", "os": "linux" } }]
    });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    dir
}

#[test]
fn crlf_entrypoint_script_is_reported_with_the_layer() {
    let dir = layout(
        "crlf",
        &[
            ("entrypoint.sh", bin("script-crlf.sh")),
            ("bin/sh", bin("c-amd64-musl-static")),
        ],
        "/entrypoint.sh",
    );
    let host = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
    let r = check_image(&dir.display().to_string(), &host, &Options::default()).unwrap();
    let crlf = r
        .findings
        .iter()
        .find(|f| f.code == CauseCode::CrlfLineEndings)
        .unwrap_or_else(|| panic!("{:?}", r.findings));
    assert_eq!(r.verdict, Verdict::WontRun);
    assert!(
        crlf.evidence
            .iter()
            .any(|e| e.path.as_deref() == Some("/entrypoint.sh")
                && e.layer.as_deref().is_some_and(|l| l.starts_with("sha256:"))),
        "{:?}",
        crlf.evidence
    );
    assert!(!crlf.fixes.is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn isa_level_above_the_host_is_reported() {
    let dir = layout(
        "isa",
        &[
            ("app", bin("c-amd64-isa-v3")),
            ("lib64/ld-linux-x86-64.so.2", bin("c-amd64-musl-static")),
        ],
        "/app",
    );
    let mut host = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
    host.amd64_level = Some(2);
    let r = check_image(&dir.display().to_string(), &host, &Options::default()).unwrap();
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == CauseCode::IsaLevelTooHigh),
        "{:?}",
        r.findings
    );
    host.amd64_level = Some(3);
    let r = check_image(&dir.display().to_string(), &host, &Options::default()).unwrap();
    assert!(
        !r.findings
            .iter()
            .any(|f| f.code == CauseCode::IsaLevelTooHigh),
        "{:?}",
        r.findings
    );
    let _ = std::fs::remove_dir_all(dir);
}
