//! Python functions for the `platform` area of the core: parse, normalise, format as other
//! ecosystems spell it, match (containerd ranking + real verdicts), host detection and
//! named profiles. Shapes are those of the CLI's JSON.

use crate::conv::{self, err, to_py};
use archcompat::{AliasKind, Host, PROFILES, Platform, match_document, parse_all};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// A platform from a specifier string or a dict in the OCI JSON form.
fn platform_of(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<Platform> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_str()?.parse::<Platform>().map_err(err);
    }
    if obj.cast::<PyDict>().is_err() {
        return Err(conv::type_error(
            param,
            "a platform str such as \"linux/arm64/v8\" or a dict with \"os\" and \"architecture\"",
            obj,
        ));
    }
    let v = conv::json(obj, param)?;
    for k in v.as_object().into_iter().flat_map(|m| m.keys()) {
        if !["os", "architecture", "variant", "os.version", "os.features"].contains(&k.as_str()) {
            return Err(conv::value_error(
                param,
                format!(
                    "{param}: unknown key {k:?} (a platform dict has \"os\", \"architecture\", \"variant\", \"os.version\", \"os.features\")"
                ),
            ));
        }
    }
    serde_json::from_value::<Platform>(v)
        .map_err(|e| conv::value_error(param, format!("{param} is not an OCI platform: {e}")))
}

/// Parse one specifier (with user aliases; `containerd=True` for containerd's exact Parse).
#[pyfunction]
#[pyo3(signature = (spec, containerd = None))]
fn parse_platform(
    py: Python<'_>,
    spec: &Bound<'_, PyAny>,
    containerd: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let spec = conv::text(spec, "spec")?;
    let p = if conv::flag(containerd, "containerd", false)? {
        Platform::parse_containerd(&spec)
    } else {
        spec.parse::<Platform>()
    }
    .map_err(err)?;
    to_py(py, &p)
}

/// Parse many specifiers: the `platform parse` document (errors are entries, not raised).
#[pyfunction]
#[pyo3(signature = (specs, containerd = None))]
fn parse_platforms(
    py: Python<'_>,
    specs: &Bound<'_, PyAny>,
    containerd: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let specs = conv::texts(specs, "specs")?;
    to_py(
        py,
        &parse_all(&specs, conv::flag(containerd, "containerd", false)?),
    )
}

/// containerd Normalize of a platform (string or dict).
#[pyfunction]
fn normalize_platform(py: Python<'_>, platform: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    to_py(py, &platform_of(platform, "platform")?.normalize())
}

/// Format a platform: `oci` (FormatAll) or another ecosystem's spelling (`uname`, `debian`,
/// `go-env`, `rust-triple`, `rust-triple-musl`, `kubernetes`, `ecs-cpu-architecture`,
/// `lambda-architecture`); None when that ecosystem has no name for it.
#[pyfunction]
#[pyo3(signature = (platform, spelling = None))]
fn format_platform(
    platform: &Bound<'_, PyAny>,
    spelling: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    let spelling = conv::opt_text(spelling, "spelling")?.unwrap_or_else(|| "oci".into());
    let kind = spelling.parse::<AliasKind>().map_err(err)?;
    Ok(platform_of(platform, "platform")?.alias(kind))
}

/// Match candidates against a host (`local`, a platform, or a profile): the `platform match`
/// document.
#[pyfunction]
#[pyo3(signature = (host, candidates, strict = None))]
fn match_platforms(
    py: Python<'_>,
    host: &Bound<'_, PyAny>,
    candidates: &Bound<'_, PyAny>,
    strict: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let host = conv::text(host, "host")?;
    let candidates = conv::texts(candidates, "candidates")?;
    let strict = conv::flag(strict, "strict", false)?;
    let d = py
        .detach(|| match_document(&host, &candidates, strict))
        .map_err(err)?;
    to_py(py, &d)
}

/// How a host runs one platform: `{"runs", "reason"}`.
#[pyfunction]
fn host_runs(
    py: Python<'_>,
    host: &Bound<'_, PyAny>,
    platform: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let host = conv::text(host, "host")?;
    let p = platform_of(platform, "platform")?;
    let h = py.detach(|| Host::resolve(&host)).map_err(err)?;
    to_py(py, &h.runs(&p))
}

/// This machine: the `host` document (uname, cpuinfo, CPUID, page size, binfmt_misc …),
/// detected once per process.
#[pyfunction]
fn detect_host(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let h = py.detach(Host::local).map_err(err)?;
    to_py(py, &h.report())
}

/// A host from `local`, a platform specifier/alias or a profile name: the `host` document.
#[pyfunction]
fn resolve_host(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let spec = conv::text(spec, "spec")?;
    let h = py.detach(|| Host::resolve(&spec)).map_err(err)?;
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
