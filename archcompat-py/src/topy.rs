//! Core results straight to Python objects: the bindings' shared serializer
//! ([`archcompat_sink`]) with a sink that builds dict/list/str/int/float/bool/None, so that
//! `json.dumps(result)` is the CLI's `--json` text byte for byte (keys in the order they are
//! serialised; non-finite floats as `None`; bytes as lists of ints; enum variants and map keys
//! as serde_json writes them) without printing JSON and parsing it back.

use archcompat_sink::Sink;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::Serialize;
use serde::ser;
use std::cell::RefCell;
use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// Why a value could not be converted: a Python error, or a value JSON has no form for.
#[derive(Debug)]
pub enum ConvError {
    /// Python refused an operation (memory, …).
    Py(PyErr),
    /// serde's own error (a map key that is not a string or a number, a failing `Serialize`).
    Custom(String),
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvError::Py(e) => write!(f, "{e}"),
            ConvError::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ConvError {}

impl ser::Error for ConvError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ConvError::Custom(msg.to_string())
    }
}

impl From<PyErr> for ConvError {
    fn from(e: PyErr) -> Self {
        ConvError::Py(e)
    }
}

type Res<'py> = Result<Bound<'py, PyAny>, ConvError>;

/// Convert `value` into Python objects shaped as serde_json would print it.
pub fn to_object<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> Res<'py> {
    archcompat_sink::to_value(ToPy(py), value)
}

/// The Python sink: each value becomes one Python object.
#[derive(Clone, Copy)]
struct ToPy<'py>(Python<'py>);

impl<'py> ToPy<'py> {
    fn int<I>(self, v: I) -> Res<'py>
    where
        I: IntoPyObject<'py, Output = Bound<'py, PyInt>, Error = Infallible>,
    {
        match v.into_pyobject(self.0) {
            Ok(i) => Ok(i.into_any()),
            Err(never) => match never {},
        }
    }
}

impl<'py> Sink for ToPy<'py> {
    type Value = Bound<'py, PyAny>;
    type List = Bound<'py, PyList>;
    type Map = Bound<'py, PyDict>;
    type Error = ConvError;

    fn null(self) -> Res<'py> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn bool(self, v: bool) -> Res<'py> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }
    fn i64(self, v: i64) -> Res<'py> {
        self.int(v)
    }
    fn u64(self, v: u64) -> Res<'py> {
        self.int(v)
    }
    fn i128(self, v: i128) -> Res<'py> {
        self.int(v)
    }
    fn u128(self, v: u128) -> Res<'py> {
        self.int(v)
    }
    fn f64(self, v: f64) -> Res<'py> {
        Ok(PyFloat::new(self.0, v).into_any())
    }
    fn str(self, v: &str) -> Res<'py> {
        Ok(PyString::new(self.0, v).into_any())
    }
    fn list(self, _: Option<usize>) -> Result<Bound<'py, PyList>, ConvError> {
        Ok(PyList::empty(self.0))
    }
    fn push(self, list: &mut Bound<'py, PyList>, v: Bound<'py, PyAny>) -> Result<(), ConvError> {
        Ok(list.append(v)?)
    }
    fn end_list(self, list: Bound<'py, PyList>) -> Res<'py> {
        Ok(list.into_any())
    }
    fn map(self, _: Option<usize>) -> Result<Bound<'py, PyDict>, ConvError> {
        Ok(PyDict::new(self.0))
    }
    fn insert(
        self,
        map: &mut Bound<'py, PyDict>,
        key: &str,
        v: Bound<'py, PyAny>,
    ) -> Result<(), ConvError> {
        Ok(map.set_item(PyString::new(self.0, key), v)?)
    }
    fn insert_static(
        self,
        map: &mut Bound<'py, PyDict>,
        key: &'static str,
        v: Bound<'py, PyAny>,
    ) -> Result<(), ConvError> {
        Ok(map.set_item(interned(self.0, key), v)?)
    }
    fn end_map(self, map: Bound<'py, PyDict>) -> Res<'py> {
        Ok(map.into_any())
    }
}

/// A struct field name or variant name as an interned Python `str`, made once per thread and
/// name: the dict gets a key whose hash is already known (and that is the very object of the
/// same literal in Python code, so `entry["format"]` compares by identity) instead of a new
/// string per field per call. The names are the program's own (`'static`), a few hundred at
/// most, so the cache is bounded.
fn interned<'py>(py: Python<'py>, key: &'static str) -> Bound<'py, PyString> {
    thread_local! {
        static KEYS: RefCell<HashMap<StaticStr, Py<PyString>, BuildHasherDefault<AddrHasher>>> =
            RefCell::new(HashMap::default());
    }
    KEYS.with(|k| {
        k.borrow_mut()
            .entry(StaticStr(key))
            .or_insert_with(|| PyString::intern(py, key).unbind())
            .bind(py)
            .clone()
    })
}

/// A `'static` name identified by its address and length (two names are one key only when
/// they are the same bytes in the program; equal text elsewhere is another key of the same
/// interned string).
#[derive(Clone, Copy)]
struct StaticStr(&'static str);

impl PartialEq for StaticStr {
    fn eq(&self, o: &StaticStr) -> bool {
        std::ptr::eq(self.0.as_ptr(), o.0.as_ptr()) && self.0.len() == o.0.len()
    }
}

impl Eq for StaticStr {}

impl std::hash::Hash for StaticStr {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_usize(self.0.as_ptr() as usize ^ self.0.len().rotate_left(48));
    }
}

/// The address is already a good hash: no need to run SipHash over it.
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        // Spread the address bits (names are a few bytes apart) over the whole word.
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b) ^ (self.0 >> 56);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 ^= n as u64;
    }
}
