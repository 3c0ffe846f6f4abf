"""Source map of YAML texts: the part of ``sourcemap`` that needs PyYAML.

Kept apart so that a run over JSON files never imports PyYAML (a tenth of a small run's start);
``sourcemap.SourceMap`` imports it when a YAML text is looked up. How positions are read is
said in ``sourcemap``'s docstring.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .sourcemap import _array_index, _LineTable

__all__ = ["YamlIndex"]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_VALUE_TAG = "tag:yaml.org,2002:value"
_ALIAS_NAME = re.compile(r"\*[^\s,\[\]{}]+")
_PROPERTY = re.compile(r"[&!][^\s,\[\]{}]*")

_FastLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RedefiningLoader(yaml.SafeLoader):
    """Pure-Python safe loader whose composer lets a redefined anchor replace the earlier one.

    PyYAML's composer refuses an anchor name it has already seen; YAML 1.2 allows it, and real
    specs do it. Forgetting the old anchor just before a node that defines it again is the only
    change; aliases after it then refer to the new node, as YAML 1.2 says.
    """

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if not isinstance(event, AliasEvent) and event.anchor is not None:
            self.anchors.pop(event.anchor, None)
        return Composer.compose_node(self, parent, index)


def _compose_first(text: str, loader_class: Any) -> Node | None:
    """The node of the first document in ``text`` (None for an empty stream)."""
    loader = loader_class(text)
    try:
        return loader.get_node() if loader.check_node() else None
    finally:
        loader.dispose()


class YamlIndex:
    """Composed YAML node tree with per-mapping key indexes built on first use."""

    errors: tuple[type[Exception], ...] = (yaml.YAMLError,)  # a text that does not compose

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Node | None = None
        self._composed = False
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}
        self._items: dict[int, list[tuple[int, int]]] = {}
        self._flat: dict[int, list[tuple[Node, Node]]] = {}
        self._lines = _LineTable(text)
        self._constructor: SafeConstructor | None = None

    def position(self, tokens: list[str]) -> tuple[int, int] | None:
        if not self._composed:
            self._compose()
        node = self._root
        if node is None:
            return None
        mark = node.start_mark
        where = (mark.line + 1, mark.column + 1)
        for token in tokens:
            if isinstance(node, MappingNode):
                index = self._maps.get(id(node))
                if index is None:
                    index = self._map_index(node)
                pair = index.get(token)
                if pair is None:
                    return None
                mark = pair[0].start_mark
                where = (mark.line + 1, mark.column + 1)
                node = pair[1]
            elif isinstance(node, SequenceNode):
                i = _array_index(token)
                if i is None or i >= len(node.value):
                    return None
                places = self._items.get(id(node))
                if places is None:
                    places = self._item_places(node)
                where = places[i]
                node = node.value[i]
            else:
                return None
        return where

    def adopt(self, root: Node) -> None:
        self._root = root
        self._composed = True

    def _compose(self) -> None:
        try:
            root = _compose_first(self._text, _FastLoader)
        except yaml.composer.ComposerError as err:
            if "duplicate anchor" not in str(err):
                raise
            root = _compose_first(self._text, _RedefiningLoader)
        self._root = root
        self._composed = True

    # -- mappings

    def _map_index(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        """Pointer token -> (key node, value node) for the members of ``node``.

        Data loaded with PyYAML has non-string keys (``200:`` is the int 200, ``true:`` the
        bool True) that become pointer tokens through ``str()``; the text as written and JSON's
        spelling ("true", "null") are accepted as well. A string key wins over those, and among
        equal keys the last one wins, as in the loaded data.
        """
        pairs = self._flatten(node, set())
        tiers: tuple[list[tuple[str, tuple[Node, Node]]], ...] = ([], [], [])
        for pair in pairs:
            key = pair[0]
            if not isinstance(key, ScalarNode):
                continue  # a collection as key cannot be named by a pointer
            if key.tag == _STR_TAG or key.tag == _VALUE_TAG:
                tiers[0].append((key.value, pair))
                continue
            value = self._construct(key)
            if value is not None or key.tag == "tag:yaml.org,2002:null":
                tiers[1].append((str(value), pair))
            tiers[2].append((key.value, pair))
            if isinstance(value, bool) or value is None:
                tiers[2].append((json.dumps(value), pair))
        index: dict[str, tuple[Node, Node]] = {}
        for tier in reversed(tiers):
            index.update(tier)
        self._maps[id(node)] = index
        return index

    def _construct(self, key: ScalarNode) -> Any:
        """The Python value PyYAML's safe constructor makes of a scalar key (None if it fails)."""
        if self._constructor is None:
            self._constructor = SafeConstructor()
        try:
            return self._constructor.construct_object(key)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            return None

    def _flatten(self, node: MappingNode, active: set[int]) -> list[tuple[Node, Node]]:
        """Members of ``node`` with merge keys resolved, in "last one wins" order.

        Merge keys (``<<``) are resolved by the installed PyYAML's own ``flatten_mapping``, as
        its constructor does when it builds the data: releases differ in which of several
        merged mappings wins (6.0.4 even depends on string identity), and the line must show
        where the loaded value came from. This tree is the map's own, so it may be changed.
        ``active`` is kept for callers; a mapping that merges itself is refused by the loader.
        """
        cached = self._flat.get(id(node))
        if cached is not None:
            return cached
        if any(key.tag == _MERGE_TAG for key, _ in node.value):
            if self._constructor is None:
                self._constructor = SafeConstructor()
            self._constructor.flatten_mapping(node)
        flat = list(node.value)
        self._flat[id(node)] = flat
        return flat

    # -- sequences

    def _item_places(self, node: SequenceNode) -> list[tuple[int, int]]:
        """(line, column) of each item of ``node``, at the ``*alias`` for an alias item.

        The composer hands out the anchored node itself for an alias, whose marks are where the
        anchor was defined. An item is where its marks say only when it starts after the end of
        the previous item; otherwise it is an alias, and the ``*name`` is the first token after
        the previous item (past "-", "," "[" and comments).
        """
        text = self._text
        places: list[tuple[int, int]] = []
        prev_end = node.start_mark.index
        limit = node.end_mark.index
        for item in node.value:
            start = item.start_mark
            if item is not node and start.index >= prev_end and item.end_mark.index <= limit:
                places.append((start.line + 1, start.column + 1))
                prev_end = item.end_mark.index
                continue
            at = _alias_at(text, prev_end, limit)
            if at < 0:  # not found: fall back to the anchored node
                places.append((start.line + 1, start.column + 1))
                continue
            places.append(self._lines.line_col(at))
            name = _ALIAS_NAME.match(text, at)
            prev_end = name.end() if name else at + 1
        self._items[id(node)] = places
        return places


def _alias_at(text: str, pos: int, limit: int) -> int:
    """Offset of the "*" of the alias that is the next sequence item after ``pos``, or -1."""
    while pos < limit:
        char = text[pos]
        if char in " \t\r\n-,[":
            pos += 1
        elif char == "#":
            end = text.find("\n", pos)
            pos = limit if end < 0 else end
        elif char == "*":
            return pos
        elif char in "&!":
            # the sequence's own anchor or tag, written before its "["
            found = _PROPERTY.match(text, pos)
            pos = found.end() if found else pos + 1
        else:
            return -1
    return -1
