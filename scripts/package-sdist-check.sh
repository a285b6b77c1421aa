#!/usr/bin/env bash
# Builds the Python sdist (DIST/python/archcompat-*.tar.gz) into a wheel the way pip does for a
# user on a platform without a wheel: in a fresh, empty virtualenv (pip fetches maturin for the
# isolated build), then installs that wheel there and makes a call. PROFILE (default release)
# is the cargo profile maturin builds with (MATURIN_PEP517_ARGS); cargo builds into
# CARGO_TARGET_DIR (default target/cross, for the host triple as package.sh does) so the
# dependencies package.sh built are reused.
# Usage: scripts/package-sdist-check.sh DIST
set -euo pipefail
DIST=$(cd "${1:?usage: package-sdist-check.sh DIST}" && pwd)
cd "$(dirname "$0")/.."
ROOT=$PWD
sdist=$(ls "$DIST"/python/archcompat-*.tar.gz)
work=$(mktemp -d "${TMPDIR:-/tmp}/archcompat-sdist.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
echo "== sdist $(basename "$sdist") -> wheel in an empty venv" >&2
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target/cross} \
  MATURIN_PEP517_ARGS="--profile ${PROFILE:-release} --target $(rustc -vV | sed -n "s/^host: //p")" \
  "$work/venv/bin/pip" wheel -q \
  --disable-pip-version-check --no-deps -w "$work/wheel" "$sdist"
whl=$(ls "$work"/wheel/archcompat-*.whl)
"$work/venv/bin/pip" install -q --disable-pip-version-check --no-index "$whl"
runs=$(cd "$work" && "$work/venv/bin/python" -c \
  'import archcompat; print(archcompat.host_runs("aws-graviton2", "linux/amd64")["runs"])')
[ "$runs" = no ] || { echo "package-sdist-check: the wheel built from the sdist answered '$runs', not 'no'" >&2; exit 1; }
echo "package-sdist-check: $(basename "$sdist") built $(basename "$whl"), installed, answered" >&2
