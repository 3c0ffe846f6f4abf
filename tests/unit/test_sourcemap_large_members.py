"""Members longer than ``_READ_OVER`` are confirmed by their own layout, not by counting their
brackets: the answers must stay exactly the plain scanner's, whatever the layout."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from property_settings import property_settings
from test_sourcemap_json_layout import JSON_VALUES, _nudged, _pointers, _same_answers, _weird
from test_sourcemap_layout_misfits import CASES

from apilint import sourcemap


@pytest.fixture(autouse=True)
def every_member_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sourcemap._JsonIndex, "_READ_OVER", 0)


@property_settings(300, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES, st.sampled_from([0, 1, 2, "\t"]), st.integers(0, 10_000))
def test_any_layout_gives_the_plain_answers(value: Any, indent: Any, seed: int) -> None:
    pointers = _pointers(value) + ["/nope", "/0/zz"]
    _same_answers(json.dumps(value, indent=indent, ensure_ascii=False), pointers)
    _same_answers(_weird(value, random.Random(seed)), pointers)
    _same_answers(_nudged(value, random.Random(seed)), pointers)


@pytest.mark.parametrize("name", sorted(CASES))
def test_misfits_give_the_plain_answers(name: str) -> None:
    text, expected = CASES[name]
    smap = _same_answers(text, [*expected, *_pointers(json.loads(text))])
    for pointer, where in expected.items():
        assert smap.position(pointer) == where


def test_a_member_read_by_its_own_layout_is_indexed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = {"paths": {f"/p{i}": {"get": {"tags": ["t"], "x": i}} for i in range(30)},
           "info": {"title": "t"}}
    text = json.dumps(doc, indent=2)
    scans: list[int] = []
    real = sourcemap._JsonIndex._scan_laid_out

    def counting(self: Any, start: int, node: Any, depth: int = 0) -> Any:
        scans.append(start)
        return real(self, start, node, depth)

    monkeypatch.setattr(sourcemap._JsonIndex, "_scan_laid_out", counting)
    smap = _same_answers(text, _pointers(doc))
    assert len(scans) == len(set(scans))  # what confirming read is not read again
    lines = text.split("\n")
    line = lines.index('        "x": 29', lines.index('    "/p29": {')) + 1
    assert smap.position("/paths/~1p29/get/x") == (line, 9)
