//! Cross-checks against binutils and hostile inputs: every ELF fixture's class, byte order
//! and machine agree with `readelf -h`; truncated and mutated fixture bytes never panic.

use archcompat::{Host, classify};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/bin")
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let elf = dir().join("elf");
    let entries = std::fs::read_dir(dir())
        .unwrap()
        .chain(std::fs::read_dir(&elf).unwrap());
    for e in entries {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() || e.file_name() == "expected.json" {
            continue;
        }
        let name = e.file_name().into_string().unwrap();
        let raw = std::fs::read(e.path()).unwrap();
        let data =
            if (name.starts_with("go-") || name.starts_with("too-many")) && name.ends_with(".gz") {
                let mut v = Vec::new();
                flate2::read::GzDecoder::new(&raw[..])
                    .read_to_end(&mut v)
                    .unwrap();
                v
            } else {
                raw
            };
        out.push((name, data));
    }
    out.sort();
    out
}

/// readelf's `Machine:` text for our machine names.
fn readelf_machine(ours: &str) -> &'static str {
    match ours {
        "x86-64" => "Advanced Micro Devices X86-64",
        "i386" => "Intel 80386",
        "aarch64" => "AArch64",
        "arm" => "ARM",
        "ppc64" => "PowerPC64",
        "s390" => "IBM S/390",
        "riscv" => "RISC-V",
        "mips" => "MIPS R3000",
        "loongarch" => "LoongArch",
        _ => "?",
    }
}

#[test]
fn elf_header_facts_match_readelf() {
    let tmp = std::env::temp_dir().join(format!("archcompat-readelf-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut checked = 0;
    for (name, data) in fixtures() {
        if !data.starts_with(b"\x7fELF") || name.starts_with("truncated") {
            continue;
        }
        let path = tmp.join(&name);
        std::fs::write(&path, &data).unwrap();
        let out = Command::new("readelf")
            .arg("-h")
            .arg(&path)
            .output()
            .expect("readelf (binutils, scripts/setup.sh) is installed");
        assert!(out.status.success(), "{name}: readelf failed");
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(k).map(|v| v.trim().to_string()))
                .unwrap_or_default()
        };
        let info = classify(&data, data.len() as u64);
        let e = info.elf().unwrap();
        let v = serde_json::to_value(e).unwrap();
        assert_eq!(
            field("Class:"),
            format!("ELF{}", v["class"].as_str().unwrap()),
            "{name}"
        );
        let data_field = field("Data:");
        let want_endian = if data_field.contains("little") {
            "little"
        } else {
            "big"
        };
        assert_eq!(v["endianness"], want_endian, "{name}");
        assert_eq!(field("Machine:"), readelf_machine(&e.machine), "{name}");
        let flags = field("Flags:");
        let hex = flags.split([',', ' ']).next().unwrap();
        assert_eq!(
            u32::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap(),
            e.e_flags,
            "{name}"
        );
        checked += 1;
    }
    assert!(checked >= 18, "only {checked} ELF fixtures");
    std::fs::remove_dir_all(&tmp).ok();
}

/// xorshift64*: deterministic mutations without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn truncated_and_mutated_fixtures_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut runs = 0u64;
    for (_name, data) in fixtures() {
        let head = &data[..data.len().min(8192)];
        // Every cut of the first 600 bytes, claimed both as the whole file and as a prefix.
        for cut in 0..head.len().min(600) {
            let _ = classify(&head[..cut], cut as u64);
            let _ = classify(&head[..cut], data.len() as u64);
            runs += 2;
        }
        // Random byte and word mutations of the header area, whole file and prefix.
        for _ in 0..300 {
            let mut m = data.clone();
            for _ in 0..1 + rng.next() % 8 {
                let limit = m.len().min(if rng.next().is_multiple_of(4) {
                    m.len()
                } else {
                    512
                });
                if limit == 0 {
                    break;
                }
                let i = (rng.next() as usize) % limit;
                m[i] = match rng.next() % 3 {
                    0 => rng.next() as u8,
                    1 => 0xff,
                    _ => 0,
                };
            }
            let _ = classify(&m, m.len() as u64);
            let _ = classify(&m[..m.len().min(4096)], m.len() as u64);
            runs += 2;
        }
    }
    assert!(runs > 10_000);
}

/// Opt-in (`ARCHCOMPAT_BINARY_CORPUS=DIR`): every file under DIR (other projects' test
/// binaries, e.g. pyelftools, gimli-rs/object-testfiles, goblin, ROPgadget, angr/binaries)
/// classifies without panicking whole, as a 4 KiB prefix, through `inspect_path`, and under
/// 50 random mutations each; `inspect_path` and whole-file `classify` agree.
#[test]
fn outside_corpus_never_panics_and_paths_agree_with_bytes() {
    let Ok(root) = std::env::var("ARCHCOMPAT_BINARY_CORPUS") else {
        eprintln!("skipped: set ARCHCOMPAT_BINARY_CORPUS=DIR to run over a corpus");
        return;
    };
    let mut stack = vec![PathBuf::from(root)];
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut n = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            let data = std::fs::read(e.path()).unwrap();
            let whole = classify(&data, data.len() as u64);
            let _ = classify(&data[..data.len().min(4096)], data.len() as u64);
            let host = Host::from_platform("linux/amd64".parse().unwrap());
            let via_path = archcompat::inspect_path(&e.path(), &host).unwrap().info;
            assert_eq!(via_path, whole, "{}", e.path().display());
            for _ in 0..50 {
                let mut m = data.clone();
                for _ in 0..1 + rng.next() % 8 {
                    if m.is_empty() {
                        break;
                    }
                    let limit = m.len().min(4096);
                    let i = (rng.next() as usize) % limit;
                    m[i] = rng.next() as u8;
                }
                let _ = classify(&m, m.len() as u64);
            }
            n += 1;
        }
    }
    eprintln!("{n} corpus files classified");
}
