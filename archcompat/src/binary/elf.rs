//! ELF: header, program headers, `PT_INTERP`, `PT_DYNAMIC`, notes (GNU properties), a few
//! sections (`.ARM.attributes`, `.go.buildinfo`) and Go build info; mapped to OCI platforms.

use super::{BinaryInfo, Details, Format, MAX_READ, Source, u16_at, u32_at, u64_at};
use crate::platform::Platform;
use serde::Serialize;
use std::collections::BTreeMap;

/// ELF class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ElfClass {
    /// ELFCLASS32.
    #[serde(rename = "32")]
    Elf32,
    /// ELFCLASS64.
    #[serde(rename = "64")]
    Elf64,
}

/// Byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Endianness {
    /// Little-endian.
    Little,
    /// Big-endian.
    Big,
}

/// What kind of ELF object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElfType {
    /// ET_EXEC.
    Exec,
    /// ET_DYN that is a program (has `PT_INTERP` or `DF_1_PIE`).
    Pie,
    /// ET_DYN without PIE marker: shared library or dynamic loader.
    SharedObject,
    /// ET_REL (`.o`).
    Relocatable,
    /// ET_CORE.
    Core,
    /// Anything else.
    Unknown,
}

/// How the program is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Linkage {
    /// No `PT_INTERP`, no `PT_DYNAMIC`.
    Static,
    /// No `PT_INTERP`, `PT_DYNAMIC` with `DF_1_PIE` and no `DT_NEEDED`.
    StaticPie,
    /// Has a `PT_INTERP` (or is a shared object needing a loader).
    Dynamic,
}

/// C library the program needs, from its interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Libc {
    /// GNU C library.
    Glibc,
    /// musl.
    Musl,
    /// Android's bionic.
    Bionic,
    /// uClibc.
    Uclibc,
    /// Other loader (FreeBSD, illumos …).
    Other,
    /// No C library needed at run time (static).
    None,
}

/// Floating-point calling convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FloatAbi {
    /// Soft-float (integer registers).
    Soft,
    /// ARM hard-float (VFP registers, armhf).
    Hard,
    /// Single-precision FP registers (RISC-V lp64f, LoongArch lp64f, MIPS single).
    Single,
    /// Double-precision FP registers (RISC-V lp64d, LoongArch lp64d, MIPS double).
    Double,
    /// Quad (RISC-V lp64q).
    Quad,
}

/// Go build information from `.go.buildinfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoInfo {
    /// Toolchain version (`go1.19.8`).
    pub version: String,
    /// Main module path, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `build KEY=VALUE` settings (`GOOS`, `GOARCH`, `GOAMD64`, `GOARM`, `CGO_ENABLED`, …).
    pub build_settings: BTreeMap<String, String>,
}

/// ELF facts (the contract's `details` for `format: "elf"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElfDetails {
    /// 32 or 64.
    pub class: ElfClass,
    /// Byte order.
    pub endianness: Endianness,
    /// Machine name (`x86-64`, `aarch64`, `arm`, …).
    pub machine: String,
    /// `e_machine`.
    pub e_machine: u16,
    /// `e_flags`.
    pub e_flags: u32,
    /// Object type.
    #[serde(rename = "type")]
    pub elf_type: ElfType,
    /// Linkage (programs and shared objects).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linkage: Option<Linkage>,
    /// `PT_INTERP`.
    pub interpreter: Option<String>,
    /// C library family, from the interpreter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub libc: Option<Libc>,
    /// ABI name where the architecture has several (`x32`, `ilp32`, `o32`, `n32`, `n64`,
    /// `elfv1`, `elfv2`, `eabi5`, `lp64d`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abi: Option<String>,
    /// Floating-point calling convention, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub float_abi: Option<FloatAbi>,
    /// ARM architecture version from `Tag_CPU_arch` (`v5TE`, `v6`, `v7`, `v8-A` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arm_arch: Option<String>,
    /// x86-64 level needed (1–4) from `GNU_PROPERTY_X86_ISA_1_NEEDED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isa_level: Option<u8>,
    /// Decoded `e_flags` names (`rvc`, `nan2008`, `obj-v1`, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// Smallest `p_align` over `PT_LOAD` segments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_align: Option<u64>,
    /// Largest page size (4096, 16384, 65536) for which every `PT_LOAD`'s offset and
    /// address are congruent; a kernel with bigger pages cannot map the program.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<u64>,
    /// Number of `DT_NEEDED` entries, when the dynamic section was readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<u32>,
    /// Go build information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go: Option<GoInfo>,
    /// Go build settings (a copy of `go.build_settings`, the contract's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_settings: Option<BTreeMap<String, String>>,
    /// Why the kernel would refuse this file (ENOEXEC): truncated, bad header …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// Loadable segments extend past the end of the file (exec succeeds, then SIGSEGV/SIGBUS).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated_segments: bool,
}

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_NOTE: u32 = 4;
const PT_GNU_PROPERTY: u32 = 0x6474_e553;
const MAX_PHNUM: u64 = 65536 / 32;
const MAX_SHNUM: u64 = 8192;

