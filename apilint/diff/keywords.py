"""Schema keywords compared by small functions registered in one table.

``COMPARERS`` lists, in the order their deltas are reported, which keywords each comparer
reads; ``HANDLED`` (every keyword some comparer reads, plus those the view reads itself) is
derived from it, and a keyword in neither still surfaces through ``unknown_keywords``.

To compare a new keyword: write ``def name(c: Compared) -> None`` that reads ``c.bkw`` and
``c.rkw`` and calls ``c.add(Delta(Kind.…, …))``, and register it with ``@compares("kw", …)``
at the place in the order its deltas should come.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import pointer as jp
from ..equivalences import bounds_31, encoding, examples_moved, types_and_nullability
from ..model import MISSING, json_type
from ..normalise import Node
from .common import _differs, _extension_kind, _h, _item_where, _short, _v, _w
from .delta import Decl, Delta, Where
from .kinds import Kind
from .view import View, _changed_decl, _num
from .vocabulary import (
    DOC_KEYWORDS,
    MAX_KEYWORDS,
    MIN_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
    SUBSCHEMA_KEYWORDS,
    _vocabulary,
)

if TYPE_CHECKING:
    from .schema import Pair, SchemaDiffer

KeywordMap = dict[str, Decl]


class Compared:
    """One schema pair being compared: both views (type-inapplicable keywords dropped), their
    keywords, and where to put the deltas. ``open_enums`` is set by the
    ``x-extensible-enum`` comparer for the extension comparer after it."""

    __slots__ = ("differ", "pair", "bview", "rview", "bkw", "rkw", "add", "open_enums")

    def __init__(self, differ: SchemaDiffer, pair: Pair, bview: View, rview: View) -> None:
        self.differ = differ
        self.pair = pair
        self.bview = bview
        self.rview = rview
        self.bkw: KeywordMap = bview.kw
        self.rkw: KeywordMap = rview.kw
        self.add = pair.deltas.append
        self.open_enums = False

    def where(self, view: View, k: str) -> Where:
        """Where ``view`` states keyword ``k`` (the schema itself when it does not)."""
        e = view.kw.get(k)
        if e is None:
            return view.doc, view.ptr
        if view.multi is not None and k in view.multi:
            d = _changed_decl(view, self.rview if view is self.bview else self.bview, k)
            return d.doc, d.ptr
        return e.doc, e.ptr

    def item(self, view: View, k: str, value: Any) -> Where:
        """The entry of ``value`` in the list ``k`` that says it (enum, required)."""
        e = view.kw[k]
        if view.multi is not None and k in view.multi:
            e = _changed_decl(view, self.rview if view is self.bview else self.bview, k, value)
        return _item_where((e.doc, e.ptr), e.value, value)

    def listed(self, view: View, name: str) -> Where:
        """Where ``name`` is made required: its entry in ``required``."""
        if view.required_at is not None and name in view.required_at:
            return view.required_at[name]
        return _item_where(self.where(view, "required"), _val("required", view.kw), name)


Comparer = Callable[[Compared], None]
# (keywords read, comparer), in report order.
COMPARERS: list[tuple[frozenset[str], Comparer]] = []


def compares(*keywords: str | frozenset[str]) -> Callable[[Comparer], Comparer]:
    """Register a comparer for ``keywords`` (names, or sets of names) at the end of the
    table."""
    names: set[str] = set()
    for k in keywords:
        names |= {k} if isinstance(k, str) else k

    def register(fn: Comparer) -> Comparer:
        COMPARERS.append((frozenset(names), fn))
        return fn

    return register


def _val(k: str, kw: KeywordMap) -> Any:
    e = kw.get(k)
    return e.value if e is not None else MISSING


@compares("type", "nullable", "x-nullable")
def type_and_nullability(c: Compared) -> None:
    bk, rk, bview, rview, add = c.bkw, c.rkw, c.bview, c.rview, c.add
    bt, bnull = types_and_nullability(bk)
    rt, rnull = types_and_nullability(rk)
    # `type: "null"` alone is a type of its own, not "any type, nullable".
    only_null_b = not bt and bnull and "type" in bk
    only_null_r = not rt and rnull and "type" in rk
    if (only_null_b and rt and rnull) or (only_null_r and bt and bnull):
        # null <-> [x, null]: the null-only side accepts a subset of the other.
        shown_b = _tv(bt | {"null"}) if bt else "null"
        shown_r = _tv(rt | {"null"}) if rt else "null"
        add(Delta(Kind.CONSTRAINT_LOOSENED if only_null_b else Kind.CONSTRAINT_TIGHTENED,
                  c.where(bview, "type"), c.where(rview, "type"), shown_b, shown_r,
                  keyword="type"))
        bt, bnull, rt, rnull = rt, rnull, rt, rnull  # said: nothing more to compare
    elif only_null_r and bt:
        rt, rnull = frozenset({"null"}), bnull
    elif only_null_b and rt:
        bt, bnull = frozenset({"null"}), rnull
    if bt != rt and not (_pinned(bk, rt) if not bt else _pinned(rk, bt) if not rt
                         else False):
        if bt and rt and not (_widens(bt, rt) or _widens(rt, bt)):
            kind = Kind.TYPE_CHANGED
        elif not rt or (bt and _widens(bt, rt)):
            # No `type` accepts every type: removing it loosens, adding it tightens.
            kind = Kind.CONSTRAINT_LOOSENED
        else:
            kind = Kind.CONSTRAINT_TIGHTENED
        add(Delta(kind, c.where(bview, "type"), c.where(rview, "type"), _tv(bt), _tv(rt),
                  keyword="type"))
    if bnull != rnull:
        k = "nullable" if "nullable" in rk or "nullable" in bk else (
            "x-nullable" if "x-nullable" in rk or "x-nullable" in bk else "type")
        add(Delta(Kind.NULLABLE_ADDED if rnull else Kind.NULLABLE_REMOVED, c.where(bview, k),
                  c.where(rview, k), bnull, rnull, keyword=k))


@compares("format", "contentMediaType", "contentEncoding")
def format_and_content(c: Compared) -> None:
    """``format``, and the content keywords that spell some formats in 3.1."""
    bk, rk = c.bkw, c.rkw
    derive = ("format" in bk) != ("format" in rk)
    benc, renc = encoding(bk, derive), encoding(rk, derive)
    for k in ("format", "contentMediaType", "contentEncoding"):
        if benc[k] != renc[k]:
            c.add(Delta(Kind.FORMAT_CHANGED, c.where(c.bview, _written(bk, k)),
                        c.where(c.rview, _written(rk, k)), benc[k], renc[k], keyword=k))


@compares("enum", "const")
def enum_and_const(c: Compared) -> None:
    bview, rview, add = c.bview, c.rview, c.add
    benum, renum = _enum(c.bkw), _enum(c.rkw)
    if benum is not None and renum is not None:
        bset, rset = {_h(x): x for x in benum[0]}, {_h(x): x for x in renum[0]}
        # Each value points at its own entry, so two values never share a fingerprint.
        for h in sorted(set(rset) - set(bset)):
            add(Delta(Kind.ENUM_VALUE_ADDED, c.where(bview, benum[1]),
                      c.item(rview, renum[1], rset[h]), after=rset[h], name=_short(rset[h]),
                      keyword=renum[1]))
        for h in sorted(set(bset) - set(rset)):
            add(Delta(Kind.ENUM_VALUE_REMOVED, c.item(bview, benum[1], bset[h]), None,
                      before=bset[h], name=_short(bset[h]), keyword=benum[1]))
    elif benum is None and renum is not None:
        add(Delta(Kind.CONSTRAINT_TIGHTENED, (bview.doc, bview.ptr), c.where(rview, renum[1]),
                  MISSING, renum[0], keyword=renum[1]))
    elif benum is not None and renum is None:
        add(Delta(Kind.CONSTRAINT_LOOSENED, c.where(bview, benum[1]), (rview.doc, rview.ptr),
                  benum[0], MISSING, keyword=benum[1]))


@compares("x-extensible-enum")
def extensible_enum(c: Compared) -> None:
    """x-extensible-enum (Zalando guidelines): the values known today of an open set."""
    bvals, rvals = _val("x-extensible-enum", c.bkw), _val("x-extensible-enum", c.rkw)
    c.open_enums = isinstance(bvals, list) and isinstance(rvals, list)
    if c.open_enums and bvals != rvals:
        bset, rset = {_h(x): x for x in bvals}, {_h(x): x for x in rvals}
        for h in sorted(set(rset) - set(bset)):
            c.add(Delta(Kind.EXTENSIBLE_ENUM_VALUE_ADDED, c.where(c.bview, "x-extensible-enum"),
                        c.item(c.rview, "x-extensible-enum", rset[h]), after=rset[h],
                        name=_short(rset[h]), keyword="x-extensible-enum"))
        for h in sorted(set(bset) - set(rset)):
            c.add(Delta(Kind.EXTENSIBLE_ENUM_VALUE_REMOVED,
                        c.item(c.bview, "x-extensible-enum", bset[h]), None, before=bset[h],
                        name=_short(bset[h]), keyword="x-extensible-enum"))


@compares("default")
def default(c: Compared) -> None:
    bdefault, rdefault = _val("default", c.bkw), _val("default", c.rkw)
    if bdefault != rdefault:
        c.add(Delta(Kind.DEFAULT_CHANGED, c.where(c.bview, "default"),
                    c.where(c.rview, "default"), bdefault, rdefault, keyword="default"))


_BOUNDS = MIN_KEYWORDS | MAX_KEYWORDS | {"exclusiveMinimum", "exclusiveMaximum", "multipleOf",
                                         "uniqueItems", "pattern"}
_SORTED_BOUNDS = sorted(_BOUNDS)


@compares(_BOUNDS)
def bounds(c: Compared) -> None:
    """Numeric and size constraints, ``uniqueItems`` and ``pattern``."""
    bk, rk = c.bkw, c.rkw
    bb, rb = bounds_31(bk), bounds_31(rk)
    for k in _SORTED_BOUNDS:
        bval, rval = bb.get(k, _val(k, bk)), rb.get(k, _val(k, rk))
        if bval == rval:
            continue
        verdict = _constraint(k, bval, rval)
        kind = {"tighter": Kind.CONSTRAINT_TIGHTENED,
                "looser": Kind.CONSTRAINT_LOOSENED}.get(
            verdict, Kind.PATTERN_CHANGED if k == "pattern" else Kind.CONSTRAINT_CHANGED)
        c.add(Delta(kind, c.where(c.bview, k), c.where(c.rview, k), bval, rval, keyword=k))


_FLAGS = (("readOnly", Kind.READ_ONLY_ADDED, Kind.READ_ONLY_REMOVED),
          ("writeOnly", Kind.WRITE_ONLY_ADDED, Kind.WRITE_ONLY_REMOVED),
          ("deprecated", Kind.SCHEMA_DEPRECATED, Kind.SCHEMA_UNDEPRECATED))


@compares("readOnly", "writeOnly", "deprecated")
def flags(c: Compared) -> None:
    for k, on, off in _FLAGS:
        bflag, rflag = bool(_val(k, c.bkw)), bool(_val(k, c.rkw))
        if bflag != rflag:
            c.add(Delta(on if rflag else off, c.where(c.bview, k), c.where(c.rview, k), bflag,
                        rflag, keyword=k))


_SORTED_DOC = sorted(DOC_KEYWORDS)


@compares(DOC_KEYWORDS)
def documentation(c: Compared) -> None:
    bk, rk, bview, rview = c.bkw, c.rkw, c.bview, c.rview
    moved = examples_moved(_val("example", bk), _val("examples", bk),
                            _val("example", rk), _val("examples", rk))
    for k in _SORTED_DOC:
        bval, rval = _val(k, bk), _val(k, rk)
        kind = Kind.EXAMPLE_CHANGED if k in ("example", "examples") else \
            Kind.DESCRIPTION_CHANGED
        if bval != rval and _differs(k, bval, rval) and \
                not (moved and k in ("example", "examples")):
            c.add(Delta(kind, c.where(bview, k), c.where(rview, k), bval, rval, keyword=k))
        elif bview.multi is not None and rview.multi is not None and k in bview.multi and \
                k in rview.multi and len(bview.multi[k]) == len(rview.multi[k]):
            # The outermost text wins for the whole schema, but the words of an allOf
            # member (a component of its own) were edited too: that is a doc change.
            for bdecl, rdecl in zip(bview.multi[k], rview.multi[k], strict=True):
                if _differs(k, bdecl.value, rdecl.value):
                    c.add(Delta(kind, (bdecl.doc, bdecl.ptr), (rdecl.doc, rdecl.ptr),
                                bdecl.value, rdecl.value, keyword=k))


@compares()  # every x- keyword but those read above (x-nullable, an open x-extensible-enum)
def extensions(c: Compared) -> None:
    bk, rk = c.bkw, c.rkw
    for k in sorted({str(x) for x in set(bk) | set(rk) if str(x).startswith("x-")}):
        if k == "x-nullable" or (k == "x-extensible-enum" and c.open_enums):
            continue  # read above as nullability, as an open enum
        bval, rval = _val(k, bk), _val(k, rk)
        kind = _extension_kind(k, bval, rval) if bval != rval else None
        if kind is not None:
            c.add(Delta(kind, c.where(c.bview, k), c.where(c.rview, k), bval, rval, keyword=k))


@compares("discriminator")
def discriminator(c: Compared) -> None:
    bval, rval = _val("discriminator", c.bkw), _val("discriminator", c.rkw)
    if _discriminator(bval) != _discriminator(rval):
        c.add(Delta(Kind.DISCRIMINATOR_CHANGED, c.where(c.bview, "discriminator"),
                    c.where(c.rview, "discriminator"), bval, rval, keyword="discriminator"))


@compares("properties", "required")
def properties(c: Compared) -> None:
    """Properties and ``required``; a property whose schema is ``false`` can never be present:
    it is read as absent, so dropping one is no change."""
    differ, bview, rview, add = c.differ, c.bview, c.rview, c.add
    bprops, rprops = _possible(bview.props), _possible(rview.props)
    for name in sorted(set(bprops) | set(rprops)):
        bprop, rprop = bprops.get(name), rprops.get(name)
        if bprop is None and rprop is not None:
            add(Delta(Kind.PROPERTY_ADDED, None, _w(rprop), name=name,
                      info={"required": name in rview.required,
                            **differ._flags(differ.r, rprop)}))
        elif rprop is None and bprop is not None:
            add(Delta(Kind.PROPERTY_REMOVED, _w(bprop), None, name=name,
                      info={"required": name in bview.required,
                            **differ._flags(differ.b, bprop)}))
        elif bprop is not None and rprop is not None:
            if (name in bview.required) != (name in rview.required):
                # Point at the name in `required` where it is listed, at the property
                # where it is not, so each name has its own location.
                now = name in rview.required
                add(Delta(Kind.PROPERTY_BECAME_REQUIRED if now else
                          Kind.PROPERTY_BECAME_OPTIONAL,
                          c.listed(bview, name) if not now else _w(bprop),
                          c.listed(rview, name) if now else _w(rprop), name=name,
                          info=differ._flags(differ.r, rprop)))
            child = differ.schema(bprop, rprop)
            if child is not None:
                differ._link(c.pair, child)
    # `required` may name properties that `properties` does not declare
    for name in sorted((bview.required ^ rview.required) - set(bview.props)
                       - set(rview.props)):
        now = name in rview.required
        add(Delta(Kind.PROPERTY_BECAME_REQUIRED if now else Kind.PROPERTY_BECAME_OPTIONAL,
                  c.listed(bview, name), c.listed(rview, name) if now
                  else c.where(rview, "required"), name=name, info={}))


_SINGLE = ("items", "additionalItems", *sorted(SUBSCHEMA_KEYWORDS - {"additionalItems"}))


@compares(*_SINGLE)
def single_subschemas(c: Compared) -> None:
    """``items`` and the keywords that hold one subschema (``not``, ``contains``…)."""
    differ, bview, rview = c.differ, c.bview, c.rview
    for k in _SINGLE:
        bdecl, rdecl = c.bkw.get(k), c.rkw.get(k)
        if bdecl is None and rdecl is None:
            continue
        if k == "items" and (isinstance(_v(bdecl), list) or isinstance(_v(rdecl), list)):
            differ._schema_list(c.pair, "items", bdecl, rdecl, bview, rview)
            continue
        if bdecl is not None and rdecl is not None and isinstance(bdecl.value, dict) and \
                isinstance(rdecl.value, dict):
            child = differ.schema((bdecl.doc, bdecl.ptr, bdecl.value),
                                  (rdecl.doc, rdecl.ptr, rdecl.value))
            if child is not None:
                differ._link(c.pair, child)
        elif _v(bdecl) != _v(rdecl):
            if k == "items" and "capture" in (bview.doc.format, rview.doc.format):
                continue  # an empty recorded array shows no item shape: not a change
            kind = Kind.CONSTRAINT_CHANGED
            if k == "items":
                kind = Kind.SCHEMA_ADDED if bdecl is None else Kind.SCHEMA_REMOVED \
                    if rdecl is None else Kind.SCHEMA_REPLACED
            c.add(Delta(kind, c.where(bview, k), c.where(rview, k), _v(bdecl, MISSING),
                        _v(rdecl, MISSING), keyword=k))


@compares("additionalProperties")
def additional_properties(c: Compared) -> None:
    c.differ._additional(c.pair, c.bview, c.rview)


_SORTED_MAPS = sorted(SCHEMA_MAP_KEYWORDS)


@compares(SCHEMA_MAP_KEYWORDS)
def schema_maps(c: Compared) -> None:
    """``patternProperties`` and ``dependentSchemas``: maps of names to subschemas."""
    differ = c.differ
    for k in _SORTED_MAPS:
        bdecl, rdecl = c.bkw.get(k), c.rkw.get(k)
        if bdecl is None and rdecl is None:
            continue
        bmap = bdecl.value if bdecl and isinstance(bdecl.value, dict) else {}
        rmap = rdecl.value if rdecl and isinstance(rdecl.value, dict) else {}
        for sub in sorted(set(bmap) | set(rmap), key=str):
            if sub in bmap and sub in rmap:
                assert bdecl is not None and rdecl is not None
                child = differ.schema((bdecl.doc, jp.join(bdecl.ptr, sub), bmap[sub]),
                                      (rdecl.doc, jp.join(rdecl.ptr, sub), rmap[sub]))
                if child is not None:
                    differ._link(c.pair, child)
            else:
                c.add(Delta(Kind.PROPERTY_ADDED if sub in rmap else Kind.PROPERTY_REMOVED,
                            (bdecl.doc, jp.join(bdecl.ptr, sub))
                            if bdecl and sub in bmap else None,
                            (rdecl.doc, jp.join(rdecl.ptr, sub))
                            if rdecl and sub in rmap else None,
                            name=f"{k}[{sub}]", info={"required": False}))


@compares("prefixItems")
def prefix_items(c: Compared) -> None:
    if "prefixItems" in c.bkw or "prefixItems" in c.rkw:
        c.differ._schema_list(c.pair, "prefixItems", c.bkw.get("prefixItems"),
                              c.rkw.get("prefixItems"), c.bview, c.rview)


@compares("oneOf", "anyOf")
def variants(c: Compared) -> None:
    for k in ("oneOf", "anyOf"):
        if k in c.bkw or k in c.rkw:
            c.differ._variants(c.pair, k, c.bkw.get(k), c.rkw.get(k), c.bview, c.rview)


# -- what the comparers above read ---------------------------------------------------------
def _pinned(kw: KeywordMap, types: frozenset[str]) -> bool:
    """True when a schema without ``type`` lists its values (enum, const) and every one of
    them has one of ``types``: writing or dropping that ``type`` changes nothing."""
    values = _enum(kw)
    if values is None or not values[0]:
        return False
    return all(json_type(v, integers=True) in types or (
        json_type(v, integers=True) == "integer" and "number" in types) or (
        v is None) for v in values[0])


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


def _enum(kw: KeywordMap) -> tuple[list[Any], str] | None:
    e = kw.get("enum")
    if e is not None and isinstance(e.value, list):
        return e.value, "enum"
    e = kw.get("const")
    if e is not None:
        return [e.value], "const"
    return None


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


def _possible(props: dict[str, Node]) -> dict[str, Node]:
    """``props`` without those whose schema is ``false``."""
    never = [name for name, node in props.items() if node[2] is False]
    if not never:
        return props
    return {name: node for name, node in props.items() if name not in never}


def _written(kw: KeywordMap, k: str) -> str:
    """The keyword that states ``k``'s effective value (see ``encoding``) on one side."""
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


