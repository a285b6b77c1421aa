"""Redaction parity (Python): the same secret-laden inputs as the CLI's parity test
(fixtures/redact/parity/) through every function that echoes user text. No secret survives;
image references, platforms and positions stay; ``redact=False`` is the one switch."""
import json
import pathlib

import pytest

import archcompat

P = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "redact" / "parity"
SECRETS = [l for l in (P / "secrets.txt").read_text().splitlines() if l and not l.startswith("#")]


def outputs(redact=True):
    cmd = (P / "command.txt").read_text().strip()
    yield "lint text", archcompat.lint_dockerfile((P / "Dockerfile").read_text(), redact=redact)
    yield "lint path", archcompat.lint_dockerfile(path=str(P / "Dockerfile"), redact=redact)
    yield "image", archcompat.image(str(P / "config.json"), host="linux/amd64", redact=redact)
    yield "inspect", archcompat.inspect(str(P / "script.sh"), host="linux/amd64", redact=redact)
    yield "explain", archcompat.explain((P / "crash.log").read_text(), redact=redact)
    yield "rewrite_command", archcompat.rewrite_command(cmd, ["linux/amd64", "linux/arm64"], redact=redact)
    yield "rewrite_compose", archcompat.rewrite_compose((P / "compose.yaml").read_text(), "linux/arm64", redact=redact)
    yield "rewrite_dockerfile", archcompat.rewrite_dockerfile((P / "Dockerfile").read_text(), redact=redact)
    yield "fixes_for", archcompat.fixes_for(
        "arch-mismatch", host="linux/arm64", platforms=["linux/amd64"],
        image="ghcr.io/acme/api:1.4", path="/app --password ParityEntrypointPw", redact=redact)


def test_no_secret_survives_any_function():
    for name, out in outputs():
        text = json.dumps(out)
        for s in SECRETS:
            assert s not in text, f"{name}: {s!r} survived"


def test_references_platforms_and_positions_stay():
    rw = archcompat.rewrite_command((P / "command.txt").read_text().strip(), ["linux/amd64", "linux/arm64"])
    assert "ghcr.io/acme/api:1.4" in rw["rewritten"]
    assert "linux/amd64,linux/arm64" in rw["rewritten"]
    lint = archcompat.lint_dockerfile((P / "Dockerfile").read_text())
    assert 5 in [f["location"]["line"] for f in lint["findings"] if f.get("location")]


def test_errors_do_not_echo_secrets():
    with pytest.raises(archcompat.ArchcompatError) as e:
        archcompat.image("docker://robot:ParityRobotPass@127.0.0.1:1/app:1", host="linux/amd64")
    assert "ParityRobotPass" not in str(e.value)


def test_redact_false_is_the_switch():
    shown = json.dumps(dict(outputs(redact=False)))
    assert "ParityEntrypointPw" in shown
    assert "ParityShebangPass" in shown
    # The private keys and Docker config `auths` of the inputs reach the output unredacted.
    for s in ("ParityKeyTail", "cGFyaXR5OkF1dGhaOQ", "Y2k6RXNjQXV0aDc"):
        assert s in shown, s
