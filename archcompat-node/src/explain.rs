//! Node functions for explaining error logs (CPU-only, so synchronous).
#![cfg_attr(test, allow(dead_code))]

use crate::conv::{self, Opts};
use archcompat::{ExplainOptions, explain as core_explain};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

/// Explain an error log (a string, or UTF-8 in a Buffer/Uint8Array): ranked causes, evidence
/// and fixes.
#[napi(
    ts_args_type = "text: string | Uint8Array, options?: RedactionOptions",
    ts_return_type = "Explanation"
)]
pub fn explain<'e>(
    env: &'e Env,
    text: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let r = (|| {
        let text = conv::text(env, text, "text")?;
        let o = Opts::new(env, options, "options", &["redact"])?;
        let opts = ExplainOptions {
            source: "text".into(),
            redaction: o.redaction()?,
        };
        Ok(core_explain(&text, &opts)?)
    })();
    conv::out(env, r)
}
