#!/usr/bin/env bash
# Fills a Debian docker-registry data directory with 31 repositories for the audit tests, pushed
# by skopeo from the image fixtures (scripts/build-image-fixtures.sh) and the verify fixtures
# (scripts/build-verify-fixtures.sh): multi-arch indexes with an attestation entry (two tags on
# one digest), arm-only indexes (amd64 missing), single-arch amd64 and arm64
# images, mislabeled images (arm64 program, config says amd64), and images whose entrypoint
# cannot start (missing ELF interpreter, bash script without bash).
#
# Usage: scripts/build-audit-registry.sh OUT_DIR IMAGE_FIXTURES_OCI VERIFY_FIXTURES_OCI
#        (idempotent: exits at once when OUT_DIR/.done exists; the registry data is OUT_DIR/data,
#        serve it with scripts/test-registry.sh start on a copy)
set -euo pipefail
OUT=${1:?usage: build-audit-registry.sh OUT_DIR IMAGE_OCI VERIFY_OCI}
IMG=${2:?missing IMAGE_OCI}
VER=${3:?missing VERIFY_OCI}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec 9>"$OUT.lock"
flock 9
[ -e "$OUT/.done" ] && exit 0
rm -rf "${OUT:?}"/* 2>/dev/null || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$ROOT/scripts/test-registry.sh" start "$OUT" "$port"
trap '"$ROOT/scripts/test-registry.sh" stop "$OUT"' EXIT
push() { # SRC REPO:TAG
  skopeo copy -q --all --dest-tls-verify=false "$1" "docker://127.0.0.1:$port/$2"
}
for i in 01 02 03 04 05 06 07 08; do
  push "oci:$IMG:multi" "multi/app-$i:latest"
  push "oci:$IMG:multi" "multi/app-$i:v1"
done
for i in 01 02 03 04 05 06 07; do push "oci:$IMG:armonly" "arm/svc-$i:latest"; done
for i in 01 02 03 04 05 06; do push "oci:$VER:busybox-amd64" "single/amd64-$i:latest"; done
for i in 01 02 03 04; do push "oci:$VER:busybox-arm64" "single/arm64-$i:latest"; done
for i in 01 02 03; do push "oci:$VER:liar" "mislabeled/liar-$i:latest"; done
push "oci:$IMG:noloader" "broken/noloader:latest"
push "oci:$IMG:bashscript" "broken/bashscript:latest"
push "oci:$VER:nolibs" "broken/nolibs:latest"
touch "$OUT/.done"
echo "build-audit-registry: 31 repositories in $OUT/data" >&2
