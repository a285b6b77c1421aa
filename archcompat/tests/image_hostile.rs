//! Regressions for issues 10 and 14 on image sources: real-tool fixtures
//! (scripts/build-image-regressions.sh: a go-containerregistry-style gzip tarball, a `docker
//! save` with a shared layer stored as a tar symlink, `zstd`/`pzstd` multi-frame layers, a
//! `zstd --long=31` layer, a partial save, entrypoints exec cannot start) and hostile inputs
//! generated here (FIFOs, `/dev/zero` blobs, lying sizes, size overflow, index graphs, huge
//! tar records, opaque-whiteout floods). Each ends in a verdict or a clear error naming the
//! input and the limit.

mod image_support;

use archcompat::{
    CauseCode, ExecFailure, Host, ImageReport, Options, Platform, Verdict, check_image,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn host(spec: &str) -> Host {
    Host::from_platform(spec.parse::<Platform>().unwrap())
}

fn check(source: &str, h: &str) -> archcompat::Result<ImageReport> {
    check_image(source, &host(h), &Options::default())
}

fn ok(source: &str, h: &str) -> ImageReport {
    check(source, h).unwrap_or_else(|e| panic!("{source}: {e}"))
}

fn err(source: &str, h: &str, opts: &Options) -> String {
    match check_image(source, &host(h), opts) {
        Ok(r) => panic!("{source}: expected an error, got {:?}", r.verdict),
        Err(e) => e.to_string(),
    }
}

fn reg(name: &str) -> String {
    image_support::regressions()
        .join(name)
        .display()
        .to_string()
}

fn codes(r: &ImageReport) -> Vec<CauseCode> {
    r.findings.iter().map(|f| f.code).collect()
}

// ---------------------------------------------------------------- real-tool fixtures

#[test]
fn gzip_layers_in_a_docker_tarball_are_verified_by_their_diff_ids() {
    // go-containerregistry's tarball writer (crane, ko): gzip layers, diff_ids of the tar.
    let r = ok(&reg("ggcr.tar"), "linux/arm64");
    assert_eq!(r.verdict, Verdict::Runs, "{:?}", r.findings);
    assert_eq!(r.layers.len(), 1);
    assert_eq!(r.binaries.by_platform.get("linux/arm64"), Some(&1));
    // Tampering with the tar inside is still caught.
    let dir = tmp("ggcr-tampered");
    let bytes = std::fs::read(reg("ggcr.tar")).unwrap();
    let mut ar = tar::Archive::new(&bytes[..]);
    let mut b = tar::Builder::new(Vec::new());
    for e in ar.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().display().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        if name.ends_with(".tar.gz") {
            let mut gz = flate2::read::GzDecoder::new(&data[..]);
            let mut tarb = Vec::new();
            std::io::Read::read_to_end(&mut gz, &mut tarb).unwrap();
            let n = tarb.len();
            tarb[n - 2048] ^= 1; // inside the trailing zero blocks' neighbourhood: data, not header
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut enc, &tarb).unwrap();
            data = enc.finish().unwrap();
        }
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, &name, &data[..]).unwrap();
    }
    let p = dir.join("t.tar");
    std::fs::write(&p, b.into_inner().unwrap()).unwrap();
    let e = err(&p.display().to_string(), "linux/arm64", &Options::default());
    let _ = std::fs::remove_dir_all(&dir);
    assert!(e.contains("diff_id") || e.contains("tar"), "{e}");
}

