//! Layers streamed, never extracted: the compressed bytes are hashed as they are read (the
//! digest and size are checked at the end), decompressed on the fly (gzip via flate2's zlib-rs
//! backend, zstd via ruzstd, or plain tar), walked as tar, and each member applied to the
//! merged [`FsView`]. Only a prefix of each regular file is read; files that look executable
//! are classified from a bounded, reused buffer.

use super::Limits;
use super::fs::{EntryKind, FsView};
use crate::manifest::Descriptor;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

/// A reader that hashes (sha256) and counts what passes through it.
pub(crate) struct DigestReader<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
}

impl<R: Read> DigestReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        DigestReader {
            inner,
            hasher: Sha256::new(),
            count: 0,
        }
    }

    /// Read to the end, then compare digest and size with `desc` (size 0 = unknown).
    pub(crate) fn finish(
        mut self,
        blob: &str,
        expect_digest: &str,
        expect_size: u64,
    ) -> Result<u64> {
        io::copy(&mut self, &mut io::sink()).map_err(|e| Error::malformed(blob, e.to_string()))?;
        let got = format!("sha256:{:x}", self.hasher.finalize());
        if got != expect_digest {
            return Err(Error::malformed(
                blob,
                format!("digest mismatch: content hashes to {got}"),
            ));
        }
        if expect_size != 0 && self.count != expect_size {
            return Err(Error::malformed(
                blob,
                format!(
                    "size mismatch: descriptor says {expect_size} bytes, blob has {}",
                    self.count
                ),
            ));
        }
        Ok(self.count)
    }
}

impl<R: Read> Read for DigestReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

/// Read a whole (small) blob, verifying digest and size, at most `max` bytes.
pub(crate) fn read_verified(mut r: impl Read, d: &Descriptor, max: u64) -> Result<Vec<u8>> {
    if d.size > max {
        return Err(Error::LimitExceeded {
            input: d.digest.clone(),
            reason: format!("blob is {} bytes, the limit is {max}", d.size),
        });
    }
    let mut buf = Vec::new();
    (&mut r)
        .take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::malformed(&d.digest, format!("cannot read blob: {e}")))?;
    if buf.len() as u64 > max {
        return Err(Error::LimitExceeded {
            input: d.digest.clone(),
            reason: format!("blob is larger than the limit of {max} bytes"),
        });
    }
    let got = format!("sha256:{:x}", Sha256::digest(&buf));
    if got != d.digest {
        return Err(Error::malformed(
            &d.digest,
            format!("digest mismatch: content hashes to {got}"),
        ));
    }
    if d.size != 0 && d.size != buf.len() as u64 {
        return Err(Error::malformed(
            &d.digest,
            format!(
                "size mismatch: descriptor says {} bytes, blob has {}",
                d.size,
                buf.len()
            ),
        ));
    }
    Ok(buf)
}

/// Compression of a layer blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compression {
    /// Uncompressed tar.
    None,
    /// gzip.
    Gzip,
    /// zstd.
    Zstd,
}

/// What reading one layer found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerSummary {
    /// Blob digest.
    pub digest: String,
    /// Compression detected from the bytes.
    pub compression: Compression,
    /// Compressed size read.
    pub size: u64,
    /// Bytes of tar after decompression.
    pub uncompressed: u64,
    /// Tar members.
    pub entries: u64,
}

/// Running totals across the layers of one image (decompression-bomb limits are per image).
#[derive(Debug, Default)]
pub(crate) struct Budget {
    pub bytes: u64,
    pub entries: u64,
}

struct Counting<'a, R> {
    inner: R,
    budget: &'a mut Budget,
    max: u64,
    blob: &'a str,
    count: u64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        self.budget.bytes += n as u64;
        if self.budget.bytes > self.max {
            return Err(io::Error::other(LimitTrip(format!(
                "{}: more than {} bytes decompressed in this image (raise --max-bytes)",
                self.blob, self.max
            ))));
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct LimitTrip(String);
impl std::fmt::Display for LimitTrip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for LimitTrip {}

fn io_err(blob: &str, e: io::Error) -> Error {
    if let Some(t) = e.get_ref().and_then(|i| i.downcast_ref::<LimitTrip>()) {
        return Error::LimitExceeded {
            input: blob.to_string(),
            reason: t.0.clone(),
        };
    }
    Error::malformed(blob, format!("cannot read layer: {e}"))
}

/// Magic numbers of files worth classifying even without an execute bit.
fn looks_binary(head: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"\x7fELF",
        b"#!",
        b"MZ",
        b"\xca\xfe\xba\xbe",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\0asm",
    ];
    MAGICS.iter().any(|m| head.starts_with(m))
}

