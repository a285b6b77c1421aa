#!/usr/bin/env bash
# Builds the image regression fixtures (issues 10 and 14) from real programs (fixtures/bin, built
# by Debian's cross compilers) and real tools: the `zstd` and `pzstd` CLIs, gzip, Python's
# tarfile writing the layouts the way the tools named below write them.
#
#   ggcr.tar            a `docker save`-style tarball with gzip-compressed layers, written as
#                       go-containerregistry's tarball writer (crane, ko) writes it: config
#                       member `sha256:<hex>`, layers `<compressed-hex>.tar.gz`, manifest.json
#                       naming them; the config's diff_ids are digests of the *uncompressed* tar
#   shared.tar          a classic `docker save` of two images sharing their base layer, stored
#                       once; the second image's `<id>/layer.tar` is a tar symlink to the first
#                       (what `docker save` writes); tags `ghcr.io/acme/app:1.0` and
#                       `registry.local:5000/team/app:latest`, plus `other/app:latest`
#   zstd-multi/         an OCI layout whose zstd layer has two frames (two `zstd` runs
#                       concatenated) and a skippable frame; the arm64 program is in frame 2
#   zstd-pzstd/         the same tar compressed by `pzstd -p 2` with small blocks (several frames)
#   zstd-bigwindow/     a layer compressed with `zstd --long=31` (a 2 GiB window declared)
#   partial/            an index listing amd64 and arm64 where only the arm64 manifest was saved
#   entry-missing/ entry-loop/ entry-chain/ entry-dangling/
#                       images whose entrypoint does not exist, loops, is a 100-link chain, or
#                       is a link to a missing file
#
# Usage: scripts/build-image-regressions.sh OUT_DIR  (idempotent: exits when OUT_DIR/.done exists)
set -euo pipefail
OUT=${1:?usage: build-image-regressions.sh OUT_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec 9>"$OUT.lock"
flock 9
[ -e "$OUT/.done" ] && exit 0
rm -rf "${OUT:?}"/* 2>/dev/null || true
for t in zstd pzstd python3; do
  command -v "$t" >/dev/null || { echo "build-image-regressions: $t is missing (run scripts/setup.sh)" >&2; exit 2; }
done

python3 - "$OUT" "$ROOT/fixtures/bin" <<'PY'
import gzip, hashlib, io, json, os, subprocess, sys, tarfile
out, bins = sys.argv[1], sys.argv[2]
ARM64 = open(os.path.join(bins, "c-arm64-static"), "rb").read()
AMD64 = open(os.path.join(bins, "c-amd64-musl-static"), "rb").read()
MTIME = 1767225600

def sha(b): return hashlib.sha256(b).hexdigest()
def j(o): return json.dumps(o, sort_keys=True, separators=(",", ":")).encode()

def tar_of(entries):
    """entries: (name, data|None for dir|('sym', target), mode)"""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, mode in entries:
            ti = tarfile.TarInfo(name); ti.mode = mode; ti.mtime = MTIME
            if data is None:
                ti.type = tarfile.DIRTYPE; t.addfile(ti)
            elif isinstance(data, tuple):
                ti.type = tarfile.SYMTYPE; ti.linkname = data[1]; t.addfile(ti)
            else:
                ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    return raw.getvalue()

def gz(b):
    o = io.BytesIO()
    with gzip.GzipFile(fileobj=o, mode="wb", mtime=0) as g: g.write(b)
    return o.getvalue()

def config(arch, diff_ids, entrypoint, env="PATH=/usr/local/bin:/usr/bin:/bin"):
    return j({"architecture": arch, "os": "linux", "created": "2026-01-01T00:00:00Z",
              "config": {"Entrypoint": entrypoint, "Env": [env], "WorkingDir": "/"},
              "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in diff_ids]}})

# --- go-containerregistry tarball.Write: gzip layers named by their compressed digest ---
tar1 = tar_of([("usr/", None, 0o755), ("usr/local/", None, 0o755), ("usr/local/bin/", None, 0o755),
               ("usr/local/bin/app", ARM64, 0o755)])
gz1 = gz(tar1)
cfg = config("arm64", [sha(tar1)], ["/usr/local/bin/app"])
with tarfile.open(os.path.join(out, "ggcr.tar"), "w", format=tarfile.USTAR_FORMAT) as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644; t.addfile(ti, io.BytesIO(data))
    add("sha256:" + sha(cfg), cfg)
    add(sha(gz1) + ".tar.gz", gz1)
    add("manifest.json", json.dumps([{"Config": "sha256:" + sha(cfg), "RepoTags": ["ko.local/app:latest"],
                                       "Layers": [sha(gz1) + ".tar.gz"]}]).encode())

# --- classic docker save, two images sharing the base layer (a tar symlink) ---
base = tar_of([("bin/", None, 0o755), ("bin/app", ARM64, 0o755)])
top_amd = tar_of([("bin/", None, 0o755), ("bin/tool", AMD64, 0o755)])
top_arm = tar_of([("etc/", None, 0o755), ("etc/motd", b"hi\n", 0o644)])
with tarfile.open(os.path.join(out, "shared.tar"), "w", format=tarfile.USTAR_FORMAT) as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644; ti.mtime = MTIME; t.addfile(ti, io.BytesIO(data))
    def sym(name, target):
        ti = tarfile.TarInfo(name); ti.type = tarfile.SYMTYPE; ti.linkname = target; ti.mtime = MTIME; t.addfile(ti)
    def d(name):
        ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; ti.mtime = MTIME; t.addfile(ti)
    manifest = []
    images = [("ghcr.io/acme/app:1.0", "arm64", [base, top_arm], ["/bin/app"]),
              ("registry.local:5000/team/app:latest", "amd64", [base, top_amd], ["/bin/tool"]),
              ("other/app:latest", "arm64", [base, top_arm], ["/bin/app"])]
    first_id = {}
    for tag, arch, layers, ep in images:
        names, parent = [], ""
        for layer in layers:
            lid = sha((parent + sha(layer)).encode())
            if lid not in first_id:
                d(lid + "/")
                if sha(layer) in first_id:
                    sym(lid + "/layer.tar", "../" + first_id[sha(layer)] + "/layer.tar")
                else:
                    add(lid + "/layer.tar", layer)
                    first_id[sha(layer)] = lid
                add(lid + "/VERSION", b"1.0")
                first_id[lid] = lid
            names.append(lid + "/layer.tar"); parent = lid
        c = config(arch, [sha(l) for l in layers], ep)
        add(sha(c) + ".json", c)
        manifest.append({"Config": sha(c) + ".json", "RepoTags": [tag], "Layers": names})
    add("manifest.json", json.dumps(manifest).encode())

# --- OCI layouts ---
def layout(name, layers, arch="arm64", entrypoint=["/bin/app"], media="application/vnd.oci.image.layer.v1.tar+zstd", index_entries=None):
    dest = os.path.join(out, name); os.makedirs(os.path.join(dest, "blobs", "sha256"))
    def blob(data, mt):
        open(os.path.join(dest, "blobs", "sha256", sha(data)), "wb").write(data)
        return {"mediaType": mt, "digest": "sha256:" + sha(data), "size": len(data)}
    descs = [blob(stored, media) for stored, _ in layers]
    c = blob(config(arch, [sha(t) for _, t in layers], entrypoint), "application/vnd.oci.image.config.v1+json")
    m = blob(j({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": c, "layers": descs}),
             "application/vnd.oci.image.manifest.v1+json")
    m["platform"] = {"architecture": arch, "os": "linux"}
    entries = index_entries(m) if index_entries else [m]
    open(os.path.join(dest, "index.json"), "wb").write(j({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}))
    open(os.path.join(dest, "oci-layout"), "wb").write(j({"imageLayoutVersion": "1.0.0"}))
    return dest

def zstd(data, *args):
    return subprocess.run(["zstd", "-q", "-c", *args], input=data, stdout=subprocess.PIPE, check=True).stdout

# Two frames: the program's bytes straddle the cut, so frame 2 holds most of it.
filler = tar_of([("etc/", None, 0o755)] + [("etc/f%03d" % i, b"x" * 700, 0o644) for i in range(40)])
big = tar_of([("etc/", None, 0o755)] + [("etc/f%03d" % i, b"x" * 700, 0o644) for i in range(40)]
             + [("bin/", None, 0o755), ("bin/app", ARM64, 0o755)])
cut = len(filler) - 1024
skippable = b"\x50\x2a\x4d\x18" + (8).to_bytes(4, "little") + b"metadata"
layout("zstd-multi", [(zstd(big[:cut]) + skippable + zstd(big[cut:]), big)])
# pzstd cuts its input into chunks of a few window sizes and writes one frame per chunk: 6 MiB of
# zeros before the program make several frames at level 1.
bigger = tar_of([("zero", bytes(6 << 20), 0o644), ("bin/", None, 0o755), ("bin/app", ARM64, 0o755)])
pz = subprocess.run(["pzstd", "-q", "-c", "-1", "-p", "2"], input=bigger, stdout=subprocess.PIPE, check=True).stdout
layout("zstd-pzstd", [(pz, bigger)])
layout("zstd-bigwindow", [(zstd(big, "--long=31"), big)])

# Partial save: the index lists amd64 and arm64; only arm64's manifest is in the layout.
def partial(m):
    ghost = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + sha(b"not saved"), "size": 9,
             "platform": {"architecture": "amd64", "os": "linux"}}
    return [ghost, m]
layout("partial", [(gz(big), big)], media="application/vnd.oci.image.layer.v1.tar+gzip", index_entries=partial)

# Entrypoints that exec cannot start.
gzl = "application/vnd.oci.image.layer.v1.tar+gzip"
t = tar_of([("bin/", None, 0o755), ("bin/app", ARM64, 0o755)])
layout("entry-missing", [(gz(t), t)], entrypoint=["/usr/bin/server"], media=gzl)
t = tar_of([("bin/", None, 0o755), ("bin/app", ("sym", "loop"), 0o777), ("bin/loop", ("sym", "app"), 0o777)])
layout("entry-loop", [(gz(t), t)], media=gzl)
chain = [("bin/", None, 0o755), ("bin/real", ARM64, 0o755)]
for i in range(100):
    chain.append(("bin/l%d" % i, ("sym", "l%d" % (i + 1) if i < 99 else "real"), 0o777))
chain.append(("bin/app", ("sym", "l0"), 0o777))
t = tar_of(chain)
layout("entry-chain", [(gz(t), t)], media=gzl)
t = tar_of([("bin/", None, 0o755), ("bin/app", ("sym", "/opt/gone/app"), 0o777)])
layout("entry-dangling", [(gz(t), t)], media=gzl)
PY
# The big-window layer really declares a 2 GiB window (zstd writes windowLog 31 for --long=31).
touch "$OUT/.done"
echo "build-image-regressions: done in $OUT" >&2
