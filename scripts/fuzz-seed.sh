#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/TARGET/) from the repository's fixtures: real binaries,
# the bundled example image, the image fixtures the tests build (when present under
# target/tmp/image-fixtures-*), Dockerfiles, logs, rewrite inputs and the redaction corpus.
# Idempotent; never deletes what fuzzing found. Usage: scripts/fuzz-seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
C=fuzz/corpus
# Nothing to do when no fixture (nor this script, nor the image fixtures) changed since the
# last seeding: seeding spawns ~1,500 processes, 25 s on a loaded machine.
stamp=$C/.seeded
if [ -e "$stamp" ] && [ -z "$(find scripts/fuzz-seed.sh fixtures examples -newer "$stamp" -print -quit)" ] &&
  [ -z "$(find target/tmp -maxdepth 1 -name 'image-fixtures-*' -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "fuzz-seed: seeds are up to date ($stamp)" >&2; exit 0
fi
mkdir -p $C/{classify,elf,macho_pe,manifest_json,layer_tar,layer_gzip,layer_zstd,docker_save,lint,explain,rewrite_command,rewrite_compose,redact,platform}
small_first() { # small_first ARCHIVE > archive with the same members, smallest first
  python3 -c '
import sys, tarfile
src = tarfile.open(sys.argv[1])
out = tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.GNU_FORMAT)
for m in sorted(src.getmembers(), key=lambda m: (m.size, m.name)):
    out.addfile(m, src.extractfile(m) if m.isfile() else None)
out.close()' "$1"
}
seed() { # seed TARGET NAME < bytes   (at most 256 KiB per seed keeps executions fast)
  head -c 262144 > "$C/$1/seed-$2"; cat > /dev/null
}
while IFS= read -r f; do
  n=$(basename "$f")
  case "$n" in
    *.gz) zcat "$f" | seed classify "$n"; zcat "$f" | seed elf "$n" ;;
    *.json) ;;
    *) seed classify "$n" < "$f"
       case "$(head -c4 "$f" | od -An -tx1 | tr -d ' ')" in
         7f454c46) seed elf "$n" < "$f" ;;
         cffaedfe|cefaedfe|cafebabe|cafebabf) printf '\005' | cat - "$f" | seed macho_pe "$n" ;;
         4d5a*) printf '\004' | cat - "$f" | seed macho_pe "$n" ;;
       esac ;;
  esac
