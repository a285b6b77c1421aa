//! Layers streamed, never extracted: the compressed bytes are hashed as they are read (the
//! digest and size are checked at the end), decompressed on the fly (gzip via flate2's zlib-rs
//! backend, zstd via ruzstd, or plain tar), walked as tar, and each member applied to the
//! merged [`FsView`]. The inflate runs on its own thread, a bounded queue of chunks ahead of
//! the tar walk, so the two overlap. Only a prefix of each regular file is read; files that look executable
//! are classified from a bounded, reused buffer.

use super::Limits;
use super::fs::EntryKind;
use crate::binary::BinaryInfo;
use crate::manifest::Descriptor;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

/// Where the sha256 of a blob is computed: on a helper thread (so hashing overlaps with
/// decompression), or inline when no thread can be started.
enum Hasher {
    Inline(Sha256),
    Thread {
        tx: Option<mpsc::SyncSender<Vec<u8>>>,
        /// Bytes read since the last hand-off, handed on once `HASH_CHUNK` have gathered.
        pending: Vec<u8>,
        /// Chunks the hasher is done with, reused for the next reads.
        back: mpsc::Receiver<Vec<u8>>,
        handle: Option<std::thread::JoinHandle<String>>,
    },
}

/// Bytes handed to the sha256 thread at a time (each hand-off may wake it: handing on every
/// 64 KiB read cost more CPU in wake-ups than the hashing it moved off the reading thread)…
const HASH_CHUNK: usize = 1 << 20;
/// …with at most this many waiting for it.
const HASH_QUEUED: usize = 2;

/// A reader that hashes (sha256) and counts what passes through it.
pub(crate) struct DigestReader<R> {
    inner: R,
    hasher: Hasher,
    count: u64,
}

impl<R: Read> DigestReader<R> {
    /// A reader hashing on a helper thread (`thread`), or inline (small blobs, where starting
    /// a thread costs more than it saves).
    pub(crate) fn with_thread(inner: R, thread: bool) -> Self {
        if !thread {
            return DigestReader {
                inner,
                hasher: Hasher::Inline(Sha256::new()),
                count: 0,
            };
        }
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(HASH_QUEUED);
        let (back_tx, back) = mpsc::channel::<Vec<u8>>();
        let hasher = match std::thread::Builder::new()
            .name("archcompat-sha256".into())
            .spawn(move || {
                let mut h = Sha256::new();
                for chunk in rx {
                    h.update(&chunk);
                    let _ = back_tx.send(chunk);
                }
                format!("sha256:{:x}", h.finalize())
            }) {
            Ok(handle) => Hasher::Thread {
                tx: Some(tx),
                pending: Vec::with_capacity(HASH_CHUNK),
                back,
                handle: Some(handle),
            },
            Err(_) => Hasher::Inline(Sha256::new()),
        };
        DigestReader {
            inner,
            hasher,
            count: 0,
        }
    }

    fn digest(&mut self) -> Option<String> {
        match &mut self.hasher {
            Hasher::Inline(h) => Some(format!("sha256:{:x}", h.clone().finalize())),
            Hasher::Thread {
                tx,
                handle,
                pending,
                ..
            } => {
                let tx = tx.take()?;
                if !pending.is_empty() {
                    tx.send(std::mem::take(pending)).ok()?;
                }
                drop(tx);
                handle.take()?.join().ok()
            }
        }
    }

