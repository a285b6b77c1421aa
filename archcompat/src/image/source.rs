//! Where an image comes from: an OCI layout directory (`oci:DIR[:TAG]` or a bare directory),
//! an OCI archive or a `docker save` archive (the legacy layout with `manifest.json` and
//! `<id>/layer.tar`, skopeo's `<digest>.tar` variant, and Docker 25+'s OCI layout plus
//! `manifest.json`), a single JSON document, or a registry reference (`docker://…`, with the
//! `registry` feature). Every source hands out blobs by descriptor; a blob that is absent
//! (a platform not saved locally) is `None`, not an error.

use crate::manifest::{Descriptor, Document, Index, JsonLimits, parse_document, parse_index};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A parsed SOURCE argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SourceSpec {
    /// An OCI layout directory, optionally with a tag (`org.opencontainers.image.ref.name`).
    OciDir {
        /// The directory.
        path: PathBuf,
        /// The tag, if given.
        tag: Option<String>,
    },
    /// A tarball: OCI archive or `docker save` output.
    Archive {
        /// The file.
        path: PathBuf,
        /// The tag, if given.
        tag: Option<String>,
    },
    /// A single JSON document (index, manifest, config, inspect output).
    Json {
        /// The file.
        path: PathBuf,
    },
    /// A registry reference, without the `docker://` prefix.
    Registry {
        /// `HOST/REPO:TAG` or `HOST/REPO@sha256:…`.
        reference: String,
    },
}

/// Open `p` for reading only if it is a regular file (after following links): a FIFO, socket
/// or device is refused without blocking (it is opened non-blocking, then checked).
#[cfg(unix)]
pub(crate) fn open_regular(p: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(p)?;
    let t = f.metadata()?.file_type();
    if !t.is_file() {
        use std::os::unix::fs::FileTypeExt;
        let what = if t.is_fifo() {
            "a FIFO"
        } else if t.is_dir() {
            "a directory"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else if t.is_socket() {
            "a socket"
        } else {
            "a special file"
        };
        return Err(not_regular(what));
    }
    Ok(f)
}

/// Open `p` for reading only if it is a regular file. Without Unix there is no FIFO to wait
/// on; on `wasm32-unknown-unknown` the standard library answers every open with
/// `Unsupported`, which the caller reports with the path.
#[cfg(not(unix))]
pub(crate) fn open_regular(p: &Path) -> std::io::Result<File> {
    let f = File::open(p)?;
    let t = f.metadata()?.file_type();
    if !t.is_file() {
        return Err(not_regular(if t.is_dir() {
            "a directory"
        } else {
            "a special file"
        }));
    }
    Ok(f)
}

fn not_regular(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{what}, not a regular file (only regular files are read)"),
    )
}

fn split_tag(rest: &str) -> (PathBuf, Option<String>) {
    // `PATH:TAG`, unless the whole thing exists as a path. The tag may itself hold `:` and `/`
    // (`app.tar:ghcr.io/acme/app:1.0`): the path is the shortest prefix before a `:` that
    // exists.
    if Path::new(rest).exists() {
        return (PathBuf::from(rest), None);
    }
    for (i, _) in rest.match_indices(':') {
        let p = &rest[..i];
        if !p.is_empty() && Path::new(p).exists() {
            return (PathBuf::from(p), Some(rest[i + 1..].to_string()));
        }
    }
    match rest.split_once(':') {
        Some((p, t)) if !p.is_empty() && !t.is_empty() => (PathBuf::from(p), Some(t.to_string())),
        _ => (PathBuf::from(rest), None),
    }
}

/// Whether the tag a user typed names `reference` (a `docker save` RepoTag or a containerd
/// image name): the whole reference, a suffix of it at a `/` (`acme/app:1.0` for
/// `ghcr.io/acme/app:1.0`), a bare tag (`1.0`), or a repository alone meaning `:latest`.
pub(crate) fn tag_matches(typed: &str, reference: &str) -> bool {
    let full = |t: &str| reference == t || reference.ends_with(&format!("/{t}"));
    if full(typed) {
        return true;
    }
    let last = typed.rsplit('/').next().unwrap_or(typed);
    if !last.contains(':') && !typed.contains('@') {
        if !typed.contains('/') && reference.ends_with(&format!(":{typed}")) {
            return true;
        }
        return full(&format!("{typed}:latest"));
    }
    false
}