#[derive(Clone, Copy)]
struct Phdr {
    p_type: u32,
    p_flags: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
    align: u64,
}

#[derive(Clone, Copy)]
struct Shdr {
    name: u32,
    sh_type: u32,
    offset: u64,
    size: u64,
}

pub(super) fn classify(data: &[u8], src: &dyn Source) -> BinaryInfo {
    let details = parse(data, src);
    let platform = platform_of(&details);
    BinaryInfo {
        format: Format::Elf,
        platform,
        details: Details::Elf(Box::new(details)),
    }
}

fn machine_name(m: u16) -> &'static str {
    match m {
        2 => "sparc",
        3 => "i386",
        6 => "iamcu",
        8 => "mips",
        10 => "mips-rs3-le",
        20 => "ppc",
        21 => "ppc64",
        22 => "s390",
        40 => "arm",
        42 => "superh",
        43 => "sparcv9",
        50 => "ia64",
        62 => "x86-64",
        183 => "aarch64",
        243 => "riscv",
        247 => "bpf",
        258 => "loongarch",
        _ => "unknown",
    }
}

fn parse(data: &[u8], src: &dyn Source) -> ElfDetails {
    let flen = src.file_len();
    let class = match data.get(4) {
        Some(2) => ElfClass::Elf64,
        _ => ElfClass::Elf32,
    };
    let big = data.get(5) == Some(&2);
    let mut d = ElfDetails {
        class,
        endianness: if big {
            Endianness::Big
        } else {
            Endianness::Little
        },
        machine: "unknown".into(),
        e_machine: 0,
        e_flags: 0,
        elf_type: ElfType::Unknown,
        linkage: None,
        interpreter: None,
        libc: None,
        abi: None,
        float_abi: None,
        arm_arch: None,
        isa_level: None,
        flags: Vec::new(),
        load_align: None,
        max_page_size: None,
        needed: None,
        go: None,
        build_settings: None,
        invalid: None,
        truncated_segments: false,
    };
    let avail_or_eof = |n: usize| -> bool { data.len() >= n || flen < n as u64 };
    if !matches!(data.get(4), Some(1) | Some(2)) || !matches!(data.get(5), Some(1) | Some(2)) {
        if data.len() >= 6 {
            d.invalid = Some("bad EI_CLASS or EI_DATA in the ELF identification".into());
        } else if flen <= data.len() as u64 {
            d.invalid = Some(format!(
                "truncated: {flen} bytes, shorter than the ELF identification"
            ));
        }
        return d;
    }
    let is64 = class == ElfClass::Elf64;
    let ehsize = if is64 { 64 } else { 52 };
    if data.len() < ehsize {
        if avail_or_eof(ehsize) {
            d.invalid = Some(format!(
                "truncated: {flen} bytes, shorter than the {ehsize}-byte ELF header"
            ));
        }
        // The identification still tells class and endianness; machine is at 18.
        if let Some(m) = u16_at(data, 18, big) {
            d.e_machine = m;
            d.machine = machine_name(m).into();
        }
        return d;
    }
    let e_type = u16_at(data, 16, big).unwrap_or(0);
    d.e_machine = u16_at(data, 18, big).unwrap_or(0);
    d.machine = machine_name(d.e_machine).into();
    let (phoff, shoff, flags_off) = if is64 {
        (
            u64_at(data, 32, big).unwrap_or(0),
            u64_at(data, 40, big).unwrap_or(0),
            48,
        )
    } else {
        (
            u32_at(data, 28, big).unwrap_or(0) as u64,
            u32_at(data, 32, big).unwrap_or(0) as u64,
            36,
        )
    };
    d.e_flags = u32_at(data, flags_off, big).unwrap_or(0);
    let base = flags_off + 4;
    let phentsize = u16_at(data, base + 2, big).unwrap_or(0) as u64;
    let phnum = u16_at(data, base + 4, big).unwrap_or(0) as u64;
    let shentsize = u16_at(data, base + 6, big).unwrap_or(0) as u64;
    let shnum = u16_at(data, base + 8, big).unwrap_or(0) as u64;
    let shstrndx = u16_at(data, base + 10, big).unwrap_or(0) as u64;

    d.elf_type = match e_type {
        1 => ElfType::Relocatable,
        2 => ElfType::Exec,
        3 => ElfType::SharedObject,
        4 => ElfType::Core,
        _ => ElfType::Unknown,
    };
    decode_flags(&mut d);

    // Program headers, with the kernel's checks.
    let want_phentsize = if is64 { 56 } else { 32 };
    let mut phdrs: Vec<Phdr> = Vec::new();
    let is_program = matches!(e_type, 2 | 3);
    if is_program {
        if phentsize != want_phentsize {
            d.invalid = Some(format!(
                "e_phentsize is {phentsize}, the kernel requires {want_phentsize}"
            ));
        } else if phnum == 0 || phnum > MAX_PHNUM {
            d.invalid = Some(format!(
                "e_phnum is {phnum}, the kernel requires 1..={MAX_PHNUM}"
            ));
        }
    } else if e_type != 1 && e_type != 4 {
        d.invalid = Some(format!(
            "e_type {e_type} is neither executable nor shared object"
        ));
    }
    if phentsize == want_phentsize && phnum > 0 && phnum <= MAX_PHNUM {
        let len = phnum * phentsize;
        match src.read_at(phoff, len) {
            Some(buf) => {
                for i in 0..phnum as usize {
                    let o = i * phentsize as usize;
                    let ph = if is64 {
                        Phdr {
                            p_type: u32_at(&buf, o, big).unwrap_or(0),
                            p_flags: u32_at(&buf, o + 4, big).unwrap_or(0),
                            offset: u64_at(&buf, o + 8, big).unwrap_or(0),
                            vaddr: u64_at(&buf, o + 16, big).unwrap_or(0),
                            filesz: u64_at(&buf, o + 32, big).unwrap_or(0),
                            align: u64_at(&buf, o + 48, big).unwrap_or(0),
                        }
                    } else {
                        Phdr {
                            p_type: u32_at(&buf, o, big).unwrap_or(0),
                            offset: u32_at(&buf, o + 4, big).unwrap_or(0) as u64,
                            vaddr: u32_at(&buf, o + 8, big).unwrap_or(0) as u64,
                            filesz: u32_at(&buf, o + 16, big).unwrap_or(0) as u64,
                            p_flags: u32_at(&buf, o + 24, big).unwrap_or(0),
                            align: u32_at(&buf, o + 28, big).unwrap_or(0) as u64,
                        }
                    };
                    phdrs.push(ph);
                }
            }
            None => {
                if src.beyond_eof(phoff, len) && is_program && d.invalid.is_none() {
                    d.invalid = Some(format!(
                        "truncated: program headers at {phoff}+{len} lie beyond the end of the {flen}-byte file"
                    ));
                }
            }
        }
    }

    // PT_INTERP.
    let mut has_dynamic = None;
    for ph in &phdrs {
        match ph.p_type {
            PT_INTERP if d.interpreter.is_none() => {
                let len = ph.filesz.min(4096);
                if let Some(buf) = src.read_at(ph.offset, len) {
                    let s = buf.split(|&b| b == 0).next().unwrap_or(&[]);
                    d.interpreter = Some(String::from_utf8_lossy(s).into_owned());
                } else if src.beyond_eof(ph.offset, len) && d.invalid.is_none() {
                    d.invalid = Some("truncated: PT_INTERP lies beyond the end of the file".into());
                }
            }
            PT_DYNAMIC => has_dynamic = Some(*ph),
            PT_LOAD if ph.offset.checked_add(ph.filesz).is_none_or(|e| e > flen) => {
                d.truncated_segments = true;
            }
            _ => {}
        }
    }
    // Load alignment and page-size compatibility.
    let loads: Vec<&Phdr> = phdrs.iter().filter(|p| p.p_type == PT_LOAD).collect();
    if !loads.is_empty() {
        d.load_align = loads.iter().map(|p| p.align).min();
        let mut best = None;
        for ps in [4096u64, 16384, 65536] {
            if loads.iter().all(|p| p.offset % ps == p.vaddr % ps) {
                best = Some(ps);
            }
        }
        d.max_page_size = best.or(Some(0));
    }

    // Dynamic section: DT_NEEDED count and DF_1_PIE.
    let mut pie_flag = false;
    if let Some(dy) = has_dynamic {
        let len = dy.filesz.min(MAX_READ);
        if let Some(buf) = src.read_at(dy.offset, len) {
            let ent = if is64 { 16 } else { 8 };
            let mut needed = 0u32;
            for i in 0..(buf.len() / ent) {
                let o = i * ent;
                let (tag, val) = if is64 {
                    (
                        u64_at(&buf, o, big).unwrap_or(0),
                        u64_at(&buf, o + 8, big).unwrap_or(0),
                    )
                } else {
                    (
                        u32_at(&buf, o, big).unwrap_or(0) as u64,
                        u32_at(&buf, o + 4, big).unwrap_or(0) as u64,
                    )
                };
                match tag {
                    0 => break,
                    1 => needed += 1,
                    0x6fff_fffb if val & 0x0800_0000 != 0 => pie_flag = true,
                    _ => {}
                }
            }
            d.needed = Some(needed);
        }
    }
    if e_type == 3 && (d.interpreter.is_some() || pie_flag) {
        d.elf_type = ElfType::Pie;
    }
    if is_program && !phdrs.is_empty() {
        d.linkage = Some(if d.interpreter.is_some() {
            Linkage::Dynamic
        } else if has_dynamic.is_none() {
            Linkage::Static
        } else if pie_flag && d.needed.unwrap_or(0) == 0 {
            Linkage::StaticPie
        } else {
            Linkage::Dynamic
        });
        d.libc = Some(match &d.interpreter {
            Some(i) => libc_of(i),
            None if d.elf_type == ElfType::SharedObject => libc_of_soname_guess(),
            None => Libc::None,
        });
    }

    // Notes: GNU properties (x86 ISA level).
    let mut is_go = false;
    for ph in phdrs
        .iter()
        .filter(|p| p.p_type == PT_NOTE || p.p_type == PT_GNU_PROPERTY)
    {
        let len = ph.filesz.min(64 * 1024);
        if let Some(buf) = src.read_at(ph.offset, len) {
            let align = if ph.align >= 8 { 8 } else { 4 };
            walk_notes(&buf, big, align, &mut |owner, ntype, desc| {
                if owner == b"GNU" && ntype == 5 {
                    gnu_properties(desc, big, align, &mut d);
                }
                if owner == b"Go" && ntype == 4 {
                    is_go = true;
                }
            });
        }
    }

    // Sections (the few we need), then Go build info.
    let sections = read_sections(src, shoff, shentsize, shnum, shstrndx, is64, big);
    let mut buildinfo_at = None;
    for (name, sh) in &sections {
        match name.as_str() {
            ".ARM.attributes" if d.e_machine == 40 && sh.sh_type == 0x7000_0003 => {
                if let Some(buf) = src.read_at(sh.offset, sh.size.min(64 * 1024)) {
                    arm_attributes(&buf, big, &mut d);
                }
            }
            ".go.buildinfo" => buildinfo_at = Some((sh.offset, sh.size)),
            _ => {}
        }
    }
    if buildinfo_at.is_none() && (is_go || sections.is_empty()) {
        // First writable, non-executable PT_LOAD.
        if let Some(p) = phdrs
            .iter()
            .find(|p| p.p_type == PT_LOAD && p.p_flags & 2 != 0 && p.p_flags & 1 == 0)
        {
            buildinfo_at = Some((p.offset, p.filesz));
        }
    }
    if let Some((off, size)) = buildinfo_at {
        let len = size.clamp(0, 64 * 1024);
        if let Some(buf) = src.read_at(off, len) {
            d.go = go_buildinfo(&buf, &|addr, n| read_vaddr(src, &phdrs, addr, n));
        }
    }
    if let Some(go) = &d.go {
        d.build_settings = Some(go.build_settings.clone());
    }

    // Float ABI for ARM from the interpreter when nothing else said.
    if let (40, None, Some(i)) = (d.e_machine, d.float_abi, &d.interpreter) {
        if i.contains("armhf") {
            d.float_abi = Some(FloatAbi::Hard);
        } else if i.ends_with("ld-linux.so.3") || i.contains("ld-musl-arm.so") {
            d.float_abi = Some(FloatAbi::Soft);
        }
    }
    d
}

