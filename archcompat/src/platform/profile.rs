//! Named deployment targets: users deploy to places, not platform strings. Each profile is
//! a documented table row — platform, what it runs natively, what it emulates, x86-64 level
//! or ARM core and features, page size, 32-bit support — with its source. `--host` and
//! [`super::Host::resolve`] accept the names; `archcompat host --list-profiles` prints them.
//!
//! `None` in `aarch32` / `ia32` / `amd64_level` means "not established": the verdicts then
//! fall back to containerd's assumptions and say so.

use super::{Host, Platform};
use serde::Serialize;

/// One named deployment target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The name `--host` accepts.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// The platform containerd there reports (`DefaultSpec`).
    pub platform: &'static str,
    /// Platforms the CPU runs itself (including 32-bit modes), best first.
    pub native: &'static [&'static str],
    /// Platforms run only through emulation built into the target.
    pub emulated: &'static [&'static str],
    /// x86-64 micro-architecture level (amd64 targets).
    pub amd64_level: Option<u8>,
    /// arm64 ISA level as an OCI variant (`v8.2`, `v9`), when established.
    pub arm64_variant: Option<&'static str>,
    /// CPU core and ISA (`Neoverse N1, Armv8.2-A`).
    pub cpu: &'static str,
    /// Notable CPU features.
    pub cpu_features: &'static [&'static str],
    /// Kernel page size in bytes.
    pub page_size: u64,
    /// Whether 32-bit ARM code runs (arm64 targets).
    pub aarch32: Option<bool>,
    /// `uname -m` when it differs from what the platform implies (a 64-bit kernel under a
    /// 32-bit userland reports `aarch64`).
    pub machine: Option<&'static str>,
    /// Whether 32-bit x86 code runs (amd64 targets).
    pub ia32: Option<bool>,
    /// Where these facts come from.
    pub source: &'static str,
}

const ARM32: &[&str] = &[
    "linux/arm/v8",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/arm/v5",
];

