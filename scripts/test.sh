#!/usr/bin/env bash
# Runs every test: Rust (core, CLI, benches compile), the packages (issue 17), Python (pytest
# against the x86-64 wheel the packaging test built, installed into .venv) and Node (node:test
# against the packed loader and x86-64 addon). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

echo "== Rust tests" >&2
cargo test --workspace --all-targets --all-features
cargo test --workspace --doc --all-features

echo "== Fuzz targets, 20 s each (docs/fuzzing.md)" >&2
./scripts/fuzz-short.sh

# Packages (issue 17, README: Packages): the glibc x86-64 and arm64 wheels and npm packages, each
# target's Python extension and Node addon built by ONE cargo invocation with the cheap `pkgtest`
# profile into target/cross, checked (symbol versions ≤ GLIBC_2.28, auditwheel tags, README and
# LICENSE inside), installed into empty projects and called; the arm64 ones with Debian's arm64
# python3/nodejs under qemu-aarch64-static. The Python and Node tests below then run against
# these x86-64 packages: the tests exercise what ships, and nothing else builds the bindings.
echo "== Packages (scripts/test-packages.sh)" >&2
./scripts/test-packages.sh
PKGS=target/cross/dist-test
VERSION=$(node -p 'require("./archcompat-node/package.json").version')

echo "== Python tests (against the x86-64 wheel, installed into .venv)" >&2
.venv/bin/pip install -q --disable-pip-version-check --no-index --no-deps --force-reinstall \
  "$PKGS/python/archcompat-$VERSION-cp310-abi3-manylinux_2_28_x86_64.whl"
# The tests import the installed wheel, not the source tree (-I: no current directory on the path).
.venv/bin/python -I -c '
import archcompat
assert "site-packages" in archcompat.__file__, archcompat.__file__
assert archcompat._archcompat.__file__.endswith("_archcompat.abi3.so"), archcompat._archcompat.__file__
'
.venv/bin/python -m pytest -q archcompat-py/tests

echo "== Node tests (against the packed loader and x86-64 addon)" >&2
# The tests require('../index.js'): the published loader and types from the root tarball, with the
# addon from the linux-x64-gnu tarball beside it (the loader tries ./archcompat.<platform>.node).
tar xzf "$PKGS/npm/archcompat-$VERSION.tgz" -C archcompat-node --strip-components=1 \
  package/index.js package/index.d.ts
tar xzf "$PKGS/npm/archcompat-linux-x64-gnu-$VERSION.tgz" -C archcompat-node --strip-components=1 \
  package/archcompat.linux-x64-gnu.node
(cd archcompat-node && node --test)

# Bindings' typing (issue 17): the documented usage type-checks strictly on both sides.
echo "== mypy --strict and tsc --strict" >&2
(cd archcompat-py && ../.venv/bin/mypy --strict tests/typing_usage.py)
(cd archcompat-node && npx tsc --strict --noEmit --target es2022 --module nodenext --moduleResolution nodenext __test__/usage.ts)

echo "== Web page (issue 11): wasm build, then browser tests in Debian's Chromium" >&2
./scripts/web-build.sh
cargo build --quiet -p archcompat-cli
(cd web && node --test test/page.test.mjs)
