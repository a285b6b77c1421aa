//! Shared helpers of the fuzz targets: an OCI layout (or a `docker save` file) written around
//! the fuzzed bytes, in a directory private to this process, then read by `image::analyze`.
#![allow(dead_code)]

use archcompat::fuzzing::analyze;
use archcompat::{Host, Limits, Options};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A scratch directory for this process (in /dev/shm when it exists, so writes stay in memory).
pub fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let d = base.join(format!("archcompat-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("blobs/sha256")).expect("scratch dir");
        d
    })
}

fn sha(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn put_blob(dir: &std::path::Path, bytes: &[u8]) -> String {
    let hex = sha(bytes);
    std::fs::write(dir.join("blobs/sha256").join(&hex), bytes).expect("write blob");
    hex
}

/// Limits small enough that one execution stays fast, large enough for real layers.
pub fn options() -> Options {
    Options {
        limits: Limits {
            max_bytes: 64 << 20,
            max_entries: 100_000,
            ..Limits::default()
        },
        threads: 1,
        ..Options::default()
    }
}

pub fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| Host::resolve("linux/amd64").expect("host"))
}

/// Write an OCI layout whose only layer is `layer` (with this media type) and analyze it.
pub fn analyze_layer(layer: &[u8], media_type: &str) {
    let dir = scratch();
    let _ = std::fs::remove_dir_all(dir.join("blobs/sha256"));
    std::fs::create_dir_all(dir.join("blobs/sha256")).expect("blobs dir");
    let layer_hex = put_blob(dir, layer);
    let config = br#"{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/app"],"Cmd":["--serve"]},"rootfs":{"type":"layers","diff_ids":[]}}"#;
    let config_hex = put_blob(dir, config);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{config_hex}","size":{}}},"layers":[{{"mediaType":"{media_type}","digest":"sha256:{layer_hex}","size":{}}}]}}"#,
        config.len(),
        layer.len()
    );
    let manifest_hex = put_blob(dir, manifest.as_bytes());
    let index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{manifest_hex}","size":{},"platform":{{"architecture":"amd64","os":"linux"}}}}]}}"#,
        manifest.len()
    );
    std::fs::write(dir.join("index.json"), index).expect("index");
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).expect("layout");
    let _ = analyze(&format!("oci:{}", dir.display()), host(), &options());
}

/// Write `bytes` as a tar file (a `docker save` or OCI archive) and analyze it.
pub fn analyze_archive(bytes: &[u8]) {
    let path = scratch().join("save.tar");
    std::fs::write(&path, bytes).expect("write archive");
    let _ = analyze(&path.display().to_string(), host(), &options());
}
