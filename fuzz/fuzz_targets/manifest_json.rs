//! Indexes, manifests and configs in every form tools print (OCI, Docker v2, skopeo/crane/
//! buildx output), and host selection over what was parsed.
#![no_main]
use archcompat::fuzzing::{self as manifest, JsonLimits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = JsonLimits::default();
    let _ = manifest::parse_document("fuzz.json", data, &limits);
    if let Ok(index) = manifest::parse_index("fuzz.json", data, &limits) {
        let host = archcompat::Host::resolve("linux/arm64").expect("host");
        let _ = manifest::select(&index.manifests, &host);
    }
    let _ = manifest::parse_manifest("fuzz.json", data, &limits);
    if let Ok(config) = manifest::parse_config("fuzz.json", data, &limits) {
        let _ = archcompat::fuzzing::entrypoint_command(&config);
    }
});
