"""apilint.gitsource against real git repositories made in a temporary directory.

Each test builds history with the git command line, then asks ``resolve_pairs`` for the pairs
``apilint check --base REF`` would compare, and reads the base side through its reader. The
user's work tree, index and HEAD must be untouched afterwards.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import GIT_ENV, ROOT, GitRepo

from apilint import gitsource
from apilint.api import compare
from apilint.errors import InputError, UsageError
from apilint.gitsource import resolve_pairs

PETSTORE = ROOT / "fixtures" / "examples" / "petstore"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return proc.stdout.strip()


def spec(version: str, props: dict[str, str], ref: str | None = None) -> str:
    """A small OpenAPI 3 document; ``ref`` puts the Pet schema in another file."""
    lines = [f"    {name}: {{type: {kind}}}" for name, kind in props.items()]
    schema = f"$ref: '{ref}'" if ref else "\n".join(
        ["type: object", "properties:", *[ln[2:] for ln in lines]])
    body = "\n".join("                " + ln for ln in schema.splitlines())
    return f"""openapi: 3.0.3
info: {{title: pets, version: '{version}'}}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
{body}
"""


def component(props: dict[str, str]) -> str:
    return "type: object\nproperties:\n" + "".join(
        f"  {name}: {{type: {kind}}}\n" for name, kind in props.items())


@pytest.fixture
def repo(git_repo: GitRepo) -> Path:
    return git_repo.path


def commit(repo: Path, files: dict[str, str], message: str = "c") -> str:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def state(repo: Path) -> tuple[str, str, str]:
    return (git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain"),
            git(repo, "diff", "--cached", "--stat"))


def changes_of(pair: gitsource.GitPair) -> list[str]:
    assert pair.base is not None
    cmp = compare(pair.base, pair.revision)
    return sorted(c.rule for c in cmp.changes)


def test_work_tree_against_head(repo: Path) -> None:
    commit(repo, {"api/openapi.yaml": spec("1.0", {"id": "integer"})})
    (repo / "api" / "openapi.yaml").write_text(spec("1.0", {"id": "integer", "name": "string"}))
    before = state(repo)
    pairs = resolve_pairs("HEAD", ["openapi.yaml"], cwd=str(repo / "api"))
    assert len(pairs) == 1
    p = pairs[0]
    assert p.name == "openapi.yaml"
    assert p.base is not None
    assert p.base.display == "HEAD:api/openapi.yaml"
    assert p.revision.display == "openapi.yaml"
    assert Path(p.revision.path) == repo / "api" / "openapi.yaml"
    assert b"name" not in p.base.reader(p.base.path)  # the committed text, not the file
    assert b"name" in p.revision.reader(p.revision.path)
    assert changes_of(p) == ["response-property-added"]
    assert state(repo) == before  # nothing checked out, nothing staged


def test_new_file_has_no_base(repo: Path) -> None:
    commit(repo, {"README": "x\n"})
    (repo / "new.yaml").write_text(spec("1.0", {"id": "integer"}))
    (p,) = resolve_pairs("HEAD", ["new.yaml"], cwd=str(repo))
    assert p.base is None
    assert p.revision.exists(p.revision.path)


def test_head_without_commits_means_every_file_is_new(repo: Path) -> None:
    (repo / "openapi.yaml").write_text(spec("1.0", {"id": "integer"}))
    (p,) = resolve_pairs("HEAD", ["openapi.yaml"], cwd=str(repo))
    assert p.base is None


def test_branch_ref_uses_the_merge_base(repo: Path) -> None:
    fork = commit(repo, {"openapi.yaml": spec("1.0", {"id": "integer"})})
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, {"openapi.yaml": spec("1.1", {"id": "integer", "name": "string"})})
    git(repo, "checkout", "-q", "main")
    commit(repo, {"openapi.yaml": spec("1.1", {"id": "integer", "size": "integer"})})
    git(repo, "checkout", "-q", "feature")
    (p,) = resolve_pairs("main", ["openapi.yaml"], cwd=str(repo))
    assert p.base is not None and p.base.display == "main:openapi.yaml"
    base_text = p.base.reader(p.base.path)
    assert base_text == git_show(repo, f"{fork}:openapi.yaml")  # the fork point, not main's tip
    assert b"size" not in base_text
    # Only the feature branch's own change is reported, not the one main made meanwhile.
    assert changes_of(p) == ["response-property-added"]
    # A commit or tag is taken as it is.
    tip = git(repo, "rev-parse", "main")
    (q,) = resolve_pairs(tip, ["openapi.yaml"], cwd=str(repo))
    assert q.base is not None and b"size" in q.base.reader(q.base.path)


def git_show(repo: Path, spec_: str) -> bytes:
    return subprocess.run(["git", "show", spec_], cwd=repo, capture_output=True,
                          check=True).stdout


def test_refs_to_other_files_resolve_in_the_base_tree(repo: Path) -> None:
    commit(repo, {
        "api/openapi.yaml": spec("1.0", {}, ref="../common/pet.yaml"),
        "common/pet.yaml": component({"id": "integer", "tag": "string"}),
    })
    # Only the referenced file changes in the work tree.
    (repo / "common" / "pet.yaml").write_text(component({"id": "integer"}))
    (p,) = resolve_pairs("HEAD", ["api/openapi.yaml"], cwd=str(repo))
    assert p.base is not None
    other = str(repo / "common" / "pet.yaml")
    assert b"tag" in p.base.reader(other)
    assert p.base.exists(other) and not p.base.exists(str(repo / "common" / "nope.yaml"))
    assert changes_of(p) == ["response-property-removed"]


def test_rename_is_followed(repo: Path) -> None:
    commit(repo, {"old/api.yaml": spec("1.0", {"id": "integer", "a": "string", "b": "string",
                                               "c": "string"})})
    git(repo, "mv", "old", "new")
    (repo / "new" / "api.yaml").write_text(
        spec("1.0", {"id": "integer", "a": "string", "b": "string", "c": "string",
                     "d": "string"}))
    (p,) = resolve_pairs("HEAD", ["new/api.yaml"], cwd=str(repo))
    assert p.base is not None
    assert p.base.display == "HEAD:old/api.yaml"
    assert Path(p.base.path) == repo / "old" / "api.yaml"
    assert changes_of(p) == ["response-property-added"]


def test_to_ref_reads_the_revision_from_git(repo: Path) -> None:
    first = commit(repo, {"openapi.yaml": spec("1.0", {"id": "integer"})})
    second = commit(repo, {"openapi.yaml": spec("1.1", {"id": "integer", "name": "string"})})
    # The work tree differs again: with to_ref it must not be read.
    (repo / "openapi.yaml").write_text(spec("1.2", {"other": "string"}))
    (p,) = resolve_pairs(first, ["openapi.yaml"], cwd=str(repo), to_ref=second)
    assert p.revision.display == f"{second}:openapi.yaml"
    assert b"name" in p.revision.reader(p.revision.path)
    assert b"other" not in p.revision.reader(p.revision.path)
    assert changes_of(p) == ["response-property-added"]


def test_one_cat_file_process_serves_many_reads(repo: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"s{i}.yaml": spec("1.0", {"id": "integer"}) for i in range(6)}
    commit(repo, files)
    started: list[list[str]] = []
    real = subprocess.Popen

    def counting(args: list[str], *a: object, **k: object) -> subprocess.Popen[bytes]:
        started.append(list(args))
        return real(args, *a, **k)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(gitsource.subprocess, "Popen", counting)
    pairs = resolve_pairs("HEAD", list(files), cwd=str(repo))
    texts = [p.base.reader(p.base.path) for p in pairs if p.base]
    assert len(texts) == 6 and all(b"openapi" in t for t in texts)
    assert len([a for a in started if "cat-file" in a]) == 1


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n")
    with pytest.raises(UsageError) as err:
        resolve_pairs("HEAD", ["a.yaml"], cwd=str(tmp_path))
    assert "not in a git repository" in str(err.value) and "\n" not in str(err.value)


def test_unknown_ref(repo: Path) -> None:
    commit(repo, {"openapi.yaml": spec("1.0", {"id": "integer"})})
    for ref in ("no-such-branch", "-x", "HEAD~5"):
        with pytest.raises(UsageError) as err:
            resolve_pairs(ref, ["openapi.yaml"], cwd=str(repo))
        assert repr(ref) in str(err.value) and "\n" not in str(err.value)


def test_file_outside_the_work_tree(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"openapi.yaml": spec("1.0", {"id": "integer"})})
    (tmp_path / "elsewhere.yaml").write_text("x: 1\n")
    with pytest.raises(UsageError) as err:
        resolve_pairs("HEAD", [str(tmp_path / "elsewhere.yaml")], cwd=str(repo))
    assert "outside the git work tree" in str(err.value)
    with pytest.raises(UsageError):
        resolve_pairs("HEAD", ["../elsewhere.yaml"], cwd=str(repo))


def test_base_reader_refuses_missing_and_directories(repo: Path) -> None:
    commit(repo, {"openapi.yaml": spec("1.0", {"id": "integer"}), "dir/x.yaml": "a: 1\n"})
    (p,) = resolve_pairs("HEAD", ["openapi.yaml"], cwd=str(repo))
    assert p.base is not None
    with pytest.raises(InputError) as err:
        p.base.reader(str(repo / "missing.yaml"))
    assert str(err.value) == "HEAD:missing.yaml: no such file"
    with pytest.raises(InputError) as err:
        p.base.reader(str(repo / "dir"))
    assert "is a directory" in str(err.value)
    with pytest.raises(InputError):
        p.base.reader(str(repo.parent / "outside.yaml"))


def test_cli_style_errors_are_one_line_through_the_command(tmp_path: Path) -> None:
    """Errors are ApilintError subclasses, so the CLI turns them into exit 2, one line."""
    with pytest.raises(UsageError) as err:
        resolve_pairs("HEAD", ["x.yaml"], cwd=str(tmp_path))
    assert err.value.exit_code == 2


def test_capture_folder_is_copied_out_of_git(repo: Path) -> None:
    """Capture folders are walked on disk: the base side is a private copy of the folder at
    REF, outside the work tree, and ``DIR@2.96`` (a Nova sample tree at one microversion)
    names it too."""
    commit(repo, {
        "samples/servers/server-get-resp.json": '{"server": {"id": "a", "name": "x"}}\n',
        "samples/servers/v2.96/server-get-resp.json":
            '{"server": {"id": "a", "name": "x", "locked": true}}\n',
        "samples/README.txt": "not a capture\n",
    })
    newer = '{"server": {"id": "a", "name": "x", "locked": true, "pinned": "z"}}\n'
    (repo / "samples" / "servers" / "v2.96" / "server-get-resp.json").write_text(newer)
    before = state(repo)
    for name in ("samples", "samples@2.96"):
        (p,) = resolve_pairs("HEAD", [name], cwd=str(repo))
        assert p.base is not None and p.base.display == f"HEAD:{name}"
        copy = Path(p.base.path.removesuffix("@2.96"))
        assert repo not in copy.parents  # never written into the work tree
        assert b"pinned" not in (copy / "servers" / "v2.96" / "server-get-resp.json").read_bytes()
        assert not (copy / "README.txt").exists()
        assert changes_of(p) == ["response-property-added"]
    assert state(repo) == before
