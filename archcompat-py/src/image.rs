//! Python functions for the `image` area of the core: `image(source, host=None, …)` returns the
//! same dict as `archcompat image --json`. The GIL is released while the image is read.

use crate::conv;
use archcompat::image::{Limits, Options};
use archcompat::platform::Host;
use pyo3::prelude::*;

/// Will the image at `source` run on `host`? `source` is an OCI layout dir (`oci:DIR[:TAG]`),
/// an OCI/docker-save tarball, an index/manifest/config/inspect JSON file, or
/// `docker://HOST/REPO:TAG`; `host` a platform, alias or profile (default: this machine).
#[pyfunction]
#[pyo3(signature = (source, host=None, *, insecure=false, max_bytes=None, max_entries=None, max_json_bytes=None, max_file_read=None, max_link_hops=None, redact=true))]
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
    redact: bool,
) -> PyResult<Py<PyAny>> {
    let spec = host.unwrap_or("local").to_string();
    let source = source.to_string();
    let report = py
        .detach(move || {
            let host = Host::resolve(&spec)?;
            let mut limits = Limits::default();
            if let Some(v) = max_bytes {
                limits.max_bytes = v;
            }
            if let Some(v) = max_entries {
                limits.max_entries = v;
            }
            if let Some(v) = max_json_bytes {
                limits.json.max_bytes = v;
            }
            if let Some(v) = max_file_read {
                limits.max_file_read = v.max(64);
            }
            if let Some(v) = max_link_hops {
                limits.max_link_hops = v;
            }
            let opts = Options {
                limits,
                insecure,
                progress: None,
                threads: 0,
                redaction: archcompat::redact::Redaction::from_flag(redact),
            };
            archcompat::check::image::check_image(&source, &host, &opts)
        })
        .map_err(conv::err)?;
    conv::to_py(py, &report)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(image, m)?)?;
    Ok(())
}
