//! Classification of a file from its bytes (any format).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let info = archcompat::classify(data, data.len() as u64);
    let _ = render(&info);
});

fn render(info: &archcompat::BinaryInfo) -> String {
    // Render everything the CLI would print from the facts.
    format!(
        "{:?} {:?} {:?}",
        info.format(),
        info.platform(),
        info.interpreter()
    )
}
