"""File writing that never leaves a half-written report or baseline behind."""

from __future__ import annotations

import os
import tempfile

from .errors import InputError


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    A file this run read as input is never written: ``-o`` naming a spec is refused.
    """
    refuse_input(path)
    folder = os.path.dirname(os.path.abspath(path)) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".apilint-", dir=folder)
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        # mkstemp makes the file private; a report gets the usual mode for new files.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None


def refuse_input(path: str) -> None:
    """UsageError when ``path`` is a file this run read as input (a spec, a capture)."""
    from .errors import UsageError
    from .loader import is_input

    if is_input(path):
        raise UsageError("refusing to write a report over an input file", path)
