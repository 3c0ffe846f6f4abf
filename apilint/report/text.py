"""The human report: changes grouped by operation, ``file:line:col:`` first so editors jump."""

from __future__ import annotations

from collections import defaultdict

from ..model import Change, Report
from ..pointer import component_label, natural_key, split
from ..textsafe import escape_name, one_line
from ._common import SECTIONS, blocking_order, findings_first, section

_COMPAT_STYLE = {"breaking": "bold red", "compatible": "yellow", "none": "dim"}
_LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _line(change: Change) -> str:
    loc = change.primary
    where = loc.display() if loc else "-"
    return f"{where}: {change.message} [{change.rule}] {change.compat}"


def render(report: Report, *, color: bool = False) -> str:
    out: list[tuple[str, str | None]] = []  # (text, style)
    head = (f"apilint {report.command}: {escape_name(report.base)} -> "
            f"{escape_name(report.revision)}")
    out.append((head, "bold"))
    for w in report.warnings:
        out.append((f"warning: {w}", "yellow"))
    if report.command == "check":
        out.extend(_check_head(report))
    # What blocks first: breaking changes, then other API changes, then documentation; each
    # section grouped by operation.
    for index, (_, title) in enumerate(SECTIONS):
        part = [c for c in report.changes if section(c) == index]
        if not part:
            continue
        out.append(("", None))
        out.append((f"{title} ({len(part)}):", "bold"))
        groups: dict[str, list[Change]] = defaultdict(list)
        for ch in part:
            if not ch.operations:
                groups["(document)"].append(ch)
            elif len(ch.operations) == 1:
                groups[ch.operations[0]].append(ch)
            else:
                groups[f"(shared) {_owner(ch.location)}"].append(ch)
        for name in sorted(groups, key=lambda g: (g.startswith("("), natural_key(g))):
            out.append(("", None))
            out.append((name, "bold cyan"))
            for ch in groups[name]:
                out.append(("  " + _line(ch), _COMPAT_STYLE.get(ch.compat)))
                if len(ch.operations) > 1:
                    shown = ", ".join(ch.operations[:5])
                    more = (f" and {len(ch.operations) - 5} more"
                            if len(ch.operations) > 5 else "")
                    out.append((f"      reaches: {shown}{more}", "dim"))
    out.append(("", None))
    out.append((_summary(report), "bold"))
    # Everything above may hold spec text, capture keys or file names: each line is made one
    # visible line (controls escaped, newlines folded), its indentation kept.
    out = [(_safe(t), style) for t, style in out]
    if not color:
        return "\n".join(t for t, _ in out) + "\n"
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, force_terminal=True, width=200, highlight=False)
    for text, style in out:
        console.print(Text(text, style=style or ""), soft_wrap=True)
    return console.export_text(styles=True)


def _safe(line: str) -> str:
    body = line.lstrip(" ")
    return line[: len(line) - len(body)] + one_line(body) if body else ""


def _check_head(report: Report) -> list[tuple[str, str | None]]:
    """The verdict comes first: policy, scheme and versions read, then every finding."""
    out: list[tuple[str, str | None]] = [("", None)]
    versions = f"versions {report.base_version} -> {report.revision_version}"
    scheme = report.scheme_rule or report.scheme or "(none)"
    out.append((f"policy {report.policy}, scheme {scheme}, {versions}",
                "bold"))
    if not report.findings:
        out.append(("no findings: the versioning rule holds", "green"))
    for f in findings_first(report.findings):
        where = f.location.display() + ": " if f.location and f.location.file else ""
        tag = f" (waived: {f.waiver_reason})" if f.waived else ""
        style = "dim" if f.waived else _LEVEL_STYLE.get(f.level)
        out.append((f"{where}{f.level}: {f.message} [{f.id}]{tag}", style))
        if f.changes and f.id.startswith("version-"):
            shown = [c.message for c in blocking_order(f.changes)[:3]]
            more = len(f.changes) - len(shown)
            for m in shown:
                out.append((f"      {m}", "dim"))
            if more > 0:
                out.append((f"      and {more} more (listed below)", "dim"))
    return out


def _owner(pointer: str) -> str:
    """Name the shared component a pointer lies in (``schema "Pet"``), else its path."""
    label = component_label(pointer)
    if label is not None:
        return label
    parts = split(pointer) if pointer.startswith("/") else []
    if len(parts) >= 2 and parts[0] == "paths":
        return f"path {parts[1]}"
    return pointer or "(document)"


def _summary(report: Report) -> str:
    n = len(report.changes)
    if n == 0:
        text = "no changes"
    else:
        by: dict[str, int] = defaultdict(int)
        for ch in report.changes:
            by[ch.category] += 1
        breaking = sum(1 for c in report.changes if c.compat == "breaking")
        parts = ", ".join(f"{v} {k}" for k, v in sorted(by.items()))
        text = f"{n} change{'s' if n != 1 else ''} ({breaking} breaking): {parts}"
    if report.command == "check":
        errors = sum(1 for f in report.findings if f.level == "error" and not f.waived)
        text += f"; {errors} error finding{'s' if errors != 1 else ''}"
    return text
