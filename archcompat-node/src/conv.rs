//! Conversions shared by every binding function: core values to JSON-shaped JS values and
//! core errors to JS errors with a stable `code`.
#![allow(dead_code)]

use serde::Serialize;

/// Map a core error to a JS error whose `code` is `ERR_ARCHCOMPAT_<KIND>`.
pub fn err(e: archcompat::Error) -> napi::Error {
    let code = format!(
        "ERR_ARCHCOMPAT_{}",
        e.kind().replace('-', "_").to_uppercase()
    );
    napi::Error::new(napi::Status::GenericFailure, format!("{code}: {e}"))
}

/// Serialise a core value into a `serde_json::Value` (napi turns it into a JS object).
pub fn to_js<T: Serialize>(value: &T) -> napi::Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| napi::Error::from_reason(e.to_string()))
}
