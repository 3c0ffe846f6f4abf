"""The microversion gate on the way OpenStack ships a microversion (issue 12).

Revisions are built from the real compute spec (../shared/corpus/openstack-openapi,
compute-c417006.yaml, Apache-2.0) by text edits, so the shapes are Nova's own: a new ``oneOf``
variant with ``min-ver`` and the old one capped with ``max-ver`` holds; the same revision
without ``min-ver``, or with the old variant left uncapped, fails and says which mistake it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CORPUS, FIXTURES

from apilint import yamlutil
from apilint.cli import main
from apilint.loader import parse_text_checked as parse_text

COMPUTE = CORPUS / "openstack-openapi" / "compute" / "compute-c417006.yaml"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return COMPUTE.read_text(encoding="utf-8").split("\n")


def _block(lines: list[str], name: str) -> tuple[int, int]:
    i = lines.index(f"    {name}:")
    j = i + 1
    while j < len(lines) and (lines[j].startswith("      ") or lines[j] == ""):
        j += 1
    return i, j


def _new_variant(lines: list[str], old: str, new: str, old_min: str, *, gate: bool = True,
                 cap: bool = True, extra: str = "x_new_in_296") -> str:
    """``new`` as a copy of ``old`` with one more property, gated at 2.96 (or not), listed after
    ``old`` in its ``oneOf``; ``old`` capped with max-ver 2.95 (or not)."""
    out = list(lines)
    i, j = _block(out, old)
    body = [line.replace(old, new) for line in out[i:j]]
    ver = f"min-ver: '{old_min}'"
    body = [line.replace(ver, "min-ver: '2.96'") for line in body] if gate else \
        [line for line in body if line.strip() != ver]
    k = body.index("          properties:")
    body[k + 1:k + 1] = [f"            {extra}:", "              type: string"]
    if cap:
        for n in range(i, j):
            if out[n].strip() == ver:
                out.insert(n + 1, out[n].replace(ver, "max-ver: '2.95'"))
                j += 1
                break
    out[j:j] = body
    text = "\n".join(out)
    ref = f"- $ref: '#/components/schemas/{old}'\n"
    indent = text[:text.index(ref)].rsplit("\n", 1)[1]
    return text.replace(ref, ref + indent + f"- $ref: '#/components/schemas/{new}'\n", 1)


def _check(tmp_path: Path, revision: str, *extra: str) -> tuple[int, dict[str, Any]]:
    rev = tmp_path / "revision.yaml"
    rev.write_text(revision, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", "--base-version", "2.95",
                                       "--revision-version", "2.96", *extra, str(COMPUTE),
                                       str(rev)])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def _create(lines: list[str], **kw: Any) -> str:
    return _new_variant(lines, "ServersCreate_294", "ServersCreate_296", "2.94", **kw)


def _evacuate(lines: list[str], **kw: Any) -> str:
    return _new_variant(lines, "ServersAction_Evacuate_295", "ServersAction_Evacuate_296",
                        "2.95", **kw)


@pytest.mark.corpus
def test_new_create_variant_gated_and_old_capped_holds(lines: list[str], tmp_path: Path) -> None:
    code, report = _check(tmp_path, _create(lines))
    assert code == 0, report["findings"]
    rules = sorted(c["rule"] for c in report["changes"] if c["category"] != "doc-change")
    assert rules == ["openstack-range-changed", "request-variant-added"]


@pytest.mark.corpus
def test_new_create_variant_without_min_ver_fails_saying_so(lines: list[str],
                                                            tmp_path: Path) -> None:
    code, report = _check(tmp_path, _create(lines, gate=False))
    assert code == 1
    [finding] = report["findings"]
    assert finding["id"] == "change-not-gated"
    assert "ServersCreate_296 has no min-ver" in finding["message"]


@pytest.mark.corpus
def test_old_create_variant_left_uncapped_fails_saying_so(lines: list[str],
                                                          tmp_path: Path) -> None:
    code, report = _check(tmp_path, _create(lines, cap=False))
    assert code == 1
    [finding] = report["findings"]
    assert finding["id"] == "change-not-gated"
    assert "ServersCreate_294 [2.94, latest] is not capped" in finding["message"]
    assert "max-ver: '2.95'" in finding["message"]


@pytest.mark.corpus
def test_new_evacuate_variant_holds_and_overlap_names_the_action(lines: list[str],
                                                                 tmp_path: Path) -> None:
    code, report = _check(tmp_path, _evacuate(lines))
    assert code == 0, report["findings"]
    code, report = _check(tmp_path, _evacuate(lines, cap=False))
    assert code == 1
    [finding] = report["findings"]
    assert "ServersAction_Evacuate_295 of action evacuate" in finding["message"]


@pytest.mark.corpus
def test_new_action_variant_with_its_own_min_ver_holds(lines: list[str],
                                                       tmp_path: Path) -> None:
    """A new server action (own action-name and min-ver) added to the action oneOf."""
    text = "\n".join(lines)
    schema = ("    ServersActionOs-GetwebconsoleRequest:\n      type: object\n"
              "      properties:\n        os-getWebConsole:\n          type: object\n"
              "      x-openstack:\n        min-ver: '2.96'\n"
              "        action-name: os-getWebConsole\n")
    anchor = "    ServersActionOs-GetrdpconsoleRequest:\n"
    ref = "- $ref: '#/components/schemas/ServersActionOs-GetrdpconsoleRequest'\n"
    indent = text[:text.index(ref)].rsplit("\n", 1)[1]
    gated = text.replace(anchor, schema + anchor, 1).replace(
        ref, ref + indent + "- $ref: '#/components/schemas/ServersActionOs-GetwebconsoleRequest'"
        "\n", 1)
    code, report = _check(tmp_path, gated)
    assert code == 0, report["findings"]
    code, report = _check(tmp_path, gated.replace("        min-ver: '2.96'\n"
                                                  "        action-name: os-getWebConsole",
                                                  "        action-name: os-getWebConsole"))
    assert code == 1
    assert [f["id"] for f in report["findings"]] == ["change-not-gated"]


@pytest.mark.corpus
def test_renamed_variants_of_one_action_are_no_change(lines: list[str],
                                                      tmp_path: Path) -> None:
    """Variants pair by range and action-name: swapping two evacuate variants' names (and
    their places in the oneOf) changes no API."""
    text = "\n".join(lines)
    swapped = text.replace("ServersAction_Evacuate_268", "TMP_EVAC").replace(
        "ServersAction_Evacuate_295", "ServersAction_Evacuate_268").replace(
        "TMP_EVAC", "ServersAction_Evacuate_295")
    rev = tmp_path / "revision.yaml"
    rev.write_text(swapped, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "--format", "json", str(COMPUTE), str(rev)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["changes"] == []


@pytest.mark.corpus
def test_removed_variant_is_removal_not_gated(lines: list[str], tmp_path: Path) -> None:
    text = "\n".join(lines)
    ref = "- $ref: '#/components/schemas/ServersAction_Evacuate_268'\n"
    indent = text[:text.index(ref)].rsplit("\n", 1)[1]
    code, report = _check(tmp_path, text.replace(indent + ref, "", 1))
    assert code == 1
    ids = [f["id"] for f in report["findings"]]
    assert ids == ["removal-not-gated"]
    assert "variant ServersAction_Evacuate_268" in report["findings"][0]["message"]


@pytest.mark.corpus
def test_gate_above_the_spec_or_inverted_is_gate_range_invalid(lines: list[str],
                                                               tmp_path: Path) -> None:
    above = _create(lines).replace("min-ver: '2.96'", "min-ver: '2.97'")
    code, report = _check(tmp_path, above)
    assert code == 1 and [f["id"] for f in report["findings"]] == ["gate-range-invalid"]
    assert "min-ver 2.97" in report["findings"][0]["message"]
    inverted = _create(lines).replace("        min-ver: '2.96'\n",
                                      "        min-ver: '2.96'\n        max-ver: '2.69'\n")
    code, report = _check(tmp_path, inverted)
    assert code == 1 and [f["id"] for f in report["findings"]] == ["gate-range-invalid"]
    assert "above max-ver 2.69" in report["findings"][0]["message"]


# --- smaller shapes --------------------------------------------------------------------------

def _small_check(tmp_path: Path, base: str, revision: str) -> tuple[int, dict[str, Any]]:
    (tmp_path / "b.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(revision, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path / "b.yaml"),
                                       str(tmp_path / "r.yaml")])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


SMALL = """openapi: 3.1.0
info: {title: compute, version: 'VERSION'}
paths:
  /servers/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  server:
                    type: object
                    properties:
                      security_groups:
                        type: array
                        x-openstack: {max-ver: '2.46'}
                      console:
                        type: string
                        enum: [rdp, vnc]
