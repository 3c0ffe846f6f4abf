"""Writing reports and baselines: never a half-written file, never through an input.

A regular file (or a missing one) is written to a temporary file beside it and renamed into
place, so a reader never sees half a report; a symlink to a regular file keeps its link and
the file it names is replaced. Anything else that already exists under the name — a device
such as ``/dev/null`` or ``/dev/stdout``, a FIFO, a symlink to a descriptor — is written
through and never replaced: renaming a file over a device node would destroy the node.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import tempfile

from . import cleanup
from .errors import InputError


def write_atomic(path: str, text: str, *, replaces_input: bool = False) -> None:
    """Write ``text`` to ``path``.

    A file this run read as input (a spec, captures, waivers, configuration, a call map) is
    never written, unless ``replaces_input`` says this output is meant to update it (the
    baseline merging into the waiver file it read).
    """
    if not replaces_input:
        refuse_input(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError("cannot write output (is a directory)", path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(path, text)
        return
    target = os.path.realpath(path) if os.path.islink(path) else path
    folder = os.path.dirname(os.path.abspath(target)) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".apilint-", dir=folder)
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
    cleanup.register(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        # mkstemp makes the file private; a report gets the usual mode for new files.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        cleanup.unregister(tmp)
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
    finally:
        # Still registered only when the rename did not happen: an error, or KeyboardInterrupt
        # or SIGTERM in the middle of the write.
        cleanup.remove_all_of([tmp])


def _write_through(path: str, text: str) -> None:
    """Write into an existing device or FIFO. The open does not block (a FIFO nobody reads
    is an error, not a hang); the writes then block as usual so a slow reader gets it all."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if err.errno == errno.ENXIO:  # a FIFO with no reader
            raise InputError("cannot write output (a FIFO with no reader)", path) from None
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
    try:
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        data = text.encode("utf-8")
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError as err:
        raise InputError(f"cannot write output ({err.strerror or err})", path) from None
    finally:
        os.close(fd)


def refuse_input(path: str) -> None:
    """UsageError when ``path`` is a file this run read as input (a spec, a capture)."""
    from .errors import UsageError
    from .loader import is_input

    if is_input(path):
        raise UsageError("refusing to write a report over an input file", path)
