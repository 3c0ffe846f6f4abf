"""``$ref``s followed wherever they stand, failing closed where they cannot be, and --ref-map.

Golden cases live in ``fixtures/refs/<case>/`` (see fixtures/README.md): ``base.yaml`` and
``revision.yaml`` with the files they reference beside them, and ``expected.yaml`` with the
changes (``revision_file``/``base_file``: the file a change must be placed in, relative to the
case) or ``exit: 2`` and the ``error`` line; ``args`` are extra ``apilint diff`` options.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import CORPUS, ROOT

from apilint.api import compare
from apilint.cli import main

CASES = sorted(p.parent for p in (ROOT / "fixtures" / "refs").glob("*/expected.yaml"))
KEYS = ("rule", "category", "compat", "operation", "location")


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(item.get(k) for k in KEYS)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_case(case: Path) -> None:
    want = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert str(want.get("description", "")).strip()
    args = ["diff", str(case / "base.yaml"), str(case / "revision.yaml"), "--root", str(case),
            "--format", "json", *want.get("args", [])]
    result = CliRunner().invoke(main, args)
    if want.get("exit", 0) == 2:
        assert result.exit_code == 2 and result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        assert re.search(want["error"], lines[0]), lines[0]
        return
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)["changes"]
    expected = want.get("changes") or []
    assert Counter(_key(c) for c in got) == Counter(_key(w) for w in expected), \
        yaml.safe_dump([{k: c[k] for k in KEYS} for c in got], sort_keys=False)
    by_key = {_key(c): c for c in got}
    for w in expected:
        c = by_key[_key(w)]
        if "operations" in w:
            assert c["operations"] == w["operations"]
        for side in ("base", "revision"):
            if f"{side}_file" in w:
                assert Path(c[side]["file"]).resolve() == (case / w[f"{side}_file"]).resolve()
            if f"{side}_line" in w:
                assert c[side]["line"] == w[f"{side}_line"], c[side]


def test_there_are_golden_cases() -> None:
    names = {c.name for c in CASES}
    assert {"operation-file-changed", "operation-file-moved", "remote-ref-refused",
            "remote-ref-mapped"} <= names


# -- a $ref in every place OpenAPI allows one ------------------------------------------------

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"

# kind -> (root spec text with a $ref to part.yaml, part.yaml on the base side, on the revision
# side, the rule the edit must report, the pointer inside part.yaml it must be placed at)
PLACES: dict[str, tuple[str, str, str, str, str]] = {
    "path item": (
        HEAD + "paths:\n  /pets: {$ref: 'part.yaml'}\n",
        "get: {responses: {'200': {description: ok}}}\n",
        "get: {responses: {'200': {description: ok}}}\n"
        "delete: {responses: {'204': {description: gone}}}\n",
        "operation-added", "/delete"),
    "operation": (
        HEAD + "paths:\n  /pets:\n    get: {$ref: 'part.yaml'}\n",
        "responses: {'200': {description: ok}}\n",
        "deprecated: true\nresponses: {'200': {description: ok}}\n",
        "operation-deprecated", ""),
    "parameter": (
        HEAD + "paths:\n  /pets:\n    get:\n      parameters: [{$ref: 'part.yaml'}]\n"
        "      responses: {'200': {description: ok}}\n",
        "name: limit\nin: query\nschema: {type: integer}\n",
        "name: limit\nin: query\nrequired: true\nschema: {type: integer}\n",
        "request-parameter-became-required", "/required"),
    "request body": (
        HEAD + "paths:\n  /pets:\n    post:\n      requestBody: {$ref: 'part.yaml'}\n"
        "      responses: {'200': {description: ok}}\n",
        "content: {application/json: {schema: {type: object}}}\n",
        "required: true\ncontent: {application/json: {schema: {type: object}}}\n",
        "request-body-became-required", ""),
    "response": (
        HEAD + "paths:\n  /pets:\n    get:\n      responses: {'200': {$ref: 'part.yaml'}}\n",
        "description: ok\ncontent: {application/json: {schema: {type: object, properties: "
        "{id: {type: integer}}}}}\n",
        "description: ok\ncontent: {application/json: {schema: {type: object, properties: "
        "{id: {type: string}}}}}\n",
        "response-type-changed",
        "/content/application~1json/schema/properties/id/type"),
    "header": (
        HEAD + "paths:\n  /pets:\n    get:\n      responses:\n        '200':\n"
        "          description: ok\n          headers: {X-Rate: {$ref: 'part.yaml'}}\n",
        "schema: {type: integer}\n",
        "deprecated: true\nschema: {type: integer}\n",
        "response-header-deprecated", ""),
    "schema": (
        HEAD + "paths:\n  /pets:\n    get:\n      responses:\n        '200':\n"
        "          description: ok\n          content: {application/json: {schema: "
        "{$ref: 'part.yaml'}}}\n",
        "type: object\nproperties: {id: {type: integer}}\n",
        "type: object\nproperties: {id: {type: integer}, name: {type: string}}\n",
        "response-property-added", "/properties/name"),
    "example": (
        HEAD + "paths:\n  /pets:\n    get:\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n            application/json:\n"
        "              schema: {type: object}\n              examples: {one: {$ref: "
        "'part.yaml'}}\n",
        "value: {id: 1}\n", "value: {id: 2}\n", "example-changed", ""),
    "link": (
        HEAD + "paths:\n  /pets:\n    get:\n      responses:\n        '200':\n"
        "          description: ok\n          links: {self: {$ref: 'part.yaml'}}\n",
        "operationId: getPet\n", "operationId: showPet\n", "links-changed", ""),
    "callback": (
        HEAD + "paths:\n  /pets:\n    post:\n      callbacks: {created: {$ref: 'part.yaml'}}\n"
        "      responses: {'200': {description: ok}}\n",
        "'{$request.body#/url}': {post: {responses: {'200': {description: ok}}}}\n",
        "'{$request.body#/url}': {put: {responses: {'200': {description: ok}}}}\n",
        "callback-changed", None),  # type: ignore[dict-item]
    "security scheme": (
        HEAD + "security: [{key: []}]\npaths:\n  /pets:\n    get:\n"
        "      responses: {'200': {description: ok}}\n"
        "components: {securitySchemes: {key: {$ref: 'part.yaml'}}}\n",
        "type: apiKey\nin: header\nname: X-Key\n",
        "type: apiKey\nin: header\nname: X-Token\n",
        "security-scheme-changed", ""),
}


def _pair(tmp_path: Path, root: str, base_part: str, rev_part: str) -> tuple[Path, Path]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    out = []
    for side, part in (("base", base_part), ("revision", rev_part)):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "openapi.yaml").write_text(root, encoding="utf-8")
        (folder / "part.yaml").write_text(part, encoding="utf-8")
        out.append(folder / "openapi.yaml")
    return out[0], out[1]


@pytest.mark.parametrize("kind", sorted(PLACES))
def test_a_change_behind_a_ref_is_seen_and_placed_in_its_file(kind: str,
                                                             tmp_path: Path) -> None:
    root, base_part, rev_part, rule, pointer = PLACES[kind]
    base, revision = _pair(tmp_path, root, base_part, rev_part)
    changes = compare(str(base), str(revision)).changes
    hits = [c for c in changes if c.rule == rule]
    assert hits, [c.rule for c in changes]
    where = hits[0].revision or hits[0].base
    assert where is not None and Path(where.file).resolve() == (
        tmp_path / "revision" / "part.yaml").resolve(), where
    if pointer is not None:
        assert where.pointer == pointer
    # The same parts on both sides: nothing to report.
    same = tmp_path / "same"
    same.mkdir()
    b2, r2 = _pair(same, root, base_part, base_part)
    assert compare(str(b2), str(r2)).changes == []


# -- fail closed ------------------------------------------------------------------------------

def _spec(ref: str) -> str:
    return (HEAD + "paths:\n  /pets:\n    get:\n      responses:\n        '200':\n"
            "          description: ok\n          content:\n            application/json:\n"
            f"              schema: {{$ref: '{ref}'}}\n")


REFUSED = {
    "remote": ("https://example.com/schemas/pet.yaml#/Pet",
               r"\$ref 'https://example\.com/schemas/pet\.yaml#/Pet' is remote and apilint "
               r"never fetches; map it to a local folder with --ref-map"),
    "missing": ("gone/pet.yaml", r"\$ref 'gone/pet\.yaml' names a file that does not exist"),
    "outside": ("../../outside.yaml", r"\$ref '\.\./\.\./outside\.yaml' leaves the project root"),
    "plain text": ("notes.txt", r"\$ref 'notes\.txt' names a file that is not a JSON or YAML "
                                r"document"),
}
SECRET = "s3cr3t-content-of-the-refused-file"


@pytest.mark.parametrize("command", ["diff", "check"])
@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_what_cannot_be_seen_is_exit_2_naming_the_ref_and_its_line(
        kind: str, command: str, tmp_path: Path) -> None:
    ref, message = REFUSED[kind]
    project = tmp_path / "a" / "project"
    project.mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "notes.txt").write_text(f"{SECRET} is plain text\n", encoding="utf-8")
    (tmp_path / "outside.yaml").write_text(f"Pet: {{description: {SECRET}}}\n")
    ok = project / "ok.yaml"
    ok.write_text(_spec("#/components/schemas/Pet") + "components: {schemas: {Pet: "
                  "{type: object}}}\n", encoding="utf-8")
    bad = project / "api.yaml"
    bad.write_text(_spec(ref), encoding="utf-8")
    result = CliRunner().invoke(main, [command, str(ok), str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert re.match(rf"^apilint: {re.escape(str(bad))}:11:24: {message}", lines[0]), lines[0]
    assert SECRET not in result.stderr


def test_nesting_beyond_the_limit_in_a_referenced_file_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    spec = tmp_path / "api.yaml"
    spec.write_text(_spec("deep.json"), encoding="utf-8")
    depth = 1100  # over MAX_DEPTH (1,000)
    (tmp_path / "deep.json").write_text('{"items":' * depth + "{}" + "}" * depth)
    result = CliRunner().invoke(main, ["check", str(spec), str(spec)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "deep.json" in lines[0] and "MAX_DEPTH" in lines[0], lines


def test_a_long_ref_chain_through_files_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    spec = tmp_path / "api.yaml"
    spec.write_text(_spec("c0.yaml"), encoding="utf-8")
    for i in range(80):  # over MAX_REF_HOPS (64)
        (tmp_path / f"c{i}.yaml").write_text(f"$ref: 'c{i + 1}.yaml'\n")
    (tmp_path / "c80.yaml").write_text("type: string\n")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and re.match(r"^apilint: .*api\.yaml:11:24: \$ref 'c0\.yaml' starts "
                                        r"a chain of more than 64 \$refs", lines[0]), lines


# -- --ref-map and ref-map in configuration ----------------------------------------------------

def _mapped_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "schemas").mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "schemas" / "pet.yaml").write_text("Pet: {type: object, properties: "
                                                  "{id: {type: integer}}}\n")
    (project / "schemas" / "pet2.yaml").write_text("Pet: {type: object, properties: "
                                                   "{id: {type: string}}}\n")
    (project / "base.yaml").write_text(_spec("https://example.com/schemas/pet.yaml#/Pet"))
    (project / "revision.yaml").write_text(_spec("https://example.com/schemas/pet2.yaml#/Pet"))
    return project


def test_ref_map_on_the_command_line(tmp_path: Path) -> None:
    project = _mapped_project(tmp_path)
    args = ["diff", str(project / "base.yaml"), str(project / "revision.yaml"), "-f", "json"]
    assert CliRunner().invoke(main, args).exit_code == 2
    result = CliRunner().invoke(main, [*args, "--ref-map", "https://example.com/schemas/=schemas"])
    assert result.exit_code == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert [c["rule"] for c in changes] == ["response-type-changed"]
    assert changes[0]["revision"]["file"].endswith("schemas/pet2.yaml")
    assert changes[0]["revision"]["line"] == 1


@pytest.mark.parametrize("setting", [
    'ref-map = {"https://example.com/schemas/" = "schemas"}',
    'ref-map = ["https://example.com/schemas/=schemas/"]',
])
def test_ref_map_in_configuration(setting: str, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = _mapped_project(tmp_path)
    (project / "pyproject.toml").write_text(f"[tool.apilint]\n{setting}\n")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check", "base.yaml", "revision.yaml", "-f", "json"])
    assert result.exit_code == 1, result.stderr  # compared: a change, and no version increase
    report = json.loads(result.stdout)
    assert [c["rule"] for c in report["changes"]] == ["response-type-changed"]


@pytest.mark.parametrize("args, message", [
    (["--ref-map", "https://example.com/schemas/"], r"--ref-map: a ref map entry is PREFIX=DIR"),
    (["--ref-map", "schemas/=schemas"], r"--ref-map: ref map prefix 'schemas/' is not a URL"),
    (["--ref-map", "https://example.com/schemas/=/etc"], r"must be relative to the project root"),
    (["--ref-map", "https://example.com/schemas/=../elsewhere"],
     r"ref map folder '\.\./elsewhere' .* is outside the project root"),
    (["--ref-map", "https://example.com/=schemas"],
     r"api\.yaml:11:24: \$ref 'https://example\.com/schemas/pet\.yaml#/Pet' names a file "
     r"that does not exist"),
])
def test_bad_ref_maps_are_one_line_exit_2(args: list[str], message: str,
                                          tmp_path: Path) -> None:
    project = _mapped_project(tmp_path)
    (project / "api.yaml").write_text(_spec("https://example.com/schemas/pet.yaml#/Pet"))
    result = CliRunner().invoke(main, ["diff", str(project / "api.yaml"),
                                       str(project / "api.yaml"), *args])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and re.search(message, lines[0]), lines


def test_a_mapped_url_may_not_climb_out_of_its_folder(tmp_path: Path) -> None:
    project = _mapped_project(tmp_path)
    (project / "secret.yaml").write_text(f"Pet: {{description: {SECRET}}}\n")
    (project / "api.yaml").write_text(_spec("https://example.com/schemas/../secret.yaml#/Pet"))
    result = CliRunner().invoke(main, ["diff", str(project / "api.yaml"),
                                       str(project / "api.yaml"), "--ref-map",
                                       "https://example.com/schemas/=schemas"])
    assert result.exit_code == 2
    assert "leaves the ref map folder" in result.stderr and SECRET not in result.stderr


@pytest.mark.parametrize("setting, message", [
    ('ref-map = "https://example.com/=x"', "must be a table"),
    ('ref-map = {"https://example.com/" = 3}', "must be a string"),
    ('ref-map = {"example" = "x"}', "is not a URL"),
])
def test_bad_ref_map_configuration_is_exit_2(setting: str, message: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = _mapped_project(tmp_path)
    (project / ".apilint.toml").write_text(f"{setting}\n")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check", "base.yaml", "revision.yaml"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and ".apilint.toml" in lines[0] and message in lines[0], lines


# -- one parse per distinct content -------------------------------------------------------------

def test_equal_files_are_parsed_once_and_each_side_keeps_its_own_refs(tmp_path: Path) -> None:
    """base/common.yaml and revision/common.yaml are byte for byte equal, so the revision
    reuses the base's parse; their relative $ref still names each side's own pet.yaml."""
    (tmp_path / ".git").mkdir()
    root = _spec("common.yaml#/Pet")
    for side, kind in (("base", "integer"), ("revision", "string")):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "openapi.yaml").write_text(root)
        (folder / "common.yaml").write_text("Pet:\n  allOf:\n    - $ref: 'pet.yaml'\n")
        (folder / "pet.yaml").write_text(f"type: object\nproperties: {{id: {{type: {kind}}}}}\n")
    cmp = compare(str(tmp_path / "base" / "openapi.yaml"),
                  str(tmp_path / "revision" / "openapi.yaml"))
    bdocs = {Path(k).name: d for k, d in cmp.base.documents.items()}
    rdocs = {Path(k).name: d for k, d in cmp.revision.documents.items()}
    assert bdocs["common.yaml"].data is rdocs["common.yaml"].data  # parsed once
    assert bdocs["openapi.yaml"].data is rdocs["openapi.yaml"].data
    assert bdocs["pet.yaml"].data is not rdocs["pet.yaml"].data
    assert [c.rule for c in cmp.changes] == ["response-type-changed"]
    assert cmp.changes[0].revision is not None
    assert cmp.changes[0].revision.file.endswith("revision/pet.yaml")
    assert cmp.changes[0].revision.line == 2


# -- a real spec split into files reports what the one-file spec reports -----------------------

@pytest.mark.corpus
@pytest.mark.parametrize("pair", ["adyen-checkout-71__72", "adyen-binlookup-53__54"])
def test_a_real_pair_split_into_files_reports_the_same_changes(pair: str,
                                                               tmp_path: Path) -> None:
    import sys

    folder = CORPUS / "real" / pair
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from split_spec import split
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    (tmp_path / ".git").mkdir()
    base, nbase = split(folder / "old.json", tmp_path / "base")
    revision, _ = split(folder / "new.json", tmp_path / "revision")
    assert nbase > 10  # really split: one file per operation and per schema
    whole = compare(str(folder / "old.json"), str(folder / "new.json")).changes
    parts = compare(str(base), str(revision)).changes
    assert whole, "the pair has changes to compare"
    assert Counter((c.rule, c.operation, tuple(c.operations)) for c in parts) == \
        Counter((c.rule, c.operation, tuple(c.operations)) for c in whole)
