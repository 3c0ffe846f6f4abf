"""``$ref`` resolution across one or many files, confined to a project root.

Local pointers (``#/components/schemas/Pet``) and relative files (``common.yaml#/Pet``,
``../common/types.json``) are followed wherever a ``$ref`` stands. Nothing is ever fetched: a
remote (``http``) reference is bad input unless a ref map (``--ref-map PREFIX=DIR``) names a
local folder that holds a copy, under the project root. A reference that is absolute, or that
leaves the project root (also through a symlink), is refused before anything is read. The
project root is ``--root`` when given, else the git work tree holding the spec, else the
spec's own folder. A gate must fail closed: a reference to a file that does not exist, a
dangling pointer inside a file that does exist, a chain of ``$ref``s that loops back with
nothing behind it, and a referenced file that is plain text rather than JSON or YAML are bad
input, each one line naming the ``$ref`` and where it is written. A plain-name fragment
(``#server-v2``) names the schema that declares it as its ``$anchor``. A file inside ``.git``
is never read, and one file reached under several names (a symlink, another spelling) is read
once.

Every reference of every loaded document is checked when the document is loaded, not only the
ones a diff happens to walk, so one broken ``$ref`` is reported the same way wherever it is.
The root document's overall shape (mappings and lists where OpenAPI requires them) is checked
at the same time.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import unquote

from . import limits
from . import pointer as jp
from .errors import InputError, UsageError
from .loader import _NOT_YET, Document, load_document, read_bytes
from .methods import METHODS
from .model import json_type

Target = tuple[Document, str, Any]


class Resolver:
    """Follows ``$ref``s from a root document; other files are loaded once and cached."""

    def __init__(
        self,
        root: Document,
        *,
        root_dir: str | None = None,
        reader: Callable[[str], bytes] = read_bytes,
        exists: Callable[[str], bool] = os.path.exists,
        check: bool = True,
        twin: Resolver | None = None,
        ref_map: Sequence[tuple[str, str]] = (),
    ) -> None:
        """``twin``: the resolver of the other side of a comparison, already checked. Parts
        of this root document equal to the twin's root at the same place are not walked
        again: they passed the same checks there, and hold the same ``$ref`` strings.

        ``ref_map``: (URL prefix, folder) pairs; a remote reference that starts with a prefix
        is read from the folder (relative to the project root, and inside it) instead."""
        self.root = root
        base = os.path.dirname(os.path.abspath(root.real_path)) if root.real_path != "-" else "."
        self.root_dir = os.path.abspath(root_dir) if root_dir else find_project_root(base)
        self.reader = reader
        self.exists = exists
        # A reader bound to a git tree can fetch many files in one exchange (gitsource).
        self._prefetch = getattr(getattr(reader, "__self__", None), "prefetch", None)
        self.docs: dict[str, Document] = {self._key(root.real_path): root}
        self.warnings: list[str] = list(root.warnings)
        self._cache: dict[tuple[int, str], Target] = {}
        self._checked: set[int] = set()
        self._index: dict[int, dict[str, frozenset[str]] | None] = {}
        self._twin = twin if twin is not None and twin.root.format == root.format else None
        self._real_root = os.path.realpath(self.root_dir)
        self._real_dirs: dict[str, str] = {}
        self._by_real: dict[str, Document] = {}  # real path -> the document read there
        if root.real_path != "-":
            self._by_real[os.path.realpath(root.real_path)] = root
        self._anchors: dict[int, dict[str, list[str]]] = {}  # per document: $anchor -> places
        self.ref_map = self._check_ref_map(ref_map)
        if check and root.format != "capture":
            twin_root = self._twin.root.data if self._twin is not None else None
            check_openapi_shape(root, twin_root)
            self.check_all()

    def _realpath(self, path: str) -> str:
        """``os.path.realpath`` with the real path of each folder remembered: the files of a
        split spec share a few folders, and resolving each folder again per file is most of
        the cost of loading small files."""
        folder, name = os.path.split(path)
        real = self._real_dirs.get(folder)
        if real is None:
            real = self._real_dirs[folder] = os.path.realpath(folder)
        full = os.path.join(real, name)
        return os.path.realpath(full) if os.path.islink(full) else full

    def _check_ref_map(self, ref_map: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """(prefix, absolute folder), longest prefix first; a folder must be in the root."""
        out: list[tuple[str, str]] = []
        real_root = os.path.realpath(self.root_dir)
        for prefix, folder in ref_map:
            where = os.path.normpath(os.path.join(self.root_dir, folder))
            if not (_inside(self.root_dir, where) and _inside(real_root, os.path.realpath(where))):
                raise InputError(f"ref map folder {_show(folder)} (for {_show(prefix)}) is "
                                 f"outside the project root {self.root_dir}")
            out.append((prefix, where))
        out.sort(key=lambda item: -len(item[0]))
        return out

    @staticmethod
    def _key(path: str) -> str:
        return os.path.normpath(os.path.abspath(path)) if path != "-" else "-"

    # -- checking every reference up front ----------------------------------------------------
    def check_all(self) -> None:
        """Resolve every ``$ref`` in every loaded document (loading the files they name)."""
        while True:
            pending = [d for d in self.docs.values()
                       if id(d) not in self._checked and d.format != "capture"]
            if not pending:
                return
            for doc in pending:
                self._checked.add(id(doc))
                index = self.ref_index(doc)
                quick = None if index is None else sorted(set().union(*index.values()))
                if quick is not None and self._prefetch is not None:
                    self._prefetch(self._files_named(doc, quick))
                if quick is not None:
                    try:
                        for ref in quick:
                            self._check_ref(doc, "", ref)
                        continue
                    except InputError:
                        pass  # walk again, with places, so the error names its line
                for ptr, ref in _refs_in(doc.data):
                    self._check_ref(doc, ptr, ref)

    def _display(self, target: str) -> str:
        """A loaded file's name in messages and reports; a file read from a git commit is
        named as git names it (``HEAD~1:resources/x.yml``), like the spec that refers to it."""
        tree = getattr(self.reader, "__self__", None)
        label, relpath = getattr(tree, "label", None), getattr(tree, "relpath", None)
        if isinstance(label, str) and relpath is not None:
            rel = relpath(target)
            if rel is not None:
                return f"{label}:{rel}"
        return _shown(target)

    def _files_named(self, doc: Document, refs: list[str]) -> list[str]:
        """Paths of the files not loaded yet that relative ``refs`` in ``doc`` name (to read
        ahead; every check still happens when each reference is resolved)."""
        if doc.real_path == "-":
            return []
        here = os.path.dirname(os.path.abspath(doc.real_path))
        out = []
        for ref in refs:
            file_part = ref.split("#", 1)[0]
            if not file_part or "://" in file_part or file_part.startswith(("/", "\\")) or \
                    _has_scheme(file_part):
                continue
            target = os.path.normpath(os.path.join(here, unquote(file_part)))
            if self._key(target) not in self.docs and _inside(self.root_dir, target):
                out.append(target)
        return out

    def ref_index(self, doc: Document) -> dict[str, frozenset[str]] | None:
        """``$ref`` strings under each path item and each component of ``doc`` (see
        ``ref_index``); built once per document and shared with the diff."""
        key = id(doc)
        if key not in self._index:
            twin = None
            if doc is self.root and self._twin is not None:
                twin_index = self._twin.ref_index(self._twin.root)
                if twin_index is not None:
                    twin = (self._twin.root.data, twin_index)
            shared = doc.shared
            if shared is not None and shared.ref_index is not _NOT_YET:
                # The same bytes were indexed for the other side (or another spec): the
                # $ref strings are the same, only where they lead may differ.
                self._index[key] = shared.ref_index
            else:
                self._index[key] = ref_index(doc.data, twin)
                if shared is not None:
                    shared.ref_index = self._index[key]
        return self._index[key]

    def _check_ref(self, doc: Document, ptr: str, ref: Any) -> None:
        try:
            target = self.resolve(doc, ref)
            hops = 0
            seen = {(id(doc), ptr)}
            while True:
                tdoc, tptr, node = target
                if not (isinstance(node, dict) and "$ref" in node):
                    return
                if (id(tdoc), tptr) in seen:
                    raise InputError(f"$ref {_show(ref)} is a cycle of references with nothing "
                                     "behind it", doc.path)
                if hops >= limits.MAX_REF_HOPS:
                    raise InputError(f"$ref {_show(ref)} starts a chain of more than "
                                     f"{limits.MAX_REF_HOPS} $refs (limit MAX_REF_HOPS)",
                                     doc.path)
                seen.add((id(tdoc), tptr))
                hops += 1
                target = self.resolve(tdoc, node["$ref"])
        except InputError as err:
            if err.file == doc.path and err.line is None:
                pos = doc.position(jp.join(ptr, "$ref"))
                if pos is not None:
                    err.line, err.column = pos
            raise

    # -- resolving --------------------------------------------------------------------------
    def resolve(self, doc: Document, ref: Any) -> Target:
        """(document, pointer, node) that ``ref`` names, as seen from ``doc``."""
        if isinstance(ref, str):
            hit = self._cache.get((id(doc), ref))
            if hit is not None:
                return hit
            result = self._resolve(doc, ref)
            self._cache[(id(doc), ref)] = result
            return result
        return self._resolve(doc, ref)

    def _resolve(self, doc: Document, ref: Any) -> Target:
        if not isinstance(ref, str):
            raise InputError(f"$ref must be a string, not {_kind(ref)}", doc.path)
        if "#" in ref:
            file_part, frag = ref.split("#", 1)
        else:
            file_part, frag = ref, ""
        frag = unquote(frag)
        target = doc
        if file_part:
            if "://" in file_part or file_part.startswith("//") or _has_scheme(file_part):
                target = self._load_mapped(doc, file_part, ref)
            else:
                target = self._load(doc, file_part, ref)
        if frag and not frag.startswith("/"):
            # A plain-name fragment names the schema that declares it as its `$anchor`
            # (JSON Schema 2020-12, OpenAPI 3.1): found, or the run stops (fail closed).
            places = self._anchor_index(target).get(frag, [])
            if len(places) != 1:
                what = "no schema declares" if not places else "several schemas declare"
                raise InputError(f"$ref {_show(ref)} points to nothing: {what} "
                                 f"$anchor {_show(frag)}", doc.path)
            frag = places[0]
        try:
            node = jp.walk(target.data, frag)
        except (KeyError, ValueError):
            where = f" in {target.path}" if target is not doc else ""
            raise InputError(f"$ref {_show(ref)} points to nothing{where}; fix the reference "
                             "or add the definition it names, then run again", doc.path) from None
        return target, frag, node

    def _anchor_index(self, doc: Document) -> dict[str, list[str]]:
        """Where each ``$anchor`` of ``doc`` is declared (pointers), built once per document."""
        found = self._anchors.get(id(doc))
        if found is None:
            found = {}
            stack: list[tuple[Any, str]] = [(doc.data, "")]
            while stack:
                node, ptr = stack.pop()
                if isinstance(node, dict):
                    anchor = node.get("$anchor")
                    if isinstance(anchor, str):
                        found.setdefault(anchor, []).append(ptr)
                    stack.extend((v, jp.join(ptr, k)) for k, v in node.items()
                                 if isinstance(v, (dict, list)))
                elif isinstance(node, list):
                    stack.extend((v, jp.join(ptr, i)) for i, v in enumerate(node)
                                 if isinstance(v, (dict, list)))
            self._anchors[id(doc)] = found
        return found

    def _load_mapped(self, doc: Document, url: str, ref: str) -> Document:
        """A remote reference read from the local folder the ref map gives its prefix."""
        for prefix, folder in self.ref_map:
            if url.startswith(prefix):
                rel = unquote(url[len(prefix):])
                if "\x00" in rel or os.path.isabs(rel) or rel.startswith(("/", "\\")):
                    raise InputError(f"$ref {_show(ref)} maps to no file under the ref map "
                                     f"folder for {_show(prefix)}", doc.path)
                target = os.path.normpath(os.path.join(folder, rel))
                if not _inside(folder, target):
                    raise InputError(f"$ref {_show(ref)} leaves the ref map folder for "
                                     f"{_show(prefix)}", doc.path)
                return self._load_path(doc, target, ref)
        raise InputError(f"$ref {_show(ref)} is remote and apilint never fetches; map it to a "
                         "local folder with --ref-map", doc.path)

    def _load(self, doc: Document, file_part: str, ref: str) -> Document:
        rel = unquote(file_part)
        if "\x00" in rel:
            raise InputError(f"$ref {_show(ref)} contains a NUL character", doc.path)
        if os.path.isabs(rel) or rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":"):
            raise InputError(f"$ref {_show(ref)} is an absolute path; only relative paths are "
                             "followed", doc.path)
        if doc.real_path == "-":
            raise InputError(f"$ref {_show(ref)} to another file cannot be followed from stdin",
                             doc.path)
        here = os.path.dirname(os.path.abspath(doc.real_path))
        return self._load_path(doc, os.path.normpath(os.path.join(here, rel)), ref)

    def _load_path(self, doc: Document, target: str, ref: str) -> Document:
        """The document at ``target`` (absolute), confined to the project root."""
        key = self._key(target)
        loaded_before = self.docs.get(key)
        if loaded_before is not None:
            return loaded_before  # this very path passed the checks below when it was loaded
        root = self._real_root
        if not _inside(self.root_dir, target) and not _inside(root, target):
            raise InputError(f"$ref {_show(ref)} leaves the project root {self.root_dir}; "
                             "use --root to widen it", doc.path)
        # A symlink inside the root may point anywhere; what counts is where it leads.
        real = self._realpath(target)
        if not _inside(root, real):
            raise InputError(f"$ref {_show(ref)} leads through a symlink out of the project "
                             f"root {self.root_dir}", doc.path)
        inside = os.path.relpath(real, root).split(os.sep)
        if ".git" in inside or ".git" in os.path.relpath(target, self.root_dir).split(os.sep):
            # git's own files (config, hooks, objects) are never API descriptions.
            raise InputError(f"$ref {_show(ref)} names a file inside .git, which apilint "
                             "never reads", doc.path)
        same = self._by_real.get(real)
        if same is not None:
            # The same file under another name (a symlink, another spelling): read once.
            self.docs[key] = same
            return same
        if os.path.isdir(target):
            raise InputError(f"$ref {_show(ref)} names a folder, not a file", doc.path)
        if not self.exists(target):
            raise InputError(f"$ref {_show(ref)} names a file that does not exist "
                             f"({self._display(target)}); fix the reference, or point --root "
                             "(--ref-map for a URL) at where the file lives", doc.path)
        if len(self.docs) >= limits.MAX_REF_FILES:
            raise InputError(f"$ref {_show(ref)} would load more than {limits.MAX_REF_FILES} "
                             "files (limit MAX_REF_FILES)", doc.path)
        loaded = load_document(target, display=self._display(target), reader=self.reader)
        if not isinstance(loaded.data, (dict, list, bool)):
            # Plain text parses as one YAML string; its content must not reach a report.
            raise InputError(f"$ref {_show(ref)} names a file that is not a JSON or YAML "
                             f"document ({loaded.path})", doc.path)
        self.docs[key] = loaded
        self._by_real[real] = loaded
        for warning in loaded.warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)
        return loaded

    def docs_by_display(self) -> dict[str, Document]:
        return {d.path: d for d in self.docs.values()}


def ref_map_entries(entries: tuple[str, ...]) -> list[tuple[str, str]]:
    """``--ref-map PREFIX=DIR`` values as (prefix, folder) pairs; a bad one is a usage error."""
    out = []
    for entry in entries:
        try:
            out.append(parse_ref_map(entry))
        except ValueError as err:
            raise UsageError(f"--ref-map: {err}") from None
    return out


def parse_ref_map(entry: str) -> tuple[str, str]:
    """``PREFIX=DIR`` (``--ref-map``) as (prefix, folder); ValueError says what is wrong."""
    prefix, sep, folder = entry.rpartition("=")
    return check_ref_map_entry(prefix if sep else entry, folder if sep else "")


def check_ref_map_entry(prefix: str, folder: str) -> tuple[str, str]:
    """A ref map entry as given, or ValueError: the prefix must be a URL, the folder relative."""
    if not prefix or not folder:
        raise ValueError("a ref map entry is PREFIX=DIR, e.g. "
                         "https://example.com/schemas/=schemas/")
    if not ("://" in prefix or prefix.startswith("//") or _has_scheme(prefix)):
        raise ValueError(f"ref map prefix {_show(prefix)} is not a URL; only remote "
                         "references are mapped")
    if os.path.isabs(folder) or folder.startswith(("/", "\\")) or \
            (len(folder) > 1 and folder[1] == ":"):
        raise ValueError(f"ref map folder {_show(folder)} must be relative to the project root")
    return prefix, folder


def _shown(target: str) -> str:
    """A loaded file's name in messages: relative to here when below it."""
    rel = os.path.relpath(target)
    shown = rel if not rel.startswith("..") else target
    shown = shown.replace(os.sep, "/") if os.sep != "/" else shown
    return posixpath.normpath(shown)


