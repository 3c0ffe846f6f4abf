"""The command line: the ``apilint`` group and its program entry point, over library calls.

One module per command (``diff``, ``check``, ``baseline``, ``conform``, ``changelog``,
``rules``/``explain``); options several commands share are in ``options``, printing and
writing reports in ``output``. Imports run one way: this package imports the library, the
library never imports this package, and the command modules import only ``options`` and
``output`` from here.

Exit status: 0 report produced / rule holds, 1 policy findings at error level, 2 bad input or
usage. Every error is one line on stderr; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__, cleanup
from ..errors import ApilintError
from .options import FORMAT_CHOICES

__all__ = ["FORMAT_CHOICES", "main", "run"]


# Each command lives in a module of its own: command name -> (module, attribute). A run imports
# only the module of the command it runs (a pre-commit hook starts apilint on every commit);
# help and completion list them all.
COMMANDS = {
    "diff": ("diff", "diff"),
    "check": ("check", "check"),
    "baseline": ("baseline", "baseline"),
    "rules": ("rules", "rules_cmd"),
    "explain": ("rules", "explain"),
    "conform": ("conform", "conform_cmd"),
    "changelog": ("changelog", "changelog_cmd"),
}


class ApilintGroup(click.Group):
    """Click group that turns every error into one line and exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            module, attribute = COMMANDS[cmd_name]
            found = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
            self.add_command(found, cmd_name)
        return self.commands.get(cmd_name)

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
            from ..textsafe import one_line

            click.echo(f"apilint: {one_line(e.format_message())}", err=True)
            if e.ctx is not None:  # click's own pointer to the help, as every click tool has
                click.echo(f"Try '{e.ctx.command_path} --help' for help.", err=True)
            sys.exit(2)
        except click.ClickException as e:
            from ..textsafe import one_line

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
    from ..loader import loading
    from ..textsafe import escape_name

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
