//! The public surface is deliberate. Every module of the core is private; the crate root
//! re-exports exactly the names below (adding a `pub use` or losing one fails here, so the
//! surface cannot grow by accident), the names compile, the crate-root documentation links
//! only exported names, and the hidden `fuzzing` module is used by `fuzz/` alone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

// Compiles only while every promised name is exported at the root.
#[allow(unused_imports)]
use archcompat::{
    AdmissionDecision, AdmissionResult, AliasKind, ArchiveReader, AuditOptions, AuditProgress,
    AuditReport, AuditSource, AuditSummary, BinaryInfo, BinarySummary, CandidateVerdict, Cause,
    CauseCode, CommandForm, Compression, Coverage, Details, Emulator, EntryReport, EntryStatus,
    Entrypoint, Error, ErrorKind, ErrorReport, Evidence, ExecFailure, ExplainOptions, Explanation,
    FailurePolicy, FileFacts, Finding, Fix, FixContext, FixTarget, Format, FrontDoor, Host,
    HostReport, ImageReport, InputKind, InspectEntry, InspectFailure, InspectOutcome,
    InterpreterFacts, LayerSummary, Libc, Limit, LimitOverrides, Limits, LintOptions, LintReport,
    Location, MAX_DOCKERFILE_BYTES, MAX_EXPLAIN_BYTES, MatchCandidate, MatchDocument, MatchReport,
    Matcher, Offered, Options, PROFILES, ParseEntry, Platform, Profile, Progress, Pulled,
    RedactOptions, RedactReport, Redaction, Result, Rewrite, RewriteKind, RewriteOptions,
    RunVerdict, Runs, SecretKind, SelectedReport, Severity, TagRecord, TargetResult, TargetStatus,
    VERSION, Verdict, WEBHOOK_DEADLINE, WEBHOOK_MAX_BODY, WEBHOOK_TTL, Webhook, WebhookConfig,
    WebhookReply, admission_result, admission_review, audit_merge_files, audit_report, audit_sarif,
    check_image, check_image_reader, classify, code_quality, detect_input, explain, fix, fix_with,
    inspect_bytes, inspect_bytes_with, inspect_outcomes, inspect_outcomes_each, inspect_path,
    inspect_path_with, inspect_paths, is_compose, is_tar_head, lint, lint_input, lint_path,
    lint_paths, match_document, offered, parse_all, parse_audit_targets, read_dockerfile,
    read_dockerfile_from, redact, redact_report, rewrite_command, rewrite_compose,
    rewrite_dockerfile, rewrite_file, sarif,
};
#[cfg(unix)]
#[allow(unused_imports)]
use archcompat::{Verification, VerifiedImage, VerifyOptions, VerifyOutcome, verify_image};

/// The curated surface: what the CLI, the bindings, the benches and users may name.
const SURFACE: &[&str] = &[
    "AdmissionDecision",
    "AdmissionResult",
    "AliasKind",
    "ArchiveReader",
    "AuditOptions",
    "AuditProgress",
    "AuditReport",
    "AuditSource",
    "AuditSummary",
    "BinaryInfo",
    "BinarySummary",
    "CandidateVerdict",
    "Cause",
    "CauseCode",
    "CommandForm",
    "Compression",
    "Coverage",
    "Details",
    "Emulator",
    "EntryReport",
    "EntryStatus",
    "Entrypoint",
    "Error",
    "ErrorKind",
    "ErrorReport",
    "Evidence",
    "ExecFailure",
    "ExplainOptions",
    "Explanation",
    "FailurePolicy",
    "FileFacts",
    "Finding",
    "Fix",
    "FixContext",
    "FixTarget",
    "Format",
    "FrontDoor",
    "Host",
    "HostReport",
    "ImageReport",
    "InputKind",
    "InspectEntry",
    "InspectFailure",
    "InspectOutcome",
    "InterpreterFacts",
    "LayerSummary",
    "Libc",
    "Limit",
    "LimitOverrides",
    "Limits",
    "LintOptions",
    "LintReport",
    "Location",
    "MAX_DOCKERFILE_BYTES",
    "MAX_EXPLAIN_BYTES",
    "MatchCandidate",
    "MatchDocument",
    "MatchReport",
    "Matcher",
    "Offered",
    "Options",
    "PROFILES",
    "ParseEntry",
    "Platform",
    "Profile",
    "Progress",
    "Pulled",
    "RedactOptions",
    "RedactReport",
    "Redaction",
    "Result",
    "Rewrite",
    "RewriteKind",
    "RewriteOptions",
    "RunVerdict",
    "Runs",
    "SecretKind",
    "SelectedReport",
    "Severity",
    "TagRecord",
    "TargetResult",
    "TargetStatus",
    "VERSION",
    "Verdict",
    "Verification",
    "VerifiedImage",
    "VerifyOptions",
    "VerifyOutcome",
    "WEBHOOK_DEADLINE",
    "WEBHOOK_MAX_BODY",
    "WEBHOOK_TTL",
    "Webhook",
    "WebhookConfig",
    "WebhookReply",
    "admission_result",
    "admission_review",
    "audit_merge_files",
    "audit_report",
    "audit_sarif",
    "check_image",
    "check_image_reader",
    "classify",
    "code_quality",
    "detect_input",
    "explain",
    "fix",
    "fix_with",
    "inspect_bytes",
    "inspect_bytes_with",
    "inspect_outcomes",
    "inspect_outcomes_each",
    "inspect_path",
    "inspect_path_with",
    "inspect_paths",
    "inspect_paths_then",
    "is_compose",
    "is_tar_head",
    "lint",
    "lint_input",
    "lint_path",
    "lint_paths",
    "match_document",
    "offered",
    "parse_all",
    "parse_audit_targets",
    "read_dockerfile",
    "read_dockerfile_from",
    "redact",
    "redact_report",
    "rewrite_command",
    "rewrite_compose",
    "rewrite_dockerfile",
    "rewrite_file",
    "sarif",
    "verify_image",
];

