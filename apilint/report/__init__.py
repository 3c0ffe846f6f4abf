"""Render a ``Report`` in one of the output formats.

Machine formats (json, github, gitlab, junit, sarif, markdown, html) never import rich, so a
hook or CI run starts fast; the text format colours only when writing to a terminal.
"""

from __future__ import annotations

import importlib

from ..model import Report

FORMATS = ("text", "json", "markdown", "github", "junit", "sarif", "html", "gitlab")


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    if fmt == "text":
        from .text import render as render_text

        return render_text(report, color=color)
    if fmt == "json":
        from .jsonfmt import render as render_json

        return render_json(report)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"{__name__}.{fmt}")
    return module.render(report)
