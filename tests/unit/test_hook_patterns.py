"""The ``files:`` patterns of the two pre-commit hooks, read from ``.pre-commit-hooks.yaml``.

pre-commit runs a hook on a staged file when ``re.search(files, path)`` matches the path
relative to the repository root (``/`` separators). ``apilint`` must see every YAML or JSON
file (it skips those that are not API descriptions itself); ``apilint-captures`` only recorded
captures: JSON bodies in a ``capture``/``captures``/``api_samples`` folder, and HAR files.
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT


def _pattern(hook_id: str) -> re.Pattern[str]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    found = [h for h in hooks if h["id"] == hook_id]
    assert len(found) == 1, f"{hook_id}: {len(found)} hooks with that id"
    return re.compile(found[0]["files"])


@pytest.mark.parametrize("path", [
    "openapi.yaml", "api/openapi.yml", "specs/v2/compute.json", "swagger.JSON.json",
    "doc/api_samples/servers/server-get-resp.json", "a.b.yaml",
])
def test_apilint_hook_takes_yaml_and_json(path: str) -> None:
    assert _pattern("apilint").search(path), path


@pytest.mark.parametrize("path", [
    "openapi.yaml.bak", "README.md", "api.yaml~", "spec.jsonl", "yaml", "json/notes.txt",
    "config.toml",
])
def test_apilint_hook_leaves_other_files(path: str) -> None:
    assert not _pattern("apilint").search(path), path


@pytest.mark.parametrize("path", [
    "captures/server-get.json", "capture/a.json", "tests/captures/v2.96/server-get-resp.json",
    "doc/api_samples/servers/v2.96/server-get-resp.json", "api_samples/x.json",
    "recordings/servers.har", "servers-base.har",
])
def test_captures_hook_takes_recorded_captures(path: str) -> None:
    assert _pattern("apilint-captures").search(path), path


@pytest.mark.parametrize("path", [
    "openapi.yaml", "openapi.json", "mycaptures/a.json", "captures.json",
    "captures/notes.yaml", "doc/api_samples_old/a.json", "servers.har.json", "servers.harx",
    "api_samples/README.md",
])
def test_captures_hook_leaves_specs_and_other_files(path: str) -> None:
    assert not _pattern("apilint-captures").search(path), path
