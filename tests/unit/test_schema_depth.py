"""Schemas are compared at any depth up to MAX_DEPTH, and past it the run fails closed.

Components that nest through ``$ref`` chains (an allOf inheritance chain, objects whose
property names the next object) have no depth of their own in any one file, so the loader's
nesting limit does not bound them; the differ does, with an error that names the file and
the limit rather than a skipped change or a Python crash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from apilint.api import compare
from apilint.errors import InputError


def _spec(levels: int, max_length: int, mode: str) -> dict[str, Any]:
    """GET /x returns L0; each L<i> reaches L<i+1> (allOf member or a property); the last
    one has ``name`` with ``max_length``."""
    schemas: dict[str, Any] = {}
    for i in range(levels):
        ref = {"$ref": f"#/components/schemas/L{i + 1}"}
        schemas[f"L{i}"] = ({"allOf": [ref, {"properties": {f"f{i}": {"type": "string"}}}]}
                            if mode == "allof" else
                            {"type": "object", "properties": {"next": ref}})
    schemas[f"L{levels}"] = {"type": "object",
                             "properties": {"name": {"type": "string", "maxLength": max_length}}}
    # The top schema differs too, so its allOf view is built and merged all the way down.
    schemas["L0"].setdefault("description", f"top, capped at {max_length}")
    return {"openapi": "3.0.3", "info": {"title": "deep", "version": "1"},
            "paths": {"/x": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/L0"}}}}}}}},
            "components": {"schemas": schemas}}


def _pair(tmp_path: Path, levels: int, mode: str) -> tuple[str, str]:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(_spec(levels, 255, mode)))
    b.write_text(json.dumps(_spec(levels, 64, mode)))
    return str(a), str(b)


@pytest.mark.parametrize("mode", ["allof", "props"])
@pytest.mark.parametrize("levels", [55, 400])
def test_a_change_deep_below_is_seen(tmp_path: Path, mode: str, levels: int) -> None:
    changes = compare(*_pair(tmp_path, levels, mode), root=str(tmp_path)).changes
    rules = {(c.rule, c.location) for c in changes}
    assert ("response-constraint-tightened",
            f"/components/schemas/L{levels}/properties/name/maxLength") in rules


def test_inline_allof_nesting_below_fifty_levels_is_merged(tmp_path: Path) -> None:
    def spec(max_length: int) -> dict[str, Any]:
        schema: dict[str, Any] = {"properties": {"name": {"type": "string",
                                                          "maxLength": max_length}}}
        for _ in range(70):
            schema = {"allOf": [schema]}
        return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {
                    "schema": schema}}}, "responses": {"204": {"description": "ok"}}}}}}

    (tmp_path / "a.json").write_text(json.dumps(spec(10)))
    (tmp_path / "b.json").write_text(json.dumps(spec(20)))
    changes = compare(str(tmp_path / "a.json"), str(tmp_path / "b.json"),
                      root=str(tmp_path)).changes
    assert [c.rule for c in changes] == ["request-constraint-loosened"]


@pytest.mark.parametrize("mode", ["allof", "props"])
def test_past_max_depth_is_exit_2_naming_file_and_limit(tmp_path: Path, mode: str) -> None:
    a, b = _pair(tmp_path, 3000, mode)
    with pytest.raises(InputError) as err:
        compare(a, b, root=str(tmp_path))
    # The side where the walk meets the limit first is named, with its file and line.
    assert "MAX_DEPTH" in str(err.value) and ".json:1:" in str(err.value)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "apilint", "diff", a, b], capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 2, r.stdout
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert str(tmp_path) in r.stderr and "MAX_DEPTH" in r.stderr
