"""``apilint baseline``: the current findings' changes as waiver entries for a person to edit."""

from __future__ import annotations

import os
from typing import Any

import click

from .options import FilesStayFiles, gate_options
from .output import emit


@click.command("baseline", cls=FilesStayFiles)
@gate_options
@click.option("--output", "-o", "output", default=None,
              help="Waiver file to write (atomic; entries already there are kept).")
def baseline(output: str | None, **kw: Any) -> None:
    """Write the current findings' changes as waiver entries for a person to edit."""
    from ..config import load_config
    from ..gate import Options, run
    from ..waivers import baseline_yaml

    opts = Options(**kw)
    report = run(opts)
    if report is None:
        return
    if output is None:
        # The project's configured waiver file is where waivers belong: written (or merged)
        # there unless -o says otherwise.
        config = load_config(opts.config_path)
        if config.waivers:
            output = config.resolve(config.waivers, "waivers")
    text = baseline_yaml(report.findings, report.revision_version)
    if output and os.path.exists(output):
        text = _merge_existing(output, text)
    if output in (None, "-"):
        emit(text, output)
    else:
        from ..fsutil import write_atomic

        # The one output that may replace a file this run read: the waiver file it merges.
        write_atomic(output, text, replaces_input=True)
    if output:
        n = text.count("\n- rule:") + text.startswith("- rule:")
        from ..textsafe import escape_name

        click.echo(f"apilint: wrote {n} waiver entr{'y' if n == 1 else 'ies'} to "
                   f"{escape_name(output)}",
                   err=True)


def _merge_existing(path: str, new_text: str) -> str:
    """Keep the entries (and reasons) a person already wrote; append the new ones."""
    import yaml

    from ..loader import read_text
    from ..waivers import load_waivers

    load_waivers(path)  # a broken file is reported, not overwritten
    old = yaml.safe_load(read_text(path)) or []
    if isinstance(old, dict):
        old = old.get("waivers") or []
    new = yaml.safe_load(new_text) or {}
    entries = list(old)
    keys = {(e.get("rule"), e.get("operation"), e.get("location")) for e in entries}
    for e in new.get("waivers") or []:
        if (e.get("rule"), e.get("operation"), e.get("location")) not in keys:
            entries.append(e)
    head = "".join(line + "\n" for line in new_text.splitlines() if line.startswith("#"))
    return head + yaml.safe_dump({"waivers": entries}, sort_keys=False, allow_unicode=True,
                                 default_flow_style=False, width=1000)
