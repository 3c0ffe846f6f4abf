"""YAML loading tuned for API descriptions: safe, bounded, JSON-compatible, fast with libyaml.

- Only JSON-compatible data comes out: mappings with string keys, lists, strings, finite
  numbers, booleans and null. Tags that would construct Python objects (``!!python/…``) or other
  non-JSON types (``!!binary``, ``!!set``, ``!!omap``, ``!!timestamp``, custom ``!tags``) are
  refused; timestamps written plainly stay strings (``version: 2023-05-01`` is a version).
- Mapping keys are kept as written (``200:`` is the key ``"200"``, as in JSON).
- A key repeated in one mapping is kept (the later value wins, as JSON parsers do) and
  reported as a warning with its line and column.
- Before anything is built, one pass over the parser's events measures the document as if
  every alias were expanded: nesting deeper than ``limits.MAX_DEPTH``, more than
  ``limits.MAX_YAML_NODES`` nodes ("billion laughs") or an alias inside its own anchor is
  refused. libyaml's composer recurses in C, so this check must come first.
- Redefined anchors are allowed, as YAML 1.2 allows them; PyYAML's composer refuses them, so
  such files are loaded again by a pure-Python composer that lets the later anchor win.
"""

from __future__ import annotations

import math
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, ScalarNode

from . import limits
from .limits import recursion_room

_FastBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlLimitError(ValueError):
    """The document is over one of the limits; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _at(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def measure(
    text: str,
    max_depth: int = limits.MAX_DEPTH,
    max_nodes: int = limits.MAX_YAML_NODES,
) -> int:
    """Expanded node count of ``text``; raises YamlLimitError past a limit (no recursion)."""
    # Each open collection: [anchor, height]; anchors map to (expanded size, height).
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[int, int]] = {}
    open_anchors: dict[str, int] = {}
    total = 0
    parser = _FastBase(text)
    try:
        while parser.check_event():
            ev = parser.get_event()
            kind = type(ev)
            if kind is ScalarEvent:
                total += 1
                if ev.anchor is not None:
                    anchors[ev.anchor] = (1, 0)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                total += 1
                if len(stack) >= max_depth:
                    raise YamlLimitError(f"nesting deeper than {max_depth} levels "
                                         "(limit MAX_DEPTH)", *_at(ev.start_mark))
                stack.append([ev.anchor, 1, total])
                if ev.anchor is not None:
                    open_anchors[ev.anchor] = open_anchors.get(ev.anchor, 0) + 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                anchor, height, started = stack.pop()
                if anchor is not None:
                    anchors[anchor] = (total - started + 1, height)
                    open_anchors[anchor] -= 1
                    if not open_anchors[anchor]:
                        del open_anchors[anchor]
                if stack and stack[-1][1] < height + 1:
                    stack[-1][1] = height + 1
            elif kind is AliasEvent:
                if ev.anchor in open_anchors:
                    raise YamlLimitError("YAML alias inside the node it refers to "
                                         "(a recursive structure)", *_at(ev.start_mark))
                size, height = anchors.get(ev.anchor, (1, 0))
                if len(stack) + height > max_depth:
                    raise YamlLimitError(f"nesting deeper than {max_depth} levels once aliases "
                                         "are expanded (limit MAX_DEPTH)", *_at(ev.start_mark))
                if stack and stack[-1][1] < height + 1:
                    stack[-1][1] = height + 1
                total += size
            if total > max_nodes:
                raise YamlLimitError(f"more than {max_nodes} nodes once aliases are expanded "
                                     "(limit MAX_YAML_NODES)", *_at(ev.start_mark))
    finally:
        parser.dispose()
    return total


# x-openstack microversion keys: a number there is read as the text written (2.10 is not 2.1).
_VERSION_KEYS = frozenset({"min-ver", "max-ver", "min_ver", "max_ver"})
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"


class _JsonCompatible:
    """Constructor overrides shared by both loaders; see the module docstring."""

    duplicates: list[tuple[str, int, int]]

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != _MERGE_TAG:
                if key_node.value in seen:
                    mark = key_node.start_mark
                    self.duplicates.append((key_node.value, mark.line + 1, mark.column + 1))
                seen.add(key_node.value)
        self.flatten_mapping(node)  # type: ignore[attr-defined]
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ConstructorError(None, None, "mapping key is not a plain value "
                                       "(only JSON-compatible keys are read)", key_node.start_mark)
            if key_node.value in _VERSION_KEYS and isinstance(value_node, ScalarNode) and \
                    value_node.tag in (_FLOAT_TAG, _INT_TAG):
                # `min-ver: 2.10` unquoted is the float 2.1 to YAML, but it means the
                # microversion 2.10: keep the scalar as written in the source.
                mapping[key_node.value] = value_node.value
                continue
            mapping[key_node.value] = self.construct_object(  # type: ignore[attr-defined]
                value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: Any) -> int:
        digits = sum(1 for ch in node.value if ch.isdigit())
        if digits > limits.MAX_INT_DIGITS:
            raise ConstructorError(None, None, f"integer with {digits} digits, over the "
                                   f"{limits.MAX_INT_DIGITS} digit limit (limit MAX_INT_DIGITS)",
                                   node.start_mark)
        return yaml.SafeLoader.construct_yaml_int(self, node)  # type: ignore[arg-type]

    def construct_yaml_float(self, node: Any) -> float:
        value = yaml.SafeLoader.construct_yaml_float(self, node)  # type: ignore[arg-type]
        if not math.isfinite(value):
            raise ConstructorError(None, None, "infinite or NaN number (only finite numbers "
                                   "are read, as in JSON)", node.start_mark)
        return value

    def construct_undefined(self, node: Any) -> Any:
        # The tag is not echoed: it is content of a file being refused.
        if "python/" in (node.tag or ""):
            problem = "unsafe YAML tag refused (tags that construct objects are never loaded)"
        else:
            problem = "YAML tag not allowed (only JSON-compatible YAML is read)"
        raise ConstructorError(None, None, problem, node.start_mark)


def _refuse_tag(self: Any, node: Any) -> Any:
    raise ConstructorError(None, None, "YAML type not allowed (binary, set, ordered map, "
                           "pairs and timestamp tags are not JSON-compatible)", node.start_mark)


def _strip_timestamp(resolvers: dict[Any, list[tuple[str, Any]]]) -> dict[Any, list[Any]]:
    return {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


class FastLoader(_JsonCompatible, _FastBase):  # type: ignore[misc, valid-type]
    """libyaml-backed safe loader (falls back to pure Python when libyaml is missing)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates = []


