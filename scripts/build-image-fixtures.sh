#!/usr/bin/env bash
# Builds the image fixtures the tests read, from real parts: Debian's busybox-static for amd64,
# arm64, armhf and s390x (apt-get download + dpkg -x), single-arch OCI images made by umoci, a
# multi-arch index with a BuildKit-style attestation entry (written here), a mislabeled image
# (arm64 binary, config says amd64), images whose interpreter is missing, docker-save archives
# (skopeo's legacy layout and Docker 25+'s OCI layout plus manifest.json), an OCI archive and the
# JSON that skopeo inspect prints.
#
# Usage: scripts/build-image-fixtures.sh OUT_DIR     (idempotent: exits at once when OUT_DIR/.done exists)
#        scripts/build-image-fixtures.sh --example DIR (the committed, byte-stable demo layout)
# Needs: skopeo umoci python3 (scripts/setup.sh installs them), network access to Debian's archive.
set -euo pipefail

# The bundled example: a multi-arch OCI layout whose linux/amd64 entry really holds an aarch64
# program (the classic "built on an arm64 laptop, pushed as amd64"), a correct linux/arm64 entry
# and a BuildKit-style attestation entry. Tiny static programs assembled with Debian's cross
# binutils; tar members, gzip headers and JSON are written with fixed times, so the bytes are
# the same on every run.
if [ "${1:-}" = "--example" ]; then
  dest=${2:?usage: build-image-fixtures.sh --example DIR}
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cat > "$tmp/hello-arm64.s" <<'ASM'
    .global _start
    .text
_start:
    mov x0, #1
    adr x1, msg
    mov x2, #len
    mov x8, #64
    svc #0
    mov x0, #0
    mov x8, #93
    svc #0
msg: .ascii "hello from arm64\n"
    .set len, . - msg
ASM
  aarch64-linux-gnu-as -o "$tmp/hello-arm64.o" "$tmp/hello-arm64.s"
  aarch64-linux-gnu-ld -static -s -n --build-id=none -o "$tmp/hello-arm64" "$tmp/hello-arm64.o"
  rm -rf "$dest"; mkdir -p "$dest"
  python3 - "$dest" "$tmp/hello-arm64" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
dest, arm64 = sys.argv[1], sys.argv[2]
MTIME = 1767225600  # 2026-01-01T00:00:00Z
os.makedirs(os.path.join(dest, "blobs", "sha256"))
def blob(data, media):
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(dest, "blobs", "sha256", d), "wb").write(data)
    return {"mediaType": media, "digest": "sha256:" + d, "size": len(data)}
def j(o):
    return json.dumps(o, sort_keys=True, separators=(",", ":")).encode()
def layer(files):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, mode in files:
            if data is None:
                ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = mode; ti.mtime = MTIME
                t.addfile(ti)
            else:
                ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = mode; ti.mtime = MTIME
                t.addfile(ti, io.BytesIO(data))
    tar = raw.getvalue()
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, compresslevel=9) as g:
        g.write(tar)
    return blob(gz.getvalue(), "application/vnd.oci.image.layer.v1.tar+gzip"), "sha256:" + hashlib.sha256(tar).hexdigest()
