"""Where a command's text goes: stdout or an atomically written file, the reports a run
asked for (``--format``/``--output`` pairs), and warnings on stderr."""

from __future__ import annotations

import os
import sys
from typing import Any

import click


def emit(text: str, output: str | None) -> None:
    """Print, or write atomically to a file (never a partial file, never the inputs).

    Reports are UTF-8 whatever the locale says: a terminal or pipe set to ASCII
    (``PYTHONIOENCODING=ascii``) gets the UTF-8 bytes rather than a crash on the first
    non-ASCII description.
    """
    if output is None or output == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
        if buffer is None or encoding == "utf8":
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        return
    from ..fsutil import write_atomic

    write_atomic(output, text)


def echo_warnings(warnings: list[str], pairs: list[tuple[str, str | None]]) -> None:
    """Warnings go to stderr unless the text report on stdout already shows them."""
    if any(fmt == "text" and out is None for fmt, out in pairs):
        return
    from ..textsafe import one_line

    for w in warnings:
        click.echo(f"apilint: warning: {one_line(w)}", err=True)


def pair_outputs(
    formats: tuple[str, ...], outputs: tuple[str, ...]
) -> list[tuple[str, str | None]]:
    """--format/--output pairs; a lone --format goes to stdout; text is the default."""
    from ..errors import UsageError

    fmts = list(formats) or ["text"]
    outs = list(outputs)
    if len(outs) > len(fmts):
        raise UsageError("more --output than --format options; give a --format for each file")
    pairs: list[tuple[str, str | None]] = []
    # The last formats take the outputs; earlier formats without a file go to stdout.
    free = len(fmts) - len(outs)
    for i, fmt in enumerate(fmts):
        pairs.append((fmt, None if i < free else outs[i - free]))
    to_stdout = [p for p in pairs if p[1] is None]
    if len(to_stdout) > 1:
        raise UsageError("only one format can go to standard output; give --output for the rest")
    if not to_stdout and outputs:
        pairs.insert(0, ("text", None))
    return pairs


def write_reports(report: Any, pairs: list[tuple[str, str | None]], color: str | None,
                  no_color: bool, *, statistics: bool = False) -> None:
    from ..fsutil import refuse_input
    from ..report import render
    from .options import color_wanted
    from .options import statistics as render_statistics

    for _, out in pairs:  # refuse before printing anything, so no half-done run
        if out not in (None, "-"):
            refuse_input(out)

    full = next((out for fmt, out in pairs
                 if out not in (None, "-") and fmt in ("json", "html", "text")), None)
    if full is not None:
        report.full_report = full
    for fmt, out in pairs:
        if statistics and fmt == "text" and out in (None, "-"):
            emit(render_statistics(report.changes), None)
            continue
        emit(render(report, fmt, color=color_wanted(fmt, out, color, no_color)), out)
    if any(fmt == "github" for fmt, _ in pairs):
        _step_summary(report)


def _step_summary(report: Any) -> None:
    """In GitHub Actions, the Markdown report goes to the job summary too, so the changes that
    got no annotation (GitHub shows ten of each kind) are one click away."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    from ..fsutil import refuse_input
    from ..report import render

    refuse_input(path)
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(render(report, "markdown") + "\n")
    except OSError as err:
        click.echo(f"apilint: warning: cannot write the job summary ({err.strerror or err})",
                   err=True)
