//! Proving it runs (`archcompat image --verify`): after the static verdict, the selected
//! image's merged root filesystem is unpacked into a private temporary directory
//! ([`crate::image::unpack`]) and its entrypoint is started inside a `bwrap` sandbox (Debian
//! `bubblewrap`): no network, read-only root, private `/tmp`, `--die-with-parent`, a new
//! session, the image's `Env` and `WorkingDir`, and a time limit. An image whose platform is not
//! the machine's runs under Debian's `qemu-user-static` emulator for that architecture, with
//! `-L /` and the CPU model matching the host spec's variant where QEMU has one. This module
//! owns that run and the reading of what happened (ran, exec format error, missing loader or
//! library, `SIGILL`, crash), and compares it with the static verdict.

use crate::check::image::{ImageReport, Verdict, verdict};
use crate::image::unpack::{Rootfs, unpack};
use crate::image::{Options, analyze};
use crate::platform::{Host, Platform, Runs};
use crate::redact::{RedactOptions, redact};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How to run the image.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Time limit; a program still running at the limit counts as started (default 5 s).
    pub timeout: Duration,
    /// Replaces the image's CMD (ENTRYPOINT is kept), as `docker run IMAGE ARGS…` does.
    pub command: Option<Vec<String>>,
    /// Where to look for `qemu-ARCH-static` (default: each directory of `PATH`, then `/usr/bin`).
    pub emulator_dir: Option<PathBuf>,
    /// The `bwrap` program (default: `bwrap` found in `PATH`).
    pub bwrap: Option<PathBuf>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            timeout: Duration::from_secs(5),
            command: None,
            emulator_dir: None,
            bwrap: None,
        }
    }
}

/// What really happened when the program was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It started and exited by itself (with any exit code).
    Ran,
    /// It started and was still running at the time limit.
    TimedOut,
    /// `execve` (or the emulator) rejected the file: not a program for this CPU.
    ExecFormatError,
    /// The ELF interpreter (dynamic loader) or `#!` interpreter does not exist.
    MissingLoader,
    /// The dynamic loader ran but a shared library is missing.
    MissingLibrary,
    /// The program does not exist in the image.
    NotFound,
    /// The file is not executable.
    PermissionDenied,
    /// Killed by `SIGILL`: an instruction the CPU (model) does not have.
    IllegalInstruction,
    /// Killed by another signal (`SIGSEGV`, `SIGBUS`, `SIGABRT`, …).
    Crashed,
}

impl Outcome {
    /// The JSON slug.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ran => "ran",
            Outcome::TimedOut => "timed-out",
            Outcome::ExecFormatError => "exec-format-error",
            Outcome::MissingLoader => "missing-loader",
            Outcome::MissingLibrary => "missing-library",
            Outcome::NotFound => "not-found",
            Outcome::PermissionDenied => "permission-denied",
            Outcome::IllegalInstruction => "illegal-instruction",
            Outcome::Crashed => "crashed",
        }
    }

    /// Whether the program ran (by itself, or until the time limit).
    pub fn runs(self) -> bool {
        matches!(self, Outcome::Ran | Outcome::TimedOut)
    }
}

/// The `"verify"` object of the contract.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verification {
    /// The program was executed (its own code started running).
    pub started: bool,
    /// Exit status, when it exited by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// The signal that killed it (`11` for SIGSEGV, `4` for SIGILL), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    /// Still running at the time limit (then killed).
    pub timed_out: bool,
    /// The emulator used (`qemu-aarch64-static -cpu cortex-a57`), when the image's platform is
    /// not the machine's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emulator: Option<String>,
    /// The last lines the program (or the loader, emulator or sandbox) wrote to stderr, redacted.
    pub stderr_tail: String,
    /// The last lines written to stdout, redacted.
    pub stdout_tail: String,
    /// Whether the run agrees with the static verdict (`runs`/`runs-emulated` and it ran, or
    /// `wont-run` and it did not).
    pub agrees_with_verdict: bool,
    /// What happened.
    pub outcome: Outcome,
    /// One sentence saying what happened, and what contradicts the verdict when something does.
    pub message: String,
    /// The command run inside the sandbox (the image's argv; the emulator is in `emulator`).
    pub argv: Vec<String>,
    /// The platform whose CPU ran the program: the image's when the host runs it, else the
    /// host's own (where exec fails as it would on the host).
    pub platform: Platform,
}