def _show(ref: str) -> str:
    return repr(ref if len(ref) <= 200 else ref[:197] + "...")


def _has_scheme(part: str) -> bool:
    """``mailto:x``, ``urn:x``, ``file:x``: a URI scheme, never a relative path."""
    head, sep, _ = part.partition(":")
    return bool(sep) and len(head) > 1 and head[:1].isalpha() and all(
        c.isalnum() or c in "+.-" for c in head)


def _inside(root: str, path: str) -> bool:
    try:
        return os.path.commonpath([root, path]) == root
    except ValueError:  # different drives
        return False


def find_project_root(start: str) -> str:
    """The git work tree holding ``start``, else ``start`` itself."""
    return git_root(start) or os.path.abspath(start)


def git_root(start: str) -> str | None:
    """The nearest folder at or above ``start`` that holds ``.git``, or None."""
    cur = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(cur, ".git")):
            return cur
        parent = os.path.dirname(cur)
        if parent == cur:
            return None
        cur = parent


# Keys whose values are data (examples, defaults, extension payloads), never $refs to follow.
_DATA_KEYS = frozenset({"example", "default", "enum", "const", "value"})
# Keys whose mapping values are keyed by names chosen by the author, so any name may appear.
NAMED_MAPS = frozenset({
    "properties", "patternProperties", "definitions", "$defs", "schemas", "parameters",
    "responses", "paths", "headers", "content", "callbacks", "links", "requestBodies",
    "securitySchemes", "examples", "dependentSchemas", "webhooks", "pathItems", "encoding",
    "securityDefinitions", "variables",
})


