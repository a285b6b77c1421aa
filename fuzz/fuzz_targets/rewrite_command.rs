//! Rewrites of a user's docker/buildx/podman/nerdctl command line for target platforms.
#![no_main]
use archcompat::{RewriteOptions, rewrite_command};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(cmd) = std::str::from_utf8(rest) else {
        return;
    };
    let specs: &[&str] = match sel % 3 {
        0 => &["linux/amd64"],
        1 => &["linux/amd64", "linux/arm64"],
        _ => &["linux/arm/v7"],
    };
    let mut opts = RewriteOptions::for_platforms(specs).expect("platforms");
    opts.push = sel & 4 != 0;
    opts.lambda = sel & 8 != 0;
    let _ = rewrite_command(cmd, &opts);
});
