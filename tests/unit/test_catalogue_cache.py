"""The parsed catalogue is cached in the user's cache folder, keyed by the rule files' content."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from apilint import catalogue
from tests.conftest import ROOT


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    shipped = Path(catalogue._rules_dir())  # apilint/rules/, beside catalogue.py
    shutil.copytree(shipped, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(catalogue, "_rules_dir", lambda: str(folder))
    catalogue.rules.cache_clear()
    yield folder
    catalogue.rules.cache_clear()


def _caches(folder: Path) -> list[str]:
    cache = folder.parent / "cache" / "apilint"
    return sorted(p.name for p in cache.iterdir()) if cache.is_dir() else []


def test_cache_answers_as_the_yaml_does_and_follows_edits(rules_copy: Path) -> None:
    first = catalogue.rules()
    (written,) = _caches(rules_copy)
    catalogue.rules.cache_clear()
    assert catalogue.rules() == first  # read from the cache this time
    changes = rules_copy / "changes.yaml"
    text = changes.read_text(encoding="utf-8")
    old = first["operation-added"].message
    changes.write_text(text.replace(old, "An operation appeared, {name}", 1), encoding="utf-8")
    catalogue.rules.cache_clear()
    assert catalogue.rules()["operation-added"].message == "An operation appeared, {name}"
    # The new content has a cache of its own; the old one is kept for a while (another
    # checkout or version may still use it) and removed when there are more than _KEEP.
    assert set(_caches(rules_copy)) - {written}
    for i in range(catalogue._KEEP + 2):
        changes.write_text(text.replace(old, f"An operation appeared ({i}), {{name}}", 1),
                           encoding="utf-8")
        catalogue.rules.cache_clear()
        assert catalogue.rules()["operation-added"].message == \
            f"An operation appeared ({i}), {{name}}"
    assert len(_caches(rules_copy)) == catalogue._KEEP


def test_a_broken_cache_is_parsed_again(rules_copy: Path) -> None:
    want = catalogue.rules()
    (name,) = _caches(rules_copy)
    cache = rules_copy.parent / "cache" / "apilint" / name
    cache.write_bytes(b"\x00not marshal")
    catalogue.rules.cache_clear()
    assert catalogue.rules() == want
    # Marshal data of the wrong shape (as many lists as files, not of entries) is no answer.
    cache.write_bytes(marshal.dumps([[1, 2]] * len(catalogue._rule_files())))
    catalogue.rules.cache_clear()
    assert catalogue.rules() == want


def test_a_cache_that_cannot_be_written_costs_only_the_parse(rules_copy: Path) -> None:
    # A file where the cache folder would be: nothing can be written (as in a read-only
    # home, which root, running the suite in CI, would not see as read-only).
    (rules_copy.parent / "cache").mkdir()
    blocked = rules_copy.parent / "cache" / "apilint"
    blocked.write_text("not a folder", encoding="utf-8")
    assert catalogue.rules()["operation-added"].id == "operation-added"
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_nothing_is_written_beside_the_installed_rules(rules_copy: Path) -> None:
    catalogue.rules()
    assert _caches(rules_copy)
    assert sorted(p.name for p in rules_copy.iterdir()) == \
        sorted(p.name for p in Path(catalogue.__file__).parent.joinpath("rules").iterdir()
               if p.name != "__pycache__")


def test_a_json_run_never_imports_pyyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = '{"openapi": "3.0.3", "info": {"title": "t", "version": "%s"}, "paths": {}}'
    (tmp_path / "a.json").write_text(spec % "1", encoding="utf-8")
    (tmp_path / "b.json").write_text(spec % "2", encoding="utf-8")
    probe = ("import sys, apilint.cli as c\n"
             "sys.argv = ['apilint', 'diff', 'a.json', 'b.json', '--format', 'json']\n"
             "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
             "print('yaml' in sys.modules, file=sys.stderr)\n")
    # The cache exists, as after any earlier run.
    catalogue._load_files(catalogue._rule_files())
    assert (tmp_path / "cache" / "apilint").is_dir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "False", out.stderr