    /// Read to the end, then compare digest (when given) and size (0 = unknown).
    pub(crate) fn finish(
        mut self,
        blob: &str,
        expect_digest: Option<&str>,
        expect_size: u64,
    ) -> Result<u64> {
        io::copy(&mut self, &mut io::sink()).map_err(|e| Error::malformed(blob, e.to_string()))?;
        let got = self
            .digest()
            .ok_or_else(|| Error::malformed(blob, "the digest could not be computed"))?;
        if let Some(expect_digest) = expect_digest
            && got != expect_digest
        {
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
        if n > 0 {
            match &mut self.hasher {
                Hasher::Inline(h) => h.update(&buf[..n]),
                Hasher::Thread {
                    tx: Some(tx),
                    back,
                    pending,
                    ..
                } => {
                    pending.extend_from_slice(&buf[..n]);
                    if pending.len() >= HASH_CHUNK {
                        let mut next = back.try_recv().unwrap_or_default();
                        next.clear();
                        next.reserve(HASH_CHUNK);
                        tx.send(std::mem::replace(pending, next))
                            .map_err(|_| io::Error::other("the sha256 thread stopped"))?
                    }
                }
                Hasher::Thread { tx: None, .. } => {
                    return Err(io::Error::other("read after the digest was taken"));
                }
            }
        }
        self.count += n as u64;
        Ok(n)
    }
}

impl<R> Drop for DigestReader<R> {
    fn drop(&mut self) {
        // Let the hasher thread end (its channel closes) without waiting for it.
        if let Hasher::Thread { tx, .. } = &mut self.hasher {
            drop(tx.take());
        }
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

/// Running totals across the layers of one image (decompression-bomb limits are per image),
/// shared by the threads that read layers in parallel.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    pub bytes: AtomicU64,
    pub entries: AtomicU64,
    /// Bytes of member names and link targets kept for the merged view.
    pub names: AtomicU64,
    /// The zstd decoder the image's zstd layers share, one at a time.
    zstd: std::sync::Mutex<SharedZstd>,
}

/// A zstd frame decoder kept across the layers of one image.
#[derive(Default)]
struct SharedZstd(Option<ruzstd::decoding::FrameDecoder>);

impl std::fmt::Debug for SharedZstd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "SharedZstd(decoder)"
        } else {
            "SharedZstd(none)"
        })
    }
}

