"""One operation against its counterpart: its own fields, its path item's words, security,
servers and callbacks; parameters, bodies and responses are compared by their modules."""

from __future__ import annotations

from .. import pointer as jp
from ..model import MISSING
from ..normalise import Operation
from .common import _differs, _extension_kind, _kw, _same_words, _strip_doc, _w
from .core import DifferCore
from .delta import Delta
from .document import (
    _alt,
    _alt_name,
    _alt_where,
    _requires_auth,
    _same_tags,
    _security_set,
    _tags_named,
)
from .kinds import Kind


class OperationDiffer(DifferCore):
    def _operation(self, bo: Operation, ro: Operation) -> None:
        bdoc, bptr, bn = bo.node
        rdoc, rptr, rn = ro.node
        bw, rw = (bdoc, bptr), (rdoc, rptr)
        # scalar operation fields
        if bool(bn.get("deprecated")) != bool(rn.get("deprecated")):
            kind = Kind.OPERATION_DEPRECATED if rn.get("deprecated") else \
                Kind.OPERATION_UNDEPRECATED
            self._hit(Delta(kind, bw, rw, bn.get("deprecated", False), rn.get("deprecated", False)),
                      ro, None, None)
        for k in ("summary", "description", "operationId", "tags", "externalDocs"):
            bval, rval = bn.get(k, MISSING), rn.get(k, MISSING)
            if not _differs(k, bval, rval) and type(bval) is not dict or (
                    k == "tags" and bval != rval and _same_tags(bval, rval)):
                continue
            differs, kbw, krw = self._field_differs(_kw(bw, bn, k), _kw(rw, rn, k), bval, rval,
                                                    key=k)
            if differs:
                kind = {"operationId": Kind.OPERATION_ID_CHANGED, "tags": Kind.TAGS_CHANGED}.get(
                    k, Kind.DESCRIPTION_CHANGED)
                self._hit(Delta(kind, kbw, krw, bval, rval, keyword=k,
                                name=_tags_named(bval, rval) if k == "tags" else None),
                          ro, None, None)
        for k in sorted(set(bn) | set(rn), key=str):
            ks = str(k)
            if ks.startswith("x-"):
                bval, rval = bn.get(k, MISSING), rn.get(k, MISSING)
                if bval == rval:
                    # Extensions are data: a $ref in one (x-codeSamples) is followed only to
                    # tell a respelled reference from a changed one, not to compare its file.
                    continue
                differs, kbw, krw = self._field_differs(_kw(bw, bn, k), _kw(rw, rn, k), bval, rval,
                                                        data=True)
                kind = _extension_kind(ks, bval, rval) if differs else None
                if kind is None:
                    continue
                self._hit(Delta(kind, kbw, krw, bval, rval, keyword=ks), ro, None, None)
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
                self._hit(Delta(Kind.SECURITY_ADDED, bsw, rsw, bo.security, ro.security), ro,
                          "request", "security")
            elif _requires_auth(bsec) and not _requires_auth(rsec):
                self._hit(Delta(Kind.SECURITY_REMOVED, bsw, rsw, bo.security, ro.security), ro,
                          "request", "security")
            else:
                for alt in sorted(rsec - bsec, key=repr):
                    self._hit(Delta(Kind.SECURITY_ALTERNATIVE_ADDED, None, _alt_where(rsw, alt),
                                    after=_alt(alt), name=_alt_name(alt)), ro, "request",
                              "security")
                for alt in sorted(bsec - rsec, key=repr):
                    self._hit(Delta(Kind.SECURITY_ALTERNATIVE_REMOVED, _alt_where(bsw, alt), None,
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
            bval, rval = bi.get(k, MISSING), ri.get(k, MISSING)
            if bval == rval:
                continue
            if k in ("summary", "description"):
                kind = Kind.DESCRIPTION_CHANGED if _differs(k, bval, rval) else None
            elif k.startswith("x-"):
                kind = _extension_kind(k, bval, rval)
            else:
                continue
            if kind is not None:
                self._hit(Delta(kind, _kw(bw, bi, k), _kw(rw, ri, k), bval, rval, keyword=k), ro,
                          None, "path item")

    def _callbacks(self, bo: Operation, ro: Operation) -> None:
        bdoc, bptr, bn = bo.node
        rdoc, rptr, rn = ro.node
        bcb, rcb = bn.get("callbacks") or {}, rn.get("callbacks") or {}
        for name in sorted(set(bcb) | set(rcb), key=str):
            bval, rval = bcb.get(name, MISSING), rcb.get(name, MISSING)
            if bval == rval and not self._refs_changed(bval, bdoc, rdoc):
                continue
            bw = (bdoc, jp.join(bptr, "callbacks", name)) if bval is not MISSING else None
            rw = (rdoc, jp.join(rptr, "callbacks", name)) if rval is not MISSING else None
            kind = (Kind.CALLBACK_ADDED if bval is MISSING else
                    Kind.CALLBACK_REMOVED if rval is MISSING else Kind.CALLBACK_CHANGED)
            keyword = "callbacks"
            if kind == Kind.CALLBACK_CHANGED:
                assert bw is not None and rw is not None
                bx, rx = self._expand(self.b, bw, bval), self._expand(self.r, rw, rval)
                if _same_words(bx, rx):
                    continue  # the same words, wrapped differently
                if _strip_doc(bx) == _strip_doc(rx):
                    kind = Kind.DESCRIPTION_CHANGED  # only words inside the callback changed
                if kind == Kind.DESCRIPTION_CHANGED:
                    bw, rw = self._changed_where(bw, rw, bval, rval)
                    keyword = jp.split(rw[1])[-1]
                else:
                    # A callback kept in a file of its own: point at that file.
                    _, bw, rw = self._field_differs(bw, rw, bval, rval)
            self._hit(Delta(kind, bw, rw, name=str(name), keyword=keyword), ro, None, None)
