#!/usr/bin/env bash
# Builds the web page (issue 11): the core as WebAssembly (crate archcompat-web, profile `web`:
# opt-level z, fat LTO), the JS glue with wasm-bindgen-cli (the version Cargo.lock pins,
# installed by scripts/setup.sh), and copies the static page to web/dist/. (Debian's binaryen
# 108 wasm-opt breaks wasm-bindgen's externref table, and the size is within budget without it.)
# Prints the .wasm size, raw and gzipped (the budget is 1 MiB gzipped).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
cargo build --quiet -p archcompat-web --target wasm32-unknown-unknown --profile web
rm -rf web/dist
mkdir -p web/dist/pkg
wasm-bindgen --target web --no-typescript --out-dir web/dist/pkg \
  "$TARGET_DIR/wasm32-unknown-unknown/web/archcompat_web.wasm"
WASM=web/dist/pkg/archcompat_web_bg.wasm
cp web/static/* web/dist/
raw=$(stat -c %s "$WASM")
gz=$(gzip -9 -c "$WASM" | wc -c)
printf "web-build: %s  %d bytes raw, %d bytes gzipped (%s MiB; budget 1 MiB)\n" \
  "$WASM" "$raw" "$gz" "$(awk "BEGIN { printf \"%.2f\", $gz / 1048576 }")"
if [ "$gz" -gt 1048576 ]; then
  echo "web-build: the gzipped .wasm is over the 1 MiB budget" >&2
  exit 1
fi
