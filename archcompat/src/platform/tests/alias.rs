//! The aliases users type that containerd does not know, each tested in both directions,
//! and the deliberate difference between `FromStr` (aliases) and containerd's `Parse`.

use crate::platform::alias::{arch_alias, parse_lenient};
use crate::platform::{AliasKind, Defaults, Platform};

fn amd() -> Defaults {
    Defaults::new("linux", "amd64", "")
}

fn lenient(s: &str) -> String {
    parse_lenient(s, &amd())
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .normalize_with(&amd())
        .to_string()
}

#[test]
fn uname_machine_values() {
    let cases = [
        ("x86_64", "linux/amd64"),
        ("aarch64", "linux/arm64"),
        ("armv7l", "linux/arm/v7"),
        ("armv6l", "linux/arm/v6"),
        ("armv8l", "linux/arm/v8"),
        ("armv5tel", "linux/arm/v5"),
        ("i686", "linux/386"),
        ("i586", "linux/386"),
        ("i486", "linux/386"),
        ("ppc64le", "linux/ppc64le"),
        ("ppc64", "linux/ppc64"),
        ("s390x", "linux/s390x"),
        ("riscv64", "linux/riscv64"),
        ("loongarch64", "linux/loong64"),
        ("mips64", "linux/mips64"),
    ];
    for (input, want) in cases {
        assert_eq!(lenient(input), want, "{input}");
        // and after an OS, where containerd would keep the name unrecognised
        assert_eq!(lenient(&format!("linux/{input}")), want, "linux/{input}");
    }
}

#[test]
fn debian_architectures() {
    let cases = [
        ("amd64", "linux/amd64"),
        ("arm64", "linux/arm64"),
        ("armhf", "linux/arm/v7"),
        ("armel", "linux/arm/v6"),
        ("ppc64el", "linux/ppc64le"),
        ("i386", "linux/386"),
        ("mips64el", "linux/mips64le"),
        ("mipsel", "linux/mipsle"),
        ("s390x", "linux/s390x"),
        ("riscv64", "linux/riscv64"),
        ("loong64", "linux/loong64"),
    ];
    for (input, want) in cases {
        assert_eq!(lenient(input), want, "{input}");
        let p: Platform = want.parse().unwrap();
        if input != "armel" || p.variant == "v6" {
            assert_eq!(
                p.alias(AliasKind::Debian).as_deref(),
                Some(input),
                "{want} as Debian"
            );
        }
    }
}

#[test]
fn go_environment() {
    let cases = [
        ("GOARCH=amd64", "linux/amd64"),
        ("GOOS=linux GOARCH=amd64 GOAMD64=v3", "linux/amd64/v3"),
        ("GOARCH=amd64 GOAMD64=v1", "linux/amd64"),
        ("GOARCH=arm GOARM=7", "linux/arm/v7"),
        ("GOARCH=arm GOARM=6", "linux/arm/v6"),
        ("GOARCH=arm GOARM=5", "linux/arm/v5"),
        ("GOARCH=arm GOARM=6,softfloat", "linux/arm/v6"),
        ("GOARCH=arm", "linux/arm/v7"),
        ("GOOS=windows GOARCH=arm64", "windows/arm64"),
        ("GOARCH=riscv64", "linux/riscv64"),
    ];
    for (input, want) in cases {
        assert_eq!(lenient(input), want, "{input}");
    }
    for bad in [
        "GOARCH=arm GOARM=9",
        "GOARCH=amd64 GOAMD64=v5",
        "GOARCH=x86_64",
        "GOFOO=1 GOARCH=arm",
        "GOOS=linux",
    ] {
        assert!(parse_lenient(bad, &amd()).is_err(), "{bad}");
    }
    let p: Platform = "linux/arm/v6".parse().unwrap();
    assert_eq!(
        p.alias(AliasKind::GoEnv).as_deref(),
        Some("GOOS=linux GOARCH=arm GOARM=6")
    );
    let p: Platform = "linux/amd64/v3".parse().unwrap();
    assert_eq!(
        p.alias(AliasKind::GoEnv).as_deref(),
        Some("GOOS=linux GOARCH=amd64 GOAMD64=v3")
    );
    let p: Platform = "linux/arm64".parse().unwrap();
    assert_eq!(
        p.alias(AliasKind::GoEnv).as_deref(),
        Some("GOOS=linux GOARCH=arm64")
    );
}

