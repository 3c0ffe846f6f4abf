"""What one side of a comparison is read from: a ``Source`` record.

A source is a path (a spec file, a folder or HAR file of captures, or ``PATH@VERSION``) with
the functions that read it: the disk by default, or one git tree (``gitsource`` gives a pair
of them for ``--base REF``), the name to show for it, and the options that read captures.
``api.compare`` takes one per side.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .loader import read_bytes


@dataclass(frozen=True)
class Source:
    path: str  # absolute for a file in a git tree (its $refs resolve against it)
    display: str | None = None  # shown instead of path, e.g. "origin/main:openapi.yaml"
    reader: Callable[[str], bytes] = read_bytes  # reads a path of this side (disk or a tree)
    exists: Callable[[str], bool] = os.path.exists
    # Captures: keyword arguments of ``captures.load_captures`` (enum_keys, version, ...).
    capture_options: dict[str, Any] | None = None

    @classmethod
    def of(cls, source: Source | str) -> Source:
        """A path given alone is a file on disk."""
        return source if isinstance(source, Source) else cls(source)
