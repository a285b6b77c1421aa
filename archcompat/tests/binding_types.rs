//! The Python stubs (`archcompat-py/python/archcompat/_archcompat.pyi`) and the TypeScript
//! header (`archcompat-node/types-header.d.ts`) declare every field the Rust result types put
//! in their JSON. Each type is serialised from real results (with every optional field set),
//! and each key must appear in the TypedDict and the interface of the same name: a field
//! added in Rust and forgotten in a stub fails here.

use archcompat::{
    CauseCode, Evidence, Finding, Fix, FixTarget, Host, LintOptions, Location, Options, Platform,
    RewriteOptions, Severity,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

/// Top-level keys of each `class NAME(...TypedDict...)` (with its stub base classes) and of
/// each functional `NAME = TypedDict("NAME", {...})`.
fn pyi_types(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut own: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(rest) = l.strip_prefix("class ") {
            let name = rest.split(['(', ':']).next().unwrap().trim().to_string();
            let bases = rest
                .split_once('(')
                .and_then(|(_, b)| b.split_once(')'))
                .map(|(b, _)| b.split(',').map(|s| s.trim().to_string()).collect())
                .unwrap_or_default();
            let mut fields = BTreeSet::new();
            i += 1;
            while i < lines.len() && lines[i].starts_with("    ") {
                let f = lines[i].trim();
                if let Some((k, _)) = f.split_once(':')
                    && k.chars().all(|c| c.is_alphanumeric() || c == '_')
                {
                    fields.insert(k.to_string());
                }
                i += 1;
            }
            own.insert(name, (bases, fields));
            continue;
        }
        if let Some((name, _)) = l.split_once(" = TypedDict(") {
            let mut body = String::new();
            while i < lines.len() {
                body.push_str(lines[i]);
                if lines[i].trim_start().starts_with(')') || lines[i].ends_with(')') {
                    break;
                }
                i += 1;
            }
            let brace = body.split_once('{').map(|x| x.1).unwrap_or("");
            let dict = brace.split_once('}').map(|x| x.0).unwrap_or("");
            let fields = dict
                .split(',')
                .filter_map(|kv| kv.split_once(':'))
                .map(|(k, _)| k.trim().trim_matches('"').to_string())
                .collect();
            own.insert(name.trim().to_string(), (Vec::new(), fields));
        }
        i += 1;
    }
    let mut out = BTreeMap::new();
    for name in own.keys() {
        let mut all = BTreeSet::new();
        let mut todo = vec![name.clone()];
        while let Some(n) = todo.pop() {
            if let Some((bases, fields)) = own.get(&n) {
                all.extend(fields.iter().cloned());
                todo.extend(bases.iter().cloned());
            }
        }
        out.insert(name.clone(), all);
    }
    out
}

/// Top-level keys of each `export interface NAME { ... }`.
fn ts_types(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, BTreeSet<String>)> = None;
    for l in text.lines() {
        if let Some(rest) = l.strip_prefix("export interface ") {
            let name = rest.split([' ', '{']).next().unwrap().to_string();
            current = Some((name, BTreeSet::new()));
            continue;
        }
        if l.starts_with('}') {
            if let Some((n, f)) = current.take() {
                out.insert(n, f);
            }
            continue;
        }
        if let Some((_, fields)) = current.as_mut()
            && let Some(f) = l.strip_prefix("  ")
            && !f.starts_with([' ', '/', '*'])
            && let Some((k, _)) = f.split_once(':')
        {
            fields.insert(k.trim_end_matches('?').trim_matches('\'').to_string());
        }
    }
    out
}

fn full_finding() -> Finding {
    let mut f = Finding::new(CauseCode::ArchMismatch, Severity::Error, "m");
    f.evidence.push(full_evidence());
    f.location = Some(full_location());
    f.fixes.push(full_fix());
    f
}

fn full_evidence() -> Evidence {
    Evidence {
        detail: "d".into(),
        path: Some("p".into()),
        layer: Some("sha256:0".into()),
        line: Some(1),
    }
}

fn full_location() -> Location {
    Location {
        path: "Dockerfile".into(),
        line: Some(1),
        column: Some(2),
        end_column: Some(3),
    }
}

