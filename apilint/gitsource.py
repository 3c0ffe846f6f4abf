"""Git plumbing for ``apilint check --base REF``: pair each spec with its version at a ref.

The base side is read from git objects (``git cat-file --batch``), never by checking anything
out, so the user's work tree and index are left alone. A reader serves any path under the work
tree from the same tree, so ``$ref``s to sibling files resolve at the ref too. A branch ref is
compared at its merge base with the revision, the way a pull request is reviewed. Capture
folders, which the capture reader walks on disk, are copied out of git into a private
temporary folder (removed at exit) instead.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import tempfile
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import cleanup
from .errors import InputError, UsageError
from .limits import MAX_FILE_BYTES
from .loader import read_bytes
from .source import Source  # one side: its path, display name, and that tree's reader


@dataclass
class GitPair:
    name: str  # the file as the user named it
    base: Source | None  # None: file absent at the base ref (a new spec)
    revision: Source


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
            errors="surrogateescape", check=False,
        )
    except FileNotFoundError:
        raise InputError("git is not installed (needed for --base)") from None
    except NotADirectoryError:
        raise InputError("not a directory", cwd) from None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return "git failed"


_DIRECTORY = "is a directory, expected a file"
_MISSING = "no such file"


def _shown(rel: str) -> str:
    """A repository path on one line (``svc\\nx.json`` shown as ``svc\\x0ax.json``)."""
    from .textsafe import escape_name

    return escape_name(rel)
class GitTree:
    """The files of one commit, read through one long-lived ``git cat-file --batch``."""

    def __init__(self, toplevel: str, commit: str, label: str) -> None:
        self.toplevel = toplevel
        self.commit = commit
        self.label = label
        self._proc: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize | None = None
        # rel path -> bytes, or a string saying why it cannot be read
        self._cache: dict[str, bytes | str] = {}

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            try:
                self._proc = subprocess.Popen(
                    ["git", "cat-file", "--batch", "--follow-symlinks"],
                    cwd=self.toplevel, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as err:
                raise InputError(f"cannot run git: {err.strerror or err}") from None
            # Ends git when this tree is dropped or at interpreter exit, whichever is first.
            self._finalizer = weakref.finalize(self, _stop, self._proc)
        return self._proc

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._proc = None

    def _fetch(self, rel: str, hops: int = 0) -> bytes | str:
        if rel in self._cache:
            return self._cache[rel]
        result: bytes | str
        if not rel or rel == ".." or rel.startswith("../"):
            result = _MISSING
        elif "\n" in rel or "\r" in rel:
            # cat-file's batch input is one name a line: such a name goes by its object id,
            # found with NUL-separated ls-tree.
            result = self._by_listing(rel, hops)
        else:
            result = self._ask(f"{self.commit}:{rel}")
            if result == _MISSING:
                result = self._really_missing(rel, hops)
        self._cache[rel] = result
        return result

    def _listing(self, rel: str) -> tuple[str, str, str] | None:
        """(mode, kind, object id) of ``rel`` in this commit's tree, or None."""
        proc = _git(["ls-tree", "-z", "--full-tree", self.commit, "--", rel], self.toplevel)
        if proc.returncode != 0:
            raise InputError(f"git: {_first_line(proc.stderr)}", f"{self.label}:{_shown(rel)}")
        for record in filter(None, proc.stdout.split("\0")):
            meta, _, name = record.partition("\t")
            if name == rel:
                mode, kind, oid = meta.split(" ")[:3]
                return mode, kind, oid
        return None

    def _really_missing(self, rel: str, hops: int) -> bytes | str:
        """cat-file said "missing": a name that is not in the tree, or an object the clone
        does not have (a partial or damaged clone). Only the first is a missing file."""
        if self._listing(rel) is None:
            return _MISSING
        return ("git cannot give this file's content (object missing: a partial or damaged "
                "clone?)")

    def _by_listing(self, rel: str, hops: int) -> bytes | str:
        entry = self._listing(rel)
        if entry is None:
            return _MISSING
        mode, kind, oid = entry
        if kind == "tree":
            return _DIRECTORY
        got = self._ask(oid)
        if got == _MISSING:
            return "git cannot give this file's content (object missing)"
        if mode != "120000" or not isinstance(got, bytes):
            return got
        # A symbolic link: followed inside the tree, as --follow-symlinks does for others.
        if hops >= 40:
            return "a symbolic link loop"
        target = got.decode("utf-8", "surrogateescape")
        if target.startswith("/"):
            return "a symbolic link that leaves the repository"
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
        if joined == ".." or joined.startswith("../"):
            return "a symbolic link that leaves the repository"
        return self._fetch(joined, hops + 1)

    def prefetch(self, paths: Iterable[str]) -> None:
        """Read many files in one exchange with git (a spec's $refs name hundreds of small
        files; one round trip each costs more than reading them). Requests go in batches
        small enough for the pipe, so git never waits on an answer nobody reads yet."""
        rels = []
        for path in paths:
            rel = self.relpath(path)
            if rel is not None and rel not in self._cache and "\n" not in rel and \
                    "\r" not in rel and rel and not rel.startswith("../"):
                rels.append(rel)
        rels = list(dict.fromkeys(rels))
        for start in range(0, len(rels), 200):
            batch = rels[start:start + 200]
            proc = self._process()
            assert proc.stdin is not None
            try:
                proc.stdin.write(b"".join(f"{self.commit}:{rel}\n".encode(
                    "utf-8", "surrogateescape") for rel in batch))
                proc.stdin.flush()
            except (BrokenPipeError, OSError):
                raise InputError(f"git cat-file stopped while reading {self.label}") from None
            for rel in batch:
                got = self._answer()
                if got != _MISSING:  # "missing" is told apart from a lacking object later
                    self._cache[rel] = got
                if self._proc is None:
                    # A blob over the size limit ended the process (see _answer): the rest
                    # of this batch is asked again, one at a time, when it is needed.
                    break

    def _ask(self, name: str) -> bytes | str:
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(f"{name}\n".encode("utf-8", "surrogateescape"))
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise InputError(f"git cat-file stopped while reading {self.label}") from None
        return self._answer()

    def _answer(self) -> bytes | str:
        """The answer to the oldest request not read yet."""
        proc = self._proc  # the process asked, never a fresh one that was not
        if proc is None or proc.stdout is None:
            raise InputError(f"git cat-file stopped while reading {self.label}")
        try:
            header = proc.stdout.readline().decode("utf-8", "surrogateescape").rstrip("\n")
        except (BrokenPipeError, OSError):
            raise InputError(f"git cat-file stopped while reading {self.label}") from None
        parts = header.split()
        if not parts:
            raise InputError(f"git cat-file stopped while reading {self.label}")
        if parts[-1] in ("missing", "ambiguous"):
            return _MISSING
        if parts[0] in ("symlink", "dangling", "loop", "notdir") and len(parts) == 2:
            # --follow-symlinks reports a link it cannot follow inside the tree this way.
            proc.stdout.read(int(parts[1]) + 1)
            if parts[0] == "symlink":
                return "a symbolic link that leaves the repository"
            return _MISSING if parts[0] != "loop" else "a symbolic link loop"
        if len(parts) != 3:
            raise InputError(f"unexpected answer from git cat-file: {header[:80]!r}")
        kind, size = parts[1], int(parts[2])
        if size > MAX_FILE_BYTES:
            # Never read the body: a 2 GB blob would be 2 GB of memory. Ending this git
            # process drops the rest of its answer; the next question starts a new one.
            self.close()
            return (f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit "
                    "(limit MAX_FILE_BYTES)")
        body = proc.stdout.read(size + 1)[:size]
        if kind == "tree":
            return _DIRECTORY
        if kind != "blob":
            return f"is a git {kind}, expected a file"
        return body

    def relpath(self, path: str) -> str | None:
        """``path`` relative to the work tree in git's spelling, or None when outside it."""
        return _rel_to(self.toplevel, path)

    def read(self, path: str) -> bytes:
        rel = self.relpath(path)
        shown = f"{self.label}:{_shown(rel)}" if rel is not None else path
        if rel is None:
            raise InputError("outside the git work tree", path)
        got = self._fetch(rel)
        if isinstance(got, str):
            raise InputError(got, shown)
        return got

    def exists(self, path: str) -> bool:
        """True for a file at this commit, readable or not: one that is too large, a link
        out of the repository or an object git cannot give exists, and reading it is the
        error (exit 2). Calling it missing would make the base a "new spec" and pass."""
        rel = self.relpath(path)
        if rel is None:
            return False
        got = self._fetch(rel)
        return got != _MISSING and got != _DIRECTORY

    def is_dir(self, rel: str) -> bool:
        return self._fetch(rel) == _DIRECTORY

    def materialise(self, rel: str) -> str:
        """Copy the captures (``.json``, ``.har``) under directory ``rel`` at this commit into
        a private temporary folder and return the copy's path.

        Capture folders are walked on disk by the capture reader; the copy lives outside the
        work tree (removed at exit), so nothing of the user's is overwritten.
        """
        proc = _git(["ls-tree", "-r", "-z", "--full-tree", self.commit, "--", rel + "/"],
                    self.toplevel)
        if proc.returncode != 0:
            raise InputError(f"git: {_first_line(proc.stderr)}", f"{self.label}:{rel}")
        dest = tempfile.mkdtemp(prefix="apilint-git-")
        # Removed on every way out, the fast exit too (apilint.cleanup).
        cleanup.register(dest, folder=True)
        for record in filter(None, proc.stdout.split("\0")):
            meta, _, name = record.partition("\t")
            mode, kind = meta.split(" ")[:2]
            if kind != "blob" or mode == "120000" or not name.endswith((".json", ".har")):
                continue
            got = self._fetch(name)
            if isinstance(got, str):
                # A capture that exists but cannot be read is not skipped: fail closed.
                raise InputError(got, f"{self.label}:{_shown(name)}")
            target = os.path.join(dest, *name.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(got)
            # Blobs are not kept twice: the copy on disk is what will be read.
            self._cache.pop(name, None)
        return os.path.join(dest, *rel.split("/"))


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.stdin is not None:
        try:
            proc.stdin.close()
        except OSError:
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _rel_to(toplevel: str, path: str) -> str | None:
    """Relative path in posix spelling, tolerating symlinked spellings of the same place."""
    for top, p in ((toplevel, os.path.abspath(path)),
                   (os.path.realpath(toplevel), os.path.realpath(path))):
        try:
            rel = os.path.relpath(p, top)
        except ValueError:  # another drive on Windows
            continue
        if rel == os.curdir:
            continue
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return posixpath.normpath(rel.replace(os.sep, "/"))
    return None


def _toplevel(cwd: str) -> str:
    proc = _git(["rev-parse", "--show-toplevel"], cwd)
    if proc.returncode != 0:
        if "not a git repository" in proc.stderr:
            raise UsageError(f"{cwd} is not in a git repository; --base needs one")
        raise InputError(f"git: {_first_line(proc.stderr)}", cwd)
    top = proc.stdout.strip()
    if not top:
        raise UsageError(f"{cwd} is inside a .git directory, not a work tree")
    return os.path.normpath(top)


def _commit(ref: str, top: str, what: str) -> str | None:
    """The commit a ref names; None for HEAD in a repository without commits yet."""
    # A leading "-" would be read as an option (rev-parse has no reliable --end-of-options).
    if not ref or ref.startswith("-") or "\n" in ref:
        raise UsageError(f"invalid git ref {ref!r} for {what}")
    proc = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                top)
    if proc.returncode == 0:
        return proc.stdout.strip()
    if ref == "HEAD" and _git(["rev-parse", "--verify", "--quiet", "HEAD"], top).returncode:
        return None
    raise UsageError(f"unknown git ref {ref!r} for {what} (not a commit, branch or tag here)")


