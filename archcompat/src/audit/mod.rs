//! Auditing many images at once (`archcompat audit`). Owns: walking a registry's catalog and
//! tags (`docker://HOST[/PREFIX]`, pages followed), or a file of references, or a folder of OCI
//! layouts; judging every tag against a set of target platforms (present / compatible /
//! missing, attestation-only entries counted) with a bounded number of parallel connections
//! and each digest fetched once; with `deep`, reading the layers of each target's image for
//! mislabeled binaries and entrypoint problems (the findings of [`crate::check::image`]);
//! resuming from a state file; merging partial audits; and the self-contained HTML and SARIF
//! renderings of the result.

use crate::check::image::check_image;
use crate::finding::{CauseCode, Finding, Location, Severity};
use crate::image::Options;
use crate::platform::{Host, Platform, Runs};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[cfg(feature = "registry")]
mod walk;

/// What to audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AuditSource {
    /// Every repository of a registry (under `prefix`, when given) and all their tags.
    Registry {
        /// `HOST[:PORT]`.
        host: String,
        /// Repository prefix (`team/` or `team/app`), empty for all.
        prefix: String,
    },
    /// A file with one image reference (any `archcompat image` SOURCE) per line.
    References {
        /// The file.
        path: PathBuf,
    },
    /// A folder whose subdirectories are OCI layouts (every tag of each is audited).
    Layouts {
        /// The folder.
        path: PathBuf,
    },
}

impl AuditSource {
    /// Parse what the user typed: `docker://HOST[/PREFIX]`, a file or a folder.
    pub fn parse(s: &str) -> Result<AuditSource> {
        if let Some(rest) = s.strip_prefix("docker://") {
            let rest = rest.trim_end_matches('/');
            let (host, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if host.is_empty() || host.contains(['@', ' ']) || prefix.contains([':', '@']) {
                return Err(Error::malformed(
                    s,
                    "expected docker://HOST[:PORT][/PREFIX] (a registry and an optional repository prefix, no tag)",
                ));
            }
            return Ok(AuditSource::Registry {
                host: host.to_string(),
                prefix: prefix.to_string(),
            });
        }
        let p = PathBuf::from(s);
        let meta = std::fs::metadata(&p).map_err(|e| Error::io(&p, e))?;
        Ok(if meta.is_dir() {
            AuditSource::Layouts { path: p }
        } else {
            AuditSource::References { path: p }
        })
    }
}

/// How a target is served by a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetStatus {
    /// An entry for exactly this platform (or one the target runs natively).
    Present,
    /// Only a compatible entry (e.g. `arm/v6` for an `arm/v7` target).
    Compatible,
    /// Nothing the target runs.
    Missing,
}

/// One target of one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetResult {
    /// The target platform.
    pub target: Platform,
    /// Present, compatible or missing.
    pub status: TargetStatus,
    /// The entry that serves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Platform>,
}

