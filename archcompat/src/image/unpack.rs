//! Unpacking one image's merged root filesystem onto disk, for running it (`image --verify`).
//! Owns: finding the selected manifest again in the source, streaming its layers in order
//! (digest and size verified, gzip/zstd/plain), applying OCI whiteouts (`.wh.NAME`, opaque
//! `.wh..wh..opq`) and writing regular files, directories, symbolic and hard links into a
//! private temporary directory that is removed when the [`Rootfs`] is dropped. Every path is
//! resolved inside that directory (symbolic links included), so no member can write outside
//! it; the image limits (bytes, entries) bound what is written. Device nodes and FIFOs are
//! skipped (the sandbox provides `/dev`).

use super::layer::DigestReader;
use super::source::{self, Root, Store};
use super::{Limits, Options, SourceSpec, flatten, need_json_blob};
use crate::manifest::{Descriptor, Manifest, parse_index, parse_manifest};
use crate::{Error, Result};
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A root filesystem unpacked into a private temporary directory; removed on drop.
#[derive(Debug)]
pub struct Rootfs {
    dir: PathBuf,
    root: PathBuf,
    /// Bytes written (regular files).
    pub bytes: u64,
    /// Tar members applied.
    pub entries: u64,
}

impl Rootfs {
    /// The root directory (the image's `/`).
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The private directory holding the root (and room for the sandbox's own files); the
    /// tests check it is removed on drop.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn private_dir(&self) -> &Path {
        &self.dir
    }

    /// Where the absolute image path `path` is on disk, links followed inside the root.
    pub fn resolve(&self, path: &str) -> Option<PathBuf> {
        resolve_parent(&self.root, &components(path)?, 40)
    }

    /// Whether the absolute image path `path` exists (links followed inside the root).
    pub fn exists(&self, path: &str) -> bool {
        self.resolve(path)
            .is_some_and(|p| std::fs::symlink_metadata(p).is_ok())
    }
}

impl Drop for Rootfs {
    fn drop(&mut self) {
        make_removable(&self.dir);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Directories unpacked without write permission would stop their own removal.
fn make_removable(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        if let Ok(ft) = e.file_type()
            && ft.is_dir()
        {
            let p = e.path();
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700));
            make_removable(&p);
        }
    }
}

fn private_tempdir() -> Result<PathBuf> {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    for i in 0..100u32 {
        let p = base.join(format!(
            "archcompat-rootfs-{}-{nanos:x}-{i}",
            std::process::id()
        ));
        let mut b = std::fs::DirBuilder::new();
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        match b.create(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&p, e)),
        }
    }
    Err(Error::malformed(
        base.display().to_string(),
        "cannot create a private temporary directory",
    ))
}

fn open_store(source: &str, opts: &Options) -> Result<Box<dyn Store>> {
    let spec = SourceSpec::parse(source)?;
    Ok(match spec {
        SourceSpec::OciDir { path, tag } => {
            if !path.join("index.json").is_file() {
                return Err(Error::malformed(
                    path.display().to_string(),
                    "not an OCI layout directory (no index.json)",
                ));
            }
            Box::new(source::OciDir { path, tag })
        }
        SourceSpec::Archive { path, tag } => Box::new(source::Archive::open(&path, tag)?),
        SourceSpec::Json { .. } => {
            return Err(Error::Unsupported {
                input: source.to_string(),
                reason: "a JSON document has no layers to unpack and run".into(),
            });
        }
        #[cfg(feature = "registry")]
        SourceSpec::Registry { reference } => {
            Box::new(super::registry::Registry::open(&reference, opts)?)
        }
        #[cfg(not(feature = "registry"))]
        SourceSpec::Registry { .. } => {
            let _ = opts;
            return Err(Error::Unsupported {
                input: source.to_string(),
                reason: "this build has no registry support (enable the `registry` feature)".into(),
            });
        }
    })
}