fn libc_of_soname_guess() -> Libc {
    // A shared object without an interpreter (a library or the loader itself) does not say.
    Libc::None
}

/// The C library family a loader path belongs to.
pub(crate) fn libc_of(interp: &str) -> Libc {
    let base = interp.rsplit('/').next().unwrap_or(interp);
    if base.starts_with("ld-musl") {
        Libc::Musl
    } else if interp.starts_with("/system/bin/linker") {
        Libc::Bionic
    } else if base.starts_with("ld-uClibc") {
        Libc::Uclibc
    } else if base.starts_with("ld-linux") || base.starts_with("ld64.so") || base == "ld.so.1" {
        Libc::Glibc
    } else {
        Libc::Other
    }
}

fn decode_flags(d: &mut ElfDetails) {
    let f = d.e_flags;
    let is64 = d.class == ElfClass::Elf64;
    match d.e_machine {
        62 if !is64 => d.abi = Some("x32".into()),
        183 if !is64 => d.abi = Some("ilp32".into()),
        40 => {
            let ver = f >> 24;
            d.abi = Some(if ver == 0 {
                "oabi".into()
            } else {
                format!("eabi{ver}")
            });
            if f & 0x400 != 0 {
                d.float_abi = Some(FloatAbi::Hard);
            } else if f & 0x200 != 0 {
                d.float_abi = Some(FloatAbi::Soft);
            }
            if f & 0x0080_0000 != 0 {
                d.flags.push("be8".into());
            }
        }
        21 => {
            d.abi = Some(match f & 3 {
                2 => "elfv2".into(),
                1 => "elfv1".into(),
                _ if d.endianness == Endianness::Little => "elfv2".into(),
                _ => "elfv1".into(),
            });
        }
        243 => {
            if f & 1 != 0 {
                d.flags.push("rvc".into());
            }
            if f & 8 != 0 {
                d.flags.push("rve".into());
            }
            if f & 0x10 != 0 {
                d.flags.push("tso".into());
            }
            let fa = match f & 6 {
                0 => FloatAbi::Soft,
                2 => FloatAbi::Single,
                4 => FloatAbi::Double,
                _ => FloatAbi::Quad,
            };
            d.float_abi = Some(fa);
            let base = if is64 { "lp64" } else { "ilp32" };
            d.abi = Some(match fa {
                FloatAbi::Soft => base.to_string(),
                FloatAbi::Single => format!("{base}f"),
                FloatAbi::Quad => format!("{base}q"),
                _ => format!("{base}d"),
            });
        }
        258 => {
            let fa = match f & 7 {
                1 => Some(FloatAbi::Soft),
                2 => Some(FloatAbi::Single),
                3 => Some(FloatAbi::Double),
                _ => None,
            };
            d.float_abi = fa;
            d.abi = Some(match fa {
                Some(FloatAbi::Soft) => "lp64s".into(),
                Some(FloatAbi::Single) => "lp64f".into(),
                _ => "lp64d".into(),
            });
            d.flags.push(if f & 0xc0 == 0x40 {
                "obj-v1".into()
            } else {
                "obj-v0".into()
            });
        }
        8 | 10 => {
            d.abi = Some(if is64 {
                "n64".into()
            } else if f & 0x20 != 0 {
                "n32".into()
            } else {
                match f & 0xf000 {
                    0x2000 => "o64".into(),
                    0x3000 => "eabi32".into(),
                    0x4000 => "eabi64".into(),
                    _ => "o32".into(),
                }
            });
            if f & 0x400 != 0 {
                d.flags.push("nan2008".into());
            }
            let arch = [
                "mips1", "mips2", "mips3", "mips4", "mips5", "mips32", "mips64", "mips32r2",
                "mips64r2", "mips32r6", "mips64r6",
            ];
            if let Some(a) = arch.get((f >> 28) as usize) {
                d.flags.push((*a).into());
            }
        }
        22 if f & 1 != 0 => d.flags.push("high-gprs".into()),
        _ => {}
    }
}

