//! Shared by the verify tests: builds the images `--verify` runs, once per script version
//! (scripts/build-verify-fixtures.sh: Debian busybox-static of four architectures, the Go-built
//! riscv64 program, a program without its libc and one that crashes), cached under target/tmp.
#![allow(dead_code)]

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The OCI layout holding every verify image (one tag each).
pub fn layout() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let script = repo().join("scripts/build-verify-fixtures.sh");
        let body = std::fs::read(&script).expect("fixture script");
        let hash = format!("{:x}", Sha256::digest(&body));
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("verify-fixtures-{}", &hash[..16]));
        let st = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .status()
            .expect("run fixture script");
        assert!(st.success(), "scripts/build-verify-fixtures.sh failed");
        dir.join("oci")
    })
}

pub fn image(tag: &str) -> String {
    format!("oci:{}:{tag}", layout().display())
}
