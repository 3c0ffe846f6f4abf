"""A schema seen through ``$ref`` siblings and ``allOf``: keywords with their places."""

from __future__ import annotations

from typing import Any

from .. import limits
from .. import pointer as jp
from ..equivalences import null_pair
from ..errors import InputError
from ..loader import Document
from ..model import MISSING
from ..normalise import Node, NormalisedApi, Placed
from ..refs import NAMED_MAPS
from .common import DATA_KEYWORDS, _h, _ref_with_siblings
from .core import DifferCore
from .delta import Decl, Where
from .vocabulary import MAX_KEYWORDS, MIN_KEYWORDS

# How _combine joins a keyword that several allOf members declare (see there).
_ANY_TRUE = frozenset({"readOnly", "writeOnly", "deprecated", "uniqueItems", "nullable",
                       "x-nullable"})
_SUBSCHEMA_ALL = frozenset({"items", "additionalProperties", "contains", "propertyNames",
                            "unevaluatedItems", "unevaluatedProperties", "additionalItems",
                            "contentSchema"})
_ALL_APPLY = frozenset({"pattern", "format", "multipleOf", "const"})
# The keywords _combine joins (the rest keep the outermost declaration).
_JOINED = (frozenset({"type", "enum", "exclusiveMinimum", "exclusiveMaximum", "required"})
           | MIN_KEYWORDS | MAX_KEYWORDS | _ANY_TRUE | _SUBSCHEMA_ALL | _ALL_APPLY)


class View:
    """A schema seen through ``$ref`` siblings and ``allOf``: keywords with their places."""

    __slots__ = ("doc", "ptr", "node", "kw", "props", "required", "is_bool", "required_at",
                 "multi")

    def __init__(self, doc: Document, ptr: str, node: Any) -> None:
        self.doc = doc
        self.ptr = ptr
        self.node = node
        self.kw: dict[str, Decl] = {}
        self.props: dict[str, Node] = {}
        self.required: set[str] = set()
        self.is_bool = isinstance(node, bool)
        # For a schema the normaliser built: where each required name is made required.
        self.required_at: dict[str, Where] | None = None
        # Keywords declared by more than one allOf member: every distinct declaration, so a
        # change can be placed at the declaration that changed (see ``_combine``).
        self.multi: dict[str, list[Decl]] | None = None


