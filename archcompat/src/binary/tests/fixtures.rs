//! Every committed fixture (built by real compilers, `scripts/build-binary-fixtures.sh`)
//! classifies to the facts recorded in `fixtures/bin/expected.json`, through both
//! `classify` and `inspect_path`, and yields the expected problems for the recorded host.

use crate::binary::{BinaryInfo, classify, inspect_path};
use crate::check::binary::problems;
use crate::platform::Host;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/bin")
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(dir().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The fixture's real bytes (`.gz` fixtures are inflated).
pub fn load(name: &str) -> Vec<u8> {
    let raw = std::fs::read(dir().join(name)).unwrap();
    if name.ends_with(".gz") && !name.starts_with("data") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

fn check_entry(name: &str, want: &Value, info: &BinaryInfo, host: &Host) {
    let got = serde_json::to_value(info).unwrap();
    let d = &got["details"];
    assert_eq!(got["format"], want["format"], "{name}: format in {got:#}");
    if let Some(p) = want.get("platform") {
        let have = info.platform().map(|p| p.to_string());
        assert_eq!(have.as_deref(), p.as_str(), "{name}: platform in {got:#}");
    }
    for key in [
        "machine",
        "class",
        "endianness",
        "type",
        "linkage",
        "libc",
        "interpreter",
        "isa_level",
        "float_abi",
        "arm_arch",
        "abi",
        "max_page_size",
        "env_program",
        "argument",
        "line_endings",
        "bom",
        "size",
        "title",
        "kind",
        "java",
    ] {
        if let Some(w) = want.get(key) {
            assert_eq!(&d[key], w, "{name}: details.{key} in {got:#}");
        }
    }
    if let Some(flags) = want.get("flags").and_then(Value::as_array) {
        let have = d["flags"].as_array().cloned().unwrap_or_default();
        if flags.is_empty() {
            assert!(!have.contains(&"rvc".into()), "{name}: flags {have:?}");
        }
        for f in flags {
            assert!(have.contains(f), "{name}: flag {f} missing from {have:?}");
        }
    }
    if let Some(go) = want.get("go").and_then(Value::as_object) {
        for (k, v) in go {
            assert_eq!(
                &d["go"]["build_settings"][k], v,
                "{name}: Go {k} in {got:#}"
            );
            assert_eq!(&d["build_settings"][k], v, "{name}: build_settings.{k}");
        }
        assert!(d["go"]["version"].as_str().unwrap().starts_with("go1."));
    }
    if let Some(slices) = want.get("slices").and_then(Value::as_array) {
        let have: Vec<&Value> = d["slices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["architecture"])
            .collect();
        assert_eq!(have, slices.iter().collect::<Vec<_>>(), "{name}: slices");
    }
    if want.get("invalid") == Some(&Value::Bool(true)) {
        assert!(
            d["invalid"].is_string(),
            "{name}: expected invalid in {got:#}"
        );
    } else if want["format"] == "elf" {
        assert!(
            d.get("invalid").is_none(),
            "{name}: unexpected invalid in {got:#}"
        );
    }
    let codes: Vec<String> = problems(info, host)
        .iter()
        .map(|f| f.code.as_str().to_string())
        .collect();
    let want_codes: Vec<String> = want["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, want_codes, "{name}: problems on {}", host.platform);
    if let Some(errno) = want.get("errno").and_then(Value::as_str) {
        let p = problems(info, host);
        let ev = &p[0].evidence[0].detail;
        assert!(ev.starts_with(&format!("errno: {errno} ")), "{name}: {ev}");
    }
    if let Some(others) = want.get("problems_on").and_then(Value::as_object) {
        for (spec, w) in others {
            let mut h = Host::resolve(spec).unwrap();
            h.page_size = w["page_size"].as_u64().unwrap();
            let codes: Vec<String> = problems(info, &h)
                .iter()
                .map(|f| f.code.as_str().to_string())
                .collect();
            let want: Vec<String> = w["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            assert_eq!(codes, want, "{name}: problems on {spec}");
        }
    }
}

#[test]
fn every_fixture_classifies_as_built() {
    let m = manifest();
    let host = Host::resolve(m["host"].as_str().unwrap()).unwrap();
    let files = m["files"].as_object().unwrap();
    assert!(files.len() >= 40);
    // Every fixture file is in the manifest (nothing silently untested).
    for e in std::fs::read_dir(dir()).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            continue; // elf/: the issue-10 regressions (binary_elf_regressions.rs)
        }
        let n = e.file_name().into_string().unwrap();
        assert!(
            n == "expected.json" || files.contains_key(&n),
            "{n} not in expected.json"
        );
    }
    for (name, want) in files {
        let data = load(name);
        let info = classify(&data, data.len() as u64);
        check_entry(name, want, &info, &host);
    }
}

#[test]
fn inspect_path_agrees_with_classify_on_whole_files() {
    let m = manifest();
    let host = Host::resolve(m["host"].as_str().unwrap()).unwrap();
    let tmp = std::env::temp_dir().join(format!("archcompat-binary-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for (name, want) in m["files"].as_object().unwrap() {
        let data = load(name);
        let path = tmp.join(name);
        std::fs::write(&path, &data).unwrap();
        let info = inspect_path(&path).unwrap();
        assert_eq!(info, classify(&data, data.len() as u64), "{name}");
        check_entry(name, want, &info, &host);
    }
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn a_4k_prefix_gives_the_header_facts_and_never_claims_corruption() {
    let m = manifest();
    for (name, want) in m["files"].as_object().unwrap() {
        let data = load(name);
        let cut = &data[..data.len().min(4096)];
        let info = classify(cut, data.len() as u64);
        let got = serde_json::to_value(&info).unwrap();
        assert_eq!(got["format"], want["format"], "{name}");
        if want["format"] == "elf" {
            let whole = serde_json::to_value(classify(&data, data.len() as u64)).unwrap();
            for k in ["machine", "class", "endianness", "interpreter", "invalid"] {
                assert_eq!(got["details"][k], whole["details"][k], "{name}: {k}");
            }
        }
    }
}

#[test]
fn unreadable_paths_are_errors_that_name_the_path() {
    let e = inspect_path(Path::new("/nonexistent/archcompat-x")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/archcompat-x"), "{e}");
    let e = inspect_path(&dir()).unwrap_err();
    assert!(e.to_string().contains("fixtures/bin"), "{e}");
}

/// The machine's own binaries and libraries (and the cross toolchains' when installed), up to
/// `limit` regular files of at most 64 MiB, each handed to `f` with its bytes.
fn machine_files(limit: usize, mut f: impl FnMut(&Path, &[u8])) {
    let roots = [
        "/usr/bin",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/aarch64-linux-gnu/lib",
        "/usr/arm-linux-gnueabihf/lib",
        "/usr/lib/go/pkg/tool",
    ];
    let mut seen = 0;
    let mut stack: Vec<PathBuf> = roots.iter().map(Into::into).collect();
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for ent in rd.flatten() {
            let Ok(ft) = ent.file_type() else { continue };
            let path = ent.path();
            if ft.is_dir() {
                stack.push(path);
                continue;
            }
            if !ft.is_file() || seen >= limit {
                continue;
            }
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            if data.len() > 64 << 20 {
                continue;
            }
            seen += 1;
            f(&path, &data);
        }
    }
}

/// The windowed reads of `inspect_path` see the same bytes as a whole-file read, on the
/// machine's own files: every fact agrees, whatever order and spacing the parts of each file
/// have.
#[test]
fn inspect_path_agrees_with_classify_on_the_machines_files() {
    let (mut seen, mut elf) = (0, 0);
    machine_files(4000, |path, data| {
        seen += 1;
        let whole = classify(data, data.len() as u64);
        elf += usize::from(whole.format() == crate::Format::Elf);
        assert_eq!(inspect_path(path).unwrap(), whole, "{}", path.display());
    });
    assert!(elf >= 50, "only {elf} ELF files among {seen}");
}

/// The `DT_NEEDED` names, read from around the names only, are the ones goblin resolves from
/// the whole dynamic string table, on the machine's ELF files (libraries with megabytes of
/// symbol names among them).
#[test]
fn needed_names_agree_with_goblin_on_the_machines_files() {
    let mut compared = 0;
    machine_files(4000, |path, data| {
        let Ok(g) = goblin::elf::Elf::parse(data) else {
            return;
        };
        let crate::binary::Details::Elf(d) = classify(data, data.len() as u64).details else {
            return;
        };
        if g.dynamic.is_none() || d.needed.is_none() {
            return;
        }
        let want: Vec<String> = g
            .libraries
            .iter()
            .take(64)
            .map(|l| l.chars().take(256).collect())
            .collect();
        assert_eq!(d.needed_libs, want, "{}", path.display());
        compared += usize::from(!want.is_empty());
    });
    assert!(compared >= 50, "only {compared} files with DT_NEEDED");
}
