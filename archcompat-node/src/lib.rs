//! Node.js bindings: translation only. Functions return the same shapes as the CLI's JSON
//! (camelCase is *not* applied to results: keys are the contract's; options are camelCase).
//! I/O-bound calls return Promises (run on the libuv pool) that always settle, argument errors
//! included; byte inputs accept `Buffer`/`Uint8Array`. Errors carry a stable `code`
//! (`ARCHCOMPAT_IO`, `ARCHCOMPAT_LIMIT` …, `ERR_INVALID_ARG_TYPE` for bad arguments): the table
//! is `conv::code`.

mod admission;
mod binary;
mod conv;
mod diagnose;
mod explain;
mod image;
mod input;
mod lint;
mod platform;
mod report;
mod tojs;
mod verify;

use napi_derive::napi;

/// The version of the archcompat core (Python: `archcompat.__version__`).
#[napi]
pub fn version() -> String {
    archcompat::VERSION.to_string()
}

/// The stable cause codes of the contract, in order.
#[napi]
pub fn cause_codes() -> Vec<String> {
    archcompat::CauseCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// When the addon loads, start detecting this machine on a background thread: calls without
/// `host` then find the cached result and never detect on Node's main thread.
#[napi_derive::module_init]
fn prewarm_local_host() {
    archcompat::Host::prewarm_local();
}
