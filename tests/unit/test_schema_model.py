"""How the differ reads schemas: allOf members that declare the same thing, readOnly and
writeOnly by direction, open enums, `false` properties and keywords that do not apply.

The golden cases under fixtures/ pin realistic examples; these tests vary the edges.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apilint.api import compare


def _doc(schema: Any, *, request: bool = False, extra: dict[str, Any] | None = None,
         version: str = "3.1.0") -> dict[str, Any]:
    """One call whose response (or request body) is ``schema``; ``extra`` components."""
    media = {"application/json": {"schema": schema}}
    op: dict[str, Any] = {"responses": {"200": {"description": "ok"}}}
    if request:
        op["requestBody"] = {"content": media}
    else:
        op["responses"]["200"]["content"] = media
    return {"openapi": version, "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"post": op}},
            "components": {"schemas": extra or {}}}


def _diff(tmp_path: Path, base: dict[str, Any], rev: dict[str, Any]) -> list[tuple[str, str]]:
    (tmp_path / "a.json").write_text(json.dumps(base))
    (tmp_path / "b.json").write_text(json.dumps(rev))
    cmp = compare(str(tmp_path / "a.json"), str(tmp_path / "b.json"), root=str(tmp_path))
    return sorted((c.rule, c.location) for c in cmp.changes)


REFERENCE = {"type": "object", "required": ["id"],
             "properties": {"id": {"type": "string"},
                            "kind": {"type": "string", "enum": ["a", "b", "c", "d"],
                                     "maxLength": 32}}}


def _narrowed(enum: list[str], max_length: int) -> dict[str, Any]:
    return {"allOf": [{"$ref": "#/components/schemas/Reference"},
                      {"properties": {"kind": {"enum": enum, "maxLength": max_length}}}]}


def test_a_change_in_the_second_declaration_is_seen(tmp_path: Path) -> None:
    got = _diff(tmp_path, _doc(_narrowed(["a", "b"], 16), extra={"Reference": REFERENCE}),
                _doc(_narrowed(["a", "b", "c"], 16), extra={"Reference": REFERENCE}))
    assert got == [("response-enum-value-added", "/paths/~1things/post/responses/200/content/"
                    "application~1json/schema/allOf/1/properties/kind/enum/2")]


def test_a_change_in_the_first_declaration_that_the_second_masks_is_no_change(
        tmp_path: Path) -> None:
    # "d" leaves the base member's enum, but the refinement never allowed it: same values.
    wider = copy.deepcopy(REFERENCE)
    wider["properties"]["kind"]["enum"] = ["a", "b", "c"]
    got = _diff(tmp_path, _doc(_narrowed(["a", "b"], 16), extra={"Reference": REFERENCE}),
                _doc(_narrowed(["a", "b"], 16), extra={"Reference": wider}))
    assert [r for r, _ in got if "enum" in r] == []


def test_the_binding_bound_is_the_smaller_maximum(tmp_path: Path) -> None:
    # 32 in the base member, 16 in the refinement: raising the base to 64 changes nothing,
    # lowering it to 8 tightens.
    def ref(n: int) -> dict[str, Any]:
        r = copy.deepcopy(REFERENCE)
        r["properties"]["kind"]["maxLength"] = n
        return r

    base = _doc(_narrowed(["a"], 16), extra={"Reference": ref(32)})
    assert _diff(tmp_path, base, _doc(_narrowed(["a"], 16), extra={"Reference": ref(64)})) == []
    got = _diff(tmp_path, base, _doc(_narrowed(["a"], 16), extra={"Reference": ref(8)}))
    assert got == [("response-constraint-tightened",
                    "/components/schemas/Reference/properties/kind/maxLength")]


def test_two_patterns_both_apply(tmp_path: Path) -> None:
    def spec(second: str) -> dict[str, Any]:
        return _doc({"allOf": [{"type": "string", "pattern": "^[a-z]+$"},
                               {"pattern": second}]}, request=True)

    got = _diff(tmp_path, spec("^.{1,8}$"), spec("^.{1,4}$"))
    assert got == [("request-pattern-changed", "/paths/~1things/post/requestBody/content/"
                    "application~1json/schema/allOf/1/pattern")]


def test_required_by_either_member_is_required(tmp_path: Path) -> None:
    def spec(req: list[str]) -> dict[str, Any]:
        return _doc({"allOf": [{"$ref": "#/components/schemas/Reference"},
                               {"required": req}]}, request=True,
                    extra={"Reference": REFERENCE})

    got = _diff(tmp_path, spec(["id"]), spec(["id", "kind"]))
    assert got == [("request-property-became-required", "/paths/~1things/post/requestBody/"
                    "content/application~1json/schema/allOf/1/required/1")]


# Constraint sets split over two allOf members mean their conjunction; written as one schema
# (each bound the binding one, the enum the intersection) they must compare equal.
BOUNDS = st.fixed_dictionaries({}, optional={
    "minLength": st.integers(0, 5), "maxLength": st.integers(6, 40),
    "enum": st.lists(st.sampled_from(["x", "y", "z", "w"]), min_size=1, max_size=4,
                     unique=True)})


def _flatten(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    out = {**a, **b}
    if "minLength" in a and "minLength" in b:
        out["minLength"] = max(a["minLength"], b["minLength"])
    if "maxLength" in a and "maxLength" in b:
        out["maxLength"] = min(a["maxLength"], b["maxLength"])
    if "enum" in a and "enum" in b:
        out["enum"] = [v for v in a["enum"] if v in b["enum"]]
        if not out["enum"]:
            return None
    return out


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=BOUNDS, b=BOUNDS, request=st.booleans())
def test_flattening_an_allof_is_no_change(tmp_path: Path, a: dict[str, Any],
                                          b: dict[str, Any], request: bool) -> None:
    flat = _flatten(a, b)
    if flat is None:
        return  # no value satisfies both members: nothing to flatten to
    split = {"type": "object", "properties": {"name": {
        "allOf": [{"type": "string", **a}, b]}}}
    one = {"type": "object", "properties": {"name": {"type": "string", **flat}}}
    assert _diff(tmp_path, _doc(split, request=request), _doc(one, request=request)) == []


SERVER = {"type": "object", "properties": {
    "id": {"type": "string", "readOnly": True},
    "name": {"type": "string"},
    "password": {"type": "string", "writeOnly": True}}}


def test_read_only_is_not_part_of_a_request(tmp_path: Path) -> None:
    rev = copy.deepcopy(SERVER)
    del rev["properties"]["id"]
    rev["properties"]["created"] = {"type": "string", "readOnly": True}
    assert _diff(tmp_path, _doc(SERVER, request=True), _doc(rev, request=True)) == []
    # ... but it is part of a response
    got = {r for r, _ in _diff(tmp_path, _doc(SERVER), _doc(rev))}
    assert got == {"response-property-removed", "response-property-added"}


def test_write_only_is_not_part_of_a_response(tmp_path: Path) -> None:
    rev = copy.deepcopy(SERVER)
    rev["properties"]["password"]["minLength"] = 12
    assert _diff(tmp_path, _doc(SERVER), _doc(rev)) == []
    got = _diff(tmp_path, _doc(SERVER, request=True), _doc(rev, request=True))
    assert [r for r, _ in got] == ["request-constraint-tightened"]


def test_read_only_through_a_ref_and_allof_counts(tmp_path: Path) -> None:
    stamp = {"type": "string", "format": "date-time", "readOnly": True}
    base = {"type": "object", "properties": {
        "created": {"allOf": [{"$ref": "#/components/schemas/Stamp"}],
                    "description": "When it was made."}}}
    rev = {"type": "object", "properties": {}}
    assert _diff(tmp_path, _doc(base, request=True, extra={"Stamp": stamp}),
                 _doc(rev, request=True, extra={"Stamp": stamp})) == []


def test_toggling_read_only_is_classified_by_direction(tmp_path: Path) -> None:
    rev = copy.deepcopy(SERVER)
    rev["properties"]["name"]["readOnly"] = True
    assert [r for r, _ in _diff(tmp_path, _doc(SERVER, request=True),
                                _doc(rev, request=True))] == ["request-read-only-added"]
    assert _diff(tmp_path, _doc(SERVER), _doc(rev)) == []
    assert [r for r, _ in _diff(tmp_path, _doc(rev, request=True),
                                _doc(SERVER, request=True))] == ["request-read-only-removed"]


def test_toggling_write_only_is_classified_by_direction(tmp_path: Path) -> None:
    rev = copy.deepcopy(SERVER)
    rev["properties"]["name"]["writeOnly"] = True
    assert [r for r, _ in _diff(tmp_path, _doc(SERVER), _doc(rev))] == [
        "response-write-only-added"]
    assert _diff(tmp_path, _doc(SERVER, request=True), _doc(rev, request=True)) == []
    assert [r for r, _ in _diff(tmp_path, _doc(rev), _doc(SERVER))] == [
        "response-write-only-removed"]


def test_open_enum_in_both_directions(tmp_path: Path) -> None:
    def spec(values: list[str], request: bool) -> dict[str, Any]:
        return _doc({"type": "string", "x-extensible-enum": values}, request=request)

    cases = {(True, ("a", "b"), ("a",)): ("extensible-enum-value-removed", "breaking"),
             (False, ("a", "b"), ("a",)): ("extensible-enum-value-removed", "compatible"),
             (False, ("a",), ("a", "b")): ("extensible-enum-value-added", "compatible"),
             (True, ("a",), ("a", "b")): ("extensible-enum-value-added", "compatible")}
    for (request, before, after), want in cases.items():
        (tmp_path / "a.json").write_text(json.dumps(spec(list(before), request)))
        (tmp_path / "b.json").write_text(json.dumps(spec(list(after), request)))
        changes = compare(str(tmp_path / "a.json"), str(tmp_path / "b.json"),
                          root=str(tmp_path)).changes
        assert [(c.rule, c.compat) for c in changes] == [want], (request, before, after)


def test_x_nullable_and_nullable_are_one_thing(tmp_path: Path) -> None:
    a = _doc({"type": "object", "properties": {"n": {"type": "string", "x-nullable": True}}},
             version="3.0.3")
    b = _doc({"type": "object", "properties": {"n": {"type": "string", "nullable": True}}},
             version="3.0.3")
    assert _diff(tmp_path, a, b) == []


def test_false_property_is_absent(tmp_path: Path) -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}, "old": False}}
    rev = {"type": "object", "properties": {"id": {"type": "string"}}}
    for request in (True, False):
        assert _diff(tmp_path, _doc(base, request=request), _doc(rev, request=request)) == []


def test_keywords_of_another_type_are_not_compared(tmp_path: Path) -> None:
    def spec(extra: dict[str, Any], kind: str) -> dict[str, Any]:
        return _doc({"type": "object", "properties": {"v": {"type": kind, **extra}}},
                    request=True)

    for kind, extra in (("null", {"additionalProperties": False}),
                        ("integer", {"maxLength": 3}),
                        ("string", {"items": {"type": "integer"}, "minimum": 2}),
                        ("boolean", {"properties": {"x": {"type": "string"}}})):
        assert _diff(tmp_path, spec(extra, kind), spec({}, kind)) == [], kind
    # where they apply, they are compared
    assert _diff(tmp_path, spec({"maxLength": 3}, "string"), spec({}, "string")) != []