# Top-level maps whose members are path items or reusable parts: one index group each.
_GROUP_MAPS = ("paths", "webhooks", "definitions", "parameters", "responses",
               "securityDefinitions")


def ref_index(data: Any, twin: tuple[Any, dict[str, frozenset[str]]] | None = None
              ) -> dict[str, frozenset[str]] | None:
    """``$ref`` strings outside data values, grouped by the path item or component holding them.

    Keys are pointers like ``/paths/~1pets``, ``/definitions/Pet``,
    ``/components/schemas/Pet``; references anywhere else are under ``""``. One walk of the
    whole document, without a pointer per node. None when a ``$ref`` is not a string (an
    error the caller places with ``_refs_in``).

    ``twin``: (data, index) of the other side of a comparison; a path item or component equal
    to the twin's at the same place takes the twin's group without a walk (the comparison in C
    costs a fraction of the walk, and most of a revision equals its base).
    """
    if type(data) is not dict:
        return {}
    twin_data = twin[0] if twin is not None and type(twin[0]) is dict else {}
    # (value, group pointer, the twin's value at the same place or None)
    seeds: list[tuple[Any, str, Any]] = []
    for key, value in data.items():
        if key in _GROUP_MAPS and type(value) is dict:
            other = _mapping(twin_data.get(key))
            seeds.extend((member, jp.join(jp.join("", key), name), other.get(name))
                         for name, member in value.items())
        elif key == "components" and type(value) is dict:
            comps = _mapping(twin_data.get("components"))
            for section, members in value.items():
                if type(members) is dict:
                    other = _mapping(comps.get(section))
                    where = jp.join(jp.join("", "components"), section)
                    seeds.extend((member, jp.join(where, name), other.get(name))
                                 for name, member in members.items())
        elif key == "$ref" or not (key in _DATA_KEYS or str(key).startswith("x-")):
            seeds.append(({key: value} if key == "$ref" else value, "", None))
    groups: dict[str, set[str]] = {}
    twin_groups = twin[1] if twin is not None else {}
    for root, group, other in seeds:
        found: Any = None
        if other is not None and group in twin_groups and other == root:
            found = twin_groups[group]
        else:
            found = ref_strings(root)
            if found is None:
                return None
        groups.setdefault(group, set()).update(found)  # empty groups too: "no refs" is news
    return {k: frozenset(v) for k, v in groups.items()}


