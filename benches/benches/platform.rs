//! Platform parsing throughput.
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    let specs = [
        "linux/amd64",
        "linux/arm64/v8",
        "linux/arm/v7",
        "windows/amd64",
    ];
    c.bench_function("platform_parse", |b| {
        b.iter(|| {
            for s in specs {
                black_box(s.parse::<archcompat::platform::Platform>().unwrap());
            }
        })
    });
}

criterion_group!(benches, parse);
criterion_main!(benches);
