//! Issue-10 ELF regressions: small files made with real tools (Debian cross gcc, elfedit,
//! `objcopy --only-keep-debug`, header fields patched the way broken tools leave them; see
//! `scripts/build-binary-fixtures.sh --elf-regressions`) classify to the facts recorded in
//! `fixtures/bin/elf/expected.json`, through both `classify` and `inspect_path`, and give
//! the recorded problems.

use crate::binary::{BinaryInfo, classify, inspect_path};
use crate::check::binary::problems;
use crate::platform::Host;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/bin/elf")
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(dir().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn load(name: &str) -> Vec<u8> {
    let raw = std::fs::read(dir().join(name)).unwrap();
    if name.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        raw
    }
}

fn codes(info: &BinaryInfo, host: &Host) -> Vec<String> {
    problems(info, host)
        .iter()
        .map(|f| f.code.as_str().to_string())
        .collect()
}

fn check(name: &str, want: &Value, info: &BinaryInfo, host: &Host) {
    let got = serde_json::to_value(info).unwrap();
    let d = &got["details"];
    assert_eq!(got["format"], "elf", "{name}");
    if let Some(p) = want.get("platform") {
        let have = info.platform().map(|p| p.to_string());
        assert_eq!(have.as_deref(), p.as_str(), "{name}: platform in {got:#}");
    }
    for key in [
        "os",
        "libc",
        "interpreter",
        "type",
        "abi",
        "float_abi",
        "arm_arch",
        "class",
        "machine",
        "max_page_size",
        "android_api",
        "needed_libs",
        "fails_after_exec",
    ] {
        if let Some(w) = want.get(key) {
            assert_eq!(&d[key], w, "{name}: details.{key} in {got:#}");
        }
    }
    if let Some(flags) = want.get("flags").and_then(Value::as_array) {
        let have = d["flags"].as_array().cloned().unwrap_or_default();
        for f in flags {
            let n = have.iter().filter(|h| *h == f).count();
            assert_eq!(n, 1, "{name}: flag {f} once in {have:?}");
        }
        if want.get("exact_flags") == Some(&Value::Bool(true)) {
            assert_eq!(&have, flags, "{name}: flags");
        }
    }
    for k in want["absent"].as_array().into_iter().flatten() {
        let k = k.as_str().unwrap();
        assert!(d.get(k).is_none(), "{name}: details.{k} present in {got:#}");
    }
    match want.get("invalid").and_then(Value::as_str) {
        Some(w) => {
            let inv = d["invalid"].as_str().unwrap_or_default();
            assert!(inv.contains(w), "{name}: invalid {inv:?} lacks {w:?}");
        }
        None => assert!(d.get("invalid").is_none(), "{name}: invalid in {got:#}"),
    }
    let want_codes: Vec<String> = want["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes(info, host), want_codes, "{name}: problems");
    let found = problems(info, host);
    if let Some(m) = want.get("message").and_then(Value::as_str) {
        assert!(found[0].message.contains(m), "{name}: {}", found[0].message);
    }
    if let Some(errno) = want.get("errno") {
        let first = found[0]
            .evidence
            .iter()
            .find_map(|e| e.detail.strip_prefix("errno: "))
            .map(|s| s.split(' ').next().unwrap().to_string());
        assert_eq!(first.as_deref(), errno.as_str(), "{name}: errno");
    }
    if let Some(others) = want.get("problems_on").and_then(Value::as_object) {
        for (spec, w) in others {
            let mut h = Host::resolve(spec).unwrap();
            h.page_size = w["page_size"].as_u64().unwrap();
            let want: Vec<&str> = w["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(codes(info, &h), want, "{name}: problems on {spec}");
        }
    }
}

#[test]
fn every_regression_fixture_classifies_as_recorded() {
    let m = manifest();
    let host = Host::resolve(m["host"].as_str().unwrap()).unwrap();
    let files = m["files"].as_object().unwrap();
    for e in std::fs::read_dir(dir()).unwrap() {
        let n = e.unwrap().file_name().into_string().unwrap();
        assert!(
            n == "expected.json" || files.contains_key(&n),
            "{n} not in expected.json"
        );
    }
    let tmp = std::env::temp_dir().join(format!("archcompat-elf-reg-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for (name, want) in files {
        let data = load(name);
        let info = classify(&data, data.len() as u64);
        check(name, want, &info, &host);
        let path = tmp.join(name);
        std::fs::write(&path, &data).unwrap();
        assert_eq!(inspect_path(&path).unwrap(), info, "{name}: inspect_path");
    }
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn fifos_and_other_non_regular_files_are_refused_without_blocking() {
    let tmp = std::env::temp_dir().join(format!("archcompat-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let fifo = tmp.join("pipe");
    nix::unistd::mkfifo(
        &fifo,
        nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
    )
    .unwrap();
    // No writer ever opens the FIFO: a blocking open would hang this test.
    let e = inspect_path(&fifo).unwrap_err().to_string();
    assert!(e.contains("pipe") && e.contains("FIFO"), "{e}");
    let e = inspect_path(Path::new("/dev/null"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("/dev/null") && e.contains("character device"),
        "{e}"
    );
    std::fs::remove_dir_all(&tmp).ok();
}
