//! Verdicts on real images (Debian busybox-static for four architectures, built with umoci and
//! skopeo) for hosts linux/amd64, linux/arm64 and linux/arm/v7: every source kind, the
//! mislabeled image, the multi-arch index with its attestation entry, missing interpreters,
//! whiteouts, zstd layers, tampered blobs and tripped limits.

mod image_support;

use archcompat::{
    CauseCode, EntryStatus, Host, ImageReport, Limits, Options, Platform, Verdict, check_image,
};
use image_support::fixtures;

fn host(spec: &str) -> Host {
    Host::from_platform(spec.parse::<Platform>().unwrap())
}

fn run(source: &str, h: &str) -> ImageReport {
    check_image(source, &host(h), &Options::default())
        .unwrap_or_else(|e| panic!("{source} for {h}: {e}"))
}

fn oci(tag: &str) -> String {
    format!("oci:{}:{tag}", fixtures().join("oci").display())
}

fn file(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

fn codes(r: &ImageReport) -> Vec<CauseCode> {
    r.findings.iter().map(|f| f.code).collect()
}

fn arch(r: &ImageReport) -> String {
    r.selected.as_ref().unwrap().platform.architecture.clone()
}

#[test]
fn multi_arch_index_selects_per_host_and_reports_the_attestation() {
    for src in [
        oci("multi"),
        format!("oci-archive:{}", file("multi.oci.tar")),
    ] {
        for (h, want) in [
            ("linux/amd64", "amd64"),
            ("linux/arm64", "arm64"),
            ("linux/arm/v7", "arm"),
        ] {
            let r = run(&src, h);
            assert_eq!(r.verdict, Verdict::Runs, "{src} {h}: {:?}", r.findings);
            assert_eq!(arch(&r), want, "{src} {h}");
            // The binary read from the layer agrees with the selection.
            let actual = r
                .selected
                .as_ref()
                .unwrap()
                .actual_platform
                .clone()
                .unwrap();
            assert_eq!(actual.normalize().architecture, want);
            assert_eq!(r.binaries.by_platform.len(), 1, "{:?}", r.binaries);
            let att = r
                .platforms
                .iter()
                .filter(|e| e.status == EntryStatus::Attestation)
                .count();
            assert_eq!(att, 1);
            assert!(codes(&r).contains(&CauseCode::AttestationUnsupported));
            // Every other runnable entry says why it was not taken.
            let rejected = r
                .platforms
                .iter()
                .filter(|e| e.status == EntryStatus::Rejected)
                .count();
            assert!(rejected >= 2, "{:?}", r.platforms);
            assert!(r.platforms.iter().all(|e| !e.reason.is_empty()));
        }
    }
}

#[test]
fn index_without_the_host_platform_has_no_matching_manifest() {
    let r = run(&oci("armonly"), "linux/amd64");
    assert_eq!(r.verdict, Verdict::WontRun);
    assert!(r.selected.is_none());
    assert_eq!(codes(&r)[0], CauseCode::NoMatchingManifest);
    assert_eq!(r.findings[0].evidence.len(), 2);
    assert_eq!(arch(&run(&oci("armonly"), "linux/arm64")), "arm64");
    assert_eq!(arch(&run(&oci("armonly"), "linux/arm/v7")), "arm");
}

#[test]
fn nested_indexes_are_flattened() {
    let r = run(&oci("nested"), "linux/arm64");
    assert_eq!(arch(&r), "arm64");
    assert_eq!(r.platforms.len(), 3, "{:?}", r.platforms);
    assert_eq!(arch(&run(&oci("nested"), "linux/arm/v7")), "arm");
    let r = run(&oci("nested"), "linux/amd64");
    assert_eq!(r.verdict, Verdict::WontRun);
    assert!(codes(&r).contains(&CauseCode::NoMatchingManifest));
}

#[test]
fn mislabeled_image_is_judged_by_its_binary_with_evidence() {
    for src in [oci("liar"), file("liar.docker.tar")] {
        let r = run(&src, "linux/amd64");
        assert_eq!(r.verdict, Verdict::WontRun, "{src}");
        let c = codes(&r);
        assert!(c.contains(&CauseCode::ArchMismatch), "{c:?}");
        assert!(c.contains(&CauseCode::ImageMislabeled), "{c:?}");
        let mis = r
            .findings
            .iter()
            .find(|f| f.code == CauseCode::ImageMislabeled)
            .unwrap();
        let e = mis.evidence.iter().find(|e| e.path.is_some()).unwrap();
        assert_eq!(e.path.as_deref(), Some("/bin/busybox"));
        assert!(e.layer.as_deref().unwrap().starts_with("sha256:"));
        assert_eq!(r.selected.as_ref().unwrap().platform.architecture, "amd64");
        assert_eq!(
            r.selected
                .as_ref()
                .unwrap()
                .actual_platform
                .as_ref()
                .unwrap()
                .architecture,
            "arm64"
        );

        // On arm64 the arm64 binary runs natively, but the label is still wrong.
        let r = run(&src, "linux/arm64");
        assert_eq!(r.verdict, Verdict::Runs, "{:?}", r.findings);
        assert!(codes(&r).contains(&CauseCode::ImageMislabeled));

        let r = run(&src, "linux/arm/v7");
        assert_eq!(r.verdict, Verdict::WontRun);
        assert!(codes(&r).contains(&CauseCode::ArchMismatch));
    }
}

#[test]
fn docker_save_archives_in_every_layout() {
    // skopeo's legacy docker-archive (manifest.json + <digest>.tar, uncompressed layers).
    let legacy = file("arm64.docker.tar");
    assert_eq!(run(&legacy, "linux/arm64").verdict, Verdict::Runs);
    let r = run(&legacy, "linux/amd64");
    assert_eq!(r.verdict, Verdict::WontRun);
    assert!(codes(&r).contains(&CauseCode::ArchMismatch));
    assert!(r.findings.iter().any(|f| {
        f.evidence
            .iter()
            .any(|e| e.path.as_deref() == Some("/bin/busybox"))
    }));
    // Classic Docker <= 24: <id>/layer.tar, repositories, <config>.json.
    let classic = file("s390x.docker-classic.tar");
    let r = run(&classic, "linux/amd64");
    assert_eq!(r.verdict, Verdict::WontRun);
    assert_eq!(
        r.selected
            .as_ref()
            .unwrap()
            .actual_platform
            .as_ref()
            .unwrap()
            .architecture,
        "s390x"
    );
    assert!(
        r.notes.iter().any(|n| n.contains("demo/busybox:s390x")),
        "{:?}",
        r.notes
    );
    // Docker 25+: OCI layout plus manifest.json.
    let d25 = file("arm.docker25.tar");
    assert_eq!(run(&d25, "linux/arm/v7").verdict, Verdict::Runs);
    assert_eq!(run(&d25, "linux/amd64").verdict, Verdict::WontRun);
}

#[test]
fn single_arch_images_for_each_host() {
    for (tag, ok_on) in [
        ("amd64", "linux/amd64"),
        ("arm64", "linux/arm64"),
        ("arm", "linux/arm/v7"),
        ("s390x", ""),
    ] {
        for h in ["linux/amd64", "linux/arm64", "linux/arm/v7"] {
            let r = run(&oci(tag), h);
            if h == ok_on {
                assert_eq!(r.verdict, Verdict::Runs, "{tag} on {h}: {:?}", r.findings);
            } else if !(tag == "arm" && h == "linux/arm64") {
                // arm/v7 on arm64 depends on the host's AArch32 support; the others never run.
                assert_eq!(r.verdict, Verdict::WontRun, "{tag} on {h}");
                assert!(
                    codes(&r).contains(&CauseCode::ArchMismatch),
                    "{tag} on {h}: {:?}",
                    codes(&r)
                );
            }
        }
    }
}

#[test]
fn zstd_layers_and_whiteouts() {
    let r = run(
        &format!("oci:{}:s390x", fixtures().join("zstd").display()),
        "linux/amd64",
    );
    assert_eq!(r.layers[0].compression, archcompat::Compression::Zstd);
    assert_eq!(r.verdict, Verdict::WontRun);
    // Layer 2 of "layered" whites out the arm64 /bin/app and /opt/old and adds an amd64 /bin/app.
    let r = run(&oci("layered"), "linux/amd64");
    assert_eq!(r.layers.len(), 2);
    assert_eq!(r.verdict, Verdict::Runs, "{:?}", r.findings);
    assert_eq!(r.binaries.scanned, 1, "{:?}", r.binaries);
    assert_eq!(r.binaries.by_platform.get("linux/amd64"), Some(&1));
    let ep = r.entrypoint.unwrap();
    assert_eq!(
        ep.file.unwrap().layer.as_deref(),
        Some(r.layers[1].digest.as_str())
    );
}

#[test]
fn missing_interpreters() {
    let r = run(&oci("bashscript"), "linux/amd64");
    assert_eq!(r.verdict, Verdict::WontRun);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == CauseCode::MissingInterpreter)
        .unwrap();
    assert!(f.message.contains("/bin/bash"), "{}", f.message);
    assert_eq!(
        r.entrypoint.as_ref().unwrap().file.as_ref().unwrap().path,
        "/app/run.sh"
    );

    let r = run(&oci("noloader"), "linux/amd64");
    assert_eq!(r.verdict, Verdict::WontRun, "{:?}", r.findings);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == CauseCode::MissingInterpreter)
        .unwrap();
    assert!(f.message.contains("ld-linux"), "{}", f.message);
}

