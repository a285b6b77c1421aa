//! Node functions for the `platform` area of the core: parse, normalise, format as other
//! ecosystems spell it, match (containerd ranking + real verdicts), host detection and
//! named profiles. Shapes are those of the CLI's JSON; host work returns Promises.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Failure, Job, Res};
use archcompat::{AliasKind, Host, PROFILES, Platform, match_document, parse_all};
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;

/// A platform from a specifier string or an object in the OCI JSON form.
fn platform_of(env: &Env, v: Unknown<'_>, name: &str) -> Res<Platform> {
    if v.get_type()? == ValueType::String {
        return Ok(conv::string(v, name)?.parse::<Platform>()?);
    }
    if v.get_type()? != ValueType::Object || v.is_array()? {
        return Err(Failure::Type(format!(
            "The \"{name}\" argument must be of type string (such as \"linux/arm64/v8\") or a Platform object ({{ os, architecture }})"
        )));
    }
    let value = conv::json(env, v, name)?;
    for k in value.as_object().into_iter().flat_map(|m| m.keys()) {
        if !["os", "architecture", "variant", "os.version", "os.features"].contains(&k.as_str()) {
            return Err(Failure::Value(format!(
                "The \"{name}\" argument has an unknown key \"{k}\"; a Platform has os, architecture, variant, os.version, os.features"
            )));
        }
    }
    serde_json::from_value(value).map_err(|e| {
        Failure::Value(format!(
            "The \"{name}\" argument is not an OCI platform: {e}"
        ))
    })
}

/// Parse one specifier (with user aliases; `containerd = true` for containerd's exact Parse).
#[napi(
    ts_args_type = "spec: string, containerd?: boolean",
    ts_return_type = "Platform"
)]
pub fn parse_platform<'e>(
    env: &'e Env,
    spec: Unknown<'_>,
    containerd: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let spec = conv::string(spec, "spec")?;
        Ok(
            if conv::opt_bool(containerd, "containerd")?.unwrap_or(false) {
                Platform::parse_containerd(&spec)?
            } else {
                spec.parse::<Platform>()?
            },
        )
    })();
    conv::out_small(env, r)
}

/// Parse many specifiers: the `platform parse` document (errors are entries, not thrown).
#[napi(
    ts_args_type = "specs: string[], containerd?: boolean",
    ts_return_type = "Array<ParseEntry>"
)]
pub fn parse_platforms<'e>(
    env: &'e Env,
    specs: Unknown<'_>,
    containerd: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let specs = conv::strings(env, specs, "specs")?;
        let containerd = conv::opt_bool(containerd, "containerd")?.unwrap_or(false);
        Ok(parse_all(&specs, containerd))
    })();
    conv::out(env, r)
}

/// containerd Normalize of a platform (string or object).
#[napi(
    ts_args_type = "platform: string | Platform",
    ts_return_type = "Platform"
)]
pub fn normalize_platform<'e>(env: &'e Env, platform: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    let r = platform_of(env, platform, "platform").map(|p| p.normalize());
    conv::out_small(env, r)
}

/// Format a platform: `oci` (FormatAll) or another ecosystem's spelling; null when that
/// ecosystem has no name for it.
#[napi(
    ts_args_type = "platform: string | Platform, spelling?: Spelling",
    ts_return_type = "string | null"
)]
pub fn format_platform<'e>(
    env: &'e Env,
    platform: Unknown<'_>,
    spelling: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let spelling = conv::opt_string(spelling, "spelling")?.unwrap_or_else(|| "oci".into());
        let kind = spelling.parse::<AliasKind>()?;
        Ok(platform_of(env, platform, "platform")?.alias(kind))
    })();
    conv::out_small(env, r)
}

/// The named deployment profiles (`host --list-profiles --json`).
#[napi(ts_return_type = "Array<HostProfile>")]
pub fn host_profiles(env: &Env) -> napi::Result<Unknown<'_>> {
    conv::out(env, Ok(&PROFILES))
}

/// This machine: the `host` document (uname, cpuinfo, CPUID, page size, binfmt_misc …),
/// detected once per process, off the main thread.
#[napi(ts_return_type = "Promise<HostReport>")]
pub fn detect_host() -> AsyncTask<Job> {
    conv::job(Ok(()), |()| Host::local().map(|h| h.report()))
}

/// A host from `local`, a platform specifier/alias or a profile name: the `host` document.
#[napi(ts_args_type = "spec: string", ts_return_type = "Promise<HostReport>")]
pub fn resolve_host(spec: Unknown<'_>) -> AsyncTask<Job> {
    conv::job(conv::string(spec, "spec"), |spec| {
        Host::resolve(&spec).map(|h| h.report())
    })
}

/// Match candidates against a host (`local`, a platform, or a profile).
#[napi(
    ts_args_type = "host: string, candidates: string[], strict?: boolean",
    ts_return_type = "Promise<MatchDocument>"
)]
pub fn match_platforms(
    env: &Env,
    host: Unknown<'_>,
    candidates: Unknown<'_>,
    strict: Option<Unknown<'_>>,
) -> AsyncTask<Job> {
    let args = (|| {
        Ok((
            conv::string(host, "host")?,
            conv::strings(env, candidates, "candidates")?,
            conv::opt_bool(strict, "strict")?.unwrap_or(false),
        ))
    })();
    conv::job(args, |(host, candidates, strict)| {
        match_document(&host, &candidates, strict)
    })
}

/// How a host runs one platform: `{runs, reason}`.
#[napi(
    ts_args_type = "host: string, platform: string | Platform",
    ts_return_type = "Promise<RunVerdict>"
)]
pub fn host_runs(env: &Env, host: Unknown<'_>, platform: Unknown<'_>) -> AsyncTask<Job> {
    let args = (|| {
        Ok((
            conv::string(host, "host")?,
            platform_of(env, platform, "platform")?,
        ))
    })();
    conv::job(args, |(host, p)| Host::resolve(&host).map(|h| h.runs(&p)))
}
