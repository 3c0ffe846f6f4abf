"""Edits that change nothing a client sees stay quiet, and what is reported is easy to place.

Issue 9: whitespace-only text edits and respelled x-openstack keys are no change; unknown
schema keywords are words only; output is in natural order in every format; tags-changed
names the tags; a part added by ``$ref`` is reported at the ``$ref`` (and gated by the
definition's own min-ver); path-item words are compared like an operation's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT

from apilint.api import compare
from apilint.cli import main
from apilint.model import Change
from apilint.pointer import natural_key

FIXTURES = ROOT / "fixtures"


def _write(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return str(path)


def _side(case: Path, name: str) -> Path:
    return next(p for p in sorted(case.iterdir()) if p.stem == name)


# -- messages a fixture spells out ----------------------------------------------------------
def _message_cases() -> list[Path]:
    out = []
    for expected in sorted(FIXTURES.rglob("expected.yaml")):
        data = yaml.safe_load(expected.read_text(encoding="utf-8")) or {}
        if any(isinstance(c, dict) and "message" in c for c in data.get("changes") or []):
            out.append(expected.parent)
    return out


@pytest.mark.parametrize("case", _message_cases(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_messages(case: Path) -> None:
    """A ``message`` in expected.yaml is the exact text of that change."""
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    got = compare(str(_side(case, "base")), str(_side(case, "revision")), root=str(case))
    by_place = {(c.rule, c.location): c.message for c in got.changes}
    for want in data["changes"]:
        if "message" in want:
            assert by_place.get((want["rule"], want["location"])) == want["message"]


def test_there_are_message_cases() -> None:
    assert any("tags-changed" in str(c) for c in _message_cases())


# -- natural order --------------------------------------------------------------------------
def test_natural_key_orders_numbers_as_numbers() -> None:
    pointers = ["/enum/122", "/enum/94", "/enum/9", "/paths/~1v10~1x", "/paths/~1v2~1x", ""]
    assert sorted(pointers, key=natural_key) == [
        "", "/enum/9", "/enum/94", "/enum/122", "/paths/~1v2~1x", "/paths/~1v10~1x"]


def test_change_sort_key_is_natural_for_operations_and_locations() -> None:
    def ch(op: str, loc: str) -> Change:
        return Change("r", "doc-change", "none", op, loc, "m")

    changes = [ch("GET /v10/a", "/x/1"), ch("GET /v2/a", "/x/10"), ch("GET /v2/a", "/x/9")]
    changes.sort(key=Change.sort_key)
    assert [(c.operation, c.location) for c in changes] == [
        ("GET /v2/a", "/x/9"), ("GET /v2/a", "/x/10"), ("GET /v10/a", "/x/1")]


@pytest.fixture()
def enum_pair(tmp_path: Path) -> tuple[str, str]:
    """A response enum of 130 values; the revision adds the values at indexes 9, 94 and 122
    (text order would put /enum/122 before /enum/9 and /enum/94)."""
    values = [f"state_{i}" for i in range(130)]

    def doc(vals: list[str]) -> dict[str, Any]:
        schema = {"type": "string", "enum": vals}
        return {"openapi": "3.0.3", "info": {"title": "States", "version": "1.0.0"},
                "paths": {"/states": {"get": {"responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}}}}}}}}

    base = _write(tmp_path / "base.yaml", doc([v for i, v in enumerate(values)
                                                if i not in (9, 94, 122)]))
    rev = _write(tmp_path / "revision.yaml", doc(values))
    return base, rev


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif", "junit", "github"])
def test_every_format_lists_changes_in_natural_order(fmt: str,
                                                     enum_pair: tuple[str, str]) -> None:
    result = CliRunner().invoke(main, ["diff", "--format", fmt, *enum_pair])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        locations = [c["location"] for c in json.loads(out)["changes"]]
        assert [loc.rsplit("/", 1)[1] for loc in locations] == ["9", "94", "122"]
        return
    # Every other format names each change's revision line (one value per line of YAML).
    pattern = r"line=(\d+)" if fmt == "github" else r'"startLine": (\d+)' if fmt == "sarif" \
        else r"revision\.yaml:(\d+)"
    lines = [int(n) for n in re.findall(pattern, out)]
    lines = list(dict.fromkeys(lines))  # a format may name a place twice
    assert len(lines) == 3 and lines == sorted(lines), out


# -- unknown keywords -----------------------------------------------------------------------
def _schema_pair(tmp_path: Path, version: str, before: dict[str, Any],
                 after: dict[str, Any]) -> list[Change]:
    def doc(schema: dict[str, Any]) -> dict[str, Any]:
        if version == "2.0":
            return {"swagger": "2.0", "info": {"title": "T", "version": "1.0.0"},
                    "paths": {"/a": {"get": {"responses": {"200": {
                        "description": "ok", "schema": schema}}}}}}
        return {"openapi": version, "info": {"title": "T", "version": "1.0.0"},
                "paths": {"/a": {"get": {"responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}}}}}}}}

    base = _write(tmp_path / "base.yaml", doc(before))
    rev = _write(tmp_path / "revision.yaml", doc(after))
    return compare(base, rev, root=str(tmp_path)).changes


@pytest.mark.parametrize("version, keyword, rule", [
    ("3.1.0", "additonalProperties", "schema-unknown-keyword-changed"),
    ("3.1.0", "dependentRequired", "unclassified-change"),
    ("3.0.3", "additonalProperties", "schema-unknown-keyword-changed"),
    ("3.0.3", "xml", "unclassified-change"),
    ("2.0", "xml", "unclassified-change"),
    ("2.0", "requried", "schema-unknown-keyword-changed"),
])
def test_unknown_keyword_is_words_only(tmp_path: Path, version: str, keyword: str,
                                       rule: str) -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}}}
    value = {"id": ["name"]} if keyword == "dependentRequired" else (
        {"name": "thing"} if keyword == "xml" else False)
    changes = _schema_pair(tmp_path, version, base, {**base, keyword: value})
    assert [(c.rule, c.location.rsplit("/", 1)[1]) for c in changes] == [(rule, keyword)]
    want = ("doc-change", "none") if rule.startswith("schema-unknown") else \
        ("behavior-change", "breaking")
    assert (changes[0].category, changes[0].compat) == want


def test_unknown_keyword_of_either_side_version_is_known(tmp_path: Path) -> None:
    """3.0 -> 3.1: a keyword known to one side's version (dependentRequired in 3.1) is not a
    typo."""
    base = _write(tmp_path / "base.yaml", {
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object"}}}}}}}}})
    rev = _write(tmp_path / "revision.yaml", {
        "openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "dependentRequired": {"a": ["b"]}}}}}}}}}})
    rules = {c.rule for c in compare(base, rev, root=str(tmp_path)).changes}
    assert "unclassified-change" in rules and "schema-unknown-keyword-changed" not in rules


# -- whitespace in text, exact data ---------------------------------------------------------
def test_whitespace_in_enum_values_is_a_change(tmp_path: Path) -> None:
    changes = _schema_pair(tmp_path, "3.0.3", {"type": "string", "enum": ["a b"]},
                           {"type": "string", "enum": ["a  b"]})
    assert sorted(c.rule for c in changes) == ["response-enum-value-added",
                                               "response-enum-value-removed"]


def test_property_named_description_is_compared_as_a_schema(tmp_path: Path) -> None:
    """In ``properties`` a member called ``description`` is a schema, not text."""
    changes = _schema_pair(
        tmp_path, "3.0.3",
        {"type": "object", "properties": {"description": {"type": "string"}}},
        {"type": "object", "properties": {"description": {"type": "integer"}}})
    assert [c.rule for c in changes] == ["response-type-changed"]


def test_rewrapped_callback_and_link_words_are_no_change(tmp_path: Path) -> None:
    def doc(text: str) -> dict[str, Any]:
        return {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {
            "/subs": {"post": {
                "callbacks": {"onEvent": {"{$request.body#/url}": {"post": {
                    "description": text,
                    "responses": {"200": {"description": text}}}}}},
                "responses": {"201": {"description": "ok", "links": {"Get": {
                    "operationId": "getSub", "description": text}}}}}}}}

    base = _write(tmp_path / "base.yaml", doc("Sent when the event fires."))
    rev = _write(tmp_path / "revision.yaml", doc("Sent when the\n  event fires.\n"))
    assert compare(base, rev, root=str(tmp_path)).changes == []
    rev = _write(tmp_path / "revision.yaml", doc("Sent when an event fires."))
    assert {c.rule for c in compare(base, rev, root=str(tmp_path)).changes} == {
        "description-changed", "links-changed"}


# -- added by reference: the gate reads the definition's min-ver -------------------------------
def _openstack_pair(tmp_path: Path, component_range: dict[str, str] | None) -> tuple[str, str]:
    limit: dict[str, Any] = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    if component_range is not None:
        limit["x-openstack"] = component_range

    def doc(version: str, params: list[Any]) -> dict[str, Any]:
        return {"openapi": "3.1.0", "info": {"title": "Compute", "version": version},
                "paths": {"/v2.1/servers": {"get": {
                    "x-openstack": {"min-ver": "2.1"},
                    "parameters": params,
                    "responses": {"200": {"description": "ok"}}}}},
                "components": {"parameters": {"Limit": limit}}}

    base = _write(tmp_path / "base.yaml", doc("2.95", []))
    rev = _write(tmp_path / "revision.yaml",
                 doc("2.96", [{"$ref": "#/components/parameters/Limit"}]))
    return base, rev


def _check(base: str, rev: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", base, rev])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_parameter_added_by_ref_is_gated_by_its_definition(tmp_path: Path) -> None:
    base, rev = _openstack_pair(tmp_path, {"min-ver": "2.96"})
    code, report = _check(base, rev)
    assert code == 0 and report["findings"] == []
    (change,) = report["changes"]
    assert change["location"] == "/paths/~1v2.1~1servers/get/parameters/0"


def test_parameter_added_by_ref_without_a_gate_is_not_gated(tmp_path: Path) -> None:
    base, rev = _openstack_pair(tmp_path, None)
    code, report = _check(base, rev)
    assert code == 1
    (finding,) = report["findings"]
    assert finding["id"] == "change-not-gated"
    # The finding lands on the operation's $ref, the line the edit touched.
    assert finding["location"]["pointer"] == "/paths/~1v2.1~1servers/get/parameters/0"


def test_parameter_added_by_ref_below_the_base_is_outside_the_range(tmp_path: Path) -> None:
    base, rev = _openstack_pair(tmp_path, {"min-ver": "2.40"})
    code, report = _check(base, rev)
    assert code == 1
    assert [f["id"] for f in report["findings"]] == ["gate-outside-range"]
