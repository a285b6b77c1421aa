//! Python functions for `image --verify` and `audit`: `verify_image(source, host, …)` returns
//! the dict of `archcompat image --verify --json`; `audit(source, targets, …)` and
//! `audit_merge(paths)` the dict of `archcompat audit --json` (optionally writing the HTML
//! report). The GIL is released while they run.

use crate::conv;
use archcompat::{AuditOptions, Host, Options, VerifyOptions};
use pyo3::prelude::*;
use std::time::Duration;

/// Check `source` for `host`, then start its entrypoint in a bwrap sandbox (under
/// qemu-user-static when the image is not for this machine) and report what happened under
/// the key `verify`. `command` replaces the image's CMD (ENTRYPOINT is kept).
#[pyfunction]
#[pyo3(signature = (source, host=None, *, command=None, timeout=None, emulator_dir=None, insecure=None))]
fn verify_image(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    command: Option<&Bound<'_, PyAny>>,
    timeout: Option<&Bound<'_, PyAny>>,
    emulator_dir: Option<&Bound<'_, PyAny>>,
    insecure: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let source = conv::source(source, "source")?;
    let spec = conv::opt_text(host, "host")?.unwrap_or_else(|| "local".into());
    let opts = Options {
        insecure: conv::flag(insecure, "insecure", false)?,
        ..Options::default()
    };
    let v = VerifyOptions {
        timeout: Duration::from_secs_f64(conv::seconds(timeout, "timeout", 5.0)?.min(3600.0)),
        command: conv::opt_texts(command, "command")?,
        emulator_dir: conv::opt_path(emulator_dir, "emulator_dir")?,
        bwrap: None,
    };
    let r = py
        .detach(move || {
            let host = Host::resolve(&spec)?;
            archcompat::verify_image(&source, &host, &opts, &v)
        })
        .map_err(conv::err)?;
    conv::to_py(py, &r)
}

/// Audit `source` (`docker://HOST[/PREFIX]`, a file of references or a folder of OCI layouts)
/// against `targets` (platforms, aliases or profiles). `state` resumes an interrupted audit;
/// `html` also writes the self-contained HTML report there.
#[pyfunction]
#[pyo3(signature = (source, targets, *, deep=None, jobs=None, page_size=None, state=None, html=None, insecure=None))]
#[allow(clippy::too_many_arguments)]
fn audit(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    targets: &Bound<'_, PyAny>,
    deep: Option<&Bound<'_, PyAny>>,
    jobs: Option<&Bound<'_, PyAny>>,
    page_size: Option<&Bound<'_, PyAny>>,
    state: Option<&Bound<'_, PyAny>>,
    html: Option<&Bound<'_, PyAny>>,
    insecure: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let source = conv::source(source, "source")?;
    let targets = conv::texts(targets, "targets")?;
    let deep = conv::flag(deep, "deep", false)?;
    let jobs = conv::count(jobs, "jobs", 1024)?.unwrap_or(8).max(1) as usize;
    let page_size = conv::count(page_size, "page_size", 10_000)?
        .unwrap_or(100)
        .max(1) as usize;
    let state = conv::opt_path(state, "state")?;
    let html = conv::opt_path(html, "html")?;
    let insecure = conv::flag(insecure, "insecure", false)?;
    let r = py
        .detach(move || {
            let opts = AuditOptions {
                targets: archcompat::parse_audit_targets(&targets)?,
                deep,
                jobs,
                page_size,
                state,
                image: Options {
                    insecure,
                    threads: 1,
                    ..Options::default()
                },
                progress: None,
            };
            archcompat::audit_report(&source, &opts, html.as_deref())
        })
        .map_err(conv::err)?;
    conv::to_py(py, &r)
}

/// Join the JSON outputs of partial audits (files written from `audit --json`).
#[pyfunction]
#[pyo3(signature = (paths, *, html=None))]
fn audit_merge(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    html: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let (paths, _) = conv::paths(paths, "paths")?;
    let html = conv::opt_path(html, "html")?;
    let r = py
        .detach(move || archcompat::audit_merge_files(&paths, html.as_deref()))
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