/// Called for each classified file: path (absolute), layer index, classification.
pub(crate) type OnFile<'a> = dyn FnMut(&str, usize, &Arc<crate::binary::BinaryInfo>) + 'a;

/// Stream one layer blob into `fs`. `buf` is reused across files and layers.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_layer(
    blob: impl Read,
    desc: &Descriptor,
    layer: usize,
    limits: &Limits,
    budget: &mut Budget,
    buf: &mut Vec<u8>,
    fs: &mut FsView,
    on_file: &mut OnFile<'_>,
) -> Result<LayerSummary> {
    let name = desc.digest.as_str();
    let mut raw = DigestReader::new(blob);
    let (compression, uncompressed, entries);
    {
        let mut br = BufReader::with_capacity(64 << 10, &mut raw);
        let head = br.fill_buf().map_err(|e| io_err(name, e))?;
        compression = if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        };
        let decoded: Box<dyn Read + '_> = match compression {
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(br)),
            Compression::Zstd => Box::new(
                ruzstd::decoding::StreamingDecoder::new(br)
                    .map_err(|e| Error::malformed(name, format!("bad zstd stream: {e}")))?,
            ),
            Compression::None => Box::new(br),
        };
        let max = limits.max_bytes;
        let mut counting = Counting {
            inner: decoded,
            budget: &mut *budget,
            max,
            blob: name,
            count: 0,
        };
        let already = counting.budget.entries;
        let n = walk_tar(
            &mut counting,
            name,
            layer,
            limits,
            already,
            buf,
            fs,
            on_file,
        )?;
        // Drain the rest of the decompressed stream (tar padding, trailing zeros).
        io::copy(&mut counting, &mut io::sink()).map_err(|e| io_err(name, e))?;
        uncompressed = counting.count;
        entries = n;
        budget.entries += n;
    }
    let size = raw.finish(name, &desc.digest, desc.size)?;
    Ok(LayerSummary {
        digest: desc.digest.clone(),
        compression,
        size,
        uncompressed,
        entries,
    })
}

#[allow(clippy::too_many_arguments)]
fn walk_tar(
    r: &mut dyn Read,
    blob: &str,
    layer: usize,
    limits: &Limits,
    already: u64,
    buf: &mut Vec<u8>,
    fs: &mut FsView,
    on_file: &mut OnFile<'_>,
) -> Result<u64> {
    let mut ar = tar::Archive::new(r);
    let mut n = 0u64;
    let iter = ar.entries().map_err(|e| io_err(blob, e))?;
    for entry in iter {
        let mut entry = entry.map_err(|e| io_err(blob, e))?;
        n += 1;
        if n + already > limits.max_entries {
            return Err(Error::LimitExceeded {
                input: blob.to_string(),
                reason: format!(
                    "more than {} tar entries in this image (raise --max-entries)",
                    limits.max_entries
                ),
            });
        }
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let hdr = entry.header();
        let mode = hdr.mode().unwrap_or(0);
        let size = hdr.size().unwrap_or(0);
        let et = hdr.entry_type();
        let link = || {
            entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        let kind = match et {
            tar::EntryType::Directory => EntryKind::Dir,
            tar::EntryType::Symlink => EntryKind::Symlink(link()),
            tar::EntryType::Link => EntryKind::Hardlink(link()),
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                let info = classify_member(&mut entry, blob, mode, size, limits, buf)?;
                if let Some(i) = &info {
                    let abs = format!("/{}", super::fs::normalize(&path));
                    on_file(&abs, layer, i);
                }
                EntryKind::File { size, info }
            }
            _ => EntryKind::Other,
        };
        fs.apply(&path, layer, mode, kind);
    }
    Ok(n)
}

fn classify_member(
    entry: &mut impl Read,
    blob: &str,
    mode: u32,
    size: u64,
    limits: &Limits,
    buf: &mut Vec<u8>,
) -> Result<Option<Arc<crate::binary::BinaryInfo>>> {
    if size == 0 {
        return Ok(None);
    }
    let mut head = [0u8; 8];
    let want = size.min(head.len() as u64) as usize;
    let mut got = 0;
    while got < want {
        match entry.read(&mut head[got..want]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) => return Err(io_err(blob, e)),
        }
    }
    let head = &head[..got];
    if mode & 0o111 == 0 && !looks_binary(head) {
        return Ok(None);
    }
    // Whole file up to the cap; beyond it, classify the prefix with the real length.
    let cap = size.min(limits.max_file_read) as usize;
    buf.clear();
    buf.extend_from_slice(head);
    (&mut *entry)
        .take((cap - head.len().min(cap)) as u64)
        .read_to_end(buf)
        .map_err(|e| io_err(blob, e))?;
    Ok(Some(Arc::new(crate::binary::classify(buf, size))))
}
