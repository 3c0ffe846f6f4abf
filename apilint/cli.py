"""The command line: a thin layer over ``api.compare``, the policy and the reporters.

Exit status: 0 report produced / rule holds, 1 policy findings at error level, 2 bad input or
usage. Every error is one line on stderr; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__, cleanup
from .cli_options import FORMAT_CHOICES, format_options, selection_options
from .errors import ApilintError

__all__ = ["FORMAT_CHOICES", "main", "run"]



class ApilintGroup(click.Group):
    """Click group that turns every error into one line and exit status 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        # One short run over large trees of dicts: the cycle collector would rescan them again
        # and again (a third of a large diff's time) to free almost nothing before exit.
        import gc

        gc.disable()
        kwargs.setdefault("standalone_mode", True)
        kwargs.setdefault("prog_name", "apilint")  # not "python -m apilint" in messages
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.exceptions.Abort:
            # click turns KeyboardInterrupt (SIGINT) into Abort: the shell's status for it.
            cleanup.remove_all()
            click.echo("apilint: interrupted", err=True)
            sys.exit(130)
        except click.exceptions.NoArgsIsHelpError as e:
            # "apilint" alone, or a group without its command: the ordinary help, not an error.
            click.echo(e.ctx.get_help() if e.ctx else self.get_help(click.Context(self)))
            sys.exit(0)
        except click.UsageError as e:
            from .textsafe import one_line

            click.echo(f"apilint: {one_line(e.format_message())}", err=True)
            if e.ctx is not None:  # click's own pointer to the help, as every click tool has
                click.echo(f"Try '{e.ctx.command_path} --help' for help.", err=True)
            sys.exit(2)
        except click.ClickException as e:
            from .textsafe import one_line

            click.echo(f"apilint: {one_line(e.format_message())}", err=True)
            sys.exit(2)
        except ApilintError as e:
            click.echo(f"apilint: {e}", err=True)
            sys.exit(e.exit_code)
        except RecursionError:
            click.echo(f"apilint: {_culprit()}input nested too deeply to process", err=True)
            sys.exit(2)
        except MemoryError:
            click.echo(f"apilint: {_culprit()}out of memory while reading the input", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            cleanup.remove_all()
            click.echo("apilint: interrupted", err=True)
            sys.exit(130)
        except cleanup.Stopped as stop:
            cleanup.remove_all()
            click.echo(f"apilint: {stop.word}", err=True)
            sys.exit(stop.status)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as e:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get("APILINT_DEBUG"):
                raise
            # Only the type: the text of an unexpected error may quote the input.
            click.echo(f"apilint: internal error: {type(e).__name__} "
                       "(set APILINT_DEBUG=1 for a traceback)", err=True)
            sys.exit(2)


def _culprit() -> str:
    """``FILE: `` for the file being read when an error without a file struck, else ``""``."""
    from .loader import loading
    from .textsafe import escape_name

    name = loading()
    return f"{escape_name(name)}: " if name else ""


@click.group("apilint", cls=ApilintGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    # Only the program installs handlers: tests that call ``main`` keep their own SIGINT.
    cleanup.install_signal_handlers()
    # An error line naming a non-ASCII file must not itself fail on an ASCII stderr.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        main()
        code = 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:  # sys.exit("message"): what the interpreter would print, and status 1
            sys.stderr.write(f"{e.code}\n")
            code = 1
    cleanup.remove_all()  # os._exit skips atexit: temporary folders go now
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe (apilint … | head): the reader has what it wanted
    os._exit(code)


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
    from .fsutil import write_atomic

    write_atomic(output, text)


REF_MAP_HELP = ("Read remote $refs starting with PREFIX from local folder DIR (relative to the "
                "project root, inside it); repeatable. Nothing is ever fetched.")


def ref_map_option(entries: tuple[str, ...]) -> list[tuple[str, str]]:
    """``--ref-map PREFIX=DIR`` values as (prefix, folder) pairs; a bad one is a usage error."""
    from .errors import UsageError
    from .refs import parse_ref_map

    out = []
    for entry in entries:
        try:
            out.append(parse_ref_map(entry))
        except ValueError as err:
            raise UsageError(f"--ref-map: {err}") from None
    return out


@main.command()
@click.argument("base")
@click.argument("revision")
@format_options
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Project root that $refs may not leave (default: the git work tree).")
@selection_options
@click.option("--fail-on", type=click.Choice(("breaking", "compatible", "any"),
                                             case_sensitive=False), default=None,
              help="Exit 1 when a change at this level exists: breaking; compatible (any API "
                   "change); any (documentation too). A breaking-change gate without the "
                   "version rule (that is 'apilint check').")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file for rule levels (a rule set to off is left out); "
                   "default: .apilint.toml or pyproject.toml found upward.")
@click.option("--validate", is_flag=True,
              help="Also validate both documents against the OpenAPI schema (warnings only).")
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
    from .api import compare
    from .config import load_config
    from .filters import Selection
    from .model import Report

    pairs = pair_outputs(formats, outputs)
    config = load_config(config_path)
    options = {"enum_keys": list(enum_keys)} if enum_keys else None
    cmp = compare(base, revision, root=root, validate=validate, base_capture_options=options,
                  revision_capture_options=options,
                  ref_map=list(dict.fromkeys([*ref_map_option(ref_maps), *config.ref_map])))
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


def echo_warnings(warnings: list[str], pairs: list[tuple[str, str | None]]) -> None:
    """Warnings go to stderr unless the text report on stdout already shows them."""
    if any(fmt == "text" and out is None for fmt, out in pairs):
        return
    from .textsafe import one_line

    for w in warnings:
        click.echo(f"apilint: warning: {one_line(w)}", err=True)


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


def write_reports(report: Any, pairs: list[tuple[str, str | None]], color: str | None,
                  no_color: bool, *, statistics: bool = False) -> None:
    from .cli_options import color_wanted
    from .cli_options import statistics as render_statistics
    from .fsutil import refuse_input
    from .report import render

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
    from .fsutil import refuse_input
    from .report import render

    refuse_input(path)
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(render(report, "markdown") + "\n")
    except OSError as err:
        click.echo(f"apilint: warning: cannot write the job summary ({err.strerror or err})",
                   err=True)


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


def _complete_rule(ctx: click.Context, param: click.Parameter,
                   incomplete: str) -> list[Any]:
    """Shell completion of ``apilint explain RULE``: the catalogue's rule ids."""
    from click.shell_completion import CompletionItem

    from .catalogue import rules

    return [CompletionItem(rid, help=rule.why.split(". ")[0][:80])
            for rid, rule in sorted(rules().items()) if rid.startswith(incomplete)]


@main.command()
@click.argument("rule", shell_complete=_complete_rule)
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
