"""The versioning rule: given the changes and the two versions, which findings hold.

One rule, several arithmetics:

- ``openstack`` (default): any API change (category other than ``doc-change``) needs a
  higher version. Where the version is plain semver (``X.Y.Z``, ``vX.Y.Z``) the increase must
  also be big enough for what semver promises clients: a breaking change needs a new major
  (a new minor below 1.0.0); other schemes (date plus release, dates, integers) take any
  increase. With microversions and ``x-openstack`` annotations each change must also
  be *gated* inside (base, revision]: added things carry ``min-ver`` in that range, removed
  things are capped with ``max-ver`` instead of deleted, and nothing older versions serve is
  edited in place.
- ``semver``: breaking change needs a major bump (a minor one below 1.0.0), any other API
  change at least a minor one.
- ``date``: any API change needs a later api-version date.
- ``strict``: like ``openstack``, but description-only edits need a bump too.

``evaluate`` knows nothing of files or the command line; it returns a ``Verdict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import versions as V
from .catalogue import rules
from .model import ADDED, REMOVED, Change, Finding, Location

# Above every microversion key (a pair of ``versions.num`` keys): "no max-ver".
INF = ((1 << 62, ""), (1 << 62, ""))
_FLOOR = (V.ZERO, V.ZERO)
_SCHEME_NAMES = {
    "microversion": "a microversion (X.Y)",
    "semver": "a semantic version (X.Y.Z)",
    "date": "a date api-version (YYYY-MM-DD)",
    "date-release": "a date plus a release (YYYY-MM-DD_X.Y.Z)",
    "integer": "an integer version",
    "dotted": "a dotted version (6.4.0.36)",
    None: "a version apilint can order (X.Y, X.Y.Z, YYYY-MM-DD, YYYY-MM-DD_X.Y.Z or a number)",
}
_LEVEL_RANK = {"off": 0, "info": 1, "warning": 2, "error": 3}


@dataclass
class Inputs:
    """Everything the policy reads about one compared pair."""

    changes: list[Change]
    base_version: str | None
    revision_version: str | None
    base_data: Any = None
    revision_data: Any = None
    base_docs: dict[str, Any] = field(default_factory=dict)  # display path -> Document
    revision_docs: dict[str, Any] = field(default_factory=dict)
    base_where: str = "info.version"
    revision_where: str = "info.version"
    version_location: Location | None = None  # where the revision's version sits
    label: str = ""  # a file name to prefix messages with when several files are checked


@dataclass
class Verdict:
    findings: list[Finding]
    scheme: str | None
    base: V.Version | None
    revision: V.Version | None
    counted: list[Change]  # the changes that needed a version increase
    rule: str | None = None  # the arithmetic applied ("any increase", ...) for the header


def needs_bump(change: Change, policy: str) -> bool:
    return policy == "strict" or change.category != "doc-change"


def _finding(fid: str, changes: list[Change], location: Location | None,
             **values: Any) -> Finding:
    rule = rules()[fid]
    return Finding(id=fid, level=rule.level or "error", message=rule.render(**values),
                   changes=list(changes), location=location)


def choose_scheme(policy: str, configured: str | None, base: str | None,
                  revision: str | None) -> str | None:
    if policy == "semver":
        return "semver"
    if policy == "date":
        return "date"
    return configured or V.detect(base, revision)


def evaluate(inputs: Inputs, policy: str = "openstack", *, scheme: str | None = None,
             levels: dict[str, str] | None = None) -> Verdict:
    """Apply ``policy`` to one pair; ``scheme`` forces the version scheme; ``levels``, when
    given, are applied to the findings (``gate.run`` applies them itself, once, to the whole
    run's findings, and passes none)."""
    chosen = choose_scheme(policy, scheme, inputs.base_version, inputs.revision_version)
    bv = V.parse(inputs.base_version, chosen) if chosen else None
    rv = V.parse(inputs.revision_version, chosen) if chosen else None
    counted = [c for c in inputs.changes if needs_bump(c, policy)]
    findings = _version_findings(inputs, policy, chosen, bv, rv, counted)
    version_ok = not any(f.id in ("version-not-bumped", "version-decreased",
                                  "version-unparseable") for f in findings)
    if (version_ok and counted and chosen == "microversion" and bv is not None
            and rv is not None and _annotated(inputs)):
        findings.extend(gate_findings(inputs, counted, bv, rv))
    if levels:
        findings = apply_levels(findings, levels)
    if inputs.label:
        for f in findings:
            f.message = f"{inputs.label}: {f.message}"
    return Verdict(findings, chosen, bv, rv, counted, scheme_rule(policy, chosen, bv))


def _version_findings(inputs: Inputs, policy: str, scheme: str | None,
                      bv: V.Version | None, rv: V.Version | None,
                      counted: list[Change]) -> list[Finding]:
    loc = inputs.version_location
    b_raw, r_raw = inputs.base_version, inputs.revision_version
    scheme_name = _SCHEME_NAMES.get(scheme, scheme or "")
    if bv is None or rv is None:
        if not counted:
            return []
        side, raw, where = (("base", b_raw, inputs.base_where) if bv is None
                            else ("revision", r_raw, inputs.revision_where))
        shown = "missing" if raw is None else f'"{raw}"'
        return [_finding("version-unparseable", counted, loc, side=side, version=shown,
                         where=where, scheme=scheme_name)]
    order = V.compare(rv, bv)
    n = len(counted)
    what = f"{n} change{'s' if n != 1 else ''}"
    if order < 0:
        return [_finding("version-decreased", counted, loc, base=bv.raw, revision=rv.raw,
                         scheme=scheme)]
    if not counted:
        if order > 0:
            return [_finding("version-bumped-without-change", [], loc, base=bv.raw,
                             revision=rv.raw)]
        return []
    if order == 0:
        return [_finding("version-not-bumped", counted, loc, version=rv.raw, what=what,
                         policy=policy)]
    too_small = _bump_too_small(policy, bv, rv, counted, loc)
    return [too_small] if too_small else []


def semver_magnitude(policy: str, scheme: str | None, base: V.Version | None) -> bool:
    """Whether the size of a semver increase matters, besides the increase itself.

    The semver policy always asks for it. The default (and strict) policy asks for it where
    the version is plain semver, because a semver version promises clients that only a new
    major breaks them; a pre-release base promises nothing, and other schemes (date plus
    release, microversions, dates, integers) keep "any increase"."""
    if scheme != "semver":
        return False
    if policy == "semver":
        return True
    return policy in ("openstack", "strict") and base is not None and not base.prerelease


def scheme_rule(policy: str, scheme: str | None, base: V.Version | None) -> str | None:
    """The arithmetic the policy applies to this scheme, for the report's header line."""
    if scheme is None:
        return None
    if semver_magnitude(policy, scheme, base):
        if base is None or base.major_key != V.ZERO:
            rule = "breaking changes need a new major"
        else:
            rule = "below 1.0.0, breaking changes need a new minor"
        if policy == "semver":
            rule += ", other API changes a new minor"
        return rule
    if scheme == "date-release":
        return "any increase; date first, then release"
    if scheme == "semver":  # a pre-release base, or a configured scheme under "date"
        return "any increase"
    return None  # the scheme's name says it all


def _bump_too_small(policy: str, bv: V.Version, rv: V.Version, counted: list[Change],
                    loc: Location | None) -> Finding | None:
    if not semver_magnitude(policy, bv.scheme, bv):
        return None
    up = V.semver_increase(bv, rv)
    breaking = [c for c in counted if c.compat == "breaking"]
    if breaking:
        need = "major" if bv.major_key != V.ZERO else "minor"
        ok = up == "major" or (need == "minor" and up == "minor")
        cause, kind = breaking, "breaking change"
    elif policy == "semver":
        need = "minor"
        ok = up in ("major", "minor")
        cause, kind = counted, "API change"
    else:
        return None
    if ok:
        return None
    n = len(cause)
    return _finding("version-bump-too-small", cause, loc, base=bv.raw, revision=rv.raw,
                    need=need, what=f"{n} {kind}{'s' if n != 1 else ''}")


def apply_levels(findings: list[Finding], levels: dict[str, str]) -> list[Finding]:
    """The configured rule levels (rule or finding id -> level), applied to findings.

    A level given for the finding's own id wins. Otherwise a finding caused only by changes
    whose rules were lowered is lowered with them (to the highest of their levels). A finding
    whose level comes out ``off`` is left out."""
    out: list[Finding] = []
    for f in findings:
        own = levels.get(f.id)
        level = own or f.level
        lowered = [levels[c.rule] for c in f.changes if c.rule in levels]
        if f.changes and len(lowered) == len(f.changes):
            cap = max(lowered, key=lambda lv: _LEVEL_RANK[lv])
            if _LEVEL_RANK[cap] < _LEVEL_RANK[level]:
                level = cap
        if level == "off":
            continue
        f.level = own or level
        out.append(f)
    return out


# --- microversion gating -------------------------------------------------------------------

def _annotated(inputs: Inputs) -> bool:
    for docs in (inputs.base_docs, inputs.revision_docs):
        for doc in docs.values():
            text = getattr(doc, "text", None)
            if text is not None:
                if "x-openstack" in text and any(k in text for k in V.RANGE_KEYS):
                    return True
            elif _has_range(getattr(doc, "data", None)):
                return True
    return False


def _has_range(data: Any) -> bool:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if _range_of(node) is not None:
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def _range_of(node: Any) -> tuple[str | None, str | None] | None:
    rng = V.openstack_range_text(node.get("x-openstack") if isinstance(node, dict) else None)
    return None if rng == (None, None) else rng


@dataclass
class Gate:
    min: V.Version | None
    max: V.Version | None
    pointer: str  # where the annotation sits
    own: bool  # the annotation is on the changed node itself


def _gate(data: Any, pointer: str, operation: str | None, want: str = "any") -> Gate | None:
    """The nearest ``x-openstack`` range at or above ``pointer``, then the operation's.
    ``want="min"`` skips annotations that only cap (``max-ver``), ``want="max"`` the others."""
    from .pointer import split, walk

    try:
        tokens = split(pointer)
    except ValueError:
        tokens = []
    candidates: list[str] = []
    for i in range(len(tokens), -1, -1):
        candidates.append("".join("/" + t.replace("~", "~0").replace("/", "~1")
                                  for t in tokens[:i]))
    if operation and " " in operation:
        method, path = operation.split(" ", 1)
        op_ptr = "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.lower()
        if op_ptr not in candidates:
            candidates.append(op_ptr)
    for ptr in candidates:
        node = walk(data, ptr, None)
        rng = _range_of(node)
        if rng is None:
            continue
        lo = V.parse(rng[0], "microversion")
        hi = V.parse(rng[1], "microversion")
        if (want == "min" and lo is None) or (want == "max" and hi is None):
            continue
        return Gate(lo, hi, ptr, ptr == pointer)
    return None


def _defined_gate(docs: dict[str, Any], fallback: Any, ch: Change) -> Gate | None:
    """A parameter, header, body or response added or removed by reference is reported at
    the operation's ``$ref``; the ``min-ver`` written on the definition it names is its own."""
    loc = ch.details.get("defined")
    if not isinstance(loc, Location) or loc == ch.primary:
        return None
    from .pointer import walk

    rng = _range_of(walk(_data_for(docs, loc, fallback), loc.pointer, None))
    lo = V.parse(rng[0], "microversion") if rng else None
    if lo is None:
        return None
    return Gate(lo, V.parse(rng[1], "microversion") if rng else None, loc.pointer, True)


def _data_for(docs: dict[str, Any], loc: Location | None, fallback: Any) -> Any:
    if loc is not None and loc.file in docs:
        return docs[loc.file].data
    return fallback


def _effective(ext: Any, data: Any, loc: Location | None, operation: str | None
               ) -> tuple[V.Version | None, V.Version | None]:
    """A node's own range, its missing ends inherited from the nearest enclosing range
    (an annotation that repeats the operation's min-ver changes nothing)."""
    own = _range_of({"x-openstack": ext}) or (None, None)
    lo, hi = V.parse(own[0], "microversion"), V.parse(own[1], "microversion")
    if loc is not None and (lo is None or hi is None):
        node = loc.pointer[: -len("/x-openstack")] if loc.pointer.endswith("/x-openstack") \
            else loc.pointer
        parent = node.rsplit("/", 1)[0] if "/" in node else ""
        if lo is None:
            g = _gate(data, parent, operation, "min")
            lo = g.min if g else None
        if hi is None:
            g = _gate(data, parent, operation, "max")
            hi = g.max if g else None
    return lo, hi


def _span(lo: V.Version | None, hi: V.Version | None, upto: V.Version
          ) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The part of [lo, hi] at or below ``upto`` (versions already served), or None."""
    start = lo.key if lo else _FLOOR
    end = min(hi.key if hi else INF, upto.key)
    return (start, end) if start <= end else None


def gate_findings(inputs: Inputs, changes: list[Change], bv: V.Version,
                  rv: V.Version) -> list[Finding]:
    out: list[Finding] = []
    b, r = bv.raw, rv.raw
    for ch in changes:
        if ch.category == "doc-change":
            continue
        rdata = _data_for(inputs.revision_docs, ch.revision, inputs.revision_data)
        bdata = _data_for(inputs.base_docs, ch.base, inputs.base_data)
        what = ch.message
        if ch.rule == "openstack-range-changed":
            op = ch.operation or (ch.operations[0] if ch.operations else None)
            old = _span(*_effective(ch.before, bdata, ch.base, op), bv)
            new = _span(*_effective(ch.after, rdata, ch.revision, op), bv)
            if old != new:
                out.append(_finding("gate-outside-range", [ch], ch.primary, what=what, base=b,
                                    revision=r, detail=f"versions up to {b} already served "
                                    "this and now see it differently"))
            continue
        variant = ch.details.get("variant")
        invalid = _invalid_range(ch, variant, rdata, rv)
        if invalid:
            out.append(_finding("gate-range-invalid", [ch], ch.primary, what=what,
                                detail=invalid))
            continue
        if isinstance(variant, dict) and ch.rule.endswith("-variant-added"):
            out.extend(_variant_added(ch, variant, ch.details.get("siblings") or [], bv, rv))
            continue
        if isinstance(variant, dict) and ch.rule.endswith("-variant-removed"):
            lo = V.parse(variant.get("min"), "microversion")
            if lo is None or V.compare(lo, bv) <= 0:
                out.append(_finding("removal-not-gated", [ch], ch.primary, what=what, base=b,
                                    revision=r, detail=f"versions up to {b} still accept "
                                    f"variant {variant.get('name')}; keep it and cap it with "
                                    f"max-ver: '{b}'"))
            continue
        if ch.category in ADDED or ch.base is None:
            gate = _defined_gate(inputs.revision_docs, rdata, ch) or \
                _gate(rdata, ch.revision.pointer if ch.revision else "", ch.operation, "min")
            if gate is None or gate.min is None:
                out.append(_finding("change-not-gated", [ch], ch.primary, what=what, base=b,
                                    revision=r, detail=f"it has no min-ver; give it min-ver "
                                    f"in ({b}, {r}]"))
            elif V.compare(gate.min, bv) <= 0:
                if gate.own:
                    out.append(_finding("gate-outside-range", [ch], ch.primary, what=what,
                                        base=b, revision=r, detail=f"its min-ver "
                                        f"{gate.min.raw} is not above the base version {b}"))
                else:
                    out.append(_finding("change-not-gated", [ch], ch.primary, what=what,
                                        base=b, revision=r, detail=f"it sits under "
                                        f"min-ver {gate.min.raw} (at {gate.pointer or '/'}), "
                                        f"which versions up to {b} already serve"))
            elif V.compare(gate.min, rv) > 0:
                out.append(_finding("gate-outside-range", [ch], ch.primary, what=what, base=b,
                                    revision=r, detail=f"its min-ver {gate.min.raw} is beyond "
                                    f"the revision version {r}"))
            continue
        if ch.category in REMOVED or ch.revision is None:
            gate = _defined_gate(inputs.base_docs, bdata, ch) or \
                _gate(bdata, ch.base.pointer if ch.base else "", ch.operation, "min")
            if gate is None or gate.min is None or V.compare(gate.min, bv) <= 0:
                served, capped = _served(bdata, ch.base, ch.operation, bv)
                if capped:
                    advice = "those are released: put it back"
                elif "enum-value-removed" in ch.rule:
                    # An allowed value has no x-openstack of its own to cap.
                    advice = (f"an allowed value cannot carry its own max-ver: keep it there "
                              f"and add a new variant without it (min-ver in ({b}, {r}]), "
                              f"capping the old one with max-ver: '{b}'")
                else:
                    advice = "cap it with max-ver instead of deleting it"
                out.append(_finding("removal-not-gated", [ch], ch.primary, what=what, base=b,
                                    revision=r, detail=f"{served} still serve it; {advice}"))
            continue
        # Edited in place: fine only for something no released version serves yet.
        gate = _gate(rdata, ch.revision.pointer, ch.operation, "min")
        bgate = _gate(bdata, ch.base.pointer if ch.base else "", ch.operation, "min")
        unreleased = all(g is not None and g.min is not None and V.compare(g.min, bv) > 0
                         for g in (gate, bgate))
        if not unreleased:
            served, capped = _served(bdata, ch.base, ch.operation, bv)
            advice = (f"those are released: leave it as it was (a change for {r} goes in a new "
                      f"variant with min-ver in ({b}, {r}])" if capped else
                      f"add a new oneOf member or property with min-ver in ({b}, {r}]")
            out.append(_finding("change-not-gated", [ch], ch.primary, what=what, base=b,
                                revision=r, detail=f"it changed in place for {served}; "
                                f"{advice}"))
    return _fold(out, bdata_of=lambda ch: _data_for(inputs.base_docs, ch.base,
                                                     inputs.base_data))


def _action_at(data: Any, pointer: str) -> str | None:
    """The ``action-name`` of the nearest enclosing node that has one."""
    from .pointer import split, walk

    try:
        tokens = split(pointer)
    except ValueError:
        return None
    for i in range(len(tokens), -1, -1):
        ptr = "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens[:i])
        node = walk(data, ptr, None)
        ext = node.get("x-openstack") if isinstance(node, dict) else None
        if isinstance(ext, dict) and ext.get("action-name") is not None:
            return " ".join(str(ext["action-name"]).split())
    return None


def _served(data: Any, loc: Location | None, operation: str | None, bv: V.Version
            ) -> tuple[str, bool]:
    """Which released versions serve the node at ``loc`` in the base, in words: "versions up
    to 2.95", or "versions 2.1 to 2.5 (action os-getRDPConsole)" for one already capped."""
    ptr = loc.pointer if loc else ""
    lo_g = _gate(data, ptr, operation, "min")
    hi_g = _gate(data, ptr, operation, "max")
    lo = lo_g.min if lo_g else None
    hi = hi_g.max if hi_g else None
    action = _action_at(data, ptr)
    tail = f" (action {action})" if action else ""
    if hi is not None and V.compare(hi, bv) < 0:
        return f"versions {lo.raw if lo else '2.1'} to {hi.raw}{tail}", True
    return f"versions up to {bv.raw}{tail}", False


def _fold(findings: list[Finding], bdata_of: Any) -> list[Finding]:
    """One edit, one finding: findings of one operation inside one microversion variant (the
    same enclosing ``x-openstack`` range in the base, below the operation) are the
    consequences of one edit, such as a body that became ``type: null`` losing its
    properties, required list and range with it. The most telling one speaks for all."""
    groups: dict[tuple[Any, ...], list[Finding]] = {}
    order: list[tuple[Any, ...]] = []
    for f in findings:
        ch = f.changes[0] if len(f.changes) == 1 else None
        key: tuple[Any, ...] = (id(f),)
        if ch is not None and ch.base is not None and ch.revision is not None and \
                f.id in ("change-not-gated", "gate-outside-range"):
            g = _gate(bdata_of(ch), ch.base.pointer, None)
            if g is not None and g.pointer.startswith("/components/"):
                key = (ch.operation, ch.base.file, g.pointer)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(f)
    out: list[Finding] = []
    for key in order:
        group = groups[key]
        if len(group) == 1:
            out.append(group[0])
            continue
        lead = min(group, key=_telling)
        others = [c for f in group if f is not lead for c in f.changes]
        lead.changes = lead.changes + others
        names = sorted({c.rule for c in others})
        lead.message += (f" (one edit: {len(others)} consequence"
                         f"{'s' if len(others) != 1 else ''} folded in: {', '.join(names)})")
        out.append(lead)
    return out


def _telling(f: Finding) -> tuple[int, str]:
    """A type change says most about an edit, then a removal, then the range, then the rest."""
    rule = f.changes[0].rule if f.changes else ""
    rank = 0 if "type-changed" in rule else 1 if "removed" in rule else \
        2 if rule == "openstack-range-changed" else 3
    return (rank, rule)


def _mv(text: Any) -> V.Version | None:
    return V.parse(text, "microversion") if text is not None else None


def _variant_added(ch: Change, variant: dict[str, Any], siblings: list[dict[str, Any]],
                   bv: V.Version, rv: V.Version) -> list[Finding]:
    """A new ``oneOf`` variant is how a microversion changes a body: it holds when it carries
    its own min-ver in (base, revision] and no kept variant of the same action still serves
    the versions it starts at (the old one capped with max-ver)."""
    b, r, what = bv.raw, rv.raw, ch.message
    name = variant.get("name")
    lo, hi = _mv(variant.get("min")), _mv(variant.get("max"))
    if lo is None:
        return [_finding("change-not-gated", [ch], ch.primary, what=what, base=b, revision=r,
                         detail=f"the new variant {name} has no min-ver of its own, so "
                         f"clients asking for {b} or older may get it; give it min-ver: "
                         f"'{r}'")]
    if V.compare(lo, bv) <= 0:
        return [_finding("gate-outside-range", [ch], ch.primary, what=what, base=b, revision=r,
                         detail=f"the new variant {name} has min-ver {lo.raw}, not above the "
                         f"base version {b}")]
    if V.compare(lo, rv) > 0:
        return [_finding("gate-outside-range", [ch], ch.primary, what=what, base=b, revision=r,
                         detail=f"the new variant {name} has min-ver {lo.raw}, beyond the "
                         f"revision version {r}")]
    out: list[Finding] = []
    for sib in siblings:
        if sib.get("action") != variant.get("action"):
            continue  # another action's body: told apart by its key, not by version
        slo, shi = _mv(sib.get("min")), _mv(sib.get("max"))
        if slo is None and shi is None:
            continue  # not a microversion variant
        start = max(lo.key, slo.key if slo else _FLOOR)
        end = min(hi.key if hi else INF, shi.key if shi else INF)
        if start > end:
            continue
        action = f" of action {variant['action']}" if variant.get("action") else ""
        shown = f"[{sib.get('min') or 'any'}, {sib.get('max') or 'latest'}]"
        out.append(_finding(
            "change-not-gated", [ch], ch.primary, what=what, base=b, revision=r,
            detail=f"variant {sib.get('name')}{action} {shown} is not capped, so it and the "
            f"new variant {name} (min-ver {lo.raw}) both serve {lo.raw}; cap "
            f"{sib.get('name')} with max-ver: '{_previous(lo, bv)}'"))
    return out


def _previous(lo: V.Version, bv: V.Version) -> str:
    """The last version before ``lo`` (2.96 -> 2.95); the base version when it is X.0."""
    if lo.minor > 0:
        return f"{lo.major}.{lo.minor - 1}"
    return bv.raw


def _own_range(ch: Change, variant: Any, rdata: Any) -> tuple[Any, Any, str]:
    """The range written on the changed node itself in the revision (a new variant's on the
    schema its ``$ref`` names), as text, and where it sits."""
    from .pointer import walk

    if isinstance(variant, dict) and ch.rule.endswith("-variant-added"):
        return variant.get("min"), variant.get("max"), f"variant {variant.get('name')}"
    if ch.revision is None:
        return None, None, ""
    ptr = ch.revision.pointer
    if ptr.endswith("/x-openstack"):
        ptr = ptr[: -len("/x-openstack")]
    node = walk(rdata, ptr, None)
    for _ in range(8):  # a local $ref: the range is on the definition it names
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and (ref == "#" or ref.startswith("#/"))
                and _range_of(node) is None):
            break
        node = walk(rdata, ref[1:], None)
    rng = _range_of(node)
    return (rng[0], rng[1], ptr or "/") if rng else (None, None, "")


def _invalid_range(ch: Change, variant: Any, rdata: Any, rv: V.Version) -> str | None:
    """Why the changed node's own range can serve nobody, or None: min-ver above its own
    max-ver, or above the highest version the spec itself claims."""
    if ch.revision is None:
        return None
    lo_t, hi_t, where = _own_range(ch, variant, rdata)
    lo, hi = _mv(lo_t), _mv(hi_t)
    if lo is not None and hi is not None and V.compare(lo, hi) > 0:
        return (f"min-ver {lo.raw} is above max-ver {hi.raw} on {where}: no version serves "
                f"it; one of the two is a typo")
    if lo is not None and V.compare(lo, rv) > 0:
        return (f"min-ver {lo.raw} on {where} is above {rv.raw}, the highest version the "
                f"spec claims: no client can ask for it yet; gate it at a version up to "
                f"{rv.raw} or raise the spec's version")
    return None
