//! Spellings of platforms in other ecosystems, both directions: `uname -m`, Debian
//! architectures, Go's `GOARCH`/`GOARM`/`GOAMD64`, Rust target triples, Kubernetes
//! `kubernetes.io/arch`, ECS `cpuArchitecture` and Lambda `Architectures`.
//!
//! Parsing ([`parse_lenient`], used by `Platform::from_str`) first asks containerd's
//! `Parse`; only when it fails, or when it keeps an architecture no GOARCH table knows, is
//! the alias table consulted. Formatting ([`format_as`]) gives the spelling a user must
//! write in that ecosystem, for fix suggestions.

use super::Platform;
use super::normalize::{Defaults, is_known_arch};
use super::parse::parse_with;
use serde::{Deserialize, Serialize};

/// An ecosystem's way of naming a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AliasKind {
    /// OCI / Docker `--platform` (`linux/arm/v7`).
    Oci,
    /// `uname -m` (`x86_64`, `aarch64`, `armv7l`, `i686`).
    Uname,
    /// `dpkg --print-architecture` (`amd64`, `arm64`, `armhf`, `armel`, `ppc64el`, `i386`).
    Debian,
    /// Go environment (`GOOS=linux GOARCH=arm GOARM=7`, `GOAMD64=v3`).
    GoEnv,
    /// Rust target triple, glibc (`aarch64-unknown-linux-gnu`, `armv7-unknown-linux-gnueabihf`).
    RustTriple,
    /// Rust target triple, musl (`aarch64-unknown-linux-musl`).
    RustTripleMusl,
    /// Kubernetes node label `kubernetes.io/arch` (`amd64`, `arm64`, `arm`).
    Kubernetes,
    /// ECS task definition `runtimePlatform.cpuArchitecture` (`X86_64`, `ARM64`).
    EcsCpuArchitecture,
    /// Lambda `Architectures` (`x86_64`, `arm64`).
    LambdaArchitecture,
}

impl AliasKind {
    /// Every kind, in a stable order.
    pub const ALL: [AliasKind; 9] = [
        AliasKind::Oci,
        AliasKind::Uname,
        AliasKind::Debian,
        AliasKind::GoEnv,
        AliasKind::RustTriple,
        AliasKind::RustTripleMusl,
        AliasKind::Kubernetes,
        AliasKind::EcsCpuArchitecture,
        AliasKind::LambdaArchitecture,
    ];

    /// The kebab-case name (`rust-triple`).
    pub fn name(self) -> &'static str {
        match self {
            AliasKind::Oci => "oci",
            AliasKind::Uname => "uname",
            AliasKind::Debian => "debian",
            AliasKind::GoEnv => "go-env",
            AliasKind::RustTriple => "rust-triple",
            AliasKind::RustTripleMusl => "rust-triple-musl",
            AliasKind::Kubernetes => "kubernetes",
            AliasKind::EcsCpuArchitecture => "ecs-cpu-architecture",
            AliasKind::LambdaArchitecture => "lambda-architecture",
        }
    }
}

impl std::str::FromStr for AliasKind {
    type Err = crate::Error;

    /// The spelling named `s` (`rust-triple`); the error lists the known names.
    fn from_str(s: &str) -> crate::Result<AliasKind> {
        AliasKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = AliasKind::ALL.iter().map(|k| k.name()).collect();
                crate::Error::Unsupported {
                    input: s.to_string(),
                    reason: format!("unknown spelling; one of {}", names.join(", ")),
                }
            })
    }
}

