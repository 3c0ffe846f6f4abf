"""JSON pointers (RFC 6901): escape, join, split and walk."""

from __future__ import annotations

import re
from typing import Any

_MISSING = object()
_DIGITS = re.compile(r"([0-9]+)")  # ASCII digits: what a number in a pointer is


def escape(token: Any) -> str:
    text = token if type(token) is str else str(token)
    if "~" not in text and "/" not in text:
        return text
    return text.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: Any) -> str:
    if len(tokens) == 1:  # the common case, on hot paths
        text = tokens[0] if type(tokens[0]) is str else str(tokens[0])
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        return pointer + "/" + text
    return pointer + "".join("/" + escape(t) for t in tokens)


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def walk(data: Any, pointer: str, default: Any = _MISSING) -> Any:
    """The node at ``pointer``; ``default`` (or KeyError) when it does not exist."""
    node = data
    for token in split(pointer):
        if isinstance(node, dict):
            if token in node:
                node = node[token]
                continue
            # YAML may have loaded `200:` as an int key
            alt = _int_or_none(token)
            if alt is not None and alt in node:
                node = node[alt]
                continue
        elif isinstance(node, list):
            idx = _int_or_none(token)
            if idx is not None and 0 <= idx < len(node):
                node = node[idx]
                continue
        if default is _MISSING:
            raise KeyError(pointer)
        return default
    return node


def natural_key(text: str | None) -> tuple[Any, ...]:
    """A sort key that reads runs of digits as numbers: ``/enum/94`` before ``/enum/122``,
    ``/v2/`` before ``/v10/``. Pieces alternate text and number, so keys always compare; the
    text itself breaks ties (``07`` and ``7``)."""
    if not text:
        return ((), "")
    parts: list[Any] = _DIGITS.split(text)
    # A number as (significant digits, digits): the order of int() without converting, so
    # a 5,000-digit run (found by the fuzz harness in a recorded body's key) sorts too. Only
    # the runs of digits (every other piece) are rewritten: reports sort thousands of keys.
    for i in range(1, len(parts), 2):
        digits = parts[i].lstrip("0")
        parts[i] = (len(digits), digits)
    return (tuple(parts), text)


def _int_or_none(token: str) -> int | None:
    if token.isdigit() and (token == "0" or not token.startswith("0")):
        return int(token)
    return None


_SWAGGER_PARTS = {"definitions": "schema", "parameters": "parameter", "responses": "response"}


def component_label(pointer: str) -> str | None:
    """The reusable part a pointer lies in, as people say it (``schema "Pet"``), or None."""
    parts = split(pointer) if pointer.startswith("/") else []
    if len(parts) >= 3 and parts[0] == "components":
        kind = "schema" if parts[1] == "schemas" else parts[1].rstrip("s")
        return f'{kind} "{parts[2]}"'
    if len(parts) >= 2 and parts[0] in _SWAGGER_PARTS:
        return f'{_SWAGGER_PARTS[parts[0]]} "{parts[1]}"'
    return None
