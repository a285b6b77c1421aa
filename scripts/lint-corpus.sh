#!/usr/bin/env bash
# Lint figures. With no argument: precision and recall over the project's own corpus
# (fixtures/dockerfiles-corpus: good/ must give no error or warning, bad/ must give the findings
# in expected.json). With directories: every Dockerfile under each one is linted and the
# error/warning findings are counted per directory (for Dockerfiles of images published for
# several architectures every such finding is a false alarm unless you judge it real).
#   scripts/lint-corpus.sh                      # the committed corpus
#   scripts/lint-corpus.sh DIR...               # other people's Dockerfiles (e.g. fetched repos)
# Uses the debug CLI (built if missing) and python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${ARCHCOMPAT:-$root/target/debug/archcompat}"
[ -x "$bin" ] || cargo build -q -p archcompat-cli --manifest-path "$root/Cargo.toml"

if [ "$#" -eq 0 ]; then
  corpus="$root/fixtures/dockerfiles-corpus"
  python3 - "$bin" "$corpus" <<'PY'
import json, subprocess, sys, pathlib
bin, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
expected = {k: [tuple(x) for x in v] for k, v in json.loads((corpus / "expected.json").read_text()).items()}
def loud(p):
    r = subprocess.run([bin, "lint", "--format", "json", "--fail-on", "none", str(p)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{p}: exit {r.returncode}: {r.stderr}")
    return [(f["code"], f["location"]["line"]) for f in json.loads(r.stdout)["findings"] if f["severity"] != "info"]
tp = fp = wanted = 0
for p in sorted((corpus / "good").iterdir()):
    for f in loud(p):
        fp += 1; print(f"false alarm: good/{p.name} {f}")
for p in sorted((corpus / "bad").iterdir()):
    want = expected[p.stem]; wanted += len(want); got = loud(p)
    for f in got:
        if f in want: tp += 1
        else: fp += 1; print(f"unexpected: bad/{p.name} {f}")
    for w in want:
        if w not in got: print(f"missed: bad/{p.name} {w}")
print(f"precision {100*tp/max(tp+fp,1):.1f}% ({tp}/{tp+fp})  recall {100*tp/max(wanted,1):.1f}% ({tp}/{wanted})")
PY
  exit 0
fi

for dir in "$@"; do
  files=0; loud=0; flagged=0
  while IFS= read -r -d '' f; do
    files=$((files + 1))
    n=$("$bin" lint --format json --fail-on none --context /nonexistent "$f" 2>/dev/null \
        | python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin)["findings"] if f["severity"] != "info"))' \
        || echo "ERR")
    if [ "$n" = "ERR" ]; then echo "  error: $f"; continue; fi
    if [ "$n" -gt 0 ]; then flagged=$((flagged + 1)); loud=$((loud + n)); echo "  $n  $f"; fi
  done < <(find "$dir" -type f \( -name 'Dockerfile*' -o -name '*.Dockerfile' \) ! -name '*.template' -print0)
  echo "$dir: $files Dockerfiles, $loud error/warning findings in $flagged files"
done
