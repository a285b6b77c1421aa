//! binfmt_misc: the emulators registered with the kernel (`/proc/sys/fs/binfmt_misc`:
//! QEMU, Rosetta, …) and the platform each one handles, decoded from the ELF magic and mask
//! it registered.

use super::Platform;
use super::detect::read_capped;
use super::normalize::{Defaults, normalize_arch};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A binfmt_misc handler (`/proc/sys/fs/binfmt_misc/<name>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emulator {
    /// Entry name (`qemu-aarch64`, `rosetta`).
    pub name: String,
    /// Whether the entry is enabled.
    pub enabled: bool,
    /// Interpreter path.
    pub interpreter: String,
    /// Flags (`F` = interpreter opened at registration, needed inside containers).
    pub flags: String,
    /// Magic offset (magic entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Magic bytes, hex (magic entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magic: Option<String>,
    /// Mask, hex (magic entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
    /// File extension (extension entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The platform whose ELF executables it handles, decoded from the magic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

impl Emulator {
    /// An emulator known to handle `platform` (profiles, tests).
    pub fn for_platform(name: &str, interpreter: &str, platform: Platform) -> Emulator {
        Emulator {
            name: name.into(),
            enabled: true,
            interpreter: interpreter.into(),
            flags: "F".into(),
            offset: None,
            magic: None,
            mask: None,
            extension: None,
            platform: Some(platform),
        }
    }

    /// Parse one `/proc/sys/fs/binfmt_misc/<name>` file.
    ///
    /// ```
    /// use archcompat::Emulator;
    /// let text = "enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: OCF\noffset 0\n\
    ///     magic 7f454c460201010000000000000000000200b700\n\
    ///     mask ffffffffffffff00fffffffffffffffffeffffff\n";
    /// let e = Emulator::parse_entry("qemu-aarch64", text).unwrap();
    /// assert_eq!(e.platform.unwrap().to_string(), "linux/arm64");
    /// assert!(e.enabled && e.flags.contains('F'));
    /// ```
    pub fn parse_entry(name: &str, text: &str) -> Result<Emulator> {
        let mut e = Emulator {
            name: name.into(),
            enabled: false,
            interpreter: String::new(),
            flags: String::new(),
            offset: None,
            magic: None,
            mask: None,
            extension: None,
            platform: None,
        };
        let mut saw_state = false;
        for line in text.lines() {
            let line = line.trim();
            match line {
                "enabled" => {
                    e.enabled = true;
                    saw_state = true;
                }
                "disabled" => saw_state = true,
                _ => {
                    let (k, v) = line.split_once(' ').unwrap_or((line, ""));
                    let v = v.trim();
                    match k.trim_end_matches(':') {
                        "interpreter" => e.interpreter = v.into(),
                        "flags" => e.flags = v.into(),
                        "offset" => e.offset = v.parse().ok(),
                        "magic" => e.magic = Some(v.into()),
                        "mask" => e.mask = Some(v.into()),
                        "extension" => e.extension = Some(v.into()),
                        _ => {}
                    }
                }
            }
        }
        if !saw_state {
            return Err(Error::malformed(
                format!("binfmt_misc entry {name}"),
                "no `enabled`/`disabled` line",
            ));
        }
        if e.offset.unwrap_or(0) == 0
            && let Some(magic) = e.magic.as_deref().and_then(decode_hex)
        {
            let mask = e.mask.as_deref().and_then(decode_hex);
            e.platform = elf_magic_platform(&magic, mask.as_deref());
        }
        Ok(e)
    }

    /// Whether this emulator runs ELF executables of `p` (same OS and architecture).
    pub fn handles(&self, p: &Platform) -> bool {
        let Some(mine) = &self.platform else {
            return false;
        };
        let d = Defaults::new("linux", "", "");
        let (a, b) = (mine.normalize_with(&d), p.normalize_with(&d));
        self.enabled && a.os == b.os && a.architecture == b.architecture
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || s.len() > 512 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// GOARCH for an ELF `e_machine`, class (1 = 32-bit, 2 = 64-bit) and data (1 = LE, 2 = BE).
pub fn elf_machine_goarch(machine: u16, class: u8, data: u8) -> Option<&'static str> {
    let le = data == 1;
    Some(match (machine, class) {
        (3, 1) => "386",
        (62, 2) => "amd64",
        (62, 1) => "amd64p32",
        (40, 1) => {
            if le {
                "arm"
            } else {
                "armbe"
            }
        }
        (183, 2) => {
            if le {
                "arm64"
            } else {
                "arm64be"
            }
        }
        (8, 1) => {
            if le {
                "mipsle"
            } else {
                "mips"
            }
        }
        (8, 2) => {
            if le {
                "mips64le"
            } else {
                "mips64"
            }
        }
        (20, 1) => "ppc",
        (21, 2) => {
            if le {
                "ppc64le"
            } else {
                "ppc64"
            }
        }
        (22, 2) => "s390x",
        (22, 1) => "s390",
        (243, 2) => "riscv64",
        (243, 1) => "riscv",
        (258, 2) => "loong64",
        (2, 1) => "sparc",
        (43, 2) => "sparc64",
        _ => return None,
    })
}

/// The platform an ELF magic (the first ≥ 20 bytes of an ELF header, masked) selects.
pub fn elf_magic_platform(magic: &[u8], mask: Option<&[u8]>) -> Option<Platform> {
    if magic.len() < 20 || magic[..4] != *b"\x7fELF" {
        return None;
    }
    let byte = |i: usize| magic[i] & mask.and_then(|m| m.get(i).copied()).unwrap_or(0xff);
    let (class, data) = (byte(4), byte(5));
    let machine = if data == 2 {
        u16::from_be_bytes([byte(18), byte(19)])
    } else {
        u16::from_le_bytes([byte(18), byte(19)])
    };
    let arch = elf_machine_goarch(machine, class, data)?;
    let (arch, variant) = normalize_arch(arch, "");
    let mut p = Platform::new("linux", &arch, &variant);
    if p.architecture == "arm" {
        p.variant.clear(); // qemu-arm runs every 32-bit ARM variant
    }
    Some(p)
}

/// Read the binfmt_misc entries under `dir` (normally `/proc/sys/fs/binfmt_misc`).
/// `Ok(None)` when binfmt_misc is not mounted there (no `status` file).
pub fn read_binfmt_misc(dir: &Path) -> Result<Option<Vec<Emulator>>> {
    if !dir.join("status").exists() {
        return Ok(None);
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in rd.take(4096) {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "register" || name == "status" {
            continue;
        }
        let Some(bytes) = read_capped(&entry.path(), 64 * 1024) else {
            continue;
        };
        if let Ok(e) = Emulator::parse_entry(&name, &String::from_utf8_lossy(&bytes)) {
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(out))
}