def accepts_all(node: Any) -> bool:
    return node is True or node == {}


# Read by the view itself (merged into the keywords above), or naming and holding rather
# than constraining: never compared as keywords.
READ_BY_VIEW = frozenset({"allOf", "$ref"})
NOT_COMPARED = frozenset({"$id", "$schema", "$anchor", "$defs", "definitions",
                          "$dynamicAnchor", "x-openstack"})


def unknown_keywords(c: Compared) -> None:
    """Anything else the catalogue has no words for still surfaces; a keyword of no
    vocabulary of either side's version (a typo) validates nothing: words only."""
    bk, rk = c.bkw, c.rkw
    for k in sorted({str(x) for x in set(bk) | set(rk)} - HANDLED):
        if k.startswith("x-"):
            continue
        bval, rval = _val(k, bk), _val(k, rk)
        if bval != rval:
            kind = Kind.UNCLASSIFIED_CHANGE \
                if k in _vocabulary(c.differ.b.spec, c.differ.r.spec) \
                else Kind.SCHEMA_UNKNOWN_KEYWORD_CHANGED
            c.add(Delta(kind, c.where(c.bview, k), c.where(c.rview, k), bval, rval, keyword=k))


# Last: every keyword a comparer above reads is known by now, and whatever is left is
# reported after everything else.
HANDLED = frozenset().union(*(keywords for keywords, _ in COMPARERS)) | READ_BY_VIEW | \
    NOT_COMPARED
COMPARERS.append((frozenset(), unknown_keywords))
