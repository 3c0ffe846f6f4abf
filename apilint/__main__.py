"""``python -m apilint``: the same entry point as the ``apilint`` command."""

from .cli import run

if __name__ == "__main__":
    run()
