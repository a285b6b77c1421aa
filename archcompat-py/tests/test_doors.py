"""The web page's operations from Python: ``detect_input``, ``redact_report``, ``inspect_bytes``
and ``image_bytes`` give what ``archcompat detect|redact|inspect|image --json`` prints for the
same real inputs (collected real logs, bundled Dockerfiles, the redaction parity inputs, the
cross-compiled binaries, and an OCI archive of the bundled multi-arch example)."""
import io
import json
import pathlib
import subprocess
import tarfile

import pytest

import archcompat

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXE = ROOT / "target" / "debug" / "archcompat"
PARITY = ROOT / "fixtures" / "redact" / "parity"


def cli(*args: str, stdin: bytes | None = None) -> tuple[int, object]:
    out = subprocess.run([str(EXE), *args], input=stdin, capture_output=True)
    return out.returncode, json.loads(out.stdout)


def real_texts() -> list[pathlib.Path]:
    real = ROOT / "fixtures" / "logs" / "real"
    index = json.loads((real / "index.json").read_text())
    paths = [real / e["file"] for e in index[::25]]
    paths += sorted(p for p in PARITY.iterdir() if p.is_file())
    paths += sorted((ROOT / "fixtures" / "dockerfiles").glob("*/Dockerfile"))
    return paths


def test_detect_input_equals_the_cli_on_real_inputs():
    kinds = set()
    for p in real_texts():
        code, want = cli("detect", "--json", str(p))
        assert code == 0
        got = archcompat.detect_input(p.read_bytes().decode(errors="replace"))
        assert got == want, p
        raw = p.read_bytes()
        if raw.decode(errors="replace").encode() == raw:
            assert archcompat.detect_input(raw) == want, p
        kinds.add(got)
    assert kinds == {"dockerfile", "command", "compose", "log"}


def test_redact_report_equals_the_cli_on_real_inputs():
    for p in real_texts():
        code, want = cli("redact", "--json", str(p))
        assert code == 0
        got = archcompat.redact_report(p.read_bytes().decode(errors="replace"))
        assert got == want, p
        assert list(got) == ["text", "counts", "total"]
        assert got["total"] == sum(got["counts"].values())
    secrets = [l for l in (PARITY / "secrets.txt").read_text().splitlines() if l and not l.startswith("#")]
    r = archcompat.redact_report((PARITY / "crash.log").read_text())
    assert r["total"] > 0 and not any(s in r["text"] for s in secrets)


def test_redact_report_options_and_arguments():
    arn = "role arn:aws:iam::123456789012:role/deploy"
    assert archcompat.redact_report(arn)["counts"] == {"account-id": 1}
    kept = archcompat.redact_report(arn, account_ids=False)
    assert kept == {"text": arn, "counts": {}, "total": 0}
    assert cli("redact", "--json", "--no-account-ids", "-", stdin=arn.encode())[1] == kept
    with pytest.raises(archcompat.ArgumentTypeError) as e:
        archcompat.redact_report(arn, account_ids="no")  # type: ignore[arg-type]
    assert e.value.param == "account_ids" and isinstance(e.value, TypeError)
    with pytest.raises(archcompat.InputError):
        archcompat.redact_report(b"\xff\xfe")
    with pytest.raises(TypeError):
        archcompat.detect_input(42)  # type: ignore[arg-type]


def test_inspect_bytes_equals_the_cli_entry():
    bins = ROOT / "fixtures" / "bin"
    for name in ["c-amd64-isa-v3", "c-armhf-glibc-dyn", "script-crlf.sh", "lfs-pointer", "error-page.html"]:
        p = bins / name
        code, want = cli("inspect", "--host", "linux/arm64", "--json", str(p))
        assert isinstance(want, list)
        entry = archcompat.inspect_bytes(memoryview(p.read_bytes()), name=str(p), host="linux/arm64")
        assert entry == want[0], name
    # A prefix of a longer file, and the redaction switch on an echoed #! line.
    head = (bins / "c-arm64-glibc-dyn").read_bytes()[:4096]
    e = archcompat.inspect_bytes(head, name="app", host="linux/amd64", file_len=1 << 20)
    assert e["path"] == "app" and e["platform"]["architecture"] == "arm64"
    script = b"#!/bin/sh --password SuperSecretPw1\r\necho\r\n"
    assert "SuperSecretPw1" not in json.dumps(archcompat.inspect_bytes(script, host="linux/amd64"))
    assert "SuperSecretPw1" in json.dumps(archcompat.inspect_bytes(script, host="linux/amd64", redact=False))
    with pytest.raises(archcompat.InvalidPlatformError):
        archcompat.inspect_bytes(script, host="x/y/z/w")


def example_archive() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        t.add(ROOT / "examples" / "hello-multiarch", arcname=".")
    return buf.getvalue()


def test_image_bytes_equals_the_cli_reading_stdin():
    data = example_archive()
    for host, exit_code in [("linux/amd64", 1), ("aws-graviton2", 0)]:
        code, want = cli("image", "-", "--host", host, "--json", stdin=data)
        assert code == exit_code
        assert archcompat.image_bytes(data, host) == want
        assert archcompat.image_bytes(bytearray(data), host=host) == want
    named = archcompat.image_bytes(data, "linux/amd64", name="hello.tar")
    assert named["source"] == "hello.tar" and named["verdict"] == "wont-run"


def test_image_bytes_errors_are_the_documented_classes():
    data = example_archive()
    with pytest.raises(archcompat.LimitError) as e:
        archcompat.image_bytes(data, "linux/amd64", max_json_bytes=10)
    assert "--max" not in str(e.value) and e.value.input
    assert e.value.limit == "max_json_bytes"
    with pytest.raises(archcompat.MalformedInputError):
        archcompat.image_bytes(b"not an archive at all" * 40, "linux/amd64")
    with pytest.raises(archcompat.ArchcompatError):
        archcompat.image_bytes(data[:3000], "linux/amd64")
    with pytest.raises(archcompat.ArgumentTypeError):
        archcompat.image_bytes("a str is not bytes", "linux/amd64")  # type: ignore[arg-type]
