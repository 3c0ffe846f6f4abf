"""One annotated spec seen at one microversion: ``SPEC@VERSION``.

OpenStack specs describe a whole microversion history in one document: operations, parameters,
properties, ``oneOf`` variants, response headers and schemas carry ``x-openstack``
``min-ver``/``max-ver`` (or ``min_ver``/``max_ver``). A *projection* at version V is the API a
client sending ``OpenStack-API-Version: <service> V`` sees: every such object whose range does
not contain V is left out, everything else stays as written (annotations included, so ``check``
still sees the gates). ``SPEC@latest`` is the highest version the spec mentions.

What is left out, and what is not:

- a mapping entry or list item (an operation, a parameter, a property, a ``oneOf`` member, a
  header, a media type, …) whose own range, or the range of the object its ``$ref`` names,
  does not contain V. A ``oneOf`` left with one member stays a ``oneOf`` of one; a property
  left out is also dropped from its schema's ``required``; a path left with no operation goes.
- definitions (``components/*/*``, Swagger's ``definitions``, ``parameters`` and ``responses``,
  the top level of a referenced file) are never left out: they are projected inside and count
  where a ``$ref`` uses them.
- literal values (``example``, ``examples``, ``enum``, ``default``, ``const``, ``x-*``) are
  data, not API: nothing inside them is read as an annotation.

The projection shares every unchanged subtree with the original data, so two projections of one
spec compare in the time their differences take (``_unchanged_paths`` and ``_clean`` in
``apilint/diff/core.py`` see identical objects). Locations point into the original file: list
indices that moved because an item was left out are mapped back
(``ProjectedDocument.original_pointer``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import limits
from . import pointer as jp
from .errors import InputError, UsageError
from .loader import Document
from .methods import METHODS
from .model import Location
from .refs import Resolver, ref_index
from .versions import MicroKey as Key
from .versions import microversion, openstack_range
from .versions import show_microversion as show

# Values, not API: an annotation-looking mapping inside them is data.
_LITERAL = frozenset({"example", "examples", "enum", "default", "const"})
_SWAGGER_DEFS = ("definitions", "parameters", "responses", "securityDefinitions")


def split_at(path: str, exists: Callable[[str], bool] = os.path.exists) -> tuple[str, str | None]:
    """``spec.yaml@2.60`` → (``spec.yaml``, ``"2.60"``).

    A path that exists is a path, even with an ``@`` in it (``api@v2.yaml``); otherwise the
    last ``@`` splits it when the part before it exists."""
    if "@" not in path or exists(path):
        return path, None
    head, _, ver = path.rpartition("@")
    if not head or not exists(head):
        return path, None
    return head, ver


@dataclass(frozen=True, slots=True)
class Range:
    """An ``x-openstack`` range as integer pairs; ``None`` is an open end."""

    lo: Key | None
    hi: Key | None

    def admits(self, v: Key) -> bool:
        return not ((self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi))


class ProjectedDocument(Document):
    """A document's data at one microversion; lines and pointers are the original file's."""

    def __init__(self, original: Document, data: Any, display: str,
                 remap: dict[str, list[int]],
                 renames: dict[str, tuple[str, str]] | None = None) -> None:
        super().__init__(display, data, original.format, original.text,
                         real_path=original.real_path, warnings=original.warnings)
        self.original = original
        self.remap = remap  # original pointer of a list with items left out -> kept indices
        self.renames = renames or {}  # original pointer of a schema -> (key now, key written)

    def original_pointer(self, pointer: str) -> str:
        if not (self.remap or self.renames) or not pointer:
            return pointer
        out = ""
        for token in pointer[1:].split("/"):
            renamed = self.renames.get(out)
            if renamed is not None and token == renamed[0]:
                token = renamed[1]
            kept = self.remap.get(out)
            if kept is not None and token.isdigit() and int(token) < len(kept):
                token = str(kept[int(token)])
            out += "/" + token
        return out

    def position(self, pointer: str) -> tuple[int, int] | None:
        return self.original.position(self.original_pointer(pointer))

    def locate(self, pointer: str) -> Location:
        ptr = self.original_pointer(pointer)
        pos = self.original.position(ptr)
        if pos is None:
            return Location(self.original.path, ptr)
        return Location(self.original.path, ptr, pos[0], pos[1])


class ProjectedResolver(Resolver):
    """The resolver of a projection: the projected documents, no second round of checks.

    ``docs_by_display`` names the original documents: a policy that reads annotations at a
    change's location reads them in the file the location points into."""

    originals: dict[str, Document]
    original: Resolver
    previous: ProjectedResolver | None = None  # the projection compared before this one

    def ref_index(self, doc: Document) -> dict[str, frozenset[str]] | None:
        """The ``$ref`` index of a projected document: groups (path items, components) that
        are the original's objects take the original's index entry without a walk."""
        key = id(doc)
        if key not in self._index:
            if not isinstance(doc, ProjectedDocument):
                return super().ref_index(doc)
            # The previous projection shares the most with this one; else the original.
            twin: Resolver = self.original
            twin_doc: Document = doc.original
            if self.previous is not None:
                name = next((k for k, d in self.docs.items() if d is doc), None)
                if name is not None and name in self.previous.docs:
                    twin, twin_doc = self.previous, self.previous.docs[name]
            base = twin.ref_index(twin_doc)
            if base is None:
                return super().ref_index(doc)
            self._index[key] = ref_index(doc.data, (twin_doc.data, base))
        return self._index[key]

    def docs_by_display(self) -> dict[str, Document]:
        out = {d.path: d for d in self.docs.values()}
        out.update(self.originals)
        return out


