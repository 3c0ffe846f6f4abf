"""File writing that never leaves a half-written report or baseline behind."""

from __future__ import annotations

import os
import tempfile

from .errors import InputError


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".apilint-", dir=folder)
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
