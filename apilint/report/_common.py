"""What the CI formats share: one list of report entries, their levels, titles and places.

Findings and changes both become entries. Level mapping, the same in every CI format:

- a finding keeps its level (``error``, ``warning``, ``info``); ``off`` is not reported; a
  waived finding is shown at ``info`` with the waiver's reason;
- a change is context, never a failure by itself: ``breaking`` → ``warning``, ``compatible``
  and ``none`` (documentation) → ``info``.

Every entry points at the revision's file and line, or the base's for a removal
(``Change.primary``); a finding without a place borrows its first change's, and failing that
the revision document itself (line 1), because CI annotations need a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Change, Finding, Location, Report
from ..textsafe import one_line, visible_controls

__all__ = ["one_line", "visible_controls"]  # re-exported for the formats

if TYPE_CHECKING:
    from ..catalogue import Rule

CHANGE_LEVEL = {"breaking": "warning", "compatible": "info", "none": "info"}

@dataclass
class Entry:
    """One annotated line of a CI report: a finding or a change."""

    kind: str  # "finding" or "change"
    rule: str
    level: str  # "error", "warning" or "info"
    message: str
    location: Location | None
    operation: str | None = None
    category: str | None = None
    compat: str | None = None
    fingerprint: str = ""
    waived: bool = False
    waiver_reason: str | None = None
    finding: Finding | None = None
    change: Change | None = None
    operations: tuple[str, ...] = field(default_factory=tuple)


def catalogue() -> dict[str, Rule]:
    """The rule catalogue, loaded only by the formats that describe rules."""
    from ..catalogue import rules

    try:
        return rules()
    except Exception:  # noqa: BLE001 - a broken catalogue must not hide the report itself
        return {}


def rule_title(rule_id: str) -> str:
    """A rule id as words: ``response-property-removed`` → ``Response property removed``."""
    words = rule_id.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "apilint"


# What blocks comes first, in every format: findings (errors, then warnings, then info), then
# breaking changes, then other API changes, then documentation changes.
_LEVEL_RANK = {"error": 0, "warning": 1, "info": 2}


def findings_first(findings: list[Finding]) -> list[Finding]:
    """Unwaived errors, then warnings, then info; waived ones last."""
    return sorted(findings, key=lambda f: (f.waived, _LEVEL_RANK.get(f.level, 1)))


def entries(report: Report) -> list[Entry]:
    """Findings first (the verdict, errors first), then every change, breaking ones first."""
    out: list[Entry] = []
    fallback = Location(report.revision, "", 1, None) if report.revision else None
    for f in findings_first(report.findings):
        if f.level == "off":
            continue
        loc = f.location
        if loc is None:
            loc = next((c.primary for c in f.changes if c.primary), None) or fallback
        level = f.level if f.level in ("error", "warning", "info") else "warning"
        msg = f.message
        if f.waived:
            level = "info"
            msg += f" (waived: {f.waiver_reason})" if f.waiver_reason else " (waived)"
        first = blocking_order(f.changes)[0] if f.changes else None
        out.append(Entry(
            kind="finding", rule=f.id, level=level, message=msg, location=loc,
            operation=first.operation if first else None, fingerprint=f.fingerprint,
            waived=f.waived, waiver_reason=f.waiver_reason, finding=f,
        ))
    for c in blocking_order(report.changes):
        out.append(Entry(
            kind="change", rule=c.rule, level=CHANGE_LEVEL.get(c.compat, "warning"),
            message=c.message, location=c.primary, operation=c.operation,
            category=c.category, compat=c.compat, fingerprint=c.fingerprint, change=c,
            operations=tuple(c.operations) or ((c.operation,) if c.operation else ()),
        ))
    return out


def artifact_path(file: str, report: Report) -> str:
    """The file a location names, as a path in the repository.

    With ``check --base REF`` base-side files display as ``REF:openapi.yaml`` and the
    report's base reads ``REF:openapi.yaml`` (one file) or ``REF`` (several); an annotation
    needs ``openapi.yaml``. Only that ``REF:`` prefix is dropped, and never from a name that
    exists as written (a file really called ``a:b.yaml``). Absolute paths under the working
    directory become relative to it.
    """
    base = report.base or ""
    prefixes = {base + ":"}
    if ":" in base:
        prefixes.add(base.partition(":")[0] + ":")
    for prefix in prefixes:
        drive = len(prefix) == 2 and prefix[0].isalpha()
        if not drive and len(prefix) > 1 and file.startswith(prefix) \
                and len(file) > len(prefix) and not os.path.exists(file):
            return _relative(file[len(prefix):])
    return _relative(file)


def _relative(path: str) -> str:
    """An absolute path under the working directory, relative to it: CI annotations and
    SARIF resolve file names against the checkout, where apilint is run from."""
    if not os.path.isabs(path):
        return path
    try:
        here = os.getcwd()
        rel = os.path.relpath(path, here)
    except (OSError, ValueError):
        return path
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path
    return rel.replace(os.sep, "/")


def counts(report: Report) -> dict[str, int]:
    errors = sum(1 for f in report.findings if f.level == "error" and not f.waived)
    return {
        "changes": len(report.changes),
        "breaking": sum(1 for c in report.changes if c.compat == "breaking"),
        "errors": errors,
        "findings": sum(1 for f in report.findings if f.level != "off"),
    }


# What blocks comes first: after the findings, breaking changes, then the other API changes,
# then documentation. Every format orders its changes this way.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("breaking", "Breaking changes"),
    ("api", "Other API changes"),
    ("docs", "Documentation changes"),
)


def section(change: Change) -> int:
    """The index in ``SECTIONS`` a change belongs to."""
    if change.compat == "breaking":
        return 0
    if change.category == "doc-change":
        return 2
    return 1


def blocking_order(changes: list[Change]) -> list[Change]:
    """Changes by section (stable: report order within a section)."""
    return sorted(changes, key=section)
