//! containerd/platforms' own published test tables (v1.0.0-rc.4 + PR #34 = rc.5), re-typed
//! as data: platforms_test.go, compare_test.go, defaults_test.go, defaults_unix_test.go,
//! platform_windows_compat_test.go, platforms_windows_test.go, cpuinfo_linux_test.go.
//! Host-dependent cases run against several injected hosts (containerd reads
//! runtime.GOOS/GOARCH and the CPU variant).

use crate::platform::host::{cpu_variant_from, cpu_variant_from_arch};
use crate::platform::matcher::{
    self, WindowsVersion, new_matcher, only, only_os, only_strict, ordered, windows_comparer,
    windows_compatible,
};
use crate::platform::parse::parse_with;
use crate::platform::{Defaults, Platform};

fn plat(os: &str, arch: &str, variant: &str) -> Platform {
    Platform::new(os, arch, variant)
}

fn winv(os_version: &str) -> Platform {
    Platform {
        os_version: Some(os_version.to_string()).filter(|v| !v.is_empty()),
        ..plat("windows", "amd64", "")
    }
}

fn parse(s: &str) -> Platform {
    Platform::parse_containerd(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn go_path_join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

/// The hosts TestParseSelector is run against.
fn hosts() -> Vec<Defaults> {
    vec![
        Defaults::new("linux", "amd64", ""),
        Defaults::new("linux", "arm64", "v8"),
        Defaults::new("linux", "arm", "v7"),
        Defaults::new("linux", "arm", "v6"),
        Defaults::new("linux", "arm", "v8"),
        Defaults::new("windows", "amd64", ""),
        Defaults::new("darwin", "arm64", "v8"),
        Defaults::new("linux", "s390x", ""),
    ]
}

struct Selector {
    input: &'static str,
    /// os ("" = host OS), arch ("" = host arch, variant then host default), variant
    expected: (&'static str, &'static str, &'static str),
    os_version: &'static str,
    os_features: &'static [&'static str],
    matches: &'static [(&'static str, &'static str, &'static str)],
    /// Formatted: `{os}` = host OS, `{host}` = host arch[/variant] suffix.
    formatted: &'static str,
    v2: bool,
}

