#!/usr/bin/env bash
# The CI check: `archcompat image` of ARCHCOMPAT_IMAGE for every host of ARCHCOMPAT_HOSTS and
# `archcompat lint` of ARCHCOMPAT_DOCKERFILE, each printed to the log and written as SARIF into
# ARCHCOMPAT_SARIF_DIR. Exits 1 when a finding reaches ARCHCOMPAT_FAIL_ON (error, warning, info
# or none), 2 on unusable input. Inputs come in the environment (never interpolated into the
# script), as the GitHub Action and the GitLab template pass them.
set -uo pipefail
image=${ARCHCOMPAT_IMAGE:-}
hosts=${ARCHCOMPAT_HOSTS:-linux/amd64,linux/arm64}
dockerfile=${ARCHCOMPAT_DOCKERFILE:-}
fail_on=${ARCHCOMPAT_FAIL_ON:-error}
dir=${ARCHCOMPAT_SARIF_DIR:-archcompat-sarif}
case "$fail_on" in error|warning|info|none) ;; *)
  echo "archcompat: fail-on must be error, warning, info or none, not '$fail_on'" >&2; exit 2 ;;
esac
if [ -z "$image" ] && [ -z "$dockerfile" ]; then
  echo "archcompat: nothing to check: set the image and/or the dockerfile input" >&2
  exit 2
fi
mkdir -p "$dir"
failed=0
# Does this SARIF log hold a result at or above the threshold?
reaches() {
  case "$fail_on" in
    none) return 1 ;;
    error) grep -q '"level": "error"' "$1" ;;
    warning) grep -Eq '"level": "(error|warning)"' "$1" ;;
    info) grep -Eq '"level": "(error|warning|note)"' "$1" ;;
  esac
}
if [ -n "$image" ]; then
  IFS=',' read -r -a list <<< "$hosts"
  for h in "${list[@]}"; do
    h=$(echo "$h" | tr -d '[:space:]'); [ -n "$h" ] || continue
    name=$(echo "$h" | tr '/:' '__')
    echo "::group::archcompat image $image --host $h"
    archcompat image "$image" --host "$h"; rc=$?
    echo "::endgroup::"
    [ "$rc" -le 1 ] || { echo "archcompat: could not check $image for $h (exit $rc)" >&2; exit 2; }
    archcompat image "$image" --host "$h" --format sarif --quiet > "$dir/image-$name.sarif"
    if reaches "$dir/image-$name.sarif"; then failed=1; fi
    verdict=$([ "$rc" = 0 ] && echo runs || echo wont-run)
    echo "verdict-$name=$verdict" >> "${GITHUB_OUTPUT:-/dev/null}"
  done
fi
if [ -n "$dockerfile" ]; then
  echo "::group::archcompat lint $dockerfile"
  archcompat lint "$dockerfile" --fail-on none; rc=$?
  echo "::endgroup::"
  [ "$rc" -le 1 ] || { echo "archcompat: could not lint $dockerfile (exit $rc)" >&2; exit 2; }
  archcompat lint "$dockerfile" --fail-on none --format sarif > "$dir/lint.sarif"
  if reaches "$dir/lint.sarif"; then failed=1; fi
fi
echo "sarif-dir=$dir" >> "${GITHUB_OUTPUT:-/dev/null}"
if [ "$failed" = 1 ]; then
  echo "archcompat: findings at or above '$fail_on' (SARIF in $dir)" >&2
  exit 1
fi
echo "archcompat: no findings at or above '$fail_on'"
