"""JSON written with ``indent=0`` (every line flush left) gives the plain scanner's answers.

With no indentation a nested container's closing bracket looks like its parent's. The
laid-out reader used to take the wrong closing line (wrong positions) and, when a comma ended
the last line it looked at, loop from the start of the text for ever, growing a list until the
machine ran out of memory (found on a fresh clone, whose newer hypothesis generates indent=0
cases for test_sourcemap_json_layout.py); it now leaves such text to the plain scanner.
"""

from __future__ import annotations

import json
import signal
from typing import Any

from apilint.sourcemap import SourceMap

VALUE = [[], -3, [[None, {}, [-5, "\x9c¥\rÞ", False, -1], False], {"b": 3}, []], []]


def _pointers(data: Any, ptr: str = "") -> list[str]:
    out = [ptr]
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else ()
    for k, v in items:
        out.extend(_pointers(v, f"{ptr}/{k}"))
    return out


def test_flush_left_json_answers_like_the_plain_scanner() -> None:
    text = json.dumps(VALUE, indent=0, ensure_ascii=False)
    signal.alarm(30)  # a regression hangs: fail instead of eating the machine's memory
    try:
        laid_out, plain = SourceMap(text, "json", json.loads(text)), SourceMap(text, "json")
        for p in _pointers(VALUE):
            assert laid_out.position(p) == plain.position(p), p
    finally:
        signal.alarm(0)
