//! Python functions for Dockerfile lint and rewrites of the user's own input. Shapes are those
//! of the CLI's JSON (`{"findings": [...]}` for lint; a rewrite document for rewrites).

use crate::conv::{self, err, to_py};
use archcompat::{
    Redaction, RewriteOptions, rewrite_command as core_rewrite_command,
    rewrite_compose as core_rewrite_compose, rewrite_dockerfile as core_rewrite_dockerfile,
};
use pyo3::prelude::*;

fn rewrite_options(
    platforms: Vec<String>,
    push: bool,
    lambda_: bool,
    path: Option<String>,
    redaction: Redaction,
) -> PyResult<RewriteOptions> {
    let specs: Vec<&str> = platforms.iter().map(String::as_str).collect();
    let mut o = RewriteOptions::for_platforms(&specs).map_err(err)?;
    o.push = push;
    o.lambda = lambda_;
    o.path = path;
    o.redaction = redaction;
    Ok(o)
}

fn shown_path(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    Ok(conv::opt_path(v, "path")?.map(|p| p.display().to_string()))
}

/// Lint a Dockerfile given as `text` (str or UTF-8 bytes; `path` then only names it) or read
/// from `path` (str or os.PathLike; the build context defaults to its directory). Echoed text
/// is redacted unless `redact=False`.
#[pyfunction]
#[pyo3(signature = (text = None, *, path = None, context = None, redact = None))]
fn lint_dockerfile(
    py: Python<'_>,
    text: Option<&Bound<'_, PyAny>>,
    path: Option<&Bound<'_, PyAny>>,
    context: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = match text {
        Some(t) if !t.is_none() => Some(conv::text_or_bytes(t, "text")?),
        _ => None,
    };
    let path = conv::opt_path(path, "path")?;
    let context = conv::opt_path(context, "context")?;
    if text.is_none() && path.is_none() {
        return Err(conv::value_error(
            "text",
            "lint_dockerfile: give the Dockerfile as text=... or path=...".into(),
        ));
    }
    let redaction = conv::redaction(redact)?;
    let report = py
        .detach(|| archcompat::lint_input(text.as_deref(), path.as_deref(), context, redaction))
        .map_err(err)?;
    to_py(py, &report)
}

/// Rewrite a docker/buildx/compose command line for the target platforms.
#[pyfunction]
#[pyo3(signature = (command, platforms, *, push = None, lambda_ = None, redact = None))]
fn rewrite_command(
    py: Python<'_>,
    command: &Bound<'_, PyAny>,
    platforms: &Bound<'_, PyAny>,
    push: Option<&Bound<'_, PyAny>>,
    lambda_: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let command = conv::text(command, "command")?;
    let o = rewrite_options(
        conv::texts(platforms, "platforms")?,
        conv::flag(push, "push", false)?,
        conv::flag(lambda_, "lambda_", false)?,
        None,
        conv::redaction(redact)?,
    )?;
    to_py(py, &core_rewrite_command(&command, &o).map_err(err)?)
}

/// Add (or correct) `platform:` on compose services (all, or only `services`).
#[pyfunction]
#[pyo3(signature = (text, platform, *, services = None, path = None, redact = None))]
fn rewrite_compose(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    platform: &Bound<'_, PyAny>,
    services: Option<&Bound<'_, PyAny>>,
    path: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = conv::text_or_bytes(text, "text")?;
    let o = rewrite_options(
        vec![conv::text(platform, "platform")?],
        false,
        false,
        shown_path(path)?,
        conv::redaction(redact)?,
    )?;
    let services = conv::opt_texts(services, "services")?.unwrap_or_default();
    to_py(
        py,
        &core_rewrite_compose(&text, &o, &services).map_err(err)?,
    )
}

/// Apply every mechanical fix `lint_dockerfile` knows to a Dockerfile's text.
#[pyfunction]
#[pyo3(signature = (text, *, path = None, redact = None))]
fn rewrite_dockerfile(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    path: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = conv::text_or_bytes(text, "text")?;
    let o = RewriteOptions {
        path: shown_path(path)?,
        redaction: conv::redaction(redact)?,
        ..Default::default()
    };
    to_py(py, &core_rewrite_dockerfile(&text, &o).map_err(err)?)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(lint_dockerfile, m)?)?;
    m.add_function(wrap_pyfunction!(rewrite_command, m)?)?;
    m.add_function(wrap_pyfunction!(rewrite_compose, m)?)?;
    m.add_function(wrap_pyfunction!(rewrite_dockerfile, m)?)?;
    Ok(())
}
