"""The changelog a microversioned API implies: ``apilint changelog SOURCE``.

SOURCE is an ``x-openstack`` annotated spec (``SPEC`` or ``SPEC@VERSION`` to stop at VERSION) or
a Nova samples tree (``DIR`` or ``DIR@VERSION``). For every microversion from the lowest one the
source mentions to the highest, the changes between the version before it and it, classified by
the same pipeline as ``apilint diff`` (oldest first). A thing with ``max-ver: 2.35`` goes away at
2.36; a thing with ``min-ver: 2.36`` appears at 2.36.

Only *boundaries* are compared: the versions at which a range starts or ends (a spec), or a
``v2.NN`` sample folder exists (samples). Between two boundaries nothing in the source can
differ, so every other version is listed as "no change visible" without a diff. A spec is read,
checked and scanned once; each boundary's projection shares its unchanged parts with the
previous one, which the diff skips as equal.

Between two projections of one spec, a changed ``x-openstack`` range is how the spec says *when*
(the variant shown at 2.93 and the one shown at 2.94 carry different ranges), not something a
client sees: ``openstack-range-changed`` is left out of the changelog.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError, UsageError
from .model import Change
from .versions import MicroKey as Key
from .versions import folder_microversion, microversion, openstack_range_keys
from .versions import show_microversion as _show

_HIDDEN = frozenset({"openstack-range-changed"})


@dataclass
class VersionEntry:
    version: str
    previous: str
    changes: list[Change]

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "previous": self.previous,
                "changes": [c.to_dict() for c in self.changes]}


@dataclass
class Changelog:
    source: str
    kind: str  # "spec" or "samples"
    base: str  # the lowest version: the one nothing is compared against
    latest: str
    versions: list[VersionEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    compared: int = 0  # boundaries diffed
    # --base REF: the commit compared with, and the changes no new microversion gates.
    base_ref: str | None = None
    ungated: list[Change] | None = None

    @property
    def nothing(self) -> str:
        return "no change visible in the " + ("spec" if self.kind == "spec" else "samples")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "apilint": 1, "command": "changelog", "source": self.source, "kind": self.kind,
            "base": self.base, "latest": self.latest,
            "versions": [v.to_dict() for v in self.versions],
            "warnings": list(self.warnings)}
        if self.base_ref is not None:
            out["base_ref"] = self.base_ref
            out["ungated"] = [c.to_dict() for c in self.ungated or []]
        return out


def _every_version(low: Key, high: Key, known: set[Key], source: str) -> list[Key]:
    """Every X.Y after ``low`` up to ``high``; across majors, each major's own span."""
    from .limits import MAX_MICROVERSIONS

    spans: list[tuple[int, range]] = []
    if low[0] == high[0]:
        spans.append((low[0], range(low[1] + 1, high[1] + 1)))
    else:
        for major in sorted({k[0] for k in known if low[0] <= k[0] <= high[0]} | {high[0]}):
            minors = [k[1] for k in known if k[0] == major]
            start = low[1] + 1 if major == low[0] else min(minors, default=0)
            end = high[1] if major == high[0] else max(minors, default=start)
            spans.append((major, range(start, end + 1)))
    if sum(len(r) for _, r in spans) > MAX_MICROVERSIONS:
        raise InputError(f"{_show(low)} to {_show(high)} is more than {MAX_MICROVERSIONS} "
                         "microversions to list (limit MAX_MICROVERSIONS)", source)
    return [(major, m) for major, r in spans for m in r]


def build(source: str, *, root: str | None = None, include_docs: bool = True,
          capture_options: dict[str, Any] | None = None) -> Changelog:
    """The changelog of an annotated spec or a samples tree (see the module docstring)."""
    from .captures import split_version

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))
    try:
        real, at = split_version(source)
        if os.path.isdir(real):
            log = _samples(real, at, source, capture_options or {})
        else:
            log = _spec(source, root)
    except RecursionError:
        raise InputError("schemas nested too deeply to compare", source) from None
    finally:
        sys.setrecursionlimit(old)
    _keep(log, include_docs)
    return log