class ViewReader(DifferCore):
    def _joins(self, bn: Node, rn: Node) -> bool:
        """True when, somewhere in two equal texts, an ``allOf`` or a ``$ref`` with siblings
        declares one constraint or property more than once on either side (see
        ``_combine``). Annotations (descriptions, extensions) are not joined: the outer one
        wins and each component's own is compared where it is written."""
        subs = self._merge_nodes(bn[2])
        if not subs:
            return False
        # Only a mapping that itself declares something _combine joins, or joins two
        # members, can declare a thing twice: a `$ref` with a description beside it, or an
        # allOf around one $ref, cannot (what the target joins is judged at the target).
        subs = [sub for sub in subs if not _JOINED.isdisjoint(sub) or "properties" in sub
                or len(sub.get("allOf") or ()) > 1]
        for side, (doc, ptr, _) in ((self.b, bn), (self.r, rn)):
            for sub in subs:
                view = View(doc, ptr, sub)
                self._fill(side, view, doc, ptr, sub)
                if view.multi is not None and not _JOINED.isdisjoint(view.multi):
                    return True
                if any(id(p[2]) in self._synth for p in view.props.values()):
                    return True
        return False

    def _merge_nodes(self, node: Any) -> list[dict[str, Any]]:
        """The mappings under ``node`` (itself included) with an ``allOf`` or a ``$ref``
        with siblings."""
        cached = self._merge_cache.get(id(node))
        if cached is not None:
            return cached
        found: list[dict[str, Any]] = []
        todo: list[tuple[Any, bool]] = [(node, False)]
        while todo:
            x, named = todo.pop()
            if isinstance(x, dict):
                if named:  # a map of names to schemas (properties…): any name is fine
                    todo.extend((v, False) for v in x.values() if isinstance(v, dict))
                    continue
                if isinstance(x.get("allOf"), list) or (
                        isinstance(x.get("$ref"), str) and len(x) > 1):
                    found.append(x)
                # Values (enum, default, examples) and extensions hold data, not schemas.
                todo.extend((v, k in NAMED_MAPS) for k, v in x.items()
                            if isinstance(v, (dict, list)) and k not in DATA_KEYWORDS
                            and not str(k).startswith("x-"))
            elif isinstance(x, list):
                todo.extend((v, False) for v in x if isinstance(v, (dict, list)))
        self._merge_cache[id(node)] = found
        return found

    def _view(self, side: NormalisedApi, node: Node) -> View:
        doc, ptr, value = node
        # Keyed by side too: both sides may hold the very same object (one parse of a file
        # that did not change), but each side resolves its $refs in its own files.
        key = (id(value), side is self.b)
        cached = self._views.get(key)
        if cached is not None and cached.ptr == ptr:
            return cached
        view = View(doc, ptr, value)
        if isinstance(value, dict):
            self._fill(side, view, doc, ptr, value)
        self._views[key] = view
        return view

    def _fill(self, side: NormalisedApi, view: View, doc: Document, ptr: str,
              value: dict[str, Any]) -> None:
        """Read a schema and everything its ``allOf`` members and ``$ref`` siblings add.

        The walk is iterative (an ``allOf`` chain through a thousand ``$ref``s cannot exhaust
        the stack) and visits each member once (a cycle ends). Every declaration is collected
        first and combined afterwards by ``_combine``: all members of an ``allOf`` apply, so
        a keyword or property declared twice means both declarations, not the first one.
        """
        placed = side.places.get(id(value)) if side.places else None
        if placed is not None:
            self._fill_placed(view, doc, ptr, value, placed)
            return
        if id(value) not in self._synth and "allOf" not in value and "$ref" not in value \
                and "oneOf" not in value and "anyOf" not in value:
            # Nothing to merge (most schemas): every keyword is declared once, here.
            for k, v in value.items():
                if k == "properties" and isinstance(v, dict):
                    view.props = {str(name): (doc, jp.join(ptr, "properties", name), pv)
                                  for name, pv in v.items()}
                    continue
                if k == "required" and isinstance(v, list):
                    view.required.update(str(x) for x in v)
                view.kw[k] = Decl(v, doc, jp.join(ptr, k))
            return
        decls: dict[str, list[Decl]] = {}
        props: dict[str, list[Node]] = {}
        seen: set[int] = set()
        # Preorder: a schema's own keywords before its members', so an outer annotation
        # (a description beside the allOf) still overrides the one it wraps.
        stack: list[tuple[Document, str, dict[str, Any], int]] = [(doc, ptr, value, 0)]
        while stack:
            mdoc, mptr, mval, depth = stack.pop()
            if id(mval) in seen:
                continue
            seen.add(id(mval))
            if depth > limits.MAX_DEPTH:
                pos = mdoc.position(mptr)
                raise InputError(f"schema composed of more than {limits.MAX_DEPTH} nested allOf "
                                 f"levels at {mptr} (limit MAX_DEPTH)", mdoc.path,
                                 *((pos[0], pos[1]) if pos else (None, None)))
            members = self._synth.get(id(mval))
            merge: list[Node] = list(members) if members is not None else []
            for k, v in (mval.items() if members is None else ()):
                if k == "allOf" and isinstance(v, list):
                    merge.extend((mdoc, jp.join(mptr, "allOf", i), m) for i, m in enumerate(v))
                elif k in ("oneOf", "anyOf") and null_pair(v) is not None:
                    # `oneOf: [X, {type: "null"}]` is how 3.1 says "X or null": X, nullable.
                    other, null_at = null_pair(v)  # type: ignore[misc]
                    merge.append((mdoc, jp.join(mptr, k, other), v[other]))
                    decls.setdefault("nullable", []).append(
                        Decl(True, mdoc, jp.join(mptr, k, null_at)))
                elif k == "$ref":
                    merge.append((mdoc, mptr, {"$ref": v}))
                elif k == "properties" and isinstance(v, dict):
                    for name, pv in v.items():
                        props.setdefault(str(name), []).append(
                            (mdoc, jp.join(mptr, "properties", name), pv))
                else:
                    decls.setdefault(k, []).append(Decl(v, mdoc, jp.join(mptr, k)))
            found: list[tuple[Document, str, dict[str, Any], int]] = []
            for m in merge:
                # A member that is a $ref with keywords beside it (3.1) is read whole: its
                # own keywords apply too, and its $ref is merged when it is walked.
                mn = m if id(m[2]) in self._synth or _ref_with_siblings(m[2]) else side.deref(m)
                self.reached.add((mn[0].path, mn[1]))
                if isinstance(mn[2], dict):
                    found.append((mn[0], mn[1], mn[2], depth + 1))
            stack.extend(reversed(found))
        for name, nodes in props.items():
            distinct = _distinct_nodes(nodes)
            view.props[name] = distinct[0] if len(distinct) == 1 else self._all_of(distinct)
        for k, entries in decls.items():
            if len(entries) > 1:
                entries = _distinct(entries)
            if len(entries) == 1:
                view.kw[k] = entries[0]
            else:
                view.kw[k] = self._combine(k, entries)
                if view.multi is None:
                    view.multi = {}
                view.multi[k] = entries
            if k == "required":
                for e in entries:
                    if isinstance(e.value, list):
                        view.required.update(str(x) for x in e.value)
                if len(entries) > 1:
                    # Each name is made required by its own entry in one of the lists.
                    at = view.required_at = {}
                    for v, edoc, eptr in entries:
                        if isinstance(v, list):
                            for i, x in enumerate(v):
                                at.setdefault(str(x), (edoc, jp.join(eptr, i)))

    def _all_of(self, nodes: list[Node]) -> Node:
        """One schema node that means every one of ``nodes`` (declarations of one property
        or subschema in several ``allOf`` members). Its view merges them like an ``allOf``;
        it sits at the first declaration's place."""
        synth: dict[str, Any] = {"allOf": [n[2] for n in nodes]}
        self._synth[id(synth)] = nodes
        self._keep.append(synth)
        return nodes[0][0], nodes[0][1], synth

    def _combine(self, k: str, entries: list[Decl]
                 ) -> Decl:
        """One keyword declared differently by several ``allOf`` members, as one value.

        Every member applies (JSON Schema), so the combined value is their intersection: the
        types both allow, the enum values both list, the larger minimum and the smaller
        maximum, a flag any member sets, the subschemas all of them (a synthetic ``allOf``).
        Assertions that cannot be intersected (two patterns, formats, multipleOf) are kept
        as the list of all of them, so a change in any one is seen; flattening equal
        declarations into one schema is no change. Annotations (descriptions, defaults,
        extensions) and what is not combined keep the outermost declaration, as a
        description beside an ``allOf`` overrides the one it wraps. The place is that of the
        binding declaration.
        """
        first = entries[0]
        values = [e.value for e in entries]
        if k == "type":
            sets = [_type_set(v) for v in values]
            if any(t is None for t in sets):
                return first
            common = set(sets[0] or ())
            for t in sets[1:]:
                common = _type_meet(common, t or set())
            if not common:
                return first  # contradictory members: keep what the first says
            value: Any = next(iter(common)) if len(common) == 1 else sorted(common)
            bind = next((e for e, t in zip(entries, sets, strict=True) if t == common), first)
            return Decl(value, bind.doc, bind.ptr)
        if k == "enum":
            if not all(isinstance(v, list) for v in values):
                return first
            smallest = min(entries, key=lambda e: len(e.value))
            keep = set.intersection(*({_h(x) for x in v} for v in values))
            return Decl([x for x in smallest.value if _h(x) in keep], smallest.doc,
                        smallest.ptr)
        if k in MIN_KEYWORDS or k in MAX_KEYWORDS or k in ("exclusiveMinimum",
                                                           "exclusiveMaximum"):
            nums = [_num(v) for v in values]
            if any(n is None for n in nums):
                return first
            pick = max if k in MIN_KEYWORDS or k == "exclusiveMinimum" else min
            return pick(zip(nums, range(len(entries)), entries, strict=True))[2]
        if k in _ANY_TRUE:
            return next((e for e in entries if e.value is True), first)
        if k in _SUBSCHEMA_ALL:
            if k == "additionalProperties" and any(v is False for v in values):
                return next(e for e in entries if e.value is False)
            subs = [(e.doc, e.ptr, e.value) for e in entries if isinstance(e.value, dict)]
            if not subs:
                return first
            if len(subs) == 1:
                return Decl(subs[0][2], subs[0][0], subs[0][1])
            node = self._all_of(subs)
            return Decl(node[2], node[0], node[1])
        if k in _ALL_APPLY:
            return Decl(values, first.doc, first.ptr)
        return first

    @staticmethod
    def _fill_placed(view: View, doc: Document, ptr: str, value: dict[str, Any],
                     placed: Placed) -> None:
        """A built schema (no ``allOf`` or ``$ref``): its parts where ``placed`` says."""
        for k, v in value.items():
            if k == "properties" and isinstance(v, dict):
                for name, pv in v.items():
                    at = placed.properties.get(str(name))
                    view.props.setdefault(str(name), (doc, at if at is not None else jp.join(
                        ptr, "properties", name), pv))
                continue
            if k == "required" and isinstance(v, list):
                view.required.update(str(x) for x in v)
            view.kw.setdefault(k, Decl(v, doc, placed.keywords.get(k) or jp.join(ptr, k)))
        if placed.required:
            view.required_at = {name: (doc, at) for name, at in placed.required.items()}


