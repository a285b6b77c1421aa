//! Images: sources (OCI layout, archives, `docker save`, JSON documents, registries), streamed
//! layers, the merged filesystem view, the entrypoint and the executables inside. A fact
//! module: it reports what an image *is* (declared platforms, selection, what the files are);
//! [`crate::check::image`] turns that into a verdict.
//!
//! (Example: the test `doc_examples::module_example` in this file.)

#[cfg(feature = "registry")]
pub(crate) mod catalog;
pub mod entrypoint;
pub mod fs;
mod layer;
pub mod offered;
#[cfg(feature = "registry")]
mod registry;
mod source;
mod tar;
// Unpacking a root filesystem to disk (for `image --verify`) needs Unix file modes and links.
#[cfg(unix)]
pub mod unpack;

pub use entrypoint::{CommandForm, Entrypoint, ExecFailure, FileFacts, InterpreterFacts};
pub use layer::{Compression, LayerSummary};
pub use source::{ArchiveReader, SourceSpec, is_tar_head};

use crate::manifest::{
    Descriptor, Document, EntryReport, EntryStatus, ImageConfig, Index, JsonLimits, Manifest,
    Selection, parse_config, parse_index, parse_manifest, select,
};
use crate::platform::{Host, Platform};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use source::{Root, Store};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Resource limits for reading one image. A limit that trips is an error naming the blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Bytes decompressed across all layers of the image (decompression bombs).
    pub max_bytes: u64,
    /// Tar entries across all layers of the image.
    pub max_entries: u64,
    /// Bytes of one file read for classification (beyond it the prefix is classified).
    pub max_file_read: u64,
    /// Symbolic links followed while resolving one path.
    pub max_link_hops: u32,
    /// Nested index depth.
    pub max_index_depth: u32,
    /// JSON documents (indexes, manifests, configs).
    pub json: JsonLimits,
    /// Manifest entries gathered from an index and the indexes it nests (each index is read
    /// once, however often it is listed).
    pub max_index_entries: u64,
    /// Bytes of one member name or link target (GNU long name, PAX `path`/`linkpath`).
    pub max_name_bytes: u64,
    /// Bytes of one PAX extended header.
    pub max_header_bytes: u64,
    /// Bytes of member names and link targets kept across the image.
    pub max_names_bytes: u64,
    /// Window a zstd frame may declare (zstd's own decoder default is 128 MiB).
    pub max_zstd_window: u64,
    /// Registry sources: seconds for the whole image (every request and blob together).
    pub registry_deadline_secs: u64,
    /// Registry sources: slowest average transfer accepted, in bytes per second, measured
    /// over each response once `registry_grace_secs` have passed.
    pub registry_min_rate: u64,
    /// Registry sources: seconds a response may take before the minimum rate applies.
    pub registry_grace_secs: u64,
    /// Registry sources: bytes of a manifest or error body.
    pub registry_max_body: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 32 << 30,
            max_entries: 2_000_000,
            max_file_read: 8 << 20,
            max_link_hops: 40,
            max_index_depth: 4,
            json: JsonLimits::default(),
            max_index_entries: 10_000,
            max_name_bytes: 64 << 10,
            max_header_bytes: 1 << 20,
            max_names_bytes: 256 << 20,
            max_zstd_window: 128 << 20,
            registry_deadline_secs: 1800,
            registry_min_rate: 1024,
            registry_grace_secs: 30,
            registry_max_body: 4 << 20,
        }
    }
}

/// Progress events, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Layers are about to be read: how many and how many compressed bytes in total.
    Start {
        /// Number of layers.
        layers: usize,
        /// Total compressed bytes (0 when unknown).
        bytes: u64,
    },
    /// Compressed bytes read so far (cumulative across layers).
    Read(u64),
    /// Starting layer `index` (0-based) with this digest.
    Layer {
        /// Index.
        index: usize,
        /// Digest.
        digest: String,
    },
    /// All layers read.
    Done,
}

