"""Which API descriptions reach a file through ``$ref``: the specs a changed file belongs to.

A multi-file spec keeps its operations and schemas in files that are not API descriptions by
themselves (``resources/droplets/list.yml``). When only such a file changes, the pre-commit
hook is handed that file alone; the specs to check are the tracked API documents whose
``$ref`` closure holds it. This module finds them.

The closure is read from the text, not parsed: every ``$ref`` value written in a file is taken
(also ones inside examples or descriptions). Taking too many can only add a spec to the run —
checked, never skipped — and reading text keeps the search fast on specs of thousands of files.
Only files inside the project root are followed, with the same ref map as the comparison; a
file that cannot be read ends its branch of the search.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import unquote

from .limits import MAX_FILE_BYTES

# A $ref key (bare, or quoted as in JSON and quoted YAML) and its value, quoted or plain.
_REF = re.compile(
    rb"""(?:^|[\s{,\[])["']?\$ref["']?[ \t]*:[ \t]*"""  # the key, bare or quoted
    rb"""(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([^\s,}\]'"][^\s,}\]]*))""",  # the value
    re.MULTILINE)

SPEC_SUFFIXES = (".yaml", ".yml", ".json")

# Reads a file by its path relative to the project root (posix spelling); None when absent.
Reader = Callable[[str], "bytes | None"]


def ref_targets(rel: str, raw: bytes, ref_map: Sequence[tuple[str, str]] = ()) -> set[str]:
    """Files (relative to the root, posix spelling) that the ``$ref``s written in ``raw`` name;
    ``rel`` is where ``raw`` was read. Files outside the root are left out."""
    here = posixpath.dirname(rel)
    out: set[str] = set()
    for match in _REF.finditer(raw):
        value = next(g for g in match.groups() if g is not None)
        text = value.decode("utf-8", "replace")
        if match.group(1) is not None:
            text = text.replace('\\"', '"').replace("\\\\", "\\")
        file_part = text.split("#", 1)[0].strip()
        if not file_part:
            continue
        target = _target(here, unquote(file_part), ref_map)
        if target is not None:
            out.add(target)
    return out


def _target(here: str, file_part: str, ref_map: Sequence[tuple[str, str]]) -> str | None:
    if "://" in file_part or file_part.startswith("//") or re.match(r"^[A-Za-z][\w+.-]+:",
                                                                      file_part):
        for prefix, folder in sorted(ref_map, key=lambda item: -len(item[0])):
            if file_part.startswith(prefix):
                joined = posixpath.join(folder.replace("\\", "/"), file_part[len(prefix):])
                return _inside_root(joined)
        return None  # remote and unmapped: the comparison itself refuses it
    if file_part.startswith(("/", "\\")):
        return None
    return _inside_root(posixpath.join(here, file_part))


def _inside_root(path: str) -> str | None:
    norm = posixpath.normpath(path)
    if norm == ".." or norm.startswith("../") or norm.startswith("/"):
        return None
    return norm


def roots_reaching(changed: Iterable[str], roots: Iterable[str], read: Reader,
                   ref_map: Sequence[tuple[str, str]] = ()) -> list[str]:
    """The ``roots`` (relative paths) whose ``$ref`` closure holds one of ``changed``."""
    wanted = set(changed)
    edges: dict[str, set[str]] = {}

    def targets(rel: str) -> set[str]:
        found = edges.get(rel)
        if found is None:
            raw = read(rel)
            found = ref_targets(rel, raw, ref_map) if raw is not None and \
                len(raw) <= MAX_FILE_BYTES else set()
            edges[rel] = found
        return found

    out: list[str] = []
    for root in roots:
        seen = {root}
        todo = [root]
        hit = False
        while todo and not hit:
            for nxt in targets(todo.pop()):
                if nxt in wanted:
                    hit = True
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        if hit:
            out.append(root)
    return out


_SPEC_KEY = re.compile(rb'^(?:openapi|swagger)\s*:|"(?:openapi|swagger)"\s*:', re.MULTILINE)


def looks_like_spec_bytes(head: bytes) -> bool:
    """An OpenAPI/Swagger file names its version key near the top (first 64 KiB)."""
    return _SPEC_KEY.search(head[:65536]) is not None