impl SourceSpec {
    /// Parse what the user typed.
    ///
    /// (Example: the test `doc_examples::parse_example` in this file.)
    pub fn parse(s: &str) -> Result<SourceSpec> {
        if let Some(r) = s.strip_prefix("docker://") {
            if r.is_empty() {
                return Err(Error::malformed(s, "empty registry reference"));
            }
            return Ok(SourceSpec::Registry {
                reference: r.to_string(),
            });
        }
        if let Some(rest) = s.strip_prefix("oci:") {
            let (path, tag) = split_tag(rest);
            return Ok(SourceSpec::OciDir { path, tag });
        }
        for p in ["oci-archive:", "docker-archive:"] {
            if let Some(rest) = s.strip_prefix(p) {
                let (path, tag) = split_tag(rest);
                return Ok(SourceSpec::Archive { path, tag });
            }
        }
        let path = PathBuf::from(s);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            // `FILE.tar:TAG` or `DIR:TAG` without a prefix.
            Err(e) => match split_tag(s) {
                (p, Some(tag)) if p.exists() => {
                    return match SourceSpec::parse(&p.display().to_string())? {
                        SourceSpec::OciDir { path, .. } => Ok(SourceSpec::OciDir {
                            path,
                            tag: Some(tag),
                        }),
                        SourceSpec::Archive { path, .. } => Ok(SourceSpec::Archive {
                            path,
                            tag: Some(tag),
                        }),
                        _ => Err(Error::malformed(
                            s,
                            format!("{} is a JSON document: it has no tags", p.display()),
                        )),
                    };
                }
                _ => return Err(Error::io(&path, e)),
            },
        };
        if meta.is_dir() {
            return Ok(SourceSpec::OciDir { path, tag: None });
        }
        let mut head = [0u8; 512];
        let mut f = open_regular(&path).map_err(|e| Error::io(&path, e))?;
        let n = crate::binary::read_full(&mut f, &mut head).map_err(|e| Error::io(&path, e))?;
        let first = head[..n].iter().find(|b| !b.is_ascii_whitespace());
        if matches!(first, Some(b'{') | Some(b'[')) {
            return Ok(SourceSpec::Json { path });
        }
        if is_tar_head(&head[..n]) {
            return Ok(SourceSpec::Archive { path, tag: None });
        }
        if head.starts_with(&[0x1f, 0x8b]) {
            return Err(Error::Unsupported {
                input: s.to_string(),
                reason:
                    "a gzip-compressed archive; decompress it first (`gunzip`), then pass the .tar"
                        .into(),
            });
        }
        Err(Error::malformed(
            s,
            "not an OCI layout directory, a tar archive, a JSON document or a docker:// reference",
        ))
    }
}

/// Whether `head` (the first 512 bytes of a file, or all of a shorter one) starts a tar
/// archive: a `docker save` or OCI archive to judge as an image, rather than a file to
/// classify.
///
/// ```
/// use archcompat::is_tar_head;
/// let mut h = [0u8; 512];
/// h[257..262].copy_from_slice(b"ustar");
/// assert!(is_tar_head(&h));
/// assert!(!is_tar_head(b"\x7fELF"));
/// ```
pub fn is_tar_head(head: &[u8]) -> bool {
    head.len() >= 512 && (&head[257..262] == b"ustar" || head[156].is_ascii_digit())
}

/// Where analysis starts in a source.
#[derive(Debug, Clone)]
pub(crate) enum Root {
    /// A manifest or index blob, by descriptor.
    Desc(Descriptor),
    /// An index given inline (an `index.json` with several untagged entries).
    Index(Index),
    /// A legacy `docker save` image: config and layers by descriptor.
    Legacy {
        config: Descriptor,
        layers: Vec<Descriptor>,
        tags: Vec<String>,
    },
    /// A single JSON document.
    Doc(Document),
}

/// A place blobs come from.
pub(crate) trait Store {
    /// Open a blob, or `None` when it is not in this source.
    fn open(&mut self, d: &Descriptor) -> Result<Option<Box<dyn Read + '_>>>;
    /// Whether a blob is present.
    fn has(&mut self, d: &Descriptor) -> bool;
    /// Where to start.
    fn root(&mut self, limits: &JsonLimits) -> Result<Root>;
    /// An independent blob opener for parallel layer reads, when the source allows it.
    fn opener(&self) -> Option<Opener> {
        None
    }
}

