"""Inputs that must not be mixed silently (issue 9): a spec against captures is a usage error
that points at ``apilint conform``; two single capture files given explicitly are one call
whatever their names.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

PETSTORE = ROOT / "fixtures" / "examples" / "petstore" / "base.yaml"
HAR = ROOT / "fixtures" / "captures" / "servers-base.har"
NOVA = CORPUS / "nova-api-samples"


def _apilint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "apilint", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def _body(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["diff", "check"])
@pytest.mark.parametrize("captures_first", [False, True])
def test_spec_against_har_is_a_usage_error_naming_conform(command: str,
                                                          captures_first: bool) -> None:
    pair = [str(HAR), str(PETSTORE)] if captures_first else [str(PETSTORE), str(HAR)]
    out = _apilint(command, *pair)
    assert out.returncode == 2, out.stdout
    assert out.stdout == "" and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"apilint: {HAR}: holds recorded captures")
    assert f"apilint conform {PETSTORE} {HAR}" in out.stderr


def test_spec_against_one_bare_body_is_a_usage_error(tmp_path: Path) -> None:
    body = _body(tmp_path / "server-get-resp.json", {"server": {"id": "a1"}})
    out = _apilint("diff", str(body), str(PETSTORE))
    assert out.returncode == 2 and "apilint conform" in out.stderr
    assert "operation" not in out.stdout  # nothing reported as removed or added


def test_two_single_files_are_one_call_whatever_their_names(tmp_path: Path) -> None:
    base = _body(tmp_path / "server-get-resp.json",
                 {"server": {"id": "a1", "name": "web", "status": "ACTIVE"}})
    rev = _body(tmp_path / "v2.96" / "server-show-with-pinned-az-resp.json",
                {"server": {"id": "a1", "name": "web", "status": "ACTIVE",
                            "pinned_availability_zone": "az1"}})
    out = _apilint("diff", "--format", "json", str(base), str(rev))
    assert out.returncode == 0, out.stderr
    changes = json.loads(out.stdout)["changes"]
    rules = sorted(c["rule"] for c in changes)
    assert "operation-added" not in rules and "operation-removed" not in rules
    added = [c for c in changes if c["rule"] == "response-property-added"]
    assert len(added) == 1 and added[0]["location"].endswith(
        "/properties/server/properties/pinned_availability_zone")
    # The call is named after the base file; the change points into the revision's file.
    assert added[0]["operation"].endswith("/server-get")
    assert added[0]["revision"]["file"] == str(rev)


def test_identical_bodies_under_different_names_are_no_change(tmp_path: Path) -> None:
    data = {"lock": None}
    base = _body(tmp_path / "lock-server.json", data)
    rev = _body(tmp_path / "copy" / "lock-server-again.json", data)
    out = _apilint("diff", "--format", "json", str(base), str(rev))
    assert out.returncode == 0 and json.loads(out.stdout)["changes"] == []


@pytest.mark.corpus
def test_nova_lock_server_with_reason_compares_the_two_bodies() -> None:
    """The issue's example: lock-server.json against v2.73/lock-server-with-reason.json."""
    folder = NOVA / "os-lock-server"
    out = _apilint("diff", "--format", "json", "lock-server.json",
                   "v2.73/lock-server-with-reason.json", cwd=folder)
    assert out.returncode == 0, out.stderr
    changes = json.loads(out.stdout)["changes"]
    assert {c["operation"] for c in changes} == {"POST /lock-server"}
    # "lock": null became an object: one change, its new properties folded into it (a
    # keyword of the new type is not compared against a type that had none).
    assert {c["rule"] for c in changes} == {"request-type-changed"}
    assert all(c["category"] not in ("new-call", "removed-call") for c in changes)


def test_two_capture_folders_still_pair_by_file_name(tmp_path: Path) -> None:
    """Folders hold many calls: there the file name is the call, as before."""
    _body(tmp_path / "a" / "server-get-resp.json", {"server": {"id": "a1"}})
    _body(tmp_path / "b" / "server-show-resp.json", {"server": {"id": "a1"}})
    out = _apilint("diff", "--format", "json", str(tmp_path / "a"), str(tmp_path / "b"))
    assert out.returncode == 0, out.stderr
    rules = sorted(c["rule"] for c in json.loads(out.stdout)["changes"])
    assert rules.count("operation-removed") == 1 and rules.count("operation-added") == 1