def _mapping(value: Any) -> dict[Any, Any]:
    return value if type(value) is dict else {}


def ref_strings(data: Any, names: bool = False) -> set[str] | None:
    """The ``$ref`` strings under ``data`` outside data values; None for a non-string one.

    ``names``: ``data`` is itself a map keyed by names (links, examples, callbacks), so a
    member called ``default`` or ``$ref`` is a member, not a keyword.
    """
    found, odd = _walk_refs(data, track=False, named=names)
    return None if odd else set(found)


def _refs_in(data: Any) -> list[tuple[str, Any]]:
    """(pointer of the object holding it, value) for every distinct ``$ref`` outside data values.

    A reference resolves the same wherever it is written, so each distinct string is listed
    once, at its first holder; pointers are built only for those.
    """
    found, odd = _walk_refs(data, track=True)
    out = [(_pointer(p), r) for p, r in odd] + [(_pointer(p), r) for r, p in found.items()]
    out.sort(key=lambda item: item[0])
    return out


def _walk_refs(data: Any, track: bool,
               named: bool = False) -> tuple[dict[str, Place], list[tuple[Place, Any]]]:
    """One walk for both readers: distinct ``$ref`` strings with the place of their first
    holder (places only when ``track``: this walks whole specs), and non-string ``$ref``s.

    Data values (``enum``, ``default``, example values) and extensions are not followed; in
    maps whose keys are names (``properties``, ``paths``…) a key called ``$ref`` is a name.
    """
    if not track:
        return _walk_refs_untracked(data, named)
    found: dict[str, Place] = {}
    odd: list[tuple[Place, Any]] = []
    # (node, place, True when node's keys are author-chosen names)
    stack: list[tuple[Any, Place, bool]] = [(data, None, named)]
    pop, push = stack.pop, stack.append
    while stack:
        node, place, named = pop()
        if type(node) is dict:
            if not named and "$ref" in node:
                ref = node["$ref"]
                if type(ref) is str:
                    if ref not in found:
                        found[ref] = place
                else:
                    odd.append((place, ref))
            for key, value in node.items():
                t = type(value)
                if t is not dict and t is not list:
                    continue
                if not named:
                    if key in _DATA_KEYS or str(key).startswith("x-"):
                        continue
                    if key == "examples" and t is list:
                        continue
                push((value, (place, key) if track else None,
                      not named and t is dict and key in NAMED_MAPS))
        elif type(node) is list:
            for i, value in enumerate(node):
                t = type(value)
                if t is dict or t is list:
                    push((value, (place, i) if track else None, False))
    return found, odd


