"""Regular expressions that apilint did not write, matched in linear time.

A pattern from a spec (``pattern``, ``patternProperties``), from a configuration file
(``[version] regex``) or built around spec text could backtrack exponentially in Python's
``re`` on crafted input: ``(a+)+$`` against 30 ``a``s and a ``b`` takes minutes. These are
compiled with RE2 (google-re2), whose matching time is linear in the input by construction.
RE2 has no backreferences or lookaround; a pattern that needs them is reported as not
supported rather than run on a backtracking engine. Patterns apilint writes itself from
fixed text stay on ``re``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2


class UnsupportedPattern(ValueError):
    """The pattern is not valid RE2 syntax (backreferences, lookaround, bad syntax)."""


def _options() -> Any:
    opts = re2.Options()
    opts.log_errors = False  # RE2 would print its own parse errors to stderr
    opts.max_mem = 64 << 20  # bounds the compiled program; a bigger one fails to compile
    return opts


@lru_cache(maxsize=4096)
def compile_untrusted(pattern: str, *, multiline: bool = False) -> Any:
    """A compiled RE2 pattern with ``search``/``match``/``fullmatch`` and ``groupindex``."""
    try:
        return re2.compile(("(?m)" if multiline else "") + pattern, _options())
    except Exception as err:  # re2.error, and TypeError/ValueError for odd input
        raise UnsupportedPattern(str(err).strip("b'\"")) from None


def search(pattern: str, text: str) -> bool:
    """True when ``pattern`` matches somewhere in ``text`` (JSON Schema's ``pattern``)."""
    return compile_untrusted(pattern).search(text) is not None
