"""Markdown for a pull-request comment or a changelog: verdict, findings, then the changes
grouped by version and, within a version, by operation.

Spec text (descriptions, names, enum values, paths) is escaped so it renders as the text it
is: no raw HTML (``<``, ``>`` and ``&`` become entities), no table breakage (``|`` and
newlines), no links, emphasis or code spans (markdown punctuation is backslash-escaped), and
no ``@mention`` pings. The report itself uses no HTML.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..model import Change, Report
from ..pointer import natural_key
from ._common import counts, one_line

# Only what starts inline markup: emphasis, code, links, strikethrough, math, table cells.
# Spec text never starts a line here, so block markers (#, -, 1.) need no escape.
_PUNCT = re.compile(r"([\\`*_\[\]~|$])")
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]+")
_COMPAT_MARK = {"breaking": "breaking", "compatible": "compatible", "none": "docs only"}
_LEVEL_MARK = {"error": "**error**", "warning": "warning", "info": "info"}


def md(text: object) -> str:
    """Spec text as inert inline markdown: one line, escaped."""
    s = one_line(str(text))
    s = _PUNCT.sub(r"\\\1", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A word joiner after @ keeps "@someone" from notifying someone.
    return s.replace("@", "@\u2060")


def code(text: str) -> str:
    """A rule id as a code span; anything unexpected falls back to escaped text."""
    return f"`{text}`" if _PLAIN_ID.fullmatch(text) else md(text)


def _where(change: Change) -> str:
    loc = change.primary
    return md(loc.display()) if loc else "\u2014"


def _group(change: Change) -> str:
    if not change.operations:
        return "(document)"
    if len(change.operations) == 1:
        return change.operations[0]
    from .text import _owner

    return f"(shared) {_owner(change.location)}"


def _table(changes: list[Change]) -> list[str]:
    out = ["| compat | change | rule | where |", "| --- | --- | --- | --- |"]
    for ch in changes:
        text = md(ch.message)
        if len(ch.operations) > 1:
            shown = ", ".join(md(o) for o in ch.operations[:5])
            more = f" and {len(ch.operations) - 5} more" if len(ch.operations) > 5 else ""
            text += f" (reaches {shown}{more})"
        out.append(f"| {_COMPAT_MARK.get(ch.compat, md(ch.compat))} | {text} "
                   f"| {code(ch.rule)} | {_where(ch)} |")
    return out


def render(report: Report) -> str:
    n = counts(report)
    lines: list[str] = [
        f"## apilint {report.command}: {md(report.base)} \u2192 {md(report.revision)}", "",
    ]
    if report.command == "check":
        verdict = ("**Version rule violated**" if n["errors"]
                   else "**Version rule holds**")
        lines.append(
            f"{verdict}: versions {md(report.base_version or 'none')} \u2192 "
            f"{md(report.revision_version or 'none')} (policy {md(report.policy)}, "
            f"scheme {md(report.scheme)})")
        lines.append("")
    for w in report.warnings:
        lines.append(f"> warning: {md(w)}")
    if report.warnings:
        lines.append("")

    shown = [f for f in report.findings if f.level != "off"]
    if report.command == "check":
        lines += ["### Findings", ""]
        if not shown:
            lines += ["No findings.", ""]
        else:
            lines += ["| level | finding | rule | where |", "| --- | --- | --- | --- |"]
            for f in shown:
                loc = f.location or next((c.primary for c in f.changes if c.primary), None)
                level = _LEVEL_MARK.get(f.level, md(f.level))
                text = md(f.message)
                if f.waived:
                    level = f"waived {f.level}"
                    text += f" (waived: {md(f.waiver_reason or 'no reason given')})"
                where = md(loc.display()) if loc else "\u2014"
                lines.append(f"| {level} | {text} | {code(f.id)} | {where} |")
            lines.append("")

    # One report compares two versions: its changes are the changelog of the revision.
    version = report.revision_version
    if not report.changes:
        lines += ["### Changes", "", "No API changes.", ""]
    elif version is None:
        lines += ["### Changes", ""]
    else:
        since = ""
        if report.base_version and report.base_version != version:
            since = f" (from {md(report.base_version)})"
        lines += [f"### Changes in {md(version)}{since}", ""]
    groups: dict[str, list[Change]] = defaultdict(list)
    for ch in report.changes:
        groups[_group(ch)].append(ch)
    for name in sorted(groups, key=lambda g: (g.startswith("("), natural_key(g))):
        lines += [f"#### {md(name)}", ""]
        lines += _table(groups[name])
        lines.append("")

    summary = f"{n['changes']} change{'s' if n['changes'] != 1 else ''} " \
              f"({n['breaking']} breaking)"
    if report.command == "check":
        summary += f"; {n['errors']} error finding{'s' if n['errors'] != 1 else ''}"
    lines.append(f"_{summary}_")
    return "\n".join(lines) + "\n"
