//! Node functions for the `binary` area of the core: `inspect(paths, host?)` resolves to the
//! entries of `archcompat inspect --json` (files are read on the libuv pool);
//! `classifyBytes(buffer, host?, fileLen?)` classifies in-memory bytes synchronously.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv;
use archcompat::{Host, inspect_bytes, inspect_path_with};
use napi::bindgen_prelude::{AsyncTask, Buffer, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;
use std::path::PathBuf;

/// Classifies files off the main thread.
#[derive(Debug)]
pub struct InspectTask {
    paths: Vec<String>,
    host: Option<String>,
    redaction: archcompat::redact::Redaction,
}

impl<'task> ScopedTask<'task> for InspectTask {
    type Output = serde_json::Value;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let host = Host::resolve(self.host.as_deref().unwrap_or("local")).map_err(conv::err)?;
        let entries = self
            .paths
            .iter()
            .map(|p| inspect_path_with(&PathBuf::from(p), &host, self.redaction))
            .collect::<archcompat::Result<Vec<_>>>()
            .map_err(conv::err)?;
        conv::to_js(&entries)
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        env.to_js_value(&output)
    }
}

/// Classify files and list what would make exec fail on `host` (platform, alias, profile or
/// `local`, the default).
#[napi(ts_return_type = "Promise<InspectEntry[]>")]
pub fn inspect(
    paths: Vec<String>,
    host: Option<String>,
    options: Option<crate::lint::RedactionOptions>,
) -> AsyncTask<InspectTask> {
    let redaction =
        archcompat::redact::Redaction::from_flag(options.and_then(|o| o.redact).unwrap_or(true));
    AsyncTask::new(InspectTask {
        paths,
        host,
        redaction,
    })
}

/// Classify a file's first bytes (the whole file unless `fileLen` says it is longer) and list
/// the problems on `host` (default: this machine).
#[napi(ts_return_type = "InspectEntry")]
pub fn classify_bytes(
    data: Buffer,
    host: Option<String>,
    file_len: Option<i64>,
) -> napi::Result<serde_json::Value> {
    let host = Host::resolve(host.as_deref().unwrap_or("local")).map_err(conv::err)?;
    let len = file_len.map_or(data.len() as u64, |v| v.max(0) as u64);
    conv::to_js(&inspect_bytes(&data, len, &host))
}
