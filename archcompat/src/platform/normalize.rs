//! containerd's name tables: the known operating systems and architectures, and
//! `normalizeOS` / `normalizeArch` (aliases, lower-casing and variant defaults).
//!
//! A pure table module: nothing here reads the machine. The host-dependent part (an empty OS
//! means "the host's OS") goes through [`Defaults`], whose `current()` value is probed in
//! [`super::detect`] (containerd's `database.go` vs `cpuinfo.go`).

/// The GOOS values containerd's `Parse` accepts as a lone operating system.
pub const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];

/// The GOARCH values containerd's `Parse` accepts as a lone architecture.
pub const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "ppc64",
    "ppc64le",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// Whether `os` is in containerd's known-OS list (exact, case-sensitive).
pub fn is_known_os(os: &str) -> bool {
    KNOWN_OS.contains(&os)
}

/// Whether `arch` is in containerd's known-architecture list (exact, case-sensitive).
pub fn is_known_arch(arch: &str) -> bool {
    KNOWN_ARCH.contains(&arch)
}

/// What containerd takes from the running program (`runtime.GOOS`, `runtime.GOARCH`,
/// `cpuVariant()`): used when a specifier names only an OS or only an architecture, and
/// when a platform has no OS.
///
/// (Example: the test `doc_examples::defaults_example` in this file.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// GOOS of the running program.
    pub os: String,
    /// GOARCH of the running program.
    pub arch: String,
    /// containerd's `cpuVariant()`: `v3`…`v8` or `unknown` on ARM, empty elsewhere.
    pub cpu_variant: String,
}

impl Defaults {
    /// Defaults from explicit values (tests, or reproducing another host's behaviour).
    pub fn new(os: &str, arch: &str, cpu_variant: &str) -> Self {
        Defaults {
            os: os.into(),
            arch: arch.into(),
            cpu_variant: cpu_variant.into(),
        }
    }
}

/// Rust's `std::env::consts::OS` spelled as GOOS.
pub fn goos(rust_os: &str) -> &str {
    match rust_os {
        "macos" => "darwin",
        other => other,
    }
}

/// The GOARCH of the target this crate was compiled for.
pub fn goarch_of_target() -> &'static str {
    let arch = std::env::consts::ARCH;
    let little = cfg!(target_endian = "little");
    match arch {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" if little => "arm64",
        "aarch64" => "arm64be",
        "arm" if little => "arm",
        "arm" => "armbe",
        "powerpc64" if little => "ppc64le",
        "powerpc64" => "ppc64",
        "powerpc" => "ppc",
        "loongarch64" => "loong64",
        "riscv64" => "riscv64",
        "s390x" => "s390x",
        "mips" if little => "mipsle",
        "mips" => "mips",
        "mips64" if little => "mips64le",
        "mips64" => "mips64",
        "sparc64" => "sparc64",
        "wasm32" => "wasm",
        other => other,
    }
}

/// containerd `normalizeOS`: empty → host OS, lower-case, `macos` → `darwin`.
pub fn normalize_os(os: &str, defaults: &Defaults) -> String {
    if os.is_empty() {
        return defaults.os.clone();
    }
    let os = os.to_lowercase();
    if os == "macos" { "darwin".into() } else { os }
}

/// containerd `normalizeArch`: lower-cases both parts, then applies the alias table.
///
/// (Example: the test `doc_examples::normalize_arch_example` in this file.)
pub fn normalize_arch(arch: &str, variant: &str) -> (String, String) {
    let arch = arch.to_lowercase();
    let mut variant = variant.to_lowercase();
    let arch = match arch.as_str() {
        "i386" => {
            variant.clear();
            "386".to_string()
        }
        "x86_64" | "x86-64" | "amd64" => {
            if variant == "v1" {
                variant.clear();
            }
            "amd64".to_string()
        }
        "aarch64" | "arm64" => {
            match variant.as_str() {
                "8" | "v8" | "v8.0" => variant.clear(),
                "9" | "9.0" | "v9.0" => variant = "v9".into(),
                _ => {}
            }
            "arm64".to_string()
        }
        "armhf" => {
            variant = "v7".into();
            "arm".to_string()
        }
        "armel" => {
            variant = "v6".into();
            "arm".to_string()
        }
        "arm" => {
            match variant.as_str() {
                "" | "7" => variant = "v7".into(),
                "5" | "6" | "8" => variant = format!("v{variant}"),
                _ => {}
            }
            "arm".to_string()
        }
        _ => arch,
    };
    (arch, variant)
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn defaults_example() {
        use crate::platform::Defaults;
        let arm = Defaults::new("linux", "arm", "v6");
        let p = crate::platform::parse::parse_with("linux", &arm).unwrap();
        assert_eq!(p.to_string(), "linux/arm/v6");
    }

    #[test]
    fn normalize_arch_example() {
        use crate::platform::normalize::normalize_arch;
        assert_eq!(normalize_arch("aarch64", "v8"), ("arm64".into(), "".into()));
        assert_eq!(normalize_arch("armhf", ""), ("arm".into(), "v7".into()));
        assert_eq!(
            normalize_arch("arm64", "8.1"),
            ("arm64".into(), "8.1".into())
        );
    }
}
