"""``$ref`` resolution across one or many files, confined to a project root.

Local pointers (``#/components/schemas/Pet``) and relative files (``common.yaml#/Pet``,
``../common/types.json``) are followed; remote (``http``) references are never fetched.
A reference that leaves the root, or is absolute, is refused. A reference to a file that does
not exist is reported as a warning and compared as text; a dangling pointer inside a file that
does exist is bad input.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from . import pointer as jp
from .errors import InputError
from .loader import Document, load_document, read_bytes


class Unresolved:
    """A reference apilint cannot follow (remote, or a missing file); compared by its text."""

    __slots__ = ("ref", "reason")

    def __init__(self, ref: str, reason: str) -> None:
        self.ref = ref
        self.reason = reason


class Resolver:
    """Follows ``$ref``s from a root document; other files are loaded once and cached."""

    def __init__(
        self,
        root: Document,
        *,
        root_dir: str | None = None,
        reader: Callable[[str], bytes] = read_bytes,
        exists: Callable[[str], bool] = os.path.exists,
    ) -> None:
        self.root = root
        base = os.path.dirname(os.path.abspath(root.real_path)) if root.real_path != "-" else "."
        self.root_dir = os.path.abspath(root_dir) if root_dir else find_project_root(base)
        self.reader = reader
        self.exists = exists
        self.docs: dict[str, Document] = {self._key(root.real_path): root}
        self.warnings: list[str] = []
        self._warned: set[str] = set()
        self._cache: dict[tuple[int, str], tuple[Document, str, Any] | Unresolved] = {}

    @staticmethod
    def _key(path: str) -> str:
        return os.path.normpath(os.path.abspath(path)) if path != "-" else "-"

    def resolve(self, doc: Document, ref: Any) -> tuple[Document, str, Any] | Unresolved:
        """(document, pointer, node) that ``ref`` names, as seen from ``doc``."""
        if isinstance(ref, str):
            hit = self._cache.get((id(doc), ref))
            if hit is not None:
                return hit
            result = self._resolve(doc, ref)
            self._cache[(id(doc), ref)] = result
            return result
        return self._resolve(doc, ref)

    def _resolve(self, doc: Document, ref: Any) -> tuple[Document, str, Any] | Unresolved:
        if not isinstance(ref, str):
            raise InputError(f"$ref must be a string, got {type(ref).__name__}", doc.path)
        if "#" in ref:
            file_part, frag = ref.split("#", 1)
        else:
            file_part, frag = ref, ""
        frag = unquote(frag)
        if frag and not frag.startswith("/"):
            # Plain-name fragments ($anchor/$id) are not followed: compared as text.
            return self._unresolved(doc, ref, "anchor references are not followed")
        target = doc
        if file_part:
            if "://" in file_part or file_part.startswith("//"):
                return self._unresolved(doc, ref, "remote references are not fetched")
            target_or = self._load(doc, file_part, ref)
            if isinstance(target_or, Unresolved):
                return target_or
            target = target_or
        try:
            node = jp.walk(target.data, frag)
        except (KeyError, ValueError):
            pos = None
            raise InputError(f"$ref {ref!r} points to nothing", doc.path, *(pos or ())) from None
        return target, frag, node

    def _load(self, doc: Document, file_part: str, ref: str) -> Document | Unresolved:
        rel = unquote(file_part)
        if os.path.isabs(rel) or rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
            raise InputError(f"$ref {ref!r} is an absolute path; only relative paths are followed",
                             doc.path)
        if doc.real_path == "-":
            raise InputError(f"$ref {ref!r} to another file cannot be followed from stdin",
                             doc.path)
        here = os.path.dirname(os.path.abspath(doc.real_path))
        target = os.path.normpath(os.path.join(here, rel))
        real_target = os.path.realpath(target) if os.path.exists(target) else target
        root = os.path.realpath(self.root_dir)
        if os.path.commonpath([root, real_target]) != root and os.path.commonpath(
            [self.root_dir, target]
        ) != self.root_dir:
            raise InputError(
                f"$ref {ref!r} leaves the project root {self.root_dir}; use --root to widen it",
                doc.path,
            )
        key = self._key(target)
        if key in self.docs:
            return self.docs[key]
        if not self.exists(target):
            return self._unresolved(doc, ref, "file not found")
        shown = os.path.relpath(target) if not os.path.relpath(target).startswith("..") else target
        shown = shown.replace(os.sep, "/") if os.sep != "/" else shown
        loaded = load_document(target, display=posixpath.normpath(shown), reader=self.reader)
        self.docs[key] = loaded
        return loaded

    def docs_by_display(self) -> dict[str, Document]:
        return {d.path: d for d in self.docs.values()}

    def _unresolved(self, doc: Document, ref: str, reason: str) -> Unresolved:
        key = f"{doc.path}\x00{ref}"
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(f"{doc.path}: $ref {ref!r} not followed: {reason}")
        return Unresolved(ref, reason)


def find_project_root(start: str) -> str:
    """The git work tree holding ``start``, else ``start`` itself."""
    cur = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(cur, ".git")):
            return cur
        parent = os.path.dirname(cur)
        if parent == cur:
            return os.path.abspath(start)
        cur = parent
