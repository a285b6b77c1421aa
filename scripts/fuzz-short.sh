#!/usr/bin/env bash
# A short run of every fuzz target (default 20 s each; FUZZ_SECONDS overrides), as CI runs it:
# any crash, hang (>10 s per input) or OOM (>512 MiB RSS) fails the script and leaves the input
# in fuzz/artifacts/TARGET/ (turn it into a regression test). Usage: scripts/fuzz-short.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-lib.sh
secs=${FUZZ_SECONDS:-20}
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=("${FUZZ_TARGETS[@]}")
fuzz_prepare
mkdir -p target/fuzz-logs
failed=()
for t in "${targets[@]}"; do
  log=target/fuzz-logs/$t.short.log
  if fuzz_run "$t" "$log" -max_total_time="$secs"; then
    echo "fuzz $t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$') executions in ${secs}s, no crash" >&2
  else
    echo "fuzz $t: FAILED (log $log)" >&2; tail -40 "$log" >&2; failed+=("$t")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failing targets: ${failed[*]}" >&2; exit 1; }
echo "fuzz: ${#targets[@]} targets ran ${secs}s each without a crash" >&2