def _walk_refs_untracked(data: Any, named: bool) -> tuple[dict[str, Place],
                                                         list[tuple[Place, Any]]]:
    """``_walk_refs`` without places, as the index of a whole spec walks it: the same rules,
    the loop cut to what they need (a fifth faster on a large spec)."""
    found: dict[str, Place] = {}
    odd: list[tuple[Place, Any]] = []
    stack: list[tuple[Any, bool]] = [(data, named)]  # (node, its keys are names)
    pop, push = stack.pop, stack.append
    data_keys, named_maps = _DATA_KEYS, NAMED_MAPS
    while stack:
        node, named = pop()
        if type(node) is dict:
            if named:
                for value in node.values():
                    kind = type(value)
                    if kind is dict or kind is list:
                        push((value, False))
                continue
            if "$ref" in node:
                ref = node["$ref"]
                if type(ref) is not str:
                    odd.append((None, ref))
                elif ref not in found:
                    found[ref] = None
            for key, value in node.items():
                kind = type(value)
                if kind is dict:
                    if not (key in data_keys or (type(key) is str and key[:2] == "x-")):
                        push((value, key in named_maps))
                elif kind is list:
                    if not (key in data_keys or key == "examples"
                            or (type(key) is str and key[:2] == "x-")):
                        push((value, False))
        elif type(node) is list:
            for value in node:
                kind = type(value)
                if kind is dict or kind is list:
                    push((value, False))
    return found, odd