/// Opens blobs from any thread.
pub(crate) type Opener =
    Arc<dyn Fn(&Descriptor) -> Result<Option<Box<dyn Read + Send>>> + Send + Sync>;

const REF_NAME: &str = "org.opencontainers.image.ref.name";

fn pick_from_index_json(input: &str, idx: Index, tag: Option<&str>) -> Result<Root> {
    if let Some(tag) = tag {
        let exact: Vec<&Descriptor> = idx
            .manifests
            .iter()
            .filter(|d| d.annotations.get(REF_NAME).is_some_and(|r| r == tag))
            .collect();
        let found: Vec<&Descriptor> = if exact.is_empty() {
            idx.manifests
                .iter()
                .filter(|d| {
                    d.annotations
                        .get("io.containerd.image.name")
                        .is_some_and(|n| tag_matches(tag, n))
                })
                .collect()
        } else {
            exact
        };
        let mut digests: Vec<&str> = found.iter().map(|d| d.digest.as_str()).collect();
        digests.sort();
        digests.dedup();
        if digests.len() > 1 {
            return Err(Error::Unsupported {
                input: input.to_string(),
                reason: format!(
                    "{tag:?} names {} different images in this layout; give the full name",
                    digests.len()
                ),
            });
        }
        return match found.first() {
            Some(d) => Ok(Root::Desc((*d).clone())),
            None => Err(Error::malformed(
                input,
                format!("no image tagged {tag:?} (tags: {})", tags(&idx).join(", ")),
            )),
        };
    }
    if idx.manifests.len() == 1 {
        return Ok(Root::Desc(idx.manifests[0].clone()));
    }
    let t = tags(&idx);
    let mut uniq = t.clone();
    uniq.sort();
    uniq.dedup();
    if uniq.len() > 1 {
        return Err(Error::Unsupported {
            input: input.to_string(),
            reason: format!(
                "several images in this layout; choose one with :TAG ({})",
                t.join(", ")
            ),
        });
    }
    if idx.manifests.is_empty() {
        return Err(Error::malformed(input, "index.json lists no image"));
    }
    Ok(Root::Index(idx))
}

fn tags(idx: &Index) -> Vec<String> {
    idx.manifests
        .iter()
        .filter_map(|d| d.annotations.get(REF_NAME).cloned())
        .collect()
}

/// An OCI layout directory.
pub(crate) struct OciDir {
    pub path: PathBuf,
    pub tag: Option<String>,
}

impl OciDir {
    fn blob_path(&self, d: &Descriptor) -> Option<PathBuf> {
        let hex = d.sha256_hex()?;
        Some(self.path.join("blobs").join("sha256").join(hex))
    }
}

impl Store for OciDir {
    fn open(&mut self, d: &Descriptor) -> Result<Option<Box<dyn Read + '_>>> {
        let Some(p) = self.blob_path(d) else {
            return Err(Error::malformed(
                &d.digest,
                "unsupported digest (only sha256 is read)",
            ));
        };
        match open_regular(&p) {
            Ok(f) => Ok(Some(Box::new(f.take(bound(d))))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(p, e)),
        }
    }
    fn has(&mut self, d: &Descriptor) -> bool {
        self.blob_path(d).is_some_and(|p| p.is_file())
    }
    fn opener(&self) -> Option<Opener> {
        let root = self.path.clone();
        Some(Arc::new(move |d: &Descriptor| {
            let dir = OciDir {
                path: root.clone(),
                tag: None,
            };
            let Some(p) = dir.blob_path(d) else {
                return Err(Error::malformed(
                    &d.digest,
                    "unsupported digest (only sha256 is read)",
                ));
            };
            match open_regular(&p) {
                Ok(f) => Ok(Some(Box::new(f.take(bound(d))) as Box<dyn Read + Send>)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(Error::io(p, e)),
            }
        }))
    }
    fn root(&mut self, limits: &JsonLimits) -> Result<Root> {
        let p = self.path.join("index.json");
        let input = p.display().to_string();
        let bytes = read_limited(&p, limits.max_bytes)?;
        let idx = parse_index(&input, &bytes, limits)?;
        pick_from_index_json(&input, idx, self.tag.as_deref())
    }
}

