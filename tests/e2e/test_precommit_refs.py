"""The pre-commit hook on a split spec: a staged file that a spec reaches through ``$ref``.

The operations of a multi-file spec live in files that are not API descriptions by themselves
(``resources/pets/list.yml``). When only such a file is staged, the hook must still check the
spec that reaches it. Run with the real ``pre-commit`` on a real git repository, as in
tests/e2e/test_precommit_hook.py, plus direct tests of the closure search.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from apilint.closure import ref_targets, roots_reaching
from apilint.gitsource import specs_reaching


def root_spec(version: str) -> str:
    return f"""openapi: 3.0.3
info:
  title: Pet store
  version: '{version}'
paths:
  /pets:
    get:
      $ref: 'resources/pets/pets_list.yml'
  /pets/{{pet_id}}:
    get:
      $ref: 'resources/pets/pets_get.yml'
"""


def operation(op_id: str) -> str:
    return f"""operationId: {op_id}
summary: {op_id}
responses:
  '200':
    description: ok
    content:
      application/json:
        schema:
          $ref: 'models/pet.yml'
"""


def pet_model(extra: str = "") -> str:
    return ("type: object\nproperties:\n  id:\n    type: integer\n  name:\n    type: string\n"
            + extra)


def files(version: str = "1.0", model_extra: str = "") -> dict[str, str]:
    return {
        "openapi.yaml": root_spec(version),
        "resources/pets/pets_list.yml": operation("pets_list"),
        "resources/pets/pets_get.yml": operation("pets_get"),
        "resources/pets/models/pet.yml": pet_model(model_extra),
        "ci/pipeline.yml": "jobs:\n  test: {script: [make]}\n",
    }


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=300)


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    proc = run(["git", *args], repo, env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def write(repo: Path, content: dict[str, str]) -> None:
    for name, text in content.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)


@pytest.fixture
def env(precommit_env: dict[str, str]) -> dict[str, str]:
    return precommit_env  # the session's one (tests/conftest.py)


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: apilint\n")
    write(repo, files())
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "first")
    proc = run([sys.executable, "-m", "pre_commit", "install", "--install-hooks"], repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo


def commit(repo: Path, env: dict[str, str], content: dict[str, str]
           ) -> subprocess.CompletedProcess[str]:
    write(repo, content)
    git(repo, env, "add", "-A")
    return run(["git", "commit", "-m", "change"], repo, env)


def test_a_change_in_a_referenced_file_alone_stops_the_commit(project: Path,
                                                             env: dict[str, str]) -> None:
    before = git(project, env, "rev-parse", "HEAD")
    proc = commit(project, env, {"resources/pets/models/pet.yml": pet_model(
        "  status:\n    type: string\n")})
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "version-not-bumped" in out
    assert "resources/pets/models/pet.yml" in out  # the change is placed in that file
    assert git(project, env, "rev-parse", "HEAD") == before
    # With the version increase in the root spec, the same change passes.
    proc = commit(project, env, {"openapi.yaml": root_spec("1.1")})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_files_no_spec_reaches_do_not_bring_specs_in(project: Path, env: dict[str, str]
                                                     ) -> None:
    proc = commit(project, env, {"ci/pipeline.yml": "jobs:\n  lint: {script: [ruff]}\n"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # A description-only edit to a referenced operation file: checked, and it holds.
    proc = commit(project, env, {"resources/pets/pets_get.yml": operation("pets_get").replace(
        "summary: pets_get", "summary: Show one pet")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout + proc.stderr


# -- the closure search on its own -------------------------------------------------------------

def test_specs_reaching_reads_the_index_with_nul_separated_names(tmp_path: Path,
                                                                 env: dict[str, str]) -> None:
    repo = tmp_path / "split"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    write(repo, {
        "api/openapi.yaml": "openapi: 3.0.3\npaths:\n  /a:\n    get: {$ref: 'ops/a b.yml'}\n",
        "api/ops/a b.yml": "responses: {'200': {$ref: '../../shared/ok.yml'}}\n",
        "shared/ok.yml": "description: ok\n",
        "other/openapi.json": '{"openapi": "3.0.3", "paths": {"/x": {"$ref": "x.json"}}}',
        "other/x.json": '{"get": {"responses": {}}}',
        "untracked/openapi.yaml": "openapi: 3.0.3\npaths: {/u: {$ref: '../shared/ok.yml'}}\n",
    })
    git(repo, env, "add", "api", "shared", "other")
    assert specs_reaching(["shared/ok.yml"], cwd=str(repo)) == ["api/openapi.yaml"]
    assert specs_reaching(["api/ops/a b.yml"], cwd=str(repo)) == ["api/openapi.yaml"]
    assert specs_reaching(["other/x.json"], cwd=str(repo)) == ["other/openapi.json"]
    assert specs_reaching(["ci.yml"], cwd=str(repo)) == []
    # From a sub-folder, paths are relative to it.
    assert specs_reaching(["../shared/ok.yml"], cwd=str(repo / "api")) == ["openapi.yaml"]


def test_ref_targets_reads_every_spelling_of_a_ref() -> None:
    raw = (b"get:\n  $ref: 'ops/list.yml'\npost: {$ref: \"ops/create.yml#/x\"}\n"
           b"  - $ref: ../shared/p.yml\n\"$ref\": \"models/m.json\"\n"
           b"local: {$ref: '#/components/schemas/X'}\n"
           b"remote: {$ref: https://example.com/s/a.yaml}\n"
           b"escape: {$ref: ../../../etc/passwd}\n")
    assert ref_targets("spec/api.yaml", raw) == {
        "spec/ops/list.yml", "spec/ops/create.yml", "shared/p.yml", "spec/models/m.json"}
    assert ref_targets("api.yaml", b"x: {$ref: https://example.com/s/a.yaml}",
                       [("https://example.com/s/", "mirror")]) == {"mirror/a.yaml"}


def test_roots_reaching_follows_chains_and_cycles() -> None:
    files = {"root.yaml": b"$ref: a.yml", "a.yml": b"$ref: b.yml", "b.yml": b"$ref: a.yml",
             "c.yml": b"x: 1", "other.yaml": b"$ref: c.yml"}
    found = roots_reaching({"b.yml"}, ["root.yaml", "other.yaml"], files.get)
    assert found == ["root.yaml"]
    assert roots_reaching({"nothing.yml"}, ["root.yaml", "other.yaml"], files.get) == []


def test_git_tree_reads_many_files_in_batches(tmp_path: Path, env: dict[str, str]) -> None:
    """Prefetching (one exchange with git for a batch of paths) answers exactly what asking
    one path at a time answers, also for missing files and folders."""
    from apilint.gitsource import GitTree

    repo = tmp_path / "many"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    write(repo, {f"parts/p{i}.yml": f"n: {i}\n" + "x" * (i * 37) + "\n" for i in range(450)})
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "parts")
    commit_id = git(repo, env, "rev-parse", "HEAD")
    names = [str(repo / "parts" / f"p{i}.yml") for i in range(450)] + [
        str(repo / "parts" / "missing.yml"), str(repo / "parts")]
    batched = GitTree(str(repo), commit_id, "HEAD")
    batched.prefetch(names)
    single = GitTree(str(repo), commit_id, "HEAD")
    try:
        for name in names:
            assert batched.exists(name) == single.exists(name), name
            if single.exists(name):
                assert batched.read(name) == single.read(name)
    finally:
        batched.close()
        single.close()


def test_check_base_on_a_split_spec_fails_closed_on_a_missing_file_at_the_base(
        tmp_path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from apilint.cli import main

    repo = tmp_path / "split"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    content = files()
    content["resources/pets/pets_get.yml"] = operation("pets_get").replace(
        "models/pet.yml", "models/gone.yml")
    write(repo, content)
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "broken at the base")
    write(repo, files())  # the revision (work tree) is whole again
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "openapi.yaml"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("apilint: HEAD:resources/pets/pets_get.yml:9:11: "
                               "$ref 'models/gone.yml' names a file that does not exist"), lines


def test_specs_reaching_reads_the_to_ref_tree_for_push_hooks(tmp_path: Path,
                                                             env: dict[str, str]) -> None:
    """With a to-ref (pre-push), the specs and their $refs are read from that commit, not
    from the work tree: here the work tree no longer refers to the file, the commit does."""
    repo = tmp_path / "pushed"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    write(repo, files())
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "split spec")
    changed = ["resources/pets/models/pet.yml"]
    assert specs_reaching(changed, cwd=str(repo)) == ["openapi.yaml"]
    # Staged, not committed (in a hook run the work tree is what is staged).
    (repo / "openapi.yaml").write_text("openapi: 3.0.3\npaths: {}\n")
    git(repo, env, "add", "-A")
    assert specs_reaching(changed, cwd=str(repo)) == []  # no longer reaches it
    assert specs_reaching(changed, cwd=str(repo), to_ref="HEAD") == ["openapi.yaml"]
