"""Configuration discovery and errors, version sources, waivers and ``apilint baseline``."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from apilint.cli import main
from apilint.config import find_config, load_config
from apilint.errors import ConfigError
from apilint.model import Change, Finding
from apilint.waivers import Waiver, apply, load_waivers

NOT_BUMPED = ROOT / "fixtures" / "policy" / "version-not-bumped" / "fires"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the test's folder so no project configuration is found upward."""
    monkeypatch.chdir(tmp_path)


def _check(*args: str) -> Any:
    return CliRunner().invoke(main, ["check", *args])


def _pair(tmp: Path, src: Path = NOT_BUMPED) -> tuple[str, str]:
    shutil.copy(src / "base.yaml", tmp / "base.yaml")
    shutil.copy(src / "revision.yaml", tmp / "revision.yaml")
    return str(tmp / "base.yaml"), str(tmp / "revision.yaml")


# --- discovery ----------------------------------------------------------------------------

def test_config_found_upward_and_stops_at_git_root(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    repo = outer / "repo"
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    (repo / ".git").mkdir()
    (outer / ".apilint.toml").write_text('policy = "semver"\n')
    assert find_config(str(sub)) is None  # the file above the work tree is not ours
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(str(sub)) is None  # a pyproject without [tool.apilint]
    (repo / "pyproject.toml").write_text('[tool.apilint]\npolicy = "date"\n')
    assert find_config(str(sub)) == str(repo / "pyproject.toml")
    assert load_config(start=str(sub)).policy == "date"
    (repo / "a" / ".apilint.toml").write_text('policy = "strict"\n')
    assert load_config(start=str(sub)).policy == "strict"


def test_config_policy_applies_and_flag_overrides(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    base, rev = _pair(tmp_path, ROOT / "fixtures" / "policy" / "version-not-bumped" /
                      "near-miss")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert _check(base, rev).exit_code == 0  # doc-change only: openstack passes
    (tmp_path / ".apilint.toml").write_text('policy = "strict"\n')
    result = _check("--format", "json", base, rev)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["policy"] == "strict"
    assert _check("--policy", "openstack", base, rev).exit_code == 0
    other = tmp_path / "other.toml"
    other.write_text('policy = "openstack"\n')
    assert _check("--config", str(other), base, rev).exit_code == 0


@pytest.mark.parametrize("text, needle, line", [
    ('policy = "semver\n', "invalid TOML", 1),
    ('polcy = "semver"\n', "unknown key 'polcy'", None),
    ('policy = "calver"\n', "policy 'calver' is not one of", None),
    ('[rules]\nversion-not-bumpd = "off"\n', "did you mean version-not-bumped", None),
    ('[rules]\nversion-not-bumped = "fatal"\n', "level 'fatal'", None),
    ('[version]\nregex = "x(.*)"\n', "regex needs file", None),
    ('[version]\nfile = "v.py"\nregex = "("\n', "invalid regex", None),
    ('[version]\npointer = "info/version"\n', "must start with '/'", None),
    ('files = "a.yaml"\nignore = [1]\n', "ignore must be a list of strings", None),
])
def test_config_errors_exit_2_one_line_naming_the_file(tmp_path: Path, text: str,
                                                        needle: str, line: int | None) -> None:
    base, rev = _pair(tmp_path)
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    result = _check("--config", str(cfg), base, rev)
    assert result.exit_code == 2
    err = result.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert str(cfg) + (f":{line}" if line else "") in err
    assert needle in err


def test_missing_config_file_is_exit_2(tmp_path: Path) -> None:
    base, rev = _pair(tmp_path)
    result = _check("--config", str(tmp_path / "nope.toml"), base, rev)
    assert result.exit_code == 2 and "configuration file not found" in result.stderr


def test_pyproject_without_table_named_explicitly_is_an_error(tmp_path: Path) -> None:
    base, rev = _pair(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    result = _check("--config", str(tmp_path / "pyproject.toml"), base, rev)
    assert result.exit_code == 2 and "no [tool.apilint] table" in result.stderr


def test_rule_levels_and_ignore_from_config(tmp_path: Path) -> None:
    base, rev = _pair(tmp_path)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[rules]\nversion-not-bumped = "warning"\n')
    result = _check("--config", str(cfg), "--format", "json", base, rev)
    assert result.exit_code == 0
    assert [f["level"] for f in json.loads(result.stdout)["findings"]] == ["warning"]
    cfg.write_text('ignore = ["/servers/*"]\n')
    assert _check("--config", str(cfg), base, rev).exit_code == 0
    cfg.write_text('ignore = ["/images/*"]\n')
    assert _check("--config", str(cfg), base, rev).exit_code == 1


# --- version sources ------------------------------------------------------------------------

def _versioned_tree(tmp: Path, name: str, version_file: str, text: str) -> str:
    d = tmp / name
    d.mkdir()
    shutil.copy(NOT_BUMPED / ("base.yaml" if name == "base" else "revision.yaml"),
                d / "openapi.yaml")
    (d / version_file).write_text(text)
    return str(d / "openapi.yaml")


def test_version_from_python_constant_like_nova(tmp_path: Path) -> None:
    base = _versioned_tree(tmp_path, "base", "api_version_request.py",
                           "_MIN_API_VERSION = '2.1'\n_MAX_API_VERSION = '2.95'\n")
    rev = _versioned_tree(tmp_path, "revision", "api_version_request.py",
                          "_MIN_API_VERSION = '2.1'\n_MAX_API_VERSION = '2.96'\n")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[version]\nfile = "api_version_request.py"\n'
                   "regex = \"_MAX_API_VERSION = '([^']+)'\"\n")
    result = _check("--config", str(cfg), "--format", "json", base, rev)
    report = json.loads(result.stdout)
    assert report["versions"] == {"base": "2.95", "revision": "2.96"}
    assert report["scheme"] == "microversion"
    assert result.exit_code == 0  # info.version stays 2.95 in both, but the constant moved


def test_version_from_discovery_document(tmp_path: Path) -> None:
    doc = {"versions": [{"id": "v2.0", "status": "SUPPORTED", "version": ""},
                        {"id": "v2.1", "status": "CURRENT", "version": "{v}",
                         "min_version": "2.1"}]}
    base = _versioned_tree(tmp_path, "base", "versions.json",
                           json.dumps(doc).replace("{v}", "2.95"))
    rev = _versioned_tree(tmp_path, "revision", "versions.json",
                          json.dumps(doc).replace("{v}", "2.95"))
    cfg = tmp_path / "c.toml"
    cfg.write_text('[version]\ndiscovery = "versions.json"\n')
    result = _check("--config", str(cfg), "--format", "json", base, rev)
    assert json.loads(result.stdout)["versions"] == {"base": "2.95", "revision": "2.95"}
    assert result.exit_code == 1


def test_version_from_pointer_and_missing_source(tmp_path: Path) -> None:
    base, rev = _pair(tmp_path)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[version]\npointer = "/info/title"\n')
    result = _check("--config", str(cfg), "--format", "json", base, rev)
    report = json.loads(result.stdout)
    assert report["versions"] == {"base": "Compute", "revision": "Compute"}
    assert [f["id"] for f in report["findings"]] == ["version-unparseable"]
    # A configured source that yields nothing is a configuration error (issue 9), not a
    # finding over "None -> None".
    cfg.write_text('[version]\nfile = "nowhere.py"\nregex = "V = (.*)"\n')
    result = _check("--config", str(cfg), "--format", "json", base, rev)
    assert result.exit_code == 2
    assert "version.file 'nowhere.py' not found" in result.stderr


def test_version_flags_override(tmp_path: Path) -> None:
    base, rev = _pair(tmp_path)
    assert _check("--base-version", "2.95", "--revision-version", "2.96", base, rev
                  ).exit_code == 0
    assert _check("--revision-version", "2.94", base, rev).exit_code == 1


# --- waivers --------------------------------------------------------------------------------

def _change(rule: str = "response-property-added", op: str = "GET /servers/{id}",
            loc: str = "/paths/~1servers~1{id}/get/x", message: str = "m") -> Change:
    return Change(rule=rule, category="added-field", compat="compatible", operation=op,
                  location=loc, message=message)


def _waiver(**kw: Any) -> Waiver:
    base: dict[str, Any] = dict(rule="response-property-added", operation=None, location=None,
                                version=None, reason="because", expires=None, file="w.yaml",
                                line=1)
    base.update(kw)
    return Waiver(**base)


def test_waiver_matches_by_fingerprint_fields_not_message() -> None:
    ch = _change(message="response property added")
    same_place_other_text = _change(message="something else entirely")
    for c in (ch, same_place_other_text):
        f = Finding("version-not-bumped", "error", "x", [c])
        apply([f], [_waiver(operation="GET /servers/*", location="/paths/*/get/x")])
        assert f.waived and f.waiver_reason == "because"
    f = Finding("version-not-bumped", "error", "x", [_change(rule="response-property-removed")])
    apply([f], [_waiver()])
    assert not f.waived
    f = Finding("version-not-bumped", "error", "x", [_change(op="GET /images")])
    apply([f], [_waiver(operation="GET /servers/*")])
    assert not f.waived


def test_partial_waiver_trims_changes_and_keeps_the_finding() -> None:
    a, b = _change(loc="/a"), _change(loc="/b")
    f = Finding("version-not-bumped", "error", "x", [a, b])
    out = apply([f], [_waiver(location="/a")])
    assert not f.waived and f.changes == [b] and "1 of its changes waived" in f.message
    assert out == [f]


def test_expired_waiver_stops_matching_and_says_so() -> None:
    f = Finding("version-not-bumped", "error", "x", [_change()])
    out = apply([f], [_waiver(expires=dt.date(2026, 1, 1))], today=dt.date(2026, 1, 2))
    assert not f.waived
    assert [g.id for g in out] == ["version-not-bumped", "waiver-expired"]
    assert out[1].level == "warning" and "2026-01-01" in out[1].message
    f2 = Finding("version-not-bumped", "error", "x", [_change()])
    out = apply([f2], [_waiver(expires=dt.date(2026, 1, 1))], today=dt.date(2026, 1, 1))
    assert f2.waived and [g.id for g in out] == ["version-not-bumped"]


def test_waiver_for_a_finding_id() -> None:
    f = Finding("version-unparseable", "error", "x", [])
    apply([f], [_waiver(rule="version-unparseable")])
    assert f.waived


@pytest.mark.parametrize("text, needle, line", [
    ("- rule: response-property-added\n  location: /x\n", "has no reason", 1),
    ("- {rule: response-property-added, reason: ok}\n- rule: operation-added\n"
     "  reason: '  '\n", "waiver 2 (operation-added) has no reason", 2),
    ("- rule: no-such-rule\n  reason: x\n", "no rule named 'no-such-rule'", 1),
    ("- rule: operation-added\n  reason: x\n  expires: soon\n", "is not a date", 1),
    ("- rule: operation-added\n  reason: x\n  why: y\n", "unknown field 'why'", 1),
    ("waivers: {rule: x}\n", "is a list of entries", None),
    ("- rule: [\n", "invalid YAML", 2),
])
def test_bad_waiver_file_is_exit_2_with_file_and_line(tmp_path: Path, text: str, needle: str,
                                                      line: int | None) -> None:
    base, rev = _pair(tmp_path)
    w = tmp_path / "waivers.yaml"
    w.write_text(text)
    with pytest.raises(ConfigError):
        load_waivers(str(w))
    result = _check("--waivers", str(w), base, rev)
    assert result.exit_code == 2
    err = result.stderr.strip()
    assert "\n" not in err and needle in err
    assert (f"{w}:{line}:" if line else f"{w}:") in err


def test_unquoted_microversion_in_waiver_keeps_its_text(tmp_path: Path) -> None:
    w = tmp_path / "w.yaml"
    w.write_text("- rule: operation-added\n  version: 2.10\n  reason: ok\n")
    assert load_waivers(str(w))[0].version == "2.10"


def test_baseline_round_trip(tmp_path: Path) -> None:
    base, rev = _pair(tmp_path)
    out = tmp_path / "waivers.yaml"
    result = CliRunner().invoke(main, ["baseline", base, rev, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    entries = data["waivers"]
    assert [(e["rule"], e["operation"], e["version"], e["reason"]) for e in entries] == [
        ("response-property-added", "GET /servers/{id}", "2.95", "")]
    # Unedited, the file is rejected: every entry needs a reason.
    assert _check("--waivers", str(out), base, rev).exit_code == 2
    entries[0]["reason"] = "the service always returned it; the spec caught up"
    out.write_text(yaml.safe_dump(data, sort_keys=False))
    result = _check("--waivers", str(out), "--format", "json", base, rev)
    assert result.exit_code == 0
    assert [f["waived"] for f in json.loads(result.stdout)["findings"]] == [True]
    # A second baseline keeps the edited entry and adds nothing new.
    assert CliRunner().invoke(main, ["baseline", "--waivers", str(out), base, rev, "-o",
                                     str(out)]).exit_code == 0
    again = yaml.safe_load(out.read_text())["waivers"]
    assert len(again) == 1 and again[0]["reason"].startswith("the service")


def test_config_waivers_key_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base, rev = _pair(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "accepted.yaml").write_text(
        "- rule: response-property-added\n  reason: accepted in review\n")
    (tmp_path / ".apilint.toml").write_text('waivers = "accepted.yaml"\n')
    monkeypatch.chdir(tmp_path)
    assert _check(base, rev).exit_code == 0
    # Configured but not written yet: nothing is waived, and the report says so (the
    # violation stands: exit 1), instead of failing the run as bad input.
    (tmp_path / ".apilint.toml").write_text('waivers = "missing.yaml"\n')
    result = _check(base, rev)
    assert result.exit_code == 1, result.output
    assert "missing.yaml does not exist yet" in result.stdout
    # An explicit --waivers that does not exist is still bad input.
    assert _check("--waivers", str(tmp_path / "nope.yaml"), base, rev).exit_code == 2


def test_baseline_creates_the_configured_file_and_covers_shared_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pet store's revision changes the shared Pet schema (three operations) without a
    version increase. ``baseline`` with no -o writes the configured waiver file; once each
    entry has a reason, every change is waived, the shared ones included."""
    src = ROOT / "fixtures" / "examples" / "petstore"
    for name in ("base.yaml", "revision.yaml"):
        shutil.copy(src / name, tmp_path / name)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".apilint.toml").write_text('waivers = "api-waivers.yaml"\n')
    monkeypatch.chdir(tmp_path)
    assert _check("base.yaml", "revision.yaml").exit_code == 1
    made = CliRunner().invoke(main, ["baseline", "base.yaml", "revision.yaml"])
    assert made.exit_code == 0, made.output
    data = yaml.safe_load((tmp_path / "api-waivers.yaml").read_text())
    shared = [e for e in data["waivers"] if e["location"].startswith("/components/schemas/Pet/")]
    assert shared and all("operation" not in e for e in shared)
    for entry in data["waivers"]:
        entry["reason"] = "released before apilint guarded this API"
    (tmp_path / "api-waivers.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = _check("--format", "json", "base.yaml", "revision.yaml")
    assert result.exit_code == 0, result.output
    assert all(f["waived"] for f in json.loads(result.stdout)["findings"]
               if f["level"] == "error")


@pytest.mark.parametrize("name", ["versions-get-resp.json", "v21-version-get-resp.json"])
def test_real_nova_version_documents(name: str) -> None:
    """Nova's own version discovery samples (list form and single form) give 2.104."""
    from apilint.config import VersionSource, read_version
    from apilint.loader import read_bytes

    folder = FIXTURES / "captures" / "nova-versions"  # copied from the corpus
    got = read_version(VersionSource("discovery", file=name), {}, root=str(folder),
                       reader=read_bytes, exists=lambda p: Path(p).exists())
    assert got == ("2.104", name)
