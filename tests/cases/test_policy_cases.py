"""Policy fixtures through the real CLI, plus unit tests of the policy arithmetic.

Each ``fixtures/policy/<finding-id>/{fires,near-miss}/`` case holds ``base.yaml`` (absent for a
new spec), ``revision.yaml``, ``expected.yaml`` (``findings`` ids, ``waived`` ids, ``exit``,
optional ``args`` and ``git: true``) and optionally ``waivers.yaml`` / ``.apilint.toml``.
Git cases build a real repository: base committed as openapi.yaml, revision in the work tree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT

from apilint.catalogue import rules
from apilint.cli import main
from apilint.filters import Selection
from apilint.model import Change
from apilint.policy import Inputs, evaluate

POLICY = ROOT / "fixtures" / "policy"
# Only this file's findings: other catalogue files (conformance …) have their own fixtures.
FINDING_IDS = sorted(e["id"] for e in yaml.safe_load(
    (ROOT / "apilint" / "rules" / "findings.yaml").read_text(encoding="utf-8")))


def _cases() -> list[Path]:
    return sorted(p.parent for p in POLICY.rglob("expected.yaml"))


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                   capture_output=True)


def _run_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, Any]:
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    args = ["check", "--format", "json"]
    args += [str(a).replace("{dir}", str(case)) for a in expected.get("args") or []]
    if (case / "waivers.yaml").exists():
        args += ["--waivers", str(case / "waivers.yaml")]
    if (case / ".apilint.toml").exists():
        args += ["--config", str(case / ".apilint.toml")]
    if expected.get("git"):
        repo = tmp_path / "repo"
        repo.mkdir()
        _git(repo, "init", "-q")
        (repo / "README").write_text("x\n")
        if (case / "base.yaml").exists():
            shutil.copy(case / "base.yaml", repo / "openapi.yaml")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "base")
        shutil.copy(case / "revision.yaml", repo / "openapi.yaml")
        monkeypatch.chdir(repo)
        args += ["--base", "HEAD", "openapi.yaml"]
    else:
        monkeypatch.chdir(tmp_path)  # no stray configuration found upward
        args += [str(case / "base.yaml"), str(case / "revision.yaml")]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result


@pytest.mark.parametrize("case", _cases(), ids=lambda p: str(p.relative_to(POLICY)))
def test_policy_fixture(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert str(expected.get("description", "")).strip(), "expected.yaml needs a description"
    code, result = _run_case(case, tmp_path, monkeypatch)
    assert code == expected["exit"], result.output + (result.stderr or "")
    report = json.loads(result.stdout)
    got = Counter(f["id"] for f in report["findings"])
    assert got == Counter(expected.get("findings") or []), report["findings"]
    waived = Counter(f["id"] for f in report["findings"] if f["waived"])
    assert waived == Counter(expected.get("waived") or [])
    assert report["exit_code"] == expected["exit"]
    fid, kind = case.parent.name, case.name
    if kind == "fires" or kind.startswith("fires-"):  # extra cases: fires-<what>
        assert fid in got
    else:
        assert fid not in got or fid in waived


def test_every_finding_has_fires_and_near_miss() -> None:
    assert FINDING_IDS, "apilint/rules/findings.yaml lists no findings"
    for fid in FINDING_IDS:
        for kind in ("fires", "near-miss"):
            assert (POLICY / fid / kind / "expected.yaml").is_file(), f"{fid}/{kind} missing"


def test_every_finding_message_renders_and_explains() -> None:
    for fid in FINDING_IDS:
        rule = rules()[fid]
        assert rule.level in ("error", "warning", "info"), fid
        assert rule.why and rule.example, fid
        assert "{" not in rule.render(what="x", version="1", policy="p", base="1",
                                      revision="2", scheme="s", side="base", where="w",
                                      need="major", detail="d", file="f", ref="HEAD",
                                      expires="2020-01-01", reason="r")


# --- arithmetic, without files -------------------------------------------------------------

def _ch(rule: str = "response-property-added", category: str = "added-field",
        compat: str = "compatible", op: str = "GET /x", loc: str = "/paths/~1x/get") -> Change:
    return Change(rule=rule, category=category, compat=compat, operation=op, location=loc,
                  message=f"{rule} at {loc}")


def _ids(b: str | None, r: str | None, changes: list[Change], policy: str = "openstack",
         **kw: Any) -> list[str]:
    verdict = evaluate(Inputs(changes, b, r), policy, **kw)
    return [f.id for f in verdict.findings]


@pytest.mark.parametrize("b, r, want", [
    ("2.9", "2.10", []),
    ("2.10", "2.9", ["version-decreased"]),
    ("2.96", "2.96", ["version-not-bumped"]),
    ("2020-08-27", "2020-08-27", ["version-not-bumped"]),
    ("2020-03-02", "2020-08-27", []),
    ("2018-08-01.7.0", "2018-12-01.8.0", []),
    ("6.3.0.9", "6.4.0.36", []),
    ("71", "72", []),
    ("v1.10.0", "v1.11.1", []),
    ("unversioned", "unversioned", ["version-unparseable"]),
    (None, "1.0.0", ["version-unparseable"]),
    ("1.0.0", "2023-01-01", ["version-unparseable"]),
])
def test_openstack_policy_versions(b: str | None, r: str | None, want: list[str]) -> None:
    assert _ids(b, r, [_ch()]) == want


def test_doc_change_needs_no_bump_except_under_strict() -> None:
    doc = _ch("description-changed", "doc-change", "none")
    assert _ids("1.0", "1.0", [doc]) == []
    assert _ids("1.0", "1.0", [doc], "strict") == ["version-not-bumped"]
    assert _ids("1.0", "1.1", [doc]) == ["version-bumped-without-change"]
    assert _ids("1.0", "1.1", [doc], "strict") == []


@pytest.mark.parametrize("b, r, compat, want", [
    ("1.4.2", "2.0.0", "breaking", []),
    ("1.4.2", "1.5.0", "breaking", ["version-bump-too-small"]),
    ("1.4.2", "1.4.3", "compatible", ["version-bump-too-small"]),
    ("1.4.2", "1.5.0", "compatible", []),
    ("0.4.2", "0.5.0", "breaking", []),
    ("0.4.2", "0.4.3", "breaking", ["version-bump-too-small"]),
    ("1.9.0", "1.10.0", "compatible", []),
    ("2.0.0-rc.1", "2.0.0", "compatible", ["version-bump-too-small"]),
    ("1.0.0", "2.0.0-rc.1", "breaking", []),
])
def test_semver_policy(b: str, r: str, compat: str, want: list[str]) -> None:
    assert _ids(b, r, [_ch(compat=compat)], "semver") == want


def test_date_policy_rejects_non_dates_and_equal_dates() -> None:
    assert _ids("2.1", "2.2", [_ch()], "date") == ["version-unparseable"]
    assert _ids("2023-05-01-preview", "2023-05-01", [_ch()], "date") == []
    assert _ids("2023-05-01", "2023-05-01-preview", [_ch()], "date") == ["version-decreased"]


def test_levels_and_ignore() -> None:
    ch = _ch(op="GET /internal/debug")
    assert Selection(exclude=["/internal/*"]).apply([ch]) == []
    assert Selection(levels={"response-property-added": "off"}).apply([ch]) == []
    assert Selection(exclude=["/public/*"]).apply([ch]) == [ch]
    verdict = evaluate(Inputs([ch], "1.0", "1.0"), levels={"version-not-bumped": "warning"})
    assert [(f.id, f.level) for f in verdict.findings] == [("version-not-bumped", "warning")]
    # lowering every change that caused a finding lowers the finding
    verdict = evaluate(Inputs([ch], "1.0", "1.0"),
                       levels={"response-property-added": "warning"})
    assert [f.level for f in verdict.findings] == ["warning"]


def test_gating_skipped_when_version_not_bumped(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With the version unchanged the root cause is the missing bump, reported once."""
    case = POLICY / "change-not-gated" / "fires"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--format", "json", "--revision-version",
                                       "2.95", str(case / "base.yaml"),
                                       str(case / "revision.yaml")])
    assert result.exit_code == 1
    ids = [f["id"] for f in json.loads(result.stdout)["findings"]]
    assert ids == ["version-not-bumped"]
