"""Helpers every comparer shares: places (``Where``), text compared by its words, extensions."""

from __future__ import annotations

import json
from typing import Any

from .. import pointer as jp
from ..normalise import Node
from ..refs import NAMED_MAPS, ref_strings
from ..versions import RANGE_KEYS, openstack_range_text
from .delta import Where
from .kinds import Kind
from .vocabulary import DOC_KEYWORDS

_FLIP = {"request": "response", "response": "request"}


def _w(node: Node) -> Where:
    return node[0], node[1]


def _kw(where: Where, value: dict[str, Any], key: str) -> Where:
    if key in value:
        return where[0], jp.join(where[1], key)
    return where


def _v(entry: Any, default: Any = None) -> Any:
    return entry[0] if entry is not None else default


def _h(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else _h(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_ref(x: Any) -> bool:
    return isinstance(x, dict) and "$ref" in x


def _refs_under(node: Any) -> set[str]:
    """Every ``$ref`` string under ``node`` that is a reference: not inside data values
    (enum, default, examples…) nor extensions, and not a property that happens to be named
    ``$ref`` or ``default`` (the same reading as the resolver's check)."""
    return ref_strings(node) or set()


def _ref_with_siblings(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node and len(node) > 1


def _first_difference(a: Any, b: Any, ptr: str = "") -> str:
    """Pointer (relative) of the deepest place where ``a`` and ``b`` first differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return jp.join(ptr, k) if k in b else ptr
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], jp.join(ptr, k))
        return ptr
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, jp.join(ptr, i))
    return ptr


def _named_refs(named_map: Any) -> set[str]:
    return (ref_strings(named_map, names=True) or set()) if isinstance(named_map, dict) \
        else set()


def _strip_doc(value: Any, named: bool = False) -> Any:
    """``value`` without its words (descriptions, titles, examples…), at every depth; in maps
    keyed by names (``properties``…) a member called ``description`` is kept."""
    if isinstance(value, dict):
        return {k: _strip_doc(v, not named and k in NAMED_MAPS) for k, v in value.items()
                if named or k not in DOC_KEYWORDS}
    if isinstance(value, list):
        return [_strip_doc(v) for v in value]
    return value


def _item_where(w: Where, items: Any, value: Any) -> Where:
    """The entry of ``value`` in the list at ``w``; the list itself when it is not there."""
    if isinstance(items, list):
        for i, item in enumerate(items):
            if item == value and type(item) is type(value):
                return (w[0], jp.join(w[1], i))
    return w


# Text fields: prose whose line breaks and indentation are layout. Data values (examples,
# enum, default, const, an Example's value) and extensions are compared exactly.
TEXT_KEYWORDS = frozenset({"description", "summary", "title"})


DATA_KEYWORDS = frozenset({"example", "examples", "enum", "default", "const", "value"})


def _words(value: Any, named: bool = False) -> Any:
    """``value`` with the whitespace of its text fields collapsed at every depth (runs to one
    space, ends stripped), so a re-wrapped description compares equal; in maps keyed by
    names (``properties``…) a member called ``description`` is a name, not text."""
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        for k, v in value.items():
            if named:
                out[k] = _words(v)
            elif k in TEXT_KEYWORDS and isinstance(v, str):
                out[k] = " ".join(v.split())
            elif k in DATA_KEYWORDS or (isinstance(k, str) and k.startswith("x-")):
                out[k] = v
            else:
                out[k] = _words(v, k in NAMED_MAPS)
        return out
    if isinstance(value, list):
        return [_words(v) for v in value]
    return value


def _same_words(b: Any, r: Any) -> bool:
    """True when two nodes differ at most in the layout of their text (see ``_words``)."""
    return b == r or _words(b) == _words(r)


def _differs(key: Any, b: Any, r: Any) -> bool:
    """True when field ``key`` differs in more than the layout of its text (see ``_words``)."""
    if b == r:
        return False
    if key in TEXT_KEYWORDS and isinstance(b, str) and isinstance(r, str):
        return b.split() != r.split()
    return _words({key: b}) != _words({key: r})


def _extension_kind(key: str, b: Any, r: Any) -> str | None:
    """The kind of delta for extension ``key`` going from ``b`` to ``r``; None when both say
    the same. ``x-openstack`` is read: its range changing is ``openstack-range-changed``, the
    same range respelled (``min_ver`` → ``min-ver``) with the same other keys is nothing."""
    if b == r:
        return None
    if key == "x-openstack":
        # Read as the policy reads it: values as text, min_ver and min-ver one key.
        if openstack_range_text(b) != openstack_range_text(r):
            return Kind.OPENSTACK_RANGE_CHANGED
        if isinstance(b, dict) and isinstance(r, dict) and \
                {k: v for k, v in b.items() if k not in RANGE_KEYS} == \
                {k: v for k, v in r.items() if k not in RANGE_KEYS}:
            return None
    return Kind.EXTENSION_CHANGED