/// One repository and tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagRecord {
    /// Repository (`team/app`), or the layout's directory name, or the reference.
    pub repository: String,
    /// Tag.
    pub tag: String,
    /// Digest the tag points at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// `index` or `manifest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Platforms present (attestation entries excluded).
    #[serde(default)]
    pub platforms: Vec<Platform>,
    /// Attestation-only entries (provenance/SBOM manifests, platform unknown/unknown).
    #[serde(default)]
    pub attestations: usize,
    /// Each target.
    #[serde(default)]
    pub targets: Vec<TargetResult>,
    /// Targets with nothing to run.
    #[serde(default)]
    pub missing: Vec<Platform>,
    /// Missing targets and, with `deep`, problems found in the layers.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Why this tag could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl TagRecord {
    fn new(repository: &str, tag: &str) -> Self {
        TagRecord {
            repository: repository.to_string(),
            tag: tag.to_string(),
            digest: None,
            kind: None,
            platforms: Vec::new(),
            attestations: 0,
            targets: Vec::new(),
            missing: Vec::new(),
            findings: Vec::new(),
            error: None,
        }
    }

    fn key(&self) -> (String, String) {
        (self.repository.clone(), self.tag.clone())
    }

    /// Every target served, no error, no error-level finding.
    pub fn complete(&self) -> bool {
        self.error.is_none()
            && self.missing.is_empty()
            && !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// Fill `targets`, `missing` and the missing-target findings from `platforms`.
    fn judge(&mut self, targets: &[Platform]) {
        self.targets.clear();
        self.missing.clear();
        self.findings
            .retain(|f| f.code != CauseCode::NoMatchingManifest);
        for t in targets {
            let host = Host::from_platform(t.clone());
            let mut best: Option<(TargetStatus, &Platform)> = None;
            for p in &self.platforms {
                let s = match host.runs(p).runs {
                    Runs::Native => TargetStatus::Present,
                    Runs::Compatible => TargetStatus::Compatible,
                    _ => continue,
                };
                if best.is_none_or(|(b, _)| {
                    b == TargetStatus::Compatible && s == TargetStatus::Present
                }) {
                    best = Some((s, p));
                }
            }
            let (status, via) = match best {
                Some((s, p)) => (s, Some(p.clone())),
                None => (TargetStatus::Missing, None),
            };
            if status == TargetStatus::Missing && self.error.is_none() {
                self.missing.push(t.clone());
                let have: Vec<String> = self.platforms.iter().map(|p| p.to_string()).collect();
                let mut f = Finding::new(
                    CauseCode::NoMatchingManifest,
                    Severity::Error,
                    format!(
                        "{}:{} has no image for {t} (it has {})",
                        self.repository,
                        self.tag,
                        if have.is_empty() {
                            "none".to_string()
                        } else {
                            have.join(", ")
                        }
                    ),
                );
                f.location = Some(self.location());
                self.findings.push(f);
            }
            self.targets.push(TargetResult {
                target: t.clone(),
                status,
                via,
            });
        }
    }

    fn location(&self) -> Location {
        Location {
            path: format!("{}:{}", self.repository, self.tag),
            line: None,
            column: None,
            end_column: None,
        }
    }
}

/// Totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSummary {
    /// Repositories audited.
    pub repositories: usize,
    /// Tags audited.
    pub tags: usize,
    /// Tags serving every target without problems.
    pub complete: usize,
    /// Tags missing a target or with an error-level finding.
    pub incomplete: usize,
    /// Tags that could not be read.
    pub errors: usize,
    /// Documents (manifests, indexes, configs) fetched.
    pub fetched: usize,
    /// Documents not fetched because their digest was already seen.
    pub reused: usize,
    /// Tags taken from the state file of an earlier, interrupted run.
    pub resumed: usize,
}

/// The answer of `archcompat audit`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditReport {
    /// What was audited, as given (several for a merge).
    pub source: String,
    /// The target platforms.
    pub targets: Vec<Platform>,
    /// Whether layers were read.
    pub deep: bool,
    /// One record per repository and tag, sorted.
    pub records: Vec<TagRecord>,
    /// Totals.
    pub summary: AuditSummary,
}

impl AuditReport {
    /// Every finding of every record.
    pub fn findings(&self) -> Vec<Finding> {
        self.records
            .iter()
            .flat_map(|r| r.findings.iter().cloned())
            .collect()
    }

    /// Whether every tag serves every target without problems.
    pub fn all_complete(&self) -> bool {
        self.records.iter().all(TagRecord::complete)
    }

    fn finish(&mut self) {
        self.records.sort_by_key(|a| a.key());
        let repos: BTreeSet<&str> = self.records.iter().map(|r| r.repository.as_str()).collect();
        self.summary.repositories = repos.len();
        self.summary.tags = self.records.len();
        self.summary.complete = self.records.iter().filter(|r| r.complete()).count();
        self.summary.errors = self.records.iter().filter(|r| r.error.is_some()).count();
        self.summary.incomplete = self.summary.tags - self.summary.complete - self.summary.errors;
    }
}

