#!/usr/bin/env bash
# Loads the musl packages' native libraries with musl's own dynamic loader (Debian's `musl`
# package: /lib/ld-musl-x86_64.so.1 here, and the arm64 one in .cache/arm64-root under
# qemu-aarch64-static), as far as that is possible without a musl Python or Node (none is
# reachable here through a package registry): a tiny musl program, linked by zig, dlopen()s the
# library with RTLD_NOW and looks up its entry point (PyInit__archcompat, napi_register_module_v1).
# musl then resolves every libc symbol the library needs and runs its initialisers; the Python
# and Node-API symbols the interpreter would provide come from stubs in the program (generated
# from the library's undefined symbols; none is called). Fails if musl cannot load one.
# Usage: scripts/package-musl-smoke.sh DIST (checks every musllinux wheel and *-musl npm tarball).
set -euo pipefail
DIST=$(cd "${1:?usage: package-musl-smoke.sh DIST}" && pwd)
cd "$(dirname "$0")/.."
ROOT=$PWD
ZIG=("$ROOT/.venv/bin/python" -m ziglang)
work=$(mktemp -d "${TMPDIR:-/tmp}/archcompat-musl.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -e /lib/ld-musl-x86_64.so.1 ] || { echo "package-musl-smoke: Debian's musl is not installed (scripts/setup-packaging.sh installs it)" >&2; exit 1; }

cat >"$work/smoke.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
  void *entry = dlsym(h, argv[2]);
  if (!entry) { fprintf(stderr, "dlsym %s: %s\n", argv[2], dlerror()); return 1; }
  printf("musl loaded it; %s found\n", argv[2]);
  return 0;
}
C

# smoke LIB ARCH ENTRY: ARCH is x86_64 or aarch64.
loaded=0
smoke() {
  local lib=$1 arch=$2 entry=$3 exe
  exe=$work/smoke-$arch-$loaded
  # The interpreter's symbols (Py*, _Py*, napi_*, node_api_*) become stubs that abort if called.
  nm -D --undefined-only "$lib" | awk '{ print $2 }' | grep -E '^(_?Py|napi_|node_api_)' \
    | sed 's/.*/void &(void) { __builtin_trap(); }/' >"$work/stubs.c"
  "${ZIG[@]}" cc -target "$arch-linux-musl" -dynamic -rdynamic -O1 -o "$exe" "$work/smoke.c" "$work/stubs.c"
  case "$arch" in
    x86_64) out=$("$exe" "$lib" "$entry" 2>&1) || { echo "package-musl-smoke: $lib: $out" >&2; exit 1; } ;;
    aarch64)
      a64=$(./scripts/arm64-root.sh)
      out=$(qemu-aarch64-static -L "$a64" "$exe" "$lib" "$entry" 2>&1) \
        || { echo "package-musl-smoke: $lib: $out" >&2; exit 1; } ;;
  esac
  echo "  $(basename "$lib") ($arch musl): $out" >&2
  loaded=$((loaded + 1))
}

shopt -s nullglob
for whl in "$DIST"/python/*musllinux_1_2_*.whl; do
  arch=$(sed -E 's/.*musllinux_1_2_([a-z0-9_]+)\.whl$/\1/' <<<"$whl")
  d=$work/w$loaded && mkdir -p "$d"
  "$ROOT/.venv/bin/python" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$whl" "$d"
  smoke "$(ls "$d"/archcompat/_archcompat*.so)" "$arch" PyInit__archcompat
done
for tgz in "$DIST"/npm/archcompat-linux-*-musl-*.tgz; do
  case "$tgz" in *-x64-musl-*) arch=x86_64 ;; *-arm64-musl-*) arch=aarch64 ;; esac
  d=$work/n$loaded && mkdir -p "$d" && tar xzf "$tgz" -C "$d"
  smoke "$(ls "$d"/package/*.node)" "$arch" napi_register_module_v1
done
[ "$loaded" -gt 0 ] || { echo "package-musl-smoke: no musl package in $DIST" >&2; exit 1; }
echo "package-musl-smoke: musl loaded $loaded native libraries" >&2
