//! Conversions shared by every binding function, in one place: JS arguments in (checked, with
//! `TypeError`/`RangeError`s in JS terms and Node's `ERR_INVALID_ARG_*` codes; unknown option
//! keys refused), results out (small sync results built as JS values directly, `tojs`; others
//! through the core's JSON text and `JSON.parse`; either way keys keep the order the CLI
//! prints them in), core errors to `Error`s with a stable `code`
//! (`ARCHCOMPAT_IO`, `ARCHCOMPAT_LIMIT` …), and the task that runs work on the libuv pool and
//! always settles its Promise (argument errors reject too; nothing throws synchronously).

use archcompat::{ErrorKind, FrontDoor, LimitOverrides, RedactOptions, Redaction};
use napi::bindgen_prelude::{AsyncTask, Function, JsObjectValue, Object, Unknown};
use napi::{Env, JSON, JsValue, ScopedTask, ValueType};
use serde::Serialize;
use std::path::PathBuf;

/// Why a call failed: a core error, or a bad argument.
#[derive(Debug)]
pub enum Failure {
    /// The core refused the input.
    Core(archcompat::Error),
    /// An argument has the wrong type (`TypeError`, `ERR_INVALID_ARG_TYPE`).
    Type(String),
    /// An argument has a wrong value or an unknown option key (`TypeError`,
    /// `ERR_INVALID_ARG_VALUE`).
    Value(String),
    /// A number is out of range (`RangeError`, `ERR_OUT_OF_RANGE`).
    Range(String),
}

impl From<archcompat::Error> for Failure {
    fn from(e: archcompat::Error) -> Self {
        Failure::Core(e)
    }
}

impl From<napi::Error> for Failure {
    fn from(e: napi::Error) -> Self {
        Failure::Type(e.reason)
    }
}

/// A result of this binding's own checks.
pub type Res<T> = Result<T, Failure>;

/// The `code` of each core error kind: the one table.
fn code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Io => "ARCHCOMPAT_IO",
        ErrorKind::InvalidPlatform => "ARCHCOMPAT_INVALID_PLATFORM",
        ErrorKind::Malformed => "ARCHCOMPAT_MALFORMED",
        ErrorKind::LimitExceeded => "ARCHCOMPAT_LIMIT",
        ErrorKind::Registry => "ARCHCOMPAT_REGISTRY",
        _ => "ARCHCOMPAT_UNSUPPORTED",
    }
}

/// Build the JS error object for `f` (with `code`, and for core errors `kind`, `input`,
/// `errno`, `limit`) and wrap it so that napi throws or rejects with exactly that object.
pub fn js_error(env: &Env, f: Failure) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let (value, extra) = match f {
            Failure::Core(e) => {
                let err =
                    napi::Error::new(code(e.kind()).to_string(), e.message_for(FrontDoor::Node));
                (napi::JsError::from(err).into_unknown(*env), Some(e))
            }
            Failure::Type(m) => (
                napi::JsTypeError::from(napi::Error::new("ERR_INVALID_ARG_TYPE", m))
                    .into_unknown(*env),
                None,
            ),
            Failure::Value(m) => (
                napi::JsTypeError::from(napi::Error::new("ERR_INVALID_ARG_VALUE", m))
                    .into_unknown(*env),
                None,
            ),
            Failure::Range(m) => (
                napi::JsRangeError::from(napi::Error::new("ERR_OUT_OF_RANGE", m))
                    .into_unknown(*env),
                None,
            ),
        };
        if let Some(e) = extra {
            let mut o = value.coerce_to_object()?;
            o.set_named_property("kind", e.kind().as_str())?;
            o.set_named_property("input", e.input())?;
            if let Some(n) = e.errno() {
                o.set_named_property("errno", n)?;
            }
            if let Some(l) = e.limit() {
                o.set_named_property("limit", l.name(FrontDoor::Node))?;
            }
        }
        Ok(napi::Error::from(value))
    };
    build().unwrap_or_else(|e| e)
}

/// The JSON text of a result (computed on the pool or on the main thread).
pub fn to_json<T: Serialize>(value: &T) -> Res<String> {
    serde_json::to_string(value)
        .map_err(|e| Failure::Core(archcompat::Error::malformed("result", e.to_string())))
}

/// JSON text to a JS value with `JSON.parse` (keeps the key order of the text).
pub fn parse<'e>(env: &'e Env, text: String) -> napi::Result<Unknown<'e>> {
    let json: JSON = env.get_global()?.get_named_property_unchecked("JSON")?;
    let parse: Function<String, Unknown> = json.get_named_property_unchecked("parse")?;
    parse.call(text)
}

