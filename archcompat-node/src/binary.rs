//! Node functions for the `binary` area of the core: `inspect(paths, options?)` resolves to the
//! entries of `archcompat inspect --json` (files are read on the libuv pool; an array gives one
//! result per path, a failure as `{path, error}`); `classifyBytes(data, options?)` classifies
//! in-memory bytes synchronously (the local host is detected once, on a background thread
//! started when the addon loads).
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Job, Opts};
use archcompat::{
    FrontDoor, Host, InspectEntry, InspectOutcome, inspect_bytes, inspect_outcomes,
    inspect_path_with,
};
use napi::Env;
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi_derive::napi;

/// Classify files and list what would make exec fail on `options.host` (platform, alias,
/// profile or `local`, the default). A string gives one entry (rejects when the file cannot be
/// read); an array gives one result per path, an unreadable one as `{path, error}`.
#[napi(
    ts_args_type = "paths: string | string[], options?: InspectOptions",
    ts_return_type = "Promise<InspectEntry | InspectResult[]>"
)]
pub fn inspect(env: &Env, paths: Unknown<'_>, options: Option<Unknown<'_>>) -> AsyncTask<Job> {
    let args = (|| {
        let (paths, single) = conv::paths(env, paths, "paths")?;
        let o = Opts::new(env, options, "options", &["host", "redact"])?;
        let host = o.string("host")?.unwrap_or_else(|| "local".into());
        Ok((paths, single, host, o.redaction()?))
    })();
    conv::job(args, |(paths, single, spec, redaction)| {
        let host = Host::resolve_shared(&spec)?;
        Ok(if single {
            Inspected::One(Box::new(inspect_path_with(&paths[0], &host, redaction)?))
        } else {
            Inspected::Many(inspect_outcomes(&paths, &host, redaction, FrontDoor::Node))
        })
    })
}

/// One entry for one path, one result per path for an array.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Inspected {
    One(Box<InspectEntry>),
    Many(Vec<InspectOutcome>),
}

/// Classify a file's first bytes (a Buffer or Uint8Array; the whole file unless
/// `options.fileLen` says it is longer) and list the problems on `options.host` (default: this
/// machine).
#[napi(
    ts_args_type = "data: Uint8Array, options?: ClassifyOptions",
    ts_return_type = "InspectEntry"
)]
pub fn classify_bytes<'e>(
    env: &'e Env,
    data: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let data = conv::bytes(env, data, "data")?;
        let o = Opts::new(env, options, "options", &["host", "fileLen"])?;
        let spec = o.string("host")?.unwrap_or_else(|| "local".into());
        let len = o
            .count("fileLen", 1 << 53)?
            .unwrap_or(data.len() as u64)
            .max(data.len() as u64);
        let host = Host::resolve_shared(&spec)?;
        Ok(inspect_bytes(&data, len, &host))
    })();
    conv::out(env, r)
}