/// The profiles, in the order `--list-profiles` prints them.
pub const PROFILES: &[Profile] = &[
    Profile {
        name: "aws-graviton2",
        description: "AWS EC2 Graviton2 (m6g, c6g, r6g, t4g …)",
        platform: "linux/arm64/v8",
        native: &[
            "linux/arm64/v8.2",
            "linux/arm64/v8.1",
            "linux/arm64",
            "linux/arm/v8",
            "linux/arm/v7",
            "linux/arm/v6",
            "linux/arm/v5",
        ],
        emulated: &[],
        arm64_variant: Some("v8.2"),
        amd64_level: None,
        cpu: "Arm Neoverse N1, Armv8.2-A",
        cpu_features: &["lse", "fp16", "dotprod", "rcpc"],
        page_size: 4096,
        aarch32: Some(true),
        machine: None,
        ia32: None,
        source: "AWS Graviton Technical Guide (aws/aws-graviton-getting-started, incl. #455 on execution states); Arm Neoverse N1 TRM (AArch32 at EL0). 4 KiB pages on Amazon Linux 2023/Ubuntu; RHEL-family arm64 kernels use 64 KiB.",
    },
    Profile {
        name: "aws-graviton3",
        description: "AWS EC2 Graviton3/3E (c7g, m7g, r7g, hpc7g)",
        platform: "linux/arm64/v8",
        native: &[
            "linux/arm64/v8.4",
            "linux/arm64/v8.3",
            "linux/arm64/v8.2",
            "linux/arm64/v8.1",
            "linux/arm64",
            "linux/arm/v8",
            "linux/arm/v7",
            "linux/arm/v6",
            "linux/arm/v5",
        ],
        emulated: &[],
        arm64_variant: Some("v8.4"),
        amd64_level: None,
        cpu: "Arm Neoverse V1, Armv8.4-A + SVE",
        cpu_features: &["sve", "bf16", "i8mm", "lse", "dotprod", "rng"],
        page_size: 4096,
        aarch32: Some(true),
        machine: None,
        ia32: None,
        source: "AWS Graviton Technical Guide; Arm Neoverse V1 TRM (AArch32 at EL0 only); field report aristocratos/btop#919 (32-bit ARM runs on Graviton3, fails on Graviton4). Moderate confidence.",
    },
    Profile {
        name: "aws-graviton4",
        description: "AWS EC2 Graviton4 (c8g, m8g, r8g, x8g)",
        platform: "linux/arm64/v8",
        native: &[
            "linux/arm64/v9",
            "linux/arm64/v8.5",
            "linux/arm64/v8.4",
            "linux/arm64/v8.3",
            "linux/arm64/v8.2",
            "linux/arm64/v8.1",
            "linux/arm64",
        ],
        emulated: &[],
        arm64_variant: Some("v9"),
        amd64_level: None,
        cpu: "Arm Neoverse V2, Armv9.0-A + SVE2",
        cpu_features: &["sve", "sve2", "bf16", "i8mm", "lse", "dotprod", "rng"],
        page_size: 4096,
        aarch32: Some(false),
        machine: None,
        ia32: None,
        source: "Arm Neoverse V2 TRM (AArch64 only at all exception levels); aristocratos/btop#919 (armhf binary: exec format error on Graviton4).",
    },
    Profile {
        name: "aws-lambda-arm64",
        description: "AWS Lambda, Architectures = [\"arm64\"] (Graviton2)",
        platform: "linux/arm64/v8",
        native: &["linux/arm64/v8.2", "linux/arm64"],
        emulated: &[],
        arm64_variant: Some("v8.2"),
        amd64_level: None,
        cpu: "Arm Neoverse N1 (Graviton2), Armv8.2-A",
        cpu_features: &["lse", "fp16", "dotprod"],
        page_size: 4096,
        aarch32: None,
        machine: None,
        ia32: None,
        source: "AWS Lambda developer guide, 'Lambda instruction set architectures' (arm64 = Graviton2). 32-bit ARM code in a function is untested and unsupported.",
    },
    Profile {
        name: "aws-lambda-x86_64",
        description: "AWS Lambda, Architectures = [\"x86_64\"] (the default)",
        platform: "linux/amd64",
        native: &["linux/amd64/v3", "linux/amd64/v2", "linux/amd64"],
        emulated: &[],
        arm64_variant: None,
        amd64_level: Some(3),
        cpu: "Intel Xeon / AMD EPYC (varies)",
        cpu_features: &["avx2"],
        page_size: 4096,
        aarch32: None,
        machine: None,
        ia32: None,
        source: "AWS Lambda developer guide (x86_64); AWS announcement 'AWS Lambda now supports AVX2' (2020). AVX-512 is not guaranteed, so v4 is not assumed.",
    },
    Profile {
        name: "ecs-fargate-arm64",
        description: "Amazon ECS on Fargate, runtimePlatform.cpuArchitecture = ARM64",
        platform: "linux/arm64/v8",
        native: &["linux/arm64/v8.2", "linux/arm64"],
        emulated: &[],
        arm64_variant: Some("v8.2"),
        amd64_level: None,
        cpu: "AWS Graviton2 (Neoverse N1, Armv8.2-A)",
        cpu_features: &["lse"],
        page_size: 4096,
        aarch32: None,
        machine: None,
        ia32: None,
        source: "Amazon ECS developer guide, 'Task definitions for 64-bit ARM workloads' (Fargate ARM64 = Graviton2). No emulation: amd64 images fail with exec format error.",
    },
    Profile {
        name: "ecs-fargate-x86_64",
        description: "Amazon ECS on Fargate, runtimePlatform.cpuArchitecture = X86_64 (the default)",
        platform: "linux/amd64",
        native: &["linux/amd64"],
        emulated: &[],
        arm64_variant: None,
        amd64_level: None,
        cpu: "Intel Xeon / AMD EPYC (varies, not documented per task)",
        cpu_features: &[],
        page_size: 4096,
        aarch32: None,
        machine: None,
        ia32: None,
        source: "Amazon ECS developer guide (Fargate task definitions). The CPU generation is not guaranteed, so no x86-64 level is assumed.",
    },
    Profile {
        name: "cloud-run",
        description: "Google Cloud Run (services and jobs)",
        platform: "linux/amd64",
        native: &["linux/amd64"],
        emulated: &[],
        arm64_variant: None,
        amd64_level: None,
        cpu: "x86-64 (Google-managed, varies)",
        cpu_features: &[],
        page_size: 4096,
        aarch32: None,
        machine: None,
        ia32: None,
        source: "Cloud Run container runtime contract: 'Executables in the container image must be compiled for Linux 64-bit' (x86-64); arm64 images fail to start without naming the architecture.",
    },
    Profile {
        name: "apple-silicon-docker-desktop",
        description: "Docker Desktop on an Apple M-series Mac (Linux VM, Rosetta or QEMU for amd64)",
        platform: "linux/arm64/v8",
        native: &["linux/arm64"],
        emulated: &[
            "linux/amd64",
            "linux/386",
            "linux/arm/v7",
            "linux/arm/v6",
            "linux/riscv64",
            "linux/ppc64le",
            "linux/s390x",
        ],
        arm64_variant: None,
        amd64_level: None,
        cpu: "Apple M1–M4 (Armv8.5-A … Armv9.2-A)",
        cpu_features: &["lse", "fp16", "dotprod", "bf16", "i8mm"],
        page_size: 4096,
        aarch32: Some(false),
        machine: None,
        ia32: None,
        source: "Apple M-series cores have no AArch32 (dust#200, containerd#4932 discussion); Docker Desktop docs 'Multi-platform' (QEMU built in) and 'Use Rosetta for x86_64/amd64 emulation on Apple Silicon'. The Docker Desktop Linux VM uses 4 KiB pages.",
    },
    Profile {
        name: "raspberry-pi-32bit",
        description: "Raspberry Pi 3/4 running 32-bit Raspberry Pi OS (armhf userland) on a 64-bit kernel",
        platform: "linux/arm/v8",
        native: ARM32,
        emulated: &[],
        arm64_variant: None,
        amd64_level: None,
        cpu: "Cortex-A53 / Cortex-A72 in AArch32 state",
        cpu_features: &["neon", "vfpv4"],
        page_size: 4096,
        aarch32: Some(true),
        machine: Some("aarch64"),
        ia32: None,
        source: "containerd cpuinfo: a 32-bit userland on a 64-bit kernel reads 'CPU architecture: 8' → linux/arm/v8 (field-guide §2.3, containerd#4013). Raspberry Pi OS boots a 64-bit kernel on Pi 3/4 by default since 2023 (arm_64bit=1): arm64 images run only when asked for with --platform; on a 32-bit kernel they fail with exec format error.",
    },
    Profile {
        name: "raspberry-pi-4",
        description: "Raspberry Pi 4 / 400 / CM4 running 64-bit Raspberry Pi OS",
        platform: "linux/arm64/v8",
        native: &[
            "linux/arm64",
            "linux/arm/v8",
            "linux/arm/v7",
            "linux/arm/v6",
            "linux/arm/v5",
        ],
        emulated: &[],
        arm64_variant: None,
        amd64_level: None,
        cpu: "Cortex-A72, Armv8.0-A",
        cpu_features: &["crc32"],
        page_size: 4096,
        aarch32: Some(true),
        machine: None,
        ia32: None,
        source: "Raspberry Pi documentation, 'Processors: BCM2711'; Cortex-A72 supports AArch32 at all levels.",
    },
    Profile {
        name: "raspberry-pi-5",
        description: "Raspberry Pi 5 running 64-bit Raspberry Pi OS (default kernel_2712, 16 KiB pages)",
        platform: "linux/arm64/v8",
        native: &[
            "linux/arm64/v8.2",
            "linux/arm64/v8.1",
            "linux/arm64",
            "linux/arm/v8",
            "linux/arm/v7",
            "linux/arm/v6",
            "linux/arm/v5",
        ],
        emulated: &[],
        arm64_variant: Some("v8.2"),
        amd64_level: None,
        cpu: "Cortex-A76, Armv8.2-A",
        cpu_features: &["lse", "fp16", "dotprod", "rcpc"],
        page_size: 16384,
        aarch32: Some(true),
        machine: None,
        ia32: None,
        source: "Raspberry Pi documentation, 'Processors: BCM2712' and config.txt 'kernel=kernel8.img' (the 4 KiB kernel); 16 KiB pages break jemalloc built for 4 KiB (field-guide §2.13).",
    },
    Profile {
        name: "github-actions-ubuntu",
        description: "GitHub-hosted runner ubuntu-latest / ubuntu-24.04 (x64)",
        platform: "linux/amd64",
        native: &[
            "linux/amd64/v3",
            "linux/amd64/v2",
            "linux/amd64",
            "linux/386",
        ],
        emulated: &[],
        arm64_variant: None,
        amd64_level: Some(3),
        cpu: "AMD EPYC 7763 / Intel Xeon Platinum 8370C (Azure Dadsv5/Dsv5)",
        cpu_features: &["avx2"],
        page_size: 4096,
        aarch32: None,
        machine: None,
        ia32: Some(true),
        source: "GitHub docs 'About GitHub-hosted runners' and runner hardware reports; no binfmt_misc emulators until docker/setup-qemu-action runs (field-guide §2.7).",
    },
    Profile {
        name: "github-actions-ubuntu-arm",
        description: "GitHub-hosted runner ubuntu-24.04-arm / ubuntu-22.04-arm",
        platform: "linux/arm64/v8",
        native: &["linux/arm64/v9", "linux/arm64/v8.5", "linux/arm64"],
        emulated: &[],
        arm64_variant: Some("v9"),
        amd64_level: None,
        cpu: "Azure Cobalt 100 (Arm Neoverse N2, Armv9.0-A)",
        cpu_features: &["sve", "sve2", "bf16", "i8mm"],
        page_size: 4096,
        aarch32: None,
        machine: None,
        ia32: None,
        source: "GitHub changelog 'Linux arm64 hosted runners' (Cobalt 100). AArch32 support not established.",
    },
    Profile {
        name: "gcp-axion",
        description: "Google Cloud C4A (Axion)",
        platform: "linux/arm64/v8",
        native: &["linux/arm64/v9", "linux/arm64"],
        emulated: &[],
        arm64_variant: Some("v9"),
        amd64_level: None,
        cpu: "Google Axion (Arm Neoverse V2, Armv9.0-A)",
        cpu_features: &["sve", "sve2", "bf16", "i8mm"],
        page_size: 4096,
        aarch32: Some(false),
        machine: None,
        ia32: None,
        source: "Google Cloud docs 'C4A machine series' (Neoverse V2); Neoverse V2 is AArch64-only.",
    },
];

