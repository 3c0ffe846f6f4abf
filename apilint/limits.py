"""The explicit bounds apilint puts on its input, in one place.

A pre-commit hook or CI job runs on files from anywhere, so every input is bounded before it
can cost unbounded time or memory. Each error that a limit causes names the limit, so a user
with a legitimately larger file knows what was refused and why. The values are far above what
real API descriptions need (the largest public specs are ~5 MB, nested ~40 levels deep).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

# Largest file read (bytes). Bigger files are refused before they are read.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Deepest nesting of mappings and sequences in one document (JSON and YAML, aliases expanded).
MAX_DEPTH = 1000

# Most nodes a YAML document may expand to once aliases are followed ("billion laughs").
MAX_YAML_NODES = 5_000_000

# Longest integer literal, in digits (Python's own default for int/str conversion).
MAX_INT_DIGITS = 4300

# Most files one side may load through $ref (multi-file specs such as DigitalOcean's load
# 1,500 files of 2,900 today).
MAX_REF_FILES = 10_000

# Longest chain of $ref-to-$ref hops before a reference is called a cycle.
MAX_REF_HOPS = 64

# Most microversions one changelog lists (Nova has about 100; a min-ver of 2.9999999 would
# otherwise list ten million empty versions).
MAX_MICROVERSIONS = 10_000


def describe() -> dict[str, int]:
    """The limits by name, for documentation and tests."""
    return {
        "MAX_FILE_BYTES": MAX_FILE_BYTES,
        "MAX_DEPTH": MAX_DEPTH,
        "MAX_YAML_NODES": MAX_YAML_NODES,
        "MAX_INT_DIGITS": MAX_INT_DIGITS,
        "MAX_REF_FILES": MAX_REF_FILES,
        "MAX_REF_HOPS": MAX_REF_HOPS,
        "MAX_MICROVERSIONS": MAX_MICROVERSIONS,
    }


@contextmanager
def recursion_room(frames: int, *, exact: bool = False) -> Iterator[None]:
    """``frames`` more Python frames for a recursive parser (at least, or exactly), restored.

    An exact room turns the recursion limit into a nesting limit for parsers that count
    nesting against it (the C JSON scanner does).
    """
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames if exact else max(old, depth + frames))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)
