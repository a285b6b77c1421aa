#!/usr/bin/env bash
# Runs every test: Rust (core, CLI, benches compile), Python (pytest against the maturin-built
# module) and Node (node:test against the napi-built addon). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

echo "== Rust tests" >&2
cargo test --workspace --all-targets --all-features
cargo test --workspace --doc --all-features

echo "== Fuzz targets, 20 s each (docs/fuzzing.md)" >&2
./scripts/fuzz-short.sh

echo "== Python tests" >&2
VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" \
  .venv/bin/maturin develop --quiet -m archcompat-py/Cargo.toml
.venv/bin/python -m pytest -q archcompat-py/tests

echo "== Node tests" >&2
(cd archcompat-node && npx napi build --platform && node --test)

# Bindings' typing (issue 17): the documented usage type-checks strictly on both sides.
echo "== mypy --strict and tsc --strict" >&2
(cd archcompat-py && ../.venv/bin/mypy --strict tests/typing_usage.py)
(cd archcompat-node && npx tsc --strict --noEmit --target es2022 --module nodenext --moduleResolution nodenext __test__/usage.ts)

echo "== Web page (issue 11): wasm build, then browser tests in Debian's Chromium" >&2
./scripts/web-build.sh
cargo build --quiet -p archcompat-cli
(cd web && node --test test/page.test.mjs)

# Packages (issue 17): the glibc x86-64 and arm64 wheels and npm packages built with the cheap
# `pkgtest` profile into target/cross, checked (symbol versions ≤ GLIBC_2.28, auditwheel tags,
# README/LICENSE inside), installed into empty projects and called; the arm64 ones with Debian's
# arm64 python3/nodejs under qemu-aarch64-static (README: Packages). It compiles the crates four
# more times (about 15 min on a fresh 2-core clone), which would take `.ci/run` too close to its
# 60-minute budget, so it runs when asked: ARCHCOMPAT_TEST_PACKAGES=1 make test.
if [ "${ARCHCOMPAT_TEST_PACKAGES:-0}" = 1 ]; then
  echo "== Packages (scripts/test-packages.sh)" >&2
  ./scripts/test-packages.sh
else
  echo "== Packages: skipped (ARCHCOMPAT_TEST_PACKAGES=1 runs scripts/test-packages.sh)" >&2
fi