#[test]
fn rust_target_triples() {
    let cases = [
        ("x86_64-unknown-linux-gnu", "linux/amd64"),
        ("x86_64-unknown-linux-musl", "linux/amd64"),
        ("aarch64-unknown-linux-gnu", "linux/arm64"),
        ("aarch64-unknown-linux-musl", "linux/arm64"),
        ("armv7-unknown-linux-gnueabihf", "linux/arm/v7"),
        ("armv7-unknown-linux-musleabihf", "linux/arm/v7"),
        ("arm-unknown-linux-gnueabihf", "linux/arm/v6"),
        ("arm-unknown-linux-gnueabi", "linux/arm/v5"),
        ("armv5te-unknown-linux-gnueabi", "linux/arm/v5"),
        ("i686-unknown-linux-gnu", "linux/386"),
        ("powerpc64le-unknown-linux-gnu", "linux/ppc64le"),
        ("riscv64gc-unknown-linux-gnu", "linux/riscv64"),
        ("s390x-unknown-linux-gnu", "linux/s390x"),
        ("loongarch64-unknown-linux-gnu", "linux/loong64"),
        ("aarch64-apple-darwin", "darwin/arm64"),
        ("x86_64-pc-windows-msvc", "windows/amd64"),
    ];
    for (input, want) in cases {
        assert_eq!(lenient(input), want, "{input}");
        // containerd itself rejects them
        assert!(Platform::parse_containerd(input).is_err(), "{input}");
    }
    let reverse = [
        (
            "linux/amd64",
            AliasKind::RustTriple,
            "x86_64-unknown-linux-gnu",
        ),
        (
            "linux/arm64",
            AliasKind::RustTripleMusl,
            "aarch64-unknown-linux-musl",
        ),
        (
            "linux/arm/v7",
            AliasKind::RustTriple,
            "armv7-unknown-linux-gnueabihf",
        ),
        (
            "linux/arm/v6",
            AliasKind::RustTriple,
            "arm-unknown-linux-gnueabihf",
        ),
        (
            "linux/386",
            AliasKind::RustTripleMusl,
            "i686-unknown-linux-musl",
        ),
        (
            "darwin/arm64",
            AliasKind::RustTriple,
            "aarch64-apple-darwin",
        ),
    ];
    for (p, kind, want) in reverse {
        let p: Platform = p.parse().unwrap();
        let got = p.alias(kind).unwrap();
        assert_eq!(got, want);
        // and the triple parses back to the same platform
        assert_eq!(lenient(&got), p.normalize().to_string());
    }
    assert_eq!(
        "darwin/arm64"
            .parse::<Platform>()
            .unwrap()
            .alias(AliasKind::RustTripleMusl),
        None
    );
}

#[test]
fn kubernetes_ecs_lambda() {
    // kubernetes.io/arch values are GOARCH names: containerd's Parse already knows them.
    for arch in ["amd64", "arm64", "arm", "ppc64le", "s390x"] {
        let p = Platform::parse_containerd(&format!("linux/{arch}")).unwrap();
        assert_eq!(p.alias(AliasKind::Kubernetes).as_deref(), Some(arch));
        assert_eq!(lenient(arch), p.normalize().to_string());
    }
    // ECS cpuArchitecture
    assert_eq!(lenient("X86_64"), "linux/amd64");
    assert_eq!(lenient("ARM64"), "linux/arm64");
    // Lambda Architectures
    assert_eq!(lenient("x86_64"), "linux/amd64");
    assert_eq!(lenient("arm64"), "linux/arm64");
    let amd: Platform = "linux/amd64".parse().unwrap();
    let arm: Platform = "linux/arm64/v8".parse().unwrap();
    assert_eq!(
        amd.alias(AliasKind::EcsCpuArchitecture).as_deref(),
        Some("X86_64")
    );
    assert_eq!(
        arm.alias(AliasKind::EcsCpuArchitecture).as_deref(),
        Some("ARM64")
    );
    assert_eq!(
        amd.alias(AliasKind::LambdaArchitecture).as_deref(),
        Some("x86_64")
    );
    assert_eq!(
        arm.alias(AliasKind::LambdaArchitecture).as_deref(),
        Some("arm64")
    );
    let v7: Platform = "linux/arm/v7".parse().unwrap();
    assert_eq!(v7.alias(AliasKind::EcsCpuArchitecture), None);
    assert_eq!(v7.alias(AliasKind::LambdaArchitecture), None);
}

#[test]
fn uname_reverse() {
    let cases = [
        ("linux/amd64/v3", "x86_64"),
        ("linux/arm64/v8", "aarch64"),
        ("linux/arm", "armv7l"),
        ("linux/arm/v6", "armv6l"),
        ("linux/386", "i686"),
        ("linux/loong64", "loongarch64"),
    ];
    for (p, want) in cases {
        let p: Platform = p.parse().unwrap();
        assert_eq!(p.alias(AliasKind::Uname).as_deref(), Some(want));
        assert_eq!(
            lenient(want),
            Platform::new("linux", &p.normalize().architecture, &p.normalize().variant)
                .to_string()
                .replace("/v3", "")
        );
    }
}

