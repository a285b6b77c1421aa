//! Rewrites of a user's docker/buildx/podman/nerdctl command line for target platforms.
#![no_main]
use archcompat::{RewriteOptions, rewrite_command};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Every combination the first byte picks (3 platform sets × push × lambda), built once.
static OPTS: LazyLock<Vec<RewriteOptions>> = LazyLock::new(|| {
    let sets: [&[&str]; 3] = [
        &["linux/amd64"],
        &["linux/amd64", "linux/arm64"],
        &["linux/arm/v7"],
    ];
    let mut all = Vec::new();
    for specs in sets {
        for flags in 0..4u8 {
            let mut o = RewriteOptions::for_platforms(specs).expect("platforms");
            o.push = flags & 1 != 0;
            o.lambda = flags & 2 != 0;
            all.push(o);
        }
    }
    all
});

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(cmd) = std::str::from_utf8(rest) else {
        return;
    };
    // The same choice as before: platforms from sel % 3, push from bit 2, lambda from bit 3.
    let flags = usize::from((sel >> 2) & 1) | usize::from((sel >> 3) & 1) << 1;
    let _ = rewrite_command(cmd, &OPTS[usize::from(sel % 3) * 4 + flags]);
});
