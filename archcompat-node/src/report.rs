//! Node functions for report conversion: `codeQuality(sarif)` turns a SARIF log into GitLab
//! Code Quality issues, as `archcompat report codequality` does.
// napi registers these exports when the addon loads; a `cargo test` build sees no Rust caller.
#![cfg_attr(test, allow(dead_code))]

use crate::conv;
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

/// GitLab Code Quality issues from a SARIF 2.1.0 log.
#[napi(
    ts_args_type = "sarif: Record<string, unknown>",
    ts_return_type = "CodeQualityIssue[]"
)]
pub fn code_quality<'e>(env: &'e Env, sarif: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let log = conv::json(env, sarif, "sarif")?;
        Ok(archcompat::code_quality(&log, "sarif")?)
    })();
    conv::out(env, r)
}
