"""Results are built as Python objects directly (no JSON round trip): ``json.dumps`` of what a
function returns is the CLI's ``--json`` document byte for byte (same keys, same key order, same
numbers), on real inputs: the cross-compiled binaries and real files of this machine, platform
specifiers and aliases, profiles and real logs (floats in confidences)."""
import json
import pathlib
import subprocess

import archcompat

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXE = ROOT / "target" / "debug" / "archcompat"


def cli_text(*args: str) -> str:
    """The CLI's JSON, re-printed by json.dumps (key order and numbers as the CLI wrote them)."""
    out = subprocess.run([str(EXE), *args], capture_output=True)
    assert out.returncode in (0, 1), out.stderr
    return json.dumps(json.loads(out.stdout))


def real_files() -> list[str]:
    files = sorted(str(p) for p in (ROOT / "fixtures" / "bin").iterdir() if p.is_file())
    for d in ["/usr/bin", "/usr/lib/x86_64-linux-gnu"]:
        here = sorted(p for p in pathlib.Path(d).glob("*") if p.is_file() and not p.is_symlink())
        files += [str(p) for p in here[:: max(1, len(here) // 40)]]
    return files


def test_inspect_is_the_cli_json_byte_for_byte():
    files = real_files()
    assert len(files) > 40
    want = json.loads(cli_text("inspect", "--host", "linux/arm64", "--json", *files))
    got = archcompat.inspect(files, host="linux/arm64")
    assert json.dumps(got) == json.dumps(want)
    for f, w in zip(files[:: 7], want[:: 7]):
        assert json.dumps(archcompat.inspect(f, host="linux/arm64")) == json.dumps(w), f


def test_platform_documents_are_the_cli_json_byte_for_byte():
    specs = ["linux/arm64", "aarch64", "armv7l", "windows/amd64", "x86_64-unknown-linux-musl", "GOARCH=arm GOARM=6"]
    assert json.dumps(archcompat.parse_platforms(specs)) == cli_text("platform", "parse", "--json", *specs)
    cands = ["linux/arm64", "linux/amd64", "linux/arm/v7", "linux/arm64/v8.2"]
    got = archcompat.match_platforms("aws-graviton2", cands)
    assert json.dumps(got) == cli_text("platform", "match", "--host", "aws-graviton2", "--json", *cands)
    assert json.dumps(archcompat.host_profiles()) == cli_text("host", "--list-profiles", "--json")
    for h in ["aws-graviton2", "linux/arm/v7", "linux/amd64/v3"]:
        assert json.dumps(archcompat.resolve_host(h)) == cli_text("host", "--host", h, "--json"), h


def test_explain_is_the_cli_json_byte_for_byte():
    real = ROOT / "fixtures" / "logs" / "real"
    index = json.loads((real / "index.json").read_text())
    floats = 0
    for e in index[::20]:
        p = real / e["file"]
        text = cli_text("explain", "--json", str(p))
        got = archcompat.explain(p.read_bytes())
        assert json.dumps(got) == text, p
        floats += sum(isinstance(c.get("confidence"), float) for c in got["causes"])
    assert floats > 0