class Annotated:
    """An annotated spec read once: its ranges, the versions it mentions, and projections.

    ``resolver`` is the original spec's resolver, already checked: every file a ``$ref`` names
    is loaded, so ranges of referenced objects are known before anything is projected."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.root = resolver.root
        self.warnings: list[str] = []
        self.mentioned: dict[Key, str] = {}  # every min/max version written, as written
        self.max_ends: set[Key] = set()  # every max-ver (something goes away after it)
        self.gates = 0  # objects with a range
        self._ranges: dict[int, Range] = {}  # droppable child (by id) -> its range
        self._own: dict[int, Range | None] = {}  # any annotated node (by id) -> its range
        self._dirty: set[int] = set()  # containers with a ranged child somewhere below
        self._seen: dict[int, bool] = {}
        self._ref_range: dict[tuple[int, str], Range | None] = {}
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 20000))
        try:
            for doc in list(resolver.docs.values()):
                if doc.format == "capture":
                    continue
                self._scan(doc, doc.data, "", _ROOT)
        finally:
            sys.setrecursionlimit(old)
        info = self.root.data.get("info") if isinstance(self.root.data, dict) else None
        self.info_version = microversion(info.get("version")) if isinstance(info, dict) else None

    # -- reading ranges ----------------------------------------------------------------------
    def _own_range(self, doc: Document, ptr: str, node: dict[str, Any]) -> Range | None:
        key = id(node)
        if key in self._own:
            return self._own[key]
        ext = node.get("x-openstack")
        lo_raw, hi_raw = openstack_range(ext)
        rng = None
        if lo_raw is not None or hi_raw is not None:
            ends: list[Key | None] = []
            for name, raw in (("min-ver", lo_raw), ("max-ver", hi_raw)):
                if raw is None:
                    ends.append(None)
                    continue
                k = microversion(raw)
                spelled = name if name in ext else name.replace("-", "_")
                where = jp.join(jp.join(ptr, "x-openstack"), spelled)
                pos = doc.position(where) or (None, None)
                if k is None:
                    text = str(raw) if len(str(raw)) <= 40 else str(raw)[:40] + "…"
                    raise InputError(f"x-openstack {spelled} {text!r} is not a microversion "
                                     "(X.Y, e.g. '2.60')", doc.path, *pos)
                if isinstance(raw, float):
                    line = f":{pos[0]}" if pos[0] is not None else ""
                    self.warnings.append(
                        f"{doc.path}{line}: x-openstack {spelled} {raw} is a YAML number; quote "
                        f"it ('{raw}'): '2.10' and 2.10 (= 2.1) are different microversions")
                self.mentioned.setdefault(k, str(raw))
                ends.append(k)
            rng = Range(ends[0], ends[1])
            if rng.hi is not None:
                self.max_ends.add(rng.hi)
            self.gates += 1
        self._own[key] = rng
        return rng

    def _child_range(self, doc: Document, ptr: str, node: Any) -> Range | None:
        """A child's own range, else (for a ``$ref``) the range of the object it names."""
        if not isinstance(node, dict):
            return None
        own = self._own_range(doc, ptr, node)
        if own is not None or "$ref" not in node:
            return own
        ref = node["$ref"]
        cache = (id(doc), str(ref))
        if cache in self._ref_range:
            return self._ref_range[cache]
        self._ref_range[cache] = None  # a cycle of references has no range
        rng = None
        target: Any = self.resolver.resolve(doc, ref)
        hops = 0
        while hops < limits.MAX_REF_HOPS:
            tdoc, tptr, tnode = target
            if not isinstance(tnode, dict):
                break
            rng = self._own_range(tdoc, tptr, tnode)
            if rng is not None or "$ref" not in tnode:
                break
            target = self.resolver.resolve(tdoc, tnode["$ref"])
            hops += 1
        self._ref_range[cache] = rng
        return rng

    def _scan(self, doc: Document, node: Any, ptr: str, role: int) -> bool:
        """Record ranges below ``node``; True when something below it can be left out."""
        key = id(node)
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = False  # shared (aliased) nodes: scanned once
        dirty = False
        if isinstance(node, dict):
            if isinstance(node.get("x-openstack"), dict):
                self._own_range(doc, ptr, node)
            droppable = role not in _KEEP_CHILDREN
            for k, v in node.items():
                if not isinstance(v, (dict, list)):
                    continue
                ks = str(k)
                if ks in _LITERAL or ks.startswith("x-"):
                    continue
                here = jp.join(ptr, ks)
                if droppable:
                    rng = self._child_range(doc, here, v)
                    if rng is not None:
                        self._ranges[id(v)] = rng
                        dirty = True
                if self._scan(doc, v, here, _child_role(role, ks)):
                    dirty = True
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if not isinstance(v, (dict, list)):
                    continue
                here = jp.join(ptr, i)
                rng = self._child_range(doc, here, v)
                if rng is not None:
                    self._ranges[id(v)] = rng
                    dirty = True
                if self._scan(doc, v, here, _OTHER):
                    dirty = True
        if dirty:
            self._dirty.add(key)
        self._seen[key] = dirty
        return dirty

    # -- versions -----------------------------------------------------------------------------
    def latest(self) -> Key | None:
        """The highest version the spec mentions (its ranges and its ``info.version``)."""
        keys = list(self.mentioned)
        if self.info_version is not None and (not keys or self.info_version[0] in
                                              {k[0] for k in keys}):
            keys.append(self.info_version)
        return max(keys) if keys else None

    def lowest(self) -> Key | None:
        return min(self.mentioned) if self.mentioned else None

    def boundaries(self, upto: Key | None = None) -> list[Key]:
        """Versions at which the projection can differ from the version before: every min-ver,
        and the version after every max-ver, up to ``upto`` (default: ``latest``)."""
        last = upto or self.latest()
        out = {r.lo for r in self._own.values() if r is not None and r.lo is not None}
        out.update((k[0], k[1] + 1) for k in self.max_ends)
        return sorted(k for k in out if last is None or k <= last)

    def resolve_version(self, text: str, shown: str) -> Key:
        """``latest`` or ``X.Y`` → a key; anything else is a usage error naming the input."""
        if text == "latest":
            last = self.latest()
            if last is None:
                raise InputError("@latest: the spec mentions no microversion (no x-openstack "
                                 "min-ver/max-ver, no X.Y info.version)", shown)
            return last
        key = microversion(text)
        if key is None:
            raise UsageError(f"{shown}: {text!r} is not a microversion (X.Y, e.g. 2.60) "
                             "or 'latest'")
        return key

    # -- projecting ---------------------------------------------------------------------------
    def project(self, version: Key, display: str | None = None,
                previous: ProjectedResolver | None = None) -> ProjectedResolver:
        """The spec at ``version``: a resolver over projected copies of every document.

        ``previous``: a projection this one will be compared with (its ``$ref`` index is
        reused for the parts both share)."""
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 20000))
        try:
            projected: dict[str, Document] = {}
            for key, doc in self.resolver.docs.items():
                if doc.format == "capture":
                    projected[key] = doc
                    continue
                remap: dict[str, list[int]] = {}
                renames: dict[str, tuple[str, str]] = {}
                data = self._project(doc.data, None, version, remap, renames, _ROOT)
                if doc is self.root and isinstance(data, dict):
                    data = _with_version(data, show(version))
                name = display if (doc is self.root and display) else doc.path
                projected[key] = ProjectedDocument(doc, data, name, remap, renames)
        finally:
            sys.setrecursionlimit(old)
        root = next(projected[k] for k, d in self.resolver.docs.items() if d is self.root)
        res = ProjectedResolver(root, root_dir=self.resolver.root_dir,
                                reader=self.resolver.reader, exists=self.resolver.exists,
                                check=False)
        res.docs = projected
        res.ref_map = self.resolver.ref_map
        res.warnings = list(self.resolver.warnings)
        res.originals = {d.path: d for d in self.resolver.docs.values()}
        res.original = self.resolver
        res.previous = previous
        return res

    def _project(self, node: Any, place: Place, v: Key, remap: dict[str, list[int]],
                 renames: dict[str, tuple[str, str]], role: int) -> Any:
        """``node`` at version ``v``; ``node`` itself when nothing below it is left out.

        ``place`` is a lazily built pointer (see ``_pointer``): most nodes never need one."""
        if id(node) not in self._dirty:
            return node
        ranges = self._ranges
        if isinstance(node, dict):
            out: dict[Any, Any] = {}
            changed = False
            droppable = role not in _KEEP_CHILDREN
            for k, child in node.items():
                if isinstance(child, (dict, list)):
                    if droppable:
                        rng = ranges.get(id(child))
                        if rng is not None and not rng.admits(v):
                            changed = True
                            continue
                    ks = str(k)
                    if ks in _LITERAL or ks.startswith("x-"):
                        out[k] = child
                        continue
                    new = self._project(child, (place, ks), v, remap, renames,
                                        _child_role(role, ks))
                    changed = changed or new is not child
                    out[k] = new
                else:
                    out[k] = child
            if not changed:
                return node  # nothing left out below: share the original
            ext = node.get("x-openstack")
            one = out.get("oneOf")
            if isinstance(ext, dict) and ext.get("discriminator") == "microversion" and \
                    isinstance(one, list) and len(one) == 1 and "allOf" not in out:
                # One body per microversion: at one version the body *is* that variant, and
                # allOf (which the diff reads as one flat schema) says so; members of a oneOf
                # would only be compared by name, a new variant reading as removed + added.
                out = {("allOf" if k == "oneOf" else k): val for k, val in out.items()}
                renames[_pointer(place)] = ("allOf", "oneOf")
            props, kept = node.get("properties"), out.get("properties")
            if isinstance(props, dict) and isinstance(kept, dict) and len(kept) < len(props) \
                    and isinstance(out.get("required"), list):
                gone = {n for n in props if n not in kept}
                out["required"] = [n for n in out["required"] if n not in gone]
            if role == _PATHITEM:
                had = any(str(m).lower() in METHODS for m in node)
                if had and not any(str(m).lower() in METHODS for m in out):
                    return _GONE
            if role == _PATHS:
                out = {p: item for p, item in out.items() if item is not _GONE}
            return out
        if isinstance(node, list):
            items: list[Any] = []
            kept_idx: list[int] = []
            for i, child in enumerate(node):
                if isinstance(child, (dict, list)):
                    rng = ranges.get(id(child))
                    if rng is not None and not rng.admits(v):
                        continue
                    child = self._project(child, (place, i), v, remap, renames, _OTHER)
                items.append(child)
                kept_idx.append(i)
            if len(items) < len(node):
                remap[_pointer(place)] = kept_idx
            elif all(a is b for a, b in zip(items, node, strict=True)):
                return node
            return items
        return node


