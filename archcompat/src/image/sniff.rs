//! A minimal, bounded classifier used by the image scanner: ELF (class, byte order, machine,
//! type, `PT_INTERP`), Mach-O, PE, scripts (`#!`), from the first bytes of a file. It reads
//! only inside `data`; facts beyond it stay unknown. The full classifier with libc, ISA level
//! and float ABI is [`crate::binary`]'s.

use crate::platform::Platform;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a file is, in the contract's inspect-entry shape (`format`, `platform`, `details`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinaryInfo {
    /// `elf`, `macho`, `macho-fat`, `pe`, `script`, `wasm`, `empty`, `text` or `data`.
    pub format: String,
    /// The platform it runs on, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Format-specific facts (`class`, `endianness`, `machine`, `type`, `linkage`, `interpreter`).
    #[serde(default)]
    pub details: Map<String, Value>,
}

impl BinaryInfo {
    /// The format slug.
    pub fn format(&self) -> &str {
        &self.format
    }
    /// The platform, when known.
    pub fn platform(&self) -> Option<&Platform> {
        self.platform.as_ref()
    }
    /// ELF `PT_INTERP` or the script's `#!` program.
    pub fn interpreter(&self) -> Option<&str> {
        self.details.get("interpreter").and_then(Value::as_str)
    }
    /// Whether this is a format a kernel or loader executes.
    pub fn is_executable_format(&self) -> bool {
        matches!(
            self.format.as_str(),
            "elf" | "macho" | "macho-fat" | "pe" | "script"
        )
    }
}

fn u16_at(d: &[u8], off: usize, le: bool) -> Option<u16> {
    let b: [u8; 2] = d.get(off..off + 2)?.try_into().ok()?;
    Some(if le {
        u16::from_le_bytes(b)
    } else {
        u16::from_be_bytes(b)
    })
}

fn u32_at(d: &[u8], off: usize, le: bool) -> Option<u32> {
    let b: [u8; 4] = d.get(off..off + 4)?.try_into().ok()?;
    Some(if le {
        u32::from_le_bytes(b)
    } else {
        u32::from_be_bytes(b)
    })
}

fn u64_at(d: &[u8], off: usize, le: bool) -> Option<u64> {
    let b: [u8; 8] = d.get(off..off + 8)?.try_into().ok()?;
    Some(if le {
        u64::from_le_bytes(b)
    } else {
        u64::from_be_bytes(b)
    })
}

fn elf_arch(machine: u16, is64: bool, le: bool) -> Option<(&'static str, &'static str)> {
    Some(match (machine, is64, le) {
        (3, false, _) => ("386", "x86"),
        (62, true, _) => ("amd64", "x86-64"),
        (40, false, true) => ("arm", "ARM"),
        (183, true, true) => ("arm64", "AArch64"),
        (8, true, true) => ("mips64le", "MIPS"),
        (8, true, false) => ("mips64", "MIPS"),
        (8, false, true) => ("mipsle", "MIPS"),
        (8, false, false) => ("mips", "MIPS"),
        (20, false, false) => ("ppc", "PowerPC"),
        (21, true, true) => ("ppc64le", "PowerPC64"),
        (21, true, false) => ("ppc64", "PowerPC64"),
        (22, true, false) => ("s390x", "S/390"),
        (22, false, false) => ("s390", "S/390"),
        (243, true, true) => ("riscv64", "RISC-V"),
        (258, true, true) => ("loong64", "LoongArch"),
        (43, true, false) => ("sparc64", "SPARC V9"),
        _ => return None,
    })
}

fn elf(data: &[u8]) -> BinaryInfo {
    let mut details = Map::new();
    let class = data.get(4).copied().unwrap_or(0);
    let order = data.get(5).copied().unwrap_or(0);
    let (is64, le) = (class == 2, order != 2);
    details.insert(
        "class".into(),
        (if is64 { "ELF64" } else { "ELF32" }).into(),
    );
    details.insert(
        "endianness".into(),
        (if le { "little" } else { "big" }).into(),
    );
    let machine = u16_at(data, 18, le);
    let etype = u16_at(data, 16, le);
    let mut platform = None;
    if let Some(m) = machine {
        match elf_arch(m, is64, le) {
            Some((arch, name)) => {
                details.insert("machine".into(), name.into());
                platform = Some(Platform::new("linux", arch, ""));
            }
            None => {
                details.insert("machine".into(), format!("e_machine {m}").into());
            }
        }
    }
    if let Some(t) = etype {
        let t = match t {
            1 => "rel",
            2 => "exec",
            3 => "dyn",
            4 => "core",
            _ => "other",
        };
        details.insert("type".into(), t.into());
    }
    // Program headers: find PT_INTERP within the bytes we have.
    let (phoff, phentsize, phnum) = if is64 {
        (
            u64_at(data, 32, le),
            u16_at(data, 54, le).map(u64::from),
            u16_at(data, 56, le),
        )
    } else {
        (
            u32_at(data, 28, le).map(u64::from),
            u16_at(data, 42, le).map(u64::from),
            u16_at(data, 44, le),
        )
    };
    let mut interp = None;
    let mut complete = false;
    if let (Some(off), Some(sz), Some(n)) = (phoff, phentsize, phnum)
        && sz >= if is64 { 56 } else { 32 }
    {
        complete = true;
        for i in 0..u64::from(n.min(512)) {
            let Some(base) = off
                .checked_add(i * sz)
                .and_then(|b| usize::try_from(b).ok())
            else {
                complete = false;
                break;
            };
            let Some(ptype) = u32_at(data, base, le) else {
                complete = false;
                break;
            };
            if ptype != 3 {
                continue;
            }
            let (o, f) = if is64 {
                (u64_at(data, base + 8, le), u64_at(data, base + 32, le))
            } else {
                (
                    u32_at(data, base + 4, le).map(u64::from),
                    u32_at(data, base + 16, le).map(u64::from),
                )
            };
            if let (Some(o), Some(f)) = (o, f) {
                let s = usize::try_from(o).ok();
                let e = o.checked_add(f).and_then(|e| usize::try_from(e).ok());
                if let (Some(s), Some(e)) = (s, e)
                    && let Some(bytes) = data.get(s..e)
                {
                    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
                    interp = Some(String::from_utf8_lossy(&bytes[..end]).into_owned());
                } else {
                    complete = false;
                }
            }
            break;
        }
    }
    if let Some(i) = &interp {
        details.insert("interpreter".into(), i.clone().into());
        details.insert("linkage".into(), "dynamic".into());
    } else if complete {
        let l = if etype == Some(3) {
            "static-pie"
        } else {
            "static"
        };
        details.insert("linkage".into(), l.into());
    }
    BinaryInfo {
        format: "elf".into(),
        platform,
        details,
    }
}