/// A lone architecture word → (GOARCH, variant) for names containerd does not know:
/// `uname -m` values, Debian names, Rust triple prefixes and common download spellings.
/// Case-insensitive.
pub fn arch_alias(word: &str) -> Option<(&'static str, &'static str)> {
    let w = word.to_ascii_lowercase();
    Some(match w.as_str() {
        "x86_64" | "x86-64" | "x64" | "amd64" => ("amd64", ""),
        "x86_64_v1" | "x86-64-v1" => ("amd64", ""),
        "x86_64_v2" | "x86-64-v2" => ("amd64", "v2"),
        "x86_64_v3" | "x86-64-v3" => ("amd64", "v3"),
        "x86_64_v4" | "x86-64-v4" => ("amd64", "v4"),
        "i386" | "i486" | "i586" | "i686" | "x86" | "ia32" | "386" => ("386", ""),
        "aarch64" | "arm64" | "arm64v8" | "aarch64_be" | "armv8" => match w.as_str() {
            "aarch64_be" => ("arm64be", ""),
            _ => ("arm64", ""),
        },
        "armv8l" | "armv8b" => ("arm", "v8"),
        "armv7" | "armv7l" | "armv7hl" | "armv7a" | "armhf" | "arm32v7" | "armv7hf" => {
            ("arm", "v7")
        }
        "armv6" | "armv6l" | "armv6hl" | "arm32v6" | "armel" => ("arm", "v6"),
        "armv5" | "armv5l" | "armv5tel" | "armv5tejl" | "arm32v5" | "armv5te" => ("arm", "v5"),
        "ppc64el" | "ppc64le" | "powerpc64le" => ("ppc64le", ""),
        "ppc64" | "powerpc64" => ("ppc64", ""),
        "powerpc" | "ppc" => ("ppc", ""),
        "s390x" => ("s390x", ""),
        "riscv64" | "riscv64gc" => ("riscv64", ""),
        "loongarch64" | "loong64" => ("loong64", ""),
        "mips64el" | "mips64le" => ("mips64le", ""),
        "mipsel" | "mipsle" => ("mipsle", ""),
        "mips64" => ("mips64", ""),
        "mips" => ("mips", ""),
        "wasm32" | "wasm" => ("wasm", ""),
        _ => return None,
    })
}

/// containerd `Parse`, then the user aliases: a lone alias word (`armv7l`, `i686`), a Rust
/// target triple, a Go environment (`GOARCH=arm GOARM=6`), or an `os/alias[/variant]`
/// whose architecture containerd keeps unrecognised (`linux/armv7l`, `linux/ppc64el`).
///
/// (Example: the test `doc_examples::parse_lenient_example` in this file.)
pub fn parse_lenient(s: &str, defaults: &Defaults) -> crate::Result<Platform> {
    let exact = parse_with(s, defaults);
    match exact {
        Ok(p) => {
            // containerd accepted it: only rewrite architectures it does not know.
            if !is_known_arch(&p.architecture)
                && let Some((arch, variant)) = arch_alias(&p.architecture)
            {
                let variant = if !p.variant.is_empty() && variant.is_empty() {
                    p.variant.clone()
                } else {
                    variant.to_string()
                };
                let q = Platform {
                    architecture: arch.into(),
                    variant,
                    ..p
                };
                return Ok(canonical_arm(q));
            }
            Ok(p)
        }
        Err(e) => {
            let t = s.trim();
            if let Some((arch, variant)) = arch_alias(t) {
                return Ok(canonical_arm(Platform::new(&defaults.os, arch, variant)));
            }
            if let Some(p) = parse_rust_triple(t) {
                return Ok(p);
            }
            if let Some(p) = parse_go_env(t, defaults) {
                return Ok(p);
            }
            Err(e)
        }
    }
}

/// containerd's `Parse` writes `arm/v7` as `arm`; keep that convention for aliases too.
fn canonical_arm(mut p: Platform) -> Platform {
    if p.architecture == "arm" && p.variant == "v7" {
        p.variant.clear();
    }
    p
}