const SELECTORS: &[Selector] = &[
    Selector {
        input: "linux/arm64",
        expected: ("linux", "arm64", ""),
        os_version: "",
        os_features: &[],
        matches: &[
            ("linux", "aarch64", ""),
            ("linux", "aarch64", "v8"),
            ("linux", "arm64", "v8"),
        ],
        formatted: "linux/arm64",
        v2: false,
    },
    Selector {
        input: "linux/arm64/v8",
        expected: ("linux", "arm64", "v8"),
        os_version: "",
        os_features: &[],
        matches: &[
            ("linux", "aarch64", ""),
            ("linux", "aarch64", "v8"),
            ("linux", "arm64", ""),
        ],
        formatted: "linux/arm64/v8",
        v2: false,
    },
    Selector {
        input: "linux/arm",
        expected: ("linux", "arm", ""),
        os_version: "",
        os_features: &[],
        matches: &[
            ("linux", "arm", "v7"),
            ("linux", "armhf", ""),
            ("linux", "arm", "7"),
        ],
        formatted: "linux/arm",
        v2: false,
    },
    Selector {
        input: "linux/arm/v6",
        expected: ("linux", "arm", "v6"),
        os_version: "",
        os_features: &[],
        matches: &[("linux", "armel", "")],
        formatted: "linux/arm/v6",
        v2: false,
    },
    Selector {
        input: "linux/arm/v7",
        expected: ("linux", "arm", "v7"),
        os_version: "",
        os_features: &[],
        matches: &[("linux", "arm", ""), ("linux", "armhf", "")],
        formatted: "linux/arm/v7",
        v2: false,
    },
    Selector {
        input: "arm",
        expected: ("", "arm", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "{os}/arm",
        v2: false,
    },
    Selector {
        input: "armel",
        expected: ("", "arm", "v6"),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "{os}/arm/v6",
        v2: false,
    },
    Selector {
        input: "armhf",
        expected: ("", "arm", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "{os}/arm",
        v2: false,
    },
    Selector {
        input: "Aarch64",
        expected: ("", "arm64", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "{os}/arm64",
        v2: false,
    },
    Selector {
        input: "x86_64",
        expected: ("", "amd64", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "{os}/amd64",
        v2: false,
    },
    Selector {
        input: "Linux/x86_64",
        expected: ("linux", "amd64", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "linux/amd64",
        v2: false,
    },
    Selector {
        input: "i386",
        expected: ("", "386", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "{os}/386",
        v2: false,
    },
    Selector {
        input: "linux",
        expected: ("linux", "", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "linux{host}",
        v2: false,
    },
    Selector {
        input: "s390x",
        expected: ("", "s390x", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "{os}/s390x",
        v2: false,
    },
    Selector {
        input: "linux/s390x",
        expected: ("linux", "s390x", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "linux/s390x",
        v2: false,
    },
    Selector {
        input: "macOS",
        expected: ("darwin", "", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "darwin{host}",
        v2: false,
    },
    Selector {
        input: "windows",
        expected: ("windows", "", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "windows{host}",
        v2: false,
    },
    Selector {
        input: "windows()",
        expected: ("windows", "", ""),
        os_version: "",
        os_features: &[],
        matches: &[],
        formatted: "windows{host}",
        v2: true,
    },
    Selector {
        input: "windows(10.0.17763)",
        expected: ("windows", "", ""),
        os_version: "10.0.17763",
        os_features: &[],
        matches: &[],
        formatted: "windows(10.0.17763){host}",
        v2: true,
    },
    Selector {
        input: "windows(10.0.17763+win32k)",
        expected: ("windows", "", ""),
        os_version: "10.0.17763",
        os_features: &["win32k"],
        matches: &[],
        formatted: "windows(10.0.17763+win32k){host}",
        v2: true,
    },
    Selector {
        input: "linux(+gpu)",
        expected: ("linux", "", ""),
        os_version: "",
        os_features: &["gpu"],
        matches: &[],
        formatted: "linux(+gpu){host}",
        v2: true,
    },
    Selector {
        input: "linux(+gpu+simd)",
        expected: ("linux", "", ""),
        os_version: "",
        os_features: &["gpu", "simd"],
        matches: &[],
        formatted: "linux(+gpu+simd){host}",
        v2: true,
    },
    Selector {
        input: "linux(+unsorted+erofs)",
        expected: ("linux", "", ""),
        os_version: "",
        os_features: &["unsorted", "erofs"],
        matches: &[],
        formatted: "linux(+erofs+unsorted){host}",
        v2: true,
    },
    Selector {
        input: "windows(10.0.17763%2Bbuild.42)",
        expected: ("windows", "", ""),
        os_version: "10.0.17763+build.42",
        os_features: &[],
        matches: &[],
        formatted: "windows(10.0.17763%2Bbuild.42){host}",
        v2: true,
    },
    Selector {
        input: "windows(10.0.17763%2Bbuild.42+win32k)",
        expected: ("windows", "", ""),
        os_version: "10.0.17763+build.42",
        os_features: &["win32k"],
        matches: &[],
        formatted: "windows(10.0.17763%2Bbuild.42+win32k){host}",
        v2: true,
    },
    Selector {
        input: "windows(50%25done)",
        expected: ("windows", "", ""),
        os_version: "50%done",
        os_features: &[],
        matches: &[],
        formatted: "windows(50%25done){host}",
        v2: true,
    },
];

#[test]
fn parse_selector() {
    for d in hosts() {
        // containerd's test: the default variant is the CPU variant only on arm, and not v7.
        let default_variant = if d.arch == "arm" && d.cpu_variant != "v7" {
            d.cpu_variant.as_str()
        } else {
            ""
        };
        for case in SELECTORS {
            let (eos, earch, evariant) = case.expected;
            let expected = Platform {
                os: if eos.is_empty() {
                    d.os.clone()
                } else {
                    eos.into()
                },
                architecture: if earch.is_empty() {
                    d.arch.clone()
                } else {
                    earch.into()
                },
                variant: if earch.is_empty() {
                    default_variant.into()
                } else {
                    evariant.into()
                },
                os_version: Some(case.os_version.to_string()).filter(|v| !v.is_empty()),
                os_features: case.os_features.iter().map(|s| s.to_string()).collect(),
            };
            let ctx = format!("{} on {:?}", case.input, d);
            let p = parse_with(case.input, &d).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_eq!(p, expected, "{ctx}");
            let m = new_matcher(&p);
            assert!(m.matches(&expected), "{ctx}: matches its expected platform");
            for &(os, arch, variant) in case.matches {
                assert!(
                    m.matches(&plat(os, arch, variant)),
                    "{ctx}: matches {os}/{arch}/{variant}"
                );
            }
            let host_suffix = format!("/{}", go_path_join(&[&d.arch, default_variant]));
            let want = case
                .formatted
                .replace("{os}", &d.os)
                .replace("{host}", &host_suffix);
            let formatted = if case.v2 {
                p.format_all()
            } else {
                p.to_string()
            };
            assert_eq!(formatted, want, "{ctx}: formatted");
            let reparsed =
                parse_with(&formatted, &d).unwrap_or_else(|e| panic!("{ctx}: reparse: {e}"));
            let again = if case.v2 {
                reparsed.format_all()
            } else {
                reparsed.to_string()
            };
            assert_eq!(again, formatted, "{ctx}: round trip");
        }
    }
}

#[test]
fn wildcards_are_rejected() {
    // The skipped upstream wildcard cases: Parse must fail on `*` anywhere.
    for s in ["*", "linux/*", "*/arm64"] {
        assert!(Platform::parse_containerd(s).is_err(), "{s}");
    }
}

#[test]
fn format_all_encoding() {
    let cases: &[(&str, &str, &[&str], &str)] = &[
        (
            "windows",
            "10.0.17763+build.42",
            &[],
            "windows(10.0.17763%2Bbuild.42)/amd64",
        ),
        (
            "windows",
            "10.0.17763+build.42",
            &["win32k"],
            "windows(10.0.17763%2Bbuild.42+win32k)/amd64",
        ),
        ("windows", "50%done", &[], "windows(50%25done)/amd64"),
        ("windows", "1.0(beta)", &[], "windows(1.0%28beta%29)/amd64"),
        ("windows", "a/b", &[], "windows(a%2Fb)/amd64"),
        ("windows", "10.0.17763", &[], "windows(10.0.17763)/amd64"),
        ("linux", "", &["feat+v2"], "linux(+feat%2Bv2)/amd64"),
        ("linux", "", &["100%gpu"], "linux(+100%25gpu)/amd64"),
        (
            "windows",
            "10.0+build",
            &["feat+1"],
            "windows(10.0%2Bbuild+feat%2B1)/amd64",
        ),
    ];
    for &(os, version, features, expected) in cases {
        let p = Platform {
            os_version: Some(version.to_string()).filter(|v| !v.is_empty()),
            os_features: features.iter().map(|s| s.to_string()).collect(),
            ..plat(os, "amd64", "")
        };
        assert_eq!(p.format_all(), expected);
        let re = parse(expected);
        assert_eq!(re.os_version, p.os_version, "{expected}");
        assert_eq!(re.os_features, p.os_features, "{expected}");
    }
}

#[test]
fn parse_selector_invalid() {
    for s in [
        "",
        "/linux/arm",
        "linux/arm/",
        "linux /arm",
        "linux/&arm",
        "linux/arm/foo/bar",
    ] {
        assert!(Platform::parse_containerd(s).is_err(), "{s:?} must fail");
        // and with the user aliases on top, still an error
        assert!(
            s.parse::<Platform>().is_err(),
            "{s:?} must fail with aliases too"
        );
    }
}

#[test]
fn format_all_skips_empty_os_features() {
    let p = Platform {
        os_features: vec!["".into(), "gpu".into(), "".into(), "simd".into()],
        ..plat("linux", "amd64", "")
    };
    assert_eq!(p.format_all(), "linux(+gpu+simd)/amd64");
}

type MatchTable = &'static [(
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)];

const ONLY: MatchTable = &[
    (
        "linux/amd64",
        &["linux/amd64", "linux/386"],
        &[
            "linux/amd64/v2",
            "linux/arm/v7",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/amd64/v2",
        &[
            "linux/amd64",
            "linux/amd64/v1",
            "linux/amd64/v2",
            "linux/386",
        ],
        &[
            "linux/amd64/v3",
            "linux/amd64/v4",
            "linux/arm/v7",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/386",
        &["linux/386"],
        &[
            "linux/amd64",
            "linux/arm/v7",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "windows/amd64",
        &["windows/amd64", "windows(10.0.17763)/amd64"],
        &["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"],
    ),
    (
        "linux/arm/v8",
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
        ],
        &[
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v7",
        &["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7"],
        &[
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v6",
        &["linux/arm/v5", "linux/arm/v6"],
        &[
            "linux/amd64",
            "linux/arm",
            "linux/arm/v4",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v5",
        &["linux/arm/v5"],
        &[
            "linux/amd64",
            "linux/arm",
            "linux/arm/v4",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v4",
        &["linux/arm/v4"],
        &[
            "linux/amd64",
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm64/v9.6",
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
            "linux/arm64/v8.1",
            "linux/arm64/v8.2",
            "linux/arm64/v8.3",
            "linux/arm64/v8.4",
            "linux/arm64/v8.5",
            "linux/arm64/v8.6",
            "linux/arm64/v8.7",
            "linux/arm64/v8.8",
            "linux/arm64/v8.9",
            "linux/arm64/v9",
            "linux/arm64/v9.0",
            "linux/arm64/v9.1",
            "linux/arm64/v9.2",
            "linux/arm64/v9.3",
            "linux/arm64/v9.4",
            "linux/arm64/v9.5",
            "linux/arm64/v9.6",
        ],
        &[
            "linux/amd64",
            "linux/arm/v4",
            "windows/amd64",
            "windows/arm",
            "linux/arm64/v8.10",
        ],
    ),
    (
        "linux/arm64/v9",
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
            "linux/arm64/v8.1",
            "linux/arm64/v8.2",
            "linux/arm64/v8.3",
            "linux/arm64/v8.4",
            "linux/arm64/v8.5",
            "linux/arm64/v9",
            "linux/arm64/v9.0",
        ],
        &[
            "linux/amd64",
            "linux/arm/v4",
            "windows/amd64",
            "windows/arm",
            "linux/arm64/v8.6",
        ],
    ),
    (
        "linux/arm64/v8.1",
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
            "linux/arm64/v8.1",
        ],
        &[
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v9",
            "linux/arm64/v9",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm64",
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
        ],
        &[
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v9",
            "linux/arm64/v9",
            "windows/amd64",
            "windows/arm",
        ],
    ),
];

const ONLY_STRICT: MatchTable = &[
    (
        "linux/amd64",
        &["linux/amd64"],
        &[
            "linux/386",
            "linux/arm/v7",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/386",
        &["linux/386"],
        &[
            "linux/amd64",
            "linux/arm/v7",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "windows/amd64",
        &["windows/amd64", "windows(10.0.17763)/amd64"],
        &["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"],
    ),
    (
        "windows(10.0.17763)/amd64",
        &["windows/amd64", "windows(10.0.17763)/amd64"],
        &["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"],
    ),
    (
        "linux/arm/v8",
        &["linux/arm/v8"],
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v7",
        &["linux/arm", "linux/arm/v7"],
        &[
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v6",
        &["linux/arm/v6"],
        &[
            "linux/arm/v5",
            "linux/amd64",
            "linux/arm",
            "linux/arm/v4",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v5",
        &["linux/arm/v5"],
        &[
            "linux/amd64",
            "linux/arm",
            "linux/arm/v4",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm/v4",
        &["linux/arm/v4"],
        &[
            "linux/amd64",
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm64/v9.5",
        &["linux/arm64/v9.5"],
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm64/v8",
            "linux/arm64/v8.1",
            "linux/arm64/v9",
            "linux/arm64/v9.1",
            "linux/arm64/v9.4",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm64/v9",
        &["linux/arm64/v9", "linux/arm64/v9.0"],
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v9",
            "linux/arm64/v8",
            "linux/arm64/v8.1",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm64/v8.1",
        &["linux/arm64/v8.1"],
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v9",
            "linux/arm64/v8",
            "linux/arm64/v9",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    (
        "linux/arm64",
        &["linux/arm64", "linux/arm64/v8"],
        &[
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v9",
            "linux/arm64/v9",
            "windows/amd64",
            "windows/arm",
        ],
    ),
];

const ONLY_OS: MatchTable = &[
    (
        "linux/amd64",
        &["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386"],
        &["windows/amd64", "darwin/arm64"],
    ),
    (
        "windows(10.0.17763)/amd64",
        &[
            "windows/amd64",
            "windows/arm64",
            "windows(10.0.17763)/amd64",
            "windows(10.0.17763)/arm64",
        ],
        &["linux/amd64"],
    ),
    (
        "linux(+gpu)/amd64",
        &["linux/arm64", "linux(+gpu)/amd64"],
        &["windows/amd64", "linux(+gpu+simd)/amd64"],
    ),
];

fn check_table(name: &str, table: MatchTable, make: fn(&Platform) -> matcher::Matcher) {
    for &(host, yes, no) in table {
        let m = make(&parse(host));
        for c in yes {
            assert!(
                m.matches(&parse(c)),
                "{name}({host}).matches({c}) should be true"
            );
        }
        for c in no {
            assert!(
                !m.matches(&parse(c)),
                "{name}({host}).matches({c}) should be false"
            );
        }
    }
}

#[test]
fn only_table() {
    check_table("Only", ONLY, only);
}

#[test]
fn only_strict_table() {
    check_table("OnlyStrict", ONLY_STRICT, only_strict);
}

#[test]
fn only_os_table() {
    check_table("OnlyOS", ONLY_OS, only_os);
}

fn sorted(m: &matcher::Matcher, inputs: &[&str]) -> Vec<String> {
    let mut ps: Vec<Platform> = inputs.iter().map(|s| parse(s)).collect();
    m.sort(&mut ps);
    ps.iter().map(|p| p.format_all()).collect()
}

#[test]
fn only_os_less() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "linux/amd64",
            &["linux/arm64", "linux/386", "linux/amd64", "windows/amd64"],
            &["linux/amd64", "linux/arm64", "linux/386", "windows/amd64"],
        ),
        (
            "linux/arm64",
            &[
                "linux/amd64",
                "linux/arm/v7",
                "linux/arm64",
                "windows/arm64",
            ],
            &[
                "linux/arm64",
                "linux/amd64",
                "linux/arm/v7",
                "windows/arm64",
            ],
        ),
        (
            "linux/amd64",
            &[
                "windows/amd64",
                "darwin/amd64",
                "linux/arm64",
                "linux/amd64",
            ],
            &[
                "linux/amd64",
                "linux/arm64",
                "windows/amd64",
                "darwin/amd64",
            ],
        ),
    ];
    for &(host, input, expected) in cases {
        assert_eq!(
            sorted(&only_os(&parse(host)), input),
            expected,
            "OnlyOS({host})"
        );
    }
}

#[test]
fn compare_os_features() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "linux/amd64",
            &[
                "windows/amd64",
                "linux/amd64",
                "linux(+other)/amd64",
                "linux/arm64",
            ],
            &[
                "linux/amd64",
                "linux(+other)/amd64",
                "windows/amd64",
                "linux/arm64",
            ],
        ),
        (
            "linux(+none)/amd64",
            &[
                "windows/amd64",
                "linux/amd64",
                "linux/arm64",
                "linux(+other)/amd64",
            ],
            &[
                "linux/amd64",
                "linux(+other)/amd64",
                "windows/amd64",
                "linux/arm64",
            ],
        ),
        (
            "linux(+other)/amd64",
            &[
                "windows/amd64",
                "linux/amd64",
                "linux/arm64",
                "linux(+other)/amd64",
            ],
            &[
                "linux(+other)/amd64",
                "linux/amd64",
                "windows/amd64",
                "linux/arm64",
            ],
        ),
        (
            "linux(+af+other+zf)/amd64",
            &[
                "windows/amd64",
                "linux/amd64",
                "linux/arm64",
                "linux(+other)/amd64",
            ],
            &[
                "linux(+other)/amd64",
                "linux/amd64",
                "windows/amd64",
                "linux/arm64",
            ],
        ),
        (
            "linux(+f1+f2)/amd64",
            &[
                "linux/amd64",
                "linux(+f2)/amd64",
                "linux(+f1)/amd64",
                "linux(+f1+f2)/amd64",
            ],
            &[
                "linux(+f1+f2)/amd64",
                "linux(+f2)/amd64",
                "linux(+f1)/amd64",
                "linux/amd64",
            ],
        ),
        (
            "linux(7.2+other)/amd64",
            &[
                "linux/amd64",
                "linux(+other)/amd64",
                "linux(7.1)/amd64",
                "linux(7.2+other)/amd64",
            ],
            &[
                "linux(+other)/amd64",
                "linux(7.2+other)/amd64",
                "linux/amd64",
                "linux(7.1)/amd64",
            ],
        ),
    ];
    for &(host, input, expected) in cases {
        let p = parse(host);
        for (name, m) in [
            ("only", only(&p)),
            ("only strict", only_strict(&p)),
            ("ordered", ordered(vec![p.clone()])),
            ("any", matcher::any(vec![p.clone()])),
        ] {
            assert_eq!(sorted(&m, input), expected, "{name}({host})");
        }
    }
}

#[test]
fn match_comparer_abi_check_wcow() {
    let (none, ws2019, ws2022, win11) = (
        winv(""),
        winv("10.0.17763"),
        winv("10.0.20348"),
        winv("10.0.22621"),
    );
    let cases = [
        (&ws2019, winv("10.0.17763"), true),
        (&ws2019, winv("10.0.20348"), false),
        (&ws2022, winv("10.0.17763"), false),
        (&ws2022, winv("10.0.20348"), true),
        (&win11, winv("10.0.17763"), false),
        (&win11, winv("10.0.20348"), true),
        (&none, ws2019.clone(), true),
        (&none, none.clone(), true),
        (&none, win11.clone(), true),
    ];
    for (host, test, want) in cases {
        assert_eq!(
            new_matcher(host).matches(&test),
            want,
            "host {host:?} test {test:?}"
        );
    }
}

#[test]
fn windows_match_comparer_less() {
    let m = windows_comparer(&winv("10.0.17763.1"));
    let mut ps = vec![
        winv("10.0.17764.1"),
        winv(""),
        winv("10.0.17763.1"),
        winv("10.0.17763.2"),
        winv("10.0.17762.1"),
    ];
    m.sort(&mut ps);
    let want = vec![
        winv("10.0.17763.2"),
        winv("10.0.17763.1"),
        winv(""),
        winv("10.0.17764.1"),
        winv("10.0.17762.1"),
    ];
    assert_eq!(ps, want);
}

#[test]
fn platform_compat_windows_builds() {
    const LTSC2019: u16 = 17763;
    const LTSC2022: u16 = 20348;
    const WIN11_22H2: u16 = 22621;
    const V23H2: u16 = 25398;
    const LTSC2025: u16 = 26100;
    let cases = [
        (LTSC2019, LTSC2019, true),
        (LTSC2019, LTSC2022, false),
        (LTSC2022, LTSC2019, false),
        (LTSC2022, LTSC2022, true),
        (WIN11_22H2, LTSC2019, false),
        (WIN11_22H2, LTSC2022, true),
        (V23H2, LTSC2019, false),
        (V23H2, LTSC2022, true),
        (LTSC2025, LTSC2022, true),
        (LTSC2022, LTSC2025, false),
        (LTSC2022, WIN11_22H2, false),
        (LTSC2025, WIN11_22H2, true),
        // rc.5 (PR #34): hosts past the latest LTSC keep the previous LTSC floor
        (26200, LTSC2022, true),
        (26200, LTSC2025, true),
        (26200, WIN11_22H2, true),
        (26200, LTSC2019, false),
    ];
    let v = |b| WindowsVersion {
        major: 10,
        minor: 0,
        build: b,
    };
    for (host, ctr, want) in cases {
        assert_eq!(
            windows_compatible(v(host), v(ctr)),
            want,
            "host {host} ctr {ctr}"
        );
    }
}

#[test]
fn platform_order_windows() {
    let linux = plat("linux", "amd64", "");
    let (ws2022, ws2025, ws2025r3000, ws2025p) = (
        winv("10.0.20348.3091"),
        winv("10.0.26100.2894"),
        winv("10.0.26100.3000"),
        winv("10.0.26200.0"),
    );
    let cases = [
        (
            &ws2022,
            vec![linux.clone(), ws2022.clone(), ws2025.clone()],
            &ws2022,
        ),
        (
            &ws2025,
            vec![linux.clone(), ws2022.clone(), ws2025.clone()],
            &ws2025,
        ),
        (
            &ws2025,
            vec![linux.clone(), ws2022.clone(), ws2025r3000.clone()],
            &ws2025r3000,
        ),
        (&ws2025p, vec![linux.clone(), ws2022.clone()], &ws2022),
    ];
    for (host, mut ps, want) in cases {
        windows_comparer(host).sort(&mut ps);
        assert_eq!(ps[0].os, want.os);
        assert_eq!(ps[0].os_version, want.os_version, "host {host:?}");
    }
}

#[test]
fn fallback_on_os_version() {
    let p = winv("99.99.99.99");
    let other = plat("windows", "amd64", "");
    assert!(new_matcher(&p).matches(&other));
}

#[test]
fn normalize_default_spec_is_stable() {
    // TestNormalize (Windows) and TestDefault: DefaultSpec normalises to itself where
    // containerd says so (windows/amd64 with os.version), and DefaultString = FormatAll.
    let s = Platform {
        os_version: Some("10.0.26100".into()),
        ..plat("windows", "amd64", "")
    };
    assert_eq!(s.normalize(), s);
    let d = Defaults::current();
    let spec = Platform::new(&d.os, &d.arch, &d.cpu_variant);
    assert_eq!(spec.format_all(), spec.to_string());
}

#[test]
fn get_cpu_variant_from_arch() {
    let ok = [
        ("aarch64", "8"),
        ("Armv8", "8"),
        ("armv7", "7"),
        ("armv6", "6"),
        ("armv5", "5"),
        ("armv4", "4"),
        ("armv3", "3"),
        ("armv9", "unknown"),
    ];
    for (input, want) in ok {
        assert_eq!(cpu_variant_from_arch(input).unwrap(), want, "{input}");
    }
    for input in ["armxxxx", "armv"] {
        assert!(cpu_variant_from_arch(input).is_err(), "{input}");
    }
}

#[test]
fn cpu_variant_from_cpuinfo() {
    // TestCPUVariant asserts a valid variant on ARM hosts; here the same logic over inputs.
    let cases = [
        (
            "processor\t: 0\nCPU architecture: 8\n",
            "aarch64",
            "arm64",
            Some("v8"),
        ),
        (
            "CPU architecture: 7\nmodel name\t: ARMv7 Processor rev 4 (v7l)\n",
            "armv7l",
            "arm",
            Some("v7"),
        ),
        (
            "model name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU architecture: 7\n",
            "armv6l",
            "arm",
            Some("v6"),
        ),
        (
            "model name\t: ARMv6-compatible processor rev 7 (v6l)\nCPU architecture: 7\n",
            "armv6l",
            "arm64",
            Some("v7"),
        ),
        ("CPU architecture: 5TEJ\n", "armv5tejl", "arm", Some("v5")),
        ("CPU architecture: ?(12)\n", "armv7l", "arm", Some("v7")),
        ("CPU architecture: 4T\n", "armv4t", "arm", Some("v4")),
        ("CPU architecture: 9\n", "aarch64", "arm64", Some("unknown")),
        ("", "aarch64", "arm64", Some("v8")),
        ("", "armv6l", "arm", Some("v6")),
        ("", "x86_64", "arm", None),
    ];
    for (cpuinfo, machine, goarch, want) in cases {
        assert_eq!(
            cpu_variant_from(cpuinfo, machine, goarch).as_deref(),
            want,
            "{cpuinfo:?} {machine}"
        );
    }
}

/// rc.4 → rc.5 delta (PR #34): the same table under rc.4 differs exactly on hosts past the
/// latest LTSC (26200 rejected 20348 and 22621 under rc.4).
#[test]
fn windows_rc4_legacy_rule_differs_only_past_the_latest_ltsc() {
    use crate::platform::matcher::windows_compatible_rc4;
    let v = |b| WindowsVersion {
        major: 10,
        minor: 0,
        build: b,
    };
    let builds = [17763u16, 20348, 22621, 25398, 26100, 26200, 26300];
    for &host in &builds {
        for &ctr in &builds {
            let (rc4, rc5) = (
                windows_compatible_rc4(v(host), v(ctr)),
                windows_compatible(v(host), v(ctr)),
            );
            if host > 26100 && (ctr == 20348 || ctr == 22621 || ctr == 25398) {
                assert!(!rc4 && rc5, "host {host} ctr {ctr}");
            } else {
                assert_eq!(rc4, rc5, "host {host} ctr {ctr}");
            }
        }
    }
}

/// defaults_windows_test.go, on simulated Windows hosts (containerd reads the build with
/// RtlGetNtVersionNumbers; here DefaultSpec is `windows(<build>)/amd64`). Default() on
/// Windows is the Windows comparer over NewMatcher(DefaultSpec).
#[test]
fn default_windows_match_comparer_wcow_and_lcow() {
    for build in ["10.0.17763", "10.0.20348", "10.0.26100"] {
        let spec = winv(build);
        let default = windows_comparer(&spec);
        assert!(default.matches(&spec), "{build}");
        assert!(
            !default.matches(&plat("linux", "amd64", "")),
            "{build}: LCOW must be asked for"
        );
        // TestMatchComparerMatch_WCOW
        let m = new_matcher(&spec);
        let cases = [
            (spec.clone(), true),
            (winv(&format!("{build}.1")), true),
            (winv(&format!("{build}.2")), true),
            (winv("10.0.17762.1"), false),
            (winv("10.0.17764.1"), false),
            (winv(""), true),
            (plat("linux", "amd64", ""), false),
        ];
        for (p, want) in cases {
            assert_eq!(m.matches(&p), want, "host {build}: {p:?}");
        }
        // TestMatchComparerMatch_LCOW
        let lcow = new_matcher(&plat("linux", "amd64", ""));
        for (p, want) in [
            (spec.clone(), false),
            (winv(""), false),
            (winv(&format!("{build}.2")), false),
            (winv("10.0.17762.1"), false),
            (plat("linux", "amd64", ""), true),
        ] {
            assert_eq!(lcow.matches(&p), want, "LCOW {build}: {p:?}");
        }
    }
}
