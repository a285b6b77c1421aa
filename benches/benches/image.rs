//! Image scan throughput and memory (a benchmark, not a test).
//!
//! Builds a `docker save` archive (Docker 25+ layout: OCI layout plus manifest.json) of gzip
//! layers from this machine's own /usr (real ELF binaries, libraries and text), then compares,
//! each in a fresh child process so peak RSS (VmHWM) is the task's own:
//!   1. `archcompat::check_image` on the archive (digests verified, every file classified);
//!   2. only decompressing the same layers with the same gzip library (flate2 + zlib-rs);
//!   3. extracting the layers with `tar -xzf` and running `file -b` on every regular file.
//!
//! Run: `cargo bench -p archcompat-benches --bench image` (ARCHCOMPAT_BENCH_MB sets the corpus
//! size, default 256). Under `cargo test` it runs once on a tiny corpus as a smoke check.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn collect(roots: &[&str], budget: u64) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut stack: Vec<PathBuf> = roots.iter().map(PathBuf::from).collect();
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                // Images are mostly many small files; skip the rare giants.
                if len > 4 << 20 || total + len > budget {
                    continue;
                }
                total += len;
                out.push(e.path());
            }
        }
        if total >= budget {
            break;
        }
    }
    out
}

/// Writes the archive; returns (path, number of files, uncompressed tar bytes, layer blob paths).
fn build_archive(dir: &Path, mb: u64) -> (PathBuf, usize, u64) {
    let files = collect(
        &[
            "/usr/bin",
            "/usr/lib/x86_64-linux-gnu",
            "/usr/share/doc",
            "/usr/lib",
        ],
        mb << 20,
    );
    let root = dir.join("layout");
    std::fs::create_dir_all(root.join("blobs/sha256")).unwrap();
    let mut layers = Vec::new();
    let mut diff_ids = Vec::new();
    let mut tar_bytes = 0u64;
    // Four layers of about equal size (real images often have one big base layer; see README).
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .collect();
    let total: u64 = sizes.iter().sum();
    let mut chunks: Vec<Vec<PathBuf>> = vec![Vec::new()];
    let mut acc = 0u64;
    for (f, sz) in files.iter().zip(&sizes) {
        if acc >= total.div_ceil(4) * chunks.len() as u64 && chunks.len() < 4 {
            chunks.push(Vec::new());
        }
        acc += sz;
        chunks.last_mut().unwrap().push(f.clone());
    }
    for chunk in &chunks {
        let mut b = tar::Builder::new(Vec::new());
        for f in chunk {
            let name = f.strip_prefix("/").unwrap();
            let _ = b.append_path_with_name(f, name);
        }
        let tar = b.into_inner().unwrap();
        tar_bytes += tar.len() as u64;
        diff_ids.push(format!("sha256:{:x}", Sha256::digest(&tar)));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        gz.write_all(&tar).unwrap();
        let gz = gz.finish().unwrap();
        let d = format!("{:x}", Sha256::digest(&gz));
        std::fs::write(root.join("blobs/sha256").join(&d), &gz).unwrap();
        layers.push(serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": format!("sha256:{d}"), "size": gz.len()}));
    }
    let put = |v: &serde_json::Value| {
        let b = serde_json::to_vec(v).unwrap();
        let d = format!("{:x}", Sha256::digest(&b));
        std::fs::write(root.join("blobs/sha256").join(&d), &b).unwrap();
        (d, b.len())
    };
    let (cfg, cfg_len) = put(
        &serde_json::json!({"architecture": "amd64", "os": "linux", "config": {"Entrypoint": ["/usr/bin/env"]}, "rootfs": {"type": "layers", "diff_ids": diff_ids}}),
    );
    let (man, man_len) = put(
        &serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{cfg}"), "size": cfg_len}, "layers": layers}),
    );
    std::fs::write(root.join("index.json"), serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{man}"), "size": man_len, "annotations": {"io.containerd.image.name": "docker.io/bench/usr:latest", "org.opencontainers.image.ref.name": "latest"}}]})).unwrap()).unwrap();
    std::fs::write(
        root.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    let lnames: Vec<String> = layers
        .iter()
        .map(|l| format!("blobs/sha256/{}", &l["digest"].as_str().unwrap()[7..]))
        .collect();
    std::fs::write(root.join("manifest.json"), serde_json::to_vec(&serde_json::json!([{"Config": format!("blobs/sha256/{cfg}"), "RepoTags": ["bench/usr:latest"], "Layers": lnames}])).unwrap()).unwrap();
    let archive = dir.join("bench.docker.tar");
    let st = Command::new("tar")
        .arg("-C")
        .arg(&root)
        .arg("-cf")
        .arg(&archive)
        .arg(".")
        .status()
        .unwrap();
    assert!(st.success());
    (archive, files.len(), tar_bytes)
}

fn layer_blobs(dir: &Path) -> Vec<PathBuf> {
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("layout/manifest.json")).unwrap()).unwrap();
    man[0]["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| dir.join("layout").join(l.as_str().unwrap()))
        .collect()
}

/// Child-process modes: print "seconds peak_kib" on stdout.
fn child(mode: &str, arg: &str) {
    let t = Instant::now();
    match mode {
        "scan" | "scan1" => {
            let host = archcompat::Host::from_platform("linux/amd64".parse().unwrap());
            let opts = archcompat::Options {
                threads: if mode == "scan1" { 1 } else { 0 },
                ..Default::default()
            };
            let a = archcompat::check_image(arg, &host, &opts).expect("scan");
            eprintln!(
                "scanned {} files; by platform {:?}",
                a.binaries.scanned, a.binaries.by_platform
            );
        }
        "gunzip" => {
            let mut buf = vec![0u8; 256 << 10];
            for p in std::env::split_paths(arg) {
                let f =
                    std::io::BufReader::with_capacity(64 << 10, std::fs::File::open(p).unwrap());
                let mut d = flate2::bufread::MultiGzDecoder::new(f);
                while d.read(&mut buf).unwrap() > 0 {}
            }
        }
        _ => unreachable!(),
    }
    println!("{} {}", t.elapsed().as_secs_f64(), vm_hwm_kib());
}

fn measure(mode: &str, arg: &str) -> (f64, u64) {
    let o = Command::new(std::env::current_exe().unwrap())
        .env("ARCHCOMPAT_BENCH_CHILD", format!("{mode}\n{arg}"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = String::from_utf8_lossy(&o.stdout);
    let mut it = s.split_whitespace();
    (
        it.next().unwrap().parse().unwrap(),
        it.next().unwrap().parse().unwrap(),
    )
}

fn extract_and_file(dir: &Path, blobs: &[PathBuf]) -> (f64, usize) {
    let x = dir.join("extract");
    let _ = std::fs::remove_dir_all(&x);
    std::fs::create_dir_all(&x).unwrap();
    let t = Instant::now();
    for b in blobs {
        let st = Command::new("tar")
            .arg("-xzf")
            .arg(b)
            .arg("-C")
            .arg(&x)
            .status()
            .unwrap();
        assert!(st.success());
    }
    let o = Command::new("sh")
        .arg("-c")
        .arg("find . -type f -print0 | xargs -0 file -b | wc -l")
        .current_dir(&x)
        .output()
        .unwrap();
    let n: usize = String::from_utf8_lossy(&o.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    let secs = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&x);
    (secs, n)
}

fn main() {
    if let Ok(c) = std::env::var("ARCHCOMPAT_BENCH_CHILD") {
        let (mode, arg) = c.split_once('\n').unwrap();
        child(mode, arg);
        return;
    }
    let bench = std::env::args().any(|a| a == "--bench");
    let mb: u64 = if bench {
        std::env::var("ARCHCOMPAT_BENCH_MB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256)
    } else {
        4
    };
    let dir = std::env::temp_dir().join(format!("archcompat-bench-image-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (archive, nfiles, tar_bytes) = build_archive(&dir, mb);
    let blobs = layer_blobs(&dir);
    let gz_bytes: u64 = blobs
        .iter()
        .map(|b| std::fs::metadata(b).unwrap().len())
        .sum();
    let joined = std::env::join_paths(&blobs).unwrap().into_string().unwrap();
    let runs = if bench { 3 } else { 1 };
    let best = |mode: &str, arg: &str| {
        (0..runs)
            .map(|_| measure(mode, arg))
            .fold((f64::MAX, 0), |(t, m), (t2, m2)| (t.min(t2), m.max(m2)))
    };
    let (t_scan1, rss_scan1) = best("scan1", archive.to_str().unwrap());
    let (t_scan, rss_scan) = best("scan", archive.to_str().unwrap());
    let (t_gz, rss_gz) = best("gunzip", &joined);
    let (t_file, n_file) = if bench {
        extract_and_file(&dir, &blobs)
    } else {
        (f64::NAN, 0)
    };
    let mbs = |t: f64| tar_bytes as f64 / t / 1e6;
    println!(
        "image scan benchmark: {nfiles} files, {:.1} MB of tar in {} gzip layers ({:.1} MB compressed)",
        tar_bytes as f64 / 1e6,
        blobs.len(),
        gz_bytes as f64 / 1e6
    );
    let row = |what: &str, t: f64, rss: u64| {
        println!(
            "  {what:<40} {t:>7.3} s  {:>5.0} MB/s  peak RSS {:>5.1} MiB",
            mbs(t),
            rss as f64 / 1024.0
        )
    };
    row("archcompat scan, 1 thread", t_scan1, rss_scan1);
    row("archcompat scan, layers in parallel", t_scan, rss_scan);
    row("gzip decompress only (flate2/zlib-rs)", t_gz, rss_gz);
    println!(
        "  scan/decompress-only throughput: {:.2}x on 1 thread, {:.2}x with parallel layers",
        t_gz / t_scan1,
        t_gz / t_scan
    );
    if bench {
        println!(
            "  tar -xzf + file -b on {n_file} files: {t_file:.3} s ({:.0} MB/s); archcompat is {:.1}x faster (1 thread), {:.1}x (parallel)",
            mbs(t_file),
            t_file / t_scan1,
            t_file / t_scan
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