/// Progress events, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProgress {
    /// The tags to audit are known.
    Listed {
        /// How many (including resumed ones).
        tags: usize,
    },
    /// One more tag is done.
    Tag {
        /// Tags done so far.
        done: usize,
        /// Repository.
        repository: String,
        /// Tag.
        tag: String,
    },
}

/// How to audit.
#[derive(Clone)]
pub struct AuditOptions {
    /// Target platforms (at least one).
    pub targets: Vec<Platform>,
    /// Read each target's image layers (mislabeled binaries, entrypoint problems).
    pub deep: bool,
    /// Parallel connections (and deep checks) at most.
    pub jobs: usize,
    /// Names per catalog/tag-list page.
    pub page_size: usize,
    /// Resume from / record to this state file (JSON lines).
    pub state: Option<PathBuf>,
    /// Image options (limits, insecure) for deep checks and registry access.
    pub image: Options,
    /// Progress callback.
    pub progress: Option<Arc<dyn Fn(AuditProgress) + Send + Sync>>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            targets: Vec::new(),
            deep: false,
            jobs: 8,
            page_size: 100,
            state: None,
            image: Options::default(),
            progress: None,
        }
    }
}

impl std::fmt::Debug for AuditOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditOptions")
            .field("targets", &self.targets)
            .field("deep", &self.deep)
            .field("jobs", &self.jobs)
            .field("page_size", &self.page_size)
            .field("state", &self.state)
            .finish()
    }
}

