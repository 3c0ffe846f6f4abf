"""YAML loading tuned for API descriptions: safe, JSON-compatible, fast where libyaml exists.

- Only safe tags: anything that would construct a Python object is refused by SafeLoader.
- Timestamps stay strings (``version: 2023-05-01`` is a version, not a date object).
- Redefined anchors are allowed, as YAML 1.2 allows them; PyYAML's composer refuses them,
  so such files are loaded again by a pure-Python composer that lets the later anchor win.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent

_FastBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _strip_timestamp(resolvers: dict[Any, list[tuple[str, Any]]]) -> dict[Any, list[Any]]:
    return {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


class FastLoader(_FastBase):  # type: ignore[misc, valid-type]
    """libyaml-backed safe loader (falls back to pure Python when libyaml is missing)."""


FastLoader.yaml_implicit_resolvers = _strip_timestamp(yaml.SafeLoader.yaml_implicit_resolvers)


class RedefiningLoader(yaml.SafeLoader):
    """Pure-Python safe loader that accepts a redefined anchor (the later one wins)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if not isinstance(event, AliasEvent) and event.anchor is not None:
            self.anchors.pop(event.anchor, None)
        return Composer.compose_node(self, parent, index)


RedefiningLoader.yaml_implicit_resolvers = _strip_timestamp(
    yaml.SafeLoader.yaml_implicit_resolvers
)


def is_duplicate_anchor_error(err: Exception) -> bool:
    return isinstance(err, yaml.composer.ComposerError) and "duplicate anchor" in str(err)


def load(text: str) -> Any:
    """Load the first YAML document of ``text`` (raises yaml.YAMLError)."""
    try:
        return yaml.load(text, Loader=FastLoader)  # noqa: S506 - FastLoader is a SafeLoader
    except yaml.composer.ComposerError as err:
        if not is_duplicate_anchor_error(err):
            raise
    return yaml.load(text, Loader=RedefiningLoader)  # noqa: S506
