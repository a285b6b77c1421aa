//! The floor `archcompat inspect` is measured against: for every path on the command line,
//! open it, read at most 4 KiB, close it — on one thread, nothing else. `benches/compare.sh`
//! runs it exactly as it runs `archcompat inspect` (the same paths, through the same `xargs`).
//! Prints the number of files read and bytes seen on stderr, so the work cannot be skipped.

use std::io::Read;

fn main() {
    let mut buf = [0u8; 4096];
    let (mut files, mut bytes, mut failed) = (0u64, 0u64, 0u64);
    for path in std::env::args_os().skip(1) {
        match std::fs::File::open(&path) {
            Ok(mut f) => match f.read(&mut buf) {
                Ok(n) => {
                    files += 1;
                    bytes += n as u64;
                }
                Err(_) => failed += 1,
            },
            Err(_) => failed += 1,
        }
    }
    eprintln!("readloop: {files} files, {bytes} bytes, {failed} failed");
}
