//! What a machine can really run: [`Host`] (detected from this machine, built from a
//! platform with containerd's assumptions, or a named [profile](super::profile)) and the
//! verdict [`Host::runs`] gives for a candidate platform.
//!
//! Detection reads `uname`, `/proc/cpuinfo` (the ARM variant, with the Raspberry Pi quirk),
//! CPUID (the x86-64 level, via `is_x86_feature_detected!`), `sysconf(_SC_PAGESIZE)`,
//! `personality(PER_LINUX32)` (AArch32 on arm64, restored afterwards), the kernel command
//! line (`ia32_emulation=`), `/proc/sys/fs/binfmt_misc` (emulators and the ELF magic each
//! handles) and the C library present on the host (probes in [`super::detect`] and
//! [`super::binfmt`], re-exported here). Every file read is capped.

use super::Platform;
pub use super::binfmt::{Emulator, read_binfmt_misc};
pub use super::detect::*;
use super::matcher;
use super::normalize::Defaults;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

/// The detected local host, once per process.
static LOCAL: OnceLock<std::result::Result<Host, String>> = OnceLock::new();

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

/// What a machine runs: the platform containerd would see, plus the facts that decide
/// whether containerd's assumptions hold.
///
/// The host [`Host::local`] returns has the facts every verdict needs filled in (platform,
/// x86-64 level, page size, `uname`); the ones that cost file reads or a probe (`ia32`,
/// `aarch32` on arm64, `emulators`, `binfmt_misc`, `libc`, `cpu`, `cpu_features` and their
/// `evidence`) are probed once per process when [`Host::runs`] first needs them, and are
/// filled in by [`Host::report`], [`Host::completed`] and serialization. Read those fields
/// of a local host through one of these (a value set on such a host is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "HostOut")]
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
    /// Set on the host [`Host::local`] returns: where its unset costly facts are probed on
    /// first need (this process's [`PROBES`]).
    #[serde(skip)]
    probes: Option<&'static LocalProbes>,
}

/// How a [`Host`] is serialized: its fields, with a local host's lazily probed facts filled
/// in first (the same keys, in the same order, as a fully detected host).
#[derive(Serialize)]
struct HostOut {
    platform: Platform,
    #[serde(skip_serializing_if = "Option::is_none")]
    amd64_level: Option<u8>,
    page_size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    arm64_variant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aarch32: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ia32: Option<bool>,
    emulators: Vec<Emulator>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extra_emulated: Vec<Platform>,
    #[serde(skip_serializing_if = "Option::is_none")]
    libc: Option<Libc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    machine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kernel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cpu_features: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    binfmt_misc: Option<bool>,
    source: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<String>,
}

impl From<Host> for HostOut {
    fn from(h: Host) -> HostOut {
        let h = if h.probes.is_some() { h.completed() } else { h };
        HostOut {
            platform: h.platform,
            amd64_level: h.amd64_level,
            page_size: h.page_size,
            arm64_variant: h.arm64_variant,
            aarch32: h.aarch32,
            ia32: h.ia32,
            emulators: h.emulators,
            extra_emulated: h.extra_emulated,
            libc: h.libc,
            machine: h.machine,
            kernel: h.kernel,
            cpu: h.cpu,
            cpu_features: h.cpu_features,
            binfmt_misc: h.binfmt_misc,
            source: h.source,
            evidence: h.evidence,
        }
    }
}

/// The facts about this machine that cost more than the rest (files read or inflated, a
/// personality probe), each probed at most once per process, when first needed: the lazy
/// part of [`Host::local`].
#[derive(Debug)]
struct LocalProbes {
    /// `/proc/cpuinfo`: CPU model and (arm64) features.
    cpuinfo: OnceLock<(Option<String>, Vec<String>)>,
    /// amd64: IA-32 emulation (command line, kernel config, sysctl) and its evidence line.
    ia32: OnceLock<(Option<bool>, String)>,
    /// arm64: AArch32 (personality probe) and its evidence line.
    aarch32: OnceLock<(Option<bool>, String)>,
    /// `/proc/sys/fs/binfmt_misc`: mounted?, the emulators, evidence when not mounted.
    binfmt: OnceLock<Binfmt>,
    /// The C library on `/`.
    libc: OnceLock<Option<Libc>>,
}

