"""Every documented function used as the README and the docstrings show, for
``mypy --strict`` (scripts/test.sh runs it; pytest also runs it, see test_typing.py)."""

from __future__ import annotations

import io
import pathlib
import tarfile
from typing import Any

import archcompat
from archcompat.types import InputKind, InspectEntry, InspectResult, Platform, RedactReport, SecretKind

ROOT = pathlib.Path(__file__).resolve().parents[2]
FX = ROOT / "fixtures" / "bin"
EXAMPLE = ROOT / "examples" / "hello-multiarch"
DOCKERFILE = ROOT / "fixtures" / "dockerfiles" / "go-hardcoded" / "Dockerfile"


def platforms() -> None:
    version: str = archcompat.__version__
    codes: list[str] = archcompat.cause_codes()
    p: Platform = archcompat.parse_platform("armhf")
    arch: str = p["architecture"]
    for entry in archcompat.parse_platforms(("x86_64", "nope//")):
        if "error" in entry:
            print(entry["error"])
        else:
            print(entry["formatted"])
    n = archcompat.normalize_platform({"os": "linux", "architecture": "aarch64"})
    spelled: str | None = archcompat.format_platform(n, "debian")
    doc = archcompat.match_platforms("aws-graviton2", ["linux/amd64", "linux/arm64"], strict=True)
    best = doc["best"]
    if best is not None:
        print(best["architecture"])
    verdict = archcompat.host_runs("linux/amd64", "linux/386")["runs"]
    page: int | None = archcompat.detect_host().get("page_size")
    pi = archcompat.resolve_host("raspberry-pi-5")
    names = [prof["name"] for prof in archcompat.host_profiles()]
    print(version, codes, arch, spelled, verdict, page, pi.get("platform"), names)


def binaries() -> None:
    one: InspectEntry = archcompat.inspect(FX / "c-arm64-glibc-dyn", host="linux/arm64")
    print(one["format"], one.get("platform"), [f["code"] for f in one["problems"]])
    many: list[InspectResult] = archcompat.inspect([FX / "lfs-pointer", "/nonexistent"], "linux/amd64")
    for r in many:
        if "error" in r:
            print(r["path"], r["error"]["kind"], r["error"].get("errno"))
        else:
            print(r["path"], r["format"], len(r["problems"]))
    data = (FX / "c-arm64-glibc-dyn").read_bytes()
    for buf in (data, bytearray(data), memoryview(data)):
        e = archcompat.classify_bytes(buf, "linux/arm64", file_len=len(data))
        print(e["details"])


def images() -> None:
    r = archcompat.image(EXAMPLE, host="linux/amd64", max_bytes=1 << 30, redact=False)
    verdict: str = r["verdict"]
    for f in r["findings"]:
        for fix in f["fixes"]:
            print(fix["snippet"], fix.get("diff"))
    print(verdict)


def diagnose() -> None:
    fixes = archcompat.fixes_for("arch-mismatch", host="linux/arm64", platforms=["linux/amd64"], image="app:1")
    print([f["title"] for f in fixes])
    print(archcompat.redact("token ghp_" + "a" * 36, account_ids=False))
    ex = archcompat.explain(b"exec /app: exec format error\n")
    print([c["code"] for c in ex.get("causes", [])])
    lint = archcompat.lint_dockerfile(path=DOCKERFILE)
    lint2 = archcompat.lint_dockerfile("FROM alpine\nRUN GOARCH=amd64 go build .\n", path="Dockerfile")
    log: dict[str, Any] = archcompat.sarif(lint["findings"] + lint2["findings"])
    issues = archcompat.code_quality(log)
    print([i["severity"] for i in issues])
    print(archcompat.rewrite_command("docker build -t app .", ["linux/amd64", "linux/arm64"], push=True)["rewritten"])
    print(archcompat.rewrite_compose("services:\n  a:\n    image: x\n", "linux/arm64", services=["a"]).get("diff"))
    print(archcompat.rewrite_dockerfile(DOCKERFILE.read_text(), path=DOCKERFILE).get("changes"))


def prevention() -> None:
    review = '{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "1"}}'
    try:
        out = archcompat.admission_review(review, ["linux/amd64", "linux/arm64"], failure_policy="ignore")
        print(out["review"]["response"]["allowed"], out["decision"].get("message"))
    except archcompat.MalformedInputError as e:
        print(e.input, e.kind)
    try:
        v = archcompat.verify_image(EXAMPLE, "linux/arm64", command=["true"], timeout=2.5)
        print(v["verify"])
        a = archcompat.audit(EXAMPLE.parent, ["linux/amd64"], jobs=2, html=pathlib.Path("/tmp/a.html"))
        print(a["summary"], archcompat.audit_merge([pathlib.Path("/tmp/a.json")])["summary"])
    except archcompat.FileError as e:
        print(e.errno, e.filename, e.strerror)
    except archcompat.LimitError as e:
        print(e.limit)
    except archcompat.RegistryError as e:
        print(e.input)
    except archcompat.ArgumentTypeError as e:
        print(e.param)
    except archcompat.InputError as e:
        print(e.param, e.message)
    except archcompat.ArchcompatError as e:
        print(e.kind, str(e))


def pasted() -> None:
    """The web page's operations: detect, redact with counts, bytes of a file or an archive."""
    kind: InputKind = archcompat.detect_input("FROM alpine\n")
    if kind == "dockerfile":
        print(archcompat.detect_input(b"docker run alpine"))
    r: RedactReport = archcompat.redact_report("docker login -p hunter2pass", account_ids=False, high_entropy=True)
    n: int = r["total"]
    for k, count in r["counts"].items():
        secret: SecretKind = k
        print(secret, count, n, r["text"])
    e: InspectEntry = archcompat.inspect_bytes(
        bytearray(b"#!/bin/sh\r\n"), name="run.sh", host="linux/amd64", file_len=12, redact=True
    )
    print(e["path"], e["format"], [p["code"] for p in e["problems"]])
    # An archive in memory (here: the bundled example as an OCI archive; `docker save` output
    # read from a pipe or a socket works the same).
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        t.add(EXAMPLE, arcname=".")
    data = buf.getvalue()
    try:
        img = archcompat.image_bytes(
            memoryview(data), "linux/amd64", name="hello.tar", tag=None, max_bytes=1 << 30,
            max_entries=1000, max_json_bytes=1 << 20, max_file_read=1 << 20, max_link_hops=8, redact=False,
        )
        print(img["verdict"], img["source"])
    except archcompat.LimitError as err:
        print(err.limit)
    except archcompat.ArchcompatError as err:
        print(err.kind, err.input)


if __name__ == "__main__":
    platforms()
    binaries()
    images()
    diagnose()
    prevention()
    pasted()
