//! Classification speed on a tree of real files (this machine's `/usr`, capped): archcompat's
//! `inspect_path` vs `file -b` (libmagic, one process over the list) vs a bare
//! open + read(4 KiB) + close loop; plus in-memory prefix classification.
//!
//! `cargo bench -p archcompat-benches --bench inspect` (env `ARCHCOMPAT_BENCH_FILES`, default
//! 3000; `ARCHCOMPAT_BENCH_ROOT`, default `/usr`). Prints the per-file costs and the ratios.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn collect(root: &Path, cap: usize, out: &mut Vec<PathBuf>) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = rd.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.push(e.path());
                if out.len() >= cap {
                    return;
                }
            }
        }
    }
}

fn per_file(total: std::time::Duration, n: usize) -> f64 {
    total.as_secs_f64() * 1e6 / n as f64
}

fn main() {
    let cap: usize = std::env::var("ARCHCOMPAT_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let root = std::env::var("ARCHCOMPAT_BENCH_ROOT").unwrap_or_else(|_| "/usr".into());
    let mut files = Vec::new();
    collect(Path::new(&root), cap, &mut files);
    let n = files.len();
    assert!(n > 0, "no files under {root}");

    // Warm the page cache so every method sees the same state.
    let mut buf = vec![0u8; 4096];
    for f in &files {
        if let Ok(mut h) = std::fs::File::open(f) {
            let _ = h.read(&mut buf);
        }
    }

    let best_of = |f: &dyn Fn()| -> std::time::Duration {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap()
    };

    let bare = best_of(&|| {
        let mut buf = [0u8; 4096];
        for f in &files {
            if let Ok(mut h) = std::fs::File::open(f) {
                let _ = std::hint::black_box(h.read(&mut buf));
            }
        }
    });
    let host = archcompat::Host::from_platform("linux/amd64".parse().unwrap());
    let ours = best_of(&|| {
        for f in &files {
            let _ = std::hint::black_box(archcompat::inspect_path(f, &host));
        }
    });

    // libmagic: one `file -b -f LIST` process for all files (its best case).
    let list = std::env::temp_dir().join(format!("archcompat-bench-{}.txt", std::process::id()));
    let text: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    std::fs::write(&list, text).unwrap();
    let file_t = {
        let t = Instant::now();
        let out = Command::new("file").arg("-b").arg("-f").arg(&list).output();
        let d = t.elapsed();
        match out {
            Ok(o) if o.status.success() => Some(d),
            _ => None,
        }
    };
    std::fs::remove_file(&list).ok();

    // In-memory prefix classification over the same files' first 4 KiB.
    let prefixes: Vec<(Vec<u8>, u64)> = files
        .iter()
        .filter_map(|f| {
            let mut h = std::fs::File::open(f).ok()?;
            let len = h.metadata().ok()?.len();
            let mut b = Vec::with_capacity(4096);
            (&mut h).take(4096).read_to_end(&mut b).ok()?;
            Some((b, len))
        })
        .collect();
    let mem = best_of(&|| {
        for (b, len) in &prefixes {
            std::hint::black_box(archcompat::classify(b, *len));
        }
    });

    let (b, o, m) = (
        per_file(bare, n),
        per_file(ours, n),
        per_file(mem, prefixes.len()),
    );
    println!("files: {n} regular files under {root} (page cache warm, best of 3)");
    println!("bare open+read(4 KiB)+close: {b:8.2} µs/file");
    println!(
        "archcompat inspect_path:     {o:8.2} µs/file  ({:.2}× the bare loop)",
        o / b
    );
    if let Some(ft) = file_t {
        let f = per_file(ft, n);
        println!(
            "file -b -f LIST (libmagic):  {f:8.2} µs/file  (archcompat is {:.0}× faster)",
            f / o
        );
    } else {
        println!("file -b: not available");
    }
    println!("classify(4 KiB prefix):      {m:8.2} µs/file (in memory)");
}
