#!/usr/bin/env bash
# Builds the Linux packages into dist/ (README "Packages"):
#   dist/python/  abi3 wheels (manylinux_2_28 for glibc, musllinux_1_2 for musl) and the sdist
#   dist/npm/     the root `archcompat` tarball (loader, types, optionalDependencies) and one
#                 tarball per platform (`archcompat-linux-x64-gnu`, …) holding the .node addon
#   dist/crate/   the `archcompat` crate, verified by `cargo package` (it builds on its own)
# Each target is ONE cargo build (cargo-zigbuild, driven by napi's CLI) of both cdylibs, the
# Python extension and the Node addon, sharing the core and its dependencies; the wheel is then
# assembled by scripts/package-wheel.py (with maturin's metadata from the sdist), the .node packed
# by npm. Cross builds link with zig (ziglang + cargo-zigbuild from PyPI, in .venv) against glibc
# 2.28; all of them share ONE extra target dir, target/cross. Then scripts/check-packages.sh checks
# what was built (symbol versions, auditwheel, contents).
#
# Environment: TARGETS (Rust triples, default: the four Linux ones), PROFILE (cargo profile,
# default release; the test command uses the cheaper `pkgtest`), DIST (default dist),
# CRATE (verify: default; noverify: `cargo package --no-verify`; 0: no crate).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TARGETS=${TARGETS:-"x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl"}
PROFILE=${PROFILE:-release}
DIST=$(mkdir -p "${DIST:-dist}" && cd "${DIST:-dist}" && pwd)
GLIBC_FLOOR=2.28
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target/cross}

./scripts/setup.sh
./scripts/setup-packaging.sh $TARGETS
export PATH="$ROOT/.venv/bin:$PATH"

VERSION=$(node -p 'require("./archcompat-node/package.json").version')
rm -rf "$DIST/python" "$DIST/npm" "$DIST/crate"
mkdir -p "$DIST/python" "$DIST/npm" "$DIST/crate"
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/archcompat-package.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

# Node's name for a Rust triple: the npm/ directory and the .node suffix.
node_platform() {
  case "$1" in
    x86_64-unknown-linux-gnu) echo linux-x64-gnu ;;
    aarch64-unknown-linux-gnu) echo linux-arm64-gnu ;;
    x86_64-unknown-linux-musl) echo linux-x64-musl ;;
    aarch64-unknown-linux-musl) echo linux-arm64-musl ;;
    *) echo "package.sh: no npm platform for $1" >&2; return 1 ;;
  esac
}

# The sdist first: its PKG-INFO (maturin's core metadata: README, classifiers, licenses) is each
# wheel's METADATA.
echo "== Python sdist" >&2
maturin sdist -m archcompat-py/Cargo.toml -o "$DIST/python" >&2
tar xzf "$DIST/python/archcompat-$VERSION.tar.gz" -C "$STAGE" "archcompat-$VERSION/PKG-INFO"
PKG_INFO=$STAGE/archcompat-$VERSION/PKG-INFO

# The build directory cargo uses for a profile.
profile_dir() { case "$1" in dev | test) echo debug ;; bench) echo release ;; *) echo "$1" ;; esac; }

for target in $TARGETS; do
  case "$target" in
    *-linux-gnu) compat=manylinux_${GLIBC_FLOOR/./_}; zig_target=$target.$GLIBC_FLOOR ;;
    *-linux-musl) compat=musllinux_1_2; zig_target=$target ;;
    *) echo "package.sh: only Linux targets are built here, not $target (see README: Packages)" >&2; exit 2 ;;
  esac
  plat=$(node_platform "$target")

  # ONE cargo invocation builds both cdylibs, so the core and every dependency compile once per
  # target with the features both bindings need (built apart, pyo3 and napi unify different
  # features of syn and futures-util, and everything above them compiles twice). napi's CLI
  # drives it (cargo-zigbuild, its type definitions, index.js, the .node name); the packages after
  # `--` go to cargo as they are (napi names none itself). PYO3_BUILD_EXTENSION_MODULE=1 is what
  # maturin sets: the extension does not link libpython (the interpreter provides its symbols).
  echo "== $target: Python extension and Node addon (one cargo build, profile $PROFILE)" >&2
  out=$STAGE/node-$plat
  mkdir -p "$out"
  (cd archcompat-node && PYO3_BUILD_EXTENSION_MODULE=1 npx napi build --platform -x \
    --target "$zig_target" --profile "$PROFILE" --target-dir "$CARGO_TARGET_DIR" --output-dir "$out" \
    -- -p archcompat-node -p archcompat-py >&2)

  echo "== $target: Python wheel ($compat)" >&2
  arch=${target%%-*}
  so=$STAGE/_archcompat-$plat.so
  cp "$CARGO_TARGET_DIR/$target/$(profile_dir "$PROFILE")/lib_archcompat.so" "$so"
  # zig links musl's libc by the name `libc.so`; musl's loader takes any `libc.*` name as itself,
  # but the musllinux policy (auditwheel) names Alpine's soname, libc.musl-<arch>.so.1, which
  # musllinux wheels built on Alpine need. The .node keeps `libc.so` (no policy checks it).
  case "$target" in
    *-linux-musl) patchelf --replace-needed libc.so "libc.musl-$arch.so.1" "$so" ;;
  esac
  python3 scripts/package-wheel.py "$so" "$PKG_INFO" "${compat}_$arch" "$DIST/python" >&2

  echo "== $target: npm package archcompat-$plat" >&2
  pkg=$STAGE/npm-$plat
  cp -r "archcompat-node/npm/$plat" "$pkg"
  cp "$out/archcompat.$plat.node" archcompat-node/LICENSE-MIT archcompat-node/LICENSE-APACHE "$pkg/"
  (cd "$pkg" && npm pack --silent --pack-destination "$DIST/npm" >/dev/null)
  # The loader and the types are the same for every target; keep the last ones.
  cp "$out/index.js" "$out/index.d.ts" "$STAGE/"
