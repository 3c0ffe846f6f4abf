"""Map a JSON pointer (RFC 6901) to the 1-based (line, column) where it sits in the source text.

A diff reports changes by JSON pointer; this module turns such a pointer back into a place in
the file the user wrote, so findings can say ``file:line:column``. It reads the original text
of a JSON or YAML document and is lazy: building a ``SourceMap`` does no work, the first lookup
reads the document once, and every lookup keeps what it learnt for the next ones.

Positions follow one rule for both formats: for an object member, the position of its *key*;
for an array element and for the root (pointer ``""``), the position of the value's first
character (in YAML that includes an ``&anchor`` or ``!tag`` written before the value). A
pointer that does not exist, a malformed pointer and a text that does not parse all give
``None``; ``position`` does not raise for them. Columns count characters, not bytes.

JSON
    The first lookup walks the whole text once, which also checks that it is valid JSON.
    Every container a lookup goes through gets an index (key -> value offset, or a list of
    element offsets), so a later lookup under it costs one dict hit per level. Values nobody
    asked about are skipped with the C JSON scanner, which returns a value's end offset at C
    speed; large containers are indexed during that first walk instead, since skipping them
    would mean decoding their contents again as soon as a lookup enters them.

    Given the parsed value as well (``data``), most large specs need none of that: they are
    pretty-printed, one member per line, each container's members indented alike and deeper
    than the container's own line. A container on a lookup's path is then indexed from its
    lines, at the speed of ``str.find`` and without decoding anything: each member must be a
    scalar alone on its line or a container whose contents are all indented deeper than it,
    whose closing line is indented like it and whose brackets balance, with a comma between
    members; the container's closing line must be where its parent's reading said it ends,
    and the keys (for an array, the count) and the kinds of the members must be those of the
    parsed value there. Indentation alone is not enough: at ``indent=0``, or with lines
    indented by hand, a nested container's closing line looks like its parent member's.
    Anything else is scanned as above, container by container; a text whose root is not
    laid out so is read the first way throughout. Two shortcuts keep the same checks for less
    work: a lookup through a small object finds the one member it wants by its line (the only
    line with that key at the members' indentation, the brackets before it balanced), and an
    array's elements are read from the lines at its elements' indentation (as many as the
    parsed array has, each one's brackets balanced).

YAML (``sourcemap_yaml``, imported only for YAML texts)
    The first document is composed once with libyaml (``CSafeLoader``) when it is available;
    nodes carry 0-based marks. Each mapping gets a key index the first time a lookup enters it,
    with merge keys (``<<``) resolved the way PyYAML's constructor resolves them. Aliases share
    the anchored node, so a pointer that goes through an alias lands inside the anchored node,
    while a pointer that ends at an alias used as a sequence item gets the ``*alias`` itself.
    YAML 1.2 allows an anchor to be defined again and PyYAML refuses ("found duplicate anchor");
    such a text is composed again by a pure-Python composer that lets the later anchor win.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from json.scanner import make_scanner
from typing import Any

__all__ = ["SourceMap"]

_NO_DATA: Any = object()  # no parsed value given (``None`` is the JSON value null)


class SourceMap:
    """Lazy map from JSON pointers to 1-based (line, column) in ``text``.

    ``fmt`` is ``"json"`` or ``"yaml"``. Construction only stores its arguments.
    """

    __slots__ = ("_text", "_fmt", "_impl", "_broken", "_data")

    def __init__(self, text: str, fmt: str, data: Any = _NO_DATA) -> None:
        """``data``: for JSON, the value ``text`` parses to, if the caller has it (see the
        module docstring); it must come from this very text."""
        if fmt not in ("json", "yaml"):
            raise ValueError(f"fmt must be 'json' or 'yaml', not {fmt!r}")
        self._text = text
        self._fmt = fmt
        self._impl: Any = None  # _JsonIndex, or sourcemap_yaml's YamlIndex
        self._broken = False
        self._data = data

    @classmethod
    def from_yaml_node(cls, text: str, root: Any) -> SourceMap:
        """A map over ``text`` that uses ``root``, the tree the loader already composed from it
        (merge keys may be flattened, as PyYAML's constructor leaves them)."""
        from .sourcemap_yaml import YamlIndex

        smap = cls(text, "yaml")
        index = YamlIndex(text)
        index.adopt(root)
        smap._impl = index
        return smap

    def position(self, pointer: str) -> tuple[int, int] | None:
        """Where ``pointer`` is in the text, or None when it is not there."""
        tokens = _split_pointer(pointer)
        if tokens is None or self._broken:
            return None
        impl = self._impl
        if impl is None:
            if self._fmt == "json":
                impl = _JsonIndex(self._text, self._data)
            else:
                # PyYAML is imported only for YAML texts: a JSON run never needs it.
                from .sourcemap_yaml import YamlIndex

                impl = YamlIndex(self._text)
            self._impl = impl
        try:
            return impl.position(tokens)
        except (_JsonError, ValueError, RecursionError, *impl.errors):
            # The text does not parse (ValueError covers json's decode errors); remember it
            # so later lookups do not read the whole text again just to fail again.
            self._broken = True
            return None


# --------------------------------------------------------------------------------------------
# pointers

_BAD_TILDE = re.compile(r"~(?![01])")


def _split_pointer(pointer: Any) -> list[str] | None:
    """Decoded reference tokens of ``pointer``, or None when it is not a JSON pointer."""
    if not isinstance(pointer, str):
        return None
    if pointer == "":
        return []
    if pointer[0] != "/":
        return None
    tokens = pointer[1:].split("/")
    if "~" not in pointer:
        return tokens
    if _BAD_TILDE.search(pointer):
        return None  # RFC 6901: "~" must be followed by "0" or "1"
    # "~1" first: "~01" is the token "~1", not "/".
    return [t.replace("~1", "/").replace("~0", "~") for t in tokens]


def _array_index(token: str) -> int | None:
    """The array index a token names (RFC 6901: ASCII digits, no leading zero), else None."""
    if token.isdigit() and token.isascii() and (token == "0" or token[0] != "0"):
        return int(token)
    return None


# --------------------------------------------------------------------------------------------
# offsets -> (line, column)


class _LineTable:
    """Turns character offsets into 1-based (line, column), counting newlines lazily.

    A full table of line starts takes longer to build than the C JSON parser takes for the whole
    file, so only per-chunk newline counts are kept, extended as far as the largest offset asked
    for; a lookup then counts newlines inside one small chunk.
    """

    _CHUNK = 1024

    def __init__(self, text: str) -> None:
        self._text = text
        self._cum: list[int] = [0]  # _cum[i]: newlines before chunk i

    def line_col(self, offset: int) -> tuple[int, int]:
        text = self._text
        size = self._CHUNK
        chunk = offset // size
        cum = self._cum
        if chunk >= len(cum):
            count = text.count
            total = cum[-1]
            for lo in range((len(cum) - 1) * size, chunk * size, size):
                total += count("\n", lo, lo + size)
                cum.append(total)
        lo = chunk * size
        line = cum[chunk] + text.count("\n", lo, offset) + 1
        newline = text.rfind("\n", lo, offset)
        if newline < 0 and cum[chunk]:
            # The line began in an earlier chunk: the last chunk holding a newline has it.
            before = bisect_left(cum, cum[chunk], 0, chunk) - 1
            newline = text.rfind("\n", before * size, (before + 1) * size)
        return line, offset - newline


# --------------------------------------------------------------------------------------------
# JSON

_WS = r"[ \t\n\r]*"
# Keys are matched by regex and values are skipped by the C scanner, which is much faster per
# character than a regex. A plain key (no escapes) gets the single-class pattern; when that
# fails, the strict pattern with escapes is tried and the key is decoded with json.loads.
_KEY = r'"([^"\\\x00-\x1f]*)"'
_KEY_ESC = r'"([^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*)"'
# At "{": group 1 is "}" for an empty object, else group 2 is the first key. After a member's
# value: group 1 is "}" when the object ends, else group 2 is the next key. The match ends
# where the member's value starts.
_OBJ_FIRST = re.compile(rf"\{{{_WS}(?:(}})|{_KEY}{_WS}:{_WS})")
_OBJ_FIRST_ESC = re.compile(rf"\{{{_WS}(?:(}})|{_KEY_ESC}{_WS}:{_WS})")
_OBJ_NEXT = re.compile(rf"{_WS}(?:(}})|,{_WS}{_KEY}{_WS}:{_WS})")
_OBJ_NEXT_ESC = re.compile(rf"{_WS}(?:(}})|,{_WS}{_KEY_ESC}{_WS}:{_WS})")
# At "[" and after an element: group 1 is "]" when the array ends, else an element follows.
_ARR_FIRST = re.compile(rf"\[{_WS}(\])?")
_ARR_NEXT = re.compile(rf"{_WS}(?:(\])|,{_WS})")
_LEAD = re.compile(rf"\ufeff?{_WS}")
_TRAILER = re.compile(rf"{_WS}\Z")

# Skipping a value means decoding it; object_pairs_hook=len (a C function) turns each object
# into its member count instead of a dict, which makes skipping about twice as fast.
_scan_value = make_scanner(json.JSONDecoder(object_pairs_hook=len))


# A member line in layout mode: the key (escapes allowed) and its colon; the match ends where
# the value starts.
_LAID_OUT_MEMBER = re.compile(rf"{_KEY_ESC}[ \t]*:[ \t]*")
_SPAN_ENDS: dict[str, re.Pattern[str]] = {}


def _span_end(indent: str) -> Any:
    """The ``search`` of a pattern for the first line not indented deeper than ``indent``
    (blank lines, as some writers put in empty arrays, hold no value and count as deeper),
    cached per indentation (a spec uses a few); it runs at C speed over a container's lines."""
    found = _SPAN_ENDS.get(indent)
    if found is None:
        found = _SPAN_ENDS[indent] = re.compile(rf"\n(?!{re.escape(indent)}[ \t]|[ \t\r]*\n)")
    return found.search


# A value alone on its line in layout mode: a string, number, literal or empty container.
_LAID_OUT_SCALAR = re.compile(
    r'(?:"(?:[^"\\]|\\.)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?'
    r"|true|false|null|\{[ \t]*\}|\[[ \t]*\])")


_ELEMENT_LINES: dict[str, Any] = {}


def _element_lines(indent: str) -> Any:
    """The ``finditer`` of a pattern for the line breaks that begin a line indented exactly
    ``indent`` whose first character is a value's, not a closing bracket's (cached per
    indentation)."""
    found = _ELEMENT_LINES.get(indent)
    if found is None:
        found = _ELEMENT_LINES[indent] = re.compile(
            rf"\n{re.escape(indent)}(?=[^ \t\r\n\]}}])").finditer
    return found


class _JsonError(Exception):
    """The text is not valid JSON where it was read."""


class _JsonIndex:
    """Offset index of a JSON text, built as lookups need it (see the module docstring)."""

    errors: tuple[type[Exception], ...] = ()  # what else a lookup may raise on a broken text

    # A child container that looks bigger than this (characters) is indexed together with its
    # parent: skipping it costs a decode now and another one when a lookup enters it, more
    # than the per-member Python work of indexing it once.
    _OPEN_OVER = 4096

    def __init__(self, text: str, data: Any = _NO_DATA) -> None:
        self._text = text
        # container start offset -> {key: value offset} or [element offsets]
        self._index: dict[int, dict[str, int] | list[int]] = {}
        self._root = -1
        self._lines = _LineTable(text)
        self._data = data
        # Layout mode (see the module docstring): value offset -> where its text ends at the
        # latest, known for the members of every container indexed in this mode.
        self._limits: dict[int, int] | None = None
        # Layout mode: (object offset, key) -> value offset, for members found one at a time.
        self._found: dict[tuple[int, str], int] = {}

    def position(self, tokens: list[str]) -> tuple[int, int] | None:
        if self._root < 0:
            if self._data is _NO_DATA or not self._start_laid_out():
                self._start()
        text = self._text
        index = self._index
        offset = self._root
        is_key = False
        limits = self._limits
        node = self._data
        found_members = self._found
        for token in tokens:
            entry = index.get(offset)
            if entry is None:
                if text[offset] not in "{[":
                    return None  # a scalar has no members
                if limits is not None and text[offset] == "{":
                    # A small object on the way: the one member wanted, not all of them.
                    found = found_members.get((offset, token))
                    if found is None:
                        found = self._find_laid_out(offset, node, token)
                        if found is not None:
                            found_members[(offset, token)] = found
                    if found is not None:
                        offset = found
                        is_key = True
                        node = node[token]
                        continue
                entry = None if limits is None else self._scan_laid_out(offset, node)
                if entry is None:
                    entry = self._scan_flat(offset)
            if type(entry) is dict:
                found = entry.get(token)
                if found is None:
                    return None
                offset = found
                is_key = True
                if limits is not None:
                    node = node[token] if type(node) is dict and token in node else _NO_DATA
            else:
                i = _array_index(token)
                if i is None or i >= len(entry):
                    return None
                offset = entry[i]
                is_key = False
                if limits is not None:
                    node = node[i] if type(node) is list and i < len(node) else _NO_DATA
        return self._lines.line_col(self._key_start(offset) if is_key else offset)

    def _start(self) -> None:
        text = self._text
        root = _LEAD.match(text).end()  # type: ignore[union-attr]  # matches any text
        if root >= len(text):
            raise _JsonError("no JSON value")
        end = self._scan(root) if text[root] in "{[" else self._skip(root)
        if not _TRAILER.match(text, end):
            raise _JsonError("extra data after the JSON value")
        self._root = root

    def _start_laid_out(self) -> bool:
        """Layout mode, when the root is a container written one member per line."""
        text = self._text
        root = _LEAD.match(text).end()  # type: ignore[union-attr]  # matches any text
        if root >= len(text) or text[root] not in "{[":
            return False
        self._limits = {root: len(text)}
        entry = self._scan_laid_out(root, self._data)
        if entry is None:
            self._limits = None
            return False
        self._root = root
        return True

    # Members longer than this (characters) are confirmed by their own layout (see below).
    _READ_OVER = 1 << 18

    # How deep ``_confirm`` reads members by their own layout before it decodes instead:
    # the recursion must not meet Python's limit on deeply nested text.
    _CONFIRM_DEPTH = 40

    def _confirm(self, value: int, parent: Any, key: str | None, i: int, after: int, end: int,
                 depth: int) -> bool:
        """Whether the member of ``parent`` (by ``key``, else at ``i``) whose value starts at
        ``value`` ends at ``after``, just past the closing bracket found for it on the line
        that ends at ``end``.

        Its own layout reading says so exactly; its index is kept, as a lookup entering it
        would build the same. Otherwise the C scanner decodes it.
        """
        limits = self._limits
        assert limits is not None
        if type(parent) is dict:
            node = parent.get(key, _NO_DATA)
        else:
            node = parent[i] if i < len(parent) else _NO_DATA
        if value in self._index:
            return limits.get(value) == end
        if depth < self._CONFIRM_DEPTH:
            limits[value] = end
            if self._scan_laid_out(value, node, depth + 1) is not None:
                return True
            del limits[value]
        try:
            return _scan_value(self._text, value)[1] == after
        except StopIteration:
            return False

    def _opening(self, start: int, limit: int) -> tuple[int, str, str] | None:
        """(end of the opening line, its indentation, the members' indentation) of the
        container at ``start``, or None when it is not laid out one member per line: something
        follows the bracket on its line, or the members are not indented deeper than it
        (``indent=0``: the closing lines of nested containers could not be told from its
        members' own)."""
        text = self._text
        eol = text.find("\n", start, limit)
        if eol < 0 or text[start + 1 : eol].strip():
            return None
        line = text.rfind("\n", 0, start) + 1
        outer_end = line
        while text[outer_end] in " \t":
            outer_end += 1
        inner_end = eol + 1
        while inner_end < limit and text[inner_end] in " \t":
            inner_end += 1
        outer, inner = text[line:outer_end], text[eol + 1 : inner_end]
        if len(inner) <= len(outer) or not inner.startswith(outer):
            return None
        return eol, outer, inner

    # An object whose text is shorter than this (characters) is searched for the one member a
    # lookup wants; a longer one (a spec's paths, its schemas) is indexed whole, since many
    # lookups go through it and each search would read it again.
    _FIND_UNDER = 1 << 16

    def _find_laid_out(self, start: int, node: Any, key: str) -> int | None:
        """The value offset of member ``key`` of the object at ``start``, found by its line,
        or None when that cannot be told so (the caller then indexes the whole object).

        The object must be laid out as ``_scan_laid_out`` requires of its first line, its end
        known from its parent. The line holding ``key`` must be the only line that starts
        with the members' indentation and that key, and the brackets between the object's
        first line and it must balance (counted in C): a line of an earlier member written at
        the members' indentation leaves one open. The member itself is read and checked as
        ``_scan_laid_out`` reads each of its members: a scalar alone on its line, or a
        container whose closing line and brackets (or own layout) confirm where it ends, of
        the kind the parsed value has there, followed by a comma or, for the last member, the
        object's closing line. What the counts cannot see is what ``_scan_laid_out`` cannot
        see either: brackets inside strings that make up, exactly, for a mis-indented line.
        """
        limits = self._limits
        assert limits is not None
        limit = limits.get(start)
        if limit is None or limit - start > self._FIND_UNDER or type(node) is not dict \
                or key not in node:
            return None
        text = self._text
        find = text.find
        opening = self._opening(start, limit)
        if opening is None:
            return None
        eol, outer, inner = opening
        width = len(inner)
        needle = "\n" + inner + json.dumps(key, ensure_ascii=False)
        at = find(needle, eol, limit)
        if at < 0 or find(needle, at + 1, limit) >= 0:
            return None  # spelt with other escapes, or there twice
        count = text.count
        if count("{", eol, at) + count("[", eol, at) != count("}", eol, at) + count("]", eol, at):
            return None
        m = _LAID_OUT_MEMBER.match(text, at + 1 + width, limit)
        if m is None:
            return None
        value = m.end()
        nl = find("\n", value, limit)
        if nl < 0:
            return None
        target = node[key]
        opener = text[value]
        if (opener == "{" or opener == "[") and not text[value + 1 : nl].strip():
            if type(target) is not (dict if opener == "{" else list):
                return None
            m = _span_end(inner)(text, nl, limit)
            if m is None:
                return None
            close = m.start()
            closer = "}" if opener == "{" else "]"
            if not text.startswith(inner + closer, close + 1):
                return None
            after = close + width + 2
            end = find("\n", after, limit)
            span = end if end >= 0 else limit
            if count(opener, value, after) != count(closer, value, after) \
                    and not self._confirm(value, node, key, 0, after, span, 0):
                return None
            tail = text[after:span].strip()
        else:
            m = _LAID_OUT_SCALAR.match(text, value, nl)
            if m is None or (target and type(target) in (dict, list)):
                return None
            end = span = nl
            tail = text[m.end() : nl].strip()
        if tail != "," and (tail or end < 0 or not text.startswith("\n" + outer + "}", end)):
            return None
        limits[value] = span
        return value

    def _elements_laid_out(self, node: list[Any], eol: int, outer: str, inner: str,
                           limit: int) -> list[int] | None:
        """The element offsets of a laid-out array (its first line ends at ``eol``) read from
        its lines at C speed, or None to read it member by member.

        Arrays are much of what lookups go through (an operation's parameters, a schema's
        ``allOf``), and their elements, being unnamed, need no key read. The lines indented
        exactly like the first one and not closing a bracket are taken as the element lines:
        the first must follow the opening line, there must be as many as the parsed array has
        elements, the brackets of each element's lines (up to the next element line, the last
        one's up to the array's closing line) must balance, and the closing line must be the
        last one of the array's span. Balanced spans put every element line at the array's
        own depth, so with the count they are exactly its elements, in order. When strings
        hold brackets a span does not balance, and the array is read member by member. The
        end of each element is kept in ``_limits``; each element's own layout is checked when
        a lookup enters it.
        """
        text = self._text
        starts = [m.start() for m in _element_lines(inner)(text, eol, limit)]
        if len(starts) != len(node) or not starts or starts[0] != eol:
            return None
        close = text.rfind("\n" + outer + "]", starts[-1], limit)
        if close < 0:
            return None
        after = text.find("\n", close + len(outer) + 2, limit)  # past the comma, if any
        if after >= 0 and not _TRAILER.match(text, after, limit):
            return None
        count = text.count
        bounds = [*starts, close]
        for i in range(len(starts)):
            a, b = bounds[i], bounds[i + 1]
            if count("{", a, b) + count("[", a, b) != count("}", a, b) + count("]", a, b):
                return None
        limits = self._limits
        assert limits is not None
        width = len(inner)
        offsets = [a + 1 + width for a in starts]
        for value, end in zip(offsets, bounds[1:], strict=True):
            limits[value] = end
        return offsets

    def _scan_laid_out(self, start: int, node: Any,
                       depth: int = 0) -> dict[str, int] | list[int] | None:
        """Index the container at ``start`` by its layout, or None when it is not laid out
        one member per line (the caller then scans it).

        Accepted only when the text between the opening bracket and its closing line is
        tiled, line by line, by members indented alike (as its first line is) and deeper than
        the bracket's line: a member is a scalar (or an empty container) alone on its line, or
        a container whose bracket ends its line, whose contents are indented deeper than the
        member (blank lines aside), and whose closing line is the first one that is not, is
        indented like the member, and closes as many brackets as its span opens (counted in
        C; when strings hold brackets, or the member is longer than ``_READ_OVER``, the member
        is read by its own layout, which confirms where it ends, or else decoded by the C
        scanner). A comma ends every member line but
        the last, the line after the last closes this container, and that closing line is
        the last one before ``_limits`` says this container ends.
        Each member's span is then one JSON value, so the members found are the ones the
        parser read; as a last check their keys (for an array, their count) and kinds
        (container or not) must be those of ``node``, the parsed value. The end of each
        member's span is kept in ``_limits`` for its own turn.

        What these checks cannot see: a nested closing line written at the member's
        indentation whose unclosed bracket is made up for, exactly, by unbalanced brackets
        inside strings of the same member, with further lines mis-indented so that the
        tiling, the keys and the kinds still fit. No JSON writer lays text out so.
        """
        limits = self._limits
        assert limits is not None
        limit = limits.get(start)
        if limit is None:
            return None
        text = self._text
        find = text.find
        is_obj = text[start] == "{"
        if type(node) is not (dict if is_obj else list):
            return None
        opening = self._opening(start, limit)
        if opening is None:
            return None
        eol, outer, inner = opening
        width = len(inner)
        if not is_obj:
            elements = self._elements_laid_out(node, eol, outer, inner, limit)
            if elements is not None:
                self._index[start] = elements
                return elements
        span_end = _span_end(inner)
        member = _LAID_OUT_MEMBER.match
        scalar = _LAID_OUT_SCALAR.match
        # (key, value offset, span end, dict or list for a container, else None)
        found: list[tuple[str | None, int, int, type | None]] = []
        pos = eol  # the newline that begins the next member's line
        while True:
            first = pos + 1 + width
            if not text.startswith(inner, pos + 1) or first >= limit or \
                    text[first] in " \t\r\n]}":
                return None
            key: str | None = None
            value = first
            if is_obj:
                m = member(text, first, limit)
                if m is None:
                    return None
                key = m.group(1)
                if "\\" in key:
                    key = json.loads('"' + key + '"')
                value = m.end()
            nl = find("\n", value, limit)
            if nl < 0:
                return None
            opener = text[value]
            if (opener == "{" or opener == "[") and not text[value + 1 : nl].strip():
                # A container: every line of its contents is indented deeper than this
                # member, so its closing line is the first one that is not, and that line
                # must be indented like the member and begin with the closing bracket.
                m = span_end(text, nl, limit)
                if m is None:
                    return None
                close = m.start()
                closer = "}" if opener == "{" else "]"
                if not text.startswith(inner + closer, close + 1):
                    return None
                after = close + width + 2
                end = find("\n", after, limit)
                # Indentation alone cannot tell this member's closing line from a nested
                # one written (wrongly) at its indentation; the brackets can. Counted in C,
                # they balance unless one is left open here or strings hold brackets; then
                # the member is read by its own layout, which confirms its end and finds
                # the strings, or else decoded.
                # A member as large as a spec's paths or schemas is read by its own layout
                # straight away: a lookup will enter it, and that reading checks each of its
                # members, the same text the counts would have read once more.
                if (after - value > self._READ_OVER
                        or text.count(opener, value, after) != text.count(closer, value, after)) \
                        and not self._confirm(value, node, key, len(found), after,
                                              end if end >= 0 else limit, depth):
                    return None
                tail = text[after : end if end >= 0 else limit]
                kind: type | None = dict if opener == "{" else list
            else:
                m = scalar(text, value, nl)
                if m is None:
                    return None
                end = nl
                tail = text[m.end() : nl]
                kind = None
            tail = tail.strip()
            found.append((key, value, end if end >= 0 else limit, kind))
            if tail == "," and end >= 0:
                pos = end
                continue
            if tail or end < 0 or not text.startswith("\n" + outer + ("}" if is_obj else "]"),
                                                      end):
                return None
            break
        # The closing line must be the last one of the span: the parent's reading of where
        # this container ends is confirmed, not just a closing bracket found on the way.
        after = find("\n", end + len(outer) + 2, limit)
        if after >= 0 and not _TRAILER.match(text, after, limit):
            return None
        if is_obj:
            obj = {key: value for key, value, _, _ in found}
            if len(obj) != len(found) or list(obj) != list(node):
                return None
            values = list(node.values())
            result: dict[str, int] | list[int] = obj
        else:
            if len(found) != len(node):
                return None
            values = node
            result = [value for _, value, _, _ in found]
        # A member read as a container must be one in the parsed value, and one read as a
        # scalar must not be a non-empty container there.
        for (_, _, _, kind), parsed in zip(found, values, strict=True):
            if kind is None:
                if parsed and type(parsed) in (dict, list):
                    return None
            elif type(parsed) is not kind:
                return None
        for _, value, end, _ in found:
            limits[value] = end
        self._index[start] = result
        return result

    def _skip(self, offset: int) -> int:
        """End offset of the value at ``offset``, decoded (and so checked) by the C scanner."""
        try:
            return _scan_value(self._text, offset)[1]
        except StopIteration:
            raise _JsonError("expected a value") from None

    def _key_start(self, value: int) -> int:
        """Offset of the opening quote of the key whose value starts at ``value``.

        Only value offsets are stored (one int per member keeps indexing cheap), so the key is
        found by reading backwards: whitespace, ":", whitespace, then the key string, whose
        opening quote is the first '"' not escaped by an odd run of backslashes.
        """
        text = self._text
        close = text.rfind('"', 0, text.rfind(":", 0, value))
        quote = text.rfind('"', 0, close)
        while True:
            slashes = quote
            while slashes > 0 and text[slashes - 1] == "\\":
                slashes -= 1
            if (quote - slashes) % 2 == 0:
                return quote
            quote = text.rfind('"', 0, quote)

    def _is_large(self, offset: int) -> bool:
        """Guess whether the container at ``offset`` is worth indexing right away.

        Only speed depends on the answer. Pretty-printed JSON closes a container on a line
        indented like the line that opens it, so a short search for that line tells a small
        container from a large one without reading it. Text not laid out one value per line
        (minified) gives no such hint; its containers are skipped and indexed when entered.
        """
        text = self._text
        line = text[text.rfind("\n", 0, offset) + 1 : offset]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        closer = "\n" + indent + ("}" if text[offset] == "{" else "]")
        limit = offset + self._OPEN_OVER
        return text.find(closer, offset, limit) < 0 and text.find("\n", offset, limit) >= 0

    def _scan_flat(self, start: int) -> dict[str, int] | list[int]:
        """Index the container at ``start`` alone, skipping every value in it.

        Used for containers the first walk left unindexed, which it judged small: none of
        their children is worth indexing ahead of need, so this loop stays minimal.
        """
        text = self._text
        scan_value = _scan_value
        # In layout mode the ends found here let the members be read by layout in turn.
        ends: dict[int, int] = self._limits if self._limits is not None else {}
        try:
            if text[start] == "{":
                obj: dict[str, int] = {}
                m = _OBJ_FIRST.match(text, start)
                pos = start
                while True:
                    if m is None:
                        m = (_OBJ_NEXT_ESC if obj else _OBJ_FIRST_ESC).match(text, pos)
                        if m is None:
                            raise _JsonError("expected an object member or '}'")
                        if m.lastindex == 2:
                            obj[json.loads('"' + m.group(2) + '"')] = value = m.end()
                            pos = ends[value] = scan_value(text, value)[1]
                            m = _OBJ_NEXT.match(text, pos)
                            continue
                    if m.lastindex != 2:
                        break
                    obj[m.group(2)] = value = m.end()
                    pos = ends[value] = scan_value(text, value)[1]
                    m = _OBJ_NEXT.match(text, pos)
                self._index[start] = obj
                return obj
            arr: list[int] = []
            m = _ARR_FIRST.match(text, start)
            while m is not None and m.lastindex is None:
                value = m.end()
                arr.append(value)
                end = ends[value] = scan_value(text, value)[1]
                m = _ARR_NEXT.match(text, end)
            if m is None:
                raise _JsonError("expected an array element or ']'")
            self._index[start] = arr
            return arr
        except StopIteration:
            raise _JsonError("expected a value") from None

    def _scan(self, start: int) -> int:
        """Index the container at ``start`` and the large containers in it; return its end."""
        text = self._text
        index = self._index
        scan_value = _scan_value
        obj_next = _OBJ_NEXT.match
        arr_next = _ARR_NEXT.match
        is_large = self._is_large
        # Iterative, so that deep nesting cannot exhaust the Python stack. ``stack`` holds the
        # containers being indexed around the current one: (start offset, index, is object).
        stack: list[tuple[int, Any, bool]] = []
        here = start
        is_obj = text[start] == "{"
        built: Any = {} if is_obj else []
        pos = start
        m = (_OBJ_FIRST if is_obj else _ARR_FIRST).match(text, pos)
        while True:
            # ``m`` matched what comes before the next value, or the end of the container.
            if is_obj:
                if m is None:
                    # Not a plain key: try a key with escapes (the empty index means we are
                    # still at the "{"), else the text is broken here.
                    m = (_OBJ_NEXT_ESC if built else _OBJ_FIRST_ESC).match(text, pos)
                    if m is None:
                        raise _JsonError("expected an object member or '}'")
                    key = json.loads('"' + m.group(2) + '"') if m.lastindex == 2 else None
                elif m.lastindex == 2:
                    key = m.group(2)
                else:
                    key = None
                if key is not None:
                    value = m.end()
                    built[key] = value
                    first = text[value : value + 1]
                    if (first == "{" or first == "[") and is_large(value):
                        stack.append((here, built, True))
                        here = pos = value
                        is_obj = first == "{"
                        built = {} if is_obj else []
                        m = (_OBJ_FIRST if is_obj else _ARR_FIRST).match(text, pos)
                        continue
                    try:
                        pos = scan_value(text, value)[1]
                    except StopIteration:
                        raise _JsonError("expected a value") from None
                    m = obj_next(text, pos)
                    continue
            else:
                if m is None:
                    raise _JsonError("expected an array element or ']'")
                if m.lastindex is None:
                    value = m.end()
                    built.append(value)
                    first = text[value : value + 1]
                    if (first == "{" or first == "[") and is_large(value):
                        stack.append((here, built, False))
                        here = pos = value
                        is_obj = first == "{"
                        built = {} if is_obj else []
                        m = (_OBJ_FIRST if is_obj else _ARR_FIRST).match(text, pos)
                        continue
                    try:
                        pos = scan_value(text, value)[1]
                    except StopIteration:
                        raise _JsonError("expected a value") from None
                    m = arr_next(text, pos)
                    continue
            # The container is complete: record it and go on with its parent.
            index[here] = built
            pos = m.end()
            if not stack:
                return pos
            here, built, is_obj = stack.pop()
            m = (obj_next if is_obj else arr_next)(text, pos)
