"""The pipeline as one call: load both sides, normalise, diff and classify.

``compare`` is what the CLI, the policy, the git integration and the tests use; it prints
nothing and raises ``ApilintError`` for bad input.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import InputError, UsageError
from .loader import Document, load_document, parse_cache, read_bytes
from .model import Change
from .source import Source

__all__ = ["Comparison", "LoadedSide", "Source", "compare", "open_side"]


@dataclass
class LoadedSide:
    """One side as loaded: its main document, every file it reaches (by display path), its
    ``info.version`` and the warnings loading it gave."""

    document: Document
    documents: dict[str, Document]
    version: str | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    base: LoadedSide
    revision: LoadedSide
    changes: list[Change]
    warnings: list[str]


def open_side(
    source: Source | str,
    *,
    root: str | None = None,
    twin: Any = None,
    ref_map: Sequence[tuple[str, str]] = (),
) -> tuple[Any, LoadedSide]:
    """Load one side: an OpenAPI/Swagger document, or a set of captures.

    ``twin``: the other side's resolver, already checked (see ``Resolver``)."""
    from .normalise import NormalisedApi
    from .refs import Resolver

    source = Source.of(source)
    path, display, reader, exists = source.path, source.display, source.reader, source.exists
    capture_options = source.capture_options
    doc: Document | None = None
    at: str | None = None  # SPEC@VERSION: the spec as a client asking for VERSION sees it
    if reader is read_bytes and _is_capture(path):
        from . import captures

        doc = captures.load_captures(path, **(capture_options or {}))
        if display:
            doc.path = display  # the name the user gave (or "REF:path"), not a temp copy
    if doc is None:
        if "@" in path:  # (the microversion module only for SPEC@VERSION)
            from .microversion import split_at

            path, at = split_at(path, exists)
        if at is not None and display and display.endswith(f"@{at}"):
            display = display[: -len(at) - 1]
        doc = load_document(path, display=display, reader=reader)
        if _looks_like_capture(doc):
            from . import captures

            # Built from the bytes already read, so a git reader's version is the one used.
            doc = captures.from_document(doc, **(capture_options or {}))
    resolver = Resolver(doc, root_dir=root, reader=reader, exists=exists, twin=twin,
                        ref_map=ref_map)
    if at is not None:
        from .microversion import project_side

        doc, resolver, _ = project_side(doc, resolver, at, f"{doc.path}@{at}")
    nside = NormalisedApi(doc, resolver)
    info = doc.data.get("info") if isinstance(doc.data, dict) else None
    version = info.get("version") if isinstance(info, dict) else None
    side = LoadedSide(doc, resolver.docs_by_display(),
                      None if version is None else str(version))
    side.warnings = resolver.warnings
    return nside, side


def _is_capture(path: str) -> bool:
    # A directory, a HAR file, or ``DIR@2.96`` (a Nova sample tree read at one microversion).
    if os.path.isdir(path) or path.endswith(".har") or "@" in os.path.basename(path):
        from . import captures

        return captures.is_capture_path(path)
    return False


def _looks_like_capture(doc: Document) -> bool:
    data = doc.data
    if isinstance(data, dict) and ("openapi" in data or "swagger" in data):
        return False
    from . import captures

    return captures.is_capture_document(doc)


def _single_file(path: str) -> bool:
    """A path that can only be one bare JSON body: a ``.json`` file, not a folder, HAR
    file or ``DIR@version`` sample tree."""
    return path.lower().endswith(".json") and "@" not in os.path.basename(path)


def _is_captures(side: LoadedSide) -> bool:
    return side.document.format == "capture"


def _same_kind(base: LoadedSide, revision: LoadedSide) -> None:
    """A spec against captures is no diff: every call would read as removed and added.
    Fail with the command that compares them (exit 2)."""
    if _is_captures(base) == _is_captures(revision):
        return
    spec, caps = (revision, base) if _is_captures(base) else (base, revision)
    raise UsageError(
        f"holds recorded captures, while {spec.document.path} is an API description; diff "
        f"and check compare two of a kind. To check recorded responses against a spec, run: "
        f"apilint conform {spec.document.path} {caps.document.path}", caps.document.path)


def compare(
    base: Source | str,
    revision: Source | str,
    *,
    root: str | None = None,
    validate: bool = False,
    ref_map: Sequence[tuple[str, str]] = (),
) -> Comparison:
    """Compare two descriptions, each a ``Source`` (a path alone: a file on disk).
    ``ref_map``: (URL prefix, folder under the project root) pairs; a remote ``$ref`` with a
    listed prefix is read from the folder, never fetched."""
    from .classify import classify
    from .diff import Differ

    base, revision = Source.of(base), Source.of(revision)
    if _single_file(base.path) and _single_file(revision.path):
        # Two single capture files named explicitly are one call, whatever their names
        # (lock-server.json against v2.73/lock-server-with-reason.json): the revision's
        # body is read as the base's call. Harmless when they turn out to be specs.
        revision = replace(revision, capture_options={**(revision.capture_options or {}),
                                                      "call_name": os.path.basename(base.path)})
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 20000))
    try:
        # One parse per distinct file content: the two sides share their unchanged files.
        with parse_cache():
            bn, bside = open_side(base, root=root, ref_map=ref_map)
            rn, rside = open_side(revision, root=root, twin=bn.resolver, ref_map=ref_map)
        _same_kind(bside, rside)
        differ = Differ(bn, rn)
        hits = differ.run()
        changes = classify(hits)
    except RecursionError:
        raise InputError("schemas nested too deeply to compare", revision.path) from None
    except MemoryError:
        from .loader import loading

        raise InputError("out of memory while reading or comparing this input",
                         loading() or revision.display or revision.path) from None
    finally:
        sys.setrecursionlimit(old_limit)
    if getattr(bside.document, "original", None) is not None or \
            getattr(rside.document, "original", None) is not None:
        from .microversion import original_locations

        original_locations(changes, bside.document, rside.document)
    bside.documents = bn.resolver.docs_by_display()
    rside.documents = rn.resolver.docs_by_display()
    warnings = bn.resolver.warnings + rn.resolver.warnings
    if validate:
        from .progress import steps
        from .validate import validate_document

        for side in steps((bside, rside), 2, "validating"):
            if side.document.format in ("json", "yaml"):
                warnings.extend(validate_document(side.document))
    warnings = list(dict.fromkeys(warnings))
    return Comparison(bside, rside, changes, warnings)
