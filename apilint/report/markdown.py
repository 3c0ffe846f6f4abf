"""Markdown for a pull-request comment: what blocks first, and always small enough to post.

Order: the verdict and a summary table, the findings, every breaking change, then the other
changes folded into one ``<details>`` section per category (documentation changes last). A
GitHub comment holds at most 65,536 characters; past that the report keeps the verdict, the
summary and the findings, fills what room is left in that order, and says how many changes
it left out and where the full report is. Identical rows (the same message, rule and
compat) are merged into one with a count.

Spec text (descriptions, names, enum values, paths) is escaped so it renders as the text it
is: no raw HTML (``<``, ``>`` and ``&`` become entities), no table breakage (``|`` and
newlines), no links, emphasis or code spans (markdown punctuation is backslash-escaped), no
autolinked URLs and no ``@mention`` pings. The only HTML is the report's own
``<details>``/``<summary>``.
"""

from __future__ import annotations

import re

from ..model import Change, Finding, Report
from ._common import blocking_order, counts, findings_first, one_line, section

# Only what starts inline markup: emphasis, code, links, strikethrough, math, table cells.
# Spec text never starts a line here, so block markers (#, -, 1.) need no escape.
_PUNCT = re.compile(r"([\\`*_\[\]~|$])")
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|xmpp|www)(?=:|\.)")
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]+")
_COMPAT_MARK = {"breaking": "breaking", "compatible": "compatible", "none": "docs only"}
_LEVEL_MARK = {"error": "**error**", "warning": "warning", "info": "info"}