/// Called with each note's owner, type and descriptor.
type NoteVisitor<'a> = dyn FnMut(&[u8], u32, &[u8]) + 'a;

fn walk_notes(buf: &[u8], big: bool, align: usize, f: &mut NoteVisitor<'_>) {
    let pad = |n: usize| n.div_ceil(align) * align;
    let mut o = 0usize;
    // Each iteration advances by at least 12 bytes, so this terminates.
    while o + 12 <= buf.len() {
        let (Some(namesz), Some(descsz), Some(ntype)) = (
            u32_at(buf, o, big),
            u32_at(buf, o + 4, big),
            u32_at(buf, o + 8, big),
        ) else {
            return;
        };
        let name_start = o + 12;
        let Some(name_end) = name_start.checked_add(namesz as usize) else {
            return;
        };
        let desc_start = pad(name_end);
        let Some(desc_end) = desc_start.checked_add(descsz as usize) else {
            return;
        };
        if desc_end > buf.len() || name_end > buf.len() {
            return;
        }
        let name = &buf[name_start..name_end];
        let name = name.strip_suffix(&[0]).unwrap_or(name);
        f(name, ntype, &buf[desc_start..desc_end]);
        o = pad(desc_end);
    }
}

fn gnu_properties(desc: &[u8], big: bool, align: usize, d: &mut ElfDetails) {
    let mut o = 0usize;
    while o + 8 <= desc.len() {
        let pr_type = u32_at(desc, o, big).unwrap_or(0);
        let sz = u32_at(desc, o + 4, big).unwrap_or(0) as usize;
        let start = o + 8;
        let Some(end) = start.checked_add(sz) else {
            return;
        };
        if end > desc.len() {
            return;
        }
        if pr_type == 0xc000_8002 && sz >= 4 {
            let bits = u32_at(desc, start, big).unwrap_or(0);
            let level = (0..4)
                .rev()
                .find(|b| bits & (1 << b) != 0)
                .map(|b| b as u8 + 1);
            if let Some(l) = level {
                d.isa_level = Some(l);
            }
        }
        if pr_type == 0xc000_0000 && d.e_machine == 183 && sz >= 4 {
            let bits = u32_at(desc, start, big).unwrap_or(0);
            if bits & 1 != 0 {
                d.flags.push("bti".into());
            }
            if bits & 2 != 0 {
                d.flags.push("pac".into());
            }
        }
        o = start + sz.div_ceil(align) * align;
    }
}

