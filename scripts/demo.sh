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
# Real binaries of several architectures (built by Debian's cross compilers), judged for an arm64 host.
B=fixtures/bin
run inspect --host linux/arm64 $B/c-amd64-isa-v3 $B/c-arm64-glibc-dyn $B/c-armhf-glibc-dyn $B/c-armel-glibc-dyn \
  $B/c-riscv64-glibc-dyn $B/c-s390x-glibc-dyn $B/go-darwin-arm64.head $B/script-crlf.sh $B/script-bom.sh $B/lfs-pointer $B/error-page.html
run platform match --host aws-graviton4 linux/amd64 linux/arm/v7
run lint fixtures/dockerfiles/go-hardcoded/Dockerfile
run fix --from-command "docker build -t ghcr.io/acme/api:1.4 ." --platform linux/amd64,linux/arm64
