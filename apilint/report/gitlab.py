"""GitLab Code Quality: the JSON array a merge request's Code Quality widget reads.

Each item has ``description``, ``check_name`` (the rule id), ``fingerprint``, ``severity`` and
``location`` (``path`` relative to the checkout, ``lines.begin``), plus the Code Climate
fields ``type`` and ``categories`` that GitLab accepts and ignores.

Order: findings, then breaking changes, other API changes and documentation changes.
Severity: an ``error`` finding fails the gate, ``critical``; a warning finding ``minor``; an
info or waived finding ``info``; a breaking change ``major``, a compatible one ``minor``, a
documentation change ``info``. Input warnings are ``info`` items on the revision's first line.

GitLab tells new from resolved issues by fingerprint, comparing the merge request's report
with the target branch's: the fingerprint is apilint's own (rule, operation, JSON pointer —
never the line, which moves with unrelated edits), hashed with the kind of item; a repeat of
the same identity in one report gets an ordinal, so every fingerprint is unique.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..model import Report
from ._common import Entry, artifact_path, entries, one_line, section

_FINDING = {"error": "critical", "warning": "minor", "info": "info"}
_CHANGE = {"breaking": "major", "compatible": "minor", "none": "info"}


def severity(e: Entry) -> str:
    if e.kind == "finding":
        return "info" if e.waived else _FINDING.get(e.level, "minor")
    return _CHANGE.get(e.compat or "", "minor")


def _order(e: Entry) -> tuple[int, int]:
    if e.kind == "finding":
        return (0, 0)
    return (1, section(e.change) if e.change is not None else 1)


def render(report: Report) -> str:
    items: list[dict[str, Any]] = []
    seen: dict[str, int] = {}

    def fingerprint(identity: str) -> str:
        n = seen.get(identity, 0)
        seen[identity] = n + 1
        raw = identity if n == 0 else f"{identity}\x00{n}"
        return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def item(check: str, description: str, identity: str, level: str, path: str,
             line: int | None, category: str) -> None:
        items.append({
            "type": "issue",
            "check_name": check,
            "description": one_line(description),
            "categories": [category],
            "severity": level,
            "fingerprint": fingerprint(identity),
            "location": {"path": path, "lines": {"begin": line if line and line >= 1 else 1}},
        })

    revision = artifact_path(report.revision, report) if report.revision else ""
    for e in sorted(entries(report), key=_order):
        loc = e.location
        path = artifact_path(loc.file, report) if loc and loc.file else revision
        text = e.message
        if e.kind == "change":
            text = f"{e.compat} {e.category}: {text}"
            if len(e.operations) > 1:
                text += f" [reaches {', '.join(e.operations[:5])}" + (
                    f" and {len(e.operations) - 5} more]" if len(e.operations) > 5 else "]")
        item(e.rule, text, f"apilint\x00{e.kind}\x00{e.fingerprint}", severity(e), path,
             loc.line if loc else None, "Compatibility" if e.kind == "change" else "Bug Risk")
    for w in report.warnings:
        item("apilint-input-warning", w, f"apilint\x00warning\x00{w}", "info", revision, 1,
             "Bug Risk")
    # ASCII only: every control character or lone surrogate from a spec is a JSON escape.
    return json.dumps(items, indent=2, ensure_ascii=True) + "\n"
