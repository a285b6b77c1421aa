//! Python functions for fixes, redaction and SARIF: `fixes_for` (fixes by cause code),
//! `redact`, and `sarif` over findings (dicts in the contract's Finding shape).

use crate::conv::{self, err, to_py};
use archcompat::{CauseCode, Finding};
use archcompat::{FixContext, fix_with};
use archcompat::{RedactOptions, redact as core_redact};
use pyo3::prelude::*;

/// Ready-to-paste fixes for a cause code, filled with the host, platforms and image given.
#[pyfunction]
#[pyo3(signature = (code, *, host = None, platforms = None, image = None, path = None, interpreter = None, redact = None))]
#[allow(clippy::too_many_arguments)]
fn fixes_for(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    platforms: Option<&Bound<'_, PyAny>>,
    image: Option<&Bound<'_, PyAny>>,
    path: Option<&Bound<'_, PyAny>>,
    interpreter: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let code: CauseCode = conv::text(code, "code")?.parse().map_err(err)?;
    let host = conv::opt_text(host, "host")?;
    let platforms = conv::opt_texts(platforms, "platforms")?.unwrap_or_default();
    let path = conv::opt_path(path, "path")?.map(|p| p.display().to_string());
    let ctx = FixContext::from_specs(
        host.as_deref(),
        &platforms,
        conv::opt_text(image, "image")?,
        path,
        conv::opt_text(interpreter, "interpreter")?,
    )
    .map_err(err)?;
    to_py(py, &fix_with(code, &ctx, conv::redaction(redact)?))
}

/// Redact secrets from text (`str`, or UTF-8 bytes): AWS keys, ARNs' account ids, tokens,
/// passwords, private keys …
#[pyfunction]
#[pyo3(signature = (text, *, account_ids = None, high_entropy = None))]
fn redact(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    account_ids: Option<&Bound<'_, PyAny>>,
    high_entropy: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let text = conv::text_or_bytes(text, "text")?;
    let opts = RedactOptions {
        account_ids: conv::flag(account_ids, "account_ids", true)?,
        high_entropy: conv::flag(high_entropy, "high_entropy", true)?,
    };
    Ok(py.detach(|| core_redact(&text, &opts).into_owned()))
}

/// A SARIF 2.1.0 log (dict) of findings given as dicts in the contract's Finding shape.
#[pyfunction]
fn sarif(py: Python<'_>, findings: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let v = conv::json(findings, "findings")?;
    let findings: Vec<Finding> = serde_json::from_value(v).map_err(|e| {
        conv::value_error(
            "findings",
            format!("findings are not in the contract's Finding shape: {e}"),
        )
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
