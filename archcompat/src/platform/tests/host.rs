//! Host detection against the real machine (compared with `uname`, `getconf`, glibc's
//! `ld.so --help`), binfmt_misc parsing with QEMU's registration magic, and the verdicts
//! `Host::runs` gives where containerd's assumptions do not hold.

use crate::platform::binfmt::elf_magic_platform;
use crate::platform::host::{cmdline_ia32, ia32_from, kernel_config_value, read_binfmt_misc};
use crate::platform::{Emulator, Host, Platform, Runs, profile};
use std::process::Command;

fn p(s: &str) -> Platform {
    s.parse().unwrap()
}

fn tool(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn detect_agrees_with_uname_and_getconf() {
    let h = Host::detect().unwrap();
    assert_eq!(h.source, "detected");
    if let Some(m) = tool("uname", &["-m"]) {
        assert_eq!(h.machine.as_deref(), Some(m.as_str()));
        let (arch, _) = crate::platform::alias::arch_alias(&m).unwrap();
        // a 64-bit build on a 64-bit kernel: the platform is the kernel's architecture
        if cfg!(target_pointer_width = "64") {
            assert_eq!(h.platform.architecture, arch);
        }
    }
    if let Some(r) = tool("uname", &["-r"]) {
        assert_eq!(h.kernel.as_deref(), Some(r.as_str()));
    }
    if let Some(ps) = tool("getconf", &["PAGESIZE"]) {
        assert_eq!(h.page_size.to_string(), ps);
    }
    assert_eq!(h.platform.os, std::env::consts::OS);
}

#[cfg(target_arch = "x86_64")]
#[test]
fn amd64_level_agrees_with_glibc() {
    let h = Host::detect().unwrap();
    let level = h.amd64_level.expect("x86-64 hosts always have a level");
    assert!((1..=4).contains(&level));
    // glibc >= 2.33: `ld.so --help` lists "x86-64-vN (supported, searched)".
    let Some(help) = tool("/lib64/ld-linux-x86-64.so.2", &["--help"]) else {
        return;
    };
    let glibc_level = (2..=4)
        .filter(|n| help.contains(&format!("x86-64-v{n} (supported")))
        .max()
        .unwrap_or(1);
    if help.contains("x86-64-v2") {
        assert_eq!(level, glibc_level, "{help}");
    }
    // the host's platform stays containerd's DefaultSpec; the level is separate
    assert_eq!(h.platform, Platform::new("linux", "amd64", ""));
    let eff = h.effective_platform();
    if level > 1 {
        assert_eq!(eff.variant, format!("v{level}"));
    }
    assert_eq!(h.runs(&p("linux/amd64")).runs, Runs::Native);
    if level < 4 {
        assert_eq!(
            h.runs(&p(&format!("linux/amd64/v{}", level + 1))).runs,
            Runs::No
        );
    }
}

#[test]
fn personality_probe_restores_the_previous_personality() {
    let before = nix::sys::personality::get().unwrap();
    let machine_before = tool("uname", &["-m"]);
    let probed = crate::platform::host::probe_linux32();
    let after = nix::sys::personality::get().unwrap();
    assert_eq!(before, after);
    // uname in this process (nix) reports the same machine as before
    let m = nix::sys::utsname::uname().unwrap();
    if let Some(mb) = machine_before {
        assert_eq!(m.machine().to_string_lossy(), mb);
    }
    if cfg!(target_arch = "x86_64") || cfg!(target_arch = "arm") {
        assert_eq!(probed, Some(true)); // x86 kernels accept PER_LINUX32 unconditionally
    }
}

#[test]
fn ia32_decision_table() {
    let on = "CONFIG_IA32_EMULATION=y\n";
    let off_default = "CONFIG_IA32_EMULATION=y\nCONFIG_IA32_EMULATION_DEFAULT_DISABLED=y\n";
    let none = "# CONFIG_IA32_EMULATION is not set\n";
    assert_eq!(ia32_from("quiet", Some(on), true).0, Some(true));
    assert_eq!(
        ia32_from("quiet ia32_emulation=0", Some(on), true).0,
        Some(false)
    );
    assert_eq!(ia32_from("ia32_emulation=false", None, true).0, Some(false));
    assert_eq!(ia32_from("", Some(off_default), true).0, Some(false));
    assert_eq!(
        ia32_from("ia32_emulation=1", Some(off_default), true).0,
        Some(true)
    );
    assert_eq!(
        ia32_from("ia32_emulation=1", Some(none), false).0,
        Some(false)
    );
    assert_eq!(ia32_from("", None, false).0, None);
    assert_eq!(ia32_from("", None, true).0, Some(true));
    assert_eq!(cmdline_ia32("a ia32_emulation=off b"), Some(false));
    assert_eq!(
        kernel_config_value(off_default, "CONFIG_IA32_EMULATION"),
        Some("y")
    );
    assert_eq!(kernel_config_value(none, "CONFIG_IA32_EMULATION"), None);
}

/// QEMU's qemu-binfmt-conf.sh magic/mask pairs (as registered by tonistiigi/binfmt),
/// re-typed: (name, magic, mask, expected platform).
const QEMU: &[(&str, &str, &str, &str)] = &[
    (
        "qemu-aarch64",
        "7f454c460201010000000000000000000200b700",
        "ffffffffffffff00fffffffffffffffffeffffff",
        "linux/arm64",
    ),
    (
        "qemu-arm",
        "7f454c4601010100000000000000000002002800",
        "ffffffffffffff00fffffffffffffffffeffffff",
        "linux/arm",
    ),
    (
        "qemu-x86_64",
        "7f454c4602010100000000000000000002003e00",
        "fffffffffffefe00fffffffffffffffffeffffff",
        "linux/amd64",
    ),
    (
        "qemu-i386",
        "7f454c4601010100000000000000000002000300",
        "fffffffffffefe00fffffffffffffffffeffffff",
        "linux/386",
    ),
    (
        "qemu-riscv64",
        "7f454c460201010000000000000000000200f300",
        "ffffffffffffff00fffffffffffffffffeffffff",
        "linux/riscv64",
    ),
    (
        "qemu-ppc64le",
        "7f454c4602010100000000000000000002001500",
        "ffffffffffffff00fffffffffffffffffeffff00",
        "linux/ppc64le",
    ),
    (
        "qemu-s390x",
        "7f454c4602020100000000000000000000020016",
        "ffffffffffffff00fffffffffffffffffffeffff",
        "linux/s390x",
    ),
    (
        "qemu-mips64el",
        "7f454c4602010100000000000000000002000800",
        "ffffffffffffff00fffffffffffffffffeffffff",
        "linux/mips64le",
    ),
    (
        "qemu-loongarch64",
        "7f454c4602010100000000000000000002000201",
        "ffffffffffffff00fffffffffffffffffeffffff",
        "linux/loong64",
    ),
    (
        "rosetta",
        "7f454c4602010100000000000000000002003e00",
        "fffffffffffefe00fffffffffffffffffeffffff",
        "linux/amd64",
    ),
];

#[test]
fn binfmt_misc_directory() {
    let dir = std::env::temp_dir().join(format!("archcompat-binfmt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // not mounted: no status file
    assert_eq!(read_binfmt_misc(&dir).unwrap(), None);
    std::fs::write(dir.join("status"), "enabled\n").unwrap();
    std::fs::write(dir.join("register"), "").unwrap();
    for (name, magic, mask, _) in QEMU {
        let flags = if *name == "qemu-arm" { "OC" } else { "OCF" };
        let state = if *name == "qemu-s390x" {
            "disabled"
        } else {
            "enabled"
        };
        std::fs::write(
            dir.join(name),
            format!("{state}\ninterpreter /usr/bin/{name}\nflags: {flags}\noffset 0\nmagic {magic}\nmask {mask}\n"),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("jar"),
        "enabled\ninterpreter /usr/bin/jexec\nflags: \nextension .jar\n",
    )
    .unwrap();
    std::fs::write(dir.join("garbage"), "\u{0}\u{1}not an entry").unwrap();
    let list = read_binfmt_misc(&dir).unwrap().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    for (name, _, _, want) in QEMU {
        let e = list.iter().find(|e| e.name == *name).unwrap();
        assert_eq!(e.platform.as_ref().unwrap().to_string(), *want, "{name}");
        assert_eq!(e.interpreter, format!("/usr/bin/{name}"));
    }
    let jar = list.iter().find(|e| e.name == "jar").unwrap();
    assert_eq!(jar.extension.as_deref(), Some(".jar"));
    assert_eq!(jar.platform, None);
    assert!(
        !list
            .iter()
            .any(|e| e.name == "garbage" || e.name == "status")
    );

    let mut host = Host::from_platform(p("linux/amd64"));
    host.emulators = list;
    host.binfmt_misc = Some(true);
    let v = host.runs(&p("linux/arm64"));
    assert_eq!(v.runs, Runs::Emulated, "{v:?}");
    assert!(v.reason.contains("qemu-aarch64"));
    // qemu-arm lacks the F flag: still emulated, with the caveat
    let v = host.runs(&p("linux/arm/v7"));
    assert_eq!(v.runs, Runs::Emulated);
    assert!(v.reason.contains("F flag"), "{}", v.reason);
    // a disabled entry does not count
    assert_eq!(host.runs(&p("linux/s390x")).runs, Runs::No);
    assert_eq!(host.runs(&p("linux/sparc64")).runs, Runs::No);
    let emulated: Vec<String> = host.emulated().iter().map(|p| p.to_string()).collect();
    assert!(emulated.contains(&"linux/arm64".to_string()));
    assert!(!emulated.contains(&"linux/s390x".to_string()));
}

#[test]
fn elf_magic_needs_an_elf_header() {
    assert_eq!(elf_magic_platform(b"MZ", None), None);
    assert_eq!(elf_magic_platform(&[0x7f, b'E', b'L', b'F'], None), None);
    let mut m = vec![0u8; 20];
    m[..4].copy_from_slice(b"\x7fELF");
    m[4] = 2;
    m[5] = 1;
    m[18] = 0xb7;
    assert_eq!(
        elf_magic_platform(&m, None).unwrap().to_string(),
        "linux/arm64"
    );
    m[18] = 0xff;
    m[19] = 0xff;
    assert_eq!(elf_magic_platform(&m, None), None);
    assert!(Emulator::parse_entry("x", "interpreter /x\n").is_err());
}

#[test]
fn containerd_assumptions_versus_real_hosts() {
    let candidates = ["linux/amd64", "linux/arm/v7", "linux/arm64/v8", "linux/386"];
    // Containerd's view of an arm64 host: arm/v7 is compatible (assumed).
    let plain = Host::resolve("linux/arm64").unwrap();
    let v = plain.runs(&p("linux/arm/v7"));
    assert_eq!(v.runs, Runs::Compatible);
    assert!(v.reason.contains("assumes"), "{}", v.reason);
    // Graviton4 has no AArch32: containerd would still pick arm/v7 from an index without arm64.
    let g4 = Host::resolve("aws-graviton4").unwrap();
    let v = g4.runs(&p("linux/arm/v7"));
    assert_eq!(v.runs, Runs::No);
    assert!(v.reason.contains("AArch32"), "{}", v.reason);
    let only32: Vec<Platform> = ["linux/amd64", "linux/arm/v7"]
        .iter()
        .map(|s| p(s))
        .collect();
    let r = g4.match_candidates(&only32, false);
    assert_eq!(r.best, Some(1), "containerd picks arm/v7");
    assert_eq!(r.best_runnable, None, "but nothing runs on Graviton4");
    // Apple Silicon Docker Desktop: no AArch32, but QEMU built in → arm/v7 and amd64 emulated.
    let mac = Host::resolve("apple-silicon-docker-desktop").unwrap();
    assert_eq!(mac.runs(&p("linux/amd64")).runs, Runs::Emulated);
    assert_eq!(mac.runs(&p("linux/arm/v7")).runs, Runs::Emulated);
    assert_eq!(mac.runs(&p("linux/arm64")).runs, Runs::Native);
    // An amd64 kernel without IA-32 emulation.
    let mut no32 = Host::from_platform(p("linux/amd64"));
    no32.ia32 = Some(false);
    assert_eq!(no32.runs(&p("linux/386")).runs, Runs::No);
    assert!(!no32.runs_natively().contains(&p("linux/386")));
    no32.ia32 = Some(true);
    assert_eq!(no32.runs(&p("linux/386")).runs, Runs::Compatible);
    // Raspberry Pi 32-bit userland: arm64 images do not run.
    let pi32 = Host::resolve("raspberry-pi-32bit").unwrap();
    assert_eq!(pi32.platform.to_string(), "linux/arm/v8");
    let v = pi32.runs(&p("linux/arm64"));
    assert_eq!(v.runs, Runs::Compatible, "{v:?}");
    assert!(v.reason.contains("--platform linux/arm64"), "{}", v.reason);
    let mut pi32_kernel32 = pi32.clone();
    pi32_kernel32.machine = Some("armv7l".into());
    assert_eq!(pi32_kernel32.runs(&p("linux/arm64")).runs, Runs::No);
    // containerd itself never selects arm64 on arm/v8
    let idx: Vec<Platform> = ["linux/arm64", "linux/arm/v7"]
        .iter()
        .map(|s| p(s))
        .collect();
    assert_eq!(pi32.match_candidates(&idx, false).best, Some(1));
    assert_eq!(pi32.runs(&p("linux/arm/v7")).runs, Runs::Native);
    // Windows / Linux never cross.
    assert_eq!(plain.runs(&p("windows/arm64")).runs, Runs::No);
    let _ = candidates;
}

#[test]
fn amd64_levels() {
    let v3 = Host::resolve("github-actions-ubuntu").unwrap();
    assert_eq!(v3.amd64_level, Some(3));
    assert_eq!(v3.runs(&p("linux/amd64/v3")).runs, Runs::Native);
    assert_eq!(v3.runs(&p("linux/amd64/v2")).runs, Runs::Native);
    let v = v3.runs(&p("linux/amd64/v4"));
    assert_eq!(v.runs, Runs::No);
    assert!(
        v.reason.contains("x86-64-v4") && v.reason.contains("x86-64-v3"),
        "{}",
        v.reason
    );
    // containerd: a host without a variant is v1 and does not match amd64/v2 entries.
    let plain = Host::resolve("linux/amd64").unwrap();
    assert_eq!(plain.amd64_level, None);
    assert_eq!(plain.runs(&p("linux/amd64/v2")).runs, Runs::No);
    let idx: Vec<Platform> = ["linux/amd64", "linux/amd64/v2", "linux/amd64/v3"]
        .iter()
        .map(|s| p(s))
        .collect();
    assert_eq!(v3.match_candidates(&idx, false).best, Some(2));
    assert_eq!(plain.match_candidates(&idx, false).best, Some(0));
}

#[test]
fn every_profile_is_consistent() {
    let mut names = std::collections::HashSet::new();
    for prof in profile::PROFILES {
        assert!(names.insert(prof.name), "duplicate {}", prof.name);
        let h = Host::resolve(prof.name).unwrap();
        assert_eq!(h.source, format!("profile:{}", prof.name));
        assert_eq!(
            h.platform,
            Platform::parse_containerd(prof.platform).unwrap()
        );
        assert!(h.page_size.is_power_of_two() && h.page_size >= 4096);
        assert!(!prof.source.is_empty() && !prof.description.is_empty());
        // everything listed as native really is native or compatible, and nothing emulated is
        for n in prof.native {
            let v = h.runs(&p(n));
            assert!(
                matches!(v.runs, Runs::Native | Runs::Compatible),
                "{}: {n}: {v:?}",
                prof.name
            );
        }
        for e in prof.emulated {
            assert_eq!(h.runs(&p(e)).runs, Runs::Emulated, "{}: {e}", prof.name);
        }
        if h.platform.architecture == "amd64" {
            assert_eq!(prof.aarch32, None);
        }
    }
    for required in [
        "aws-graviton2",
        "aws-graviton3",
        "aws-graviton4",
        "aws-lambda-arm64",
        "aws-lambda-x86_64",
        "ecs-fargate-arm64",
        "ecs-fargate-x86_64",
        "cloud-run",
        "apple-silicon-docker-desktop",
        "raspberry-pi-32bit",
        "raspberry-pi-4",
        "raspberry-pi-5",
        "github-actions-ubuntu",
        "github-actions-ubuntu-arm",
    ] {
        assert!(profile::find(required).is_some(), "{required}");
    }
    assert_eq!(
        profile::find("AWS_Graviton2").unwrap().name,
        "aws-graviton2"
    );
    assert_eq!(Host::resolve("raspberry-pi-5").unwrap().page_size, 16384);
    let e = Host::resolve("aws-graviton9").unwrap_err().to_string();
    assert!(
        e.contains("aws-graviton9") && e.contains("--list-profiles"),
        "{e}"
    );
}

#[test]
fn host_json_shape() {
    let h = Host::resolve("aws-graviton2").unwrap();
    let v = serde_json::to_value(h.report()).unwrap();
    assert_eq!(
        v["platform"],
        serde_json::json!({"os": "linux", "architecture": "arm64", "variant": "v8"})
    );
    assert_eq!(v["page_size"], 4096);
    assert!(
        v["runs_natively"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["architecture"] == "arm")
    );
    assert!(v["emulated"].as_array().unwrap().is_empty());
    assert!(v.get("amd64_level").is_none());
    assert_eq!(
        serde_json::to_value(Runs::Compatible).unwrap(),
        "compatible"
    );
    let local = serde_json::to_value(Host::detect().unwrap().report()).unwrap();
    for key in [
        "platform",
        "runs_natively",
        "emulated",
        "page_size",
        "source",
    ] {
        assert!(local.get(key).is_some(), "{key}");
    }
}

#[test]
fn reasons_name_the_deciding_fact() {
    let linux = Host::resolve("linux/amd64").unwrap();
    let v = linux.runs(&p("linux(+gpu)/amd64"));
    assert_eq!(v.runs, Runs::No);
    assert!(
        v.reason.contains("OS features") && v.reason.contains("gpu"),
        "{}",
        v.reason
    );
    let v = linux.runs(&Platform::new("unknown", "unknown", ""));
    assert!(v.reason.contains("attestation"), "{}", v.reason);
    let win = Host::resolve("windows(10.0.20348)/amd64").unwrap();
    let v = win.runs(&p("windows(10.0.17763)/amd64"));
    assert_eq!(v.runs, Runs::No);
    assert!(
        v.reason.contains("17763") && v.reason.contains("20348"),
        "{}",
        v.reason
    );
    assert_eq!(
        win.runs(&p("windows(10.0.20348.3091)/amd64")).runs,
        Runs::Native
    );
    // win32k is dropped for Windows hosts, as containerd does
    assert_eq!(
        win.runs(&p("windows(10.0.20348+win32k)/amd64")).runs,
        Runs::Native
    );
    let rv = Host::resolve("linux/riscv64")
        .unwrap()
        .runs(&p("linux/riscv64/rva20u64"));
    assert_eq!(rv.runs, Runs::No);
    assert!(rv.reason.contains("exactly"), "{}", rv.reason);
    let a = Host::resolve("linux/arm64/v8.2")
        .unwrap()
        .runs(&p("linux/arm64/8.1"));
    assert!(a.reason.contains("knows no arm64 variant"), "{}", a.reason);
    let a = Host::resolve("linux/arm64/v8.2")
        .unwrap()
        .runs(&p("linux/arm64/v8.5"));
    assert!(a.reason.contains("newer arm64 variant"), "{}", a.reason);
    let empty = Host::resolve("linux/arm64/v9.8")
        .unwrap()
        .runs(&p("linux/arm64"));
    assert_eq!(empty.runs, Runs::No);
    assert!(empty.reason.contains("accepts nothing"), "{}", empty.reason);
}
