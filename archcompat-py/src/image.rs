//! Python functions for the `image` area of the core: `image(source, host=None, …)` returns the
//! same dict as `archcompat image --json`. The GIL is released while the image is read.

use crate::conv;
use archcompat::{Host, LimitOverrides, Options};
use pyo3::prelude::*;

/// Will the image at `source` run on `host`? `source` is an OCI layout dir (`oci:DIR[:TAG]`),
/// an OCI/docker-save tarball, an index/manifest/config/inspect JSON file, or
/// `docker://HOST/REPO:TAG`; `host` a platform, alias or profile (default: this machine).
#[pyfunction]
#[pyo3(signature = (source, host=None, *, insecure=false, max_bytes=None, max_entries=None, max_json_bytes=None, max_file_read=None, max_link_hops=None, registry_timeout=None, registry_min_rate=None, registry_grace=None, redact=true))]
#[allow(clippy::too_many_arguments)]
fn image(
    py: Python<'_>,
    source: &str,
    host: Option<&str>,
    insecure: bool,
    max_bytes: Option<u64>,
    max_entries: Option<u64>,
    max_json_bytes: Option<u64>,
    max_file_read: Option<u64>,
    max_link_hops: Option<u32>,
    registry_timeout: Option<u64>,
    registry_min_rate: Option<u64>,
    registry_grace: Option<u64>,
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let spec = host.unwrap_or("local").to_string();
    let source = source.to_string();
    let report = py
        .detach(move || {
            let host = Host::resolve(&spec)?;
            let limits = LimitOverrides {
                max_bytes,
                max_entries,
                max_json_bytes,
                max_file_read,
                max_link_hops,
                registry_timeout,
                registry_min_rate,
                registry_grace,
            }
            .limits();
            let opts = Options {
                limits,
                insecure,
                progress: None,
                threads: 0,
                redaction: archcompat::redact::Redaction::from_flag(redact),
            };
            archcompat::check_image(&source, &host, &opts)
        })
        .map_err(conv::err)?;
    conv::to_py(py, &report)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(image, m)?)?;
    Ok(())
}