/// How to read an image.
#[derive(Clone, Default)]
pub struct Options {
    /// Resource limits.
    pub limits: Limits,
    /// Reach non-loopback registries over plain HTTP (and accept invalid certificates).
    pub insecure: bool,
    /// Progress callback.
    pub progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
    /// Layers read in parallel (0: one per core, at most 4; each layer's inflate, tar walk and
    /// hash already overlap on their own threads). Registry sources and single-layer images are
    /// read one layer at a time.
    pub threads: usize,
    /// Whether user text in the report (ENTRYPOINT/CMD, findings, notes) is redacted.
    pub redaction: crate::redact::Redaction,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("limits", &self.limits)
            .field("insecure", &self.insecure)
            .field("progress", &self.progress.is_some())
            .field("threads", &self.threads)
            .field("redaction", &self.redaction)
            .finish()
    }
}

/// The image that was selected (or that the source is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selected {
    /// Manifest digest (for a legacy `docker save` image: the image id, i.e. config digest).
    pub digest: String,
    /// Declared platform: the config's, else the index entry's.
    pub platform: Platform,
    /// Platform stated by the index entry, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_platform: Option<Platform>,
}

/// One classified file, for evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// Absolute path in the image.
    pub path: String,
    /// Layer digest that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Its platform (or format, when it has none).
    pub platform: String,
}

/// Every classified file, summarised by platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinarySummary {
    /// Files classified (executable bit, or executable magic).
    pub scanned: u64,
    /// Count per platform (`linux/arm64`) or, for files without one, per format (`script`).
    pub by_platform: BTreeMap<String, u64>,
    /// Up to 20 binaries whose architecture differs from the declared platform.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign: Vec<FileRef>,
}

