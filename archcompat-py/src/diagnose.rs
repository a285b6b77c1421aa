//! Python functions for fixes, redaction and SARIF: `fixes_for`, `rewrite`-free fix lookup by
//! cause code, `redact`, and `sarif` over findings (dicts in the contract's Finding shape).

use crate::conv::{err, to_py};
use archcompat::{CauseCode, Finding};
use archcompat::{FixContext, fix_with};
use archcompat::{RedactOptions, redact as core_redact};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Ready-to-paste fixes for a cause code, filled with the host, platforms and image given.
#[pyfunction]
#[pyo3(signature = (code, *, host = None, platforms = None, image = None, path = None, interpreter = None, redact = true))]
#[allow(clippy::too_many_arguments)]
fn fixes_for(
    py: Python<'_>,
    code: &str,
    host: Option<&str>,
    platforms: Option<Vec<String>>,
    image: Option<String>,
    path: Option<String>,
    interpreter: Option<String>,
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let code: CauseCode = code.parse().map_err(err)?;
    let ctx = FixContext::from_specs(
        host,
        &platforms.unwrap_or_default(),
        image,
        path,
        interpreter,
    )
    .map_err(err)?;
    to_py(
        py,
        &fix_with(code, &ctx, archcompat::Redaction::from_flag(redact)),
    )
}

/// Redact secrets from text (AWS keys, ARNs' account ids, tokens, passwords, private keys …).
#[pyfunction]
#[pyo3(signature = (text, *, account_ids = true, high_entropy = true))]
fn redact(py: Python<'_>, text: &str, account_ids: bool, high_entropy: bool) -> String {
    let opts = RedactOptions {
        account_ids,
        high_entropy,
    };
    py.detach(|| core_redact(text, &opts).into_owned())
}

/// A SARIF 2.1.0 log (dict) of findings given as dicts in the contract's Finding shape.
#[pyfunction]
fn sarif(py: Python<'_>, findings: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let json = py.import("json")?.call_method1("dumps", (findings,))?;
    let findings: Vec<Finding> = serde_json::from_str(json.extract::<&str>()?).map_err(|e| {
        PyValueError::new_err(format!(
            "findings are not in the contract's Finding shape: {e}"
        ))
    })?;
    to_py(py, &archcompat::sarif(archcompat::VERSION, &findings))
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fixes_for, m)?)?;
    m.add_function(wrap_pyfunction!(redact, m)?)?;
    m.add_function(wrap_pyfunction!(sarif, m)?)?;
    Ok(())
}
