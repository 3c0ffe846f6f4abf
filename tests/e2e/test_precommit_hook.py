"""The pre-commit hook as users run it: the real ``pre-commit`` on a real git repository.

A session-wide copy of this repository (its current files, committed in a temporary git
repository) is the hook repository a user's ``.pre-commit-config.yaml`` points at; its hook
environment is installed once into a shared PRE_COMMIT_HOME. Each test makes a project with
a spec, installs the git hook with ``pre-commit install`` and tries ``git commit``.
``pre-commit try-repo`` runs once against this checkout itself, uncommitted files included.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def spec(version: str, props: dict[str, str], description: str = "A pet.") -> str:
    lines = "".join(f"                    {n}: {{type: {k}}}\n" for n, k in props.items())
    return f"""openapi: 3.0.3
info: {{title: pets, version: '{version}'}}
paths:
  /pets:
    get:
      description: {description}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
{lines}"""


def har(version: str, extra: dict[str, object]) -> str:
    """One recorded GET of a server at a compute microversion, as HAR 1.2."""
    body = {"server": {"id": "9d2e6f16-1a5b-4c55-b8c1-3c6b3c1c2e11", "name": "vm", **extra}}
    headers = [{"name": "OpenStack-API-Version", "value": f"compute {version}"}]
    entry = {
        "request": {"method": "GET", "headers": headers,
                    "url": "https://compute.example/v2.1/servers/"
                           "9d2e6f16-1a5b-4c55-b8c1-3c6b3c1c2e11"},
        "response": {"status": 200,
                     "headers": [*headers, {"name": "Content-Type",
                                            "value": "application/json"}],
                     "content": {"mimeType": "application/json", "text": json.dumps(body)}},
    }
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
                               "entries": [entry]}}, indent=1)


@pytest.fixture
def env(precommit_env: dict[str, str]) -> dict[str, str]:
    return precommit_env  # the session's one (tests/conftest.py)


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=300)


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    proc = run(["git", *args], repo, env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def pre_commit(*args: str) -> list[str]:
    return [sys.executable, "-m", "pre_commit", *args]


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]) -> Path:
    """A user's project: one spec at version 1.0, the hook configured and installed."""
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: apilint\n")
    (repo / "openapi.yaml").write_text(spec("1.0", {"id": "integer"}))
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "first")
    proc = run(pre_commit("install", "--install-hooks"), repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo


def commit(repo: Path, env: dict[str, str], files: dict[str, str]
           ) -> subprocess.CompletedProcess[str]:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, env, "add", "-A")
    return run(["git", "commit", "-m", "change"], repo, env)


def head(repo: Path, env: dict[str, str]) -> str:
    return git(repo, env, "rev-parse", "HEAD")


def test_unversioned_change_stops_the_commit(project: Path, env: dict[str, str]) -> None:
    before = head(project, env)
    proc = commit(project, env, {"openapi.yaml": spec("1.0", {"id": "integer",
                                                              "name": "string"})})
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "apilint" in out and "Failed" in out
    assert "version-not-bumped" in out
    assert head(project, env) == before  # the commit did not happen


def test_staged_file_names_are_never_options(project: Path, env: dict[str, str]) -> None:
    """A staged file named like an option (``--waivers=w.yaml``) must not waive anything:
    the hook entry ends its options with ``--``, so pre-commit's file names stay file names."""
    waiver = ("waivers:\n  - rule: version-not-bumped\n"
              "    reason: an attacker's waiver smuggled in through a file name\n")
    before = head(project, env)
    proc = commit(project, env, {
        "w.yaml": waiver,
        "--waivers=w.yaml": "{}\n",
        "-o.json": "{}\n",
        "openapi.yaml": spec("1.0", {"id": "integer", "name": "string"}),
    })
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "version-not-bumped" in out and "waived" not in out
    assert head(project, env) == before


def test_version_bump_passes(project: Path, env: dict[str, str]) -> None:
    before = head(project, env)
    proc = commit(project, env, {"openapi.yaml": spec("1.1", {"id": "integer",
                                                              "name": "string"})})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout + proc.stderr
    assert head(project, env) != before


def test_description_only_edit_passes(project: Path, env: dict[str, str]) -> None:
    before = head(project, env)
    proc = commit(project, env, {
        "openapi.yaml": spec("1.0", {"id": "integer"}, description="A pet, described better."),
        # Other YAML in the same commit is not an API description and must be ignored.
        "ci/pipeline.yml": "jobs:\n  test: {script: [make]}\n",
    })
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert head(project, env) != before


def test_new_spec_is_reported_not_refused(project: Path, env: dict[str, str]) -> None:
    proc = commit(project, env, {"v2/openapi.yaml": spec("2.0", {"id": "integer"})})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_push_range_uses_from_and_to_refs(project: Path, env: dict[str, str]) -> None:
    first = head(project, env)
    (project / "openapi.yaml").write_text(spec("1.0", {"id": "integer", "name": "string"}))
    git(project, env, "commit", "-q", "-a", "--no-verify", "-m", "unversioned")
    bad = head(project, env)
    (project / "openapi.yaml").write_text(spec("1.1", {"id": "integer", "name": "string"}))
    git(project, env, "commit", "-q", "-a", "--no-verify", "-m", "bumped")
    good = head(project, env)
    # The work tree holds yet another (unversioned) edit: push checks must read the refs.
    (project / "openapi.yaml").write_text(spec("1.1", {"x": "string"}))
    args = ["run", "--hook-stage", "pre-push", "--from-ref", first]
    failing = run(pre_commit(*args, "--to-ref", bad), project, env)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "version-not-bumped" in failing.stdout
    passing = run(pre_commit(*args, "--to-ref", good), project, env)
    assert passing.returncode == 0, passing.stdout + passing.stderr


def test_captures_hook_checks_the_configured_recordings(
        tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]) -> None:
    repo = tmp_path / "recorded"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n"
        "      - id: apilint\n      - id: apilint-captures\n")
    (repo / "pyproject.toml").write_text('[tool.apilint]\nfiles = ["captures/servers.har"]\n')
    (repo / "captures").mkdir()
    (repo / "captures" / "servers.har").write_text(har("2.96", {}))
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "first")
    proc = run(pre_commit("install", "--install-hooks"), repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    before = head(repo, env)
    refused = commit(repo, env, {"captures/servers.har": har("2.96", {"locked": False})})
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "- hook id: apilint-captures" in out and "version-not-bumped" in out
    assert head(repo, env) == before
    accepted = commit(repo, env, {"captures/servers.har": har("2.97", {"locked": False})})
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_try_repo_on_this_checkout(tmp_path: Path, env: dict[str, str]) -> None:
    """``pre-commit try-repo`` on this checkout, as a contributor tries the hook.

    try-repo copies the checkout's committed, staged and modified tracked files (not
    untracked ones), so .pre-commit-hooks.yaml and the apilint package must be tracked.
    It installs a fresh environment per call, so it runs once, on the refusing case.
    """
    repo = tmp_path / "tried"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    (repo / "openapi.yaml").write_text(spec("1.0", {"id": "integer"}))
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "first")
    (repo / "openapi.yaml").write_text(spec("1.0", {"id": "integer", "name": "string"}))
    git(repo, env, "add", "-A")
    proc = run(pre_commit("try-repo", str(ROOT), "apilint"), repo, env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "- hook id: apilint" in out
    assert "version-not-bumped" in out
