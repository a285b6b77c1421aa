"""archcompat.inspect / classify_bytes on the committed, compiler-built fixtures."""

import gzip
import pathlib

import pytest

import archcompat

FX = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "bin"


def test_inspect_single_path_gives_one_entry():
    e = archcompat.inspect(str(FX / "c-armhf-glibc-dyn"), host="linux/amd64")
    assert e["format"] == "elf"
    assert e["platform"] == {"os": "linux", "architecture": "arm", "variant": "v7"}
    assert e["details"]["float_abi"] == "hard"
    assert e["problems"][0]["code"] == "arch-mismatch"
    assert e["problems"][0]["evidence"][0]["detail"].startswith("errno: ENOEXEC")


def test_inspect_list_and_pathlike():
    es = archcompat.inspect([FX / "script-crlf.sh", FX / "c-arm64-glibc-dyn"], host="linux/arm64")
    assert [e["format"] for e in es] == ["script", "elf"]
    assert es[0]["problems"][0]["code"] == "crlf-line-endings"
    assert es[1]["problems"] == []


def test_a_long_list_is_converted_in_order_while_files_are_read():
    # Many chunks on several worker threads, converted in batches as they arrive: the list
    # equals one call per path, in order, with failures in their places.
    files = sorted(p for p in FX.iterdir() if p.is_file())
    paths = [files[i % len(files)] if i % 7 else FX / f"missing-{i}" for i in range(300)]
    es = archcompat.inspect(paths, host="linux/amd64")
    assert len(es) == 300
    for i, (p, e) in enumerate(zip(paths, es)):
        if i % 7 == 0:
            assert e["path"] == str(p) and e["error"]["errno"] == 2
        else:
            assert e == archcompat.inspect(p, host="linux/amd64")


def test_each_call_is_judged_for_its_own_host():
    # The binding remembers the last few resolved hosts: more specs than it keeps, each
    # twice, must each give that host's verdict, never a neighbour's.
    arm64 = str(FX / "c-arm64-glibc-dyn")
    specs = ["linux/amd64", "linux/arm64", "linux/386", "linux/arm64/v8", "aws-graviton2",
             "linux/riscv64", "linux/ppc64le", "linux/s390x", "aarch64", "x86_64", "linux/arm/v7"]
    for spec in specs + specs[::-1]:
        fresh = archcompat.resolve_host(spec)["platform"]["architecture"] == "arm64"
        e = archcompat.inspect(arm64, host=spec)
        assert (e["problems"] == []) == fresh, (spec, e["problems"])


def test_result_keys_are_shared_interned_strings():
    a = archcompat.inspect(str(FX / "c-arm64-glibc-dyn"), host="linux/arm64")
    b = archcompat.inspect(str(FX / "c-amd64-glibc-dyn"), host="linux/arm64")
    for ka, kb in zip(a["details"], b["details"]):
        if ka == kb:
            assert ka is kb
    assert list(a)[:3] == ["path", "format", "platform"]


def test_classify_bytes_reads_go_build_info():
    data = gzip.decompress((FX / "go-linux-amd64-v3.gz").read_bytes())
    e = archcompat.classify_bytes(data, host="linux/amd64/v3")
    assert e["platform"]["variant"] == "v3"
    assert e["details"]["go"]["build_settings"]["GOAMD64"] == "v3"
    assert e["problems"] == []
    prefix = archcompat.classify_bytes(data[:4096], host="linux/amd64", file_len=len(data))
    assert prefix["format"] == "elf" and "invalid" not in prefix["details"]


def test_errors_are_archcompat_errors_naming_the_path():
    with pytest.raises(archcompat.ArchcompatError, match="/nonexistent/x"):
        archcompat.inspect("/nonexistent/x")
    with pytest.raises(archcompat.InvalidPlatformError):
        archcompat.classify_bytes(b"", host="not/a/valid/platform/spec")
