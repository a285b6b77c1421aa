//! What a machine can really run: [`Host`] (detected from this machine, built from a
//! platform with containerd's assumptions, or a named [profile](super::profile)) and the
//! verdict [`Host::runs`] gives for a candidate platform.
//!
//! Detection reads `uname`, `/proc/cpuinfo` (the ARM variant, with the Raspberry Pi quirk),
//! CPUID (the x86-64 level, via `is_x86_feature_detected!`), `sysconf(_SC_PAGESIZE)`,
//! `personality(PER_LINUX32)` (AArch32 on arm64, restored afterwards), the kernel command
//! line (`ia32_emulation=`), `/proc/sys/fs/binfmt_misc` (emulators and the ELF magic each
//! handles) and the C library present on the host. Every file read is capped.

use super::Platform;
use super::matcher;
use super::normalize::{Defaults, goarch_of_target, normalize_arch};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// How a host runs a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runs {
    /// The CPU executes it in its own mode (same architecture, an equal or older variant).
    Native,
    /// The CPU executes it in a 32-bit compatibility mode (386 on amd64, arm on arm64).
    Compatible,
    /// Only through a registered emulator (binfmt_misc: QEMU, Rosetta).
    Emulated,
    /// It does not run.
    No,
}

impl Runs {
    /// The contract's spelling (`native`, `compatible`, `emulated`, `no`).
    pub fn as_str(self) -> &'static str {
        match self {
            Runs::Native => "native",
            Runs::Compatible => "compatible",
            Runs::Emulated => "emulated",
            Runs::No => "no",
        }
    }
}

impl fmt::Display for Runs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// [`Host::runs`]'s answer and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunVerdict {
    /// How it runs.
    pub runs: Runs,
    /// One sentence saying why (names both platforms, and the host fact that decided).
    pub reason: String,
}

/// A binfmt_misc handler (`/proc/sys/fs/binfmt_misc/<name>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emulator {
    /// Entry name (`qemu-aarch64`, `rosetta`).
    pub name: String,
    /// Whether the entry is enabled.
    pub enabled: bool,
    /// Interpreter path.
    pub interpreter: String,
    /// Flags (`F` = interpreter opened at registration, needed inside containers).
    pub flags: String,
    /// Magic offset (magic entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Magic bytes, hex (magic entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magic: Option<String>,
    /// Mask, hex (magic entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
    /// File extension (extension entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The platform whose ELF executables it handles, decoded from the magic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

impl Emulator {
    /// An emulator known to handle `platform` (profiles, tests).
    pub fn for_platform(name: &str, interpreter: &str, platform: Platform) -> Emulator {
        Emulator {
            name: name.into(),
            enabled: true,
            interpreter: interpreter.into(),
            flags: "F".into(),
            offset: None,
            magic: None,
            mask: None,
            extension: None,
            platform: Some(platform),
        }
    }

    /// Parse one `/proc/sys/fs/binfmt_misc/<name>` file.
    ///
    /// ```
    /// use archcompat::platform::Emulator;
    /// let text = "enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: OCF\noffset 0\n\
    ///     magic 7f454c460201010000000000000000000200b700\n\
    ///     mask ffffffffffffff00fffffffffffffffffeffffff\n";
    /// let e = Emulator::parse_entry("qemu-aarch64", text).unwrap();
    /// assert_eq!(e.platform.unwrap().to_string(), "linux/arm64");
    /// assert!(e.enabled && e.flags.contains('F'));
    /// ```
    pub fn parse_entry(name: &str, text: &str) -> Result<Emulator> {
        let mut e = Emulator {
            name: name.into(),
            enabled: false,
            interpreter: String::new(),
            flags: String::new(),
            offset: None,
            magic: None,
            mask: None,
            extension: None,
            platform: None,
        };
        let mut saw_state = false;
        for line in text.lines() {
            let line = line.trim();
            match line {
                "enabled" => {
                    e.enabled = true;
                    saw_state = true;
                }
                "disabled" => saw_state = true,
                _ => {
                    let (k, v) = line.split_once(' ').unwrap_or((line, ""));
                    let v = v.trim();
                    match k.trim_end_matches(':') {
                        "interpreter" => e.interpreter = v.into(),
                        "flags" => e.flags = v.into(),
                        "offset" => e.offset = v.parse().ok(),
                        "magic" => e.magic = Some(v.into()),
                        "mask" => e.mask = Some(v.into()),
                        "extension" => e.extension = Some(v.into()),
                        _ => {}
                    }
                }
            }
        }
        if !saw_state {
            return Err(Error::malformed(
                format!("binfmt_misc entry {name}"),
                "no `enabled`/`disabled` line",
            ));
        }
        if e.offset.unwrap_or(0) == 0
            && let Some(magic) = e.magic.as_deref().and_then(decode_hex)
        {
            let mask = e.mask.as_deref().and_then(decode_hex);
            e.platform = elf_magic_platform(&magic, mask.as_deref());
        }
        Ok(e)
    }

