"""apilint over oasdiff's own test fixtures (<shared corpus>/oasdiff-data, Apache-2.0).

oasdiff is a peer tool; its fixtures are base/revision pairs, each written to exercise one kind
of change. Running apilint over every pair we can identify checks three things a hand-written
fixture set easily misses:

- no crash: every pair ends in a report (exit 0) or, where a file is not an OpenAPI document,
  in one clean line on stderr and exit 2;
- no vanished delta: when the two documents differ (beyond info.version, which the version gate
  reads), apilint reports at least one change;
- no phantom change: a document diffed with itself reports nothing, and the pairs below that
  oasdiff uses as refactors report nothing but doc-changes.

docs/oasdiff-coverage.md maps each kind of change these fixtures exercise to the apilint rule
that reports it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import CORPUS, ROOT

from apilint.cli import main

OASDIFF = (CORPUS / "oasdiff-data").resolve()
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
BASE_TOKEN = re.compile(r"(^|[/_.-])base(?=[/_.-]|$)")

# Pairs whose names do not follow the <x>base<y> / <x>revision<y> pattern, read from the Go
# tests' use of them.
EXTRA_PAIRS = [
    ("checker/add_new_media_type_base.yaml", "checker/add_new_media_type_name_modified.yaml"),
    ("checker/add_new_media_type_base.yaml", "checker/add_new_media_type_params_modified.yaml"),
    ("checker/dependent_required_base.yaml", "checker/dependent_required_changed_revision.yaml"),
    ("checker/request_param_multitype_to_array_31_base.yaml",
     "checker/request_param_multitype_to_array_integer_31_revision.yaml"),
    ("checker/request_param_multitype_to_array_31_base.yaml",
     "checker/request_param_multitype_to_constrained_array_31_revision.yaml"),
    ("checker/request_property_added_base.yaml", "checker/request_property_added_revision2.yaml"),
    ("checker/request_property_added_base.yaml",
     "checker/request_property_added_with_default.yaml"),
    ("checker/request_property_discriminator_added_revision.yaml",
     "checker/request_property_discriminator_added_property_name_changed.yaml"),
    ("checker/request_property_discriminator_added_revision.yaml",
     "checker/request_property_discriminator_mapping_changed.yaml"),
    ("checker/response_property_discriminator_added_revision.yaml",
     "checker/response_property_discriminator_added_property_name_changed.yaml"),
    ("checker/response_property_discriminator_added_revision.yaml",
     "checker/response_property_discriminator_mapping_changed.yaml"),
    ("common-params/no_params.yaml", "common-params/params_in_op.yaml"),
    ("common-params/params_in_op.yaml", "common-params/params_in_path.yaml"),
    ("enums/request-body-no-enum.yaml", "enums/request-body-enum.yaml"),
    ("enums/request-body-enum.yaml", "enums/request-body-enum-revision.yaml"),
    ("enums/request-body-enum.yaml", "enums/request-body-enum-int.yaml"),
    ("enums/request-parameter-no-enum.yaml", "enums/request-parameter-enum.yaml"),
    ("enums/request-parameter-op-no-enum.yaml", "enums/request-parameter-op-enum.yaml"),
    ("enums/request-parameter-property-no-enum.yaml",
     "enums/request-parameter-property-enum.yaml"),
    ("enums/request-property-no-enum.yaml", "enums/request-property-enum.yaml"),
    ("enums/response-enum.yaml", "enums/response-enum-2.yaml"),
    ("allof/simple.yaml", "allof/revision.yaml"),
]

# Pairs whose documents differ in text but not in API: apilint may report doc-changes only.
EQUIVALENT = {
    "checker/request_body_any_of_media_type_base.yaml":
        "an anyOf variant $ref Cat becomes $ref Rabbit, and both schemas are identical",
    "checker/request_property_all_of_added_base.yaml":
        "the allOf members added (Rabbit, Breed3) are identical to members already there",
    "checker/request_property_all_of_removed_base.yaml":
        "the allOf members removed are identical to members that stay",
    "checker/response_property_all_of_added_base.yaml":
        "the allOf members added (Rabbit, Breed3) are identical to members already there",
    "checker/response_property_all_of_removed_base.yaml":
        "the allOf members removed are identical to members that stay",
    "header-case/base.yaml": "header names differ only in case (HTTP header names are not)",
    "allof/simple.yaml": "the allOf member added duplicates one already there",
    # Keywords that do not apply to the declared type constrain nothing (README).
    "checker/common_request_parameter_max_items_updated_base.yaml":
        "maxItems on a string (the array's items) constrains nothing",
    "checker/request_parameter_max_items_updated_base.yaml":
        "maxItems on a string (the array's items) constrains nothing",
    "checker/request_parameter_max_updated_base.yaml": "maximum on an array constrains nothing",
    "required-properties/anyOf1.yaml": "required on a `type: array` schema constrains nothing",
    "common-params/params_in_op.yaml":
        "the same parameters move from the operation to the path item",
    "param-rename/method-base.yaml": "a path template variable is renamed",
    "param-rename/one-of-two-base.yaml": "a path template variable is renamed",
    "param-rename/op-base.yaml": "a path template variable is renamed",
    "param-rename/op-base-ref.yaml": "a path template variable is renamed (parameter via $ref)",
    "param-rename/two-base.yaml": "two path template variables are renamed",
    "x-of/inline-ref-byte-identical-base.yaml":
        "an inline anyOf variant is extracted into an identical component",
    "x-of/inline-to-ref-refactor-base.yaml":
        "an inline anyOf variant is extracted into a component that adds only a title",
}


def _is_spec(path: Path) -> bool:
    return path.suffix in SPEC_SUFFIXES


@cache
def _spec_files() -> tuple[Path, ...]:
    """Every spec file of the fixtures; none without the corpus (the tests are then skipped)."""
    if not OASDIFF.is_dir():
        return ()
    return tuple(sorted(p for p in OASDIFF.rglob("*") if p.is_file() and _is_spec(p)))


def _pairs() -> list[tuple[str, str]]:
    """(base, revision) paths relative to the corpus, in a stable order; none without it."""
    if not _spec_files():
        return []
    files = {str(p.relative_to(OASDIFF)) for p in _spec_files()}
    out: dict[tuple[str, str], None] = {}
    for rel in sorted(files):
        if BASE_TOKEN.search(rel):
            candidates = [BASE_TOKEN.sub(rf"\1{word}", rel) for word in ("revision", "rev")]
            # checker/x_base_int.yaml and checker/x_base_num.yaml share checker/x_revision.yaml
            m = re.match(r"(.*[_-])base[_-][^/]*(\.\w+)$", rel)
            if m:
                candidates.append(f"{m.group(1)}revision{m.group(2)}")
            for cand in candidates:
                if cand in files:
                    out[(rel, cand)] = None
                    break
        # Numbered series (simple1..5, openapi-test1..8, spec1..7) are compared in sequence.
        m = re.match(r"(.*?)(\d+)(\.\w+)$", rel)
        if m:
            nxt = f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}"
            if nxt in files:
                out[(rel, nxt)] = None
    # A folder with base.yaml and no revision.yaml holds variants of base.yaml.
    for rel in sorted(files):
        path = Path(rel)
        if path.name == "base.yaml" and str(path.parent / "revision.yaml") not in files:
            for other in sorted(files):
                if Path(other).parent == path.parent and "base" not in Path(other).name:
                    out[(rel, other)] = None
    for pair in EXTRA_PAIRS:
        assert pair[0] in files and pair[1] in files, f"corpus lacks {pair}"
        out[pair] = None
    return list(out)


@cache
def _load(rel: str) -> Any:
    """The parsed file, or None when it is not readable YAML/JSON."""
    try:
        return yaml.safe_load((OASDIFF / rel).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None


def _is_openapi(rel: str) -> bool:
    """A mapping that declares a Swagger 2.0 or OpenAPI 3.0/3.1 version apilint must read.

    Anything else (a schema fragment, an empty or unknown version) is deliberately not an
    OpenAPI document, and apilint must refuse it with one clean line.
    """
    data = _load(rel)
    if not isinstance(data, dict):
        return False
    version = str(data.get("openapi", data.get("swagger", "")))
    return re.fullmatch(r"2\.0|3\.[01](\.\d+)?", version) is not None


def _has_external_ref(node: Any) -> bool:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return True
        return any(_has_external_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_external_ref(v) for v in node)
    return False


def _without_version(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("info"), dict):
        info = {k: v for k, v in data["info"].items() if k != "version"}
        return {**data, "info": info}
    return data


def _run(base: str, revision: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(OASDIFF / base), str(OASDIFF / revision),
                                  "--format", "json", "--root", str(OASDIFF)])
    return result.exit_code, result.stdout, result.stderr


def _check_clean_error(code: int, out: str, err: str, names: tuple[str, ...]) -> None:
    assert code == 2, f"exit {code}; stderr: {err}"
    lines = err.splitlines()
    assert len(lines) == 1, f"error must be one line, got:\n{err}"
    assert lines[0].startswith("apilint: ") and "internal error" not in lines[0], lines[0]
    assert any(name in lines[0] for name in names), f"error does not name the file: {lines[0]}"
    assert out == ""


def _changes(out: str) -> list[dict[str, Any]]:
    report = json.loads(out)
    return list(report["changes"])


PAIRS = _pairs()


def test_corpus_is_present_and_pairs_are_found() -> None:
    assert (OASDIFF / "README.md").is_file(), f"oasdiff corpus missing at {OASDIFF}"
    # 120+ checker pairs and as many elsewhere; a sudden drop means discovery broke.
    assert sum(b.startswith("checker/") for b, _ in PAIRS) >= 120
    assert len(PAIRS) >= 250
    for key in EQUIVALENT:
        found = [r for b, r in PAIRS if b == key]
        assert len(found) == 1, f"EQUIVALENT must name the base of exactly one pair: {key} {found}"


@pytest.mark.parametrize("base,revision", PAIRS, ids=[f"{b}->{Path(r).name}" for b, r in PAIRS])
def test_pair(base: str, revision: str) -> None:
    code, out, err = _run(base, revision)
    if not (_is_openapi(base) and _is_openapi(revision)):
        _check_clean_error(code, out, err, (base, revision))
        return
    assert code == 0, f"exit {code}: {err}"
    assert "internal error" not in err
    changes = _changes(out)
    bdata, rdata = _load(base), _load(revision)
    same = _without_version(bdata) == _without_version(rdata)
    external = _has_external_ref(bdata) or _has_external_ref(rdata)
    summary = sorted({f"{c['rule']} {c['location']}" for c in changes})
    if base in EQUIVALENT:
        wire = sorted(f"{c['rule']} {c['location']}" for c in changes
                      if c["category"] != "doc-change")
        assert not wire, f"{EQUIVALENT[base]}, yet apilint reports: {wire}"
    elif same and not external:
        assert not changes, f"identical documents, yet apilint reports: {summary}"
    elif not same:
        assert changes, "the documents differ but apilint reports no change (a delta vanished)"


@pytest.mark.parametrize("rel", [str(p.relative_to(OASDIFF)) for p in _spec_files()])
def test_document_against_itself(rel: str) -> None:
    """Every file in the corpus, diffed with itself: no change, or a clean error."""
    code, out, err = _run(rel, rel)
    if not _is_openapi(rel):
        _check_clean_error(code, out, err, (rel,))
        return
    assert code == 0, f"exit {code}: {err}"
    changes = _changes(out)
    assert not changes, [f"{c['rule']} {c['location']}" for c in changes]


# Checker fixtures that exist only as a base: oasdiff's Go tests load them twice and edit the
# revision in code. The same edit, written as (JSON pointer, new value or DELETE), and the rule
# apilint must report for it.
DELETE = object()
G = "/paths/~1api~1v1.0~1groups/post"
P = "/paths/~1pets/post/requestBody/content/application~1json/schema/properties"
PR = "/paths/~1products/post/requestBody/content/application~1json/schema"
D = "/components/schemas/GroupView/properties/data"
MUTATIONS: dict[str, tuple[str, list[tuple[str, Any]], str]] = {
    "operation-id-added": ("operation_id_added_base.yaml",
                           [(f"{G}/operationId", "createGroup")], "operation-id-changed"),
    "operation-id-removed": ("operation_id_removed_base.yaml",
                             [(f"{G}/operationId", DELETE)], "operation-id-changed"),
    "request-body-became-optional": ("request_body_became_optional_base.yaml",
                                     [(f"{G}/requestBody/required", False)],
                                     "request-body-became-optional"),
    "request-body-became-required": ("request_body_became_required_base.yaml",
                                     [(f"{G}/requestBody/required", True)],
                                     "request-body-became-required"),
    "request-body-max-length-decreased": ("request_body_max_length_decreased_base.yaml",
                                          [(f"{P}/name/maxLength", 50)],
                                          "request-constraint-tightened"),
    "request-optional-property-read-only": (
        "request_optional_property_write_only_read_only_base.yaml",
        [("/paths/~1api~1v1.0~1groups/post/requestBody/content/application~1json/schema/"
          "properties/name/readOnly", True)], "request-read-only-added"),
    "request-parameter-type-changed": ("request_parameter_type_changed_base.yaml",
                                       [(f"{G}/parameters/2/schema", {"type": "integer"})],
                                       "request-type-changed"),
    "request-property-became-required": ("request_property_became_required_base.yaml",
                                         [(f"{PR}/required", ["name", "description"])],
                                         "request-property-became-required"),
    "request-property-default-value-changed": ("request_property_default_value_changed_base.yaml",
                                               [(f"{PR}/properties/price/default", 20.0)],
                                               "request-default-changed"),
    "request-property-enum-value-removed": (
        "request_property_enum_value_updated_base.yaml",
        [("/components/schemas/Pet/properties/status/enum", ["available", "sold"])],
        "request-enum-value-removed"),
    # The fixture's `maximum` sits on a string, where it constrains nothing: the same kind
    # of edit on a bound that applies.
    "request-property-max-decreased": ("request_property_max_decreased_base.yaml",
                                       [(f"{P}/name/maxLength", 10)],
                                       "request-constraint-tightened"),
    "request-property-min-length-decreased": ("request_property_min_length_decreased_base.yaml",
                                              [(f"{PR}/properties/name/minLength", 1)],
                                              "request-constraint-loosened"),
    "response-property-write-only-removed": (
        "response_optional_property_write_only_read_only_base.yaml",
        [(f"{D}/properties/writeOnlyName/writeOnly", DELETE)], "response-write-only-removed"),
    "response-property-enum-value-added": ("response_property_enum_added_base.yaml",
                                           [(f"{D}/properties/typeEnum/enum",
                                             ["TYPE1", "TYPE2", "TYPE3"])],
                                           "response-enum-value-added"),
    "response-required-property-became-optional": (
        "response_required_property_write_only_read_only_base.yaml",
        [(f"{D}/required", ["name", "writeOnlyName"])], "response-property-became-optional"),
    # The fixture's `data` is a string with `properties`, which constrain nothing on a
    # string: the format of the string itself changes instead.
    "response-schema-format-changed": ("response_schema_format_changed_base.yaml",
                                       [(f"{D}/format", "uri")],
                                       "response-format-changed"),
    "response-success-status-added": ("response_status_base.yaml",
                                      [(f"{G}/responses/201", {"description": "Created"})],
                                      "response-success-status-added"),
    "response-error-status-removed": ("response_status_base.yaml",
                                      [(f"{G}/responses/409", DELETE)],
                                      "response-error-status-removed"),
    "tag-added": ("tag_added_base.yaml", [(f"{G}/tags", ["Group"])], "tags-changed"),
    "tag-removed": ("tag_removed_base.yaml", [(f"{G}/tags", DELETE)], "tags-changed"),
}


def _apply(doc: Any, pointer: str, value: Any) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DELETE:
        assert last in node, f"nothing to delete at {pointer}"
        del node[last]
    else:
        node[last] = value


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_base_only_checker_fixture(kind: str, tmp_path: Path) -> None:
    name, edits, rule = MUTATIONS[kind]
    doc = yaml.safe_load((OASDIFF / "checker" / name).read_text(encoding="utf-8"))
    for pointer, value in edits:
        _apply(doc, pointer, value)
    revision = tmp_path / "revision.yaml"
    revision.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(OASDIFF / "checker" / name), str(revision),
                                       "--format", "json", "--root", "/"])
    assert result.exit_code == 0, result.stderr
    rules = sorted({c["rule"] for c in _changes(result.stdout)})
    assert rule in rules, f"{kind}: expected {rule}, got {rules}"


# -- docs/oasdiff-coverage.md --------------------------------------------------------------
# The page is an accounting of what apilint reports for each pair; regenerate it with
#   PYTHONPATH=.:tests python tests/corpus/test_oasdiff_pairs.py
# after a change to the diff, and read the diff of the page: a row that changed is a change in
# behaviour on a peer's fixture.
COVERAGE_PAGE = ROOT / "docs" / "oasdiff-coverage.md"
REGENERATE_COVERAGE = "PYTHONPATH=.:tests python tests/corpus/test_oasdiff_pairs.py"
_AS_ABOVE = "as above"
COVERAGE_NOTES = {
    "request_body_any_of_media_type": "no change: the anyOf variant `Cat` becomes `Rabbit`, an "
                                      "identical schema (compared by content, not by name)",
    "request_property_all_of_added": "no change: the allOf members added are identical to "
                                     "members already present, so the conjunction is the same",
    "request_property_all_of_removed": "no change: the members removed duplicate members that "
                                       "stay",
    "response_property_all_of_added": "no change: as request_property_all_of_added",
    "response_property_all_of_removed": "no change: as request_property_all_of_removed",
    "request_property_all_of_annotation_only_added": "only a description/title member is added "
                                                     "to allOf: doc-change",
    "request_property_all_of_annotation_only_added_at_property": "as above, at property level",
    "response_property_all_of_annotation_only_added": "as above, in a response",
    "request_body_const_changed": "`const` is read as a one-value enum; the revision also drops "
                                  "the application/json body",
    "response_property_const_changed": "`const` is read as a one-value enum",
    "request_parameter_extensible_enum": "`x-extensible-enum` is read as an open enum "
                                         "(Zalando guidelines): its values are compared",
    "request_property_extensible_enum": _AS_ABOVE,
    "contains_added": "JSON Schema `contains` has no dedicated rule: constraint-changed",
    "if_added": "`if/then/else`: constraint-changed",
    "if_added_prop": _AS_ABOVE,
    "unevaluated": "`unevaluatedProperties/Items`: constraint-changed",
    "unevaluated_bool": _AS_ABOVE,
    "unevaluated_property": _AS_ABOVE,
    "property_names": "`propertyNames`: constraint-changed",
    "property_names_prop": _AS_ABOVE,
    "dependent_required": "`dependentRequired` has no rule: it surfaces as unclassified-change "
                          "(breaking) rather than vanishing",
    "dependent_required_property": _AS_ABOVE,
    "dependent_required_property_changed": _AS_ABOVE,
    "content_schema": "`contentMediaType`/`contentEncoding`: format-changed; `contentSchema`: "
                      "constraint-changed",
    "content_schema_body": _AS_ABOVE,
    "content_schema_prop": _AS_ABOVE,
    "prefix_items_added": "`prefixItems`: the array schema is reported as replaced "
                          "(conservative)",
    "prefix_items_prop": _AS_ABOVE,
    "pattern_properties": "`patternProperties` entries are reported as properties",
    "pattern_properties_prop": _AS_ABOVE,
    "dependent_schemas": "`dependentSchemas` properties are reported as properties",
    "dependent_schemas_prop": _AS_ABOVE,
    "request_parameter_min_length_increased": "the pair also edits info (doc-change)",
    "request_property_type_changed": "array → object: one type change; the keywords of one "
                                     "type only (items, properties) go with it",
    "response_property_became_optional": "the revision also deletes the `location` property",
    "response_required_property_added": "a new response property, required or not, is "
                                         "compatible: response-property-added",
    "response_schema_type_changed": "string → object: one type change; the object's "
                                    "properties go with it",
    "request_xml_type_compatible": "a type change (apilint does not model XML equivalence)",
    "response_xml_type_compatible": _AS_ABOVE,
    "nullable_wrap": "`oneOf: [X, {type: null}]` wrapping: a variant added plus the "
                     "constraint/nullable changes",
    "request_param_multitype_to_array_31": "type list → array: a type change (`items` applies "
                                           "to one side only and goes with it)",
    "request_parameter_became_enum": "the revision also changes the type",
    "callbacks/spec_1.yaml": "the two files parse to the same document: no change is right",
    "composed/base/spec2.yaml": "identical documents: no change is right",
    "home-iot-api-1.yaml": "identical documents: no change is right",
    "description/spec1.yml": "not OpenAPI documents (schema fragments): one clean line, exit 2",
    "ref-chain-example/base/schemas/pet.yaml": "a schema fragment: one clean line, exit 2; the "
                                               "pair is diffed through `openapi.yaml` above",
    "ref-chain-example/base/openapi.yaml": "the documents are identical; the change is in the "
                                           "referenced `schemas/pet.yaml` (multi-file $ref)",
    "header-case/base.yaml": "no change: header names differ only in case",
    "param-rename/method-base.yaml": "no change: path template variable renamed",
    "param-rename/one-of-two-base.yaml": "no change: path template variable renamed",
    "param-rename/op-base-ref.yaml": "no change: path template variable renamed",
    "param-rename/op-base.yaml": "no change: path template variable renamed",
    "param-rename/two-base.yaml": "no change: path template variables renamed",
    "x-of/inline-ref-byte-identical-base.yaml": "no change: inline variant extracted to an "
                                                "identical component",
    "version/base.yaml": "only `info.version` changes: it is the version the gate reads, not a "
                         "change in itself",
    "stability/base-draft-endpoint-property.yaml": "`x-stability-level` is an extension: "
                                                   "doc-change",
    "allof/simple.yaml": "no change: the allOf member added duplicates an existing one",
    "common-params/params_in_op.yaml": "no change: parameters moved from the operation to the "
                                       "path item",
    "common-params/no_params.yaml": "required path parameters appear",
    "enums/request-body-no-enum.yaml": "an enum appears where any value was allowed: request "
                                       "constraint tightened",
    "enums/request-parameter-no-enum.yaml": "as above, on a parameter",
    "enums/request-parameter-op-no-enum.yaml": "as above, on an operation parameter",
    "enums/request-parameter-property-no-enum.yaml": "as above, inside a parameter schema",
    "enums/request-property-no-enum.yaml": "as above, on a request property",
}
# Kinds apilint missed (or reported wrongly) when this test was written: (how it fails, what
# the page says once it works). The page states which is true at generation time.
COVERAGE_BUGS = {
    "webhook": ("missed", "OpenAPI 3.1 webhooks are not compared",
                "webhooks are compared like paths (`POST webhook:NAME`); a renamed webhook is "
                "one removed and one added"),
    "webhook_operation": ("missed", "changes inside a webhook operation vanish",
                          "changes inside a webhook are reported"),
    "openapi31-test1.yaml": ("missed", "the changed schema is used only by a webhook",
                             "the schema is reached through the webhook `newPet`"),
    "openapi31-ref-sibling-base.yaml": ("missed", "`deprecated: true` beside a `$ref` (OpenAPI "
                                        "3.1) is ignored",
                                        "keywords beside `$ref` are compared in OpenAPI 3.1"),
    "required-properties/request-new-required-prop-base.yaml": (
        "missed", "`required` gains a name not declared in `properties`",
        "a required name without a declared property is still compared"),
    "x-of/inline-to-ref-refactor-base.yaml": (
        "phantom", "the extracted variant only gains a `title`, yet it is reported as removed "
        "and added", "no wire change: the inline variant is extracted to a component that only "
        "adds a `title` (doc-change)"),
}


def _checker_kind(rel: str) -> str:
    return re.sub(r"_(base|revision)(_[a-z0-9_]+)?$", "", rel[len("checker/"):].rsplit(".", 1)[0])


def render_coverage() -> str:
    """The text of docs/oasdiff-coverage.md, from a run over every pair."""
    from apilint.catalogue import rules as catalogue_rules

    doc_rules = {r.id for r in catalogue_rules().values() if r.category == "doc-change"}
    still_open: list[str] = []

    def note(key: str, reported: list[str] | None) -> str:
        if key not in COVERAGE_BUGS:
            return COVERAGE_NOTES.get(key, "")
        how, broken, fixed = COVERAGE_BUGS[key]
        bad = not reported if how == "missed" else any(r not in doc_rules for r in reported or [])
        if bad:
            still_open.append(key)
            return (f"**{how}** — {broken}; its case in tests/corpus/test_oasdiff_pairs.py fails "
                    "until fixed")
        return fixed

    checker_rows, other_rows = [], []
    for base, revision in PAIRS:
        code, out, _ = _run(base, revision)
        reported = sorted({c["rule"] for c in _changes(out)}) if code == 0 else None
        shown = "exit 2 (one line)" if reported is None else (
            ", ".join(f"`{r}`" for r in reported) or "—")
        if base.startswith("checker/") and revision.startswith("checker/"):
            kind = _checker_kind(base)
            checker_rows.append(f"| `{kind}` | `{base[8:]}` → `{revision[8:]}` | {shown} | "
                                f"{note(kind, reported)} |")
        else:
            other_rows.append(f"| `{base}` → `{revision}` | {shown} | {note(base, reported)} |")
    mutation_rows = []
    for kind in sorted(MUTATIONS):
        name, edits, rule = MUTATIONS[kind]
        edit = "; ".join(f"`{p.rsplit('/', 1)[-1]}` "
                         + ("deleted" if v is DELETE else f"= `{json.dumps(v)}`")
                         for p, v in edits)
        mutation_rows.append(f"| `{kind}` | `{name}` | {edit} | `{rule}` |")
    gaps = [f"| `{k}` | {COVERAGE_BUGS[k][0]} | {COVERAGE_BUGS[k][1]} |" for k in still_open]
    out = [
        "# oasdiff fixtures: what apilint reports for each kind of change",
        "",
        "oasdiff (a peer tool, Apache-2.0) ships the OpenAPI pairs its own tests use; a copy is "
        "in `../shared/corpus/oasdiff-data` (see its README for source and commit). "
        "`tests/corpus/test_oasdiff_pairs.py` runs `apilint diff` over every pair it can identify "
        f"({len(PAIRS)} pairs from {len(_spec_files())} files) and checks that nothing crashes, "
        "that a pair whose documents differ reports at least one change (a delta never "
        "vanishes), that every file diffed with itself reports nothing, and that the pairs "
        "oasdiff uses as refactors report no wire change. This page accounts, kind by kind, for "
        "what apilint reports; the rules are described in [rules.md](rules.md). Generated by "
        f"`{REGENERATE_COVERAGE}`.",
        "",
        "Pairs are found by name: `X_base.yaml`/`X_revision.yaml` (and `base-X`/`revision-X`, "
        "`base/…`/`revision/…`), numbered series compared in sequence (`simple1` → `simple2`), "
        "a folder's `base.yaml` against each sibling when there is no `revision.yaml`, and a "
        "short hand-made list for files named otherwise. Checker fixtures that exist only as a "
        "base are edited in Go by oasdiff's tests; the test makes the same edit in Python "
        "(second table). \"—\" means no change is reported, which is right wherever a note "
        "says so.",
        "",
        "## Summary of gaps",
        "",
        "| kind | status | reason |",
        "| --- | --- | --- |",
        *(gaps or ["| — | — | every pair that differs reports a change |"]),
        "| JSON Schema keywords without a rule (`dependentRequired`, `contentSchema`) | "
        "reported as `unclassified-change` | surfaced, breaking by default; a dedicated rule "
        "would be clearer |",
        "| `contains`, `if`, `unevaluated*`, `propertyNames`, `prefixItems` | reported as "
        "`*-constraint-changed` / `*-schema-replaced` | direction (tighter/looser) not judged |",
        "| `x-extensible-enum`, `x-stability-level`, `x-sunset` | reported as "
        "`extension-changed` (doc-change) | vendor extensions; oasdiff gives them meaning, "
        "apilint does not |",
        "",
        "## checker/ pairs",
        "",
        "| oasdiff kind | pair | apilint rules reported | note |",
        "| --- | --- | --- | --- |",
        *checker_rows,
        "",
        "## checker/ fixtures that oasdiff edits in code",
        "",
        "| oasdiff kind | base file | edit made by the test | apilint rule asserted |",
        "| --- | --- | --- | --- |",
        *mutation_rows,
        "",
        "`object_enum_same.yaml` (an enum holding an object) is diffed with itself and reports "
        "nothing.",
        "",
        "## Other folders",
        "",
        "| pair | apilint rules reported | note |",
        "| --- | --- | --- |",
        *other_rows,
        "",
        "Not paired: `lint/`, `validate/`, `upgrade/`, `allof/invalid.yaml`, "
        "`allof/webhook.yaml` and the `*.txt` ignore files are single-document cases (linting, "
        "validation, upgrade) rather than diffs; each is still diffed with itself by "
        "`test_document_against_itself` (no change, or a clean exit 2 for the deliberately "
        "invalid `upgrade/invalid.yaml` and `validate/openapi-version-empty.yaml`).",
    ]
    return "\n".join(out) + "\n"


def test_coverage_page_accounts_for_every_pair() -> None:
    """The page need not be regenerated for every diff change, but it must name every kind."""
    text = COVERAGE_PAGE.read_text(encoding="utf-8")
    missing = [b for b, r in PAIRS if (f"`{b[8:]}` → `{r[8:]}`" if b.startswith("checker/")
               and r.startswith("checker/") else f"`{b}` → `{r}`") not in text]
    missing += [k for k in MUTATIONS if f"| `{k}` |" not in text]
    assert not missing, (f"docs/oasdiff-coverage.md lacks {missing}; regenerate it with: "
                         f"{REGENERATE_COVERAGE}")


if __name__ == "__main__":
    COVERAGE_PAGE.write_text(render_coverage(), encoding="utf-8")
    print(f"wrote {COVERAGE_PAGE}")
