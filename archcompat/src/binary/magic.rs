//! Non-ELF formats recognised by magic: Mach-O (thin, fat, fat64), Java class, PE/COFF,
//! WebAssembly, Git LFS pointers, HTML/XML pages, archives and compressed data.

use super::{BinaryInfo, Details, Format, u16_at, u32_at, u64_at};
use crate::platform::Platform;
use serde::Serialize;

/// One architecture of a Mach-O file (the only one for a thin file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MachoSlice {
    /// GOARCH spelling (`amd64`, `arm64`, `386`, `arm`, `ppc`, `ppc64`) or `unknown`.
    pub architecture: String,
    /// Sub-architecture (`arm64e`, `x86_64h`, `v7` …) when notable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// `cputype`.
    pub cputype: i32,
    /// `cpusubtype` (low 24 bits).
    pub cpusubtype: u32,
}

/// Mach-O facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MachoDetails {
    /// `32` or `64` (thin), or the fat header width.
    pub bits: u8,
    /// Thin: `object`, `execute`, `dylib`, `bundle` …; fat: `universal`.
    pub filetype: String,
    /// Architectures (one for thin files).
    pub slices: Vec<MachoSlice>,
}

/// PE/COFF facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeDetails {
    /// COFF machine name (`i386`, `amd64`, `arm64`, …) or `unknown`.
    pub machine: String,
    /// COFF machine number.
    pub machine_id: u16,
    /// `PE32` or `PE32+`, when the optional header was readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pe_format: Option<String>,
    /// Subsystem (`console`, `gui`, `efi-application`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsystem: Option<String>,
}

/// WebAssembly facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WasmDetails {
    /// `module` (version 1) or `component`.
    pub kind: String,
    /// The version word.
    pub version: u32,
}

/// Java class facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JavaClassDetails {
    /// Class-file major version (52 = Java 8).
    pub major: u16,
    /// Class-file minor version.
    pub minor: u16,
    /// Java release (`major - 44`).
    pub java: u16,
}

/// Git LFS pointer facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LfsDetails {
    /// `oid` line value (`sha256:…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oid: Option<String>,
    /// Size of the real object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// HTML/XML page facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HtmlDetails {
    /// `html` or `xml`.
    pub kind: String,
    /// `<title>` text, when present in the prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Facts about empty files, archives and unknown data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataDetails {
    /// Container or compression kind when recognised (`zip`, `gzip`, `xz`, `zstd`, `bzip2`,
    /// `tar`, `ar`, `7z`, `pack200`, `coff-object`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

fn info(format: Format, platform: Option<Platform>, details: Details) -> Option<BinaryInfo> {
    Some(BinaryInfo {
        format,
        platform,
        details,
    })
}

fn macho_arch(cputype: i32, sub: u32) -> (String, Option<String>) {
    let sub = sub & 0x00ff_ffff;
    let (a, v) = match cputype {
        7 => ("386", None),
        0x0100_0007 => ("amd64", (sub == 8).then_some("x86_64h")),
        12 => (
            "arm",
            match sub {
                6 => Some("v6"),
                9 | 11 | 12 => Some("v7"),
                13 => Some("v8"),
                _ => None,
            },
        ),
        0x0100_000c => ("arm64", (sub == 2).then_some("arm64e")),
        0x0200_000c => ("arm64_32", None),
        18 => ("ppc", None),
        0x0100_0012 => ("ppc64", None),
        _ => ("unknown", None),
    };
    (a.to_string(), v.map(str::to_string))
}

fn macho_filetype(t: u32) -> String {
    match t {
        1 => "object",
        2 => "execute",
        3 => "fvmlib",
        4 => "core",
        5 => "preload",
        6 => "dylib",
        7 => "dylinker",
        8 => "bundle",
        9 => "dylib-stub",
        10 => "dsym",
        11 => "kext",
        _ => "unknown",
    }
    .to_string()
}

