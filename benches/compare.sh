#!/usr/bin/env bash
# archcompat measured as users run it, side by side with the tools people use instead, in one
# run on the same inputs, on files found on this machine (nothing is downloaded except, when
# they install, pyelftools and LIEF from PyPI into the project's .venv).
#
#   ./benches/compare.sh                 # prints the results table (markdown) on stdout
#   ./benches/compare.sh --update-readme # also writes it between the README's bench markers
#
# Environment: BENCH_FILES (20000 files under /usr), BENCH_IMAGE_MB (320 MB of tar),
# BENCH_REPS (5: rounds; the best run of each command is kept; slow baselines run once), BENCH_SECTIONS
# (default "inspect image text bindings": which parts to run).
# Needs what scripts/setup.sh installs (pigz, GNU time, zstd, umoci, skopeo, file, binutils).
# Work files go to target/bench/ (the image is built once and reused; delete it to rebuild).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=$ROOT/target/bench
mkdir -p "$W"
N=${BENCH_FILES:-20000}
IMAGE_MB=${BENCH_IMAGE_MB:-320}
REPS=${BENCH_REPS:-5}
UPDATE=0
SECTIONS=" ${BENCH_SECTIONS:-inspect image text bindings} "
has() { [[ "$SECTIONS" == *" $1 "* ]]; }
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
[ "${1:-}" = "--update-readme" ] && UPDATE=1

say() { echo "compare: $*" >&2; }
need() { command -v "$1" >/dev/null || { say "missing $1 (run ./scripts/setup.sh)"; exit 2; }; }
for t in file readelf gzip pigz zstd tar umoci skopeo jq xargs; do need "$t"; done
[ -x /usr/bin/time ] || { say "missing GNU time (/usr/bin/time; run ./scripts/setup.sh)"; exit 2; }

say "building release binaries"
cargo build --release --quiet -p archcompat-cli -p archcompat-benches --bins
AC=$ROOT/target/release/archcompat
LOOP=$ROOT/target/release/readloop
FLOOR=$ROOT/target/release/readfloor
INFL=$ROOT/target/release/inflate