/// A synchronous result: the value (through its JSON text and `JSON.parse`, which V8 builds
/// faster than property-by-property for large documents such as an `InspectEntry`), or the
/// error thrown as built by [`js_error`].
pub fn out<'e, T: Serialize>(env: &'e Env, r: Res<T>) -> napi::Result<Unknown<'e>> {
    match r.and_then(|v| to_json(&v)) {
        Ok(text) => parse(env, text),
        Err(f) => Err(js_error(env, f)),
    }
}

/// A small synchronous result (a platform, a string): built directly as JS values
/// ([`crate::tojs`], the shape `JSON.parse` gives the CLI's JSON), which saves the JSON text
/// and the `JSON.parse` call on trivial calls.
pub fn out_small<'e, T: Serialize>(env: &'e Env, r: Res<T>) -> napi::Result<Unknown<'e>> {
    let r = r.and_then(|v| {
        crate::tojs::to_js(env, &v)
            .map_err(|e| Failure::Core(archcompat::Error::malformed("result", e.reason)))
    });
    r.map_err(|f| js_error(env, f))
}

type Work = Box<dyn FnOnce() -> Res<String> + Send>;

/// Work for the libuv pool whose Promise always settles: resolves to the JSON result, or
/// rejects with the error built by [`js_error`] (argument errors found before the work
/// started included).
pub struct Job {
    work: Option<Work>,
    failed: Option<Failure>,
}

impl<'t> ScopedTask<'t> for Job {
    type Output = String;
    type JsValue = Unknown<'t>;

    fn compute(&mut self) -> napi::Result<String> {
        let r = match self.work.take() {
            Some(w) => w(),
            None => Err(self
                .failed
                .take()
                .unwrap_or_else(|| Failure::Value("the call was already run".into()))),
        };
        r.map_err(|f| {
            self.failed = Some(f);
            napi::Error::from_reason("archcompat: failed")
        })
    }

    fn resolve(&mut self, env: &'t Env, output: String) -> napi::Result<Unknown<'t>> {
        parse(env, output)
    }

    fn reject(&mut self, env: &'t Env, err: napi::Error) -> napi::Result<Unknown<'t>> {
        Err(match self.failed.take() {
            Some(f) => js_error(env, f),
            None => err,
        })
    }
}

/// A Promise for `work` run on the pool, once the arguments (`args`) are known good; a bad
/// argument rejects the Promise instead of throwing.
pub fn job<A: Send + 'static, T: Serialize>(
    args: Res<A>,
    work: impl FnOnce(A) -> Result<T, archcompat::Error> + Send + 'static,
) -> AsyncTask<Job> {
    AsyncTask::new(match args {
        Ok(a) => Job {
            work: Some(Box::new(move || to_json(&work(a)?))),
            failed: None,
        },
        Err(f) => Job {
            work: None,
            failed: Some(f),
        },
    })
}

// ---------------------------------------------------------------- arguments

fn kind_of(v: &Unknown<'_>) -> String {
    let t = v.get_type().unwrap_or(ValueType::Unknown);
    match t {
        ValueType::Undefined => "undefined".into(),
        ValueType::Null => "null".into(),
        ValueType::Boolean => "type boolean".into(),
        ValueType::Number => "type number".into(),
        ValueType::String => "type string".into(),
        ValueType::Symbol => "type symbol".into(),
        ValueType::Function => "a function".into(),
        ValueType::BigInt => "type bigint".into(),
        ValueType::Object if v.is_array().unwrap_or(false) => "an Array".into(),
        ValueType::Object if v.is_buffer().unwrap_or(false) => "a Buffer".into(),
        _ => "an object".into(),
    }
}

fn type_error(name: &str, expected: &str, got: &Unknown<'_>) -> Failure {
    Failure::Type(format!(
        "The \"{name}\" argument must be {expected}. Received {}",
        kind_of(got)
    ))
}

fn present<'e>(v: Option<Unknown<'e>>) -> Option<Unknown<'e>> {
    v.filter(|v| !matches!(v.get_type(), Ok(ValueType::Undefined) | Ok(ValueType::Null)))
}

/// A string argument.
pub fn string(v: Unknown<'_>, name: &str) -> Res<String> {
    if v.get_type()? != ValueType::String {
        return Err(type_error(name, "of type string", &v));
    }
    Ok(v.coerce_to_string()?.into_utf8()?.into_owned()?)
}

/// An optional string (undefined/null = absent).
pub fn opt_string(v: Option<Unknown<'_>>, name: &str) -> Res<Option<String>> {
    present(v).map(|v| string(v, name)).transpose()
}

