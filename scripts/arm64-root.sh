#!/usr/bin/env bash
# Makes (once, cached) a directory holding Debian's arm64 python3 and nodejs with the libraries
# they load, and musl's loader, for `qemu-aarch64-static -L ROOT`: the packaging test runs the
# arm64 wheel and npm package there, scripts/package-musl-smoke.sh the arm64 musl ones. The .debs
# come from Debian's archive through apt (`dpkg --add-architecture arm64`, `apt-get download`) and
# are unpacked with `dpkg-deb -x`; nothing is installed on the machine.
# Prints the root directory. Cache: .cache/arm64-root (in .gitignore).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD/.cache/arm64-root
DEBS=(libc6 libgcc-s1 libstdc++6 zlib1g libexpat1 libffi8 libcrypt1 libbz2-1.0 liblzma5 libuuid1
  libssl3 libsqlite3-0 libtinfo6 libncursesw6 libreadline8 libnsl2 libtirpc3 libgssapi-krb5-2
  libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2 libkeyutils1 libdb5.3 libgdbm6
  python3.11-minimal libpython3.11-minimal libpython3.11-stdlib
  nodejs libnode108 libuv1 libbrotli1 libc-ares2 libnghttp2-14 libicu72
  musl)
# Architecture-independent ones (Debian's nodejs loads these JavaScript libraries).
ALL_DEBS=(node-acorn node-busboy node-cjs-module-lexer node-undici node-xtend media-types)
stamp="$ROOT/.complete-$(printf '%s\n' "${DEBS[@]}" "${ALL_DEBS[@]}" | sha256sum | cut -c1-16)"
if [ -e "$stamp" ]; then echo "$ROOT"; exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  as_root dpkg --add-architecture arm64
  as_root apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 || true
fi
if ! apt-cache show nodejs:arm64 >/dev/null 2>&1; then
  as_root apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 || true
fi
rm -rf "$ROOT" "$ROOT.debs"
mkdir -p "$ROOT" "$ROOT.debs"
args=("${DEBS[@]/%/:arm64}" "${ALL_DEBS[@]}")
(cd "$ROOT.debs" && apt-get download -qq "${args[@]}" >&2)
for deb in "$ROOT.debs"/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
rm -rf "$ROOT.debs"
ln -sf python3.11 "$ROOT/usr/bin/python3"
touch "$stamp"
echo "$ROOT"