fn pe_machine(m: u16) -> &'static str {
    match m {
        0x14c => "i386",
        0x8664 => "amd64",
        0xaa64 => "arm64",
        0xa641 => "arm64ec",
        0xa64e => "arm64x",
        0x1c0 => "arm",
        0x1c4 => "armnt",
        0x200 => "ia64",
        0x5064 => "riscv64",
        0x6264 => "loongarch64",
        0xebc => "efi-byte-code",
        _ => "unknown",
    }
}

fn data(kind: &str) -> Option<BinaryInfo> {
    info(
        Format::Data,
        None,
        Details::Data(DataDetails {
            kind: Some(kind.to_string()),
        }),
    )
}

pub(super) fn classify(d: &[u8], file_len: u64) -> Option<BinaryInfo> {
    let be32 = |o| u32_at(d, o, true);
    let magic = be32(0);
    match magic {
        Some(0xfeed_face) | Some(0xcefa_edfe) | Some(0xfeed_facf) | Some(0xcffa_edfe) => {
            let m = magic.unwrap_or(0);
            let big = m == 0xfeed_face || m == 0xfeed_facf;
            let bits = if m == 0xfeed_facf || m == 0xcffa_edfe {
                64
            } else {
                32
            };
            let cputype = u32_at(d, 4, big).unwrap_or(0) as i32;
            let sub = u32_at(d, 8, big).unwrap_or(0);
            let ft = u32_at(d, 12, big).unwrap_or(0);
            let (arch, variant) = macho_arch(cputype, sub);
            let platform = (arch != "unknown").then(|| Platform::new("darwin", &arch, ""));
            return info(
                Format::Macho,
                platform,
                Details::Macho(MachoDetails {
                    bits,
                    filetype: macho_filetype(ft),
                    slices: vec![MachoSlice {
                        architecture: arch,
                        variant,
                        cputype,
                        cpusubtype: sub & 0x00ff_ffff,
                    }],
                }),
            );
        }
        Some(0xcafe_babe) | Some(0xcafe_babf) => {
            let n = be32(4).unwrap_or(0);
            let fat64 = magic == Some(0xcafe_babf);
            // Java class: CAFEBABE minor(u16) major(u16 ≥ 45) → the u32 is large. Fat
            // headers have a handful of architectures (libmagic: < 20 fat, > 30 Java).
            if !fat64 && n >= 30 {
                let minor = u16_at(d, 4, true).unwrap_or(0);
                let major = u16_at(d, 6, true).unwrap_or(0);
                return info(
                    Format::JavaClass,
                    None,
                    Details::JavaClass(JavaClassDetails {
                        major,
                        minor,
                        java: major.saturating_sub(44),
                    }),
                );
            }
            if n == 0 && d.len() >= 8 && file_len < 8 + 20 {
                return data("unknown-cafebabe");
            }
            let entsz = if fat64 { 32 } else { 20 };
            let mut slices = Vec::new();
            for i in 0..(n as usize).min(30) {
                let o = 8 + i * entsz;
                let (Some(ct), Some(st)) = (be32(o), be32(o + 4)) else {
                    break;
                };
                let (architecture, variant) = macho_arch(ct as i32, st);
                // Offsets/sizes are recorded but not needed for classification.
                let _ = if fat64 {
                    u64_at(d, o + 8, true)
                } else {
                    be32(o + 8).map(u64::from)
                };
                slices.push(MachoSlice {
                    architecture,
                    variant,
                    cputype: ct as i32,
                    cpusubtype: st & 0x00ff_ffff,
                });
            }
            return info(
                Format::MachoFat,
                None,
                Details::Macho(MachoDetails {
                    bits: if fat64 { 64 } else { 32 },
                    filetype: "universal".into(),
                    slices,
                }),
            );
        }
        Some(0xcafe_d00d) => return data("pack200"),
        _ => {}
    }
    if d.starts_with(b"MZ") {
        let lfanew = u32_at(d, 0x3c, false).map(|v| v as usize);
        let mut pe = PeDetails {
            machine: "unknown".into(),
            machine_id: 0,
            pe_format: None,
            subsystem: None,
        };
        if let Some(o) = lfanew.filter(|o| d.get(*o..o.saturating_add(4)) == Some(b"PE\0\0")) {
            let m = u16_at(d, o + 4, false).unwrap_or(0);
            pe.machine_id = m;
            pe.machine = pe_machine(m).into();
            let opt = o + 24;
            pe.pe_format = match u16_at(d, opt, false) {
                Some(0x10b) => Some("PE32".into()),
                Some(0x20b) => Some("PE32+".into()),
                _ => None,
            };
            if pe.pe_format.is_some() {
                pe.subsystem = u16_at(d, opt + 68, false).map(|s| {
                    match s {
                        1 => "native",
                        2 => "gui",
                        3 => "console",
                        9 => "windows-ce",
                        10 => "efi-application",
                        11 => "efi-boot-driver",
                        12 => "efi-runtime-driver",
                        _ => "other",
                    }
                    .to_string()
                });
            }
        }
        let arch = match pe.machine.as_str() {
            "i386" => Some("386"),
            "amd64" => Some("amd64"),
            "arm64" | "arm64ec" | "arm64x" => Some("arm64"),
            "arm" | "armnt" => Some("arm"),
            "riscv64" => Some("riscv64"),
            "loongarch64" => Some("loong64"),
            _ => None,
        };
        return info(
            Format::Pe,
            arch.map(|a| Platform::new("windows", a, "")),
            Details::Pe(pe),
        );
    }
    if d.starts_with(b"\0asm") {
        let version = u32_at(d, 4, false).unwrap_or(0);
        return info(
            Format::Wasm,
            None,
            Details::Wasm(WasmDetails {
                kind: if version == 1 { "module" } else { "component" }.into(),
                version,
            }),
        );
    }
    if d.starts_with(b"version https://git-lfs.github.com/spec/") {
        let text = String::from_utf8_lossy(&d[..d.len().min(1024)]);
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k).map(|v| v.trim().to_string()))
        };
        return info(
            Format::LfsPointer,
            None,
            Details::LfsPointer(LfsDetails {
                oid: field("oid "),
                size: field("size ").and_then(|s| s.parse().ok()),
            }),
        );
    }
    if let Some(h) = html(d) {
        return info(Format::Html, None, Details::Html(h));
    }
    let kinds: [(&[u8], &str); 9] = [
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06", "zip"),
        (b"\x1f\x8b", "gzip"),
        (b"\xfd7zXZ\0", "xz"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
        (b"BZh", "bzip2"),
        (b"!<arch>\n", "ar"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"\x89PNG", "png"),
    ];
    for (m, k) in kinds {
        if d.starts_with(m) {
            return data(k);
        }
    }
    if d.get(257..262) == Some(b"ustar") {
        return data("tar");
    }
    None
}

fn html(d: &[u8]) -> Option<HtmlDetails> {
    let d = d.strip_prefix(b"\xef\xbb\xbf").unwrap_or(d);
    let start = d.iter().position(|b| !b.is_ascii_whitespace())?;
    let head: Vec<u8> = d[start..]
        .iter()
        .take(64)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let kind = if head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || head.starts_with(b"<head")
        || head.starts_with(b"<body")
    {
        "html"
    } else if head.starts_with(b"<?xml") {
        if find_ci(&d[..d.len().min(4096)], b"<html").is_some() {
            "html"
        } else {
            "xml"
        }
    } else {
        return None;
    };
    let window = &d[..d.len().min(8192)];
    let title = find_ci(window, b"<title>").and_then(|i| {
        let rest = &window[i + 7..];
        let end = find_ci(rest, b"</title>")?;
        let t = String::from_utf8_lossy(&rest[..end]).trim().to_string();
        (!t.is_empty()).then(|| t.chars().take(200).collect())
    });
    Some(HtmlDetails {
        kind: kind.into(),
        title,
    })
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}
