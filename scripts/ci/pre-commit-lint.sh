#!/usr/bin/env bash
# The `archcompat-lint` pre-commit hook: lints every Dockerfile pre-commit passes, in one
# `archcompat lint FILE…` call. Needs the
# `archcompat` command on PATH (cargo install archcompat-cli, or scripts/ci/install.sh).
# Extra hook `args` go to every `archcompat lint` call (e.g. --fail-on warning).
set -uo pipefail
command -v archcompat >/dev/null 2>&1 || {
  echo "archcompat-lint: the archcompat command is not on PATH (cargo install archcompat-cli)" >&2
  exit 2
}
args=(); files=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --fail-on|--context) args+=("$1" "${2:-}"); shift 2 || shift ;;
    -*) args+=("$1"); shift ;;
    *) files+=("$1"); shift ;;
  esac
done
[ "${#files[@]}" -gt 0 ] || exit 0
exec archcompat lint "${args[@]}" "${files[@]}"