/// The image document plus `"verify"`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifiedImage {
    /// The static report (`archcompat image`).
    #[serde(flatten)]
    pub report: ImageReport,
    /// What happened when the program was run.
    pub verify: Verification,
}

/// Check `source` for `host` statically, then run its entrypoint in a sandbox (under QEMU when
/// the image is not for this machine) and report what happened.
///
/// Errors (never a guess): `bwrap` or the needed `qemu-ARCH-static` missing (naming the Debian
/// package), nothing selected for the host, a source without layers, a sandbox that cannot
/// be set up.
pub fn verify_image(
    source: &str,
    host: &Host,
    opts: &Options,
    vopts: &VerifyOptions,
) -> Result<VerifiedImage> {
    let bwrap = find_bwrap(vopts)?;
    let a = analyze(source, host, opts)?;
    let report = verdict(&a, host);
    let (Some(selected), Some(config)) = (&a.selected, &a.config) else {
        return Err(Error::Unsupported {
            input: source.to_string(),
            reason: format!(
                "no image is selected for {}: there is nothing to run",
                host.platform
            ),
        });
    };
    if !a.content_read {
        return Err(Error::Unsupported {
            input: source.to_string(),
            reason: "no layer content (a JSON document): there is nothing to run".into(),
        });
    }
    // Run it as the host would: a platform the host runs (natively or through its own
    // emulator) as itself; any other on the host's own CPU, where exec fails as it would there.
    let platform = match host.runs(&selected.platform).runs {
        Runs::No => host.platform.clone(),
        _ => selected.platform.clone(),
    };
    // The emulator is chosen before anything is unpacked, so a missing one fails fast.
    let machine = Host::detect()?;
    let emulator = match machine.runs(&platform).runs {
        Runs::Native | Runs::Compatible => None,
        _ => Some(find_emulator(&platform, vopts)?),
    };
    let cpu = emulator
        .as_ref()
        .and_then(|_| cpu_model(&platform, &host.platform));

    // argv: ENTRYPOINT + (override or CMD).
    let mut argv: Vec<String> = config.entrypoint.clone().unwrap_or_default();
    match &vopts.command {
        Some(c) => argv.extend(c.iter().cloned()),
        None => argv.extend(config.cmd.clone().unwrap_or_default()),
    }
    if argv.is_empty() {
        return Err(Error::Unsupported {
            input: source.to_string(),
            reason: "the image has neither ENTRYPOINT nor CMD; pass --verify-cmd".into(),
        });
    }
    let rootfs = unpack(source, &selected.digest, opts)?;
    let mut env: Vec<(String, String)> = config
        .env
        .iter()
        .filter_map(|e| {
            e.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    if !env.iter().any(|(k, _)| k == "PATH") {
        env.push((
            "PATH".into(),
            crate::image::entrypoint::DEFAULT_PATH.to_string(),
        ));
    }
    let path_var = env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let workdir = config
        .working_dir
        .clone()
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "/".into());
    let plan = Plan {
        bwrap: &bwrap,
        rootfs: &rootfs,
        env: &env,
        workdir: &workdir,
        path_var: &path_var,
        emulator: emulator.as_deref(),
        cpu: cpu.as_deref(),
        timeout: vopts.timeout,
    };
    let mut run = plan.run(&argv)?;
    drop(rootfs);
    // glibc's execvp retries a file the kernel rejected (ENOEXEC) with /bin/sh; without a
    // /bin/sh that reads as ENOENT. A program without an interpreter cannot miss one.
    let static_program = a.entrypoint.as_ref().is_some_and(|e| {
        e.program.as_deref() == argv.first().map(String::as_str) && e.interpreter.is_none()
    });
    if run.outcome == Outcome::MissingLoader && static_program && emulator.is_none() {
        run.outcome = Outcome::ExecFormatError;
    }
    let agrees = match report.verdict {
        Verdict::Runs | Verdict::RunsEmulated => run.outcome.runs(),
        Verdict::WontRun => !run.outcome.runs(),
    };
    let emulator_text = emulator.as_ref().map(|e| {
        let name = e
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match &cpu {
            Some(c) => format!("{name} -cpu {c}"),
            None => name,
        }
    });
    let mut message = describe(&run, &argv, emulator_text.as_deref());
    if !agrees {
        message = format!(
            "CONTRADICTS the static verdict `{}`: {message}",
            report.verdict.as_str()
        );
    }
    let ro = RedactOptions::default();
    Ok(VerifiedImage {
        verify: Verification {
            started: run.started,
            exit_code: run.exit_code,
            signal: run.signal,
            timed_out: run.outcome == Outcome::TimedOut,
            emulator: emulator_text,
            stderr_tail: redact(&run.stderr, &ro).into_owned(),
            stdout_tail: redact(&run.stdout, &ro).into_owned(),
            agrees_with_verdict: agrees,
            outcome: run.outcome,
            message: redact(&message, &ro).into_owned(),
            argv: argv.iter().map(|a| redact(a, &ro).into_owned()).collect(),
            platform,
        },
        report,
    })
}

fn signal_name(s: i32) -> &'static str {
    match s {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        31 => "SIGSYS",
        _ => "signal",
    }
}

