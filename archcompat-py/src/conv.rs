//! Conversions shared by every binding function, in one place: Python arguments in (with
//! errors that name the parameter in Python terms), serde values out (dicts/lists shaped like
//! the CLI's JSON), and core errors to the `ArchcompatError` hierarchy of
//! `archcompat/_errors.py`.

use archcompat::{Error, ErrorKind, FrontDoor, Host, LimitOverrides, Redaction};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyMemoryView, PyModule, PyString, PyType,
};
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception class `name` of `archcompat._errors`.
fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let m = ERRORS.get_or_try_init(py, || py.import("archcompat._errors").map(Bound::unbind))?;
    Ok(m.bind(py).getattr(name)?.cast_into::<PyType>()?)
}

fn raise(name: &str, message: String, kwargs: &[(&str, Option<Py<PyAny>>)]) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let cls = class(py, name)?;
            let kw = PyDict::new(py);
            for (k, v) in kwargs {
                kw.set_item(k, v.as_ref().map(|v| v.bind(py)))?;
            }
            Ok(PyErr::from_value(cls.call((message.clone(),), Some(&kw))?))
        };
        build().unwrap_or_else(|e| e)
    })
}

/// Map a core error to its Python exception: the one table from the core's error kinds to the
/// classes, with the attributes each carries (`kind`, `input`; `errno`/`filename` for files,
/// `limit` for limits). The message names the binding's keyword arguments, not CLI flags.
pub fn err(e: Error) -> PyErr {
    let message = e.message_for(FrontDoor::Python);
    let input = Some(e.input());
    let kind = e.kind();
    let class = match kind {
        ErrorKind::Io => "FileError",
        ErrorKind::InvalidPlatform => "InvalidPlatformError",
        ErrorKind::Malformed => "MalformedInputError",
        ErrorKind::LimitExceeded => "LimitError",
        ErrorKind::Registry => "RegistryError",
        _ => "UnsupportedInputError",
    };
    Python::attach(|py| {
        let s = |v: String| Some(PyString::new(py, &v).into_any().unbind());
        let mut kw = vec![
            ("kind", s(kind.as_str().to_string())),
            ("input", input.and_then(s)),
        ];
        match kind {
            ErrorKind::Io => kw.push((
                "errno",
                e.errno()
                    .and_then(|n| n.into_pyobject(py).ok())
                    .map(|n| n.into_any().unbind()),
            )),
            ErrorKind::LimitExceeded => kw.push((
                "limit",
                e.limit()
                    .and_then(|l| s(l.name(FrontDoor::Python).to_string())),
            )),
            _ => {}
        }
        raise(class, message, &kw)
    })
}

/// `ArgumentTypeError` (an `ArchcompatError` and a `TypeError`): `param` must be `expected`.
pub fn type_error(param: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let got = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    let param_obj = Python::attach(|py| Some(PyString::new(py, param).into_any().unbind()));
    raise(
        "ArgumentTypeError",
        format!("{param} must be {expected}, not {got}"),
        &[("param", param_obj)],
    )
}

/// `InputError` (an `ArchcompatError` and a `ValueError`) for a bad value of `param`.
pub fn value_error(param: &str, message: String) -> PyErr {
    Python::attach(|py| {
        let s = |v: &str| Some(PyString::new(py, v).into_any().unbind());
        raise(
            "InputError",
            message,
            &[("kind", s("argument")), ("param", s(param))],
        )
    })
}

/// A `str` argument.
pub fn text(v: &Bound<'_, PyAny>, param: &str) -> PyResult<String> {
    match v.cast::<PyString>() {
        Ok(s) => Ok(s.to_str()?.to_owned()),
        Err(_) => Err(type_error(param, "a str", v)),
    }
}

/// An optional `str` argument (None = absent).
pub fn opt_text(v: Option<&Bound<'_, PyAny>>, param: &str) -> PyResult<Option<String>> {
    match v {
        Some(v) if !v.is_none() => text(v, param).map(Some),
        _ => Ok(None),
    }
}

