//! Executables: from the bytes, what a file is (ELF, Mach-O, PE, script, …), what it needs to
//! run (interpreter, libc, ISA level, page size) and which platform it is for. A fact module:
//! it never produces findings (see [`crate::check::binary`] for those).
//!
//! Two entry points:
//! * [`classify`] works on an in-memory prefix of a file (the whole file when
//!   `data.len() == file_len`); facts that need bytes beyond the prefix stay unknown.
//! * [`inspect_path`] reads a 4 KiB prefix and then seeks to the few places it needs
//!   (program headers, `PT_INTERP`, notes, a handful of sections, Go build info); it never
//!   reads a whole file.
//!
//! The structure of object files (ELF header, program and section headers, notes, dynamic
//! section; Mach-O thin and fat headers; PE headers) is read with goblin from those bounded
//! buffers; our own code decodes only what goblin leaves raw (GNU property contents, ARM and
//! GNU build attributes, MIPS ABI flags, Go build info) and the non-object formats.
//!
//! Every offset and count taken from a file is checked against the file size, and every read
//! is capped, so no input makes it panic, loop or allocate without bound.
//!
//! ```
//! use archcompat::{classify, Format};
//! let script = b"#!/bin/sh\r\necho hi\r\n";
//! let info = classify(script, script.len() as u64);
//! assert_eq!(info.format(), Format::Script);
//! assert_eq!(info.interpreter(), Some("/bin/sh"));
//! ```

mod elf;
mod magic;
mod script;

pub use elf::{ElfClass, ElfDetails, ElfType, Libc, Linkage};
pub use magic::{
    DataDetails, HtmlDetails, JavaClassDetails, LfsDetails, MachoDetails, PeDetails, WasmDetails,
};
pub use script::{LineEndings, ScriptDetails, TextDetails};

use crate::platform::Platform;
use crate::{Error, Result};
use serde::Serialize;
use std::borrow::Cow;
use std::path::Path;

/// How many bytes [`inspect_path`] reads up front.
pub const PREFIX_LEN: usize = 4 * 1024;
/// The largest single read done while following offsets (sections, build info).
pub(crate) const MAX_READ: u64 = 1024 * 1024;

/// What kind of file this is (the contract's `format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// ELF object (executable, shared object, relocatable, core).
    Elf,
    /// Thin Mach-O.
    Macho,
    /// Fat (universal) Mach-O, 32- or 64-bit header.
    MachoFat,
    /// PE/COFF (`MZ`).
    Pe,
    /// `#!` script (possibly behind a byte-order mark).
    Script,
    /// WebAssembly module or component.
    Wasm,
    /// Java `.class` file (starts `CAFEBABE`, like a fat Mach-O).
    JavaClass,
    /// Git LFS pointer text.
    LfsPointer,
    /// HTML or XML document (typically a download's error page).
    Html,
    /// Zero bytes.
    Empty,
    /// Text without `#!`.
    Text,
    /// Anything else (archives, compressed data, unknown binary).
    Data,
}

impl Format {
    /// The contract's spelling (`elf`, `macho-fat`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Elf => "elf",
            Format::Macho => "macho",
            Format::MachoFat => "macho-fat",
            Format::Pe => "pe",
            Format::Script => "script",
            Format::Wasm => "wasm",
            Format::JavaClass => "java-class",
            Format::LfsPointer => "lfs-pointer",
            Format::Html => "html",
            Format::Empty => "empty",
            Format::Text => "text",
            Format::Data => "data",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Format-specific facts (serialised without a tag, as the contract's `details` object).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Details {
    /// ELF facts.
    Elf(Box<ElfDetails>),
    /// Thin or fat Mach-O.
    Macho(MachoDetails),
    /// PE/COFF.
    Pe(PeDetails),
    /// `#!` script.
    Script(ScriptDetails),
    /// Text without `#!`.
    Text(TextDetails),
    /// WebAssembly.
    Wasm(WasmDetails),
    /// Java class.
    JavaClass(JavaClassDetails),
    /// Git LFS pointer.
    LfsPointer(LfsDetails),
    /// HTML/XML page.
    Html(HtmlDetails),
    /// Empty file, archives and other data.
    Data(DataDetails),
}

/// Everything [`classify`] found out about one file: the contract's inspect entry minus
/// `path` and `problems`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinaryInfo {
    /// What kind of file.
    pub format: Format,
    /// The platform the file is for, when it is a native program of a known architecture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Format-specific facts.
    pub details: Details,
}

