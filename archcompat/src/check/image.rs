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
use crate::binary::{BinaryInfo, Details, ElfClass};
use crate::finding::{CauseCode, Evidence, Finding, FixContext, FixRequest, Severity};
use crate::image::{
    Analysis, BinarySummary, Entrypoint, FileFacts, InterpreterFacts, LayerSummary, Options,
    analyze,
};
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
    /// What fixes for this image must fit (host, the platforms the image really is for, the
    /// image name, the entrypoint's interpreter); not part of the JSON.
    #[serde(skip)]
    pub fix_context: FixContext,
}

/// Read `source` and judge it for `host`.
///
/// ```
/// use archcompat::{check_image, Verdict};
/// use archcompat::CauseCode;
/// use archcompat::Options;
/// use archcompat::{Host, Platform};
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

/// [`check_image`] for a tar archive read from `reader` (see
/// [`crate::image::analyze_reader`]); `name` stands for the SOURCE in the report.
pub fn check_image_reader(
    reader: Box<dyn crate::image::ArchiveReader>,
    name: &str,
    tag: Option<&str>,
    host: &Host,
    opts: &Options,
) -> Result<ImageReport> {
    let a = crate::image::analyze_reader(reader, name, tag, host, opts)?;
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

/// The contract slug of a serde enum value (`little`, `exec`, `static`).
fn slug<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.is_empty())
}

/// `elf for linux/arm64 (ELF64, little, aarch64, exec, static)`: what the bytes said.
fn describe(info: &BinaryInfo) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Details::Elf(e) = &info.details {
        parts.push(match e.class {
            ElfClass::Elf32 => "ELF32".into(),
            ElfClass::Elf64 => "ELF64".into(),
        });
        parts.extend(slug(&e.endianness));
        if !e.machine.is_empty() {
            parts.push(e.machine.clone());
        }
        parts.extend(slug(&e.elf_type));
        parts.extend(e.linkage.as_ref().and_then(slug));
        if let Some(i) = e.interpreter.as_deref().filter(|i| !i.is_empty()) {
            parts.push(format!("interpreter {i}"));
        }
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
    a.tags
        .first()
        .cloned()
        .unwrap_or_else(|| "IMAGE".to_string())
}

/// A binary that must run for the container to start, and what was read about it.
#[derive(Debug, Clone)]
struct Decider {
    /// The platform its bytes say.
    platform: Platform,
    /// Its path in the image.
    path: String,
    /// The layer it came from.
    layer: Option<String>,
    /// What was read, in words.
    what: String,
}

impl Decider {
    fn evidence(&self) -> Evidence {
        ev(self.what.clone(), Some(&self.path), self.layer.as_deref())
    }
}

/// The facts every image check reads: the analysis, the host, and what follows directly from
/// them (the index entries, the selected image, the binaries that decide).
struct Facts<'a> {
    a: &'a Analysis,
    host: &'a Host,
    /// Every index entry and what happened to it.
    entries: &'a [EntryReport],
    /// The file exec starts (the entrypoint), when read.
    file: Option<&'a FileFacts>,
    /// Its classification.
    bin: Option<&'a BinaryInfo>,
    /// Its interpreter (ELF loader or `#!` program), when it has one.
    interp: Option<&'a InterpreterFacts>,
    /// The binaries that must run: the entrypoint (or, for a script, its interpreter), then for
    /// the shell form the program the shell starts.
    deciders: Vec<Decider>,
}

impl<'a> Facts<'a> {
    fn of(a: &'a Analysis, host: &'a Host, entries: &'a [EntryReport]) -> Facts<'a> {
        let ep = a.entrypoint.as_ref();
        let file = ep.and_then(|e| e.file.as_ref());
        let bin = file.and_then(|f| f.binary.as_ref());
        let interp = ep.and_then(|e| e.interpreter.as_ref());
        let mut deciders = Vec::new();
        if let (Some(f), Some(b)) = (file, bin) {
            if let Some(p) = b.platform() {
                deciders.push(Decider {
                    platform: p.clone(),
                    path: f.path.clone(),
                    layer: f.layer.clone(),
                    what: describe(b),
                });
            } else if let Some(i) = interp.and_then(|i| i.file.as_ref())
                && let Some(ib) = i.binary.as_ref()
                && let Some(p) = ib.platform()
            {
                deciders.push(Decider {
                    platform: p.clone(),
                    path: i.path.clone(),
                    layer: i.layer.clone(),
                    what: format!("interpreter of {}: {}", f.path, describe(ib)),
                });
            }
        }
        // For the shell form, the program the shell starts decides when it was read.
        if let Some(c) = ep.and_then(|e| e.command.as_ref())
            && let Some(b) = c.binary.as_ref()
            && let Some(p) = b.platform()
        {
            deciders.push(Decider {
                platform: p.clone(),
                path: c.path.clone(),
                layer: c.layer.clone(),
                what: format!("run by the shell: {}", describe(b)),
            });
        }
        Facts {
            a,
            host,
            entries,
            file,
            bin,
            interp,
            deciders,
        }
    }

    /// The declared platform of the selected image.
    fn declared(&self) -> Option<&'a Platform> {
        self.a.selected.as_ref().map(|s| &s.platform)
    }

