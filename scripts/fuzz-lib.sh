# Shared by scripts/fuzz-short.sh and scripts/fuzz-long.sh (sourced, not run): the target list,
# installing cargo-fuzz when missing, and building every target once.
FUZZ_TARGETS=(classify elf macho_pe manifest_json layer_tar layer_gzip layer_zstd docker_save
  lint explain rewrite_command rewrite_compose redact platform)

fuzz_prepare() {
  if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
  fi
  ./scripts/fuzz-seed.sh
  echo "== building fuzz targets (nightly, ASan)" >&2
  cargo +nightly fuzz build --fuzz-dir fuzz -O
}

# fuzz_run TARGET LOG ARGS...: run one target on its corpus; crashes land in fuzz/artifacts/TARGET/.
fuzz_run() {
  local t=$1 log=$2; shift 2
  mkdir -p "fuzz/artifacts/$t"
  cargo +nightly fuzz run --fuzz-dir fuzz -O "$t" "fuzz/corpus/$t" -- \
    -rss_limit_mb=512 -timeout=10 -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 "$@" \
    >"$log" 2>&1
  local rc=$?
  # Scratch layouts of fuzz processes that have ended (fuzz_targets/common.rs).
  for d in /dev/shm/archcompat-fuzz-* "${TMPDIR:-/tmp}"/archcompat-fuzz-*; do
    [ -d "$d" ] && [ ! -d "/proc/${d##*-}" ] && rm -rf "$d"
  done
  return $rc
}
