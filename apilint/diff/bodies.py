"""Request bodies and the media types of any content (bodies and responses)."""

from __future__ import annotations

from typing import Any

from .. import pointer as jp
from ..equivalences import encoding
from ..model import MISSING
from ..normalise import Node, NormalisedApi, Operation
from .common import _differs, _extension_kind, _kw, _w
from .core import DifferCore
from .delta import Delta, Where
from .kinds import Kind
from .vocabulary import DOC_KEYWORDS


class BodyDiffer(DifferCore):
    def _request_body(self, bo: Operation, ro: Operation) -> None:
        if bo.body is None and ro.body is None:
            return
        if bo.body is None:
            assert ro.body is not None
            # The rule's words already say "request body": no context to repeat it.
            self._hit(Delta(Kind.REQUEST_BODY_ADDED, None, ro.body_at or _w(ro.body),
                            info={"required": ro.body_required, "defined": _w(ro.body)}), ro,
                      "request", None)
            return
        if ro.body is None:
            self._hit(Delta(Kind.REQUEST_BODY_REMOVED, bo.body_at or _w(bo.body), None,
                            info={"defined": _w(bo.body)}), ro, "request", None)
            return
        bw, rw = _w(bo.body), _w(ro.body)
        if bo.body_required != ro.body_required:
            kind = Kind.REQUEST_BODY_BECAME_REQUIRED if ro.body_required else \
                Kind.REQUEST_BODY_BECAME_OPTIONAL
            self._hit(Delta(kind, bw, rw, bo.body_required, ro.body_required), ro, "request",
                      None)
        bb, rb = bo.body[2], ro.body[2]
        # The body's own words: an OpenAPI 3 requestBody or a Swagger 2.0 body parameter.
        for k in sorted({str(x) for x in set(bb) | set(rb)}, key=str):
            if k != "description" and not k.startswith("x-"):
                continue
            kind = _extension_kind(k, bb.get(k, MISSING), rb.get(k, MISSING)) if \
                k.startswith("x-") else Kind.DESCRIPTION_CHANGED if _differs(
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
                self._hit(Delta(Kind.MEDIA_TYPE_ADDED, None, _content_where(rw, rc[media], media),
                                name=media), ro, direction, ctx)
            elif media not in rc:
                self._hit(Delta(Kind.MEDIA_TYPE_REMOVED, _content_where(bw, bc[media], media), None,
                                name=media), ro, direction, ctx)
            else:
                bs, rs = bc[media], rc[media]
                label = f"{ctx} ({media})" if len(rc) > 1 else ctx
                self._media_words(bw, rw, media, ro, direction, label, bparent, rparent)
                if bs is None and rs is not None:
                    if not (self.b.spec == "3.1" and self._raw_binary(self.r, rs, media)):
                        self._hit(Delta(Kind.SCHEMA_ADDED, None, _w(rs), name=media), ro,
                                  direction, label)
                elif rs is None and bs is not None:
                    if not (self.r.spec == "3.1" and self._raw_binary(self.b, bs, media)):
                        self._hit(Delta(Kind.SCHEMA_REMOVED, _w(bs), None, name=media), ro,
                                  direction, label)
                else:
                    self._schema_root(bs, rs, bo, ro, direction, label)

    @staticmethod
    def _raw_binary(side: NormalisedApi, schema: Node, media: str) -> bool:
        """True when ``schema`` says only "the bytes of ``media``": a binary string, which
        OpenAPI 3.1 writes as a media type with no schema at all (non-JSON media only)."""
        bare = media.split(";", 1)[0].strip()
        if bare.endswith(("/json", "+json")) or bare.startswith("text/"):
            return False
        value = side.deref(schema)[2]
        if not isinstance(value, dict) or value.get("type") != "string":
            return False
        words = {k: v for k, v in value.items() if k not in DOC_KEYWORDS}
        return encoding({k: (v, None, "") for k, v in words.items()})["format"] == "binary" \
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
            bval, rval = bm[1].get(k, MISSING), rm[1].get(k, MISSING)
            if not _differs(k, bval, rval) and not (
                    k == "examples" and self._refs_changed(bval, bw[0], rw[0])):
                continue
            if k.startswith("x-"):
                kind = _extension_kind(k, bval, rval)
                if kind is None:
                    continue
            else:
                kind = Kind.EXAMPLE_CHANGED if k in ("example", "examples") else \
                    Kind.UNCLASSIFIED_CHANGE
            kbw, krw = _kw((bw[0], bm[0]), bm[1], k), _kw((rw[0], rm[0]), rm[1], k)
            if bval == rval:  # the same text: a referenced example changed; point at it
                kbw, krw = self._changed_where(kbw, krw, bval, rval)
            self._hit(Delta(kind, kbw, krw, bval, rval, name=media, keyword=k), ro, direction, ctx)


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
