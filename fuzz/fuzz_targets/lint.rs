//! Dockerfile lint (parsing, every rule, snippets, edits), redacted and not.
#![no_main]
use archcompat::LintOptions;
use archcompat::fuzzing::hazards;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for redaction in [archcompat::Redaction::On, archcompat::Redaction::Off] {
        let opts = LintOptions {
            redaction,
            ..LintOptions::default()
        };
        let _ = hazards(text, &opts);
    }
});