#[test]
fn every_kind_has_a_name_and_oci_is_format_all() {
    let p: Platform = "windows(10.0.20348)/amd64".parse().unwrap();
    assert_eq!(
        p.alias(AliasKind::Oci).as_deref(),
        Some("windows(10.0.20348)/amd64")
    );
    let names: Vec<&str> = AliasKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(names.len(), 9);
    for k in AliasKind::ALL {
        assert_eq!(
            serde_json::to_value(k).unwrap(),
            serde_json::json!(k.name())
        );
    }
}

/// Deliberate difference 1: containerd keeps unknown architectures verbatim or rejects lone
/// unknown words; `FromStr` maps them to the canonical platform.
#[test]
fn from_str_differs_from_containerd_only_on_aliases() {
    for s in ["armv7l", "i686", "x86", "x64", "armv7", "wasip1"] {
        assert!(
            Platform::parse_containerd(s).is_err(),
            "containerd rejects {s}"
        );
    }
    assert_eq!(
        Platform::parse_containerd("linux/armv7l")
            .unwrap()
            .architecture,
        "armv7l"
    );
    assert_eq!(
        Platform::parse_containerd("linux/ppc64el")
            .unwrap()
            .architecture,
        "ppc64el"
    );
    assert_eq!(
        "linux/armv7l".parse::<Platform>().unwrap(),
        Platform::new("linux", "arm", "")
    );
    assert_eq!(
        "linux/ppc64el".parse::<Platform>().unwrap(),
        Platform::new("linux", "ppc64le", "")
    );
    assert!("wasip1".parse::<Platform>().is_err());
    // Everything containerd accepts with a known architecture is left exactly as containerd parses it.
    for s in [
        "linux/arm64/v8",
        "linux/arm",
        "windows(10.0.17763+win32k)/amd64",
        "Linux/x86_64",
        "linux/arm64/8.1",
        "foo/bar",
    ] {
        let ours: Platform = s.parse().unwrap();
        let theirs = Platform::parse_containerd(s).unwrap();
        if s == "foo/bar" {
            assert_eq!(ours, theirs);
        } else {
            assert_eq!(ours, theirs, "{s}");
        }
    }
    assert!(arch_alias("sparc").is_none());
}

#[test]
fn invalid_specifiers_name_the_bad_part() {
    let cases = [
        ("", "\"\""),
        ("/linux/arm", "\"\""),
        ("linux/arm/", "\"\""),
        ("linux /arm", "linux "),
        ("linux/&arm", "&arm"),
        ("linux/arm/foo/bar", "bar"),
        ("*", "wildcard"),
        ("linux/*", "wildcard"),
        ("*/arm64", "wildcard"),
        ("linux//amd64", "\"\""),
        ("linux.1/amd64", "linux.1"),
        ("linux/arm:v7", "arm:v7"),
        ("linux/amd64@v3", "amd64@v3"),
        ("linux(+)/amd64", "linux(+)"),
        ("linux(++a)/amd64", "linux(++a)"),
        ("linux(%zz)/amd64", "%zz"),
        ("windows(10.0.17763))/amd64", "windows(10.0.17763))"),
        ("foo", "foo"),
        ("i686x", "i686x"),
    ];
    for (input, part) in cases {
        let e = input.parse::<Platform>().expect_err(input).to_string();
        assert!(
            e.contains(part),
            "{input:?}: error {e:?} should name {part:?}"
        );
        assert!(Platform::parse_containerd(input).is_err(), "{input:?}");
    }
}

/// Conversion to and from oci-spec's descriptor `Platform` keeps every field, including
/// names oci-spec has no enum variant for.
#[test]
fn oci_spec_round_trip() {
    for s in [
        "linux/amd64",
        "linux/arm64/v8",
        "linux/arm/v6",
        "linux/386",
        "linux/ppc64le",
        "linux/s390x",
        "linux/riscv64",
        "linux/loong64",
        "linux/mips64le",
        "windows(10.0.20348+win32k)/amd64",
        "freebsd/arm64",
        "plan9/wasm",
        "linux/armbe",
        "linux/arm64be",
        "Linux/X86_64",
        "foo/bar/baz",
    ] {
        let p: Platform = s.parse().unwrap();
        let oci = p.to_oci();
        let back = Platform::from(&oci);
        assert_eq!(back, p, "{s}");
        assert_eq!(oci.os().to_string(), p.os, "{s}");
        assert_eq!(oci.architecture().to_string(), p.architecture, "{s}");
    }
}
