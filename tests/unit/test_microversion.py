"""``SPEC@VERSION``: one x-openstack annotated spec as a client asking for VERSION sees it.

The golden cases in ``fixtures/microversions/*/`` say, per version, which operations,
parameters, properties and ``oneOf`` variants exist (see fixtures/README.md); the other tests
pin the edges: how ``@`` splits a path, locations mapped back to the original file, bad
annotations, files reached through ``$ref``, shared subtrees, and the CLI commands that take
a spec.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CORPUS, ROOT

from apilint import pointer as jp
from apilint.api import compare, open_side
from apilint.errors import ApilintError, InputError
from apilint.loader import load_document
from apilint.microversion import Annotated, ProjectedDocument, split_at
from apilint.refs import Resolver

CASES = ROOT / "fixtures" / "microversions"
SERVERS = CASES / "servers" / "spec.yaml"
COMPUTE = CORPUS / "openstack-openapi" / "compute" / "compute-c417006.yaml"
ACTION = "/paths/~1servers~1{server_id}~1action/post/requestBody/content/application~1json/schema"


def _projections() -> list[tuple[Path, str, dict[str, Any]]]:
    out = []
    for case in sorted(p.parent for p in CASES.glob("*/expected.yaml")):
        expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
        assert str(expected.get("description", "")).strip(), f"{case}: needs a description"
        for version, want in (expected.get("projections") or {}).items():
            out.append((case, str(version), want))
    return out


def _members(node: Any) -> list[str]:
    # A microversion oneOf left with one member is shown as allOf of it (one body per version).
    items = node.get("oneOf", node.get("allOf", [])) if isinstance(node, dict) else []
    return [str(m.get("$ref", "")).rsplit("/", 1)[-1] for m in items]


@pytest.mark.parametrize("case,version,want", _projections(),
                         ids=lambda x: x.name if isinstance(x, Path) else None)
def test_projection_golden(case: Path, version: str, want: dict[str, Any]) -> None:
    nside, side = open_side(f"{case / 'spec.yaml'}@{version}")
    data = side.document.data
    nside.read_operations()
    labels = {op.label: op for op in nside.operations.values()}
    if "operations" in want:
        assert sorted(labels) == sorted(want["operations"])
    for label, names in (want.get("parameters") or {}).items():
        assert sorted(p.name for p in labels[label].params.values()
                      if p.location != "path") == sorted(names)
    for ptr, names in (want.get("properties") or {}).items():
        assert sorted(jp.walk(data, ptr)["properties"]) == sorted(names), ptr
    for ptr, names in (want.get("required") or {}).items():
        assert sorted(jp.walk(data, ptr).get("required", [])) == sorted(names), ptr
    for ptr, names in (want.get("variants") or {}).items():
        assert sorted(_members(jp.walk(data, ptr))) == sorted(names), ptr


def test_projection_version_and_name() -> None:
    _, side = open_side(f"{SERVERS}@2.60")
    assert side.version == "2.60"  # what check reads as the side's version
    assert side.document.path.endswith("spec.yaml@2.60")
    _, latest = open_side(f"{SERVERS}@latest")
    assert latest.version == "2.73"
    _, high = open_side(f"{SERVERS}@2.74")
    assert any("above the highest version the spec mentions (2.73)" in w
               for w in high.warnings)


def test_split_at(tmp_path: Path) -> None:
    odd = tmp_path / "api@v2.yaml"
    odd.write_text("openapi: 3.1.0\n")
    plain = tmp_path / "api.yaml"
    plain.write_text("openapi: 3.1.0\n")
    # A file that exists with an @ in its name is a file.
    assert split_at(str(odd)) == (str(odd), None)
    assert split_at(f"{odd}@2.5") == (str(odd), "2.5")  # the last @ splits
    assert split_at(f"{plain}@2.60") == (str(plain), "2.60")
    assert split_at(str(tmp_path / "missing.yaml@2.5")) == (str(tmp_path / "missing.yaml@2.5"),
                                                            None)


def test_locations_point_into_the_original_file() -> None:
    nside, side = open_side(f"{SERVERS}@2.73")
    doc = side.document
    assert isinstance(doc, ProjectedDocument)
    # Lock_21 (index 1) is left out at 2.73: projected member 1 is written as member 2.
    assert jp.walk(doc.data, ACTION + "/oneOf/1")["$ref"].endswith("ServersAction_Lock_273")
    assert doc.original_pointer(ACTION + "/oneOf/1") == ACTION + "/oneOf/2"
    loc = doc.locate(ACTION + "/oneOf/1/$ref")
    line = SERVERS.read_text(encoding="utf-8").splitlines()[loc.line - 1]
    assert "ServersAction_Lock_273" in line and loc.file.endswith("spec.yaml")
    # A microversion oneOf shown as allOf maps back to the oneOf that is written.
    flavor = "/components/schemas/Server/properties/flavor"
    assert "allOf" in jp.walk(doc.data, flavor)
    assert doc.original_pointer(flavor + "/allOf/0") == flavor + "/oneOf/1"


def test_diff_of_two_projections_reports_the_gate() -> None:
    cmp = compare(f"{SERVERS}@2.46", f"{SERVERS}@2.47")
    got = sorted((c.rule, c.revision.pointer if c.revision else c.base.pointer)
                 for c in cmp.changes if c.rule != "openstack-range-changed")
    assert got == [
        ("response-property-added", "/components/schemas/FlavorEmbedded/properties/original_name"),
        ("response-property-added", "/components/schemas/FlavorEmbedded/properties/vcpus"),
        ("response-property-removed", "/components/schemas/FlavorLink/properties/id"),
    ]
    assert compare(f"{SERVERS}@2.10", f"{SERVERS}@2.18").changes == []
    # The pointer a change is filed under is the original file's too (no projected allOf).
    cmp = compare(f"{SERVERS}@2.1", f"{SERVERS}@2.47")
    flavor = [c.location for c in cmp.changes if "Flavor" in c.location]
    assert flavor and all("allOf" not in p for p in flavor)
    assert all(c.location == (c.revision or c.base).pointer for c in cmp.changes)


def test_unchanged_parts_are_shared() -> None:
    doc = load_document(str(SERVERS))
    ann = Annotated(Resolver(doc))
    a, b = ann.project((2, 1)), ann.project((2, 73))
    for ptr in ("/components/schemas/ServersListResponse", "/paths/~1os-hypervisors~1{id}"):
        assert jp.walk(a.root.data, ptr) is jp.walk(doc.data, ptr)
        assert jp.walk(b.root.data, ptr) is jp.walk(doc.data, ptr)
    # The original is never changed by a projection.
    assert "progress_hint" in jp.walk(doc.data, "/components/schemas/Server/properties")
    assert sorted(ann.boundaries()) == [(2, 1), (2, 3), (2, 4), (2, 7), (2, 9), (2, 19),
                                        (2, 26), (2, 28), (2, 36), (2, 47), (2, 73)]


def _spec(tmp_path: Path, props: str, extra: dict[str, str] | None = None) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '2.20'}\npaths:\n  /things:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema:\n                type: object\n"
        "                properties:\n" + props, encoding="utf-8")
    for name, text in (extra or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return spec


def test_unquoted_minor_version_is_read_as_written(tmp_path: Path) -> None:
    """``min-ver: 2.10`` unquoted is the YAML float 2.1; the loader keeps the text as written
    for microversion keys, so the gate is 2.10 (not 2.1) and no warning is needed."""
    spec = _spec(tmp_path, "                  a:\n                    type: string\n"
                           "                    x-openstack: {min-ver: 2.10}\n")
    ptr = "/paths/~1things/get/responses/200/content/application~1json/schema/properties"
    for version, present in (("2.5", False), ("2.9", False), ("2.10", True), ("2.20", True)):
        _, side = open_side(f"{spec}@{version}")
        assert ("a" in jp.walk(side.document.data, ptr)) is present, version
        assert not [w for w in side.warnings if "YAML number" in w]


def test_bad_annotation_is_exit_2_with_its_line(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "                  a:\n                    type: string\n"
                           "                    x-openstack:\n"
                           "                      max-ver: soon\n")
    with pytest.raises(InputError) as err:
        open_side(f"{spec}@2.5")
    assert str(err.value).startswith(f"{spec}:17:")
    assert "max-ver 'soon' is not a microversion" in str(err.value)
    with pytest.raises(ApilintError, match="not a microversion"):
        open_side(f"{spec}@two")


def test_range_of_an_object_in_another_file(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "                  a:\n                    type: string\n"
                           "                  b:\n                    $ref: 'common.yaml#/B'\n",
                 {"common.yaml": "B:\n  type: string\n  x-openstack:\n    min_ver: '2.7'\n"})
    ptr = "/paths/~1things/get/responses/200/content/application~1json/schema/properties"
    _, early = open_side(f"{spec}@2.6")
    _, late = open_side(f"{spec}@2.7")
    assert sorted(jp.walk(early.document.data, ptr)) == ["a"]
    assert sorted(jp.walk(late.document.data, ptr)) == ["a", "b"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "apilint", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=ROOT)


def test_cli_diff_and_bad_version() -> None:
    out = _run("diff", f"{SERVERS}@2.35", f"{SERVERS}@2.36", "--format", "json")
    assert out.returncode == 0, out.stderr
    rules = [c["rule"] for c in json.loads(out.stdout)["changes"]]
    assert rules == ["operation-removed"]
    bad = _run("diff", f"{SERVERS}@2.x", f"{SERVERS}@2.36")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


@pytest.mark.corpus
def test_real_compute_spec_at_two_versions() -> None:
    cmp = compare(f"{COMPUTE}@2.95", f"{COMPUTE}@2.96")
    assert cmp.changes == []  # this spec stops before pinned_availability_zone
    cmp = compare(f"{COMPUTE}@2.93", f"{COMPUTE}@2.94")
    got = {(c.rule, c.operation) for c in cmp.changes}
    # 2.94: a server's hostname may be a fully qualified domain name (longer, dots allowed).
    assert ("request-pattern-changed", "POST /v2.1/servers") in got
    assert ("request-constraint-loosened", "PUT /v2.1/servers/{id}") in got


def test_conform_spec_at_a_version(tmp_path: Path) -> None:
    from apilint.conform import conform

    caps = tmp_path / "samples" / "servers"
    (caps / "v2.9").mkdir(parents=True)
    (caps / "v2.9" / "server-get-resp.json").write_text(json.dumps(
        {"server": {"id": "a", "name": "n", "locked": False, "OS-EXT-SRV-ATTR:hostname": "h",
                    "flavor": {"id": "1"}}}), encoding="utf-8")
    call_map = tmp_path / "map.yaml"
    call_map.write_text("server-get: GET /servers/{server_id}\n", encoding="utf-8")
    same = conform(f"{SERVERS}@2.9", f"{caps}@2.9", map_path=str(call_map))
    assert [f.id for f in same.findings] == []
    # The spec as a 2.8 client sees it has no locked: the 2.9 sample does not conform.
    older = conform(f"{SERVERS}@2.8", f"{caps}@2.9", map_path=str(call_map))
    assert [(f.id, "locked" in f.message) for f in older.findings] == [
        ("conform-undeclared-field", True)]
