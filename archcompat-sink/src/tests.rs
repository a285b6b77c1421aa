//! The serializer against serde_json itself: a sink that builds a plain tree (maps keep their
//! order), printed as JSON, must be serde_json's text for the same value byte for byte.

use super::{Sink, to_value};
use serde::Serialize;
use serde::ser::{self, Serializer};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
enum V {
    Null,
    Bool(bool),
    I(i128),
    U(u128),
    F(f64),
    S(String),
    L(Vec<V>),
    M(Vec<(String, V)>),
}

#[derive(Debug, PartialEq)]
struct E(String);

impl fmt::Display for E {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for E {}

impl ser::Error for E {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        E(msg.to_string())
    }
}

/// Builds [`V`]; counts the keys given as `'static` names.
#[derive(Clone, Copy)]
struct Tree<'a>(&'a std::cell::Cell<usize>);

impl Sink for Tree<'_> {
    type Value = V;
    type List = Vec<V>;
    type Map = Vec<(String, V)>;
    type Error = E;
    fn null(self) -> Result<V, E> {
        Ok(V::Null)
    }
    fn bool(self, v: bool) -> Result<V, E> {
        Ok(V::Bool(v))
    }
    fn i64(self, v: i64) -> Result<V, E> {
        Ok(V::I(v.into()))
    }
    fn u64(self, v: u64) -> Result<V, E> {
        Ok(V::U(v.into()))
    }
    fn i128(self, v: i128) -> Result<V, E> {
        Ok(V::I(v))
    }
    fn u128(self, v: u128) -> Result<V, E> {
        Ok(V::U(v))
    }
    fn f64(self, v: f64) -> Result<V, E> {
        assert!(v.is_finite(), "a non-finite float reached the sink");
        Ok(V::F(v))
    }
    fn str(self, v: &str) -> Result<V, E> {
        Ok(V::S(v.to_owned()))
    }
    fn list(self, _: Option<usize>) -> Result<Vec<V>, E> {
        Ok(Vec::new())
    }
    fn push(self, list: &mut Vec<V>, v: V) -> Result<(), E> {
        list.push(v);
        Ok(())
    }
    fn end_list(self, list: Vec<V>) -> Result<V, E> {
        Ok(V::L(list))
    }
    fn map(self, _: Option<usize>) -> Result<Vec<(String, V)>, E> {
        Ok(Vec::new())
    }
    fn insert(self, map: &mut Vec<(String, V)>, key: &str, v: V) -> Result<(), E> {
        map.push((key.to_owned(), v));
        Ok(())
    }
    fn insert_static(self, map: &mut Vec<(String, V)>, key: &'static str, v: V) -> Result<(), E> {
        self.0.set(self.0.get() + 1);
        self.insert(map, key, v)
    }
    fn end_map(self, map: Vec<(String, V)>) -> Result<V, E> {
        Ok(V::M(map))
    }
}

fn json(v: &V) -> String {
    match v {
        V::Null => "null".into(),
        V::Bool(b) => b.to_string(),
        V::I(i) => i.to_string(),
        V::U(u) => u.to_string(),
        V::F(f) => serde_json::to_string(f).unwrap(),
        V::S(s) => serde_json::to_string(s).unwrap(),
        V::L(l) => format!("[{}]", l.iter().map(json).collect::<Vec<_>>().join(",")),
        V::M(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), json(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

fn tree<T: Serialize + ?Sized>(value: &T) -> Result<V, E> {
    to_value(Tree(&std::cell::Cell::new(0)), value)
}

fn same_as_serde_json<T: Serialize + ?Sized>(value: &T) {
    let ours = json(&tree(value).expect("converts"));
    assert_eq!(ours, serde_json::to_string(value).unwrap());
}

struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Elf,
    #[serde(rename = "mach-o")]
    MachO,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Id(u32);

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Pair(i8, &'static str);

#[derive(Serialize)]
enum Shape {
    Unit,
    Newtype(u16),
    Tuple(u8, bool, Option<i32>),
    Struct { zeta: f32, alpha: Vec<Kind> },
}

#[derive(Serialize)]
struct Entry {
    // Declared out of alphabetical order: the order must survive.
    path: String,
    format: Kind,
    #[serde(flatten)]
    extra: BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u8>,
    none: Option<u8>,
    shapes: Vec<Shape>,
    unit: Unit,
    pair: Pair,
    tuple: (char, (), i64),
    floats: [f64; 5],
    small: f32,
    big: (i128, u128),
    by_int: BTreeMap<i64, bool>,
    by_bool: BTreeMap<bool, &'static str>,
    by_char: BTreeMap<char, u8>,
    by_variant: BTreeMap<Kind, u8>,
    by_newtype: BTreeMap<Id, u8>,
}

#[test]
fn every_shape_is_what_serde_json_prints() {
    let e = Entry {
        path: "/usr/bin/\"x\"\n\u{e9}".into(),
        format: Kind::MachO,
        extra: [("k2".to_string(), 2), ("k1".to_string(), u64::MAX)].into(),
        skipped: None,
        none: None,
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(7),
            Shape::Tuple(1, true, None),
            Shape::Struct {
                zeta: 0.1,
                alpha: vec![Kind::Elf, Kind::MachO],
            },
        ],
        unit: Unit,
        pair: Pair(-3, "p"),
        tuple: ('\u{1f600}', (), i64::MIN),
        floats: [1.5, f64::NAN, f64::INFINITY, -0.0, 1e300],
        small: 3.3,
        big: (i128::MIN, u128::MAX),
        by_int: [(-1, true), (10, false)].into(),
        by_bool: [(false, "f"), (true, "t")].into(),
        by_char: [('a', 1)].into(),
        by_variant: [(Kind::Elf, 1), (Kind::MachO, 2)].into(),
        by_newtype: [(Id(4), 4)].into(),
    };
    same_as_serde_json(&e);
    same_as_serde_json(&vec![Some(1u8), None]);
    same_as_serde_json("plain");
    same_as_serde_json(&f32::NAN);
}

#[test]
fn bytes_are_lists_of_integers() {
    assert_eq!(
        tree(&Bytes(&[0, 255])).unwrap(),
        V::L(vec![V::U(0), V::U(255)])
    );
}

#[test]
fn struct_fields_and_variant_names_are_static_keys() {
    let n = std::cell::Cell::new(0);
    to_value(
        Tree(&n),
        &Shape::Struct {
            zeta: 1.0,
            alpha: vec![],
        },
    )
    .unwrap();
    // zeta, alpha and the variant name; a map's keys are not static.
    assert_eq!(n.get(), 3);
    let m: BTreeMap<&str, u8> = [("a", 1)].into();
    to_value(Tree(&n), &m).unwrap();
    assert_eq!(n.get(), 3);
}

#[test]
fn keys_serde_json_cannot_print_are_refused() {
    let lists: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    assert_eq!(tree(&lists).unwrap_err(), E("key must be a string".into()));
    let opt: BTreeMap<Option<u8>, u8> = [(None, 1)].into();
    assert_eq!(tree(&opt).unwrap_err(), E("key must be a string".into()));
    assert!(serde_json::to_string(&opt).is_err());
}