def _is_branch(ref: str, top: str) -> bool:
    proc = _git(["rev-parse", "--symbolic-full-name", ref], top)
    name = proc.stdout.strip()
    return proc.returncode == 0 and name.startswith(("refs/heads/", "refs/remotes/"))


def _merge_base(a: str, b: str, top: str) -> str | None:
    proc = _git(["merge-base", a, b], top)
    if proc.returncode != 0:
        return None
    return proc.stdout.strip() or None


def _no_merge_base(base_ref: str, other: str, top: str) -> str:
    """No common ancestor found: a shallow clone that lacks it, or unrelated histories."""
    shallow = _git(["rev-parse", "--is-shallow-repository"], top).stdout.strip() == "true"
    if shallow:
        raise UsageError(
            f"the merge base of {base_ref} and {other} is not in this shallow clone; fetch "
            "the history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout) or "
            "pass a commit as --base")
    raise UsageError(f"{base_ref} and {other} have no common history (no merge base); pass "
                     "a commit or tag as --base")


def _renames(base: str, to: str | None, top: str) -> dict[str, str]:
    """new path -> old path for files git sees as renamed between base and the revision."""
    args = ["diff", "--find-renames", "--name-status", "-z", "--diff-filter=R",
            "--no-ext-diff", "--no-textconv", base]
    if to:
        args.append(to)
    proc = _git(args, top)
    if proc.returncode != 0:
        return {}
    fields = proc.stdout.split("\0")
    out: dict[str, str] = {}
    i = 0
    while i + 2 < len(fields):
        status = fields[i]
        if status.startswith("R"):
            out[fields[i + 2]] = fields[i + 1]
            i += 3
        else:
            i += 2
    return out