/// Resolve target specs (platforms, aliases or profiles; comma-separated lists allowed).
pub fn parse_targets(specs: &[String]) -> Result<Vec<Platform>> {
    let mut out: Vec<Platform> = Vec::new();
    for s in specs.iter().flat_map(|s| s.split(',')) {
        let s = s.trim();
        if s.is_empty() {
            continue;
        }
        let p = Host::resolve(s)?.platform;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() {
        return Err(Error::InvalidPlatform {
            input: specs.join(","),
            reason: "no target platform given".into(),
        });
    }
    Ok(out)
}

/// The state file: a header line, then one finished record per line.
struct State {
    file: Option<Mutex<std::fs::File>>,
    done: HashMap<(String, String), TagRecord>,
}

#[derive(Serialize, Deserialize)]
struct StateHeader {
    archcompat_audit_state: u32,
    source: String,
    targets: Vec<Platform>,
    deep: bool,
}

impl State {
    fn open(path: Option<&Path>, source: &str, opts: &AuditOptions) -> Result<State> {
        let Some(path) = path else {
            return Ok(State {
                file: None,
                done: HashMap::new(),
            });
        };
        let header = StateHeader {
            archcompat_audit_state: 1,
            source: source.to_string(),
            targets: opts.targets.clone(),
            deep: opts.deep,
        };
        let mut done = HashMap::new();
        let exists = path.is_file() && std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        if exists {
            let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let mut lines = std::io::BufReader::new(f).lines();
            let first = lines
                .next()
                .transpose()
                .map_err(|e| Error::io(path, e))?
                .unwrap_or_default();
            let h: StateHeader = serde_json::from_str(&first).map_err(|e| {
                Error::malformed(
                    path.display().to_string(),
                    format!("not an audit state file: {e}"),
                )
            })?;
            if h.source != header.source || h.targets != header.targets || h.deep != header.deep {
                return Err(Error::malformed(
                    path.display().to_string(),
                    format!(
                        "the state file is for another audit ({} with targets {}); use another --state FILE",
                        h.source,
                        h.targets
                            .iter()
                            .map(|t| t.to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                ));
            }
            for line in lines {
                let line = line.map_err(|e| Error::io(path, e))?;
                // A line cut by an interruption is simply redone.
                if let Ok(r) = serde_json::from_str::<TagRecord>(&line) {
                    done.insert(r.key(), r);
                }
            }
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        if !exists {
            let mut line = serde_json::to_string(&header).unwrap_or_default();
            line.push('\n');
            file.write_all(line.as_bytes())
                .map_err(|e| Error::io(path, e))?;
        } else {
            // Terminate a line an interruption may have cut.
            let _ = file.write_all(b"\n");
        }
        Ok(State {
            file: Some(Mutex::new(file)),
            done,
        })
    }

    fn record(&self, r: &TagRecord) {
        if let Some(f) = &self.file
            && let Ok(mut f) = f.lock()
        {
            let mut line = serde_json::to_string(r).unwrap_or_default();
            line.push('\n');
            let _ = f.write_all(line.as_bytes());
            let _ = f.flush();
        }
    }
}

/// Audit `source` (`docker://HOST[/PREFIX]`, a file of references, or a folder of OCI layouts)
/// against `opts.targets`.
pub fn audit(source: &str, opts: &AuditOptions) -> Result<AuditReport> {
    if opts.targets.is_empty() {
        return Err(Error::InvalidPlatform {
            input: String::new(),
            reason: "audit needs at least one target platform".into(),
        });
    }
    let src = AuditSource::parse(source)?;
    let state = State::open(opts.state.as_deref(), source, opts)?;
    let mut report = AuditReport {
        source: source.to_string(),
        targets: opts.targets.clone(),
        deep: opts.deep,
        records: Vec::new(),
        summary: AuditSummary::default(),
    };
    let done = AtomicUsize::new(0);
    let tick = |r: &TagRecord| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(cb) = &opts.progress {
            cb(AuditProgress::Tag {
                done: n,
                repository: r.repository.clone(),
                tag: r.tag.clone(),
            });
        }
    };
    match src {
        #[cfg(feature = "registry")]
        AuditSource::Registry { host, prefix } => {
            let (records, fetched, reused) = walk::registry(&host, &prefix, opts, &state, &tick)?;
            report.summary.fetched = fetched;
            report.summary.reused = reused;
            report.records = records;
        }
        #[cfg(not(feature = "registry"))]
        AuditSource::Registry { .. } => {
            return Err(Error::Unsupported {
                input: source.to_string(),
                reason: "this build has no registry support (enable the `registry` feature)".into(),
            });
        }
        AuditSource::References { path } => {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let refs: Vec<(String, String, String)> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| {
                    let (repo, tag) = split_reference(l);
                    (repo, tag, l.to_string())
                })
                .collect();
            report.records = local(refs, opts, &state, &tick);
        }
        AuditSource::Layouts { path } => {
            report.records = local(layouts(&path)?, opts, &state, &tick);
        }
    }
    report.summary.resumed = state.done.len();
    let mut seen: HashSet<(String, String)> = report.records.iter().map(|r| r.key()).collect();
    for (k, r) in state.done {
        if seen.insert(k) {
            report.records.push(r);
        }
    }
    report.finish();
    Ok(report)
}

/// `repo` and `tag` of a reference as written (`docker://h/team/app:1.0`, `oci:dir:tag`).
fn split_reference(r: &str) -> (String, String) {
    let body = r
        .strip_prefix("docker://")
        .or_else(|| r.strip_prefix("oci:"))
        .unwrap_or(r);
    if let Some((repo, d)) = body.split_once('@') {
        return (repo.to_string(), d.to_string());
    }
    match body.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo.to_string(), tag.to_string()),
        _ => (body.to_string(), "latest".to_string()),
    }
}

/// Every tag of every OCI layout under `dir`: (repository, tag, SOURCE).
fn layouts(dir: &Path) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut dirs: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let idx = d.join("index.json");
        let Ok(bytes) = std::fs::read(&idx) else {
            continue;
        };
        let name = d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| Error::malformed(idx.display().to_string(), e.to_string()))?;
        let tags: Vec<String> = v
            .get("manifests")
            .and_then(|m| m.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|m| {
                        m.pointer("/annotations/org.opencontainers.image.ref.name")
                            .and_then(|t| t.as_str())
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        if tags.is_empty() {
            out.push((
                name.clone(),
                "latest".into(),
                format!("oci:{}", d.display()),
            ));
        }
        for t in tags {
            out.push((name.clone(), t.clone(), format!("oci:{}:{t}", d.display())));
        }
    }
    Ok(out)
}

