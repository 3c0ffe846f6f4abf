"""The schema walker: schema pairs compared once each, through ``$ref``s, into a graph.

``schema`` compares two schema nodes (memoised by identity, so shared components cost one
comparison and recursion ends), reading each through its ``View`` and handing the keywords to
the comparers of ``keywords``. ``oneOf``/``anyOf`` variants and positional item lists are
paired here. ``_attribute`` then walks the graph from every operation's roots, so a delta in
a shared component names every operation (and direction) that reaches it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from .. import limits
from .. import pointer as jp
from ..errors import InputError
from ..model import MISSING
from ..normalise import Node, NormalisedApi, Operation
from ..versions import openstack_range_text
from .common import _FLIP, _is_ref, _ref_with_siblings, _strip_doc, _v, _w
from .delta import Decl, Delta, Hit
from .keywords import COMPARERS, Compared, accepts_all
from .kinds import Kind
from .view import View, ViewReader, _inapplicable, _on, _without

_LATER = "later"  # Pair.hide not read yet


class Pair:
    """The comparison of one schema pair: its own deltas and the pairs beneath it."""

    __slots__ = ("deltas", "children", "parents", "dirty", "keep", "hide")

    def __init__(self, keep: tuple[Any, Any]) -> None:
        self.deltas: list[Delta] = []
        self.children: list[Pair] = []
        self.parents: list[Pair] = []
        self.dirty = False
        self.keep = keep  # holds both nodes alive so their ids stay unique
        # The direction that never carries this schema beneath a parent: "request" when it
        # is readOnly on both sides, "response" when writeOnly, "both" when both.
        self.hide: str | None = None


class Root(NamedTuple):
    """A schema pair an operation reaches directly (a body, a parameter, a header…)."""

    pair: Pair
    op: str
    label: str
    direction: str
    context: str


class SchemaDiffer(ViewReader):
    def _schema_root(self, b: Node | None, r: Node | None, bo: Operation, ro: Operation,
                     direction: str, ctx: str) -> None:
        if b is None or r is None:
            if b is None and r is not None:
                self._hit(Delta(Kind.SCHEMA_ADDED, None, _w(r)), ro, direction, ctx)
            elif r is None and b is not None:
                self._hit(Delta(Kind.SCHEMA_REMOVED, _w(b), None), ro, direction, ctx)
            return
        pair = self.schema(b, r)
        if pair is not None:
            if ro.webhook and direction in _FLIP:
                direction = _FLIP[direction]
            self.roots.append(Root(pair, ro.key, ro.label, direction, ctx))

    def schema(self, b: Node, r: Node) -> Pair | None:
        """Compare two schemas (memoised); None when they are equal all the way down."""
        bval, rval = b[2], r[2]
        if type(bval) is dict and type(rval) is dict and len(bval) == 1 and len(rval) == 1:
            # Two bare references (most schemas an operation names): the answer for the same
            # pair of reference strings from the same files was found before.
            bref, rref = bval.get("$ref"), rval.get("$ref")
            if type(bref) is str and type(rref) is str:
                key = (id(b[0]), bref, id(r[0]), rref)
                found = self._by_refs.get(key, _UNSEEN)
                if found is _UNSEEN:
                    found = self._by_refs[key] = self._schema(b, r)
                return found
        return self._schema(b, r)

    def _schema(self, b: Node, r: Node) -> Pair | None:
        # A $ref with keywords beside it (3.1) is read whole: the View merges the target.
        bn = b if _ref_with_siblings(b[2]) else self.b.deref(b)
        rn = r if _ref_with_siblings(r[2]) else self.r.deref(r)
        key = (id(bn[2]), id(rn[2]))
        if key in self._same:
            return None
        self.reached.add((bn[0].path, bn[1]))
        self.reached.add((rn[0].path, rn[1]))
        if key in self._pairs:
            return self._pairs[key]
        # A synthetic allOf (see _all_of) joins declarations from several places, whose
        # $refs need not be read in one file: it is always compared through its view.
        equal = bn[2] == rn[2] and id(bn[2]) not in self._synth and \
            id(rn[2]) not in self._synth
        if equal:
            # Equal text, but the components it names may still differ.
            refs = self._refs_in(bn[2])
            if all(self._clean(x, bn[0], rn[0]) for x in refs):
                self._same.add(key)  # the same all the way down: remembered as such
                return None
            if self._joins(bn, rn):
                # allOf members (or a $ref and the keywords beside it) that declare the same
                # keyword or property are read as one view; comparing the components they
                # name one by one would judge a member's change without the declarations
                # that narrow it.
                equal = False
        pair = Pair((bn[2], rn[2]))
        self._pairs[key] = pair
        # Schemas nest through $refs without bound: past MAX_DEPTH levels the comparison
        # stops with an error naming the place, never silently and never with a crash.
        self._depth += 1
        try:
            if self._depth > limits.MAX_DEPTH:
                pos = rn[0].position(rn[1])
                raise InputError(f"schemas nested more than {limits.MAX_DEPTH} levels deep at "
                                 f"{rn[1]} (limit MAX_DEPTH)", rn[0].path,
                                 *((pos[0], pos[1]) if pos else (None, None)))
            if equal:
                pair.hide = _LATER  # read from the views only if an attribution walks here
                pair.keep = (bn, rn)
                for ref in refs:
                    child = self.schema((bn[0], bn[1], {"$ref": ref}),
                                        (rn[0], rn[1], {"$ref": ref}))
                    if child is not None:
                        self._link(pair, child)
                return pair
            bview, rview = self._view(self.b, bn), self._view(self.r, rn)
            pair.hide = _hidden(bview, rview)
            self._compare(pair, bview, rview)
        finally:
            self._depth -= 1
        return pair

    def _compare(self, pair: Pair, bview: View, rview: View) -> None:
        """The core comparison of two schema views: each keyword comparer of the table in
        ``keywords`` in turn."""
        if bview.is_bool or rview.is_bool or not isinstance(bview.node, dict) or \
                not isinstance(rview.node, dict):
            if bview.node != rview.node and not (accepts_all(bview.node) and
                                                 accepts_all(rview.node)):
                pair.deltas.append(Delta(Kind.SCHEMA_REPLACED, (bview.doc, bview.ptr),
                                         (rview.doc, rview.ptr), bview.node, rview.node))
            return
        # Keywords that do not apply to the declared type (maxLength on an integer,
        # properties on `type: "null"`) constrain nothing: not compared.
        drop = _inapplicable(bview) | _inapplicable(rview)
        if drop:
            bview, rview = _without(bview, drop), _without(rview, drop)
        compared = Compared(self, pair, bview, rview)
        for _, compare in COMPARERS:
            compare(compared)

    def _hide(self, pair: Pair) -> str | None:
        """``pair.hide`` of a pair whose two schemas had equal text (see ``schema``)."""
        if pair.hide is _LATER:
            bn, rn = pair.keep
            pair.hide = _hidden(self._view(self.b, bn), self._view(self.r, rn))
        return pair.hide

    def _flags(self, side: NormalisedApi, node: Node) -> dict[str, bool]:
        """readOnly and writeOnly of a property's schema, as its view reads them (through
        ``$ref``s and ``allOf``)."""
        n = node if _ref_with_siblings(node[2]) else side.deref(node)
        if not isinstance(n[2], dict):
            return {"read_only": False, "write_only": False}
        view = self._view(side, n)
        return {"read_only": _on(view, "readOnly"), "write_only": _on(view, "writeOnly")}

    @staticmethod
    def _link(parent: Pair, child: Pair) -> None:
        parent.children.append(child)
        child.parents.append(parent)

    def _schema_list(self, pair: Pair, k: str, bdecl: Decl | None, rdecl: Decl | None,
                     bview: View, rview: View) -> None:
        """``items`` as a list (draft 4 tuples) or ``prefixItems``: compared by position."""
        bl = bdecl.value if bdecl and isinstance(bdecl.value, list) else None
        rl = rdecl.value if rdecl and isinstance(rdecl.value, list) else None
        if bl is None or rl is None:
            if _v(bdecl) != _v(rdecl):
                pair.deltas.append(Delta(
                    Kind.SCHEMA_REPLACED, (bview.doc, bdecl.ptr if bdecl else bview.ptr),
                    (rview.doc, rdecl.ptr if rdecl else rview.ptr), _v(bdecl, MISSING),
                    _v(rdecl, MISSING), keyword=k))
            return
        for i in range(max(len(bl), len(rl))):
            if i < len(bl) and i < len(rl):
                child = self.schema((bdecl.doc, jp.join(bdecl.ptr, i), bl[i]),
                                    (rdecl.doc, jp.join(rdecl.ptr, i), rl[i]))
                if child is not None:
                    self._link(pair, child)
            else:
                pair.deltas.append(Delta(
                    Kind.VARIANT_ADDED if i >= len(bl) else Kind.VARIANT_REMOVED,
                    (bdecl.doc, jp.join(bdecl.ptr, i)) if i < len(bl) else None,
                    (rdecl.doc, jp.join(rdecl.ptr, i)) if i < len(rl) else None,
                    name=f"{k}[{i}]", keyword=k))

    def _additional(self, pair: Pair, bview: View, rview: View) -> None:
        """``additionalProperties``: a schema is compared, ``false < schema < true`` ranked."""
        bdecl, rdecl = bview.kw.get("additionalProperties"), rview.kw.get("additionalProperties")
        if bdecl is None and rdecl is None:
            return
        bval = bdecl.value if bdecl else True
        rval = rdecl.value if rdecl else True
        if isinstance(bval, dict) and isinstance(rval, dict):
            assert bdecl is not None and rdecl is not None
            child = self.schema((bdecl.doc, bdecl.ptr, bval), (rdecl.doc, rdecl.ptr, rval))
            if child is not None:
                self._link(pair, child)
            return
        if bval == rval or (bval in (True, {}) and rval in (True, {})):
            return
        # false < schema < true in what they accept
        rank = {False: 0, True: 2}
        br = rank.get(bval, 1) if not isinstance(bval, dict) else (2 if not bval else 1)
        rr = rank.get(rval, 1) if not isinstance(rval, dict) else (2 if not rval else 1)
        kind = Kind.CONSTRAINT_TIGHTENED if rr < br else Kind.CONSTRAINT_LOOSENED if rr > br else \
            Kind.CONSTRAINT_CHANGED
        pair.deltas.append(Delta(kind, (bview.doc, bdecl.ptr) if bdecl else (bview.doc, bview.ptr),
                                 (rview.doc, rdecl.ptr) if rdecl else (rview.doc, rview.ptr), bval,
                                 rval, keyword="additionalProperties"))

    def _variants(self, pair: Pair, k: str, bdecl: Decl | None, rdecl: Decl | None,
                  bview: View, rview: View) -> None:
        """``oneOf``/``anyOf`` members, paired by meaning, name, action, content, position."""
        bl = bdecl.value if bdecl and isinstance(bdecl.value, list) else []
        rl = rdecl.value if rdecl and isinstance(rdecl.value, list) else []
        bptr = bdecl.ptr if bdecl else bview.ptr
        rptr = rdecl.ptr if rdecl else rview.ptr
        bdoc = bdecl.doc if bdecl else bview.doc
        rdoc = rdecl.doc if rdecl else rview.doc

        def ident(item: Any, i: int) -> str:
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                return "ref:" + item["$ref"].rsplit("/", 1)[-1]
            if isinstance(item, dict) and "title" in item:
                return "title:" + str(item["title"])
            return f"#{i}"

        # Variants of a microversioned oneOf are paired by what they mean, their range and
        # action-name, before their names: swapping the names of two variants is no change.
        bmean = self._ranged_keys(self.b, bdoc, bptr, bl)
        rmean = self._ranged_keys(self.r, rdoc, rptr, rl)
        matched = [(bmean[key], rmean[key]) for key in bmean if key in rmean]
        bdone = {bi for bi, _ in matched}
        rdone = {ri for _, ri in matched}
        bmap = {ident(x, i): i for i, x in enumerate(bl) if i not in bdone}
        rmap = {ident(x, i): i for i, x in enumerate(rl) if i not in rdone}
        bonly = [i for key, i in bmap.items() if key not in rmap]
        ronly = [i for key, i in rmap.items() if key not in bmap]
        matched += [(bmap[key], rmap[key]) for key in bmap if key in rmap]
        # A renamed member is the same member: match by the OpenStack action name, then by
        # equal content, then inline members by position, so an edit is not "removed + added".
        for how in ("action", "equal", "inline"):
            for bi in list(bonly):
                for ri in ronly:
                    if self._same_variant(how, (bdoc, jp.join(bptr, bi), bl[bi]),
                                          (rdoc, jp.join(rptr, ri), rl[ri])):
                        matched.append((bi, ri))
                        bonly.remove(bi)
                        ronly.remove(ri)
                        break
        for bi, ri in sorted(matched):
            child = self.schema((bdoc, jp.join(bptr, bi), bl[bi]),
                                (rdoc, jp.join(rptr, ri), rl[ri]))
            if child is not None:
                self._link(pair, child)
        # What each variant means (its microversion range and action), for the gate: a new
        # variant must carry its own min-ver and must not overlap the variants kept.
        rmeans = [self._meaning(self.r, (rdoc, jp.join(rptr, i), x), i)
                  for i, x in enumerate(rl)] if ronly else []
        for ri in ronly:
            pair.deltas.append(Delta(Kind.VARIANT_ADDED, (bview.doc, bview.ptr),
                                     (rdoc, jp.join(rptr, ri)),
                                     name=_variant_name(rl[ri], ri), keyword=k,
                                     info={"variant": rmeans[ri],
                                           "siblings": [m for i, m in enumerate(rmeans)
                                                        if i != ri]}))
        for bi in bonly:
            pair.deltas.append(Delta(Kind.VARIANT_REMOVED, (bdoc, jp.join(bptr, bi)),
                                     (rview.doc, rview.ptr), name=_variant_name(bl[bi], bi),
                                     keyword=k, info={"variant": self._meaning(
                                         self.b, (bdoc, jp.join(bptr, bi), bl[bi]), bi)}))

    def _meaning(self, side: NormalisedApi, node: Node, i: int) -> dict[str, Any]:
        """A variant's name, ``x-openstack`` range (as text, as written) and action-name."""
        value = side.deref(node)[2]
        ext = value.get("x-openstack") if isinstance(value, dict) else None
        lo, hi = openstack_range_text(ext)
        return {"name": _variant_name(node[2], i), "min": lo, "max": hi,
                "action": _action_name(value)}

    def _ranged_keys(self, side: NormalisedApi, doc: Any, ptr: str, items: list[Any]
                     ) -> dict[tuple[Any, ...], int]:
        """(action, min, max) -> index for variants with a range of their own, where unique."""
        out: dict[tuple[Any, ...], int] = {}
        dup: set[tuple[Any, ...]] = set()
        if not _may_have_ranges(side):
            return out
        for i, x in enumerate(items):
            if not isinstance(x, dict):
                continue
            m = self._meaning(side, (doc, jp.join(ptr, i), x), i)
            if m["min"] is None and m["max"] is None:
                continue
            key = (m["action"], m["min"], m["max"])
            if key in out:
                dup.add(key)
            out[key] = i
        return {k: v for k, v in out.items() if k not in dup}

    def _same_variant(self, how: str, b: Node, r: Node) -> bool:
        if how == "inline":
            return not _is_ref(b[2]) and not _is_ref(r[2])
        bn, rn = self.b.deref(b), self.r.deref(r)
        if how == "equal":
            return bool(bn[2] == rn[2] or _strip_doc(bn[2]) == _strip_doc(rn[2]))
        ba, ra = _action_name(bn[2]), _action_name(rn[2])
        return ba is not None and ba == ra

    def _attribute(self) -> None:
        # A pair is dirty when it or anything beneath it has a delta: mark from the deltas up.
        stack = [p for p in self._pairs.values() if p.deltas]
        for p in stack:
            p.dirty = True
        while stack:
            p = stack.pop()
            for parent in p.parents:
                if not parent.dirty:
                    parent.dirty = True
                    stack.append(parent)
        # Many operations share a root schema (a common error body, a list envelope): the
        # operations reaching each (root, direction) are gathered first, in order, and the
        # visible deltas beneath it attributed to all of them at once.
        reaching: dict[tuple[int, str], tuple[Pair, list[tuple[str, str, str]]]] = {}
        for root, op, label, direction, ctx in self.roots:
            if root.dirty:
                group = reaching.get((id(root), direction))
                if group is None:
                    reaching[(id(root), direction)] = (root, [(op, label, ctx)])
                else:
                    group[1].append((op, label, ctx))
        # A delta's first operation (in the order of the roots) is its hit's own, the others
        # follow; which group comes first is the order of the groups' first operations.
        reach: dict[tuple[int, str], Hit] = {}
        for (_, direction), (root, ops) in reaching.items():
            for d in _deltas_beneath(root, direction, self._hide):
                if _invisible(d, direction):
                    continue
                key = (id(d), direction)
                hit = reach.get(key)
                if hit is None:
                    op, label, ctx = ops[0]
                    reach[key] = Hit(d, op, label, direction, ctx, ops[1:])
                else:
                    assert hit.others is not None
                    hit.others.extend(ops)
        self.hits.extend(reach.values())


