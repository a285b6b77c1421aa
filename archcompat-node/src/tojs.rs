//! Core results straight to JS values on the calling thread: a `serde::Serializer` that builds
//! objects/arrays/strings/numbers/booleans/null with the meaning `JSON.parse` gives serde_json's
//! text for the same value (keys in the order they are serialised; every number a double;
//! non-finite floats as `null`; bytes as arrays of numbers; enum variants as serde_json writes
//! them; map keys as serde_json's strings), without printing JSON and parsing it back.
//! napi's own serializer differs (BigInt for large integers, `undefined` …), hence this one.

use napi::bindgen_prelude::{Array, JsObjectValue, Null, Object, ToNapiValue, Unknown};
use napi::{Env, JsValue};
use serde::ser::{self, Serialize};

type Res<'e> = napi::Result<Unknown<'e>>;

/// Convert `value` into JS values shaped as `JSON.parse(serde_json::to_string(value))`.
pub fn to_js<'e, T: Serialize + ?Sized>(env: &'e Env, value: &T) -> Res<'e> {
    value.serialize(ToJs(env))
}

/// The serializer: each value becomes one JS value.
#[derive(Clone, Copy)]
struct ToJs<'e>(&'e Env);

impl<'e> ToJs<'e> {
    fn num(self, v: f64) -> Res<'e> {
        if v.is_finite() {
            v.into_unknown(self.0)
        } else {
            Null.into_unknown(self.0)
        }
    }

    fn str(self, s: &str) -> Res<'e> {
        s.into_unknown(self.0)
    }

    /// `{variant: value}`: how serde_json writes a non-unit enum variant.
    fn tagged(self, variant: &str, value: Unknown<'e>) -> Res<'e> {
        let mut o = Object::new(self.0)?;
        o.set_property(self.0.create_string(variant)?, value)?;
        Ok(o.to_unknown())
    }

    fn seq(self, variant: Option<&'static str>) -> napi::Result<Seq<'e>> {
        Ok(Seq {
            js: self,
            array: self.0.create_array(0)?,
            variant,
        })
    }

    fn map(self, variant: Option<&'static str>) -> napi::Result<Map<'e>> {
        Ok(Map {
            js: self,
            object: Object::new(self.0)?,
            key: None,
            variant,
        })
    }
}

/// An array being filled (sequences, tuples; a tuple variant remembers its name).
struct Seq<'e> {
    js: ToJs<'e>,
    array: Array<'e>,
    variant: Option<&'static str>,
}

impl<'e> Seq<'e> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> napi::Result<()> {
        self.array.insert(v.serialize(self.js)?)
    }

    fn done(self) -> Res<'e> {
        let a = self.array.to_unknown();
        match self.variant {
            Some(v) => self.js.tagged(v, a),
            None => Ok(a),
        }
    }
}

/// An object being filled (maps, structs; a struct variant remembers its name).
struct Map<'e> {
    js: ToJs<'e>,
    object: Object<'e>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl<'e> Map<'e> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> napi::Result<()> {
        let value = v.serialize(self.js)?;
        self.object
            .set_property(self.js.0.create_string(key)?, value)
    }

    fn done(self) -> Res<'e> {
        let o = self.object.to_unknown();
        match self.variant {
            Some(v) => self.js.tagged(v, o),
            None => Ok(o),
        }
    }
}

impl<'e> ser::SerializeSeq for Seq<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> napi::Result<()> {
        self.push(v)
    }
    fn end(self) -> Res<'e> {
        self.done()
    }
}

impl<'e> ser::SerializeTuple for Seq<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> napi::Result<()> {
        self.push(v)
    }
    fn end(self) -> Res<'e> {
        self.done()
    }
}

impl<'e> ser::SerializeTupleStruct for Seq<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> napi::Result<()> {
        self.push(v)
    }
    fn end(self) -> Res<'e> {
        self.done()
    }
}

impl<'e> ser::SerializeTupleVariant for Seq<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> napi::Result<()> {
        self.push(v)
    }
    fn end(self) -> Res<'e> {
        self.done()
    }
}

impl<'e> ser::SerializeMap for Map<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> napi::Result<()> {
        self.key = Some(k.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> napi::Result<()> {
        let k = self
            .key
            .take()
            .ok_or_else(|| napi::Error::from_reason("a map value without a key"))?;
        self.field(&k, v)
    }
    fn end(self) -> Res<'e> {
        self.done()
    }
}

