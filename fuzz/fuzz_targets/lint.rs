//! Dockerfile lint (parsing, every rule, snippets, edits), redacted and not.
#![no_main]
use archcompat::dockerfile::{LintOptions, hazards};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for no_redact in [false, true] {
        let opts = LintOptions {
            no_redact,
            ..LintOptions::default()
        };
        let _ = hazards(text, &opts);
    }
});
