#!/usr/bin/env bash
# Installs everything the demo and the tests need, idempotently, on a fresh Debian machine:
# Debian tools (through apt-get), a project-local Python virtualenv with maturin and pytest,
# and the Node dev dependencies from the committed package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the test-suite drives for real. Add to this list, never install by hand.
APT_PACKAGES=(binutils file jq)
# platform (issue 3)
APT_PACKAGES+=()
# binaries (issue 4): readelf cross-checks the ELF fixtures; the fixture compilers are installed by
# scripts/build-binary-fixtures.sh, only when fixtures are regenerated
APT_PACKAGES+=(binutils)
# images (issue 5): image tools and a loopback registry for the tests; cross binutils for the bundled example
APT_PACKAGES+=(skopeo umoci docker-registry apache2-utils curl python3 binutils-aarch64-linux-gnu binutils-arm-linux-gnueabihf)
# image regressions (issues 10, 14): zstd and pzstd write the multi-frame and big-window layers
APT_PACKAGES+=(zstd)
# diagnosis (issue 6)
APT_PACKAGES+=()
# admission webhook and CI glue (issue 13): certificates for the webhook tests
APT_PACKAGES+=(openssl)
# verify + audit (issue 12): the sandbox and the emulators that `image --verify` drives
APT_PACKAGES+=(bubblewrap qemu-user-static)
# robustness (issue 14): zstd for fuzz seeds and the hostile corpus, GNU time for its RSS bound
APT_PACKAGES+=(zstd time)
# benchmarks (issue 15): benches/compare.sh times pigz and reads peak RSS with GNU time
APT_PACKAGES+=(pigz gzip tar)
# web page (issue 11): Debian's Chromium for the Playwright tests
APT_PACKAGES+=(chromium)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  # A mirror mid-sync can fail one index (seen with foreign-architecture security indexes);
  # the install below still works from the others, and fails loudly if a package is missing.
  as_root apt-get -o DPkg::Lock::Timeout=900 update -qq || echo "setup: apt-get update reported errors; trying the install anyway" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python: a project-local virtualenv with the build backend and the test runner.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c 'import maturin, pytest, jsonschema' 2>/dev/null; then
  .venv/bin/pip install -q --disable-pip-version-check "maturin==1.16.0" "pytest==8.4.2" "jsonschema==4.23.0"
fi
# CI glue (issue 13): the real pre-commit runs the hook; check-jsonschema validates action.yml and
# the GitLab template against the GitHub Action and GitLab CI schemas it ships.
if [ ! -x .venv/bin/pre-commit ] || [ ! -x .venv/bin/check-jsonschema ]; then
  .venv/bin/pip install -q --disable-pip-version-check "pre-commit==4.7.0" "check-jsonschema==0.39.0"
fi

# Bindings' typing (issue 17): mypy --strict checks archcompat-py/tests/typing_usage.py.
if ! .venv/bin/python -c 'import mypy' 2>/dev/null; then
  .venv/bin/pip install -q --disable-pip-version-check "mypy==1.18.2"
fi

# Node: the napi-rs CLI (and typescript) exactly as locked in package-lock.json (`npm ci`; the
# lockfile works with Node 20.17+ and 22.13+: README "Packages").
if [ ! -d archcompat-node/node_modules/@napi-rs/cli ] || [ ! -d archcompat-node/node_modules/typescript ]; then
  (cd archcompat-node && npm ci --no-audit --no-fund --loglevel=error)
fi

# Web page (issue 11): the wasm target, wasm-bindgen-cli at the version Cargo.lock pins (cached
# in ~/.cargo/bin), and playwright-core from web/package-lock.json.
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION" >&2
  # --locked first; a registry index that lacks one of its locked dependencies (seen: webpki-roots
  # 1.0.11) fails that, and the unlocked install still builds the same wasm-bindgen-cli version.
  cargo install --locked --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" \
    || cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ ! -d web/node_modules/playwright-core ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