fn describe(r: &RunResult, argv: &[String], emulator: Option<&str>) -> String {
    let prog = argv.first().map(String::as_str).unwrap_or("");
    let how = match emulator {
        Some(e) => format!(" under {e}"),
        None => String::new(),
    };
    match r.outcome {
        Outcome::Ran => format!(
            "{prog} ran{how} and exited with code {}",
            r.exit_code.unwrap_or(0)
        ),
        Outcome::TimedOut => format!("{prog} started{how} and was still running at the time limit"),
        Outcome::ExecFormatError => {
            format!("exec format error: {prog} is not a program for this CPU{how}")
        }
        Outcome::MissingLoader => {
            format!(
                "{prog} did not start{how}: its interpreter (dynamic loader or #! program) is missing"
            )
        }
        Outcome::MissingLibrary => {
            format!("{prog} did not start{how}: the dynamic loader cannot find a shared library")
        }
        Outcome::NotFound => format!("{prog} does not exist in the image"),
        Outcome::PermissionDenied => format!("{prog} is not executable (permission denied)"),
        Outcome::IllegalInstruction => format!(
            "{prog} started{how} and was killed by SIGILL: an instruction this CPU does not have"
        ),
        Outcome::Crashed => {
            let s = r.signal.unwrap_or(0);
            format!(
                "{prog} started{how} and crashed with {} ({s})",
                signal_name(s)
            )
        }
    }
}

fn search_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn find_bwrap(v: &VerifyOptions) -> Result<PathBuf> {
    let missing = |p: &str| {
        Error::Unsupported {
        input: p.to_string(),
        reason: "the bwrap sandbox is not installed; install the Debian package bubblewrap (apt-get install bubblewrap)".into(),
    }
    };
    match &v.bwrap {
        Some(p) if p.is_file() => Ok(p.clone()),
        Some(p) => Err(missing(&p.display().to_string())),
        None => search_path("bwrap").ok_or_else(|| missing("bwrap")),
    }
}

/// QEMU's name for an OCI architecture.
pub fn qemu_arch(p: &Platform) -> Option<&'static str> {
    Some(match p.normalize().architecture.as_str() {
        "amd64" => "x86_64",
        "386" => "i386",
        "arm64" => "aarch64",
        "arm" => "arm",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        "ppc64le" => "ppc64le",
        "ppc64" => "ppc64",
        "mips64le" => "mips64el",
        "mips64" => "mips64",
        "mipsle" => "mipsel",
        "mips" => "mips",
        "loong64" => "loongarch64",
        _ => return None,
    })
}