/// A Rust target triple (`<arch>-<vendor>-<os>[-<env>]`, e.g. `armv7-unknown-linux-gnueabihf`).
pub fn parse_rust_triple(t: &str) -> Option<Platform> {
    let parts: Vec<&str> = t.split('-').collect();
    if parts.len() < 3 || parts.len() > 4 {
        return None;
    }
    let os = match parts[2] {
        "linux" => "linux",
        "darwin" => "darwin",
        "windows" => "windows",
        "freebsd" => "freebsd",
        "netbsd" => "netbsd",
        "openbsd" => "openbsd",
        "android" | "androideabi" => "android",
        _ => return None,
    };
    let env = parts.get(3).copied().unwrap_or("");
    let (arch, variant) = match parts[0] {
        "arm" => ("arm", if env.ends_with("hf") { "v6" } else { "v5" }),
        "armv5te" => ("arm", "v5"),
        "thumbv7neon" | "armv7" => ("arm", "v7"),
        "i586" | "i686" => ("386", ""),
        other => arch_alias(other)?,
    };
    Some(canonical_arm(Platform::new(os, arch, variant)))
}

/// A Go environment: whitespace-separated `GOOS=`, `GOARCH=`, `GOARM=`, `GOAMD64=` words.
pub fn parse_go_env(t: &str, defaults: &Defaults) -> Option<Platform> {
    let mut os = defaults.os.clone();
    let mut arch = None;
    let mut goarm = None;
    let mut goamd64 = None;
    for word in t.split_whitespace() {
        let (k, v) = word.split_once('=')?;
        match k {
            "GOOS" => os = v.to_string(),
            "GOARCH" => arch = Some(v.to_string()),
            "GOARM" => goarm = Some(v.split(',').next().unwrap_or("").to_string()),
            "GOAMD64" => goamd64 = Some(v.to_string()),
            _ => return None,
        }
    }
    let arch = arch?;
    if !is_known_arch(&arch) {
        return None;
    }
    let variant =
        match (arch.as_str(), goarm, goamd64) {
            ("arm", Some(n), _) if matches!(n.as_str(), "5" | "6" | "7") => format!("v{n}"),
            ("arm", None, _) => "v7".into(), // Go's default GOARM
            ("amd64", _, Some(v)) if matches!(v.as_str(), "v1" | "v2" | "v3" | "v4") => {
                if v == "v1" { String::new() } else { v }
            }
            ("amd64", _, None) => String::new(),
            ("arm" | "amd64", _, _) => return None,
            _ => String::new(),
        };
    Some(canonical_arm(Platform::new(&os, &arch, &variant)))
}

