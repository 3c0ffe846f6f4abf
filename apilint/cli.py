"""The command line: a thin layer over ``api.compare``, the policy and the reporters.

Exit status: 0 report produced / rule holds, 1 policy findings at error level, 2 bad input or
usage. Every error is one line on stderr; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__
from .errors import ApilintError

FORMAT_CHOICES = ("text", "json", "markdown", "github", "junit", "sarif")


class ApilintGroup(click.Group):
    """Click group that turns every error into one line and exit status 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        # One short run over large trees of dicts: the cycle collector would rescan them again
        # and again (a third of a large diff's time) to free almost nothing before exit.
        import gc

        gc.disable()
        kwargs.setdefault("standalone_mode", True)
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.exceptions.Abort:
            click.echo("apilint: aborted", err=True)
            sys.exit(2)
        except click.ClickException as e:
            click.echo(f"apilint: {' '.join(e.format_message().split())}", err=True)
            sys.exit(2)
        except ApilintError as e:
            click.echo(f"apilint: {e}", err=True)
            sys.exit(e.exit_code)
        except RecursionError:
            click.echo("apilint: input nested too deeply to process", err=True)
            sys.exit(2)
        except MemoryError:
            click.echo("apilint: out of memory while reading the input", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("apilint: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as e:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get("APILINT_DEBUG"):
                raise
            # Only the type: the text of an unexpected error may quote the input.
            click.echo(f"apilint: internal error: {type(e).__name__} "
                       "(set APILINT_DEBUG=1 for a traceback)", err=True)
            sys.exit(2)


@click.group(cls=ApilintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apilint")
def main() -> None:
    """Diff two versions of an HTTP API and require a version increase for any change."""


def run() -> None:
    """The ``apilint`` program (console script and ``python -m apilint``): ``main``, then exit
    without tearing the heap down.

    A large diff leaves tens of megabytes of objects behind, many in reference cycles (the
    cycle collector is off for the run). Interpreter shutdown frees them one by one, about
    0.05 s, a tenth of the whole run, on an 8 MB pair. The output streams are flushed and the
    process ends with the status ``main`` chose; apilint registers no exit handlers and writes
    its files atomically before this point, so nothing is lost. Tests call ``main`` itself.
    """
    try:
        main()
        code = 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:  # sys.exit("message"): what the interpreter would print, and status 1
            sys.stderr.write(f"{e.code}\n")
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe (apilint … | head): the reader has what it wanted
    os._exit(code)


def emit(text: str, output: str | None) -> None:
    """Print, or write atomically to a file (never a partial file, never the inputs)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .fsutil import write_atomic

    write_atomic(output, text)


def _color(fmt: str, output: str | None, no_color: bool) -> bool:
    if fmt != "text" or no_color or os.environ.get("NO_COLOR"):
        return False
    if output not in (None, "-"):
        return False
    return sys.stdout.isatty()


@main.command()
@click.argument("base")
@click.argument("revision")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES),
              help="Output format (repeat with --output for several reports).")
@click.option("--output", "-o", "outputs", multiple=True,
              help="Write the matching --format to this file (atomic).")
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Project root that $refs may not leave (default: the git work tree).")
@click.option("--no-color", is_flag=True, help="Never colour the text report.")
@click.option("--include-docs/--no-docs", default=True, show_default=True,
              help="Include doc-change entries (descriptions, examples).")
@click.option("--validate", is_flag=True,
              help="Also validate both documents against the OpenAPI schema (warnings only).")
@click.option("--enum-key", "enum_keys", multiple=True, metavar="NAME",
              help="Captures: compare the recorded values of this field (e.g. status).")
def diff(base: str, revision: str, formats: tuple[str, ...], outputs: tuple[str, ...],
         root: str | None, no_color: bool, include_docs: bool, validate: bool,
         enum_keys: tuple[str, ...]) -> None:
    """List every change between BASE and REVISION, each classified."""
    from .api import compare
    from .model import Report

    pairs = pair_outputs(formats, outputs)
    options = {"enum_keys": list(enum_keys)} if enum_keys else None
    cmp = compare(base, revision, root=root, validate=validate, base_capture_options=options,
                  revision_capture_options=options)
    changes = cmp.changes if include_docs else [c for c in cmp.changes
                                                 if c.category != "doc-change"]
    report = Report(base=cmp.base.document.path, revision=cmp.revision.document.path,
                    changes=changes, warnings=cmp.warnings, command="diff",
                    base_version=cmp.base.version, revision_version=cmp.revision.version)
    write_reports(report, pairs, no_color)
    echo_warnings(cmp.warnings, pairs)


def echo_warnings(warnings: list[str], pairs: list[tuple[str, str | None]]) -> None:
    """Warnings go to stderr unless the text report on stdout already shows them."""
    if any(fmt == "text" and out is None for fmt, out in pairs):
        return
    for w in warnings:
        click.echo(f"apilint: warning: {w}", err=True)


def pair_outputs(
    formats: tuple[str, ...], outputs: tuple[str, ...]
) -> list[tuple[str, str | None]]:
    """--format/--output pairs; a lone --format goes to stdout; text is the default."""
    from .errors import UsageError

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


def write_reports(report: Any, pairs: list[tuple[str, str | None]], no_color: bool) -> None:
    from .fsutil import refuse_input
    from .report import render

    for _, out in pairs:  # refuse before printing anything, so no half-done run
        if out not in (None, "-"):
            refuse_input(out)

    for fmt, out in pairs:
        emit(render(report, fmt, color=_color(fmt, out, no_color)), out)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules_cmd(fmt: str) -> None:
    """List the rule catalogue."""
    from .catalogue import rules
    from .docs import compat_text, render_rules_markdown

    all_rules = rules()
    if fmt == "json":
        import json

        data = [{"id": r.id, "kind": r.kind, "category": r.category, "compat": r.compat,
                 "level": r.level, "message": r.message, "why": r.why, "example": r.example}
                for r in all_rules.values()]
        emit(json.dumps(data, indent=2) + "\n", None)
        return
    if fmt == "markdown":
        emit(render_rules_markdown(), None)
        return
    lines = []
    for r in all_rules.values():
        if r.kind == "change":
            lines.append(f"{r.id:45} {r.category:16} {compat_text(r)}")
        else:
            lines.append(f"{r.id:45} {'finding':16} {r.level}")
    emit("\n".join(lines) + "\n", None)


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print one rule's meaning, reason and example."""
    from .catalogue import rules
    from .docs import render_rule_text
    from .errors import UsageError

    all_rules = rules()
    if rule not in all_rules:
        import difflib

        close = difflib.get_close_matches(rule, list(all_rules), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"no rule named {rule!r}{hint}")
    emit(render_rule_text(all_rules[rule]), None)


def _register_commands() -> None:
    """Commands that live in their own modules (each imports its heavy parts lazily)."""
    from . import cli_changelog, cli_check, cli_conform

    cli_check.register(main)
    cli_conform.register(main)
    cli_changelog.register(main)


_register_commands()