# ---- measurement helpers -------------------------------------------------------------------
declare -A SEC RSS CPU
# run NAME REPS CMD...: best wall time of REPS runs (seconds), the least CPU time (user +
# system, all processes) and the peak RSS (KiB) of the process tree (GNU time: the largest
# descendant) of the last run. Calling it again with the same NAME adds runs (the best so far
# is kept), which is how `rounds` interleaves the commands it compares. The command's exit
# status must be 0, or 1 for archcompat ("a problem was found"), or 123 from xargs for the same.
run() {
  local name=$1 reps=$2
  shift 2
  local best=${SEC[$name]:-} cpu=${CPU[$name]:-} i s e st c
  for ((i = 0; i < reps; i++)); do
    s=$EPOCHREALTIME
    set +e
    /usr/bin/time -f '%M %U %S' -o "$W/rss" "$@" >/dev/null 2>"$W/err"
    st=$?
    set -e
    e=$EPOCHREALTIME
    if [ "$st" -ne 0 ] && [ "$st" -ne 1 ] && [ "$st" -ne 123 ]; then
      say "$name failed (exit $st):"
      tail -n 5 "$W/err" >&2
      exit 1
    fi
    local d
    d=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.4f", b - a }')
    if [ -z "$best" ] || awk -v d="$d" -v b="$best" 'BEGIN { exit !(d < b) }'; then best=$d; fi
    c=$(tail -n 1 "$W/rss" | awk '{ printf "%.2f", $2 + $3 }')
    if [ -z "$cpu" ] || awk -v d="$c" -v b="$cpu" 'BEGIN { exit !(d < b) }'; then cpu=$c; fi
  done
  SEC[$name]=$best
  CPU[$name]=$cpu
  RSS[$name]=$(tail -n 1 "$W/rss" | cut -d' ' -f1)
  say "$(printf '%-28s %8.3f s wall %7.2f s cpu %7.1f MiB' "$name" "$best" "$cpu" "$(awk -v k="${RSS[$name]}" 'BEGIN{print k/1024}')")"
}
# rounds N 'run NAME 1 CMD...' ...: N rounds, each running every command once in turn, so the
# commands a ratio compares are timed side by side (a machine whose speed drifts over a minute,
# as a shared VM's does, shifts them together instead of skewing the ratio).
rounds() {
  local n=$1 r c
  shift
  for ((r = 0; r < n; r++)); do
    for c in "$@"; do eval "$c"; done
  done
}
ratio() { awk -v a="${SEC[$1]}" -v b="${SEC[$2]}" 'BEGIN { printf "%.2f", a / b }'; }
cpuratio() { awk -v a="${CPU[$1]}" -v b="${CPU[$2]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mib() { awk -v k="${RSS[$1]}" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
sec() { awk -v s="${SEC[$1]}" 'BEGIN { if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s }'; }
us_per() { awk -v s="${SEC[$1]}" -v n="$2" 'BEGIN { printf "%.2f µs", s * 1e6 / n }'; }
check() { # check RATIO OP TARGET -> "met" / "NOT met"
  awk -v r="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (r <= t) : (r >= t); print ok ? "met" : "**not met**" }'
}
ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 |"); }

# ---- 1. inspect over N files under /usr ----------------------------------------------------
if has inspect; then
say "collecting $N files under /usr"
find /usr -xdev -type f -size +0 -readable 2>/dev/null | LC_ALL=C sort | awk -v n="$N" 'NR <= n' >"$W/files.txt"
NF=$(wc -l <"$W/files.txt")
xargs -a "$W/files.txt" -d '\n' "$LOOP" 2>/dev/null # warm the page cache
xargs -a "$W/files.txt" -d '\n' "$LOOP" 2>/dev/null
X=(xargs -a "$W/files.txt" -d '\n')
rounds "$REPS" 'run loop 1 "${X[@]}" "$LOOP"' 'run inspect-json 1 "${X[@]}" "$AC" inspect --json' \
  'run inspect-text 1 "${X[@]}" "$AC" inspect' 'run floor 1 "${X[@]}" "$FLOOR"'
run file 1 "${X[@]}" file -b
run readelf 1 "${X[@]}" readelf -h
row "\`inspect --json\` over $NF files under /usr (xargs batches, warm cache)" "$(sec inspect-json) ($(us_per inspect-json "$NF")/file), peak RSS $(mib inspect-json)" \
  "$(ratio inspect-json loop)× the bare open+read(4 KiB)+close loop ($(sec loop)) (CPU time: $(cpuratio inspect-json loop)×, ${CPU[inspect-json]} s vs ${CPU[loop]} s); $(ratio file inspect-json)× faster than \`file -b\` ($(sec file)); $(ratio readelf inspect-json)× faster than \`readelf -h\` ($(sec readelf))" \
  "≤ 1.0× loop: $(check "$(ratio inspect-json loop)" "<=" 1.0); ≥ 40× file: $(check "$(ratio file inspect-json)" ">=" 40)"
# The reads no inspect can do without (open, statx, the first 4 KiB, close) on as many threads as
# inspect uses, in the same xargs batches: what is left between it and the loop is all the
# time parsing, findings, fixes and JSON may take for inspect to stay within the loop's time.
row "\`readfloor\`: only the reads \`inspect\` cannot do without (open, statx, read 4 KiB, close), on $(nproc) threads as \`inspect\` reads, the same xargs batches" \
  "$(sec floor) ($(us_per floor "$NF")/file), CPU ${CPU[floor]} s" \
  "$(ratio floor loop)× the loop: within the loop's time, $(awk -v l="${SEC[loop]}" -v f="${SEC[floor]}" -v n="$NF" 'BEGIN { d = (l - f) * 1e6 / n; if (d < 0) d = 0; printf "%.2f µs", d }')/file are left for everything else \`inspect\` does; \`inspect --json\` spends $(awk -v i="${SEC[inspect-json]}" -v f="${SEC[floor]}" -v n="$NF" 'BEGIN { printf "%.2f µs", (i - f) * 1e6 / n }')/file more than the floor" "-"
# What every xargs batch pays before its first file (process start, host detection, the
# redaction rules): STARTS runs on one file, against the loop program's start on that file.
STARTS=50
NB=$(xargs -a "$W/files.txt" -d '\n' sh -c 'echo batch' sh | wc -l)
rounds "$REPS" 'run start-loop 1 bash -c '\''for ((i = 0; i < $1; i++)); do "$0" /bin/true 2>/dev/null; done'\'' "$LOOP" "$STARTS"' \
  'run start-inspect 1 bash -c '\''for ((i = 0; i < $1; i++)); do "$0" inspect --json /bin/true >/dev/null; done'\'' "$AC" "$STARTS"'
per_start() { awk -v c="${CPU[$1]}" -v n="$STARTS" 'BEGIN { printf "%.1f ms", c * 1000 / n }'; }
row "\`inspect\` (text) over the same files" "$(sec inspect-text), peak RSS $(mib inspect-text)" "$(ratio inspect-text loop)× the loop; $(ratio file inspect-text)× faster than \`file -b\`; peak RSS: loop $(mib loop), \`file\` $(mib file), \`readelf\` $(mib readelf)" "-"
row "\`inspect --json /bin/true\`: one process start ($STARTS runs)" "$(per_start start-inspect) CPU per start" "$(per_start start-loop) for the loop program; the $NF files above are $NB xargs batches, so starts cost about $(awk -v a="${CPU[start-inspect]}" -v b="${CPU[start-loop]}" -v nb="$NB" -v n="$STARTS" -v t="${CPU[inspect-json]}" 'BEGIN { if (t > 0) printf "%.0f%%", 100 * (a - b) / n * nb / t; else print "n/a" }') of \`inspect --json\`'s CPU time" "-"

fi

# ---- 2. image: an OCI layout of real files, 4 gzip layers; docker save; zstd ---------------
if has image; then
IMG=$W/image-$IMAGE_MB
if [ ! -f "$IMG/done" ]; then
  say "building a 4-layer image of $IMAGE_MB MB of files from /usr (tar, umoci, skopeo)"
  rm -rf "$IMG"
  mkdir -p "$IMG"
  # Every k-th regular file of /usr in path order (k chosen so they add up to about
  # $IMAGE_MB MB: a sample of the whole tree), split into 4 layers of about equal size.
  find /usr -xdev -type f -readable -size -64M -printf '%s\t%P\n' 2>/dev/null | LC_ALL=C sort -t$'\t' -k2 |
    awk -F'\t' -v max=$((IMAGE_MB * 1000000)) -v dir="$IMG" '
      { s[n] = $1; f[n++] = $2; all += $1 }
      END { k = int(all / max / 1.25); if (k < 1) k = 1
            for (i = 0; i < n && tot < max; i += k) { tot += s[i]; pick[m++] = i }
            q = tot / 4; acc = 0
            for (j = 0; j < m; j++) { i = pick[j]; l = int(acc / q); if (l > 3) l = 3; print f[i] > (dir "/list" l); acc += s[i] } }'
  umoci init --layout "$IMG/oci" >/dev/null
  umoci new --image "$IMG/oci:bench" >/dev/null
  for l in 0 1 2 3; do
    tar -C /usr --numeric-owner -cf "$IMG/layer$l.tar" --transform 's,^,usr/,' -T "$IMG/list$l" 2>/dev/null
    umoci raw add-layer --image "$IMG/oci:bench" "$IMG/layer$l.tar" >/dev/null
    rm -f "$IMG/layer$l.tar"
  done
  umoci config --image "$IMG/oci:bench" --os linux --architecture amd64 --config.entrypoint /usr/bin/env >/dev/null
  skopeo copy --quiet oci:"$IMG/oci:bench" docker-archive:"$IMG/docker-save.tar":bench:latest
  skopeo copy --quiet --dest-compress-format zstd --dest-oci-accept-uncompressed-layers=false oci:"$IMG/oci:bench" oci:"$IMG/oci-zstd:bench" 2>/dev/null ||
    skopeo copy --quiet --dest-compress-format zstd oci:"$IMG/oci:bench" oci:"$IMG/oci-zstd:bench"
  touch "$IMG/done"
fi
layers() { # layer blob paths of an OCI layout's only image
  local d=$1 m
  m=$(jq -r '.manifests[0].digest' "$d/index.json" | sed 's,:,/,')
  jq -r '.layers[].digest' "$d/blobs/$m" | sed "s,^sha256:,$d/blobs/sha256/,"
}
mapfile -t GZ < <(layers "$IMG/oci")
mapfile -t ZS < <(layers "$IMG/oci-zstd")
TAR_MB=$(for l in "${GZ[@]}"; do gzip -dc "$l" | wc -c; done | awk '{ t += $1 } END { printf "%.0f", t / 1e6 }')
GZ_MB=$(du -cm "${GZ[@]}" | tail -n 1 | cut -f1)
IMG_FILES=$(cat "$IMG"/list? | wc -l)
cat "${GZ[@]}" "${ZS[@]}" >/dev/null # page cache
rounds "$REPS" 'run image 1 "$AC" image "oci:$IMG/oci:bench" --host linux/amd64 --json' 'run zlibrs 1 "$INFL" "${GZ[@]}"' \
  'run image-1t 1 "$AC" image "oci:$IMG/oci:bench" --host linux/amd64 --json --threads 1' \
  'run image-docker 1 "$AC" image "$IMG/docker-save.tar" --host linux/amd64 --json' \
  'run gzip 1 gzip -dc "${GZ[@]}"' 'run pigz 1 pigz -dc "${GZ[@]}"'
rounds "$REPS" 'run image-zstd 1 "$AC" image "oci:$IMG/oci-zstd:bench" --host linux/amd64 --json' \
  'run ruzstd 1 "$INFL" "${ZS[@]}"' 'run zstd 1 zstd -dcq "${ZS[@]}"'
EXTRACT=$W/extract
{
  echo 'set -e'
  echo "rm -rf '$EXTRACT' && mkdir -p '$EXTRACT'"
  for l in "${GZ[@]}"; do echo "tar -C '$EXTRACT' -xzf '$l'"; done
  echo "find '$EXTRACT' -type f -print0 | xargs -0 file -b >/dev/null"
} >"$W/extract.sh"
run tar-file 1 bash "$W/extract.sh"
rm -rf "$EXTRACT"
row "\`image\` on an OCI layout: $IMG_FILES files of /usr, 4 gzip layers ($GZ_MB MB gzip, $TAR_MB MB tar)" \
  "$(sec image) ($(sec image-1t) with \`--threads 1\`), peak RSS $(mib image)" \
  "$(ratio zlibrs image)× faster than only decompressing the layers with zlib-rs on one thread ($(sec zlibrs)) (CPU time: image ${CPU[image]} s, zlib-rs ${CPU[zlibrs]} s); $(ratio gzip image)× \`gzip -dc\` ($(sec gzip)), $(ratio pigz image)× \`pigz -dc\` ($(sec pigz)); $(ratio tar-file image)× faster than \`tar -x\` + \`file -b\` on every file ($(sec tar-file)); peak RSS: zlib-rs $(mib zlibrs), gzip $(mib gzip), pigz $(mib pigz)" \
  "≥ 1.6× zlib-rs: $(check "$(ratio zlibrs image)" ">=" 1.6); RSS ≤ 64 MiB: $(check "$(awk -v k="${RSS[image]}" 'BEGIN{print k/1024}')" "<=" 64)"
row "\`image\` on the \`docker save\` archive of the same image (skopeo \`docker-archive\`: uncompressed layers, nothing to inflate)" "$(sec image-docker), peak RSS $(mib image-docker)" "$(ratio zlibrs image-docker)× faster than zlib-rs alone" \
  "RSS ≤ 64 MiB: $(check "$(awk -v k="${RSS[image-docker]}" 'BEGIN{print k/1024}')" "<=" 64)"
row "\`image\` on the zstd variant (skopeo \`--dest-compress-format zstd\`)" "$(sec image-zstd), peak RSS $(mib image-zstd)" "$(ratio ruzstd image-zstd)× faster than ruzstd alone on one thread ($(sec ruzstd)); $(ratio zstd image-zstd)× \`zstd -dc\` ($(sec zstd))" \
  "RSS ≤ 64 MiB: $(check "$(awk -v k="${RSS[image-zstd]}" 'BEGIN{print k/1024}')" "<=" 64)"

fi

# ---- 3. explain a 1 MB log; lint a 2,000-line Dockerfile ------------------------------------
if has text; then
: >"$W/big.log"
while [ "$(stat -c %s "$W/big.log")" -lt 1000000 ]; do cat "$ROOT"/fixtures/logs/*.log "$ROOT"/fixtures/logs/*.txt 2>/dev/null >>"$W/big.log" || true; done
head -c 1048576 "$W/big.log" >"$W/big1m.log"
run explain "$REPS" "$AC" explain "$W/big1m.log" --json
# The fixtures repeated hold few distinct lines (each is scanned once); a CI log's lines carry
# timestamps and are all distinct: the same lines, each with one, cut to 1 MiB.
awk '{ printf "2026-12-02T15:%02d:%02d.%07dZ %s\n", int(NR / 3600) % 60, int(NR / 60) % 60, NR * 37 % 10000000, $0 }' \
  "$W/big1m.log" >"$W/big1m-ts.full"
head -c 1048576 "$W/big1m-ts.full" >"$W/big1m-ts.log"
run explain-ts "$REPS" "$AC" explain "$W/big1m-ts.log" --json
# The start cost: a short real log (what one pasted error costs a user).
run explain-small "$REPS" "$AC" explain "$ROOT/fixtures/logs/m1-amd64-on-arm64.log" --json
: >"$W/Dockerfile"
# (the byte-order-mark fixture is left out: a BOM is only valid at the start of a file)
# (each copy's stage names get a suffix, so that the stages stay unique)
i=0
while [ "$(wc -l <"$W/Dockerfile")" -lt 2000 ]; do
  for d in "$ROOT"/fixtures/dockerfiles/*/Dockerfile; do
    i=$((i + 1))
    [[ $d == */bom/* ]] || sed -E "/^[Ff][Rr][Oo][Mm] /s/ ([Aa][Ss]) +([^ ]+)/ \1 \2-$i/" "$d" >>"$W/Dockerfile"
  done
done
head -n 2000 "$W/Dockerfile" >"$W/Dockerfile.2000" && mv "$W/Dockerfile.2000" "$W/Dockerfile"
run lint "$REPS" "$AC" lint "$W/Dockerfile" --json
row "\`explain\` a 1 MB log (fixtures/logs repeated), whole process" "$(sec explain), peak RSS $(mib explain)" "-" "≤ 50 ms: $(check "$(awk -v s="${SEC[explain]}" 'BEGIN{print s*1000}')" "<=" 50)"
row "\`explain\` a 1 MB log of $(wc -l <"$W/big1m-ts.log") distinct lines (the same lines, each with a CI timestamp), whole process" "$(sec explain-ts), peak RSS $(mib explain-ts)" "the repeated log above has $(sort -u "$W/big1m.log" | wc -l) distinct lines of $(wc -l <"$W/big1m.log")" "-"
row "\`explain\` a $(stat -c %s "$ROOT/fixtures/logs/m1-amd64-on-arm64.log")-byte log (fixtures/logs/m1-amd64-on-arm64.log): the start cost" "$(sec explain-small) (CPU $(awk -v s="${CPU[explain-small]}" 'BEGIN{printf "%.0f ms", s*1000}')), peak RSS $(mib explain-small)" "the 1 MB log takes $(ratio explain explain-small)× as long" "-"
row "\`lint\` a 2,000-line Dockerfile (fixtures/dockerfiles repeated), whole process" "$(sec lint), peak RSS $(mib lint)" "-" "-"

fi

# ---- 4. bindings -----------------------------------------------------------------------------
if has bindings; then
[ -s "$W/files.txt" ] || { say "run the inspect section first (it lists the files)"; exit 2; }
xargs -a "$W/files.txt" -d '\n' "$AC" inspect --json --host linux/amd64 2>/dev/null |
  jq -r '.[] | select(.format == "elf") | .path' | head -n 1000 >"$W/elf.txt" || true
NELF=$(wc -l <"$W/elf.txt")
# The floor of any reader of these files on this machine's cores: the list 10 times over, so
# that the process start is shared by ten times as many files.
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$W/elf.txt"; done >"$W/elf-x10.txt"
run floor-elf "$REPS" xargs -a "$W/elf-x10.txt" -d '\n' "$FLOOR"
PYV=$ROOT/.venv/bin/python
if [ -x "$PYV" ]; then
  say "building the Python extension (release) into .venv"
  (VIRTUAL_ENV=$ROOT/.venv PATH=$ROOT/.venv/bin:$PATH .venv/bin/maturin develop --release --quiet -m archcompat-py/Cargo.toml) >&2
  "$PYV" -m pip install -q --disable-pip-version-check pyelftools lief >&2 || say "pyelftools/LIEF did not install; their rows say so"
  "$PYV" benches/py_compare.py "$W/elf.txt" | tee "$W/py.tsv" >&2
  pyv() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$W/py.tsv"; }
  AC_US=$(pyv py-archcompat-inspect)
  PE_US=$(pyv py-pyelftools)
  LI_US=$(pyv py-lief)
  pr() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "skipped" || a == "") print "n/a"; else printf "%.0f", a / b }'; }
  row "Python \`inspect(path)\` on $NELF ELF files of the list" "$AC_US µs/file ($(pyv py-archcompat-inspect-batch) µs/file as one list)" \
    "$(pr "$PE_US" "$AC_US")× faster than pyelftools reading machine, class and interpreter ($PE_US µs; $(pr "$PE_US" "$(pyv py-archcompat-inspect-batch)")× as one list); $(pr "$LI_US" "$AC_US")× faster than LIEF ($LI_US µs); Python's own \`os.open\`+\`fstat\`+\`read(4 KiB)\`+\`close\` of the same files: $(pyv py-read-floor) µs/file; 200× pyelftools is $(awk -v p="$PE_US" 'BEGIN { if (p == "skipped" || p == "") print "n/a"; else printf "%.2f", p / 200 }') µs/file, and \`readfloor\` (the reads alone, $(nproc) threads, one process) takes $(us_per floor-elf $((10 * NELF)))/file over this list (read 10 times)" \
    "≥ 200× pyelftools: $(if [ "$(pr "$PE_US" "$AC_US")" = n/a ]; then echo "not measured"; else check "$(pr "$PE_US" "$AC_US")" ">=" 200; fi)"
  row "Python trivial calls" "\`format_platform\` $(pyv py-call-format-platform) µs, \`parse_platform\` $(pyv py-call-parse-platform) µs per call" \
    "\`inspect(path)\` without \`host=\`: $(pyv py-archcompat-inspect-local) µs (host detected once per process)" \
    "≤ 2 µs: $(check "$(pyv py-call-format-platform)" "<=" 2)"
fi
if command -v node >/dev/null && [ -d archcompat-node/node_modules/@napi-rs/cli ]; then
  say "building the Node addon (release)"
  (cd archcompat-node && npx napi build --platform --release >/dev/null) >&2
  node benches/node_compare.js archcompat-node "$W/elf.txt" | tee "$W/node.tsv" >&2
  nv() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$W/node.tsv"; }
  # No npm package reads ELF headers as a peer of inspect here; the baseline is what a Node
  # user writes without archcompat: fs.readFileSync + the header parsed in JS.
  row "Node \`await inspect(paths)\` on $NELF ELF files of the list" "$(nv node-inspect-batch) µs/file ($(nv node-inspect-each) µs/file one \`await inspect([path])\` at a time; Node's own \`await fs.promises.stat(path)\` one at a time: $(nv node-fsp-stat-each) µs/file)" \
    "$(awk -v a="$(nv node-js-readfile-parse)" -v b="$(nv node-inspect-batch)" 'BEGIN { printf "%.2f", a / b }')× faster than \`fs.readFileSync\` + class, machine and PT_INTERP parsed in JS ($(nv node-js-readfile-parse) µs/file; no npm ELF reader is installed as a peer)" "-"
  row "Node trivial calls" "\`formatPlatform\` $(nv node-call-format-platform) µs, \`parsePlatform\` $(nv node-call-parse-platform) µs per call" \
    "sync \`classifyBytes\` (4 KiB) without \`host\`: $(nv node-classify-bytes-local) µs (host detected once, off the main thread)" \
    "≤ 2 µs: $(check "$(nv node-call-format-platform)" "<=" 2)"
fi

fi

# ---- the table -------------------------------------------------------------------------------
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
{
  echo "Measured by \`./benches/compare.sh\` on $(nproc) cores ($CPU), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), $(date -u +%Y-%m-%d); load average before the run: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg). Best of $REPS rounds, each running the compared commands in turn (slow baselines: 1 run); ratios from the same rounds."
  echo
  echo "| benchmark | archcompat | compared with | target |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} >"$W/table.md"
cat "$W/table.md"
if [ "$UPDATE" = 1 ]; then
  awk -v f="$W/table.md" '
    /<!-- bench:start -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0 }
    !skip { print }' README.md >"$W/README.new" && mv "$W/README.new" README.md
  say "README.md updated"
fi