def _type_set(value: Any) -> set[str] | None:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return set(value)
    return None


def _type_meet(a: set[str], b: set[str]) -> set[str]:
    """The types both ``a`` and ``b`` allow (an integer is a number)."""
    out = a & b
    if ("number" in a and "integer" in b) or ("integer" in a and "number" in b):
        out.add("integer")
    return out


def _same_decl(a: Any, adoc: Any, b: Any, bdoc: Any) -> bool:
    # Equal text in two files may name different things through relative $refs.
    return a == b and (adoc is bdoc or not isinstance(a, (dict, list)))


def _distinct(entries: list[Decl]) -> list[Decl]:
    out: list[Decl] = []
    for e in entries:
        if not any(_same_decl(e.value, e.doc, o.value, o.doc) for o in out):
            out.append(e)
    return out


def _distinct_nodes(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        if not any(n[2] is o[2] or _same_decl(n[2], n[0], o[2], o[0]) for o in out):
            out.append(n)
    return out


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x)


def _changed_decl(view: View, other: View, k: str, value: Any = MISSING
                  ) -> Decl:
    """Of the declarations of ``k`` that ``view``'s allOf members make, the one a change is
    in: the first the other side does not make too (and that lists ``value``, if given)."""
    assert view.multi is not None
    theirs = other.multi.get(k) if other.multi is not None else None
    if theirs is None:
        e = other.kw.get(k)
        theirs = [e] if e is not None else []
    for d in view.multi[k]:
        if value is not MISSING and not (isinstance(d.value, list) and value in d.value):
            continue
        if not any(d.value == t.value for t in theirs):
            return d
    if value is not MISSING:
        return next((d for d in view.multi[k] if isinstance(d.value, list) and value in d.value),
                    view.kw[k])
    return view.kw[k]


