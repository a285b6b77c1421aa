//! The reads `archcompat inspect` cannot do without, and nothing else: for every path on the
//! command line, open it (`O_NONBLOCK`, as inspect does, so a FIFO is never waited on), take
//! its type and length (`statx`: only regular files are read), read at most its first 4 KiB,
//! close it — on up to one thread per core, the paths taken 16 at a time from a shared counter
//! as inspect's workers take them. No parsing, no findings, no output but the counts.
//!
//! `benches/compare.sh` runs it beside `readloop` (one thread, open+read+close) and
//! `archcompat inspect`, through the same `xargs`: what it costs is a floor no inspect can go
//! below on this machine (an ELF file needs more than its first 4 KiB read: the section headers
//! at its end, its dynamic section), so the time between it and inspect is what the parsing,
//! the findings, the fixes and the JSON cost. Prints the files read and bytes seen on stderr,
//! so the work cannot be skipped.

use nix::fcntl::OFlag;
use std::ffi::OsString;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

const CHUNK: usize = 16;

fn main() {
    let paths: Vec<OsString> = std::env::args_os().skip(1).collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(paths.len().div_ceil(CHUNK))
        .max(1);
    let next = AtomicUsize::new(0);
    let (files, bytes, failed) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let work = || {
        let mut buf = [0u8; 4096];
        let (mut f_n, mut b_n, mut x_n) = (0u64, 0u64, 0u64);
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= paths.len() {
                break;
            }
            for p in &paths[start..(start + CHUNK).min(paths.len())] {
                match read_prefix(p, &mut buf) {
                    Some(n) => {
                        f_n += 1;
                        b_n += n as u64;
                    }
                    None => x_n += 1,
                }
            }
        }
        files.fetch_add(f_n, Ordering::Relaxed);
        bytes.fetch_add(b_n, Ordering::Relaxed);
        failed.fetch_add(x_n, Ordering::Relaxed);
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    eprintln!(
        "readfloor: {} files, {} bytes, {} failed or not regular, {threads} threads",
        files.into_inner(),
        bytes.into_inner(),
        failed.into_inner()
    );
}

/// Open, check, read the first bytes, close: how many bytes were read, or `None` when the path
/// could not be opened or read or is not a regular file.
fn read_prefix(path: &OsString, buf: &mut [u8]) -> Option<usize> {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(OFlag::O_NONBLOCK.bits())
        .open(path)
        .ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let want = buf
        .len()
        .min(usize::try_from(meta.len()).unwrap_or(usize::MAX));
    f.read(&mut buf[..want]).ok()
}
