"""The published JSON Schema of ``--format json`` matches what ``diff`` and ``check`` print.

Real diffs of small corpus pairs (Twilio, Adyen, Azure; copies in fixtures/real) and of the
bundled pet store must validate; reports with a required member missing or a value outside its
vocabulary must not, so the schema is known to be strict where it promises to be.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from apilint.cli import main
from apilint.model import CATEGORIES, COMPATS

SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
# Small real pairs, copied from the shared corpus into fixtures/real (see its README).
REAL = FIXTURES / "real"
PAIRS = ["twilio-messaging_v3-1.0.0__1.0.0", "adyen-binlookup-53__54",
         "azure-storage-2015-06-15__2016-01-01", "twilio-routes_v2-1.56.1__1.0.0",
         "adyen-hop-5__6"]
PETSTORE = ROOT / "fixtures" / "examples" / "petstore"


def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def errors(report: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(report)]


def run_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def pair(name: str) -> tuple[str, str]:
    folder = REAL / name
    if not folder.is_dir():
        pytest.fail(f"corpus pair {name} is missing from {REAL}")
    old = next(folder.glob("old.*"))
    new = next(folder.glob("new.*"))
    return str(old), str(new)


def test_schema_vocabularies_match_the_model() -> None:
    change = SCHEMA["$defs"]["change"]["properties"]
    assert tuple(change["category"]["enum"]) == CATEGORIES
    assert tuple(change["compat"]["enum"]) == COMPATS
    assert set(SCHEMA["properties"]["summary"]["properties"]["by_category"]["required"]) == set(
        CATEGORIES)


@pytest.mark.parametrize("name", PAIRS)
def test_real_diffs_validate(name: str) -> None:
    old, new = pair(name)
    report = run_json("diff", old, new)
    assert report["changes"], "a real pair with changes makes a stronger test"
    assert errors(report) == []


@pytest.mark.parametrize("name", PAIRS[:2])
def test_real_checks_validate(name: str) -> None:
    old, new = pair(name)
    report = run_json("check", old, new)
    assert report["command"] == "check"
    assert errors(report) == []


def test_petstore_check_with_findings_validates() -> None:
    report = run_json("check", str(PETSTORE / "base.yaml"), str(PETSTORE / "revision.yaml"))
    assert report["findings"]
    assert errors(report) == []


def _mutants(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []

    def mutant(label: str, edit: Any) -> None:
        copy_ = copy.deepcopy(report)
        edit(copy_)
        out.append((label, copy_))

    mutant("no changes member", lambda r: r.pop("changes"))
    mutant("no summary", lambda r: r.pop("summary"))
    mutant("format version 2", lambda r: r.update(apilint=2))
    mutant("unknown command", lambda r: r.update(command="lint"))
    mutant("unknown category", lambda r: r["changes"][0].update(category="renamed"))
    mutant("unknown compat", lambda r: r["changes"][0].update(compat="maybe"))
    mutant("change without rule", lambda r: r["changes"][0].pop("rule"))
    mutant("change without fingerprint", lambda r: r["changes"][0].pop("fingerprint"))
    mutant("bad fingerprint", lambda r: r["changes"][0].update(fingerprint="XYZ"))
    mutant("change without any place", lambda r: r["changes"][0].update(base=None,
                                                                          revision=None))
    mutant("location line 0", lambda r: r["changes"][0]["revision"].update(line=0))
    mutant("location without pointer", lambda r: r["changes"][0]["revision"].pop("pointer"))
    mutant("summary count negative", lambda r: r["summary"].update(changes=-1))
    mutant("category count missing", lambda r: r["summary"]["by_category"].pop("new-call"))
    mutant("check without findings", lambda r: r.pop("findings"))
    mutant("finding with unknown level", lambda r: r["findings"][0].update(level="fatal"))
    mutant("finding without waived", lambda r: r["findings"][0].pop("waived"))
    mutant("exit code 3", lambda r: r.update(exit_code=3))
    return out


def test_schema_rejects_broken_reports() -> None:
    report = run_json("check", str(PETSTORE / "base.yaml"), str(PETSTORE / "revision.yaml"))
    assert errors(report) == []
    for label, broken in _mutants(report):
        assert errors(broken), f"the schema accepted a report with {label}"


def test_schema_allows_new_members() -> None:
    report = run_json("diff", str(PETSTORE / "base.yaml"), str(PETSTORE / "revision.yaml"))
    report["new_top_level"] = {"anything": True}
    report["changes"][0]["severity_hint"] = 3
    assert errors(report) == []
