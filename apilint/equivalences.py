"""Spellings that mean the same across spec versions, read as one before comparing.

The differ compares what a schema or parameter *means*, so a document moved from Swagger 2.0
to OpenAPI 3.0, or from 3.0 to 3.1, is no change where only the spelling moved:

- nullability: 3.0 ``nullable: true``, Swagger's ``x-nullable: true`` and 3.1's ``"null"`` in
  a type list (``types_and_nullability``); ``oneOf: [X, {type: "null"}]`` (``null_pair``)
- bounds: 3.0 ``exclusiveMinimum: true`` beside ``minimum`` and 3.1's numeric
  ``exclusiveMinimum`` (``bounds_31``)
- formats: 3.0 ``format: byte``/``binary`` and 3.1's ``contentEncoding``/``contentMediaType``
  (``encoding``); 3.0 ``example`` and 3.1 ``examples: [..]`` (``examples_moved``)
- parameters: Swagger 2.0 ``collectionFormat`` and OpenAPI 3 ``style``/``explode``
  (``serialization``)

A schema's keywords are given as a map of keyword to a record whose first item is the value
(``diff.delta.Decl``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .model import MISSING

KeywordMap = Mapping[str, Sequence[Any]]


def types_and_nullability(kw: KeywordMap) -> tuple[frozenset[str], bool]:
    t = kw.get("type")
    raw = t[0] if t else None
    if isinstance(raw, list):
        types = {str(x) for x in raw}
    elif raw is None:
        types = set()
    else:
        types = {str(raw)}
    nullable = "null" in types
    n = kw.get("nullable")
    if n and n[0] is True:
        nullable = True
    xn = kw.get("x-nullable")
    if xn and xn[0] is True:
        nullable = True
    types.discard("null")
    return frozenset(types), nullable


def bounds_31(kw: KeywordMap) -> dict[str, Any]:
    """Numeric bounds in the 3.1 spelling, so the 3.0 form (``minimum: 0`` with
    ``exclusiveMinimum: true``) and the 3.1 form (``exclusiveMinimum: 0``) compare equal."""
    out: dict[str, Any] = {}
    for limit, excl in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        e = kw.get(excl)
        if e is None or not isinstance(e[0], bool):
            continue
        m = kw.get(limit)
        if e[0] and m is not None:
            out[excl], out[limit] = m[0], MISSING
        else:
            out[excl] = MISSING
    return out


def encoding(kw: KeywordMap, derive: bool = True) -> dict[str, Any]:
    """``format`` and 3.1's ``contentMediaType``/``contentEncoding`` in one spelling, so the
    3.0 form and its 3.1 replacement compare equal: ``format: byte`` is ``contentEncoding:
    base64``, ``format: binary`` is any ``contentMediaType``, and naming the generic
    ``application/octet-stream`` beside ``binary`` adds nothing.

    ``derive``: only one side writes ``format``, so the other's is read from its content
    keywords; when both or neither write it, each keyword is compared as written.
    """
    def get(k: str) -> Any:
        e = kw.get(k)
        return e[0] if e is not None else MISSING

    fmt, media, enc = get("format"), get("contentMediaType"), get("contentEncoding")
    if not derive:
        pass
    elif fmt is MISSING and isinstance(enc, str) and enc.lower() == "base64":
        fmt, enc = "byte", MISSING
    elif fmt is MISSING and media is not MISSING and enc is MISSING:
        fmt = "binary"
    if fmt == "binary" and media == "application/octet-stream":
        media = MISSING
    return {"format": fmt, "contentMediaType": media, "contentEncoding": enc}


def examples_moved(b_one: Any, b_list: Any, r_one: Any, r_list: Any) -> bool:
    """True when a schema's ``example: x`` (OpenAPI 3.0) became ``examples: [x]`` (JSON Schema,
    OpenAPI 3.1) or back: the same example, respelled."""
    return (b_list is MISSING and r_one is MISSING and b_one is not MISSING
            and r_list == [b_one]) or (
        r_list is MISSING and b_one is MISSING and r_one is not MISSING and b_list == [r_one])


def is_null_schema(node: Any) -> bool:
    if not isinstance(node, dict) or not node:
        return False
    if set(node) - {"type", "enum", "const", "description", "title", "nullable"}:
        return False
    return node.get("type") == "null" or node.get("enum") == [None] or (
        "const" in node and node["const"] is None)


def null_pair(members: Any) -> tuple[int, int] | None:
    """(index of the schema, index of the null member) for ``[X, null]`` in either order."""
    if not isinstance(members, list) or len(members) != 2:
        return None
    a, b = (is_null_schema(m) for m in members)
    if a == b:
        return None
    return (1, 0) if a else (0, 1)


def serialization(param: dict[str, Any], spec: str | None = None,
                   arrays: bool = True) -> dict[str, Any]:
    """A parameter's effective serialization: spelling out a default is no change.

    With ``spec`` (comparing Swagger 2.0 with OpenAPI 3) both sides speak OpenAPI 3's words:
    a Swagger ``collectionFormat`` becomes the style and explode that write the same query,
    and style and explode are left out for parameters that are not arrays on either side,
    where they change nothing on the wire.
    """
    where = param.get("in")
    out = {
        "allowEmptyValue": bool(param.get("allowEmptyValue", False)),
        "allowReserved": bool(param.get("allowReserved", False)),
    }
    if spec != "2.0":
        style = param.get("style", "form" if where in ("query", "cookie") else "simple")
        explode = bool(param.get("explode", style == "form"))
    else:
        fmt = param.get("collectionFormat", "csv")
        style, explode = COLLECTION_FORMATS.get(fmt, (str(fmt), False))
        if style == "form" and where not in ("query", "formData", "cookie"):
            style = "simple"  # csv in a path or header is OpenAPI 3's simple style
    if spec is None:
        out["collectionFormat"] = param.get("collectionFormat", "csv")
    if spec is None or arrays:
        out["style"], out["explode"] = style, explode
    return out


# Swagger 2.0 collectionFormat → OpenAPI 3 (style, explode) for query parameters; tsv has no
# OpenAPI 3 spelling and stays itself, so a move from or to it is reported.
COLLECTION_FORMATS = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}
