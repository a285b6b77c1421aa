#!/usr/bin/env bash
# Makes `archcompat` available to the CI steps that follow (GitHub Action, GitLab template):
# an archcompat already on PATH is used as it is; otherwise it is built from this checkout of the
# action (`cargo install --locked --path archcompat-cli`), or from crates.io when the checkout has
# no sources. The install directory is added to GITHUB_PATH when GitHub Actions runs this.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
if command -v archcompat >/dev/null 2>&1; then
  echo "archcompat: using $(command -v archcompat) ($(archcompat --version))"
  exit 0
fi
command -v cargo >/dev/null 2>&1 || {
  echo "archcompat: neither archcompat nor cargo is on PATH; install Rust (rustup) or archcompat first" >&2
  exit 2
}
root=${ARCHCOMPAT_INSTALL_ROOT:-${RUNNER_TOOL_CACHE:-$HOME/.cache}/archcompat}
if [ -f "$here/archcompat-cli/Cargo.toml" ]; then
  cargo install --locked --quiet --root "$root" --path "$here/archcompat-cli"
else
  cargo install --locked --quiet --root "$root" archcompat-cli
fi
if [ -n "${GITHUB_PATH:-}" ]; then echo "$root/bin" >> "$GITHUB_PATH"; fi
echo "archcompat: installed $("$root/bin/archcompat" --version) in $root/bin"