def _keep(log: Changelog, include_docs: bool, hidden: frozenset[str] = _HIDDEN) -> None:
    for entry in log.versions:
        entry.changes = [c for c in entry.changes if c.rule not in hidden and
                         (include_docs or c.category != "doc-change")]
    if log.ungated is not None and not include_docs:
        log.ungated = [c for c in log.ungated if c.category != "doc-change"]


def _diff(base: tuple[Any, Any], rev: tuple[Any, Any]) -> list[Change]:
    from .classify import classify
    from .diff import Differ
    from .normalise import NormalisedApi

    # A fresh normalised side per comparison (the differ reads operations into it); the
    # documents and their resolvers are shared between the two comparisons a version is in.
    return classify(Differ(NormalisedApi(*base), NormalisedApi(*rev)).run())


# -- an annotated spec -------------------------------------------------------------------------
def _spec(source: str, root: str | None) -> Changelog:
    from .loader import load_document
    from .microversion import Annotated, split_at
    from .refs import Resolver

    path, at = split_at(source)
    doc = load_document(path)
    data = doc.data
    if not (isinstance(data, dict) and ("openapi" in data or "swagger" in data)):
        raise InputError("not an OpenAPI or Swagger spec, nor a samples folder: changelog reads "
                         "an x-openstack annotated spec or a Nova samples tree", path)
    resolver = Resolver(doc, root_dir=root)
    ann = Annotated(resolver)
    if not ann.gates:
        raise InputError("no x-openstack min-ver/max-ver in the spec: there is no microversion "
                         "history to list", path)
    high = ann.resolve_version(at, source) if at is not None else ann.latest()
    low = ann.lowest()
    assert high is not None and low is not None
    log = Changelog(source=path, kind="spec", base=_show(low), latest=_show(high),
                    warnings=list(dict.fromkeys(ann.warnings + resolver.warnings)))
    if high <= low:
        return log
    bounds = set(ann.boundaries(high))
    prev = ann.project(low)
    found: dict[Key, list[Change]] = {}
    for key in sorted(b for b in bounds if low < b <= high):
        cur = ann.project(key, previous=prev)
        changes = _diff((prev.root, prev), (cur.root, cur))
        cur.previous = None  # its index is built: keep no chain of projections alive
        log.compared += 1
        for ch in changes:
            # Locations are the original file's; so is the pointer the change is filed under.
            loc = ch.revision or ch.base
            if loc is not None:
                ch.location = loc.pointer
        found[key] = changes
        prev = cur
    known = set(ann.mentioned) | bounds
    for key in _every_version(low, high, known, path):
        log.versions.append(VersionEntry(_show(key), _show(_before(key, low)),
                                         found.get(key, [])))
    return log


def _before(key: Key, low: Key) -> Key:
    return (key[0], key[1] - 1) if key[1] > 0 else low