/// How much of a blob is read: one byte past its declared size, so a longer blob is caught as
/// a size mismatch without reading it all (size 0: not declared, bounded by the other limits).
fn bound(d: &Descriptor) -> u64 {
    if d.size == 0 {
        u64::MAX
    } else {
        d.size.saturating_add(1)
    }
}

fn read_limited(p: &Path, max: u64) -> Result<Vec<u8>> {
    let f = open_regular(p).map_err(|e| Error::io(p, e))?;
    let mut v = Vec::new();
    f.take(max + 1)
        .read_to_end(&mut v)
        .map_err(|e| Error::io(p, e))?;
    if v.len() as u64 > max {
        return Err(Error::LimitExceeded {
            input: p.display().to_string(),
            reason: format!("JSON document larger than {max} bytes (raise --max-json-bytes)"),
        });
    }
    Ok(v)
}

/// A seekable byte source an archive is read from: a file, or any other `Read + Seek` (the
/// web page reads a dropped file through one, a slice at a time).
pub trait ArchiveReader: Read + Seek {}
impl<T: Read + Seek> ArchiveReader for T {}

/// A tar archive: OCI archive, or `docker save` output in any of its layouts.
pub(crate) struct Archive {
    /// The name messages use (the path, or the name a reader was given).
    path: PathBuf,
    tag: Option<String>,
    file: Box<dyn ArchiveReader>,
    /// The file to open again for parallel layer reads (`None` for a reader handed in).
    reopen: Option<PathBuf>,
    /// member path (normalised) -> (offset of data, size)
    members: HashMap<String, (u64, u64)>,
    /// digest -> member path, for legacy layouts
    by_digest: HashMap<String, String>,
}

/// Most tar members an archive may have before we refuse it.
const MAX_ARCHIVE_MEMBERS: usize = 1_000_000;

impl Archive {
    pub(crate) fn open(path: &Path, tag: Option<String>) -> Result<Archive> {
        let file = open_regular(path).map_err(|e| Error::io(path, e))?;
        let mut a = Archive::from_reader(Box::new(file), path, tag)?;
        a.reopen = Some(path.to_path_buf());
        Ok(a)
    }

    /// Index the members of the tar archive `file` (named `name` in messages), seeking over
    /// their data: only the 512-byte headers are read.
    pub(crate) fn from_reader(
        mut file: Box<dyn ArchiveReader>,
        name: &Path,
        tag: Option<String>,
    ) -> Result<Archive> {
        let path = name;
        let mut members: HashMap<String, (u64, u64)> = HashMap::new();
        // Members stored as links to other members (`docker save` writes a layer shared by
        // two saved images once, and the second as a symlink to it).
        let mut links: HashMap<String, String> = HashMap::new();
        {
            file.seek(SeekFrom::Start(0))
                .map_err(|e| Error::io(path, e))?;
            let mut ar =
                super::tar::TarReader::new(super::tar::Seeking(&mut file), 64 << 10, 1 << 20);
            let input = path.display().to_string();
            let bad = |e: std::io::Error| {
                if let Some(t) = e
                    .get_ref()
                    .and_then(|i| i.downcast_ref::<super::tar::LimitHit>())
                {
                    return Error::LimitExceeded {
                        input: input.clone(),
                        reason: t.0.clone(),
                    };
                }
                Error::malformed(&input, format!("not a readable tar archive: {e}"))
            };
            while let Some(h) = ar.next_member().map_err(bad)? {
                let name = super::fs::normalize(&h.path);
                match h.kind {
                    super::tar::Kind::Regular => {
                        members.insert(name, (h.data_pos, h.size));
                    }
                    super::tar::Kind::Symlink => {
                        let dir = name.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                        let target = if h.link.starts_with('/') {
                            super::fs::normalize(&h.link)
                        } else {
                            super::fs::normalize(&format!("{dir}/{}", h.link))
                        };
                        links.insert(name, target);
                    }
                    super::tar::Kind::Hardlink => {
                        links.insert(name, super::fs::normalize(&h.link));
                    }
                    _ => {}
                }
                if members.len() + links.len() > MAX_ARCHIVE_MEMBERS {
                    return Err(Error::LimitExceeded {
                        input: path.display().to_string(),
                        reason: format!("more than {MAX_ARCHIVE_MEMBERS} members"),
                    });
                }
            }
        }
        for (name, first) in &links {
            let mut t = first;
            for _ in 0..40 {
                if let Some(m) = members.get(t) {
                    let m = *m;
                    members.entry(name.clone()).or_insert(m);
                    break;
                }
                match links.get(t) {
                    Some(next) => t = next,
                    None => break,
                }
            }
        }
        Ok(Archive {
            path: path.to_path_buf(),
            tag,
            file,
            reopen: None,
            members,
            by_digest: HashMap::new(),
        })
    }

