"""Parameters of one operation, matched by location and name."""

from __future__ import annotations

from ..equivalences import serialization
from ..model import MISSING
from ..normalise import NormalisedApi, Operation, Param
from .common import _differs, _extension_kind, _kw, _w
from .core import DifferCore
from .delta import Delta
from .kinds import Kind


class ParameterDiffer(DifferCore):
    def _parameters(self, bo: Operation, ro: Operation) -> None:
        for key in sorted(set(bo.params) | set(ro.params)):
            bp, rp = bo.params.get(key), ro.params.get(key)
            if rp is not None and bp is None:
                self._hit(Delta(Kind.PARAMETER_ADDED, None, rp.listed or _w(rp.node), name=rp.name,
                                info={"in": rp.location, "defined": _w(rp.node),
                                      "required": bool(rp.node[2].get("required"))}),
                          ro, "request", f"{rp.location} parameter {rp.name}")
                continue
            if bp is not None and rp is None:
                self._hit(Delta(Kind.PARAMETER_REMOVED, bp.listed or _w(bp.node), None,
                                name=bp.name, info={"in": bp.location, "defined": _w(bp.node)}),
                          ro, "request", f"{bp.location} parameter {bp.name}")
                continue
            assert bp is not None and rp is not None
            self._parameter(bp, rp, bo, ro)

    def _parameter(self, bp: Param, rp: Param, bo: Operation, ro: Operation) -> None:
        """One parameter on both sides: required, deprecated, serialization, words,
        extensions and its schema."""
        bparam, rparam = bp.node[2], rp.node[2]
        if bparam == rparam and all(
                self._clean(x, bp.node[0], rp.node[0]) for x in self._refs_in(bparam)):
            return
        ctx = f"{rp.location} parameter {rp.name}"
        bw, rw = _w(bp.node), _w(rp.node)
        info = {"in": rp.location}
        if bool(bparam.get("required")) != bool(rparam.get("required")):
            kind = Kind.PARAMETER_BECAME_REQUIRED if rparam.get("required") else \
                Kind.PARAMETER_BECAME_OPTIONAL
            self._hit(Delta(kind, _kw(bw, bparam, "required"), _kw(rw, rparam, "required"),
                            bool(bparam.get("required")), bool(rparam.get("required")),
                            name=rp.name, info=info), ro, "request", ctx)
        if bool(bparam.get("deprecated")) != bool(rparam.get("deprecated")):
            kind = Kind.PARAMETER_DEPRECATED if rparam.get("deprecated") else \
                Kind.PARAMETER_UNDEPRECATED
            self._hit(Delta(kind, bw, rw, name=rp.name, info=info), ro, "request", ctx)
        if self.b.spec == self.r.spec or "2.0" not in (self.b.spec, self.r.spec):
            bser, rser = serialization(bparam), serialization(rparam)
            shown = (bparam.get, rparam.get)
            words: tuple[dict[str, str], dict[str, str]] = ({}, {})
        else:
            # Swagger 2.0 against OpenAPI 3: collectionFormat read as style and explode,
            # and the Swagger side's difference is written in its collectionFormat.
            arrays = _is_array(self.b, bp) or _is_array(self.r, rp)
            bser = serialization(bparam, self.b.spec, arrays)
            rser = serialization(rparam, self.r.spec, arrays)
            shown = (bser.get, rser.get)
            swagger = {"style": "collectionFormat", "explode": "collectionFormat"}
            words = (swagger, {}) if self.b.spec == "2.0" else ({}, swagger)
        for k in ("style", "explode", "allowEmptyValue", "allowReserved", "collectionFormat"):
            if bser.get(k) != rser.get(k):
                self._hit(Delta(Kind.PARAMETER_SERIALIZATION_CHANGED,
                                _kw(bw, bparam, words[0].get(k, k)),
                                _kw(rw, rparam, words[1].get(k, k)),
                                shown[0](k, MISSING), shown[1](k, MISSING),
                                name=rp.name, keyword=k, info=info), ro, "request", ctx)
        for k in ("description", "example", "examples"):
            bval, rval = bparam.get(k, MISSING), rparam.get(k, MISSING)
            if _differs(k, bval, rval) or (
                    k == "examples" and self._refs_changed(bval, bw[0], rw[0])):
                kind = Kind.DESCRIPTION_CHANGED if k == "description" else Kind.EXAMPLE_CHANGED
                kbw, krw = _kw(bw, bparam, k), _kw(rw, rparam, k)
                if bval == rval:  # a referenced example changed
                    kbw, krw = self._changed_where(kbw, krw, bval, rval)
                self._hit(Delta(kind, kbw, krw, bval, rval, name=rp.name, keyword=k,
                                info=info), ro, "request", ctx)
        for k in sorted({str(x) for x in set(bparam) | set(rparam) if str(x).startswith("x-")}):
            kind = _extension_kind(k, bparam.get(k, MISSING), rparam.get(k, MISSING))
            if kind is not None:
                if k == "x-nullable" and bp.schema is not None:
                    continue  # compared as the schema's nullability
                self._hit(Delta(kind, _kw(bw, bparam, k), _kw(rw, rparam, k),
                                bparam.get(k, MISSING), rparam.get(k, MISSING), name=rp.name,
                                keyword=k, info=info),
                          ro, "request", ctx)
        self._schema_root(bp.schema, rp.schema, bo, ro, "request", ctx)


def _is_array(side: NormalisedApi, param: Param) -> bool:
    """True when the parameter's value is an array (``type: array``, or a 3.1 type list)."""
    value = side.deref(param.schema)[2] if param.schema is not None else None
    kind = value.get("type") if isinstance(value, dict) else None
    return kind == "array" or (isinstance(kind, list) and "array" in kind)
