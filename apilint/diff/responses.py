"""Responses by status, their words, links and headers."""

from __future__ import annotations

from .. import pointer as jp
from ..model import MISSING
from ..normalise import Node, Operation
from .common import _differs, _extension_kind, _kw, _w
from .core import DifferCore
from .delta import Delta, Where
from .kinds import Kind


class ResponseDiffer(DifferCore):
    def _responses(self, bo: Operation, ro: Operation) -> None:
        for status in sorted(set(bo.responses) | set(ro.responses)):
            br, rr = bo.responses.get(status), ro.responses.get(status)
            ctx = f"response {status}"
            if br is None and rr is not None:
                self._hit(Delta(Kind.RESPONSE_STATUS_ADDED, None,
                                ro.response_at.get(status) or _w(rr), name=status,
                                info={"defined": _w(rr)}), ro, "response", None)
                continue
            if rr is None and br is not None:
                self._hit(Delta(Kind.RESPONSE_STATUS_REMOVED, bo.response_at.get(status) or _w(br),
                                None, name=status, info={"defined": _w(br)}), ro, "response",
                          None)
                continue
            assert br is not None and rr is not None
            bw, rw = _w(br), _w(rr)
            bresp, rresp = br[2], rr[2]
            for k in ("description",):
                if _differs(k, bresp.get(k, MISSING), rresp.get(k, MISSING)):
                    self._hit(Delta(Kind.DESCRIPTION_CHANGED, _kw(bw, bresp, k), _kw(rw, rresp, k),
                                    bresp.get(k, MISSING), rresp.get(k, MISSING), keyword=k), ro,
                              "response", ctx)
            for k in ("examples", "links"):
                if _differs(k, bresp.get(k, MISSING), rresp.get(k, MISSING)) or (
                        k == "links" and self._refs_changed(bresp.get(k), bw[0], rw[0])):
                    kind = Kind.EXAMPLE_CHANGED if k == "examples" else Kind.LINKS_CHANGED
                    kbw, krw = _kw(bw, bresp, k), _kw(rw, rresp, k)
                    if k in bresp and k in rresp and bresp[k] == rresp[k]:
                        kbw, krw = self._changed_where(kbw, krw, bresp[k], rresp[k])
                    self._hit(Delta(kind, kbw, krw, keyword=k), ro, "response", ctx)
            for k in sorted({str(x) for x in set(bresp) | set(rresp) if str(x).startswith("x-")}):
                kind = _extension_kind(k, bresp.get(k, MISSING), rresp.get(k, MISSING))
                if kind is not None:
                    self._hit(Delta(kind, _kw(bw, bresp, k), _kw(rw, rresp, k),
                                    bresp.get(k, MISSING), rresp.get(k, MISSING), keyword=k), ro,
                              "response", ctx)
            self._headers(br, rr, bo, ro, ctx)
            self._content(self.b.response_content(bo, br), self.r.response_content(ro, rr), bw,
                          rw, bo, ro, "response", ctx, bresp, rresp)


    def _headers(self, br: Node, rr: Node, bo: Operation, ro: Operation, ctx: str) -> None:
        """The headers of one response, by name (case-insensitive)."""
        bh, rh = self.b.response_headers(br), self.r.response_headers(rr)
        for hname in sorted(set(bh) | set(rh)):
            # Where the response lists the header (maybe a $ref to a shared one).
            if hname not in bh:
                name, node, _ = rh[hname]
                self._hit(Delta(Kind.HEADER_ADDED, None, _header_at(rr, name), name=name,
                                info={"required": bool(node[2].get("required")),
                                      "defined": _w(node)}), ro, "response", ctx)
            elif hname not in rh:
                name, node, _ = bh[hname]
                self._hit(Delta(Kind.HEADER_REMOVED, _header_at(br, name), None, name=name,
                                info={"defined": _w(node)}), ro, "response", ctx)
            else:
                bname, bnode, bsch = bh[hname]
                name, rnode, rsch = rh[hname]
                hctx = f"{ctx} header {name}"
                hb, hr = bnode[2], rnode[2]
                if bool(hb.get("required")) != bool(hr.get("required")):
                    kind = Kind.HEADER_BECAME_REQUIRED if hr.get("required") else \
                        Kind.HEADER_BECAME_OPTIONAL
                    self._hit(Delta(kind, _w(bnode), _w(rnode), name=name), ro, "response",
                              ctx)
                if _differs("description", hb.get("description", MISSING),
                            hr.get("description", MISSING)):
                    self._hit(Delta(Kind.DESCRIPTION_CHANGED, _kw(_w(bnode), hb, "description"),
                                    _kw(_w(rnode), hr, "description"),
                                    hb.get("description", MISSING),
                                    hr.get("description", MISSING), name=name,
                                    keyword="description"), ro, "response", hctx)
                if bool(hb.get("deprecated")) != bool(hr.get("deprecated")):
                    self._hit(Delta(Kind.HEADER_DEPRECATED if hr.get("deprecated") else
                                    Kind.HEADER_UNDEPRECATED, _w(bnode), _w(rnode), name=name),
                              ro, "response", ctx)
                self._schema_root(bsch, rsch, bo, ro, "response", hctx)

def _header_at(resp: Node, name: str) -> Where:
    """A header's entry in the response's ``headers`` (which may be a ``$ref``)."""
    return resp[0], jp.join(resp[1], "headers", name)