struct Counting<'a, R> {
    inner: R,
    budget: &'a Budget,
    max: u64,
    blob: &'a str,
    count: u64,
    /// sha256 of the decompressed bytes, when they are what the digest names.
    hash: Option<Sha256>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        if let Some(h) = &mut self.hash {
            h.update(&buf[..n]);
        }
        let total = self.budget.bytes.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if total > self.max {
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
    if let Some(t) = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<super::tar::LimitHit>())
    {
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

/// One tar member of a layer, ready to be applied to the merged view in layer order.
pub(crate) type Op = (String, u32, EntryKind);

/// What reading one layer produced.
pub(crate) struct LayerRead {
    pub summary: LayerSummary,
    pub ops: Vec<Op>,
}

/// Stream one layer blob: verify, decompress, walk the tar, classify. `buf` is reused across
/// files (and across layers read by the same thread). With `diff_id`, the descriptor's digest
/// is that of the *uncompressed* tar (a `docker save` archive names layers by their diff_ids,
/// whether it stores them compressed or not), and that is what is verified.
pub(crate) fn read_layer(
    blob: impl Read,
    desc: &Descriptor,
    limits: &Limits,
    budget: &Budget,
    buf: &mut Vec<u8>,
    diff_id: bool,
) -> Result<LayerRead> {
    let name = desc.digest.as_str();
    // A small blob (its size known from the descriptor) is read on this thread alone.
    let small = desc.size != 0 && desc.size <= INLINE_MAX;
    let mut raw = DigestReader::with_thread(blob, !small);
    let (compression, uncompressed, ops, tar_digest);
    {
        let mut br = BufReader::with_capacity(64 << 10, &mut raw);
        let head = br.fill_buf().map_err(|e| io_err(name, e))?;
        compression = if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&ZSTD_MAGIC)
            // pzstd starts with a skippable frame holding the size of the next frame.
            || (head.len() >= 4 && head[0] & 0xf0 == 0x50 && head[1..4] == [0x2a, 0x4d, 0x18])
        {
            Compression::Zstd
        } else {
            Compression::None
        };
        // One zstd stream at a time in the process: a frame's window (up to
        // `max_zstd_window`) is held in memory while it is decoded, and two of them side by
        // side doubled the peak; gzip (32 KiB windows) layers still run in parallel.
        // The decoder (and its window buffer) is kept in `budget` for the image's next zstd
        // layers, and dropped with it.
        let _one_zstd = (compression == Compression::Zstd)
            .then(|| ZSTD_ONE.lock().unwrap_or_else(|p| p.into_inner()));
        let mut zstd = (compression == Compression::Zstd)
            .then(|| budget.zstd.lock().unwrap_or_else(|p| p.into_inner()));
        let decoded: Box<dyn Read + '_> = match (compression, zstd.as_deref_mut()) {
            (Compression::Gzip, _) => Box::new(flate2::bufread::MultiGzDecoder::new(br)),
            (Compression::Zstd, Some(dec)) => Box::new(ZstdFrames::new(
                br,
                limits.max_zstd_window,
                dec.0
                    .get_or_insert_with(ruzstd::decoding::FrameDecoder::new),
            )),
            _ => Box::new(br),
        };
        let mut counting = Counting {
            inner: decoded,
            budget,
            max: limits.max_bytes,
            blob: name,
            count: 0,
            hash: (diff_id && compression != Compression::None).then(Sha256::new),
        };
        ops = if small {
            walk_inline(&mut counting, name, limits, budget, buf, SMALL_CHUNK)?
        } else {
            inflate_and_walk(&mut counting, name, limits, budget, buf)?
        };
        uncompressed = counting.count;
        tar_digest = counting
            .hash
            .take()
            .map(|h| format!("sha256:{:x}", h.finalize()));
    }
    let size = match tar_digest {
        // The stored bytes are compressed; the digest names the tar inside.
        Some(got) => {
            let size = raw.finish(name, None, 0)?;
            if got != desc.digest {
                return Err(Error::malformed(
                    name,
                    format!(
                        "digest mismatch: the uncompressed layer (its diff_id) hashes to {got}"
                    ),
                ));
            }
            size
        }
        None => raw.finish(name, Some(&desc.digest), desc.size)?,
    };
    Ok(LayerRead {
        summary: LayerSummary {
            digest: desc.digest.clone(),
            compression,
            size,
            uncompressed,
            entries: ops.len() as u64,
        },
        ops,
    })
}

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Held while a zstd layer is decoded (see `read_layer`).
static ZSTD_ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A zstd stream of any number of frames (what `pzstd` and `zstd:chunked` write), skippable
/// frames skipped; each frame's declared window is checked against `max_window` before any
/// of it is decoded. Every frame is decoded with the same `FrameDecoder` (its window buffer
/// is allocated once and reused by the next frames and layers of the image).
struct ZstdFrames<'d, R: Read> {
    src: Replay<R>,
    dec: &'d mut ruzstd::decoding::FrameDecoder,
    /// Inside a frame (else between frames, or at the end when `done`).
    in_frame: bool,
    done: bool,
    max_window: u64,
}

