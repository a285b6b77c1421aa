//! Node functions for fixes, redaction and SARIF: `fixesFor`, `redact`, `sarif`.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Failure, Opts};
use archcompat::redact as core_redact;
use archcompat::{CauseCode, Finding};
use archcompat::{FixContext, fix_with};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

/// Ready-to-paste fixes for a cause code, filled with the host, platforms, image, path and
/// interpreter given.
#[napi(
    ts_args_type = "code: string, options?: FixOptions",
    ts_return_type = "Fix[]"
)]
pub fn fixes_for<'e>(
    env: &'e Env,
    code: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let code: CauseCode = conv::string(code, "code")?.parse()?;
        let o = Opts::new(
            env,
            options,
            "options",
            &[
                "host",
                "platforms",
                "image",
                "path",
                "interpreter",
                "redact",
            ],
        )?;
        let ctx = FixContext::from_specs(
            o.string("host")?.as_deref(),
            &o.strings(env, "platforms")?.unwrap_or_default(),
            o.string("image")?,
            o.string("path")?,
            o.string("interpreter")?,
        )?;
        Ok(fix_with(code, &ctx, o.redaction()?))
    })();
    conv::out(env, r)
}

/// Redact secrets from text (a string, or UTF-8 in a Buffer/Uint8Array).
#[napi(
    ts_args_type = "text: string | Uint8Array, options?: RedactOptions",
    ts_return_type = "string"
)]
pub fn redact<'e>(
    env: &'e Env,
    text: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let s = conv::text(env, text, "text")?;
        let o = Opts::new(env, options, "options", &["accountIds", "highEntropy"])?;
        let opts = o.redact_options()?;
        Ok(core_redact(&s, &opts).into_owned())
    })();
    conv::out(env, r)
}

/// A SARIF 2.1.0 log of findings (objects in the contract's Finding shape).
#[napi(
    ts_args_type = "findings: Finding[]",
    ts_return_type = "Record<string, unknown>"
)]
pub fn sarif<'e>(env: &'e Env, findings: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let v = conv::json(env, findings, "findings")?;
        let findings: Vec<Finding> = serde_json::from_value(v).map_err(|e| {
            Failure::Value(format!(
                "The \"findings\" argument is not in the contract's Finding shape: {e}"
            ))
        })?;
        Ok(archcompat::sarif(archcompat::VERSION, &findings))
    })();
    conv::out(env, r)
}
