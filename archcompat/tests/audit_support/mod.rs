//! The 31-repository registry of the audit tests: filled once by scripts/build-audit-registry.sh
//! (skopeo pushes of the image and verify fixtures, cached under target/tmp by script hashes),
//! then served per test binary from a private copy by Debian's docker-registry on 127.0.0.1.
#![allow(dead_code)]

#[path = "../image_support/mod.rs"]
mod image_support;
#[path = "../verify_support/mod.rs"]
mod verify_support;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn built() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let img = image_support::fixtures().join("oci");
        let ver = verify_support::layout();
        let mut h = Sha256::new();
        for s in [
            "build-audit-registry.sh",
            "build-image-fixtures.sh",
            "build-verify-fixtures.sh",
        ] {
            h.update(std::fs::read(image_support::repo().join("scripts").join(s)).unwrap());
        }
        let hash = format!("{:x}", h.finalize());
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("audit-registry-{}", &hash[..16]));
        let st = Command::new("bash")
            .arg(image_support::repo().join("scripts/build-audit-registry.sh"))
            .arg(&dir)
            .arg(&img)
            .arg(ver)
            .status()
            .unwrap();
        assert!(st.success(), "scripts/build-audit-registry.sh failed");
        dir
    })
}

/// A running registry serving a private copy of the audit data; stopped on drop.
pub struct AuditRegistry {
    dir: PathBuf,
    pub port: u16,
}

impl AuditRegistry {
    pub fn start(name: &str) -> AuditRegistry {
        let src = built();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("audit-reg-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert!(
            Command::new("cp")
                .arg("-a")
                .arg(src.join("data"))
                .arg(dir.join("data"))
                .status()
                .unwrap()
                .success()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        assert!(
            Command::new("bash")
                .arg(image_support::repo().join("scripts/test-registry.sh"))
                .arg("start")
                .arg(&dir)
                .arg(port.to_string())
                .status()
                .unwrap()
                .success(),
            "registry did not start"
        );
        AuditRegistry { dir, port }
    }

    pub fn url(&self, prefix: &str) -> String {
        if prefix.is_empty() {
            format!("docker://127.0.0.1:{}", self.port)
        } else {
            format!("docker://127.0.0.1:{}/{prefix}", self.port)
        }
    }
}

impl Drop for AuditRegistry {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(image_support::repo().join("scripts/test-registry.sh"))
            .arg("stop")
            .arg(&self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn verify_layout() -> &'static Path {
    verify_support::layout()
}
