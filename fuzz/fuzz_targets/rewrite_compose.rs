//! Rewrites of compose files (platform: per service) and Dockerfiles (FROM --platform, ARGs).
#![no_main]
use archcompat::{RewriteOptions, rewrite_compose, rewrite_dockerfile};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// One platform and two, parsed once (not per execution).
static OPTS: LazyLock<[RewriteOptions; 2]> = LazyLock::new(|| {
    [
        RewriteOptions::for_platforms(&["linux/amd64"]).expect("platforms"),
        RewriteOptions::for_platforms(&["linux/amd64", "linux/arm64"]).expect("platforms"),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let opts = &OPTS[usize::from(sel & 1)];
    if sel & 2 == 0 {
        let _ = rewrite_compose(text, opts, &[]);
    } else {
        let _ = rewrite_dockerfile(text, opts);
    }
});
