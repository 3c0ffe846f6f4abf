"""GitHub Actions workflow commands: one annotation line per finding and per change.

``::error file=F,line=L,col=C,title=T::message``; levels as in ``_common`` (error, warning,
and ``notice`` for info). Text from a spec is escaped by GitHub's rules (``%``, CR and LF in
the message; also ``:`` and ``,`` in properties) after control characters are made visible,
so no description, name or enum value can end a line early and inject a command.
"""

from __future__ import annotations

import os

from ..model import Report
from ._common import artifact_path, counts, entries, visible_controls

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    text = visible_controls(str(text))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props: object) -> str:
    shown = [f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, "")]
    head = f"::{_COMMAND.get(level, 'warning')}"
    if shown:
        head += " " + ",".join(shown)
    return f"{head}::{escape_data(message)}"


# GitHub shows at most ten annotations of each kind per step; notices past that are dropped
# by GitHub anyway, so apilint stops at ten and says how many more there are.
NOTICE_LIMIT = 10
_RANK = {"error": 0, "warning": 1, "info": 2}


def render(report: Report) -> str:
    n = counts(report)
    summary = f"apilint {report.command}: {report.base} -> {report.revision}: " \
              f"{n['changes']} change{'s' if n['changes'] != 1 else ''} " \
              f"({n['breaking']} breaking)"
    if report.command == "check":
        versions = f"{report.base_version} -> {report.revision_version}"
        summary += f"; versions {versions}; {n['errors']} error finding" \
                   f"{'s' if n['errors'] != 1 else ''}"
    annotated: list[tuple[int, str]] = []  # (rank, line): errors, warnings, notices
    for w in report.warnings:
        annotated.append((1, command("warning", w, title="apilint input warning")))
    # A change that makes the gate fail is an error on its own line: the version line a
    # finding points at is seldom part of the pull request's diff, the change's line is.
    failing: dict[str, str] = {}
    for f in report.findings:
        if f.level == "error" and not f.waived:
            for c in f.changes:
                failing.setdefault(c.fingerprint, f.id)
    for e in entries(report):
        loc = e.location
        level = e.level
        title = f"apilint {e.rule}" + (f" ({e.compat})" if e.compat else "")
        message = e.message
        if e.kind == "change" and e.fingerprint in failing:
            level = "error"
            title = f"apilint {failing[e.fingerprint]}: {e.rule}"
            message += f" (needs a version increase: {failing[e.fingerprint]})"
        if e.kind == "change" and len(e.operations) > 1:
            message += f" [reaches {', '.join(e.operations[:5])}" + (
                f" and {len(e.operations) - 5} more]" if len(e.operations) > 5 else "]")
        annotated.append((_RANK.get(level, 1), command(
            level, message,
            file=artifact_path(loc.file, report) if loc else None,
            line=loc.line if loc else None,
            col=loc.column if loc and loc.line is not None else None,
            title=title,
        )))
    annotated.sort(key=lambda item: item[0])  # stable: entries keep their order in a rank
    notices = [line for rank, line in annotated if rank == 2]
    # Every notice counts against GitHub's ten: the summary line (a notice when the gate
    # holds) and the "more" line included.
    room = NOTICE_LIMIT - (0 if n["errors"] else 1)
    if len(notices) > room:
        room -= 1
    lines = [line for rank, line in annotated if rank < 2] + notices[:room]
    if len(notices) > room:
        more = len(notices) - room
        where = "the job summary" if os.environ.get("GITHUB_STEP_SUMMARY") else \
            "the full report (--format markdown, json or html)"
        lines.append(command("info", f"{more} more change{'s' if more != 1 else ''} "
                             f"without annotations; every change is in {where}",
                             title="apilint"))
    head = command("error" if n["errors"] else "info", summary, title="apilint")
    return "\n".join([head, *lines]) + "\n"