/// A boolean (undefined/null = absent).
pub fn opt_bool(v: Option<Unknown<'_>>, name: &str) -> Res<Option<bool>> {
    present(v)
        .map(|v| {
            if v.get_type()? != ValueType::Boolean {
                return Err(type_error(name, "of type boolean", &v));
            }
            Ok(v.coerce_to_bool()?)
        })
        .transpose()
}

/// A number (undefined/null = absent).
pub fn opt_number(v: Option<Unknown<'_>>, name: &str) -> Res<Option<f64>> {
    present(v)
        .map(|v| {
            if v.get_type()? != ValueType::Number {
                return Err(type_error(name, "of type number", &v));
            }
            Ok(v.coerce_to_number()?.get_double()?)
        })
        .transpose()
}

/// A non-negative integer up to `max` (undefined/null = absent).
pub fn opt_count(v: Option<Unknown<'_>>, name: &str, max: u64) -> Res<Option<u64>> {
    opt_number(v, name)?
        .map(|x| {
            if x.fract() == 0.0 && x >= 0.0 && x <= max as f64 {
                Ok(x as u64)
            } else {
                Err(Failure::Range(format!(
                    "The value of \"{name}\" is out of range. It must be an integer >= 0 and <= {max}. Received {x}"
                )))
            }
        })
        .transpose()
}

/// A positive, finite number of seconds (undefined/null = absent).
pub fn opt_seconds(v: Option<Unknown<'_>>, name: &str) -> Res<Option<f64>> {
    opt_number(v, name)?
        .map(|x| {
            if x.is_finite() && x > 0.0 {
                Ok(x)
            } else {
                Err(Failure::Range(format!(
                    "The value of \"{name}\" is out of range. It must be a positive number of seconds. Received {x}"
                )))
            }
        })
        .transpose()
}

/// An array of strings.
pub fn strings(env: &Env, v: Unknown<'_>, name: &str) -> Res<Vec<String>> {
    if !v.is_array()? {
        return Err(type_error(name, "an array of strings", &v));
    }
    let items: Vec<serde_json::Value> = env.from_js_value(v)?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, x)| match x {
            serde_json::Value::String(s) => Ok(s),
            other => Err(Failure::Type(format!(
                "The \"{name}[{i}]\" argument must be of type string. Received {}",
                json_kind(&other)
            ))),
        })
        .collect()
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "type boolean",
        serde_json::Value::Number(_) => "type number",
        serde_json::Value::String(_) => "type string",
        serde_json::Value::Array(_) => "an Array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// An optional array of strings.
pub fn opt_strings(env: &Env, v: Option<Unknown<'_>>, name: &str) -> Res<Option<Vec<String>>> {
    present(v).map(|v| strings(env, v, name)).transpose()
}

/// One path string or an array of them: `(paths, was_single)`.
pub fn paths(env: &Env, v: Unknown<'_>, name: &str) -> Res<(Vec<PathBuf>, bool)> {
    if v.get_type()? == ValueType::String {
        return Ok((vec![PathBuf::from(string(v, name)?)], true));
    }
    if !v.is_array()? {
        return Err(type_error(
            name,
            "of type string or an array of strings",
            &v,
        ));
    }
    Ok((
        strings(env, v, name)?
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        false,
    ))
}

struct Bytes(Vec<u8>);

impl<'de> serde::Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

fn is_bytes(v: &Unknown<'_>) -> Res<bool> {
    Ok(v.get_type()? == ValueType::Object && (v.is_buffer()? || v.is_typedarray()?))
}

/// Bytes from a `Buffer` or a `Uint8Array`.
pub fn bytes(env: &Env, v: Unknown<'_>, name: &str) -> Res<Vec<u8>> {
    if !is_bytes(&v)? {
        return Err(type_error(name, "an instance of Buffer or Uint8Array", &v));
    }
    let b: Bytes = env
        .from_js_value(v)
        .map_err(|_| type_error(name, "an instance of Buffer or Uint8Array", &v))?;
    Ok(b.0)
}

