"""``python -m apilint``: the same entry point as the ``apilint`` command."""

from .cli import run

run()