#[test]
fn layers_shared_through_tar_symlinks_and_tags_with_slashes_and_colons() {
    let t = reg("shared.tar");
    let r = ok(
        &format!("docker-archive:{t}:ghcr.io/acme/app:1.0"),
        "linux/arm64",
    );
    assert_eq!(r.verdict, Verdict::Runs, "{:?}", r.findings);
    assert_eq!(r.layers.len(), 2);
    // The second image's base layer is a symlink to the first image's layer.tar.
    let r = ok(
        &format!("{t}:registry.local:5000/team/app:latest"),
        "linux/amd64",
    );
    assert_eq!(r.selected.as_ref().unwrap().platform.architecture, "amd64");
    assert_eq!(r.layers.len(), 2);
    // A suffix at a `/` is enough when it names one image.
    let r = ok(&format!("{t}:acme/app:1.0"), "linux/arm64");
    assert_eq!(r.selected.as_ref().unwrap().platform.architecture, "arm64");
    // `:latest` names two repositories: an error, not the first one.
    let e = err(&format!("{t}:latest"), "linux/arm64", &Options::default());
    assert!(e.contains("names 2 images"), "{e}");
    assert!(e.contains("other/app:latest"), "{e}");
    let e = err(&format!("{t}:nope"), "linux/arm64", &Options::default());
    assert!(e.contains("no image tagged \"nope\""), "{e}");
    // No tag with several images: choose one.
    let e = err(&t, "linux/arm64", &Options::default());
    assert!(e.contains("choose one"), "{e}");
}

#[test]
fn every_zstd_frame_is_read_and_huge_windows_are_refused() {
    for name in ["zstd-multi", "zstd-pzstd"] {
        let r = ok(&reg(name), "linux/amd64");
        // The arm64 program sits in a later frame: found, so the mislabel-free arm64 image
        // is judged by it.
        assert_eq!(
            r.binaries.by_platform.get("linux/arm64"),
            Some(&1),
            "{name}: {:?}",
            r.binaries
        );
        assert_eq!(r.verdict, Verdict::WontRun, "{name}");
        assert!(codes(&r).contains(&CauseCode::ArchMismatch), "{name}");
    }
    let e = err(&reg("zstd-bigwindow"), "linux/arm64", &Options::default());
    assert!(e.contains("limit exceeded"), "{e}");
    assert!(e.contains("2147483648-byte window"), "{e}");
    assert!(e.contains("sha256:"), "names the blob: {e}");
    // Raised, the same layer reads.
    let mut o = Options::default();
    o.limits.max_zstd_window = 4 << 30;
    let r = check_image(&reg("zstd-bigwindow"), &host("linux/arm64"), &o).unwrap();
    assert_eq!(r.verdict, Verdict::Runs);
}

#[test]
fn a_partial_save_never_falls_back_to_another_platform() {
    let e = err(&reg("partial"), "linux/amd64", &Options::default());
    assert!(e.contains("not in this source"), "{e}");
    assert!(e.contains("linux/amd64"), "{e}");
    assert!(e.contains("partial"), "names the input: {e}");
    // The saved platform is read normally.
    assert_eq!(ok(&reg("partial"), "linux/arm64").verdict, Verdict::Runs);
}

