//! Python bindings: translation only. Every function calls the core and converts its serde
//! output into Python objects with the same shape as the CLI's JSON. Errors map onto one
//! exception hierarchy rooted in `archcompat.ArchcompatError` (`python/archcompat/_errors.py`;
//! the mapping is `conv::err`). The local host is detected once per process.

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
mod topy;
mod verify;

use pyo3::prelude::*;

/// The stable cause codes of the contract, in order.
#[pyfunction]
fn cause_codes() -> Vec<&'static str> {
    archcompat::CauseCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect()
}

#[pymodule(gil_used = false)]
fn _archcompat(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Detect this machine on a background thread as the module loads, so that the first call
    // without `host=` finds it ready.
    archcompat::Host::prewarm_local();
    m.add("__version__", archcompat::VERSION)?;
    m.add_function(wrap_pyfunction!(cause_codes, m)?)?;
    platform::register(m)?;
    binary::register(m)?;
    image::register(m)?;
    diagnose::register(m)?;
    explain::register(m)?;
    lint::register(m)?;
    admission::register(m)?;
    report::register(m)?;
    verify::register(m)?;
    input::register(m)?;
    Ok(())
}
