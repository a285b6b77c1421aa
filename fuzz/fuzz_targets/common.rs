//! Shared helpers of the fuzz targets: an OCI archive (or a `docker save` file) built in
//! memory around the fuzzed bytes and read by `image::analyze_reader` from a `Cursor` — no
//! file is written, so an execution costs what the core's work costs.
#![allow(dead_code)]

use archcompat::fuzzing::analyze_reader;
use archcompat::{Host, Limits, Options};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::sync::LazyLock;

fn sha(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Append one regular-file member (ustar header, data, padding to 512 bytes) to `tar`.
fn tar_member(tar: &mut Vec<u8>, name: &str, data: &[u8]) {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    let octal = |h: &mut [u8; 512], at: usize, width: usize, v: u64| {
        let s = format!("{v:0w$o}\0", w = width - 1);
        h[at..at + width].copy_from_slice(s.as_bytes());
    };
    octal(&mut h, 100, 8, 0o644); // mode
    octal(&mut h, 108, 8, 0); // uid
    octal(&mut h, 116, 8, 0); // gid
    octal(&mut h, 124, 12, data.len() as u64); // size
    octal(&mut h, 136, 12, 0); // mtime
    h[156] = b'0'; // regular file
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    tar.extend_from_slice(&h);
    tar.extend_from_slice(data);
    tar.resize(tar.len().next_multiple_of(512), 0);
}

/// Limits small enough that one execution stays fast, large enough for real layers.
pub fn options() -> Options {
    Options {
        limits: Limits {
            max_bytes: 64 << 20,
            max_entries: 100_000,
            ..Limits::default()
        },
        threads: 1,
        ..Options::default()
    }
}

pub fn host() -> &'static Host {
    static HOST: LazyLock<Host> = LazyLock::new(|| Host::resolve("linux/amd64").expect("host"));
    &HOST
}

/// The parts of the archive that do not depend on the input, built once: the config blob,
/// its digest, and the members every archive starts with.
struct Fixed {
    config: &'static [u8],
    config_hex: String,
}

static FIXED: LazyLock<Fixed> = LazyLock::new(|| {
    let config: &'static [u8] = br#"{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/app"],"Cmd":["--serve"]},"rootfs":{"type":"layers","diff_ids":[]}}"#;
    Fixed {
        config,
        config_hex: sha(config),
    }
});

/// Build an OCI archive whose only layer is `layer` (with this media type, a correct digest
/// and size) in memory, and analyze it as the CLI would analyze the file.
pub fn analyze_layer(layer: &[u8], media_type: &str) {
    let f = &*FIXED;
    let layer_hex = sha(layer);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":{}}},"layers":[{{"mediaType":"{media_type}","digest":"sha256:{layer_hex}","size":{}}}]}}"#,
        f.config_hex,
        f.config.len(),
        layer.len()
    );
    let manifest_hex = sha(manifest.as_bytes());
    let index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{manifest_hex}","size":{},"platform":{{"architecture":"amd64","os":"linux"}}}}]}}"#,
        manifest.len()
    );
    let mut tar = Vec::with_capacity(layer.len() + 8 * 512 + manifest.len() + index.len());
    tar_member(&mut tar, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    tar_member(&mut tar, "index.json", index.as_bytes());
    tar_member(
        &mut tar,
        &format!("blobs/sha256/{manifest_hex}"),
        manifest.as_bytes(),
    );
    tar_member(
        &mut tar,
        &format!("blobs/sha256/{}", f.config_hex),
        f.config,
    );
    tar_member(&mut tar, &format!("blobs/sha256/{layer_hex}"), layer);
    tar.extend_from_slice(&[0u8; 1024]);
    let r = analyze_reader(
        Box::new(Cursor::new(tar)),
        "fuzz.tar",
        None,
        host(),
        &options(),
    );
    debug(&r);
}

/// `FUZZ_DEBUG=1`: print what each execution ended in (to check a target reaches the layer
/// reader rather than failing before it).
fn debug(r: &archcompat::Result<archcompat::fuzzing::Analysis>) {
    static ON: LazyLock<bool> = LazyLock::new(|| std::env::var_os("FUZZ_DEBUG").is_some());
    if *ON {
        match r {
            Ok(a) => eprintln!(
                "ok: {} layers, entrypoint {:?}",
                a.layers.len(),
                a.entrypoint
            ),
            Err(e) => eprintln!("error: {e}"),
        }
    }
}

/// Analyze `bytes` as a tar archive (a `docker save` or OCI archive), read from memory.
pub fn analyze_archive(bytes: &[u8]) {
    let r = analyze_reader(
        Box::new(Cursor::new(bytes.to_vec())),
        "fuzz.tar",
        None,
        host(),
        &options(),
    );
    debug(&r);
}
