# Shared by scripts/fuzz-short.sh and scripts/fuzz-long.sh (sourced, not run): the target list,
# each target's input size bound, installing cargo-fuzz when missing, and building every target
# once. FUZZ_SANITIZER (default `address`) picks the sanitizer; `none` builds release with
# debug assertions on (overflow checks, debug_assert!), which the long campaigns use.
FUZZ_TARGETS=(classify elf macho_pe manifest_json layer_tar layer_gzip layer_zstd docker_save
  lint explain rewrite_command rewrite_compose redact platform)

# fuzz_max_len TARGET: the largest input libFuzzer makes for TARGET (-max_len). Without it
# libFuzzer mutates inputs as large as the largest seed (256 KiB), which only slows every
# execution; these bounds hold every seed whole except the Go binaries (their prefix) and
# leave room for mutations to grow.
fuzz_max_len() {
  case "$1" in
    classify | elf) echo 65536 ;;          # C binaries whole, a Go binary's headers and notes
    macho_pe) echo 16400 ;;                # the 16 KiB Mach-O/PE heads + selector byte
    manifest_json) echo 65536 ;;
    layer_tar | layer_gzip | layer_zstd) echo 65536 ;;  # the small layer whole, 64 KiB of busybox
    docker_save) echo 262144 ;;
    lint | explain | rewrite_compose) echo 16384 ;;
    rewrite_command | redact) echo 4096 ;;
    platform) echo 256 ;;
    *) echo 4096 ;;
  esac
}

# FUZZ_TRACE_COMPARES=0 builds without libFuzzer's comparison hooks (`--no-trace-compares`,
# in their own target directory so the two builds do not rebuild each other): for a target
# whose time goes to a dependency's inner loop (docker_save: 74% of it was the hooks inside
# zlib-rs's inflate), about 3x the executions per second, at the cost of the fuzzer no longer
# seeing the operands of comparisons. The short CI runs and every other campaign keep them.
fuzz_flags() {
  local f
  if [ "${FUZZ_SANITIZER:-address}" = none ]; then
    f="-O -a -s none"
  else
    f="-O -s ${FUZZ_SANITIZER:-address}"
  fi
  [ "${FUZZ_TRACE_COMPARES:-1}" != 0 ] || f="$f --no-trace-compares --target-dir fuzz/target/no-trace-compares"
  echo "$f"
}

fuzz_prepare() {
  if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
  fi
  ./scripts/fuzz-seed.sh
  echo "== building fuzz targets (nightly, $(fuzz_flags))" >&2
  # shellcheck disable=SC2046
  cargo +nightly fuzz build --fuzz-dir fuzz $(fuzz_flags)
}

# fuzz_run TARGET LOG ARGS...: run one target on its corpus; crashes land in fuzz/artifacts/TARGET/.
fuzz_run() {
  local t=$1 log=$2; shift 2
  mkdir -p "fuzz/artifacts/$t"
  # shellcheck disable=SC2046
  cargo +nightly fuzz run --fuzz-dir fuzz $(fuzz_flags) "$t" "fuzz/corpus/$t" -- \
    -rss_limit_mb=512 -timeout=10 -max_len="$(fuzz_max_len "$t")" \
    -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 "$@" >"$log" 2>&1
}