impl BinaryInfo {
    /// What kind of file.
    pub fn format(&self) -> Format {
        self.format
    }
    /// The platform the file is for, if known.
    pub fn platform(&self) -> Option<&Platform> {
        self.platform.as_ref()
    }
    /// ELF `PT_INTERP` or the program named on a script's `#!` line.
    pub fn interpreter(&self) -> Option<&str> {
        match &self.details {
            Details::Elf(e) => e.interpreter.as_deref(),
            Details::Script(s) => s.interpreter.as_deref(),
            _ => None,
        }
    }
    /// ELF details, when this is an ELF file.
    pub fn elf(&self) -> Option<&ElfDetails> {
        match &self.details {
            Details::Elf(e) => Some(e),
            _ => None,
        }
    }
    /// Script details, when this is a `#!` script.
    pub fn script(&self) -> Option<&ScriptDetails> {
        match &self.details {
            Details::Script(s) => Some(s),
            _ => None,
        }
    }
    /// Whether Linux's exec could in principle accept this format: an ELF executable or
    /// shared object (not relocatable/core, not corrupt) or a `#!` script without BOM.
    pub fn is_executable_format(&self) -> bool {
        match &self.details {
            Details::Elf(e) => {
                matches!(
                    e.elf_type,
                    ElfType::Exec | ElfType::Pie | ElfType::SharedObject
                ) && e.invalid.is_none()
            }
            Details::Script(s) => !s.bom && s.interpreter.is_some(),
            _ => false,
        }
    }
}

/// Random access to the bytes of one file, bounded by what is available.
pub(crate) trait Source {
    /// The file's full length.
    fn file_len(&self) -> u64;
    /// `len` bytes at `offset`, or `None` when they are not available (beyond the prefix
    /// or a read error). Callers cap `len`.
    fn read_at(&self, offset: u64, len: u64) -> Option<Cow<'_, [u8]>>;
    /// Whether bytes beyond the end of the file were requested (i.e. the file really is
    /// shorter), as opposed to not available in a prefix.
    fn beyond_eof(&self, offset: u64, len: u64) -> bool {
        offset
            .checked_add(len)
            .is_none_or(|end| end > self.file_len())
    }
}

struct SliceSource<'a> {
    data: &'a [u8],
    file_len: u64,
}

impl Source for SliceSource<'_> {
    fn file_len(&self) -> u64 {
        self.file_len
    }
    fn read_at(&self, offset: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        let end = offset.checked_add(len)?;
        if end > self.data.len() as u64 {
            return None;
        }
        Some(Cow::Borrowed(&self.data[offset as usize..end as usize]))
    }
}

/// A file read through a prefix and then in windows: a read beyond the prefix fetches the
/// bytes around it ([`WINDOW_BEFORE`] before, [`WINDOW_AFTER`] after, within the file), and
/// later reads inside a window are served from it. An ELF's dynamic section, section-name
/// table and section headers usually sit within a few KiB of each other near the end of the
/// file: one `pread` often serves the three.
struct FileSource<'a> {
    prefix: &'a [u8],
    file: &'a std::fs::File,
    file_len: u64,
    windows: [std::cell::OnceCell<Window>; WINDOWS],
}

/// Bytes of a file from `start`: the first `len` of `buf` (a buffer of the thread's pool).
struct Window {
    start: u64,
    buf: Vec<u8>,
    len: usize,
}

impl Window {
    fn get(&self, offset: u64, end: u64) -> Option<&[u8]> {
        let from = offset.checked_sub(self.start)? as usize;
        let to = end.checked_sub(self.start)? as usize;
        self.buf[..self.len].get(from..to)
    }
}

