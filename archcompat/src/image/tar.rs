//! A bounded, streaming tar reader for layers and image archives. It reads ustar, GNU and PAX
//! headers (GNU long names/links, PAX `path`, `linkpath` and `size`, base-256 sizes) and holds
//! at most one record of a stated size in memory: a GNU long name or link is refused beyond
//! `max_name` bytes, a PAX record beyond `max_header` bytes. Data is never buffered: each
//! member's bytes are read through [`TarReader::data`] and the rest skipped.

use std::io::{self, Read, Seek, SeekFrom};

/// A limit tripped while reading (tar records, registry transfers); carried inside an `io::Error`
/// so callers can report it as a limit.
#[derive(Debug)]
pub(crate) struct LimitHit(pub String);
impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for LimitHit {}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// A byte source a tar walk can skip forward in (seeking files, reading streams).
pub(crate) trait Source: Read {
    /// Skip `n` bytes.
    fn skip(&mut self, n: u64) -> io::Result<()>;
}

impl<S: Source + ?Sized> Source for &mut S {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        (**self).skip(n)
    }
}

/// A stream skipped by reading.
pub(crate) struct Stream<R>(pub R);
impl<R: Read> Read for Stream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}
impl<R: Read> Source for Stream<R> {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let got = io::copy(&mut (&mut self.0).take(n), &mut io::sink())?;
        if got < n {
            return Err(bad("truncated tar stream: a member's data ends early"));
        }
        Ok(())
    }
}

/// A seekable reader (a file, or the web page's dropped file) skipped by seeking.
pub(crate) struct Seeking<R: Read + Seek>(pub R);
impl<R: Read + Seek> Read for Seeking<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}
impl<R: Read + Seek> Source for Seeking<R> {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let n = i64::try_from(n).map_err(|_| bad("tar member larger than 2^63 bytes"))?;
        self.0.seek(SeekFrom::Current(n)).map(|_| ())
    }
}

/// Member types this crate distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Regular,
    Hardlink,
    Symlink,
    Dir,
    Other,
}

/// One member's header, after GNU/PAX extensions were applied.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub path: String,
    pub link: String,
    pub size: u64,
    pub mode: u32,
    pub kind: Kind,
    /// Offset of the member's data from the start of the stream.
    pub data_pos: u64,
}

/// Walks a tar stream member by member.
pub(crate) struct TarReader<S> {
    src: S,
    /// Bytes consumed so far.
    pos: u64,
    /// Data bytes of the current member not read yet, and its padding.
    remaining: u64,
    pad: u64,
    max_name: usize,
    max_header: usize,
    done: bool,
}

fn cstr(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

fn numeric(field: &[u8], what: &str) -> io::Result<u64> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        // base-256 (GNU): big-endian, the first byte's top bit is the marker.
        if field[0] & 0x40 != 0 {
            return Err(bad(format!("negative tar {what}")));
        }
        let mut v: u64 = u64::from(field[0] & 0x3f);
        for &b in &field[1..] {
            v = v
                .checked_mul(256)
                .and_then(|v| v.checked_add(u64::from(b)))
                .ok_or_else(|| bad(format!("tar {what} does not fit in 64 bits")))?;
        }
        return Ok(v);
    }
    let s = cstr(field);
    let s = std::str::from_utf8(s).map_err(|_| bad(format!("tar {what} is not octal")))?;
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(s, 8).map_err(|_| bad(format!("tar {what} {s:?} is not octal")))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(cstr(b)).into_owned()
}

/// PAX records this crate uses: `path`, `linkpath`, `size`.
#[derive(Default)]
struct Pax {
    path: Option<String>,
    link: Option<String>,
    size: Option<u64>,
}

fn parse_pax(mut data: &[u8]) -> io::Result<Pax> {
    let mut p = Pax::default();
    while !data.is_empty() {
        if data.iter().all(|&b| b == 0) {
            break;
        }
        let sp = data
            .iter()
            .position(|&b| b == b' ')
            .ok_or_else(|| bad("malformed PAX record (no length)"))?;
        let len: usize = std::str::from_utf8(&data[..sp])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("malformed PAX record length"))?;
        if len <= sp + 1 || len > data.len() || data[len - 1] != b'\n' {
            return Err(bad("malformed PAX record (length does not match)"));
        }
        let rec = &data[sp + 1..len - 1];
        let eq = rec
            .iter()
            .position(|&b| b == b'=')
            .ok_or_else(|| bad("malformed PAX record (no `=`)"))?;
        let (k, v) = (&rec[..eq], &rec[eq + 1..]);
        match k {
            b"path" => p.path = Some(String::from_utf8_lossy(v).into_owned()),
            b"linkpath" => p.link = Some(String::from_utf8_lossy(v).into_owned()),
            b"size" => {
                p.size = Some(
                    std::str::from_utf8(v)
                        .ok()
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| bad("malformed PAX size record"))?,
                )
            }
            _ => {}
        }
        data = &data[len..];
    }
    Ok(p)
}