fn find_emulator(p: &Platform, v: &VerifyOptions) -> Result<PathBuf> {
    let Some(arch) = qemu_arch(p) else {
        return Err(Error::Unsupported {
            input: p.to_string(),
            reason: "QEMU has no user-mode emulator for this architecture".into(),
        });
    };
    let name = format!("qemu-{arch}-static");
    let found = match &v.emulator_dir {
        Some(d) => Some(d.join(&name)).filter(|p| p.is_file()),
        None => search_path(&name),
    };
    found.ok_or_else(|| Error::Unsupported {
        input: name.clone(),
        reason: format!(
            "the image is {p}, not this machine's platform, and the emulator {name} is not installed{}; install the Debian package qemu-user-static",
            v.emulator_dir
                .as_ref()
                .map(|d| format!(" in {}", d.display()))
                .unwrap_or_default()
        ),
    })
}

/// The QEMU CPU model matching the host spec's variant, when the host is of the image's
/// architecture and QEMU has one (so a program needing a newer CPU fails as it would there).
pub fn cpu_model(image: &Platform, host: &Platform) -> Option<String> {
    let (i, h) = (image.normalize(), host.normalize());
    if i.architecture != h.architecture {
        return None;
    }
    let m = match (h.architecture.as_str(), h.variant.as_str()) {
        ("arm", "v5") => "arm926",
        ("arm", "v6") => "arm1176",
        ("arm", "v7") => "cortex-a15",
        ("arm", "v8") => "cortex-a15",
        ("arm64", "" | "v8" | "v8.0" | "v8.1") => "cortex-a57",
        ("arm64", "v8.2" | "v8.3" | "v8.4") => "neoverse-n1",
        ("amd64", "v1" | "") => "qemu64",
        ("amd64", "v2") => "Nehalem",
        ("amd64", "v3") => "Haswell",
        ("amd64", "v4") => "Skylake-Server",
        _ => return None,
    };
    Some(m.to_string())
}

struct Plan<'a> {
    bwrap: &'a Path,
    rootfs: &'a Rootfs,
    env: &'a [(String, String)],
    workdir: &'a str,
    path_var: &'a str,
    emulator: Option<&'a Path>,
    cpu: Option<&'a str>,
    timeout: Duration,
}

struct RunResult {
    outcome: Outcome,
    started: bool,
    exit_code: Option<i32>,
    signal: Option<i32>,
    stderr: String,
    stdout: String,
}

/// Where the emulator is bound inside the sandbox.
const EMU_DIR: &str = ".archcompat-emulator";