/// Everything read about an image: the facts the verdict is built from.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The SOURCE as given.
    pub source: String,
    /// The host the selection was made for.
    pub host: Platform,
    /// Digest of the index, when the source was one and it is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_digest: Option<String>,
    /// Selection over the index entries (absent for single-image sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Selection>,
    /// The selected image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<Selected>,
    /// Its config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ImageConfig>,
    /// Layers read (empty when the source has no content, e.g. a JSON document).
    pub layers: Vec<LayerSummary>,
    /// Whether layer content was read (false for JSON documents).
    pub content_read: bool,
    /// The entrypoint, resolved in the filesystem when content was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Entrypoint>,
    /// Classified files.
    pub binaries: BinarySummary,
    /// The repository tags a `docker save` archive carries (`app:1.2`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Remarks (e.g. which tool printed a JSON document).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Analysis {
    fn new(source: &str, host: &Host) -> Self {
        Analysis {
            source: source.to_string(),
            host: host.platform.clone(),
            index_digest: None,
            selection: None,
            selected: None,
            config: None,
            layers: Vec::new(),
            content_read: false,
            entrypoint: None,
            binaries: BinarySummary::default(),
            tags: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// Read `source` as `host` would pull it: select, read the config and every layer, resolve the
/// entrypoint, classify the executables.
pub fn analyze(source: &str, host: &Host, opts: &Options) -> Result<Analysis> {
    let spec = SourceSpec::parse(source)?;
    let mut store = open_store(source, &spec, opts).map_err(|e| with_source(e, source))?;
    analyze_store(source, store.as_mut(), host, opts).map_err(|e| with_source(e, source))
}

/// Read a tar archive (`docker save` output or an OCI archive) from `reader` as `host` would
/// pull it, like `analyze` does for a SOURCE path. `name` names the archive in the report and
/// in messages; `tag` chooses an image when the archive holds several. Only the tar headers
/// and the blobs the image needs are read (one seek each), so memory stays bounded by
/// [`Limits`], whatever the archive's size.
pub fn analyze_reader(
    reader: Box<dyn ArchiveReader>,
    name: &str,
    tag: Option<&str>,
    host: &Host,
    opts: &Options,
) -> Result<Analysis> {
    let mut store =
        source::Archive::from_reader(reader, std::path::Path::new(name), tag.map(str::to_string))
            .map_err(|e| with_source(e, name))?;
    analyze_store(name, &mut store, host, opts).map_err(|e| with_source(e, name))
}

/// Open the blob store behind a parsed SOURCE.
fn open_store(source: &str, spec: &SourceSpec, opts: &Options) -> Result<Box<dyn Store>> {
    // Which of these a build uses depends on the `registry` feature.
    let _ = (source, opts);
    Ok(match spec {
        SourceSpec::OciDir { path, tag } => {
            if !path.join("index.json").is_file() {
                return Err(Error::malformed(
                    path.display().to_string(),
                    "not an OCI layout directory (no index.json)",
                ));
            }
            Box::new(source::OciDir {
                path: path.clone(),
                tag: tag.clone(),
            })
        }
        SourceSpec::Archive { path, tag } => Box::new(source::Archive::open(path, tag.clone())?),
        SourceSpec::Json { path } => Box::new(source::JsonFile { path: path.clone() }),
        #[cfg(feature = "registry")]
        SourceSpec::Registry { reference } => Box::new(registry::Registry::open(reference, opts)?),
        #[cfg(not(feature = "registry"))]
        SourceSpec::Registry { .. } => {
            return Err(Error::Unsupported {
                input: source.to_string(),
                reason: "this build has no registry support (enable the `registry` feature)".into(),
            });
        }
    })
}

/// Errors about a blob name the SOURCE too (`IMAGE: sha256:…: reason`), so a message says
/// which image it is about.
pub(crate) fn with_source(e: Error, source: &str) -> Error {
    let prefix = |input: String| {
        if input.contains(source) {
            input
        } else {
            format!("{source}: {input}")
        }
    };
    match e {
        Error::Malformed { input, reason } => Error::Malformed {
            input: prefix(input),
            reason,
        },
        Error::LimitExceeded { input, reason } => Error::LimitExceeded {
            input: prefix(input),
            reason,
        },
        Error::Unsupported { input, reason } => Error::Unsupported {
            input: prefix(input),
            reason,
        },
        Error::Registry { input, reason } => Error::Registry {
            input: prefix(input),
            reason,
        },
        e => e,
    }
}

fn read_json_blob(
    store: &mut dyn Store,
    d: &Descriptor,
    limits: &Limits,
) -> Result<Option<Vec<u8>>> {
    match store.open(d)? {
        None => Ok(None),
        Some(r) => layer::read_verified(r, d, limits.json.max_bytes).map(Some),
    }
}

fn need_json_blob(
    store: &mut dyn Store,
    d: &Descriptor,
    limits: &Limits,
    what: &str,
) -> Result<Vec<u8>> {
    read_json_blob(store, d, limits)?.ok_or_else(|| {
        Error::malformed(&d.digest, format!("{what} blob is missing from the source"))
    })
}

/// Flatten nested indexes into their manifest entries, depth first. Each nested index is
/// read once however often it is listed (the indexes form a graph, not a tree), and the
/// entries gathered are bounded by `max_index_entries`.
fn flatten(
    store: &mut dyn Store,
    idx: &Index,
    limits: &Limits,
    depth: u32,
    seen: &mut std::collections::HashSet<String>,
    out: &mut Vec<Descriptor>,
) -> Result<()> {
    for d in &idx.manifests {
        if d.is_index() {
            if !seen.insert(d.digest.clone()) {
                continue;
            }
            if depth >= limits.max_index_depth {
                return Err(Error::LimitExceeded {
                    input: d.digest.clone(),
                    reason: format!("indexes nested deeper than {}", limits.max_index_depth),
                });
            }
            if let Some(bytes) = read_json_blob(store, d, limits)? {
                let inner = parse_index(&d.digest, &bytes, &limits.json)?;
                flatten(store, &inner, limits, depth + 1, seen, out)?;
                continue;
            }
        }
        if out.len() as u64 >= limits.max_index_entries {
            return Err(Error::LimitExceeded {
                input: d.digest.clone(),
                reason: format!(
                    "more than {} manifest entries in the index and the indexes it nests",
                    limits.max_index_entries
                ),
            });
        }
        out.push(d.clone());
    }
    Ok(())
}

/// An index whose entries are all other content than images (artifacts, signatures): say so
/// rather than judge platforms it never had.
fn no_image(source: &str, entries: &[Descriptor]) -> Result<()> {
    let other = |d: &Descriptor| {
        !d.media_type.is_empty()
            && !crate::manifest::media::ACCEPT.contains(&d.media_type.as_str())
            && !d.is_attestation()
    };
    if !entries.is_empty() && entries.iter().all(other) {
        let mut types: Vec<&str> = entries.iter().map(|d| d.media_type.as_str()).collect();
        types.sort();
        types.dedup();
        return Err(Error::Unsupported {
            input: source.to_string(),
            reason: format!(
                "the index lists no image, only other content (media type {})",
                types.join(", ")
            ),
        });
    }
    Ok(())
}

fn select_in(
    store: &mut dyn Store,
    a: &mut Analysis,
    idx: &Index,
    host: &Host,
    limits: &Limits,
) -> Result<Option<Descriptor>> {
    let mut entries = Vec::new();
    flatten(store, idx, limits, 0, &mut Default::default(), &mut entries)?;
    no_image(&a.source, &entries)?;
    let present: Vec<bool> = entries.iter().map(|d| store.has(d)).collect();
    let avail: Vec<Descriptor> = entries
        .iter()
        .zip(&present)
        .filter(|(_, p)| **p)
        .map(|(d, _)| d.clone())
        .collect();
    // Select over every entry, as containerd does: when the best match was not saved, that
    // is an error, never a fall back to another platform.
    let all = select(&entries, host);
    if let Some(best) = all.selected
        && !present[best]
    {
        let d = &entries[best];
        let p = d
            .platform
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_else(|| "the image".into());
        return Err(Error::Unsupported {
            input: a.source.clone(),
            reason: format!(
                "the best match for a {} host is {p} ({}), but its manifest is not in this source (only some platforms were saved); containerd does not fall back to another platform: save or pull it with --platform {p}",
                host.platform, d.digest
            ),
        });
    }
    let sel = select(&avail, host);
    let mut reports: Vec<EntryReport> = Vec::new();
    let mut selected = None;
    let mut it = sel.entries.into_iter();
    let mut k = 0usize;
    for (d, p) in entries.iter().zip(&present) {
        if *p {
            let r = it.next().expect("one report per available entry");
            if sel.selected == Some(k) {
                selected = Some(reports.len());
            }
            k += 1;
            reports.push(r);
        } else {
            reports.push(EntryReport {
                digest: d.digest.clone(),
                platform: d.platform.clone(),
                status: if d.is_attestation() {
                    EntryStatus::Attestation
                } else {
                    EntryStatus::Rejected
                },
                runs: d.platform.as_ref().map(|p| host.runs(p).runs),
                reason: "not present in this source (only some platforms were saved)".into(),
            });
        }
    }
    let chosen = selected.map(|i| entries[i].clone());
    a.selection = Some(Selection {
        selected,
        entries: reports,
    });
    Ok(chosen)
}

fn analyze_store(
    source: &str,
    store: &mut dyn Store,
    host: &Host,
    opts: &Options,
) -> Result<Analysis> {
    let limits = &opts.limits;
    let mut a = Analysis::new(source, host);
    let root = store.root(&limits.json)?;
    // A `docker save` manifest.json names layers by diff_id (the uncompressed tar's digest).
    let diff_ids = matches!(root, Root::Legacy { .. });
    let (digest, index_platform, manifest) = match root {
        Root::Doc(doc) => return from_document(a, doc, host, limits, store),
        Root::Legacy {
            config,
            layers,
            tags,
        } => {
            if !tags.is_empty() {
                a.notes
                    .push(format!("docker save archive of {}", tags.join(", ")));
                a.tags = tags.clone();
            }
            (
                config.digest.clone(),
                None,
                Manifest {
                    media_type: String::new(),
                    config,
                    layers,
                },
            )
        }
        Root::Index(idx) => match select_in(store, &mut a, &idx, host, limits)? {
            None => return Ok(a),
            Some(d) => {
                let m = parse_manifest(
                    &d.digest,
                    &need_json_blob(store, &d, limits, "manifest")?,
                    &limits.json,
                )?;
                (d.digest.clone(), d.platform.clone(), m)
            }
        },
        Root::Desc(d) => {
            no_image(source, std::slice::from_ref(&d))?;
            let bytes = need_json_blob(store, &d, limits, "manifest")?;
            if d.is_index() || looks_like_index(&bytes) {
                a.index_digest = Some(d.digest.clone());
                let idx = parse_index(&d.digest, &bytes, &limits.json)?;
                match select_in(store, &mut a, &idx, host, limits)? {
                    None => return Ok(a),
                    Some(e) => {
                        let m = parse_manifest(
                            &e.digest,
                            &need_json_blob(store, &e, limits, "manifest")?,
                            &limits.json,
                        )?;
                        (e.digest.clone(), e.platform.clone(), m)
                    }
                }
            } else {
                (
                    d.digest.clone(),
                    d.platform.clone(),
                    parse_manifest(&d.digest, &bytes, &limits.json)?,
                )
            }
        }
    };
    let cfg_bytes = need_json_blob(store, &manifest.config, limits, "config")?;
    let config = parse_config(&manifest.config.digest, &cfg_bytes, &limits.json)?;
    a.selected = Some(Selected {
        digest,
        platform: config.platform.clone(),
        index_platform,
    });
    read_content(store, &mut a, &manifest, &config, opts, diff_ids)?;
    a.config = Some(config);
    Ok(a)
}

fn looks_like_index(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .is_some_and(|v| v.get("manifests").is_some())
}

struct ProgressRead<'a, R> {
    inner: R,
    done: &'a AtomicU64,
    pending: u64,
    cb: &'a (dyn Fn(Progress) + Send + Sync),
}

impl<R: std::io::Read> std::io::Read for ProgressRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pending += n as u64;
        if self.pending >= 1 << 20 || n == 0 {
            let total = self.done.fetch_add(self.pending, Ordering::Relaxed) + self.pending;
            self.pending = 0;
            (self.cb)(Progress::Read(total));
        }
        Ok(n)
    }
}

