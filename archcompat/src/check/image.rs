//! The verdict on an image for a host: `runs`, `runs-emulated` or `wont-run`, with findings
//! (arch-mismatch, no-matching-manifest, variant-mismatch, os-mismatch, image-mislabeled,
//! missing-interpreter, wrong-os-binary, the entrypoint's own binary problems, attestation
//! entries), each with the evidence read (layer digest, path, what the bytes said) and the
//! fixes that apply.
//!
//! The platform that decides is the one of the *binary that would be exec'd* (the entrypoint,
//! or for a script its interpreter), not the declared one: an image whose config says amd64
//! but whose entrypoint is an aarch64 ELF is judged as arm64 and reported as mislabeled.

use crate::Result;
use crate::finding::{CauseCode, Evidence, Finding, Severity};
use crate::finding::{Fix, FixTarget};
use crate::image::{Analysis, BinarySummary, Entrypoint, LayerSummary, Options, analyze};
use crate::manifest::{EntryReport, EntryStatus};
use crate::platform::{Host, Platform, Runs};
use serde::{Deserialize, Serialize};

/// Will it run?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Runs natively (or compatibly, e.g. arm/v7 on arm64).
    Runs,
    /// Runs only through emulation (binfmt/QEMU, Rosetta).
    RunsEmulated,
    /// Will not run.
    WontRun,
}

impl Verdict {
    /// The contract's slug.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Runs => "runs",
            Verdict::RunsEmulated => "runs-emulated",
            Verdict::WontRun => "wont-run",
        }
    }
}

/// The selected image, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedReport {
    /// Manifest digest (image id for legacy `docker save` archives).
    pub digest: String,
    /// Declared platform.
    pub platform: Platform,
    /// The platform of the binary that would be exec'd, when it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_platform: Option<Platform>,
}

