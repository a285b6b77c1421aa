//! Property tests: formatting a parsed platform and parsing it again is stable; normalising
//! twice equals normalising once; parsing never panics and errors leave nothing behind;
//! matchers are consistent orderings on what they match.

use crate::platform::parse::parse_with;
use crate::platform::{Defaults, Platform, matcher};
use proptest::prelude::*;

fn d() -> Defaults {
    Defaults::new("linux", "amd64", "")
}

fn os() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("linux".to_string()),
        Just("windows".to_string()),
        Just("Linux".to_string()),
        Just("macOS".to_string()),
        Just("darwin".to_string()),
        "[a-z][a-z0-9_-]{0,8}",
    ]
}

fn arch() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("amd64".to_string()),
        Just("x86_64".to_string()),
        Just("arm64".to_string()),
        Just("aarch64".to_string()),
        Just("arm".to_string()),
        Just("armhf".to_string()),
        Just("armel".to_string()),
        Just("i386".to_string()),
        Just("386".to_string()),
        Just("ppc64le".to_string()),
        Just("riscv64".to_string()),
        "[A-Za-z0-9_.-]{1,10}",
    ]
}

fn variant() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("v1".to_string()),
        Just("v8".to_string()),
        Just("8".to_string()),
        Just("v8.0".to_string()),
        Just("v8.3".to_string()),
        Just("9".to_string()),
        Just("v9.2".to_string()),
        Just("7".to_string()),
        Just("v6".to_string()),
        Just("v3".to_string()),
        "v[0-9]{1,3}",
        "[a-z0-9.]{1,6}",
    ]
}

fn option() -> impl Strategy<Value = String> {
    // what FormatAll can encode (a space, say, it writes raw, as containerd does)
    "[A-Za-z0-9_.%+()/-]{0,8}"
}

fn platform() -> impl Strategy<Value = Platform> {
    (
        os(),
        arch(),
        variant(),
        proptest::option::of(option()),
        proptest::collection::vec(option(), 0..4),
    )
        .prop_map(
            |(os, architecture, variant, os_version, os_features)| Platform {
                os,
                architecture,
                variant,
                os_version: os_version.filter(|v| !v.is_empty()),
                os_features,
            },
        )
}

/// Platforms as Parse produces them (canonical), from specifiers.
fn spec() -> impl Strategy<Value = String> {
    (
        os(),
        arch(),
        variant(),
        proptest::option::of("[A-Za-z0-9_.]{0,6}"),
        proptest::collection::vec("[a-z0-9]{1,5}", 0..3),
    )
        .prop_map(|(os, arch, variant, ver, feats)| {
            let mut s = os.clone();
            if ver.is_some() || !feats.is_empty() {
                s.push('(');
                s.push_str(ver.as_deref().unwrap_or(""));
                for f in &feats {
                    s.push('+');
                    s.push_str(f);
                }
                s.push(')');
            }
            s.push('/');
            s.push_str(&arch);
            if !variant.is_empty() {
                s.push('/');
                s.push_str(&variant);
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn format_parse_is_stable(s in spec()) {
        // containerd's Format path-cleans, so `.` and `..` components do not survive (see
        // `dot_components_are_path_cleaned_like_containerd`).
        prop_assume!(!s.split('/').any(|c| c == "." || c == ".."));
        if let Ok(p) = parse_with(&s, &d()) {
            let formatted = p.format_all();
            if let Ok(q) = parse_with(&formatted, &d()) {
                prop_assert_eq!(q.format_all(), formatted.clone());
                let again = parse_with(&q.format_all(), &d()).unwrap();
                prop_assert_eq!(again, q);
            }
        }
    }

    #[test]
    fn format_all_round_trips_options(p in platform()) {
        // os.version and os.features survive FormatAll → Parse (features sorted and
        // de-duplicated, empties dropped), for any characters FormatAll encodes.
        let p = Platform { os: "linux".into(), architecture: "amd64".into(), variant: String::new(), ..p };
        let q = parse_with(&p.format_all(), &d()).unwrap();
        let mut want: Vec<String> = p.os_features.iter().filter(|f| !f.is_empty()).cloned().collect();
        want.sort();
        want.dedup();
        prop_assert_eq!(q.os_version, p.os_version);
        prop_assert_eq!(q.os_features, want);
    }

    #[test]
    fn normalize_is_idempotent(p in platform()) {
        let once = p.normalize_with(&d());
        prop_assert_eq!(once.normalize_with(&d()), once.clone());
    }

    #[test]
    fn parse_never_panics_and_errors_name_the_input(s in "\\PC{0,40}") {
        match parse_with(&s, &d()) {
            Ok(p) => prop_assert!(!p.os.is_empty()),
            Err(e) => prop_assert!(e.to_string().contains("invalid platform")),
        }
        let _ = s.parse::<Platform>();
    }

    #[test]
    fn only_matches_itself_and_ranks_consistently(host in platform(), a in platform(), b in platform()) {
        let o = matcher::only(&host);
        // Less is irreflexive and asymmetric
        prop_assert!(!o.less(&a, &a));
        prop_assert!(!(o.less(&a, &b) && o.less(&b, &a)));
        // a matching candidate ranks before a non-matching one
        if o.matches(&a) && !o.matches(&b) {
            prop_assert!(o.less(&a, &b));
        }
        // sorting is a permutation and puts matches first
        let mut v = vec![a.clone(), b.clone(), host.clone()];
        o.sort(&mut v);
        let first_non = v.iter().position(|p| !o.matches(p)).unwrap_or(v.len());
        prop_assert!(v[first_non..].iter().all(|p| !o.matches(p)));
    }

    #[test]
    fn strict_matches_every_spelling_of_itself(s in spec()) {
        if let Ok(p) = parse_with(&s, &d()) {
            let n = p.normalize_with(&d());
            // A platform without os.features always matches itself and its normal form.
            let plain = Platform { os_features: vec![], ..p.clone() };
            let m = matcher::only_strict(&plain);
            prop_assert!(m.matches(&plain), "{}", plain.format_all());
            let bare = Platform { os_features: vec![], ..n };
            prop_assert!(m.matches(&bare));
        }
    }
}

#[test]
fn dot_components_are_path_cleaned_like_containerd() {
    let p = parse_with("linux/386/..", &d()).unwrap();
    assert_eq!(p.variant, "..");
    assert_eq!(p.to_string(), "linux");
    assert_eq!(
        parse_with("linux/./v7", &d()).unwrap().to_string(),
        "linux/v7"
    );
}