/// Read one layer (through the progress counter when there is a callback).
fn read_one(
    blob: Box<dyn std::io::Read + '_>,
    l: &Descriptor,
    opts: &Options,
    budget: &layer::Budget,
    done: &AtomicU64,
    buf: &mut Vec<u8>,
    diff_id: bool,
) -> Result<layer::LayerRead> {
    match &opts.progress {
        Some(cb) => {
            let r = ProgressRead {
                inner: blob,
                done,
                pending: 0,
                cb: cb.as_ref(),
            };
            layer::read_layer(r, l, &opts.limits, budget, buf, diff_id)
        }
        None => layer::read_layer(blob, l, &opts.limits, budget, buf, diff_id),
    }
}

fn missing(l: &Descriptor) -> Error {
    Error::malformed(&l.digest, "layer blob is missing from the source")
}

/// Layers read at once by default: one per core (measured on 2 cores, 2, 3 and 4 layers of
/// gzip and the zstd and uncompressed variants: never slower than more readers, up to 19%
/// faster, since a reader's helper threads fill a core its layer leaves idle), and at most
/// this many (the memory held is per layer in flight).
const MAX_AUTO_LAYERS: usize = 4;

fn auto_layers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_AUTO_LAYERS)
}

fn read_content(
    store: &mut dyn Store,
    a: &mut Analysis,
    m: &Manifest,
    config: &ImageConfig,
    opts: &Options,
    diff_ids: bool,
) -> Result<()> {
    let limits = &opts.limits;
    let budget = layer::Budget::default();
    let total = m
        .layers
        .iter()
        .try_fold(0u64, |t, l| t.checked_add(l.size))
        .ok_or_else(|| {
            Error::malformed(
                &a.source,
                "the layer sizes the manifest declares add up to more than 2^64 bytes",
            )
        })?;
    let cb = opts.progress.clone();
    if let Some(cb) = &cb {
        cb(Progress::Start {
            layers: m.layers.len(),
            bytes: total,
        });
    }
    let done = AtomicU64::new(0);
    let n = m.layers.len();
    let threads = match opts.threads {
        0 => auto_layers(),
        t => t,
    }
    .min(n)
    .max(1);
    // Biggest layers first (by declared size), so no large layer starts last.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(m.layers[i].size));
    let opener = if threads > 1 { store.opener() } else { None };
    let results: Vec<Result<layer::LayerRead>> = match opener {
        // Layers are independent: read them on several threads, merge in layer order.
        Some(open) => {
            let next = AtomicUsize::new(0);
            let slots: Vec<Mutex<Option<Result<layer::LayerRead>>>> =
                (0..n).map(|_| Mutex::new(None)).collect();
            std::thread::scope(|sc| {
                for _ in 0..threads {
                    sc.spawn(|| {
                        let mut buf = Vec::new();
                        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let l = &m.layers[i];
                            if let Some(cb) = &cb {
                                cb(Progress::Layer {
                                    index: i,
                                    digest: l.digest.clone(),
                                });
                            }
                            let r = open(l).and_then(|b| {
                                let b = b.ok_or_else(|| missing(l))?;
                                read_one(b, l, opts, &budget, &done, &mut buf, diff_ids)
                            });
                            if let Ok(mut slot) = slots[i].lock() {
                                *slot = Some(r);
                            }
                        }
                    });
                }
            });
            slots
                .into_iter()
                .map(|s| {
                    s.into_inner().ok().flatten().unwrap_or_else(|| {
                        Err(Error::malformed(&a.source, "a layer reader thread failed"))
                    })
                })
                .collect()
        }
        None => {
            let mut buf = Vec::new();
            let mut out = Vec::with_capacity(n);
            for (i, l) in m.layers.iter().enumerate() {
                if let Some(cb) = &cb {
                    cb(Progress::Layer {
                        index: i,
                        digest: l.digest.clone(),
                    });
                }
                let blob = store.open(l)?.ok_or_else(|| missing(l))?;
                let r = read_one(blob, l, opts, &budget, &done, &mut buf, diff_ids)?;
                out.push(Ok(r));
            }
            out
        }
    };
    let mut fs = fs::FsView::new();
    for (i, r) in results.into_iter().enumerate() {
        let r = r?;
        fs.apply_layer(i, r.ops);
        a.layers.push(r.summary);
    }
    if let Some(cb) = &cb {
        cb(Progress::Done);
    }
    a.content_read = true;
    let layer_digests: Vec<String> = m.layers.iter().map(|l| l.digest.clone()).collect();
    let ep = entrypoint::command(config);
    a.entrypoint = Some(entrypoint::resolve(
        ep,
        &fs,
        limits.max_link_hops,
        &layer_digests,
    ));
    a.binaries = summarize(&fs, &config.platform, &layer_digests);
    Ok(())
}