/// This platform spelled for `kind`; `None` when that ecosystem has no name for it.
pub fn format_as(p: &Platform, kind: AliasKind) -> Option<String> {
    let n = p.normalize_with(&Defaults::new("linux", "", ""));
    let arch = n.architecture.as_str();
    let v = n.variant.as_str();
    let linux = n.os == "linux";
    Some(match kind {
        AliasKind::Oci => {
            let mut q = n.clone();
            if q.architecture == "arm64" && q.variant.is_empty() {
                q.variant = String::new();
            }
            q.format_all()
        }
        AliasKind::Uname => match (arch, v) {
            ("amd64", _) => "x86_64".into(),
            ("386", _) => "i686".into(),
            ("arm64", _) => "aarch64".into(),
            ("arm", "v8") => "armv8l".into(),
            ("arm", "v7") => "armv7l".into(),
            ("arm", "v6") => "armv6l".into(),
            ("arm", "v5") => "armv5tel".into(),
            ("ppc64le" | "ppc64" | "s390x" | "riscv64" | "mips64" | "mips", "") => arch.into(),
            ("loong64", "") => "loongarch64".into(),
            _ => return None,
        },
        AliasKind::Debian => match (arch, v) {
            ("amd64" | "arm64" | "s390x" | "riscv64" | "loong64" | "ppc64" | "mips64el", _)
                if linux =>
            {
                arch.into()
            }
            ("386", _) if linux => "i386".into(),
            ("arm", "v7" | "v8") if linux => "armhf".into(),
            ("arm", "v6" | "v5") if linux => "armel".into(),
            ("ppc64le", _) if linux => "ppc64el".into(),
            ("mips64le", _) if linux => "mips64el".into(),
            ("mipsle", _) if linux => "mipsel".into(),
            _ => return None,
        },
        AliasKind::GoEnv => {
            if !is_known_arch(arch) {
                return None;
            }
            let mut s = format!("GOOS={} GOARCH={arch}", n.os);
            match (arch, v) {
                ("arm", "v5" | "v6" | "v7") => s.push_str(&format!(" GOARM={}", &v[1..])),
                ("arm", "v8") => s.push_str(" GOARM=7"),
                ("arm", _) => return None,
                ("amd64", "") => s.push_str(" GOAMD64=v1"),
                ("amd64", "v2" | "v3" | "v4") => s.push_str(&format!(" GOAMD64={v}")),
                ("amd64", _) => return None,
                _ => {}
            }
            s
        }
        AliasKind::RustTriple | AliasKind::RustTripleMusl => {
            let musl = kind == AliasKind::RustTripleMusl;
            let libc = if musl { "musl" } else { "gnu" };
            match (n.os.as_str(), arch, v) {
                ("linux", "amd64", _) => format!("x86_64-unknown-linux-{libc}"),
                ("linux", "386", _) => format!("i686-unknown-linux-{libc}"),
                ("linux", "arm64", _) => format!("aarch64-unknown-linux-{libc}"),
                ("linux", "arm", "v7" | "v8") => format!("armv7-unknown-linux-{libc}eabihf"),
                ("linux", "arm", "v6") => format!("arm-unknown-linux-{libc}eabihf"),
                ("linux", "arm", "v5") => format!("armv5te-unknown-linux-{libc}eabi"),
                ("linux", "ppc64le", _) => format!("powerpc64le-unknown-linux-{libc}"),
                ("linux", "riscv64", _) => format!("riscv64gc-unknown-linux-{libc}"),
                ("linux", "s390x", _) if !musl => "s390x-unknown-linux-gnu".into(),
                ("linux", "loong64", _) => format!("loongarch64-unknown-linux-{libc}"),
                ("darwin", "arm64", _) if !musl => "aarch64-apple-darwin".into(),
                ("darwin", "amd64", _) if !musl => "x86_64-apple-darwin".into(),
                ("windows", "amd64", _) if !musl => "x86_64-pc-windows-msvc".into(),
                ("windows", "arm64", _) if !musl => "aarch64-pc-windows-msvc".into(),
                _ => return None,
            }
        }
        AliasKind::Kubernetes => match arch {
            "amd64" | "arm64" | "arm" | "ppc64le" | "s390x" | "386" | "riscv64" | "loong64" => {
                arch.into()
            }
            _ => return None,
        },
        AliasKind::EcsCpuArchitecture => match arch {
            "amd64" if linux || n.os == "windows" => "X86_64".into(),
            "arm64" if linux => "ARM64".into(),
            _ => return None,
        },
        AliasKind::LambdaArchitecture => match arch {
            "amd64" if linux => "x86_64".into(),
            "arm64" if linux => "arm64".into(),
            _ => return None,
        },
    })
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn parse_lenient_example() {
        use crate::platform::{Defaults, alias::parse_lenient};
        let d = Defaults::new("linux", "amd64", "");
        assert_eq!(
            parse_lenient("armv7l", &d).unwrap().to_string(),
            "linux/arm"
        ); // = arm/v7, written as containerd writes armhf
        assert_eq!(
            parse_lenient("aarch64-unknown-linux-musl", &d)
                .unwrap()
                .to_string(),
            "linux/arm64"
        );
        assert_eq!(
            parse_lenient("GOARCH=arm GOARM=6", &d).unwrap().to_string(),
            "linux/arm/v6"
        );
        assert!(parse_lenient("linux/arm/", &d).is_err());
    }
}