_GONE: Any = object()  # a path item whose every operation was left out

# What a node is, for what may be left out below it: the top of a file, ``paths``, a path
# item, ``components``, a map of definitions, anything else.
_ROOT, _PATHS, _PATHITEM, _COMPONENTS, _DEFS, _OTHER = range(6)
# Children of these are never left out: top-level keys, component sections, definitions.
_KEEP_CHILDREN = frozenset({_ROOT, _COMPONENTS, _DEFS})
Place = Any  # None for the top, else (parent place, key)


def _child_role(role: int, key: str) -> int:
    if role == _ROOT:
        if key == "paths":
            return _PATHS
        if key == "components":
            return _COMPONENTS
        return _DEFS if key in _SWAGGER_DEFS else _OTHER
    if role == _PATHS:
        return _PATHITEM
    if role == _COMPONENTS:
        return _DEFS
    return _OTHER


def _pointer(place: Place) -> str:
    tokens: list[Any] = []
    while place is not None:
        place, key = place
        tokens.append(key)
    return jp.join("", *reversed(tokens)) if tokens else ""


def _with_version(data: dict[str, Any], version: str) -> dict[str, Any]:
    """The projection's ``info.version`` is the version it shows (what ``check`` reads)."""
    info = data.get("info")
    if not isinstance(info, dict):
        return data
    out = dict(data)
    out["info"] = {**info, "version": version}
    return out


