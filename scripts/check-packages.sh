#!/usr/bin/env bash
# Checks the packages in DIST (default dist/) without installing them, and fails on the first
# problem: every native library's highest GLIBC_ symbol version is at most the floor (2.28) and
# musl ones need no glibc at all; each is built for the architecture its name says; auditwheel
# gives each wheel the platform tag it carries; wheels, sdist, npm tarballs and crate carry the
# README and both LICENSE files; `twine check --strict` accepts the wheels and the sdist (the
# metadata PyPI would take and the README it would render); the root npm package names every
# platform package.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist}
FLOOR=2.28
PY=.venv/bin/python
fail() { echo "check-packages: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/archcompat-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
checked=0

# check_lib FILE ARCH LIBC: ARCH is x64|arm64, LIBC is gnu|musl.
check_lib() {
  local f=$1 arch=$2 libc=$3 machine max
  machine=$(readelf -h "$f" | sed -n 's/^ *Machine: *//p')
  case "$arch" in
    x64) [ "$machine" = "Advanced Micro Devices X86-64" ] || fail "$f: built for '$machine', not x86-64" ;;
    arm64) [ "$machine" = "AArch64" ] || fail "$f: built for '$machine', not AArch64" ;;
  esac
  max=$(objdump -T "$f" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1 || true)
  if [ "$libc" = gnu ]; then
    [ -n "$max" ] || fail "$f: no GLIBC_ symbol versions at all (not a glibc build?)"
    [ "$(printf '%s\n%s\n' "$max" "$FLOOR" | sort -V | tail -1)" = "$FLOOR" ] \
      || fail "$f: needs GLIBC_$max, above the floor $FLOOR"
    echo "  $(basename "$f"): $arch glibc, highest symbol GLIBC_$max (floor $FLOOR)" >&2
  else
    [ -z "$max" ] || fail "$f: a musl build that needs GLIBC_$max"
    # `libc.so` (zig's name, the .node) or Alpine's soname (the wheels, for auditwheel's policy).
    readelf -d "$f" | grep -Eq 'Shared library: \[libc\.(so|musl-(x86_64|aarch64)\.so\.1)\]' \
      || fail "$f: a musl build that does not link musl's libc"
    echo "  $(basename "$f"): $arch musl, no glibc symbols" >&2
  fi
  checked=$((checked + 1))
}

# need LISTING NAME...: each NAME is a line of LISTING.
need() {
  local listing=$1; shift
  for n in "$@"; do grep -qx "$n" <<<"$listing" || fail "$n missing (have: $(tr '\n' ' ' <<<"$listing"))"; done
}

