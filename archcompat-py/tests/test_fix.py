import json
import pathlib
import subprocess

import jsonschema
import pytest

import archcompat

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "fixtures" / "sarif" / "sarif-2.1.0.json").read_text())


def validate(doc):
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)


def test_fixes_for_fills_real_values():
    fixes = archcompat.fixes_for("arch-mismatch", host="aws-graviton2", platforms=["linux/amd64"], image="ghcr.io/acme/api:1")
    by_id = {f["id"]: f for f in fixes}
    assert "--platform linux/arm64,linux/amd64 -t ghcr.io/acme/api:1 --push ." in by_id["buildx-multiarch-push"]["snippet"]
    assert by_id["binfmt-run-emulated"]["snippet"].startswith("docker run --privileged --rm tonistiigi/binfmt --install amd64")
    with pytest.raises(archcompat.UnsupportedInputError):
        archcompat.fixes_for("exec-format")


def test_redact_keeps_digests_and_removes_secrets():
    assert archcompat.redact("token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 for sha256:" + "a" * 64) == "token [REDACTED] for sha256:" + "a" * 64
    assert "123456789012" in archcompat.redact("arn:aws:iam::123456789012:role/x", account_ids=False)


def test_sarif_from_lint_validates_against_the_official_schema():
    report = archcompat.lint_dockerfile(path=ROOT / "fixtures" / "dockerfiles" / "context-scripts" / "Dockerfile")
    doc = archcompat.sarif(report["findings"])
    validate(doc)
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} >= {"lfs-pointer", "crlf-line-endings"}
    with pytest.raises(ValueError):
        archcompat.sarif([{"code": "nope"}])


@pytest.mark.parametrize(
    "args",
    [
        ["lint", str(ROOT / "fixtures/dockerfiles/download-url/Dockerfile")],
        ["image", str(ROOT / "examples/hello-multiarch"), "--host", "linux/amd64"],
        ["inspect", "--host", "linux/amd64", str(ROOT / "fixtures/bin/script-crlf.sh"), str(ROOT / "fixtures/bin/c-s390x-glibc-dyn")],
        ["explain", str(ROOT / "fixtures/logs/hc-download.log")],
    ],
)
def test_cli_sarif_validates(args):
    exe = ROOT / "target" / "debug" / "archcompat"
    if not exe.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "archcompat-cli"], cwd=ROOT, check=True)
    out = subprocess.run([str(exe), *args, "--format", "sarif"], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    doc = json.loads(out.stdout)
    validate(doc)
    assert doc["runs"][0]["results"]
