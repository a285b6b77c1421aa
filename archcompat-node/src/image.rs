//! Node functions for the `image` area of the core: `image(source, opts?)` resolves to the same
//! object as `archcompat image --json`. The image is read on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv;
use archcompat::{Host, LimitOverrides, Options};
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;

/// Options of `image()`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct ImageOptions {
    /// Host to judge for: platform, alias, profile or `local` (default).
    pub host: Option<String>,
    /// Reach a non-loopback registry over plain HTTP / without certificate checks.
    pub insecure: Option<bool>,
    /// Most bytes decompressed across the image's layers.
    pub max_bytes: Option<i64>,
    /// Most tar entries across the image's layers.
    pub max_entries: Option<i64>,
    /// Largest JSON document accepted.
    pub max_json_bytes: Option<i64>,
    /// Most bytes of one file read for classification.
    pub max_file_read: Option<i64>,
    /// Most symbolic links followed while resolving one path.
    pub max_link_hops: Option<u32>,
    /// Registry sources: seconds for the whole image.
    pub registry_timeout: Option<i64>,
    /// Registry sources: slowest average transfer accepted, bytes per second.
    pub registry_min_rate: Option<i64>,
    /// Registry sources: seconds before the minimum rate applies, and the longest silence.
    pub registry_grace: Option<i64>,
    /// Redact secrets in the report (ENTRYPOINT/CMD, findings); default true.
    pub redact: Option<bool>,
}

/// Reads and judges one image off the main thread.
#[derive(Debug)]
pub struct ImageTask {
    source: String,
    opts: ImageOptions,
}

fn pos(v: i64) -> u64 {
    v.max(0) as u64
}

impl<'task> ScopedTask<'task> for ImageTask {
    type Output = serde_json::Value;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let o = &self.opts;
        let host = Host::resolve(o.host.as_deref().unwrap_or("local")).map_err(conv::err)?;
        let limits = LimitOverrides {
            max_bytes: o.max_bytes.map(pos),
            max_entries: o.max_entries.map(pos),
            max_json_bytes: o.max_json_bytes.map(pos),
            max_file_read: o.max_file_read.map(pos),
            max_link_hops: o.max_link_hops,
            registry_timeout: o.registry_timeout.map(pos),
            registry_min_rate: o.registry_min_rate.map(pos),
            registry_grace: o.registry_grace.map(pos),
        }
        .limits();
        let opts = Options {
            limits,
            insecure: o.insecure.unwrap_or(false),
            progress: None,
            threads: 0,
            redaction: archcompat::redact::Redaction::from_flag(o.redact.unwrap_or(true)),
        };
        let report = archcompat::check_image(&self.source, &host, &opts).map_err(conv::err)?;
        conv::to_js(&report)
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        env.to_js_value(&output)
    }
}

/// Will the image at `source` run on the host? `source`: OCI layout dir (`oci:DIR[:TAG]`),
/// OCI/docker-save tarball, index/manifest/config/inspect JSON file, or `docker://HOST/REPO:TAG`.
#[napi(ts_return_type = "Promise<ImageReport>")]
pub fn image(source: String, opts: Option<ImageOptions>) -> AsyncTask<ImageTask> {
    AsyncTask::new(ImageTask {
        source,
        opts: opts.unwrap_or_default(),
    })
}
