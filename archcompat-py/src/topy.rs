//! Core results straight to Python objects: a `serde::Serializer` that builds
//! dict/list/str/int/float/bool/None with the meaning serde_json gives the same value, so that
//! `json.dumps(result)` is the CLI's `--json` text byte for byte (keys in the order they are
//! serialised; non-finite floats as `None`; bytes as lists of ints; enum variants as
//! serde_json writes them; map keys as serde_json's strings) without printing JSON and parsing
//! it back.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::ser::{self, Serialize};
use std::convert::Infallible;
use std::fmt;

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
    value.serialize(ToPy(py))
}

/// The serializer: each value becomes one Python object.
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

    fn none(self) -> Res<'py> {
        Ok(self.0.None().into_bound(self.0))
    }

    fn str(self, s: &str) -> Res<'py> {
        Ok(PyString::new(self.0, s).into_any())
    }

    /// `{variant: value}`: how serde_json writes a non-unit enum variant.
    fn tagged(self, variant: &str, value: Bound<'py, PyAny>) -> Res<'py> {
        let d = PyDict::new(self.0);
        d.set_item(PyString::new(self.0, variant), value)?;
        Ok(d.into_any())
    }
}

/// A list being filled (sequences, tuples; a tuple variant remembers its name).
struct Seq<'py> {
    py: ToPy<'py>,
    list: Bound<'py, PyList>,
    variant: Option<&'static str>,
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ConvError> {
        self.list.append(v.serialize(self.py)?)?;
        Ok(())
    }

    fn done(self) -> Res<'py> {
        match self.variant {
            Some(v) => self.py.tagged(v, self.list.into_any()),
            None => Ok(self.list.into_any()),
        }
    }
}

/// A dict being filled (maps, structs; a struct variant remembers its name).
struct Map<'py> {
    py: ToPy<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyString>>,
    variant: Option<&'static str>,
}

impl<'py> Map<'py> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), ConvError> {
        self.dict
            .set_item(PyString::new(self.py.0, key), v.serialize(self.py)?)?;
        Ok(())
    }

    fn done(self) -> Res<'py> {
        match self.variant {
            Some(v) => self.py.tagged(v, self.dict.into_any()),
            None => Ok(self.dict.into_any()),
        }
    }
}

impl<'py> ser::SerializeSeq for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ConvError> {
        self.push(v)
    }
    fn end(self) -> Res<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeTuple for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ConvError> {
        self.push(v)
    }
    fn end(self) -> Res<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ConvError> {
        self.push(v)
    }
    fn end(self) -> Res<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeTupleVariant for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ConvError> {
        self.push(v)
    }
    fn end(self) -> Res<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), ConvError> {
        self.key = Some(PyString::new(self.py.0, &k.serialize(KeyText)?));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ConvError> {
        let k = self
            .key
            .take()
            .ok_or_else(|| ConvError::Custom("a map value without a key".into()))?;
        self.dict.set_item(k, v.serialize(self.py)?)?;
        Ok(())
    }
    fn end(self) -> Res<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStruct for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), ConvError> {
        self.field(key, v)
    }
    fn end(self) -> Res<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStructVariant for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), ConvError> {
        self.field(key, v)
    }
    fn end(self) -> Res<'py> {
        self.done()
    }
}

impl<'py> ToPy<'py> {
    fn seq(self, variant: Option<&'static str>) -> Seq<'py> {
        Seq {
            py: self,
            list: PyList::empty(self.0),
            variant,
        }
    }

    fn map(self, variant: Option<&'static str>) -> Map<'py> {
        Map {
            py: self,
            dict: PyDict::new(self.0),
            key: None,
            variant,
        }
    }
}

impl<'py> ser::Serializer for ToPy<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Seq<'py>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Map<'py>;
    type SerializeStructVariant = Map<'py>;

    fn serialize_bool(self, v: bool) -> Res<'py> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Res<'py> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Res<'py> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Res<'py> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Res<'py> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Res<'py> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Res<'py> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Res<'py> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Res<'py> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Res<'py> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Res<'py> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Res<'py> {
        // serde_json prints the shortest text that reads back as this f32; json.loads reads
        // that text as a double.
        if !v.is_finite() {
            return self.none();
        }
        let d: f64 = v.to_string().parse().unwrap_or(v as f64);
        Ok(PyFloat::new(self.0, d).into_any())
    }
    fn serialize_f64(self, v: f64) -> Res<'py> {
        if !v.is_finite() {
            return self.none();
        }
        Ok(PyFloat::new(self.0, v).into_any())
    }
    fn serialize_char(self, v: char) -> Res<'py> {
        self.str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res<'py> {
        self.str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Res<'py> {
        Ok(PyList::new(self.0, v)?.into_any())
    }
    fn serialize_none(self) -> Res<'py> {
        self.none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<'py> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<'py> {
        self.none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res<'py> {
        self.none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res<'py> {
        self.str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res<'py> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Res<'py> {
        let inner = v.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'py>, ConvError> {
        Ok(self.seq(None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'py>, ConvError> {
        Ok(self.seq(None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'py>, ConvError> {
        Ok(self.seq(None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'py>, ConvError> {
        Ok(self.seq(Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'py>, ConvError> {
        Ok(self.map(None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Map<'py>, ConvError> {
        Ok(self.map(None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Map<'py>, ConvError> {
        Ok(self.map(Some(variant)))
    }
}

/// A map key as the text serde_json prints for it: strings and chars as they are, integers
/// and booleans in decimal/`true`/`false`, unit variants by name; anything else is refused
/// (serde_json refuses it too).
struct KeyText;

fn not_a_key() -> ConvError {
    ConvError::Custom("key must be a string".into())
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = ConvError;
    type SerializeSeq = ser::Impossible<String, ConvError>;
    type SerializeTuple = ser::Impossible<String, ConvError>;
    type SerializeTupleStruct = ser::Impossible<String, ConvError>;
    type SerializeTupleVariant = ser::Impossible<String, ConvError>;
    type SerializeMap = ser::Impossible<String, ConvError>;
    type SerializeStruct = ser::Impossible<String, ConvError>;
    type SerializeStructVariant = ser::Impossible<String, ConvError>;

    fn serialize_bool(self, v: bool) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _: f64) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_char(self, v: char) -> Result<String, ConvError> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, ConvError> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, ConvError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, ConvError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, ConvError> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, ConvError> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ConvError> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ConvError> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ConvError> {
        Err(not_a_key())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ConvError> {
        Err(not_a_key())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, ConvError> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ConvError> {
        Err(not_a_key())
    }
}
