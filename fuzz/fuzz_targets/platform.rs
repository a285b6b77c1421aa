//! Platform specifiers: containerd-exact parsing, aliases (uname, Debian, GOARCH, Rust
//! triples, ECS/Lambda), normalisation, matching and ranking against a host.
#![no_main]
use archcompat::{Host, Platform};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = s.split_once('\n').unwrap_or((s, "linux/amd64"));
    if let Ok(p) = a.parse::<Platform>() {
        let _ = p.normalize().to_string();
        if let Ok(host) = Host::resolve(b) {
            let _ = host.runs(&p);
        }
    }
    let _ = archcompat::fuzzing::parse_platform(a);
    let _ = Host::resolve(a);
});