thread_local! {
    /// Read buffers this thread used for earlier files, for the next file's prefix and
    /// windows. A buffer keeps its length, so its bytes are zeroed once, when it first grows,
    /// not before every read: zeroing, allocating and freeing a prefix and a window or two
    /// per file were about a fifth of the instructions of `inspect` on ELF files (callgrind).
    static BUFFERS: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Buffers kept per thread, and the largest kept (a read larger than this is a rare one; its
/// buffer is freed).
const POOL_BUFFERS: usize = 2 * WINDOWS;
const POOL_BUFFER_MAX: usize = 64 << 10;

/// A buffer of at least `len` initialised bytes, from the pool when it has one.
fn pooled(len: usize) -> Vec<u8> {
    let mut buf = BUFFERS
        .try_with(|p| p.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_default();
    if buf.len() < len {
        buf.resize(len, 0);
    }
    buf
}

/// Hand a buffer of [`pooled`] back for the next reads on this thread.
fn unpool(buf: Vec<u8>) {
    if buf.len() <= POOL_BUFFER_MAX {
        let _ = BUFFERS.try_with(|p| {
            let mut p = p.borrow_mut();
            if p.len() < POOL_BUFFERS {
                p.push(buf);
            }
        });
    }
}

/// Fill `buf` from `r` (fewer bytes where it ends); how many were read.
pub(crate) fn read_full(mut r: impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// How many windows one classification keeps (each at most `MAX_READ` plus the margins);
/// reads beyond them go straight to the file.
const WINDOWS: usize = 4;
/// Bytes read before a requested range (an ELF's section-name table before its headers).
/// The margins were chosen on the reads of 958 ELF files of /usr: a `pread` costs about
/// five times as much as copying 8 KiB more here, and these margins take 1.5 reads per file
/// beyond the prefix instead of 3.0.
const WINDOW_BEFORE: u64 = 1024;
/// Bytes read after a requested range.
const WINDOW_AFTER: u64 = 8 * 1024;

impl<'a> FileSource<'a> {
    fn new(prefix: &'a [u8], file: &'a std::fs::File, file_len: u64) -> Self {
        FileSource {
            prefix,
            file,
            file_len,
            windows: Default::default(),
        }
    }

    /// Exactly `len` bytes at `offset`, read from the file.
    fn pread(&self, offset: u64, len: u64) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; usize::try_from(len).ok()?];
        self.pread_into(offset, &mut buf).then_some(buf)
    }

    /// Fill `buf` from `offset` of the file (false when the file ends first or cannot be read).
    fn pread_into(&self, offset: u64, buf: &mut [u8]) -> bool {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_exact_at(self.file, buf, offset).is_ok()
        }
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek};
            let mut f = self.file;
            f.seek(std::io::SeekFrom::Start(offset)).is_ok() && f.read_exact(buf).is_ok()
        }
    }
}

impl Drop for FileSource<'_> {
    fn drop(&mut self) {
        for cell in &mut self.windows {
            if let Some(w) = cell.take() {
                unpool(w.buf);
            }
        }
    }
}

impl Source for FileSource<'_> {
    fn file_len(&self) -> u64 {
        self.file_len
    }
    fn read_at(&self, offset: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        let end = offset.checked_add(len)?;
        if end > self.file_len || len > MAX_READ {
            return None;
        }
        if end <= self.prefix.len() as u64 {
            return Some(Cow::Borrowed(&self.prefix[offset as usize..end as usize]));
        }
        let mut free = None;
        for cell in &self.windows {
            match cell.get() {
                Some(w) => {
                    if let Some(b) = w.get(offset, end) {
                        return Some(Cow::Borrowed(b));
                    }
                }
                None => {
                    free = Some(cell);
                    break;
                }
            }
        }
        let Some(cell) = free else {
            return self.pread(offset, len).map(Cow::Owned);
        };
        let start = offset
            .saturating_sub(WINDOW_BEFORE)
            .max(self.prefix.len() as u64)
            .min(offset);
        let stop = end.saturating_add(WINDOW_AFTER).min(self.file_len);
        // The file may have shrunk since its length was taken: then only the request.
        let len_w = usize::try_from(stop - start).ok()?;
        let mut buf = pooled(len_w);
        if !self.pread_into(start, &mut buf[..len_w]) {
            unpool(buf);
            return self.pread(offset, len).map(Cow::Owned);
        }
        let w = cell.get_or_init(|| Window {
            start,
            buf,
            len: len_w,
        });
        w.get(offset, end).map(Cow::Borrowed)
    }
}

