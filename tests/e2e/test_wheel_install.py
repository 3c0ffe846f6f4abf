"""A plain (non-editable) wheel carries the rule catalogue and runs outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_ships_the_catalogue_and_works_from_elsewhere(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("apilint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("apilint/rules/")}
    in_repo = {p.name for p in (ROOT / "apilint" / "rules").glob("*.yaml")}
    assert in_repo and in_repo <= shipped

    env_dir = tmp_path / "venv"
    # Dependencies come from the test environment; apilint itself only from the wheel.
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    py = env_dir / "bin" / "python"
    # The installed wheel, not this checkout: a PYTHONPATH that names the checkout (as the
    # brief's `PYTHONPATH=$PWD python -m pytest` does) would shadow it.
    outside = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # --ignore-installed: CI has already done `pip install .` into the interpreter this venv
    # borrows its site-packages from, and pip would otherwise call the wheel "already satisfied".
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps",
                    "--ignore-installed", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=300)
    where = subprocess.run([str(py), "-c", "import apilint; print(apilint.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True, env=outside)
    assert str(env_dir) in where.stdout
    rules = subprocess.run([str(env_dir / "bin" / "apilint"), "rules", "--format", "json"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60, env=outside)
    assert rules.returncode == 0, rules.stderr
    assert '"operation-removed"' in rules.stdout
    pet = ROOT / "fixtures" / "examples" / "petstore"
    diff = subprocess.run([str(env_dir / "bin" / "apilint"), "diff", str(pet / "base.yaml"),
                           str(pet / "revision.yaml"), "--no-color"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env=outside)
    assert diff.returncode == 0, diff.stderr
    assert "8 changes" in diff.stdout
