"""Golden fixtures: each case is a base/revision pair and the changes a person expects.

Layout (see fixtures/README.md): ``fixtures/rules/<rule-id>/fires/`` must report that rule,
``fixtures/rules/<rule-id>/near-miss/`` is a similar edit that must not; ``fixtures/refactors/``
holds edits that change no API and must report nothing. ``expected.yaml`` lists every change
exactly (rule, category, compat, operation, location), so a case also fails on extra noise.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from apilint.api import compare
from apilint.catalogue import rules

FIXTURES = ROOT / "fixtures"
KEYS = ("rule", "category", "compat", "operation", "location")


def _side(case: Path, name: str) -> Path:
    found = sorted(p for p in case.iterdir() if p.stem == name and p.suffix in
                   (".yaml", ".yml", ".json"))
    assert len(found) == 1, f"{case}: expected one {name}.yaml or {name}.json"
    return found[0]


def _cases() -> list[Path]:
    out: list[Path] = []
    for top in ("rules", "refactors", "cases"):
        base = FIXTURES / top
        if base.is_dir():
            out.extend(sorted(p.parent for p in base.rglob("expected.yaml")))
    return out


def _expected(case: Path) -> dict[str, Any]:
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{case}/expected.yaml must be a mapping"
    assert str(data.get("description", "")).strip(), f"{case}: expected.yaml needs a description"
    return data


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(item.get(k) for k in KEYS)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(case: Path) -> None:
    expected = _expected(case)
    cmp = compare(str(_side(case, "base")), str(_side(case, "revision")), root=str(case))
    got = [c.to_dict() for c in cmp.changes]
    want = expected.get("changes") or []
    assert Counter(_key(c) for c in got) == Counter(_key(w) for w in want), (
        "changes differ from expected.yaml; got:\n"
        + yaml.safe_dump([{k: c[k] for k in KEYS} for c in got], sort_keys=False)
    )
    by_key = {_key(c): c for c in got}
    for w in want:
        c = by_key[_key(w)]
        if "operations" in w:
            assert c["operations"] == w["operations"], f"operations of {w['rule']}"
        for side in ("base", "revision"):
            line = w.get(f"{side}_line")
            if line is not None:
                assert c[side] is not None and c[side]["line"] == line, (
                    f"{side} line of {w['rule']}: {c[side]}")
    for c in got:
        assert c["message"], "every change has a message"


def test_every_change_rule_has_a_firing_case_and_a_near_miss() -> None:
    missing: list[str] = []
    for rule in rules().values():
        if rule.kind != "change":
            continue
        for kind in ("fires", "near-miss"):
            case = FIXTURES / "rules" / rule.id / kind
            if not (case / "expected.yaml").is_file():
                missing.append(f"{rule.id}/{kind}")
                continue
            ids = {c.get("rule") for c in (_expected(case).get("changes") or [])}
            if kind == "fires":
                assert rule.id in ids, f"{case}: expected.yaml does not list {rule.id}"
            else:
                assert rule.id not in ids, f"{case}: a near miss must not report {rule.id}"
    assert not missing, f"{len(missing)} rule fixtures missing: {', '.join(missing)}"


def test_fixture_folders_name_real_rules() -> None:
    known = set(rules())
    folders = {p.name for p in (FIXTURES / "rules").iterdir() if p.is_dir()}
    assert folders <= known, f"fixture folders without a rule: {sorted(folders - known)}"