    /// Index entries that are images (not attestations).
    fn runnable(&self) -> impl Iterator<Item = &'a EntryReport> {
        self.entries
            .iter()
            .filter(|e| e.status != EntryStatus::Attestation)
    }

    /// The first binary that disagrees with the declared platform.
    fn mislabeled_decider(&self) -> Option<&Decider> {
        let declared = self.declared()?;
        if declared.architecture.is_empty() {
            return None;
        }
        self.deciders
            .iter()
            .find(|d| !same_arch(&d.platform, declared))
    }

    /// What is judged against the host: each deciding binary, or the declared platform when
    /// no binary was read. Repeated platforms are judged once.
    fn judged(&self) -> Vec<Decider> {
        let mut out: Vec<Decider> = Vec::new();
        if self.deciders.is_empty() {
            if let Some(d) = self.declared() {
                out.push(Decider {
                    platform: d.clone(),
                    path: String::new(),
                    layer: None,
                    what: format!("declared platform {d} (no binary read)"),
                });
            }
        } else {
            for d in &self.deciders {
                if !out.iter().any(|o| o.platform == d.platform) {
                    out.push(d.clone());
                }
            }
        }
        out
    }
}

/// A check: facts (and the findings of the checks before it) to findings.
type Check = fn(&Facts<'_>, &[Finding]) -> Vec<Finding>;

/// The image checks, in the order they run and report.
const CHECKS: &[(&str, Check)] = &[
    ("attestations", attestations),
    ("no-matching-entry", no_matching_entry),
    ("index-vs-config", index_vs_config),
    ("wrong-os-entrypoint", wrong_os_entrypoint),
    ("interpreter", interpreter),
    ("mislabeled-entrypoint", mislabeled_entrypoint),
    ("host-runs", host_runs),
    ("engine-platform-warning", engine_platform_warning),
    ("foreign-files", foreign_files),
    ("classifier", classifier_findings),
    ("entrypoint-not-found", entrypoint_not_found),
];

/// Attestation entries: skipped for selection, reported.
fn attestations(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    let att: Vec<&EntryReport> = x
        .entries
        .iter()
        .filter(|e| e.status == EntryStatus::Attestation)
        .collect();
    if att.is_empty() {
        return Vec::new();
    }
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
    vec![f]
}

/// An index with no entry the host accepts: wrong OS, wrong variant, or no such platform.
fn no_matching_entry(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    if x.a.selected.is_some() || x.a.selection.is_none() {
        return Vec::new();
    }
    let host = &x.host.platform;
    let runnable: Vec<&EntryReport> = x.runnable().collect();
    let same_os = runnable.iter().any(|e| {
        e.platform
            .as_ref()
            .is_some_and(|p| p.normalize().os == host.normalize().os)
    });
    let same_arch_any = runnable
        .iter()
        .any(|e| e.platform.as_ref().is_some_and(|p| same_arch(p, host)));
    let listed = runnable
        .iter()
        .map(|e| {
            e.platform
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_else(|| "no platform".into())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let (code, mut msg) = if !runnable.is_empty() && !same_os {
        (
            CauseCode::OsMismatch,
            format!("no entry of the index is for {} (it has {listed})", host.os),
        )
    } else if same_arch_any {
        (
            CauseCode::VariantMismatch,
            format!("the index has {listed} but not a variant a {host} host accepts"),
        )
    } else {
        (
            CauseCode::NoMatchingManifest,
            format!("no matching manifest for {host} in the index (it has {listed})"),
        )
    };
    if runnable.iter().any(|e| e.runs == Some(Runs::Emulated)) {
        msg.push_str(
            "; an entry would run under emulation if requested explicitly with --platform",
        );
    }
    let mut f = Finding::new(code, Severity::Error, msg);
    f.evidence = x
        .entries
        .iter()
        .map(|e| ev(format!("{}: {}", e.digest, e.reason), None, None))
        .collect();
    vec![f]
}

/// The index entry's platform disagrees with the config's.
fn index_vs_config(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    let Some(sel) = x.a.selected.as_ref() else {
        return Vec::new();
    };
    let declared = &sel.platform;
    match &sel.index_platform {
        Some(ip) if !same_arch(ip, declared) && !declared.architecture.is_empty() => {
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
            vec![f]
        }
        _ => Vec::new(),
    }
}

/// A Mach-O / PE / other-OS program as the entrypoint of a Linux image.
fn wrong_os_entrypoint(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    let (Some(declared), Some(f), Some(b)) = (x.declared(), x.file, x.bin) else {
        return Vec::new();
    };
    match b.platform() {
        Some(p) if !p.os.is_empty() && declared.os == "linux" && p.os != "linux" => {
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
            vec![fd]
        }
        _ => Vec::new(),
    }
}

/// The entrypoint's interpreter is missing, or is for another architecture.
fn interpreter(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    if x.a.selected.is_none() {
        return Vec::new();
    }
    let (Some(f), Some(i)) = (x.file, x.interp) else {
        return Vec::new();
    };
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
        if let Some(b) = x.bin {
            fd.evidence.push(ev(
                format!("{}; interpreter {}", describe(b), i.requested),
                Some(&f.path),
                f.layer.as_deref(),
            ));
        }
        return vec![fd];
    }
    if let (Some(b), Some(ifile)) = (x.bin, i.file.as_ref())
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
        return vec![fd];
    }
    Vec::new()
}

/// The image says one platform, the binary that would be exec'd is for another.
fn mislabeled_entrypoint(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    let (Some(sel), Some(d)) = (x.a.selected.as_ref(), x.mislabeled_decider()) else {
        return Vec::new();
    };
    let declared = &sel.platform;
    let mut f = Finding::new(
        CauseCode::ImageMislabeled,
        Severity::Warning,
        format!("the image says {declared} but {} is {}", d.path, d.what),
    );
    f.evidence.push(ev(
        format!("config of {}: {declared}", sel.digest),
        None,
        None,
    ));
    f.evidence.push(d.evidence());
    let bins = &x.a.binaries;
    if !bins.foreign.is_empty() {
        f.evidence.push(ev(
            format!(
                "{} classified files by platform: {}",
                bins.scanned,
                bins.by_platform
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
            None,
        ));
    }
    vec![f]
}

/// Can the host run each deciding binary: natively, only emulated, or not at all.
fn host_runs(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    if x.a.selected.is_none() {
        return Vec::new();
    }
    let host = &x.host.platform;
    let mut out = Vec::new();
    for d in x.judged() {
        let jp = &d.platform;
        let rv = x.host.runs(jp);
        let (code, severity, message) = match rv.runs {
            Runs::Native | Runs::Compatible => continue,
            Runs::Emulated => (
                CauseCode::PlatformWarning,
                Severity::Warning,
                format!(
                    "{jp} runs on a {host} host only through emulation: {}",
                    rv.reason
                ),
            ),
            Runs::No => (
                if jp.normalize().os != host.normalize().os {
                    CauseCode::OsMismatch
                } else if same_arch(jp, host) {
                    CauseCode::VariantMismatch
                } else {
                    CauseCode::ArchMismatch
                },
                Severity::Error,
                format!("{jp} cannot run on a {host} host: {}", rv.reason),
            ),
        };
        let mut f = Finding::new(code, severity, message);
        f.evidence.push(if d.path.is_empty() {
            ev(d.what.clone(), None, None)
        } else {
            d.evidence()
        });
        out.push(f);
    }
    out
}

/// Every decider runs natively, yet the declared platform is not the host's: Docker warns.
fn engine_platform_warning(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    let Some(declared) = x.declared() else {
        return Vec::new();
    };
    let host = &x.host.platform;
    let all_native = x.judged().iter().all(|d| {
        matches!(
            x.host.runs(&d.platform).runs,
            Runs::Native | Runs::Compatible
        )
    });
    if !all_native
        || x.deciders.is_empty()
        || same_arch(declared, host)
        || crate::platform::matcher::only(host).matches(declared)
    {
        return Vec::new();
    }
    let mut f = Finding::new(
        CauseCode::PlatformWarning,
        Severity::Warning,
        format!(
            "Docker will warn that the image's platform ({declared}) does not match the host ({host}), although its entrypoint runs natively"
        ),
    );
    f.evidence.push(x.deciders[0].evidence());
    vec![f]
}

/// Other files for another architecture than the declared one (when the entrypoint agrees
/// with the label).
fn foreign_files(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    let Some(declared) = x.declared() else {
        return Vec::new();
    };
    let foreign = &x.a.binaries.foreign;
    let foreign_entry = x.deciders.iter().any(|d| !same_arch(&d.platform, declared));
    if foreign_entry || foreign.is_empty() {
        return Vec::new();
    }
    let mut f = Finding::new(
        CauseCode::ImageMislabeled,
        Severity::Warning,
        format!(
            "{} file(s) in the image are for another architecture than the declared {declared}",
            foreign.len()
        ),
    );
    f.evidence = foreign
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
    vec![f]
}

/// What the classifier alone can tell about the program exec starts (ISA level, page size,
/// script line endings or BOM, LFS pointers, error pages): findings the checks above do not
/// make. Architecture, OS and interpreter questions stay with the image checks.
fn classifier_findings(x: &Facts<'_>, before: &[Finding]) -> Vec<Finding> {
    let (Some(f), Some(b)) = (x.file, x.bin) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for mut p in crate::check::binary::problems(b, x.host) {
        let decided_above = matches!(
            p.code,
            CauseCode::ArchMismatch
                | CauseCode::ImageMislabeled
                | CauseCode::MissingInterpreter
                | CauseCode::WrongOsBinary
                | CauseCode::VariantMismatch
        );
        if decided_above || before.iter().any(|x| x.code == p.code) {
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
        out.push(p);
    }
    out
}

/// The catalogue fixes an image verdict asks for (other findings get the catalogue's offers
/// for their code).
fn request_fixes(findings: &mut [Finding]) {
    for f in findings {
        let ids: &[&'static str] = match f.code {
            CauseCode::ArchMismatch
            | CauseCode::NoMatchingManifest
            | CauseCode::VariantMismatch => &["buildx-multiplatform", "binfmt-emulation"],
            CauseCode::ImageMislabeled => &["buildx-platform-label"],
            CauseCode::PlatformWarning => &["docker-run-platform"],
            CauseCode::AttestationUnsupported => &["buildx-no-attestations"],
            _ => &[],
        };
        f.requests.extend(ids.iter().map(|id| FixRequest::id(id)));
    }
}

/// What fixes for this image must fit: the host, the platforms the image really is for (the
/// mislabeled binary's, else the declared one, else the index's), the name, the interpreter.
fn fix_context(x: &Facts<'_>) -> FixContext {
    let targets = match (x.declared(), x.mislabeled_decider()) {
        (_, Some(d)) => vec![d.platform.clone()],
        (Some(p), None) => vec![p.clone()],
        (None, None) => x.runnable().filter_map(|e| e.platform.clone()).collect(),
    };
    FixContext {
        host: Some(x.host.platform.clone()),
        targets,
        image: Some(image_name(x.a)),
        path: None,
        interpreter: x
            .interp
            .filter(|_| x.a.selected.is_some() && x.file.is_some())
            .map(|i| i.requested.clone()),
    }
}

/// Judge an analysis for `host`: run every image check (a list of named functions from facts to findings) over the facts, then decide.
pub fn verdict(a: &Analysis, host: &Host) -> ImageReport {
    let platforms = a
        .selection
        .as_ref()
        .map(|s| s.entries.clone())
        .unwrap_or_default();
    let x = Facts::of(a, host, &platforms);
    let mut findings: Vec<Finding> = Vec::new();
    for (_name, check) in CHECKS {
        let new = check(&x, &findings);
        findings.extend(new);
    }
    request_fixes(&mut findings);
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let runs_emulated = a.selected.is_some()
        && x.judged()
            .iter()
            .any(|d| host.runs(&d.platform).runs == Runs::Emulated);
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
    let fix_context = fix_context(&x);
    let actual = x.deciders.last().map(|d| d.platform.clone());
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
        fix_context,
    }
}

/// The entrypoint cannot be found in the image's content (missing, dangling link, link loop or
/// too long a chain): exec fails with ENOENT/ELOOP, so the image does not run.
fn entrypoint_not_found(x: &Facts<'_>, _: &[Finding]) -> Vec<Finding> {
    let a = x.a;
    let Some(ep) = a.entrypoint.as_ref().filter(|_| a.content_read) else {
        return Vec::new();
    };
    let Some(why) = ep.exec_failure else {
        return Vec::new();
    };
    let mut f = Finding::new(
        CauseCode::EntrypointNotFound,
        Severity::Error,
        format!(
            "exec of the entrypoint fails with {}: {}",
            why.errno(),
            ep.problem.clone().unwrap_or_default()
        ),
    );
    f.evidence.push(ev(
        format!(
            "argv {:?}, WorkingDir {}, PATH {}",
            ep.argv, ep.working_dir, ep.path_var
        ),
        ep.program.as_deref(),
        None,
    ));
    vec![f]
}