impl<S: Source> TarReader<S> {
    /// A reader refusing GNU long names/links over `max_name` bytes and PAX headers over
    /// `max_header` bytes.
    pub(crate) fn new(src: S, max_name: usize, max_header: usize) -> Self {
        TarReader {
            src,
            pos: 0,
            remaining: 0,
            pad: 0,
            max_name,
            max_header,
            done: false,
        }
    }

    fn read_block(&mut self, block: &mut [u8; 512]) -> io::Result<bool> {
        let mut got = 0;
        while got < 512 {
            match self.src.read(&mut block[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.pos += got as u64;
        match got {
            0 => Ok(false),
            512 => Ok(true),
            n if self.pos == n as u64 => Err(bad(format!(
                "not a tar stream: {n} bytes, shorter than one 512-byte tar header"
            ))),
            n => Err(bad(format!(
                "truncated tar stream: a header at offset {} has only {n} of 512 bytes",
                self.pos - n as u64
            ))),
        }
    }

    fn skip_rest(&mut self) -> io::Result<()> {
        let n = self.remaining + self.pad;
        if n > 0 {
            self.src.skip(n)?;
            self.pos += n;
        }
        self.remaining = 0;
        self.pad = 0;
        Ok(())
    }

    /// Read a whole extension record (long name, PAX header) of `size` bytes, at most `max`.
    fn record(&mut self, size: u64, max: usize, what: &str) -> io::Result<Vec<u8>> {
        if size > max as u64 {
            return Err(io::Error::other(LimitHit(format!(
                "a tar {what} of {size} bytes at offset {}; the limit is {max} bytes",
                self.pos
            ))));
        }
        let mut v = Vec::with_capacity(size as usize);
        (&mut self.src).take(size).read_to_end(&mut v)?;
        if (v.len() as u64) < size {
            return Err(bad(format!("truncated tar stream inside a {what}")));
        }
        self.pos += size;
        let pad = (512 - size % 512) % 512;
        self.src.skip(pad)?;
        self.pos += pad;
        Ok(v)
    }

    /// The next member (after skipping what is left of the current one), or `None` at the end.
    pub(crate) fn next_member(&mut self) -> io::Result<Option<Header>> {
        if self.done {
            return Ok(None);
        }
        self.skip_rest()?;
        let mut long_name: Option<String> = None;
        let mut long_link: Option<String> = None;
        let mut pax = Pax::default();
        let mut block = [0u8; 512];
        loop {
            let start = self.pos;
            if !self.read_block(&mut block)? || block.iter().all(|&b| b == 0) {
                self.done = true;
                if long_name.is_some() || long_link.is_some() || pax.path.is_some() {
                    return Err(bad("tar stream ends after an extension header"));
                }
                return Ok(None);
            }
            // A checksum field that is not even octal is a mismatch too (not a header at all).
            let stored = numeric(&block[148..156], "header checksum").unwrap_or(u64::MAX);
            let unsigned: u64 = block
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if (148..156).contains(&i) {
                        32
                    } else {
                        u64::from(b)
                    }
                })
                .sum();
            let signed: i64 = block
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if (148..156).contains(&i) {
                        32
                    } else {
                        i64::from(b as i8)
                    }
                })
                .sum();
            if stored != unsigned && i64::try_from(stored).ok() != Some(signed) {
                return Err(bad(if start == 0 {
                    "not a tar stream (the first 512 bytes are not a tar header)".to_string()
                } else {
                    format!("tar header checksum mismatch at offset {start}")
                }));
            }
            let mut size = numeric(&block[124..136], "member size")?;
            let typeflag = block[156];
            match typeflag {
                b'L' => {
                    let v = self.record(size, self.max_name, "GNU long name")?;
                    long_name = Some(text(&v));
                    continue;
                }
                b'K' => {
                    let v = self.record(size, self.max_name, "GNU long link name")?;
                    long_link = Some(text(&v));
                    continue;
                }
                b'x' | b'X' => {
                    let v = self.record(size, self.max_header, "PAX header")?;
                    let p = parse_pax(&v)?;
                    for (have, name) in [(&p.path, "path"), (&p.link, "linkpath")] {
                        if have.as_ref().is_some_and(|s| s.len() > self.max_name) {
                            return Err(io::Error::other(LimitHit(format!(
                                "a PAX {name} longer than {} bytes at offset {start}",
                                self.max_name
                            ))));
                        }
                    }
                    pax = p;
                    continue;
                }
                b'g' => {
                    self.record(size, self.max_header, "PAX global header")?;
                    continue;
                }
                _ => {}
            }
            if let Some(s) = pax.size {
                size = s;
            }
            let magic = &block[257..263];
            let mut path = text(&block[..100]);
            if magic == b"ustar\0" && block[345] != 0 {
                path = format!("{}/{}", text(&block[345..500]), path);
            }
            let path = pax.path.take().or(long_name.take()).unwrap_or(path);
            let link = pax
                .link
                .take()
                .or(long_link.take())
                .unwrap_or_else(|| text(&block[157..257]));
            let kind = match typeflag {
                b'0' | 0 | b'7' | b'S' => Kind::Regular,
                b'1' => Kind::Hardlink,
                b'2' => Kind::Symlink,
                b'5' => Kind::Dir,
                _ => Kind::Other,
            };
            let mode = (numeric(&block[100..108], "mode")? & 0o7777) as u32;
            // Links and directories carry no data, whatever the size field says (as GNU tar).
            if matches!(kind, Kind::Hardlink | Kind::Symlink | Kind::Dir) {
                size = 0;
            }
            self.remaining = size;
            self.pad = (512 - size % 512) % 512;
            return Ok(Some(Header {
                path,
                link,
                size,
                mode,
                kind,
                data_pos: self.pos,
            }));
        }
    }

    /// The current member's data (what is not read is skipped by the next `next_member`).
    pub(crate) fn data(&mut self) -> Data<'_, S> {
        Data { t: self }
    }

    /// The underlying source, for draining what follows the end-of-archive marker.
    pub(crate) fn source(&mut self) -> &mut S {
        &mut self.src
    }
}