def _deltas_beneath(root: Pair, direction: str, hide: Callable[[Pair], str | None]
                    ) -> list[Delta]:
    """Every delta in ``root``'s dirty subgraph that ``direction`` carries, each once, in a
    stable walk order: a schema readOnly (writeOnly) on both sides is not followed in a
    request (response); see ``_hidden``."""
    out: list[Delta] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        p = todo.pop()
        if id(p) in seen:
            continue
        seen.add(id(p))
        out.extend(p.deltas)
        for c in p.children:
            if c.dirty:
                h = c.hide if c.hide is not _LATER else hide(c)
                if h != direction and h != "both":
                    todo.append(c)
    return out


def _hidden(bview: View, rview: View) -> str | None:
    """The direction a schema that is readOnly (writeOnly) on both sides is not part of."""
    ro = _on(bview, "readOnly") and _on(rview, "readOnly")
    wo = _on(bview, "writeOnly") and _on(rview, "writeOnly")
    return ("both" if wo else "request") if ro else "response" if wo else None


def _invisible(d: Delta, direction: str) -> bool:
    """A readOnly property is not part of a request, a writeOnly one not part of a response
    (OpenAPI 3, Schema Object: "SHOULD NOT be sent"): adding or removing one there, or
    making it required there, changes nothing that direction carries. Whether a value is
    readOnly says nothing about a response (it is read either way), whether it is
    writeOnly nothing about a request (it is sent either way)."""
    kind = d.kind
    if kind in _PROPERTY_KINDS:
        if direction == "request":
            return bool(d.info.get("read_only"))
        return bool(d.info.get("write_only"))
    # (Sets made once: this runs for every delta times every operation it reaches, and
    # reading two enum members and building a tuple per call cost more than the test.)
    if kind in _READ_ONLY_KINDS:
        return direction != "request"
    if kind in _WRITE_ONLY_KINDS:
        return direction == "request"
    return False


