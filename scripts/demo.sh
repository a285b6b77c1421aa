#!/usr/bin/env bash
# Builds the archcompat command and runs its main job on the bundled example: a multi-arch
# OCI image (examples/hello-multiarch) whose linux/amd64 entry really holds an arm64 program.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p archcompat-cli
BIN=target/debug/archcompat
run() {
  echo
  echo "\$ archcompat $*"
  set +e
  "$BIN" "$@"
  local rc=$?
  set -e
  echo "(exit code $rc)"
}
run image examples/hello-multiarch --host linux/amd64
run image examples/hello-multiarch --host aws-graviton2
run platform match --host aws-graviton4 linux/amd64 linux/arm/v7
