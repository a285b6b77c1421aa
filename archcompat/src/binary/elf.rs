//! ELF: header, program headers, `PT_INTERP`, `PT_DYNAMIC` (needed libraries), notes (GNU
//! properties, ABI tags, Android ident), a few sections (`.ARM.attributes`, `.MIPS.abiflags`,
//! `.gnu.attributes`, `.go.buildinfo`) and Go build info; the OS, C library and the kernel's
//! own load checks (fs/binfmt_elf.c); mapped to OCI platforms. Structures are read with
//! goblin; attribute, property and Go build-info contents are decoded here.

use super::{BinaryInfo, Details, Format, MAX_READ, Source, u32_at, u64_at};
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
    /// C library family: from the interpreter, else from the `DT_NEEDED` C library (and the
    /// Android note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub libc: Option<Libc>,
    /// The OS the program is for (`linux`, `freebsd`, `netbsd`, `openbsd`, `solaris`,
    /// `hurd`, or a Go `GOOS`), when the file says; `None` means nothing names one (the
    /// platform then assumes Linux, except for ARM M-profile firmware).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// Where [`ElfDetails::os`] came from (`EI_OSABI 9 (freebsd)`, `FreeBSD ABI-tag note`,
    /// `loader /libexec/ld-elf.so.1`, `Go build info GOOS=…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_source: Option<String>,
    /// Android API level from the `Android` ident note (NDK builds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub android_api: Option<u32>,
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
    /// The `DT_NEEDED` library names (at most 64), when the string table was readable.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needed_libs: Vec<String>,
    /// Go build information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go: Option<GoInfo>,
    /// Go build settings (a copy of `go.build_settings`, the contract's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_settings: Option<BTreeMap<String, String>>,
    /// Why the kernel would refuse this file (ENOEXEC): truncated, bad header …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// The kernel accepts the file but abandons the exec after the point of no return, so
    /// the process dies with SIGSEGV instead of exec returning an error (`invalid` says why).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fails_after_exec: bool,
    /// Loadable segments extend past the end of the file (exec succeeds, then SIGSEGV/SIGBUS).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated_segments: bool,
}

use goblin::container::{Container, Ctx};
use goblin::elf::dynamic::{DT_NEEDED, DT_NULL, DT_STRSZ, DT_STRTAB, Dyn, Dynamic};
use goblin::elf::note::{Note, NoteDataIterator};
use goblin::elf::program_header::{
    PT_DYNAMIC, PT_GNU_PROPERTY, PT_INTERP, PT_LOAD, PT_NOTE, ProgramHeader,
};
use goblin::elf::section_header::SectionHeader;
use goblin::elf::{Elf, Header};

/// `PT_MIPS_ABIFLAGS` (binutils `elf/mips.h`).
const PT_MIPS_ABIFLAGS: u32 = 0x7000_0003;
/// `SHT_MIPS_ABIFLAGS`.
const SHT_MIPS_ABIFLAGS: u32 = 0x7000_002a;
/// `SHT_ARM_ATTRIBUTES`.
const SHT_ARM_ATTRIBUTES: u32 = 0x7000_0003;
/// `SHT_GNU_ATTRIBUTES`.
const SHT_GNU_ATTRIBUTES: u32 = 0x6fff_fff5;
/// `DT_FLAGS_1` and its `DF_1_PIE` bit.
const DT_FLAGS_1: u64 = 0x6fff_fffb;
const DF_1_PIE: u64 = 0x0800_0000;
/// Linux's `load_elf_phdrs`: the program header table may be at most 64 KiB.
const MAX_PHDR_BYTES: u64 = 65536;
/// Linux's `PATH_MAX`, the longest `PT_INTERP` it accepts.
const PATH_MAX: u64 = 4096;
const MAX_SHNUM: u64 = 8192;
/// At most this many notes are read from one segment.
const MAX_NOTES: usize = 256;
/// At most this many `DT_NEEDED` names are resolved.
const MAX_NEEDED_NAMES: usize = 64;

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

fn empty_details(class: ElfClass, big: bool) -> ElfDetails {
    ElfDetails {
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
        os: None,
        os_source: None,
        android_api: None,
        abi: None,
        float_abi: None,
        arm_arch: None,
        isa_level: None,
        flags: Vec::new(),
        load_align: None,
        max_page_size: None,
        needed: None,
        needed_libs: Vec::new(),
        go: None,
        build_settings: None,
        invalid: None,
        fails_after_exec: false,
        truncated_segments: false,
    }
}