done < <(find fixtures/bin -type f | sort)
# Image parts: JSON documents, layers (gzip as stored, tar decompressed, zstd recompressed,
# and a zstd stream of two frames as zstd:chunked and pzstd write), archives.
blobs=(examples/hello-multiarch/index.json examples/hello-multiarch/blobs/sha256/*)
for d in target/tmp/image-fixtures-*/; do
  [ -d "$d" ] || continue
  blobs+=("$d"*.json "$d"oci/index.json "$d"oci/blobs/sha256/* "$d"zstd/blobs/sha256/*)
  # Members smallest first, so the 256 KiB prefix holds every JSON document (the archives
  # end with them, after megabytes of layers, and a plain prefix is refused at once).
  # (Repacked once: a seed newer than its archive is kept.)
  for a in "$d"*.tar; do
    [ "$C/docker_save/seed-$(basename "$a")" -nt "$a" ] || small_first "$a" | seed docker_save "$(basename "$a")"
  done
done
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
i=0
for b in "${blobs[@]}"; do
  [ -f "$b" ] || continue
  i=$((i + 1))
  # Seeded before (decompressing and recompressing the fixture layers is the slow part).
  for t in layer_gzip layer_zstd manifest_json; do [ -e "$C/$t/seed-$i" ] && continue 2; done
  case "$(head -c4 "$b" | od -An -tx1 | tr -d ' ')" in
    1f8b*) seed layer_gzip "$i" < "$b"
           zcat "$b" > "$tmp"
           seed layer_tar "$i" < "$tmp"
           zstd -q -c < "$tmp" | seed layer_zstd "$i"
           { head -c 1536 "$tmp" | zstd -q -c; tail -c +1537 "$tmp" | zstd -q -c; } | seed layer_zstd "$i-2frames" ;;
    28b52ffd) seed layer_zstd "$i" < "$b" ;;
    7b*|5b*) seed manifest_json "$i" < "$b" ;;
  esac
done
# A small layer built here (a few KiB): every execution of a layer target costs what its
# input decompresses to, and the fixture layers above are 256 KiB prefixes of busybox. This one
# holds what the config's ENTRYPOINT (/bin/app, fuzz_targets/common.rs) resolves through — a
# symlink to a static arm64 program — plus a `#!/usr/bin/env python3` script, a hard link, a
# whiteout and an opaque directory, so mutations start at entrypoint resolution and
# classification rather than at a missing file.
small=$(mktemp -d); trap 'rm -f "$tmp"; rm -rf "$small"' EXIT
mkdir -p "$small/root/bin" "$small/root/usr/bin" "$small/root/opt/old"
cp fixtures/bin/c-arm64-static "$small/root/bin/hello"
cp fixtures/bin/script-env-python.py "$small/root/usr/bin/tool"
ln -s hello "$small/root/bin/app"
ln "$small/root/bin/hello" "$small/root/usr/bin/hello"
: > "$small/root/.wh.gone"; : > "$small/root/opt/old/.wh..wh..opq"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$small/root" -cf "$small/l.tar" .
seed layer_tar small < "$small/l.tar"
gzip -9 -n -c "$small/l.tar" | seed layer_gzip small
zstd -q -c < "$small/l.tar" | seed layer_zstd small
{ head -c 1536 "$small/l.tar" | zstd -q -c; tail -c +1537 "$small/l.tar" | zstd -q -c; } | seed layer_zstd small-2frames
# The same layer in a classic `docker save` archive (manifest.json, <id>.json, <dir>/layer.tar,
# repositories) and in an OCI archive (oci-layout, index.json, blobs/sha256/*).
python3 - "$small" <<'PY'
import hashlib, io, json, sys, tarfile
d = sys.argv[1]
layer = open(d + "/l.tar", "rb").read()
sha = lambda b: hashlib.sha256(b).hexdigest()
lid = sha(layer)
config = json.dumps({"architecture": "amd64", "os": "linux",
    "config": {"Entrypoint": ["/bin/app"], "Cmd": ["--serve"]},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + lid]}}).encode()
cid = sha(config)
def archive(path, members):
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as t:
        for name, data in members:
            i = tarfile.TarInfo(name); i.size = len(data); i.mode = 0o644
            t.addfile(i, io.BytesIO(data))
archive(d + "/save.tar", [
    ("manifest.json", json.dumps([{"Config": cid + ".json", "RepoTags": ["fuzz:latest"],
                                   "Layers": [lid + "/layer.tar"]}]).encode()),
    ("repositories", json.dumps({"fuzz": {"latest": lid}}).encode()),
    (cid + ".json", config), (lid + "/layer.tar", layer)])
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + cid, "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + lid, "size": len(layer)}]}).encode()
index = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": "sha256:" + sha(manifest), "size": len(manifest), "platform": {"architecture": "amd64", "os": "linux"},
    "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}).encode()
archive(d + "/oci.tar", [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index),
    ("blobs/sha256/" + sha(manifest), manifest), ("blobs/sha256/" + cid, config),
    ("blobs/sha256/" + lid, layer)])
PY
seed docker_save small-save < "$small/save.tar"
seed docker_save small-oci < "$small/oci.tar"
for d in fixtures/dockerfiles/*/; do
  for f in "$d"Dockerfile*; do [ -f "$f" ] && seed lint "$(basename "$d")-$(basename "$f")" < "$f"; done
  for f in "$d"Dockerfile*; do [ -f "$f" ] && { printf '\002'; cat "$f"; } | seed rewrite_compose "df-$(basename "$d")"; done
done
while IFS= read -r f; do
  case "$f" in *.json) continue ;; esac
  seed explain "$(basename "$f")" < "$f"
done < <(find fixtures/logs -type f | sort)
for f in fixtures/rewrite/*; do
  { printf '\000'; cat "$f"; } | seed rewrite_compose "$(basename "$f")"
  { printf '\001'; cat "$f"; } | seed rewrite_compose "$(basename "$f")-multi"
done
n=0
while IFS= read -r line; do
  n=$((n + 1)); printf '%s' "$line" | seed redact "line$n"
done < <(grep -v '^#' fixtures/redact/secrets.txt fixtures/redact/keep.txt | cut -d: -f2- | tr -d '⟪⟫')
n=0
for cmd in "docker build -t ghcr.io/acme/api:1.4 ." \
  "docker run --rm -it -p 8080:80 nginx:1.27" \
  "docker buildx build --platform linux/amd64 --push -t IMG --build-arg TOKEN=abc ." \
  "podman run --arch arm64 docker.io/library/alpine sh -c 'echo hi'" \
  "docker login -u me -p s3cretPassw0rd ghcr.io && docker push ghcr.io/me/x:1" \
  "nerdctl build --platform=linux/arm64,linux/amd64 -f Dockerfile.prod \\
   --build-arg VERSION=1.2 ."; do
  n=$((n + 1)); printf "\\$(printf '%03o' $((n % 16)))%s" "$cmd" | seed rewrite_command "$n"
done
n=0
for p in linux/amd64 linux/arm64/v8 "linux/arm/v7" "windows(10.0.17763)/amd64" "linux/amd64/v3" x86_64 armv7l armhf ppc64el aarch64-unknown-linux-musl "GOARCH=arm GOARM=6" ARM64 "linux/arm64
aws-graviton2" "darwin/arm64
linux/arm64" "linux(+foo+bar)/riscv64" "s390x" "local"; do
  n=$((n + 1)); printf '%s' "$p" | seed platform "$n"
done
for t in "$C"/*/; do echo "$(basename "$t"): $(ls "$t" | wc -l) inputs"; done >&2
touch "$stamp"
