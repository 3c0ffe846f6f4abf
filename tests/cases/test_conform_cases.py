"""Golden cases for the findings of ``apilint conform``, run through the real CLI.

Each ``fixtures/conform/<finding-id>/{fires,near-miss}/`` folder holds ``spec.yaml``,
``captures.har`` (built by ``fixtures/conform/make_har.py``) and ``expected.yaml`` with a
``description``, the exact ``findings`` (``id`` and the location ``pointer`` of the JSON report)
and the ``exit`` status. Further cases of a rule are named ``fires-<what>`` or
``near-miss-<what>`` and follow the same contract; instead of ``captures.har`` they may hold
a ``captures/`` folder of bare JSON bodies (Nova's layout) and the ``map.yaml`` call map that
``--map`` reads.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_apilint

from apilint import catalogue

CONFORM = ROOT / "fixtures" / "conform"
KINDS = ("fires", "near-miss")


def conform_rule_ids() -> list[str]:
    """The finding ids that apilint/rules/conform.yaml declares, read from the file itself."""
    path = ROOT / "apilint" / "rules" / "conform.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [e["id"] for e in entries]


def cases() -> list[Path]:
    return sorted(p.parent for p in CONFORM.rglob("expected.yaml"))


def expected_of(case: Path) -> dict[str, Any]:
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{case}/expected.yaml must be a mapping"
    return data


def captures_of(case: Path) -> Path:
    har = case / "captures.har"
    return har if har.is_file() else case / "captures"


def run_cli(case: Path) -> tuple[int, dict[str, Any], str]:
    # Relative paths, as a user types them: the report names the files that way.
    spec = (case / "spec.yaml").relative_to(ROOT)
    captures = captures_of(case).relative_to(ROOT)
    args = ["conform", str(spec), str(captures), "--format", "json"]
    if (case / "map.yaml").is_file():
        args += ["--map", str((case / "map.yaml").relative_to(ROOT))]
    out = run_apilint(*args)
    assert out.returncode in (0, 1), out.stderr
    assert "Traceback" not in out.stderr
    return out.returncode, json.loads(out.stdout), str(captures)


@pytest.mark.parametrize("case", cases(), ids=lambda p: str(p.relative_to(CONFORM)))
def test_conform_fixture(case: Path) -> None:
    expected = expected_of(case)
    assert str(expected.get("description", "")).strip(), "expected.yaml needs a description"
    code, report, captures = run_cli(case)
    got = Counter((f["id"], f["location"]["pointer"]) for f in report["findings"])
    want = Counter((f["id"], f["pointer"]) for f in expected.get("findings") or [])
    assert got == want, json.dumps(report["findings"], indent=2)
    assert code == expected["exit"]
    assert report["exit_code"] == expected["exit"] and report["command"] == "conform"
    assert report["checked"] >= 1
    levels = {r.id: r.level for r in catalogue.rules().values()}
    for f in report["findings"]:
        assert f["level"] == levels[f["id"]]
        # Every finding points into a recorded file, at a line that exists there.
        file = f["location"]["file"]
        assert file == captures or file.startswith(captures + "/"), f
        lines = (ROOT / file).read_text(encoding="utf-8").splitlines()
        line = f["location"]["line"]
        assert isinstance(line, int) and 1 <= line <= len(lines), f
        # Every placeholder of the rule's message was filled (path templates keep theirs).
        holes = set(re.findall(r"\{(\w+)\}", catalogue.rules()[f["id"]].message))
        assert not holes & set(re.findall(r"\{(\w+)\}", f["message"])), f["message"]


def test_every_conform_rule_has_both_cases() -> None:
    ids = conform_rule_ids()
    assert ids, "apilint/rules/conform.yaml lists no findings"
    on_disk = {p.name for p in CONFORM.iterdir() if p.is_dir()}
    assert on_disk == set(ids), "fixtures/conform folders and apilint/rules/conform.yaml differ"
    for rid in ids:
        for kind in KINDS:
            case = CONFORM / rid / kind
            for name in ("spec.yaml", "captures.har", "expected.yaml"):
                assert (case / name).is_file(), f"{rid}/{kind}/{name} missing"
        for case in (p for p in (CONFORM / rid).iterdir() if p.is_dir()):
            kind = case.name
            assert captures_of(case).exists(), f"{case} has no captures.har or captures/"
            assert kind in KINDS or kind.startswith(("fires-", "near-miss-")), case
            found = [f["id"] for f in expected_of(case).get("findings") or []]
            if kind.startswith("fires"):
                assert rid in found, f"{rid}/{kind} does not expect {rid}"
            else:
                assert rid not in found, f"{rid}/{kind} expects {rid}"
        # The exit status follows the level: an error finding fails the run.
        level = catalogue.rules()[rid].level
        assert expected_of(CONFORM / rid / "fires")["exit"] == (1 if level == "error" else 0)


def test_har_files_match_their_generator() -> None:
    spec = importlib.util.spec_from_file_location("conform_make_har", CONFORM / "make_har.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = set(module.CASES)
    assert built == {p.relative_to(CONFORM).as_posix() for p in cases()
                     if (p / "captures.har").exists()}
    for case in sorted(built):
        har = CONFORM / case / "captures.har"
        assert har.read_text(encoding="utf-8") == module.build(case), \
            f"{har} was edited by hand; change make_har.py and re-run it"