impl<'e> ser::SerializeStruct for Map<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> napi::Result<()> {
        self.field(key, v)
    }
    fn end(self) -> Res<'e> {
        self.done()
    }
}

impl<'e> ser::SerializeStructVariant for Map<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> napi::Result<()> {
        self.field(key, v)
    }
    fn end(self) -> Res<'e> {
        self.done()
    }
}

impl<'e> ser::Serializer for ToJs<'e> {
    type Ok = Unknown<'e>;
    type Error = napi::Error;
    type SerializeSeq = Seq<'e>;
    type SerializeTuple = Seq<'e>;
    type SerializeTupleStruct = Seq<'e>;
    type SerializeTupleVariant = Seq<'e>;
    type SerializeMap = Map<'e>;
    type SerializeStruct = Map<'e>;
    type SerializeStructVariant = Map<'e>;

    fn serialize_bool(self, v: bool) -> Res<'e> {
        v.into_unknown(self.0)
    }
    fn serialize_i8(self, v: i8) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_i16(self, v: i16) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_i32(self, v: i32) -> Res<'e> {
        self.num(v as f64)
    }
    // JSON.parse reads an integer as the nearest double, as `as f64` rounds.
    fn serialize_i64(self, v: i64) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_i128(self, v: i128) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_u8(self, v: u8) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_u16(self, v: u16) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_u32(self, v: u32) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_u64(self, v: u64) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_u128(self, v: u128) -> Res<'e> {
        self.num(v as f64)
    }
    fn serialize_f32(self, v: f32) -> Res<'e> {
        // serde_json prints the shortest text that reads back as this f32; JSON.parse reads
        // that text as a double.
        if !v.is_finite() {
            return Null.into_unknown(self.0);
        }
        self.num(v.to_string().parse().unwrap_or(v as f64))
    }
    fn serialize_f64(self, v: f64) -> Res<'e> {
        self.num(v)
    }
    fn serialize_char(self, v: char) -> Res<'e> {
        self.str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res<'e> {
        self.str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Res<'e> {
        let mut a = self.0.create_array(v.len() as u32)?;
        for (i, b) in v.iter().enumerate() {
            a.set(i as u32, *b as f64)?;
        }
        Ok(a.to_unknown())
    }
    fn serialize_none(self) -> Res<'e> {
        Null.into_unknown(self.0)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res<'e> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res<'e> {
        Null.into_unknown(self.0)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res<'e> {
        Null.into_unknown(self.0)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res<'e> {
        self.str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res<'e> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Res<'e> {
        let inner = v.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, _: Option<usize>) -> napi::Result<Seq<'e>> {
        self.seq(None)
    }
    fn serialize_tuple(self, _: usize) -> napi::Result<Seq<'e>> {
        self.seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> napi::Result<Seq<'e>> {
        self.seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> napi::Result<Seq<'e>> {
        self.seq(Some(variant))
    }
    fn serialize_map(self, _: Option<usize>) -> napi::Result<Map<'e>> {
        self.map(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> napi::Result<Map<'e>> {
        self.map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> napi::Result<Map<'e>> {
        self.map(Some(variant))
    }
}

/// A map key as the text serde_json prints for it: strings and chars as they are, integers
/// and booleans in decimal/`true`/`false`, unit variants by name; anything else is refused
/// (serde_json refuses it too).
struct KeyText;

fn not_a_key() -> napi::Error {
    napi::Error::from_reason("key must be a string")
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = napi::Error;
    type SerializeSeq = ser::Impossible<String, napi::Error>;
    type SerializeTuple = ser::Impossible<String, napi::Error>;
    type SerializeTupleStruct = ser::Impossible<String, napi::Error>;
    type SerializeTupleVariant = ser::Impossible<String, napi::Error>;
    type SerializeMap = ser::Impossible<String, napi::Error>;
    type SerializeStruct = ser::Impossible<String, napi::Error>;
    type SerializeStructVariant = ser::Impossible<String, napi::Error>;

    fn serialize_bool(self, v: bool) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _: f64) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_char(self, v: char) -> Result<String, napi::Error> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, napi::Error> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, napi::Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, napi::Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, napi::Error> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, napi::Error> {
        Err(not_a_key())
    }
}
