"""Which changes a run looks at: path globs, categories, documentation, rules turned off.

One selection for ``diff`` and ``check`` (and the configuration's ``ignore`` and rule
levels), applied before the gate: ``check --match-path '/servers/*'`` gates only the changes
that reach a matching path. Paths are matched as path templates (``/servers/{server_id}``)
with shell-style globs, where ``*`` also crosses ``/``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Change


def api_path(operation: str | None) -> str | None:
    """``GET /pets/{id}`` → ``/pets/{id}``; None for document-wide changes."""
    if not operation:
        return None
    _, _, path = operation.partition(" ")
    return path or None


@dataclass
class Selection:
    """What to keep. Empty ``match``/``only`` keep everything."""

    match: Sequence[str] = ()  # keep changes that reach a path matching one of these
    exclude: Sequence[str] = ()  # drop changes all of whose paths match one of these
    only: Sequence[str] = ()  # keep these categories
    include_docs: bool = True
    levels: dict[str, str] = field(default_factory=dict)  # rule -> level; "off" drops

    def keeps(self, change: Change) -> bool:
        if self.levels.get(change.rule) == "off":
            return False
        if not self.include_docs and change.category == "doc-change":
            return False
        if self.only and change.category not in self.only:
            return False
        if self.match or self.exclude:
            paths = [p for p in map(api_path, change.operations or (change.operation,)) if p]
            if self.match and not any(_matches(p, self.match) for p in paths):
                return False
            if self.exclude and paths and all(_matches(p, self.exclude) for p in paths):
                return False
        return True

    def apply(self, changes: Iterable[Change]) -> list[Change]:
        return [c for c in changes if self.keeps(c)]


def _matches(path: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(path, g) for g in globs)
