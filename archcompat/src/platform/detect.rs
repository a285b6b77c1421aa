//! Probes of the running machine: `/proc/cpuinfo` (containerd's ARM variant logic with the
//! Raspberry Pi quirk), CPUID (x86-64 level), `personality(PER_LINUX32)`, page size, kernel
//! configuration and command line (IA-32 emulation), and the host C library. Every file
//! read is capped; the pure functions take their inputs as arguments so they can be tested
//! for any machine.

use super::normalize::{Defaults, goarch_of_target};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

/// The C library found on the host filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Libc {
    /// `glibc` or `musl`.
    pub family: String,
    /// Version when it could be read (`2.41`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The file it was found in.
    pub path: String,
}

const CAP: u64 = 1 << 20;

pub(crate) fn read_capped(path: &Path, cap: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let f = std::fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    f.take(cap).read_to_end(&mut buf).ok()?;
    Some(buf)
}

pub(crate) fn read_text(path: &str) -> Option<String> {
    read_capped(Path::new(path), CAP).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// containerd `getCPUInfo`: the value of the first `/proc/cpuinfo` line whose key equals
/// `key` case-insensitively (the text between the first and second `:`).
pub fn cpuinfo_value(cpuinfo: &str, key: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let mut parts = line.split(':');
        let k = parts.next()?;
        let v = parts.next()?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().to_string())
    })
}

/// containerd `getCPUVariantFromArch`: the variant number from `uname -m`.
///
/// (Example: the test `doc_examples::cpu_variant_from_arch_example` in this file.)
pub fn cpu_variant_from_arch(arch: &str) -> Result<String> {
    let arch = arch.to_lowercase();
    let bad = || Error::InvalidPlatform {
        input: arch.clone(),
        reason: "not an ARM machine name (expected aarch64 or armv<N>…)".into(),
    };
    if arch == "aarch64" {
        return Ok("8".into());
    }
    if arch.len() >= 5 && arch.starts_with("armv") {
        return Ok(match &arch[3..5] {
            "v8" => "8",
            "v7" => "7",
            "v6" => "6",
            "v5" => "5",
            "v4" => "4",
            "v3" => "3",
            _ => "unknown",
        }
        .into());
    }
    Err(bad())
}

/// containerd `getCPUVariant` over given inputs: `cpuinfo` text, `uname -m`, and the GOARCH
/// of the program (the Raspberry Pi quirk applies to `arm` only). Returns `v3`…`v8` or
/// `unknown`; `None` where containerd's lookup fails (variant left empty).
///
/// (Example: the test `doc_examples::cpu_variant_from_example` in this file.)
pub fn cpu_variant_from(cpuinfo: &str, machine: &str, goarch: &str) -> Option<String> {
    let mut variant = match cpuinfo_value(cpuinfo, "Cpu architecture") {
        Some(v) => v,
        None => cpu_variant_from_arch(machine).ok()?,
    };
    if goarch == "arm"
        && variant == "7"
        && let Some(model) = cpuinfo_value(cpuinfo, "model name")
        && model.to_lowercase().starts_with("armv6-compatible")
    {
        variant = "6".into();
    }
    Some(
        match variant.to_lowercase().as_str() {
            "8" | "aarch64" => "v8",
            "7" | "7m" | "?(12)" | "?(13)" | "?(14)" | "?(15)" | "?(16)" | "?(17)" => "v7",
            "6" | "6tej" => "v6",
            "5" | "5t" | "5te" | "5tej" => "v5",
            "4" | "4t" => "v4",
            "3" => "v3",
            _ => "unknown",
        }
        .into(),
    )
}

impl Defaults {
    /// The running program's defaults, as containerd compiled for this target would see them.
    /// The ARM variant is read once from `/proc/cpuinfo` (see [`cpu_variant`]).
    pub fn current() -> &'static Defaults {
        static CURRENT: OnceLock<Defaults> = OnceLock::new();
        CURRENT.get_or_init(|| {
            // A WebAssembly build (the web page) judges Linux containers: a specifier without
            // an OS means linux there, as it does for containerd on a Linux host.
            let os = if cfg!(target_family = "wasm") {
                "linux".to_string()
            } else {
                super::normalize::goos(std::env::consts::OS).to_string()
            };
            let arch = goarch_of_target().to_string();
            let cpu_variant = if arch == "arm" || arch == "arm64" {
                cpu_variant()
            } else {
                String::new()
            };
            Defaults {
                os,
                arch,
                cpu_variant,
            }
        })
    }
}

