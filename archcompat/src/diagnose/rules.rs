//! The recognisers: patterns over log lines, the facts they extract (platforms, image, exec
//! path) and the disambiguation rules applied to the candidate causes.

use super::{Cause, NamedPlatforms};
use crate::finding::CauseCode;
use crate::prefilter::{Mask, Prefilter};
use regex::{Captures, Regex};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// One signal found on one line.
pub(super) struct Hit {
    pub code: CauseCode,
    pub weight: f64,
    pub line: u32,
    pub why: &'static str,
}

/// What the scan learned.
#[derive(Default)]
pub(super) struct Facts {
    pub hits: Vec<Hit>,
    pub platforms: NamedPlatforms,
    pub image: Option<String>,
    /// The file exec refused (from `exec /x: exec format error` and the like).
    pub exec_path: Option<String>,
    pub interpreter: Option<String>,
    pub enoexec: bool,
    pub enoent_exec: bool,
    pub platform_warning: bool,
    pub in_build: bool,
    pub platform_flag: bool,
    /// `uname -m` / `docker inspect` readings that show host and image agree.
    pub uname_host: Option<String>,
    pub inspected_image: Option<String>,
    /// A Windows image name (`servercore`, `nanoserver`, `ltsc2019`, `mcr.microsoft.com/windows`).
    pub windows_image: bool,
    /// An ARMv6 machine (Pi Zero/1) is named.
    pub armv6: bool,
    /// An illegal-instruction style crash is named.
    pub sigill: bool,
    /// A Kubernetes crash loop is named.
    pub crashloop: bool,
    /// An ARM machine (M1/M2, Apple Silicon, Graviton, Raspberry Pi, aarch64) is named.
    pub arm_host_hint: bool,
    /// Alpine/musl is named.
    pub alpine: bool,
    /// The architecture `docker image inspect` printed as JSON (`"Architecture": "arm64"`).
    pub inspected_arch: Option<String>,
    /// CPU architectures of ELF files that `file` described.
    pub elf_arches: std::collections::BTreeSet<String>,
    /// Architectures named in image tags (`:1.0-arm64`, `latest-arm64v8`).
    pub tag_arches: std::collections::BTreeSet<String>,
    /// `no matching manifest for unknown`: the engine could not tell its own platform.
    pub unknown_platform: bool,
    crashloop_line: Option<u32>,
    inspected_line: Option<u32>,
    sigill_line: Option<u32>,
}

struct Rule {
    re: Pat,
    code: CauseCode,
    weight: f64,
    why: &'static str,
}

struct Patterns {
    rules: Vec<Rule>,
    enoexec: Pat,
    enoent: Pat,
    warning: Pat,
    no_manifest: Pat,
    podman: Pat,
    ecs_platform: Pat,
    wanted_actual: Pat,
    k8s_arch: Pat,
    platform_flag: Pat,
    image_ref: Vec<Pat>,
    build_step: Pat,
    qemu_open: Pat,
    lambda_arch: Pat,
    arch_url: Pat,
    bare_platform: Pat,
    enoexec_shell: Pat,
    enoent_shell: Pat,
    armv6: Pat,
    sigill: Pat,
    crashloop: Pat,
    arm_host: Pat,
    alpine: Pat,
    inspect_json: Pat,
    elf_file: Pat,
    tag_arch: Pat,
    esbuild: Pat,
    windows_image: Pat,
    fallback_exec: Pat,
    fallback_emulator: Pat,
    fallback_manifest: Pat,
    fallback_platform: Pat,
    /// Run the lines' `exec format error` check without lowercasing each line.
    exec_format_words: Pat,
    /// `no matching manifest for unknown` (ASCII case-insensitive), anywhere in the text.
    unknown_platform: Pat,
}

/// A pattern, its bit in the prefilter's line masks, and its regex, compiled on the first line
/// the prefilter says it may match (most texts never need most patterns, and compiling all of
/// them cost more than scanning a 1 MB log).
struct Pat {
    id: usize,
}

impl Pat {
    /// The compiled regex (compiled now if this is its first use).
    fn re(&self) -> &'static Regex {
        compiled().regex(self.id)
    }

    /// The regex, when the prefilter says it may match the line.
    fn on(&self, m: &Mask) -> Option<&Regex> {
        m.may(self.id).then(|| self.re())
    }

    fn is_match(&self, m: &Mask, line: &str) -> bool {
        self.on(m).is_some_and(|re| re.is_match(line))
    }

    fn captures<'h>(&self, m: &Mask, line: &'h str) -> Option<Captures<'h>> {
        self.on(m).and_then(|re| re.captures(line))
    }
}

/// The patterns, and the literal prefilter over all of them (compiled once per process).
struct Compiled {
    pats: Patterns,
    pre: Prefilter,
    /// Every pattern's source, in id order.
    sources: Vec<&'static str>,
    /// Every pattern's regex, in id order, compiled on first use.
    regexes: Vec<OnceLock<Regex>>,
}

impl Compiled {
    /// Pattern `id`'s regex (compiled now if this is its first use).
    fn regex(&self, id: usize) -> &Regex {
        self.regexes[id]
            .get_or_init(|| Regex::new(self.sources[id]).expect("diagnose patterns are valid"))
    }

    /// Compile the regexes, last pattern first (the scan meets the first ones first), until
    /// the scan is `done`. Compiling is most of what explaining a long log costs; this runs
    /// on a second core while the scan compiles what it needs itself, and each regex is
    /// compiled once whichever gets to it first. (Finding first which patterns the text can
    /// match would cost a pass over the whole text; a regex compiled in vain only costs the
    /// second core's time while the scan runs.)
    fn warm(&self, done: &AtomicBool) {
        for id in (0..self.sources.len()).rev() {
            if done.load(Ordering::Relaxed) {
                return;
            }
            self.regex(id);
        }
    }
}

