//! Node functions for fixes, redaction and SARIF: `fixesFor`, `redact`, `sarif`.
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{err, to_js};
use archcompat::{CauseCode, Finding};
use archcompat::{FixContext, fix_with};
use archcompat::{RedactOptions, redact as core_redact};
use napi_derive::napi;
use serde_json::Value;

/// What a fix should be filled with.
#[napi(object)]
#[derive(Debug, Default)]
pub struct FixOptions {
    /// Where it must run (platform, alias or profile).
    pub host: Option<String>,
    /// The image's platforms.
    pub platforms: Option<Vec<String>>,
    /// The image reference.
    pub image: Option<String>,
    /// The file involved.
    pub path: Option<String>,
    /// The missing interpreter.
    pub interpreter: Option<String>,
    /// Redact secrets in the fixes (default true).
    pub redact: Option<bool>,
}

/// Ready-to-paste fixes for a cause code.
#[napi(ts_return_type = "Fix[]")]
pub fn fixes_for(code: String, options: Option<FixOptions>) -> napi::Result<Value> {
    let code: CauseCode = code.parse().map_err(err)?;
    let o = options.unwrap_or_default();
    let redaction = archcompat::redact::Redaction::from_flag(o.redact.unwrap_or(true));
    let ctx = FixContext::from_specs(
        o.host.as_deref(),
        &o.platforms.unwrap_or_default(),
        o.image,
        o.path,
        o.interpreter,
    )
    .map_err(err)?;
    to_js(&fix_with(code, &ctx, redaction))
}

/// Redact secrets from text (a string or a Buffer of UTF-8).
#[napi(ts_args_type = "text: string | Buffer, accountIds?: boolean")]
pub fn redact(
    text: napi::Either<String, napi::bindgen_prelude::Buffer>,
    account_ids: Option<bool>,
) -> napi::Result<String> {
    let s = match &text {
        napi::Either::A(s) => s.clone(),
        napi::Either::B(b) => String::from_utf8_lossy(b).into_owned(),
    };
    let opts = RedactOptions {
        account_ids: account_ids.unwrap_or(true),
        ..Default::default()
    };
    Ok(core_redact(&s, &opts).into_owned())
}

/// A SARIF 2.1.0 log of findings (objects in the contract's Finding shape).
#[napi(
    ts_args_type = "findings: Finding[]",
    ts_return_type = "Record<string, unknown>"
)]
pub fn sarif(findings: Value) -> napi::Result<Value> {
    let findings: Vec<Finding> = serde_json::from_value(findings).map_err(|e| {
        napi::Error::new(
            napi::Status::InvalidArg,
            format!(
                "ERR_ARCHCOMPAT_MALFORMED: findings are not in the contract's Finding shape: {e}"
            ),
        )
    })?;
    to_js(&archcompat::sarif(archcompat::VERSION, &findings))
}
