"""The records a comparison produces: a ``Delta`` and the ``Hit`` that reaches it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..loader import Document
from ..model import MISSING
from .kinds import Kind

Where = tuple[Document, str]


class Decl(NamedTuple):
    """One declaration of a schema keyword: its value and where it is written. (A schema
    node, ``normalise.Node``, is the other way round: document, pointer, value.)"""

    value: Any
    doc: Document
    ptr: str


@dataclass(slots=True, eq=False)
class Delta:
    """One raw difference. ``base``/``rev`` are where the thing is on each side, if it is."""

    kind: Kind
    base: Where | None
    rev: Where | None
    before: Any = MISSING
    after: Any = MISSING
    name: str | None = None
    keyword: str | None = None
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Hit:
    """A delta as reached from one operation (or from the document, when ``op`` is None).

    ``others`` lists further (operation, label, context) triples that reach the same delta in
    the same direction, so a shared component yields one hit rather than thousands.
    """

    delta: Delta
    op: str | None
    label: str | None
    direction: str | None
    context: str | None
    others: list[tuple[str, str, str | None]] | None = None