_PROPERTY_KINDS = frozenset({Kind.PROPERTY_BECAME_REQUIRED, Kind.PROPERTY_BECAME_OPTIONAL,
                             Kind.PROPERTY_ADDED, Kind.PROPERTY_REMOVED})
_UNSEEN: Any = object()
_READ_ONLY_KINDS = frozenset({Kind.READ_ONLY_ADDED, Kind.READ_ONLY_REMOVED})
_WRITE_ONLY_KINDS = frozenset({Kind.WRITE_ONLY_ADDED, Kind.WRITE_ONLY_REMOVED})


def _may_have_ranges(side: NormalisedApi) -> bool:
    """Whether any document of ``side`` may hold an ``x-openstack`` range (cached: the
    variant pairing by range is skipped, at no cost, for every other API)."""
    cached = getattr(side, "_apilint_ranges", None)
    if cached is None:
        docs = list(getattr(side.resolver, "docs", {}).values()) or [side.doc]
        cached = any(not isinstance(getattr(d, "text", None), str) or "x-openstack" in d.text
                     for d in docs)
        if len(docs) == 1:  # more files may load later: only a single file is cached
            side._apilint_ranges = cached  # type: ignore[attr-defined]
    return bool(cached)


def _variant_name(item: Any, i: int) -> str:
    if isinstance(item, dict):
        if isinstance(item.get("$ref"), str):
            return item["$ref"].rsplit("/", 1)[-1]
        if "title" in item:
            return str(item["title"])
        if "type" in item:
            return f"#{i} ({item['type']})"
    return f"#{i}"


def _action_name(node: Any) -> str | None:
    ext = node.get("x-openstack") if isinstance(node, dict) else None
    name = ext.get("action-name") if isinstance(ext, dict) else None
    return str(name) if name is not None else None