/// Classify a file from its first `data.len()` bytes; `file_len` is the file's real size
/// (`data` is the whole file when `data.len() as u64 == file_len`). Facts that need bytes
/// beyond `data` are left unknown, never reported as corruption. Never panics.
///
/// ```
/// use archcompat::{classify, Format};
/// assert_eq!(classify(b"", 0).format(), Format::Empty);
/// let info = classify(b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 12\n", 60);
/// assert_eq!(info.format(), Format::LfsPointer);
/// ```
pub fn classify(data: &[u8], file_len: u64) -> BinaryInfo {
    let file_len = file_len.max(data.len() as u64);
    let src = SliceSource { data, file_len };
    classify_source(data, &src)
}

/// Classify the file at `path`, reading a prefix and then only the parts needed. Only
/// regular files are read: a directory, FIFO, socket or device is an error naming the path
/// (a FIFO is never waited on).
///
/// (Example: the test `doc_examples::inspect_path_example` in this file.)
pub fn inspect_path(path: &Path) -> Result<BinaryInfo> {
    let (file, file_len) = open_regular(path)?;
    let want = (PREFIX_LEN as u64).min(file_len) as usize;
    let mut buf = pooled(want);
    let got = match read_full(&file, &mut buf[..want]) {
        Ok(n) => n,
        Err(e) => {
            unpool(buf);
            return Err(Error::io(path, e));
        }
    };
    let prefix = &buf[..got];
    // A file that shrank while being read: classify what we have.
    let file_len = if got < want { got as u64 } else { file_len };
    let info = {
        let src = FileSource::new(prefix, &file, file_len);
        classify_source(prefix, &src)
    };
    unpool(buf);
    Ok(info)
}

/// Open `path` for reading if it is a regular file (with its length: one `statx` per file);
/// anything else is an error naming it.
#[cfg(unix)]
fn open_regular(path: &Path) -> Result<(std::fs::File, u64)> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    // Only regular files are read; the flag does not affect reads from them.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        let ft = meta.file_type();
        use std::os::unix::fs::FileTypeExt;
        let what = if ft.is_dir() {
            "is a directory"
        } else if ft.is_fifo() {
            "is a FIFO (named pipe), not a regular file"
        } else if ft.is_socket() {
            "is a socket, not a regular file"
        } else if ft.is_char_device() {
            "is a character device, not a regular file"
        } else if ft.is_block_device() {
            "is a block device, not a regular file"
        } else {
            "is not a regular file"
        };
        return Err(not_regular(path, ft.is_dir(), what));
    }
    Ok((file, meta.len()))
}

/// Open `path` for reading if it is a regular file (no FIFOs to wait on without Unix; on
/// `wasm32-unknown-unknown` every open fails with `Unsupported`, reported with the path), with
/// its length.
#[cfg(not(unix))]
fn open_regular(path: &Path) -> Result<(std::fs::File, u64)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        let dir = meta.is_dir();
        let what = if dir {
            "is a directory"
        } else {
            "is not a regular file"
        };
        return Err(not_regular(path, dir, what));
    }
    Ok((file, meta.len()))
}

fn not_regular(path: &Path, dir: bool, what: &str) -> Error {
    let kind = if dir {
        std::io::ErrorKind::IsADirectory
    } else {
        std::io::ErrorKind::InvalidInput
    };
    Error::io(path, std::io::Error::new(kind, what))
}

