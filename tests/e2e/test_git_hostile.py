"""``check --base REF`` when the base side is odd or hostile: names with newlines, a base blob
over the size limit, a link out of the repository, an object the clone lacks, a shallow clone
without the merge base. Every case is exit 2 naming the file (never "new spec", exit 0), or a
real comparison where there is something to compare."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from apilint import gitsource
from apilint.cli import main

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def spec(version: str, extra: str = "") -> str:
    return (f"openapi: 3.0.3\ninfo: {{title: pets, version: '{version}'}}\npaths:\n"
            f"  /pets:\n    get:\n      responses:\n        '200': {{description: ok}}\n{extra}")


NEW_CALL = "  /owners:\n    get:\n      responses:\n        '200': {description: ok}\n"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV},
                          capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def apilint(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "apilint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    return r


def test_a_name_with_a_newline_is_compared_not_called_new(repo: Path) -> None:
    name = "svc\nx.yaml"
    (repo / name).write_text(spec("1.0"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    (repo / name).write_text(spec("1.0", NEW_CALL))
    proc = apilint(["check", "--base", "HEAD", "--", name], repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "version-not-bumped" in proc.stdout
    assert "svc\\x0ax.yaml" in proc.stdout  # the name, escaped, on one line
    assert "new-spec" not in proc.stdout


def test_a_link_in_a_name_with_a_newline_is_followed_inside_the_tree(repo: Path) -> None:
    (repo / "real.yaml").write_text(spec("1.0"))
    os.symlink("real.yaml", repo / "odd\nname.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    (repo / "real.yaml").write_text(spec("1.0", NEW_CALL))
    proc = apilint(["check", "--base", "HEAD", "--", "odd\nname.yaml"], repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_a_base_blob_over_the_size_limit_is_refused_unread(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "api.yaml").write_text(spec("1.0") + "x-pad: '" + "p" * 5000 + "'\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    (repo / "api.yaml").write_text(spec("1.0"))
    monkeypatch.setattr(gitsource, "MAX_FILE_BYTES", 4000)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "api.yaml"])
    assert result.exit_code == 2, result.output
    assert "HEAD:api.yaml" in result.output and "MAX_FILE_BYTES" in result.output


def test_a_base_link_out_of_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text(spec("1.0"))
    os.symlink(str(tmp_path / "outside.yaml"), repo / "api.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    os.unlink(repo / "api.yaml")
    (repo / "api.yaml").write_text(spec("1.0", NEW_CALL))
    proc = apilint(["check", "--base", "HEAD", "api.yaml"], repo)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "HEAD:api.yaml" in proc.stderr and "leaves the repository" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_a_base_object_the_clone_lacks_is_refused(repo: Path) -> None:
    (repo / "api.yaml").write_text(spec("1.0"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    oid = git(repo, "rev-parse", "HEAD:api.yaml")
    os.unlink(repo / ".git" / "objects" / oid[:2] / oid[2:])
    (repo / "api.yaml").write_text(spec("1.0", NEW_CALL))
    proc = apilint(["check", "--base", "HEAD", "api.yaml"], repo)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "HEAD:api.yaml" in proc.stderr and "object missing" in proc.stderr


def test_a_shallow_clone_without_the_merge_base_says_how_to_go_on(tmp_path: Path,
                                                                  repo: Path) -> None:
    (repo / "api.yaml").write_text(spec("1.0"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    git(repo, "checkout", "-q", "-b", "feature")
    for i in range(3):
        (repo / "api.yaml").write_text(spec(f"1.{i + 1}", NEW_CALL * (i % 2)))
        git(repo, "commit", "-q", "-am", f"feature {i}")
    git(repo, "checkout", "-q", "main")
    (repo / "other.txt").write_text("x")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "main moves on")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch",
        f"file://{repo}", str(clone))
    git(clone, "checkout", "-q", "feature")
    proc = apilint(["check", "--base", "origin/main", "api.yaml"], clone)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "shallow" in proc.stderr and "fetch-depth: 0" in proc.stderr
    assert proc.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["-o.json", "--waivers=w.yaml", "-fjson.yaml"])
def test_a_file_named_like_an_option_is_a_file(repo: Path, name: str) -> None:
    """``check --base REF -o.json``: the argument names an existing file, so it is compared,
    never read as an option (no report written to ``.json``, no waiver file loaded)."""
    import json

    import yaml

    def text(extra: str = "") -> str:  # JSON for a .json name, YAML otherwise
        body = spec("1.0", extra)
        return json.dumps(yaml.safe_load(body)) if name.endswith(".json") else body

    (repo / "w.yaml").write_text("waivers:\n  - rule: version-not-bumped\n    reason: smuggled\n")
    (repo / name).write_text(text())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    (repo / name).write_text(text(NEW_CALL))
    proc = apilint(["check", "--base", "HEAD", name], repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "version-not-bumped" in proc.stdout and "waived" not in proc.stdout
    assert not (repo / ".json").exists() and not (repo / "json.yaml").exists()