fn compiled() -> &'static Compiled {
    static P: OnceLock<Compiled> = OnceLock::new();
    P.get_or_init(|| {
        let sources: RefCell<Vec<&'static str>> = RefCell::new(Vec::new());
        let r = |s: &'static str| {
            let mut v = sources.borrow_mut();
            v.push(s);
            Pat { id: v.len() - 1 }
        };
        use CauseCode::*;
        let rule = |s: &'static str, code, weight, why| Rule { re: r(s), code, weight, why };
        let pats = Patterns {
            rules: vec![
                rule(r"(?i)\^M:? bad interpreter|bad interpreter:.*(\^M|\\r)|\$'\\r': command not found|\\r': No such file or directory|with CRLF line terminators", CrlfLineEndings, 0.9, "the script has Windows (CRLF) line endings: the kernel looks for an interpreter named `…\\r`"),
                rule(r"\x{feff}|ï»¿|\xEF\xBB\xBF|UTF-8 \(with BOM\)|unknown instruction: ��|��F R O M", ByteOrderMark, 0.85, "a byte-order mark precedes `#!` (or a Dockerfile instruction)"),
                rule(r"(?i)version https://git-lfs\.github\.com/spec/v1|line 1: version: command not found|oid sha256:[0-9a-f]{64}", LfsPointer, 0.9, "the file is a Git LFS pointer, not the binary it stands for"),
                rule(r"(?i)syntax error near unexpected token .<.|Invalid or corrupt jarfile|line \d+: .?<!DOCTYPE|line \d+: .?<html|line \d+: .?<\?xml|<!DOCTYPE html>'|: HTML document|: XML \d|gzip compressed data, .*exec format", NotExecutableContent, 0.8, "the \"program\" is an error page, archive or other data, typically a failed download"),
                rule(r"(?i)syntax error near unexpected token .newline.|HTML (?:page |document |file )?(?:was |is |being )*downloaded|downloaded (?:an? )?(?:HTML|web ?page)|(?:html|web ?page)[^\n]{0,40}instead of the (?:actual )?(?:binary|script|file)|not recognized as a valid object file|file (?:was |is )?(?:corrupted|truncated)|corrupt(?:ed)? (?:download|binary)", NotExecutableContent, 0.6, "the file is a web page, a truncated download or other data rather than the program"),
                rule(r"(?i)Invalid or corrupt jarfile|not recognized as a valid object file", LfsPointer, 0.3, "a jar or library that is not one is often a Git LFS pointer checked out without LFS"),
                rule(r"(?i)git[- ]lfs|lfs pointer|pointer files?(?-u:\b)|lfs (?:pull|install|track)", LfsPointer, 0.7, "the text is about Git LFS: the file is likely an LFS pointer, not the content"),
                rule(r"(?i)\\r['\x{2019}]?:? No such file|bash\\r|sh\\r|(?-u:\b)CRLF(?-u:\b)|(?-u:\b)CLRF(?-u:\b)|line[- ]endings?|dos2unix|fileformat=unix|set ff=unix|windows[- ]style|\\r\\n|\\r\$", CrlfLineEndings, 0.75, "the text points at Windows (CRLF) line endings in the script"),
                rule(r"(?i)(?-u:\b)BOM(?-u:\b)|utf-?8 ?bom|byte[- ]order[- ]mark|ef ?bb ?bf|357 273 277|UTF-8-SIG|\x{fffd}{2,}#!", ByteOrderMark, 0.85, "a byte-order mark precedes `#!`: the kernel does not see a `#!` line"),
                rule(r"(?i)binaries cannot be used|(?:compiled|built|installed|install) (?:for|on|in) (?:macos|mac(?-u:\b)|osx|darwin|windows)|node_modules[^\n]{0,80}(?:windows|macos|(?-u:\b)mac(?-u:\b)|darwin)|(?:windows|macos|(?-u:\b)mac(?-u:\b))[^\n]{0,60}node_modules|from your local, which is probably not Linux", WrongOsBinary, 0.6, "a native module or binary built on macOS/Windows is used on Linux"),
                rule(r"(?i)(?-u:\b)avx2?(?-u:\b)[^\n]{0,60}(?:support|instruction|flag|expose|lack|without|not)|(?:without|(?-u:\b)no(?-u:\b)|lack|doesn'?t (?:have|support)|not (?:support|expose))[^\n]{0,40}(?-u:\b)avx|(?-u:\b)kvm64(?-u:\b)|(?-u:\b)qemu64(?-u:\b)|x86-64-v[234]|SSE4\.?2", IsaLevelTooHigh, 0.6, "the CPU (often a VM's default CPU model) lacks an extension the program needs (AVX, x86-64-v2/v3)"),
                rule(r"(?i)qemu[^\n]{0,80}(?:segmentation fault|segfault|SIGSEGV|signal 4|illegal instruction)|(?:segmentation fault|segfault)[^\n]{0,80}(?:qemu|emulat)|emulat[^\n]{0,40}(?:segfault|segmentation|crash|unreliable)", EmulationCrash, 0.75, "the emulator crashed while running a foreign-architecture program"),
                rule(r"(?i)setup-qemu|qemu[- ]user[- ]static|binfmt[_-]misc|(?:install|set ?up|missing|without|no|add)(?:ing)? (?:the |a )?(?:qemu|emulat|virtuali[sz]er)|qemu (?:install |setup )?step|emulating the instruction set|chroot: failed to run command|(?:haven'?t|didn'?t|not) (?:set ?up|install)(?:ed)? (?:the )?(?:qemu|virtuali[sz]er|emulat)", EmulationMissing, 0.7, "nothing registered to run foreign-architecture programs (no binfmt/QEMU handler)"),
                rule(r"(?i)TARGETARCH:-|ARG TARGETARCH=|hard-?cod(?:ed|es|ing)|\$BUILDPLATFORM|BUILDPLATFORM instead|(?:export |set )ARCH=|(?-i:(?-u:\b)ARCH=)(?:amd64|arm64|x86_64|aarch64)(?-u:\b)|GOARCH=(?:amd64|arm64|arm)(?-u:\b)|TARGETARCH[^\n]{0,60}(?:not|wrong|unset|default)|not (?:properly )?set(?:ting)? .?TARGETARCH|explicit (?:GOARCH|architecture|arch)(?-u:\b)|GOARCH (?:variable|env)", HardcodedArch, 0.6, "the build fixes the target architecture instead of following the platform being built"),
                rule(r"(?i)attestation[- ]manifests?|provenance(?:=false| attestation|: false)|--provenance|--sbom|sbom: false", AttestationUnsupported, 0.75, "buildx attached attestation manifests, turning the image into an index the consumer rejects"),
                rule(r"(?i)buildx v?0\.1[01](?-u:\b)", AttestationUnsupported, 0.5, "buildx 0.10+ attaches provenance attestations by default, turning pushes into image indexes"),
                rule(r"(?-u:\b)Image Index(?-u:\b)", AttestationUnsupported, 0.5, "the registry stores an image index (attestations make even one platform an index)"),
                rule(r"(?i)multiple platforms feature is currently not support", BuilderUnsupported, 0.9, "the docker driver cannot build several platforms at once"),
                rule(r"(?i)(?:image|manifest|tag|variant|entry|build|release)[^\n]{0,60}(?:contains?|ships?|shipping|shipped|has)[^.\n]{0,30}(?-u:\b)(?:an? )?(?:x86[-_]64|amd64|arm64|aarch64|x64)(?-u:\b)[^.\n]{0,25}(?:binary|binaries|executable|ELF|rootfs|userland)|(?:labels? itself|labell?ed|declared|advertised?|manifest and image config correctly)[^.\n]{0,60}(?:but|even though|yet)|(?:OS/arch|architecture|platform)[^.\n]{0,30}(?:is|are) (?:wrong|incorrect)|(?:build|image) is (?:incorrect|wrong|broken)|(?:arm64|amd64|x86-64) binary is in the (?:amd64|arm64) image", ImageMislabeled, 0.8, "the image's declared platform disagrees with the binaries inside it"),
                rule(r"(?i)can't execute '(?:ba)?sh'|exec: \\?\x22(?:/bin/)?bash\\?\x22: (?:executable file not found|stat)|(?:^|[^!/])/bin/bash ?:? (?:not found|no such file)|(?:doesn'?t|does not|don'?t|not) (?:have|ship|include)(?: with)? bash|bash (?:shell )?(?:is )?not installed|no bash in alpine|alpine doesn'?t (?:have|ship)", MissingInterpreter, 0.8, "the script's interpreter (bash) is not installed in the image (Alpine ships only sh)"),
                rule(r"(?i)(?:lacking|missing|without|(?-u:\b)no|add(?:ed)?|needs?) (?:a |the )?(?:proper )?shebang|shebang (?:was |is )?(?:missing|not (?:in|on) the (?:1st|first) line)|^\s*!/usr/bin/env(?-u:\b)|Did not have the right shebang", MissingShebang, 0.8, "the script has no `#!` line at the very top"),
                rule(r"(?i)invalid ELF header|'darwin-(x64|arm64)' binaries cannot be used on the 'linux|You installed esbuild for another platform|: Mach-O |bad CPU type in executable|PE32\+? executable|MS Windows|cannot execute binary file: Exec format error.*\.exe", WrongOsBinary, 0.85, "a macOS/Windows binary or host-built native module is inside the Linux image"),
                rule(r"(?i)ELF \d+-bit [LM]SB .*(ARM aarch64|x86-64|ARM, EABI|Intel 80386|IBM S/390|PowerPC|RISC-V)", ArchMismatch, 0.25, "the file is a native binary for a specific CPU"),
                rule(r"(?i)image operating system \S+ cannot be used on this platform|no matching manifest for windows/|operating system is not supported|container operating system does not match the host", OsMismatch, 0.9, "a Windows image on a Linux engine (or the reverse)"),
                rule(r"(?i)uncaught target signal|QEMU internal SIGSEGV|qemu: unhandled CPU exception|rosetta error: (?:[^f]|f[^a])|futex\(FUTEX_LOCK_PI_PRIVATE\)|Unable to open /proc/self/exe", EmulationCrash, 0.85, "the emulator (QEMU or Rosetta) itself crashed"),
                rule(r"failed to create new OS thread \(have \d+ already; errno=22\)|fatal error: newosproc", EmulationCrash, 0.9, "an old Go runtime cannot create threads under QEMU user emulation"),
                rule(r"(?i)Fatal glibc error: CPU does not support x86-64-v\d|CPU ISA level is lower than required|can only be run on AMD64 processors with v\d microarchitecture|requires a CPU with AVX|CPU lacks (?:ISA|float128|VXE)|Illegal instruction|exit code:? 132(?-u:\b)|signal 4 \(Illegal instruction\)", IsaLevelTooHigh, 0.85, "the binary or its libc needs a newer CPU level or extension than this CPU has"),
                rule(r"(?i)Unsupported system page size|page size mismatch|jemalloc.*page size", PageSizeMismatch, 0.9, "built for 4 KiB pages on a 16/64 KiB-page kernel"),
                rule(r"(?i)Multiple platforms feature is currently not supported for docker driver|Multi-platform build is not supported for the docker driver|docker exporter does not currently support exporting manifest lists|failed to parse platform : \x22\x22 is an invalid component", BuilderUnsupported, 0.9, "the buildx driver or exporter cannot do what was asked"),
                rule(r"(?i)image manifest, config or layer media type for the source image .* is not supported|wrong diff id calculated on extraction", AttestationUnsupported, 0.85, "the consumer rejects an image index that carries attestation manifests"),
                rule(r"(?i)unknown/unknown", AttestationUnsupported, 0.2, "the index carries attestation manifests (platform unknown/unknown)"),
                rule(r"(?i)found but its platform \(\S+\) does not match the specified platform|wanted linux/\S+, actual:? linux/\S+", VariantMismatch, 0.5, "the local image's platform differs from the one asked for"),
                rule(r"linux/arm64/unknown|variant \x22unknown\x22|--variant unknown", VariantMismatch, 0.6, "the platform variant is `unknown`"),
                rule(r"(?i)exec user process caused:? .?no such file or directory|cannot execute: required file not found|Could not open '/lib|failed to open elf at /lib|error while loading shared libraries", MissingInterpreter, 0.55, "the program's interpreter (ELF loader or `#!` program) is missing from the image"),
                rule(r"(?i)^\s*(?:\S+:\s*)?!/bin/(?:ba)?sh|first line .*not #!|: ASCII text(?:, with no line terminators)?$|line 1: #!/bin/(?:ba)?sh: No such file", MissingShebang, 0.5, "the script does not start with `#!`"),
                rule(r"(?i)standard_init_linux\.go:\d+: exec user process caused:? .?exec format error|exec format error|Exec format error|\[Errno 8\]", ArchMismatch, 0.55, "exec returned ENOEXEC: the file is not a program for this CPU (or not a program)"),
                rule(r"(?i)(?-u:\b)no matching manifest for(?-u:\b)|no match for platform in manifest|no image found in (?:image index|manifest list) for architecture|descriptor matching platform|no child with platform", NoMatchingManifest, 0.95, "the image index has no entry for the requested platform"),
                rule(r"(?i)The requested image's platform \(\S+\) does not match the detected host platform", PlatformWarning, 0.6, "the engine picked an image for another platform than the host"),
                rule(r"(?i)Runtime\.InvalidEntrypoint|Extension\.LaunchError|fork/exec /var/task/bootstrap", ArchMismatch, 0.3, "Lambda could not start the function's entrypoint"),
                rule(r"(?i)failed to start and listen on the port", ArchMismatch, 0.25, "Cloud Run's start-up failure (it only runs linux/amd64 images)"),
            ],
            enoexec: r(r"(?i)(?:exec|fork/exec|exec container process) [`']?(/[^\s:`']+)[`']?:? ?(?:exec format error|Exec format error)|Errno 8\] Exec format error: '([^']+)'"),
            enoent: r(r"(?i)exec (/[^\s:]+): no such file or directory|exec container process [`'](/[^`']+)[`']: No such file"),
            warning: r(r"(?i)requested image's platform \((\S+)\) does not match the detected host platform \((\S+)\)"),
            no_manifest: r(r"(?i)no matching manifest for ([a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9.]+)?)"),
            podman: r(r#"(?i)for architecture "?([a-z0-9_]+)"?, variant "([^"]*)", OS "?([a-z]+)"?"#),
            ecs_platform: r(r"(?i)descriptor matching platform '([^']+)'"),
            wanted_actual: r(r"(?i)wanted (linux/\S+?),? actual:? (linux/\S+)|platform \((\S+)\) does not match the specified platform \((\S+)\)"),
            k8s_arch: r(r"kubernetes\.io/arch[=:]\s*([a-z0-9]+)"),
            platform_flag: r(r"--platform[= ]([a-z0-9]+/[a-z0-9_]+(?:/v[0-9.]+)?)"),
            image_ref: vec![
                r(r#"Pulling image "([^"\s]+)""#),
                r(r"Unable to find image '([^'\s]+)' locally"),
                r(r"(?:docker|podman) (?:pull|run)(?: +--?[a-z-]+(?:[= ](?:[a-z0-9]+/[a-z0-9_]+(?:/v\d)?|\S+))?)* +([a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})?)(?-u:\b)"),
                r(r"pull access denied for ([a-z0-9][a-z0-9._/:-]*)"),
                r(r#"(?i)failed to resolve source metadata for (?:docker\.io/)?([a-z0-9][a-z0-9._/:-]*)"#),
            ],
            build_step: r(r"(?i)^#\d+ \[|failed to solve|error building (?:image|stage)|INFO\[\d+\] RUN|executor failed running|process \x22/bin/sh -c|RUN .*exit code|\.buildkit_qemu_emulator|buildx build|^Step \d+(?:/\d+)? : RUN|---> Running in|(?-u:\b)docker build(?-u:\b)|ERROR \[[^\]]*\] RUN"),
            qemu_open: r(r"(?i)(?:qemu-\S+|rosetta error|\S+-binfmt-P): (?:Could not open|failed to open elf at) '?(/[^'\s]+)"),
            lambda_arch: r(r#"(?i)"?Architectures"?\s*[:=]\s*\[?\s*"?(x86_64|arm64)"?"#),
            arch_url: r(r"(?i)https?://\S*(?:linux[-_/](?:amd64|x86_64|x64|arm64|aarch64)|x86_64\.tar|amd64\.tar|aarch64\.tar)|(?:wget|curl)(?-u:\b)[^\n]*linux[-_](?:amd64|x64|x86_64)[-_.]"),
            bare_platform: r(r"^\s*(linux/(?:amd64|arm64|arm|386|ppc64le|s390x|riscv64)(?:/v[0-9]+)?)\s*$"),
            enoexec_shell: r(r"(?i)(\.?/[^\s:`']+): cannot execute binary file|execve\('([^']+)'\) failed: Exec format error|(\.?/[^\s:`']+): Exec format error|cannot execute binary file"),
            enoent_shell: r(r"(?i)^\S*(?:bash|sh|zsh): (?:line \d+: )?(\.?/[^\s:]+): (?:No such file or directory|not found)|exec (\.?/[^\s:]+): no such file or directory|cannot execute: required file not found|System error: no such file or directory|exec user process caused:? .?no such file or directory"),
            armv6: r(r"(?i)pi zero|rpi ?zero|raspberry pi (?:1|zero)(?-u:\b)|armv6|arm/v6|(?-u:\b)v6l(?-u:\b)|(?-u:\b)arm11(?-u:\b)|for v6(?-u:\b)"),
            sigill: r(r"(?i)illegal instruction|(?-u:\b)SIGILL(?-u:\b)|invalid machine instruction|Illegal instrunction"),
            crashloop: r(r"(?i)crash ?lo+p ?back ?off"),
            arm_host: r(r"(?i)(?-u:\b)M[1-4](?-u:\b)(?: (?:Pro|Max|Mac|chip|mac))?|apple silicon|(?-u:\b)aarch64(?-u:\b)|(?-u:\b)arm64(?-u:\b)|graviton|raspberry|(?-u:\b)rpi(?-u:\b)|(?-u:\b)ARM (?:server|processor|cpu)|oracle (?:cloud )?arm"),
            alpine: r(r"(?i)alpine|musl"),
            inspect_json: r(r#"(?i)"Architecture":\s*"([a-z0-9_]+)""#),
            elf_file: r(r"(?i)ELF (?:32|64)-bit [LM]SB [^,]*, (x86-64|ARM aarch64|ARM|Intel 80386|IBM S/390|PowerPC|64-bit PowerPC|UCB RISC-V|RISC-V)"),
            tag_arch: r(r"(?i)[a-z0-9]([-_])(arm64v8|arm32v7|armhf|arm64|aarch64|amd64)(\.tar|\.zip|\.tgz)?(?-u:\b)"),
            windows_image: r(r"(?i)servercore|nanoserver|(?-u:\b)ltsc20\d\d(?-u:\b)|mcr\.microsoft\.com/windows|windows/(?:servercore|nanoserver)"),
            fallback_exec: r(r"(?i)exec format error|exec user process|cannot execute|exec failed|fork/exec|errno 8|failed to exec|could not exec"),
            fallback_emulator: r(r"(?i)qemu|emulat|rosetta|binfmt"),
            fallback_manifest: r(r"(?i)manifest"),
            fallback_platform: r(r"(?i)platform"),
            esbuild: r(r#"(?s)"(?:@esbuild/|esbuild-)([a-z0-9]+)-([a-z0-9]+)" package is present but this platform\s+needs the "(?:@esbuild/|esbuild-)([a-z0-9]+)-([a-z0-9]+)""#),
            exec_format_words: r(r"(?i-u)exec format error"),
            unknown_platform: r(r"(?i-u)no matching manifest for unknown"),
        };
        let sources = sources.into_inner();
        let pre = Prefilter::with_table(&sources, crate::prefilter::literals::DIAGNOSE);
        let regexes = sources.iter().map(|_| OnceLock::new()).collect();
        Compiled {
            pats,
            pre,
            sources,
            regexes,
        }
    })
}

fn norm(p: &str) -> String {
    p.parse::<crate::platform::Platform>()
        .map(|p| p.to_string())
        .unwrap_or_else(|_| p.to_string())
}

/// The machine a pasted `uname -a` line names, as a Linux platform: `Linux NODE RELEASE
/// #BUILD … MACHINE [PROCESSOR HARDWARE-PLATFORM] GNU/Linux` (busybox ends in `Linux`; a
/// markdown quote or code span around it is allowed). The machine is the first of the known
/// architectures that run up to the OS name (`i686 i686 i386` is i686). `None` for any line
/// that is not such output.
fn uname_a_machine(line: &str) -> Option<crate::platform::Platform> {
    let line = line
        .trim_start_matches(['>', '`', ' '])
        .trim_end_matches(['`', ' ']);
    if !line.starts_with("Linux ") {
        return None;
    }
    let toks: Vec<&str> = line.split_whitespace().collect();
    let n = toks.len();
    if n < 6 || !matches!(toks[n - 1], "GNU/Linux" | "Linux") {
        return None;
    }
    // The kernel release (`5.15.0-1062-oracle`) and the build (`#68~20.04.1-Ubuntu SMP …`).
    let release = toks[2];
    if !release.starts_with(|c: char| c.is_ascii_digit()) || !release.contains('.') {
        return None;
    }
    if !toks[3..n - 1].iter().any(|t| t.starts_with('#')) {
        return None;
    }
    let arch = |t: &str| {
        let p = format!("linux/{t}")
            .parse::<crate::platform::Platform>()
            .ok()?;
        crate::platform::normalize::is_known_arch(&p.normalize().architecture).then_some(p)
    };
    let mut machine = None;
    for t in toks[3..n - 1].iter().rev().take(3) {
        match arch(t) {
            Some(p) => machine = Some(p),
            None => break,
        }
    }
    machine
}

fn arch_of(p: &str) -> String {
    p.parse::<crate::platform::Platform>()
        .map(|p| p.normalize().architecture)
        .unwrap_or_default()
}

/// What one line says on its own: the signals the scan takes from it, in the order it applies
/// them. A pure function of the line's text (the captures borrow from it), so a text's repeated
/// lines are matched once; what depends on the lines around it (the facts so far, the command
/// on the line before) is decided when the signals are applied ([`apply`]).
#[derive(Clone, Copy)]
enum Ev<'t> {
    /// `rules[i]` matched.
    Rule(u16),
    /// An ENOEXEC message, and the path it names.
    Enoexec(Option<&'t str>),
    /// `exec format error` without a path.
    ExecFormatWords,
    /// `exec /x: no such file or directory`, and the path.
    Enoent(Option<&'t str>),
    /// The platform warning: the image's platform, the host's.
    Warning(&'t str, &'t str),
    /// A platform asked for (no matching manifest, ECS).
    Requested(&'t str),
    /// Podman's architecture, variant and OS.
    Podman(&'t str, &'t str, &'t str),
    /// Wanted and actual platforms, and whether their architectures differ.
    WantedActual(&'t str, &'t str, bool),
    /// The host's architecture (Kubernetes node label, Lambda architectures).
    HostArch(&'t str),
    PlatformFlag(&'t str),
    QemuOpen(&'t str),
    EnoexecShell(Option<&'t str>),
    EnoentShell(Option<&'t str>),
    Armv6,
    Sigill,
    Crashloop,
    ArmHost,
    Alpine,
    WindowsImage,
    InspectJson(&'t str),
    ElfArch(&'static str),
    TagArch(&'static str),
    BuildStep,
    ArchUrl,
    GoArch,
    Image(&'t str),
    BarePlatform(&'t str),
}

/// Distinct lines whose signals are remembered (a text with more runs the rest unremembered).
const MEMO_LINES: usize = 1 << 16;

/// A capture group that always takes part in a match of its pattern.
fn group<'h>(c: &Captures<'h>, i: usize) -> &'h str {
    c.get(i).map_or("", |m| m.as_str())
}

/// The signals of one line (`m`: the patterns the prefilter says may match it), appended to
/// `out` in the order the scan applies them.
fn line_signals<'t>(p: &Patterns, m: &Mask, line: &'t str, out: &mut Vec<Ev<'t>>) {
    for (i, rule) in p.rules.iter().enumerate() {
        if rule.re.is_match(m, line) {
            out.push(Ev::Rule(i as u16));
        }
    }
    if let Some(c) = p.enoexec.captures(m, line) {
        out.push(Ev::Enoexec(c.get(1).or(c.get(2)).map(|m| m.as_str())));
    } else if p.exec_format_words.is_match(m, line) {
        out.push(Ev::ExecFormatWords);
    }
    if let Some(c) = p.enoent.captures(m, line) {
        out.push(Ev::Enoent(c.get(1).or(c.get(2)).map(|m| m.as_str())));
    }
    if let Some(c) = p.warning.captures(m, line) {
        out.push(Ev::Warning(group(&c, 1), group(&c, 2)));
    }
    if let Some(c) = p.no_manifest.captures(m, line) {
        out.push(Ev::Requested(group(&c, 1)));
    }
    if let Some(c) = p.podman.captures(m, line) {
        out.push(Ev::Podman(group(&c, 1), group(&c, 2), group(&c, 3)));
    }
    if let Some(c) = p.ecs_platform.captures(m, line) {
        out.push(Ev::Requested(group(&c, 1)));
    }
    if let Some(c) = p.wanted_actual.captures(m, line) {
        let (want, actual) = match (c.get(1), c.get(2)) {
            (Some(w), Some(a)) => (w.as_str(), a.as_str()),
            _ => (group(&c, 4), group(&c, 3)),
        };
        out.push(Ev::WantedActual(
            want,
            actual,
            arch_of(want) != arch_of(actual),
        ));
    }
    if let Some(c) = p.k8s_arch.captures(m, line) {
        out.push(Ev::HostArch(group(&c, 1)));
    }
    if let Some(c) = p.lambda_arch.captures(m, line) {
        out.push(Ev::HostArch(group(&c, 1)));
    }
    if let Some(c) = p.platform_flag.captures(m, line) {
        out.push(Ev::PlatformFlag(group(&c, 1)));
    }
    if let Some(c) = p.qemu_open.captures(m, line) {
        out.push(Ev::QemuOpen(group(&c, 1)));
    }
    if let Some(c) = p.enoexec_shell.captures(m, line) {
        out.push(Ev::EnoexecShell(
            c.get(1).or(c.get(2)).or(c.get(3)).map(|m| m.as_str()),
        ));
    }
    if let Some(c) = p.enoent_shell.captures(m, line) {
        out.push(Ev::EnoentShell(c.get(1).or(c.get(2)).map(|m| m.as_str())));
    }
    for (pat, ev) in [
        (&p.armv6, Ev::Armv6),
        (&p.sigill, Ev::Sigill),
        (&p.crashloop, Ev::Crashloop),
        (&p.arm_host, Ev::ArmHost),
        (&p.alpine, Ev::Alpine),
        (&p.windows_image, Ev::WindowsImage),
    ] {
        if pat.is_match(m, line) {
            out.push(ev);
        }
    }
    if let Some(c) = p.inspect_json.captures(m, line) {
        out.push(Ev::InspectJson(group(&c, 1)));
    }
    for c in p
        .elf_file
        .on(m)
        .into_iter()
        .flat_map(|re| re.captures_iter(line))
    {
        out.push(Ev::ElfArch(match &c[1] {
            "x86-64" => "amd64",
            "ARM aarch64" => "arm64",
            "ARM" => "arm",
            "Intel 80386" => "386",
            "IBM S/390" => "s390x",
            "64-bit PowerPC" | "PowerPC" => "ppc64le",
            _ => "riscv64",
        }));
    }
    for c in p
        .tag_arch
        .on(m)
        .into_iter()
        .flat_map(|re| re.captures_iter(line))
    {
        let start = c.get(0).map_or(0, |m| m.start());
        let before = &line[..start + 1];
        let os_before = ["linux", "darwin", "windows", "win32"]
            .iter()
            .any(|o| before.to_ascii_lowercase().ends_with(o));
        if c.get(3).is_none() && !os_before {
            out.push(Ev::TagArch(match c[2].to_ascii_lowercase().as_str() {
                "arm64v8" | "arm64" | "aarch64" => "arm64",
                "arm32v7" | "armhf" => "arm",
                _ => "amd64",
            }));
        }
    }
    if p.build_step.is_match(m, line) {
        out.push(Ev::BuildStep);
    }
    if p.arch_url.is_match(m, line) {
        out.push(Ev::ArchUrl);
    }
    if goarch(line) {
        out.push(Ev::GoArch);
    }
    for re in &p.image_ref {
        if let Some(c) = re.captures(m, line) {
            let img = group(&c, 1).trim_end_matches(['.', ',', ':']);
            if img.len() > 1 && !img.starts_with('-') && img != "run" && img != "pull" {
                out.push(Ev::Image(img));
                break;
            }
        }
    }
    if let Some(c) = p.bare_platform.captures(m, line) {
        out.push(Ev::BarePlatform(group(&c, 1)));
    }
}

/// The build hard-codes the architecture in words the rules do not weigh on their own.
fn goarch(line: &str) -> bool {
    line.contains("GOARCH=amd64")
        || line.contains("GOARCH=arm64")
        || line.contains("ARG TARGETARCH=")
}

/// A shell's exec failure on a line: the program's path (the first one seen), and `h` unless
/// the same line already gave that cause.
fn shell_exec_failure(f: &mut Facts, path: Option<&str>, h: Hit) {
    if f.exec_path.is_none() {
        f.exec_path = path.map(str::to_string);
    }
    if !f
        .hits
        .iter()
        .rev()
        .take_while(|x| x.line == h.line)
        .any(|x| x.code == h.code)
    {
        f.hits.push(h);
    }
}

/// Apply one line's signals to the facts: `prev_cmd` is the command line before it.
fn apply(f: &mut Facts, p: &Patterns, signals: &[Ev], line_no: u32, prev_cmd: &str) {
    let hit = |code, weight, why| Hit {
        code,
        weight,
        line: line_no,
        why,
    };
    for &ev in signals {
        match ev {
            Ev::Rule(i) => {
                let r = &p.rules[i as usize];
                f.hits.push(hit(r.code, r.weight, r.why));
            }
            Ev::Enoexec(path) => {
                f.enoexec = true;
                if f.exec_path.is_none() {
                    f.exec_path = path.map(str::to_string);
                }
            }
            Ev::ExecFormatWords => f.enoexec = true,
            Ev::Enoent(path) => {
                f.enoent_exec = true;
                f.hits.push(hit(CauseCode::MissingInterpreter, 0.6, "exec said `no such file or directory` for a file that exists: its interpreter (ELF loader or `#!` program) is missing from the image"));
                if f.exec_path.is_none() {
                    f.exec_path = path.map(str::to_string);
                }
            }
            Ev::Warning(image, host) => {
                f.platform_warning = true;
                f.platforms.image.get_or_insert_with(|| norm(image));
                f.platforms.host.get_or_insert_with(|| norm(host));
            }
            Ev::Requested(r) => {
                f.platforms.requested.get_or_insert_with(|| norm(r));
            }
            Ev::Podman(arch, variant, os) => {
                let v = if variant.is_empty() {
                    String::new()
                } else {
                    format!("/{variant}")
                };
                f.platforms
                    .requested
                    .get_or_insert_with(|| norm(&format!("{os}/{arch}{v}")));
            }
            Ev::WantedActual(want, actual, differ) => {
                f.platforms.requested.get_or_insert_with(|| norm(want));
                f.platforms.image.get_or_insert_with(|| norm(actual));
                if differ {
                    f.hits.push(hit(
                        CauseCode::ArchMismatch,
                        0.6,
                        "the image found is for another architecture than the one asked for",
                    ));
                }
            }
            Ev::HostArch(a) => {
                f.platforms
                    .host
                    .get_or_insert_with(|| norm(&format!("linux/{a}")));
            }
            Ev::PlatformFlag(r) => {
                f.platform_flag = true;
                f.platforms.requested.get_or_insert_with(|| norm(r));
            }
            Ev::QemuOpen(path) => {
                f.interpreter.get_or_insert_with(|| path.to_string());
                f.hits.push(hit(CauseCode::HardcodedArch, 0.35, "a binary for another architecture sits in a native image (often a hard-coded download)"));
            }
            Ev::EnoexecShell(path) => {
                f.enoexec = true;
                shell_exec_failure(
                    f,
                    path,
                    hit(
                        CauseCode::ArchMismatch,
                        0.55,
                        "exec returned ENOEXEC: the file is not a program for this CPU (or not a program)",
                    ),
                );
            }
            Ev::EnoentShell(path) => {
                f.enoent_exec = true;
                shell_exec_failure(
                    f,
                    path,
                    hit(
                        CauseCode::MissingInterpreter,
                        0.5,
                        "exec said `no such file or directory` (or `not found`) for a program that exists: its interpreter (ELF loader or `#!` program) is missing",
                    ),
                );
            }
            Ev::Armv6 => f.armv6 = true,
            Ev::Sigill => {
                f.sigill = true;
                f.sigill_line.get_or_insert(line_no);
            }
            Ev::Crashloop => {
                f.crashloop = true;
                f.crashloop_line.get_or_insert(line_no);
            }
            Ev::ArmHost => f.arm_host_hint = true,
            Ev::Alpine => f.alpine = true,
            Ev::WindowsImage => {
                f.windows_image = true;
                f.hits.push(hit(
                    CauseCode::OsMismatch,
                    0.3,
                    "the text names a Windows container image",
                ));
            }
            Ev::InspectJson(a) => {
                f.inspected_arch
                    .get_or_insert_with(|| arch_of(&format!("linux/{a}")));
                f.inspected_line.get_or_insert(line_no);
            }
            Ev::ElfArch(a) => {
                if !f.elf_arches.contains(a) {
                    f.elf_arches.insert(a.to_string());
                }
            }
            Ev::TagArch(a) => {
                if !f.tag_arches.contains(a) {
                    f.tag_arches.insert(a.to_string());
                }
            }
            Ev::BuildStep => f.in_build = true,
            Ev::ArchUrl => f.hits.push(hit(
                CauseCode::HardcodedArch,
                0.5,
                "the build downloads a binary for one fixed architecture",
            )),
            Ev::GoArch => f.hits.push(hit(
                CauseCode::HardcodedArch,
                0.45,
                "the build hard-codes the target architecture",
            )),
            Ev::Image(img) => {
                if f.image.is_none() {
                    f.image = Some(img.to_string());
                }
            }
            // (After the `uname -m` reading in the scan's order: the two set different facts.)
            Ev::BarePlatform(pl) => {
                if prev_cmd.contains("inspect") {
                    f.inspected_image = Some(norm(pl));
                    f.platforms.image.get_or_insert_with(|| norm(pl));
                }
            }
        }
    }
}

/// The shortest text whose regexes are compiled on a second core while it is scanned.
const WARM_BYTES: usize = 16 * 1024;

/// `into |= mask`, word by word.
fn union(into: &mut [u64], mask: &[u64]) {
    for (a, b) in into.iter_mut().zip(mask) {
        *a |= b;
    }
}

/// Scan the text line by line (bounded by the input cap in `explain`). A long text's regexes
/// are compiled on a second core meanwhile, when there is one ([`Compiled::warm`]).
pub(super) fn scan(text: &str) -> Facts {
    let c = compiled();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if text.len() < WARM_BYTES || cores < 2 {
        return scan_lines(c, text);
    }
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| c.warm(&done));
        let f = scan_lines(c, text);
        done.store(true, Ordering::Relaxed);
        f
    })
}

fn scan_lines(c: &'static Compiled, text: &str) -> Facts {
    let Compiled { pats: p, pre, .. } = c;
    let mut f = Facts::default();
    let mut prev_cmd = "";
    // Each distinct line's signals (a range of `signals`; `None`: no pattern may match it),
    // found once: the prefilter's literal search and the patterns run on a line the first
    // time it is seen (logs repeat lines: progress, retries, one error per platform).
    let mut memo: HashMap<&str, Option<(u32, u32)>> = HashMap::new();
    let mut signals: Vec<Ev> = Vec::new();
    // Which patterns have a literal somewhere in the text: the whole-text checks below.
    let mut anywhere = pre.present("");
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        // At most 4000 characters of a line are read (a line has at least as many bytes).
        let line: &str = if raw.len() <= 4000 {
            raw
        } else {
            raw.char_indices()
                .nth(4000)
                .map_or(raw, |(at, _)| &raw[..at])
        };
        let (entry, fresh) = match memo.get(line) {
            Some(&e) => {
                if line.len() < raw.len() {
                    // The cut-off rest of a long line still counts for the whole text.
                    union(&mut anywhere, &pre.present(raw));
                }
                (e, false)
            }
            None => {
                // The patterns this line may match (a pattern not in it cannot match it).
                let mask = pre.present(raw);
                union(&mut anywhere, &mask);
                let m = Mask(&mask);
                let e = m.any().then(|| {
                    let from = signals.len();
                    line_signals(p, &m, line, &mut signals);
                    (from as u32, signals.len() as u32)
                });
                (e, true)
            }
        };
        match entry {
            Some((from, to)) => apply(
                &mut f,
                p,
                &signals[from as usize..to as usize],
                line_no,
                prev_cmd,
            ),
            // No pattern can match: only the plain-text check is left.
            None if goarch(line) => apply(&mut f, p, &[Ev::GoArch], line_no, prev_cmd),
            None => {}
        }
        if fresh {
            if memo.len() < MEMO_LINES {
                memo.insert(line, entry);
            } else if let Some((from, _)) = entry {
                signals.truncate(from as usize);
            }
        }
        // `uname -m` and `docker image inspect --format …` readings on the next line.
        let t = line.trim();
        // Or the same reading from a pasted `uname -a` line (issue templates ask for it).
        let after_uname_m = (prev_cmd.contains("uname -m") && !t.is_empty())
            .then(|| {
                format!("linux/{t}")
                    .parse::<crate::platform::Platform>()
                    .ok()
            })
            .flatten();
        if let Some(pl) = after_uname_m.or_else(|| uname_a_machine(t)) {
            f.uname_host = Some(pl.normalize().to_string());
            f.platforms.host.get_or_insert_with(|| pl.to_string());
        }
        if t.starts_with('$') || t.starts_with('>') || t.starts_with('#') {
            prev_cmd = raw;
        } else if !t.is_empty() {
            prev_cmd = "";
        }
    }
    // Checks over the whole text (messages that span lines). A pattern none of whose literals
    // occurs on any line cannot match (no literal holds a newline), so is not run.
    let anywhere = Mask(&anywhere);
    if let Some(c) = p.esbuild.on(&anywhere).and_then(|re| re.captures(text)) {
        let line = text[..c.get(0).map_or(0, |m| m.start())].lines().count() as u32 + 1;
        let (os1, arch1, os2, arch2) = (&c[1], &c[2], &c[3], &c[4]);
        if os1 == os2 && arch1 != arch2 {
            f.hits.push(Hit {
                code: CauseCode::ArchMismatch,
                weight: 0.9,
                line,
                why: "node_modules holds native packages built for another CPU architecture of the same OS",
            });
            f.hits.retain(|h| h.code != CauseCode::WrongOsBinary);
        } else {
            f.hits.push(Hit {
                code: CauseCode::WrongOsBinary,
                weight: 0.9,
                line,
                why: "node_modules holds native packages installed on another operating system",
            });
        }
    }
    if p.unknown_platform.is_match(&anywhere, text) {
        f.unknown_platform = true;
    }
    if let (Some(decl), Some(line)) = (&f.inspected_arch, f.inspected_line)
        && !f.tag_arches.is_empty()
        && !f.tag_arches.contains(decl)
    {
        f.hits.push(Hit {
            code: CauseCode::ImageMislabeled,
            weight: 0.75,
            line,
            why: "the tag is named for one architecture while its manifest declares another",
        });
    }
    if let Some(line) = f.crashloop_line
        && f.arm_host_hint
    {
        f.hits.push(Hit {
            code: CauseCode::ArchMismatch,
            weight: 0.5,
            line,
            why: "pods crash-looping on an ARM machine most often run an image built for amd64 only",
        });
    }
    if let Some(line) = f.sigill_line
        && f.armv6
    {
        f.hits.push(Hit {
            code: CauseCode::VariantMismatch,
            weight: 0.85,
            line,
            why: "an ARMv7 build on an ARMv6 machine (Pi Zero/1) dies on the first ARMv7 instruction",
        });
    }
    // A text that names a failed exec, a manifest, a platform or an emulator but matches no
    // known signature still gets the candidates its words leave open (weak, to be checked).
    if f.hits.is_empty() {
        let fallbacks: [(&Pat, &[(CauseCode, &'static str)]); 4] = [
            (
                &p.fallback_exec,
                &[
                    (
                        CauseCode::ArchMismatch,
                        "a program failed to execute: most often it is built for another CPU",
                    ),
                    (
                        CauseCode::MissingShebang,
                        "a script without `#!` fails to execute the same way",
                    ),
                ],
            ),
            (
                &p.fallback_emulator,
                &[
                    (
                        CauseCode::EmulationMissing,
                        "the text is about emulation: no handler may be registered for the platform",
                    ),
                    (
                        CauseCode::EmulationCrash,
                        "the text is about emulation: the emulator itself may fail",
                    ),
                ],
            ),
            (
                &p.fallback_manifest,
                &[
                    (
                        CauseCode::NoMatchingManifest,
                        "the text is about an image manifest: the index may lack the platform",
                    ),
                    (
                        CauseCode::AttestationUnsupported,
                        "the text is about an image manifest: attestation entries may be rejected",
                    ),
                ],
            ),
            (
                &p.fallback_platform,
                &[
                    (
                        CauseCode::PlatformWarning,
                        "the text is about a platform that differs from the machine's",
                    ),
                    (
                        CauseCode::ArchMismatch,
                        "the text is about a platform: the image may be for another CPU",
                    ),
                ],
            ),
        ];
        for (pat, codes) in fallbacks {
            let Some(re) = pat.on(&anywhere) else {
                continue;
            };
            if let Some(i) = text.lines().position(|l| re.is_match(l)) {
                for (k, &(code, why)) in codes.iter().enumerate() {
                    f.hits.push(Hit {
                        code,
                        weight: if k == 0 { 0.45 } else { 0.3 },
                        line: i as u32 + 1,
                        why,
                    });
                }
                break;
            }
        }
    }
    // A pull that names no --platform asks for the engine's own platform: that is the host.
    if f.platforms.host.is_none()
        && !f.platform_flag
        && f.hits
            .iter()
            .any(|h| h.code == CauseCode::NoMatchingManifest)
    {
        f.platforms.host = f.platforms.requested.clone();
    }
    f
}

fn is_distro_binary(path: &str) -> bool {
    matches!(
        path,
        "/bin/sh" | "/bin/bash" | "/usr/bin/sh" | "/usr/bin/bash" | "/bin/busybox" | "/usr/bin/env"
    ) || (path.starts_with("/usr/bin/")
        || path.starts_with("/bin/")
        || path.starts_with("/usr/sbin/"))
        && !path.ends_with(".sh")
}

fn bump(
    causes: &mut Vec<Cause>,
    code: CauseCode,
    to: f64,
    why: &'static str,
    template: Option<&Cause>,
) {
    if let Some(c) = causes.iter_mut().find(|c| c.code == code) {
        c.confidence = c.confidence.max(to);
    } else if let Some(t) = template {
        causes.push(Cause {
            code,
            confidence: to,
            why: why.into(),
            evidence: t.evidence.clone(),
            platforms: t.platforms.clone(),
            check: None,
        });
    }
}

fn scale(causes: &mut [Cause], code: CauseCode, factor: f64) {
    if let Some(c) = causes.iter_mut().find(|c| c.code == code) {
        c.confidence *= factor;
    }
}

/// The field guide's disambiguation rules.
pub(super) fn adjust(causes: &mut Vec<Cause>, f: &Facts) {
    let arch = causes
        .iter()
        .find(|c| c.code == CauseCode::ArchMismatch)
        .cloned();
    let script = f
        .exec_path
        .as_deref()
        .is_some_and(|p| p.ends_with(".sh") || p.contains("entrypoint"));
    let script_specific = causes.iter().any(|c| {
        matches!(
            c.code,
            CauseCode::MissingShebang
                | CauseCode::ByteOrderMark
                | CauseCode::CrlfLineEndings
                | CauseCode::LfsPointer
                | CauseCode::NotExecutableContent
                | CauseCode::WrongOsBinary
        ) && c.confidence >= 0.5
    });
    if f.enoexec
        && let Some(a) = &arch
    {
        let distro = f.exec_path.as_deref().is_some_and(is_distro_binary);
        if distro && f.in_build {
            // RUN in a foreign-platform stage: the builder has no emulator.
            bump(
                causes,
                CauseCode::EmulationMissing,
                0.9,
                "a RUN step of a foreign-platform stage could not execute /bin/sh: no binfmt/QEMU handler on the builder",
                Some(a),
            );
            scale(causes, CauseCode::ArchMismatch, 0.6);
        } else if distro && f.platform_flag && !f.platform_warning {
            // The user asked for a foreign platform on purpose and nothing could run it.
            bump(
                causes,
                CauseCode::EmulationMissing,
                0.8,
                "a foreign platform was requested with --platform and the machine has no emulator registered for it",
                Some(a),
            );
            scale(causes, CauseCode::MissingShebang, 0.2);
        } else if distro {
            bump(causes, CauseCode::ArchMismatch, 0.9, "", None);
            scale(causes, CauseCode::MissingShebang, 0.2);
        } else if f.platform_flag && !f.platform_warning && f.in_build {
            bump(
                causes,
                CauseCode::EmulationMissing,
                0.6,
                "a foreign platform was requested and nothing could execute it",
                Some(a),
            );
        }
        if f.platform_warning && !(distro && f.in_build) {
            bump(causes, CauseCode::ArchMismatch, 0.92, "", None);
            scale(causes, CauseCode::PlatformWarning, 0.5);
        }
        if script && !f.platform_warning && !script_specific {
            // ~50/50 between architecture and the script itself.
            bump(
                causes,
                CauseCode::MissingShebang,
                0.4,
                "the script may lack `#!` on its first line (or start with a BOM)",
                Some(a),
            );
        }
        if script_specific {
            scale(causes, CauseCode::ArchMismatch, 0.5);
        }
        // Host and image agree, yet exec fails: the label lies.
        if let (Some(h), Some(i)) = (&f.uname_host, &f.inspected_image)
            && arch_of(h) == arch_of(i)
            && !script_specific
        {
            bump(
                causes,
                CauseCode::ImageMislabeled,
                0.9,
                "the image's declared platform matches the host, yet its program is not runnable here: the binaries inside are for another platform",
                Some(a),
            );
            scale(causes, CauseCode::ArchMismatch, 0.6);
        }
    }
    if f.enoent_exec {
        // ENOENT for an existing file is never the architecture.
        scale(causes, CauseCode::ArchMismatch, 0.3);
        if let Some(t) = causes.first().cloned() {
            bump(
                causes,
                CauseCode::MissingInterpreter,
                0.6,
                "exec said `no such file or directory` for a file that exists: its interpreter (ELF loader or `#!` program) is missing, or the `#!` line ends in CR",
                Some(&t),
            );
            bump(
                causes,
                CauseCode::CrlfLineEndings,
                0.35,
                "a CRLF `#!` line also makes exec report no such file or directory",
                Some(&t),
            );
        }
    }
    if causes
        .iter()
        .any(|c| c.code == CauseCode::NoMatchingManifest)
    {
        scale(causes, CauseCode::ArchMismatch, 0.5);
        if f.platforms
            .requested
            .as_deref()
            .is_some_and(|r| r.starts_with("windows/"))
        {
            bump(causes, CauseCode::OsMismatch, 0.95, "", None);
            scale(causes, CauseCode::NoMatchingManifest, 0.8);
        }
        if f.platforms
            .requested
            .as_deref()
            .is_some_and(|r| r.ends_with("/unknown"))
        {
            bump(causes, CauseCode::VariantMismatch, 0.9, "", None);
            scale(causes, CauseCode::NoMatchingManifest, 0.6);
        }
    }
    if causes
        .iter()
        .any(|c| c.code == CauseCode::EmulationCrash && c.confidence > 0.5)
    {
        scale(causes, CauseCode::ArchMismatch, 0.4);
        scale(causes, CauseCode::IsaLevelTooHigh, 0.5);
    }
    if causes
        .iter()
        .any(|c| c.code == CauseCode::MissingInterpreter && c.confidence > 0.5)
        && f.interpreter.is_some()
    {
        scale(causes, CauseCode::ArchMismatch, 0.7);
    }
    refine(causes, f);
    for c in causes.iter_mut() {
        c.confidence = c.confidence.clamp(0.0, 0.99);
    }
}

fn has(causes: &[Cause], code: CauseCode, at_least: f64) -> bool {
    causes
        .iter()
        .any(|c| c.code == code && c.confidence >= at_least)
}

/// Context the text gives beyond the error line itself, and the candidates a bare error
/// cannot separate (each kept, ranked, with its own deciding check).
fn refine(causes: &mut Vec<Cause>, f: &Facts) {
    let Some(template) = causes.first().cloned() else {
        return;
    };
    let t = Some(&template);
    // `file` shows binaries of two architectures, or one that contradicts the platform the image
    // was asked for / declares: the label lies.
    let declared = f
        .inspected_arch
        .clone()
        .or_else(|| {
            f.platform_flag
                .then(|| f.platforms.requested.as_deref().map(arch_of))
                .flatten()
        })
        .filter(|a| !a.is_empty());
    let elf_disagrees = declared
        .as_ref()
        .is_some_and(|d| f.elf_arches.iter().any(|a| a != d));
    if f.elf_arches.len() >= 2 || (elf_disagrees && f.enoexec) {
        bump(
            causes,
            CauseCode::ImageMislabeled,
            0.85,
            "the files inside the image are for another architecture than the image declares",
            t,
        );
        scale(causes, CauseCode::ArchMismatch, 0.5);
        scale(causes, CauseCode::EmulationMissing, 0.5);
    } else if f.inspected_arch.is_some()
        && f.enoexec
        && f.exec_path.as_deref().is_some_and(is_distro_binary)
    {
        bump(
            causes,
            CauseCode::ImageMislabeled,
            0.6,
            "the image was inspected and declares a platform, yet its shell cannot execute: the binaries may not match the label",
            t,
        );
    }
    // The image was inspected on an ARM machine and says arm64, yet its shell cannot run.
    if f.inspected_arch.as_deref() == Some("arm64")
        && f.arm_host_hint
        && f.enoexec
        && f.elf_arches.is_empty()
    {
        bump(
            causes,
            CauseCode::ImageMislabeled,
            0.85,
            "the image declares this machine's architecture, yet its programs cannot execute: the binaries inside are for another",
            t,
        );
        scale(causes, CauseCode::ArchMismatch, 0.5);
    }
    // Said in words: the published image carries binaries of another architecture. When the text
    // names the build setting responsible and shows no `file` output, the build is the cause.
    if has(causes, CauseCode::ImageMislabeled, 0.75) {
        scale(causes, CauseCode::ArchMismatch, 0.6);
        if has(causes, CauseCode::HardcodedArch, 0.55) {
            if f.elf_arches.is_empty() {
                bump(causes, CauseCode::HardcodedArch, 0.85, "", None);
                scale(causes, CauseCode::ImageMislabeled, 0.8);
            } else {
                scale(causes, CauseCode::HardcodedArch, 0.6);
            }
        }
    }
    // A tag named for the host's architecture that the engine says is another platform.
    if let (Some(img), Some(host)) = (&f.platforms.image, &f.platforms.host) {
        let (img, host) = (arch_of(img), arch_of(host));
        if img != host && f.tag_arches.contains(&host) {
            bump(
                causes,
                CauseCode::ImageMislabeled,
                0.75,
                "the tag is named for this machine's architecture but the image declares another one",
                t,
            );
            scale(causes, CauseCode::PlatformWarning, 0.6);
        }
    }
    // Same architecture, different ARM variant (arm/v7 image on an ARMv6 Pi Zero).
    if let (Some(img), Some(host)) = (&f.platforms.image, &f.platforms.host)
        && arch_of(img) == arch_of(host)
        && img != host
    {
        bump(
            causes,
            CauseCode::VariantMismatch,
            0.85,
            "the image is for the same architecture but another variant than this machine",
            t,
        );
        scale(causes, CauseCode::PlatformWarning, 0.5);
    }
    if f.armv6 && (f.sigill || f.enoexec) {
        bump(
            causes,
            CauseCode::VariantMismatch,
            0.85,
            "an ARMv7 build on an ARMv6 machine (Pi Zero/1) dies on the first ARMv7 instruction",
            t,
        );
        scale(causes, CauseCode::IsaLevelTooHigh, 0.4);
        scale(causes, CauseCode::ArchMismatch, 0.5);
    }
    // A Windows image (servercore, nanoserver, ltsc…) that a Linux engine cannot find or run.
    if f.windows_image
        && (f.enoexec
            || f.platforms
                .requested
                .as_deref()
                .is_some_and(|r| r.starts_with("linux/"))
            || has(causes, CauseCode::NoMatchingManifest, 0.5))
    {
        bump(
            causes,
            CauseCode::OsMismatch,
            0.95,
            "a Windows container image on a Linux engine (or the reverse)",
            t,
        );
        scale(causes, CauseCode::NoMatchingManifest, 0.6);
        scale(causes, CauseCode::ArchMismatch, 0.5);
    }
    if f.unknown_platform {
        bump(
            causes,
            CauseCode::VariantMismatch,
            0.9,
            "the engine could not tell its own platform (variant `unknown`), so no index entry matched",
            t,
        );
        scale(causes, CauseCode::NoMatchingManifest, 0.5);
    }
    // Emulation crashed: it was present, so it was not missing.
    if has(causes, CauseCode::EmulationCrash, 0.5) {
        scale(causes, CauseCode::EmulationMissing, 0.5);
    }
    // ENOENT for a program that exists: the interpreter, or a CR at the end of `#!`.
    if f.enoent_exec {
        let script = f
            .exec_path
            .as_deref()
            .is_some_and(|p| p.ends_with(".sh") || p.contains("entrypoint"));
        if has(causes, CauseCode::CrlfLineEndings, 0.6)
            || has(causes, CauseCode::ByteOrderMark, 0.6)
        {
            scale(causes, CauseCode::MissingInterpreter, 0.5);
        } else if script && !f.alpine {
            bump(
                causes,
                CauseCode::CrlfLineEndings,
                0.5,
                "a script that exists but `no such file or directory`: most often a `#!` line ending in CR (edited on Windows)",
                t,
            );
            scale(causes, CauseCode::MissingInterpreter, 0.75);
        } else if f.alpine {
            bump(causes, CauseCode::MissingInterpreter, 0.75, "", None);
        }
    }
    // A bare ENOEXEC leaves several causes open: keep them all, ranked, each with its check.
    if f.enoexec {
        let path = f.exec_path.as_deref().unwrap_or("");
        let script = path.ends_with(".sh")
            || path.ends_with(".py")
            || path.contains("entrypoint")
            || path.contains("start");
        let alternatives: &[(CauseCode, f64, &str)] = if script {
            &[
                (
                    CauseCode::MissingShebang,
                    0.25,
                    "a script without `#!` on its very first line is refused with the same error",
                ),
                (
                    CauseCode::ImageMislabeled,
                    0.1,
                    "the image may declare this machine's platform while its binaries are for another",
                ),
                (
                    CauseCode::ByteOrderMark,
                    0.06,
                    "a byte-order mark before `#!` hides it from the kernel",
                ),
            ]
        } else if f.in_build {
            &[
                (
                    CauseCode::EmulationMissing,
                    0.3,
                    "a RUN step of a foreign-platform stage needs a binfmt/QEMU handler on the builder",
                ),
                (
                    CauseCode::HardcodedArch,
                    0.12,
                    "the build may fetch or compile a binary for one fixed architecture",
                ),
                (
                    CauseCode::ImageMislabeled,
                    0.08,
                    "the base image may declare one platform and contain another",
                ),
            ]
        } else {
            &[
                (
                    CauseCode::ImageMislabeled,
                    0.12,
                    "the image may declare this machine's platform while its binaries are for another",
                ),
                (
                    CauseCode::MissingShebang,
                    0.1,
                    "a script without `#!` on its very first line is refused with the same error",
                ),
                (
                    CauseCode::WrongOsBinary,
                    0.08,
                    "a macOS/Windows binary is refused with the same error",
                ),
                (
                    CauseCode::NotExecutableContent,
                    0.07,
                    "a failed download (HTML page, archive) is refused with the same error",
                ),
                (
                    CauseCode::HardcodedArch,
                    0.07,
                    "the build may fetch a binary for one fixed architecture",
                ),
            ]
        };
        for &(code, to, why) in alternatives {
            if !causes.iter().any(|c| c.code == code) {
                bump(causes, code, to, why, t);
            }
        }
        // An undecidable text never reaches certainty.
        let decided = causes.iter().any(|c| {
            c.code != CauseCode::ArchMismatch
                && c.code != CauseCode::EmulationMissing
                && c.confidence >= 0.6
        }) || f.platform_warning
            || f.arm_host_hint
            || f.uname_host.is_some();
        if !decided {
            for c in causes.iter_mut() {
                c.confidence = c.confidence.min(0.75);
            }
        }
    }
}

/// The command that decides, when the text alone cannot.
pub(super) fn check_for(code: CauseCode, f: &Facts) -> Option<String> {
    let img = f.image.clone().unwrap_or_else(|| "IMAGE".into());
    let host = f.platforms.host.clone().unwrap_or_else(|| "local".into());
    match code {
        CauseCode::ArchMismatch
        | CauseCode::ImageMislabeled
        | CauseCode::MissingInterpreter
        | CauseCode::WrongOsBinary => Some(format!("archcompat image {img} --host {host}")),
        CauseCode::MissingShebang
        | CauseCode::ByteOrderMark
        | CauseCode::CrlfLineEndings
        | CauseCode::LfsPointer
        | CauseCode::NotExecutableContent => Some(format!(
            "archcompat inspect {}",
            f.exec_path.clone().unwrap_or_else(|| "FILE".into())
        )),
        CauseCode::NoMatchingManifest
        | CauseCode::VariantMismatch
        | CauseCode::PlatformWarning
        | CauseCode::AttestationUnsupported => {
            Some(format!("docker buildx imagetools inspect {img}"))
        }
        CauseCode::EmulationMissing if f.in_build => Some("docker buildx ls".into()),
        CauseCode::EmulationMissing | CauseCode::EmulationCrash => Some("archcompat host".into()),
        CauseCode::HardcodedArch => Some("archcompat lint Dockerfile".into()),
        CauseCode::OsMismatch => {
            Some("docker info --format '{{.OSType}}/{{.Architecture}}'".into())
        }
        CauseCode::BuilderUnsupported => Some("docker buildx ls".into()),
        CauseCode::IsaLevelTooHigh | CauseCode::PageSizeMismatch => {
            Some(format!("archcompat host && archcompat image {img}"))
        }
        _ => None,
    }
}

/// Map the rules' scores to calibrated confidences: a monotone piecewise-linear map fitted on
/// the tuning part of the real-report corpus (`fixtures/logs/real/`, never the held-out part),
/// so that causes given about X% are right about X% of the time. Order is preserved.
pub(super) fn calibrate(score: f64) -> f64 {
    const KNOTS: [(f64, f64); 8] = [
        (0.0, 0.0),
        (0.15, 0.04),
        (0.45, 0.1),
        (0.5, 0.55),
        (0.6, 0.7),
        (0.75, 0.77),
        (0.85, 0.9),
        (1.0, 0.99),
    ];
    let s = score.clamp(0.0, 1.0);
    for w in KNOTS.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if s <= x1 {
            return y0 + (y1 - y0) * (s - x0) / (x1 - x0);
        }
    }
    0.99
}

/// Every diagnose pattern's source, in id order (the prefilter's literal table is generated
/// from these).
#[cfg(test)]
pub(crate) fn pattern_sources() -> &'static [&'static str] {
    &compiled().sources
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `uname -a` output as distributions print it names the host; other lines that start
    /// with `Linux` or end in `GNU/Linux` do not.
    #[test]
    fn uname_a_lines_name_the_machine() {
        let machine = |l: &str| uname_a_machine(l).map(|p| p.normalize().to_string());
        let cases = [
            (
                "Linux pi4 6.8.0-1004-raspi #4-Ubuntu SMP PREEMPT_DYNAMIC Sat Apr 20 02:29:55 UTC 2024 aarch64 aarch64 aarch64 GNU/Linux",
                Some("linux/arm64"),
            ),
            (
                "Linux build 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux",
                Some("linux/amd64"),
            ),
            (
                "> `Linux raspberrypi 5.10.103-v7l+ #1529 SMP Tue Mar 8 12:24:00 GMT 2022 armv7l GNU/Linux`",
                Some("linux/arm/v7"),
            ),
            (
                "Linux old 2.6.32-754.el6.i686 #1 SMP Tue Jun 19 21:51:20 UTC 2018 i686 i686 i386 GNU/Linux",
                Some("linux/386"),
            ),
            (
                "Linux 3f2a9c 5.15.49-linuxkit #1 SMP Tue Sep 13 07:51:46 UTC 2022 x86_64 Linux",
                Some("linux/amd64"),
            ),
            (
                "Linux s390 5.14.0-70.el9.s390x #1 SMP Mon Mar 21 10:14:41 EDT 2022 s390x s390x s390x GNU/Linux",
                Some("linux/s390x"),
            ),
            // Not uname output: prose, no release, no build, no known machine.
            ("Linux is the kernel and GNU/Linux is the system", None),
            ("Linux host latest #1 SMP x86_64 GNU/Linux", None),
            (
                "Linux host 5.15.0 SMP Tue Sep 13 2022 x86_64 GNU/Linux",
                None,
            ),
            (
                "Linux host 5.15.0 #1 SMP Tue Sep 13 07:51:46 UTC 2022 GNU/Linux",
                None,
            ),
            ("Linux", None),
            ("", None),
        ];
        for (line, want) in cases {
            assert_eq!(machine(line).as_deref(), want, "{line}");
        }
        // In a log it sets the host, as a `uname -m` reading does.
        let f = scan(
            "exec /usr/bin/bash: exec format error\n$ uname -a\nLinux pi4 6.8.0-1004-raspi #4-Ubuntu SMP PREEMPT_DYNAMIC Sat Apr 20 02:29:55 UTC 2024 aarch64 aarch64 aarch64 GNU/Linux\n",
        );
        assert_eq!(f.platforms.host.as_deref(), Some("linux/arm64"));
        assert_eq!(f.uname_host.as_deref(), Some("linux/arm64"));
    }

    /// The prefilter only ever skips a pattern on a line it cannot match: every pattern is run
    /// on every line of every log of the corpus, and each match must be on a candidate line.
    #[test]
    fn prefilter_never_hides_a_match_in_the_corpus() {
        let c = compiled();
        let pre = &c.pre;
        let all: Vec<&Pat> = c
            .pats
            .rules
            .iter()
            .map(|r| &r.re)
            .chain([
                &c.pats.enoexec,
                &c.pats.enoent,
                &c.pats.warning,
                &c.pats.no_manifest,
                &c.pats.podman,
                &c.pats.ecs_platform,
                &c.pats.wanted_actual,
                &c.pats.k8s_arch,
                &c.pats.platform_flag,
                &c.pats.build_step,
                &c.pats.qemu_open,
                &c.pats.lambda_arch,
                &c.pats.arch_url,
                &c.pats.bare_platform,
                &c.pats.enoexec_shell,
                &c.pats.enoent_shell,
                &c.pats.armv6,
                &c.pats.sigill,
                &c.pats.crashloop,
                &c.pats.arm_host,
                &c.pats.alpine,
                &c.pats.inspect_json,
                &c.pats.elf_file,
                &c.pats.tag_arch,
                &c.pats.windows_image,
                &c.pats.exec_format_words,
                &c.pats.unknown_platform,
                &c.pats.fallback_exec,
                &c.pats.fallback_emulator,
                &c.pats.fallback_manifest,
                &c.pats.fallback_platform,
            ])
            .chain(c.pats.image_ref.iter())
            .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/logs");
        let mut files = vec![];
        for dir in [root.clone(), root.join("real")] {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 300, "the corpus is there");
        let (mut matched, mut skipped) = (0, 0);
        for p in files {
            let bytes = std::fs::read(&p).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let mut anywhere = pre.present("");
            for line in text.lines() {
                let mask = pre.present(line);
                union(&mut anywhere, &mask);
                let m = Mask(&mask);
                for pat in &all {
                    let hit = pat.re().is_match(line);
                    assert!(
                        !hit || m.may(pat.id),
                        "{}: pattern {} matches {line:?} but the prefilter skipped it",
                        p.display(),
                        c.sources[pat.id]
                    );
                    matched += usize::from(hit);
                    skipped += usize::from(!m.may(pat.id));
                }
            }
            // The patterns run over the whole text are run only when their literals occur.
            for pat in [&c.pats.esbuild, &c.pats.unknown_platform]
                .into_iter()
                .chain(all.iter().copied())
            {
                assert!(
                    !pat.re().is_match(&text) || Mask(&anywhere).may(pat.id),
                    "{}: pattern {} matches the text but the prefilter skipped it",
                    p.display(),
                    c.sources[pat.id]
                );
            }
        }
        // The corpus exercises the patterns, and the prefilter does skip most work.
        assert!(matched > 500, "{matched} matches");
        assert!(skipped > matched * 10, "{skipped} skipped");
    }
}