def _tree_side(tree: GitTree, top: str, old: str, display: str) -> Source | None:
    """One file at a commit, or None when the commit does not have it.

    ``SPEC@2.96`` (a spec seen at one microversion) is the spec's file at the commit, the
    version kept on the path so the loader projects it as it does on disk. A capture folder
    (or a Nova ``DIR@2.96`` view of one) is copied out of git first, since captures are read
    by walking a directory.
    """
    path = os.path.join(top, *old.split("/"))
    if tree.exists(path):
        return Source(path=path, display=display, reader=tree.read, exists=tree.exists)
    folder, at, version = old.rpartition("@")
    if at and folder and "/" not in version and \
            tree.exists(os.path.join(top, *folder.split("/"))):
        # Without this the spec would read as absent at the commit: a "new spec" that
        # passes whatever changed (fail open).
        return Source(path=f"{os.path.join(top, *folder.split('/'))}@{version}",
                      display=display, reader=tree.read, exists=tree.exists)
    if tree.is_dir(old):
        folder, at, version = old, "", ""
    elif not (at and folder and "/" not in version and tree.is_dir(folder)):
        return None
    copy = tree.materialise(folder) + (f"@{version}" if at else "")
    return Source(path=copy, display=display, reader=read_bytes, exists=os.path.exists)