"""


def test_capped_property_is_not_served_up_to_the_base(tmp_path: Path) -> None:
    base = SMALL.replace("VERSION", "2.95")
    rev = base.replace("version: '2.95'", "version: '2.96'").replace(
        "type: array\n", "type: object\n")
    code, report = _small_check(tmp_path, base, rev)
    assert code == 1
    [finding] = report["findings"]
    assert "versions 2.1 to 2.46" in finding["message"]
    assert "up to 2.95" not in finding["message"]


def test_removed_enum_value_advice_is_a_new_variant(tmp_path: Path) -> None:
    base = SMALL.replace("VERSION", "2.95")
    rev = base.replace("version: '2.95'", "version: '2.96'").replace("[rdp, vnc]", "[vnc]")
    code, report = _small_check(tmp_path, base, rev)
    assert code == 1
    [finding] = report["findings"]
    assert finding["id"] == "removal-not-gated"
    assert "cannot carry its own max-ver" in finding["message"]
    assert "new variant" in finding["message"]


def test_range_message_is_whole_and_names_the_action(tmp_path: Path) -> None:
    rdp = FIXTURES / "policy" / "change-not-gated" / "near-miss-new-variant" / "base.yaml"
    base = rdp.read_text(encoding="utf-8")
    rev = base.replace("        max-ver: '2.5'\n        action-name: os-getRDPConsole",
                       "        max-ver: '2.4'\n        action-name: os-getRDPConsole")
    (tmp_path / "b.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(rev, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "--format", "json", str(tmp_path / "b.yaml"),
                                       str(tmp_path / "r.yaml")])
    [change] = json.loads(result.stdout)["changes"]
    assert "[any, 2.5] (action os-getRDPConsole) to [any, 2.4] (action os-getRDPConsole)" \
        in change["message"]
    assert "..." not in change["message"]


def test_unquoted_microversion_in_yaml_is_read_as_written() -> None:
    data = yamlutil.load("x-openstack: {min-ver: 2.10, max-ver: 2.20}\nother: 2.10\n")
    assert data["x-openstack"] == {"min-ver": "2.10", "max-ver": "2.20"}
    assert data["other"] == 2.1  # only the version keys are read as text


def test_microversion_as_json_number_is_warned_with_its_line() -> None:
    text = '{\n "openapi": "3.1.0",\n "x-openstack": {"min-ver": 2.10}\n}\n'
    _data, fmt, warnings = parse_text(text, "spec.json")
    assert fmt == "json"
    assert any(w.startswith("spec.json:3:") and "read as 2.1" in w for w in warnings)
    _data, _fmt, quiet = parse_text(text.replace("2.10", "2.11"), "spec.json")
    assert quiet == []


def test_dangling_ref_says_how_to_go_on(tmp_path: Path) -> None:
    base = SMALL.replace("VERSION", "2.95")
    rev = base.replace("type: string\n                        enum",
                       "$ref: '#/components/schemas/Gone'\n                        enum")
    (tmp_path / "b.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(rev, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "b.yaml"),
                                       str(tmp_path / "r.yaml")])
    assert result.exit_code == 2
    assert "points to nothing; fix the reference" in result.stderr