/// The ELF header, read with goblin from the first bytes. Returns `None` (with
/// `d.invalid` set when the file really is too short or malformed) when it cannot be read.
fn header(data: &[u8], src: &dyn Source, d: &mut ElfDetails) -> Option<Header> {
    let flen = src.file_len();
    let (class, data_enc) = (data.get(4).copied(), data.get(5).copied());
    if !matches!(class, Some(1) | Some(2)) || !matches!(data_enc, Some(1) | Some(2)) {
        if data.len() >= 6 {
            d.invalid = Some("bad EI_CLASS or EI_DATA in the ELF identification".into());
        } else if flen <= data.len() as u64 {
            d.invalid = Some(format!(
                "truncated: {flen} bytes, shorter than the ELF identification"
            ));
        }
        return None;
    }
    let ehsize = if class == Some(2) { 64 } else { 52 };
    // goblin reads from a zero-padded copy, so a short prefix still yields the fields it
    // covers (the machine at offset 18); only those are used below.
    let mut head = [0u8; 64];
    let n = data.len().min(64);
    head[..n].copy_from_slice(&data[..n]);
    let h = Elf::parse_header(&head).ok()?;
    if data.len() < ehsize {
        if flen < ehsize as u64 || data.len() as u64 >= flen {
            d.invalid = Some(format!(
                "truncated: {flen} bytes, shorter than the {ehsize}-byte ELF header"
            ));
        }
        if data.len() >= 20 {
            d.e_machine = h.e_machine;
            d.machine = machine_name(h.e_machine).into();
        }
        return None;
    }
    Some(h)
}

