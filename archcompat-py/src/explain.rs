//! Python functions for the `explain` area: ranked causes of a pasted error log.

use crate::conv::{err, to_py};
use archcompat::{ExplainOptions, explain as core_explain};
use pyo3::prelude::*;

/// Explain an error log: `{"causes": [...], "fixes": [...]}` as `archcompat explain --json`.
#[pyfunction]
#[pyo3(signature = (text, *, redact = true))]
fn explain(py: Python<'_>, text: &str, redact: bool) -> PyResult<Py<PyAny>> {
    let opts = ExplainOptions {
        source: "text".into(),
        redaction: archcompat::Redaction::from_flag(redact),
    };
    let e = py.detach(|| core_explain(text, &opts)).map_err(err)?;
    to_py(py, &e)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    Ok(())
}