    /// Whether this emulator runs ELF executables of `p` (same OS and architecture).
    pub fn handles(&self, p: &Platform) -> bool {
        let Some(mine) = &self.platform else {
            return false;
        };
        let d = Defaults::new("linux", "", "");
        let (a, b) = (mine.normalize_with(&d), p.normalize_with(&d));
        self.enabled && a.os == b.os && a.architecture == b.architecture
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || s.len() > 512 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// GOARCH for an ELF `e_machine`, class (1 = 32-bit, 2 = 64-bit) and data (1 = LE, 2 = BE).
pub fn elf_machine_goarch(machine: u16, class: u8, data: u8) -> Option<&'static str> {
    let le = data == 1;
    Some(match (machine, class) {
        (3, 1) => "386",
        (62, 2) => "amd64",
        (62, 1) => "amd64p32",
        (40, 1) => {
            if le {
                "arm"
            } else {
                "armbe"
            }
        }
        (183, 2) => {
            if le {
                "arm64"
            } else {
                "arm64be"
            }
        }
        (8, 1) => {
            if le {
                "mipsle"
            } else {
                "mips"
            }
        }
        (8, 2) => {
            if le {
                "mips64le"
            } else {
                "mips64"
            }
        }
        (20, 1) => "ppc",
        (21, 2) => {
            if le {
                "ppc64le"
            } else {
                "ppc64"
            }
        }
        (22, 2) => "s390x",
        (22, 1) => "s390",
        (243, 2) => "riscv64",
        (243, 1) => "riscv",
        (258, 2) => "loong64",
        (2, 1) => "sparc",
        (43, 2) => "sparc64",
        _ => return None,
    })
}

/// The platform an ELF magic (the first ≥ 20 bytes of an ELF header, masked) selects.
pub fn elf_magic_platform(magic: &[u8], mask: Option<&[u8]>) -> Option<Platform> {
    if magic.len() < 20 || magic[..4] != *b"\x7fELF" {
        return None;
    }
    let byte = |i: usize| magic[i] & mask.and_then(|m| m.get(i).copied()).unwrap_or(0xff);
    let (class, data) = (byte(4), byte(5));
    let machine = if data == 2 {
        u16::from_be_bytes([byte(18), byte(19)])
    } else {
        u16::from_le_bytes([byte(18), byte(19)])
    };
    let arch = elf_machine_goarch(machine, class, data)?;
    let (arch, variant) = normalize_arch(arch, "");
    let mut p = Platform::new("linux", &arch, &variant);
    if p.architecture == "arm" {
        p.variant.clear(); // qemu-arm runs every 32-bit ARM variant
    }
    Some(p)
}

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

/// What a machine runs: the platform containerd would see, plus the facts that decide
/// whether containerd's assumptions hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Host {
    /// The platform (containerd `DefaultSpec` when detected: `linux/amd64`, `linux/arm64/v8`).
    pub platform: Platform,
    /// x86-64 micro-architecture level 1–4, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amd64_level: Option<u8>,
    /// Kernel page size in bytes.
    pub page_size: u64,
    /// The arm64 ISA level the CPU implements (`v8.2`, `v9`), when known: used for matching
    /// arm64 variants the way `amd64_level` is for amd64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arm64_variant: Option<String>,
    /// Whether the CPU and kernel run 32-bit ARM code (arm64 hosts); `None` = unknown
    /// (containerd assumes yes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aarch32: Option<bool>,
    /// Whether the kernel runs 32-bit x86 code (amd64 hosts); `None` = unknown
    /// (containerd assumes yes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ia32: Option<bool>,
    /// Registered binfmt_misc emulators.
    #[serde(default)]
    pub emulators: Vec<Emulator>,
    /// Platforms run through a mechanism that is not binfmt_misc (Docker Desktop's VM with
    /// Rosetta/QEMU built in, profiles).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_emulated: Vec<Platform>,
    /// The host's C library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libc: Option<Libc>,
    /// `uname -m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// `uname -r`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel: Option<String>,
    /// CPU model (`/proc/cpuinfo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// CPU features that matter for images (ARM `Features`, x86 level features).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpu_features: Vec<String>,
    /// Whether `/proc/sys/fs/binfmt_misc` is mounted (`None` when not detected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binfmt_misc: Option<bool>,
    /// Where these facts come from: `detected`, `platform` (containerd's assumptions) or
    /// `profile:<name>`.
    pub source: String,
    /// How each detected fact was established (one line per probe).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

const CAP: u64 = 1 << 20;

fn read_capped(path: &Path, cap: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let f = std::fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    f.take(cap).read_to_end(&mut buf).ok()?;
    Some(buf)
}

fn read_text(path: &str) -> Option<String> {
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
/// ```
/// use archcompat::platform::host::cpu_variant_from_arch;
/// assert_eq!(cpu_variant_from_arch("aarch64").unwrap(), "8");
/// assert_eq!(cpu_variant_from_arch("armv9").unwrap(), "unknown");
/// assert!(cpu_variant_from_arch("armv").is_err());
/// ```
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
/// ```
/// use archcompat::platform::host::cpu_variant_from;
/// let pi_zero = "model name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU architecture: 7\n";
/// assert_eq!(cpu_variant_from(pi_zero, "armv6l", "arm").as_deref(), Some("v6"));
/// assert_eq!(cpu_variant_from("CPU architecture: 8\n", "aarch64", "arm").as_deref(), Some("v8"));
/// ```
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

/// containerd `cpuVariant()` on this machine (empty when it cannot be determined).
pub fn cpu_variant() -> String {
    let cpuinfo = read_text("/proc/cpuinfo").unwrap_or_default();
    let machine = uname_machine().unwrap_or_default();
    cpu_variant_from(&cpuinfo, &machine, goarch_of_target()).unwrap_or_default()
}

fn uname_machine() -> Option<String> {
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

/// The x86-64 micro-architecture level of this CPU (1–4), from CPUID with OS support checks.
#[cfg(target_arch = "x86_64")]
pub fn detect_amd64_level() -> Option<u8> {
    use std::arch::is_x86_feature_detected as has;
    let v2 = has!("cmpxchg16b")
        && has!("popcnt")
        && has!("sse3")
        && has!("ssse3")
        && has!("sse4.1")
        && has!("sse4.2");
    // LAHF/SAHF in 64-bit mode has no std detector; every v2 CPU has it (checked via cpuinfo).
    let lahf = read_text("/proc/cpuinfo")
        .map(|c| {
            cpuinfo_value(&c, "flags")
                .map(|f| f.split_whitespace().any(|x| x == "lahf_lm"))
                .unwrap_or(true)
        })
        .unwrap_or(true);
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
    Some(if v4 {
        4
    } else if v3 {
        3
    } else if v2 && lahf {
        2
    } else {
        1
    })
}

/// The x86-64 level of this CPU (`None`: this program is not x86-64).
#[cfg(not(target_arch = "x86_64"))]
pub fn detect_amd64_level() -> Option<u8> {
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

/// Read the binfmt_misc entries under `dir` (normally `/proc/sys/fs/binfmt_misc`).
/// `Ok(None)` when binfmt_misc is not mounted there (no `status` file).
pub fn read_binfmt_misc(dir: &Path) -> Result<Option<Vec<Emulator>>> {
    if !dir.join("status").exists() {
        return Ok(None);
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in rd.take(4096) {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "register" || name == "status" {
            continue;
        }
        let Some(bytes) = read_capped(&entry.path(), 64 * 1024) else {
            continue;
        };
        if let Ok(e) = Emulator::parse_entry(&name, &String::from_utf8_lossy(&bytes)) {
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(out))
}

/// Find the host C library under `root` (`/` normally): musl's loader, or glibc's
/// `libc.so.6` with the version from its banner.
pub fn detect_libc(root: &Path) -> Option<Libc> {
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
    let i = bytes.windows(needle.len()).position(|w| w == needle)?;
    let rest = &bytes[i + needle.len()..];
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .unwrap_or(rest.len().min(16));
    let v = String::from_utf8_lossy(&rest[..end]);
    let v = v.trim_end_matches('.');
    (!v.is_empty()).then(|| v.to_string())
}

fn page_size() -> Option<u64> {
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

impl Host {
    /// A host that is exactly `platform`, with containerd's assumptions: it runs what
    /// containerd's `Only` vector says, 32-bit modes unknown (assumed), no emulators,
    /// 4 KiB pages.
    ///
    /// ```
    /// use archcompat::platform::{Host, Runs};
    /// let h = Host::from_platform("linux/arm64".parse().unwrap());
    /// assert_eq!(h.runs(&"linux/arm/v7".parse().unwrap()).runs, Runs::Compatible);
    /// assert_eq!(h.runs(&"linux/amd64".parse().unwrap()).runs, Runs::No);
    /// ```
    pub fn from_platform(platform: Platform) -> Host {
        let n = platform.normalize();
        let amd64_level = (n.architecture == "amd64")
            .then(|| match n.variant.as_str() {
                "" => None,
                v => v.strip_prefix('v').and_then(|d| d.parse::<u8>().ok()),
            })
            .flatten();
        Host {
            platform,
            amd64_level,
            page_size: 4096,
            arm64_variant: None,
            aarch32: None,
            ia32: None,
            emulators: Vec::new(),
            extra_emulated: Vec::new(),
            libc: None,
            machine: None,
            kernel: None,
            cpu: None,
            cpu_features: Vec::new(),
            binfmt_misc: None,
            source: "platform".into(),
            evidence: Vec::new(),
        }
    }

    /// Resolve `--host`: `local` (detect this machine), a named profile
    /// (`aws-graviton2`, see [`super::profile`]), or a platform specifier / alias.
    ///
    /// ```
    /// use archcompat::platform::Host;
    /// assert_eq!(Host::resolve("aws-graviton4").unwrap().aarch32, Some(false));
    /// assert_eq!(Host::resolve("aarch64").unwrap().platform.architecture, "arm64");
    /// assert!(Host::resolve("linux/arm/").is_err());
    /// ```
    pub fn resolve(spec: &str) -> Result<Host> {
        let s = spec.trim();
        if s == "local" || s == "detect" {
            return Host::detect();
        }
        if let Some(p) = super::profile::find(s) {
            return Ok(p.host());
        }
        match s.parse::<Platform>() {
            Ok(p) => Ok(Host::from_platform(p)),
            Err(Error::InvalidPlatform { input, reason }) => Err(Error::InvalidPlatform {
                input,
                reason: format!(
                    "{reason} (a host is `local`, a platform such as linux/arm64, or a profile: see `archcompat host --list-profiles`)"
                ),
            }),
            Err(e) => Err(e),
        }
    }

    /// Detect this machine.
    pub fn detect() -> Result<Host> {
        let d = Defaults::current();
        let mut platform = Platform::new(&d.os, &d.arch, "");
        if d.arch == "arm" || d.arch == "arm64" {
            platform.variant = d.cpu_variant.clone();
        }
        let mut h = Host::from_platform(platform);
        h.source = "detected".into();
        if let Some(ps) = page_size() {
            h.page_size = ps;
            h.evidence
                .push(format!("page size {ps}: sysconf(_SC_PAGESIZE)"));
        }
        #[cfg(target_os = "linux")]
        {
            if let Ok(u) = nix::sys::utsname::uname() {
                h.machine = Some(u.machine().to_string_lossy().into_owned());
                h.kernel = Some(u.release().to_string_lossy().into_owned());
            }
        }
        let cpuinfo = read_text("/proc/cpuinfo").unwrap_or_default();
        h.cpu = cpuinfo_value(&cpuinfo, "model name")
            .or_else(|| cpuinfo_value(&cpuinfo, "Model"))
            .or_else(|| cpuinfo_value(&cpuinfo, "CPU part"));
        match d.arch.as_str() {
            "amd64" => {
                h.amd64_level = detect_amd64_level();
                if let Some(l) = h.amd64_level {
                    h.evidence.push(format!(
                        "x86-64-v{l}: CPUID feature bits (is_x86_feature_detected!)"
                    ));
                }
                let cmdline = read_text("/proc/cmdline").unwrap_or_default();
                let config = kernel_config(h.kernel.as_deref());
                let vsyscall32 = Path::new("/proc/sys/abi/vsyscall32").exists();
                let (ia32, why) =
                    ia32_from(&cmdline, config.as_ref().map(|c| c.1.as_str()), vsyscall32);
                h.ia32 = ia32;
                let from = config.map(|c| format!(" ({})", c.0)).unwrap_or_default();
                h.evidence.push(format!("ia32: {why}{from}"));
            }
            "arm64" => {
                h.aarch32 = probe_linux32();
                h.evidence.push(format!(
                    "aarch32: personality(PER_LINUX32) {}",
                    match h.aarch32 {
                        Some(true) => "accepted",
                        Some(false) => "refused with EINVAL (no 32-bit EL0)",
                        None => "could not be probed",
                    }
                ));
                if let Some(f) = cpuinfo_value(&cpuinfo, "Features") {
                    h.cpu_features = f.split_whitespace().map(String::from).collect();
                }
            }
            "arm" => {
                h.aarch32 = Some(true);
            }
            _ => {}
        }
        match read_binfmt_misc(Path::new("/proc/sys/fs/binfmt_misc")) {
            Ok(Some(list)) => {
                h.binfmt_misc = Some(true);
                h.emulators = list;
            }
            Ok(None) => {
                h.binfmt_misc = Some(false);
                h.evidence
                    .push("binfmt_misc: /proc/sys/fs/binfmt_misc is not mounted".into());
            }
            Err(_) => h.binfmt_misc = None,
        }
        h.libc = detect_libc(Path::new("/"));
        Ok(h)
    }

    /// The platform used for matching: [`Host::platform`] with the amd64 level or the arm64
    /// ISA level as variant, when known.
    pub fn effective_platform(&self) -> Platform {
        let mut p = self.platform.clone();
        let arch = p.normalize().architecture;
        match (arch.as_str(), self.amd64_level, &self.arm64_variant) {
            ("amd64", Some(level), _) if level > 1 => p.variant = format!("v{level}"),
            ("arm64", _, Some(v)) => p.variant = v.clone(),
            _ => {}
        }
        p
    }

    /// containerd's matcher for this host (`Only` over the effective platform).
    pub fn matcher(&self) -> matcher::Matcher {
        matcher::only(&self.effective_platform())
    }

    /// What this host runs natively or in a 32-bit mode, best first: containerd's `Only`
    /// vector of the effective platform (normalised), minus the 32-bit entries this host is
    /// known not to run.
    pub fn runs_natively(&self) -> Vec<Platform> {
        let eff = self.effective_platform().normalize();
        let mut out: Vec<Platform> = matcher::compatibility_vector(&eff, 64)
            .into_iter()
            .map(|p| p.normalize())
            .filter(|p| {
                if p.architecture == eff.architecture {
                    return true;
                }
                match p.architecture.as_str() {
                    "386" => self.ia32 != Some(false),
                    "arm" => self.aarch32 != Some(false),
                    _ => true,
                }
            })
            .collect();
        out.dedup();
        out
    }

    /// Platforms this host runs only through an emulator.
    pub fn emulated(&self) -> Vec<Platform> {
        let mut out: Vec<Platform> = self
            .emulators
            .iter()
            .filter(|e| e.enabled)
            .filter_map(|e| e.platform.clone())
            .chain(self.extra_emulated.iter().cloned())
            .collect();
        out.dedup();
        out
    }

    fn emulator_for(&self, p: &Platform) -> Option<String> {
        if let Some(e) = self.emulators.iter().find(|e| e.handles(p)) {
            let f = if e.flags.contains('F') {
                ""
            } else {
                " (without the F flag it works only where the interpreter path exists inside the container)"
            };
            return Some(format!(
                "binfmt_misc handler {} ({}){f}",
                e.name, e.interpreter
            ));
        }
        let d = Defaults::new("linux", "", "");
        let pn = p.normalize_with(&d);
        self.extra_emulated
            .iter()
            .find(|x| {
                let x = x.normalize_with(&d);
                x.os == pn.os && x.architecture == pn.architecture
            })
            .map(|_| format!("the emulation built into {}", self.source_name()))
    }

    fn source_name(&self) -> String {
        self.source
            .strip_prefix("profile:")
            .map(String::from)
            .unwrap_or_else(|| "this host".into())
    }

    /// Can this host run `candidate`, and how?
    ///
    /// Native: same architecture within containerd's vector (`amd64/v2` on a v3 host).
    /// Compatible: containerd's 32-bit fallbacks (arm on arm64, 386 on amd64), verified when
    /// the host was probed. Emulated: a registered emulator handles it. No: otherwise,
    /// including 32-bit images containerd would pick although this host cannot run them.
    pub fn runs(&self, candidate: &Platform) -> RunVerdict {
        let eff = self.effective_platform();
        let host_n = eff.normalize();
        let cand = candidate.normalize();
        let verdict = |runs, reason: String| RunVerdict { runs, reason };
        let hs = eff.to_string();
        let cs = candidate.format_all();
        if matcher::only_strict(&eff).matches(candidate) {
            return verdict(Runs::Native, format!("{cs} is the host platform {hs}"));
        }
        if matcher::only(&eff).matches(candidate) {
            if cand.architecture == host_n.architecture {
                return verdict(
                    Runs::Native,
                    format!(
                        "a {hs} CPU runs {cs} code natively (an older variant of its own architecture)"
                    ),
                );
            }
            let (flag, what, assumption) = if host_n.architecture == "amd64" {
                (self.ia32, "IA-32 (32-bit x86) emulation", "amd64 runs 386")
            } else {
                (
                    self.aarch32,
                    "AArch32 (32-bit ARM) execution",
                    "arm64 runs arm/v5–v8",
                )
            };
            return match flag {
                Some(true) => verdict(
                    Runs::Compatible,
                    format!("{hs} runs {cs} in 32-bit mode: this host supports {what}"),
                ),
                None => verdict(
                    Runs::Compatible,
                    format!(
                        "containerd assumes {assumption}; whether this host supports {what} was not checked"
                    ),
                ),
                Some(false) => match self.emulator_for(candidate) {
                    Some(e) => verdict(
                        Runs::Emulated,
                        format!(
                            "containerd assumes {assumption}, but this host has no {what}; {e} runs {cs}"
                        ),
                    ),
                    None => verdict(
                        Runs::No,
                        format!(
                            "containerd would select {cs} because it assumes {assumption}, but this host has no {what}: it fails with exec format error"
                        ),
                    ),
                },
            };
        }
        if cand.os != host_n.os {
            return verdict(
                Runs::No,
                format!("{cs} is a {} image; the host runs {}", cand.os, host_n.os),
            );
        }
        if cand.architecture == host_n.architecture {
            let reason = if cand.architecture == "amd64" {
                match self.amd64_level {
                    Some(l) => format!(
                        "{cs} needs x86-64-{} but this CPU is x86-64-v{l}",
                        if cand.variant.is_empty() {
                            "v1".into()
                        } else {
                            cand.variant.clone()
                        }
                    ),
                    None => format!(
                        "{cs} needs a newer x86-64 level than {hs} (containerd treats an amd64 host without a variant as v1)"
                    ),
                }
            } else {
                format!(
                    "{cs} needs a newer {} variant than the host's {hs}",
                    cand.architecture
                )
            };
            return verdict(Runs::No, reason);
        }
        if let Some(e) = self.emulator_for(candidate) {
            return verdict(
                Runs::Emulated,
                format!("{hs} cannot run {cs} natively; {e} emulates it"),
            );
        }
        let why = match self.binfmt_misc {
            Some(false) => " (binfmt_misc is not even mounted)",
            _ => "",
        };
        verdict(
            Runs::No,
            format!(
                "{hs} cannot run {cs} and no emulator for {} is registered{why}",
                cand.architecture
            ),
        )
    }
}

/// The `archcompat host` document: the [`Host`] plus what it runs natively and emulated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostReport {
    /// Platforms run by the CPU itself (incl. 32-bit modes not known to be absent), best first.
    pub runs_natively: Vec<Platform>,
    /// Platforms run only through emulation.
    pub emulated: Vec<Platform>,
    /// Every host fact.
    #[serde(flatten)]
    pub host: Host,
}

impl Host {
    /// The contract's `host` document.
    pub fn report(&self) -> HostReport {
        HostReport {
            runs_natively: self.runs_natively(),
            emulated: self.emulated(),
            host: self.clone(),
        }
    }

    /// Match `candidates` against this host: each one's verdict, and the one containerd
    /// would select (`Only`, or `OnlyStrict` when `strict`), stable-sorted by `Less`.
    ///
    /// ```
    /// use archcompat::platform::{Host, Platform};
    /// let host = Host::resolve("linux/arm64").unwrap();
    /// let c: Vec<Platform> = ["linux/amd64", "linux/arm/v7", "linux/arm64/v8"]
    ///     .iter().map(|s| s.parse().unwrap()).collect();
    /// let r = host.match_candidates(&c, false);
    /// assert_eq!(r.best, Some(2));
    /// ```
    pub fn match_candidates(&self, candidates: &[Platform], strict: bool) -> MatchReport {
        let eff = self.effective_platform();
        let m = if strict {
            matcher::only_strict(&eff)
        } else {
            matcher::only(&eff)
        };
        let verdicts: Vec<RunVerdict> = candidates.iter().map(|c| self.runs(c)).collect();
        let best = m.best(candidates);
        // The first candidate in containerd's order that really runs here (natively or in
        // a 32-bit mode), else the first an emulator runs.
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        matcher::insertion_sort(&mut order, |&a, &b| m.less(&candidates[a], &candidates[b]));
        let runnable = order
            .iter()
            .copied()
            .find(|&i| matches!(verdicts[i].runs, Runs::Native | Runs::Compatible))
            .or_else(|| {
                order
                    .iter()
                    .copied()
                    .find(|&i| verdicts[i].runs == Runs::Emulated)
            });
        MatchReport {
            host: eff,
            candidates: candidates
                .iter()
                .cloned()
                .zip(verdicts)
                .map(|(platform, v)| CandidateVerdict {
                    platform,
                    runs: v.runs,
                    reason: v.reason,
                })
                .collect(),
            best,
            best_runnable: runnable,
        }
    }
}

/// One candidate's verdict in a [`MatchReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateVerdict {
    /// The candidate as given.
    pub platform: Platform,
    /// How the host runs it.
    pub runs: Runs,
    /// Why.
    pub reason: String,
}

/// [`Host::match_candidates`]'s answer (indices into the candidates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchReport {
    /// The platform matched against (with the amd64 level as variant when known).
    pub host: Platform,
    /// Each candidate's verdict, in input order.
    pub candidates: Vec<CandidateVerdict>,
    /// The candidate containerd would select, if any.
    pub best: Option<usize>,
    /// The candidate that really runs best here (may differ from `best` when containerd's
    /// 32-bit assumption does not hold, or only an emulator runs one).
    pub best_runnable: Option<usize>,
}