/// containerd `cpuVariant()` on this machine (empty when it cannot be determined).
pub fn cpu_variant() -> String {
    let cpuinfo = read_text("/proc/cpuinfo").unwrap_or_default();
    let machine = uname_machine().unwrap_or_default();
    cpu_variant_from(&cpuinfo, &machine, goarch_of_target()).unwrap_or_default()
}

pub(crate) fn uname_machine() -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        nix::sys::utsname::uname()
            .ok()
            .map(|u| u.machine().to_string_lossy().into_owned())
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// The x86-64 micro-architecture level of this CPU (1–4), from CPUID with OS support checks
/// and the `lahf_lm` flag of `/proc/cpuinfo`. `cpuinfo` gives that text (`None`: unreadable)
/// and is called only when the flag decides the answer (a v2 CPU without the v3 features):
/// reading `/proc/cpuinfo` costs far more than CPUID, and more the more CPUs there are.
#[cfg(target_arch = "x86_64")]
pub(crate) fn amd64_level_with(cpuinfo: impl FnOnce() -> Option<String>) -> Option<u8> {
    use std::arch::is_x86_feature_detected as has;
    let v2 = has!("cmpxchg16b")
        && has!("popcnt")
        && has!("sse3")
        && has!("ssse3")
        && has!("sse4.1")
        && has!("sse4.2");
    let v3 = v2
        && has!("avx")
        && has!("avx2")
        && has!("bmi1")
        && has!("bmi2")
        && has!("f16c")
        && has!("fma")
        && has!("lzcnt")
        && has!("movbe")
        && has!("xsave");
    let v4 = v3
        && has!("avx512f")
        && has!("avx512bw")
        && has!("avx512cd")
        && has!("avx512dq")
        && has!("avx512vl");
    // LAHF/SAHF in 64-bit mode has no std detector; every v2 CPU has it (checked via cpuinfo,
    // which only a v2 CPU below v3 needs to read).
    let lahf = || {
        cpuinfo()
            .map(|c| {
                cpuinfo_value(&c, "flags")
                    .map(|f| f.split_whitespace().any(|x| x == "lahf_lm"))
                    .unwrap_or(true)
            })
            .unwrap_or(true)
    };
    Some(if v4 {
        4
    } else if v3 {
        3
    } else if v2 && lahf() {
        2
    } else {
        1
    })
}

/// The x86-64 level of this CPU: `None` (this program is not x86-64).
#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn amd64_level_with(_cpuinfo: impl FnOnce() -> Option<String>) -> Option<u8> {
    None
}

/// Probe whether the kernel accepts `personality(PER_LINUX32)` (arm64: AArch32 EL0 present),
/// restoring the previous personality afterwards.
#[cfg(target_os = "linux")]
pub fn probe_linux32() -> Option<bool> {
    use nix::sys::personality::{self, Persona};
    const PER_LINUX32: i32 = 0x0008;
    let machine = uname_machine().unwrap_or_default();
    // Already in a 32-bit personality (uname reports the 32-bit machine): restore to it.
    let already = matches!(machine.as_str(), "armv8l" | "armv7l" | "i686" | "i386");
    let previous = personality::get().ok()?;
    let base = if already { PER_LINUX32 } else { 0 };
    let probe = Persona::from_bits_retain(PER_LINUX32 | previous.bits());
    let result = personality::set(probe);
    let restore = Persona::from_bits_retain(base | previous.bits());
    match result {
        Ok(_) => {
            let _ = personality::set(restore);
            Some(true)
        }
        Err(nix::errno::Errno::EINVAL) => Some(false),
        Err(_) => None,
    }
}

/// Not Linux: unknown.
#[cfg(not(target_os = "linux"))]
pub fn probe_linux32() -> Option<bool> {
    None
}

/// The C library family the system shell is linked against: the loader named in the
/// program-interpreter string of `root/bin/sh` (found in its first 64 KiB, where `.interp`
/// sits), `None` when there is no shell, it is static, or it names neither loader.
fn shell_libc_family(root: &Path) -> Option<&'static str> {
    let head = read_capped(&root.join("bin/sh"), 64 << 10)?;
    if !head.starts_with(b"\x7fELF") {
        return None;
    }
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"/ld-musl-") {
        Some("musl")
    } else if has(b"/ld-linux") || has(b"/ld64.so.") || has(b"/ld.so.1") {
        Some("glibc")
    } else {
        None
    }
}

