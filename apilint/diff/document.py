"""The document as a whole: info, spec version, servers, security schemes, tags, and the
components no operation uses."""

from __future__ import annotations

import json
from typing import Any

from .. import pointer as jp
from ..errors import InputError
from ..loader import Document
from ..model import MISSING
from ..normalise import NormalisedApi, Operation
from .common import _differs, _extension_kind, _kw, _refs_under, _same_words, _strip_doc, _w, _words
from .core import DifferCore
from .delta import Delta, Hit, Where
from .kinds import Kind


class DocumentDiffer(DifferCore):
    def _document(self) -> None:
        """What the document says outside its operations, in report order."""
        self._info()
        self._spec_version()
        (bs, bptr), (rs, rptr) = self.b.servers(), self.r.servers()
        self._servers(bs, rs, (self.b.doc, bptr), (self.r.doc, rptr), None)
        self._security_schemes()
        self._top_level_words()

    def _info(self) -> None:
        """``info``: everything but the version is documentation."""
        bd, rd = self.b.doc.data, self.r.doc.data
        bdoc, rdoc = self.b.doc, self.r.doc
        binfo, rinfo = bd.get("info") or {}, rd.get("info") or {}
        if isinstance(binfo, dict) and isinstance(rinfo, dict):
            for k in sorted(set(binfo) | set(rinfo), key=str):
                if k == "version":
                    continue
                bval, rval = binfo.get(k, MISSING), rinfo.get(k, MISSING)
                ext = str(k).startswith("x-")
                differs, bw, rw = self._field_differs(
                    (bdoc, jp.join("/info", k) if bval is not MISSING else "/info"),
                    (rdoc, jp.join("/info", k) if rval is not MISSING else "/info"), bval, rval,
                    ext, key=k)
                if differs:
                    kind = Kind.EXTENSION_CHANGED if ext else Kind.INFO_CHANGED
                    self.hits.append(Hit(Delta(kind, bw, rw, bval, rval, keyword=str(k)), None,
                                         None, None, None))

    def _spec_version(self) -> None:
        """``openapi`` (or ``swagger``) names another version of the specification."""
        bd, rd = self.b.doc.data, self.r.doc.data
        bdoc, rdoc = self.b.doc, self.r.doc
        if str(bd.get("openapi", bd.get("swagger"))) != str(rd.get("openapi", rd.get("swagger"))):
            key = "openapi" if "openapi" in rd else "swagger"
            self.hits.append(Hit(Delta(
                Kind.SPEC_VERSION_CHANGED,
                (bdoc, "/" + ("openapi" if "openapi" in bd else "swagger")),
                (rdoc, "/" + key), bd.get("openapi", bd.get("swagger")),
                rd.get("openapi", rd.get("swagger"))), None, None, None, None))

    def _security_schemes(self) -> None:
        """Security schemes by name; one kept in a file of its own is compared (and placed)
        there."""
        (bss, _), (rss, _) = self.b.security_schemes(), self.r.security_schemes()
        if isinstance(bss, dict) and isinstance(rss, dict):
            # A scheme may be a $ref to a file of its own: compared (and placed) there.
            bnodes, rnodes = self.b.security_scheme_nodes(), self.r.security_scheme_nodes()
            for name in sorted(set(bss) | set(rss), key=str):
                bn, rn = bnodes.get(name), rnodes.get(name)
                bval = bn[2] if bn is not None else MISSING
                rval = rn[2] if rn is not None else MISSING
                if _same_words(bval, rval):
                    continue
                bw = _w(bn) if bn is not None else None
                rw = _w(rn) if rn is not None else None
                kind = (Kind.SECURITY_SCHEME_ADDED if bval is MISSING else
                        Kind.SECURITY_SCHEME_REMOVED if rval is MISSING else
                        Kind.SECURITY_SCHEME_CHANGED)
                if kind == Kind.SECURITY_SCHEME_CHANGED and _strip_doc(bval) == _strip_doc(rval):
                    for k in sorted(set(bval) | set(rval), key=str):  # words only: say which
                        if _differs(k, bval.get(k, MISSING), rval.get(k, MISSING)):
                            assert bw is not None and rw is not None
                            self._scheme_hits(Delta(
                                Kind.DESCRIPTION_CHANGED, _kw(bw, bval, k), _kw(rw, rval, k),
                                bval.get(k, MISSING), rval.get(k, MISSING), name=str(name),
                                keyword=str(k)), str(name))
                    continue
                self._scheme_hits(Delta(kind, bw, rw, bval, rval, name=str(name)), str(name))

    def _top_level_words(self) -> None:
        """Top-level tags, externalDocs and extensions: documentation."""
        bd, rd = self.b.doc.data, self.r.doc.data
        bdoc, rdoc = self.b.doc, self.r.doc
        for k in sorted(set(bd) | set(rd), key=str):
            ks = str(k)
            if ks in ("tags", "externalDocs") or ks.startswith("x-"):
                bval, rval = bd.get(k, MISSING), rd.get(k, MISSING)
                if bval == rval:
                    continue
                if ks.startswith("x-"):
                    differs, bw, rw = self._field_differs(
                        (bdoc, jp.join("", k) if bval is not MISSING else ""),
                        (rdoc, jp.join("", k) if rval is not MISSING else ""), bval, rval, True)
                    kind = _extension_kind(ks, bval, rval) if differs else None
                elif ks == "tags":
                    bw = (bdoc, jp.join("", k) if bval is not MISSING else "")
                    rw = (rdoc, jp.join("", k) if rval is not MISSING else "")
                    kind = None if _same_tags(_words(bval), _words(rval)) else Kind.TAGS_CHANGED
                else:
                    differs, bw, rw = self._field_differs(
                        (bdoc, jp.join("", k) if bval is not MISSING else ""),
                        (rdoc, jp.join("", k) if rval is not MISSING else ""), bval, rval, key=k)
                    kind = Kind.DESCRIPTION_CHANGED if differs else None
                if kind is not None:
                    self.hits.append(Hit(Delta(
                        kind, bw, rw, bval, rval, keyword=str(k),
                        name=_tags_named(bval, rval) if kind == Kind.TAGS_CHANGED else None),
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
            emit(Delta(Kind.SERVER_REMOVED, _entry(bw, bs, url), None, before=url, name=url))
        for url in sorted(set(rs) - set(bs)):
            emit(Delta(Kind.SERVER_ADDED, None, _entry(rw, rs, url), after=url, name=url))
        # Same URL, other words around it: descriptions are documentation, variables are not.
        blist, rlist = _server_list(bw), _server_list(rw)
        for url in sorted(set(bs) & set(rs)):
            if blist is None or rlist is None:
                break
            be, re_ = blist.get(url), rlist.get(url)
            if be is None or re_ is None or be[1] == re_[1]:
                continue
            for k in sorted(set(be[1]) | set(re_[1]), key=str):
                bval, rval = be[1].get(k, MISSING), re_[1].get(k, MISSING)
                if k == "url" or not _differs(k, bval, rval):
                    continue
                if str(k).startswith("x-"):
                    kind = _extension_kind(str(k), bval, rval)
                    if kind is None:
                        continue
                else:
                    kind = Kind.DESCRIPTION_CHANGED if k == "description" else \
                        Kind.UNCLASSIFIED_CHANGE
                emit(Delta(kind, (bw[0], jp.join(bw[1], be[0], k)),
                           (rw[0], jp.join(rw[1], re_[0], k)), bval, rval, name=url,
                           keyword=str(k)))

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
                bval, rval = bcomp.get(name, MISSING), rcomp.get(name, MISSING)
                if not _same_words(bval, rval):
                    candidates.append((section, name, (bval, rval), bp, rp))
        if not candidates:
            return
        breach, rreach = self._reachable(self.b), self._reachable(self.r)
        for section, name, (bval, rval), bp, rp in candidates:
            if self._used(self.b, bp, bval, breach) or self._used(self.r, rp, rval, rreach):
                continue  # used, and unchanged where the walk went: nothing to say
            kind = (Kind.UNUSED_COMPONENT_ADDED if bval is MISSING else
                    Kind.UNUSED_COMPONENT_REMOVED if rval is MISSING else
                    Kind.UNUSED_COMPONENT_CHANGED)
            self.hits.append(Hit(Delta(
                kind, (self.b.doc, bp) if bval is not MISSING else None,
                (self.r.doc, rp) if rval is not MISSING else None, name=str(name),
                keyword=section), None, None, None, None))

    def _used(self, side: NormalisedApi, ptr: str, value: Any, reach: set[tuple[int, str]]) -> bool:
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

    def _reachable(self, side: NormalisedApi) -> set[tuple[int, str]]:
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
    from ..normalise import server_url

    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, entry in enumerate(node):
        if isinstance(entry, dict):
            out.setdefault(server_url(entry), (i, entry))
    return out


def _component_sections(side: NormalisedApi) -> dict[str, tuple[dict[str, Any], str]]:
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


def _same_tags(a: Any, b: Any) -> bool:
    """Tags are a set: the same tags in another order are no change."""
    if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
        return False

    def canon(items: list[Any]) -> list[str]:
        return sorted(json.dumps(i, sort_keys=True, default=str) for i in items)

    return canon(a) == canon(b)


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


def _alt_where(w: Where, alt: frozenset[Any]) -> Where:
    """The entry of one security alternative in the list at ``w``."""
    node = jp.walk(w[0].data, w[1], None)
    if isinstance(node, list):
        for i, entry in enumerate(node):
            if _security_set([entry]) == frozenset({alt}):
                return (w[0], jp.join(w[1], i))
    return w