    fn member(&self, d: &Descriptor) -> Option<String> {
        if let Some(p) = self.by_digest.get(&d.digest) {
            return Some(p.clone());
        }
        let p = format!("blobs/sha256/{}", d.sha256_hex()?);
        self.members.contains_key(&p).then_some(p)
    }

    fn read_member(&mut self, name: &str, max: u64) -> Result<Vec<u8>> {
        let input = format!("{}:{name}", self.path.display());
        let &(off, size) = self
            .members
            .get(name)
            .ok_or_else(|| Error::malformed(&input, "member missing from the archive"))?;
        if size > max {
            return Err(Error::LimitExceeded {
                input,
                reason: format!(
                    "JSON document is {size} bytes, the limit is {max} (raise --max-json-bytes)"
                ),
            });
        }
        self.file
            .seek(SeekFrom::Start(off))
            .map_err(|e| Error::io(&self.path, e))?;
        let mut v = Vec::with_capacity(size as usize);
        (&mut self.file)
            .take(size)
            .read_to_end(&mut v)
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(v)
    }

    fn legacy_root(&mut self, limits: &JsonLimits) -> Result<Root> {
        let input = format!("{}:manifest.json", self.path.display());
        let bytes = self.read_member("manifest.json", limits.max_bytes)?;
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Entry {
            config: String,
            #[serde(default)]
            repo_tags: Option<Vec<String>>,
            #[serde(default)]
            layers: Option<Vec<String>>,
        }
        crate::manifest::parse_json(&input, &bytes, limits)?;
        let entries: Vec<Entry> = serde_json::from_slice(&bytes).map_err(|e| {
            Error::malformed(&input, format!("not a docker save manifest.json: {e}"))
        })?;
        let pick = match &self.tag {
            Some(t) => {
                let hits: Vec<usize> = (0..entries.len())
                    .filter(|&i| {
                        entries[i]
                            .repo_tags
                            .iter()
                            .flatten()
                            .any(|r| tag_matches(t, r))
                    })
                    .collect();
                if hits.len() > 1 {
                    return Err(Error::Unsupported {
                        input,
                        reason: format!(
                            "{t:?} names {} images in this archive; give the full name ({})",
                            hits.len(),
                            hits.iter()
                                .flat_map(|&i| entries[i].repo_tags.iter().flatten())
                                .filter(|r| tag_matches(t, r))
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
                if hits.is_empty() {
                    return Err(Error::malformed(
                        input,
                        format!(
                            "no image tagged {t:?} (tags: {})",
                            entries
                                .iter()
                                .flat_map(|e| e.repo_tags.iter().flatten())
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                hits.first().copied()
            }
            None if entries.len() == 1 => Some(0),
            None if entries.is_empty() => None,
            None => {
                return Err(Error::Unsupported {
                    input,
                    reason: format!(
                        "{} images in this archive; choose one with :TAG ({})",
                        entries.len(),
                        entries
                            .iter()
                            .flat_map(|e| e.repo_tags.iter().flatten())
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        };
        let e = pick
            .map(|i| &entries[i])
            .ok_or_else(|| Error::malformed(&input, "no matching image in manifest.json"))?;
        let cfg_name = super::fs::normalize(&e.config);
        let cfg_bytes = self.read_member(&cfg_name, limits.max_bytes)?;
        let cfg_digest = {
            use sha2::Digest;
            format!("sha256:{:x}", sha2::Sha256::digest(&cfg_bytes))
        };
        let cfg = crate::manifest::parse_config(
            &format!("{}:{cfg_name}", self.path.display()),
            &cfg_bytes,
            limits,
        )?;
        self.by_digest.insert(cfg_digest.clone(), cfg_name.clone());
        let mut layers = Vec::new();
        for (i, l) in e.layers.iter().flatten().enumerate() {
            let name = super::fs::normalize(l);
            let size = self.members.get(&name).map(|m| m.1).unwrap_or(0);
            // Layers are named by diff_id (the uncompressed tar), however they are stored.
            let digest = match (cfg.diff_ids.get(i), name.strip_prefix("blobs/sha256/")) {
                (Some(d), _) => d.clone(),
                (None, Some(hex)) => format!("sha256:{hex}"),
                (None, None) => {
                    return Err(Error::malformed(
                        &input,
                        format!("layer {name} has no diff_id in the config"),
                    ));
                }
            };
            self.by_digest.insert(digest.clone(), name);
            layers.push(Descriptor {
                media_type: "application/vnd.docker.image.rootfs.diff.tar".into(),
                digest,
                size,
                platform: None,
                annotations: Default::default(),
                artifact_type: None,
            });
        }
        Ok(Root::Legacy {
            config: Descriptor {
                media_type: "application/vnd.docker.container.image.v1+json".into(),
                digest: cfg_digest,
                size: cfg_bytes.len() as u64,
                platform: None,
                annotations: Default::default(),
                artifact_type: None,
            },
            layers,
            tags: e.repo_tags.clone().unwrap_or_default(),
        })
    }
}

impl Store for Archive {
    fn open(&mut self, d: &Descriptor) -> Result<Option<Box<dyn Read + '_>>> {
        let Some(&(off, size)) = self.member(d).and_then(|n| self.members.get(&n)) else {
            return Ok(None);
        };
        self.file
            .seek(SeekFrom::Start(off))
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(Some(Box::new((&mut self.file).take(size))))
    }
    fn has(&mut self, d: &Descriptor) -> bool {
        self.member(d)
            .is_some_and(|n| self.members.contains_key(&n))
    }
    fn opener(&self) -> Option<Opener> {
        let path = self.reopen.clone()?;
        let mut map: HashMap<String, (u64, u64)> = HashMap::new();
        for (digest, name) in &self.by_digest {
            if let Some(m) = self.members.get(name) {
                map.insert(digest.clone(), *m);
            }
        }
        for (name, m) in &self.members {
            if let Some(hex) = name.strip_prefix("blobs/sha256/") {
                map.entry(format!("sha256:{hex}")).or_insert(*m);
            }
        }
        Some(Arc::new(move |d: &Descriptor| {
            let Some(&(off, size)) = map.get(&d.digest) else {
                return Ok(None);
            };
            let mut f = open_regular(&path).map_err(|e| Error::io(&path, e))?;
            f.seek(SeekFrom::Start(off))
                .map_err(|e| Error::io(&path, e))?;
            Ok(Some(Box::new(f.take(size)) as Box<dyn Read + Send>))
        }))
    }
    fn root(&mut self, limits: &JsonLimits) -> Result<Root> {
        if self.members.contains_key("index.json") {
            let input = format!("{}:index.json", self.path.display());
            let bytes = self.read_member("index.json", limits.max_bytes)?;
            let idx = parse_index(&input, &bytes, limits)?;
            // Docker 25+ archives carry both; prefer the OCI side unless it names nothing here.
            let usable = idx.manifests.iter().any(|d| self.has(d));
            if usable || !self.members.contains_key("manifest.json") {
                return pick_from_index_json(&input, idx, self.tag.as_deref());
            }
        }
        if self.members.contains_key("manifest.json") {
            return self.legacy_root(limits);
        }
        Err(Error::malformed(
            self.path.display().to_string(),
            "tar archive has neither index.json (OCI) nor manifest.json (docker save)",
        ))
    }
}

/// A single JSON document.
pub(crate) struct JsonFile {
    pub path: PathBuf,
}

impl Store for JsonFile {
    fn open(&mut self, _d: &Descriptor) -> Result<Option<Box<dyn Read + '_>>> {
        Ok(None)
    }
    fn has(&mut self, _d: &Descriptor) -> bool {
        false
    }
    fn root(&mut self, limits: &JsonLimits) -> Result<Root> {
        let bytes = read_limited(&self.path, limits.max_bytes)?;
        parse_document(&self.path.display().to_string(), &bytes, limits).map(Root::Doc)
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn parse_example() {
        use crate::image::SourceSpec;
        let s = SourceSpec::parse("docker://127.0.0.1:5000/demo/busybox:multi").unwrap();
        assert!(matches!(s, SourceSpec::Registry { .. }));
        assert!(SourceSpec::parse("/definitely/not/here").is_err());
    }
}
