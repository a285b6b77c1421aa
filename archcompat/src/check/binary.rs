//! Problems that would make exec of one classified file fail on a given host: each a
//! [`Finding`] with a contract cause code, and the errno the kernel would return (or the
//! signal/exit status when exec succeeds and the program then dies) named in its evidence.

use crate::binary::{BinaryInfo, Details, ElfType, Format, Linkage};
use crate::finding::{CauseCode, Evidence, Finding, Severity};
use crate::platform::{Host, Runs};

/// What the kernel answers when exec fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errno {
    /// `exec format error`.
    Enoexec,
    /// `no such file or directory` (interpreter missing, `#!/bin/sh\r`).
    Enoent,
}

impl Errno {
    /// The symbolic name (`ENOEXEC`).
    pub fn name(self) -> &'static str {
        match self {
            Errno::Enoexec => "ENOEXEC",
            Errno::Enoent => "ENOENT",
        }
    }
    /// The message runc/Docker print for it.
    pub fn message(self) -> &'static str {
        match self {
            Errno::Enoexec => "exec format error",
            Errno::Enoent => "no such file or directory",
        }
    }
}

/// The evidence line recording the errno, in a fixed form (`errno: ENOEXEC (exec format error)`)
/// that callers can match.
pub fn errno_evidence(e: Errno) -> Evidence {
    Evidence::detail(format!("errno: {} ({})", e.name(), e.message()))
}

fn finding(
    code: CauseCode,
    sev: Severity,
    msg: String,
    errno: Option<Errno>,
    more: &[String],
) -> Finding {
    let mut f = Finding::new(code, sev, msg);
    if let Some(e) = errno {
        f.evidence.push(errno_evidence(e));
    }
    f.evidence.extend(more.iter().map(Evidence::detail));
    f
}

