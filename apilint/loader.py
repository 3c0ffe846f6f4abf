"""Load one file into a ``Document``: bytes → text → data, with a lazy map back to lines.

Formats are detected by content (JSON when it parses as JSON, YAML otherwise); JSON is always
parsed with the JSON parser, which is tens of times faster than a YAML parser on large specs.
Every failure becomes an ``InputError`` naming the file (and line and column when known); no
message quotes the content of the file it refuses. Every input is bounded by the limits in
``apilint.limits`` (size, nesting, alias expansion, integer length), and the data that comes out
is plain JSON: string keys, finite numbers. A repeated key is a warning on the document.

Within ``parse_cache()`` (one comparison, one ``check`` run) each distinct file content is
parsed once: base and revision of a multi-file spec share most of their files, and the second
side gets the first side's parsed value (and line map) for every file whose bytes are equal.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import limits
from .errors import InputError
from .model import Location

_TOO_DEEP = f"nesting deeper than {limits.MAX_DEPTH} levels (limit MAX_DEPTH)"


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
        warnings: list[str] | None = None,
    ) -> None:
        self.path = path  # as shown to the user
        self.real_path = real_path or path  # where relative $refs are resolved from
        self.data = data
        self.format = fmt  # "json", "yaml" or "capture"
        self.text = text
        self.warnings: list[str] = list(warnings or [])  # e.g. duplicate keys
        self._sourcemap: Any = None
        self._located: dict[str, Location] = {}
        self.yaml_node: Any = None  # the composed YAML tree, reused for line numbers
        # The parse this document shares with others of the same content (see parse_cache).
        self.shared: Parsed | None = None

    def position(self, pointer: str) -> tuple[int, int] | None:
        if self.text is None:
            return None
        if self._sourcemap is None and self.shared is not None:
            self._sourcemap = self.shared.sourcemap
        if self._sourcemap is None:
            try:
                from .sourcemap import SourceMap
            except ImportError:  # pragma: no cover - only while the module is missing
                return None
            if self.yaml_node is not None:
                self._sourcemap = SourceMap.from_yaml_node(self.text, self.yaml_node)
                self.yaml_node = None
            else:
                # JSON: the parsed value lets the map read a pretty-printed layout directly.
                self._sourcemap = (SourceMap(self.text, "json", self.data)
                                   if self.format == "json" else SourceMap(self.text, "yaml"))
            if self.shared is not None:
                self.shared.sourcemap = self._sourcemap
                self.shared.yaml_node = None
        try:
            return self._sourcemap.position(pointer)
        except Exception:  # a missing line number must never end a run
            return None

    def locate(self, pointer: str) -> Location:
        # Many changes share a place (a component every operation adds by reference): each
        # pointer is looked up once.
        found = self._located.get(pointer)
        if found is None:
            pos = self.position(pointer)
            found = Location(self.path, pointer) if pos is None else \
                Location(self.path, pointer, pos[0], pos[1])
            self._located[pointer] = found
        return found

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {self.format})"


Reader = Callable[[str], bytes]


class Parsed:
    """One parse of some bytes, shared by every document with exactly those bytes."""

    __slots__ = ("raw", "data", "fmt", "text", "yaml_node", "sourcemap", "ref_index")

    def __init__(self, raw: bytes, data: Any, fmt: str, text: str, yaml_node: Any) -> None:
        self.raw = raw
        self.data = data
        self.fmt = fmt
        self.text = text
        self.yaml_node = yaml_node
        self.sourcemap: Any = None
        # The $ref index of ``data`` (see refs.ref_index), built by the first side to need it.
        self.ref_index: Any = _NOT_YET


_NOT_YET = object()  # a value not computed yet (None is a valid ref index)


# Active parse cache: (byte length, parsed as .json) -> parses of that length. Keyed by length
# so that a lookup costs one memcmp of equal-length contents and never a hash of every byte.
_PARSED: dict[tuple[int, bool], list[Parsed]] | None = None


@contextmanager
def parse_cache() -> Iterator[None]:
    """Parse each distinct file content once inside this block (nested blocks share one)."""
    global _PARSED
    if _PARSED is not None:
        yield
        return
    _PARSED = {}
    try:
        yield
    finally:
        _PARSED = None

# Every file read from disk in this process, by real path, so that no output overwrites one.
_READ: set[str] = set()
# Paths as read (absolute), turned into real paths only when an output path is checked:
# resolving every symlink of every file of a multi-file spec costs more than reading it.
_READ_AS_GIVEN: set[str] = set()


def is_input(path: str) -> bool:
    """True when ``path`` is (a link to) a file this process has read as input."""
    try:
        while _READ_AS_GIVEN:
            _READ.add(os.path.realpath(_READ_AS_GIVEN.pop()))
        return os.path.realpath(path) in _READ
    except (OSError, ValueError):
        return False


def read_bytes(path: str) -> bytes:
    """Read a regular file (or ``-``, standard input), every OS error a one-line InputError.

    Anything that is not a regular file — a FIFO, a device, a socket — is refused before it
    is opened, and the open itself does not block, so a FIFO swapped in at the last moment
    cannot hang a hook.
    """
    limit = limits.MAX_FILE_BYTES
    if path == "-":
        return _read_stdin(limit)
    try:
        st = os.stat(path)
        _require_regular(st.st_mode, path)
        if st.st_size > limit:
            raise InputError(f"file is {st.st_size} bytes, over the {limit} byte limit "
                             "(limit MAX_FILE_BYTES)", path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
        try:
            _require_regular(os.fstat(fd).st_mode, path)  # what was opened, not what was named
            chunks: list[bytes] = []
            size = 0
            # Reading at most limit + 1 bytes bounds a file that grows while it is read.
            while size <= limit:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
        data = b"".join(chunks)
        _READ_AS_GIVEN.add(os.path.abspath(path))
        return data
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path) from None
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the path
        reason = getattr(err, "strerror", None) or type(err).__name__
        raise InputError(f"cannot read file ({reason})", path) from None


def _require_regular(mode: int, path: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, expected a file", path)
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    raise InputError(f"is {kind}, not a regular file; apilint reads regular files only", path)


def _read_stdin(limit: int) -> bytes:
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("standard input is closed", "-")
    try:
        return stream.read(limit + 1)
    except (OSError, ValueError):
        raise InputError("standard input is closed or unreadable", "-") from None


def read_text(path: str) -> str:
    """A UTF-8 input file (configuration, waivers, maps, discovery documents) as text, under
    the same rules as a spec: regular files only, size limit, no binary or UTF-16 data."""
    return decode_text(read_bytes(path), path)


_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


def decode_text(raw: bytes, path: str) -> str:
    """UTF-8 text of ``raw`` (a UTF-8 byte order mark is dropped); refuses anything else."""
    if len(raw) > limits.MAX_FILE_BYTES:
        raise InputError(f"file is over the {limits.MAX_FILE_BYTES} byte limit "
                         "(limit MAX_FILE_BYTES)", path)
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raise InputError(f"text is encoded as {name}; apilint reads UTF-8 only", path)
    if b"\x00" in raw[:8192]:
        raise InputError("binary file (NUL bytes), expected JSON or YAML text", path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError("invalid UTF-8 (not a text file?)", path, line, col) from None
    if not text or text.isspace():  # (not strip(): that copies a whole spec to look)
        raise InputError("file is empty", path)
    return text


class _Refused(ValueError):
    """A JSON value apilint will not read; ``needle`` helps find its line."""

    def __init__(self, message: str, needle: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.needle = needle


def _json_int(text: str) -> int:
    digits = len(text) - (text[0] == "-")
    if digits > limits.MAX_INT_DIGITS:
        raise _Refused(f"integer with {digits} digits, over the {limits.MAX_INT_DIGITS} digit "
                       "limit (limit MAX_INT_DIGITS)", text[:40])
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("number too large for a 64-bit float (only finite numbers are read)",
                       text)
    return value


def _json_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON value", name)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _parse_json(text: str, path: str) -> tuple[Any, list[str]]:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    duplicates.append(key)
                seen.add(key)
        return out

    # The C scanner counts nesting against the recursion limit: room for MAX_DEPTH levels
    # and no more makes the depth limit exact without a second pass. How many frames that
    # is depends on the interpreter, so it is measured once (``_json_room``).
    room = _json_room()
    with limits.recursion_room(room or limits.MAX_DEPTH + 20, exact=True):
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_json_int,
                          parse_float=_json_float, parse_constant=_json_constant)
    if room is None and _depth_over(data, limits.MAX_DEPTH):
        raise RecursionError  # an interpreter whose scanner ignores the recursion limit
    warnings = [f"{path}: duplicate key {_short(k)} in one object; the later value is used"
                for k in duplicates]
    if "-ver" in text or "_ver" in text:
        warnings += _json_version_numbers(text, path)
    return data, warnings


_JSON_VERSION_NUMBER = re.compile(r'"(?:min|max)[-_]ver"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)')


def _json_version_numbers(text: str, path: str) -> list[str]:
    """A microversion written as a JSON number (``"min-ver": 2.10``) reaches apilint as the
    number 2.1, and JSON parsers keep no source text to read it back: say so, naming the line,
    whenever the number as read differs from the digits written."""
    out: list[str] = []
    for m in _JSON_VERSION_NUMBER.finditer(text):
        written = m[1]
        try:
            read = repr(float(written)) if "." in written or "e" in written.lower() \
                else written
        except ValueError:
            continue
        if read != written:
            line, col = _line_col(text, m.start(1))
            out.append(f"{path}:{line}:{col}: microversion {written} is a JSON number, read as "
                       f"{read}; write it as a string (\"{written}\") so it means {written}")
    return out


_ROOM: list[int | None] = []


def _nests(depth: int, frames: int) -> bool:
    """Does ``depth`` levels of nesting parse with ``frames`` frames of room?"""
    probe = "[" * (depth - 1) + "{}" + "]" * (depth - 1)
    try:
        with limits.recursion_room(frames, exact=True):
            json.loads(probe)
        return True
    except RecursionError:
        return False


def _json_room() -> int | None:
    """The exact room that lets the C scanner parse MAX_DEPTH levels and not one more, found
    once per process with a few small probes; None when no room does (a scanner that does
    not count nesting against the recursion limit), and a depth walk checks instead."""
    if not _ROOM:
        limit = limits.MAX_DEPTH
        found: int | None = None
        # CPython 3.10-3.11 need two frames beyond the depth: tried first, so the usual cost
        # is two probes (well under a millisecond).
        for frames in sorted(range(limit - 10, limit + 60), key=lambda f: abs(f - limit - 2)):
            if _nests(limit, frames) and not _nests(limit + 1, frames):
                found = frames
                break
        _ROOM.append(found)
    return _ROOM[0]


def _depth_over(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            items: Any = node.values()
        elif isinstance(node, list):
            items = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in items
                     if isinstance(child, (dict, list)))
    return False


def parse_json_value(text: str, path: str) -> Any:
    """One JSON value (a recorded body, say) under the same limits as a document: nesting,
    integer length, finite numbers only (no NaN or Infinity). ``ValueError`` (with a message
    that quotes nothing) when it is not JSON apilint reads."""
    try:
        data, _ = _parse_json(text, path)
    except json.JSONDecodeError as err:
        raise ValueError(err.msg) from None
    except _Refused as err:
        raise ValueError(err.message) from None
    except RecursionError:
        raise ValueError(_TOO_DEEP) from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            _refuse_lone_surrogates(data, text, path)
        except InputError:
            raise ValueError("a lone UTF-16 surrogate escape (not Unicode text)") from None
    return data


def _short(key: str) -> str:
    return repr(key if len(key) <= 60 else key[:57] + "...")


# Quoted fragments in parser messages come from the file; token names like '<scalar>' do not.
_QUOTED = re.compile(r"'([^'<][^']{2,})'")


def _yaml_problem(text: str | None) -> str:
    if not text:
        return "malformed YAML"
    return " ".join(_QUOTED.sub("'…'", text).split())


def parse_text_checked(text: str, path: str) -> tuple[Any, str, list[str]]:
    """(data, "json"|"yaml", warnings); every failure is an InputError naming ``path``."""
    data, fmt, warnings, _ = _parse(text, path)
    return data, fmt, warnings


def _parse(text: str, path: str) -> tuple[Any, str, list[str], Any]:
    """``parse_text_checked`` plus the composed YAML root node (None for JSON)."""
    stripped = text.lstrip()
    json_first = stripped[:1] in ("{", "[") or path.endswith(".json")
    if json_first:
        try:
            data, warnings = _parse_json(text, path)
            _refuse_lone_surrogates(data, text, path)
            return data, "json", warnings, None
        except json.JSONDecodeError as err:
            if path.endswith(".json") or stripped[:1] in ("{", "["):
                raise InputError(f"invalid JSON: {err.msg}", path, err.lineno, err.colno) from None
        except RecursionError:
            raise InputError(_TOO_DEEP, path) from None
        except _Refused as err:
            where: tuple[int, int] | tuple[()] = ()
            if err.needle:
                at = text.find(err.needle)
                if at >= 0:
                    where = _line_col(text, at)
            raise InputError(f"invalid JSON: {err.message}", path, *where) from None
        except ValueError as err:
            raise InputError(f"invalid JSON ({type(err).__name__})", path) from None
    # PyYAML is imported here, not at the top: a run over JSON files never needs it.
    import yaml

    from . import yamlutil

    try:
        data, dups, node = yamlutil.load_checked_node(text)
    except yamlutil.YamlLimitError as err:
        raise InputError(err.message, path, err.line, err.column) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = _yaml_problem(err.problem or err.context)
        # Newer libyaml has a depth limit of its own: said as ours.
        message = _TOO_DEEP if "nesting depth" in problem else f"invalid YAML: {problem}"
        raise InputError(message, path, mark.line + 1 if mark else None,
                         mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as err:
        line, col = _line_col(text, err.position) if err.position is not None else (None, None)
        code = f" #x{err.character:04x}" if isinstance(err.character, int) else ""
        raise InputError(f"invalid YAML: control character{code} not allowed", path,
                         line, col) from None
    except yaml.YAMLError as err:
        raise InputError(f"invalid YAML ({type(err).__name__})", path) from None
    except RecursionError:
        raise InputError(_TOO_DEEP, path) from None
    except ValueError as err:
        raise InputError(f"invalid YAML ({type(err).__name__})", path) from None
    warnings = [f"{path}:{line}:{col}: duplicate key {_short(key)} in one mapping; "
                "the later value is used" for key, line, col in dups]
    return data, "yaml", warnings, node


# An escape that can spell half of a UTF-16 surrogate pair (JSON ``\ud800``, YAML
# ``\U0000d800``): only text that has one needs the walk below.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(data: Any, text: str, path: str) -> None:
    """A lone surrogate (``"\ud800"`` with no partner) is valid JSON syntax but no Unicode
    character: it cannot be written as UTF-8, so every report would fail on it. Refused at
    load, with its line, like invalid UTF-8."""
    if not _SURROGATE_ESCAPE.search(text):
        return
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if _LONE_SURROGATE.search(key):
                    break
                stack.append(value)
            else:
                continue
        elif isinstance(node, list):
            stack.extend(node)
            continue
        elif not (isinstance(node, str) and _LONE_SURROGATE.search(node)):
            continue
        m = _SURROGATE_ESCAPE.search(text)
        where = _line_col(text, m.start()) if m else (None, None)
        raise InputError("a lone UTF-16 surrogate escape (half a character, not Unicode "
                         "text)", path, *where)


# The files being read right now, innermost last: an error with no file of its own (out of
# memory) names the file that was being read when it struck.
_LOADING: list[str] = []


def loading() -> str | None:
    """The file being read at this moment, if any."""
    return _LOADING[-1] if _LOADING else None


def load_document(
    path: str,
    *,
    display: str | None = None,
    reader: Reader = read_bytes,
) -> Document:
    """Read, decode and parse ``path``; ``display`` is the name used in messages."""
    shown = display or path
    _LOADING.append(shown)
    try:
        raw = reader(path)
        cache = _PARSED
        key = (len(raw), shown.endswith(".json"))
        if cache is not None:
            for parsed in cache.get(key, ()):
                if parsed.raw == raw:
                    doc = Document(shown, parsed.data, parsed.fmt, parsed.text, real_path=path)
                    doc.yaml_node = parsed.yaml_node
                    doc.shared = parsed
                    return doc
        text = decode_text(raw, shown)
        data, fmt, warnings, node = _parse(text, shown)
    finally:
        _LOADING.pop()
    doc = Document(shown, data, fmt, text, real_path=path, warnings=warnings)
    doc.yaml_node = node
    if cache is not None and not warnings:
        # Warnings name the file they were found in; a document with some is not shared.
        parsed = Parsed(raw, data, fmt, text, node)
        cache.setdefault(key, []).append(parsed)
        doc.shared = parsed
    return doc
