"""``apilint changelog SOURCE``: what changed at each microversion, oldest first.

SOURCE is an ``x-openstack`` annotated spec or a Nova samples tree, optionally ``@VERSION`` to
stop at that version. ``--base REF SPEC``: the changes since a git ref, grouped by the new
microversion that gates each one, the ungated ones called out. Exit status: 0 the changelog
was written, 2 bad input or usage.
"""

from __future__ import annotations

import click

FORMATS = ("text", "json", "markdown", "rst", "html")


@click.command("changelog")
@click.argument("source")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format (rst: a rest_api_version_history page; "
                                      "html: a timeline, versions across, calls down).")
@click.option("--output", "-o", default=None, help="Write the changelog to this file (atomic).")
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Project root that $refs may not leave (default: the git work tree).")
@click.option("--include-docs/--no-docs", default=True, show_default=True,
              help="Include doc-change entries (descriptions, examples).")
@click.option("--enum-key", "enum_keys", multiple=True, metavar="NAME",
              help="Samples: compare the recorded values of this field (e.g. status).")
@click.option("--base", "base_ref", metavar="REF",
              help="Compare SOURCE (a spec) with its version at this git ref, grouped by the "
                   "new microversion that gates each change; ungated changes listed first.")
def changelog_cmd(source: str, fmt: str, output: str | None, root: str | None,
                  include_docs: bool, enum_keys: tuple[str, ...], base_ref: str | None) -> None:
    """For every microversion in SOURCE, the changes from the version before it.

    With --base REF: the changes since REF, by the microversion each one is gated at."""
    from ..changelog import between, build, render
    from ..fsutil import refuse_input
    from .output import emit

    if output not in (None, "-"):
        refuse_input(output)
    options = {"enum_keys": list(enum_keys)} if enum_keys else None
    if base_ref is not None:
        log = between(base_ref, source, root=root, include_docs=include_docs)
    else:
        log = build(source, root=root, include_docs=include_docs, capture_options=options)
    emit(render(log, fmt), output)
    if fmt != "text" or output not in (None, "-"):
        for w in log.warnings:
            click.echo(f"apilint: warning: {w}", err=True)
