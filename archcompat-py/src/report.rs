//! Python functions for report conversion: `code_quality(sarif)` turns a SARIF log (dict) into
//! GitLab Code Quality issues, as `archcompat report codequality` does.

use crate::conv;
use pyo3::prelude::*;

/// GitLab Code Quality issues (list of dicts) from a SARIF 2.1.0 log given as a dict.
#[pyfunction]
fn code_quality(py: Python<'_>, sarif: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let log = conv::json(sarif, "sarif")?;
    let issues = archcompat::code_quality(&log, "sarif").map_err(conv::err)?;
    conv::to_py(py, &issues)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(code_quality, m)?)?;
    Ok(())
}