def original_locations(changes: list[Any], base: Document, revision: Document) -> None:
    """File each change of a comparison with a projected side under the pointer written in the
    original file (a projection's list indices and ``allOf`` are its own), as its base and
    revision locations already are."""
    for ch in changes:
        side, loc = (revision, ch.revision) if ch.revision is not None else (base, ch.base)
        if loc is not None and isinstance(side, ProjectedDocument):
            ch.location = loc.pointer


def project_side(doc: Document, resolver: Resolver, at: str, shown: str
                 ) -> tuple[ProjectedDocument, ProjectedResolver, list[str]]:
    """``open_side``'s hook: the document and resolver of ``SPEC@at`` (``at`` as written)."""
    if doc.format == "capture":
        raise UsageError(f"{shown}: @VERSION projects an OpenAPI or Swagger spec (or reads a Nova "
                         "samples folder); this file is a capture")
    ann = Annotated(resolver)
    key = ann.resolve_version(at.lstrip("v") if at != "latest" else at, shown)
    warnings = list(ann.warnings)
    if not ann.gates:
        warnings.append(f"{shown}: no x-openstack min-ver/max-ver in the spec: it is the same "
                        "at every microversion")
    else:
        low, high = ann.lowest(), ann.latest()
        if high is not None and key > high:
            warnings.append(f"{shown}: {show(key)} is above the highest version the spec "
                            f"mentions ({show(high)})")
        elif low is not None and key < low:
            warnings.append(f"{shown}: {show(key)} is below the lowest version the spec "
                            f"mentions ({show(low)})")
    res = ann.project(key, shown)
    res.warnings.extend(w for w in warnings if w not in res.warnings)
    assert isinstance(res.root, ProjectedDocument)
    return res.root, res, warnings
