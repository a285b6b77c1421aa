//! `Read + Seek` over a `Blob` (a dropped `File`) with `FileReaderSync`, one window of
//! [`WINDOW`] bytes at a time: the archive is never held in memory. Web Workers only.

use std::io::{self, Read, Seek, SeekFrom};

/// Bytes fetched from the blob per `FileReaderSync` call.
const WINDOW: u64 = 1 << 20;

pub(crate) struct BlobReader {
    blob: web_sys::Blob,
    sync: web_sys::FileReaderSync,
    len: u64,
    pos: u64,
    /// The window last read and where it starts in the blob.
    window: Vec<u8>,
    window_start: u64,
}

impl std::fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobReader")
            .field("len", &self.len)
            .field("pos", &self.pos)
            .finish()
    }
}

fn js(e: wasm_bindgen::JsValue) -> io::Error {
    io::Error::other(
        e.as_string()
            .unwrap_or_else(|| "the browser could not read the file".into()),
    )
}

impl BlobReader {
    pub(crate) fn new(blob: web_sys::Blob) -> io::Result<Self> {
        let sync = web_sys::FileReaderSync::new().map_err(|_| {
            io::Error::new(
                io::ErrorKind::Unsupported,
                "reading a file needs FileReaderSync (a Web Worker)",
            )
        })?;
        let len = blob.size() as u64;
        Ok(BlobReader {
            blob,
            sync,
            len,
            pos: 0,
            window: Vec::new(),
            window_start: 0,
        })
    }

    fn fill(&mut self) -> io::Result<()> {
        let end = (self.pos + WINDOW).min(self.len);
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.pos as f64, end as f64)
            .map_err(js)?;
        let buf = self.sync.read_as_array_buffer(&slice).map_err(js)?;
        self.window = js_sys::Uint8Array::new(&buf).to_vec();
        self.window_start = self.pos;
        Ok(())
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || out.is_empty() {
            return Ok(0);
        }
        let in_window = self.pos >= self.window_start
            && self.pos < self.window_start + self.window.len() as u64;
        if !in_window {
            self.fill()?;
            if self.window.is_empty() {
                return Ok(0);
            }
        }
        let off = (self.pos - self.window_start) as usize;
        let n = out.len().min(self.window.len() - off);
        out[..n].copy_from_slice(&self.window[off..off + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let next = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = next.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}