#[test]
fn an_entrypoint_exec_cannot_start_is_wont_run_with_its_errno() {
    for (name, errno) in [
        ("entry-missing", ExecFailure::NotFound),
        ("entry-dangling", ExecFailure::NotFound),
        ("entry-loop", ExecFailure::LinkLoop),
        ("entry-chain", ExecFailure::LinkLoop),
    ] {
        let r = ok(&reg(name), "linux/arm64");
        assert_eq!(r.verdict, Verdict::WontRun, "{name}");
        let f = r
            .findings
            .iter()
            .find(|f| f.code == CauseCode::EntrypointNotFound)
            .unwrap_or_else(|| panic!("{name}: {:?}", r.findings));
        assert!(f.message.contains(errno.errno()), "{name}: {}", f.message);
        assert_eq!(
            r.entrypoint.as_ref().unwrap().exec_failure,
            Some(errno),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------- generated hostile inputs

fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("image-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn hex(b: &[u8]) -> String {
    format!("{:x}", Sha256::digest(b))
}

/// An OCI layout: blobs written as given; returns the directory.
struct Layout {
    dir: PathBuf,
}

impl Drop for Layout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Layout {
    fn new(name: &str) -> Layout {
        let dir = tmp(name);
        std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
        std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        Layout { dir }
    }
    fn blob(&self, data: &[u8]) -> String {
        let h = hex(data);
        std::fs::write(self.dir.join("blobs/sha256").join(&h), data).unwrap();
        format!("sha256:{h}")
    }
    fn index(&self, entries: &str) {
        std::fs::write(
            self.dir.join("index.json"),
            format!(r#"{{"schemaVersion":2,"manifests":[{entries}]}}"#),
        )
        .unwrap();
    }
    fn src(&self) -> String {
        self.dir.display().to_string()
    }
    /// A one-layer image with this (uncompressed) layer tar; returns the layer digest.
    fn image(&self, layer: &[u8], entrypoint: &str) -> String {
        let l = self.blob(layer);
        let cfg = format!(
            r#"{{"architecture":"amd64","os":"linux","config":{{"Entrypoint":["{entrypoint}"]}},"rootfs":{{"type":"layers","diff_ids":["{l}"]}}}}"#
        );
        let c = self.blob(cfg.as_bytes());
        let m = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{c}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{l}","size":{}}}]}}"#,
            cfg.len(),
            layer.len()
        );
        let md = self.blob(m.as_bytes());
        self.index(&format!(
            r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{md}","size":{}}}"#,
            m.len()
        ));
        l
    }
}

fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o755);
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

#[test]
fn layer_sizes_that_overflow_are_an_error_not_a_panic() {
    let l = Layout::new("overflow");
    let cfg = r#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let c = l.blob(cfg.as_bytes());
    let d = format!("sha256:{}", "a".repeat(64));
    let m = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{c}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{d}","size":18446744073709551615}},{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{d}","size":18446744073709551615}}]}}"#,
        cfg.len()
    );
    let md = l.blob(m.as_bytes());
    l.index(&format!(
        r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{md}","size":{}}}"#,
        m.len()
    ));
    let e = err(&l.src(), "linux/amd64", &Options::default());
    assert!(e.contains("more than 2^64"), "{e}");
}

#[test]
fn fifos_and_devices_are_refused_not_opened() {
    let d = tmp("fifo");
    let fifo = d.join("image.tar");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    for src in [
        fifo.display().to_string(),
        format!("docker-archive:{}", fifo.display()),
    ] {
        let e = err(&src, "linux/amd64", &Options::default());
        assert!(e.contains("FIFO"), "{src}: {e}");
    }
    let _ = std::fs::remove_dir_all(&d);
    // A blob that is a FIFO, and one linked to /dev/zero.
    let l = Layout::new("fifo-blob");
    let layer = l.image(&tar_of(&[("bin/app", b"#!/bin/sh\n")]), "/bin/app");
    let p = l.dir.join("blobs/sha256").join(&layer[7..]);
    std::fs::remove_file(&p).unwrap();
    nix::unistd::mkfifo(&p, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let e = err(&l.src(), "linux/amd64", &Options::default());
    assert!(e.contains("FIFO") && e.contains(&layer[7..]), "{e}");
    std::fs::remove_file(&p).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &p).unwrap();
    let e = err(&l.src(), "linux/amd64", &Options::default());
    assert!(e.contains("a device"), "{e}");
}

#[test]
fn a_blob_longer_than_its_descriptor_is_not_read_past_it() {
    let l = Layout::new("long-blob");
    let layer = l.image(&tar_of(&[("bin/app", b"#!/bin/sh\n")]), "/bin/app");
    // Append 64 MiB to the blob (still a regular file): only one byte past the size is read.
    let p = l.dir.join("blobs/sha256").join(&layer[7..]);
    let f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    f.set_len(std::fs::metadata(&p).unwrap().len() + (64 << 20))
        .unwrap();
    let e = err(&l.src(), "linux/amd64", &Options::default());
    assert!(e.contains("mismatch"), "{e}");
}

