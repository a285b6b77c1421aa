//! Node functions for what the web page does with a pasted text or a dropped file, from Node:
//! `detectInput(text)` (the input kind), `redactReport(text, options?)` (redacted text and
//! counts by kind), `inspectBytes(data, options?)` (a named file's bytes judged for a host,
//! with the redaction switch) and `imageBytes(data, options?)` (a `docker save`/OCI archive in
//! memory, read on the libuv pool). Each gives what `archcompat detect|redact|inspect|image
//! --json` prints.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Job, MAX_SAFE, Opts};
use archcompat::{Host, Options};
use napi::Env;
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi_derive::napi;

/// What a text (a string, or UTF-8 in a Buffer/Uint8Array) is: `"dockerfile"`, `"command"`,
/// `"compose"` or `"log"`.
#[napi(
    ts_args_type = "text: string | Uint8Array",
    ts_return_type = "InputKind"
)]
pub fn detect_input<'e>(env: &'e Env, text: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    let r = conv::text(env, text, "text").map(|s| archcompat::detect_input(&s));
    conv::out(env, r)
}

/// The text with secrets replaced, and how many of each kind (`{text, counts, total}`).
#[napi(
    ts_args_type = "text: string | Uint8Array, options?: RedactOptions",
    ts_return_type = "RedactReport"
)]
pub fn redact_report<'e>(
    env: &'e Env,
    text: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let s = conv::text(env, text, "text")?;
        let o = Opts::new(env, options, "options", &["accountIds", "highEntropy"])?;
        let opts = o.redact_options()?;
        Ok(archcompat::redact_report(&s, &opts))
    })();
    conv::out(env, r)
}

/// The `archcompat inspect --json` entry for a file called `options.name` (default
/// `<bytes>`) whose bytes (or first bytes, when `options.fileLen` says the file is longer)
/// are `data`, judged for `options.host` (default: this machine).
#[napi(
    ts_args_type = "data: Uint8Array, options?: InspectBytesOptions",
    ts_return_type = "InspectEntry"
)]
pub fn inspect_bytes<'e>(
    env: &'e Env,
    data: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let data = conv::bytes(env, data, "data")?;
        let o = Opts::new(
            env,
            options,
            "options",
            &["name", "host", "fileLen", "redact"],
        )?;
        let name = o.string("name")?.unwrap_or_else(|| "<bytes>".into());
        let spec = o.string("host")?.unwrap_or_else(|| "local".into());
        let len = o
            .count("fileLen", MAX_SAFE)?
            .unwrap_or(data.len() as u64)
            .max(data.len() as u64);
        let redaction = o.redaction()?;
        let host = Host::resolve(&spec)?;
        Ok(archcompat::inspect_bytes_with(
            &data, len, &name, &host, redaction,
        ))
    })();
    conv::out(env, r)
}

/// Will the image in the `docker save` or OCI archive `data` run on `options.host`? Resolves
/// to what `archcompat image --json` prints, with `options.name` (default `-`, as for
/// standard input) as its source; `options.tag` chooses an image when the archive holds
/// several. The bytes are copied once and read on the libuv pool, within the image limits.
#[napi(
    ts_args_type = "data: Uint8Array, options?: ImageBytesOptions",
    ts_return_type = "Promise<ImageReport>"
)]
pub fn image_bytes(env: &Env, data: Unknown<'_>, options: Option<Unknown<'_>>) -> AsyncTask<Job> {
    let args = (|| {
        let data = conv::bytes(env, data, "data")?;
        let o = Opts::new(
            env,
            options,
            "options",
            &[
                "host",
                "name",
                "tag",
                "maxBytes",
                "maxEntries",
                "maxJsonBytes",
                "maxFileRead",
                "maxLinkHops",
                "redact",
            ],
        )?;
        let limits = o.image_limits()?.limits();
        let opts = Options {
            limits,
            insecure: false,
            progress: None,
            threads: 0,
            redaction: o.redaction()?,
        };
        Ok((
            data,
            o.string("host")?.unwrap_or_else(|| "local".into()),
            o.string("name")?.unwrap_or_else(|| "-".into()),
            o.string("tag")?,
            opts,
        ))
    })();
    conv::job(args, |(data, spec, name, tag, opts)| {
        let host = Host::resolve(&spec)?;
        archcompat::check_image_reader(
            Box::new(std::io::Cursor::new(data)),
            &name,
            tag.as_deref(),
            &host,
            &opts,
        )
    })
}
