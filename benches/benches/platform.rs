//! Platform throughput: parsing (containerd-exact and with aliases), FormatAll, Normalize,
//! `Only` matching and selecting from a realistic image index, and host verdicts.
use archcompat::{Host, Matcher, Platform};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const SPECS: [&str; 8] = [
    "linux/amd64",
    "linux/arm64/v8",
    "linux/arm/v7",
    "windows(10.0.17763+win32k)/amd64",
    "Linux/x86_64",
    "aarch64",
    "linux/arm64/v9.2",
    "linux(+gpu+simd)/riscv64",
];

/// A docker-library style index: 8 platforms + 8 attestation entries.
fn index() -> Vec<Platform> {
    let mut v: Vec<Platform> = [
        "linux/amd64",
        "linux/arm/v5",
        "linux/arm/v7",
        "linux/arm64/v8",
        "linux/386",
        "linux/mips64le",
        "linux/ppc64le",
        "linux/s390x",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    for _ in 0..8 {
        v.push(Platform::new("unknown", "unknown", ""));
    }
    v
}

fn parse(c: &mut Criterion) {
    c.bench_function("platform_parse_containerd_8", |b| {
        b.iter(|| {
            for s in SPECS {
                black_box(Platform::parse_containerd(black_box(s)).unwrap());
            }
        })
    });
    c.bench_function("platform_parse_aliases_8", |b| {
        let specs = [
            "armv7l",
            "aarch64-unknown-linux-musl",
            "GOARCH=arm GOARM=6",
            "linux/ppc64el",
            "i686",
            "x64",
            "armhf",
            "linux/amd64",
        ];
        b.iter(|| {
            for s in specs {
                black_box(black_box(s).parse::<Platform>().unwrap());
            }
        })
    });
    let parsed: Vec<Platform> = SPECS.iter().map(|s| s.parse().unwrap()).collect();
    c.bench_function("platform_format_all_8", |b| {
        b.iter(|| {
            for p in &parsed {
                black_box(p.format_all());
            }
        })
    });
    c.bench_function("platform_normalize_8", |b| {
        b.iter(|| {
            for p in &parsed {
                black_box(p.normalize());
            }
        })
    });
}

fn matching(c: &mut Criterion) {
    let idx = index();
    let arm64: Platform = "linux/arm64/v9.2".parse().unwrap();
    let amd64: Platform = "linux/amd64/v3".parse().unwrap();
    c.bench_function("platform_only_build_arm64_v9.2", |b| {
        b.iter(|| black_box(Matcher::only(black_box(&arm64))))
    });
    let m = Matcher::only(&arm64);
    c.bench_function("platform_only_best_of_16_arm64", |b| {
        b.iter(|| black_box(m.best(black_box(&idx))))
    });
    let m = Matcher::only(&amd64);
    c.bench_function("platform_only_best_of_16_amd64v3", |b| {
        b.iter(|| black_box(m.best(black_box(&idx))))
    });
    let huge: Platform = "linux/amd64/v1000000000".parse().unwrap();
    let m = Matcher::only(&huge);
    c.bench_function("platform_only_lazy_amd64_v1e9_best_of_16", |b| {
        b.iter(|| black_box(m.best(black_box(&idx))))
    });
    let host = Host::resolve("aws-graviton4").unwrap();
    c.bench_function("platform_host_match_candidates_16", |b| {
        b.iter(|| black_box(host.match_candidates(black_box(&idx), false)))
    });
}

fn detect(c: &mut Criterion) {
    let mut g = c.benchmark_group("platform_host");
    g.sample_size(20);
    g.bench_function("detect", |b| b.iter(|| black_box(Host::detect().unwrap())));
    g.finish();
}

criterion_group!(benches, parse, matching, detect);
criterion_main!(benches);
