"""archcompat.image() on the bundled example (a multi-arch OCI layout whose linux/amd64 entry
holds an aarch64 program) and on bad input."""

import pathlib
import threading

import pytest

import archcompat

EXAMPLE = str(pathlib.Path(__file__).resolve().parents[2] / "examples" / "hello-multiarch")


def test_mislabeled_entry_wont_run_on_amd64():
    r = archcompat.image(EXAMPLE, "linux/amd64")
    assert r["verdict"] == "wont-run"
    assert r["selected"]["platform"]["architecture"] == "amd64"
    assert r["selected"]["actual_platform"]["architecture"] == "arm64"
    codes = [f["code"] for f in r["findings"]]
    assert "arch-mismatch" in codes and "image-mislabeled" in codes
    ev = r["findings"][0]["evidence"][0]
    assert ev["path"] == "/usr/local/bin/hello" and ev["layer"].startswith("sha256:")
    assert r["binaries"]["by_platform"] == {"linux/arm64": 1}


def test_arm64_host_runs_it():
    r = archcompat.image("oci:" + EXAMPLE + ":latest", host="linux/arm64")
    assert r["verdict"] == "runs"
    assert [e["status"] for e in r["platforms"]].count("attestation") == 1


def test_errors_map_to_the_hierarchy():
    with pytest.raises(archcompat.ReadError):
        archcompat.image("/no/such/image", "linux/amd64")
    with pytest.raises(archcompat.LimitExceededError):
        archcompat.image(EXAMPLE, "linux/amd64", max_bytes=10)
    with pytest.raises(archcompat.ArchcompatError):
        archcompat.image(EXAMPLE, "not a platform///")


def test_gil_is_released_for_concurrent_calls():
    results = []
    threads = [threading.Thread(target=lambda: results.append(archcompat.image(EXAMPLE, "linux/amd64")["verdict"])) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["wont-run"] * 4


def test_registry_limits_are_keywords_and_a_refused_connection_keeps_its_cause():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    src = f"docker://127.0.0.1:{port}/demo/app:1"
    with pytest.raises(archcompat.ArchcompatError) as e:
        archcompat.image(src, "linux/amd64", registry_timeout=10, registry_min_rate=1024, registry_grace=5)
    assert "refused" in str(e.value).lower() and src in str(e.value)
