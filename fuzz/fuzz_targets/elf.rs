//! ELF parsing: headers, program headers, notes (GNU property, ABI tag, Go build id), ARM
//! attributes, RISC-V flags and Go build info. The input always starts with the ELF magic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut buf = Vec::with_capacity(data.len().max(4));
    buf.extend_from_slice(b"\x7fELF");
    buf.extend_from_slice(data.get(4..).unwrap_or_default());
    let info = archcompat::classify(&buf, buf.len() as u64);
    let _ = format!("{:?} {:?}", info.elf(), info.platform());
});