/// The answer of `archcompat image`: the contract's JSON shape.
#[derive(Debug, Clone, Serialize)]
pub struct ImageReport {
    /// SOURCE as given.
    pub source: String,
    /// The host judged for.
    pub host: Platform,
    /// The image the host would run (null when nothing matches).
    pub selected: Option<SelectedReport>,
    /// Every index entry and what happened to it (empty for single-image sources).
    pub platforms: Vec<EntryReport>,
    /// The entrypoint and what it resolves to.
    pub entrypoint: Option<Entrypoint>,
    /// Classified files by platform.
    pub binaries: BinarySummary,
    /// Layers read.
    pub layers: Vec<LayerSummary>,
    /// The verdict.
    pub verdict: Verdict,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// Remarks about what could and could not be read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Read `source` and judge it for `host`.
///
/// ```
/// use archcompat::check::image::{check_image, Verdict};
/// use archcompat::finding::CauseCode;
/// use archcompat::image::Options;
/// use archcompat::platform::{Host, Platform};
/// // The bundled example: its linux/amd64 entry holds an aarch64 program.
/// let amd64 = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
/// let r = check_image("../examples/hello-multiarch", &amd64, &Options::default()).unwrap();
/// assert_eq!(r.verdict, Verdict::WontRun);
/// assert!(r.findings.iter().any(|f| f.code == CauseCode::ImageMislabeled));
/// ```
pub fn check_image(source: &str, host: &Host, opts: &Options) -> Result<ImageReport> {
    let a = analyze(source, host, opts)?;
    let mut report = verdict(&a, host);
    report.redact(opts.redaction);
    Ok(report)
}

impl ImageReport {
    /// Apply the redaction policy to the user text the report echoes: the source (a
    /// `docker://user:pass@…` reference), ENTRYPOINT/CMD arguments, findings and notes.
    fn redact(&mut self, r: crate::redact::Redaction) {
        if !r.is_on() {
            return;
        }
        r.apply_in_place(&mut self.source);
        if let Some(ep) = &mut self.entrypoint {
            ep.argv = crate::redact::redact_argv(&ep.argv, r);
            if let Some(p) = &mut ep.problem {
                r.apply_in_place(p);
            }
        }
        r.findings(&mut self.findings);
        for n in &mut self.notes {
            r.apply_in_place(n);
        }
    }
}

fn ev(detail: impl Into<String>, path: Option<&str>, layer: Option<&str>) -> Evidence {
    let mut e = Evidence::detail(detail);
    e.path = path.map(str::to_string);
    e.layer = layer.map(str::to_string);
    e
}

fn describe(info: &crate::binary::BinaryInfo) -> String {
    let v = serde_json::to_value(info).unwrap_or_default();
    let d = v.get("details");
    let get = |k: &str| {
        d.and_then(|d| d.get(k))
            .and_then(|x| x.as_str())
            .filter(|x| !x.is_empty())
    };
    let mut parts: Vec<String> = Vec::new();
    for k in ["class", "endianness", "machine", "type", "linkage"] {
        if let Some(x) = get(k) {
            parts.push(x.to_string());
        }
    }
    if let Some(i) = get("interpreter") {
        parts.push(format!("interpreter {i}"));
    }
    let mut s = match info.platform() {
        Some(p) => format!("{} for {p}", info.format()),
        None => info.format().to_string(),
    };
    if !parts.is_empty() {
        s.push_str(&format!(" ({})", parts.join(", ")));
    }
    s
}

fn same_arch(a: &Platform, b: &Platform) -> bool {
    let (a, b) = (a.normalize(), b.normalize());
    a.os == b.os && a.architecture == b.architecture
}

/// The name to put in fix snippets: the registry reference, the tag a `docker save` archive
/// carries, or `IMAGE` for local layouts.
fn image_name(a: &Analysis) -> String {
    if let Some(r) = a.source.strip_prefix("docker://") {
        return r.to_string();
    }
    a.notes
        .iter()
        .find_map(|n| n.strip_prefix("docker save archive of "))
        .and_then(|t| t.split(", ").next())
        .map(str::to_string)
        .unwrap_or_else(|| "IMAGE".to_string())
}

/// What the fixes need to know (host, image, target platforms, interpreter).
#[derive(Debug, Default)]
struct FixHints {
    host: Platform,
    image: String,
    targets: Vec<Platform>,
    interpreter: Option<String>,
}

fn fix(id: &str, title: String, why: &str, applies_to: FixTarget, snippet: String) -> Fix {
    Fix {
        id: id.to_string(),
        title,
        why: why.to_string(),
        applies_to,
        snippet,
        diff: None,
    }
}

/// The image-level fixes for each finding. (The ecosystem-wide catalogue is
/// [`crate::fix`]'s; these are the ones an image verdict needs.)
fn attach_fixes(findings: &mut [Finding], h: &FixHints) {
    let host = h.host.to_string();
    let mut platforms: Vec<String> = vec![host.clone()];
    for t in &h.targets {
        let t = t.to_string();
        if !platforms.contains(&t) {
            platforms.push(t);
        }
    }
    let all = platforms.join(",");
    let target = h.targets.first().map(|t| t.to_string());
    let emul_arch = h.targets.first().map(|t| t.normalize().architecture);
    for f in findings.iter_mut() {
        let rebuild = || {
            fix(
                "buildx-multiplatform",
                format!("Rebuild and push the image for {all}"),
                "buildx builds each platform with its own toolchain (or emulation) and pushes one index with an entry per platform, each holding binaries for its own CPU",
                FixTarget::Buildx,
                format!(
                    "docker buildx build --platform {all} -t {} --push .",
                    h.image
                ),
            )
        };
        let emulate = |arch: &str, plat: &str| {
            fix(
                "binfmt-emulation",
                format!("Run the {plat} image under QEMU emulation"),
                "registering a binfmt_misc handler lets the kernel run foreign binaries through QEMU (slower, and some programs crash under emulation)",
                FixTarget::Binfmt,
                format!(
                    "docker run --privileged --rm tonistiigi/binfmt --install {arch}\ndocker run --platform {plat} {}",
                    h.image
                ),
            )
        };
        match f.code {
            CauseCode::ArchMismatch
            | CauseCode::NoMatchingManifest
            | CauseCode::VariantMismatch => {
                f.fixes.push(rebuild());
                if let (Some(a), Some(t)) = (&emul_arch, &target)
                    && *t != host
                {
                    f.fixes.push(emulate(a, t));
                }
            }
            CauseCode::ImageMislabeled => {
                f.fixes.push(fix(
                    "buildx-platform-label",
                    "Build with buildx so each platform's config matches its binaries".into(),
                    "a plain `docker build` on one machine labels the image with that machine's platform, or with whatever --platform says, without cross-compiling; buildx with --platform builds (or cross-compiles) per platform",
                    FixTarget::Buildx,
                    format!("docker buildx build --platform {all} -t {} --push .", h.image),
                ));
            }
            CauseCode::MissingInterpreter => {
                let i = h.interpreter.clone().unwrap_or_default();
                let (title, snippet) = if i.contains("ld-musl") {
                    (
                        "Use a musl-based base image (Alpine) for a musl-linked program",
                        "FROM alpine:3".to_string(),
                    )
                } else if i.contains("ld-linux") || i.contains("/ld") {
                    ("Use a glibc base image, or link the program statically", "FROM debian:bookworm-slim\n# or build static: CGO_ENABLED=0 go build … / RUSTFLAGS='-C target-feature=+crt-static'".to_string())
                } else if i.ends_with("/bash") {
                    ("Install bash in the image, or make the script POSIX sh", "RUN apk add --no-cache bash   # Alpine\n# or change the first line to: #!/bin/sh".to_string())
                } else {
                    (
                        "Install the interpreter in the image",
                        format!(
                            "# make sure {i} exists in the final stage, e.g. COPY --from=build {i} {i}"
                        ),
                    )
                };
                f.fixes.push(fix(
                    "install-interpreter",
                    title.to_string(),
                    "exec fails with `no such file or directory` (or `exec format error`) when the ELF loader or the #! program is absent, even though the program itself exists",
                    FixTarget::Dockerfile,
                    snippet,
                ));
            }
            CauseCode::PlatformWarning => {
                if let Some(t) = &target {
                    f.fixes.push(fix(
                        "docker-run-platform",
                        format!("Ask for {t} explicitly"),
                        "naming the platform silences the mismatch warning and makes the choice deliberate",
                        FixTarget::DockerCli,
                        format!("docker run --platform {t} {}", h.image),
                    ));
                }
            }
            CauseCode::AttestationUnsupported => {
                f.fixes.push(fix(
                    "buildx-no-attestations",
                    "Push without attestation manifests for consumers that reject them".into(),
                    "BuildKit adds provenance/SBOM manifests (platform unknown/unknown) to the index; AWS Lambda and some older tools refuse such indexes",
                    FixTarget::Buildx,
                    format!("docker buildx build --provenance=false --sbom=false --platform {all} -t {} --push .", h.image),
                ));
            }
            _ => {}
        }
    }
    // Anything the image-specific fixes above do not cover gets the shared catalogue's.
    let ctx = crate::fix::FixContext {
        host: Some(h.host.clone()),
        targets: h.targets.clone(),
        image: Some(h.image.to_string()),
        ..Default::default()
    };
    for f in findings.iter_mut().filter(|f| f.fixes.is_empty()) {
        crate::fix::attach(std::slice::from_mut(f), &ctx);
    }
}

/// Judge an analysis for `host`.
pub fn verdict(a: &Analysis, host: &Host) -> ImageReport {
    let mut findings: Vec<Finding> = Vec::new();
    let mut ctx = FixHints {
        host: host.platform.clone(),
        image: image_name(a),
        ..FixHints::default()
    };
    let platforms = a
        .selection
        .as_ref()
        .map(|s| s.entries.clone())
        .unwrap_or_default();

    // Attestation entries: skipped, reported.
    let att: Vec<&EntryReport> = platforms
        .iter()
        .filter(|e| e.status == EntryStatus::Attestation)
        .collect();
    if !att.is_empty() {
        let mut f = Finding::new(
            CauseCode::AttestationUnsupported,
            Severity::Info,
            format!(
                "the index carries {} attestation manifest(s) (platform unknown/unknown); they were skipped for selection, but some consumers (AWS Lambda, older tools) reject such indexes",
                att.len()
            ),
        );
        f.evidence = att
            .iter()
            .map(|e| ev(format!("{}: {}", e.digest, e.reason), None, None))
            .collect();
        findings.push(f);
    }

    let mut runs_emulated = false;
    let mut actual: Option<Platform> = None;

    match &a.selected {
        None if a.selection.is_some() => {
            let runnable: Vec<&EntryReport> = platforms
                .iter()
                .filter(|e| e.status != EntryStatus::Attestation)
                .collect();
            ctx.targets = runnable.iter().filter_map(|e| e.platform.clone()).collect();
            let same_os = runnable.iter().any(|e| {
                e.platform
                    .as_ref()
                    .is_some_and(|p| p.normalize().os == host.platform.normalize().os)
            });
            let same_arch_any = runnable.iter().any(|e| {
                e.platform
                    .as_ref()
                    .is_some_and(|p| same_arch(p, &host.platform))
            });
            let listed: Vec<String> = runnable
                .iter()
                .map(|e| {
                    e.platform
                        .as_ref()
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "no platform".into())
                })
                .collect();
            let (code, msg) = if !runnable.is_empty() && !same_os {
                (
                    CauseCode::OsMismatch,
                    format!(
                        "no entry of the index is for {} (it has {})",
                        host.platform.os,
                        listed.join(", ")
                    ),
                )
            } else if same_arch_any {
                (
                    CauseCode::VariantMismatch,
                    format!(
                        "the index has {} but not a variant a {} host accepts",
                        listed.join(", "),
                        host.platform
                    ),
                )
            } else {
                (
                    CauseCode::NoMatchingManifest,
                    format!(
                        "no matching manifest for {} in the index (it has {})",
                        host.platform,
                        if listed.is_empty() {
                            "no runnable entry".to_string()
                        } else {
                            listed.join(", ")
                        }
                    ),
                )
            };
            let mut f = Finding::new(code, Severity::Error, msg);
            f.evidence = platforms
                .iter()
                .map(|e| ev(format!("{}: {}", e.digest, e.reason), None, None))
                .collect();
            findings.push(f);
            if runnable.iter().any(|e| e.runs == Some(Runs::Emulated))
                && let Some(f) = findings.last_mut()
            {
                {
                    f.message.push_str(
                        "; an entry would run under emulation if requested explicitly with --platform",
                    );
                }
            }
        }
        None => {}
        Some(sel) => {
            let declared = &sel.platform;
            ctx.targets = vec![declared.clone()];
            // Index entry vs config.
            if let Some(ip) = &sel.index_platform
                && !same_arch(ip, declared)
                && !declared.architecture.is_empty()
            {
                let mut f = Finding::new(
                    CauseCode::ImageMislabeled,
                    Severity::Warning,
                    format!("the index entry says {ip} but the image config says {declared}"),
                );
                f.evidence.push(ev(
                    format!(
                        "index entry {} platform {ip}; config platform {declared}",
                        sel.digest
                    ),
                    None,
                    None,
                ));
                findings.push(f);
            }
            // The binary that would be exec'd.
            let ep = a.entrypoint.as_ref();
            let file = ep.and_then(|e| e.file.as_ref());
            let bin = file.and_then(|f| f.binary.as_ref());
            let interp = ep.and_then(|e| e.interpreter.as_ref());
            // The binaries that must run: (platform, path, layer, what was read).
            let mut deciders: Vec<(Platform, String, Option<String>, String)> = Vec::new();
            let mut shell_cmd: Option<(Platform, String, Option<String>, String)> = None;
            // For the shell form, the program the shell starts decides when it was read.
            let command = ep
                .and_then(|e| e.command.as_ref())
                .and_then(|c| c.binary.as_ref().and_then(|b| b.platform()).map(|p| (c, p)));
            if let Some((c, p)) = command
                && let Some(b) = c.binary.as_ref()
            {
                shell_cmd = Some((
                    p.clone(),
                    c.path.clone(),
                    c.layer.clone(),
                    format!("run by the shell: {}", describe(b)),
                ));
            }
            if let (Some(f), Some(b)) = (file, bin) {
                if let Some(p) = b.platform() {
                    deciders.push((p.clone(), f.path.clone(), f.layer.clone(), describe(b)));
                } else if let Some(i) = interp.and_then(|i| i.file.as_ref())
                    && let Some(ib) = i.binary.as_ref()
                    && let Some(p) = ib.platform()
                {
                    deciders.push((
                        p.clone(),
                        i.path.clone(),
                        i.layer.clone(),
                        format!("interpreter of {}: {}", f.path, describe(ib)),
                    ));
                }
                // Mach-O / PE / other-OS binary in a Linux image.
                if let Some(p) = b.platform()
                    && !p.os.is_empty()
                    && declared.os == "linux"
                    && p.os != "linux"
                {
                    let mut fd = Finding::new(
                        CauseCode::WrongOsBinary,
                        Severity::Error,
                        format!(
                            "the entrypoint {} is a {} binary ({}) inside a linux image",
                            f.path,
                            p.os,
                            b.format()
                        ),
                    );
                    fd.evidence
                        .push(ev(describe(b), Some(&f.path), f.layer.as_deref()));
                    fd.location = None;
                    findings.push(fd);
                }
            }
            // Interpreter present and suitable.
            if let (Some(f), Some(i)) = (file, interp) {
                ctx.interpreter = Some(i.requested.clone());
                if !i.found {
                    let mut fd = Finding::new(
                        CauseCode::MissingInterpreter,
                        Severity::Error,
                        format!(
                            "{} needs the interpreter {}, which is not in the image ({})",
                            f.path,
                            i.requested,
                            i.problem.clone().unwrap_or_else(|| "missing".into())
                        ),
                    );
                    if let Some(b) = bin {
                        fd.evidence.push(ev(
                            format!("{}; interpreter {}", describe(b), i.requested),
                            Some(&f.path),
                            f.layer.as_deref(),
                        ));
                    }
                    findings.push(fd);
                } else if let (Some(b), Some(ifile)) = (bin, i.file.as_ref())
                    && let (Some(bp), Some(ip)) = (
                        b.platform(),
                        ifile.binary.as_ref().and_then(|x| x.platform()),
                    )
                    && !same_arch(bp, ip)
                {
                    let mut fd = Finding::new(
                        CauseCode::MissingInterpreter,
                        Severity::Error,
                        format!(
                            "{} needs {} for {bp}, but {} in the image is for {ip}",
                            f.path, i.requested, ifile.path
                        ),
                    );
                    fd.evidence
                        .push(ev(describe(b), Some(&f.path), f.layer.as_deref()));
                    fd.evidence.push(ev(
                        ifile.binary.as_ref().map(describe).unwrap_or_default(),
                        Some(&ifile.path),
                        ifile.layer.as_deref(),
                    ));
                    findings.push(fd);
                }
            }
            deciders.extend(shell_cmd);
            // Declared vs actual: the first binary that disagrees with the label.
            if let Some((p, path, layer, what)) = deciders
                .iter()
                .find(|(p, ..)| !same_arch(p, declared))
                .filter(|_| !declared.architecture.is_empty())
            {
                let mut f = Finding::new(
                    CauseCode::ImageMislabeled,
                    Severity::Warning,
                    format!("the image says {declared} but {path} is {what}"),
                );
                f.evidence.push(ev(
                    format!("config of {}: {declared}", sel.digest),
                    None,
                    None,
                ));
                f.evidence
                    .push(ev(what.clone(), Some(path), layer.as_deref()));
                if !a.binaries.foreign.is_empty() {
                    f.evidence.push(ev(
                        format!(
                            "{} classified files by platform: {}",
                            a.binaries.scanned,
                            a.binaries
                                .by_platform
                                .iter()
                                .map(|(k, v)| format!("{k}: {v}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        None,
                        None,
                    ));
                }
                findings.push(f);
                ctx.targets = vec![p.clone()];
            }
            actual = deciders.last().map(|d| d.0.clone());
            let judged: Vec<(Platform, Option<&str>, Option<&str>, String)> = if deciders.is_empty()
            {
                vec![(
                    declared.clone(),
                    None,
                    None,
                    format!("declared platform {declared} (no binary read)"),
                )]
            } else {
                deciders
                    .iter()
                    .map(|(p, path, layer, what)| {
                        (
                            p.clone(),
                            Some(path.as_str()),
                            layer.as_deref(),
                            what.clone(),
                        )
                    })
                    .collect()
            };
            let mut seen: Vec<String> = Vec::new();
            let mut all_native = true;
            for (jp, evd_path, evd_layer, evd_what) in &judged {
                let rv = host.runs(jp);
                let key = format!("{jp}");
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                match rv.runs {
                    Runs::Native | Runs::Compatible => {}
                    Runs::Emulated => {
                        all_native = false;
                        runs_emulated = true;
                        let mut f = Finding::new(
                            CauseCode::PlatformWarning,
                            Severity::Warning,
                            format!(
                                "{jp} runs on a {} host only through emulation: {}",
                                host.platform, rv.reason
                            ),
                        );
                        f.evidence.push(ev(evd_what.clone(), *evd_path, *evd_layer));
                        findings.push(f);
                    }
                    Runs::No => {
                        all_native = false;
                        let code = if jp.normalize().os != host.platform.normalize().os {
                            CauseCode::OsMismatch
                        } else if same_arch(jp, &host.platform) {
                            CauseCode::VariantMismatch
                        } else {
                            CauseCode::ArchMismatch
                        };
                        let mut f = Finding::new(
                            code,
                            Severity::Error,
                            format!("{jp} cannot run on a {} host: {}", host.platform, rv.reason),
                        );
                        f.evidence.push(ev(evd_what.clone(), *evd_path, *evd_layer));
                        findings.push(f);
                    }
                }
            }
            if all_native
                && !deciders.is_empty()
                && !same_arch(declared, &host.platform)
                && !crate::platform::matcher::only(&host.platform).matches(declared)
            {
                let (_, evd_path, evd_layer, evd_what) = &judged[0];
                let mut f = Finding::new(
                    CauseCode::PlatformWarning,
                    Severity::Warning,
                    format!(
                        "Docker will warn that the image's platform ({declared}) does not match the host ({}), although its entrypoint runs natively",
                        host.platform
                    ),
                );
                f.evidence.push(ev(evd_what.clone(), *evd_path, *evd_layer));
                findings.push(f);
            }
            // Other binaries for another architecture than the declared one.
            let foreign_entry = deciders.iter().any(|(p, ..)| !same_arch(p, declared));
            if !foreign_entry && !a.binaries.foreign.is_empty() {
                let mut f = Finding::new(
                    CauseCode::ImageMislabeled,
                    Severity::Warning,
                    format!(
                        "{} file(s) in the image are for another architecture than the declared {declared}",
                        a.binaries.foreign.len()
                    ),
                );
                f.evidence = a
                    .binaries
                    .foreign
                    .iter()
                    .take(5)
                    .map(|r| {
                        ev(
                            format!("{} binary", r.platform),
                            Some(&r.path),
                            r.layer.as_deref(),
                        )
                    })
                    .collect();
                findings.push(f);
            }
        }
    }

    // What the classifier alone can tell about the program exec starts (ISA level, page size,
    // script line endings or BOM, LFS pointers, error pages): findings the checks above do not
    // make. Architecture, OS and interpreter questions stay with the image checks.
    if let Some(f) = a.entrypoint.as_ref().and_then(|e| e.file.as_ref())
        && let Some(b) = f.binary.as_ref()
    {
        for mut p in crate::check::binary::problems(b, host) {
            let decided_above = matches!(
                p.code,
                CauseCode::ArchMismatch
                    | CauseCode::ImageMislabeled
                    | CauseCode::MissingInterpreter
                    | CauseCode::WrongOsBinary
                    | CauseCode::VariantMismatch
            );
            if decided_above || findings.iter().any(|x| x.code == p.code) {
                continue;
            }
            for e in &mut p.evidence {
                if e.path.is_none() {
                    e.path = Some(f.path.clone());
                    e.layer = f.layer.clone();
                }
            }
            p.evidence
                .push(ev(describe(b), Some(&f.path), f.layer.as_deref()));
            findings.push(p);
        }
    }
    attach_fixes(&mut findings, &ctx);
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let verdict = if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::WontRun
    } else if runs_emulated {
        Verdict::RunsEmulated
    } else {
        Verdict::Runs
    };
    let mut notes = a.notes.clone();
    if let Some(p) = a.entrypoint.as_ref().and_then(|e| e.problem.clone())
        && a.content_read
    {
        notes.push(format!("entrypoint: {p}"));
    }
    ImageReport {
        source: a.source.clone(),
        host: host.platform.clone(),
        selected: a.selected.as_ref().map(|s| SelectedReport {
            digest: s.digest.clone(),
            platform: s.platform.clone(),
            actual_platform: actual,
        }),
        platforms,
        entrypoint: a.entrypoint.clone(),
        binaries: a.binaries.clone(),
        layers: a.layers.clone(),
        verdict,
        findings,
        notes,
    }
}
