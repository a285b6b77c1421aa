//! Shared helpers for the benchmarks in `benches/`: corpus discovery and the baselines
//! (`file -b`, bare reads, plain decompression) that archcompat is compared against.
