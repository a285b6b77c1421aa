//! The decompression floor an image scan is measured against: decompress each layer blob named
//! on the command line, one after the other on one thread, with the same decoders archcompat
//! uses (gzip: flate2 on zlib-rs; zstd: ruzstd; anything else is read as is), into a sink.
//! Prints the compressed and decompressed byte counts on stderr.

use std::io::{self, BufRead, BufReader, Read};
use std::process::ExitCode;

fn inflate(path: &str) -> io::Result<(u64, u64)> {
    let f = std::fs::File::open(path)?;
    let mut br = BufReader::with_capacity(64 << 10, f);
    let head = br.fill_buf()?.to_vec();
    let mut decoded: Box<dyn Read> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(br))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(ruzstd::decoding::StreamingDecoder::new(br).map_err(io::Error::other)?)
    } else {
        Box::new(br)
    };
    // Large output buffer, as archcompat's scan uses.
    let mut buf = vec![0u8; 256 << 10];
    let mut out = 0u64;
    loop {
        match decoded.read(&mut buf)? {
            0 => break,
            n => out += n as u64,
        }
    }
    let size = std::fs::metadata(path)?.len();
    Ok((size, out))
}

fn main() -> ExitCode {
    let (mut inb, mut outb) = (0u64, 0u64);
    for path in std::env::args().skip(1) {
        match inflate(&path) {
            Ok((i, o)) => {
                inb += i;
                outb += o;
            }
            Err(e) => {
                eprintln!("inflate: {path}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    eprintln!("inflate: {inb} bytes in, {outb} bytes out");
    ExitCode::SUCCESS
}
