//! Indexes, manifests and configs in every form tools print (OCI, Docker v2, skopeo/crane/
//! buildx output), and host selection over what was parsed.
#![no_main]
use archcompat::Host;
use archcompat::fuzzing::{self as manifest, JsonLimits};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// The host selection runs for, resolved once (not per execution).
static HOST: LazyLock<Host> = LazyLock::new(|| Host::resolve("linux/arm64").expect("host"));

fuzz_target!(|data: &[u8]| {
    let limits = JsonLimits::default();
    let _ = manifest::parse_document("fuzz.json", data, &limits);
    if let Ok(index) = manifest::parse_index("fuzz.json", data, &limits) {
        let _ = manifest::select(&index.manifests, &HOST);
    }
    let _ = manifest::parse_manifest("fuzz.json", data, &limits);
    if let Ok(config) = manifest::parse_config("fuzz.json", data, &limits) {
        let _ = archcompat::fuzzing::entrypoint_command(&config);
    }
});
