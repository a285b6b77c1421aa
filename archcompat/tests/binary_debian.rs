//! Opt-in (`ARCHCOMPAT_DEBIAN_TESTS=1`, needs root and the Debian mirror): downloads real
//! `busybox-static` packages of other architectures with apt and checks their classification.

use archcompat::{Host, inspect_path};
use std::process::Command;

fn sh(cmd: &str, dir: &std::path::Path) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn debian_busybox_static_of_other_architectures() {
    if std::env::var("ARCHCOMPAT_DEBIAN_TESTS").as_deref() != Ok("1") {
        eprintln!("skipped: set ARCHCOMPAT_DEBIAN_TESTS=1 to download Debian packages");
        return;
    }
    let cases = [
        ("arm64", "linux/arm64", "aarch64", None),
        ("armhf", "linux/arm/v7", "arm", Some("hard")),
        ("armel", "linux/arm/v5", "arm", Some("soft")),
        ("s390x", "linux/s390x", "s390", None),
        ("ppc64el", "linux/ppc64le", "ppc64", None),
        ("i386", "linux/386", "i386", None),
    ];
    let tmp = std::env::temp_dir().join(format!("archcompat-debian-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for (arch, _, _, _) in &cases {
        assert!(sh(&format!("dpkg --add-architecture {arch}"), &tmp));
    }
    // A mirror mid-sync for one architecture must not stop the others.
    sh("apt-get update -qq", &tmp);
    for (arch, platform, machine, float) in cases {
        let d = tmp.join(arch);
        std::fs::create_dir_all(&d).unwrap();
        assert!(
            sh(&format!("apt-get download -qq busybox-static:{arch}"), &d),
            "apt-get download busybox-static:{arch}"
        );
        assert!(sh("dpkg-deb -x busybox-static_*.deb root", &d));
        let bin = d.join("root/bin/busybox");
        let host = Host::from_platform("linux/amd64".parse().unwrap());
        let info = inspect_path(&bin, &host).unwrap().info;
        assert_eq!(info.platform().unwrap().to_string(), platform, "{arch}");
        let e = info.elf().unwrap();
        assert_eq!(e.machine, machine, "{arch}");
        assert_eq!(e.interpreter, None, "{arch}: static");
        if let Some(f) = float {
            let v = serde_json::to_value(e.float_abi).unwrap();
            assert_eq!(v, f, "{arch}");
        }
    }
    std::fs::remove_dir_all(&tmp).ok();
}
