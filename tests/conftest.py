"""What every test shares: where things are, the test markers, and how to start apilint.

- ``ROOT`` is this checkout, ``FIXTURES`` its golden fixtures, ``CORPUS`` the shared corpus of
  real data that lives outside the repository: ``$APILINT_CORPUS``, else
  ``<repo>/../shared/corpus``.
- ``@pytest.mark.corpus`` marks a test that needs that corpus; everything under ``tests/corpus/``
  is marked by its folder. Without the corpus such tests are skipped with one reason, unless
  ``--require-corpus`` (or ``APILINT_REQUIRE_CORPUS=1``) is given: then the session stops at
  once with an error, so CI cannot pass by skipping them.
- ``@pytest.mark.e2e`` marks tests that drive whole programs (pre-commit, git, pip); everything
  under ``tests/e2e/`` is marked by its folder. The fast loop is
  ``python -m pytest -m "not corpus and not e2e"``.
- ``run_apilint()`` starts ``python -m apilint`` as a user would, but always on this checkout's
  code (``PYTHONPATH`` starts with the repository), never on an older installed copy.
- The ``cli`` fixture runs a command in-process; ``git_repo`` is an isolated git repository.

Test modules import the paths and helpers from here (``from conftest import ROOT``); pytest puts
this folder on ``sys.path`` before it imports them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
FIXTURES = ROOT / "fixtures"
PETSTORE = FIXTURES / "examples" / "petstore"


def _corpus_location() -> Path:
    given = os.environ.get("APILINT_CORPUS")
    return Path(given).expanduser().resolve() if given else (ROOT.parent / "shared" / "corpus")


CORPUS = _corpus_location()
REAL = CORPUS / "real"
CORPUS_MISSING = (f"shared corpus not found at {CORPUS}; set APILINT_CORPUS to its folder "
                  "(see README.md)")

# Folders whose tests carry a marker by where they live.
_MARK_BY_FOLDER = {"corpus": "corpus", "e2e": "e2e"}


def corpus_present() -> bool:
    return CORPUS.is_dir()


# -- options and markers -------------------------------------------------------------------------

def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--require-corpus", action="store_true",
        default=os.environ.get("APILINT_REQUIRE_CORPUS", "") not in ("", "0"),
        help="fail (instead of skipping the corpus tests) when the shared corpus is absent; "
             "also set by APILINT_REQUIRE_CORPUS=1")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "corpus: needs the shared corpus of real data ($APILINT_CORPUS or "
                   "../shared/corpus); skipped when it is absent unless --require-corpus")
    config.addinivalue_line(
        "markers", "e2e: drives whole programs (pre-commit, git, pip); slow, left out of the "
                   "fast loop -m 'not corpus and not e2e'")


def pytest_sessionstart(session: pytest.Session) -> None:
    if session.config.getoption("--require-corpus") and not corpus_present():
        raise pytest.UsageError(f"--require-corpus: {CORPUS_MISSING}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=CORPUS_MISSING)
    for item in items:
        try:
            folder = Path(str(item.path)).resolve().relative_to(TESTS).parts[0]
        except ValueError:
            folder = ""
        if folder in _MARK_BY_FOLDER:
            item.add_marker(_MARK_BY_FOLDER[folder])
        if item.get_closest_marker("corpus") is not None and not corpus_present():
            # In front of pytest's own "empty parameter set" skip, so the reason shown is ours.
            item.add_marker(skip, append=False)


# -- running apilint -----------------------------------------------------------------------------

APILINT = [sys.executable, "-m", "apilint"]


def checkout_env(env: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``env`` (default: this process's environment) with the checkout first on PYTHONPATH."""
    out = dict(os.environ if env is None else env)
    out.update(extra)
    rest = out.get("PYTHONPATH", "")
    out["PYTHONPATH"] = os.pathsep.join([str(ROOT), rest] if rest else [str(ROOT)])
    return out


def run_apilint(*args: str | os.PathLike[str], cwd: str | os.PathLike[str] = ROOT,
                env: Mapping[str, str] | None = None, timeout: float = 120, text: bool = True,
                **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    """``python -m apilint ARGS`` in a child process, on this checkout's code.

    It runs in ``cwd`` (the repository unless given, wherever pytest was started). ``env``
    replaces the inherited environment (PYTHONPATH is still set); ``kwargs`` go to
    ``subprocess.run`` (``input``, ``preexec_fn``, ...). Output is captured, never checked.
    """
    return subprocess.run([*APILINT, *map(str, args)], cwd=cwd, env=checkout_env(env),
                          capture_output=True, text=text, timeout=timeout, check=False,
                          **kwargs)


@pytest.fixture
def cli() -> Callable[..., Any]:
    """``cli("diff", a, b, ...)``: the command run in-process by click's runner."""
    from click.testing import CliRunner

    from apilint.cli import main

    def invoke(*args: str | os.PathLike[str]) -> Any:
        return CliRunner().invoke(main, [str(a) for a in args])

    return invoke


# -- git ---------------------------------------------------------------------------------------

# No user or system git configuration leaks in (signing, hooks, default branch names).
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class GitRepo:
    """A git repository in a temporary folder, with an isolated configuration."""

    path: Path
    env: dict[str, str]

    def git(self, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=self.path, env=self.env, capture_output=True,
                              text=True, check=False, timeout=120)
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def commit(self, message: str = "change") -> str:
        """Stage everything, commit, and return the new HEAD."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    """An empty repository at ``tmp_path/repo`` on branch ``main``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV)
    repo = GitRepo(tmp_path / "repo", env)
    repo.path.mkdir()
    repo.git("init", "-q", "-b", "main")
    return repo


# -- the real pre-commit -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for running git and the real ``pre-commit``: isolated from the user's git
    configuration, with one PRE_COMMIT_HOME for the whole session, so the hook environment
    is pip-installed once however many test modules use it."""
    out = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRE_COMMIT", "GIT_")) and k != "APILINT_CONFIG"}
    out.update(GIT_ENV)
    out["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    out["PRE_COMMIT_COLOR"] = "never"
    return out


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory,
              precommit_env: dict[str, str]) -> tuple[Path, str]:
    """This checkout's current files (committed, staged and untracked but not ignored) as a
    hook repository a user's ``.pre-commit-config.yaml`` pins: (path, commit)."""
    def git(cwd: Path, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=cwd, env=precommit_env, capture_output=True,
                              text=True, check=False, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    import shutil

    dest = tmp_path_factory.mktemp("apilint-hook-repo")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "apilint as of this test run")
    return dest, git(dest, "rev-parse", "HEAD").strip()