/// Local sources and reference lists: each target judged by `check_image` (layers are read).
fn local(
    items: Vec<(String, String, String)>,
    opts: &AuditOptions,
    state: &State,
    tick: &(dyn Fn(&TagRecord) + Sync),
) -> Vec<TagRecord> {
    let todo: Vec<_> = items
        .into_iter()
        .filter(|(r, t, _)| !state.done.contains_key(&(r.clone(), t.clone())))
        .collect();
    if let Some(cb) = &opts.progress {
        cb(AuditProgress::Listed {
            tags: todo.len() + state.done.len(),
        });
    }
    let next = AtomicUsize::new(0);
    let out = Mutex::new(Vec::new());
    std::thread::scope(|sc| {
        for _ in 0..opts.jobs.clamp(1, 64).min(todo.len().max(1)) {
            sc.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((repo, tag, src)) = todo.get(i) else {
                        break;
                    };
                    let r = local_one(repo, tag, src, opts);
                    state.record(&r);
                    tick(&r);
                    if let Ok(mut o) = out.lock() {
                        o.push(r);
                    }
                }
            });
        }
    });
    out.into_inner().unwrap_or_default()
}

fn local_one(repo: &str, tag: &str, src: &str, opts: &AuditOptions) -> TagRecord {
    let mut rec = TagRecord::new(repo, tag);
    let mut deep_findings: Vec<Finding> = Vec::new();
    for (i, t) in opts.targets.iter().enumerate() {
        let host = Host::from_platform(t.clone());
        match check_image(src, &host, &opts.image) {
            Err(e) => {
                rec.error =
                    Some(crate::redact::redact(&e.to_string(), &Default::default()).into_owned());
                return rec;
            }
            Ok(r) => {
                if i == 0 {
                    if r.platforms.is_empty() {
                        rec.kind = Some("manifest".into());
                        if let Some(s) = &r.selected {
                            rec.digest = Some(s.digest.clone());
                            rec.platforms.push(s.platform.clone());
                        }
                    } else {
                        rec.kind = Some("index".into());
                        for e in &r.platforms {
                            if e.status == crate::manifest::EntryStatus::Attestation {
                                rec.attestations += 1;
                            } else if let Some(p) = &e.platform
                                && !rec.platforms.contains(p)
                            {
                                rec.platforms.push(p.clone());
                            }
                        }
                    }
                }
                if opts.deep && r.selected.is_some() {
                    deep_findings.extend(deep_of(&r, t, &rec));
                }
            }
        }
    }
    rec.judge(&opts.targets);
    rec.findings.extend(dedupe(deep_findings));
    rec
}

/// The layer-level findings of one target's image, located at `repo:tag`.
fn deep_of(r: &crate::check::image::ImageReport, t: &Platform, rec: &TagRecord) -> Vec<Finding> {
    r.findings
        .iter()
        .filter(|f| f.severity != Severity::Info && f.code != CauseCode::NoMatchingManifest)
        .map(|f| {
            let mut f = f.clone();
            f.message = format!("{}:{} for {t}: {}", rec.repository, rec.tag, f.message);
            f.location = Some(rec.location());
            f
        })
        .collect()
}

fn dedupe(fs: Vec<Finding>) -> Vec<Finding> {
    let mut seen = HashSet::new();
    fs.into_iter()
        .filter(|f| seen.insert((f.code, f.message.clone())))
        .collect()
}