/// The data of the current member.
pub(crate) struct Data<'a, S> {
    t: &'a mut TarReader<S>,
}

impl<S: Source> Read for Data<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.t.remaining == 0 {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(self.t.remaining.min(usize::MAX as u64) as usize);
        let n = self.t.src.read(&mut buf[..want])?;
        if n == 0 {
            return Err(bad("truncated tar stream: a member's data ends early"));
        }
        self.t.remaining -= n as u64;
        self.t.pos += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(bytes: &[u8]) -> io::Result<Vec<(String, String, u64)>> {
        let mut t = TarReader::new(Stream(bytes), 4096, 1 << 20);
        let mut out = Vec::new();
        while let Some(h) = t.next_member()? {
            let mut v = Vec::new();
            t.data().read_to_end(&mut v)?;
            assert_eq!(v.len() as u64, h.size);
            out.push((h.path, h.link, h.size));
        }
        Ok(out)
    }

    fn build(f: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        f(&mut b);
        b.into_inner().unwrap()
    }

    #[test]
    fn reads_what_the_tar_crate_writes_including_long_names_and_links() {
        let long = format!("{}/file", "d".repeat(300));
        let bytes = build(|b| {
            let mut h = tar::Header::new_gnu();
            h.set_size(5);
            h.set_mode(0o755);
            b.append_data(&mut h, &long, &b"hello"[..]).unwrap();
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            b.append_link(&mut h, "short", "x".repeat(200)).unwrap();
        });
        let got = walk(&bytes).unwrap();
        assert_eq!(got[0], (long, String::new(), 5));
        assert_eq!(got[1].0, "short");
        assert_eq!(got[1].1, "x".repeat(200));
    }

    #[test]
    fn long_names_beyond_the_limit_are_refused_without_buffering_them() {
        let bytes = build(|b| {
            let mut h = tar::Header::new_gnu();
            h.set_size(1);
            b.append_data(&mut h, "a".repeat(5000), &b"x"[..]).unwrap();
        });
        let e = walk(&bytes).unwrap_err();
        assert!(e.get_ref().unwrap().is::<LimitHit>(), "{e}");
        assert!(e.to_string().contains("limit is 4096"), "{e}");
    }

    #[test]
    fn short_and_garbage_input_is_named() {
        let e = walk(b"this is a text file, not a tar!\n").unwrap_err();
        assert!(e.to_string().contains("shorter than one 512-byte"), "{e}");
        let e = walk(&[b'x'; 1024]).unwrap_err();
        assert!(e.to_string().contains("not a tar stream"), "{e}");
    }
}
