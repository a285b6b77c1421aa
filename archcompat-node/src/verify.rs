//! Node functions for `image --verify` and `audit`: `verifyImage(source, options?)`,
//! `audit(source, options)` and `auditMerge(paths, options?)` resolve to the same objects as
//! the CLI's `--json` output; they run on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Failure, Job, Opts};
use archcompat::{AuditOptions, Host, Options, VerifyOptions};
use napi::Env;
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi_derive::napi;
use std::path::PathBuf;
use std::time::Duration;

/// Check the image statically, then start its entrypoint in a bwrap sandbox (under
/// qemu-user-static when the image is not for this machine); the result has a `verify` key.
#[napi(
    ts_args_type = "source: string, options?: VerifyImageOptions",
    ts_return_type = "Promise<Record<string, any>>"
)]
pub fn verify_image(
    env: &Env,
    source: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> AsyncTask<Job> {
    let args = (|| {
        let source = conv::string(source, "source")?;
        let o = Opts::new(
            env,
            options,
            "options",
            &["host", "command", "timeout", "emulatorDir", "insecure"],
        )?;
        let spec = o.string("host")?.unwrap_or_else(|| "local".into());
        let opts = Options {
            insecure: o.bool("insecure")?.unwrap_or(false),
            ..Options::default()
        };
        let v = VerifyOptions {
            timeout: Duration::from_secs_f64(o.seconds("timeout")?.unwrap_or(5.0).min(3600.0)),
            command: o.strings(env, "command")?,
            emulator_dir: o.string("emulatorDir")?.map(PathBuf::from),
            bwrap: None,
        };
        Ok((source, spec, opts, v))
    })();
    conv::job(args, |(source, spec, opts, v)| {
        let host = Host::resolve(&spec)?;
        archcompat::verify_image(&source, &host, &opts, &v)
    })
}

/// Audit `source` (`docker://HOST[/PREFIX]`, a file of references or a folder of OCI layouts)
/// against `options.targets`.
#[napi(
    ts_args_type = "source: string, options: AuditOptions",
    ts_return_type = "Promise<Record<string, any>>"
)]
pub fn audit(env: &Env, source: Unknown<'_>, options: Option<Unknown<'_>>) -> AsyncTask<Job> {
    let args = (|| {
        let source = conv::string(source, "source")?;
        let o = Opts::new(
            env,
            options,
            "options",
            &[
                "targets", "deep", "jobs", "pageSize", "state", "html", "insecure",
            ],
        )?;
        let Some(targets) = o.strings(env, "targets")? else {
            return Err(Failure::Type(
                "The \"options.targets\" argument must be an array of strings. Received undefined"
                    .into(),
            ));
        };
        let opts = AuditOptions {
            targets: archcompat::parse_audit_targets(&targets)?,
            deep: o.bool("deep")?.unwrap_or(false),
            jobs: o.count("jobs", 1024)?.unwrap_or(8).max(1) as usize,
            page_size: o.count("pageSize", 10_000)?.unwrap_or(100).max(1) as usize,
            state: o.string("state")?.map(PathBuf::from),
            image: Options {
                insecure: o.bool("insecure")?.unwrap_or(false),
                threads: 1,
                ..Options::default()
            },
            progress: None,
        };
        Ok((source, opts, o.string("html")?.map(PathBuf::from)))
    })();
    conv::job(args, |(source, opts, html)| {
        archcompat::audit_report(&source, &opts, html.as_deref())
    })
}

/// Join the JSON outputs of partial audits (`options.html` also writes the HTML report).
#[napi(
    ts_args_type = "paths: string[], options?: AuditMergeOptions",
    ts_return_type = "Promise<Record<string, any>>"
)]
pub fn audit_merge(env: &Env, paths: Unknown<'_>, options: Option<Unknown<'_>>) -> AsyncTask<Job> {
    let args = (|| {
        let (paths, _) = conv::paths(env, paths, "paths")?;
        let o = Opts::new(env, options, "options", &["html"])?;
        Ok((paths, o.string("html")?.map(PathBuf::from)))
    })();
    conv::job(args, |(paths, html)| {
        archcompat::audit_merge_files(&paths, html.as_deref())
    })
}
