"""Options that several commands share, declared once: output formats, the selection of
changes (``--match-path``, ``--exclude-path``, ``--only``, ``--no-docs``, ``--statistics``),
``--ref-map``, and what ``check`` and ``baseline`` compare.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import click

from ..model import CATEGORIES, Change
from ..report import FORMATS as FORMAT_CHOICES
from ..versions import POLICIES, SCHEMES


def format_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--format``/``-f`` (any case), ``--output``/``-o``, ``--color``/``--no-color``."""
    for opt in reversed([
        click.option("--format", "-f", "formats", multiple=True,
                     type=click.Choice(FORMAT_CHOICES, case_sensitive=False),
                     help="Output format (repeat with --output for several reports)."),
        click.option("--output", "-o", "outputs", multiple=True,
                     help="Write the matching --format to this file (atomic)."),
        click.option("--color", "color", type=click.Choice(("auto", "always", "never"),
                                                           case_sensitive=False),
                     default=None, help="Colour the text report: auto (a terminal, unless "
                                        "NO_COLOR; FORCE_COLOR forces it), always or never."),
        click.option("--no-color", is_flag=True, help="Never colour (same as --color never)."),
    ]):
        f = opt(f)
    return f


def selection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The changes a run looks at (before any gate) and how they are counted."""
    for opt in reversed([
        click.option("--match-path", "match_paths", multiple=True, metavar="GLOB",
                     help="Only changes reaching a path template matching GLOB "
                          "(e.g. '/servers/*'; repeatable)."),
        click.option("--exclude-path", "exclude_paths", multiple=True, metavar="GLOB",
                     help="Leave out changes whose paths all match GLOB (repeatable)."),
        click.option("--only", "only", multiple=True,
                     type=click.Choice(CATEGORIES, case_sensitive=False),
                     help="Only changes of this category (repeatable)."),
        click.option("--include-docs/--no-docs", default=True, show_default=True,
                     help="Include doc-change entries (descriptions, examples)."),
        click.option("--statistics", is_flag=True,
                     help="Print how many changes each rule and category has, instead of the "
                          "text report."),
    ]):
        f = opt(f)
    return f


def statistics(changes: list[Change]) -> str:
    """Counts per rule (with its category and compat), most frequent first, then per
    category: the shape of a large release at a glance (like ``ruff --statistics``)."""
    per_rule = Counter((c.rule, c.category, c.compat) for c in changes)
    width = max((len(str(n)) for n in per_rule.values()), default=1)
    lines = [f"{n:>{width}}  {rule}  ({category}, {compat})"
             for (rule, category, compat), n in sorted(per_rule.items(),
                                                       key=lambda kv: (-kv[1], kv[0]))]
    per_category = Counter(c.category for c in changes)
    lines.append("")
    lines += [f"{per_category[c]:>{width}}  {c}" for c in CATEGORIES if per_category[c]]
    lines.append(f"{len(changes):>{width}}  changes in all")
    return "\n".join(lines) + "\n"


def color_wanted(fmt: str, output: str | None, color: str | None, no_color: bool) -> bool:
    """Colour only the text report to a terminal, unless told: ``--color always|never``,
    then NO_COLOR (never) and FORCE_COLOR (always), then whether stdout is a terminal."""
    import os
    import sys

    if fmt != "text" or output not in (None, "-"):
        return False
    choice = "never" if no_color else (color or "auto").lower()
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def root_option() -> Callable[..., Any]:
    """``--root``: the folder ``$ref``s may not leave."""
    return click.option("--root", type=click.Path(file_okay=False), default=None,
                        help="Project root that $refs may not leave (default: the git work "
                             "tree).")


def validate_option() -> Callable[..., Any]:
    """``--validate``: schema validation of both documents, as warnings."""
    return click.option("--validate", is_flag=True,
                        help="Also validate both documents against the OpenAPI schema "
                             "(warnings only).")


REF_MAP_HELP = ("Read remote $refs starting with PREFIX from local folder DIR (relative to the "
                "project root, inside it); repeatable. Nothing is ever fetched.")


def gate_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``check`` and ``baseline``."""
    opts = [
        click.argument("paths", nargs=-1),
        click.option("--base", "base_ref", metavar="REF",
                     help="Compare each FILE with its version at this git ref."),
        click.option("--pre-commit", "pre_commit", is_flag=True,
                     help="Hook mode: base $PRE_COMMIT_FROM_REF or HEAD; non-spec files "
                          "are skipped."),
        click.option("--policy", type=click.Choice(POLICIES), default=None,
                     help="Versioning policy (default: config, else openstack)."),
        click.option("--scheme", type=click.Choice(("auto", *SCHEMES)), default=None,
                     help="Version scheme (default: config, else guessed)."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Configuration file (default: .apilint.toml or pyproject.toml "
                          "found upward)."),
        click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False),
                     help="Waiver file (default: config 'waivers')."),
        click.option("--base-version", help="Use this as the base version."),
        click.option("--revision-version", help="Use this as the revision version."),
        root_option(),
        validate_option(),
        click.option("--enum-key", "enum_keys", multiple=True, metavar="NAME",
                     help="Captures: compare the recorded values of this field (e.g. status); "
                          "adds to config 'enum-keys'."),
        click.option("--ref-map", "ref_maps", multiple=True, metavar="PREFIX=DIR",
                     help="Read remote $refs starting with PREFIX from local folder DIR "
                          "(relative to the project root, inside it); repeatable, adds to "
                          "config 'ref-map'. Nothing is ever fetched."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


class FilesStayFiles(click.Command):
    """``check`` and ``baseline``: an argument that names an existing file is a file, even
    when it looks like an option. pre-commit and CI scripts pass file names they did not
    choose; a staged file called ``--waivers=w.yaml`` or ``-o.json`` must be compared, not
    obeyed (the hook entry also ends its options with ``--``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            head, tail = args[:cut], args[cut + 1:]
        else:
            head, tail = list(args), []
        files = [a for a in head if len(a) > 1 and a.startswith("-") and os.path.lexists(a)]
        if files:
            head = [a for a in head if a not in files]
            args = [*head, "--", *files, *tail]
        return super().parse_args(ctx, args)