shopt -s nullglob
wheels=("$DIST"/python/*.whl)
[ "${#wheels[@]}" -gt 0 ] || fail "no wheel in $DIST/python"
for whl in "${wheels[@]}"; do
  name=$(basename "$whl")
  echo "wheel $name" >&2
  case "$name" in *-cp310-abi3-*) ;; *) fail "$name: not an abi3 (cp310) wheel" ;; esac
  case "$name" in
    *manylinux_2_28_x86_64*) arch=x64 libc=gnu tag=manylinux_2_28_x86_64 ;;
    *manylinux_2_28_aarch64*) arch=arm64 libc=gnu tag=manylinux_2_28_aarch64 ;;
    *musllinux_1_2_x86_64*) arch=x64 libc=musl tag=musllinux_1_2_x86_64 ;;
    *musllinux_1_2_aarch64*) arch=arm64 libc=musl tag=musllinux_1_2_aarch64 ;;
    *) fail "$name: not a manylinux_2_28 or musllinux_1_2 wheel" ;;
  esac
  # A musl library needs `libc.so`: on this glibc machine auditwheel's default search finds
  # glibc's libc.so, a linker script, and fails on it, so it searches musl's own directory
  # (Debian's `musl`; the arm64 one from scripts/arm64-root.sh).
  ldpaths=()
  case "$tag" in
    musllinux_1_2_x86_64) ldpaths=(--ldpaths /usr/lib/x86_64-linux-musl) ;;
    musllinux_1_2_aarch64) ldpaths=(--ldpaths "$(./scripts/arm64-root.sh)/usr/lib/aarch64-linux-musl") ;;
  esac
  # auditwheel wraps its lines: compare with whitespace collapsed.
  show=$(.venv/bin/auditwheel show "${ldpaths[@]}" "$whl" 2>&1 | tr -s ' \n' '  ') || fail "auditwheel show $name: $show"
  grep -q "is consistent with the following platform tag: \"$tag\"" <<<"$show" \
    || fail "auditwheel does not confirm $tag for $name: $show"
  rm -rf "$work/w" && mkdir -p "$work/w"
  "$PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$whl" "$work/w"
  # The wheel is assembled by scripts/package-wheel.py: RECORD lists every file with its sha256
  # and size, WHEEL carries the filename's tag, and it is not pure Python.
  "$PY" - "$whl" <<'PYCHECK' || fail "$name: RECORD or WHEEL does not match the wheel's contents"
import base64, hashlib, sys, zipfile
whl = sys.argv[1]
z = zipfile.ZipFile(whl)
names = set(z.namelist())
info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
rows = [line.split(",") for line in z.read(f"{info}/RECORD").decode().splitlines()]
listed = {r[0] for r in rows}
assert listed == names, f"RECORD lists {sorted(listed ^ names)} differently"
for path, digest, size in rows:
    if path == f"{info}/RECORD":
        continue
    data = z.read(path)
    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert digest == want and int(size) == len(data), f"{path}: RECORD says {digest} {size}"
wheel = z.read(f"{info}/WHEEL").decode()
tag = whl.rsplit("/", 1)[-1][: -len(".whl")].split("-", 2)[2]
assert f"Tag: {tag}\n" in wheel and "Root-Is-Purelib: false\n" in wheel, wheel
PYCHECK
  listing=$(cd "$work/w" && find . -type f | sed 's|^\./||' | sort)
  need "$listing" archcompat/__init__.py archcompat/py.typed \
    "archcompat-$(sed -n 's/^archcompat-\([^-]*\)-.*/\1/p' <<<"$name").dist-info/licenses/LICENSE-MIT" \
    "archcompat-$(sed -n 's/^archcompat-\([^-]*\)-.*/\1/p' <<<"$name").dist-info/licenses/LICENSE-APACHE"
  grep -q '^Description-Content-Type: text/markdown' "$work"/w/*.dist-info/METADATA \
    || fail "$name: METADATA carries no README"
  grep -q '^# archcompat (Python)' "$work"/w/*.dist-info/METADATA || fail "$name: README text missing"
  so=("$work"/w/archcompat/_archcompat*.so)
  [ "${#so[@]}" = 1 ] || fail "$name: expected one extension module, found ${#so[@]}"
  check_lib "${so[0]}" "$arch" "$libc"
done

for sdist in "$DIST"/python/*.tar.gz; do
  echo "sdist $(basename "$sdist")" >&2
  listing=$(tar tzf "$sdist" | sed 's|^[^/]*/||' | sort)
  need "$listing" pyproject.toml README.md LICENSE-MIT LICENSE-APACHE PKG-INFO
done

# What PyPI's upload would check: required metadata fields, a metadata version it accepts, and
# a long description (the README) that renders; --strict also fails on warnings.
sdists=("$DIST"/python/*.tar.gz)
echo "twine check ${#wheels[@]} wheels, ${#sdists[@]} sdist" >&2
tw=$(.venv/bin/twine check --strict "${wheels[@]}" "${sdists[@]}" 2>&1) || fail "twine check: $tw"

tarballs=("$DIST"/npm/*.tgz)
[ "${#tarballs[@]}" -gt 0 ] || fail "no npm tarball in $DIST/npm"
for tgz in "${tarballs[@]}"; do
  name=$(basename "$tgz")
  echo "npm $name" >&2
  listing=$(tar tzf "$tgz" | sort)
  need "$listing" package/package.json package/README.md package/LICENSE-MIT package/LICENSE-APACHE
  case "$name" in
    archcompat-linux-*)
      plat=$(sed -E 's/^archcompat-(linux-[a-z0-9]+-[a-z]+)-.*/\1/' <<<"$name")
      need "$listing" "package/archcompat.$plat.node"
      rm -rf "$work/n" && mkdir -p "$work/n" && tar xzf "$tgz" -C "$work/n"
      arch=$(cut -d- -f2 <<<"$plat") libc=$(cut -d- -f3 <<<"$plat")
      node -e '
        const p = require(process.argv[1]), [os, cpu, libc] = process.argv.slice(2);
        const ok = p.os[0] === os && p.cpu[0] === cpu && p.libc[0] === (libc === "gnu" ? "glibc" : "musl");
        if (!ok) { console.error(`package.json says ${p.os}/${p.cpu}/${p.libc}`); process.exit(1); }
      ' "$work/n/package/package.json" linux "$arch" "$libc" || fail "$name: wrong os/cpu/libc"
      check_lib "$work/n/package/archcompat.$plat.node" "$arch" "$libc"
      ;;
    archcompat-[0-9]*)
      need "$listing" package/index.js package/index.d.ts
      tar xzf "$tgz" -C "$work" package/package.json
      node -e '
        const p = require(process.argv[1]);
        const fs = require("fs");
        const want = fs.readdirSync(process.argv[2]).map((d) => `archcompat-${d}`).sort();
        const have = Object.keys(p.optionalDependencies || {}).sort();
        if (JSON.stringify(want) !== JSON.stringify(have)) {
          console.error(`optionalDependencies ${have} != platform packages ${want}`); process.exit(1);
        }
        for (const n of have) if (p.optionalDependencies[n] !== p.version) {
          console.error(`${n} pinned at ${p.optionalDependencies[n]}, not ${p.version}`); process.exit(1);
        }
      ' "$work/package/package.json" archcompat-node/npm || fail "$name: optionalDependencies"
      ;;
    *) fail "$name: unexpected npm tarball" ;;
  esac
done

for crate in "$DIST"/crate/*.crate; do
  echo "crate $(basename "$crate")" >&2
  listing=$(tar tzf "$crate" | sed 's|^[^/]*/||' | sort)
  need "$listing" Cargo.toml README.md LICENSE-MIT LICENSE-APACHE src/lib.rs
done

[ "$checked" -gt 0 ] || fail "no native library checked"
echo "check-packages: $checked native libraries and every package in $DIST pass" >&2
