//! Mach-O (thin and fat) and PE parsing. The first byte picks the magic written over the
//! start of the input, so every mutation exercises one of these parsers.
#![no_main]
use libfuzzer_sys::fuzz_target;

const MAGICS: [&[u8]; 6] = [
    b"\xcf\xfa\xed\xfe", // Mach-O 64 LE
    b"\xce\xfa\xed\xfe", // Mach-O 32 LE
    b"\xca\xfe\xba\xbe", // fat
    b"\xca\xfe\xba\xbf", // fat64
    b"MZ",               // PE
    b"",                 // as given
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let magic = MAGICS[sel as usize % MAGICS.len()];
    let mut buf = rest.to_vec();
    if buf.len() >= magic.len() {
        buf[..magic.len()].copy_from_slice(magic);
    }
    let info = archcompat::classify(&buf, buf.len() as u64);
    let _ = format!("{:?} {:?}", info.format(), info.platform());
});