# -- two commits of one spec: --base REF -------------------------------------------------------
def between(base_ref: str, spec: str, *, root: str | None = None,
            include_docs: bool = True) -> Changelog:
    """The changes between ``spec`` at ``base_ref`` and now, grouped by the microversion that
    gates each one; the rest (visible at versions the base already served) are ``ungated``.

    A change is gated at V when V is above every version the base mentions (its ``latest``)
    and V is where the change takes effect: the ``min-ver`` of the nearest enclosing
    ``x-openstack`` range at the change's place (or of the object a ``$ref`` there names),
    or, for a range that gains or lowers a ``max-ver``, the version after it. A removal is
    never gated: whatever was removed was served by the base.

    ``SPEC@VERSION``: both commits are projected at VERSION first, so only what a client
    asking for VERSION sees is compared (a change gated above VERSION is left out); the
    versions served by the base are still read from the whole base spec.
    """
    from .api import compare
    from .gitsource import resolve_pairs
    from .microversion import Annotated, split_at
    from .refs import Resolver

    path, at = split_at(spec)
    pair = resolve_pairs(base_ref, [spec])[0]
    if pair.base is None:
        raise InputError(f"not in git at {base_ref}: nothing to compare (apilint changelog "
                         f"{path} lists its whole history)", path)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))
    try:
        cmp = compare(pair.base, pair.revision, root=root)
        highs = []
        view: Key | None = None  # SPEC@VERSION: the version both sides are seen at
        for side, reader, exists in ((cmp.base, pair.base.reader, pair.base.exists),
                                     (cmp.revision, pair.revision.reader,
                                      pair.revision.exists)):
            # A projection's original: the versions a commit serves are its whole spec's.
            document = getattr(side.document, "original", side.document)
            res = Resolver(document, root_dir=root, reader=reader, exists=exists,
                           check=False)
            ann = Annotated(res)
            highs.append(ann.latest())
            if at is not None:
                view = ann.resolve_version(at.lstrip("v") if at != "latest" else at, spec)
    finally:
        sys.setrecursionlimit(old)
    b_high, r_high = highs
    if view is not None and r_high is not None:
        r_high = min(r_high, view)  # nothing above VERSION is compared
    if b_high is None:
        raise InputError(f"no microversion at {base_ref} (no x-openstack min-ver/max-ver, no "
                         "X.Y info.version): nothing to group the changes by", path)
    top = max(r_high or b_high, b_high)
    log = Changelog(source=path, kind="spec", base=_show(b_high), latest=_show(top),
                    warnings=list(cmp.warnings), base_ref=base_ref, ungated=[])
    rev_docs = {d.path: d.data for d in cmp.revision.documents.values()}
    base_docs = {d.path: d.data for d in cmp.base.documents.values()}
    gated: dict[Key, list[Change]] = {}
    for ch in cmp.changes:
        gate = _gate(ch, rev_docs, base_docs)
        if gate is not None and gate > b_high:
            gated.setdefault(gate, []).append(ch)
            top = max(top, gate)
        else:
            assert log.ungated is not None
            log.ungated.append(ch)
    log.latest = _show(top)
    for key in _every_version(b_high, top, set(gated), path):
        log.versions.append(VersionEntry(_show(key), _show(_before(key, b_high)),
                                         gated.get(key, [])))
    # Between two commits a range that changed is an edit of the spec (a variant capped for
    # the new version): it stays.
    _keep(log, include_docs, frozenset())
    return log


def _range_key(node: Any) -> tuple[Key | None, Key | None]:
    return openstack_range_keys(node.get("x-openstack") if isinstance(node, dict) else None)


def _gate(ch: Change, rev_docs: dict[str, Any], base_docs: dict[str, Any]) -> Key | None:
    """Where ``ch`` takes effect (see ``between``); None when nothing gates it."""
    from . import pointer as jp

    if ch.revision is None:
        return None  # a removal: the base served it
    if ch.rule == "openstack-range-changed":
        b_lo, b_hi = _range_key({"x-openstack": ch.before})
        r_lo, r_hi = _range_key({"x-openstack": ch.after})
        if r_hi is not None and r_hi != b_hi:
            return (r_hi[0], r_hi[1] + 1)
        return r_lo if r_lo != b_lo else None
    data = rev_docs.get(ch.revision.file)
    if data is None:
        return None
    ptr = ch.revision.pointer
    tokens = jp.split(ptr) if ptr.startswith("/") else []
    for n in range(len(tokens), -1, -1):
        node = jp.walk(data, jp.join("", *tokens[:n]) if n else "", None)
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and \
                node["$ref"].startswith("#/"):
            target = jp.walk(data, node["$ref"][1:], None)
            lo, _ = _range_key(target)
            if lo is not None:
                return lo
        lo, _ = _range_key(node)
        if lo is not None:
            return lo
    return None