/// Look a profile up by name (case-insensitive; `_` and `-` interchangeable).
pub fn find(name: &str) -> Option<&'static Profile> {
    let want = name.to_ascii_lowercase().replace('_', "-");
    PROFILES.iter().find(|p| p.name.replace('_', "-") == want)
}

impl Profile {
    /// The [`Host`] this profile describes.
    ///
    /// ```
    /// use archcompat::platform::{profile, Runs};
    /// let pi5 = profile::find("raspberry-pi-5").unwrap().host();
    /// assert_eq!(pi5.page_size, 16384);
    /// assert_eq!(pi5.runs(&"linux/arm/v7".parse().unwrap()).runs, Runs::Compatible);
    /// ```
    pub fn host(&self) -> Host {
        let platform: Platform = self
            .platform
            .parse()
            .unwrap_or_else(|_| Platform::new("linux", "unknown", ""));
        let mut h = Host::from_platform(platform);
        h.amd64_level = self.amd64_level;
        h.arm64_variant = self.arm64_variant.map(String::from);
        h.page_size = self.page_size;
        h.aarch32 = self.aarch32;
        h.machine = self.machine.map(String::from);
        h.ia32 = self.ia32;
        h.extra_emulated = self
            .emulated
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        h.cpu = Some(self.cpu.to_string());
        h.cpu_features = self.cpu_features.iter().map(|s| s.to_string()).collect();
        h.source = format!("profile:{}", self.name);
        h
    }
}
