"""Records shared by every stage: locations, changes (classified deltas) and findings.

Vocabulary: *base* and *revision* are the two versions compared; a *delta* is a raw
difference (see ``apilint.diff``), a *change* is a delta with a rule from the catalogue, and a
*finding* is the policy's verdict on the changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from .digest import sha256
from .pointer import natural_key

Category = Literal[
    "new-call", "removed-call", "added-field", "removed-field", "behavior-change", "doc-change"
]
Compat = Literal["breaking", "compatible", "none"]
Level = Literal["error", "warning", "info", "off"]

# The one list of each, in the order a reader meets them; the types above are their source.
CATEGORIES: tuple[str, ...] = get_args(Category)
COMPATS: tuple[str, ...] = get_args(Compat)
# Categories where something appears or disappears (the gate asks for min-ver / max-ver).
ADDED: tuple[Category, ...] = ("new-call", "added-field")
REMOVED: tuple[Category, ...] = ("removed-call", "removed-field")


class _Missing:
    """Marks a side of a change where the thing does not exist."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class Location:
    """A place in one file: a JSON pointer (RFC 6901) and, where known, its line and column."""

    file: str
    pointer: str
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "pointer": self.pointer, "line": self.line, "column": self.column
        }

    def display(self) -> str:
        """``file:line:col`` for people: control characters in the name escaped, one line."""
        from .textsafe import escape_name

        out = escape_name(self.file)
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out


@dataclass(slots=True)
class Change:
    """One classified difference between base and revision."""

    rule: str
    category: str
    compat: str
    operation: str | None
    location: str
    message: str
    base: Location | None = None
    revision: Location | None = None
    operations: tuple[str, ...] = ()
    direction: str | None = None  # "request", "response" or None
    before: Any = MISSING
    after: Any = MISSING
    # Free-form details a policy or report may use (e.g. {"name": "flavor", "status": "200"}).
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """A stable identity: rule + operation + location, never the message text."""
        raw = f"{self.rule}\x00{self.operation or ''}\x00{self.location}"
        return sha256(raw.encode("utf-8")).hexdigest()[:16]

    @property
    def primary(self) -> Location | None:
        """Where a person should look: the revision's place, or the base's for removals."""
        return self.revision or self.base

    def sort_key(self) -> tuple[Any, ...]:
        # Natural order: numbers in paths and pointers compare as numbers (/enum/94 before
        # /enum/122), in every format, since every format lists changes in this order.
        return (natural_key(self.operation), natural_key(self.location), self.rule,
                self.message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "compat": self.compat,
            "operation": self.operation,
            "operations": list(self.operations) if self.operations else (
                [self.operation] if self.operation else []
            ),
            "location": self.location,
            "message": self.message,
            "direction": self.direction,
            "base": self.base.to_dict() if self.base else None,
            "revision": self.revision.to_dict() if self.revision else None,
            "fingerprint": self.fingerprint,
        }
        if self.before is not MISSING:
            out["before"] = _jsonable(self.before)
        if self.after is not MISSING:
            out["after"] = _jsonable(self.after)
        return out


@dataclass(slots=True)
class Finding:
    """A policy verdict: an id from the catalogue, a level and the changes that caused it."""

    id: str
    level: str
    message: str
    changes: list[Change] = field(default_factory=list)
    location: Location | None = None
    waived: bool = False
    waiver_reason: str | None = None

    @property
    def fingerprint(self) -> str:
        first = self.changes[0] if self.changes else None
        raw = f"{self.id}\x00{first.operation if first else ''}\x00"
        raw += first.location if first else (self.location.pointer if self.location else "")
        return sha256(raw.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "message": self.message,
            "location": self.location.to_dict() if self.location else None,
            "changes": [c.fingerprint for c in self.changes],
            "waived": self.waived,
            "waiver_reason": self.waiver_reason,
            "fingerprint": self.fingerprint,
        }


@dataclass(slots=True)
class Report:
    """Everything a reporter needs: inputs, changes, findings, versions and warnings."""

    base: str
    revision: str
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    command: str = "diff"  # "diff" or "check"
    scheme: str | None = None  # version scheme used by the policy
    # The scheme with the arithmetic the policy applied to it, as the header shows it:
    # "semver (breaking changes need a new major)"; several files join with "; ".
    scheme_rule: str | None = None
    policy: str | None = None
    base_version: str | None = None
    revision_version: str | None = None
    exit_code: int = 0
    # Where this run wrote a complete report (another --output file), for formats that must
    # cut themselves short (a pull-request comment); not part of the JSON contract.
    full_report: str | None = None

    def to_dict(self) -> dict[str, Any]:
        counts = {c: 0 for c in CATEGORIES}
        for ch in self.changes:
            counts[ch.category] = counts.get(ch.category, 0) + 1
        out: dict[str, Any] = {
            "apilint": 1,
            "command": self.command,
            "base": self.base,
            "revision": self.revision,
            "summary": {
                "changes": len(self.changes),
                "breaking": sum(1 for c in self.changes if c.compat == "breaking"),
                "by_category": counts,
            },
            "changes": [c.to_dict() for c in self.changes],
            "warnings": list(self.warnings),
        }
        if self.command in ("check", "conform"):
            out["policy"] = self.policy
            out["scheme"] = self.scheme
            if self.command == "check":
                out["scheme_rule"] = self.scheme_rule
            out["versions"] = {"base": self.base_version, "revision": self.revision_version}
            out["findings"] = [f.to_dict() for f in self.findings]
            out["exit_code"] = self.exit_code
        return out


def _jsonable(value: Any) -> Any:
    """Values from specs are JSON-like already; sets and tuples become sorted lists."""
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def json_type(v: Any, integers: bool = False) -> str:
    """The JSON Schema type of a parsed value. Integers are "number" unless ``integers``: to
    infer a shape from captures, 1 versus 1.5 is a value, and re-recording may flip it."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if integers and isinstance(v, int):
        return "integer"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "string"