/// [`probe_binfmt`]'s answer: whether binfmt_misc is mounted, its emulators, and the
/// evidence line when it is not mounted.
type Binfmt = (Option<bool>, Vec<Emulator>, Option<String>);

static PROBES: LocalProbes = LocalProbes::new();

/// One process has one set of probes: two hosts share them or not.
impl PartialEq for LocalProbes {
    fn eq(&self, other: &LocalProbes) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for LocalProbes {}

impl LocalProbes {
    const fn new() -> LocalProbes {
        LocalProbes {
            cpuinfo: OnceLock::new(),
            ia32: OnceLock::new(),
            aarch32: OnceLock::new(),
            binfmt: OnceLock::new(),
            libc: OnceLock::new(),
        }
    }

    fn cpuinfo(&self) -> &(Option<String>, Vec<String>) {
        self.cpuinfo.get_or_init(probe_cpuinfo)
    }

    fn ia32(&self, kernel: Option<&str>) -> &(Option<bool>, String) {
        self.ia32.get_or_init(|| probe_ia32(kernel))
    }

    fn aarch32(&self) -> &(Option<bool>, String) {
        self.aarch32.get_or_init(probe_aarch32)
    }

    fn binfmt(&self) -> &Binfmt {
        self.binfmt.get_or_init(probe_binfmt)
    }

    fn libc(&self) -> &Option<Libc> {
        self.libc.get_or_init(probe_libc)
    }

