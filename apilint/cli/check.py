"""``apilint check``: parse the options, run the gate, print the reports, exit with its code.

Exit status: 0 the rule holds, 1 an error-level finding, 2 bad input, usage or configuration.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .options import FilesStayFiles, format_options, gate_options, selection_options
from .output import echo_warnings, pair_outputs, write_reports


@click.command("check", cls=FilesStayFiles)
@gate_options
@format_options
@selection_options
def check(formats: tuple[str, ...], outputs: tuple[str, ...], color: str | None,
          no_color: bool, statistics: bool, **kw: Any) -> None:
    """Fail (exit 1) when the API changed without the version increase the policy needs.

    \b
    Three ways to say what is compared:
      two files        apilint check old/openapi.yaml openapi.yaml
      against git      apilint check --base origin/main openapi.yaml
                       (each FILE, or config 'files', against its version at REF; a
                       branch is read at its merge base)
      pre-commit hook  apilint check --pre-commit -- FILE...
                       (staged files against HEAD, or PRE_COMMIT_FROM_REF..TO_REF;
                       files that are not API descriptions are skipped)

    Exit status: 0 the rule holds, 1 it is violated, 2 bad input, usage or configuration.
    """
    from ..gate import Options, run

    pairs = pair_outputs(formats, outputs)
    report = run(Options(**kw))
    if report is None:  # --pre-commit with no spec files among those staged
        return
    write_reports(report, pairs, color, no_color, statistics=statistics)
    echo_warnings(report.warnings, pairs)
    if report.exit_code:
        # sys.exit, not click's Exit: the group runs click in non-standalone mode, where an
        # Exit becomes a return value that a caller may drop.
        sys.exit(report.exit_code)