#[allow(clippy::too_many_arguments)]
fn read_sections(
    src: &dyn Source,
    shoff: u64,
    shentsize: u64,
    shnum: u64,
    shstrndx: u64,
    is64: bool,
    big: bool,
) -> Vec<(String, Shdr)> {
    let want = if is64 { 64 } else { 40 };
    if shoff == 0 || shentsize != want || shnum == 0 || shnum > MAX_SHNUM || shstrndx >= shnum {
        return Vec::new();
    }
    let Some(buf) = src.read_at(shoff, shnum * shentsize) else {
        return Vec::new();
    };
    let sh = |i: usize| -> Shdr {
        let o = i * want as usize;
        if is64 {
            Shdr {
                name: u32_at(&buf, o, big).unwrap_or(0),
                sh_type: u32_at(&buf, o + 4, big).unwrap_or(0),
                offset: u64_at(&buf, o + 24, big).unwrap_or(0),
                size: u64_at(&buf, o + 32, big).unwrap_or(0),
            }
        } else {
            Shdr {
                name: u32_at(&buf, o, big).unwrap_or(0),
                sh_type: u32_at(&buf, o + 4, big).unwrap_or(0),
                offset: u32_at(&buf, o + 16, big).unwrap_or(0) as u64,
                size: u32_at(&buf, o + 20, big).unwrap_or(0) as u64,
            }
        }
    };
    let strtab = sh(shstrndx as usize);
    let Some(names) = src.read_at(strtab.offset, strtab.size.min(MAX_READ)) else {
        return Vec::new();
    };
    (0..shnum as usize)
        .map(sh)
        .filter_map(|s| {
            let n = names.get(s.name as usize..)?;
            let n = n.split(|&b| b == 0).next()?;
            matches!(n, b".ARM.attributes" | b".go.buildinfo")
                .then(|| (String::from_utf8_lossy(n).into_owned(), s))
        })
        .collect()
}

