"""``gate.run``: the check as one library call, with the rule levels applied once per finding.

The pair is a small pet store whose revision adds a response property without a version
increase (``version-not-bumped``), configured through a real ``.apilint.toml``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from apilint import gate, policy
from apilint.errors import UsageError
from apilint.model import Finding

_SPEC = """\
openapi: 3.1.0
info:
  title: Pets
  version: 1.0.0
paths:
  /pets/{{pet_id}}:
    get:
      operationId: showPet
      parameters:
        - name: pet_id
          in: path
          required: true
          schema: {{type: string}}
      responses:
        "200":
          description: One pet
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {{type: string}}
{extra}"""


def _pair(tmp_path: Path, rules: str) -> tuple[str, str, str]:
    base = tmp_path / "base.yaml"
    revision = tmp_path / "revision.yaml"
    base.write_text(_SPEC.format(extra=""), encoding="utf-8")
    revision.write_text(_SPEC.format(extra="                  name: {type: string}\n"),
                        encoding="utf-8")
    config = tmp_path / ".apilint.toml"
    config.write_text(f'policy = "openstack"\n\n[rules]\n{rules}', encoding="utf-8")
    return str(base), str(revision), str(config)


def _options(base: str, revision: str, config: str, **kw: Any) -> gate.Options:
    return gate.Options(paths=(base, revision), base_ref=None, pre_commit=False, policy=None,
                        scheme=None, config_path=config, waivers_path=None, base_version=None,
                        revision_version=None, root=str(Path(base).parent), **kw)


def test_violation_without_levels_is_an_error(tmp_path: Path) -> None:
    report = gate.run(_options(*_pair(tmp_path, "")))
    assert report is not None
    assert [(f.id, f.level) for f in report.findings] == [("version-not-bumped", "error")]
    assert report.exit_code == 1
    assert [c.rule for c in report.changes] == ["response-property-added"]


def test_a_lowered_rule_lowers_the_finding_it_alone_caused(tmp_path: Path) -> None:
    report = gate.run(_options(*_pair(tmp_path, 'response-property-added = "warning"\n')))
    assert report is not None
    assert [(f.id, f.level) for f in report.findings] == [("version-not-bumped", "warning")]
    assert report.exit_code == 0


def test_the_findings_own_level_wins_over_its_lowered_changes(tmp_path: Path) -> None:
    """Set both: the finding's own id says error, its only change's rule says warning. The
    run has always ended with the finding's own level (exit 1), as before gate.py."""
    rules = 'response-property-added = "warning"\nversion-not-bumped = "error"\n'
    report = gate.run(_options(*_pair(tmp_path, rules)))
    assert report is not None
    assert [(f.id, f.level) for f in report.findings] == [("version-not-bumped", "error")]
    assert report.exit_code == 1


def test_a_finding_turned_off_is_left_out(tmp_path: Path) -> None:
    report = gate.run(_options(*_pair(tmp_path, 'version-not-bumped = "off"\n')))
    assert report is not None
    assert report.findings == []
    assert report.exit_code == 0


def test_levels_are_applied_once_per_finding(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Each finding passes through ``policy.apply_levels`` exactly once in a run (before
    gate.py the check applied them in ``evaluate`` and again after the waivers)."""
    seen: list[int] = []
    real = policy.apply_levels

    def counting(findings: list[Finding], levels: dict[str, str]) -> list[Finding]:
        seen.extend(id(f) for f in findings)
        return real(findings, levels)

    monkeypatch.setattr(policy, "apply_levels", counting)
    report = gate.run(_options(*_pair(tmp_path, 'version-not-bumped = "warning"\n')))
    assert report is not None
    assert [(f.id, f.level) for f in report.findings] == [("version-not-bumped", "warning")]
    assert sorted(seen) == sorted({*seen}), "a finding had its levels applied twice"
    assert {id(f) for f in report.findings} <= set(seen)


def test_expired_waiver_findings_get_their_level_too(tmp_path: Path) -> None:
    base, revision, config = _pair(tmp_path, 'waiver-expired = "error"\n')
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n- rule: response-property-added\n  location: /x\n"
                       "  reason: old\n  expires: 2020-01-01\n", encoding="utf-8")
    report = gate.run(replace(_options(base, revision, config), waivers_path=str(waivers)))
    assert report is not None
    expired = [f for f in report.findings if f.id == "waiver-expired"]
    assert [f.level for f in expired] == ["error"]


def test_two_files_or_git_mode_else_usage_error(tmp_path: Path) -> None:
    base, _, config = _pair(tmp_path, "")
    with pytest.raises(UsageError, match="check needs BASE and REVISION"):
        gate.run(gate.Options(paths=(base,), base_ref=None, pre_commit=False, policy=None,
                              scheme=None, config_path=config, waivers_path=None,
                              base_version=None, revision_version=None, root=None))