done

echo "== npm package archcompat (loader, types, optionalDependencies)" >&2
root=$STAGE/npm-root
mkdir -p "$root"
cp archcompat-node/package.json archcompat-node/README.md archcompat-node/types-header.d.ts \
  archcompat-node/LICENSE-MIT archcompat-node/LICENSE-APACHE "$STAGE/index.d.ts" "$root/"
# The loader is ours (archcompat-node/loader.js: its error names the platform, the package to
# install and the supported list); the export list napi-rs generated keeps ESM named imports.
{
  cat archcompat-node/loader.js
  grep -E '^module\.exports\.[A-Za-z0-9_]+ = nativeBinding\.[A-Za-z0-9_]+$' "$STAGE/index.js"
} >"$root/index.js"
grep -q '^module.exports.version = nativeBinding.version$' "$root/index.js" \
  || { echo "package.sh: no export list found in napi's generated index.js" >&2; exit 1; }
# optionalDependencies name every platform package at this exact version; npm installs the one
# whose os/cpu/libc match. They are added here, not in the committed package.json, because the
# committed lockfile (`npm ci` for development) cannot lock packages that are not yet published.
node -e '
  const fs = require("fs"), path = require("path");
  const [pkgJson, npmDir] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(pkgJson));
  pkg.optionalDependencies = {};
  for (const dir of fs.readdirSync(npmDir).sort()) {
    const sub = JSON.parse(fs.readFileSync(path.join(npmDir, dir, "package.json")));
    pkg.optionalDependencies[sub.name] = pkg.version;
  }
  delete pkg.devDependencies; delete pkg.overrides; delete pkg.scripts;
  fs.writeFileSync(pkgJson, JSON.stringify(pkg, null, 2) + "\n");
' "$root/package.json" archcompat-node/npm
(cd "$root" && npm pack --silent --pack-destination "$DIST/npm" >/dev/null)

case "${CRATE:-verify}" in
  verify | noverify)
    echo "== crate archcompat (cargo package; 'verify' builds the packaged crate on its own)" >&2
    # The verify build reuses the workspace's own target dir (warm from the tests), not target/cross.
    flags=(--quiet --allow-dirty)
    [ "${CRATE:-verify}" = verify ] || flags+=(--no-verify)
    CARGO_TARGET_DIR="$ROOT/target" cargo package -p archcompat "${flags[@]}"
    cp "$ROOT/target/package/archcompat-$VERSION.crate" "$DIST/crate/"
    ;;
  0) ;;
  *) echo "package.sh: CRATE is verify, noverify or 0, not '$CRATE'" >&2; exit 2 ;;
esac

./scripts/check-packages.sh "$DIST"
# The sdist builds into a wheel in an empty venv, for this machine's own target, when that was
# built (its dependencies are then reused). SDIST_CHECK=0 skips it; the test command's cheap
# `pkgtest` builds skip it by default (it compiles the crates once more: README "Packages").
[ "$PROFILE" = pkgtest ] && sdist_default=0 || sdist_default=1
case " $TARGETS " in
  *" $(rustc -vV | sed -n 's/^host: //p') "*)
    [ "${SDIST_CHECK:-$sdist_default}" = 0 ] || ./scripts/package-sdist-check.sh "$DIST" ;;
esac
# musl's own loader loads the musl libraries (no musl Python or Node is reachable here).
case " $TARGETS " in *-musl\ *) ./scripts/package-musl-smoke.sh "$DIST" ;; esac
ls -l "$DIST"/python "$DIST"/npm "$DIST"/crate >&2
