"""The ``apilint conform SPEC CAPTURES`` command: recorded responses against the spec.

Exit status: 0 every recorded response conforms (warnings allowed), 1 error-level findings,
2 bad input.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..textsafe import one_line
from .options import REF_MAP_HELP, root_option


@click.command("conform")
@click.argument("spec")
@click.argument("captures")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", default=None, help="Write the report to this file (atomic).")
@root_option()
@click.option("--microversion", default=None,
              help="Version of captures that record none (e.g. 2.96).")
@click.option("--map", "map_path", default=None, metavar="FILE",
              help="YAML/JSON mapping from bare JSON sample names to 'METHOD /path [STATUS]'.")
@click.option("--ref-map", "ref_maps", multiple=True, metavar="PREFIX=DIR",
              help=REF_MAP_HELP)
@click.option("--all-versions", is_flag=True,
              help="For every microversion in a samples tree: SPEC@V against CAPTURES@V; each "
                   "disagreement once, from the first version it appears at.")
def conform_cmd(spec: str, captures: str, fmt: str, output: str | None, root: str | None,
                microversion: str | None, map_path: str | None,
                ref_maps: tuple[str, ...], all_versions: bool) -> None:
    """Validate every recorded response in CAPTURES against its operation in SPEC."""
    from ..conform import conform, render_text
    from ..refs import ref_map_entries
    from .output import emit

    options: dict[str, Any] = {}
    if microversion:
        options["version"] = microversion
    if all_versions:
        from ..conform_versions import conform_all_versions

        report = conform_all_versions(spec, captures, root=root, capture_options=options,
                                      map_path=map_path, ref_map=ref_map_entries(ref_maps))
    else:
        report = conform(spec, captures, root=root, capture_options=options,
                         map_path=map_path, ref_map=ref_map_entries(ref_maps))
    if fmt == "json":
        text = json.dumps(report.to_dict(), indent=2, sort_keys=False) + "\n"
    else:
        text = render_text(report)
    emit(text, output)
    for w in report.warnings:
        click.echo(f"apilint: warning: {one_line(w)}", err=True)
    sys.exit(report.exit_code)