fn uleb(buf: &[u8], o: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*o)?;
        *o += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn cstr<'a>(buf: &'a [u8], o: &mut usize) -> Option<&'a [u8]> {
    let rest = buf.get(*o..)?;
    let n = rest.iter().position(|&b| b == 0)?;
    *o += n + 1;
    Some(&rest[..n])
}

const CPU_ARCH: [&str; 23] = [
    "pre-v4",
    "v4",
    "v4T",
    "v5T",
    "v5TE",
    "v5TEJ",
    "v6",
    "v6KZ",
    "v6T2",
    "v6K",
    "v7",
    "v6-M",
    "v6S-M",
    "v7E-M",
    "v8-A",
    "v8-R",
    "v8-M.base",
    "v8-M.main",
    "v8.1-A",
    "v8.2-A",
    "v8.3-A",
    "v8.1-M.main",
    "v9-A",
];

/// Decode the file-scope block of the `aeabi` vendor in `.ARM.attributes`.
fn arm_attributes(buf: &[u8], big: bool, d: &mut ElfDetails) {
    if buf.first() != Some(&b'A') {
        return;
    }
    let mut o = 1usize;
    while o + 4 <= buf.len() {
        let len = u32_at(buf, o, big).unwrap_or(0) as usize;
        if len < 5 {
            return;
        }
        let end = o.saturating_add(len).min(buf.len());
        let sub = &buf[o + 4..end];
        let mut p = 0usize;
        let vendor = cstr(sub, &mut p);
        if vendor == Some(b"aeabi") {
            while p + 5 <= sub.len() {
                let start = p;
                let Some(tag) = uleb(sub, &mut p) else { break };
                let size = u32_at(sub, p, big).unwrap_or(0) as usize;
                p += 4;
                let block_end = start.saturating_add(size).min(sub.len());
                if size < 5 || block_end <= p {
                    break;
                }
                if tag == 1 {
                    arm_file_attrs(&sub[p..block_end], d);
                }
                p = block_end;
            }
        }
        o = end;
    }
}

