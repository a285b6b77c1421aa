import pathlib
import shlex

import pytest

import archcompat

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "dockerfiles"


def test_lint_text_reports_hardcoded_goarch_with_a_fix():
    report = archcompat.lint_dockerfile("FROM golang:1.23\nRUN GOARCH=amd64 go build -o /a .\n")
    (finding,) = report["findings"]
    assert finding["code"] == "hardcoded-arch"
    assert finding["location"]["line"] == 2
    assert "GOARCH=$TARGETARCH" in finding["fixes"][0]["snippet"]


def test_lint_redacts_echoed_text_unless_redact_false():
    secret = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
    text = f"FROM golang\nRUN GITHUB_TOKEN={secret} GOARCH=amd64 go build -o /a .\n"
    assert secret not in repr(archcompat.lint_dockerfile(text))
    assert secret in repr(archcompat.lint_dockerfile(text, redact=False))


def test_lint_path_reads_the_build_context():
    report = archcompat.lint_dockerfile(path=FIXTURES / "context-scripts" / "Dockerfile")
    codes = {f["code"] for f in report["findings"]}
    assert {"lfs-pointer", "crlf-line-endings", "byte-order-mark"} <= codes


def test_missing_file_raises_read_error_naming_it():
    with pytest.raises(archcompat.ReadError, match="no-such-Dockerfile"):
        archcompat.lint_dockerfile(path="/tmp/no-such-Dockerfile")


def test_rewrite_command_keeps_arguments_and_splits_back():
    r = archcompat.rewrite_command("docker build -t 'a b' .", ["linux/amd64", "linux/arm64"])
    assert r["rewritten"] == "docker buildx build --platform linux/amd64,linux/arm64 --push -t 'a b' ."
    assert r["argv"] == shlex.split(r["rewritten"])
    assert r["diff"].startswith("--- a/command")


def test_rewrite_compose_and_dockerfile():
    r = archcompat.rewrite_compose("services:\n  db:\n    image: mysql:5.7 # amd64 only\n", "x86_64")
    assert r["rewritten"] == "services:\n  db:\n    platform: linux/amd64\n    image: mysql:5.7 # amd64 only\n"
    d = archcompat.rewrite_dockerfile("FROM alpine\nARG TARGETARCH=amd64\n")
    assert d["rewritten"] == "FROM alpine\nARG TARGETARCH\n"


def test_bad_platform_raises_invalid_platform():
    with pytest.raises(archcompat.InvalidPlatformError):
        archcompat.rewrite_command("docker run x", ["linux/"])


def test_rewrites_are_redacted_unless_redact_false():
    secret = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
    cmd = f"docker build --build-arg GITHUB_TOKEN={secret} -t app ."
    assert secret not in repr(archcompat.rewrite_command(cmd, ["linux/arm64"]))
    assert secret in archcompat.rewrite_command(cmd, ["linux/arm64"], redact=False)["rewritten"]
    df = f"FROM golang\nRUN GITHUB_TOKEN={secret} GOARCH=amd64 go build\n"
    assert secret not in repr(archcompat.rewrite_dockerfile(df))
    assert secret in archcompat.rewrite_dockerfile(df, redact=False)["rewritten"]
