//! The core has no import cycle: neither between its top-level modules (facts → findings →
//! fixes) nor between the submodules of `platform` (pure tables apart from host probing).
//! Facts never import findings or fixes. Read from the source (non-test code), so a new `use`
//! that closes a cycle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() && p.file_name().is_some_and(|n| n == "tests") {
            // A module's test suites (`#[cfg(test)] mod tests`) are not its code.
            continue;
        } else if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its test module and comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap();
    text.lines()
        .map(|l| l.split("//").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn graph(files: &[(String, String)], pattern: &str) -> BTreeMap<String, BTreeSet<String>> {
    let re = regex::Regex::new(pattern).unwrap();
    let names: BTreeSet<&String> = files.iter().map(|(n, _)| n).collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, text) in files {
        let deps = g.entry(name.clone()).or_default();
        for c in re.captures_iter(text) {
            let d = c[1].to_string();
            if &d != name && names.contains(&d) {
                deps.insert(d);
            }
        }
    }
    g
}

fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in g.keys() {
        if let Some(c) = visit(n, g, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

fn top_level() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rs_files(&src(), &mut files);
    let mut by_module: BTreeMap<String, String> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src()).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" {
            continue;
        }
        by_module.entry(top).or_default().push_str(&code(&f));
    }
    let files: Vec<(String, String)> = by_module.into_iter().collect();
    graph(&files, r"crate::([a-z_]+)")
}

#[test]
fn top_level_modules_have_no_cycle_and_facts_import_no_findings() {
    let g = top_level();
    assert!(
        g.contains_key("platform") && g.contains_key("check"),
        "{g:?}"
    );
    assert_eq!(cycle(&g), None, "{g:#?}");
    for fact in ["platform", "binary", "manifest", "image"] {
        for later in [
            "finding",
            "check",
            "diagnose",
            "dockerfile",
            "fix",
            "report",
        ] {
            assert!(!g[fact].contains(later), "{fact} imports {later}: {g:#?}");
        }
    }
    // Checks produce findings only; fixes are attached by the pipelines.
    assert!(!g["check"].contains("fix"), "{g:#?}");
    assert!(!g["dockerfile"].contains("fix"), "{g:#?}");
    assert!(!g["diagnose"].contains("fix"), "{g:#?}");
}

#[test]
fn platform_submodules_have_no_cycle_and_tables_do_not_probe() {
    let dir = src().join("platform");
    let mut files = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        if name != "mod" && p.is_file() {
            files.push((name, code(&p)));
        }
    }
    let g = graph(&files, r"(?:super|crate::platform)::([a-z_]+)");
    assert!(
        g.contains_key("normalize") && g.contains_key("host"),
        "{g:?}"
    );
    assert_eq!(cycle(&g), None, "{g:#?}");
    for table in ["normalize", "parse", "matcher", "profile", "alias"] {
        for probe in ["detect", "host", "binfmt"] {
            assert!(!g[table].contains(probe), "{table} uses {probe}: {g:#?}");
        }
    }
}

#[test]
fn a_cycle_is_found() {
    let files = vec![
        ("a".to_string(), "use crate::b::X;".to_string()),
        ("b".to_string(), "crate::c::f()".to_string()),
        ("c".to_string(), "crate::a::g()".to_string()),
    ];
    let g = graph(&files, r"crate::([a-z_]+)");
    assert_eq!(cycle(&g).unwrap().len(), 4);
    let acyclic = vec![
        ("a".to_string(), "use crate::b::X;".to_string()),
        ("b".to_string(), String::new()),
    ];
    assert_eq!(cycle(&graph(&acyclic, r"crate::([a-z_]+)")), None);
}