fn arm_file_attrs(a: &[u8], d: &mut ElfDetails) {
    let mut p = 0usize;
    while p < a.len() {
        let Some(tag) = uleb(a, &mut p) else { return };
        let is_string = matches!(tag, 4 | 5 | 67) || (tag > 32 && tag % 2 == 1);
        if tag == 32 {
            if uleb(a, &mut p).is_none() || cstr(a, &mut p).is_none() {
                return;
            }
            continue;
        }
        if is_string {
            if cstr(a, &mut p).is_none() {
                return;
            }
            continue;
        }
        let Some(v) = uleb(a, &mut p) else { return };
        match tag {
            6 => d.arm_arch = CPU_ARCH.get(v as usize).map(|s| (*s).to_string()),
            7 if v == u64::from(b'M') => d.flags.push("m-profile".into()),
            28 => match v {
                1 => d.float_abi = d.float_abi.or(Some(FloatAbi::Hard)),
                0 => d.float_abi = d.float_abi.or(Some(FloatAbi::Soft)),
                _ => {}
            },
            _ => {}
        }
    }
}

/// Read `n` bytes at virtual address `addr` through the PT_LOAD mapping.
fn read_vaddr(src: &dyn Source, phdrs: &[Phdr], addr: u64, n: u64) -> Option<Vec<u8>> {
    let p = phdrs
        .iter()
        .find(|p| p.p_type == PT_LOAD && addr >= p.vaddr && addr - p.vaddr < p.filesz)?;
    let off = p.offset.checked_add(addr - p.vaddr)?;
    src.read_at(off, n.min(MAX_READ)).map(|c| c.into_owned())
}

const GO_MAGIC: &[u8] = b"\xff Go buildinf:";

fn uvarint(buf: &[u8], o: &mut usize) -> Option<u64> {
    uleb(buf, o)
}