fn core() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `lib.rs` without comments and without the hidden `fuzzing` module.
fn lib_code() -> String {
    let text = std::fs::read_to_string(core().join("src/lib.rs")).unwrap();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    let start = code.find("pub mod fuzzing").expect("the fuzzing module");
    let end = start
        + code[start..]
            .find("\n}\n")
            .expect("end of the fuzzing module");
    format!("{}{}", &code[..start], &code[end + 3..])
}

/// The names `pub use` (and `pub const`/`pub fn`) put at the crate root.
fn root_names(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("pub use ") {
        let stmt = &rest[i + 8..];
        let end = stmt.find(';').unwrap();
        for piece in stmt[..end].replace(['{', '}'], ",").split(',') {
            let piece = piece.split_whitespace().collect::<Vec<_>>().join(" ");
            let name = match piece.split_once(" as ") {
                Some((_, alias)) => alias.trim().to_string(),
                None => piece.rsplit("::").next().unwrap_or("").to_string(),
            };
            if !name.is_empty() {
                names.insert(name);
            }
        }
        rest = &stmt[end..];
    }
    for kw in ["pub const ", "pub fn ", "pub static "] {
        for (i, _) in code.match_indices(kw) {
            let name: String = code[i + kw.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    names
}

#[test]
fn no_module_is_public() {
    let text = std::fs::read_to_string(core().join("src/lib.rs")).unwrap();
    let public: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("pub mod ") || l.starts_with("pub use self::"))
        .filter(|l| *l != "pub mod fuzzing {")
        .collect();
    assert!(public.is_empty(), "public modules in lib.rs: {public:?}");
    // The hidden module stays hidden.
    let fuzzing = text.find("pub mod fuzzing").unwrap();
    assert!(text[..fuzzing].trim_end().ends_with("#[doc(hidden)]"));
}

#[test]
fn the_root_exports_exactly_the_curated_surface() {
    let got = root_names(&lib_code());
    let want: BTreeSet<String> = SURFACE.iter().map(|s| s.to_string()).collect();
    let added: Vec<_> = got.difference(&want).collect();
    let lost: Vec<_> = want.difference(&got).collect();
    assert!(
        added.is_empty() && lost.is_empty(),
        "the public surface changed: added {added:?}, lost {lost:?} (update SURFACE and the \
         crate-root docs on purpose)"
    );
}

#[test]
fn the_surface_parser_sees_aliases_groups_and_constants() {
    let code = "pub use a::{B, c::D as E};\npub use f::G;\npub const H: u8 = 1;\nmod x;";
    let got: Vec<String> = root_names(code).into_iter().collect();
    assert_eq!(got, ["B", "E", "G", "H"]);
}

#[test]
fn the_crate_docs_link_only_exported_names() {
    let text = std::fs::read_to_string(core().join("src/lib.rs")).unwrap();
    let docs: String = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    let re =
        regex::Regex::new(r"\[`([A-Za-z_][A-Za-z_0-9]*)(?:\(\))?(?:::[A-Za-z_]+)?`\]").unwrap();
    let linked: BTreeSet<&str> = re
        .captures_iter(&docs)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert!(linked.len() > 30, "{linked:?}");
    for name in linked {
        assert!(
            SURFACE.contains(&name),
            "the crate docs link `{name}`, which is not exported"
        );
    }
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() {
            if name != "target"
                && name != "node_modules"
                && !name.to_string_lossy().starts_with('.')
            {
                rs_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_the_fuzz_targets_use_the_fuzzing_module() {
    let repo = core().parent().unwrap().to_path_buf();
    let mut files = Vec::new();
    for d in [
        "archcompat",
        "archcompat-cli",
        "archcompat-py",
        "archcompat-node",
        "archcompat-web",
        "benches",
    ] {
        rs_files(&repo.join(d), &mut files);
    }
    assert!(files.len() > 50, "{} files", files.len());
    let needle = ["fuzzing", "::"].concat();
    let this = core().join("tests/public_api.rs");
    let lib = core().join("src/lib.rs");
    for f in files {
        if f == this || f == lib {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            !text.contains(&needle),
            "{} uses the fuzz-only module",
            f.display()
        );
    }
}
