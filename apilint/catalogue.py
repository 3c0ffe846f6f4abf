"""The rule catalogue: rules/*.yaml loaded once, shared by classifier, policy, docs and CLI.

A change rule has ``compat`` either as one word or per direction
(``{request: breaking, response: compatible}``); finding rules (``kind: finding``) carry a
default ``level`` instead.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str  # "change" or "finding"
    category: str | None
    compat: str | dict[str, str] | None
    level: str | None
    message: str
    why: str
    example: dict[str, Any] = field(default_factory=dict)
    # What a change rule classifies (see rules/changes.yaml): a delta kind, the direction
    # it is for ("" for any) and the name of a condition in classify.CONDITIONS ("" for none).
    delta: str = ""
    direction: str = ""
    when: str = ""

    def compat_for(self, direction: str | None) -> str:
        if isinstance(self.compat, dict):
            if direction and direction in self.compat:
                return self.compat[direction]
            return self.compat.get("default", "breaking")
        return self.compat or "none"

    def render(self, **values: Any) -> str:
        try:
            return self.message.format_map(_Default(values))
        except (ValueError, IndexError):
            return self.message


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _rules_dir() -> str:
    # The folder itself, not importlib.resources: this runs on every start of a hook.
    checkout = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    beside = os.path.join(checkout, "rules")
    if os.path.isfile(os.path.join(checkout, "pyproject.toml")) and os.path.isdir(beside):
        # Imported from a source checkout: its own rules/ folder, checked first because an
        # editable install of another checkout maps ``apilint.rules`` to *that* checkout's
        # folder, and the code under test would read a catalogue it was not written with.
        return beside
    try:
        from . import rules as package
    except ImportError:
        return beside
    return os.path.dirname(os.path.abspath(package.__file__ or ""))


def _load_file(name: str) -> list[dict[str, Any]]:
    with open(os.path.join(_rules_dir(), name), encoding="utf-8") as fh:
        text = fh.read()
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return list(data or [])


def _rule_files() -> list[str]:
    """changes.yaml first, then every other catalogue file (findings.yaml, conform.yaml …)."""
    names = sorted(
        n for n in os.listdir(_rules_dir()) if n.endswith(".yaml") and n != "changes.yaml"
    )
    return ["changes.yaml", *names]


@functools.cache
def rules() -> dict[str, Rule]:
    """All rules by id, in catalogue order (changes first, then the other files by name)."""
    out: dict[str, Rule] = {}
    for name in _rule_files():
        default_kind = "change" if name == "changes.yaml" else "finding"
        for entry in _load_file(name):
            rule = Rule(
                id=entry["id"],
                kind=entry.get("kind", default_kind),
                category=entry.get("category"),
                compat=entry.get("compat"),
                level=entry.get("level"),
                message=entry["message"],
                why=" ".join(str(entry.get("why", "")).split()),
                example=entry.get("example") or {},
                delta=entry.get("delta", ""),
                direction=entry.get("direction", ""),
                when=entry.get("when", ""),
            )
            if rule.id in out:
                raise ValueError(f"duplicate rule id {rule.id!r} in rules/{name}")
            out[rule.id] = rule
    return out


def get(rule_id: str) -> Rule:
    return rules()[rule_id]
