//! Python functions for the `binary` area of the core: `inspect(path_or_paths, host=None)`
//! returns the entries of `archcompat inspect --json` (the GIL is released while files are
//! read; a sequence gives one result per path, a failure as `{"path", "error"}`, each turned
//! into a dict while the core's workers go on reading the next files);
//! `classify_bytes(data, host=None, file_len=None)` classifies in-memory bytes.

use crate::conv;
use archcompat::{FrontDoor, inspect_bytes, inspect_outcomes_each, inspect_path_with};
use pyo3::prelude::*;
use pyo3::types::PyList;

/// Classify files and list what would make exec fail on `host` (platform, alias, profile or
/// `"local"`, the default). One path (str or os.PathLike) gives one dict and raises when the
/// file cannot be read; a sequence gives a list with one dict per path, an unreadable one as
/// `{"path": ..., "error": {"kind", "message", "errno"?}}`.
#[pyfunction]
#[pyo3(signature = (paths, host=None, *, redact=None))]
fn inspect(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let redaction = conv::redaction(redact)?;
    let (list, single) = conv::paths(paths, "paths")?;
    let spec = conv::opt_text(host, "host")?.unwrap_or_else(|| "local".into());
    // One release of the GIL per call: the host and the files are resolved and read together.
    if single {
        let e = py
            .detach(|| inspect_path_with(&list[0], &*conv::host(&spec)?, redaction))
            .map_err(conv::err)?;
        return conv::to_py(py, &e);
    }
    // The results reach this thread in order while the workers read on; they are turned
    // into dicts in batches, each under the GIL, alongside the reading.
    const BATCH: usize = 64;
    let out = PyList::empty(py).unbind();
    let converted = py
        .detach(|| -> archcompat::Result<PyResult<()>> {
            let host = conv::host(&spec)?;
            let mut pending = Vec::with_capacity(BATCH);
            let mut status = Ok(());
            let flush = |pending: &mut Vec<_>, status: &mut PyResult<()>| {
                Python::attach(|py| {
                    let out = out.bind(py);
                    for o in pending.drain(..) {
                        if status.is_ok() {
                            *status = conv::to_py(py, &o).and_then(|v| out.append(v));
                        }
                    }
                })
            };
            inspect_outcomes_each(&list, &host, redaction, FrontDoor::Python, |o| {
                pending.push(o);
                if pending.len() == BATCH {
                    flush(&mut pending, &mut status);
                }
            });
            flush(&mut pending, &mut status);
            Ok(status)
        })
        .map_err(conv::err)?;
    converted?;
    Ok(out.into_any())
}

/// Classify `data` (a file's first bytes: `bytes`, `bytearray` or `memoryview`; the whole file
/// unless `file_len` says it is longer) and list the problems on `host` (default: this
/// machine). `path` in the result is `<bytes>`.
#[pyfunction]
#[pyo3(signature = (data, host=None, file_len=None))]
fn classify_bytes(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    file_len: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let data = conv::bytes(data, "data")?;
    let spec = conv::opt_text(host, "host")?.unwrap_or_else(|| "local".into());
    let file_len = conv::count(file_len, "file_len", u64::MAX)?;
    let entry = py.detach(|| -> archcompat::Result<_> {
        let host = conv::host(&spec)?;
        Ok(inspect_bytes(
            &data,
            file_len.unwrap_or(data.len() as u64).max(data.len() as u64),
            &host,
        ))
    });
    conv::to_py(py, &entry.map_err(conv::err)?)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(inspect, m)?)?;
    m.add_function(wrap_pyfunction!(classify_bytes, m)?)?;
    Ok(())
}
