"""Issue 17: the binding's errors, inputs, batches and shapes, checked against the real CLI."""

import ast
import errno
import json
import os
import pathlib
import subprocess

import pytest

import archcompat

ROOT = pathlib.Path(__file__).resolve().parents[2]
FX = ROOT / "fixtures" / "bin"
EXAMPLE = ROOT / "examples" / "hello-multiarch"
DOCKERFILE = ROOT / "fixtures" / "dockerfiles" / "go-hardcoded" / "Dockerfile"
LOG = ROOT / "fixtures" / "logs" / "att-lambda.log"
STUB = ROOT / "archcompat-py" / "python" / "archcompat" / "_archcompat.pyi"


def cli(*args: str) -> object:
    """Run the CLI built by `cargo build` and return its --json document (exit 0 or 1)."""
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    exe = target / "debug" / "archcompat"
    assert exe.exists(), f"build the CLI first (cargo build -p archcompat-cli): {exe}"
    p = subprocess.run([str(exe), *args, "--json"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


def same(a: object, b: object) -> None:
    # Same values AND the same key order, as the issue asks.
    assert json.dumps(a) == json.dumps(b)


# ------------------------------------------------------------------ the CLI's JSON, same shapes


def test_inspect_matches_cli_json():
    paths = ["fixtures/bin/c-armhf-glibc-dyn", "fixtures/bin/script-crlf.sh", "fixtures/bin/lfs-pointer"]
    same(archcompat.inspect(paths, "linux/arm64"), cli("inspect", "--host", "linux/arm64", *paths))


def test_image_matches_cli_json():
    same(
        archcompat.image("examples/hello-multiarch", "linux/amd64"),
        cli("image", "examples/hello-multiarch", "--host", "linux/amd64"),
    )


def test_lint_parse_match_host_match_cli_json():
    rel = str(DOCKERFILE.relative_to(ROOT))
    os.chdir(ROOT)
    same(archcompat.lint_dockerfile(path=rel), cli("lint", rel))
    same(archcompat.parse_platforms(["armhf", "x86_64", "windows/amd64"]), cli("platform", "parse", "armhf", "x86_64", "windows/amd64"))
    same(
        archcompat.match_platforms("aws-graviton2", ["linux/amd64", "linux/arm64"]),
        cli("platform", "match", "--host", "aws-graviton2", "linux/amd64", "linux/arm64"),
    )
    same(archcompat.resolve_host("raspberry-pi-5"), cli("host", "--host", "raspberry-pi-5"))


def test_explain_matches_cli_json_for_the_same_text():
    text = LOG.read_text()
    mine = archcompat.explain(text)
    theirs = cli("explain", str(LOG.relative_to(ROOT)))
    assert [c["code"] for c in mine["causes"]] == [c["code"] for c in theirs["causes"]]
    assert list(mine) == list(theirs)


# ------------------------------------------------------------------ errors


def test_file_errors_are_oserrors_with_errno_and_filename():
    with pytest.raises(OSError) as e:
        archcompat.inspect("/nonexistent/x", "linux/amd64")
    err = e.value
    assert isinstance(err, archcompat.FileError) and isinstance(err, archcompat.ArchcompatError)
    assert err.errno == errno.ENOENT and err.filename == "/nonexistent/x" and err.kind == "io"
    assert "/nonexistent/x" in str(err)
    with pytest.raises(archcompat.FileError):
        archcompat.lint_dockerfile(path=ROOT / "no-such-Dockerfile")


def test_limit_errors_name_the_keyword_not_the_cli_flag():
    with pytest.raises(archcompat.LimitError) as e:
        archcompat.image(EXAMPLE, "linux/amd64", max_bytes=10)
    assert e.value.limit == "max_bytes" and e.value.kind == "limit-exceeded"
    assert "max_bytes=" in str(e.value) and "--max-bytes" not in str(e.value)
    with pytest.raises(archcompat.LimitError) as e:
        archcompat.image(EXAMPLE, "linux/amd64", max_json_bytes=10)
    assert e.value.limit == "max_json_bytes" and "--" not in str(e.value)


def test_registry_errors_are_connection_errors():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(ConnectionError) as e:
        archcompat.image(f"docker://127.0.0.1:{port}/demo/app:1", "linux/amd64", registry_timeout=10)
    assert isinstance(e.value, archcompat.RegistryError)
    assert e.value.input == f"docker://127.0.0.1:{port}/demo/app:1"


def test_bad_values_are_input_errors_and_value_errors():
    with pytest.raises(archcompat.InvalidPlatformError) as e:
        archcompat.parse_platform("linux//v7")
    assert isinstance(e.value, ValueError) and isinstance(e.value, archcompat.InputError)
    for call in [
        lambda: archcompat.image(EXAMPLE, "linux/amd64", max_bytes=-1),
        lambda: archcompat.image(EXAMPLE, "linux/amd64", max_link_hops=2**40),
        lambda: archcompat.verify_image(EXAMPLE, "linux/amd64", timeout=float("nan")),
        lambda: archcompat.verify_image(EXAMPLE, "linux/amd64", timeout=10**400),
        lambda: archcompat.classify_bytes(b"x", file_len=2**200),
        lambda: archcompat.admission_review("{}", deadline=0),
        lambda: archcompat.explain(b"\xff\xfe log"),
        lambda: archcompat.lint_dockerfile(),
    ]:
        with pytest.raises(archcompat.InputError) as e:
            call()
        assert isinstance(e.value, ValueError) and not isinstance(e.value, OverflowError)
        assert e.value.param is not None and e.value.param in str(e.value)


def test_wrong_types_are_argument_type_errors_naming_the_parameter():
    cases = [
        (lambda: archcompat.inspect(42), "paths"),
        (lambda: archcompat.inspect(["ok", 42]), "paths[1]"),
        (lambda: archcompat.image(EXAMPLE, host=7), "host"),
        (lambda: archcompat.image(EXAMPLE, "linux/amd64", redact="no"), "redact"),
        (lambda: archcompat.match_platforms("linux/amd64", "linux/arm64"), "candidates"),
        (lambda: archcompat.classify_bytes("text, not bytes"), "data"),
        (lambda: archcompat.normalize_platform(3.5), "platform"),
        (lambda: archcompat.image(EXAMPLE, "linux/amd64", max_bytes="10"), "max_bytes"),
    ]
    for call, param in cases:
        with pytest.raises(archcompat.ArgumentTypeError) as e:
            call()
        assert isinstance(e.value, TypeError) and isinstance(e.value, archcompat.ArchcompatError)
        assert e.value.param == param and str(e.value).startswith(param + " must be"), str(e.value)
        assert "Py" not in str(e.value), str(e.value)


# ------------------------------------------------------------------ batches and wider inputs


def test_batch_inspect_reports_each_path():
    out = archcompat.inspect([FX / "c-arm64-glibc-dyn", "/nonexistent/y", FX / "script-bom.sh"], "linux/arm64")
    assert [list(e)[:2] for e in out] == [["path", "format"], ["path", "error"], ["path", "format"]]
    assert out[1]["error"]["kind"] == "io" and out[1]["error"]["errno"] == errno.ENOENT
    assert "/nonexistent/y" in out[1]["error"]["message"]
    assert out[2]["problems"][0]["code"] == "byte-order-mark"
    # A tuple is a sequence too; a single path is not split.
    assert len(archcompat.inspect((FX / "lfs-pointer",), "linux/amd64")) == 1


def test_pathlike_and_buffers_are_accepted():
    e = archcompat.inspect(FX / "c-arm64-glibc-dyn", "linux/arm64")
    assert e["format"] == "elf"
    data = (FX / "c-arm64-glibc-dyn").read_bytes()
    a = archcompat.classify_bytes(data, "linux/arm64")
    assert archcompat.classify_bytes(bytearray(data), "linux/arm64") == a
    assert archcompat.classify_bytes(memoryview(data), "linux/arm64") == a
    assert archcompat.lint_dockerfile(DOCKERFILE.read_bytes())["findings"][0]["code"] == "hardcoded-arch"
    assert archcompat.lint_dockerfile(path=DOCKERFILE)["findings"][0]["code"] == "hardcoded-arch"
    assert archcompat.image(EXAMPLE, "linux/arm64")["verdict"] == "runs"
    assert archcompat.explain(LOG.read_bytes())["causes"]


# ------------------------------------------------------------------ the stub and the module agree


def test_stub_names_and_module_names_agree():
    tree = ast.parse(STUB.read_text())
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared.add(node.target.id)
        elif isinstance(node, ast.Assign):
            declared.update(t.id for t in node.targets if isinstance(t, ast.Name))
    declared = {n for n in declared if not n.startswith("_") or n == "__version__"}
    native = {n for n in dir(archcompat._archcompat) if not n.startswith("_")} | {"__version__"}
    assert declared == native, (declared - native, native - declared)
    # The package exports every native name and every exception, and nothing it lacks.
    assert set(archcompat.__all__) == native | {n for n in dir(archcompat._errors) if n.endswith("Error")}
    for n in archcompat.__all__:
        assert hasattr(archcompat, n), n


def test_the_typing_usage_script_runs():
    # mypy --strict checks it in scripts/test.sh; here it must also run as written.
    import sys

    p = subprocess.run([sys.executable, str(ROOT / "archcompat-py" / "tests" / "typing_usage.py")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
