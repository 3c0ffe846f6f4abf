"""Tests exercise this checkout: its code and its rule catalogue, never an installed copy.

The catalogue is the folder ``rules/`` beside ``apilint/catalogue.py`` (the package
``apilint.rules``), so code and catalogue come from the same place by construction: an
editable install of another checkout cannot hand this code a catalogue it was not written with.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, checkout_env, run_apilint

from apilint import catalogue


def test_catalogue_is_the_folder_beside_the_module() -> None:
    beside = Path(catalogue.__file__).resolve().parent / "rules"
    assert Path(catalogue._rules_dir()).resolve() == beside
    assert beside == (ROOT / "apilint" / "rules").resolve()
    assert (beside / "changes.yaml").is_file()


def test_subprocesses_import_this_checkout(tmp_path: Path) -> None:
    code = ("import apilint, apilint.catalogue as c; print(c.__file__); "
            "print(c._rules_dir())")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=checkout_env(),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    module, rules_dir = done.stdout.splitlines()
    assert Path(module).resolve().is_relative_to(ROOT.resolve())
    assert Path(rules_dir).resolve() == Path(module).resolve().parent / "rules"
    assert Path(rules_dir).resolve() == (ROOT / "apilint" / "rules").resolve()


def test_run_apilint_lists_this_checkouts_rules(tmp_path: Path) -> None:
    done = run_apilint("rules", "--format", "json", cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    ids = set(catalogue.rules())
    assert all(f'"{rid}"' in done.stdout for rid in ids)
    assert done.stdout.count('"id"') == len(ids)