class RedefiningLoader(_JsonCompatible, yaml.SafeLoader):
    """Pure-Python safe loader that accepts a redefined anchor (the later one wins)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if not isinstance(event, AliasEvent) and event.anchor is not None:
            self.anchors.pop(event.anchor, None)
        return Composer.compose_node(self, parent, index)


for _cls in (FastLoader, RedefiningLoader):
    _cls.yaml_implicit_resolvers = _strip_timestamp(yaml.SafeLoader.yaml_implicit_resolvers)
    _cls.add_constructor("tag:yaml.org,2002:int", _JsonCompatible.construct_yaml_int)
    _cls.add_constructor("tag:yaml.org,2002:float", _JsonCompatible.construct_yaml_float)
    _cls.add_constructor(None, _JsonCompatible.construct_undefined)
    for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
        _cls.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def is_duplicate_anchor_error(err: Exception) -> bool:
    return isinstance(err, yaml.composer.ComposerError) and "duplicate anchor" in str(err)


def _load_with(cls: Any, text: str) -> tuple[Any, list[tuple[str, int, int]], Any]:
    loader = cls(text)
    try:
        # Composed and constructed in two steps so the node tree (with its line marks) can be
        # kept: the source map then reuses it instead of composing the text a second time.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return data, loader.duplicates, node
    finally:
        loader.dispose()


def load_checked_node(text: str) -> tuple[Any, list[tuple[str, int, int]], Any]:
    """(data, duplicate keys as (key, line, column), composed root node) of ``text``.

    Raises ``YamlLimitError`` past a limit and ``yaml.YAMLError`` for malformed YAML. The node's
    merge keys (``<<``) are already flattened, the way the data was built.
    """
    measure(text)
    # The pure-Python composer recurses a few frames per level of nesting.
    with recursion_room(4 * limits.MAX_DEPTH + 200):
        try:
            return _load_with(FastLoader, text)
        except yaml.composer.ComposerError as err:
            if not is_duplicate_anchor_error(err):
                raise
        return _load_with(RedefiningLoader, text)


def load_checked(text: str) -> tuple[Any, list[tuple[str, int, int]]]:
    """(data, duplicate keys as (key, line, column)) for the single YAML document in ``text``."""
    data, dups, _ = load_checked_node(text)
    return data, dups


def load(text: str) -> Any:
    """Load the single YAML document of ``text`` (raises yaml.YAMLError or YamlLimitError)."""
    return load_checked(text)[0]