/// Find the host C library under `root` (`/` normally): musl's loader, or glibc's
/// `libc.so.6` with the version from its banner. When both are installed (Debian's `musl`
/// package puts `ld-musl-*.so.1` into `/lib` of a glibc system; Alpine's `gcompat` adds a
/// glibc loader to a musl one), the one `/bin/sh` is linked against is the system's.
pub fn detect_libc(root: &Path) -> Option<Libc> {
    let glibc_shell = shell_libc_family(root) == Some("glibc");
    glibc_shell
        .then(|| find_glibc(root))
        .flatten()
        .or_else(|| find_musl(root))
        .or_else(|| find_glibc(root))
}

/// musl's loader (`ld-musl-<arch>.so.1`) in `root/lib` or `root/usr/lib`.
fn find_musl(root: &Path) -> Option<Libc> {
    for dir in ["lib", "usr/lib"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            for e in rd.flatten().take(10_000) {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with("ld-musl-") && name.ends_with(".so.1") {
                    return Some(Libc {
                        family: "musl".into(),
                        version: None,
                        path: e.path().display().to_string(),
                    });
                }
            }
        }
    }
    None
}

/// glibc's `libc.so.6` in the usual (multiarch) directories, with its banner's version.
fn find_glibc(root: &Path) -> Option<Libc> {
    let multiarch = [
        "lib/x86_64-linux-gnu",
        "lib/aarch64-linux-gnu",
        "lib/arm-linux-gnueabihf",
        "lib/i386-linux-gnu",
        "lib/powerpc64le-linux-gnu",
        "lib/s390x-linux-gnu",
        "lib/riscv64-linux-gnu",
        "lib64",
        "usr/lib64",
        "lib",
        "usr/lib",
    ];
    for dir in multiarch {
        let path = root.join(dir).join("libc.so.6");
        if let Some(bytes) = read_capped(&path, 8 << 20) {
            let version = glibc_banner_version(&bytes);
            return Some(Libc {
                family: "glibc".into(),
                version,
                path: path.display().to_string(),
            });
        }
    }
    None
}

fn glibc_banner_version(bytes: &[u8]) -> Option<String> {
    let needle = b"release version ";
    // The banner sits near the end of a 2 MB libc.so.6: a vectorised substring search (the
    // one the diagnose scan uses) instead of comparing every window.
    let i = aho_corasick::AhoCorasick::new([needle])
        .ok()?
        .find(bytes)?
        .start();
    let rest = &bytes[i + needle.len()..];
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .unwrap_or(rest.len().min(16));
    let v = String::from_utf8_lossy(&rest[..end]);
    let v = v.trim_end_matches('.');
    (!v.is_empty()).then(|| v.to_string())
}

// Only `Host::detect` asks, and a WebAssembly build has no machine to probe.
#[cfg_attr(target_family = "wasm", allow(dead_code))]
pub(crate) fn page_size() -> Option<u64> {
    #[cfg(unix)]
    {
        nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
            .ok()
            .flatten()
            .and_then(|v| u64::try_from(v).ok())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Whether the kernel command line disables IA-32 emulation (`ia32_emulation=0|false|off`).
pub fn cmdline_ia32(cmdline: &str) -> Option<bool> {
    cmdline.split_whitespace().find_map(|w| {
        let v = w.strip_prefix("ia32_emulation=")?;
        Some(!matches!(v, "0" | "false" | "off" | "n" | "no"))
    })
}

/// The kernel build configuration (`/proc/config.gz`, else `/boot/config-<release>`),
/// decompressed up to 8 MiB. `None` when neither is readable.
pub fn kernel_config(release: Option<&str>) -> Option<(String, String)> {
    use std::io::Read;
    if let Some(gz) = read_capped(Path::new("/proc/config.gz"), 4 << 20) {
        let mut text = String::new();
        let dec = flate2::read::GzDecoder::new(&gz[..]);
        if dec.take(8 << 20).read_to_string(&mut text).is_ok() {
            return Some(("/proc/config.gz".into(), text));
        }
    }
    let path = format!("/boot/config-{}", release?);
    read_text(&path).map(|t| (path, t))
}

/// The value of `CONFIG_<name>` in a kernel config (`y`, `m`, a number), `None` when unset.
pub fn kernel_config_value<'a>(config: &'a str, name: &str) -> Option<&'a str> {
    config.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k == name).then_some(v.trim())
    })
}