    /// Probe everything not probed yet (a background thread's work, see
    /// [`Host::prewarm_local`]): what a verdict most often needs first.
    fn warm(&self, kernel: Option<&str>) {
        self.binfmt();
        match Defaults::current().arch.as_str() {
            "amd64" => {
                self.ia32(kernel);
            }
            "arm64" => {
                self.aarch32();
            }
            _ => {}
        }
        self.cpuinfo();
        self.libc();
    }
}

/// `/proc/cpuinfo`: the CPU model, and the `Features` of an arm64 CPU.
fn probe_cpuinfo() -> (Option<String>, Vec<String>) {
    let cpuinfo_read = read_text("/proc/cpuinfo");
    let cpuinfo = cpuinfo_read.as_deref().unwrap_or_default();
    let cpu = cpuinfo_value(cpuinfo, "model name")
        .or_else(|| cpuinfo_value(cpuinfo, "Model"))
        .or_else(|| cpuinfo_value(cpuinfo, "CPU part"));
    let features = match Defaults::current().arch.as_str() {
        "arm64" => cpuinfo_value(cpuinfo, "Features")
            .map(|f| f.split_whitespace().map(String::from).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    (cpu, features)
}

/// Whether an amd64 kernel runs 32-bit x86 code (see [`ia32_from`]), with its evidence line.
fn probe_ia32(kernel: Option<&str>) -> (Option<bool>, String) {
    let cmdline = read_text("/proc/cmdline").unwrap_or_default();
    let config = kernel_config(kernel);
    let vsyscall32 = std::path::Path::new("/proc/sys/abi/vsyscall32").exists();
    let (ia32, why) = ia32_from(&cmdline, config.as_ref().map(|c| c.1.as_str()), vsyscall32);
    let from = config.map(|c| format!(" ({})", c.0)).unwrap_or_default();
    (ia32, format!("ia32: {why}{from}"))
}

/// Whether an arm64 kernel and CPU run 32-bit ARM code ([`probe_linux32`]), with its
/// evidence line.
fn probe_aarch32() -> (Option<bool>, String) {
    let aarch32 = probe_linux32();
    let why = format!(
        "aarch32: personality(PER_LINUX32) {}",
        match aarch32 {
            Some(true) => "accepted",
            Some(false) => "refused with EINVAL (no 32-bit EL0)",
            None => "could not be probed",
        }
    );
    (aarch32, why)
}

fn probe_binfmt() -> Binfmt {
    match read_binfmt_misc(std::path::Path::new("/proc/sys/fs/binfmt_misc")) {
        Ok(Some(list)) => (Some(true), list, None),
        Ok(None) => (
            Some(false),
            Vec::new(),
            Some("binfmt_misc: /proc/sys/fs/binfmt_misc is not mounted".into()),
        ),
        Err(_) => (None, Vec::new(), None),
    }
}

fn probe_libc() -> Option<Libc> {
    detect_libc(std::path::Path::new("/"))
}

impl Host {
    /// A host that is exactly `platform`, with containerd's assumptions: it runs what
    /// containerd's `Only` vector says, 32-bit modes unknown (assumed), no emulators,
    /// 4 KiB pages.
    ///
    /// ```
    /// use archcompat::{Host, Runs};
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
            probes: None,
        }
    }

    /// Resolve `--host`: `local` (detect this machine), a named profile
    /// (`aws-graviton2`, see [`crate::PROFILES`]), or a platform specifier / alias.
    ///
    /// ```
    /// use archcompat::Host;
    /// assert_eq!(Host::resolve("aws-graviton4").unwrap().aarch32, Some(false));
    /// assert_eq!(Host::resolve("aarch64").unwrap().platform.architecture, "arm64");
    /// assert!(Host::resolve("linux/arm/").is_err());
    /// ```
    pub fn resolve(spec: &str) -> Result<Host> {
        let s = spec.trim();
        if s == "local" || s == "detect" {
            return Host::local();
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

    /// [`Host::resolve`], shared: the hosts of the last few specs resolved are kept, so a
    /// front door that resolves the host spec of every call (a binding's `inspect(path,
    /// host=…)`, called once per file) pays for it once instead of about a microsecond per
    /// call. A host is a pure function of its spec (`local` is detected once per process).
    ///
    /// ```
    /// use archcompat::Host;
    /// let a = Host::resolve_shared("linux/arm64").unwrap();
    /// let b = Host::resolve_shared("linux/arm64").unwrap();
    /// assert!(std::sync::Arc::ptr_eq(&a, &b));
    /// assert_eq!(*a, Host::resolve("linux/arm64").unwrap());
    /// ```
    pub fn resolve_shared(spec: &str) -> Result<Arc<Host>> {
        const KEEP: usize = 8;
        static HOSTS: Mutex<Vec<(String, Arc<Host>)>> = Mutex::new(Vec::new());
        let lock = || HOSTS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, h)) = lock().iter().find(|(s, _)| s == spec) {
            return Ok(h.clone());
        }
        let h = Arc::new(Host::resolve(spec)?);
        let mut hosts = lock();
        if hosts.len() == KEEP {
            hosts.remove(0);
        }
        hosts.push((spec.to_owned(), h.clone()));
        Ok(h)
    }

    /// This machine, detected once per process, then a copy of that result: what
    /// `resolve("local")` returns. Only the cheap facts are detected here (`uname`, CPUID,
    /// `sysconf`: microseconds, no file read on x86-64 v3+); the costly ones (kernel config,
    /// binfmt_misc, the C library, `/proc/cpuinfo`, the AArch32 probe) are probed once per
    /// process when a verdict or a report first needs them (see [`Host`]), so a caller that
    /// judges an amd64 binary on an amd64 host never pays for them.
    pub fn local() -> Result<Host> {
        // Detection has no failure today; should it ever fail, the failure is kept (as its
        // message) so that every caller sees the same answer.
        LOCAL
            .get_or_init(|| Host::detect_cheap(&PROBES).map_err(|e| e.to_string()))
            .clone()
            .map_err(|reason| Error::Unsupported {
                input: "local".into(),
                reason,
            })
    }

    /// Start detecting this machine on a background thread, so that a later [`Host::local`]
    /// finds it ready and the costly probes done (a front door whose calling thread must not
    /// block, such as Node's main thread, calls this when it loads: it then waits at most for
    /// the cheap part, and for a costly probe only when a verdict needs it before the thread
    /// has finished). Does nothing once detection has started or finished.
    pub fn prewarm_local() {
        static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if LOCAL.get().is_none() && !STARTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            let _ = std::thread::Builder::new()
                .name("archcompat-detect-host".into())
                .spawn(|| {
                    if let Ok(h) = Host::local() {
                        PROBES.warm(h.kernel.as_deref());
                    }
                });
        }
    }