def _on(view: View, key: str) -> bool:
    e = view.kw.get(key)
    return e is not None and e.value is True


# The keywords that constrain only values of some type, by type (JSON Schema validation).
_TYPE_KEYWORDS = {
    "object": frozenset({"properties", "required", "additionalProperties", "patternProperties",
                         "minProperties", "maxProperties", "propertyNames", "dependentSchemas",
                         "dependentRequired", "unevaluatedProperties", "discriminator"}),
    "array": frozenset({"items", "prefixItems", "additionalItems", "minItems", "maxItems",
                        "uniqueItems", "contains", "minContains", "maxContains",
                        "unevaluatedItems"}),
    "string": frozenset({"minLength", "maxLength", "pattern", "contentMediaType",
                         "contentEncoding", "contentSchema"}),
    "number": frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                         "multipleOf"}),
}


_TYPE_KEYWORDS["integer"] = _TYPE_KEYWORDS["number"]


_TYPED = frozenset().union(*_TYPE_KEYWORDS.values())


_NOTHING: frozenset[str] = frozenset()


_INAPPLICABLE: dict[frozenset[str], frozenset[str]] = {}


def _inapplicable(view: View) -> frozenset[str]:
    """The type-specific keywords that do not apply to any type ``view`` declares."""
    e = view.kw.get("type")
    if e is None:
        return _NOTHING
    types = _type_set(e.value)
    if not types:
        return _NOTHING
    key = frozenset(types)
    out = _INAPPLICABLE.get(key)
    if out is None:
        if not key <= {"null", "boolean", *_TYPE_KEYWORDS}:
            out = _NOTHING  # an unknown type name: judge nothing
        else:
            out = _TYPED.difference(*(_TYPE_KEYWORDS.get(t, _NOTHING) for t in key))
        _INAPPLICABLE[key] = out
    return out


def _without(view: View, drop: frozenset[str]) -> View:
    """``view`` without the keywords in ``drop`` (itself when it has none of them)."""
    gone_props = "properties" in drop and bool(view.props)
    gone_req = "required" in drop and bool(view.required)
    if not (gone_props or gone_req or not drop.isdisjoint(view.kw)):
        return view
    out = View(view.doc, view.ptr, view.node)
    out.kw = {k: v for k, v in view.kw.items() if k not in drop}
    out.props = {} if gone_props else view.props
    out.required = set() if gone_req else view.required
    out.required_at = view.required_at
    out.multi = view.multi
    return out
