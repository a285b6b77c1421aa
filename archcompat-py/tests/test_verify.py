"""archcompat.verify_image() and archcompat.audit() on real images: Debian busybox-static and a
Go riscv64 program (scripts/build-verify-fixtures.sh, cached under target/tmp), run in bwrap,
the foreign ones under qemu-user-static; an audit of a folder of OCI layouts and its merge."""

import hashlib
import json
import pathlib
import subprocess

import pytest

import archcompat

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def layout():
    script = ROOT / "scripts" / "build-verify-fixtures.sh"
    h = hashlib.sha256(script.read_bytes()).hexdigest()[:16]
    out = ROOT / "target" / "tmp" / f"verify-fixtures-{h}"
    subprocess.run(["bash", str(script), str(out)], check=True)
    return out / "oci"


def test_foreign_busybox_runs_under_qemu(layout):
    r = archcompat.verify_image(f"oci:{layout}:busybox-s390x", "linux/s390x")
    v = r["verify"]
    assert r["verdict"] == "runs"
    assert v["started"] and v["agrees_with_verdict"] and not v["timed_out"]
    assert v["emulator"].startswith("qemu-s390x-static")
    assert v["stdout_tail"] == "s390x\n"


def test_crash_contradicts_a_runs_verdict(layout):
    r = archcompat.verify_image(f"oci:{layout}:crash", "linux/amd64")
    assert r["verdict"] == "runs"
    assert r["verify"]["signal"] == 11
    assert not r["verify"]["agrees_with_verdict"]


def test_command_override_and_missing_emulator(layout, tmp_path):
    r = archcompat.verify_image(f"oci:{layout}:busybox-amd64", "linux/amd64", command=["echo", "py"])
    assert r["verify"]["stdout_tail"] == "py\n"
    with pytest.raises(archcompat.ArchcompatError, match="qemu-user-static"):
        archcompat.verify_image(f"oci:{layout}:busybox-arm64", "linux/arm64", emulator_dir=str(tmp_path))


def test_audit_of_layouts_and_merge(layout, tmp_path):
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "verify").symlink_to(layout)
    html = tmp_path / "a.html"
    r = archcompat.audit(str(folder), ["linux/amd64", "linux/arm64"], html=str(html))
    assert r["summary"]["tags"] == 9
    rec = {x["tag"]: x for x in r["records"]}
    assert [p["architecture"] for p in rec["busybox-arm64"]["missing"]] == ["amd64"]
    assert html.read_text().startswith("<!DOCTYPE html>")
    part = tmp_path / "part.json"
    part.write_text(json.dumps(r))
    m = archcompat.audit_merge([str(part), str(part)])
    assert m["summary"]["tags"] == 9
    with pytest.raises(archcompat.ArchcompatError):
        archcompat.audit(str(folder), [])
