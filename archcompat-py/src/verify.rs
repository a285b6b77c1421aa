//! Python functions for `image --verify` and `audit`: `verify_image(source, host, …)` returns
//! the dict of `archcompat image --verify --json`; `audit(source, targets, …)` and
//! `audit_merge(paths)` the dict of `archcompat audit --json` (optionally writing the HTML
//! report). The GIL is released while they run.

use crate::conv;
use archcompat::audit::{AuditOptions, AuditReport};
use archcompat::image::Options;
use archcompat::platform::Host;
use archcompat::verify::VerifyOptions;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::time::Duration;

/// Check `source` for `host`, then start its entrypoint in a bwrap sandbox (under
/// qemu-user-static when the image is not for this machine) and report what happened under
/// the key `verify`. `command` replaces the image's CMD (ENTRYPOINT is kept).
#[pyfunction]
#[pyo3(signature = (source, host=None, *, command=None, timeout=5.0, emulator_dir=None, insecure=false))]
fn verify_image(
    py: Python<'_>,
    source: &str,
    host: Option<&str>,
    command: Option<Vec<String>>,
    timeout: f64,
    emulator_dir: Option<PathBuf>,
    insecure: bool,
) -> PyResult<Py<PyAny>> {
    let spec = host.unwrap_or("local").to_string();
    let source = source.to_string();
    let r = py
        .detach(move || {
            if !(timeout.is_finite() && timeout > 0.0) {
                return Err(archcompat::Error::Unsupported {
                    input: format!("timeout={timeout}"),
                    reason: "the time limit must be a positive number of seconds".into(),
                });
            }
            let host = Host::resolve(&spec)?;
            let opts = Options {
                insecure,
                ..Options::default()
            };
            let v = VerifyOptions {
                timeout: Duration::from_secs_f64(timeout.min(3600.0)),
                command,
                emulator_dir,
                bwrap: None,
            };
            archcompat::verify::verify_image(&source, &host, &opts, &v)
        })
        .map_err(conv::err)?;
    conv::to_py(py, &r)
}

fn write_html(r: &AuditReport, html: Option<PathBuf>) -> archcompat::Result<()> {
    if let Some(h) = html {
        std::fs::write(&h, archcompat::audit::html(r)).map_err(|e| archcompat::Error::io(&h, e))?;
    }
    Ok(())
}

/// Audit `source` (`docker://HOST[/PREFIX]`, a file of references or a folder of OCI layouts)
/// against `targets` (platforms, aliases or profiles). `state` resumes an interrupted audit;
/// `html` also writes the self-contained HTML report there.
#[pyfunction]
#[pyo3(signature = (source, targets, *, deep=false, jobs=8, page_size=100, state=None, html=None, insecure=false))]
#[allow(clippy::too_many_arguments)]
fn audit(
    py: Python<'_>,
    source: &str,
    targets: Vec<String>,
    deep: bool,
    jobs: usize,
    page_size: usize,
    state: Option<PathBuf>,
    html: Option<PathBuf>,
    insecure: bool,
) -> PyResult<Py<PyAny>> {
    let source = source.to_string();
    let r = py
        .detach(move || {
            let opts = AuditOptions {
                targets: archcompat::audit::parse_targets(&targets)?,
                deep,
                jobs: jobs.max(1),
                page_size: page_size.max(1),
                state,
                image: Options {
                    insecure,
                    threads: 1,
                    ..Options::default()
                },
                progress: None,
            };
            let r = archcompat::audit::audit(&source, &opts)?;
            write_html(&r, html)?;
            Ok::<_, archcompat::Error>(r)
        })
        .map_err(conv::err)?;
    conv::to_py(py, &r)
}

/// Join the JSON outputs of partial audits (files written from `audit --json`).
#[pyfunction]
#[pyo3(signature = (paths, *, html=None))]
fn audit_merge(py: Python<'_>, paths: Vec<PathBuf>, html: Option<PathBuf>) -> PyResult<Py<PyAny>> {
    let r = py
        .detach(move || {
            let parts = paths
                .iter()
                .map(|p| archcompat::audit::read_report(p))
                .collect::<archcompat::Result<Vec<_>>>()?;
            let r = archcompat::audit::merge(parts)?;
            write_html(&r, html)?;
            Ok::<_, archcompat::Error>(r)
        })
        .map_err(conv::err)?;
    conv::to_py(py, &r)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify_image, m)?)?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(audit_merge, m)?)?;
    Ok(())
}
