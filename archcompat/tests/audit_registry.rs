//! `audit` against Debian's docker-registry holding 31 repositories pushed by skopeo
//! (multi-arch with attestations, arm-only, single-arch, mislabeled, broken entrypoints):
//! catalog and tag pagination, targets, digest dedupe, --deep, --state resume, merge, and a
//! folder of OCI layouts.
#![cfg(feature = "registry")]

mod audit_support;

/// The root audit call, without the HTML report.
fn audit(source: &str, opts: &AuditOptions) -> archcompat::Result<AuditReport> {
    archcompat::audit_report(source, opts, None)
}

use archcompat::{
    AuditOptions, AuditProgress, AuditReport, CauseCode, Platform, TargetStatus, audit_merge_files,
};
use audit_support::AuditRegistry;
use std::sync::{Arc, OnceLock};

fn reg() -> &'static AuditRegistry {
    static R: OnceLock<AuditRegistry> = OnceLock::new();
    R.get_or_init(|| AuditRegistry::start("core"))
}

fn targets(s: &[&str]) -> Vec<Platform> {
    s.iter().map(|t| t.parse().unwrap()).collect()
}

fn opts(t: &[&str]) -> AuditOptions {
    AuditOptions {
        targets: targets(t),
        page_size: 7, // several catalog pages
        jobs: 4,
        ..AuditOptions::default()
    }
}

