"""``apilint check`` from the command line: reports, exit codes, git and hook modes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, run_apilint

from apilint.cli import main

POLICY = ROOT / "fixtures" / "policy"
NOT_BUMPED = POLICY / "version-not-bumped" / "fires"
BUMPED = POLICY / "version-bumped-without-change" / "near-miss"  # 2.95 -> 2.96 + property
DOC_ONLY = POLICY / "version-not-bumped" / "near-miss"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT_FROM_REF", raising=False)
    monkeypatch.delenv("PRE_COMMIT_TO_REF", raising=False)


def _check(*args: str) -> Any:
    return CliRunner().invoke(main, ["check", *args])


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout


def test_text_report_puts_the_verdict_before_the_changes() -> None:
    result = _check("--no-color", str(NOT_BUMPED / "base.yaml"),
                    str(NOT_BUMPED / "revision.yaml"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("policy "))
    assert lines[head] == "policy openstack, scheme microversion, versions 2.95 -> 2.95"
    finding = next(i for i, line in enumerate(lines) if "[version-not-bumped]" in line)
    change = next(i for i, line in enumerate(lines) if "[response-property-added]" in line)
    # The changes follow the verdict, in sections (what blocks first).
    section = next(i for i, line in enumerate(lines)
                   if line.startswith(("Breaking changes (", "Other API changes (")))
    assert head < finding < section < change
    assert "revision.yaml:2:" in lines[finding]  # the info.version line, clickable
    assert "error: the API changed (1 change) but the version stayed 2.95" in lines[finding]
    assert lines[-1].endswith("; 1 error finding")


def test_passing_check_says_so_and_exits_0() -> None:
    result = _check("--no-color", str(BUMPED / "base.yaml"), str(BUMPED / "revision.yaml"))
    assert result.exit_code == 0
    assert "no findings: the versioning rule holds" in result.stdout


def test_json_report_carries_versions_scheme_policy_and_exit() -> None:
    result = _check("--format", "json", str(NOT_BUMPED / "base.yaml"),
                    str(NOT_BUMPED / "revision.yaml"))
    report = json.loads(result.stdout)
    assert report["command"] == "check" and report["policy"] == "openstack"
    assert report["scheme"] == "microversion"
    assert report["versions"] == {"base": "2.95", "revision": "2.95"}
    assert report["exit_code"] == 1
    finding = report["findings"][0]
    assert finding["changes"] == [c["fingerprint"] for c in report["changes"]]


def test_diff_text_report_unchanged_by_check_section() -> None:
    result = CliRunner().invoke(main, ["diff", str(NOT_BUMPED / "base.yaml"),
                                       str(NOT_BUMPED / "revision.yaml")])
    assert result.exit_code == 0
    assert "policy " not in result.stdout and "changes:" not in result.stdout


@pytest.mark.parametrize("fmt", ["markdown", "github", "junit", "sarif"])
def test_other_formats_render_a_check_report(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = _check("--format", fmt, "--output", str(out), "--no-color",
                    str(NOT_BUMPED / "base.yaml"), str(NOT_BUMPED / "revision.yaml"))
    assert result.exit_code == 1, result.stderr
    text = out.read_text()
    assert "version-not-bumped" in text
    assert "[version-not-bumped]" in result.stdout  # text still goes to stdout


@pytest.mark.parametrize("args, needle", [
    ([str(NOT_BUMPED / "base.yaml")], "check needs BASE and REVISION"),
    (["--base", "HEAD", "--pre-commit", "x.yaml"], "not both"),
    (["nope.yaml", str(NOT_BUMPED / "revision.yaml")], "nope.yaml"),
])
def test_usage_and_input_errors_exit_2(args: list[str], needle: str) -> None:
    result = _check(*args)
    assert result.exit_code == 2
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_policy_and_scheme_flags() -> None:
    base, rev = str(BUMPED / "base.yaml"), str(BUMPED / "revision.yaml")
    # 2.95 -> 2.96 read as semver 2.95.0 -> 2.96.0: a minor bump, enough for an addition
    assert _check("--policy", "semver", base, rev).exit_code == 0
    result = _check("--policy", "date", "--format", "json", base, rev)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["id"] == "version-unparseable"
    result = _check("--scheme", "integer", "--format", "json", base, rev)
    assert json.loads(result.stdout)["scheme"] == "integer"
    assert result.exit_code == 1


# --- git modes ------------------------------------------------------------------------------

def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    _git(repo, "init", "-q")
    shutil.copy(NOT_BUMPED / "base.yaml", repo / "api" / "compute.yaml")
    shutil.copy(BUMPED / "base.yaml", repo / "api" / "images.yaml")
    (repo / "ci.yaml").write_text("jobs: {test: {run: pytest}}\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    return repo


def test_base_ref_several_files_one_combined_report(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    shutil.copy(NOT_BUMPED / "revision.yaml", repo / "api" / "compute.yaml")  # not bumped
    shutil.copy(BUMPED / "revision.yaml", repo / "api" / "images.yaml")  # bumped
    monkeypatch.chdir(repo)
    result = _check("--base", "HEAD", "--format", "json", "api/compute.yaml", "api/images.yaml")
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert len(report["changes"]) == 2
    assert [f["id"] for f in report["findings"]] == ["version-not-bumped"]
    assert report["findings"][0]["message"].startswith("api/compute.yaml: ")
    assert report["versions"] == {"base": "api/compute.yaml=2.95, api/images.yaml=2.95",
                                  "revision": "api/compute.yaml=2.95, api/images.yaml=2.96"}
    # the work tree and index are left alone
    assert _git(repo, "status", "--porcelain").split() == ["M", "api/compute.yaml", "M",
                                                           "api/images.yaml"]


def test_base_ref_uses_config_files_and_new_spec_is_info(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    repo = _repo(tmp_path)
    shutil.copy(BUMPED / "revision.yaml", repo / "api" / "new.yaml")
    (repo / "pyproject.toml").write_text(
        '[tool.apilint]\nfiles = ["api/images.yaml", "api/new.yaml"]\n')
    (repo / "api" / "sub").mkdir()
    monkeypatch.chdir(repo / "api" / "sub")  # config found upward, files relative to it
    result = _check("--base", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(f["id"], f["level"]) for f in report["findings"]] == [("new-spec", "info")]
    assert "../new.yaml" in report["findings"][0]["message"]


def test_base_ref_without_files_is_a_usage_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(repo)
    result = _check("--base", "HEAD")
    assert result.exit_code == 2 and "name the spec files" in result.stderr


def test_pre_commit_mode_skips_non_specs_and_uses_env_refs(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(repo)
    (repo / "ci.yaml").write_text("jobs: {test: {run: pytest -q}}\n")
    (repo / "notes.txt").write_text("hello\n")
    result = _check("--pre-commit", "ci.yaml", "notes.txt")
    assert result.exit_code == 0 and result.stdout == ""  # nothing to check, silently
    assert _check("--pre-commit").exit_code == 0
    shutil.copy(NOT_BUMPED / "revision.yaml", repo / "api" / "compute.yaml")
    result = _check("--pre-commit", "--no-color", "ci.yaml", "api/compute.yaml")
    assert result.exit_code == 1
    assert "[version-not-bumped]" in result.stdout
    # push hooks: compare FROM_REF with TO_REF, not the work tree
    _git(repo, "commit", "-q", "-am", "change without bump")
    first = _git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    shutil.copy(NOT_BUMPED / "base.yaml", repo / "api" / "compute.yaml")  # work tree reverted
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", first)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    assert _check("--pre-commit", "api/compute.yaml").exit_code == 1
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "HEAD")
    assert _check("--pre-commit", "api/compute.yaml").exit_code == 0


def test_console_script_exit_status(tmp_path: Path) -> None:
    """The installed entry point exits 1 (not 0) on a failing gate."""
    proc = run_apilint("check", "--no-color", NOT_BUMPED / "base.yaml",
                       NOT_BUMPED / "revision.yaml", cwd=tmp_path,
                       env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1
    assert "[version-not-bumped]" in proc.stdout


def test_pre_commit_reports_a_broken_spec_instead_of_skipping_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(repo)
    text = (repo / "api" / "compute.yaml").read_text()
    (repo / "api" / "compute.yaml").write_text(text.replace("paths:", "paths: [\n"))
    result = _check("--pre-commit", "api/compute.yaml")
    assert result.exit_code == 2
    assert "compute.yaml" in result.stderr and "\n" not in result.stderr.strip()
