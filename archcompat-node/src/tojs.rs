//! Core results straight to JS values on the calling thread: the bindings' shared serializer
//! ([`archcompat_sink`]) with a sink that builds objects/arrays/strings/numbers/booleans/null
//! with the meaning `JSON.parse` gives serde_json's text for the same value (keys in the order
//! they are serialised; every number a double; non-finite floats as `null`; bytes as arrays of
//! numbers; enum variants and map keys as serde_json writes them), without printing JSON and
//! parsing it back. napi's own serializer differs (BigInt for large integers, `undefined` …),
//! hence this one.

use archcompat_sink::Sink;
use napi::bindgen_prelude::{Array, JsObjectValue, Null, Object, ToNapiValue, Unknown};
use napi::{Env, JsValue};
use serde::Serialize;

type Res<'e> = napi::Result<Unknown<'e>>;

/// Convert `value` into JS values shaped as `JSON.parse(serde_json::to_string(value))`.
pub fn to_js<'e, T: Serialize + ?Sized>(env: &'e Env, value: &T) -> Res<'e> {
    archcompat_sink::to_value(ToJs(env), value)
}

/// The JS sink: each value becomes one JS value.
#[derive(Clone, Copy)]
struct ToJs<'e>(&'e Env);

impl<'e> Sink for ToJs<'e> {
    type Value = Unknown<'e>;
    type List = Array<'e>;
    type Map = Object<'e>;
    type Error = napi::Error;

    fn null(self) -> Res<'e> {
        Null.into_unknown(self.0)
    }
    fn bool(self, v: bool) -> Res<'e> {
        v.into_unknown(self.0)
    }
    // JSON.parse reads an integer as the nearest double, as `as f64` rounds.
    fn i64(self, v: i64) -> Res<'e> {
        self.f64(v as f64)
    }
    fn u64(self, v: u64) -> Res<'e> {
        self.f64(v as f64)
    }
    fn i128(self, v: i128) -> Res<'e> {
        self.f64(v as f64)
    }
    fn u128(self, v: u128) -> Res<'e> {
        self.f64(v as f64)
    }
    fn f64(self, v: f64) -> Res<'e> {
        v.into_unknown(self.0)
    }
    fn str(self, v: &str) -> Res<'e> {
        v.into_unknown(self.0)
    }
    fn list(self, _: Option<usize>) -> napi::Result<Array<'e>> {
        self.0.create_array(0)
    }
    fn push(self, list: &mut Array<'e>, v: Unknown<'e>) -> napi::Result<()> {
        list.insert(v)
    }
    fn end_list(self, list: Array<'e>) -> Res<'e> {
        Ok(list.to_unknown())
    }
    fn map(self, _: Option<usize>) -> napi::Result<Object<'e>> {
        Object::new(self.0)
    }
    fn insert(self, map: &mut Object<'e>, key: &str, v: Unknown<'e>) -> napi::Result<()> {
        map.set_property(self.0.create_string(key)?, v)
    }
    fn end_map(self, map: Object<'e>) -> Res<'e> {
        Ok(map.to_unknown())
    }
}
