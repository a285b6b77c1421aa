//! Conversions shared by every binding function: serde values to Python objects, and core
//! errors to the `ArchcompatError` hierarchy.
#![allow(dead_code)] // shared by the binding modules as they grow

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use serde_json::Value;

create_exception!(
    archcompat,
    ArchcompatError,
    PyException,
    "Base class of every archcompat error."
);
create_exception!(
    archcompat,
    ReadError,
    ArchcompatError,
    "A file, directory or blob could not be read."
);
create_exception!(
    archcompat,
    InvalidPlatformError,
    ArchcompatError,
    "A platform specifier is invalid."
);
create_exception!(
    archcompat,
    MalformedInputError,
    ArchcompatError,
    "An input is truncated, corrupt or the wrong kind of document."
);
create_exception!(
    archcompat,
    LimitExceededError,
    ArchcompatError,
    "A configured resource limit tripped."
);
create_exception!(
    archcompat,
    UnsupportedInputError,
    ArchcompatError,
    "The input is valid but not supported for this call."
);

/// Add the exception classes to the module.
pub fn register_exceptions(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ArchcompatError", py.get_type::<ArchcompatError>())?;
    m.add("ReadError", py.get_type::<ReadError>())?;
    m.add(
        "InvalidPlatformError",
        py.get_type::<InvalidPlatformError>(),
    )?;
    m.add("MalformedInputError", py.get_type::<MalformedInputError>())?;
    m.add("LimitExceededError", py.get_type::<LimitExceededError>())?;
    m.add(
        "UnsupportedInputError",
        py.get_type::<UnsupportedInputError>(),
    )?;
    Ok(())
}

/// Map a core error to its Python exception.
pub fn err(e: archcompat::Error) -> PyErr {
    let msg = e.to_string();
    match e {
        archcompat::Error::Io { .. } => ReadError::new_err(msg),
        archcompat::Error::InvalidPlatform { .. } => InvalidPlatformError::new_err(msg),
        archcompat::Error::Malformed { .. } => MalformedInputError::new_err(msg),
        archcompat::Error::LimitExceeded { .. } => LimitExceededError::new_err(msg),
        _ => UnsupportedInputError::new_err(msg),
    }
}

/// Convert any serialisable core value into Python objects (dict/list/str/int/float/bool/None).
pub fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let v = serde_json::to_value(value).map_err(|e| ArchcompatError::new_err(e.to_string()))?;
    value_to_py(py, &v)
}

fn value_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any().unbind()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any().unbind()
            } else {
                n.as_f64()
                    .unwrap_or(f64::NAN)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, value_to_py(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}
