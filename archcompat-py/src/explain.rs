//! Python functions for the `explain` area: ranked causes of a pasted error log.

use crate::conv::{self, err, to_py};
use archcompat::{ExplainOptions, explain as core_explain};
use pyo3::prelude::*;

/// Explain an error log (`str`, or UTF-8 bytes): `{"causes": [...], "fixes": [...]}` as
/// `archcompat explain --json`.
#[pyfunction]
#[pyo3(signature = (text, *, redact = None))]
fn explain(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = conv::text_or_bytes(text, "text")?;
    let opts = ExplainOptions {
        source: "text".into(),
        redaction: conv::redaction(redact)?,
    };
    let e = py.detach(|| core_explain(&text, &opts)).map_err(err)?;
    to_py(py, &e)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    Ok(())
}
