"""The state a comparison shares and what every comparer asks of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import limits
from .. import pointer as jp
from ..errors import InputError
from ..loader import Document
from ..model import MISSING
from ..normalise import Node, NormalisedApi, Operation
from ..refs import ref_strings
from .common import _FLIP, _differs, _first_difference, _named_refs, _refs_under
from .delta import Delta, Hit, Where

if TYPE_CHECKING:
    from .schema import Pair, Root
    from .view import View


class DifferCore:
    """The two sides, the hits found so far and the caches every comparer shares: whether a
    ``$ref`` names equal content on both sides (``_clean``), where a field that differs is
    (``_field_differs``, ``_changed_where``), and ``_hit`` to report a delta."""

    def __init__(self, base: NormalisedApi, rev: NormalisedApi) -> None:
        self.b = base
        self.r = rev
        self.hits: list[Hit] = []
        self._pairs: dict[tuple[int, int], Pair] = {}
        self._views: dict[tuple[int, bool], View] = {}
        self._refs: dict[int, list[str]] = {}
        self.roots: list[Root] = []  # schema pairs operations reach, see _attribute
        self.reached: set[tuple[str, str]] = set()  # (file, pointer) of followed targets
        self._clean_cache: dict[str, bool] = {}
        self._clean_files: dict[tuple[int, int, str], bool] = {}
        self._clean_targets: dict[tuple[int, str, int, str], bool] = {}
        self._doc_ref_sets: dict[int, Any] = {}
        self._same: set[tuple[int, int]] = set()  # node pairs equal all the way down
        # (base file id, base $ref, revision file id, revision $ref) -> schema's answer
        self._by_refs: dict[tuple[int, str, int, str], Any] = {}
        # Synthetic allOf nodes (see ``_all_of``) -> the declarations they join; ``_keep``
        # holds them alive so their ids stay unique.
        self._synth: dict[int, list[Node]] = {}
        self._keep: list[Any] = []
        self._depth = 0  # schema pairs being compared, one inside the other
        self._clean_depth = 0  # references being vouched for by _clean, one inside the other
        self._merge_cache: dict[int, list[dict[str, Any]]] = {}  # see _merge_nodes

    def _unchanged_paths(self) -> set[str]:
        """Path strings whose item is equal on both sides and reaches no changed component."""
        bd, rd = self.b.doc.data, self.r.doc.data
        for k in ("security", "consumes", "produces", "securityDefinitions", "servers", "host",
                  "basePath", "schemes"):
            if bd.get(k) != rd.get(k):
                return set()
        bc, rc = bd.get("components"), rd.get("components")
        if isinstance(bc, dict) and isinstance(rc, dict) and \
                bc.get("securitySchemes") != rc.get("securitySchemes"):
            return set()
        # Schemes written in files of their own: what counts is their content.
        bsn, rsn = self.b.security_scheme_nodes(), self.r.security_scheme_nodes()
        if [(k, v[2]) for k, v in bsn.items()] != [(k, v[2]) for k, v in rsn.items()]:
            return set()
        bp, rp = self.b.paths, self.r.paths
        out = set()
        for path, item in bp.items():
            if path in rp and rp[path] == item and all(
                    self._clean(ref) for ref in self._group_refs(
                        self.b, jp.join("/paths", path), item)):
                out.add(path)
        return out

    def _group_refs(self, side: NormalisedApi, ptr: str, node: Any) -> Any:
        """The refs under a path item or component, from the resolver's index of the
        document when ``ptr`` is one of its groups (no second walk), else by walking."""
        index = side.resolver.ref_index(side.doc)
        if index is not None:
            refs = index.get(ptr)
            if refs is not None:
                return refs
        return self._refs_in(node)

    def _clean(self, ref: str, bdoc: Document | None = None,
               rdoc: Document | None = None) -> bool:
        """True when ``ref``, written in ``bdoc`` and ``rdoc`` (the root documents when not
        given), names equal nodes on both sides, all the way down."""
        broot, rroot = self.b.doc, self.r.doc
        if bdoc is None or rdoc is None:
            bdoc, rdoc = broot, rroot
        if ref.startswith("#") and bdoc is broot and rdoc is rroot:
            return self._clean_local(ref)
        key = (id(bdoc), id(rdoc), ref)
        cache = self._clean_files
        if key in cache:
            return cache[key]
        cache[key] = True  # in progress: a cycle cannot make itself dirty
        bt = self.b.resolver.resolve(bdoc, ref)
        rt = self.r.resolver.resolve(rdoc, ref)
        btd, bptr, bnode = bt
        rtd, rptr, rnode = rt
        if btd is broot and rtd is rroot:
            ok = self._clean_local("#" + bptr)
        else:
            # Many references (of other spellings, from other files) name one target.
            tkey = (id(btd), bptr, id(rtd), rptr)
            found = self._clean_targets.get(tkey)
            if found is None:
                self._clean_targets[tkey] = True  # in progress, as above
                refs = self._doc_refs(self.b, btd) if bptr == "" else self._refs_in(bnode)
                found = bnode == rnode and all(self._clean(r, btd, rtd) for r in refs)
                self._clean_targets[tkey] = found
            ok = found
        cache[key] = ok
        return ok

    def _doc_refs(self, side: NormalisedApi, doc: Document) -> Any:
        """Every ``$ref`` string of a whole document, from the resolver's index of it (built
        when the document was checked) instead of another walk."""
        found = self._doc_ref_sets.get(id(doc))
        if found is None:
            index = side.resolver.ref_index(doc)
            found = self._refs_in(doc.data) if index is None else \
                sorted(set().union(*index.values()))
            self._doc_ref_sets[id(doc)] = found
        return found

    def _clean_local(self, ref: str) -> bool:
        """``_clean`` for a pointer into the root documents."""
        cache = self._clean_cache
        if ref in cache:
            return cache[ref]
        if self._clean_depth >= limits.MAX_DEPTH:
            return False  # too deep to vouch for: compared the long way, which has a limit
        cache[ref] = True  # in progress: a cycle cannot make itself dirty
        try:
            bnode = jp.walk(self.b.doc.data, ref[1:])
            rnode = jp.walk(self.r.doc.data, ref[1:])
        except (KeyError, ValueError):
            cache[ref] = False
            return False
        self._clean_depth += 1
        try:
            ok = bnode == rnode and all(
                self._clean(r) for r in self._group_refs(self.b, ref[1:], bnode))
        finally:
            self._clean_depth -= 1
        cache[ref] = ok
        return ok

    def _refs_in(self, node: Any) -> list[str]:
        if not isinstance(node, (dict, list)):
            return []
        cached = self._refs.get(id(node))
        if cached is not None:
            return cached
        if len(node) == 1 and isinstance(node, dict) and isinstance(node.get("$ref"), str):
            return [node["$ref"]]
        result = sorted(_refs_under(node))
        self._refs[id(node)] = result
        return result

    def _refs_changed(self, named_map: Any, bdoc: Document, rdoc: Document) -> bool:
        """True when a ``$ref`` under a map keyed by names (links, examples, a callback),
        written in ``bdoc`` and ``rdoc``, names something that changed."""
        if isinstance(named_map, dict) and isinstance(named_map.get("$ref"), str):
            # The map itself is a Reference Object (a callback kept in a file of its own).
            return not self._clean(named_map["$ref"], bdoc, rdoc)
        return not all(self._clean(r, bdoc, rdoc) for r in _named_refs(named_map))

    def _field_differs(self, bw: Where, rw: Where, bval: Any, rval: Any, data: bool = False,
                       key: Any = None) -> tuple[bool, Where, Where]:
        """Whether a field (a description, tags, an extension…) differs, reading the ``$ref``s
        in it: a description kept in a file of its own is compared by its text, so moving the
        file changes nothing and editing it is seen. Also where to point: at the referenced
        text when the field is a ``$ref`` on both sides.

        ``data``: an extension payload, whose ``$ref``s apilint does not check up front; one
        that cannot be followed makes the field read as changed (compared as written).
        ``key``: the field's name, so that text fields compare by their words (a re-wrapped
        description is no change; see ``_differs``).
        """
        if bval is MISSING or rval is MISSING or not (type(bval) in (dict, list) or
                                                  type(rval) in (dict, list)):
            return (bval != rval if key is None else _differs(key, bval, rval)), bw, rw
        brefs = ref_strings(bval) or set()
        rrefs = ref_strings(rval) or set()
        try:
            if bval == rval:
                if all(self._clean(r, bw[0], rw[0]) for r in brefs):
                    return False, bw, rw
            elif not brefs and not rrefs:
                return (True if key is None else _differs(key, bval, rval)), bw, rw
            else:
                bx, rx = self._expand(self.b, bw, bval), self._expand(self.r, rw, rval)
                if bx == rx or (key is not None and not _differs(key, bx, rx)):
                    return False, bw, rw
            if type(bval) is dict and type(rval) is dict and isinstance(bval.get("$ref"), str) \
                    and isinstance(rval.get("$ref"), str):
                bt = self.b.resolver.resolve(bw[0], bval["$ref"])
                rt = self.r.resolver.resolve(rw[0], rval["$ref"])
                return True, (bt[0], bt[1]), (rt[0], rt[1])
        except InputError:
            if not data:
                raise
            return bval != rval, bw, rw  # compared as written
        return True, bw, rw

    def _changed_where(self, bw: Where, rw: Where, bval: Any, rval: Any) -> tuple[Where, Where]:
        """The places of the first difference under two maps keyed by names: in the text
        when it differs, else in the first component they reference that changed."""
        if bval != rval:
            ptr = _first_difference(bval, rval)
            if ptr:
                return (bw[0], bw[1] + ptr), (rw[0], rw[1] + ptr)
            return bw, rw
        for ref in sorted(_named_refs(bval)):
            if not self._clean(ref, bw[0], rw[0]):
                bt = self.b.resolver.resolve(bw[0], ref)
                rt = self.r.resolver.resolve(rw[0], ref)
                return (bt[0], bt[1]), (rt[0], rt[1])
        return bw, rw

    def _expand(self, side: NormalisedApi, w: Where, node: Any) -> Any:
        """``node`` with ``$ref``s replaced by their targets, at any depth.

        A reference back into a target being expanded stays a marker naming its pointer (a
        recursive schema ends there, the same on both sides); nothing is cut off silently. The
        expansion is bounded by a node budget, past which the run fails closed.
        """
        budget = [limits.MAX_YAML_NODES]

        def walk(doc: Document, value: Any, stack: frozenset[tuple[int, str]]) -> Any:
            budget[0] -= 1
            if budget[0] < 0:
                raise InputError("callbacks expand to more than "
                                 f"{limits.MAX_YAML_NODES} nodes through $refs "
                                 "(limit MAX_YAML_NODES)", w[0].path)
            if isinstance(value, dict):
                if isinstance(value.get("$ref"), str):
                    tdoc, tptr, tvalue = side.deref((doc, w[1], value))
                    if (id(tdoc), tptr) in stack:
                        return {"$recursive": tptr}
                    return walk(tdoc, tvalue, stack | {(id(tdoc), tptr)})
                return {k: walk(doc, v, stack) for k, v in value.items()}
            if isinstance(value, list):
                return [walk(doc, v, stack) for v in value]
            return value

        return walk(w[0], node, frozenset())

    def _hit(self, delta: Delta, op: Operation | None, direction: str | None,
             context: str | None) -> None:
        if op is not None and op.webhook and direction in _FLIP:
            direction = _FLIP[direction]  # the server sends a webhook's request
        self.hits.append(Hit(delta, op.key if op else None, op.label if op else None,
                             direction, context))