/// Join partial audits (e.g. one per Kubernetes Job): records keyed by repository and tag,
/// a later report winning; the targets must agree.
pub fn merge(reports: Vec<AuditReport>) -> Result<AuditReport> {
    let mut it = reports.into_iter();
    let Some(mut out) = it.next() else {
        return Err(Error::malformed("--merge", "no audit reports to merge"));
    };
    let mut index: HashMap<(String, String), usize> = out
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.key(), i))
        .collect();
    let mut sources = vec![out.source.clone()];
    for r in it {
        let a: BTreeSet<String> = out.targets.iter().map(|t| t.to_string()).collect();
        let b: BTreeSet<String> = r.targets.iter().map(|t| t.to_string()).collect();
        if a != b {
            return Err(Error::malformed(
                r.source.clone(),
                format!(
                    "targets {} differ from the first report's {}; audit every part with the same --target",
                    b.into_iter().collect::<Vec<_>>().join(","),
                    a.into_iter().collect::<Vec<_>>().join(",")
                ),
            ));
        }
        sources.push(r.source.clone());
        out.deep &= r.deep;
        out.summary.fetched += r.summary.fetched;
        out.summary.reused += r.summary.reused;
        out.summary.resumed += r.summary.resumed;
        for rec in r.records {
            match index.get(&rec.key()) {
                Some(&i) => out.records[i] = rec,
                None => {
                    index.insert(rec.key(), out.records.len());
                    out.records.push(rec);
                }
            }
        }
    }
    sources.dedup();
    out.source = sources.join(" + ");
    out.finish();
    Ok(out)
}

/// Read an audit JSON document (`archcompat audit --json` output), bounded in size.
pub fn read_report(path: &Path) -> Result<AuditReport> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > 1 << 30 {
        return Err(Error::LimitExceeded {
            input: path.display().to_string(),
            reason: "an audit report larger than 1 GiB".into(),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::malformed(
            path.display().to_string(),
            format!("not an archcompat audit JSON report: {e}"),
        )
    })
}

