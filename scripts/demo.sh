#!/usr/bin/env bash
# Builds the archcompat command and runs its main job on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cargo build --quiet -p archcompat-cli
BIN=target/debug/archcompat
echo "\$ archcompat codes"
"$BIN" codes