# -- a samples tree ----------------------------------------------------------------------------
def _samples(real: str, at: str | None, source: str, options: dict[str, Any]) -> Changelog:
    from .captures import BASE_VERSION, load_captures, sample_name
    from .refs import Resolver

    # Each sample file: its identity (the path without version folders, as captures reads a
    # tree at one version), the call it records and the version folder it sits in.
    files: list[tuple[tuple[str, ...], tuple[str, ...], Key | None]] = []
    har = False
    for dirpath, dirnames, names in os.walk(real):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = os.path.relpath(dirpath, real).replace(os.sep, "/")
        parts = [] if rel == "." else rel.split("/")
        ver = None
        ident = []
        for part in parts:
            key = folder_microversion(part, dirpath)
            if key is not None:
                ver = key
            else:
                ident.append(part)
        for name in names:
            har = har or name.endswith(".har")
            if name.endswith(".json"):
                call = (*ident, sample_name(name)[0])
                files.append(((*ident, name), call, ver))
    found_dirs = {v for _, _, v in files if v is not None}
    if not found_dirs:
        raise InputError("no v2.NN version folders: changelog reads a samples tree recorded "
                         "per microversion (Nova's doc/api_samples layout)", source)
    base = microversion(BASE_VERSION)
    assert base is not None
    low = min(found_dirs | {base})
    if at is not None and at != "latest":
        high = microversion(at)
        if high is None:
            raise UsageError(f"{source}: {at!r} is not a microversion (X.Y) or 'latest'")
    else:
        high = max(found_dirs)
    log = Changelog(source=real, kind="samples", base=_show(low), latest=_show(high))

    def side(key: Key, only: set[tuple[str, ...]] | None) -> tuple[Any, Any]:
        opts = dict(options) if only is None else {**options, "only": only}
        doc = load_captures(f"{real}@{_show(key)}", **opts)
        resolver = Resolver(doc)
        log.warnings.extend(w for w in resolver.warnings if w not in log.warnings)
        return doc, resolver

    found: dict[Key, list[Change]] = {}
    prev_key = low
    for key in sorted(k for k in found_dirs if low < k <= high):
        # Between two boundaries only the calls recorded again at ``key`` can differ: both
        # sides read just those (request and response of a call together). A HAR file in
        # the tree records many calls: then both sides are read whole.
        calls = {c for _, c, v in files if v == key}
        only = None if har else {i for i, c, _ in files if c in calls}
        changes = _diff(side(prev_key, only), side(key, only))
        found[key] = changes
        log.compared += 1
        prev_key = key
    for key in _every_version(low, high, found_dirs, source):
        log.versions.append(VersionEntry(_show(key), _show(_before(key, low)),
                                         found.get(key, [])))
    return log


