#!/usr/bin/env python3
"""Replay a git history through ``apilint check --base PARENT SPEC``, as a new user would.

For each commit in a range (first-parent, oldest first) the script checks the commit out in a
scratch clone, runs ``python -m apilint check --base <parent> <spec>`` there and records the exit
code, the first lines of the report, the run time and ``git diff --stat parent..commit``. It prints
one table row per commit, so a person can read each verdict next to what the commit changed and
judge it (a false pass, a false failure, a crash).

    python scripts/replay.py REPO SPEC [--range A..B | --count N] [--json OUT]

REPO is any git repository (a bare one is cloned to a temporary folder first; the clone is the
work tree the checks run in, the original is never touched). SPEC is the API document's path in
the repository. apilint runs from this checkout (``PYTHONPATH`` is set to it), not from whatever
``apilint`` is installed. Only commits that touch the spec's folder are replayed unless ``--all``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

APILINT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    commit: str
    subject: str
    exit_code: int
    seconds: float
    head: list[str]
    stat: str
    diff_files: int


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def work_tree(repo: Path, keep: Path | None) -> Path:
    """A non-bare clone to check commits out in (the given repository is left alone)."""
    # Always a clone, bare or not: checking commits out must not disturb the user's work tree.
    dest = keep or Path(tempfile.mkdtemp(prefix="apilint-replay-"))
    if not (dest / ".git").exists():
        subprocess.run(["git", "clone", "-q", str(repo), str(dest)], check=True)
    return dest


def commits(tree: Path, spec: str, rng: str | None, count: int, every: bool) -> list[str]:
    args = ["rev-list", "--reverse", "--first-parent"]
    if rng:
        args.append(rng)
    else:
        args += [f"--max-count={count}", "HEAD"]
    if not every:
        folder = os.path.dirname(spec) or "."
        args += ["--", folder]
    out = git(tree, *args).split()
    if not rng:
        # --max-count picks the newest N; --reverse then orders them oldest first.
        out = out[-count:]
    return out


def replay_one(tree: Path, commit: str, spec: str, lines: int, timeout: float,
               save: Path | None = None) -> Row:
    subject = git(tree, "log", "-1", "--format=%s", commit).strip()
    parents = git(tree, "rev-list", "--parents", "-n", "1", commit).split()[1:]
    if not parents:
        return Row(commit[:10], subject, -1, 0.0, ["(root commit, no parent)"], "", 0)
    parent = parents[0]
    git(tree, "checkout", "-q", "--force", commit)
    stat = git(tree, "diff", "--stat=120", "--stat-count=6", parent, commit).rstrip()
    diff_files = len(git(tree, "diff", "--name-only", parent, commit).split())
    env = dict(os.environ, PYTHONPATH=str(APILINT_ROOT), NO_COLOR="1")
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "apilint", "check", "--no-color", "--base", parent, spec],
            cwd=tree, env=env, capture_output=True, text=True, timeout=timeout,
        )
        code, output = proc.returncode, (proc.stdout + proc.stderr)
    except subprocess.TimeoutExpired:
        code, output = -9, f"(timed out after {timeout:.0f}s)"
    seconds = time.monotonic() - start
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / f"{commit[:10]}.txt").write_text(output)
        (save / f"{commit[:10]}.diff").write_text(
            git(tree, "diff", parent, commit, "--", os.path.dirname(spec) or "."))
    head = [line for line in output.splitlines() if line.strip()][:lines]
    return Row(commit[:10], subject, code, seconds, head, stat, diff_files)


def print_row(row: Row, verbose: bool) -> None:
    first = row.head[0] if row.head else ""
    print(f"{row.commit}  exit {row.exit_code:>2}  {row.seconds:5.1f}s  {row.diff_files:>4} files"
          f"  {row.subject[:60]}")
    shown = row.head if verbose else row.head[:3]
    for line in shown or [first]:
        print(f"      | {line[:160]}")
    if verbose and row.stat:
        for line in row.stat.splitlines():
            print(f"      # {line}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", type=Path, help="git repository (bare or not)")
    ap.add_argument("spec", help="API document path inside the repository")
    ap.add_argument("--range", dest="rng", help="commit range, e.g. v1.0..main")
    ap.add_argument("--count", type=int, default=30, help="newest N commits (default 30)")
    ap.add_argument("--all", action="store_true",
                    help="replay every commit, not only those touching the spec's folder")
    ap.add_argument("--clone", type=Path, help="reuse/keep the scratch clone here")
    ap.add_argument("--lines", type=int, default=6, help="report lines kept per commit")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per check")
    ap.add_argument("--save", type=Path,
                    help="keep each commit's full report (.txt) and git diff (.diff) here")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    ap.add_argument("-v", "--verbose", action="store_true", help="show all kept lines and stat")
    args = ap.parse_args(argv)

    tree = work_tree(args.repo.resolve(), args.clone)
    todo = commits(tree, args.spec, args.rng, args.count, args.all)
    rows: list[Row] = []
    for commit in todo:
        row = replay_one(tree, commit, args.spec, args.lines, args.timeout, args.save)
        rows.append(row)
        print_row(row, args.verbose)
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.exit_code] = counts.get(row.exit_code, 0) + 1
    slow = max((r.seconds for r in rows), default=0.0)
    print(f"\n{len(rows)} commits: " + ", ".join(
        f"exit {code}: {n}" for code, n in sorted(counts.items())) + f"; slowest {slow:.1f}s")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
