//! Node functions for the `image` area of the core: `image(source, options?)` resolves to the
//! same object as `archcompat image --json`. The image is read on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Job, MAX_SAFE, Opts};
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
        let base = o.image_limits()?;
        let limits = LimitOverrides {
            registry_timeout: o.count("registryTimeout", MAX_SAFE)?,
            registry_min_rate: o.count("registryMinRate", MAX_SAFE)?,
            registry_grace: o.count("registryGrace", MAX_SAFE)?,
            ..base
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
