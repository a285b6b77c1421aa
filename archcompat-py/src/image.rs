//! Python functions for the `image` area of the core: `image(source, host=None, …)` returns the
//! same dict as `archcompat image --json`. The GIL is released while the image is read.

use crate::conv;
use archcompat::{Host, LimitOverrides, Options};
use pyo3::prelude::*;

/// Will the image at `source` run on `host`? `source` is an OCI layout dir (`oci:DIR[:TAG]`),
/// an OCI/docker-save tarball, an index/manifest/config/inspect JSON file (str or
/// os.PathLike), or `docker://HOST/REPO:TAG`; `host` a platform, alias or profile (default:
/// this machine).
#[pyfunction]
#[pyo3(signature = (source, host=None, *, insecure=None, max_bytes=None, max_entries=None, max_json_bytes=None, max_file_read=None, max_link_hops=None, registry_timeout=None, registry_min_rate=None, registry_grace=None, redact=None))]
#[allow(clippy::too_many_arguments)]
fn image(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    insecure: Option<&Bound<'_, PyAny>>,
    max_bytes: Option<&Bound<'_, PyAny>>,
    max_entries: Option<&Bound<'_, PyAny>>,
    max_json_bytes: Option<&Bound<'_, PyAny>>,
    max_file_read: Option<&Bound<'_, PyAny>>,
    max_link_hops: Option<&Bound<'_, PyAny>>,
    registry_timeout: Option<&Bound<'_, PyAny>>,
    registry_min_rate: Option<&Bound<'_, PyAny>>,
    registry_grace: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let source = conv::source(source, "source")?;
    let spec = conv::opt_text(host, "host")?.unwrap_or_else(|| "local".into());
    let base = conv::image_limits(
        max_bytes,
        max_entries,
        max_json_bytes,
        max_file_read,
        max_link_hops,
    )?;
    let limits = LimitOverrides {
        registry_timeout: conv::count(registry_timeout, "registry_timeout", u64::MAX)?,
        registry_min_rate: conv::count(registry_min_rate, "registry_min_rate", u64::MAX)?,
        registry_grace: conv::count(registry_grace, "registry_grace", u64::MAX)?,
        ..base
    }
    .limits();
    let opts = Options {
        limits,
        insecure: conv::flag(insecure, "insecure", false)?,
        progress: None,
        threads: 0,
        redaction: conv::redaction(redact)?,
    };
    let report = py
        .detach(move || {
            let host = Host::resolve(&spec)?;
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
