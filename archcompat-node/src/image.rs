//! Node functions for the `image` area of the core: `image(source, opts?)` resolves to the same
//! object as `archcompat image --json`. The image is read on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv;
use archcompat::image::{Limits, Options};
use archcompat::platform::Host;
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
        let mut limits = Limits::default();
        if let Some(v) = o.max_bytes {
            limits.max_bytes = pos(v);
        }
        if let Some(v) = o.max_entries {
            limits.max_entries = pos(v);
        }
        if let Some(v) = o.max_json_bytes {
            limits.json.max_bytes = pos(v);
        }
        if let Some(v) = o.max_file_read {
            limits.max_file_read = pos(v).max(64);
        }
        if let Some(v) = o.max_link_hops {
            limits.max_link_hops = v;
        }
        let opts = Options {
            limits,
            insecure: o.insecure.unwrap_or(false),
            progress: None,
            threads: 0,
            redaction: archcompat::redact::Redaction::from_flag(o.redact.unwrap_or(true)),
        };
        let report =
            archcompat::check::image::check_image(&self.source, &host, &opts).map_err(conv::err)?;
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
