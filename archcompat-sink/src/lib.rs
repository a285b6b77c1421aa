//! Core results straight to a host language's values, for every binding: one
//! `serde::Serializer` that walks a value with the meaning serde_json gives it, and hands each
//! piece to a [`Sink`] that knows how the target language makes a null, a boolean, a number, a
//! string, a list and a map. A binding implements only [`Sink`] (the Python binding builds
//! `dict`/`list`/`str`/`int`/`float`/`bool`/`None`; the Node binding builds JS values), so the
//! rules below are written once and cannot drift between the front doors:
//!
//! - structs and maps become maps whose keys are in the order they are serialised;
//! - map keys are serde_json's strings: strings and chars as they are, integers and booleans in
//!   decimal/`true`/`false`, unit variants by name; any other key is refused;
//! - non-finite floats become null; an `f32` is the double that reading serde_json's shortest
//!   text for it gives;
//! - bytes are lists of integers; `()` and unit structs are null; newtypes are their content;
//! - enum variants are written as serde_json writes them: a unit variant as its name, any other
//!   as `{variant: content}`.
//!
//! So that the value is what `JSON.parse`/`json.loads` of `serde_json::to_string(value)` gives,
//! without printing JSON and parsing it back.

use serde::ser::{self, Serialize};
use std::marker::PhantomData;

/// How a target language builds values. Every method builds one value (or fills a container)
/// in that language; the serializer of this crate decides what to build.
pub trait Sink: Copy {
    /// Any value of the target language.
    type Value;
    /// A list being filled.
    type List;
    /// A map (dict, object) being filled.
    type Map;
    /// The target's error; serde's own errors (a map key that is not a string, a failing
    /// `Serialize`) are made with [`ser::Error::custom`].
    type Error: ser::Error;

    /// `null` / `None`.
    fn null(self) -> Result<Self::Value, Self::Error>;
    /// A boolean.
    fn bool(self, v: bool) -> Result<Self::Value, Self::Error>;
    /// A signed integer (`i8`…`i64` arrive here).
    fn i64(self, v: i64) -> Result<Self::Value, Self::Error>;
    /// An unsigned integer (`u8`…`u64` arrive here).
    fn u64(self, v: u64) -> Result<Self::Value, Self::Error>;
    /// A signed 128-bit integer.
    fn i128(self, v: i128) -> Result<Self::Value, Self::Error>;
    /// An unsigned 128-bit integer.
    fn u128(self, v: u128) -> Result<Self::Value, Self::Error>;
    /// A finite double (non-finite ones never arrive: they are [`Sink::null`]).
    fn f64(self, v: f64) -> Result<Self::Value, Self::Error>;
    /// A string.
    fn str(self, v: &str) -> Result<Self::Value, Self::Error>;
    /// An empty list (`len`: how many items will be pushed, when known).
    fn list(self, len: Option<usize>) -> Result<Self::List, Self::Error>;
    /// Append `v` to `list`.
    fn push(self, list: &mut Self::List, v: Self::Value) -> Result<(), Self::Error>;
    /// The finished list as a value.
    fn end_list(self, list: Self::List) -> Result<Self::Value, Self::Error>;
    /// An empty map (`len`: how many entries will be set, when known).
    fn map(self, len: Option<usize>) -> Result<Self::Map, Self::Error>;
    /// Set `map[key] = v` (keys arrive in the order they are serialised, each once).
    fn insert(self, map: &mut Self::Map, key: &str, v: Self::Value) -> Result<(), Self::Error>;
    /// Set a struct field or a variant name: the key is a `'static` name from the program, so a
    /// target may keep its own string for it (interned) instead of making one per call.
    fn insert_static(
        self,
        map: &mut Self::Map,
        key: &'static str,
        v: Self::Value,
    ) -> Result<(), Self::Error> {
        self.insert(map, key, v)
    }
    /// The finished map as a value.
    fn end_map(self, map: Self::Map) -> Result<Self::Value, Self::Error>;
}

