#!/usr/bin/env bash
# Long fuzz campaigns: each target until RUNS executions (default 10,000,000) or SECONDS
# (default 3600) pass, one process per target at the lowest priority (nice 19), LANES targets
# at a time (default 1). Appends one Markdown table row per target (executions, time, exec/s,
# corpus size, crashes) to target/fuzz-logs/long-results.md for docs/fuzzing.md.
# Usage: scripts/fuzz-long.sh [RUNS [SECONDS [LANES]]] [-- TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-lib.sh
runs=${1:-10000000}; secs=${2:-3600}; lanes=${3:-1}
targets=("${FUZZ_TARGETS[@]}")
if [ "${4:-}" = "--" ]; then shift 4; targets=("$@"); fi
fuzz_prepare
mkdir -p target/fuzz-logs
out=target/fuzz-logs/long-results.md
one() {
  local t=$1 log=target/fuzz-logs/$t.long.log rc=0 start end
  start=$(date +%s)
  nice -n 19 bash -c ". scripts/fuzz-lib.sh; fuzz_run $t $log -runs=$runs -max_total_time=$secs" || rc=$?
  end=$(date +%s)
  local n; n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  local crashes; crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
  local verdict="no crash, hang or OOM"; [ $rc -eq 0 ] || verdict="FAILED rc=$rc (see artifacts)"
  printf '| %s | %s | %s s | %s | %s | %s | %s |\n' "$t" "$n" "$((end - start))" \
    "$(( n / (end - start + 1) ))" "$(ls "fuzz/corpus/$t" | wc -l)" "$crashes" "$verdict" >> "$out"
}
i=0
for t in "${targets[@]}"; do
  one "$t" &
  i=$((i + 1))
  if [ $((i % lanes)) -eq 0 ]; then wait; fi
done
wait
cat "$out"