/// Whether a x86-64 kernel runs 32-bit x86 code, from the boot command line
/// (`ia32_emulation=`), the kernel config (`CONFIG_IA32_EMULATION`,
/// `CONFIG_IA32_EMULATION_DEFAULT_DISABLED`) and the `abi.vsyscall32` sysctl (present only
/// when IA-32 emulation is built in). Returns the answer and how it was reached.
pub fn ia32_from(
    cmdline: &str,
    config: Option<&str>,
    vsyscall32_present: bool,
) -> (Option<bool>, String) {
    let built = match config {
        Some(c) => kernel_config_value(c, "CONFIG_IA32_EMULATION") == Some("y"),
        None if vsyscall32_present => true,
        None => {
            return (None, "no kernel config and no abi.vsyscall32 sysctl".into());
        }
    };
    if !built {
        return (
            Some(false),
            "kernel built without CONFIG_IA32_EMULATION".into(),
        );
    }
    if let Some(on) = cmdline_ia32(cmdline) {
        let state = if on { "on" } else { "off" };
        return (Some(on), format!("boot parameter ia32_emulation={state}"));
    }
    match config {
        Some(c)
            if kernel_config_value(c, "CONFIG_IA32_EMULATION_DEFAULT_DISABLED") == Some("y") =>
        {
            (
                Some(false),
                "CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y and no ia32_emulation=1".into(),
            )
        }
        Some(_) => (
            Some(true),
            "CONFIG_IA32_EMULATION=y, not disabled at boot".into(),
        ),
        None => (
            Some(true),
            "abi.vsyscall32 sysctl present (IA-32 emulation built in), not disabled at boot".into(),
        ),
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn cpu_variant_from_arch_example() {
        use crate::platform::host::cpu_variant_from_arch;
        assert_eq!(cpu_variant_from_arch("aarch64").unwrap(), "8");
        assert_eq!(cpu_variant_from_arch("armv9").unwrap(), "unknown");
        assert!(cpu_variant_from_arch("armv").is_err());
    }

    #[test]
    fn cpu_variant_from_example() {
        use crate::platform::host::cpu_variant_from;
        let pi_zero = "model name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU architecture: 7\n";
        assert_eq!(
            cpu_variant_from(pi_zero, "armv6l", "arm").as_deref(),
            Some("v6")
        );
        assert_eq!(
            cpu_variant_from("CPU architecture: 8\n", "aarch64", "arm").as_deref(),
            Some("v8")
        );
    }
}

#[cfg(test)]
mod libc_tests {
    use super::detect_libc;
    use std::path::{Path, PathBuf};

    /// A fake root: `/bin/sh` naming `interp` in its program-interpreter string (or no shell),
    /// Debian's glibc and a musl loader both installed.
    fn root(name: &str, interp: Option<&str>) -> PathBuf {
        let r = std::env::temp_dir().join(format!("archcompat-libc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&r);
        for d in ["bin", "lib", "lib/x86_64-linux-gnu"] {
            std::fs::create_dir_all(r.join(d)).unwrap();
        }
        if let Some(i) = interp {
            let mut sh = b"\x7fELF\x02\x01\x01".to_vec();
            sh.resize(0x238, 0);
            sh.extend_from_slice(i.as_bytes());
            sh.push(0);
            std::fs::write(r.join("bin/sh"), sh).unwrap();
        }
        std::fs::write(r.join("lib/ld-musl-x86_64.so.1"), b"\x7fELF").unwrap();
        std::fs::write(
            r.join("lib/x86_64-linux-gnu/libc.so.6"),
            b"\x7fELF...GNU C Library (Debian GLIBC 2.36-9) stable release version 2.36.\n",
        )
        .unwrap();
        r
    }

    fn family(r: &Path) -> String {
        detect_libc(r).map(|l| l.family).unwrap_or_default()
    }

    #[test]
    fn the_shells_loader_decides_when_glibc_and_musl_are_both_installed() {
        // Debian with its `musl` package: the shell is glibc's, so the system is glibc.
        let debian = root("debian", Some("/lib64/ld-linux-x86-64.so.2"));
        let l = detect_libc(&debian).unwrap();
        assert_eq!(
            (l.family.as_str(), l.version.as_deref()),
            ("glibc", Some("2.36"))
        );
        // Alpine with a glibc compatibility layer: the shell is musl's.
        let alpine = root("alpine", Some("/lib/ld-musl-x86_64.so.1"));
        assert_eq!(family(&alpine), "musl");
        // No shell to ask: musl's loader first, as before.
        let bare = root("bare", None);
        assert_eq!(family(&bare), "musl");
        for r in [debian, alpine, bare] {
            let _ = std::fs::remove_dir_all(r);
        }
    }
}
