#!/usr/bin/env bash
# The packaging test (part of scripts/test.sh): builds the glibc x86-64 and arm64 packages with
# the cheap `pkgtest` profile into target/cross/dist-test (scripts/package.sh: one cargo build per
# target makes both the Python extension and the Node addon; then it checks them: symbol versions
# ≤ GLIBC 2.28, auditwheel tags, README and LICENSE inside), then installs them as a user would
# and makes a call:
#   x86-64: the wheel into a fresh venv with pip, the npm tarballs into an empty project with
#           `npm install ./archcompat-….tgz`;
#   arm64:  the same wheel and npm package unpacked beside Debian's arm64 python3 and nodejs,
#           run under qemu-aarch64-static (scripts/arm64-root.sh).
# scripts/test.sh then runs pytest and node:test against the x86-64 packages built here.
# musl packages and the sdist build are scripts/package.sh's (see README: Packages): MUSL=1 adds the
# x86-64 and aarch64 musl targets here too (their wheels checked with auditwheel and twine, then
# musl's own loader, natively and under qemu-aarch64-static, loads each library:
# scripts/package-musl-smoke.sh). It is off by default: each musl target is one more full cargo
# build (the aarch64 one took 19 min of wall time on the 2-core machine under a load of 10-14, as
# a glibc target does; the x86-64 one 2.4 min of CPU): about 5 CPU-min added to the 7.4 this test
# took with the two glibc builds (README: Packages). The crate is packaged and its contents checked, its verify build (a full build
# of the crate alone) is package.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# PACKAGES=DIR tests the packages already in DIR (e.g. dist/ from scripts/package.sh) instead.
if [ -n "${PACKAGES:-}" ]; then
  DIST=$(cd "$PACKAGES" && pwd)
else
  DIST=$ROOT/target/cross/dist-test
  targets="x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu"
  [ "${MUSL:-0}" = 0 ] || targets+=" x86_64-unknown-linux-musl aarch64-unknown-linux-musl"
  PROFILE=pkgtest CRATE=noverify DIST=$DIST TARGETS="$targets" ./scripts/package.sh
fi

VERSION=$(node -p 'require("./archcompat-node/package.json").version')
work=$(mktemp -d "${TMPDIR:-/tmp}/archcompat-pkgtest.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
result() { # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "ok: $1" >&2
  else failed=$((failed + 1)); echo "FAILED: $1: expected '$2', got '$3'" >&2; fi
}

# One call each binding answers from the packaged native code: the platform a host runs and the
# verdict for an amd64 image on an arm64 host (no emulation: "no").
PY_CALL='
import archcompat, sys
r = archcompat.host_runs("aws-graviton2", "linux/amd64")
print(r["runs"])
'
JS_CALL='
const a = require("archcompat");
Promise.resolve(a.hostRuns("aws-graviton2", "linux/amd64")).then((r) => console.log(r.runs));
'

echo "== x86-64 wheel in a fresh venv" >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check --no-index \
  "$DIST"/python/archcompat-"$VERSION"-*manylinux_2_28_x86_64.whl
result "x86-64 wheel: host_runs" no "$(cd "$work" && "$work/venv/bin/python" -c "$PY_CALL")"

echo "== x86-64 npm tarballs in an empty project" >&2
mkdir -p "$work/npm-x64"
(cd "$work/npm-x64" && echo '{"name":"t","version":"1.0.0","private":true}' >package.json \
  && npm install --no-audit --no-fund --loglevel=error \
    "$DIST/npm/archcompat-linux-x64-gnu-$VERSION.tgz" "$DIST/npm/archcompat-$VERSION.tgz" >&2)
result "x86-64 npm: hostRuns" no "$(cd "$work/npm-x64" && node -e "$JS_CALL")"
result "x86-64 npm: ESM named import" no "$(cd "$work/npm-x64" && node --input-type=module -e \
  'import { hostRuns } from "archcompat"; console.log((await hostRuns("aws-graviton2", "linux/amd64")).runs);')"
# Without its platform package the loader says which machine it looked for, the package to
# install at this version, and the platforms that have one.
rm -rf "$work/npm-x64/node_modules/archcompat-linux-x64-gnu"
msg=$(cd "$work/npm-x64" && node -e '
  try { require("archcompat"); console.log("loaded"); }
  catch (e) { console.log(e.code, e.packageName, "|", e.message); }' 2>&1 || true)
for want in "ARCHCOMPAT_NO_NATIVE_ADDON archcompat-linux-x64-gnu |" "(linux x64 glibc)" \
  "npm install archcompat-linux-x64-gnu@$VERSION" \
  "Packages exist for: darwin-arm64, darwin-x64, linux-arm64-gnu, linux-arm64-musl, linux-x64-gnu, linux-x64-musl, win32-x64-msvc."; do
  result "x86-64 npm: loader error without the platform package says '$want'" yes \
    "$(grep -qF "$want" <<<"$msg" && echo yes || echo "no: $msg")"
done

echo "== arm64 wheel and npm package under qemu-aarch64-static" >&2
A64=$(./scripts/arm64-root.sh)
qemu() { qemu-aarch64-static -L "$A64" "$@"; }
mkdir -p "$work/a64py"
.venv/bin/python -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
  "$(ls "$DIST"/python/archcompat-"$VERSION"-*manylinux_2_28_aarch64.whl)" "$work/a64py"
result "arm64 wheel: machine" aarch64 "$(qemu "$A64/usr/bin/python3" -c 'import platform; print(platform.machine())')"
result "arm64 wheel: host_runs" no \
  "$(cd "$work" && PYTHONPATH="$work/a64py" qemu "$A64/usr/bin/python3" -c "$PY_CALL")"
mkdir -p "$work/a64js/node_modules/archcompat" "$work/a64js/node_modules/archcompat-linux-arm64-gnu"
tar xzf "$DIST/npm/archcompat-$VERSION.tgz" -C "$work/a64js/node_modules/archcompat" --strip-components=1
tar xzf "$DIST/npm/archcompat-linux-arm64-gnu-$VERSION.tgz" \
  -C "$work/a64js/node_modules/archcompat-linux-arm64-gnu" --strip-components=1
result "arm64 npm: arch" arm64 "$(cd "$work/a64js" && qemu "$A64/usr/bin/node" -p process.arch)"
result "arm64 npm: hostRuns" no "$(cd "$work/a64js" && qemu "$A64/usr/bin/node" -e "$JS_CALL")"

echo "packages: $passed passed, $failed failed"
[ "$failed" = 0 ]