/// Parse Go's build info blob (the format of `debug/buildinfo`).
fn go_buildinfo(buf: &[u8], vread: &dyn Fn(u64, u64) -> Option<Vec<u8>>) -> Option<GoInfo> {
    let mut at = None;
    let mut o = 0usize;
    while o + 32 <= buf.len() {
        if &buf[o..o + 14] == GO_MAGIC {
            at = Some(o);
            break;
        }
        o += 16;
    }
    let h = &buf[at?..];
    let ptr = *h.get(14)? as usize;
    let flags = *h.get(15)?;
    let big = flags & 1 != 0;
    let (version, modinfo) = if flags & 2 != 0 {
        let mut p = 32usize;
        let vl = uvarint(h, &mut p)? as usize;
        let v = h.get(p..p.checked_add(vl)?)?.to_vec();
        p += vl;
        let ml = uvarint(h, &mut p)? as usize;
        let m = h.get(p..p.checked_add(ml)?)?.to_vec();
        (v, m)
    } else {
        // Go 1.13–1.17: pointers to string headers.
        if ptr != 4 && ptr != 8 {
            return None;
        }
        let rd_ptr = |b: &[u8], off: usize| -> Option<u64> {
            if ptr == 8 {
                u64_at(b, off, big)
            } else {
                u32_at(b, off, big).map(u64::from)
            }
        };
        let read_str = |addr: u64| -> Option<Vec<u8>> {
            let hdr = vread(addr, 2 * ptr as u64)?;
            let data = rd_ptr(&hdr, 0)?;
            let len = rd_ptr(&hdr, ptr)?;
            if len > MAX_READ {
                return None;
            }
            vread(data, len)
        };
        let v = read_str(rd_ptr(h, 16)?)?;
        let m = read_str(rd_ptr(h, 16 + ptr)?).unwrap_or_default();
        (v, m)
    };
    let mut modinfo = modinfo;
    if modinfo.len() >= 33 && modinfo[modinfo.len() - 17] == b'\n' {
        modinfo = modinfo[16..modinfo.len() - 16].to_vec();
    }
    let text = String::from_utf8_lossy(&modinfo);
    let mut settings = BTreeMap::new();
    let mut path = None;
    for line in text.lines() {
        let mut parts = line.splitn(2, '\t');
        match (parts.next(), parts.next()) {
            (Some("path"), Some(p)) => path = Some(p.to_string()),
            (Some("build"), Some(kv)) => {
                if let Some((k, v)) = kv.split_once('=') {
                    settings.insert(k.to_string(), v.trim_matches('"').to_string());
                }
            }
            _ => {}
        }
    }
    Some(GoInfo {
        version: String::from_utf8_lossy(&version).into_owned(),
        path,
        build_settings: settings,
    })
}

fn arm_variant(arch: &str) -> Option<&'static str> {
    Some(match arch {
        "v4" | "v4T" | "v5T" | "v5TE" | "v5TEJ" => "v5",
        "v6" | "v6KZ" | "v6T2" | "v6K" => "v6",
        "v7" => "v7",
        "v8-A" | "v8.1-A" | "v8.2-A" | "v8.3-A" | "v9-A" => "v8",
        _ => return None,
    })
}

/// The OCI platform an ELF program is for (`None` for ABIs OCI has no name for: x32,
/// AArch64 ILP32, MIPS n32, 31-bit s390, unknown machines).
fn platform_of(d: &ElfDetails) -> Option<Platform> {
    let is64 = d.class == ElfClass::Elf64;
    let le = d.endianness == Endianness::Little;
    let arch = match (d.e_machine, is64, le) {
        (62, true, true) => "amd64",
        (3, false, true) => "386",
        (183, true, true) => "arm64",
        (40, false, true) => "arm",
        (21, true, true) => "ppc64le",
        (21, true, false) => "ppc64",
        (22, true, false) => "s390x",
        (243, true, true) => "riscv64",
        (258, true, true) => "loong64",
        (8, false, false) if d.e_flags & 0x20 == 0 => "mips",
        (8, false, true) if d.e_flags & 0x20 == 0 => "mipsle",
        (8, true, false) => "mips64",
        (8, true, true) => "mips64le",
        _ => return None,
    };
    let go = d.go.as_ref().map(|g| &g.build_settings);
    let os = go
        .and_then(|s| s.get("GOOS"))
        .map(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("linux");
    let mut variant = String::new();
    match arch {
        "amd64" => {
            let go_level = go
                .and_then(|s| s.get("GOAMD64"))
                .and_then(|v| v.strip_prefix('v'))
                .and_then(|v| v.parse::<u8>().ok());
            let level = go_level.into_iter().chain(d.isa_level).max();
            if let Some(l) = level.filter(|l| *l >= 2) {
                variant = format!("v{l}");
            }
        }
        "arm" => {
            let from_go = go
                .and_then(|s| s.get("GOARM"))
                .and_then(|v| v.chars().next())
                .filter(|c| matches!(c, '5'..='7'))
                .map(|c| format!("v{c}"));
            let from_attr = d
                .arm_arch
                .as_deref()
                .and_then(arm_variant)
                .map(str::to_string);
            let from_interp = d.interpreter.as_deref().and_then(|i| {
                if i.ends_with("ld-linux-armhf.so.3") {
                    Some("v7".to_string())
                } else if i.contains("ld-musl-armhf") {
                    Some("v6".to_string())
                } else {
                    None
                }
            });
            variant = match (from_go, from_attr) {
                (Some(g), Some(a)) => g.max(a),
                (Some(g), None) => g,
                (None, Some(a)) => a,
                (None, None) => from_interp.unwrap_or_default(),
            };
        }
        _ => {}
    }
    Some(Platform::new(os, arch, &variant))
}
