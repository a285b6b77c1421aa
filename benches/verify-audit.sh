#!/usr/bin/env bash
# Speed of `archcompat audit` and `archcompat image --verify`, measured as users run them (the
# CLI as a process, wall clock, median of N runs):
#   audit of the 31-repository / 39-tag loopback test registry without --deep (target ≤ 2 s);
#   --verify of a busybox image beyond the static check (target ≤ 1 s), native and under QEMU.
# Usage: [DEEP=1] benches/verify-audit.sh [ARCHCOMPAT_BINARY] [N]   (default target/release/archcompat, 7)
# Builds the fixtures it needs (cached under target/tmp, as the tests do).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/archcompat}
N=${2:-7}
[ -x "$BIN" ] || { echo "verify-audit: $BIN missing (cargo build --release -p archcompat-cli)" >&2; exit 2; }
h() { sha256sum "$@" | cut -c1-64 | tr -d '\n' | sha256sum | cut -c1-16; }
one() { sha256sum "$1" | cut -c1-16; }
T=target/tmp; mkdir -p "$T"
IMG="$T/image-fixtures-$(one scripts/build-image-fixtures.sh)"
VER="$T/verify-fixtures-$(one scripts/build-verify-fixtures.sh)"
bash scripts/build-image-fixtures.sh "$IMG"
bash scripts/build-verify-fixtures.sh "$VER"
REG="$T/bench-audit-registry"
bash scripts/build-audit-registry.sh "$REG" "$IMG/oci" "$VER/oci"
RUN="$T/bench-audit-serve-$$"; rm -rf "$RUN"; mkdir -p "$RUN"; cp -a "$REG/data" "$RUN/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
scripts/test-registry.sh start "$RUN" "$port"
trap 'scripts/test-registry.sh stop "$RUN"; rm -rf "$RUN"' EXIT
python3 - "$BIN" "$N" "$port" "$VER/oci" <<'PY'
import os, statistics, subprocess, sys, time
bin_, n, port, layout = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def median(args, ok=(0, 1)):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        p = subprocess.run([bin_] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ts.append(time.perf_counter() - t)
        assert p.returncode in ok, (args, p.returncode, p.stderr.decode())
    return statistics.median(ts)
reg = f"docker://127.0.0.1:{port}"
a = median(["audit", reg, "--target", "linux/amd64,linux/arm64", "--json", "-q"])
print(f"audit, 31 repositories / 39 tags, 2 targets, no --deep: {a:.3f} s (median of {n})")
if os.environ.get("DEEP") == "1":
    d = median(["audit", reg, "--target", "linux/amd64,linux/arm64", "--deep", "--json", "-q"])
    print(f"audit --deep, same registry:                           {d:.3f} s")
for tag, host in [("busybox-amd64", "linux/amd64"), ("busybox-arm64", "linux/arm64"), ("busybox-s390x", "linux/s390x")]:
    src = f"oci:{layout}:{tag}"
    s = median(["image", src, "--host", host, "--json", "-q"])
    v = median(["image", src, "--host", host, "--verify", "--json", "-q"])
    print(f"image --verify {tag:14} on {host:12}: static {s*1000:6.1f} ms, with --verify {v*1000:6.1f} ms, +{(v-s)*1000:6.1f} ms")
PY
