"""Load one file into a ``Document``: bytes → text → data, with a lazy map back to lines.

Formats are detected by content (JSON when it parses as JSON, YAML otherwise); JSON is always
parsed with the JSON parser, which is tens of times faster than a YAML parser on large specs.
Every failure becomes an ``InputError`` naming the file (and line and column when known).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import yaml

from . import yamlutil
from .errors import InputError
from .model import Location

# Bounds that keep a hook fast and a hostile file harmless; each error message names its limit.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 1000


class Document:
    """One parsed file. ``data`` is JSON-like; ``position`` maps a JSON pointer to a line."""

    def __init__(
        self,
        path: str,
        data: Any,
        fmt: str,
        text: str | None = None,
        *,
        real_path: str | None = None,
    ) -> None:
        self.path = path  # as shown to the user
        self.real_path = real_path or path  # where relative $refs are resolved from
        self.data = data
        self.format = fmt  # "json", "yaml" or "capture"
        self.text = text
        self._sourcemap: Any = None

    def position(self, pointer: str) -> tuple[int, int] | None:
        if self.text is None:
            return None
        if self._sourcemap is None:
            try:
                from .sourcemap import SourceMap
            except ImportError:  # pragma: no cover - only while the module is missing
                return None
            self._sourcemap = SourceMap(self.text, "json" if self.format == "json" else "yaml")
        try:
            return self._sourcemap.position(pointer)
        except Exception:  # a missing line number must never end a run
            return None

    def locate(self, pointer: str) -> Location:
        pos = self.position(pointer)
        if pos is None:
            return Location(self.path, pointer)
        return Location(self.path, pointer, pos[0], pos[1])

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {self.format})"


Reader = Callable[[str], bytes]


def read_bytes(path: str) -> bytes:
    """Read a file from disk, turning every OS error into a one-line InputError."""
    if path == "-":
        import sys

        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    try:
        if os.path.isdir(path):
            raise InputError("is a directory, expected a file", path)
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit", path
            )
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path) from None
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror or err})", path) from None


def decode_text(raw: bytes, path: str) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"file is over the {MAX_FILE_BYTES} byte limit", path)
    if b"\x00" in raw[:8192]:
        raise InputError("binary file (NUL bytes), expected JSON or YAML text", path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError("invalid UTF-8", path, line, col) from None
    if not text.strip():
        raise InputError("file is empty", path)
    return text


def parse_text(text: str, path: str) -> tuple[Any, str]:
    """Parse JSON or YAML by content; returns (data, "json"|"yaml")."""
    stripped = text.lstrip()
    json_first = stripped[:1] in ("{", "[") or path.endswith(".json")
    if json_first:
        try:
            return json.loads(text), "json"
        except json.JSONDecodeError as err:
            if path.endswith(".json") or stripped[:1] in ("{", "["):
                raise InputError(f"invalid JSON: {err.msg}", path, err.lineno, err.colno) from None
        except RecursionError:
            raise InputError(f"nesting deeper than the parser allows (limit {MAX_DEPTH})",
                             path) from None
        except ValueError as err:  # e.g. integers longer than Python's digit limit
            raise InputError(f"invalid JSON: {str(err).splitlines()[0]}", path) from None
    try:
        data = yamlutil.load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "malformed YAML"
        raise InputError(
            f"invalid YAML: {problem}",
            path,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as err:
        raise InputError(f"invalid YAML: {str(err).splitlines()[0]}", path) from None
    except RecursionError:
        raise InputError(f"nesting deeper than the parser allows (limit {MAX_DEPTH})",
                         path) from None
    except ValueError as err:
        raise InputError(f"invalid YAML: {str(err).splitlines()[0]}", path) from None
    return data, "yaml"


def load_document(
    path: str,
    *,
    display: str | None = None,
    reader: Reader = read_bytes,
) -> Document:
    """Read, decode and parse ``path``; ``display`` is the name used in messages."""
    shown = display or path
    raw = reader(path)
    text = decode_text(raw, shown)
    data, fmt = parse_text(text, shown)
    return Document(shown, data, fmt, text, real_path=path)


def check_depth(data: Any, path: str, limit: int = MAX_DEPTH) -> None:
    """Refuse documents nested deeper than ``limit`` (iterative: no recursion to overflow)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise InputError(f"nesting deeper than {limit} levels", path)
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
