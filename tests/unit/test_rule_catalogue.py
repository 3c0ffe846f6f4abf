"""Meta-tests of the rule catalogue (apilint/rules/*.yaml) against the code that uses it.

The catalogue is data, so nothing else notices when an id is misspelt, a message names a
placeholder the classifier never fills, a rule is dead (no code path emits it) or the code
emits an id the catalogue does not know. These tests read the YAML files directly, iterate
``apilint.diff.Kind`` (every delta kind the differ can produce) against the ``delta`` each
change rule names, and run ``apilint explain`` through the real command line.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, run_apilint

from apilint import classify
from apilint.catalogue import rules
from apilint.cli import main
from apilint.diff import Delta, Hit, Kind

RULES_DIR = ROOT / "apilint" / "rules"
CATEGORIES = {"new-call", "removed-call", "added-field", "removed-field", "behavior-change",
              "doc-change"}
COMPATS = {"breaking", "compatible", "none"}
DIRECTIONS = {"request", "response", "default"}
KEBAB = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+")


def _raw_entries() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(RULES_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append((path.name, entry))
    return out


def _change_rules() -> list[Any]:
    return [r for r in rules().values() if r.kind == "change"]


def test_ids_are_kebab_case_and_unique_across_all_files() -> None:
    seen: dict[str, str] = {}
    dupes: list[str] = []
    bad: list[str] = []
    for name, entry in _raw_entries():
        rid = entry.get("id")
        if not isinstance(rid, str) or not KEBAB.fullmatch(rid):
            bad.append(f"{name}: {rid!r}")
            continue
        if rid in seen:
            dupes.append(f"{rid} ({seen[rid]} and {name})")
        seen[rid] = name
    assert not bad, f"ids not kebab-case: {bad}"
    assert not dupes, f"duplicate ids: {dupes}"
    assert len(seen) == len(rules())


def test_change_rule_categories_are_the_fixed_six() -> None:
    bad = {r.id: r.category for r in _change_rules() if r.category not in CATEGORIES}
    assert not bad, f"unknown categories: {bad}"
    used = {r.category for r in _change_rules()}
    assert used == CATEGORIES, f"categories without a rule: {CATEGORIES - used}"


def _compat_values(compat: Any) -> list[str]:
    return list(compat.values()) if isinstance(compat, dict) else [compat]


def test_compat_is_valid_per_direction() -> None:
    problems: list[str] = []
    for r in _change_rules():
        if isinstance(r.compat, dict):
            extra = set(r.compat) - DIRECTIONS
            if extra:
                problems.append(f"{r.id}: unknown directions {sorted(extra)}")
            if not {"request", "response"} <= set(r.compat) and "default" not in r.compat:
                problems.append(f"{r.id}: per-direction compat needs request and response "
                                "(or a default)")
        values = _compat_values(r.compat)
        if any(v not in COMPATS for v in values):
            problems.append(f"{r.id}: compat {r.compat!r}")
        # Text-only changes are exactly the ones with no wire effect.
        if (r.category == "doc-change") != all(v == "none" for v in values):
            problems.append(f"{r.id}: category {r.category} with compat {r.compat!r}")
        # A rule named for one direction must be judged for that direction.
        for direction in ("request", "response"):
            if r.id.startswith(direction + "-") and isinstance(r.compat, dict) \
                    and direction not in r.compat:
                problems.append(f"{r.id}: no compat for {direction}")
    assert not problems, "\n".join(problems)


def test_finding_rules_have_a_level() -> None:
    bad = [r.id for r in rules().values() if r.kind == "finding" and not r.level]
    assert not bad, f"finding rules without a default level: {bad}"


def _sentences(text: str) -> int:
    text = text.replace("e.g.", "eg").replace("i.e.", "ie")
    return len(re.findall(r"[.!?](?=\s|$)", text))


def test_every_change_rule_has_a_why_and_an_example() -> None:
    problems: list[str] = []
    for r in _change_rules():
        if not 2 <= _sentences(r.why) <= 4:
            problems.append(f"{r.id}: why should be 2-4 sentences, has {_sentences(r.why)}")
        ex = r.example
        if not isinstance(ex, dict) or not {"base", "revision"} <= set(ex):
            problems.append(f"{r.id}: example needs base and revision")
            continue
        extra = set(ex) - {"base", "revision", "note"}
        if extra:
            problems.append(f"{r.id}: unknown example keys {sorted(extra)}")
        sides = []
        for side in ("base", "revision"):
            text = ex[side]
            if not isinstance(text, str):
                problems.append(f"{r.id}: example {side} must be a YAML snippet string")
                continue
            try:
                sides.append(yaml.safe_load(text))
            except yaml.YAMLError as exc:
                problems.append(f"{r.id}: example {side} is not YAML: {exc}")
        if len(sides) == 2 and sides[0] == sides[1]:
            problems.append(f"{r.id}: example base and revision mean the same thing")
    assert not problems, "\n".join(problems)


def test_every_why_names_the_verdict_it_justifies() -> None:
    """A why explains the compat; a why that never says it is usually about another rule."""
    missing = [f"{r.id} ({value})" for r in _change_rules() for value in _compat_values(r.compat)
               if not re.search(rf"\b{value}\b", r.why, re.IGNORECASE)]
    assert not missing, f"whys that do not state their compat: {missing}"


def _filled_placeholders() -> set[str]:
    """Keys of the ``values`` dict classify() passes to Rule.render."""
    tree = ast.parse(Path(classify.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                isinstance(t, ast.Name) and t.id == "values" for t in node.targets):
            return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    raise AssertionError("classify.py no longer builds a `values` dict for messages")


def test_message_placeholders_are_filled_by_the_classifier() -> None:
    filled = _filled_placeholders()
    assert {"name", "where"} <= filled  # sanity: the parse found the real dict
    problems: list[str] = []
    for r in _change_rules():
        names = {f for _, f, _, _ in string.Formatter().parse(r.message) if f is not None}
        if "" in names or any(not n.isidentifier() for n in names):
            problems.append(f"{r.id}: positional or odd placeholder in {r.message!r}")
        if names - filled:
            problems.append(f"{r.id}: {sorted(names - filled)} never filled ({r.message!r})")
    assert not problems, "\n".join(problems)


def _rules_for(kind: str) -> set[str]:
    """Every rule classify.rule_for gives a delta of this kind, in any direction or variant."""
    out: set[str] = set()
    for direction in ("request", "response", None):
        for name in ("200", "404"):
            for info in ({}, {"required": True}, {"required": True, "read_only": True}):
                delta = Delta(kind, None, None, name=name, info=dict(info))
                out.add(classify.rule_for(Hit(delta, None, None, direction, None)))
    return out


def test_catalogue_entries_name_a_kind_a_direction_and_a_known_condition() -> None:
    kinds = {k.value for k in Kind}
    problems: list[str] = []
    for r in _change_rules():
        if r.delta not in kinds:
            problems.append(f"{r.id}: delta {r.delta!r} is no apilint.diff.Kind")
        if r.direction not in ("", "request", "response"):
            problems.append(f"{r.id}: direction {r.direction!r}")
        if r.when and r.when not in classify.CONDITIONS:
            problems.append(f"{r.id}: when {r.when!r} is not in classify.CONDITIONS")
        # A rule named for one direction classifies that direction's deltas only.
        for side in ("request", "response"):
            if r.direction and r.id.startswith(side + "-") and r.direction != side:
                problems.append(f"{r.id}: named for {side}, classifies {r.direction}")
    assert not problems, "\n".join(problems)
    unused = set(classify.CONDITIONS) - {r.when for r in _change_rules()}
    assert not unused, f"conditions no catalogue entry names: {sorted(unused)}"


def test_every_kind_reaches_a_rule_and_every_rule_is_reached() -> None:
    catalogue = {r.id for r in _change_rules()}
    emitted: set[str] = set()
    orphans: list[str] = []
    for kind in Kind:
        got = _rules_for(kind)
        emitted |= got
        if kind is not Kind.UNCLASSIFIED_CHANGE and got <= {"unclassified-change"}:
            orphans.append(kind.value)
    assert not orphans, f"delta kinds with no catalogue rule (reported as unclassified): {orphans}"
    unknown = emitted - catalogue
    assert not unknown, f"code emits rules the catalogue lacks: {sorted(unknown)}"
    dead = catalogue - emitted
    assert not dead, f"catalogue rules no delta kind reaches: {sorted(dead)}"


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_each_rule_of_a_kind_has_a_case_that_fires_and_a_near_miss(kind: Kind) -> None:
    """The golden cases themselves run in tests/cases/test_rule_cases.py; here: none is
    missing for any rule a kind reaches, and each says what it is for."""
    for rule_id in sorted(_rules_for(kind)):
        for case in ("fires", "near-miss"):
            expected = ROOT / "fixtures" / "rules" / rule_id / case / "expected.yaml"
            assert expected.is_file(), f"{kind}: no {case} case for {rule_id}"
            listed = {c.get("rule") for c in
                      (yaml.safe_load(expected.read_text(encoding="utf-8")) or {}).get(
                          "changes") or []}
            assert (rule_id in listed) == (case == "fires"), f"{expected} and {rule_id}"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_explain_prints_the_rule(runner: CliRunner, rule_id: str) -> None:
    rule = rules()[rule_id]
    result = runner.invoke(main, ["explain", rule_id])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.splitlines()[0] == rule_id
    assert rule.message in out
    if rule.kind == "change":
        assert f"category: {rule.category}" in out
        assert "compat:" in out
        # The why is wrapped for the terminal; compare words, not line breaks.
        assert " ".join(rule.why.split()) in " ".join(out.split())
        for side in ("base", "revision"):
            first = str(rule.example[side]).strip().splitlines()[0]
            assert f"  {side}:" in out and first in out


def test_explain_runs_as_a_command() -> None:
    done = run_apilint("explain", "response-enum-value-added")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("response-enum-value-added\n")
    assert "generated enum" in done.stdout
    assert done.stderr == ""


def test_explain_unknown_rule_is_one_line_and_exit_2() -> None:
    done = run_apilint("explain", "nonsense")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "nonsense" in lines[0] and "Traceback" not in done.stderr


def test_explain_suggests_a_close_match() -> None:
    done = run_apilint("explain", "response-enum-value-add")
    assert done.returncode == 2
    assert "response-enum-value-added" in done.stderr


# -- every example, placed in a small document, must report its own rule -------------------
# Examples are snippets at whatever level reads best (an operation, a parameter list, a
# property); _place puts one into a fixed two-operation document by its top-level key.
_SCHEMES = {
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "oauth": {"type": "oauth2", "flows": {"clientCredentials": {
        "tokenUrl": "/token", "scopes": {"read": "Read"}}}},
    "basic": {"type": "http", "scheme": "basic"},
}


def _skeleton(version: str) -> dict[str, Any]:
    ok = {"200": {"description": "ok"}}
    return {
        "openapi": version,
        "info": {"title": "Example", "version": "1"},
        "paths": {"/p": {
            "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}},
            "post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object"}}}}, "responses": dict(ok)},
        }},
        "components": {
            "schemas": {
                "Cat": {"type": "object", "properties": {"meow": {"type": "boolean"}}},
                "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}},
                "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
            "securitySchemes": dict(_SCHEMES),
        },
    }


def _with_responses(op: Any) -> dict[str, Any]:
    op = dict(op or {})
    op.setdefault("responses", {"200": {"description": "ok"}})
    return op


def _place(rule_id: str, snippet: Any, version: str) -> dict[str, Any]:
    doc = _skeleton(version)
    request = rule_id.startswith("request-")
    get, post = doc["paths"]["/p"]["get"], doc["paths"]["/p"]["post"]
    body = post["requestBody"]["content"]["application/json"]
    out = get["responses"]["200"]["content"]["application/json"]
    if isinstance(snippet, list):  # a parameter list
        (post if request else get)["parameters"] = snippet
        return doc
    key = next(iter(snippet))
    if key in ("get", "post"):
        doc["paths"]["/p"] = {key: _with_responses(snippet[key])}
    elif key == "paths":
        doc["paths"] = {p: {m: _with_responses(op) for m, op in item.items()}
                        for p, item in snippet["paths"].items()}
    elif key in ("security", "servers", "info", "openapi"):
        doc.update(snippet)
    elif key == "components":
        doc["components"].update(snippet["components"])
    elif key == "securitySchemes":
        doc["components"]["securitySchemes"] = snippet["securitySchemes"]
    elif key == "schemas":
        doc["components"]["schemas"].update(snippet["schemas"])
    elif key == "parameters":
        get["parameters"] = snippet["parameters"]
    elif key == "headers":
        get["responses"]["200"]["headers"] = snippet["headers"]
    elif key == "responses":
        get["responses"] = snippet["responses"]
    elif key == "content":
        if request:
            post["requestBody"] = {"content": snippet["content"]}
        else:
            get["responses"]["200"]["content"] = snippet["content"]
    elif key == "requestBody":
        post["requestBody"] = snippet["requestBody"]
    elif key == "callbacks":
        post["callbacks"] = snippet["callbacks"]
    elif key in ("description", "tags") or key.startswith("x-"):
        get[key] = snippet[key]
    elif key == "links":
        get["responses"]["200"]["links"] = snippet["links"]
    elif key == "example":
        out["example"] = snippet["example"]
    elif key == "schema":
        (body if request else out)["schema"] = snippet["schema"]
    elif rule_id.startswith("response-header-"):  # a header map without the headers key
        get["responses"]["200"]["headers"] = snippet
    elif key in ("required", "properties", "oneOf", "discriminator"):
        schema: dict[str, Any] = {"type": "object", "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "size": {"type": "integer"}}}
        if key == "discriminator":
            schema = {"oneOf": [{"$ref": "#/components/schemas/Cat"},
                                {"$ref": "#/components/schemas/Dog"}]}
        schema.update(snippet)
        (body if request else out)["schema"] = schema
    else:  # properties of a request or response body
        (body if request else out)["schema"] = {"type": "object", "properties": snippet}
    return doc


@pytest.mark.parametrize("rule_id", sorted(r.id for r in _change_rules()))
def test_example_reports_its_rule(rule_id: str, tmp_path: Path) -> None:
    from apilint.api import compare

    rule = rules()[rule_id]
    # Examples that need OpenAPI 3.1 (boolean schemas, "null" in a type list) say so in a note.
    version = "3.1.0" if "3.1" in str(rule.example.get("note", "")) else "3.0.3"
    paths = []
    for side in ("base", "revision"):
        doc = _place(rule_id, yaml.safe_load(rule.example[side]), version)
        path = tmp_path / f"{side}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        paths.append(str(path))
    got = sorted({c.rule for c in compare(paths[0], paths[1], root=str(tmp_path)).changes})
    assert rule_id in got, f"the example of {rule_id} reports {got}"