fn script(data: &[u8]) -> BinaryInfo {
    let line_end = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let line = &data[2..line_end];
    let crlf = line.ends_with(b"\r");
    let text = String::from_utf8_lossy(line);
    let mut details = Map::new();
    if let Some(prog) = text.trim_end_matches('\r').split_whitespace().next() {
        details.insert("interpreter".into(), prog.to_string().into());
    }
    details.insert(
        "line_endings".into(),
        (if crlf { "crlf" } else { "lf" }).into(),
    );
    BinaryInfo {
        format: "script".into(),
        platform: None,
        details,
    }
}

fn macho_arch(cpu: u32) -> Option<&'static str> {
    Some(match cpu {
        7 => "386",
        0x0100_0007 => "amd64",
        12 => "arm",
        0x0100_000c => "arm64",
        18 => "ppc",
        0x0100_0012 => "ppc64",
        _ => return None,
    })
}

/// Classify `data`, the first `data.len()` bytes of a file of `file_len` bytes.
pub fn classify(data: &[u8], file_len: u64) -> BinaryInfo {
    let info = |format: &str, platform: Option<Platform>| BinaryInfo {
        format: format.into(),
        platform,
        details: Map::new(),
    };
    if file_len == 0 {
        return info("empty", None);
    }
    if data.starts_with(b"\x7fELF") {
        return elf(data);
    }
    if data.starts_with(b"#!") {
        return script(data);
    }
    if data.starts_with(b"\0asm") {
        return info("wasm", None);
    }
    for (magic, le) in [
        (&[0xfe, 0xed, 0xfa, 0xce][..], false),
        (&[0xfe, 0xed, 0xfa, 0xcf], false),
        (&[0xce, 0xfa, 0xed, 0xfe], true),
        (&[0xcf, 0xfa, 0xed, 0xfe], true),
    ] {
        if data.starts_with(magic) {
            let arch = u32_at(data, 4, le).and_then(macho_arch);
            return info("macho", arch.map(|a| Platform::new("darwin", a, "")));
        }
    }
    if data.starts_with(&[0xca, 0xfe, 0xba, 0xbe]) && u32_at(data, 4, false).is_some_and(|n| n < 30)
    {
        return info("macho-fat", None);
    }
    if data.starts_with(b"MZ")
        && let Some(off) = u32_at(data, 0x3c, true).map(|o| o as usize)
        && data.get(off..off + 4) == Some(b"PE\0\0")
    {
        let arch = match u16_at(data, off + 4, true) {
            Some(0x14c) => Some("386"),
            Some(0x8664) => Some("amd64"),
            Some(0xaa64) => Some("arm64"),
            Some(0x1c4) => Some("arm"),
            _ => None,
        };
        return info("pe", arch.map(|a| Platform::new("windows", a, "")));
    }
    let sample = &data[..data.len().min(512)];
    if std::str::from_utf8(sample).is_ok() && !sample.contains(&0) {
        return info("text", None);
    }
    info("data", None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_binaries_and_scripts() {
        let t = std::fs::read("/bin/true").unwrap();
        let i = classify(&t, t.len() as u64);
        assert_eq!(i.format(), "elf");
        assert!(i.interpreter().unwrap().contains("ld-linux"));
        let s = classify(b"#!/bin/bash -e\r\necho", 20);
        assert_eq!(s.interpreter(), Some("/bin/bash"));
        assert_eq!(s.details["line_endings"], "crlf");
        assert_eq!(classify(b"", 0).format(), "empty");
        assert_eq!(classify(b"\x7fELF", 4).format(), "elf");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(mut d in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256), elf in proptest::prelude::any::<bool>()) {
            if elf && d.len() >= 4 { d[..4].copy_from_slice(b"\x7fELF"); }
            let _ = classify(&d, d.len() as u64 + 10);
        }
    }
}