/// A reader that first returns bytes already taken from `inner` (a peeked frame header).
struct Replay<R> {
    pre: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R: Read> Read for Replay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at < self.pre.len() {
            let n = buf.len().min(self.pre.len() - self.at);
            buf[..n].copy_from_slice(&self.pre[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl<R: Read> Replay<R> {
    /// Make the next `n` bytes available in `pre` (fewer at the end of the stream).
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.at > 0 {
            self.pre.drain(..self.at);
            self.at = 0;
        }
        while self.pre.len() < n {
            let mut b = [0u8; 32];
            let want = (n - self.pre.len()).min(b.len());
            match self.inner.read(&mut b[..want]) {
                Ok(0) => break,
                Ok(k) => self.pre.extend_from_slice(&b[..k]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(&self.pre[..self.pre.len().min(n)])
    }
}

/// The window a zstd frame header declares (RFC 8878 §3.1.1.1), from its first bytes.
fn zstd_window(h: &[u8]) -> io::Result<u64> {
    let short = || io::Error::new(io::ErrorKind::InvalidData, "truncated zstd frame header");
    let fhd = *h.get(4).ok_or_else(short)?;
    let single = fhd & 0x20 != 0;
    if !single {
        let wd = *h.get(5).ok_or_else(short)?;
        let base = 1u64 << (10 + u64::from(wd >> 3));
        return Ok(base + base / 8 * u64::from(wd & 7));
    }
    let dict = [0usize, 1, 2, 4][usize::from(fhd & 3)];
    let fcs_len = [1usize, 2, 4, 8][usize::from(fhd >> 6)];
    let at = 5 + dict;
    let f = h.get(at..at + fcs_len).ok_or_else(short)?;
    let mut v = 0u64;
    for (i, b) in f.iter().enumerate() {
        v |= u64::from(*b) << (8 * i);
    }
    Ok(if fcs_len == 2 { v + 256 } else { v })
}

impl<'d, R: Read> ZstdFrames<'d, R> {
    fn new(inner: R, max_window: u64, dec: &'d mut ruzstd::decoding::FrameDecoder) -> Self {
        ZstdFrames {
            src: Replay {
                pre: Vec::new(),
                at: 0,
                inner,
            },
            dec,
            in_frame: false,
            done: false,
            max_window,
        }
    }

    /// Start the next frame, or end; skippable frames are skipped.
    fn advance(&mut self) -> io::Result<()> {
        loop {
            let head = self.src.peek(18)?;
            if head.is_empty() {
                self.done = true;
                return Ok(());
            }
            if head.len() >= 8 && head[0] & 0xf0 == 0x50 && head[1..4] == [0x2a, 0x4d, 0x18] {
                let n = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
                self.src.at = 8;
                let got = io::copy(&mut (&mut self.src).take(u64::from(n)), &mut io::sink())?;
                if got < u64::from(n) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "truncated zstd skippable frame",
                    ));
                }
                continue;
            }
            if !head.starts_with(&ZSTD_MAGIC) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "bytes after a zstd frame that are not another zstd frame",
                ));
            }
            let window = zstd_window(head)?;
            if window > self.max_window {
                return Err(io::Error::other(LimitTrip(format!(
                    "a zstd frame declares a {window}-byte window; the limit is {} bytes",
                    self.max_window
                ))));
            }
            self.dec.init(&mut self.src).map_err(|e| {
                io::Error::new(io::ErrorKind::InvalidData, format!("bad zstd frame: {e}"))
            })?;
            self.in_frame = true;
            return Ok(());
        }
    }
}

impl<R: Read> Read for ZstdFrames<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while !self.done {
            if !self.in_frame {
                self.advance()?;
                continue;
            }
            // Decode whole blocks until `buf` can be filled (or the frame ends), then hand
            // out what lies beyond the window the next blocks may still refer to.
            while self.dec.can_collect() < buf.len() && !self.dec.is_finished() {
                let more = buf.len() - self.dec.can_collect();
                self.dec
                    .decode_blocks(
                        &mut self.src,
                        ruzstd::decoding::BlockDecodingStrategy::UptoBytes(more),
                    )
                    .map_err(|e| {
                        io::Error::new(io::ErrorKind::InvalidData, format!("bad zstd frame: {e}"))
                    })?;
            }
            let n = self.dec.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.dec.is_finished() {
                self.in_frame = false;
            }
        }
        Ok(0)
    }
}

/// Blobs of at most this many (compressed) bytes are read without helper threads…
const INLINE_MAX: u64 = 1 << 20;
/// …through a buffer of this size.
const SMALL_CHUNK: usize = 32 << 10;

/// Decompress and walk on this thread: `decoded` is read through a buffer of `chunk` bytes
/// (tar reads headers 512 bytes at a time, and a decoder asked for tiny outputs runs far
/// slower).
fn walk_inline(
    decoded: &mut dyn Read,
    blob: &str,
    limits: &Limits,
    budget: &Budget,
    buf: &mut Vec<u8>,
    chunk: usize,
) -> Result<Vec<Op>> {
    let mut big = BufReader::with_capacity(chunk, decoded);
    let ops = walk_tar(super::tar::Stream(&mut big), blob, limits, budget, buf)?;
    io::copy(&mut big, &mut io::sink()).map_err(|e| io_err(blob, e))?;
    Ok(ops)
}