    /// Detect this machine, afresh on every call (see [`Host::local`] for the cached one).
    ///
    /// In a WebAssembly build (the web page) there is no machine to probe: this is an error
    /// that says to name a platform or a profile instead.
    #[cfg(target_family = "wasm")]
    pub fn detect() -> Result<Host> {
        Err(Error::Unsupported {
            input: "local".into(),
            reason: "a WebAssembly build cannot probe the machine it runs on; name a platform (linux/arm64) or a profile (aws-graviton2)".into(),
        })
    }

    #[cfg(target_family = "wasm")]
    fn detect_cheap(_probes: &'static LocalProbes) -> Result<Host> {
        Host::detect()
    }

    /// Detect this machine, afresh on every call, every probe done now (see [`Host::local`]
    /// for the cached one, whose costly probes wait until needed).
    #[cfg(not(target_family = "wasm"))]
    pub fn detect() -> Result<Host> {
        // Fresh probes, done now: the host keeps no link to them.
        let mut h = Host::detect_cheap(&PROBES)?;
        h.probes = None;
        let (cpu, features) = probe_cpuinfo();
        let bits32 = match Defaults::current().arch.as_str() {
            "amd64" => Some(probe_ia32(h.kernel.as_deref())),
            "arm64" => Some(probe_aarch32()),
            _ => None,
        };
        h.fill(cpu, features, bits32, probe_binfmt(), probe_libc());
        Ok(h)
    }

    /// The cheap part of detection: the facts every verdict needs (platform, x86-64 level,
    /// page size, `uname`), with the costly ones left to `probes`.
    #[cfg(not(target_family = "wasm"))]
    fn detect_cheap(probes: &'static LocalProbes) -> Result<Host> {
        let d = Defaults::current();
        let mut platform = Platform::new(&d.os, &d.arch, "");
        if d.arch == "arm" || d.arch == "arm64" {
            platform.variant = d.cpu_variant.clone();
        }
        let mut h = Host::from_platform(platform);
        h.source = "detected".into();
        h.probes = Some(probes);
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
        match d.arch.as_str() {
            "amd64" => {
                // /proc/cpuinfo only when its lahf_lm flag decides (a v2 CPU below v3).
                h.amd64_level = amd64_level_with(|| read_text("/proc/cpuinfo"));
                if let Some(l) = h.amd64_level {
                    h.evidence.push(format!(
                        "x86-64-v{l}: CPUID feature bits (is_x86_feature_detected!)"
                    ));
                }
            }
            "arm" => {
                h.aarch32 = Some(true);
            }
            _ => {}
        }
        Ok(h)
    }

    /// Fill in the costly facts, in the order [`Host::detect`] has always listed their
    /// evidence (after the cheap part's): the 32-bit mode, then binfmt_misc.
    fn fill(
        &mut self,
        cpu: Option<String>,
        cpu_features: Vec<String>,
        bits32: Option<(Option<bool>, String)>,
        binfmt: Binfmt,
        libc: Option<Libc>,
    ) {
        self.cpu = cpu;
        self.cpu_features = cpu_features;
        if let Some((v, why)) = bits32 {
            match Defaults::current().arch.as_str() {
                "amd64" => self.ia32 = v,
                _ => self.aarch32 = v,
            }
            self.evidence.push(why);
        }
        let (mounted, emulators, why) = binfmt;
        self.binfmt_misc = mounted;
        self.emulators = emulators;
        self.evidence.extend(why);
        self.libc = libc;
    }

    /// This host with every fact filled in: for the host [`Host::local`] returns, its costly
    /// probes are done (once per process) and their values and evidence added, keeping any
    /// value already set on it; any other host is returned as it is.
    pub fn completed(&self) -> Host {
        let mut h = self.clone();
        let Some(probes) = h.probes.take() else {
            return h;
        };
        let (cpu, features) = probes.cpuinfo().clone();
        let cpu = h.cpu.take().or(cpu);
        let features = if h.cpu_features.is_empty() {
            features
        } else {
            std::mem::take(&mut h.cpu_features)
        };
        let bits32 = match Defaults::current().arch.as_str() {
            "amd64" if h.ia32.is_none() => Some(probes.ia32(h.kernel.as_deref()).clone()),
            "arm64" if h.aarch32.is_none() => Some(probes.aarch32().clone()),
            _ => None,
        };
        let binfmt = if h.binfmt_misc.is_none() && h.emulators.is_empty() {
            probes.binfmt().clone()
        } else {
            (h.binfmt_misc, std::mem::take(&mut h.emulators), None)
        };
        let libc = h.libc.take().or_else(|| probes.libc().clone());
        h.fill(cpu, features, bits32, binfmt, libc);
        h
    }