/// Build `value` with `sink`, shaped as serde_json prints it (see the crate documentation).
pub fn to_value<S: Sink, T: Serialize + ?Sized>(sink: S, value: &T) -> Result<S::Value, S::Error> {
    value.serialize(Ser(sink))
}

type Res<S> = Result<<S as Sink>::Value, <S as Sink>::Error>;

/// The serializer: each serialised value becomes one value of the sink.
#[derive(Clone, Copy)]
struct Ser<S>(S);

impl<S: Sink> Ser<S> {
    fn f64(self, v: f64) -> Res<S> {
        if v.is_finite() {
            self.0.f64(v)
        } else {
            self.0.null()
        }
    }

    /// `{variant: value}`: how serde_json writes a non-unit enum variant.
    fn tagged(self, variant: &'static str, value: S::Value) -> Res<S> {
        let mut m = self.0.map(Some(1))?;
        self.0.insert_static(&mut m, variant, value)?;
        self.0.end_map(m)
    }

    fn seq(self, len: Option<usize>, variant: Option<&'static str>) -> Result<Seq<S>, S::Error> {
        Ok(Seq {
            sink: self.0,
            list: self.0.list(len)?,
            variant,
        })
    }

    fn map(self, len: Option<usize>, variant: Option<&'static str>) -> Result<Map<S>, S::Error> {
        Ok(Map {
            sink: self.0,
            map: self.0.map(len)?,
            key: None,
            variant,
        })
    }
}

/// A list being filled (sequences, tuples; a tuple variant remembers its name).
struct Seq<S: Sink> {
    sink: S,
    list: S::List,
    variant: Option<&'static str>,
}

impl<S: Sink> Seq<S> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        let v = v.serialize(Ser(self.sink))?;
        self.sink.push(&mut self.list, v)
    }

    fn done(self) -> Res<S> {
        let list = self.sink.end_list(self.list)?;
        match self.variant {
            Some(v) => Ser(self.sink).tagged(v, list),
            None => Ok(list),
        }
    }
}

/// A map being filled (maps, structs; a struct variant remembers its name).
struct Map<S: Sink> {
    sink: S,
    map: S::Map,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl<S: Sink> Map<S> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), S::Error> {
        let v = v.serialize(Ser(self.sink))?;
        self.sink.insert_static(&mut self.map, key, v)
    }

    fn done(self) -> Res<S> {
        let map = self.sink.end_map(self.map)?;
        match self.variant {
            Some(v) => Ser(self.sink).tagged(v, map),
            None => Ok(map),
        }
    }
}

/// serde's four list-like traits differ only in the name of the method that adds an item.
macro_rules! list_like {
    ($($tr:ident :: $add:ident),*) => {$(
        impl<S: Sink> ser::$tr for Seq<S> {
            type Ok = S::Value;
            type Error = S::Error;
            fn $add<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
                self.push(v)
            }
            fn end(self) -> Res<S> {
                self.done()
            }
        }
    )*};
}

list_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<S: Sink> ser::SerializeMap for Map<S> {
    type Ok = S::Value;
    type Error = S::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), S::Error> {
        self.key = Some(k.serialize(KeyText(PhantomData))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        let k = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value without a key"))?;
        let v = v.serialize(Ser(self.sink))?;
        self.sink.insert(&mut self.map, &k, v)
    }
    fn end(self) -> Res<S> {
        self.done()
    }
}

