"""The options ``diff`` and ``check`` share: --fail-on, path and category filters, --no-docs,
--statistics, --config on diff, --color/FORCE_COLOR and case-insensitive --format, run on
the bundled pet store (8 changes: 5 breaking, 2 other API changes, 1 doc change)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from apilint.cli import main

PET = ROOT / "fixtures" / "examples" / "petstore"
BASE, REV = str(PET / "base.yaml"), str(PET / "revision.yaml")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout


def rules_of(out: str) -> list[str]:
    return sorted(c["rule"] for c in json.loads(out)["changes"])


@pytest.mark.parametrize(("level", "status"), [("breaking", 1), ("compatible", 1), ("any", 1)])
def test_fail_on_fires_when_such_a_change_exists(level: str, status: int) -> None:
    assert run("diff", BASE, REV, "--fail-on", level)[0] == status


def test_fail_on_near_misses() -> None:
    # Only the description change left: "any" fails, "compatible" and "breaking" do not.
    docs = ("diff", BASE, REV, "--only", "doc-change")
    assert run(*docs, "--fail-on", "any")[0] == 1
    assert run(*docs, "--fail-on", "compatible")[0] == 0
    assert run(*docs, "--fail-on", "breaking")[0] == 0
    # The new call only: compatible, not breaking.
    new = ("diff", BASE, REV, "--only", "new-call")
    assert run(*new, "--fail-on", "compatible")[0] == 1
    assert run(*new, "--fail-on", "breaking")[0] == 0
    assert run("diff", BASE, BASE, "--fail-on", "any")[0] == 0


def test_match_and_exclude_path() -> None:
    code, out = run("diff", BASE, REV, "-f", "json", "--match-path", "/pets/{*}")
    assert code == 0
    changes = json.loads(out)["changes"]
    # Each kept change reaches /pets/{id} (a shared one may reach other paths too).
    assert changes and all(any(op.endswith(" /pets/{id}") for op in c["operations"])
                           for c in changes)
    assert "request-constraint-tightened" not in rules_of(out)  # GET /pets only
    # Excluding every path leaves nothing; excluding /pets/{id} keeps GET /pets's change.
    assert json.loads(run("diff", BASE, REV, "-f", "json", "--exclude-path", "*")[1])[
        "changes"] == []
    kept = rules_of(run("diff", BASE, REV, "-f", "json", "--exclude-path", "/pets/{id}")[1])
    assert "request-constraint-tightened" in kept and "operation-added" not in kept


def test_only_and_no_docs_also_narrow_the_gate() -> None:
    assert rules_of(run("diff", BASE, REV, "-f", "json", "--only", "new-call")[1]) == [
        "operation-added"]
    assert "description-changed" not in rules_of(run("diff", BASE, REV, "-f", "json",
                                                     "--no-docs")[1])
    # check gates only what is kept: the description change alone does not fail the rule.
    assert run("check", BASE, REV, "--only", "doc-change")[0] == 0
    assert run("check", BASE, REV, "--only", "new-call")[0] == 1
    assert run("check", BASE, REV, "--match-path", "/nothing/*")[0] == 0


def test_statistics_counts_rules_and_categories() -> None:
    code, out = run("diff", BASE, REV, "--statistics")
    assert code == 0
    assert "1  request-constraint-tightened  (behavior-change, breaking)" in out
    assert "2  added-field" in out and out.rstrip().endswith("8  changes in all")


def test_diff_config_turns_a_rule_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "apilint.toml"
    cfg.write_text('[tool.apilint.rules]\ndescription-changed = "off"\n')
    got = rules_of(run("diff", BASE, REV, "-f", "json", "--config", str(cfg))[1])
    assert "description-changed" not in got and len(got) == 7


def test_format_is_case_insensitive_and_colour_is_chosen() -> None:
    assert json.loads(run("diff", BASE, REV, "-f", "JSON")[1])["changes"]
    plain = run("diff", BASE, REV)[1]
    assert "\x1b[" not in plain  # not a terminal
    assert "\x1b[" in run("diff", BASE, REV, "--color", "always")[1]
    assert "\x1b[" in run("diff", BASE, REV, env={"FORCE_COLOR": "1"})[1]
    assert "\x1b[" not in run("diff", BASE, REV, "--color", "never",
                              env={"FORCE_COLOR": "1"})[1]
    # NO_COLOR is the user's own "never"; it wins over FORCE_COLOR (a CI-wide default).
    assert "\x1b[" not in run("diff", BASE, REV, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})[1]
