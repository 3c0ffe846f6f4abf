"""Compare two normalised API versions and describe what moved, without judging it.

The walk compares operations key by key and schemas through ``$ref``s. Every schema pair is
compared once (memoised by the identity of the two nodes), so a component shared by a thousand
operations costs one comparison, and recursive schemas end. Equal subtrees are skipped with one
C-speed ``==``; only the ``$ref``s inside them are followed, since the components they name may
differ. Schema pairs form a graph; which operations reach a delta is computed afterwards by
walking that graph from every operation, so a change in a shared component names every
operation it reaches.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import limits
from . import pointer as jp
from .errors import InputError
from .loader import Document
from .model import MISSING, json_type
from .normalise import Node, Operation, Param, Placed, Side
from .refs import NAMED_MAPS, ref_strings
from .versions import openstack_range

Where = tuple[Document, str]

DOC_KEYWORDS = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "$comment", "summary"}
)
MIN_KEYWORDS = frozenset({"minimum", "minLength", "minItems", "minProperties", "minContains"})
MAX_KEYWORDS = frozenset({"maximum", "maxLength", "maxItems", "maxProperties", "maxContains"})
SUBSCHEMA_KEYWORDS = frozenset(
    {"not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems",
     "unevaluatedProperties", "contentSchema", "additionalItems"}
)
SCHEMA_MAP_KEYWORDS = frozenset({"patternProperties", "dependentSchemas"})
HANDLED = (
    DOC_KEYWORDS | MIN_KEYWORDS | MAX_KEYWORDS | SUBSCHEMA_KEYWORDS | SCHEMA_MAP_KEYWORDS
    | {"type", "nullable", "x-nullable", "format", "enum", "const", "default", "pattern",
       "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "uniqueItems", "readOnly",
       "writeOnly", "deprecated", "allOf", "oneOf", "anyOf", "properties", "required", "items",
       "additionalProperties", "discriminator", "$ref", "x-openstack", "prefixItems", "$id",
       "$schema", "$anchor", "$defs", "definitions", "$dynamicAnchor", "contentMediaType",
       "contentEncoding"}
)


# Schema keywords by vocabulary. A keyword in none of them for the spec's version (a typo
# such as `additonalProperties`) is not a constraint any validator applies.
_DRAFT4 = frozenset({
    "id", "$schema", "$ref", "title", "description", "default", "multipleOf", "maximum",
    "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "maxProperties",
    "minProperties", "required", "additionalProperties", "definitions", "properties",
    "patternProperties", "dependencies", "enum", "type", "format", "allOf", "anyOf", "oneOf",
    "not",
})  # JSON Schema draft 4 (Swagger 2.0) and Wright draft 00 (OpenAPI 3.0)
_DRAFT2020 = frozenset({
    "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
    "$comment", "$defs", "prefixItems", "items", "contains", "additionalProperties",
    "properties", "patternProperties", "dependentSchemas", "propertyNames", "if", "then",
    "else", "allOf", "anyOf", "oneOf", "not", "unevaluatedItems", "unevaluatedProperties",
    "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
    "dependentRequired", "title", "description", "default", "deprecated", "readOnly",
    "writeOnly", "examples", "format", "contentEncoding", "contentMediaType", "contentSchema",
    # earlier drafts a 3.1 schema may choose with $schema (draft 7, 2019-09)
    "definitions", "dependencies", "additionalItems", "$recursiveRef", "$recursiveAnchor",
})  # JSON Schema 2020-12 (OpenAPI 3.1)
_OPENAPI_SCHEMA = {
    # Swagger 2.0 adds these; its parameters' and headers' Items Objects add collectionFormat
    "2.0": _DRAFT4 | {"discriminator", "readOnly", "xml", "externalDocs", "example",
                      "collectionFormat"},
    "3.0": _DRAFT4 | {"nullable", "discriminator", "readOnly", "writeOnly", "xml",
                      "externalDocs", "example", "deprecated"},
    "3.1": _DRAFT2020 | {"discriminator", "xml", "externalDocs", "example"},
}


def _vocabulary(*specs: str | None) -> frozenset[str]:
    """Schema keywords of the versions ``specs`` (known in either side's version is known)."""
    out: frozenset[str] = frozenset()
    for spec in specs:
        out |= _OPENAPI_SCHEMA.get(spec or "", _OPENAPI_SCHEMA["3.1"] | _OPENAPI_SCHEMA["3.0"])
    return out


_LATER = "later"  # Pair.hide not read yet

# How _combine joins a keyword that several allOf members declare (see there).
_ANY_TRUE = frozenset({"readOnly", "writeOnly", "deprecated", "uniqueItems", "nullable",
                       "x-nullable"})
_SUBSCHEMA_ALL = frozenset({"items", "additionalProperties", "contains", "propertyNames",
                            "unevaluatedItems", "unevaluatedProperties", "additionalItems",
                            "contentSchema"})
_ALL_APPLY = frozenset({"pattern", "format", "multipleOf", "const"})
_DATA_KEYWORDS = DOC_KEYWORDS | {"enum", "default", "const"}
# The keywords _combine joins (the rest keep the outermost declaration).
_JOINED = (frozenset({"type", "enum", "exclusiveMinimum", "exclusiveMaximum", "required"})
           | MIN_KEYWORDS | MAX_KEYWORDS | _ANY_TRUE | _SUBSCHEMA_ALL | _ALL_APPLY)


@dataclass(slots=True, eq=False)
class Delta:
    """One raw difference. ``base``/``rev`` are where the thing is on each side, if it is."""

    kind: str
    base: Where | None
    rev: Where | None
    before: Any = MISSING
    after: Any = MISSING
    name: str | None = None
    keyword: str | None = None
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Hit:
    """A delta as reached from one operation (or from the document, when ``op`` is None).

    ``others`` lists further (operation, label, context) triples that reach the same delta in
    the same direction, so a shared component yields one hit rather than thousands.
    """

    delta: Delta
    op: str | None
    label: str | None
    direction: str | None
    context: str | None
    others: list[tuple[str, str, str | None]] | None = None


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


class View:
    """A schema seen through ``$ref`` siblings and ``allOf``: keywords with their places."""

    __slots__ = ("doc", "ptr", "node", "kw", "props", "required", "is_bool", "required_at",
                 "multi")

    def __init__(self, doc: Document, ptr: str, node: Any) -> None:
        self.doc = doc
        self.ptr = ptr
        self.node = node
        self.kw: dict[str, tuple[Any, Document, str]] = {}
        self.props: dict[str, Node] = {}
        self.required: set[str] = set()
        self.is_bool = isinstance(node, bool)
        # For a schema the normaliser built: where each required name is made required.
        self.required_at: dict[str, Where] | None = None
        # Keywords declared by more than one allOf member: every distinct declaration, so a
        # change can be placed at the declaration that changed (see ``_combine``).
        self.multi: dict[str, list[tuple[Any, Document, str]]] | None = None


class Differ:
    def __init__(self, base: Side, rev: Side) -> None:
        self.b = base
        self.r = rev
        self.hits: list[Hit] = []
        self._pairs: dict[tuple[int, int], Pair] = {}
        self._views: dict[tuple[int, bool], View] = {}
        self._refs: dict[int, list[str]] = {}
        self.roots: list[tuple[Pair, str, str, str, str]] = []  # pair, op, label, dir, ctx
        self.reached: set[tuple[str, str]] = set()  # (file, pointer) of followed targets
        self._clean_cache: dict[str, bool] = {}
        self._clean_files: dict[tuple[int, int, str], bool] = {}
        self._clean_targets: dict[tuple[int, str, int, str], bool] = {}
        self._doc_ref_sets: dict[int, Any] = {}
        self._same: set[tuple[int, int]] = set()  # node pairs equal all the way down
        # Synthetic allOf nodes (see ``_all_of``) -> the declarations they join; ``_keep``
        # holds them alive so their ids stay unique.
        self._synth: dict[int, list[Node]] = {}
        self._keep: list[Any] = []
        self._depth = 0  # schema pairs being compared, one inside the other
        self._clean_depth = 0  # references being vouched for by _clean, one inside the other
        self._merge_cache: dict[int, list[dict[str, Any]]] = {}  # see _merge_nodes

    # -- entry -------------------------------------------------------------------------------
    def run(self) -> list[Hit]:
        skip = self._unchanged_paths()
        # Swagger 2.0 form fields are a request body in OpenAPI 3; read them as one only when
        # the other side is OpenAPI 3, so Swagger-to-Swagger reports stay as they are.
        cross = (self.b.spec == "2.0") != (self.r.spec == "2.0")
        self.b.read_operations(skip, form_body=cross)
        self.r.read_operations(skip, form_body=cross)
        self._document()
        bops, rops = self.b.operations, self.r.operations
        for key in sorted(set(bops) | set(rops)):
            bo, ro = bops.get(key), rops.get(key)
            if bo is None and ro is not None:
                self._hit(Delta("operation-added", None, _w(ro.node), name=ro.label),
                          ro, None, None)
            elif ro is None and bo is not None:
                self._hit(Delta("operation-removed", _w(bo.node), None, name=bo.label),
                          bo, None, None)
            elif bo is not None and ro is not None:
                self._operation(bo, ro)
        self._unused_components()
        self._attribute()
        return self.hits

    # -- skipping what cannot have changed ---------------------------------------------------
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

    def _group_refs(self, side: Side, ptr: str, node: Any) -> Any:
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

    def _doc_refs(self, side: Side, doc: Document) -> Any:
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

    def _refs_changed(self, named_map: Any, bdoc: Document, rdoc: Document) -> bool:
        """True when a ``$ref`` under a map keyed by names (links, examples, a callback),
        written in ``bdoc`` and ``rdoc``, names something that changed."""
        if isinstance(named_map, dict) and isinstance(named_map.get("$ref"), str):
            # The map itself is a Reference Object (a callback kept in a file of its own).
            return not self._clean(named_map["$ref"], bdoc, rdoc)
        return not all(self._clean(r, bdoc, rdoc) for r in _named_refs(named_map))

    def _field_differs(self, bw: Where, rw: Where, bv: Any, rv: Any, data: bool = False,
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
        if bv is MISSING or rv is MISSING or not (type(bv) in (dict, list) or
                                                  type(rv) in (dict, list)):
            return (bv != rv if key is None else _differs(key, bv, rv)), bw, rw
        brefs = ref_strings(bv) or set()
        rrefs = ref_strings(rv) or set()
        try:
            if bv == rv:
                if all(self._clean(r, bw[0], rw[0]) for r in brefs):
                    return False, bw, rw
            elif not brefs and not rrefs:
                return (True if key is None else _differs(key, bv, rv)), bw, rw
            else:
                bx, rx = self._expand(self.b, bw, bv), self._expand(self.r, rw, rv)
                if bx == rx or (key is not None and not _differs(key, bx, rx)):
                    return False, bw, rw
            if type(bv) is dict and type(rv) is dict and isinstance(bv.get("$ref"), str) \
                    and isinstance(rv.get("$ref"), str):
                bt = self.b.resolver.resolve(bw[0], bv["$ref"])
                rt = self.r.resolver.resolve(rw[0], rv["$ref"])
                return True, (bt[0], bt[1]), (rt[0], rt[1])
        except InputError:
            if not data:
                raise
            return bv != rv, bw, rw  # compared as written
        return True, bw, rw

    def _hit(self, delta: Delta, op: Operation | None, direction: str | None,
             context: str | None) -> None:
        if op is not None and op.webhook and direction in _FLIP:
            direction = _FLIP[direction]  # the server sends a webhook's request
        self.hits.append(Hit(delta, op.key if op else None, op.label if op else None,
                             direction, context))

    # -- document-level ----------------------------------------------------------------------
    def _document(self) -> None:
        bd, rd = self.b.doc.data, self.r.doc.data
        bdoc, rdoc = self.b.doc, self.r.doc
        # info: everything but the version is documentation
        binfo, rinfo = bd.get("info") or {}, rd.get("info") or {}
        if isinstance(binfo, dict) and isinstance(rinfo, dict):
            for k in sorted(set(binfo) | set(rinfo), key=str):
                if k == "version":
                    continue
                bv, rv = binfo.get(k, MISSING), rinfo.get(k, MISSING)
                ext = str(k).startswith("x-")
                differs, bw, rw = self._field_differs(
                    (bdoc, jp.join("/info", k) if bv is not MISSING else "/info"),
                    (rdoc, jp.join("/info", k) if rv is not MISSING else "/info"), bv, rv, ext,
                    key=k)
                if differs:
                    kind = "extension-changed" if ext else "info-changed"
                    self.hits.append(Hit(Delta(kind, bw, rw, bv, rv, keyword=str(k)), None,
                                         None, None, None))
        if str(bd.get("openapi", bd.get("swagger"))) != str(rd.get("openapi", rd.get("swagger"))):
            key = "openapi" if "openapi" in rd else "swagger"
            self.hits.append(Hit(Delta(
                "spec-version-changed", (bdoc, "/" + ("openapi" if "openapi" in bd else "swagger")),
                (rdoc, "/" + key), bd.get("openapi", bd.get("swagger")),
                rd.get("openapi", rd.get("swagger"))), None, None, None, None))
        # servers
        (bs, bptr), (rs, rptr) = self.b.servers(), self.r.servers()
        self._servers(bs, rs, (bdoc, bptr), (rdoc, rptr), None)
        # security schemes
        (bss, _), (rss, _) = self.b.security_schemes(), self.r.security_schemes()
        if isinstance(bss, dict) and isinstance(rss, dict):
            # A scheme may be a $ref to a file of its own: compared (and placed) there.
            bnodes, rnodes = self.b.security_scheme_nodes(), self.r.security_scheme_nodes()
            for name in sorted(set(bss) | set(rss), key=str):
                bn, rn = bnodes.get(name), rnodes.get(name)
                bv = bn[2] if bn is not None else MISSING
                rv = rn[2] if rn is not None else MISSING
                if _same_words(bv, rv):
                    continue
                bw = _w(bn) if bn is not None else None
                rw = _w(rn) if rn is not None else None
                kind = ("security-scheme-added" if bv is MISSING else
                        "security-scheme-removed" if rv is MISSING else "security-scheme-changed")
                if kind == "security-scheme-changed" and _strip_doc(bv) == _strip_doc(rv):
                    for k in sorted(set(bv) | set(rv), key=str):  # words only: say which
                        if _differs(k, bv.get(k, MISSING), rv.get(k, MISSING)):
                            assert bw is not None and rw is not None
                            self._scheme_hits(Delta(
                                "description-changed", _kw(bw, bv, k), _kw(rw, rv, k),
                                bv.get(k, MISSING), rv.get(k, MISSING), name=str(name),
                                keyword=str(k)), str(name))
                    continue
                self._scheme_hits(Delta(kind, bw, rw, bv, rv, name=str(name)), str(name))
        # top-level tags, externalDocs, extensions: documentation
        for k in sorted(set(bd) | set(rd), key=str):
            ks = str(k)
            if ks in ("tags", "externalDocs") or ks.startswith("x-"):
                bv, rv = bd.get(k, MISSING), rd.get(k, MISSING)
                if bv == rv:
                    continue
                if ks.startswith("x-"):
                    differs, bw, rw = self._field_differs(
                        (bdoc, jp.join("", k) if bv is not MISSING else ""),
                        (rdoc, jp.join("", k) if rv is not MISSING else ""), bv, rv, True)
                    kind = _extension_kind(ks, bv, rv) if differs else None
                elif ks == "tags":
                    bw = (bdoc, jp.join("", k) if bv is not MISSING else "")
                    rw = (rdoc, jp.join("", k) if rv is not MISSING else "")
                    kind = None if _same_tags(_words(bv), _words(rv)) else "tags-changed"
                else:
                    differs, bw, rw = self._field_differs(
                        (bdoc, jp.join("", k) if bv is not MISSING else ""),
                        (rdoc, jp.join("", k) if rv is not MISSING else ""), bv, rv, key=k)
                    kind = "description-changed" if differs else None
                if kind is not None:
                    self.hits.append(Hit(Delta(
                        kind, bw, rw, bv, rv, keyword=str(k),
                        name=_tags_named(bv, rv) if kind == "tags-changed" else None),
                        None, None, None, None))

    def _scheme_hits(self, delta: Delta, name: str) -> None:
        # Users on either side: a removed scheme reaches the operations that accepted it.
        found: dict[str, Operation] = {
            k: op for k, op in self.r.operations.items() if _uses_scheme(op.security, name)}
        for k, op in self.b.operations.items():
            if k not in found and _uses_scheme(op.security, name):
                found[k] = self.r.operations.get(k, op)
        users = [found[k] for k in sorted(found)]
        if not users:
            self.hits.append(Hit(delta, None, None, None, None))
        for op in users:
            self._hit(delta, op, "request", "security")

    def _servers(self, bs: tuple[str, ...], rs: tuple[str, ...], bw: Where, rw: Where,
                 op: Operation | None) -> None:
        def emit(d: Delta) -> None:
            self._hit(d, op, None, None) if op else self.hits.append(Hit(d, None, None, None,
                                                                        None))

        for url in sorted(set(bs) - set(rs)):
            emit(Delta("server-removed", _entry(bw, bs, url), None, before=url, name=url))
        for url in sorted(set(rs) - set(bs)):
            emit(Delta("server-added", None, _entry(rw, rs, url), after=url, name=url))
        # Same URL, other words around it: descriptions are documentation, variables are not.
        blist, rlist = _server_list(bw), _server_list(rw)
        for url in sorted(set(bs) & set(rs)):
            if blist is None or rlist is None:
                break
            be, re_ = blist.get(url), rlist.get(url)
            if be is None or re_ is None or be[1] == re_[1]:
                continue
            for k in sorted(set(be[1]) | set(re_[1]), key=str):
                b0, r0 = be[1].get(k, MISSING), re_[1].get(k, MISSING)
                if k == "url" or not _differs(k, b0, r0):
                    continue
                if str(k).startswith("x-"):
                    kind = _extension_kind(str(k), b0, r0)
                    if kind is None:
                        continue
                else:
                    kind = "description-changed" if k == "description" else \
                        "unclassified-change"
                emit(Delta(kind, (bw[0], jp.join(bw[1], be[0], k)),
                           (rw[0], jp.join(rw[1], re_[0], k)), b0, r0, name=url,
                           keyword=str(k)))

    # -- operations --------------------------------------------------------------------------
    def _operation(self, bo: Operation, ro: Operation) -> None:
        bdoc, bptr, bn = bo.node
        rdoc, rptr, rn = ro.node
        bw, rw = (bdoc, bptr), (rdoc, rptr)
        # scalar operation fields
        if bool(bn.get("deprecated")) != bool(rn.get("deprecated")):
            kind = "operation-deprecated" if rn.get("deprecated") else "operation-undeprecated"
            self._hit(Delta(kind, bw, rw, bn.get("deprecated", False), rn.get("deprecated", False)),
                      ro, None, None)
        for k in ("summary", "description", "operationId", "tags", "externalDocs"):
            b0, r0 = bn.get(k, MISSING), rn.get(k, MISSING)
            if not _differs(k, b0, r0) and type(b0) is not dict or (
                    k == "tags" and b0 != r0 and _same_tags(b0, r0)):
                continue
            differs, kbw, krw = self._field_differs(_kw(bw, bn, k), _kw(rw, rn, k), b0, r0,
                                                    key=k)
            if differs:
                kind = {"operationId": "operation-id-changed", "tags": "tags-changed"}.get(
                    k, "description-changed")
                self._hit(Delta(kind, kbw, krw, b0, r0, keyword=k,
                                name=_tags_named(b0, r0) if k == "tags" else None),
                          ro, None, None)
        for k in sorted(set(bn) | set(rn), key=str):
            ks = str(k)
            if ks.startswith("x-"):
                b0, r0 = bn.get(k, MISSING), rn.get(k, MISSING)
                if b0 == r0:
                    # Extensions are data: a $ref in one (x-codeSamples) is followed only to
                    # tell a respelled reference from a changed one, not to compare its file.
                    continue
                differs, kbw, krw = self._field_differs(_kw(bw, bn, k), _kw(rw, rn, k), b0, r0,
                                                        data=True)
                kind = _extension_kind(ks, b0, r0) if differs else None
                if kind is None:
                    continue
                self._hit(Delta(kind, kbw, krw, b0, r0, keyword=ks), ro, None, None)
            elif ks == "callbacks" and (bn.get(k) != rn.get(k) or self._refs_changed(
                    bn.get(k), bo.node[0], ro.node[0])):
                self._callbacks(bo, ro)
        self._path_item(bo, ro)
        # security
        bsec, rsec = _security_set(bo.security), _security_set(ro.security)
        if bsec != rsec:
            bsw = _w(bo.security_node) if bo.security_node else bw
            rsw = _w(ro.security_node) if ro.security_node else rw
            if not _requires_auth(bsec) and _requires_auth(rsec):
                self._hit(Delta("security-added", bsw, rsw, bo.security, ro.security), ro,
                          "request", "security")
            elif _requires_auth(bsec) and not _requires_auth(rsec):
                self._hit(Delta("security-removed", bsw, rsw, bo.security, ro.security), ro,
                          "request", "security")
            else:
                for alt in sorted(rsec - bsec, key=repr):
                    self._hit(Delta("security-alternative-added", None, _alt_where(rsw, alt),
                                    after=_alt(alt), name=_alt_name(alt)), ro, "request",
                              "security")
                for alt in sorted(bsec - rsec, key=repr):
                    self._hit(Delta("security-alternative-removed", _alt_where(bsw, alt), None,
                                    before=_alt(alt), name=_alt_name(alt)), ro, "request",
                              "security")
        # servers overridden per path or operation
        if bo.servers is not None or ro.servers is not None:
            bsv = bo.servers if bo.servers is not None else self.b.servers()[0]
            rsv = ro.servers if ro.servers is not None else self.r.servers()[0]
            # Without an override a side's servers are the document's: point there, so a
            # server an override drops is shown where it is written, once for all operations.
            self._servers(bsv, rsv, _w(bo.servers_node) if bo.servers_node else
                          (self.b.doc, self.b.servers()[1]),
                          _w(ro.servers_node) if ro.servers_node else
                          (self.r.doc, self.r.servers()[1]), ro)
        self._parameters(bo, ro)
        self._request_body(bo, ro)
        self._responses(bo, ro)

    def _path_item(self, bo: Operation, ro: Operation) -> None:
        """The path item's own words (summary, description, extensions), compared like an
        operation's: each operation beneath it is reached, so one change names them all.
        Its servers and parameters are compared as each operation's already."""
        if bo.item is None or ro.item is None:
            return
        bdoc, bptr, bi = bo.item
        rdoc, rptr, ri = ro.item
        bw, rw = (bdoc, bptr), (rdoc, rptr)
        # Only the item's own words: never the whole item, which holds every operation.
        for k in sorted({str(x) for x in (*bi, *ri) if x in ("summary", "description") or
                         str(x).startswith("x-")}):
            b0, r0 = bi.get(k, MISSING), ri.get(k, MISSING)
            if b0 == r0:
                continue
            if k in ("summary", "description"):
                kind = "description-changed" if _differs(k, b0, r0) else None
            elif k.startswith("x-"):
                kind = _extension_kind(k, b0, r0)
            else:
                continue
            if kind is not None:
                self._hit(Delta(kind, _kw(bw, bi, k), _kw(rw, ri, k), b0, r0, keyword=k), ro,
                          None, "path item")

    def _callbacks(self, bo: Operation, ro: Operation) -> None:
        bdoc, bptr, bn = bo.node
        rdoc, rptr, rn = ro.node
        bcb, rcb = bn.get("callbacks") or {}, rn.get("callbacks") or {}
        for name in sorted(set(bcb) | set(rcb), key=str):
            bv, rv = bcb.get(name, MISSING), rcb.get(name, MISSING)
            if bv == rv and not self._refs_changed(bv, bdoc, rdoc):
                continue
            bw = (bdoc, jp.join(bptr, "callbacks", name)) if bv is not MISSING else None
            rw = (rdoc, jp.join(rptr, "callbacks", name)) if rv is not MISSING else None
            kind = ("callback-added" if bv is MISSING else "callback-removed" if rv is MISSING
                    else "callback-changed")
            keyword = "callbacks"
            if kind == "callback-changed":
                assert bw is not None and rw is not None
                bx, rx = self._expand(self.b, bw, bv), self._expand(self.r, rw, rv)
                if _same_words(bx, rx):
                    continue  # the same words, wrapped differently
                if _strip_doc(bx) == _strip_doc(rx):
                    kind = "description-changed"  # only words inside the callback changed
                if kind == "description-changed":
                    bw, rw = self._changed_where(bw, rw, bv, rv)
                    keyword = jp.split(rw[1])[-1]
                else:
                    # A callback kept in a file of its own: point at that file.
                    _, bw, rw = self._field_differs(bw, rw, bv, rv)
            self._hit(Delta(kind, bw, rw, name=str(name), keyword=keyword), ro, None, None)

    def _changed_where(self, bw: Where, rw: Where, bv: Any, rv: Any) -> tuple[Where, Where]:
        """The places of the first difference under two maps keyed by names: in the text
        when it differs, else in the first component they reference that changed."""
        if bv != rv:
            ptr = _first_difference(bv, rv)
            if ptr:
                return (bw[0], bw[1] + ptr), (rw[0], rw[1] + ptr)
            return bw, rw
        for ref in sorted(_named_refs(bv)):
            if not self._clean(ref, bw[0], rw[0]):
                bt = self.b.resolver.resolve(bw[0], ref)
                rt = self.r.resolver.resolve(rw[0], ref)
                return (bt[0], bt[1]), (rt[0], rt[1])
        return bw, rw

    def _expand(self, side: Side, w: Where, node: Any) -> Any:
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

    def _parameters(self, bo: Operation, ro: Operation) -> None:
        for key in sorted(set(bo.params) | set(ro.params)):
            bp, rp = bo.params.get(key), ro.params.get(key)
            if rp is not None and bp is None:
                self._hit(Delta("parameter-added", None, rp.listed or _w(rp.node), name=rp.name,
                                info={"in": rp.location, "defined": _w(rp.node),
                                      "required": bool(rp.node[2].get("required"))}),
                          ro, "request", f"{rp.location} parameter {rp.name}")
                continue
            if bp is not None and rp is None:
                self._hit(Delta("parameter-removed", bp.listed or _w(bp.node), None, name=bp.name,
                                info={"in": bp.location, "defined": _w(bp.node)}),
                          ro, "request", f"{bp.location} parameter {bp.name}")
                continue
            assert bp is not None and rp is not None
            bv, rv = bp.node[2], rp.node[2]
            if bv == rv and all(
                    self._clean(x, bp.node[0], rp.node[0]) for x in self._refs_in(bv)):
                continue
            ctx = f"{rp.location} parameter {rp.name}"
            bw, rw = _w(bp.node), _w(rp.node)
            info = {"in": rp.location}
            if bool(bv.get("required")) != bool(rv.get("required")):
                kind = "parameter-became-required" if rv.get("required") else \
                    "parameter-became-optional"
                self._hit(Delta(kind, _kw(bw, bv, "required"), _kw(rw, rv, "required"),
                                bool(bv.get("required")), bool(rv.get("required")),
                                name=rp.name, info=info), ro, "request", ctx)
            if bool(bv.get("deprecated")) != bool(rv.get("deprecated")):
                kind = "parameter-deprecated" if rv.get("deprecated") else \
                    "parameter-undeprecated"
                self._hit(Delta(kind, bw, rw, name=rp.name, info=info), ro, "request", ctx)
            if self.b.spec == self.r.spec or "2.0" not in (self.b.spec, self.r.spec):
                bser, rser = _serialization(bv), _serialization(rv)
                shown = (bv.get, rv.get)
                words: tuple[dict[str, str], dict[str, str]] = ({}, {})
            else:
                # Swagger 2.0 against OpenAPI 3: collectionFormat read as style and explode,
                # and the Swagger side's difference is written in its collectionFormat.
                arrays = _is_array(self.b, bp) or _is_array(self.r, rp)
                bser = _serialization(bv, self.b.spec, arrays)
                rser = _serialization(rv, self.r.spec, arrays)
                shown = (bser.get, rser.get)
                swagger = {"style": "collectionFormat", "explode": "collectionFormat"}
                words = (swagger, {}) if self.b.spec == "2.0" else ({}, swagger)
            for k in ("style", "explode", "allowEmptyValue", "allowReserved", "collectionFormat"):
                if bser.get(k) != rser.get(k):
                    self._hit(Delta("parameter-serialization-changed",
                                    _kw(bw, bv, words[0].get(k, k)),
                                    _kw(rw, rv, words[1].get(k, k)),
                                    shown[0](k, MISSING), shown[1](k, MISSING),
                                    name=rp.name, keyword=k, info=info), ro, "request", ctx)
            for k in ("description", "example", "examples"):
                b0, r0 = bv.get(k, MISSING), rv.get(k, MISSING)
                if _differs(k, b0, r0) or (
                        k == "examples" and self._refs_changed(b0, bw[0], rw[0])):
                    kind = "description-changed" if k == "description" else "example-changed"
                    kbw, krw = _kw(bw, bv, k), _kw(rw, rv, k)
                    if b0 == r0:  # a referenced example changed
                        kbw, krw = self._changed_where(kbw, krw, b0, r0)
                    self._hit(Delta(kind, kbw, krw, b0, r0, name=rp.name, keyword=k,
                                    info=info), ro, "request", ctx)
            for k in sorted({str(x) for x in set(bv) | set(rv) if str(x).startswith("x-")}):
                kind = _extension_kind(k, bv.get(k, MISSING), rv.get(k, MISSING))
                if kind is not None:
                    if k == "x-nullable" and bp.schema is not None:
                        continue  # compared as the schema's nullability
                    self._hit(Delta(kind, _kw(bw, bv, k), _kw(rw, rv, k), bv.get(k, MISSING),
                                    rv.get(k, MISSING), name=rp.name, keyword=k, info=info),
                              ro, "request", ctx)
            self._schema_root(bp.schema, rp.schema, bo, ro, "request", ctx)

    def _request_body(self, bo: Operation, ro: Operation) -> None:
        if bo.body is None and ro.body is None:
            return
        if bo.body is None:
            assert ro.body is not None
            # The rule's words already say "request body": no context to repeat it.
            self._hit(Delta("request-body-added", None, ro.body_at or _w(ro.body),
                            info={"required": ro.body_required, "defined": _w(ro.body)}), ro,
                      "request", None)
            return
        if ro.body is None:
            self._hit(Delta("request-body-removed", bo.body_at or _w(bo.body), None,
                            info={"defined": _w(bo.body)}), ro, "request", None)
            return
        bw, rw = _w(bo.body), _w(ro.body)
        if bo.body_required != ro.body_required:
            kind = "request-body-became-required" if ro.body_required else \
                "request-body-became-optional"
            self._hit(Delta(kind, bw, rw, bo.body_required, ro.body_required), ro, "request",
                      None)
        bb, rb = bo.body[2], ro.body[2]
        # The body's own words: an OpenAPI 3 requestBody or a Swagger 2.0 body parameter.
        for k in sorted({str(x) for x in set(bb) | set(rb)}, key=str):
            if k != "description" and not k.startswith("x-"):
                continue
            kind = _extension_kind(k, bb.get(k, MISSING), rb.get(k, MISSING)) if \
                k.startswith("x-") else "description-changed" if _differs(
                    k, bb.get(k, MISSING), rb.get(k, MISSING)) else None
            if kind is not None:
                self._hit(Delta(kind, _kw(bw, bb, k), _kw(rw, rb, k), bb.get(k, MISSING),
                                rb.get(k, MISSING), keyword=k), ro, "request", "request body")
        self._content(bo.body_content, ro.body_content, bw, rw, bo, ro, "request",
                      "request body", bb, rb)

    def _content(self, bc: dict[str, Node | None], rc: dict[str, Node | None], bw: Where,
                 rw: Where, bo: Operation, ro: Operation, direction: str, ctx: str,
                 bparent: Any = None, rparent: Any = None) -> None:
        for media in sorted(set(bc) | set(rc)):
            if media not in bc:
                self._hit(Delta("media-type-added", None, _content_where(rw, rc[media], media),
                                name=media), ro, direction, ctx)
            elif media not in rc:
                self._hit(Delta("media-type-removed", _content_where(bw, bc[media], media), None,
                                name=media), ro, direction, ctx)
            else:
                bs, rs = bc[media], rc[media]
                label = f"{ctx} ({media})" if len(rc) > 1 else ctx
                self._media_words(bw, rw, media, ro, direction, label, bparent, rparent)
                if bs is None and rs is not None:
                    if not (self.b.spec == "3.1" and self._raw_binary(self.r, rs, media)):
                        self._hit(Delta("schema-added", None, _w(rs), name=media), ro,
                                  direction, label)
                elif rs is None and bs is not None:
                    if not (self.r.spec == "3.1" and self._raw_binary(self.b, bs, media)):
                        self._hit(Delta("schema-removed", _w(bs), None, name=media), ro,
                                  direction, label)
                else:
                    self._schema_root(bs, rs, bo, ro, direction, label)

    @staticmethod
    def _raw_binary(side: Side, schema: Node, media: str) -> bool:
        """True when ``schema`` says only "the bytes of ``media``": a binary string, which
        OpenAPI 3.1 writes as a media type with no schema at all (non-JSON media only)."""
        bare = media.split(";", 1)[0].strip()
        if bare.endswith(("/json", "+json")) or bare.startswith("text/"):
            return False
        value = side.deref(schema)[2]
        if not isinstance(value, dict) or value.get("type") != "string":
            return False
        words = {k: v for k, v in value.items() if k not in DOC_KEYWORDS}
        return _encoding({k: (v, None, "") for k, v in words.items()})["format"] == "binary" \
            and set(words) <= {"type", "format", "contentMediaType"} \
            and words.get("contentMediaType", bare) in (bare, "application/octet-stream")

    def _media_words(self, bw: Where, rw: Where, media: str, ro: Operation, direction: str,
                     ctx: str, bparent: Any, rparent: Any) -> None:
        """Examples, encoding and extensions of one media type object (OpenAPI 3)."""
        bm, rm = _media_object(bw, media, bparent), _media_object(rw, media, rparent)
        if bm is None or rm is None or (
                bm[1] == rm[1] and not self._refs_changed(bm[1].get("examples"), bw[0],
                                                          rw[0])):
            return
        for k in sorted({str(x) for x in set(bm[1]) | set(rm[1])} - {"schema"}):
            b0, r0 = bm[1].get(k, MISSING), rm[1].get(k, MISSING)
            if not _differs(k, b0, r0) and not (
                    k == "examples" and self._refs_changed(b0, bw[0], rw[0])):
                continue
            if k.startswith("x-"):
                kind = _extension_kind(k, b0, r0)
                if kind is None:
                    continue
            else:
                kind = "example-changed" if k in ("example", "examples") else \
                    "unclassified-change"
            kbw, krw = _kw((bw[0], bm[0]), bm[1], k), _kw((rw[0], rm[0]), rm[1], k)
            if b0 == r0:  # the same text: a referenced example changed; point at it
                kbw, krw = self._changed_where(kbw, krw, b0, r0)
            self._hit(Delta(kind, kbw, krw, b0, r0, name=media, keyword=k), ro, direction, ctx)

    def _responses(self, bo: Operation, ro: Operation) -> None:
        for status in sorted(set(bo.responses) | set(ro.responses)):
            br, rr = bo.responses.get(status), ro.responses.get(status)
            ctx = f"response {status}"
            if br is None and rr is not None:
                self._hit(Delta("response-status-added", None,
                                ro.response_at.get(status) or _w(rr), name=status,
                                info={"defined": _w(rr)}), ro, "response", None)
                continue
            if rr is None and br is not None:
                self._hit(Delta("response-status-removed", bo.response_at.get(status) or _w(br),
                                None, name=status, info={"defined": _w(br)}), ro, "response",
                          None)
                continue
            assert br is not None and rr is not None
            bw, rw = _w(br), _w(rr)
            bv, rv = br[2], rr[2]
            for k in ("description",):
                if _differs(k, bv.get(k, MISSING), rv.get(k, MISSING)):
                    self._hit(Delta("description-changed", _kw(bw, bv, k), _kw(rw, rv, k),
                                    bv.get(k, MISSING), rv.get(k, MISSING), keyword=k), ro,
                              "response", ctx)
            for k in ("examples", "links"):
                if _differs(k, bv.get(k, MISSING), rv.get(k, MISSING)) or (
                        k == "links" and self._refs_changed(bv.get(k), bw[0], rw[0])):
                    kind = "example-changed" if k == "examples" else "links-changed"
                    kbw, krw = _kw(bw, bv, k), _kw(rw, rv, k)
                    if k in bv and k in rv and bv[k] == rv[k]:
                        kbw, krw = self._changed_where(kbw, krw, bv[k], rv[k])
                    self._hit(Delta(kind, kbw, krw, keyword=k), ro, "response", ctx)
            for k in sorted({str(x) for x in set(bv) | set(rv) if str(x).startswith("x-")}):
                kind = _extension_kind(k, bv.get(k, MISSING), rv.get(k, MISSING))
                if kind is not None:
                    self._hit(Delta(kind, _kw(bw, bv, k), _kw(rw, rv, k),
                                    bv.get(k, MISSING), rv.get(k, MISSING), keyword=k), ro,
                              "response", ctx)
            # headers
            bh, rh = self.b.response_headers(br), self.r.response_headers(rr)
            for hname in sorted(set(bh) | set(rh)):
                # Where the response lists the header (maybe a $ref to a shared one).
                if hname not in bh:
                    name, node, _ = rh[hname]
                    self._hit(Delta("header-added", None, _header_at(rr, name), name=name,
                                    info={"required": bool(node[2].get("required")),
                                          "defined": _w(node)}), ro, "response", ctx)
                elif hname not in rh:
                    name, node, _ = bh[hname]
                    self._hit(Delta("header-removed", _header_at(br, name), None, name=name,
                                    info={"defined": _w(node)}), ro, "response", ctx)
                else:
                    bname, bnode, bsch = bh[hname]
                    name, rnode, rsch = rh[hname]
                    hctx = f"{ctx} header {name}"
                    hb, hr = bnode[2], rnode[2]
                    if bool(hb.get("required")) != bool(hr.get("required")):
                        kind = "header-became-required" if hr.get("required") else \
                            "header-became-optional"
                        self._hit(Delta(kind, _w(bnode), _w(rnode), name=name), ro, "response",
                                  ctx)
                    if _differs("description", hb.get("description", MISSING),
                                hr.get("description", MISSING)):
                        self._hit(Delta("description-changed", _kw(_w(bnode), hb, "description"),
                                        _kw(_w(rnode), hr, "description"),
                                        hb.get("description", MISSING),
                                        hr.get("description", MISSING), name=name,
                                        keyword="description"), ro, "response", hctx)
                    if bool(hb.get("deprecated")) != bool(hr.get("deprecated")):
                        self._hit(Delta("header-deprecated" if hr.get("deprecated") else
                                        "header-undeprecated", _w(bnode), _w(rnode), name=name),
                                  ro, "response", ctx)
                    self._schema_root(bsch, rsch, bo, ro, "response", hctx)
            self._content(self.b.response_content(bo, br), self.r.response_content(ro, rr), bw,
                          rw, bo, ro, "response", ctx, bv, rv)

    # -- schemas -----------------------------------------------------------------------------
    def _schema_root(self, b: Node | None, r: Node | None, bo: Operation, ro: Operation,
                     direction: str, ctx: str) -> None:
        if b is None or r is None:
            if b is None and r is not None:
                self._hit(Delta("schema-added", None, _w(r)), ro, direction, ctx)
            elif r is None and b is not None:
                self._hit(Delta("schema-removed", _w(b), None), ro, direction, ctx)
            return
        pair = self.schema(b, r)
        if pair is not None:
            if ro.webhook and direction in _FLIP:
                direction = _FLIP[direction]
            self.roots.append((pair, ro.key, ro.label, direction, ctx))

    def schema(self, b: Node, r: Node) -> Pair | None:
        """Compare two schemas (memoised); None when they are equal all the way down."""
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
                            if isinstance(v, (dict, list)) and k not in _DATA_KEYWORDS
                            and not str(k).startswith("x-"))
            elif isinstance(x, list):
                todo.extend((v, False) for v in x if isinstance(v, (dict, list)))
        self._merge_cache[id(node)] = found
        return found

    def _hide(self, pair: Pair) -> str | None:
        """``pair.hide`` of a pair whose two schemas had equal text (see ``schema``)."""
        if pair.hide is _LATER:
            bn, rn = pair.keep
            pair.hide = _hidden(self._view(self.b, bn), self._view(self.r, rn))
        return pair.hide

    def _flags(self, side: Side, node: Node) -> dict[str, bool]:
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

    def _view(self, side: Side, node: Node) -> View:
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

    def _fill(self, side: Side, view: View, doc: Document, ptr: str,
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
                view.kw[k] = (v, doc, jp.join(ptr, k))
            return
        decls: dict[str, list[tuple[Any, Document, str]]] = {}
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
                elif k in ("oneOf", "anyOf") and _null_pair(v) is not None:
                    # `oneOf: [X, {type: "null"}]` is how 3.1 says "X or null": X, nullable.
                    other, null_at = _null_pair(v)  # type: ignore[misc]
                    merge.append((mdoc, jp.join(mptr, k, other), v[other]))
                    decls.setdefault("nullable", []).append(
                        (True, mdoc, jp.join(mptr, k, null_at)))
                elif k == "$ref":
                    merge.append((mdoc, mptr, {"$ref": v}))
                elif k == "properties" and isinstance(v, dict):
                    for name, pv in v.items():
                        props.setdefault(str(name), []).append(
                            (mdoc, jp.join(mptr, "properties", name), pv))
                else:
                    decls.setdefault(k, []).append((v, mdoc, jp.join(mptr, k)))
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
                    if isinstance(e[0], list):
                        view.required.update(str(x) for x in e[0])
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

    def _combine(self, k: str, entries: list[tuple[Any, Document, str]]
                 ) -> tuple[Any, Document, str]:
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
        values = [e[0] for e in entries]
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
            return value, bind[1], bind[2]
        if k == "enum":
            if not all(isinstance(v, list) for v in values):
                return first
            smallest = min(entries, key=lambda e: len(e[0]))
            keep = set.intersection(*({_h(x) for x in v} for v in values))
            return [x for x in smallest[0] if _h(x) in keep], smallest[1], smallest[2]
        if k in MIN_KEYWORDS or k in MAX_KEYWORDS or k in ("exclusiveMinimum",
                                                           "exclusiveMaximum"):
            nums = [_num(v) for v in values]
            if any(n is None for n in nums):
                return first
            pick = max if k in MIN_KEYWORDS or k == "exclusiveMinimum" else min
            return pick(zip(nums, range(len(entries)), entries, strict=True))[2]
        if k in _ANY_TRUE:
            return next((e for e in entries if e[0] is True), first)
        if k in _SUBSCHEMA_ALL:
            if k == "additionalProperties" and any(v is False for v in values):
                return next(e for e in entries if e[0] is False)
            subs = [(e[1], e[2], e[0]) for e in entries if isinstance(e[0], dict)]
            if not subs:
                return first
            if len(subs) == 1:
                return subs[0][2], subs[0][0], subs[0][1]
            node = self._all_of(subs)
            return node[2], node[0], node[1]
        if k in _ALL_APPLY:
            return values, first[1], first[2]
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
            view.kw.setdefault(k, (v, doc, placed.keywords.get(k) or jp.join(ptr, k)))
        if placed.required:
            view.required_at = {name: (doc, at) for name, at in placed.required.items()}

    # The core comparison of two schema views.
    def _compare(self, pair: Pair, bv: View, rv: View) -> None:
        add = pair.deltas.append
        bw, rw = (bv.doc, bv.ptr), (rv.doc, rv.ptr)
        if bv.is_bool or rv.is_bool or not isinstance(bv.node, dict) or \
                not isinstance(rv.node, dict):
            if bv.node != rv.node and not (_accepts_all(bv.node) and _accepts_all(rv.node)):
                add(Delta("schema-replaced", bw, rw, bv.node, rv.node))
            return
        # Keywords that do not apply to the declared type (maxLength on an integer,
        # properties on `type: "null"`) constrain nothing: not compared.
        drop = _inapplicable(bv) | _inapplicable(rv)
        if drop:
            bv, rv = _without(bv, drop), _without(rv, drop)
        bk, rk = bv.kw, rv.kw

        def val(k: str, kw: dict[str, tuple[Any, Document, str]]) -> Any:
            e = kw.get(k)
            return e[0] if e is not None else MISSING

        def where(view: View, k: str) -> Where:
            e = view.kw.get(k)
            if e is None:
                return view.doc, view.ptr
            if view.multi is not None and k in view.multi:
                d = _changed_decl(view, rv if view is bv else bv, k)
                return d[1], d[2]
            return e[1], e[2]

        def item(view: View, k: str, value: Any) -> Where:
            """The entry of ``value`` in the list ``k`` that says it (enum, required)."""
            e = view.kw[k]
            if view.multi is not None and k in view.multi:
                e = _changed_decl(view, rv if view is bv else bv, k, value)
            return _item_where((e[1], e[2]), e[0], value)

        def listed(view: View, kw: dict[str, tuple[Any, Document, str]], name: str) -> Where:
            """Where ``name`` is made required: its entry in ``required``."""
            if view.required_at is not None and name in view.required_at:
                return view.required_at[name]
            return _item_where(where(view, "required"), val("required", kw), name)

        # type and nullability
        bt, bnull = _types(bk)
        rt, rnull = _types(rk)
        # `type: "null"` alone is a type of its own, not "any type, nullable".
        only_null_b = not bt and bnull and "type" in bk
        only_null_r = not rt and rnull and "type" in rk
        if (only_null_b and rt and rnull) or (only_null_r and bt and bnull):
            # null <-> [x, null]: the null-only side accepts a subset of the other.
            shown_b = _tv(bt | {"null"}) if bt else "null"
            shown_r = _tv(rt | {"null"}) if rt else "null"
            add(Delta("constraint-loosened" if only_null_b else "constraint-tightened",
                      where(bv, "type"), where(rv, "type"), shown_b, shown_r, keyword="type"))
            bt, bnull, rt, rnull = rt, rnull, rt, rnull  # said: nothing more to compare
        elif only_null_r and bt:
            rt, rnull = frozenset({"null"}), bnull
        elif only_null_b and rt:
            bt, bnull = frozenset({"null"}), rnull
        if bt != rt and not (_pinned(bk, rt) if not bt else _pinned(rk, bt) if not rt
                             else False):
            if bt and rt and not (_widens(bt, rt) or _widens(rt, bt)):
                add(Delta("type-changed", where(bv, "type"), where(rv, "type"), _tv(bt), _tv(rt),
                          keyword="type"))
            elif not rt or (bt and _widens(bt, rt)):
                # No `type` accepts every type: removing it loosens, adding it tightens.
                add(Delta("constraint-loosened", where(bv, "type"), where(rv, "type"), _tv(bt),
                          _tv(rt), keyword="type"))
            else:
                add(Delta("constraint-tightened", where(bv, "type"), where(rv, "type"), _tv(bt),
                          _tv(rt), keyword="type"))
        if bnull != rnull:
            k = "nullable" if "nullable" in rk or "nullable" in bk else (
                "x-nullable" if "x-nullable" in rk or "x-nullable" in bk else "type")
            add(Delta("nullable-added" if rnull else "nullable-removed", where(bv, k),
                      where(rv, k), bnull, rnull, keyword=k))
        # format, and the content keywords that spell some formats in 3.1
        derive = ("format" in bk) != ("format" in rk)
        benc, renc = _encoding(bk, derive), _encoding(rk, derive)
        for k in ("format", "contentMediaType", "contentEncoding"):
            if benc[k] != renc[k]:
                add(Delta("format-changed", where(bv, _written(bk, k)),
                          where(rv, _written(rk, k)), benc[k], renc[k], keyword=k))
        # enum and const
        be, re_ = _enum(bk), _enum(rk)
        if be is not None and re_ is not None:
            bset, rset = {_h(x): x for x in be[0]}, {_h(x): x for x in re_[0]}
            # Each value points at its own entry, so two values never share a fingerprint.
            for h in sorted(set(rset) - set(bset)):
                add(Delta("enum-value-added", where(bv, be[1]), item(rv, re_[1], rset[h]),
                          after=rset[h], name=_short(rset[h]), keyword=re_[1]))
            for h in sorted(set(bset) - set(rset)):
                add(Delta("enum-value-removed", item(bv, be[1], bset[h]), None,
                          before=bset[h], name=_short(bset[h]), keyword=be[1]))
        elif be is None and re_ is not None:
            add(Delta("constraint-tightened", bw, where(rv, re_[1]), MISSING, re_[0],
                      keyword=re_[1]))
        elif be is not None and re_ is None:
            add(Delta("constraint-loosened", where(bv, be[1]), rw, be[0], MISSING,
                      keyword=be[1]))
        # x-extensible-enum (Zalando guidelines): the values known today of an open set
        bx, rx = val("x-extensible-enum", bk), val("x-extensible-enum", rk)
        open_enums = isinstance(bx, list) and isinstance(rx, list)
        if open_enums and bx != rx:
            bset, rset = {_h(x): x for x in bx}, {_h(x): x for x in rx}
            for h in sorted(set(rset) - set(bset)):
                add(Delta("extensible-enum-value-added", where(bv, "x-extensible-enum"),
                          item(rv, "x-extensible-enum", rset[h]), after=rset[h],
                          name=_short(rset[h]), keyword="x-extensible-enum"))
            for h in sorted(set(bset) - set(rset)):
                add(Delta("extensible-enum-value-removed", item(bv, "x-extensible-enum", bset[h]),
                          None, before=bset[h], name=_short(bset[h]),
                          keyword="x-extensible-enum"))
        # default
        if val("default", bk) != val("default", rk):
            add(Delta("default-changed", where(bv, "default"), where(rv, "default"),
                      val("default", bk), val("default", rk), keyword="default"))
        # numeric and size constraints
        bb, rb = _bounds(bk), _bounds(rk)
        for k in sorted(MIN_KEYWORDS | MAX_KEYWORDS | {"exclusiveMinimum", "exclusiveMaximum",
                                                       "multipleOf", "uniqueItems", "pattern"}):
            b0, r0 = bb.get(k, val(k, bk)), rb.get(k, val(k, rk))
            if b0 == r0:
                continue
            verdict = _constraint(k, b0, r0)
            kind = {"tighter": "constraint-tightened", "looser": "constraint-loosened"}.get(
                verdict, "pattern-changed" if k == "pattern" else "constraint-changed")
            add(Delta(kind, where(bv, k), where(rv, k), b0, r0, keyword=k))
        # flags
        for k, on, off in (("readOnly", "read-only-added", "read-only-removed"),
                           ("writeOnly", "write-only-added", "write-only-removed"),
                           ("deprecated", "schema-deprecated", "schema-undeprecated")):
            b0, r0 = bool(val(k, bk)), bool(val(k, rk))
            if b0 != r0:
                add(Delta(on if r0 else off, where(bv, k), where(rv, k), b0, r0, keyword=k))
        # documentation
        moved = _examples_moved(val("example", bk), val("examples", bk),
                                val("example", rk), val("examples", rk))
        for k in sorted(DOC_KEYWORDS):
            b0, r0 = val(k, bk), val(k, rk)
            kind = "example-changed" if k in ("example", "examples") else "description-changed"
            if b0 != r0 and _differs(k, b0, r0) and not (moved and k in ("example", "examples")):
                add(Delta(kind, where(bv, k), where(rv, k), b0, r0, keyword=k))
            elif bv.multi is not None and rv.multi is not None and k in bv.multi and \
                    k in rv.multi and len(bv.multi[k]) == len(rv.multi[k]):
                # The outermost text wins for the whole schema, but the words of an allOf
                # member (a component of its own) were edited too: that is a doc change.
                for (b1, bd, bp), (r1, rd, rp) in zip(bv.multi[k], rv.multi[k], strict=True):
                    if _differs(k, b1, r1):
                        add(Delta(kind, (bd, bp), (rd, rp), b1, r1, keyword=k))
        # extensions
        for k in sorted({str(x) for x in set(bk) | set(rk) if str(x).startswith("x-")}):
            if k == "x-nullable" or (k == "x-extensible-enum" and open_enums):
                continue  # read above as nullability, as an open enum
            b0, r0 = val(k, bk), val(k, rk)
            kind = _extension_kind(k, b0, r0) if b0 != r0 else None
            if kind is not None:
                add(Delta(kind, where(bv, k), where(rv, k), b0, r0, keyword=k))
        # discriminator
        if _discriminator(val("discriminator", bk)) != _discriminator(val("discriminator", rk)):
            add(Delta("discriminator-changed", where(bv, "discriminator"),
                      where(rv, "discriminator"), val("discriminator", bk),
                      val("discriminator", rk), keyword="discriminator"))
        # properties and required; a property whose schema is `false` can never be present:
        # it is read as absent, so dropping one is no change
        bprops, rprops = _possible(bv.props), _possible(rv.props)
        for name in sorted(set(bprops) | set(rprops)):
            bp, rp = bprops.get(name), rprops.get(name)
            if bp is None and rp is not None:
                add(Delta("property-added", None, _w(rp), name=name,
                          info={"required": name in rv.required,
                                **self._flags(self.r, rp)}))
            elif rp is None and bp is not None:
                add(Delta("property-removed", _w(bp), None, name=name,
                          info={"required": name in bv.required,
                                **self._flags(self.b, bp)}))
            elif bp is not None and rp is not None:
                if (name in bv.required) != (name in rv.required):
                    # Point at the name in `required` where it is listed, at the property
                    # where it is not, so each name has its own location.
                    now = name in rv.required
                    add(Delta("property-became-required" if now else
                              "property-became-optional",
                              listed(bv, bk, name) if not now else _w(bp),
                              listed(rv, rk, name) if now else _w(rp), name=name,
                              info=self._flags(self.r, rp)))
                child = self.schema(bp, rp)
                if child is not None:
                    self._link(pair, child)
        # `required` may name properties that `properties` does not declare
        for name in sorted((bv.required ^ rv.required) - set(bv.props) - set(rv.props)):
            now = name in rv.required
            add(Delta("property-became-required" if now else "property-became-optional",
                      listed(bv, bk, name), listed(rv, rk, name) if now
                      else where(rv, "required"), name=name, info={}))
        # items / additionalProperties / single subschemas
        for k in ("items", "additionalItems", *sorted(SUBSCHEMA_KEYWORDS - {"additionalItems"})):
            b0, r0 = bk.get(k), rk.get(k)
            if b0 is None and r0 is None:
                continue
            if k == "items" and (isinstance(_v(b0), list) or isinstance(_v(r0), list)):
                self._schema_list(pair, "items", b0, r0, bv, rv)
                continue
            if b0 is not None and r0 is not None and isinstance(b0[0], dict) and \
                    isinstance(r0[0], dict):
                child = self.schema((b0[1], b0[2], b0[0]), (r0[1], r0[2], r0[0]))
                if child is not None:
                    self._link(pair, child)
            elif _v(b0) != _v(r0):
                if k == "items" and "capture" in (bv.doc.format, rv.doc.format):
                    continue  # an empty recorded array shows no item shape: not a change
                kind = "constraint-changed"
                if k == "items":
                    kind = "schema-added" if b0 is None else "schema-removed" if r0 is None \
                        else "schema-replaced"
                add(Delta(kind, where(bv, k), where(rv, k), _v(b0, MISSING), _v(r0, MISSING),
                          keyword=k))
        self._additional(pair, bv, rv)
        for k in sorted(SCHEMA_MAP_KEYWORDS):
            b0, r0 = bk.get(k), rk.get(k)
            if b0 is None and r0 is None:
                continue
            bm = b0[0] if b0 and isinstance(b0[0], dict) else {}
            rm = r0[0] if r0 and isinstance(r0[0], dict) else {}
            for sub in sorted(set(bm) | set(rm), key=str):
                if sub in bm and sub in rm:
                    assert b0 is not None and r0 is not None
                    child = self.schema((b0[1], jp.join(b0[2], sub), bm[sub]),
                                        (r0[1], jp.join(r0[2], sub), rm[sub]))
                    if child is not None:
                        self._link(pair, child)
                else:
                    add(Delta("property-added" if sub in rm else "property-removed",
                              (b0[1], jp.join(b0[2], sub)) if b0 and sub in bm else None,
                              (r0[1], jp.join(r0[2], sub)) if r0 and sub in rm else None,
                              name=f"{k}[{sub}]", info={"required": False}))
        if "prefixItems" in bk or "prefixItems" in rk:
            self._schema_list(pair, "prefixItems", bk.get("prefixItems"), rk.get("prefixItems"),
                              bv, rv)
        for k in ("oneOf", "anyOf"):
            if k in bk or k in rk:
                self._variants(pair, k, bk.get(k), rk.get(k), bv, rv)
        # anything else the catalogue has no words for still surfaces; a keyword of no
        # vocabulary of either side's version (a typo) validates nothing: words only
        for k in sorted({str(x) for x in set(bk) | set(rk)} - HANDLED):
            if k.startswith("x-"):
                continue
            b0, r0 = val(k, bk), val(k, rk)
            if b0 != r0:
                kind = "unclassified-change" if k in _vocabulary(self.b.spec, self.r.spec) \
                    else "schema-unknown-keyword-changed"
                add(Delta(kind, where(bv, k), where(rv, k), b0, r0, keyword=k))

    def _schema_list(self, pair: Pair, k: str, b0: Any, r0: Any, bv: View, rv: View) -> None:
        bl = b0[0] if b0 and isinstance(b0[0], list) else None
        rl = r0[0] if r0 and isinstance(r0[0], list) else None
        if bl is None or rl is None:
            if _v(b0) != _v(r0):
                pair.deltas.append(Delta("schema-replaced", (bv.doc, b0[2] if b0 else bv.ptr),
                                         (rv.doc, r0[2] if r0 else rv.ptr), _v(b0, MISSING),
                                         _v(r0, MISSING), keyword=k))
            return
        for i in range(max(len(bl), len(rl))):
            if i < len(bl) and i < len(rl):
                child = self.schema((b0[1], jp.join(b0[2], i), bl[i]),
                                    (r0[1], jp.join(r0[2], i), rl[i]))
                if child is not None:
                    self._link(pair, child)
            else:
                pair.deltas.append(Delta(
                    "variant-added" if i >= len(bl) else "variant-removed",
                    (b0[1], jp.join(b0[2], i)) if i < len(bl) else None,
                    (r0[1], jp.join(r0[2], i)) if i < len(rl) else None,
                    name=f"{k}[{i}]", keyword=k))

    def _additional(self, pair: Pair, bv: View, rv: View) -> None:
        b0, r0 = bv.kw.get("additionalProperties"), rv.kw.get("additionalProperties")
        if b0 is None and r0 is None:
            return
        bval = b0[0] if b0 else True
        rval = r0[0] if r0 else True
        if isinstance(bval, dict) and isinstance(rval, dict):
            assert b0 is not None and r0 is not None
            child = self.schema((b0[1], b0[2], bval), (r0[1], r0[2], rval))
            if child is not None:
                self._link(pair, child)
            return
        if bval == rval or (bval in (True, {}) and rval in (True, {})):
            return
        # false < schema < true in what they accept
        rank = {False: 0, True: 2}
        br = rank.get(bval, 1) if not isinstance(bval, dict) else (2 if not bval else 1)
        rr = rank.get(rval, 1) if not isinstance(rval, dict) else (2 if not rval else 1)
        kind = "constraint-tightened" if rr < br else "constraint-loosened" if rr > br else \
            "constraint-changed"
        pair.deltas.append(Delta(kind, (bv.doc, b0[2]) if b0 else (bv.doc, bv.ptr),
                                 (rv.doc, r0[2]) if r0 else (rv.doc, rv.ptr), bval, rval,
                                 keyword="additionalProperties"))

    def _variants(self, pair: Pair, k: str, b0: Any, r0: Any, bv: View, rv: View) -> None:
        bl = b0[0] if b0 and isinstance(b0[0], list) else []
        rl = r0[0] if r0 and isinstance(r0[0], list) else []
        bptr = b0[2] if b0 else bv.ptr
        rptr = r0[2] if r0 else rv.ptr
        bdoc = b0[1] if b0 else bv.doc
        rdoc = r0[1] if r0 else rv.doc

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
            pair.deltas.append(Delta("variant-added", (bv.doc, bv.ptr), (rdoc, jp.join(rptr, ri)),
                                     name=_variant_name(rl[ri], ri), keyword=k,
                                     info={"variant": rmeans[ri],
                                           "siblings": [m for i, m in enumerate(rmeans)
                                                        if i != ri]}))
        for bi in bonly:
            pair.deltas.append(Delta("variant-removed", (bdoc, jp.join(bptr, bi)),
                                     (rv.doc, rv.ptr), name=_variant_name(bl[bi], bi),
                                     keyword=k, info={"variant": self._meaning(
                                         self.b, (bdoc, jp.join(bptr, bi), bl[bi]), bi)}))

    def _meaning(self, side: Side, node: Node, i: int) -> dict[str, Any]:
        """A variant's name, ``x-openstack`` range (as text, as written) and action-name."""
        value = side.deref(node)[2]
        lo, hi = _range(value.get("x-openstack") if isinstance(value, dict) else None)
        return {"name": _variant_name(node[2], i), "min": lo, "max": hi,
                "action": _action_name(value)}

    def _ranged_keys(self, side: Side, doc: Any, ptr: str, items: list[Any]
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

    # -- components nobody uses --------------------------------------------------------------
    def _unused_components(self) -> None:
        candidates: list[tuple[str, Any, Any, str, str]] = []
        bsec, rsec = _component_sections(self.b), _component_sections(self.r)
        for section in sorted(set(bsec) | set(rsec)):
            bcomp, bptr = bsec.get(section, ({}, ""))
            rcomp, rptr = rsec.get(section, ({}, ""))
            for name in sorted(set(bcomp) | set(rcomp), key=str):
                bp, rp = jp.join(bptr, name), jp.join(rptr, name)
                if (self.b.doc.path, bp) in self.reached or (self.r.doc.path, rp) in self.reached:
                    continue
                bv, rv = bcomp.get(name, MISSING), rcomp.get(name, MISSING)
                if not _same_words(bv, rv):
                    candidates.append((section, name, (bv, rv), bp, rp))
        if not candidates:
            return
        breach, rreach = self._reachable(self.b), self._reachable(self.r)
        for section, name, (bv, rv), bp, rp in candidates:
            if self._used(self.b, bp, bv, breach) or self._used(self.r, rp, rv, rreach):
                continue  # used, and unchanged where the walk went: nothing to say
            kind = ("unused-component-added" if bv is MISSING else
                    "unused-component-removed" if rv is MISSING else "unused-component-changed")
            self.hits.append(Hit(Delta(
                kind, (self.b.doc, bp) if bv is not MISSING else None,
                (self.r.doc, rp) if rv is not MISSING else None, name=str(name),
                keyword=section), None, None, None, None))

    def _used(self, side: Side, ptr: str, value: Any, reach: set[tuple[int, str]]) -> bool:
        """True when the component at ``ptr`` is reached from the paths, itself or (a
        component that only names a file of its own) through its ``$ref``. A local alias
        (``A: {$ref: '#/definitions/B'}``) is not used because B is."""
        if (id(side.doc), ptr) in reach:
            return True
        if isinstance(value, dict) and isinstance(value.get("$ref"), str) and \
                not value["$ref"].startswith("#"):
            try:
                target = side.resolver.resolve(side.doc, value["$ref"])
            except InputError:
                return False
            return (id(target[0]), target[1]) in reach or \
                (target[0].path, target[1]) in self.reached
        return False

    def _reachable(self, side: Side) -> set[tuple[int, str]]:
        """(document id, pointer) of every node the paths reach through ``$ref``s, across
        files (an operation kept in a file of its own reaches on from there)."""
        root = side.doc
        data = root.data
        index = side.resolver.ref_index(root)
        seen: set[tuple[int, str]] = set()
        todo: list[tuple[Document, Any]] = []
        if index is not None:
            todo.extend((root, refs) for group, refs in index.items()
                        if group.startswith(("/paths/", "/webhooks/")))
        else:
            todo.extend((root, _refs_under(data.get(k))) for k in ("paths", "webhooks"))
        resolve = side.resolver.resolve
        while todo:
            doc, refs = todo.pop()
            for ref in refs:
                if doc is root and ref.startswith("#/"):
                    target = ref[1:]  # the common case, without a resolver call
                    if (id(root), target) in seen:
                        continue
                    seen.add((id(root), target))
                    found = index.get(target) if index is not None else None
                    todo.append((root, found if found is not None else
                                 _refs_under(jp.walk(data, target, None))))
                    continue
                try:
                    hit = resolve(doc, ref)
                except InputError:
                    continue
                if (id(hit[0]), hit[1]) in seen:
                    continue
                seen.add((id(hit[0]), hit[1]))
                todo.append((hit[0], self._refs_in(hit[2])))
        return seen

    # -- which operations reach which schema deltas -----------------------------------------
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
        reach: dict[tuple[int, str], Hit] = {}
        # Many operations share a root schema (a common error body, a list envelope): the
        # deltas beneath a root are collected once and attributed to each operation.
        beneath: dict[tuple[int, str], list[Delta]] = {}
        for root, op, label, direction, ctx in self.roots:
            if not root.dirty:
                continue
            deltas = beneath.get((id(root), direction))
            if deltas is None:
                deltas = beneath[(id(root), direction)] = _deltas_beneath(
                    root, direction, self._hide)
            for d in deltas:
                if _invisible(d, direction):
                    continue
                key = (id(d), direction)
                hit = reach.get(key)
                if hit is None:
                    reach[key] = Hit(d, op, label, direction, ctx, [])
                else:
                    assert hit.others is not None
                    hit.others.append((op, label, ctx))
        self.hits.extend(reach.values())


# -- helpers ---------------------------------------------------------------------------------
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


_FLIP = {"request": "response", "response": "request"}


def _w(node: Node) -> Where:
    return node[0], node[1]


def _header_at(resp: Node, name: str) -> Where:
    """A header's entry in the response's ``headers`` (which may be a ``$ref``)."""
    return resp[0], jp.join(resp[1], "headers", name)


def _kw(where: Where, value: dict[str, Any], key: str) -> Where:
    if key in value:
        return where[0], jp.join(where[1], key)
    return where


def _media_object(w: Where, media: str, node: Any) -> tuple[str, dict[str, Any]] | None:
    """(pointer, object) of the media type ``media`` in ``node``, the body or response at
    ``w``."""
    content = node.get("content") if isinstance(node, dict) else None
    if not isinstance(content, dict):
        return None
    for key, value in content.items():
        if str(key).lower() == media and isinstance(value, dict):
            return jp.join(w[1], "content", key), value
    return None


def _content_where(where: Where, schema: Node | None, media: str) -> Where:
    if schema is not None:
        doc, ptr = schema[0], schema[1]
        return doc, ptr.rsplit("/schema", 1)[0] if ptr.endswith("/schema") else ptr
    return where[0], jp.join(where[1], "content", media)


def _v(entry: Any, default: Any = None) -> Any:
    return entry[0] if entry is not None else default


def _types(kw: dict[str, tuple[Any, Document, str]]) -> tuple[frozenset[str], bool]:
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


def _pinned(kw: dict[str, tuple[Any, Document, str]], types: frozenset[str]) -> bool:
    """True when a schema without ``type`` lists its values (enum, const) and every one of
    them has one of ``types``: writing or dropping that ``type`` changes nothing."""
    values = _enum(kw)
    if values is None or not values[0]:
        return False
    return all(json_type(v, integers=True) in types or (
        json_type(v, integers=True) == "integer" and "number" in types) or (
        v is None) for v in values[0])


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


def _distinct(entries: list[tuple[Any, Document, str]]) -> list[tuple[Any, Document, str]]:
    out: list[tuple[Any, Document, str]] = []
    for e in entries:
        if not any(_same_decl(e[0], e[1], o[0], o[1]) for o in out):
            out.append(e)
    return out


def _distinct_nodes(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        if not any(n[2] is o[2] or _same_decl(n[2], n[0], o[2], o[0]) for o in out):
            out.append(n)
    return out


def _widens(narrow: frozenset[str], wide: frozenset[str]) -> bool:
    """True when every value of ``narrow``'s types is also valid for ``wide``'s."""
    if narrow == wide:
        return False
    expanded = set(wide) | ({"integer"} if "number" in wide else set())
    return narrow <= expanded


def _tv(types: frozenset[str]) -> Any:
    if not types:
        return MISSING
    return sorted(types)[0] if len(types) == 1 else sorted(types)


def _enum(kw: dict[str, tuple[Any, Document, str]]) -> tuple[list[Any], str] | None:
    e = kw.get("enum")
    if e is not None and isinstance(e[0], list):
        return e[0], "enum"
    c = kw.get("const")
    if c is not None:
        return [c[0]], "const"
    return None


def _h(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else _h(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x)


def _constraint(k: str, b: Any, r: Any) -> str:
    """'tighter', 'looser' or 'changed' for a change of one constraint keyword."""
    if k == "pattern":
        if b is MISSING:
            return "tighter"
        if r is MISSING:
            return "looser"
        return "changed"
    if k == "uniqueItems":
        return "tighter" if r is True else "looser"
    if k in ("exclusiveMinimum", "exclusiveMaximum") and (isinstance(b, bool) or
                                                         isinstance(r, bool)):
        if (b is MISSING or b is False) and r is True:
            return "tighter"
        if b is True and (r is MISSING or r is False):
            return "looser"
        if b is MISSING:
            return "tighter"
        if r is MISSING:
            return "looser"
        return "changed"
    if b is MISSING:
        return "tighter"
    if r is MISSING:
        return "looser"
    bn, rn = _num(b), _num(r)
    if bn is None or rn is None:
        return "changed"
    if k == "multipleOf":
        # Decimal steps (0.01, 0.05) need exact arithmetic: 0.05 % 0.01 is not 0 in floats.
        from fractions import Fraction

        try:
            bf, rf = Fraction(str(b)), Fraction(str(r))
        except (ValueError, ZeroDivisionError):
            return "changed"
        if bf and rf % bf == 0:
            return "tighter"
        if rf and bf % rf == 0:
            return "looser"
        return "changed"
    if k in MIN_KEYWORDS or k == "exclusiveMinimum":
        return "tighter" if rn > bn else "looser"
    return "tighter" if rn < bn else "looser"


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
    types = _type_set(e[0])
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


def _possible(props: dict[str, Node]) -> dict[str, Node]:
    """``props`` without those whose schema is ``false``."""
    never = [name for name, node in props.items() if node[2] is False]
    if not never:
        return props
    return {name: node for name, node in props.items() if name not in never}


def _hidden(bv: View, rv: View) -> str | None:
    """The direction a schema that is readOnly (writeOnly) on both sides is not part of."""
    ro = _on(bv, "readOnly") and _on(rv, "readOnly")
    wo = _on(bv, "writeOnly") and _on(rv, "writeOnly")
    return ("both" if wo else "request") if ro else "response" if wo else None


def _on(view: View, key: str) -> bool:
    e = view.kw.get(key)
    return e is not None and e[0] is True


def _is_ref(x: Any) -> bool:
    return isinstance(x, dict) and "$ref" in x


def _may_have_ranges(side: Side) -> bool:
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


def _component_sections(side: Side) -> dict[str, tuple[dict[str, Any], str]]:
    """Reusable parts by section: schemas, parameters, responses, headers, request bodies."""
    data = side.doc.data
    out: dict[str, tuple[dict[str, Any], str]] = {}
    if side.spec == "2.0":
        for key, section in (("definitions", "schemas"), ("parameters", "parameters"),
                             ("responses", "responses")):
            d = data.get(key)
            if isinstance(d, dict):
                out[section] = (d, "/" + key)
        return out
    comps = data.get("components")
    if isinstance(comps, dict):
        for key in ("schemas", "parameters", "responses", "headers", "requestBodies",
                    "examples", "links", "callbacks", "pathItems"):
            d = comps.get(key)
            if isinstance(d, dict):
                out[key] = (d, "/components/" + key)
    return out


def _refs_under(node: Any) -> set[str]:
    """Every ``$ref`` string under ``node`` that is a reference: not inside data values
    (enum, default, examples…) nor extensions, and not a property that happens to be named
    ``$ref`` or ``default`` (the same reading as the resolver's check)."""
    return ref_strings(node) or set()


def _ref_with_siblings(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node and len(node) > 1


def _accepts_all(node: Any) -> bool:
    return node is True or node == {}


def _bounds(kw: dict[str, tuple[Any, Document, str]]) -> dict[str, Any]:
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


def _encoding(kw: dict[str, tuple[Any, Any, str]], derive: bool = True) -> dict[str, Any]:
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


def _examples_moved(b_one: Any, b_list: Any, r_one: Any, r_list: Any) -> bool:
    """True when a schema's ``example: x`` (OpenAPI 3.0) became ``examples: [x]`` (JSON Schema,
    OpenAPI 3.1) or back: the same example, respelled."""
    return (b_list is MISSING and r_one is MISSING and b_one is not MISSING
            and r_list == [b_one]) or (
        r_list is MISSING and b_one is MISSING and r_one is not MISSING and b_list == [r_one])


def _written(kw: dict[str, Any], k: str) -> str:
    """The keyword that states ``k``'s effective value (see ``_encoding``) on one side."""
    if k != "format" or "format" in kw:
        return k
    return next((w for w in ("contentEncoding", "contentMediaType") if w in kw), k)


def _discriminator(value: Any) -> Any:
    """A mapping value may name a schema (``Cat``) or point at it: both are the same."""
    if not isinstance(value, dict) or not isinstance(value.get("mapping"), dict):
        return value
    mapping = {k: (v if not isinstance(v, str) or "/" in v or "#" in v
                   else f"#/components/schemas/{v}") for k, v in value["mapping"].items()}
    return {**value, "mapping": mapping}


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
    if kind in ("read-only-added", "read-only-removed"):
        return direction != "request"
    if kind in ("write-only-added", "write-only-removed"):
        return direction == "request"
    return False


_PROPERTY_KINDS = frozenset({"property-became-required", "property-became-optional",
                             "property-added", "property-removed"})


def _serialization(param: dict[str, Any], spec: str | None = None,
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
        style, explode = _COLLECTION_FORMATS.get(fmt, (str(fmt), False))
        if style == "form" and where not in ("query", "formData", "cookie"):
            style = "simple"  # csv in a path or header is OpenAPI 3's simple style
    if spec is None:
        out["collectionFormat"] = param.get("collectionFormat", "csv")
    if spec is None or arrays:
        out["style"], out["explode"] = style, explode
    return out


def _is_array(side: Side, param: Param) -> bool:
    """True when the parameter's value is an array (``type: array``, or a 3.1 type list)."""
    value = side.deref(param.schema)[2] if param.schema is not None else None
    kind = value.get("type") if isinstance(value, dict) else None
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


# Swagger 2.0 collectionFormat → OpenAPI 3 (style, explode) for query parameters; tsv has no
# OpenAPI 3 spelling and stays itself, so a move from or to it is reported.
_COLLECTION_FORMATS = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}


def _changed_decl(view: View, other: View, k: str, value: Any = MISSING
                  ) -> tuple[Any, Document, str]:
    """Of the declarations of ``k`` that ``view``'s allOf members make, the one a change is
    in: the first the other side does not make too (and that lists ``value``, if given)."""
    assert view.multi is not None
    theirs = other.multi.get(k) if other.multi is not None else None
    if theirs is None:
        e = other.kw.get(k)
        theirs = [e] if e is not None else []
    for d in view.multi[k]:
        if value is not MISSING and not (isinstance(d[0], list) and value in d[0]):
            continue
        if not any(d[0] == t[0] for t in theirs):
            return d
    if value is not MISSING:
        return next((d for d in view.multi[k] if isinstance(d[0], list) and value in d[0]),
                    view.kw[k])
    return view.kw[k]


def _item_where(w: Where, items: Any, value: Any) -> Where:
    """The entry of ``value`` in the list at ``w``; the list itself when it is not there."""
    if isinstance(items, list):
        for i, item in enumerate(items):
            if item == value and type(item) is type(value):
                return (w[0], jp.join(w[1], i))
    return w


def _entry(w: Where, urls: tuple[str, ...], url: str) -> Where:
    """A server's own entry when the servers are a list (not Swagger 2.0's host)."""
    if w[1].endswith("/servers") and url in urls:
        listed = _server_list(w)
        if listed is not None and url in listed:
            return (w[0], jp.join(w[1], listed[url][0]))
    return w


def _server_list(w: Where) -> dict[str, tuple[int, dict[str, Any]]] | None:
    if not w[1].endswith("/servers"):
        return None
    node = jp.walk(w[0].data, w[1], None)
    if not isinstance(node, list):
        return None
    from .normalise import server_url

    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, entry in enumerate(node):
        if isinstance(entry, dict):
            out.setdefault(server_url(entry), (i, entry))
    return out


def _alt_where(w: Where, alt: frozenset[Any]) -> Where:
    """The entry of one security alternative in the list at ``w``."""
    node = jp.walk(w[0].data, w[1], None)
    if isinstance(node, list):
        for i, entry in enumerate(node):
            if _security_set([entry]) == frozenset({alt}):
                return (w[0], jp.join(w[1], i))
    return w


def _is_null_schema(node: Any) -> bool:
    if not isinstance(node, dict) or not node:
        return False
    if set(node) - {"type", "enum", "const", "description", "title", "nullable"}:
        return False
    return node.get("type") == "null" or node.get("enum") == [None] or (
        "const" in node and node["const"] is None)


def _null_pair(members: Any) -> tuple[int, int] | None:
    """(index of the schema, index of the null member) for ``[X, null]`` in either order."""
    if not isinstance(members, list) or len(members) != 2:
        return None
    a, b = (_is_null_schema(m) for m in members)
    if a == b:
        return None
    return (1, 0) if a else (0, 1)


def _same_tags(a: Any, b: Any) -> bool:
    """Tags are a set: the same tags in another order are no change."""
    if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
        return False

    def canon(items: list[Any]) -> list[str]:
        return sorted(json.dumps(i, sort_keys=True, default=str) for i in items)

    return canon(a) == canon(b)


def _action_name(node: Any) -> str | None:
    ext = node.get("x-openstack") if isinstance(node, dict) else None
    name = ext.get("action-name") if isinstance(ext, dict) else None
    return str(name) if name is not None else None


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


def _security_set(sec: Any) -> frozenset[Any]:
    if not isinstance(sec, list):
        return frozenset()
    out = set()
    for req in sec:
        if isinstance(req, dict):
            out.add(frozenset(
                (str(k), tuple(sorted(map(str, v)) if isinstance(v, list) else ()))
                for k, v in req.items()))
    return frozenset(out)


def _requires_auth(sec: frozenset[Any]) -> bool:
    return bool(sec) and frozenset() not in sec


def _uses_scheme(sec: Any, name: str) -> bool:
    return isinstance(sec, list) and any(isinstance(r, dict) and name in r for r in sec)


def _alt(alt: frozenset[Any]) -> dict[str, list[str]]:
    return {k: list(v) for k, v in sorted(alt)}


def _alt_name(alt: frozenset[Any]) -> str:
    if not alt:
        return "(none)"
    return " + ".join(k + (f" [{', '.join(v)}]" if v else "") for k, v in sorted(alt))


_RANGE_KEYS = frozenset({"min-ver", "min_ver", "max-ver", "max_ver"})


def _range(ext: Any) -> tuple[str | None, str | None]:
    """An ``x-openstack`` range as the policy reads it (``versions.openstack_range``, values
    as text): ``min_ver`` and ``min-ver`` are one key."""
    lo, hi = openstack_range(ext)
    return (None if lo is None else str(lo), None if hi is None else str(hi))


def _extension_kind(key: str, b: Any, r: Any) -> str | None:
    """The kind of delta for extension ``key`` going from ``b`` to ``r``; None when both say
    the same. ``x-openstack`` is read: its range changing is ``openstack-range-changed``, the
    same range respelled (``min_ver`` → ``min-ver``) with the same other keys is nothing."""
    if b == r:
        return None
    if key == "x-openstack":
        if _range(b) != _range(r):
            return "openstack-range-changed"
        if isinstance(b, dict) and isinstance(r, dict) and \
                {k: v for k, v in b.items() if k not in _RANGE_KEYS} == \
                {k: v for k, v in r.items() if k not in _RANGE_KEYS}:
            return None
    return "extension-changed"


# Text fields: prose whose line breaks and indentation are layout. Data values (examples,
# enum, default, const, an Example's value) and extensions are compared exactly.
TEXT_KEYWORDS = frozenset({"description", "summary", "title"})
_DATA_KEYWORDS = frozenset({"example", "examples", "enum", "default", "const", "value"})


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
            elif k in _DATA_KEYWORDS or (isinstance(k, str) and k.startswith("x-")):
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


def _tags_named(b: Any, r: Any) -> str:
    """What changed in a list of tags, in words: ``added "compute"; removed "flavors"``.
    Operations list tag names; the document lists tag objects, whose words may be edited."""
    def names(value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if isinstance(value, list):
            for t in value:
                out.setdefault(str(t.get("name") if isinstance(t, dict) else t), t)
        return out

    def some(items: list[str]) -> str:
        shown = ", ".join(f'"{n}"' for n in items[:5])
        return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")

    bn, rn = names(b), names(r)
    parts = []
    for verb, items in (("added", [n for n in rn if n not in bn]),
                        ("removed", [n for n in bn if n not in rn]),
                        ("edited", [n for n in rn if n in bn and not _same_words(bn[n], rn[n])])):
        if items:
            parts.append(f"{verb} {some(items)}")
    return "; ".join(parts) or "the same tags, listed differently"


def _differs(key: Any, b: Any, r: Any) -> bool:
    """True when field ``key`` differs in more than the layout of its text (see ``_words``)."""
    if b == r:
        return False
    if key in TEXT_KEYWORDS and isinstance(b, str) and isinstance(r, str):
        return b.split() != r.split()
    return _words({key: b}) != _words({key: r})
