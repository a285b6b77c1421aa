//! Python functions for the `explain` area of the core.

use pyo3::prelude::*;

/// Add this area's functions to the module.
pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