#[test]
fn whole_registry_with_pagination_and_dedupe() {
    let ticks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t2 = ticks.clone();
    let mut o = opts(&["linux/amd64", "linux/arm64"]);
    o.progress = Some(Arc::new(move |p| {
        if let AuditProgress::Tag { .. } = p {
            t2.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }));
    let r = audit(&reg().url(""), &o).unwrap();
    assert_eq!(r.summary.repositories, 31);
    assert_eq!(r.summary.tags, 39);
    assert_eq!(ticks.load(std::sync::atomic::Ordering::Relaxed), 39);
    // 8 multi repos × 2 tags share one index: 1 index + 4 platform configs are never needed
    // beyond the first; far fewer documents than tags.
    assert!(r.summary.fetched < 20, "{:?}", r.summary);
    assert!(r.summary.reused >= 20, "{:?}", r.summary);
    let get = |repo: &str, tag: &str| {
        r.records
            .iter()
            .find(|x| x.repository == repo && x.tag == tag)
            .unwrap()
    };
    let m = get("multi/app-03", "v1");
    assert_eq!(m.kind.as_deref(), Some("index"));
    assert_eq!(m.attestations, 1);
    assert_eq!(m.platforms.len(), 4);
    assert!(m.complete());
    let a = get("arm/svc-07", "latest");
    assert_eq!(a.missing, targets(&["linux/amd64"]));
    assert_eq!(a.targets[1].status, TargetStatus::Present);
    assert!(
        a.findings
            .iter()
            .any(|f| f.code == CauseCode::NoMatchingManifest)
    );
    let s = get("single/arm64-02", "latest");
    assert_eq!(s.kind.as_deref(), Some("manifest"));
    assert_eq!(s.missing, targets(&["linux/amd64"]));
    assert_eq!(r.summary.complete, 16);
}

#[test]
fn prefix_compatible_targets_and_deep_findings() {
    let r = audit(
        &reg().url("arm"),
        &opts(&["linux/arm/v7", "linux/arm/v8", "linux/arm/v6"]),
    )
    .unwrap();
    assert_eq!(r.summary.repositories, 7);
    // arm/v8 (a 32-bit userland on ARMv8) runs the arm/v7 entry; an ARMv6 CPU cannot.
    for x in &r.records {
        let st: Vec<_> = x.targets.iter().map(|t| t.status).collect();
        assert_eq!(
            st,
            [
                TargetStatus::Present,
                TargetStatus::Present,
                TargetStatus::Missing
            ]
        );
        assert_eq!(x.targets[1].via, Some("linux/arm/v7".parse().unwrap()));
    }

    let mut o = opts(&["linux/amd64"]);
    o.deep = true;
    let r = audit(&reg().url("mislabeled"), &o).unwrap();
    assert_eq!(r.records.len(), 3);
    for x in &r.records {
        assert!(
            x.findings
                .iter()
                .any(|f| f.code == CauseCode::ImageMislabeled),
            "{x:?}"
        );
        assert!(!x.complete());
    }
    let r = audit(&reg().url("broken"), &o).unwrap();
    let codes: Vec<_> = r
        .records
        .iter()
        .map(|x| x.findings.iter().map(|f| f.code).collect::<Vec<_>>())
        .collect();
    assert!(
        codes[0].contains(&CauseCode::MissingInterpreter),
        "{codes:?}"
    ); // bashscript
    assert!(
        codes[2].contains(&CauseCode::MissingInterpreter),
        "{codes:?}"
    ); // noloader
    // Without --deep nothing is read from the layers.
    let r = audit(&reg().url("mislabeled"), &opts(&["linux/amd64"])).unwrap();
    assert!(r.records.iter().all(|x| x.complete()));
}

#[test]
fn interrupted_audit_resumes_from_its_state() {
    let dir = std::env::temp_dir().join(format!("archcompat-audit-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.jsonl");
    let _ = std::fs::remove_file(&state);
    let mut o = opts(&["linux/amd64"]);
    o.state = Some(state.clone());
    let full = audit(&reg().url(""), &o).unwrap();
    // Simulate an interruption: keep the header and 10 records, and half of the 11th line.
    let text = std::fs::read_to_string(&state).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 40);
    let mut cut = lines[..11].join("\n");
    cut.push('\n');
    cut.push_str(&lines[11][..lines[11].len() / 2]);
    std::fs::write(&state, cut).unwrap();
    let resumed = audit(&reg().url(""), &o).unwrap();
    assert_eq!(resumed.summary.resumed, 10);
    assert_eq!(resumed.records.len(), full.records.len());
    for (a, b) in full.records.iter().zip(&resumed.records) {
        assert_eq!(
            (&a.repository, &a.tag, &a.digest),
            (&b.repository, &b.tag, &b.digest)
        );
        assert_eq!(a.missing, b.missing);
    }
    // Another audit cannot reuse this state.
    let mut other = opts(&["linux/arm64"]);
    other.state = Some(state.clone());
    let e = audit(&reg().url(""), &other).unwrap_err().to_string();
    assert!(e.contains("another audit"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn per_prefix_audits_merge_into_the_whole() {
    let o = opts(&["linux/amd64", "linux/arm64"]);
    let whole = audit(&reg().url(""), &o).unwrap();
    // Through JSON files, as the fan-out jobs hand them over (`audit --merge FILE…`).
    let dir = std::env::temp_dir().join(format!("archcompat-audit-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let parts: Vec<_> = ["arm", "broken", "mislabeled", "multi", "single"]
        .iter()
        .map(|p| {
            let r = audit(&reg().url(p), &o).unwrap();
            let f = dir.join(format!("{p}.json"));
            std::fs::write(&f, serde_json::to_string(&r).unwrap()).unwrap();
            f
        })
        .collect();
    let html = dir.join("whole.html");
    let m = audit_merge_files(&parts, Some(&html)).unwrap();
    assert!(std::fs::read_to_string(&html).unwrap().contains("<html"));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(m.summary.tags, whole.summary.tags);
    assert_eq!(m.summary.complete, whole.summary.complete);
    assert_eq!(m.summary.repositories, 31);
}

#[test]
fn folder_of_oci_layouts_and_reference_list() {
    let dir = std::env::temp_dir().join(format!("archcompat-audit-layouts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let src = audit_support::verify_layout();
    std::os::unix::fs::symlink(src, dir.join("verify")).unwrap();
    let r = audit(dir.to_str().unwrap(), &opts(&["linux/amd64"])).unwrap();
    assert_eq!(r.summary.tags, 9);
    let arm = r.records.iter().find(|x| x.tag == "busybox-arm64").unwrap();
    assert_eq!(arm.missing, targets(&["linux/amd64"]));
    let list = dir.join("refs.txt");
    std::fs::write(
        &list,
        format!(
            "# one per line\n{}/multi/app-01:latest\noci:{}:riscv64\n",
            reg().url(""),
            src.display()
        ),
    )
    .unwrap();
    let r = audit(
        list.to_str().unwrap(),
        &opts(&["linux/riscv64", "linux/amd64"]),
    )
    .unwrap();
    assert_eq!(r.summary.tags, 2);
    let rv = r.records.iter().find(|x| x.tag == "riscv64").unwrap();
    assert_eq!(rv.missing, targets(&["linux/amd64"]));
    let _ = std::fs::remove_dir_all(&dir);
}
