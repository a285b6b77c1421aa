import json
import pathlib

import jsonschema

import archcompat

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_explain_ranks_causes_with_platforms_and_fixes():
    log = (ROOT / "fixtures" / "logs" / "m1-amd64-on-arm64.log").read_text()
    e = archcompat.explain(log)
    top = e["causes"][0]
    assert top["code"] == "arch-mismatch"
    assert top["platforms"] == {"host": "linux/arm64/v8", "image": "linux/amd64"}
    assert any(f["applies_to"] == "buildx" for f in e["fixes"])


def test_explain_redacts_evidence_by_default():
    log = "curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789' https://x && exec /bin/sh: exec format error\n"
    assert "abcdefghij" not in json.dumps(archcompat.explain(log))
    assert "abcdefghij" in json.dumps(archcompat.explain(log, redact=False))


def test_explain_causes_render_as_valid_sarif_via_cli():
    import subprocess

    exe = ROOT / "target" / "debug" / "archcompat"
    out = subprocess.run([str(exe), "explain", str(ROOT / "fixtures/logs/crlf-file.log"), "--format", "sarif"], capture_output=True, text=True)
    schema = json.loads((ROOT / "fixtures" / "sarif" / "sarif-2.1.0.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(out.stdout))


def test_explain_matches_the_cli_json_on_real_reports():
    import subprocess

    exe = ROOT / "target" / "debug" / "archcompat"
    real = ROOT / "fixtures" / "logs" / "real"
    index = json.loads((real / "index.json").read_text())
    for entry in index[::40]:
        path = real / entry["file"]
        out = subprocess.run([str(exe), "explain", str(path), "--json"], capture_output=True, text=True)
        assert archcompat.explain(path.read_text()) == json.loads(out.stdout), entry["file"]
