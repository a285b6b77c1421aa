#!/usr/bin/env bash
# Long fuzz campaigns: each target, ONE at a time, until RUNS executions (default 10,000,000)
# or SECONDS (default 3600) pass, at `nice -n ${FUZZ_NICE:-10}`, with -rss_limit_mb=512
# -timeout=10. Built with FUZZ_SANITIZER=none (default here: release with debug assertions;
# AddressSanitizer is for the short runs) . FUZZ_DEADLINE=HH:MM (UTC) ends every run by then.
# Each target's figures (executions, time, exec/s, corpus, crashes, load) are kept in
# target/fuzz-logs/long/TARGET.row, and the table between the fuzz-long markers in
# docs/fuzzing.md is regenerated from them after every target — never edited by hand.
# FUZZ_TABLE_ONLY=1 only regenerates the table from the rows.
# Usage: scripts/fuzz-long.sh [RUNS [SECONDS]] [-- TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-lib.sh
export FUZZ_SANITIZER=${FUZZ_SANITIZER:-none}
runs=${1:-10000000}; secs=${2:-3600}
targets=(platform redact rewrite_command macho_pe manifest_json lint rewrite_compose classify elf
  explain docker_save layer_tar layer_gzip layer_zstd)
if [ "${3:-}" = "--" ]; then shift 3; targets=("$@"); fi
rows=target/fuzz-logs/long
doc=docs/fuzzing.md
deadline=0
[ -z "${FUZZ_DEADLINE:-}" ] || deadline=$(date -u -d "${FUZZ_DEADLINE}" +%s)

load() { cut -d' ' -f1 /proc/loadavg; }

# Regenerate the table in docs/fuzzing.md from the rows (in FUZZ_TARGETS order).
write_table() {
  local tmp t; tmp=$(mktemp)
  {
    echo "| target | executions | time | exec/s | corpus | crashes | load (start–end) | run on | result | time for $runs at this rate |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    # The last column: how long `runs` executions take at the rate measured (field 5).
    for t in "${FUZZ_TARGETS[@]}"; do
      [ -f "$rows/$t.row" ] || continue
      awk -F'|' -v runs="$runs" '{ r = $5 + 0; sub(/ *$/, "");
        if (r <= 0) e = "—"; else { s = runs / r;
          e = (s < 3600) ? sprintf("%.0f min", s / 60) : sprintf("%.1f h", s / 3600) }
        print $0 " " e " |" }' "$rows/$t.row"
    done
    echo
    cat "$rows"/*.row 2>/dev/null | awk -F'|' -v runs="$runs" -v all="${#FUZZ_TARGETS[@]}" '
      { n++; x = $3; gsub(/[^0-9]/, "", x); if (x + 0 >= runs) reached++; crashes += $7 }
      END { printf "%d of %d targets run; %d reached %d executions; %d crash, hang or OOM inputs.\n",
            n, all, reached, runs, crashes }'
  } > "$tmp"
  awk -v tbl="$tmp" '
    /<!-- fuzz-long:begin -->/ { print; while ((getline l < tbl) > 0) print l; skip = 1; next }
    /<!-- fuzz-long:end -->/ { skip = 0 }
    !skip { print }' "$doc" > "$doc.new"
  mv "$doc.new" "$doc"; rm -f "$tmp"
}

one() {
  local t=$1 log=target/fuzz-logs/$t.long.log rc=0 start end limit=$secs l0 l1 marker
  if [ "$deadline" -gt 0 ]; then
    # An equal share of what is left before the deadline for each target still to run.
    limit=$(( (deadline - $(date +%s)) / left )); [ "$limit" -le "$secs" ] || limit=$secs
    if [ "$limit" -le 5 ]; then echo "fuzz-long: deadline reached, $t not run" >&2; return 0; fi
  fi
  ./scripts/fuzz-seed.sh 2>/dev/null # image-fixture seeds appear once the tests built them
  marker=$(mktemp); l0=$(load); start=$(date +%s)
  echo "== fuzz $t: up to $runs executions or ${limit}s (nice ${FUZZ_NICE:-10}, $(fuzz_flags))" >&2
  nice -n "${FUZZ_NICE:-10}" bash -c ". scripts/fuzz-lib.sh; fuzz_run $t $log -runs=$runs -max_total_time=$limit" || rc=$?
  end=$(date +%s); l1=$(load)
  local n; n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  local crashes; crashes=$(find "fuzz/artifacts/$t" -type f -newer "$marker" | wc -l); rm -f "$marker"
  local result
  if [ "$rc" -ne 0 ]; then
    if grep -q 'out-of-memory' "$log"; then result="**OOM** (rc $rc, artifact kept)"
    elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then result="**hang > 10 s** (rc $rc, artifact kept)"
    else result="**crash** (rc $rc, artifact kept)"; fi
  elif [ "$n" -ge "$runs" ]; then result="reached $runs: no crash, hang or OOM"
  else result="stopped at the time limit before $runs: no crash, hang or OOM"; fi
  local secs_used=$(( end - start )); [ "$secs_used" -gt 0 ] || secs_used=1
  printf '| `%s` | %s | %s s | %s | %s | %s | %s–%s | %s | %s |\n' "$t" \
    "$(printf "%'d" "$n" 2>/dev/null || echo "$n")" "$secs_used" "$(( n / secs_used ))" \
    "$(find "fuzz/corpus/$t" -type f | wc -l)" "$crashes" "$l0" "$l1" \
    "$(date -u -d "@$start" '+%Y-%m-%d %H:%M UTC')" "$result" > "$rows/$t.row"
  write_table
  cat "$rows/$t.row" >&2
}

# FUZZ_TABLE_ONLY=1: only regenerate the table from the rows recorded so far.
if [ "${FUZZ_TABLE_ONLY:-}" = 1 ]; then write_table; exit 0; fi
fuzz_prepare
mkdir -p "$rows"
left=${#targets[@]}
for t in "${targets[@]}"; do one "$t"; left=$((left - 1)); done
