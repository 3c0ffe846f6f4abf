"""GitHub Actions workflow commands: one annotation line per finding and per change.

``::error file=F,line=L,col=C,title=T::message``; levels as in ``_common`` (error, warning,
and ``notice`` for info). Text from a spec is escaped by GitHub's rules (``%``, CR and LF in
the message; also ``:`` and ``,`` in properties) after control characters are made visible,
so no description, name or enum value can end a line early and inject a command.
"""

from __future__ import annotations

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


def render(report: Report) -> str:
    n = counts(report)
    summary = f"apilint {report.command}: {report.base} -> {report.revision}: " \
              f"{n['changes']} change{'s' if n['changes'] != 1 else ''} " \
              f"({n['breaking']} breaking)"
    if report.command == "check":
        versions = f"{report.base_version} -> {report.revision_version}"
        summary += f"; versions {versions}; {n['errors']} error finding" \
                   f"{'s' if n['errors'] != 1 else ''}"
    lines = [command("error" if n["errors"] else "info", summary, title="apilint")]
    for w in report.warnings:
        lines.append(command("warning", w, title="apilint input warning"))
    for e in entries(report):
        loc = e.location
        title = f"apilint {e.rule}" + (f" ({e.compat})" if e.compat else "")
        message = e.message
        if e.kind == "change" and len(e.operations) > 1:
            message += f" [reaches {', '.join(e.operations[:5])}" + (
                f" and {len(e.operations) - 5} more]" if len(e.operations) > 5 else "]")
        lines.append(command(
            e.level, message,
            file=artifact_path(loc.file, report) if loc else None,
            line=loc.line if loc else None,
            col=loc.column if loc and loc.line is not None else None,
            title=title,
        ))
    return "\n".join(lines) + "\n"
