//! Shared by the image integration tests: builds the real fixtures once (Debian busybox-static,
//! umoci, skopeo, via scripts/build-image-fixtures.sh, cached by script hash) and starts/stops
//! Debian's docker-registry on 127.0.0.1 (scripts/test-registry.sh).
#![allow(dead_code)]

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// `target/tmp`: Cargo's `CARGO_TARGET_TMPDIR` for integration tests; for the core's unit
/// tests (which include this file) the same directory, found from the test binary
/// (`target/debug/deps/…`), so the fixtures are built once for both.
fn tmp() -> PathBuf {
    match option_env!("CARGO_TARGET_TMPDIR") {
        Some(d) => PathBuf::from(d),
        None => {
            let exe = std::env::current_exe().expect("test binary path");
            let target = exe.ancestors().nth(3).expect("target/debug/deps/binary");
            target.join("tmp")
        }
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The fixture directory, built on first use.
pub fn fixtures() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let script = repo().join("scripts/build-image-fixtures.sh");
        let body = std::fs::read(&script).expect("fixture script");
        let hash = format!("{:x}", Sha256::digest(&body));
        let dir = tmp().join(format!("image-fixtures-{}", &hash[..16]));
        let st = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .status()
            .expect("run fixture script");
        assert!(st.success(), "scripts/build-image-fixtures.sh failed");
        dir
    })
}

/// The regression fixtures (scripts/build-image-regressions.sh), built on first use.
pub fn regressions() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let script = repo().join("scripts/build-image-regressions.sh");
        let body = std::fs::read(&script).expect("regression fixture script");
        let hash = format!("{:x}", Sha256::digest(&body));
        let dir = tmp().join(format!("image-regressions-{}", &hash[..16]));
        let st = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .status()
            .expect("run regression fixture script");
        assert!(st.success(), "scripts/build-image-regressions.sh failed");
        dir
    })
}

/// A running loopback registry; stopped on drop.
pub struct Registry {
    pub dir: PathBuf,
    pub port: u16,
}

impl Registry {
    pub fn start(name: &str, creds: Option<&str>) -> Registry {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tmp().join(format!("registry-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut c = Command::new("bash");
        c.arg(repo().join("scripts/test-registry.sh"))
            .arg("start")
            .arg(&dir)
            .arg(port.to_string());
        if let Some(cr) = creds {
            c.arg(cr);
        }
        assert!(c.status().unwrap().success(), "registry did not start");
        Registry { dir, port }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `skopeo copy --all` from the fixture layout.
    pub fn push(&self, tag: &str, creds: Option<&str>) {
        let mut c = Command::new("skopeo");
        c.args(["copy", "-q", "--all", "--dest-tls-verify=false"]);
        if let Some(cr) = creds {
            c.args(["--dest-creds", cr]);
        }
        c.arg(format!("oci:{}:{tag}", fixtures().join("oci").display()));
        c.arg(format!("docker://{}/demo/busybox:{tag}", self.host()));
        assert!(c.status().unwrap().success(), "skopeo copy failed");
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(repo().join("scripts/test-registry.sh"))
            .arg("stop")
            .arg(&self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