fn classify_source(data: &[u8], src: &dyn Source) -> BinaryInfo {
    if src.file_len() == 0 {
        return BinaryInfo {
            format: Format::Empty,
            platform: None,
            details: Details::Data(DataDetails { kind: None }),
        };
    }
    if data.starts_with(b"\x7fELF") {
        return elf::classify(data, src);
    }
    if let Some(info) = magic::classify(data, src) {
        return info;
    }
    script::classify(data, src.file_len())
}

// Little helpers shared by the submodules.

pub(crate) fn u16_at(d: &[u8], off: usize, big: bool) -> Option<u16> {
    let b: [u8; 2] = d.get(off..off.checked_add(2)?)?.try_into().ok()?;
    Some(if big {
        u16::from_be_bytes(b)
    } else {
        u16::from_le_bytes(b)
    })
}
pub(crate) fn u32_at(d: &[u8], off: usize, big: bool) -> Option<u32> {
    let b: [u8; 4] = d.get(off..off.checked_add(4)?)?.try_into().ok()?;
    Some(if big {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    })
}
pub(crate) fn u64_at(d: &[u8], off: usize, big: bool) -> Option<u64> {
    let b: [u8; 8] = d.get(off..off.checked_add(8)?)?.try_into().ok()?;
    Some(if big {
        u64::from_be_bytes(b)
    } else {
        u64::from_le_bytes(b)
    })
}

// The tests of this module against real files and corpora (`tests/`).
#[cfg(test)]
mod tests {
    mod elf_regressions;
    mod fixtures;

    use super::{FileSource, MAX_READ, PREFIX_LEN, SliceSource, Source, WINDOWS};

    /// Every read of a file through its prefix and windows returns what a read of the whole
    /// file would, or nothing where that would: ranges straddling the prefix's end, touching or
    /// passing the end of the file, empty, too long, in any order, and more distinct places
    /// than there are windows.
    #[test]
    fn windowed_reads_equal_whole_file_reads() {
        let len = 200_000usize;
        let data: Vec<u8> = (0..len).map(|i| (i * 31 + i / 251) as u8).collect();
        let path = std::env::temp_dir().join(format!("archcompat-window-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let whole = SliceSource {
            data: &data,
            file_len: len as u64,
        };
        let (p, l) = (PREFIX_LEN as u64, len as u64);
        let mut cases = vec![
            (0, 0),
            (0, p),
            (p - 1, 2),
            (p, 1),
            (l - 1, 1),
            (l, 0),
            (l, 1),
            (l - 10, 11),
            (5, MAX_READ + 1),
            (u64::MAX, 1),
            (u64::MAX - 1, 4),
        ];
        // A deterministic spread of offsets and lengths (more places than windows).
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..400 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push((x % (l + 100), (x >> 40) % 20_000));
        }
        let prefix = &data[..PREFIX_LEN];
        // One source for all reads (windows fill up), and a fresh one per read.
        let shared = FileSource::new(prefix, &file, l);
        for &(off, n) in &cases {
            let want = whole.read_at(off, n).map(|c| c.into_owned());
            let fresh = FileSource::new(prefix, &file, l);
            assert_eq!(
                shared.read_at(off, n).map(|c| c.into_owned()),
                want,
                "{off}+{n}"
            );
            assert_eq!(
                fresh.read_at(off, n).map(|c| c.into_owned()),
                want,
                "{off}+{n}"
            );
        }
        assert!(
            shared.windows.iter().all(|w| w.get().is_some()),
            "{WINDOWS} windows used"
        );
        // A file that shrank after its length was taken: the reads past its new end fail.
        let stale = FileSource::new(prefix, &file, l + 50_000);
        assert_eq!(
            stale.read_at(l - 10, 10).map(|c| c.into_owned()),
            whole.read_at(l - 10, 10).map(|c| c.into_owned())
        );
        assert!(stale.read_at(l + 10, 10).is_none());
        let _ = std::fs::remove_file(&path);
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[allow(dead_code)] // compiled, not run (the example needs files that are not here)
    fn inspect_path_example() -> Result<(), Box<dyn std::error::Error>> {
        let info = crate::binary::inspect_path(std::path::Path::new("/bin/sh")).unwrap();
        println!("{} {:?}", info.format(), info.platform());
        Ok(())
    }
}
