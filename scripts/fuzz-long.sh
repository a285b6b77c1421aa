#!/usr/bin/env bash
# Long fuzz campaigns: each target, ONE at a time, until it has RUNS executions (default
# 10,000,000, counted over its runs since its last crash: each run resumes the saved corpus)
# or SECONDS (default 3600) pass, at `nice -n ${FUZZ_NICE:-10}`, with -rss_limit_mb=512
# -timeout=10. Built with FUZZ_SANITIZER=none (default here: release with debug assertions;
# AddressSanitizer is for the short runs) . FUZZ_DEADLINE=HH:MM (UTC) ends every run by then.
# Each run's figures (executions, time, exec/s, corpus, crashes, load) are appended to
# fuzz/runs/TARGET.runs — kept in the repository, so the record outlives the machine that ran
# the campaign (commit it with the table) — and the table between the fuzz-long markers in
# docs/fuzzing.md is regenerated from them after every target — never edited by hand.
# FUZZ_TABLE_ONLY=1 only regenerates the table from the rows.
# FUZZ_RECOUNT="why" first records that the code each target runs changed since its earlier
# runs (a line "recount at COMMIT: why"): its count starts again from zero.
# To give the machine back mid-campaign (for benchmarks): `touch target/fuzz-logs/long/STOP`
# and send SIGINT to the running fuzz target (`pkill -INT -x TARGET`): libFuzzer stops, prints
# its figures, and the run is recorded as interrupted (its executions count); no further
# target starts while STOP exists (a new campaign removes it).
# Usage: scripts/fuzz-long.sh [RUNS [SECONDS]] [-- TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-lib.sh
export FUZZ_SANITIZER=${FUZZ_SANITIZER:-none}
runs=${1:-10000000}; secs=${2:-3600}
targets=(platform redact rewrite_command macho_pe manifest_json lint rewrite_compose classify elf
  explain docker_save layer_tar layer_gzip layer_zstd)
if [ "${3:-}" = "--" ]; then shift 3; targets=("$@"); fi
rows=fuzz/runs
stop=target/fuzz-logs/long/STOP
doc=docs/fuzzing.md
deadline=0
[ -z "${FUZZ_DEADLINE:-}" ] || deadline=$(date -u -d "${FUZZ_DEADLINE}" +%s)

load() { cut -d' ' -f1 /proc/loadavg; }

# Regenerate the table in docs/fuzzing.md from the runs (in FUZZ_TARGETS order). Each run of a
# target is one line of $rows/TARGET.runs; every run resumes the target's saved corpus, so a
# target's executions are the sum over its runs since its last crash, hang or OOM (the runs
# before one were of code since fixed). A line with a tenth column N stands for N runs whose
# own lines were lost (their sums, recovered from the table they had produced).
write_table() {
  local tmp t; tmp=$(mktemp)
  {
    echo "| target | executions (runs) | time | last exec/s | corpus | crashes | load (start–end) of the last run | last run on | result | time for $runs at this rate |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for t in "${FUZZ_TARGETS[@]}"; do
      runs_of "$t" | awk -F'|' -v runs="$runs" -v name="$t" '
        NF < 10 { next }
        # A crash restarts the count; so does a recount line (the code changed since).
        { if ($10 ~ /\*\*/ || $10 ~ /^ *recount/) { n = 0; secs = 0; k = 0; crashes += $7 }
          if ($10 ~ /^ *recount/) { recount = 1; next }
          x = $3; gsub(/[^0-9]/, "", x); n += x; k += ($11 + 0 > 0) ? $11 + 0 : 1
          s = $4; gsub(/[^0-9]/, "", s); secs += s
          rate = $5 + 0; corpus = $6; load = $8; on = $9; res = $10 }
        END { if (!k && !crashes && !recount) exit
          gsub(/^ +| +$/, "", res)
          if (res ~ /\*\*/) r = res
          else if (n >= runs) r = sprintf("reached %d: no crash, hang or OOM", runs)
          else r = sprintf("%d to go: no crash, hang or OOM", runs - n)
          left = runs - n; if (left < 0) left = 0
          if (rate <= 0) e = "—"; else { s = left / rate;
            e = (s < 3600) ? sprintf("%.0f min", s / 60) : sprintf("%.1f h", s / 3600) }
          if (left == 0) e = "—"
          printf "| `%s` | %d (%d) | %d s |%s|%s| %d |%s|%s| %s | %s |\n", name, n, k, secs,
            " " rate " ", corpus, crashes, load, on, r, e
          printf "%s %d %d\n", name, n, crashes > "/dev/stderr" }' 2>>"$tmp.sum"
    done
    echo
    awk -v runs="$runs" -v all="${#FUZZ_TARGETS[@]}" '
      { t++; if ($2 >= runs) reached++; crashes += $3 }
      END { printf "%d of %d targets run; %d reached %d executions; %d crash, hang or OOM inputs.\n",
            t, all, reached, runs, crashes }' "$tmp.sum"
  } > "$tmp"
  awk -v tbl="$tmp" '
    /<!-- fuzz-long:begin -->/ { print; while ((getline l < tbl) > 0) print l; skip = 1; next }
    /<!-- fuzz-long:end -->/ { skip = 0 }
    !skip { print }' "$doc" > "$doc.new"
  mv "$doc.new" "$doc"; rm -f "$tmp" "$tmp.sum"
}

