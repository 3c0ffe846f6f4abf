"""Indented JSON text, the bytes of ``json.dumps(value, indent=N)``, written faster.

With ``indent`` set, the standard library leaves its C encoder for a pure-Python generator
chain (one ``yield`` per value per level). A report of a large release holds tens of
thousands of values (a change to a shared schema lists every operation it reaches), and
that chain cost as much as classifying the changes. This writer builds the same text by
recursion into one list of pieces, and a list of strings (the common case: operation
labels) in one C-level join; strings are escaped by the standard library's own C
functions. Anything it does not know how to write (a type ``json`` would hand to
``default``, a cycle, nesting past the recursion limit) is left to ``json.dumps`` itself,
so errors and edge cases stay exactly the standard library's.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

_INFINITY = float("inf")


class _Unknown(Exception):
    """A value this writer leaves to ``json.dumps``."""


def dumps(value: Any, *, indent: int = 2, ensure_ascii: bool = True) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)``, byte for byte."""
    out: list[str] = []
    escape = encode_basestring_ascii if ensure_ascii else encode_basestring
    try:
        _write(value, "\n", " " * indent, escape, out, set())
    except (_Unknown, RecursionError):
        return json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)
    return "".join(out)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any, escape: Any) -> str:
    """A non-container value as ``json`` writes it; ``_Unknown`` for anything else."""
    if isinstance(value, str):
        return escape(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise _Unknown


def _key(key: Any, escape: Any) -> str:
    """A member name as ``json`` writes it (``skipkeys`` off: other types are an error)."""
    if isinstance(key, str):
        return escape(key)
    if isinstance(key, float):
        return escape(_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return escape(int.__repr__(key))
    raise _Unknown


def _write(value: Any, newline: str, step: str, escape: Any, out: list[str],
           open_ids: set[int]) -> None:
    """Append ``value``'s text; ``newline`` is a line break plus the current indentation."""
    if isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + step
        if set(map(type, value)) == {str}:
            out.append("[" + inner + ("," + inner).join(map(escape, value)) + newline + "]")
            return
        _enter(value, open_ids)
        out.append("[")
        sep = inner
        for item in value:
            out.append(sep)
            sep = "," + inner
            kind = type(item)
            if kind is str:
                out.append(escape(item))
            elif kind is dict or kind is list or isinstance(item, (list, tuple, dict)):
                _write(item, inner, step, escape, out, open_ids)
            else:
                out.append(_scalar(item, escape))
        out.append(newline + "]")
        open_ids.discard(id(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        _enter(value, open_ids)
        inner = newline + step
        out.append("{")
        sep = inner
        for key, item in value.items():
            name = escape(key) if type(key) is str else _key(key, escape)
            kind = type(item)
            if kind is str:
                out.append(sep + name + ": " + escape(item))
            elif kind is dict or kind is list or isinstance(item, (list, tuple, dict)):
                out.append(sep + name + ": ")
                _write(item, inner, step, escape, out, open_ids)
            else:
                out.append(sep + name + ": " + _scalar(item, escape))
            sep = "," + inner
        out.append(newline + "}")
        open_ids.discard(id(value))
    else:
        out.append(_scalar(value, escape))


def _enter(container: Any, open_ids: set[int]) -> None:
    """A container met again inside itself is a cycle: ``json.dumps`` says so."""
    marker = id(container)
    if marker in open_ids:
        raise _Unknown
    open_ids.add(marker)