#[test]
fn index_graphs_are_read_once_and_bounded() {
    // 4 indexes, each listing the next 300 times: a tree of 300^4 entries, a graph of 4 nodes.
    let l = Layout::new("dag");
    l.image(&tar_of(&[("bin/app", b"#!/bin/sh\n")]), "/bin/app");
    let base = std::fs::read_to_string(l.dir.join("index.json")).unwrap();
    let leaf: serde_json::Value = serde_json::from_str(&base).unwrap();
    let mut entry = leaf["manifests"][0].clone();
    entry["platform"] = serde_json::json!({"architecture":"amd64","os":"linux"});
    let mut next = entry;
    for _ in 0..4 {
        let body = serde_json::json!({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests": vec![next.clone(); 300]});
        let bytes = serde_json::to_vec(&body).unwrap();
        let d = l.blob(&bytes);
        next = serde_json::json!({"mediaType":"application/vnd.oci.image.index.v1+json","digest": d,"size": bytes.len()});
    }
    l.index(&next.to_string());
    let r = ok(&l.src(), "linux/amd64");
    assert_eq!(r.platforms.len(), 300);
    assert_eq!(r.layers.len(), 1, "the one image was selected and read");
    let mut o = Options::default();
    o.limits.max_index_entries = 100;
    let e = err(&l.src(), "linux/amd64", &o);
    assert!(e.contains("more than 100 manifest entries"), "{e}");
}

#[test]
fn huge_tar_records_are_refused_before_they_are_read() {
    // A GNU long-name record declaring 1 GiB (the data is not even there).
    let mut hdr = tar::Header::new_gnu();
    hdr.as_mut_bytes()[..13].copy_from_slice(b"././@LongLink");
    hdr.set_entry_type(tar::EntryType::GNULongName);
    hdr.set_size(1 << 30);
    hdr.set_cksum();
    let mut layer = hdr.as_bytes().to_vec();
    layer.extend_from_slice(&[b'a'; 4096]);
    let l = Layout::new("longname");
    let d = l.image(&layer, "/bin/app");
    let e = err(&l.src(), "linux/amd64", &Options::default());
    assert!(e.contains("limit exceeded"), "{e}");
    assert!(e.contains("GNU long name of 1073741824 bytes"), "{e}");
    assert!(e.contains(&d), "names the blob: {e}");
    // A PAX header of 64 MiB.
    let mut hdr = tar::Header::new_ustar();
    hdr.set_path("PaxHeaders/x").unwrap();
    hdr.set_entry_type(tar::EntryType::XHeader);
    hdr.set_size(64 << 20);
    hdr.set_cksum();
    let l = Layout::new("pax");
    l.image(hdr.as_bytes(), "/bin/app");
    let e = err(&l.src(), "linux/amd64", &Options::default());
    assert!(e.contains("PAX header of 67108864 bytes"), "{e}");
    // Names kept across the image are bounded too.
    let files: Vec<(String, Vec<u8>)> = (0..200)
        .map(|i| (format!("{}/{i}", "d".repeat(200)), vec![]))
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let l = Layout::new("names");
    l.image(&tar_of(&refs), "/bin/app");
    let mut o = Options::default();
    o.limits.max_names_bytes = 10_000;
    let e = err(&l.src(), "linux/amd64", &o);
    assert!(e.contains("more than 10000 bytes of file names"), "{e}");
}

#[test]
fn opaque_whiteout_floods_are_applied_once_per_directory() {
    // Layer 1: 20,000 files in /d; layer 2: 20,000 opaque markers for /d and 20,000 new files.
    let l = Layout::new("opq");
    let n = 20_000;
    let names1: Vec<String> = (0..n).map(|i| format!("d/a{i}")).collect();
    let mut names2: Vec<String> = Vec::new();
    for i in 0..n {
        names2.push("d/.wh..wh..opq".to_string());
        names2.push(format!("d/b{i}"));
    }
    let t1 = tar_of(
        &names1
            .iter()
            .map(|n| (n.as_str(), &b""[..]))
            .collect::<Vec<_>>(),
    );
    let t2 = tar_of(
        &names2
            .iter()
            .map(|n| (n.as_str(), &b""[..]))
            .collect::<Vec<_>>(),
    );
    let (d1, d2) = (l.blob(&t1), l.blob(&t2));
    let cfg = format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{"Entrypoint":["/d/b1"]}},"rootfs":{{"type":"layers","diff_ids":["{d1}","{d2}"]}}}}"#
    );
    let c = l.blob(cfg.as_bytes());
    let m = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{c}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{d1}","size":{}}},{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{d2}","size":{}}}]}}"#,
        cfg.len(),
        t1.len(),
        t2.len()
    );
    let md = l.blob(m.as_bytes());
    l.index(&format!(
        r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{md}","size":{}}}"#,
        m.len()
    ));
    let r = ok(&l.src(), "linux/amd64");
    // The entrypoint (an empty file written after the markers) exists; a* are gone.
    assert!(r.entrypoint.as_ref().unwrap().file.is_some());
    assert_eq!(r.layers[1].entries, 2 * n as u64);
}

