#!/usr/bin/env bash
# Builds the images that `archcompat image --verify` runs in the tests, from real parts: Debian's
# busybox-static for amd64, arm64, armhf and s390x (apt-get download + dpkg -x), the Go-built
# riscv64 program from fixtures/bin, and two amd64 programs whose static verdict is `runs` but
# which fail when started: a dynamically linked /usr/bin/true shipped with its loader but without
# libc (the classic "copied the binary into scratch"), and a program that dereferences NULL.
# Everything is packed into one OCI layout by umoci (one tag per image).
#
# Usage: scripts/build-verify-fixtures.sh OUT_DIR   (idempotent: exits at once when OUT_DIR/.done exists)
# Needs: umoci, binutils (as/ld), network access to Debian's archive.
set -euo pipefail
OUT=${1:?usage: build-verify-fixtures.sh OUT_DIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec 9>"$OUT.lock"
flock 9
[ -e "$OUT/.done" ] && exit 0
rm -rf "${OUT:?}"/* 2>/dev/null || true
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for t in umoci as ld; do
  command -v "$t" >/dev/null || { echo "build-verify-fixtures: $t is missing (run scripts/setup.sh)" >&2; exit 2; }
done
. "$ROOT/scripts/fixtures-lib.sh"

ARCHES=(amd64 arm64 armhf s390x)
declare -A OCI_ARCH=([amd64]=amd64 [arm64]=arm64 [armhf]=arm [s390x]=s390x)
fetch_busybox "$OUT" "${ARCHES[@]}"

L="$OUT/oci"
umoci init --layout "$L"
work="$OUT/work"; mkdir -p "$work"
new_image() { # TAG ARCH STAGE [umoci config args…]
  local tag=$1 arch=$2 stage=$3; shift 3
  umoci new --image "$L:$tag"
  umoci unpack --rootless --image "$L:$tag" "$work/$tag" >/dev/null
  cp -a "$stage"/. "$work/$tag/rootfs/"
  umoci repack --image "$L:$tag" "$work/$tag" >/dev/null
  umoci config --image "$L:$tag" --architecture "$arch" --os linux "$@"
  rm -rf "${work:?}/$tag"
}

# busybox of each architecture: ENTRYPOINT ["/bin/busybox"] CMD ["uname", "-m"].
for a in "${ARCHES[@]}"; do
  s="$work/stage-$a"; mkdir -p "$s/bin" "$s/tmp"
  cp "$OUT/x/$a/bin/busybox" "$s/bin/busybox"
  ln -s busybox "$s/bin/sh"
  new_image "busybox-$a" "${OCI_ARCH[$a]}" "$s" --config.entrypoint /bin/busybox \
    --config.cmd uname --config.cmd -m --config.env PATH=/usr/bin:/bin --config.env GREETING=hello-from-env \
    --config.workingdir /tmp
done
# A program that is still running at the time limit (counts as started).
new_image sleeper amd64 "$work/stage-amd64" --config.entrypoint /bin/busybox --config.cmd sleep --config.cmd 60
# The liar: an arm64 busybox in an image whose config says amd64.
new_image liar amd64 "$work/stage-arm64" --config.entrypoint /bin/busybox --config.cmd true

# riscv64: the Go program from fixtures/bin (prints "hello").
s="$work/stage-riscv64"; mkdir -p "$s"
gzip -dc "$ROOT/fixtures/bin/go-linux-riscv64.gz" > "$s/hello"; chmod 755 "$s/hello"
new_image riscv64 riscv64 "$s" --config.entrypoint /hello

# Copied into scratch without its libraries: /usr/bin/true and its loader, but no libc.so.6.
s="$work/stage-nolibs"; mkdir -p "$s/usr/bin" "$s/lib64"
cp /usr/bin/true "$s/usr/bin/true"
cp -L /lib64/ld-linux-x86-64.so.2 "$s/lib64/ld-linux-x86-64.so.2"
new_image nolibs amd64 "$s" --config.entrypoint /usr/bin/true

# A static amd64 program that reads address 0 (SIGSEGV).
cat > "$work/crash.s" <<'ASM'
    .global _start
    .text
_start:
    xor %rax, %rax
    mov (%rax), %rax
    mov $60, %eax
    xor %edi, %edi
    syscall
ASM
as -o "$work/crash.o" "$work/crash.s"
s="$work/stage-crash"; mkdir -p "$s/app"
ld -static -s -n --build-id=none -o "$s/app/server" "$work/crash.o"
new_image crash amd64 "$s" --config.entrypoint /app/server

umoci gc --layout "$L"
rm -rf "$work" "$OUT/x"
touch "$OUT/.done"
echo "build-verify-fixtures: done in $OUT" >&2