/// Text given as `str` or as UTF-8 bytes (any buffer: `bytes`, `bytearray`, `memoryview`).
pub fn text_or_bytes(v: &Bound<'_, PyAny>, param: &str) -> PyResult<String> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    let b = buffer(v, param, "a str or bytes-like object")?;
    String::from_utf8(b).map_err(|e| {
        value_error(
            param,
            format!(
                "{param} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Bytes from `bytes`, `bytearray` or `memoryview` (any object with the buffer protocol that
/// `bytes()` accepts).
pub fn bytes(v: &Bound<'_, PyAny>, param: &str) -> PyResult<Vec<u8>> {
    buffer(
        v,
        param,
        "a bytes-like object (bytes, bytearray, memoryview)",
    )
}

fn buffer(v: &Bound<'_, PyAny>, param: &str, expected: &str) -> PyResult<Vec<u8>> {
    if let Ok(b) = v.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = v.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if v.cast::<PyMemoryView>().is_ok() {
        let b = v
            .py()
            .get_type::<PyBytes>()
            .call1((v,))
            .map_err(|_| type_error(param, expected, v))?;
        return Ok(b.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    Err(type_error(param, expected, v))
}

/// The host of `spec`, shared with earlier calls (`Host::resolve_shared`: resolving it cost
/// about a microsecond of every `inspect(path)` call). Call it with the GIL released.
pub fn host(spec: &str) -> archcompat::Result<Arc<Host>> {
    Host::resolve_shared(spec)
}

/// A path: `str` or any `os.PathLike` (`pathlib.Path` …).
pub fn path(v: &Bound<'_, PyAny>, param: &str) -> PyResult<PathBuf> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(PathBuf::from(s.to_str()?));
    }
    if v.hasattr("__fspath__")? {
        return v
            .extract::<PathBuf>()
            .map_err(|_| type_error(param, "a str or os.PathLike", v));
    }
    Err(type_error(param, "a str or os.PathLike", v))
}

/// An optional path (None = absent).
pub fn opt_path(v: Option<&Bound<'_, PyAny>>, param: &str) -> PyResult<Option<PathBuf>> {
    match v {
        Some(v) if !v.is_none() => path(v, param).map(Some),
        _ => Ok(None),
    }
}

/// Is this a sequence of items (list, tuple …) rather than one str/bytes/path?
fn is_sequence(v: &Bound<'_, PyAny>) -> bool {
    v.cast::<PyString>().is_err()
        && v.cast::<PyBytes>().is_err()
        && !v.hasattr("__fspath__").unwrap_or(false)
        && v.hasattr("__len__").unwrap_or(false)
        && v.hasattr("__getitem__").unwrap_or(false)
}

fn items<'py>(v: &Bound<'py, PyAny>, param: &str, of: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if !is_sequence(v) {
        return Err(type_error(param, &format!("a sequence of {of}"), v));
    }
    v.try_iter()
        .map_err(|_| type_error(param, &format!("a sequence of {of}"), v))?
        .collect()
}

/// A sequence (list, tuple …) of `str`; a single `str` is refused, not split into letters.
pub fn texts(v: &Bound<'_, PyAny>, param: &str) -> PyResult<Vec<String>> {
    items(v, param, "str")?
        .iter()
        .enumerate()
        .map(|(i, x)| text(x, &format!("{param}[{i}]")))
        .collect()
}

/// An optional sequence of `str`.
pub fn opt_texts(v: Option<&Bound<'_, PyAny>>, param: &str) -> PyResult<Option<Vec<String>>> {
    match v {
        Some(v) if !v.is_none() => texts(v, param).map(Some),
        _ => Ok(None),
    }
}

/// One path, or a sequence of paths: `(paths, was_single)`.
pub fn paths(v: &Bound<'_, PyAny>, param: &str) -> PyResult<(Vec<PathBuf>, bool)> {
    if is_sequence(v) {
        let ps = items(v, param, "str or os.PathLike")?
            .iter()
            .enumerate()
            .map(|(i, x)| path(x, &format!("{param}[{i}]")))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok((ps, false));
    }
    Ok((vec![path(v, param)?], true))
}

/// A `bool` (None = the default).
pub fn flag(v: Option<&Bound<'_, PyAny>>, param: &str, default: bool) -> PyResult<bool> {
    match v {
        Some(v) if !v.is_none() => match v.cast::<PyBool>() {
            Ok(b) => Ok(b.is_true()),
            Err(_) => Err(type_error(param, "a bool", v)),
        },
        _ => Ok(default),
    }
}

/// The `redact` switch.
pub fn redaction(v: Option<&Bound<'_, PyAny>>) -> PyResult<Redaction> {
    flag(v, "redact", true).map(Redaction::from_flag)
}

/// The reading limits every image source has (`max_bytes`, `max_entries`, `max_json_bytes`,
/// `max_file_read`, `max_link_hops`); the registry ones are left to the caller.
pub fn image_limits(
    max_bytes: Option<&Bound<'_, PyAny>>,
    max_entries: Option<&Bound<'_, PyAny>>,
    max_json_bytes: Option<&Bound<'_, PyAny>>,
    max_file_read: Option<&Bound<'_, PyAny>>,
    max_link_hops: Option<&Bound<'_, PyAny>>,
) -> PyResult<LimitOverrides> {
    Ok(LimitOverrides {
        max_bytes: count(max_bytes, "max_bytes", u64::MAX)?,
        max_entries: count(max_entries, "max_entries", u64::MAX)?,
        max_json_bytes: count(max_json_bytes, "max_json_bytes", u64::MAX)?,
        max_file_read: count(max_file_read, "max_file_read", u64::MAX)?,
        max_link_hops: count(max_link_hops, "max_link_hops", u32::MAX as u64)?.map(|n| n as u32),
        ..LimitOverrides::default()
    })
}

/// A non-negative `int` (None = absent); `max` bounds it.
pub fn count(v: Option<&Bound<'_, PyAny>>, param: &str, max: u64) -> PyResult<Option<u64>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if v.cast::<PyInt>().is_err() || v.cast::<PyBool>().is_ok() {
        return Err(type_error(param, "an int", v));
    }
    match v.extract::<i128>() {
        Ok(n) if (0..=max as i128).contains(&n) => Ok(Some(n as u64)),
        _ => Err(value_error(
            param,
            format!("{param} must be an integer from 0 to {max}, not {v}"),
        )),
    }
}

/// A finite, positive number of seconds (None = the default).
pub fn seconds(v: Option<&Bound<'_, PyAny>>, param: &str, default: f64) -> PyResult<f64> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(default);
    };
    if (v.cast::<PyInt>().is_err() && v.cast::<PyFloat>().is_err()) || v.cast::<PyBool>().is_ok() {
        return Err(type_error(param, "a number of seconds (int or float)", v));
    }
    // A huge int does not fit a float: that is a value out of range, not an OverflowError.
    let x: f64 = v.extract().unwrap_or(f64::INFINITY);
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(value_error(
            param,
            format!("{param} must be a positive, finite number of seconds, not {x}"),
        ))
    }
}

/// A JSON-shaped argument (dict/list/str/int/float/bool/None) as a serde value.
pub fn json(v: &Bound<'_, PyAny>, param: &str) -> PyResult<Value> {
    let dumped = v
        .py()
        .import("json")?
        .call_method1("dumps", (v,))
        .map_err(|_| type_error(param, "JSON-shaped data (dicts, lists, str, numbers)", v))?;
    serde_json::from_str(dumped.extract::<&str>()?)
        .map_err(|e| value_error(param, format!("{param} is not JSON-shaped: {e}")))
}

/// Convert any serialisable core value into Python objects (dict/list/str/int/float/bool/None)
/// directly ([`crate::topy`]), keys in the order the CLI's JSON prints them.
pub fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    match crate::topy::to_object(py, value) {
        Ok(v) => Ok(v.unbind()),
        Err(crate::topy::ConvError::Py(e)) => Err(e),
        Err(crate::topy::ConvError::Custom(m)) => Err(raise("ArchcompatError", m, &[])),
    }
}

/// An image source: a `str` (`oci:DIR`, `docker://…`, a path) or an `os.PathLike`.
pub fn source(v: &Bound<'_, PyAny>, param: &str) -> PyResult<String> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    Ok(path(v, param)
        .map_err(|_| type_error(param, "a str or os.PathLike", v))?
        .display()
        .to_string())
}