#[test]
fn a_text_file_as_a_layer_says_it_is_not_a_tar() {
    let l = Layout::new("text-layer");
    l.image(b"this is not a layer, only text!\n\n", "/bin/app");
    let e = err(&l.src(), "linux/amd64", &Options::default());
    assert!(e.contains("not a tar stream"), "{e}");
    assert!(e.contains("33 bytes"), "{e}");
}

#[test]
fn documents_that_cannot_tell_the_platform_say_so() {
    let d = tmp("docs");
    // A manifest alone.
    let m = d.join("manifest.json");
    std::fs::write(
        &m,
        format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":7}},"layers":[]}}"#,
            "b".repeat(64)
        ),
    )
    .unwrap();
    let e = err(&m.display().to_string(), "linux/amd64", &Options::default());
    assert!(e.contains("states no platform"), "{e}");
    // The image-layout example of the OCI image spec: a nested index without platform, a
    // ppc64le manifest and an XML artifact. For amd64 the answer is in the nested index.
    let i = d.join("index.json");
    std::fs::write(
        &i,
        format!(
            r#"{{"schemaVersion":2,"manifests":[
  {{"mediaType":"application/vnd.oci.image.index.v1+json","size":7143,"digest":"sha256:{a}","annotations":{{"org.opencontainers.image.ref.name":"stable-release"}}}},
  {{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":7143,"digest":"sha256:{b}","platform":{{"architecture":"ppc64le","os":"linux"}},"annotations":{{"org.opencontainers.image.ref.name":"v1.0"}}}},
  {{"mediaType":"application/xml","size":7143,"digest":"sha256:{c}","annotations":{{"org.freedesktop.specifications.metainfo.version":"1.0","org.freedesktop.specifications.metainfo.type":"AppStream"}}}}]}}"#,
            a = "0".repeat(64),
            b = "1".repeat(64),
            c = "2".repeat(64)
        ),
    )
    .unwrap();
    let e = err(&i.display().to_string(), "linux/amd64", &Options::default());
    assert!(e.contains("cannot be known from this index alone"), "{e}");
    assert!(e.contains("nested index"), "{e}");
    // For ppc64le the index itself answers.
    let r = ok(&i.display().to_string(), "linux/ppc64le");
    assert_eq!(r.verdict, Verdict::Runs);
    // An artifact manifest (custom config media type, empty digest) is named as such.
    let art = d.join("artifact.json");
    std::fs::write(
        &art,
        r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.example.config.v1+json","digest":"","size":0},"layers":null}"#,
    )
    .unwrap();
    let e = err(
        &art.display().to_string(),
        "linux/amd64",
        &Options::default(),
    );
    assert!(e.contains("an OCI artifact"), "{e}");
    // An index of artifacts only: no made-up os-mismatch.
    let only = d.join("artifacts-index.json");
    std::fs::write(
        &only,
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.descriptor.v1+json","digest":"sha256:{}","size":3}}]}}"#,
            "3".repeat(64)
        ),
    )
    .unwrap();
    let e = err(
        &only.display().to_string(),
        "linux/amd64",
        &Options::default(),
    );
    assert!(e.contains("lists no image"), "{e}");
    // A negative size names its field.
    let neg = d.join("neg.json");
    std::fs::write(
        &neg,
        format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":-1}},"layers":[]}}"#,
            "4".repeat(64)
        ),
    )
    .unwrap();
    let e = err(
        &neg.display().to_string(),
        "linux/amd64",
        &Options::default(),
    );
    let _ = std::fs::remove_dir_all(&d);
    assert!(e.contains("field \"size\""), "{e}");
}