/// Decompressed bytes travel from the inflating thread to the tar walk in chunks of this size
/// (the walk is faster than the inflate, so it waits, and each chunk wakes it: with 256 KiB
/// chunks the wake-ups were a few percent of the image's CPU; the walk reads only headers and
/// the files it classifies, so a chunk larger than the cache costs it nothing)…
const CHUNK: usize = 1 << 20;
/// …with at most this many chunks queued (so at most ~4 MiB of tar in flight per layer).
const QUEUED: usize = 2;

/// Decompress `decoded` on this thread while the tar walk runs on a helper thread, so that a
/// layer's inflate overlaps its tar walk and classification (the inflate is the long pole;
/// everything else then hides behind it). Falls back to one thread when none can be started.
fn inflate_and_walk(
    decoded: &mut dyn Read,
    blob: &str,
    limits: &Limits,
    budget: &Budget,
    buf: &mut Vec<u8>,
) -> Result<Vec<Op>> {
    let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(QUEUED);
    let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|sc| {
        let walker = std::thread::Builder::new()
            .name("archcompat-tar".into())
            .spawn_scoped(sc, move || {
                let mut r = ChunkReader {
                    rx: full_rx,
                    back: empty_tx,
                    cur: Vec::new(),
                    pos: 0,
                };
                let ops = walk_tar(&mut r, blob, limits, budget, buf)?;
                // Drain what is left (tar padding, trailing zeros) so the inflater finishes.
                io::copy(&mut r, &mut io::sink()).map_err(|e| io_err(blob, e))?;
                Ok(ops)
            });
        let walker = match walker {
            Ok(w) => w,
            // No thread: inflate into large chunks on this one.
            Err(_) => return walk_inline(decoded, blob, limits, budget, &mut Vec::new(), CHUNK),
        };
        let inflated = (|| -> io::Result<()> {
            loop {
                let mut chunk = empty_rx.try_recv().unwrap_or_else(|_| vec![0; CHUNK]);
                chunk.resize(CHUNK, 0);
                let mut n = 0;
                while n < CHUNK {
                    match decoded.read(&mut chunk[n..]) {
                        Ok(0) => break,
                        Ok(k) => n += k,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                if n == 0 {
                    return Ok(());
                }
                chunk.truncate(n);
                if full_tx.send(chunk).is_err() {
                    // The walk stopped early (it failed): its error is the one to report.
                    return Ok(());
                }
            }
        })();
        drop(full_tx);
        let walked = walker
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        // A decompression or limit failure explains a walk that ended early; report it first.
        inflated.map_err(|e| io_err(blob, e))?;
        walked
    })
}

/// The tar walk's view of the chunks the inflating thread sends; used chunks go back to it.
struct ChunkReader {
    rx: mpsc::Receiver<Vec<u8>>,
    back: mpsc::Sender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl ChunkReader {
    /// Make the current chunk non-empty (false at the end of the stream).
    fn fill(&mut self) -> bool {
        while self.pos == self.cur.len() {
            let Ok(next) = self.rx.recv() else {
                return false;
            };
            let used = std::mem::replace(&mut self.cur, next);
            if used.capacity() > 0 {
                let _ = self.back.send(used);
            }
            self.pos = 0;
        }
        true
    }
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if !self.fill() {
            return Ok(0);
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl super::tar::Source for ChunkReader {
    /// Skipped data (members that are not classified, the unread rest of those that are) is
    /// stepped over in the chunks, never copied.
    fn skip(&mut self, mut n: u64) -> io::Result<()> {
        while n > 0 {
            if !self.fill() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "truncated tar stream: a member's data ends early",
                ));
            }
            let k = (self.cur.len() - self.pos).min(usize::try_from(n).unwrap_or(usize::MAX));
            self.pos += k;
            n -= k as u64;
        }
        Ok(())
    }
}

fn walk_tar<S: super::tar::Source>(
    src: S,
    blob: &str,
    limits: &Limits,
    budget: &Budget,
    buf: &mut Vec<u8>,
) -> Result<Vec<Op>> {
    let mut ar = super::tar::TarReader::new(
        src,
        limits.max_name_bytes as usize,
        limits.max_header_bytes as usize,
    );
    let mut ops = Vec::new();
    while let Some(h) = ar.next_member().map_err(|e| io_err(blob, e))? {
        if budget.entries.fetch_add(1, Ordering::Relaxed) + 1 > limits.max_entries {
            return Err(Error::LimitExceeded {
                input: blob.to_string(),
                reason: format!(
                    "more than {} tar entries in this image (raise --max-entries)",
                    limits.max_entries
                ),
            });
        }
        // Every path is kept for the merged view: their total is bounded too.
        let kept = (h.path.len() + h.link.len()) as u64;
        if budget.names.fetch_add(kept, Ordering::Relaxed) + kept > limits.max_names_bytes {
            return Err(Error::LimitExceeded {
                input: blob.to_string(),
                reason: format!(
                    "more than {} bytes of file names in this image",
                    limits.max_names_bytes
                ),
            });
        }
        let kind = match h.kind {
            super::tar::Kind::Dir => EntryKind::Dir,
            super::tar::Kind::Symlink => EntryKind::Symlink(h.link),
            super::tar::Kind::Hardlink => EntryKind::Hardlink(h.link),
            super::tar::Kind::Regular => {
                let info = classify_member(&mut ar.data(), blob, h.mode, h.size, limits, buf)?;
                EntryKind::File { size: h.size, info }
            }
            super::tar::Kind::Other => EntryKind::Other,
        };
        ops.push((h.path, h.mode, kind));
    }
    // Drain what is left (tar padding, trailing zeros).
    io::copy(ar.source(), &mut io::sink()).map_err(|e| io_err(blob, e))?;
    Ok(ops)
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
    let mut fill = |buf: &mut Vec<u8>| -> Result<BinaryInfo> {
        buf.clear();
        // Room for the whole read and read_to_end's end-of-data probe: no regrowth (up to
        // the default limit; a member's size is only a claim until its bytes arrive).
        buf.reserve(cap.min(Limits::default().max_file_read as usize) + 64);
        buf.extend_from_slice(head);
        (&mut *entry)
            .take((cap - head.len().min(cap)) as u64)
            .read_to_end(buf)
            .map_err(|e| io_err(blob, e))?;
        Ok(crate::binary::classify(buf, size))
    };
    let info = if cap > OWN_BUFFER_MAX {
        // Large files are read one at a time in the process, into one buffer (allocated
        // once: a fresh one each time left freed copies in each thread's malloc arena), so
        // memory does not grow with the number of layers in flight.
        let mut large = LARGE.lock().unwrap_or_else(|p| p.into_inner());
        let info = fill(&mut large);
        // Kept for the next large file unless a raised limit made it larger than the default.
        if large.capacity() > Limits::default().max_file_read as usize + 4096 {
            *large = Vec::new();
        }
        info?
    } else {
        fill(buf)?
    };
    Ok(Some(Arc::new(info)))
}

/// Files up to this size are classified from the walking thread's own (reused) buffer…
const OWN_BUFFER_MAX: usize = 1 << 20;
/// …larger ones (up to `Limits::max_file_read`) in this one.
static LARGE: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cmd: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut c = std::process::Command::new(cmd)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = c.stdin.take().unwrap();
        let data = input.to_vec();
        let t = std::thread::spawn(move || stdin.write_all(&data).unwrap());
        let out = c.wait_with_output().unwrap();
        t.join().unwrap();
        assert!(out.status.success());
        out.stdout
    }

    /// A layer too big to be read inline goes through the helper threads (the sha256 thread,
    /// the tar walk): its digest, size and members come out as on one thread, and a wrong
    /// digest, a wrong size or a cut stream is still an error naming the layer.
    #[test]
    fn a_large_layer_is_verified_and_walked_on_helper_threads() {
        use std::io::Write;
        // 6 MiB of xorshift noise (gzip cannot shrink it below INLINE_MAX) and an arm64 ELF.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..6 << 20)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let elf = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/bin/c-arm64-glibc-dyn"
        ))
        .unwrap();
        let mut b = tar::Builder::new(Vec::new());
        for (path, data, mode) in [("noise", &noise[..], 0o644), ("usr/bin/app", &elf, 0o755)] {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(mode);
            b.append_data(&mut h, path, data).unwrap();
        }
        let tar = b.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        let gz = gz.finish().unwrap();
        assert!(gz.len() as u64 > 4 * INLINE_MAX, "{} bytes", gz.len());
        let digest = format!("sha256:{:x}", Sha256::digest(&gz));
        let desc = |digest: &str, size: usize| Descriptor {
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip".into(),
            digest: digest.into(),
            size: size as u64,
            platform: None,
            annotations: Default::default(),
            artifact_type: None,
        };
        let read = |blob: &[u8], d: &Descriptor| {
            read_layer(
                blob,
                d,
                &Limits::default(),
                &Budget::default(),
                &mut Vec::new(),
                false,
            )
        };
        let fail = |blob: &[u8], d: &Descriptor| match read(blob, d) {
            Ok(_) => panic!("{} was accepted", d.digest),
            Err(e) => e.to_string(),
        };
        let r = read(&gz, &desc(&digest, gz.len())).unwrap();
        assert_eq!(r.summary.compression, Compression::Gzip);
        assert_eq!(r.summary.size, gz.len() as u64);
        assert_eq!(r.summary.uncompressed, tar.len() as u64);
        assert_eq!(r.summary.entries, 2);
        let app = r.ops.iter().find(|o| o.0 == "usr/bin/app").unwrap();
        let EntryKind::File {
            info: Some(info), ..
        } = &app.2
        else {
            panic!("not classified: {:?}", app.2)
        };
        assert_eq!(info.platform().unwrap().to_string(), "linux/arm64");

        let zeros = format!("sha256:{}", "0".repeat(64));
        let e = fail(&gz, &desc(&zeros, gz.len()));
        assert!(e.contains(&zeros) && e.contains("digest mismatch"), "{e}");
        let e = fail(&gz, &desc(&digest, gz.len() + 1));
        assert!(e.contains("size mismatch"), "{e}");
        let cut = &gz[..gz.len() - 3000];
        let cut_digest = format!("sha256:{:x}", Sha256::digest(cut));
        let e = fail(cut, &desc(&cut_digest, cut.len()));
        assert!(
            e.contains(&cut_digest) && e.contains("cannot read layer"),
            "{e}"
        );
    }

    #[test]
    fn every_frame_of_a_pzstd_stream_is_decoded() {
        let mut input = vec![0u8; 6 << 20];
        input.extend((0..200_000u32).flat_map(|i| i.to_le_bytes()));
        let z = run("pzstd", &["-q", "-c", "-1", "-p", "2"], &input);
        let mut out = Vec::new();
        let mut dec = ruzstd::decoding::FrameDecoder::new();
        ZstdFrames::new(&z[..], 128 << 20, &mut dec)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out.len(), input.len());
        assert!(out == input);
        // Two `zstd` runs concatenated, a skippable frame between them.
        let mut two = run("zstd", &["-q", "-c"], &input[..1000]);
        two.extend_from_slice(b"\x5a\x2a\x4d\x18\x02\x00\x00\x00hi");
        two.extend(run("zstd", &["-q", "-c"], &input[1000..]));
        let mut out = Vec::new();
        // The same decoder, reused.
        ZstdFrames::new(&two[..], 128 << 20, &mut dec)
            .read_to_end(&mut out)
            .unwrap();
        assert!(out == input);
    }

    #[test]
    fn a_frame_declaring_a_window_beyond_the_limit_is_refused_before_decoding() {
        let z = run("zstd", &["-q", "-c", "--long=31"], &[7u8; 4096]);
        let e = ZstdFrames::new(
            &z[..],
            128 << 20,
            &mut ruzstd::decoding::FrameDecoder::new(),
        )
        .read_to_end(&mut Vec::new())
        .unwrap_err();
        assert!(e.get_ref().unwrap().is::<LimitTrip>(), "{e}");
        assert!(e.to_string().contains("2147483648-byte window"), "{e}");
    }
}