/// A struct and a struct variant are filled alike (the variant's name is kept by the map).
macro_rules! struct_like {
    ($($tr:ident),*) => {$(
        impl<S: Sink> ser::$tr for Map<S> {
            type Ok = S::Value;
            type Error = S::Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), S::Error> {
                self.field(key, v)
            }
            fn end(self) -> Res<S> {
                self.done()
            }
        }
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

impl<S: Sink> ser::Serializer for Ser<S> {
    type Ok = S::Value;
    type Error = S::Error;
    type SerializeSeq = Seq<S>;
    type SerializeTuple = Seq<S>;
    type SerializeTupleStruct = Seq<S>;
    type SerializeTupleVariant = Seq<S>;
    type SerializeMap = Map<S>;
    type SerializeStruct = Map<S>;
    type SerializeStructVariant = Map<S>;

    fn serialize_bool(self, v: bool) -> Res<S> {
        self.0.bool(v)
    }
    fn serialize_i8(self, v: i8) -> Res<S> {
        self.0.i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Res<S> {
        self.0.i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Res<S> {
        self.0.i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Res<S> {
        self.0.i64(v)
    }
    fn serialize_i128(self, v: i128) -> Res<S> {
        self.0.i128(v)
    }
    fn serialize_u8(self, v: u8) -> Res<S> {
        self.0.u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Res<S> {
        self.0.u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Res<S> {
        self.0.u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Res<S> {
        self.0.u64(v)
    }
    fn serialize_u128(self, v: u128) -> Res<S> {
        self.0.u128(v)
    }
    fn serialize_f32(self, v: f32) -> Res<S> {
        // serde_json prints the shortest text that reads back as this f32; a JSON reader reads
        // that text as a double.
        if !v.is_finite() {
            return self.0.null();
        }
        self.f64(v.to_string().parse().unwrap_or(v as f64))
    }
    fn serialize_f64(self, v: f64) -> Res<S> {
        self.f64(v)
    }
    fn serialize_char(self, v: char) -> Res<S> {
        self.0.str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res<S> {
        self.0.str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Res<S> {
        let mut list = self.0.list(Some(v.len()))?;
        for b in v {
            let b = self.0.u64((*b).into())?;
            self.0.push(&mut list, b)?;
        }
        self.0.end_list(list)
    }
    fn serialize_none(self) -> Res<S> {
        self.0.null()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<S> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<S> {
        self.0.null()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res<S> {
        self.0.null()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res<S> {
        self.0.str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res<S> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Res<S> {
        let inner = v.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<S>, S::Error> {
        self.seq(len, None)
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<S>, S::Error> {
        self.seq(Some(len), None)
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<S>, S::Error> {
        self.seq(Some(len), None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<S>, S::Error> {
        self.seq(Some(len), Some(variant))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map<S>, S::Error> {
        self.map(len, None)
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map<S>, S::Error> {
        self.map(Some(len), None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map<S>, S::Error> {
        self.map(Some(len), Some(variant))
    }
}

/// A map key as the text serde_json prints for it: strings and chars as they are, integers
/// and booleans in decimal/`true`/`false`, unit variants by name, newtypes as their content;
/// anything else is refused (no core map has float keys, so those are refused too rather than
/// formatted differently from serde_json).
struct KeyText<E>(PhantomData<E>);

fn not_a_key<E: ser::Error>() -> E {
    E::custom("key must be a string")
}

impl<E: ser::Error> ser::Serializer for KeyText<E> {
    type Ok = String;
    type Error = E;
    type SerializeSeq = ser::Impossible<String, E>;
    type SerializeTuple = ser::Impossible<String, E>;
    type SerializeTupleStruct = ser::Impossible<String, E>;
    type SerializeTupleVariant = ser::Impossible<String, E>;
    type SerializeMap = ser::Impossible<String, E>;
    type SerializeStruct = ser::Impossible<String, E>;
    type SerializeStructVariant = ser::Impossible<String, E>;

    fn serialize_bool(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _: f64) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_char(self, v: char) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, E> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, E> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, E> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, E> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, E> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, E> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, E> {
        Err(not_a_key())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, E> {
        Err(not_a_key())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, E> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, E> {
        Err(not_a_key())
    }
}

#[cfg(test)]
mod tests;