/// SARIF 2.1.0: one result per missing target and per deep finding.
pub fn sarif(r: &AuditReport) -> serde_json::Value {
    crate::report::sarif(crate::VERSION, &r.findings())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A self-contained HTML report: a matrix of repositories × targets, coloured, with the
/// findings of each tag; inline CSS, no script, no external asset.
pub fn html(r: &AuditReport) -> String {
    let mut s = String::with_capacity(4096 + r.records.len() * 256);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    s.push_str(&format!(
        "<title>archcompat audit: {}</title>\n",
        esc(&r.source)
    ));
    s.push_str("<style>body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}td.present{background:#c8f0c8}td.compatible{background:#f6eab0}td.missing{background:#f5c0c0}td.error{background:#ddd}.f{font-size:.85em;margin:0;padding-left:1.2em}code{font-size:.9em}</style>\n</head><body>\n");
    s.push_str(&format!(
        "<h1>archcompat audit</h1>\n<p>source <code>{}</code> · targets ",
        esc(&r.source)
    ));
    s.push_str(
        &r.targets
            .iter()
            .map(|t| format!("<code>{}</code>", esc(&t.to_string())))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let m = &r.summary;
    s.push_str(&format!(
        "{}</p>\n<p>{} repositories, {} tags: <b>{} complete</b>, {} incomplete, {} unreadable</p>\n",
        if r.deep { " · deep (layers read)" } else { "" },
        m.repositories, m.tags, m.complete, m.incomplete, m.errors
    ));
    s.push_str("<table>\n<tr><th>repository</th><th>tag</th><th>platforms</th>");
    for t in &r.targets {
        s.push_str(&format!("<th>{}</th>", esc(&t.to_string())));
    }
    s.push_str("<th>findings</th></tr>\n");
    for rec in &r.records {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}{}</td>",
            esc(&rec.repository),
            esc(&rec.tag),
            esc(&rec
                .platforms
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")),
            if rec.attestations > 0 {
                format!(" <small>(+{} attestation)</small>", rec.attestations)
            } else {
                String::new()
            }
        ));
        for t in &r.targets {
            match (&rec.error, rec.targets.iter().find(|x| &x.target == t)) {
                (Some(_), _) | (None, None) => s.push_str("<td class=\"error\">?</td>"),
                (None, Some(x)) => {
                    let (class, text) = match x.status {
                        TargetStatus::Present => ("present", "✓".to_string()),
                        TargetStatus::Compatible => (
                            "compatible",
                            format!(
                                "≈ {}",
                                x.via.as_ref().map(|p| p.to_string()).unwrap_or_default()
                            ),
                        ),
                        TargetStatus::Missing => ("missing", "✗".to_string()),
                    };
                    s.push_str(&format!("<td class=\"{class}\">{}</td>", esc(&text)));
                }
            }
        }
        s.push_str("<td>");
        if let Some(e) = &rec.error {
            s.push_str(&format!("unreadable: {}", esc(e)));
        }
        let shown: Vec<&Finding> = rec
            .findings
            .iter()
            .filter(|f| f.code != CauseCode::NoMatchingManifest)
            .collect();
        if !shown.is_empty() {
            s.push_str("<ul class=\"f\">");
            for f in shown {
                s.push_str(&format!(
                    "<li><code>{}</code> {}</li>",
                    esc(f.code.as_str()),
                    esc(&f.message)
                ));
            }
            s.push_str("</ul>");
        }
        s.push_str("</td></tr>\n");
    }
    s.push_str("</table>\n</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Platform {
        s.parse().unwrap()
    }

    #[test]
    fn sources_parse() {
        assert_eq!(
            AuditSource::parse("docker://127.0.0.1:5000/team").unwrap(),
            AuditSource::Registry {
                host: "127.0.0.1:5000".into(),
                prefix: "team".into()
            }
        );
        assert!(AuditSource::parse("docker://h/app:tag").is_err());
        assert!(AuditSource::parse("/definitely/not/here").is_err());
        assert_eq!(
            split_reference("docker://h:5000/team/app:1.0"),
            ("h:5000/team/app".into(), "1.0".into())
        );
    }

    #[test]
    fn targets_are_judged_and_missing_ones_reported() {
        let mut r = TagRecord::new("team/app", "1.0");
        r.platforms = vec![p("linux/amd64"), p("linux/arm/v7")];
        r.judge(&[p("linux/amd64"), p("linux/s390x"), p("linux/arm64")]);
        let st: Vec<TargetStatus> = r.targets.iter().map(|t| t.status).collect();
        assert_eq!(
            st,
            vec![
                TargetStatus::Present,
                TargetStatus::Missing,
                TargetStatus::Compatible
            ]
        );
        assert_eq!(r.missing, vec![p("linux/s390x")]);
        assert_eq!(r.findings.len(), 1);
        assert_eq!(
            r.findings[0].location.as_ref().unwrap().path,
            "team/app:1.0"
        );
        assert!(!r.complete());
    }

    #[test]
    fn html_is_self_contained_and_escaped() {
        let mut rec = TagRecord::new("<team>/app", "1");
        rec.platforms = vec![p("linux/amd64")];
        rec.judge(&[p("linux/amd64"), p("linux/arm64")]);
        let mut rep = AuditReport {
            source: "docker://x".into(),
            targets: vec![p("linux/amd64"), p("linux/arm64")],
            deep: false,
            records: vec![rec],
            summary: AuditSummary::default(),
        };
        rep.finish();
        let h = html(&rep);
        assert!(h.contains("&lt;team&gt;/app") && !h.contains("<team>"));
        assert!(h.contains("class=\"present\"") && h.contains("class=\"missing\""));
        for banned in ["src=", "href=", "<script", "@import", "url("] {
            assert!(!h.contains(banned), "{banned}");
        }
    }

    #[test]
    fn merge_joins_and_checks_targets() {
        let mk = |src: &str, repo: &str, targets: Vec<Platform>| {
            let mut rec = TagRecord::new(repo, "1");
            rec.platforms = vec![p("linux/amd64")];
            rec.judge(&targets);
            let mut r = AuditReport {
                source: src.into(),
                targets,
                deep: false,
                records: vec![rec],
                summary: AuditSummary::default(),
            };
            r.finish();
            r
        };
        let m = merge(vec![
            mk("a", "x", vec![p("linux/amd64")]),
            mk("b", "y", vec![p("linux/amd64")]),
            mk("c", "x", vec![p("linux/amd64")]),
        ])
        .unwrap();
        assert_eq!(m.records.len(), 2);
        assert_eq!(m.summary.repositories, 2);
        assert!(
            merge(vec![
                mk("a", "x", vec![p("linux/amd64")]),
                mk("b", "y", vec![p("linux/arm64")])
            ])
            .is_err()
        );
    }
}
