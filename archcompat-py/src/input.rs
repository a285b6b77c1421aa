//! Python functions for what the web page does with a pasted text or a dropped file, from
//! Python: `detect_input(text)` (the input kind), `redact_report(text, …)` (redacted text and
//! counts by kind), `inspect_bytes(data, …)` (a named file's bytes judged for a host, with the
//! redaction switch) and `image_bytes(data, …)` (a `docker save`/OCI archive in memory). Each
//! returns what `archcompat detect|redact|inspect|image --json` prints; the GIL is released
//! while the core works.

use crate::conv;
use archcompat::{Host, Options, RedactOptions};
use pyo3::prelude::*;

/// What a text is: `"dockerfile"`, `"command"`, `"compose"` or `"log"` (`archcompat detect`).
#[pyfunction]
fn detect_input(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let text = conv::text_or_bytes(text, "text")?;
    let kind = py.detach(|| archcompat::detect_input(&text));
    conv::to_py(py, &kind)
}

/// `text` with secrets replaced, and how many of each kind (`{"text", "counts", "total"}`, as
/// `archcompat redact --json` prints it).
#[pyfunction]
#[pyo3(signature = (text, *, account_ids=None, high_entropy=None))]
fn redact_report(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    account_ids: Option<&Bound<'_, PyAny>>,
    high_entropy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = conv::text_or_bytes(text, "text")?;
    let opts = RedactOptions {
        account_ids: conv::flag(account_ids, "account_ids", true)?,
        high_entropy: conv::flag(high_entropy, "high_entropy", true)?,
    };
    let r = py.detach(|| archcompat::redact_report(&text, &opts));
    conv::to_py(py, &r)
}

/// The entry `archcompat inspect --json` prints for a file called `name` whose bytes (or first
/// bytes, when `file_len` says the file is longer) are `data`, judged for `host` (default:
/// this machine); echoed text redacted unless `redact=False`.
#[pyfunction]
#[pyo3(signature = (data, *, name=None, host=None, file_len=None, redact=None))]
fn inspect_bytes(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    name: Option<&Bound<'_, PyAny>>,
    host: Option<&Bound<'_, PyAny>>,
    file_len: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let data = conv::bytes(data, "data")?;
    let name = conv::opt_text(name, "name")?.unwrap_or_else(|| "<bytes>".into());
    let spec = conv::opt_text(host, "host")?.unwrap_or_else(|| "local".into());
    let file_len = conv::count(file_len, "file_len", u64::MAX)?;
    let redaction = conv::redaction(redact)?;
    let entry = py.detach(|| -> archcompat::Result<_> {
        let host = conv::host(&spec)?;
        let len = file_len.unwrap_or(data.len() as u64).max(data.len() as u64);
        Ok(archcompat::inspect_bytes_with(
            &data, len, &name, &host, redaction,
        ))
    });
    conv::to_py(py, &entry.map_err(conv::err)?)
}

/// Will the image in the `docker save` or OCI archive `data` (bytes, bytearray, memoryview)
/// run on `host`? The report `archcompat image --json` prints, with `name` (default `-`, as
/// for standard input) as its source; `tag` chooses an image when the archive holds several.
/// The archive is read in place, within the same limits as `image()`.
#[pyfunction]
#[pyo3(signature = (data, host=None, *, name=None, tag=None, max_bytes=None, max_entries=None, max_json_bytes=None, max_file_read=None, max_link_hops=None, redact=None))]
#[allow(clippy::too_many_arguments)]
fn image_bytes(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    name: Option<&Bound<'_, PyAny>>,
    tag: Option<&Bound<'_, PyAny>>,
    max_bytes: Option<&Bound<'_, PyAny>>,
    max_entries: Option<&Bound<'_, PyAny>>,
    max_json_bytes: Option<&Bound<'_, PyAny>>,
    max_file_read: Option<&Bound<'_, PyAny>>,
    max_link_hops: Option<&Bound<'_, PyAny>>,
    redact: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let data = conv::bytes(data, "data")?;
    let spec = conv::opt_text(host, "host")?.unwrap_or_else(|| "local".into());
    let name = conv::opt_text(name, "name")?.unwrap_or_else(|| "-".into());
    let tag = conv::opt_text(tag, "tag")?;
    let limits = conv::image_limits(
        max_bytes,
        max_entries,
        max_json_bytes,
        max_file_read,
        max_link_hops,
    )?
    .limits();
    let opts = Options {
        limits,
        insecure: false,
        progress: None,
        threads: 0,
        redaction: conv::redaction(redact)?,
    };
    let report = py
        .detach(move || {
            let host = Host::resolve(&spec)?;
            archcompat::check_image_reader(
                Box::new(std::io::Cursor::new(data)),
                &name,
                tag.as_deref(),
                &host,
                &opts,
            )
        })
        .map_err(conv::err)?;
    conv::to_py(py, &report)
}

/// Add this area's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(detect_input, m)?)?;
    m.add_function(wrap_pyfunction!(redact_report, m)?)?;
    m.add_function(wrap_pyfunction!(inspect_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(image_bytes, m)?)?;
    Ok(())
}