prog = open(arm64, "rb").read()
lay, diff = layer([("usr/", None, 0o755), ("usr/local/", None, 0o755), ("usr/local/bin/", None, 0o755), ("usr/local/bin/hello", prog, 0o755)])
def image(arch, variant=None):
    cfg = {"architecture": arch, "os": "linux", "created": "2026-01-01T00:00:00Z",
           "config": {"Entrypoint": ["hello"], "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"], "WorkingDir": "/"},
           "rootfs": {"type": "layers", "diff_ids": [diff]}}
    if variant:
        cfg["variant"] = variant
    c = blob(j(cfg), "application/vnd.oci.image.config.v1+json")
    m = blob(j({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": c, "layers": [lay]}), "application/vnd.oci.image.manifest.v1+json")
    m["platform"] = {"architecture": arch, "os": "linux"}
    if variant:
        m["platform"]["variant"] = variant
    return m
amd = image("amd64")
arm = image("arm64", "v8")
stmt = blob(j({"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://slsa.dev/provenance/v0.2", "subject": [{"digest": {"sha256": amd["digest"][7:]}}], "predicate": {}}), "application/vnd.in-toto+json")
acfg = blob(j({"architecture": "unknown", "os": "unknown", "config": {}, "rootfs": {"type": "layers", "diff_ids": [stmt["digest"]]}}), "application/vnd.oci.image.config.v1+json")
att = blob(j({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": acfg, "layers": [stmt]}), "application/vnd.oci.image.manifest.v1+json")
att["platform"] = {"architecture": "unknown", "os": "unknown"}
att["annotations"] = {"vnd.docker.reference.digest": amd["digest"], "vnd.docker.reference.type": "attestation-manifest"}
idx = blob(j({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [amd, arm, att]}), "application/vnd.oci.image.index.v1+json")
idx["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
open(os.path.join(dest, "index.json"), "wb").write(j({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [idx]}))
open(os.path.join(dest, "oci-layout"), "wb").write(j({"imageLayoutVersion": "1.0.0"}))
PY
  echo "build-image-fixtures: example written to $dest" >&2
  exit 0
fi
OUT=${1:?usage: build-image-fixtures.sh OUT_DIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec 9>"$OUT.lock"
flock 9
[ -e "$OUT/.done" ] && exit 0
rm -rf "${OUT:?}"/* 2>/dev/null || true

for t in skopeo umoci python3; do
  command -v "$t" >/dev/null || { echo "build-image-fixtures: $t is missing (run scripts/setup.sh)" >&2; exit 2; }
done

. "$(dirname "$0")/fixtures-lib.sh"

# Debian architectures and their OCI names.
ARCHES=(amd64 arm64 armhf s390x)
declare -A OCI_ARCH=([amd64]=amd64 [arm64]=arm64 [armhf]=arm [s390x]=s390x)

# 1. Real foreign-architecture binaries from Debian.
fetch_busybox "$OUT" "${ARCHES[@]}"

# 2. Single-arch OCI images with umoci.
L="$OUT/oci"
umoci init --layout "$L"
work="$OUT/work"; mkdir -p "$work"

# new_image TAG OCI_ARCH [files…]: an image with the given rootfs content from a staging dir.
new_image() {
  local tag=$1 arch=$2 stage=$3; shift 3
  umoci new --image "$L:$tag"
  umoci unpack --rootless --image "$L:$tag" "$work/$tag" >/dev/null
  cp -a "$stage"/. "$work/$tag/rootfs/"
  umoci repack --image "$L:$tag" "$work/$tag" >/dev/null
  umoci config --image "$L:$tag" --architecture "$arch" --os linux "$@"
  rm -rf "${work:?}/$tag"
}

for a in "${ARCHES[@]}"; do
  s="$work/stage-$a"; mkdir -p "$s/bin"
  cp "$OUT/x/$a/bin/busybox" "$s/bin/busybox"
  ln -s busybox "$s/bin/sh"
  new_image "${OCI_ARCH[$a]}" "${OCI_ARCH[$a]}" "$s" --config.cmd /bin/sh --config.env PATH=/usr/bin:/bin
done

# The liar: an arm64 busybox in an image whose config says amd64.
new_image liar amd64 "$work/stage-arm64" --config.cmd sh --config.env PATH=/bin

# A dynamically linked amd64 program without its ELF interpreter (/lib64/ld-linux-x86-64.so.2).
s="$work/stage-noloader"; mkdir -p "$s/usr/bin"; cp /bin/true "$s/usr/bin/true"
new_image noloader amd64 "$s" --config.entrypoint /usr/bin/true

# A bash script on a busybox image without bash.
s="$work/stage-script"; mkdir -p "$s/bin" "$s/app"; cp "$OUT/x/amd64/bin/busybox" "$s/bin/busybox"; ln -s busybox "$s/bin/sh"
printf '#!/bin/bash\necho hello\n' > "$s/app/run.sh"; chmod 755 "$s/app/run.sh"
new_image bashscript amd64 "$s" --config.workingdir /app --config.entrypoint ./run.sh

# Shell form: an amd64 /bin/sh runs an arm64 /app/server (CMD ["/bin/sh","-c","exec ./server"]).
s="$work/stage-shell"; mkdir -p "$s/bin" "$s/app"; cp "$OUT/x/amd64/bin/busybox" "$s/bin/busybox"; ln -s busybox "$s/bin/sh"
cp "$OUT/x/arm64/bin/busybox" "$s/app/server"
new_image shellform amd64 "$s" --config.workingdir /app --config.cmd /bin/sh --config.cmd -c --config.cmd "exec ./server"

# Whiteouts: layer 1 has an arm64 /bin/app and /opt/old; layer 2 (umoci writes the whiteouts)
# deletes both and adds an amd64 /bin/app.
s="$work/stage-layer1"; mkdir -p "$s/bin" "$s/opt/old"; cp "$OUT/x/arm64/bin/busybox" "$s/bin/app"; cp "$OUT/x/arm64/bin/busybox" "$s/opt/old/tool"
new_image layered amd64 "$s" --config.entrypoint /bin/app
umoci unpack --rootless --image "$L:layered" "$work/layered" >/dev/null
rm -rf "$work/layered/rootfs/opt/old" "$work/layered/rootfs/bin/app"
cp "$OUT/x/amd64/bin/busybox" "$work/layered/rootfs/bin/app"
umoci repack --image "$L:layered" "$work/layered" >/dev/null
rm -rf "${work:?}/layered"

umoci gc --layout "$L"

# 3. Indexes, written here (neither umoci nor skopeo makes one): "multi" (4 platforms + an
# attestation entry) and "armonly" (arm64 + arm/v7 only).
python3 - "$L" <<'EOF'
import hashlib, json, os, sys
L = sys.argv[1]
def blob(data: bytes, media: str):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(L, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return {"mediaType": media, "digest": "sha256:" + d, "size": len(data)}
idx_path = os.path.join(L, "index.json")
idx = json.load(open(idx_path))
by_tag = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in idx["manifests"]}
def entry(tag, arch, variant=None):
    d = dict(by_tag[tag])
    d.pop("annotations", None)
    d["platform"] = {"architecture": arch, "os": "linux"}
    if variant:
        d["platform"]["variant"] = variant
    return d
amd = entry("amd64", "amd64")
# A BuildKit-style attestation manifest pointing at the amd64 image.
stmt = json.dumps({"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://slsa.dev/provenance/v0.2", "subject": [], "predicate": {}}).encode()
layer = blob(stmt, "application/vnd.in-toto+json")
layer["annotations"] = {"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}
cfg = blob(json.dumps({"architecture": "unknown", "os": "unknown", "config": {}, "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode(), "application/vnd.oci.image.config.v1+json")
att_manifest = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": cfg, "layers": [layer]}).encode(), "application/vnd.oci.image.manifest.v1+json")
att_manifest["platform"] = {"architecture": "unknown", "os": "unknown"}
att_manifest["annotations"] = {"vnd.docker.reference.digest": amd["digest"], "vnd.docker.reference.type": "attestation-manifest"}
def index(entries, tag):
    body = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}).encode()
    d = blob(body, "application/vnd.oci.image.index.v1+json")
    d["annotations"] = {"org.opencontainers.image.ref.name": tag}
    idx["manifests"].append(d)
index([amd, entry("arm64", "arm64", "v8"), entry("arm", "arm", "v7"), entry("s390x", "s390x"), att_manifest], "multi")
index([entry("arm64", "arm64", "v8"), entry("arm", "arm", "v7")], "armonly")
# A nested index: an index whose only entry is the "armonly" index plus a bare s390x manifest.
nested_inner = dict(idx["manifests"][-1]); nested_inner.pop("annotations", None)
index([nested_inner, entry("s390x", "s390x")], "nested")
json.dump(idx, open(idx_path, "w"))
EOF

# 4. Archives and JSON documents.
skopeo copy -q oci:"$L":arm64 docker-archive:"$OUT/arm64.docker.tar":demo/busybox:arm64
skopeo copy -q oci:"$L":liar docker-archive:"$OUT/liar.docker.tar":demo/busybox:liar
skopeo copy -q --all oci:"$L":multi oci-archive:"$OUT/multi.oci.tar":multi
# Docker 25+ `docker save`: an OCI layout plus manifest.json, in one tar.
d25="$work/d25"; mkdir -p "$d25"
skopeo copy -q oci:"$L":arm oci:"$d25":demo/busybox:arm
python3 - "$d25" <<'EOF'
import json, os, sys
d = sys.argv[1]
idx = json.load(open(os.path.join(d, "index.json")))
m = idx["manifests"][0]
man = json.load(open(os.path.join(d, "blobs", "sha256", m["digest"].split(":")[1])))
entry = {"Config": "blobs/sha256/" + man["config"]["digest"].split(":")[1],
         "RepoTags": ["demo/busybox:arm"],
         "Layers": ["blobs/sha256/" + l["digest"].split(":")[1] for l in man["layers"]]}
json.dump([entry], open(os.path.join(d, "manifest.json"), "w"))
EOF
tar -C "$d25" -cf "$OUT/arm.docker25.tar" .
# Classic `docker save` (Docker <= 24): <id>/layer.tar, <id>/json, <id>/VERSION, repositories,
# manifest.json, <config-hex>.json; rewritten from skopeo's archive of the s390x image.
skopeo copy -q oci:"$L":s390x docker-archive:"$work/s390x.skopeo.tar":demo/busybox:s390x
python3 - "$work/s390x.skopeo.tar" "$OUT/s390x.docker-classic.tar" <<'EOF2'
import hashlib, io, json, sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
with tarfile.open(src) as t:
    files = {m.name.lstrip("./"): t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
man = json.loads(files["manifest.json"])[0]
out = tarfile.open(dst, "w")
def add(name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
    out.addfile(ti, io.BytesIO(data))
def adddir(name):
    ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; out.addfile(ti)
layers, parent = [], ""
for i, l in enumerate(man["Layers"]):
    lid = hashlib.sha256((parent + l).encode()).hexdigest()
    adddir(lid)
    add(lid + "/VERSION", b"1.0")
    add(lid + "/json", json.dumps({"id": lid, "parent": parent} if parent else {"id": lid}).encode())
    add(lid + "/layer.tar", files[l.lstrip("./")])
    layers.append(lid + "/layer.tar"); parent = lid
cfg = files[man["Config"].lstrip("./")]
add(hashlib.sha256(cfg).hexdigest() + ".json", cfg)
add("manifest.json", json.dumps([{"Config": hashlib.sha256(cfg).hexdigest() + ".json", "RepoTags": ["demo/busybox:s390x"], "Layers": layers}]).encode())
add("repositories", json.dumps({"demo/busybox": {"s390x": parent}}).encode())
out.close()
EOF2
# zstd-compressed layers.
skopeo copy -q --dest-compress-format zstd oci:"$L":s390x oci:"$OUT/zstd":s390x
skopeo inspect --raw oci:"$L":multi > "$OUT/multi.index.json"
skopeo inspect oci:"$L":liar > "$OUT/liar.skopeo-inspect.json"

rm -rf "$work" "$OUT/x"
touch "$OUT/.done"
echo "build-image-fixtures: done in $OUT" >&2