/// Find the manifest `digest` (as selected by [`super::analyze`]) in the source.
fn find_manifest(store: &mut dyn Store, digest: &str, limits: &Limits) -> Result<Manifest> {
    let in_index = |store: &mut dyn Store, idx: &crate::manifest::Index| -> Result<Manifest> {
        let mut entries = Vec::new();
        flatten(store, idx, limits, 0, &mut Default::default(), &mut entries)?;
        let d = entries
            .iter()
            .find(|d| d.digest == digest)
            .ok_or_else(|| Error::malformed(digest, "the selected manifest is not in the index"))?
            .clone();
        parse_manifest(
            &d.digest,
            &need_json_blob(store, &d, limits, "manifest")?,
            &limits.json,
        )
    };
    match store.root(&limits.json)? {
        Root::Legacy { config, layers, .. } => Ok(Manifest {
            media_type: String::new(),
            config,
            layers,
        }),
        Root::Index(idx) => in_index(store, &idx),
        Root::Desc(d) => {
            let bytes = need_json_blob(store, &d, limits, "manifest")?;
            if d.digest == digest {
                parse_manifest(&d.digest, &bytes, &limits.json)
            } else {
                let idx = parse_index(&d.digest, &bytes, &limits.json)?;
                in_index(store, &idx)
            }
        }
        Root::Doc(_) => Err(Error::Unsupported {
            input: digest.to_string(),
            reason: "the source is a JSON document without layers".into(),
        }),
    }
}

/// Unpack the merged root filesystem of the manifest `digest` of `source` (the digest that
/// [`super::analyze`] selected) into a private temporary directory.
pub fn unpack(source: &str, digest: &str, opts: &Options) -> Result<Rootfs> {
    let mut store = open_store(source, opts)?;
    let m = find_manifest(store.as_mut(), digest, &opts.limits)?;
    let dir = private_tempdir()?;
    let root = dir.join("rootfs");
    let mut fs = Rootfs {
        dir,
        root,
        bytes: 0,
        entries: 0,
    };
    std::fs::create_dir(&fs.root).map_err(|e| Error::io(&fs.root, e))?;
    for l in &m.layers {
        let blob = store
            .open(l)?
            .ok_or_else(|| Error::malformed(&l.digest, "layer blob is missing from the source"))?;
        apply_layer(blob, l, &opts.limits, &mut fs)?;
    }
    Ok(fs)
}

fn err(blob: &str, e: impl std::fmt::Display) -> Error {
    Error::malformed(blob, format!("cannot unpack layer: {e}"))
}

fn apply_layer(blob: impl Read, d: &Descriptor, limits: &Limits, fs: &mut Rootfs) -> Result<()> {
    let name = d.digest.as_str();
    let mut raw = DigestReader::with_thread(blob, true);
    {
        let mut br = BufReader::with_capacity(64 << 10, &mut raw);
        let head = br.fill_buf().map_err(|e| err(name, e))?;
        let decoded: Box<dyn Read + '_> = if head.starts_with(&[0x1f, 0x8b]) {
            Box::new(flate2::bufread::MultiGzDecoder::new(br))
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Box::new(
                ruzstd::decoding::StreamingDecoder::new(br)
                    .map_err(|e| Error::malformed(name, format!("bad zstd stream: {e}")))?,
            )
        } else {
            Box::new(br)
        };
        let mut ar = tar::Archive::new(decoded);
        for entry in ar.entries().map_err(|e| err(name, e))? {
            let mut entry = entry.map_err(|e| err(name, e))?;
            fs.entries += 1;
            if fs.entries > limits.max_entries {
                return Err(Error::LimitExceeded {
                    input: name.to_string(),
                    reason: format!("more than {} tar entries in this image", limits.max_entries),
                });
            }
            let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            apply_entry(&mut entry, &path, name, limits, fs)?;
        }
    }
    raw.finish(name, Some(&d.digest), d.size)?;
    Ok(())
}

/// Normalised components of a member path; `None` when it would leave the root.
fn components(path: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            c => out.push(c.to_string()),
        }
    }
    Some(out)
}

/// Resolve `comps` (all but the last followed through symbolic links) inside `root`, never
/// leaving it: absolute link targets are taken relative to `root`, `..` stops at `root`.
fn resolve_parent(root: &Path, comps: &[String], hops_max: u32) -> Option<PathBuf> {
    let mut stack: Vec<String> = comps.iter().rev().cloned().collect();
    let mut cur: Vec<String> = Vec::new();
    let mut hops = 0u32;
    while let Some(c) = stack.pop() {
        match c.as_str() {
            "" | "." => continue,
            ".." => {
                cur.pop();
                continue;
            }
            _ => {}
        }
        let mut p = root.to_path_buf();
        p.extend(&cur);
        p.push(&c);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                hops += 1;
                if hops > hops_max {
                    return None;
                }
                let target = std::fs::read_link(&p).ok()?;
                let t = target.to_string_lossy().into_owned();
                if t.starts_with('/') {
                    cur.clear();
                }
                for part in t.split('/').rev() {
                    stack.push(part.to_string());
                }
            }
            _ => cur.push(c),
        }
    }
    let mut p = root.to_path_buf();
    p.extend(&cur);
    Some(p)
}