    /// Whether the kernel runs 32-bit x86 code: [`Host::ia32`], probed now for a local host
    /// that has not yet.
    fn ia32_fact(&self) -> Option<bool> {
        match (self.ia32, self.probes) {
            (None, Some(p)) if Defaults::current().arch == "amd64" => {
                p.ia32(self.kernel.as_deref()).0
            }
            (v, _) => v,
        }
    }

    /// Whether the CPU and kernel run 32-bit ARM code: [`Host::aarch32`], probed now for a
    /// local host that has not yet.
    fn aarch32_fact(&self) -> Option<bool> {
        match (self.aarch32, self.probes) {
            (None, Some(p)) if Defaults::current().arch == "arm64" => p.aarch32().0,
            (v, _) => v,
        }
    }

    /// The registered emulators and whether binfmt_misc is mounted, probed now for a local
    /// host that has not yet.
    fn binfmt_facts(&self) -> (Option<bool>, &[Emulator]) {
        match self.probes {
            Some(p) if self.binfmt_misc.is_none() && self.emulators.is_empty() => {
                let (mounted, list, _) = p.binfmt();
                (*mounted, list)
            }
            _ => (self.binfmt_misc, &self.emulators),
        }
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
                    "386" => self.ia32_fact() != Some(false),
                    "arm" => self.aarch32_fact() != Some(false),
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
            .binfmt_facts()
            .1
            .iter()
            .filter(|e| e.enabled)
            .filter_map(|e| e.platform.clone())
            .chain(self.extra_emulated.iter().cloned())
            .collect();
        out.dedup();
        out
    }

