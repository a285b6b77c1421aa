//! Error-log diagnosis: line rules, platform extraction, ranking, evidence and fixes.
#![no_main]
use archcompat::{ExplainOptions, explain};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = explain(
        &text,
        &ExplainOptions {
            source: "fuzz.log".into(),
            redaction: archcompat::Redaction::On,
        },
    );
});