def resolve_pairs(
    base_ref: str,
    files: Sequence[str],
    *,
    cwd: str | None = None,
    to_ref: str | None = None,
) -> list[GitPair]:
    """Pair every file of the revision (work tree, or ``to_ref``) with its version at base_ref.

    A branch ref (``main``, ``origin/main``) is read at its merge base with the revision; a
    tag or commit is read as it is. HEAD in a repository without commits means every file is
    new. Raises UsageError for a bad ref or a file outside the work tree, InputError when git
    cannot answer.
    """
    here = os.path.abspath(cwd or os.getcwd())
    top = _toplevel(here)
    base_commit = _commit(base_ref, top, "--base")
    to_commit = _commit(to_ref, top, "the revision") if to_ref is not None else None
    if to_ref is not None and to_commit is None:
        raise UsageError(f"git ref {to_ref!r} has no commits yet")
    if base_commit is not None and _is_branch(base_ref, top):
        other = to_commit or _commit("HEAD", top, "HEAD")
        if other is not None:
            # Never the branch tip instead: that would blame the branch for changes made
            # on the base since the fork, or miss the branch's own.
            base_commit = _merge_base(base_commit, other, top) or _no_merge_base(
                base_ref, to_ref or "HEAD", top)

    base_tree = GitTree(top, base_commit, base_ref) if base_commit else None
    to_tree = GitTree(top, to_commit, to_ref) if to_commit and to_ref else None
    renames = _renames(base_commit, to_commit, top) if base_commit else {}

    pairs: list[GitPair] = []
    for name in files:
        absolute = os.path.normpath(os.path.join(here, name))
        rel = _rel_to(top, absolute)
        if rel is None:
            raise UsageError(f"{name}: outside the git work tree {top}")
        if to_tree is not None and to_ref is not None:
            revision = _tree_side(to_tree, top, rel, f"{to_ref}:{rel}")
            if revision is None:
                raise InputError(f"no such file at {to_ref}", rel)
        else:
            revision = Source(path=absolute, display=name, reader=read_bytes,
                              exists=os.path.exists)
        base: Source | None = None
        if base_tree is not None:
            old = renames.get(rel, rel)
            head, at, version = rel.rpartition("@")
            if rel not in renames and at and head in renames:
                old = f"{renames[head]}@{version}"  # SPEC@VERSION of a renamed spec
            base = _tree_side(base_tree, top, old, f"{base_ref}:{old}")
        pairs.append(GitPair(name=name, base=base, revision=revision))
    return pairs