    fn emulator_for(&self, p: &Platform) -> Option<String> {
        if let Some(e) = self.binfmt_facts().1.iter().find(|e| e.handles(p)) {
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

    fn variant_reason(&self, cand: &Platform, host: &Platform, cs: &str, hs: &str) -> String {
        let arch = cand.architecture.as_str();
        match arch {
            "amd64" => match self.amd64_level {
                Some(l) => format!(
                    "{cs} needs x86-64-{} but this CPU is x86-64-v{l}",
                    if cand.variant.is_empty() {
                        "v1"
                    } else {
                        &cand.variant
                    }
                ),
                None => format!(
                    "{cs} needs a newer x86-64 level than {hs} (containerd treats an amd64 host without a variant as v1)"
                ),
            },
            "arm64"
                if !matcher::ARM64_VARIANTS.contains(&cand.variant.as_str())
                    && !cand.variant.is_empty() =>
            {
                format!(
                    "{cs}: containerd knows no arm64 variant {:?} (it knows v8, v8.1 … v8.9, v9, v9.1 … v9.7), so no host selects it",
                    cand.variant
                )
            }
            "arm64"
                if !matcher::ARM64_VARIANTS.contains(&host.variant.as_str())
                    && !host.variant.is_empty() =>
            {
                format!(
                    "the host variant {:?} is not in containerd's arm64 table, so its Only matcher accepts nothing",
                    host.variant
                )
            }
            "arm" | "arm64" => format!("{cs} needs a newer {arch} variant than the host's {hs}"),
            _ => format!(
                "containerd matches {arch} variants exactly: {cs} is not {hs} (no ordering of {arch} variants is known)"
            ),
        }
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
            return verdict(
                Runs::Native,
                format!("{cs} is this host's own platform ({hs})"),
            );
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
                (
                    self.ia32_fact(),
                    "IA-32 (32-bit x86) emulation",
                    "amd64 runs 386",
                )
            } else {
                (
                    self.aarch32_fact(),
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
        if cand.os == "unknown" && cand.architecture == "unknown" {
            return verdict(
                Runs::No,
                format!(
                    "{cs} is a BuildKit attestation entry (provenance/SBOM), not a runnable image"
                ),
            );
        }
        if cand.os != host_n.os {
            return verdict(
                Runs::No,
                format!("{cs} is a {} image; the host runs {}", cand.os, host_n.os),
            );
        }
        let kernel_aarch64 = self.machine.as_deref() == Some("aarch64");
        if host_n.architecture == "arm" && cand.architecture == "arm64" && kernel_aarch64 {
            return verdict(
                Runs::Compatible,
                format!(
                    "the kernel is 64-bit (uname -m: aarch64) and runs {cs}, but this 32-bit userland's engine ({hs}) never selects arm64 by itself: request it with --platform linux/arm64, or install a 64-bit OS"
                ),
            );
        }
        if cand.architecture != host_n.architecture {
            // a foreign architecture: only an emulator can help (below)
        } else if let Some(missing) = missing_features(candidate, &host_n) {
            return verdict(
                Runs::No,
                format!("{cs} requires OS features the host {hs} does not list: {missing}"),
            );
        }
        if cand.os == "windows" && cand.architecture == host_n.architecture {
            let hv = matcher::WindowsVersion::parse(host_n.os_version.as_deref().unwrap_or(""));
            let cv = matcher::WindowsVersion::parse(candidate.os_version.as_deref().unwrap_or(""));
            if !matcher::windows_compatible(hv, cv) && cand.variant == host_n.variant {
                return verdict(
                    Runs::No,
                    format!(
                        "Windows build {} containers do not run on a build {} host (same build below 20348; from 20348 on, the previous LTSC up to the host's build)",
                        candidate.os_version.as_deref().unwrap_or("?"),
                        host_n.os_version.as_deref().unwrap_or("?")
                    ),
                );
            }
        }
        if cand.architecture == host_n.architecture {
            return verdict(Runs::No, self.variant_reason(&cand, &host_n, &cs, &hs));
        }
        if let Some(e) = self.emulator_for(candidate) {
            return verdict(
                Runs::Emulated,
                format!("{hs} cannot run {cs} natively; {e} emulates it"),
            );
        }
        let why = match self.binfmt_facts().0 {
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

/// The candidate's `os.features` (sorted, unique; one `win32k` dropped for Windows hosts, as
/// containerd does) that the host lacks, comma-separated; `None` when all are present.
fn missing_features(candidate: &Platform, host: &Platform) -> Option<String> {
    let mut wanted = candidate.os_features.clone();
    let win32k = wanted.iter().position(|f| f == "win32k");
    if let (true, Some(i)) = (host.os == "windows", win32k) {
        wanted.remove(i);
    }
    wanted.sort();
    wanted.dedup();
    let missing: Vec<String> = wanted
        .into_iter()
        .filter(|f| !host.os_features.contains(f))
        .collect();
    (!missing.is_empty()).then(|| missing.join(", "))
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
        let host = self.completed();
        HostReport {
            runs_natively: host.runs_natively(),
            emulated: host.emulated(),
            host,
        }
    }

    /// Match `candidates` against this host: each one's verdict, and the one containerd
    /// would select (`Only`, or `OnlyStrict` when `strict`), stable-sorted by `Less`.
    ///
    /// ```
    /// use archcompat::{Host, Platform};
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

impl super::profile::Profile {
    /// The [`Host`] this profile describes.
    ///
    /// (Example: the test `doc_examples::host_example` in this file.)
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

#[cfg(test)]
mod local_tests {
    use super::{Host, LocalProbes, Platform, Runs};

    /// Candidates that touch every lazily probed fact: the host's own platform and its
    /// levels, the 32-bit modes, foreign architectures (binfmt_misc), another OS.
    const CANDIDATES: [&str; 12] = [
        "linux/amd64",
        "linux/amd64/v4",
        "linux/386",
        "linux/arm64",
        "linux/arm64/v9.2",
        "linux/arm/v7",
        "linux/arm/v5",
        "linux/riscv64",
        "linux/s390x",
        "linux/ppc64le",
        "windows/amd64",
        "unknown/unknown",
    ];

    fn candidates() -> Vec<Platform> {
        CANDIDATES.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn local_is_detected_once_and_matches_a_fresh_detection() {
        Host::prewarm_local();
        let a = Host::local().unwrap();
        let b = Host::resolve("local").unwrap();
        let fresh = Host::detect().unwrap();
        assert_eq!(a.source, "detected");
        assert_eq!(a.report(), b.report());
        assert_eq!(a.report(), fresh.report());
        // Serialized, the local host's lazily probed facts are filled in: the same JSON, key
        // for key, as a full detection (what `host --json` prints).
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&fresh).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&a.report()).unwrap(),
            serde_json::to_string(&fresh.report()).unwrap()
        );
        assert_eq!(a.completed(), fresh);
        assert_eq!(fresh.completed(), fresh);
    }

    #[test]
    fn local_verdicts_equal_those_of_a_full_detection() {
        let local = Host::local().unwrap();
        let fresh = Host::detect().unwrap();
        let c = candidates();
        for p in &c {
            assert_eq!(local.runs(p), fresh.runs(p), "{p}");
        }
        assert_eq!(
            local.match_candidates(&c, false),
            fresh.match_candidates(&c, false)
        );
        assert_eq!(local.runs_natively(), fresh.runs_natively());
        assert_eq!(local.emulated(), fresh.emulated());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn costly_probes_wait_until_a_verdict_needs_them() {
        let probes: &'static LocalProbes = Box::leak(Box::new(LocalProbes::new()));
        let h = Host::detect_cheap(probes).unwrap();
        let done = |p: &LocalProbes| {
            [
                p.cpuinfo.get().is_some(),
                p.ia32.get().is_some(),
                p.aarch32.get().is_some(),
                p.binfmt.get().is_some(),
                p.libc.get().is_some(),
            ]
        };
        assert_eq!(done(probes), [false; 5], "nothing costly at detection");
        // The host's own platform (what judging a native binary asks): still nothing.
        let own = h.platform.clone();
        assert_eq!(h.runs(&own).runs, Runs::Native);
        assert_eq!(
            done(probes),
            [false; 5],
            "nothing costly for a native verdict"
        );
        if cfg!(target_arch = "x86_64") {
            // 386 on amd64 needs IA-32 emulation, and only that unless it is absent (then
            // an emulator may still run it).
            let v = h.runs(&"linux/386".parse().unwrap());
            let d = done(probes);
            assert!(d[1] && !d[0] && !d[2] && !d[4], "{d:?}");
            assert_eq!(d[3], v.runs != Runs::Compatible, "{v:?} {d:?}");
        }
        // A foreign architecture needs binfmt_misc, never the C library or cpuinfo.
        h.runs(&"linux/s390x".parse().unwrap());
        let d = done(probes);
        assert!(d[3] && !d[0] && !d[4], "{d:?}");
        // The report fills in everything: as a full detection.
        let fresh = Host::detect().unwrap();
        assert_eq!(h.report(), fresh.report());
        assert!(done(probes)[4] && done(probes)[0]);
    }

    #[test]
    fn a_value_set_on_the_local_host_is_kept() {
        let mut h = Host::local().unwrap();
        h.binfmt_misc = Some(false);
        h.emulators.clear();
        let foreign = if cfg!(target_arch = "s390x") {
            "linux/riscv64"
        } else {
            "linux/s390x"
        };
        let v = h.runs(&foreign.parse().unwrap());
        assert_eq!(v.runs, Runs::No);
        assert!(
            v.reason.ends_with("(binfmt_misc is not even mounted)"),
            "{v:?}"
        );
        let full = h.completed();
        assert_eq!(full.binfmt_misc, Some(false));
        assert!(full.emulators.is_empty());
        if cfg!(target_arch = "x86_64") {
            let mut h = Host::local().unwrap();
            h.ia32 = Some(false);
            h.binfmt_misc = Some(true);
            assert_eq!(h.runs(&"linux/386".parse().unwrap()).runs, Runs::No);
            let full = h.completed();
            assert_eq!(full.ia32, Some(false));
            assert!(!full.evidence.iter().any(|e| e.starts_with("ia32:")));
            assert_eq!(full.libc, Host::detect().unwrap().libc);
        }
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn host_example() {
        use crate::platform::{Runs, profile};
        let pi5 = profile::find("raspberry-pi-5").unwrap().host();
        assert_eq!(pi5.page_size, 16384);
        assert_eq!(
            pi5.runs(&"linux/arm/v7".parse().unwrap()).runs,
            Runs::Compatible
        );
    }
}