/// Text from a string, or UTF-8 in a `Buffer`/`Uint8Array`.
pub fn text(env: &Env, v: Unknown<'_>, name: &str) -> Res<String> {
    if v.get_type()? == ValueType::String {
        return string(v, name);
    }
    if !is_bytes(&v)? {
        return Err(type_error(
            name,
            "of type string or an instance of Buffer or Uint8Array",
            &v,
        ));
    }
    String::from_utf8(bytes(env, v, name)?).map_err(|e| {
        Failure::Value(format!(
            "The argument \"{name}\" is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// A JSON-shaped argument (object or array) as a serde value.
pub fn json(env: &Env, v: Unknown<'_>, name: &str) -> Res<serde_json::Value> {
    if v.get_type()? != ValueType::Object {
        return Err(type_error(name, "an object or an array", &v));
    }
    env.from_js_value(v)
        .map_err(|e| Failure::Value(format!("The argument \"{name}\" is not JSON-shaped: {e}")))
}

/// An options object: checked to be an object whose keys are all in `allowed`.
pub struct Opts<'e> {
    obj: Option<Object<'e>>,
    name: &'static str,
}

/// The largest integer a JavaScript number holds exactly.
pub const MAX_SAFE: u64 = (1 << 53) - 1;

impl<'e> Opts<'e> {
    /// Check `v` (undefined/null = no options).
    pub fn new(
        env: &Env,
        v: Option<Unknown<'e>>,
        name: &'static str,
        allowed: &[&str],
    ) -> Res<Self> {
        let Some(v) = present(v) else {
            return Ok(Opts { obj: None, name });
        };
        if v.get_type()? != ValueType::Object || v.is_array()? || is_bytes(&v)? {
            return Err(type_error(name, "of type object", &v));
        }
        let obj = v.coerce_to_object()?;
        let keys: Vec<String> = env.from_js_value(obj.get_property_names()?)?;
        for k in keys {
            if !allowed.contains(&k.as_str()) {
                return Err(Failure::Value(format!(
                    "The \"{name}\" argument has an unknown option \"{k}\"; the options are: {}",
                    allowed.join(", ")
                )));
            }
        }
        Ok(Opts {
            obj: Some(obj),
            name,
        })
    }

    fn get(&self, key: &str) -> Res<Option<Unknown<'e>>> {
        match &self.obj {
            Some(o) => Ok(present(Some(o.get_named_property::<Unknown>(key)?))),
            None => Ok(None),
        }
    }

    fn label(&self, key: &str) -> String {
        format!("{}.{key}", self.name)
    }

    /// A string option.
    pub fn string(&self, key: &str) -> Res<Option<String>> {
        opt_string(self.get(key)?, &self.label(key))
    }

    /// A boolean option.
    pub fn bool(&self, key: &str) -> Res<Option<bool>> {
        opt_bool(self.get(key)?, &self.label(key))
    }

    /// A non-negative integer option up to `max`.
    pub fn count(&self, key: &str, max: u64) -> Res<Option<u64>> {
        opt_count(self.get(key)?, &self.label(key), max)
    }

    /// A positive number of seconds.
    pub fn seconds(&self, key: &str) -> Res<Option<f64>> {
        opt_seconds(self.get(key)?, &self.label(key))
    }

    /// An array-of-strings option.
    pub fn strings(&self, env: &Env, key: &str) -> Res<Option<Vec<String>>> {
        opt_strings(env, self.get(key)?, &self.label(key))
    }

    /// A text option (string, Buffer or Uint8Array).
    pub fn text(&self, env: &Env, key: &str) -> Res<Option<String>> {
        self.get(key)?
            .map(|v| text(env, v, &self.label(key)))
            .transpose()
    }

    /// The `redact` switch (default on).
    pub fn redaction(&self) -> Res<Redaction> {
        Ok(Redaction::from_flag(self.bool("redact")?.unwrap_or(true)))
    }

    /// The redaction rules' switches `accountIds` and `highEntropy` (both default on).
    pub fn redact_options(&self) -> Res<RedactOptions> {
        Ok(RedactOptions {
            account_ids: self.bool("accountIds")?.unwrap_or(true),
            high_entropy: self.bool("highEntropy")?.unwrap_or(true),
        })
    }

    /// The reading limits every image source has (`maxBytes`, `maxEntries`, `maxJsonBytes`,
    /// `maxFileRead`, `maxLinkHops`); the registry ones are left to the caller.
    pub fn image_limits(&self) -> Res<LimitOverrides> {
        Ok(LimitOverrides {
            max_bytes: self.count("maxBytes", MAX_SAFE)?,
            max_entries: self.count("maxEntries", MAX_SAFE)?,
            max_json_bytes: self.count("maxJsonBytes", MAX_SAFE)?,
            max_file_read: self.count("maxFileRead", MAX_SAFE)?,
            max_link_hops: self
                .count("maxLinkHops", u32::MAX as u64)?
                .map(|n| n as u32),
            ..LimitOverrides::default()
        })
    }
}
