"""Properties of the whole pipeline, on generated OpenAPI documents and on mutated real specs.

- Nothing but ``ApilintError`` ever leaves ``api.compare``, whatever the input.
- ``diff(a, a)`` is empty.
- ``diff(a, b)`` and ``diff(b, a)`` mirror each other. The mirror of a category: new-call ↔
  removed-call, added-field ↔ removed-field, behavior-change and doc-change are their own
  mirror. For each category the number of changes in ``diff(a, b)`` equals the number of
  changes of the mirrored category in ``diff(b, a)``, the operations touched are the same, and
  every operation added one way is removed the other way. Rule by rule, too: the mirror of a
  rule swaps ``-added``/``-removed``, ``became-optional``/``became-required``,
  ``-deprecated``/``-undeprecated`` and ``-loosened``/``-tightened`` (``*-changed`` and
  ``*-replaced`` are their own mirror), and ``request-required-X-added`` counts as
  ``request-X-added`` (adding a required thing is undone by removing it, whatever its
  required flag); the multiset of (mirrored rule, operation) one way equals the multiset of
  (rule, operation) the other way.
- The JSON report always validates against ``schema/report.schema.json``.
- Output is byte-identical across runs, also under different ``PYTHONHASHSEED`` values.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, run_apilint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apilint.api import Comparison, compare
from apilint.errors import ApilintError
from apilint.model import Report
from apilint.report import render

# Small real pairs, copied from the shared corpus into fixtures/real (see its README).
REAL = FIXTURES / "real"
CORPUS = {
    "twilio": REAL / "twilio-messaging_v3-1.0.0__1.0.0",
    "adyen": REAL / "adyen-binlookup-53__54",
    "azure": REAL / "azure-storage-2015-06-15__2016-01-01",
}
SCHEMA = jsonschema.Draft202012Validator(
    json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8")))
MIRROR = {"new-call": "removed-call", "removed-call": "new-call", "added-field": "removed-field",
          "removed-field": "added-field", "behavior-change": "behavior-change",
          "doc-change": "doc-change"}
PROPS = settings(max_examples=50, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- generated documents ------------------------------------------------------------------------
COMPONENTS = ("Pet", "Owner", "Error")
NAMES = ("id", "name", "tag", "size", "kind", "owner", "created", "status")
WORDS = st.sampled_from(("alpha", "beta", "gamma", "delta", "on", "off", "2.1", ""))


def primitive(v31: bool) -> st.SearchStrategy[dict[str, Any]]:
    def build(kind: str, extra: dict[str, Any], nullable: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"type": kind, **extra}
        if nullable:
            if v31:
                out["type"] = [kind, "null"]
            else:
                out["nullable"] = True
        return out

    string_extra = st.fixed_dictionaries({}, optional={
        "enum": st.lists(WORDS, min_size=1, max_size=4, unique=True),
        "maxLength": st.integers(0, 64), "format": st.sampled_from(("uuid", "date-time")),
        "pattern": st.sampled_from(("^[a-z]+$", "^[0-9]{3}$")), "description": WORDS})
    number_extra = st.fixed_dictionaries({}, optional={
        "minimum": st.integers(-5, 5), "maximum": st.integers(6, 100),
        "default": st.integers(6, 6), "description": WORDS})
    return st.one_of(
        st.builds(build, st.just("string"), string_extra, st.booleans()),
        st.builds(build, st.sampled_from(("integer", "number")), number_extra, st.booleans()),
        st.builds(build, st.just("boolean"), st.just({}), st.booleans()),
    )


def schemas(v31: bool, allow_ref: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    leaf = primitive(v31)
    if allow_ref:
        leaf = st.one_of(leaf, st.sampled_from(COMPONENTS).map(
            lambda n: {"$ref": f"#/components/schemas/{n}"}))

    def extend(child: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        props = st.dictionaries(st.sampled_from(NAMES), child, min_size=1, max_size=4)

        def obj(p: dict[str, Any], req: list[str], extra: bool) -> dict[str, Any]:
            out: dict[str, Any] = {"type": "object", "properties": p}
            required = sorted(set(req) & set(p))
            if required:
                out["required"] = required
            if extra:
                out["additionalProperties"] = False
            return out

        return st.one_of(
            st.builds(obj, props, st.lists(st.sampled_from(NAMES), max_size=3), st.booleans()),
            st.builds(lambda i: {"type": "array", "items": i}, child),
            st.builds(lambda parts: {"allOf": parts}, st.lists(child, min_size=1, max_size=3)),
        )

    return st.recursive(leaf, extend, max_leaves=8)


PATHS = ("/pets", "/pets/{petId}", "/owners/{ownerId}/pets", "/tags", "/health")
METHODS = ("get", "post", "put", "delete")


@st.composite
def operations(draw: st.DrawFn, path: str, method: str, v31: bool) -> dict[str, Any]:
    op: dict[str, Any] = {}
    params = [{"name": seg[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
              for seg in path.split("/") if seg.startswith("{")]
    for name in draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True)):
        param = {"name": name, "in": draw(st.sampled_from(("query", "header"))),
                 "schema": draw(primitive(v31))}
        if draw(st.booleans()):
            param["required"] = True
        params.append(param)
    if params:
        op["parameters"] = params
    if method in ("post", "put") and draw(st.booleans()):
        op["requestBody"] = {"required": draw(st.booleans()), "content": {
            "application/json": {"schema": draw(schemas(v31))}}}
    responses: dict[str, Any] = {}
    for status in draw(st.lists(st.sampled_from(("200", "201", "204", "404", "default")),
                                min_size=1, max_size=3, unique=True)):
        resp: dict[str, Any] = {"description": draw(WORDS) or "ok"}
        if status != "204":
            resp["content"] = {"application/json": {"schema": draw(schemas(v31))}}
        responses[status] = resp
    op["responses"] = responses
    if draw(st.booleans()):
        op["operationId"] = f"{method}{path.replace('/', '_').replace('{', '').replace('}', '')}"
    if draw(st.integers(0, 9)) == 0:
        op["deprecated"] = True
    return op


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    v31 = draw(st.booleans())
    paths: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(PATHS), max_size=4, unique=True)):
        methods = draw(st.lists(st.sampled_from(METHODS), min_size=1, max_size=3, unique=True))
        paths[path] = {m: draw(operations(path, m, v31)) for m in methods}
    components = {name: draw(st.one_of(primitive(v31), schemas(v31).filter(
        lambda s: "$ref" not in s))) for name in COMPONENTS}
    return {
        "openapi": "3.1.0" if v31 else "3.0.3",
        "info": {"title": "generated", "version": draw(st.sampled_from(("1.0.0", "1.1.0")))},
        "paths": paths,
        "components": {"schemas": components},
    }


@st.composite
def document_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    a = draw(documents())
    if draw(st.booleans()):
        return a, draw(documents())
    # A nearby revision: same document with a few parts regenerated.
    b = copy.deepcopy(a)
    b["openapi"] = a["openapi"]
    other = draw(documents())
    for key in draw(st.lists(st.sampled_from(("paths", "components")), max_size=2)):
        b[key] = other[key] if key == "paths" else b[key]
        if key == "components":
            name = draw(st.sampled_from(COMPONENTS))
            b["components"]["schemas"][name] = other["components"]["schemas"][name]
    if b["openapi"] != other["openapi"] and b["paths"] is other["paths"]:
        b["openapi"] = other["openapi"]
    return a, b


# -- helpers ------------------------------------------------------------------------------------
def write(folder: Path, name: str, doc: Any) -> str:
    path = folder / name
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return str(path)


def run(base: str, revision: str) -> Comparison:
    return compare(base, revision, root=os.path.dirname(base))


def as_json(cmp: Comparison) -> dict[str, Any]:
    report = Report(base=cmp.base.document.path, revision=cmp.revision.document.path,
                    changes=cmp.changes, warnings=cmp.warnings, command="diff",
                    base_version=cmp.base.version, revision_version=cmp.revision.version)
    data: dict[str, Any] = json.loads(render(report, "json"))
    return data


def assert_valid(report: dict[str, Any]) -> None:
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in SCHEMA.iter_errors(report)]
    assert problems == []


_SWAPS = (("-undeprecated", "-deprecated"), ("-added", "-removed"),
          ("became-optional", "became-required"), ("-loosened", "-tightened"))


def rule_family(rule: str) -> str:
    return rule.replace("-required-", "-")


def mirror_rule(rule: str) -> str:
    rule = rule_family(rule)
    for one, other in _SWAPS:
        if rule.endswith(one):
            return rule[: -len(one)] + other
        if rule.endswith(other):
            return rule[: -len(other)] + one
    return rule


def test_rule_mirror_is_an_involution_on_the_catalogue() -> None:
    from apilint.catalogue import rules

    changes = {rule_family(r.id) for r in rules().values() if r.kind == "change"}
    for rule in changes:
        assert mirror_rule(mirror_rule(rule)) == rule
        assert mirror_rule(rule) in changes, f"{rule} has no mirror rule in the catalogue"


def assert_mirror(ab: Comparison, ba: Comparison) -> None:
    forward = Counter(MIRROR[c.category] for c in ab.changes)
    backward = Counter(c.category for c in ba.changes)
    assert forward == backward, (
        [(c.category, c.rule, c.location) for c in ab.changes],
        [(c.category, c.rule, c.location) for c in ba.changes])
    assert {c.operation for c in ab.changes} == {c.operation for c in ba.changes}
    added = {c.operation for c in ab.changes if c.category == "new-call"}
    removed_back = {c.operation for c in ba.changes if c.category == "removed-call"}
    assert added == removed_back
    assert Counter((mirror_rule(c.rule), c.operation) for c in ab.changes) == Counter(
        (rule_family(c.rule), c.operation) for c in ba.changes)


# -- properties on generated documents ----------------------------------------------------------
@PROPS
@given(document_pairs())
def test_generated_documents(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    a, b = pair
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pa, pb = write(folder, "a.json", a), write(folder, "b.json", b)
        same = run(pa, pa)
        assert same.changes == []
        ab, ba = run(pa, pb), run(pb, pa)
        assert_mirror(ab, ba)
        if a == b:
            assert ab.changes == []
        report = as_json(ab)
        assert_valid(report)
        assert as_json(run(pa, pb)) == report  # the same run again gives the same report


# -- mutations of real specs --------------------------------------------------------------------
def load_corpus(name: str) -> dict[str, Any]:
    folder = CORPUS[name]
    if not folder.is_dir():
        pytest.fail(f"corpus pair {folder} is missing")
    data: dict[str, Any] = json.loads((folder / "old.json").read_text(encoding="utf-8"))
    return data


def containers(data: Any) -> list[tuple[Any, ...]]:
    """Paths (as key tuples) to every mapping and list in ``data``."""
    out: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            out.append(path)
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            out.append(path)
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
    return sorted(out, key=repr)


def at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10 ** 6), st.text(max_size=8),
              st.sampled_from(("#/components/schemas/Nope", "#/definitions/Nope", "object",
                               "string", "3.1.0", "2.0"))),
    lambda c: st.one_of(st.lists(c, max_size=3),
                        st.dictionaries(st.sampled_from(
                            ("$ref", "type", "properties", "items", "required", "paths",
                             "schema", "in", "name", "allOf", "enum", "x-y")), c, max_size=3)),
    max_leaves=6)


@st.composite
def mutated(draw: st.DrawFn, doc: dict[str, Any], places: list[tuple[Any, ...]]) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 4))):
        places_now = containers(doc) if _ else places
        path = places_now[draw(st.integers(0, len(places_now) - 1))]
        node = at(doc, path)
        action = draw(st.sampled_from(("delete", "replace", "insert", "copy")))
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if action == "insert" or not keys:
            if isinstance(node, dict):
                node[draw(st.sampled_from(("x-new", "type", "$ref", "required", "items",
                                           "properties", "nullable", "format")))] = draw(JUNK)
            else:
                node.append(draw(JUNK))
            continue
        key = keys[draw(st.integers(0, len(keys) - 1))]
        if action == "delete":
            del node[key]
        elif action == "replace":
            node[key] = draw(JUNK)
        else:  # copy a sibling subtree over this one
            other = keys[draw(st.integers(0, len(keys) - 1))]
            node[key] = copy.deepcopy(node[other])
    return doc


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_mutated_real_specs(name: str) -> None:
    doc = load_corpus(name)
    places = containers(doc)

    @settings(max_examples=30, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(doc, places))
    def prop(mutant: Any) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            pa, pb = write(folder, "a.json", doc), write(folder, "b.json", mutant)
            try:
                ab = run(pa, pb)
                ba = run(pb, pa)
                bb = run(pb, pb)
            except ApilintError as err:
                # Refused: one line naming the mutated file.
                assert "\n" not in str(err) and "b.json" in str(err)
                return
            assert bb.changes == []
            assert_mirror(ab, ba)
            assert_valid(as_json(ab))

    prop()


# -- byte-identical output ------------------------------------------------------------------------
def _cli(args: list[str], seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = run_apilint(*args, env=env, text=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_output_is_identical_across_hash_seeds(fmt: str, tmp_path: Path) -> None:
    pair = CORPUS["twilio"]
    args = ["diff", str(pair / "old.json"), str(pair / "new.json"), "--format", fmt]
    outputs = {_cli(args, seed) for seed in ("0", "1", "4242")}
    assert len(outputs) == 1
    assert outputs.pop().strip()


def test_generated_output_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    """A generated pair with sets of enum values and many changes, in three processes."""
    a = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
        "/p": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {
            "type": "string", "enum": ["a", "b", "c", "d", "e"]}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "required": ["x", "y"], "properties": {
                    n: {"type": "string"} for n in "xyzuvw"}}}}}}}}}}
    b = copy.deepcopy(a)
    b["paths"]["/p"]["get"]["parameters"][0]["schema"]["enum"] = ["e", "f", "g", "a"]
    props = b["paths"]["/p"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    props["required"] = ["w", "u"]
    props["properties"] = {n: {"type": "integer"} for n in "wvutsr"}
    pa, pb = write(tmp_path, "a.json", a), write(tmp_path, "b.json", b)
    outputs = {_cli(["diff", pa, pb, "--format", "json"], seed) for seed in ("0", "7", "99")}
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["summary"]["changes"] > 5