fn remove_any(p: &Path) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            make_removable(p);
            let _ = std::fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(p);
        }
        Err(_) => {}
    }
}

fn apply_entry(
    entry: &mut tar::Entry<'_, impl Read>,
    path: &str,
    blob: &str,
    limits: &Limits,
    fs: &mut Rootfs,
) -> Result<()> {
    let Some(comps) = components(path) else {
        return Err(Error::malformed(
            blob,
            format!("tar member {path:?} leaves the root"),
        ));
    };
    let Some((last, parents)) = comps.split_last() else {
        return Ok(()); // the root itself
    };
    let Some(parent) = resolve_parent(&fs.root, parents, limits.max_link_hops) else {
        return Err(Error::LimitExceeded {
            input: blob.to_string(),
            reason: format!(
                "more than {} links followed for {path:?}",
                limits.max_link_hops
            ),
        });
    };
    // Whiteouts.
    if last == ".wh..wh..opq" {
        if let Ok(rd) = std::fs::read_dir(&parent) {
            for e in rd.flatten() {
                remove_any(&e.path());
            }
        }
        return Ok(());
    }
    if let Some(victim) = last.strip_prefix(".wh.") {
        remove_any(&parent.join(victim));
        return Ok(());
    }
    if !parent.is_dir() {
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    }
    let dest = parent.join(last);
    let hdr = entry.header();
    let mode = hdr.mode().unwrap_or(0o644) & 0o7777;
    match hdr.entry_type() {
        tar::EntryType::Directory => {
            if let Ok(m) = std::fs::symlink_metadata(&dest)
                && !m.is_dir()
            {
                remove_any(&dest);
            }
            if !dest.is_dir() {
                std::fs::create_dir(&dest).map_err(|e| Error::io(&dest, e))?;
            }
            let _ = std::fs::set_permissions(
                &dest,
                std::fs::Permissions::from_mode((mode & 0o777) | 0o700),
            );
        }
        tar::EntryType::Symlink => {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            remove_any(&dest);
            std::os::unix::fs::symlink(&target, &dest).map_err(|e| Error::io(&dest, e))?;
        }
        tar::EntryType::Link => {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let Some(tc) = components(&target) else {
                return Err(Error::malformed(
                    blob,
                    format!("hard link {path:?} points outside the root"),
                ));
            };
            if let Some((tl, tp)) = tc.split_last()
                && let Some(tparent) = resolve_parent(&fs.root, tp, limits.max_link_hops)
            {
                let src = tparent.join(tl);
                if std::fs::symlink_metadata(&src).is_ok_and(|m| m.is_file()) {
                    remove_any(&dest);
                    std::fs::hard_link(&src, &dest).map_err(|e| Error::io(&dest, e))?;
                }
            }
        }
        tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
            let size = hdr.size().unwrap_or(0);
            fs.bytes += size;
            if fs.bytes > limits.max_bytes {
                return Err(Error::LimitExceeded {
                    input: blob.to_string(),
                    reason: format!(
                        "more than {} bytes unpacked in this image",
                        limits.max_bytes
                    ),
                });
            }
            remove_any(&dest);
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&dest)
                .map_err(|e| Error::io(&dest, e))?;
            io::copy(&mut entry.take(size), &mut f).map_err(|e| err(blob, e))?;
            let _ = f.set_permissions(std::fs::Permissions::from_mode((mode & 0o777) | 0o600));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_paths_never_leave_the_root() {
        assert_eq!(components("./a/b/../c").unwrap(), vec!["a", "c"]);
        assert!(components("../etc/passwd").is_none());
        assert!(components("a/../../x").is_none());
    }

    #[test]
    fn links_resolve_inside_the_root() {
        let dir = private_tempdir().unwrap();
        let root = dir.join("r");
        std::fs::create_dir_all(root.join("usr/bin")).unwrap();
        std::os::unix::fs::symlink("/usr/bin", root.join("bin")).unwrap();
        std::os::unix::fs::symlink("../../../../..", root.join("up")).unwrap();
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        let r = |c: &[&str]| {
            resolve_parent(
                &root,
                &c.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                8,
            )
        };
        assert_eq!(r(&["bin"]).unwrap(), root.join("usr/bin"));
        assert_eq!(r(&["up", "etc"]).unwrap(), root.join("etc"));
        assert!(r(&["loop", "x"]).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
