"""A progress bar on stderr for work that takes a while, only where a person watches.

Shown when stderr is a terminal and the work has several steps that take more than a
second in all (many files in ``--base`` mode, ``--validate`` on large specs); never in a
hook's or CI job's log, where it would be noise. Drawn by rich, which apilint already uses
for colour, and only imported when a bar is actually shown.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

# A bar appears only once the work has run this long: quick runs stay quiet.
DELAY = 1.0


def steps(items: Iterable[T], total: int, what: str) -> Iterator[T]:
    """Yield ``items``; on a terminal, after ``DELAY`` seconds, draw a bar on stderr."""
    if total < 2 or not sys.stderr.isatty():
        yield from items
        return
    started = time.monotonic()
    bar = None
    task = None
    try:
        for done, item in enumerate(items):
            if bar is None and time.monotonic() - started > DELAY:
                from rich.console import Console
                from rich.progress import Progress

                bar = Progress(console=Console(stderr=True), transient=True)
                bar.start()
                task = bar.add_task(what, total=total, completed=done)
            yield item
            if bar is not None and task is not None:
                bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()
