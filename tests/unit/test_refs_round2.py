"""$ref edge cases of the hostile-input round: anchors, .git, one file under two names, and a
reference to something of the wrong kind — each either compared or refused (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"


def spec(schema_ref: str, extra: str = "") -> str:
    return (HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
            "          description: ok\n          content:\n            application/json:\n"
            f"              schema: {{$ref: '{schema_ref}'}}\n" + extra)


def apilint(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "apilint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def refused(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    for n in needles:
        assert n in proc.stderr, proc.stderr


COMPONENTS = ("components:\n  schemas:\n    A:\n      $anchor: thing\n      type: object\n"
              "      properties: {id: {type: string}}\n")


def test_an_anchor_names_the_schema_that_declares_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(spec("#thing", COMPONENTS))
    (tmp_path / "b.yaml").write_text(spec("#thing", COMPONENTS.replace(
        "{id: {type: string}}", "{id: {type: string}, name: {type: string}}")))
    proc = apilint(["diff", "a.yaml", "b.yaml", "-f", "json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert '"response-property-added"' in proc.stdout


def test_an_anchor_nobody_declares_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(spec("#thing", COMPONENTS))
    (tmp_path / "b.yaml").write_text(spec("#nothing", COMPONENTS))
    refused(apilint(["diff", "a.yaml", "b.yaml"], tmp_path), "b.yaml", "nothing")


def test_a_ref_into_dot_git_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.yaml").write_text("type: object\n")
    (tmp_path / "a.yaml").write_text(spec(".git/config.yaml"))
    (tmp_path / "ok.yaml").write_text(HEAD + "paths: {}\n")
    refused(apilint(["diff", "ok.yaml", "a.yaml"], tmp_path), "a.yaml", ".git")


def test_one_file_under_two_names_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pet.yaml").write_text("type: object\n")
    (tmp_path / "alias.yaml").symlink_to(tmp_path / "schemas" / "pet.yaml")
    text = (HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
            "          description: ok\n          content:\n            application/json:\n"
            "              schema: {$ref: 'schemas/pet.yaml'}\n  /b:\n    get:\n"
            "      responses:\n        '200':\n          description: ok\n          content:\n"
            "            application/json:\n              schema: {$ref: 'alias.yaml'}\n")
    (tmp_path / "a.yaml").write_text(text)
    import apilint.loader as loader
    from apilint.api import Source, compare

    reads: list[str] = []
    original = loader.read_bytes

    def counting(path: str) -> bytes:
        reads.append(os.path.realpath(path))
        return original(path)

    side = Source(str(tmp_path / "a.yaml"), reader=counting)
    cmp = compare(side, side, root=str(tmp_path))
    assert cmp.changes == []
    pet = os.path.realpath(tmp_path / "schemas" / "pet.yaml")
    assert reads.count(pet) <= 2  # once per side at most, never once per name


def test_a_ref_to_the_wrong_kind_of_object_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(spec("#/components/schemas/A", COMPONENTS))
    # A response that is a string, and a schema that is a path item's list.
    bad = (HEAD + "paths:\n  /a:\n    get:\n      responses:\n"
           "        '200': {$ref: '#/info/title'}\n")
    (tmp_path / "bad.yaml").write_text(bad)
    refused(apilint(["diff", "ok.yaml", "bad.yaml"], tmp_path), "bad.yaml")
