//! A layer stream (gzip) read as the only layer of an OCI layout: decompression, tar members,
//! whiteouts, links, the merged view, entrypoint resolution and classification of its files.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::analyze_layer(data, "application/vnd.oci.image.layer.v1.tar+gzip");
});