# -- rendering ---------------------------------------------------------------------------------
def render(log: Changelog, fmt: str) -> str:
    if fmt == "json":
        import json

        return json.dumps(log.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(log)
    if fmt == "rst":
        return render_rst(log)
    if fmt == "html":
        from .report.timeline import render_timeline

        return render_timeline(log)
    return render_text(log)


def _summary(log: Changelog) -> str:
    changed = sum(1 for v in log.versions if v.changes)
    if log.base_ref is not None:
        n = len(log.versions)
        return (f"{log.source} since {log.base_ref} (served up to {log.base}): "
                f"{n} new version{'' if n == 1 else 's'} up to {log.latest}, {changed} with "
                f"gated changes, {len(log.ungated or [])} not gated")
    what = "x-openstack annotations" if log.kind == "spec" else "recorded samples"
    return (f"{log.source} ({what}): base {log.base}, {len(log.versions)} versions up to "
            f"{log.latest}, {changed} with visible changes")


def render_text(log: Changelog) -> str:
    from .report.text import _line

    out = [f"apilint changelog: {_summary(log)}"]
    out += [f"warning: {w}" for w in log.warnings]
    if log.ungated is not None:
        out += ["", f"not gated by a new microversion (seen by clients of {log.base} and "
                    f"earlier): {len(log.ungated)}"]
        out += ["  " + _line(ch) for ch in log.ungated]
    for v in log.versions:
        out.append("")
        out.append(f"{v.version}")
        if not v.changes:
            out.append(f"  {log.nothing}")
        for ch in v.changes:
            out.append("  " + _line(ch))
    return "\n".join(out) + "\n"


_COMPAT_WORDS = {"breaking": "breaking", "compatible": "compatible", "none": "docs only"}


def _table(changes: list[Change]) -> list[str]:
    """A markdown table of changes, spec text escaped (see ``report.markdown.md``)."""
    from .report.markdown import code, md

    out = ["| compat | change | rule | where |", "| --- | --- | --- | --- |"]
    for ch in changes:
        text = md(ch.message)
        if len(ch.operations) > 1:
            shown = ", ".join(md(o) for o in ch.operations[:5])
            more = f" and {len(ch.operations) - 5} more" if len(ch.operations) > 5 else ""
            text += f" (reaches {shown}{more})"
        where = md(ch.primary.display()) if ch.primary else "\u2014"
        out.append(f"| {_COMPAT_WORDS.get(ch.compat, md(ch.compat))} | {text} | "
                   f"{code(ch.rule)} | {where} |")
    return out


def render_markdown(log: Changelog) -> str:
    from .report.markdown import md

    out = [f"# Microversion changelog: {md(log.source)}", "",
           f"{md(_summary(log))}. Made by `apilint changelog`: each version lists the changes "
           "from the version before it.", ""]
    out += [f"> warning: {md(w)}" for w in log.warnings]
    if log.warnings:
        out.append("")
    if log.ungated is not None:
        out += [f"## Not gated by a new microversion (seen by clients of {md(log.base)} and "
                "earlier)", ""]
        out += (_table(log.ungated) if log.ungated else ["None."]) + [""]
    for v in log.versions:
        out += [f"## {md(v.version)}", ""]
        if not v.changes:
            out += [f"_{log.nothing[0].upper()}{log.nothing[1:]}._", ""]
            continue
        out += _table(v.changes)
        out.append("")
    return "\n".join(out)


_RST_SPECIAL = re.compile(r"([\\`*_|\[\]<>:])")


def rst_text(text: str) -> str:
    """Spec text as inert reStructuredText: one line, inline markup characters escaped."""
    from .report._common import one_line

    return _RST_SPECIAL.sub(r"\\\1", one_line(text))


def render_rst(log: Changelog) -> str:
    """A ``rest_api_version_history`` page: a section per version, a bullet per change."""
    title = "REST API Version History"
    out = [title, "=" * len(title), "",
           f"This page was generated by ``apilint changelog`` from {rst_text(log.source)} "
           f"({'x-openstack annotations' if log.kind == 'spec' else 'recorded samples'}). "
           f"Each version lists what changed from the version before it; {rst_text(log.base)} "
           "is the base.", ""]
    if log.ungated:
        title = "Not gated by a new microversion"
        out += [title, "-" * len(title), ""]
        out += [f"* {_rst_change(ch)}" for ch in log.ungated] + [""]
    for v in log.versions:
        out += [v.version, "-" * max(len(v.version), 3), ""]
        if not v.changes:
            out += [f"No change visible in the {'spec' if log.kind == 'spec' else 'samples'}.",
                    ""]
            continue
        out += [f"* {_rst_change(ch)}" for ch in v.changes]
        out.append("")
    return "\n".join(out)


def _rst_change(ch: Change) -> str:
    text = rst_text(ch.message)
    if len(ch.operations) > 1:
        shown = ", ".join(ch.operations[:5])
        more = f" and {len(ch.operations) - 5} more" if len(ch.operations) > 5 else ""
        text += f" (reaches {rst_text(shown)}{more})"
    return text