/// The problems that would make exec of the file described by `info` fail (or the program
/// die right after) on `host`. Empty when nothing is wrong that the bytes can tell.
///
/// (Example: the test `doc_examples::problems_example` in this file.)
pub fn problems(info: &BinaryInfo, host: &Host) -> Vec<Finding> {
    use CauseCode as C;
    use Severity::{Error as E, Warning as W};
    let enoexec = Some(Errno::Enoexec);
    let mut out = Vec::new();
    match &info.details {
        Details::Elf(e) => {
            if let Some(why) = &e.invalid {
                if e.fails_after_exec {
                    out.push(finding(
                        C::NotExecutableContent,
                        E,
                        format!("not a loadable ELF program: {why}"),
                        None,
                        &["exec passes the point of no return, then the process is killed with SIGSEGV (exit 139)".into()],
                    ));
                } else {
                    out.push(finding(
                        C::NotExecutableContent,
                        E,
                        format!("not a loadable ELF program: {why}"),
                        enoexec,
                        &[],
                    ));
                }
                return out;
            }
            match e.elf_type {
                ElfType::Relocatable | ElfType::Core | ElfType::Unknown => {
                    out.push(finding(
                        C::NotExecutableContent,
                        E,
                        format!("an ELF {} file, not a program", serde_name(&e.elf_type)),
                        enoexec,
                        &[],
                    ));
                    return out;
                }
                _ => {}
            }
            let Some(p) = &info.platform else {
                let what = match e.abi.as_deref() {
                    Some("x32") => "an x32 (ILP32 x86-64) program; no OCI platform, and kernels without CONFIG_X86_X32_ABI refuse it".to_string(),
                    Some("ilp32") => "an AArch64 ILP32 program; mainline Linux does not run it".to_string(),
                    _ if e.e_machine == 40 && e.os.is_none() && (e.flags.iter().any(|f| f == "m-profile") || e.arm_arch.as_deref().is_some_and(|a| a.contains("-M"))) => format!(
                        "bare-metal ARM {} (M-profile microcontroller) firmware, not a Linux program",
                        e.arm_arch.as_deref().unwrap_or("M-profile")
                    ),
                    _ => format!("a {}-bit {:?}-endian {} program that no OCI platform names", serde_name(&e.class), e.endianness, e.machine),
                };
                out.push(finding(C::ArchMismatch, E, what, enoexec, &[]));
                return out;
            };
            if p.os != "linux" {
                out.push(finding(
                    C::WrongOsBinary,
                    E,
                    format!(
                        "a {} program ({}), not a Linux one",
                        p,
                        e.os_source.as_deref().unwrap_or("its OS")
                    ),
                    enoexec,
                    &[],
                ));
                return out;
            }
            let v = host.runs(p);
            let host_arch = host.platform.normalize().architecture;
            // Same architecture, amd64 level: the kernel execs it; ld.so, the Go runtime or
            // the first AVX instruction stops it. Reported below as isa-level-too-high.
            let amd64_level_only = v.runs == Runs::No
                && host_arch == "amd64"
                && p.normalize().architecture == "amd64";
            match v.runs {
                Runs::No if amd64_level_only => {}
                Runs::No => {
                    let code = if p.normalize().architecture == host_arch {
                        C::VariantMismatch
                    } else {
                        C::ArchMismatch
                    };
                    out.push(finding(
                        code,
                        E,
                        format!("built for {p}; the host is {}", host.effective_platform()),
                        enoexec,
                        &[v.reason],
                    ));
                    return out;
                }
                Runs::Native | Runs::Compatible | Runs::Emulated => {}
            }
            // ISA level (x86-64-vN): ELF note or GOAMD64.
            // The host's level: probed, or the platform's variant (containerd reads a plain
            // `linux/amd64` as v1).
            let host_level = host.amd64_level.or_else(|| {
                host.platform.variant.strip_prefix('v')?.parse::<u8>().ok()
            }).or((host_arch == "amd64").then_some(1));
            if let (Some(host_level), true) = (host_level, p.architecture == "amd64") {
                let go_level = e
                    .build_settings
                    .as_ref()
                    .and_then(|s| s.get("GOAMD64"))
                    .and_then(|v| v.strip_prefix('v')?.parse::<u8>().ok());
                let need = e.isa_level.into_iter().chain(go_level).max();
                if let Some(need) = need.filter(|n| *n > host_level) {
                    let how = if go_level == Some(need) {
                        format!("the Go runtime refuses to start: \"This program can only be run on AMD64 processors with v{need} microarchitecture support.\" (exit 1)")
                    } else if e.linkage == Some(Linkage::Dynamic) {
                        "ld.so stops before main: \"CPU ISA level is lower than required\" (exit 127)".to_string()
                    } else {
                        "static programs do not check the note: expect SIGILL (exit 132)".to_string()
                    };
                    out.push(finding(
                        C::IsaLevelTooHigh,
                        E,
                        format!("needs x86-64-v{need}; the host CPU is x86-64-v{host_level}"),
                        None,
                        &[how],
                    ));
                }
            }
            // Page size.
            if let Some(max) = e.max_page_size.filter(|m| host.page_size > *m) {
                {
                    out.push(finding(
                        C::PageSizeMismatch,
                        E,
                        format!(
                            "PT_LOAD segments are aligned for {} pages; the host kernel uses {} KiB pages",
                            if max == 0 { "sub-4 KiB".to_string() } else { format!("{} KiB", max / 1024) },
                            host.page_size / 1024
                        ),
                        None,
                        &["exec succeeds, then the program dies with SIGSEGV (exit 139)".into()],
                    ));
                }
            }
            if e.truncated_segments {
                out.push(finding(
                    C::NotExecutableContent,
                    W,
                    "loadable segments extend past the end of the file (truncated download?)".into(),
                    None,
                    &["exec succeeds, then SIGSEGV/SIGBUS (exit 139)".into()],
                ));
            }
        }
        Details::Script(s) => {
            if s.bom {
                out.push(finding(
                    C::ByteOrderMark,
                    E,
                    "a UTF-8 byte-order mark precedes #!, so the kernel does not see a script".into(),
                    enoexec,
                    &[],
                ));
            } else if s.line_too_long {
                out.push(finding(
                    C::NotExecutableContent,
                    E,
                    "the #! line does not end within the kernel's 256-byte buffer".into(),
                    enoexec,
                    &[],
                ));
            } else if s.interpreter.is_none() {
                out.push(finding(
                    C::MissingShebang,
                    E,
                    "the #! line names no interpreter".into(),
                    enoexec,
                    &[],
                ));
            } else if s.line_endings == crate::binary::LineEndings::Crlf {
                let i = s.interpreter.as_deref().unwrap_or("");
                out.push(finding(
                    C::CrlfLineEndings,
                    E,
                    format!("the #! line ends in CR: the kernel looks for \"{i}\\r\", which does not exist"),
                    Some(Errno::Enoent),
                    &[],
                ));
            }
        }
        Details::Text(t) => out.push(finding(
            C::MissingShebang,
            E,
            if t.looks_like_shell {
                "shell commands without a #! line: a shell runs them, exec does not".into()
            } else {
                "text without a #! line".into()
            },
            enoexec,
            &[],
        )),
        Details::Macho(_) | Details::Pe(_) => {
            let what = if info.format == Format::Pe { "a Windows PE" } else { "a macOS Mach-O" };
            let plat = info.platform.as_ref().map(|p| format!(" ({p})")).unwrap_or_default();
            out.push(finding(
                C::WrongOsBinary,
                E,
                format!("{what} file{plat}, not a Linux program"),
                enoexec,
                &[],
            ));
        }
        Details::LfsPointer(_) => out.push(finding(
            C::LfsPointer,
            E,
            "a Git LFS pointer, not the file it points to (git lfs pull was not run)".into(),
            enoexec,
            &[],
        )),
        Details::Html(h) => out.push(finding(
            C::NotExecutableContent,
            E,
            match &h.title {
                Some(t) => format!("an {} page (\"{t}\"), probably a failed download", h.kind.to_uppercase()),
                None => format!("an {} document, probably a failed download", h.kind.to_uppercase()),
            },
            enoexec,
            &[],
        )),
        Details::Wasm(_) => out.push(finding(
            C::NotExecutableContent,
            E,
            "a WebAssembly binary: it needs a Wasm runtime (runwasi shim, platform wasi/wasm), not runc".into(),
            enoexec,
            &[],
        )),
        Details::JavaClass(_) => out.push(finding(
            C::NotExecutableContent,
            E,
            "a Java class file: run it with java".into(),
            enoexec,
            &[],
        )),
        Details::Data(d) => out.push(finding(
            C::NotExecutableContent,
            E,
            match (&d.kind, info.format) {
                (_, Format::Empty) => "an empty file".into(),
                (Some(k), _) => format!("{k} data, not a program"),
                (None, _) => "unrecognised data, not a program".into(),
            },
            enoexec,
            &[],
        )),
    }
    out
}

fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One entry of `archcompat inspect --json` (the contract's shape): the file's path, its
/// classification and the problems on the host.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InspectEntry {
    /// The path as given.
    pub path: String,
    /// Format, platform and details.
    #[serde(flatten)]
    pub info: BinaryInfo,
    /// What would make exec fail on the host.
    pub problems: Vec<Finding>,
}

/// Classify the file at `path` ([`crate::binary::inspect_path`]) and judge it for `host`.
///
/// (Example: the test `doc_examples::inspect_example` in this file.)
pub fn inspect(path: &std::path::Path, host: &Host) -> crate::Result<InspectEntry> {
    inspect_with(path, host, crate::redact::Redaction::On)
}

/// [`inspect`], choosing whether the user text the entry echoes (a script's `#!` arguments,
/// an HTML title, the path, problem messages) is redacted.
pub fn inspect_with(
    path: &std::path::Path,
    host: &Host,
    redaction: crate::redact::Redaction,
) -> crate::Result<InspectEntry> {
    let info = crate::binary::inspect_path(path)?;
    let problems = problems(&info, host);
    let mut entry = InspectEntry {
        path: path.display().to_string(),
        info,
        problems,
    };
    entry.redact(redaction);
    Ok(entry)
}

impl InspectEntry {
    /// Apply the redaction policy to the user text this entry echoes.
    pub fn redact(&mut self, r: crate::redact::Redaction) {
        if !r.is_on() {
            return;
        }
        r.apply_in_place(&mut self.path);
        match &mut self.info.details {
            crate::binary::Details::Script(s) => {
                // `#!/usr/bin/env -S app --token x`: the argument is redacted after the
                // interpreter, so a flag and its value are seen together.
                if let Some(arg) = &mut s.argument {
                    let ctx = s.interpreter.clone().unwrap_or_default();
                    let argv = [ctx, arg.clone()];
                    if let Some(a) = crate::redact::redact_argv(&argv, r).pop() {
                        *arg = a;
                    }
                }
            }
            crate::binary::Details::Html(h) => {
                if let Some(t) = &mut h.title {
                    r.apply_in_place(t);
                }
            }
            _ => {}
        }
        r.findings(&mut self.problems);
    }
}

/// [`inspect_bytes`] for the bytes of a file called `name` (a dropped file in the web page),
/// with the redaction policy chosen: the same entry `inspect` gives for that file's path.
pub fn inspect_bytes_named(
    data: &[u8],
    file_len: u64,
    name: &str,
    host: &Host,
    redaction: crate::redact::Redaction,
) -> InspectEntry {
    let info = crate::binary::classify(data, file_len);
    let problems = problems(&info, host);
    let mut entry = InspectEntry {
        path: name.to_string(),
        info,
        problems,
    };
    entry.redact(redaction);
    entry
}

/// Classify in-memory bytes (a prefix of a `file_len`-byte file) and judge them for `host`;
/// the entry's `path` is `"<bytes>"`.
pub fn inspect_bytes(data: &[u8], file_len: u64, host: &Host) -> InspectEntry {
    let info = crate::binary::classify(data, file_len);
    let problems = problems(&info, host);
    let mut entry = InspectEntry {
        path: "<bytes>".into(),
        info,
        problems,
    };
    entry.redact(crate::redact::Redaction::On);
    entry
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn problems_example() {
        use crate::{binary::classify, check::binary::problems, platform::Host};
        let host = Host::from_platform("linux/amd64".parse().unwrap());
        let script = b"\xef\xbb\xbf#!/bin/sh\necho hi\n";
        let p = problems(&classify(script, script.len() as u64), &host);
        assert_eq!(p[0].code.as_str(), "byte-order-mark");
    }

    #[test]
    fn inspect_example() {
        use crate::{check::binary::inspect, platform::Host};
        let host = Host::from_platform("linux/amd64".parse().unwrap());
        let e = inspect(std::path::Path::new("/nonexistent"), &host);
        assert!(e.unwrap_err().to_string().contains("/nonexistent"));
    }
}