fn parse(data: &[u8], src: &dyn Source) -> ElfDetails {
    let flen = src.file_len();
    let class = match data.get(4) {
        Some(2) => ElfClass::Elf64,
        _ => ElfClass::Elf32,
    };
    let big = data.get(5) == Some(&2);
    let mut d = empty_details(class, big);
    let Some(h) = header(data, src, &mut d) else {
        return d;
    };
    let is64 = class == ElfClass::Elf64;
    let ctx = Ctx::new(
        if is64 {
            Container::Big
        } else {
            Container::Little
        },
        if big {
            goblin::container::Endian::Big
        } else {
            goblin::container::Endian::Little
        },
    );
    let e_type = h.e_type;
    d.e_machine = h.e_machine;
    d.machine = machine_name(d.e_machine).into();
    d.e_flags = h.e_flags;
    let phentsize = u64::from(h.e_phentsize);
    let phnum = u64::from(h.e_phnum);

    d.elf_type = match e_type {
        1 => ElfType::Relocatable,
        2 => ElfType::Exec,
        3 => ElfType::SharedObject,
        4 => ElfType::Core,
        _ => ElfType::Unknown,
    };
    decode_flags(&mut d);

    // Program headers, with the kernel's checks (fs/binfmt_elf.c, load_elf_phdrs).
    let want_phentsize = if is64 { 56 } else { 32 };
    let max_phnum = MAX_PHDR_BYTES / want_phentsize;
    let mut phdrs: Vec<ProgramHeader> = Vec::new();
    let is_program = matches!(e_type, 2 | 3);
    if is_program {
        if phentsize != want_phentsize {
            d.invalid = Some(format!(
                "e_phentsize is {phentsize}, the kernel requires {want_phentsize}"
            ));
        } else if phnum == 0 || phnum > max_phnum {
            d.invalid = Some(format!(
                "e_phnum is {phnum}, the kernel requires 1..={max_phnum} ({want_phentsize}-byte headers, at most 64 KiB)"
            ));
        }
    } else if e_type != 1 && e_type != 4 {
        d.invalid = Some(format!(
            "e_type {e_type} is neither executable nor shared object"
        ));
    }
    if phentsize == want_phentsize && phnum > 0 && phnum <= max_phnum {
        let len = phnum * phentsize;
        match src.read_at(h.e_phoff, len) {
            Some(buf) => {
                phdrs = ProgramHeader::parse(&buf, 0, phnum as usize, ctx).unwrap_or_default();
            }
            None => {
                if src.beyond_eof(h.e_phoff, len) && is_program && d.invalid.is_none() {
                    d.invalid = Some(format!(
                        "truncated: program headers at {}+{len} lie beyond the end of the {flen}-byte file",
                        h.e_phoff
                    ));
                }
            }
        }
    }

    // PT_INTERP (checked as the kernel does), PT_DYNAMIC, PT_LOAD sizes.
    let mut dynamic_ph = None;
    for (i, ph) in phdrs.iter().enumerate() {
        match ph.p_type {
            PT_INTERP if d.interpreter.is_none() => {
                if is_program && !(2..=PATH_MAX).contains(&ph.p_filesz) {
                    d.invalid.get_or_insert_with(|| {
                        format!(
                            "PT_INTERP is {} bytes; the kernel requires 2..={PATH_MAX} (a NUL-terminated path)",
                            ph.p_filesz
                        )
                    });
                }
                let len = ph.p_filesz.min(PATH_MAX);
                if let Some(buf) = src.read_at(ph.p_offset, len) {
                    if is_program && buf.last() != Some(&0) && len == ph.p_filesz {
                        d.invalid.get_or_insert_with(|| {
                            "PT_INTERP is not NUL-terminated; the kernel refuses it".into()
                        });
                    }
                    let s = buf.split(|&b| b == 0).next().unwrap_or(&[]);
                    d.interpreter = Some(String::from_utf8_lossy(s).into_owned());
                } else if src.beyond_eof(ph.p_offset, len) && d.invalid.is_none() {
                    d.invalid = Some("truncated: PT_INTERP lies beyond the end of the file".into());
                }
            }
            PT_DYNAMIC => dynamic_ph = Some(ph.clone()),
            PT_LOAD => {
                if ph
                    .p_offset
                    .checked_add(ph.p_filesz)
                    .is_none_or(|e| e > flen)
                {
                    d.truncated_segments = true;
                }
                if is_program && ph.p_filesz > ph.p_memsz && d.invalid.is_none() {
                    d.invalid = Some(format!(
                        "PT_LOAD #{i} has p_filesz {:#x} > p_memsz {:#x}; the kernel abandons the exec and kills the process with SIGSEGV",
                        ph.p_filesz, ph.p_memsz
                    ));
                    d.fails_after_exec = true;
                }
            }
            _ => {}
        }
    }
    // Load alignment and page-size compatibility: only segments that map file bytes must
    // have congruent offset and address (a segment of bss alone is anonymous memory).
    let loads: Vec<&ProgramHeader> = phdrs.iter().filter(|p| p.p_type == PT_LOAD).collect();
    if !loads.is_empty() {
        d.load_align = loads.iter().map(|p| p.p_align).min();
        let mapped: Vec<&&ProgramHeader> = loads.iter().filter(|p| p.p_filesz > 0).collect();
        let mut best = None;
        for ps in [4096u64, 16384, 65536] {
            if mapped.iter().all(|p| p.p_offset % ps == p.p_vaddr % ps) {
                best = Some(ps);
            }
        }
        d.max_page_size = best.or(Some(0));
    }

    // Dynamic section (goblin): DT_NEEDED names and DF_1_PIE.
    let mut pie_flag = false;
    if let Some(dy) = &dynamic_ph {
        let len = dy.p_filesz.min(MAX_READ);
        if let Some(buf) = src.read_at(dy.p_offset, len) {
            let whole = ProgramHeader {
                p_type: PT_DYNAMIC,
                p_offset: 0,
                p_filesz: buf.len() as u64,
                ..ProgramHeader::default()
            };
            let dyns: Vec<Dyn> = Dynamic::parse(&buf, &[whole], ctx)
                .ok()
                .flatten()
                .map(|dy| dy.dyns)
                .unwrap_or_default();
            let mut needed = Vec::new();
            let (mut strtab, mut strsz) = (None, None);
            for e in dyns.iter().take_while(|e| e.d_tag != DT_NULL) {
                match e.d_tag {
                    DT_NEEDED => needed.push(e.d_val),
                    DT_STRTAB => strtab = Some(e.d_val),
                    DT_STRSZ => strsz = Some(e.d_val),
                    DT_FLAGS_1 if e.d_val & DF_1_PIE != 0 => pie_flag = true,
                    _ => {}
                }
            }
            d.needed = Some(needed.len() as u32);
            if let (Some(addr), Some(size), false) = (strtab, strsz, needed.is_empty()) {
                d.needed_libs = needed_names(src, &phdrs, addr, size, &needed);
            }
        }
    }
    if e_type == 3 && (d.interpreter.is_some() || pie_flag) {
        d.elf_type = ElfType::Pie;
    }

    // Notes (goblin's iterator): GNU properties, the OS ABI tag, Go and Android notes. The
    // NOTE and GNU_PROPERTY segments often cover the same bytes: each range is read once.
    let mut is_go = false;
    let mut note_os: Option<(&'static str, String)> = None;
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let mut mips_abiflags = None;
    for ph in &phdrs {
        if ph.p_type == PT_MIPS_ABIFLAGS {
            mips_abiflags = Some((ph.p_offset, ph.p_filesz));
        }
        if ph.p_type != PT_NOTE && ph.p_type != PT_GNU_PROPERTY {
            continue;
        }
        let len = ph.p_filesz.min(64 * 1024);
        if seen.contains(&(ph.p_offset, len)) {
            continue;
        }
        seen.push((ph.p_offset, len));
        if let Some(buf) = src.read_at(ph.p_offset, len) {
            let align = if ph.p_align >= 8 { 8 } else { 4 };
            for note in notes(&buf, align, ctx) {
                visit_note(&note, big, align, &mut d, &mut is_go, &mut note_os);
            }
        }
    }

    // Sections (the few we need), then Go build info.
    let sections = read_sections(src, &h, ctx);
    let mut buildinfo_at = None;
    let mut gnu_attributes = None;
    for (name, sh) in &sections {
        match name.as_str() {
            ".ARM.attributes" if d.e_machine == 40 && sh.sh_type == SHT_ARM_ATTRIBUTES => {
                if let Some(buf) = src.read_at(sh.sh_offset, sh.sh_size.min(64 * 1024)) {
                    arm_attributes(&buf, big, &mut d);
                }
            }
            ".MIPS.abiflags" if sh.sh_type == SHT_MIPS_ABIFLAGS && mips_abiflags.is_none() => {
                mips_abiflags = Some((sh.sh_offset, sh.sh_size));
            }
            ".gnu.attributes" if sh.sh_type == SHT_GNU_ATTRIBUTES => {
                gnu_attributes = Some((sh.sh_offset, sh.sh_size));
            }
            ".go.buildinfo" => buildinfo_at = Some((sh.sh_offset, sh.sh_size)),
            // Relocatable objects carry their notes in sections only.
            ".note.ABI-tag" | ".note.tag" | ".note.android.ident" | ".note.gnu.property"
                if phdrs.is_empty() =>
            {
                if let Some(buf) = src.read_at(sh.sh_offset, sh.sh_size.min(64 * 1024)) {
                    let align = if sh.sh_addralign >= 8 { 8 } else { 4 };
                    for note in notes(&buf, align, ctx) {
                        visit_note(&note, big, align, &mut d, &mut is_go, &mut note_os);
                    }
                }
            }
            _ => {}
        }
    }
    if matches!(d.e_machine, 8 | 10) {
        mips_float(src, mips_abiflags, gnu_attributes, big, &mut d);
    }
    if buildinfo_at.is_none() && (is_go || sections.is_empty()) {
        // First writable, non-executable PT_LOAD.
        if let Some(p) = phdrs
            .iter()
            .find(|p| p.p_type == PT_LOAD && p.p_flags & 2 != 0 && p.p_flags & 1 == 0)
        {
            buildinfo_at = Some((p.p_offset, p.p_filesz));
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

    // The OS: Go build info, EI_OSABI, the ABI note, then the loader's path.
    let osabi = data.get(7).copied().unwrap_or(0);
    let go_os = d
        .build_settings
        .as_ref()
        .and_then(|s| s.get("GOOS"))
        .filter(|s| !s.is_empty())
        .cloned();
    let (os, source) = if let Some(g) = go_os {
        (Some(g.clone()), Some(format!("Go build info GOOS={g}")))
    } else if let Some(o) = osabi_os(osabi) {
        (Some(o.to_string()), Some(format!("EI_OSABI {osabi} ({o})")))
    } else if let Some((o, why)) = note_os {
        (Some(o.to_string()), Some(why))
    } else if let Some(o) = d.interpreter.as_deref().and_then(loader_os) {
        (
            Some(o.to_string()),
            d.interpreter.as_ref().map(|i| format!("loader {i}")),
        )
    } else {
        (None, None)
    };
    d.os = os;
    d.os_source = source;
    if d.flags.iter().any(|f| f == "m-profile") && d.os.is_none() {
        d.os_source = Some("ARM M-profile (microcontroller) code".into());
    }

    if is_program && !phdrs.is_empty() {
        d.linkage = Some(if d.interpreter.is_some() {
            Linkage::Dynamic
        } else if dynamic_ph.is_none() {
            Linkage::Static
        } else if pie_flag && d.needed.unwrap_or(0) == 0 {
            Linkage::StaticPie
        } else {
            Linkage::Dynamic
        });
        d.libc = Some(match d.interpreter.as_deref().filter(|i| !i.is_empty()) {
            Some(i) => libc_of(i),
            None => libc_of_needed(&d.needed_libs, d.android_api.is_some()),
        });
    }
    if d.android_api.is_some() && d.libc == Some(Libc::Other) {
        d.libc = Some(Libc::Bionic);
    }

    // Float ABI for ARM from the interpreter when nothing else said.
    if let (40, None, Some(i)) = (d.e_machine, d.float_abi, &d.interpreter) {
        if i.contains("armhf") {
            d.float_abi = Some(FloatAbi::Hard);
        } else if i.ends_with("ld-linux.so.3") || i.contains("ld-musl-arm.so") {
            d.float_abi = Some(FloatAbi::Soft);
        }
    }
    let mut seen_flags = std::collections::BTreeSet::new();
    d.flags.retain(|f| seen_flags.insert(f.clone()));
    d
}

/// goblin's note iterator over one segment or section (stops at the first malformed note).
fn notes(buf: &[u8], align: usize, ctx: Ctx) -> impl Iterator<Item = Note<'_>> {
    NoteDataIterator {
        data: buf,
        size: buf.len(),
        offset: 0,
        ctx: (align, ctx),
    }
    .take(MAX_NOTES)
    .map_while(Result::ok)
}

fn visit_note(
    note: &Note<'_>,
    big: bool,
    align: usize,
    d: &mut ElfDetails,
    is_go: &mut bool,
    note_os: &mut Option<(&'static str, String)>,
) {
    let word = |i: usize| {
        note.desc
            .get(i * 4..i * 4 + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(|b| {
                if big {
                    u32::from_be_bytes(b)
                } else {
                    u32::from_le_bytes(b)
                }
            })
    };
    match (note.name, note.n_type) {
        ("GNU", 5) => gnu_properties(note.desc, big, align, d),
        ("GNU", 1) => {
            // NT_GNU_ABI_TAG: word 0 is the OS (glibc's `elf.h`, ELF_NOTE_OS_*).
            let os = match word(0) {
                Some(0) => Some("linux"),
                Some(1) => Some("hurd"),
                Some(2) => Some("solaris"),
                Some(3) => Some("freebsd"),
                _ => None,
            };
            if let Some(o) = os {
                note_os.get_or_insert((o, format!("GNU ABI-tag note ({o})")));
            }
        }
        ("FreeBSD", 1) => {
            note_os.get_or_insert(("freebsd", "FreeBSD ABI-tag note".into()));
        }
        ("NetBSD", 1) => {
            note_os.get_or_insert(("netbsd", "NetBSD ident note".into()));
        }
        ("OpenBSD", 1) => {
            note_os.get_or_insert(("openbsd", "OpenBSD ident note".into()));
        }
        ("Android", 1) => {
            d.android_api = word(0);
            note_os.get_or_insert(("linux", "Android ident note".into()));
        }
        ("Go", 4) => *is_go = true,
        _ => {}
    }
}

/// OS from `EI_OSABI` (0 = System V says nothing).
fn osabi_os(osabi: u8) -> Option<&'static str> {
    Some(match osabi {
        2 => "netbsd",
        3 => "linux",
        6 => "solaris",
        9 => "freebsd",
        12 => "openbsd",
        _ => return None,
    })
}

/// OS from a loader path that only one OS uses.
fn loader_os(interp: &str) -> Option<&'static str> {
    Some(match interp {
        "/libexec/ld-elf.so.1" | "/libexec/ld-elf32.so.1" => "freebsd",
        "/usr/libexec/ld.elf_so" => "netbsd",
        "/usr/libexec/ld.so" => "openbsd",
        i if i.starts_with("/usr/lib/") && i.ends_with("/ld.so.1") => "solaris",
        "/usr/lib/ld.so.1" => "solaris",
        _ => return None,
    })
}

/// Read the section headers and their names (goblin), keeping the few sections we use.
fn read_sections(src: &dyn Source, h: &Header, ctx: Ctx) -> Vec<(String, SectionHeader)> {
    let want = if ctx.container == Container::Big {
        64
    } else {
        40
    };
    let (shoff, shnum, shstrndx) = (h.e_shoff, u64::from(h.e_shnum), u64::from(h.e_shstrndx));
    if shoff == 0
        || u64::from(h.e_shentsize) != want
        || shnum == 0
        || shnum > MAX_SHNUM
        || shstrndx >= shnum
    {
        return Vec::new();
    }
    let Some(buf) = src.read_at(shoff, shnum * want) else {
        return Vec::new();
    };
    let Ok(shdrs) = SectionHeader::parse_from(&buf, 0, shnum as usize, ctx) else {
        return Vec::new();
    };
    let Some(strtab) = shdrs.get(shstrndx as usize) else {
        return Vec::new();
    };
    let Some(names) = src.read_at(strtab.sh_offset, strtab.sh_size.min(MAX_READ)) else {
        return Vec::new();
    };
    shdrs
        .into_iter()
        .filter_map(|s| {
            let rest = names.get(s.sh_name..)?;
            let n = rest.split(|&b| b == 0).next()?;
            // Compared as bytes (the names kept are ASCII; most sections are not kept, and
            // checking each name as UTF-8 first was 5% of inspecting an ELF file).
            matches!(
                n,
                b".ARM.attributes"
                    | b".go.buildinfo"
                    | b".MIPS.abiflags"
                    | b".gnu.attributes"
                    | b".note.ABI-tag"
                    | b".note.tag"
                    | b".note.android.ident"
                    | b".note.gnu.property"
            )
            .then(|| (String::from_utf8_lossy(n).into_owned(), s))
        })
        .collect()
}

/// The NUL-terminated string at `offset` of a string table (goblin's unparsed `Strtab`
/// panics on invalid UTF-8, so the lookup is done here, lossily).
fn str_at(table: &[u8], offset: u64) -> Option<std::borrow::Cow<'_, str>> {
    let rest = table.get(usize::try_from(offset).ok()?..)?;
    let s = rest.split(|&b| b == 0).next()?;
    Some(String::from_utf8_lossy(s))
}

fn libc_of_needed(needed: &[String], android: bool) -> Libc {
    // A shared object (or a program without PT_INTERP) names its C library in DT_NEEDED.
    let mut libc = Libc::None;
    for n in needed {
        let l = match n.as_str() {
            "libc.so.6" | "libc.so.6.1" | "libc.so.0.3" => Libc::Glibc,
            n if n.starts_with("libc.musl-") => Libc::Musl,
            "libc.so" if android => Libc::Bionic,
            "libc.so.0" => Libc::Uclibc,
            n if n.starts_with("libc.so") => Libc::Other,
            _ => continue,
        };
        libc = l;
        break;
    }
    libc
}

/// The C library family a loader path belongs to.
pub(crate) fn libc_of(interp: &str) -> Libc {
    let (dir, base) = interp.rsplit_once('/').unwrap_or(("", interp));
    if base.starts_with("ld-musl") {
        Libc::Musl
    } else if interp.starts_with("/system/bin/linker") || interp.starts_with("/apex/") {
        Libc::Bionic
    } else if base.starts_with("ld-uClibc") {
        Libc::Uclibc
    } else if base.starts_with("ld-linux")
        || base.starts_with("ld64.so")
        // glibc's `ld.so.1` (MIPS, 32-bit PowerPC, 31-bit s390) lives in /lib*; Solaris's
        // and illumos's is under /usr/lib.
        || (base == "ld.so.1" && matches!(dir, "/lib" | "/lib32" | "/lib64"))
    {
        Libc::Glibc
    } else {
        Libc::Other
    }
}

/// MIPS floating-point ABI from `.MIPS.abiflags` (or `PT_MIPS_ABIFLAGS`), else from the
/// `Tag_GNU_MIPS_ABI_FP` attribute of `.gnu.attributes`.
fn mips_float(
    src: &dyn Source,
    abiflags: Option<(u64, u64)>,
    gnu_attrs: Option<(u64, u64)>,
    big: bool,
    d: &mut ElfDetails,
) {
    // struct Elf_Internal_ABIFlags_v0: version u16, isa_level u8, isa_rev u8, gpr_size u8,
    // cpr1_size u8, cpr2_size u8, fp_abi u8, …
    let fp = abiflags
        .filter(|(_, size)| *size >= 24)
        .and_then(|(off, _)| src.read_at(off, 24))
        .and_then(|b| b.get(7).copied())
        .or_else(|| {
            let (off, size) = gnu_attrs?;
            let buf = src.read_at(off, size.min(64 * 1024))?;
            gnu_attribute(&buf, big, 4)
        });
    let Some(fp) = fp else { return };
    let (fa, flag) = match fp {
        1 => (Some(FloatAbi::Double), None),
        2 => (Some(FloatAbi::Single), None),
        3 => (Some(FloatAbi::Soft), None),
        4 => (Some(FloatAbi::Double), Some("fp64-old")),
        5 => (Some(FloatAbi::Double), Some("fpxx")),
        6 => (Some(FloatAbi::Double), Some("fp64")),
        7 => (Some(FloatAbi::Double), Some("fp64a")),
        _ => (None, None),
    };
    d.float_abi = fa.or(d.float_abi);
    if let Some(f) = flag {
        d.flags.push(f.into());
    }
}

/// One integer attribute of the `gnu` vendor's file-scope block in `.gnu.attributes`.
fn gnu_attribute(buf: &[u8], big: bool, want: u64) -> Option<u8> {
    let mut found = None;
    attribute_blocks(buf, big, b"gnu", &mut |a| {
        let mut p = 0usize;
        while p < a.len() {
            let Some(tag) = uleb(a, &mut p) else { return };
            // GNU: odd tags above 32 are strings, like the aeabi convention.
            if tag == 32 || (tag > 32 && tag % 2 == 1) {
                if tag == 32 && uleb(a, &mut p).is_none() {
                    return;
                }
                if cstr(a, &mut p).is_none() {
                    return;
                }
                continue;
            }
            let Some(v) = uleb(a, &mut p) else { return };
            if tag == want {
                found = u8::try_from(v).ok();
            }
        }
    });
    found
}

fn decode_flags(d: &mut ElfDetails) {
    let f = d.e_flags;
    let is64 = d.class == ElfClass::Elf64;
    match d.e_machine {
        62 if !is64 => d.abi = Some("x32".into()),
        183 if !is64 => d.abi = Some("ilp32".into()),
        40 => {
            // EF_ARM_EABIMASK: 0 is the old (GNU) ABI, 1–5 the published EABI versions;
            // anything else is not an ABI any toolchain defines.
            let ver = f >> 24;
            d.abi = match ver {
                0 => Some("oabi".into()),
                1..=5 => Some(format!("eabi{ver}")),
                _ => {
                    d.flags.push(format!("eabi-version-{ver}"));
                    None
                }
            };
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
            // LA32 uses the ilp32 family, LA64 the lp64 family (LoongArch ELF psABI).
            let base = if is64 { "lp64" } else { "ilp32" };
            d.abi = match fa {
                Some(FloatAbi::Soft) => Some(format!("{base}s")),
                Some(FloatAbi::Single) => Some(format!("{base}f")),
                Some(_) => Some(format!("{base}d")),
                None => None,
            };
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

/// Call `f` with each file-scope (tag 1) block of `vendor` in an ELF attributes section
/// (`.ARM.attributes`, `.gnu.attributes`: format `A`, then length-prefixed subsections).
fn attribute_blocks(buf: &[u8], big: bool, vendor: &[u8], f: &mut dyn FnMut(&[u8])) {
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
        if cstr(sub, &mut p) == Some(vendor) {
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
                    f(&sub[p..block_end]);
                }
                p = block_end;
            }
        }
        o = end;
    }
}

/// Decode the file-scope block of the `aeabi` vendor in `.ARM.attributes`.
fn arm_attributes(buf: &[u8], big: bool, d: &mut ElfDetails) {
    attribute_blocks(buf, big, b"aeabi", &mut |a| arm_file_attrs(a, d));
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

/// The file offset of virtual address `addr` through the PT_LOAD mapping.
fn vaddr_offset(phdrs: &[ProgramHeader], addr: u64) -> Option<u64> {
    let p = phdrs
        .iter()
        .find(|p| p.p_type == PT_LOAD && addr >= p.p_vaddr && addr - p.p_vaddr < p.p_filesz)?;
    p.p_offset.checked_add(addr - p.p_vaddr)
}

/// Read `n` bytes at virtual address `addr` through the PT_LOAD mapping.
fn read_vaddr(src: &dyn Source, phdrs: &[ProgramHeader], addr: u64, n: u64) -> Option<Vec<u8>> {
    src.read_at(vaddr_offset(phdrs, addr)?, n.min(MAX_READ))
        .map(|c| c.into_owned())
}

/// The bytes of a `DT_NEEDED` name that are read: [`NEEDED_NAME_CHARS`] characters take at most
/// four bytes each, also where lossy decoding replaces an invalid sequence.
const NEEDED_NAME_BYTES: u64 = 4 * NEEDED_NAME_CHARS as u64;
/// A `DT_NEEDED` name is kept to this many characters.
const NEEDED_NAME_CHARS: usize = 256;
/// Names whose bytes lie within this span of the string table are read in one go.
const NEEDED_SPAN: u64 = 64 * 1024;

/// The first [`MAX_NEEDED_NAMES`] `DT_NEEDED` names, at `offsets` in the dynamic string table
/// at `addr` of `size` bytes (the first [`MAX_READ`] of them), each cut at its NUL or the
/// table's end and kept to [`NEEDED_NAME_CHARS`] characters. Only the bytes of the names are
/// read, not the whole table (a large library's runs to megabytes of symbol names): the span
/// that holds them when it is small, else each name on its own. No name is given when the
/// table does not lie within the file, as when it was read whole.
fn needed_names(
    src: &dyn Source,
    phdrs: &[ProgramHeader],
    addr: u64,
    size: u64,
    offsets: &[u64],
) -> Vec<String> {
    let size = size.min(MAX_READ);
    let Some(table) = vaddr_offset(phdrs, addr).filter(|&t| !src.beyond_eof(t, size)) else {
        return Vec::new();
    };
    let offsets: Vec<u64> = offsets
        .iter()
        .take(MAX_NEEDED_NAMES)
        .copied()
        .filter(|&o| o < size)
        .collect();
    let name = |bytes: &[u8]| -> String {
        str_at(bytes, 0)
            .unwrap_or_default()
            .chars()
            .take(NEEDED_NAME_CHARS)
            .collect()
    };
    // Every name is read up to NEEDED_NAME_BYTES past its start or the table's end.
    let end_of = |o: u64| o.saturating_add(NEEDED_NAME_BYTES).min(size);
    let (Some(&lo), Some(&hi)) = (offsets.iter().min(), offsets.iter().max()) else {
        return Vec::new();
    };
    if end_of(hi) - lo <= NEEDED_SPAN {
        let Some(span) = src.read_at(table + lo, end_of(hi) - lo) else {
            return Vec::new();
        };
        return offsets
            .iter()
            .map(|&o| name(&span[(o - lo) as usize..(end_of(o) - lo) as usize]))
            .collect();
    }
    offsets
        .iter()
        .filter_map(|&o| src.read_at(table + o, end_of(o) - o).map(|b| name(&b)))
        .collect()
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
    // Bare-metal ARM M-profile firmware (v6-M, v7-M, v7E-M, v8-M) is no OCI platform.
    if d.e_machine == 40
        && d.os.is_none()
        && (d.flags.iter().any(|f| f == "m-profile")
            || d.arm_arch.as_deref().is_some_and(|a| a.contains("-M")))
    {
        return None;
    }
    let go = d.go.as_ref().map(|g| &g.build_settings);
    let os = d.os.as_deref().unwrap_or("linux");
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
