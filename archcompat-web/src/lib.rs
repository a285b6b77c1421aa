//! archcompat-web: the archcompat core compiled to WebAssembly for the client-side web page
//! (`web/`). Translation only, like the Python and Node bindings: text and options in, the
//! same JSON documents the CLI prints with `--json` out (serde of the core's types, as
//! strings the page parses), core errors as JS `Error`s with the core's (redacted) message.
//! Every function takes the redaction switch; the page passes it on (default on).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod blob;

use archcompat::{
    CauseCode, ExplainOptions, FixContext, Host, LintOptions, Options, Redaction, RewriteOptions,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A core error as a JS `Error` (its message names the input and what is wrong, redacted).
fn js_err(e: archcompat::Error) -> JsError {
    JsError::new(&format!("{}: {e}", e.kind()))
}

fn json<T: Serialize>(v: &T) -> Result<String, JsError> {
    serde_json::to_string(v).map_err(|e| JsError::new(&e.to_string()))
}

fn host(spec: &str) -> Result<Host, JsError> {
    Host::resolve(spec).map_err(js_err)
}

/// What `--host SPEC` means for a rewrite in the CLI: the host's platform as the target.
fn rewrite_options(
    target: &str,
    path: Option<&str>,
    redact: bool,
) -> Result<RewriteOptions, JsError> {
    Ok(RewriteOptions {
        platforms: vec![host(target)?.platform],
        push: false,
        lambda: false,
        path: path.map(str::to_string),
        redaction: Redaction::from_flag(redact),
    })
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    archcompat::VERSION.to_string()
}

/// What a pasted text is: `"dockerfile"`, `"command"`, `"compose"` or `"log"` (JSON string).
#[wasm_bindgen(js_name = detectInput)]
pub fn detect_input(text: &str) -> Result<String, JsError> {
    json(&archcompat::detect_input(text))
}

/// The text with secrets replaced and the counts by kind (`{text, counts, total}`); with
/// `redact` false the text comes back as it is, with no counts.
#[wasm_bindgen]
pub fn redact(text: &str, redact: bool) -> Result<String, JsError> {
    json(&Redaction::from_flag(redact).report(text))
}

/// `archcompat lint --json` for Dockerfile text named `path` (`-`: pasted, as standard input).
#[wasm_bindgen]
pub fn lint(text: &str, path: &str, redact: bool) -> Result<String, JsError> {
    let opts = LintOptions {
        path: path.to_string(),
        context: None,
        redaction: Redaction::from_flag(redact),
    };
    json(&archcompat::lint(text, &opts).map_err(js_err)?)
}

/// `archcompat explain --json` for a log named `source` (`-`: pasted, as standard input).
#[wasm_bindgen]
pub fn explain(text: &str, source: &str, redact: bool) -> Result<String, JsError> {
    let opts = ExplainOptions {
        source: source.to_string(),
        redaction: Redaction::from_flag(redact),
    };
    json(&archcompat::explain(text, &opts).map_err(js_err)?)
}

/// The `rewrite` of `archcompat fix --from-command COMMAND --host TARGET --json`.
#[wasm_bindgen(js_name = rewriteCommand)]
pub fn rewrite_command(command: &str, target: &str, redact: bool) -> Result<String, JsError> {
    let o = rewrite_options(target, None, redact)?;
    json(&archcompat::rewrite_command(command, &o).map_err(js_err)?)
}

/// The `rewrite` of `archcompat fix --file PATH --host TARGET --json` for a compose file.
#[wasm_bindgen(js_name = rewriteCompose)]
pub fn rewrite_compose(
    text: &str,
    path: &str,
    target: &str,
    redact: bool,
) -> Result<String, JsError> {
    let o = rewrite_options(target, Some(path), redact)?;
    json(&archcompat::rewrite_compose(text, &o, &[]).map_err(js_err)?)
}

/// The `rewrite` of `archcompat fix --file PATH --host TARGET --json` for a Dockerfile.
#[wasm_bindgen(js_name = rewriteDockerfile)]
pub fn rewrite_dockerfile(
    text: &str,
    path: &str,
    target: &str,
    redact: bool,
) -> Result<String, JsError> {
    let o = rewrite_options(target, Some(path), redact)?;
    json(&archcompat::rewrite_dockerfile(text, &o).map_err(js_err)?)
}

/// The `fixes` of `archcompat fix --for CODE --host TARGET [--platform P,…] --json`: the
/// catalogue's fixes for a cause, every ecosystem, filled with the target's values.
#[wasm_bindgen(js_name = fixesFor)]
pub fn fixes_for(
    code: &str,
    target: &str,
    platforms: Vec<String>,
    redact: bool,
) -> Result<String, JsError> {
    let code: CauseCode = code.parse().map_err(js_err)?;
    let ctx = FixContext::from_specs(Some(target), &platforms, None, None, None).map_err(js_err)?;
    json(&archcompat::fix_with(
        code,
        &ctx,
        Redaction::from_flag(redact),
    ))
}

/// One entry of `archcompat inspect --host TARGET --json FILE` for a file's bytes (`data`,
/// the whole file or a prefix of a `file_len`-byte one), named `name`.
#[wasm_bindgen]
pub fn classify(
    data: &[u8],
    file_len: f64,
    name: &str,
    target: &str,
    redact: bool,
) -> Result<String, JsError> {
    let h = host(target)?;
    let len = (file_len.max(0.0) as u64).max(data.len() as u64);
    json(&archcompat::inspect_bytes_with(
        data,
        len,
        name,
        &h,
        Redaction::from_flag(redact),
    ))
}

/// Whether a file's first 512 bytes start a tar archive (judged as an image, not classified).
#[wasm_bindgen(js_name = isArchive)]
pub fn is_archive(head: &[u8]) -> bool {
    archcompat::is_tar_head(head)
}

/// `archcompat image --host TARGET --json FILE` for a dropped `docker save`/OCI archive,
/// read a slice at a time with `FileReaderSync` (so only in a Web Worker): memory stays
/// bounded however large the file is. An archive over `max_bytes` is refused.
#[wasm_bindgen(js_name = checkImageBlob)]
pub fn check_image_blob(
    file: web_sys::Blob,
    name: &str,
    target: &str,
    max_bytes: f64,
    redact: bool,
) -> Result<String, JsError> {
    let h = host(target)?;
    let size = file.size();
    if size > max_bytes {
        return Err(js_err(archcompat::Error::LimitExceeded {
            input: name.to_string(),
            reason: format!("{size} bytes, the page reads archives up to {max_bytes} bytes"),
        }));
    }
    let reader = blob::BlobReader::new(file).map_err(|e| JsError::new(&format!("{name}: {e}")))?;
    let opts = Options {
        redaction: Redaction::from_flag(redact),
        ..Options::default()
    };
    let r =
        archcompat::check_image_reader(Box::new(reader), name, None, &h, &opts).map_err(js_err)?;
    json(&r)
}

/// `archcompat host --list-profiles --json`: the named targets for the chooser.
#[wasm_bindgen]
pub fn profiles() -> Result<String, JsError> {
    json(&archcompat::PROFILES)
}

/// The platform a target (platform, alias or profile) stands for, or an error saying why not.
#[wasm_bindgen(js_name = resolveTarget)]
pub fn resolve_target(spec: &str) -> Result<String, JsError> {
    Ok(host(spec)?.platform.to_string())
}
