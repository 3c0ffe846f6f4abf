"""Temporary files and folders a run makes, removed however the run ends.

apilint makes two kinds: the temporary file beside an ``--output`` report before it is
renamed into place, and folders of git blobs for captures read at a ref. Both are registered
here while they exist. ``remove_all`` runs on every way out of the CLI — normal exit, an
error, SIGINT (exit 130), SIGTERM (exit 143) — including the fast exit that skips the
interpreter's own shutdown (and with it ``atexit``), so no run leaves one behind.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
from typing import Any

_PATHS: dict[str, bool] = {}  # path -> is a folder
_ATEXIT: list[bool] = []  # whether remove_all is registered with atexit (once)


class Stopped(BaseException):
    """SIGINT or SIGTERM arrived: unwind like KeyboardInterrupt so ``finally`` blocks clean
    up, then exit with the shell's status for the signal (130, 143). Not KeyboardInterrupt
    itself: click would print a blank line and turn it into its own Abort."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.status = 128 + signum
        self.word = "interrupted" if signum == signal.SIGINT else "terminated"


def register(path: str, *, folder: bool = False) -> None:
    if not _ATEXIT:
        # A second net for library callers that never reach the CLI's own exit.
        atexit.register(remove_all)
        _ATEXIT.append(True)
    _PATHS[path] = folder


def unregister(path: str) -> None:
    _PATHS.pop(path, None)


def remove_all() -> None:
    """Remove every registered temporary file and folder; never raises."""
    remove_all_of(list(_PATHS))


def remove_all_of(paths: list[str]) -> None:
    """Remove these registered paths (unknown ones are left alone); never raises."""
    for path in paths:
        if path not in _PATHS:
            continue
        folder = _PATHS.pop(path)
        try:
            if folder:
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass


def _on_signal(signum: int, frame: Any) -> None:
    raise Stopped(signum)


def install_signal_handlers() -> None:
    """SIGINT and SIGTERM raise ``Stopped``."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(signum, _on_signal)
        except (ValueError, OSError):  # not the main thread (a test calling main in a thread)
            pass