#[test]
fn shell_form_is_judged_by_the_program_the_shell_runs() {
    let r = run(&oci("shellform"), "linux/amd64");
    let ep = r.entrypoint.as_ref().unwrap();
    assert_eq!(ep.form, Some(archcompat::CommandForm::Shell));
    assert_eq!(ep.file.as_ref().unwrap().path, "/bin/busybox");
    assert_eq!(ep.command.as_ref().unwrap().path, "/app/server");
    assert_eq!(r.verdict, Verdict::WontRun);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == CauseCode::ArchMismatch)
        .unwrap();
    assert_eq!(f.evidence[0].path.as_deref(), Some("/app/server"));
    assert!(f.message.contains("linux/arm64"), "{}", f.message);
    // On arm64 the server would run, but the amd64 shell that starts it cannot.
    let r = run(&oci("shellform"), "linux/arm64");
    assert_eq!(r.verdict, Verdict::WontRun);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == CauseCode::ArchMismatch)
        .unwrap();
    assert_eq!(f.evidence[0].path.as_deref(), Some("/bin/busybox"));
}

#[test]
fn json_documents_give_declared_facts_only() {
    let r = run(&file("multi.index.json"), "linux/arm64");
    assert_eq!(arch(&r), "arm64");
    assert!(r.layers.is_empty());
    assert!(!r.notes.is_empty());
    let r = run(&file("multi.index.json"), "linux/ppc64le");
    assert_eq!(r.verdict, Verdict::WontRun);
    assert!(codes(&r).contains(&CauseCode::NoMatchingManifest));
    // skopeo inspect of the liar only knows the label.
    let r = run(&file("liar.skopeo-inspect.json"), "linux/arm64");
    assert_eq!(arch(&r), "amd64");
    assert!(r.notes.iter().any(|n| n.contains("skopeo inspect")));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

#[test]
fn tampered_blobs_and_tripped_limits_name_the_blob() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("tampered-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixtures().join("zstd"), &dir);
    let src = format!("oci:{}:s390x", dir.display());
    let r = run(&src, "linux/amd64");
    let layer = r.layers[0].digest.clone();
    let p = dir
        .join("blobs/sha256")
        .join(layer.trim_start_matches("sha256:"));
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 0xff;
    std::fs::write(&p, &bytes).unwrap();
    let e = check_image(&src, &host("linux/amd64"), &Options::default()).unwrap_err();
    assert!(e.to_string().contains(&layer), "{e}");

    let small = Options {
        limits: Limits {
            max_bytes: 64 << 10,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = check_image(&oci("arm64"), &host("linux/amd64"), &small).unwrap_err();
    assert_eq!(e.kind(), "limit-exceeded");
    assert!(e.to_string().contains("sha256:"), "{e}");
    let few = Options {
        limits: Limits {
            max_entries: 1,
            ..Limits::default()
        },
        ..Options::default()
    };
    assert_eq!(
        check_image(&oci("arm64"), &host("linux/amd64"), &few)
            .unwrap_err()
            .kind(),
        "limit-exceeded"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_sources_are_errors_naming_the_input() {
    let e = check_image("/no/such/image", &host("linux/amd64"), &Options::default()).unwrap_err();
    assert!(e.to_string().contains("/no/such/image"));
    let e = check_image(
        &fixtures().join("oci").display().to_string(),
        &host("linux/amd64"),
        &Options::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("choose one"), "{e}");
    let e = check_image(&oci("nope"), &host("linux/amd64"), &Options::default()).unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
}
