"""The ``diff`` command as a user runs it: a real subprocess, real files, exit status."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import APILINT, REAL, ROOT, checkout_env, run_apilint

PET = ROOT / "fixtures" / "examples" / "petstore"
# Readable, but its query parameter's type is misspelt (line 9): fails schema validation.
MISTYPED = (
    "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
    "      responses:\n        '200': {description: ok}\n      parameters:\n"
    "        - {name: q, in: query, schema: {type: strnig}}\n")


def test_text_report_lists_changes_with_file_line_first() -> None:
    r = run_apilint("diff", str(PET / "base.yaml"), str(PET / "revision.yaml"), "--no-color")
    assert r.returncode == 0, r.stderr
    lines = [ln.strip() for ln in r.stdout.splitlines()]
    added = [ln for ln in lines if "[request-required-property-added]" in ln]
    assert len(added) == 1
    file_part, line, col, _ = added[0].split(":", 3)
    assert file_part.endswith("revision.yaml") and int(line) > 0 and int(col) > 0
    text = (PET / "revision.yaml").read_text().splitlines()[int(line) - 1]
    assert "species" in text
    assert lines[-1].startswith("8 changes (5 breaking)")


def test_json_report_contract() -> None:
    r = run_apilint("diff", str(PET / "base.yaml"), str(PET / "revision.yaml"), "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["changes"] == len(data["changes"]) == 8
    for c in data["changes"]:
        for key in ("rule", "category", "compat", "operation", "location", "message"):
            assert key in c
        assert c["location"].startswith("/")
        place = c["revision"] or c["base"]
        assert place["line"] is not None
    removed = [c for c in data["changes"] if c["rule"] == "request-property-removed"]
    assert removed and removed[0]["revision"] is None and removed[0]["base"]["line"] > 0
    shared = [c for c in data["changes"] if c["rule"] == "response-property-added"]
    assert shared[0]["operations"] == ["GET /pets", "GET /pets/{id}", "POST /pets"]


def test_same_file_reports_nothing() -> None:
    r = run_apilint("diff", str(PET / "base.yaml"), str(PET / "base.yaml"), "-f", "json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["changes"] == []


def test_no_docs_drops_doc_changes() -> None:
    r = run_apilint("diff", str(PET / "base.yaml"), str(PET / "revision.yaml"), "-f", "json",
            "--no-docs")
    cats = {c["category"] for c in json.loads(r.stdout)["changes"]}
    assert "doc-change" not in cats and cats


def test_output_file_is_written_and_terminal_shows_text(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = run_apilint("diff", str(PET / "base.yaml"), str(PET / "revision.yaml"), "--format", "json",
            "--output", str(out), "--no-color")
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["summary"]["changes"] == 8
    assert "8 changes" in r.stdout


def test_two_formats_to_stdout_is_a_usage_error() -> None:
    r = run_apilint("diff", str(PET / "base.yaml"), str(PET / "revision.yaml"), "-f", "json", "-f",
            "text")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_missing_file_is_exit_2_one_line() -> None:
    r = run_apilint("diff", str(PET / "base.yaml"), str(PET / "nope.yaml"))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "nope.yaml" in r.stderr


def test_validate_reports_schema_problems_as_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(MISTYPED)
    r = run_apilint("diff", str(spec), str(spec), "-f", "json", "--validate")
    assert r.returncode == 0
    assert json.loads(r.stdout)["changes"] == []
    warnings = json.loads(r.stdout)["warnings"]
    assert any("bad.yaml:9:" in w and "validation" in w for w in warnings), warnings
    plain = run_apilint("diff", str(spec), str(spec), "-f", "json")
    assert json.loads(plain.stdout)["warnings"] == []


def test_validate_never_follows_external_refs(tmp_path: Path) -> None:
    # A remote $ref is bad input unless --ref-map names a local copy (changed deliberately:
    # it used to be compared as text); validation still reads the root file only.
    spec = tmp_path / "ext.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {$ref: 'http://127.0.0.1:9/s.yaml'}\n")
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / "s.yaml").write_text("type: string\n")
    r = run_apilint("diff", str(spec), str(spec), "-f", "json", "--validate", "--root",
                    str(tmp_path), "--ref-map", "http://127.0.0.1:9/=mirror")
    assert r.returncode == 0, r.stderr
    warnings = json.loads(r.stdout)["warnings"]
    assert any("root file only" in w for w in warnings), warnings


def _status_captures(tmp_path: Path) -> tuple[Path, Path]:
    """Two capture folders whose one sample differs only in values (an id and a status)."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "server-get-resp.json").write_text('{"server": {"id": "1", "status": "ACTIVE"}}')
    (b / "server-get-resp.json").write_text('{"server": {"id": "2", "status": "SHUTOFF"}}')
    return a, b


def test_enum_key_compares_recorded_values_only_when_asked(tmp_path: Path) -> None:
    a, b = _status_captures(tmp_path)
    plain = run_apilint("diff", str(a), str(b), "-f", "json")
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout)["changes"] == []
    asked = run_apilint("diff", str(a), str(b), "-f", "json", "--enum-key", "status")
    assert asked.returncode == 0, asked.stderr
    rules = {c["rule"] for c in json.loads(asked.stdout)["changes"]}
    assert rules & {"response-enum-value-added", "response-enum-value-removed"}, rules


