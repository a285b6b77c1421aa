//! `archcompat inspect PATH... [--host SPEC]`: what each file is, which platform it is for,
//! and what would make exec fail on the host.

use crate::output::{CliError, Format, JsonArray, Outcome, Output, json_array_element};
use archcompat::{
    BinaryInfo, Details, Host, InspectEntry as Entry, inspect_paths, inspect_paths_then,
};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `archcompat inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The host to check against: `local` (this machine, default), a platform
    /// (`linux/arm64`), an alias or a profile name (`aws-graviton2`).
    #[arg(long, value_name = "SPEC", default_value = "local")]
    host: String,
    /// Files to inspect.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run_inspect(args: InspectArgs, out: &Output) -> Result<Outcome, CliError> {
    let host = Host::resolve(&args.host)?;
    // Read and classify on every core; results stay in argument order, and the first failing
    // path in that order is the one reported.
    let redaction = out.redaction();
    if out.format == Format::Json {
        // Each entry is rendered on the worker that read it and dropped there; the main
        // thread copies the pieces into the document in order as they arrive, and writes it
        // at once when every path was read (a failure prints nothing but the error).
        let mut doc = JsonArray::with_capacity(args.paths.len() * 1024);
        let (mut found, mut failed) = (false, None);
        inspect_paths_then(
            &args.paths,
            &host,
            redaction,
            |r| r.map(|e| (!e.problems.is_empty(), json_array_element(&e))),
            |r| match r {
                _ if failed.is_some() => {}
                Ok((problem, Ok(element))) => {
                    found |= problem;
                    doc.push(&element);
                }
                Ok((_, Err(e))) => failed = Some(e),
                Err(e) => failed = Some(e.into()),
            },
        );
        if let Some(e) = failed {
            return Err(e);
        }
        out.json_array(doc)?;
        return Ok(if found { Outcome::Problem } else { Outcome::Ok });
    }
    let entries = inspect_paths(&args.paths, &host, redaction)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let found = entries.iter().any(|e| !e.problems.is_empty());
    match out.format {
        Format::Json => out.json(&entries)?,
        Format::Sarif => {
            // One result per problem, located at the file it concerns.
            let findings: Vec<_> = entries
                .iter()
                .flat_map(|e| {
                    e.problems.iter().cloned().map(move |mut f| {
                        f.location.get_or_insert_with(|| archcompat::Location {
                            path: e.path.clone(),
                            line: None,
                            column: None,
                            end_column: None,
                        });
                        f
                    })
                })
                .collect();
            out.json(&archcompat::sarif(archcompat::VERSION, &findings))?
        }
        Format::Text => out.text(&render(&entries, &host))?,
    }
    Ok(if found { Outcome::Problem } else { Outcome::Ok })
}

fn summary(info: &BinaryInfo) -> String {
    let mut parts: Vec<String> = Vec::new();
    match &info.details {
        Details::Elf(e) => {
            parts.push(format!("ELF{} {}", json_name(&e.class), e.machine));
            if let Some(a) = &e.abi {
                parts.push(a.clone());
            }
            if let Some(f) = e.float_abi {
                parts.push(format!("{}-float", json_name(&f)));
            }
            if let Some(a) = &e.arm_arch {
                parts.push(format!("ARM {a}"));
            }
            parts.push(json_name(&e.elf_type));
            if let Some(l) = e.linkage {
                parts.push(json_name(&l));
            }
            if let Some(l) = e.libc.filter(|l| *l != archcompat::Libc::None) {
                parts.push(json_name(&l));
            }
            if let Some(l) = e.isa_level.filter(|l| *l >= 2) {
                parts.push(format!("needs x86-64-v{l}"));
            }
            if let Some(g) = &e.go {
                let mut s = format!("Go {}", g.version.trim_start_matches("go"));
                for k in ["GOAMD64", "GOARM", "CGO_ENABLED"] {
                    if let Some(v) = g.build_settings.get(k) {
                        s.push_str(&format!(" {k}={v}"));
                    }
                }
                parts.push(s);
            }
            if let Some(ps) = e.max_page_size.filter(|p| *p > 4096) {
                parts.push(format!("pages ≤{} KiB", ps / 1024));
            } else if e.max_page_size == Some(4096) && e.machine == "aarch64" {
                parts.push("4 KiB pages only".into());
            }
            if let Some(i) = &e.interpreter {
                parts.push(format!("interp {i}"));
            }
            if let Some(w) = &e.invalid {
                parts.push(w.clone());
            }
        }
        Details::Macho(m) => {
            let arches: Vec<String> = m
                .slices
                .iter()
                .map(|s| match &s.variant {
                    Some(v) => format!("{}({v})", s.architecture),
                    None => s.architecture.clone(),
                })
                .collect();
            parts.push(format!(
                "Mach-O {}-bit {} [{}]",
                m.bits,
                m.filetype,
                arches.join(", ")
            ));
        }
        Details::Pe(p) => {
            parts.push(format!(
                "PE {} {}",
                p.pe_format.as_deref().unwrap_or("?"),
                p.machine
            ));
            if let Some(s) = &p.subsystem {
                parts.push(s.clone());
            }
        }
        Details::Script(s) => {
            parts.push(format!(
                "#! {}",
                s.interpreter.as_deref().unwrap_or("(none)")
            ));
            if let Some(a) = &s.argument {
                parts.push(format!("arg {a}"));
            }
            parts.push(json_name(&s.line_endings));
            if s.bom {
                parts.push("BOM".into());
            }
        }
        Details::Text(t) => {
            parts.push(format!("text, {}", json_name(&t.line_endings)));
            if let Some(b) = &t.bom {
                parts.push(format!("BOM {b}"));
            }
        }
        Details::Wasm(w) => parts.push(format!("WebAssembly {}", w.kind)),
        Details::JavaClass(j) => parts.push(format!("Java class (Java {})", j.java)),
        Details::LfsPointer(l) => parts.push(format!(
            "Git LFS pointer{}",
            l.size.map(|s| format!(" to {s} bytes")).unwrap_or_default()
        )),
        Details::Html(h) => parts.push(format!(
            "{}{}",
            h.kind.to_uppercase(),
            h.title
                .as_ref()
                .map(|t| format!(" \"{t}\""))
                .unwrap_or_default()
        )),
        Details::Data(d) => parts.push(d.kind.clone().unwrap_or_else(|| info.format.to_string())),
    }
    parts.join(", ")
}

fn json_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn render(entries: &[Entry], host: &Host) -> String {
    let path_w = entries
        .iter()
        .map(|e| e.path.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 48);
    let plat_w = entries
        .iter()
        .map(|e| e.info.platform.as_ref().map_or(1, |p| p.to_string().len()))
        .max()
        .unwrap_or(8)
        .max(8);
    let mut s = format!("host: {}\n", host.effective_platform());
    s.push_str(&format!(
        "{:<path_w$}  {:<11}  {:<plat_w$}  {}\n",
        "PATH", "FORMAT", "PLATFORM", "DETAILS"
    ));
    for e in entries {
        let plat = e
            .info
            .platform
            .as_ref()
            .map_or_else(|| "-".to_string(), |p| p.to_string());
        s.push_str(&format!(
            "{:<path_w$}  {:<11}  {:<plat_w$}  {}\n",
            e.path,
            e.info.format.as_str(),
            plat,
            summary(&e.info)
        ));
        for p in &e.problems {
            let errno = p
                .evidence
                .iter()
                .find_map(|ev| ev.detail.strip_prefix("errno: "))
                .map(|x| format!(" [{}]", x.split(' ').next().unwrap_or(x)))
                .unwrap_or_default();
            s.push_str(&format!(
                "{:<path_w$}    ✗ {}{}: {}\n",
                "", p.code, errno, p.message
            ));
        }
    }
    let n = entries.iter().filter(|e| !e.problems.is_empty()).count();
    s.push_str(&format!(
        "{} file(s), {} would not run on {}\n",
        entries.len(),
        n,
        host.effective_platform()
    ));
    s
}