fn full_fix() -> Fix {
    Fix {
        id: "x".into(),
        title: "t".into(),
        why: "w".into(),
        applies_to: FixTarget::Buildx,
        snippet: "s".into(),
        diff: Some("d".into()),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// Every result type with samples that carry all its fields.
fn samples() -> Vec<(&'static str, Vec<Value>)> {
    let amd64 = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
    let mut image = archcompat::check_image(
        &root()
            .join("examples/hello-multiarch")
            .display()
            .to_string(),
        &amd64,
        &Options::default(),
    )
    .unwrap();
    image.notes.push("note".into());
    if let Some(s) = image.selected.as_mut() {
        s.actual_platform = Some("linux/arm64".parse().unwrap());
    }
    let image_json = json(&image);
    let entries = image_json["platforms"].as_array().unwrap().clone();
    let platform = Platform {
        os: "windows".into(),
        architecture: "amd64".into(),
        variant: "v2".into(),
        os_version: Some("10.0.17763.1".into()),
        os_features: vec!["win32k".into()],
    };
    let inspect = archcompat::inspect_path(
        &root().join("fixtures/bin/c-amd64-isa-v3"),
        &Host::from_platform("linux/arm64".parse::<Platform>().unwrap()),
    )
    .unwrap();
    let lint = archcompat::lint(
        "FROM --platform=linux/amd64 alpine\nRUN GOARCH=amd64 go build .\n",
        &LintOptions::default(),
    )
    .unwrap();
    let rw = archcompat::rewrite_command(
        "docker build -t app .",
        &RewriteOptions::for_platforms(&["linux/amd64", "linux/arm64"]).unwrap(),
    )
    .unwrap();
    let mut ex = archcompat::explain(
        "exec /usr/local/bin/app: exec format error\nWARNING: The requested image's platform (linux/arm64) does not match the detected host platform (linux/amd64/v3)",
        &Default::default(),
    )
    .unwrap();
    ex.image = Some("app".into());
    let graviton = Host::resolve("aws-graviton2").unwrap();
    // A batch entry for a path that cannot be read, with every optional field set.
    let mut failure = json(
        &archcompat::inspect_outcomes(
            &[root().join("fixtures/bin/no-such-file")],
            &amd64,
            archcompat::Redaction::On,
            archcompat::FrontDoor::Node,
        )[0],
    );
    failure["error"]["limit"] = Value::from("max_bytes");
    vec![
        ("Finding", vec![json(&full_finding())]),
        ("Fix", vec![json(&full_fix())]),
        ("Location", vec![json(&full_location())]),
        ("Evidence", vec![json(&full_evidence())]),
        ("Platform", vec![json(&platform)]),
        ("ImageReport", vec![image_json.clone()]),
        ("ImageIndexEntry", entries),
        ("ImageBinaries", vec![image_json["binaries"].clone()]),
        ("InspectEntry", vec![json(&inspect)]),
        ("LintReport", vec![json(&lint)]),
        ("Rewrite", vec![json(&rw)]),
        ("Explanation", vec![json(&ex)]),
        (
            "RunVerdict",
            vec![json(&graviton.runs(&"linux/amd64".parse().unwrap()))],
        ),
        ("InspectFailure", vec![failure.clone()]),
        ("InspectError", vec![failure["error"].clone()]),
        (
            "RedactReport",
            vec![json(&archcompat::redact_report(
                "docker login -p hunter2pass ghcr.io",
                &Default::default(),
            ))],
        ),
    ]
}

fn check(file: &Path, declared: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut missing = Vec::new();
    for (name, values) in samples() {
        let Some(have) = declared.get(name) else {
            missing.push(format!("{}: no type {name}", file.display()));
            continue;
        };
        for v in &values {
            for k in keys(v) {
                if !have.contains(&k) {
                    missing.push(format!("{}: {name} lacks `{k}`", file.display()));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    missing
}

#[test]
fn python_stubs_declare_every_field_of_the_results() {
    let path = root().join("archcompat-py/python/archcompat/types.py");
    let types = pyi_types(&std::fs::read_to_string(&path).unwrap());
    let missing = check(&path, &types);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn typescript_header_declares_every_field_of_the_results() {
    let path = root().join("archcompat-node/types-header.d.ts");
    let types = ts_types(&std::fs::read_to_string(&path).unwrap());
    let missing = check(&path, &types);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_parsers_see_fields_and_miss_what_is_absent() {
    let py = pyi_types(
        "class A(TypedDict):\n    x: int\n    y_z: str\n\nclass B(A, total=False):\n    w: int\nP = TypedDict(\n    \"P\",\n    {\"os\": str, \"os.version\": str},\n)\n",
    );
    assert_eq!(py["B"], ["w", "x", "y_z"].map(String::from).into());
    assert_eq!(py["P"], ["os", "os.version"].map(String::from).into());
    let ts = ts_types(
        "export interface L {\n  path: string\n  /** doc: x */\n  line?: number\n  'os.version'?: string\n}\n",
    );
    assert_eq!(
        ts["L"],
        ["line", "os.version", "path"].map(String::from).into()
    );
    let mut declared = BTreeMap::new();
    declared.insert("Location".to_string(), ts["L"].clone());
    let missing = check(Path::new("x.d.ts"), &declared);
    assert!(
        missing
            .iter()
            .any(|m| m == "x.d.ts: Location lacks `column`")
    );
}