def specs_reaching(changed: Sequence[str], *, cwd: str | None = None, to_ref: str | None = None,
                   ref_map: Sequence[tuple[str, str]] = ()) -> list[str]:
    """The tracked API descriptions whose ``$ref`` closure holds one of the ``changed`` files
    (paths as given, relative to ``cwd``); returned as paths relative to ``cwd``.

    Tracked means ``git ls-files`` (the index, which is what a pre-commit hook commits), or the
    tree of ``to_ref`` for push hooks; files are read from the work tree, or from ``to_ref``.
    ``ref_map`` folders are relative to the work tree's top.
    """
    from .closure import SPEC_SUFFIXES, looks_like_spec_bytes, roots_reaching

    here = os.path.abspath(cwd or os.getcwd())
    top = _toplevel(here)
    tree: GitTree | None = None
    if to_ref is not None:
        commit = _commit(to_ref, top, "the revision")
        if commit is None:
            return []
        tree = GitTree(top, commit, to_ref)
        # ls-tree takes no glob pathspecs: the whole tree, filtered below.
        listed = _git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit], top)
    else:
        listed = _git(["ls-files", "-z", "--cached"], top)
    if listed.returncode != 0:
        raise InputError(f"git: {_first_line(listed.stderr)}", top)
    tracked = sorted({name for name in listed.stdout.split("\0")
                      if name.lower().endswith(SPEC_SUFFIXES)})

    cache: dict[str, bytes | None] = {}

    def read(rel: str) -> bytes | None:
        if rel in cache:
            return cache[rel]
        got: bytes | str | None
        if tree is not None:
            got = tree._fetch(rel)
        else:
            path = os.path.join(top, *rel.split("/"))
            try:
                got = read_bytes(path) if os.path.isfile(path) else None
            except InputError:
                got = None
        cache[rel] = got if isinstance(got, bytes) else None
        return cache[rel]

    wanted = set()
    for name in changed:
        rel = _rel_to(top, os.path.join(here, name))
        if rel is not None:
            wanted.add(rel)
    roots = []
    for rel in tracked:
        if rel in wanted:
            continue
        raw = read(rel)
        if raw is not None and looks_like_spec_bytes(raw):
            roots.append(rel)
    try:
        found = roots_reaching(wanted, roots, read, ref_map)
    finally:
        if tree is not None:
            tree.close()
    return [os.path.relpath(os.path.join(top, *rel.split("/")), here) for rel in found]
