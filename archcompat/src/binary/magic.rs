//! Non-ELF formats recognised by magic: Mach-O (thin, fat, fat64), Java class, PE/COFF,
//! WebAssembly, Git LFS pointers, HTML/XML pages, archives and compressed data. Mach-O and
//! PE headers are read with goblin; the rest are magic numbers and a few text fields.

use super::{BinaryInfo, Details, Format, MAX_READ, Source, u16_at, u32_at};
use crate::platform::Platform;
use goblin::mach::fat::{FatArch, FatHeader};
use scroll::Pread;
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

/// Thin Mach-O header (goblin), from a zero-padded copy so a short file gives zeros for the
/// fields it lacks.
fn macho_thin(d: &[u8]) -> Option<BinaryInfo> {
    let mut head = [0u8; 32];
    let n = d.len().min(32);
    head[..n].copy_from_slice(&d[..n]);
    let (_, ctx) = goblin::mach::parse_magic_and_ctx(&head, 0).ok()?;
    let h: goblin::mach::header::Header = head.pread_with(0, ctx?).ok()?;
    let bits = if h.magic == goblin::mach::header::MH_MAGIC_64
        || h.magic == goblin::mach::header::MH_CIGAM_64
    {
        64
    } else {
        32
    };
    let cputype = h.cputype as i32;
    let sub = h.cpusubtype;
    let (arch, variant) = macho_arch(cputype, sub);
    let platform = (arch != "unknown").then(|| Platform::new("darwin", &arch, ""));
    info(
        Format::Macho,
        platform,
        Details::Macho(MachoDetails {
            bits,
            filetype: macho_filetype(h.filetype),
            slices: vec![MachoSlice {
                architecture: arch,
                variant,
                cputype,
                cpusubtype: sub & 0x00ff_ffff,
            }],
        }),
    )
}

/// PE/COFF headers (goblin). The prefix usually holds them; when `e_lfanew` points further,
/// one bounded read fetches the headers.
fn pe(d: &[u8], src: &dyn Source) -> PeDetails {
    let mut pe = PeDetails {
        machine: "unknown".into(),
        machine_id: 0,
        pe_format: None,
        subsystem: None,
    };
    let fields = |h: goblin::pe::header::Header<'_>| {
        let opt = h
            .optional_header
            .map(|o| (o.standard_fields.magic, o.windows_fields.subsystem));
        (h.coff_header.machine, opt)
    };
    let parsed = goblin::pe::header::Header::parse(d)
        .ok()
        .map(fields)
        .or_else(|| {
            let lfanew = u64::from(u32_at(d, 0x3c, false)?);
            // Signature, COFF header, the largest optional header and its data directories.
            let want = lfanew.checked_add(4 + 20 + 240 + 16 * 8)?;
            let want = want.min(src.file_len()).min(MAX_READ);
            if want <= d.len() as u64 {
                return None;
            }
            let buf = src.read_at(0, want)?;
            goblin::pe::header::Header::parse(&buf).ok().map(fields)
        });
    let Some((m, opt)) = parsed else { return pe };
    pe.machine_id = m;
    pe.machine = pe_machine(m).into();
    if let Some((opt_magic, subsystem)) = opt {
        pe.pe_format = match opt_magic {
            0x10b => Some("PE32".into()),
            0x20b => Some("PE32+".into()),
            _ => None,
        };
        if pe.pe_format.is_some() {
            pe.subsystem = Some(
                match subsystem {
                    1 => "native",
                    2 => "gui",
                    3 => "console",
                    9 => "windows-ce",
                    10 => "efi-application",
                    11 => "efi-boot-driver",
                    12 => "efi-runtime-driver",
                    _ => "other",
                }
                .to_string(),
            );
        }
    }
    pe
}

pub(super) fn classify(d: &[u8], src: &dyn Source) -> Option<BinaryInfo> {
    let file_len = src.file_len();
    let be32 = |o| u32_at(d, o, true);
    let magic = be32(0);
    match magic {
        Some(0xfeed_face) | Some(0xcefa_edfe) | Some(0xfeed_facf) | Some(0xcffa_edfe) => {
            return macho_thin(d);
        }
        Some(0xcafe_babe) | Some(0xcafe_babf) => {
            let mut head = [0u8; 8];
            head[..d.len().min(8)].copy_from_slice(&d[..d.len().min(8)]);
            let n = FatHeader::parse(&head).map(|h| h.nfat_arch).unwrap_or(0);
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
            // fat_arch_64 starts like fat_arch (cputype, cpusubtype); goblin reads those two
            // fields, the only ones used here.
            let entsz = if fat64 { 32 } else { 20 };
            let mut slices = Vec::new();
            for i in 0..(n as usize).min(30) {
                let Ok(a) = FatArch::parse(d, 8 + i * entsz) else {
                    break;
                };
                let (architecture, variant) = macho_arch(a.cputype as i32, a.cpusubtype);
                slices.push(MachoSlice {
                    architecture,
                    variant,
                    cputype: a.cputype as i32,
                    cpusubtype: a.cpusubtype & 0x00ff_ffff,
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
        let pe = pe(d, src);
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