# runs_of TARGET: its runs, oldest first.
runs_of() {
  [ ! -f "$rows/$1.runs" ] || cat "$rows/$1.runs"
}

# executed TARGET: its executions since its last crash, hang or OOM.
executed() {
  runs_of "$1" | awk -F'|' 'NF >= 10 { if ($10 ~ /\*\*/ || $10 ~ /^ *recount/) n = 0; x = $3; gsub(/[^0-9]/, "", x); n += x }
    END { print n + 0 }'
}

one() {
  local t=$1 lock
  # One campaign per target at a time: a second would share (and truncate) its log and corpus.
  exec {lock}>"target/fuzz-logs/$t.lock"
  if ! flock -n "$lock"; then
    echo "fuzz-long: another campaign is running $t; not run here" >&2; exec {lock}>&-; return 0
  fi
  one_locked "$t"; local st=$?
  exec {lock}>&-
  return $st
}

one_locked() {
  local t=$1 log=target/fuzz-logs/$t.long.log rc=0 start end limit=$secs l0 l1 marker
  if [ "$deadline" -gt 0 ]; then
    # An equal share of what is left before the deadline for each target still to run.
    limit=$(( (deadline - $(date +%s)) / left )); [ "$limit" -le "$secs" ] || limit=$secs
    if [ "$limit" -le 5 ]; then echo "fuzz-long: deadline reached, $t not run" >&2; return 0; fi
  fi
  if [ -n "${FUZZ_RECOUNT:-}" ]; then
    # The code these runs test changed since the earlier runs: count from zero again.
    l0=$(load)
    printf '| `%s` | 0 | 0 s | 0 | %s | 0 | %s–%s | %s | recount at %s: %s |\n' "$t" \
      "$(find "fuzz/corpus/$t" -type f | wc -l)" "$l0" "$l0" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
      "$(git rev-parse --short HEAD)" "$FUZZ_RECOUNT" >> "$rows/$t.runs"
  fi
  # Only what is still to go: the runs since the target's last crash (or recount) already count.
  local todo; todo=$(( runs - $(executed "$t") ))
  if [ "$todo" -le 0 ]; then echo "fuzz-long: $t already reached $runs executions" >&2; return 0; fi
  ./scripts/fuzz-seed.sh 2>/dev/null # image-fixture seeds appear once the tests built them
  marker=$(mktemp); l0=$(load); start=$(date +%s)
  echo "== fuzz $t: up to $todo executions or ${limit}s (nice ${FUZZ_NICE:-10}, $(fuzz_flags))" >&2
  nice -n "${FUZZ_NICE:-10}" bash -c ". scripts/fuzz-lib.sh; fuzz_run $t $log -runs=$todo -max_total_time=$limit" || rc=$?
  end=$(date +%s); l1=$(load)
  local n; n=$(grep -a -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  # (A slow-unit-* file is not a failure: libFuzzer notes the slowest input so far, by wall
  # time, which includes the time an idle-priority run waited for the CPU.)
  local crashes; crashes=$(find "fuzz/artifacts/$t" -type f ! -name 'slow-unit-*' -newer "$marker" | wc -l); rm -f "$marker"
  local result
  if [ "$rc" -ne 0 ] && grep -q 'failed to build fuzz script\|could not compile' "$log"; then
    # Not a finding: the sources did not build (edited while a campaign ran). Nothing is
    # recorded; run the campaign from a checkout nobody edits.
    echo "fuzz-long: $t did not build (see $log); nothing recorded" >&2
    return 1
  fi
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && grep -q 'libFuzzer: run interrupted' "$log"; then
    result="interrupted before $runs: no crash, hang or OOM"
  elif [ "$rc" -ne 0 ]; then
    if grep -q 'out-of-memory' "$log"; then result="**OOM** (rc $rc, artifact kept)"
    elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then result="**hang > 10 s** (rc $rc, artifact kept)"
    else result="**crash** (rc $rc, artifact kept)"; fi
  elif [ "$n" -ge "$todo" ]; then result="reached $runs: no crash, hang or OOM"
  else result="stopped at the time limit before $runs: no crash, hang or OOM"; fi
  local secs_used=$(( end - start )); [ "$secs_used" -gt 0 ] || secs_used=1
  printf '| `%s` | %s | %s s | %s | %s | %s | %s–%s | %s | %s |\n' "$t" \
    "$(printf "%'d" "$n" 2>/dev/null || echo "$n")" "$secs_used" "$(( n / secs_used ))" \
    "$(find "fuzz/corpus/$t" -type f | wc -l)" "$crashes" "$l0" "$l1" \
    "$(date -u -d "@$start" '+%Y-%m-%d %H:%M UTC')" "$result" >> "$rows/$t.runs"
  write_table
  tail -1 "$rows/$t.runs" >&2
}

# FUZZ_TABLE_ONLY=1: only regenerate the table from the rows recorded so far.
if [ "${FUZZ_TABLE_ONLY:-}" = 1 ]; then write_table; exit 0; fi
fuzz_prepare
mkdir -p "$rows" "$(dirname "$stop")"
rm -f "$stop"
left=${#targets[@]}
for t in "${targets[@]}"; do
  if [ -e "$stop" ]; then echo "fuzz-long: $stop exists; $t and the rest not run" >&2; break; fi
  one "$t"; left=$((left - 1))
done