def md(text: object) -> str:
    """Spec text as inert inline markdown: one line, escaped."""
    s = one_line(str(text))
    s = _PUNCT.sub(r"\\\1", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # GitHub links bare URLs and www. names by itself (its autolink extension, which runs
    # after entities are decoded, so only a character can stop it): a word joiner after the
    # scheme or "www" leaves the text readable and links nothing.
    s = _AUTOLINK.sub("\\1\u2060", s)
    # A word joiner after @ keeps "@someone" from notifying someone, and a@b.com unlinked.
    return s.replace("@", "@\u2060")


def code(text: str) -> str:
    """A rule id as a code span; anything unexpected falls back to escaped text."""
    return f"`{text}`" if _PLAIN_ID.fullmatch(text) else md(text)


# GitHub's limit for a comment body, in characters; the report stays under it.
LIMIT = 65_536
_CATEGORY_TITLE = {
    "removed-call": "Removed calls", "new-call": "New calls", "removed-field": "Removed fields",
    "added-field": "Added fields", "behavior-change": "Behaviour changes",
    "doc-change": "Documentation changes",
}
_CATEGORY_ORDER = tuple(_CATEGORY_TITLE)


def _where(change: Change) -> str:
    loc = change.primary
    return md(loc.display()) if loc else "\u2014"


def _rows(changes: list[Change]) -> list[tuple[str, int]]:
    """(table row, changes it stands for): identical rows (message, rule, compat) merged."""
    merged: dict[tuple[str, str, str], list[Change]] = {}
    for ch in changes:
        merged.setdefault((ch.message, ch.rule, ch.compat), []).append(ch)
    out = []
    for (_, rule, compat), group in merged.items():
        first = group[0]
        text = md(first.message)
        if len(group) > 1:
            text += f" (\u00d7{len(group)})"
        ops = first.operations or ((first.operation,) if first.operation else ())
        operation = md(ops[0]) if ops else "\u2014"
        if len(ops) > 1:
            operation += f" and {len(ops) - 1} more"
        out.append((f"| {_COMPAT_MARK.get(compat, md(compat))} | {operation} | {text} "
                    f"| {code(rule)} | {_where(first)} |", len(group)))
    return out


_TABLE_HEAD = ["| compat | operation | change | rule | where |",
               "| --- | --- | --- | --- | --- |"]


def _finding_rows(findings: list[Finding]) -> list[str]:
    out = []
    for f in findings:
        loc = f.location or next((c.primary for c in blocking_order(f.changes) if c.primary),
                                 None)
        level = _LEVEL_MARK.get(f.level, md(f.level))
        text = md(f.message)
        if f.waived:
            level = f"waived {f.level}"
            text += f" (waived: {md(f.waiver_reason or 'no reason given')})"
        where = md(loc.display()) if loc else "\u2014"
        out.append(f"| {level} | {text} | {code(f.id)} | {where} |")
    return out


def _summary_table(report: Report) -> list[str]:
    ranks = [0, 0, 0]
    for ch in report.changes:
        ranks[section(ch)] += 1
    out = ["| | count |", "| --- | ---: |"]
    if report.command == "check":
        n = counts(report)
        out.append(f"| error findings | {n['errors']} |")
    out += [f"| breaking changes | {ranks[0]} |", f"| other API changes | {ranks[1]} |",
            f"| documentation changes | {ranks[2]} |"]
    return out


class _Budget:
    """Characters left for the comment; sections take rows while they fit."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.omitted = 0  # changes left out

    def take(self, lines: list[str]) -> bool:
        size = sum(len(x) + 1 for x in lines)
        if size > self.left:
            return False
        self.left -= size
        return True

    def give_back(self, lines: list[str]) -> None:
        self.left += sum(len(x) + 1 for x in lines)

    def rows(self, rows: list[tuple[str, int]]) -> list[str]:
        kept: list[str] = []
        for i, (row, _) in enumerate(rows):
            if len(row) + 1 > self.left:
                self.omitted += sum(m for _, m in rows[i:])
                break
            kept.append(row)
            self.left -= len(row) + 1
        return kept


def _shown(total: int, kept_changes: int) -> str:
    return f"{total}" if kept_changes == total else f"{total}, {kept_changes} shown"


def render(report: Report, limit: int = LIMIT) -> str:
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
            f"scheme {md(report.scheme_rule or report.scheme)})")
        lines.append("")
    lines += _summary_table(report) + [""]
    for w in report.warnings[:20]:
        lines.append(f"> warning: {md(w)[:500]}")
    if len(report.warnings) > 20:
        lines.append(f"> and {len(report.warnings) - 20} more warnings")
    if report.warnings:
        lines.append("")

    # Room kept for the closing lines (the summary and the "left out" note).
    tail_room = 600
    budget = _Budget(limit - tail_room)
    budget.take(lines)

    shown = [f for f in findings_first(report.findings) if f.level != "off"]
    if report.command == "check":
        lines += ["### Findings", ""]
        budget.take(["### Findings", ""])
        if not shown:
            lines += ["No findings.", ""]
        else:
            head = ["| level | finding | rule | where |", "| --- | --- | --- | --- |"]
            budget.take(head)
            lines += head + budget.rows([(r, 0) for r in _finding_rows(shown)]) + [""]

    ordered = blocking_order(report.changes)
    breaking = [c for c in ordered if section(c) == 0]
    if not report.changes:
        lines += ["### Changes", "", "No API changes.", ""]
    sections: list[tuple[str, list[Change], bool]] = []
    if breaking:
        sections.append(("Breaking changes", breaking, False))
    rest = [c for c in ordered if section(c) != 0]
    for category in _CATEGORY_ORDER:
        group = [c for c in rest if c.category == category]
        if group:
            sections.append((_CATEGORY_TITLE[category], group, True))
    for title, group, folded in sections:
        rows = _rows(group)
        # The longest title this section can get, so the count can be filled in afterwards.
        opening = ([f"<details><summary>{title} ({len(group)}, {len(group)} shown)"
                    "</summary>", ""] if folded else [f"### {title} ({len(group)}, "
                                                      f"{len(group)} shown)", ""])
        closing = ["", "</details>", ""] if folded else [""]
        if not budget.take(opening + _TABLE_HEAD + closing):
            budget.omitted += len(group)
            continue
        before = budget.omitted
        kept = budget.rows(rows)
        if not kept:
            budget.give_back(opening + _TABLE_HEAD + closing)
            continue
        label = _shown(len(group), len(group) - (budget.omitted - before))
        opening[0] = (f"<details><summary>{title} ({label})</summary>" if folded
                      else f"### {title} ({label})")
        lines += opening + _TABLE_HEAD + kept + closing

    if budget.omitted:
        where = (f"the full report is in {md(report.full_report)}" if report.full_report
                 else "write the full report with --format json or html --output FILE "
                      "(or keep it as a CI artifact)")
        lines += [f"**{budget.omitted} more change{'s' if budget.omitted != 1 else ''} left "
                  "out** "
                  f"to fit a {limit:,}-character comment; {where}.", ""]
    summary = f"{n['changes']} change{'s' if n['changes'] != 1 else ''} " \
              f"({n['breaking']} breaking)"
    if report.command == "check":
        summary += f"; {n['errors']} error finding{'s' if n['errors'] != 1 else ''}"
    lines.append(f"_{summary}_")
    return "\n".join(lines) + "\n"
