//! Python functions for Dockerfile lint and rewrites of the user's own input.

use pyo3::prelude::*;

/// Add this area's functions to the module.
pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
