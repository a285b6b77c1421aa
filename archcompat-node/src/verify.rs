//! Node functions for `image --verify` and `audit`: `verifyImage(source, opts?)`,
//! `audit(source, opts)` and `auditMerge(paths, opts?)` resolve to the same objects as the
//! CLI's `--json` output; they run on the libuv thread pool.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv;
use archcompat::audit::{AuditOptions, AuditReport};
use archcompat::image::Options;
use archcompat::platform::Host;
use archcompat::verify::VerifyOptions;
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;
use std::path::PathBuf;
use std::time::Duration;

/// Options of `verifyImage()`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct VerifyImageOptions {
    /// Host: platform, alias, profile or `local` (default).
    pub host: Option<String>,
    /// Replaces the image's CMD (ENTRYPOINT is kept).
    pub command: Option<Vec<String>>,
    /// Time limit in seconds (default 5).
    pub timeout: Option<f64>,
    /// Directory holding the `qemu-ARCH-static` emulators (default: PATH).
    pub emulator_dir: Option<String>,
    /// Reach a non-loopback registry over plain HTTP / without certificate checks.
    pub insecure: Option<bool>,
}

/// Runs one image off the main thread.
#[derive(Debug)]
pub struct VerifyTask {
    source: String,
    opts: VerifyImageOptions,
}

impl<'task> ScopedTask<'task> for VerifyTask {
    type Output = serde_json::Value;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let o = &self.opts;
        let timeout = o.timeout.unwrap_or(5.0);
        if !(timeout.is_finite() && timeout > 0.0) {
            return Err(conv::err(archcompat::Error::Unsupported {
                input: format!("timeout {timeout}"),
                reason: "the time limit must be a positive number of seconds".into(),
            }));
        }
        let host = Host::resolve(o.host.as_deref().unwrap_or("local")).map_err(conv::err)?;
        let opts = Options {
            insecure: o.insecure.unwrap_or(false),
            ..Options::default()
        };
        let v = VerifyOptions {
            timeout: Duration::from_secs_f64(timeout.min(3600.0)),
            command: o.command.clone(),
            emulator_dir: o.emulator_dir.clone().map(PathBuf::from),
            bwrap: None,
        };
        let r =
            archcompat::verify::verify_image(&self.source, &host, &opts, &v).map_err(conv::err)?;
        conv::to_js(&r)
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        env.to_js_value(&output)
    }
}

/// Check the image statically, then start its entrypoint in a bwrap sandbox (under
/// qemu-user-static when the image is not for this machine); the result has a `verify` key.
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn verify_image(source: String, opts: Option<VerifyImageOptions>) -> AsyncTask<VerifyTask> {
    AsyncTask::new(VerifyTask {
        source,
        opts: opts.unwrap_or_default(),
    })
}

/// Options of `audit()`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct AuditCallOptions {
    /// Target platforms, aliases or profiles.
    pub targets: Vec<String>,
    /// Read each target's layers.
    pub deep: Option<bool>,
    /// Parallel connections at most (default 8).
    pub jobs: Option<u32>,
    /// Names per catalog / tag-list page (default 100).
    pub page_size: Option<u32>,
    /// State file to resume from / record to.
    pub state: Option<String>,
    /// Also write the self-contained HTML report to this file.
    pub html: Option<String>,
    /// Reach a non-loopback registry over plain HTTP / without certificate checks.
    pub insecure: Option<bool>,
}

/// Audits off the main thread (`paths` set: merge those JSON files instead).
#[derive(Debug)]
pub struct AuditTask {
    source: String,
    paths: Vec<String>,
    opts: AuditCallOptions,
}

fn write_html(r: &AuditReport, html: Option<&str>) -> archcompat::Result<()> {
    if let Some(h) = html {
        std::fs::write(h, archcompat::audit::html(r)).map_err(|e| archcompat::Error::io(h, e))?;
    }
    Ok(())
}

impl<'task> ScopedTask<'task> for AuditTask {
    type Output = serde_json::Value;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let o = &self.opts;
        let r = if !self.paths.is_empty() {
            let parts = self
                .paths
                .iter()
                .map(|p| archcompat::audit::read_report(std::path::Path::new(p)))
                .collect::<archcompat::Result<Vec<_>>>()
                .map_err(conv::err)?;
            archcompat::audit::merge(parts).map_err(conv::err)?
        } else {
            let opts = AuditOptions {
                targets: archcompat::audit::parse_targets(&o.targets).map_err(conv::err)?,
                deep: o.deep.unwrap_or(false),
                jobs: o.jobs.unwrap_or(8).max(1) as usize,
                page_size: o.page_size.unwrap_or(100).max(1) as usize,
                state: o.state.clone().map(PathBuf::from),
                image: Options {
                    insecure: o.insecure.unwrap_or(false),
                    threads: 1,
                    ..Options::default()
                },
                progress: None,
            };
            archcompat::audit::audit(&self.source, &opts).map_err(conv::err)?
        };
        write_html(&r, o.html.as_deref()).map_err(conv::err)?;
        conv::to_js(&r)
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        env.to_js_value(&output)
    }
}

/// Audit `source` (`docker://HOST[/PREFIX]`, a file of references or a folder of OCI layouts)
/// against `opts.targets`.
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn audit(source: String, opts: AuditCallOptions) -> AsyncTask<AuditTask> {
    AsyncTask::new(AuditTask {
        source,
        paths: Vec::new(),
        opts,
    })
}

/// Join the JSON outputs of partial audits.
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn audit_merge(paths: Vec<String>, html: Option<String>) -> AsyncTask<AuditTask> {
    AsyncTask::new(AuditTask {
        source: String::new(),
        paths,
        opts: AuditCallOptions {
            html,
            ..AuditCallOptions::default()
        },
    })
}
