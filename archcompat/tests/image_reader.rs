//! `check_image_reader`: the image verdict from any `Read + Seek` (what the web page does with
//! a dropped archive) equals the verdict from the archive's path, for real `docker save` and
//! OCI archives (Debian busybox-static, built with umoci and skopeo), and reads only the tar
//! headers and the blobs the selected image needs.

mod image_support;

use archcompat::{Host, ImageReport, Options, Verdict, check_image, check_image_reader};
use image_support::fixtures;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A reader that is not a `File` and counts the bytes handed out.
struct Counting {
    inner: std::io::Cursor<Vec<u8>>,
    read: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for Counting {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

fn json_without_source(r: &ImageReport) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap();
    v.as_object_mut().unwrap().remove("source");
    v
}

fn by_reader(name: &str, tag: Option<&str>, host: &str) -> (ImageReport, u64, u64) {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    let total = bytes.len() as u64;
    let read = Arc::new(AtomicU64::new(0));
    let r = Counting {
        inner: std::io::Cursor::new(bytes),
        read: read.clone(),
    };
    let rep = check_image_reader(
        Box::new(r),
        name,
        tag,
        &Host::resolve(host).unwrap(),
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("{name} for {host}: {e}"));
    (rep, read.load(Ordering::Relaxed), total)
}

#[test]
fn reader_verdicts_equal_path_verdicts() {
    for (name, host) in [
        ("multi.oci.tar", "linux/amd64"),
        ("multi.oci.tar", "aws-graviton2"),
        ("liar.docker.tar", "linux/amd64"),
        ("arm64.docker.tar", "linux/amd64"),
        ("s390x.docker-classic.tar", "linux/s390x"),
        ("arm.docker25.tar", "linux/arm/v7"),
    ] {
        let path = fixtures().join(name);
        let by_path = check_image(
            &path.display().to_string(),
            &Host::resolve(host).unwrap(),
            &Options::default(),
        )
        .unwrap();
        let (by_reader, _, _) = by_reader(name, None, host);
        assert_eq!(by_reader.source, name);
        assert_eq!(
            json_without_source(&by_reader),
            json_without_source(&by_path),
            "{name} for {host}"
        );
    }
}

#[test]
fn a_mislabeled_archive_is_caught_from_a_reader() {
    let (r, _, _) = by_reader("liar.docker.tar", None, "linux/amd64");
    assert_ne!(r.verdict, Verdict::Runs, "{:?}", r.findings);
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == archcompat::CauseCode::ImageMislabeled),
        "{:?}",
        r.findings
    );
}

#[test]
fn only_the_selected_image_is_read() {
    // The multi-arch archive holds four images; the arm64 host reads one image's layers.
    let (r, read, total) = by_reader("multi.oci.tar", None, "linux/arm64");
    assert_eq!(r.verdict, Verdict::Runs);
    assert!(read * 2 < total, "read {read} of {total} bytes");
}

#[test]
fn bad_input_is_an_error_naming_the_reader() {
    let host = Host::resolve("linux/amd64").unwrap();
    let junk =
        std::io::Cursor::new(b"this is not a tar archive at all, just some text\n".repeat(20));
    let e = check_image_reader(
        Box::new(junk),
        "notes.txt",
        None,
        &host,
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("notes.txt"), "{e}");
    let empty = std::io::Cursor::new(Vec::new());
    let e = check_image_reader(
        Box::new(empty),
        "empty.tar",
        None,
        &host,
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("empty.tar"), "{e}");
}

#[test]
fn an_archive_json_over_its_limit_names_the_limit() {
    // manifest.json (docker save) and index.json (OCI archive) read from inside an archive,
    // from a path and from a reader: the error names the setting (issue 17).
    let host = Host::resolve("linux/amd64").unwrap();
    let mut opts = Options::default();
    opts.limits.json.max_bytes = 10;
    for name in ["arm64.docker.tar", "multi.oci.tar"] {
        let path = fixtures().join(name);
        let by_path = check_image(&path.display().to_string(), &host, &opts).unwrap_err();
        let bytes = std::fs::read(&path).unwrap();
        let by_reader = check_image_reader(
            Box::new(std::io::Cursor::new(bytes)),
            name,
            None,
            &host,
            &opts,
        )
        .unwrap_err();
        for e in [by_path, by_reader] {
            assert_eq!(
                e.kind(),
                archcompat::ErrorKind::LimitExceeded,
                "{name}: {e}"
            );
            assert_eq!(
                e.limit(),
                Some(archcompat::Limit::MaxJsonBytes),
                "{name}: {e}"
            );
            assert!(e.to_string().contains("the limit is 10"), "{name}: {e}");
        }
    }
}