# -- shape ------------------------------------------------------------------------------------
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("not", "additionalProperties", "items", "contains", "propertyNames", "if",
               "then", "else", "unevaluatedItems", "unevaluatedProperties",
               "additionalItems")


# A place in the document, built lazily: None for the root, else (parent place, key).
Place = Any


def _pointer(place: Place) -> str:
    tokens: list[Any] = []
    while place is not None:
        place, key = place
        tokens.append(key)
    return jp.join("", *reversed(tokens))


class _Shape:
    """Walks the places OpenAPI gives a fixed type and refuses a value of the wrong type.

    Labels are templates filled with the JSON pointer only when a check fails: the walk visits
    every schema of large specs, so nothing is formatted on the way.
    """

    def __init__(self, doc: Document, spec: str, twin: dict[Any, Any] | None = None) -> None:
        self.doc = doc
        self.spec = spec
        self.todo: list[tuple[str, Place, Any]] = []
        # The other side's root, already checked under the same spec version: top-level path
        # items and components equal to its own are skipped.
        self.twin = twin if twin is not None else {}

    def fail(self, label: str, place: Place, expected: str, value: Any) -> None:
        ptr = _pointer(place)
        pos = self.doc.position(ptr)
        owner = _pointer(place[0]) if place is not None else ""
        what = label.format(ptr=ptr, owner=owner or "/", key=place[1] if place else "")
        raise InputError(f"{what} must be {expected}, not {_kind(value)}", self.doc.path,
                         *(pos or ()))

    def mapping(self, label: str, place: Place, value: Any) -> bool:
        """True for a mapping to look into; None is tolerated as absent."""
        if value is None:
            return False
        if type(value) is not dict:
            self.fail(label, place, "a mapping", value)
        return "$ref" not in value

    def listing(self, label: str, place: Place, value: Any) -> bool:
        if value is None:
            return False
        if type(value) is not list:
            self.fail(label, place, "a list", value)
        return True

    def run(self) -> None:
        data = self.doc.data
        twin = self.twin
        for key in ("info", "components"):
            self.mapping(f"'{key}'", (None, key), data.get(key))
        self.security((None, "security"), data.get("security"))
        for key in ("paths", "webhooks"):
            self.named(f"'{key}'", (None, key), data.get(key), "pathitem", twin.get(key))
        if self.spec == "2.0":
            for key, kind in (("definitions", "schema"), ("parameters", "parameter"),
                              ("responses", "response")):
                self.named(f"'{key}'", (None, key), data.get(key), kind, twin.get(key))
        comps = data.get("components")
        if isinstance(comps, dict):
            where = (None, "components")
            twin_comps = _mapping(twin.get("components"))
            for key, kind in (("schemas", "schema"), ("parameters", "parameter"),
                              ("responses", "response"), ("requestBodies", "body"),
                              ("headers", "parameter"), ("pathItems", "pathitem")):
                self.named(f"'components.{key}'", (where, key), comps.get(key), kind,
                           twin_comps.get(key))
            for key in ("securitySchemes", "examples", "links", "callbacks"):
                self.mapping(f"'components.{key}'", (where, key), comps.get(key))
        todo = self.todo
        handlers = {"pathitem": self.do_pathitem, "operation": self.do_operation,
                    "parameter": self.do_parameter, "body": self.do_body,
                    "response": self.do_response, "schema": self.do_schema}
        while todo:
            kind, place, value = todo.pop()
            handlers[kind](place, value)

    def named(self, label: str, place: Place, value: Any, kind: str, twin: Any = None) -> None:
        if self.mapping(label, place, value):
            todo = self.todo
            other = _mapping(twin)
            for name, item in value.items():
                if not (type(name) is str and name.startswith("x-")):
                    same = other.get(name)
                    if same is not None and same == item:
                        continue
                    todo.append((kind, (place, name), item))

    def do_pathitem(self, place: Place, item: Any) -> None:
        if not self.mapping("path item {ptr}", place, item):
            return
        self.params(place, item.get("parameters"))
        for method in METHODS:
            if method in item:
                self.todo.append(("operation", (place, method), item[method]))

    def params(self, owner: Place, value: Any) -> None:
        place = (owner, "parameters")
        if self.listing("parameters of {owner}", place, value):
            for i, param in enumerate(value):
                self.todo.append(("parameter", (place, i), param))

    def security(self, place: Place, value: Any) -> None:
        """A list of requirements, each a mapping from scheme name to a list of scopes."""
        if not self.listing("security {ptr}", place, value):
            return
        for i, req in enumerate(value):
            rplace = (place, i)
            if self.mapping("security requirement {ptr}", rplace, req):
                for name, scopes in req.items():
                    self.listing("scopes of {key!r} in {owner}", (rplace, name), scopes)

    def do_operation(self, place: Place, op: Any) -> None:
        if not self.mapping("operation {ptr}", place, op):
            return
        self.params(place, op.get("parameters"))
        self.security((place, "security"), op.get("security"))
        if "requestBody" in op:
            self.todo.append(("body", (place, "requestBody"), op["requestBody"]))
        self.named("responses of {owner}", (place, "responses"), op.get("responses"),
                   "response")
        callbacks = op.get("callbacks")
        cplace = (place, "callbacks")
        if self.mapping("callbacks of {owner}", cplace, callbacks):
            for name, cb in callbacks.items():
                self.named("callback {ptr}", (cplace, name), cb, "pathitem")

    def do_parameter(self, place: Place, param: Any) -> None:
        if not self.mapping("parameter {ptr}", place, param):
            return
        if "schema" in param:
            self.todo.append(("schema", (place, "schema"), param["schema"]))
        if "content" in param:
            self.content(place, param["content"])

    def do_body(self, place: Place, body: Any) -> None:
        if self.mapping("request body {ptr}", place, body) and "content" in body:
            self.content(place, body["content"])

    def do_response(self, place: Place, resp: Any) -> None:
        if not self.mapping("response {ptr}", place, resp):
            return
        if "schema" in resp:
            self.todo.append(("schema", (place, "schema"), resp["schema"]))
        if "headers" in resp:
            self.named("headers of {owner}", (place, "headers"), resp["headers"], "parameter")
        if "content" in resp:
            self.content(place, resp["content"])

    def content(self, owner: Place, value: Any) -> None:
        place = (owner, "content")
        if not self.mapping("content of {owner}", place, value):
            return
        for media, mt in value.items():
            mplace = (place, media)
            if self.mapping("media type {ptr}", mplace, mt) and "schema" in mt:
                self.todo.append(("schema", (mplace, "schema"), mt["schema"]))

    def do_schema(self, place: Place, schema: Any) -> None:
        if type(schema) is bool and self.spec == "3.1":
            return
        if not self.mapping("schema {ptr}", place, schema):
            return
        todo = self.todo
        for key in _SCHEMA_MAPS:
            if key in schema:
                self.named(f"'{key}' of schema {{owner}}", (place, key), schema[key], "schema")
        for key in _SCHEMA_LISTS:
            if key in schema:
                kplace = (place, key)
                if self.listing(f"'{key}' of schema {{owner}}", kplace, schema[key]):
                    for i, sub in enumerate(schema[key]):
                        todo.append(("schema", (kplace, i), sub))
        for key in _SCHEMA_ONE:
            if key not in schema:
                continue
            sub = schema[key]
            if type(sub) is bool and key in _BOOL_OK:
                continue
            if key == "items" and type(sub) is list:
                # The old tuple form of JSON Schema; the diff compares it as a value.
                continue
            todo.append(("schema", (place, key), sub))
        if "required" in schema and type(schema["required"]) not in (list, bool):
            self.fail("'required' of schema {owner}", (place, "required"), "a list",
                      schema["required"])
        if "enum" in schema:
            self.listing("'enum' of schema {owner}", (place, "enum"), schema["enum"])


_BOOL_OK = frozenset({"additionalProperties", "additionalItems", "unevaluatedItems",
                      "unevaluatedProperties"})


def _kind(value: Any) -> str:
    """What a value is, in the words of the shape errors ("a mapping", "a list")."""
    return _KIND_WORDS[json_type(value)]


_KIND_WORDS = {"null": "null", "boolean": "a boolean", "number": "a number",
               "string": "a string", "array": "a list", "object": "a mapping"}


def check_openapi_shape(doc: Document, twin: Any = None) -> None:
    """Refuse an OpenAPI/Swagger document whose well-known members have the wrong type.

    Documents that are not OpenAPI or Swagger mappings are left to the normaliser, which says
    what they are not. ``twin``: the root of an already checked document; its path items and
    components are not checked again here where they are equal and the spec version is the
    same (the version decides what passes, e.g. boolean schemas in 3.1).
    """
    data = doc.data
    spec = _spec_of(data)
    if spec is None:
        return
    _Shape(doc, spec, twin if spec == _spec_of(twin) else None).run()


def _spec_of(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if "swagger" in data:
        return "2.0"
    if "openapi" in data:
        return "3.1" if str(data.get("openapi")).strip().startswith("3.1") else "3.0"
    return None
