"""Platform parsing, matching, host detection and profiles from Python."""

import os
import platform as pyplatform
import subprocess

import pytest

import archcompat


def test_parse_and_aliases():
    assert archcompat.parse_platform("linux/arm64/v8") == {"os": "linux", "architecture": "arm64", "variant": "v8"}
    assert archcompat.parse_platform("aarch64-unknown-linux-musl")["architecture"] == "arm64"
    win = archcompat.parse_platform("windows(10.0.17763+win32k)/amd64")
    assert win["os.version"] == "10.0.17763" and win["os.features"] == ["win32k"]
    assert archcompat.parse_platform("linux/armv7l") == {"os": "linux", "architecture": "arm"}
    # containerd keeps unknown architectures verbatim and rejects lone unknown words
    assert archcompat.parse_platform("linux/armv7l", containerd=True)["architecture"] == "armv7l"
    with pytest.raises(archcompat.InvalidPlatformError, match="armv7l"):
        archcompat.parse_platform("armv7l", containerd=True)


def test_invalid_spec_raises_naming_the_part():
    with pytest.raises(archcompat.InvalidPlatformError, match="&arm"):
        archcompat.parse_platform("linux/&arm")
    with pytest.raises(archcompat.ArchcompatError):
        archcompat.parse_platform("linux/arm/")


def test_parse_platforms_document():
    doc = archcompat.parse_platforms(["linux/amd64", "linux//amd64"])
    assert doc[0] == {"input": "linux/amd64", "platform": {"os": "linux", "architecture": "amd64"}, "formatted": "linux/amd64"}
    assert doc[1]["input"] == "linux//amd64" and "error" in doc[1]


def test_normalize_and_format():
    assert archcompat.normalize_platform({"os": "Linux", "architecture": "aarch64", "variant": "v8"}) == {
        "os": "linux",
        "architecture": "arm64",
    }
    assert archcompat.normalize_platform("linux/arm") == {"os": "linux", "architecture": "arm", "variant": "v7"}
    p = "linux/arm/v7"
    assert archcompat.format_platform(p, "debian") == "armhf"
    assert archcompat.format_platform(p, "uname") == "armv7l"
    assert archcompat.format_platform(p, "rust-triple") == "armv7-unknown-linux-gnueabihf"
    assert archcompat.format_platform(p, "go-env") == "GOOS=linux GOARCH=arm GOARM=7"
    assert archcompat.format_platform(p, "lambda-architecture") is None
    assert archcompat.format_platform({"os": "linux", "architecture": "arm64"}, "ecs-cpu-architecture") == "ARM64"
    assert archcompat.format_platform("windows(10.0.20348)/amd64") == "windows(10.0.20348)/amd64"
    with pytest.raises(archcompat.ArchcompatError, match="spelling"):
        archcompat.format_platform(p, "klingon")
    with pytest.raises(TypeError):
        archcompat.normalize_platform(42)


def test_match_ranks_as_containerd():
    doc = archcompat.match_platforms("linux/arm64", ["linux/amd64", "linux/arm/v7", "linux/arm64/v8"])
    assert [c["runs"] for c in doc["candidates"]] == ["no", "compatible", "native"]
    assert doc["best"] == {"os": "linux", "architecture": "arm64", "variant": "v8"}
    strict = archcompat.match_platforms("linux/arm64", ["linux/arm/v7"], strict=True)
    assert strict["best"] is None
    g4 = archcompat.match_platforms("aws-graviton4", ["linux/amd64", "linux/arm/v7"])
    assert g4["best"]["architecture"] == "arm" and g4["best_runnable"] is None
    v = archcompat.host_runs("apple-silicon-docker-desktop", "linux/amd64")
    assert v["runs"] == "emulated" and v["reason"]


def test_detect_host_matches_this_machine():
    h = archcompat.detect_host()
    assert h["source"] == "detected"
    assert h["page_size"] == os.sysconf("SC_PAGESIZE")
    assert h["machine"] == pyplatform.machine()
    if pyplatform.machine() == "x86_64":
        assert h["platform"] == {"os": "linux", "architecture": "amd64"}
        assert 1 <= h["amd64_level"] <= 4
        assert {"os": "linux", "architecture": "amd64"} in h["runs_natively"]
    uname = subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip()
    assert h["kernel"] == uname


def test_profiles_and_resolve():
    names = [p["name"] for p in archcompat.host_profiles()]
    assert "aws-graviton2" in names and "raspberry-pi-5" in names
    pi5 = archcompat.resolve_host("raspberry-pi-5")
    assert pi5["page_size"] == 16384 and pi5["source"] == "profile:raspberry-pi-5"
    assert archcompat.resolve_host("local")["source"] == "detected"
    with pytest.raises(archcompat.InvalidPlatformError, match=r"archcompat\.host_profiles\(\)"):
        archcompat.resolve_host("nowhere-cloud")
