//! Node functions for explaining error logs (CPU-only, so synchronous).
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{err, to_js};
use archcompat::{ExplainOptions, explain as core_explain};
use napi_derive::napi;
use serde_json::Value;

/// Explain an error log (a string or a Buffer of UTF-8): ranked causes, evidence and fixes.
#[napi(ts_args_type = "text: string | Buffer", ts_return_type = "Explanation")]
pub fn explain(
    text: napi::Either<String, napi::bindgen_prelude::Buffer>,
    options: Option<crate::lint::RedactionOptions>,
) -> napi::Result<Value> {
    let s = match &text {
        napi::Either::A(s) => s.clone(),
        napi::Either::B(b) => String::from_utf8_lossy(b).into_owned(),
    };
    let e = core_explain(
        &s,
        &ExplainOptions {
            source: "text".into(),
            redaction: archcompat::Redaction::from_flag(
                options.and_then(|o| o.redact) != Some(false),
            ),
        },
    )
    .map_err(err)?;
    to_js(&e)
}
