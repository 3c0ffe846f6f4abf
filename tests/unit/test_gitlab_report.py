"""``--format gitlab``: a GitLab Code Quality report, validated against a JSON Schema written
from GitLab's documented format (tests/data/gitlab-code-quality.schema.json), on the bundled
pet store, a real Kubernetes release and a hostile spec."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import CORPUS, ROOT

from apilint.api import compare
from apilint.model import Change, Finding, Location, Report
from apilint.report import render

PETSTORE = ROOT / "fixtures" / "examples" / "petstore"
KUBERNETES = CORPUS / "real" / "kubernetes-release-1.34__release-1.35"
SCHEMA = json.loads((ROOT / "tests" / "data" / "gitlab-code-quality.schema.json")
                    .read_text("utf-8"))
RANK = {"blocker": 0, "critical": 1, "major": 2, "minor": 3, "info": 4}
EVIL = ("x\n::error::y </script> \"q\" 'a' & \x00\x1b[31m \u2028 \ud800 @octocat")


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "apilint", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def _gitlab(command: str, base: Path, revision: Path) -> list[dict]:
    run = _cli(command, str(base), str(revision), "--format", "gitlab")
    assert run.returncode in (0, 1), run.stderr
    items = json.loads(run.stdout)
    jsonschema.validate(items, SCHEMA)
    return items


def _json(command: str, base: Path, revision: Path) -> dict:
    run = _cli(command, str(base), str(revision), "--format", "json")
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_schema_rejects_what_gitlab_would_not_read() -> None:
    """The schema is a real check: each missing or wrong field is an error."""
    good = {"description": "d", "check_name": "c", "fingerprint": "f", "severity": "major",
            "location": {"path": "a.yaml", "lines": {"begin": 3}}}
    jsonschema.validate([good], SCHEMA)
    for bad in ({**good, "severity": "error"}, {**good, "location": {"path": "a.yaml"}},
                {**good, "location": {"path": "a.yaml", "lines": {"begin": 0}}},
                {k: v for k, v in good.items() if k != "fingerprint"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([bad], SCHEMA)


def test_petstore_check_items_severities_and_order() -> None:
    items = _gitlab("check", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    report = _json("check", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    assert len(items) == len(report["findings"]) + len(report["changes"])
    first = items[0]
    assert first["check_name"] == "version-not-bumped" and first["severity"] == "critical"
    assert first["location"] == {"path": "fixtures/examples/petstore/revision.yaml",
                                 "lines": {"begin": report["findings"][0]["location"]["line"]}}
    changes = items[len(report["findings"]):]
    by_compat = {"breaking": "major", "compatible": "minor", "none": "info"}
    assert sorted(i["severity"] for i in changes) == sorted(
        by_compat[c["compat"]] for c in report["changes"])
    # What blocks first: breaking, then other API changes, then documentation.
    ranks = [RANK[i["severity"]] for i in items]
    assert ranks == sorted(ranks)
    assert [i["severity"] for i in changes].count("major") == report["summary"]["breaking"]
    lines = {(c["rule"], (c["revision"] or c["base"])["line"]) for c in report["changes"]}
    assert {(i["check_name"], i["location"]["lines"]["begin"]) for i in changes} == lines


def test_paths_are_relative_to_the_checkout_even_for_absolute_arguments() -> None:
    items = _gitlab("diff", (PETSTORE / "base.yaml").resolve(),
                    (PETSTORE / "revision.yaml").resolve())
    assert {i["location"]["path"] for i in items} == {
        "fixtures/examples/petstore/base.yaml", "fixtures/examples/petstore/revision.yaml"}


def test_fingerprints_unique_and_stable_when_lines_move(tmp_path: Path) -> None:
    items = _gitlab("diff", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    assert len({i["fingerprint"] for i in items}) == len(items)
    moved = tmp_path / "revision.yaml"
    moved.write_text("# a comment\n# and another\n" + (PETSTORE / "revision.yaml")
                     .read_text("utf-8"), "utf-8")
    again = _gitlab("diff", PETSTORE / "base.yaml", moved)
    before = {i["fingerprint"]: i for i in items}
    after = {i["fingerprint"]: i for i in again}
    assert before.keys() == after.keys()
    moved_lines = [fp for fp, i in after.items()
                   if i["location"]["path"].endswith("revision.yaml")]
    assert moved_lines and all(after[fp]["location"]["lines"]["begin"]
                               == before[fp]["location"]["lines"]["begin"] + 2
                               for fp in moved_lines)


def test_repeated_identity_still_gets_unique_fingerprints() -> None:
    loc = Location("a.yaml", "/paths/~1x", 4, 1)
    twin = Change(rule="description-changed", category="doc-change", compat="none",
                  operation="GET /x", location="/paths/~1x/get/description",
                  message="description changed", revision=loc, operations=("GET /x",))
    report = Report(base="b.yaml", revision="a.yaml", changes=[twin, twin, twin])
    items = json.loads(render(report, "gitlab"))
    jsonschema.validate(items, SCHEMA)
    assert len({i["fingerprint"] for i in items}) == 3
    assert json.loads(render(report, "gitlab")) == items  # stable across runs


def test_waived_and_warning_findings_are_not_failures() -> None:
    loc = Location("a.yaml", "/info/version", 2, 3)
    report = Report(base="b.yaml", revision="a.yaml", command="check", findings=[
        Finding("removal-not-gated", "error", "removed", location=loc, waived=True,
                waiver_reason="agreed"),
        Finding("version-bumped-without-change", "warning", "bumped", location=loc),
        Finding("new-spec", "info", "new", location=None),
    ], warnings=["something odd \ud800"])
    items = json.loads(render(report, "gitlab"))
    jsonschema.validate(items, SCHEMA)
    # What blocks first: the warning, then info, the waived finding last.
    assert [i["severity"] for i in items] == ["minor", "info", "info", "info"]
    assert "waived: agreed" in items[2]["description"]
    assert items[1]["location"] == {"path": "a.yaml", "lines": {"begin": 1}}
    assert items[3]["check_name"] == "apilint-input-warning"


def test_hostile_text_is_one_ascii_line() -> None:
    loc = Location("a.yaml", "/x", 7, 1)
    change = Change(rule="response-property-removed", category="removed-field",
                    compat="breaking", operation="GET /x", location="/x/</script>",
                    message=f"response property {EVIL} removed", base=loc,
                    operations=("GET /x", "GET /y"))
    text = render(Report(base="b.yaml", revision="a.yaml", changes=[change]), "gitlab")
    assert text.isascii()
    items = json.loads(text)
    jsonschema.validate(items, SCHEMA)
    desc = items[0]["description"]
    assert "\n" not in desc and "\x00" not in desc and "\u2028" not in desc
    assert "</script>" in desc and "reaches GET /x, GET /y" in desc


def test_empty_comparison_is_an_empty_array() -> None:
    assert _gitlab("diff", PETSTORE / "base.yaml", PETSTORE / "base.yaml") == []


@pytest.mark.corpus
def test_kubernetes_release() -> None:
    items = _gitlab("diff", KUBERNETES / "old.json", KUBERNETES / "new.json")
    report = _json("diff", KUBERNETES / "old.json", KUBERNETES / "new.json")
    assert len(items) == len(report["changes"]) > 100
    assert len({i["fingerprint"] for i in items}) == len(items)
    assert sum(i["severity"] == "major" for i in items) == report["summary"]["breaking"]


def test_api_report_of_compare_renders() -> None:
    cmp = compare(str(PETSTORE / "base.yaml"), str(PETSTORE / "revision.yaml"))
    report = Report(base=cmp.base.document.path, revision=cmp.revision.document.path,
                    changes=cmp.changes)
    jsonschema.validate(json.loads(render(report, "gitlab")), SCHEMA)
