"""admission_review(): the webhook's decision from Python, against Debian's docker-registry on
loopback holding the bundled multi-arch example pushed by skopeo."""

import json
import os
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

import archcompat

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def registry():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    d = tempfile.mkdtemp(prefix="archcompat-py-registry-")
    subprocess.run(["bash", REPO / "scripts/test-registry.sh", "start", d, str(port)], check=True)
    try:
        host = f"127.0.0.1:{port}"
        subprocess.run(
            ["skopeo", "copy", "-q", "--all", "--dest-tls-verify=false",
             f"oci:{REPO / 'examples/hello-multiarch'}:latest", f"docker://{host}/hello:multi"],
            check=True,
        )
        yield host
    finally:
        subprocess.run(["bash", REPO / "scripts/test-registry.sh", "stop", d], check=False)


def review(image: str, **spec) -> dict:
    return {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "py-1",
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "operation": "CREATE",
            "namespace": "default",
            "object": {"metadata": {"name": "web"}, "spec": {"template": {"spec": {
                "containers": [{"name": "web", "image": image}], **spec}}}},
        },
    }


def test_a_multi_arch_image_is_admitted(registry):
    r = archcompat.admission_review(json.dumps(review(f"{registry}/hello:multi")),
                                    ["linux/amd64", "linux/arm64"])
    assert r["review"]["response"] == {"uid": "py-1", "allowed": True, "warnings": r["review"]["response"]["warnings"]}
    assert any("attestation" in w for w in r["review"]["response"]["warnings"])
    assert [p["architecture"] for p in r["decision"]["platforms"]] == ["amd64", "arm64"]


def test_a_missing_platform_is_denied_with_findings_and_fixes(registry):
    body = json.dumps(review(f"{registry}/hello:multi", nodeSelector={"kubernetes.io/arch": "s390x"})).encode()
    r = archcompat.admission_review(body, ["linux/amd64", "linux/arm64"])
    assert r["review"]["response"]["allowed"] is False
    assert r["review"]["response"]["status"]["code"] == 403
    assert "linux/s390x" in r["review"]["response"]["status"]["message"]
    f = r["decision"]["findings"][0]
    assert f["code"] == "no-matching-manifest"
    assert any(x["applies_to"] == "buildx" for x in f["fixes"])


def test_failure_policy_and_errors():
    r = archcompat.admission_review(json.dumps(review("127.0.0.1:9/none:1")), failure_policy="ignore", deadline=3)
    assert r["review"]["response"]["allowed"] is True
    assert "failurePolicy Ignore" in r["review"]["response"]["warnings"][0]
    with pytest.raises(archcompat.ArchcompatError):
        archcompat.admission_review("not json")
    with pytest.raises(archcompat.ArchcompatError):
        archcompat.admission_review(json.dumps(review("x")), failure_policy="sometimes")
    with pytest.raises(TypeError):
        archcompat.admission_review(42)  # type: ignore[arg-type]


def test_code_quality_from_sarif():
    finding = {"code": "hardcoded-arch", "severity": "error", "message": "GOARCH=amd64",
               "evidence": [], "location": {"path": "Dockerfile", "line": 5}, "fixes": []}
    issues = archcompat.code_quality(archcompat.sarif([finding]))
    assert issues[0]["check_name"] == "hardcoded-arch"
    assert issues[0]["severity"] == "critical"
    assert issues[0]["location"] == {"path": "Dockerfile", "lines": {"begin": 5}}
    with pytest.raises(archcompat.MalformedInputError):
        archcompat.code_quality({"no": "runs"})
