//! Node functions for the `platform` area of the core: parse, normalise, format as other
//! ecosystems spell it, match (containerd ranking + real verdicts), host detection and
//! named profiles. Shapes are those of the CLI's JSON; host work returns Promises.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{err, to_js};
use archcompat::{AliasKind, Host, PROFILES, Platform, match_document, parse_all};
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;
use serde_json::Value;

/// A platform from a specifier string or an object in the OCI JSON form.
fn platform_of(v: Value) -> napi::Result<Platform> {
    match v {
        Value::String(s) => s.parse::<Platform>().map_err(err),
        Value::Object(_) => serde_json::from_value(v).map_err(|e| {
            napi::Error::new(
                napi::Status::InvalidArg,
                format!("ERR_ARCHCOMPAT_INVALID_PLATFORM: platform object: {e}"),
            )
        }),
        _ => Err(napi::Error::new(
            napi::Status::InvalidArg,
            "ERR_ARCHCOMPAT_INVALID_PLATFORM: a platform is a string such as \"linux/arm64/v8\" or an object with os and architecture",
        )),
    }
}

fn alias_kind(name: &str) -> napi::Result<AliasKind> {
    name.parse::<AliasKind>().map_err(err)
}

/// Parse one specifier (with user aliases; `containerd = true` for containerd's exact Parse).
#[napi(ts_return_type = "Platform")]
pub fn parse_platform(spec: String, containerd: Option<bool>) -> napi::Result<Value> {
    let p = if containerd.unwrap_or(false) {
        Platform::parse_containerd(&spec)
    } else {
        spec.parse::<Platform>()
    }
    .map_err(err)?;
    to_js(&p)
}

/// Parse many specifiers: the `platform parse` document (errors are entries, not thrown).
#[napi(ts_return_type = "Array<ParseEntry>")]
pub fn parse_platforms(specs: Vec<String>, containerd: Option<bool>) -> napi::Result<Value> {
    to_js(&parse_all(&specs, containerd.unwrap_or(false)))
}

/// containerd Normalize of a platform (string or object).
#[napi(
    ts_args_type = "platform: string | Platform",
    ts_return_type = "Platform"
)]
pub fn normalize_platform(platform: Value) -> napi::Result<Value> {
    to_js(&platform_of(platform)?.normalize())
}

/// Format a platform: `oci` (FormatAll) or another ecosystem's spelling; null when that
/// ecosystem has no name for it.
#[napi(ts_args_type = "platform: string | Platform, spelling?: Spelling")]
pub fn format_platform(platform: Value, spelling: Option<String>) -> napi::Result<Option<String>> {
    let kind = alias_kind(spelling.as_deref().unwrap_or("oci"))?;
    Ok(platform_of(platform)?.alias(kind))
}

/// The named deployment profiles (`host --list-profiles --json`).
#[napi(ts_return_type = "Array<HostProfile>")]
pub fn host_profiles() -> napi::Result<Value> {
    to_js(&PROFILES)
}

/// Background work for the host functions.
pub enum HostJob {
    /// Resolve a host and report it.
    Report(String),
    /// Match candidates against a host.
    Match(String, Vec<String>, bool),
    /// One verdict.
    Runs(String, Platform),
}

impl<'task> ScopedTask<'task> for HostJob {
    type Output = Value;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Value> {
        match self {
            HostJob::Report(spec) => to_js(&Host::resolve(spec).map_err(err)?.report()),
            HostJob::Match(host, candidates, strict) => {
                to_js(&match_document(host, candidates, *strict).map_err(err)?)
            }
            HostJob::Runs(host, p) => to_js(&Host::resolve(host).map_err(err)?.runs(p)),
        }
    }

    fn resolve(&mut self, env: &'task Env, output: Value) -> napi::Result<Self::JsValue> {
        env.to_js_value(&output)
    }
}

/// This machine: the `host` document (uname, cpuinfo, CPUID, page size, binfmt_misc …).
#[napi(ts_return_type = "Promise<HostReport>")]
pub fn detect_host() -> AsyncTask<HostJob> {
    AsyncTask::new(HostJob::Report("local".into()))
}

/// A host from `local`, a platform specifier/alias or a profile name: the `host` document.
#[napi(ts_return_type = "Promise<HostReport>")]
pub fn resolve_host(spec: String) -> AsyncTask<HostJob> {
    AsyncTask::new(HostJob::Report(spec))
}

/// Match candidates against a host (`local`, a platform, or a profile).
#[napi(ts_return_type = "Promise<MatchDocument>")]
pub fn match_platforms(
    host: String,
    candidates: Vec<String>,
    strict: Option<bool>,
) -> AsyncTask<HostJob> {
    AsyncTask::new(HostJob::Match(host, candidates, strict.unwrap_or(false)))
}

/// How a host runs one platform: `{runs, reason}`.
#[napi(
    ts_args_type = "host: string, platform: string | Platform",
    ts_return_type = "Promise<RunVerdict>"
)]
pub fn host_runs(host: String, platform: Value) -> napi::Result<AsyncTask<HostJob>> {
    Ok(AsyncTask::new(HostJob::Runs(host, platform_of(platform)?)))
}
