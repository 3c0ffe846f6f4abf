"""``apilint diff BASE REVISION``: every change between two versions, each classified.

Exit status: 0 the report was written (or no change at the ``--fail-on`` level), 1 a change at
the ``--fail-on`` level, 2 bad input or usage.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .options import REF_MAP_HELP, format_options, root_option, selection_options, validate_option
from .output import echo_warnings, pair_outputs, write_reports


@click.command("diff")
@click.argument("base")
@click.argument("revision")
@format_options
@root_option()
@selection_options
@click.option("--fail-on", type=click.Choice(("breaking", "compatible", "any"),
                                             case_sensitive=False), default=None,
              help="Exit 1 when a change at this level exists: breaking; compatible (any API "
                   "change); any (documentation too). A breaking-change gate without the "
                   "version rule (that is 'apilint check').")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file for rule levels (a rule set to off is left out); "
                   "default: .apilint.toml or pyproject.toml found upward.")
@validate_option()
@click.option("--enum-key", "enum_keys", multiple=True, metavar="NAME",
              help="Captures: compare the recorded values of this field (e.g. status).")
@click.option("--ref-map", "ref_maps", multiple=True, metavar="PREFIX=DIR",
              help=REF_MAP_HELP)
def diff(base: str, revision: str, formats: tuple[str, ...], outputs: tuple[str, ...],
         color: str | None, no_color: bool, root: str | None, match_paths: tuple[str, ...],
         exclude_paths: tuple[str, ...], only: tuple[str, ...], include_docs: bool,
         statistics: bool, fail_on: str | None, config_path: str | None, validate: bool,
         enum_keys: tuple[str, ...], ref_maps: tuple[str, ...]) -> None:
    """List every change between BASE and REVISION, each classified.

    \b
    Examples:
      apilint diff old.yaml new.yaml
      apilint diff old.yaml new.yaml --fail-on breaking --match-path '/servers/*'
      apilint diff old.yaml new.yaml -f markdown -o changes.md -f html -o changes.html
    """
    from ..api import Source, compare
    from ..config import load_config
    from ..filters import Selection
    from ..model import Report
    from ..refs import ref_map_entries

    pairs = pair_outputs(formats, outputs)
    config = load_config(config_path)
    options = {"enum_keys": list(enum_keys)} if enum_keys else None
    cmp = compare(Source(base, capture_options=options),
                  Source(revision, capture_options=options), root=root, validate=validate,
                  ref_map=list(dict.fromkeys([*ref_map_entries(ref_maps), *config.ref_map])))
    selection = Selection(match=match_paths, exclude=exclude_paths, only=only,
                          include_docs=include_docs, levels=config.levels)
    changes = selection.apply(cmp.changes)
    report = Report(base=cmp.base.document.path, revision=cmp.revision.document.path,
                    changes=changes, warnings=cmp.warnings, command="diff",
                    base_version=cmp.base.version, revision_version=cmp.revision.version)
    write_reports(report, pairs, color, no_color, statistics=statistics)
    echo_warnings(cmp.warnings, pairs)
    if fail_on and _fails(changes, fail_on.lower()):
        sys.exit(1)


def _fails(changes: list[Any], level: str) -> bool:
    """``--fail-on``: breaking, compatible (any API change: breaking or not) or any."""
    if level == "breaking":
        return any(c.compat == "breaking" for c in changes)
    if level == "compatible":
        return any(c.category != "doc-change" for c in changes)
    return bool(changes)
