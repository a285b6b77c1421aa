//! Node.js bindings: translation only. Functions return the same shapes as the CLI's JSON
//! (camelCase is *not* applied: keys are the contract's). I/O-bound calls return Promises
//! (run on the libuv pool); byte inputs accept `Buffer`/`Uint8Array`. Errors carry a stable
//! `code` (`ERR_ARCHCOMPAT_<KIND>`).

mod admission;
mod binary;
mod conv;
mod diagnose;
mod explain;
mod image;
mod lint;
mod platform;
mod report;
mod verify;

use napi_derive::napi;

/// The version of the archcompat core.
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
    archcompat::platform::Host::prewarm_local();
}
