//! Python functions for Dockerfile lint and rewrites of the user's own input. Shapes are those
//! of the CLI's JSON (`{"findings": [...]}` for lint; a rewrite document for rewrites).

use crate::conv::{err, to_py};
use archcompat::{
    Redaction, RewriteOptions, rewrite_command as core_rewrite_command,
    rewrite_compose as core_rewrite_compose, rewrite_dockerfile as core_rewrite_dockerfile,
};
use pyo3::prelude::*;
use std::path::PathBuf;

fn rewrite_options(
    platforms: Vec<String>,
    push: bool,
    lambda_: bool,
    path: Option<String>,
    redact: bool,
) -> PyResult<RewriteOptions> {
    let specs: Vec<&str> = platforms.iter().map(String::as_str).collect();
    let mut o = RewriteOptions::for_platforms(&specs).map_err(err)?;
    o.push = push;
    o.lambda = lambda_;
    o.path = path;
    o.redaction = Redaction::from_flag(redact);
    Ok(o)
}

/// Lint a Dockerfile given as `text` or read from `path` (context defaults to its directory).
/// Echoed text is redacted unless `redact=False`.
#[pyfunction]
#[pyo3(signature = (text = None, *, path = None, context = None, redact = true))]
fn lint_dockerfile(
    py: Python<'_>,
    text: Option<String>,
    path: Option<PathBuf>,
    context: Option<PathBuf>,
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let report = py
        .detach(|| {
            archcompat::lint_input(
                text.as_deref(),
                path.as_deref(),
                context,
                archcompat::Redaction::from_flag(redact),
            )
        })
        .map_err(err)?;
    to_py(py, &report)
}

/// Rewrite a docker/buildx/compose command line for the target platforms.
#[pyfunction]
#[pyo3(signature = (command, platforms, *, push = false, lambda_ = false, redact = true))]
fn rewrite_command(
    py: Python<'_>,
    command: &str,
    platforms: Vec<String>,
    push: bool,
    lambda_: bool,
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let o = rewrite_options(platforms, push, lambda_, None, redact)?;
    to_py(py, &core_rewrite_command(command, &o).map_err(err)?)
}

/// Add (or correct) `platform:` on compose services (all, or only `services`).
#[pyfunction]
#[pyo3(signature = (text, platform, *, services = None, path = None, redact = true))]
fn rewrite_compose(
    py: Python<'_>,
    text: &str,
    platform: String,
    services: Option<Vec<String>>,
    path: Option<String>,
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let o = rewrite_options(vec![platform], false, false, path, redact)?;
    to_py(
        py,
        &core_rewrite_compose(text, &o, &services.unwrap_or_default()).map_err(err)?,
    )
}

/// Apply every mechanical fix `lint_dockerfile` knows to a Dockerfile's text.
#[pyfunction]
#[pyo3(signature = (text, *, path = None, redact = true))]
fn rewrite_dockerfile(
    py: Python<'_>,
    text: &str,
    path: Option<String>,
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let o = RewriteOptions {
        path,
        redaction: Redaction::from_flag(redact),
        ..Default::default()
    };
    to_py(py, &core_rewrite_dockerfile(text, &o).map_err(err)?)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(lint_dockerfile, m)?)?;
    m.add_function(wrap_pyfunction!(rewrite_command, m)?)?;
    m.add_function(wrap_pyfunction!(rewrite_compose, m)?)?;
    m.add_function(wrap_pyfunction!(rewrite_dockerfile, m)?)?;
    Ok(())
}