def test_output_over_an_input_file_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_bytes((PET / "base.yaml").read_bytes())
    before = base.read_bytes()
    r = run_apilint("diff", str(base), str(PET / "revision.yaml"), "-f", "json", "-o", str(base))
    assert r.returncode == 2
    assert "input file" in r.stderr and r.stderr.count("\n") == 1
    assert r.stdout == ""  # refused before any report was printed
    assert base.read_bytes() == before


def test_enum_values_that_look_like_refs_are_data(tmp_path: Path) -> None:
    spec = tmp_path / "e.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n"
        "              schema: {type: string, enum: [a, {$ref: '#/nope'}]}\n")
    r = run_apilint("diff", str(spec), str(spec), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["changes"] == []


def test_json_refs_read_from_text_still_judged_by_place(tmp_path: Path) -> None:
    data = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {
                "type": "string", "enum": ["a", {"$ref": "#/nope"}]}}}}}}}},
    }
    spec = tmp_path / "e.json"
    spec.write_text(json.dumps(data, indent=1))
    ok = run_apilint("diff", str(spec), str(spec), "-f", "json")
    assert ok.returncode == 0, ok.stderr  # a "$ref" inside enum values is data
    schema = data["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
    schema["schema"] = {"$ref": "#/components/schemas/Gone"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=1))
    r = run_apilint("diff", str(spec), str(bad), "-f", "json")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "bad.json:" in r.stderr and "Gone" in r.stderr
    line = int(r.stderr.split("bad.json:")[1].split(":")[0])
    assert '"$ref"' in bad.read_text().splitlines()[line - 1]


def test_check_validate_warns_in_the_report_and_not_twice(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(MISTYPED)
    r = run_apilint("check", str(spec), str(spec), "-f", "json", "--validate")
    assert r.returncode == 0, r.stderr
    warnings = json.loads(r.stdout)["warnings"]
    assert any("bad.yaml:9:" in w for w in warnings), warnings
    assert "bad.yaml:9:" in r.stderr  # machine format on stdout: warnings also on stderr
    text = run_apilint("check", str(spec), str(spec), "--validate", "--no-color")
    assert "bad.yaml:9:" in text.stdout and text.stderr == ""


@pytest.mark.corpus
def test_program_exit_flushes_output_and_keeps_the_status(tmp_path: Path) -> None:
    """``python -m apilint`` ends with os._exit: every byte still arrives, the status is kept."""
    big = REAL / "kubernetes-release-1.34__release-1.35"
    out = run_apilint("diff", big / "old.json", big / "new.json", "--format", "json",
                      text=False, timeout=300)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout) > 100_000 and json.loads(out.stdout)["changes"]
    written = tmp_path / "report.json"
    out = run_apilint("diff", big / "old.json", big / "new.json", "--format", "json",
                      "--output", written, timeout=300)
    assert out.returncode == 0 and json.loads(written.read_text())["changes"]
    bad = run_apilint("diff", tmp_path / "nope.yaml", PET / "revision.yaml", timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    # A reader that stops early (apilint … | head -1): no complaint about the closed pipe.
    proc = subprocess.Popen([*APILINT, "diff", str(big / "old.json"),
                             str(big / "new.json"), "--format", "json"], env=checkout_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"{"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert proc.returncode == 0


def test_check_compares_values_of_enum_keys_from_config_or_option(tmp_path: Path) -> None:
    a, b = _status_captures(tmp_path)
    same = ("--base-version", "2.1", "--revision-version", "2.1", "-f", "json")
    config = tmp_path / ".apilint.toml"
    config.write_text("policy = 'openstack'\n")
    plain = run_apilint("check", str(a), str(b), "--config", str(config), *same)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert json.loads(plain.stdout)["changes"] == []
    asked = run_apilint("check", str(a), str(b), "--config", str(config), "--enum-key", "status",
                        *same)
    assert asked.returncode == 1, asked.stdout + asked.stderr
    found = json.loads(asked.stdout)
    assert {f["id"] for f in found["findings"]} == {"version-not-bumped"}
    config.write_text("enum-keys = ['status']\n")
    configured = run_apilint("check", str(a), str(b), "--config", str(config), *same)
    assert configured.returncode == 1
    assert json.loads(configured.stdout)["changes"] == found["changes"]
    config.write_text("enum-keys = [1]\n")
    bad = run_apilint("check", str(a), str(b), "--config", str(config), *same)
    assert bad.returncode == 2 and "enum-keys must be a list of strings" in bad.stderr


def test_shell_completion_offers_rule_ids_for_explain() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COMP_WORDS": "apilint explain response-property-a", "COMP_CWORD": "2",
           "_APILINT_COMPLETE": "bash_complete",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-m", "apilint"], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.stdout.split() == ["plain,response-property-added"], proc.stdout + proc.stderr


def test_no_arguments_prints_the_help_and_usage_errors_point_to_it() -> None:
    from click.testing import CliRunner

    from apilint.cli import main

    alone = CliRunner().invoke(main, [])
    assert alone.exit_code == 0 and "Commands:" in alone.output and "check" in alone.output
    missing = CliRunner().invoke(main, ["diff"])
    assert missing.exit_code == 2
    assert missing.output.splitlines() == ["apilint: Missing argument 'BASE'.",
                                           "Try 'apilint diff --help' for help."]
