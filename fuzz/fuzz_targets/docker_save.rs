//! `docker save` tarballs (every historic layout: manifest.json, repositories, legacy v1
//! directories, Docker 25+ OCI layout) and OCI archives.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::analyze_archive(data);
});