impl Plan<'_> {
    /// `argv[0]` looked up as the runtime would (relative to WorkingDir, else on PATH).
    fn resolve_program(&self, prog: &str) -> Option<String> {
        if prog.contains('/') {
            let abs = if prog.starts_with('/') {
                prog.to_string()
            } else {
                format!("{}/{prog}", self.workdir.trim_end_matches('/'))
            };
            return self.rootfs.exists(&abs).then_some(abs);
        }
        self.path_var
            .split(':')
            .filter(|d| !d.is_empty())
            .map(|d| format!("{}/{prog}", d.trim_end_matches('/')))
            .find(|p| self.rootfs.exists(p))
    }

    fn run(&self, argv: &[String]) -> Result<RunResult> {
        let root = self.rootfs.path();
        // WorkingDir is created when missing, as the runtime does.
        let wd = root.join(self.workdir.trim_start_matches('/'));
        if !self.rootfs.exists(self.workdir) {
            let _ = std::fs::create_dir_all(&wd);
        }
        // Mount points the runtime provides, created as it does.
        for d in ["proc", "dev", "tmp"] {
            if !self.rootfs.exists(&format!("/{d}")) {
                let p = root.join(d);
                std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
            }
        }
        let mut cmd = Command::new(self.bwrap);
        cmd.arg("--unshare-all")
            .arg("--die-with-parent")
            .arg("--new-session")
            .arg("--ro-bind")
            .arg(root)
            .arg("/")
            .args(["--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"])
            .arg("--clearenv");
        for (k, v) in self.env {
            cmd.arg("--setenv").arg(k).arg(v);
        }
        cmd.arg("--chdir").arg(self.workdir);
        let resolved = self.resolve_program(&argv[0]);
        let found = resolved.is_some();
        let mut inner: Vec<String> = Vec::new();
        if let Some(emu) = self.emulator {
            let mount = root.join(EMU_DIR);
            std::fs::create_dir_all(&mount).map_err(|e| Error::io(&mount, e))?;
            let name = emu
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let target = mount.join(&name);
            std::fs::write(&target, b"").map_err(|e| Error::io(&target, e))?;
            let in_box = format!("/{EMU_DIR}/{name}");
            cmd.arg("--ro-bind").arg(emu).arg(&in_box);
            inner.push(in_box);
            inner.extend(["-L".into(), "/".into()]);
            if let Some(c) = self.cpu {
                inner.extend(["-cpu".into(), c.to_string()]);
            }
            let prog = resolved.clone().unwrap_or_else(|| argv[0].clone());
            // QEMU runs ELF files only: for a `#!` script, emulate its interpreter.
            if let Some((interp, arg)) = self.shebang(&prog) {
                inner.extend(["-0".into(), interp.clone(), interp]);
                inner.extend(arg);
            } else {
                inner.extend(["-0".into(), argv[0].clone()]);
            }
            inner.push(prog);
            inner.extend(argv[1..].iter().cloned());
        } else {
            inner.push(resolved.unwrap_or_else(|| argv[0].clone()));
            inner.extend(argv[1..].iter().cloned());
        }
        cmd.arg("--").args(&inner);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| Error::io(self.bwrap, e))?;
        let out = tail_reader(child.stdout.take());
        let err = tail_reader(child.stderr.take());
        let start = Instant::now();
        let mut timed_out = false;
        let status = loop {
            match child.try_wait().map_err(|e| Error::io(self.bwrap, e))? {
                Some(s) => break s,
                None if start.elapsed() >= self.timeout => {
                    timed_out = true;
                    let _ = child.kill();
                    break child.wait().map_err(|e| Error::io(self.bwrap, e))?;
                }
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        };
        let stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
        let code = status.code();
        classify(
            timed_out,
            code,
            stdout,
            stderr,
            self.emulator.is_some(),
            found,
        )
    }

    /// The `#!` interpreter and its optional argument, when `prog` is a script.
    fn shebang(&self, prog: &str) -> Option<(String, Option<String>)> {
        let p = self.rootfs.resolve(prog)?;
        let mut f = std::fs::File::open(p).ok()?;
        let mut head = [0u8; 256];
        let n = f.read(&mut head).ok()?;
        let line = head[..n].strip_prefix(b"#!")?;
        let end = line.iter().position(|&b| b == b'\n').unwrap_or(line.len());
        let text = String::from_utf8_lossy(&line[..end]).trim().to_string();
        let mut it = text.splitn(2, char::is_whitespace);
        let interp = it.next()?.to_string();
        let arg = it
            .next()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        Some((interp, arg))
    }
}

const TAIL: usize = 4096;

fn tail_reader(r: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let Some(mut r) = r else {
            return String::new();
        };
        let mut keep: Vec<u8> = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            keep.extend_from_slice(&buf[..n]);
            if keep.len() > 2 * TAIL {
                keep.drain(..keep.len() - TAIL);
            }
        }
        if keep.len() > TAIL {
            keep.drain(..keep.len() - TAIL);
        }
        String::from_utf8_lossy(&keep).into_owned()
    })
}

