//! Python functions for the `binary` area of the core: `inspect(path_or_paths, host=None)`
//! returns the entries of `archcompat inspect --json` (the GIL is released while files are
//! read); `classify_bytes(data, host=None, file_len=None)` classifies in-memory bytes.

use crate::conv;
use archcompat::{Host, InspectEntry, inspect_bytes, inspect_path_with};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Classify files and list what would make exec fail on `host` (platform, alias, profile or
/// `"local"`, the default). A single path gives one dict; a list gives a list of dicts.
#[pyfunction]
#[pyo3(signature = (paths, host=None, *, redact=true))]
fn inspect(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    host: Option<&str>,
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let redaction = archcompat::redact::Redaction::from_flag(redact);
    let single = paths.extract::<PathBuf>().ok();
    let list: Vec<PathBuf> = match &single {
        Some(p) => vec![p.clone()],
        None => paths.extract()?,
    };
    let spec = host.unwrap_or("local").to_string();
    let entries = py
        .detach(move || -> archcompat::Result<Vec<InspectEntry>> {
            let host = Host::resolve(&spec)?;
            list.iter()
                .map(|p| inspect_path_with(p, &host, redaction))
                .collect()
        })
        .map_err(conv::err)?;
    match single {
        Some(_) => conv::to_py(py, &entries[0]),
        None => conv::to_py(py, &entries),
    }
}

/// Classify `data` (a file's first bytes; the whole file unless `file_len` says it is longer)
/// and list the problems on `host` (default: this machine). `path` in the result is `<bytes>`.
#[pyfunction]
#[pyo3(signature = (data, host=None, file_len=None))]
fn classify_bytes(
    py: Python<'_>,
    data: &[u8],
    host: Option<&str>,
    file_len: Option<u64>,
) -> PyResult<Py<PyAny>> {
    let host = Host::resolve(host.unwrap_or("local")).map_err(conv::err)?;
    let entry = inspect_bytes(data, file_len.unwrap_or(data.len() as u64), &host);
    conv::to_py(py, &entry)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(inspect, m)?)?;
    m.add_function(wrap_pyfunction!(classify_bytes, m)?)?;
    Ok(())
}
