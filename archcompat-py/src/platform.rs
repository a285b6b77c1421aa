//! Python functions for the `platform` area of the core: parse, normalise, format as other
//! ecosystems spell it, match (containerd ranking + real verdicts), host detection and
//! named profiles. Shapes are those of the CLI's JSON.

use crate::conv::{err, to_py};
use archcompat::{AliasKind, Host, PROFILES, Platform, match_document, parse_all};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// A platform from a specifier string or a dict in the OCI JSON form.
fn platform_of(obj: &Bound<'_, PyAny>) -> PyResult<Platform> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_str()?.parse::<Platform>().map_err(err);
    }
    let Ok(d) = obj.cast::<PyDict>() else {
        return Err(PyTypeError::new_err(
            "a platform is a string such as \"linux/arm64/v8\" or a dict with \"os\" and \"architecture\"",
        ));
    };
    let get = |k: &str| -> PyResult<Option<String>> {
        match d.get_item(k)? {
            Some(v) if !v.is_none() => Ok(Some(v.extract::<String>()?)),
            _ => Ok(None),
        }
    };
    let os = get("os")?.ok_or_else(|| PyTypeError::new_err("platform dict needs \"os\""))?;
    let architecture = get("architecture")?
        .ok_or_else(|| PyTypeError::new_err("platform dict needs \"architecture\""))?;
    let os_features = match d.get_item("os.features")? {
        Some(v) if !v.is_none() => v.extract::<Vec<String>>()?,
        _ => Vec::new(),
    };
    Ok(Platform {
        os,
        architecture,
        variant: get("variant")?.unwrap_or_default(),
        os_version: get("os.version")?,
        os_features,
    })
}

fn alias_kind(name: &str) -> PyResult<AliasKind> {
    name.parse::<AliasKind>().map_err(err)
}

/// Parse one specifier (with user aliases; `containerd=True` for containerd's exact Parse).
#[pyfunction]
#[pyo3(signature = (spec, containerd = false))]
fn parse_platform(py: Python<'_>, spec: &str, containerd: bool) -> PyResult<Py<PyAny>> {
    let p = if containerd {
        Platform::parse_containerd(spec)
    } else {
        spec.parse::<Platform>()
    }
    .map_err(err)?;
    to_py(py, &p)
}

/// Parse many specifiers: the `platform parse` document (errors are entries, not raised).
#[pyfunction]
#[pyo3(signature = (specs, containerd = false))]
fn parse_platforms(py: Python<'_>, specs: Vec<String>, containerd: bool) -> PyResult<Py<PyAny>> {
    to_py(py, &parse_all(&specs, containerd))
}

/// containerd Normalize of a platform (string or dict).
#[pyfunction]
fn normalize_platform(py: Python<'_>, platform: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    to_py(py, &platform_of(platform)?.normalize())
}

/// Format a platform: `oci` (FormatAll) or another ecosystem's spelling (`uname`, `debian`,
/// `go-env`, `rust-triple`, `rust-triple-musl`, `kubernetes`, `ecs-cpu-architecture`,
/// `lambda-architecture`); None when that ecosystem has no name for it.
#[pyfunction]
#[pyo3(signature = (platform, spelling = "oci"))]
fn format_platform(platform: &Bound<'_, PyAny>, spelling: &str) -> PyResult<Option<String>> {
    let kind = alias_kind(spelling)?;
    Ok(platform_of(platform)?.alias(kind))
}

/// Match candidates against a host (`local`, a platform, or a profile): the `platform match`
/// document.
#[pyfunction]
#[pyo3(signature = (host, candidates, strict = false))]
fn match_platforms(
    py: Python<'_>,
    host: &str,
    candidates: Vec<String>,
    strict: bool,
) -> PyResult<Py<PyAny>> {
    let d = py
        .detach(|| match_document(host, &candidates, strict))
        .map_err(err)?;
    to_py(py, &d)
}

/// How a host runs one platform: `{"runs", "reason"}`.
#[pyfunction]
fn host_runs(py: Python<'_>, host: &str, platform: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let p = platform_of(platform)?;
    let h = py.detach(|| Host::resolve(host)).map_err(err)?;
    to_py(py, &h.runs(&p))
}

/// This machine: the `host` document (uname, cpuinfo, CPUID, page size, binfmt_misc …).
#[pyfunction]
fn detect_host(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let h = py.detach(Host::detect).map_err(err)?;
    to_py(py, &h.report())
}

/// A host from `local`, a platform specifier/alias or a profile name: the `host` document.
#[pyfunction]
fn resolve_host(py: Python<'_>, spec: &str) -> PyResult<Py<PyAny>> {
    let h = py.detach(|| Host::resolve(spec)).map_err(err)?;
    to_py(py, &h.report())
}

/// The named deployment profiles (`host --list-profiles --json`).
#[pyfunction]
fn host_profiles(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py(py, &PROFILES)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse_platform, m)?)?;
    m.add_function(wrap_pyfunction!(parse_platforms, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_platform, m)?)?;
    m.add_function(wrap_pyfunction!(format_platform, m)?)?;
    m.add_function(wrap_pyfunction!(match_platforms, m)?)?;
    m.add_function(wrap_pyfunction!(host_runs, m)?)?;
    m.add_function(wrap_pyfunction!(detect_host, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_host, m)?)?;
    m.add_function(wrap_pyfunction!(host_profiles, m)?)?;
    Ok(())
}