fn classify(
    timed_out: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
    emulated: bool,
    found: bool,
) -> Result<RunResult> {
    let mut r = RunResult {
        outcome: Outcome::Ran,
        started: true,
        exit_code: None,
        signal: None,
        stderr,
        stdout,
    };
    if timed_out {
        r.outcome = Outcome::TimedOut;
        return Ok(r);
    }
    let exec_fail = r
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("bwrap: execvp "))
        .map(str::to_string);
    if let Some(line) = exec_fail {
        r.started = false;
        r.exit_code = code;
        r.outcome = if line.ends_with("Exec format error") {
            Outcome::ExecFormatError
        } else if line.ends_with("Permission denied") {
            Outcome::PermissionDenied
        } else if line.ends_with("No such file or directory") {
            // ENOENT for a file that exists means its loader is missing.
            if found {
                Outcome::MissingLoader
            } else {
                Outcome::NotFound
            }
        } else {
            Outcome::ExecFormatError
        };
        return Ok(r);
    }
    if code == Some(1)
        && r.stderr.starts_with("bwrap:")
        && !r.stderr.contains("execvp")
        && r.stderr.lines().count() <= 2
    {
        return Err(Error::Unsupported {
            input: "bwrap".into(),
            reason: format!("the sandbox could not be set up: {}", r.stderr.trim()),
        });
    }
    if emulated {
        for l in r.stderr.lines() {
            if l.starts_with("qemu-") && l.contains("Could not open '") {
                r.started = false;
                r.exit_code = code;
                r.outcome = if l.contains("No such file") {
                    Outcome::MissingLoader
                } else {
                    Outcome::NotFound
                };
                return Ok(r);
            }
            if l.starts_with("qemu-")
                && (l.contains("Invalid ELF image") || l.contains("Exec format error"))
            {
                r.started = false;
                r.exit_code = code;
                r.outcome = Outcome::ExecFormatError;
                return Ok(r);
            }
        }
    }
    if code == Some(127) && r.stderr.contains("error while loading shared libraries") {
        r.started = false;
        r.exit_code = code;
        r.outcome = Outcome::MissingLibrary;
        return Ok(r);
    }
    match code {
        // bwrap reports a child killed by signal N as 128+N, as shells do.
        Some(c) if (129..=128 + 64).contains(&c) => {
            let s = c - 128;
            r.signal = Some(s);
            r.outcome = if s == 4 {
                Outcome::IllegalInstruction
            } else {
                Outcome::Crashed
            };
        }
        Some(c) => r.exit_code = Some(c),
        // bwrap itself was killed by a signal.
        None => r.outcome = Outcome::Crashed,
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Platform {
        s.parse().unwrap()
    }

    #[test]
    fn emulator_names_and_cpu_models() {
        assert_eq!(qemu_arch(&p("linux/arm64")), Some("aarch64"));
        assert_eq!(qemu_arch(&p("linux/arm/v7")), Some("arm"));
        assert_eq!(qemu_arch(&p("linux/riscv64")), Some("riscv64"));
        assert_eq!(qemu_arch(&p("linux/ppc64le")), Some("ppc64le"));
        assert_eq!(
            cpu_model(&p("linux/arm/v7"), &p("linux/arm/v6")).as_deref(),
            Some("arm1176")
        );
        assert_eq!(
            cpu_model(&p("linux/amd64"), &p("linux/amd64/v3")).as_deref(),
            Some("Haswell")
        );
        assert_eq!(cpu_model(&p("linux/arm64"), &p("linux/amd64")), None);
    }

    #[test]
    fn exit_statuses_are_read() {
        let r = classify(false, Some(139), String::new(), String::new(), false, true).unwrap();
        assert_eq!((r.outcome, r.signal), (Outcome::Crashed, Some(11)));
        let r = classify(false, Some(132), String::new(), String::new(), true, true).unwrap();
        assert_eq!(r.outcome, Outcome::IllegalInstruction);
        let r = classify(
            false,
            Some(1),
            String::new(),
            "bwrap: execvp /bin/busybox: Exec format error\n".into(),
            false,
            true,
        )
        .unwrap();
        assert_eq!(r.outcome, Outcome::ExecFormatError);
        assert!(!r.started);
        let r = classify(
            false,
            Some(1),
            String::new(),
            "qemu-aarch64-static: Could not open '/lib/ld-linux-aarch64.so.1': No such file or directory\n".into(),
            true,
            true,
        )
        .unwrap();
        assert_eq!(r.outcome, Outcome::MissingLoader);
        let r = classify(false, Some(3), String::new(), String::new(), false, true).unwrap();
        assert_eq!((r.outcome, r.exit_code), (Outcome::Ran, Some(3)));
        assert!(
            classify(
                false,
                Some(1),
                String::new(),
                "bwrap: Creating new namespace failed: Operation not permitted\n".into(),
                false,
                true
            )
            .is_err()
        );
    }
}
