"""Errors that end a run with exit status 2: bad input, bad usage, bad configuration.

Every error renders as one line, ``file:line:col: message``, so editors and CI logs can jump to it.
"""

from __future__ import annotations


class ApilintError(Exception):
    """An error the user must fix; the CLI prints ``str(err)`` on one line and exits 2."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __str__(self) -> str:
        from .textsafe import escape_name, one_line

        where = ""
        if self.file:
            where = escape_name(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        # One line, always: messages never carry a newline, an escape sequence or any other
        # control character into a terminal or a CI log.
        return f"{where}{one_line(self.message)}"


class InputError(ApilintError):
    """A file could not be read, parsed, resolved or recognised."""


class UsageError(ApilintError):
    """The command line does not make sense."""


class ConfigError(ApilintError):
    """A configuration or waiver file is invalid."""
