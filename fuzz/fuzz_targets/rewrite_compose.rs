//! Rewrites of compose files (platform: per service) and Dockerfiles (FROM --platform, ARGs).
#![no_main]
use archcompat::{RewriteOptions, rewrite_compose, rewrite_dockerfile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let specs: &[&str] = if sel & 1 == 0 {
        &["linux/amd64"]
    } else {
        &["linux/amd64", "linux/arm64"]
    };
    let opts = RewriteOptions::for_platforms(specs).expect("platforms");
    if sel & 2 == 0 {
        let _ = rewrite_compose(text, &opts, &[]);
    } else {
        let _ = rewrite_dockerfile(text, &opts);
    }
});
