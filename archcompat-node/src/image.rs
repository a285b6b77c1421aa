//! Node functions for the `image` area of the core: `image(source, options?)` resolves to the
//! same object as `archcompat image --json`. The image is read on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Job, Opts};
use archcompat::{Host, LimitOverrides, Options};
use napi::Env;
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi_derive::napi;

/// The option keys of `image()`.
const KEYS: &[&str] = &[
    "host",
    "insecure",
    "maxBytes",
    "maxEntries",
    "maxJsonBytes",
    "maxFileRead",
    "maxLinkHops",
    "registryTimeout",
    "registryMinRate",
    "registryGrace",
    "redact",
];

/// The largest integer a JS number holds exactly.
const MAX_SAFE: u64 = (1 << 53) - 1;

/// Will the image at `source` run on the host? `source`: OCI layout dir (`oci:DIR[:TAG]`),
/// OCI/docker-save tarball, index/manifest/config/inspect JSON file, or `docker://HOST/REPO:TAG`.
#[napi(
    ts_args_type = "source: string, options?: ImageOptions",
    ts_return_type = "Promise<ImageReport>"
)]
pub fn image(env: &Env, source: Unknown<'_>, options: Option<Unknown<'_>>) -> AsyncTask<Job> {
    let args = (|| {
        let source = conv::string(source, "source")?;
        let o = Opts::new(env, options, "options", KEYS)?;
        let limits = LimitOverrides {
            max_bytes: o.count("maxBytes", MAX_SAFE)?,
            max_entries: o.count("maxEntries", MAX_SAFE)?,
            max_json_bytes: o.count("maxJsonBytes", MAX_SAFE)?,
            max_file_read: o.count("maxFileRead", MAX_SAFE)?,
            max_link_hops: o.count("maxLinkHops", u32::MAX as u64)?.map(|n| n as u32),
            registry_timeout: o.count("registryTimeout", MAX_SAFE)?,
            registry_min_rate: o.count("registryMinRate", MAX_SAFE)?,
            registry_grace: o.count("registryGrace", MAX_SAFE)?,
        }
        .limits();
        let opts = Options {
            limits,
            insecure: o.bool("insecure")?.unwrap_or(false),
            progress: None,
            threads: 0,
            redaction: o.redaction()?,
        };
        Ok((
            source,
            o.string("host")?.unwrap_or_else(|| "local".into()),
            opts,
        ))
    })();
    conv::job(args, |(source, spec, opts)| {
        let host = Host::resolve(&spec)?;
        archcompat::check_image(&source, &host, &opts)
    })
}
