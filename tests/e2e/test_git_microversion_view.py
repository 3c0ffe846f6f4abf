"""``SPEC@VERSION`` in git mode, against a real temporary git repository.

``apilint check --base REF SPEC@2.96`` and ``apilint changelog --base REF SPEC@2.96`` read SPEC
at REF from git and project both commits at 2.96: a change gated above 2.96 is not seen, one
gated at or below it is. Before, the base side of ``SPEC@2.96`` was looked up as a file named
``spec.yaml@2.96``, not found, and the spec reported as new (exit 0 whatever changed).
"""

from __future__ import annotations

import json

import pytest
from conftest import GitRepo, run_apilint

from apilint.gitsource import resolve_pairs

pytestmark = pytest.mark.e2e

BASE = """openapi: 3.0.3
info: {title: Compute, version: "2.95"}
paths:
  /servers/{server_id}:
    get:
      operationId: showServer
      x-openstack: {min-ver: "2.1"}
      parameters:
        - {name: server_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the server
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
"""
# Two new response properties: "tag" gated at 2.96, "zone" at 2.97.
REVISION = BASE.replace('version: "2.95"', 'version: "2.97"').replace(
    "                  name: {type: string}\n",
    "                  name: {type: string}\n"
    "                  tag:\n"
    "                    type: string\n"
    '                    x-openstack: {min-ver: "2.96"}\n'
    "                  zone:\n"
    "                    type: string\n"
    '                    x-openstack: {min-ver: "2.97"}\n')


@pytest.fixture
def repo(git_repo: GitRepo) -> GitRepo:
    git_repo.write("api/compute.yaml", BASE)
    git_repo.commit("2.95")
    git_repo.write("api/compute.yaml", REVISION)
    return git_repo


def _run(repo: GitRepo, *args: str):
    return run_apilint(*args, cwd=repo.path, env=repo.env)


def _properties(changes: list[dict]) -> set[str]:
    return {c["message"].split('"')[1] for c in changes
            if c["rule"] == "response-property-added"}


def test_resolve_pairs_reads_the_spec_at_the_ref_with_the_version_kept(repo: GitRepo) -> None:
    (pair,) = resolve_pairs("HEAD", ["api/compute.yaml@2.96"], cwd=str(repo.path))
    assert pair.base is not None, "the spec at HEAD was taken for a new spec"
    assert pair.base.path.endswith("compute.yaml@2.96")
    assert pair.base.display == "HEAD:api/compute.yaml@2.96"
    # The reader is git's: the committed text, not the work tree's.
    text = pair.base.reader(pair.base.path.rpartition("@")[0])
    assert b"zone" not in text and b"2.95" in text


@pytest.mark.parametrize(("version", "seen"), [("2.95", set()), ("2.96", {"tag"}),
                                               ("2.97", {"tag", "zone"}),
                                               ("latest", {"tag", "zone"})])
def test_check_sees_only_what_is_gated_at_or_below_the_version(
        repo: GitRepo, version: str, seen: set[str]) -> None:
    run = _run(repo, "check", "--base", "HEAD", f"api/compute.yaml@{version}",
               "--format", "json")
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    assert _properties(report["changes"]) == seen
    assert "new-spec" not in run.stdout


def test_check_text_names_both_sides_at_the_version(repo: GitRepo) -> None:
    run = _run(repo, "check", "--base", "HEAD", "api/compute.yaml@2.96")
    assert run.returncode == 1, run.stdout + run.stderr
    first = run.stdout.splitlines()[0]
    assert first == "apilint check: HEAD:api/compute.yaml@2.96 -> api/compute.yaml@2.96"
    assert '"tag" added' in run.stdout and "zone" not in run.stdout


def test_a_renamed_spec_is_followed_at_the_version(repo: GitRepo) -> None:
    repo.git("mv", "api/compute.yaml", "api/nova.yaml")
    (pair,) = resolve_pairs("HEAD", ["api/nova.yaml@2.96"], cwd=str(repo.path))
    assert pair.base is not None and pair.base.display == "HEAD:api/compute.yaml@2.96"
    run = _run(repo, "check", "--base", "HEAD", "api/nova.yaml@2.96", "--format", "json")
    assert run.returncode == 1, run.stderr
    assert _properties(json.loads(run.stdout)["changes"]) == {"tag"}


def test_changelog_groups_only_what_the_version_shows(repo: GitRepo) -> None:
    run = _run(repo, "changelog", "--base", "HEAD", "api/compute.yaml@2.96", "--format", "json")
    assert run.returncode == 0, run.stderr
    log = json.loads(run.stdout)
    assert log["base"] == "2.95" and log["latest"] == "2.96"
    assert [v["version"] for v in log["versions"]] == ["2.96"]
    assert _properties(log["versions"][0]["changes"]) == {"tag"}
    assert log["ungated"] == []
    # The whole spec: both gates, each at its version.
    whole = json.loads(_run(repo, "changelog", "--base", "HEAD", "api/compute.yaml",
                            "--format", "json").stdout)
    assert {v["version"]: _properties(v["changes"]) for v in whole["versions"]} == {
        "2.96": {"tag"}, "2.97": {"zone"}}


@pytest.mark.parametrize("command", ["check", "changelog"])
@pytest.mark.parametrize("version", ["2.x", "", "two"])
def test_a_bad_version_is_one_line_and_exit_2(repo: GitRepo, command: str,
                                              version: str) -> None:
    run = _run(repo, command, "--base", "HEAD", f"api/compute.yaml@{version}")
    assert run.returncode == 2, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apilint: "), run.stderr
    assert "Traceback" not in run.stderr


def test_a_spec_absent_at_the_ref_is_still_new(repo: GitRepo) -> None:
    repo.write("api/other.yaml", REVISION)
    run = _run(repo, "check", "--base", "HEAD", "api/other.yaml@2.96", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert any(f["id"] == "new-spec" for f in json.loads(run.stdout)["findings"])