fn summarize(fs: &fs::FsView, declared: &Platform, layers: &[String]) -> BinarySummary {
    let mut s = BinarySummary::default();
    let declared_arch = declared.normalize().architecture;
    for (path, node) in fs.iter() {
        let fs::NodeKind::File {
            info: Some(info), ..
        } = &node.kind
        else {
            continue;
        };
        s.scanned += 1;
        let key = match info.platform() {
            Some(p) => p.to_string(),
            None => info.format().to_string(),
        };
        *s.by_platform.entry(key.clone()).or_default() += 1;
        if let Some(p) = info.platform()
            && p.normalize().architecture != declared_arch
            && s.foreign.len() < 20
        {
            s.foreign.push(FileRef {
                path: format!("/{path}"),
                layer: layers.get(node.layer).cloned(),
                platform: key,
            });
        }
    }
    s
}

fn from_document(
    mut a: Analysis,
    doc: Document,
    host: &Host,
    limits: &Limits,
    store: &mut dyn Store,
) -> Result<Analysis> {
    match doc {
        Document::Index(idx) => {
            // Selection only; a JSON file has no blobs, so every entry counts as available.
            let mut entries = Vec::new();
            flatten(
                store,
                &idx,
                limits,
                0,
                &mut Default::default(),
                &mut entries,
            )?;
            no_image(&a.source, &entries)?;
            let sel = select(&entries, host);
            if let Some(i) = sel.selected {
                let d = &entries[i];
                let Some(p) = d.platform.clone() else {
                    // Its platform is in a blob this file does not hold: say so, never guess.
                    return Err(Error::Unsupported {
                        input: a.source.clone(),
                        reason: format!(
                            "the platforms cannot be known from this index alone: entry {} ({}) declares no platform, and only its {} (not in this file) would tell; pass the OCI layout, archive or registry reference instead",
                            d.digest,
                            if d.media_type.is_empty() {
                                "no media type"
                            } else {
                                d.media_type.as_str()
                            },
                            if d.is_index() {
                                "nested index"
                            } else {
                                "manifest and config"
                            },
                        ),
                    });
                };
                a.selected = Some(Selected {
                    digest: d.digest.clone(),
                    platform: p.clone(),
                    index_platform: Some(p),
                });
            }
            a.selection = Some(sel);
            a.notes
                .push("an index alone: selection only, no layer content was read".into());
        }
        Document::Manifest(m) => {
            return Err(Error::Unsupported {
                input: a.source.clone(),
                reason: format!(
                    "an image manifest alone states no platform (its config {} does, and it is not in this file); pass the config, the index, or the whole image",
                    m.config.digest
                ),
            });
        }
        Document::Config(c) => {
            a.selected = Some(Selected {
                digest: String::new(),
                platform: c.platform.clone(),
                index_platform: None,
            });
            a.entrypoint = Some(entrypoint::command(&c));
            a.config = Some(c);
            a.notes.push(
                "an image config alone: declared platform only, no layer content was read".into(),
            );
        }
        Document::Inspect(s) => {
            a.selected = Some(Selected {
                digest: s.digest.clone().unwrap_or_default(),
                platform: s.config.platform.clone(),
                index_platform: None,
            });
            a.entrypoint = Some(entrypoint::command(&s.config));
            a.config = Some(s.config);
            a.notes.push(format!(
                "{} output: declared platform only, no layer content was read",
                s.tool
            ));
        }
    }
    Ok(a)
}

// The tests of this module against real files and corpora (`tests/`).
#[cfg(test)]
mod tests {
    #[path = "../../../tests/image_support/mod.rs"]
    mod image_support;
    mod unpack;
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn module_example() {
        use crate::image::{Options, analyze};
        use crate::{Host, Platform};
        let host = Host::from_platform("linux/arm64".parse::<Platform>().unwrap());
        let a = analyze(
            "oci:../examples/hello-multiarch:latest",
            &host,
            &Options::default(),
        )
        .unwrap();
        assert_eq!(a.selected.unwrap().platform.architecture, "arm64");
        assert_eq!(a.binaries.by_platform.get("linux/arm64"), Some(&1));
    }
}
